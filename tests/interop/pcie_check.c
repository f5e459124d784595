/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcie_check: drives a real (or QEMU-emulated) NVMe controller through
 * nvmx's PCIe/VFIO layers, inside the test guest.
 *
 *   pcie_check identify BDF   bring up; print mn=, sn=, mdts=, nn=, and
 *                              "ns=ID nsze=N lbs=B" per active namespace
 *   pcie_check io BDF [--queues N] [--depth D] [--max-xfer BYTES]
 *                              write then read-verify on every namespace:
 *                              buffer offsets inside a page, 1, 2, 3, 513
 *                              pages, the largest transfer and beyond it
 *                              (split), zero copy and bounced, N queues at
 *                              depth D; one "ok"/"not ok" line per case
 *   pcie_check detach BDF     bring up, detach (delete queues, CC.SHN),
 *                              print "shst=N" read after the shutdown
 *   pcie_check reset BDF      a verified write workload on 2 queues at depth 8
 *                              with a controller reset in the middle
 *                              (nvmx_pcie_ctrl_reset_replay): every command
 *                              completes exactly once, all data reads back
 *   pcie_check aer BDF        enable SMART critical-warning events (Set
 *                              Features 0Bh), arm an Asynchronous Event
 *                              Request, print "armed", wait up to 60 s for
 *                              it, decode it, read the SMART log to clear it
 *   pcie_check randread BDF [--depth D] [--seconds S]
 *                              4 KiB random reads on namespace 1, one queue,
 *                              busy polling, zero copy: prints iops=;
 *                              --hybrid: after 64 empty polls sleep in
 *                              poll(2) on the queue's MSI-X eventfd
 *   pcie_check setup BDF      give BDF to vfio-pci (nvmx_pcie_bind_vfio)
 *   pcie_check reset-driver BDF  give it back to nvme (nvmx_pcie_bind_kernel)
 *
 * Exit status 0 when every check passed.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nvmx/spec.h"
#include "transport/pcie_bind.h"
#include "transport/pcie_dev.h"
#include "transport/pcie_prp.h"

#define MAXQ 8
#define MAXNS 16

struct ns { uint32_t id; uint64_t nsze; uint32_t lbs; };

struct ctx {
	struct nvmx_pcie_dev dev;
	struct nvmx_pcie_ctrl *c;
	struct nvmx_id_ctrl *id;
	struct ns ns[MAXNS];
	unsigned int nr_ns;
	struct nvmx_pcie_queue q[MAXQ];
	unsigned int nq;
	uint32_t max_xfer;
	int failures;
};

static void trim(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = 0;
	while (n && dst[n - 1] == ' ')
		dst[--n] = 0;
}

static int identify(struct ctx *x, uint8_t cns, uint32_t nsid, void *buf)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_identify *cmd = (struct nvmx_cmd_identify *)&sqe;

	cmd->opc = NVMX_ADM_IDENTIFY;
	cmd->nsid = nvmx_cpu_to_le32(nsid);
	cmd->cns = cns;
	return nvmx_pcie_admin(x->c, &sqe, buf, 4096, false, NULL);
}

