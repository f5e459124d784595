/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identify data structures: controller (Base 5.17.2.1, Figure 275),
 * namespace (NVM 4.1.5.1, Figure 97), active namespace list, namespace
 * identification descriptors (Base Figure 278).
 */
#ifndef NVMX_SPEC_IDENTIFY_H
#define NVMX_SPEC_IDENTIFY_H

#include "nvmx/spec_cmd.h"

/* Power state descriptor (Base Figure 276). */
struct nvmx_psd {
	nvmx_le16 mp;		/* maximum power, centiwatts (or 0.0001 W with MXPS) */
	uint8_t   rsvd2;
	uint8_t   flags;	/* MXPS 0, NOPS 1 */
	nvmx_le32 enlat;
	nvmx_le32 exlat;
	uint8_t   rrt;
	uint8_t   rrl;
	uint8_t   rwt;
	uint8_t   rwl;
	nvmx_le16 idlp;
	uint8_t   ips;		/* 7:6 */
	uint8_t   rsvd19;
	nvmx_le16 actp;
	uint8_t   apws;		/* APW 2:0, APS 7:6 */
	uint8_t   rsvd23[9];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_psd, 32);
NVMX_ASSERT_OFF(struct nvmx_psd, enlat, 4);
NVMX_ASSERT_OFF(struct nvmx_psd, rrt, 12);
NVMX_ASSERT_OFF(struct nvmx_psd, idlp, 16);
NVMX_ASSERT_OFF(struct nvmx_psd, actp, 20);

struct nvmx_id_ctrl {
	nvmx_le16 vid;
	nvmx_le16 ssvid;
	char      sn[20];
	char      mn[40];
	char      fr[8];
	uint8_t   rab;
	uint8_t   ieee[3];
	uint8_t   cmic;
	uint8_t   mdts;		/* 2^n units of CAP.MPSMIN; 0 = no limit */
	nvmx_le16 cntlid;
	nvmx_le32 ver;
	nvmx_le32 rtd3r;
	nvmx_le32 rtd3e;
	nvmx_le32 oaes;
	nvmx_le32 ctratt;
	nvmx_le16 rrls;
	uint8_t   rsvd102[9];
	uint8_t   cntrltype;
	uint8_t   fguid[16];
	nvmx_le16 crdt1;
	nvmx_le16 crdt2;
	nvmx_le16 crdt3;
	uint8_t   rsvd134[119];
	uint8_t   nvmsr;
	uint8_t   vwci;
	uint8_t   mec;
	/* admin command set attributes */
	nvmx_le16 oacs;
	uint8_t   acl;		/* 0's based */
	uint8_t   aerl;		/* 0's based */
	uint8_t   frmw;
	uint8_t   lpa;
	uint8_t   elpe;		/* 0's based */
	uint8_t   npss;
	uint8_t   avscc;
	uint8_t   apsta;
	nvmx_le16 wctemp;
	nvmx_le16 cctemp;
	nvmx_le16 mtfa;
	nvmx_le32 hmpre;
	nvmx_le32 hmmin;
	uint8_t   tnvmcap[16];
	uint8_t   unvmcap[16];
	nvmx_le32 rpmbs;
	nvmx_le16 edstt;
	uint8_t   dsto;
	uint8_t   fwug;
	nvmx_le16 kas;		/* 100 ms units */
	nvmx_le16 hctma;
	nvmx_le16 mntmt;
	nvmx_le16 mxtmt;
	nvmx_le32 sanicap;
	nvmx_le32 hmminds;
	nvmx_le16 hmmaxd;
	nvmx_le16 nsetidmax;
	nvmx_le16 endgidmax;
	uint8_t   anatt;
	uint8_t   anacap;
	nvmx_le32 anagrpmax;
	nvmx_le32 nanagrpid;
	nvmx_le32 pels;
	nvmx_le16 domainid;
	uint8_t   rsvd358[10];
	uint8_t   megcap[16];
	uint8_t   rsvd384[128];
	/* NVM command set attributes */
	uint8_t   sqes;		/* max 7:4, required 3:0 (log2) */
	uint8_t   cqes;
	nvmx_le16 maxcmd;
	nvmx_le32 nn;
	nvmx_le16 oncs;
	nvmx_le16 fuses;
	uint8_t   fna;
	uint8_t   vwc;
	nvmx_le16 awun;
	nvmx_le16 awupf;
	uint8_t   icsvscc;
	uint8_t   nwpc;
	nvmx_le16 acwu;
	nvmx_le16 ocfs;
	nvmx_le32 sgls;
	nvmx_le32 mnan;
	uint8_t   maxdna[16];
	nvmx_le32 maxcna;
	uint8_t   rsvd564[204];
	char      subnqn[256];
	uint8_t   rsvd1024[768];
	/* fabrics (Fabrics 1.1 Figure 28) */
	nvmx_le32 ioccsz;	/* 16-byte units, SQE included */
	nvmx_le32 iorcsz;
	nvmx_le16 icdoff;
	uint8_t   fcatt;
	uint8_t   msdbd;
	nvmx_le16 ofcs;
	uint8_t   dctype;	/* discovery controller type (TP 8010; Linux, libnvme) */
	uint8_t   rsvd1807[241];
	struct nvmx_psd psd[32];
	uint8_t   vs[1024];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_id_ctrl, 4096);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, sn, 4);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mn, 24);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fr, 64);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, rab, 72);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ieee, 73);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, cmic, 76);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mdts, 77);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, cntlid, 78);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ver, 80);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, rtd3r, 84);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, rtd3e, 88);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, oaes, 92);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ctratt, 96);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, rrls, 100);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, cntrltype, 111);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fguid, 112);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, crdt1, 128);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, crdt3, 132);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, nvmsr, 253);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, vwci, 254);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mec, 255);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, oacs, 256);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, acl, 258);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, aerl, 259);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, frmw, 260);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, lpa, 261);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, elpe, 262);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, npss, 263);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, avscc, 264);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, apsta, 265);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, wctemp, 266);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, cctemp, 268);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mtfa, 270);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, hmpre, 272);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, hmmin, 276);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, tnvmcap, 280);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, unvmcap, 296);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, rpmbs, 312);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, edstt, 316);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, dsto, 318);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fwug, 319);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, kas, 320);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, hctma, 322);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mntmt, 324);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mxtmt, 326);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, sanicap, 328);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, hmminds, 332);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, hmmaxd, 336);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, nsetidmax, 338);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, endgidmax, 340);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, anatt, 342);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, anacap, 343);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, anagrpmax, 344);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, nanagrpid, 348);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, pels, 352);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, domainid, 356);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, megcap, 368);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, sqes, 512);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, cqes, 513);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, maxcmd, 514);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, nn, 516);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, oncs, 520);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fuses, 522);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fna, 524);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, vwc, 525);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, awun, 526);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, awupf, 528);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, icsvscc, 530);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, nwpc, 531);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, acwu, 532);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ocfs, 534);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, sgls, 536);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, mnan, 540);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, maxdna, 544);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, maxcna, 560);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, subnqn, 768);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ioccsz, 1792);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, iorcsz, 1796);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, icdoff, 1800);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, fcatt, 1802);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, msdbd, 1803);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, ofcs, 1804);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, dctype, 1806);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, psd, 2048);
