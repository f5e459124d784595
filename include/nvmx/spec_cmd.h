/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Submission and completion queue entries, data pointers, opcodes and status
 * codes.  NVMe Base Specification 2.0 (sections cited as "Base x.y"), NVM
 * Command Set Specification 1.0 ("NVM x.y").
 */
#ifndef NVMX_SPEC_CMD_H
#define NVMX_SPEC_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "nvmx/le.h"

#define NVMX_PACKED __attribute__((packed))
#define NVMX_ASSERT_SIZE(t, n) _Static_assert(sizeof(t) == (n), #t " size")
#define NVMX_ASSERT_OFF(t, f, n) _Static_assert(offsetof(t, f) == (n), #t "." #f " offset")

/* ------------------------------------------------------------------ */
/* Data pointer: PRP pair or one SGL descriptor (Base 4.1, 4.3)        */
/* ------------------------------------------------------------------ */

/* SGL descriptor type (bits 7:4 of the identifier), Base Figure 113. */
enum {
	NVMX_SGL_TYPE_DATA_BLOCK      = 0x0,
	NVMX_SGL_TYPE_BIT_BUCKET      = 0x1,
	NVMX_SGL_TYPE_SEGMENT         = 0x2,
	NVMX_SGL_TYPE_LAST_SEGMENT    = 0x3,
	NVMX_SGL_TYPE_KEYED_DATA      = 0x4,
	NVMX_SGL_TYPE_TRANSPORT_DATA  = 0x5,
	NVMX_SGL_TYPE_VENDOR          = 0xf,
};

/* SGL descriptor sub type (bits 3:0), Base Figure 114. */
enum {
	NVMX_SGL_SUBTYPE_ADDRESS   = 0x0,
	NVMX_SGL_SUBTYPE_OFFSET    = 0x1,
	NVMX_SGL_SUBTYPE_TRANSPORT = 0xa,
	NVMX_SGL_SUBTYPE_INVALIDATE = 0xf,	/* keyed: invalidate the key (RDMA) */
};

#define NVMX_SGL_ID(type, subtype) ((uint8_t)(((type) << 4) | (subtype)))

/* Unkeyed forms: Data Block, Bit Bucket, Segment, Last Segment, Transport Data Block. */
struct nvmx_sgl_desc {
	nvmx_le64 addr;
	nvmx_le32 length;
	uint8_t   rsvd12[3];
	uint8_t   id;		/* type << 4 | subtype */
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_sgl_desc, 16);
NVMX_ASSERT_OFF(struct nvmx_sgl_desc, length, 8);
NVMX_ASSERT_OFF(struct nvmx_sgl_desc, id, 15);

/* Keyed SGL Data Block (RDMA), Base Figure 120. */
struct nvmx_sgl_keyed_desc {
	nvmx_le64 addr;
	uint8_t   length[3];	/* 24-bit little-endian */
	nvmx_le32 key;
	uint8_t   id;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_sgl_keyed_desc, 16);
NVMX_ASSERT_OFF(struct nvmx_sgl_keyed_desc, key, 11);
NVMX_ASSERT_OFF(struct nvmx_sgl_keyed_desc, id, 15);

/*
 * Packed (alignment 1) like every wire structure, so that &sqe->dptr is a
 * valid pointer without -Waddress-of-packed-member complaints.
 */
