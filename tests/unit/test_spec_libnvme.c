/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-check of nvmx's wire formats (nvmx/spec*.h) against libnvme's
 * <nvme/types.h>, an independent implementation (Debian libnvme-dev).
 *
 * Every pair below is checked twice:
 *  - at compile time with _Static_assert, so a layout mismatch fails the
 *    build (the gate);
 *  - at run time from a table built from the same lists, so that a build
 *    with -DNVMX_XCHECK_RUNTIME_ONLY (static asserts off) reports every
 *    mismatch by name instead of stopping at the first.
 *
 * Where libnvme 1.3 is known to differ from the specification, the
 * difference itself is asserted (KNOWN_DIFF), so it cannot drift unnoticed;
 * tests/unit/SPEC_CROSSCHECK.md explains each one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <nvme/types.h>
#include <nvme/ioctl.h>

#include "nvmx/spec.h"

#define FSIZE(T, f) sizeof(((T *)0)->f)

#ifdef NVMX_XCHECK_RUNTIME_ONLY
#define XCHECK_SA(cond, msg)
#else
#define XCHECK_SA(cond, msg) _Static_assert(cond, msg);
#endif

/* ------------------------------------------------------------------ */
/* Structure layouts                                                   */
/* ------------------------------------------------------------------ */

struct field_row {
	const char *what;
	size_t ours_off, theirs_off;
	size_t ours_size, theirs_size;	/* 0: not compared (flexible array) */
};

