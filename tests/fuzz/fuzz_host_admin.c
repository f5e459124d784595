/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: the host's admin-data parsers fed by a hostile controller:
 * Identify Controller, Set Features Number of Queues, the active namespace
 * list, Identify Namespace (LBA formats), the namespace identification
 * descriptors, the Discovery Log Page (header, records, GENCTR re-reads)
 * and AER completions.  The real host core runs a full nvmx_ctrl_connect()
 * and nvmx_discover() over an in-process fake transport (this file
 * replaces the transport registry) whose registers behave and whose admin
 * answers come from the input.
 *
 * Input: byte 0 = configuration (bit 0: VS 1.3 so descriptors are read;
 * bit 1: also run discovery; bit 2: let AERs complete from the stream;
 * bit 3: skip the NVM controller, discovery only);
 * then one answer per admin command in submission order:
 *   [status][dw0: 4 bytes LE][n: 2 bytes LE][n data bytes]
 * status < 0xe0 is success, else SC (status & 0x1f) of the generic set;
 * the rest of the command's buffer is zero.  When the input runs out every
 * command fails with Internal Error (bounded retries) and AERs stay out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fake {
	const uint8_t *p;
	size_t left;
	uint8_t cfg;
	uint32_t cc;
	uint16_t pending[256];
	unsigned int npending;
	int qp_token;
};

static struct fake fk;

static bool take(void *out, size_t n)
{
	if (fk.left < n)
		return false;
	memcpy(out, fk.p, n);
	fk.p += n;
	fk.left -= n;
	return true;
}

static int f_ctrl_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *adminq)
{
	adminq->tq = &fk.qp_token;
	ctrl->tctrl = &fk;
	return 0;
}

static void f_ctrl_destroy(struct nvmx_ctrl *ctrl) { ctrl->tctrl = NULL; }

static int f_reg_read(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t *v)
{
	switch (off) {
	case NVMX_REG_CAP:
		/* MQES 63, CQR, TO 1 (500 ms), CSS NVM, MPSMIN/MAX 0. */
		*v = 63 | (1ull << 16) | (1ull << 24) | (1ull << 37);
		return 0;
	case NVMX_REG_VS:
		*v = fk.cfg & 1 ? NVMX_VS(1, 3, 0) : NVMX_VS(1, 2, 0);
		return 0;
	case NVMX_REG_CC:
		*v = fk.cc;
		return 0;
	case NVMX_REG_CSTS:
		*v = (fk.cc & NVMX_CC_EN ? NVMX_CSTS_RDY : 0) |
		     (fk.cc & NVMX_CC_SHN_MASK ? NVMX_CSTS_SHST_CMPLT : 0);
		return 0;
	default:
		*v = 0;
		return 0;
	}
}

static int f_reg_write(struct nvmx_ctrl *ctrl, uint32_t off, unsigned int size, uint64_t v)
{
	if (off == NVMX_REG_CC)
		fk.cc = (uint32_t)v;
	return 0;
}

static int f_qpair_create(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp)
{
	qp->tq = &fk.qp_token;
	return 0;
}

static void f_qpair_destroy(struct nvmx_qpair *qp) { qp->tq = NULL; }

static int f_submit(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	if (qp->qid != 0 || fk.npending >= 256)
		return -EAGAIN;
	fk.pending[fk.npending++] = r->cid;
	return 0;
}

/* Answer one command from the stream; false: leave it outstanding. */
static bool answer(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	struct nvmx_cqe cqe;
	uint8_t st = 0xe6;
	uint32_t dw0 = 0;
	uint16_t n = 0;

	if (sqe_opc(&r->sqe) == NVMX_ADM_ASYNC_EVENT && (!(fk.cfg & 4) || fk.left == 0))
		return false;
	if (take(&st, 1) && take(&dw0, 4) && take(&n, 2)) {
		if (r->dir == NVMX_DIR_FROM_CTRL && r->buf) {
			size_t k = n < r->len ? n : r->len;

			memset(r->buf, 0, r->len);
			if (k > fk.left)
				k = fk.left;
			memcpy(r->buf, fk.p, k);
		}
		if (n > fk.left)
			n = (uint16_t)fk.left;
		fk.p += n;
		fk.left -= n;
	} else {
		fk.left = 0;
		st = 0xe6;
	}
	cqe_fill(&cqe, r->cid, st < 0xe0 ? 0 : (uint16_t)(st & 0x1f), nvmx_le32_to_cpu(dw0));
	if (nvmx_qpair_complete(qp, &cqe))
		__builtin_trap();	/* the CID we were given is in flight */
	return true;
}

