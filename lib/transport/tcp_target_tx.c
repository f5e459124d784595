/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP target transmit side: R2T, C2HData (+SUCCESS), CapsuleResp,
 * gathered into few sendmsg calls; C2HTermReq on fatal errors.  Section
 * numbers are those of the NVMe/TCP Transport Specification 1.0.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "transport/tcp_target.h"
#include "util/crc32c.h"
#include "util/log.h"

#define CLOSE_LINGER_NS 1000000000ull	/* drain input this long after a TermReq */

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

static void tx_enqueue(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;

	s->state = NVMX_SLOT_TX;
	s->iov_cur = 0;
	s->iov_off = 0;
	s->next = NULL;
	if (c->tx_tail)
		c->tx_tail->next = s;
	else
		c->tx_head = s;
	c->tx_tail = s;
}

static void put_hdgst(struct nvmx_tcp_conn *c, uint8_t *hdr, unsigned hlen)
{
	if (c->hdgst)
		nvmx_put_le32(hdr + hlen, nvmx_crc32c(hdr, hlen));
}

void nvmx_tcp_set_ch(void *p, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen)
{
	struct nvmx_tcp_ch *ch = p;

	ch->pdu_type = type;
	ch->flags = flags;
	ch->hlen = hlen;
	ch->pdo = pdo;
	ch->plen = nvmx_cpu_to_le32(plen);
}

static bool corrupt_ddgst_fault(struct nvmx_tgt *t)
{
	bool hit = false;

	if (!atomic_load_explicit(&t->fault_armed, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&t->fault_lock);
	if (t->faults.corrupt_ddgst > 0) {
		t->faults.corrupt_ddgst--;
		hit = true;
	}
	pthread_mutex_unlock(&t->fault_lock);
	return hit;
}

/* 3.6.2.9 C2HData with the whole transfer; SUCCESS (3.6.2.9, Fabrics
 * "SQ flow control disable") replaces the CapsuleResp only when the host
 * turned SQ flow control off, since the response would carry SQHD. */
static uint8_t *build_c2h(struct nvmx_tcp_slot *s, bool success)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tgt_req *r = &s->req;
	struct nvmx_tcp_c2h_data *h = (struct nvmx_tcp_c2h_data *)s->hdr;
	unsigned hd = c->hdgst ? 4 : 0, dd = c->ddgst ? 4 : 0;
	unsigned pdo = nvmx_tcp_pdo(sizeof(*h) + hd, c->hpda);
	uint8_t flags = NVMX_TCP_F_LAST_PDU | (hd ? NVMX_TCP_F_HDGST : 0) |
			(dd ? NVMX_TCP_F_DDGST : 0) | (success ? NVMX_TCP_F_SUCCESS : 0);

	memset(h, 0, sizeof(*h));
	nvmx_tcp_set_ch(h, NVMX_TCP_C2H_DATA, flags, sizeof(*h), (uint8_t)pdo, pdo + r->xfer_len + dd);
	h->cccid = r->sqe.cid;
	h->datao = 0;
	h->datal = nvmx_cpu_to_le32(r->xfer_len);
	put_hdgst(c, s->hdr, sizeof(*h));
	memset(s->hdr + sizeof(*h) + hd, 0, pdo - sizeof(*h) - hd);
	s->iov[s->niov++] = (struct iovec){ s->hdr, pdo };
	s->iov[s->niov++] = (struct iovec){ r->data, r->xfer_len };
	if (dd) {
		uint32_t crc = nvmx_crc32c(r->data, r->xfer_len);

		if (corrupt_ddgst_fault(c->q.t))
			crc ^= 0x5a5a5a5au;
		nvmx_put_le32(&s->ddgst, crc);
		s->iov[s->niov++] = (struct iovec){ &s->ddgst, 4 };
	}
	return s->hdr + pdo;
}

void nvmx_tcp_send_resp(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tgt_req *r = &s->req;
	bool data = nvmx_st_ok(nvmx_le16_to_cpu(r->cqe.status)) && r->dir == NVMX_DIR_C2H &&
		    r->xfer_len;
	bool success = data && c->q.sqhd_disabled;
	uint8_t *p = s->hdr;
	unsigned hd = c->hdgst ? 4 : 0;

	s->niov = 0;
	if (data)
		p = build_c2h(s, success);
	if (!success) {		/* 3.6.2.7 CapsuleResp */
		struct nvmx_tcp_rsp *rsp = (struct nvmx_tcp_rsp *)p;

		nvmx_tcp_set_ch(rsp, NVMX_TCP_RSP, hd ? NVMX_TCP_F_HDGST : 0, sizeof(*rsp), 0,
		       sizeof(*rsp) + hd);
		rsp->cqe = r->cqe;
		put_hdgst(c, p, sizeof(*rsp));
		s->iov[s->niov++] = (struct iovec){ p, sizeof(*rsp) + hd };
	}
	s->r2t_pending = false;
	tx_enqueue(s);
}

/* 3.6.2.10 R2T for the whole transfer: one per command, within MAXR2T. */
void nvmx_tcp_send_r2t(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tcp_r2t *h = (struct nvmx_tcp_r2t *)s->hdr;
	unsigned hd = c->hdgst ? 4 : 0;

	memset(h, 0, sizeof(*h));
	nvmx_tcp_set_ch(h, NVMX_TCP_R2T, hd ? NVMX_TCP_F_HDGST : 0, sizeof(*h), 0, sizeof(*h) + hd);
	h->cccid = s->req.sqe.cid;
	h->ttag = nvmx_cpu_to_le16(s->idx);
	h->r2to = 0;
	h->r2tl = nvmx_cpu_to_le32(s->req.xfer_len);
	put_hdgst(c, s->hdr, sizeof(*h));
	s->niov = 0;
	s->iov[s->niov++] = (struct iovec){ s->hdr, sizeof(*h) + hd };
	s->r2t_pending = true;
	s->recvd = 0;
	tx_enqueue(s);
}

