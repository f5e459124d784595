/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events and recovery pieces of the host core without a controller: the
 * SMART/health decoding (kelvin and Celsius, 128-bit counters saturated,
 * sensors), the critical-warning names, the recovery path through the
 * state table, and a queue pair parked by a reset over a fake transport
 * (nothing completes while parked, the parked commands go out first on
 * resume, each completes exactly once, the retry limit ends a command with
 * an error, a command aborted after its deadline is resubmitted unless DNR).
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

/* ---- health ---- */

static void smart_log_decodes_to_health(void **state)
{
	struct nvmx_smart_log log;
	struct nvmx_health h;

	memset(&log, 0, sizeof(log));
	log.critical_warning = NVMX_CW_SPARE | NVMX_CW_READ_ONLY;
	nvmx_put_le16(log.temperature, 310);
	log.avail_spare = 7;
	log.spare_thresh = 10;
	log.percent_used = 120;
	nvmx_put_le64(log.power_on_hours, 12345);
	nvmx_put_le64(log.unsafe_shutdowns, 3);
	nvmx_put_le64(log.media_errors, 9);
	log.data_units_read[8] = 1;		/* beyond 64 bits: saturates */
	nvmx_put_le64(log.data_units_written, 77);
	log.temp_sensor[0] = nvmx_cpu_to_le16(300);
	log.temp_sensor[7] = nvmx_cpu_to_le16(250);
	nvmx_health_decode(&log, &h);
	assert_int_equal(h.critical_warning, NVMX_CW_SPARE | NVMX_CW_READ_ONLY);
	assert_int_equal(h.temperature_k, 310);
	assert_int_equal(h.temperature_c, 37);
	assert_int_equal(h.available_spare, 7);
	assert_int_equal(h.spare_threshold, 10);
	assert_int_equal(h.percentage_used, 120);
	assert_int_equal(h.power_on_hours, 12345);
	assert_int_equal(h.unsafe_shutdowns, 3);
	assert_int_equal(h.media_errors, 9);
	assert_true(h.data_units_read == UINT64_MAX);
	assert_int_equal(h.data_units_written, 77);
	assert_int_equal(h.sensor_k[0], 300);
	assert_int_equal(h.sensor_k[1], 0);
	assert_int_equal(h.sensor_k[7], 250);
	nvmx_put_le16(log.temperature, 250);	/* below freezing */
	nvmx_health_decode(&log, &h);
	assert_int_equal(h.temperature_c, -23);
}

static void critical_warning_bits_are_named(void **state)
{
	char buf[128];

	assert_string_equal(nvmx_cw_bit_name(0), "available_spare");
	assert_string_equal(nvmx_cw_bit_name(1), "temperature");
	assert_string_equal(nvmx_cw_bit_name(2), "reliability");
	assert_string_equal(nvmx_cw_bit_name(3), "read_only");
	assert_string_equal(nvmx_cw_bit_name(4), "volatile_backup");
	assert_string_equal(nvmx_cw_bit_name(5), "pmr_read_only");
	assert_string_equal(nvmx_cw_bit_name(9), "unknown");
	assert_int_equal(nvmx_cw_str(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	nvmx_cw_str(NVMX_CW_SPARE | NVMX_CW_RELIABILITY | NVMX_CW_PMR_READ_ONLY, buf, sizeof(buf));
	assert_string_equal(buf, "available_spare,reliability,pmr_read_only");
	assert_int_equal(nvmx_cw_str(0x3f, buf, 10), -ENOSPC);
}

static void state_table_allows_the_recovery_path_only(void **state)
{
	assert_true(nvmx_ctrl_state_allowed(NVMX_CTRL_LIVE, NVMX_CTRL_RESETTING));
	assert_true(nvmx_ctrl_state_allowed(NVMX_CTRL_RESETTING, NVMX_CTRL_CONNECTING));
	assert_true(nvmx_ctrl_state_allowed(NVMX_CTRL_CONNECTING, NVMX_CTRL_LIVE));
	assert_true(nvmx_ctrl_state_allowed(NVMX_CTRL_CONNECTING, NVMX_CTRL_DEAD));
	assert_true(nvmx_ctrl_state_allowed(NVMX_CTRL_CONNECTING, NVMX_CTRL_DELETING));
	/* A second failure while resetting or reconnecting starts nothing new. */
	assert_false(nvmx_ctrl_state_allowed(NVMX_CTRL_RESETTING, NVMX_CTRL_RESETTING));
	assert_false(nvmx_ctrl_state_allowed(NVMX_CTRL_CONNECTING, NVMX_CTRL_RESETTING));
	assert_false(nvmx_ctrl_state_allowed(NVMX_CTRL_DEAD, NVMX_CTRL_CONNECTING));
	assert_false(nvmx_ctrl_state_allowed(NVMX_CTRL_DEAD, NVMX_CTRL_LIVE));
}

/* ---- queue pair parked by a reset, over a fake transport ---- */

struct fake {
	struct nvmx_req *sub[64];
	int nsub;
};

static struct fake fk;

static int fake_submit(struct nvmx_qpair *qp, struct nvmx_req *r)
{
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

struct done {
	int calls;
	int result;
};

static void on_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct done *d = arg;

	d->calls++;
	d->result = nvmx_cpl_result(cqe, err);
}

struct env {
	struct nvmx_ctrl ctrl;
	struct nvmx_qpair qp;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));

	memset(&fk, 0, sizeof(fk));
	strcpy(e->ctrl.name, "unit");
	e->ctrl.ops = &fake_ops;
	e->ctrl.opts.max_retries = 2;
	pthread_mutex_init(&e->ctrl.state_lock, NULL);
	atomic_init(&e->ctrl.state, NVMX_CTRL_LIVE);
	assert_int_equal(nvmx_qpair_init(&e->qp, &e->ctrl, 1, 8, 1000), 0);
	e->qp.tq = e;
	return e;
}

