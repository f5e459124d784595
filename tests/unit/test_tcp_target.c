/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The target's TCP receive state machine and command handlers, driven
 * without threads: a connection on one end of a socketpair is fed bytes
 * with nvmx_tcp_conn_rx() and its answers are read from the other end.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "target/core.h"
#include "transport/tcp_target.h"
#include "util/crc32c.h"
#include "util/log.h"

#define SUBNQN  "nqn.2024-01.io.nvmx:unit"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555"

struct h {
	struct nvmx_tgt *t;
	struct nvmx_tgt_subsys *s;
	struct nvmx_tcp_conn *c;
	struct nvmx_bdev *b;	/* namespace 1: 1 MiB of RAM, 512-byte blocks */
	int peer;
	bool hd, dd;
	uint16_t cid;
	uint8_t out[1 << 20];	/* stream being built */
	size_t outlen;
	uint8_t in[1 << 20];	/* what the target sent */
	size_t inlen;
};

static struct h *h_new(void)
{
	struct h *h = calloc(1, sizeof(*h));
	struct nvmx_bdev *b;
	int sv[2];

	assert_non_null(h);
	assert_int_equal(nvmx_tgt_new(NULL, &h->t), 0);
	assert_int_equal(nvmx_tgt_subsys_add(h->t, SUBNQN, &h->s), 0);
	assert_int_equal(nvmx_bdev_open_ram(1 << 20, 512, &b), 0);
	assert_int_equal(nvmx_tgt_ns_add(h->s, 1, b, NULL, NULL), 0);
	h->b = b;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	h->c = nvmx_tcp_conn_new(h->t, sv[0], NULL);
	assert_non_null(h->c);
	h->peer = sv[1];
	h->cid = 1;
	return h;
}

static void h_free(struct h *h)
{
	nvmx_tcp_conn_free(h->c);
	close(h->peer);
	nvmx_tgt_free(h->t);
	free(h);
}

/* Everything the target wrote so far is appended to h->in. */
static void h_drain(struct h *h)
{
	ssize_t n;

	nvmx_tcp_conn_flush(h->c);
	while ((n = read(h->peer, h->in + h->inlen, sizeof(h->in) - h->inlen)) > 0)
		h->inlen += (size_t)n;
}

static void put(struct h *h, const void *p, size_t n)
{
	memcpy(h->out + h->outlen, p, n);
	h->outlen += n;
}

static void put_icreq(struct h *h, bool hd, bool dd)
{
	struct nvmx_tcp_icreq ic = { 0 };

	ic.ch.pdu_type = NVMX_TCP_ICREQ;
	ic.ch.hlen = 128;
	ic.ch.plen = nvmx_cpu_to_le32(128);
	ic.dgst = (hd ? NVMX_TCP_DGST_HDR : 0) | (dd ? NVMX_TCP_DGST_DATA : 0);
	put(h, &ic, sizeof(ic));
	h->hd = hd;
	h->dd = dd;
}

/* A CapsuleCmd with optional in-capsule data. */
static void put_cmd(struct h *h, struct nvmx_sqe *sqe, const void *data, uint32_t len,
		    uint32_t sgl_len)
{
	struct nvmx_tcp_cmd pdu = { 0 };
	unsigned hd = h->hd ? 4 : 0, dd = h->dd && len ? 4 : 0;
	uint8_t dig[4];

	sqe->cid = nvmx_cpu_to_le16(h->cid++);
	sqe->flags = NVMX_SQE_PSDT_SGL_MPTR;
	sqe->dptr.sgl.length = nvmx_cpu_to_le32(sgl_len);
	sqe->dptr.sgl.id = len ? 0x01 : 0x5a;
	pdu.sqe = *sqe;
	pdu.ch.pdu_type = NVMX_TCP_CMD;
	pdu.ch.flags = (hd ? NVMX_TCP_F_HDGST : 0) | (dd ? NVMX_TCP_F_DDGST : 0);
	pdu.ch.hlen = 72;
	pdu.ch.pdo = len ? (uint8_t)(72 + hd) : 0;
	pdu.ch.plen = nvmx_cpu_to_le32(72 + hd + len + dd);
	put(h, &pdu, sizeof(pdu));
	if (hd) {
		nvmx_put_le32(dig, nvmx_crc32c(&pdu, 72));
		put(h, dig, 4);
	}
	if (len) {
		put(h, data, len);
		if (dd) {
			nvmx_put_le32(dig, nvmx_crc32c(data, len));
			put(h, dig, 4);
		}
	}
}

static void put_connect(struct h *h, uint16_t qid, uint16_t cntlid)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_connect_cmd *cmd = (void *)&sqe;
	struct nvmx_connect_data d = { 0 };

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_CONNECT;
	cmd->qid = nvmx_cpu_to_le16(qid);
	cmd->sqsize = nvmx_cpu_to_le16(31);
	d.cntlid = nvmx_cpu_to_le16(cntlid);
	strcpy(d.subnqn, SUBNQN);
	strcpy(d.hostnqn, HOSTNQN);
	put_cmd(h, &sqe, &d, sizeof(d), sizeof(d));
}

