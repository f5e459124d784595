/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command entry points: route a command to the fabrics, admin or I/O
 * handlers, and complete it (CQE fields, faults, hand-off to the transport).
 */
#include <string.h>
#include <time.h>

#include "target/core.h"
#include "util/log.h"

uint64_t nvmx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Fabrics 1.1, 2.3.1: SGL is the only data pointer form on fabrics; the
 * length the host described must be what the command moves. */
static uint16_t check_sgl(struct nvmx_tgt_req *r)
{
	uint32_t sgl_len = nvmx_le32_to_cpu(r->sqe.dptr.sgl.length);

	if (r->xfer_len == 0)
		return 0;
	if ((r->sqe.flags & 0xc0) != NVMX_SQE_PSDT_SGL_MPTR)
		return nvmx_sc(NVMX_SC_INVALID_FIELD);
	if (sgl_len != r->xfer_len)
		return nvmx_sc(NVMX_SC_SGL_INVALID_DATA);
	return 0;
}

uint16_t nvmx_tgt_cmd_prepare(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_queue *q = r->q;
	uint16_t st;

	memset(&r->cqe, 0, sizeof(r->cqe));
	r->dir = NVMX_DIR_NONE;
	r->xfer_len = 0;
	r->data = r->buf;
	r->dropped = false;
	r->delay_until_ns = 0;
	q->cmds++;
	if (q->size)
		q->sqhd = (uint16_t)((q->sqhd + 1) % q->size);

	if (r->sqe.opc == NVMX_ADM_FABRICS)
		st = nvmx_tgt_fabrics_prepare(r);
	else if (!q->ctrl)	/* Fabrics 1.1, 3.3: Connect comes first */
		st = nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
	else if (r->sqe.flags & NVMX_SQE_FUSE_MASK)	/* no fused operations (FUSES = 0) */
		st = nvmx_sc(NVMX_SC_INVALID_FIELD);
	else if (q->qid == 0)
		st = nvmx_tgt_admin_prepare(r);
	else
		st = nvmx_tgt_io_prepare(r);
	if (st == 0)
		st = check_sgl(r);
	if (st)
		r->xfer_len = 0;
	return st;
}

void nvmx_tgt_cmd_exec(struct nvmx_tgt_req *r)
{
	if (r->sqe.opc == NVMX_ADM_FABRICS)
		nvmx_tgt_fabrics_exec(r);
	else if (r->q->qid == 0)
		nvmx_tgt_admin_exec(r);
	else
		nvmx_tgt_io_exec(r);
}

void nvmx_tgt_req_done(struct nvmx_tgt_req *r, uint16_t status, uint32_t dw0)
{
	r->cqe.dw0 = nvmx_cpu_to_le32(dw0);
	r->cqe.status = nvmx_cpu_to_le16(status);
	if (!nvmx_st_ok(status) && r->q->ctrl)
		nvmx_tgt_ctrl_add_error(r->q->ctrl, r, status);
	nvmx_tgt_req_complete(r);
}

/* Faults armed from the control socket (slow path: only when armed). */
static void apply_faults(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt *t = r->q->t;
	struct nvmx_tgt_faults *f = &t->faults;

	pthread_mutex_lock(&t->fault_lock);
	if (f->drop_count > 0 && f->drop_opc == r->sqe.opc &&
	    f->drop_admin == (r->q->qid == 0)) {
		f->drop_count--;
		r->dropped = true;
		nvmx_info("fault: dropping completion of cid %u opc 0x%02x on qid %u",
			  nvmx_le16_to_cpu(r->sqe.cid), r->sqe.opc, r->q->qid);
	}
	if (f->delay_ms)
		r->delay_until_ns = nvmx_now_ns() + (uint64_t)f->delay_ms * 1000000ull;
	if (f->drop_count <= 0 && !f->delay_ms && f->corrupt_ddgst <= 0)
		atomic_store(&t->fault_armed, false);
	pthread_mutex_unlock(&t->fault_lock);
}

void nvmx_tgt_req_complete(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_queue *q = r->q;

	/* Fabrics 1.1, 2.4: SQHD is reserved when SQ flow control is off. */
	r->cqe.sqhd = nvmx_cpu_to_le16(q->sqhd_disabled ? 0 : q->sqhd);
	r->cqe.sqid = nvmx_cpu_to_le16(q->qid);
	r->cqe.cid = r->sqe.cid;
	if (atomic_load_explicit(&q->t->fault_armed, memory_order_relaxed))
		apply_faults(r);
	q->ops->complete(r);
}

void nvmx_tgt_strpad(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);

	memset(dst, ' ', n);
	memcpy(dst, src, l < n ? l : n);
}
