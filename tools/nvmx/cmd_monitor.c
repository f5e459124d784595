/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor: stream asynchronous events and controller state changes until
 * interrupted (or --timeout / --count).  The process owns the controller's
 * AERs, so after an event it reads the log page the event names with RAE
 * cleared, which lets the controller report the next one (Base 5.2).
 * Events are collected in the callback (which runs inside the library's
 * admin processing) and handled after it returns.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvmx/le.h"
#include "cli.h"

#define MON_RING 64

struct mon {
	struct nvmx_event ev[MON_RING];
	unsigned head, tail;	/* head: next to write */
	unsigned lost;
	bool json;
};

static volatile sig_atomic_t mon_stop;

static void on_signal(int sig)
{
	(void)sig;
	mon_stop = 1;
}

static void on_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg)
{
	struct mon *m = arg;

	(void)ctrl;
	if (m->head - m->tail == MON_RING) {
		m->lost++;
		return;
	}
	m->ev[m->head++ % MON_RING] = *ev;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* After a SMART event: the health page, read with RAE cleared. */
static void smart_summary(struct cli_dev *d, struct json_object *o)
{
	struct nvmx_smart_log *s = aligned_alloc(4096, 4096);
	unsigned t;

	if (!s)
		return;
	if (cli_get_log(d, NVMX_LID_SMART, NVMX_NSID_ALL, 0, false, 0, s, sizeof(*s)) == 0) {
		t = (unsigned)s->temperature[1] << 8 | s->temperature[0];
		if (o) {
			json_object_object_add(o, "critical_warning", json_object_new_int(s->critical_warning));
			json_object_object_add(o, "temperature", json_object_new_int((int)t));
			json_object_object_add(o, "avail_spare", json_object_new_int(s->avail_spare));
		} else {
			printf("    critical_warning %#x, temperature %ld°C (%u Kelvin), available spare %u%%\n",
			       s->critical_warning, nvmx_k_to_c(t), t, s->avail_spare);
		}
	}
	free(s);
}

/* Read (and so clear) the log page an event names. */
static void clear_event_log(struct cli_dev *d, uint8_t lid)
{
	void *buf = aligned_alloc(4096, 4096);

	if (buf) {
		(void)cli_get_log(d, lid, NVMX_NSID_ALL, 0, false, 0, buf,
				  lid == NVMX_LID_ERROR ? 64 : 512);
		free(buf);
	}
}

static void show_aen(struct cli_dev *d, const struct nvmx_event *ev, bool json)
{
	const char *type = nvmx_aer_type_name(ev->u.aen.type);
	const char *info = nvmx_aer_info_name(ev->u.aen.type, ev->u.aen.info);
	struct json_object *o = NULL;

	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "time", json_object_new_double(now_s()));
		json_object_object_add(o, "event", json_object_new_string("aen"));
		json_object_object_add(o, "dw0", json_object_new_int64(ev->u.aen.dw0));
		json_object_object_add(o, "type", json_object_new_int(ev->u.aen.type));
		json_object_object_add(o, "type_name", json_object_new_string(type));
		json_object_object_add(o, "info", json_object_new_int(ev->u.aen.info));
		json_object_object_add(o, "info_name", json_object_new_string(info));
		json_object_object_add(o, "log_page", json_object_new_int(ev->u.aen.log_page));
	} else {
		printf("%s: async event: %s: %s (dw0 0x%08x, log page 0x%02x %s)\n", d->name, type, info,
		       ev->u.aen.dw0, ev->u.aen.log_page, nvmx_log_page_name(ev->u.aen.log_page));
	}
	if (ev->u.aen.type == NVMX_AER_TYPE_SMART && ev->u.aen.log_page == NVMX_LID_SMART)
		smart_summary(d, o);
	else if (ev->u.aen.log_page)
		clear_event_log(d, ev->u.aen.log_page);
	if (o) {
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
}

