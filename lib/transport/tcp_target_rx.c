/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP target receive state machine: common header, rest of the header
 * and its digest, padding, data, data digest; any split of the byte stream
 * gives the same result.  Section numbers are those of the NVMe/TCP
 * Transport Specification 1.0.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "transport/tcp_target.h"
#include "util/crc32c.h"
#include "util/log.h"

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
		nvmx_tcp_fatal(c, NVMX_TCP_FES_UNSUPPORTED_PARAM, offsetof(struct nvmx_tcp_icreq, pfv));
		return;
	}
	if (ic->hpda > NVMX_TCP_PDA_MAX) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_UNSUPPORTED_PARAM, offsetof(struct nvmx_tcp_icreq, hpda));
		return;
	}
	c->hpda = ic->hpda;
	c->hdgst = ic->dgst & NVMX_TCP_DGST_HDR;
	c->ddgst = ic->dgst & NVMX_TCP_DGST_DATA;
	c->maxr2t = nvmx_le32_to_cpu(ic->maxr2t);
	c->ic_done = true;
	memset(rsp, 0, sizeof(*rsp));
	nvmx_tcp_set_ch(rsp, NVMX_TCP_ICRESP, 0, sizeof(*rsp), 0, sizeof(*rsp));
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
		nvmx_tcp_fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, 0);
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
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, ttag));
		return;
	}
	s = &c->slots[ttag];
	if (h->cccid != s->req.sqe.cid) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, cccid));
		return;
	}
	if (datal != c->rx_datalen) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_h2c_data, datal));
		return;
	}
	if (datao != s->recvd) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, offsetof(struct nvmx_tcp_h2c_data, datao));
		return;
	}
	if ((uint64_t)datao + datal > s->req.xfer_len) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_DATA_OUT_OF_RANGE, offsetof(struct nvmx_tcp_h2c_data, datal));
		return;
	}
	if (!!(h->ch.flags & NVMX_TCP_F_LAST_PDU) != (datao + datal == s->req.xfer_len)) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, offsetof(struct nvmx_tcp_ch, flags));
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
	} else if (s->ddgst_bad) {	/* data digest mismatch: Transient Transport Error, retryable, as SPDK does */
		r->xfer_len = 0;
		nvmx_tgt_req_done(r, transient_error(), 0);
	} else if (r->dir == NVMX_DIR_H2C && incapsule == 0 && r->xfer_len) {
		nvmx_tcp_send_r2t(s);
	} else {
		nvmx_tgt_cmd_exec(r);
		if (r->dir == NVMX_DIR_H2C)	/* it may have pointed into rbuf (data_in_place) */
			r->data = r->buf;
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
		nvmx_tcp_fatal(c, NVMX_TCP_FES_HDGST, 0);
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
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, pdu_type));
		return;
	}
	if ((type == NVMX_TCP_ICREQ) == c->ic_done) {	/* ICReq first, and once */
		nvmx_tcp_fatal(c, NVMX_TCP_FES_PDU_SEQUENCE, 0);
		return;
	}
	if (ch->hlen != nvmx_tcp_hlen(type)) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, hlen));
		return;
	}
	if (type != NVMX_TCP_ICREQ) {
		if (!!(ch->flags & NVMX_TCP_F_HDGST) != c->hdgst) {
			nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, flags));
			return;
		}
		hd = c->hdgst ? 4 : 0;
	}
	if (plen < ch->hlen + hd || (type == NVMX_TCP_ICREQ && plen != ch->hlen)) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, plen));
		return;
	}
	data = plen - ch->hlen - hd;
	c->rx_hlen = ch->hlen + hd;
	c->rx_pad = 0;
	c->rx_datalen = 0;
	if (data == 0 && type == NVMX_TCP_H2C_DATA) {
		nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, plen));
		return;
	}
	if (data) {
		if (!!(ch->flags & NVMX_TCP_F_DDGST) != c->ddgst) {
			nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, flags));
			return;
		}
		dd = c->ddgst ? 4 : 0;
		/* CPDA is 0: data may start right after the header, at most a
		 * little later; never past the end of the PDU. */
		if (ch->pdo < c->rx_hlen || ch->pdo > c->rx_hlen + NVMX_TCP_PDA_MAX * 4 ||
		    (uint64_t)ch->pdo + dd >= plen) {
			nvmx_tcp_fatal(c, NVMX_TCP_FES_INVALID_HEADER, offsetof(struct nvmx_tcp_ch, pdo));
			return;
		}
		c->rx_pad = ch->pdo - c->rx_hlen;
		c->rx_datalen = plen - ch->pdo - dd;
		if ((type == NVMX_TCP_CMD && c->rx_datalen > c->q.t->opts.inline_data) ||
		    (type == NVMX_TCP_H2C_DATA && c->rx_datalen > NVMX_TCP_MAXH2CDATA)) {
			nvmx_tcp_fatal(c, NVMX_TCP_FES_DATA_LIMIT, offsetof(struct nvmx_tcp_ch, plen));
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

/*
 * In-capsule data wholly inside the chunk being parsed (its digest too)
 * is used where it lies: the command runs before this call returns, so
 * the write goes from the receive buffer to the backend in one copy
 * instead of two (issue 9: at 4 KiB randwrite the two copies were 55% of
 * nvmxd's user instructions).  I/O queues only: their commands consume
 * the data inside nvmx_tgt_io_exec; admin commands keep the slot copy.
 */
static bool data_in_place(const struct nvmx_tcp_conn *c, size_t avail)
{
	const struct nvmx_tcp_ch *ch = (const struct nvmx_tcp_ch *)c->rx_hdr;

	return ch->pdu_type == NVMX_TCP_CMD && c->q.qid != 0 && c->rx_have == 0 &&
	       c->rx_slot && !c->rx_slot->prep_status &&
	       avail >= (size_t)c->rx_need + (c->ddgst ? 4u : 0u);
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
			if (data_in_place(c, n)) {
				c->rx_dst = (uint8_t *)p;	/* data_in's digest reads it here */
				c->rx_slot->req.data = (uint8_t *)p;
				break;
			}
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
