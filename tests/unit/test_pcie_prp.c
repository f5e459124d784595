/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PRP construction checked against an independent walk of the spec rules
 * (Base 4.1.1): the walker plays the controller, follows PRP1, PRP2 and
 * chained list pages, and the pieces it finds must be exactly the buffer,
 * in order, every list entry page aligned, every list pointer inside the
 * list memory given.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nvmx/le.h"
#include "transport/pcie_prp.h"

#define LIST_IOVA 0x7700000000ull	/* far from any data IOVA */

struct walk {
	const uint8_t *list;
	uint64_t list_iova;
	size_t list_len;
	int list_pages_touched;
};

/* Read the list entry at IOVA a (must be inside the list memory). */
static int list_read(const struct walk *w, uint64_t a, uint64_t *v)
{
	if (a < w->list_iova || a + 8 > w->list_iova + w->list_len || (a & 7))
		return -1;
	*v = nvmx_get_le64(w->list + (a - w->list_iova));
	return 0;
}

/* The controller's view: returns 0 when [iova, iova+len) is what the PRPs
 * describe, piece by piece. */
static int spec_walk(struct walk *w, uint64_t prp1, uint64_t prp2, uint32_t len, uint32_t ps,
		     uint64_t iova)
{
	uint64_t expect = iova, remaining = len;
	uint64_t first = ps - (prp1 & (ps - 1));
	uint64_t ptr;

	if (prp1 != iova || (prp1 & 3))
		return -1;
	if (first > remaining)
		first = remaining;
	expect += first;
	remaining -= first;
	if (remaining == 0)
		return prp2 == 0 ? 0 : -2;
	if (remaining <= ps) {
		/* PRP2 is the second data page, offset 0. */
		if (prp2 != expect || (prp2 & (ps - 1)))
			return -3;
		return 0;
	}
	/* PRP2 is a list pointer, qword aligned. */
	if (prp2 & 7)
		return -4;
	ptr = prp2;
	w->list_pages_touched = 1;
	while (remaining) {
		uint64_t v, piece;
		uint64_t left = (remaining + ps - 1) / ps;

		if (((ptr + 8) & (ps - 1)) == 0 && left > 1) {
			/* Last entry of a list page: the next list page. */
			if (list_read(w, ptr, &v) || (v & 7))
				return -5;
			ptr = v;
			w->list_pages_touched++;
			continue;
		}
		if (list_read(w, ptr, &v))
			return -6;
		if (v & (ps - 1))
			return -7;	/* data entries have offset 0 */
		if (v != expect)
			return -8;
		piece = remaining < ps ? remaining : ps;
		expect += piece;
		remaining -= piece;
		ptr += 8;
	}
	return 0;
}

static int build_and_walk(uint64_t iova, uint32_t len, uint32_t ps, uint32_t list_pages,
			  int *touched)
{
	size_t list_len = (size_t)(list_pages ? list_pages : 1) * ps;
	uint8_t *list = calloc(1, list_len);
	struct walk w = { list, LIST_IOVA, list_len, 0 };
	uint64_t prp1 = 0xdead, prp2 = 0xbeef;
	int ret;

	assert_non_null(list);
	ret = nvmx_prp_build(iova, len, ps, &prp1, &prp2, list, LIST_IOVA, list_pages);
	if (ret == 0)
		ret = spec_walk(&w, prp1, prp2, len, ps, iova) ? -EPROTO : 0;
	if (touched)
		*touched = w.list_pages_touched;
	free(list);
	return ret;
}

static void one_page_needs_only_prp1(void **state)
{
	uint64_t prp1, prp2;

	assert_int_equal(nvmx_prp_build(0x100000, 4096, 4096, &prp1, &prp2, NULL, 0, 0), 0);
	assert_int_equal(prp1, 0x100000);
	assert_int_equal(prp2, 0);
	/* 512 bytes at an offset inside one page */
	assert_int_equal(nvmx_prp_build(0x100200, 512, 4096, &prp1, &prp2, NULL, 0, 0), 0);
	assert_int_equal(prp1, 0x100200);
	assert_int_equal(prp2, 0);
}

static void two_pages_put_the_second_in_prp2(void **state)
{
	uint64_t prp1, prp2;

	assert_int_equal(nvmx_prp_build(0x100000, 8192, 4096, &prp1, &prp2, NULL, 0, 0), 0);
	assert_int_equal(prp2, 0x101000);
	/* offset start spilling into a second page */
	assert_int_equal(nvmx_prp_build(0x100e00, 4096, 4096, &prp1, &prp2, NULL, 0, 0), 0);
	assert_int_equal(prp1, 0x100e00);
	assert_int_equal(prp2, 0x101000);
}

static void three_pages_use_a_list(void **state)
{
	uint8_t list[4096];
	uint64_t prp1, prp2;

	memset(list, 0xaa, sizeof(list));
	assert_int_equal(nvmx_prp_build(0x200000, 3 * 4096, 4096, &prp1, &prp2, list, LIST_IOVA, 1), 0);
	assert_int_equal(prp1, 0x200000);
	assert_int_equal(prp2, LIST_IOVA);
	assert_int_equal(nvmx_get_le64(list), 0x201000);
	assert_int_equal(nvmx_get_le64(list + 8), 0x202000);
}

static void list_needed_but_missing_is_e2big(void **state)
{
	uint64_t prp1, prp2;

	assert_int_equal(nvmx_prp_build(0x200000, 3 * 4096, 4096, &prp1, &prp2, NULL, LIST_IOVA, 0),
			 -E2BIG);
	/* 514 pages need 513 entries: more than one list page holds */
	assert_int_equal(build_and_walk(0x200000, 514 * 4096, 4096, 1, NULL), -E2BIG);
}

