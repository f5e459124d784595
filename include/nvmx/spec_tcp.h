/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe/TCP Transport Specification 1.0 PDUs ("TCP x.y" below).  Every PDU
 * starts with the 8-byte common header; HLEN covers the PDU-specific header,
 * HDGST (4 bytes, when enabled) follows it, data starts at PDO, DDGST (4
 * bytes, when enabled) follows the data, and PLEN counts everything.
 */
#ifndef NVMX_SPEC_TCP_H
#define NVMX_SPEC_TCP_H

#include "nvmx/spec_cmd.h"

#define NVMX_TCP_PFV_1_0         0
#define NVMX_TCP_DIGEST_LEN      4
#define NVMX_TCP_DEFAULT_PORT    4420
#define NVMX_TCP_DISC_PORT       8009
#define NVMX_TCP_TERM_DATA_MAX   128	/* TermReq carries at most this many header bytes */
#define NVMX_TCP_TERM_PDU_MAX    (24 + NVMX_TCP_TERM_DATA_MAX)

/* PDU types (TCP Figure 18). */
enum {
	NVMX_TCP_ICREQ        = 0x00,
	NVMX_TCP_ICRESP       = 0x01,
	NVMX_TCP_H2C_TERM     = 0x02,
	NVMX_TCP_C2H_TERM     = 0x03,
	NVMX_TCP_CMD          = 0x04,
	NVMX_TCP_RSP          = 0x05,
	NVMX_TCP_H2C_DATA     = 0x06,
	NVMX_TCP_C2H_DATA     = 0x07,
	NVMX_TCP_R2T          = 0x09,
};

/* Common header flags (TCP Figure 19, and the data PDUs' figures). */
#define NVMX_TCP_F_HDGST      (1u << 0)
#define NVMX_TCP_F_DDGST      (1u << 1)
#define NVMX_TCP_F_LAST_PDU   (1u << 2)
#define NVMX_TCP_F_SUCCESS    (1u << 3)	/* C2HData only */

/* ICReq/ICResp DGST field */
#define NVMX_TCP_DGST_HDR     (1u << 0)
#define NVMX_TCP_DGST_DATA    (1u << 1)

/* Fatal error status of a TermReq (TCP Figures 27, 28). */
enum {
	NVMX_TCP_FES_INVALID_HEADER   = 0x01,
	NVMX_TCP_FES_PDU_SEQUENCE     = 0x02,
	NVMX_TCP_FES_HDGST            = 0x03,
	NVMX_TCP_FES_DATA_OUT_OF_RANGE = 0x04,
	NVMX_TCP_FES_R2T_LIMIT        = 0x05,	/* H2CTermReq: R2T limit exceeded */
	NVMX_TCP_FES_DATA_LIMIT       = 0x05,	/* C2HTermReq: data transfer limit exceeded */
	NVMX_TCP_FES_UNSUPPORTED_PARAM = 0x06,
};

struct nvmx_tcp_ch {
	uint8_t   pdu_type;
	uint8_t   flags;
	uint8_t   hlen;
	uint8_t   pdo;
	nvmx_le32 plen;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_ch, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_ch, hlen, 2);
NVMX_ASSERT_OFF(struct nvmx_tcp_ch, pdo, 3);
NVMX_ASSERT_OFF(struct nvmx_tcp_ch, plen, 4);

/* ICReq (TCP Figure 20) */
struct nvmx_tcp_icreq {
	struct nvmx_tcp_ch ch;
	nvmx_le16 pfv;
	uint8_t   hpda;		/* host PDU data alignment, (n+1)*4 bytes */
	uint8_t   dgst;
	nvmx_le32 maxr2t;	/* 0's based */
	uint8_t   rsvd16[112];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_icreq, 128);
NVMX_ASSERT_OFF(struct nvmx_tcp_icreq, pfv, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_icreq, hpda, 10);
NVMX_ASSERT_OFF(struct nvmx_tcp_icreq, dgst, 11);
NVMX_ASSERT_OFF(struct nvmx_tcp_icreq, maxr2t, 12);

/* ICResp (TCP Figure 21) */
struct nvmx_tcp_icresp {
	struct nvmx_tcp_ch ch;
	nvmx_le16 pfv;
	uint8_t   cpda;		/* controller PDU data alignment */
	uint8_t   dgst;
	nvmx_le32 maxh2cdata;	/* bytes, >= 4096, multiple of 4 */
	uint8_t   rsvd16[112];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_icresp, 128);
NVMX_ASSERT_OFF(struct nvmx_tcp_icresp, cpda, 10);
NVMX_ASSERT_OFF(struct nvmx_tcp_icresp, dgst, 11);
NVMX_ASSERT_OFF(struct nvmx_tcp_icresp, maxh2cdata, 12);

