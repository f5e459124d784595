/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP target connection: its life (slots, buffers), the hand-off of
 * completions from the core, delayed completions.  Receive is in
 * tcp_target_rx.c, transmit in tcp_target_tx.c.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/tcp_target.h"
#include "util/log.h"

static void tcp_q_complete(struct nvmx_tgt_req *r);
static void tcp_q_close(struct nvmx_tgt_queue *q);

static const struct nvmx_tgt_queue_ops tcp_queue_ops = {
	.complete = tcp_q_complete,
	.close = tcp_q_close,
};

static struct nvmx_tcp_slot *req_slot(struct nvmx_tgt_req *r)
{
	return (struct nvmx_tcp_slot *)((uint8_t *)r - offsetof(struct nvmx_tcp_slot, req));
}

static struct nvmx_tcp_conn *q_conn(struct nvmx_tgt_queue *q)
{
	return (struct nvmx_tcp_conn *)((uint8_t *)q - offsetof(struct nvmx_tcp_conn, q));
}

static void peer_name(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	snprintf(buf, len, "fd %d", fd);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
	} else {
		return;
	}
	snprintf(buf, len, "%s:%d", host, port);
}

struct nvmx_tcp_conn *nvmx_tcp_conn_new(struct nvmx_tgt *t, int fd, struct nvmx_tgt_loop *loop)
{
	struct nvmx_tcp_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ep_kind = 1;
	c->fd = fd;
	c->loop = loop;
	c->q.t = t;
	c->q.ops = &tcp_queue_ops;
	atomic_init(&c->close_req, false);
	peer_name(fd, c->q.peer, sizeof(c->q.peer));
	c->rbuf = malloc(NVMX_TCP_RBUF);
	c->slots = calloc(NVMX_TCP_SLOTS, sizeof(*c->slots));
	/* Reserved, committed page by page as used. */
	c->bufs_len = (size_t)NVMX_TCP_SLOTS * NVMX_TGT_BUF;
	c->bufs = mmap(NULL, c->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!c->rbuf || !c->slots || c->bufs == MAP_FAILED) {
		if (c->bufs == MAP_FAILED)
			c->bufs = NULL;
		nvmx_tcp_conn_free(c);
		return NULL;
	}
	for (int i = NVMX_TCP_SLOTS - 1; i >= 0; i--) {
		struct nvmx_tcp_slot *s = &c->slots[i];

		s->conn = c;
		s->idx = (uint16_t)i;
		s->req.q = &c->q;
		s->req.buf = c->bufs + (size_t)i * NVMX_TGT_BUF;
		s->next = c->free;
		c->free = s;
	}
	c->rx_state = NVMX_RX_CH;
	c->rx_need = sizeof(struct nvmx_tcp_ch);
	return c;
}

void nvmx_tcp_conn_free(struct nvmx_tcp_conn *c)
{
	if (!c)
		return;
	nvmx_tgt_queue_release(&c->q);
	if (c->fd >= 0)
		close(c->fd);
	if (c->bufs)
		munmap(c->bufs, c->bufs_len);
	free(c->slots);
	free(c->rbuf);
	free(c);
}

void nvmx_tcp_slot_free(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;

	s->state = NVMX_SLOT_FREE;
	s->next = c->free;
	c->free = s;
}

/* ------------------------------------------------------------------ */
/* Completion from the core                                            */
/* ------------------------------------------------------------------ */

void nvmx_tcp_conn_complete_local(struct nvmx_tcp_slot *s)
{
	struct nvmx_tcp_conn *c = s->conn;
	struct nvmx_tgt_req *r = &s->req;

	if (c->closing) {		/* nothing more goes out */
		nvmx_tcp_slot_free(s);
		return;
	}
	if (r->dropped) {
		nvmx_tcp_slot_free(s);
		return;
	}
	if (r->delay_until_ns && nvmx_now_ns() < r->delay_until_ns) {
		s->state = NVMX_SLOT_DELAYED;
		s->next = c->delayed;
		c->delayed = s;
		return;
	}
	nvmx_tcp_send_resp(s);
}

static void tcp_q_complete(struct nvmx_tgt_req *r)
{
	struct nvmx_tcp_slot *s = req_slot(r);
	struct nvmx_tcp_conn *c = s->conn;

	if (c->loop && nvmx_tgt_loop_current() != c->loop)
		nvmx_tgt_loop_post_complete(c->loop, s);
	else
		nvmx_tcp_conn_complete_local(s);
}

static void tcp_q_close(struct nvmx_tgt_queue *q)
{
	struct nvmx_tcp_conn *c = q_conn(q);

	atomic_store(&c->close_req, true);
	if (c->loop)
		nvmx_tgt_loop_post_close(c->loop, c);
}

uint64_t nvmx_tcp_conn_timers(struct nvmx_tcp_conn *c, uint64_t now_ns)
{
	struct nvmx_tcp_slot **pp = &c->delayed;
	uint64_t next = 0;

	while (*pp) {
		struct nvmx_tcp_slot *s = *pp;

		if (s->req.delay_until_ns <= now_ns) {
			*pp = s->next;
			s->req.delay_until_ns = 0;
			nvmx_tcp_conn_complete_local(s);
			continue;
		}
		if (!next || s->req.delay_until_ns < next)
			next = s->req.delay_until_ns;
		pp = &s->next;
	}
	return next;
}

bool nvmx_tcp_conn_done(const struct nvmx_tcp_conn *c, uint64_t now_ns)
{
	if (c->broken || atomic_load(&c->close_req))
		return true;
	return c->closing && now_ns >= c->closing_deadline_ns;
}