union nvmx_dptr {
	struct {
		nvmx_le64 prp1;
		nvmx_le64 prp2;
	} NVMX_PACKED prp;
	struct nvmx_sgl_desc sgl;
	struct nvmx_sgl_keyed_desc ksgl;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(union nvmx_dptr, 16);
_Static_assert(_Alignof(union nvmx_dptr) == 1, "union nvmx_dptr is packed");

/* ------------------------------------------------------------------ */
/* Submission queue entry (Base 4.2)                                   */
/* ------------------------------------------------------------------ */

/* CDW0 flags byte: FUSE bits 1:0, PSDT bits 7:6. */
#define NVMX_SQE_FUSE_MASK      0x03
#define NVMX_SQE_PSDT_SHIFT     6
#define NVMX_SQE_PSDT_PRP       (0u << 6)
#define NVMX_SQE_PSDT_SGL_MPTR  (1u << 6)	/* SGL, MPTR is one contiguous buffer */
#define NVMX_SQE_PSDT_SGL_MSGL  (2u << 6)	/* SGL, MPTR points at an SGL */

#define NVMX_SQE_HDR \
	uint8_t   opc;      \
	uint8_t   flags;    \
	nvmx_le16 cid;      \
	nvmx_le32 nsid;     \
	nvmx_le32 cdw2;     \
	nvmx_le32 cdw3;     \
	nvmx_le64 mptr;     \
	union nvmx_dptr dptr

/* The generic form; the typed views below overlay it exactly. */
struct nvmx_sqe {
	NVMX_SQE_HDR;
	nvmx_le32 cdw10;
	nvmx_le32 cdw11;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_sqe, 64);
NVMX_ASSERT_OFF(struct nvmx_sqe, cid, 2);
NVMX_ASSERT_OFF(struct nvmx_sqe, nsid, 4);
NVMX_ASSERT_OFF(struct nvmx_sqe, cdw2, 8);
NVMX_ASSERT_OFF(struct nvmx_sqe, mptr, 16);
NVMX_ASSERT_OFF(struct nvmx_sqe, dptr, 24);
NVMX_ASSERT_OFF(struct nvmx_sqe, cdw10, 40);
NVMX_ASSERT_OFF(struct nvmx_sqe, cdw15, 60);

/* Identify (Base 5.17): CDW10 CNS 7:0, CNTID 31:16; CDW11 CNSSID 15:0, CSI 31:24. */
struct nvmx_cmd_identify {
	NVMX_SQE_HDR;
	uint8_t   cns;
	uint8_t   rsvd41;
	nvmx_le16 cntid;
	nvmx_le16 cnssid;
	uint8_t   rsvd46;
	uint8_t   csi;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;	/* UUID index 6:0 */
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_identify, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_identify, cns, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_identify, cntid, 42);
NVMX_ASSERT_OFF(struct nvmx_cmd_identify, cnssid, 44);
NVMX_ASSERT_OFF(struct nvmx_cmd_identify, csi, 47);

/* Identify CNS values (Base Figure 273). */
enum {
	NVMX_CNS_NS               = 0x00,
	NVMX_CNS_CTRL             = 0x01,
	NVMX_CNS_NS_ACTIVE_LIST   = 0x02,
	NVMX_CNS_NS_DESC_LIST     = 0x03,
	NVMX_CNS_NVMSET_LIST      = 0x04,
	NVMX_CNS_CSI_NS           = 0x05,
	NVMX_CNS_CSI_CTRL         = 0x06,
	NVMX_CNS_CSI_NS_ACTIVE    = 0x07,
	NVMX_CNS_NS_PRESENT_LIST  = 0x10,
	NVMX_CNS_NS_PRESENT       = 0x11,
	NVMX_CNS_CTRL_NS_LIST     = 0x12,
	NVMX_CNS_CTRL_LIST        = 0x13,
	NVMX_CNS_CSI_SUPPORTED    = 0x1c,
};

/*
 * Get Log Page (Base 5.16): CDW10 LID 7:0, LSP 14:8, RAE 15, NUMDL 31:16;
 * CDW11 NUMDU 15:0, LSI 31:16; CDW12/13 LPOL/LPOU; CDW14 UUID 6:0, OT 23, CSI 31:24.
 * NUMD is the 0's based number of dwords.
 */
struct nvmx_cmd_get_log_page {
	NVMX_SQE_HDR;
	uint8_t   lid;
	uint8_t   lsp_rae;	/* LSP 6:0, RAE 7 */
	nvmx_le16 numdl;
	nvmx_le16 numdu;
	nvmx_le16 lsi;
	nvmx_le32 lpol;
	nvmx_le32 lpou;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_get_log_page, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, lid, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, lsp_rae, 41);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, numdl, 42);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, numdu, 44);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, lsi, 46);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, lpol, 48);
NVMX_ASSERT_OFF(struct nvmx_cmd_get_log_page, lpou, 52);

#define NVMX_LOG_RAE       0x80
#define NVMX_LOG_LSP_MASK  0x7f

/*
 * Get Features (Base 5.15): CDW10 FID 7:0, SEL 10:8.  Set Features (5.27):
 * CDW10 FID 7:0, SV 31.  CDW11.. are feature specific.
 */
struct nvmx_cmd_features {
	NVMX_SQE_HDR;
	nvmx_le32 cdw10;
	nvmx_le32 cdw11;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;	/* UUID index 6:0 */
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_features, 64);

