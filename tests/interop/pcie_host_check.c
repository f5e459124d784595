/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcie_host_check BDF --aer: enable SMART/health events (Set Features 0Bh),
 * print "armed", run the admin queue until the core reports the AER
 * (NVMX_EVENT_AEN), read the log page it names, print both.
 *
 * pcie_host_check BDF [--queues N] [--depth D]: the host core's public API
 * (nvmx_ctrl_connect, nvmx_qpair_alloc, nvmx_ns_write/read) driving a PCIe
 * controller through the PCIe transport's operations table, as an
 * application would.  Prints the controller's identity and namespaces, then
 * one "ok"/"not ok" line per write/read-verify case (buffer offsets in a
 * page; 1, 2, 3, 513 pages; the transfer limit and beyond it, which the
 * core splits; DMA buffers from the transport and ordinary ones), spread
 * over N queue pairs at depth D; then waits for a completion on a queue
 * pair's file descriptor with poll(2).  Exit 0 when all passed.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host/internal.h"
#include "nvmx/nvmx.h"
#include "transport/pcie_host.h"

#define MAXQ 8

struct job {
	uint32_t nsid, lbs;
	uint64_t slba;
	uint32_t off, len;
	bool dma;
	uint8_t *wbuf, *rbuf;
	int done, err;
	char name[96];
};

static void job_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct job *j = arg;
	int r = nvmx_cpl_result(cqe, err);

	if (r && !j->err) {
		j->err = r;
		fprintf(stderr, "%s: %s\n", j->name, nvmx_result_str(r));
	}
	j->done++;
}

