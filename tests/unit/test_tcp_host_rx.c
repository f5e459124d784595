/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP host receive path, end to end through the real transport code
 * (tcp_host.c is included, SPDK style) over a socketpair: the test plays
 * the controller, writing PDU bytes in whatever pieces it likes and reading
 * what the host sends.  Proves: every PDU type split at every byte
 * boundary, and PDUs concatenated, decode to the same completions and
 * data; R2T is answered with H2CData in MAXH2CDATA pieces; each malformed
 * PDU ends the connection with its own error (and TermReq FES).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>

#include "transport/tcp_host.c"

/* ---- fixture: a controller-less queue pair on a socketpair ---- */

struct cpl {
	bool called;
	int err;
	uint16_t status;
	uint16_t cid;
};

struct fx {
	struct nvmx_ctrl ctrl;
	struct nvmx_qpair qp;
	struct tcp_q *q;
	int peer;
	struct cpl cpl[4];
	uint8_t *buf[4];
	bool hd, dd;
};

static void on_cpl(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct cpl *c = arg;

	assert_false(c->called);	/* completed once */
	c->called = true;
	c->err = err;
	c->status = (nvmx_cqe_status(cqe) >> 1) & 0x7fff;
	c->cid = nvmx_le16_to_cpu(cqe->cid);
}

