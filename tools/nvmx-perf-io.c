/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx-perf's I/O engine: per job a ring of preallocated tasks, submitted
 * from the worker loop and completed from nvmx_qpair_poll; latency from
 * submission to completion callback into the job's histogram.  The loop
 * busy-polls while anything is in flight (the fast path on loopback, see
 * DESIGN.md "Host model").
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvmx-perf.h"

#define VERIFY_MAX_BLOCKS (1u << 24)	/* map of at most 64 MiB per job */

uint64_t perf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(uint64_t *s)	/* xorshift64* */
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static bool pattern_random(enum perf_pattern p)
{
	return p == PAT_RANDREAD || p == PAT_RANDWRITE || p == PAT_RANDRW;
}

static bool pick_read(struct perf_job *j)
{
	switch (j->w->cfg->pattern) {
	case PAT_READ: case PAT_RANDREAD: return true;
	case PAT_WRITE: case PAT_RANDWRITE: return false;
	default: return rnd(&j->rng) % 100 < j->w->cfg->read_pct;
	}
}

static uint64_t pick_lba(struct perf_job *j)
{
	uint64_t slots = j->nblocks / j->io_blocks, s;

	if (pattern_random(j->w->cfg->pattern)) {
		s = rnd(&j->rng) % slots;
	} else {
		s = j->seq_next++;
		if (j->seq_next >= slots)
			j->seq_next = 0;
	}
	return j->first_lba + s * j->io_blocks;
}

static void io_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct perf_task *t = arg;
	struct perf_job *j = t->job;
	int rc = nvmx_cpl_result(cqe, err);
	struct nvmx_verify_err ve;
	unsigned bad;

	nvmx_hist_add(&j->st.hist, perf_now_ns() - t->start_ns);
	if (rc) {
		j->st.errors++;
		if (!j->first_status)
			j->first_status = rc;
		if (j->w->cfg->verify && !t->is_read)
			nvmx_verify_forget(&j->vmap, t->slba, t->nlb);
	} else {
		j->st.ios++;
		j->st.bytes += (uint64_t)t->nlb * j->block_size;
		if (j->w->cfg->verify && t->is_read) {
			bad = nvmx_verify_check(&j->vmap, t->buf, j->block_size, t->slba, t->nlb, &ve);
			j->st.verify_blocks += t->nlb;
			if (bad && !j->st.verify_mismatches)
				j->first_err = ve;
			j->st.verify_mismatches += bad;
		}
	}
	if (j->w->cfg->verify)
		nvmx_verify_end(&j->vmap, t->slba, t->nlb);
	j->inflight--;
	j->free_tasks[j->nfree++] = t;
}

/* Reserve blocks for a verified command: a few random tries, then give up
 * for this round (every candidate busy with another command). */
static int verify_reserve(struct perf_job *j, struct perf_task *t)
{
	int tries, rc = -EBUSY;

	for (tries = 0; tries < 8 && rc == -EBUSY; tries++) {
		if (tries)
			t->slba = pick_lba(j);
		rc = t->is_read ? nvmx_verify_begin_read(&j->vmap, t->slba, t->nlb)
				: nvmx_verify_begin_write(&j->vmap, t->slba, t->nlb);
	}
	if (rc == 0 && !t->is_read)
		nvmx_verify_stamp(&j->vmap, t->buf, j->block_size, t->slba, t->nlb);
	return rc;
}

static int submit_one(struct perf_job *j)
{
	struct perf_task *t = j->free_tasks[--j->nfree];
	int rc;

	t->is_read = pick_read(j);
	t->slba = pick_lba(j);
	t->nlb = j->io_blocks;
	if (j->w->cfg->verify && (rc = verify_reserve(j, t)) != 0) {
		j->free_tasks[j->nfree++] = t;
		return rc;
	}
	t->start_ns = perf_now_ns();
	rc = t->is_read ? nvmx_ns_read(j->qp, j->nsid, t->buf, t->slba, t->nlb, io_done, t, NULL)
			: nvmx_ns_write(j->qp, j->nsid, t->buf, t->slba, t->nlb, io_done, t, NULL);
	if (rc) {
		if (j->w->cfg->verify)
			nvmx_verify_end(&j->vmap, t->slba, t->nlb);
		j->free_tasks[j->nfree++] = t;
		return rc;
	}
	j->inflight++;
	return 0;
}

/* Keep the job's depth in flight.  -EAGAIN / -EBUSY just wait a round.
 * Returns how many commands went out, or a negative errno. */