static void put_prop_set(struct h *h, uint32_t off, uint32_t v)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_prop_set_cmd *cmd = (void *)&sqe;

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_PROPERTY_SET;
	cmd->offset = nvmx_cpu_to_le32(off);
	cmd->value = nvmx_cpu_to_le64(v);
	put_cmd(h, &sqe, NULL, 0, 0);
}

static void put_admin(struct h *h, uint8_t opc, uint32_t nsid, uint32_t cdw10, uint32_t cdw11,
		      uint32_t len)
{
	struct nvmx_sqe sqe = { 0 };

	sqe.opc = opc;
	sqe.nsid = nvmx_cpu_to_le32(nsid);
	sqe.cdw10 = nvmx_cpu_to_le32(cdw10);
	sqe.cdw11 = nvmx_cpu_to_le32(cdw11);
	put_cmd(h, &sqe, NULL, 0, len);
}

static void feed(struct h *h, const uint8_t *p, size_t n, size_t chunk)
{
	for (size_t off = 0; off < n; off += chunk) {
		nvmx_tcp_conn_rx(h->c, p + off, n - off < chunk ? n - off : chunk);
		h_drain(h);
	}
}

static void feed_all(struct h *h)
{
	feed(h, h->out, h->outlen, h->outlen ? h->outlen : 1);
	h->outlen = 0;
}

/* Walk the PDUs the target sent: the i-th CapsuleResp's status, or -1. */
static int resp_status(struct h *h, unsigned i, uint32_t *dw0)
{
	size_t off = 0;
	unsigned k = 0;

	while (off + 8 <= h->inlen) {
		const struct nvmx_tcp_ch *ch = (const void *)(h->in + off);

		if (ch->pdu_type == NVMX_TCP_RSP && k++ == i) {
			const struct nvmx_tcp_rsp *r = (const void *)ch;

			if (dw0)
				*dw0 = nvmx_le32_to_cpu(r->cqe.dw0);
			return nvmx_cqe_status(&r->cqe) & 0xfffe;
		}
		off += nvmx_le32_to_cpu(ch->plen);
	}
	return -1;
}

/* The PDU of type 'type' (n-th of it), or NULL. */
static const uint8_t *find_pdu(struct h *h, uint8_t type, unsigned n)
{
	size_t off = 0;

	while (off + 8 <= h->inlen) {
		const struct nvmx_tcp_ch *ch = (const void *)(h->in + off);

		if (ch->pdu_type == type && n-- == 0)
			return h->in + off;
		off += nvmx_le32_to_cpu(ch->plen);
	}
	return NULL;
}

/* ICReq, admin Connect, CC.EN=1: an enabled controller. */
static void bring_up(struct h *h, bool hd, bool dd)
{
	put_icreq(h, hd, dd);
	put_connect(h, 0, 0xffff);
	put_prop_set(h, NVMX_REG_CC, NVMX_CC_EN | (6u << 16) | (4u << 20));
	feed_all(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	assert_int_equal(resp_status(h, 1, NULL), 0);
	h->inlen = 0;
}

/* --------------------------------------------------------------- */

static size_t build_session(struct h *h, bool hd, bool dd)
{
	uint8_t data[4096];

	memset(data, 0xa5, sizeof(data));
	put_icreq(h, hd, dd);
	put_connect(h, 0, 0xffff);
	put_prop_set(h, NVMX_REG_CC, NVMX_CC_EN | (6u << 16) | (4u << 20));
	put_admin(h, NVMX_ADM_IDENTIFY, 0, NVMX_CNS_CTRL, 0, 4096);
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0xffffffff, NVMX_LID_SMART | (127u << 16), 0, 512);
	put_admin(h, NVMX_ADM_KEEP_ALIVE, 0, 0, 0, 0);
	return h->outlen;
}

static void split_at_every_byte(bool hd, bool dd)
{
	struct h *ref = h_new();
	size_t n = build_session(ref, hd, dd);

	feed_all(ref);
	assert_true(ref->inlen > 4096);
	for (size_t cut = 1; cut < n; cut++) {
		struct h *h = h_new();

		build_session(h, hd, dd);
		nvmx_tcp_conn_rx(h->c, h->out, cut);
		h_drain(h);
		nvmx_tcp_conn_rx(h->c, h->out + cut, n - cut);
		h_drain(h);
		assert_int_equal(h->inlen, ref->inlen);
		/* Identical except the power-on-hours style live values: none in
		 * this short session, so byte for byte. */
		assert_memory_equal(h->in, ref->in, ref->inlen);
		h_free(h);
	}
	{	/* and one byte at a time */
		struct h *h = h_new();

		build_session(h, hd, dd);
		feed(h, h->out, h->outlen, 1);
		assert_memory_equal(h->in, ref->in, ref->inlen);
		h_free(h);
	}
	h_free(ref);
}

