/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transport-independent queue pair core over a fake transport that
 * records what it is given and completes it when the test says: splitting
 * at the transfer limit completes once with the first failure, a full SQ
 * queues in software, CIDs are never reused while in flight, a failed
 * queue pair completes everything exactly once, deadlines are reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

struct fake {
	struct nvmx_req *sub[256];	/* handed to the transport, in order */
	int nsub;
	bool inflight[65536];
	int submit_rc;
};

static struct fake fk;

static int fake_submit(struct nvmx_qpair *qp, struct nvmx_req *r)
{
	if (fk.submit_rc)
		return fk.submit_rc;
	/* CID reuse while in flight would break every transport. */
	assert_false(fk.inflight[r->cid]);
	fk.inflight[r->cid] = true;
	fk.sub[fk.nsub++] = r;
	return 0;
}

static int fake_poll(struct nvmx_qpair *qp, unsigned int max) { return 0; }
static int fake_fd(const struct nvmx_qpair *qp) { return -1; }
static void fake_disconnect(struct nvmx_qpair *qp) { }

static const struct nvmx_transport_ops fake_ops = {
	.name = "fake",
	.submit = fake_submit,
	.poll = fake_poll,
	.qpair_fd = fake_fd,
	.qpair_disconnect = fake_disconnect,
};

/* The controller answers submission i with status st. */
static void answer(struct nvmx_qpair *qp, int i, uint16_t st)
{
	struct nvmx_cqe cqe;
	struct nvmx_req *r = fk.sub[i];

	cqe_fill(&cqe, r->cid, st, 0);
	fk.inflight[r->cid] = false;
	assert_int_equal(nvmx_qpair_complete(qp, &cqe), 0);
}

struct done {
	int calls;
	int result;
	uint16_t cid;
};

static void on_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct done *d = arg;

	d->calls++;
	d->result = nvmx_cpl_result(cqe, err);
	d->cid = cqe_cid(cqe);
}

struct env {
	struct nvmx_ctrl ctrl;
	struct nvmx_qpair qp;
	int timeouts;
};

static void on_event(struct nvmx_ctrl *c, const struct nvmx_event *ev, void *arg)
{
	struct env *e = arg;

	if (ev->type == NVMX_EVENT_TIMEOUT)
		e->timeouts++;
}

static struct env *env_new(uint16_t depth, uint32_t max_xfer)
{
	struct env *e = calloc(1, sizeof(*e));

	memset(&fk, 0, sizeof(fk));
	strcpy(e->ctrl.name, "unit");
	e->ctrl.ops = &fake_ops;
	e->ctrl.max_xfer = max_xfer;
	e->ctrl.opts.event_cb = on_event;
	e->ctrl.opts.event_arg = e;
	pthread_mutex_init(&e->ctrl.state_lock, NULL);
	assert_int_equal(nvmx_qpair_init(&e->qp, &e->ctrl, 1, depth, 1000), 0);
	return e;
}

static void env_free(struct env *e)
{
	nvmx_qpair_fini(&e->qp);
	pthread_mutex_destroy(&e->ctrl.state_lock);
	free(e);
}

static void read_cmd(struct nvmx_sqe *s, uint64_t slba, uint32_t nlb)
{
	sqe_init(s, NVMX_NVM_READ, 1);
	sqe_set_slba(s, slba);
	sqe_set_nlb(s, nlb);
}

static void split_command_covers_the_range_and_completes_once(void **state)
{
	struct env *e = env_new(8, 4096);
	static uint8_t buf[4096 * 10 + 512];
	struct nvmx_sqe s;
	struct done d = { 0 };
	uint64_t next = 100;
	int i;

	read_cmd(&s, 100, sizeof(buf) / 512);
	assert_int_equal(nvmx_qpair_submit_split(&e->qp, &s, buf, sizeof(buf), NVMX_DIR_FROM_CTRL, 9,
						 on_done, &d, 0), 0);
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 1);
	/* Pieces go out in order, each within the limit, contiguous. */
	for (i = 0; i < fk.nsub || d.calls == 0; i++) {
		struct nvmx_req *r = fk.sub[i];

		assert_true(i < fk.nsub);
		assert_int_equal(sqe_slba(&r->sqe), next);
		assert_ptr_equal(r->buf, buf + (next - 100) * 512);
		assert_true(r->len <= 4096);
		assert_int_equal(((sqe_cdw(&r->sqe, 12) & 0xffff) + 1) * 512, r->len);
		next += r->len / 512;
		assert_int_equal(d.calls, 0);
		answer(&e->qp, i, 0);
	}
	assert_int_equal(next, 100 + sizeof(buf) / 512);
	assert_int_equal(i, 11);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.result, 0);
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 0);
	env_free(e);
}

static void split_command_reports_the_first_failure_once(void **state)
{
	struct env *e = env_new(4, 4096);
	static uint8_t buf[4096 * 6];
	struct nvmx_sqe s;
	struct done d = { 0 };

	read_cmd(&s, 0, sizeof(buf) / 512);
	assert_int_equal(nvmx_qpair_submit_split(&e->qp, &s, buf, sizeof(buf), NVMX_DIR_FROM_CTRL, 9,
						 on_done, &d, 0), 0);
	assert_int_equal(fk.nsub, 3);		/* depth 4: 3 slots */
	answer(&e->qp, 1, 0x0281);		/* Unrecovered Read Error */
	answer(&e->qp, 0, 0);
	assert_int_equal(d.calls, 0);		/* piece 2 still out */
	answer(&e->qp, 2, 0x0006);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.result, 0x0281);	/* the first failure wins */
	assert_int_equal(fk.nsub, 3);		/* nothing more after a failure */
	env_free(e);
}