static int bringup(struct ctx *x, const char *bdf)
{
	char msg[1024];
	uint64_t iova, mdts;
	uint32_t *list;
	int ret;

	ret = nvmx_pcie_dev_open(&x->dev, bdf, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "pcie_check: %s\n", msg);
		return ret;
	}
	x->c = &x->dev.ctrl;
	ret = nvmx_pcie_ctrl_bringup(x->c, 32);
	if (ret)
		return ret;
	x->id = nvmx_dma_alloc(&x->dev.dma, 4096, &iova);
	list = nvmx_dma_alloc(&x->dev.dma, 4096, &iova);
	if (!x->id || !list)
		return -ENOMEM;
	ret = identify(x, NVMX_CNS_CTRL, 0, x->id);
	if (ret)
		return ret;
	mdts = nvmx_mdts_bytes(x->id->mdts, nvmx_cap_mpsmin(x->c->cap));
	if (mdts && mdts < x->max_xfer)
		x->max_xfer = (uint32_t)mdts;
	ret = identify(x, NVMX_CNS_NS_ACTIVE_LIST, 0, list);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < 1024 && list[i] && x->nr_ns < MAXNS; i++) {
		struct nvmx_id_ns *ns;
		uint8_t buf[4096] __attribute__((aligned(8)));
		unsigned fmt;

		ret = identify(x, NVMX_CNS_NS, nvmx_le32_to_cpu(list[i]), buf);
		if (ret)
			return ret;
		ns = (struct nvmx_id_ns *)buf;
		fmt = ns->flbas & 0xfu;
		x->ns[x->nr_ns].id = nvmx_le32_to_cpu(list[i]);
		x->ns[x->nr_ns].nsze = nvmx_le64_to_cpu(ns->nsze);
		x->ns[x->nr_ns].lbs = 1u << ns->lbaf[fmt].lbads;
		x->nr_ns++;
	}
	nvmx_dma_free(&x->dev.dma, list);
	/* I/O queues allocated from now on carry PRP lists for max_xfer. */
	x->c->max_xfer = x->max_xfer;
	return 0;
}

static int set_num_queues(struct ctx *x, unsigned int n, unsigned int *granted)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cqe cqe;
	int ret;

	sqe.opc = NVMX_ADM_SET_FEATURES;
	sqe.cdw10 = nvmx_cpu_to_le32(NVMX_FID_NUM_QUEUES);
	sqe.cdw11 = nvmx_cpu_to_le32(((n - 1) << 16) | (n - 1));
	ret = nvmx_pcie_admin(x->c, &sqe, NULL, 0, false, &cqe);
	if (ret)
		return ret;
	{
		uint32_t dw0 = nvmx_le32_to_cpu(cqe.dw0);
		uint32_t nsq = (dw0 & 0xffff) + 1, ncq = (dw0 >> 16) + 1;

		*granted = nsq < ncq ? nsq : ncq;
	}
	return 0;
}

static void detach(struct ctx *x)
{
	for (unsigned int i = x->nq; i-- > 0;) {
		nvmx_pcie_delete_io_queue(x->c, &x->q[i]);
		nvmx_pcie_queue_free(&x->q[i]);
	}
	x->nq = 0;
	nvmx_pcie_ctrl_shutdown(x->c, 10000);
}

/* ---- identify ---- */

static int cmd_identify(struct ctx *x, const char *bdf)
{
	char s[64];
	unsigned int nq;
	int ret = bringup(x, bdf);

	if (ret)
		return 1;
	trim(s, x->id->mn, sizeof(x->id->mn));
	printf("mn=%s\n", s);
	trim(s, x->id->sn, sizeof(x->id->sn));
	printf("sn=%s\n", s);
	printf("mdts=%u\nnn=%u\n", x->id->mdts, nvmx_le32_to_cpu(x->id->nn));
	printf("vs=%u.%u.%u\n", nvmx_vs_mjr(x->c->vs), nvmx_vs_mnr(x->c->vs), nvmx_vs_ter(x->c->vs));
	printf("dstrd=%u mqes=%u to_ms=%u\n", x->c->dstrd, nvmx_cap_mqes(x->c->cap), x->c->to_ms);
	if (set_num_queues(x, 4, &nq) == 0)
		printf("nq=%u\n", nq);
	for (unsigned int i = 0; i < x->nr_ns; i++)
		printf("ns=%u nsze=%" PRIu64 " lbs=%u\n", x->ns[i].id, x->ns[i].nsze, x->ns[i].lbs);
	detach(x);
	return 0;
}

/* ---- io ---- */

struct job {
	uint32_t nsid, lbs;
	uint64_t slba;
	uint32_t off, len;		/* buffer offset in its first page, bytes */
	bool dma;			/* DMA buffer (zero copy) or malloc (bounce) */
	uint8_t *wbuf, *rbuf;		/* base allocations */
	uint32_t done;			/* bytes whose command completed */
	uint32_t issued;
	int err;
	char name[96];
};

struct io_done { struct job *j; uint32_t len; };

