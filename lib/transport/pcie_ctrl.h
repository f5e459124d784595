/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An NVMe controller behind a PCIe BAR: register access, controller
 * initialisation (Base 3.5.1), shutdown, reset, NVM subsystem reset, and
 * submission/completion queue pairs with PRP data pointers.  It knows
 * nothing of VFIO (it is given BAR0 as memory and a DMA pool) nor of the
 * host core, so unit tests drive it against a simulated controller in
 * ordinary memory.
 *
 * Threading: a queue is used by one thread at a time (no locks on the I/O
 * path).  The admin queue's synchronous helpers are for bring-up.
 */
#ifndef NVMX_PCIE_CTRL_H
#define NVMX_PCIE_CTRL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "nvmx/spec.h"
#include "transport/pcie_dma.h"

struct nvmx_pcie_ctrl;
struct nvmx_pcie_queue;

/* Completion callback of the standalone command path. */
typedef void (*nvmx_pcie_done_fn)(void *arg, const struct nvmx_cqe *cqe);

/* Per command identifier: its PRP list pages and, when the caller's buffer
 * is not DMA memory, the bounce buffer and where to copy a read back. */
struct nvmx_pcie_trk {
	void *prp_list;
	uint64_t prp_iova;
	void *bounce;
	void *user_buf;
	uint32_t len;
	bool busy;
	bool copy_back;
	nvmx_pcie_done_fn cb;
	void *cb_arg;
	uint64_t seq;			/* submission order, for replay */
	struct nvmx_sqe sqe;		/* as submitted (PRPs set), for replay */
};

struct nvmx_pcie_queue {
	struct nvmx_pcie_ctrl *ctrl;
	uint16_t qid;
	uint16_t depth;			/* entries in SQ and CQ */
	struct nvmx_sqe *sq;
	volatile struct nvmx_cqe *cq;
	uint64_t sq_iova, cq_iova;
	volatile uint32_t *sq_db, *cq_db;
	uint16_t sq_tail;		/* next slot we fill */
	uint16_t sq_db_tail;		/* tail the doorbell last saw */
	uint16_t sq_head;		/* controller's head, from CQE SQHD */
	uint16_t cq_head;
	uint8_t phase;			/* expected phase tag */
	int16_t irq_vector;		/* -1: polled, no interrupt */
	bool created;			/* exists on the controller */
	/* trackers, indexed by CID */
	uint32_t ntrk;
	struct nvmx_pcie_trk *trk;
	uint32_t prp_pages;		/* list pages per tracker */
	void *prp_mem;
	uint16_t *free_cids;		/* stack for the standalone command path */
	uint32_t nfree;
	struct nvmx_dma_arena bounce;	/* single owner: no lock */
	void *bounce_mem;
	uint64_t submit_seq;
	/* Standalone path: nvmx_pcie_submit leaves the SQ doorbell to the
	 * next nvmx_pcie_poll, so a burst of submissions costs one MMIO
	 * write (on a VM every doorbell write is an exit). */
	bool batch_db;
	/* counters (tests, stats) */
	uint64_t cq_db_writes;
	uint64_t sq_db_writes;
};

struct nvmx_pcie_ctrl {
	char name[64];
	volatile uint8_t *bar;
	size_t bar_size;
	uint64_t cap;
	uint32_t vs;
	uint32_t dstrd;
	uint32_t page_size;		/* CC.MPS, bytes */
	uint32_t mps;			/* CC.MPS field */
	uint32_t to_ms;			/* CAP.TO * 500 */
	uint32_t max_xfer;		/* bytes one command may move (MDTS, PRP lists) */
	struct nvmx_dma_pool *dma;
	struct nvmx_pcie_queue adminq;
	atomic_bool dead;		/* CSTS read all ones: device gone */
	/* Called while waiting for the controller (registers or a
	 * completion); NULL sleeps briefly.  Tests run their simulated
	 * controller here. */
	void (*wait_hook)(void *arg);
	void *wait_arg;
	char errmsg[256];
};

/* ---- registers (Base 3.1.3) ---- */

