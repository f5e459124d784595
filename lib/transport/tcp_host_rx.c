/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP host receive state machine.  Bytes come in any pieces: a PDU
 * split at any byte, or many PDUs in one read.  Sections: common header
 * (8 bytes), the rest of the header plus HDGST, pad up to PDO, data, DDGST.
 * Every field is checked before it is trusted (TCP 3.6, 7.4.x); the first
 * error makes the machine DEAD and says what was wrong, which TermReq FES
 * to answer with, and never lets data land outside the destination.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nvmx/le.h"
#include "nvmx/spec_names.h"
#include "transport/tcp_host.h"
#include "util/crc32c.h"

void tcp_rx_init(struct tcp_rx *rx, const struct tcp_rx_ops *ops, void *ctx)
{
	memset(rx, 0, sizeof(*rx));
	rx->ops = ops;
	rx->ctx = ctx;
	rx->state = TCP_RX_CH;
	rx->need = sizeof(struct nvmx_tcp_ch);
}

int tcp_rx_error(struct tcp_rx *rx, int err, uint16_t fes, uint32_t fei, const char *fmt, ...)
{
	va_list ap;

	if (rx->err)
		return rx->err;
	rx->err = err;
	rx->fes = fes;
	rx->fei = fei;
	va_start(ap, fmt);
	vsnprintf(rx->msg, sizeof(rx->msg), fmt, ap);
	va_end(ap);
	rx->state = TCP_RX_DEAD;
	return err;
}

static unsigned int hdgst_len(const struct tcp_rx *rx)
{
	return rx->hdgst && nvmx_tcp_type_has_hdgst(rx->type) ? NVMX_TCP_DIGEST_LEN : 0;
}

static unsigned int ddgst_len(const struct tcp_rx *rx)
{
	return rx->ddgst && rx->type == NVMX_TCP_C2H_DATA ? NVMX_TCP_DIGEST_LEN : 0;
}

static void expect(struct tcp_rx *rx, enum tcp_rx_state st, uint32_t need)
{
	rx->state = st;
	rx->got = 0;
	rx->need = need;
}

static int bad(struct tcp_rx *rx, uint32_t fei, const char *what)
{
	return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, fei,
			    "malformed %s PDU: %s", nvmx_tcp_pdu_name(rx->type), what);
}

/* The common header is in: check type, HLEN, flags, PLEN (TCP 3.6.1). */
static int start_pdu(struct tcp_rx *rx)
{
	const struct nvmx_tcp_ch *ch = (const void *)rx->hdr;
	unsigned int hd;

	rx->type = ch->pdu_type;
	rx->flags = ch->flags;
	rx->hlen = ch->hlen;
	rx->pdo = ch->pdo;
	rx->plen = nvmx_le32_to_cpu(ch->plen);
	switch (rx->type) {
	case NVMX_TCP_ICRESP:
		if (rx->ic_done)
			return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_PDU_SEQUENCE, 0,
					    "unexpected ICResp after connection setup");
		break;
	case NVMX_TCP_C2H_TERM:
		break;
	case NVMX_TCP_RSP:
	case NVMX_TCP_C2H_DATA:
	case NVMX_TCP_R2T:
		if (!rx->ic_done)
			return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_PDU_SEQUENCE, 0,
					    "%s PDU before ICResp", nvmx_tcp_pdu_name(rx->type));
		break;
	default:
		return tcp_rx_error(rx, -EPROTO, NVMX_TCP_FES_INVALID_HEADER, 0,
				    "unexpected PDU type 0x%02x (%s) from a controller", rx->type,
				    nvmx_tcp_pdu_name(rx->type));
	}
	if (rx->hlen != nvmx_tcp_hlen(rx->type))
		return bad(rx, 2, "wrong HLEN");
	hd = hdgst_len(rx);
	if (nvmx_tcp_type_has_hdgst(rx->type) && !!(rx->flags & NVMX_TCP_F_HDGST) != rx->hdgst)
		return bad(rx, 1, rx->hdgst ? "HDGSTF clear but header digest negotiated"
					    : "HDGSTF set but header digest not negotiated");
	switch (rx->type) {
	case NVMX_TCP_ICRESP:
	case NVMX_TCP_RSP:
	case NVMX_TCP_R2T:
		if (rx->plen != rx->hlen + hd)
			return bad(rx, 4, "PLEN does not match a PDU without data");
		break;
	case NVMX_TCP_C2H_TERM:
		if (rx->plen < rx->hlen || rx->plen > (uint32_t)rx->hlen + NVMX_TCP_TERM_DATA_MAX)
			return bad(rx, 4, "PLEN out of range");
		break;
	case NVMX_TCP_C2H_DATA:
		if (!!(rx->flags & NVMX_TCP_F_DDGST) != rx->ddgst)
			return bad(rx, 1, rx->ddgst ? "DDGSTF clear but data digest negotiated"
						    : "DDGSTF set but data digest not negotiated");
		if (rx->pdo < (unsigned int)rx->hlen + hd)
			return bad(rx, 3, "PDO inside the header");
		if ((rx->flags & NVMX_TCP_F_SUCCESS) && !(rx->flags & NVMX_TCP_F_LAST_PDU))
			return bad(rx, 1, "SUCCESS without LAST_PDU");
		break;
	}
	expect(rx, TCP_RX_HDR, rx->hlen + hd - (uint32_t)sizeof(struct nvmx_tcp_ch));
	return 0;
}

