/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx-perf --verify: every block written carries a stamp (at its start
 * and, against torn writes, again at its end) naming the run, its LBA and
 * its generation; a read checks each block against the generation the map
 * says it must have.  The map keeps one 32-bit word per block of the
 * region a thread owns: the generation of the last write, and a busy bit
 * while a command on the block is in flight, so a read never races a
 * write to the same block (the contents would be legitimately either).
 * Pure functions on caller-owned memory: no allocation, no locks.
 */
#ifndef NVMX_PERF_VERIFY_H
#define NVMX_PERF_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#define NVMX_STAMP_MAGIC 0x6e766d7876726679ull	/* "nvmxvrfy" */
#define NVMX_STAMP_LEN   32u			/* bytes at each end of a block */
#define NVMX_VERIFY_BUSY 0x80000000u
#define NVMX_VERIFY_GEN  0x7fffffffu

struct nvmx_verify_map {
	uint64_t base;		/* first LBA of the region */
	uint64_t nblocks;
	uint64_t run_id;	/* different every run: old data never matches */
	uint32_t *state;	/* nblocks words: generation | NVMX_VERIFY_BUSY */
};

/* Where a check failed (the first bad block of a command). */
struct nvmx_verify_err {
	uint64_t lba;
	uint32_t want_gen;
	uint32_t got_gen;	/* 0 when the stamp is unreadable */
	uint64_t got_lba;
	const char *why;
};

/* Blocks of 'bs' bytes must hold two stamps. */
static inline bool nvmx_verify_block_ok(uint32_t bs) { return bs >= 2 * NVMX_STAMP_LEN; }

/* Reserve blocks [slba, slba+nlb) for a write: -EBUSY if any is busy,
 * -ERANGE if outside the region; else marks them busy and advances each
 * block's generation (the value the write stamps). */
int nvmx_verify_begin_write(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb);
/* Reserve blocks for a read: -EBUSY / -ERANGE as above. */
int nvmx_verify_begin_read(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb);
/* The command completed (successfully or not): release the blocks. */
void nvmx_verify_end(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb);
/* A write failed: its blocks' contents are unknown; stop checking them
 * (generation 0 means never written, not checked). */
void nvmx_verify_forget(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb);

/* Fill buf (nlb blocks of bs bytes) with the stamps of the generations
 * the map holds (call after nvmx_verify_begin_write). */
void nvmx_verify_stamp(const struct nvmx_verify_map *m, void *buf, uint32_t bs,
		       uint64_t slba, uint32_t nlb);
/* Check buf read from [slba, slba+nlb): the number of blocks whose stamps
 * disagree with the map (blocks never written are not checked); the first
 * one is described in err when err is not NULL. */
unsigned nvmx_verify_check(const struct nvmx_verify_map *m, const void *buf, uint32_t bs,
			   uint64_t slba, uint32_t nlb, struct nvmx_verify_err *err);

#endif /* NVMX_PERF_VERIFY_H */