static void bad_arguments_are_einval(void **state)
{
	uint64_t prp1, prp2;

	assert_int_equal(nvmx_prp_build(0x200000, 0, 4096, &prp1, &prp2, NULL, 0, 0), -EINVAL);
	assert_int_equal(nvmx_prp_build(0x200002, 512, 4096, &prp1, &prp2, NULL, 0, 0), -EINVAL);
	assert_int_equal(nvmx_prp_build(0x200000, 512, 2048, &prp1, &prp2, NULL, 0, 0), -EINVAL);
	assert_int_equal(nvmx_prp_build(0x200000, 512, 12288, &prp1, &prp2, NULL, 0, 0), -EINVAL);
}

static void page_513_fills_one_list_page_exactly(void **state)
{
	int touched = 0;

	/* 513 pages from offset 0: PRP1 + 512 list entries, no chaining */
	assert_int_equal(build_and_walk(0x40000000, 513 * 4096, 4096, 1, &touched), 0);
	assert_int_equal(touched, 1);
	/* same length from an offset: 514 pages, 513 entries, must chain */
	assert_int_equal(build_and_walk(0x40000200, 513 * 4096, 4096, 2, &touched), 0);
	assert_int_equal(touched, 2);
}

static void chains_across_several_list_pages(void **state)
{
	int touched = 0;

	/* 2000 pages: 1999 entries -> 511 + 511 + 511 + 466 over 4 list pages */
	assert_int_equal(build_and_walk(0x80000000ull, 2000u * 4096, 4096, 4, &touched), 0);
	assert_int_equal(touched, 4);
	assert_int_equal(build_and_walk(0x80000000ull, 2000u * 4096, 4096, 3, NULL), -E2BIG);
}

/* Every length 1..40 pages (plus odd tails) at every dword-ish offset
 * class, for 4 KiB and 8 KiB pages: built PRPs walk back to the buffer. */
static void exhaustive_lengths_and_offsets_walk_back(void **state)
{
	static const uint32_t offs[] = { 0, 4, 8, 512, 2048, 4092, 4096 - 512, 5000, 8188 };
	static const uint32_t pss[] = { 4096, 8192 };

	for (unsigned p = 0; p < 2; p++) {
		uint32_t ps = pss[p];

		for (unsigned o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
			uint64_t iova = 0x10000000ull + (offs[o] % ps);

			for (uint32_t len = 4; len <= 40 * ps; len += (len < 3 * ps ? 508 : ps - 4)) {
				uint32_t lp = nvmx_prp_list_pages_for(len, ps);

				if (lp == 0 && nvmx_prp_pages(iova, len, ps) > 2)
					lp = 1;
				assert_int_equal(build_and_walk(iova, len, ps, lp ? lp : 1, NULL), 0);
			}
		}
	}
}

static void sizing_helpers_agree_with_build(void **state)
{
	static const uint32_t pss[] = { 4096, 8192, 65536 };

	for (unsigned p = 0; p < 3; p++) {
		uint32_t ps = pss[p];

		for (uint32_t k = 1; k <= 4; k++) {
			uint32_t max = nvmx_prp_max_xfer(k, ps);

			/* The worst offset still fits k pages ... */
			assert_int_equal(nvmx_prp_list_pages_for(max, ps), k);
			assert_int_equal(build_and_walk(0x100000000ull + 4, max, ps, k, NULL), 0);
			assert_int_equal(build_and_walk(0x100000000ull, max, ps, k, NULL), 0);
			/* ... and one page more does not. */
			assert_int_equal(nvmx_prp_list_pages_for(max + ps, ps), k + 1);
			assert_int_equal(build_and_walk(0x100000000ull + 4, max + ps, ps, k, NULL), -E2BIG);
		}
	}
	assert_int_equal(nvmx_prp_list_pages_for(4096, 4096), 0);
	assert_int_equal(nvmx_prp_list_pages_for(8192, 4096), 1);
	assert_int_equal(nvmx_prp_max_xfer(1, 4096), 512 * 4096);
}

static void mdts_and_split_helpers(void **state)
{
	assert_int_equal(nvmx_mdts_bytes(0, 0), 0);
	assert_int_equal(nvmx_mdts_bytes(7, 0), 512 * 1024);
	assert_int_equal(nvmx_mdts_bytes(5, 1), 256 * 1024);
	assert_int_equal(nvmx_split_chunk(4096, 0, 512), 4096);
	assert_int_equal(nvmx_split_chunk(4096, 8192, 512), 4096);
	assert_int_equal(nvmx_split_chunk(1 << 20, 512 * 1024, 4096), 512 * 1024);
	assert_int_equal(nvmx_split_chunk(1 << 20, 6000, 512), 5632);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_page_needs_only_prp1),
		cmocka_unit_test(two_pages_put_the_second_in_prp2),
		cmocka_unit_test(three_pages_use_a_list),
		cmocka_unit_test(list_needed_but_missing_is_e2big),
		cmocka_unit_test(bad_arguments_are_einval),
		cmocka_unit_test(page_513_fills_one_list_page_exactly),
		cmocka_unit_test(chains_across_several_list_pages),
		cmocka_unit_test(exhaustive_lengths_and_offsets_walk_back),
		cmocka_unit_test(sizing_helpers_agree_with_build),
		cmocka_unit_test(mdts_and_split_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
