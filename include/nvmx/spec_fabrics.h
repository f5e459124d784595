/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe over Fabrics 1.1: the Fabrics command capsule, Connect, Property
 * Get/Set, Disconnect, Authentication, and the discovery log page.
 */
#ifndef NVMX_SPEC_FABRICS_H
#define NVMX_SPEC_FABRICS_H

#include "nvmx/spec_cmd.h"

#define NVMX_DISC_SUBSYS_NAME "nqn.2014-08.org.nvmexpress.discovery"
#define NVMX_NQN_MAX 223	/* Base 4.5: NQN up to 223 bytes, NUL excluded */
#define NVMX_NQN_FIELD 256

/* Fabrics command types (Fabrics 1.1 Figure 12) */
enum {
	NVMX_FCTYPE_PROPERTY_SET = 0x00,
	NVMX_FCTYPE_CONNECT      = 0x01,
	NVMX_FCTYPE_PROPERTY_GET = 0x04,
	NVMX_FCTYPE_AUTH_SEND    = 0x05,
	NVMX_FCTYPE_AUTH_RECV    = 0x06,
	NVMX_FCTYPE_DISCONNECT   = 0x08,
};

/* Generic Fabrics command (Fabrics 1.1 Figure 10). */
struct nvmx_fabrics_cmd {
	uint8_t   opc;		/* 0x7f */
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[35];
	uint8_t   fcs[24];	/* fabrics command specific */
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_fabrics_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_fabrics_cmd, fctype, 4);
NVMX_ASSERT_OFF(struct nvmx_fabrics_cmd, fcs, 40);

/* Connect command (Fabrics 1.1 Figure 20). */
struct nvmx_connect_cmd {
	uint8_t   opc;
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[19];
	union nvmx_dptr dptr;	/* SGL1 */
	nvmx_le16 recfmt;
	nvmx_le16 qid;
	nvmx_le16 sqsize;	/* 0's based */
	uint8_t   cattr;
	uint8_t   rsvd47;
	nvmx_le32 kato;		/* ms */
	uint8_t   rsvd52[12];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_connect_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, dptr, 24);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, recfmt, 40);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, qid, 42);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, sqsize, 44);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, cattr, 46);
NVMX_ASSERT_OFF(struct nvmx_connect_cmd, kato, 48);

/* CATTR (Fabrics 1.1 Figure 20; Base 2.1 Figure 579): PRIOCLASS 1:0, DISSQFC 2. */
#define NVMX_CONNECT_CATTR_PRIORITY_SHIFT 0
#define NVMX_CONNECT_CATTR_PRIORITY_MASK  0x3u	/* 00b urgent .. 11b low (WRR only) */
#define NVMX_CONNECT_CATTR_DISABLE_SQFC   (1u << 2)	/* SQ flow control disable */
#define NVMX_CONNECT_CNTLID_DYNAMIC       0xffffu
#define NVMX_CONNECT_CNTLID_STATIC_ANY    0xfffeu

/* Connect command data (Fabrics 1.1 Figure 21). */
struct nvmx_connect_data {
	uint8_t   hostid[16];
	nvmx_le16 cntlid;
	uint8_t   rsvd18[238];
	char      subnqn[NVMX_NQN_FIELD];
	char      hostnqn[NVMX_NQN_FIELD];
	uint8_t   rsvd768[256];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_connect_data, 1024);
NVMX_ASSERT_OFF(struct nvmx_connect_data, cntlid, 16);
NVMX_ASSERT_OFF(struct nvmx_connect_data, subnqn, 256);
NVMX_ASSERT_OFF(struct nvmx_connect_data, hostnqn, 512);

/*
 * Connect response DW0 (Fabrics 1.1 Figure 22/23; Base 2.1 Figure 582).  On
 * success: CNTLID in bytes 1:0, AUTHREQ in bytes 3:2 (ATR bit 1, ASCR bit 2).
 * On Connect Invalid Parameters: IPO (byte offset of the bad field) in bytes
 * 1:0, IATTR in byte 2 (bit 0 set: IPO counts from the start of the Connect
 * data, clear: from the start of the SQE); byte 3 reserved.  Linux nvmet
 * builds the same value ((1 << 16) | offset), SPDK's struct
 * spdk_nvmf_fabric_connect_rsp has ipo at bytes 1:0 and iattr at byte 2.
 */
static inline uint16_t nvmx_connect_rsp_cntlid(uint32_t dw0) { return (uint16_t)(dw0 & 0xffffu); }
static inline uint16_t nvmx_connect_rsp_authreq(uint32_t dw0) { return (uint16_t)(dw0 >> 16); }
static inline uint32_t nvmx_connect_rsp_invalid(int in_data, uint16_t ipo)
{
	return (uint32_t)ipo | ((in_data ? 1u : 0u) << 16);
}
static inline uint16_t nvmx_connect_rsp_ipo(uint32_t dw0) { return (uint16_t)(dw0 & 0xffffu); }
static inline unsigned nvmx_connect_rsp_iattr(uint32_t dw0) { return (dw0 >> 16) & 0xffu; }
#define NVMX_CONNECT_AUTHREQ_ATR  (1u << 1)	/* authentication transaction required */
#define NVMX_CONNECT_AUTHREQ_ASCR (1u << 2)	/* authentication and secure channel required */
#define NVMX_CONNECT_RSP_IATTR_DATA 1u

/* Property Set (Fabrics 1.1 Figure 37) and Get (Figure 32). ATTRIB 2:0: 0 = 4 bytes, 1 = 8 bytes. */
struct nvmx_prop_set_cmd {
	uint8_t   opc;
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[35];
	uint8_t   attrib;
	uint8_t   rsvd41[3];
	nvmx_le32 offset;
	nvmx_le64 value;
	uint8_t   rsvd56[8];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_prop_set_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_prop_set_cmd, attrib, 40);
