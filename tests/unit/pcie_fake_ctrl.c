/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated controller of pcie_fake_ctrl.h. */
#include <stdlib.h>
#include <string.h>

#include "nvmx/spec.h"
#include "pcie_fake_ctrl.h"

#define MQES 255	/* 0's based: 256 entries */

uint32_t fake_reg32(const struct fake_ctrl *f, uint32_t off)
{
	return nvmx_get_le32(f->bar + off);
}

void fake_set_reg32(struct fake_ctrl *f, uint32_t off, uint32_t v)
{
	nvmx_put_le32(f->bar + off, v);
}

static uint64_t reg64(const struct fake_ctrl *f, uint32_t off)
{
	return nvmx_get_le64(f->bar + off);
}

void fake_init(struct fake_ctrl *f, uint64_t cap_extra)
{
	uint64_t cap = MQES | (1ull << 16) /* CQR */ | (1ull << 37) /* CSS NVM */ | cap_extra;

	memset(f, 0, sizeof(*f));
	if (!(cap_extra & (0xffull << 24)))
		cap |= 2ull << 24;	/* TO = 1 s */
	f->dstrd = nvmx_cap_dstrd(cap);
	f->bar_size = 0x1000 + 2 * FAKE_MAXQ * (4u << f->dstrd);
	f->bar = aligned_alloc(4096, (f->bar_size + 4095) & ~4095ul);
	memset(f->bar, 0, f->bar_size);
	nvmx_put_le64(f->bar + NVMX_REG_CAP, cap);
	fake_set_reg32(f, NVMX_REG_VS, NVMX_VS(1, 4, 0));
	f->mdts = 5;
}

void fake_fini(struct fake_ctrl *f)
{
	for (unsigned int i = 0; i < f->nr_ns; i++)
		free(f->ns[i].data);
	free(f->bar);
}

void fake_add_ns(struct fake_ctrl *f, uint32_t lbads, uint64_t nsze)
{
	struct fake_ns *ns = &f->ns[f->nr_ns++];

	ns->lbads = lbads;
	ns->nsze = nsze;
	ns->data = calloc(nsze, 1u << lbads);
}

void fake_remove(struct fake_ctrl *f)
{
	memset(f->bar, 0xff, f->bar_size);
}

/* Move len bytes between buf and the PRP-described host memory, walking the
 * entries as Base 4.1.1 says.  Returns 0, or -1 on a malformed PRP. */
static int prp_xfer(uint64_t prp1, uint64_t prp2, uint8_t *buf, uint32_t len, bool to_host)
{
	const uint32_t ps = 4096;
	uint32_t first = ps - (uint32_t)(prp1 & (ps - 1)), done = 0;
	uint64_t *list;

	if (first > len)
		first = len;
	if (to_host)
		memcpy((void *)(uintptr_t)prp1, buf, first);
	else
		memcpy(buf, (void *)(uintptr_t)prp1, first);
	done = first;
	if (done == len)
		return 0;
	if (len - done <= ps) {
		if (prp2 & (ps - 1))
			return -1;
		if (to_host)
			memcpy((void *)(uintptr_t)prp2, buf + done, len - done);
		else
			memcpy(buf + done, (void *)(uintptr_t)prp2, len - done);
		return 0;
	}
	list = (uint64_t *)(uintptr_t)prp2;
	while (done < len) {
		uint32_t piece = len - done < ps ? len - done : ps;
		uint64_t e;

		if ((((uintptr_t)(list + 1)) & (ps - 1)) == 0 && len - done > ps) {
			list = (uint64_t *)(uintptr_t)nvmx_le64_to_cpu(*list);
			continue;
		}
		e = nvmx_le64_to_cpu(*list++);
		if (e & (ps - 1))
			return -1;
		if (to_host)
			memcpy((void *)(uintptr_t)e, buf + done, piece);
		else
			memcpy(buf + done, (void *)(uintptr_t)e, piece);
		done += piece;
	}
	return 0;
}

static uint16_t st(unsigned sct, unsigned sc)
{
	return nvmx_st_make(sct, sc, 1);
}

