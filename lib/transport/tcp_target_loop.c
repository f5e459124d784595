/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event loops of the TCP target: one epoll loop per thread, listeners on
 * loop 0, accepted connections spread round-robin.  Work for a connection
 * coming from another thread (AER completions, close requests, adoption of
 * a new connection) goes through the loop's mailbox, an eventfd plus a
 * short locked list: slow paths only, the I/O path never touches it.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/tcp_target.h"
#include "util/log.h"

enum { EP_CONN = 1, EP_LOOP = 2, EP_PORT = 3 };
enum { MB_COMPLETE, MB_CLOSE, MB_ADOPT };

#define TICK_NS		(10 * 1000000ull)
#define STOP_DRAIN_NS	(2000 * 1000000ull)

struct mb_msg {
	int kind;
	struct nvmx_tcp_conn *conn;
	struct nvmx_tcp_slot *slot;
	struct mb_msg *next;
};

struct nvmx_tgt_loop {
	int ep_kind;
	struct nvmx_tgt *t;
	unsigned idx;
	pthread_t tid;
	int epfd, evfd;
	pthread_mutex_t mb_lock;
	struct mb_msg *mb_head, *mb_tail;
	struct nvmx_tcp_conn *conns;
	unsigned rr;
	/* Written by the loop thread only, read by the control thread. */
	_Atomic uint64_t polls, idle_polls, spin_ns, sleep_ns;
};

static __thread struct nvmx_tgt_loop *tl_loop;

struct nvmx_tgt_loop *nvmx_tgt_loop_current(void)
{
	return tl_loop;
}

static void mb_post(struct nvmx_tgt_loop *l, int kind, struct nvmx_tcp_conn *c,
		    struct nvmx_tcp_slot *s)
{
	struct mb_msg *m = calloc(1, sizeof(*m));
	uint64_t one = 1;

