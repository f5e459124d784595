/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DMA allocator without VFIO: a fake mapper hands out IOVAs far from
 * the virtual addresses (so a confusion of the two shows), counts map and
 * unmap calls, and can be told to fail.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "transport/pcie_dma.h"

struct fake_iommu {
	uint64_t next;
	int maps, unmaps, fail;
	size_t mapped;
};

static int fake_map(void *arg, void *vaddr, size_t len, uint64_t *iova)
{
	struct fake_iommu *f = arg;

	if (f->fail)
		return -ENOMEM;
	*iova = f->next;
	f->next += len + (1u << 20);
	f->maps++;
	f->mapped += len;
	return 0;
}

static int fake_unmap(void *arg, uint64_t iova, size_t len)
{
	struct fake_iommu *f = arg;

	f->unmaps++;
	f->mapped -= len;
	return 0;
}

static void setup_pool(struct nvmx_dma_pool *p, struct fake_iommu *f, size_t region)
{
	struct nvmx_dma_mapper m = { fake_map, fake_unmap, f };

	memset(f, 0, sizeof(*f));
	f->next = 0x100000000ull;
	assert_int_equal(nvmx_dma_pool_init(p, &m, region), 0);
}

static void chunks_are_page_aligned_zeroed_and_translate(void **state)
{
	struct nvmx_dma_pool p;
	struct fake_iommu f;
	uint64_t iova_a, iova_b, look;
	uint8_t *a, *b;

	setup_pool(&p, &f, 64 * 4096);
	a = nvmx_dma_alloc(&p, 100, &iova_a);
	b = nvmx_dma_alloc(&p, 3 * 4096, &iova_b);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % 4096, 0);
	assert_int_equal(iova_a % 4096, 0);
	assert_int_equal(iova_a, 0x100000000ull);
	assert_int_equal(iova_b, iova_a + 4096);	/* one page for 100 bytes */
	for (int i = 0; i < 3 * 4096; i++)
		assert_int_equal(b[i], 0);
	/* any byte inside translates by the same offset */
	assert_int_equal(nvmx_dma_iova(&p, b + 4097, 100, &look), 0);
	assert_int_equal(look, iova_b + 4097);
	assert_int_equal(f.maps, 1);			/* one region, no per-chunk map */
	nvmx_dma_pool_fini(&p);
	assert_int_equal(f.unmaps, 1);
	assert_int_equal(f.mapped, 0);
}

static void foreign_memory_is_not_translated(void **state)
{
	struct nvmx_dma_pool p;
	struct fake_iommu f;
	char stack_buf[64];
	uint64_t iova;
	uint8_t *a;

	setup_pool(&p, &f, 16 * 4096);
	a = nvmx_dma_alloc(&p, 4096, &iova);
	assert_non_null(a);
	assert_int_equal(nvmx_dma_iova(&p, stack_buf, sizeof(stack_buf), &iova), -ENOENT);
	/* a range running off the end of the region must bounce too */
	assert_int_equal(nvmx_dma_iova(&p, a + 15 * 4096, 8192, &iova), -ENOENT);
	assert_int_equal(nvmx_dma_iova(&p, a + 15 * 4096, 4096, &iova), 0);
	nvmx_dma_pool_fini(&p);
}

static void freed_pages_are_reused_and_big_requests_get_a_region(void **state)
{
	struct nvmx_dma_pool p;
	struct fake_iommu f;
	uint64_t i1, i2, i3;
	void *a, *b, *c;

	setup_pool(&p, &f, 8 * 4096);
	a = nvmx_dma_alloc(&p, 8 * 4096, &i1);		/* fills region 0 */
	assert_non_null(a);
	nvmx_dma_free(&p, a);
	b = nvmx_dma_alloc(&p, 4 * 4096, &i2);
	assert_ptr_equal(a, b);				/* reused, not remapped */
	assert_int_equal(f.maps, 1);
	c = nvmx_dma_alloc(&p, 100 * 4096, &i3);	/* larger than a region */
	assert_non_null(c);
	assert_int_equal(f.maps, 2);
	assert_int_equal(nvmx_dma_iova(&p, (char *)c + 99 * 4096, 4096, &i1), 0);
	assert_int_equal(i1, i3 + 99 * 4096);
	nvmx_dma_pool_fini(&p);
	assert_int_equal(f.mapped, 0);
}

