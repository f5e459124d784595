/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libnvmx: the host API.
 *
 * Objects
 *   struct nvmx_ctrl   one controller (an association, in fabrics terms):
 *                      the admin queue, identify data, namespaces, state.
 *   struct nvmx_qpair  one I/O submission/completion queue pair.  Over
 *                      NVMe/TCP each queue pair is its own TCP connection.
 *
 * Thread model
 *   A queue pair is used by one thread at a time: submit and poll on it from
 *   the same thread (or hand it over with your own synchronisation).  Nothing
 *   on the I/O path takes a lock or allocates memory: every queue pair
 *   preallocates its request objects.  The admin queue is guarded by its own
 *   lock, so one thread may drive it (nvmx_ctrl_process_admin, admin
 *   commands) while other threads run I/O on their queue pairs.
 *   While the controller recovers (reset, reconnect), the recovery keeps
 *   I/O threads out of its queue pairs for the moment it works on them:
 *   a submission then returns -EAGAIN (try again) and a poll returns 0;
 *   commands already submitted wait and are resubmitted.  A queue pair's
 *   fd changes across a reconnect: fetch it again after the state event
 *   to LIVE.
 *
 * Progress
 *   Nothing happens behind the caller's back: submitted commands are sent,
 *   and completions delivered, from nvmx_qpair_poll() (I/O) and
 *   nvmx_ctrl_process_admin() (admin queue, keep-alive, asynchronous events,
 *   timeout scan).  Call them while work is in flight; when idle, sleep in
 *   poll()/epoll on nvmx_qpair_fd() / nvmx_ctrl_fd() instead of spinning.
 *   The blocking helpers (nvmx_*_sync) do all of this for the caller.
 *   Keep-alive goes out from nvmx_ctrl_process_admin(): call it at least
 *   every keep_alive_tmo/2 seconds or the controller will drop the
 *   association (blocking waits on any queue call it for you).
 *
 * Errors
 *   Functions return 0 or a negative errno.  Functions that run one NVMe
 *   command and wait return, in addition, a positive NVMe status when the
 *   controller completed the command with an error: the 15-bit status field
 *   of the CQE (DW3 bits 31:17): SC in bits 7:0, SCT in 10:8, CRD 12:11,
 *   More 13, DNR 14 -- the same value nvme-cli prints.  nvmx_result_str()
 *   names it.
 */
#ifndef NVMX_NVMX_H
#define NVMX_NVMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvmx/spec.h"
#include "nvmx/spec_names.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nvmx_ctrl;
struct nvmx_qpair;

/* ------------------------------------------------------------------ */
/* Transport IDs                                                       */
/* ------------------------------------------------------------------ */

/* Transport types and address families take the Discovery Log Page's
 * values (spec_fabrics.h: NVMX_TRTYPE_TCP = 3, NVMX_ADRFAM_IPV4 = 1,
 * NVMX_ADRFAM_IPV6 = 2); PCIe, which has no TRTYPE, gets 256 as in SPDK. */
#define NVMX_TRTYPE_NONE	0
#define NVMX_TRTYPE_PCIE	256
#define NVMX_ADRFAM_NONE	0

#define NVMX_TRADDR_MAX		255
#define NVMX_TRSVCID_MAX	31
#define NVMX_DEFAULT_TCP_PORT	4420
#define NVMX_DISCOVERY_NQN	"nqn.2014-08.org.nvmexpress.discovery"

/*
 * Where a controller is.  For TCP: traddr is an IPv4 or IPv6 literal
 * (without brackets), trsvcid the port as a decimal string, subnqn the
 * subsystem.  For PCIe: traddr is the canonical "DDDD:BB:DD.F" address.
 */
struct nvmx_trid {
	int trtype;		/* NVMX_TRTYPE_TCP, NVMX_TRTYPE_PCIE */
	int adrfam;		/* NVMX_ADRFAM_IPV4/IPV6 (TCP) */
	char traddr[NVMX_TRADDR_MAX + 1];
	char trsvcid[NVMX_TRSVCID_MAX + 1];
	char subnqn[NVMX_NQN_MAX + 1];
};

