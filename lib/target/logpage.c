/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Get Log Page (Base 5.16): error information, SMART / health, firmware
 * slot, changed namespace list, commands supported and effects, and the
 * discovery log (Fabrics 1.1, 5.3).  Each page is built whole and the
 * window the host asked for (LPO, NUMD) is copied out; bytes past the end
 * of a page read as zero.
 */
#include <string.h>

#include "target/core.h"
#include "util/log.h"

#define LOG_SCRATCH 4096

uint32_t nvmx_tgt_log_len(const struct nvmx_tgt_req *r)
{
	const struct nvmx_cmd_get_log_page *cmd = (const struct nvmx_cmd_get_log_page *)&r->sqe;
	uint64_t numd = ((uint64_t)nvmx_le16_to_cpu(cmd->numdu) << 16 |
			 nvmx_le16_to_cpu(cmd->numdl)) + 1;

	return numd * 4 > 0xffffffffull ? 0xffffffffu : (uint32_t)(numd * 4);
}

static void error_log(struct nvmx_tgt_ctrl *c, uint8_t *buf)
{
	struct nvmx_error_log_entry *e = (struct nvmx_error_log_entry *)buf;

	pthread_mutex_lock(&c->lock);
	for (uint64_t i = 0; i < NVMX_TGT_ERRLOG && i < c->err_count; i++) {
		const struct nvmx_tgt_errlog_ent *s =
			&c->errlog[(c->err_count - 1 - i) % NVMX_TGT_ERRLOG];

		e[i].error_count = nvmx_cpu_to_le64(s->count);
		e[i].sqid = nvmx_cpu_to_le16(s->sqid);
		e[i].cid = nvmx_cpu_to_le16(s->cid);
		e[i].status = nvmx_cpu_to_le16(s->status);
		e[i].param_error_location = nvmx_cpu_to_le16(s->loc);
		e[i].lba = nvmx_cpu_to_le64(s->lba);
		e[i].nsid = nvmx_cpu_to_le32(s->nsid);
		e[i].trtype = 3;	/* TCP */
	}
	pthread_mutex_unlock(&c->lock);
}

void nvmx_tgt_smart_sum(struct nvmx_tgt_subsys *s, struct nvmx_tgt_counters *out)
{
	pthread_mutex_lock(&s->t->lock);
	*out = s->closed;
	for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next) {
		pthread_mutex_lock(&c->lock);
		for (unsigned i = 1; i <= NVMX_TGT_MAX_QUEUES; i++) {
			const struct nvmx_tgt_counters *q = c->queues[i] ? &c->queues[i]->stats : NULL;

			if (!q)
				continue;
			out->bytes_read += __atomic_load_n(&q->bytes_read, __ATOMIC_RELAXED);
			out->bytes_written += __atomic_load_n(&q->bytes_written, __ATOMIC_RELAXED);
			out->read_cmds += __atomic_load_n(&q->read_cmds, __ATOMIC_RELAXED);
			out->write_cmds += __atomic_load_n(&q->write_cmds, __ATOMIC_RELAXED);
		}
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&s->t->lock);
}

/* Data units: thousands of 512-byte units, rounded up (Base Figure 207). */
static uint64_t data_units(uint64_t bytes)
{
	return (bytes / 512 + 999) / 1000;
}

static void smart_log(struct nvmx_tgt_ctrl *c, uint8_t *buf)
{
	struct nvmx_smart_log *l = (struct nvmx_smart_log *)buf;
	struct nvmx_tgt_subsys *s = c->subsys;
	struct nvmx_tgt_counters sum;
	uint64_t hours = (nvmx_now_ns() - s->t->start_ns) / 3600000000000ull;
	int spare = atomic_load(&s->avail_spare);

	nvmx_tgt_smart_sum(s, &sum);
	l->critical_warning = nvmx_tgt_crit_warning(c);
	nvmx_put_le16(l->temperature, (uint16_t)atomic_load(&s->temperature));
	l->avail_spare = (uint8_t)(spare < 0 ? 0 : spare > 100 ? 100 : spare);
	l->spare_thresh = NVMX_TGT_SPARE_THRESH;
	nvmx_put_le128(l->data_units_read, data_units(sum.bytes_read), 0);
	nvmx_put_le128(l->data_units_written, data_units(sum.bytes_written), 0);
	nvmx_put_le128(l->host_reads, sum.read_cmds, 0);
	nvmx_put_le128(l->host_writes, sum.write_cmds, 0);
	nvmx_put_le128(l->power_cycles, 1, 0);
	nvmx_put_le128(l->power_on_hours, hours, 0);
	pthread_mutex_lock(&c->lock);
	nvmx_put_le128(l->num_err_log_entries, c->err_count, 0);
	pthread_mutex_unlock(&c->lock);
}

