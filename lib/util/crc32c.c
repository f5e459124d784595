/* SPDX-License-Identifier: BSD-2-Clause */
#include <limits.h>

#include <isa-l/crc.h>

#include "util/crc32c.h"

uint32_t nvmx_crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	/* ISA-L takes an int length; feed huge buffers in pieces. */
	while (len > 0) {
		int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;

		crc = crc32_iscsi((unsigned char *)p, n, crc);
		p += n;
		len -= (size_t)n;
	}
	return crc;
}
