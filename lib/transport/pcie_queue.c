/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Submission/completion queue pairs on PCIe: ring memory, doorbells, the
 * phase-tag completion loop (OpenBSD nvme_q_complete is the model), PRP
 * data pointers with zero copy or bounce, and Create/Delete I/O queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "transport/pcie_ctrl.h"
#include "transport/pcie_prp.h"
#include "util/log.h"

#define ADMIN_TIMEOUT_MS 10000u

int nvmx_pcie_queue_alloc(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q, uint16_t qid,
			  uint16_t depth, uint32_t ntrk, size_t bounce_bytes)
{
	uint32_t mqes = nvmx_cap_mqes(c->cap) + 1u;
	size_t prp_bytes;
	int ret = -ENOMEM;

	memset(q, 0, sizeof(*q));
	q->ctrl = c;
	q->qid = qid;
	q->irq_vector = -1;
	if (depth < 2 || depth > mqes || ntrk == 0 || ntrk > 0xffff) {
		nvmx_err("%s: queue %u: depth %u outside 2..%u (CAP.MQES)", c->name, qid, depth, mqes);
		return -EINVAL;
	}
	q->depth = depth;
	q->sq = nvmx_dma_alloc(c->dma, (size_t)depth * sizeof(struct nvmx_sqe), &q->sq_iova);
	q->cq = nvmx_dma_alloc(c->dma, (size_t)depth * sizeof(struct nvmx_cqe), &q->cq_iova);
	if (!q->sq || !q->cq)
		goto fail;
	q->ntrk = ntrk;
	q->trk = calloc(ntrk, sizeof(*q->trk));
	q->free_cids = calloc(ntrk, sizeof(*q->free_cids));
	if (!q->trk || !q->free_cids)
		goto fail;
	q->prp_pages = nvmx_prp_list_pages_for(c->max_xfer, c->page_size);
	if (q->prp_pages) {
		uint64_t iova;
		uint8_t *mem;

		prp_bytes = (size_t)ntrk * q->prp_pages * c->page_size;
		mem = nvmx_dma_alloc(c->dma, prp_bytes, &iova);
		if (!mem)
			goto fail;
		q->prp_mem = mem;
		for (uint32_t i = 0; i < ntrk; i++) {
			size_t off = (size_t)i * q->prp_pages * c->page_size;

			q->trk[i].prp_list = mem + off;
			q->trk[i].prp_iova = iova + off;
		}
	}
	if (bounce_bytes) {
		uint64_t iova;

		bounce_bytes = (bounce_bytes + NVMX_DMA_PAGE - 1) & ~(size_t)(NVMX_DMA_PAGE - 1);
		q->bounce_mem = nvmx_dma_alloc(c->dma, bounce_bytes, &iova);
		if (!q->bounce_mem)
			goto fail;
		ret = nvmx_dma_arena_init(&q->bounce, q->bounce_mem, iova, bounce_bytes);
		if (ret)
			goto fail;
	}
	for (uint32_t i = 0; i < ntrk; i++)
		q->free_cids[i] = (uint16_t)(ntrk - 1 - i);
	q->nfree = ntrk;
	q->sq_db = (volatile uint32_t *)(c->bar + nvmx_doorbell_off(qid, 0, c->dstrd));
	q->cq_db = (volatile uint32_t *)(c->bar + nvmx_doorbell_off(qid, 1, c->dstrd));
	nvmx_pcie_queue_reset(q);
	return 0;
fail:
	nvmx_err("%s: queue %u: out of DMA memory", c->name, qid);
	nvmx_pcie_queue_free(q);
	return ret ? ret : -ENOMEM;
}

void nvmx_pcie_queue_free(struct nvmx_pcie_queue *q)
{
	struct nvmx_pcie_ctrl *c = q->ctrl;

	if (!c)
		return;
	nvmx_dma_arena_fini(&q->bounce);
	nvmx_dma_free(c->dma, q->bounce_mem);
	nvmx_dma_free(c->dma, q->prp_mem);
	nvmx_dma_free(c->dma, q->sq);
	nvmx_dma_free(c->dma, (void *)q->cq);
	free(q->trk);
	free(q->free_cids);
	memset(q, 0, sizeof(*q));
}

void nvmx_pcie_queue_rewind(struct nvmx_pcie_queue *q)
{
	memset((void *)q->cq, 0, (size_t)q->depth * sizeof(struct nvmx_cqe));
	q->sq_tail = q->sq_db_tail = q->sq_head = q->cq_head = 0;
	q->phase = 1;	/* the controller posts phase 1 on its first pass (Base 4.6) */
	q->created = false;
}

