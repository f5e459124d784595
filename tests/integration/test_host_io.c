/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host library end to end over NVMe/TCP on 127.0.0.1, through the
 * public API only.  By default against the in-process fake target
 * (host_fake_target.c); with NVMX_TEST_TRID=tcp://127.0.0.1:PORT/NQN
 * against any other target (nvmxd, Linux nvmet through hostfwd), where the
 * tests that need the fake's knobs are skipped.
 *
 * Proves: connect, identify, namespaces; write then read-verify with 2+
 * I/O queues at depth > 1 and sizes crossing the in-capsule size,
 * MAXH2CDATA and MDTS, with and without digests; an out-of-range LBA
 * comes back with its status named; 4 queues x depth 64 of random mixed
 * I/O with every block verified; bad arguments refused; a command past its
 * deadline is detected and reported; discovery with an address override;
 * disconnect is clean.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_fake_target.h"
#include "nvmx/nvmx.h"

#define FAKE_NQN	"nqn.2024-01.io.nvmx:fake"

static struct fake_target *fake;
static struct nvmx_trid trid;
static bool external;

/* The namespace under test: NVMX_TEST_NSID, else the first. */
static const struct nvmx_ns_info *test_ns(struct nvmx_ctrl *c)
{
	const char *env = getenv("NVMX_TEST_NSID");
	const struct nvmx_ns_info *ns = env ? nvmx_ctrl_ns(c, (uint32_t)atoi(env))
					    : nvmx_ctrl_ns_at(c, 0);

	if (!ns)
		fail_msg("namespace %s not found", env ? env : "(first)");
	return ns;
}

static void start_fake(const struct fake_target_cfg *cfg)
{
	uint16_t port;
	char s[256];

	fake = fake_target_start(cfg, &port);
	snprintf(s, sizeof(s), "tcp://127.0.0.1:%u/%s", port, FAKE_NQN);
	assert_int_equal(nvmx_trid_parse(&trid, s, NULL, 0), 0);
}

static const struct fake_target_cfg default_cfg = {
	.block_size = 512,
	.nblocks = 65536,		/* 32 MiB */
	.mdts = 5,			/* 128 KiB */
	.ioccsz = (8192 + 64) / 16,	/* 8 KiB in-capsule */
	.maxh2cdata = 16384,
	.c2h_chunk = 24576,
	.r2t_chunk = 40960,
	.allow_digests = true,
};

static int setup(void **state)
{
	const char *env = getenv("NVMX_TEST_TRID");

	if (env && *env) {
		char err[200];

		external = true;
		if (nvmx_trid_parse(&trid, env, err, sizeof(err))) {
			fprintf(stderr, "NVMX_TEST_TRID: %s\n", err);
			return -1;
		}
		return 0;
	}
	start_fake(&default_cfg);
	return 0;
}

static int teardown(void **state)
{
	if (fake)
		fake_target_stop(fake);
	fake = NULL;
	return 0;
}

static bool disable_sqflow;	/* the next connect_with asks for it */

static struct nvmx_ctrl *connect_with(bool hd, bool dd, unsigned int io_timeout_ms)
{
	struct nvmx_ctrl_opts o;
	struct nvmx_ctrl *c = NULL;
	int rc;

	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.hdr_digest = hd;
	o.data_digest = dd;
	o.disable_sqflow = disable_sqflow;
	o.nr_io_queues = 4;
	if (io_timeout_ms)
		o.io_timeout_ms = io_timeout_ms;
	rc = nvmx_ctrl_connect(&trid, &o, &c);
	if (rc)
		fail_msg("connect: %s", nvmx_result_str(rc));
	return c;
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, n - i < 8 ? n - i : 8);
	}
}

/* ---- connect, identify, namespaces ---- */

static void connect_identifies_controller_and_namespaces(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_id_ctrl *id = nvmx_ctrl_identify(c);
	const struct nvmx_ns_info *ns;

	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	assert_non_null(id);
	assert_true(id->mn[0] != ' ' && id->mn[0] != 0);
	assert_true(nvmx_ctrl_num_ns(c) >= 1);
	ns = test_ns(c);
	assert_non_null(ns);
	assert_true(ns->block_size == 512 || ns->block_size == 4096);
	assert_true(ns->nsze > 0);
	assert_true(nvmx_ctrl_max_xfer(c) >= 4096);
	assert_true(nvmx_ctrl_max_io_queues(c) >= 2);
	assert_true(nvmx_vs_mjr(nvmx_ctrl_vs(c)) >= 1);
	if (!external) {
		assert_int_equal(ns->nsze, default_cfg.nblocks);
		assert_int_equal(ns->block_size, default_cfg.block_size);
		assert_true(ns->has_nguid && ns->has_uuid);
		assert_int_equal(ns->uuid[0], 0x10);
		assert_int_equal(nvmx_ctrl_max_xfer(c), 128 * 1024);
		assert_memory_equal(id->sn, "FAKE0001", 8);
	}
	/* A rescan replaces the table; what a caller holds stays valid. */
	assert_int_equal(nvmx_ctrl_rescan_ns(c), 0);
	assert_int_equal(nvmx_ctrl_ns(c, ns->nsid)->nsze, ns->nsze);
	assert_ptr_not_equal(nvmx_ctrl_ns(c, ns->nsid), ns);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- write then read-verify, 2 queues, depth > 1, sizes across limits ---- */

struct io_slot {
	bool done;
	int result;
};

static void slot_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct io_slot *s = arg;

	s->done = true;
	s->result = nvmx_cpl_result(cqe, err);
}

