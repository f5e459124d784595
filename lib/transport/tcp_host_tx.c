/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP send queue.  PDUs wait in a FIFO; a flush gathers all of them
 * into one iovec array and hands it to one sendmsg, so a poll pass that
 * has 32 commands ready makes one system call, not 32.  Partial sends
 * resume where they stopped.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "transport/tcp_host.h"

#define FLUSH_IOV	256	/* iovecs per sendmsg (IOV_MAX is 1024) */

void tcp_txq_push(struct tcp_txq *q, struct tcp_tx *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	q->nr++;
}

bool tcp_txq_unqueue(struct tcp_txq *q, struct tcp_tx *t)
{
	struct tcp_tx *prev = NULL;

	if (t->sent)
		return false;
	for (struct tcp_tx *i = q->head; i; prev = i, i = i->next) {
		if (i != t)
			continue;
		if (prev)
			prev->next = t->next;
		else
			q->head = t->next;
		if (q->tail == t)
			q->tail = prev;
		q->nr--;
		return true;
	}
	return false;
}

static struct tcp_tx *pop(struct tcp_txq *q)
{
	struct tcp_tx *t = q->head;

	q->head = t->next;
	if (!q->head)
		q->tail = NULL;
	q->nr--;
	return t;
}

/* Gather the queue into iov, skipping what the first PDU already sent. */
static int gather(struct tcp_txq *q, struct iovec *iov, size_t *bytes)
{
	int n = 0;

	*bytes = 0;
	for (struct tcp_tx *t = q->head; t && n + TCP_TX_IOV <= FLUSH_IOV; t = t->next) {
		size_t skip = t->sent;

		for (int i = 0; i < t->iovcnt; i++) {
			size_t l = t->iov[i].iov_len;

			if (skip >= l) {
				skip -= l;
				continue;
			}
			iov[n].iov_base = (uint8_t *)t->iov[i].iov_base + skip;
			iov[n].iov_len = l - skip;
			*bytes += l - skip;
			skip = 0;
			n++;
		}
	}
	return n;
}

ssize_t tcp_txq_flush(struct tcp_txq *q, int fd, void (*done)(void *ctx, struct tcp_tx *t),
		      void *ctx)
{
	struct iovec iov[FLUSH_IOV];
	ssize_t total = 0;

	while (q->head) {
		struct msghdr msg = { .msg_iov = iov };
		size_t want;
		ssize_t n;

		msg.msg_iovlen = (size_t)gather(q, iov, &want);
		n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		total += n;
		bool partial = (size_t)n < want;

		/* Retire what went out. */
		while (q->head) {
			struct tcp_tx *t = q->head;
			size_t left = t->total - t->sent;

			if ((size_t)n < left) {
				t->sent += (size_t)n;
				n = 0;
				break;
			}
			n -= (ssize_t)left;
			t->sent = t->total;
			pop(q);
			done(ctx, t);
		}
		if (partial)
			break;	/* the socket is full: wait for POLLOUT */
	}
	return total;
}
