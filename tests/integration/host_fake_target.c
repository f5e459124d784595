/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small NVMe/TCP controller for host tests (see host_fake_target.h).
 * Blocking sockets, one thread per connection; state shared under a mutex.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_fake_target.h"
#include "nvmx/spec.h"
#include "util/crc32c.h"

#define MAX_CONNS 64

struct fake_target {
	struct fake_target_cfg cfg;
	int lfd;
	pthread_t acceptor;
	pthread_mutex_t lock;
	uint8_t *ram;
	uint32_t cc, csts;
	unsigned int open, shutdowns;
	unsigned int keepalives, disc_reads;
	uint32_t last_kato;
	uint64_t genctr;
	bool stopping;
	pthread_t conns[MAX_CONNS];
	int conn_fds[MAX_CONNS];
	unsigned int nconns;
};

/* A command capsule read while waiting for another command's H2CData. */
struct pending {
	uint8_t h[160];
	uint8_t *icd;
	uint32_t icd_len;
};

#define MAX_PENDING 512

struct conn {
	struct fake_target *t;
	int fd;
	bool hd, dd;
	uint16_t qid;
	struct pending pend[MAX_PENDING];
	unsigned int phead, ptail;
};

static int read_capsule(struct conn *c, uint8_t *h, uint8_t **icd, uint32_t *icd_len);