	if (!m) {
		nvmx_err("loop %u: out of memory posting work; connection %s dropped", l->idx,
			 c->q.peer);
		atomic_store(&c->close_req, true);
		return;
	}
	m->kind = kind;
	m->conn = c;
	m->slot = s;
	pthread_mutex_lock(&l->mb_lock);
	if (l->mb_tail)
		l->mb_tail->next = m;
	else
		l->mb_head = m;
	l->mb_tail = m;
	pthread_mutex_unlock(&l->mb_lock);
	if (write(l->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		nvmx_warn("loop %u: eventfd write: %s", l->idx, strerror(errno));
}

void nvmx_tgt_loop_post_complete(struct nvmx_tgt_loop *l, struct nvmx_tcp_slot *s)
{
	mb_post(l, MB_COMPLETE, s->conn, s);
}

void nvmx_tgt_loop_post_close(struct nvmx_tgt_loop *l, struct nvmx_tcp_conn *c)
{
	mb_post(l, MB_CLOSE, c, NULL);
}

static void mb_purge(struct nvmx_tgt_loop *l, struct nvmx_tcp_conn *c)
{
	struct mb_msg **pp;

	pthread_mutex_lock(&l->mb_lock);
	l->mb_tail = NULL;
	for (pp = &l->mb_head; *pp;) {
		struct mb_msg *m = *pp;

		if (m->conn == c) {
			*pp = m->next;
			free(m);
			continue;
		}
		l->mb_tail = m;
		pp = &m->next;
	}
	pthread_mutex_unlock(&l->mb_lock);
}

void nvmx_tgt_loop_want_out(struct nvmx_tcp_conn *c, bool on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };

	if (c->want_out == on)
		return;
	c->want_out = on;
	epoll_ctl(c->loop->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void adopt(struct nvmx_tgt_loop *l, struct nvmx_tcp_conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	c->next = l->conns;
	l->conns = c;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		nvmx_err("loop %u: epoll add %s: %s", l->idx, c->q.peer, strerror(errno));
		c->broken = true;
	}
	nvmx_info("loop %u: connection from %s", l->idx, c->q.peer);
}

static void mb_run(struct nvmx_tgt_loop *l)
{
	struct mb_msg *m;
	uint64_t v;

	if (read(l->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		nvmx_warn("loop %u: eventfd read: %s", l->idx, strerror(errno));
	pthread_mutex_lock(&l->mb_lock);
	m = l->mb_head;
	l->mb_head = l->mb_tail = NULL;
	pthread_mutex_unlock(&l->mb_lock);
	while (m) {
		struct mb_msg *next = m->next;

		switch (m->kind) {
		case MB_COMPLETE:
			nvmx_tcp_conn_complete_local(m->slot);
			nvmx_tcp_conn_flush(m->conn);
			break;
		case MB_ADOPT:
			adopt(l, m->conn);
			break;
		default:	/* MB_CLOSE: close_req is set; reaped below */
			break;
		}
		free(m);
		m = next;
	}
}

static void conn_teardown(struct nvmx_tgt_loop *l, struct nvmx_tcp_conn *c)
{
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	/* Detach first: after this nobody posts for c; then drop what was. */
	nvmx_tgt_queue_release(&c->q);
	mb_purge(l, c);
	nvmx_info("loop %u: connection %s qid %u closed", l->idx, c->q.peer, c->q.qid);
	nvmx_tcp_conn_free(c);
}

static void do_accept(struct nvmx_tgt_loop *l, struct nvmx_tgt_port *p)
{
	struct nvmx_tgt *t = l->t;

	for (;;) {
		int one = 1, fd = accept4(p->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct nvmx_tgt_loop *dst;
		struct nvmx_tcp_conn *c;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				nvmx_warn("port %u: accept: %s", p->portid, strerror(errno));
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		dst = &t->loops[l->rr++ % t->nloops];
		c = nvmx_tcp_conn_new(t, fd, dst);
		if (!c) {
			nvmx_err("port %u: no memory for a new connection", p->portid);
			close(fd);
			continue;
		}
		if (dst == l)
			adopt(l, c);
		else
			mb_post(dst, MB_ADOPT, c, NULL);
	}
}

/* Keep-alive, delayed completions, connections to close. */
static uint64_t tick(struct nvmx_tgt_loop *l, uint64_t now)
{
	uint64_t next = 0;

	for (struct nvmx_tcp_conn **pp = &l->conns; *pp;) {
		struct nvmx_tcp_conn *c = *pp;
		uint64_t due;

		if (c->q.qid == 0 && nvmx_tgt_queue_ka_expired(&c->q, now))
			atomic_store(&c->close_req, true);
		if (c->delayed) {
			due = nvmx_tcp_conn_timers(c, now);
			nvmx_tcp_conn_flush(c);
			if (due && (!next || due < next))
				next = due;
		}
		if (nvmx_tcp_conn_done(c, now)) {
			*pp = c->next;
			conn_teardown(l, c);
			continue;
		}
		pp = &c->next;
	}
	return next;
}

static void handle_event(struct nvmx_tgt_loop *l, struct epoll_event *ev)
{
	int kind = *(int *)ev->data.ptr;

	if (kind == EP_LOOP) {
		mb_run(l);
	} else if (kind == EP_PORT) {
		do_accept(l, ev->data.ptr);
	} else {
		struct nvmx_tcp_conn *c = ev->data.ptr;

		if (ev->events & EPOLLOUT)
			nvmx_tcp_conn_flush(c);
		if ((ev->events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && nvmx_tcp_conn_read(c) < 0)
			c->broken = true;
	}
}

static void drain_and_close_all(struct nvmx_tgt_loop *l)
{
	uint64_t until = nvmx_now_ns() + STOP_DRAIN_NS;
	bool pending = true;

	while (pending && nvmx_now_ns() < until) {
		pending = false;
		for (struct nvmx_tcp_conn *c = l->conns; c; c = c->next) {
			nvmx_tcp_conn_flush(c);
			pending |= !c->broken && (c->tx_head || c->ctl_off < c->ctl_len);
		}
		if (pending)
			usleep(1000);
	}
	while (l->conns) {
		struct nvmx_tcp_conn *c = l->conns;

		l->conns = c->next;
		conn_teardown(l, c);
	}
}

static inline void stat_add(_Atomic uint64_t *v, uint64_t d)
{
	/* single writer: a relaxed load and store, no locked instruction */
	atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + d,
			      memory_order_relaxed);
}

int nvmx_tgt_loop_get_stats(struct nvmx_tgt *t, unsigned idx, struct nvmx_tgt_loop_stats *st)
{
	struct nvmx_tgt_loop *l;

	if (!t->loops || idx >= t->nloops)
		return -ENOENT;
	l = &t->loops[idx];
	st->polls = atomic_load_explicit(&l->polls, memory_order_relaxed);
	st->idle_polls = atomic_load_explicit(&l->idle_polls, memory_order_relaxed);
	st->spin_ns = atomic_load_explicit(&l->spin_ns, memory_order_relaxed);
	st->sleep_ns = atomic_load_explicit(&l->sleep_ns, memory_order_relaxed);
	st->busy_poll = t->opts.busy_poll;
	return 0;
}

static void *loop_main(void *arg)
{
	struct nvmx_tgt_loop *l = arg;
	struct nvmx_tgt *t = l->t;
	struct epoll_event evs[64];
	uint64_t last_tick = 0, next_due = 0, last_event = nvmx_now_ns();
	uint64_t idle_ns = (uint64_t)t->opts.idle_us * 1000u;

	tl_loop = l;
	while (!atomic_load(&t->stopping)) {
		uint64_t now = nvmx_now_ns(), pass_start;
		int timeout = 100, n;

		/* Spin while busy: waking a sleeping thread costs tens of
		 * microseconds on these machines (issue 9).  After an idle
		 * spell, sleep so an idle target does not burn its core. */
		if (t->opts.busy_poll && (!idle_ns || now - last_event < idle_ns))
			timeout = 0;
		else if (next_due)
			timeout = next_due > now ? (int)((next_due - now) / 1000000ull) + 1 : 0;
		if (timeout > 100)
			timeout = 100;
		n = epoll_wait(l->epfd, evs, 64, timeout);
		for (int i = 0; i < n; i++)
			handle_event(l, &evs[i]);
		pass_start = now;
		now = nvmx_now_ns();
		if (n > 0)
			last_event = now;
		/* A polling side always looks 100% busy to the kernel; count
		 * the empty spins (and the sleeps) so `loop_stats` can tell
		 * waiting from working. */
		stat_add(&l->polls, 1);
		if (n <= 0) {
			stat_add(&l->idle_polls, 1);
			stat_add(timeout ? &l->sleep_ns : &l->spin_ns, now - pass_start);
		}
		if (n > 0 || now - last_tick >= TICK_NS || (next_due && now >= next_due)) {
			next_due = tick(l, now);
			last_tick = now;
		}
	}
	mb_run(l);
	drain_and_close_all(l);
	return NULL;
}

static int listen_port(struct nvmx_tgt_port *p)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICHOST |
				  AI_NUMERICSERV }, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int one = 1, rc, fd;

	rc = getaddrinfo(p->traddr, p->trsvcid, &hints, &ai);
	if (rc) {
		nvmx_err("port %u: bad address %s:%s: %s", p->portid, p->traddr, p->trsvcid,
			 gai_strerror(rc));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		rc = -errno;
		nvmx_err("port %u: cannot listen on %s:%s: %s", p->portid, p->traddr,
			 p->trsvcid, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return rc;
	}
	freeaddrinfo(ai);
	p->adrfam = ss.ss_family == AF_INET6 ? NVMX_ADRFAM_IPV6 : NVMX_ADRFAM_IPV4;
	p->bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
				       ((struct sockaddr_in *)&ss)->sin_port);
	p->listen_fd = fd;
	p->ep_kind = EP_PORT;
	nvmx_info("port %u: listening on %s:%d", p->portid, p->traddr, p->bound_port);
	return 0;
}

static int loop_init(struct nvmx_tgt *t, struct nvmx_tgt_loop *l, unsigned idx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = l };

	l->ep_kind = EP_LOOP;
	l->t = t;
	l->idx = idx;
	pthread_mutex_init(&l->mb_lock, NULL);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->epfd < 0 || l->evfd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->evfd, &ev) != 0)
		return -errno;
	return 0;
}

