/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP target connection: PDU receive state machine, request slots,
 * R2T / C2HData / CapsuleResp transmission, C2HTermReq on fatal errors.
 * Section numbers are those of the NVMe/TCP Transport Specification 1.0.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/tcp_target.h"
#include "util/crc32c.h"
#include "util/log.h"

#define CLOSE_LINGER_NS 1000000000ull	/* drain input this long after a TermReq */

static void tcp_q_complete(struct nvmx_tgt_req *r);
static void tcp_q_close(struct nvmx_tgt_queue *q);

static const struct nvmx_tgt_queue_ops tcp_queue_ops = {
	.complete = tcp_q_complete,
	.close = tcp_q_close,
};

static struct nvmx_tcp_slot *req_slot(struct nvmx_tgt_req *r)
{
	return (struct nvmx_tcp_slot *)((uint8_t *)r - offsetof(struct nvmx_tcp_slot, req));
}

static struct nvmx_tcp_conn *q_conn(struct nvmx_tgt_queue *q)
{
	return (struct nvmx_tcp_conn *)((uint8_t *)q - offsetof(struct nvmx_tcp_conn, q));
}

static void peer_name(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	snprintf(buf, len, "fd %d", fd);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
	} else {
		return;
	}
	snprintf(buf, len, "%s:%d", host, port);
}

struct nvmx_tcp_conn *nvmx_tcp_conn_new(struct nvmx_tgt *t, int fd, struct nvmx_tgt_loop *loop)
{
	struct nvmx_tcp_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ep_kind = 1;
	c->fd = fd;
	c->loop = loop;
	c->q.t = t;
	c->q.ops = &tcp_queue_ops;
	atomic_init(&c->close_req, false);
	peer_name(fd, c->q.peer, sizeof(c->q.peer));
	c->rbuf = malloc(NVMX_TCP_RBUF);
	c->slots = calloc(NVMX_TCP_SLOTS, sizeof(*c->slots));
	/* Reserved, committed page by page as used. */
	c->bufs_len = (size_t)NVMX_TCP_SLOTS * NVMX_TGT_BUF;
	c->bufs = mmap(NULL, c->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!c->rbuf || !c->slots || c->bufs == MAP_FAILED) {
		if (c->bufs == MAP_FAILED)
			c->bufs = NULL;
		nvmx_tcp_conn_free(c);
		return NULL;
	}
	for (int i = NVMX_TCP_SLOTS - 1; i >= 0; i--) {
		struct nvmx_tcp_slot *s = &c->slots[i];

		s->conn = c;
		s->idx = (uint16_t)i;
		s->req.q = &c->q;
		s->req.buf = c->bufs + (size_t)i * NVMX_TGT_BUF;
		s->next = c->free;
		c->free = s;
	}
	c->rx_state = NVMX_RX_CH;
	c->rx_need = sizeof(struct nvmx_tcp_ch);
	return c;
}

void nvmx_tcp_conn_free(struct nvmx_tcp_conn *c)
{
	if (!c)
		return;
	nvmx_tgt_queue_release(&c->q);
	if (c->fd >= 0)
		close(c->fd);
	if (c->bufs)
		munmap(c->bufs, c->bufs_len);
	free(c->slots);
	free(c->rbuf);
	free(c);
}

static void slot_free(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;

	s->state = NVMX_SLOT_FREE;
	s->next = c->free;
	c->free = s;
}

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

static void set_ch(void *p, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen)
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
	set_ch(h, NVMX_TCP_C2H_DATA, flags, sizeof(*h), (uint8_t)pdo, pdo + r->xfer_len + dd);
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

static void build_resp(struct nvmx_tcp_slot *s)
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

		set_ch(rsp, NVMX_TCP_RSP, hd ? NVMX_TCP_F_HDGST : 0, sizeof(*rsp), 0,
		       sizeof(*rsp) + hd);
		rsp->cqe = r->cqe;
		put_hdgst(c, p, sizeof(*rsp));
		s->iov[s->niov++] = (struct iovec){ p, sizeof(*rsp) + hd };
	}
	s->r2t_pending = false;
	tx_enqueue(s);
}

