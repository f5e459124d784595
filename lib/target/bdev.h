/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Namespace backends: RAM, file (regular file or block device), null.
 *
 * A backend is a byte store addressed by offset.  Calls are synchronous and
 * made from the thread that owns the queue, so nothing here locks.  The
 * map() operation lets a backend whose data is in memory (RAM) hand the
 * transport a pointer to the bytes themselves, so a read is sent straight
 * from backend memory without a copy (issue 9).
 */
#ifndef NVMX_TARGET_BDEV_H
#define NVMX_TARGET_BDEV_H

#include <stdbool.h>
#include <stdint.h>

struct nvmx_bdev;

struct nvmx_bdev_ops {
	int (*read)(struct nvmx_bdev *b, void *buf, uint64_t off, uint32_t len);
	int (*write)(struct nvmx_bdev *b, const void *buf, uint64_t off, uint32_t len);
	int (*write_zeroes)(struct nvmx_bdev *b, uint64_t off, uint64_t len);
	int (*discard)(struct nvmx_bdev *b, uint64_t off, uint64_t len);
	int (*flush)(struct nvmx_bdev *b);
	int (*resize)(struct nvmx_bdev *b, uint64_t new_size);
	/* Pointer to len bytes at off, valid until the next resize; NULL when
	 * the backend has no memory image (then read() copies). */
	void *(*map)(struct nvmx_bdev *b, uint64_t off, uint32_t len);
	void (*close)(struct nvmx_bdev *b);
};

enum nvmx_bdev_kind { NVMX_BDEV_RAM, NVMX_BDEV_FILE, NVMX_BDEV_NULL };

struct nvmx_bdev {
	const struct nvmx_bdev_ops *ops;
	enum nvmx_bdev_kind kind;
	uint64_t size;		/* bytes, multiple of blksz */
	uint32_t blksz;		/* logical block size (512 or 4096) */
	bool volatile_cache;	/* data may be lost without flush (file, no O_DIRECT|O_DSYNC) */
	char desc[256];		/* "ram:1073741824", "file:/path", "null:..." */
};

/* Flags of nvmx_bdev_open_file. */
#define NVMX_BDEV_DIRECT	0x1	/* O_DIRECT */
#define NVMX_BDEV_CREATE	0x2	/* create/extend a regular file to size */

int nvmx_bdev_open_ram(uint64_t size, uint32_t blksz, struct nvmx_bdev **out);
int nvmx_bdev_open_null(uint64_t size, uint32_t blksz, struct nvmx_bdev **out);
/* size 0: the file's or device's own size. */
int nvmx_bdev_open_file(const char *path, uint64_t size, uint32_t blksz,
			unsigned flags, struct nvmx_bdev **out);
void nvmx_bdev_close(struct nvmx_bdev *b);

/* Parse "1G", "512M", "4096", "2T" (binary units); -EINVAL if malformed. */
int nvmx_parse_size(const char *s, uint64_t *out);

#endif