static void tx_done(struct nvmx_tcp_slot *s)
{
	s->conn->pdus_out++;
	if (s->r2t_pending) {
		s->r2t_pending = false;
		s->state = NVMX_SLOT_R2T;	/* now H2CData may come */
		return;
	}
	nvmx_tcp_slot_free(s);
}

static void tx_consume(struct nvmx_tcp_conn *c, size_t n)
{
	while (n && c->ctl_off < c->ctl_len) {
		size_t k = c->ctl_len - c->ctl_off < n ? c->ctl_len - c->ctl_off : n;

		c->ctl_off += (uint32_t)k;
		n -= k;
	}
	while (c->tx_head) {
		struct nvmx_tcp_slot *s = c->tx_head;

		while (s->iov_cur < s->niov) {
			size_t left = s->iov[s->iov_cur].iov_len - s->iov_off;

			if (n < left) {
				s->iov_off += (uint32_t)n;
				return;
			}
			n -= left;
			s->iov_cur++;
			s->iov_off = 0;
		}
		c->tx_head = s->next;
		if (!c->tx_head)
			c->tx_tail = NULL;
		tx_done(s);
	}
}

static int tx_gather(struct nvmx_tcp_conn *c, struct iovec *iov, int max)
{
	int cnt = 0;

	if (c->ctl_off < c->ctl_len)
		iov[cnt++] = (struct iovec){ c->ctl + c->ctl_off, c->ctl_len - c->ctl_off };
	for (struct nvmx_tcp_slot *s = c->tx_head; s && cnt + NVMX_TCP_SLOT_IOV <= max; s = s->next) {
		for (unsigned i = s->iov_cur; i < s->niov; i++) {
			size_t off = i == s->iov_cur ? s->iov_off : 0;

			iov[cnt++] = (struct iovec){ (uint8_t *)s->iov[i].iov_base + off,
						     s->iov[i].iov_len - off };
		}
	}
	return cnt;
}

int nvmx_tcp_conn_flush(struct nvmx_tcp_conn *c)
{
	struct iovec iov[64];

	if (c->broken)
		return -1;
	while (c->ctl_off < c->ctl_len || c->tx_head) {
		struct msghdr msg = { .msg_iov = iov };
		ssize_t n;

		msg.msg_iovlen = (size_t)tx_gather(c, iov, 64);
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (c->loop)
				nvmx_tgt_loop_want_out(c, true);
			return 0;
		}
		if (n < 0) {
			nvmx_debug("%s: send failed: %s", c->q.peer, strerror(errno));
			c->broken = true;
			return -1;
		}
		tx_consume(c, (size_t)n);
	}
	if (c->want_out && c->loop)
		nvmx_tgt_loop_want_out(c, false);
	if (c->closing && !c->shut_wr) {	/* TermReq out: no more from us */
		shutdown(c->fd, SHUT_WR);
		c->shut_wr = true;
	}
	return 0;
}

/* Fatal error: C2HTermReq (TCP 3.6.2.4), then the connection is closed. */
void nvmx_tcp_fatal(struct nvmx_tcp_conn *c, uint16_t fes, uint32_t fei)
{
	struct nvmx_tcp_term_req *t = (struct nvmx_tcp_term_req *)c->ctl;
	/* The offending header, as much of it as was read (3.6.2.4). */
	uint32_t copy = c->rx_state == NVMX_RX_CH || c->rx_state == NVMX_RX_PSH ?
			c->rx_have : c->rx_hlen;

	if (copy > NVMX_TCP_TERM_DATA_MAX)
		copy = NVMX_TCP_TERM_DATA_MAX;
	nvmx_warn("%s qid %u: fatal transport error, FES 0x%x FEI %u; closing", c->q.peer,
		  c->q.qid, fes, fei);
	c->last_fes = fes;
	c->last_fei = fei;
	c->rx_state = NVMX_RX_DEAD;
	c->closing = true;
	c->closing_deadline_ns = nvmx_now_ns() + CLOSE_LINGER_NS;
	/* A half-sent PDU cannot be followed by a TermReq: just close. */
	if ((c->ctl_off && c->ctl_off < c->ctl_len) ||
	    (c->tx_head && (c->tx_head->iov_cur || c->tx_head->iov_off))) {
		c->broken = true;
		return;
	}
	while (c->tx_head) {
		struct nvmx_tcp_slot *s = c->tx_head;

		c->tx_head = s->next;
		nvmx_tcp_slot_free(s);
	}
	c->tx_tail = NULL;
	memset(t, 0, sizeof(*t));
	nvmx_tcp_set_ch(t, NVMX_TCP_C2H_TERM, 0, sizeof(*t), 0, sizeof(*t) + copy);
	t->fes = nvmx_cpu_to_le16(fes);
	nvmx_put_le32(&t->fei, fei);
	memcpy(c->ctl + sizeof(*t), c->rx_hdr, copy);
	c->ctl_len = sizeof(*t) + copy;
	c->ctl_off = 0;
	c->terms_sent++;
}