#define NVMX_FEAT_FID(cdw10)     ((cdw10) & 0xffu)
#define NVMX_FEAT_SEL(cdw10)     (((cdw10) >> 8) & 0x7u)
#define NVMX_FEAT_SV             (1u << 31)
enum {
	NVMX_FEAT_SEL_CURRENT = 0,
	NVMX_FEAT_SEL_DEFAULT = 1,
	NVMX_FEAT_SEL_SAVED   = 2,
	NVMX_FEAT_SEL_SUPPORTED_CAPS = 3,
};

/* Create I/O Completion Queue (Base 5.4): CDW10 QID, QSIZE (0's based); CDW11 PC 0, IEN 1, IV 31:16. */
struct nvmx_cmd_create_cq {
	NVMX_SQE_HDR;
	nvmx_le16 qid;
	nvmx_le16 qsize;
	nvmx_le16 cq_flags;
	nvmx_le16 irq_vector;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_create_cq, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_cq, qid, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_cq, qsize, 42);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_cq, cq_flags, 44);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_cq, irq_vector, 46);

#define NVMX_QUEUE_PHYS_CONTIG  (1u << 0)
#define NVMX_CQ_IRQ_ENABLED     (1u << 1)

/* Create I/O Submission Queue (Base 5.5): CDW10 QID, QSIZE; CDW11 PC 0, QPRIO 2:1, CQID 31:16; CDW12 NVMSETID. */
struct nvmx_cmd_create_sq {
	NVMX_SQE_HDR;
	nvmx_le16 qid;
	nvmx_le16 qsize;
	nvmx_le16 sq_flags;
	nvmx_le16 cqid;
	nvmx_le16 nvmsetid;
	nvmx_le16 rsvd50;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_create_sq, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_sq, sq_flags, 44);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_sq, cqid, 46);
NVMX_ASSERT_OFF(struct nvmx_cmd_create_sq, nvmsetid, 48);

enum {
	NVMX_SQ_PRIO_URGENT = 0 << 1,
	NVMX_SQ_PRIO_HIGH   = 1 << 1,
	NVMX_SQ_PRIO_MEDIUM = 2 << 1,
	NVMX_SQ_PRIO_LOW    = 3 << 1,
};

/* Delete I/O Submission/Completion Queue (Base 5.6, 5.7): CDW10 QID 15:0. */
struct nvmx_cmd_delete_queue {
	NVMX_SQE_HDR;
	nvmx_le16 qid;
	nvmx_le16 rsvd42;
	nvmx_le32 cdw11;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_delete_queue, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_delete_queue, qid, 40);

/* Abort (Base 5.1): CDW10 SQID 15:0, CID 31:16.  DW0 bit 0 of the CQE: 1 = not aborted. */
struct nvmx_cmd_abort {
	NVMX_SQE_HDR;
	nvmx_le16 sqid;
	nvmx_le16 cid_to_abort;
	nvmx_le32 cdw11;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_abort, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_abort, sqid, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_abort, cid_to_abort, 42);

#define NVMX_ABORT_DW0_NOT_ABORTED (1u << 0)

/* Asynchronous Event Request (Base 5.2) and Keep Alive (Base 5.25) have no command fields. */
struct nvmx_cmd_no_fields {
	NVMX_SQE_HDR;
	nvmx_le32 cdw10;
	nvmx_le32 cdw11;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_no_fields, 64);
#define nvmx_cmd_aer        nvmx_cmd_no_fields
#define nvmx_cmd_keep_alive nvmx_cmd_no_fields
#define nvmx_cmd_flush      nvmx_cmd_no_fields

/*
 * Read, Write, Compare, Write Zeroes, Verify (NVM 3.2): CDW10/11 SLBA,
 * CDW12 NLB 15:0 (0's based), DTYPE 23:20, STC 24, DEAC 25 (Write Zeroes),
 * PRINFO 29:26, FUA 30, LR 31; CDW13 DSM 7:0, DSPEC 31:16; CDW14 reference
 * tag; CDW15 LBAT 15:0, LBATM 31:16.
 */
struct nvmx_cmd_rw {
	NVMX_SQE_HDR;
	nvmx_le64 slba;
	nvmx_le16 nlb;
	nvmx_le16 control;
	nvmx_le32 dsmgmt;
	nvmx_le32 reftag;
	nvmx_le16 lbat;
	nvmx_le16 lbatm;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_rw, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, slba, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, nlb, 48);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, control, 50);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, dsmgmt, 52);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, reftag, 56);
