/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Asynchronous events (Base 5.2, 8.1.1 "Asynchronous Event Requests").
 * Up to AERL+1 requests wait on a controller; an event completes one of
 * them, or waits for the next one if none is outstanding.  Once an event
 * of a type has been reported, no further event of that type is reported
 * until the host reads the associated log page without RAE (Base 5.2.1).
 * Events the host disabled with Asynchronous Event Configuration are not
 * reported at all.
 */
#include <stdlib.h>
#include <string.h>

#include "target/core.h"
#include "util/log.h"

static void deliver(struct nvmx_tgt_req *r, uint32_t dw0)
{
	nvmx_debug("ctrl %u: AEN type %u info 0x%02x log 0x%02x", r->q->ctrl->cntlid,
		   nvmx_aen_type(dw0), nvmx_aen_info(dw0), nvmx_aen_lid(dw0));
	nvmx_tgt_req_done(r, 0, dw0);
}

void nvmx_tgt_aer_submit(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;

	pthread_mutex_lock(&c->lock);
	if (c->naer > NVMX_TGT_AERL) {
		pthread_mutex_unlock(&c->lock);
		nvmx_tgt_req_done(r, nvmx_sc_cmd(NVMX_SC_AER_LIMIT), 0);
		return;
	}
	for (unsigned type = 0; type < NVMX_AEN_NTYPES; type++) {
		uint32_t dw0 = c->aen_pending[type];

		if (dw0 && !c->aen_masked[type]) {
			c->aen_pending[type] = 0;
			c->aen_masked[type] = true;
			deliver(r, dw0);
			pthread_mutex_unlock(&c->lock);
			return;
		}
	}
	c->aer[c->naer++] = r;
	pthread_mutex_unlock(&c->lock);
}

static bool aec_enabled(const struct nvmx_tgt_ctrl *c, unsigned type, unsigned info)
{
	switch (type) {
	case NVMX_AER_TYPE_SMART:
		switch (info) {
		case NVMX_AER_SMART_TEMP_THRESH:  return c->feat_aec & NVMX_CW_TEMPERATURE;
		case NVMX_AER_SMART_SPARE_THRESH: return c->feat_aec & NVMX_CW_SPARE;
		default: return c->feat_aec & (NVMX_CW_RELIABILITY | NVMX_CW_READ_ONLY |
					       NVMX_CW_VOLATILE_BACKUP);
		}
	case NVMX_AER_TYPE_NOTICE:
		if (info == NVMX_AER_NOTICE_NS_CHANGED)
			return c->feat_aec & NVMX_AEC_NS_ATTR;
		if (info == NVMX_AER_NOTICE_DISC_CHANGED)
			return c->feat_aec & NVMX_AEC_DISC_LOG_CHANGE;
		return false;
	default:
		return true;	/* error events cannot be masked */
	}
}

/*
 * The AER is completed while ctrl->lock is held: its queue cannot be
 * released (which takes the lock and drops the AERs) between taking the
 * request off the list and handing it to the transport.
 */
void nvmx_tgt_aen_raise(struct nvmx_tgt_ctrl *c, unsigned type, unsigned info, unsigned lid)
{
	uint32_t dw0 = nvmx_aen_make(type, info, lid);

	if (type >= NVMX_AEN_NTYPES)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->dead || !aec_enabled(c, type, info) || c->aen_masked[type] ||
	    c->aen_pending[type]) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (c->naer) {
		c->aen_masked[type] = true;
		deliver(c->aer[--c->naer], dw0);
	} else {
		c->aen_pending[type] = dw0;
	}
	pthread_mutex_unlock(&c->lock);
}

void nvmx_tgt_aen_log_read(struct nvmx_tgt_ctrl *c, unsigned lid, bool rae)
{
	int type;

	if (rae)
		return;
	switch (lid) {
	case NVMX_LID_ERROR:       type = NVMX_AER_TYPE_ERROR; break;
	case NVMX_LID_SMART:       type = NVMX_AER_TYPE_SMART; break;
	case NVMX_LID_CHANGED_NS:
	case NVMX_LID_DISCOVERY:   type = NVMX_AER_TYPE_NOTICE; break;
	default: return;
	}
	pthread_mutex_lock(&c->lock);
	c->aen_masked[type] = false;
	if (lid == NVMX_LID_CHANGED_NS)
		c->nchanged = 0;
	pthread_mutex_unlock(&c->lock);
}

void nvmx_tgt_aer_fail_all(struct nvmx_tgt_ctrl *c, uint16_t status)
{
	struct nvmx_tgt_req *reqs[NVMX_TGT_AERL + 1];
	unsigned n;

	pthread_mutex_lock(&c->lock);
	n = c->naer;
	memcpy(reqs, c->aer, n * sizeof(reqs[0]));
	c->naer = 0;
	pthread_mutex_unlock(&c->lock);
	for (unsigned i = 0; i < n; i++)
		nvmx_tgt_req_done(reqs[i], status, 0);
}