/*
 * Parse a transport ID.  Accepted forms:
 *   tcp://HOST[:PORT][/SUBNQN]        HOST an IPv4 literal or [IPv6]; port 4420
 *                                     when omitted; no SUBNQN means discovery
 *   pcie://DOMAIN:BUS:DEV.FN          hex, e.g. pcie://0000:01:00.0
 *   trtype:TCP adrfam:IPv4 traddr:A trsvcid:P subnqn:N   (SPDK's form,
 *                                     keys in any order, case-insensitive)
 * On error returns -EINVAL and, when err is not NULL, writes a message that
 * names the offending part (e.g. "bad port '99999': not in 1..65535").
 */
int nvmx_trid_parse(struct nvmx_trid *trid, const char *str, char *err, size_t errlen);

/* Print as "tcp://HOST:PORT/SUBNQN" or "pcie://DDDD:BB:DD.F".  Returns the
 * length snprintf would have written, or a negative errno. */
int nvmx_trid_format(const struct nvmx_trid *trid, char *buf, size_t len);

/* Print in SPDK's "trtype:TCP adrfam:IPv4 traddr:... " form. */
int nvmx_trid_format_spdk(const struct nvmx_trid *trid, char *buf, size_t len);

const char *nvmx_trtype_str(int trtype);

/* ------------------------------------------------------------------ */
/* Controller state and events                                         */
/* ------------------------------------------------------------------ */

/* The controller state machine (as Linux's nvme_ctrl_state):
 *   NEW -> CONNECTING -> LIVE
 *   LIVE -> RESETTING -> CONNECTING -> LIVE
 *   any (but DEAD) -> DELETING;  failures -> DEAD.
 * One transition table guards every change (see nvmx_ctrl_state_allowed). */
enum nvmx_ctrl_state {
	NVMX_CTRL_NEW = 0,
	NVMX_CTRL_CONNECTING,
	NVMX_CTRL_LIVE,
	NVMX_CTRL_RESETTING,
	NVMX_CTRL_DELETING,
	NVMX_CTRL_DEAD,
};

const char *nvmx_ctrl_state_str(enum nvmx_ctrl_state s);
/* Whether the transition table allows from -> to. */
bool nvmx_ctrl_state_allowed(enum nvmx_ctrl_state from, enum nvmx_ctrl_state to);

enum nvmx_event_type {
	NVMX_EVENT_STATE,	/* state changed: u.state */
	NVMX_EVENT_AEN,		/* asynchronous event: u.aen */
	NVMX_EVENT_TIMEOUT,	/* a command passed its deadline: u.cmd */
	NVMX_EVENT_QPAIR_ERROR,	/* a queue pair failed (connection lost, bad PDU): u.qerr */
	/* Decoded asynchronous events (lib/host/aer.c), each after the raw
	 * NVMX_EVENT_AEN and after the log page was read: */
	NVMX_EVENT_NS_CHANGED,	/* a namespace appeared, went or changed: u.ns */
	NVMX_EVENT_SMART,	/* SMART/health event; health refreshed: u.smart */
	NVMX_EVENT_ERROR_LOG,	/* error event; newest error log entry: u.errlog */
	NVMX_EVENT_FW_ACTIVATION, /* Firmware Activation Starting: u.aen */
	NVMX_EVENT_ANA_CHANGE,	/* ANA group state (one per group): u.ana */
	/* Recovery (lib/host/recovery.c): */
	NVMX_EVENT_ABORT,	/* an Abort for a timed-out command completed: u.abort */
	NVMX_EVENT_RESET,	/* a controller reset / reconnect began: u.reset */
};

enum nvmx_ns_change {
	NVMX_NS_ADDED,
	NVMX_NS_REMOVED,
	NVMX_NS_RESIZED,
	NVMX_NS_ATTR,		/* listed as changed, size unchanged */
};

