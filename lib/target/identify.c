/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identify (Base 5.17): controller, namespace, active namespace list and
 * namespace identification descriptors.  Every field says what this target
 * actually does.
 */
#include <string.h>

#include "target/core.h"
#include "util/log.h"

#define NVMX_TGT_VS NVMX_VS(1, 3, 0)

static void id_ctrl_common(struct nvmx_tgt_ctrl *c, struct nvmx_id_ctrl *id)
{
	struct nvmx_tgt_subsys *s = c->subsys;

	nvmx_tgt_strpad(id->sn, sizeof(id->sn), s->serial);
	nvmx_tgt_strpad(id->mn, sizeof(id->mn), s->model);
	nvmx_tgt_strpad(id->fr, sizeof(id->fr), NVMX_TGT_FW_REV);
	id->mdts = NVMX_TGT_MDTS;
	id->cntlid = nvmx_cpu_to_le16(c->cntlid);
	id->ver = nvmx_cpu_to_le32(NVMX_TGT_VS);
	id->aerl = NVMX_TGT_AERL;
	id->lpa = NVMX_LPA_EXTENDED;
	id->elpe = NVMX_TGT_ERRLOG - 1;
	id->kas = nvmx_cpu_to_le16(NVMX_TGT_KAS);
	id->ctratt = nvmx_cpu_to_le32(NVMX_CTRATT_TBKAS);
	id->sqes = 0x66;
	id->cqes = 0x44;
	id->maxcmd = nvmx_cpu_to_le16(NVMX_TGT_MQES + 1);
	/* SGLs without alignment, SGL Offset (in-capsule data), Transport SGL
	 * Data Block (R2T / C2HData), as NVMe/TCP 1.0, 3.3 uses them. */
	id->sgls = nvmx_cpu_to_le32(1u | NVMX_SGLS_OFFSET | NVMX_SGLS_TRANSPORT_DATA);
	snprintf(id->subnqn, sizeof(id->subnqn), "%s", s->nqn);
	id->ioccsz = nvmx_cpu_to_le32((64 + s->t->opts.inline_data) / 16);
	id->iorcsz = nvmx_cpu_to_le32(1);
	id->msdbd = 1;
}

static void id_ctrl(struct nvmx_tgt_req *r)
{
	struct nvmx_tgt_ctrl *c = r->q->ctrl;
	struct nvmx_id_ctrl *id = (struct nvmx_id_ctrl *)r->buf;

	memset(id, 0, sizeof(*id));
	id_ctrl_common(c, id);
	if (c->subsys->type == NVMX_SUBSYS_DISCOVERY) {
		id->cntrltype = NVMX_CTRL_TYPE_DISCOVERY;
		nvmx_tgt_req_done(r, 0, 0);
		return;
	}
	id->cntrltype = NVMX_CTRL_TYPE_IO;
	id->rab = 6;
	id->cmic = NVMX_CTRL_CMIC_MULTI_CTRL;
	id->oaes = nvmx_cpu_to_le32(NVMX_OAES_NS_ATTR);
	id->acl = NVMX_TGT_ACL;
	id->frmw = NVMX_FRMW_SLOT1_RO | (1u << 1);	/* one read-only slot */
	id->lpa |= NVMX_LPA_CMD_EFFECTS;
	id->wctemp = nvmx_cpu_to_le16(273 + 70);
	id->cctemp = nvmx_cpu_to_le16(273 + 85);
	id->nn = nvmx_cpu_to_le32(NVMX_TGT_MAX_NSID);
	id->oncs = nvmx_cpu_to_le16(NVMX_ONCS_COMPARE | NVMX_ONCS_DSM | NVMX_ONCS_WRITE_ZEROES);
	/* A file backend has a page cache; Set Features VWC off makes writes
	 * write-through.  Flush with NSID FFFFFFFFh flushes all namespaces. */
	id->vwc = NVMX_VWC_PRESENT | NVMX_VWC_FLUSH_NSID_ALL;
	id->awun = 0;
	id->awupf = 0;
	nvmx_tgt_req_done(r, 0, 0);
}

