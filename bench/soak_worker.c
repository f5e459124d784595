/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One host process of the soak (bench/soak.sh): a controller with Q queue
 * pairs of depth D doing random mixed reads and writes of 1-8 blocks in its
 * own LBA region.  Every block written carries a stamp (LBA, generation,
 * CRC32C of the block) and every block read is verified against what this
 * process knows: the generation last acknowledged, or -- while the outcome
 * of a failed write is unknown -- that generation or the failed one.  A
 * mismatch is data loss or corruption and makes the run fail.
 *
 * Faults are survived, not avoided: a failed queue pair is freed and
 * re-allocated, a dead controller is reconnected (until the deadline), a
 * command outstanding for more than 5 s (a dropped completion: the host
 * only reports it until recovery lands) gets its queue pair freed.
 *
 * usage: soak_worker TRID --seconds S --qpairs Q --depth D --lba-base B
 *                     --lba-count N [--seed X] [--digests]
 * Prints one line: ops=... reads=... writes=... errors=... (by kind)
 * recoveries=... mismatches=...  Exit 0 only when mismatches == 0.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nvmx/nvmx.h"
#include "util/crc32c.h"

#define BLK		512u
#define MAX_NLB		8u
#define MAX_QP		16
#define MAX_DEPTH	128
#define STUCK_MS	5000

struct slot {
	struct worker *w;
	struct qp *q;
	bool busy, write;
	uint64_t lba;
	uint32_t nlb;
	uint64_t gen;
	uint64_t t_submit;
	uint8_t buf[MAX_NLB * BLK];
};

struct qp {
	struct nvmx_qpair *qp;
	struct slot slots[MAX_DEPTH];
};

struct worker {
	struct nvmx_trid trid;
	struct nvmx_ctrl_opts opts;
	struct nvmx_ctrl *ctrl;
	struct qp qps[MAX_QP];
	unsigned int nqp, depth;
	uint64_t base, count, next_gen;
	uint64_t *acked;	/* generation last acknowledged, per LBA */
	uint64_t *maybe;	/* a failed write's generation (0: none) */
	uint8_t *locked;	/* an op in flight covers the LBA */
	uint64_t ops, reads, writes, recoveries, mismatches, stuck;
	uint64_t err_conn, err_timeout, err_proto, err_digest, err_abort, err_status, err_other;
	unsigned int seed;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Block layout: LBA (8), generation (8), CRC32C of bytes 0..507 (4 at 508),
 * the rest a pattern of (LBA, generation). */
static void stamp(uint8_t *b, uint64_t lba, uint64_t gen)
{
	uint64_t x = lba * 0x9e3779b97f4a7c15ull ^ gen;

	memcpy(b, &lba, 8);
	memcpy(b + 8, &gen, 8);
	for (unsigned int i = 16; i < BLK - 4; i += 4) {
		uint32_t v = (uint32_t)(x >> 13) ^ i;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		memcpy(b + i, &v, 4);
	}
	uint32_t crc = nvmx_crc32c(b, BLK - 4);

	memcpy(b + BLK - 4, &crc, 4);
}

static bool zero(const uint8_t *b)
{
	for (unsigned int i = 0; i < BLK; i++)
		if (b[i])
			return false;
	return true;
}

static void verify(struct worker *w, const uint8_t *b, uint64_t lba)
{
	uint64_t i = lba - w->base, l, g;
	uint32_t crc;

	if (w->acked[i] == 0 && w->maybe[i] == 0) {
		if (!zero(b)) {	/* never written by us: fresh backing file */
			memcpy(&l, b, 8);
			memcpy(&g, b + 8, 8);
			fprintf(stderr, "soak: LBA %llu: never written but holds data (lba %llu gen %llu)\n",
				(unsigned long long)lba, (unsigned long long)l, (unsigned long long)g);
			w->mismatches++;
		}
		return;
	}
	memcpy(&l, b, 8);
	memcpy(&g, b + 8, 8);
	memcpy(&crc, b + BLK - 4, 4);
	if (zero(b) && w->acked[i] == 0)
		return;	/* a failed first write that never landed */
	if (l != lba || crc != nvmx_crc32c(b, BLK - 4) ||
	    (g != w->acked[i] && g != w->maybe[i])) {
		fprintf(stderr, "soak: LBA %llu: found lba %llu gen %llu crc %s; acked gen %llu, maybe %llu\n",
			(unsigned long long)lba, (unsigned long long)l, (unsigned long long)g,
			crc == nvmx_crc32c(b, BLK - 4) ? "ok" : "BAD",
			(unsigned long long)w->acked[i], (unsigned long long)w->maybe[i]);
		w->mismatches++;
		return;
	}
	if (g == w->acked[i])
		w->maybe[i] = 0;	/* settled: the failed write did not land */
	else {
		w->acked[i] = g;	/* settled: it did */
		w->maybe[i] = 0;
	}
}

static void count_err(struct worker *w, int r)
{
	switch (r) {
	case -ECONNRESET: case -ENOTCONN: case -EPIPE: case -ECONNREFUSED: w->err_conn++; break;
	case -ETIMEDOUT: w->err_timeout++; break;
	case -EPROTO: w->err_proto++; break;
	case -EBADMSG: w->err_digest++; break;
	case -ECONNABORTED: w->err_abort++; break;
	default: if (r > 0) w->err_status++; else w->err_other++; break;
	}
}

static void on_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct slot *s = arg;
	struct worker *w = s->w;
	int r = nvmx_cpl_result(cqe, err);
	uint64_t i = s->lba - w->base;

