/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx-perf: spdk_nvme_perf's options and report over libnvmx.
 *   nvmx-perf -r 'trtype:TCP traddr:127.0.0.1 trsvcid:4420 subnqn:...' \
 *             -q 32 -o 4096 -w randread -t 5 [-c 2] [-L] [--json] [--verify]
 * Exit status: 0 success, 1 I/O errors or verify mismatches, 2 usage or
 * connection error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/log.h"
#include "nvmx-perf.h"

#define MAX_CTRLS 16

static const char *const pattern_names[] = {
	[PAT_READ] = "read", [PAT_WRITE] = "write", [PAT_RANDREAD] = "randread",
	[PAT_RANDWRITE] = "randwrite", [PAT_RW] = "rw", [PAT_RANDRW] = "randrw",
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvmx-perf -r TRID [-r TRID ...] [options]\n"
		"  -r, --transport-id TRID  controller: tcp://HOST:PORT/NQN, pcie://BDF, or\n"
		"                           'trtype:TCP traddr:A trsvcid:P subnqn:N' (repeatable)\n"
		"  -q, --io-depth N         commands in flight per namespace per thread (default 32)\n"
		"  -o, --io-size BYTES      I/O size (default 4096)\n"
		"  -w, --io-pattern P       read, write, randread, randwrite, rw, randrw\n"
		"  -M, --rwmixread PCT      reads in percent for rw/randrw (default 50)\n"
		"  -t, --time SEC           run time in seconds (default 10)\n"
		"  -c, --threads N          worker threads, one queue pair each per controller (default 1)\n"
		"      --cpu LIST           pin worker i to the i-th CPU of LIST (e.g. 1 or 2-3,6);\n"
		"                           pinned workers busy-poll\n"
		"      --busy-poll, --no-busy-poll  spin on the queue pairs, or sleep in poll() whenever\n"
		"                           a pass finds nothing (default: spin when pinned)\n"
		"      --idle-us N          a busy-polling worker sleeps after N us with nothing to do\n"
		"                           (default 1000; 0: never)\n"
		"  -L, --enable-sw-latency-tracking  more percentiles; -LL the whole histogram\n"
		"      --json               results as JSON\n"
		"      --verify             stamp every block written (LBA, generation) and check reads;\n"
		"                           each thread works on its own slice of the namespace\n"
		"      --seed N             random seed (default: from the clock)\n"
		"  -h, --help\n");
}

static int parse_num(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;
	uint64_t mul = 1;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	if (errno || *end || s[0] == '-' || x * mul < min || x * mul > max) {
		fprintf(stderr, "nvmx-perf: %s: '%s' is not a number in %" PRIu64 "..%" PRIu64 "\n",
			opt, s, min, max);
		return -1;
	}
	*v = x * mul;
	return 0;
}

static int parse_pattern(const char *s, enum perf_pattern *p)
{
	unsigned i;

	for (i = 0; i < sizeof(pattern_names) / sizeof(pattern_names[0]); i++)
		if (!strcmp(s, pattern_names[i]))
			return *p = (enum perf_pattern)i, 0;
	fprintf(stderr, "nvmx-perf: -w: '%s' is not read, write, randread, randwrite, rw or randrw\n", s);
	return -1;
}

enum { OPT_JSON = 256, OPT_VERIFY, OPT_SEED, OPT_CPU, OPT_BUSY, OPT_NO_BUSY, OPT_IDLE };

/* "1", "0-3", "2,4-5": into cfg->cpus. */
static int parse_cpus(const char *s, struct perf_cfg *cfg)
{
	const char *p = s;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	cfg->ncpus = 0;
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p || a < 0)
			goto bad;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a)
				goto bad;
		}
		for (long c = a; c <= b; c++) {
			if (c >= CPU_SETSIZE || (ncpu > 0 && c >= ncpu)) {
				fprintf(stderr, "nvmx-perf: --cpu: CPU %ld does not exist\n", c);
				return -1;
			}
			if (cfg->ncpus == sizeof(cfg->cpus) / sizeof(cfg->cpus[0]))
				goto bad;
			cfg->cpus[cfg->ncpus++] = (int)c;
		}
		if (*end == ',')
			end++;
		else if (*end)
			goto bad;
		p = end;
	}
	if (cfg->ncpus)
		return 0;