static int pdu_done(struct tcp_rx *rx)
{
	int rc;

	if (rx->type == NVMX_TCP_C2H_TERM) {
		const struct nvmx_tcp_term_req *t = (const void *)rx->hdr;
		uint16_t fes = nvmx_le16_to_cpu(t->fes);

		/* No TermReq goes back to a TermReq (TCP 7.4.7). */
		return tcp_rx_error(rx, -ECONNRESET, 0, 0,
				    "controller terminated the connection: C2HTermReq %s (FES 0x%x, FEI 0x%x)",
				    nvmx_tcp_fes_name(fes), fes, nvmx_get_le32(&t->fei));
	}
	rc = rx->ops->done(rx->ctx, rx);
	if (rc)
		return rx->err ? rx->err : tcp_rx_error(rx, rc, 0, 0, "PDU rejected");
	expect(rx, TCP_RX_CH, sizeof(struct nvmx_tcp_ch));
	return 0;
}

static int data_complete(struct tcp_rx *rx)
{
	if (ddgst_len(rx)) {
		expect(rx, TCP_RX_DDGST, NVMX_TCP_DIGEST_LEN);
		return 0;
	}
	return pdu_done(rx);
}

static int begin_data(struct tcp_rx *rx)
{
	expect(rx, TCP_RX_DATA, rx->datal);
	rx->crc = NVMX_CRC32C_INIT;
	if (rx->datal == 0)
		return data_complete(rx);
	return 0;
}

/* The whole header (and HDGST) is in. */
static int header_done(struct tcp_rx *rx)
{
	unsigned int hd = hdgst_len(rx), dd = ddgst_len(rx);
	uint32_t pad;
	int rc;

	if (hd && nvmx_crc32c(rx->hdr, rx->hlen) != nvmx_get_le32(rx->hdr + rx->hlen))
		return tcp_rx_error(rx, -EBADMSG, NVMX_TCP_FES_HDGST, 0,
				    "header digest mismatch in %s PDU", nvmx_tcp_pdu_name(rx->type));
	rx->dest = NULL;
	switch (rx->type) {
	case NVMX_TCP_C2H_DATA: {
		const struct nvmx_tcp_c2h_data *d = (const void *)rx->hdr;

		rx->datal = nvmx_le32_to_cpu(d->datal);
		if (rx->datal == 0)
			return bad(rx, 16, "DATAL is zero");
		if ((uint64_t)rx->pdo + rx->datal + dd != rx->plen)
			return bad(rx, 4, "PLEN is not PDO + DATAL + digest");
		rc = rx->ops->header(rx->ctx, rx, &rx->dest);
		if (rc)
			return rx->err ? rx->err : tcp_rx_error(rx, rc, 0, 0, "C2HData rejected");
		if (!rx->dest)
			return tcp_rx_error(rx, -EFAULT, 0, 0, "no destination for C2HData");
		pad = rx->pdo - rx->hlen - hd;
		if (pad) {
			expect(rx, TCP_RX_PAD, pad);
			return 0;
		}
		return begin_data(rx);
	}
	case NVMX_TCP_C2H_TERM:
		rx->datal = rx->plen - rx->hlen;
		rx->dest = rx->term;
		return begin_data(rx);
	default:
		rc = rx->ops->header(rx->ctx, rx, &rx->dest);
		if (rc)
			return rx->err ? rx->err : tcp_rx_error(rx, rc, 0, 0, "PDU rejected");
		rx->datal = 0;
		return pdu_done(rx);
	}
}

