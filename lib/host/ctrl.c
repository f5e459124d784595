/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controller bring-up and teardown, transport-independent (NVMe base spec
 * 2.0, 3.5.1 "Memory-based Controller Initialization"; NVMe-oF 1.1, 3.5):
 * transport connect, CAP/VS, enable and wait CSTS.RDY within CAP.TO,
 * Identify Controller, Number of Queues, namespace scan, AERs.  Shutdown
 * with CC.SHN on disconnect.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/cmd.h"
#include "host/internal.h"

void nvmx_ctrl_seterr(struct nvmx_ctrl *ctrl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctrl->errmsg, sizeof(ctrl->errmsg), fmt, ap);
	va_end(ap);
}

const char *nvmx_ctrl_errmsg(const struct nvmx_ctrl *ctrl) { return ctrl->errmsg; }
const struct nvmx_id_ctrl *nvmx_ctrl_identify(const struct nvmx_ctrl *ctrl) { return ctrl->id; }
const struct nvmx_trid *nvmx_ctrl_trid(const struct nvmx_ctrl *ctrl) { return &ctrl->trid; }
uint64_t nvmx_ctrl_cap(const struct nvmx_ctrl *ctrl) { return ctrl->cap; }
uint32_t nvmx_ctrl_vs(const struct nvmx_ctrl *ctrl) { return ctrl->vs; }
uint16_t nvmx_ctrl_cntlid(const struct nvmx_ctrl *ctrl) { return ctrl->cntlid; }
uint32_t nvmx_ctrl_max_xfer(const struct nvmx_ctrl *ctrl) { return ctrl->max_xfer; }
unsigned int nvmx_ctrl_max_io_queues(const struct nvmx_ctrl *ctrl) { return ctrl->max_io_queues; }

int nvmx_ctrl_fd(const struct nvmx_ctrl *ctrl)
{
	return ctrl->ops->qpair_fd(ctrl->adminq);
}

static int reg_read(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *v)
{
	return ctrl->ops->reg_read(ctrl, off, size, v);
}

static int reg_write(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t v)
{
	return ctrl->ops->reg_write(ctrl, off, size, v);
}

/* Poll CSTS until (CSTS & mask) == want or timeout_ms passes. */
static int wait_csts(struct nvmx_ctrl *ctrl, uint32_t mask, uint32_t want, uint32_t timeout_ms,
		     const char *what)
{
	uint64_t end = nvmx_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	uint64_t csts;
	int rc;

	for (;;) {
		rc = reg_read(ctrl, NVMX_REG_CSTS, 4, &csts);
		if (rc)
			return rc;
		if (csts == 0xffffffffu) {
			nvmx_ctrl_seterr(ctrl, "CSTS reads all ones: controller gone");
			return -ENODEV;
		}
		if (nvmx_csts_cfs((uint32_t)csts) && want != 0) {
			nvmx_ctrl_seterr(ctrl, "controller fatal status (CSTS.CFS) while %s", what);
			return -EIO;
		}
		if (((uint32_t)csts & mask) == want)
			return 0;
		if (nvmx_now_ns() > end) {
			nvmx_ctrl_seterr(ctrl, "timeout after %u ms while %s (CSTS 0x%x)",
					 timeout_ms, what, (uint32_t)csts);
			return -ETIMEDOUT;
		}
		usleep(1000);
	}
}

/* CC.EN=1 with 64-byte SQEs, 16-byte CQEs, 4 KiB pages, NVM command set;
 * wait CSTS.RDY=1 within CAP.TO (500 ms units). */
static int enable(struct nvmx_ctrl *ctrl)
{
	uint32_t to_ms, cc;
	int rc;

	if ((rc = reg_read(ctrl, NVMX_REG_CAP, 8, &ctrl->cap)))
		return rc;
	uint64_t vs;

	if ((rc = reg_read(ctrl, NVMX_REG_VS, 4, &vs)))
		return rc;
	ctrl->vs = (uint32_t)vs;
	to_ms = (nvmx_cap_to(ctrl->cap) ? nvmx_cap_to(ctrl->cap) : 1) * 500u;
	cc = NVMX_CC_EN | (6u << NVMX_CC_IOSQES_SHIFT) | (4u << NVMX_CC_IOCQES_SHIFT) |
	     NVMX_CC_CSS_NVM | (nvmx_cap_mpsmin(ctrl->cap) << NVMX_CC_MPS_SHIFT);
	if ((rc = reg_write(ctrl, NVMX_REG_CC, 4, cc)))
		return rc;
	return wait_csts(ctrl, NVMX_CSTS_RDY, NVMX_CSTS_RDY, to_ms, "enabling (CC.EN=1)");
}

