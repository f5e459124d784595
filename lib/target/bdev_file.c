/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File backend: a regular file or a block device.  Writes go through the
 * page cache unless O_DIRECT was asked for; Flush (and shutdown) calls
 * fdatasync so acknowledged data is durable, as the Flush command promises
 * (NVM command set 3.2.2).  Zeroing and deallocation punch holes in regular
 * files and use BLKZEROOUT/BLKDISCARD on block devices; anything that
 * refuses falls back to writing zeroes (deallocate is advisory).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/bdev.h"

#define ZERO_CHUNK (128u * 1024)

struct file_bdev {
	struct nvmx_bdev b;
	int fd;
	bool blkdev;
	bool direct;
	void *zeroes;		/* aligned zero buffer for the write fallback */
};

static struct file_bdev *to_file(struct nvmx_bdev *b) { return (struct file_bdev *)b; }

static int file_read(struct nvmx_bdev *b, void *buf, uint64_t off, uint32_t len)
{
	struct file_bdev *f = to_file(b);
	uint32_t done = 0;

	while (done < len) {
		ssize_t n = pread(f->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {		/* past EOF of a sparse/short file */
			memset((uint8_t *)buf + done, 0, len - done);
			break;
		}
		done += (uint32_t)n;
	}
	return 0;
}

static int file_write(struct nvmx_bdev *b, const void *buf, uint64_t off, uint32_t len)
{
	struct file_bdev *f = to_file(b);
	uint32_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(f->fd, (const uint8_t *)buf + done, len - done,
				   (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (uint32_t)n;
	}
	return 0;
}

static int file_write_zero_buf(struct file_bdev *f, uint64_t off, uint64_t len)
{
	while (len) {
		uint32_t n = len > ZERO_CHUNK ? ZERO_CHUNK : (uint32_t)len;
		int rc = file_write(&f->b, f->zeroes, off, n);

		if (rc)
			return rc;
		off += n;
		len -= n;
	}
	return 0;
}

static int file_zero(struct nvmx_bdev *b, uint64_t off, uint64_t len)
{
	struct file_bdev *f = to_file(b);

	if (f->blkdev) {
		uint64_t r[2] = { off, len };

		if (ioctl(f->fd, BLKZEROOUT, r) == 0)
			return 0;
	} else if (fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     (off_t)off, (off_t)len) == 0) {
		return 0;
	}
	return file_write_zero_buf(f, off, len);
}

static int file_discard(struct nvmx_bdev *b, uint64_t off, uint64_t len)
{
	struct file_bdev *f = to_file(b);

	if (f->blkdev) {
		uint64_t r[2] = { off, len };

		if (ioctl(f->fd, BLKDISCARD, r) == 0)
			return 0;
	}
	/* Deallocated blocks read as zeroes here (DLFEAT reports that). */
	return file_zero(b, off, len);
}

static int file_flush(struct nvmx_bdev *b)
{
	return fdatasync(to_file(b)->fd) == 0 ? 0 : -errno;
}

static int file_resize(struct nvmx_bdev *b, uint64_t new_size)
{
	struct file_bdev *f = to_file(b);

	if (f->blkdev)
		return -EOPNOTSUPP;
	if (ftruncate(f->fd, (off_t)new_size) != 0)
		return -errno;
	b->size = new_size;
	return 0;
}

static void file_close(struct nvmx_bdev *b)
{
	struct file_bdev *f = to_file(b);

	fdatasync(f->fd);
	close(f->fd);
	free(f->zeroes);
	free(f);
}

static const struct nvmx_bdev_ops file_ops = {
	.read = file_read, .write = file_write, .write_zeroes = file_zero,
	.discard = file_discard, .flush = file_flush, .resize = file_resize,
	.close = file_close,
};

static int file_size(struct file_bdev *f, const struct stat *st, uint64_t *size)
{
	if (f->blkdev)
		return ioctl(f->fd, BLKGETSIZE64, size) == 0 ? 0 : -errno;
	*size = (uint64_t)st->st_size;
	return 0;
}

int nvmx_bdev_open_file(const char *path, uint64_t size, uint32_t blksz,
			unsigned flags, struct nvmx_bdev **out)
{
	int oflags = O_RDWR | O_CLOEXEC | (flags & NVMX_BDEV_CREATE ? O_CREAT : 0);
	struct file_bdev *f;
	struct stat st;
	uint64_t have;
	int rc;

	if (blksz == 0)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->direct = flags & NVMX_BDEV_DIRECT;
	f->fd = open(path, oflags | (f->direct ? O_DIRECT : 0), 0644);
	if (f->fd < 0 || fstat(f->fd, &st) != 0) {
		rc = -errno;
		goto free_f;
	}
	f->blkdev = S_ISBLK(st.st_mode);
	if (!f->blkdev && !S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto close_fd;
	}
	rc = file_size(f, &st, &have);
	if (rc)
		goto close_fd;
	if (size == 0)
		size = have;
	if (size > have) {
		rc = -EFBIG;
		if (f->blkdev)
			goto close_fd;
		if (ftruncate(f->fd, (off_t)size) != 0) {
			rc = -errno;
			goto close_fd;
		}
	}
	size -= size % blksz;
	rc = -EINVAL;
	if (size == 0)
		goto close_fd;
	if (posix_memalign(&f->zeroes, 4096, ZERO_CHUNK) != 0) {
		rc = -ENOMEM;
		goto close_fd;
	}
	memset(f->zeroes, 0, ZERO_CHUNK);
	f->b.ops = &file_ops;
	f->b.kind = NVMX_BDEV_FILE;
	f->b.size = size;
	f->b.blksz = blksz;
	f->b.volatile_cache = !f->direct;
	snprintf(f->b.desc, sizeof(f->b.desc), "file:%s", path);
	*out = &f->b;
	return 0;

close_fd:
	close(f->fd);
free_f:
	free(f);
	return rc;
}
