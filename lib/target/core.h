/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals of the target: subsystems, namespaces, controllers, queues and
 * requests, shared by the controller emulation (lib/target) and the target
 * side of the transports (lib/transport/tcp_target*).
 *
 * Threads.  Each queue (one TCP connection) is owned by one event loop
 * thread; everything a request touches on the I/O path belongs to that
 * thread or is read-only to it, so the I/O path takes no lock.  Slow paths
 * (Connect, namespace changes, events, control socket) take t->lock or
 * ctrl->lock.  A controller is shared by its queues and freed when the last
 * one lets go of it.
 */
#ifndef NVMX_TARGET_CORE_H
#define NVMX_TARGET_CORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "nvmx/spec.h"
#include "nvmx/target.h"
#include "target/bdev.h"

#define NVMX_TGT_MAX_NSID	1024	/* NN */
#define NVMX_TGT_MQES		127	/* CAP.MQES (0's based): 128 entries per queue */
#define NVMX_TGT_MAX_QUEUES	64	/* I/O queues per controller */
#define NVMX_TGT_MDTS		5	/* 2^5 * 4 KiB = 128 KiB per command */
#define NVMX_TGT_MAX_XFER	(4096u << NVMX_TGT_MDTS)
#define NVMX_TGT_AERL		3	/* 0's based: 4 outstanding AERs */
#define NVMX_TGT_ACL		3	/* 0's based Abort Command Limit */
#define NVMX_TGT_KAS		10	/* Keep Alive granularity, 100 ms units */
#define NVMX_TGT_ERRLOG		64	/* error log entries kept (ELPE + 1) */
#define NVMX_TGT_MAX_CHANGED_NS	1024
#define NVMX_TGT_NSSR_MAGIC	0x4e564d65u	/* "NVMe" */
#define NVMX_TGT_SPARE_THRESH	10	/* percent */
#define NVMX_TGT_FW_REV		"0.1.0"
#define NVMX_TGT_MODEL		"nvmx software target"

enum nvmx_subsys_type { NVMX_SUBSYS_NVM, NVMX_SUBSYS_DISCOVERY };

struct nvmx_tgt_ns {
	uint32_t nsid;
	struct nvmx_bdev *bdev;
	uint8_t nguid[16];
	uint8_t uuid[16];
	uint8_t lba_shift;
	struct nvmx_tgt_ns *graveyard_next;	/* removed, freed with the target */
};

struct nvmx_tgt_counters {
	uint64_t bytes_read, bytes_written;
	uint64_t read_cmds, write_cmds;
};

struct nvmx_tgt_host {
	char nqn[NVMX_NQN_MAX + 1];
};

struct nvmx_tgt_subsys {
	struct nvmx_tgt *t;
	enum nvmx_subsys_type type;
	char nqn[NVMX_NQN_MAX + 1];
	char serial[21];
	char model[41];
	bool allow_any;
	struct nvmx_tgt_host *hosts;
	unsigned nhosts;
	/* Namespaces by NSID-1; loads/stores are atomic so I/O threads can
	 * look up without a lock while the control socket changes the set. */
	struct nvmx_tgt_ns *_Atomic ns[NVMX_TGT_MAX_NSID];
	struct nvmx_tgt_ns *graveyard;
	struct nvmx_tgt_ctrl *ctrls;		/* t->lock */
	struct nvmx_tgt_counters closed;	/* counters of queues gone, t->lock */
	/* Health (SMART) values set from outside. */
	_Atomic int temperature;	/* Kelvin */
	_Atomic int avail_spare;	/* percent */
	_Atomic int crit_warning;	/* bits set from outside */
	struct nvmx_tgt_subsys *next;
};

struct nvmx_tgt_port {
	int ep_kind;			/* first: tells epoll items apart */
	struct nvmx_tgt *t;
	uint16_t portid;
	char traddr[64];
	char trsvcid[32];
	int adrfam;			/* 1 IPv4, 2 IPv6 */
	int listen_fd;
	int bound_port;
	struct nvmx_tgt_subsys **subsys;
	unsigned nsubsys;
	struct nvmx_tgt_port *next;
};

