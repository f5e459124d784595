/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CRC32C (Castagnoli) as NVMe/TCP header and data digests use it
 * (NVMe/TCP 1.0, 3.6.1): initial value all ones, result inverted.
 */
#ifndef NVMX_UTIL_CRC32C_H
#define NVMX_UTIL_CRC32C_H

#include <stddef.h>
#include <stdint.h>

#define NVMX_CRC32C_INIT 0xffffffffu

/* Continue a running CRC over buf; start with NVMX_CRC32C_INIT. */
uint32_t nvmx_crc32c_update(uint32_t crc, const void *buf, size_t len);

/* Turn a running CRC into the digest value sent on the wire. */
static inline uint32_t nvmx_crc32c_final(uint32_t crc) { return crc ^ 0xffffffffu; }

/* Digest of one buffer. */
static inline uint32_t nvmx_crc32c(const void *buf, size_t len)
{
	return nvmx_crc32c_final(nvmx_crc32c_update(NVMX_CRC32C_INIT, buf, len));
}

#endif