static inline uint32_t nvmx_pcie_rd32(const struct nvmx_pcie_ctrl *c, uint32_t off)
{
	return nvmx_le32_to_cpu(*(const volatile uint32_t *)(c->bar + off));
}

static inline void nvmx_pcie_wr32(struct nvmx_pcie_ctrl *c, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(c->bar + off) = nvmx_cpu_to_le32(v);
}

/* 64-bit registers as two dword accesses, low first (Base 3.1.3: the host
 * may access 64-bit registers as two 32-bit accesses). */
static inline uint64_t nvmx_pcie_rd64(const struct nvmx_pcie_ctrl *c, uint32_t off)
{
	uint64_t lo = nvmx_pcie_rd32(c, off);

	return lo | ((uint64_t)nvmx_pcie_rd32(c, off + 4) << 32);
}

static inline void nvmx_pcie_wr64(struct nvmx_pcie_ctrl *c, uint32_t off, uint64_t v)
{
	nvmx_pcie_wr32(c, off, (uint32_t)v);
	nvmx_pcie_wr32(c, off + 4, (uint32_t)(v >> 32));
}

/* ---- controller ---- */

/* Read CAP/VS, choose the page size; no register is written. */
int nvmx_pcie_ctrl_init(struct nvmx_pcie_ctrl *c, void *bar, size_t bar_size,
			struct nvmx_dma_pool *dma, const char *name);
/* Free the admin queue memory (registers untouched). */
void nvmx_pcie_ctrl_fini(struct nvmx_pcie_ctrl *c);

/* CSTS, or -ENODEV (and ctrl dead) when it reads all ones. */
int nvmx_pcie_csts(struct nvmx_pcie_ctrl *c, uint32_t *csts);
/* CC.EN=0 and wait for CSTS.RDY=0 within CAP.TO. */
int nvmx_pcie_ctrl_disable(struct nvmx_pcie_ctrl *c);
/* Allocate (first time) or reset the admin queue; program AQA/ASQ/ACQ.
 * ntrk: command identifiers in use (>= depth).  The controller must be
 * disabled. */
int nvmx_pcie_ctrl_setup_admin(struct nvmx_pcie_ctrl *c, uint16_t depth, uint32_t ntrk);
/* The CC value nvmx programs: IOSQES=6, IOCQES=4, MPS, CSS, AMS RR, EN. */
uint32_t nvmx_pcie_cc_value(const struct nvmx_pcie_ctrl *c);
/* Write CC with EN=1 and wait for CSTS.RDY=1 within CAP.TO. */
int nvmx_pcie_ctrl_enable(struct nvmx_pcie_ctrl *c);
/* Wait until (CSTS & mask) == val within timeout_ms. */
int nvmx_pcie_wait_csts(struct nvmx_pcie_ctrl *c, uint32_t mask, uint32_t val, uint32_t timeout_ms);
/* disable, admin queue, enable (Base 3.5.1 steps 1-5). */
int nvmx_pcie_ctrl_bringup(struct nvmx_pcie_ctrl *c, uint16_t admin_depth);
/* Normal shutdown: CC.SHN=01b, wait CSTS.SHST=10b (Base 3.6.1). */
int nvmx_pcie_ctrl_shutdown(struct nvmx_pcie_ctrl *c, uint32_t timeout_ms);
/* NVM Subsystem Reset (Base 3.7.1): -ENOTSUP unless CAP.NSSRS. */
int nvmx_pcie_ctrl_nssr(struct nvmx_pcie_ctrl *c);

/* ---- queues ---- */

/* Allocate an SQ/CQ pair of depth entries with ntrk trackers able to carry
 * max_xfer bytes each, and bounce_bytes of bounce space (0: none). */
int nvmx_pcie_queue_alloc(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q, uint16_t qid,
			  uint16_t depth, uint32_t ntrk, size_t bounce_bytes);
void nvmx_pcie_queue_free(struct nvmx_pcie_queue *q);
/* Empty rings, phase 1, doorbells at 0: the state after a reset; every
 * tracker freed (commands in flight are forgotten). */