static int rd(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p = (uint8_t *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

static int wr(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

		if (r <= 0)
			return -1;
		p = (const uint8_t *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_rsp(struct conn *c, uint16_t cid, uint16_t status, uint32_t dw0, uint32_t dw1)
{
	uint8_t b[28];
	struct nvmx_tcp_rsp *r = (void *)b;
	unsigned int hd = c->hd ? 4 : 0;

	memset(b, 0, sizeof(b));
	r->ch.pdu_type = NVMX_TCP_RSP;
	r->ch.flags = c->hd ? NVMX_TCP_F_HDGST : 0;
	r->ch.hlen = 24;
	r->ch.plen = nvmx_cpu_to_le32(24 + hd);
	r->cqe.dw0 = nvmx_cpu_to_le32(dw0);
	r->cqe.dw1 = nvmx_cpu_to_le32(dw1);
	r->cqe.sqid = nvmx_cpu_to_le16(c->qid);
	r->cqe.cid = nvmx_cpu_to_le16(cid);
	r->cqe.status = nvmx_cpu_to_le16((uint16_t)(status << 1));
	if (hd)
		nvmx_put_le32(b + 24, nvmx_crc32c(b, 24));
	return wr(c->fd, b, 24 + hd);
}

static int send_data(struct conn *c, uint16_t cid, const uint8_t *data, uint32_t len, bool success)
{
	uint32_t chunk = c->t->cfg.c2h_chunk ? c->t->cfg.c2h_chunk : 65536;
	unsigned int hd = c->hd ? 4 : 0, dd = c->dd ? 4 : 0;

	for (uint32_t off = 0; off < len; off += chunk) {
		uint32_t n = len - off < chunk ? len - off : chunk;
		uint8_t h[28], dg[4];
		struct nvmx_tcp_c2h_data *d = (void *)h;
		bool last = off + n == len;

		memset(h, 0, sizeof(h));
		d->ch.pdu_type = NVMX_TCP_C2H_DATA;
		d->ch.flags = (uint8_t)((hd ? NVMX_TCP_F_HDGST : 0) | (dd ? NVMX_TCP_F_DDGST : 0) |
					(last ? NVMX_TCP_F_LAST_PDU : 0) |
					(last && success ? NVMX_TCP_F_SUCCESS : 0));
		d->ch.hlen = 24;
		d->ch.pdo = (uint8_t)(24 + hd);
		d->ch.plen = nvmx_cpu_to_le32(24 + hd + n + dd);
		d->cccid = nvmx_cpu_to_le16(cid);
		d->datao = nvmx_cpu_to_le32(off);
		d->datal = nvmx_cpu_to_le32(n);
		if (hd)
			nvmx_put_le32(h + 24, nvmx_crc32c(h, 24));
		if (wr(c->fd, h, 24 + hd) || wr(c->fd, data + off, n))
			return -1;
		if (dd) {
			nvmx_put_le32(dg, nvmx_crc32c(data + off, n));
			if (wr(c->fd, dg, 4))
				return -1;
		}
	}
	return 0;
}

/* Read one PDU header (+HDGST); returns its type or -1. */
static int read_hdr(struct conn *c, uint8_t *h)
{
	unsigned int hd;

	if (rd(c->fd, h, 8))
		return -1;
	if (h[2] < 8 || h[2] > 128 || rd(c->fd, h + 8, h[2] - 8u))
		return -1;
	hd = (h[1] & NVMX_TCP_F_HDGST) ? 4 : 0;
	if (hd && rd(c->fd, h + h[2], hd))
		return -1;
	if (hd && nvmx_get_le32(h + h[2]) != nvmx_crc32c(h, h[2]))
		return -1;
	return h[0];
}

/* Receive len bytes of write data by R2T + H2CData. */
static int pull_data(struct conn *c, uint16_t cid, uint8_t *buf, uint32_t len)
{
	uint32_t chunk = c->t->cfg.r2t_chunk ? c->t->cfg.r2t_chunk : len;
	unsigned int hd = c->hd ? 4 : 0;

	for (uint32_t off = 0; off < len; off += chunk) {
		uint32_t n = len - off < chunk ? len - off : chunk, got = 0;
		uint8_t r[28];
		struct nvmx_tcp_r2t *t = (void *)r;

		memset(r, 0, sizeof(r));
		t->ch.pdu_type = NVMX_TCP_R2T;
		t->ch.flags = hd ? NVMX_TCP_F_HDGST : 0;
		t->ch.hlen = 24;
		t->ch.plen = nvmx_cpu_to_le32(24 + hd);
		t->cccid = nvmx_cpu_to_le16(cid);
		t->ttag = nvmx_cpu_to_le16((uint16_t)(off / chunk));
		t->r2to = nvmx_cpu_to_le32(off);
		t->r2tl = nvmx_cpu_to_le32(n);
		if (hd)
			nvmx_put_le32(r + 24, nvmx_crc32c(r, 24));
		if (wr(c->fd, r, 24 + hd))
			return -1;
		while (got < n) {
			uint8_t h[160], dg[4];
			const struct nvmx_tcp_h2c_data *d = (const void *)h;
			uint32_t dl, dof;
			unsigned int pad;

			int type = read_hdr(c, h);

			if (type == NVMX_TCP_CMD && c->ptail - c->phead < MAX_PENDING) {
				struct pending *pe = &c->pend[c->ptail++ % MAX_PENDING];

				memcpy(pe->h, h, sizeof(pe->h));
				if (read_capsule(c, pe->h, &pe->icd, &pe->icd_len))
					return -1;
				continue;
			}
			if (type != NVMX_TCP_H2C_DATA)
				return -1;
			dl = nvmx_le32_to_cpu(d->datal);
			dof = nvmx_le32_to_cpu(d->datao);
			if (nvmx_le16_to_cpu(d->cccid) != cid || dof != off + got || got + dl > n ||
			    dl > c->t->cfg.maxh2cdata)
				return -1;
			pad = h[3] - 24u - ((h[1] & NVMX_TCP_F_HDGST) ? 4u : 0u);
			if (pad && rd(c->fd, dg, pad > 4 ? 4 : pad))	/* small pads only */
				return -1;
			if (rd(c->fd, buf + dof, dl))
				return -1;
			if (h[1] & NVMX_TCP_F_DDGST) {
				if (rd(c->fd, dg, 4) || nvmx_get_le32(dg) != nvmx_crc32c(buf + dof, dl))
					return -1;
			}
			got += dl;
			if (((h[1] & NVMX_TCP_F_LAST_PDU) != 0) != (got == n))
				return -1;
		}
	}
	return 0;
}

static void id_ctrl(struct fake_target *t, uint8_t *b)
{
	struct nvmx_id_ctrl *id = (void *)b;

	memset(b, 0, 4096);
	id->vid = nvmx_cpu_to_le16(0x1b36);
	memcpy(id->sn, "FAKE0001            ", 20);
	memcpy(id->mn, "nvmx host test fake target              ", 40);
	memcpy(id->fr, "1.0     ", 8);
	id->mdts = t->cfg.mdts;
	id->cntlid = nvmx_cpu_to_le16(1);
	id->ver = nvmx_cpu_to_le32(NVMX_VS(1, 4, 0));
	id->aerl = 3;
	id->kas = nvmx_cpu_to_le16(10);
	id->sqes = 0x66;
	id->cqes = 0x44;
	id->nn = nvmx_cpu_to_le32(1);
	id->sgls = nvmx_cpu_to_le32(1u | NVMX_SGLS_OFFSET | NVMX_SGLS_TRANSPORT_DATA);
	id->oncs = nvmx_cpu_to_le16(NVMX_ONCS_COMPARE | NVMX_ONCS_DSM | NVMX_ONCS_WRITE_ZEROES);
	strcpy(id->subnqn, "nqn.2024-01.io.nvmx:fake");
	id->ioccsz = nvmx_cpu_to_le32(t->cfg.ioccsz);
	id->iorcsz = nvmx_cpu_to_le32(1);
	id->cntrltype = NVMX_CTRL_TYPE_IO;
}

static void id_ns(struct fake_target *t, uint8_t *b)
{
	struct nvmx_id_ns *ns = (void *)b;

	memset(b, 0, 4096);
	ns->nsze = ns->ncap = ns->nuse = nvmx_cpu_to_le64(t->cfg.nblocks);
	ns->lbaf[0].lbads = (uint8_t)__builtin_ctz(t->cfg.block_size);
	for (int i = 0; i < 16; i++)
		ns->nguid[i] = (uint8_t)(0xa0 + i);
}

static uint16_t admin(struct conn *c, const struct nvmx_sqe *s, uint8_t *buf, uint32_t *dw0,
		      uint32_t *dw1, uint32_t *out_len)
{
	struct fake_target *t = c->t;
	uint32_t cdw10 = nvmx_le32_to_cpu(s->cdw10);

	*out_len = 0;
	switch (s->opc) {
	case NVMX_ADM_IDENTIFY:
		*out_len = 4096;
		memset(buf, 0, 4096);
		switch (cdw10 & 0xff) {
		case NVMX_CNS_CTRL: id_ctrl(t, buf); return 0;
		case NVMX_CNS_NS: id_ns(t, buf); return 0;
		case NVMX_CNS_NS_ACTIVE_LIST: nvmx_put_le32(buf, 1); return 0;
		case NVMX_CNS_NS_DESC_LIST:
			buf[0] = NVMX_NIDT_UUID;
			buf[1] = 16;
			for (int i = 0; i < 16; i++)
				buf[4 + i] = (uint8_t)(0x10 + i);
			return 0;
		}
		*out_len = 0;
		return NVMX_SC_INVALID_FIELD;
	case NVMX_ADM_SET_FEATURES:
		if ((cdw10 & 0xff) == NVMX_FID_NUM_QUEUES)
			*dw0 = (7u << 16) | 7u;
		return 0;
	case NVMX_ADM_GET_FEATURES:
		return 0;
	case NVMX_ADM_KEEP_ALIVE:
		pthread_mutex_lock(&t->lock);
		t->keepalives++;
		pthread_mutex_unlock(&t->lock);
		return 0;
	case NVMX_ADM_GET_LOG_PAGE: {
		uint32_t numd = ((cdw10 >> 16) | (nvmx_le32_to_cpu(s->cdw11) << 16)) + 1;
		uint32_t off = nvmx_le32_to_cpu(s->cdw12);
		uint8_t log[2048];

		*out_len = numd * 4 > 65536 ? 65536 : numd * 4;
		memset(buf, 0, *out_len);
		if ((cdw10 & 0xff) == 0x70) {
			/* One NVM subsystem at an address the host cannot reach. */
			struct nvmx_disc_log_hdr *lh = (void *)log;
			struct nvmx_disc_log_entry *e = (void *)(log + 1024);

			memset(log, 0, sizeof(log));
			pthread_mutex_lock(&t->lock);
			/* A log that changes while the host reads it (NVMe-oF 5.3). */
			if (t->disc_reads++ < t->cfg.disc_genctr_bumps)
				t->genctr++;
			lh->genctr = nvmx_cpu_to_le64(7 + t->genctr);
			pthread_mutex_unlock(&t->lock);
			lh->numrec = nvmx_cpu_to_le64(1);
			e->trtype = NVMX_TRTYPE_TCP;
			e->adrfam = NVMX_ADRFAM_IPV4;
			e->subtype = NVMX_SUBTYPE_NVME;
			e->portid = nvmx_cpu_to_le16(1);
			e->cntlid = nvmx_cpu_to_le16(0xffff);
			e->asqsz = nvmx_cpu_to_le16(32);
			memset(e->trsvcid, ' ', sizeof(e->trsvcid));
			memcpy(e->trsvcid, "4420", 4);
			strcpy(e->subnqn, "nqn.2024-01.io.nvmx:fake");
			memset(e->traddr, ' ', sizeof(e->traddr));
			memcpy(e->traddr, "10.0.2.15", 9);
			if (off < sizeof(log))
				memcpy(buf, log + off, sizeof(log) - off < *out_len ? sizeof(log) - off : *out_len);
		}
		return 0;
	}
	case NVMX_ADM_FABRICS: {
		const struct nvmx_fabrics_cmd *f = (const void *)s;
		const struct nvmx_prop_get_cmd *pg = (const void *)s;
		const struct nvmx_prop_set_cmd *ps = (const void *)s;
		uint32_t off = nvmx_le32_to_cpu(pg->offset);
		uint64_t v = 0;

		pthread_mutex_lock(&t->lock);
		if (f->fctype == NVMX_FCTYPE_CONNECT) {
			*dw0 = 1;
			if (c->qid == 0)
				t->last_kato = nvmx_le32_to_cpu(((const struct nvmx_connect_cmd *)s)->kato);
		} else if (f->fctype == NVMX_FCTYPE_PROPERTY_GET) {
			if (off == NVMX_REG_CAP)
				v = 127u | (1ull << 16) | (2ull << 24) | (1ull << 37);
			else if (off == NVMX_REG_VS)
				v = NVMX_VS(1, 4, 0);
			else if (off == NVMX_REG_CC)
				v = t->cc;
			else if (off == NVMX_REG_CSTS)
				v = t->csts;
			*dw0 = (uint32_t)v;
			*dw1 = (uint32_t)(v >> 32);
		} else if (f->fctype == NVMX_FCTYPE_PROPERTY_SET && off == NVMX_REG_CC) {
			t->cc = (uint32_t)nvmx_le64_to_cpu(ps->value);
			t->csts = (t->cc & NVMX_CC_EN) ? NVMX_CSTS_RDY : 0;
			if (nvmx_cc_shn(t->cc))
				t->csts |= NVMX_CSTS_SHST_CMPLT;
		}
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	case NVMX_ADM_ASYNC_EVENT:
		return 0xffff;	/* held: never completes */
	}
	return NVMX_SC_INVALID_OPCODE;
}

static int io(struct conn *c, const struct nvmx_sqe *s, uint8_t *icd, uint32_t icd_len)
{
	struct fake_target *t = c->t;
	const struct nvmx_cmd_rw *rw = (const void *)s;
	uint16_t cid = nvmx_le16_to_cpu(s->cid);
	uint64_t slba = nvmx_le64_to_cpu(rw->slba);
	uint32_t nlb = nvmx_le16_to_cpu(rw->nlb) + 1u, len = nlb * t->cfg.block_size;
	uint32_t sgl_len = nvmx_le32_to_cpu(s->dptr.sgl.length);

	switch (s->opc) {
	case NVMX_NVM_FLUSH:
		return send_rsp(c, cid, 0, 0, 0);
	case NVMX_NVM_READ:
	case NVMX_NVM_WRITE:
	case NVMX_NVM_COMPARE:
		break;
	case NVMX_NVM_WRITE_ZEROES:
		if (slba + nlb > t->cfg.nblocks)
			return send_rsp(c, cid, NVMX_SC_LBA_RANGE, 0, 0);
		memset(t->ram + slba * t->cfg.block_size, 0, len);
		return send_rsp(c, cid, 0, 0, 0);
	case NVMX_NVM_DSM: {
		uint32_t nr = (nvmx_le32_to_cpu(s->cdw10) & 0xff) + 1;
		uint8_t r[4096];

		if (sgl_len != nr * 16 || (icd_len ? icd_len != sgl_len : pull_data(c, cid, r, sgl_len)))
			return send_rsp(c, cid, NVMX_SC_INVALID_FIELD, 0, 0);
		const uint8_t *rp = icd_len ? icd : r;

		for (uint32_t i = 0; i < nr; i++) {
			uint64_t l = nvmx_get_le64(rp + 16 * i + 8);
			uint32_t n = nvmx_get_le32(rp + 16 * i + 4);

			if (l + n > t->cfg.nblocks)
				return send_rsp(c, cid, NVMX_SC_LBA_RANGE, 0, 0);
			if (nvmx_le32_to_cpu(s->cdw11) & NVMX_DSM_AD)
				memset(t->ram + l * t->cfg.block_size, 0, (size_t)n * t->cfg.block_size);
		}
		return send_rsp(c, cid, 0, 0, 0);
	}
	default:
		return send_rsp(c, cid, NVMX_SC_INVALID_OPCODE, 0, 0);
	}
	if (sgl_len != len)
		return send_rsp(c, cid, NVMX_SC_INVALID_FIELD, 0, 0);
	/* Out of range: answered before any R2T, as a controller may. */
	if (slba + nlb > t->cfg.nblocks || slba + nlb < slba)
		return send_rsp(c, cid, NVMX_SC_LBA_RANGE, 0, 0);
	uint8_t *ram = t->ram + slba * t->cfg.block_size;

	if (s->opc == NVMX_NVM_READ) {
		if (t->cfg.drop_reads)
			return 0;
		if (send_data(c, cid, ram, len, t->cfg.use_success_flag))
			return -1;
		return t->cfg.use_success_flag ? 0 : send_rsp(c, cid, 0, 0, 0);
	}
	if (s->opc == NVMX_NVM_COMPARE) {
		uint8_t *cmp = icd_len ? icd : malloc(len);
		int same;

		if (icd_len ? icd_len != len : pull_data(c, cid, cmp, len)) {
			if (!icd_len)
				free(cmp);
			return icd_len ? send_rsp(c, cid, NVMX_SC_INVALID_FIELD, 0, 0) : -1;
		}
		same = !memcmp(cmp, ram, len);
		if (!icd_len)
			free(cmp);
		/* Compare Failure: SCT 2 (media and data integrity), SC 85h. */
		return send_rsp(c, cid, same ? 0 : (uint16_t)(0x200 | NVMX_SC_COMPARE_FAILED), 0, 0);
	}
	if (icd_len) {
		if (icd_len != len)
			return send_rsp(c, cid, NVMX_SC_INVALID_FIELD, 0, 0);
		memcpy(ram, icd, len);
	} else if (pull_data(c, cid, ram, len)) {
		return -1;
	}
	return send_rsp(c, cid, 0, 0, 0);
}

/* The rest of a command capsule: pad and in-capsule data (malloc'd). */
static int read_capsule(struct conn *c, uint8_t *h, uint8_t **icd, uint32_t *icd_len)
{
	uint32_t plen = nvmx_get_le32(h + 4);
	unsigned int hd = (h[1] & NVMX_TCP_F_HDGST) ? 4 : 0, dd = (h[1] & NVMX_TCP_F_DDGST) ? 4 : 0;
	uint8_t pad[256], dg[4];

	*icd = NULL;
	*icd_len = 0;
	if (plen <= 72u + hd)
		return 0;
	if (h[3] < 72 + hd || plen < h[3] + dd)
		return -1;
	*icd_len = plen - h[3] - dd;
	*icd = malloc(*icd_len ? *icd_len : 1);
	if (!*icd || rd(c->fd, pad, h[3] - 72u - hd) || rd(c->fd, *icd, *icd_len))
		return -1;
	if (dd && (rd(c->fd, dg, 4) || nvmx_get_le32(dg) != nvmx_crc32c(*icd, *icd_len)))
		return -1;
	return 0;
}

static int handle_cmd(struct conn *c, uint8_t *h, uint8_t *icd, uint32_t icd_len, uint8_t *buf)
{
	const struct nvmx_tcp_cmd *p = (const void *)h;
	struct nvmx_sqe s = p->sqe;
	uint16_t cid = nvmx_le16_to_cpu(s.cid);

	if (c->qid == 0 || s.opc == NVMX_ADM_FABRICS) {
		uint32_t dw0 = 0, dw1 = 0, out = 0;
		uint16_t st;

		if (s.opc == NVMX_ADM_FABRICS && ((const struct nvmx_fabrics_cmd *)&s)->fctype ==
		    NVMX_FCTYPE_CONNECT) {
			const struct nvmx_connect_cmd *cc = (const void *)&s;

			c->qid = nvmx_le16_to_cpu(cc->qid);
			if (icd_len != 1024)
				return send_rsp(c, cid, NVMX_SC_INVALID_FIELD, 0, 0);
		}
		st = admin(c, &s, buf, &dw0, &dw1, &out);
		if (st == 0xffff)
			return 0;
		if (st == 0 && out && send_data(c, cid, buf, out, false))
			return -1;
		return send_rsp(c, cid, st, dw0, dw1);
	}
	return io(c, &s, icd, icd_len);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct fake_target *t = c->t;
	uint8_t h[160];
	uint8_t *buf = malloc(1u << 20);
	struct nvmx_tcp_icresp r;
	const struct nvmx_tcp_icreq *ic = (const void *)h;

	if (!buf || rd(c->fd, h, 128) || h[0] != NVMX_TCP_ICREQ)
		goto out;
	memset(&r, 0, sizeof(r));
	r.ch.pdu_type = NVMX_TCP_ICRESP;
	r.ch.hlen = 128;
	r.ch.plen = nvmx_cpu_to_le32(128);
	r.maxh2cdata = nvmx_cpu_to_le32(t->cfg.maxh2cdata);
	if (t->cfg.allow_digests)
		r.dgst = ic->dgst;
	c->hd = r.dgst & NVMX_TCP_DGST_HDR;
	c->dd = r.dgst & NVMX_TCP_DGST_DATA;
	if (wr(c->fd, &r, sizeof(r)))
		goto out;
	for (;;) {
		uint8_t *icd;
		uint32_t icd_len;
		int rc;

		if (c->phead != c->ptail) {
			struct pending *pe = &c->pend[c->phead++ % MAX_PENDING];

			rc = handle_cmd(c, pe->h, pe->icd, pe->icd_len, buf);
			free(pe->icd);
		} else {
			if (read_hdr(c, h) != NVMX_TCP_CMD || read_capsule(c, h, &icd, &icd_len))
				break;
			rc = handle_cmd(c, h, icd, icd_len, buf);
			free(icd);
		}
		if (rc)
			break;
	}
	while (c->phead != c->ptail)
		free(c->pend[c->phead++ % MAX_PENDING].icd);
out:
	pthread_mutex_lock(&t->lock);
	t->open--;
	if (c->qid == 0 && nvmx_cc_shn(t->cc))
		t->shutdowns++;
	pthread_mutex_unlock(&t->lock);
	close(c->fd);
	free(buf);
	free(c);
	return NULL;
}

static void *accept_main(void *arg)
{
	struct fake_target *t = arg;

	for (;;) {
		int fd = accept(t->lfd, NULL, NULL), one = 1;
		struct conn *c;

		if (fd < 0)
			return NULL;
		pthread_mutex_lock(&t->lock);
		if (t->stopping || t->nconns == MAX_CONNS) {
			pthread_mutex_unlock(&t->lock);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		c->t = t;
		c->fd = fd;
		t->open++;
		t->conn_fds[t->nconns] = fd;
		pthread_create(&t->conns[t->nconns++], NULL, conn_main, c);
		pthread_mutex_unlock(&t->lock);
	}
}

struct fake_target *fake_target_start(const struct fake_target_cfg *cfg, uint16_t *port)
{
	struct fake_target *t = calloc(1, sizeof(*t));
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	int one = 1;

	t->cfg = *cfg;
	t->ram = calloc(cfg->nblocks, cfg->block_size);
	pthread_mutex_init(&t->lock, NULL);
	t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!t->ram || bind(t->lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(t->lfd, 64) ||
	    getsockname(t->lfd, (struct sockaddr *)&sin, &sl)) {
		perror("fake target");
		exit(1);
	}
	*port = ntohs(sin.sin_port);
	pthread_create(&t->acceptor, NULL, accept_main, t);
	return t;
}

void fake_target_stop(struct fake_target *t)
{
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	for (unsigned int i = 0; i < t->nconns; i++)
		shutdown(t->conn_fds[i], SHUT_RDWR);
	pthread_mutex_unlock(&t->lock);
	shutdown(t->lfd, SHUT_RDWR);
	pthread_join(t->acceptor, NULL);
	close(t->lfd);
	for (unsigned int i = 0; i < t->nconns; i++)
		pthread_join(t->conns[i], NULL);
	free(t->ram);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

unsigned int fake_target_clean_shutdowns(struct fake_target *t)
{
	unsigned int n;

	pthread_mutex_lock(&t->lock);
	n = t->shutdowns;
	pthread_mutex_unlock(&t->lock);
	return n;
}

unsigned int fake_target_open_conns(struct fake_target *t)
{
	unsigned int n;

	pthread_mutex_lock(&t->lock);
	n = t->open;
	pthread_mutex_unlock(&t->lock);
	return n;
}

unsigned int fake_target_keepalives(struct fake_target *t)
{
	unsigned int n;

	pthread_mutex_lock(&t->lock);
	n = t->keepalives;
	pthread_mutex_unlock(&t->lock);
	return n;
}

uint32_t fake_target_last_kato(struct fake_target *t)
{
	uint32_t n;

	pthread_mutex_lock(&t->lock);
	n = t->last_kato;
	pthread_mutex_unlock(&t->lock);
	return n;
}

unsigned int fake_target_disc_reads(struct fake_target *t)
{
	unsigned int n;

	pthread_mutex_lock(&t->lock);
	n = t->disc_reads;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void fake_target_drop_conns(struct fake_target *t)
{
	pthread_mutex_lock(&t->lock);
	for (unsigned int i = 0; i < t->nconns; i++)
		shutdown(t->conn_fds[i], SHUT_RDWR);
	pthread_mutex_unlock(&t->lock);
}
