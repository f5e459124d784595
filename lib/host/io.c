/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVM I/O commands (NVM command set spec 1.0, 3.2) and raw passthrough.
 * Argument errors come back as -EINVAL with a message naming the problem;
 * range checks against the namespace size are left to the controller so
 * the caller sees its status (LBA Out of Range).
 */
#include <errno.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

static uint32_t cmd_timeout(const struct nvmx_cmd_opts *o)
{
	return o ? o->timeout_ms : 0;
}

static const struct nvmx_ns_info *ns_get(struct nvmx_qpair *qp, uint32_t nsid, const char *op)
{
	const struct nvmx_ns_info *ns = nvmx_ctrl_ns(qp->ctrl, nsid);

	if (!ns)
		nvmx_warn("%s: %s on QID %u: namespace %u is not active", qp->ctrl->name, op,
			  qp->qid, nsid);
	return ns;
}

static int rw(struct nvmx_qpair *qp, uint8_t opc, uint32_t nsid, void *buf, uint64_t slba,
	      uint32_t nlb, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
	      const struct nvmx_cmd_opts *o, const char *op)
{
	const struct nvmx_ns_info *ns = ns_get(qp, nsid, op);
	struct nvmx_sqe sqe;
	uint64_t len;
	uint32_t shift;

	if (!ns)
		return -EINVAL;
	if (nlb == 0) {
		nvmx_warn("%s: %s of zero blocks at LBA %llu refused", qp->ctrl->name, op,
			  (unsigned long long)slba);
		return -EINVAL;
	}
	if (ns->md_size) {
		/* Separate or extended metadata buffers are not supported yet. */
		nvmx_warn("%s: %s: namespace %u has %u bytes of metadata per block, unsupported",
			  qp->ctrl->name, op, nsid, ns->md_size);
		return -EOPNOTSUPP;
	}
	if (dir != NVMX_DIR_NONE && !buf)
		return -EINVAL;
	shift = (uint32_t)__builtin_ctz(ns->block_size);
	len = (uint64_t)nlb << shift;
	if (dir != NVMX_DIR_NONE && len > UINT32_MAX) {
		nvmx_warn("%s: %s of %u blocks is more than 4 GiB in one call", qp->ctrl->name, op, nlb);
		return -EINVAL;
	}
	sqe_init(&sqe, opc, nsid);
	sqe_set_slba(&sqe, slba);
	if (dir == NVMX_DIR_NONE) {
		/* Write Zeroes: one command, NLB is 16 bits. */
		if (nlb > 65536)
			return -EINVAL;
		sqe_set_nlb(&sqe, nlb);
		return nvmx_qpair_submit_cmd(qp, &sqe, NULL, 0, dir, cb, arg, cmd_timeout(o));
	}
	if (nlb <= 65536)
		sqe_set_nlb(&sqe, nlb);
	else if (qp->ctrl->max_xfer > (65536u << shift) || !qp->ctrl->max_xfer)
		return -EINVAL;
	return nvmx_qpair_submit_split(qp, &sqe, buf, (uint32_t)len, dir, shift, cb, arg,
				       cmd_timeout(o));
}

int nvmx_ns_read(struct nvmx_qpair *qp, uint32_t nsid, void *buf, uint64_t slba,
		 uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o)
{
	return rw(qp, NVMX_NVM_READ, nsid, buf, slba, nlb, NVMX_DIR_FROM_CTRL, cb, arg, o, "Read");
}

int nvmx_ns_write(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		  uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o)
{
	return rw(qp, NVMX_NVM_WRITE, nsid, (void *)buf, slba, nlb, NVMX_DIR_TO_CTRL, cb, arg, o,
		  "Write");
}

int nvmx_ns_compare(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		    uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o)
{
	return rw(qp, NVMX_NVM_COMPARE, nsid, (void *)buf, slba, nlb, NVMX_DIR_TO_CTRL, cb, arg,
		  o, "Compare");
}

int nvmx_ns_write_zeroes(struct nvmx_qpair *qp, uint32_t nsid, uint64_t slba, uint32_t nlb,
			 nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o)
{
	return rw(qp, NVMX_NVM_WRITE_ZEROES, nsid, NULL, slba, nlb, NVMX_DIR_NONE, cb, arg, o,
		  "Write Zeroes");
}