/* 3.6.2.10 R2T for the whole transfer: one per command, within MAXR2T. */
static void send_r2t(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tcp_r2t *h = (struct nvmx_tcp_r2t *)s->hdr;
	unsigned hd = c->hdgst ? 4 : 0;

	memset(h, 0, sizeof(*h));
	set_ch(h, NVMX_TCP_R2T, hd ? NVMX_TCP_F_HDGST : 0, sizeof(*h), 0, sizeof(*h) + hd);
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
	slot_free(s);
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

/* 3.6.2.4 C2HTermReq, then close (7.4.? fatal errors). */
static void fatal(struct nvmx_tcp_conn *c, uint16_t fes, uint32_t fei)
{
	struct nvmx_tcp_term_req *t = (struct nvmx_tcp_term_req *)c->ctl;
	uint32_t copy = c->rx_have < c->rx_hlen ? c->rx_have : c->rx_hlen;

	if (c->rx_state == NVMX_RX_CH || c->rx_state == NVMX_RX_PSH)
		copy = c->rx_have;
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
		slot_free(s);
	}
	c->tx_tail = NULL;
	memset(t, 0, sizeof(*t));
	set_ch(t, NVMX_TCP_C2H_TERM, 0, sizeof(*t), 0, sizeof(*t) + copy);
	t->fes = nvmx_cpu_to_le16(fes);
	nvmx_put_le32(&t->fei, fei);
	memcpy(c->ctl + sizeof(*t), c->rx_hdr, copy);
	c->ctl_len = sizeof(*t) + copy;
	c->ctl_off = 0;
	c->terms_sent++;
}

/* ------------------------------------------------------------------ */
/* Completion from the core                                            */
/* ------------------------------------------------------------------ */

void nvmx_tcp_conn_complete_local(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tgt_req *r = &s->req;

	if (c->closing) {		/* nothing more goes out */
		slot_free(s);
		return;
	}
	if (r->dropped) {
		slot_free(s);
		return;
	}
	if (r->delay_until_ns && nvmx_now_ns() < r->delay_until_ns) {
		s->state = NVMX_SLOT_DELAYED;
		s->next = c->delayed;
		c->delayed = s;
		return;
	}
	build_resp(s);
}

static void tcp_q_complete(struct nvmx_tgt_req *r)
{
	struct nvmx_tcp_slot *s = req_slot(r);
	struct nvmx_tcp_conn *c = s->conn;

	if (c->loop && nvmx_tgt_loop_current() != c->loop)
		nvmx_tgt_loop_post_complete(c->loop, s);
	else
		nvmx_tcp_conn_complete_local(s);
}

static void tcp_q_close(struct nvmx_tgt_queue *q)
{
	struct nvmx_tcp_conn *c = q_conn(q);

	atomic_store(&c->close_req, true);
	if (c->loop)
		nvmx_tgt_loop_post_close(c->loop, c);
}

uint64_t nvmx_tcp_conn_timers(struct nvmx_tcp_conn *c, uint64_t now_ns)
{
	struct nvmx_tcp_slot **pp = &c->delayed;
	uint64_t next = 0;

	while (*pp) {
		struct nvmx_tcp_slot *s = *pp;

		if (s->req.delay_until_ns <= now_ns) {
			*pp = s->next;
			s->req.delay_until_ns = 0;
			nvmx_tcp_conn_complete_local(s);
			continue;
		}
		if (!next || s->req.delay_until_ns < next)
			next = s->req.delay_until_ns;
		pp = &s->next;
	}
	return next;
}

bool nvmx_tcp_conn_done(const struct nvmx_tcp_conn *c, uint64_t now_ns)
{
	if (c->broken || atomic_load(&c->close_req))
		return true;
	return c->closing && now_ns >= c->closing_deadline_ns;
}

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

static void rx_reset(struct nvmx_tcp_conn *c)
{
	c->rx_state = NVMX_RX_CH;
	c->rx_have = 0;
	c->rx_need = sizeof(struct nvmx_tcp_ch);
	c->rx_hlen = 0;
	c->rx_pad = 0;
	c->rx_datalen = 0;
	c->rx_dst = NULL;
	c->rx_slot = NULL;
}