void nvmx_pcie_queue_reset(struct nvmx_pcie_queue *q)
{
	nvmx_pcie_queue_rewind(q);
	for (uint32_t i = 0; i < q->ntrk; i++) {
		if (q->trk[i].bounce)
			nvmx_dma_arena_free(&q->bounce, q->trk[i].bounce);
		q->trk[i].bounce = NULL;
		q->trk[i].busy = false;
		q->free_cids[i] = (uint16_t)(q->ntrk - 1 - i);
	}
	q->nfree = q->ntrk;
}

int nvmx_pcie_sq_push(struct nvmx_pcie_queue *q, const struct nvmx_sqe *sqe)
{
	uint16_t next = (uint16_t)((q->sq_tail + 1u) % q->depth);

	/* Full when the tail would meet the head (Base 3.3.1.5). */
	if (next == q->sq_head)
		return -EAGAIN;
	memcpy(&q->sq[q->sq_tail], sqe, sizeof(*sqe));
	q->sq_tail = next;
	return 0;
}

void nvmx_pcie_sq_ring(struct nvmx_pcie_queue *q)
{
	if (q->sq_tail == q->sq_db_tail)
		return;
	/* The SQE stores must reach memory before the doorbell write. */
	atomic_thread_fence(memory_order_release);
	*q->sq_db = nvmx_cpu_to_le32(q->sq_tail);
	q->sq_db_tail = q->sq_tail;
	q->sq_db_writes++;
}

int nvmx_pcie_cq_process(struct nvmx_pcie_queue *q, unsigned int max, nvmx_pcie_cqe_fn fn,
			 void *arg)
{
	unsigned int n = 0;

	for (;;) {
		volatile struct nvmx_cqe *v = &q->cq[q->cq_head];
		struct nvmx_cqe cqe;
		uint16_t st = nvmx_le16_to_cpu(v->status);

		if ((st & 1u) != q->phase)
			break;
		/* Read the rest of the entry only after seeing its phase. */
		atomic_thread_fence(memory_order_acquire);
		memcpy(&cqe, (const void *)v, sizeof(cqe));
		q->sq_head = nvmx_le16_to_cpu(cqe.sqhd) % q->depth;
		if (++q->cq_head == q->depth) {
			q->cq_head = 0;
			q->phase ^= 1u;
		}
		n++;
		fn(arg, q, &cqe);
		if (max && n == max)
			break;
	}
	if (n) {
		/* One head doorbell per batch frees the entries for reuse. */
		*q->cq_db = nvmx_cpu_to_le32(q->cq_head);
		q->cq_db_writes++;
	}
	return (int)n;
}

int nvmx_pcie_map_data(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, uint16_t cid,
		       void *buf, uint32_t len, bool to_ctrl)
{
	struct nvmx_pcie_ctrl *c = q->ctrl;
	struct nvmx_pcie_trk *t;
	uint64_t iova, prp1, prp2;
	int ret;

	if (cid >= q->ntrk)
		return -EINVAL;
	t = &q->trk[cid];
	t->bounce = NULL;
	t->copy_back = false;
	/* No data: leave the data pointer alone (Create I/O SQ/CQ carry
	 * the queue's address in PRP1). */
	if (!len)
		return 0;
	sqe->flags = (uint8_t)(sqe->flags & ~(3u << NVMX_SQE_PSDT_SHIFT));	/* PRPs */
	if (len > c->max_xfer)
		return -E2BIG;
	if (nvmx_dma_iova(c->dma, buf, len, &iova) != 0 || (iova & 3)) {
		if (!q->bounce_mem)
			return -EINVAL;
		t->bounce = nvmx_dma_arena_alloc(&q->bounce, len, &iova);
		if (!t->bounce)
			return -EAGAIN;
		if (to_ctrl)
			memcpy(t->bounce, buf, len);
		t->user_buf = buf;
		t->len = len;
		t->copy_back = !to_ctrl;
	}
	ret = nvmx_prp_build(iova, len, c->page_size, &prp1, &prp2, t->prp_list, t->prp_iova,
			     q->prp_pages);
	if (ret) {
		nvmx_pcie_data_done(q, cid);
		return ret;
	}
	sqe->dptr.prp.prp1 = nvmx_cpu_to_le64(prp1);
	sqe->dptr.prp.prp2 = nvmx_cpu_to_le64(prp2);
	return 0;
}