static void show_event(struct cli_dev *d, const struct nvmx_event *ev, bool json)
{
	struct json_object *o;

	if (ev->type == NVMX_EVENT_AEN) {
		show_aen(d, ev, json);
		fflush(stdout);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_double(now_s()));
	switch (ev->type) {
	case NVMX_EVENT_STATE:
		json_object_object_add(o, "event", json_object_new_string("state"));
		json_object_object_add(o, "old", json_object_new_string(nvmx_ctrl_state_str(ev->u.state.old_state)));
		json_object_object_add(o, "new", json_object_new_string(nvmx_ctrl_state_str(ev->u.state.new_state)));
		if (!json)
			printf("%s: state %s -> %s\n", d->name, nvmx_ctrl_state_str(ev->u.state.old_state),
			       nvmx_ctrl_state_str(ev->u.state.new_state));
		break;
	case NVMX_EVENT_TIMEOUT:
		json_object_object_add(o, "event", json_object_new_string("timeout"));
		json_object_object_add(o, "qid", json_object_new_int(ev->u.cmd.qid));
		json_object_object_add(o, "cid", json_object_new_int(ev->u.cmd.cid));
		if (!json)
			printf("%s: command timeout: QID %u CID %u opcode 0x%02x after %u ms\n", d->name,
			       ev->u.cmd.qid, ev->u.cmd.cid, ev->u.cmd.opcode, ev->u.cmd.timeout_ms);
		break;
	default:
		json_object_object_add(o, "event", json_object_new_string("qpair_error"));
		json_object_object_add(o, "qid", json_object_new_int(ev->u.qerr.qid));
		json_object_object_add(o, "error", json_object_new_string(strerror(-ev->u.qerr.err)));
		if (!json)
			printf("%s: queue pair %u failed: %s\n", d->name, ev->u.qerr.qid,
			       strerror(-ev->u.qerr.err));
		break;
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	fflush(stdout);
}

/*
 * Make sure the controller reports what it can (Base 5.27.1.11, Figure
 * 332): the SMART critical warnings and the notices OAES says it
 * supports.  A library that configures this at bring-up leaves nothing
 * to add; a controller that refuses gets a warning, not an error.
 */
static void enable_events(struct cli_dev *d)
{
	uint32_t want = (nvmx_le32_to_cpu(nvmx_ctrl_identify(d->ctrl)->oaes) & ~0xffu) | NVMX_CW_ALL;
	uint32_t cur = 0;
	int rc;

	if (nvmx_get_features_sync(d->ctrl, NVMX_FID_ASYNC_EVENT, 0, &cur) == 0 && (cur & want) == want)
		return;
	rc = nvmx_set_features_sync(d->ctrl, NVMX_FID_ASYNC_EVENT, cur | want, NULL);
	if (rc)
		fprintf(stderr, "nvmx %s: %s: could not enable asynchronous events (0x%08x): %s\n",
			d->cmd, d->name, cur | want, rc > 0 ? nvmx_result_str(rc) : strerror(-rc));
}

int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv)
{
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	uint32_t timeout = 0, count = 0;
	const struct cli_opt opts[] = {
		{ "timeout", 't', OPT_U32, &timeout, "stop after this many seconds (default: never)" },
		{ "count", 'c', OPT_U32, &count, "stop after this many asynchronous events" },
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json (one object a line)" },
		OPT_END,
	};
	struct nvmx_ctrl_opts copts;
	struct mon *m = calloc(1, sizeof(*m));
	struct sigaction sa;
	const char *pos[1];
	struct cli_dev d;
	double end;
	unsigned aens = 0;
	int rc;

	if (!m)
		return CLI_USAGE;
	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_parse_trid(&d, cmd->name, pos[0]))) {
		free(m);
		return rc;
	}
	m->json = fmt == NVMX_OUT_JSON;
	nvmx_ctrl_opts_init(&copts, sizeof(copts));
	copts.nr_io_queues = 1;
	copts.event_cb = on_event;
	copts.event_arg = m;
	rc = nvmx_ctrl_connect(&d.trid, &copts, &d.ctrl);
	if (rc) {
		fprintf(stderr, "nvmx %s: %s: cannot connect: %s\n", cmd->name, d.name, strerror(-rc));
		free(m);
		return CLI_USAGE;
	}
	enable_events(&d);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!m->json)
		printf("%s: monitoring asynchronous events (Ctrl-C to stop)\n", d.name);
	fflush(stdout);
	end = timeout ? now_s() + timeout : 0;
	rc = 0;
	while (!mon_stop && (!end || now_s() < end) && (!count || aens < count)) {
		struct pollfd pfd = { nvmx_ctrl_fd(d.ctrl), POLLIN, 0 };

		poll(&pfd, 1, 200);
		rc = nvmx_ctrl_process_admin(d.ctrl);
		while (m->tail != m->head) {
			const struct nvmx_event *ev = &m->ev[m->tail++ % MON_RING];

			aens += ev->type == NVMX_EVENT_AEN;
			show_event(&d, ev, m->json);
		}
		if (rc < 0)
			break;
	}
	if (m->lost)
		fprintf(stderr, "nvmx %s: %u events lost (more than %u at once)\n", cmd->name, m->lost,
			MON_RING);
	rc = rc < 0 ? cli_result(&d, "Monitoring", rc) : CLI_OK;
	cli_close(&d);
	free(m);
	return rc;
}
