/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O queue pair allocation and the public queue pair calls.  Allocation
 * and free are slow-path and run under the admin lock (PCIe creates the
 * queues with admin commands; TCP opens a connection and sends Connect).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"

static int qid_get(struct nvmx_ctrl *ctrl)
{
	for (unsigned int q = 1; q <= ctrl->max_io_queues && q < 65536; q++)
		if (!(ctrl->qid_used[q / 32] & (1u << (q % 32)))) {
			ctrl->qid_used[q / 32] |= 1u << (q % 32);
			return (int)q;
		}
	return -EBUSY;
}

static void qid_put(struct nvmx_ctrl *ctrl, uint16_t q)
{
	ctrl->qid_used[q / 32] &= ~(1u << (q % 32));
}

int nvmx_qpair_alloc(struct nvmx_ctrl *ctrl, unsigned int depth, struct nvmx_qpair **qpp)
{
	struct nvmx_qpair *qp;
	unsigned int mqes = nvmx_cap_mqes(ctrl->cap) + 1u;
	int qid, rc;

	*qpp = NULL;
	if (nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_LIVE || ctrl->discovery)
		return -ENOTCONN;
	if (!depth)
		depth = ctrl->opts.queue_size;
	if (depth > mqes)
		depth = mqes;
	if (depth < 2 || depth > 65535)
		return -EINVAL;
	qp = calloc(1, sizeof(*qp));
	if (!qp)
		return -ENOMEM;
	pthread_mutex_lock(&ctrl->admin_lock);
	qid = qid_get(ctrl);
	if (qid < 0) {
		nvmx_err("%s: no free I/O queue (%u granted)", ctrl->name, ctrl->max_io_queues);
		rc = qid;
		goto unlock;
	}
	rc = nvmx_qpair_init(qp, ctrl, (uint16_t)qid, (uint16_t)depth, ctrl->opts.io_timeout_ms);
	if (rc)
		goto put_qid;
	rc = ctrl->ops->qpair_create(ctrl, qp);
	if (rc)
		goto fini;
	qp->next_qp = ctrl->io_qps;
	ctrl->io_qps = qp;
	pthread_mutex_unlock(&ctrl->admin_lock);
	*qpp = qp;
	return 0;

fini:
	nvmx_qpair_fini(qp);
put_qid:
	qid_put(ctrl, (uint16_t)qid);
unlock:
	pthread_mutex_unlock(&ctrl->admin_lock);
	free(qp);
	return rc;
}

void nvmx_qpair_free(struct nvmx_qpair *qp)
{
	struct nvmx_ctrl *ctrl;

	if (!qp)
		return;
	ctrl = qp->ctrl;
	pthread_mutex_lock(&ctrl->admin_lock);
	for (struct nvmx_qpair **pp = &ctrl->io_qps; *pp; pp = &(*pp)->next_qp)
		if (*pp == qp) {
			*pp = qp->next_qp;
			break;
		}
	if (qp->outstanding)
		ctrl->ops->qpair_disconnect(qp);
	nvmx_qpair_shutdown(qp);
	ctrl->ops->qpair_destroy(qp);
	qid_put(ctrl, qp->qid);
	pthread_mutex_unlock(&ctrl->admin_lock);
	nvmx_qpair_fini(qp);
	free(qp);
}

uint16_t nvmx_qpair_id(const struct nvmx_qpair *qp) { return qp->qid; }
int nvmx_qpair_fd(const struct nvmx_qpair *qp) { return nvmx_qpair_fd_get((struct nvmx_qpair *)qp); }
unsigned int nvmx_qpair_outstanding(const struct nvmx_qpair *qp) { return qp->outstanding; }
bool nvmx_qpair_failed(const struct nvmx_qpair *qp) { return qp->failed; }

int nvmx_qpair_poll(struct nvmx_qpair *qp, unsigned int max)
{
	return nvmx_qpair_process(qp, max);
}
