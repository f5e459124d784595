/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controller registers (Base 3.1.3, Figure 33) and their fields.  On PCIe
 * they live in BAR0; on fabrics the same offsets are properties reached with
 * Property Get/Set (Fabrics 1.1, 3.5).
 */
#ifndef NVMX_SPEC_REGS_H
#define NVMX_SPEC_REGS_H

#include <stdint.h>

enum {
	NVMX_REG_CAP     = 0x00,	/* 8 bytes */
	NVMX_REG_VS      = 0x08,
	NVMX_REG_INTMS   = 0x0c,
	NVMX_REG_INTMC   = 0x10,
	NVMX_REG_CC      = 0x14,
	NVMX_REG_CSTS    = 0x1c,
	NVMX_REG_NSSR    = 0x20,
	NVMX_REG_AQA     = 0x24,
	NVMX_REG_ASQ     = 0x28,	/* 8 bytes */
	NVMX_REG_ACQ     = 0x30,	/* 8 bytes */
	NVMX_REG_CMBLOC  = 0x38,
	NVMX_REG_CMBSZ   = 0x3c,
	NVMX_REG_BPINFO  = 0x40,
	NVMX_REG_BPRSEL  = 0x44,
	NVMX_REG_BPMBL   = 0x48,	/* 8 bytes */
	NVMX_REG_CMBMSC  = 0x50,	/* 8 bytes */
	NVMX_REG_CMBSTS  = 0x58,
	NVMX_REG_CMBEBS  = 0x5c,
	NVMX_REG_CMBSWTP = 0x60,
	NVMX_REG_NSSD    = 0x64,
	NVMX_REG_CRTO    = 0x68,
	NVMX_REG_PMRCAP  = 0xe00,
	NVMX_REG_PMRCTL  = 0xe04,
	NVMX_REG_PMRSTS  = 0xe08,
	NVMX_REG_PMREBS  = 0xe0c,
	NVMX_REG_PMRSWTP = 0xe10,
	NVMX_REG_PMRMSCL = 0xe14,
	NVMX_REG_PMRMSCU = 0xe18,
	NVMX_REG_DBS     = 0x1000,	/* first doorbell */
};

/* "NVMe" written to NSSR starts an NVM Subsystem Reset (Base 3.1.3.6). */
#define NVMX_NSSR_RESET_VALUE 0x4e564d65u
/* NSSD.NSSC values starting an NVM Subsystem Shutdown (Base, register NSSD at 64h; scope per CAP.CPS). */
#define NVMX_NSSD_NORMAL      0x4e726d6cu	/* "Nrml" */
#define NVMX_NSSD_ABRUPT      0x41627074u	/* "Abpt" */

/* CAP (Base Figure 36) */
static inline uint32_t nvmx_cap_mqes(uint64_t cap)   { return (uint32_t)(cap & 0xffff); }	/* 0's based */
static inline uint32_t nvmx_cap_cqr(uint64_t cap)    { return (uint32_t)(cap >> 16) & 1u; }
static inline uint32_t nvmx_cap_ams(uint64_t cap)    { return (uint32_t)(cap >> 17) & 3u; }
static inline uint32_t nvmx_cap_to(uint64_t cap)     { return (uint32_t)(cap >> 24) & 0xffu; }	/* 500 ms units */
static inline uint32_t nvmx_cap_dstrd(uint64_t cap)  { return (uint32_t)(cap >> 32) & 0xfu; }
static inline uint32_t nvmx_cap_nssrs(uint64_t cap)  { return (uint32_t)(cap >> 36) & 1u; }
static inline uint32_t nvmx_cap_css(uint64_t cap)    { return (uint32_t)(cap >> 37) & 0xffu; }
static inline uint32_t nvmx_cap_bps(uint64_t cap)    { return (uint32_t)(cap >> 45) & 1u; }
static inline uint32_t nvmx_cap_cps(uint64_t cap)    { return (uint32_t)(cap >> 46) & 3u; }
static inline uint32_t nvmx_cap_mpsmin(uint64_t cap) { return (uint32_t)(cap >> 48) & 0xfu; }	/* 2^(12+n) */
static inline uint32_t nvmx_cap_mpsmax(uint64_t cap) { return (uint32_t)(cap >> 52) & 0xfu; }
static inline uint32_t nvmx_cap_pmrs(uint64_t cap)   { return (uint32_t)(cap >> 56) & 1u; }
static inline uint32_t nvmx_cap_cmbs(uint64_t cap)   { return (uint32_t)(cap >> 57) & 1u; }
static inline uint32_t nvmx_cap_nsss(uint64_t cap)   { return (uint32_t)(cap >> 58) & 1u; }
static inline uint32_t nvmx_cap_crms(uint64_t cap)   { return (uint32_t)(cap >> 59) & 3u; }

/* CAP.AMS bits: optional arbitration mechanisms (round robin is always supported) */
#define NVMX_CAP_AMS_WRRU    (1u << 0)	/* weighted round robin with urgent priority class */
#define NVMX_CAP_AMS_VS      (1u << 1)	/* vendor specific */

#define NVMX_CAP_CSS_NVM     (1u << 0)
#define NVMX_CAP_CSS_CSI     (1u << 6)	/* I/O command sets (CC.CSS = 110b) */
#define NVMX_CAP_CSS_ADMIN   (1u << 7)	/* admin only */

