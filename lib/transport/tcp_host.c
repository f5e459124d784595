/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP host transport (NVMe/TCP Transport Specification 1.0, "TCP x.y";
 * NVMe-oF 1.1).  One TCP connection per queue pair: ICReq/ICResp, then
 * Fabrics Connect, then command capsules.  Writes go in-capsule up to the
 * in-capsule data size, else wait for R2T and answer with H2CData PDUs no
 * larger than MAXH2CDATA.  Reads land straight in the caller's buffer.
 * Every PDU from the controller is checked; anything wrong ends the
 * connection with a clear error (and an H2CTermReq where the spec has one).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/internal.h"
#include "transport/tcp_host.h"
#include "util/crc32c.h"
#include "util/trid.h"

#define TCP_RXBUF		(128 * 1024)
#define TCP_DIRECT_MIN		2048	/* data this large is received in place */
/* After a C2HData this large, read PDU headers on their own so that the
 * next payload is received straight into its buffer (no copy); below it,
 * batching many small PDUs per read is cheaper than the copy. */
#define TCP_BIG_DATA		16384
/* Our per-command limit when the controller sets no MDTS (nvmet).  Linux's
 * nvmet rejects commands longer than its MAXH2CDATA (4 MiB) with Data SGL
 * Length Invalid, whatever the direction; 1 MiB stays clear of that and is
 * about what the Linux host sends. */
#define TCP_MAX_XFER		(1024 * 1024)
#define TCP_ADMIN_ICD		8192	/* NVMe-oF 1.1 3.3.1: admin queue ICD */
#define TCP_CONNECT_TMO_MS	10000
#define TCP_RECV_ROUNDS		8

struct tcp_cmd {
	struct tcp_tx tx;
	uint8_t hdr[sizeof(struct nvmx_tcp_cmd) + NVMX_TCP_DIGEST_LEN];
	uint8_t ddgst[NVMX_TCP_DIGEST_LEN];
	uint32_t data_done;	/* bytes received (read) or sent (write) */
	uint32_t r2t_end;	/* end offset of the active R2T */
	uint32_t h2c_len;	/* data bytes of the H2CData PDU being sent */
	uint16_t ttag;
	bool in_capsule;
	bool r2t_active;
	bool tx_busy;		/* a PDU of this command is in the send queue */
	bool resp_deferred;	/* response arrived while tx_busy */
	struct nvmx_cqe cqe;
};

struct tcp_q {
	struct nvmx_qpair *qp;
	struct nvmx_ctrl *ctrl;
	int fd;
	bool hdgst, ddgst;
	bool dead;
	uint8_t cpda;
	uint32_t maxh2cdata;
	uint32_t icd_max;
	struct tcp_rx rx;
	struct tcp_txq txq;
	struct tcp_cmd *cmds;
	uint8_t *rxbuf;
	uint32_t rx_pos, rx_end;	/* bytes received but not parsed yet */
	bool big_data;			/* large C2HData flowing: header-sized reads */
	uint64_t rx_copied, rx_direct;	/* payload bytes copied / received in place */
	unsigned int completions, max;
	struct tcp_tx ctl_tx;	/* ICReq, H2CTermReq */
	uint8_t ctl_buf[sizeof(struct nvmx_tcp_icreq) + NVMX_TCP_TERM_DATA_MAX];
};

static const uint8_t zero_pad[128];

static struct tcp_q *tq(const struct nvmx_qpair *qp) { return qp->tq; }

/* ---- errors ---- */

static void q_drop_tx(struct tcp_q *q)
{
	q->txq.head = q->txq.tail = NULL;
	q->txq.nr = 0;
}

/* End the connection: optional H2CTermReq (TCP 7.4.7), then fail every
 * command of the queue pair. */
