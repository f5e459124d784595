/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVM command set I/O commands (NVM 3.2): Read, Write, Compare, Flush,
 * Write Zeroes, Dataset Management (deallocate).  Runs on the queue's own
 * thread without locks or allocation; a RAM backend's reads are sent from
 * backend memory (r->data points there), other reads land in r->buf.
 */
#include <string.h>

#include "target/core.h"
#include "util/log.h"

static inline struct nvmx_tgt_ns *req_ns(struct nvmx_tgt_req *r)
{
	return nvmx_tgt_ns_get(r->q->ctrl->subsys, nvmx_le32_to_cpu(r->sqe.nsid));
}

static inline uint64_t ns_blocks(const struct nvmx_tgt_ns *ns)
{
	return __atomic_load_n(&ns->bdev->size, __ATOMIC_RELAXED) >> ns->lba_shift;
}

/* NVM 3.2.x: SLBA + NLB beyond NSZE is LBA Out of Range. */
static bool lba_ok(const struct nvmx_tgt_ns *ns, uint64_t slba, uint64_t nlb)
{
	uint64_t nsze = ns_blocks(ns);

	return slba < nsze && nlb <= nsze - slba;
}

static uint16_t prepare_rw(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns, uint8_t dir)
{
	const struct nvmx_cmd_rw *cmd = (const struct nvmx_cmd_rw *)&r->sqe;
	uint64_t nlb = (uint64_t)nvmx_le16_to_cpu(cmd->nlb) + 1;
	uint64_t len = nlb << ns->lba_shift;

	/* Base 5.x (MDTS): a transfer larger than MDTS is Invalid Field. */
	if (len > NVMX_TGT_MAX_XFER)
		return nvmx_sc(NVMX_SC_INVALID_FIELD);
	if (!lba_ok(ns, nvmx_le64_to_cpu(cmd->slba), nlb))
		return nvmx_sc(NVMX_SC_LBA_RANGE);
	r->dir = dir;
	r->xfer_len = (uint32_t)len;
	return 0;
}

uint16_t nvmx_tgt_io_prepare(struct nvmx_tgt_req *r)
{
	uint32_t nsid = nvmx_le32_to_cpu(r->sqe.nsid);
	struct nvmx_tgt_ns *ns;

	if (r->sqe.opc == NVMX_NVM_FLUSH && nsid == 0xffffffffu)
		return 0;	/* flush every namespace (VWC bits 2:1 = 11b) */
	ns = req_ns(r);
	if (!ns)
		return nvmx_sc(NVMX_SC_INVALID_NS);
	switch (r->sqe.opc) {
	case NVMX_NVM_READ:
		return prepare_rw(r, ns, NVMX_DIR_C2H);
	case NVMX_NVM_WRITE:
	case NVMX_NVM_COMPARE:
		return prepare_rw(r, ns, NVMX_DIR_H2C);
	case NVMX_NVM_WRITE_ZEROES: {
		const struct nvmx_cmd_rw *cmd = (const struct nvmx_cmd_rw *)&r->sqe;

		if (!lba_ok(ns, nvmx_le64_to_cpu(cmd->slba), (uint64_t)nvmx_le16_to_cpu(cmd->nlb) + 1))
			return nvmx_sc(NVMX_SC_LBA_RANGE);
		return 0;
	}
	case NVMX_NVM_DSM:
		r->dir = NVMX_DIR_H2C;
		r->xfer_len = ((nvmx_le32_to_cpu(r->sqe.cdw10) & 0xff) + 1) * 16;
		return 0;
	case NVMX_NVM_FLUSH:
		return 0;
	default:
		return nvmx_sc(NVMX_SC_INVALID_OPCODE);
	}
}

static uint16_t media_status(int rc, bool write)
{
	nvmx_debug("backend %s failed: %d", write ? "write" : "read", rc);
	return nvmx_st_make(NVMX_SCT_MEDIA, write ? NVMX_SC_WRITE_FAULT : NVMX_SC_UNRECOVERED_READ, 0);
}

static uint16_t do_read(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	uint64_t off = nvmx_le64_to_cpu(((const struct nvmx_cmd_rw *)&r->sqe)->slba) << ns->lba_shift;
	struct nvmx_bdev *b = ns->bdev;
	void *p = b->ops->map ? b->ops->map(b, off, r->xfer_len) : NULL;
	int rc;

	if (p) {
		r->data = p;	/* zero copy: the transport sends from here */
	} else if ((rc = b->ops->read(b, r->buf, off, r->xfer_len)) != 0) {
		return media_status(rc, false);
	}
	r->q->stats.read_cmds++;
	r->q->stats.bytes_read += r->xfer_len;
	return 0;
}

static uint16_t do_write(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	const struct nvmx_cmd_rw *cmd = (const struct nvmx_cmd_rw *)&r->sqe;
	uint64_t off = nvmx_le64_to_cpu(cmd->slba) << ns->lba_shift;
	struct nvmx_bdev *b = ns->bdev;
	int rc = b->ops->write(b, r->data, off, r->xfer_len);

	/* FUA, or the host turned the volatile write cache off: durable now. */
	if (!rc && b->volatile_cache &&
	    ((nvmx_le16_to_cpu(cmd->control) & NVMX_RW_FUA) || !r->q->ctrl->wce))
		rc = b->ops->flush(b);
	if (rc)
		return media_status(rc, true);
	r->q->stats.write_cmds++;
	r->q->stats.bytes_written += r->xfer_len;
	return 0;
}