bad:
	fprintf(stderr, "nvmx-perf: --cpu: '%s' is not a CPU list such as 1 or 0-3,6\n", s);
	return -1;
}

static int parse_args(int argc, char **argv, struct perf_cfg *cfg, const char **trids, unsigned *ntrids)
{
	static const struct option lo[] = {
		{ "transport-id", required_argument, NULL, 'r' },
		{ "io-depth", required_argument, NULL, 'q' },
		{ "io-size", required_argument, NULL, 'o' },
		{ "io-pattern", required_argument, NULL, 'w' },
		{ "rwmixread", required_argument, NULL, 'M' },
		{ "time", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'c' },
		{ "enable-sw-latency-tracking", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "busy-poll", no_argument, NULL, OPT_BUSY },
		{ "no-busy-poll", no_argument, NULL, OPT_NO_BUSY },
		{ "idle-us", required_argument, NULL, OPT_IDLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_w = false;
	int busy = -1;
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "r:q:o:w:M:t:c:Lh", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (*ntrids == MAX_CTRLS) {
				fprintf(stderr, "nvmx-perf: at most %d -r\n", MAX_CTRLS);
				return 2;
			}
			trids[(*ntrids)++] = optarg;
			break;
		case 'q': if (parse_num("-q", optarg, 1, 4096, &v)) return 2; cfg->depth = (unsigned)v; break;
		case 'o': if (parse_num("-o", optarg, 512, 16u << 20, &v)) return 2; cfg->io_size = (uint32_t)v; break;
		case 'w': if (parse_pattern(optarg, &cfg->pattern)) return 2; have_w = true; break;
		case 'M': if (parse_num("-M", optarg, 0, 100, &v)) return 2; cfg->read_pct = (unsigned)v; break;
		case 't': if (parse_num("-t", optarg, 1, 86400, &v)) return 2; cfg->seconds = (unsigned)v; break;
		case 'c': if (parse_num("-c", optarg, 1, 256, &v)) return 2; cfg->threads = (unsigned)v; break;
		case 'L': cfg->hist_level++; break;
		case OPT_JSON: cfg->json = true; break;
		case OPT_VERIFY: cfg->verify = true; break;
		case OPT_SEED: if (parse_num("--seed", optarg, 0, UINT64_MAX, &v)) return 2; cfg->seed = v; break;
		case OPT_CPU: if (parse_cpus(optarg, cfg)) return 2; break;
		case OPT_BUSY: busy = 1; break;
		case OPT_NO_BUSY: busy = 0; break;
		case OPT_IDLE: if (parse_num("--idle-us", optarg, 0, 10000000, &v)) return 2; cfg->idle_us = (uint32_t)v; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 2;
		}
	}
	cfg->busy_poll = busy >= 0 ? busy == 1 : cfg->ncpus > 0;
	if (optind != argc || !*ntrids || !have_w) {
		fprintf(stderr, "nvmx-perf: need at least one -r TRID and -w PATTERN%s\n",
			optind != argc ? " (and no stray arguments)" : "");
		return 2;
	}
	if (cfg->verify && (cfg->pattern == PAT_READ || cfg->pattern == PAT_RANDREAD))
		fprintf(stderr, "nvmx-perf: --verify with a read-only pattern checks nothing written in this run\n");
	return 0;
}

