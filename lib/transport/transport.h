/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transport operations table: what the host core needs from NVMe/TCP,
 * PCIe/VFIO and any later transport.  The host core (lib/host) includes
 * this header and never a transport's own header.  Compare SPDK's
 * spdk_nvme_transport_ops, Linux's nvme_ctrl_ops, FreeBSD libnvmf's
 * nvmf_transport_ops.
 *
 * Objects are the core's: the transport hangs its private state off
 * ctrl->tctrl and qp->tq.  Requests are the core's preallocated
 * struct nvmx_req; the request's CID is its index in the queue pair's pool,
 * so a CID is never reused while that command is in flight.
 *
 * Calls into the core a transport makes:
 *   nvmx_qpair_req()        CID -> in-flight request (NULL if none)
 *   nvmx_qpair_complete()   deliver a CQE
 *   nvmx_qpair_fail()       the queue pair is dead: connection lost or the
 *                           peer broke the protocol; every in-flight command
 *                           completes with err and the application is told
 *   nvmx_qpair_exec_sync()  run one command and wait (bring-up: Connect,
 *                           Property Get/Set, Create I/O SQ/CQ)
 */
#ifndef NVMX_TRANSPORT_H
#define NVMX_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "nvmx/nvmx.h"

struct nvmx_ctrl;
struct nvmx_qpair;
struct nvmx_req;

struct nvmx_transport_ops {
	const char *name;
	int trtype;		/* NVMX_TRTYPE_TCP, NVMX_TRTYPE_PCIE */
	bool fabrics;	/* registers through Property Get/Set, queues by Connect */

	/*
	 * Bring up the admin queue pair far enough that register access
	 * works.  TCP: connect, ICReq/ICResp, Fabrics Connect (QID 0).
	 * PCIe: map BAR0, disable (CC.EN=0, wait RDY=0), program AQA/ASQ/ACQ.
	 * The core then enables the controller with reg_write/reg_read.
	 */
	int (*ctrl_create)(struct nvmx_ctrl *ctrl, struct nvmx_qpair *adminq);
	/* Free everything ctrl_create set up (after the admin queue is gone). */
	void (*ctrl_destroy)(struct nvmx_ctrl *ctrl);

	/* Controller registers (CAP, VS, CC, CSTS, ...): size 4 or 8.  Fabrics
	 * transports use nvmx_fabrics_prop_get/set below. */
	int (*reg_read)(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *val);
	int (*reg_write)(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t val);

	/* Largest data transfer of one command this transport accepts
	 * (0: no limit of its own; MDTS still applies). */
	uint32_t (*max_xfer)(struct nvmx_ctrl *ctrl);

	/*
	 * Create an I/O queue pair (qp->qid, qp->depth set by the core):
	 * TCP: new connection, ICReq, Connect.  PCIe: Create I/O CQ then SQ.
	 * Delete reverses it; commands still in flight are failed first
	 * (nvmx_qpair_fail) so no callback is left pending.
	 */
	int (*qpair_create)(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp);
	void (*qpair_destroy)(struct nvmx_qpair *qp);

	/*
	 * Queue one command (req->sqe with CID set, req->buf/len/dir).  The
	 * transport maps the data (TCP: SGL descriptor, in-capsule or R2T;
	 * PCIe: PRP/SGL from its DMA pool) and may defer the actual send to
	 * the next poll.  Never blocks.  -EAGAIN when out of transport
	 * resources; -ENOTCONN when the queue pair failed.
	 */
	int (*submit)(struct nvmx_qpair *qp, struct nvmx_req *req);

	/* Send what is queued, process up to max completions (0: all).
	 * Returns completions processed, or a negative errno after the queue
	 * pair failed (nvmx_qpair_fail already called). */
	int (*poll)(struct nvmx_qpair *qp, unsigned int max);

	/* The fd for poll()/epoll (socket; MSI-X eventfd), -1 if none. */
	int (*qpair_fd)(const struct nvmx_qpair *qp);

	/* Tear the queue pair's link down now (close the connection, stop the
	 * queue) without waiting for the peer.  The core follows with
	 * nvmx_qpair_fail. */
	void (*qpair_disconnect)(struct nvmx_qpair *qp);

	/* Optional: controller-level reset of the transport (PCIe: CC.EN
	 * 1->0->1 by the recovery code; TCP: reconnect).  NULL: unsupported. */
	int (*ctrl_reset)(struct nvmx_ctrl *ctrl);

	/* Optional: allocate/free I/O buffers the transport can move without a
	 * copy (VFIO: DMA-mapped).  NULL: ordinary memory is fine. */
	void *(*buf_alloc)(struct nvmx_ctrl *ctrl, size_t len);
	void (*buf_free)(struct nvmx_ctrl *ctrl, void *buf, size_t len);
};

/* The transports compiled in. */
extern const struct nvmx_transport_ops nvmx_tcp_host_ops;
const struct nvmx_transport_ops *nvmx_transport_lookup(int trtype);

/* ---- core services for transports ---- */

struct nvmx_req *nvmx_qpair_req(struct nvmx_qpair *qp, uint16_t cid);
/* Deliver the CQE of an in-flight command (by its CID).  Returns -ENOENT
 * when no command with that CID is in flight (a protocol error). */
int nvmx_qpair_complete(struct nvmx_qpair *qp, const struct nvmx_cqe *cqe);
/* Mark the queue pair failed: remember msg, report NVMX_EVENT_QPAIR_ERROR,
 * complete every in-flight and queued command with err.  Idempotent. */
void nvmx_qpair_fail(struct nvmx_qpair *qp, int err, const char *msg);
/* Submit and poll this queue pair until done or timeout_ms passes. */
int nvmx_qpair_exec_sync(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			 uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe,
			 uint32_t timeout_ms);

/* Fabrics (NVMe-oF 6.3, 6.5, 6.6): Connect and Property Get/Set. */
int nvmx_fabrics_connect(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp);
int nvmx_fabrics_prop_get(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *val);
int nvmx_fabrics_prop_set(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t val);

#endif /* NVMX_TRANSPORT_H */