static struct fx *fx_new_sized(bool hd, bool dd, uint32_t icd_max, size_t bufsz)
{
	struct fx *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_non_null(f);
	for (int i = 0; i < 4; i++)
		f->buf[i] = calloc(1, bufsz);
	f->hd = hd;
	f->dd = dd;
	snprintf(f->ctrl.name, sizeof(f->ctrl.name), "test");
	f->ctrl.ops = &nvmx_tcp_host_ops;
	pthread_mutex_init(&f->ctrl.state_lock, NULL);
	assert_int_equal(nvmx_qpair_init(&f->qp, &f->ctrl, 1, 16, 1000), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	f->q = calloc(1, sizeof(*f->q));
	f->q->fd = sv[0];
	f->peer = sv[1];
	f->q->qp = &f->qp;
	f->q->ctrl = &f->ctrl;
	f->q->hdgst = hd;
	f->q->ddgst = dd;
	f->q->maxh2cdata = 4096;
	f->q->icd_max = icd_max;
	f->q->cmds = calloc(f->qp.nreqs, sizeof(*f->q->cmds));
	f->q->rxbuf = malloc(TCP_RXBUF);
	tcp_rx_init(&f->q->rx, &rx_ops, f->q);
	f->q->rx.hdgst = hd;
	f->q->rx.ddgst = dd;
	f->q->rx.ic_done = true;
	f->qp.tq = f->q;
	return f;
}

static struct fx *fx_new(bool hd, bool dd, uint32_t icd_max)
{
	return fx_new_sized(hd, dd, icd_max, 12288);
}

static void fx_free(struct fx *f)
{
	nvmx_qpair_shutdown(&f->qp);
	q_free(f->q);
	close(f->peer);
	nvmx_qpair_fini(&f->qp);
	pthread_mutex_destroy(&f->ctrl.state_lock);
	for (int i = 0; i < 4; i++)
		free(f->buf[i]);
	free(f);
}

/* Submit a read (or write) of len bytes into buf[i]; CIDs come out 0,1,.. */
static uint16_t submit(struct fx *f, int i, uint32_t len, bool write)
{
	struct nvmx_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = write ? NVMX_NVM_WRITE : NVMX_NVM_READ;
	sqe.nsid = nvmx_cpu_to_le32(1);
	assert_int_equal(nvmx_qpair_submit_cmd(&f->qp, &sqe, f->buf[i], len,
					       write ? NVMX_DIR_TO_CTRL : NVMX_DIR_FROM_CTRL,
					       on_cpl, &f->cpl[i], 0), 0);
	return (uint16_t)i;
}

/* Read everything the host sent so far (its capsules) and return the count. */
static size_t drain(struct fx *f, uint8_t *out, size_t cap)
{
	size_t got = 0;
	ssize_t n;

	while (got < cap && (n = read(f->peer, out + got, cap - got)) > 0)
		got += (size_t)n;
	return got;
}

static void peer_write(struct fx *f, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(f->peer, p, n);

		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

/* ---- PDU builders (the controller's side) ---- */

static size_t finish_hdr(struct fx *f, uint8_t *p, unsigned int hlen, bool digestable)
{
	if (f->hd && digestable) {
		p[1] |= NVMX_TCP_F_HDGST;
		nvmx_put_le32(p + hlen, nvmx_crc32c(p, hlen));
		return hlen + 4;
	}
	return hlen;
}

static size_t mk_rsp(struct fx *f, uint8_t *p, uint16_t cid, uint16_t status)
{
	struct nvmx_tcp_rsp *r = (void *)p;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->ch.pdu_type = NVMX_TCP_RSP;
	r->ch.hlen = 24;
	r->cqe.cid = nvmx_cpu_to_le16(cid);
	r->cqe.status = nvmx_cpu_to_le16((uint16_t)(status << 1));
	n = finish_hdr(f, p, 24, true);
	r->ch.plen = nvmx_cpu_to_le32((uint32_t)n);
	if (f->hd)
		nvmx_put_le32(p + 24, nvmx_crc32c(p, 24));
	return n;
}

/* C2HData with pad bytes before the data (PDO = header + digest + pad). */
static size_t mk_c2h(struct fx *f, uint8_t *p, uint16_t cid, uint32_t off, const uint8_t *data,
		     uint32_t len, uint8_t flags, unsigned int pad)
{
	struct nvmx_tcp_c2h_data *d = (void *)p;
	unsigned int hd = f->hd ? 4 : 0, dd = f->dd ? 4 : 0, pdo = 24 + hd + pad;

	memset(p, 0, pdo);
	d->ch.pdu_type = NVMX_TCP_C2H_DATA;
	d->ch.flags = (uint8_t)(flags | (f->hd ? NVMX_TCP_F_HDGST : 0) | (f->dd ? NVMX_TCP_F_DDGST : 0));
	d->ch.hlen = 24;
	d->ch.pdo = (uint8_t)pdo;
	d->ch.plen = nvmx_cpu_to_le32(pdo + len + dd);
	d->cccid = nvmx_cpu_to_le16(cid);
	d->datao = nvmx_cpu_to_le32(off);
	d->datal = nvmx_cpu_to_le32(len);
	if (f->hd)
		nvmx_put_le32(p + 24, nvmx_crc32c(p, 24));
	memcpy(p + pdo, data, len);
	if (f->dd)
		nvmx_put_le32(p + pdo + len, nvmx_crc32c(data, len));
	return pdo + len + dd;
}

static size_t mk_r2t(struct fx *f, uint8_t *p, uint16_t cid, uint16_t ttag, uint32_t off,
		     uint32_t len)
{
	struct nvmx_tcp_r2t *r = (void *)p;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->ch.pdu_type = NVMX_TCP_R2T;
	r->ch.hlen = 24;
	r->cccid = nvmx_cpu_to_le16(cid);
	r->ttag = nvmx_cpu_to_le16(ttag);
	r->r2to = nvmx_cpu_to_le32(off);
	r->r2tl = nvmx_cpu_to_le32(len);
	n = finish_hdr(f, p, 24, true);
	r->ch.plen = nvmx_cpu_to_le32((uint32_t)n);
	if (f->hd)
		nvmx_put_le32(p + 24, nvmx_crc32c(p, 24));
	return n;
}

static size_t mk_term(uint8_t *p, uint16_t fes)
{
	struct nvmx_tcp_term_req *t = (void *)p;

	memset(p, 0, 24 + 8);
	t->ch.pdu_type = NVMX_TCP_C2H_TERM;
	t->ch.hlen = 24;
	t->ch.plen = nvmx_cpu_to_le32(24 + 8);
	t->fes = nvmx_cpu_to_le16(fes);
	return 24 + 8;
}

static size_t mk_icresp(uint8_t *p)
{
	struct nvmx_tcp_icresp *r = (void *)p;

	memset(r, 0, sizeof(*r));
	r->ch.pdu_type = NVMX_TCP_ICRESP;
	r->ch.hlen = 128;
	r->ch.plen = nvmx_cpu_to_le32(128);
	r->maxh2cdata = nvmx_cpu_to_le32(8192);
	return 128;
}

static void pattern(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed * 7 + (i >> 8));
}

/* ---- a reference stream: every PDU type the host receives ---- */

#define R0_LEN 3000	/* CID 0: two C2HData + CapsuleResp */
#define R1_LEN 4096	/* CID 1: one C2HData with SUCCESS, large (received in place) */

static uint8_t d0[R0_LEN], d1[R1_LEN];

static size_t ref_stream(struct fx *f, uint8_t *s)
{
	size_t n = 0;

	pattern(d0, sizeof(d0), 1);
	pattern(d1, sizeof(d1), 2);
	n += mk_c2h(f, s + n, 0, 0, d0, 1000, 0, 0);
	n += mk_c2h(f, s + n, 0, 1000, d0 + 1000, 2000, NVMX_TCP_F_LAST_PDU, 8);
	n += mk_rsp(f, s + n, 0, 0);
	n += mk_c2h(f, s + n, 1, 0, d1, R1_LEN, NVMX_TCP_F_LAST_PDU | NVMX_TCP_F_SUCCESS, 0);
	n += mk_r2t(f, s + n, 2, 0x1234, 0, 100);
	n += mk_rsp(f, s + n, 2, 0x280);	/* media error: Write Fault */
	return n;
}

static void check_ref(struct fx *f)
{
	uint8_t sent[4096];

	assert_true(f->cpl[0].called);
	assert_int_equal(f->cpl[0].err, 0);
	assert_int_equal(f->cpl[0].status, 0);
	assert_memory_equal(f->buf[0], d0, R0_LEN);
	assert_true(f->cpl[1].called);
	assert_int_equal(f->cpl[1].err, 0);
	assert_int_equal(f->cpl[1].cid, 1);
	assert_memory_equal(f->buf[1], d1, R1_LEN);
	assert_true(f->cpl[2].called);
	assert_int_equal(f->cpl[2].err, 0);
	assert_int_equal(f->cpl[2].status, 0x280);
	assert_false(f->qp.failed);
	/* The host answered the R2T with one H2CData of 100 bytes, unless the
	 * Write Fault response came before it went out (then it is dropped). */
	size_t n = drain(f, sent, sizeof(sent));
	unsigned int hd = f->hd ? 4 : 0, dd = f->dd ? 4 : 0, cap = 72 + hd;

	if (n == 3 * cap)
		return;
	assert_int_equal(n, 3 * cap + 24 + hd + 100 + dd);
	const uint8_t *h = sent + 3 * cap;

	assert_int_equal(h[0], NVMX_TCP_H2C_DATA);
	assert_true(h[1] & NVMX_TCP_F_LAST_PDU);
	assert_int_equal(nvmx_get_le16(h + 8), 2);
	assert_int_equal(nvmx_get_le16(h + 10), 0x1234);
	assert_int_equal(nvmx_get_le32(h + 16), 100);
	assert_memory_equal(h + h[3], f->buf[2], 100);
}

static struct fx *ref_fixture(bool hd, bool dd)
{
	struct fx *f = fx_new(hd, dd, 0);

