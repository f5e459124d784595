/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer: the transport-ID parser (tcp://, pcie://, SPDK's key:value
 * form) and the UUID parser.  Beyond the sanitizers: whatever parses
 * prints in both forms, and each printed form parses back to a transport
 * ID that prints the same (a stable round trip); a UUID round-trips to its
 * 16 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/nvmx.h"
#include "util/trid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct nvmx_trid *t, int (*fmt)(const struct nvmx_trid *, char *, size_t))
{
	static char a[2048], b[2048];
	struct nvmx_trid t2;
	char err[160];
	int n;

	n = fmt(t, a, sizeof(a));
	if (n < 0 || (size_t)n >= sizeof(a))
		__builtin_trap();
	memset(&t2, 0, sizeof(t2));
	if (nvmx_trid_parse(&t2, a, err, sizeof(err)))
		__builtin_trap();	/* we printed something we cannot read back */
	n = fmt(&t2, b, sizeof(b));
	if (n < 0 || strcmp(a, b))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[160];
	struct nvmx_trid t;
	unsigned char u[16], u2[16];
	char ubuf[37];
	unsigned int port;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&t, 0, sizeof(t));
	if (nvmx_trid_parse(&t, s, err, sizeof(err)) == 0) {
		roundtrip(&t, nvmx_trid_format);
		if (t.trtype == NVMX_TRTYPE_TCP)
			roundtrip(&t, nvmx_trid_format_spdk);
	} else if (!memchr(err, '\0', sizeof(err))) {
		__builtin_trap();	/* the message is a terminated string */
	}
	if (nvmx_uuid_parse(s, u) == 0) {
		nvmx_uuid_format(u, ubuf);
		if (nvmx_uuid_parse(ubuf, u2) || memcmp(u, u2, 16))
			__builtin_trap();
	}
	(void)nvmx_parse_port(s, &port);
	free(s);
	return 0;
}