static void env_free(struct env *e)
{
	nvmx_qpair_fini(&e->qp);
	pthread_mutex_destroy(&e->ctrl.state_lock);
	free(e);
}

static void submit(struct env *e, uint32_t nsid, struct done *d)
{
	struct nvmx_sqe sqe;

	sqe_init(&sqe, NVMX_NVM_FLUSH, nsid);
	assert_int_equal(nvmx_qpair_submit_cmd(&e->qp, &sqe, NULL, 0, NVMX_DIR_NONE, on_done, d, 0), 0);
}

static void answer(struct env *e, int i, uint16_t st)
{
	struct nvmx_cqe cqe;

	cqe_fill(&cqe, fk.sub[i]->cid, st, 0);
	assert_int_equal(nvmx_qpair_complete(&e->qp, &cqe), 0);
}

static void parked_commands_go_first_on_resume_and_complete_once(void **state)
{
	struct env *e = env_new();
	struct done d[4] = { 0 };

	submit(e, 1, &d[0]);
	submit(e, 2, &d[1]);
	assert_int_equal(fk.nsub, 2);
	nvmx_qpair_park(&e->qp, -ECONNRESET);
	assert_true(e->qp.recovering);
	assert_false(nvmx_qpair_failed(&e->qp));
	assert_int_equal(d[0].calls + d[1].calls, 0);	/* nothing failed to the caller */
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 2);
	/* Submitted while the controller is away: waits, is not sent. */
	submit(e, 3, &d[2]);
	assert_int_equal(fk.nsub, 2);
	assert_int_equal(nvmx_qpair_process(&e->qp, 0), 0);
	fk.nsub = 0;
	nvmx_qpair_resume(&e->qp);
	assert_int_equal(fk.nsub, 3);
	assert_int_equal(sqe_nsid(&fk.sub[0]->sqe), 1);
	assert_int_equal(sqe_nsid(&fk.sub[1]->sqe), 2);
	assert_int_equal(sqe_nsid(&fk.sub[2]->sqe), 3);
	for (int i = 0; i < 3; i++)
		answer(e, i, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(d[i].calls, 1);
		assert_int_equal(d[i].result, 0);
	}
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 0);
	env_free(e);
}

static void retry_limit_ends_a_command_with_an_error(void **state)
{
	struct env *e = env_new();
	struct done d = { 0 };

	submit(e, 1, &d);
	for (int i = 0; i < 2; i++) {		/* max_retries = 2 */
		nvmx_qpair_park(&e->qp, -ECONNRESET);
		assert_int_equal(d.calls, 0);
		nvmx_qpair_resume(&e->qp);
	}
	nvmx_qpair_park(&e->qp, -ECONNRESET);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.result, -ECONNRESET);
	nvmx_qpair_resume(&e->qp);
	assert_int_equal(nvmx_qpair_outstanding(&e->qp), 0);
	env_free(e);
}

static void aborted_command_is_resubmitted_unless_dnr(void **state)
{
	struct env *e = env_new();
	struct done d[2] = { 0 };
	const uint16_t abort_req = NVMX_SC_ABORT_REQ;

	submit(e, 1, &d[0]);
	submit(e, 2, &d[1]);
	fk.sub[0]->abort_sent = true;
	fk.sub[1]->abort_sent = true;
	answer(e, 0, abort_req);			/* Command Abort Requested */
	assert_int_equal(d[0].calls, 0);		/* went out again */
	assert_int_equal(fk.nsub, 3);
	assert_int_equal(sqe_nsid(&fk.sub[2]->sqe), 1);
	answer(e, 1, abort_req | NVMX_ST_DNR);		/* DNR: the caller sees it */
	assert_int_equal(d[1].calls, 1);
	assert_int_equal(d[1].result, abort_req | NVMX_ST_DNR);
	answer(e, 2, 0);
	assert_int_equal(d[0].calls, 1);
	assert_int_equal(d[0].result, 0);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(smart_log_decodes_to_health),
		cmocka_unit_test(critical_warning_bits_are_named),
		cmocka_unit_test(state_table_allows_the_recovery_path_only),
		cmocka_unit_test(parked_commands_go_first_on_resume_and_complete_once),
		cmocka_unit_test(retry_limit_ends_a_command_with_an_error),
		cmocka_unit_test(aborted_command_is_resubmitted_unless_dnr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