/* CC.SHN = normal, wait CSTS.SHST = complete (base spec 3.6.1). */
static int shutdown_ctrl(struct nvmx_ctrl *ctrl)
{
	uint64_t cc;
	uint32_t to_ms = 5000;
	int rc;

	if (ctrl->id && nvmx_le32_to_cpu(ctrl->id->rtd3e) / 1000u > to_ms)
		to_ms = nvmx_le32_to_cpu(ctrl->id->rtd3e) / 1000u;
	if ((rc = reg_read(ctrl, NVMX_REG_CC, 4, &cc)))
		return rc;
	cc = (cc & ~(uint64_t)NVMX_CC_SHN_MASK) | NVMX_CC_SHN_NORMAL;
	if ((rc = reg_write(ctrl, NVMX_REG_CC, 4, cc)))
		return rc;
	return wait_csts(ctrl, NVMX_CSTS_SHST_MASK, NVMX_CSTS_SHST_CMPLT, to_ms, "shutting down");
}

static void set_max_xfer(struct nvmx_ctrl *ctrl)
{
	uint32_t page = 1u << (12 + nvmx_cap_mpsmin(ctrl->cap));
	uint32_t mdts = 0, tmax = ctrl->ops->max_xfer ? ctrl->ops->max_xfer(ctrl) : 0;

	if (ctrl->id->mdts && ctrl->id->mdts < 20)
		mdts = page << ctrl->id->mdts;
	if (!mdts || (tmax && tmax < mdts))
		mdts = tmax;
	ctrl->max_xfer = mdts ? mdts : 1u << 20;
}

static int set_num_queues(struct nvmx_ctrl *ctrl)
{
	unsigned int want = ctrl->opts.nr_io_queues ? ctrl->opts.nr_io_queues : 1;
	uint32_t dw0;
	int rc;

	if (want > 65535)
		want = 65535;
	rc = nvmx_set_features_sync(ctrl, NVMX_FID_NUM_QUEUES, NVMX_NUM_QUEUES(want, want), &dw0);
	if (rc) {
		/* Some fabrics targets leave it out; the queue count then
		 * shows at Connect time. */
		nvmx_warn("%s: Set Features Number of Queues failed (%d), assuming %u",
			  ctrl->name, rc, want);
		ctrl->max_io_queues = want;
		return 0;
	}
	unsigned int nsq = (dw0 & 0xffff) + 1u, ncq = (dw0 >> 16) + 1u;

	ctrl->max_io_queues = nsq < ncq ? nsq : ncq;
	if (ctrl->max_io_queues > want)
		ctrl->max_io_queues = want;
	return 0;
}

/* Async Event Configuration: every SMART critical warning and the notices
 * the controller says it can send (OAES), as Linux's nvme_enable_aen does.
 * A controller that refuses keeps its defaults. */
static void config_aen(struct nvmx_ctrl *ctrl)
{
	uint32_t oaes = nvmx_le32_to_cpu(ctrl->id->oaes);
	uint32_t aec = NVMX_AEC_SMART_MASK |
		       (oaes & (NVMX_AEC_NS_ATTR | NVMX_AEC_FW_ACTIVATION | NVMX_AEC_ANA_CHANGE |
				NVMX_AEC_PLEA | NVMX_AEC_LBA_STATUS | NVMX_AEC_EGEA |
				NVMX_AEC_NORMAL_NSS_SHUTDOWN));
	int rc = nvmx_set_features_sync(ctrl, NVMX_FID_ASYNC_EVENT, aec, NULL);

	if (rc)
		nvmx_debug("%s: Set Features Async Event Configuration 0x%x: %s", ctrl->name, aec,
			   nvmx_result_str(rc));
	else
		ctrl->aec = aec;	/* aer.c masks lasting SMART bits from it */
}