static int q_fail(struct tcp_q *q, int err, const char *msg)
{
	if (!q->dead) {
		q->dead = true;
		if (q->rx.fes && (!q->txq.head || q->txq.head->sent == 0)) {
			struct nvmx_tcp_term_req *t = (void *)q->ctl_buf;
			uint32_t n = q->rx.hlen ? q->rx.hlen : sizeof(struct nvmx_tcp_ch);

			if (n > NVMX_TCP_TERM_DATA_MAX)
				n = NVMX_TCP_TERM_DATA_MAX;
			memset(t, 0, sizeof(*t));
			t->ch.pdu_type = NVMX_TCP_H2C_TERM;
			t->ch.hlen = sizeof(*t);
			t->ch.plen = nvmx_cpu_to_le32((uint32_t)sizeof(*t) + n);
			t->fes = nvmx_cpu_to_le16(q->rx.fes);
			nvmx_put_le32(&t->fei, q->rx.fei);
			memcpy(q->ctl_buf + sizeof(*t), q->rx.hdr, n);
			if (send(q->fd, q->ctl_buf, sizeof(*t) + n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				nvmx_debug("H2CTermReq not sent: %s", strerror(errno));
		}
		shutdown(q->fd, SHUT_RDWR);
		q_drop_tx(q);
	}
	nvmx_qpair_fail(q->qp, err, msg);
	return err;
}

/* ---- completion ---- */

static int q_complete(struct tcp_q *q, const struct nvmx_cqe *cqe)
{
	struct tcp_cmd *c = &q->cmds[nvmx_le16_to_cpu(cqe->cid)];

	c->r2t_active = false;
	c->resp_deferred = false;
	q->completions++;
	/* nvmx_qpair_poll(qp, max): stop parsing once max completions ran. */
	if (q->max && q->completions >= q->max)
		q->rx.pause = true;
	return nvmx_qpair_complete(q->qp, cqe);
}

/* ---- send side ---- */

static void h2c_next(struct tcp_q *q, uint16_t cid);

static void tx_done(void *ctx, struct tcp_tx *t)
{
	struct tcp_q *q = ctx;
	struct tcp_cmd *c;

	if (t->kind == TCP_TX_OTHER)
		return;
	c = &q->cmds[t->cid];
	c->tx_busy = false;
	if (t->kind == TCP_TX_H2C) {
		c->data_done += c->h2c_len;
		if (c->data_done == c->r2t_end)
			c->r2t_active = false;
	}
	if (c->resp_deferred) {
		struct nvmx_cqe cqe = c->cqe;

		q_complete(q, &cqe);
		return;
	}
	if (c->r2t_active)
		h2c_next(q, t->cid);
}

static void set_hdgst(struct tcp_q *q, uint8_t *hdr, unsigned int hlen)
{
	if (q->hdgst)
		nvmx_put_le32(hdr + hlen, nvmx_crc32c(hdr, hlen));
}

/* Fill the iovecs of a PDU: header(+HDGST), pad to PDO, data, DDGST. */
static void tx_fill(struct tcp_q *q, struct tcp_tx *t, uint8_t *hdr, unsigned int hlen,
		    unsigned int pdo, void *data, uint32_t len, uint8_t *ddgst)
{
	unsigned int hd = q->hdgst ? NVMX_TCP_DIGEST_LEN : 0;
	int n = 0;

	t->iov[n].iov_base = hdr;
	t->iov[n++].iov_len = hlen + hd;
	if (len) {
		if (pdo > hlen + hd) {
			t->iov[n].iov_base = (void *)zero_pad;
			t->iov[n++].iov_len = pdo - hlen - hd;
		}
		t->iov[n].iov_base = data;
		t->iov[n++].iov_len = len;
		if (q->ddgst) {
			nvmx_put_le32(ddgst, nvmx_crc32c(data, len));
			t->iov[n].iov_base = ddgst;
			t->iov[n++].iov_len = NVMX_TCP_DIGEST_LEN;
		}
	}
	t->iovcnt = n;
	t->sent = 0;
	t->total = 0;
	for (int i = 0; i < n; i++)
		t->total += t->iov[i].iov_len;
}

/* The next H2CData PDU of the active R2T (TCP 7.4.6), at most MAXH2CDATA. */
static void h2c_next(struct tcp_q *q, uint16_t cid)
{
	struct tcp_cmd *c = &q->cmds[cid];
	struct nvmx_req *r = nvmx_qpair_req(q->qp, cid);
	struct nvmx_tcp_h2c_data *h = (void *)c->hdr;
	unsigned int hd = q->hdgst ? NVMX_TCP_DIGEST_LEN : 0;
	unsigned int dd = q->ddgst ? NVMX_TCP_DIGEST_LEN : 0;
	uint32_t n = c->r2t_end - c->data_done, pdo;

	if (!r)
		return;
	if (n > q->maxh2cdata)
		n = q->maxh2cdata;
	pdo = nvmx_tcp_pdo(sizeof(*h) + hd, q->cpda);
	memset(h, 0, sizeof(*h));
	h->ch.pdu_type = NVMX_TCP_H2C_DATA;
	h->ch.flags = (uint8_t)((hd ? NVMX_TCP_F_HDGST : 0) | (dd ? NVMX_TCP_F_DDGST : 0) |
				(c->data_done + n == c->r2t_end ? NVMX_TCP_F_LAST_PDU : 0));
	h->ch.hlen = sizeof(*h);
	h->ch.pdo = (uint8_t)pdo;
	h->ch.plen = nvmx_cpu_to_le32(pdo + n + dd);
	h->cccid = nvmx_cpu_to_le16(cid);
	h->ttag = nvmx_cpu_to_le16(c->ttag);
	h->datao = nvmx_cpu_to_le32(c->data_done);
	h->datal = nvmx_cpu_to_le32(n);
	set_hdgst(q, c->hdr, sizeof(*h));
	tx_fill(q, &c->tx, c->hdr, sizeof(*h), pdo, (uint8_t *)r->buf + c->data_done, n, c->ddgst);
	c->tx.kind = TCP_TX_H2C;
	c->tx.cid = cid;
	c->h2c_len = n;
	c->tx_busy = true;
	tcp_txq_push(&q->txq, &c->tx);
}

static bool is_connect(const struct nvmx_sqe *sqe)
{
	return sqe->opc == NVMX_ADM_FABRICS &&
	       ((const struct nvmx_fabrics_cmd *)sqe)->fctype == NVMX_FCTYPE_CONNECT;
}

static int tcp_submit(struct nvmx_qpair *qp, struct nvmx_req *req)
{
	struct tcp_q *q = tq(qp);
	struct tcp_cmd *c = &q->cmds[req->cid];
	struct nvmx_tcp_cmd *pdu = (void *)c->hdr;
	unsigned int hd = q->hdgst ? NVMX_TCP_DIGEST_LEN : 0;
	unsigned int dd = q->ddgst ? NVMX_TCP_DIGEST_LEN : 0;
	struct nvmx_sgl_desc *sgl = &pdu->sqe.dptr.sgl;
	uint32_t pdo = 0, icd = 0;

	if (q->dead)
		return -ENOTCONN;
	memset(c, 0, offsetof(struct tcp_cmd, cqe));
	c->in_capsule = req->dir == NVMX_DIR_TO_CTRL &&
			(req->len <= q->icd_max || is_connect(&req->sqe));
	memset(&pdu->ch, 0, sizeof(pdu->ch));
	pdu->sqe = req->sqe;
	/* One SGL descriptor (TCP 3.3.4): in-capsule data is a Data Block
	 * with an offset; otherwise a Transport SGL Data Block. */
	pdu->sqe.flags = (uint8_t)((pdu->sqe.flags & ~(3u << NVMX_SQE_PSDT_SHIFT)) |
				   NVMX_SQE_PSDT_SGL_MPTR);
	memset(sgl, 0, sizeof(*sgl));
	sgl->length = nvmx_cpu_to_le32(req->len);
	if (c->in_capsule) {
		sgl->id = NVMX_SGL_ID(NVMX_SGL_TYPE_DATA_BLOCK, NVMX_SGL_SUBTYPE_OFFSET);
		icd = req->len;
		pdo = nvmx_tcp_pdo(sizeof(*pdu) + hd, q->cpda);
	} else {
		sgl->id = NVMX_SGL_ID(NVMX_SGL_TYPE_TRANSPORT_DATA, NVMX_SGL_SUBTYPE_TRANSPORT);
	}
	pdu->ch.pdu_type = NVMX_TCP_CMD;
	pdu->ch.flags = (uint8_t)((hd ? NVMX_TCP_F_HDGST : 0) | (dd && icd ? NVMX_TCP_F_DDGST : 0));
	pdu->ch.hlen = sizeof(*pdu);
	pdu->ch.pdo = (uint8_t)pdo;
	pdu->ch.plen = nvmx_cpu_to_le32(icd ? pdo + icd + dd : (uint32_t)sizeof(*pdu) + hd);
	set_hdgst(q, c->hdr, sizeof(*pdu));
	tx_fill(q, &c->tx, c->hdr, sizeof(*pdu), pdo, req->buf, icd, c->ddgst);
	if (icd)
		c->data_done = icd;
	c->tx.kind = TCP_TX_CMD;
	c->tx.cid = req->cid;
	c->tx_busy = true;
	tcp_txq_push(&q->txq, &c->tx);
	return 0;
}

/* ---- receive side: what each PDU means to the host ---- */

static struct nvmx_req *cmd_of(struct tcp_q *q, struct tcp_rx *rx, uint16_t cid, uint32_t fei)
{
	struct nvmx_req *r = nvmx_qpair_req(q->qp, cid);

	if (!r)
		tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, fei,
			     "%s for CID %u, which is not in flight on QID %u",
			     nvmx_tcp_pdu_name(rx->type), cid, q->qp->qid);
	return r;
}

static int c2h_header(struct tcp_q *q, struct tcp_rx *rx, uint8_t **dest)
{
	const struct nvmx_tcp_c2h_data *d = (const void *)rx->hdr;
	uint16_t cid = nvmx_le16_to_cpu(d->cccid);
	uint32_t off = nvmx_le32_to_cpu(d->datao);
	struct nvmx_req *r = cmd_of(q, rx, cid, 8);
	struct tcp_cmd *c;

	if (!r)
		return rx->err;
	c = &q->cmds[cid];
	if (r->dir != NVMX_DIR_FROM_CTRL)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 8,
				    "C2HData for CID %u, a command that reads no data", cid);
	if (off != c->data_done)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_DATA_OUT_OF_RANGE, 12,
				    "C2HData for CID %u at offset %u, expected %u", cid, off,
				    c->data_done);
	if ((uint64_t)off + rx->datal > r->len)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_DATA_OUT_OF_RANGE, 16,
				    "C2HData for CID %u: %u bytes at offset %u go beyond the command's %u",
				    cid, rx->datal, off, r->len);
	*dest = (uint8_t *)r->buf + off;
	q->big_data = rx->datal >= TCP_BIG_DATA;
	return 0;
}

