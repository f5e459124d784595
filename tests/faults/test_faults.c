/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fault matrix (tests/faults/README.md has the table): one test per
 * row.  Faults come from a scripted misbehaving controller (bad_target.c)
 * and from nvmxd's control socket (drops, delays, digest corruption) and
 * its death (restart, gone).  Every row checks the same things:
 *   - no crash (the process survives, ASan/UBSan/valgrind clean),
 *   - no hang: the row ends within its time bound,
 *   - every command completes exactly once (in the stream, on the queue
 *     pair's failure, or when the queue pair is freed),
 *   - no acknowledged write is lost, and no read returns success with
 *     wrong data,
 *   - the other connections (a second I/O queue pair, or a second
 *     controller) keep working,
 * plus the row's expected reaction.  The detection rows connect with
 * no_recovery and check how the fault is detected (error code, H2CTermReq
 * FES, timeout event); the recovery rows (names say "with_recovery") use
 * the host's default recovery and check what follows: Abort, reset,
 * reconnect (the command completes once, with success and the right
 * data), or DEAD after ctrl_loss_tmo (-ENOTCONN, once).
 * usage: test_faults [NVMXD]   (the nvmxd rows skip without it)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "bad_target.h"
#include "nvmx/nvmx.h"
#include "nvmx/spec.h"

#define BLK		512u
#define NCMD		6	/* commands on the faulted queue pair */
#define TRIGGER		2	/* the third of them misbehaves */
#define IO_TMO_MS	400
#define ROW_BOUND_MS	15000

static const char *nvmxd_path;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- the host side ---- */

struct events {
	int timeouts, qerrs, aens, aborts, resets;
	int last_qerr;
};

static void on_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg)
{
	struct events *e = arg;

	if (ev->type == NVMX_EVENT_TIMEOUT)
		e->timeouts++;
	else if (ev->type == NVMX_EVENT_QPAIR_ERROR) {
		e->qerrs++;
		e->last_qerr = ev->u.qerr.err;
	} else if (ev->type == NVMX_EVENT_AEN)
		e->aens++;
	else if (ev->type == NVMX_EVENT_ABORT)
		e->aborts++;
	else if (ev->type == NVMX_EVENT_RESET)
		e->resets++;
}

struct cmd {
	int calls;
	int result;	/* nvmx_cpl_result */
	bool write;
	uint64_t lba;
	uint32_t nlb;
	uint8_t buf[4 * BLK];
};

static void on_cpl(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct cmd *c = arg;

	c->calls++;
	c->result = nvmx_cpl_result(cqe, err);
}

static void stamp(uint8_t *p, uint64_t lba, uint32_t nlb, unsigned int gen)
{
	for (uint32_t b = 0; b < nlb; b++)
		for (uint32_t i = 0; i < BLK; i += 8) {
			uint64_t v = ((lba + b) << 16) ^ ((uint64_t)gen << 8) ^ i;

			memcpy(p + b * BLK + i, &v, 8);
		}
}

/* Recovery settings of a row: NULL for the detection rows (no_recovery). */
struct rec_opts {
	int reconnect_delay, ctrl_loss_tmo;	/* seconds */
};

static struct nvmx_ctrl *host_connect_rec(uint16_t port, const char *nqn, bool hd, bool dd,
					  struct events *ev, const struct rec_opts *rec)
{
	struct nvmx_ctrl_opts o;
	struct nvmx_trid t;
	struct nvmx_ctrl *c = NULL;
	char s[256];

	snprintf(s, sizeof(s), "tcp://127.0.0.1:%u/%s", port, nqn);
	assert_int_equal(nvmx_trid_parse(&t, s, NULL, 0), 0);
	nvmx_ctrl_opts_init(&o, sizeof(o));
	o.hdr_digest = hd;
	o.data_digest = dd;
	o.nr_io_queues = 2;
	o.io_timeout_ms = IO_TMO_MS;
	o.admin_timeout_ms = 5000;
	o.event_cb = on_event;
	o.event_arg = ev;
	/* The detection rows check how each fault is detected and contained
	 * (error, termination code, exactly-once completion, no lost write)
	 * with recovery off; the recovery rows check the reaction that
	 * follows (abort, reset, reconnect, DEAD). */
	if (rec) {
		o.reconnect_delay = rec->reconnect_delay;
		o.ctrl_loss_tmo = rec->ctrl_loss_tmo;
		o.admin_timeout_ms = 2000;
	} else {
		o.no_recovery = true;
	}
	assert_int_equal(nvmx_ctrl_connect(&t, &o, &c), 0);
	return c;
}

static struct nvmx_ctrl *host_connect(uint16_t port, const char *nqn, bool hd, bool dd,
				      struct events *ev)
{
	return host_connect_rec(port, nqn, hd, dd, ev, NULL);
}

/* Poll until every command completed, or the queue pair failed and every
 * command completed, or max_ms passed.  Returns the completions seen. */
static int poll_all(struct nvmx_qpair *qp, struct cmd *c, int n, unsigned int max_ms)
{
	uint64_t end = now_ms() + max_ms;
	int done;

	for (;;) {
		done = 0;
		for (int i = 0; i < n; i++) {
			assert_true(c[i].calls <= 1);	/* never twice */
			done += c[i].calls;
		}
		if (done == n || now_ms() > end)
			return done;
		nvmx_qpair_poll(qp, 0);
		usleep(200);
	}
}

