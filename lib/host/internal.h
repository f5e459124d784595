/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host core internals: controller, queue pair and request objects.
 * Transports see these through lib/transport/transport.h.
 */
#ifndef NVMX_HOST_INTERNAL_H
#define NVMX_HOST_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "nvmx/nvmx.h"
#include "nvmx/spec.h"
#include "transport/transport.h"
#include "util/log.h"

#define NVMX_ADMIN_DEPTH	32	/* admin queue entries (Linux NVME_AQ_DEPTH) */
#define NVMX_MAX_AERS		4	/* AERs kept outstanding, at most AERL+1 */
#define NVMX_NO_DEADLINE	UINT64_MAX

enum nvmx_req_state {
	NVMX_REQ_FREE = 0,
	NVMX_REQ_QUEUED,	/* waiting for a submission slot */
	NVMX_REQ_INFLIGHT,	/* handed to the transport */
	NVMX_REQ_PARENT,	/* a split command: its children carry the data */
};

/*
 * One command.  Preallocated per queue pair; the CID is the index in the
 * pool (NVMe/TCP 3.3: the CID ties PDUs to their command, so it must not be
 * reused while in flight -- a pool slot is not reused until completed).
 */
struct nvmx_req {
	struct nvmx_sqe sqe;
	nvmx_cmd_cb cb;
	void *cb_arg;
	void *buf;
	uint32_t len;
	uint8_t dir;			/* enum nvmx_dir */
	uint8_t state;			/* enum nvmx_req_state */
	bool timeout_reported;
	uint16_t cid;
	uint32_t timeout_ms;
	uint64_t deadline_ns;
	struct nvmx_req *next;		/* free list or submission queue */
	struct nvmx_req *parent;	/* set on the children of a split command */
	/* Parent of a split command. */
	uint32_t split_done;		/* bytes handed to children */
	uint32_t split_chunk;		/* bytes per child */
	uint32_t children;		/* children in flight */
	uint32_t lba_shift;
	int split_err;
	bool split_failed;
	struct nvmx_cqe split_cqe;	/* first failing child's CQE (or success) */
};

struct nvmx_qpair {
	struct nvmx_ctrl *ctrl;
	const struct nvmx_transport_ops *ops;
	void *tq;			/* transport private */
	uint16_t qid;
	uint16_t depth;			/* queue entries (SQ size) */
	uint32_t nreqs;
	struct nvmx_req *reqs;
	struct nvmx_req *free_list;
	struct nvmx_req *sq_head, *sq_tail;	/* waiting for a slot */
	uint32_t inflight;		/* handed to the transport */
	uint32_t max_inflight;		/* depth - 1: a full SQ keeps one slot empty */
	uint32_t outstanding;		/* user-visible commands not completed */
	uint16_t sqhd;			/* last SQ head the controller reported */
	bool failed;
	int fail_err;
	uint32_t timeout_ms;		/* default for commands */
	uint64_t next_scan_ns;
	struct nvmx_qpair *next_qp;	/* the controller's list of I/O queue pairs */
	char errmsg[256];
};

struct nvmx_ns_table {
	struct nvmx_ns_table *retired_next;
	unsigned int n;
	struct nvmx_ns_info ns[];
};

struct nvmx_ctrl {
	char name[300];			/* for messages: its transport ID */			/* for messages: "nvmx0 (tcp://...)" */
	struct nvmx_trid trid;
	struct nvmx_ctrl_opts opts;
	unsigned char hostid[16];
	bool discovery;
	const struct nvmx_transport_ops *ops;
	void *tctrl;			/* transport private */
	struct nvmx_qpair *adminq;
	pthread_mutex_t admin_lock;	/* recursive: callbacks may submit */
	pthread_mutex_t state_lock;
	atomic_int state;
	uint64_t cap;
	uint32_t vs;
	uint16_t cntlid;
	struct nvmx_id_ctrl *id;
	uint32_t max_xfer;
	unsigned int max_io_queues;
	uint32_t qid_used[2048];	/* bitmap of QIDs 1..65535 */
	struct nvmx_qpair *io_qps;
	atomic_uint_fast64_t next_bg_admin_ns;
	/* The namespace table is replaced whole by a rescan and read without
	 * a lock by I/O threads; old tables stay until disconnect, so a
	 * pointer an I/O thread holds never dangles. */
	_Atomic(struct nvmx_ns_table *) ns_table;
	struct nvmx_ns_table *ns_retired;
	uint64_t next_ka_ns;
	bool ka_outstanding;
	unsigned int aers;
	char errmsg[256];
};

/* state.c */
int nvmx_ctrl_set_state(struct nvmx_ctrl *ctrl, enum nvmx_ctrl_state to);
void nvmx_ctrl_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev);

/* opts.c */
void nvmx_opts_merge(struct nvmx_ctrl_opts *out, const struct nvmx_ctrl_opts *in);
int nvmx_opts_resolve_host(struct nvmx_ctrl_opts *o, unsigned char hostid[16]);

/* qpair.c */
int nvmx_qpair_init(struct nvmx_qpair *qp, struct nvmx_ctrl *ctrl, uint16_t qid,
		    uint16_t depth, uint32_t timeout_ms);
void nvmx_qpair_fini(struct nvmx_qpair *qp);
/* Fail what is outstanding with -ECONNABORTED, quietly (deletion). */
void nvmx_qpair_shutdown(struct nvmx_qpair *qp);
int nvmx_qpair_submit_cmd(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			  uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			  uint32_t timeout_ms);
int nvmx_qpair_submit_split(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			    uint32_t len, enum nvmx_dir dir, uint32_t lba_shift,
			    nvmx_cmd_cb cb, void *arg, uint32_t timeout_ms);
int nvmx_qpair_process(struct nvmx_qpair *qp, unsigned int max);
void nvmx_qpair_scan_timeouts(struct nvmx_qpair *qp, uint64_t now);

/* ctrl.c / admin.c */
void nvmx_ctrl_seterr(struct nvmx_ctrl *ctrl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int nvmx_ctrl_keepalive(struct nvmx_ctrl *ctrl, uint64_t now);
int nvmx_ctrl_arm_aers(struct nvmx_ctrl *ctrl);
int nvmx_ctrl_scan_ns(struct nvmx_ctrl *ctrl);
/* Drive the admin queue if nobody else is (keep-alive from I/O waits). */
void nvmx_ctrl_try_process_admin(struct nvmx_ctrl *ctrl);

static inline uint64_t nvmx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif /* NVMX_HOST_INTERNAL_H */
