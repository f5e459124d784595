/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controllers of the dynamic model (Fabrics 1.1, 3.3): created by a Connect
 * on the admin queue, joined by I/O queue Connects, torn down when the admin
 * queue goes away or keep-alive expires.  Lock order: t->lock, then
 * ctrl->lock.
 */
#include <stdlib.h>
#include <string.h>

#include "target/core.h"
#include "util/log.h"

static bool cntlid_in_use(struct nvmx_tgt *t, uint16_t id)
{
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s->next)
		for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next)
			if (c->cntlid == id)
				return true;
	for (struct nvmx_tgt_ctrl *c = t->disc->ctrls; c; c = c->next)
		if (c->cntlid == id)
			return true;
	return false;
}

/* CNTLID 1..FFEFh (Base 5.17.2.1: FFF0h-FFFFh are reserved). */
static uint16_t alloc_cntlid(struct nvmx_tgt *t)
{
	for (unsigned tries = 0; tries < 0xffef; tries++) {
		uint16_t id = t->next_cntlid;

		t->next_cntlid = id >= 0xffef ? 1 : (uint16_t)(id + 1);
		if (!cntlid_in_use(t, id))
			return id;
	}
	return 0;
}

struct nvmx_tgt_ctrl *nvmx_tgt_ctrl_new(struct nvmx_tgt_subsys *s, const char *hostnqn,
					const uint8_t hostid[16], uint32_t kato_ms)
{
	struct nvmx_tgt *t = s->t;
	struct nvmx_tgt_ctrl *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->subsys = s;
	snprintf(c->hostnqn, sizeof(c->hostnqn), "%s", hostnqn);
	memcpy(c->hostid, hostid, 16);
	atomic_init(&c->refs, 1);
	c->kato_ms = kato_ms;
	if (kato_ms)
		c->ka_deadline_ns = nvmx_now_ns() + (uint64_t)kato_ms * 1000000ull;
	c->feat_aec = NVMX_AEC_SMART_MASK & NVMX_CW_ALL;
	if (s->type == NVMX_SUBSYS_NVM)
		c->feat_aec |= NVMX_AEC_NS_ATTR;
	c->feat_temp_over = 273 + 70;	/* WCTEMP */
	c->feat_temp_under = 0;
	c->nr_io_queues = NVMX_TGT_MAX_QUEUES;
	c->wce = true;

	pthread_mutex_lock(&t->lock);
	c->cntlid = alloc_cntlid(t);
	if (c->cntlid == 0) {
		pthread_mutex_unlock(&t->lock);
		pthread_mutex_destroy(&c->lock);
		free(c);
		return NULL;
	}
	c->next = s->ctrls;
	s->ctrls = c;
	pthread_mutex_unlock(&t->lock);
	nvmx_info("ctrl %u: created on %s for host %s (kato %u ms)", c->cntlid, s->nqn,
		  hostnqn, kato_ms);
	return c;
}

void nvmx_tgt_ctrl_put(struct nvmx_tgt_ctrl *c)
{
	struct nvmx_tgt *t = c->subsys->t;

	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_ctrl **pp = &c->subsys->ctrls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	nvmx_info("ctrl %u: freed", c->cntlid);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void nvmx_tgt_ctrl_kill(struct nvmx_tgt_ctrl *c, const char *why)
{
	pthread_mutex_lock(&c->lock);
	if (!c->dead) {
		c->dead = true;
		nvmx_info("ctrl %u: tearing down (%s)", c->cntlid, why);
		for (unsigned i = 0; i <= NVMX_TGT_MAX_QUEUES; i++)
			if (c->queues[i])
				c->queues[i]->ops->close(c->queues[i]);
	}
	pthread_mutex_unlock(&c->lock);
}

struct nvmx_tgt_ctrl *nvmx_tgt_ctrl_find_get(struct nvmx_tgt_subsys *s, uint16_t cntlid)
{
	struct nvmx_tgt_ctrl *found = NULL;

	pthread_mutex_lock(&s->t->lock);
	for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next) {
		if (c->cntlid != cntlid)
			continue;
		pthread_mutex_lock(&c->lock);
		if (!c->dead) {
			atomic_fetch_add(&c->refs, 1);
			found = c;
		}
		pthread_mutex_unlock(&c->lock);
		break;
	}
	pthread_mutex_unlock(&s->t->lock);
	return found;
}

