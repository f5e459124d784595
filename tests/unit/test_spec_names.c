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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