static void pin(struct nvmx_tgt *t, struct nvmx_tgt_loop *l)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (t->opts.cpu < 0 || ncpu <= 0)
		return;
	CPU_ZERO(&set);
	CPU_SET((unsigned)(t->opts.cpu + (int)l->idx) % (unsigned)ncpu, &set);
	if (pthread_setaffinity_np(l->tid, sizeof(set), &set) != 0)
		nvmx_warn("loop %u: cannot pin to CPU %d", l->idx, t->opts.cpu + (int)l->idx);
}

static void loops_free(struct nvmx_tgt *t)
{
	for (unsigned i = 0; i < t->nloops; i++) {
		struct nvmx_tgt_loop *l = &t->loops[i];

		/* Posted after the loop's last round (an accept racing the stop). */
		while (l->mb_head) {
			struct mb_msg *m = l->mb_head;

			l->mb_head = m->next;
			if (m->kind == MB_ADOPT)
				nvmx_tcp_conn_free(m->conn);
			free(m);
		}

		if (l->epfd > 0)
			close(l->epfd);
		if (l->evfd > 0)
			close(l->evfd);
		pthread_mutex_destroy(&l->mb_lock);
	}
	free(t->loops);
	t->loops = NULL;
	t->nloops = 0;
}

int nvmx_tgt_start(struct nvmx_tgt *t)
{
	unsigned started = 0;
	int rc = 0;

	if (t->started)
		return -EALREADY;
	for (struct nvmx_tgt_port *p = t->ports; p && !rc; p = p->next)
		rc = listen_port(p);
	if (rc)
		return rc;
	t->loops = calloc(t->opts.threads, sizeof(*t->loops));
	if (!t->loops)
		return -ENOMEM;
	t->nloops = t->opts.threads;
	for (unsigned i = 0; i < t->nloops && !rc; i++)
		rc = loop_init(t, &t->loops[i], i);
	for (struct nvmx_tgt_port *p = t->ports; p && !rc; p = p->next) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };

		if (epoll_ctl(t->loops[0].epfd, EPOLL_CTL_ADD, p->listen_fd, &ev) != 0)
			rc = -errno;
	}
	atomic_store(&t->stopping, false);
	for (unsigned i = 0; i < t->nloops && !rc; i++) {
		rc = -pthread_create(&t->loops[i].tid, NULL, loop_main, &t->loops[i]);
		if (!rc) {
			pin(t, &t->loops[i]);
			started++;
		}
	}
	if (rc) {
		atomic_store(&t->stopping, true);
		for (unsigned i = 0; i < started; i++)
			pthread_join(t->loops[i].tid, NULL);
		loops_free(t);
		return rc;
	}
	t->started = true;
	return 0;
}