void nvmx_pcie_data_done(struct nvmx_pcie_queue *q, uint16_t cid)
{
	struct nvmx_pcie_trk *t = &q->trk[cid];

	if (!t->bounce)
		return;
	if (t->copy_back)
		memcpy(t->user_buf, t->bounce, t->len);
	nvmx_dma_arena_free(&q->bounce, t->bounce);
	t->bounce = NULL;
	t->copy_back = false;
}

void nvmx_pcie_fill_create_cq(struct nvmx_sqe *sqe, const struct nvmx_pcie_queue *q)
{
	struct nvmx_cmd_create_cq *cmd = (struct nvmx_cmd_create_cq *)sqe;
	uint16_t flags = NVMX_QUEUE_PHYS_CONTIG;

	memset(sqe, 0, sizeof(*sqe));
	cmd->opc = NVMX_ADM_CREATE_CQ;
	cmd->dptr.prp.prp1 = nvmx_cpu_to_le64(q->cq_iova);
	cmd->qid = nvmx_cpu_to_le16(q->qid);
	cmd->qsize = nvmx_cpu_to_le16((uint16_t)(q->depth - 1));	/* 0's based */
	if (q->irq_vector >= 0)
		flags |= NVMX_CQ_IRQ_ENABLED;
	cmd->cq_flags = nvmx_cpu_to_le16(flags);
	cmd->irq_vector = nvmx_cpu_to_le16(q->irq_vector >= 0 ? (uint16_t)q->irq_vector : 0);
}

void nvmx_pcie_fill_create_sq(struct nvmx_sqe *sqe, const struct nvmx_pcie_queue *q)
{
	struct nvmx_cmd_create_sq *cmd = (struct nvmx_cmd_create_sq *)sqe;

	memset(sqe, 0, sizeof(*sqe));
	cmd->opc = NVMX_ADM_CREATE_SQ;
	cmd->dptr.prp.prp1 = nvmx_cpu_to_le64(q->sq_iova);
	cmd->qid = nvmx_cpu_to_le16(q->qid);
	cmd->qsize = nvmx_cpu_to_le16((uint16_t)(q->depth - 1));
	cmd->sq_flags = nvmx_cpu_to_le16(NVMX_QUEUE_PHYS_CONTIG | NVMX_SQ_PRIO_MEDIUM);
	cmd->cqid = nvmx_cpu_to_le16(q->qid);	/* one CQ per SQ */
}

void nvmx_pcie_fill_delete(struct nvmx_sqe *sqe, uint8_t opc, uint16_t qid)
{
	struct nvmx_cmd_delete_queue *cmd = (struct nvmx_cmd_delete_queue *)sqe;

	memset(sqe, 0, sizeof(*sqe));
	cmd->opc = opc;
	cmd->qid = nvmx_cpu_to_le16(qid);
}

/* ---- standalone command path ---- */

static void trk_cqe(void *arg, struct nvmx_pcie_queue *q, const struct nvmx_cqe *cqe)
{
	uint16_t cid = nvmx_le16_to_cpu(cqe->cid);
	struct nvmx_pcie_trk *t;

	if (cid >= q->ntrk || !q->trk[cid].busy) {
		nvmx_warn("%s: QID %u: completion for CID %u that is not in flight",
			  q->ctrl->name, q->qid, cid);
		return;
	}
	t = &q->trk[cid];
	nvmx_pcie_data_done(q, cid);
	t->busy = false;
	q->free_cids[q->nfree++] = cid;
	if (t->cb)
		t->cb(t->cb_arg, cqe);
}

int nvmx_pcie_submit(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		     bool to_ctrl, nvmx_pcie_done_fn cb, void *arg)
{
	uint16_t cid;
	int ret;

	if (atomic_load_explicit(&q->ctrl->dead, memory_order_relaxed))
		return -ENODEV;
	if (!q->nfree)
		return -EAGAIN;
	cid = q->free_cids[q->nfree - 1];
	sqe->cid = nvmx_cpu_to_le16(cid);
	ret = nvmx_pcie_map_data(q, sqe, cid, buf, len, to_ctrl);
	if (ret)
		return ret;
	ret = nvmx_pcie_sq_push(q, sqe);
	if (ret) {
		nvmx_pcie_data_done(q, cid);
		return ret;
	}
	q->nfree--;
	q->trk[cid].busy = true;
	q->trk[cid].cb = cb;
	q->trk[cid].cb_arg = arg;
	q->trk[cid].seq = q->submit_seq++;
	q->trk[cid].sqe = *sqe;
	if (!q->batch_db)
		nvmx_pcie_sq_ring(q);
	return 0;
}

