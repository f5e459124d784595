/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timeouts, abort, reset and reconnect: the recovery state machine.
 *
 *   LIVE --(I/O deadline)--> Abort (within ACL; at the limit, wait)
 *   LIVE --(2nd I/O deadline, Abort or admin deadline, CSTS.CFS,
 *           connection lost, Keep Alive failed, reset asked)--> RESETTING
 *   RESETTING: every queue torn down (fabrics: connections closed; CC.EN
 *           1->0 first on a requested reset), in-flight I/O parked for
 *           resubmission (retry count bumped), admin commands failed,
 *           AERs dropped quietly --> CONNECTING
 *   CONNECTING: an attempt now, then every reconnect_delay; pending I/O
 *           waits; after fast_io_fail_tmo it fails, after ctrl_loss_tmo
 *           the controller is DEAD and everything pending fails
 *   CONNECTING --(admin queue, enable, identify, I/O queues re-created)-->
 *           LIVE: parked commands resubmitted, AEC restored, AERs re-armed
 *
 * The shape is Linux's (nvme_timeout in pci.c for the escalation,
 * nvme_tcp_error_recovery / reconnect_or_remove in tcp.c and fabrics.c
 * for the reconnect loop, with the same option names).  Everything here
 * runs from the admin work (nvmx_ctrl_process_admin, or the blocking
 * helpers' background admin polling), under the admin lock; the deadline
 * scan of an I/O queue pair only sends Aborts and requests a reset.
 * Reset and reconnect touch every queue pair of the controller: do not
 * poll a queue pair in another thread while the controller recovers
 * (single-threaded use, or stop I/O threads on NVMX_EVENT_RESET).
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/cmd.h"
#include "host/internal.h"

#define NS_PER_S	1000000000ull
/* Each step of a reconnect attempt (TCP connect, ICResp, every admin
 * command) is bounded by this, so that an unreachable target holds the
 * thread that drives it (and the other controllers it drives) for at most
 * a second at a time -- less than any sane KATO/2. */
#define RECONNECT_STEP_MS	1000u

void nvmx_ctrl_error_recovery(struct nvmx_ctrl *ctrl, int reason, const char *msg)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_RESET };

	if (!nvmx_ctrl_recovery_on(ctrl))
		return;
	/* No admin lock here: an I/O thread calls this from inside its
	 * queue pair, which the admin thread may be waiting to quiesce. */
	if (nvmx_ctrl_set_state(ctrl, NVMX_CTRL_RESETTING) == 0) {
		ctrl->recovery_reason = reason;
		nvmx_err("%s: %s; resetting the controller", ctrl->name, msg);
		ev.u.reset.reason = reason;
		ev.u.reset.msg = msg;
		nvmx_ctrl_event(ctrl, &ev);
	}
}

/* ---- Abort (Base 5.1) ---- */

static void abort_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct nvmx_abort_slot *a = arg;
	struct nvmx_ctrl *ctrl = a->ctrl;
	struct nvmx_event ev = { .type = NVMX_EVENT_ABORT };

	ev.u.abort.qid = a->qid;
	ev.u.abort.cid = a->cid;
	ev.u.abort.opcode = a->opcode;
	ev.u.abort.result = nvmx_cpl_result(cqe, err);
	ev.u.abort.aborted = !err && !cqe_status(cqe) && !(cqe_dw0(cqe) & NVMX_ABORT_DW0_NOT_ABORTED);
	a->busy = false;
	nvmx_info("%s: Abort of QID %u CID %u: %s", ctrl->name, ev.u.abort.qid, ev.u.abort.cid,
		  ev.u.abort.result ? nvmx_result_str(ev.u.abort.result) :
		  ev.u.abort.aborted ? "aborted" : "not aborted");
	nvmx_ctrl_event(ctrl, &ev);
}

