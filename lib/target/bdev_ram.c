/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RAM backend.  The store is one anonymous mapping reserved (not committed)
 * at a generous capacity so a namespace can grow without moving its memory:
 * pointers handed out by map() stay valid while I/O threads use them.
 * Pages are committed on first write; deallocated ranges are given back
 * with MADV_DONTNEED, which also makes them read as zeroes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "target/bdev.h"

#define RAM_MIN_RESERVE (64ULL << 30)	/* virtual only (MAP_NORESERVE) */

struct ram_bdev {
	struct nvmx_bdev b;
	uint8_t *mem;
	uint64_t capacity;
};

static struct ram_bdev *to_ram(struct nvmx_bdev *b) { return (struct ram_bdev *)b; }

static int ram_read(struct nvmx_bdev *b, void *buf, uint64_t off, uint32_t len)
{
	memcpy(buf, to_ram(b)->mem + off, len);
	return 0;
}

static int ram_write(struct nvmx_bdev *b, const void *buf, uint64_t off, uint32_t len)
{
	memcpy(to_ram(b)->mem + off, buf, len);
	return 0;
}

/* Zero a range: whole pages are dropped, the edges are cleared by hand. */
static int ram_zero(struct nvmx_bdev *b, uint64_t off, uint64_t len)
{
	uint8_t *mem = to_ram(b)->mem;
	const uint64_t pg = 4096;
	uint64_t start = (off + pg - 1) & ~(pg - 1), end = (off + len) & ~(pg - 1);

	if (start >= end) {
		memset(mem + off, 0, len);
		return 0;
	}
	memset(mem + off, 0, start - off);
	memset(mem + end, 0, off + len - end);
	if (madvise(mem + start, end - start, MADV_DONTNEED) != 0)
		memset(mem + start, 0, end - start);
	return 0;
}

static int ram_flush(struct nvmx_bdev *b) { return 0; }

static int ram_resize(struct nvmx_bdev *b, uint64_t new_size)
{
	struct ram_bdev *r = to_ram(b);

	if (new_size > r->capacity)
		return -ENOSPC;
	if (new_size < b->size)
		ram_zero(b, new_size, b->size - new_size);
	b->size = new_size;
	return 0;
}

static void *ram_map(struct nvmx_bdev *b, uint64_t off, uint32_t len)
{
	return to_ram(b)->mem + off;
}

static void ram_close(struct nvmx_bdev *b)
{
	struct ram_bdev *r = to_ram(b);

	munmap(r->mem, r->capacity);
	free(r);
}

static const struct nvmx_bdev_ops ram_ops = {
	.read = ram_read, .write = ram_write, .write_zeroes = ram_zero,
	.discard = ram_zero, .flush = ram_flush, .resize = ram_resize,
	.map = ram_map, .close = ram_close,
};

int nvmx_bdev_open_ram(uint64_t size, uint32_t blksz, struct nvmx_bdev **out)
{
	struct ram_bdev *r;

	if (size == 0 || blksz == 0 || size % blksz)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->capacity = size > RAM_MIN_RESERVE ? size * 2 : RAM_MIN_RESERVE;
	/* The growth reserve is a nicety: where address space is limited
	 * (ulimit -v, valgrind) halve it down to the size asked for
	 * (resizing beyond what was reserved then fails with -ENOSPC). */
	for (;;) {
		r->mem = mmap(NULL, r->capacity, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r->mem != MAP_FAILED || r->capacity == size)
			break;
		r->capacity = r->capacity / 2 > size ? r->capacity / 2 : size;
	}
	if (r->mem == MAP_FAILED) {
		int err = -errno;

		free(r);
		return err;
	}
	/* Huge pages where the kernel has them (THP "madvise" mode): random
	 * reads over the namespace otherwise take a TLB miss per block before
	 * the copy into the socket (issue 9: that copy is a third of nvmxd's
	 * time at 4 KiB QD32).  Only a hint: without THP nothing changes. */
	(void)madvise(r->mem, r->capacity, MADV_HUGEPAGE);
	r->b.ops = &ram_ops;
	r->b.kind = NVMX_BDEV_RAM;
	r->b.size = size;
	r->b.blksz = blksz;
	snprintf(r->b.desc, sizeof(r->b.desc), "ram:%llu", (unsigned long long)size);
	*out = &r->b;
	return 0;
}
