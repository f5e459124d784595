/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PCIe/VFIO transport behind the host core's operations table
 * (transport/transport.h): the core runs the state machine, CC enable and
 * shutdown through reg_read/reg_write, Identify and the namespace scan;
 * this file owns BAR0, DMA memory, the rings and PRPs.
 *
 * Command identifiers are the core's request indexes (< qp->nreqs), so each
 * has its own preallocated PRP list pages: nothing is allocated per I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host/internal.h"
#include "transport/pcie_dev.h"
#include "transport/pcie_host.h"

#define PCIE_BOUNCE_BYTES	(8u << 20)
#define PCIE_ADMIN_BOUNCE	(256u << 10)
#define CSTS_CHECK_NS		(100ull * 1000000ull)

struct pcie_tq {
	struct nvmx_pcie_queue *q;
	struct nvmx_pcie_queue own;	/* I/O queues; the admin queue lives in ctrl */
	int irq_fd;			/* -1: polled only */
	bool stopped;
	bool idle;			/* last poll found nothing */
	uint64_t next_csts_ns;
};

static struct nvmx_pcie_dev *dev_of(struct nvmx_ctrl *ctrl)
{
	return ctrl->tctrl;
}

static void vector_fd(struct nvmx_pcie_dev *d, struct pcie_tq *t, uint16_t qid)
{
	t->irq_fd = qid < d->vfio.nr_irqs ? d->vfio.irq_fds[qid] : -1;
	t->q->irq_vector = t->irq_fd >= 0 ? (int16_t)qid : -1;
}

static int pcie_ctrl_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *adminq)
{
	struct nvmx_pcie_dev *d = calloc(1, sizeof(*d));
	struct pcie_tq *t = calloc(1, sizeof(*t));
	char msg[1024];
	unsigned int nvec;
	int rc;

	if (!d || !t) {
		free(d);
		free(t);
		return -ENOMEM;
	}
	rc = nvmx_pcie_dev_open(d, ctrl->trid.traddr, msg, sizeof(msg));
	if (rc) {
		nvmx_ctrl_seterr(ctrl, "%s", msg);
		free(d);
		free(t);
		return rc;
	}
	ctrl->tctrl = d;
	/* MSI-X: vector 0 for the admin queue, one per I/O queue asked for;
	 * without them everything still works by polling. */
	nvec = 1u + (ctrl->opts.nr_io_queues ? ctrl->opts.nr_io_queues : 1u);
	if (nvec > d->vfio.max_irqs)
		nvec = d->vfio.max_irqs;
	if (nvec > NVMX_VFIO_MAX_IRQS)
		nvec = NVMX_VFIO_MAX_IRQS;
	if (nvec && nvmx_vfio_irq_enable(&d->vfio, nvec))
		nvmx_warn("%s: MSI-X unavailable; queue pairs have no file descriptor", ctrl->name);
	/* Base 3.5.1: disable, then the admin queue registers; the core
	 * writes CC and waits for CSTS.RDY. */
	rc = nvmx_pcie_ctrl_disable(&d->ctrl);
	if (!rc)
		rc = nvmx_pcie_ctrl_setup_admin(&d->ctrl, adminq->depth, adminq->nreqs);
	if (rc) {
		nvmx_ctrl_seterr(ctrl, "%s", d->ctrl.errmsg[0] ? d->ctrl.errmsg :
				 "disabling the controller or setting up the admin queue failed");
		free(t);
		return rc;
	}
	t->q = &d->ctrl.adminq;
	vector_fd(d, t, 0);
	adminq->tq = t;
	return 0;
}

static void pcie_ctrl_destroy(struct nvmx_ctrl *ctrl)
{
	struct nvmx_pcie_dev *d = dev_of(ctrl);

	if (!d)
		return;
	nvmx_pcie_dev_close(d);
	free(d);
	ctrl->tctrl = NULL;
}

static int pcie_reg_read(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *val)
{
	struct nvmx_pcie_ctrl *c = &dev_of(ctrl)->ctrl;

	if ((size != 4 && size != 8) || off + size > c->bar_size || (off & (size - 1)))
		return -EINVAL;
	/* The core reads CSTS while it waits: let a simulated controller
	 * (unit tests) run. */
	if (off == NVMX_REG_CSTS && c->wait_hook)
		c->wait_hook(c->wait_arg);
	*val = size == 4 ? nvmx_pcie_rd32(c, off) : nvmx_pcie_rd64(c, off);
	if (off == NVMX_REG_CSTS && *val == 0xffffffffu)
		atomic_store(&c->dead, true);	/* surprise removal */
	return 0;
}