void nvmx_pcie_queue_reset(struct nvmx_pcie_queue *q);
/* Empty rings only; trackers (commands in flight) kept for a replay. */
void nvmx_pcie_queue_rewind(struct nvmx_pcie_queue *q);

/* Copy the SQE into the next slot (no doorbell).  -EAGAIN when full. */
int nvmx_pcie_sq_push(struct nvmx_pcie_queue *q, const struct nvmx_sqe *sqe);
/* Ring the SQ tail doorbell if slots were filled since the last ring. */
void nvmx_pcie_sq_ring(struct nvmx_pcie_queue *q);

typedef void (*nvmx_pcie_cqe_fn)(void *arg, struct nvmx_pcie_queue *q, const struct nvmx_cqe *cqe);
/* Consume up to max (0: all) new CQEs by phase tag, calling fn for each,
 * then write the CQ head doorbell once.  Returns the number consumed. */
int nvmx_pcie_cq_process(struct nvmx_pcie_queue *q, unsigned int max, nvmx_pcie_cqe_fn fn,
			 void *arg);

/*
 * Point sqe's PRPs at buf (len bytes) for the command with CID cid: zero
 * copy when buf is DMA memory of the controller's pool, else through the
 * queue's bounce arena (copied in now for a write; copied back by
 * nvmx_pcie_data_done for a read).  -EAGAIN when bounce space is short,
 * -E2BIG beyond max_xfer.
 */
int nvmx_pcie_map_data(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, uint16_t cid,
		       void *buf, uint32_t len, bool to_ctrl);
void nvmx_pcie_data_done(struct nvmx_pcie_queue *q, uint16_t cid);

/* Fill Create I/O CQ / SQ and Delete commands for q (Base 5.4-5.7). */
void nvmx_pcie_fill_create_cq(struct nvmx_sqe *sqe, const struct nvmx_pcie_queue *q);
void nvmx_pcie_fill_create_sq(struct nvmx_sqe *sqe, const struct nvmx_pcie_queue *q);
void nvmx_pcie_fill_delete(struct nvmx_sqe *sqe, uint8_t opc, uint16_t qid);

/* ---- standalone command path (bring-up, tools, tests) ---- */

/* Take a free CID, map the data, queue the SQE and ring the doorbell;
 * cb runs from nvmx_pcie_poll.  -EAGAIN when no CID, slot or bounce
 * space is free. */
int nvmx_pcie_submit(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		     bool to_ctrl, nvmx_pcie_done_fn cb, void *arg);
/* Process completions (up to max, 0: all); returns how many, or -ENODEV
 * once the device is gone. */
int nvmx_pcie_poll(struct nvmx_pcie_queue *q, unsigned int max);

/* Submit on q with a free CID, poll q until its completion or timeout.
 * Returns 0 and *cqe, -ETIMEDOUT, -ENODEV (device gone), or the errno of
 * mapping the data.  The NVMe status is in cqe. */
int nvmx_pcie_exec(struct nvmx_pcie_queue *q, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		   bool to_ctrl, struct nvmx_cqe *cqe, uint32_t timeout_ms);
/* As above on the admin queue; a failing NVMe status becomes -EIO. */
int nvmx_pcie_admin(struct nvmx_pcie_ctrl *c, struct nvmx_sqe *sqe, void *buf, uint32_t len,
		    bool to_ctrl, struct nvmx_cqe *cqe);
/*
 * Controller reset (Base 3.7.2) that loses no command: deliver what has
 * completed, CC.EN 1->0, admin queue reprogrammed, CC.EN=1, the n I/O
 * queues re-created, and every command still in flight on them submitted
 * again once, in its original order, with the same CID and data mapping.
 * Each command's callback runs exactly once.  Admin commands in flight
 * complete with Command Abort Requested.
 */
int nvmx_pcie_ctrl_reset_replay(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue **qs,
				unsigned int n);

/* Create I/O CQ then SQ / delete SQ then CQ, through the admin queue. */
int nvmx_pcie_create_io_queue(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q);
int nvmx_pcie_delete_io_queue(struct nvmx_pcie_ctrl *c, struct nvmx_pcie_queue *q);

#endif /* NVMX_PCIE_CTRL_H */