/* 3.6.2.2 / 3.6.2.3: negotiate, answer with ICResp. */
static void handle_icreq(struct nvmx_tcp_conn *c)
{
	const struct nvmx_tcp_icreq *ic = (const struct nvmx_tcp_icreq *)c->rx_hdr;
	struct nvmx_tcp_icresp *rsp = (struct nvmx_tcp_icresp *)c->ctl;

	if (nvmx_le16_to_cpu(ic->pfv) != NVMX_TCP_PFV_1_0) {
		fatal(c, NVMX_TCP_FES_UNSUPPORTED_PARAM, offsetof(struct nvmx_tcp_icreq, pfv));
		return;
	}
	if (ic->hpda > NVMX_TCP_PDA_MAX) {
		fatal(c, NVMX_TCP_FES_UNSUPPORTED_PARAM, offsetof(struct nvmx_tcp_icreq, hpda));
		return;
	}
	c->hpda = ic->hpda;
	c->hdgst = ic->dgst & NVMX_TCP_DGST_HDR;
	c->ddgst = ic->dgst & NVMX_TCP_DGST_DATA;
	c->maxr2t = nvmx_le32_to_cpu(ic->maxr2t);
	c->ic_done = true;
	memset(rsp, 0, sizeof(*rsp));
	set_ch(rsp, NVMX_TCP_ICRESP, 0, sizeof(*rsp), 0, sizeof(*rsp));
	rsp->pfv = nvmx_cpu_to_le16(NVMX_TCP_PFV_1_0);
	rsp->cpda = 0;
	rsp->dgst = ic->dgst & (NVMX_TCP_DGST_HDR | NVMX_TCP_DGST_DATA);
	rsp->maxh2cdata = nvmx_cpu_to_le32(NVMX_TCP_MAXH2CDATA);
	c->ctl_len = sizeof(*rsp);
	c->ctl_off = 0;
	nvmx_debug("%s: ICReq hpda %u dgst %u maxr2t %u", c->q.peer, c->hpda, ic->dgst, c->maxr2t);
}

/* Check what a SGL says against the data that came in the capsule
 * (3.3: in-capsule data uses a Data Block/Offset descriptor, everything
 * else a Transport Data Block). */
static uint16_t check_capsule_sgl(struct nvmx_tcp_conn *c, struct nvmx_tgt_req *r)
{
	const struct nvmx_sgl_desc *sgl = &r->sqe.dptr.sgl;

	if (c->rx_datalen) {
		if (r->dir != NVMX_DIR_H2C)
			return nvmx_sc(NVMX_SC_INVALID_FIELD);
		if (sgl->id != NVMX_SGL_ID(NVMX_SGL_TYPE_DATA_BLOCK, NVMX_SGL_SUBTYPE_OFFSET))
			return nvmx_sc(NVMX_SC_SGL_INVALID_TYPE);
		if (nvmx_le64_to_cpu(sgl->addr) != 0)
			return nvmx_sc(NVMX_SC_SGL_INVALID_OFFSET);
		if (nvmx_le32_to_cpu(sgl->length) != c->rx_datalen)
			return nvmx_sc(NVMX_SC_SGL_INVALID_DATA);
		return 0;
	}
	if (r->xfer_len &&
	    sgl->id != NVMX_SGL_ID(NVMX_SGL_TYPE_TRANSPORT_DATA, NVMX_SGL_SUBTYPE_TRANSPORT))
		return nvmx_sc(NVMX_SC_SGL_INVALID_TYPE);
	return 0;
}