static uint8_t pattern(uint32_t nsid, uint64_t byte)
{
	uint64_t v = (byte / 4) * 0x9e3779b97f4a7c15ull + nsid * 977u + 3;

	return (uint8_t)(v >> ((byte % 4) * 8 + 24));
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Submit every job (write or read) round robin over the queue pairs, at
 * most depth outstanding per queue pair, and wait for all. */
static int run(struct nvmx_qpair **qp, unsigned int nq, struct job *jobs, unsigned int nj,
	       bool write, unsigned int depth)
{
	uint64_t deadline = now_ms() + 300000;
	unsigned int next = 0, k = 0;

	for (unsigned int i = 0; i < nj; i++)
		jobs[i].done = 0;
	while (next < nj || k < nq * 2) {
		unsigned int busy = 0;

		for (unsigned int q = 0; q < nq; q++) {
			if (nvmx_qpair_poll(qp[q], 0) < 0)
				return -EIO;
			busy += nvmx_qpair_outstanding(qp[q]);
		}
		if (next < nj) {
			struct nvmx_qpair *p = qp[next % nq];
			struct job *j = &jobs[next];
			int rc;

			if (nvmx_qpair_outstanding(p) >= depth)
				continue;
			rc = write ? nvmx_ns_write(p, j->nsid, j->wbuf + j->off, j->slba, j->len / j->lbs,
						   job_done, j, NULL)
				   : nvmx_ns_read(p, j->nsid, j->rbuf + j->off, j->slba, j->len / j->lbs,
						  job_done, j, NULL);
			if (rc == -EAGAIN)
				continue;
			if (rc) {
				j->err = rc;
				j->done = 1;
				fprintf(stderr, "%s: submit: %s\n", j->name, strerror(-rc));
			}
			next++;
		} else if (!busy) {
			k = nq * 2;	/* all submitted, none outstanding */
		}
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}

static int wait_on_fd(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp, const struct nvmx_ns_info *ns)
{
	struct job j = { .nsid = ns->nsid, .lbs = ns->block_size };
	struct pollfd pfd = { .fd = nvmx_qpair_fd(qp), .events = POLLIN };
	uint8_t *buf = aligned_alloc(4096, 4096);
	int rc, woke = 0;

	(void)ctrl;
	if (pfd.fd < 0 || !buf)
		return -ENOTSUP;
	snprintf(j.name, sizeof(j.name), "fd wait");
	/* drain anything pending, then sleep until the interrupt */
	while (nvmx_qpair_poll(qp, 0) > 0)
		;
	nvmx_qpair_poll(qp, 0);
	rc = nvmx_ns_read(qp, ns->nsid, buf, 0, 4096 / ns->block_size, job_done, &j, NULL);
	if (rc)
		return rc;
	for (int i = 0; i < 50 && !j.done; i++) {
		rc = poll(&pfd, 1, 200);
		if (rc > 0)
			woke = 1;
		nvmx_qpair_poll(qp, 0);
	}
	free(buf);
	return j.done && woke && !j.err ? 0 : -EIO;
}

struct aen_seen {
	int n;
	struct nvmx_event ev;
};

static void on_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg)
{
	struct aen_seen *a = arg;

	if (ev->type == NVMX_EVENT_AEN && !a->n++)
		a->ev = *ev;
}

static int aer_check(struct nvmx_ctrl *ctrl, struct aen_seen *a)
{
	struct nvmx_smart_log log;
	uint64_t end;
	uint32_t dw0;
	int rc;

	rc = nvmx_set_features_sync(ctrl, NVMX_FID_ASYNC_EVENT, 0xffu, &dw0);
	if (rc) {
		printf("set features 0Bh: %s\n", nvmx_result_str(rc));
		return 1;
	}
	printf("armed\n");
	fflush(stdout);
	end = now_ms() + 60000;
	while (!a->n && now_ms() < end) {
		if (nvmx_ctrl_process_admin(ctrl) < 0)
			return 1;
		poll(NULL, 0, 1);
	}
	if (!a->n) {
		printf("no event within 60 s\n");
		return 1;
	}
	printf("aen type=%u info=0x%02x lid=0x%02x\n", a->ev.u.aen.type, a->ev.u.aen.info,
	       a->ev.u.aen.log_page);
	/* Reading the log page (RAE clear) clears the event (Base 5.2). */
	rc = nvmx_get_log_sync(ctrl, a->ev.u.aen.log_page, 0xffffffffu, 0, &log, sizeof(log));
	if (rc) {
		printf("get log page: %s\n", nvmx_result_str(rc));
		return 1;
	}
	printf("smart critical_warning=0x%02x\n", log.critical_warning);
	return 0;
}

int main(int argc, char **argv)
{
	struct aen_seen aen = { 0 };
	bool aer = false;
	static const uint32_t offs[] = { 0, 512, 3076 };
	unsigned int nq = 2, depth = 8, total = 0, passed = 0, nj = 0;
	struct nvmx_qpair *qp[MAXQ] = { 0 };
	struct nvmx_ctrl_opts opts;
	struct nvmx_ctrl *ctrl;
	struct nvmx_trid trid;
	struct job *jobs;
	char tr[128], err[256], s[64];
	const struct nvmx_id_ctrl *id;
	int opt, rc;
	static const struct option lo[] = {
		{ "queues", required_argument, NULL, 'q' },
		{ "depth", required_argument, NULL, 'd' },
		{ "aer", no_argument, NULL, 'a' },
		{ 0 }
	};

	if (argc < 2) {
		fprintf(stderr, "usage: pcie_host_check BDF [--queues N] [--depth D]\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (opt == 'q')
			nq = (unsigned int)atoi(optarg);
		else if (opt == 'd')
			depth = (unsigned int)atoi(optarg);
		else if (opt == 'a')
			aer = true;
		else
			return 2;
	}
	if (nq < 1 || nq > MAXQ || depth < 1)
		return 2;
	snprintf(tr, sizeof(tr), "pcie://%s", argv[1]);
	if (nvmx_trid_parse(&trid, tr, err, sizeof(err))) {
		fprintf(stderr, "pcie_host_check: %s\n", err);
		return 2;
	}
	nvmx_ctrl_opts_init(&opts, sizeof(opts));
	opts.nr_io_queues = nq;
	opts.queue_size = depth * 2;
	opts.keep_alive_tmo = 0;	/* PCIe: no keep-alive needed */
	opts.event_cb = on_event;
	opts.event_arg = &aen;
	rc = nvmx_ctrl_connect(&trid, &opts, &ctrl);
	if (rc) {
		fprintf(stderr, "pcie_host_check: connect %s: %s\n", tr, strerror(-rc));
		return 1;
	}
	id = nvmx_ctrl_identify(ctrl);
	memcpy(s, id->mn, sizeof(id->mn));
	s[sizeof(id->mn)] = 0;
	for (int i = (int)sizeof(id->mn) - 1; i >= 0 && s[i] == ' '; i--)
		s[i] = 0;
	printf("mn=%s\n", s);
	memcpy(s, id->sn, sizeof(id->sn));
	s[sizeof(id->sn)] = 0;
	for (int i = (int)sizeof(id->sn) - 1; i >= 0 && s[i] == ' '; i--)
		s[i] = 0;
	printf("sn=%s\nstate=%s max_xfer=%u io_queues=%u\n", s,
	       nvmx_ctrl_state_str(nvmx_ctrl_get_state(ctrl)), nvmx_ctrl_max_xfer(ctrl),
	       nvmx_ctrl_max_io_queues(ctrl));
	for (unsigned int i = 0; i < nvmx_ctrl_num_ns(ctrl); i++) {
		const struct nvmx_ns_info *ns = nvmx_ctrl_ns_at(ctrl, i);

		printf("ns=%u nsze=%" PRIu64 " lbs=%u\n", ns->nsid, ns->nsze, ns->block_size);
	}
	if (aer) {
		rc = aer_check(ctrl, &aen);
		nvmx_ctrl_disconnect(ctrl);
		return rc;
	}
	for (unsigned int q = 0; q < nq; q++) {
		rc = nvmx_qpair_alloc(ctrl, depth * 2, &qp[q]);
		if (rc) {
			fprintf(stderr, "qpair %u: %s\n", q, strerror(-rc));
			return 1;
		}
	}
	jobs = calloc(1024, sizeof(*jobs));
	for (unsigned int n = 0; n < nvmx_ctrl_num_ns(ctrl); n++) {
		const struct nvmx_ns_info *ns = nvmx_ctrl_ns_at(ctrl, n);
		uint32_t mx = nvmx_ctrl_max_xfer(ctrl) / 4096;
		const uint32_t pages[] = { 1, 2, 3, 513, mx, mx + 3 };
		uint64_t slba = 0;

		for (unsigned int pi = 0; pi < 6; pi++) {
			for (unsigned int oi = 0; oi < 3; oi++) {
				for (int dma = 1; dma >= 0; dma--) {
					struct job *j = &jobs[nj];
					size_t alloc = (size_t)pages[pi] * 4096 + 8192;

					if (!dma && oi != 1)
						continue;
					j->nsid = ns->nsid;
					j->lbs = ns->block_size;
					j->off = offs[oi];
					j->len = pages[pi] * 4096;
					j->dma = dma;
					j->slba = slba;
					slba += j->len / j->lbs + 8;
					if (slba > ns->nsze)
						return 1;
					if (dma) {
						j->wbuf = nvmx_pcie_host_ops.buf_alloc(ctrl, alloc);
						j->rbuf = nvmx_pcie_host_ops.buf_alloc(ctrl, alloc);
					} else {
						j->wbuf = aligned_alloc(4096, alloc);
						j->rbuf = aligned_alloc(4096, alloc);
					}
					if (!j->wbuf || !j->rbuf)
						return 1;
					for (uint32_t b = 0; b < j->len; b++)
						j->wbuf[j->off + b] = pattern(j->nsid, j->slba * j->lbs + b);
					memset(j->rbuf, 0xee, alloc);
					snprintf(j->name, sizeof(j->name), "ns %u lbs %u %u bytes at offset %u %s",
						 j->nsid, j->lbs, j->len, j->off, dma ? "dma" : "bounced");
					nj++;
				}
			}
		}
	}
	rc = run(qp, nq, jobs, nj, true, depth);
	if (!rc)
		rc = run(qp, nq, jobs, nj, false, depth);
	if (rc) {
		printf("not ok - I/O run: %s\n", strerror(-rc));
		return 1;
	}
	for (unsigned int i = 0; i < nj; i++) {
		struct job *j = &jobs[i];
		int ok = !j->err && j->done == 1 && !memcmp(j->rbuf + j->off, j->wbuf + j->off, j->len) &&
			 j->rbuf[j->off + j->len] == 0xee && (!j->off || j->rbuf[j->off - 1] == 0xee);

		total++;
		passed += ok;
		printf("%s - write/read-verify %s\n", ok ? "ok" : "not ok", j->name);
	}
	printf("io %u/%u passed\n", passed, total);
	rc = wait_on_fd(ctrl, qp[0], nvmx_ctrl_ns_at(ctrl, 0));
	printf("fd wake: %s\n", rc == 0 ? "ok" : strerror(-rc));
	for (unsigned int q = 0; q < nq; q++)
		nvmx_qpair_free(qp[q]);
	rc = nvmx_ctrl_disconnect(ctrl);
	printf("disconnect=%d\n", rc);
	return passed == total && rc == 0 ? 0 : 1;
}
