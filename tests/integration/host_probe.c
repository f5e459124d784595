/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny example of the host API (not the CLI): discover or connect to a
 * controller, print what it is and its namespaces, optionally hold the
 * connection for a while.
 *   host_probe TRID [--discover] [--hold SECONDS] [--wait-aen SECONDS]
 *              [--hdgst] [--ddgst]
 * --wait-aen prints "ready", then waits for an asynchronous event and
 * prints it ("aen type T info 0xII log 0xLL"); exit status 3 if none came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvmx/nvmx.h"

static void trim_print(const char *label, const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\0'))
		n--;
	printf("%-10s %.*s\n", label, (int)n, s);
}

static int discover(const struct nvmx_trid *t)
{
	struct nvmx_disc_entry *e;
	unsigned int n;
	uint64_t gen;
	int rc = nvmx_discover(t, NULL, &e, &n, &gen);

	if (rc) {
		fprintf(stderr, "discover: %s\n", nvmx_result_str(rc));
		return 1;
	}
	printf("genctr %llu, %u entries\n", (unsigned long long)gen, n);
	for (unsigned int i = 0; i < n; i++)
		printf("%u: %s trtype %u adrfam %u %s:%s %s\n", i, nvmx_disc_subtype_str(e[i].subtype),
		       e[i].trtype, e[i].adrfam, e[i].traddr, e[i].trsvcid, e[i].subnqn);
	free(e);
	return 0;
}

struct aen_seen {
	bool got;
	struct nvmx_event ev;
};

static void on_event(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	struct aen_seen *a = arg;

	if (ev->type == NVMX_EVENT_AEN && !a->got) {
		a->got = true;
		a->ev = *ev;
	}
}

int main(int argc, char **argv)
{
	struct aen_seen aen = { 0 };
	int wait_aen = 0;
	struct nvmx_ctrl_opts o;
	struct nvmx_trid t;
	struct nvmx_ctrl *c;
	char err[200];
	int hold = 0, rc;
	bool disc = false;

	if (argc < 2 || nvmx_trid_parse(&t, argv[1], err, sizeof(err))) {
		fprintf(stderr, "usage: host_probe TRID [--discover] [--hold S] [--hdgst] [--ddgst]\n%s\n",
			argc < 2 ? "" : err);
		return 2;
	}
	nvmx_ctrl_opts_init(&o, sizeof(o));
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--discover"))
			disc = true;
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			hold = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--wait-aen") && i + 1 < argc)
			wait_aen = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--hdgst"))
			o.hdr_digest = true;
		else if (!strcmp(argv[i], "--ddgst"))
			o.data_digest = true;
	}
	if (disc)
		return discover(&t);
	o.event_cb = on_event;
	o.event_arg = &aen;
	rc = nvmx_ctrl_connect(&t, &o, &c);
	if (rc) {
		fprintf(stderr, "connect: %s\n", nvmx_result_str(rc));
		return 1;
	}
	const struct nvmx_id_ctrl *id = nvmx_ctrl_identify(c);

	trim_print("model", id->mn, sizeof(id->mn));
	trim_print("serial", id->sn, sizeof(id->sn));
	trim_print("firmware", id->fr, sizeof(id->fr));
	printf("%-10s %u\n%-10s %u.%u\n%-10s %u bytes\n", "cntlid", nvmx_ctrl_cntlid(c), "version",
	       nvmx_vs_mjr(nvmx_ctrl_vs(c)), nvmx_vs_mnr(nvmx_ctrl_vs(c)), "max xfer",
	       nvmx_ctrl_max_xfer(c));
	for (unsigned int i = 0; i < nvmx_ctrl_num_ns(c); i++) {
		const struct nvmx_ns_info *ns = nvmx_ctrl_ns_at(c, i);

		printf("ns %u: %llu blocks of %u bytes (+%u metadata)%s%s%s\n", ns->nsid,
		       (unsigned long long)ns->nsze, ns->block_size, ns->md_size,
		       ns->has_nguid ? " nguid" : "", ns->has_eui64 ? " eui64" : "",
		       ns->has_uuid ? " uuid" : "");
	}
	if (wait_aen) {
		printf("ready\n");
		fflush(stdout);
		for (int s = 0; s < wait_aen * 100 && !aen.got; s++) {
			nvmx_ctrl_process_admin(c);
			usleep(10000);
		}
		if (aen.got)
			printf("aen type %u info 0x%02x log 0x%02x\n", aen.ev.u.aen.type,
			       aen.ev.u.aen.info, aen.ev.u.aen.log_page);
		fflush(stdout);
		nvmx_ctrl_disconnect(c);
		return aen.got ? 0 : 3;
	}
	for (int s = 0; s < hold * 10; s++) {
		nvmx_ctrl_process_admin(c);
		usleep(100000);
	}
	return nvmx_ctrl_disconnect(c) ? 1 : 0;
}