/* Error Information log (Base 5.16.1.2): newest first when read. */
void nvmx_tgt_ctrl_add_error(struct nvmx_tgt_ctrl *c, const struct nvmx_tgt_req *r,
			     uint16_t status)
{
	struct nvmx_tgt_errlog_ent *e;

	nvmx_debug("ctrl %u: qid %u cid %u opc 0x%02x nsid %u failed: SCT 0x%x SC 0x%02x",
		   c->cntlid, r->q->qid, nvmx_le16_to_cpu(r->sqe.cid), r->sqe.opc,
		   nvmx_le32_to_cpu(r->sqe.nsid), nvmx_st_sct(status), nvmx_st_sc(status));
	pthread_mutex_lock(&c->lock);
	c->err_count++;
	e = &c->errlog[(c->err_count - 1) % NVMX_TGT_ERRLOG];
	memset(e, 0, sizeof(*e));
	e->count = c->err_count;
	e->sqid = r->q->qid;
	e->cid = nvmx_le16_to_cpu(r->sqe.cid);
	e->status = status;
	e->loc = 0xffff;
	e->nsid = nvmx_le32_to_cpu(r->sqe.nsid);
	if (r->q->qid && r->sqe.opc != NVMX_NVM_FLUSH && r->sqe.opc != NVMX_NVM_DSM)
		e->lba = nvmx_le64_to_cpu(((const struct nvmx_cmd_rw *)&r->sqe)->slba);
	pthread_mutex_unlock(&c->lock);
}

static void fold(struct nvmx_tgt_counters *dst, const struct nvmx_tgt_counters *src)
{
	dst->bytes_read += src->bytes_read;
	dst->bytes_written += src->bytes_written;
	dst->read_cmds += src->read_cmds;
	dst->write_cmds += src->write_cmds;
}

void nvmx_tgt_queue_release(struct nvmx_tgt_queue *q)
{
	struct nvmx_tgt_ctrl *c = q->ctrl;
	struct nvmx_tgt *t = q->t;
	unsigned keep = 0;

	if (!c)
		return;
	pthread_mutex_lock(&t->lock);
	pthread_mutex_lock(&c->lock);
	if (q->qid <= NVMX_TGT_MAX_QUEUES && c->queues[q->qid] == q)
		c->queues[q->qid] = NULL;
	for (unsigned i = 0; i < c->naer; i++)	/* AERs die with their queue */
		if (c->aer[i]->q != q)
			c->aer[keep++] = c->aer[i];
	c->naer = keep;
	fold(&c->subsys->closed, &q->stats);
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_unlock(&t->lock);
	if (q->qid == 0)
		nvmx_tgt_ctrl_kill(c, "admin queue closed");
	q->ctrl = NULL;
	nvmx_tgt_ctrl_put(c);
}

/*
 * Traffic based keep alive (CTRATT.TBKAS, Base 3.9.5.2): any command on
 * any of the controller's queues since the last look restarts the timer,
 * so a busy host need not send Keep Alive.  The I/O path only counts its
 * commands (q->cmds); the admin queue's thread compares the counts when
 * the deadline comes.
 */
bool nvmx_tgt_queue_ka_expired(struct nvmx_tgt_queue *q, uint64_t now_ns)
{
	struct nvmx_tgt_ctrl *c = q->ctrl;
	uint64_t seen = 0;

	if (!c || q->qid != 0 || !c->ka_deadline_ns || now_ns < c->ka_deadline_ns)
		return false;
	pthread_mutex_lock(&c->lock);
	for (unsigned i = 0; i <= NVMX_TGT_MAX_QUEUES; i++)
		if (c->queues[i])
			seen += __atomic_load_n(&c->queues[i]->cmds, __ATOMIC_RELAXED);
	if (seen != c->ka_cmds_seen) {
		c->ka_cmds_seen = seen;
		c->ka_deadline_ns = now_ns + (uint64_t)c->kato_ms * 1000000ull;
		pthread_mutex_unlock(&c->lock);
		return false;
	}
	pthread_mutex_unlock(&c->lock);
	nvmx_warn("ctrl %u: keep alive timeout (%u ms) expired, host %s", c->cntlid,
		  c->kato_ms, c->hostnqn);
	return true;
}
