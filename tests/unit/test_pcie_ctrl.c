/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PCIe controller bring-up, queues and data path against the simulated
 * controller of pcie_fake_ctrl.c (register block in memory, rings in
 * identity-mapped DMA memory).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nvmx/spec.h"
#include "pcie_fake_ctrl.h"
#include "transport/pcie_ctrl.h"
#include "transport/pcie_prp.h"

struct env {
	struct fake_ctrl f;
	struct nvmx_dma_pool dma;
	struct nvmx_pcie_ctrl c;
};

static struct env *env_new(uint64_t cap_extra)
{
	struct env *e = calloc(1, sizeof(*e));
	struct nvmx_dma_mapper m = nvmx_dma_mapper_identity();

	assert_non_null(e);
	fake_init(&e->f, cap_extra);
	fake_add_ns(&e->f, 9, 8192);		/* 512-byte blocks, 4 MiB */
	fake_add_ns(&e->f, 12, 2048);		/* 4096-byte blocks, 8 MiB */
	assert_int_equal(nvmx_dma_pool_init(&e->dma, &m, 0), 0);
	assert_int_equal(nvmx_pcie_ctrl_init(&e->c, e->f.bar, e->f.bar_size, &e->dma, "fake"), 0);
	e->c.wait_hook = fake_step;
	e->c.wait_arg = &e->f;
	return e;
}

static void env_free(struct env *e)
{
	nvmx_pcie_ctrl_fini(&e->c);
	nvmx_dma_pool_fini(&e->dma);
	fake_fini(&e->f);
	free(e);
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void bringup_programs_admin_queue_and_cc_per_spec(void **state)
{
	struct env *e = env_new(0);
	uint32_t cc;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 32), 0);
	assert_int_equal(fake_reg32(&e->f, NVMX_REG_AQA), (31u << 16) | 31u);
	assert_int_equal(nvmx_get_le64(e->f.bar + NVMX_REG_ASQ), e->c.adminq.sq_iova);
	assert_int_equal(nvmx_get_le64(e->f.bar + NVMX_REG_ACQ), e->c.adminq.cq_iova);
	assert_int_equal(e->c.adminq.sq_iova % 4096, 0);
	cc = fake_reg32(&e->f, NVMX_REG_CC);
	assert_int_equal(nvmx_cc_en(cc), 1);
	assert_int_equal(nvmx_cc_iosqes(cc), 6);
	assert_int_equal(nvmx_cc_iocqes(cc), 4);
	assert_int_equal(nvmx_cc_mps(cc), 0);
	assert_int_equal(nvmx_cc_css(cc), 0);
	assert_int_equal(nvmx_cc_shn(cc), 0);
	assert_int_equal(nvmx_csts_rdy(fake_reg32(&e->f, NVMX_REG_CSTS)), 1);
	assert_int_equal(e->f.enables, 1);
	env_free(e);
}

static void bringup_disables_a_running_controller_first(void **state)
{
	struct env *e = env_new(0);

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(e->f.disables, 1);
	assert_int_equal(e->f.enables, 2);
	env_free(e);
}

static void disable_gives_up_after_cap_to(void **state)
{
	struct env *e = env_new(1ull << 24);	/* CAP.TO = 500 ms */
	uint64_t t0;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	e->f.stuck_ready = true;
	t0 = ms_now();
	assert_int_equal(nvmx_pcie_ctrl_disable(&e->c), -ETIMEDOUT);
	assert_true(ms_now() - t0 >= 500);
	assert_true(ms_now() - t0 < 3000);
	env_free(e);
}

static void enable_times_out_when_rdy_never_rises(void **state)
{
	struct env *e = env_new(1ull << 24);

	e->f.never_ready = true;
	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), -ETIMEDOUT);
	env_free(e);
}

