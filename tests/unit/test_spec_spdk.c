/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-check of the wire formats libnvme does not define (SQE/CQE and the
 * typed command dwords, SGL descriptors, register map, Fabrics command
 * capsules and Connect response, NVMe/TCP PDUs) against SPDK's
 * include/spdk/nvme_spec.h and nvmf_spec.h, a second independent
 * implementation.
 *
 * SPDK is not a Debian package, so this test is built only when its headers
 * are found: point the compiler at an SPDK checkout, e.g.
 *   CFLAGS=-I$SPDK/include meson setup build-spdk && meson test -C build-spdk unit-spec_spdk
 * (tests/unit/SPEC_CROSSCHECK.md records a run).
 *
 * Plain members are compared at compile time (_Static_assert) and again at
 * run time from a table; SPDK's bit-field members cannot be named in
 * offsetof, so those are compared at run time by setting each SPDK bit-field
 * and reading the same bytes through nvmx's accessors.
 */
#include "spdk/nvmf_spec.h"

#include <setjmp.h>
#include <cmocka.h>

#include "nvmx/spec.h"

#define FSIZE(T, f) sizeof(((T *)0)->f)
#define N(x) (sizeof(x) / sizeof((x)[0]))

#ifdef NVMX_XCHECK_RUNTIME_ONLY
#define XCHECK_SA(cond, msg)
#else
#define XCHECK_SA(cond, msg) _Static_assert(cond, msg);
#endif

struct field_row {
	const char *what;
	size_t ours_off, theirs_off;
	size_t ours_size, theirs_size;
};

