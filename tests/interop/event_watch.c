/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * event_watch TRID SECONDS [RESET_FILE]: connect with the host core, print
 * every event the controller's event callback receives, one line each, for
 * SECONDS, then disconnect.  When RESET_FILE appears it is removed and the
 * controller reset (nvmx_ctrl_reset; prints "reset rc=N").  The interop scripts change the real peer (configfs,
 * QMP) and wait for the line.  Lines:
 *   ready nsids=1,2
 *   state OLD NEW
 *   aen type=T info=0xII lid=0xLL
 *   ns nsid=N change=added|removed|resized|attr
 *   smart cw=0xNN names=a,b new=0xNN
 *   ana grp=G state=S
 *   done
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nvmx/nvmx.h"

static const char *const changes[] = { "added", "removed", "resized", "attr" };

static void on_event(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	char names[128];

	switch (ev->type) {
	case NVMX_EVENT_STATE:
		printf("state %s %s\n", nvmx_ctrl_state_str(ev->u.state.old_state),
		       nvmx_ctrl_state_str(ev->u.state.new_state));
		break;
	case NVMX_EVENT_AEN:
		printf("aen type=%u info=0x%02x lid=0x%02x\n", ev->u.aen.type, ev->u.aen.info,
		       ev->u.aen.log_page);
		break;
	case NVMX_EVENT_NS_CHANGED:
		printf("ns nsid=%u change=%s\n", ev->u.ns.nsid, changes[ev->u.ns.change & 3]);
		break;
	case NVMX_EVENT_SMART:
		nvmx_cw_str(ev->u.smart.critical_warning, names, sizeof(names));
		printf("smart cw=0x%02x names=%s new=0x%02x\n", ev->u.smart.critical_warning,
		       names, ev->u.smart.new_bits);
		break;
	case NVMX_EVENT_ANA_CHANGE:
		printf("ana grp=%u state=%u\n", ev->u.ana.grpid, ev->u.ana.state);
		break;
	default:
		break;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct nvmx_ctrl_opts o;
	struct nvmx_trid trid;
	struct nvmx_ctrl *c;
	struct timespec ts;
	char err[256];
	double end;
	int rc;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s TRID SECONDS [RESET_FILE]\n", argv[0]);
		return 2;
	}
	if (nvmx_trid_parse(&trid, argv[1], err, sizeof(err))) {
		fprintf(stderr, "event_watch: %s\n", err);
		return 2;
	}
	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.nr_io_queues = 1;
	o.event_cb = on_event;
	rc = nvmx_ctrl_connect(&trid, &o, &c);
	if (rc) {
		fprintf(stderr, "event_watch: connect %s: %s\n", argv[1], nvmx_result_str(rc));
		return 1;
	}
	printf("ready nsids=");
	for (unsigned int i = 0; i < nvmx_ctrl_num_ns(c); i++)
		printf("%s%u", i ? "," : "", nvmx_ctrl_ns_at(c, i)->nsid);
	printf("\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	end = (double)ts.tv_sec + ts.tv_nsec / 1e9 + atof(argv[2]);
	for (;;) {
		struct pollfd p = { .fd = nvmx_ctrl_fd(c), .events = POLLIN };

		clock_gettime(CLOCK_MONOTONIC, &ts);
		if ((double)ts.tv_sec + ts.tv_nsec / 1e9 >= end)
			break;
		if (nvmx_ctrl_process_admin(c) < 0 && nvmx_ctrl_get_state(c) == NVMX_CTRL_DEAD)
			break;
		if (argc == 4 && access(argv[3], F_OK) == 0) {
			unlink(argv[3]);
			rc = nvmx_ctrl_reset(c);
			printf("reset rc=%d\n", rc);
			fflush(stdout);
		}
		if (p.fd >= 0)
			poll(&p, 1, 20);
	}
	rc = nvmx_ctrl_disconnect(c);
	printf("done\n");
	return rc ? 1 : 0;
}