NVMX_ASSERT_OFF(struct nvmx_id_ctrl, vs, 3072);

/* CMIC bits */
#define NVMX_CTRL_CMIC_MULTI_PORT   (1u << 0)
#define NVMX_CTRL_CMIC_MULTI_CTRL   (1u << 1)
#define NVMX_CTRL_CMIC_SRIOV        (1u << 2)
#define NVMX_CTRL_CMIC_ANA          (1u << 3)

/* OAES bits (Base Figure 275, bytes 95:92) */
#define NVMX_OAES_NS_ATTR           (1u << 8)
#define NVMX_OAES_FW_ACTIVATION     (1u << 9)
#define NVMX_OAES_ANA_CHANGE        (1u << 11)
#define NVMX_OAES_PLEA              (1u << 12)
#define NVMX_OAES_LBA_STATUS        (1u << 13)
#define NVMX_OAES_EGE               (1u << 14)
#define NVMX_OAES_NORMAL_NSS_SHUTDOWN (1u << 15)
#define NVMX_OAES_ZONE_DESC         (1u << 27)
#define NVMX_OAES_DISC_LOG_CHANGE   (1u << 31)

/* CTRATT bits (Base Figure 275, bytes 99:96) */
#define NVMX_CTRATT_HOST_ID_128     (1u << 0)
#define NVMX_CTRATT_TBKAS           (1u << 6)	/* traffic based keep alive */

/* CNTRLTYPE */
enum {
	NVMX_CTRL_TYPE_IO = 1,
	NVMX_CTRL_TYPE_DISCOVERY = 2,
	NVMX_CTRL_TYPE_ADMIN = 3,
};