/* NVM 3.2.1: Compare Failure if any byte differs. */
static uint16_t do_compare(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	uint64_t off = nvmx_le64_to_cpu(((const struct nvmx_cmd_rw *)&r->sqe)->slba) << ns->lba_shift;
	struct nvmx_bdev *b = ns->bdev;
	const uint8_t *host = r->data;
	uint8_t chunk[4096] __attribute__((aligned(4096)));	/* O_DIRECT-safe */

	for (uint32_t done = 0; done < r->xfer_len; done += sizeof(chunk)) {
		uint32_t n = r->xfer_len - done < sizeof(chunk) ? r->xfer_len - done : sizeof(chunk);
		int rc = b->ops->read(b, chunk, off + done, n);

		if (rc)
			return media_status(rc, false);
		if (memcmp(chunk, host + done, n) != 0)
			return nvmx_st_make(NVMX_SCT_MEDIA, NVMX_SC_COMPARE_FAILED, 1);
	}
	r->q->stats.read_cmds++;
	return 0;
}

static uint16_t do_write_zeroes(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	const struct nvmx_cmd_rw *cmd = (const struct nvmx_cmd_rw *)&r->sqe;
	uint64_t off = nvmx_le64_to_cpu(cmd->slba) << ns->lba_shift;
	uint64_t len = ((uint64_t)nvmx_le16_to_cpu(cmd->nlb) + 1) << ns->lba_shift;
	struct nvmx_bdev *b = ns->bdev;
	/* DEAC: deallocate too; our deallocated blocks read as zeroes. */
	int rc = (nvmx_le16_to_cpu(cmd->control) & NVMX_RW_WZ_DEAC) ?
		 b->ops->discard(b, off, len) : b->ops->write_zeroes(b, off, len);

	if (rc)
		return media_status(rc, true);
	r->q->stats.write_cmds++;
	return 0;
}

/* NVM 3.2.3: ranges are checked before anything is deallocated. */
static uint16_t do_dsm(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	uint32_t nr = (nvmx_le32_to_cpu(r->sqe.cdw10) & 0xff) + 1;
	const uint8_t *p = r->data;
	struct nvmx_dsm_range rg;

	if (!(nvmx_le32_to_cpu(r->sqe.cdw11) & NVMX_DSM_AD))
		return 0;	/* only hints: nothing to do */
	for (uint32_t i = 0; i < nr; i++) {
		memcpy(&rg, p + i * sizeof(rg), sizeof(rg));
		if (!lba_ok(ns, nvmx_le64_to_cpu(rg.slba), nvmx_le32_to_cpu(rg.nlb)))
			return nvmx_sc(NVMX_SC_LBA_RANGE);
	}
	for (uint32_t i = 0; i < nr; i++) {
		memcpy(&rg, p + i * sizeof(rg), sizeof(rg));
		if (rg.nlb && ns->bdev->ops->discard(ns->bdev,
				nvmx_le64_to_cpu(rg.slba) << ns->lba_shift,
				(uint64_t)nvmx_le32_to_cpu(rg.nlb) << ns->lba_shift))
			return media_status(-1, true);
	}
	return 0;
}

static uint16_t do_flush(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_subsys *s = r->q->ctrl->subsys;
	uint32_t nsid = nvmx_le32_to_cpu(r->sqe.nsid);
	int rc = 0;

	for (uint32_t i = 1; i <= NVMX_TGT_MAX_NSID; i++) {
		struct nvmx_tgt_ns *ns;

		if (nsid != 0xffffffffu && i != nsid)
			continue;
		ns = nvmx_tgt_ns_get(s, i);
		if (ns && ns->bdev->ops->flush(ns->bdev))
			rc = -1;
	}
	return rc ? media_status(rc, true) : 0;
}

void nvmx_tgt_io_exec(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ns *ns = r->sqe.opc == NVMX_NVM_FLUSH ? NULL : req_ns(r);
	uint16_t st;

	if (r->sqe.opc != NVMX_NVM_FLUSH && !ns) {	/* removed since prepare */
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_NS), 0);
		return;
	}
	/* Shrunk while the data came in (R2T): check the range again. */
	if (r->xfer_len && r->sqe.opc != NVMX_NVM_DSM &&
	    !lba_ok(ns, nvmx_le64_to_cpu(((const struct nvmx_cmd_rw *)&r->sqe)->slba),
		    r->xfer_len >> ns->lba_shift)) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_LBA_RANGE), 0);
		return;
	}
	switch (r->sqe.opc) {
	case NVMX_NVM_READ:         st = do_read(r, ns); break;
	case NVMX_NVM_WRITE:        st = do_write(r, ns); break;
	case NVMX_NVM_COMPARE:      st = do_compare(r, ns); break;
	case NVMX_NVM_WRITE_ZEROES: st = do_write_zeroes(r, ns); break;
	case NVMX_NVM_DSM:          st = do_dsm(r, ns); break;
	case NVMX_NVM_FLUSH:        st = do_flush(r); break;
	default:                    st = nvmx_sc(NVMX_SC_INVALID_OPCODE); break;
	}
	nvmx_tgt_req_done(r, st, 0);
}