struct nvmx_tgt_faults {
	/* Drop the completion of the next drop_count commands with opcode
	 * drop_opc on admin (drop_admin) or I/O queues. */
	int drop_count;
	int drop_opc;
	bool drop_admin;
	unsigned delay_ms;		/* delay every completion */
	int corrupt_ddgst;		/* corrupt the next N data digests sent */
};

struct nvmx_tgt_loop;
struct nvmx_tgt;

/* Where an event loop's time goes (the `loop_stats` control method, like
 * SPDK's thread_get_stats busy/idle ticks): passes of the loop, those that
 * found nothing, and the time those spent spinning (busy poll) or asleep
 * in epoll.  Everything else is work. */
struct nvmx_tgt_loop_stats {
	uint64_t polls, idle_polls, spin_ns, sleep_ns;
	bool busy_poll;
};
/* Implemented by the transport's loop (tcp_target_loop.c); -ENOENT past
 * the last loop. */
int nvmx_tgt_loop_get_stats(struct nvmx_tgt *t, unsigned idx, struct nvmx_tgt_loop_stats *st);

struct nvmx_tgt {
	pthread_mutex_t lock;
	struct nvmx_tgt_opts opts;
	struct nvmx_tgt_subsys *subsys;	/* NVM subsystems */
	struct nvmx_tgt_subsys *disc;	/* the discovery subsystem */
	struct nvmx_tgt_port *ports;
	uint16_t next_cntlid;
	uint64_t genctr;		/* discovery log generation */
	uint64_t start_ns;		/* for power-on hours */
	pthread_mutex_t fault_lock;	/* faults; taken under any other lock */
	struct nvmx_tgt_faults faults;	/* fault_armed is the fast check */
	atomic_bool fault_armed;
	struct nvmx_tgt_loop *loops;
	unsigned nloops;
	atomic_bool stopping;
	bool started;
	void *control;			/* control socket state */
};

/* Event types and infos of the AER completion DW0 (Base 5.2). */
enum { NVMX_AEN_ERROR = 0, NVMX_AEN_SMART = 1, NVMX_AEN_NOTICE = 2, NVMX_AEN_NTYPES = 3 };

struct nvmx_tgt_errlog_ent {
	uint64_t count;
	uint16_t sqid, cid, status, loc;
	uint64_t lba;
	uint32_t nsid;
};

struct nvmx_tgt_queue;
struct nvmx_tgt_req;

struct nvmx_tgt_ctrl {
	struct nvmx_tgt_subsys *subsys;
	uint16_t cntlid;
	char hostnqn[NVMX_NQN_MAX + 1];
	uint8_t hostid[16];
	atomic_int refs;
	pthread_mutex_t lock;		/* everything below */
	uint32_t cc, csts;
	uint32_t kato_ms;
	uint64_t ka_deadline_ns;	/* 0: keep alive off */
	uint64_t ka_cmds_seen;		/* commands on all queues at the last check */
	bool dead;
	/* Features (Base 5.27.1). */
	uint32_t feat_arb, feat_aec, feat_temp_over, feat_temp_under;
	uint16_t nr_io_queues;		/* granted by Set Features Number of Queues */
	bool nr_queues_set;
	bool wce;
	/* Queues by QID (0 admin). */
	struct nvmx_tgt_queue *queues[NVMX_TGT_MAX_QUEUES + 1];
	/* Asynchronous events. */
	struct nvmx_tgt_req *aer[NVMX_TGT_AERL + 1];
	unsigned naer;
	uint32_t aen_pending[NVMX_AEN_NTYPES];	/* DW0 waiting for an AER, 0 = none */
	bool aen_masked[NVMX_AEN_NTYPES];	/* reported, log not yet read */
	uint8_t smart_reported;		/* critical warning bits already raised */
	/* Logs. */
	struct nvmx_tgt_errlog_ent errlog[NVMX_TGT_ERRLOG];
	uint64_t err_count;
	uint32_t changed_ns[NVMX_TGT_MAX_CHANGED_NS];
	unsigned nchanged;		/* > MAX: list overflowed (FFFFFFFFh) */
	struct nvmx_tgt_ctrl *next;	/* subsys->ctrls, t->lock */
};

