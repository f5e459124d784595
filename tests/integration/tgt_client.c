/* SPDX-License-Identifier: BSD-2-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tgt_client.h"
#include "util/crc32c.h"

int tc_open(struct tc *c, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->next_cid = 1;
	c->inline_max = 8192;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void tc_close(struct tc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int tc_send_raw(struct tc *c, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t k = send(c->fd, b, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

int tc_recv_raw(struct tc *c, void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t k = recv(c->fd, b, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

int tc_recv_pdu(struct tc *c, uint8_t *buf, size_t len)
{
	struct nvmx_tcp_ch ch;
	uint32_t plen;

	if (tc_recv_raw(c, &ch, sizeof(ch)))
		return -1;
	plen = nvmx_le32_to_cpu(ch.plen);
	if (plen < sizeof(ch) || plen > len)
		return -1;
	memcpy(buf, &ch, sizeof(ch));
	if (tc_recv_raw(c, buf + sizeof(ch), plen - sizeof(ch)))
		return -1;
	if (ch.pdu_type == NVMX_TCP_C2H_TERM)
		c->term_fes = nvmx_get_le16(buf + 8);
	return (int)plen;
}

int tc_ic(struct tc *c, bool hdgst, bool ddgst, uint8_t hpda)
{
	struct nvmx_tcp_icreq req = { 0 };
	uint8_t buf[512];
	const struct nvmx_tcp_icresp *rsp = (const void *)buf;

	req.ch.pdu_type = NVMX_TCP_ICREQ;
	req.ch.hlen = sizeof(req);
	req.ch.plen = nvmx_cpu_to_le32(sizeof(req));
	req.pfv = 0;
	req.hpda = hpda;
	req.dgst = (hdgst ? NVMX_TCP_DGST_HDR : 0) | (ddgst ? NVMX_TCP_DGST_DATA : 0);
	req.maxr2t = 0;
	if (tc_send_raw(c, &req, sizeof(req)) || tc_recv_pdu(c, buf, sizeof(buf)) != 128 ||
	    rsp->ch.pdu_type != NVMX_TCP_ICRESP)
		return -1;
	c->hdgst = rsp->dgst & NVMX_TCP_DGST_HDR;
	c->ddgst = rsp->dgst & NVMX_TCP_DGST_DATA;
	c->hpda = hpda;
	c->maxh2cdata = nvmx_le32_to_cpu(rsp->maxh2cdata);
	return rsp->cpda == 0 ? 0 : -1;
}

static void ch_fill(struct tc *c, void *hdr, uint8_t type, uint8_t hlen, uint32_t datalen,
		    uint8_t *pdo_out, uint32_t *plen_out)
{
	struct nvmx_tcp_ch *ch = hdr;
	unsigned hd = c->hdgst ? 4 : 0, dd = c->ddgst && datalen ? 4 : 0;
	unsigned pdo = datalen ? hlen + hd : 0;

	ch->pdu_type = type;
	ch->flags = (c->hdgst ? NVMX_TCP_F_HDGST : 0) | (dd ? NVMX_TCP_F_DDGST : 0);
	ch->hlen = hlen;
	ch->pdo = (uint8_t)pdo;
	*plen_out = hlen + hd + datalen + dd;
	ch->plen = nvmx_cpu_to_le32(*plen_out);
	*pdo_out = (uint8_t)pdo;
}

/* Header (+digest), data, data digest. */
static int send_pdu(struct tc *c, void *hdr, unsigned hlen, const void *data, uint32_t len)
{
	uint8_t h[160];
	uint32_t dd;

	memcpy(h, hdr, hlen);
	if (c->hdgst)
		nvmx_put_le32(h + hlen, nvmx_crc32c(h, hlen));
	if (tc_send_raw(c, h, hlen + (c->hdgst ? 4 : 0)))
		return -1;
	if (!len)
		return 0;
	if (tc_send_raw(c, data, len))
		return -1;
	if (c->ddgst) {
		nvmx_put_le32(&dd, nvmx_crc32c(data, len));
		if (tc_send_raw(c, &dd, 4))
			return -1;
	}
	return 0;
}

