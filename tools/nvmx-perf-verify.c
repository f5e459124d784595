/* SPDX-License-Identifier: BSD-2-Clause */
/* Block stamps for nvmx-perf --verify (see nvmx-perf-verify.h). */
#include <errno.h>

#include "nvmx/le.h"
#include "nvmx-perf-verify.h"

/*
 * Stamp layout, little-endian, at offset 0 and at bs - 32 of each block:
 *   0  magic    8  run id   16  LBA   24  generation   28  check
 * check = the other words folded, so a stamp of random bytes with the
 * right magic still fails.
 */
static uint32_t stamp_check(uint64_t run, uint64_t lba, uint32_t gen)
{
	uint64_t x = (NVMX_STAMP_MAGIC ^ run) * 0x9e3779b97f4a7c15ull;

	x ^= (lba + gen) * 0xbf58476d1ce4e5b9ull;
	x ^= x >> 31;
	return (uint32_t)x ^ (uint32_t)(x >> 32);
}

static void put_stamp(uint8_t *p, uint64_t run, uint64_t lba, uint32_t gen)
{
	nvmx_put_le64(p, NVMX_STAMP_MAGIC);
	nvmx_put_le64(p + 8, run);
	nvmx_put_le64(p + 16, lba);
	nvmx_put_le32(p + 24, gen);
	nvmx_put_le32(p + 28, stamp_check(run, lba, gen));
}

static int range_ok(const struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb)
{
	return slba >= m->base && nlb <= m->nblocks && slba - m->base <= m->nblocks - nlb;
}

static int reserve(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb, bool write)
{
	uint32_t *s;
	uint32_t i;

	if (!range_ok(m, slba, nlb))
		return -ERANGE;
	s = m->state + (slba - m->base);
	for (i = 0; i < nlb; i++)
		if (s[i] & NVMX_VERIFY_BUSY)
			return -EBUSY;
	for (i = 0; i < nlb; i++) {
		uint32_t gen = s[i] & NVMX_VERIFY_GEN;

		if (write)	/* 0 stays reserved for "never written" */
			gen = gen == NVMX_VERIFY_GEN ? 1 : gen + 1;
		s[i] = gen | NVMX_VERIFY_BUSY;
	}
	return 0;
}

int nvmx_verify_begin_write(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb)
{
	return reserve(m, slba, nlb, true);
}

int nvmx_verify_begin_read(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb)
{
	return reserve(m, slba, nlb, false);
}

void nvmx_verify_end(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb)
{
	uint32_t i;

	if (!range_ok(m, slba, nlb))
		return;
	for (i = 0; i < nlb; i++)
		m->state[slba - m->base + i] &= ~NVMX_VERIFY_BUSY;
}

void nvmx_verify_forget(struct nvmx_verify_map *m, uint64_t slba, uint32_t nlb)
{
	uint32_t i;

	if (!range_ok(m, slba, nlb))
		return;
	for (i = 0; i < nlb; i++)
		m->state[slba - m->base + i] &= NVMX_VERIFY_BUSY;
}

void nvmx_verify_stamp(const struct nvmx_verify_map *m, void *buf, uint32_t bs,
		       uint64_t slba, uint32_t nlb)
{
	uint8_t *p = buf;
	uint32_t i;

	for (i = 0; i < nlb; i++, p += bs) {
		uint64_t lba = slba + i;
		uint32_t gen = m->state[lba - m->base] & NVMX_VERIFY_GEN;

		put_stamp(p, m->run_id, lba, gen);
		put_stamp(p + bs - NVMX_STAMP_LEN, m->run_id, lba, gen);
	}
}

/* NULL if the stamp at p is the one expected, else why not. */
static const char *stamp_diff(const uint8_t *p, uint64_t run, uint64_t lba, uint32_t gen,
			      struct nvmx_verify_err *e)
{
	e->got_lba = nvmx_get_le64(p + 16);
	e->got_gen = nvmx_get_le32(p + 24);
	if (nvmx_get_le64(p) != NVMX_STAMP_MAGIC || nvmx_get_le64(p + 8) != run ||
	    nvmx_get_le32(p + 28) != stamp_check(run, e->got_lba, e->got_gen)) {
		e->got_gen = 0;
		return "no valid stamp";
	}
	if (e->got_lba != lba)
		return "stamp of another LBA";
	if (e->got_gen != gen)
		return "stale or future generation";
	return NULL;
}

unsigned nvmx_verify_check(const struct nvmx_verify_map *m, const void *buf, uint32_t bs,
			   uint64_t slba, uint32_t nlb, struct nvmx_verify_err *err)
{
	const uint8_t *p = buf;
	unsigned bad = 0;
	uint32_t i;

	if (!range_ok(m, slba, nlb))
		return nlb;
	for (i = 0; i < nlb; i++, p += bs) {
		uint64_t lba = slba + i;
		uint32_t gen = m->state[lba - m->base] & NVMX_VERIFY_GEN;
		struct nvmx_verify_err e = { .lba = lba, .want_gen = gen };

		if (!gen)
			continue;
		e.why = stamp_diff(p, m->run_id, lba, gen, &e);
		if (!e.why)
			e.why = stamp_diff(p + bs - NVMX_STAMP_LEN, m->run_id, lba, gen, &e);
		if (e.why) {
			if (!bad && err)
				*err = e;
			bad++;
		}
	}
	return bad;
}