/* What the transport does for the core. */
struct nvmx_tgt_queue_ops {
	/* The request is complete (r->cqe filled): send data and response.
	 * May be called from any thread; the transport hands it over. */
	void (*complete)(struct nvmx_tgt_req *r);
	/* Close the connection (any thread; done by the owner). */
	void (*close)(struct nvmx_tgt_queue *q);
};

struct nvmx_tgt_queue {
	struct nvmx_tgt *t;
	const struct nvmx_tgt_queue_ops *ops;
	struct nvmx_tgt_ctrl *ctrl;	/* NULL until Connect */
	uint16_t qid;
	uint16_t size;			/* entries */
	uint16_t sqhd;
	bool sqhd_disabled;		/* Connect CATTR: SQ flow control disabled */
	struct nvmx_tgt_counters stats;	/* owner thread writes, relaxed loads elsewhere */
	uint64_t cmds;
	char peer[64];
};

enum nvmx_tgt_dir { NVMX_DIR_NONE = 0, NVMX_DIR_H2C = 1, NVMX_DIR_C2H = 2 };

struct nvmx_tgt_req {
	struct nvmx_tgt_queue *q;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	uint8_t *buf;			/* the slot's own buffer, NVMX_TGT_BUF bytes */
	void *data;			/* where the data is: buf or backend memory */
	uint32_t xfer_len;		/* bytes the command moves */
	uint8_t dir;			/* enum nvmx_tgt_dir */
	bool dropped;			/* fault: never send the completion */
	uint64_t delay_until_ns;	/* fault: hold the completion until then */
};

/* Bytes of a request slot's buffer: MDTS, and at least in-capsule data. */
#define NVMX_TGT_BUF NVMX_TGT_MAX_XFER

/* ---- core.c: command entry points used by transports ---- */

/*
 * A command has arrived in r->sqe.  Decide its data direction and length
 * (r->dir, r->xfer_len).  Returns 0, or an NVMe status (nvmx_st_make) when
 * the command must be completed at once without moving data.
 */
uint16_t nvmx_tgt_cmd_prepare(struct nvmx_tgt_req *r);
/* The data of an H2C command is in r->data (== r->buf): execute.  Ends with
 * nvmx_tgt_req_complete, now or later (AER). */
void nvmx_tgt_cmd_exec(struct nvmx_tgt_req *r);
/* Complete with a status (nvmx_st_make form) and DW0. */
void nvmx_tgt_req_done(struct nvmx_tgt_req *r, uint16_t status, uint32_t dw0);
/* Fill SQHD/SQID/CID, apply faults, hand to the transport. */
void nvmx_tgt_req_complete(struct nvmx_tgt_req *r);

/* The queue's connection is going away: detach from the controller, drop
 * its AERs, tear the controller down if this was its admin queue. */
void nvmx_tgt_queue_release(struct nvmx_tgt_queue *q);
/* Keep-alive check from the admin queue's owner loop; true if expired. */
bool nvmx_tgt_queue_ka_expired(struct nvmx_tgt_queue *q, uint64_t now_ns);

uint64_t nvmx_now_ns(void);

/* ---- ctrl.c ---- */
struct nvmx_tgt_ctrl *nvmx_tgt_ctrl_new(struct nvmx_tgt_subsys *s, const char *hostnqn,
					const uint8_t hostid[16], uint32_t kato_ms);
void nvmx_tgt_ctrl_put(struct nvmx_tgt_ctrl *c);
/* Close every queue of the controller (it becomes dead). */
void nvmx_tgt_ctrl_kill(struct nvmx_tgt_ctrl *c, const char *why);
struct nvmx_tgt_ctrl *nvmx_tgt_ctrl_find_get(struct nvmx_tgt_subsys *s, uint16_t cntlid);
void nvmx_tgt_ctrl_add_error(struct nvmx_tgt_ctrl *c, const struct nvmx_tgt_req *r, uint16_t status);