static int connect_all(struct perf_run *run, const char **trids, unsigned n)
{
	struct nvmx_ctrl_opts opts;
	char err[256];
	unsigned i;
	int rc;

	run->ctrls = calloc(n, sizeof(*run->ctrls));
	if (!run->ctrls)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct perf_ctrl *pc = &run->ctrls[i];

		if (nvmx_trid_parse(&pc->trid, trids[i], err, sizeof(err))) {
			fprintf(stderr, "nvmx-perf: bad transport ID '%s': %s\n", trids[i], err);
			return -EINVAL;
		}
		nvmx_trid_format(&pc->trid, pc->name, sizeof(pc->name));
		nvmx_ctrl_opts_init(&opts, sizeof(opts));
		opts.nr_io_queues = run->cfg.threads;
		opts.ctrl_loss_tmo = 0;
		opts.disable_sqflow = true;	/* reads end with their data: one PDU less */
		rc = nvmx_ctrl_connect(&pc->trid, &opts, &pc->ctrl);
		if (rc) {
			fprintf(stderr, "nvmx-perf: %s: cannot connect: %s\n", pc->name, strerror(-rc));
			pc->ctrl = NULL;
			return rc;
		}
		run->nctrls++;
		if (!nvmx_ctrl_num_ns(pc->ctrl))
			fprintf(stderr, "nvmx-perf: %s: no active namespace\n", pc->name);
		if (nvmx_ctrl_max_io_queues(pc->ctrl) < run->cfg.threads) {
			fprintf(stderr, "nvmx-perf: %s: granted %u I/O queues, %u threads need as many\n",
				pc->name, nvmx_ctrl_max_io_queues(pc->ctrl), run->cfg.threads);
			return -ENOSPC;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Report                                                             */
/* ------------------------------------------------------------------ */

#define NAME_LEN 700

static void job_name(const struct perf_job *j, char *buf, size_t len)
{
	const struct nvmx_trid *t = &j->pc->trid;

	if (t->trtype == NVMX_TRTYPE_PCIE)
		snprintf(buf, len, "PCIE (%s) NSID %u from thread %2u", t->traddr, j->nsid, j->w->id);
	else
		snprintf(buf, len, "TCP (addr:%s:%s subnqn:%s) NSID %u from thread %2u", t->traddr,
			 t->trsvcid, t->subnqn, j->nsid, j->w->id);
}

static double secs(const struct perf_worker *w)
{
	double s = (double)(w->end_ns - w->start_ns) / 1e9;

	return s > 0 ? s : 1e-9;
}

static const double pcts[] = { 50, 90, 99, 99.9, 99.99 };
static const char *const pct_keys[] = { "p50", "p90", "p99", "p99.9", "p99.99" };
#define NPCT 5

static void text_row(const char *name, int width, const struct perf_stats *s, double sec)
{
	printf("%-*s: %10.2f %10.2f %10.2f %10.2f %10.2f\n", width, name, (double)s->ios / sec,
	       (double)s->bytes / sec / 1048576.0, nvmx_hist_mean(&s->hist) / 1e3,
	       s->hist.count ? (double)s->hist.min / 1e3 : 0.0, (double)s->hist.max / 1e3);
}

static void pct_row(const char *name, int width, const struct nvmx_hist *h)
{
	unsigned k;

	printf("%-*s:", width, name);
	for (k = 0; k < NPCT; k++)
		printf(" %10.2f", (double)nvmx_hist_percentile(h, pcts[k]) / 1e3);
	printf("\n");
}

/* SPDK's -LL: every non-empty bucket with its cumulative share. */
static void hist_dump(const char *name, const struct nvmx_hist *h)
{
	uint64_t seen = 0, lo, w;
	int i = -1;

	printf("\nLatency histogram for %s\n", name);
	printf("%26s  %-12s %s\n", "Range in us", "Cumulative", "IO count");
	while ((i = nvmx_hist_next(h, (unsigned)(i + 1))) >= 0) {
		nvmx_hist_bucket_range((unsigned)i, &lo, &w);
		seen += h->bucket[i];
		printf("%12.3f - %12.3f: %9.4f%%  (%8" PRIu64 ")\n", (double)lo / 1e3,
		       (double)(lo + w) / 1e3, 100.0 * (double)seen / (double)h->count, h->bucket[i]);
	}
}

static void add_stats(struct perf_stats *dst, const struct perf_stats *s)
{
	dst->ios += s->ios;
	dst->bytes += s->bytes;
	dst->errors += s->errors;
	dst->verify_blocks += s->verify_blocks;
	dst->verify_mismatches += s->verify_mismatches;
	nvmx_hist_merge(&dst->hist, &s->hist);
}

static void report_text(const struct perf_run *run, const struct perf_stats *tot, double tsec)
{
	char name[NAME_LEN];
	int width = 40;
	unsigned i, k;

	for (i = 0; i < run->cfg.threads; i++)
		for (k = 0; k < run->workers[i].njobs; k++) {
			job_name(&run->workers[i].jobs[k], name, sizeof(name));
			if ((int)strlen(name) > width)
				width = (int)strlen(name);
		}
	printf("========================================================\n");
	printf("%*s%s\n", width + 36, "", "Latency(us)");
	printf("%-*s: %10s %10s %10s %10s %10s\n", width, "Device Information", "IOPS", "MiB/s",
	       "Average", "min", "max");
	for (i = 0; i < run->cfg.threads; i++)
		for (k = 0; k < run->workers[i].njobs; k++) {
			const struct perf_job *j = &run->workers[i].jobs[k];

			job_name(j, name, sizeof(name));
			text_row(name, width, &j->st, secs(&run->workers[i]));
		}
	printf("========================================================\n");
	text_row("Total", width, tot, tsec);
	printf("\n%-*s: %10s %10s %10s %10s %10s\n", width, "Latency percentiles (us)", "p50", "p90",
	       "p99", "p99.9", "p99.99");
	for (i = 0; i < run->cfg.threads; i++)
		for (k = 0; k < run->workers[i].njobs; k++) {
			job_name(&run->workers[i].jobs[k], name, sizeof(name));
			pct_row(name, width, &run->workers[i].jobs[k].st.hist);
		}
	pct_row("Total", width, &tot->hist);
	if (run->cfg.hist_level >= 1) {
		printf("\nSummary latency data for all namespaces (bounded relative error %.2f%%):\n",
		       100.0 * NVMX_HIST_REL_ERR);
		static const double more[] = { 1, 10, 25, 50, 75, 90, 95, 98, 99, 99.5, 99.9, 99.99, 99.999 };
		for (k = 0; k < sizeof(more) / sizeof(more[0]); k++)
			printf("%10.5f%% : %12.3fus\n", more[k],
			       (double)nvmx_hist_percentile(&tot->hist, more[k]) / 1e3);
	}
	if (run->cfg.hist_level >= 2)
		hist_dump("all namespaces", &tot->hist);
	if (tot->errors)
		printf("\n%" PRIu64 " I/O errors\n", tot->errors);
	if (run->cfg.verify)
		printf("\nverify: %" PRIu64 " blocks read back and checked, %" PRIu64 " mismatches\n",
		       tot->verify_blocks, tot->verify_mismatches);
}

static struct json_object *stats_json(const struct perf_stats *s, double sec)
{
	struct json_object *o = json_object_new_object(), *lat = json_object_new_object();
	unsigned k;

	json_object_object_add(o, "ios", json_object_new_int64((int64_t)s->ios));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)s->bytes));
	json_object_object_add(o, "seconds", json_object_new_double(sec));
	json_object_object_add(o, "iops", json_object_new_double((double)s->ios / sec));
	json_object_object_add(o, "mibps", json_object_new_double((double)s->bytes / sec / 1048576.0));
	json_object_object_add(o, "errors", json_object_new_int64((int64_t)s->errors));
	json_object_object_add(o, "verify_blocks", json_object_new_int64((int64_t)s->verify_blocks));
	json_object_object_add(o, "verify_mismatches", json_object_new_int64((int64_t)s->verify_mismatches));
	json_object_object_add(lat, "avg", json_object_new_double(nvmx_hist_mean(&s->hist) / 1e3));
	json_object_object_add(lat, "min", json_object_new_double(s->hist.count ? (double)s->hist.min / 1e3 : 0));
	json_object_object_add(lat, "max", json_object_new_double((double)s->hist.max / 1e3));
	for (k = 0; k < NPCT; k++)
		json_object_object_add(lat, pct_keys[k],
				       json_object_new_double((double)nvmx_hist_percentile(&s->hist, pcts[k]) / 1e3));
	json_object_object_add(o, "latency_us", lat);
	return o;
}