static void full_queue_waits_in_software_and_cids_are_unique(void **state)
{
	struct env *e = env_new(4, 0);
	struct done d[6];
	struct nvmx_sqe s;
	uint8_t buf[512];

	memset(d, 0, sizeof(d));
	read_cmd(&s, 0, 1);
	for (int i = 0; i < 6; i++)
		assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL,
						       on_done, &d[i], 0), 0);
	assert_int_equal(fk.nsub, 3);		/* depth - 1 in flight */
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 6);
	answer(&e->qp, 0, 0);
	assert_int_equal(fk.nsub, 4);		/* a queued one moved up */
	for (int i = 1; i < 6; i++)
		answer(&e->qp, i, 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(d[i].calls, 1);
	/* The pool is 2 x depth; the next one past it is -EAGAIN. */
	for (int i = 0; i < 8; i++)
		assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL,
						       NULL, NULL, 0), 0);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL, NULL,
					       NULL, 0), -EAGAIN);
	nvmx_qpair_shutdown(&e->qp);
	env_free(e);
}

static void unknown_or_repeated_completion_is_refused(void **state)
{
	struct env *e = env_new(4, 0);
	struct done d = { 0 };
	struct nvmx_sqe s;
	struct nvmx_cqe cqe;
	uint8_t buf[512];

	read_cmd(&s, 0, 1);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL, on_done,
					       &d, 0), 0);
	cqe_fill(&cqe, 77, 0, 0);
	assert_int_equal(nvmx_qpair_complete(&e->qp, &cqe), -ENOENT);
	answer(&e->qp, 0, 0);
	cqe_fill(&cqe, fk.sub[0]->cid, 0, 0);
	assert_int_equal(nvmx_qpair_complete(&e->qp, &cqe), -ENOENT);
	assert_int_equal(d.calls, 1);
	env_free(e);
}

static void failed_queue_completes_everything_once_and_refuses_more(void **state)
{
	struct env *e = env_new(4, 4096);
	struct done d[5];
	struct nvmx_sqe s;
	static uint8_t buf[8192 * 4];

	memset(d, 0, sizeof(d));
	read_cmd(&s, 0, 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL,
						       on_done, &d[i], 0), 0);
	read_cmd(&s, 0, 64);
	assert_int_equal(nvmx_qpair_submit_split(&e->qp, &s, buf, 32768, NVMX_DIR_FROM_CTRL, 9,
						 on_done, &d[4], 0), 0);
	nvmx_qpair_fail(&e->qp, -ECONNRESET, "test");
	for (int i = 0; i < 5; i++) {
		assert_int_equal(d[i].calls, 1);
		assert_int_equal(d[i].result, -ECONNRESET);
	}
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 0);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL, NULL, NULL,
					       0), -ENOTCONN);
	assert_int_equal(nvmx_qpair_process(&e->qp, 0), -ECONNRESET);
	env_free(e);
}

static void expired_deadline_is_reported_once(void **state)
{
	struct env *e = env_new(4, 0);
	struct done d = { 0 };
	struct nvmx_sqe s;
	uint8_t buf[512];

	read_cmd(&s, 0, 1);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_FROM_CTRL, on_done,
					       &d, 10), 0);
	nvmx_qpair_scan_timeouts(&e->qp, nvmx_now_ns());
	assert_int_equal(e->timeouts, 0);
	nvmx_qpair_scan_timeouts(&e->qp, nvmx_now_ns() + 20000000ull);
	nvmx_qpair_scan_timeouts(&e->qp, nvmx_now_ns() + 40000000ull);
	assert_int_equal(e->timeouts, 1);
	assert_int_equal(d.calls, 0);
	answer(&e->qp, 0, 0);
	assert_int_equal(d.calls, 1);
	env_free(e);
}

static void bad_data_arguments_are_refused(void **state)
{
	struct env *e = env_new(4, 0);
	struct nvmx_sqe s;
	uint8_t buf[512];

	read_cmd(&s, 0, 1);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, NULL, 512, NVMX_DIR_FROM_CTRL, NULL,
					       NULL, 0), -EINVAL);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 0, NVMX_DIR_FROM_CTRL, NULL,
					       NULL, 0), -EINVAL);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &s, buf, 512, NVMX_DIR_NONE, NULL,
					       NULL, 0), -EINVAL);
	assert_int_equal(fk.nsub, 0);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_command_covers_the_range_and_completes_once),
		cmocka_unit_test(split_command_reports_the_first_failure_once),
		cmocka_unit_test(full_queue_waits_in_software_and_cids_are_unique),
		cmocka_unit_test(unknown_or_repeated_completion_is_refused),
		cmocka_unit_test(failed_queue_completes_everything_once_and_refuses_more),
		cmocka_unit_test(expired_deadline_is_reported_once),
		cmocka_unit_test(bad_data_arguments_are_refused),
	};

	nvmx_log_set_level(NVMX_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