static void pdus_split_at_any_byte_give_the_same_answers(void **state)
{
	split_at_every_byte(false, false);
}

static void pdus_split_at_any_byte_with_digests(void **state)
{
	split_at_every_byte(true, true);
}

static void concatenated_pdus_are_all_answered(void **state)
{
	struct h *h = h_new();

	build_session(h, false, false);
	feed_all(h);
	assert_non_null(find_pdu(h, NVMX_TCP_ICRESP, 0));
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(resp_status(h, i, NULL), 0);
	/* Identify and SMART data came as C2HData. */
	assert_non_null(find_pdu(h, NVMX_TCP_C2H_DATA, 1));
	h_free(h);
}

/* --------------------------------------------------------------- */

struct bad_case {
	const char *name;
	uint16_t fes;
	uint32_t fei;
};

static void expect_term(struct h *h, uint16_t fes, uint32_t fei)
{
	const uint8_t *t = find_pdu(h, NVMX_TCP_C2H_TERM, 0);

	assert_non_null(t);
	assert_int_equal(nvmx_get_le16(t + 8), fes);
	assert_int_equal(nvmx_get_le32(t + 10), fei);
	assert_int_equal(h->c->last_fes, fes);
	assert_true(h->c->closing);
	/* Nothing is read after the error. */
	assert_int_equal(h->c->rx_state, NVMX_RX_DEAD);
}

static void ch_only(struct h *h, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo,
		    uint32_t plen)
{
	struct nvmx_tcp_ch ch = { type, flags, hlen, pdo, nvmx_cpu_to_le32(plen) };

	put(h, &ch, sizeof(ch));
}

static void malformed_pdus_get_their_termination_codes(void **state)
{
	struct h *h;
	uint8_t zeros[256] = { 0 };

	/* Unknown PDU type. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	ch_only(h, 0x42, 0, 8, 0, 8); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 0); h_free(h);

	/* A controller-to-host type from the host. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	ch_only(h, NVMX_TCP_RSP, 0, 24, 0, 24); put(h, zeros, 16); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 0); h_free(h);

	/* Command before ICReq. */
	h = h_new(); put_connect(h, 0, 0xffff); feed_all(h);
	expect_term(h, NVMX_TCP_FES_PDU_SEQUENCE, 0); h_free(h);

	/* A second ICReq. */
	h = h_new(); put_icreq(h, false, false); put_icreq(h, false, false); feed_all(h);
	expect_term(h, NVMX_TCP_FES_PDU_SEQUENCE, 0); h_free(h);

	/* ICReq with a wrong HLEN. */
	h = h_new(); ch_only(h, NVMX_TCP_ICREQ, 0, 64, 0, 128); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 2); h_free(h);

	/* ICReq with PFV 1 / HPDA 32: unsupported parameters. */
	h = h_new(); put_icreq(h, false, false); h->out[8] = 1; feed_all(h);
	expect_term(h, NVMX_TCP_FES_UNSUPPORTED_PARAM, 8); h_free(h);
	h = h_new(); put_icreq(h, false, false); h->out[10] = 32; feed_all(h);
	expect_term(h, NVMX_TCP_FES_UNSUPPORTED_PARAM, 10); h_free(h);

	/* Header digest flag not as negotiated. */
	h = h_new(); put_icreq(h, true, false); feed_all(h);
	h->hd = false; put_connect(h, 0, 0xffff); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 1); h_free(h);

	/* Header digest wrong. */
	h = h_new(); put_icreq(h, true, false); feed_all(h);
	put_connect(h, 0, 0xffff); h->out[73] ^= 1; feed_all(h);
	expect_term(h, NVMX_TCP_FES_HDGST, 0); h_free(h);

	/* PLEN shorter than the header. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	ch_only(h, NVMX_TCP_CMD, 0, 72, 0, 40); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 4); h_free(h);

	/* PDO pointing into the header. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	ch_only(h, NVMX_TCP_CMD, 0, 72, 40, 72 + 16); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 3); h_free(h);

	/* In-capsule data larger than IOCCSZ allows. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	ch_only(h, NVMX_TCP_CMD, 0, 72, 72, 72 + 8192 + 4); feed_all(h);
	expect_term(h, NVMX_TCP_FES_DATA_LIMIT, 4); h_free(h);

	/* H2CData with an unknown TTAG. */
	h = h_new(); put_icreq(h, false, false); feed_all(h);
	{
		struct nvmx_tcp_h2c_data d = { 0 };

		d.ch = (struct nvmx_tcp_ch){ NVMX_TCP_H2C_DATA, NVMX_TCP_F_LAST_PDU, 24, 24,
					     nvmx_cpu_to_le32(24 + 512) };
		d.ttag = nvmx_cpu_to_le16(5);
		d.datal = nvmx_cpu_to_le32(512);
		put(h, &d, sizeof(d));
		put(h, zeros, 256); put(h, zeros, 256);
	}
	feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 10); h_free(h);
}