struct nvmx_event {
	enum nvmx_event_type type;
	union {
		struct {
			enum nvmx_ctrl_state old_state, new_state;
		} state;
		struct {
			uint32_t dw0;		/* CQE DW0 of the AER */
			uint8_t type;		/* Asynchronous Event Type, bits 2:0 */
			uint8_t info;		/* Asynchronous Event Information, 15:8 */
			uint8_t log_page;	/* Log Page Identifier, 23:16 */
		} aen;
		struct {
			uint16_t qid, cid;
			uint8_t opcode;
			uint32_t timeout_ms;
		} cmd;
		struct {
			uint16_t qid;
			int err;		/* negative errno */
			const char *msg;	/* valid during the callback */
		} qerr;
		struct {
			uint32_t nsid;
			enum nvmx_ns_change change;
			uint64_t old_nsze, new_nsze;	/* blocks */
		} ns;
		struct {
			uint8_t info;		/* AEN info: 0 reliability, 1 temperature, 2 spare */
			uint8_t critical_warning;	/* NVMX_CW_* bits now set */
			uint8_t new_bits;	/* bits not reported before */
		} smart;
		struct {
			uint8_t info;		/* AEN info (Base Figure 147) */
			uint64_t error_count;	/* newest entry's */
			uint16_t sqid, cid, status;	/* status without phase */
			uint32_t nsid;
			uint64_t lba;
			unsigned int new_entries;
		} errlog;
		struct {
			uint32_t grpid;
			uint8_t state;		/* NVMX_ANA_* */
			uint32_t nnsids;
		} ana;
		struct {
			uint16_t qid, cid;	/* the command that timed out */
			uint8_t opcode;
			bool aborted;		/* the controller says it aborted it */
			int result;		/* of the Abort command (nvmx_cpl_result) */
		} abort;
		struct {
			int reason;		/* negative errno: -ETIMEDOUT, -ECONNRESET, 0 on request */
			const char *msg;	/* valid during the callback */
		} reset;
	} u;
};

/* Called from the thread that drives the admin queue (or the failing queue
 * pair's poll) for every state change and event. */
typedef void (*nvmx_event_cb)(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg);

/* ------------------------------------------------------------------ */
/* Controller options (names and defaults of the Linux host)          */
/* ------------------------------------------------------------------ */

struct nvmx_ctrl_opts {
	/* sizeof(struct nvmx_ctrl_opts) as the caller compiled it; fields past
	 * it take their defaults, so the struct can grow. */
	size_t opts_size;
	unsigned int nr_io_queues;	/* default: online CPUs; capped by the controller */
	unsigned int queue_size;	/* I/O queue entries, default 128 */
	int keep_alive_tmo;		/* seconds, default 5; 0 disables keep-alive */
	char hostnqn[NVMX_NQN_MAX + 1];	/* "" -> /etc/nvme/hostnqn or generated */
	char hostid[37];		/* UUID text; "" -> /etc/nvme/hostid or derived */
	bool hdr_digest;		/* NVMe/TCP header digest, default off */
	bool data_digest;		/* NVMe/TCP data digest, default off */
	/* Reconnect policy, kept for the recovery code (not acted on yet:
	 * a lost admin connection makes the controller DEAD). */
	int reconnect_delay;		/* seconds, default 10 */
	int ctrl_loss_tmo;		/* seconds, default 600; -1 forever */
	int fast_io_fail_tmo;		/* seconds, default -1 (off) */
	unsigned int admin_timeout_ms;	/* default 60000 */
	unsigned int io_timeout_ms;	/* default 30000 */
	nvmx_event_cb event_cb;		/* may be NULL */
	void *event_arg;
	/* Added for events and recovery (defaults when the caller's struct is
	 * older): */
	unsigned int max_aers;		/* AERs kept outstanding; 0 -> AERL+1 (at most 16) */
	unsigned int health_period_ms;	/* re-read SMART/health this often; 0 (default) off */
	unsigned int max_retries;	/* resubmissions per command after abort/reset, default 5 */
	bool no_recovery;		/* true: timeouts are only reported and a lost
					 * connection fails the controller (old behaviour) */
	/* Linux's --disable-sqflow: I/O queues ask the controller to skip SQ
	 * flow control (Connect CATTR DISSQFC), so a read may complete with
	 * its last C2HData (SUCCESS flag) and no CapsuleResp.  Default off:
	 * a controller that does not support it may refuse the Connect. */
	bool disable_sqflow;
};