	submit(f, 0, R0_LEN, false);
	submit(f, 1, R1_LEN, false);
	submit(f, 2, 100, true);
	pattern(f->buf[2], 100, 3);
	assert_int_equal(tcp_poll(&f->qp, 0), 0);	/* capsules out */
	return f;
}

static void run_split(bool hd, bool dd, const size_t *cuts, size_t ncuts)
{
	static uint8_t s[16384];
	struct fx *f = ref_fixture(hd, dd);
	size_t len = ref_stream(f, s), at = 0;

	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;

		if (end > len)
			end = len;
		if (end > at)
			peer_write(f, s + at, end - at);
		assert_true(tcp_poll(&f->qp, 0) >= 0);
		at = end;
	}
	assert_int_equal(tcp_poll(&f->qp, 0) >= 0, 1);
	check_ref(f);
	fx_free(f);
}

static void every_pdu_split_at_every_byte_decodes_identically(void **state)
{
	for (int cfg = 0; cfg < 4; cfg++) {
		bool hd = cfg & 1, dd = cfg & 2;
		uint8_t s[16384];
		struct fx *f = fx_new(hd, dd, 0);
		size_t len = ref_stream(f, s);

		fx_free(f);
		for (size_t k = 1; k < len; k++)
			run_split(hd, dd, &k, 1);
	}
}