NVMX_ASSERT_OFF(struct nvmx_cmd_rw, lbat, 60);

/* Bits of the upper half of CDW12 (the 'control' field). */
#define NVMX_RW_LR        (1u << 15)
#define NVMX_RW_FUA       (1u << 14)
#define NVMX_RW_PRINFO_SHIFT 10
#define NVMX_RW_WZ_DEAC   (1u << 9)
#define NVMX_RW_STC       (1u << 8)
#define NVMX_RW_DTYPE_SHIFT 4

/* Dataset Management (NVM 3.2.3): CDW10 NR 7:0 (0's based); CDW11 IDR 0, IDW 1, AD 2. */
struct nvmx_cmd_dsm {
	NVMX_SQE_HDR;
	nvmx_le32 nr;
	nvmx_le32 attributes;
	nvmx_le32 cdw12;
	nvmx_le32 cdw13;
	nvmx_le32 cdw14;
	nvmx_le32 cdw15;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_dsm, 64);
NVMX_ASSERT_OFF(struct nvmx_cmd_dsm, nr, 40);
NVMX_ASSERT_OFF(struct nvmx_cmd_dsm, attributes, 44);

#define NVMX_DSM_IDR  (1u << 0)
#define NVMX_DSM_IDW  (1u << 1)
#define NVMX_DSM_AD   (1u << 2)
#define NVMX_DSM_MAX_RANGES 256

struct nvmx_dsm_range {
	nvmx_le32 cattr;
	nvmx_le32 nlb;		/* not 0's based */
	nvmx_le64 slba;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_dsm_range, 16);
NVMX_ASSERT_OFF(struct nvmx_dsm_range, slba, 8);

/* ------------------------------------------------------------------ */
/* Completion queue entry (Base 4.6)                                   */
/* ------------------------------------------------------------------ */

struct nvmx_cqe {
	nvmx_le32 dw0;
	nvmx_le32 dw1;
	nvmx_le16 sqhd;
	nvmx_le16 sqid;
	nvmx_le16 cid;
	nvmx_le16 status;	/* phase 0, SC 8:1, SCT 11:9, CRD 13:12, M 14, DNR 15 */
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cqe, 16);
NVMX_ASSERT_OFF(struct nvmx_cqe, dw1, 4);
NVMX_ASSERT_OFF(struct nvmx_cqe, sqhd, 8);
NVMX_ASSERT_OFF(struct nvmx_cqe, sqid, 10);
NVMX_ASSERT_OFF(struct nvmx_cqe, cid, 12);
NVMX_ASSERT_OFF(struct nvmx_cqe, status, 14);

/*
 * Status field accessors.  'st' is the CPU-order 16-bit value of the CQE's
 * status field including the phase tag in bit 0.
 */
static inline unsigned nvmx_st_p(uint16_t st)   { return st & 1u; }
static inline unsigned nvmx_st_sc(uint16_t st)  { return (st >> 1) & 0xffu; }
static inline unsigned nvmx_st_sct(uint16_t st) { return (st >> 9) & 0x7u; }
static inline unsigned nvmx_st_crd(uint16_t st) { return (st >> 12) & 0x3u; }
static inline unsigned nvmx_st_m(uint16_t st)   { return (st >> 14) & 1u; }
static inline unsigned nvmx_st_dnr(uint16_t st) { return (st >> 15) & 1u; }
/* True when the command succeeded (SCT 0, SC 0), whatever the phase. */
static inline int nvmx_st_ok(uint16_t st)       { return (st & 0x0ffeu) == 0; }
/* Build a status field (phase 0) from its parts. */
static inline uint16_t nvmx_st_make(unsigned sct, unsigned sc, int dnr)
{
	return (uint16_t)(((sc & 0xffu) << 1) | ((sct & 0x7u) << 9) | (dnr ? 0x8000u : 0));
}
/* Status without phase and with SCT/SC only: (SCT << 8) | SC, as logs print it. */
static inline uint16_t nvmx_st_code(uint16_t st) { return (uint16_t)((nvmx_st_sct(st) << 8) | nvmx_st_sc(st)); }

static inline uint16_t nvmx_cqe_status(const struct nvmx_cqe *c) { return nvmx_le16_to_cpu(c->status); }

