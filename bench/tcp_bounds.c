/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The raw loopback bounds that NVMe/TCP numbers are judged against
 * (issue 9): bulk throughput of 128 KiB writes, and the round trip of a
 * 4-byte ping-pong with both sides blocking in the kernel or both
 * busy-polling.  Server and client are separate processes, each pinned.
 *
 *   tcp_bounds MODE [-t SECONDS] [-s CPU] [-c CPU] [--json]
 *
 * MODE: bulk, pingpong-block, pingpong-poll; and two experiments that
 * decide whether the transports should use a kernel feature:
 *   bulk-zc         bulk with MSG_ZEROCOPY sends (notifications reaped)
 *   pingpong-uring  the client submits send+recv through io_uring and spins
 *                   on the completion ring (server as pingpong-poll)
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/errqueue.h>	/* after time.h: it needs struct timespec */
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#define BULK_CHUNK (128 * 1024)
#define MAX_SAMPLES (1 << 22)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		perror("sched_setaffinity");
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Receive exactly len bytes; busy-poll with MSG_DONTWAIT when poll is set. */
static int recv_all(int fd, void *buf, size_t len, int poll)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, (char *)buf + got, len - got, poll ? MSG_DONTWAIT : 0);

		if (n > 0)
			got += (size_t)n;
		else if (n == 0)
			return -1;
		else if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
	return 0;
}

static int send_all(int fd, const void *buf, size_t len)
{
	size_t sent = 0;

	while (sent < len) {
		ssize_t n = send(fd, (const char *)buf + sent, len - sent, MSG_NOSIGNAL);

		if (n > 0)
			sent += (size_t)n;
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
	}
	return 0;
}

static void server(int lfd, const char *mode, int cpu)
{
	static char buf[BULK_CHUNK];
	int fd, poll = strcmp(mode, "pingpong-poll") == 0 || strcmp(mode, "pingpong-uring") == 0;

	pin(cpu);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		_exit(1);
	nodelay(fd);
	if (strncmp(mode, "bulk", 4) == 0) {
		while (recv(fd, buf, sizeof(buf), 0) > 0)
			;
	} else {
		while (recv_all(fd, buf, 4, poll) == 0)
			if (send_all(fd, buf, 4) != 0)
				break;
	}
	_exit(0);
}

/* Reap MSG_ZEROCOPY completions; returns how many sends they cover. */
static uint64_t zc_reap(int fd)
{
	uint64_t done = 0;

	for (;;) {
		char ctl[128];
		struct msghdr m = { .msg_control = ctl, .msg_controllen = sizeof(ctl) };
		struct cmsghdr *cm;

		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return done;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
			struct sock_extended_err *e = (void *)CMSG_DATA(cm);

			if (e->ee_origin == SO_EE_ORIGIN_ZEROCOPY)
				done += (uint64_t)(e->ee_data - e->ee_info) + 1;
		}
	}
}

/* Bulk with MSG_ZEROCOPY: at most 64 sends outstanding (one buffer each). */
static int bulk_zc(int fd, double secs, uint64_t *bytes, double *t0, double *t1)
{
	static char bufs[64][BULK_CHUNK];
	uint64_t issued = 0, done = 0;
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) != 0)
		return -errno;
	memset(bufs, 0xa5, sizeof(bufs));
	*t0 = now_s();
	do {
		ssize_t n;

		done += zc_reap(fd);
		if (issued - done >= 64)
			continue;
		n = send(fd, bufs[issued % 64], BULK_CHUNK, MSG_ZEROCOPY | MSG_NOSIGNAL);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n > 0) {
			issued++;
			*bytes += (uint64_t)n;
		}
	} while ((*t1 = now_s()) - *t0 < secs);
	return 0;
}

#ifdef HAVE_LIBURING
/* One 4-byte round trip through io_uring: send and recv linked in one
 * submission, then spin on the completion ring without system calls. */