static int c2h_done(struct tcp_q *q, struct tcp_rx *rx)
{
	const struct nvmx_tcp_c2h_data *d = (const void *)rx->hdr;
	uint16_t cid = nvmx_le16_to_cpu(d->cccid);
	struct nvmx_req *r = nvmx_qpair_req(q->qp, cid);
	struct tcp_cmd *c = &q->cmds[cid];
	struct nvmx_cqe cqe;

	c->data_done += rx->datal;
	if (!(rx->flags & NVMX_TCP_F_LAST_PDU))
		return 0;
	if (c->data_done != r->len)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 1,
				    "C2HData LAST_PDU for CID %u after %u of %u bytes", cid,
				    c->data_done, r->len);
	if (!(rx->flags & NVMX_TCP_F_SUCCESS))
		return 0;
	/* SUCCESS: no CapsuleResp follows (TCP 7.4.5.2). */
	memset(&cqe, 0, sizeof(cqe));
	cqe.cid = nvmx_cpu_to_le16(cid);
	cqe.sqhd = nvmx_cpu_to_le16(q->qp->sqhd);
	cqe.sqid = nvmx_cpu_to_le16(q->qp->qid);
	return q_complete(q, &cqe);
}

static int rsp_done(struct tcp_q *q, struct tcp_rx *rx)
{
	const struct nvmx_tcp_rsp *p = (const void *)rx->hdr;
	uint16_t cid = nvmx_le16_to_cpu(p->cqe.cid);
	struct nvmx_req *r = cmd_of(q, rx, cid, 20);
	struct tcp_cmd *c;

	if (!r)
		return rx->err;
	c = &q->cmds[cid];
	if (r->dir == NVMX_DIR_FROM_CTRL && nvmx_st_ok(nvmx_cqe_status(&p->cqe)) &&
	    c->data_done != r->len)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_PDU_SEQUENCE, 0,
				    "success response for CID %u after %u of %u data bytes", cid,
				    c->data_done, r->len);
	/* Success before the controller can have all the data: a data PDU
	 * counts as sent once sendmsg took all of it. */
	if (r->dir == NVMX_DIR_TO_CTRL && !c->in_capsule && nvmx_st_ok(nvmx_cqe_status(&p->cqe)) &&
	    c->data_done != r->len)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_PDU_SEQUENCE, 0,
				    "success response for CID %u before its %u data bytes were sent",
				    cid, r->len);
	c->r2t_active = false;
	/* An unsent H2CData PDU is dropped: the command is over. */
	if (c->tx_busy && tcp_txq_unqueue(&q->txq, &c->tx))
		c->tx_busy = false;
	if (c->tx_busy) {
		/* A PDU half sent still references the buffer: complete when sent. */
		c->cqe = p->cqe;
		c->resp_deferred = true;
		return 0;
	}
	return q_complete(q, &p->cqe);
}

