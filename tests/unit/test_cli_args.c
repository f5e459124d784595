/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CLI's option parser (tools/nvmx/cli.c): nvme-cli's long and short
 * names, numbers in decimal and hex with range checks, --rae's optional
 * argument, options after the positional transport ID, the positional
 * count, unknown options and --help; and the status line's wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"

static const struct cli_cmd cmd = { "get-log", "test command", "<trid>", NULL };

struct vals {
	uint32_t nsid;
	uint16_t lid;
	uint8_t lsp;
	uint64_t lpo;
	bool rae, binary;
	const char *file;
	enum nvmx_out_fmt fmt;
};

static int parse(struct vals *v, const char **pos, int *npos, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &v->nsid, "nsid" },
		{ "log-id", 'i', OPT_U16, &v->lid, "lid" },
		{ "lsp", 's', OPT_U8, &v->lsp, "lsp" },
		{ "lpo", 0, OPT_U64, &v->lpo, "offset" },
		{ "rae", 'r', OPT_BOOL, &v->rae, "rae" },
		{ "raw-binary", 'b', OPT_FLAG, &v->binary, "raw" },
		{ "data", 'd', OPT_STR, &v->file, "file" },
		{ "output-format", 'o', OPT_FMT, &v->fmt, "fmt" },
		OPT_END,
	};

	memset(v, 0, sizeof(*v));
	v->rae = true;
	return cli_parse_n(&cmd, opts, argc, argv, pos, 1, 1, npos);
}

#define ARGV(...) (char *[]){ "get-log", __VA_ARGS__, NULL }
#define ARGC(...) ((int)(sizeof((char *[]){ "get-log", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(v, pos, np, ...) parse(v, pos, np, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void long_short_hex_and_options_after_the_trid(void **state)
{
	const char *pos[1];
	struct vals v;
	int np;

	assert_int_equal(PARSE(&v, pos, &np, "tcp://h/n", "-n", "0x10", "--log-id=2", "-s", "7",
			       "--lpo", "4096", "-b", "-d", "f.bin", "-o", "json"), CLI_OK);
	assert_int_equal(np, 1);
	assert_string_equal(pos[0], "tcp://h/n");
	assert_int_equal(v.nsid, 16);
	assert_int_equal(v.lid, 2);
	assert_int_equal(v.lsp, 7);
	assert_int_equal(v.lpo, 4096);
	assert_true(v.binary);
	assert_string_equal(v.file, "f.bin");
	assert_int_equal(v.fmt, NVMX_OUT_JSON);
	assert_true(v.rae);	/* default kept */
}

static void rae_flag_and_explicit_zero(void **state)
{
	const char *pos[1];
	struct vals v;
	int np;

	assert_int_equal(PARSE(&v, pos, &np, "t", "--rae"), CLI_OK);
	assert_true(v.rae);
	assert_int_equal(PARSE(&v, pos, &np, "t", "--rae=0"), CLI_OK);
	assert_false(v.rae);
	assert_int_equal(PARSE(&v, pos, &np, "t", "--rae=1"), CLI_OK);
	assert_true(v.rae);
	assert_int_equal(PARSE(&v, pos, &np, "t", "--rae=2"), CLI_USAGE);
}

static void numbers_out_of_range_or_malformed_are_usage_errors(void **state)
{
	const char *pos[1];
	struct vals v;
	int np;

	assert_int_equal(PARSE(&v, pos, &np, "t", "-s", "256"), CLI_USAGE);	/* u8 */
	assert_int_equal(PARSE(&v, pos, &np, "t", "-i", "65536"), CLI_USAGE);	/* u16 */
	assert_int_equal(PARSE(&v, pos, &np, "t", "-n", "0x100000000"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "-n", "-1"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "-n", "12abc"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "-n", ""), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "-o", "yaml"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "--lpo", "18446744073709551615"), CLI_OK);
	assert_true(v.lpo == UINT64_MAX);
}

static void positional_count_unknown_option_and_help(void **state)
{
	const char *pos[1];
	struct vals v;
	int np;
	FILE *saved = stdout;

	assert_int_equal(parse(&v, pos, &np, 1, (char *[]){ "get-log", NULL }), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "a", "b"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "--bogus"), CLI_USAGE);
	assert_int_equal(PARSE(&v, pos, &np, "t", "-n"), CLI_USAGE);	/* missing value */
	stdout = fopen("/dev/null", "w");
	assert_int_equal(PARSE(&v, pos, &np, "t", "--help"), CLI_HELP);
	assert_int_equal(PARSE(&v, pos, &np, "-h"), CLI_HELP);
	fclose(stdout);
	stdout = saved;
}

static void status_line_names_type_code_and_flags(void **state)
{
	char buf[160];

	/* 15-bit status as the library returns it: SC 7:0, SCT 10:8, M 13, DNR 14 */
	cli_status_str(0x4080, buf, sizeof(buf));
	assert_string_equal(buf, "LBA Out of Range (SCT 0x0 Generic Command Status, SC 0x80) DNR");
	cli_status_str((2 << 8) | 0x85 | (1 << 13), buf, sizeof(buf));
	assert_string_equal(buf, "Compare Failure (SCT 0x2 Media and Data Integrity Errors, SC 0x85) More");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_short_hex_and_options_after_the_trid),
		cmocka_unit_test(rae_flag_and_explicit_zero),
		cmocka_unit_test(numbers_out_of_range_or_malformed_are_usage_errors),
		cmocka_unit_test(positional_count_unknown_option_and_help),
		cmocka_unit_test(status_line_names_type_code_and_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