/* poll_all for a controller with recovery on: the recovery (abort,
 * reset, reconnect) runs from nvmx_ctrl_process_admin(). */
static int poll_rec(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp, struct cmd *c, int n,
		    unsigned int max_ms)
{
	uint64_t end = now_ms() + max_ms;
	int done;

	for (;;) {
		done = 0;
		for (int i = 0; i < n; i++) {
			assert_true(c[i].calls <= 1);	/* never twice */
			done += c[i].calls;
		}
		if (done == n || now_ms() > end)
			return done;
		nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(ctrl);
		usleep(300);
	}
}

/* Poll a little longer: nothing completes a second time. */
static void no_second_completion(struct nvmx_ctrl *ctrl, struct nvmx_qpair *qp, struct cmd *c, int n)
{
	uint64_t end = now_ms() + 300;

	while (now_ms() < end) {
		nvmx_qpair_poll(qp, 0);
		nvmx_ctrl_process_admin(ctrl);
		usleep(1000);
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(c[i].calls, 1);
}

/* Drive the controller until cond holds or ms pass. */
#define WAIT_CTRL(ctrl, qp, cond, ms) \
	do { uint64_t e_ = now_ms() + (ms); \
	     while (!(cond) && now_ms() < e_) { nvmx_qpair_poll(qp, 0); \
		nvmx_ctrl_process_admin(ctrl); usleep(1000); } } while (0)

static int sync_rw(struct nvmx_qpair *qp, bool write, uint64_t lba, uint32_t nlb, uint8_t *buf)
{
	struct cmd c = { 0 };
	int rc = write ? nvmx_ns_write(qp, 1, buf, lba, nlb, on_cpl, &c, NULL) :
			 nvmx_ns_read(qp, 1, buf, lba, nlb, on_cpl, &c, NULL);

	if (rc)
		return rc;
	if (poll_all(qp, &c, 1, 5000) != 1)
		return -ETIMEDOUT;
	return c.result;
}

/* Every acknowledged write reads back (through qp, a healthy path), and
 * the path itself still writes and reads. */
static void check_acked_and_path(struct nvmx_qpair *qp, struct cmd *c, int n, uint64_t spare_lba)
{
	uint8_t buf[4 * BLK], want[4 * BLK];

	for (int i = 0; i < n; i++) {
		if (!c[i].write || c[i].result != 0)
			continue;
		assert_int_equal(sync_rw(qp, false, c[i].lba, c[i].nlb, buf), 0);
		assert_memory_equal(buf, c[i].buf, c[i].nlb * BLK);
	}
	stamp(want, spare_lba, 2, 99);
	assert_int_equal(sync_rw(qp, true, spare_lba, 2, want), 0);
	assert_int_equal(sync_rw(qp, false, spare_lba, 2, buf), 0);
	assert_memory_equal(buf, want, 2 * BLK);
}

/* Reads that succeeded returned exactly what was written (gen 1). */
static void check_reads(struct cmd *c, int n)
{
	uint8_t want[4 * BLK];

	for (int i = 0; i < n; i++) {
		if (c[i].write || c[i].result != 0)
			continue;
		stamp(want, c[i].lba, c[i].nlb, 1);
		assert_memory_equal(c[i].buf, want, c[i].nlb * BLK);
	}
}

/* Submit NCMD writes (LBA 16 + 4i, 2 blocks, gen 2) or reads (LBA 2i). */
static void submit_batch(struct nvmx_qpair *qp, struct cmd *c, bool write)
{
	for (int i = 0; i < NCMD; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].write = write;
		c[i].nlb = 2;
		c[i].lba = write ? 16 + 4u * i : 2u * i;
		if (write) {
			stamp(c[i].buf, c[i].lba, 2, 2);
			assert_int_equal(nvmx_ns_write(qp, 1, c[i].buf, c[i].lba, 2, on_cpl, &c[i], NULL), 0);
		} else {
			assert_int_equal(nvmx_ns_read(qp, 1, c[i].buf, c[i].lba, 2, on_cpl, &c[i], NULL), 0);
		}
	}
}

/* ---- rows against the misbehaving controller ---- */

struct row {
	enum bad_fault fault;
	bool hd, dd, write;
	int err;		/* expected queue pair error; 0: the queue pair survives */
	int fes;		/* expected H2CTermReq FES; 0: none; -1: don't care */
	bool times_out;		/* the victim is reported by a timeout event */
};

