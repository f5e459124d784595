/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Page-granular allocator over DMA-mapped regions.  Not on the I/O path
 * except nvmx_dma_iova() (lock-free: regions are only ever appended, and
 * published with a release store of nr_regions) and the single-owner arena
 * used for bounce buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "transport/pcie_dma.h"
#include "util/log.h"

static int identity_map(void *arg, void *vaddr, size_t len, uint64_t *iova)
{
	*iova = (uint64_t)(uintptr_t)vaddr;
	return 0;
}

static int identity_unmap(void *arg, uint64_t iova, size_t len)
{
	return 0;
}

struct nvmx_dma_mapper nvmx_dma_mapper_identity(void)
{
	struct nvmx_dma_mapper m = { identity_map, identity_unmap, NULL };

	return m;
}

/* ---- arena ---- */

static inline int bit_get(const uint64_t *bm, uint32_t i)
{
	return (int)((bm[i / 64] >> (i % 64)) & 1u);
}

static void bits_set(uint64_t *bm, uint32_t i, uint32_t n, int v)
{
	for (uint32_t k = i; k < i + n; k++) {
		if (v)
			bm[k / 64] |= 1ull << (k % 64);
		else
			bm[k / 64] &= ~(1ull << (k % 64));
	}
}

int nvmx_dma_arena_init(struct nvmx_dma_arena *a, void *va, uint64_t iova, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (((uintptr_t)va | iova | len) & (NVMX_DMA_PAGE - 1) || len == 0)
		return -EINVAL;
	a->va = va;
	a->iova = iova;
	a->len = len;
	a->npages = (uint32_t)(len / NVMX_DMA_PAGE);
	a->free_pages = a->npages;
	a->used = calloc((a->npages + 63) / 64, sizeof(uint64_t));
	a->run = calloc(a->npages, sizeof(uint32_t));
	if (!a->used || !a->run) {
		nvmx_dma_arena_fini(a);
		return -ENOMEM;
	}
	return 0;
}

void nvmx_dma_arena_fini(struct nvmx_dma_arena *a)
{
	free(a->used);
	free(a->run);
	a->used = NULL;
	a->run = NULL;
}

/* First run of n free pages at or after start, wrapping once. */
static int64_t find_run(const struct nvmx_dma_arena *a, uint32_t n, uint32_t start)
{
	for (int pass = 0; pass < 2; pass++) {
		uint32_t i = pass ? 0 : start, end = pass ? start + n - 1 : a->npages;

		if (end > a->npages)
			end = a->npages;
		while (i + n <= end) {
			uint32_t k = 0;

			while (k < n && !bit_get(a->used, i + k))
				k++;
			if (k == n)
				return i;
			i += k + 1;
		}
	}
	return -1;
}

void *nvmx_dma_arena_alloc(struct nvmx_dma_arena *a, size_t len, uint64_t *iova)
{
	uint32_t n;
	int64_t i;

	if (len == 0 || len > a->len)
		return NULL;
	n = (uint32_t)((len + NVMX_DMA_PAGE - 1) / NVMX_DMA_PAGE);
	if (n > a->free_pages)
		return NULL;
	i = find_run(a, n, a->hint < a->npages ? a->hint : 0);
	if (i < 0)
		return NULL;
	bits_set(a->used, (uint32_t)i, n, 1);
	a->run[i] = n;
	a->free_pages -= n;
	a->hint = (uint32_t)i + n;
	if (iova)
		*iova = a->iova + (uint64_t)i * NVMX_DMA_PAGE;
	return a->va + (size_t)i * NVMX_DMA_PAGE;
}

void nvmx_dma_arena_free(struct nvmx_dma_arena *a, void *p)
{
	size_t off;
	uint32_t i;

	if (!p)
		return;
	off = (size_t)((uint8_t *)p - a->va);
	i = (uint32_t)(off / NVMX_DMA_PAGE);
	if (off % NVMX_DMA_PAGE || i >= a->npages || !a->run[i]) {
		nvmx_err("dma: free of %p that was not allocated here", p);
		return;
	}
	bits_set(a->used, i, a->run[i], 0);
	a->free_pages += a->run[i];
	a->run[i] = 0;
}

/* ---- pool ---- */

