/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Queue pairs: the preallocated request pool, submission with a software
 * queue when the SQ is full, splitting at the transfer limit, completion,
 * failure of every command when the queue pair dies, and the deadline scan.
 * Nothing here allocates or locks on the I/O path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

#define TIMEOUT_SCAN_NS	(50ull * 1000000ull)

int nvmx_qpair_init(struct nvmx_qpair *qp, struct nvmx_ctrl *ctrl, uint16_t qid,
		    uint16_t depth, uint32_t timeout_ms)
{
	uint32_t n = 2u * depth;

	if (depth < 2)
		return -EINVAL;
	/* CIDs are pool indexes; keep 0xFFFF unused (it means "none"). */
	if (n > 0xfffe)
		n = 0xfffe;
	memset(qp, 0, sizeof(*qp));
	qp->ctrl = ctrl;
	qp->ops = ctrl->ops;
	qp->qid = qid;
	qp->depth = depth;
	qp->max_inflight = depth - 1u;
	qp->timeout_ms = timeout_ms;
	qp->reqs = calloc(n, sizeof(*qp->reqs));
	if (!qp->reqs)
		return -ENOMEM;
	qp->nreqs = n;
	for (uint32_t i = n; i-- > 0;) {
		qp->reqs[i].cid = (uint16_t)i;
		qp->reqs[i].next = qp->free_list;
		qp->free_list = &qp->reqs[i];
	}
	return 0;
}

void nvmx_qpair_fini(struct nvmx_qpair *qp)
{
	free(qp->reqs);
	qp->reqs = NULL;
	qp->nreqs = 0;
}

static struct nvmx_req *req_get(struct nvmx_qpair *qp)
{
	struct nvmx_req *r = qp->free_list;

	if (r) {
		qp->free_list = r->next;
		r->next = NULL;
		r->parent = NULL;
		r->timeout_reported = false;
	}
	return r;
}

static void req_put(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	r->state = NVMX_REQ_FREE;
	r->cb = NULL;
	r->next = qp->free_list;
	qp->free_list = r;
}

struct nvmx_req *nvmx_qpair_req(struct nvmx_qpair *qp, uint16_t cid)
{
	if (cid >= qp->nreqs || qp->reqs[cid].state != NVMX_REQ_INFLIGHT)
		return NULL;
	return &qp->reqs[cid];
}

static uint64_t deadline(uint32_t ms)
{
	if (ms == UINT32_MAX)
		return NVMX_NO_DEADLINE;
	return nvmx_now_coarse_ns() + (uint64_t)ms * 1000000ull;
}

static void finish(struct nvmx_qpair *qp, struct nvmx_req *r, const struct nvmx_cqe *cqe, int err);

/* Hand a request to the transport, or queue it while the SQ is full. */
static int dispatch(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	int rc;

	if (qp->inflight >= qp->max_inflight || qp->sq_head || qp->recovering) {
		r->state = NVMX_REQ_QUEUED;
		r->next = NULL;
		if (qp->sq_tail)
			qp->sq_tail->next = r;
		else
			qp->sq_head = r;
		qp->sq_tail = r;
		return 0;
	}
	r->state = NVMX_REQ_INFLIGHT;
	qp->inflight++;
	rc = qp->ops->submit(qp, r);
	if (rc) {
		qp->inflight--;
		r->state = NVMX_REQ_FREE;
	}
	return rc;
}

/* Move queued requests to the transport while there are free slots. */
static void kick(struct nvmx_qpair *qp)
{
	struct nvmx_cqe cqe;

	while (qp->sq_head && qp->inflight < qp->max_inflight && !qp->failed && !qp->recovering) {
		struct nvmx_req *r = qp->sq_head;
		int rc;

		qp->sq_head = r->next;
		if (!qp->sq_head)
			qp->sq_tail = NULL;
		if (r->parent && r->parent->split_failed) {
			/* Its command already failed: do not send the rest. */
			finish(qp, r, &r->parent->split_cqe, r->parent->split_err);
			continue;
		}
		r->state = NVMX_REQ_INFLIGHT;
		qp->inflight++;
		rc = qp->ops->submit(qp, r);
		if (rc) {
			qp->inflight--;
			cqe_fill(&cqe, r->cid, NVMX_ST_HOST_PATH_ERROR, 0);
			finish(qp, r, &cqe, rc);
		}
	}
}

