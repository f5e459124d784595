/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nvmx/le.h"
#include "util/crc32c.h"
#include "util/log.h"

/* RFC 3720 B.4 and the common check value of CRC-32C. */
static void crc32c_matches_known_vectors(void **state)
{
	uint8_t zeros[32] = { 0 }, ones[32], inc[32];

	for (int i = 0; i < 32; i++) {
		ones[i] = 0xff;
		inc[i] = (uint8_t)i;
	}
	assert_int_equal(nvmx_crc32c("123456789", 9), 0xe3069283u);
	assert_int_equal(nvmx_crc32c(zeros, 32), 0x8a9136aau);
	assert_int_equal(nvmx_crc32c(ones, 32), 0x62a8ab43u);
	assert_int_equal(nvmx_crc32c(inc, 32), 0x46dd794eu);
}

static void crc32c_is_the_same_in_pieces(void **state)
{
	uint8_t buf[1000];
	uint32_t crc = NVMX_CRC32C_INIT;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (size_t off = 0; off < sizeof(buf); off += 37) {
		size_t n = sizeof(buf) - off < 37 ? sizeof(buf) - off : 37;

		crc = nvmx_crc32c_update(crc, buf + off, n);
	}
	assert_int_equal(nvmx_crc32c_final(crc), nvmx_crc32c(buf, sizeof(buf)));
}

static void le_accessors_are_little_endian_at_any_alignment(void **state)
{
	uint8_t b[16] = { 0 };

	nvmx_put_le32(b + 1, 0x11223344u);
	assert_int_equal(b[1], 0x44);
	assert_int_equal(b[4], 0x11);
	assert_int_equal(nvmx_get_le32(b + 1), 0x11223344u);
	nvmx_put_le64(b + 3, 0x0102030405060708ull);
	assert_int_equal(b[3], 0x08);
	assert_int_equal(b[10], 0x01);
	assert_true(nvmx_get_le64(b + 3) == 0x0102030405060708ull);
	nvmx_put_le16(b + 14, 0xabcd);
	assert_int_equal(b[14], 0xcd);
	assert_int_equal(nvmx_get_le16(b + 14), 0xabcd);
}

static void log_levels_parse_by_name_and_number(void **state)
{
	assert_int_equal(nvmx_log_parse_level("debug"), NVMX_LOG_DEBUG);
	assert_int_equal(nvmx_log_parse_level("WARN"), NVMX_LOG_WARN);
	assert_int_equal(nvmx_log_parse_level("0"), NVMX_LOG_ERR);
	assert_int_equal(nvmx_log_parse_level("off"), NVMX_LOG_OFF);
	assert_true(nvmx_log_parse_level("loud") < NVMX_LOG_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_matches_known_vectors),
		cmocka_unit_test(crc32c_is_the_same_in_pieces),
		cmocka_unit_test(le_accessors_are_little_endian_at_any_alignment),
		cmocka_unit_test(log_levels_parse_by_name_and_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