static int f_poll(struct nvmx_qpair *qp, unsigned int max)
{
	uint16_t keep[256];
	unsigned int nkeep = 0, n = fk.npending, done = 0;
	uint16_t cids[256];

	memcpy(cids, fk.pending, n * sizeof(cids[0]));
	fk.npending = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct nvmx_req *r = nvmx_qpair_req(qp, cids[i]);

		if (!r)
			__builtin_trap();	/* submitted and not completed: must exist */
		if (answer(qp, r))
			done++;
		else
			keep[nkeep++] = cids[i];
	}
	/* Commands submitted from callbacks are already in fk.pending. */
	for (unsigned int i = 0; i < nkeep && fk.npending < 256; i++)
		fk.pending[fk.npending++] = keep[i];
	return (int)done;
}

static int f_fd(const struct nvmx_qpair *qp) { return -1; }

static void f_disconnect(struct nvmx_qpair *qp) { fk.npending = 0; }

static const struct nvmx_transport_ops fake_ops = {
	.name = "fuzz",
	.trtype = NVMX_TRTYPE_TCP,
	.ctrl_create = f_ctrl_create,
	.ctrl_destroy = f_ctrl_destroy,
	.reg_read = f_reg_read,
	.reg_write = f_reg_write,
	.qpair_create = f_qpair_create,
	.qpair_destroy = f_qpair_destroy,
	.submit = f_submit,
	.poll = f_poll,
	.qpair_fd = f_fd,
	.qpair_disconnect = f_disconnect,
};

/* Replaces lib/host/registry.c (not pulled from the archive). */
const struct nvmx_transport_ops *nvmx_transport_lookup(int t)
{
	return &fake_ops;
}

static void touch_ns(struct nvmx_ctrl *ctrl)
{
	const struct nvmx_id_ctrl *id = nvmx_ctrl_identify(ctrl);
	volatile uint64_t sink = 0;

	if (!id)
		__builtin_trap();
	for (unsigned int i = 0; i < nvmx_ctrl_num_ns(ctrl); i++) {
		const struct nvmx_ns_info *ni = nvmx_ctrl_ns_at(ctrl, i);

		if (!ni || ni->block_size < 512 || (ni->block_size & (ni->block_size - 1)))
			__builtin_trap();	/* a namespace with an unusable block size */
		if (nvmx_ctrl_ns(ctrl, ni->nsid) == NULL)
			__builtin_trap();
		sink += ni->nsze;
	}
	sink += nvmx_ctrl_max_xfer(ctrl) + nvmx_ctrl_max_io_queues(ctrl);
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nvmx_ctrl_opts opts;
	struct nvmx_trid trid;
	struct nvmx_ctrl *ctrl;
	struct nvmx_disc_entry *ents = NULL;
	unsigned int nr = 0;
	uint64_t gen;

	if (size < 1)
		return 0;
	nvmx_log_set_level(NVMX_LOG_OFF);	/* no log line per input */
	memset(&fk, 0, sizeof(fk));
	fk.cfg = data[0];
	fk.p = data + 1;
	fk.left = size - 1;
	nvmx_ctrl_opts_init(&opts, sizeof(opts));
	snprintf(opts.hostnqn, sizeof(opts.hostnqn), "nqn.2014-08.org.nvmexpress:uuid:"
		 "11111111-2222-3333-4444-555555555555");
	snprintf(opts.hostid, sizeof(opts.hostid), "11111111-2222-3333-4444-555555555555");
	opts.keep_alive_tmo = 0;
	opts.admin_timeout_ms = 1000;
	opts.nr_io_queues = 4;
	memset(&trid, 0, sizeof(trid));
	if (nvmx_trid_parse(&trid, "tcp://127.0.0.1:4420/nqn.2024-01.io.nvmx:fuzz", NULL, 0))
		__builtin_trap();
	if (!(fk.cfg & 8) && nvmx_ctrl_connect(&trid, &opts, &ctrl) == 0) {
		touch_ns(ctrl);
		for (int i = 0; i < 4 && fk.left; i++)
			nvmx_ctrl_process_admin(ctrl);
		nvmx_ctrl_disconnect(ctrl);
	}
	if (fk.cfg & 2) {
		fk.npending = 0;
		fk.cc = 0;
		if (nvmx_discover(&trid, &opts, &ents, &nr, &gen) == 0) {
			for (unsigned int i = 0; i < nr; i++) {
				struct nvmx_trid t;

				(void)nvmx_disc_entry_trid(&ents[i], NULL, NULL, &t);
				(void)nvmx_disc_subtype_str(ents[i].subtype);
			}
		} else if (ents || nr) {
			__builtin_trap();	/* a failed discovery returns nothing */
		}
		free(ents);
	}
	return 0;
}