static void fake_row(const struct row *r)
{
	uint64_t t0 = now_ms();
	struct events ev = { 0 };
	struct bad_target *bt;
	struct nvmx_ctrl *ctrl;
	struct nvmx_qpair *qp1, *qp2;
	static struct cmd c[NCMD];
	uint8_t buf[16 * BLK];
	uint16_t port, fes = 0;
	int done;

	bt = bad_target_start(r->fault, TRIGGER, 3 * IO_TMO_MS, &port);
	assert_non_null(bt);
	ctrl = host_connect(port, "nqn.2024-01.io.nvmx:bad", r->hd, r->dd, &ev);
	assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp1), 0);
	assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp2), 0);
	assert_int_equal(nvmx_qpair_id(qp1), 1);
	/* Known data for the reads, through the healthy queue pair. */
	stamp(buf, 0, 16, 1);
	assert_int_equal(sync_rw(qp2, true, 0, 16, buf), 0);

	submit_batch(qp1, c, r->write);
	done = poll_all(qp1, c, NCMD, r->times_out ? 6 * IO_TMO_MS : 3000);
	assert_true(bad_target_fired(bt));
	/* The commands before the fault completed normally. */
	assert_int_equal(c[0].calls, 1);
	assert_int_equal(c[0].result, 0);
	assert_int_equal(c[1].calls, 1);
	assert_int_equal(c[1].result, 0);
	if (r->err) {
		/* The connection ended with the row's error; everything in
		 * flight completed once, with an error. */
		assert_true(nvmx_qpair_failed(qp1));
		assert_int_equal(done, NCMD);
		assert_int_equal(ev.last_qerr, r->err);
		assert_int_equal(nvmx_qpair_poll(qp1, 0), r->err);
		for (int i = TRIGGER + 1; i < NCMD; i++)
			assert_true(c[i].result != 0);
		assert_int_equal(nvmx_ns_read(qp1, 1, buf, 0, 1, on_cpl, &c[0], NULL), -ENOTCONN);
	}
	if (r->times_out) {
		/* Today: the deadline is reported, the queue pair stays up
		 * (recovery will Abort the command, then reset). */
		assert_true(ev.timeouts >= 1);
		assert_false(nvmx_qpair_failed(qp1));
		for (int i = 0; i < NCMD; i++)
			if (r->fault != BAD_DROP_CPL || i != TRIGGER)
				assert_int_equal(c[i].result, 0);
		/* A dropped completion never comes; a late one came once. */
		assert_int_equal(c[TRIGGER].calls, r->fault == BAD_DROP_CPL ? 0 : 1);
	}
	if (r->fes >= 0) {
		for (int i = 0; i < 100 && r->fes && !bad_target_termreqs(bt, NULL); i++)
			usleep(10000);
		assert_int_equal(bad_target_termreqs(bt, &fes), r->fes ? 1 : 0);
		if (r->fes)
			assert_int_equal(fes, r->fes);
	}
	check_reads(c, NCMD);
	nvmx_qpair_free(qp1);	/* what is still out completes now, once */
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].calls, 1);
	if (r->fault == BAD_DROP_CPL)
		assert_int_equal(c[TRIGGER].result, -ECONNABORTED);
	check_acked_and_path(qp2, c, NCMD, 100);
	nvmx_qpair_free(qp2);
	assert_int_equal(nvmx_ctrl_disconnect(ctrl), 0);
	bad_target_stop(bt);
	print_message("# row done in %llu ms: qpair error %d, timeout events %d\n",
		      (unsigned long long)(now_ms() - t0), ev.last_qerr, ev.timeouts);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
}

#define FES_INVALID_HEADER	0x01
#define FES_HDGST		0x03
#define FES_OUT_OF_RANGE	0x04

static void dropped_completion_is_reported_as_timeout(void **s)
{
	const struct row r = { BAD_DROP_CPL, 0, 0, true, 0, 0, true };

	fake_row(&r);
}

static void delayed_completion_past_timeout_is_reported_then_delivered_once(void **s)
{
	const struct row r = { BAD_DELAY_CPL, 0, 0, true, 0, 0, true };

	fake_row(&r);
}

static void header_digest_error_fails_the_connection_with_ebadmsg(void **s)
{
	const struct row r = { BAD_HDGST, 1, 0, false, -EBADMSG, FES_HDGST, false };

	fake_row(&r);
}

static void data_digest_error_fails_the_connection_with_ebadmsg(void **s)
{
	const struct row r = { BAD_DDGST, 0, 1, false, -EBADMSG, 0, false };

	fake_row(&r);
}

static void truncated_pdu_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_TRUNCATED, 0, 0, false, -EPROTO, FES_INVALID_HEADER, false };

	fake_row(&r);
}

static void unknown_pdu_type_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_UNKNOWN_TYPE, 0, 0, false, -EPROTO, FES_INVALID_HEADER, false };

	fake_row(&r);
}

static void plen_beyond_any_maximum_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_PLEN_HUGE, 0, 0, false, -EPROTO, -1, false };

	fake_row(&r);
}

static void c2h_data_for_unknown_cid_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_C2H_UNKNOWN_CID, 0, 0, false, -EPROTO, FES_INVALID_HEADER, false };

	fake_row(&r);
}

static void duplicate_completion_is_delivered_once_then_eproto(void **s)
{
	const struct row r = { BAD_DUP_CPL, 0, 0, true, -EPROTO, FES_INVALID_HEADER, false };

	fake_row(&r);
}

static void r2t_beyond_the_command_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_R2T_BEYOND, 0, 0, true, -EPROTO, FES_OUT_OF_RANGE, false };

	fake_row(&r);
}

static void r2t_beyond_maxr2t_fails_the_connection_with_eproto(void **s)
{
	const struct row r = { BAD_R2T_OVER_MAXR2T, 0, 0, true, -EPROTO, -1, false };

	fake_row(&r);
}

static void connection_reset_mid_data_fails_in_flight_commands_once(void **s)
{
	const struct row r = { BAD_RESET_MID_DATA, 0, 0, false, -ECONNRESET, 0, false };

	fake_row(&r);
}