static void identify_controller_over_admin_queue(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_id_ctrl *id;
	struct nvmx_sqe sqe = { 0 };
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	id = nvmx_dma_alloc(&e->dma, sizeof(*id), &iova);
	sqe.opc = NVMX_ADM_IDENTIFY;
	((struct nvmx_cmd_identify *)&sqe)->cns = NVMX_CNS_CTRL;
	assert_int_equal(nvmx_pcie_admin(&e->c, &sqe, id, sizeof(*id), false, NULL), 0);
	assert_memory_equal(id->mn, FAKE_MN, strlen(FAKE_MN));
	assert_memory_equal(id->sn, FAKE_SN, strlen(FAKE_SN));
	assert_int_equal(nvmx_le32_to_cpu(id->nn), 2);
	/* the same through an ordinary (bounced) buffer */
	{
		struct nvmx_id_ctrl *plain = calloc(1, sizeof(*plain));

		assert_int_equal(nvmx_pcie_admin(&e->c, &sqe, plain, sizeof(*plain), false, NULL), 0);
		assert_memory_equal(plain, id, sizeof(*id));
		free(plain);
	}
	nvmx_dma_free(&e->dma, id);
	env_free(e);
}

static void io_queues_cq_before_sq_and_deleted_in_reverse(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q1, q2;
	static const uint8_t want[] = {
		NVMX_ADM_CREATE_CQ, NVMX_ADM_CREATE_SQ, NVMX_ADM_CREATE_CQ, NVMX_ADM_CREATE_SQ,
		NVMX_ADM_DELETE_SQ, NVMX_ADM_DELETE_CQ, NVMX_ADM_DELETE_SQ, NVMX_ADM_DELETE_CQ,
	};

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q1, 1, 32, 32, 0), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q2, 2, 64, 64, 0), 0);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q1), 0);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q2), 0);
	assert_true(e->f.sq[1].on && e->f.cq[1].on && e->f.sq[2].on && e->f.cq[2].on);
	assert_int_equal(e->f.sq[2].size, 64);
	assert_int_equal(e->f.sq[2].cqid, 2);
	assert_int_equal(nvmx_pcie_delete_io_queue(&e->c, &q2), 0);
	assert_int_equal(nvmx_pcie_delete_io_queue(&e->c, &q1), 0);
	assert_int_equal(e->f.nadmin, sizeof(want));
	assert_memory_equal(e->f.admin_ops, want, sizeof(want));
	assert_false(e->f.sq[1].on || e->f.cq[1].on);
	nvmx_pcie_queue_free(&q1);
	nvmx_pcie_queue_free(&q2);
	env_free(e);
}

static void queue_depth_beyond_mqes_is_refused(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q;

	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 257, 8, 0), -EINVAL);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 256, 8, 0), 0);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

struct done_rec {
	int n;
	uint16_t st[512];
};

static void count_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct done_rec *d = arg;

	d->st[d->n++ % 512] = nvmx_cqe_status(cqe);
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

/* Write then read back through PRPs, at offsets inside a page and lengths
 * of 1, 2, 3 and 513 pages, zero-copy and bounced, both block sizes; the
 * fake's own PRP walk moves the data. */
static void write_read_verify_across_prp_list_boundaries(void **state)
{
	static const uint32_t offs[] = { 0, 512, 3584 };
	static const uint32_t pages[] = { 1, 2, 3, 513 };
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q;
	uint8_t *dma_w, *dma_r, *plain_w, *plain_r;
	size_t big = 520 * 4096;
	uint64_t iova;

	e->f.mdts = 0;			/* no limit in the fake */
	e->c.max_xfer = 4u << 20;	/* needs chained list pages */
	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 16, 16, 4u << 20), 0);
	assert_int_equal(q.prp_pages, 3);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	dma_w = nvmx_dma_alloc(&e->dma, big, &iova);
	dma_r = nvmx_dma_alloc(&e->dma, big, &iova);
	plain_w = malloc(big);
	plain_r = malloc(big);
	for (int bounce = 0; bounce < 2; bounce++) {
		uint8_t *w = bounce ? plain_w : dma_w, *r = bounce ? plain_r : dma_r;

		for (uint32_t nsid = 1; nsid <= 2; nsid++) {
			uint32_t lbs = nsid == 1 ? 512 : 4096;

			for (unsigned oi = 0; oi < 3; oi++) {
				for (unsigned pi = 0; pi < 4; pi++) {
					uint32_t len = pages[pi] * 4096, off = offs[oi];
					struct nvmx_sqe sqe;
					struct nvmx_cqe cqe;

					for (uint32_t i = 0; i < len; i++)
						w[off + i] = (uint8_t)(i * 31 + pi * 7 + oi + nsid + bounce);
					memset(r, 0, big);
					fill_rw(&sqe, NVMX_NVM_WRITE, nsid, 8, len / lbs);
					assert_int_equal(nvmx_pcie_exec(&q, &sqe, w + off, len, true, &cqe, 2000), 0);
					assert_true(nvmx_st_ok(nvmx_cqe_status(&cqe)));
					fill_rw(&sqe, NVMX_NVM_READ, nsid, 8, len / lbs);
					assert_int_equal(nvmx_pcie_exec(&q, &sqe, r + off, len, false, &cqe, 2000), 0);
					assert_true(nvmx_st_ok(nvmx_cqe_status(&cqe)));
					assert_memory_equal(r + off, w + off, len);
					/* and nothing outside the buffer was touched */
					assert_int_equal(off ? r[off - 1] : 0, 0);
					assert_int_equal(r[off + len], 0);
				}
			}
		}
	}
	assert_int_equal(q.bounce.free_pages, q.bounce.npages);	/* all bounces returned */
	free(plain_w);
	free(plain_r);
	assert_int_equal(nvmx_pcie_delete_io_queue(&e->c, &q), 0);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