/* Send an Abort for r, if the Abort Command Limit allows (-EBUSY if not). */
static int send_abort(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	struct nvmx_ctrl *ctrl = qp->ctrl;
	unsigned int limit = ctrl->id ? ctrl->id->acl + 1u : 1u;
	struct nvmx_sqe sqe;
	int rc = -EBUSY;

	if (limit > NVMX_MAX_ABORTS)
		limit = NVMX_MAX_ABORTS;
	/* From an I/O thread: never wait for the admin lock (its holder may
	 * be waiting for this queue pair); busy means try at the next scan. */
	if (pthread_mutex_trylock(&ctrl->admin_lock))
		return -EBUSY;
	for (unsigned int i = 0; i < limit; i++) {
		if (ctrl->aborts[i].busy)
			continue;
		sqe_init(&sqe, NVMX_ADM_ABORT, 0);
		sqe_set_cdw(&sqe, 10, qp->qid | ((uint32_t)r->cid << 16));
		/* The Abort's own deadline is the admin timeout; if it
		 * expires, the admin timeout resets the controller. */
		ctrl->aborts[i].ctrl = ctrl;
		ctrl->aborts[i].qid = qp->qid;
		ctrl->aborts[i].cid = r->cid;
		ctrl->aborts[i].opcode = sqe_opc(&r->sqe);
		rc = nvmx_qpair_submit_cmd(ctrl->adminq, &sqe, NULL, 0, NVMX_DIR_NONE, abort_done,
					   &ctrl->aborts[i], 0);
		if (rc == 0)
			ctrl->aborts[i].busy = true;
		break;
	}
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

/* CSTS.CFS or all ones (PCIe): no point aborting, reset now. */
static bool fatal_status(struct nvmx_ctrl *ctrl)
{
	uint64_t csts;

	if (ctrl->ops->fabrics || ctrl->ops->reg_read(ctrl, NVMX_REG_CSTS, 4, &csts))
		return false;
	return csts == 0xffffffffu || nvmx_csts_cfs((uint32_t)csts);
}

void nvmx_recovery_expired(struct nvmx_qpair *qp, struct nvmx_req *r, uint64_t now)
{
	struct nvmx_ctrl *ctrl = qp->ctrl;
	char msg[160];

	if (sqe_opc(&r->sqe) == NVMX_ADM_FABRICS && qp->qid) {
		/* Connect of a queue being set up: give up on this link. */
		qp->ops->qpair_disconnect(qp);
		qp->failed = true;
		qp->fail_err = -ETIMEDOUT;
		snprintf(qp->errmsg, sizeof(qp->errmsg), "Fabrics command not completed in %u ms",
			 r->timeout_ms);
		nvmx_qpair_cancel(qp, -ETIMEDOUT);
		return;
	}
	if (nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_LIVE || !ctrl->adminq)
		return;
	if (fatal_status(ctrl)) {
		nvmx_ctrl_error_recovery(ctrl, -EIO, "controller fatal status (CSTS.CFS)");
		return;
	}
	if (qp->qid == 0) {
		snprintf(msg, sizeof(msg), "admin command opcode 0x%02x CID %u timeout after %u ms",
			 sqe_opc(&r->sqe), r->cid, r->timeout_ms);
		nvmx_ctrl_error_recovery(ctrl, -ETIMEDOUT, msg);
		return;
	}
	if (!r->abort_sent) {
		if (send_abort(qp, r) == 0) {
			nvmx_warn("%s: I/O CID %u QID %u opcode 0x%02x timeout, aborting", ctrl->name,
				  r->cid, qp->qid, sqe_opc(&r->sqe));
			r->abort_sent = true;
			r->deadline_ns = now + (uint64_t)r->timeout_ms * 1000000ull;
		}
		/* else: Abort Command Limit reached; try again at the next scan. */
		return;
	}
	snprintf(msg, sizeof(msg), "I/O CID %u QID %u opcode 0x%02x not completed after Abort",
		 r->cid, qp->qid, sqe_opc(&r->sqe));
	nvmx_ctrl_error_recovery(ctrl, -ETIMEDOUT, msg);
}

/* ---- teardown and reconnect ---- */

/*
 * Take every queue down.  A transport with ctrl_reset (PCIe) keeps its
 * device and admin queue memory: its ctrl_reset disables the controller
 * (CC.EN 1->0, which deletes the I/O queues, Base 3.7.2) and reprograms the
 * admin queue.  The others (fabrics) lose the association: connections
 * closed, transport state freed, and a new association is made.
 */
static void teardown(struct nvmx_ctrl *ctrl, bool disable)
{
	struct nvmx_qpair *aq = ctrl->adminq;
	bool keep = ctrl->ops->ctrl_reset != NULL;

	if (aq->tq && !aq->failed && disable && !keep) {
		uint64_t cc;

		/* CC.EN 1 -> 0 (Base 3.7.2) when the controller still answers. */
		if (ctrl->ops->reg_read(ctrl, NVMX_REG_CC, 4, &cc) == 0)
			ctrl->ops->reg_write(ctrl, NVMX_REG_CC, 4, cc & ~(uint64_t)NVMX_CC_EN);
	}
	if (aq->tq)
		ctrl->ops->qpair_disconnect(aq);
	/* Failed first, so that queue deletion sends no admin command. */
	aq->failed = true;
	aq->fail_err = -ECONNRESET;
	snprintf(aq->errmsg, sizeof(aq->errmsg), "controller reset");
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp) {
		if (!qp->recovering) {
			if (qp->tq)
				qp->ops->qpair_disconnect(qp);
			nvmx_qpair_park(qp, -ECONNRESET);
		}
		if (qp->tq)
			ctrl->ops->qpair_destroy(qp);
	}
	/* Admin commands fail; AERs, Keep Alive and Aborts end quietly. */
	nvmx_qpair_cancel(aq, -ECONNRESET);
	if (!keep) {
		if (aq->tq)
			ctrl->ops->qpair_destroy(aq);
		if (ctrl->tctrl)
			ctrl->ops->ctrl_destroy(ctrl);
	}
	ctrl->ka_outstanding = false;
	ctrl->next_ka_ns = 0;
	ctrl->aen_count = 0;
	for (unsigned int i = 0; i < NVMX_MAX_ABORTS; i++)
		ctrl->aborts[i].busy = false;
}