#define NVMX_TCP_MIN_MAXH2CDATA 4096
#define NVMX_TCP_PDA_MAX 31

/* H2CTermReq / C2HTermReq (TCP Figures 22-25): the offending PDU's header follows. */
struct nvmx_tcp_term_req {
	struct nvmx_tcp_ch ch;
	nvmx_le16 fes;
	nvmx_le32 fei;		/* field error information, unaligned */
	uint8_t   rsvd14[10];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_term_req, 24);
NVMX_ASSERT_OFF(struct nvmx_tcp_term_req, fes, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_term_req, fei, 10);

/* CapsuleCmd (TCP Figure 26): SQE, then optional HDGST, pad, in-capsule data, DDGST. */
struct nvmx_tcp_cmd {
	struct nvmx_tcp_ch ch;
	struct nvmx_sqe sqe;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_cmd, 72);
NVMX_ASSERT_OFF(struct nvmx_tcp_cmd, sqe, 8);

/* CapsuleResp (TCP Figure 27) */
struct nvmx_tcp_rsp {
	struct nvmx_tcp_ch ch;
	struct nvmx_cqe cqe;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_rsp, 24);
NVMX_ASSERT_OFF(struct nvmx_tcp_rsp, cqe, 8);

/* H2CData (TCP Figure 28) */
struct nvmx_tcp_h2c_data {
	struct nvmx_tcp_ch ch;
	nvmx_le16 cccid;
	nvmx_le16 ttag;
	nvmx_le32 datao;
	nvmx_le32 datal;
	uint8_t   rsvd20[4];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_h2c_data, 24);
NVMX_ASSERT_OFF(struct nvmx_tcp_h2c_data, cccid, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_h2c_data, ttag, 10);
NVMX_ASSERT_OFF(struct nvmx_tcp_h2c_data, datao, 12);
NVMX_ASSERT_OFF(struct nvmx_tcp_h2c_data, datal, 16);

/* C2HData (TCP Figure 29) */
struct nvmx_tcp_c2h_data {
	struct nvmx_tcp_ch ch;
	nvmx_le16 cccid;
	uint8_t   rsvd10[2];
	nvmx_le32 datao;
	nvmx_le32 datal;
	uint8_t   rsvd20[4];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_c2h_data, 24);
NVMX_ASSERT_OFF(struct nvmx_tcp_c2h_data, cccid, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_c2h_data, datao, 12);
NVMX_ASSERT_OFF(struct nvmx_tcp_c2h_data, datal, 16);

/* R2T (TCP Figure 30) */
struct nvmx_tcp_r2t {
	struct nvmx_tcp_ch ch;
	nvmx_le16 cccid;
	nvmx_le16 ttag;
	nvmx_le32 r2to;
	nvmx_le32 r2tl;
	uint8_t   rsvd20[4];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_tcp_r2t, 24);
NVMX_ASSERT_OFF(struct nvmx_tcp_r2t, cccid, 8);
NVMX_ASSERT_OFF(struct nvmx_tcp_r2t, ttag, 10);
NVMX_ASSERT_OFF(struct nvmx_tcp_r2t, r2to, 12);
NVMX_ASSERT_OFF(struct nvmx_tcp_r2t, r2tl, 16);

/* The fixed HLEN of each PDU type (TCP 3.6.1); 0 for types that do not exist. */
static inline unsigned nvmx_tcp_hlen(uint8_t type)
{
	switch (type) {
	case NVMX_TCP_ICREQ:
	case NVMX_TCP_ICRESP:    return 128;
	case NVMX_TCP_H2C_TERM:
	case NVMX_TCP_C2H_TERM:  return 24;
	case NVMX_TCP_CMD:       return 72;
	case NVMX_TCP_RSP:       return 24;
	case NVMX_TCP_H2C_DATA:
	case NVMX_TCP_C2H_DATA:
	case NVMX_TCP_R2T:       return 24;
	default:                 return 0;
	}
}

/*
 * Whether the header digest applies to a PDU type once negotiated: never to
 * IC or TermReq PDUs (TCP 3.6.2), and not to types that do not exist.
 */
static inline int nvmx_tcp_type_has_hdgst(uint8_t type)
{
	return type >= NVMX_TCP_CMD && nvmx_tcp_hlen(type) != 0;
}

/* Data offset padded to the negotiated alignment ((pda + 1) * 4 bytes), as PDO must be. */
static inline unsigned nvmx_tcp_pdo(unsigned hlen_with_digest, unsigned pda)
{
	unsigned align = (pda + 1u) * 4u;

	if (pda == 0)
		return hlen_with_digest;
	return (hlen_with_digest + align - 1u) / align * align;
}

#endif /* NVMX_SPEC_TCP_H */