static void map_failure_returns_null_and_leaks_nothing(void **state)
{
	struct nvmx_dma_pool p;
	struct fake_iommu f;
	uint64_t iova;

	setup_pool(&p, &f, 8 * 4096);
	f.fail = 1;
	assert_null(nvmx_dma_alloc(&p, 4096, &iova));
	assert_int_equal(atomic_load(&p.nr_regions), 0);
	f.fail = 0;
	assert_non_null(nvmx_dma_alloc(&p, 4096, &iova));
	nvmx_dma_pool_fini(&p);
}

static void arena_first_fit_with_fragmentation(void **state)
{
	static uint8_t mem[16 * 4096] __attribute__((aligned(4096)));
	struct nvmx_dma_arena a;
	void *x[16];
	uint64_t iova;

	assert_int_equal(nvmx_dma_arena_init(&a, mem, 0x5000000, sizeof(mem)), 0);
	for (int i = 0; i < 16; i++) {
		x[i] = nvmx_dma_arena_alloc(&a, 4096, &iova);
		assert_ptr_equal(x[i], mem + i * 4096);
		assert_int_equal(iova, 0x5000000 + (uint64_t)i * 4096);
	}
	assert_null(nvmx_dma_arena_alloc(&a, 1, NULL));
	/* free every other page: 8 free, but no run of 2 */
	for (int i = 0; i < 16; i += 2)
		nvmx_dma_arena_free(&a, x[i]);
	assert_int_equal(a.free_pages, 8);
	assert_null(nvmx_dma_arena_alloc(&a, 8192, NULL));
	nvmx_dma_arena_free(&a, x[5]);		/* pages 4,5,6 now free */
	assert_ptr_equal(nvmx_dma_arena_alloc(&a, 3 * 4096, NULL), mem + 4 * 4096);
	/* a pointer that is not an allocation start changes nothing */
	nvmx_dma_arena_free(&a, mem + 4 * 4096 + 4096);
	assert_int_equal(a.free_pages, 6);
	nvmx_dma_arena_fini(&a);
}

static void arena_rejects_misaligned_memory(void **state)
{
	static uint8_t mem[3 * 4096] __attribute__((aligned(4096)));
	struct nvmx_dma_arena a;

	assert_int_equal(nvmx_dma_arena_init(&a, mem + 8, 0, 4096), -EINVAL);
	assert_int_equal(nvmx_dma_arena_init(&a, mem, 0x100, 4096), -EINVAL);
	assert_int_equal(nvmx_dma_arena_init(&a, mem, 0, 100), -EINVAL);
}

static void identity_mapper_gives_iova_equal_address(void **state)
{
	struct nvmx_dma_mapper m = nvmx_dma_mapper_identity();
	struct nvmx_dma_pool p;
	uint64_t iova;
	void *a;

	assert_int_equal(nvmx_dma_pool_init(&p, &m, 0), 0);
	a = nvmx_dma_alloc(&p, 12345, &iova);
	assert_non_null(a);
	assert_int_equal(iova, (uint64_t)(uintptr_t)a);
	nvmx_dma_pool_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunks_are_page_aligned_zeroed_and_translate),
		cmocka_unit_test(foreign_memory_is_not_translated),
		cmocka_unit_test(freed_pages_are_reused_and_big_requests_get_a_region),
		cmocka_unit_test(map_failure_returns_null_and_leaks_nothing),
		cmocka_unit_test(arena_first_fit_with_fragmentation),
		cmocka_unit_test(arena_rejects_misaligned_memory),
		cmocka_unit_test(identity_mapper_gives_iova_equal_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
