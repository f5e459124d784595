/* SPDX-License-Identifier: BSD-2-Clause */
/* Status decoding and the naming functions of nvmx/spec_names.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "nvmx/spec.h"

/* A CQE as it arrives: bytes on the wire, decoded with the accessors. */
static void cqe_status_fields_decode_from_wire_bytes(void **state)
{
	uint8_t raw[16] = { 0 };
	struct nvmx_cqe cqe;
	uint16_t st;

	/* phase 1, SC 80h, SCT 2h (Write Fault), CRD 2, M 1, DNR 1 */
	st = 1u | (0x80u << 1) | (2u << 9) | (2u << 12) | (1u << 14) | (1u << 15);
	raw[14] = (uint8_t)st;
	raw[15] = (uint8_t)(st >> 8);
	raw[12] = 0x34;
	raw[13] = 0x12;
	memcpy(&cqe, raw, sizeof(cqe));
	st = nvmx_cqe_status(&cqe);
	assert_int_equal(nvmx_le16_to_cpu(cqe.cid), 0x1234);
	assert_int_equal(nvmx_st_p(st), 1);
	assert_int_equal(nvmx_st_sc(st), 0x80);
	assert_int_equal(nvmx_st_sct(st), NVMX_SCT_MEDIA);
	assert_int_equal(nvmx_st_crd(st), 2);
	assert_int_equal(nvmx_st_m(st), 1);
	assert_int_equal(nvmx_st_dnr(st), 1);
	assert_false(nvmx_st_ok(st));
	assert_int_equal(nvmx_st_code(st), 0x280);
}

static void success_is_ok_regardless_of_phase(void **state)
{
	assert_true(nvmx_st_ok(0));
	assert_true(nvmx_st_ok(1));
	assert_false(nvmx_st_ok(nvmx_st_make(NVMX_SCT_GENERIC, NVMX_SC_INVALID_FIELD, 0)));
}

static void status_make_round_trips(void **state)
{
	uint16_t st = nvmx_st_make(NVMX_SCT_CMD_SPECIFIC, NVMX_SC_ABORT_LIMIT, 1);

	assert_int_equal(nvmx_st_sct(st), 1);
	assert_int_equal(nvmx_st_sc(st), 3);
	assert_int_equal(nvmx_st_dnr(st), 1);
	assert_int_equal(nvmx_st_p(st), 0);
}

static void status_names_cover_every_type(void **state)
{
	assert_string_equal(nvmx_status_name(0, 0x00), "Successful Completion");
	assert_string_equal(nvmx_status_name(0, 0x01), "Invalid Command Opcode");
	assert_string_equal(nvmx_status_name(0, 0x80), "LBA Out of Range");
	assert_string_equal(nvmx_status_name(0, 0x22), "Transient Transport Error");
	assert_string_equal(nvmx_status_name(1, 0x05), "Asynchronous Event Request Limit Exceeded");
	assert_string_equal(nvmx_status_name(1, 0x80), "Conflicting Attributes");
	assert_string_equal(nvmx_status_name_for(1, 0x82, NVMX_CMDSET_FABRICS), "Connect Invalid Parameters");
	assert_string_equal(nvmx_status_name_for(1, 0x84, NVMX_CMDSET_FABRICS), "Connect Invalid Host");
	assert_string_equal(nvmx_status_name(2, 0x81), "Unrecovered Read Error");
	assert_string_equal(nvmx_status_name(2, 0x85), "Compare Failure");
	assert_string_equal(nvmx_status_name(3, 0x02), "Asymmetric Access Inaccessible");
	assert_string_equal(nvmx_status_name(3, 0x71), "Command Aborted By Host");
	assert_string_equal(nvmx_status_name(7, 0x11), "Vendor Specific");
	assert_string_equal(nvmx_status_name(5, 0x00), "Reserved");
	assert_string_equal(nvmx_status_name(0, 0x7f), "Unknown");
	assert_string_equal(nvmx_status_name(0, 0x17), "Unknown");
}

static void status_str_names_status_and_flags(void **state)
{
	char buf[128];
	uint16_t st = nvmx_st_make(NVMX_SCT_GENERIC, NVMX_SC_LBA_RANGE, 1);

	nvmx_status_str(st, NVMX_CMDSET_NVM, buf, sizeof(buf));
	assert_string_equal(buf, "LBA Out of Range (sct 0h, sc 80h) DNR");
}

