/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Regression tests for what the fuzz harnesses (tests/fuzz/) found, one
 * test per finding, named after what it proves; the crashing input is
 * reproduced here in the smallest form that still fails without the fix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvmx/nvmx.h"

/* fuzz_trid: "trsvcid:0402" in SPDK's form kept the leading zero while
 * tcp://HOST:0402 stored "402", so one address printed two ways. */
static void trid_port_is_canonical_in_both_forms(void **state)
{
	struct nvmx_trid a, b;
	char s1[512], s2[512];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(nvmx_trid_parse(&a, "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:0402 "
					 "subnqn:nqn.a", NULL, 0), 0);
	assert_int_equal(nvmx_trid_parse(&b, "tcp://127.0.0.1:0402/nqn.a", NULL, 0), 0);
	assert_string_equal(a.trsvcid, "402");
	assert_string_equal(b.trsvcid, "402");
	assert_true(nvmx_trid_format(&a, s1, sizeof(s1)) > 0);
	memset(&b, 0, sizeof(b));
	assert_int_equal(nvmx_trid_parse(&b, s1, NULL, 0), 0);
	assert_true(nvmx_trid_format(&b, s2, sizeof(s2)) > 0);
	assert_string_equal(s1, s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trid_port_is_canonical_in_both_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