/* The parked commands fail with -ENOTCONN, completed by the owning
 * thread's next poll (or here, before the queue pair is re-created). */
static void fail_parked(struct nvmx_ctrl *ctrl, bool dead, const char *why)
{
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp) {
		if (dead) {
			qp->recovering = false;
			qp->failed = true;
			qp->fail_err = -ENOTCONN;
			snprintf(qp->errmsg, sizeof(qp->errmsg), "%s", why);
		}
		atomic_store(&qp->cancel_err, -ENOTCONN);
	}
}

/* Re-create one I/O queue pair; what is parked stays parked meanwhile so
 * that the queue's own Connect goes first. */
static int recreate_qpair(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	struct nvmx_req *head, *tail;
	int rc, err;

	if ((err = atomic_exchange(&qp->cancel_err, 0)))
		nvmx_qpair_cancel(qp, err);	/* given up on before the owner polled */
	head = qp->sq_head;
	tail = qp->sq_tail;
	qp->sq_head = qp->sq_tail = NULL;
	qp->recovering = false;
	qp->failed = false;
	qp->inflight = 0;
	rc = ctrl->ops->qpair_create(ctrl, qp);
	if (head) {
		if (qp->sq_tail)	/* something queued meanwhile goes after */
			tail->next = qp->sq_head, tail = qp->sq_tail;
		qp->sq_head = head;
		qp->sq_tail = tail;
	}
	qp->recovering = true;
	return rc;
}