static int r2t_done(struct tcp_q *q, struct tcp_rx *rx)
{
	const struct nvmx_tcp_r2t *t = (const void *)rx->hdr;
	uint16_t cid = nvmx_le16_to_cpu(t->cccid);
	uint32_t off = nvmx_le32_to_cpu(t->r2to), len = nvmx_le32_to_cpu(t->r2tl);
	struct nvmx_req *r = cmd_of(q, rx, cid, 8);
	struct tcp_cmd *c;

	if (!r)
		return rx->err;
	c = &q->cmds[cid];
	if (r->dir != NVMX_DIR_TO_CTRL || c->in_capsule)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 8,
				    "R2T for CID %u, which has no data left to send", cid);
	if (c->r2t_active)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_R2T_LIMIT, 0,
				    "second R2T for CID %u while one is active (MAXR2T 1)", cid);
	if (off != c->data_done)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_DATA_OUT_OF_RANGE, 12,
				    "R2T for CID %u at offset %u, expected %u", cid, off, c->data_done);
	if (len == 0 || (uint64_t)off + len > r->len)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_DATA_OUT_OF_RANGE, 16,
				    "R2T for CID %u asks for %u bytes at %u of a %u-byte command",
				    cid, len, off, r->len);
	c->ttag = nvmx_le16_to_cpu(t->ttag);
	c->r2t_end = off + len;
	c->r2t_active = true;
	if (!c->tx_busy)
		h2c_next(q, cid);
	return 0;
}