static void fill_req(struct nvmx_req *r, const struct nvmx_sqe *sqe, void *buf, uint32_t len,
		     enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg, uint32_t timeout_ms)
{
	r->sqe = *sqe;
	sqe_set_cid(&r->sqe, r->cid);
	r->buf = buf;
	r->len = len;
	r->dir = (uint8_t)dir;
	r->cb = cb;
	r->cb_arg = arg;
	r->timeout_ms = timeout_ms;
	r->deadline_ns = deadline(timeout_ms);
	r->abort_sent = false;
	r->retries = 0;
}

/*
 * The owning thread enters the core (submit, poll) through qp_enter; the
 * recovery, in the thread that drives the admin queue, sets qp->hold and
 * waits for busy to drop before it touches the queue pair (recovery.c),
 * so an I/O thread is never inside a queue pair being torn down.  Entry
 * refused while held: the caller gets -EAGAIN (submit) or 0 (poll).  The
 * recovery itself, running in tl_recovery, passes (its own Connect).
 */
static _Thread_local unsigned int tl_depth;
_Thread_local struct nvmx_ctrl *nvmx_tl_recovery;

bool nvmx_in_qpair(void)
{
	return tl_depth != 0;
}

static bool qp_enter(struct nvmx_qpair *qp)
{
	if (!qp->qid)
		return true;
	atomic_fetch_add(&qp->busy, 1);
	if (atomic_load(&qp->hold) && nvmx_tl_recovery != qp->ctrl) {
		atomic_fetch_sub(&qp->busy, 1);
		return false;
	}
	tl_depth++;
	return true;
}

static void qp_leave(struct nvmx_qpair *qp)
{
	if (!qp->qid)
		return;
	tl_depth--;
	atomic_fetch_sub(&qp->busy, 1);
}

static int submit_cmd(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
		      uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
		      uint32_t timeout_ms);

/* The transport's fd, or -1 while the recovery holds the queue pair (its
 * transport state may be gone; after a reconnect the fd is a new one). */
int nvmx_qpair_fd_get(struct nvmx_qpair *qp)
{
	int fd = -1;

	if (!qp_enter(qp))
		return -1;
	if (qp->tq)
		fd = qp->ops->qpair_fd(qp);
	qp_leave(qp);
	return fd;
}

int nvmx_qpair_submit_cmd(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			  uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			  uint32_t timeout_ms)
{
	int rc;

	if (!qp_enter(qp))
		return qp->ctrl->failfast ? -ENOTCONN : -EAGAIN;
	rc = submit_cmd(qp, sqe, buf, len, dir, cb, arg, timeout_ms);
	qp_leave(qp);
	return rc;
}

static int submit_cmd(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
		      uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
		      uint32_t timeout_ms)
{
	struct nvmx_req *r;
	int rc;

	if ((qp->failed && !qp->recovering) || (qp->recovering && qp->ctrl->failfast))
		return -ENOTCONN;
	if ((len && !buf) || (len == 0) != (dir == NVMX_DIR_NONE))
		return -EINVAL;
	r = req_get(qp);
	if (!r)
		return -EAGAIN;
	fill_req(r, sqe, buf, len, dir, cb, arg, timeout_ms ? timeout_ms : qp->timeout_ms);
	rc = dispatch(qp, r);
	if (rc) {
		req_put(qp, r);
		return rc;
	}
	qp->outstanding++;
	return 0;
}

/* Prepare child c for the next piece of parent p. */
static void child_next(struct nvmx_req *p, struct nvmx_req *c)
{
	uint32_t n = p->len - p->split_done;

	if (n > p->split_chunk)
		n = p->split_chunk;
	fill_req(c, &p->sqe, (uint8_t *)p->buf + p->split_done, n, (enum nvmx_dir)p->dir,
		 NULL, NULL, p->timeout_ms);
	c->deadline_ns = p->deadline_ns;
	sqe_set_slba(&c->sqe, sqe_slba(&p->sqe) + (p->split_done >> p->lba_shift));
	sqe_set_nlb(&c->sqe, n >> p->lba_shift);
	c->parent = p;
	p->split_done += n;
	p->children++;
}

static int submit_split(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			uint32_t len, enum nvmx_dir dir, uint32_t lba_shift,
			nvmx_cmd_cb cb, void *arg, uint32_t timeout_ms);

int nvmx_qpair_submit_split(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			    uint32_t len, enum nvmx_dir dir, uint32_t lba_shift,
			    nvmx_cmd_cb cb, void *arg, uint32_t timeout_ms)
{
	int rc;

	if (!qp_enter(qp))
		return qp->ctrl->failfast ? -ENOTCONN : -EAGAIN;
	rc = submit_split(qp, sqe, buf, len, dir, lba_shift, cb, arg, timeout_ms);
	qp_leave(qp);
	return rc;
}