NVMX_ASSERT_OFF(struct nvmx_prop_set_cmd, offset, 44);
NVMX_ASSERT_OFF(struct nvmx_prop_set_cmd, value, 48);

struct nvmx_prop_get_cmd {
	uint8_t   opc;
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[35];
	uint8_t   attrib;
	uint8_t   rsvd41[3];
	nvmx_le32 offset;
	uint8_t   rsvd48[16];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_prop_get_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_prop_get_cmd, attrib, 40);
NVMX_ASSERT_OFF(struct nvmx_prop_get_cmd, offset, 44);

#define NVMX_PROP_SIZE_4 0
#define NVMX_PROP_SIZE_8 1

/*
 * Property Get response (Fabrics 1.1, Property Get response): the value is CQE bytes 7:0
 * (DW0 low, DW1 high; a 4-byte property in DW0 with DW1 reserved).
 */
static inline uint64_t nvmx_prop_get_rsp_value(const struct nvmx_cqe *c)
{
	return nvmx_get_le64(&c->dw0);
}
static inline void nvmx_prop_get_rsp_set_value(struct nvmx_cqe *c, uint64_t v)
{
	nvmx_put_le64(&c->dw0, v);
}

/* Disconnect (Fabrics 1.1 Figure 26). */
struct nvmx_disconnect_cmd {
	uint8_t   opc;
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[35];
	nvmx_le16 recfmt;
	uint8_t   rsvd42[22];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_disconnect_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_disconnect_cmd, recfmt, 40);

/* Authentication Send / Receive (Fabrics 1.1 Figures 15, 17). */
struct nvmx_auth_cmd {
	uint8_t   opc;
	uint8_t   flags;
	nvmx_le16 cid;
	uint8_t   fctype;
	uint8_t   rsvd5[19];
	union nvmx_dptr dptr;
	uint8_t   rsvd40;
	uint8_t   spsp0;
	uint8_t   spsp1;
	uint8_t   secp;
	nvmx_le32 tl_al;	/* transfer length (send) / allocation length (receive) */
	uint8_t   rsvd48[16];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_auth_cmd, 64);
NVMX_ASSERT_OFF(struct nvmx_auth_cmd, spsp0, 41);
NVMX_ASSERT_OFF(struct nvmx_auth_cmd, secp, 43);
NVMX_ASSERT_OFF(struct nvmx_auth_cmd, tl_al, 44);

/* ------------------------------------------------------------------ */
/* Discovery log page (Fabrics 1.1 5.3, Figures 31, 32)               */
/* ------------------------------------------------------------------ */

enum {	/* TRTYPE */
	NVMX_TRTYPE_RDMA = 1,
	NVMX_TRTYPE_FC   = 2,
	NVMX_TRTYPE_TCP  = 3,
	NVMX_TRTYPE_LOOP = 254,
};
enum {	/* ADRFAM */
	NVMX_ADRFAM_IPV4 = 1,
	NVMX_ADRFAM_IPV6 = 2,
	NVMX_ADRFAM_IB   = 3,
	NVMX_ADRFAM_FC   = 4,
	NVMX_ADRFAM_LOOP = 254,
};
enum {	/* SUBTYPE */
	NVMX_SUBTYPE_DISCOVERY_REFERRAL = 1,
	NVMX_SUBTYPE_NVME               = 2,
	NVMX_SUBTYPE_CURRENT_DISCOVERY  = 3,
};
/* TREQ: secure channel 1:0, SQ flow control disable 2 */
#define NVMX_TREQ_SECURE_NOT_SPECIFIED 0u
#define NVMX_TREQ_SECURE_REQUIRED      1u
#define NVMX_TREQ_SECURE_NOT_REQUIRED  2u
#define NVMX_TREQ_DISABLE_SQFLOW       (1u << 2)
/* TCP TSAS SECTYPE */
#define NVMX_TCP_SECTYPE_NONE 0
#define NVMX_TCP_SECTYPE_TLS12 1
#define NVMX_TCP_SECTYPE_TLS13 2

struct nvmx_disc_log_entry {
	uint8_t   trtype;
	uint8_t   adrfam;
	uint8_t   subtype;
	uint8_t   treq;
	nvmx_le16 portid;
	nvmx_le16 cntlid;
	nvmx_le16 asqsz;
	nvmx_le16 eflags;
	uint8_t   rsvd12[20];
	char      trsvcid[32];
	uint8_t   rsvd64[192];
	char      subnqn[NVMX_NQN_FIELD];
	char      traddr[256];
	uint8_t   tsas[256];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_disc_log_entry, 1024);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, adrfam, 1);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, subtype, 2);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, treq, 3);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, portid, 4);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, cntlid, 6);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, asqsz, 8);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, eflags, 10);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, trsvcid, 32);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, subnqn, 256);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, traddr, 512);
NVMX_ASSERT_OFF(struct nvmx_disc_log_entry, tsas, 768);

struct nvmx_disc_log_hdr {
	nvmx_le64 genctr;
	nvmx_le64 numrec;
	nvmx_le16 recfmt;
	uint8_t   rsvd18[1006];
	struct nvmx_disc_log_entry entries[];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_disc_log_hdr, 1024);
NVMX_ASSERT_OFF(struct nvmx_disc_log_hdr, numrec, 8);
NVMX_ASSERT_OFF(struct nvmx_disc_log_hdr, recfmt, 16);
NVMX_ASSERT_OFF(struct nvmx_disc_log_hdr, entries, 1024);

#endif /* NVMX_SPEC_FABRICS_H */