static void transfer_beyond_max_xfer_is_e2big(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q;
	struct nvmx_sqe sqe;
	uint64_t iova;
	void *buf;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	e->c.max_xfer = 128 * 1024;
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 8, 8, 0), 0);
	buf = nvmx_dma_alloc(&e->dma, 256 * 1024, &iova);
	fill_rw(&sqe, NVMX_NVM_WRITE, 1, 0, 512);
	assert_int_equal(nvmx_pcie_map_data(&q, &sqe, 0, buf, 256 * 1024, true), -E2BIG);
	/* ordinary memory without a bounce arena cannot be moved */
	assert_int_equal(nvmx_pcie_map_data(&q, &sqe, 0, &sqe, 64, true), -EINVAL);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

/* Several commands at depth > 1 on two queues; the fake answers them in
 * one go: one CQ head doorbell per batch; then the rings wrap many times
 * and the phase flips each time. */
static void batch_completion_rings_cq_doorbell_once_and_phase_wraps(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q[2];
	struct done_rec d = { 0 };
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	buf = nvmx_dma_alloc(&e->dma, 8 * 4096, &iova);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q[i], (uint16_t)(i + 1), 4, 8, 0), 0);
		assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q[i]), 0);
	}
	e->f.hold = true;
	for (int i = 0; i < 2; i++) {
		for (int k = 0; k < 3; k++) {
			struct nvmx_sqe sqe;

			fill_rw(&sqe, NVMX_NVM_WRITE, 1, (uint64_t)k, 1);
			assert_int_equal(nvmx_pcie_submit(&q[i], &sqe, buf + k * 512, 512, true, count_done, &d), 0);
		}
		/* depth 4 holds 3: the fourth is refused, not overwritten */
		{
			struct nvmx_sqe sqe;

			fill_rw(&sqe, NVMX_NVM_WRITE, 1, 9, 1);
			assert_int_equal(nvmx_pcie_submit(&q[i], &sqe, buf, 512, true, count_done, &d), -EAGAIN);
		}
	}
	assert_int_equal(nvmx_get_le32(e->f.bar + nvmx_doorbell_off(1, 0, 0)), 3);
	e->f.hold = false;
	fake_step(&e->f);
	for (int i = 0; i < 2; i++) {
		uint64_t before = q[i].cq_db_writes;

		assert_int_equal(nvmx_pcie_poll(&q[i], 0), 3);
		assert_int_equal(q[i].cq_db_writes, before + 1);
		assert_int_equal(nvmx_get_le32(e->f.bar + nvmx_doorbell_off(q[i].qid, 1, 0)), 3);
		assert_int_equal(nvmx_pcie_poll(&q[i], 0), 0);
		assert_int_equal(q[i].cq_db_writes, before + 1);	/* nothing new, no write */
	}
	assert_int_equal(d.n, 6);
	/* 200 more on queue 1, two at a time: the depth-4 ring wraps ~100 times */
	for (int k = 0; k < 100; k++) {
		struct nvmx_sqe a, b;

		fill_rw(&a, NVMX_NVM_WRITE, 1, 1, 1);
		fill_rw(&b, NVMX_NVM_READ, 1, 1, 1);
		assert_int_equal(nvmx_pcie_submit(&q[0], &a, buf, 512, true, count_done, &d), 0);
		assert_int_equal(nvmx_pcie_submit(&q[0], &b, buf + 4096, 512, false, count_done, &d), 0);
		fake_step(&e->f);
		assert_int_equal(nvmx_pcie_poll(&q[0], 0), 2);
	}
	assert_int_equal(d.n, 206);
	for (int i = 0; i < 206 && i < 512; i++)
		assert_int_equal(d.st[i] & 0xfffe, 0);
	assert_memory_equal(buf, buf + 4096, 512);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(nvmx_pcie_delete_io_queue(&e->c, &q[i]), 0);
		nvmx_pcie_queue_free(&q[i]);
	}
	env_free(e);
}

