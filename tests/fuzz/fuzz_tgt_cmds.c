/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: the target's admin and I/O command decoders.  The harness
 * does the framing the TCP receive harness (fuzz_tcp_target.c) already
 * covers: ICReq, admin Connect, CC.EN=1, then an I/O queue Connect on a
 * second connection, so every fuzzed SQE reaches the command decoders of
 * an enabled controller (Identify, Get/Set Features, Get Log Page,
 * Keep Alive, Abort, AER, Property Get/Set, Read/Write/Compare/Write
 * Zeroes/DSM/Flush, unknown opcodes) with a RAM namespace behind it.
 *
 * Input: records of [flags][icd][64-byte SQE][icd * 16 bytes of data]:
 * flags bit 0 = I/O queue (else admin), bit 1 = keep the SQE's own SGL
 * (else the harness writes a valid one: in-capsule for the data given,
 * else a transport SGL of the SQE's own length).
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "target/core.h"
#include "transport/tcp_target.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SUBNQN "nqn.2024-01.io.nvmx:fuzz"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555"

static struct nvmx_tgt *tgt;
static uint8_t in[1 << 20];

struct conn {
	struct nvmx_tcp_conn *c;
	int peer;
	size_t inlen;
};

static void init(void)
{
	struct nvmx_tgt_subsys *s;
	struct nvmx_bdev *b;

	nvmx_log_set_level(NVMX_LOG_OFF);	/* no log line per input */
	if (nvmx_tgt_new(NULL, &tgt) || nvmx_tgt_subsys_add(tgt, SUBNQN, &s) ||
	    nvmx_bdev_open_ram(1 << 20, 512, &b) || nvmx_tgt_ns_add(s, 1, b, NULL, NULL) ||
	    nvmx_bdev_open_ram(1 << 16, 4096, &b) || nvmx_tgt_ns_add(s, 3, b, NULL, NULL))
		__builtin_trap();
}

static bool conn_open(struct conn *k)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return false;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	k->c = nvmx_tcp_conn_new(tgt, sv[0], NULL);
	if (!k->c) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	k->peer = sv[1];
	k->inlen = 0;
	return true;
}

static void conn_close(struct conn *k)
{
	if (k->c)
		nvmx_tcp_conn_free(k->c);
	close(k->peer);
	k->c = NULL;
}

/* Feed bytes; keep what the target answers (the start of it) in 'in'. */
static void conn_feed(struct conn *k, const void *p, size_t n)
{
	ssize_t r;

	nvmx_tcp_conn_rx(k->c, p, n);
	nvmx_tcp_conn_flush(k->c);
	while ((r = read(k->peer, in + k->inlen, sizeof(in) - k->inlen)) > 0) {
		k->inlen += (size_t)r;
		if (k->inlen > sizeof(in) / 2)
			k->inlen = 0;	/* only the bring-up answers matter */
	}
}

static void send_icreq(struct conn *k)
{
	struct nvmx_tcp_icreq ic = { 0 };

	ic.ch.pdu_type = NVMX_TCP_ICREQ;
	ic.ch.hlen = 128;
	ic.ch.plen = nvmx_cpu_to_le32(128);
	conn_feed(k, &ic, sizeof(ic));
}

static void send_cmd(struct conn *k, const struct nvmx_sqe *sqe, const void *d, uint32_t len)
{
	static uint8_t pdu[72 + 65536];
	struct nvmx_tcp_cmd *h = (void *)pdu;

	memset(h, 0, sizeof(*h));
	h->sqe = *sqe;
	h->ch.pdu_type = NVMX_TCP_CMD;
	h->ch.hlen = 72;
	h->ch.pdo = len ? 72 : 0;
	h->ch.plen = nvmx_cpu_to_le32(72 + len);
	if (len)
		memcpy(pdu + 72, d, len);
	conn_feed(k, pdu, 72 + len);
}

