/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness: arbitrary bytes from "the controller" into the NVMe/TCP
 * host receive path (tcp_host.c included, as the unit test does), with
 * reads and writes in flight.  Input byte 0 picks digests and the read
 * split; the rest is the stream.  Must never crash, leak, or write outside
 * the commands' buffers (ASan), whatever arrives.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>

#include "transport/tcp_host.c"

struct done { int calls; };

static void on_cpl(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct done *d = arg;

	if (++d->calls > 1)
		__builtin_trap();	/* completed twice */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t lens[4] = { 512, 4096, 100, 9000 };
	struct nvmx_ctrl ctrl;
	struct nvmx_qpair qp;
	struct tcp_q *q;
	struct done d[4] = { { 0 } };
	uint8_t *bufs[4];
	size_t at = 1, used;
	uint8_t cfg;

	if (size < 1)
		return 0;
	cfg = data[0];
	nvmx_log_set_level(NVMX_LOG_ERR);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.ops = &nvmx_tcp_host_ops;
	pthread_mutex_init(&ctrl.state_lock, NULL);
	if (nvmx_qpair_init(&qp, &ctrl, 1, 8, 1000))
		return 0;
	q = calloc(1, sizeof(*q));
	q->fd = -1;
	q->qp = &qp;
	q->ctrl = &ctrl;
	q->hdgst = cfg & 1;
	q->ddgst = cfg & 2;
	q->maxh2cdata = 4096;
	q->icd_max = (cfg & 4) ? 1024 : 0;
	q->cmds = calloc(qp.nreqs, sizeof(*q->cmds));
	tcp_rx_init(&q->rx, &rx_ops, q);
	q->rx.hdgst = q->hdgst;
	q->rx.ddgst = q->ddgst;
	q->rx.ic_done = !(cfg & 8);
	qp.tq = q;
	for (int i = 0; i < 4; i++) {
		struct nvmx_sqe sqe;

		bufs[i] = malloc(lens[i]);
		memset(&sqe, 0, sizeof(sqe));
		sqe.opc = i % 2 ? NVMX_NVM_WRITE : NVMX_NVM_READ;
		nvmx_qpair_submit_cmd(&qp, &sqe, bufs[i], lens[i],
				      i % 2 ? NVMX_DIR_TO_CTRL : NVMX_DIR_FROM_CTRL, on_cpl, &d[i], 0);
	}
	/* Feed in pieces of 1..16 bytes (cfg bits 4-7), the whole rest if 0. */
	while (at < size && !q->dead) {
		size_t piece = (cfg >> 4) ? (cfg >> 4) : size - at;
		int rc;

		if (piece > size - at)
			piece = size - at;
		q->rx.pause = false;
		rc = tcp_rx_feed(&q->rx, data + at, piece, &used);
		if (rc) {
			q_fail(q, rc, q->rx.msg);
			break;
		}
		at += used;
	}
	nvmx_qpair_shutdown(&qp);
	for (int i = 0; i < 4; i++) {
		if (d[i].calls != 1)
			__builtin_trap();	/* lost a completion */
		free(bufs[i]);
	}
	q_free(q);
	nvmx_qpair_fini(&qp);
	pthread_mutex_destroy(&ctrl.state_lock);
	return 0;
}