bool tcp_rx_data_want(const struct tcp_rx *rx, uint8_t **p, uint32_t *len)
{
	if (rx->state != TCP_RX_DATA)
		return false;
	*p = rx->dest + rx->got;
	*len = rx->need - rx->got;
	return true;
}

int tcp_rx_data_advance(struct tcp_rx *rx, uint32_t n)
{
	if (rx->state != TCP_RX_DATA || n > rx->need - rx->got)
		return tcp_rx_error(rx, -EINVAL, 0, 0, "internal: data advance out of range");
	if (ddgst_len(rx))
		rx->crc = nvmx_crc32c_update(rx->crc, rx->dest + rx->got, n);
	rx->got += n;
	if (rx->got == rx->need)
		return data_complete(rx);
	return 0;
}

static int ddgst_done(struct tcp_rx *rx)
{
	uint32_t want = nvmx_crc32c_final(rx->crc);

	if (nvmx_get_le32(rx->dgst) != want)
		return tcp_rx_error(rx, -EBADMSG, 0, 0,
				    "data digest mismatch in C2HData (CID %u): got 0x%08x, computed 0x%08x",
				    nvmx_get_le16(rx->hdr + 8), nvmx_get_le32(rx->dgst), want);
	return pdu_done(rx);
}

int tcp_rx_feed(struct tcp_rx *rx, const uint8_t *buf, size_t len, size_t *used)
{
	size_t start = len;
	int rc = 0;

	*used = 0;
	while (len && rc == 0 && !rx->pause) {
		uint32_t n = rx->need - rx->got;

		if (rx->state == TCP_RX_DEAD)
			return rx->err;
		if (n > len)
			n = (uint32_t)len;
		switch (rx->state) {
		case TCP_RX_CH:
			memcpy(rx->hdr + rx->got, buf, n);
			break;
		case TCP_RX_HDR:
			memcpy(rx->hdr + sizeof(struct nvmx_tcp_ch) + rx->got, buf, n);
			break;
		case TCP_RX_PAD:
			break;
		case TCP_RX_DATA:
			memcpy(rx->dest + rx->got, buf, n);
			rx->copied += n;
			break;
		case TCP_RX_DDGST:
			memcpy(rx->dgst + rx->got, buf, n);
			break;
		case TCP_RX_DEAD:
			return rx->err;
		}
		buf += n;
		len -= n;
		*used = start - len;
		if (rx->state == TCP_RX_DATA) {
			rc = tcp_rx_data_advance(rx, n);
			continue;
		}
		rx->got += n;
		if (rx->got < rx->need)
			continue;
		switch (rx->state) {
		case TCP_RX_CH: rc = start_pdu(rx); break;
		case TCP_RX_HDR: rc = header_done(rx); break;
		case TCP_RX_PAD: rc = begin_data(rx); break;
		case TCP_RX_DDGST: rc = ddgst_done(rx); break;
		default: break;
		}
	}
	if (rx->state == TCP_RX_DEAD)
		return rx->err;
	return rc;
}