/* ICResp checks (TCP 7.4.4 / 3.6.2.3). */
static int icresp_done(struct tcp_q *q, struct tcp_rx *rx)
{
	const struct nvmx_tcp_icresp *r = (const void *)rx->hdr;
	bool hd = r->dgst & NVMX_TCP_DGST_HDR, dd = r->dgst & NVMX_TCP_DGST_DATA;

	if (nvmx_le16_to_cpu(r->pfv) != NVMX_TCP_PFV_1_0)
		return tcp_rx_error(rx, -EPROTONOSUPPORT, NVMX_TCP_FES_UNSUPPORTED_PARAM, 8,
				    "ICResp: unsupported PDU format version %u",
				    nvmx_le16_to_cpu(r->pfv));
	if (r->cpda > NVMX_TCP_PDA_MAX)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 10,
				    "ICResp: CPDA %u out of range", r->cpda);
	if (nvmx_le32_to_cpu(r->maxh2cdata) < NVMX_TCP_MIN_MAXH2CDATA ||
	    nvmx_le32_to_cpu(r->maxh2cdata) % 4)
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 12,
				    "ICResp: MAXH2CDATA %u invalid (>= 4096, multiple of 4)",
				    nvmx_le32_to_cpu(r->maxh2cdata));
	if (hd != q->hdgst || dd != q->ddgst)
		return tcp_rx_error(rx, -EPROTO, 0, 0,
				    "ICResp: controller %s the %s digest we %s",
				    (hd != q->hdgst ? hd : dd) ? "enabled" : "refused",
				    hd != q->hdgst ? "header" : "data",
				    (hd != q->hdgst ? q->hdgst : q->ddgst) ? "asked for" : "did not ask for");
	q->cpda = r->cpda;
	q->maxh2cdata = nvmx_le32_to_cpu(r->maxh2cdata);
	rx->hdgst = hd;
	rx->ddgst = dd;
	rx->ic_done = true;
	return 0;
}

static int rx_header(void *ctx, struct tcp_rx *rx, uint8_t **dest)
{
	if (rx->type == NVMX_TCP_C2H_DATA)
		return c2h_header(ctx, rx, dest);
	return 0;
}

static int rx_done(void *ctx, struct tcp_rx *rx)
{
	switch (rx->type) {
	case NVMX_TCP_ICRESP: return icresp_done(ctx, rx);
	case NVMX_TCP_RSP: return rsp_done(ctx, rx);
	case NVMX_TCP_R2T: return r2t_done(ctx, rx);
	case NVMX_TCP_C2H_DATA: return c2h_done(ctx, rx);
	default: return 0;
	}
}

