/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The raw loopback bounds that NVMe/TCP numbers are judged against
 * (issue 9): bulk throughput of 128 KiB writes, and the round trip of a
 * 4-byte ping-pong with both sides blocking in the kernel or both
 * busy-polling.  Server and client are separate processes, each pinned.
 *
 *   tcp_bounds bulk|pingpong-block|pingpong-poll [-t SECONDS] [-s CPU] [-c CPU] [--json]
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
#include <unistd.h>

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
	int fd, poll = strcmp(mode, "pingpong-poll") == 0;

	pin(cpu);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		_exit(1);
	nodelay(fd);
	if (strcmp(mode, "bulk") == 0) {
		while (recv(fd, buf, sizeof(buf), 0) > 0)
			;
	} else {
		while (recv_all(fd, buf, 4, poll) == 0)
			if (send_all(fd, buf, 4) != 0)
				break;
	}
	_exit(0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "bulk";
	double secs = 3, t0, t1;
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
			fprintf(stderr, "usage: %s bulk|pingpong-block|pingpong-poll [-t S] [-s CPU] [-c CPU] [--json]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(mode, "bulk") && strcmp(mode, "pingpong-block") && strcmp(mode, "pingpong-poll")) {
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

	if (strcmp(mode, "bulk") == 0) {
		static char buf[BULK_CHUNK];
		uint64_t bytes = 0;

		memset(buf, 0xa5, sizeof(buf));
		t0 = now_s();
		do {
			if (send_all(fd, buf, sizeof(buf)) != 0)
				break;
			bytes += sizeof(buf);
		} while ((t1 = now_s()) - t0 < secs);
		t1 = now_s();
		if (json)
			printf("{\"bound\":\"bulk\",\"bytes\":%llu,\"seconds\":%.3f,\"gib_s\":%.3f}\n",
			       (unsigned long long)bytes, t1 - t0, (double)bytes / (t1 - t0) / (1 << 30));
		else
			printf("bulk 128 KiB writes: %.2f GiB/s\n", (double)bytes / (t1 - t0) / (1 << 30));
	} else {
		int poll = strcmp(mode, "pingpong-poll") == 0;
		double *lat = malloc(sizeof(double) * MAX_SAMPLES);
		size_t n = 0;
		char b[4] = { 1, 2, 3, 4 };

		if (!lat)
			return 1;
		t0 = now_s();
		do {
			double s = now_s();

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
