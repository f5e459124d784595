/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fabrics commands every fabric shares (NVMe-oF 1.1): Connect on the admin
 * queue and each I/O queue (6.3), Property Get/Set (6.5, 6.6) for the
 * controller registers.  The transport carries them like any command.
 */
#include <errno.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

static void status_msg(struct nvmx_ctrl *ctrl, const char *what, uint16_t qid, int rc,
		       const struct nvmx_cqe *cqe)
{
	char st[96];

	if (rc < 0) {
		nvmx_ctrl_seterr(ctrl, "%s (QID %u) failed: %s", what, qid, strerror(-rc));
		return;
	}
	nvmx_status_str(nvmx_cqe_status(cqe), NVMX_CMDSET_FABRICS, st, sizeof(st));
	nvmx_ctrl_seterr(ctrl, "%s (QID %u) failed: %s", what, qid, st);
}

int nvmx_fabrics_connect(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	struct nvmx_connect_data data;
	struct nvmx_connect_cmd c;
	struct nvmx_cqe cqe;
	int rc;

	memset(&c, 0, sizeof(c));
	c.opc = NVMX_ADM_FABRICS;
	c.fctype = NVMX_FCTYPE_CONNECT;
	c.recfmt = nvmx_cpu_to_le16(0);
	c.qid = nvmx_cpu_to_le16(qp->qid);
	c.sqsize = nvmx_cpu_to_le16((uint16_t)(qp->depth - 1));	/* 0's based */
	/* SQHD is informational to this host, so it can do without SQ flow
	 * control (NVMe-oF 1.1 Figure 20 CATTR bit 2; TCP 7.4.5.2 SUCCESS). */
	if (qp->qid != 0 && ctrl->opts.disable_sqflow)
		c.cattr = NVMX_CONNECT_CATTR_DISABLE_SQFC;
	/* KATO is set on the admin queue's Connect only (NVMe-oF 6.3). */
	if (qp->qid == 0 && !ctrl->discovery && ctrl->opts.keep_alive_tmo > 0)
		c.kato = nvmx_cpu_to_le32((uint32_t)ctrl->opts.keep_alive_tmo * 1000u);

	memset(&data, 0, sizeof(data));
	memcpy(data.hostid, ctrl->hostid, sizeof(data.hostid));
	/* Dynamic controller model: 0xFFFF on the admin queue, then the
	 * controller's CNTLID on every I/O queue (NVMe-oF 6.3, Figure 21). */
	data.cntlid = nvmx_cpu_to_le16(qp->qid == 0 ? NVMX_CONNECT_CNTLID_DYNAMIC : ctrl->cntlid);
	strncpy(data.subnqn, ctrl->trid.subnqn, sizeof(data.subnqn) - 1);
	strncpy(data.hostnqn, ctrl->opts.hostnqn, sizeof(data.hostnqn) - 1);

	rc = nvmx_qpair_exec_sync(qp, (const struct nvmx_sqe *)&c, &data, sizeof(data),
				  NVMX_DIR_TO_CTRL, &cqe, ctrl->opts.admin_timeout_ms);
	if (rc) {
		status_msg(ctrl, "Fabrics Connect", qp->qid, rc, &cqe);
		if (rc > 0 && nvmx_st_sc(nvmx_cqe_status(&cqe)) == NVMX_SC_CONNECT_INVALID_PARAM)
			nvmx_err("%s: Connect rejected a parameter: %s offset %u", ctrl->name,
				 (cqe_dw0(&cqe) & 1) ? "data" : "command", cqe_dw0(&cqe) >> 16);
		nvmx_err("%s: %s", ctrl->name, ctrl->errmsg);
		return rc > 0 ? -ECONNREFUSED : rc;
	}
	if (qp->qid == 0)
		ctrl->cntlid = nvmx_connect_rsp_cntlid(cqe_dw0(&cqe));
	if ((cqe_dw0(&cqe) >> 16) & 3u) {
		nvmx_ctrl_seterr(ctrl, "Connect (QID %u): controller requires in-band authentication, "
				 "which nvmx does not support", qp->qid);
		nvmx_err("%s: %s", ctrl->name, ctrl->errmsg);
		return -EACCES;
	}
	return 0;
}

int nvmx_fabrics_prop_get(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *val)
{
	struct nvmx_prop_get_cmd c;
	struct nvmx_cqe cqe;
	int rc;

	memset(&c, 0, sizeof(c));
	c.opc = NVMX_ADM_FABRICS;
	c.fctype = NVMX_FCTYPE_PROPERTY_GET;
	c.attrib = size == 8 ? NVMX_PROP_SIZE_8 : NVMX_PROP_SIZE_4;
	c.offset = nvmx_cpu_to_le32(off);
	rc = nvmx_qpair_exec_sync(ctrl->adminq, (const struct nvmx_sqe *)&c, NULL, 0,
				  NVMX_DIR_NONE, &cqe, ctrl->opts.admin_timeout_ms);
	if (rc) {
		status_msg(ctrl, "Property Get", 0, rc, &cqe);
		return rc > 0 ? -EIO : rc;
	}
	*val = cqe_dw0(&cqe);
	if (size == 8)
		*val |= (uint64_t)cqe_dw1(&cqe) << 32;
	return 0;
}

int nvmx_fabrics_prop_set(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t val)
{
	struct nvmx_prop_set_cmd c;
	struct nvmx_cqe cqe;
	int rc;

	memset(&c, 0, sizeof(c));
	c.opc = NVMX_ADM_FABRICS;
	c.fctype = NVMX_FCTYPE_PROPERTY_SET;
	c.attrib = size == 8 ? NVMX_PROP_SIZE_8 : NVMX_PROP_SIZE_4;
	c.offset = nvmx_cpu_to_le32(off);
	c.value = nvmx_cpu_to_le64(val);
	rc = nvmx_qpair_exec_sync(ctrl->adminq, (const struct nvmx_sqe *)&c, NULL, 0,
				  NVMX_DIR_NONE, &cqe, ctrl->opts.admin_timeout_ms);
	if (rc) {
		status_msg(ctrl, "Property Set", 0, rc, &cqe);
		return rc > 0 ? -EIO : rc;
	}
	return 0;
}