/* Base 5.16.1.5: the changed namespace list accumulates until read. */
static void note_changed(struct nvmx_tgt_ctrl *c, uint32_t nsid)
{
	pthread_mutex_lock(&c->lock);
	if (c->nchanged <= NVMX_TGT_MAX_CHANGED_NS) {
		bool dup = false;

		for (unsigned i = 0; i < c->nchanged && i < NVMX_TGT_MAX_CHANGED_NS; i++)
			dup |= c->changed_ns[i] == nsid;
		if (!dup) {
			if (c->nchanged < NVMX_TGT_MAX_CHANGED_NS)
				c->changed_ns[c->nchanged] = nsid;
			c->nchanged++;	/* MAX+1: overflowed */
		}
	}
	pthread_mutex_unlock(&c->lock);
}

/* Take a reference on every live controller of s (events are raised
 * without t->lock: completing an AER may need it). */
static unsigned grab_ctrls(struct nvmx_tgt_subsys *s, struct nvmx_tgt_ctrl ***out)
{
	struct nvmx_tgt_ctrl **v = NULL;
	unsigned n = 0, cap = 0;

	pthread_mutex_lock(&s->t->lock);
	for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next)
		cap++;
	if (cap)
		v = calloc(cap, sizeof(*v));
	for (struct nvmx_tgt_ctrl *c = s->ctrls; c && v; c = c->next) {
		atomic_fetch_add(&c->refs, 1);
		v[n++] = c;
	}
	pthread_mutex_unlock(&s->t->lock);
	*out = v;
	return n;
}

static void put_ctrls(struct nvmx_tgt_ctrl **v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		nvmx_tgt_ctrl_put(v[i]);
	free(v);
}

void nvmx_tgt_aen_ns_changed(struct nvmx_tgt_subsys *s, uint32_t nsid)
{
	struct nvmx_tgt_ctrl **v;
	unsigned n = grab_ctrls(s, &v);

	for (unsigned i = 0; i < n; i++) {
		note_changed(v[i], nsid);
		nvmx_tgt_aen_raise(v[i], NVMX_AER_TYPE_NOTICE, NVMX_AER_NOTICE_NS_CHANGED,
				   NVMX_LID_CHANGED_NS);
	}
	put_ctrls(v, n);
}

void nvmx_tgt_aen_raise_all(struct nvmx_tgt_subsys *s, unsigned type, unsigned info, unsigned lid)
{
	struct nvmx_tgt_ctrl **v;
	unsigned n = grab_ctrls(s, &v);

	for (unsigned i = 0; i < n; i++)
		nvmx_tgt_aen_raise(v[i], type, info, lid);
	put_ctrls(v, n);
}

/* The critical warning byte as the SMART log reports it for this controller. */
uint8_t nvmx_tgt_crit_warning(struct nvmx_tgt_ctrl *c)
{
	struct nvmx_tgt_subsys *s = c->subsys;
	int temp = atomic_load(&s->temperature);
	uint8_t cw = (uint8_t)(atomic_load(&s->crit_warning) & NVMX_CW_ALL);

	if (temp > (int)NVMX_TEMP_THRESH_TMPTH(c->feat_temp_over) ||
	    (c->feat_temp_under && temp < (int)NVMX_TEMP_THRESH_TMPTH(c->feat_temp_under)))
		cw |= NVMX_CW_TEMPERATURE;
	if (atomic_load(&s->avail_spare) < NVMX_TGT_SPARE_THRESH)
		cw |= NVMX_CW_SPARE;
	return cw;
}

static void smart_check_ctrl(struct nvmx_tgt_ctrl *c)
{
	uint8_t cw = nvmx_tgt_crit_warning(c), fresh;

	pthread_mutex_lock(&c->lock);
	fresh = cw & (uint8_t)~c->smart_reported;
	c->smart_reported = cw;		/* cleared bits may fire again later */
	pthread_mutex_unlock(&c->lock);
	if (fresh & NVMX_CW_TEMPERATURE)
		nvmx_tgt_aen_raise(c, NVMX_AER_TYPE_SMART, NVMX_AER_SMART_TEMP_THRESH, NVMX_LID_SMART);
	else if (fresh & NVMX_CW_SPARE)
		nvmx_tgt_aen_raise(c, NVMX_AER_TYPE_SMART, NVMX_AER_SMART_SPARE_THRESH, NVMX_LID_SMART);
	else if (fresh)
		nvmx_tgt_aen_raise(c, NVMX_AER_TYPE_SMART, NVMX_AER_SMART_RELIABILITY, NVMX_LID_SMART);
}

void nvmx_tgt_aen_smart_check(struct nvmx_tgt_subsys *s)
{
	struct nvmx_tgt_ctrl **v;
	unsigned n = grab_ctrls(s, &v);

	for (unsigned i = 0; i < n; i++)
		smart_check_ctrl(v[i]);
	put_ctrls(v, n);
}
