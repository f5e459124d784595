/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx-perf's measurement core: the histogram's percentiles against exact
 * quantiles of known distributions (uniform, exponential, a point mass),
 * within the stated relative error; merging; constant memory.  The
 * --verify stamps: written blocks check clean, every kind of corruption
 * (byte flip, torn block, wrong LBA, stale generation, another run) is
 * caught, and the busy map keeps reads and writes apart.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nvmx-perf-hist.h"
#include "nvmx-perf-verify.h"

static const double pcts[] = { 1, 10, 50, 90, 99, 99.9, 99.99, 100 };

/* Exact quantile of sorted samples: the value of rank ceil(p/100 * n). */
static uint64_t exact_q(const uint64_t *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static void check_against_exact(const uint64_t *v, size_t n)
{
	struct nvmx_hist *h = malloc(sizeof(*h));
	double sum = 0;
	size_t i, k;

	assert_non_null(h);
	nvmx_hist_init(h);
	for (i = 0; i < n; i++) {
		nvmx_hist_add(h, v[i]);
		sum += (double)v[i];
	}
	assert_int_equal(h->count, n);
	assert_int_equal(h->min, v[0]);
	assert_int_equal(h->max, v[n - 1]);
	assert_true(fabs(nvmx_hist_mean(h) - sum / (double)n) < 1e-6 * sum / (double)n + 1);
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		double want = (double)exact_q(v, n, pcts[k]);
		double got = (double)nvmx_hist_percentile(h, pcts[k]);

		if (fabs(got - want) > NVMX_HIST_REL_ERR * want + 0.5)
			fail_msg("p%g: got %.0f want %.0f (bound %.4f)", pcts[k], got, want,
				 NVMX_HIST_REL_ERR);
	}
	free(h);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void percentiles_of_uniform_within_bound(void **state)
{
	size_t n = 1000000, i;
	uint64_t *v = malloc(n * sizeof(*v));

	assert_non_null(v);
	for (i = 0; i < n; i++)	/* uniform on [1 us, 2 ms] */
		v[i] = 1000 + (uint64_t)((double)i * (1999000.0 / (double)n));
	check_against_exact(v, n);
	free(v);
}

static void percentiles_of_exponential_within_bound(void **state)
{
	size_t n = 1000000, i;
	uint64_t *v = malloc(n * sizeof(*v));
	double mean = 80000.0;	/* 80 us */

	assert_non_null(v);
	/* inverse CDF at evenly spaced probabilities: sorted by construction */
	for (i = 0; i < n; i++)
		v[i] = (uint64_t)(-mean * log(1.0 - ((double)i + 0.5) / (double)n)) + 1;
	check_against_exact(v, n);
	free(v);
}

static void percentiles_of_shuffled_random_samples(void **state)
{
	size_t n = 200000, i;
	uint64_t *v = malloc(n * sizeof(*v));
	uint64_t x = 88172645463325252ull;

	assert_non_null(v);
	for (i = 0; i < n; i++) {	/* xorshift: spans ns to seconds */
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		v[i] = x >> (34 + x % 30);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	check_against_exact(v, n);
	free(v);
}

static void small_values_are_exact_and_extremes_fit(void **state)
{
	struct nvmx_hist *h = malloc(sizeof(*h));
	uint64_t lo, w;
	unsigned i;

	assert_non_null(h);
	nvmx_hist_init(h);
	assert_int_equal(nvmx_hist_percentile(h, 50), 0);	/* empty */
	for (i = 0; i < 2 * NVMX_HIST_SUB; i++)
		assert_int_equal(nvmx_hist_index(i), i);
	/* every bucket's range maps back to it, and the last one holds 2^64-1 */
	for (i = 0; i < NVMX_HIST_BUCKETS; i++) {
		nvmx_hist_bucket_range(i, &lo, &w);
		assert_int_equal(nvmx_hist_index(lo), i);
		assert_int_equal(nvmx_hist_index(lo + w - 1), i);
	}
	assert_int_equal(nvmx_hist_index(UINT64_MAX), NVMX_HIST_BUCKETS - 1);
	nvmx_hist_add(h, 7);
	nvmx_hist_add(h, 7);
	assert_int_equal(nvmx_hist_percentile(h, 50), 7);
	assert_int_equal(nvmx_hist_percentile(h, 99.99), 7);
	nvmx_hist_add(h, UINT64_MAX / 2);
	assert_int_equal(nvmx_hist_percentile(h, 100), UINT64_MAX / 2);
	free(h);
}

static void merge_equals_one_histogram(void **state)
{
	struct nvmx_hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)), *all = malloc(sizeof(*all));
	unsigned i;

	assert_true(a && b && all);
	nvmx_hist_init(a);
	nvmx_hist_init(b);
	nvmx_hist_init(all);
	for (i = 1; i <= 100000; i++) {
		uint64_t v = (uint64_t)i * 37 % 500000 + 10;

		nvmx_hist_add(i % 3 ? a : b, v);
		nvmx_hist_add(all, v);
	}
	nvmx_hist_merge(a, b);
	assert_int_equal(a->count, all->count);
	assert_int_equal(a->sum, all->sum);
	assert_int_equal(a->min, all->min);
	assert_int_equal(a->max, all->max);
	assert_memory_equal(a->bucket, all->bucket, sizeof(a->bucket));
	assert_int_equal(nvmx_hist_next(a, 0), nvmx_hist_index(all->min));
	free(a);
	free(b);
	free(all);
}

