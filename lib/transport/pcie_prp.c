/* SPDX-License-Identifier: BSD-2-Clause */
/* PRP entries and chained PRP lists (Base 4.1.1). */
#include <errno.h>

#include "nvmx/le.h"
#include "transport/pcie_prp.h"

/* Entries k chained list pages hold: each page but the last gives its
 * last slot to the pointer to the next page. */
static uint64_t list_capacity(uint32_t k, uint32_t ps)
{
	uint32_t e = ps / 8;

	return k ? (uint64_t)k * (e - 1) + 1 : 0;
}

uint32_t nvmx_prp_list_pages_for(uint32_t max_xfer, uint32_t ps)
{
	/* Worst case: the transfer starts just past a page boundary. */
	uint64_t pages = ((uint64_t)max_xfer + ps - 1) / ps + 1;
	uint64_t entries = pages - 1;	/* PRP1 covers the first page */
	uint32_t e = ps / 8;

	if (pages <= 2)
		return 0;
	return (uint32_t)((entries - 1 + (e - 2)) / (e - 1));
}

uint32_t nvmx_prp_max_xfer(uint32_t list_pages, uint32_t ps)
{
	uint64_t bytes = list_pages ? list_capacity(list_pages, ps) * ps : ps;

	return bytes > 0x80000000u ? 0x80000000u : (uint32_t)bytes;
}

int nvmx_prp_build(uint64_t iova, uint32_t len, uint32_t ps, uint64_t *prp1, uint64_t *prp2,
		   void *list, uint64_t list_iova, uint32_t list_pages)
{
	uint32_t npages, e = ps / 8, slot = 0;
	uint64_t page, entries;
	nvmx_le64 *l = list;

	if (len == 0 || (iova & 3) || ps < 4096 || (ps & (ps - 1)))
		return -EINVAL;
	npages = nvmx_prp_pages(iova, len, ps);
	*prp1 = iova;
	*prp2 = 0;
	page = (iova & ~(uint64_t)(ps - 1)) + ps;
	if (npages == 1)
		return 0;
	if (npages == 2) {
		*prp2 = page;
		return 0;
	}
	entries = npages - 1;
	if (entries > list_capacity(list_pages, ps) || (list_iova & (ps - 1)))
		return -E2BIG;
	*prp2 = list_iova;
	for (uint64_t i = 0; i < entries; i++, page += ps) {
		/* Last slot of a list page with more than one entry still to
		 * go: chain to the next list page (Base 4.1.1, Figure 88). */
		if (slot % e == e - 1 && entries - i > 1) {
			nvmx_put_le64(&l[slot], list_iova + (uint64_t)(slot + 1) * 8);
			slot++;
		}
		nvmx_put_le64(&l[slot++], page);
	}
	return 0;
}
