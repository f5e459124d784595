/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical Region Page entries and lists (Base 4.1.1).  A transfer that is
 * contiguous in IOVA space (every nvmx DMA buffer is) is described by PRP1
 * (first page, may start at any dword offset) and PRP2 (second page, or the
 * IOVA of a PRP list when the transfer touches more than two pages).  A PRP
 * list page holds page_size/8 entries; when more are needed its last entry
 * points at the next list page.
 */
#ifndef NVMX_PCIE_PRP_H
#define NVMX_PCIE_PRP_H

#include <stdint.h>

/*
 * Describe [iova, iova+len) with page size ps (CC.MPS).  list/list_iova:
 * list_pages contiguous, ps-aligned pages for the PRP list (used only when
 * needed).  Returns 0, -EINVAL for len 0, an offset not dword aligned, or a
 * page size that is not a power of two >= 4096, -E2BIG when the list pages
 * are too few.
 */
int nvmx_prp_build(uint64_t iova, uint32_t len, uint32_t ps, uint64_t *prp1, uint64_t *prp2,
		   void *list, uint64_t list_iova, uint32_t list_pages);

/* Pages of the transfer (first one counted even when partial). */
static inline uint32_t nvmx_prp_pages(uint64_t iova, uint32_t len, uint32_t ps)
{
	return (uint32_t)(((iova & (ps - 1)) + len + ps - 1) / ps);
}

/* List pages needed for any transfer of up to max_xfer bytes at any offset. */
uint32_t nvmx_prp_list_pages_for(uint32_t max_xfer, uint32_t ps);
/* Largest transfer (multiple of ps) that list_pages list pages always cover. */
uint32_t nvmx_prp_max_xfer(uint32_t list_pages, uint32_t ps);

/* MDTS (Identify Controller byte 77) in bytes: 2^MDTS units of CAP.MPSMIN;
 * 0 means no limit (returns 0). */
static inline uint64_t nvmx_mdts_bytes(uint8_t mdts, uint32_t mpsmin)
{
	return mdts ? (1ull << (12 + mpsmin + mdts)) : 0;
}

/* Bytes of the next piece of a split transfer: all of remaining when it
 * fits in max (0: no limit), else the largest multiple of block below max. */
static inline uint32_t nvmx_split_chunk(uint32_t remaining, uint32_t max, uint32_t block)
{
	if (!max || remaining <= max)
		return remaining;
	return max - max % block;
}

#endif /* NVMX_PCIE_PRP_H */