static int check_hdgst(struct tc *c, const uint8_t *pdu)
{
	const struct nvmx_tcp_ch *ch = (const void *)pdu;

	if (!c->hdgst)
		return 0;
	if (!(ch->flags & NVMX_TCP_F_HDGST))
		return -1;
	return nvmx_get_le32(pdu + ch->hlen) == nvmx_crc32c(pdu, ch->hlen) ? 0 : -1;
}

static int h2c(struct tc *c, const uint8_t *r2tpdu, const uint8_t *data)
{
	const struct nvmx_tcp_r2t *r2t = (const void *)r2tpdu;
	uint32_t off = nvmx_le32_to_cpu(r2t->r2to), left = nvmx_le32_to_cpu(r2t->r2tl);

	c->r2ts++;
	while (left) {
		struct nvmx_tcp_h2c_data h = { 0 };
		uint32_t n = left < c->maxh2cdata ? left : c->maxh2cdata, plen;
		uint8_t pdo;

		ch_fill(c, &h, NVMX_TCP_H2C_DATA, sizeof(h), n, &pdo, &plen);
		if (n == left)
			h.ch.flags |= NVMX_TCP_F_LAST_PDU;
		h.cccid = r2t->cccid;
		h.ttag = r2t->ttag;
		h.datao = nvmx_cpu_to_le32(off);
		h.datal = nvmx_cpu_to_le32(n);
		if (send_pdu(c, &h, sizeof(h), data + off, n))
			return -1;
		off += n;
		left -= n;
	}
	return 0;
}

static int c2h(struct tc *c, const uint8_t *pdu, uint8_t *data, uint32_t len)
{
	const struct nvmx_tcp_c2h_data *h = (const void *)pdu;
	uint32_t off = nvmx_le32_to_cpu(h->datao), n = nvmx_le32_to_cpu(h->datal);
	const uint8_t *p = pdu + h->ch.pdo;

	c->c2h_pdus++;
	if ((uint64_t)off + n > len || h->ch.pdo < 24)
		return -1;
	if (c->hpda && h->ch.pdo % ((c->hpda + 1) * 4))
		return -1;
	if (c->ddgst && (!(h->ch.flags & NVMX_TCP_F_DDGST) ||
			 nvmx_get_le32(p + n) != nvmx_crc32c(p, n)))
		return -2;
	memcpy(data + off, p, n);
	if (h->ch.flags & NVMX_TCP_F_SUCCESS)
		c->success_flag = true;
	return 0;
}

int tc_submit(struct tc *c, struct nvmx_sqe *sqe, const void *data, uint32_t len, int dir,
	      bool in_capsule)
{
	struct nvmx_tcp_cmd cmd = { 0 };
	uint32_t plen;
	uint8_t pdo;
	bool inl = dir == 1 && in_capsule;

	if (c->next_cid == 0xffff)
		c->next_cid = 1;
	sqe->cid = nvmx_cpu_to_le16(c->next_cid++);
	sqe->flags = (sqe->flags & ~0xc0) | NVMX_SQE_PSDT_SGL_MPTR;
	sqe->dptr.sgl.length = nvmx_cpu_to_le32(len);
	sqe->dptr.sgl.addr = 0;
	sqe->dptr.sgl.id = inl ? NVMX_SGL_ID(NVMX_SGL_TYPE_DATA_BLOCK, NVMX_SGL_SUBTYPE_OFFSET) :
			   NVMX_SGL_ID(NVMX_SGL_TYPE_TRANSPORT_DATA, NVMX_SGL_SUBTYPE_TRANSPORT);
	cmd.sqe = *sqe;
	ch_fill(c, &cmd, NVMX_TCP_CMD, sizeof(cmd), inl ? len : 0, &pdo, &plen);
	return send_pdu(c, &cmd, sizeof(cmd), data, inl ? len : 0);
}

