/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Get Log Page splitting (lib/host/logpage.c), checked on the SQEs it hands
 * to nvmx_admin_sync (stubbed; SPDK's pattern: include the .c under test):
 * pieces at the transfer limit with the right NUMD and offsets, LSP
 * carried, RAE kept on every piece and cleared only on the last when asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../lib/host/logpage.c"

#include "admin_sync_stub.h"

static struct nvmx_ctrl ctrl;

static uint32_t cdw(const struct nvmx_sqe *s, int n)
{
	return nvmx_get_le32((const uint8_t *)s + 40 + 4 * (n - 10));	/* CDW10 at byte 40 */
}

static void get_log_keeps_rae_and_splits_at_the_transfer_limit(void **state)
{
	static uint8_t buf[10000];
	unsigned i;

	ctrl.max_xfer = 4096;
	nsqe = 0;
	assert_int_equal(nvmx_get_log_ext_sync(&ctrl, NVMX_LID_SMART, 0xffffffff, 0, true, 8, buf, 10000), 0);
	assert_int_equal(nsqe, 3);
	for (i = 0; i < 3; i++) {
		uint32_t numd = cdw(&sqes[i], 10) >> 16 | (cdw(&sqes[i], 11) & 0xffff) << 16;
		uint64_t off = cdw(&sqes[i], 12) | (uint64_t)cdw(&sqes[i], 13) << 32;

		assert_int_equal(sqes[i].opc, NVMX_ADM_GET_LOG_PAGE);
		assert_int_equal(nvmx_le32_to_cpu(sqes[i].nsid), 0xffffffff);
		assert_int_equal(cdw(&sqes[i], 10) & 0xff, NVMX_LID_SMART);
		assert_true(cdw(&sqes[i], 10) & (1u << 15));		/* RAE */
		assert_int_equal((numd + 1) * 4, lens[i]);		/* 0's based dwords */
		assert_int_equal(off, 8 + i * 4096ull);
	}
	assert_int_equal(lens[0] + lens[1] + lens[2], 10000);
	assert_int_equal(buf[9999], 0xab);
}

static void get_log_clears_rae_only_on_the_last_piece_when_asked(void **state)
{
	static uint8_t buf[8192];

	ctrl.max_xfer = 4096;
	nsqe = 0;
	assert_int_equal(nvmx_get_log_ext_sync(&ctrl, NVMX_LID_ERROR, 0, 0x7f, false, 0, buf, 8192), 0);
	assert_int_equal(nsqe, 2);
	assert_true(cdw(&sqes[0], 10) & (1u << 15));
	assert_false(cdw(&sqes[1], 10) & (1u << 15));
	assert_int_equal((cdw(&sqes[0], 10) >> 8) & 0x7f, 0x7f);	/* LSP */
}

static void get_log_refuses_unaligned_lengths(void **state)
{
	static uint8_t buf[16];

	nsqe = 0;
	assert_int_equal(nvmx_get_log_ext_sync(&ctrl, 2, 0, 0, true, 0, buf, 6), -EINVAL);
	assert_int_equal(nvmx_get_log_ext_sync(&ctrl, 2, 0, 0, true, 2, buf, 8), -EINVAL);
	assert_int_equal(nvmx_get_log_ext_sync(&ctrl, 2, 0, 0, true, 0, buf, 0), -EINVAL);
	assert_int_equal(nsqe, 0);
}

static void the_sync_wrappers_keep_rae_and_the_aer_owner_clears_it_last(void **state)
{
	static uint8_t buf[6000];

	ctrl.max_xfer = 4096;
	nsqe = 0;
	assert_int_equal(nvmx_get_log_sync(&ctrl, NVMX_LID_SMART, 0xffffffff, 0, buf, 512), 0);
	assert_true(cdw(&sqes[0], 10) & (1u << 15));
	nsqe = 0;
	assert_int_equal(nvmx_get_log_rae(&ctrl, NVMX_LID_CHANGED_NS, 0, 0, buf, 6000, false), 0);
	assert_int_equal(nsqe, 2);
	assert_true(cdw(&sqes[0], 10) & (1u << 15));
	assert_false(cdw(&sqes[1], 10) & (1u << 15));
	assert_int_equal((cdw(&sqes[1], 10) >> 8) & 0x7f, 0);	/* no LSP */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_log_keeps_rae_and_splits_at_the_transfer_limit),
		cmocka_unit_test(get_log_clears_rae_only_on_the_last_piece_when_asked),
		cmocka_unit_test(get_log_refuses_unaligned_lengths),
		cmocka_unit_test(the_sync_wrappers_keep_rae_and_the_aer_owner_clears_it_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