#define SA_F(O, T, of, tf) \
	XCHECK_SA(offsetof(O, of) == offsetof(T, tf), #O "." #of " offset != SPDK " #T "." #tf) \
	XCHECK_SA(FSIZE(O, of) == FSIZE(T, tf), #O "." #of " size != SPDK " #T "." #tf)
#define SA_O(O, T, of, tf) \
	XCHECK_SA(offsetof(O, of) == offsetof(T, tf), #O "." #of " offset != SPDK " #T "." #tf)
#define ROW_F(O, T, of, tf) \
	{ #O "." #of " ~ " #T "." #tf, offsetof(O, of), offsetof(T, tf), FSIZE(O, of), FSIZE(T, tf) },
#define ROW_O(O, T, of, tf) \
	{ #O "." #of " ~ " #T "." #tf, offsetof(O, of), offsetof(T, tf), 0, 0 },

#define SQE_FIELDS(F, O, A, B) \
	F(A, B, cid, cid) F(A, B, nsid, nsid) F(A, B, cdw2, cdw2) F(A, B, cdw3, cdw3) \
	F(A, B, mptr, mptr) F(A, B, dptr, dptr) F(A, B, dptr.prp.prp1, dptr.prp.prp1) \
	F(A, B, dptr.prp.prp2, dptr.prp.prp2) F(A, B, dptr.sgl, dptr.sgl1) \
	F(A, B, cdw10, cdw10) F(A, B, cdw11, cdw11) F(A, B, cdw12, cdw12) \
	F(A, B, cdw13, cdw13) F(A, B, cdw14, cdw14) F(A, B, cdw15, cdw15)

#define CQE_FIELDS(F, O, A, B) \
	F(A, B, dw0, cdw0) F(A, B, dw1, cdw1) F(A, B, sqhd, sqhd) F(A, B, sqid, sqid) \
	F(A, B, cid, cid) F(A, B, status, status_raw)

#define SGL_FIELDS(F, O, A, B) \
	F(A, B, addr, address) F(A, B, length, unkeyed.length) F(A, B, rsvd12, unkeyed.reserved)

#define FABRICS_CMD_FIELDS(F, O, A, B) \
	F(A, B, opc, opcode) F(A, B, cid, cid) F(A, B, fctype, fctype) \
	F(A, B, rsvd5, reserved2) F(A, B, fcs, fabric_specific)

#define CONNECT_CMD_FIELDS(F, O, A, B) \
	F(A, B, cid, cid) F(A, B, fctype, fctype) F(A, B, dptr, sgl1) \
	F(A, B, recfmt, recfmt) F(A, B, qid, qid) F(A, B, sqsize, sqsize) \
	F(A, B, cattr, cattr) F(A, B, kato, kato) F(A, B, rsvd52, reserved4)

#define CONNECT_DATA_FIELDS(F, O, A, B) \
	F(A, B, hostid, hostid) F(A, B, cntlid, cntlid) F(A, B, subnqn, subnqn) \
	F(A, B, hostnqn, hostnqn) F(A, B, rsvd768, reserved6)

#define PROP_GET_FIELDS(F, O, A, B) \
	F(A, B, fctype, fctype) F(A, B, attrib, attrib) F(A, B, offset, ofst) \
	F(A, B, rsvd48, reserved4)

#define PROP_SET_FIELDS(F, O, A, B) \
	F(A, B, fctype, fctype) F(A, B, attrib, attrib) F(A, B, offset, ofst) \
	F(A, B, value, value) F(A, B, rsvd56, reserved4)

#define AUTH_SEND_FIELDS(F, O, A, B) \
	F(A, B, dptr, sgl1) F(A, B, spsp0, spsp0) F(A, B, spsp1, spsp1) \
	F(A, B, secp, secp) F(A, B, tl_al, tl)

#define AUTH_RECV_FIELDS(F, O, A, B) \
	F(A, B, dptr, sgl1) F(A, B, spsp0, spsp0) F(A, B, spsp1, spsp1) \
	F(A, B, secp, secp) F(A, B, tl_al, al)

/* The fabrics part of Identify Controller (Fabrics 1.1 Figure 28). */
#define ID_CTRL_FABRICS_FIELDS(F, O, A, B) \
	F(A, B, ioccsz, nvmf_specific.ioccsz) F(A, B, iorcsz, nvmf_specific.iorcsz) \
	F(A, B, icdoff, nvmf_specific.icdoff) F(A, B, fcatt, nvmf_specific.ctrattr) \
	F(A, B, msdbd, nvmf_specific.msdbd) F(A, B, ofcs, nvmf_specific.ofcs) \
	F(A, B, psd, psd) F(A, B, vs, vs)

#define TCP_CH_FIELDS(F, O, A, B) \
	F(A, B, pdu_type, pdu_type) F(A, B, flags, flags) F(A, B, hlen, hlen) \
	F(A, B, pdo, pdo) F(A, B, plen, plen)

#define TCP_ICREQ_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, pfv, pfv) F(A, B, hpda, hpda) F(A, B, dgst, dgst) \
	F(A, B, maxr2t, maxr2t) F(A, B, rsvd16, reserved16)

#define TCP_ICRESP_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, pfv, pfv) F(A, B, cpda, cpda) F(A, B, dgst, dgst) \
	F(A, B, maxh2cdata, maxh2cdata) F(A, B, rsvd16, reserved16)

#define TCP_TERM_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, fes, fes) F(A, B, fei, fei) F(A, B, rsvd14, reserved14)

#define TCP_CMD_FIELDS(F, O, A, B) F(A, B, ch, common) F(A, B, sqe, ccsqe)
#define TCP_RSP_FIELDS(F, O, A, B) F(A, B, ch, common) F(A, B, cqe, rccqe)

#define TCP_H2C_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, cccid, cccid) F(A, B, ttag, ttag) \
	F(A, B, datao, datao) F(A, B, datal, datal) F(A, B, rsvd20, reserved20)

#define TCP_C2H_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, cccid, cccid) F(A, B, rsvd10, reserved10) \
	F(A, B, datao, datao) F(A, B, datal, datal) F(A, B, rsvd20, reserved20)

#define TCP_R2T_FIELDS(F, O, A, B) \
	F(A, B, ch, common) F(A, B, cccid, cccid) F(A, B, ttag, ttag) \
	F(A, B, r2to, r2to) F(A, B, r2tl, r2tl) F(A, B, rsvd20, reserved20)

#define ALL_STRUCTS(S) \
	S(SQE_FIELDS, struct nvmx_sqe, struct spdk_nvme_cmd) \
	S(CQE_FIELDS, struct nvmx_cqe, struct spdk_nvme_cpl) \
	S(SGL_FIELDS, struct nvmx_sgl_desc, struct spdk_nvme_sgl_descriptor) \
	S(FABRICS_CMD_FIELDS, struct nvmx_fabrics_cmd, struct spdk_nvmf_capsule_cmd) \
	S(CONNECT_CMD_FIELDS, struct nvmx_connect_cmd, struct spdk_nvmf_fabric_connect_cmd) \
	S(CONNECT_DATA_FIELDS, struct nvmx_connect_data, struct spdk_nvmf_fabric_connect_data) \
	S(PROP_GET_FIELDS, struct nvmx_prop_get_cmd, struct spdk_nvmf_fabric_prop_get_cmd) \
	S(PROP_SET_FIELDS, struct nvmx_prop_set_cmd, struct spdk_nvmf_fabric_prop_set_cmd) \
	S(AUTH_SEND_FIELDS, struct nvmx_auth_cmd, struct spdk_nvmf_fabric_auth_send_cmd) \
	S(AUTH_RECV_FIELDS, struct nvmx_auth_cmd, struct spdk_nvmf_fabric_auth_recv_cmd) \
	S(ID_CTRL_FABRICS_FIELDS, struct nvmx_id_ctrl, struct spdk_nvme_ctrlr_data) \
	S(TCP_CH_FIELDS, struct nvmx_tcp_ch, struct spdk_nvme_tcp_common_pdu_hdr) \
	S(TCP_ICREQ_FIELDS, struct nvmx_tcp_icreq, struct spdk_nvme_tcp_ic_req) \
	S(TCP_ICRESP_FIELDS, struct nvmx_tcp_icresp, struct spdk_nvme_tcp_ic_resp) \
	S(TCP_TERM_FIELDS, struct nvmx_tcp_term_req, struct spdk_nvme_tcp_term_req_hdr) \
	S(TCP_CMD_FIELDS, struct nvmx_tcp_cmd, struct spdk_nvme_tcp_cmd) \
	S(TCP_RSP_FIELDS, struct nvmx_tcp_rsp, struct spdk_nvme_tcp_rsp) \
	S(TCP_H2C_FIELDS, struct nvmx_tcp_h2c_data, struct spdk_nvme_tcp_h2c_data_hdr) \
	S(TCP_C2H_FIELDS, struct nvmx_tcp_c2h_data, struct spdk_nvme_tcp_c2h_data_hdr) \
	S(TCP_R2T_FIELDS, struct nvmx_tcp_r2t, struct spdk_nvme_tcp_r2t_hdr)

#define STRUCT_SA(list, O, T) list(SA_F, SA_O, O, T) \
	XCHECK_SA(sizeof(O) == sizeof(T), "sizeof " #O " != sizeof SPDK " #T)
ALL_STRUCTS(STRUCT_SA)

#define STRUCT_ROWS(list, O, T) list(ROW_F, ROW_O, O, T) \
	{ "sizeof " #O " ~ sizeof " #T, 0, 0, sizeof(O), sizeof(T) },
static const struct field_row field_rows[] = {
	ALL_STRUCTS(STRUCT_ROWS)
};

struct const_row {
	const char *what;
	long long ours, theirs;
};

#define CONSTS(C) \
	/* register map: SPDK's struct spdk_nvme_registers */ \
	C(NVMX_REG_CAP, offsetof(struct spdk_nvme_registers, cap)) \
	C(NVMX_REG_VS, offsetof(struct spdk_nvme_registers, vs)) \
	C(NVMX_REG_INTMS, offsetof(struct spdk_nvme_registers, intms)) \
	C(NVMX_REG_INTMC, offsetof(struct spdk_nvme_registers, intmc)) \
	C(NVMX_REG_CC, offsetof(struct spdk_nvme_registers, cc)) \
	C(NVMX_REG_CSTS, offsetof(struct spdk_nvme_registers, csts)) \
	C(NVMX_REG_NSSR, offsetof(struct spdk_nvme_registers, nssr)) \
	C(NVMX_REG_AQA, offsetof(struct spdk_nvme_registers, aqa)) \
	C(NVMX_REG_ASQ, offsetof(struct spdk_nvme_registers, asq)) \
	C(NVMX_REG_ACQ, offsetof(struct spdk_nvme_registers, acq)) \
	C(NVMX_REG_CMBLOC, offsetof(struct spdk_nvme_registers, cmbloc)) \
	C(NVMX_REG_CMBSZ, offsetof(struct spdk_nvme_registers, cmbsz)) \
	C(NVMX_REG_BPINFO, offsetof(struct spdk_nvme_registers, bpinfo)) \
	C(NVMX_REG_BPRSEL, offsetof(struct spdk_nvme_registers, bprsel)) \
	C(NVMX_REG_BPMBL, offsetof(struct spdk_nvme_registers, bpmbl)) \
	C(NVMX_REG_CMBMSC, offsetof(struct spdk_nvme_registers, cmbmsc)) \
	C(NVMX_REG_CMBSTS, offsetof(struct spdk_nvme_registers, cmbsts)) \
	C(NVMX_REG_CMBEBS, offsetof(struct spdk_nvme_registers, cmbebs)) \
	C(NVMX_REG_CMBSWTP, offsetof(struct spdk_nvme_registers, cmbswtp)) \
	C(NVMX_REG_NSSD, offsetof(struct spdk_nvme_registers, nssd)) \
	C(NVMX_REG_CRTO, offsetof(struct spdk_nvme_registers, crto)) \
	C(NVMX_REG_PMRCAP, offsetof(struct spdk_nvme_registers, pmrcap)) \
	C(NVMX_REG_PMRCTL, offsetof(struct spdk_nvme_registers, pmrctl)) \
	C(NVMX_REG_PMRSTS, offsetof(struct spdk_nvme_registers, pmrsts)) \
	C(NVMX_REG_PMREBS, offsetof(struct spdk_nvme_registers, pmrebs)) \
	C(NVMX_REG_PMRSWTP, offsetof(struct spdk_nvme_registers, pmrswtp)) \
	C(NVMX_REG_PMRMSCL, offsetof(struct spdk_nvme_registers, pmrmscl)) \
	C(NVMX_REG_PMRMSCU, offsetof(struct spdk_nvme_registers, pmrmscu)) \
	C(NVMX_REG_DBS, offsetof(struct spdk_nvme_registers, doorbell)) \
	/* SGL identifiers, PSDT, queue priority */ \
	C(NVMX_SGL_TYPE_DATA_BLOCK, SPDK_NVME_SGL_TYPE_DATA_BLOCK) \
	C(NVMX_SGL_TYPE_BIT_BUCKET, SPDK_NVME_SGL_TYPE_BIT_BUCKET) \
	C(NVMX_SGL_TYPE_SEGMENT, SPDK_NVME_SGL_TYPE_SEGMENT) \
	C(NVMX_SGL_TYPE_LAST_SEGMENT, SPDK_NVME_SGL_TYPE_LAST_SEGMENT) \
	C(NVMX_SGL_TYPE_KEYED_DATA, SPDK_NVME_SGL_TYPE_KEYED_DATA_BLOCK) \
	C(NVMX_SGL_TYPE_TRANSPORT_DATA, SPDK_NVME_SGL_TYPE_TRANSPORT_DATA_BLOCK) \
	C(NVMX_SGL_TYPE_VENDOR, SPDK_NVME_SGL_TYPE_VENDOR_SPECIFIC) \
	C(NVMX_SGL_SUBTYPE_ADDRESS, SPDK_NVME_SGL_SUBTYPE_ADDRESS) \
	C(NVMX_SGL_SUBTYPE_OFFSET, SPDK_NVME_SGL_SUBTYPE_OFFSET) \
	C(NVMX_SGL_SUBTYPE_TRANSPORT, SPDK_NVME_SGL_SUBTYPE_TRANSPORT) \
	C(NVMX_SGL_SUBTYPE_INVALIDATE, SPDK_NVME_SGL_SUBTYPE_INVALIDATE_KEY) \
	C(NVMX_SQE_PSDT_PRP, SPDK_NVME_PSDT_PRP << NVMX_SQE_PSDT_SHIFT) \
	C(NVMX_SQE_PSDT_SGL_MPTR, SPDK_NVME_PSDT_SGL_MPTR_CONTIG << NVMX_SQE_PSDT_SHIFT) \
	C(NVMX_SQE_PSDT_SGL_MSGL, SPDK_NVME_PSDT_SGL_MPTR_SGL << NVMX_SQE_PSDT_SHIFT) \
	C(NVMX_SQ_PRIO_URGENT, SPDK_NVME_QPRIO_URGENT << 1) C(NVMX_SQ_PRIO_HIGH, SPDK_NVME_QPRIO_HIGH << 1) \
	C(NVMX_SQ_PRIO_MEDIUM, SPDK_NVME_QPRIO_MEDIUM << 1) C(NVMX_SQ_PRIO_LOW, SPDK_NVME_QPRIO_LOW << 1) \
	C(NVMX_CAP_AMS_WRRU, SPDK_NVME_CAP_AMS_WRR) C(NVMX_CAP_AMS_VS, SPDK_NVME_CAP_AMS_VS) \
	C(NVMX_CC_AMS_RR, SPDK_NVME_CC_AMS_RR << NVMX_CC_AMS_SHIFT) \
	C(NVMX_CC_AMS_WRRU, SPDK_NVME_CC_AMS_WRR << NVMX_CC_AMS_SHIFT) \
	C(NVMX_CC_AMS_VS, SPDK_NVME_CC_AMS_VS << NVMX_CC_AMS_SHIFT) \
	C(NVMX_CAP_CSS_NVM, SPDK_NVME_CAP_CSS_NVM) C(NVMX_CAP_CSS_CSI, SPDK_NVME_CAP_CSS_IOCS) \
	C(NVMX_CAP_CSS_ADMIN, SPDK_NVME_CAP_CSS_NOIO) \
	/* Fabrics */ \
	C(NVMX_ADM_FABRICS, SPDK_NVME_OPC_FABRIC) \
	C(NVMX_FCTYPE_PROPERTY_SET, SPDK_NVMF_FABRIC_COMMAND_PROPERTY_SET) \
	C(NVMX_FCTYPE_CONNECT, SPDK_NVMF_FABRIC_COMMAND_CONNECT) \
	C(NVMX_FCTYPE_PROPERTY_GET, SPDK_NVMF_FABRIC_COMMAND_PROPERTY_GET) \
	C(NVMX_FCTYPE_AUTH_SEND, SPDK_NVMF_FABRIC_COMMAND_AUTHENTICATION_SEND) \
	C(NVMX_FCTYPE_AUTH_RECV, SPDK_NVMF_FABRIC_COMMAND_AUTHENTICATION_RECV) \
	C(NVMX_PROP_SIZE_4, SPDK_NVMF_PROP_SIZE_4) C(NVMX_PROP_SIZE_8, SPDK_NVMF_PROP_SIZE_8) \
	C(NVMX_SC_CONNECT_FORMAT, SPDK_NVMF_FABRIC_SC_INCOMPATIBLE_FORMAT) \
	C(NVMX_SC_CONNECT_CTRL_BUSY, SPDK_NVMF_FABRIC_SC_CONTROLLER_BUSY) \
	C(NVMX_SC_CONNECT_INVALID_PARAM, SPDK_NVMF_FABRIC_SC_INVALID_PARAM) \
	C(NVMX_SC_CONNECT_RESTART_DISC, SPDK_NVMF_FABRIC_SC_RESTART_DISCOVERY) \
	C(NVMX_SC_CONNECT_INVALID_HOST, SPDK_NVMF_FABRIC_SC_INVALID_HOST) \
	C(NVMX_SC_DISCOVERY_RESTART, SPDK_NVMF_FABRIC_SC_LOG_RESTART_DISCOVERY) \
	C(NVMX_SC_AUTH_REQUIRED, SPDK_NVMF_FABRIC_SC_AUTH_REQUIRED) \
	C(NVMX_NQN_MAX, SPDK_NVMF_NQN_MAX_LEN) \
	/* Connect response DW0 (SPDK struct spdk_nvmf_fabric_connect_rsp) */ \
	C(0, offsetof(struct spdk_nvmf_fabric_connect_rsp, status_code_specific.success.cntlid)) \
	C(2, offsetof(struct spdk_nvmf_fabric_connect_rsp, status_code_specific.success.authreq)) \
	C(0, offsetof(struct spdk_nvmf_fabric_connect_rsp, status_code_specific.invalid.ipo)) \
	C(2, offsetof(struct spdk_nvmf_fabric_connect_rsp, status_code_specific.invalid.iattr)) \
	C(offsetof(struct nvmx_cqe, sqhd), offsetof(struct spdk_nvmf_fabric_connect_rsp, sqhd)) \
	C(offsetof(struct nvmx_cqe, dw0), offsetof(struct spdk_nvmf_fabric_prop_get_rsp, value)) \
	/* NVMe/TCP */ \
	C(NVMX_TCP_ICREQ, SPDK_NVME_TCP_PDU_TYPE_IC_REQ) C(NVMX_TCP_ICRESP, SPDK_NVME_TCP_PDU_TYPE_IC_RESP) \
	C(NVMX_TCP_H2C_TERM, SPDK_NVME_TCP_PDU_TYPE_H2C_TERM_REQ) \
	C(NVMX_TCP_C2H_TERM, SPDK_NVME_TCP_PDU_TYPE_C2H_TERM_REQ) \
	C(NVMX_TCP_CMD, SPDK_NVME_TCP_PDU_TYPE_CAPSULE_CMD) C(NVMX_TCP_RSP, SPDK_NVME_TCP_PDU_TYPE_CAPSULE_RESP) \
	C(NVMX_TCP_H2C_DATA, SPDK_NVME_TCP_PDU_TYPE_H2C_DATA) C(NVMX_TCP_C2H_DATA, SPDK_NVME_TCP_PDU_TYPE_C2H_DATA) \
	C(NVMX_TCP_R2T, SPDK_NVME_TCP_PDU_TYPE_R2T) \
	C(NVMX_TCP_F_HDGST, SPDK_NVME_TCP_CH_FLAGS_HDGSTF) C(NVMX_TCP_F_DDGST, SPDK_NVME_TCP_CH_FLAGS_DDGSTF) \
	C(NVMX_TCP_F_LAST_PDU, SPDK_NVME_TCP_H2C_DATA_FLAGS_LAST_PDU) \
	C(NVMX_TCP_F_LAST_PDU, SPDK_NVME_TCP_C2H_DATA_FLAGS_LAST_PDU) \
	C(NVMX_TCP_F_SUCCESS, SPDK_NVME_TCP_C2H_DATA_FLAGS_SUCCESS) \
	C(NVMX_TCP_FES_INVALID_HEADER, SPDK_NVME_TCP_TERM_REQ_FES_INVALID_HEADER_FIELD) \
	C(NVMX_TCP_FES_PDU_SEQUENCE, SPDK_NVME_TCP_TERM_REQ_FES_PDU_SEQUENCE_ERROR) \
	C(NVMX_TCP_FES_HDGST, SPDK_NVME_TCP_TERM_REQ_FES_HDGST_ERROR) \
	C(NVMX_TCP_FES_DATA_OUT_OF_RANGE, SPDK_NVME_TCP_TERM_REQ_FES_DATA_TRANSFER_OUT_OF_RANGE) \
	C(NVMX_TCP_FES_DATA_LIMIT, SPDK_NVME_TCP_TERM_REQ_FES_DATA_TRANSFER_LIMIT_EXCEEDED) \
	C(NVMX_TCP_FES_R2T_LIMIT, SPDK_NVME_TCP_TERM_REQ_FES_R2T_LIMIT_EXCEEDED) \
	C(NVMX_TCP_FES_UNSUPPORTED_PARAM, SPDK_NVME_TCP_TERM_REQ_FES_INVALID_DATA_UNSUPPORTED_PARAMETER) \
	C(NVMX_TCP_TERM_DATA_MAX, SPDK_NVME_TCP_TERM_REQ_ERROR_DATA_MAX_SIZE) \
	C(NVMX_TCP_TERM_PDU_MAX, SPDK_NVME_TCP_TERM_REQ_PDU_MAX_SIZE) \
	C(NVMX_TCP_PDA_MAX, SPDK_NVME_TCP_CPDA_MAX) C(NVMX_TCP_PDA_MAX, SPDK_NVME_TCP_HPDA_MAX)

#define CONST_SA(a, b) XCHECK_SA((long long)(a) == (long long)(b), #a " != SPDK " #b)
CONSTS(CONST_SA)

#define CONST_ROW(a, b) { #a " ~ " #b, (long long)(a), (long long)(b) },
static const struct const_row const_rows[] = {
	CONSTS(CONST_ROW)
};

static void plain_fields_match_spdk(void **state)
{
	unsigned bad = 0;

	for (size_t i = 0; i < N(field_rows); i++) {
		const struct field_row *r = &field_rows[i];

		if (r->ours_off != r->theirs_off || r->ours_size != r->theirs_size) {
			print_error("# MISMATCH %s: ours offset %zu size %zu, SPDK offset %zu size %zu\n",
				    r->what, r->ours_off, r->ours_size, r->theirs_off, r->theirs_size);
			bad++;
		}
	}
	print_message("# %zu structure/field layout checks against SPDK\n", N(field_rows));
	assert_int_equal(bad, 0);
}

static void constants_match_spdk(void **state)
{
	unsigned bad = 0;

	for (size_t i = 0; i < N(const_rows); i++) {
		const struct const_row *r = &const_rows[i];

		if (r->ours != r->theirs) {
			print_error("# MISMATCH %s: ours %#llx, SPDK %#llx\n", r->what,
				    (unsigned long long)r->ours, (unsigned long long)r->theirs);
			bad++;
		}
	}
	print_message("# %zu numeric constant checks against SPDK\n", N(const_rows));
	assert_int_equal(bad, 0);
}

/* Status field: SPDK's bit-field struct spdk_nvme_status vs nvmx_st_*. */
static void status_bits_match_spdk_bitfields(void **state)
{
	unsigned n = 0;

	for (unsigned sct = 0; sct < 8; sct++) {
		for (unsigned sc = 0; sc < 256; sc += 5) {
			for (unsigned flags = 0; flags < 32; flags++) {
				struct spdk_nvme_status s;
				uint16_t raw;

				memset(&s, 0, sizeof(s));
				s.p = flags & 1;
				s.sc = sc;
				s.sct = sct;
				s.crd = (flags >> 1) & 3;
				s.m = (flags >> 3) & 1;
				s.dnr = (flags >> 4) & 1;
				memcpy(&raw, &s, sizeof(raw));
				assert_int_equal(nvmx_st_p(raw), s.p);
				assert_int_equal(nvmx_st_sc(raw), s.sc);
				assert_int_equal(nvmx_st_sct(raw), s.sct);
				assert_int_equal(nvmx_st_crd(raw), s.crd);
				assert_int_equal(nvmx_st_m(raw), s.m);
				assert_int_equal(nvmx_st_dnr(raw), s.dnr);
				if (!s.p && !s.crd && !s.m)
					assert_int_equal(nvmx_st_make(sct, sc, s.dnr), raw);
				n++;
			}
		}
	}
	print_message("# %u status encodings compared with SPDK\n", n);
}

/* CDW0 opcode/FUSE/PSDT and the keyed/unkeyed SGL identifier byte. */
static void sqe_cdw0_and_sgl_bits_match_spdk_bitfields(void **state)
{
	struct spdk_nvme_cmd c;
	struct nvmx_sqe q;

	memset(&c, 0, sizeof(c));
	c.opc = 0x81;
	c.fuse = 2;
	c.psdt = SPDK_NVME_PSDT_SGL_MPTR_CONTIG;
	c.cid = 0xbeef;
	memcpy(&q, &c, sizeof(q));
	assert_int_equal(q.opc, 0x81);
	assert_int_equal(q.flags & NVMX_SQE_FUSE_MASK, 2);
	assert_int_equal(q.flags & (3u << NVMX_SQE_PSDT_SHIFT), NVMX_SQE_PSDT_SGL_MPTR);
	assert_int_equal(nvmx_le16_to_cpu(q.cid), 0xbeef);

	/* unkeyed: Transport Data Block, transport-specific subtype */
	memset(&c, 0, sizeof(c));
	c.dptr.sgl1.unkeyed.type = SPDK_NVME_SGL_TYPE_TRANSPORT_DATA_BLOCK;
	c.dptr.sgl1.unkeyed.subtype = SPDK_NVME_SGL_SUBTYPE_TRANSPORT;
	c.dptr.sgl1.unkeyed.length = 0x12345;
	memcpy(&q, &c, sizeof(q));
	assert_int_equal(q.dptr.sgl.id, NVMX_SGL_ID(NVMX_SGL_TYPE_TRANSPORT_DATA, NVMX_SGL_SUBTYPE_TRANSPORT));
	assert_int_equal(nvmx_le32_to_cpu(q.dptr.sgl.length), 0x12345);

	/* keyed: 24-bit length, 32-bit key, type/subtype */
	memset(&c, 0, sizeof(c));
	c.dptr.sgl1.address = 0x1122334455667788ull;
	c.dptr.sgl1.keyed.length = 0xabcdef;
	c.dptr.sgl1.keyed.key = 0x01020304;
	c.dptr.sgl1.keyed.type = SPDK_NVME_SGL_TYPE_KEYED_DATA_BLOCK;
	c.dptr.sgl1.keyed.subtype = SPDK_NVME_SGL_SUBTYPE_INVALIDATE_KEY;
	memcpy(&q, &c, sizeof(q));
	assert_int_equal(nvmx_le64_to_cpu(q.dptr.ksgl.addr), 0x1122334455667788ull);
	assert_int_equal(q.dptr.ksgl.length[0] | q.dptr.ksgl.length[1] << 8 | q.dptr.ksgl.length[2] << 16,
			 0xabcdef);
	assert_int_equal(nvmx_le32_to_cpu(q.dptr.ksgl.key), 0x01020304);
	assert_int_equal(q.dptr.ksgl.id, NVMX_SGL_ID(NVMX_SGL_TYPE_KEYED_DATA, NVMX_SGL_SUBTYPE_INVALIDATE));
}

/* Typed command views: fields set with SPDK's CDW bit-fields read back through ours. */
static void typed_command_views_match_spdk_cdw_bitfields(void **state)
{
	struct spdk_nvme_cmd c;
	union {
		struct nvmx_sqe sqe;
		struct nvmx_cmd_identify id;
		struct nvmx_cmd_get_log_page glp;
		struct nvmx_cmd_create_cq ccq;
		struct nvmx_cmd_create_sq csq;
		struct nvmx_cmd_delete_queue dq;
		struct nvmx_cmd_abort ab;
		struct nvmx_cmd_features feat;
		struct nvmx_cmd_rw rw;
		struct nvmx_cmd_dsm dsm;
	} v;

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.identify.cns = 0x1c;
	c.cdw10_bits.identify.cntid = 0x1234;
	c.cdw11_bits.identify.nvmsetid = 0x5678;
	c.cdw11_bits.identify.csi = 2;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(v.id.cns, 0x1c);
	assert_int_equal(nvmx_le16_to_cpu(v.id.cntid), 0x1234);
	assert_int_equal(nvmx_le16_to_cpu(v.id.cnssid), 0x5678);
	assert_int_equal(v.id.csi, 2);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.get_log_page.lid = 0x0c;
	c.cdw10_bits.get_log_page.lsp = 0x55;
	c.cdw10_bits.get_log_page.rae = 1;
	c.cdw10_bits.get_log_page.numdl = 0xfedc;
	c.cdw11_bits.get_log_page.numdu = 0x0102;
	c.cdw11_bits.get_log_page.lsid = 0x0304;
	c.cdw12 = 0xaabbccdd;
	c.cdw13 = 0x11223344;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(v.glp.lid, 0x0c);
	assert_int_equal(v.glp.lsp_rae & NVMX_LOG_LSP_MASK, 0x55);
	assert_int_equal(v.glp.lsp_rae & NVMX_LOG_RAE, NVMX_LOG_RAE);
	assert_int_equal(nvmx_le16_to_cpu(v.glp.numdl), 0xfedc);
	assert_int_equal(nvmx_le16_to_cpu(v.glp.numdu), 0x0102);
	assert_int_equal(nvmx_le16_to_cpu(v.glp.lsi), 0x0304);
	assert_int_equal(nvmx_le32_to_cpu(v.glp.lpol), 0xaabbccdd);
	assert_int_equal(nvmx_le32_to_cpu(v.glp.lpou), 0x11223344);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.create_io_q.qid = 7;
	c.cdw10_bits.create_io_q.qsize = 1023;
	c.cdw11_bits.create_io_cq.pc = 1;
	c.cdw11_bits.create_io_cq.ien = 1;
	c.cdw11_bits.create_io_cq.iv = 0x21;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le16_to_cpu(v.ccq.qid), 7);
	assert_int_equal(nvmx_le16_to_cpu(v.ccq.qsize), 1023);
	assert_int_equal(nvmx_le16_to_cpu(v.ccq.cq_flags), NVMX_QUEUE_PHYS_CONTIG | NVMX_CQ_IRQ_ENABLED);
	assert_int_equal(nvmx_le16_to_cpu(v.ccq.irq_vector), 0x21);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.create_io_q.qid = 3;
	c.cdw11_bits.create_io_sq.pc = 1;
	c.cdw11_bits.create_io_sq.qprio = SPDK_NVME_QPRIO_MEDIUM;
	c.cdw11_bits.create_io_sq.cqid = 3;
	c.cdw12 = 0x9;		/* NVMSETID */
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le16_to_cpu(v.csq.sq_flags), NVMX_QUEUE_PHYS_CONTIG | NVMX_SQ_PRIO_MEDIUM);
	assert_int_equal(nvmx_le16_to_cpu(v.csq.cqid), 3);
	assert_int_equal(nvmx_le16_to_cpu(v.csq.nvmsetid), 9);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.delete_io_q.qid = 0x4242;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le16_to_cpu(v.dq.qid), 0x4242);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.abort.sqid = 5;
	c.cdw10_bits.abort.cid = 0x99;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le16_to_cpu(v.ab.sqid), 5);
	assert_int_equal(nvmx_le16_to_cpu(v.ab.cid_to_abort), 0x99);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.get_features.fid = NVMX_FID_KATO;
	c.cdw10_bits.get_features.sel = NVMX_FEAT_SEL_SUPPORTED_CAPS;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(NVMX_FEAT_FID(nvmx_le32_to_cpu(v.feat.cdw10)), NVMX_FID_KATO);
	assert_int_equal(NVMX_FEAT_SEL(nvmx_le32_to_cpu(v.feat.cdw10)), NVMX_FEAT_SEL_SUPPORTED_CAPS);
	memset(&c, 0, sizeof(c));
	c.cdw10_bits.set_features.sv = 1;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le32_to_cpu(v.feat.cdw10), NVMX_FEAT_SV);

	memset(&c, 0, sizeof(c));
	c.cdw10 = 0x89abcdef;
	c.cdw11 = 0x01234567;
	c.cdw12_bits.write.nlb = 0xffff;
	c.cdw12_bits.write.dtype = 0xf;
	c.cdw12_bits.write.stc = 1;
	c.cdw12_bits.write.prchk = 7;
	c.cdw12_bits.write.pract = 1;
	c.cdw12_bits.write.fua = 1;
	c.cdw12_bits.write.lr = 1;
	c.cdw13_bits.write.dsm = 0x5a;
	c.cdw13_bits.write.dspec = 0xa5a5;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le64_to_cpu(v.rw.slba), 0x0123456789abcdefull);
	assert_int_equal(nvmx_le16_to_cpu(v.rw.nlb), 0xffff);
	assert_int_equal(nvmx_le16_to_cpu(v.rw.control),
			 NVMX_RW_LR | NVMX_RW_FUA | (0xfu << NVMX_RW_PRINFO_SHIFT) | NVMX_RW_STC |
			 (0xfu << NVMX_RW_DTYPE_SHIFT));
	assert_int_equal(nvmx_le32_to_cpu(v.rw.dsmgmt), 0xa5a5005a);
	memset(&c, 0, sizeof(c));
	c.cdw12_bits.write_zeroes.deac = 1;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le16_to_cpu(v.rw.control), NVMX_RW_WZ_DEAC);

	memset(&c, 0, sizeof(c));
	c.cdw10_bits.dsm.nr = 255;
	c.cdw11_bits.dsm.idr = 1;
	c.cdw11_bits.dsm.ad = 1;
	memcpy(&v, &c, sizeof(v));
	assert_int_equal(nvmx_le32_to_cpu(v.dsm.nr), 255);
	assert_int_equal(nvmx_le32_to_cpu(v.dsm.attributes), NVMX_DSM_IDR | NVMX_DSM_AD);
}

