/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: nvmxd's nvmetcli-JSON configuration loader (lib/target/config.c,
 * included so the parsed document goes straight to its loader) on a fresh
 * target per input.  Namespace paths never reach the file system: the
 * harness opens a null backend for any path (a path starting with "x" does
 * not exist), so the fuzzer cannot create or open files.  Beyond the
 * sanitizers: a failed load always says why (a non-empty message).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "target/core.h"
#include "target/bdev.h"

int nvmx_fuzz_open_file(const char *path, uint64_t size, uint32_t blksz, unsigned flags,
			struct nvmx_bdev **out);
#define nvmx_bdev_open_file nvmx_fuzz_open_file
#include "target/config.c"
#undef nvmx_bdev_open_file

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int nvmx_fuzz_open_file(const char *path, uint64_t size, uint32_t blksz, unsigned flags,
			struct nvmx_bdev **out)
{
	if (path[0] == 'x')
		return -ENOENT;
	return nvmx_bdev_open_null(1 << 20, blksz ? blksz : 512, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok;
	json_object *root;
	struct nvmx_tgt *t;
	char err[256] = "";
	struct cfg c = { .err = err, .errlen = sizeof(err) };

	nvmx_log_set_level(NVMX_LOG_OFF);	/* no log line per input */
	tok = json_tokener_new();
	if (!tok)
		return 0;
	root = json_tokener_parse_ex(tok, (const char *)data, (int)(size > 1 << 20 ? 1 << 20 : size));
	json_tokener_free(tok);
	if (!root)
		return 0;
	if (nvmx_tgt_new(NULL, &t))
		__builtin_trap();
	c.t = t;
	if (load(&c, root) && !err[0])
		__builtin_trap();	/* an error without a message */
	json_object_put(root);
	nvmx_tgt_free(t);
	return 0;
}