int tc_wait(struct tc *c, uint16_t cid, void *data, uint32_t len, int dir, struct nvmx_cqe *cqe)
{
	static uint8_t pdu[256 * 1024];

	for (;;) {
		int n = tc_recv_pdu(c, pdu, sizeof(pdu)), rc;
		const struct nvmx_tcp_ch *ch = (const void *)pdu;

		if (n < 0 || ch->pdu_type == NVMX_TCP_C2H_TERM || check_hdgst(c, pdu))
			return -1;
		switch (ch->pdu_type) {
		case NVMX_TCP_R2T:
			if (dir != 1 || h2c(c, pdu, data))
				return -1;
			break;
		case NVMX_TCP_C2H_DATA:
			if (dir != 2)
				return -1;
			if ((rc = c2h(c, pdu, data, len)) != 0)
				return rc;
			if (c->success_flag) {
				memset(cqe, 0, sizeof(*cqe));
				cqe->cid = nvmx_cpu_to_le16(cid);
				return 0;
			}
			break;
		case NVMX_TCP_RSP:
			*cqe = ((const struct nvmx_tcp_rsp *)pdu)->cqe;
			return nvmx_le16_to_cpu(cqe->cid) == cid ? 0 : -1;
		default:
			return -1;
		}
	}
}

int tc_cmd(struct tc *c, struct nvmx_sqe *sqe, void *data, uint32_t len, int dir,
	   bool in_capsule, struct nvmx_cqe *cqe)
{
	c->r2ts = c->c2h_pdus = 0;
	c->success_flag = false;
	if (tc_submit(c, sqe, data, len, dir, in_capsule))
		return -1;
	return tc_wait(c, nvmx_le16_to_cpu(sqe->cid), data, len, dir, cqe);
}

static uint16_t st(int rc, const struct nvmx_cqe *cqe)
{
	return rc ? 0xffff : (uint16_t)(nvmx_cqe_status(cqe) & 0xfffe);
}

uint16_t tc_connect(struct tc *c, uint16_t qid, uint16_t sqsize, const char *subnqn,
		    const char *hostnqn, uint16_t cntlid, uint32_t kato, uint16_t *cntlid_out)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_connect_cmd *cmd = (void *)&sqe;
	struct nvmx_connect_data d = { 0 };
	struct nvmx_cqe cqe;
	int rc;

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_CONNECT;
	cmd->qid = nvmx_cpu_to_le16(qid);
	cmd->sqsize = nvmx_cpu_to_le16(sqsize);
	cmd->kato = nvmx_cpu_to_le32(kato);
	cmd->cattr = c->sqfc_disabled ? NVMX_CONNECT_CATTR_DISABLE_SQFC : 0;
	for (int i = 0; i < 16; i++)
		d.hostid[i] = (uint8_t)(0xa0 + i);
	d.cntlid = nvmx_cpu_to_le16(cntlid);
	snprintf(d.subnqn, sizeof(d.subnqn), "%s", subnqn);
	snprintf(d.hostnqn, sizeof(d.hostnqn), "%s", hostnqn);
	rc = tc_cmd(c, &sqe, &d, sizeof(d), 1, true, &cqe);
	if (!rc && cntlid_out)
		*cntlid_out = (uint16_t)nvmx_le32_to_cpu(cqe.dw0);
	return st(rc, &cqe);
}

uint16_t tc_prop_get(struct tc *c, uint32_t off, bool eight, uint64_t *val)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_prop_get_cmd *cmd = (void *)&sqe;
	struct nvmx_cqe cqe;
	int rc;

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_PROPERTY_GET;
	cmd->attrib = eight ? NVMX_PROP_SIZE_8 : NVMX_PROP_SIZE_4;
	cmd->offset = nvmx_cpu_to_le32(off);
	rc = tc_cmd(c, &sqe, NULL, 0, 0, false, &cqe);
	if (!rc)
		*val = nvmx_le32_to_cpu(cqe.dw0) | (uint64_t)nvmx_le32_to_cpu(cqe.dw1) << 32;
	return st(rc, &cqe);
}