/* A misbehaving-controller row with recovery on: the fault fails the
 * queue pair, the host resets the controller and reconnects to the same
 * (now well-behaved) target, and the commands in flight are resubmitted:
 * each completes exactly once, with success. */
static void fake_rec_row(enum bad_fault fault, bool hd, bool dd, bool write, int err, int want_fes)
{
	uint8_t buf[16 * BLK];
	uint64_t t0 = now_ms();
	struct events ev = { 0 };
	struct bad_target *bt;
	struct nvmx_ctrl *ctrl;
	struct nvmx_qpair *qp1, *qp2;
	static struct cmd c[NCMD];
	const struct rec_opts rec = { 1, 15 };
	uint16_t port, fes = 0;

	bt = bad_target_start(fault, TRIGGER, 3 * IO_TMO_MS, &port);
	assert_non_null(bt);
	ctrl = host_connect_rec(port, "nqn.2024-01.io.nvmx:bad", hd, dd, &ev, &rec);
	assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp1), 0);
	assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp2), 0);
	assert_int_equal(nvmx_qpair_id(qp1), 1);
	stamp(buf, 0, 16, 1);	/* known data for the reads */
	assert_int_equal(sync_rw(qp2, true, 0, 16, buf), 0);
	submit_batch(qp1, c, write);
	assert_int_equal(poll_rec(ctrl, qp1, c, NCMD, ROW_BOUND_MS - 3000), NCMD);
	assert_true(bad_target_fired(bt));
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].result, 0);
	check_reads(c, NCMD);	/* a retried read returns the right data */
	assert_true(ev.qerrs >= 1);
	assert_int_equal(ev.last_qerr, err);
	assert_true(ev.resets >= 1);
	for (int i = 0; i < 100 && want_fes && !bad_target_termreqs(bt, NULL); i++)
		usleep(10000);
	if (want_fes) {
		assert_true(bad_target_termreqs(bt, &fes) >= 1);
		assert_int_equal(fes, want_fes);
	}
	no_second_completion(ctrl, qp1, c, NCMD);
	assert_int_equal(nvmx_ctrl_get_state(ctrl), NVMX_CTRL_LIVE);
	assert_false(nvmx_qpair_failed(qp1));
	/* Every write reads back, through both (re-created) queue pairs. */
	check_acked_and_path(qp1, c, NCMD, 100);
	check_acked_and_path(qp2, c, NCMD, 104);
	nvmx_qpair_free(qp1);
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].calls, 1);
	nvmx_qpair_free(qp2);
	assert_int_equal(nvmx_ctrl_disconnect(ctrl), 0);
	bad_target_stop(bt);
	print_message("# row done in %llu ms: qpair error %d, resets %d\n",
		      (unsigned long long)(now_ms() - t0), ev.last_qerr, ev.resets);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
}

static void header_digest_error_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_HDGST, true, false, true, -EBADMSG, FES_HDGST);
}

static void connection_reset_mid_data_with_recovery_reconnects_and_retries_reads(void **s)
{
	fake_rec_row(BAD_RESET_MID_DATA, false, false, false, -ECONNRESET, 0);
}

/* Rows 6-12 with recovery on: each malformed PDU fails the queue pair with
 * -EPROTO, the host resets and reconnects, and every command in flight
 * completes once, with success (row 10r: the write completed before the
 * duplicate is not completed again). */
static void truncated_pdu_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_TRUNCATED, false, false, false, -EPROTO, FES_INVALID_HEADER);
}

static void unknown_pdu_type_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_UNKNOWN_TYPE, false, false, false, -EPROTO, FES_INVALID_HEADER);
}

static void plen_beyond_any_maximum_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_PLEN_HUGE, false, false, false, -EPROTO, 0);
}

static void c2h_data_for_unknown_cid_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_C2H_UNKNOWN_CID, false, false, false, -EPROTO, FES_INVALID_HEADER);
}

static void duplicate_completion_with_recovery_completes_the_command_once(void **s)
{
	fake_rec_row(BAD_DUP_CPL, false, false, true, -EPROTO, FES_INVALID_HEADER);
}

static void r2t_beyond_the_command_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_R2T_BEYOND, false, false, true, -EPROTO, FES_OUT_OF_RANGE);
}

static void r2t_beyond_maxr2t_with_recovery_reconnects_and_completes_once(void **s)
{
	fake_rec_row(BAD_R2T_OVER_MAXR2T, false, false, true, -EPROTO, 0);
}

/* ---- rows against nvmxd ---- */

#define NQN "nqn.2024-01.io.nvmx:faults"

struct daemon {
	pid_t pid;
	uint16_t port;
	char dir[40], sock[80], file[80];
};