static void opcode_names(void **state)
{
	assert_string_equal(nvmx_admin_opc_name(NVMX_ADM_IDENTIFY), "Identify");
	assert_string_equal(nvmx_admin_opc_name(NVMX_ADM_ASYNC_EVENT), "Asynchronous Event Request");
	assert_string_equal(nvmx_admin_opc_name(0x03), "Unknown");
	assert_string_equal(nvmx_admin_opc_name(0xc1), "Vendor Specific");
	assert_string_equal(nvmx_nvm_opc_name(NVMX_NVM_WRITE_ZEROES), "Write Zeroes");
	assert_string_equal(nvmx_nvm_opc_name(NVMX_NVM_DSM), "Dataset Management");
	assert_string_equal(nvmx_fabrics_fctype_name(NVMX_FCTYPE_PROPERTY_GET), "Property Get");
	assert_string_equal(nvmx_fabrics_fctype_name(0x02), "Unknown");
	assert_string_equal(nvmx_opc_name(NVMX_CMDSET_FABRICS, NVMX_FCTYPE_CONNECT), "Connect");
}

static void event_log_and_feature_names(void **state)
{
	uint32_t dw0 = nvmx_aen_make(NVMX_AER_TYPE_NOTICE, NVMX_AER_NOTICE_NS_CHANGED, NVMX_LID_CHANGED_NS);

	assert_int_equal(dw0, 0x00040002u);
	assert_int_equal(nvmx_aen_type(dw0), 2);
	assert_int_equal(nvmx_aen_lid(dw0), 4);
	assert_string_equal(nvmx_aer_type_name(nvmx_aen_type(dw0)), "Notice");
	assert_string_equal(nvmx_aer_info_name(2, 0), "Namespace Attribute Changed");
	assert_string_equal(nvmx_aer_info_name(1, 2), "Spare Below Threshold");
	assert_string_equal(nvmx_aer_info_name(0, 3), "Persistent Internal Error");
	/* Normal NVM Subsystem Shutdown is an Immediate event, not notice 07h. */
	assert_string_equal(nvmx_aer_info_name(NVMX_AER_TYPE_IMMEDIATE, 0), "Normal NVM Subsystem Shutdown");
	assert_string_equal(nvmx_aer_info_name(NVMX_AER_TYPE_NOTICE, 7), "Unknown");
	assert_string_equal(nvmx_log_page_name(NVMX_LID_SMART), "SMART / Health Information");
	assert_string_equal(nvmx_log_page_name(NVMX_LID_DISCOVERY), "Discovery");
	assert_string_equal(nvmx_feature_name(NVMX_FID_KATO), "Keep Alive Timer");
	assert_string_equal(nvmx_critical_warning_name(1), "Temperature Threshold");
	assert_string_equal(nvmx_tcp_pdu_name(NVMX_TCP_R2T), "R2T");
	assert_string_equal(nvmx_tcp_pdu_name(8), "Unknown");
	assert_string_equal(nvmx_tcp_fes_name(NVMX_TCP_FES_HDGST), "Header Digest Error");
}

static void register_fields_decode(void **state)
{
	/* MQES 1023, CQR, TO 20 (10 s), DSTRD 2, NSSRS, CSS NVM, MPSMIN 0, MPSMAX 4 */
	uint64_t cap = 1023u | (1u << 16) | (20u << 24) | (2ull << 32) | (1ull << 36) |
		       (1ull << 37) | (4ull << 52);

	assert_int_equal(nvmx_cap_mqes(cap), 1023);
	assert_int_equal(nvmx_cap_cqr(cap), 1);
	assert_int_equal(nvmx_cap_to(cap), 20);
	assert_int_equal(nvmx_cap_dstrd(cap), 2);
	assert_int_equal(nvmx_cap_nssrs(cap), 1);
	assert_int_equal(nvmx_cap_css(cap), NVMX_CAP_CSS_NVM);
	assert_int_equal(nvmx_cap_mpsmax(cap), 4);
	assert_int_equal(nvmx_doorbell_off(0, 0, 0), 0x1000);
	assert_int_equal(nvmx_doorbell_off(1, 1, 0), 0x100c);
	assert_int_equal(nvmx_doorbell_off(1, 1, 2), 0x1000 + 3 * 16);
	assert_int_equal(NVMX_AQA(32, 32), 0x001f001f);
	assert_int_equal(NVMX_NUM_QUEUES(4, 4), 0x00030003u);
	assert_int_equal(nvmx_flbas_index(0x12), 2);	/* extended bit ignored */
	assert_int_equal(nvmx_flbas_index(0x21), 0x11);
	assert_int_equal(nvmx_tcp_hlen(NVMX_TCP_CMD), 72);
	assert_int_equal(nvmx_tcp_pdo(72 + 4, 0), 76);
	assert_int_equal(nvmx_tcp_pdo(72 + 4, 7), 96);
}