/* Also the second half of a reset or reconnect (recovery.c), which so
 * restores the full configuration (lifting SMART masks, aer.c). */
int nvmx_ctrl_bring_up(struct nvmx_ctrl *ctrl)
{
	int rc;

	if ((rc = enable(ctrl)))
		return rc;
	if (!ctrl->id)
		ctrl->id = aligned_alloc(4096, sizeof(*ctrl->id));
	if (!ctrl->id)
		return -ENOMEM;
	rc = nvmx_identify_sync(ctrl, NVMX_CNS_CTRL, 0, ctrl->id);
	if (rc) {
		nvmx_ctrl_seterr(ctrl, "Identify Controller failed: %s", nvmx_result_str(rc));
		return rc > 0 ? -EIO : rc;
	}
	set_max_xfer(ctrl);
	if (!ctrl->cntlid)
		ctrl->cntlid = nvmx_le16_to_cpu(ctrl->id->cntlid);
	if (ctrl->discovery)
		return 0;
	if ((rc = set_num_queues(ctrl)))
		return rc;
	if ((rc = nvmx_ctrl_scan_ns(ctrl)))
		return rc;
	config_aen(ctrl);
	return 0;
}

static struct nvmx_ctrl *ctrl_new(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts)
{
	struct nvmx_ctrl *ctrl = calloc(1, sizeof(*ctrl));
	pthread_mutexattr_t ma;

	if (!ctrl)
		return NULL;
	ctrl->trid = *trid;
	nvmx_opts_merge(&ctrl->opts, opts);
	ctrl->discovery = strcmp(trid->subnqn, NVMX_DISCOVERY_NQN) == 0;
	/* Messages name the controller by its transport ID. */
	nvmx_trid_format(trid, ctrl->name, sizeof(ctrl->name));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&ctrl->admin_lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_mutex_init(&ctrl->state_lock, NULL);
	atomic_init(&ctrl->state, NVMX_CTRL_NEW);
	return ctrl;
}

static void ctrl_free(struct nvmx_ctrl *ctrl)
{
	if (ctrl->adminq) {
		if (ctrl->adminq->tq) {
			ctrl->ops->qpair_disconnect(ctrl->adminq);
			nvmx_qpair_shutdown(ctrl->adminq);
			ctrl->ops->qpair_destroy(ctrl->adminq);
		}
		nvmx_qpair_fini(ctrl->adminq);
		free(ctrl->adminq);
	}
	if (ctrl->tctrl)
		ctrl->ops->ctrl_destroy(ctrl);
	pthread_mutex_destroy(&ctrl->admin_lock);
	pthread_mutex_destroy(&ctrl->state_lock);
	free(atomic_load(&ctrl->ns_table));
	while (ctrl->ns_retired) {
		struct nvmx_ns_table *t = ctrl->ns_retired;

		ctrl->ns_retired = t->retired_next;
		free(t);
	}
	free(ctrl->id);
	free(ctrl);
}

int nvmx_ctrl_connect(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts,
		      struct nvmx_ctrl **ctrlp)
{
	struct nvmx_ctrl *ctrl;
	int rc;

	*ctrlp = NULL;
	ctrl = ctrl_new(trid, opts);
	if (!ctrl)
		return -ENOMEM;
	rc = nvmx_opts_resolve_host(&ctrl->opts, ctrl->hostid);
	if (rc)
		goto free_ctrl;
	ctrl->ops = nvmx_transport_lookup(trid->trtype);
	if (!ctrl->ops) {
		nvmx_err("%s: transport %s not available", ctrl->name, nvmx_trtype_str(trid->trtype));
		rc = -EPROTONOSUPPORT;
		goto free_ctrl;
	}
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_CONNECTING);
	ctrl->adminq = calloc(1, sizeof(*ctrl->adminq));
	if (!ctrl->adminq) {
		rc = -ENOMEM;
		goto dead;
	}
	rc = nvmx_qpair_init(ctrl->adminq, ctrl, 0, NVMX_ADMIN_DEPTH, ctrl->opts.admin_timeout_ms);
	if (rc)
		goto dead;
	pthread_mutex_lock(&ctrl->admin_lock);
	rc = ctrl->ops->ctrl_create(ctrl, ctrl->adminq);
	if (rc == 0)
		rc = nvmx_ctrl_bring_up(ctrl);
	pthread_mutex_unlock(&ctrl->admin_lock);
	if (rc)
		goto dead;
	if (ctrl->opts.keep_alive_tmo > 0 && !ctrl->discovery)
		ctrl->next_ka_ns = nvmx_now_ns() + (uint64_t)ctrl->opts.keep_alive_tmo * 500000000ull;
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_LIVE);
	if (!ctrl->discovery)
		nvmx_ctrl_arm_aers(ctrl);
	*ctrlp = ctrl;
	return 0;