/* Status code types (Base Figure 94). */
enum {
	NVMX_SCT_GENERIC     = 0x0,
	NVMX_SCT_CMD_SPECIFIC = 0x1,
	NVMX_SCT_MEDIA       = 0x2,
	NVMX_SCT_PATH        = 0x3,
	NVMX_SCT_VENDOR      = 0x7,
};

/* Generic command status (Base Figure 95; NVM 4.1.1.1 for 80h-). */
enum {
	NVMX_SC_SUCCESS                  = 0x00,
	NVMX_SC_INVALID_OPCODE           = 0x01,
	NVMX_SC_INVALID_FIELD            = 0x02,
	NVMX_SC_CID_CONFLICT             = 0x03,
	NVMX_SC_DATA_XFER_ERROR          = 0x04,
	NVMX_SC_POWER_LOSS               = 0x05,
	NVMX_SC_INTERNAL                 = 0x06,
	NVMX_SC_ABORT_REQ                = 0x07,
	NVMX_SC_ABORT_SQ_DELETION        = 0x08,
	NVMX_SC_FUSED_FAIL               = 0x09,
	NVMX_SC_FUSED_MISSING            = 0x0a,
	NVMX_SC_INVALID_NS               = 0x0b,
	NVMX_SC_CMD_SEQ_ERROR            = 0x0c,
	NVMX_SC_SGL_INVALID_LAST         = 0x0d,
	NVMX_SC_SGL_INVALID_COUNT        = 0x0e,
	NVMX_SC_SGL_INVALID_DATA         = 0x0f,
	NVMX_SC_SGL_INVALID_METADATA     = 0x10,
	NVMX_SC_SGL_INVALID_TYPE         = 0x11,
	NVMX_SC_CMB_INVALID_USE          = 0x12,
	NVMX_SC_PRP_INVALID_OFFSET       = 0x13,
	NVMX_SC_ATOMIC_WU_EXCEEDED       = 0x14,
	NVMX_SC_OP_DENIED                = 0x15,
	NVMX_SC_SGL_INVALID_OFFSET       = 0x16,
	NVMX_SC_HOSTID_FORMAT            = 0x18,
	NVMX_SC_KAT_EXPIRED              = 0x19,
	NVMX_SC_KAT_INVALID              = 0x1a,
	NVMX_SC_CMD_ABORTED_PREEMPT      = 0x1b,
	NVMX_SC_SANITIZE_FAILED          = 0x1c,
	NVMX_SC_SANITIZE_IN_PROGRESS     = 0x1d,
	NVMX_SC_SGL_INVALID_GRANULARITY  = 0x1e,
	NVMX_SC_CMD_IN_CMBQ_NOT_SUPP     = 0x1f,
	NVMX_SC_NS_WRITE_PROTECTED       = 0x20,
	NVMX_SC_CMD_INTERRUPTED          = 0x21,
	NVMX_SC_TRANSIENT_TR_ERR         = 0x22,
	NVMX_SC_PROHIBITED_BY_LOCKDOWN   = 0x23,
	NVMX_SC_ADMIN_CMD_MEDIA_NOT_READY = 0x24,
	/* NVM command set */
	NVMX_SC_LBA_RANGE                = 0x80,
	NVMX_SC_CAP_EXCEEDED             = 0x81,
	NVMX_SC_NS_NOT_READY             = 0x82,
	NVMX_SC_RESERVATION_CONFLICT     = 0x83,
	NVMX_SC_FORMAT_IN_PROGRESS       = 0x84,
};