static void handle_cmd_header(struct nvmx_tcp_conn *c)
{
	const struct nvmx_tcp_cmd *pdu = (const struct nvmx_tcp_cmd *)c->rx_hdr;
	struct nvmx_tcp_slot *s = c->free;
	uint16_t st;

	if (!s) {		/* more commands than SQ entries */
		fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, 0);
		return;
	}
	c->free = s->next;
	s->next = NULL;
	s->state = NVMX_SLOT_DATA;
	s->ddgst_bad = false;
	s->r2t_pending = false;
	s->recvd = 0;
	memcpy(&s->req.sqe, &pdu->sqe, sizeof(s->req.sqe));
	st = nvmx_tgt_cmd_prepare(&s->req);
	if (!st)
		st = check_capsule_sgl(c, &s->req);
	s->prep_status = st;
	c->rx_slot = s;
	c->rx_dst = s->req.buf;
}

static void handle_h2c_header(struct nvmx_tcp_conn *c)
{
	const struct nvmx_tcp_h2c_data *h = (const struct nvmx_tcp_h2c_data *)c->rx_hdr;
	uint16_t ttag = nvmx_le16_to_cpu(h->ttag);
	uint32_t datao = nvmx_le32_to_cpu(h->datao), datal = nvmx_le32_to_cpu(h->datal);
	struct nvmx_tcp_slot *s;

	/* 3.6.2.8 and FreeBSD's checks: known TTAG and CCCID, in order, in range. */
	if (ttag >= NVMX_TCP_SLOTS || c->slots[ttag].state != NVMX_SLOT_R2T) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, ttag));
		return;
	}
	s = &c->slots[ttag];
	if (h->cccid != s->req.sqe.cid) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, cccid));
		return;
	}
	if (datal != c->rx_datalen) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, datal));
		return;
	}
	if (datao != s->recvd) {
		fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, offsetof(struct nvmx_tcp_h2c_data, datao));
		return;
	}
	if ((uint64_t)datao + datal > s->req.xfer_len) {
		fatal(c, NVMX_TCP_FES_DATA_OUT_OF_RANGE, offsetof(struct nvmx_tcp_h2c_data, datal));
		return;
	}
	if (!!(h->ch.flags & NVMX_TCP_F_LAST_PDU) != (datao + datal == s->req.xfer_len)) {
		fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, offsetof(struct nvmx_tcp_ch, flags));
		return;
	}
	c->rx_slot = s;
	c->rx_dst = s->req.buf + datao;
}

static uint16_t transient_error(void)
{
	return nvmx_st_make(NVMX_SCT_GENERIC, NVMX_SC_TRANSIENT_TR_ERR, 0);
}

/* The capsule (and its in-capsule data) is in. */
static void cmd_ready(struct nvmx_tcp_slot *s, uint32_t incapsule)
{
	struct nvmx_tgt_req *r = &s->req;

	s->state = NVMX_SLOT_EXEC;
	if (s->prep_status) {
		r->xfer_len = 0;
		nvmx_tgt_req_done(r, s->prep_status, 0);
	} else if (s->ddgst_bad) {	/* 3.6.2.? data digest error: retryable */
		r->xfer_len = 0;
		nvmx_tgt_req_done(r, transient_error(), 0);
	} else if (r->dir == NVMX_DIR_H2C && incapsule == 0 && r->xfer_len) {
		send_r2t(s);
	} else {
		nvmx_tgt_cmd_exec(r);
	}
}

static void h2c_ready(struct nvmx_tcp_slot *s, uint32_t datal)
{
	struct nvmx_tgt_req *r = &s->req;

	s->recvd += datal;
	if (s->recvd < r->xfer_len)
		return;
	s->state = NVMX_SLOT_EXEC;
	if (s->ddgst_bad) {
		r->xfer_len = 0;
		nvmx_tgt_req_done(r, transient_error(), 0);
	} else {
		nvmx_tgt_cmd_exec(r);
	}
}

static void pdu_done(struct nvmx_tcp_conn *c)
{
	uint8_t type = ((const struct nvmx_tcp_ch *)c->rx_hdr)->pdu_type;
	struct nvmx_tcp_slot *s = c->rx_slot;
	uint32_t datal = c->rx_datalen;

	c->pdus_in++;
	rx_reset(c);
	if (type == NVMX_TCP_CMD)
		cmd_ready(s, datal);
	else if (type == NVMX_TCP_H2C_DATA)
		h2c_ready(s, datal);
}