	w->ops++;
	if (r == 0 && s->write) {
		w->writes++;
		for (uint32_t k = 0; k < s->nlb; k++) {
			w->acked[i + k] = s->gen;
			w->maybe[i + k] = 0;
		}
	} else if (r == 0) {
		w->reads++;
		for (uint32_t k = 0; k < s->nlb; k++)
			verify(w, s->buf + k * BLK, s->lba + k);
	} else {
		count_err(w, r);
		if (s->write)	/* outcome unknown: either generation may be there */
			for (uint32_t k = 0; k < s->nlb; k++)
				w->maybe[i + k] = s->gen;
	}
	for (uint32_t k = 0; k < s->nlb; k++)
		w->locked[i + k] = 0;
	s->busy = false;
}

static void submit(struct worker *w, struct qp *q, struct slot *s)
{
	uint32_t nlb = 1 + (uint32_t)(rand_r(&w->seed) % MAX_NLB);
	uint64_t lba = w->base + (uint64_t)rand_r(&w->seed) % (w->count - nlb);
	int rc;

	for (uint32_t k = 0; k < nlb; k++)
		if (w->locked[lba - w->base + k])
			return;	/* overlaps an op in flight: try another time */
	s->w = w;
	s->q = q;
	s->lba = lba;
	s->nlb = nlb;
	s->write = rand_r(&w->seed) & 1;
	/* A range with an unsettled failed write is read first, so each
	 * block has at most two possible generations. */
	for (uint32_t k = 0; k < nlb && s->write; k++)
		if (w->maybe[lba - w->base + k])
			s->write = false;
	if (s->write) {
		s->gen = ++w->next_gen;
		for (uint32_t k = 0; k < nlb; k++)
			stamp(s->buf + k * BLK, lba + k, s->gen);
		rc = nvmx_ns_write(q->qp, 1, s->buf, lba, nlb, on_done, s, NULL);
	} else {
		rc = nvmx_ns_read(q->qp, 1, s->buf, lba, nlb, on_done, s, NULL);
	}
	if (rc)
		return;
	for (uint32_t k = 0; k < nlb; k++)
		w->locked[lba - w->base + k] = 1;
	s->busy = true;
	s->t_submit = now_ms();
}

static void qp_drop(struct worker *w, struct qp *q)
{
	if (q->qp)
		nvmx_qpair_free(q->qp);	/* completes what is out, once */
	q->qp = NULL;
}

static void ctrl_drop(struct worker *w)
{
	for (unsigned int i = 0; i < w->nqp; i++)
		qp_drop(w, &w->qps[i]);
	if (w->ctrl)
		nvmx_ctrl_disconnect(w->ctrl);
	w->ctrl = NULL;
}