static uint16_t do_identify(struct fake_ctrl *f, const struct nvmx_sqe *s)
{
	const struct nvmx_cmd_identify *id = (const void *)s;
	uint8_t buf[4096] = { 0 };
	uint32_t nsid = nvmx_le32_to_cpu(s->nsid);

	if (id->cns == NVMX_CNS_CTRL) {
		struct nvmx_id_ctrl *c = (void *)buf;

		memset(c->sn, ' ', sizeof(c->sn));
		memset(c->mn, ' ', sizeof(c->mn));
		memcpy(c->sn, FAKE_SN, strlen(FAKE_SN));
		memcpy(c->mn, FAKE_MN, strlen(FAKE_MN));
		c->mdts = f->mdts;
		c->sqes = 0x66;
		c->cqes = 0x44;
		c->nn = nvmx_cpu_to_le32(f->nr_ns);
	} else if (id->cns == NVMX_CNS_NS_ACTIVE_LIST) {
		unsigned int k = 0;

		for (uint32_t i = nsid + 1; i <= f->nr_ns; i++)
			nvmx_put_le32(buf + 4 * k++, i);
	} else if (id->cns == NVMX_CNS_NS) {
		struct nvmx_id_ns *n = (void *)buf;

		if (nsid == 0 || nsid > f->nr_ns)
			return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_NS);
		n->nsze = n->ncap = n->nuse = nvmx_cpu_to_le64(f->ns[nsid - 1].nsze);
		n->lbaf[0].lbads = (uint8_t)f->ns[nsid - 1].lbads;
	} else {
		return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_FIELD);
	}
	if (prp_xfer(nvmx_le64_to_cpu(s->dptr.prp.prp1), nvmx_le64_to_cpu(s->dptr.prp.prp2),
		     buf, 4096, true))
		return st(NVMX_SCT_GENERIC, NVMX_SC_PRP_INVALID_OFFSET);
	return 0;
}

static uint16_t do_admin(struct fake_ctrl *f, const struct nvmx_sqe *s, uint32_t *dw0)
{
	const struct nvmx_cmd_create_cq *ccq = (const void *)s;
	const struct nvmx_cmd_create_sq *csq = (const void *)s;
	const struct nvmx_cmd_delete_queue *dq = (const void *)s;
	uint16_t qid;

	if (f->nadmin < sizeof(f->admin_ops))
		f->admin_ops[f->nadmin++] = s->opc;
	switch (s->opc) {
	case NVMX_ADM_IDENTIFY:
		return do_identify(f, s);
	case NVMX_ADM_SET_FEATURES:
		if (NVMX_FEAT_FID(nvmx_le32_to_cpu(s->cdw10)) == NVMX_FID_NUM_QUEUES) {
			*dw0 = ((FAKE_MAXQ - 2u) << 16) | (FAKE_MAXQ - 2u);
			return 0;
		}
		return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_FEAT_NOT_CHANGEABLE);
	case NVMX_ADM_CREATE_CQ:
		qid = nvmx_le16_to_cpu(ccq->qid);
		if (qid == 0 || qid >= FAKE_MAXQ || f->cq[qid].on)
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QID_INVALID);
		if (nvmx_le16_to_cpu(ccq->qsize) > MQES || !(nvmx_le16_to_cpu(ccq->cq_flags) & 1))
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QUEUE_SIZE);
		f->cq[qid] = (struct fake_cq){ true, nvmx_le64_to_cpu(s->dptr.prp.prp1),
					       (uint16_t)(nvmx_le16_to_cpu(ccq->qsize) + 1), 0, 1 };
		return 0;
	case NVMX_ADM_CREATE_SQ:
		qid = nvmx_le16_to_cpu(csq->qid);
		if (qid == 0 || qid >= FAKE_MAXQ || f->sq[qid].on)
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QID_INVALID);
		if (nvmx_le16_to_cpu(csq->cqid) >= FAKE_MAXQ || !f->cq[nvmx_le16_to_cpu(csq->cqid)].on)
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_CQ_INVALID);
		f->sq[qid] = (struct fake_sq){ true, nvmx_le64_to_cpu(s->dptr.prp.prp1),
					       (uint16_t)(nvmx_le16_to_cpu(csq->qsize) + 1), 0,
					       nvmx_le16_to_cpu(csq->cqid) };
		return 0;
	case NVMX_ADM_DELETE_SQ:
		qid = nvmx_le16_to_cpu(dq->qid);
		if (qid == 0 || qid >= FAKE_MAXQ || !f->sq[qid].on)
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QID_INVALID);
		f->sq[qid].on = false;
		return 0;
	case NVMX_ADM_DELETE_CQ:
		qid = nvmx_le16_to_cpu(dq->qid);
		if (qid == 0 || qid >= FAKE_MAXQ || !f->cq[qid].on)
			return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QID_INVALID);
		for (int i = 1; i < FAKE_MAXQ; i++)
			if (f->sq[i].on && f->sq[i].cqid == qid)
				return st(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_QUEUE_DELETION_INVALID);
		f->cq[qid].on = false;
		return 0;
	default:
		return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_OPCODE);
	}
}