static int reconnect(struct nvmx_ctrl *ctrl)
{
	struct nvmx_qpair *aq = ctrl->adminq;
	struct nvmx_ns_info *old;
	unsigned int nold;
	int rc;

	uint32_t admin_tmo = ctrl->opts.admin_timeout_ms;
	uint32_t step = admin_tmo < RECONNECT_STEP_MS ? admin_tmo : RECONNECT_STEP_MS;

	old = nvmx_ns_snapshot(ctrl, &nold);
	aq->failed = false;
	aq->fail_err = 0;
	aq->inflight = 0;
	aq->errmsg[0] = '\0';
	ctrl->connect_tmo_ms = step;
	ctrl->opts.admin_timeout_ms = step;
	aq->timeout_ms = step;
	if (ctrl->ops->ctrl_reset && ctrl->tctrl)
		rc = ctrl->ops->ctrl_reset(ctrl);
	else
		rc = ctrl->ops->ctrl_create(ctrl, aq);
	if (rc == 0)
		rc = nvmx_ctrl_bring_up(ctrl);
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp && rc == 0; qp = qp->next_qp)
		rc = recreate_qpair(ctrl, qp);
	ctrl->connect_tmo_ms = 0;
	ctrl->opts.admin_timeout_ms = admin_tmo;
	aq->timeout_ms = admin_tmo;
	if (rc) {
		nvmx_warn("%s: reconnect failed: %s", ctrl->name,
			  ctrl->errmsg[0] ? ctrl->errmsg : strerror(-rc));
		teardown(ctrl, false);
		free(old);
		return rc;
	}
	if (ctrl->opts.keep_alive_tmo > 0)
		ctrl->next_ka_ns = nvmx_now_ns() + (uint64_t)ctrl->opts.keep_alive_tmo * 500000000ull;
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_LIVE);
	ctrl->loss_start_ns = 0;
	ctrl->failfast = false;
	ctrl->reconnects++;
	ctrl->errmsg[0] = '\0';
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp)
		nvmx_qpair_resume(qp);
	nvmx_ctrl_arm_aers(ctrl);
	/* Namespaces that changed while the controller was away. */
	nvmx_ns_diff_events(ctrl, old, nold, NULL, 0);
	free(old);
	nvmx_info("%s: controller live again (reconnect %u)", ctrl->name, ctrl->reconnects);
	return 0;
}

static void go_dead(struct nvmx_ctrl *ctrl)
{
	char why[160];

	snprintf(why, sizeof(why), "controller lost: not reconnected within ctrl_loss_tmo (%d s)",
		 ctrl->opts.ctrl_loss_tmo);
	nvmx_ctrl_seterr(ctrl, "%s", why);
	nvmx_err("%s: %s", ctrl->name, why);
	nvmx_ctrl_set_state(ctrl, NVMX_CTRL_DEAD);
	fail_parked(ctrl, true, why);
}

static bool passed(uint64_t start, uint64_t now, int secs)
{
	return secs >= 0 && now - start >= (uint64_t)secs * NS_PER_S;
}

/*
 * One step of RESETTING/CONNECTING.  As Linux's nvmf_should_reconnect: a
 * reset or a lost connection always gets one attempt; after a failed one,
 * the next comes reconnect_delay later unless it would fall beyond
 * ctrl_loss_tmo, and then the controller is DEAD (ctrl_loss_tmo 0: one
 * attempt, no retry).
 */
/* Keep every I/O thread out of the controller's queue pairs (qpair.c's
 * qp_enter); false when one stays inside for 50 ms (e.g. its completion
 * callback waits for the admin lock we hold): try again at the next call. */
static bool quiesce(struct nvmx_ctrl *ctrl)
{
	uint64_t end = nvmx_now_ns() + 50000000ull;

	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp)
		atomic_store(&qp->hold, true);
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp)
		while (atomic_load(&qp->busy)) {
			if (nvmx_now_ns() > end) {
				for (struct nvmx_qpair *q = ctrl->io_qps; q; q = q->next_qp)
					atomic_store(&q->hold, false);
				return false;
			}
			sched_yield();
		}
	return true;
}