static void doorbell_stride_follows_cap_dstrd(void **state)
{
	struct env *e = env_new(2ull << 32);	/* DSTRD = 2: 16-byte stride */
	struct nvmx_pcie_queue q;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(e->c.dstrd, 2);
	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 3, 8, 8, 0), 0);
	assert_ptr_equal((void *)q.sq_db, e->f.bar + 0x1000 + 6 * 16);
	assert_ptr_equal((void *)q.cq_db, e->f.bar + 0x1000 + 7 * 16);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	buf = nvmx_dma_alloc(&e->dma, 4096, &iova);
	fill_rw(&sqe, NVMX_NVM_READ, 1, 0, 8);
	assert_int_equal(nvmx_pcie_exec(&q, &sqe, buf, 4096, false, &cqe, 2000), 0);
	assert_true(nvmx_st_ok(nvmx_cqe_status(&cqe)));
	assert_int_equal(e->f.io_cmds, 1);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

static void surprise_removal_makes_the_controller_dead(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_sqe sqe = { .opc = NVMX_ADM_IDENTIFY };
	struct nvmx_cqe cqe;
	uint32_t csts;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	e->f.hold = true;
	fake_remove(&e->f);
	assert_int_equal(nvmx_pcie_exec(&e->c.adminq, &sqe, NULL, 0, false, &cqe, 2000), -ENODEV);
	assert_true(atomic_load(&e->c.dead));
	assert_int_equal(nvmx_pcie_csts(&e->c, &csts), -ENODEV);
	assert_int_equal(nvmx_pcie_submit(&e->c.adminq, &sqe, NULL, 0, false, NULL, NULL), -ENODEV);
	assert_int_equal(nvmx_pcie_poll(&e->c.adminq, 0), -ENODEV);
	env_free(e);
}

static void shutdown_waits_for_shst_complete(void **state)
{
	struct env *e = env_new(0);

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_ctrl_shutdown(&e->c, 1000), 0);
	assert_int_equal(nvmx_cc_shn(fake_reg32(&e->f, NVMX_REG_CC)), 1);
	assert_int_equal(nvmx_csts_shst(fake_reg32(&e->f, NVMX_REG_CSTS)), 2);
	env_free(e);

	e = env_new(0);
	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	e->f.no_shutdown = true;
	assert_int_equal(nvmx_pcie_ctrl_shutdown(&e->c, 200), -ETIMEDOUT);
	env_free(e);
}

/* Controller reset: EN 1->0->1, admin queue reprogrammed, I/O queues
 * re-created, and I/O works again with the data kept. */
static void reset_reenables_and_queues_come_back(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 8, 8, 0), 0);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	buf = nvmx_dma_alloc(&e->dma, 4096, &iova);
	memset(buf, 0x5a, 4096);
	fill_rw(&sqe, NVMX_NVM_WRITE, 2, 3, 1);
	assert_int_equal(nvmx_pcie_exec(&q, &sqe, buf, 4096, true, &cqe, 2000), 0);

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);	/* the reset */
	assert_int_equal(e->f.disables, 1);
	assert_false(e->f.sq[1].on);
	nvmx_pcie_queue_reset(&q);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	memset(buf, 0, 4096);
	fill_rw(&sqe, NVMX_NVM_READ, 2, 3, 1);
	assert_int_equal(nvmx_pcie_exec(&q, &sqe, buf, 4096, false, &cqe, 2000), 0);
	assert_true(nvmx_st_ok(nvmx_cqe_status(&cqe)));
	for (int i = 0; i < 4096; i++)
		assert_int_equal(buf[i], 0x5a);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