/* A write through R2T; returns the TTAG and CID the R2T named. */
static void start_r2t_write(struct h *h, uint32_t len, uint16_t *ttag, uint16_t *cid)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_rw *rw = (void *)&sqe;
	const struct nvmx_tcp_r2t *r2t;

	bring_up(h, false, false);
	/* The I/O queue is another connection in real life; here the admin
	 * queue's controller is enough for the transport checks, so write on
	 * an I/O queue attached to it through a second Connect. */
	(void)rw;
	sqe.opc = NVMX_NVM_WRITE;
	sqe.nsid = nvmx_cpu_to_le32(1);
	rw->nlb = nvmx_cpu_to_le16((uint16_t)(len / 512 - 1));
	h->c->q.qid = 1;	/* treat as an I/O queue */
	put_cmd(h, &sqe, NULL, 0, len);
	feed_all(h);
	r2t = (const void *)find_pdu(h, NVMX_TCP_R2T, 0);
	assert_non_null(r2t);
	assert_int_equal(nvmx_le32_to_cpu(r2t->r2tl), len);
	*ttag = nvmx_le16_to_cpu(r2t->ttag);
	*cid = nvmx_le16_to_cpu(r2t->cccid);
	h->inlen = 0;
}

static void put_h2c(struct h *h, uint16_t ttag, uint16_t cid, uint32_t off, uint32_t len,
		    bool last)
{
	static uint8_t data[65536];
	struct nvmx_tcp_h2c_data d = { 0 };

	d.ch = (struct nvmx_tcp_ch){ NVMX_TCP_H2C_DATA, last ? NVMX_TCP_F_LAST_PDU : 0, 24, 24,
				     nvmx_cpu_to_le32(24 + len) };
	d.cccid = nvmx_cpu_to_le16(cid);
	d.ttag = nvmx_cpu_to_le16(ttag);
	d.datao = nvmx_cpu_to_le32(off);
	d.datal = nvmx_cpu_to_le32(len);
	put(h, &d, sizeof(d));
	memset(data, 0x3c, len);
	put(h, data, len);
}

