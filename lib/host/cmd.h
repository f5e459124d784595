/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Field helpers for SQEs and CQEs at their wire offsets (NVMe base spec
 * 2.0, 4.2 "Submission Queue Entry", 4.6 "Completion Queue Entry").  They
 * work on the spec structs as bytes, little-endian, so every caller reads
 * the same way whatever the typed view is called.
 */
#ifndef NVMX_HOST_CMD_H
#define NVMX_HOST_CMD_H

#include <stdint.h>
#include <string.h>

#include "nvmx/le.h"
#include "nvmx/spec.h"

#define SQE_B(s)	((uint8_t *)(s))
#define CQE_B(c)	((const uint8_t *)(c))

static inline void sqe_init(struct nvmx_sqe *s, uint8_t opc, uint32_t nsid)
{
	memset(s, 0, sizeof(*s));
	SQE_B(s)[0] = opc;
	nvmx_put_le32(SQE_B(s) + 4, nsid);
}

static inline uint8_t sqe_opc(const struct nvmx_sqe *s) { return ((const uint8_t *)s)[0]; }
static inline uint8_t sqe_flags(const struct nvmx_sqe *s) { return ((const uint8_t *)s)[1]; }
static inline void sqe_set_flags(struct nvmx_sqe *s, uint8_t f) { SQE_B(s)[1] = f; }
static inline uint16_t sqe_cid(const struct nvmx_sqe *s) { return nvmx_get_le16((const uint8_t *)s + 2); }
static inline void sqe_set_cid(struct nvmx_sqe *s, uint16_t cid) { nvmx_put_le16(SQE_B(s) + 2, cid); }
static inline uint32_t sqe_nsid(const struct nvmx_sqe *s) { return nvmx_get_le32((const uint8_t *)s + 4); }

/* CDW n (0..15) at byte 4*n. */
static inline uint32_t sqe_cdw(const struct nvmx_sqe *s, unsigned int n)
{
	return nvmx_get_le32((const uint8_t *)s + 4 * n);
}

static inline void sqe_set_cdw(struct nvmx_sqe *s, unsigned int n, uint32_t v)
{
	nvmx_put_le32(SQE_B(s) + 4 * n, v);
}

/* SLBA in CDW10-11, NLB (0's based) in CDW12 bits 15:0. */
static inline uint64_t sqe_slba(const struct nvmx_sqe *s) { return nvmx_get_le64((const uint8_t *)s + 40); }
static inline void sqe_set_slba(struct nvmx_sqe *s, uint64_t v) { nvmx_put_le64(SQE_B(s) + 40, v); }
static inline void sqe_set_nlb(struct nvmx_sqe *s, uint32_t nlb)
{
	sqe_set_cdw(s, 12, (sqe_cdw(s, 12) & 0xffff0000u) | ((nlb - 1) & 0xffff));
}

/* The data pointer (DPTR, bytes 24..39) as one SGL descriptor (4.3.2). */
static inline void sqe_set_sgl(struct nvmx_sqe *s, uint64_t addr, uint32_t len, uint8_t type)
{
	SQE_B(s)[1] = (uint8_t)((SQE_B(s)[1] & 0x3f) | 0x40);	/* PSDT = 01b: SGL */
	nvmx_put_le64(SQE_B(s) + 24, addr);
	nvmx_put_le32(SQE_B(s) + 32, len);
	memset(SQE_B(s) + 36, 0, 3);
	SQE_B(s)[39] = type;
}

static inline uint32_t cqe_dw0(const struct nvmx_cqe *c) { return nvmx_get_le32(CQE_B(c)); }
static inline uint32_t cqe_dw1(const struct nvmx_cqe *c) { return nvmx_get_le32(CQE_B(c) + 4); }
static inline uint16_t cqe_sqhd(const struct nvmx_cqe *c) { return nvmx_get_le16(CQE_B(c) + 8); }
static inline uint16_t cqe_cid(const struct nvmx_cqe *c) { return nvmx_get_le16(CQE_B(c) + 12); }
/* The status field without the phase bit: SC 7:0, SCT 10:8, CRD, M, DNR. */
static inline uint16_t cqe_status(const struct nvmx_cqe *c)
{
	return (uint16_t)((nvmx_get_le16(CQE_B(c) + 14) >> 1) & 0x7fff);
}

static inline void cqe_fill(struct nvmx_cqe *c, uint16_t cid, uint16_t status, uint32_t dw0)
{
	memset(c, 0, sizeof(*c));
	nvmx_put_le32((uint8_t *)c, dw0);
	nvmx_put_le16((uint8_t *)c + 12, cid);
	nvmx_put_le16((uint8_t *)c + 14, (uint16_t)(status << 1));
}

/* SCT/SC values the core synthesises (NVMe base spec 2.0, 4.6.1.2). */
#define NVMX_ST_HOST_PATH_ERROR	0x370	/* SCT 3 Path Related, SC 70h */
#define NVMX_ST_DNR		0x4000

#endif