static void wait_slots(struct nvmx_ctrl *c, struct nvmx_qpair **qp, int nq, struct io_slot *s,
		       int n)
{
	for (int spins = 0;; spins++) {
		int left = 0;

		for (int q = 0; q < nq; q++)
			assert_true(nvmx_qpair_poll(qp[q], 0) >= 0);
		nvmx_ctrl_process_admin(c);
		for (int i = 0; i < n; i++)
			left += !s[i].done;
		if (!left)
			return;
		if (spins > 2000000)
			fail_msg("I/O did not complete");
	}
}

static void write_read_verify(bool hd, bool dd)
{
	struct nvmx_ctrl *c = connect_with(hd, dd, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	uint32_t bs = ns->block_size, mx = nvmx_ctrl_max_xfer(c);
	/* Sizes crossing the in-capsule size (8 KiB here, typically 8 KiB on
	 * nvmet), MAXH2CDATA (16 KiB here, 4 MiB on nvmet: the last size), MDTS
	 * or the transport limit (split). */
	uint32_t sizes[] = { bs, 4096, 8192 - bs > bs ? 8192 - bs : bs, 8192, 8192 + bs,
			     16384, 16384 + bs, 32768 + bs, 65536 + bs, mx - bs, mx, mx + bs,
			     2 * mx + 3 * bs, 4u * 1024 * 1024 + bs };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	struct nvmx_qpair *qp[2];
	uint8_t *wbuf[NS], *rbuf[NS];
	struct io_slot slot[NS];
	uint64_t lba = 0;
	uint64_t slba[NS];

	assert_int_equal(nvmx_qpair_alloc(c, 32, &qp[0]), 0);
	assert_int_equal(nvmx_qpair_alloc(c, 32, &qp[1]), 0);
	if (!hd && !dd)
		print_message("# block %u, transfer limit %u; sizes up to %u\n", bs, mx,
			      sizes[NS - 1]);
	for (int i = 0; i < NS; i++) {
		uint32_t n = (sizes[i] + bs - 1) / bs * bs;

		sizes[i] = n;
		wbuf[i] = malloc(n);
		rbuf[i] = malloc(n);
		fill(wbuf[i], n, (uint64_t)i + 100 * (hd + 2 * dd));
		memset(rbuf[i], 0xee, n);
		slba[i] = lba;
		lba += n / bs + 1;
	}
	assert_true(lba < ns->nsze);
	/* All writes in flight at once, alternating queues. */
	memset(slot, 0, sizeof(slot));
	for (int i = 0; i < NS; i++)
		assert_int_equal(nvmx_ns_write(qp[i % 2], ns->nsid, wbuf[i], slba[i], sizes[i] / bs,
					       slot_done, &slot[i], NULL), 0);
	wait_slots(c, qp, 2, slot, NS);
	for (int i = 0; i < NS; i++)
		if (slot[i].result)
			fail_msg("write of %u bytes: %s", sizes[i], nvmx_result_str(slot[i].result));
	/* Read back on the other queue. */
	memset(slot, 0, sizeof(slot));
	for (int i = 0; i < NS; i++)
		assert_int_equal(nvmx_ns_read(qp[(i + 1) % 2], ns->nsid, rbuf[i], slba[i],
					      sizes[i] / bs, slot_done, &slot[i], NULL), 0);
	wait_slots(c, qp, 2, slot, NS);
	for (int i = 0; i < NS; i++) {
		if (slot[i].result)
			fail_msg("read of %u bytes: %s", sizes[i], nvmx_result_str(slot[i].result));
		if (memcmp(wbuf[i], rbuf[i], sizes[i]))
			fail_msg("data mismatch at size %u (hd %d dd %d)", sizes[i], hd, dd);
		free(wbuf[i]);
		free(rbuf[i]);
	}
	nvmx_qpair_free(qp[0]);
	nvmx_qpair_free(qp[1]);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

static void write_read_verify_without_digests(void **state) { write_read_verify(false, false); }
static void write_read_verify_with_header_digest(void **state) { write_read_verify(true, false); }
static void write_read_verify_with_data_digest(void **state) { write_read_verify(false, true); }
static void write_read_verify_with_both_digests(void **state) { write_read_verify(true, true); }

/* Reads then end with a C2HData carrying SUCCESS, no CapsuleResp: data and
 * completions must come out the same. */
static void write_read_verify_without_sq_flow_control(void **state)
{
	disable_sqflow = true;
	write_read_verify(false, false);
	write_read_verify(true, true);
	disable_sqflow = false;
}

/* ---- errors ---- */

static void out_of_range_lba_returns_named_status(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	struct nvmx_qpair *qp;
	struct nvmx_cqe cqe;
	uint8_t *buf = calloc(1, 8 * ns->block_size);
	int rc;

	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	rc = nvmx_ns_read_sync(qp, ns->nsid, buf, ns->nsze, 1, &cqe);
	print_message("# read at LBA %llu: %s (0x%x)\n", (unsigned long long)ns->nsze,
		      nvmx_result_str(rc), rc);
	assert_true(rc > 0);
	if (!external) {
		assert_int_equal(rc & 0x7ff, NVMX_SC_LBA_RANGE);
		assert_string_equal(nvmx_result_str(rc), "LBA Out of Range");
	}
	rc = nvmx_ns_write_sync(qp, ns->nsid, buf, ns->nsze - 1, 8, &cqe);
	print_message("# write across the end: %s (0x%x)\n", nvmx_result_str(rc), rc);
	assert_true(rc > 0);
	/* The queue is still usable afterwards. */
	assert_int_equal(nvmx_ns_read_sync(qp, ns->nsid, buf, 0, 1, NULL), 0);
	nvmx_qpair_free(qp);
	free(buf);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

static void zero_length_and_bad_requests_are_refused(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	struct nvmx_qpair *qp;
	struct nvmx_sqe sqe;
	uint8_t buf[4096];

	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	assert_int_equal(nvmx_ns_read(qp, ns->nsid, buf, 0, 0, slot_done, NULL, NULL), -EINVAL);
	assert_int_equal(nvmx_ns_write(qp, 0xdead, buf, 0, 1, slot_done, NULL, NULL), -EINVAL);
	assert_int_equal(nvmx_ns_read(qp, ns->nsid, NULL, 0, 1, slot_done, NULL, NULL), -EINVAL);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = NVMX_NVM_READ;
	sqe.nsid = nvmx_cpu_to_le32(ns->nsid);
	/* NLB says 1 block, buffer is 100 bytes: refused before it is sent. */
	assert_int_equal(nvmx_io_sync(qp, &sqe, buf, 100, NVMX_DIR_FROM_CTRL, NULL), -EINVAL);
	assert_int_equal(nvmx_io_sync(qp, &sqe, buf, 0, NVMX_DIR_FROM_CTRL, NULL), -EINVAL);
	assert_int_equal(nvmx_io_sync(qp, &sqe, buf, ns->block_size, NVMX_DIR_FROM_CTRL, NULL), 0);
	assert_false(nvmx_qpair_failed(qp));
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- the other NVM commands, passthrough, file descriptors ---- */

/* Command specific status 83h of an I/O command ("Command Size Limit
 * Exceeded" in NVM 2.0, Linux's NVME_SC_ONCS_NOT_SUPPORTED): what nvmet
 * answers when its backend cannot do what Identify advertises. */
#define ONCS_NOT_SUPPORTED 0x183

static int wait_one(struct nvmx_qpair *qp, struct io_slot *s)
{
	for (long i = 0; !s->done; i++) {
		assert_true(nvmx_qpair_poll(qp, 0) >= 0);
		if (i > 50000000)
			fail_msg("command did not complete");
	}
	return s->result;
}

static void flush_write_zeroes_dsm_and_compare_complete_with_status(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	uint16_t oncs = nvmx_le16_to_cpu(nvmx_ctrl_identify(c)->oncs);
	uint32_t bs = ns->block_size;
	uint8_t *w = malloc(8 * bs), *r = malloc(8 * bs), *z = calloc(1, 8 * bs);
	struct nvmx_dsm_range range;
	struct nvmx_qpair *qp;
	struct io_slot s;
	int rc;

	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	fill(w, 8 * bs, 77);
	assert_int_equal(nvmx_ns_write_sync(qp, ns->nsid, w, 200, 8, NULL), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(nvmx_ns_flush(qp, ns->nsid, slot_done, &s, NULL), 0);
	assert_int_equal(wait_one(qp, &s), 0);
	if (oncs & NVMX_ONCS_COMPARE) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(nvmx_ns_compare(qp, ns->nsid, w, 200, 8, slot_done, &s, NULL), 0);
		assert_int_equal(wait_one(qp, &s), 0);
		w[5] ^= 1;
		memset(&s, 0, sizeof(s));
		assert_int_equal(nvmx_ns_compare(qp, ns->nsid, w, 200, 8, slot_done, &s, NULL), 0);
		rc = wait_one(qp, &s);
		print_message("# compare of different data: %s (0x%x)\n", nvmx_result_str(rc), rc);
		assert_int_equal(rc & 0x7ff, 0x285);
		assert_string_equal(nvmx_result_str(rc), nvmx_status_name(2, NVMX_SC_COMPARE_FAILED));
		w[5] ^= 1;
	} else {
		print_message("# compare not supported (ONCS 0x%x)\n", oncs);
	}
	if (oncs & NVMX_ONCS_WRITE_ZEROES) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(nvmx_ns_write_zeroes(qp, ns->nsid, 200, 4, slot_done, &s, NULL), 0);
		rc = wait_one(qp, &s);
		print_message("# write zeroes: %s (0x%x)\n", nvmx_result_str(rc), rc);
		if ((rc & 0x7ff) == ONCS_NOT_SUPPORTED) {
			/* nvmet on a file whose filesystem cannot zero a range */
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(nvmx_ns_read_sync(qp, ns->nsid, r, 200, 8, NULL), 0);
			assert_memory_equal(r, z, 4 * bs);
			assert_memory_equal(r + 4 * bs, w + 4 * bs, 4 * bs);
		}
	}
	if (oncs & NVMX_ONCS_DSM) {
		range.cattr = 0;
		range.nlb = nvmx_cpu_to_le32(4);
		range.slba = nvmx_cpu_to_le64(204);
		memset(&s, 0, sizeof(s));
		assert_int_equal(nvmx_ns_dsm(qp, ns->nsid, &range, 1, NVMX_DSM_AD, slot_done, &s, NULL), 0);
		rc = wait_one(qp, &s);
		print_message("# dataset management (deallocate): %s (0x%x)\n", nvmx_result_str(rc), rc);
		if ((rc & 0x7ff) != ONCS_NOT_SUPPORTED)
			assert_int_equal(rc, 0);
	}
	assert_int_equal(nvmx_ns_dsm(qp, ns->nsid, &range, 0, NVMX_DSM_AD, slot_done, &s, NULL), -EINVAL);
	nvmx_qpair_free(qp);
	free(w);
	free(r);
	free(z);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

static void passthrough_moves_data_both_ways(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	uint32_t bs = ns->block_size;
	uint8_t *id = aligned_alloc(4096, 4096), *w = malloc(2 * bs), *r = malloc(2 * bs);
	struct nvmx_qpair *qp;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;

	/* Admin, controller to host: Identify Controller. */
	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = NVMX_ADM_IDENTIFY;
	sqe.cdw10 = nvmx_cpu_to_le32(NVMX_CNS_CTRL);
	assert_int_equal(nvmx_admin_sync(c, &sqe, id, 4096, NVMX_DIR_FROM_CTRL, &cqe), 0);
	assert_memory_equal(id, nvmx_ctrl_identify(c), 4096 - 1024);	/* up to the vendor area */
	/* I/O, host to controller then back: Write and Read by hand. */
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	fill(w, 2 * bs, 5);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = NVMX_NVM_WRITE;
	sqe.nsid = nvmx_cpu_to_le32(ns->nsid);
	sqe.cdw10 = nvmx_cpu_to_le32(300);
	sqe.cdw12 = nvmx_cpu_to_le32(1);	/* 2 blocks, 0's based */
	assert_int_equal(nvmx_io_sync(qp, &sqe, w, 2 * bs, NVMX_DIR_TO_CTRL, &cqe), 0);
	sqe.opc = NVMX_NVM_READ;
	assert_int_equal(nvmx_io_sync(qp, &sqe, r, 2 * bs, NVMX_DIR_FROM_CTRL, &cqe), 0);
	assert_memory_equal(w, r, 2 * bs);
	assert_int_equal(nvmx_le16_to_cpu(cqe.cid) < 65535, 1);
	nvmx_qpair_free(qp);
	free(id);
	free(w);
	free(r);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

static void queue_pair_fd_wakes_poll_when_a_completion_arrives(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	uint8_t *buf = malloc(ns->block_size);
	struct nvmx_qpair *qp;
	struct io_slot s = { 0 };
	struct pollfd pfd;

	assert_true(nvmx_ctrl_fd(c) >= 0);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	pfd.fd = nvmx_qpair_fd(qp);
	pfd.events = POLLIN;
	assert_true(pfd.fd >= 0);
	assert_int_not_equal(pfd.fd, nvmx_ctrl_fd(c));
	assert_int_equal(poll(&pfd, 1, 0), 0);		/* idle: nothing to read */
	assert_int_equal(nvmx_ns_read(qp, ns->nsid, buf, 0, 1, slot_done, &s, NULL), 0);
	assert_int_equal(nvmx_qpair_poll(qp, 0) >= 0, 1);	/* sends it */
	if (!s.done) {
		assert_int_equal(poll(&pfd, 1, 5000), 1);	/* sleeps until the answer */
		assert_true(pfd.revents & POLLIN);
		while (!s.done)
			assert_true(nvmx_qpair_poll(qp, 0) >= 0);
	}
	assert_int_equal(s.result, 0);
	nvmx_qpair_free(qp);
	free(buf);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- 4 queues x depth 64, random mixed I/O, every block verified ---- */

#define RQ 4
#define RDEPTH 64
#define RBLOCKS 4096	/* region under test, in blocks */
#define RMAXNLB 16

struct rio {
	struct rnd *r;
	int q, slot;
	bool write;
	uint64_t lba;
	uint32_t nlb;
	uint8_t *buf;
	uint32_t gen;
};

struct rnd {
	uint32_t bs;
	uint32_t gen[RBLOCKS];	/* generation of each block's content */
	uint8_t busy[RBLOCKS];
	struct rio io[RQ][RDEPTH];
	unsigned long done, errors, mismatches;
};

/* A block's content names its LBA and generation, so a misplaced or stale
 * block is caught. */
static void stamp(uint8_t *p, uint32_t bs, uint64_t lba, uint32_t gen)
{
	fill(p, bs, lba * 1000003ull + gen);
	memcpy(p, &lba, 8);
	memcpy(p + 8, &gen, 4);
}

static void rio_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct rio *io = arg;
	struct rnd *r = io->r;
	uint8_t *want = malloc(r->bs);

	if (nvmx_cpl_result(cqe, err))
		r->errors++;
	for (uint32_t b = 0; b < io->nlb; b++) {
		uint64_t lba = io->lba + b;

		if (io->write) {
			r->gen[lba] = io->gen;
		} else {
			stamp(want, r->bs, lba, r->gen[lba]);
			if (r->gen[lba] && memcmp(want, io->buf + (size_t)b * r->bs, r->bs))
				r->mismatches++;
		}
		r->busy[lba] = 0;
	}
	free(want);
	io->nlb = 0;
	r->done++;
}

static bool rio_start(struct nvmx_qpair *qp, struct nvmx_ctrl *c, uint32_t nsid, struct rio *io,
		      unsigned int *seed)
{
	struct rnd *r = io->r;
	uint32_t nlb = 1 + (uint32_t)rand_r(seed) % RMAXNLB;
	uint64_t lba = (uint64_t)rand_r(seed) % (RBLOCKS - nlb);

	for (uint32_t b = 0; b < nlb; b++)
		if (r->busy[lba + b])
			return false;
	for (uint32_t b = 0; b < nlb; b++)
		r->busy[lba + b] = 1;
	io->lba = lba;
	io->nlb = nlb;
	io->write = rand_r(seed) % 2;
	if (io->write) {
		io->gen = (uint32_t)r->done + 1;
		for (uint32_t b = 0; b < nlb; b++)
			stamp(io->buf + (size_t)b * r->bs, r->bs, lba + b, io->gen);
		assert_int_equal(nvmx_ns_write(qp, nsid, io->buf, lba, nlb, rio_done, io, NULL), 0);
	} else {
		assert_int_equal(nvmx_ns_read(qp, nsid, io->buf, lba, nlb, rio_done, io, NULL), 0);
	}
	return true;
}

static void four_queues_depth_64_random_mixed_io_all_verified(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	struct rnd *r = calloc(1, sizeof(*r));
	struct nvmx_qpair *qp[RQ];
	unsigned int seed = 12345, started = 0;
	const char *env = getenv("NVMX_TEST_RANDOM_IOS");
	const unsigned int total = env ? (unsigned int)atoi(env) : 20000;

	r->bs = ns->block_size;
	assert_true(ns->nsze >= RBLOCKS);
	for (int q = 0; q < RQ; q++) {
		assert_int_equal(nvmx_qpair_alloc(c, RDEPTH + 1, &qp[q]), 0);
		for (int s = 0; s < RDEPTH; s++) {
			r->io[q][s].r = r;
			r->io[q][s].q = q;
			r->io[q][s].slot = s;
			r->io[q][s].buf = malloc((size_t)RMAXNLB * r->bs);
		}
	}
	while (r->done < total) {
		for (int q = 0; q < RQ; q++) {
			for (int s = 0; s < RDEPTH && started < total; s++)
				if (!r->io[q][s].nlb && rio_start(qp[q], c, ns->nsid, &r->io[q][s], &seed))
					started++;
			assert_true(nvmx_qpair_poll(qp[q], 0) >= 0);
		}
		nvmx_ctrl_process_admin(c);
	}
	print_message("# %lu I/Os, %lu errors, %lu mismatched blocks\n", r->done, r->errors,
		      r->mismatches);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->mismatches, 0);
	/* Final sweep: every block read back and checked. */
	uint8_t *all = malloc((size_t)RBLOCKS * r->bs), *want = malloc(r->bs);

	for (uint64_t lba = 0; lba < RBLOCKS; lba += 64)
		assert_int_equal(nvmx_ns_read_sync(qp[0], ns->nsid, all + lba * r->bs, lba, 64, NULL), 0);
	for (uint64_t lba = 0; lba < RBLOCKS; lba++) {
		if (!r->gen[lba])
			continue;
		stamp(want, r->bs, lba, r->gen[lba]);
		if (memcmp(want, all + lba * r->bs, r->bs))
			fail_msg("block %llu does not hold generation %u", (unsigned long long)lba,
				 r->gen[lba]);
	}
	free(all);
	free(want);
	for (int q = 0; q < RQ; q++) {
		for (int s = 0; s < RDEPTH; s++)
			free(r->io[q][s].buf);
		nvmx_qpair_free(qp[q]);
	}
	free(r);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- deadlines ---- */

struct ev_count {
	int timeouts, state_changes, qerrs;
};

static void count_events(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	struct ev_count *e = arg;

	e->timeouts += ev->type == NVMX_EVENT_TIMEOUT;
	e->state_changes += ev->type == NVMX_EVENT_STATE;
	e->qerrs += ev->type == NVMX_EVENT_QPAIR_ERROR;
}

static void expired_command_is_reported_and_sync_wait_bounded(void **state)
{
	struct fake_target_cfg cfg = default_cfg;
	struct nvmx_ctrl_opts o;
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	struct ev_count ev = { 0 };
	struct io_slot slot = { 0 };
	struct nvmx_cmd_opts co = { .timeout_ms = 100 };
	uint8_t buf[512];

	if (external)
		skip();
	teardown(state);
	cfg.drop_reads = true;
	start_fake(&cfg);
	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.io_timeout_ms = 300;
	o.no_recovery = true;	/* the report-only behaviour; recovery: test_recovery */
	o.event_cb = count_events;
	o.event_arg = &ev;
	assert_int_equal(nvmx_ctrl_connect(&trid, &o, &c), 0);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	assert_int_equal(nvmx_ns_read(qp, 1, buf, 0, 1, slot_done, &slot, &co), 0);
	for (int i = 0; i < 400 && !ev.timeouts; i++) {
		nvmx_qpair_poll(qp, 0);
		usleep(1000);
	}
	assert_int_equal(ev.timeouts, 1);	/* reported once */
	assert_false(slot.done);		/* but not completed behind the caller's back */
	/* A blocking call gives up at its deadline and fails the queue. */
	assert_int_equal(nvmx_ns_read_sync(qp, 1, buf, 1, 1, NULL), -ETIMEDOUT);
	assert_true(nvmx_qpair_failed(qp));
	assert_true(slot.done);
	assert_int_equal(slot.result, -ETIMEDOUT);
	assert_true(ev.qerrs >= 1);
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
	teardown(state);
	start_fake(&default_cfg);
}

/* ---- discovery ---- */

static void discovery_lists_subsystem_and_entry_connects_with_override(void **state)
{
	struct nvmx_disc_entry *e;
	struct nvmx_trid t;
	struct nvmx_ctrl *c;
	unsigned int n;
	uint64_t gen;
	int rc, found = -1;

	rc = nvmx_discover(&trid, NULL, &e, &n, &gen);
	if (rc)
		fail_msg("discover: %s", nvmx_result_str(rc));
	for (unsigned int i = 0; i < n; i++) {
		print_message("# entry %u: %s %s:%s %s\n", i, nvmx_disc_subtype_str(e[i].subtype),
			      e[i].traddr, e[i].trsvcid, e[i].subnqn);
		if (e[i].subtype == NVMX_SUBTYPE_NVME && !strcmp(e[i].subnqn, trid.subnqn))
			found = (int)i;
	}
	assert_true(found >= 0);
	if (!external) {
		assert_int_equal(gen, 7);
		assert_string_equal(e[found].traddr, "10.0.2.15");
	}
	/* The advertised address is not reachable from here: override it. */
	assert_int_equal(nvmx_disc_entry_trid(&e[found], trid.traddr, trid.trsvcid, &t), 0);
	assert_string_equal(t.subnqn, trid.subnqn);
	assert_int_equal(nvmx_ctrl_connect(&t, NULL, &c), 0);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
	free(e);
}

/* ---- thread model: admin on one thread, I/O on others ---- */

struct io_thread {
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	uint32_t nsid, bs;
	uint64_t base;
	atomic_bool *stop;
	unsigned long ios, errors;
};

static void *io_thread_main(void *arg)
{
	struct io_thread *t = arg;
	uint8_t *w = malloc(16 * t->bs), *r = malloc(16 * t->bs);

	for (unsigned long i = 0; !atomic_load(t->stop); i++) {
		uint64_t lba = t->base + (i % 64) * 16;

		fill(w, 16 * t->bs, lba + i);
		if (nvmx_ns_write_sync(t->qp, t->nsid, w, lba, 16, NULL) ||
		    nvmx_ns_read_sync(t->qp, t->nsid, r, lba, 16, NULL) || memcmp(w, r, 16 * t->bs))
			t->errors++;
		t->ios += 2;
	}
	free(w);
	free(r);
	return NULL;
}

static void admin_thread_runs_while_io_threads_use_their_queues(void **state)
{
	struct nvmx_ctrl *c = connect_with(false, false, 0);
	const struct nvmx_ns_info *ns = test_ns(c);
	struct io_thread t[2];
	pthread_t th[2];
	atomic_bool stop = false;
	uint8_t *id = aligned_alloc(4096, 4096);
	unsigned long admins = 0;
	uint64_t end;

	for (int i = 0; i < 2; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].c = c;
		t[i].nsid = ns->nsid;
		t[i].bs = ns->block_size;
		t[i].base = 10000 + (uint64_t)i * 2048;
		t[i].stop = &stop;
		assert_int_equal(nvmx_qpair_alloc(c, 0, &t[i].qp), 0);
		pthread_create(&th[i], NULL, io_thread_main, &t[i]);
	}
	end = (uint64_t)time(NULL) + 2;
	while ((uint64_t)time(NULL) < end) {
		assert_int_equal(nvmx_identify_sync(c, NVMX_CNS_CTRL, 0, id), 0);
		assert_true(nvmx_ctrl_process_admin(c) >= 0);
		admins++;
	}
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		print_message("# I/O thread %d: %lu I/Os, %lu errors\n", i, t[i].ios, t[i].errors);
		assert_int_equal(t[i].errors, 0);
		assert_true(t[i].ios > 0);
		nvmx_qpair_free(t[i].qp);
	}
	print_message("# admin thread: %lu Identify + process_admin rounds\n", admins);
	assert_true(admins > 0);
	free(id);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- keep-alive, discovery changes, a controller that goes away ---- */

static void keep_alive_goes_out_every_half_kato(void **state)
{
	struct nvmx_ctrl_opts o;
	struct nvmx_ctrl *c;
	unsigned int before;

	if (external)
		skip();
	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.keep_alive_tmo = 1;
	assert_int_equal(nvmx_ctrl_connect(&trid, &o, &c), 0);
	assert_int_equal(fake_target_last_kato(fake), 1000);	/* Connect carried KATO */
	before = fake_target_keepalives(fake);
	for (int i = 0; i < 260; i++) {		/* 2.6 s */
		assert_true(nvmx_ctrl_process_admin(c) >= 0);
		usleep(10000);
	}
	print_message("# %u keep-alives in 2.6 s at KATO 1 s\n", fake_target_keepalives(fake) - before);
	assert_in_range(fake_target_keepalives(fake) - before, 4, 6);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

static void discovery_rereads_while_the_generation_changes(void **state)
{
	struct fake_target_cfg cfg = default_cfg;
	struct nvmx_disc_entry *e;
	unsigned int n;
	uint64_t gen;

	if (external)
		skip();
	teardown(state);
	cfg.disc_genctr_bumps = 2;
	start_fake(&cfg);
	assert_int_equal(nvmx_discover(&trid, NULL, &e, &n, &gen), 0);
	/* Reads: header, log, header (changed twice) ... until two agree. */
	print_message("# %u discovery log reads, genctr %llu\n", fake_target_disc_reads(fake),
		      (unsigned long long)gen);
	assert_true(fake_target_disc_reads(fake) >= 6);
	assert_int_equal(gen, 7 + 2);
	assert_int_equal(n, 1);
	free(e);
	teardown(state);
	start_fake(&default_cfg);
}

struct loss_events {
	int qerr, dead;
};

static void on_loss(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	struct loss_events *l = arg;

	l->qerr += ev->type == NVMX_EVENT_QPAIR_ERROR;
	l->dead += ev->type == NVMX_EVENT_STATE && ev->u.state.new_state == NVMX_CTRL_DEAD;
}

static void lost_connections_fail_commands_and_make_the_controller_dead(void **state)
{
	struct fake_target_cfg cfg = default_cfg;
	struct loss_events l = { 0 };
	struct nvmx_ctrl_opts o;
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	struct io_slot s = { 0 };
	uint8_t buf[512];
	int rc = 0;

	if (external)
		skip();
	teardown(state);
	cfg.drop_reads = true;
	start_fake(&cfg);
	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.no_recovery = true;	/* without recovery; with it (the default): test_recovery */
	o.event_cb = on_loss;
	o.event_arg = &l;
	assert_int_equal(nvmx_ctrl_connect(&trid, &o, &c), 0);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	assert_int_equal(nvmx_ns_read(qp, 1, buf, 0, 1, slot_done, &s, NULL), 0);
	assert_true(nvmx_qpair_poll(qp, 0) >= 0);
	fake_target_drop_conns(fake);
	for (int i = 0; i < 2000 && rc >= 0; i++) {
		rc = nvmx_qpair_poll(qp, 0);
		usleep(1000);
	}
	assert_int_equal(rc, -ECONNRESET);
	assert_true(s.done);
	assert_int_equal(s.result, -ECONNRESET);
	assert_int_equal(nvmx_ns_read(qp, 1, buf, 0, 1, slot_done, &s, NULL), -ENOTCONN);
	for (int i = 0; i < 2000 && nvmx_ctrl_get_state(c) != NVMX_CTRL_DEAD; i++) {
		nvmx_ctrl_process_admin(c);
		usleep(1000);
	}
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_DEAD);
	assert_int_equal(l.dead, 1);
	assert_int_equal(l.qerr, 2);	/* the I/O queue and the admin queue */
	assert_true(nvmx_ctrl_errmsg(c)[0] != '\0');
	nvmx_qpair_free(qp);
	nvmx_ctrl_disconnect(c);
	teardown(state);
	start_fake(&default_cfg);
}

/* ---- disconnect ---- */

static void disconnect_shuts_down_and_closes_every_connection(void **state)
{
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp[2];
	unsigned int before;

	if (external)
		skip();	/* before connecting: skip() does not come back to disconnect */
	c = connect_with(false, false, 0);
	before = fake_target_clean_shutdowns(fake);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp[0]), 0);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp[1]), 0);
	nvmx_qpair_free(qp[0]);
	nvmx_qpair_free(qp[1]);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
	for (int i = 0; i < 1000 && fake_target_open_conns(fake); i++)
		usleep(1000);
	assert_int_equal(fake_target_open_conns(fake), 0);
	assert_int_equal(fake_target_clean_shutdowns(fake), before + 1);
}