/* ---- fabrics.c: Connect, Property Get/Set ---- */
uint16_t nvmx_tgt_fabrics_prepare(struct nvmx_tgt_req *r);
void nvmx_tgt_fabrics_exec(struct nvmx_tgt_req *r);

/* ---- admin.c, identify.c, logpage.c, features.c ---- */
uint16_t nvmx_tgt_admin_prepare(struct nvmx_tgt_req *r);
void nvmx_tgt_admin_exec(struct nvmx_tgt_req *r);
void nvmx_tgt_identify(struct nvmx_tgt_req *r);
void nvmx_tgt_get_log_page(struct nvmx_tgt_req *r);
void nvmx_tgt_get_features(struct nvmx_tgt_req *r);
void nvmx_tgt_set_features(struct nvmx_tgt_req *r);
uint32_t nvmx_tgt_log_len(const struct nvmx_tgt_req *r);
void nvmx_tgt_smart_sum(struct nvmx_tgt_subsys *s, struct nvmx_tgt_counters *out);

/* ---- aer.c ---- */
void nvmx_tgt_aer_submit(struct nvmx_tgt_req *r);
/* Raise an event on one controller / every controller of a subsystem. */
void nvmx_tgt_aen_raise(struct nvmx_tgt_ctrl *c, unsigned type, unsigned info, unsigned lid);
void nvmx_tgt_aen_ns_changed(struct nvmx_tgt_subsys *s, uint32_t nsid);
void nvmx_tgt_aen_smart_check(struct nvmx_tgt_subsys *s);
/* Raise an event on every controller of s (control socket 'aen_raise'). */
void nvmx_tgt_aen_raise_all(struct nvmx_tgt_subsys *s, unsigned type, unsigned info, unsigned lid);
/* The host read log page lid (without RAE): unmask that event type. */
void nvmx_tgt_aen_log_read(struct nvmx_tgt_ctrl *c, unsigned lid, bool rae);
/* Complete outstanding AERs with status (controller reset / teardown). */
void nvmx_tgt_aer_fail_all(struct nvmx_tgt_ctrl *c, uint16_t status);
/* Critical warning bits for this controller (thresholds are per controller). */
uint8_t nvmx_tgt_crit_warning(struct nvmx_tgt_ctrl *c);

/* ---- io.c ---- */
uint16_t nvmx_tgt_io_prepare(struct nvmx_tgt_req *r);
void nvmx_tgt_io_exec(struct nvmx_tgt_req *r);

/* ---- discovery.c ---- */
/* Build the discovery log page for the host into buf (up to len bytes,
 * from offset off); returns the full log size. */
uint32_t nvmx_tgt_discovery_log(struct nvmx_tgt *t, const char *hostnqn,
				uint8_t *buf, uint64_t off, uint32_t len);

/* ---- control.c ---- */
void nvmx_tgt_control_stop(struct nvmx_tgt *t);

/* ---- subsys.c ---- */
bool nvmx_tgt_host_allowed(const struct nvmx_tgt_subsys *s, const char *hostnqn);
struct nvmx_tgt_subsys *nvmx_tgt_subsys_find_locked(struct nvmx_tgt *t, const char *nqn);
static inline struct nvmx_tgt_ns *nvmx_tgt_ns_get(struct nvmx_tgt_subsys *s, uint32_t nsid)
{
	if (nsid == 0 || nsid > NVMX_TGT_MAX_NSID)
		return NULL;
	return atomic_load_explicit(&s->ns[nsid - 1], memory_order_acquire);
}

/* Copy a string into a space-padded fixed field (Identify strings). */
void nvmx_tgt_strpad(char *dst, size_t n, const char *src);

static inline uint16_t nvmx_sc(unsigned sc) { return nvmx_st_make(NVMX_SCT_GENERIC, sc, 1); }
static inline uint16_t nvmx_sc_cmd(unsigned sc) { return nvmx_st_make(NVMX_SCT_CMD_SPECIFIC, sc, 1); }

#endif