static void recovery_step_held(struct nvmx_ctrl *ctrl);

static void recovery_step(struct nvmx_ctrl *ctrl)
{
	uint64_t now = nvmx_now_ns();
	enum nvmx_ctrl_state st = nvmx_ctrl_get_state(ctrl);

	/* Not from inside a queue pair (a completion callback driving the
	 * admin queue): its frame still uses what the step would free. */
	if (nvmx_in_qpair())
		return;
	if (st == NVMX_CTRL_CONNECTING && now < ctrl->next_connect_ns &&
	    (ctrl->failfast || !passed(ctrl->loss_start_ns, now, ctrl->opts.fast_io_fail_tmo)))
		return;		/* nothing due */
	if (!quiesce(ctrl))
		return;
	nvmx_tl_recovery = ctrl;
	recovery_step_held(ctrl);
	nvmx_tl_recovery = NULL;
	for (struct nvmx_qpair *qp = ctrl->io_qps; qp; qp = qp->next_qp)
		atomic_store(&qp->hold, false);
}

static void recovery_step_held(struct nvmx_ctrl *ctrl)
{
	uint64_t now = nvmx_now_ns();
	unsigned int delay_s;

	if (nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_RESETTING) {
		teardown(ctrl, ctrl->recovery_reason == 0);
		if (!ctrl->loss_start_ns) {
			ctrl->loss_start_ns = now;
			ctrl->failed_attempts = 0;
		}
		ctrl->next_connect_ns = now;
		nvmx_ctrl_set_state(ctrl, NVMX_CTRL_CONNECTING);
	}
	if (nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_CONNECTING)
		return;
	if (!ctrl->failfast && passed(ctrl->loss_start_ns, now, ctrl->opts.fast_io_fail_tmo)) {
		nvmx_warn("%s: fast_io_fail_tmo (%d s) passed: failing pending I/O", ctrl->name,
			  ctrl->opts.fast_io_fail_tmo);
		ctrl->failfast = true;
		fail_parked(ctrl, false, NULL);
	}
	if (now < ctrl->next_connect_ns)
		return;
	if (reconnect(ctrl) == 0)
		return;
	/* Counted as Linux does: ceil(ctrl_loss_tmo / reconnect_delay)
	 * retries after the first attempt, each reconnect_delay after the
	 * last failure (so a thread that drives other controllers too gets
	 * that time between attempts). */
	delay_s = ctrl->opts.reconnect_delay > 0 ? (unsigned int)ctrl->opts.reconnect_delay : 1u;
	ctrl->failed_attempts++;
	if (ctrl->opts.ctrl_loss_tmo >= 0 &&
	    ctrl->failed_attempts > ((unsigned int)ctrl->opts.ctrl_loss_tmo + delay_s - 1) / delay_s) {
		go_dead(ctrl);	/* no attempt left before ctrl_loss_tmo */
		return;
	}
	ctrl->next_connect_ns = nvmx_now_ns() + (uint64_t)delay_s * NS_PER_S;
}