/* ---------------- --verify stamps ---------------- */

#define BS 512u
#define NB 64u

struct vfx {
	uint32_t state[NB];
	struct nvmx_verify_map m;
	uint8_t buf[8 * BS];
};

static void vfx_init(struct vfx *f)
{
	memset(f, 0, sizeof(*f));
	f->m.base = 1000;
	f->m.nblocks = NB;
	f->m.run_id = 0x1234;
	f->m.state = f->state;
}

static void write_blocks(struct vfx *f, uint64_t slba, uint32_t nlb, void *media)
{
	assert_int_equal(nvmx_verify_begin_write(&f->m, slba, nlb), 0);
	nvmx_verify_stamp(&f->m, f->buf, BS, slba, nlb);
	memcpy((uint8_t *)media + (slba - f->m.base) * BS, f->buf, (size_t)nlb * BS);
	nvmx_verify_end(&f->m, slba, nlb);
}

static unsigned read_check(struct vfx *f, const void *media, uint64_t slba, uint32_t nlb,
			   struct nvmx_verify_err *e)
{
	unsigned bad;

	assert_int_equal(nvmx_verify_begin_read(&f->m, slba, nlb), 0);
	memcpy(f->buf, (const uint8_t *)media + (slba - f->m.base) * BS, (size_t)nlb * BS);
	bad = nvmx_verify_check(&f->m, f->buf, BS, slba, nlb, e);
	nvmx_verify_end(&f->m, slba, nlb);
	return bad;
}

static void verify_written_blocks_check_clean(void **state)
{
	static uint8_t media[NB * BS];
	struct vfx f;

	vfx_init(&f);
	memset(media, 0, sizeof(media));
	write_blocks(&f, 1000, 8, media);
	write_blocks(&f, 1004, 8, media);	/* overlap: generation 2 for 1004..1007 */
	assert_int_equal(f.state[4], 2);
	assert_int_equal(f.state[0], 1);
	assert_int_equal(read_check(&f, media, 1000, 8, NULL), 0);
	assert_int_equal(read_check(&f, media, 1008, 4, NULL), 0);
	/* never-written blocks are not checked, whatever they hold */
	assert_int_equal(read_check(&f, media, 1020, 8, NULL), 0);
}

