/* SPDX-License-Identifier: BSD-2-Clause */
/* Backends: RAM (zero-copy map, zeroing, growth), file (sparse, durable,
 * zeroing, resize), null; and size parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "target/bdev.h"

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 13 + seed);
}

static void ram_maps_its_memory_and_zeroes_ranges(void **state)
{
	static uint8_t w[16384], r[16384], z[16384];
	struct nvmx_bdev *b;
	uint8_t *m;

	assert_int_equal(nvmx_bdev_open_ram(1 << 20, 512, &b), 0);
	fill(w, sizeof(w), 3);
	assert_int_equal(b->ops->write(b, w, 4096, sizeof(w)), 0);
	m = b->ops->map(b, 4096, sizeof(w));
	assert_non_null(m);
	assert_memory_equal(m, w, sizeof(w));		/* the data itself, no copy */
	/* Zero an unaligned range spanning whole pages: edges by hand. */
	assert_int_equal(b->ops->write_zeroes(b, 4096 + 512, 8192 + 1024), 0);
	assert_int_equal(b->ops->read(b, r, 4096, sizeof(r)), 0);
	assert_memory_equal(r, w, 512);
	assert_memory_equal(r + 512, z, 8192 + 1024);
	assert_memory_equal(r + 512 + 8192 + 1024, w + 512 + 8192 + 1024, 16384 - 512 - 8192 - 1024);
	/* Growing keeps the mapping where it was; shrinking zeroes the tail. */
	assert_int_equal(b->ops->resize(b, 4 << 20), 0);
	assert_ptr_equal(b->ops->map(b, 4096, 16), m);
	assert_int_equal(b->size, 4 << 20);
	assert_int_equal(b->ops->resize(b, 8192), 0);
	assert_int_equal(b->ops->resize(b, 1 << 20), 0);
	assert_int_equal(b->ops->read(b, r, 8192, 4096), 0);
	assert_memory_equal(r, z, 4096);
	nvmx_bdev_close(b);
	assert_int_equal(nvmx_bdev_open_ram(1000, 512, &b), -EINVAL);	/* not whole blocks */
}

static void file_round_trips_zeroes_and_resizes(void **state)
{
	char path[] = "/tmp/nvmx-bdev-XXXXXX";
	static uint8_t w[8192], r[8192], z[8192];
	struct nvmx_bdev *b;
	struct stat st;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	/* Created at the size asked for. */
	assert_int_equal(nvmx_bdev_open_file(path, 1 << 20, 512, NVMX_BDEV_CREATE, &b), 0);
	assert_int_equal(b->size, 1 << 20);
	assert_true(b->volatile_cache);
	assert_null(b->ops->map);
	fill(w, sizeof(w), 9);
	assert_int_equal(b->ops->write(b, w, 65536, sizeof(w)), 0);
	assert_int_equal(b->ops->flush(b), 0);
	assert_int_equal(b->ops->read(b, r, 65536, sizeof(r)), 0);
	assert_memory_equal(r, w, sizeof(w));
	assert_int_equal(b->ops->discard(b, 65536 + 4096, 4096), 0);
	assert_int_equal(b->ops->read(b, r, 65536, sizeof(r)), 0);
	assert_memory_equal(r, w, 4096);
	assert_memory_equal(r + 4096, z, 4096);
	assert_int_equal(b->ops->resize(b, 2 << 20), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 2 << 20);
	nvmx_bdev_close(b);
	/* Reopened with size 0: the file's size; the data is still there. */
	assert_int_equal(nvmx_bdev_open_file(path, 0, 512, 0, &b), 0);
	assert_int_equal(b->size, 2 << 20);
	assert_int_equal(b->ops->read(b, r, 65536, 4096), 0);
	assert_memory_equal(r, w, 4096);
	nvmx_bdev_close(b);
	unlink(path);
	assert_int_equal(nvmx_bdev_open_file("/nonexistent/x", 0, 512, 0, &b), -ENOENT);
	assert_int_equal(nvmx_bdev_open_file("/dev/null", 0, 512, 0, &b), -EINVAL);	/* not a file or block device */
}

static void null_reads_zeroes_and_discards_writes(void **state)
{
	uint8_t w[512], r[512], z[512] = { 0 };
	struct nvmx_bdev *b;

	assert_int_equal(nvmx_bdev_open_null(1 << 30, 4096, &b), 0);
	memset(w, 0xee, sizeof(w));
	assert_int_equal(b->ops->write(b, w, 0, sizeof(w)), 0);
	assert_int_equal(b->ops->read(b, r, 0, sizeof(r)), 0);
	assert_memory_equal(r, z, sizeof(r));
	nvmx_bdev_close(b);
}

static void sizes_parse_with_binary_units(void **state)
{
	uint64_t v;

	assert_int_equal(nvmx_parse_size("1G", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(nvmx_parse_size("512M", &v), 0);
	assert_int_equal(v, 512ull << 20);
	assert_int_equal(nvmx_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(nvmx_parse_size("2TiB", &v), 0);
	assert_int_equal(v, 2ull << 40);
	assert_int_equal(nvmx_parse_size("1X", &v), -EINVAL);
	assert_int_equal(nvmx_parse_size("", &v), -EINVAL);
	assert_int_equal(nvmx_parse_size("-1G", &v), -EINVAL);
	assert_int_equal(nvmx_parse_size("99999999999T", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_maps_its_memory_and_zeroes_ranges),
		cmocka_unit_test(file_round_trips_zeroes_and_resizes),
		cmocka_unit_test(null_reads_zeroes_and_discards_writes),
		cmocka_unit_test(sizes_parse_with_binary_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