/* Caller holds admin_lock. */
int nvmx_ctrl_admin_work(struct nvmx_ctrl *ctrl, bool blocking)
{
	enum nvmx_ctrl_state st;
	int rc = 0;

	(void)blocking;
	if (ctrl->in_admin_work)
		return 0;
	ctrl->in_admin_work = true;
	if (nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_LIVE) {
		uint64_t now;

		rc = nvmx_qpair_process(ctrl->adminq, 0);
		now = nvmx_now_ns();
		if (rc >= 0 && nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_LIVE) {
			nvmx_ctrl_keepalive(ctrl, now);
			if (!ctrl->discovery)
				nvmx_aen_work(ctrl);
			if (ctrl->opts.health_period_ms && ctrl->next_health_ns &&
			    now >= ctrl->next_health_ns) {
				ctrl->next_health_ns = now + ctrl->opts.health_period_ms * 1000000ull;
				nvmx_health_read(ctrl, true, NULL);
			}
		} else if (rc < 0 && !nvmx_ctrl_recovery_on(ctrl)) {
			nvmx_ctrl_set_state(ctrl, NVMX_CTRL_DEAD);
		}
	}
	st = nvmx_ctrl_get_state(ctrl);
	if (st == NVMX_CTRL_RESETTING || st == NVMX_CTRL_CONNECTING)
		recovery_step(ctrl);
	ctrl->in_admin_work = false;
	st = nvmx_ctrl_get_state(ctrl);
	if (st == NVMX_CTRL_DEAD)
		return rc < 0 ? rc : -ENOTCONN;
	if (st != NVMX_CTRL_LIVE)
		return 0;
	return rc;
}

int nvmx_ctrl_process_admin(struct nvmx_ctrl *ctrl)
{
	int rc;

	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_ctrl_admin_work(ctrl, true);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

void nvmx_ctrl_try_process_admin(struct nvmx_ctrl *ctrl)
{
	if (pthread_mutex_trylock(&ctrl->admin_lock) != 0)
		return;
	nvmx_ctrl_admin_work(ctrl, false);
	pthread_mutex_unlock(&ctrl->admin_lock);
}

/* ---- resets on request ---- */

static int wait_live(struct nvmx_ctrl *ctrl)
{
	for (;;) {
		enum nvmx_ctrl_state st;
		int fd;

		nvmx_ctrl_process_admin(ctrl);
		st = nvmx_ctrl_get_state(ctrl);
		if (st == NVMX_CTRL_LIVE)
			return 0;
		if (st == NVMX_CTRL_DEAD || st == NVMX_CTRL_DELETING)
			return -ENOTCONN;
		fd = ctrl->adminq->tq ? nvmx_ctrl_fd(ctrl) : -1;
		if (fd >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 10);
		} else {
			usleep(10000);
		}
	}
}

static int start_reset(struct nvmx_ctrl *ctrl, int reason, const char *msg)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_RESET };
	int rc;

	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_ctrl_set_state(ctrl, NVMX_CTRL_RESETTING);
	if (rc == 0) {
		ctrl->recovery_reason = reason;
		nvmx_info("%s: %s", ctrl->name, msg);
		ev.u.reset.reason = reason;
		ev.u.reset.msg = msg;
		nvmx_ctrl_event(ctrl, &ev);
	}
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

int nvmx_ctrl_reset(struct nvmx_ctrl *ctrl)
{
	if (ctrl->discovery)
		return -EOPNOTSUPP;
	if (nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_LIVE &&
	    start_reset(ctrl, 0, "controller reset requested"))
		return -EBUSY;
	return wait_live(ctrl);
}

int nvmx_ctrl_subsystem_reset(struct nvmx_ctrl *ctrl)
{
	int rc;

	if (ctrl->discovery || !nvmx_cap_nssrs(ctrl->cap))
		return -EOPNOTSUPP;
	if (nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_LIVE)
		return -ENOTCONN;
	pthread_mutex_lock(&ctrl->admin_lock);
	/* Base 3.7.1: the reset takes every controller of the subsystem
	 * down; the write itself may not complete over fabrics. */
	rc = ctrl->ops->reg_write(ctrl, NVMX_REG_NSSR, 4, NVMX_NSSR_RESET_VALUE);
	pthread_mutex_unlock(&ctrl->admin_lock);
	if (rc)
		nvmx_info("%s: NSSR write: %s (expected if the link dropped)", ctrl->name,
			  strerror(-rc));
	if (nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_LIVE &&
	    start_reset(ctrl, -ECONNRESET, "NVM subsystem reset"))
		return -EBUSY;
	return wait_live(ctrl);
}