static void nssr_written_only_when_cap_nssrs(void **state)
{
	struct env *e = env_new(0);

	assert_int_equal(nvmx_pcie_ctrl_nssr(&e->c), -ENOTSUP);
	assert_int_equal(fake_reg32(&e->f, NVMX_REG_NSSR), 0);
	env_free(e);
	e = env_new(1ull << 36);
	assert_int_equal(nvmx_pcie_ctrl_nssr(&e->c), 0);
	assert_int_equal(fake_reg32(&e->f, NVMX_REG_NSSR), 0x4e564d65u);
	env_free(e);
}

static void error_status_is_reported(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 8, 8, 0), 0);
	/* an SQ whose CQ does not exist: Completion Queue Invalid */
	nvmx_pcie_fill_create_sq(&sqe, &q);
	assert_int_equal(nvmx_pcie_exec(&e->c.adminq, &sqe, NULL, 0, false, &cqe, 2000), 0);
	assert_int_equal(nvmx_st_sct(nvmx_cqe_status(&cqe)), NVMX_SCT_CMD_SPECIFIC);
	assert_int_equal(nvmx_st_sc(nvmx_cqe_status(&cqe)), NVMX_SC_CQ_INVALID);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	buf = nvmx_dma_alloc(&e->dma, 4096, &iova);
	fill_rw(&sqe, NVMX_NVM_READ, 1, 8191, 2);	/* runs past the end */
	assert_int_equal(nvmx_pcie_exec(&q, &sqe, buf, 1024, false, &cqe, 2000), 0);
	assert_int_equal(nvmx_st_sc(nvmx_cqe_status(&cqe)), NVMX_SC_LBA_RANGE);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}


struct once_rec {
	int calls[64];
	uint16_t st[64];
};

struct once_arg {
	struct once_rec *r;
	int idx;
};

static void once_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct once_arg *a = arg;

	a->r->calls[a->idx]++;
	a->r->st[a->idx] = nvmx_cqe_status(cqe);
}

/* Reset with commands in flight on two queues, some already executed and
 * completed, some not: every callback runs exactly once, with success,
 * and every write reached the media. */
static void reset_replay_completes_every_command_exactly_once(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q[2], *qs[2] = { &q[0], &q[1] };
	struct once_rec rec = { { 0 } };
	struct once_arg args[12];
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	buf = nvmx_dma_alloc(&e->dma, 12 * 4096, &iova);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q[i], (uint16_t)(i + 1), 8, 8, 1u << 20), 0);
		assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q[i]), 0);
	}
	for (int k = 0; k < 12; k++) {
		struct nvmx_sqe sqe;
		uint8_t *src = k % 3 ? buf + k * 4096 : malloc(4096);	/* some bounced */

		memset(src, 0x10 + k, 4096);
		fill_rw(&sqe, NVMX_NVM_WRITE, 2, (uint64_t)k, 1);
		args[k] = (struct once_arg){ &rec, k };
		if (k == 4)
			fake_step(&e->f);	/* the first four execute and complete ... */
		if (k == 4)
			e->f.hold = true;	/* ... the rest wait in the SQs */
		assert_int_equal(nvmx_pcie_submit(&q[k % 2], &sqe, src, 4096, true, once_done, &args[k]), 0);
		if (k % 3 == 0)
			free(src);		/* bounced: the copy is in the bounce buffer */
	}
	e->f.hold = false;
	/* the fake executes the queued ones during the reset's waits (before
	 * the disable takes effect) or after the replay: either way once */
	assert_int_equal(nvmx_pcie_ctrl_reset_replay(&e->c, qs, 2), 0);
	assert_int_equal(e->f.disables, 1);
	for (int i = 0; i < 50; i++) {
		fake_step(&e->f);
		nvmx_pcie_poll(&q[0], 0);
		nvmx_pcie_poll(&q[1], 0);
	}
	for (int k = 0; k < 12; k++) {
		assert_int_equal(rec.calls[k], 1);
		assert_true(nvmx_st_ok(rec.st[k]));
		for (int b = 0; b < 4096; b++)
			assert_int_equal(e->f.ns[1].data[(size_t)k * 4096 + b], 0x10 + k);
	}
	assert_int_equal(q[0].nfree, 8);
	assert_int_equal(q[1].nfree, 8);
	for (int i = 0; i < 2; i++)
		nvmx_pcie_queue_free(&q[i]);
	env_free(e);
}