static int refill(struct perf_job *j)
{
	int n = 0;

	while (j->nfree) {
		int rc = submit_one(j);

		if (rc == -EAGAIN || rc == -EBUSY) {
			j->starved++;
			return n;
		}
		if (rc)
			return rc;
		n++;
	}
	return n;
}

/* Completions seen, or a negative errno. */
static int poll_all(struct perf_worker *w)
{
	unsigned i;
	int n = 0;

	for (i = 0; i < w->nqps; i++) {
		int rc = nvmx_qpair_poll(w->qps[i], 0);

		if (rc < 0)
			return rc;
		n += rc;
	}
	return n;
}

static unsigned inflight(const struct perf_worker *w)
{
	unsigned i, n = 0;

	for (i = 0; i < w->njobs; i++)
		n += w->jobs[i].inflight;
	return n;
}

static uint64_t total_ios(const struct perf_worker *w)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < w->njobs; i++)
		n += w->jobs[i].st.ios;
	return n;
}

/* Nothing to do for a while: sleep until a queue pair's fd is readable,
 * at most 10 ms (so the stop flag and command deadlines are still seen).
 * A queue pair without an fd (PCIe without interrupts) keeps us polling. */
static void sleep_on_qpairs(struct perf_worker *w)
{
	struct pollfd pfd[16];
	unsigned i, n = 0;
	uint64_t t0;

	for (i = 0; i < w->nqps && n < 16; i++) {
		pfd[n].fd = nvmx_qpair_fd(w->qps[i]);
		pfd[n].events = POLLIN;
		if (pfd[n].fd < 0)
			return;
		n++;
	}
	t0 = perf_now_ns();
	poll(pfd, n, 10);
	w->sleeps++;
	w->sleep_ns += perf_now_ns() - t0;
}

