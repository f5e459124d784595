/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Latency histogram for nvmx-perf: log-linear buckets (HdrHistogram's
 * layout, as SPDK's histogram): values below 2^(B+1) each have their own
 * bucket; above, every power of two is split into 2^B equal buckets.  The
 * memory is constant (NVMX_HIST_BUCKETS counters) whatever the values, an
 * insertion is a count-leading-zeros and an increment, and a reported
 * percentile is within NVMX_HIST_REL_ERR of the true sample quantile:
 * a bucket [lo, lo + w) with w = 2^shift has lo >= 2^B * w, and the value
 * reported is its midpoint, off by at most w/2 <= v / 2^(B+1).
 * Values are nanoseconds, but nothing here depends on the unit.
 */
#ifndef NVMX_PERF_HIST_H
#define NVMX_PERF_HIST_H

#include <stdint.h>

#define NVMX_HIST_SUB_BITS 7					/* B */
#define NVMX_HIST_SUB      (1u << NVMX_HIST_SUB_BITS)
#define NVMX_HIST_BUCKETS  ((65u - NVMX_HIST_SUB_BITS) * NVMX_HIST_SUB)
#define NVMX_HIST_REL_ERR  (1.0 / (double)(2u << NVMX_HIST_SUB_BITS))	/* 1/256 */

struct nvmx_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t bucket[NVMX_HIST_BUCKETS];
};

static inline unsigned nvmx_hist_index(uint64_t v)
{
	unsigned msb, shift;

	if (v < 2u * NVMX_HIST_SUB)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	shift = msb - NVMX_HIST_SUB_BITS;
	return (shift + 1u) * NVMX_HIST_SUB + (unsigned)(v >> shift) - NVMX_HIST_SUB;
}

/* Lowest value and width of bucket idx. */
void nvmx_hist_bucket_range(unsigned idx, uint64_t *lo, uint64_t *width);

static inline void nvmx_hist_add(struct nvmx_hist *h, uint64_t v)
{
	h->bucket[nvmx_hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void nvmx_hist_init(struct nvmx_hist *h);
void nvmx_hist_merge(struct nvmx_hist *dst, const struct nvmx_hist *src);
/*
 * The p-th percentile (0 < p <= 100): the value of the sample of rank
 * ceil(p/100 * count), to within NVMX_HIST_REL_ERR, clamped to [min, max].
 * 0 when the histogram is empty.
 */
uint64_t nvmx_hist_percentile(const struct nvmx_hist *h, double p);
double nvmx_hist_mean(const struct nvmx_hist *h);

/* Walk the non-empty buckets in increasing order (for -L output):
 * returns the next non-empty bucket index >= from, or -1. */
int nvmx_hist_next(const struct nvmx_hist *h, unsigned from);

#endif /* NVMX_PERF_HIST_H */