/* The replay resubmits in the original order on each queue, not in CID
 * order: two writes to one LBA, the later one must win. */
static void reset_replay_keeps_submission_order(void **state)
{
	struct env *e = env_new(0);
	struct nvmx_pcie_queue q, *qs[1] = { &q };
	struct nvmx_sqe sqe;
	uint8_t *buf;
	uint64_t iova;

	assert_int_equal(nvmx_pcie_ctrl_bringup(&e->c, 16), 0);
	assert_int_equal(nvmx_pcie_queue_alloc(&e->c, &q, 1, 8, 8, 0), 0);
	assert_int_equal(nvmx_pcie_create_io_queue(&e->c, &q), 0);
	buf = nvmx_dma_alloc(&e->dma, 2 * 4096, &iova);
	/* two reads complete in order: CID 0 then 1 go back on the free
	 * stack, so the next two submissions get CID 1 then CID 0 */
	for (int k = 0; k < 2; k++) {
		fill_rw(&sqe, NVMX_NVM_READ, 2, 0, 1);
		assert_int_equal(nvmx_pcie_submit(&q, &sqe, buf, 4096, false, NULL, NULL), 0);
	}
	fake_step(&e->f);
	assert_int_equal(nvmx_pcie_poll(&q, 0), 2);
	memset(buf, 0xaa, 4096);
	memset(buf + 4096, 0xbb, 4096);
	e->f.hold = true;
	for (int k = 0; k < 2; k++) {
		fill_rw(&sqe, NVMX_NVM_WRITE, 2, 7, 1);
		assert_int_equal(nvmx_pcie_submit(&q, &sqe, buf + k * 4096, 4096, true, NULL, NULL), 0);
	}
	assert_int_equal(nvmx_le16_to_cpu(q.sq[2].cid), 1);
	assert_int_equal(nvmx_le16_to_cpu(q.sq[3].cid), 0);
	/* the controller goes down before running them */
	assert_int_equal(nvmx_pcie_ctrl_disable(&e->c), 0);
	e->f.hold = false;
	assert_int_equal(nvmx_pcie_ctrl_reset_replay(&e->c, qs, 1), 0);
	for (int i = 0; i < 20; i++) {
		fake_step(&e->f);
		nvmx_pcie_poll(&q, 0);
	}
	assert_int_equal(q.nfree, 8);
	assert_int_equal(e->f.ns[1].data[7 * 4096], 0xbb);
	nvmx_pcie_queue_free(&q);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bringup_programs_admin_queue_and_cc_per_spec),
		cmocka_unit_test(bringup_disables_a_running_controller_first),
		cmocka_unit_test(disable_gives_up_after_cap_to),
		cmocka_unit_test(enable_times_out_when_rdy_never_rises),
		cmocka_unit_test(identify_controller_over_admin_queue),
		cmocka_unit_test(io_queues_cq_before_sq_and_deleted_in_reverse),
		cmocka_unit_test(queue_depth_beyond_mqes_is_refused),
		cmocka_unit_test(write_read_verify_across_prp_list_boundaries),
		cmocka_unit_test(transfer_beyond_max_xfer_is_e2big),
		cmocka_unit_test(batch_completion_rings_cq_doorbell_once_and_phase_wraps),
		cmocka_unit_test(doorbell_stride_follows_cap_dstrd),
		cmocka_unit_test(surprise_removal_makes_the_controller_dead),
		cmocka_unit_test(shutdown_waits_for_shst_complete),
		cmocka_unit_test(reset_reenables_and_queues_come_back),
		cmocka_unit_test(nssr_written_only_when_cap_nssrs),
		cmocka_unit_test(error_status_is_reported),
		cmocka_unit_test(reset_replay_completes_every_command_exactly_once),
		cmocka_unit_test(reset_replay_keeps_submission_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
