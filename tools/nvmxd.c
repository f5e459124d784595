/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmxd: an NVMe over TCP target.
 *
 *   nvmxd --listen 127.0.0.1:4420 --ram 1G [--nqn NQN] [--allow-host NQN]...
 *   nvmxd --config nvmet.json [--control /run/nvmxd.sock]
 *   nvmxd ctl --control PATH METHOD [PARAMS-JSON]
 *
 * SIGINT/SIGTERM: stop accepting, finish what is in flight, flush, exit 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/target.h"
#include "target/bdev.h"
#include "util/log.h"

#define DEFAULT_NQN "nqn.2024-01.io.nvmx:nvmxd"

int nvmx_ctl_main(int argc, char **argv);

struct opts {
	const char *listen, *nqn, *config, *control, *file;
	const char *hosts[64];
	unsigned nhosts;
	uint64_t ram, null_size, file_size;
	uint32_t blksz;
	unsigned flags;
	struct nvmx_tgt_opts t;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvmxd [options]\n"
		"       nvmxd ctl --control PATH METHOD [PARAMS-JSON]\n"
		"  --listen ADDR:PORT     TCP listener (default 127.0.0.1:4420 with --ram/--file/--null)\n"
		"  --ram SIZE             namespace 1 in memory (e.g. 1G)\n"
		"  --file PATH            namespace 1 on a file or block device\n"
		"  --file-size SIZE       create/extend the file to SIZE\n"
		"  --direct               open the file with O_DIRECT\n"
		"  --null SIZE            namespace 1 reads zeroes, discards writes\n"
		"  --block-size N         512 or 4096 (default 512)\n"
		"  --nqn NQN              subsystem NQN (default " DEFAULT_NQN ")\n"
		"  --allow-host NQN       only these hosts may connect (repeatable)\n"
		"  --config FILE          nvmetcli 'save' JSON\n"
		"  --control PATH         JSON-RPC control socket\n"
		"  --threads N            event loop threads (default 1)\n"
		"  --cpu N                pin loop threads from CPU N on (implies --busy-poll)\n"
		"  --busy-poll            loops spin instead of sleeping in epoll\n"
		"  --no-busy-poll         loops sleep in epoll, also when pinned\n"
		"  --idle-us N            busy-poll: sleep again after N us without events\n"
		"                         (default 1000; 0 = spin forever)\n"
		"  --log LEVEL            error, warn, info, debug\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "listen", 1, 0, 'l' }, { "ram", 1, 0, 'r' }, { "file", 1, 0, 'f' },
		{ "file-size", 1, 0, 'S' }, { "direct", 0, 0, 'D' }, { "null", 1, 0, 'n' },
		{ "block-size", 1, 0, 'b' }, { "nqn", 1, 0, 'q' }, { "allow-host", 1, 0, 'a' },
		{ "config", 1, 0, 'c' }, { "control", 1, 0, 'C' }, { "threads", 1, 0, 't' },
		{ "cpu", 1, 0, 'p' }, { "busy-poll", 0, 0, 'B' }, { "log", 1, 0, 'L' },
		{ "no-busy-poll", 0, 0, 'N' }, { "idle-us", 1, 0, 'I' },
		{ "help", 0, 0, 'h' }, { 0 }
	};
	int ch, lvl, li = 0, busy = -1;
	char *end;
	unsigned long ul;

	o->blksz = 512;
	o->t.cpu = -1;
	o->t.idle_us = 1000;
	while ((ch = getopt_long(argc, argv, "h", lo, &li)) != -1) {
		switch (ch) {
		case 'l': o->listen = optarg; break;
		case 'r': if (nvmx_parse_size(optarg, &o->ram)) goto bad; break;
		case 'n': if (nvmx_parse_size(optarg, &o->null_size)) goto bad; break;
		case 'S': if (nvmx_parse_size(optarg, &o->file_size)) goto bad; break;
		case 'f': o->file = optarg; break;
		case 'D': o->flags |= NVMX_BDEV_DIRECT; break;
		case 'b': o->blksz = (uint32_t)strtoul(optarg, NULL, 0);
			  if (o->blksz != 512 && o->blksz != 4096) goto bad;
			  break;
		case 'q': o->nqn = optarg; break;
		case 'a': if (o->nhosts == 64) goto bad;
			  o->hosts[o->nhosts++] = optarg;
			  break;
		case 'c': o->config = optarg; break;
		case 'C': o->control = optarg; break;
		case 't': o->t.threads = (unsigned)strtoul(optarg, NULL, 0);
			  if (o->t.threads < 1 || o->t.threads > 64) goto bad;
			  break;
		case 'p': o->t.cpu = atoi(optarg); break;
		case 'B': busy = 1; break;
		case 'N': busy = 0; break;
		case 'I': ul = strtoul(optarg, &end, 0);
			  if (*end || optarg[0] == '-' || ul > 60000000ul) goto bad;
			  o->t.idle_us = (uint32_t)ul;
			  break;
		case 'L': lvl = nvmx_log_parse_level(optarg);
			  if (lvl < NVMX_LOG_OFF) goto bad;
			  nvmx_log_set_level((enum nvmx_log_level)lvl);
			  break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	/* Pinned loops own their CPU: poll by default, as SPDK's reactors do. */
	o->t.busy_poll = busy >= 0 ? busy == 1 : o->t.cpu >= 0;
	if (optind != argc) {
		fprintf(stderr, "nvmxd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "nvmxd: invalid value '%s' for --%s\n", optarg, lo[li].name);
	return -1;
}

static int open_backend(const struct opts *o, struct nvmx_bdev **b)
{
	if (o->ram)
		return nvmx_bdev_open_ram(o->ram, o->blksz, b);
	if (o->null_size)
		return nvmx_bdev_open_null(o->null_size, o->blksz, b);
	return nvmx_bdev_open_file(o->file, o->file_size, o->blksz,
				   o->flags | (o->file_size ? NVMX_BDEV_CREATE : 0), b);
}

/* The quick form: one subsystem, one namespace, one port. */
static int setup_quick(struct nvmx_tgt *t, const struct opts *o)
{
	const char *listen = o->listen ? o->listen : "127.0.0.1:4420";
	const char *colon = strrchr(listen, ':');
	struct nvmx_tgt_subsys *s;
	struct nvmx_tgt_port *p;
	struct nvmx_bdev *b;
	char addr[64];
	int rc;

	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(addr)) {
		fprintf(stderr, "nvmxd: --listen wants ADDR:PORT, got '%s'\n", listen);
		return -EINVAL;
	}
	snprintf(addr, sizeof(addr), "%.*s", (int)(colon - listen), listen);
	if (addr[0] == '[') {	/* [v6]:port */
		memmove(addr, addr + 1, strlen(addr));
		addr[strlen(addr) - 1] = '\0';
	}
	rc = nvmx_tgt_subsys_add(t, o->nqn ? o->nqn : DEFAULT_NQN, &s);
	if (rc) {
		fprintf(stderr, "nvmxd: subsystem %s: %s\n", o->nqn ? o->nqn : DEFAULT_NQN,
			strerror(-rc));
		return rc;
	}
	if (o->nhosts)
		nvmx_tgt_subsys_set_allow_any(s, false);
	for (unsigned i = 0; i < o->nhosts; i++)
		if ((rc = nvmx_tgt_subsys_allow_host(s, o->hosts[i])) != 0)
			return rc;
	if (o->ram || o->file || o->null_size) {
		rc = open_backend(o, &b);
		if (rc) {
			fprintf(stderr, "nvmxd: backend: %s\n", strerror(-rc));
			return rc;
		}
		if ((rc = nvmx_tgt_ns_add(s, 1, b, NULL, NULL)) != 0)
			return rc;
	}
	rc = nvmx_tgt_port_add(t, 1, addr, colon + 1, &p);
	return rc ? rc : nvmx_tgt_port_link(p, s);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct nvmx_tgt *t;
	sigset_t set;
	char err[512];
	int rc, sig;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return nvmx_ctl_main(argc - 1, argv + 1);
	nvmx_log_set_prefix("nvmxd");
	if (parse(argc, argv, &o))
		return 2;
	if (!o.config && !o.ram && !o.file && !o.null_size) {
		fprintf(stderr, "nvmxd: give a backend (--ram, --file, --null) or --config\n");
		return 2;
	}
	/* Signals are taken by sigwait below; every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((rc = nvmx_tgt_new(&o.t, &t)) != 0)
		return 1;
	if (o.config && (rc = nvmx_tgt_load_config(t, o.config, err, sizeof(err))) != 0) {
		fprintf(stderr, "nvmxd: %s: %s\n", o.config, err);
		nvmx_tgt_free(t);
		return 1;
	}
	if ((o.ram || o.file || o.null_size || o.listen) && (rc = setup_quick(t, &o)) != 0) {
		nvmx_tgt_free(t);
		return 1;
	}
	if ((rc = nvmx_tgt_start(t)) != 0) {
		fprintf(stderr, "nvmxd: cannot start: %s\n", strerror(-rc));
		nvmx_tgt_free(t);
		return 1;
	}
	if (o.control && (rc = nvmx_tgt_control_start(t, o.control)) != 0) {
		fprintf(stderr, "nvmxd: control socket %s: %s\n", o.control, strerror(-rc));
		nvmx_tgt_free(t);
		return 1;
	}
	/* One line per listener on stdout: scripts and tests read the port. */
	for (struct nvmx_tgt_port *p = nvmx_tgt_port_next(t, NULL); p; p = nvmx_tgt_port_next(t, p))
		printf("nvmxd: listening on %s:%d\n", nvmx_tgt_port_traddr(p), nvmx_tgt_port_bound(p));
	fflush(stdout);
	nvmx_info("ready");
	do {
		rc = sigwait(&set, &sig);
	} while (rc == EINTR);
	nvmx_info("signal %d: stopping", sig);
	nvmx_tgt_free(t);
	return 0;
}