static void daemon_start(struct daemon *d, uint16_t port)
{
	char listen[32], line[256];
	int pfd[2];
	FILE *f;
	int p;

	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	assert_int_equal(pipe(pfd), 0);
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(nvmxd_path, "nvmxd", "--listen", listen, "--file", d->file, "--file-size", "16M",
		      "--nqn", NQN, "--control", d->sock, "--log", "error", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(sscanf(line, "nvmxd: listening on 127.0.0.1:%d", &p), 1);
	fclose(f);
	d->port = (uint16_t)p;
}

static void daemon_kill(struct daemon *d, int sig)
{
	int st;

	if (d->pid <= 0)
		return;
	kill(d->pid, sig);
	waitpid(d->pid, &st, 0);
	d->pid = 0;
}

static int daemon_setup(void **state)
{
	struct daemon *d;

	*state = NULL;
	if (!nvmxd_path)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	snprintf(d->dir, sizeof(d->dir), "/tmp/nvmx-faults.XXXXXX");
	if (!mkdtemp(d->dir))
		return -1;
	snprintf(d->sock, sizeof(d->sock), "%s/ctl.sock", d->dir);
	snprintf(d->file, sizeof(d->file), "%s/ns.img", d->dir);
	daemon_start(d, 0);
	*state = d;
	return 0;
}

static int daemon_teardown(void **state)
{
	struct daemon *d = *state;

	if (!d)
		return 0;
	daemon_kill(d, SIGTERM);
	unlink(d->sock);
	unlink(d->file);
	rmdir(d->dir);
	free(d);
	return 0;
}

static bool rpc(struct daemon *d, const char *method, const char *params)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[8192];
	size_t len = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d->sock);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	len = (size_t)snprintf(buf, sizeof(buf), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\"%s%s}\n",
			       method, params ? ",\"params\":" : "", params ? params : "");
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	len = 0;
	while (!memchr(buf, '\n', len)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		assert_true(n > 0);
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return strstr(buf, "\"result\"") != NULL;
}

#define NEED_NVMXD(state) \
	do { if (!*(state)) skip(); } while (0)

/* Wait for cond (an expression) to hold, polling qp, for at most ms. */
#define WAIT_FOR(qp, cond, ms) \
	do { uint64_t e_ = now_ms() + (ms); \
	     while (!(cond) && now_ms() < e_) { nvmx_qpair_poll(qp, 0); usleep(500); } } while (0)

static void nvmxd_dropped_completion_other_controller_unaffected(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 }, ev2 = { 0 };
	struct nvmx_ctrl *a, *b;
	struct nvmx_qpair *qa, *qb;
	struct cmd c[1] = { 0 };

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, false, &ev);
	b = host_connect(d->port, NQN, false, false, &ev2);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_int_equal(nvmx_qpair_alloc(b, 16, &qb), 0);
	assert_true(rpc(d, "fault_drop", "{\"opcode\":1,\"count\":1}"));
	c[0].write = true;
	c[0].lba = 40;
	c[0].nlb = 2;
	stamp(c[0].buf, 40, 2, 5);
	assert_int_equal(nvmx_ns_write(qa, 1, c[0].buf, 40, 2, on_cpl, &c[0], NULL), 0);
	WAIT_FOR(qa, ev.timeouts > 0, 6 * IO_TMO_MS);
	assert_true(ev.timeouts >= 1);
	assert_int_equal(c[0].calls, 0);	/* still out: recovery will Abort it */
	check_acked_and_path(qb, c, 0, 200);	/* the other controller works */
	nvmx_qpair_free(qa);
	assert_int_equal(c[0].calls, 1);
	assert_int_equal(c[0].result, -ECONNABORTED);
	nvmx_qpair_free(qb);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
	assert_int_equal(nvmx_ctrl_disconnect(b), 0);
	assert_true(rpc(d, "fault_clear", NULL));
}

static void nvmxd_delayed_completion_past_timeout_delivered_once(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a;
	struct nvmx_qpair *qa;
	struct cmd c[1] = { 0 };

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, false, &ev);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_true(rpc(d, "fault_delay", "{\"ms\":1500}"));
	c[0].write = true;
	c[0].lba = 48;
	c[0].nlb = 2;
	stamp(c[0].buf, 48, 2, 6);
	assert_int_equal(nvmx_ns_write(qa, 1, c[0].buf, 48, 2, on_cpl, &c[0], NULL), 0);
	WAIT_FOR(qa, ev.timeouts > 0, 6 * IO_TMO_MS);
	assert_true(rpc(d, "fault_clear", NULL));
	assert_true(ev.timeouts >= 1);
	assert_int_equal(poll_all(qa, c, 1, 5000), 1);
	/* The late completion is delivered once (today: as success; with
	 * recovery the Abort may win and the write be retried). */
	assert_int_equal(c[0].result, 0);
	usleep(100000);
	nvmx_qpair_poll(qa, 0);
	assert_int_equal(c[0].calls, 1);
	check_acked_and_path(qa, c, 1, 208);
	nvmx_qpair_free(qa);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
}

static void nvmxd_dropped_aer_completion_host_keeps_working(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a;
	struct nvmx_qpair *qa;
	uint64_t end;

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, false, &ev);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_true(rpc(d, "fault_drop", "{\"opcode\":12,\"count\":1,\"admin\":true}"));
	assert_true(rpc(d, "set_health", "{\"critical_warning\":1}"));
	end = now_ms() + 500;
	while (now_ms() < end) {
		assert_true(nvmx_ctrl_process_admin(a) >= 0);
		usleep(1000);
	}
	assert_int_equal(ev.aens, 0);	/* the event's completion was dropped */
	check_acked_and_path(qa, NULL, 0, 216);
	assert_true(nvmx_ctrl_process_admin(a) >= 0);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_LIVE);
	nvmx_qpair_free(qa);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
	assert_true(rpc(d, "set_health", "{\"critical_warning\":0}"));
	assert_true(rpc(d, "fault_clear", NULL));
}

