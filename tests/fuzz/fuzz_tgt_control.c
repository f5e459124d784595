/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: nvmxd's control-socket request handler (lib/target/control_methods.c,
 * included so each request line goes straight to nvmx_tgt_rpc_handle) against a
 * fresh target per input holding one subsystem with a namespace.  Input:
 * request lines separated by '\n', as the socket delivers them.  Backends
 * stay in memory: "file" namespaces and RAM namespaces over 16 MiB get a
 * null backend of the asked size instead, so the fuzzer creates no files
 * and allocates no more than that.  Beyond the sanitizers: every answer is
 * a JSON-RPC 2.0 object with exactly one of result and error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target/core.h"
#include "target/bdev.h"

int nvmx_fuzz_open_file(const char *path, uint64_t size, uint32_t blksz, unsigned flags,
			struct nvmx_bdev **out);
int nvmx_fuzz_open_ram(uint64_t size, uint32_t blksz, struct nvmx_bdev **out);
#define nvmx_bdev_open_file nvmx_fuzz_open_file
#define nvmx_bdev_open_ram nvmx_fuzz_open_ram
#include "target/control_methods.c"
#undef nvmx_bdev_open_file
#undef nvmx_bdev_open_ram

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int nvmx_fuzz_open_file(const char *path, uint64_t size, uint32_t blksz, unsigned flags,
			struct nvmx_bdev **out)
{
	return nvmx_bdev_open_null(size ? size : 1 << 20, blksz, out);
}

int nvmx_fuzz_open_ram(uint64_t size, uint32_t blksz, struct nvmx_bdev **out)
{
	if (size > 16 << 20)
		return nvmx_bdev_open_null(size, blksz, out);
	return nvmx_bdev_open_ram(size, blksz, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nvmx_tgt_subsys *s;
	struct nvmx_bdev *b;
	struct nvmx_tgt *t;
	char *buf, *line, *save = NULL;

	nvmx_log_set_level(NVMX_LOG_OFF);	/* no log line per input */
	if (size > 65536)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (nvmx_tgt_new(NULL, &t) || nvmx_tgt_subsys_add(t, "nqn.2024-01.io.nvmx:fuzz", &s) ||
	    nvmx_bdev_open_ram(1 << 20, 512, &b) || nvmx_tgt_ns_add(s, 1, b, NULL, NULL))
		__builtin_trap();
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *resp = nvmx_tgt_rpc_handle(t, line), *v;
		bool has_res = json_object_object_get_ex(resp, "result", &v);
		bool has_err = json_object_object_get_ex(resp, "error", &v);

		if (has_res == has_err)
			__builtin_trap();
		if (!json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN))
			__builtin_trap();
		json_object_put(resp);
	}
	nvmx_tgt_free(t);
	free(buf);
	return 0;
}