/* Fill opts with the defaults.  size is sizeof(*opts). */
void nvmx_ctrl_opts_init(struct nvmx_ctrl_opts *opts, size_t size);

/* The default host NQN: /etc/nvme/hostnqn when present (as nvme-cli), else
 * "nqn.2014-08.org.nvmexpress:uuid:<uuid>" with the default host ID. */
int nvmx_default_hostnqn(char *buf, size_t len);
/* The default host ID: /etc/nvme/hostid, else the UUID in /etc/nvme/hostnqn,
 * else derived from /etc/machine-id, else random (for this process). */
int nvmx_default_hostid(char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Connect / disconnect, identify, namespaces                          */
/* ------------------------------------------------------------------ */

/*
 * Connect to a controller and bring it to LIVE: transport connect (TCP:
 * ICReq/ICResp + Fabrics Connect), read CAP/VS, enable (CC.EN=1, CSTS.RDY
 * within CAP.TO), Identify Controller, Set Features Number of Queues,
 * namespace scan, asynchronous event requests.  opts may be NULL (defaults).
 */
int nvmx_ctrl_connect(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts,
		      struct nvmx_ctrl **ctrlp);

/* Orderly shutdown (CC.SHN) and disconnect; frees the controller.  Every
 * queue pair must have been freed before. */
int nvmx_ctrl_disconnect(struct nvmx_ctrl *ctrl);

enum nvmx_ctrl_state nvmx_ctrl_get_state(const struct nvmx_ctrl *ctrl);
const struct nvmx_id_ctrl *nvmx_ctrl_identify(const struct nvmx_ctrl *ctrl);
const struct nvmx_trid *nvmx_ctrl_trid(const struct nvmx_ctrl *ctrl);
uint64_t nvmx_ctrl_cap(const struct nvmx_ctrl *ctrl);	/* CAP register */
uint32_t nvmx_ctrl_vs(const struct nvmx_ctrl *ctrl);	/* VS register */
uint16_t nvmx_ctrl_cntlid(const struct nvmx_ctrl *ctrl);
/* Largest data transfer of one command, in bytes (MDTS and the transport). */
uint32_t nvmx_ctrl_max_xfer(const struct nvmx_ctrl *ctrl);
/* Number of I/O queues granted by the controller. */
unsigned int nvmx_ctrl_max_io_queues(const struct nvmx_ctrl *ctrl);
/* Last error message recorded on the controller ("" if none). */
const char *nvmx_ctrl_errmsg(const struct nvmx_ctrl *ctrl);

struct nvmx_ns_info {
	uint32_t nsid;
	uint32_t block_size;	/* bytes per logical block (LBA data size) */
	uint32_t md_size;	/* metadata bytes per block */
	uint64_t nsze;		/* size in blocks */
	uint64_t ncap;		/* capacity in blocks */
	uint64_t nuse;
	uint8_t nguid[16];
	uint8_t eui64[8];
	uint8_t uuid[16];
	bool has_nguid, has_eui64, has_uuid;
};

/* Active namespaces, ascending NSID. */
unsigned int nvmx_ctrl_num_ns(const struct nvmx_ctrl *ctrl);
const struct nvmx_ns_info *nvmx_ctrl_ns_at(const struct nvmx_ctrl *ctrl, unsigned int idx);
const struct nvmx_ns_info *nvmx_ctrl_ns(const struct nvmx_ctrl *ctrl, uint32_t nsid);
/* Re-read the active namespace list and each namespace's identify data. */
int nvmx_ctrl_rescan_ns(struct nvmx_ctrl *ctrl);

/* ------------------------------------------------------------------ */
/* Health, resets (lib/host/health.c, lib/host/recovery.c)             */
/* ------------------------------------------------------------------ */

/* SMART / Health Information (log page 02h, Base 5.16.1.3), decoded.
 * 128-bit counters saturate at UINT64_MAX. */
struct nvmx_health {
	uint8_t critical_warning;	/* NVMX_CW_* bits */
	uint16_t temperature_k;		/* composite temperature, kelvin */
	int temperature_c;		/* the same in degrees Celsius */
	uint16_t sensor_k[8];		/* temperature sensors 1..8, 0 = not reported */
	uint8_t available_spare;	/* percent */
	uint8_t spare_threshold;	/* percent */
	uint8_t percentage_used;
	uint64_t data_units_read, data_units_written;	/* 1000 x 512 bytes */
	uint64_t host_reads, host_writes;
	uint64_t power_cycles, power_on_hours, unsafe_shutdowns;
	uint64_t media_errors;		/* media and data integrity errors */
	uint64_t error_log_entries;
	uint64_t refreshed_ns;		/* CLOCK_MONOTONIC of the read, 0 = never */
};

/* The last health read (at connect, on SMART events, every
 * health_period_ms).  -ENODATA when never read. */
int nvmx_ctrl_health(struct nvmx_ctrl *ctrl, struct nvmx_health *h);
/* Read the SMART/health log now (with Retain Asynchronous Event set, so
 * it never consumes an event) and return it decoded. */
int nvmx_ctrl_health_refresh(struct nvmx_ctrl *ctrl, struct nvmx_health *h);
/* Name of one critical-warning bit (0..7), e.g. "temperature". */
const char *nvmx_cw_bit_name(unsigned int bit);
/* The set bits by name, comma-separated ("" for none). */
int nvmx_cw_str(uint8_t cw, char *buf, size_t len);

/*
 * Controller reset on request: tear the queues down (fabrics: close the
 * connections; CC.EN 1->0 first when the controller still answers), bring
 * the controller up again, re-create every I/O queue pair and resubmit
 * what was in flight.  Waits until LIVE (0) or DEAD (negative errno).
 */
int nvmx_ctrl_reset(struct nvmx_ctrl *ctrl);
/* NVM Subsystem Reset (NSSR = "NVMe", Base 3.7.1) when CAP.NSSRS is set,
 * then the same recovery as a reset.  -EOPNOTSUPP without NSSRS. */
int nvmx_ctrl_subsystem_reset(struct nvmx_ctrl *ctrl);

/* The admin queue's file descriptor for poll()/epoll (readable when
 * something arrived). */
int nvmx_ctrl_fd(const struct nvmx_ctrl *ctrl);

/*
 * Drive the admin queue: send queued admin commands, reap completions
 * (admin callbacks and asynchronous events run from here: the event's log
 * page is read, acted on, the AER re-armed), send Keep Alive when due
 * (every KATO/2), detect expired deadlines, refresh health when due, and
 * run the recovery (reset, reconnect every reconnect_delay) while the
 * controller is RESETTING or CONNECTING.  Returns the number of completions
 * processed, 0 while recovering, or a negative errno when the controller is
 * DEAD.  Recovery re-creates every queue pair of the controller: do not
 * poll them from other threads meanwhile (stop on NVMX_EVENT_RESET, resume
 * on the state event to LIVE).
 */
int nvmx_ctrl_process_admin(struct nvmx_ctrl *ctrl);

/* ------------------------------------------------------------------ */
/* Queue pairs and commands                                            */
/* ------------------------------------------------------------------ */

/*
 * Completion callback.  cqe is the full completion queue entry (for
 * commands that failed without a CQE -- connection lost, queue deleted --
 * a synthesised one with status Host Pathing Error, and err says why).
 * err is 0 when the transport delivered the CQE, else a negative errno
 * (-ECONNRESET, -ETIMEDOUT, -EPROTO, ...).  A command that was split at
 * MDTS completes once, with the first failing part's CQE.
 */
typedef void (*nvmx_cmd_cb)(void *arg, const struct nvmx_cqe *cqe, int err);

/* The status as the blocking helpers return it: 0, -errno, or >0 NVMe status. */
int nvmx_cpl_result(const struct nvmx_cqe *cqe, int err);
/* Name an NVMe status (the >0 value above), e.g. "LBA Out of Range";
 * negative values are named with strerror. */
const char *nvmx_result_str(int result);

/* Allocate an I/O queue pair of depth entries (0: opts.queue_size). */
int nvmx_qpair_alloc(struct nvmx_ctrl *ctrl, unsigned int depth, struct nvmx_qpair **qpp);
/* Free a queue pair; commands still in flight complete with -ECONNABORTED. */
void nvmx_qpair_free(struct nvmx_qpair *qp);
uint16_t nvmx_qpair_id(const struct nvmx_qpair *qp);
/* The queue pair's file descriptor for poll()/epoll. */
int nvmx_qpair_fd(const struct nvmx_qpair *qp);
/* Commands submitted and not completed. */
unsigned int nvmx_qpair_outstanding(const struct nvmx_qpair *qp);
/* Whether the queue pair failed (connection lost, protocol error). */
bool nvmx_qpair_failed(const struct nvmx_qpair *qp);

/*
 * Send what was submitted and process up to max completions (0: no
 * limit).  Completion callbacks run from here.  Returns the number of
 * completions or a negative errno when the queue pair failed.  When it
 * returns max, more may already be buffered: poll again before sleeping on
 * the fd.  Submissions are sent by the next poll, all in one system call.
 */
int nvmx_qpair_poll(struct nvmx_qpair *qp, unsigned int max);

/* Per-command options; pass NULL for the defaults. */
struct nvmx_cmd_opts {
	uint32_t timeout_ms;	/* 0: the controller's io/admin timeout */
};

/*
 * Asynchronous NVM commands.  buf must stay valid until the callback.
 * Lengths follow from nlb and the namespace's block size.  Transfers
 * larger than nvmx_ctrl_max_xfer() are split and complete once.
 * Returns 0 when queued, -EINVAL for bad arguments (zero blocks, unknown
 * namespace, range beyond 32 bits of NLB), -EAGAIN when the queue pair
 * has no free request, -ENOTCONN when it failed.
 */
int nvmx_ns_read(struct nvmx_qpair *qp, uint32_t nsid, void *buf, uint64_t slba,
		 uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o);
int nvmx_ns_write(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		  uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o);
int nvmx_ns_compare(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		    uint32_t nlb, nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o);
int nvmx_ns_write_zeroes(struct nvmx_qpair *qp, uint32_t nsid, uint64_t slba, uint32_t nlb,
			 nvmx_cmd_cb cb, void *arg, const struct nvmx_cmd_opts *o);
int nvmx_ns_flush(struct nvmx_qpair *qp, uint32_t nsid, nvmx_cmd_cb cb, void *arg,
		  const struct nvmx_cmd_opts *o);

/* Dataset Management: nr ranges (1..256, wire format of spec_cmd.h) and
 * the attribute bits of CDW11 (NVMX_DSM_AD = Deallocate).  ranges must
 * stay valid until the callback. */
int nvmx_ns_dsm(struct nvmx_qpair *qp, uint32_t nsid, const struct nvmx_dsm_range *ranges,
		unsigned int nr, uint32_t attrs, nvmx_cmd_cb cb, void *arg,
		const struct nvmx_cmd_opts *o);

/* Data direction of a passthrough command. */
enum nvmx_dir {
	NVMX_DIR_NONE = 0,
	NVMX_DIR_TO_CTRL,	/* host to controller (write) */
	NVMX_DIR_FROM_CTRL,	/* controller to host (read) */
};

/*
 * Raw passthrough: the caller builds the SQE (the library sets CID and the
 * data pointer fields).  len bytes of buf move in direction dir.  Raw
 * commands are not split.
 */
int nvmx_qpair_passthru(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
			uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			const struct nvmx_cmd_opts *o);
int nvmx_ctrl_admin_passthru(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
			     uint32_t len, enum nvmx_dir dir, nvmx_cmd_cb cb, void *arg,
			     const struct nvmx_cmd_opts *o);

/* ------------------------------------------------------------------ */
/* Blocking helpers (submit and wait)                                  */
/* ------------------------------------------------------------------ */
/* Each returns 0, a negative errno, or a positive NVMe status; when cqe is
 * not NULL it receives the completion.  They poll the queue (and the admin
 * queue for keep-alive and recovery) until the command completes.  An
 * admin command past its deadline fails the admin queue (-ETIMEDOUT) and,
 * with recovery on, resets the controller.  An I/O command with recovery
 * on is never given up by the wait: it is aborted, reset and resubmitted
 * (max_retries), or fails when the controller is DEAD (ctrl_loss_tmo) or
 * after fast_io_fail_tmo (-ENOTCONN).  With no_recovery, an I/O deadline
 * fails the queue pair (its connection closed) so that the caller's buffer
 * is never written after the call returns: -ETIMEDOUT. */
int nvmx_admin_sync(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
		    uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe);
int nvmx_io_sync(struct nvmx_qpair *qp, const struct nvmx_sqe *sqe, void *buf,
		 uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe);
int nvmx_ns_read_sync(struct nvmx_qpair *qp, uint32_t nsid, void *buf, uint64_t slba,
		      uint32_t nlb, struct nvmx_cqe *cqe);
int nvmx_ns_write_sync(struct nvmx_qpair *qp, uint32_t nsid, const void *buf, uint64_t slba,
		       uint32_t nlb, struct nvmx_cqe *cqe);
/* Identify (CNS, CNTID/NSID) into a 4096-byte buffer. */
int nvmx_identify_sync(struct nvmx_ctrl *ctrl, uint8_t cns, uint32_t nsid, void *buf4k);
/* Get Log Page, any length (split into pieces the controller accepts),
 * with Retain Asynchronous Event set: reading a log never clears an event
 * the library's AER handling has yet to read. */
int nvmx_get_log_sync(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint64_t offset,
		      void *buf, uint32_t len);
/* The same with a Log Specific Field (LSP, 7 bits) and RAE chosen: with
 * rae false only the last piece clears the event (nvme-cli's --rae=0).
 * offset and len in whole dwords; -EINVAL otherwise. */
int nvmx_get_log_ext_sync(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint8_t lsp,
			  bool rae, uint64_t offset, void *buf, uint32_t len);
int nvmx_get_features_sync(struct nvmx_ctrl *ctrl, uint8_t fid, uint32_t cdw11, uint32_t *dw0);
int nvmx_set_features_sync(struct nvmx_ctrl *ctrl, uint8_t fid, uint32_t cdw11, uint32_t *dw0);
/* Wait until qp has nothing outstanding or timeout_ms passes (-ETIMEDOUT). */
int nvmx_qpair_drain(struct nvmx_qpair *qp, unsigned int timeout_ms);

/* ------------------------------------------------------------------ */
/* Discovery                                                           */
/* ------------------------------------------------------------------ */

/* One Discovery Log Page entry, decoded (NVMe-oF 5.4, log page 70h). */
struct nvmx_disc_entry {
	uint8_t trtype;		/* 3 = TCP */
	uint8_t adrfam;		/* 1 = IPv4, 2 = IPv6 */
	uint8_t subtype;	/* 1 = referral/discovery, 2 = NVM subsystem, 3 = current discovery */
	uint8_t treq;
	uint16_t portid;
	uint16_t cntlid;
	uint16_t asqsz;
	uint16_t eflags;
	uint8_t sectype;	/* TCP security type */
	char trsvcid[33];	/* trailing blanks removed */
	char subnqn[257];
	char traddr[257];
};

/*
 * Connect to the discovery controller at trid (its subnqn is ignored), read
 * the whole discovery log with the generation-counter re-read loop (NVMe-oF
 * 5.4: if GENCTR changed while reading, read again) and return the entries
 * (free with free()).  opts may be NULL.
 */
int nvmx_discover(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts,
		  struct nvmx_disc_entry **entries, unsigned int *nr, uint64_t *genctr);

/*
 * Build a transport ID for a discovery entry.  Behind address translation
 * (QEMU hostfwd, NAT) the advertised address is not reachable: pass
 * traddr/trsvcid to override them (NULL keeps the entry's).
 */
int nvmx_disc_entry_trid(const struct nvmx_disc_entry *e, const char *traddr,
			 const char *trsvcid, struct nvmx_trid *trid);

const char *nvmx_disc_subtype_str(uint8_t subtype);

#ifdef __cplusplus
}
#endif

#endif /* NVMX_NVMX_H */