static int uring_rt(struct io_uring *r, int fd, char *b)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);
	struct io_uring_cqe *cqe;
	int got = 0, rc = 0;

	io_uring_prep_send(sqe, fd, b, 4, MSG_NOSIGNAL);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(r);
	io_uring_prep_recv(sqe, fd, b, 4, MSG_WAITALL);
	if (io_uring_submit(r) != 2)
		return -1;
	while (got < 2) {
		if (io_uring_peek_cqe(r, &cqe) != 0)
			continue;
		if (cqe->res < 0 || (got == 1 && cqe->res != 4))
			rc = -1;
		io_uring_cqe_seen(r, cqe);
		got++;
	}
	return rc;
}
#endif

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "bulk";
	double secs = 3, t0 = 0, t1 = 0;
	int scpu = 0, ccpu = 1, json = 0, lfd, fd;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sa);
	pid_t pid;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			scpu = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			ccpu = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else {
			fprintf(stderr, "usage: %s bulk|bulk-zc|pingpong-block|pingpong-poll|pingpong-uring [-t S] [-s CPU] [-c CPU] [--json]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(mode, "bulk") && strcmp(mode, "bulk-zc") && strcmp(mode, "pingpong-block") &&
	    strcmp(mode, "pingpong-poll") && strcmp(mode, "pingpong-uring")) {
		fprintf(stderr, "tcp_bounds: unknown mode '%s'\n", mode);
		return 2;
	}

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &slen)) {
		perror("tcp_bounds: listen on 127.0.0.1");
		return 1;
	}
	pid = fork();
	if (pid == 0)
		server(lfd, mode, scpu);
	close(lfd);
	pin(ccpu);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("tcp_bounds: connect");
		kill(pid, SIGKILL);
		return 1;
	}
	nodelay(fd);

	if (strncmp(mode, "bulk", 4) == 0) {
		static char buf[BULK_CHUNK];
		uint64_t bytes = 0;

		if (strcmp(mode, "bulk-zc") == 0) {
			int rc = bulk_zc(fd, secs, &bytes, &t0, &t1);

			if (rc) {
				fprintf(stderr, "tcp_bounds: MSG_ZEROCOPY: %s\n", strerror(-rc));
				kill(pid, SIGKILL);
				return 1;
			}
		} else {
			memset(buf, 0xa5, sizeof(buf));
			t0 = now_s();
			do {
				if (send_all(fd, buf, sizeof(buf)) != 0)
					break;
				bytes += sizeof(buf);
			} while ((t1 = now_s()) - t0 < secs);
		}
		t1 = now_s();
		if (json)
			printf("{\"bound\":\"%s\",\"bytes\":%llu,\"seconds\":%.3f,\"gib_s\":%.3f}\n",
			       mode, (unsigned long long)bytes, t1 - t0, (double)bytes / (t1 - t0) / (1 << 30));
		else
			printf("%s 128 KiB writes: %.2f GiB/s\n", mode, (double)bytes / (t1 - t0) / (1 << 30));
	} else {
		int poll = strcmp(mode, "pingpong-poll") == 0;
		int uring = strcmp(mode, "pingpong-uring") == 0;
		double *lat = malloc(sizeof(double) * MAX_SAMPLES);
		size_t n = 0;
		char b[4] = { 1, 2, 3, 4 };
#ifdef HAVE_LIBURING
		struct io_uring ring;

		if (uring && io_uring_queue_init(8, &ring, 0) != 0) {
			fprintf(stderr, "tcp_bounds: io_uring_queue_init failed\n");
			kill(pid, SIGKILL);
			return 1;
		}
#else
		if (uring) {
			fprintf(stderr, "tcp_bounds: built without liburing\n");
			kill(pid, SIGKILL);
			return 1;
		}
#endif
		if (!lat)
			return 1;
		t0 = now_s();
		do {
			double s = now_s();

#ifdef HAVE_LIBURING
			if (uring) {
				if (uring_rt(&ring, fd, b))
					break;
			} else
#endif
			if (send_all(fd, b, 4) || recv_all(fd, b, 4, poll))
				break;
			t1 = now_s();
			if (n < MAX_SAMPLES)
				lat[n++] = (t1 - s) * 1e6;
		} while (t1 - t0 < secs);
		qsort(lat, n, sizeof(double), cmp_double);
		if (n == 0)
			return 1;
		if (json)
			printf("{\"bound\":\"%s\",\"round_trips\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f}\n",
			       mode, n, lat[n / 2], lat[n * 99 / 100]);
		else
			printf("%s 4-byte round trip: median %.2f us, p99 %.2f us (%zu samples)\n",
			       mode, lat[n / 2], lat[n * 99 / 100], n);
		free(lat);
	}
	close(fd);
	waitpid(pid, NULL, 0);
	return 0;
}
