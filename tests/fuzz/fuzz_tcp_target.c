/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: arbitrary byte streams into the target's connection receive
 * path (nvmx_tcp_conn_rx), in chunks whose size the first byte picks, with
 * a real subsystem and RAM namespace behind it so Connect, Property Set,
 * Identify and I/O run for inputs that get that far.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "target/core.h"
#include "transport/tcp_target.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nvmx_tgt *tgt;

static void init(void)
{
	struct nvmx_tgt_subsys *s;
	struct nvmx_bdev *b;

	nvmx_log_set_level(NVMX_LOG_ERR);
	if (nvmx_tgt_new(NULL, &tgt) || nvmx_tgt_subsys_add(tgt, "nqn.2024-01.io.nvmx:fuzz", &s) ||
	    nvmx_bdev_open_ram(1 << 20, 512, &b) || nvmx_tgt_ns_add(s, 1, b, NULL, NULL))
		__builtin_trap();
}

static void drain(int fd)
{
	static uint8_t sink[65536];

	while (read(fd, sink, sizeof(sink)) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nvmx_tcp_conn *c;
	size_t chunk;
	int sv[2];

	if (!tgt)
		init();
	if (size < 1 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 0;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	c = nvmx_tcp_conn_new(tgt, sv[0], NULL);
	if (!c) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	chunk = data[0] ? data[0] : size;
	data++;
	size--;
	for (size_t off = 0; off < size; off += chunk) {
		nvmx_tcp_conn_rx(c, data + off, size - off < chunk ? size - off : chunk);
		nvmx_tcp_conn_flush(c);
		drain(sv[1]);
	}
	nvmx_tcp_conn_free(c);
	close(sv[1]);
	return 0;
}
