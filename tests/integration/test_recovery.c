/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events and recovery of the host core against nvmxd on 127.0.0.1, with
 * faults injected through nvmxd's control socket (and SIGKILL): lost
 * completions end in Abort or reset and the data still verifies, a lost
 * target is reconnected or declared DEAD after ctrl_loss_tmo, namespace
 * and SMART changes arrive through the AER path.  Every test asserts on
 * data, states and events; each loop is bounded in time.
 *
 * usage: test_recovery NVMXD_PATH
 */
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nvmx/nvmx.h"

#define SUBNQN  "nqn.2024-01.io.nvmx:recovery"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000d5"
#define BS	512

static const char *nvmxd_path;
static pid_t daemon_pid;
static int port;
static char sock_path[64];
static char img_path[64];

/* ---- nvmxd ---- */

/* Start nvmxd (RAM or file namespace 1) on want_port (0: any); returns
 * its port.  sock names its control socket. */
static int spawn_nvmxd(bool file, int want_port, const char *sock, pid_t *pid)
{
	char listen[64], line[256];
	int pfd[2], p = -1;
	FILE *f;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", want_port);
	assert_int_equal(pipe(pfd), 0);
	*pid = fork();
	if (*pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		if (file)
			execl(nvmxd_path, "nvmxd", "--listen", listen, "--file", img_path,
			      "--file-size", "16M", "--nqn", SUBNQN, "--control", sock,
			      "--log", "error", (char *)NULL);
		else
			execl(nvmxd_path, "nvmxd", "--listen", listen, "--ram", "16M", "--nqn",
			      SUBNQN, "--control", sock, "--log", "error", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(sscanf(line, "nvmxd: listening on 127.0.0.1:%d", &p), 1);
	fclose(f);
	return p;
}

static void start_daemon(bool file, int want_port)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/nvmxd-rec-%d.sock", (int)getpid());
	port = spawn_nvmxd(file, want_port, sock_path, &daemon_pid);
}

static void kill_daemon(int sig)
{
	int status;

	if (daemon_pid <= 0)
		return;
	kill(daemon_pid, sig);
	waitpid(daemon_pid, &status, 0);
	daemon_pid = 0;
	unlink(sock_path);
}

static int teardown(void **state)
{
	kill_daemon(SIGTERM);
	if (img_path[0])
		unlink(img_path);
	img_path[0] = '\0';
	return 0;
}

/* One JSON-RPC call to nvmxd; true when it returned a result. */
static bool rpc(const char *method, const char *params)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[8192];
	size_t len;
	json_object *resp, *v;
	bool ok;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	len = (size_t)snprintf(buf, sizeof(buf),
			       "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}\n",
			       method, params ? params : "{}");
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	len = 0;
	while (!memchr(buf, '\n', len)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		assert_true(n > 0);
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	resp = json_tokener_parse(buf);
	assert_non_null(resp);
	ok = json_object_object_get_ex(resp, "result", &v);
	json_object_put(resp);
	return ok;
}

/* ---- host side: events ---- */

struct rec {
	int states[64], nstates;
	int timeouts, aborts, aborted, resets, qerrs;
	struct { uint32_t nsid; int change; } ns[32];
	int nns;
	uint8_t smart_cw[8];
	int nsmart;
	int nerr;
	uint16_t err_status, err_sqid;
	unsigned int err_new;
};

/* Events come from the admin thread and from I/O threads (a queue pair
 * failing): the recorder takes a lock. */
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;

static int rec_resets(struct rec *r)
{
	int n;

	pthread_mutex_lock(&rec_lock);
	n = r->resets;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

static void on_event(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	struct rec *r = arg;

	pthread_mutex_lock(&rec_lock);
	switch (ev->type) {
	case NVMX_EVENT_STATE:
		if (r->nstates < 64)
			r->states[r->nstates++] = ev->u.state.new_state;
		break;
	case NVMX_EVENT_TIMEOUT: r->timeouts++; break;
	case NVMX_EVENT_ABORT:
		r->aborts++;
		r->aborted += ev->u.abort.aborted;
		break;
	case NVMX_EVENT_RESET: r->resets++; break;
	case NVMX_EVENT_QPAIR_ERROR: r->qerrs++; break;
	case NVMX_EVENT_NS_CHANGED:
		if (r->nns < 32) {
			r->ns[r->nns].nsid = ev->u.ns.nsid;
			r->ns[r->nns++].change = ev->u.ns.change;
		}
		break;
	case NVMX_EVENT_ERROR_LOG:
		r->nerr++;
		r->err_status = ev->u.errlog.status;
		r->err_sqid = ev->u.errlog.sqid;
		r->err_new = ev->u.errlog.new_entries;
		break;
	case NVMX_EVENT_SMART:
		if (r->nsmart < 8)
			r->smart_cw[r->nsmart++] = ev->u.smart.critical_warning;
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&rec_lock);
}

static bool saw_ns(const struct rec *r, uint32_t nsid, int change)
{
	for (int i = 0; i < r->nns; i++)
		if (r->ns[i].nsid == nsid && r->ns[i].change == change)
			return true;
	return false;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct nvmx_ctrl *connect_ctrl(struct rec *r, struct nvmx_ctrl_opts *o)
{
	struct nvmx_trid trid;
	struct nvmx_ctrl *c;
	char addr[128];

	snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%d/%s", port, SUBNQN);
	assert_int_equal(nvmx_trid_parse(&trid, addr, NULL, 0), 0);
	strcpy(o->hostnqn, HOSTNQN);
	o->event_cb = on_event;
	o->event_arg = r;
	assert_int_equal(nvmx_ctrl_connect(&trid, o, &c), 0);
	return c;
}

static void default_opts(struct nvmx_ctrl_opts *o)
{
	nvmx_ctrl_opts_init(o, sizeof(*o));
	o->nr_io_queues = 1;
	o->io_timeout_ms = 500;
	o->admin_timeout_ms = 1000;
	o->reconnect_delay = 1;
	o->ctrl_loss_tmo = 15;
}

/* Drive the controller (and qp) until *flag or ms pass; true if *flag. */
static bool run_until(struct nvmx_ctrl *c, struct nvmx_qpair *qp, const int *flag, int ms)
{
	double end = now_s() + ms / 1000.0;

	while (!*flag && now_s() < end) {
		if (qp)
			nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(c);
		usleep(300);
	}
	return *flag != 0;
}

struct io {
	int done;
	int result;
	int calls;
};

static void io_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct io *io = arg;

	io->calls++;
	io->done = 1;
	io->result = nvmx_cpl_result(cqe, err);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 9));
}