static void nvmxd_data_digest_error_fails_only_that_connection(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 }, ev2 = { 0 };
	struct nvmx_ctrl *a, *b;
	struct nvmx_qpair *qa, *qb;
	struct cmd c[1] = { 0 };
	uint8_t buf[2 * BLK];

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, true, &ev);
	b = host_connect(d->port, NQN, false, false, &ev2);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_int_equal(nvmx_qpair_alloc(b, 16, &qb), 0);
	stamp(buf, 0, 2, 1);
	assert_int_equal(sync_rw(qb, true, 0, 2, buf), 0);
	assert_true(rpc(d, "fault_corrupt_digest", "{\"count\":1}"));
	c[0].lba = 0;
	c[0].nlb = 2;
	assert_int_equal(nvmx_ns_read(qa, 1, c[0].buf, 0, 2, on_cpl, &c[0], NULL), 0);
	assert_int_equal(poll_all(qa, c, 1, 3000), 1);
	assert_int_equal(c[0].result, -EBADMSG);
	assert_true(nvmx_qpair_failed(qa));
	check_acked_and_path(qb, NULL, 0, 224);
	nvmx_qpair_free(qa);
	assert_int_equal(c[0].calls, 1);
	nvmx_qpair_free(qb);
	nvmx_ctrl_disconnect(a);	/* its admin queue is fine; I/O queue gone */
	assert_int_equal(nvmx_ctrl_disconnect(b), 0);
	assert_true(rpc(d, "fault_clear", NULL));
}

static void nvmxd_restart_loses_no_acknowledged_write(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a;
	struct nvmx_qpair *qa;
	static struct cmd c[NCMD], late[NCMD];
	uint64_t t0;

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, false, &ev);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	submit_batch(qa, c, true);
	assert_int_equal(poll_all(qa, c, NCMD, 3000), NCMD);
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].result, 0);
	/* More writes in flight, then the target dies and comes back. */
	for (int i = 0; i < NCMD; i++) {
		late[i].write = true;
		late[i].lba = 64 + 4u * i;
		late[i].nlb = 2;
		stamp(late[i].buf, late[i].lba, 2, 3);
		assert_int_equal(nvmx_ns_write(qa, 1, late[i].buf, late[i].lba, 2, on_cpl, &late[i],
					       NULL), 0);
	}
	daemon_kill(d, SIGKILL);
	t0 = now_ms();
	daemon_start(d, d->port);
	poll_all(qa, late, NCMD, 3000);
	/* Today: the connection error reaches every command once (reconnect
	 * will keep them queued once recovery lands). */
	assert_true(nvmx_qpair_failed(qa));
	nvmx_qpair_free(qa);
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(late[i].calls, 1);
	nvmx_ctrl_disconnect(a);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
	/* A new controller on the restarted target sees every acknowledged
	 * write, also the late ones that were acknowledged before the kill. */
	a = host_connect(d->port, NQN, false, false, &ev);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	check_acked_and_path(qa, c, NCMD, 232);
	check_acked_and_path(qa, late, NCMD, 240);
	nvmx_qpair_free(qa);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
}

static void nvmxd_gone_for_good_fails_everything_once_and_bounded(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a, *b = (void *)1;
	struct nvmx_qpair *qa;
	static struct cmd c[NCMD];
	struct nvmx_trid t;
	char s[128];
	uint64_t t0;
	uint16_t port;

	NEED_NVMXD(state);
	a = host_connect(d->port, NQN, false, false, &ev);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	submit_batch(qa, c, false);
	daemon_kill(d, SIGKILL);
	t0 = now_ms();
	poll_all(qa, c, NCMD, 3000);
	assert_true(nvmx_qpair_failed(qa));
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].calls, 1);
	check_reads(c, NCMD);
	assert_int_equal(nvmx_ns_read(qa, 1, c[0].buf, 0, 1, on_cpl, &c[0], NULL), -ENOTCONN);
	nvmx_qpair_free(qa);
	nvmx_ctrl_disconnect(a);
	/* Reconnecting is refused, promptly. */
	port = d->port;
	snprintf(s, sizeof(s), "tcp://127.0.0.1:%u/%s", port, NQN);
	assert_int_equal(nvmx_trid_parse(&t, s, NULL, 0), 0);
	assert_int_equal(nvmx_ctrl_connect(&t, NULL, &b), -ECONNREFUSED);
	assert_null(b);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
	daemon_start(d, port);	/* for the teardown (and any later row) */
}

/* ---- rows against nvmxd with recovery on (the default of the host) ---- */

static const struct rec_opts rec_fast = { 1, 15 };	/* reconnect 1 s, give up after 15 s */
static const struct rec_opts rec_gone = { 1, 2 };	/* reconnect 1 s, DEAD after 2 s */

