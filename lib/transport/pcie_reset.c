/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controller reset with replay of the commands in flight (Base 3.7.2: a
 * controller reset aborts every outstanding command without completion,
 * deletes the I/O queues and leaves the admin queue registers to be
 * reprogrammed).  The host keeps each command's SQE and data mapping in its
 * tracker, so after the queues are re-created it submits them again; the
 * callback of each runs once, from the completion that finally comes.
 */
#include <errno.h>
#include <stdlib.h>

#include "transport/pcie_ctrl.h"
#include "util/log.h"

/* Complete the admin commands the reset swallowed. */
static void abort_admin(struct nvmx_pcie_queue *q)
{
	struct nvmx_cqe cqe = { 0 };

	for (uint32_t cid = 0; cid < q->ntrk; cid++) {
		struct nvmx_pcie_trk *t = &q->trk[cid];

		if (!t->busy)
			continue;
		cqe.cid = nvmx_cpu_to_le16((uint16_t)cid);
		cqe.status = nvmx_cpu_to_le16(nvmx_st_make(NVMX_SCT_GENERIC, NVMX_SC_ABORT_REQ, 0));
		t->copy_back = false;
		nvmx_pcie_data_done(q, (uint16_t)cid);
		t->busy = false;
		q->free_cids[q->nfree++] = (uint16_t)cid;
		if (t->cb)
			t->cb(t->cb_arg, &cqe);
	}
}

/* Push the busy trackers' SQEs again, oldest first. */
static int replay(struct nvmx_pcie_queue *q)
{
	uint64_t last = 0;
	bool first = true;
	unsigned int n = 0;

	for (;;) {
		struct nvmx_pcie_trk *next = NULL;

		/* smallest seq above the last one replayed (n is small: < depth) */
		for (uint32_t cid = 0; cid < q->ntrk; cid++) {
			struct nvmx_pcie_trk *t = &q->trk[cid];

			if (t->busy && (first || t->seq > last) && (!next || t->seq < next->seq))
				next = t;
		}
		if (!next)
			break;
		if (nvmx_pcie_sq_push(q, &next->sqe))
			return -EOVERFLOW;	/* cannot be: they fitted before */
		last = next->seq;
		first = false;
		n++;
	}
	nvmx_pcie_sq_ring(q);
	if (n)
		nvmx_info("%s: QID %u: %u commands submitted again after the reset",
			  q->ctrl->name, q->qid, n);
	return 0;
}

int nvmx_pcie_ctrl_reset_replay(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue **qs,
				unsigned int n)
{
	int ret;

	/* Whatever completed before the reset is delivered now; a command
	 * that completes after this look is replayed (and completes once). */
	for (unsigned int i = 0; i < n; i++)
		nvmx_pcie_poll(qs[i], 0);
	nvmx_pcie_poll(&c->adminq, 0);

	ret = nvmx_pcie_ctrl_disable(c);
	if (ret)
		return ret;
	abort_admin(&c->adminq);
	ret = nvmx_pcie_ctrl_setup_admin(c, c->adminq.depth, c->adminq.ntrk);
	if (!ret)
		ret = nvmx_pcie_ctrl_enable(c);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < n; i++) {
		nvmx_pcie_queue_rewind(qs[i]);
		ret = nvmx_pcie_create_io_queue(c, qs[i]);
		if (ret)
			return ret;
		ret = replay(qs[i]);
		if (ret)
			return ret;
	}
	return 0;
}