/* Command specific status (Base Figure 96; NVM 4.1.1.2; Fabrics 1.1 Figure 14 for 80h- of fabrics commands). */
enum {
	NVMX_SC_CQ_INVALID               = 0x00,
	NVMX_SC_QID_INVALID              = 0x01,
	NVMX_SC_QUEUE_SIZE               = 0x02,
	NVMX_SC_ABORT_LIMIT              = 0x03,
	NVMX_SC_AER_LIMIT                = 0x05,
	NVMX_SC_FW_SLOT_INVALID          = 0x06,
	NVMX_SC_FW_IMAGE_INVALID         = 0x07,
	NVMX_SC_IRQ_VECTOR_INVALID       = 0x08,
	NVMX_SC_LOG_PAGE_INVALID         = 0x09,
	NVMX_SC_FORMAT_INVALID           = 0x0a,
	NVMX_SC_FW_NEEDS_CONV_RESET      = 0x0b,
	NVMX_SC_QUEUE_DELETION_INVALID   = 0x0c,
	NVMX_SC_FEAT_NOT_SAVEABLE        = 0x0d,
	NVMX_SC_FEAT_NOT_CHANGEABLE      = 0x0e,
	NVMX_SC_FEAT_NOT_NS_SPECIFIC     = 0x0f,
	NVMX_SC_FW_NEEDS_SUBSYS_RESET    = 0x10,
	NVMX_SC_FW_NEEDS_RESET           = 0x11,
	NVMX_SC_FW_NEEDS_MAX_TIME        = 0x12,
	NVMX_SC_FW_ACTIVATE_PROHIBITED   = 0x13,
	NVMX_SC_OVERLAPPING_RANGE        = 0x14,
	NVMX_SC_NS_INSUFFICIENT_CAP      = 0x15,
	NVMX_SC_NS_ID_UNAVAILABLE        = 0x16,
	NVMX_SC_NS_ALREADY_ATTACHED      = 0x18,
	NVMX_SC_NS_IS_PRIVATE            = 0x19,
	NVMX_SC_NS_NOT_ATTACHED          = 0x1a,
	NVMX_SC_THIN_PROV_NOT_SUPP       = 0x1b,
	NVMX_SC_CTRL_LIST_INVALID        = 0x1c,
	NVMX_SC_SELF_TEST_IN_PROGRESS    = 0x1d,
	NVMX_SC_BP_WRITE_PROHIBITED      = 0x1e,
	NVMX_SC_INVALID_CTRL_ID          = 0x1f,
	NVMX_SC_INVALID_SEC_CTRL_STATE   = 0x20,
	NVMX_SC_INVALID_CTRL_RESOURCES   = 0x21,
	NVMX_SC_INVALID_RESOURCE_ID      = 0x22,
	NVMX_SC_PMR_SAN_PROHIBITED       = 0x23,
	NVMX_SC_ANA_GROUP_ID_INVALID     = 0x24,
	NVMX_SC_ANA_ATTACH_FAILED        = 0x25,
	NVMX_SC_INSUFFICIENT_CAP         = 0x26,
	NVMX_SC_NS_ATTACH_LIMIT          = 0x27,
	NVMX_SC_PROHIBIT_CMD_EXEC_NOT_SUPP = 0x28,
	NVMX_SC_IOCS_NOT_SUPPORTED       = 0x29,
	NVMX_SC_IOCS_NOT_ENABLED         = 0x2a,
	NVMX_SC_IOCS_COMBINATION_REJECTED = 0x2b,
	NVMX_SC_INVALID_IOCS             = 0x2c,
	NVMX_SC_ID_UNAVAILABLE           = 0x2d,
	/* NVM command set, I/O commands */
	NVMX_SC_BAD_ATTRIBUTES           = 0x80,
	NVMX_SC_INVALID_PI               = 0x81,
	NVMX_SC_READ_ONLY                = 0x82,
	NVMX_SC_CMD_SIZE_LIMIT_EXCEEDED  = 0x83,
	/* Fabrics commands (Fabrics 1.1 Figure 14) */
	NVMX_SC_CONNECT_FORMAT           = 0x80,
	NVMX_SC_CONNECT_CTRL_BUSY        = 0x81,
	NVMX_SC_CONNECT_INVALID_PARAM    = 0x82,
	NVMX_SC_CONNECT_RESTART_DISC     = 0x83,
	NVMX_SC_CONNECT_INVALID_HOST     = 0x84,
	NVMX_SC_INVALID_QUEUE_TYPE       = 0x85,
	NVMX_SC_DISCOVERY_RESTART        = 0x90,
	NVMX_SC_AUTH_REQUIRED            = 0x91,
};

/* Media and data integrity errors (Base Figure 97, NVM 4.1.1.3). */
enum {
	NVMX_SC_WRITE_FAULT              = 0x80,
	NVMX_SC_UNRECOVERED_READ         = 0x81,
	NVMX_SC_GUARD_CHECK              = 0x82,
	NVMX_SC_APPTAG_CHECK             = 0x83,
	NVMX_SC_REFTAG_CHECK             = 0x84,
	NVMX_SC_COMPARE_FAILED           = 0x85,
	NVMX_SC_ACCESS_DENIED            = 0x86,
	NVMX_SC_UNWRITTEN_BLOCK          = 0x87,
	NVMX_SC_STORAGE_TAG_CHECK        = 0x88,
};