static void pdus_byte_by_byte_and_all_concatenated_decode_identically(void **state)
{
	static size_t cuts[16384];

	for (int cfg = 0; cfg < 4; cfg++) {
		bool hd = cfg & 1, dd = cfg & 2;
		uint8_t s[16384];
		struct fx *f = fx_new(hd, dd, 0);
		size_t len = ref_stream(f, s);

		fx_free(f);
		for (size_t k = 0; k < len; k++)
			cuts[k] = k + 1;
		run_split(hd, dd, cuts, len);	/* one byte per read */
		run_split(hd, dd, NULL, 0);	/* everything in one read */
	}
}

static void r2t_is_answered_in_maxh2cdata_pieces(void **state)
{
	for (int cfg = 0; cfg < 4; cfg++) {
		struct fx *f = fx_new(cfg & 1, cfg & 2, 0);
		uint8_t pdu[64], out[32768];
		unsigned int hd = f->hd ? 4 : 0, dd = f->dd ? 4 : 0;
		uint32_t off = 0;

		pattern(f->buf[0], 10000, 9);
		submit(f, 0, 10000, true);
		assert_int_equal(tcp_poll(&f->qp, 0), 0);
		assert_int_equal(drain(f, out, sizeof(out)), 72 + hd);	/* capsule only */
		assert_int_equal(out[8 + 39], 0x5a);	/* transport SGL */
		peer_write(f, pdu, mk_r2t(f, pdu, 0, 7, 0, 10000));
		assert_int_equal(tcp_poll(&f->qp, 0), 0);
		size_t n = drain(f, out, sizeof(out)), at = 0;

		for (int i = 0; i < 3; i++) {
			const uint8_t *h = out + at;
			uint32_t len = nvmx_get_le32(h + 16);

			assert_int_equal(h[0], NVMX_TCP_H2C_DATA);
			assert_int_equal(nvmx_get_le32(h + 12), off);
			assert_int_equal(len, i < 2 ? 4096 : 10000 - 8192);
			assert_int_equal(!!(h[1] & NVMX_TCP_F_LAST_PDU), i == 2);
			assert_int_equal(nvmx_get_le16(h + 10), 7);
			if (hd)
				assert_int_equal(nvmx_get_le32(h + 24), nvmx_crc32c(h, 24));
			assert_memory_equal(h + h[3], f->buf[0] + off, len);
			if (dd)
				assert_int_equal(nvmx_get_le32(h + h[3] + len), nvmx_crc32c(h + h[3], len));
			assert_int_equal(nvmx_get_le32(h + 4), h[3] + len + dd);
			at += h[3] + len + dd;
			off += len;
		}
		assert_int_equal(at, n);
		peer_write(f, pdu, mk_rsp(f, pdu, 0, 0));
		assert_int_equal(tcp_poll(&f->qp, 0), 1);
		assert_true(f->cpl[0].called);
		assert_int_equal(f->cpl[0].err, 0);
		fx_free(f);
	}
}

static void small_write_goes_in_capsule_with_offset_sgl(void **state)
{
	struct fx *f = fx_new(true, true, 8192);
	uint8_t out[4096];
	size_t n;

	pattern(f->buf[0], 1000, 4);
	submit(f, 0, 1000, true);
	assert_int_equal(tcp_poll(&f->qp, 0), 0);
	n = drain(f, out, sizeof(out));
	assert_int_equal(out[0], NVMX_TCP_CMD);
	assert_int_equal(out[1], NVMX_TCP_F_HDGST | NVMX_TCP_F_DDGST);
	assert_int_equal(out[3], 76);	/* PDO right after header + digest */
	assert_int_equal(n, 76 + 1000 + 4);
	assert_int_equal(nvmx_get_le32(out + 4), n);
	assert_int_equal(out[8 + 39], 0x01);	/* Data Block, offset */
	assert_int_equal(nvmx_get_le32(out + 8 + 32), 1000);
	assert_int_equal(nvmx_get_le32(out + 72), nvmx_crc32c(out, 72));
	assert_memory_equal(out + 76, f->buf[0], 1000);
	assert_int_equal(nvmx_get_le32(out + 1076), nvmx_crc32c(out + 76, 1000));
	fx_free(f);
}

