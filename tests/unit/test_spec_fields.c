/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Field helpers of the wire formats whose layout libnvme does not define
 * (Connect response DW0, Connect CATTR, SGL identifiers, AER DW0), checked
 * against the values the specifications give and Linux/SPDK use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "nvmx/spec.h"

/*
 * Fabrics 1.1 Figure 23 / Base 2.1 Figure 582: on Connect Invalid
 * Parameters IPO is bytes 1:0 and IATTR byte 2.  Linux nvmet reports a bad
 * CNTLID in the data as (1 << 16) | 16.
 */
static void connect_invalid_param_dw0_has_ipo_low_and_iattr_in_byte_2(void **state)
{
	uint32_t dw0 = nvmx_connect_rsp_invalid(1, offsetof(struct nvmx_connect_data, cntlid));

	assert_int_equal(dw0, 0x00010010u);
	assert_int_equal(nvmx_connect_rsp_ipo(dw0), 16);
	assert_int_equal(nvmx_connect_rsp_iattr(dw0) & NVMX_CONNECT_RSP_IATTR_DATA, 1);

	dw0 = nvmx_connect_rsp_invalid(0, offsetof(struct nvmx_connect_cmd, sqsize));
	assert_int_equal(dw0, 44u);
	assert_int_equal(nvmx_connect_rsp_iattr(dw0), 0);
}

static void connect_success_dw0_has_cntlid_and_authreq(void **state)
{
	uint32_t dw0 = 0x0002abcdu;	/* CNTLID abcdh, AUTHREQ.ATR */

	assert_int_equal(nvmx_connect_rsp_cntlid(dw0), 0xabcd);
	assert_int_equal(nvmx_connect_rsp_authreq(dw0), NVMX_CONNECT_AUTHREQ_ATR);
}

/* CATTR: PRIOCLASS bits 1:0, DISSQFC bit 2; the two never overlap. */
static void connect_cattr_priority_and_sqfc_bits_are_disjoint(void **state)
{
	unsigned prio = NVMX_CONNECT_CATTR_PRIORITY_MASK << NVMX_CONNECT_CATTR_PRIORITY_SHIFT;

	assert_int_equal(prio, 0x3);
	assert_int_equal(NVMX_CONNECT_CATTR_DISABLE_SQFC, 0x4);
	assert_int_equal(prio & NVMX_CONNECT_CATTR_DISABLE_SQFC, 0);
}

/*
 * SGL identifiers NVMe/TCP puts in a command (TCP 1.0 3.3.3; Linux
 * nvme-tcp host): 0x01 in-capsule data (Data Block, Offset), 0x5a host
 * buffer moved by R2T/C2HData (Transport Data Block, Transport specific).
 */
static void tcp_sgl_identifiers_match_linux_host(void **state)
{
	assert_int_equal(NVMX_SGL_ID(NVMX_SGL_TYPE_DATA_BLOCK, NVMX_SGL_SUBTYPE_OFFSET), 0x01);
	assert_int_equal(NVMX_SGL_ID(NVMX_SGL_TYPE_TRANSPORT_DATA, NVMX_SGL_SUBTYPE_TRANSPORT), 0x5a);
	assert_int_equal(NVMX_SGL_ID(NVMX_SGL_TYPE_KEYED_DATA, NVMX_SGL_SUBTYPE_ADDRESS), 0x40);
}

/* A keyed SGL descriptor's 24-bit length and key sit at bytes 10:8 and 14:11. */
static void keyed_sgl_length_and_key_land_on_spec_bytes(void **state)
{
	union nvmx_dptr d;
	uint8_t *b = (uint8_t *)&d;

	memset(&d, 0, sizeof(d));
	d.ksgl.length[0] = 0x11;
	d.ksgl.length[1] = 0x22;
	d.ksgl.length[2] = 0x33;
	nvmx_put_le32(&d.ksgl.key, 0xa1b2c3d4u);
	d.ksgl.id = NVMX_SGL_ID(NVMX_SGL_TYPE_KEYED_DATA, 0xf);
	assert_int_equal(b[8], 0x11);
	assert_int_equal(b[10], 0x33);
	assert_int_equal(nvmx_get_le32(b + 11), 0xa1b2c3d4u);
	assert_int_equal(b[15], 0x4f);
}