/* F: offset and size of a field; O: offset only (flexible array members). */
#define SA_F(O, T, of, tf) \
	XCHECK_SA(offsetof(O, of) == offsetof(T, tf), #O "." #of " offset != libnvme " #T "." #tf) \
	XCHECK_SA(FSIZE(O, of) == FSIZE(T, tf), #O "." #of " size != libnvme " #T "." #tf)
#define SA_O(O, T, of, tf) \
	XCHECK_SA(offsetof(O, of) == offsetof(T, tf), #O "." #of " offset != libnvme " #T "." #tf)
#define ROW_F(O, T, of, tf) \
	{ #O "." #of " ~ " #T "." #tf, offsetof(O, of), offsetof(T, tf), FSIZE(O, of), FSIZE(T, tf) },
#define ROW_O(O, T, of, tf) \
	{ #O "." #of " ~ " #T "." #tf, offsetof(O, of), offsetof(T, tf), 0, 0 },

/*
 * Each list: L(F, O, ours, theirs) calls F(ours, theirs, our_field,
 * their_field) for each field compared by offset and size, O(...) for those
 * compared by offset only.  The whole-structure size is a row too.
 */
#define SIZE_ROW_F(O, T) \
	{ "sizeof " #O " ~ sizeof " #T, 0, 0, sizeof(O), sizeof(T) },
#define SIZE_SA(O, T) \
	XCHECK_SA(sizeof(O) == sizeof(T), "sizeof " #O " != sizeof libnvme " #T)

#define PSD_FIELDS(F, O, A, B) \
	F(A, B, mp, mp) F(A, B, rsvd2, rsvd2) F(A, B, flags, flags) \
	F(A, B, enlat, enlat) F(A, B, exlat, exlat) F(A, B, rrt, rrt) \
	F(A, B, rrl, rrl) F(A, B, rwt, rwt) F(A, B, rwl, rwl) \
	F(A, B, idlp, idlp) F(A, B, ips, ips) F(A, B, rsvd19, rsvd19) \
	F(A, B, actp, actp) F(A, B, apws, apws) F(A, B, rsvd23, rsvd23)

#define ID_CTRL_FIELDS(F, O, A, B) \
	F(A, B, vid, vid) F(A, B, ssvid, ssvid) F(A, B, sn, sn) F(A, B, mn, mn) \
	F(A, B, fr, fr) F(A, B, rab, rab) F(A, B, ieee, ieee) F(A, B, cmic, cmic) \
	F(A, B, mdts, mdts) F(A, B, cntlid, cntlid) F(A, B, ver, ver) \
	F(A, B, rtd3r, rtd3r) F(A, B, rtd3e, rtd3e) F(A, B, oaes, oaes) \
	F(A, B, ctratt, ctratt) F(A, B, rrls, rrls) F(A, B, rsvd102, rsvd102) \
	F(A, B, cntrltype, cntrltype) F(A, B, fguid, fguid) F(A, B, crdt1, crdt1) \
	F(A, B, crdt2, crdt2) F(A, B, crdt3, crdt3) F(A, B, rsvd134, rsvd134) \
	F(A, B, nvmsr, nvmsr) F(A, B, vwci, vwci) F(A, B, mec, mec) \
	F(A, B, oacs, oacs) F(A, B, acl, acl) F(A, B, aerl, aerl) F(A, B, frmw, frmw) \
	F(A, B, lpa, lpa) F(A, B, elpe, elpe) F(A, B, npss, npss) F(A, B, avscc, avscc) \
	F(A, B, apsta, apsta) F(A, B, wctemp, wctemp) F(A, B, cctemp, cctemp) \
	F(A, B, mtfa, mtfa) F(A, B, hmpre, hmpre) F(A, B, hmmin, hmmin) \
	F(A, B, tnvmcap, tnvmcap) F(A, B, unvmcap, unvmcap) F(A, B, rpmbs, rpmbs) \
	F(A, B, edstt, edstt) F(A, B, dsto, dsto) F(A, B, fwug, fwug) F(A, B, kas, kas) \
	F(A, B, hctma, hctma) F(A, B, mntmt, mntmt) F(A, B, mxtmt, mxtmt) \
	F(A, B, sanicap, sanicap) F(A, B, hmminds, hmminds) F(A, B, hmmaxd, hmmaxd) \
	F(A, B, nsetidmax, nsetidmax) F(A, B, endgidmax, endgidmax) \
	F(A, B, anatt, anatt) F(A, B, anacap, anacap) F(A, B, anagrpmax, anagrpmax) \
	F(A, B, nanagrpid, nanagrpid) F(A, B, pels, pels) F(A, B, domainid, domainid) \
	F(A, B, rsvd358, rsvd358) F(A, B, megcap, megcap) F(A, B, rsvd384, rsvd384) \
	F(A, B, sqes, sqes) F(A, B, cqes, cqes) F(A, B, maxcmd, maxcmd) F(A, B, nn, nn) \
	F(A, B, oncs, oncs) F(A, B, fuses, fuses) F(A, B, fna, fna) F(A, B, vwc, vwc) \
	F(A, B, awun, awun) F(A, B, awupf, awupf) F(A, B, icsvscc, icsvscc) \
	F(A, B, nwpc, nwpc) F(A, B, acwu, acwu) F(A, B, ocfs, ocfs) F(A, B, sgls, sgls) \
	F(A, B, mnan, mnan) F(A, B, maxdna, maxdna) F(A, B, maxcna, maxcna) \
	F(A, B, rsvd564, rsvd564) F(A, B, subnqn, subnqn) F(A, B, rsvd1024, rsvd1024) \
	F(A, B, ioccsz, ioccsz) F(A, B, iorcsz, iorcsz) F(A, B, icdoff, icdoff) \
	F(A, B, fcatt, fcatt) F(A, B, msdbd, msdbd) F(A, B, ofcs, ofcs) \
	F(A, B, dctype, dctype) F(A, B, rsvd1807, rsvd1807) F(A, B, psd, psd) \
	F(A, B, psd[1], psd[1]) F(A, B, psd[31], psd[31]) F(A, B, psd[31].apws, psd[31].apws) \
	F(A, B, vs, vs)

#define LBAF_FIELDS(F, O, A, B) \
	F(A, B, ms, ms) F(A, B, lbads, ds) F(A, B, rp, rp)

/* Bytes 0..383: libnvme 1.3 puts LBSTM at 384, see KNOWN_DIFF below. */
#define ID_NS_FIELDS(F, O, A, B) \
	F(A, B, nsze, nsze) F(A, B, ncap, ncap) F(A, B, nuse, nuse) \
	F(A, B, nsfeat, nsfeat) F(A, B, nlbaf, nlbaf) F(A, B, flbas, flbas) \
	F(A, B, mc, mc) F(A, B, dpc, dpc) F(A, B, dps, dps) F(A, B, nmic, nmic) \
	F(A, B, rescap, rescap) F(A, B, fpi, fpi) F(A, B, dlfeat, dlfeat) \
	F(A, B, nawun, nawun) F(A, B, nawupf, nawupf) F(A, B, nacwu, nacwu) \
	F(A, B, nabsn, nabsn) F(A, B, nabo, nabo) F(A, B, nabspf, nabspf) \
	F(A, B, noiob, noiob) F(A, B, nvmcap, nvmcap) F(A, B, npwg, npwg) \
	F(A, B, npwa, npwa) F(A, B, npdg, npdg) F(A, B, npda, npda) \
	F(A, B, nows, nows) F(A, B, mssrl, mssrl) F(A, B, mcl, mcl) \
	F(A, B, msrc, msrc) F(A, B, rsvd81, rsvd81) F(A, B, nulbaf, nulbaf) \
	F(A, B, rsvd83, rsvd83) F(A, B, anagrpid, anagrpid) F(A, B, rsvd96, rsvd96) \
	F(A, B, nsattr, nsattr) F(A, B, nvmsetid, nvmsetid) F(A, B, endgid, endgid) \
	F(A, B, nguid, nguid) F(A, B, eui64, eui64) F(A, B, lbaf, lbaf) \
	F(A, B, lbaf[1], lbaf[1]) F(A, B, lbaf[63], lbaf[63]) \
	F(A, B, lbaf[63].lbads, lbaf[63].ds) F(A, B, lbaf[63].rp, lbaf[63].rp)

#define NS_ID_DESC_FIELDS(F, O, A, B) \
	F(A, B, nidt, nidt) F(A, B, nidl, nidl) F(A, B, rsvd2, rsvd)

#define NS_LIST_FIELDS(F, O, A, B) \
	F(A, B, nsid, ns) F(A, B, nsid[1023], ns[1023])

/* libnvme reads the Changed Namespace List log into a struct nvme_ns_list. */
#define CHANGED_NS_FIELDS(F, O, A, B) \
	F(A, B, nsid, ns) F(A, B, nsid[1023], ns[1023])

/* Bytes 0..29 and 32..41: libnvme 1.3 lacks CSI/OPC and LPVER, see KNOWN_DIFF. */
#define ERROR_LOG_FIELDS(F, O, A, B) \
	F(A, B, error_count, error_count) F(A, B, sqid, sqid) F(A, B, cid, cmdid) \
	F(A, B, status, status_field) F(A, B, param_error_location, parm_error_location) \
	F(A, B, lba, lba) F(A, B, nsid, nsid) F(A, B, vs, vs) F(A, B, trtype, trtype) \
	F(A, B, cs, cs) F(A, B, trtype_spec_info, trtype_spec_info)

#define SMART_FIELDS(F, O, A, B) \
	F(A, B, critical_warning, critical_warning) F(A, B, temperature, temperature) \
	F(A, B, avail_spare, avail_spare) F(A, B, spare_thresh, spare_thresh) \
	F(A, B, percent_used, percent_used) \
	F(A, B, endu_grp_crit_warn_sumry, endu_grp_crit_warn_sumry) \
	F(A, B, rsvd7, rsvd7) F(A, B, data_units_read, data_units_read) \
	F(A, B, data_units_written, data_units_written) F(A, B, host_reads, host_reads) \
	F(A, B, host_writes, host_writes) F(A, B, ctrl_busy_time, ctrl_busy_time) \
	F(A, B, power_cycles, power_cycles) F(A, B, power_on_hours, power_on_hours) \
	F(A, B, unsafe_shutdowns, unsafe_shutdowns) F(A, B, media_errors, media_errors) \
	F(A, B, num_err_log_entries, num_err_log_entries) \
	F(A, B, warning_temp_time, warning_temp_time) \
	F(A, B, critical_comp_time, critical_comp_time) F(A, B, temp_sensor, temp_sensor) \
	F(A, B, thm_temp1_trans_count, thm_temp1_trans_count) \
	F(A, B, thm_temp2_trans_count, thm_temp2_trans_count) \
	F(A, B, thm_temp1_total_time, thm_temp1_total_time) \
	F(A, B, thm_temp2_total_time, thm_temp2_total_time) F(A, B, rsvd232, rsvd232)

#define FW_SLOT_FIELDS(F, O, A, B) \
	F(A, B, afi, afi) F(A, B, rsvd1, rsvd1) F(A, B, frs, frs) F(A, B, frs[6], frs[6]) \
	F(A, B, rsvd64, rsvd2)

#define CMD_EFFECTS_FIELDS(F, O, A, B) \
	F(A, B, acs, acs) F(A, B, iocs, iocs) F(A, B, rsvd2048, rsvd)

/* libnvme's nvme_ana_log is header + flexible descs[]; ours is the 16-byte header alone. */
#define ANA_HDR_FIELDS(F, O, A, B) \
	F(A, B, chgcnt, chgcnt) F(A, B, ngrps, ngrps) F(A, B, rsvd10, rsvd10)

#define ANA_DESC_FIELDS(F, O, A, B) \
	F(A, B, grpid, grpid) F(A, B, nnsids, nnsids) F(A, B, chgcnt, chgcnt) \
	F(A, B, state, state) F(A, B, rsvd17, rsvd17) O(A, B, nsids, nsids)

#define DISC_ENTRY_FIELDS(F, O, A, B) \
	F(A, B, trtype, trtype) F(A, B, adrfam, adrfam) F(A, B, subtype, subtype) \
	F(A, B, treq, treq) F(A, B, portid, portid) F(A, B, cntlid, cntlid) \
	F(A, B, asqsz, asqsz) F(A, B, eflags, eflags) F(A, B, rsvd12, rsvd12) \
	F(A, B, trsvcid, trsvcid) F(A, B, rsvd64, rsvd64) F(A, B, subnqn, subnqn) \
	F(A, B, traddr, traddr) F(A, B, tsas, tsas)

#define DISC_HDR_FIELDS(F, O, A, B) \
	F(A, B, genctr, genctr) F(A, B, numrec, numrec) F(A, B, recfmt, recfmt) \
	F(A, B, rsvd18, rsvd14) O(A, B, entries, entries)

#define CONNECT_DATA_FIELDS(F, O, A, B) \
	F(A, B, hostid, hostid) F(A, B, cntlid, cntlid) F(A, B, rsvd18, rsvd4) \
	F(A, B, subnqn, subsysnqn) F(A, B, hostnqn, hostnqn) F(A, B, rsvd768, rsvd5)

#define DSM_RANGE_FIELDS(F, O, A, B) \
	F(A, B, cattr, cattr) F(A, B, nlb, nlb) F(A, B, slba, slba)

/*
 * libnvme has no SQE; its ioctl struct nvme_passthru_cmd (72 bytes, the
 * Linux uapi) deliberately keeps the SQE's dword positions for the fields
 * the kernel copies into the SQE verbatim.  Those positions are compared;
 * the sizes of the structures are not (they differ by design).
 */
#define SQE_PASSTHRU_FIELDS(F, O, A, B) \
	F(A, B, opc, opcode) F(A, B, flags, flags) F(A, B, nsid, nsid) \
	F(A, B, cdw2, cdw2) F(A, B, cdw3, cdw3) F(A, B, mptr, metadata) \
	F(A, B, dptr.prp.prp1, addr) F(A, B, cdw10, cdw10) F(A, B, cdw11, cdw11) \
	F(A, B, cdw12, cdw12) F(A, B, cdw13, cdw13) F(A, B, cdw14, cdw14) \
	F(A, B, cdw15, cdw15)

/* Every (list, ours, theirs, compare-size) the file checks. */
#define ALL_STRUCTS(S) \
	S(PSD_FIELDS, struct nvmx_psd, struct nvme_id_psd, 1) \
	S(ID_CTRL_FIELDS, struct nvmx_id_ctrl, struct nvme_id_ctrl, 1) \
	S(LBAF_FIELDS, struct nvmx_lbaf, struct nvme_lbaf, 1) \
	S(ID_NS_FIELDS, struct nvmx_id_ns, struct nvme_id_ns, 1) \
	S(NS_ID_DESC_FIELDS, struct nvmx_ns_id_desc, struct nvme_ns_id_desc, 1) \
	S(NS_LIST_FIELDS, struct nvmx_ns_list, struct nvme_ns_list, 1) \
	S(CHANGED_NS_FIELDS, struct nvmx_changed_ns_log, struct nvme_ns_list, 1) \
	S(ERROR_LOG_FIELDS, struct nvmx_error_log_entry, struct nvme_error_log_page, 1) \
	S(SMART_FIELDS, struct nvmx_smart_log, struct nvme_smart_log, 1) \
	S(FW_SLOT_FIELDS, struct nvmx_fw_slot_log, struct nvme_firmware_slot, 1) \
	S(CMD_EFFECTS_FIELDS, struct nvmx_cmd_effects_log, struct nvme_cmd_effects_log, 1) \
	S(ANA_HDR_FIELDS, struct nvmx_ana_log_hdr, struct nvme_ana_log, 1) \
	S(ANA_DESC_FIELDS, struct nvmx_ana_group_desc, struct nvme_ana_group_desc, 1) \
	S(DISC_ENTRY_FIELDS, struct nvmx_disc_log_entry, struct nvmf_disc_log_entry, 1) \
	S(DISC_HDR_FIELDS, struct nvmx_disc_log_hdr, struct nvmf_discovery_log, 1) \
	S(CONNECT_DATA_FIELDS, struct nvmx_connect_data, struct nvmf_connect_data, 1) \
	S(DSM_RANGE_FIELDS, struct nvmx_dsm_range, struct nvme_dsm_range, 1) \
	S(SQE_PASSTHRU_FIELDS, struct nvmx_sqe, struct nvme_passthru_cmd, 0)

/* Compile-time gate. */
#define SIZE_SA_IF(O, T, cmp) SIZE_SA_##cmp(O, T)
#define SIZE_SA_1(O, T) SIZE_SA(O, T)
#define SIZE_SA_0(O, T)
#define STRUCT_SA(list, O, T, cmp) list(SA_F, SA_O, O, T) SIZE_SA_IF(O, T, cmp)
ALL_STRUCTS(STRUCT_SA)

/* The same, as data. */
#define SIZE_ROW_IF(O, T, cmp) SIZE_ROW_##cmp(O, T)
#define SIZE_ROW_1(O, T) SIZE_ROW_F(O, T)
#define SIZE_ROW_0(O, T)
#define STRUCT_ROWS(list, O, T, cmp) list(ROW_F, ROW_O, O, T) SIZE_ROW_IF(O, T, cmp)
static const struct field_row field_rows[] = {
	ALL_STRUCTS(STRUCT_ROWS)
};

/*
 * Known differences from libnvme 1.3, each pinned to what it is (see
 * SPEC_CROSSCHECK.md).  If libnvme or we change, these fail and the
 * difference gets looked at again.
 */
#define KNOWN_DIFFS(K) \
	/* NVM 1.0 Figure 97: bytes 4095:384 vendor specific; libnvme puts LBSTM (CNS 05h data) at 384. */ \
	K(offsetof(struct nvmx_id_ns, vs) == offsetof(struct nvme_id_ns, lbstm), "id_ns.vs at libnvme's lbstm (384)") \
	K(sizeof(((struct nvmx_id_ns *)0)->vs) == 8 + sizeof(((struct nvme_id_ns *)0)->vs), "id_ns.vs is 3712 = 8 + libnvme's 3704") \
	/* Base 2.0 Figure 205: CSI at 30, OPC at 31, LPVER at 63; libnvme 1.3 has rsvd[2] at 30 and rsvd2[22] at 42. */ \
	K(offsetof(struct nvmx_error_log_entry, csi) == offsetof(struct nvme_error_log_page, rsvd), "error_log.csi at libnvme's rsvd[0] (30)") \
	K(offsetof(struct nvmx_error_log_entry, opcode) == offsetof(struct nvme_error_log_page, rsvd) + 1, "error_log.opcode at libnvme's rsvd[1] (31)") \
	K(offsetof(struct nvmx_error_log_entry, rsvd42) == offsetof(struct nvme_error_log_page, rsvd2), "error_log.rsvd42 at libnvme's rsvd2 (42)") \
	K(offsetof(struct nvmx_error_log_entry, log_page_version) == offsetof(struct nvme_error_log_page, rsvd2) + 21, "error_log.log_page_version at libnvme's rsvd2[21] (63)") \
	/* Base 2.0 Figure 275 FRMW bits 3:1 number of slots; libnvme's NVME_CTRL_FRMW_NR_SLOTS mask is 3 << 1 (bits 2:1). */ \
	K(NVMX_FRMW_NUM_SLOTS(0x0eu) == 7 && (NVME_CTRL_FRMW_NR_SLOTS >> 1) == 3, "FRMW slots: ours 3 bits, libnvme 2 bits")

#define KD_SA(cond, msg) XCHECK_SA(cond, "known libnvme difference changed: " msg)
KNOWN_DIFFS(KD_SA)

struct known_row {
	const char *what;
	int holds;
};
#define KD_ROW(cond, msg) { msg, (cond) },
static const struct known_row known_rows[] = {
	KNOWN_DIFFS(KD_ROW)
};

/* ------------------------------------------------------------------ */
/* Numeric constants                                                   */
/* ------------------------------------------------------------------ */

struct const_row {
	const char *what;
	long long ours, theirs;
};

#define CONSTS(C) \
	/* register offsets (Base Figure 33) */ \
	C(NVMX_REG_CAP, NVME_REG_CAP) C(NVMX_REG_VS, NVME_REG_VS) \
	C(NVMX_REG_INTMS, NVME_REG_INTMS) C(NVMX_REG_INTMC, NVME_REG_INTMC) \
	C(NVMX_REG_CC, NVME_REG_CC) C(NVMX_REG_CSTS, NVME_REG_CSTS) \
	C(NVMX_REG_NSSR, NVME_REG_NSSR) C(NVMX_REG_AQA, NVME_REG_AQA) \
	C(NVMX_REG_ASQ, NVME_REG_ASQ) C(NVMX_REG_ACQ, NVME_REG_ACQ) \
	C(NVMX_REG_CMBLOC, NVME_REG_CMBLOC) C(NVMX_REG_CMBSZ, NVME_REG_CMBSZ) \
	C(NVMX_REG_BPINFO, NVME_REG_BPINFO) C(NVMX_REG_BPRSEL, NVME_REG_BPRSEL) \
	C(NVMX_REG_BPMBL, NVME_REG_BPMBL) C(NVMX_REG_CMBMSC, NVME_REG_CMBMSC) \
	C(NVMX_REG_CMBSTS, NVME_REG_CMBSTS) C(NVMX_REG_CRTO, NVME_REG_CRTO) \
	C(NVMX_REG_PMRCAP, NVME_REG_PMRCAP) C(NVMX_REG_PMRCTL, NVME_REG_PMRCTL) \
	C(NVMX_REG_PMRSTS, NVME_REG_PMRSTS) C(NVMX_REG_PMREBS, NVME_REG_PMREBS) \
	C(NVMX_REG_PMRSWTP, NVME_REG_PMRSWTP) C(NVMX_REG_PMRMSCL, NVME_REG_PMRMSCL) \
	C(NVMX_REG_PMRMSCU, NVME_REG_PMRMSCU) \
	/* CAP.CSS bits */ \
	C(NVMX_CAP_CSS_NVM, NVME_CAP_CSS_NVM) C(NVMX_CAP_CSS_CSI, NVME_CAP_CSS_CSI) \
	C(NVMX_CAP_CSS_ADMIN, NVME_CAP_CSS_ADMIN) \
	C(NVMX_CAP_AMS_WRRU, NVME_CAP_AMS_WRR) C(NVMX_CAP_AMS_VS, NVME_CAP_AMS_VS) \
	C(NVMX_CC_AMS_RR, NVME_CC_AMS_RR << NVME_CC_AMS_SHIFT) \
	C(NVMX_CC_AMS_WRRU, NVME_CC_AMS_WRRU << NVME_CC_AMS_SHIFT) \
	C(NVMX_CC_AMS_VS, NVME_CC_AMS_VS << NVME_CC_AMS_SHIFT) \
	/* CC fields as masks in place */ \
	C(NVMX_CC_EN, NVME_CC_EN_MASK << NVME_CC_EN_SHIFT) \
	C(NVMX_CC_CSS_SHIFT, NVME_CC_CSS_SHIFT) C(NVMX_CC_CSS_MASK, NVME_CC_CSS_MASK << NVME_CC_CSS_SHIFT) \
	C(NVMX_CC_CSS_NVM, NVME_CC_CSS_NVM << NVME_CC_CSS_SHIFT) \
	C(NVMX_CC_CSS_CSI, NVME_CC_CSS_CSI << NVME_CC_CSS_SHIFT) \
	C(NVMX_CC_CSS_ADMIN, NVME_CC_CSS_ADMIN << NVME_CC_CSS_SHIFT) \
	C(NVMX_CC_MPS_SHIFT, NVME_CC_MPS_SHIFT) C(NVMX_CC_MPS_MASK, NVME_CC_MPS_MASK << NVME_CC_MPS_SHIFT) \
	C(NVMX_CC_AMS_SHIFT, NVME_CC_AMS_SHIFT) C(NVMX_CC_AMS_MASK, NVME_CC_AMS_MASK << NVME_CC_AMS_SHIFT) \
	C(NVMX_CC_SHN_SHIFT, NVME_CC_SHN_SHIFT) C(NVMX_CC_SHN_MASK, NVME_CC_SHN_MASK << NVME_CC_SHN_SHIFT) \
	C(NVMX_CC_SHN_NONE, NVME_CC_SHN_NONE << NVME_CC_SHN_SHIFT) \
	C(NVMX_CC_SHN_NORMAL, NVME_CC_SHN_NORMAL << NVME_CC_SHN_SHIFT) \
	C(NVMX_CC_SHN_ABRUPT, NVME_CC_SHN_ABRUPT << NVME_CC_SHN_SHIFT) \
	C(NVMX_CC_IOSQES_SHIFT, NVME_CC_IOSQES_SHIFT) \
	C(NVMX_CC_IOSQES_MASK, NVME_CC_IOSQES_MASK << NVME_CC_IOSQES_SHIFT) \
	C(NVMX_CC_IOCQES_SHIFT, NVME_CC_IOCQES_SHIFT) \
	C(NVMX_CC_IOCQES_MASK, NVME_CC_IOCQES_MASK << NVME_CC_IOCQES_SHIFT) \
	C(NVMX_CC_CRIME, NVME_CC_CRIME_MASK << NVME_CC_CRIME_SHIFT) \
	/* CSTS */ \
	C(NVMX_CSTS_RDY, NVME_CSTS_RDY_MASK << NVME_CSTS_RDY_SHIFT) \
	C(NVMX_CSTS_CFS, NVME_CSTS_CFS_MASK << NVME_CSTS_CFS_SHIFT) \
	C(NVMX_CSTS_SHST_SHIFT, NVME_CSTS_SHST_SHIFT) \
	C(NVMX_CSTS_SHST_MASK, NVME_CSTS_SHST_MASK << NVME_CSTS_SHST_SHIFT) \
	C(NVMX_CSTS_SHST_NORMAL, NVME_CSTS_SHST_NORMAL << NVME_CSTS_SHST_SHIFT) \
	C(NVMX_CSTS_SHST_OCCUR, NVME_CSTS_SHST_OCCUR << NVME_CSTS_SHST_SHIFT) \
	C(NVMX_CSTS_SHST_CMPLT, NVME_CSTS_SHST_CMPLT << NVME_CSTS_SHST_SHIFT) \
	C(NVMX_CSTS_NSSRO, NVME_CSTS_NSSRO_MASK << NVME_CSTS_NSSRO_SHIFT) \
	C(NVMX_CSTS_PP, NVME_CSTS_PP_MASK << NVME_CSTS_PP_SHIFT) \
	/* command set identifiers, NIDT */ \
	C(NVMX_CSI_NVM, NVME_CSI_NVM) C(NVMX_CSI_KV, NVME_CSI_KV) C(NVMX_CSI_ZNS, NVME_CSI_ZNS) \
	C(NVMX_NIDT_EUI64, NVME_NIDT_EUI64) C(NVMX_NIDT_NGUID, NVME_NIDT_NGUID) \
	C(NVMX_NIDT_UUID, NVME_NIDT_UUID) C(NVMX_NIDT_CSI, NVME_NIDT_CSI) \
	C(NVMX_NIDT_EUI64_LEN, NVME_NIDT_EUI64_LEN) C(NVMX_NIDT_NGUID_LEN, NVME_NIDT_NGUID_LEN) \
	C(NVMX_NIDT_UUID_LEN, NVME_NIDT_UUID_LEN) C(NVMX_NIDT_CSI_LEN, NVME_NIDT_CSI_LEN) \
	/* sizes and limits */ \
	C(NVMX_NS_LIST_MAX, NVME_ID_NS_LIST_MAX) C(NVMX_DSM_MAX_RANGES, NVME_DSM_MAX_RANGES) \
	C(NVMX_NQN_FIELD, NVME_NQN_LENGTH) C(NVMX_NQN_MAX, NVMF_NQN_SIZE) \
	C(sizeof(((struct nvmx_disc_log_entry *)0)->traddr), NVMF_TRADDR_SIZE) \
	C(sizeof(((struct nvmx_disc_log_entry *)0)->tsas), NVMF_TSAS_SIZE) \
	C(sizeof(((struct nvmx_disc_log_entry *)0)->trsvcid), NVMF_TRSVCID_SIZE) \
	C(NVMX_TCP_DEFAULT_PORT, NVME_RDMA_IP_PORT) C(NVMX_TCP_DISC_PORT, NVME_DISC_IP_PORT) \
	/* admin opcodes (Base Figure 139) */ \
	C(NVMX_ADM_DELETE_SQ, nvme_admin_delete_sq) C(NVMX_ADM_CREATE_SQ, nvme_admin_create_sq) \
	C(NVMX_ADM_GET_LOG_PAGE, nvme_admin_get_log_page) C(NVMX_ADM_DELETE_CQ, nvme_admin_delete_cq) \
	C(NVMX_ADM_CREATE_CQ, nvme_admin_create_cq) C(NVMX_ADM_IDENTIFY, nvme_admin_identify) \
	C(NVMX_ADM_ABORT, nvme_admin_abort_cmd) C(NVMX_ADM_SET_FEATURES, nvme_admin_set_features) \
	C(NVMX_ADM_GET_FEATURES, nvme_admin_get_features) C(NVMX_ADM_ASYNC_EVENT, nvme_admin_async_event) \
	C(NVMX_ADM_NS_MGMT, nvme_admin_ns_mgmt) C(NVMX_ADM_FW_COMMIT, nvme_admin_fw_commit) \
	C(NVMX_ADM_FW_DOWNLOAD, nvme_admin_fw_download) C(NVMX_ADM_DEV_SELF_TEST, nvme_admin_dev_self_test) \
	C(NVMX_ADM_NS_ATTACH, nvme_admin_ns_attach) C(NVMX_ADM_KEEP_ALIVE, nvme_admin_keep_alive) \
	C(NVMX_ADM_DIRECTIVE_SEND, nvme_admin_directive_send) \
	C(NVMX_ADM_DIRECTIVE_RECV, nvme_admin_directive_recv) \
	C(NVMX_ADM_VIRT_MGMT, nvme_admin_virtual_mgmt) C(NVMX_ADM_NVME_MI_SEND, nvme_admin_nvme_mi_send) \
	C(NVMX_ADM_NVME_MI_RECV, nvme_admin_nvme_mi_recv) C(NVMX_ADM_CAPACITY_MGMT, nvme_admin_capacity_mgmt) \
	C(NVMX_ADM_LOCKDOWN, nvme_admin_lockdown) C(NVMX_ADM_DBBUF_CONFIG, nvme_admin_dbbuf) \
	C(NVMX_ADM_FABRICS, nvme_admin_fabrics) C(NVMX_ADM_FORMAT_NVM, nvme_admin_format_nvm) \
	C(NVMX_ADM_SECURITY_SEND, nvme_admin_security_send) \
	C(NVMX_ADM_SECURITY_RECV, nvme_admin_security_recv) \
	C(NVMX_ADM_SANITIZE, nvme_admin_sanitize_nvm) C(NVMX_ADM_GET_LBA_STATUS, nvme_admin_get_lba_status) \
	/* NVM opcodes (NVM Figure 14) */ \
	C(NVMX_NVM_FLUSH, nvme_cmd_flush) C(NVMX_NVM_WRITE, nvme_cmd_write) C(NVMX_NVM_READ, nvme_cmd_read) \
	C(NVMX_NVM_WRITE_UNCOR, nvme_cmd_write_uncor) C(NVMX_NVM_COMPARE, nvme_cmd_compare) \
	C(NVMX_NVM_WRITE_ZEROES, nvme_cmd_write_zeroes) C(NVMX_NVM_DSM, nvme_cmd_dsm) \
	C(NVMX_NVM_VERIFY, nvme_cmd_verify) C(NVMX_NVM_RESV_REGISTER, nvme_cmd_resv_register) \
	C(NVMX_NVM_RESV_REPORT, nvme_cmd_resv_report) C(NVMX_NVM_RESV_ACQUIRE, nvme_cmd_resv_acquire) \
	C(NVMX_NVM_RESV_RELEASE, nvme_cmd_resv_release) C(NVMX_NVM_COPY, nvme_cmd_copy) \
	/* fabrics command types */ \
	C(NVMX_FCTYPE_PROPERTY_SET, nvme_fabrics_type_property_set) \
	C(NVMX_FCTYPE_CONNECT, nvme_fabrics_type_connect) \
	C(NVMX_FCTYPE_PROPERTY_GET, nvme_fabrics_type_property_get) \
	C(NVMX_FCTYPE_AUTH_SEND, nvme_fabrics_type_auth_send) \
	C(NVMX_FCTYPE_AUTH_RECV, nvme_fabrics_type_auth_receive) \
	C(NVMX_FCTYPE_DISCONNECT, nvme_fabrics_type_disconnect) \
	/* data transfer direction (opcode bits 1:0) */ \
	C(NVMX_XFER_NONE, NVME_DATA_TFR_NO_DATA_TFR) C(NVMX_XFER_H2C, NVME_DATA_TFR_HOST_TO_CTRL) \
	C(NVMX_XFER_C2H, NVME_DATA_TFR_CTRL_TO_HOST) C(NVMX_XFER_BIDI, NVME_DATA_TFR_BIDIRECTIONAL) \
	/* Identify CNS */ \
	C(NVMX_CNS_NS, NVME_IDENTIFY_CNS_NS) C(NVMX_CNS_CTRL, NVME_IDENTIFY_CNS_CTRL) \
	C(NVMX_CNS_NS_ACTIVE_LIST, NVME_IDENTIFY_CNS_NS_ACTIVE_LIST) \
	C(NVMX_CNS_NS_DESC_LIST, NVME_IDENTIFY_CNS_NS_DESC_LIST) \
	C(NVMX_CNS_NVMSET_LIST, NVME_IDENTIFY_CNS_NVMSET_LIST) C(NVMX_CNS_CSI_NS, NVME_IDENTIFY_CNS_CSI_NS) \
	C(NVMX_CNS_CSI_CTRL, NVME_IDENTIFY_CNS_CSI_CTRL) \
	C(NVMX_CNS_CSI_NS_ACTIVE, NVME_IDENTIFY_CNS_CSI_NS_ACTIVE_LIST) \
	C(NVMX_CNS_NS_PRESENT_LIST, NVME_IDENTIFY_CNS_ALLOCATED_NS_LIST) \
	C(NVMX_CNS_NS_PRESENT, NVME_IDENTIFY_CNS_ALLOCATED_NS) \
	C(NVMX_CNS_CTRL_NS_LIST, NVME_IDENTIFY_CNS_NS_CTRL_LIST) \
	C(NVMX_CNS_CTRL_LIST, NVME_IDENTIFY_CNS_CTRL_LIST) \
	C(NVMX_CNS_CSI_SUPPORTED, NVME_IDENTIFY_CNS_COMMAND_SET_STRUCTURE) \
	/* log page identifiers (Base Figure 202) */ \
	C(NVMX_LID_SUPPORTED_LOGS, NVME_LOG_LID_SUPPORTED_LOG_PAGES) C(NVMX_LID_ERROR, NVME_LOG_LID_ERROR) \
	C(NVMX_LID_SMART, NVME_LOG_LID_SMART) C(NVMX_LID_FW_SLOT, NVME_LOG_LID_FW_SLOT) \
	C(NVMX_LID_CHANGED_NS, NVME_LOG_LID_CHANGED_NS) C(NVMX_LID_CMD_EFFECTS, NVME_LOG_LID_CMD_EFFECTS) \
	C(NVMX_LID_DEV_SELF_TEST, NVME_LOG_LID_DEVICE_SELF_TEST) \
	C(NVMX_LID_TELEMETRY_HOST, NVME_LOG_LID_TELEMETRY_HOST) \
	C(NVMX_LID_TELEMETRY_CTRL, NVME_LOG_LID_TELEMETRY_CTRL) \
	C(NVMX_LID_ENDURANCE_GROUP, NVME_LOG_LID_ENDURANCE_GROUP) \
	C(NVMX_LID_PLM_PER_NVMSET, NVME_LOG_LID_PREDICTABLE_LAT_NVMSET) \
	C(NVMX_LID_PLM_EVENT_AGG, NVME_LOG_LID_PREDICTABLE_LAT_AGG) C(NVMX_LID_ANA, NVME_LOG_LID_ANA) \
	C(NVMX_LID_PERSISTENT_EVENT, NVME_LOG_LID_PERSISTENT_EVENT) \
	C(NVMX_LID_LBA_STATUS, NVME_LOG_LID_LBA_STATUS) C(NVMX_LID_EG_EVENT_AGG, NVME_LOG_LID_ENDURANCE_GRP_EVT) \
	C(NVMX_LID_MEDIA_UNIT, NVME_LOG_LID_MEDIA_UNIT_STATUS) \
	C(NVMX_LID_CAP_CONFIG_LIST, NVME_LOG_LID_SUPPORTED_CAP_CONFIG_LIST) \
	C(NVMX_LID_FID_EFFECTS, NVME_LOG_LID_FID_SUPPORTED_EFFECTS) \
	C(NVMX_LID_MI_CMD_EFFECTS, NVME_LOG_LID_MI_CMD_SUPPORTED_EFFECTS) \
	C(NVMX_LID_BOOT_PARTITION, NVME_LOG_LID_BOOT_PARTITION) C(NVMX_LID_DISCOVERY, NVME_LOG_LID_DISCOVER) \
	C(NVMX_LID_RESERVATION, NVME_LOG_LID_RESERVATION) C(NVMX_LID_SANITIZE, NVME_LOG_LID_SANITIZE) \
	/* feature identifiers (Base Figure 317) */ \
	C(NVMX_FID_ARBITRATION, NVME_FEAT_FID_ARBITRATION) C(NVMX_FID_POWER_MGMT, NVME_FEAT_FID_POWER_MGMT) \
	C(NVMX_FID_LBA_RANGE, NVME_FEAT_FID_LBA_RANGE) C(NVMX_FID_TEMP_THRESH, NVME_FEAT_FID_TEMP_THRESH) \
	C(NVMX_FID_ERR_RECOVERY, NVME_FEAT_FID_ERR_RECOVERY) C(NVMX_FID_VOLATILE_WC, NVME_FEAT_FID_VOLATILE_WC) \
	C(NVMX_FID_NUM_QUEUES, NVME_FEAT_FID_NUM_QUEUES) C(NVMX_FID_IRQ_COALESCE, NVME_FEAT_FID_IRQ_COALESCE) \
	C(NVMX_FID_IRQ_CONFIG, NVME_FEAT_FID_IRQ_CONFIG) C(NVMX_FID_WRITE_ATOMIC, NVME_FEAT_FID_WRITE_ATOMIC) \
	C(NVMX_FID_ASYNC_EVENT, NVME_FEAT_FID_ASYNC_EVENT) C(NVMX_FID_AUTO_PST, NVME_FEAT_FID_AUTO_PST) \
	C(NVMX_FID_HOST_MEM_BUF, NVME_FEAT_FID_HOST_MEM_BUF) C(NVMX_FID_TIMESTAMP, NVME_FEAT_FID_TIMESTAMP) \
	C(NVMX_FID_KATO, NVME_FEAT_FID_KATO) C(NVMX_FID_HCTM, NVME_FEAT_FID_HCTM) \
	C(NVMX_FID_NOPSC, NVME_FEAT_FID_NOPSC) C(NVMX_FID_RRL, NVME_FEAT_FID_RRL) \
	C(NVMX_FID_PLM_CONFIG, NVME_FEAT_FID_PLM_CONFIG) C(NVMX_FID_PLM_WINDOW, NVME_FEAT_FID_PLM_WINDOW) \
	C(NVMX_FID_LBA_STS_INTERVAL, NVME_FEAT_FID_LBA_STS_INTERVAL) \
	C(NVMX_FID_HOST_BEHAVIOR, NVME_FEAT_FID_HOST_BEHAVIOR) C(NVMX_FID_SANITIZE, NVME_FEAT_FID_SANITIZE) \
	C(NVMX_FID_ENDURANCE_EVT_CFG, NVME_FEAT_FID_ENDURANCE_EVT_CFG) \
	C(NVMX_FID_IOCS_PROFILE, NVME_FEAT_FID_IOCS_PROFILE) \
	C(NVMX_FID_SPINUP_CONTROL, NVME_FEAT_FID_SPINUP_CONTROL) \
	C(NVMX_FID_ENH_CTRL_METADATA, NVME_FEAT_FID_ENH_CTRL_METADATA) \
	C(NVMX_FID_CTRL_METADATA, NVME_FEAT_FID_CTRL_METADATA) \
	C(NVMX_FID_NS_METADATA, NVME_FEAT_FID_NS_METADATA) C(NVMX_FID_SW_PROGRESS, NVME_FEAT_FID_SW_PROGRESS) \
	C(NVMX_FID_HOST_ID, NVME_FEAT_FID_HOST_ID) C(NVMX_FID_RESV_MASK, NVME_FEAT_FID_RESV_MASK) \
	C(NVMX_FID_RESV_PERSIST, NVME_FEAT_FID_RESV_PERSIST) \
	C(NVMX_FID_WRITE_PROTECT, NVME_FEAT_FID_WRITE_PROTECT) \
	C(NVMX_FEAT_SEL_CURRENT, NVME_GET_FEATURES_SEL_CURRENT) \
	C(NVMX_FEAT_SEL_DEFAULT, NVME_GET_FEATURES_SEL_DEFAULT) \
	C(NVMX_FEAT_SEL_SAVED, NVME_GET_FEATURES_SEL_SAVED) \
	C(NVMX_FEAT_SEL_SUPPORTED_CAPS, NVME_GET_FEATURES_SEL_SUPPORTED) \
	/* Number of Queues and Temperature Threshold field positions */ \
	C(NVMX_NUM_QUEUES(1, 2), 1ll << NVME_FEAT_NRQS_NCQR_SHIFT) \
	C(NVMX_TEMP_THRESH_TMPSEL(0xfu << NVME_FEAT_TT_TMPSEL_SHIFT), NVME_FEAT_TT_TMPSEL_MASK) \
	C(NVMX_TEMP_THRESH_THSEL(0x3u << NVME_FEAT_TT_THSEL_SHIFT), NVME_FEAT_TT_THSEL_MASK) \
	/* Asynchronous Event Configuration (Base Figure 332) */ \
	C(NVMX_CW_SPARE, NVME_FEATURE_AENCFG_SMART_CRIT_SPARE) \
	C(NVMX_CW_TEMPERATURE, NVME_FEATURE_AENCFG_SMART_CRIT_TEMPERATURE) \
	C(NVMX_CW_RELIABILITY, NVME_FEATURE_AENCFG_SMART_CRIT_DEGRADED) \
	C(NVMX_CW_READ_ONLY, NVME_FEATURE_AENCFG_SMART_CRIT_READ_ONLY) \
	C(NVMX_CW_VOLATILE_BACKUP, NVME_FEATURE_AENCFG_SMART_CRIT_VOLATILE_BACKUP) \
	C(NVMX_CW_PMR_READ_ONLY, NVME_FEATURE_AENCFG_SMART_CRIT_READ_ONLY_PMR) \
	C(NVMX_AEC_NS_ATTR, NVME_FEATURE_AENCFG_NOTICE_NAMESPACE_ATTRIBUTES) \
	C(NVMX_AEC_FW_ACTIVATION, NVME_FEATURE_AENCFG_NOTICE_FIRMWARE_ACTIVATION) \
	C(NVMX_AEC_TELEMETRY, NVME_FEATURE_AENCFG_NOTICE_TELEMETRY_LOG) \
	C(NVMX_AEC_ANA_CHANGE, NVME_FEATURE_AENCFG_NOTICE_ANA_CHANGE) \
	C(NVMX_AEC_PLEA, NVME_FEATURE_AENCFG_NOTICE_PL_EVENT) \
	C(NVMX_AEC_LBA_STATUS, NVME_FEATURE_AENCFG_NOTICE_LBA_STATUS) \
	C(NVMX_AEC_EGEA, NVME_FEATURE_AENCFG_NOTICE_EG_EVENT) \
	C(NVMX_AEC_DISC_LOG_CHANGE, (long long)NVME_FEATURE_AENCFG_NOTICE_DISCOVERY_CHANGE & 0xffffffffll) \
	/* SMART critical warning bits (Base Figure 207) */ \
	C(NVMX_CW_SPARE, NVME_SMART_CRIT_SPARE) C(NVMX_CW_TEMPERATURE, NVME_SMART_CRIT_TEMPERATURE) \
	C(NVMX_CW_RELIABILITY, NVME_SMART_CRIT_DEGRADED) C(NVMX_CW_READ_ONLY, NVME_SMART_CRIT_MEDIA) \
	C(NVMX_CW_VOLATILE_BACKUP, NVME_SMART_CRIT_VOLATILE_MEMORY) \
	C(NVMX_CW_PMR_READ_ONLY, NVME_SMART_CRIT_PMR_RO) \
	/* asynchronous event types and information (Base Figures 146-150) */ \
	C(NVMX_AER_TYPE_ERROR, NVME_AER_ERROR) C(NVMX_AER_TYPE_SMART, NVME_AER_SMART) \
	C(NVMX_AER_TYPE_NOTICE, NVME_AER_NOTICE) C(NVMX_AER_TYPE_IOCS, NVME_AER_CSS) \
	C(NVMX_AER_TYPE_VENDOR, NVME_AER_VS) \
	C(NVMX_AER_ERR_INVALID_DB, NVME_AER_ERROR_INVALID_DB_REG) \
	C(NVMX_AER_ERR_INVALID_DB_VALUE, NVME_AER_ERROR_INVALID_DB_VAL) \
	C(NVMX_AER_ERR_DIAG_FAILURE, NVME_AER_ERROR_DIAG_FAILURE) \
	C(NVMX_AER_ERR_PERSISTENT_INTERNAL, NVME_AER_ERROR_PERSISTENT_INTERNAL_ERROR) \
	C(NVMX_AER_ERR_TRANSIENT_INTERNAL, NVME_AER_ERROR_TRANSIENT_INTERNAL_ERROR) \
	C(NVMX_AER_ERR_FW_IMAGE_LOAD, NVME_AER_ERROR_FW_IMAGE_LOAD_ERROR) \
	C(NVMX_AER_SMART_RELIABILITY, NVME_AER_SMART_SUBSYSTEM_RELIABILITY) \
	C(NVMX_AER_SMART_TEMP_THRESH, NVME_AER_SMART_TEMPERATURE_THRESHOLD) \
	C(NVMX_AER_SMART_SPARE_THRESH, NVME_AER_SMART_SPARE_THRESHOLD) \
	C(NVMX_AER_NOTICE_NS_CHANGED, NVME_AER_NOTICE_NS_CHANGED) \
	C(NVMX_AER_NOTICE_FW_ACT_STARTING, NVME_AER_NOTICE_FW_ACT_STARTING) \
	C(NVMX_AER_NOTICE_TELEMETRY, NVME_AER_NOTICE_TELEMETRY) C(NVMX_AER_NOTICE_ANA, NVME_AER_NOTICE_ANA) \
	C(NVMX_AER_NOTICE_PLEA, NVME_AER_NOTICE_PL_EVENT) \
	C(NVMX_AER_NOTICE_LBA_STATUS, NVME_AER_NOTICE_LBA_STATUS_ALERT) \
	C(NVMX_AER_NOTICE_EGEA, NVME_AER_NOTICE_EG_EVENT) \
	C(NVMX_AER_NOTICE_DISC_CHANGED, NVME_AER_NOTICE_DISC_CHANGED) \
	C(NVMX_AER_IOCS_RESERVATION, NVME_AER_CSS_NVM_RESERVATION) \
	C(NVMX_AER_IOCS_SANITIZE_DONE, NVME_AER_CSS_NVM_SANITIZE_COMPLETED) \
	C(NVMX_AER_IOCS_SANITIZE_DEALLOC, NVME_AER_CSS_NVM_UNEXPECTED_SANITIZE_DEALLOC) \
	/* identify controller fields (Base Figure 275) */ \
	C(NVMX_CTRL_CMIC_MULTI_PORT, NVME_CTRL_CMIC_MULTI_PORT) \
	C(NVMX_CTRL_CMIC_MULTI_CTRL, NVME_CTRL_CMIC_MULTI_CTRL) \
	C(NVMX_CTRL_CMIC_SRIOV, NVME_CTRL_CMIC_MULTI_SRIOV) \
	C(NVMX_CTRL_CMIC_ANA, NVME_CTRL_CMIC_MULTI_ANA_REPORTING) \
	C(NVMX_OAES_NS_ATTR, NVME_CTRL_OAES_NA) C(NVMX_OAES_FW_ACTIVATION, NVME_CTRL_OAES_FA) \
	C(NVMX_OAES_ANA_CHANGE, NVME_CTRL_OAES_ANA) C(NVMX_OAES_PLEA, NVME_CTRL_OAES_PLEA) \
	C(NVMX_OAES_LBA_STATUS, NVME_CTRL_OAES_LBAS) C(NVMX_OAES_EGE, NVME_CTRL_OAES_EGE) \
	C(NVMX_OAES_NORMAL_NSS_SHUTDOWN, NVME_CTRL_OAES_NS) C(NVMX_OAES_ZONE_DESC, NVME_CTRL_OAES_ZD) \
	C(NVMX_OAES_DISC_LOG_CHANGE, (long long)NVME_CTRL_OAES_DL & 0xffffffffll) \
	C(NVMX_CTRL_TYPE_IO, NVME_CTRL_CNTRLTYPE_IO) \
	C(NVMX_CTRL_TYPE_DISCOVERY, NVME_CTRL_CNTRLTYPE_DISCOVERY) \
	C(NVMX_CTRL_TYPE_ADMIN, NVME_CTRL_CNTRLTYPE_ADMIN) \
	C(NVMX_CTRL_DCTYPE_NOT_REPORTED, NVME_CTRL_DCTYPE_NOT_REPORTED) \
	C(NVMX_CTRL_DCTYPE_DDC, NVME_CTRL_DCTYPE_DDC) C(NVMX_CTRL_DCTYPE_CDC, NVME_CTRL_DCTYPE_CDC) \
	C(NVMX_OACS_SECURITY, NVME_CTRL_OACS_SECURITY) C(NVMX_OACS_FORMAT, NVME_CTRL_OACS_FORMAT) \
	C(NVMX_OACS_FW, NVME_CTRL_OACS_FW) C(NVMX_OACS_NS_MGMT, NVME_CTRL_OACS_NS_MGMT) \
	C(NVMX_OACS_SELF_TEST, NVME_CTRL_OACS_SELF_TEST) C(NVMX_OACS_DIRECTIVES, NVME_CTRL_OACS_DIRECTIVES) \
	C(NVMX_OACS_NVME_MI, NVME_CTRL_OACS_NVME_MI) C(NVMX_OACS_VIRT_MGMT, NVME_CTRL_OACS_VIRT_MGMT) \
	C(NVMX_OACS_DBBUF, NVME_CTRL_OACS_DBBUF_CFG) C(NVMX_OACS_LBA_STATUS, NVME_CTRL_OACS_LBA_STATUS) \
	C(NVMX_OACS_LOCKDOWN, NVME_CTRL_OACS_CMD_FEAT_LD) \
	C(NVMX_LPA_SMART_PER_NS, NVME_CTRL_LPA_SMART_PER_NS) \
	C(NVMX_LPA_CMD_EFFECTS, NVME_CTRL_LPA_CMD_EFFECTS) C(NVMX_LPA_EXTENDED, NVME_CTRL_LPA_EXTENDED) \
	C(NVMX_LPA_TELEMETRY, NVME_CTRL_LPA_TELEMETRY) \
	C(NVMX_LPA_PERSISTENT_EVENT, NVME_CTRL_LPA_PERSETENT_EVENT) \
	C(NVMX_ONCS_COMPARE, NVME_CTRL_ONCS_COMPARE) \
	C(NVMX_ONCS_WRITE_UNCOR, NVME_CTRL_ONCS_WRITE_UNCORRECTABLE) C(NVMX_ONCS_DSM, NVME_CTRL_ONCS_DSM) \
	C(NVMX_ONCS_WRITE_ZEROES, NVME_CTRL_ONCS_WRITE_ZEROES) \
	C(NVMX_ONCS_SAVE_FEATURES, NVME_CTRL_ONCS_SAVE_FEATURES) \
	C(NVMX_ONCS_RESERVATIONS, NVME_CTRL_ONCS_RESERVATIONS) \
	C(NVMX_ONCS_TIMESTAMP, NVME_CTRL_ONCS_TIMESTAMP) C(NVMX_ONCS_VERIFY, NVME_CTRL_ONCS_VERIFY) \
	C(NVMX_ONCS_COPY, NVME_CTRL_ONCS_COPY) \
	C(NVMX_VWC_PRESENT, NVME_CTRL_VWC_PRESENT) C(NVMX_VWC_FLUSH_NSID_ALL, NVME_CTRL_VWC_FLUSH) \
	C(NVMX_SGLS_SUPPORTED_MASK, NVME_CTRL_SGLS_SUPPORTED) C(NVMX_SGLS_KEYED, NVME_CTRL_SGLS_KEYED) \
	C(NVMX_SGLS_BIT_BUCKET, NVME_CTRL_SGLS_BIT_BUCKET) \
	C(NVMX_SGLS_MPTR_BYTE_ALIGNED, NVME_CTRL_SGLS_MPTR_BYTE_ALIGNED) \
	C(NVMX_SGLS_OVERSIZE, NVME_CTRL_SGLS_OVERSIZE) C(NVMX_SGLS_MPTR_SGL, NVME_CTRL_SGLS_MPTR_SGL) \
	C(NVMX_SGLS_OFFSET, NVME_CTRL_SGLS_OFFSET) C(NVMX_SGLS_TRANSPORT_DATA, NVME_CTRL_SGLS_TPORT) \
	C(NVMX_FRMW_SLOT1_RO, NVME_CTRL_FRMW_1ST_RO) \
	/* identify namespace fields (NVM Figure 97) */ \
	C(NVMX_NSFEAT_THIN, NVME_NS_FEAT_THIN) C(NVMX_NSFEAT_NS_ATOMICS, NVME_NS_FEAT_NATOMIC) \
	C(NVMX_NSFEAT_DEALLOC_ERR, NVME_NS_FEAT_DULBE) C(NVMX_NSFEAT_IDS_REUSE, NVME_NS_FEAT_ID_REUSE) \
	C(NVMX_NSFEAT_OPT_PERF, NVME_NS_FEAT_IO_OPT) \
	C(NVMX_DLFEAT_READ_ZEROES, NVME_NS_DLFEAT_RB_ALL_0S) \
	C(NVMX_DLFEAT_WZ_DEAC, NVME_NS_DLFEAT_WRITE_ZEROES) \
	/* commands supported and effects (Base Figure 211) */ \
	C(NVMX_CSE_CSUPP, NVME_CMD_EFFECTS_CSUPP) C(NVMX_CSE_LBCC, NVME_CMD_EFFECTS_LBCC) \
	C(NVMX_CSE_NCC, NVME_CMD_EFFECTS_NCC) C(NVMX_CSE_NIC, NVME_CMD_EFFECTS_NIC) \
	C(NVMX_CSE_CCC, NVME_CMD_EFFECTS_CCC) \
	C(1ll << NVMX_CSE_CSE_SHIFT, NVME_CMD_EFFECTS_CSE_MASK & -NVME_CMD_EFFECTS_CSE_MASK) \
	/* ANA (Base Figure 219) */ \
	C(NVMX_ANA_OPTIMIZED, NVME_ANA_STATE_OPTIMIZED) C(NVMX_ANA_NONOPTIMIZED, NVME_ANA_STATE_NONOPTIMIZED) \
	C(NVMX_ANA_INACCESSIBLE, NVME_ANA_STATE_INACCESSIBLE) \
	C(NVMX_ANA_PERSISTENT_LOSS, NVME_ANA_STATE_PERSISTENT_LOSS) C(NVMX_ANA_CHANGE, NVME_ANA_STATE_CHANGE) \
	C(NVMX_ANA_LSP_RGO, NVME_LOG_ANA_LSP_RGO_GROUPS_ONLY) \
	/* read/write CDW12 upper half, DSM (NVM 3.2) */ \
	C(NVMX_RW_LR, NVME_IO_LR) C(NVMX_RW_FUA, NVME_IO_FUA) C(NVMX_RW_WZ_DEAC, NVME_IO_DEAC) \
	C(NVMX_RW_STC, NVME_IO_STC) C(1ll << NVMX_RW_PRINFO_SHIFT, NVME_IO_PRINFO_PRCHK_REF) \
	C(1ll << NVMX_RW_DTYPE_SHIFT, NVME_IO_DTYPE_STREAMS) \
	C(NVMX_DSM_IDR, NVME_DSMGMT_IDR) C(NVMX_DSM_IDW, NVME_DSMGMT_IDW) C(NVMX_DSM_AD, NVME_DSMGMT_AD) \
	/* discovery log entry values (Fabrics 1.1 Figure 32) */ \
	C(NVMX_TRTYPE_RDMA, NVMF_TRTYPE_RDMA) C(NVMX_TRTYPE_FC, NVMF_TRTYPE_FC) \
	C(NVMX_TRTYPE_TCP, NVMF_TRTYPE_TCP) C(NVMX_TRTYPE_LOOP, NVMF_TRTYPE_LOOP) \
	C(NVMX_ADRFAM_IPV4, NVMF_ADDR_FAMILY_IP4) C(NVMX_ADRFAM_IPV6, NVMF_ADDR_FAMILY_IP6) \
	C(NVMX_ADRFAM_IB, NVMF_ADDR_FAMILY_IB) C(NVMX_ADRFAM_FC, NVMF_ADDR_FAMILY_FC) \
	C(NVMX_ADRFAM_LOOP, NVMF_ADDR_FAMILY_LOOP) \
	C(NVMX_SUBTYPE_DISCOVERY_REFERRAL, NVME_NQN_DISC) C(NVMX_SUBTYPE_NVME, NVME_NQN_NVME) \
	C(NVMX_SUBTYPE_CURRENT_DISCOVERY, NVME_NQN_CURR) \
	C(NVMX_TREQ_SECURE_NOT_SPECIFIED, NVMF_TREQ_NOT_SPECIFIED) \
	C(NVMX_TREQ_SECURE_REQUIRED, NVMF_TREQ_REQUIRED) \
	C(NVMX_TREQ_SECURE_NOT_REQUIRED, NVMF_TREQ_NOT_REQUIRED) \
	C(NVMX_TREQ_DISABLE_SQFLOW, NVMF_TREQ_DISABLE_SQFLOW) \
	C(NVMX_TCP_SECTYPE_NONE, NVMF_TCP_SECTYPE_NONE) C(NVMX_TCP_SECTYPE_TLS12, NVMF_TCP_SECTYPE_TLS) \
	C(NVMX_TCP_SECTYPE_TLS13, NVMF_TCP_SECTYPE_TLS13) \
	/* status code types and codes (Base 4.6.1.2; NVM 4.1.1; Fabrics 1.1 Figure 14) */ \
	C(NVMX_SCT_GENERIC, NVME_SCT_GENERIC) C(NVMX_SCT_CMD_SPECIFIC, NVME_SCT_CMD_SPECIFIC) \
	C(NVMX_SCT_MEDIA, NVME_SCT_MEDIA) C(NVMX_SCT_PATH, NVME_SCT_PATH) C(NVMX_SCT_VENDOR, NVME_SCT_VS) \
	C(NVMX_SC_SUCCESS, NVME_SC_SUCCESS) C(NVMX_SC_INVALID_OPCODE, NVME_SC_INVALID_OPCODE) \
	C(NVMX_SC_INVALID_FIELD, NVME_SC_INVALID_FIELD) C(NVMX_SC_CID_CONFLICT, NVME_SC_CMDID_CONFLICT) \
	C(NVMX_SC_DATA_XFER_ERROR, NVME_SC_DATA_XFER_ERROR) C(NVMX_SC_POWER_LOSS, NVME_SC_POWER_LOSS) \
	C(NVMX_SC_INTERNAL, NVME_SC_INTERNAL) C(NVMX_SC_ABORT_REQ, NVME_SC_ABORT_REQ) \
	C(NVMX_SC_ABORT_SQ_DELETION, NVME_SC_ABORT_QUEUE) C(NVMX_SC_FUSED_FAIL, NVME_SC_FUSED_FAIL) \
	C(NVMX_SC_FUSED_MISSING, NVME_SC_FUSED_MISSING) C(NVMX_SC_INVALID_NS, NVME_SC_INVALID_NS) \
	C(NVMX_SC_CMD_SEQ_ERROR, NVME_SC_CMD_SEQ_ERROR) C(NVMX_SC_SGL_INVALID_LAST, NVME_SC_SGL_INVALID_LAST) \
	C(NVMX_SC_SGL_INVALID_COUNT, NVME_SC_SGL_INVALID_COUNT) \
	C(NVMX_SC_SGL_INVALID_DATA, NVME_SC_SGL_INVALID_DATA) \
	C(NVMX_SC_SGL_INVALID_METADATA, NVME_SC_SGL_INVALID_METADATA) \
	C(NVMX_SC_SGL_INVALID_TYPE, NVME_SC_SGL_INVALID_TYPE) \
	C(NVMX_SC_CMB_INVALID_USE, NVME_SC_CMB_INVALID_USE) \
	C(NVMX_SC_PRP_INVALID_OFFSET, NVME_SC_PRP_INVALID_OFFSET) \
	C(NVMX_SC_ATOMIC_WU_EXCEEDED, NVME_SC_AWU_EXCEEDED) C(NVMX_SC_OP_DENIED, NVME_SC_OP_DENIED) \
	C(NVMX_SC_SGL_INVALID_OFFSET, NVME_SC_SGL_INVALID_OFFSET) \
	C(NVMX_SC_HOSTID_FORMAT, NVME_SC_HOSTID_FORMAT) C(NVMX_SC_KAT_EXPIRED, NVME_SC_KAT_EXPIRED) \
	C(NVMX_SC_KAT_INVALID, NVME_SC_KAT_INVALID) \
	C(NVMX_SC_CMD_ABORTED_PREEMPT, NVME_SC_CMD_ABORTED_PREMEPT) \
	C(NVMX_SC_SANITIZE_FAILED, NVME_SC_SANITIZE_FAILED) \
	C(NVMX_SC_SANITIZE_IN_PROGRESS, NVME_SC_SANITIZE_IN_PROGRESS) \
	C(NVMX_SC_SGL_INVALID_GRANULARITY, NVME_SC_SGL_INVALID_GRANULARITY) \
	C(NVMX_SC_CMD_IN_CMBQ_NOT_SUPP, NVME_SC_CMD_IN_CMBQ_NOT_SUPP) \
	C(NVMX_SC_NS_WRITE_PROTECTED, NVME_SC_NS_WRITE_PROTECTED) \
	C(NVMX_SC_CMD_INTERRUPTED, NVME_SC_CMD_INTERRUPTED) \
	C(NVMX_SC_TRANSIENT_TR_ERR, NVME_SC_TRAN_TPORT_ERROR) \
	C(NVMX_SC_PROHIBITED_BY_LOCKDOWN, NVME_SC_PROHIBITED_BY_CMD_AND_FEAT) \
	C(NVMX_SC_ADMIN_CMD_MEDIA_NOT_READY, NVME_SC_ADMIN_CMD_MEDIA_NOT_READY) \
	C(NVMX_SC_LBA_RANGE, NVME_SC_LBA_RANGE) C(NVMX_SC_CAP_EXCEEDED, NVME_SC_CAP_EXCEEDED) \
	C(NVMX_SC_NS_NOT_READY, NVME_SC_NS_NOT_READY) \
	C(NVMX_SC_RESERVATION_CONFLICT, NVME_SC_RESERVATION_CONFLICT) \
	C(NVMX_SC_FORMAT_IN_PROGRESS, NVME_SC_FORMAT_IN_PROGRESS) \
	C(NVMX_SC_CQ_INVALID, NVME_SC_CQ_INVALID) C(NVMX_SC_QID_INVALID, NVME_SC_QID_INVALID) \
	C(NVMX_SC_QUEUE_SIZE, NVME_SC_QUEUE_SIZE) C(NVMX_SC_ABORT_LIMIT, NVME_SC_ABORT_LIMIT) \
	C(NVMX_SC_AER_LIMIT, NVME_SC_ASYNC_LIMIT) C(NVMX_SC_FW_SLOT_INVALID, NVME_SC_FIRMWARE_SLOT) \
	C(NVMX_SC_FW_IMAGE_INVALID, NVME_SC_FIRMWARE_IMAGE) \
	C(NVMX_SC_IRQ_VECTOR_INVALID, NVME_SC_INVALID_VECTOR) \
	C(NVMX_SC_LOG_PAGE_INVALID, NVME_SC_INVALID_LOG_PAGE) C(NVMX_SC_FORMAT_INVALID, NVME_SC_INVALID_FORMAT) \
	C(NVMX_SC_FW_NEEDS_CONV_RESET, NVME_SC_FW_NEEDS_CONV_RESET) \
	C(NVMX_SC_QUEUE_DELETION_INVALID, NVME_SC_INVALID_QUEUE) \
	C(NVMX_SC_FEAT_NOT_SAVEABLE, NVME_SC_FEATURE_NOT_SAVEABLE) \
	C(NVMX_SC_FEAT_NOT_CHANGEABLE, NVME_SC_FEATURE_NOT_CHANGEABLE) \
	C(NVMX_SC_FEAT_NOT_NS_SPECIFIC, NVME_SC_FEATURE_NOT_PER_NS) \
	C(NVMX_SC_FW_NEEDS_SUBSYS_RESET, NVME_SC_FW_NEEDS_SUBSYS_RESET) \
	C(NVMX_SC_FW_NEEDS_RESET, NVME_SC_FW_NEEDS_RESET) \
	C(NVMX_SC_FW_NEEDS_MAX_TIME, NVME_SC_FW_NEEDS_MAX_TIME) \
	C(NVMX_SC_FW_ACTIVATE_PROHIBITED, NVME_SC_FW_ACTIVATE_PROHIBITED) \
	C(NVMX_SC_OVERLAPPING_RANGE, NVME_SC_OVERLAPPING_RANGE) \
	C(NVMX_SC_NS_INSUFFICIENT_CAP, NVME_SC_NS_INSUFFICIENT_CAP) \
	C(NVMX_SC_NS_ID_UNAVAILABLE, NVME_SC_NS_ID_UNAVAILABLE) \
	C(NVMX_SC_NS_ALREADY_ATTACHED, NVME_SC_NS_ALREADY_ATTACHED) \
	C(NVMX_SC_NS_IS_PRIVATE, NVME_SC_NS_IS_PRIVATE) C(NVMX_SC_NS_NOT_ATTACHED, NVME_SC_NS_NOT_ATTACHED) \
	C(NVMX_SC_THIN_PROV_NOT_SUPP, NVME_SC_THIN_PROV_NOT_SUPP) \
	C(NVMX_SC_CTRL_LIST_INVALID, NVME_SC_CTRL_LIST_INVALID) \
	C(NVMX_SC_SELF_TEST_IN_PROGRESS, NVME_SC_SELF_TEST_IN_PROGRESS) \
	C(NVMX_SC_BP_WRITE_PROHIBITED, NVME_SC_BP_WRITE_PROHIBITED) \
	C(NVMX_SC_INVALID_CTRL_ID, NVME_SC_INVALID_CTRL_ID) \
	C(NVMX_SC_INVALID_SEC_CTRL_STATE, NVME_SC_INVALID_SEC_CTRL_STATE) \
	C(NVMX_SC_INVALID_CTRL_RESOURCES, NVME_SC_INVALID_CTRL_RESOURCES) \
	C(NVMX_SC_INVALID_RESOURCE_ID, NVME_SC_INVALID_RESOURCE_ID) \
	C(NVMX_SC_PMR_SAN_PROHIBITED, NVME_SC_PMR_SAN_PROHIBITED) \
	C(NVMX_SC_ANA_GROUP_ID_INVALID, NVME_SC_ANA_GROUP_ID_INVALID) \
	C(NVMX_SC_ANA_ATTACH_FAILED, NVME_SC_ANA_ATTACH_FAILED) \
	C(NVMX_SC_INSUFFICIENT_CAP, NVME_SC_INSUFFICIENT_CAP) \
	C(NVMX_SC_NS_ATTACH_LIMIT, NVME_SC_NS_ATTACHMENT_LIMIT_EXCEEDED) \
	C(NVMX_SC_PROHIBIT_CMD_EXEC_NOT_SUPP, NVME_SC_PROHIBIT_CMD_EXEC_NOT_SUPPORTED) \
	C(NVMX_SC_IOCS_NOT_SUPPORTED, NVME_SC_IOCS_NOT_SUPPORTED) \
	C(NVMX_SC_IOCS_NOT_ENABLED, NVME_SC_IOCS_NOT_ENABLED) \
	C(NVMX_SC_IOCS_COMBINATION_REJECTED, NVME_SC_IOCS_COMBINATION_REJECTED) \
	C(NVMX_SC_INVALID_IOCS, NVME_SC_INVALID_IOCS) C(NVMX_SC_ID_UNAVAILABLE, NVME_SC_ID_UNAVAILABLE) \
	C(NVMX_SC_BAD_ATTRIBUTES, NVME_SC_BAD_ATTRIBUTES) C(NVMX_SC_INVALID_PI, NVME_SC_INVALID_PI) \
	C(NVMX_SC_READ_ONLY, NVME_SC_READ_ONLY) \
	C(NVMX_SC_CMD_SIZE_LIMIT_EXCEEDED, NVME_SC_CMD_SIZE_LIMIT_EXCEEDED) \
	C(NVMX_SC_CONNECT_FORMAT, NVME_SC_CONNECT_FORMAT) \
	C(NVMX_SC_CONNECT_CTRL_BUSY, NVME_SC_CONNECT_CTRL_BUSY) \
	C(NVMX_SC_CONNECT_INVALID_PARAM, NVME_SC_CONNECT_INVALID_PARAM) \
	C(NVMX_SC_CONNECT_RESTART_DISC, NVME_SC_CONNECT_RESTART_DISC) \
	C(NVMX_SC_CONNECT_INVALID_HOST, NVME_SC_CONNECT_INVALID_HOST) \
	C(NVMX_SC_INVALID_QUEUE_TYPE, NVME_SC_DISCONNECT_INVALID_QTYPE) \
	C(NVMX_SC_DISCOVERY_RESTART, NVME_SC_DISCOVERY_RESTART) \
	C(NVMX_SC_AUTH_REQUIRED, NVME_SC_AUTH_REQUIRED) \
	C(NVMX_SC_WRITE_FAULT, NVME_SC_WRITE_FAULT) C(NVMX_SC_UNRECOVERED_READ, NVME_SC_READ_ERROR) \
	C(NVMX_SC_GUARD_CHECK, NVME_SC_GUARD_CHECK) C(NVMX_SC_APPTAG_CHECK, NVME_SC_APPTAG_CHECK) \
	C(NVMX_SC_REFTAG_CHECK, NVME_SC_REFTAG_CHECK) C(NVMX_SC_COMPARE_FAILED, NVME_SC_COMPARE_FAILED) \
	C(NVMX_SC_ACCESS_DENIED, NVME_SC_ACCESS_DENIED) C(NVMX_SC_UNWRITTEN_BLOCK, NVME_SC_UNWRITTEN_BLOCK) \
	C(NVMX_SC_STORAGE_TAG_CHECK, NVME_SC_STORAGE_TAG_CHECK) \
	C(NVMX_SC_INTERNAL_PATH_ERROR, NVME_SC_ANA_INTERNAL_PATH_ERROR) \
	C(NVMX_SC_ANA_PERSISTENT_LOSS, NVME_SC_ANA_PERSISTENT_LOSS) \
	C(NVMX_SC_ANA_INACCESSIBLE, NVME_SC_ANA_INACCESSIBLE) \
	C(NVMX_SC_ANA_TRANSITION, NVME_SC_ANA_TRANSITION) \
	C(NVMX_SC_CTRL_PATH_ERROR, NVME_SC_CTRL_PATH_ERROR) \
	C(NVMX_SC_HOST_PATH_ERROR, NVME_SC_HOST_PATH_ERROR) \
	C(NVMX_SC_HOST_ABORTED_CMD, NVME_SC_CMD_ABORTED_BY_HOST)

#define CONST_SA(a, b) XCHECK_SA((long long)(a) == (long long)(b), #a " != libnvme " #b)
CONSTS(CONST_SA)

#define CONST_ROW(a, b) { #a " ~ " #b, (long long)(a), (long long)(b) },
static const struct const_row const_rows[] = {
	CONSTS(CONST_ROW)
};

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

#define N(x) (sizeof(x) / sizeof((x)[0]))

static void structure_layouts_match_libnvme_field_by_field(void **state)
{
	unsigned bad = 0;

	for (size_t i = 0; i < N(field_rows); i++) {
		const struct field_row *r = &field_rows[i];

		if (r->ours_off != r->theirs_off || r->ours_size != r->theirs_size) {
			print_error("# MISMATCH %s: ours offset %zu size %zu, libnvme offset %zu size %zu\n",
				    r->what, r->ours_off, r->ours_size, r->theirs_off, r->theirs_size);
			bad++;
		}
	}
	print_message("# %zu structure/field layout checks against libnvme\n", N(field_rows));
	assert_int_equal(bad, 0);
}

static void known_libnvme_differences_are_as_documented(void **state)
{
	unsigned bad = 0;

	for (size_t i = 0; i < N(known_rows); i++) {
		if (!known_rows[i].holds) {
			print_error("# known difference no longer as documented: %s\n", known_rows[i].what);
			bad++;
		}
	}
	print_message("# %zu documented libnvme differences pinned\n", N(known_rows));
	assert_int_equal(bad, 0);
}

static void constants_match_libnvme(void **state)
{
	unsigned bad = 0;

	for (size_t i = 0; i < N(const_rows); i++) {
		const struct const_row *r = &const_rows[i];

		if (r->ours != r->theirs) {
			print_error("# MISMATCH %s: ours %#llx, libnvme %#llx\n", r->what,
				    (unsigned long long)r->ours, (unsigned long long)r->theirs);
			bad++;
		}
	}
	print_message("# %zu numeric constant checks against libnvme\n", N(const_rows));
	assert_int_equal(bad, 0);
}

/*
 * Register field accessors (inline functions, so compared at run time): put
 * an all-ones field at libnvme's shift/mask and expect our accessor to
 * return exactly the mask, and zero for a value with only that field clear.
 */
struct reg_field {
	const char *what;
	uint32_t (*get)(uint64_t);
	unsigned shift;
	uint64_t mask;
};

#define CAPF(name, ours) { "CAP." #name, ours, NVME_CAP_##name##_SHIFT, NVME_CAP_##name##_MASK }

static void register_accessors_match_libnvme_shifts_and_masks(void **state)
{
	static const struct reg_field cap[] = {
		CAPF(MQES, nvmx_cap_mqes), CAPF(CQR, nvmx_cap_cqr), CAPF(AMS, nvmx_cap_ams),
		CAPF(TO, nvmx_cap_to), CAPF(DSTRD, nvmx_cap_dstrd), CAPF(NSSRC, nvmx_cap_nssrs),
		CAPF(CSS, nvmx_cap_css), CAPF(BPS, nvmx_cap_bps), CAPF(MPSMIN, nvmx_cap_mpsmin),
		CAPF(MPSMAX, nvmx_cap_mpsmax), CAPF(PMRS, nvmx_cap_pmrs), CAPF(CMBS, nvmx_cap_cmbs),
		CAPF(CRMS, nvmx_cap_crms),
	};
	unsigned checks = 0;

	for (size_t i = 0; i < N(cap); i++) {
		uint64_t v = cap[i].mask << cap[i].shift;

		if (cap[i].get(v) != cap[i].mask)
			print_error("# MISMATCH %s: accessor gives %#x for field all ones\n",
				    cap[i].what, cap[i].get(v));
		assert_int_equal(cap[i].get(v), cap[i].mask);
		assert_int_equal(cap[i].get(~v), 0);
		checks += 2;
	}

	/* 32-bit registers: our accessor against libnvme's NVME_GET macro. */
	const uint32_t pat[] = { 0xffffffffu, 0xa5a5a5a5u, 0x5a5a5a5au, 0x00010203u, 0xdeadbeefu };
	for (size_t i = 0; i < N(pat); i++) {
		uint32_t v = pat[i];

		assert_int_equal(nvmx_cc_en(v), NVME_CC_EN(v));
		assert_int_equal(nvmx_cc_css(v), NVME_CC_CSS(v));
		assert_int_equal(nvmx_cc_mps(v), NVME_CC_MPS(v));
		assert_int_equal(nvmx_cc_ams(v), NVME_CC_AMS(v));
		assert_int_equal(nvmx_cc_shn(v), NVME_CC_SHN(v));
		assert_int_equal(nvmx_cc_iosqes(v), NVME_CC_IOSQES(v));
		assert_int_equal(nvmx_cc_iocqes(v), NVME_CC_IOCQES(v));
		assert_int_equal(nvmx_csts_rdy(v), NVME_CSTS_RDY(v));
		assert_int_equal(nvmx_csts_cfs(v), NVME_CSTS_CFS(v));
		assert_int_equal(nvmx_csts_shst(v), NVME_CSTS_SHST(v));
		assert_int_equal(nvmx_csts_nssro(v), NVME_CSTS_NSSRO(v));
		assert_int_equal(nvmx_aqa_asqs(v), NVME_AQA_ASQS(v));
		assert_int_equal(nvmx_aqa_acqs(v), NVME_AQA_ACQS(v));
		assert_int_equal(nvmx_cmbloc_bir(v), NVME_CMBLOC_BIR(v));
		assert_int_equal(nvmx_cmbloc_ofst(v), NVME_CMBLOC_OFST(v));
		assert_int_equal(nvmx_cmbsz_szu(v), NVME_CMBSZ_SZU(v));
		assert_int_equal(nvmx_cmbsz_sz(v), NVME_CMBSZ_SZ(v));
		assert_int_equal(nvmx_vs_mjr(v), NVME_VS_MJR(v));
		assert_int_equal(nvmx_vs_mnr(v), NVME_VS_MNR(v));
		assert_int_equal(nvmx_vs_ter(v), NVME_VS_TER(v));
		checks += 20;
	}
	print_message("# %u register field checks against libnvme\n", checks);
}

/*
 * libnvme's status values leave out the phase tag (SC 7:0, SCT 10:8, CRD
 * 12:11, M 13, DNR 14); ours is the CQE's 16-bit field with phase in bit 0.
 */
static void status_field_layout_matches_libnvme_shifted_by_phase(void **state)
{
	for (unsigned sct = 0; sct < 8; sct++) {
		for (unsigned sc = 0; sc < 256; sc += 17) {
			uint16_t theirs = (uint16_t)((sct << NVME_SCT_SHIFT) | (sc << NVME_SC_SHIFT) | NVME_SC_DNR);
			uint16_t ours = nvmx_st_make(sct, sc, 1);

			assert_int_equal(ours, (uint16_t)(theirs << 1));
			assert_int_equal(nvmx_st_sct(ours), nvme_status_code_type(theirs));
			assert_int_equal(nvmx_st_sc(ours), nvme_status_code(theirs));
		}
	}
	assert_int_equal(nvmx_st_dnr((uint16_t)(NVME_SC_DNR << 1)), 1);
	assert_int_equal(nvmx_st_m((uint16_t)(NVME_SC_MORE << 1)), 1);
	assert_int_equal(nvmx_st_crd((uint16_t)(NVME_SC_CRD << 1)), 3);
	assert_int_equal(nvmx_st_p((uint16_t)(NVME_SC_CRD << 1)), 0);
}

static void discovery_nqn_matches_libnvme(void **state)
{
	assert_string_equal(NVMX_DISC_SUBSYS_NAME, NVME_DISC_SUBSYS_NAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(structure_layouts_match_libnvme_field_by_field),
		cmocka_unit_test(known_libnvme_differences_are_as_documented),
		cmocka_unit_test(constants_match_libnvme),
		cmocka_unit_test(register_accessors_match_libnvme_shifts_and_masks),
		cmocka_unit_test(status_field_layout_matches_libnvme_shifted_by_phase),
		cmocka_unit_test(discovery_nqn_matches_libnvme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