static uint16_t do_io(struct fake_ctrl *f, const struct nvmx_sqe *s)
{
	const struct nvmx_cmd_rw *rw = (const void *)s;
	uint32_t nsid = nvmx_le32_to_cpu(s->nsid);
	struct fake_ns *ns;
	uint64_t slba;
	uint32_t len;

	f->io_cmds++;
	if (nsid == 0 || nsid > f->nr_ns)
		return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_NS);
	ns = &f->ns[nsid - 1];
	slba = nvmx_le64_to_cpu(rw->slba);
	len = (nvmx_le16_to_cpu(rw->nlb) + 1u) << ns->lbads;
	if (slba + nvmx_le16_to_cpu(rw->nlb) + 1 > ns->nsze)
		return st(NVMX_SCT_GENERIC, NVMX_SC_LBA_RANGE);
	if (f->mdts && len > (4096u << f->mdts))
		return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_FIELD);
	if (s->opc != NVMX_NVM_READ && s->opc != NVMX_NVM_WRITE)
		return st(NVMX_SCT_GENERIC, NVMX_SC_INVALID_OPCODE);
	if (prp_xfer(nvmx_le64_to_cpu(s->dptr.prp.prp1), nvmx_le64_to_cpu(s->dptr.prp.prp2),
		     ns->data + (slba << ns->lbads), len, s->opc == NVMX_NVM_READ))
		return st(NVMX_SCT_GENERIC, NVMX_SC_PRP_INVALID_OFFSET);
	return 0;
}

static int post(struct fake_ctrl *f, uint16_t sqid, uint16_t cid, uint32_t dw0, uint16_t status)
{
	struct fake_sq *sq = &f->sq[sqid];
	struct fake_cq *cq = &f->cq[sq->cqid];
	struct nvmx_cqe *e = (struct nvmx_cqe *)(uintptr_t)cq->iova + cq->tail;
	uint32_t head = fake_reg32(f, nvmx_doorbell_off(sq->cqid, 1, f->dstrd));

	if ((cq->tail + 1u) % cq->size == head)
		return -1;	/* CQ full: wait for the host */
	e->dw0 = nvmx_cpu_to_le32(dw0);
	e->dw1 = 0;
	e->sqhd = nvmx_cpu_to_le16(sq->head);
	e->sqid = nvmx_cpu_to_le16(sqid);
	e->cid = nvmx_cpu_to_le16(cid);
	e->status = nvmx_cpu_to_le16((uint16_t)(status | cq->phase));
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
	return 0;
}

static void run_sq(struct fake_ctrl *f, uint16_t qid)
{
	struct fake_sq *sq = &f->sq[qid];
	uint32_t tail = fake_reg32(f, nvmx_doorbell_off(qid, 0, f->dstrd));

	while (sq->on && sq->head != tail % sq->size) {
		struct nvmx_sqe *s = (struct nvmx_sqe *)(uintptr_t)sq->iova + sq->head;
		struct fake_cq *cq = &f->cq[sq->cqid];
		uint32_t cqh = fake_reg32(f, nvmx_doorbell_off(sq->cqid, 1, f->dstrd));
		uint32_t dw0 = 0;
		uint16_t status;

		if ((cq->tail + 1u) % cq->size == cqh)
			return;
		status = qid ? do_io(f, s) : do_admin(f, s, &dw0);
		sq->head = (uint16_t)((sq->head + 1u) % sq->size);
		post(f, qid, nvmx_le16_to_cpu(s->cid), dw0, status);
	}
}

static void reset_queues(struct fake_ctrl *f)
{
	memset(f->sq, 0, sizeof(f->sq));
	memset(f->cq, 0, sizeof(f->cq));
	for (int i = 0; i < FAKE_MAXQ; i++) {
		fake_set_reg32(f, nvmx_doorbell_off((uint16_t)i, 0, f->dstrd), 0);
		fake_set_reg32(f, nvmx_doorbell_off((uint16_t)i, 1, f->dstrd), 0);
	}
}

void fake_step(void *arg)
{
	struct fake_ctrl *f = arg;
	uint32_t cc = fake_reg32(f, NVMX_REG_CC), csts = fake_reg32(f, NVMX_REG_CSTS);

	if (csts == 0xffffffffu)
		return;	/* removed */
	if ((cc & NVMX_CC_EN) && !(csts & NVMX_CSTS_RDY) && !f->never_ready) {
		uint32_t aqa = fake_reg32(f, NVMX_REG_AQA);

		reset_queues(f);
		f->sq[0] = (struct fake_sq){ true, reg64(f, NVMX_REG_ASQ),
					     (uint16_t)(nvmx_aqa_asqs(aqa) + 1), 0, 0 };
		f->cq[0] = (struct fake_cq){ true, reg64(f, NVMX_REG_ACQ),
					     (uint16_t)(nvmx_aqa_acqs(aqa) + 1), 0, 1 };
		csts |= NVMX_CSTS_RDY;
		f->enables++;
	} else if (!(cc & NVMX_CC_EN) && (csts & NVMX_CSTS_RDY) && !f->stuck_ready) {
		reset_queues(f);
		csts &= ~(NVMX_CSTS_RDY | NVMX_CSTS_SHST_MASK);
		f->disables++;
	}
	if (nvmx_cc_shn(cc) && !f->no_shutdown)
		csts = (csts & ~NVMX_CSTS_SHST_MASK) | NVMX_CSTS_SHST_CMPLT;
	fake_set_reg32(f, NVMX_REG_CSTS, csts);
	if (!(csts & NVMX_CSTS_RDY) || f->hold)
		return;
	for (uint16_t q = 0; q < FAKE_MAXQ; q++)
		run_sq(f, q);
}