/*
 * Every code the headers define has a name in words (not "Unknown"), so a
 * constant added without its entry in lib/util/spec_names.c is caught.
 */
#define EACH_NAMED(arr, expr) \
	for (size_t i_ = 0; i_ < sizeof(arr) / sizeof((arr)[0]); i_++) { \
		unsigned v = (arr)[i_]; \
		const char *n_ = (expr); \
		if (strcmp(n_, "Unknown") == 0) \
			print_error("# no name for %s value %#x\n", #arr, v); \
		assert_string_not_equal(n_, "Unknown"); \
	}

static void every_defined_status_code_has_a_name(void **state)
{
	static const unsigned generic[] = {
		NVMX_SC_SUCCESS,
		NVMX_SC_INVALID_OPCODE,
		NVMX_SC_INVALID_FIELD,
		NVMX_SC_CID_CONFLICT,
		NVMX_SC_DATA_XFER_ERROR,
		NVMX_SC_POWER_LOSS,
		NVMX_SC_INTERNAL,
		NVMX_SC_ABORT_REQ,
		NVMX_SC_ABORT_SQ_DELETION,
		NVMX_SC_FUSED_FAIL,
		NVMX_SC_FUSED_MISSING,
		NVMX_SC_INVALID_NS,
		NVMX_SC_CMD_SEQ_ERROR,
		NVMX_SC_SGL_INVALID_LAST,
		NVMX_SC_SGL_INVALID_COUNT,
		NVMX_SC_SGL_INVALID_DATA,
		NVMX_SC_SGL_INVALID_METADATA,
		NVMX_SC_SGL_INVALID_TYPE,
		NVMX_SC_CMB_INVALID_USE,
		NVMX_SC_PRP_INVALID_OFFSET,
		NVMX_SC_ATOMIC_WU_EXCEEDED,
		NVMX_SC_OP_DENIED,
		NVMX_SC_SGL_INVALID_OFFSET,
		NVMX_SC_HOSTID_FORMAT,
		NVMX_SC_KAT_EXPIRED,
		NVMX_SC_KAT_INVALID,
		NVMX_SC_CMD_ABORTED_PREEMPT,
		NVMX_SC_SANITIZE_FAILED,
		NVMX_SC_SANITIZE_IN_PROGRESS,
		NVMX_SC_SGL_INVALID_GRANULARITY,
		NVMX_SC_CMD_IN_CMBQ_NOT_SUPP,
		NVMX_SC_NS_WRITE_PROTECTED,
		NVMX_SC_CMD_INTERRUPTED,
		NVMX_SC_TRANSIENT_TR_ERR,
		NVMX_SC_PROHIBITED_BY_LOCKDOWN,
		NVMX_SC_ADMIN_CMD_MEDIA_NOT_READY,
		NVMX_SC_LBA_RANGE,
		NVMX_SC_CAP_EXCEEDED,
		NVMX_SC_NS_NOT_READY,
		NVMX_SC_RESERVATION_CONFLICT,
		NVMX_SC_FORMAT_IN_PROGRESS,
	};
	static const unsigned cmd_specific[] = {
		NVMX_SC_CQ_INVALID,
		NVMX_SC_QID_INVALID,
		NVMX_SC_QUEUE_SIZE,
		NVMX_SC_ABORT_LIMIT,
		NVMX_SC_AER_LIMIT,
		NVMX_SC_FW_SLOT_INVALID,
		NVMX_SC_FW_IMAGE_INVALID,
		NVMX_SC_IRQ_VECTOR_INVALID,
		NVMX_SC_LOG_PAGE_INVALID,
		NVMX_SC_FORMAT_INVALID,
		NVMX_SC_FW_NEEDS_CONV_RESET,
		NVMX_SC_QUEUE_DELETION_INVALID,
		NVMX_SC_FEAT_NOT_SAVEABLE,
		NVMX_SC_FEAT_NOT_CHANGEABLE,
		NVMX_SC_FEAT_NOT_NS_SPECIFIC,
		NVMX_SC_FW_NEEDS_SUBSYS_RESET,
		NVMX_SC_FW_NEEDS_RESET,
		NVMX_SC_FW_NEEDS_MAX_TIME,
		NVMX_SC_FW_ACTIVATE_PROHIBITED,
		NVMX_SC_OVERLAPPING_RANGE,
		NVMX_SC_NS_INSUFFICIENT_CAP,
		NVMX_SC_NS_ID_UNAVAILABLE,
		NVMX_SC_NS_ALREADY_ATTACHED,
		NVMX_SC_NS_IS_PRIVATE,
		NVMX_SC_NS_NOT_ATTACHED,
		NVMX_SC_THIN_PROV_NOT_SUPP,
		NVMX_SC_CTRL_LIST_INVALID,
		NVMX_SC_SELF_TEST_IN_PROGRESS,
		NVMX_SC_BP_WRITE_PROHIBITED,
		NVMX_SC_INVALID_CTRL_ID,
		NVMX_SC_INVALID_SEC_CTRL_STATE,
		NVMX_SC_INVALID_CTRL_RESOURCES,
		NVMX_SC_INVALID_RESOURCE_ID,
		NVMX_SC_PMR_SAN_PROHIBITED,
		NVMX_SC_ANA_GROUP_ID_INVALID,
		NVMX_SC_ANA_ATTACH_FAILED,
		NVMX_SC_INSUFFICIENT_CAP,
		NVMX_SC_NS_ATTACH_LIMIT,
		NVMX_SC_PROHIBIT_CMD_EXEC_NOT_SUPP,
		NVMX_SC_IOCS_NOT_SUPPORTED,
		NVMX_SC_IOCS_NOT_ENABLED,
		NVMX_SC_IOCS_COMBINATION_REJECTED,
		NVMX_SC_INVALID_IOCS,
		NVMX_SC_ID_UNAVAILABLE,
	};
	static const unsigned nvm_specific[] = {
		NVMX_SC_BAD_ATTRIBUTES,
		NVMX_SC_INVALID_PI,
		NVMX_SC_READ_ONLY,
		NVMX_SC_CMD_SIZE_LIMIT_EXCEEDED,
	};
	static const unsigned fabrics_specific[] = {
		NVMX_SC_CONNECT_FORMAT,
		NVMX_SC_CONNECT_CTRL_BUSY,
		NVMX_SC_CONNECT_INVALID_PARAM,
		NVMX_SC_CONNECT_RESTART_DISC,
		NVMX_SC_CONNECT_INVALID_HOST,
		NVMX_SC_INVALID_QUEUE_TYPE,
		NVMX_SC_DISCOVERY_RESTART,
		NVMX_SC_AUTH_REQUIRED,
	};
	static const unsigned media[] = {
		NVMX_SC_WRITE_FAULT,
		NVMX_SC_UNRECOVERED_READ,
		NVMX_SC_GUARD_CHECK,
		NVMX_SC_APPTAG_CHECK,
		NVMX_SC_REFTAG_CHECK,
		NVMX_SC_COMPARE_FAILED,
		NVMX_SC_ACCESS_DENIED,
		NVMX_SC_UNWRITTEN_BLOCK,
		NVMX_SC_STORAGE_TAG_CHECK,
	};
	static const unsigned path[] = {
		NVMX_SC_INTERNAL_PATH_ERROR,
		NVMX_SC_ANA_PERSISTENT_LOSS,
		NVMX_SC_ANA_INACCESSIBLE,
		NVMX_SC_ANA_TRANSITION,
		NVMX_SC_CTRL_PATH_ERROR,
		NVMX_SC_HOST_PATH_ERROR,
		NVMX_SC_HOST_ABORTED_CMD,
	};

	EACH_NAMED(generic, nvmx_status_name(NVMX_SCT_GENERIC, v));
	EACH_NAMED(cmd_specific, nvmx_status_name_for(NVMX_SCT_CMD_SPECIFIC, v, NVMX_CMDSET_ADMIN));
	EACH_NAMED(nvm_specific, nvmx_status_name_for(NVMX_SCT_CMD_SPECIFIC, v, NVMX_CMDSET_NVM));
	EACH_NAMED(fabrics_specific, nvmx_status_name_for(NVMX_SCT_CMD_SPECIFIC, v, NVMX_CMDSET_FABRICS));
	EACH_NAMED(media, nvmx_status_name(NVMX_SCT_MEDIA, v));
	EACH_NAMED(path, nvmx_status_name(NVMX_SCT_PATH, v));
}

static void every_defined_opcode_log_feature_and_pdu_has_a_name(void **state)
{
	static const unsigned admin[] = {
		NVMX_ADM_DELETE_SQ,
		NVMX_ADM_CREATE_SQ,
		NVMX_ADM_GET_LOG_PAGE,
		NVMX_ADM_DELETE_CQ,
		NVMX_ADM_CREATE_CQ,
		NVMX_ADM_IDENTIFY,
		NVMX_ADM_ABORT,
		NVMX_ADM_SET_FEATURES,
		NVMX_ADM_GET_FEATURES,
		NVMX_ADM_ASYNC_EVENT,
		NVMX_ADM_NS_MGMT,
		NVMX_ADM_FW_COMMIT,
		NVMX_ADM_FW_DOWNLOAD,
		NVMX_ADM_DEV_SELF_TEST,
		NVMX_ADM_NS_ATTACH,
		NVMX_ADM_KEEP_ALIVE,
		NVMX_ADM_DIRECTIVE_SEND,
		NVMX_ADM_DIRECTIVE_RECV,
		NVMX_ADM_VIRT_MGMT,
		NVMX_ADM_NVME_MI_SEND,
		NVMX_ADM_NVME_MI_RECV,
		NVMX_ADM_CAPACITY_MGMT,
		NVMX_ADM_LOCKDOWN,
		NVMX_ADM_DBBUF_CONFIG,
		NVMX_ADM_FABRICS,
		NVMX_ADM_FORMAT_NVM,
		NVMX_ADM_SECURITY_SEND,
		NVMX_ADM_SECURITY_RECV,
		NVMX_ADM_SANITIZE,
		NVMX_ADM_GET_LBA_STATUS,
	};
	static const unsigned nvm[] = {
		NVMX_NVM_FLUSH,
		NVMX_NVM_WRITE,
		NVMX_NVM_READ,
		NVMX_NVM_WRITE_UNCOR,
		NVMX_NVM_COMPARE,
		NVMX_NVM_WRITE_ZEROES,
		NVMX_NVM_DSM,
		NVMX_NVM_VERIFY,
		NVMX_NVM_RESV_REGISTER,
		NVMX_NVM_RESV_REPORT,
		NVMX_NVM_RESV_ACQUIRE,
		NVMX_NVM_RESV_RELEASE,
		NVMX_NVM_COPY,
	};
	static const unsigned fctype[] = {
		NVMX_FCTYPE_PROPERTY_SET,
		NVMX_FCTYPE_CONNECT,
		NVMX_FCTYPE_PROPERTY_GET,
		NVMX_FCTYPE_AUTH_SEND,
		NVMX_FCTYPE_AUTH_RECV,
		NVMX_FCTYPE_DISCONNECT,
	};
	static const unsigned lids[] = {
		NVMX_LID_SUPPORTED_LOGS,
		NVMX_LID_ERROR,
		NVMX_LID_SMART,
		NVMX_LID_FW_SLOT,
		NVMX_LID_CHANGED_NS,
		NVMX_LID_CMD_EFFECTS,
		NVMX_LID_DEV_SELF_TEST,
		NVMX_LID_TELEMETRY_HOST,
		NVMX_LID_TELEMETRY_CTRL,
		NVMX_LID_ENDURANCE_GROUP,
		NVMX_LID_PLM_PER_NVMSET,
		NVMX_LID_PLM_EVENT_AGG,
		NVMX_LID_ANA,
		NVMX_LID_PERSISTENT_EVENT,
		NVMX_LID_LBA_STATUS,
		NVMX_LID_EG_EVENT_AGG,
		NVMX_LID_MEDIA_UNIT,
		NVMX_LID_CAP_CONFIG_LIST,
		NVMX_LID_FID_EFFECTS,
		NVMX_LID_MI_CMD_EFFECTS,
		NVMX_LID_LOCKDOWN,
		NVMX_LID_BOOT_PARTITION,
		NVMX_LID_ROTATIONAL_MEDIA,
		NVMX_LID_DISCOVERY,
		NVMX_LID_RESERVATION,
		NVMX_LID_SANITIZE,
	};
	static const unsigned fids[] = {
		NVMX_FID_ARBITRATION,
		NVMX_FID_POWER_MGMT,
		NVMX_FID_LBA_RANGE,
		NVMX_FID_TEMP_THRESH,
		NVMX_FID_ERR_RECOVERY,
		NVMX_FID_VOLATILE_WC,
		NVMX_FID_NUM_QUEUES,
		NVMX_FID_IRQ_COALESCE,
		NVMX_FID_IRQ_CONFIG,
		NVMX_FID_WRITE_ATOMIC,
		NVMX_FID_ASYNC_EVENT,
		NVMX_FID_AUTO_PST,
		NVMX_FID_HOST_MEM_BUF,
		NVMX_FID_TIMESTAMP,
		NVMX_FID_KATO,
		NVMX_FID_HCTM,
		NVMX_FID_NOPSC,
		NVMX_FID_RRL,
		NVMX_FID_PLM_CONFIG,
		NVMX_FID_PLM_WINDOW,
		NVMX_FID_LBA_STS_INTERVAL,
		NVMX_FID_HOST_BEHAVIOR,
		NVMX_FID_SANITIZE,
		NVMX_FID_ENDURANCE_EVT_CFG,
		NVMX_FID_IOCS_PROFILE,
		NVMX_FID_SPINUP_CONTROL,
		NVMX_FID_ENH_CTRL_METADATA,
		NVMX_FID_CTRL_METADATA,
		NVMX_FID_NS_METADATA,
		NVMX_FID_SW_PROGRESS,
		NVMX_FID_HOST_ID,
		NVMX_FID_RESV_MASK,
		NVMX_FID_RESV_PERSIST,
		NVMX_FID_WRITE_PROTECT,
	};
	static const unsigned pdus[] = {
		NVMX_TCP_ICREQ,
		NVMX_TCP_ICRESP,
		NVMX_TCP_H2C_TERM,
		NVMX_TCP_C2H_TERM,
		NVMX_TCP_CMD,
		NVMX_TCP_RSP,
		NVMX_TCP_H2C_DATA,
		NVMX_TCP_C2H_DATA,
		NVMX_TCP_R2T,
	};
	static const unsigned fes[] = {
		NVMX_TCP_FES_INVALID_HEADER,
		NVMX_TCP_FES_PDU_SEQUENCE,
		NVMX_TCP_FES_HDGST,
		NVMX_TCP_FES_DATA_OUT_OF_RANGE,
		NVMX_TCP_FES_R2T_LIMIT,
		NVMX_TCP_FES_DATA_LIMIT,
		NVMX_TCP_FES_UNSUPPORTED_PARAM,
	};

	EACH_NAMED(admin, nvmx_admin_opc_name((uint8_t)v));
	EACH_NAMED(nvm, nvmx_nvm_opc_name((uint8_t)v));
	EACH_NAMED(fctype, nvmx_fabrics_fctype_name((uint8_t)v));
	EACH_NAMED(lids, nvmx_log_page_name((uint8_t)v));
	EACH_NAMED(fids, nvmx_feature_name((uint8_t)v));
	EACH_NAMED(pdus, nvmx_tcp_pdu_name((uint8_t)v));
	EACH_NAMED(fes, nvmx_tcp_fes_name(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cqe_status_fields_decode_from_wire_bytes),
		cmocka_unit_test(success_is_ok_regardless_of_phase),
		cmocka_unit_test(status_make_round_trips),
		cmocka_unit_test(status_names_cover_every_type),
		cmocka_unit_test(status_str_names_status_and_flags),
		cmocka_unit_test(opcode_names),
		cmocka_unit_test(event_log_and_feature_names),
		cmocka_unit_test(register_fields_decode),
		cmocka_unit_test(every_defined_status_code_has_a_name),
		cmocka_unit_test(every_defined_opcode_log_feature_and_pdu_has_a_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