static int pcie_reg_write(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t val)
{
	struct nvmx_pcie_ctrl *c = &dev_of(ctrl)->ctrl;

	if ((size != 4 && size != 8) || off + size > c->bar_size || (off & (size - 1)))
		return -EINVAL;
	if (atomic_load(&c->dead))
		return -ENODEV;
	if (size == 4)
		nvmx_pcie_wr32(c, off, (uint32_t)val);
	else
		nvmx_pcie_wr64(c, off, val);
	return 0;
}

static uint32_t pcie_max_xfer(struct nvmx_ctrl *ctrl)
{
	return dev_of(ctrl)->ctrl.max_xfer;
}

static int admin_queue_cmd(struct nvmx_ctrl *ctrl, struct nvmx_sqe *sqe, const char *what,
			   uint16_t qid)
{
	int rc = nvmx_qpair_exec_sync(ctrl->adminq, sqe, NULL, 0, NVMX_DIR_NONE, NULL, 0);

	if (rc)
		nvmx_err("%s: %s %u failed: %s", ctrl->name, what, qid, nvmx_result_str(rc));
	return rc > 0 ? -EIO : rc;
}

static int pcie_qpair_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	struct nvmx_pcie_dev *d = dev_of(ctrl);
	struct pcie_tq *t = calloc(1, sizeof(*t));
	struct nvmx_sqe sqe;
	int rc;

	if (!t)
		return -ENOMEM;
	t->q = &t->own;
	rc = nvmx_pcie_queue_alloc(&d->ctrl, t->q, qp->qid, qp->depth, qp->nreqs, PCIE_BOUNCE_BYTES);
	if (rc)
		goto free_t;
	vector_fd(d, t, qp->qid);
	/* Base 5.4/5.5: the CQ first, then the SQ that names it. */
	nvmx_pcie_fill_create_cq(&sqe, t->q);
	rc = admin_queue_cmd(ctrl, &sqe, "Create I/O CQ", qp->qid);
	if (rc)
		goto free_q;
	nvmx_pcie_fill_create_sq(&sqe, t->q);
	rc = admin_queue_cmd(ctrl, &sqe, "Create I/O SQ", qp->qid);
	if (rc)
		goto delete_cq;
	t->q->created = true;
	qp->tq = t;
	return 0;

delete_cq:
	nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_CQ, qp->qid);
	admin_queue_cmd(ctrl, &sqe, "Delete I/O CQ", qp->qid);
free_q:
	nvmx_pcie_queue_free(t->q);
free_t:
	free(t);
	return rc;
}

static void pcie_qpair_destroy(struct nvmx_qpair *qp)
{
	struct pcie_tq *t = qp->tq;
	struct nvmx_ctrl *ctrl = qp->ctrl;
	struct nvmx_sqe sqe;

	if (!t)
		return;
	if (qp->qid && t->q->created && !atomic_load(&dev_of(ctrl)->ctrl.dead) &&
	    !ctrl->adminq->failed) {
		/* Reverse of creation: SQ, then CQ (Base 5.6, 5.7). */
		nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_SQ, qp->qid);
		admin_queue_cmd(ctrl, &sqe, "Delete I/O SQ", qp->qid);
		nvmx_pcie_fill_delete(&sqe, NVMX_ADM_DELETE_CQ, qp->qid);
		admin_queue_cmd(ctrl, &sqe, "Delete I/O CQ", qp->qid);
	}
	if (qp->qid)
		nvmx_pcie_queue_free(t->q);
	free(t);
	qp->tq = NULL;
}

static int pcie_submit(struct nvmx_qpair *qp, struct nvmx_req *req)
{
	struct pcie_tq *t = qp->tq;
	struct nvmx_pcie_queue *q = t->q;
	struct nvmx_sqe sqe;
	int rc;

	if (t->stopped || atomic_load_explicit(&q->ctrl->dead, memory_order_relaxed))
		return -ENOTCONN;
	sqe = req->sqe;
	rc = nvmx_pcie_map_data(q, &sqe, req->cid, req->buf, req->dir == NVMX_DIR_NONE ? 0 : req->len,
				req->dir == NVMX_DIR_TO_CTRL);
	if (rc)
		return rc;
	rc = nvmx_pcie_sq_push(q, &sqe);
	if (rc) {
		nvmx_pcie_data_done(q, req->cid);
		return rc;
	}
	q->trk[req->cid].busy = true;
	nvmx_pcie_sq_ring(q);
	return 0;
}

static void on_cqe(void *arg, struct nvmx_pcie_queue *q, const struct nvmx_cqe *cqe)
{
	struct nvmx_qpair *qp = arg;
	uint16_t cid = nvmx_le16_to_cpu(cqe->cid);

	if (cid >= q->ntrk || !q->trk[cid].busy) {
		nvmx_warn("%s: QID %u: completion for CID %u that is not in flight; ignored",
			  qp->ctrl->name, qp->qid, cid);
		return;
	}
	q->trk[cid].busy = false;
	nvmx_pcie_data_done(q, cid);	/* copy a bounced read back first */
	if (nvmx_qpair_complete(qp, cqe))
		nvmx_warn("%s: QID %u: CID %u unknown to the core", qp->ctrl->name, qp->qid, cid);
}