int nvmx_dma_pool_init(struct nvmx_dma_pool *p, const struct nvmx_dma_mapper *m,
		       size_t region_size)
{
	memset(p, 0, sizeof(*p));
	p->m = *m;
	if (!region_size)
		region_size = NVMX_DMA_REGION_SIZE;
	p->region_size = (region_size + NVMX_DMA_PAGE - 1) & ~(size_t)(NVMX_DMA_PAGE - 1);
	atomic_init(&p->nr_regions, 0);
	return -pthread_mutex_init(&p->lock, NULL);
}

void nvmx_dma_pool_fini(struct nvmx_dma_pool *p)
{
	unsigned int n = atomic_load(&p->nr_regions);

	for (unsigned int i = 0; i < n; i++) {
		struct nvmx_dma_arena *a = &p->regions[i];

		p->m.unmap(p->m.arg, a->iova, a->len);
		munmap(a->va, a->len);
		nvmx_dma_arena_fini(a);
	}
	atomic_store(&p->nr_regions, 0);
	pthread_mutex_destroy(&p->lock);
}

/* Map a new region of at least len bytes; called with the lock held. */
static struct nvmx_dma_arena *add_region(struct nvmx_dma_pool *p, size_t len)
{
	unsigned int n = atomic_load_explicit(&p->nr_regions, memory_order_relaxed);
	size_t sz = len > p->region_size ? len : p->region_size;
	struct nvmx_dma_arena *a;
	uint64_t iova;
	void *va;
	int ret;

	sz = (sz + NVMX_DMA_PAGE - 1) & ~(size_t)(NVMX_DMA_PAGE - 1);
	if (n >= NVMX_DMA_MAX_REGIONS) {
		nvmx_err("dma: all %d regions in use", NVMX_DMA_MAX_REGIONS);
		return NULL;
	}
	va = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (va == MAP_FAILED) {
		nvmx_err("dma: mmap of %zu bytes failed", sz);
		return NULL;
	}
	ret = p->m.map(p->m.arg, va, sz, &iova);
	if (ret) {
		munmap(va, sz);
		return NULL;
	}
	a = &p->regions[n];
	if (nvmx_dma_arena_init(a, va, iova, sz)) {
		p->m.unmap(p->m.arg, iova, sz);
		munmap(va, sz);
		return NULL;
	}
	/* Publish the region only once it is complete (lock-free lookups). */
	atomic_store_explicit(&p->nr_regions, n + 1, memory_order_release);
	return a;
}

void *nvmx_dma_alloc(struct nvmx_dma_pool *p, size_t len, uint64_t *iova)
{
	unsigned int n;
	void *buf = NULL;

	if (len == 0)
		return NULL;
	pthread_mutex_lock(&p->lock);
	n = atomic_load_explicit(&p->nr_regions, memory_order_relaxed);
	for (unsigned int i = 0; i < n && !buf; i++)
		buf = nvmx_dma_arena_alloc(&p->regions[i], len, iova);
	if (!buf) {
		struct nvmx_dma_arena *a = add_region(p, len);

		if (a)
			buf = nvmx_dma_arena_alloc(a, len, iova);
	}
	pthread_mutex_unlock(&p->lock);
	if (buf)
		memset(buf, 0, len);
	return buf;
}

static struct nvmx_dma_arena *region_of(struct nvmx_dma_pool *p, const void *buf, size_t len)
{
	unsigned int n = atomic_load_explicit(&p->nr_regions, memory_order_acquire);

	for (unsigned int i = 0; i < n; i++) {
		if (nvmx_dma_arena_owns(&p->regions[i], buf, len))
			return &p->regions[i];
	}
	return NULL;
}

void nvmx_dma_free(struct nvmx_dma_pool *p, void *buf)
{
	struct nvmx_dma_arena *a;

	if (!buf)
		return;
	pthread_mutex_lock(&p->lock);
	a = region_of(p, buf, 1);
	if (a)
		nvmx_dma_arena_free(a, buf);
	else
		nvmx_err("dma: free of %p outside every DMA region", buf);
	pthread_mutex_unlock(&p->lock);
}

int nvmx_dma_iova(struct nvmx_dma_pool *p, const void *buf, size_t len, uint64_t *iova)
{
	struct nvmx_dma_arena *a = region_of(p, buf, len);

	if (!a)
		return -ENOENT;
	*iova = a->iova + (uint64_t)((const uint8_t *)buf - a->va);
	return 0;
}