/* Header in (digest checked): act on it, then expect pad/data/next PDU. */
static void header_done(struct nvmx_tcp_conn *c)
{
	const struct nvmx_tcp_ch *ch = (const struct nvmx_tcp_ch *)c->rx_hdr;

	if (c->rx_hlen > ch->hlen &&
	    nvmx_get_le32(c->rx_hdr + ch->hlen) != nvmx_crc32c(c->rx_hdr, ch->hlen)) {
		fatal(c, NVMX_TCP_FES_HDGST, 0);
		return;
	}
	switch (ch->pdu_type) {
	case NVMX_TCP_ICREQ:    handle_icreq(c); break;
	case NVMX_TCP_CMD:      handle_cmd_header(c); break;
	case NVMX_TCP_H2C_DATA: handle_h2c_header(c); break;
	}
	if (c->rx_state == NVMX_RX_DEAD)
		return;
	c->rx_have = 0;
	if (c->rx_pad) {
		c->rx_state = NVMX_RX_PAD;
		c->rx_need = c->rx_pad;
	} else if (c->rx_datalen) {
		c->rx_state = NVMX_RX_DATA;
		c->rx_need = c->rx_datalen;
		c->rx_crc = NVMX_CRC32C_INIT;
	} else {
		pdu_done(c);
	}
}

/*
 * 3.6.1 common header checks, before anything else is read: type known and
 * allowed in this direction and state, HLEN fixed for the type, digests as
 * negotiated, PDO and PLEN consistent, data within what the type allows.
 */
static void ch_done(struct nvmx_tcp_conn *c)
{
	const struct nvmx_tcp_ch *ch = (const struct nvmx_tcp_ch *)c->rx_hdr;
	uint32_t plen = nvmx_le32_to_cpu(ch->plen), hd = 0, dd = 0, data;
	uint8_t type = ch->pdu_type;

	if (type == NVMX_TCP_H2C_TERM) {	/* 3.6.2.4: the host gives up */
		nvmx_info("%s: H2CTermReq received; closing", c->q.peer);
		c->rx_state = NVMX_RX_DEAD;
		c->broken = true;
		return;
	}
	if (type != NVMX_TCP_ICREQ && type != NVMX_TCP_CMD && type != NVMX_TCP_H2C_DATA) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, pdu_type));
		return;
	}
	if ((type == NVMX_TCP_ICREQ) == c->ic_done) {	/* ICReq first, and once */
		fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, 0);
		return;
	}
	if (ch->hlen != nvmx_tcp_hlen(type)) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, hlen));
		return;
	}
	if (type != NVMX_TCP_ICREQ) {
		if (!!(ch->flags & NVMX_TCP_F_HDGST) != c->hdgst) {
			fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, flags));
			return;
		}
		hd = c->hdgst ? 4 : 0;
	}
	if (plen < ch->hlen + hd || (type == NVMX_TCP_ICREQ && plen != ch->hlen)) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, plen));
		return;
	}
	data = plen - ch->hlen - hd;
	c->rx_hlen = ch->hlen + hd;
	c->rx_pad = 0;
	c->rx_datalen = 0;
	if (data == 0 && type == NVMX_TCP_H2C_DATA) {
		fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, plen));
		return;
	}
	if (data) {
		if (!!(ch->flags & NVMX_TCP_F_DDGST) != c->ddgst) {
			fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, flags));
			return;
		}
		dd = c->ddgst ? 4 : 0;
		/* CPDA is 0: data may start right after the header, at most a
		 * little later; never past the end of the PDU. */
		if (ch->pdo < c->rx_hlen || ch->pdo > c->rx_hlen + NVMX_TCP_PDA_MAX * 4 ||
		    (uint64_t)ch->pdo + dd >= plen) {
			fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, pdo));
			return;
		}
		c->rx_pad = ch->pdo - c->rx_hlen;
		c->rx_datalen = plen - ch->pdo - dd;
		if ((type == NVMX_TCP_CMD && c->rx_datalen > c->q.t->opts.inline_data) ||
		    (type == NVMX_TCP_H2C_DATA && c->rx_datalen > NVMX_TCP_MAXH2CDATA)) {
			fatal(c, NVMX_TCP_FES_DATA_LIMIT, offsetof(struct nvmx_tcp_ch, plen));
			return;
		}
	}
	c->rx_state = NVMX_RX_PSH;
	c->rx_need = c->rx_hlen;
}