static struct io_done done_pool[MAXQ][4096];

static void on_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct io_done *d = arg;
	uint16_t st = nvmx_cqe_status(cqe);

	if (!nvmx_st_ok(st) && !d->j->err) {
		d->j->err = -EIO;
		fprintf(stderr, "%s: status SCT %u SC 0x%02x\n", d->j->name, nvmx_st_sct(st), nvmx_st_sc(st));
	}
	d->j->done += d->len;
}

static void fill_rw(struct nvmx_sqe *s, uint8_t opc, uint32_t nsid, uint64_t slba, uint32_t nblocks)
{
	struct nvmx_cmd_rw *rw = (struct nvmx_cmd_rw *)s;

	memset(s, 0, sizeof(*s));
	rw->opc = opc;
	rw->nsid = nvmx_cpu_to_le32(nsid);
	rw->slba = nvmx_cpu_to_le64(slba);
	rw->nlb = nvmx_cpu_to_le16((uint16_t)(nblocks - 1));
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Issue every job's commands (split at max_xfer) round robin over the
 * queues, at most depth in flight per queue; wait for all. */
static int run_jobs(struct ctx *x, struct job *jobs, unsigned int nj, bool write,
		    unsigned int depth)
{
	unsigned int inflight[MAXQ] = { 0 }, slot[MAXQ] = { 0 }, qi = 0;
	uint64_t deadline = now_ms() + 120000;

	for (unsigned int i = 0; i < nj; i++) {
		jobs[i].done = jobs[i].issued = 0;
	}
	for (unsigned int i = 0; i < nj;) {
		struct job *j = &jobs[i];
		struct nvmx_pcie_queue *q = &x->q[qi];

		if (j->issued == j->len || j->err) {
			i++;
			continue;
		}
		if (inflight[qi] < depth) {
			uint32_t chunk = nvmx_split_chunk(j->len - j->issued, x->max_xfer, j->lbs);
			uint8_t *buf = (write ? j->wbuf : j->rbuf) + j->off + j->issued;
			struct io_done *d = &done_pool[qi][slot[qi]++ % 4096];
			struct nvmx_sqe sqe;
			int ret;

			fill_rw(&sqe, write ? NVMX_NVM_WRITE : NVMX_NVM_READ, j->nsid,
				j->slba + j->issued / j->lbs, chunk / j->lbs);
			d->j = j;
			d->len = chunk;
			ret = nvmx_pcie_submit(q, &sqe, buf, chunk, write, on_done, d);
			if (ret == 0) {
				j->issued += chunk;
				inflight[qi]++;
				qi = (qi + 1) % x->nq;
				continue;
			}
			if (ret != -EAGAIN) {
				fprintf(stderr, "%s: submit: %s\n", j->name, strerror(-ret));
				j->err = ret;
				continue;
			}
		}
		/* queue full or out of bounce space: reap */
		for (unsigned int k = 0; k < x->nq; k++) {
			int n = nvmx_pcie_poll(&x->q[k], 0);

			if (n < 0)
				return n;
			inflight[k] -= (unsigned int)n;
		}
		qi = (qi + 1) % x->nq;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
	for (;;) {
		unsigned int left = 0;

		for (unsigned int k = 0; k < x->nq; k++) {
			int n = nvmx_pcie_poll(&x->q[k], 0);

			if (n < 0)
				return n;
			inflight[k] -= (unsigned int)n;
			left += inflight[k];
		}
		if (!left)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
}

static uint8_t pattern(uint32_t nsid, uint64_t byte, uint32_t seed)
{
	uint64_t v = (byte / 4) * 0x9e3779b97f4a7c15ull + nsid * 131u + seed;

	return (uint8_t)(v >> ((byte % 4) * 8 + 24));
}

static int cmd_io(struct ctx *x, const char *bdf, unsigned int nq_want, unsigned int depth)
{
	static const uint32_t offs[] = { 0, 512, 3076 };
	struct job *jobs;
	unsigned int nj = 0, nq, total = 0, passed = 0;
	uint64_t slba_cursor[MAXNS] = { 0 };
	int ret;

	ret = bringup(x, bdf);
	if (ret)
		return 1;
	if (set_num_queues(x, nq_want, &nq) || nq < nq_want) {
		fprintf(stderr, "pcie_check: controller grants fewer than %u I/O queues\n", nq_want);
		return 1;
	}
	/* MSI-X: vector 0 for admin, one per I/O queue, if the function has them. */
	if (nvmx_vfio_irq_enable(&x->dev.vfio, nq_want + 1) == 0)
		printf("msix vectors=%u\n", nq_want + 1);
	for (unsigned int i = 0; i < nq_want; i++) {
		struct nvmx_pcie_queue *q = &x->q[i];

		ret = nvmx_pcie_queue_alloc(x->c, q, (uint16_t)(i + 1), (uint16_t)(depth * 2),
					    depth * 2, 8u << 20);
		if (ret)
			return 1;
		q->irq_vector = x->dev.vfio.nr_irqs ? (int16_t)(i + 1) : -1;
		ret = nvmx_pcie_create_io_queue(x->c, q);
		if (ret)
			return 1;
		x->nq++;
	}
	printf("queues=%u depth=%u max_xfer=%u\n", x->nq, depth, x->max_xfer);

	jobs = calloc(4096, sizeof(*jobs));
	for (unsigned int n = 0; n < x->nr_ns; n++) {
		uint32_t lbs = x->ns[n].lbs;
		uint32_t mx_pages = x->max_xfer / 4096;
		/* 513 pages: PRP1 + a full list page (+ a chained one from an
		 * offset); mx_pages + 3: one command too many, split. */
		const uint32_t pages[] = { 1, 2, 3, 513, mx_pages, mx_pages + 3 };

		for (unsigned int pi = 0; pi < sizeof(pages) / sizeof(pages[0]); pi++) {
			for (unsigned int oi = 0; oi < 3; oi++) {
				for (int dma = 1; dma >= 0; dma--) {
					struct job *j = &jobs[nj];
					uint32_t len = pages[pi] * 4096;
					size_t alloc = len + 2 * 4096;
					uint64_t iova;

					if (!dma && oi != 1)
						continue;	/* bounce one offset per size */
					if (pi == 0 && oi == 1 && lbs == 512)
						len = 512;	/* sub-page transfer */
					j->nsid = x->ns[n].id;
					j->lbs = lbs;
					j->off = offs[oi];
					j->len = len;
					j->dma = dma;
					j->slba = slba_cursor[n];
					slba_cursor[n] += len / lbs + 8;
					if (slba_cursor[n] > x->ns[n].nsze) {
						fprintf(stderr, "namespace %u too small\n", j->nsid);
						return 1;
					}
					if (dma) {
						j->wbuf = nvmx_dma_alloc(&x->dev.dma, alloc, &iova);
						j->rbuf = nvmx_dma_alloc(&x->dev.dma, alloc, &iova);
					} else {
						j->wbuf = aligned_alloc(4096, alloc);
						j->rbuf = aligned_alloc(4096, alloc);
					}
					if (!j->wbuf || !j->rbuf)
						return 1;
					for (uint32_t b = 0; b < len; b++)
						j->wbuf[j->off + b] = pattern(j->nsid, j->slba * lbs + b, 7);
					memset(j->rbuf, 0xee, alloc);
					snprintf(j->name, sizeof(j->name),
						 "ns %u lbs %u %u bytes at buffer offset %u %s",
						 j->nsid, lbs, len, j->off, dma ? "zero-copy" : "bounced");
					nj++;
				}
			}
		}
	}
	ret = run_jobs(x, jobs, nj, true, depth);
	if (!ret)
		ret = run_jobs(x, jobs, nj, false, depth);
	if (ret) {
		printf("not ok - I/O run failed: %s\n", strerror(-ret));
		return 1;
	}
	for (unsigned int i = 0; i < nj; i++) {
		struct job *j = &jobs[i];
		int ok = !j->err && j->done == j->len &&
			 !memcmp(j->rbuf + j->off, j->wbuf + j->off, j->len) &&
			 j->rbuf[j->off + j->len] == 0xee && (j->off == 0 || j->rbuf[j->off - 1] == 0xee);

		total++;
		passed += ok;
		printf("%s - write/read-verify %s\n", ok ? "ok" : "not ok", j->name);
	}
	if (x->dev.vfio.nr_irqs) {
		uint64_t cnt = 0;
		ssize_t r = read(x->dev.vfio.irq_fds[1], &cnt, sizeof(cnt));

		printf("msix q1 eventfd count=%" PRIu64 "\n", r == 8 ? cnt : 0);
	}
	printf("io %u/%u passed\n", passed, total);
	detach(x);
	return passed == total ? 0 : 1;
}

/* ---- reset in the middle of a verified workload ---- */

struct rjob {
	uint32_t nsid, lbs, len;
	uint64_t slba;
	uint8_t *buf;
	int calls;
	uint16_t st;
};

static void rjob_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct rjob *j = arg;

	j->calls++;
	j->st = nvmx_cqe_status(cqe);
}

/* Submit jobs[0..n) round robin, depth-limited; at submission reset_at
 * (if < n) reset the controller with replay.  Waits for all. */
static int rrun(struct ctx *x, struct rjob *jobs, unsigned int n, bool write, unsigned int depth,
		unsigned int reset_at)
{
	struct nvmx_pcie_queue *qs[MAXQ];
	uint64_t deadline = now_ms() + 120000;
	unsigned int i = 0;

	for (unsigned int k = 0; k < x->nq; k++)
		qs[k] = &x->q[k];
	while (i < n) {
		struct nvmx_pcie_queue *q = qs[i % x->nq];
		struct rjob *j = &jobs[i];
		struct nvmx_sqe sqe;
		int ret;

		if (i == reset_at) {
			ret = nvmx_pcie_ctrl_reset_replay(x->c, qs, x->nq);
			printf("reset at command %u: %s\n", i, ret ? strerror(-ret) : "done");
			if (ret)
				return ret;
			reset_at = ~0u;
		}
		if (q->ntrk - q->nfree < depth) {
			fill_rw(&sqe, write ? NVMX_NVM_WRITE : NVMX_NVM_READ, j->nsid, j->slba,
				j->len / j->lbs);
			ret = nvmx_pcie_submit(q, &sqe, j->buf, j->len, write, rjob_done, j);
			if (ret == 0) {
				i++;
				continue;
			}
			if (ret != -EAGAIN)
				return ret;
		}
		for (unsigned int k = 0; k < x->nq; k++)
			if (nvmx_pcie_poll(qs[k], 0) < 0)
				return -EIO;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
	for (;;) {
		unsigned int busy = 0;

		for (unsigned int k = 0; k < x->nq; k++) {
			if (nvmx_pcie_poll(qs[k], 0) < 0)
				return -EIO;
			busy += qs[k]->ntrk - qs[k]->nfree;
		}
		if (!busy)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
}

static int cmd_reset(struct ctx *x, const char *bdf, unsigned int nq_want, unsigned int depth)
{
	enum { NJ = 256 };
	static struct rjob w[NJ], r[NJ];
	unsigned int nq, once = 0, okst = 0, verified = 0;
	int ret;

	if (bringup(x, bdf) || set_num_queues(x, nq_want, &nq) || nq < nq_want)
		return 1;
	for (unsigned int i = 0; i < nq_want; i++) {
		if (nvmx_pcie_queue_alloc(x->c, &x->q[i], (uint16_t)(i + 1), (uint16_t)(depth * 2),
					  depth * 2, 1u << 20) ||
		    nvmx_pcie_create_io_queue(x->c, &x->q[i]))
			return 1;
		x->nq++;
	}
	for (unsigned int i = 0; i < NJ; i++) {
		struct ns *ns = &x->ns[i % x->nr_ns];
		uint64_t iova;

		w[i].nsid = r[i].nsid = ns->id;
		w[i].lbs = r[i].lbs = ns->lbs;
		w[i].len = r[i].len = (1u + i % 4) * 4096;
		w[i].slba = r[i].slba = (uint64_t)(i / x->nr_ns) * (16384 / ns->lbs) + 40000000 / ns->lbs;
		/* half zero-copy, half bounced */
		w[i].buf = i % 2 ? nvmx_dma_alloc(&x->dev.dma, w[i].len, &iova) : aligned_alloc(4096, w[i].len);
		r[i].buf = i % 2 ? nvmx_dma_alloc(&x->dev.dma, r[i].len, &iova) : aligned_alloc(4096, r[i].len);
		if (!w[i].buf || !r[i].buf)
			return 1;
		for (uint32_t b = 0; b < w[i].len; b++)
			w[i].buf[b] = pattern(w[i].nsid, w[i].slba * w[i].lbs + b, 99);
		memset(r[i].buf, 0xee, r[i].len);
	}
	ret = rrun(x, w, NJ, true, depth, NJ / 2);
	if (!ret)
		ret = rrun(x, r, NJ, false, depth, ~0u);
	if (ret) {
		printf("reset workload failed: %s\n", strerror(-ret));
		return 1;
	}
	for (unsigned int i = 0; i < NJ; i++) {
		once += w[i].calls == 1 && r[i].calls == 1;
		okst += nvmx_st_ok(w[i].st) && nvmx_st_ok(r[i].st);
		verified += !memcmp(w[i].buf, r[i].buf, w[i].len);
	}
	printf("reset: commands=%u completed_once=%u status_ok=%u verified=%u\n", 2 * NJ, 2 * once,
	       2 * okst, verified);
	detach(x);
	return once == NJ && okst == NJ && verified == NJ ? 0 : 1;
}

/* ---- asynchronous event: SMART/health ---- */

struct aer_wait {
	bool done;
	struct nvmx_cqe cqe;
};

static void aer_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct aer_wait *w = arg;

	w->done = true;
	w->cqe = *cqe;
}

static int cmd_aer(struct ctx *x, const char *bdf)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_get_log_page *glp = (struct nvmx_cmd_get_log_page *)&sqe;
	struct nvmx_smart_log *log;
	struct aer_wait w = { 0 };
	uint64_t deadline, iova;
	uint32_t dw0;

	if (bringup(x, bdf))
		return 1;
	/* Base 5.27.1.7: bits 7:0 of CDW11 enable SMART/health events for
	 * the critical warning bits. */
	sqe.opc = NVMX_ADM_SET_FEATURES;
	sqe.cdw10 = nvmx_cpu_to_le32(NVMX_FID_ASYNC_EVENT);
	sqe.cdw11 = nvmx_cpu_to_le32(0xffu);
	if (nvmx_pcie_admin(x->c, &sqe, NULL, 0, false, NULL))
		return 1;
	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = NVMX_ADM_ASYNC_EVENT;
	if (nvmx_pcie_submit(&x->c->adminq, &sqe, NULL, 0, false, aer_done, &w))
		return 1;
	printf("armed\n");
	fflush(stdout);
	deadline = now_ms() + 60000;
	while (!w.done && now_ms() < deadline) {
		if (nvmx_pcie_poll(&x->c->adminq, 0) < 0)
			return 1;
		usleep(1000);
	}
	if (!w.done) {
		printf("no asynchronous event within 60 s\n");
		return 1;
	}
	dw0 = nvmx_le32_to_cpu(w.cqe.dw0);
	printf("aen status=0x%x type=%u info=0x%02x lid=0x%02x\n",
	       nvmx_st_code(nvmx_cqe_status(&w.cqe)), dw0 & 7u, (dw0 >> 8) & 0xffu, (dw0 >> 16) & 0xffu);
	/* Reading the named log page (RAE=0) clears the event (Base 5.2). */
	log = nvmx_dma_alloc(&x->dev.dma, sizeof(*log), &iova);
	memset(&sqe, 0, sizeof(sqe));
	glp->opc = NVMX_ADM_GET_LOG_PAGE;
	glp->nsid = nvmx_cpu_to_le32(0xffffffffu);
	glp->lid = (uint8_t)((dw0 >> 16) & 0xffu);
	glp->numdl = nvmx_cpu_to_le16(sizeof(*log) / 4 - 1);
	if (!log || nvmx_pcie_admin(x->c, &sqe, log, sizeof(*log), false, NULL))
		return 1;
	printf("smart critical_warning=0x%02x\n", log->critical_warning);
	detach(x);
	return 0;
}

/* ---- benchmark: 4 KiB random read ---- */

struct rr_slot {
	struct ctx *x;
	uint8_t *buf;
	uint64_t t0;
	bool done;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rr_lat_sum, rr_ios;

static void rr_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct rr_slot *s = arg;

	s->done = true;
	rr_lat_sum += now_ns() - s->t0;
	rr_ios++;
	if (!nvmx_st_ok(nvmx_cqe_status(cqe)))
		s->x->failures++;
}

static int rr_submit(struct ctx *x, struct rr_slot *s, uint64_t *rng, uint64_t nblocks, uint32_t bpi)
{
	struct nvmx_sqe sqe;

	*rng ^= *rng << 13;
	*rng ^= *rng >> 7;
	*rng ^= *rng << 17;
	fill_rw(&sqe, NVMX_NVM_READ, x->ns[0].id, (*rng % (nblocks / bpi)) * bpi, bpi);
	s->done = false;
	s->t0 = now_ns();
	return nvmx_pcie_submit(&x->q[0], &sqe, s->buf, 4096, false, rr_done, s);
}

static int cmd_randread(struct ctx *x, const char *bdf, unsigned int depth, unsigned int seconds,
			bool hybrid)
{
	unsigned int idle = 0;
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	struct rr_slot *slots;
	uint64_t rng = 0x2545f4914f6cdd1dull, t_end, t0, iova;
	unsigned int nq;
	uint32_t bpi;

	if (bringup(x, bdf) || set_num_queues(x, 1, &nq) || !x->nr_ns || x->ns[0].lbs > 4096)
		return 1;
	if (nvmx_pcie_queue_alloc(x->c, &x->q[0], 1, (uint16_t)(depth + 1), depth + 1, 0))
		return 1;
	if (hybrid) {
		if (nvmx_vfio_irq_enable(&x->dev.vfio, 2))
			return 1;
		x->q[0].irq_vector = 1;
		pfd.fd = x->dev.vfio.irq_fds[1];
	}
	x->q[0].batch_db = true;
	if (nvmx_pcie_create_io_queue(x->c, &x->q[0]))
		return 1;
	x->nq = 1;
	bpi = 4096 / x->ns[0].lbs;
	slots = calloc(depth, sizeof(*slots));
	for (unsigned int i = 0; i < depth; i++) {
		slots[i].x = x;
		slots[i].buf = nvmx_dma_alloc(&x->dev.dma, 4096, &iova);
		if (!slots[i].buf || rr_submit(x, &slots[i], &rng, x->ns[0].nsze, bpi))
			return 1;
	}
	t0 = now_ns();
	t_end = t0 + (uint64_t)seconds * 1000000000ull;
	rr_ios = rr_lat_sum = 0;
	while (now_ns() < t_end) {
		int n;

		if (hybrid && idle >= 64) {
			uint64_t cnt;

			/* clear, look once more, then sleep until the interrupt */
			if (read(pfd.fd, &cnt, sizeof(cnt)) < 0)
				(void)0;
			if (nvmx_pcie_poll(&x->q[0], 0) == 0)
				poll(&pfd, 1, 100);
			idle = 0;
		}
		n = nvmx_pcie_poll(&x->q[0], 0);
		if (n < 0)
			return 1;
		idle = n ? 0 : idle + 1;
		for (unsigned int i = 0; i < depth; i++)
			if (slots[i].done && rr_submit(x, &slots[i], &rng, x->ns[0].nsze, bpi))
				return 1;
	}
	{
		uint64_t ios = rr_ios, el = now_ns() - t0;

		printf("randread %s depth=%u seconds=%u ios=%" PRIu64 " iops=%.0f avg_lat_us=%.1f errors=%d\n",
		       hybrid ? "hybrid" : "polled", depth, seconds, ios, ios * 1e9 / (double)el,
		       ios ? rr_lat_sum / 1000.0 / (double)ios : 0.0, x->failures);
	}
	while (x->q[0].nfree < x->q[0].ntrk)
		if (nvmx_pcie_poll(&x->q[0], 0) < 0)
			break;
	detach(x);
	return x->failures ? 1 : 0;
}

static int cmd_detach(struct ctx *x, const char *bdf)
{
	uint32_t csts = 0;
	unsigned int nq;

	if (bringup(x, bdf) || set_num_queues(x, 1, &nq))
		return 1;
	if (nvmx_pcie_queue_alloc(x->c, &x->q[0], 1, 16, 16, 0) ||
	    nvmx_pcie_create_io_queue(x->c, &x->q[0]))
		return 1;
	x->nq = 1;
	detach(x);
	if (nvmx_pcie_csts(x->c, &csts))
		return 1;
	printf("csts=0x%x shst=%u cc.shn=%u\n", csts, nvmx_csts_shst(csts),
	       nvmx_cc_shn(nvmx_pcie_rd32(x->c, NVMX_REG_CC)));
	return nvmx_csts_shst(csts) == 2 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static struct ctx x;
	unsigned int nq = 2, depth = 8, seconds = 10;
	bool hybrid = false;
	const char *mode, *bdf;
	int opt, rc;
	static const struct option lo[] = {
		{ "queues", required_argument, NULL, 'q' },
		{ "depth", required_argument, NULL, 'd' },
		{ "max-xfer", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "hybrid", no_argument, NULL, 'H' },
		{ 0 }
	};

	/* 1023 pages: from a buffer offset that is 1024 pages, the most
	 * QEMU's controller maps per command (IOV_MAX; it answers Internal
	 * Error beyond), and 1023 PRP list entries, which chain over three
	 * list pages. */
	x.max_xfer = 1023u * 4096;
	if (argc < 3) {
		fprintf(stderr, "usage: pcie_check identify|io|detach BDF [options]\n");
		return 2;
	}
	mode = argv[1];
	bdf = argv[2];
	optind = 3;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (opt == 'q')
			nq = (unsigned int)atoi(optarg);
		else if (opt == 'd')
			depth = (unsigned int)atoi(optarg);
		else if (opt == 'H')
			hybrid = true;
		else if (opt == 's')
			seconds = (unsigned int)atoi(optarg);
		else if (opt == 'm')
			x.max_xfer = (uint32_t)strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (nq < 1 || nq > MAXQ || depth < 1 || depth > 1024)
		return 2;
	if (!strcmp(mode, "setup") || !strcmp(mode, "reset-driver")) {
		char canon[32], msg[1024];

		if (nvmx_pcie_bdf_parse(bdf, canon, sizeof(canon)))
			return 2;
		rc = !strcmp(mode, "setup") ? nvmx_pcie_bind_vfio("/sys", canon, msg, sizeof(msg))
					    : nvmx_pcie_bind_kernel("/sys", canon, "nvme", msg, sizeof(msg));
		if (rc)
			fprintf(stderr, "pcie_check: %s\n", msg);
		return rc ? 1 : 0;
	}
	if (!strcmp(mode, "identify"))
		rc = cmd_identify(&x, bdf);
	else if (!strcmp(mode, "io"))
		rc = cmd_io(&x, bdf, nq, depth);
	else if (!strcmp(mode, "randread"))
		rc = cmd_randread(&x, bdf, depth, seconds, hybrid);
	else if (!strcmp(mode, "aer"))
		rc = cmd_aer(&x, bdf);
	else if (!strcmp(mode, "reset"))
		rc = cmd_reset(&x, bdf, nq, depth);
	else if (!strcmp(mode, "detach"))
		rc = cmd_detach(&x, bdf);
	else
		rc = 2;
	if (x.c)
		nvmx_pcie_dev_close(&x.dev);
	return rc;
}