static void poll_with_max_completes_at_most_max_per_call(void **state)
{
	struct fx *f = fx_new(false, false, 0);
	uint8_t s[4096], out[1024];
	size_t n = 0;

	for (int i = 0; i < 3; i++)
		submit(f, i, 512, false);
	assert_int_equal(tcp_poll(&f->qp, 0), 0);
	drain(f, out, sizeof(out));
	pattern(d0, 512, 5);
	for (int i = 0; i < 3; i++)
		n += mk_c2h(f, s + n, (uint16_t)i, 0, d0, 512,
			    NVMX_TCP_F_LAST_PDU | NVMX_TCP_F_SUCCESS, 0);
	peer_write(f, s, n);	/* all three arrive in one read */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tcp_poll(&f->qp, 1), 1);
		for (int k = 0; k < 3; k++)
			assert_int_equal(f->cpl[k].called, k <= i);
	}
	assert_int_equal(tcp_poll(&f->qp, 1), 0);
	assert_memory_equal(f->buf[2], d0, 512);
	fx_free(f);
}

/* Write while polling the host, for streams larger than the socket buffer. */
static void peer_write_polling(struct fx *f, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(f->peer, p, n);

		if (w < 0) {
			assert_true(errno == EAGAIN);
			assert_true(tcp_poll(&f->qp, 0) >= 0);
			continue;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void large_read_payloads_land_in_place(void **state)
{
	struct fx *f = fx_new_sized(false, true, 0, 65536);
	static uint8_t s[3 * (65536 + 64)], want[3][65536];
	uint8_t out[1024];
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		submit(f, i, 65536, false);
		pattern(want[i], 65536, 10 + (unsigned int)i);
	}
	assert_int_equal(tcp_poll(&f->qp, 0), 0);
	drain(f, out, sizeof(out));
	for (int i = 0; i < 3; i++)
		n += mk_c2h(f, s + n, (uint16_t)i, 0, want[i], 65536,
			    NVMX_TCP_F_LAST_PDU | NVMX_TCP_F_SUCCESS, 0);
	peer_write_polling(f, s, n);
	for (int i = 0; i < 100 && !f->cpl[2].called; i++)
		assert_true(tcp_poll(&f->qp, 0) >= 0);
	for (int i = 0; i < 3; i++) {
		assert_true(f->cpl[i].called);
		assert_int_equal(f->cpl[i].err, 0);
		assert_memory_equal(f->buf[i], want[i], 65536);
	}
	/* Once large data flows, whole payloads arrive without a copy. */
	print_message("# payload bytes: %llu in place, %llu copied\n",
		      (unsigned long long)f->q->rx_direct, (unsigned long long)f->q->rx_copied);
	assert_true(f->q->rx_direct >= 65536);
	assert_int_equal(f->q->rx_direct + f->q->rx_copied, 3 * 65536);
	fx_free(f);
}

/* ---- malformed PDUs: each ends the connection with its own error ---- */

enum bad_kind {
	BAD_TYPE_FROM_HOST_SIDE, BAD_HLEN, BAD_RSP_CID, BAD_C2H_CID, BAD_C2H_BEYOND,
	BAD_C2H_ORDER, BAD_C2H_PLEN, BAD_C2H_DATAL0, BAD_SUCCESS_NO_LAST, BAD_LAST_EARLY,
	BAD_HDGST, BAD_DDGST, BAD_TERMREQ, BAD_ICRESP_AGAIN, BAD_R2T_FOR_READ, BAD_R2T_BEYOND,
	BAD_RSP_BEFORE_DATA, BAD_WRITE_OK_BEFORE_DATA, BAD_EOF, BAD_HDGSTF_UNNEGOTIATED, BAD_PDO_IN_HEADER,
	BAD_KINDS
};

struct bad_case {
	const char *name;
	bool hd, dd;
	int err;
	int fes;	/* TermReq FES the host sends back; 0: none */
};

static const struct bad_case bad_cases[BAD_KINDS] = {
	[BAD_TYPE_FROM_HOST_SIDE] = { "H2CData from the controller", 0, 0, -EPROTO, 1 },
	[BAD_HLEN] = { "CapsuleResp with HLEN 23", 0, 0, -EPROTO, 1 },
	[BAD_RSP_CID] = { "CapsuleResp for an unknown CID", 0, 0, -EPROTO, 1 },
	[BAD_C2H_CID] = { "C2HData for an unknown CID", 0, 0, -EPROTO, 1 },
	[BAD_C2H_BEYOND] = { "C2HData beyond the command", 0, 0, -EPROTO, 4 },
	[BAD_C2H_ORDER] = { "C2HData out of order", 0, 0, -EPROTO, 4 },
	[BAD_C2H_PLEN] = { "C2HData PLEN mismatch", 0, 0, -EPROTO, 1 },
	[BAD_C2H_DATAL0] = { "C2HData with DATAL 0", 0, 0, -EPROTO, 1 },
	[BAD_SUCCESS_NO_LAST] = { "SUCCESS without LAST_PDU", 0, 0, -EPROTO, 1 },
	[BAD_LAST_EARLY] = { "LAST_PDU before all data", 0, 0, -EPROTO, 1 },
	[BAD_HDGST] = { "bad header digest", 1, 0, -EBADMSG, 3 },
	[BAD_DDGST] = { "bad data digest", 0, 1, -EBADMSG, 0 },
	[BAD_TERMREQ] = { "C2HTermReq", 0, 0, -ECONNRESET, 0 },
	[BAD_ICRESP_AGAIN] = { "ICResp after setup", 0, 0, -EPROTO, 2 },
	[BAD_R2T_FOR_READ] = { "R2T for a read", 0, 0, -EPROTO, 1 },
	[BAD_R2T_BEYOND] = { "R2T beyond the command", 0, 0, -EPROTO, 4 },
	[BAD_RSP_BEFORE_DATA] = { "success before the data", 0, 0, -EPROTO, 2 },
	[BAD_WRITE_OK_BEFORE_DATA] = { "write success before its data", 0, 0, -EPROTO, 2 },
	[BAD_EOF] = { "connection closed", 0, 0, -ECONNRESET, 0 },
	[BAD_HDGSTF_UNNEGOTIATED] = { "HDGSTF without negotiation", 0, 0, -EPROTO, 1 },
	[BAD_PDO_IN_HEADER] = { "PDO inside the header", 0, 0, -EPROTO, 1 },
};

static size_t mk_bad(struct fx *f, enum bad_kind k, uint8_t *p)
{
	uint8_t data[128] = { 0 };
	size_t n;

	switch (k) {
	case BAD_TYPE_FROM_HOST_SIDE:
		n = mk_c2h(f, p, 0, 0, data, 16, 0, 0);
		p[0] = NVMX_TCP_H2C_DATA;
		return n;
	case BAD_HLEN:
		n = mk_rsp(f, p, 0, 0);
		p[2] = 23;
		return n;
	case BAD_RSP_CID:
		return mk_rsp(f, p, 9, 0);
	case BAD_C2H_CID:
		return mk_c2h(f, p, 9, 0, data, 16, 0, 0);
	case BAD_C2H_BEYOND:
		return mk_c2h(f, p, 0, 0, data, 80, 0, 0);	/* the read is 64 bytes */
	case BAD_C2H_ORDER:
		return mk_c2h(f, p, 0, 16, data, 16, 0, 0);
	case BAD_C2H_PLEN:
		n = mk_c2h(f, p, 0, 0, data, 16, 0, 0);
		nvmx_put_le32(p + 4, (uint32_t)n + 1);
		return n;
	case BAD_C2H_DATAL0:
		n = mk_c2h(f, p, 0, 0, data, 0, 0, 0);
		return n;
	case BAD_SUCCESS_NO_LAST:
		return mk_c2h(f, p, 0, 0, data, 64, NVMX_TCP_F_SUCCESS, 0);
	case BAD_LAST_EARLY:
		return mk_c2h(f, p, 0, 0, data, 16, NVMX_TCP_F_LAST_PDU, 0);
	case BAD_HDGST:
		n = mk_rsp(f, p, 0, 0);
		p[25] ^= 1;
		return n;
	case BAD_DDGST:
		n = mk_c2h(f, p, 0, 0, data, 64, NVMX_TCP_F_LAST_PDU, 0);
		p[n - 1] ^= 0x80;
		return n;
	case BAD_TERMREQ:
		return mk_term(p, NVMX_TCP_FES_HDGST);
	case BAD_ICRESP_AGAIN:
		return mk_icresp(p);
	case BAD_R2T_FOR_READ:
		return mk_r2t(f, p, 0, 1, 0, 64);
	case BAD_R2T_BEYOND:
		return mk_r2t(f, p, 1, 1, 0, 65);	/* the write is 64 bytes */
	case BAD_RSP_BEFORE_DATA:
		return mk_rsp(f, p, 0, 0);
	case BAD_WRITE_OK_BEFORE_DATA:
		return mk_rsp(f, p, 1, 0);
	case BAD_EOF:
		return 0;
	case BAD_HDGSTF_UNNEGOTIATED:
		n = mk_rsp(f, p, 0, 0);
		p[1] |= NVMX_TCP_F_HDGST;
		return n;
	case BAD_PDO_IN_HEADER:
		n = mk_c2h(f, p, 0, 0, data, 16, 0, 0);
		p[3] = 20;
		return n;
	default:
		return 0;
	}
}

static void malformed_pdus_each_end_the_connection_with_their_error(void **state)
{
	for (int k = 0; k < BAD_KINDS; k++) {
		const struct bad_case *bc = &bad_cases[k];
		struct fx *f = fx_new(bc->hd, bc->dd, 0);
		uint8_t p[512], out[4096];
		size_t n;
		int rc;

		submit(f, 0, 64, false);
		submit(f, 1, 64, true);
		assert_int_equal(tcp_poll(&f->qp, 0), 0);
		drain(f, out, sizeof(out));
		n = mk_bad(f, (enum bad_kind)k, p);
		if (k == BAD_EOF)
			shutdown(f->peer, SHUT_WR);
		else
			peer_write(f, p, n);
		rc = tcp_poll(&f->qp, 0);
		print_message("# %s -> %d (%s)\n", bc->name, rc, f->qp.errmsg);
		assert_int_equal(rc, bc->err);
		assert_true(f->qp.failed);
		/* Every command completes once, with the error. */
		assert_true(f->cpl[0].called);
		assert_int_equal(f->cpl[0].err, bc->err);
		assert_int_equal(f->cpl[0].status, 0x370);
		assert_true(f->cpl[1].called);
		/* And nothing more is accepted. */
		assert_int_equal(tcp_poll(&f->qp, 0), bc->err);
		n = drain(f, out, sizeof(out));
		if (bc->fes) {
			assert_int_equal(n >= 24, 1);
			assert_int_equal(out[0], NVMX_TCP_H2C_TERM);
			assert_int_equal(nvmx_get_le16(out + 8), bc->fes);
		} else {
			assert_int_equal(n, 0);
		}
		fx_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pdu_split_at_every_byte_decodes_identically),
		cmocka_unit_test(pdus_byte_by_byte_and_all_concatenated_decode_identically),
		cmocka_unit_test(r2t_is_answered_in_maxh2cdata_pieces),
		cmocka_unit_test(small_write_goes_in_capsule_with_offset_sgl),
		cmocka_unit_test(poll_with_max_completes_at_most_max_per_call),
		cmocka_unit_test(large_read_payloads_land_in_place),
		cmocka_unit_test(malformed_pdus_each_end_the_connection_with_their_error),
	};

	nvmx_log_set_level(NVMX_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