static void data_done(struct nvmx_tcp_conn *c)
{
	if (c->ddgst) {
		c->rx_state = NVMX_RX_DDGST;
		c->rx_have = 0;
		c->rx_need = 4;
		return;
	}
	pdu_done(c);
}

static void ddgst_done(struct nvmx_tcp_conn *c)
{
	if (nvmx_get_le32(c->rx_dgst) != nvmx_crc32c_final(c->rx_crc)) {
		nvmx_warn("%s qid %u: data digest mismatch", c->q.peer, c->q.qid);
		if (c->rx_slot)
			c->rx_slot->ddgst_bad = true;
	}
	pdu_done(c);
}

static void data_in(struct nvmx_tcp_conn *c, size_t n)
{
	if (c->ddgst)
		c->rx_crc = nvmx_crc32c_update(c->rx_crc, c->rx_dst + c->rx_have, n);
	c->rx_have += (uint32_t)n;
	if (c->rx_have == c->rx_need)
		data_done(c);
}

void nvmx_tcp_conn_rx(struct nvmx_tcp_conn *c, const uint8_t *p, size_t n)
{
	while (n && c->rx_state != NVMX_RX_DEAD) {
		size_t take = c->rx_need - c->rx_have;

		if (take > n)
			take = n;
		switch (c->rx_state) {
		case NVMX_RX_CH:
		case NVMX_RX_PSH:
			memcpy(c->rx_hdr + c->rx_have, p, take);
			break;
		case NVMX_RX_DATA:
			memcpy(c->rx_dst + c->rx_have, p, take);
			break;
		case NVMX_RX_DDGST:
			memcpy(c->rx_dgst + c->rx_have, p, take);
			break;
		default:
			break;
		}
		p += take;
		n -= take;
		if (c->rx_state == NVMX_RX_DATA) {
			data_in(c, take);
			continue;
		}
		c->rx_have += (uint32_t)take;
		if (c->rx_have < c->rx_need)
			continue;
		switch (c->rx_state) {
		case NVMX_RX_CH:
			ch_done(c);
			break;
		case NVMX_RX_PSH:
			header_done(c);
			break;
		case NVMX_RX_PAD:
			c->rx_have = 0;
			if (c->rx_datalen) {
				c->rx_state = NVMX_RX_DATA;
				c->rx_need = c->rx_datalen;
				c->rx_crc = NVMX_CRC32C_INIT;
			} else {
				pdu_done(c);
			}
			break;
		case NVMX_RX_DDGST:
			ddgst_done(c);
			break;
		default:
			break;
		}
	}
}

int nvmx_tcp_conn_read(struct nvmx_tcp_conn *c)
{
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n;

		size_t asked;

		/* Large data goes straight into the slot's buffer.  A read
		 * shorter than asked drained the socket: stop there rather
		 * than pay one more recv for its EAGAIN (epoll is
		 * level-triggered and reports whatever arrives later). */
		if (c->rx_state == NVMX_RX_DATA && c->rx_need - c->rx_have >= 4096) {
			asked = c->rx_need - c->rx_have;
			n = recv(c->fd, c->rx_dst + c->rx_have, asked, MSG_DONTWAIT);
			if (n > 0) {
				data_in(c, (size_t)n);
				if ((size_t)n < asked)
					break;
				continue;
			}
		} else {
			asked = NVMX_TCP_RBUF;
			n = recv(c->fd, c->rbuf, asked, MSG_DONTWAIT);
			if (n > 0) {
				if (c->rx_state != NVMX_RX_DEAD)
					nvmx_tcp_conn_rx(c, c->rbuf, (size_t)n);
				if ((size_t)n < asked)
					break;
				continue;
			}
		}
		if (n == 0)
			return -1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		return -1;
	}
	return nvmx_tcp_conn_flush(c);
}