static void pin_worker(struct perf_worker *w)
{
	const struct perf_cfg *cfg = w->cfg;
	cpu_set_t set;

	if (!cfg->ncpus)
		return;
	CPU_ZERO(&set);
	CPU_SET(cfg->cpus[w->id % cfg->ncpus], &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		w->pin_failed = true;
}

void *perf_worker_main(void *arg)
{
	struct perf_worker_arg *a = arg;
	struct perf_worker *w = a->w;
	uint64_t deadline, loops = 0, pass_start;
	unsigned i;
	int rc = 0, work;

	uint64_t idle_ns = w->cfg->busy_poll ? (uint64_t)w->cfg->idle_us * 1000u : 0, idle_since = 0;

	pin_worker(w);
	w->start_ns = pass_start = perf_now_ns();
	while (!atomic_load_explicit(&a->run->stop, memory_order_relaxed)) {
		uint64_t pass_end;

		for (i = 0, work = 0; i < w->njobs && rc >= 0; i++)
			work += (rc = refill(&w->jobs[i]));
		if (rc >= 0)
			work += (rc = poll_all(w));
		if (rc < 0)
			break;
		rc = 0;
		/* A pass that neither submitted nor completed anything was
		 * spent waiting for the target: that spin is the host's idle
		 * time, so bench.py can name the slower half even though a
		 * polling side always looks 100% busy to the kernel. */
		pass_end = perf_now_ns();
		w->polls++;
		if (work) {
			idle_since = 0;
		} else {
			w->spin_ns += pass_end - pass_start;
			w->idle_polls++;
			if (!idle_since)
				idle_since = pass_end;
			if (!w->cfg->busy_poll || (idle_ns && pass_end - idle_since >= idle_ns)) {
				sleep_on_qpairs(w);	/* counted as sleep, not spin */
				pass_end = perf_now_ns();
			}
		}
		pass_start = pass_end;
		if ((++loops & 255) == 0)
			atomic_store_explicit(&w->done_ios, total_ios(w), memory_order_relaxed);
	}
	w->end_ns = perf_now_ns();
	/* drain what is in flight, for at most 10 s */
	deadline = w->end_ns + 10000000000ull;
	while (rc >= 0 && inflight(w) && perf_now_ns() < deadline)
		rc = poll_all(w);
	w->err = rc < 0 ? rc : 0;
	atomic_store_explicit(&w->done_ios, total_ios(w), memory_order_relaxed);
	return NULL;
}

/* The job's region: the whole namespace, or with --verify the worker's
 * own slice of it (so no two workers ever touch the same block). */
static int job_region(struct perf_run *run, struct perf_worker *w, struct perf_job *j,
		      const struct nvmx_ns_info *ns)
{
	uint64_t n = ns->nsze, per;

	j->first_lba = 0;
	j->nblocks = n;
	if (run->cfg.verify) {
		per = n / run->cfg.threads;
		j->first_lba = per * w->id;
		j->nblocks = per < VERIFY_MAX_BLOCKS ? per : VERIFY_MAX_BLOCKS;
	}
	j->nblocks -= j->nblocks % j->io_blocks;
	return j->nblocks >= j->io_blocks ? 0 : -ENOSPC;
}

static int job_init(struct perf_run *run, struct perf_worker *w, struct perf_job *j,
		    struct perf_ctrl *pc, struct nvmx_qpair *qp, const struct nvmx_ns_info *ns)
{
	const struct perf_cfg *cfg = &run->cfg;
	unsigned i;
	int rc;

	memset(j, 0, sizeof(*j));
	j->w = w;
	j->pc = pc;
	j->qp = qp;
	j->nsid = ns->nsid;
	j->block_size = ns->block_size;
	if (!ns->block_size || cfg->io_size % ns->block_size)
		return -EINVAL;
	j->io_blocks = cfg->io_size / ns->block_size;
	if ((rc = job_region(run, w, j, ns)))
		return rc;
	j->rng = cfg->seed ^ (0x9e3779b97f4a7c15ull * (w->id + 1)) ^ ((uint64_t)ns->nsid << 32);
	if (!j->rng)
		j->rng = 1;
	j->seq_next = 0;
	nvmx_hist_init(&j->st.hist);
	j->tasks = calloc(cfg->depth, sizeof(*j->tasks));
	j->free_tasks = calloc(cfg->depth, sizeof(*j->free_tasks));
	if (!j->tasks || !j->free_tasks)
		return -ENOMEM;
	for (i = 0; i < cfg->depth; i++) {
		struct perf_task *t = &j->tasks[i];

		t->job = j;
		t->buf = aligned_alloc(4096, (cfg->io_size + 4095u) & ~4095u);
		if (!t->buf)
			return -ENOMEM;
		memset(t->buf, (int)(i & 0xff), cfg->io_size);	/* fault the pages in now */
		j->free_tasks[j->nfree++] = t;
	}
	if (cfg->verify) {
		if (!nvmx_verify_block_ok(j->block_size))
			return -EINVAL;
		j->vmap.base = j->first_lba;
		j->vmap.nblocks = j->nblocks;
		j->vmap.run_id = cfg->seed ^ perf_now_ns();
		j->vmap.state = calloc(j->nblocks, sizeof(uint32_t));
		if (!j->vmap.state)
			return -ENOMEM;
	}
	return 0;
}

int perf_worker_init(struct perf_run *run, struct perf_worker *w)
{
	unsigned c, k, nj = 0;
	int rc;

	w->cfg = &run->cfg;
	for (c = 0; c < run->nctrls; c++)
		nj += nvmx_ctrl_num_ns(run->ctrls[c].ctrl);
	w->jobs = calloc(nj ? nj : 1, sizeof(*w->jobs));
	w->qps = calloc(run->nctrls, sizeof(*w->qps));
	if (!w->jobs || !w->qps)
		return -ENOMEM;
	for (c = 0; c < run->nctrls; c++) {
		struct perf_ctrl *pc = &run->ctrls[c];
		unsigned nns = nvmx_ctrl_num_ns(pc->ctrl);

		rc = nvmx_qpair_alloc(pc->ctrl, run->cfg.depth * (nns ? nns : 1) + 1, &w->qps[c]);
		if (rc)
			return rc;
		w->nqps++;
		for (k = 0; k < nns; k++) {
			rc = job_init(run, w, &w->jobs[w->njobs], pc, w->qps[c], nvmx_ctrl_ns_at(pc->ctrl, k));
			w->njobs++;
			if (rc)
				return rc;
		}
	}
	return 0;
}

void perf_worker_fini(struct perf_worker *w)
{
	unsigned i, k;

	for (i = 0; i < w->njobs; i++) {
		struct perf_job *j = &w->jobs[i];

		for (k = 0; j->tasks && k < w->cfg->depth; k++)
			free(j->tasks[k].buf);
		free(j->tasks);
		free(j->free_tasks);
		free(j->vmap.state);
	}
	for (i = 0; i < w->nqps; i++)
		nvmx_qpair_free(w->qps[i]);
	free(w->jobs);
	free(w->qps);
}