static int pcie_poll(struct nvmx_qpair *qp, unsigned int max)
{
	struct pcie_tq *t = qp->tq;
	struct nvmx_pcie_queue *q = t->q;
	uint64_t cnt;
	int n;

	if (atomic_load_explicit(&q->ctrl->dead, memory_order_relaxed)) {
		nvmx_qpair_fail(qp, -ENODEV, "device removed (CSTS reads all ones)");
		return -ENODEV;
	}
	if (t->stopped)
		return -ENOTCONN;
	/* Idle and interrupt driven: clear the eventfd before looking at the
	 * CQ, so a completion that lands after the look re-arms it. */
	if (t->idle && t->irq_fd >= 0 && read(t->irq_fd, &cnt, sizeof(cnt)) < 0)
		(void)0;
	n = nvmx_pcie_cq_process(q, max, on_cqe, qp);
	if (n == 0 && q->ctrl->wait_hook) {
		q->ctrl->wait_hook(q->ctrl->wait_arg);	/* simulated controller */
		n = nvmx_pcie_cq_process(q, max, on_cqe, qp);
	}
	t->idle = n == 0;
	if (n == 0) {
		uint64_t now = nvmx_now_ns();
		uint32_t csts;

		if (now >= t->next_csts_ns) {
			t->next_csts_ns = now + CSTS_CHECK_NS;
			if (nvmx_pcie_csts(q->ctrl, &csts) == -ENODEV) {
				nvmx_qpair_fail(qp, -ENODEV, "device removed (CSTS reads all ones)");
				return -ENODEV;
			}
		}
	}
	return n;
}

static int pcie_qpair_fd(const struct nvmx_qpair *qp)
{
	const struct pcie_tq *t = qp->tq;

	return t ? t->irq_fd : -1;
}

static void pcie_qpair_disconnect(struct nvmx_qpair *qp)
{
	struct pcie_tq *t = qp->tq;

	if (!t)
		return;
	/* Stop using the queue; bounced reads are not copied back any more,
	 * so the caller's buffer is not written after this.  (Zero-copy
	 * buffers stay the controller's until the queue is deleted.) */
	t->stopped = true;
	for (uint32_t i = 0; i < t->q->ntrk; i++) {
		t->q->trk[i].copy_back = false;
		nvmx_pcie_data_done(t->q, (uint16_t)i);
		t->q->trk[i].busy = false;
	}
}

static int pcie_ctrl_reset(struct nvmx_ctrl *ctrl)
{
	struct nvmx_pcie_dev *d = dev_of(ctrl);
	struct pcie_tq *t = ctrl->adminq->tq;
	int rc;

	/* CC.EN 1->0, admin queue emptied and reprogrammed; the core enables
	 * again and re-creates the I/O queues. */
	rc = nvmx_pcie_ctrl_disable(&d->ctrl);
	if (rc)
		return rc;
	rc = nvmx_pcie_ctrl_setup_admin(&d->ctrl, ctrl->adminq->depth, ctrl->adminq->nreqs);
	if (rc == 0 && t)
		t->stopped = false;
	return rc;
}

static void *pcie_buf_alloc(struct nvmx_ctrl *ctrl, size_t len)
{
	uint64_t iova;

	return nvmx_dma_alloc(&dev_of(ctrl)->dma, len, &iova);
}

static void pcie_buf_free(struct nvmx_ctrl *ctrl, void *buf, size_t len)
{
	nvmx_dma_free(&dev_of(ctrl)->dma, buf);
}

const struct nvmx_transport_ops nvmx_pcie_host_ops = {
	.name = "pcie",
	.trtype = NVMX_TRTYPE_PCIE,
	.fabrics = false,
	.ctrl_create = pcie_ctrl_create,
	.ctrl_destroy = pcie_ctrl_destroy,
	.reg_read = pcie_reg_read,
	.reg_write = pcie_reg_write,
	.max_xfer = pcie_max_xfer,
	.qpair_create = pcie_qpair_create,
	.qpair_destroy = pcie_qpair_destroy,
	.submit = pcie_submit,
	.poll = pcie_poll,
	.qpair_fd = pcie_qpair_fd,
	.qpair_disconnect = pcie_qpair_disconnect,
	.ctrl_reset = pcie_ctrl_reset,
	.buf_alloc = pcie_buf_alloc,
	.buf_free = pcie_buf_free,
};