uint16_t tc_prop_set(struct tc *c, uint32_t off, uint32_t val)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_prop_set_cmd *cmd = (void *)&sqe;
	struct nvmx_cqe cqe;

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_PROPERTY_SET;
	cmd->attrib = NVMX_PROP_SIZE_4;
	cmd->offset = nvmx_cpu_to_le32(off);
	cmd->value = nvmx_cpu_to_le64(val);
	return st(tc_cmd(c, &sqe, NULL, 0, 0, false, &cqe), &cqe);
}

int tc_enable(struct tc *c)
{
	uint64_t csts = 0;

	if (tc_prop_set(c, NVMX_REG_CC, NVMX_CC_EN | (6u << NVMX_CC_IOSQES_SHIFT) |
			(4u << NVMX_CC_IOCQES_SHIFT)))
		return -1;
	for (int i = 0; i < 100; i++) {
		if (tc_prop_get(c, NVMX_REG_CSTS, false, &csts))
			return -1;
		if (csts & NVMX_CSTS_RDY)
			return 0;
		usleep(10000);
	}
	return -1;
}

uint16_t tc_identify(struct tc *c, uint8_t cns, uint32_t nsid, void *buf)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_identify *cmd = (void *)&sqe;
	struct nvmx_cqe cqe;

	cmd->opc = NVMX_ADM_IDENTIFY;
	cmd->nsid = nvmx_cpu_to_le32(nsid);
	cmd->cns = cns;
	return st(tc_cmd(c, &sqe, buf, 4096, 2, false, &cqe), &cqe);
}

uint16_t tc_get_log(struct tc *c, uint8_t lid, uint32_t nsid, void *buf, uint32_t len, uint64_t off)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_get_log_page *cmd = (void *)&sqe;
	uint32_t numd = len / 4 - 1;
	struct nvmx_cqe cqe;

	cmd->opc = NVMX_ADM_GET_LOG_PAGE;
	cmd->nsid = nvmx_cpu_to_le32(nsid);
	cmd->lid = lid;
	cmd->numdl = nvmx_cpu_to_le16((uint16_t)numd);
	cmd->numdu = nvmx_cpu_to_le16((uint16_t)(numd >> 16));
	cmd->lpol = nvmx_cpu_to_le32((uint32_t)off);
	cmd->lpou = nvmx_cpu_to_le32((uint32_t)(off >> 32));
	return st(tc_cmd(c, &sqe, buf, len, 2, false, &cqe), &cqe);
}

uint16_t tc_rw(struct tc *c, uint8_t opc, uint32_t nsid, uint64_t slba, uint16_t nlb0,
	       void *buf, uint32_t len, bool in_capsule)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_rw *cmd = (void *)&sqe;
	struct nvmx_cqe cqe;
	int dir = opc == NVMX_NVM_READ ? 2 : (len ? 1 : 0);

	cmd->opc = opc;
	cmd->nsid = nvmx_cpu_to_le32(nsid);
	cmd->slba = nvmx_cpu_to_le64(slba);
	cmd->nlb = nvmx_cpu_to_le16(nlb0);
	return st(tc_cmd(c, &sqe, buf, len, dir, in_capsule, &cqe), &cqe);
}

uint16_t tc_features(struct tc *c, bool set, uint8_t fid, uint32_t cdw11, uint32_t *dw0)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cqe cqe;
	int rc;

	sqe.opc = set ? NVMX_ADM_SET_FEATURES : NVMX_ADM_GET_FEATURES;
	sqe.cdw10 = nvmx_cpu_to_le32(fid);
	sqe.cdw11 = nvmx_cpu_to_le32(cdw11);
	rc = tc_cmd(c, &sqe, NULL, 0, 0, false, &cqe);
	if (!rc && dw0)
		*dw0 = nvmx_le32_to_cpu(cqe.dw0);
	return st(rc, &cqe);
}