/* Path related status (Base Figure 98). */
enum {
	NVMX_SC_INTERNAL_PATH_ERROR      = 0x00,
	NVMX_SC_ANA_PERSISTENT_LOSS      = 0x01,
	NVMX_SC_ANA_INACCESSIBLE         = 0x02,
	NVMX_SC_ANA_TRANSITION           = 0x03,
	NVMX_SC_CTRL_PATH_ERROR          = 0x60,
	NVMX_SC_HOST_PATH_ERROR          = 0x70,
	NVMX_SC_HOST_ABORTED_CMD         = 0x71,
};

/* ------------------------------------------------------------------ */
/* Opcodes                                                             */
/* ------------------------------------------------------------------ */

/* Admin command set (Base Figure 139). */
enum {
	NVMX_ADM_DELETE_SQ        = 0x00,
	NVMX_ADM_CREATE_SQ        = 0x01,
	NVMX_ADM_GET_LOG_PAGE     = 0x02,
	NVMX_ADM_DELETE_CQ        = 0x04,
	NVMX_ADM_CREATE_CQ        = 0x05,
	NVMX_ADM_IDENTIFY         = 0x06,
	NVMX_ADM_ABORT            = 0x08,
	NVMX_ADM_SET_FEATURES     = 0x09,
	NVMX_ADM_GET_FEATURES     = 0x0a,
	NVMX_ADM_ASYNC_EVENT      = 0x0c,
	NVMX_ADM_NS_MGMT          = 0x0d,
	NVMX_ADM_FW_COMMIT        = 0x10,
	NVMX_ADM_FW_DOWNLOAD      = 0x11,
	NVMX_ADM_DEV_SELF_TEST    = 0x14,
	NVMX_ADM_NS_ATTACH        = 0x15,
	NVMX_ADM_KEEP_ALIVE       = 0x18,
	NVMX_ADM_DIRECTIVE_SEND   = 0x19,
	NVMX_ADM_DIRECTIVE_RECV   = 0x1a,
	NVMX_ADM_VIRT_MGMT        = 0x1c,
	NVMX_ADM_NVME_MI_SEND     = 0x1d,
	NVMX_ADM_NVME_MI_RECV     = 0x1e,
	NVMX_ADM_CAPACITY_MGMT    = 0x20,
	NVMX_ADM_LOCKDOWN         = 0x24,
	NVMX_ADM_DBBUF_CONFIG     = 0x7c,
	NVMX_ADM_FABRICS          = 0x7f,
	NVMX_ADM_FORMAT_NVM       = 0x80,
	NVMX_ADM_SECURITY_SEND    = 0x81,
	NVMX_ADM_SECURITY_RECV    = 0x82,
	NVMX_ADM_SANITIZE         = 0x84,
	NVMX_ADM_GET_LBA_STATUS   = 0x86,
};

/* NVM command set I/O commands (NVM Figure 14). */
enum {
	NVMX_NVM_FLUSH            = 0x00,
	NVMX_NVM_WRITE            = 0x01,
	NVMX_NVM_READ             = 0x02,
	NVMX_NVM_WRITE_UNCOR      = 0x04,
	NVMX_NVM_COMPARE          = 0x05,
	NVMX_NVM_WRITE_ZEROES     = 0x08,
	NVMX_NVM_DSM              = 0x09,
	NVMX_NVM_VERIFY           = 0x0c,
	NVMX_NVM_RESV_REGISTER    = 0x0d,
	NVMX_NVM_RESV_REPORT      = 0x0e,
	NVMX_NVM_RESV_ACQUIRE     = 0x11,
	NVMX_NVM_RESV_RELEASE     = 0x15,
	NVMX_NVM_COPY             = 0x19,
};

/* Opcode bits 1:0 give the data direction (Base Figure 139 note). */
enum {
	NVMX_XFER_NONE = 0,
	NVMX_XFER_H2C  = 1,	/* host to controller (write) */
	NVMX_XFER_C2H  = 2,	/* controller to host (read) */
	NVMX_XFER_BIDI = 3,
};
static inline unsigned nvmx_opc_xfer(uint8_t opc) { return opc & 3u; }

#endif /* NVMX_SPEC_CMD_H */
