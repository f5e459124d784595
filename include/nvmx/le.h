/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Little-endian wire values.  Every multi-byte field of an NVMe structure is
 * little-endian on the wire; the nvmx_leNN types mark such fields and the
 * accessors below are the only way code reads or writes them, so the stack
 * stays correct on a big-endian host.  The get/put forms take byte pointers
 * and are safe at any alignment (memcpy, no unaligned-access UB).
 */
#ifndef NVMX_LE_H
#define NVMX_LE_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

typedef uint16_t nvmx_le16;
typedef uint32_t nvmx_le32;
typedef uint64_t nvmx_le64;

static inline uint16_t nvmx_le16_to_cpu(nvmx_le16 v) { return le16toh(v); }
static inline uint32_t nvmx_le32_to_cpu(nvmx_le32 v) { return le32toh(v); }
static inline uint64_t nvmx_le64_to_cpu(nvmx_le64 v) { return le64toh(v); }
static inline nvmx_le16 nvmx_cpu_to_le16(uint16_t v) { return htole16(v); }
static inline nvmx_le32 nvmx_cpu_to_le32(uint32_t v) { return htole32(v); }
static inline nvmx_le64 nvmx_cpu_to_le64(uint64_t v) { return htole64(v); }

static inline uint16_t nvmx_get_le16(const void *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static inline uint32_t nvmx_get_le32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t nvmx_get_le64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void nvmx_put_le16(void *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void nvmx_put_le32(void *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void nvmx_put_le64(void *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

/* 128-bit counters of the SMART log: low and high 64-bit halves. */
static inline void nvmx_put_le128(void *p, uint64_t lo, uint64_t hi)
{
	nvmx_put_le64(p, lo);
	nvmx_put_le64((uint8_t *)p + 8, hi);
}

#endif /* NVMX_LE_H */