static void connect_to_wrong_port_fails_cleanly(void **state)
{
	struct nvmx_trid t = trid;
	struct nvmx_ctrl *c = (void *)1;

	strcpy(t.trsvcid, "1");
	assert_int_equal(nvmx_ctrl_connect(&t, NULL, &c), -ECONNREFUSED);
	assert_null(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_identifies_controller_and_namespaces),
		cmocka_unit_test(write_read_verify_without_digests),
		cmocka_unit_test(write_read_verify_with_header_digest),
		cmocka_unit_test(write_read_verify_with_data_digest),
		cmocka_unit_test(write_read_verify_with_both_digests),
		cmocka_unit_test(write_read_verify_without_sq_flow_control),
		cmocka_unit_test(out_of_range_lba_returns_named_status),
		cmocka_unit_test(zero_length_and_bad_requests_are_refused),
		cmocka_unit_test(flush_write_zeroes_dsm_and_compare_complete_with_status),
		cmocka_unit_test(passthrough_moves_data_both_ways),
		cmocka_unit_test(queue_pair_fd_wakes_poll_when_a_completion_arrives),
		cmocka_unit_test(four_queues_depth_64_random_mixed_io_all_verified),
		cmocka_unit_test(expired_command_is_reported_and_sync_wait_bounded),
		cmocka_unit_test(discovery_lists_subsystem_and_entry_connects_with_override),
		cmocka_unit_test(admin_thread_runs_while_io_threads_use_their_queues),
		cmocka_unit_test(keep_alive_goes_out_every_half_kato),
		cmocka_unit_test(discovery_rereads_while_the_generation_changes),
		cmocka_unit_test(lost_connections_fail_commands_and_make_the_controller_dead),
		cmocka_unit_test(disconnect_shuts_down_and_closes_every_connection),
		cmocka_unit_test(connect_to_wrong_port_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
