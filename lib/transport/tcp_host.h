/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP host transport internals (NVMe/TCP Transport Specification 1.0,
 * "TCP x.y" below).  Three parts:
 *   tcp_host_rx.c  the receive state machine: bytes in, PDUs out, any split
 *   tcp_host_tx.c  the send queue: every ready PDU in one sendmsg per pass
 *   tcp_host.c     the transport ops: connect, ICReq/ICResp, commands, R2T
 * Only lib/transport/tcp_host*.c and the unit tests include this header.
 */
#ifndef NVMX_TCP_HOST_H
#define NVMX_TCP_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "nvmx/spec.h"

/* ------------------------------------------------------------------ */
/* Receive state machine                                               */
/* ------------------------------------------------------------------ */

#define TCP_RX_HDR_MAX	(128 + NVMX_TCP_DIGEST_LEN)

enum tcp_rx_state {
	TCP_RX_CH,	/* common header, 8 bytes */
	TCP_RX_HDR,	/* rest of the header and its digest */
	TCP_RX_PAD,	/* up to PDO */
	TCP_RX_DATA,	/* DATAL bytes into the destination */
	TCP_RX_DDGST,	/* data digest */
	TCP_RX_DEAD,	/* after an error: nothing more is accepted */
};

struct tcp_rx;

struct tcp_rx_ops {
	/*
	 * A complete header whose common fields and digest are valid.  For a
	 * PDU with data (C2HData), set *dest to where its DATAL bytes go.
	 * Return 0, or a negative errno after tcp_rx_error().
	 */
	int (*header)(void *ctx, struct tcp_rx *rx, uint8_t **dest);
	/* The whole PDU arrived (data digest checked).  0 or -errno. */
	int (*done)(void *ctx, struct tcp_rx *rx);
};

struct tcp_rx {
	/* Negotiated (ICResp). */
	bool hdgst, ddgst;
	bool ic_done;		/* before it, only ICResp is expected */
	bool pause;		/* set by ops->done: stop feeding after this PDU */
	const struct tcp_rx_ops *ops;
	void *ctx;

	enum tcp_rx_state state;
	uint8_t hdr[TCP_RX_HDR_MAX];
	uint32_t got, need;	/* progress in the current section */
	uint8_t type, flags, hlen, pdo;
	uint32_t plen;
	uint32_t datal;		/* data bytes of this PDU */
	uint8_t *dest;
	uint32_t crc;
	uint8_t dgst[NVMX_TCP_DIGEST_LEN];	/* received DDGST */
	uint8_t term[NVMX_TCP_TERM_DATA_MAX];
	uint64_t copied;	/* data bytes copied by tcp_rx_feed (statistics) */

	/* The first error: errno, TermReq FES/FEI to send (0: none), text. */
	int err;
	uint16_t fes;
	uint32_t fei;
	char msg[200];
};

void tcp_rx_init(struct tcp_rx *rx, const struct tcp_rx_ops *ops, void *ctx);
/* Consume up to len bytes; *used says how many (fewer than len only when
 * ops->done set rx->pause, to be resumed later with the rest).  0, or the
 * first error (the machine is then DEAD). */
int tcp_rx_feed(struct tcp_rx *rx, const uint8_t *buf, size_t len, size_t *used);
/* In DATA state: where the next data bytes go and how many remain, so a
 * reader can receive straight into the destination. */
bool tcp_rx_data_want(const struct tcp_rx *rx, uint8_t **p, uint32_t *len);
/* n bytes were placed at the pointer tcp_rx_data_want gave. */
int tcp_rx_data_advance(struct tcp_rx *rx, uint32_t n);
/* Record an error (first one wins); returns err. */
int tcp_rx_error(struct tcp_rx *rx, int err, uint16_t fes, uint32_t fei, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ------------------------------------------------------------------ */
/* Send queue                                                          */
/* ------------------------------------------------------------------ */

#define TCP_TX_IOV	5	/* header+HDGST, pad, data, DDGST */

struct tcp_tx {
	struct tcp_tx *next;
	struct iovec iov[TCP_TX_IOV];
	int iovcnt;
	size_t total, sent;
	uint16_t cid;
	uint8_t kind;		/* enum tcp_tx_kind */
};

enum tcp_tx_kind {
	TCP_TX_CMD,
	TCP_TX_H2C,
	TCP_TX_OTHER,
};

struct tcp_txq {
	struct tcp_tx *head, *tail;
	unsigned int nr;
};

void tcp_txq_push(struct tcp_txq *q, struct tcp_tx *t);
/* Take a PDU out of the queue if none of it went out yet; false if it did. */
bool tcp_txq_unqueue(struct tcp_txq *q, struct tcp_tx *t);
/*
 * Send what is queued with as few sendmsg calls as possible (one when the
 * socket takes it all).  done(ctx, t) runs for each PDU fully sent, and may
 * push more.  Returns bytes sent (>= 0), or -errno on a socket error.
 */
ssize_t tcp_txq_flush(struct tcp_txq *q, int fd, void (*done)(void *ctx, struct tcp_tx *t),
		      void *ctx);

#endif /* NVMX_TCP_HOST_H */
