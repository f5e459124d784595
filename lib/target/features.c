/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Get / Set Features (Base 5.15, 5.27): arbitration, temperature threshold,
 * volatile write cache, number of queues, asynchronous event configuration,
 * keep alive timer.  Nothing is saveable; everything listed is changeable.
 */
#include "target/core.h"
#include "util/log.h"

#define CAP_CHANGEABLE (1u << 2)	/* Base Figure 195 */

static bool feat_allowed(const struct nvmx_tgt_ctrl *c, uint8_t fid)
{
	if (c->subsys->type == NVMX_SUBSYS_DISCOVERY)
		return fid == NVMX_FID_KATO || fid == NVMX_FID_ASYNC_EVENT;
	switch (fid) {
	case NVMX_FID_ARBITRATION: case NVMX_FID_TEMP_THRESH: case NVMX_FID_VOLATILE_WC:
	case NVMX_FID_NUM_QUEUES: case NVMX_FID_ASYNC_EVENT: case NVMX_FID_KATO:
		return true;
	default:
		return false;
	}
}

static uint32_t aec_supported(const struct nvmx_tgt_ctrl *c)
{
	if (c->subsys->type == NVMX_SUBSYS_DISCOVERY)
		return 0;
	return (NVMX_AEC_SMART_MASK & NVMX_CW_ALL) | NVMX_AEC_NS_ATTR;
}

/* TMPSEL 0 (composite) or Fh (all sensors: we only have the composite). */
static int temp_slot(struct nvmx_tgt_ctrl *c, uint32_t cdw11, uint32_t **slot)
{
	unsigned tmpsel = NVMX_TEMP_THRESH_TMPSEL(cdw11), thsel = NVMX_TEMP_THRESH_THSEL(cdw11);

	if ((tmpsel != 0 && tmpsel != 0xf) || thsel > 1)
		return -1;
	*slot = thsel == 0 ? &c->feat_temp_over : &c->feat_temp_under;
	return 0;
}

static uint32_t feat_default(uint8_t fid)
{
	switch (fid) {
	case NVMX_FID_TEMP_THRESH: return 273 + 70;
	case NVMX_FID_VOLATILE_WC: return 1;
	case NVMX_FID_NUM_QUEUES:  return NVMX_NUM_QUEUES(NVMX_TGT_MAX_QUEUES, NVMX_TGT_MAX_QUEUES);
	case NVMX_FID_ASYNC_EVENT: return NVMX_AEC_SMART_MASK & NVMX_CW_ALL;
	default: return 0;
	}
}

void nvmx_tgt_get_features(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	uint32_t cdw10 = nvmx_le32_to_cpu(r->sqe.cdw10), cdw11 = nvmx_le32_to_cpu(r->sqe.cdw11);
	uint8_t fid = NVMX_FEAT_FID(cdw10);
	unsigned sel = NVMX_FEAT_SEL(cdw10);
	uint32_t *slot, v = 0;

	if (!feat_allowed(c, fid) || sel > NVMX_FEAT_SEL_SUPPORTED_CAPS) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	if (sel == NVMX_FEAT_SEL_SUPPORTED_CAPS) {
		nvmx_tgt_req_done(r, 0, CAP_CHANGEABLE);
		return;
	}
	if (sel != NVMX_FEAT_SEL_CURRENT && fid != NVMX_FID_TEMP_THRESH) {
		/* Not saveable: saved reads as default (Base 5.15.1). */
		nvmx_tgt_req_done(r, 0, feat_default(fid));
		return;
	}
	switch (fid) {
	case NVMX_FID_ARBITRATION: v = c->feat_arb; break;
	case NVMX_FID_TEMP_THRESH:
		if (temp_slot(c, cdw11, &slot)) {
			nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
			return;
		}
		v = sel == NVMX_FEAT_SEL_CURRENT ? *slot :
		    NVMX_TEMP_THRESH_THSEL(cdw11) == 0 ? 273 + 70 : 0;
		break;
	case NVMX_FID_VOLATILE_WC: v = c->wce; break;
	case NVMX_FID_NUM_QUEUES:  v = NVMX_NUM_QUEUES(c->nr_io_queues, c->nr_io_queues); break;
	case NVMX_FID_ASYNC_EVENT: v = c->feat_aec; break;
	case NVMX_FID_KATO:        v = c->kato_ms; break;
	}
	nvmx_tgt_req_done(r, 0, v);
}

static uint16_t set_num_queues(struct nvmx_tgt_ctrl *c, uint32_t cdw11, uint32_t *dw0)
{
	uint32_t nsq = (cdw11 & 0xffff) + 1, ncq = (cdw11 >> 16) + 1, n;

	if ((cdw11 & 0xffff) == 0xffff || (cdw11 >> 16) == 0xffff)
		return nvmx_sc(NVMX_SC_INVALID_FIELD);
	pthread_mutex_lock(&c->lock);
	for (unsigned i = 1; i <= NVMX_TGT_MAX_QUEUES; i++) {
		if (c->queues[i]) {	/* Base 5.27.1.7: only before queues exist */
			pthread_mutex_unlock(&c->lock);
			return nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
		}
	}
	n = nsq > ncq ? nsq : ncq;
	c->nr_io_queues = (uint16_t)(n > NVMX_TGT_MAX_QUEUES ? NVMX_TGT_MAX_QUEUES : n);
	c->nr_queues_set = true;
	pthread_mutex_unlock(&c->lock);
	*dw0 = NVMX_NUM_QUEUES(c->nr_io_queues, c->nr_io_queues);
	return 0;
}

void nvmx_tgt_set_features(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	uint32_t cdw10 = nvmx_le32_to_cpu(r->sqe.cdw10), cdw11 = nvmx_le32_to_cpu(r->sqe.cdw11);
	uint8_t fid = NVMX_FEAT_FID(cdw10);
	uint32_t *slot, dw0 = 0;
	uint16_t st = 0;

	if (!feat_allowed(c, fid)) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	if (cdw10 & NVMX_FEAT_SV) {
		nvmx_tgt_req_done(r, nvmx_sc_cmd(NVMX_SC_FEAT_NOT_SAVEABLE), 0);
		return;
	}
	switch (fid) {
	case NVMX_FID_ARBITRATION:
		c->feat_arb = cdw11;
		break;
	case NVMX_FID_TEMP_THRESH:
		if (temp_slot(c, cdw11, &slot)) {
			st = nvmx_sc(NVMX_SC_INVALID_FIELD);
			break;
		}
		*slot = NVMX_TEMP_THRESH_TMPTH(cdw11);
		nvmx_tgt_aen_smart_check(c->subsys);
		break;
	case NVMX_FID_VOLATILE_WC:
		c->wce = cdw11 & 1;
		break;
	case NVMX_FID_NUM_QUEUES:
		st = set_num_queues(c, cdw11, &dw0);
		break;
	case NVMX_FID_ASYNC_EVENT:
		pthread_mutex_lock(&c->lock);
		c->feat_aec = cdw11 & aec_supported(c);
		pthread_mutex_unlock(&c->lock);
		break;
	case NVMX_FID_KATO:
		c->kato_ms = cdw11;
		c->ka_deadline_ns = cdw11 ? nvmx_now_ns() + (uint64_t)cdw11 * 1000000ull : 0;
		break;
	}
	nvmx_tgt_req_done(r, st, dw0);
}