/* CAP / CC / CSTS accessors vs SPDK's register bit-fields. */
static void register_accessors_match_spdk_bitfields(void **state)
{
	union spdk_nvme_cap_register cap = { .raw = 0 };
	union spdk_nvme_cc_register cc = { .raw = 0 };
	union spdk_nvme_csts_register csts = { .raw = 0 };

	cap.bits.mqes = 0xfffe;
	cap.bits.cqr = 1;
	cap.bits.ams = 2;
	cap.bits.to = 0xa5;
	cap.bits.dstrd = 0xc;
	cap.bits.nssrs = 1;
	cap.bits.css = 0xc1;
	cap.bits.bps = 1;
	cap.bits.mpsmin = 0x3;
	cap.bits.mpsmax = 0xd;
	cap.bits.pmrs = 1;
	cap.bits.cmbs = 1;
	cap.bits.nsss = 1;
	cap.bits.crwms = 1;
	assert_int_equal(nvmx_cap_mqes(cap.raw), 0xfffe);
	assert_int_equal(nvmx_cap_cqr(cap.raw), 1);
	assert_int_equal(nvmx_cap_ams(cap.raw), 2);
	assert_int_equal(nvmx_cap_to(cap.raw), 0xa5);
	assert_int_equal(nvmx_cap_dstrd(cap.raw), 0xc);
	assert_int_equal(nvmx_cap_nssrs(cap.raw), 1);
	assert_int_equal(nvmx_cap_css(cap.raw), 0xc1);
	assert_int_equal(nvmx_cap_bps(cap.raw), 1);
	assert_int_equal(nvmx_cap_cps(cap.raw), 0);
	assert_int_equal(nvmx_cap_mpsmin(cap.raw), 0x3);
	assert_int_equal(nvmx_cap_mpsmax(cap.raw), 0xd);
	assert_int_equal(nvmx_cap_pmrs(cap.raw), 1);
	assert_int_equal(nvmx_cap_cmbs(cap.raw), 1);
	assert_int_equal(nvmx_cap_nsss(cap.raw), 1);
	assert_int_equal(nvmx_cap_crms(cap.raw), 1);	/* CRWMS bit 59 */

	cc.bits.en = 1;
	cc.bits.css = 6;
	cc.bits.mps = 0x9;
	cc.bits.ams = 7;
	cc.bits.shn = 2;
	cc.bits.iosqes = 6;
	cc.bits.iocqes = 4;
	cc.bits.crime = 1;
	assert_int_equal(nvmx_cc_en(cc.raw), 1);
	assert_int_equal(nvmx_cc_css(cc.raw), 6);
	assert_int_equal(nvmx_cc_mps(cc.raw), 0x9);
	assert_int_equal(nvmx_cc_ams(cc.raw), 7);
	assert_int_equal(nvmx_cc_shn(cc.raw), 2);
	assert_int_equal(nvmx_cc_iosqes(cc.raw), 6);
	assert_int_equal(nvmx_cc_iocqes(cc.raw), 4);
	assert_int_equal(cc.raw & NVMX_CC_CRIME, NVMX_CC_CRIME);

	csts.bits.rdy = 1;
	csts.bits.shst = 2;
	csts.bits.nssro = 1;
	csts.bits.pp = 1;
	assert_int_equal(nvmx_csts_rdy(csts.raw), 1);
	assert_int_equal(nvmx_csts_cfs(csts.raw), 0);
	assert_int_equal(nvmx_csts_shst(csts.raw), 2);
	assert_int_equal(nvmx_csts_nssro(csts.raw), 1);
	assert_int_equal(csts.raw & NVMX_CSTS_PP, NVMX_CSTS_PP);
}