/* The prologue of the I/O recovery rows: a fresh nvmxd, a controller with
 * the default recovery options, one I/O queue pair, and 8 known blocks
 * written at lba (what the row's read must return). */
static struct nvmx_ctrl *up_with_data(struct rec *r, struct nvmx_qpair **qp, uint8_t *wbuf,
				      size_t len, uint64_t lba, uint32_t seed)
{
	struct nvmx_ctrl_opts o;
	struct nvmx_ctrl *c;

	start_daemon(false, 0);
	default_opts(&o);
	c = connect_ctrl(r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, qp), 0);
	fill(wbuf, len, seed);
	assert_int_equal(nvmx_ns_write_sync(*qp, 1, wbuf, lba, (uint32_t)(len / BS), NULL), 0);
	return c;
}

/* ---- (1) a lost I/O completion: Abort, then the I/O completes ---- */

static void lost_io_completion_is_aborted_then_completes_with_its_data(void **state)
{
	static uint8_t wbuf[8 * BS], rbuf[8 * BS];
	struct rec r = { 0 };
	struct io io = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int live = 0;

	c = up_with_data(&r, &qp, wbuf, sizeof(wbuf), 10, 1);

	assert_true(rpc("fault_drop", "{\"opcode\":2,\"count\":1}"));	/* Read */
	assert_int_equal(nvmx_ns_read(qp, 1, rbuf, 10, 8, io_done, &io, NULL), 0);
	assert_true(run_until(c, qp, &io.done, 10000));
	assert_int_equal(io.result, 0);
	assert_memory_equal(rbuf, wbuf, sizeof(wbuf));
	assert_true(r.timeouts >= 1);
	assert_true(r.aborts >= 1);		/* the host asked to abort it */
	/* nvmxd had nothing left to abort, so the second deadline reset the
	 * controller and the read was resubmitted. */
	assert_int_equal(r.aborted, 0);
	assert_int_equal(r.resets, 1);
	run_until(c, qp, &live, 300);		/* no second completion */
	assert_int_equal(io.calls, 1);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* A late completion: Abort goes out at the deadline, the I/O itself then
 * completes in time, no reset. */
static void slow_io_completion_is_aborted_then_completes_without_reset(void **state)
{
	static uint8_t wbuf[8 * BS], rbuf[8 * BS];
	struct rec r = { 0 };
	struct io io = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int aborted_seen = 0;

	c = up_with_data(&r, &qp, wbuf, sizeof(wbuf), 100, 2);

	assert_true(rpc("fault_delay", "{\"ms\":800}"));
	assert_int_equal(nvmx_ns_read(qp, 1, rbuf, 100, 8, io_done, &io, NULL), 0);
	assert_true(run_until(c, qp, &io.done, 5000));
	assert_true(rpc("fault_clear", NULL));
	assert_int_equal(io.result, 0);
	assert_memory_equal(rbuf, wbuf, sizeof(wbuf));
	for (int i = 0; i < 50 && !r.aborts; i++)
		run_until(c, qp, &aborted_seen, 50);
	assert_int_equal(r.aborts, 1);
	assert_int_equal(r.resets, 0);
	assert_int_equal(io.calls, 1);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- (2) I/O and Abort completions both lost: reset, retried ---- */

static void lost_io_and_abort_completions_reset_and_retry_once(void **state)
{
	static uint8_t wbuf[8 * BS], rbuf[8 * BS];
	struct rec r = { 0 };
	struct io io = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int never = 0;

	c = up_with_data(&r, &qp, wbuf, sizeof(wbuf), 200, 3);

	assert_true(rpc("fault_drop", "{\"opcode\":2,\"count\":1}"));
	assert_int_equal(nvmx_ns_read(qp, 1, rbuf, 200, 8, io_done, &io, NULL), 0);
	run_until(c, qp, &never, 200);		/* the read's completion is gone */
	assert_true(rpc("fault_drop", "{\"opcode\":8,\"count\":1,\"admin\":true}"));	/* Abort */
	assert_true(run_until(c, qp, &io.done, 10000));
	assert_int_equal(io.result, 0);
	assert_memory_equal(rbuf, wbuf, sizeof(wbuf));
	assert_int_equal(r.resets, 1);
	assert_int_equal(r.aborted, 0);
	run_until(c, qp, &never, 300);
	assert_int_equal(io.calls, 1);		/* never twice */
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	/* The queue pair works after the reset. */
	memset(rbuf, 0, sizeof(rbuf));
	assert_int_equal(nvmx_ns_read_sync(qp, 1, rbuf, 200, 8, NULL), 0);
	assert_memory_equal(rbuf, wbuf, sizeof(wbuf));
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- (3) a lost admin completion: reset, live again ---- */

static void lost_admin_completion_resets_to_live_with_aers_rearmed(void **state)
{
	static uint8_t wbuf[8 * BS], rbuf[8 * BS], log[512];
	static const int expect[] = { NVMX_CTRL_RESETTING, NVMX_CTRL_CONNECTING, NVMX_CTRL_LIVE };
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int live = 0, base;

	start_daemon(false, 0);
	default_opts(&o);
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	base = r.nstates;
	assert_true(rpc("fault_drop", "{\"opcode\":2,\"count\":1,\"admin\":true}"));	/* Get Log Page */
	assert_int_equal(nvmx_get_log_sync(c, 0x02, 0xffffffffu, 0, log, sizeof(log)), -ETIMEDOUT);
	for (int i = 0; i < 100 && nvmx_ctrl_get_state(c) != NVMX_CTRL_LIVE; i++)
		run_until(c, qp, &live, 50);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	assert_int_equal(r.resets, 1);
	assert_int_equal(r.nstates - base, 3);
	assert_memory_equal(&r.states[base], expect, sizeof(expect));
	/* I/O and admin work again; the AERs were re-armed. */
	fill(wbuf, sizeof(wbuf), 4);
	assert_int_equal(nvmx_ns_write_sync(qp, 1, wbuf, 300, 8, NULL), 0);
	assert_int_equal(nvmx_ns_read_sync(qp, 1, rbuf, 300, 8, NULL), 0);
	assert_memory_equal(rbuf, wbuf, sizeof(wbuf));
	assert_int_equal(nvmx_get_log_sync(c, 0x02, 0xffffffffu, 0, log, sizeof(log)), 0);
	assert_true(rpc("ns_add", "{\"nsid\":3,\"ram\":\"4M\"}"));
	for (int i = 0; i < 100 && !saw_ns(&r, 3, NVMX_NS_ADDED); i++)
		run_until(c, qp, &live, 10);
	assert_true(saw_ns(&r, 3, NVMX_NS_ADDED));
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- (4) nvmxd killed and restarted during a verified write load ---- */

#define KILL_NR		1024
#define KILL_QD		16
#define KILL_AT		300

struct wl {
	struct io io[KILL_NR];
	uint8_t *buf;
	int acked, failed;
};

static void wl_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct io *io = arg;

	io->calls++;
	io->done = 1;
	io->result = nvmx_cpl_result(cqe, err);
}

static void target_killed_and_restarted_host_reconnects_and_loses_no_write(void **state)
{
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	struct wl *w = calloc(1, sizeof(*w));
	uint8_t rb[BS];
	int next = 0, inflight = 0, killed = 0, saved_port;
	double end;

	assert_non_null(w);
	w->buf = malloc((size_t)KILL_NR * BS);
	assert_non_null(w->buf);
	snprintf(img_path, sizeof(img_path), "/tmp/nvmx-rec-%d.img", (int)getpid());
	unlink(img_path);
	start_daemon(true, 0);
	saved_port = port;
	default_opts(&o);
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	for (int i = 0; i < KILL_NR; i++)
		fill(w->buf + (size_t)i * BS, BS, 1000u + (uint32_t)i);

	end = now_s() + 60;
	while ((next < KILL_NR || inflight) && now_s() < end) {
		while (next < KILL_NR && inflight < KILL_QD &&
		       nvmx_ns_write(qp, 1, w->buf + (size_t)next * BS, (uint64_t)next, 1, wl_done,
				     &w->io[next], NULL) == 0) {
			next++;
			inflight++;
		}
		nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(c);
		inflight = next;
		w->acked = w->failed = 0;
		for (int i = 0; i < next; i++) {
			inflight -= w->io[i].done;
			w->acked += w->io[i].done && w->io[i].result == 0;
			w->failed += w->io[i].done && w->io[i].result != 0;
		}
		if (!killed && w->acked >= KILL_AT) {
			kill_daemon(SIGKILL);
			killed = 1;
			start_daemon(true, saved_port);
		}
	}
	assert_true(killed);
	assert_int_equal(w->failed, 0);
	assert_int_equal(w->acked, KILL_NR);
	assert_true(r.resets >= 1);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	for (int i = 0; i < KILL_NR; i++) {
		assert_int_equal(w->io[i].calls, 1);
		assert_int_equal(nvmx_ns_read_sync(qp, 1, rb, (uint64_t)i, 1, NULL), 0);
		assert_memory_equal(rb, w->buf + (size_t)i * BS, BS);
	}
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
	free(w->buf);
	free(w);
}

/* ---- (5) nvmxd stays down past ctrl_loss_tmo: DEAD, pending I/O fails ---- */

static void target_down_past_ctrl_loss_tmo_is_dead_and_pending_io_fails(void **state)
{
	static uint8_t buf[8][BS];
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct io io[8] = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int all = 0;
	double t0, el;

	start_daemon(false, 0);
	default_opts(&o);
	o.ctrl_loss_tmo = 2;
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	kill_daemon(SIGKILL);
	t0 = now_s();
	for (int i = 0; i < 8; i++)
		assert_int_equal(nvmx_ns_write(qp, 1, buf[i], (uint64_t)i, 1, io_done, &io[i], NULL), 0);
	while (!all && now_s() < t0 + 10) {
		nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(c);
		all = 1;
		for (int i = 0; i < 8; i++)
			all &= io[i].done;
		usleep(1000);
	}
	el = now_s() - t0;
	assert_true(all);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(io[i].calls, 1);
		assert_int_equal(io[i].result, -ENOTCONN);
	}
	assert_true(el >= 1.5 && el < 8.0);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_DEAD);
	assert_true(nvmx_ctrl_process_admin(c) < 0);
	assert_true(strstr(nvmx_ctrl_errmsg(c), "ctrl_loss_tmo") != NULL);
	assert_true(nvmx_qpair_failed(qp));
	assert_int_equal(nvmx_ns_write(qp, 1, buf[0], 0, 1, io_done, &io[0], NULL), -ENOTCONN);
	assert_int_equal(r.states[r.nstates - 1], NVMX_CTRL_DEAD);
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* fast_io_fail_tmo: pending I/O fails early while the host keeps trying;
 * the target back, the controller is LIVE and takes I/O again. */
static void fast_io_fail_tmo_fails_pending_io_then_reconnect_recovers(void **state)
{
	static uint8_t buf[4][BS], wbuf[BS], rbuf[BS];
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct io io[4] = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int all = 0, saved_port, never = 0;
	double t0, el;

	start_daemon(false, 0);
	saved_port = port;
	default_opts(&o);
	o.fast_io_fail_tmo = 1;
	o.ctrl_loss_tmo = 20;
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	kill_daemon(SIGKILL);
	t0 = now_s();
	for (int i = 0; i < 4; i++)
		assert_int_equal(nvmx_ns_write(qp, 1, buf[i], (uint64_t)i, 1, io_done, &io[i], NULL), 0);
	while (!all && now_s() < t0 + 8) {
		nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(c);
		all = 1;
		for (int i = 0; i < 4; i++)
			all &= io[i].done;
		usleep(1000);
	}
	el = now_s() - t0;
	assert_true(all);
	assert_true(el >= 0.9 && el < 4.0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(io[i].result, -ENOTCONN);
	/* Still trying: new I/O fails at once instead of waiting. */
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_CONNECTING);
	assert_int_equal(nvmx_ns_write(qp, 1, buf[0], 0, 1, io_done, &io[0], NULL), -ENOTCONN);

	start_daemon(false, saved_port);
	for (int i = 0; i < 400 && nvmx_ctrl_get_state(c) != NVMX_CTRL_LIVE; i++)
		run_until(c, qp, &never, 10);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	fill(wbuf, BS, 77);
	assert_int_equal(nvmx_ns_write_sync(qp, 1, wbuf, 9, 1, NULL), 0);
	assert_int_equal(nvmx_ns_read_sync(qp, 1, rbuf, 9, 1, NULL), 0);
	assert_memory_equal(rbuf, wbuf, BS);
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- (6) namespace and SMART changes through the event path ---- */

static void ns_changes_and_critical_warnings_arrive_as_events(void **state)
{
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct nvmx_health h;
	struct nvmx_ctrl *c;
	char names[128];
	uint32_t aec;
	int never = 0;
	double t0;

	start_daemon(false, 0);
	default_opts(&o);
	o.health_period_ms = 100;
	c = connect_ctrl(&r, &o);
	assert_null(nvmx_ctrl_ns(c, 2));
	assert_int_equal(nvmx_ctrl_health(c, &h), 0);	/* read at connect */
	assert_int_equal(h.critical_warning, 0);
	assert_int_equal(h.available_spare, 100);

	/* Below every threshold: no event, the periodic refresh sees it. */
	assert_true(rpc("set_health", "{\"temperature\":320,\"available_spare\":90}"));
	for (int i = 0; i < 200 && (nvmx_ctrl_health(c, &h) || h.temperature_k != 320); i++)
		run_until(c, NULL, &never, 5);
	assert_int_equal(h.temperature_k, 320);
	assert_int_equal(h.temperature_c, 47);
	assert_int_equal(h.available_spare, 90);
	assert_int_equal(r.nsmart, 0);

	t0 = now_s();
	assert_true(rpc("ns_add", "{\"nsid\":2,\"ram\":\"8M\"}"));
	while (!saw_ns(&r, 2, NVMX_NS_ADDED) && now_s() < t0 + 1.0)
		run_until(c, NULL, &never, 5);
	assert_true(saw_ns(&r, 2, NVMX_NS_ADDED));
	assert_non_null(nvmx_ctrl_ns(c, 2));
	assert_int_equal(nvmx_ctrl_ns(c, 2)->nsze, (8u << 20) / BS);

	t0 = now_s();
	assert_true(rpc("ns_remove", "{\"nsid\":2}"));
	while (!saw_ns(&r, 2, NVMX_NS_REMOVED) && now_s() < t0 + 1.0)
		run_until(c, NULL, &never, 5);
	assert_true(saw_ns(&r, 2, NVMX_NS_REMOVED));
	assert_null(nvmx_ctrl_ns(c, 2));
	assert_non_null(nvmx_ctrl_ns(c, 1));

	/* Reliability degraded: one SMART event naming it. */
	assert_true(rpc("set_health", "{\"critical_warning\":4}"));
	for (int i = 0; i < 200 && r.nsmart < 1; i++)
		run_until(c, NULL, &never, 5);
	assert_int_equal(r.nsmart, 1);
	assert_int_equal(r.smart_cw[0], NVMX_CW_RELIABILITY);
	nvmx_cw_str(r.smart_cw[0], names, sizeof(names));
	assert_string_equal(names, "reliability");
	assert_int_equal(nvmx_ctrl_health(c, &h), 0);
	assert_int_equal(h.critical_warning, NVMX_CW_RELIABILITY);
	/* The lasting bit is masked in the Async Event Configuration. */
	assert_int_equal(nvmx_get_features_sync(c, 0x0b, 0, &aec), 0);
	assert_int_equal(aec & NVMX_CW_RELIABILITY, 0);
	assert_true(aec & NVMX_CW_TEMPERATURE);

	/* A new bit still arrives: the AER was re-armed. */
	assert_true(rpc("set_health", "{\"critical_warning\":6}"));
	for (int i = 0; i < 200 && r.nsmart < 2; i++)
		run_until(c, NULL, &never, 5);
	assert_int_equal(r.nsmart, 2);
	assert_int_equal(r.smart_cw[1], NVMX_CW_RELIABILITY | NVMX_CW_TEMPERATURE);
	nvmx_cw_str(r.smart_cw[1], names, sizeof(names));
	assert_string_equal(names, "temperature,reliability");

	/* A reset lifts the masks. */
	assert_int_equal(nvmx_ctrl_reset(c), 0);
	assert_int_equal(nvmx_get_features_sync(c, 0x0b, 0, &aec), 0);
	assert_true(aec & NVMX_CW_RELIABILITY);
	assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* An error event: the host reads the error log (RAE clear) and reports
 * the newest entry -- the command that just failed. */
static void error_event_reports_the_failed_command_from_the_error_log(void **state)
{
	static uint8_t buf[BS];
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct nvmx_ctrl *c;
	struct nvmx_qpair *qp;
	int never = 0, rc;

	start_daemon(false, 0);
	default_opts(&o);
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &qp), 0);
	rc = nvmx_ns_read_sync(qp, 1, buf, nvmx_ctrl_ns(c, 1)->nsze + 8, 1, NULL);
	assert_int_equal(rc & 0x7ff, 0x80);		/* LBA Out of Range */
	assert_true(rpc("aen_raise", "{\"type\":0,\"info\":4,\"lid\":1}"));
	for (int i = 0; i < 200 && !r.nerr; i++)
		run_until(c, qp, &never, 5);
	assert_int_equal(r.nerr, 1);
	assert_true(r.err_new >= 1);
	assert_int_equal(r.err_status & 0x7ff, 0x80);
	assert_int_equal(r.err_sqid, nvmx_qpair_id(qp));
	nvmx_qpair_free(qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- recovery while another thread runs I/O on the queue pair ---- */

struct mt {
	struct nvmx_qpair *qp;
	atomic_int stop;
	int verified, eagain, errors, mismatches;
};

static void *io_thread(void *arg)
{
	struct mt *m = arg;
	static uint8_t w[BS], r[BS];

	for (uint32_t i = 0; !atomic_load(&m->stop); i++) {
		uint64_t lba = i % 4096;
		int rc;

		fill(w, BS, i);
		rc = nvmx_ns_write_sync(m->qp, 1, w, lba, 1, NULL);
		if (rc == -EAGAIN) {	/* the recovery holds the queue pair */
			m->eagain++;
			usleep(200);
			continue;
		}
		if (rc) {
			m->errors++;
			continue;
		}
		do {
			rc = nvmx_ns_read_sync(m->qp, 1, r, lba, 1, NULL);
		} while (rc == -EAGAIN && !atomic_load(&m->stop) && (usleep(200), 1));
		if (rc)
			m->errors++;
		else if (memcmp(r, w, BS))
			m->mismatches++;
		else
			m->verified++;
	}
	return NULL;
}

static void recovery_while_another_thread_runs_io_loses_nothing(void **state)
{
	struct nvmx_ctrl_opts o;
	struct rec r = { 0 };
	struct nvmx_ctrl *c;
	struct mt m = { 0 };
	pthread_t th;
	char params[64];
	int never = 0;

	start_daemon(false, 0);
	default_opts(&o);
	c = connect_ctrl(&r, &o);
	assert_int_equal(nvmx_qpair_alloc(c, 0, &m.qp), 0);
	assert_int_equal(pthread_create(&th, NULL, io_thread, &m), 0);
	for (int k = 0; k < 3; k++) {
		int before = rec_resets(&r);

		run_until(c, NULL, &never, 300);
		snprintf(params, sizeof(params), "{\"cntlid\":%u}", nvmx_ctrl_cntlid(c));
		assert_true(rpc("fault_close", params));
		for (int i = 0; i < 500 && (rec_resets(&r) == before ||
					    nvmx_ctrl_get_state(c) != NVMX_CTRL_LIVE); i++)
			run_until(c, NULL, &never, 10);
		assert_int_equal(nvmx_ctrl_get_state(c), NVMX_CTRL_LIVE);
	}
	run_until(c, NULL, &never, 300);
	atomic_store(&m.stop, 1);
	pthread_join(th, NULL);
	assert_true(rec_resets(&r) >= 3);
	assert_int_equal(m.errors, 0);
	assert_int_equal(m.mismatches, 0);
	assert_true(m.verified > 50);
	nvmx_qpair_free(m.qp);
	assert_int_equal(nvmx_ctrl_disconnect(c), 0);
}

/* ---- an unreachable target does not stall another controller ---- */

static void unreachable_target_does_not_stall_other_controller(void **state)
{
	static uint8_t wbuf[BS], rbuf[BS];
	char sock2[64], addr[128];
	struct nvmx_ctrl_opts o;
	struct rec ra = { 0 }, rb = { 0 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct nvmx_trid trid;
	struct nvmx_ctrl *a, *b;
	struct nvmx_qpair *qa;
	int one = 1, silent, port2, ios = 0;
	pid_t pid2;
	double t0, last, worst = 0;

	start_daemon(false, 0);
	snprintf(sock2, sizeof(sock2), "/tmp/nvmxd-rec2-%d.sock", (int)getpid());
	port2 = spawn_nvmxd(false, 0, sock2, &pid2);
	default_opts(&o);
	o.keep_alive_tmo = 3;		/* A dies if held for 3 s */
	a = connect_ctrl(&ra, &o);
	assert_int_equal(nvmx_qpair_alloc(a, 0, &qa), 0);
	snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%d/%s", port2, SUBNQN);
	assert_int_equal(nvmx_trid_parse(&trid, addr, NULL, 0), 0);
	o.event_arg = &rb;
	o.ctrl_loss_tmo = 60;
	o.admin_timeout_ms = 10000;	/* reconnect steps are bounded anyway */
	assert_int_equal(nvmx_ctrl_connect(&trid, &o, &b), 0);

	/* B's target dies; in its place a listener that never answers. */
	kill(pid2, SIGKILL);
	waitpid(pid2, NULL, 0);
	unlink(sock2);
	silent = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(silent, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons((uint16_t)port2);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(silent, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(silent, 16), 0);

	/* One thread drives both: A's I/O and keep-alive go on. */
	t0 = last = now_s();
	while (now_s() < t0 + 7) {
		double t;

		fill(wbuf, BS, (uint32_t)ios);
		assert_int_equal(nvmx_ns_write_sync(qa, 1, wbuf, 7, 1, NULL), 0);
		assert_int_equal(nvmx_ns_read_sync(qa, 1, rbuf, 7, 1, NULL), 0);
		assert_memory_equal(rbuf, wbuf, BS);
		ios++;
		nvmx_ctrl_process_admin(a);
		nvmx_ctrl_process_admin(b);
		t = now_s();
		if (t - last > worst)
			worst = t - last;
		last = t;
	}
	assert_int_equal(nvmx_ctrl_get_state(b), NVMX_CTRL_CONNECTING);
	assert_true(rb.resets >= 1);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_LIVE);
	assert_int_equal(ra.resets, 0);
	assert_true(worst < 2.5);	/* one bounded step (1 s) plus I/O; unbounded: 10 s */
	assert_true(ios > 10);
	close(silent);
	assert_int_equal(nvmx_ctrl_disconnect(b), 0);
	nvmx_qpair_free(qa);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(lost_io_completion_is_aborted_then_completes_with_its_data,
					  teardown),
		cmocka_unit_test_teardown(slow_io_completion_is_aborted_then_completes_without_reset,
					  teardown),
		cmocka_unit_test_teardown(lost_io_and_abort_completions_reset_and_retry_once, teardown),
		cmocka_unit_test_teardown(lost_admin_completion_resets_to_live_with_aers_rearmed,
					  teardown),
		cmocka_unit_test_teardown(target_killed_and_restarted_host_reconnects_and_loses_no_write,
					  teardown),
		cmocka_unit_test_teardown(target_down_past_ctrl_loss_tmo_is_dead_and_pending_io_fails,
					  teardown),
		cmocka_unit_test_teardown(fast_io_fail_tmo_fails_pending_io_then_reconnect_recovers,
					  teardown),
		cmocka_unit_test_teardown(ns_changes_and_critical_warnings_arrive_as_events, teardown),
		cmocka_unit_test_teardown(error_event_reports_the_failed_command_from_the_error_log,
					  teardown),
		cmocka_unit_test_teardown(recovery_while_another_thread_runs_io_loses_nothing,
					  teardown),
		cmocka_unit_test_teardown(unreachable_target_does_not_stall_other_controller, teardown),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s NVMXD_PATH\n", argv[0]);
		return 2;
	}
	nvmxd_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