/* The TermReq FEI is an unaligned 32-bit field at bytes 13:10 (Linux: feil, feiu). */
static void tcp_term_req_fei_is_bytes_10_to_13(void **state)
{
	struct nvmx_tcp_term_req t;
	uint8_t *b = (uint8_t *)&t;

	memset(&t, 0, sizeof(t));
	nvmx_put_le32(b + offsetof(struct nvmx_tcp_term_req, fei), 0x04030201u);
	assert_int_equal(b[10], 1);
	assert_int_equal(b[13], 4);
	assert_int_equal(nvmx_get_le16(b + 10), 0x0201);	/* FEIL */
	assert_int_equal(nvmx_get_le16(b + 12), 0x0403);	/* FEIU */
}

/* &sqe->dptr is a usable pointer (the union is packed) and lands on bytes 39:24. */
static void sqe_data_pointer_by_address_lands_on_bytes_24_to_39(void **state)
{
	struct nvmx_sqe sqe;
	union nvmx_dptr *d = &sqe.dptr;
	uint8_t *b = (uint8_t *)&sqe;

	memset(&sqe, 0, sizeof(sqe));
	nvmx_put_le64(&d->prp.prp1, 0x1122334455667788ull);
	nvmx_put_le64(&d->prp.prp2, 0x99aabbccddeeff00ull);
	assert_int_equal(b[24], 0x88);
	assert_int_equal(nvmx_get_le64(b + 32), 0x99aabbccddeeff00ull);
	assert_int_equal(nvmx_get_le32(b + 40), 0);	/* CDW10 untouched */
}

static void tcp_header_digest_applies_only_to_real_capsule_and_data_pdus(void **state)
{
	assert_false(nvmx_tcp_type_has_hdgst(NVMX_TCP_ICREQ));
	assert_false(nvmx_tcp_type_has_hdgst(NVMX_TCP_C2H_TERM));
	assert_true(nvmx_tcp_type_has_hdgst(NVMX_TCP_CMD));
	assert_true(nvmx_tcp_type_has_hdgst(NVMX_TCP_R2T));
	assert_false(nvmx_tcp_type_has_hdgst(0x08));	/* no such PDU type */
	assert_false(nvmx_tcp_type_has_hdgst(0xff));
}

/* Register magic values are the ASCII strings the spec names, most significant byte first. */
static void register_magic_values_spell_their_names(void **state)
{
	assert_int_equal(NVMX_NSSR_RESET_VALUE, ('N' << 24) | ('V' << 16) | ('M' << 8) | 'e');
	assert_int_equal(NVMX_NSSD_NORMAL, ('N' << 24) | ('r' << 16) | ('m' << 8) | 'l');
	assert_int_equal(NVMX_NSSD_ABRUPT, ('A' << 24) | ('b' << 16) | ('p' << 8) | 't');
}

/* Property Get returns the value in CQE bytes 7:0, low dword first. */
static void property_get_value_spans_dw0_and_dw1(void **state)
{
	struct nvmx_cqe c;
	uint8_t *b = (uint8_t *)&c;

	memset(&c, 0, sizeof(c));
	nvmx_prop_get_rsp_set_value(&c, 0x0102030405060708ull);
	assert_int_equal(b[0], 0x08);
	assert_int_equal(b[7], 0x01);
	assert_int_equal(nvmx_le32_to_cpu(c.dw0), 0x05060708u);
	assert_int_equal(nvmx_le32_to_cpu(c.dw1), 0x01020304u);
	assert_int_equal(nvmx_prop_get_rsp_value(&c), 0x0102030405060708ull);
	assert_int_equal(nvmx_get_le16(b + 8), 0);	/* SQHD untouched */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_invalid_param_dw0_has_ipo_low_and_iattr_in_byte_2),
		cmocka_unit_test(connect_success_dw0_has_cntlid_and_authreq),
		cmocka_unit_test(connect_cattr_priority_and_sqfc_bits_are_disjoint),
		cmocka_unit_test(tcp_sgl_identifiers_match_linux_host),
		cmocka_unit_test(keyed_sgl_length_and_key_land_on_spec_bytes),
		cmocka_unit_test(tcp_term_req_fei_is_bytes_10_to_13),
		cmocka_unit_test(sqe_data_pointer_by_address_lands_on_bytes_24_to_39),
		cmocka_unit_test(tcp_header_digest_applies_only_to_real_capsule_and_data_pdus),
		cmocka_unit_test(register_magic_values_spell_their_names),
		cmocka_unit_test(property_get_value_spans_dw0_and_dw1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
