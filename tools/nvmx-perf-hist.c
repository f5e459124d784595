/* SPDX-License-Identifier: BSD-2-Clause */
/* Log-linear latency histogram (see nvmx-perf-hist.h for the error bound). */
#include <math.h>
#include <string.h>

#include "nvmx-perf-hist.h"

void nvmx_hist_init(struct nvmx_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void nvmx_hist_bucket_range(unsigned idx, uint64_t *lo, uint64_t *width)
{
	unsigned shift;

	if (idx < 2u * NVMX_HIST_SUB) {
		*lo = idx;
		*width = 1;
		return;
	}
	shift = idx / NVMX_HIST_SUB - 1u;
	*lo = (uint64_t)(idx % NVMX_HIST_SUB + NVMX_HIST_SUB) << shift;
	*width = 1ull << shift;
}

void nvmx_hist_merge(struct nvmx_hist *dst, const struct nvmx_hist *src)
{
	unsigned i;

	if (!src->count)
		return;
	for (i = 0; i < NVMX_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t nvmx_hist_percentile(const struct nvmx_hist *h, double p)
{
	uint64_t rank, seen = 0, lo, w, v;
	unsigned i;

	if (!h->count)
		return 0;
	if (p >= 100.0)
		return h->max;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < NVMX_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	nvmx_hist_bucket_range(i, &lo, &w);
	v = lo + (w - 1) / 2;	/* midpoint: error at most w/2 */
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double nvmx_hist_mean(const struct nvmx_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

int nvmx_hist_next(const struct nvmx_hist *h, unsigned from)
{
	unsigned i;

	for (i = from; i < NVMX_HIST_BUCKETS; i++)
		if (h->bucket[i])
			return (int)i;
	return -1;
}
