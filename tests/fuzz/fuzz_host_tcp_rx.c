/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: a hostile NVMe/TCP controller.  The host's receive path (the
 * real tcp_host.c, included SPDK style as in tests/unit/test_tcp_host_rx.c)
 * reads arbitrary bytes from a socketpair, from ICResp onwards, while five
 * commands are in flight (two reads, an in-capsule write, an R2T write, a
 * command without data) so C2HData, R2T and CapsuleResp all have somewhere
 * to go.  Checks beyond the sanitizers: every command completes exactly
 * once (in the stream or at teardown), data never lands outside its
 * buffer (ASan), and after a failure the queue pair accepts nothing more.
 *
 * Input: byte 0 = configuration (bit 0 HDGST, bit 1 DDGST, bit 2 the ICResp
 * was already exchanged, bit 3 a small MAXH2CDATA), byte 1 = read size the
 * peer writes at a time (0: all), then the controller's byte stream.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "transport/tcp_host.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCMD 5

struct cmdrec {
	unsigned int calls;
};

static void on_cpl(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct cmdrec *c = arg;

	if (c->calls++)
		__builtin_trap();	/* a completion delivered twice */
}

struct env {
	struct nvmx_ctrl ctrl;
	struct nvmx_qpair qp;
	struct cmdrec rec[NCMD];
	uint8_t buf[NCMD][12288];
};

static const struct {
	uint32_t len;
	bool write;
} cmds[NCMD] = {
	{ 3000, false }, { 4096, false }, { 100, true }, { 10000, true }, { 0, false },
};

static void drain(int fd)
{
	static uint8_t sink[65536];

	while (read(fd, sink, sizeof(sink)) > 0)
		;
}

static struct env *env_new(uint8_t cfg, int *peer)
{
	struct env *e = calloc(1, sizeof(*e));
	struct tcp_q *q;
	int sv[2];

	if (!e)
		return NULL;
	snprintf(e->ctrl.name, sizeof(e->ctrl.name), "fuzz");
	e->ctrl.ops = &nvmx_tcp_host_ops;
	pthread_mutex_init(&e->ctrl.state_lock, NULL);
	if (nvmx_qpair_init(&e->qp, &e->ctrl, 1, 16, 1000) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		__builtin_trap();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	q = calloc(1, sizeof(*q));
	q->fd = sv[0];
	q->qp = &e->qp;
	q->ctrl = &e->ctrl;
	q->hdgst = cfg & 1;
	q->ddgst = cfg & 2;
	q->maxh2cdata = cfg & 8 ? 4096 : 65536;
	q->icd_max = 1024;
	q->cmds = calloc(e->qp.nreqs, sizeof(*q->cmds));
	q->rxbuf = malloc(TCP_RXBUF);
	tcp_rx_init(&q->rx, &rx_ops, q);
	if (cfg & 4) {
		q->rx.hdgst = q->hdgst;
		q->rx.ddgst = q->ddgst;
		q->rx.ic_done = true;
	}
	e->qp.tq = q;
	*peer = sv[1];
	return e;
}

static void env_free(struct env *e, int peer)
{
	nvmx_qpair_shutdown(&e->qp);
	q_free(e->qp.tq);
	close(peer);
	nvmx_qpair_fini(&e->qp);
	pthread_mutex_destroy(&e->ctrl.state_lock);
	for (int i = 0; i < NCMD; i++)
		if (e->rec[i].calls != 1)
			__builtin_trap();	/* lost or doubled completion */
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct env *e;
	size_t chunk;
	int peer;

	if (size < 2)
		return 0;
	nvmx_log_set_level(NVMX_LOG_OFF);	/* no log line per input */
	e = env_new(data[0], &peer);
	if (!e)
		return 0;
	chunk = data[1] ? data[1] : size;
	data += 2;
	size -= 2;
	for (int i = 0; i < NCMD; i++) {
		struct nvmx_sqe sqe;

		memset(&sqe, 0, sizeof(sqe));
		sqe.opc = cmds[i].len ? (cmds[i].write ? NVMX_NVM_WRITE : NVMX_NVM_READ) : NVMX_NVM_FLUSH;
		sqe.nsid = nvmx_cpu_to_le32(1);
		memset(e->buf[i], 0xa0 + i, sizeof(e->buf[i]));
		if (nvmx_qpair_submit_cmd(&e->qp, &sqe, e->buf[i], cmds[i].len,
					  !cmds[i].len ? NVMX_DIR_NONE :
					  cmds[i].write ? NVMX_DIR_TO_CTRL : NVMX_DIR_FROM_CTRL,
					  on_cpl, &e->rec[i], 0))
			__builtin_trap();
	}
	tcp_poll(&e->qp, 0);
	drain(peer);
	for (size_t off = 0; off < size;) {
		size_t n = size - off < chunk ? size - off : chunk;
		ssize_t w = write(peer, data + off, n);
		int rc;

		if (w > 0)
			off += (size_t)w;
		rc = tcp_poll(&e->qp, 0);
		drain(peer);
		if (rc < 0) {
			/* Failed: everything in flight completed, nothing more accepted. */
			for (int i = 0; i < NCMD; i++)
				if (e->rec[i].calls != 1)
					__builtin_trap();
			if (tcp_poll(&e->qp, 0) >= 0)
				__builtin_trap();
			break;
		}
		if (w <= 0 && rc == 0)
			break;	/* the host stopped reading: nothing more to learn */
	}
	env_free(e, peer);
	return 0;
}