/* DCTYPE: which kind of discovery controller (byte 1806) */
enum {
	NVMX_CTRL_DCTYPE_NOT_REPORTED = 0,
	NVMX_CTRL_DCTYPE_DDC = 1,	/* direct discovery controller */
	NVMX_CTRL_DCTYPE_CDC = 2,	/* central discovery controller */
};

/* OACS bits */
#define NVMX_OACS_SECURITY          (1u << 0)
#define NVMX_OACS_FORMAT            (1u << 1)
#define NVMX_OACS_FW                (1u << 2)
#define NVMX_OACS_NS_MGMT           (1u << 3)
#define NVMX_OACS_SELF_TEST         (1u << 4)
#define NVMX_OACS_DIRECTIVES        (1u << 5)
#define NVMX_OACS_NVME_MI           (1u << 6)
#define NVMX_OACS_VIRT_MGMT         (1u << 7)
#define NVMX_OACS_DBBUF             (1u << 8)
#define NVMX_OACS_LBA_STATUS        (1u << 9)
#define NVMX_OACS_LOCKDOWN          (1u << 10)

/* LPA bits */
#define NVMX_LPA_SMART_PER_NS       (1u << 0)
#define NVMX_LPA_CMD_EFFECTS        (1u << 1)
#define NVMX_LPA_EXTENDED           (1u << 2)
#define NVMX_LPA_TELEMETRY          (1u << 3)
#define NVMX_LPA_PERSISTENT_EVENT   (1u << 4)

/* ONCS bits (Base Figure 275 bytes 521:520) */
#define NVMX_ONCS_COMPARE           (1u << 0)
#define NVMX_ONCS_WRITE_UNCOR       (1u << 1)
#define NVMX_ONCS_DSM               (1u << 2)
#define NVMX_ONCS_WRITE_ZEROES      (1u << 3)
#define NVMX_ONCS_SAVE_FEATURES     (1u << 4)
#define NVMX_ONCS_RESERVATIONS      (1u << 5)
#define NVMX_ONCS_TIMESTAMP         (1u << 6)
#define NVMX_ONCS_VERIFY            (1u << 7)
#define NVMX_ONCS_COPY              (1u << 8)

/* VWC bits */
#define NVMX_VWC_PRESENT            (1u << 0)
#define NVMX_VWC_FLUSH_NSID_ALL     (3u << 1)	/* broadcast NSID flush supported */

/* SGLS (Base Figure 275 bytes 539:536) */
#define NVMX_SGLS_SUPPORTED_MASK    0x3u	/* 01b: no alignment, 10b: dword aligned */
#define NVMX_SGLS_KEYED             (1u << 2)
#define NVMX_SGLS_BIT_BUCKET        (1u << 16)
#define NVMX_SGLS_MPTR_BYTE_ALIGNED (1u << 17)
#define NVMX_SGLS_OVERSIZE          (1u << 18)
#define NVMX_SGLS_MPTR_SGL          (1u << 19)
#define NVMX_SGLS_OFFSET            (1u << 20)
#define NVMX_SGLS_TRANSPORT_DATA    (1u << 21)

/* FRMW */
#define NVMX_FRMW_SLOT1_RO          (1u << 0)
#define NVMX_FRMW_NUM_SLOTS(f)      (((f) >> 1) & 7u)

/* LBA format (NVM Figure 98) */
struct nvmx_lbaf {
	nvmx_le16 ms;		/* metadata bytes per block */
	uint8_t   lbads;	/* log2 of the data size */
	uint8_t   rp;		/* relative performance 1:0 */
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_lbaf, 4);

struct nvmx_id_ns {
	nvmx_le64 nsze;
	nvmx_le64 ncap;
	nvmx_le64 nuse;
	uint8_t   nsfeat;
	uint8_t   nlbaf;	/* 0's based */
	uint8_t   flbas;	/* index 3:0, extended 4, index high 6:5 */
	uint8_t   mc;
	uint8_t   dpc;
	uint8_t   dps;
	uint8_t   nmic;
	uint8_t   rescap;
	uint8_t   fpi;
	uint8_t   dlfeat;
	nvmx_le16 nawun;
	nvmx_le16 nawupf;
	nvmx_le16 nacwu;
	nvmx_le16 nabsn;
	nvmx_le16 nabo;
	nvmx_le16 nabspf;
	nvmx_le16 noiob;
	uint8_t   nvmcap[16];
	nvmx_le16 npwg;
	nvmx_le16 npwa;
	nvmx_le16 npdg;
	nvmx_le16 npda;
	nvmx_le16 nows;
	nvmx_le16 mssrl;
	nvmx_le32 mcl;
	uint8_t   msrc;
	uint8_t   rsvd81;
	uint8_t   nulbaf;
	uint8_t   rsvd83[9];
	nvmx_le32 anagrpid;
	uint8_t   rsvd96[3];
	uint8_t   nsattr;
	nvmx_le16 nvmsetid;
	nvmx_le16 endgid;
	uint8_t   nguid[16];
	uint8_t   eui64[8];
	struct nvmx_lbaf lbaf[64];
	uint8_t   vs[3712];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_id_ns, 4096);
