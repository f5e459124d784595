/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DMA memory for the PCIe transport.  Large regions are mapped once for
 * device access (VFIO_IOMMU_MAP_DMA through a mapper) and carved into
 * page-aligned chunks; nothing is mapped per I/O.  Queues, PRP lists,
 * identify buffers and applications' zero-copy I/O buffers come from a
 * pool; a per-queue arena (no lock, single owner) serves bounce buffers for
 * ordinary memory on the I/O path.
 *
 * The mapper is a pair of callbacks so the allocator runs without VFIO:
 * nvmx_dma_mapper_identity() makes IOVA = virtual address (unit tests;
 * nothing talks to a device).
 */
#ifndef NVMX_PCIE_DMA_H
#define NVMX_PCIE_DMA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define NVMX_DMA_PAGE		4096u
#define NVMX_DMA_MAX_REGIONS	64
#define NVMX_DMA_REGION_SIZE	(4u << 20)

struct nvmx_dma_mapper {
	/* Make [vaddr, vaddr+len) reachable by the device; return its IOVA. */
	int (*map)(void *arg, void *vaddr, size_t len, uint64_t *iova);
	int (*unmap)(void *arg, uint64_t iova, size_t len);
	void *arg;
};

/* IOVA = virtual address, no mapping done. */
struct nvmx_dma_mapper nvmx_dma_mapper_identity(void);

/*
 * A run of mapped memory with a page bitmap.  Used unlocked by one owner
 * (a queue pair's bounce arena) or under the pool's lock.
 */
struct nvmx_dma_arena {
	uint8_t *va;
	uint64_t iova;
	size_t len;
	uint32_t npages;
	uint32_t free_pages;
	uint32_t hint;			/* next-fit start */
	uint64_t *used;			/* bit per page */
	uint32_t *run;			/* pages of the allocation starting here */
};

int nvmx_dma_arena_init(struct nvmx_dma_arena *a, void *va, uint64_t iova, size_t len);
void nvmx_dma_arena_fini(struct nvmx_dma_arena *a);
/* len rounded up to pages; NULL when no run of free pages is long enough. */
void *nvmx_dma_arena_alloc(struct nvmx_dma_arena *a, size_t len, uint64_t *iova);
void nvmx_dma_arena_free(struct nvmx_dma_arena *a, void *p);
static inline int nvmx_dma_arena_owns(const struct nvmx_dma_arena *a, const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= a->va && b <= a->va + a->len && len <= (size_t)(a->va + a->len - b);
}

struct nvmx_dma_pool {
	struct nvmx_dma_mapper m;
	size_t region_size;
	pthread_mutex_t lock;		/* alloc/free; lookups are lock-free */
	atomic_uint nr_regions;
	struct nvmx_dma_arena regions[NVMX_DMA_MAX_REGIONS];
};

int nvmx_dma_pool_init(struct nvmx_dma_pool *p, const struct nvmx_dma_mapper *m,
		       size_t region_size);
/* Unmaps and frees every region: all chunks must be unused by the device. */
void nvmx_dma_pool_fini(struct nvmx_dma_pool *p);

/* Zeroed, NVMX_DMA_PAGE-aligned, physically contiguous in IOVA space. */
void *nvmx_dma_alloc(struct nvmx_dma_pool *p, size_t len, uint64_t *iova);
void nvmx_dma_free(struct nvmx_dma_pool *p, void *buf);

/*
 * IOVA of [buf, buf+len) when it lies inside one mapped region (zero-copy
 * path; lock-free, safe on the I/O path).  -ENOENT otherwise: the caller
 * bounces.
 */
int nvmx_dma_iova(struct nvmx_dma_pool *p, const void *buf, size_t len, uint64_t *iova);

#endif /* NVMX_PCIE_DMA_H */