static void fw_slot_log(uint8_t *buf)
{
	struct nvmx_fw_slot_log *l = (struct nvmx_fw_slot_log *)buf;

	l->afi = 1;		/* slot 1 active */
	nvmx_tgt_strpad(l->frs[0], sizeof(l->frs[0]), NVMX_TGT_FW_REV);
}

static void changed_ns_log(struct nvmx_tgt_ctrl *c, uint8_t *buf)
{
	struct nvmx_changed_ns_log *l = (struct nvmx_changed_ns_log *)buf;

	pthread_mutex_lock(&c->lock);
	if (c->nchanged > NVMX_TGT_MAX_CHANGED_NS)
		l->nsid[0] = nvmx_cpu_to_le32(NVMX_CHANGED_NS_OVERFLOW);
	else
		for (unsigned i = 0; i < c->nchanged; i++)
			l->nsid[i] = nvmx_cpu_to_le32(c->changed_ns[i]);
	pthread_mutex_unlock(&c->lock);
}

static void cmd_effects_log(uint8_t *buf)
{
	struct nvmx_cmd_effects_log *l = (struct nvmx_cmd_effects_log *)buf;
	static const uint8_t admin[] = {
		NVMX_ADM_GET_LOG_PAGE, NVMX_ADM_IDENTIFY, NVMX_ADM_ABORT,
		NVMX_ADM_SET_FEATURES, NVMX_ADM_GET_FEATURES, NVMX_ADM_ASYNC_EVENT,
		NVMX_ADM_KEEP_ALIVE,
	};

	for (unsigned i = 0; i < sizeof(admin); i++)
		l->acs[admin[i]] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP);
	l->iocs[NVMX_NVM_READ] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP);
	l->iocs[NVMX_NVM_COMPARE] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP);
	l->iocs[NVMX_NVM_FLUSH] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP);
	l->iocs[NVMX_NVM_WRITE] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP | NVMX_CSE_LBCC);
	l->iocs[NVMX_NVM_WRITE_ZEROES] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP | NVMX_CSE_LBCC);
	l->iocs[NVMX_NVM_DSM] = nvmx_cpu_to_le32(NVMX_CSE_CSUPP | NVMX_CSE_LBCC);
}

/* Build a page of at most LOG_SCRATCH bytes; returns its size or 0. */
static uint32_t build_small(struct nvmx_tgt_ctrl *c, uint8_t lid, uint8_t *buf)
{
	memset(buf, 0, LOG_SCRATCH);
	switch (lid) {
	case NVMX_LID_ERROR:      error_log(c, buf); return NVMX_TGT_ERRLOG * 64;
	case NVMX_LID_SMART:      smart_log(c, buf); return 512;
	case NVMX_LID_FW_SLOT:    fw_slot_log(buf); return 512;
	case NVMX_LID_CHANGED_NS: changed_ns_log(c, buf); return 4096;
	case NVMX_LID_CMD_EFFECTS: cmd_effects_log(buf); return 4096;
	default: return 0;
	}
}

void nvmx_tgt_get_log_page(struct nvmx_tgt_req *r)
{
	const struct nvmx_cmd_get_log_page *cmd = (const struct nvmx_cmd_get_log_page *)&r->sqe;
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	bool disc = c->subsys->type == NVMX_SUBSYS_DISCOVERY;
	uint64_t off = (uint64_t)nvmx_le32_to_cpu(cmd->lpou) << 32 | nvmx_le32_to_cpu(cmd->lpol);
	uint32_t len = r->xfer_len, size;
	uint8_t scratch[LOG_SCRATCH];

	if (off & 3) {		/* Base 5.16: LPO is dword aligned */
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	memset(r->buf, 0, len);
	if (cmd->lid == NVMX_LID_DISCOVERY && disc) {
		size = nvmx_tgt_discovery_log(c->subsys->t, c->hostnqn, r->buf, off, len);
	} else {
		size = disc ? 0 : build_small(c, cmd->lid, scratch);
		if (size == 0) {
			nvmx_tgt_req_done(r, nvmx_sc_cmd(NVMX_SC_LOG_PAGE_INVALID), 0);
			return;
		}
		if (off < size)
			memcpy(r->buf, scratch + off, len < size - off ? len : size - off);
	}
	if (off > size) {	/* Base 5.16: offset beyond the page */
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	nvmx_tgt_aen_log_read(c, cmd->lid, cmd->lsp_rae & NVMX_LOG_RAE);
	nvmx_tgt_req_done(r, 0, 0);
}