static void h2c_data_out_of_order_or_range_is_fatal(void **state)
{
	struct h *h;
	uint16_t ttag, cid;

	/* Offset not where the previous one ended. */
	h = h_new(); start_r2t_write(h, 8192, &ttag, &cid);
	put_h2c(h, ttag, cid, 512, 512, false); feed_all(h);
	expect_term(h, NVMX_TCP_FES_PDU_SEQUENCE, 12); h_free(h);

	/* More data than the R2T asked for. */
	h = h_new(); start_r2t_write(h, 4096, &ttag, &cid);
	put_h2c(h, ttag, cid, 0, 8192, true); feed_all(h);
	expect_term(h, NVMX_TCP_FES_DATA_OUT_OF_RANGE, 16); h_free(h);

	/* Wrong CCCID for the TTAG. */
	h = h_new(); start_r2t_write(h, 4096, &ttag, &cid);
	put_h2c(h, ttag, (uint16_t)(cid + 1), 0, 4096, true); feed_all(h);
	expect_term(h, NVMX_TCP_FES_INVALID_HEADER, 8); h_free(h);

	/* Done right, in two pieces: the write completes. */
	h = h_new(); start_r2t_write(h, 8192, &ttag, &cid);
	put_h2c(h, ttag, cid, 0, 4096, false);
	put_h2c(h, ttag, cid, 4096, 4096, true);
	feed_all(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	assert_null(find_pdu(h, NVMX_TCP_C2H_TERM, 0));
	h_free(h);
}

static void data_digest_error_fails_the_command_not_the_connection(void **state)
{
	struct h *h = h_new();
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_rw *rw = (void *)&sqe;
	uint8_t data[512] = { 1, 2, 3 };
	int st;

	bring_up(h, false, true);
	h->c->q.qid = 1;
	sqe.opc = NVMX_NVM_WRITE;
	sqe.nsid = nvmx_cpu_to_le32(1);
	rw->nlb = 0;
	put_cmd(h, &sqe, data, sizeof(data), sizeof(data));
	h->out[h->outlen - 1] ^= 0xff;	/* break the data digest */
	feed_all(h);
	st = resp_status(h, 0, NULL);
	assert_int_equal(nvmx_st_sc((uint16_t)st), NVMX_SC_TRANSIENT_TR_ERR);
	assert_int_equal(nvmx_st_dnr((uint16_t)st), 0);	/* retryable */
	assert_false(h->c->closing);
	h_free(h);
}

/* In-capsule write data wholly inside one receive chunk is written to the
 * backend from where it lies (data_in_place); split across chunks it is
 * gathered first.  Either way the same bytes land, once, and data with a
 * bad digest lands nowhere. */
static void in_capsule_writes_land_the_same_whole_or_split(void **state)
{
	for (int dd = 0; dd < 2; dd++) {
		struct h *h = h_new();
		struct nvmx_sqe sqe = { 0 };
		struct nvmx_cmd_rw *rw = (void *)&sqe;
		static uint8_t data[4096], zero[4096];
		uint8_t got[4096];
		size_t start;

		bring_up(h, false, dd);
		h->c->q.qid = 1;
		for (unsigned i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 7 + 3);
		sqe.opc = NVMX_NVM_WRITE;
		sqe.nsid = nvmx_cpu_to_le32(1);
		rw->nlb = nvmx_cpu_to_le16(7);
		/* 1: whole */
		rw->slba = nvmx_cpu_to_le64(8);
		put_cmd(h, &sqe, data, sizeof(data), sizeof(data));
		feed_all(h);
		assert_int_equal(resp_status(h, 0, NULL), 0);
		assert_int_equal(h->b->ops->read(h->b, got, 8 * 512, sizeof(got)), 0);
		assert_memory_equal(got, data, sizeof(data));
		/* 2: the same, split before and inside the data, and byte by byte */
		for (size_t cut = 60; cut < 4200; cut += 1033) {
			rw->slba = nvmx_cpu_to_le64(16 + cut / 4);
			start = h->outlen;
			put_cmd(h, &sqe, data, sizeof(data), sizeof(data));
			feed(h, h->out + start, h->outlen - start, cut);
			h->outlen = 0;
			assert_int_equal(h->b->ops->read(h->b, got, (16 + cut / 4) * 512, sizeof(got)), 0);
			assert_memory_equal(got, data, sizeof(data));
		}
		rw->slba = nvmx_cpu_to_le64(1024);
		put_cmd(h, &sqe, data, sizeof(data), sizeof(data));
		feed(h, h->out, h->outlen, 1);
		h->outlen = 0;
		assert_int_equal(h->b->ops->read(h->b, got, 1024 * 512, sizeof(got)), 0);
		assert_memory_equal(got, data, sizeof(data));
		for (unsigned i = 0; i < 7; i++)	/* whole, 5 splits, byte by byte */
			assert_int_equal(resp_status(h, i, NULL), 0);
		if (dd) {	/* 3: bad digest, whole: Transient Transport Error, nothing written */
			rw->slba = nvmx_cpu_to_le64(1536);
			put_cmd(h, &sqe, data, sizeof(data), sizeof(data));
			h->out[h->outlen - 1] ^= 0xff;
			feed_all(h);
			assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 7, NULL)), NVMX_SC_TRANSIENT_TR_ERR);
			assert_int_equal(h->b->ops->read(h->b, got, 1536 * 512, sizeof(got)), 0);
			assert_memory_equal(got, zero, sizeof(got));
		}
		h_free(h);
	}
}

/* --------------------------------------------------------------- */

static void commands_before_connect_are_sequence_errors(void **state)
{
	struct h *h = h_new();

	put_icreq(h, false, false);
	put_admin(h, NVMX_ADM_IDENTIFY, 0, NVMX_CNS_CTRL, 0, 4096);
	feed_all(h);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 0, NULL)), NVMX_SC_CMD_SEQ_ERROR);
	h_free(h);
}

static void admin_commands_need_csts_rdy(void **state)
{
	struct h *h = h_new();

	put_icreq(h, false, false);
	put_connect(h, 0, 0xffff);
	put_admin(h, NVMX_ADM_IDENTIFY, 0, NVMX_CNS_CTRL, 0, 4096);
	feed_all(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 1, NULL)), NVMX_SC_CMD_SEQ_ERROR);
	h_free(h);
}

