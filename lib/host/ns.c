/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Namespaces: the active namespace list (Identify CNS 02h), each
 * namespace's Identify (CNS 00h) and identification descriptors (CNS 03h,
 * for the UUID; NGUID and EUI64 also come from Identify Namespace).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"

static bool nonzero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return true;
	return false;
}

static void parse_descs(struct nvmx_ns_info *ni, const uint8_t *buf)
{
	size_t off = 0;

	while (off + sizeof(struct nvmx_ns_id_desc) <= 4096) {
		const struct nvmx_ns_id_desc *d = (const void *)(buf + off);
		const uint8_t *id = buf + off + sizeof(*d);

		if (d->nidt == 0 || off + sizeof(*d) + d->nidl > 4096)
			break;
		if (d->nidt == NVMX_NIDT_UUID && d->nidl == NVMX_NIDT_UUID_LEN) {
			memcpy(ni->uuid, id, 16);
			ni->has_uuid = true;
		} else if (d->nidt == NVMX_NIDT_NGUID && d->nidl == NVMX_NIDT_NGUID_LEN) {
			memcpy(ni->nguid, id, 16);
			ni->has_nguid = true;
		} else if (d->nidt == NVMX_NIDT_EUI64 && d->nidl == NVMX_NIDT_EUI64_LEN) {
			memcpy(ni->eui64, id, 8);
			ni->has_eui64 = true;
		}
		off += sizeof(*d) + d->nidl;
	}
}

static int ns_identify(struct nvmx_ctrl *ctrl, uint32_t nsid, struct nvmx_ns_info *ni, void *buf)
{
	const struct nvmx_id_ns *id = buf;
	unsigned int fmt;
	int rc;

	rc = nvmx_identify_sync(ctrl, NVMX_CNS_NS, nsid, buf);
	if (rc)
		return rc;
	memset(ni, 0, sizeof(*ni));
	ni->nsid = nsid;
	ni->nsze = nvmx_le64_to_cpu(id->nsze);
	ni->ncap = nvmx_le64_to_cpu(id->ncap);
	ni->nuse = nvmx_le64_to_cpu(id->nuse);
	fmt = nvmx_flbas_index(id->flbas);
	if (fmt > 63 || id->lbaf[fmt].lbads < 9 || id->lbaf[fmt].lbads > 31) {
		nvmx_warn("%s: namespace %u: bad LBA format (lbads %u)", ctrl->name, nsid,
			  fmt > 63 ? 0 : id->lbaf[fmt].lbads);
		return -EPROTO;
	}
	ni->block_size = 1u << id->lbaf[fmt].lbads;
	ni->md_size = nvmx_le16_to_cpu(id->lbaf[fmt].ms);
	if (nonzero(id->nguid, 16)) {
		memcpy(ni->nguid, id->nguid, 16);
		ni->has_nguid = true;
	}
	if (nonzero(id->eui64, 8)) {
		memcpy(ni->eui64, id->eui64, 8);
		ni->has_eui64 = true;
	}
	/* Descriptors (base spec 1.3+); not every target has them. */
	if (ctrl->vs >= NVMX_VS(1, 3, 0) &&
	    nvmx_identify_sync(ctrl, NVMX_CNS_NS_DESC_LIST, nsid, buf) == 0)
		parse_descs(ni, buf);
	return 0;
}

int nvmx_ctrl_scan_ns(struct nvmx_ctrl *ctrl)
{
	uint32_t *list, nsids[NVMX_NS_LIST_MAX];
	struct nvmx_ns_table *t = NULL, *old;
	unsigned int n = 0, k = 0;
	void *buf = aligned_alloc(4096, 4096);
	int rc;

	if (!buf)
		return -ENOMEM;
	list = buf;
	rc = nvmx_identify_sync(ctrl, NVMX_CNS_NS_ACTIVE_LIST, 0, list);
	if (rc) {
		nvmx_ctrl_seterr(ctrl, "Identify active namespace list failed: %s",
				 nvmx_result_str(rc));
		goto out;
	}
	while (n < NVMX_NS_LIST_MAX && list[n])
		n++;
	for (unsigned int i = 0; i < n; i++)
		nsids[i] = nvmx_le32_to_cpu(list[i]);
	t = calloc(1, sizeof(*t) + (n ? n : 1) * sizeof(t->ns[0]));
	if (!t) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		rc = ns_identify(ctrl, nsids[i], &t->ns[k], buf);
		if (rc == 0 && t->ns[k].nsze)
			k++;
		else if (rc)
			nvmx_warn("%s: namespace %u skipped: %s", ctrl->name, nsids[i],
				  nvmx_result_str(rc));
	}
	rc = 0;
	t->n = k;
	old = atomic_exchange(&ctrl->ns_table, t);
	if (old) {
		old->retired_next = ctrl->ns_retired;
		ctrl->ns_retired = old;
	}
out:
	free(buf);
	return rc > 0 ? -EIO : rc;
}

int nvmx_ctrl_rescan_ns(struct nvmx_ctrl *ctrl)
{
	int rc;

	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_ctrl_scan_ns(ctrl);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

static const struct nvmx_ns_table *table(const struct nvmx_ctrl *ctrl)
{
	return atomic_load(&((struct nvmx_ctrl *)ctrl)->ns_table);
}

unsigned int nvmx_ctrl_num_ns(const struct nvmx_ctrl *ctrl)
{
	const struct nvmx_ns_table *t = table(ctrl);

	return t ? t->n : 0;
}

const struct nvmx_ns_info *nvmx_ctrl_ns_at(const struct nvmx_ctrl *ctrl, unsigned int idx)
{
	const struct nvmx_ns_table *t = table(ctrl);

	return t && idx < t->n ? &t->ns[idx] : NULL;
}

const struct nvmx_ns_info *nvmx_ctrl_ns(const struct nvmx_ctrl *ctrl, uint32_t nsid)
{
	const struct nvmx_ns_table *t = table(ctrl);

	for (unsigned int i = 0; t && i < t->n; i++)
		if (t->ns[i].nsid == nsid)
			return &t->ns[i];
	return NULL;
}