/* Connect response DW0 as SPDK's union lays it out. */
static void connect_response_dw0_matches_spdk(void **state)
{
	struct spdk_nvmf_fabric_connect_rsp r;
	struct nvmx_cqe q;

	memset(&r, 0, sizeof(r));
	r.status_code_specific.invalid.ipo = 0x0100;
	r.status_code_specific.invalid.iattr = 1;
	memcpy(&q, &r, sizeof(q));
	assert_int_equal(nvmx_le32_to_cpu(q.dw0), nvmx_connect_rsp_invalid(1, 0x0100));

	memset(&r, 0, sizeof(r));
	r.status_code_specific.success.cntlid = 0x0042;
	r.status_code_specific.success.authreq.ascr = 1;
	memcpy(&q, &r, sizeof(q));
	assert_int_equal(nvmx_connect_rsp_cntlid(nvmx_le32_to_cpu(q.dw0)), 0x42);
	assert_int_equal(nvmx_connect_rsp_authreq(nvmx_le32_to_cpu(q.dw0)), NVMX_CONNECT_AUTHREQ_ASCR);
	r.status_code_specific.success.authreq.ascr = 0;
	r.status_code_specific.success.authreq.atr = 1;
	memcpy(&q, &r, sizeof(q));
	assert_int_equal(nvmx_connect_rsp_authreq(nvmx_le32_to_cpu(q.dw0)), NVMX_CONNECT_AUTHREQ_ATR);
}

/* ICReq/ICResp digest bits as SPDK's bit-fields place them. */
static void tcp_digest_bits_match_spdk(void **state)
{
	struct spdk_nvme_tcp_ic_req req;

	memset(&req, 0, sizeof(req));
	req.dgst.bits.hdgst_enable = 1;
	assert_int_equal(req.dgst.raw, NVMX_TCP_DGST_HDR);
	req.dgst.raw = 0;
	req.dgst.bits.ddgst_enable = 1;
	assert_int_equal(req.dgst.raw, NVMX_TCP_DGST_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_fields_match_spdk),
		cmocka_unit_test(constants_match_spdk),
		cmocka_unit_test(status_bits_match_spdk_bitfields),
		cmocka_unit_test(sqe_cdw0_and_sgl_bits_match_spdk_bitfields),
		cmocka_unit_test(typed_command_views_match_spdk_cdw_bitfields),
		cmocka_unit_test(register_accessors_match_spdk_bitfields),
		cmocka_unit_test(connect_response_dw0_matches_spdk),
		cmocka_unit_test(tcp_digest_bits_match_spdk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
