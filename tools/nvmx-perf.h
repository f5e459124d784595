/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx-perf: spdk_nvme_perf's workload generator over libnvmx.  One
 * worker thread per -c, one queue pair per worker per controller, and per
 * worker per namespace a "job" that keeps -q commands in flight and
 * measures them.  Everything a job needs (tasks, buffers, histogram,
 * verify map) is allocated before the clock starts: the I/O path does no
 * allocation and takes no lock.  Pinned workers (--cpu) busy-poll their
 * queue pairs and sleep in poll() only after --idle-us without work;
 * unpinned ones sleep whenever a pass finds nothing (as nvmxd does).
 */
#ifndef NVMX_PERF_H
#define NVMX_PERF_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "nvmx/nvmx.h"
#include "nvmx-perf-hist.h"
#include "nvmx-perf-verify.h"

enum perf_pattern { PAT_READ, PAT_WRITE, PAT_RANDREAD, PAT_RANDWRITE, PAT_RW, PAT_RANDRW };

struct perf_cfg {
	unsigned depth;		/* -q: per job */
	uint32_t io_size;	/* -o: bytes */
	enum perf_pattern pattern;
	unsigned read_pct;	/* -M */
	unsigned seconds;	/* -t */
	unsigned threads;	/* -c */
	unsigned hist_level;	/* -L: 1 percentiles, 2 the whole histogram */
	bool json;
	bool verify;
	uint64_t seed;
	int cpus[256];		/* --cpu: worker i runs on cpus[i % ncpus] */
	unsigned ncpus;
	bool busy_poll;		/* default: on when pinned (--cpu) */
	uint32_t idle_us;	/* busy_poll: sleep after this long with nothing to do */
};

struct perf_job;

/* One command slot: preallocated, reused for the whole run. */
struct perf_task {
	struct perf_job *job;
	uint8_t *buf;
	uint64_t slba;
	uint64_t start_ns;
	uint32_t nlb;
	bool is_read;
};

struct perf_stats {
	uint64_t ios, bytes, errors;
	uint64_t verify_blocks, verify_mismatches;
	struct nvmx_hist hist;	/* nanoseconds */
};

struct perf_ctrl {
	struct nvmx_trid trid;
	char name[300];
	struct nvmx_ctrl *ctrl;
};

/* One worker's work on one namespace. */
struct perf_job {
	struct perf_worker *w;
	struct perf_ctrl *pc;
	struct nvmx_qpair *qp;
	uint32_t nsid, block_size;
	uint64_t first_lba, nblocks;	/* the region this job uses */
	uint32_t io_blocks;
	uint64_t seq_next;		/* sequential patterns */
	uint64_t rng;			/* xorshift64* state */
	unsigned inflight, starved;
	struct perf_task *tasks;
	struct perf_task **free_tasks;
	unsigned nfree;
	struct nvmx_verify_map vmap;
	struct nvmx_verify_err first_err;
	int first_status;		/* first failing command's result */
	struct perf_stats st;
};

struct perf_worker {
	unsigned id;
	const struct perf_cfg *cfg;
	struct perf_job *jobs;
	unsigned njobs;
	struct nvmx_qpair **qps;	/* one per controller */
	unsigned nqps;
	_Atomic uint64_t done_ios;	/* for the progress line */
	uint64_t start_ns, end_ns;
	uint64_t polls, idle_polls;	/* worker loop passes; those with no work */
	uint64_t spin_ns;		/* time in passes with no work (waiting) */
	uint64_t sleeps, sleep_ns;	/* asleep in poll() on the queue pairs' fds */
	bool pin_failed;
	int err;
};

struct perf_run {
	struct perf_cfg cfg;
	struct perf_ctrl *ctrls;
	unsigned nctrls;
	struct perf_worker *workers;
	atomic_bool stop;
};

uint64_t perf_now_ns(void);
/* Set up the jobs of worker w (allocations happen here). */
int perf_worker_init(struct perf_run *run, struct perf_worker *w);
void perf_worker_fini(struct perf_worker *w);
/* The worker thread: run until run->stop, then drain. */
void *perf_worker_main(void *arg);
/* The thread's global run pointer is passed through this. */
struct perf_worker_arg {
	struct perf_run *run;
	struct perf_worker *w;
};

#endif /* NVMX_PERF_H */