static void verify_catches_each_corruption(void **state)
{
	static uint8_t media[NB * BS];
	struct nvmx_verify_err e;
	struct vfx f;

	vfx_init(&f);
	write_blocks(&f, 1000, 8, media);

	media[3 * BS + 20] ^= 1;	/* byte flip in block 1003's head stamp */
	assert_int_equal(read_check(&f, media, 1000, 8, &e), 1);
	assert_int_equal(e.lba, 1003);
	assert_string_equal(e.why, "no valid stamp");
	media[3 * BS + 20] ^= 1;

	media[5 * BS + BS - 8] ^= 0x80;	/* torn: tail stamp of 1005 differs */
	assert_int_equal(read_check(&f, media, 1000, 8, &e), 1);
	assert_int_equal(e.lba, 1005);
	media[5 * BS + BS - 8] ^= 0x80;

	memcpy(media + 6 * BS, media + 2 * BS, BS);	/* block 1002's data at 1006 */
	assert_int_equal(read_check(&f, media, 1006, 1, &e), 1);
	assert_string_equal(e.why, "stamp of another LBA");
	assert_int_equal(e.got_lba, 1002);

	write_blocks(&f, 1000, 2, media);	/* gen 2 ... */
	memset(f.buf, 0, BS);
	assert_int_equal(nvmx_verify_begin_write(&f.m, 1000, 1), 0);	/* ... gen 3 lost */
	nvmx_verify_end(&f.m, 1000, 1);
	assert_int_equal(read_check(&f, media, 1000, 2, &e), 1);
	assert_string_equal(e.why, "stale or future generation");
	assert_int_equal(e.want_gen, 3);
	assert_int_equal(e.got_gen, 2);

	f.m.run_id = 0x9999;	/* data from an earlier run never passes */
	assert_int_equal(read_check(&f, media, 1001, 1, &e), 1);
	assert_string_equal(e.why, "no valid stamp");
}

static void verify_busy_map_keeps_commands_apart(void **state)
{
	struct vfx f;

	vfx_init(&f);
	assert_int_equal(nvmx_verify_begin_write(&f.m, 1000, 4), 0);
	assert_int_equal(nvmx_verify_begin_read(&f.m, 1003, 2), -EBUSY);
	assert_int_equal(nvmx_verify_begin_write(&f.m, 1002, 1), -EBUSY);
	assert_int_equal(nvmx_verify_begin_read(&f.m, 1004, 2), 0);
	nvmx_verify_end(&f.m, 1000, 4);
	assert_int_equal(nvmx_verify_begin_read(&f.m, 1003, 1), 0);
	nvmx_verify_end(&f.m, 1003, 1);
	/* outside the region */
	assert_int_equal(nvmx_verify_begin_read(&f.m, 999, 1), -ERANGE);
	assert_int_equal(nvmx_verify_begin_write(&f.m, 1000 + NB - 1, 2), -ERANGE);
	assert_int_equal(nvmx_verify_begin_write(&f.m, UINT64_MAX, 2), -ERANGE);
	/* a failed write: its blocks are no longer checked */
	assert_int_equal(nvmx_verify_begin_write(&f.m, 1010, 2), 0);
	nvmx_verify_forget(&f.m, 1010, 2);
	assert_int_equal(f.state[10], NVMX_VERIFY_BUSY);
	nvmx_verify_end(&f.m, 1010, 2);
	assert_int_equal(f.state[10], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percentiles_of_uniform_within_bound),
		cmocka_unit_test(percentiles_of_exponential_within_bound),
		cmocka_unit_test(percentiles_of_shuffled_random_samples),
		cmocka_unit_test(small_values_are_exact_and_extremes_fit),
		cmocka_unit_test(merge_equals_one_histogram),
		cmocka_unit_test(verify_written_blocks_check_clean),
		cmocka_unit_test(verify_catches_each_corruption),
		cmocka_unit_test(verify_busy_map_keeps_commands_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
