/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Regression tests for what the fuzz harnesses (tests/fuzz/), the valgrind
 * runs and the fault matrix (tests/faults/) found, one test per finding,
 * named after what it proves; each reproduces the finding in the smallest
 * form that still fails without the fix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvmx/nvmx.h"
#include "target/bdev.h"

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

/* valgrind (and ulimit -v) refused the RAM backend's 64 GiB growth
 * reservation, so nvmxd --ram failed to start: it must fall back to the
 * size asked for.  Run in a child with RLIMIT_AS at 4 GiB; not under ASan,
 * whose shadow memory needs far more address space than that. */
#if defined(__SANITIZE_ADDRESS__)
#define NVMX_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NVMX_UNDER_ASAN 1
#endif
#endif

static void __attribute__((unused)) ram_backend_opens_with_limited_address_space(void **state)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4ull << 30, 4ull << 30 };
		struct nvmx_bdev *b;

		if (setrlimit(RLIMIT_AS, &rl) || nvmx_bdev_open_ram(64 << 20, 512, &b))
			_exit(1);
		/* It holds data, and still has room to grow (half the
		 * address space left is plenty for 64 MiB -> 1 GiB). */
		memset(b->ops->map(b, (64 << 20) - 512, 512), 0x5a, 512);
		if (((uint8_t *)b->ops->map(b, (64 << 20) - 1, 1))[0] != 0x5a)
			_exit(2);
		if (b->ops->resize(b, 1 << 30))
			_exit(3);
		b->ops->close(b);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trid_port_is_canonical_in_both_forms),
#ifndef NVMX_UNDER_ASAN	/* cmocka's TAP prints skips as "not ok" */
		cmocka_unit_test(ram_backend_opens_with_limited_address_space),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