static void shutdown_sets_shst_complete(void **state)
{
	struct h *h = h_new();
	struct nvmx_tgt_ctrl *c;

	bring_up(h, false, false);
	c = h->c->q.ctrl;
	put_prop_set(h, NVMX_REG_CC, NVMX_CC_EN | NVMX_CC_SHN_NORMAL | (6u << 16) | (4u << 20));
	feed_all(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	assert_int_equal(c->csts & NVMX_CSTS_SHST_MASK, NVMX_CSTS_SHST_CMPLT);
	/* Disabling resets: RDY clears. */
	put_prop_set(h, NVMX_REG_CC, 0);
	feed_all(h);
	assert_int_equal(c->csts & NVMX_CSTS_RDY, 0);
	h_free(h);
}

static void features_round_trip_and_reject_unknown(void **state)
{
	struct h *h = h_new();
	uint32_t dw0 = 0;

	bring_up(h, false, false);
	put_admin(h, NVMX_ADM_SET_FEATURES, 0, NVMX_FID_NUM_QUEUES, (3u << 16) | 3u, 0);
	put_admin(h, NVMX_ADM_GET_FEATURES, 0, NVMX_FID_NUM_QUEUES, 0, 0);
	put_admin(h, NVMX_ADM_SET_FEATURES, 0, NVMX_FID_VOLATILE_WC, 0, 0);
	put_admin(h, NVMX_ADM_GET_FEATURES, 0, NVMX_FID_VOLATILE_WC, 0, 0);
	put_admin(h, NVMX_ADM_GET_FEATURES, 0, NVMX_FID_LBA_RANGE, 0, 0);
	put_admin(h, NVMX_ADM_SET_FEATURES, 0, NVMX_FID_ARBITRATION | NVMX_FEAT_SV, 0, 0);
	feed_all(h);
	assert_int_equal(resp_status(h, 0, &dw0), 0);
	assert_int_equal(dw0, (3u << 16) | 3u);
	assert_int_equal(resp_status(h, 1, &dw0), 0);
	assert_int_equal(dw0, (3u << 16) | 3u);
	assert_int_equal(resp_status(h, 3, &dw0), 0);
	assert_int_equal(dw0, 0);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 4, NULL)), NVMX_SC_INVALID_FIELD);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 5, NULL)), NVMX_SC_FEAT_NOT_SAVEABLE);
	h_free(h);
}

static void namespace_events_one_per_type_until_log_read(void **state)
{
	struct h *h = h_new();
	struct nvmx_bdev *b;
	uint32_t dw0 = 0;
	const uint8_t *data;

	bring_up(h, false, false);
	/* Two AERs wait. */
	put_admin(h, NVMX_ADM_ASYNC_EVENT, 0, 0, 0, 0);
	put_admin(h, NVMX_ADM_ASYNC_EVENT, 0, 0, 0, 0);
	feed_all(h);
	assert_int_equal(h->inlen, 0);
	/* Namespace 2 appears: one AER completes. */
	assert_int_equal(nvmx_bdev_open_ram(1 << 20, 512, &b), 0);
	assert_int_equal(nvmx_tgt_ns_add(h->s, 2, b, NULL, NULL), 0);
	h_drain(h);
	assert_int_equal(resp_status(h, 0, &dw0), 0);
	assert_int_equal(dw0, nvmx_aen_make(NVMX_AER_TYPE_NOTICE, NVMX_AER_NOTICE_NS_CHANGED,
					    NVMX_LID_CHANGED_NS));
	/* Namespace 3: same type, log not read yet: no second completion. */
	assert_int_equal(nvmx_bdev_open_ram(1 << 20, 512, &b), 0);
	assert_int_equal(nvmx_tgt_ns_add(h->s, 3, b, NULL, NULL), 0);
	h_drain(h);
	assert_int_equal(resp_status(h, 1, NULL), -1);
	/* The log lists both; reading it re-arms the notice. */
	h->inlen = 0;
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0, NVMX_LID_CHANGED_NS | (1023u << 16), 0, 4096);
	feed_all(h);
	data = find_pdu(h, NVMX_TCP_C2H_DATA, 0);
	assert_non_null(data);
	assert_int_equal(nvmx_get_le32(data + 24), 2);
	assert_int_equal(nvmx_get_le32(data + 28), 3);
	assert_int_equal(nvmx_get_le32(data + 32), 0);
	h->inlen = 0;
	assert_int_equal(nvmx_tgt_ns_remove(h->s, 3), 0);
	h_drain(h);
	assert_int_equal(resp_status(h, 0, &dw0), 0);
	assert_int_equal(nvmx_aen_type(dw0), NVMX_AER_TYPE_NOTICE);
	/* AERL+1 = 4 outstanding at most. */
	h->inlen = 0;
	for (int i = 0; i < 5; i++)
		put_admin(h, NVMX_ADM_ASYNC_EVENT, 0, 0, 0, 0);
	feed_all(h);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 0, NULL)), NVMX_SC_AER_LIMIT);
	assert_int_equal(resp_status(h, 1, NULL), -1);
	h_free(h);
}