static void flush_backends(struct nvmx_tgt *t)
{
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s->next) {
		for (uint32_t i = 1; i <= NVMX_TGT_MAX_NSID; i++) {
			struct nvmx_tgt_ns *ns = nvmx_tgt_ns_get(s, i);

			if (ns && ns->bdev->ops->flush(ns->bdev))
				nvmx_err("%s: flush of namespace %u failed", s->nqn, i);
		}
	}
}

void nvmx_tgt_stop(struct nvmx_tgt *t)
{
	uint64_t one = 1;

	if (!t->started)
		return;
	atomic_store(&t->stopping, true);
	for (struct nvmx_tgt_port *p = t->ports; p; p = p->next) {
		epoll_ctl(t->loops[0].epfd, EPOLL_CTL_DEL, p->listen_fd, NULL);
	}
	for (unsigned i = 0; i < t->nloops; i++)
		if (write(t->loops[i].evfd, &one, sizeof(one)) < 0)
			nvmx_warn("stop: cannot wake loop %u", i);
	for (unsigned i = 0; i < t->nloops; i++)
		pthread_join(t->loops[i].tid, NULL);
	for (struct nvmx_tgt_port *p = t->ports; p; p = p->next) {
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		p->listen_fd = -1;
	}
	flush_backends(t);
	loops_free(t);
	t->started = false;
	nvmx_info("target stopped");
}