static const struct tcp_rx_ops rx_ops = { .header = rx_header, .done = rx_done };

/* ---- socket ---- */

/* Receive once: data that belongs to a large C2HData goes straight to its
 * destination, whatever follows lands in the buffer and is parsed.
 * Returns bytes read, 0 on EOF, -EAGAIN when nothing is there. */
/* Parse what is left in the receive buffer (stops early on pause). */
static int rx_parse(struct tcp_q *q)
{
	size_t used;
	uint64_t before = q->rx.copied;
	int rc = tcp_rx_feed(&q->rx, q->rxbuf + q->rx_pos, q->rx_end - q->rx_pos, &used);

	q->rx_copied += q->rx.copied - before;
	q->rx_pos += (uint32_t)used;
	if (q->rx_pos == q->rx_end)
		q->rx_pos = q->rx_end = 0;
	return rc;
}

/* How much of the buffer to offer to one read.  With large data flowing,
 * only up to the end of the next header, so that the payload after it is
 * read in place by the next call. */
static uint32_t rx_chunk(const struct tcp_q *q)
{
	uint32_t hdr = (uint32_t)sizeof(struct nvmx_tcp_c2h_data) + (q->hdgst ? NVMX_TCP_DIGEST_LEN : 0);
	uint32_t dd = q->ddgst ? NVMX_TCP_DIGEST_LEN : 0;

	if (!q->big_data)
		return TCP_RXBUF;
	switch (q->rx.state) {
	case TCP_RX_CH:
		return hdr - q->rx.got;
	case TCP_RX_DATA:	/* what follows the data: its digest, the next header */
		return dd + hdr;
	case TCP_RX_DDGST:
		return q->rx.need - q->rx.got + hdr;
	default:		/* the rest of this header or pad; the data follows */
		return q->rx.need - q->rx.got;
	}
}

/* Receive once (the buffer must be empty): data that belongs to a large
 * C2HData goes straight to its destination, whatever follows lands in the
 * buffer and is parsed.  Returns bytes read, 0 on EOF, -EAGAIN when nothing
 * is there, or a negative errno. */
static ssize_t rx_once(struct tcp_q *q, size_t *asked)
{
	struct iovec iov[2];
	struct msghdr msg = { .msg_iov = iov };
	uint32_t want, chunk = rx_chunk(q);
	uint8_t *p;
	ssize_t n;
	int rc;

	if (tcp_rx_data_want(&q->rx, &p, &want) && want >= TCP_DIRECT_MIN) {
		iov[0].iov_base = p;
		iov[0].iov_len = want;
		iov[1].iov_base = q->rxbuf;
		iov[1].iov_len = chunk;
		msg.msg_iovlen = 2;
	} else {
		/* Small data left: into the buffer, with what follows it. */
		if (q->big_data && q->rx.state == TCP_RX_DATA)
			chunk += q->rx.need - q->rx.got;
		want = 0;
		iov[0].iov_base = q->rxbuf;
		iov[0].iov_len = chunk;
		msg.msg_iovlen = 1;
	}
	*asked = want + chunk;
	do {
		n = recvmsg(q->fd, &msg, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n == 0)
		return 0;
	if (want) {
		uint32_t d = (size_t)n < want ? (uint32_t)n : want;

		q->rx_direct += d;
		if ((rc = tcp_rx_data_advance(&q->rx, d)))
			return rc;
		q->rx_end = (uint32_t)((size_t)n - d);
	} else {
		q->rx_end = (uint32_t)n;
	}
	q->rx_pos = 0;
	if ((rc = rx_parse(q)))
		return rc;
	return n;
}

static int q_flush(struct tcp_q *q)
{
	ssize_t n = tcp_txq_flush(&q->txq, q->fd, tx_done, q);

	if (n < 0) {
		char msg[128];

		snprintf(msg, sizeof(msg), "send failed: %s", strerror((int)-n));
		return q_fail(q, (int)n, msg);
	}
	return 0;
}

static int tcp_poll(struct nvmx_qpair *qp, unsigned int max)
{
	struct tcp_q *q = tq(qp);
	int rc;

	if (q->dead)
		return qp->fail_err ? qp->fail_err : -ENOTCONN;
	q->completions = 0;
	q->max = max;
	q->rx.pause = false;
	if (q->txq.head && (rc = q_flush(q)))
		return rc;
	/* PDUs left over from a poll that stopped at max. */
	if (q->rx_pos < q->rx_end && (rc = rx_parse(q)))
		return q_fail(q, rc, q->rx.msg);
	for (int i = 0; i < TCP_RECV_ROUNDS && !q->rx.pause && q->rx_pos == q->rx_end; i++) {
		size_t asked;
		ssize_t n = rx_once(q, &asked);

		if (n == -EAGAIN)
			break;
		if (n == 0)
			return q_fail(q, -ECONNRESET, "connection closed by the controller");
		if (n < 0)
			return q_fail(q, (int)n, q->rx.err ? q->rx.msg : strerror((int)-n));
		if ((size_t)n < asked)
			break;
	}
	if (q->qp->failed)
		return q->qp->fail_err;
	if (q->txq.head && (rc = q_flush(q)))
		return rc;
	return (int)q->completions;
}

static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t now = nvmx_now_ns();
	int rc;

	if (now >= deadline)
		return -ETIMEDOUT;
	rc = poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	return rc == 0 ? -ETIMEDOUT : 0;
}