static void masked_smart_events_are_not_reported(void **state)
{
	struct h *h = h_new();

	bring_up(h, false, false);
	put_admin(h, NVMX_ADM_SET_FEATURES, 0, NVMX_FID_ASYNC_EVENT, NVMX_AEC_NS_ATTR, 0);
	put_admin(h, NVMX_ADM_ASYNC_EVENT, 0, 0, 0, 0);
	feed_all(h);
	h->inlen = 0;
	nvmx_tgt_set_health(h->s, -1, 5, -1);	/* spare below threshold */
	h_drain(h);
	assert_int_equal(h->inlen, 0);
	put_admin(h, NVMX_ADM_SET_FEATURES, 0, NVMX_FID_ASYNC_EVENT, NVMX_CW_ALL, 0);
	feed_all(h);
	h->inlen = 0;
	nvmx_tgt_set_health(h->s, -1, 5, NVMX_CW_RELIABILITY);
	h_drain(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	h_free(h);
}

static void log_pages_describe_what_is_supported(void **state)
{
	struct h *h = h_new();
	const uint8_t *d;

	bring_up(h, false, false);
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0, NVMX_LID_CMD_EFFECTS | (1023u << 16), 0, 4096);
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0, NVMX_LID_FW_SLOT | (127u << 16), 0, 512);
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0, 0x42 | (127u << 16), 0, 512);
	put_admin(h, NVMX_ADM_GET_LOG_PAGE, 0, NVMX_LID_DISCOVERY | (255u << 16), 0, 1024);
	feed_all(h);
	d = find_pdu(h, NVMX_TCP_C2H_DATA, 0);
	assert_non_null(d);
	d += 24;
	assert_int_equal(nvmx_get_le32(d + 4 * NVMX_ADM_IDENTIFY), NVMX_CSE_CSUPP);
	assert_int_equal(nvmx_get_le32(d + 4 * NVMX_ADM_FORMAT_NVM), 0);
	assert_int_equal(nvmx_get_le32(d + 1024 + 4 * NVMX_NVM_WRITE), NVMX_CSE_CSUPP | NVMX_CSE_LBCC);
	assert_int_equal(nvmx_get_le32(d + 1024 + 4 * NVMX_NVM_READ), NVMX_CSE_CSUPP);
	assert_int_equal(nvmx_get_le32(d + 1024 + 4 * NVMX_NVM_WRITE_UNCOR), 0);
	d = find_pdu(h, NVMX_TCP_C2H_DATA, 1);
	assert_non_null(d);
	assert_int_equal(d[24], 1);				/* AFI: slot 1 active */
	assert_memory_equal(d + 24 + 8, "0.1.0   ", 8);	/* FRS1 */
	assert_int_equal(resp_status(h, 2, NULL) >> 1 & 0xff, NVMX_SC_LOG_PAGE_INVALID);
	assert_int_equal(resp_status(h, 3, NULL) >> 1 & 0xff, NVMX_SC_LOG_PAGE_INVALID);
	h_free(h);
}

static void abort_keep_alive_disconnect_and_nssr(void **state)
{
	struct h *h = h_new();
	struct nvmx_sqe sqe = { 0 };
	uint32_t dw0 = 0;

	bring_up(h, false, false);
	put_admin(h, NVMX_ADM_ABORT, 0, 5u << 16, 0, 0);
	put_admin(h, NVMX_ADM_KEEP_ALIVE, 0, 0, 0, 0);
	sqe.opc = NVMX_ADM_FABRICS;
	((struct nvmx_fabrics_cmd *)&sqe)->fctype = NVMX_FCTYPE_DISCONNECT;
	put_cmd(h, &sqe, NULL, 0, 0);
	feed_all(h);
	/* Commands finish at once here: Abort finds nothing ("not aborted"). */
	assert_int_equal(resp_status(h, 0, &dw0), 0);
	assert_int_equal(dw0 & NVMX_ABORT_DW0_NOT_ABORTED, 1);
	assert_int_equal(resp_status(h, 1, NULL), 0);
	assert_int_equal(resp_status(h, 2, NULL), 0);
	assert_false(atomic_load(&h->c->close_req));
	/* NVM Subsystem Reset ("NVMe" to NSSR) tears the controller down. */
	put_prop_set(h, NVMX_REG_NSSR, NVMX_NSSR_RESET_VALUE);
	feed_all(h);
	assert_int_equal(resp_status(h, 3, NULL), 0);
	assert_true(atomic_load(&h->c->close_req));
	assert_true(h->c->q.ctrl->dead);
	h_free(h);
}

static void cap_and_properties_follow_the_spec(void **state)
{
	struct h *h = h_new();
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_prop_get_cmd *g = (void *)&sqe;
	const struct nvmx_tcp_rsp *rsp;
	uint64_t cap;

	bring_up(h, false, false);
	g->opc = NVMX_ADM_FABRICS;
	g->fctype = NVMX_FCTYPE_PROPERTY_GET;
	g->attrib = NVMX_PROP_SIZE_8;
	g->offset = nvmx_cpu_to_le32(NVMX_REG_CAP);
	put_cmd(h, &sqe, NULL, 0, 0);
	g->attrib = NVMX_PROP_SIZE_8;		/* VS is 4 bytes: 8 is invalid */
	g->offset = nvmx_cpu_to_le32(NVMX_REG_VS);
	put_cmd(h, &sqe, NULL, 0, 0);
	put_prop_set(h, NVMX_REG_AQA, 0);	/* not settable over fabrics */
	feed_all(h);
	rsp = (const void *)find_pdu(h, NVMX_TCP_RSP, 0);
	cap = nvmx_le32_to_cpu(rsp->cqe.dw0) | (uint64_t)nvmx_le32_to_cpu(rsp->cqe.dw1) << 32;
	assert_int_equal(nvmx_cap_mqes(cap), NVMX_TGT_MQES);
	assert_int_equal(nvmx_cap_cqr(cap), 1);
	assert_int_equal(nvmx_cap_nssrs(cap), 1);
	assert_int_equal(nvmx_cap_to(cap), 15);
	assert_int_equal(nvmx_cap_mpsmin(cap), 0);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 1, NULL)), NVMX_SC_INVALID_FIELD);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 2, NULL)), NVMX_SC_INVALID_FIELD);
	h_free(h);
}