static void id_ns(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	struct nvmx_id_ns *id = (struct nvmx_id_ns *)r->buf;
	uint64_t nlb;

	memset(id, 0, sizeof(*id));
	if (!ns) {		/* Identify Namespace of an inactive NSID: all zeroes (Base 5.17.2.1) */
		nvmx_tgt_req_done(r, 0, 0);
		return;
	}
	nlb = __atomic_load_n(&ns->bdev->size, __ATOMIC_RELAXED) >> ns->lba_shift;
	id->nsze = nvmx_cpu_to_le64(nlb);
	id->ncap = nvmx_cpu_to_le64(nlb);
	id->nuse = nvmx_cpu_to_le64(nlb);
	id->nlbaf = 0;
	id->flbas = 0;
	id->nmic = 1;		/* may be attached to several controllers */
	id->dlfeat = NVMX_DLFEAT_READ_ZEROES | NVMX_DLFEAT_WZ_DEAC;
	id->lbaf[0].lbads = ns->lba_shift;
	memcpy(id->nguid, ns->nguid, 16);
	nvmx_tgt_req_done(r, 0, 0);
}

static void active_ns_list(struct nvmx_tgt_req *r, uint32_t after)
{
	struct nvmx_tgt_subsys *s = r->q->ctrl->subsys;
	struct nvmx_ns_list *l = (struct nvmx_ns_list *)r->buf;
	unsigned n = 0;

	memset(l, 0, sizeof(*l));
	for (uint32_t nsid = after + 1; nsid <= NVMX_TGT_MAX_NSID && n < NVMX_NS_LIST_MAX; nsid++)
		if (nvmx_tgt_ns_get(s, nsid))
			l->nsid[n++] = nvmx_cpu_to_le32(nsid);
	nvmx_tgt_req_done(r, 0, 0);
}

static uint8_t *put_desc(uint8_t *p, uint8_t type, const void *id, uint8_t len)
{
	struct nvmx_ns_id_desc d = { .nidt = type, .nidl = len };

	memcpy(p, &d, sizeof(d));
	memcpy(p + sizeof(d), id, len);
	return p + sizeof(d) + len;
}

static void ns_desc_list(struct nvmx_tgt_req *r, struct nvmx_tgt_ns *ns)
{
	uint8_t csi = NVMX_CSI_NVM;
	uint8_t *p = r->buf;

	memset(r->buf, 0, 4096);
	p = put_desc(p, NVMX_NIDT_NGUID, ns->nguid, NVMX_NIDT_NGUID_LEN);
	p = put_desc(p, NVMX_NIDT_UUID, ns->uuid, NVMX_NIDT_UUID_LEN);
	put_desc(p, NVMX_NIDT_CSI, &csi, NVMX_NIDT_CSI_LEN);
	nvmx_tgt_req_done(r, 0, 0);
}

void nvmx_tgt_identify(struct nvmx_tgt_req *r)
{
	const struct nvmx_cmd_identify *cmd = (const struct nvmx_cmd_identify *)&r->sqe;
	struct nvmx_tgt_subsys *s = r->q->ctrl->subsys;
	uint32_t nsid = nvmx_le32_to_cpu(cmd->nsid);
	struct nvmx_tgt_ns *ns;

	if (s->type == NVMX_SUBSYS_DISCOVERY && cmd->cns != NVMX_CNS_CTRL) {
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	switch (cmd->cns) {
	case NVMX_CNS_CTRL:
		id_ctrl(r);
		return;
	case NVMX_CNS_NS:
		if (nsid == 0 || nsid > NVMX_TGT_MAX_NSID)
			break;
		id_ns(r, nvmx_tgt_ns_get(s, nsid));
		return;
	case NVMX_CNS_NS_ACTIVE_LIST:
		if (nsid >= 0xfffffffeu)	/* Base 5.17.2.2 */
			break;
		active_ns_list(r, nsid);
		return;
	case NVMX_CNS_CSI_CTRL:
	case NVMX_CNS_CSI_NS:
		/* Base 5.17.2.x: the NVM command set specific structures.  All
		 * their limits are zero ("not reported / no limit"), which is
		 * true here; other command sets are not supported. */
		if (cmd->csi != NVMX_CSI_NVM) {
			nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
			return;
		}
		if (cmd->cns == NVMX_CNS_CSI_NS && !nvmx_tgt_ns_get(s, nsid))
			break;
		memset(r->buf, 0, 4096);
		nvmx_tgt_req_done(r, 0, 0);
		return;
	case NVMX_CNS_NS_DESC_LIST:
		ns = nvmx_tgt_ns_get(s, nsid);
		if (!ns)
			break;
		ns_desc_list(r, ns);
		return;
	default:
		nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_FIELD), 0);
		return;
	}
	nvmx_tgt_req_done(r, nvmx_sc(NVMX_SC_INVALID_NS), 0);
}