static void nvmxd_dropped_completion_with_recovery_is_aborted_and_completes_once(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 }, ev2 = { 0 };
	struct nvmx_ctrl *a, *b;
	struct nvmx_qpair *qa, *qb;
	struct cmd c[1] = { 0 };
	uint64_t t0 = now_ms();

	NEED_NVMXD(state);
	a = host_connect_rec(d->port, NQN, false, false, &ev, &rec_fast);
	b = host_connect(d->port, NQN, false, false, &ev2);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_int_equal(nvmx_qpair_alloc(b, 16, &qb), 0);
	assert_true(rpc(d, "fault_drop", "{\"opcode\":1,\"count\":1}"));
	c[0].write = true;
	c[0].lba = 40;
	c[0].nlb = 2;
	stamp(c[0].buf, 40, 2, 7);
	assert_int_equal(nvmx_ns_write(qa, 1, c[0].buf, 40, 2, on_cpl, &c[0], NULL), 0);
	/* Deadline -> Abort (nvmxd has nothing to abort) -> reset -> the
	 * write is resubmitted and succeeds, once. */
	assert_int_equal(poll_rec(a, qa, c, 1, ROW_BOUND_MS - 3000), 1);
	assert_int_equal(c[0].result, 0);
	assert_true(ev.timeouts >= 1);
	assert_true(ev.aborts + ev.resets >= 1);
	no_second_completion(a, qa, c, 1);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_LIVE);
	check_acked_and_path(qa, c, 1, 248);	/* its data verifies */
	check_acked_and_path(qb, c, 1, 256);	/* and the other controller works */
	assert_int_equal(ev2.timeouts + ev2.qerrs, 0);
	nvmx_qpair_free(qa);
	assert_int_equal(c[0].calls, 1);
	nvmx_qpair_free(qb);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
	assert_int_equal(nvmx_ctrl_disconnect(b), 0);
	assert_true(rpc(d, "fault_clear", NULL));
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
}

static void nvmxd_data_digest_error_with_recovery_reconnects_and_reads_correct_data(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 }, ev2 = { 0 };
	struct nvmx_ctrl *a, *b;
	struct nvmx_qpair *qa, *qb;
	struct cmd c[1] = { 0 };
	uint8_t buf[2 * BLK];
	uint64_t t0 = now_ms();

	NEED_NVMXD(state);
	a = host_connect_rec(d->port, NQN, false, true, &ev, &rec_fast);
	b = host_connect(d->port, NQN, false, false, &ev2);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	assert_int_equal(nvmx_qpair_alloc(b, 16, &qb), 0);
	stamp(buf, 0, 2, 1);
	assert_int_equal(sync_rw(qb, true, 0, 2, buf), 0);
	assert_true(rpc(d, "fault_corrupt_digest", "{\"count\":1}"));
	c[0].lba = 0;
	c[0].nlb = 2;
	assert_int_equal(nvmx_ns_read(qa, 1, c[0].buf, 0, 2, on_cpl, &c[0], NULL), 0);
	/* The queue pair fails (-EBADMSG), the controller is reset and
	 * reconnected, the read resubmitted: one completion, good data. */
	assert_int_equal(poll_rec(a, qa, c, 1, ROW_BOUND_MS - 3000), 1);
	assert_int_equal(c[0].result, 0);
	check_reads(c, 1);
	assert_true(ev.qerrs >= 1);
	assert_int_equal(ev.last_qerr, -EBADMSG);
	assert_true(ev.resets >= 1);
	no_second_completion(a, qa, c, 1);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_LIVE);
	assert_false(nvmx_qpair_failed(qa));
	check_acked_and_path(qa, NULL, 0, 264);
	check_acked_and_path(qb, NULL, 0, 272);
	assert_int_equal(ev2.qerrs, 0);
	nvmx_qpair_free(qa);
	assert_int_equal(c[0].calls, 1);
	nvmx_qpair_free(qb);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
	assert_int_equal(nvmx_ctrl_disconnect(b), 0);
	assert_true(rpc(d, "fault_clear", NULL));
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
}

static void nvmxd_restart_with_recovery_reconnects_and_completes_writes_once(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a;
	struct nvmx_qpair *qa;
	static struct cmd c[NCMD], late[NCMD];
	uint64_t t0;

	NEED_NVMXD(state);
	a = host_connect_rec(d->port, NQN, false, false, &ev, &rec_fast);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	submit_batch(qa, c, true);
	assert_int_equal(poll_rec(a, qa, c, NCMD, 3000), NCMD);
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(c[i].result, 0);
	for (int i = 0; i < NCMD; i++) {
		memset(&late[i], 0, sizeof(late[i]));
		late[i].write = true;
		late[i].lba = 64 + 4u * i;
		late[i].nlb = 2;
		stamp(late[i].buf, late[i].lba, 2, 4);
		assert_int_equal(nvmx_ns_write(qa, 1, late[i].buf, late[i].lba, 2, on_cpl, &late[i],
					       NULL), 0);
	}
	daemon_kill(d, SIGKILL);
	t0 = now_ms();
	daemon_start(d, d->port);
	/* The host reconnects by itself (every reconnect_delay) and the
	 * writes in flight are resubmitted: each completes once, with
	 * success. */
	assert_int_equal(poll_rec(a, qa, late, NCMD, ROW_BOUND_MS - 3000), NCMD);
	for (int i = 0; i < NCMD; i++)
		assert_int_equal(late[i].result, 0);
	/* (had the writes all completed before the kill, the reset is still
	 * to come: wait for it and for LIVE again) */
	WAIT_CTRL(a, qa, ev.resets >= 1 && nvmx_ctrl_get_state(a) == NVMX_CTRL_LIVE,
		  ROW_BOUND_MS - 3000);
	assert_true(ev.resets >= 1);
	no_second_completion(a, qa, late, NCMD);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_LIVE);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
	/* Every acknowledged write reads back, through the same handle. */
	check_acked_and_path(qa, c, NCMD, 280);
	check_acked_and_path(qa, late, NCMD, 288);
	nvmx_qpair_free(qa);
	assert_int_equal(nvmx_ctrl_disconnect(a), 0);
}