/* Where each worker's time went: passes that found no work are waiting
 * for the controller (busy polling), the rest is work. */
static struct json_object *threads_json(const struct perf_run *run)
{
	struct json_object *arr = json_object_new_array();
	unsigned i;

	for (i = 0; i < run->cfg.threads; i++) {
		const struct perf_worker *w = &run->workers[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "thread", json_object_new_int((int)i));
		json_object_object_add(o, "seconds", json_object_new_double(secs(w)));
		json_object_object_add(o, "polls", json_object_new_int64((int64_t)w->polls));
		json_object_object_add(o, "idle_polls", json_object_new_int64((int64_t)w->idle_polls));
		json_object_object_add(o, "spin_seconds", json_object_new_double((double)w->spin_ns / 1e9));
		json_object_object_add(o, "sleeps", json_object_new_int64((int64_t)w->sleeps));
		json_object_object_add(o, "sleep_seconds", json_object_new_double((double)w->sleep_ns / 1e9));
		if (w->cfg->ncpus)
			json_object_object_add(o, "cpu", json_object_new_int(w->cfg->cpus[w->id % w->cfg->ncpus]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void report_json(const struct perf_run *run, const struct perf_stats *tot, double tsec)
{
	struct json_object *root = json_object_new_object(), *cfg = json_object_new_object();
	struct json_object *res = json_object_new_array();
	unsigned i, k;

	json_object_object_add(cfg, "io_depth", json_object_new_int((int)run->cfg.depth));
	json_object_object_add(cfg, "io_size", json_object_new_int64(run->cfg.io_size));
	json_object_object_add(cfg, "io_pattern", json_object_new_string(pattern_names[run->cfg.pattern]));
	json_object_object_add(cfg, "rwmixread", json_object_new_int((int)run->cfg.read_pct));
	json_object_object_add(cfg, "time", json_object_new_int((int)run->cfg.seconds));
	json_object_object_add(cfg, "threads", json_object_new_int((int)run->cfg.threads));
	json_object_object_add(cfg, "verify", json_object_new_boolean(run->cfg.verify));
	json_object_object_add(cfg, "latency_rel_err", json_object_new_double(NVMX_HIST_REL_ERR));
	json_object_object_add(root, "config", cfg);
	for (i = 0; i < run->cfg.threads; i++)
		for (k = 0; k < run->workers[i].njobs; k++) {
			const struct perf_job *j = &run->workers[i].jobs[k];
			struct json_object *o = stats_json(&j->st, secs(&run->workers[i]));

			json_object_object_add(o, "controller", json_object_new_string(j->pc->name));
			json_object_object_add(o, "nsid", json_object_new_int64(j->nsid));
			json_object_object_add(o, "thread", json_object_new_int((int)i));
			json_object_array_add(res, o);
		}
	json_object_object_add(root, "results", res);
	json_object_object_add(root, "total", stats_json(tot, tsec));
	json_object_object_add(root, "threads", threads_json(run));
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
	json_object_put(root);
}

/* ------------------------------------------------------------------ */
/* Run                                                                */
/* ------------------------------------------------------------------ */

/* Ctrl-C ends the run early; the results so far are reported. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The main thread: keep-alive on every admin queue, progress once a second
 * on a terminal, stop after -t seconds. */
static void supervise(struct perf_run *run)
{
	bool tty = isatty(STDOUT_FILENO) && !run->cfg.json;
	uint64_t start = perf_now_ns(), end = start + (uint64_t)run->cfg.seconds * 1000000000ull;
	uint64_t next = start + 1000000000ull, last_ios = 0;
	unsigned i;

	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (perf_now_ns() < end && !interrupted) {
		sleep_ms(50);
		for (i = 0; i < run->nctrls; i++)
			nvmx_ctrl_process_admin(run->ctrls[i].ctrl);
		if (tty && perf_now_ns() >= next) {
			uint64_t ios = 0;

			for (i = 0; i < run->cfg.threads; i++)
				ios += atomic_load_explicit(&run->workers[i].done_ios, memory_order_relaxed);
			printf("\r%4u s: %12.2f IOPS, %10.2f MiB/s ", (unsigned)((next - start) / 1000000000ull),
			       (double)(ios - last_ios), (double)(ios - last_ios) * run->cfg.io_size / 1048576.0);
			fflush(stdout);
			last_ios = ios;
			next += 1000000000ull;
		}
	}
	atomic_store(&run->stop, true);
	if (tty)
		printf("\r%60s\r", "");
}

static int run_workers(struct perf_run *run)
{
	struct perf_worker_arg *args = calloc(run->cfg.threads, sizeof(*args));
	pthread_t *th = calloc(run->cfg.threads, sizeof(*th));
	unsigned i, started = 0;
	int rc = 0;

	if (!args || !th) {
		free(args);
		free(th);
		return -ENOMEM;
	}
	for (i = 0; i < run->cfg.threads; i++) {
		args[i].run = run;
		args[i].w = &run->workers[i];
		if (pthread_create(&th[i], NULL, perf_worker_main, &args[i])) {
			atomic_store(&run->stop, true);
			rc = -EAGAIN;
			break;
		}
		started++;
	}
	if (!rc)
		supervise(run);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(args);
	free(th);
	return rc;
}

static int summarize(struct perf_run *run)
{
	struct perf_stats *tot = calloc(1, sizeof(*tot));
	double tsec = 0;
	unsigned i, k;
	int rc = 0;

	if (!tot)
		return 2;
	nvmx_hist_init(&tot->hist);
	for (i = 0; i < run->cfg.threads; i++) {
		struct perf_worker *w = &run->workers[i];

		if (secs(w) > tsec)
			tsec = secs(w);
		if (w->pin_failed)
			fprintf(stderr, "nvmx-perf: thread %u: could not be pinned to CPU %d\n", i,
				run->cfg.cpus[i % run->cfg.ncpus]);
		if (w->err) {
			fprintf(stderr, "nvmx-perf: thread %u: queue pair failed: %s\n", i, strerror(-w->err));
			rc = 2;
		}
		for (k = 0; k < w->njobs; k++) {
			struct perf_job *j = &w->jobs[k];
			char name[NAME_LEN];

			add_stats(tot, &j->st);
			job_name(j, name, sizeof(name));
			if (j->st.errors)
				fprintf(stderr, "nvmx-perf: %s: %" PRIu64 " commands failed, first: %s\n", name,
					j->st.errors, j->first_status > 0 ? nvmx_result_str(j->first_status)
									  : strerror(-j->first_status));
			if (j->st.verify_mismatches)
				fprintf(stderr, "nvmx-perf: %s: verify: %" PRIu64 " blocks differ, first LBA %"
					PRIu64 ": %s (want generation %u, read %u, stamp LBA %" PRIu64 ")\n",
					name, j->st.verify_mismatches, j->first_err.lba, j->first_err.why,
					j->first_err.want_gen, j->first_err.got_gen, j->first_err.got_lba);
		}
	}
	if (run->cfg.json)
		report_json(run, tot, tsec);
	else
		report_text(run, tot, tsec);
	if (!rc && (tot->errors || tot->verify_mismatches))
		rc = 1;
	free(tot);
	return rc;
}

int main(int argc, char **argv)
{
	struct perf_run *run = calloc(1, sizeof(*run));
	const char *trids[MAX_CTRLS];
	unsigned ntrids = 0, i;
	int rc;

	if (!run)
		return 2;
	run->cfg = (struct perf_cfg){ .depth = 32, .io_size = 4096, .read_pct = 50, .seconds = 10,
				      .threads = 1, .seed = perf_now_ns(), .idle_us = 1000 };
	nvmx_log_set_prefix("nvmx-perf");
	if (!getenv("NVMX_LOG"))
		nvmx_log_set_level(NVMX_LOG_ERR);
	rc = parse_args(argc, argv, &run->cfg, trids, &ntrids);
	if (rc) {
		free(run);
		return rc < 0 ? 0 : rc;
	}
	rc = connect_all(run, trids, ntrids) ? 2 : 0;
	run->workers = calloc(run->cfg.threads, sizeof(*run->workers));
	if (!rc && !run->workers)
		rc = 2;
	for (i = 0; !rc && i < run->cfg.threads; i++) {
		run->workers[i].id = i;
		int err = perf_worker_init(run, &run->workers[i]);

		if (err) {
			fprintf(stderr, "nvmx-perf: thread %u: setup failed: %s%s\n", i, strerror(-err),
				err == -EINVAL ? " (I/O size not a multiple of the block size, or blocks "
				"too small for --verify)" : "");
			rc = 2;
		}
	}
	if (!rc && !run->cfg.json)
		printf("Running nvmx-perf: %u thread%s, queue depth %u, %u-byte %s%s for %u s%s; %s\n",
		       run->cfg.threads, run->cfg.threads == 1 ? "" : "s", run->cfg.depth,
		       run->cfg.io_size, pattern_names[run->cfg.pattern],
		       run->cfg.pattern == PAT_RW || run->cfg.pattern == PAT_RANDRW ? " (mixed)" : "",
		       run->cfg.seconds, run->cfg.verify ? ", verifying" : "",
		       run->cfg.busy_poll ? "busy-polling" :
		       "sleeping when idle (--cpu N pins and busy-polls)");
	if (!rc && run_workers(run))
		rc = 2;
	if (!rc)
		rc = summarize(run);
	for (i = 0; run->workers && i < run->cfg.threads; i++)
		perf_worker_fini(&run->workers[i]);
	for (i = 0; i < run->nctrls; i++)
		nvmx_ctrl_disconnect(run->ctrls[i].ctrl);
	free(run->workers);
	free(run->ctrls);
	free(run);
	return rc;
}
