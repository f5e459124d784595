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
#define NVMX_MAX_AERS		16	/* AERs kept outstanding, at most AERL+1 */
#define NVMX_MAX_ABORTS		8	/* Aborts outstanding, at most ACL+1 */
#define NVMX_AEN_QUEUE		16	/* AER completions waiting for their log page */
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
	bool abort_sent;		/* recovery: an Abort for it went out */
	uint8_t retries;		/* recovery: times resubmitted */
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
	bool recovering;		/* link gone, commands parked until reconnect */
	atomic_uint busy;		/* the owning thread is inside the core */
	atomic_bool hold;		/* the recovery works on it: keep out */
	atomic_int cancel_err;		/* the recovery asks: fail all with this */
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
	/* Asynchronous events (aer.c) */
	uint32_t aec;			/* Async Event Configuration in force */
	bool aer_unsupported;		/* AER answered Invalid Opcode + DNR */
	bool aer_stop;			/* AER Limit Exceeded: post no more */
	uint32_t aen_queue[NVMX_AEN_QUEUE];	/* DW0s waiting for their log page */
	unsigned int aen_head, aen_count;
	uint64_t last_err_count;	/* newest error log entry reported */
	/* Health (health.c) */
	struct nvmx_health health;
	uint8_t cw_reported;		/* critical-warning bits already reported */
	uint64_t next_health_ns;
	/* Recovery (recovery.c) */
	bool in_admin_work;
	atomic_bool failfast;		/* fast_io_fail_tmo passed (read by I/O threads) */
	int recovery_reason;
	uint64_t loss_start_ns;		/* when the controller was last lost */
	uint64_t next_connect_ns;
	unsigned int reconnects;
	unsigned int failed_attempts;	/* since the controller was lost */
	uint32_t connect_tmo_ms;	/* bound of each step of a connection attempt, 0: transport's */
	struct nvmx_abort_slot {
		struct nvmx_ctrl *ctrl;
		uint16_t qid, cid;	/* of the command aborted (its qp may go) */
		uint8_t opcode;
		bool busy;
	} aborts[NVMX_MAX_ABORTS];
};

static inline bool nvmx_ctrl_recovery_on(const struct nvmx_ctrl *ctrl)
{
	return !ctrl->opts.no_recovery && !ctrl->discovery;
}

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

/* Park every in-flight request at the head of the software queue for
 * resubmission (retry count bumped; past max, or DNR, they complete with
 * err); the queue pair then takes submissions but sends nothing. */
void nvmx_qpair_park(struct nvmx_qpair *qp, int err);
/* Complete every queued and in-flight command with err (quietly). */
void nvmx_qpair_cancel(struct nvmx_qpair *qp, int err);
/* The link is back: send what is parked. */
void nvmx_qpair_resume(struct nvmx_qpair *qp);

/* qpair.c: recovery <-> owning thread handshake */
extern _Thread_local struct nvmx_ctrl *nvmx_tl_recovery;
bool nvmx_in_qpair(void);
int nvmx_qpair_fd_get(struct nvmx_qpair *qp);

/* aer.c (nvmx_ctrl_arm_aers below) */
void nvmx_ns_diff_events(struct nvmx_ctrl *ctrl, const struct nvmx_ns_info *old,
			 unsigned int nold, const uint32_t *changed, unsigned int nchanged);
struct nvmx_ns_info *nvmx_ns_snapshot(const struct nvmx_ctrl *ctrl, unsigned int *n);
void nvmx_aen_work(struct nvmx_ctrl *ctrl);

/* health.c */
void nvmx_health_decode(const struct nvmx_smart_log *log, struct nvmx_health *h);
int nvmx_health_read(struct nvmx_ctrl *ctrl, bool rae, struct nvmx_health *h);

/* recovery.c */
/* A command expired (qpair.c's deadline scan, recovery on). */
void nvmx_recovery_expired(struct nvmx_qpair *qp, struct nvmx_req *r, uint64_t now);
/* Something broke (connection lost, admin timeout, keep-alive failure,
 * CSTS.CFS): LIVE -> RESETTING; the admin work does the rest. */
void nvmx_ctrl_error_recovery(struct nvmx_ctrl *ctrl, int reason, const char *msg);
/* Admin queue driving: completions, keep-alive, events, health, recovery. */
int nvmx_ctrl_admin_work(struct nvmx_ctrl *ctrl, bool blocking);

/* logpage.c: RAE as asked on the last piece (the AER owner clears) */
int nvmx_get_log_rae(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint64_t offset,
		     void *buf, uint32_t len, bool rae);

/* ctrl.c / admin.c */
int nvmx_ctrl_bring_up(struct nvmx_ctrl *ctrl);
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

/* The same clock at tick resolution (1-4 ms), for command deadlines on
 * the I/O path: a third of the cost of a full read, and timeouts are
 * counted in seconds.  It lags nvmx_now_ns() by at most a tick, so the
 * two may be compared where a tick does not matter. */
static inline uint64_t nvmx_now_coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif /* NVMX_HOST_INTERNAL_H */