static void nvmxd_gone_with_recovery_is_dead_after_ctrl_loss_tmo_and_fails_once(void **state)
{
	struct daemon *d = *state;
	struct events ev = { 0 };
	struct nvmx_ctrl *a;
	struct nvmx_qpair *qa;
	static struct cmd c[NCMD];
	uint64_t t0, el;
	int failed = 0;

	NEED_NVMXD(state);
	a = host_connect_rec(d->port, NQN, false, false, &ev, &rec_gone);
	assert_int_equal(nvmx_qpair_alloc(a, 16, &qa), 0);
	submit_batch(qa, c, false);
	daemon_kill(d, SIGKILL);
	t0 = now_ms();
	/* Reconnect attempts every second until ctrl_loss_tmo (2 s), then
	 * DEAD: what is still pending fails once, -ENOTCONN. */
	assert_int_equal(poll_rec(a, qa, c, NCMD, ROW_BOUND_MS - 3000), NCMD);
	el = now_ms() - t0;
	for (int i = 0; i < NCMD; i++) {
		/* a read may have completed before the kill */
		assert_true(c[i].result == 0 || c[i].result == -ENOTCONN);
		failed += c[i].result != 0;
	}
	check_reads(c, NCMD);
	/* (had the reads all completed before the kill, DEAD is still to
	 * come) */
	WAIT_CTRL(a, qa, nvmx_ctrl_get_state(a) == NVMX_CTRL_DEAD, ROW_BOUND_MS - 3000);
	assert_true(now_ms() - t0 < ROW_BOUND_MS);
	no_second_completion(a, qa, c, NCMD);
	assert_int_equal(nvmx_ctrl_get_state(a), NVMX_CTRL_DEAD);
	assert_true(nvmx_ctrl_process_admin(a) < 0);
	if (failed)
		assert_true(el >= 1500);	/* not before ctrl_loss_tmo */
	assert_true(el < ROW_BOUND_MS);
	assert_int_equal(nvmx_ns_read(qa, 1, c[0].buf, 0, 1, on_cpl, &c[0], NULL), -ENOTCONN);
	nvmx_qpair_free(qa);
	nvmx_ctrl_disconnect(a);
	daemon_start(d, d->port);	/* for the teardown */
}

#define NVMXD_ROW(f) cmocka_unit_test_setup_teardown(f, daemon_setup, daemon_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest rows[] = {
		cmocka_unit_test(dropped_completion_is_reported_as_timeout),
		cmocka_unit_test(delayed_completion_past_timeout_is_reported_then_delivered_once),
		cmocka_unit_test(header_digest_error_fails_the_connection_with_ebadmsg),
		cmocka_unit_test(data_digest_error_fails_the_connection_with_ebadmsg),
		cmocka_unit_test(truncated_pdu_fails_the_connection_with_eproto),
		cmocka_unit_test(unknown_pdu_type_fails_the_connection_with_eproto),
		cmocka_unit_test(plen_beyond_any_maximum_fails_the_connection_with_eproto),
		cmocka_unit_test(c2h_data_for_unknown_cid_fails_the_connection_with_eproto),
		cmocka_unit_test(duplicate_completion_is_delivered_once_then_eproto),
		cmocka_unit_test(r2t_beyond_the_command_fails_the_connection_with_eproto),
		cmocka_unit_test(r2t_beyond_maxr2t_fails_the_connection_with_eproto),
		cmocka_unit_test(connection_reset_mid_data_fails_in_flight_commands_once),
		cmocka_unit_test(header_digest_error_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(connection_reset_mid_data_with_recovery_reconnects_and_retries_reads),
		cmocka_unit_test(truncated_pdu_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(unknown_pdu_type_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(plen_beyond_any_maximum_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(c2h_data_for_unknown_cid_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(duplicate_completion_with_recovery_completes_the_command_once),
		cmocka_unit_test(r2t_beyond_the_command_with_recovery_reconnects_and_completes_once),
		cmocka_unit_test(r2t_beyond_maxr2t_with_recovery_reconnects_and_completes_once),
		NVMXD_ROW(nvmxd_dropped_completion_other_controller_unaffected),
		NVMXD_ROW(nvmxd_delayed_completion_past_timeout_delivered_once),
		NVMXD_ROW(nvmxd_dropped_aer_completion_host_keeps_working),
		NVMXD_ROW(nvmxd_data_digest_error_fails_only_that_connection),
		NVMXD_ROW(nvmxd_restart_loses_no_acknowledged_write),
		NVMXD_ROW(nvmxd_gone_for_good_fails_everything_once_and_bounded),
		NVMXD_ROW(nvmxd_dropped_completion_with_recovery_is_aborted_and_completes_once),
		NVMXD_ROW(nvmxd_data_digest_error_with_recovery_reconnects_and_reads_correct_data),
		NVMXD_ROW(nvmxd_restart_with_recovery_reconnects_and_completes_writes_once),
		NVMXD_ROW(nvmxd_gone_with_recovery_is_dead_after_ctrl_loss_tmo_and_fails_once),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1)
		nvmxd_path = argv[1];
	rc = cmocka_run_group_tests(rows, NULL, NULL);
	return rc;
}