int nvmx_pcie_poll(struct nvmx_pcie_queue *q, unsigned int max)
{
	if (atomic_load_explicit(&q->ctrl->dead, memory_order_relaxed))
		return -ENODEV;
	nvmx_pcie_sq_ring(q);
	return nvmx_pcie_cq_process(q, max, trk_cqe, NULL);
}

struct sync_wait {
	bool done;
	struct nvmx_cqe cqe;
};

static void sync_done(void *arg, const struct nvmx_cqe *cqe)
{
	struct sync_wait *w = arg;

	w->done = true;
	w->cqe = *cqe;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int nvmx_pcie_exec(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		   bool to_ctrl, struct nvmx_cqe *cqe, uint32_t timeout_ms)
{
	struct nvmx_pcie_ctrl *c = q->ctrl;
	struct sync_wait w = { 0 };
	uint64_t deadline;
	uint32_t csts;
	int ret;

	ret = nvmx_pcie_submit(q, sqe, buf, len, to_ctrl, sync_done, &w);
	if (ret)
		return ret;
	deadline = mono_ms() + timeout_ms;
	while (!w.done) {
		ret = nvmx_pcie_poll(q, 0);
		if (ret < 0)
			return ret;
		if (ret > 0 || w.done)
			continue;
		ret = nvmx_pcie_csts(c, &csts);
		if (ret)
			return ret;
		if (mono_ms() > deadline) {
			/* The command stays owned by the controller: its CID
			 * is not reused until a reset reclaims it. */
			q->trk[nvmx_le16_to_cpu(sqe->cid)].cb = NULL;
			nvmx_err("%s: QID %u CID %u opcode 0x%02x: no completion in %u ms",
				 c->name, q->qid, nvmx_le16_to_cpu(sqe->cid), sqe->opc, timeout_ms);
			return -ETIMEDOUT;
		}
		if (c->wait_hook)
			c->wait_hook(c->wait_arg);
	}
	*cqe = w.cqe;
	return 0;
}

int nvmx_pcie_admin(struct nvmx_pcie_ctrl *c, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		    bool to_ctrl, struct nvmx_cqe *cqe)
{
	struct nvmx_cqe local;
	uint16_t st;
	int ret;

	if (!cqe)
		cqe = &local;
	ret = nvmx_pcie_exec(&c->adminq, sqe, buf, len, to_ctrl, cqe, ADMIN_TIMEOUT_MS);
	if (ret)
		return ret;
	st = nvmx_cqe_status(cqe);
	if (!nvmx_st_ok(st)) {
		nvmx_err("%s: admin opcode 0x%02x failed: status SCT %u SC 0x%02x", c->name,
			 sqe->opc, nvmx_st_sct(st), nvmx_st_sc(st));
		return -EIO;
	}
	return 0;
}

int nvmx_pcie_create_io_queue(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q)
{
	struct nvmx_sqe sqe;
	int ret;

	/* The CQ must exist before an SQ names it (Base 5.5). */
	nvmx_pcie_fill_create_cq(&sqe, q);
	ret = nvmx_pcie_admin(c, &sqe, NULL, 0, false, NULL);
	if (ret) {
		nvmx_err("%s: Create I/O CQ %u failed", c->name, q->qid);
		return ret;
	}
	nvmx_pcie_fill_create_sq(&sqe, q);
	ret = nvmx_pcie_admin(c, &sqe, NULL, 0, false, NULL);
	if (ret) {
		nvmx_err("%s: Create I/O SQ %u failed", c->name, q->qid);
		nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_CQ, q->qid);
		nvmx_pcie_admin(c, &sqe, NULL, 0, false, NULL);
		return ret;
	}
	q->created = true;
	return 0;
}

int nvmx_pcie_delete_io_queue(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q)
{
	struct nvmx_sqe sqe;
	int ret, ret2;

	if (!q->created)
		return 0;
	/* Reverse of creation: the SQ first, then its CQ (Base 5.6). */
	nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_SQ, q->qid);
	ret = nvmx_pcie_admin(c, &sqe, NULL, 0, false, NULL);
	nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_CQ, q->qid);
	ret2 = nvmx_pcie_admin(c, &sqe, NULL, 0, false, NULL);
	q->created = false;
	return ret ? ret : ret2;
}