static int submit_split(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			uint32_t len, enum nvmx_dir dir, uint32_t lba_shift,
			nvmx_cmd_cb cb, void *arg, uint32_t timeout_ms)
{
	uint32_t max = qp->ctrl->max_xfer;
	struct nvmx_req *p, *c;
	int rc;

	if (!max || len <= max)
		return submit_cmd(qp, sqe, buf, len, dir, cb, arg, timeout_ms);
	if ((qp->failed && !qp->recovering) || (qp->recovering && qp->ctrl->failfast))
		return -ENOTCONN;
	p = req_get(qp);
	if (!p)
		return -EAGAIN;
	fill_req(p, sqe, buf, len, dir, cb, arg, timeout_ms ? timeout_ms : qp->timeout_ms);
	p->state = NVMX_REQ_PARENT;
	p->split_chunk = (max >> lba_shift) << lba_shift;
	p->split_done = 0;
	p->children = 0;
	p->lba_shift = lba_shift;
	p->split_err = 0;
	p->split_failed = false;
	cqe_fill(&p->split_cqe, sqe_cid(sqe), 0, 0);
	/* Start as many pieces as there are free requests; each completion
	 * starts the next (finish()). */
	while (p->split_done < len && (c = req_get(qp))) {
		child_next(p, c);
		rc = dispatch(qp, c);
		if (rc) {
			p->children--;
			req_put(qp, c);
			if (p->children == 0) {
				req_put(qp, p);
				return rc;
			}
			p->split_failed = true;
			p->split_err = rc;
			cqe_fill(&p->split_cqe, sqe_cid(sqe), NVMX_ST_HOST_PATH_ERROR, 0);
			break;
		}
	}
	if (p->children == 0) {
		req_put(qp, p);
		return -EAGAIN;
	}
	qp->outstanding++;
	return 0;
}

static void finish_child(struct nvmx_qpair *qp, struct nvmx_req *c, const struct nvmx_cqe *cqe,
			 int err)
{
	struct nvmx_req *p = c->parent;

	p->children--;
	if ((err || cqe_status(cqe)) && !p->split_failed) {
		p->split_failed = true;
		p->split_err = err;
		p->split_cqe = *cqe;
	} else if (!p->split_failed) {
		/* Keep the last good DW0/SQHD; CID is the caller's. */
		p->split_cqe = *cqe;
	}
	if (!p->split_failed && p->split_done < p->len && !qp->failed) {
		child_next(p, c);
		if (dispatch(qp, c) == 0)
			return;
		p->children--;
		p->split_failed = true;
		p->split_err = -ENOTCONN;
		cqe_fill(&p->split_cqe, c->cid, NVMX_ST_HOST_PATH_ERROR, 0);
	}
	req_put(qp, c);
	if (p->children == 0) {
		struct nvmx_cqe out = p->split_cqe;
		nvmx_cmd_cb cb = p->cb;
		void *arg = p->cb_arg;
		int e = p->split_err;

		nvmx_put_le16((uint8_t *)&out + 12, sqe_cid(&p->sqe));
		req_put(qp, p);
		qp->outstanding--;
		if (cb)
			cb(arg, &out, e);
	}
}

static void finish(struct nvmx_qpair *qp, struct nvmx_req *r, const struct nvmx_cqe *cqe, int err)
{
	nvmx_cmd_cb cb;
	void *arg;

	if (r->parent) {
		finish_child(qp, r, cqe, err);
		return;
	}
	cb = r->cb;
	arg = r->cb_arg;
	/* Free first: the callback may submit again. */
	req_put(qp, r);
	qp->outstanding--;
	if (cb)
		cb(arg, cqe, err);
}

/* A command we aborted after its deadline comes back with Command Abort
 * Requested (Base 5.1): resubmit it unless DNR or out of retries. */