/* A Connect waiting for its data (R2T) while a second Connect overtakes
 * it: the first, executed last, is refused, and the controller the second
 * made stays the queue's only one. */
static void overtaken_connect_is_a_sequence_error(void **state)
{
	struct h *h = h_new();
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_connect_cmd *cmd = (void *)&sqe;
	struct nvmx_connect_data d = { 0 };
	struct nvmx_tcp_h2c_data hd = { 0 };
	const struct nvmx_tcp_r2t *r2t;
	uint16_t ttag, cid;

	put_icreq(h, false, false);
	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_CONNECT;
	cmd->sqsize = nvmx_cpu_to_le16(31);
	put_cmd(h, &sqe, NULL, 0, sizeof(d));	/* data through R2T */
	feed_all(h);
	r2t = (const void *)find_pdu(h, NVMX_TCP_R2T, 0);
	assert_non_null(r2t);
	ttag = nvmx_le16_to_cpu(r2t->ttag);
	cid = nvmx_le16_to_cpu(r2t->cccid);
	h->inlen = 0;
	put_connect(h, 0, 0xffff);		/* in-capsule: runs at once */
	d.cntlid = nvmx_cpu_to_le16(0xffff);
	strcpy(d.subnqn, SUBNQN);
	strcpy(d.hostnqn, HOSTNQN);
	hd.ch = (struct nvmx_tcp_ch){ NVMX_TCP_H2C_DATA, NVMX_TCP_F_LAST_PDU, 24, 24,
				      nvmx_cpu_to_le32(24 + sizeof(d)) };
	hd.cccid = nvmx_cpu_to_le16(cid);
	hd.ttag = nvmx_cpu_to_le16(ttag);
	hd.datal = nvmx_cpu_to_le32(sizeof(d));
	put(h, &hd, sizeof(hd));
	put(h, &d, sizeof(d));
	feed_all(h);
	assert_int_equal(resp_status(h, 0, NULL), 0);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 1, NULL)), NVMX_SC_CMD_SEQ_ERROR);
	assert_non_null(h->s->ctrls);
	assert_null(h->s->ctrls->next);
	assert_ptr_equal(h->s->ctrls->queues[0], &h->c->q);
	h_free(h);
}

static void io_connect_needs_a_known_controller_and_host(void **state)
{
	struct h *h = h_new();

	put_icreq(h, false, false);
	put_connect(h, 1, 77);
	feed_all(h);
	assert_int_equal(nvmx_st_sc((uint16_t)resp_status(h, 0, NULL)),
			 NVMX_SC_CONNECT_INVALID_PARAM);
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pdus_split_at_any_byte_give_the_same_answers),
		cmocka_unit_test(pdus_split_at_any_byte_with_digests),
		cmocka_unit_test(concatenated_pdus_are_all_answered),
		cmocka_unit_test(malformed_pdus_get_their_termination_codes),
		cmocka_unit_test(h2c_data_out_of_order_or_range_is_fatal),
		cmocka_unit_test(data_digest_error_fails_the_command_not_the_connection),
		cmocka_unit_test(in_capsule_writes_land_the_same_whole_or_split),
		cmocka_unit_test(commands_before_connect_are_sequence_errors),
		cmocka_unit_test(admin_commands_need_csts_rdy),
		cmocka_unit_test(shutdown_sets_shst_complete),
		cmocka_unit_test(features_round_trip_and_reject_unknown),
		cmocka_unit_test(namespace_events_one_per_type_until_log_read),
		cmocka_unit_test(masked_smart_events_are_not_reported),
		cmocka_unit_test(log_pages_describe_what_is_supported),
		cmocka_unit_test(abort_keep_alive_disconnect_and_nssr),
		cmocka_unit_test(cap_and_properties_follow_the_spec),
		cmocka_unit_test(overtaken_connect_is_a_sequence_error),
		cmocka_unit_test(io_connect_needs_a_known_controller_and_host),
	};

	nvmx_log_set_level(NVMX_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