NVMX_ASSERT_OFF(struct nvmx_id_ns, ncap, 8);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nuse, 16);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nsfeat, 24);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nlbaf, 25);
NVMX_ASSERT_OFF(struct nvmx_id_ns, flbas, 26);
NVMX_ASSERT_OFF(struct nvmx_id_ns, mc, 27);
NVMX_ASSERT_OFF(struct nvmx_id_ns, dpc, 28);
NVMX_ASSERT_OFF(struct nvmx_id_ns, dps, 29);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nmic, 30);
NVMX_ASSERT_OFF(struct nvmx_id_ns, rescap, 31);
NVMX_ASSERT_OFF(struct nvmx_id_ns, fpi, 32);
NVMX_ASSERT_OFF(struct nvmx_id_ns, dlfeat, 33);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nawun, 34);
NVMX_ASSERT_OFF(struct nvmx_id_ns, noiob, 46);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nvmcap, 48);
NVMX_ASSERT_OFF(struct nvmx_id_ns, npwg, 64);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nows, 72);
NVMX_ASSERT_OFF(struct nvmx_id_ns, mssrl, 74);
NVMX_ASSERT_OFF(struct nvmx_id_ns, mcl, 76);
NVMX_ASSERT_OFF(struct nvmx_id_ns, msrc, 80);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nulbaf, 82);
NVMX_ASSERT_OFF(struct nvmx_id_ns, anagrpid, 92);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nsattr, 99);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nvmsetid, 100);
NVMX_ASSERT_OFF(struct nvmx_id_ns, endgid, 102);
NVMX_ASSERT_OFF(struct nvmx_id_ns, nguid, 104);
NVMX_ASSERT_OFF(struct nvmx_id_ns, eui64, 120);
NVMX_ASSERT_OFF(struct nvmx_id_ns, lbaf, 128);
NVMX_ASSERT_OFF(struct nvmx_id_ns, vs, 384);

#define NVMX_NSFEAT_THIN            (1u << 0)
#define NVMX_NSFEAT_NS_ATOMICS      (1u << 1)
#define NVMX_NSFEAT_DEALLOC_ERR     (1u << 2)
#define NVMX_NSFEAT_IDS_REUSE       (1u << 3)
#define NVMX_NSFEAT_OPT_PERF        (1u << 4)

/* DLFEAT: what a deallocated block reads as (bits 2:0); 001b = zeroes. */
#define NVMX_DLFEAT_READ_ZEROES     0x1u
#define NVMX_DLFEAT_WZ_DEAC         (1u << 3)

/* The LBA format in use: FLBAS bits 3:0 plus bits 6:5 as the high bits. */
static inline unsigned nvmx_flbas_index(uint8_t flbas)
{
	return (flbas & 0xfu) | (((unsigned)flbas >> 5 & 3u) << 4);
}

/* Active namespace list (CNS 02h): up to 1024 NSIDs in increasing order, 0-terminated. */
#define NVMX_NS_LIST_MAX 1024
struct nvmx_ns_list {
	nvmx_le32 nsid[NVMX_NS_LIST_MAX];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_ns_list, 4096);

/* Namespace identification descriptor (Base Figure 278, 279). */
struct nvmx_ns_id_desc {
	uint8_t   nidt;
	uint8_t   nidl;
	nvmx_le16 rsvd2;
	/* nidl bytes of identifier follow */
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_ns_id_desc, 4);

enum {
	NVMX_NIDT_EUI64 = 1,
	NVMX_NIDT_NGUID = 2,
	NVMX_NIDT_UUID  = 3,
	NVMX_NIDT_CSI   = 4,
};
#define NVMX_NIDT_EUI64_LEN 8
#define NVMX_NIDT_NGUID_LEN 16
#define NVMX_NIDT_UUID_LEN  16
#define NVMX_NIDT_CSI_LEN   1

/* Command set identifiers (Base Figure 283) */
enum {
	NVMX_CSI_NVM = 0,
	NVMX_CSI_KV  = 1,
	NVMX_CSI_ZNS = 2,
};

#endif /* NVMX_SPEC_IDENTIFY_H */