dead:
	if (!ctrl->errmsg[0])
		nvmx_ctrl_seterr(ctrl, "connect failed: %s", strerror(-rc));
	nvmx_err("%s: connect failed: %s", ctrl->name, ctrl->errmsg);
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_DEAD);
free_ctrl:
	ctrl_free(ctrl);
	return rc;
}

int nvmx_ctrl_disconnect(struct nvmx_ctrl *ctrl)
{
	enum nvmx_ctrl_state st;
	int rc = 0;

	if (!ctrl)
		return 0;
	st = nvmx_ctrl_get_state(ctrl);
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_DELETING);
	pthread_mutex_lock(&ctrl->admin_lock);
	if (ctrl->io_qps)
		nvmx_warn("%s: disconnect with I/O queue pairs still allocated; freeing them",
			  ctrl->name);
	while (ctrl->io_qps)
		nvmx_qpair_free(ctrl->io_qps);
	if (st == NVMX_CTRL_LIVE && !ctrl->adminq->failed) {
		rc = shutdown_ctrl(ctrl);
		if (rc)
			nvmx_warn("%s: shutdown: %s", ctrl->name, ctrl->errmsg);
	}
	pthread_mutex_unlock(&ctrl->admin_lock);
	ctrl_free(ctrl);
	return rc;
}

/* ---- admin queue driving: keep-alive, AERs ---- */

static void ka_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct nvmx_ctrl *ctrl = arg;

	ctrl->ka_outstanding = false;
	if (err || cqe_status(cqe)) {
		nvmx_warn("%s: Keep Alive failed: %s", ctrl->name,
			  nvmx_result_str(nvmx_cpl_result(cqe, err)));
		/* A controller without Keep Alive (PCIe, KAS 0): stop.
		 * Otherwise it has expired our association (Base 3.9):
		 * recover, as Linux does. */
		if (!err && (cqe_status(cqe) & 0x7ff) == NVMX_SC_INVALID_OPCODE)
			ctrl->next_ka_ns = 0;
		else if (!err)
			nvmx_ctrl_error_recovery(ctrl, -ETIMEDOUT, "Keep Alive failed");
	}
}

int nvmx_ctrl_keepalive(struct nvmx_ctrl *ctrl, uint64_t now)
{
	struct nvmx_sqe sqe;
	int rc;

	if (!ctrl->next_ka_ns || now < ctrl->next_ka_ns || ctrl->ka_outstanding)
		return 0;
	/* Keep Alive is for fabrics, or when the controller says it
	 * supports it (KAS, Base 3.9). */
	if (!ctrl->ops->fabrics && (!ctrl->id || !nvmx_le16_to_cpu(ctrl->id->kas))) {
		ctrl->next_ka_ns = 0;
		return 0;
	}
	/* Keep Alive at KATO/2 (NVMe base spec 3.9, as Linux does). */
	ctrl->next_ka_ns = now + (uint64_t)ctrl->opts.keep_alive_tmo * 500000000ull;
	sqe_init(&sqe, NVMX_ADM_KEEP_ALIVE, 0);
	/* A Keep Alive not answered within KATO means the association is
	 * gone: its deadline is KATO, and an admin timeout resets. */
	rc = nvmx_qpair_submit_cmd(ctrl->adminq, &sqe, NULL, 0, NVMX_DIR_NONE, ka_done, ctrl,
				   (uint32_t)ctrl->opts.keep_alive_tmo * 1000u);
	if (rc == 0)
		ctrl->ka_outstanding = true;
	return rc;
}

/* AERs: aer.c; nvmx_ctrl_process_admin and the recovery: recovery.c. */
