/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Admin command dispatch (Base 5).  The discovery controller accepts the
 * subset Fabrics 1.1, 5 (Figure 36) asks of it.
 */
#include <string.h>

#include "target/core.h"
#include "util/log.h"

static bool is_disc(const struct nvmx_tgt_req *r)
{
	return r->q->ctrl->subsys->type == NVMX_SUBSYS_DISCOVERY;
}

uint16_t nvmx_tgt_admin_prepare(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;

	/* Base 3.5.1: only fabrics commands before the controller is ready. */
	if (!(c->csts & NVMX_CSTS_RDY))
		return nvmx_sc(NVMX_SC_CMD_SEQ_ERROR);
	switch (r->sqe.opc) {
	case NVMX_ADM_IDENTIFY:
		r->dir = NVMX_DIR_C2H;
		r->xfer_len = 4096;
		return 0;
	case NVMX_ADM_GET_LOG_PAGE:
		r->dir = NVMX_DIR_C2H;
		r->xfer_len = nvmx_tgt_log_len(r);
		/* Base 5.16: larger than MDTS is Invalid Field. */
		return r->xfer_len > NVMX_TGT_MAX_XFER ? nvmx_sc(NVMX_SC_INVALID_FIELD) : 0;
	case NVMX_ADM_GET_FEATURES:
	case NVMX_ADM_SET_FEATURES:
	case NVMX_ADM_ASYNC_EVENT:
	case NVMX_ADM_KEEP_ALIVE:
		return 0;
	case NVMX_ADM_ABORT:
		return is_disc(r) ? nvmx_sc(NVMX_SC_INVALID_OPCODE) : 0;
	default:
		return nvmx_sc(NVMX_SC_INVALID_OPCODE);
	}
}

/* Base 5.1: commands here run to completion at once, so there is never
 * anything to abort; DW0 bit 0 says "not aborted". */
static void abort_cmd(struct nvmx_tgt_req *r)
{
	nvmx_tgt_req_done(r, 0, NVMX_ABORT_DW0_NOT_ABORTED);
}

void nvmx_tgt_admin_exec(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;

	/* Keep Alive Timer restarts on Keep Alive and, leniently, on any
	 * admin command (Base 3.9.5); only this queue's thread touches it. */
	if (c->kato_ms)
		c->ka_deadline_ns = nvmx_now_ns() + (uint64_t)c->kato_ms * 1000000ull;
	switch (r->sqe.opc) {
	case NVMX_ADM_IDENTIFY:     nvmx_tgt_identify(r); break;
	case NVMX_ADM_GET_LOG_PAGE: nvmx_tgt_get_log_page(r); break;
	case NVMX_ADM_GET_FEATURES: nvmx_tgt_get_features(r); break;
	case NVMX_ADM_SET_FEATURES: nvmx_tgt_set_features(r); break;
	case NVMX_ADM_ASYNC_EVENT:  nvmx_tgt_aer_submit(r); break;
	case NVMX_ADM_KEEP_ALIVE:   nvmx_tgt_req_done(r, 0, 0); break;
	case NVMX_ADM_ABORT:        abort_cmd(r); break;
	default: nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_OPCODE), 0); break;
	}
}