/* Doorbell offset (Base 3.1.3.25): 0x1000 + (2*qid + is_cq) * (4 << DSTRD). */
static inline uint32_t nvmx_doorbell_off(uint16_t qid, int is_cq, uint32_t dstrd)
{
	return NVMX_REG_DBS + ((2u * qid + (is_cq ? 1u : 0u)) * (4u << dstrd));
}

/* VS (Base Figure 37) */
#define NVMX_VS(mjr, mnr, ter) (((uint32_t)(mjr) << 16) | ((uint32_t)(mnr) << 8) | (uint32_t)(ter))
static inline uint32_t nvmx_vs_mjr(uint32_t vs) { return vs >> 16; }
static inline uint32_t nvmx_vs_mnr(uint32_t vs) { return (vs >> 8) & 0xffu; }
static inline uint32_t nvmx_vs_ter(uint32_t vs) { return vs & 0xffu; }

/* CC (Base Figure 41) */
#define NVMX_CC_EN             (1u << 0)
#define NVMX_CC_CSS_SHIFT      4
#define NVMX_CC_CSS_MASK       (7u << 4)
#define NVMX_CC_CSS_NVM        (0u << 4)
#define NVMX_CC_CSS_CSI        (6u << 4)
#define NVMX_CC_CSS_ADMIN      (7u << 4)
#define NVMX_CC_MPS_SHIFT      7
#define NVMX_CC_MPS_MASK       (0xfu << 7)
#define NVMX_CC_AMS_SHIFT      11
#define NVMX_CC_AMS_MASK       (7u << 11)
#define NVMX_CC_AMS_RR         (0u << 11)
#define NVMX_CC_AMS_WRRU       (1u << 11)
#define NVMX_CC_AMS_VS         (7u << 11)
#define NVMX_CC_SHN_SHIFT      14
#define NVMX_CC_SHN_MASK       (3u << 14)
#define NVMX_CC_SHN_NONE       (0u << 14)
#define NVMX_CC_SHN_NORMAL     (1u << 14)
#define NVMX_CC_SHN_ABRUPT     (2u << 14)
#define NVMX_CC_IOSQES_SHIFT   16
#define NVMX_CC_IOSQES_MASK    (0xfu << 16)
#define NVMX_CC_IOCQES_SHIFT   20
#define NVMX_CC_IOCQES_MASK    (0xfu << 20)
#define NVMX_CC_CRIME          (1u << 24)

static inline uint32_t nvmx_cc_en(uint32_t cc)     { return cc & 1u; }
static inline uint32_t nvmx_cc_css(uint32_t cc)    { return (cc >> 4) & 7u; }
static inline uint32_t nvmx_cc_mps(uint32_t cc)    { return (cc >> 7) & 0xfu; }
static inline uint32_t nvmx_cc_ams(uint32_t cc)    { return (cc >> 11) & 7u; }
static inline uint32_t nvmx_cc_shn(uint32_t cc)    { return (cc >> 14) & 3u; }
static inline uint32_t nvmx_cc_iosqes(uint32_t cc) { return (cc >> 16) & 0xfu; }
static inline uint32_t nvmx_cc_iocqes(uint32_t cc) { return (cc >> 20) & 0xfu; }

/* CSTS (Base Figure 42) */
#define NVMX_CSTS_RDY          (1u << 0)
#define NVMX_CSTS_CFS          (1u << 1)
#define NVMX_CSTS_SHST_SHIFT   2
#define NVMX_CSTS_SHST_MASK    (3u << 2)
#define NVMX_CSTS_SHST_NORMAL  (0u << 2)
#define NVMX_CSTS_SHST_OCCUR   (1u << 2)
#define NVMX_CSTS_SHST_CMPLT   (2u << 2)
#define NVMX_CSTS_NSSRO        (1u << 4)
#define NVMX_CSTS_PP           (1u << 5)
#define NVMX_CSTS_ST           (1u << 6)

static inline uint32_t nvmx_csts_rdy(uint32_t csts)   { return csts & 1u; }
static inline uint32_t nvmx_csts_cfs(uint32_t csts)   { return (csts >> 1) & 1u; }
static inline uint32_t nvmx_csts_shst(uint32_t csts)  { return (csts >> 2) & 3u; }
static inline uint32_t nvmx_csts_nssro(uint32_t csts) { return (csts >> 4) & 1u; }

/* AQA (Base Figure 44): ASQS 11:0, ACQS 27:16, both 0's based. */
#define NVMX_AQA(sq_entries, cq_entries) \
	((((uint32_t)(cq_entries) - 1u) << 16) | ((uint32_t)(sq_entries) - 1u))
static inline uint32_t nvmx_aqa_asqs(uint32_t aqa) { return aqa & 0xfffu; }
static inline uint32_t nvmx_aqa_acqs(uint32_t aqa) { return (aqa >> 16) & 0xfffu; }

/* CMBLOC / CMBSZ (Base Figures 47, 48) */
static inline uint32_t nvmx_cmbloc_bir(uint32_t v)  { return v & 7u; }
static inline uint32_t nvmx_cmbloc_ofst(uint32_t v) { return v >> 12; }
static inline uint32_t nvmx_cmbsz_szu(uint32_t v)   { return (v >> 8) & 0xfu; }
static inline uint32_t nvmx_cmbsz_sz(uint32_t v)    { return v >> 12; }

#endif /* NVMX_SPEC_REGS_H */