static int sock_connect(struct nvmx_ctrl *ctrl, uint64_t deadline)
{
	struct sockaddr_storage ss;
	socklen_t sl, el = sizeof(int);
	int fd, one = 1, err = 0, rc;

	if (nvmx_trid_sockaddr(&ctrl->trid, &ss, &sl))
		return -EINVAL;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Small PDUs must leave at once (TCP_NODELAY), as every NVMe/TCP host does. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		err = -errno;
		goto fail;
	}
	while ((rc = wait_fd(fd, POLLOUT, deadline)) == 0) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (poll(&p, 1, 0) == 1)
			break;
	}
	if (rc) {
		err = rc;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		err = errno;
	if (err) {
		err = -err;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return err;
}

/* ICReq out, ICResp in (TCP 3.6.2.2, 3.6.2.3). */
static int ic_exchange(struct tcp_q *q, uint64_t deadline)
{
	struct nvmx_tcp_icreq *ic = (void *)q->ctl_buf;
	int rc;

	memset(ic, 0, sizeof(*ic));
	ic->ch.pdu_type = NVMX_TCP_ICREQ;
	ic->ch.hlen = sizeof(*ic);
	ic->ch.plen = nvmx_cpu_to_le32(sizeof(*ic));
	ic->pfv = nvmx_cpu_to_le16(NVMX_TCP_PFV_1_0);
	ic->hpda = 0;		/* no alignment needed: data lands anywhere */
	ic->dgst = (uint8_t)((q->hdgst ? NVMX_TCP_DGST_HDR : 0) | (q->ddgst ? NVMX_TCP_DGST_DATA : 0));
	ic->maxr2t = nvmx_cpu_to_le32(0);	/* 0's based: one R2T per command */
	q->ctl_tx.iov[0].iov_base = ic;
	q->ctl_tx.iov[0].iov_len = sizeof(*ic);
	q->ctl_tx.iovcnt = 1;
	q->ctl_tx.total = sizeof(*ic);
	q->ctl_tx.sent = 0;
	q->ctl_tx.kind = TCP_TX_OTHER;
	tcp_txq_push(&q->txq, &q->ctl_tx);
	while (q->txq.head) {
		ssize_t n = tcp_txq_flush(&q->txq, q->fd, tx_done, q);

		if (n < 0)
			return (int)n;
		if (q->txq.head && (rc = wait_fd(q->fd, POLLOUT, deadline)))
			return rc;
	}
	while (!q->rx.ic_done) {
		size_t asked;
		ssize_t n = rx_once(q, &asked);

		if (n == 0)
			return -ECONNRESET;
		if (n == -EAGAIN) {
			if ((rc = wait_fd(q->fd, POLLIN, deadline)))
				return rc;
			continue;
		}
		if (n < 0)
			return (int)n;
	}
	return 0;
}

static void q_free(struct tcp_q *q)
{
	if (q->fd >= 0)
		close(q->fd);
	free(q->cmds);
	free(q->rxbuf);
	free(q);
}

static int q_open(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	/* Reconnect attempts (recovery.c) ask for a shorter bound. */
	uint64_t deadline = nvmx_now_ns() + (ctrl->connect_tmo_ms ? ctrl->connect_tmo_ms :
					     TCP_CONNECT_TMO_MS) * 1000000ull;
	struct tcp_q *q = calloc(1, sizeof(*q));
	char what[64];
	int rc;

	if (!q)
		return -ENOMEM;
	q->fd = -1;
	q->qp = qp;
	q->ctrl = ctrl;
	q->hdgst = ctrl->opts.hdr_digest;
	q->ddgst = ctrl->opts.data_digest;
	q->cmds = calloc(qp->nreqs, sizeof(*q->cmds));
	q->rxbuf = malloc(TCP_RXBUF);
	if (!q->cmds || !q->rxbuf) {
		q_free(q);
		return -ENOMEM;
	}
	if (qp->qid == 0)
		q->icd_max = TCP_ADMIN_ICD;
	else if (ctrl->id && nvmx_le32_to_cpu(ctrl->id->ioccsz) > 4)
		q->icd_max = nvmx_le32_to_cpu(ctrl->id->ioccsz) * 16u - 64u;
	tcp_rx_init(&q->rx, &rx_ops, q);
	snprintf(what, sizeof(what), "QID %u", qp->qid);
	rc = q->fd = sock_connect(ctrl, deadline);
	if (rc < 0) {
		nvmx_ctrl_seterr(ctrl, "%s: TCP connect to %s port %s failed: %s", what,
				 ctrl->trid.traddr, ctrl->trid.trsvcid, strerror(-rc));
		goto fail;
	}
	rc = ic_exchange(q, deadline);
	if (rc) {
		nvmx_ctrl_seterr(ctrl, "%s: connection setup (ICReq/ICResp) failed: %s", what,
				 q->rx.err ? q->rx.msg : strerror(-rc));
		goto fail;
	}
	qp->tq = q;
	rc = nvmx_fabrics_connect(ctrl, qp);
	if (rc) {
		qp->tq = NULL;
		goto fail;
	}
	nvmx_debug("%s: %s connected (hdgst %d ddgst %d cpda %u maxh2cdata %u icd %u)",
		   ctrl->name, what, q->hdgst, q->ddgst, q->cpda, q->maxh2cdata, q->icd_max);
	return 0;
fail:
	nvmx_err("%s: %s", ctrl->name, ctrl->errmsg);
	q_free(q);
	return rc;
}

/* ---- ops ---- */

static int tcp_ctrl_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *adminq)
{
	int rc = q_open(ctrl, adminq);

	if (rc == 0)
		ctrl->tctrl = (void *)&nvmx_tcp_host_ops;	/* nothing per controller */
	return rc;
}

