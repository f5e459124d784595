/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fabrics commands (Fabrics 1.1, 3): Connect (dynamic controller model),
 * Property Get/Set over the controller registers, Disconnect.
 */
#include <stddef.h>
#include <string.h>

#include "target/core.h"
#include "util/log.h"

#define TGT_CAP_TO	15u	/* CAP.TO: 7.5 s in 500 ms units */

static uint64_t ctrl_cap(void)
{
	/* MQES, CQR (contiguous queues required), TO, DSTRD 0, NSSRS, CSS = NVM,
	 * MPSMIN = MPSMAX = 0 (4 KiB). */
	return (uint64_t)NVMX_TGT_MQES | (1ull << 16) | ((uint64_t)TGT_CAP_TO << 24) |
	       (1ull << 36) | ((uint64_t)NVMX_CAP_CSS_NVM << 37);
}

static const struct nvmx_fabrics_cmd *fcmd(const struct nvmx_tgt_req *r)
{
	return (const struct nvmx_fabrics_cmd *)&r->sqe;
}

uint16_t nvmx_tgt_fabrics_prepare(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_queue *q = r->q;

	switch (fcmd(r)->fctype) {
	case NVMX_FCTYPE_CONNECT:
		if (q->ctrl)
			return nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
		r->dir = NVMX_DIR_H2C;
		r->xfer_len = sizeof(struct nvmx_connect_data);
		return 0;
	case NVMX_FCTYPE_PROPERTY_GET:
	case NVMX_FCTYPE_PROPERTY_SET:
		if (!q->ctrl)
			return nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
		/* Fabrics 1.1, 3.4: properties are reached on the admin queue. */
		return q->qid == 0 ? 0 : nvmx_sc(NVMX_SC_INVALID_OPCODE);
	case NVMX_FCTYPE_DISCONNECT:
		return q->ctrl ? 0 : nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
	default:
		return nvmx_sc(NVMX_SC_INVALID_OPCODE);
	}
}

static void connect_fail(struct nvmx_tgt_req *r, unsigned sc, int in_data, size_t off)
{
	uint32_t dw0 = sc == NVMX_SC_CONNECT_INVALID_PARAM || sc == NVMX_SC_CONNECT_INVALID_HOST ?
		       nvmx_connect_rsp_invalid(in_data, (uint16_t)off) : 0;

	nvmx_tgt_req_done(r, nvmx_sc_cmd(sc), dw0);
}

/* Attach an I/O queue to an existing controller (Fabrics 1.1, 3.3). */
static int connect_io(struct nvmx_tgt_req *r, struct nvmx_tgt_subsys *s,
		      const struct nvmx_connect_data *d, const char *hostnqn, uint16_t qid)
{
	struct nvmx_tgt_ctrl *c = nvmx_tgt_ctrl_find_get(s, nvmx_le16_to_cpu(d->cntlid));

	if (!c) {
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 1, offsetof(struct nvmx_connect_data, cntlid));
		return -1;
	}
	if (strcmp(c->hostnqn, hostnqn) != 0) {
		nvmx_tgt_ctrl_put(c);
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 1, offsetof(struct nvmx_connect_data, hostnqn));
		return -1;
	}
	pthread_mutex_lock(&c->lock);
	if (!(c->csts & NVMX_CSTS_RDY)) {
		pthread_mutex_unlock(&c->lock);
		nvmx_tgt_ctrl_put(c);
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_CMD_SEQ_ERROR), 0);
		return -1;
	}
	if (qid > c->nr_io_queues || c->queues[qid]) {
		pthread_mutex_unlock(&c->lock);
		nvmx_tgt_ctrl_put(c);
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 0, offsetof(struct nvmx_connect_cmd, qid));
		return -1;
	}
	c->queues[qid] = r->q;
	pthread_mutex_unlock(&c->lock);
	r->q->ctrl = c;
	return 0;
}