static void set_sgl(struct nvmx_sqe *sqe, uint32_t len, bool incapsule)
{
	sqe->flags = (uint8_t)((sqe->flags & ~0xc0) | NVMX_SQE_PSDT_SGL_MPTR);
	memset(&sqe->dptr, 0, sizeof(sqe->dptr));
	sqe->dptr.sgl.length = nvmx_cpu_to_le32(len);
	sqe->dptr.sgl.id = incapsule ? 0x01 : 0x5a;
}

/* The first CapsuleResp's DW0 and status. */
static int first_rsp(struct conn *k, uint32_t *dw0)
{
	size_t off = 0;

	while (off + 24 <= k->inlen) {
		const struct nvmx_tcp_rsp *r = (const void *)(in + off);
		uint32_t plen = nvmx_le32_to_cpu(r->ch.plen);

		if (r->ch.pdu_type == NVMX_TCP_RSP) {
			*dw0 = nvmx_le32_to_cpu(r->cqe.dw0);
			return nvmx_cqe_status(&r->cqe) >> 1;
		}
		if (plen < 8)
			break;
		off += plen;
	}
	return -1;
}

static bool do_connect(struct conn *k, uint16_t qid, uint16_t cntlid, uint32_t *dw0)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_connect_cmd *cmd = (void *)&sqe;
	struct nvmx_connect_data d = { 0 };

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_CONNECT;
	cmd->qid = nvmx_cpu_to_le16(qid);
	cmd->sqsize = nvmx_cpu_to_le16(31);
	cmd->cid = nvmx_cpu_to_le16(0x4000);
	d.cntlid = nvmx_cpu_to_le16(cntlid);
	strcpy(d.subnqn, SUBNQN);
	strcpy(d.hostnqn, HOSTNQN);
	set_sgl(&sqe, sizeof(d), true);
	k->inlen = 0;
	send_cmd(k, &sqe, &d, sizeof(d));
	return first_rsp(k, dw0) == 0;
}

static void prop_set_cc(struct conn *k)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_prop_set_cmd *cmd = (void *)&sqe;

	cmd->opc = NVMX_ADM_FABRICS;
	cmd->fctype = NVMX_FCTYPE_PROPERTY_SET;
	cmd->cid = nvmx_cpu_to_le16(0x4001);
	cmd->offset = nvmx_cpu_to_le32(NVMX_REG_CC);
	cmd->value = nvmx_cpu_to_le64(NVMX_CC_EN | (6u << 16) | (4u << 20));
	send_cmd(k, &sqe, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conn adm = { 0 }, io = { 0 };
	uint32_t dw0;
	uint16_t cid = 0;

	if (!tgt)
		init();
	if (!conn_open(&adm))
		return 0;
	send_icreq(&adm);
	if (!do_connect(&adm, 0, 0xffff, &dw0))
		__builtin_trap();	/* the valid bring-up must work */
	prop_set_cc(&adm);
	if (!conn_open(&io))
		goto out;
	send_icreq(&io);
	if (!do_connect(&io, 1, (uint16_t)dw0, &dw0))
		__builtin_trap();
	while (size >= 66) {
		uint8_t flags = data[0];
		uint32_t len = data[1] * 16u;
		struct nvmx_sqe sqe;
		struct conn *k = flags & 1 ? &io : &adm;

		memcpy(&sqe, data + 2, sizeof(sqe));
		data += 66;
		size -= 66;
		if (len > size)
			len = (uint32_t)size;
		if (!(flags & 2))
			set_sgl(&sqe, len ? len : nvmx_le32_to_cpu(sqe.dptr.sgl.length), len != 0);
		sqe.cid = nvmx_cpu_to_le16(cid++);	/* unique, so no CID clash by design */
		send_cmd(k, &sqe, data, len);
		data += len;
		size -= len;
	}
	conn_close(&io);
out:
	conn_close(&adm);
	return 0;
}