static bool retry_aborted(struct nvmx_qpair *qp, struct nvmx_req *r, const struct nvmx_cqe *cqe)
{
	uint16_t st = cqe_status(cqe);

	if ((st & 0x7ff) != NVMX_SC_ABORT_REQ || (st & NVMX_ST_DNR) ||
	    r->retries >= qp->ctrl->opts.max_retries || !nvmx_ctrl_recovery_on(qp->ctrl))
		return false;
	nvmx_info("%s: QID %u CID %u opcode 0x%02x aborted after its deadline; resubmitting (%u)",
		  qp->ctrl->name, qp->qid, r->cid, sqe_opc(&r->sqe), r->retries + 1u);
	r->retries++;
	r->abort_sent = false;
	r->timeout_reported = false;
	r->deadline_ns = deadline(r->timeout_ms);
	r->state = NVMX_REQ_FREE;
	if (dispatch(qp, r) != 0)
		return false;
	kick(qp);
	return true;
}

int nvmx_qpair_complete(struct nvmx_qpair *qp, const struct nvmx_cqe *cqe)
{
	struct nvmx_req *r = nvmx_qpair_req(qp, cqe_cid(cqe));

	if (!r)
		return -ENOENT;
	qp->sqhd = cqe_sqhd(cqe);
	qp->inflight--;
	if (r->abort_sent && retry_aborted(qp, r, cqe))
		return 0;
	finish(qp, r, cqe, 0);
	kick(qp);
	return 0;
}

/* Complete every queued and in-flight command with err. */
static void abort_all(struct nvmx_qpair *qp, int err)
{
	struct nvmx_cqe cqe;
	struct nvmx_req *r;

	/* Queued ones never reached the transport. */
	while ((r = qp->sq_head)) {
		qp->sq_head = r->next;
		if (!qp->sq_head)
			qp->sq_tail = NULL;
		cqe_fill(&cqe, r->cid, NVMX_ST_HOST_PATH_ERROR, 0);
		finish(qp, r, &cqe, err);
	}
	for (uint32_t i = 0; i < qp->nreqs; i++) {
		r = &qp->reqs[i];
		if (r->state != NVMX_REQ_INFLIGHT)
			continue;
		qp->inflight--;
		cqe_fill(&cqe, r->cid, NVMX_ST_HOST_PATH_ERROR, 0);
		finish(qp, r, &cqe, err);
	}
}

void nvmx_qpair_shutdown(struct nvmx_qpair *qp)
{
	if (!qp->failed) {
		qp->failed = true;
		qp->fail_err = -ECONNABORTED;
		snprintf(qp->errmsg, sizeof(qp->errmsg), "queue pair deleted");
	}
	abort_all(qp, -ECONNABORTED);
}

void nvmx_qpair_fail(struct nvmx_qpair *qp, int err, const char *msg)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_QPAIR_ERROR };
	enum nvmx_ctrl_state st = nvmx_ctrl_get_state(qp->ctrl);
	/* While a reset is pending too: the controller closing the I/O
	 * connections after the admin one must not fail what they carry. */
	bool recover = qp->qid && nvmx_ctrl_recovery_on(qp->ctrl) && err != -ENODEV &&
		       (st == NVMX_CTRL_LIVE || st == NVMX_CTRL_RESETTING);

	if (qp->failed || qp->recovering)
		return;
	qp->failed = !recover;
	qp->fail_err = err;
	snprintf(qp->errmsg, sizeof(qp->errmsg), "%s", msg ? msg : "queue pair failed");
	nvmx_err("%s: %s queue %u failed: %s (%s)", qp->ctrl->name, qp->qid ? "I/O" : "admin",
		 qp->qid, qp->errmsg, strerror(-err));
	if (qp->qid == 0)
		nvmx_ctrl_seterr(qp->ctrl, "admin queue: %s", qp->errmsg);
	ev.u.qerr.qid = qp->qid;
	ev.u.qerr.err = err;
	ev.u.qerr.msg = qp->errmsg;
	nvmx_ctrl_event(qp->ctrl, &ev);
	if (recover) {
		/* I/O waits for the reconnect (Linux fabrics semantics). */
		qp->ops->qpair_disconnect(qp);
		nvmx_qpair_park(qp, err);
		nvmx_ctrl_error_recovery(qp->ctrl, err, qp->errmsg);
		return;
	}
	abort_all(qp, err);
	if (err == -ENODEV && nvmx_ctrl_recovery_on(qp->ctrl)) {
		/* Surprise removal (CSTS all ones): nothing to reset. */
		nvmx_ctrl_seterr(qp->ctrl, "%s", qp->errmsg);
		nvmx_ctrl_set_state(qp->ctrl, NVMX_CTRL_DEAD);
	} else if (qp->qid == 0 && nvmx_ctrl_recovery_on(qp->ctrl)) {
		nvmx_ctrl_error_recovery(qp->ctrl, err, qp->errmsg);
	}
}