static void connect(struct nvmx_tgt_req *r)
{
	const struct nvmx_connect_cmd *cmd = (const struct nvmx_connect_cmd *)&r->sqe;
	struct nvmx_connect_data d;
	struct nvmx_tgt_queue *q = r->q;
	struct nvmx_tgt *t = q->t;
	struct nvmx_tgt_subsys *s;
	uint16_t qid = nvmx_le16_to_cpu(cmd->qid), sqsize = nvmx_le16_to_cpu(cmd->sqsize);

	/* A second Connect pipelined behind the first one on the same queue. */
	if (q->ctrl) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_CMD_SEQ_ERROR), 0);
		return;
	}
	memcpy(&d, r->data, sizeof(d));
	if (nvmx_le16_to_cpu(cmd->recfmt) != 0) {
		connect_fail(r, NVMX_SC_CONNECT_FORMAT, 0, 0);
		return;
	}
	if (strnlen(d.subnqn, sizeof(d.subnqn)) > NVMX_NQN_MAX) {
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 1, offsetof(struct nvmx_connect_data, subnqn));
		return;
	}
	if (strnlen(d.hostnqn, sizeof(d.hostnqn)) > NVMX_NQN_MAX || !d.hostnqn[0]) {
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 1, offsetof(struct nvmx_connect_data, hostnqn));
		return;
	}
	pthread_mutex_lock(&t->lock);
	s = nvmx_tgt_subsys_find_locked(t, d.subnqn);
	pthread_mutex_unlock(&t->lock);
	if (!s) {
		nvmx_info("connect: unknown subsystem %s from host %s", d.subnqn, d.hostnqn);
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 1, offsetof(struct nvmx_connect_data, subnqn));
		return;
	}
	if (!nvmx_tgt_host_allowed(s, d.hostnqn)) {
		nvmx_warn("connect: host %s not allowed on %s", d.hostnqn, s->nqn);
		connect_fail(r, NVMX_SC_CONNECT_INVALID_HOST, 1, offsetof(struct nvmx_connect_data, hostnqn));
		return;
	}
	if (sqsize == 0 || sqsize > NVMX_TGT_MQES) {
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 0, offsetof(struct nvmx_connect_cmd, sqsize));
		return;
	}
	if (qid > NVMX_TGT_MAX_QUEUES) {
		connect_fail(r, NVMX_SC_CONNECT_INVALID_PARAM, 0, offsetof(struct nvmx_connect_cmd, qid));
		return;
	}
	if (qid == 0) {
		struct nvmx_tgt_ctrl *c = nvmx_tgt_ctrl_new(s, d.hostnqn, d.hostid,
							    nvmx_le32_to_cpu(cmd->kato));

		if (!c) {
			nvmx_tgt_req_done(r, nvmx_sc_cmd(NVMX_SC_CONNECT_CTRL_BUSY), 0);
			return;
		}
		pthread_mutex_lock(&c->lock);
		c->queues[0] = q;
		pthread_mutex_unlock(&c->lock);
		q->ctrl = c;
	} else if (connect_io(r, s, &d, d.hostnqn, qid) != 0) {
		return;
	}
	q->qid = qid;
	q->size = (uint16_t)(sqsize + 1);
	q->sqhd = 1;		/* the Connect itself was entry 0 */
	q->sqhd_disabled = cmd->cattr & NVMX_CONNECT_CATTR_DISABLE_SQFC;
	nvmx_info("ctrl %u: qid %u connected (%u entries%s) from %s", q->ctrl->cntlid, qid,
		  q->size, q->sqhd_disabled ? ", SQ flow control off" : "", q->peer);
	nvmx_tgt_req_done(r, 0, q->ctrl->cntlid);
}

static void flush_all(struct nvmx_tgt_subsys *s)
{
	for (uint32_t i = 1; i <= NVMX_TGT_MAX_NSID; i++) {
		struct nvmx_tgt_ns *ns = nvmx_tgt_ns_get(s, i);

		if (ns)
			ns->bdev->ops->flush(ns->bdev);
	}
}

