/* SPDX-License-Identifier: BSD-2-Clause */
/* Null backend: reads return zeroes, writes are discarded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/bdev.h"

static int null_read(struct nvmx_bdev *b, void *buf, uint64_t off, uint32_t len)
{
	memset(buf, 0, len);
	return 0;
}

static int null_write(struct nvmx_bdev *b, const void *buf, uint64_t off, uint32_t len)
{
	return 0;
}

static int null_range(struct nvmx_bdev *b, uint64_t off, uint64_t len) { return 0; }
static int null_flush(struct nvmx_bdev *b) { return 0; }

static int null_resize(struct nvmx_bdev *b, uint64_t new_size)
{
	b->size = new_size;
	return 0;
}

static void null_close(struct nvmx_bdev *b) { free(b); }

static const struct nvmx_bdev_ops null_ops = {
	.read = null_read, .write = null_write, .write_zeroes = null_range,
	.discard = null_range, .flush = null_flush, .resize = null_resize,
	.close = null_close,
};

int nvmx_bdev_open_null(uint64_t size, uint32_t blksz, struct nvmx_bdev **out)
{
	struct nvmx_bdev *b;

	if (size == 0 || blksz == 0 || size % blksz)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->ops = &null_ops;
	b->kind = NVMX_BDEV_NULL;
	b->size = size;
	b->blksz = blksz;
	snprintf(b->desc, sizeof(b->desc), "null:%llu", (unsigned long long)size);
	*out = b;
	return 0;
}