static void tcp_ctrl_destroy(struct nvmx_ctrl *ctrl)
{
	ctrl->tctrl = NULL;
}

static uint32_t tcp_max_xfer(struct nvmx_ctrl *ctrl)
{
	return TCP_MAX_XFER;
}

static int tcp_qpair_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	return q_open(ctrl, qp);
}

static void tcp_qpair_destroy(struct nvmx_qpair *qp)
{
	if (qp->tq)
		q_free(qp->tq);
	qp->tq = NULL;
}

static int tcp_qpair_fd(const struct nvmx_qpair *qp)
{
	return qp->tq ? tq(qp)->fd : -1;
}

static void tcp_qpair_disconnect(struct nvmx_qpair *qp)
{
	struct tcp_q *q = tq(qp);

	if (!q || q->dead)
		return;
	q->dead = true;
	shutdown(q->fd, SHUT_RDWR);
	q_drop_tx(q);
}

const struct nvmx_transport_ops nvmx_tcp_host_ops = {
	.name = "tcp",
	.trtype = NVMX_TRTYPE_TCP,
	.fabrics = true,
	.ctrl_create = tcp_ctrl_create,
	.ctrl_destroy = tcp_ctrl_destroy,
	.reg_read = nvmx_fabrics_prop_get,
	.reg_write = nvmx_fabrics_prop_set,
	.max_xfer = tcp_max_xfer,
	.qpair_create = tcp_qpair_create,
	.qpair_destroy = tcp_qpair_destroy,
	.submit = tcp_submit,
	.poll = tcp_poll,
	.qpair_fd = tcp_qpair_fd,
	.qpair_disconnect = tcp_qpair_disconnect,
};