/* (Re)connect what is missing; false while the target is unreachable. */
static bool ensure(struct worker *w)
{
	if (w->ctrl && nvmx_ctrl_get_state(w->ctrl) != NVMX_CTRL_LIVE) {
		ctrl_drop(w);
		w->recoveries++;
	}
	if (!w->ctrl && nvmx_ctrl_connect(&w->trid, &w->opts, &w->ctrl))
		return false;
	for (unsigned int i = 0; i < w->nqp; i++) {
		struct qp *q = &w->qps[i];

		if (q->qp && nvmx_qpair_failed(q->qp)) {
			qp_drop(w, q);
			w->recoveries++;
		}
		if (!q->qp && nvmx_qpair_alloc(w->ctrl, w->depth, &q->qp)) {
			ctrl_drop(w);
			w->recoveries++;
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", 1, 0, 's' }, { "qpairs", 1, 0, 'q' }, { "depth", 1, 0, 'd' },
		{ "lba-base", 1, 0, 'b' }, { "lba-count", 1, 0, 'n' }, { "seed", 1, 0, 'S' },
		{ "digests", 0, 0, 'D' }, { 0 },
	};
	static struct worker w;
	unsigned int secs = 60;
	uint64_t end, next_admin = 0;
	int ch;

	w.nqp = 2;
	w.depth = 16;
	w.count = 4096;
	w.seed = (unsigned int)getpid();
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's': secs = (unsigned int)atoi(optarg); break;
		case 'q': w.nqp = (unsigned int)atoi(optarg); break;
		case 'd': w.depth = (unsigned int)atoi(optarg); break;
		case 'b': w.base = strtoull(optarg, NULL, 0); break;
		case 'n': w.count = strtoull(optarg, NULL, 0); break;
		case 'S': w.seed = (unsigned int)atoi(optarg); break;
		case 'D': w.opts.hdr_digest = w.opts.data_digest = true; break;
		default: return 2;
		}
	}
	if (optind >= argc || !w.nqp || w.nqp > MAX_QP || w.depth < 2 || w.depth > MAX_DEPTH ||
	    w.count <= MAX_NLB || nvmx_trid_parse(&w.trid, argv[optind], NULL, 0)) {
		fprintf(stderr, "usage: soak_worker TRID [--seconds S --qpairs Q --depth D "
			"--lba-base B --lba-count N --seed X --digests]\n");
		return 2;
	}
	{
		bool hd = w.opts.hdr_digest;

		nvmx_ctrl_opts_init(&w.opts, sizeof(w.opts));
		w.opts.hdr_digest = w.opts.data_digest = hd;
	}
	w.opts.nr_io_queues = w.nqp;
	w.opts.io_timeout_ms = 2000;
	w.opts.admin_timeout_ms = 5000;
	w.acked = calloc(w.count, sizeof(*w.acked));
	w.maybe = calloc(w.count, sizeof(*w.maybe));
	w.locked = calloc(w.count, 1);
	if (!w.acked || !w.maybe || !w.locked)
		return 1;
	w.next_gen = (uint64_t)w.seed << 32;
	end = now_ms() + secs * 1000ull;
	while (now_ms() < end) {
		uint64_t now = now_ms();

		if (!ensure(&w)) {
			usleep(200000);
			continue;
		}
		if (now >= next_admin) {
			nvmx_ctrl_process_admin(w.ctrl);
			next_admin = now + 50;
		}
		for (unsigned int i = 0; i < w.nqp; i++) {
			struct qp *q = &w.qps[i];

			for (unsigned int k = 0; k < w.depth && q->qp; k++) {
				struct slot *s = &q->slots[k];

				if (!s->busy)
					submit(&w, q, s);
				else if (now - s->t_submit > STUCK_MS) {
					w.stuck++;
					qp_drop(&w, q);	/* a dropped completion */
					w.recoveries++;
				}
			}
			if (q->qp)
				nvmx_qpair_poll(q->qp, 0);
		}
	}
	ctrl_drop(&w);
	printf("ops=%llu reads=%llu writes=%llu err_conn=%llu err_timeout=%llu err_proto=%llu "
	       "err_digest=%llu err_aborted=%llu err_status=%llu err_other=%llu stuck=%llu "
	       "recoveries=%llu mismatches=%llu\n",
	       (unsigned long long)w.ops, (unsigned long long)w.reads,
	       (unsigned long long)w.writes, (unsigned long long)w.err_conn,
	       (unsigned long long)w.err_timeout, (unsigned long long)w.err_proto,
	       (unsigned long long)w.err_digest, (unsigned long long)w.err_abort,
	       (unsigned long long)w.err_status, (unsigned long long)w.err_other,
	       (unsigned long long)w.stuck, (unsigned long long)w.recoveries,
	       (unsigned long long)w.mismatches);
	free(w.acked);
	free(w.maybe);
	free(w.locked);
	return w.mismatches ? 1 : 0;
}