/* Base 3.5.2, 3.6: enabling, resetting and shutting down through CC. */
static void update_cc(struct nvmx_tgt_ctrl *c, uint32_t cc)
{
	uint32_t old;
	bool reset = false;

	pthread_mutex_lock(&c->lock);
	old = c->cc;
	c->cc = cc;
	if (nvmx_cc_en(cc) && !nvmx_cc_en(old)) {
		bool bad = nvmx_cc_mps(cc) != 0 || nvmx_cc_css(cc) != 0 ||
			   (c->subsys->type == NVMX_SUBSYS_NVM &&
			    (nvmx_cc_iosqes(cc) != 6 || nvmx_cc_iocqes(cc) != 4));

		c->csts |= bad ? NVMX_CSTS_CFS : NVMX_CSTS_RDY;
	} else if (!nvmx_cc_en(cc) && nvmx_cc_en(old)) {
		/* Controller reset: I/O queues go, AERs are aborted, state cleared. */
		c->csts = 0;
		reset = true;
		for (unsigned i = 1; i <= NVMX_TGT_MAX_QUEUES; i++)
			if (c->queues[i])
				c->queues[i]->ops->close(c->queues[i]);
		memset(c->aen_pending, 0, sizeof(c->aen_pending));
		memset(c->aen_masked, 0, sizeof(c->aen_masked));
	}
	if (nvmx_cc_shn(cc) && !nvmx_cc_shn(old)) {
		pthread_mutex_unlock(&c->lock);
		flush_all(c->subsys);
		pthread_mutex_lock(&c->lock);
		c->csts = (c->csts & ~NVMX_CSTS_SHST_MASK) | NVMX_CSTS_SHST_CMPLT;
	} else if (!nvmx_cc_shn(cc)) {
		c->csts &= ~NVMX_CSTS_SHST_MASK;
	}
	pthread_mutex_unlock(&c->lock);
	if (reset)
		nvmx_tgt_aer_fail_all(c, nvmx_sc(NVMX_SC_ABORT_SQ_DELETION));
}

/* Base 3.7.2 / Fabrics: NVM Subsystem Reset through NSSR tears down every
 * controller of the subsystem (their hosts reconnect). */
static void subsys_reset(struct nvmx_tgt_subsys *s)
{
	pthread_mutex_lock(&s->t->lock);
	for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next)
		nvmx_tgt_ctrl_kill(c, "NVM subsystem reset");
	pthread_mutex_unlock(&s->t->lock);
	flush_all(s);
}

static void property_set(struct nvmx_tgt_req *r)
{
	const struct nvmx_prop_set_cmd *cmd = (const struct nvmx_prop_set_cmd *)&r->sqe;
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	uint32_t off = nvmx_le32_to_cpu(cmd->offset);
	uint64_t v = nvmx_le64_to_cpu(cmd->value);

	if ((cmd->attrib & 7) != NVMX_PROP_SIZE_4) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	switch (off) {
	case NVMX_REG_CC:
		update_cc(c, (uint32_t)v);
		break;
	case NVMX_REG_NSSR:
		if ((uint32_t)v == NVMX_NSSR_RESET_VALUE && c->subsys->type == NVMX_SUBSYS_NVM) {
			nvmx_tgt_req_done(r, 0, 0);
			subsys_reset(c->subsys);
			return;
		}
		break;
	default:
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	nvmx_tgt_req_done(r, 0, 0);
}

static void property_get(struct nvmx_tgt_req *r)
{
	const struct nvmx_prop_get_cmd *cmd = (const struct nvmx_prop_get_cmd *)&r->sqe;
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	unsigned size = cmd->attrib & 7;
	uint64_t v;

	switch (nvmx_le32_to_cpu(cmd->offset)) {
	case NVMX_REG_CAP:  v = ctrl_cap(); break;
	case NVMX_REG_VS:   v = NVMX_VS(1, 3, 0); break;
	case NVMX_REG_CC:   v = c->cc; break;
	case NVMX_REG_CSTS: v = c->csts; break;
	case NVMX_REG_NSSR: v = 0; break;
	default:
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	/* CAP is 8 bytes, the others 4 (Fabrics 1.1 Figure 8). */
	if (size > NVMX_PROP_SIZE_8 ||
	    (size == NVMX_PROP_SIZE_8) != (nvmx_le32_to_cpu(cmd->offset) == NVMX_REG_CAP)) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	r->cqe.dw1 = nvmx_cpu_to_le32((uint32_t)(v >> 32));
	nvmx_tgt_req_done(r, 0, (uint32_t)v);
}

void nvmx_tgt_fabrics_exec(struct nvmx_tgt_req *r)
{
	switch (fcmd(r)->fctype) {
	case NVMX_FCTYPE_CONNECT:      connect(r); break;
	case NVMX_FCTYPE_PROPERTY_SET: property_set(r); break;
	case NVMX_FCTYPE_PROPERTY_GET: property_get(r); break;
	default:                       nvmx_tgt_req_done(r, 0, 0); break;	/* Disconnect */
	}
}