int nvmx_ns_flush(struct nvmx_qpair *qp, uint32_t nsid, nvmx_cmd_cb cb, void *arg,
		  const struct nvmx_cmd_opts *o)
{
	struct nvmx_sqe sqe;

	sqe_init(&sqe, NVMX_NVM_FLUSH, nsid);
	return nvmx_qpair_submit_cmd(qp, &sqe, NULL, 0, NVMX_DIR_NONE, cb, arg, cmd_timeout(o));
}

int nvmx_ns_dsm(struct nvmx_qpair *qp, uint32_t nsid, const struct nvmx_dsm_range *ranges,
		unsigned int nr, uint32_t attrs, nvmx_cmd_cb cb, void *arg,
		const struct nvmx_cmd_opts *o)
{
	struct nvmx_sqe sqe;

	if (!ns_get(qp, nsid, "Dataset Management"))
		return -EINVAL;
	if (nr == 0 || nr > NVMX_DSM_MAX_RANGES || !ranges) {
		nvmx_warn("%s: Dataset Management with %u ranges (1..256 allowed)", qp->ctrl->name, nr);
		return -EINVAL;
	}
	sqe_init(&sqe, NVMX_NVM_DSM, nsid);
	sqe_set_cdw(&sqe, 10, nr - 1);
	sqe_set_cdw(&sqe, 11, attrs);
	return nvmx_qpair_submit_cmd(qp, &sqe, (void *)ranges, nr * (uint32_t)sizeof(*ranges),
				     NVMX_DIR_TO_CTRL, cb, arg, cmd_timeout(o));
}

/* For Read/Write/Compare passthrough, the buffer must match NLB. */
static int check_passthru(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, uint32_t len,
			  enum nvmx_dir dir)
{
	uint8_t opc = sqe_opc(sqe);
	const struct nvmx_ns_info *ns;

	if ((len == 0) != (dir == NVMX_DIR_NONE)) {
		nvmx_warn("%s: passthrough opcode 0x%02x: %s", qp->ctrl->name, opc,
			  len ? "data length with no direction" : "direction with zero-length data");
		return -EINVAL;
	}
	if (qp->qid == 0 || (opc != NVMX_NVM_READ && opc != NVMX_NVM_WRITE &&
			     opc != NVMX_NVM_COMPARE))
		return 0;
	ns = nvmx_ctrl_ns(qp->ctrl, sqe_nsid(sqe));
	if (ns && (uint64_t)((sqe_cdw(sqe, 12) & 0xffff) + 1u) * ns->block_size != len) {
		nvmx_warn("%s: passthrough opcode 0x%02x: %u bytes do not match NLB %u x %u",
			  qp->ctrl->name, opc, len, (sqe_cdw(sqe, 12) & 0xffff) + 1u, ns->block_size);
		return -EINVAL;
	}
	return 0;
}

int nvmx_qpair_passthru(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			const struct nvmx_cmd_opts *o)
{
	int rc = check_passthru(qp, sqe, len, dir);

	if (rc)
		return rc;
	if (qp->ctrl->max_xfer && len > qp->ctrl->max_xfer) {
		nvmx_warn("%s: passthrough of %u bytes exceeds the %u-byte transfer limit",
			  qp->ctrl->name, len, qp->ctrl->max_xfer);
		return -EINVAL;
	}
	return nvmx_qpair_submit_cmd(qp, sqe, buf, len, dir, cb, arg, cmd_timeout(o));
}

int nvmx_ctrl_admin_passthru(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
			     uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			     const struct nvmx_cmd_opts *o)
{
	int rc;

	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_qpair_passthru(ctrl->adminq, sqe, buf, len, dir, cb, arg, o);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

int nvmx_cpl_result(const struct nvmx_cqe *cqe, int err)
{
	if (err)
		return err;
	return cqe_status(cqe);
}

const char *nvmx_result_str(int result)
{
	if (result < 0)
		return strerror(-result);
	if (result == 0)
		return "Success";
	return nvmx_status_name(((unsigned int)result >> 8) & 7u, (unsigned int)result & 0xffu);
}
