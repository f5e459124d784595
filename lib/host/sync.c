/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The blocking layer: submit one command and poll until it completes, for
 * tools, tests and bring-up.  The wait busy-polls briefly, then sleeps in
 * poll() on the queue's fd; it also keeps the admin queue going
 * (keep-alive) when waiting on an I/O queue.  A command past its deadline
 * (plus a grace period) fails the queue pair, so the caller's buffer is
 * never touched after return.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

#define SPIN_POLLS	200
#define BG_ADMIN_NS	(100ull * 1000000ull)

struct sync_wait {
	bool done;
	int err;
	struct nvmx_cqe cqe;
};

static void sync_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct sync_wait *w = arg;

	w->cqe = *cqe;
	w->err = err;
	w->done = true;
}

static void bg_admin(struct nvmx_ctrl *ctrl, uint64_t now)
{
	if (now < atomic_load(&ctrl->next_bg_admin_ns))
		return;
	atomic_store(&ctrl->next_bg_admin_ns, now + BG_ADMIN_NS);
	nvmx_ctrl_try_process_admin(ctrl);
}

static void wait_for(struct nvmx_qpair *qp, struct sync_wait *w, uint32_t timeout_ms)
{
	uint64_t deadline = timeout_ms == UINT32_MAX ? NVMX_NO_DEADLINE :
			    nvmx_now_ns() + (uint64_t)timeout_ms * 1000000ull;

	/* With recovery on, an I/O command is never given up here: the
	 * deadline scan aborts it, then resets, and a command ends with its
	 * status, after max_retries, or when the controller is DEAD. */
	if (qp->qid && nvmx_ctrl_recovery_on(qp->ctrl))
		deadline = NVMX_NO_DEADLINE;
	unsigned int idle = 0;

	while (!w->done) {
		int rc = nvmx_qpair_process(qp, 0);
		uint64_t now;

		if (w->done)
			break;
		if (rc < 0) {	/* failed without completing us: cannot happen, be safe */
			cqe_fill(&w->cqe, 0xffff, NVMX_ST_HOST_PATH_ERROR, 0);
			w->err = rc;
			break;
		}
		now = nvmx_now_ns();
		if (qp->qid)
			bg_admin(qp->ctrl, now);
		if (now > deadline) {
			char msg[128];

			snprintf(msg, sizeof(msg), "command not completed within %u ms", timeout_ms);
			qp->ops->qpair_disconnect(qp);
			nvmx_qpair_fail(qp, -ETIMEDOUT, msg);
			break;
		}
		if (rc > 0 || ++idle < SPIN_POLLS)
			continue;
		struct pollfd pfd = { .fd = nvmx_qpair_fd_get(qp), .events = POLLIN };

		if (pfd.fd >= 0)
			poll(&pfd, 1, 1);
	}
}

int nvmx_qpair_exec_sync(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			 uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe,
			 uint32_t timeout_ms)
{
	struct sync_wait w = { 0 };
	int rc;

	if (!timeout_ms)
		timeout_ms = qp->timeout_ms;
	rc = nvmx_qpair_submit_cmd(qp, sqe, buf, len, dir, sync_done, &w, timeout_ms);
	if (rc)
		return rc;
	wait_for(qp, &w, timeout_ms);
	if (cqe)
		*cqe = w.cqe;
	return nvmx_cpl_result(&w.cqe, w.err);
}

int nvmx_admin_sync(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
		    uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe)
{
	int rc;

	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_qpair_exec_sync(ctrl->adminq, sqe, buf, len, dir, cqe, 0);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

int nvmx_io_sync(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
		 uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe)
{
	struct sync_wait w = { 0 };
	int rc = nvmx_qpair_passthru(qp, sqe, buf, len, dir, sync_done, &w, NULL);

	if (rc)
		return rc;
	wait_for(qp, &w, qp->timeout_ms);
	if (cqe)
		*cqe = w.cqe;
	return nvmx_cpl_result(&w.cqe, w.err);
}

static int rw_sync(struct nvmx_qpair *qp, bool write, uint32_t nsid, void *buf, uint64_t slba,
		   uint32_t nlb, struct nvmx_cqe *cqe)
{
	struct sync_wait w = { 0 };
	int rc = write ? nvmx_ns_write(qp, nsid, buf, slba, nlb, sync_done, &w, NULL)
		       : nvmx_ns_read(qp, nsid, buf, slba, nlb, sync_done, &w, NULL);

	if (rc)
		return rc;
	wait_for(qp, &w, qp->timeout_ms);
	if (cqe)
		*cqe = w.cqe;
	return nvmx_cpl_result(&w.cqe, w.err);
}

int nvmx_ns_read_sync(struct nvmx_qpair *qp, uint32_t nsid, void *buf, uint64_t slba,
		      uint32_t nlb, struct nvmx_cqe *cqe)
{
	return rw_sync(qp, false, nsid, buf, slba, nlb, cqe);
}

int nvmx_ns_write_sync(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		       uint32_t nlb, struct nvmx_cqe *cqe)
{
	return rw_sync(qp, true, nsid, (void *)buf, slba, nlb, cqe);
}

int nvmx_qpair_drain(struct nvmx_qpair *qp, unsigned int timeout_ms)
{
	uint64_t end = nvmx_now_ns() + (uint64_t)timeout_ms * 1000000ull;

	while (qp->outstanding) {
		int rc = nvmx_qpair_process(qp, 0);

		if (rc < 0)
			return rc;
		if (qp->qid)
			bg_admin(qp->ctrl, nvmx_now_ns());
		if (nvmx_now_ns() > end)
			return -ETIMEDOUT;
	}
	return 0;
}

int nvmx_identify_sync(struct nvmx_ctrl *ctrl, uint8_t cns, uint32_t nsid, void *buf4k)
{
	struct nvmx_sqe sqe;

	sqe_init(&sqe, NVMX_ADM_IDENTIFY, nsid);
	sqe_set_cdw(&sqe, 10, cns);
	return nvmx_admin_sync(ctrl, &sqe, buf4k, 4096, NVMX_DIR_FROM_CTRL, NULL);
}

static int features(struct nvmx_ctrl *ctrl, uint8_t opc, uint8_t fid, uint32_t cdw11,
		    uint32_t *dw0)
{
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	int rc;

	sqe_init(&sqe, opc, 0);
	sqe_set_cdw(&sqe, 10, fid);
	sqe_set_cdw(&sqe, 11, cdw11);
	rc = nvmx_admin_sync(ctrl, &sqe, NULL, 0, NVMX_DIR_NONE, &cqe);
	if (rc == 0 && dw0)
		*dw0 = cqe_dw0(&cqe);
	return rc;
}

int nvmx_get_features_sync(struct nvmx_ctrl *ctrl, uint8_t fid, uint32_t cdw11, uint32_t *dw0)
{
	return features(ctrl, NVMX_ADM_GET_FEATURES, fid, cdw11, dw0);
}

int nvmx_set_features_sync(struct nvmx_ctrl *ctrl, uint8_t fid, uint32_t cdw11, uint32_t *dw0)
{
	return features(ctrl, NVMX_ADM_SET_FEATURES, fid, cdw11, dw0);
}
