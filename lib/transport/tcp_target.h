/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP target side: one connection per NVMe queue (TCP 1.0, 2).
 *
 * The receive path is a state machine fed with whatever bytes arrive
 * (nvmx_tcp_conn_rx), so PDUs split at any byte or packed many to a read
 * are the same to it.  Every header is checked before anything is done
 * with it; a malformed PDU gets a C2HTermReq with the fatal error status
 * the spec names, and the connection, only that one, is closed.
 *
 * Each connection owns a fixed array of request slots (one per SQ entry)
 * with their data buffers, allocated at accept; nothing is allocated per
 * command.  Everything here runs on the connection's own loop thread;
 * completions from other threads (AER) arrive through the loop's mailbox.
 */
#ifndef NVMX_TRANSPORT_TCP_TARGET_H
#define NVMX_TRANSPORT_TCP_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "target/core.h"

#define NVMX_TCP_SLOTS		(NVMX_TGT_MQES + 1)
#define NVMX_TCP_MAXH2CDATA	NVMX_TGT_MAX_XFER
#define NVMX_TCP_RBUF		(64 * 1024)
#define NVMX_TCP_SLOT_IOV	6

enum nvmx_tcp_rx_state {
	NVMX_RX_CH,		/* common header */
	NVMX_RX_PSH,		/* rest of the header and its digest */
	NVMX_RX_PAD,		/* PDO padding */
	NVMX_RX_DATA,
	NVMX_RX_DDGST,
	NVMX_RX_DEAD,		/* fatal error seen: input is discarded */
};

enum nvmx_tcp_slot_state {
	NVMX_SLOT_FREE,
	NVMX_SLOT_DATA,		/* receiving in-capsule data */
	NVMX_SLOT_R2T,		/* waiting for H2CData after an R2T */
	NVMX_SLOT_EXEC,		/* with the core (AER waits here) */
	NVMX_SLOT_DELAYED,	/* completion held back by a fault */
	NVMX_SLOT_TX,		/* queued for sending */
};

struct nvmx_tcp_slot {
	struct nvmx_tgt_req req;
	struct nvmx_tcp_conn *conn;
	uint16_t idx;		/* also the TTAG */
	uint8_t state;
	bool r2t_pending;	/* the R2T (not the response) is what is queued */
	bool ddgst_bad;		/* data digest mismatch: fail with transient error */
	uint16_t prep_status;	/* status from prepare, sent once data is drained */
	uint32_t recvd;		/* H2C bytes received so far */
	/* Transmit: PDU headers live here, iovecs point at them and the data. */
	uint8_t hdr[160];	/* C2HData/R2T header + digest + pad, then CapsuleResp */
	uint32_t ddgst;
	struct iovec iov[NVMX_TCP_SLOT_IOV];
	uint8_t niov, iov_cur;
	uint32_t iov_off;
	struct nvmx_tcp_slot *next;	/* free list, tx queue or delayed list */
};

struct nvmx_tgt_loop;

struct nvmx_tcp_conn {
	int ep_kind;			/* first: tells epoll items apart */
	struct nvmx_tgt_queue q;
	int fd;
	struct nvmx_tgt_loop *loop;
	atomic_bool close_req;		/* a close was asked (any thread) */
	bool broken;			/* socket error or fatal protocol error */
	bool closing;			/* TermReq sent, draining input before close */
	uint64_t closing_deadline_ns;
	/* Negotiated by ICReq/ICResp (TCP 3.6.2.2, 3.6.2.3). */
	bool ic_done;
	bool hdgst, ddgst;
	uint8_t hpda;
	uint32_t maxr2t;
	/* Receive state. */
	enum nvmx_tcp_rx_state rx_state;
	uint8_t rx_hdr[128 + 4];
	uint32_t rx_have, rx_need;
	uint32_t rx_hlen;		/* hlen + header digest */
	uint32_t rx_pad, rx_datalen;
	uint8_t *rx_dst;
	uint32_t rx_crc;
	uint8_t rx_dgst[4];
	struct nvmx_tcp_slot *rx_slot;
	uint8_t *rbuf;
	/* Slots. */
	struct nvmx_tcp_slot *slots;
	struct nvmx_tcp_slot *free;
	uint8_t *bufs;
	size_t bufs_len;
	/* Transmit queue. */
	struct nvmx_tcp_slot *tx_head, *tx_tail;
	bool want_out;			/* EPOLLOUT armed */
	uint8_t ctl[24 + NVMX_TCP_TERM_DATA_MAX + 128];	/* ICResp or C2HTermReq, sent first */
	uint32_t ctl_len, ctl_off;
	bool shut_wr;
	struct nvmx_tcp_slot *delayed;
	/* Statistics. */
	uint64_t pdus_in, pdus_out, terms_sent;
	uint16_t last_fes;		/* last fatal error status sent (tests) */
	uint32_t last_fei;
	struct nvmx_tcp_conn *next;	/* loop's list */
};

/* A connection on fd (non-blocking, owned from now on). */
struct nvmx_tcp_conn *nvmx_tcp_conn_new(struct nvmx_tgt *t, int fd, struct nvmx_tgt_loop *loop);
void nvmx_tcp_conn_free(struct nvmx_tcp_conn *c);
/* Feed received bytes. */
void nvmx_tcp_conn_rx(struct nvmx_tcp_conn *c, const uint8_t *p, size_t n);
/* Read what the socket has and process it; -1 when the peer is gone. */
int nvmx_tcp_conn_read(struct nvmx_tcp_conn *c);
/* Write what can be written; 0, or -1 on a socket error. */
int nvmx_tcp_conn_flush(struct nvmx_tcp_conn *c);
/* Release delayed completions whose time came; returns the next due time or 0. */
uint64_t nvmx_tcp_conn_timers(struct nvmx_tcp_conn *c, uint64_t now_ns);
/* Hand a completed request to its connection's transmit queue (owner thread). */
void nvmx_tcp_conn_complete_local(struct nvmx_tcp_slot *s);
/* Whether the connection should be torn down now. */
bool nvmx_tcp_conn_done(const struct nvmx_tcp_conn *c, uint64_t now_ns);

/* ---- between the connection's files (conn, rx, tx) ---- */
void nvmx_tcp_slot_free(struct nvmx_tcp_slot *s);
/* Queue the data (C2HData) and response (CapsuleResp) of a completed command. */
void nvmx_tcp_send_resp(struct nvmx_tcp_slot *s);
/* Queue an R2T for the whole transfer of s. */
void nvmx_tcp_send_r2t(struct nvmx_tcp_slot *s);
/* Fatal transport error: C2HTermReq with FES/FEI, stop reading, close soon. */
void nvmx_tcp_fatal(struct nvmx_tcp_conn *c, uint16_t fes, uint32_t fei);
void nvmx_tcp_set_ch(void *p, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen);

/* ---- tcp_target_loop.c ---- */
/* Post work to the loop owning conn (any thread). */
void nvmx_tgt_loop_post_complete(struct nvmx_tgt_loop *l, struct nvmx_tcp_slot *s);
void nvmx_tgt_loop_post_close(struct nvmx_tgt_loop *l, struct nvmx_tcp_conn *c);
/* The loop the calling thread runs, or NULL. */
struct nvmx_tgt_loop *nvmx_tgt_loop_current(void);
void nvmx_tgt_loop_want_out(struct nvmx_tcp_conn *c, bool on);

#endif