void nvmx_qpair_cancel(struct nvmx_qpair *qp, int err)
{
	abort_all(qp, err);
}

void nvmx_qpair_park(struct nvmx_qpair *qp, int err)
{
	struct nvmx_req *head = NULL, *tail = NULL;
	struct nvmx_cqe cqe;

	qp->recovering = true;
	qp->failed = false;
	for (uint32_t i = 0; i < qp->nreqs; i++) {
		struct nvmx_req *r = &qp->reqs[i];

		if (r->state != NVMX_REQ_INFLIGHT)
			continue;
		qp->inflight--;
		/* Failed internally with a retryable status: resubmit once
		 * live, within the retry limit. */
		if (r->retries >= qp->ctrl->opts.max_retries) {
			cqe_fill(&cqe, r->cid, NVMX_ST_HOST_PATH_ERROR, 0);
			finish(qp, r, &cqe, err);
			continue;
		}
		r->retries++;
		r->abort_sent = false;
		r->timeout_reported = false;
		r->state = NVMX_REQ_QUEUED;
		r->next = NULL;
		if (tail)
			tail->next = r;
		else
			head = r;
		tail = r;
	}
	if (head) {
		tail->next = qp->sq_head;
		if (!qp->sq_head)
			qp->sq_tail = tail;
		qp->sq_head = head;
	}
	qp->inflight = 0;
}

void nvmx_qpair_resume(struct nvmx_qpair *qp)
{
	qp->recovering = false;
	qp->failed = false;
	qp->fail_err = 0;
	qp->errmsg[0] = '\0';
	for (struct nvmx_req *r = qp->sq_head; r; r = r->next)
		r->deadline_ns = deadline(r->timeout_ms);
	kick(qp);
}

void nvmx_qpair_scan_timeouts(struct nvmx_qpair *qp, uint64_t now)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_TIMEOUT };
	bool recover = nvmx_ctrl_recovery_on(qp->ctrl);

	qp->next_scan_ns = now + TIMEOUT_SCAN_NS;
	for (uint32_t i = 0; i < qp->nreqs && !qp->failed && !qp->recovering; i++) {
		struct nvmx_req *r = &qp->reqs[i];

		if ((r->state != NVMX_REQ_INFLIGHT && (recover || r->state != NVMX_REQ_QUEUED)) ||
		    r->deadline_ns > now)
			continue;
		if (!r->timeout_reported) {
			r->timeout_reported = true;
			nvmx_warn("%s: %s cmd cid %u QID %u opcode 0x%02x timeout after %u ms",
				  qp->ctrl->name, qp->qid ? "I/O" : "admin", r->cid, qp->qid,
				  sqe_opc(&r->sqe), r->timeout_ms);
			ev.u.cmd.qid = qp->qid;
			ev.u.cmd.cid = r->cid;
			ev.u.cmd.opcode = sqe_opc(&r->sqe);
			ev.u.cmd.timeout_ms = r->timeout_ms;
			nvmx_ctrl_event(qp->ctrl, &ev);
		}
		/* Escalation: Abort, then reset (recovery.c). */
		if (recover && r->state == NVMX_REQ_INFLIGHT)
			nvmx_recovery_expired(qp, r, now);
	}
}

static int process(struct nvmx_qpair *qp, unsigned int max);

int nvmx_qpair_process(struct nvmx_qpair *qp, unsigned int max)
{
	int rc;

	if (!qp_enter(qp))
		return 0;
	rc = process(qp, max);
	qp_leave(qp);
	return rc;
}

static int process(struct nvmx_qpair *qp, unsigned int max)
{
	int rc, err;
	uint64_t now;

	/* Commands the recovery gave up on complete here, in the owning
	 * thread (fast_io_fail_tmo, ctrl_loss_tmo). */
	if ((err = atomic_exchange(&qp->cancel_err, 0)))
		abort_all(qp, err);
	if (qp->recovering)	/* waiting for the reconnect (recovery.c) */
		return qp->ctrl->failfast ? -ENOTCONN : 0;
	if (qp->failed)
		return qp->fail_err ? qp->fail_err : -ENOTCONN;
	rc = qp->ops->poll(qp, max);
	if (rc < 0 && qp->recovering)
		return 0;	/* the link died, its commands wait (parked) */
	now = nvmx_now_coarse_ns();
	if (now >= qp->next_scan_ns)
		nvmx_qpair_scan_timeouts(qp, now);
	return rc;
}
