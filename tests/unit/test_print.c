/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CLI's printers on known structures: JSON parsed back and compared
 * field by field with the values put in (nvme-cli 2.3 keys), the text
 * layout's key lines, raw output byte for byte, and hostile input (bad
 * descriptor lengths, record counts beyond the buffer) handled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nvmx/le.h"
#include "print.h"

struct cap {
	char *buf;
	size_t len;
	struct nvmx_out out;
};

static void cap_open(struct cap *c, enum nvmx_out_fmt fmt, bool human)
{
	memset(c, 0, sizeof(*c));
	c->out.f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out.f);
	c->out.fmt = fmt;
	c->out.human = human;
}

static void cap_close(struct cap *c)
{
	fclose(c->out.f);
}

static struct json_object *cap_json(struct cap *c)
{
	struct json_object *o;

	cap_close(c);
	o = json_tokener_parse(c->buf);
	assert_non_null(o);
	free(c->buf);
	return o;
}

static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("missing key '%s'", k);
	return v;
}

static int64_t ikey(struct json_object *o, const char *k)
{
	struct json_object *v = key(o, k);

	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static const char *skey(struct json_object *o, const char *k)
{
	struct json_object *v = key(o, k);

	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static bool has_key(struct json_object *o, const char *k)
{
	return json_object_object_get_ex(o, k, NULL);
}

static void pad(char *dst, size_t n, const char *s)
{
	memset(dst, ' ', n);
	memcpy(dst, s, strlen(s));
}

static void make_id_ctrl(struct nvmx_id_ctrl *id)
{
	memset(id, 0, sizeof(*id));
	id->vid = nvmx_cpu_to_le16(0x1b36);
	id->ssvid = nvmx_cpu_to_le16(0x1af4);
	pad(id->sn, sizeof(id->sn), "SN123");
	pad(id->mn, sizeof(id->mn), "nvmx test");
	pad(id->fr, sizeof(id->fr), "1.0");
	id->rab = 6;
	id->ieee[0] = 0x00; id->ieee[1] = 0x54; id->ieee[2] = 0x52;	/* 525400 */
	id->cmic = 0x0b;
	id->mdts = 5;
	id->cntlid = nvmx_cpu_to_le16(0x21);
	id->ver = nvmx_cpu_to_le32(0x20000);
	id->oaes = nvmx_cpu_to_le32(0x80000900u);	/* bit 31: value above 2^31 */
	id->cntrltype = NVMX_CTRL_TYPE_IO;
	id->fguid[0] = 0x12; id->fguid[15] = 0xef;
	id->oacs = nvmx_cpu_to_le16(0x6);
	id->aerl = 3;
	id->lpa = 0x7;
	id->elpe = 63;
	id->npss = 1;
	id->wctemp = nvmx_cpu_to_le16(343);
	id->cctemp = nvmx_cpu_to_le16(373);
	nvmx_put_le128(id->tnvmcap, 1ull << 40, 0);
	nvmx_put_le128(id->unvmcap, 0, 1);	/* 2^64 */
	id->kas = nvmx_cpu_to_le16(50);
	id->sqes = 0x66;
	id->cqes = 0x44;
	id->maxcmd = nvmx_cpu_to_le16(128);
	id->nn = nvmx_cpu_to_le32(32);
	id->oncs = nvmx_cpu_to_le16(0x1d);
	id->vwc = 0x7;
	id->sgls = nvmx_cpu_to_le32(0x100005);
	strcpy(id->subnqn, "nqn.2026-11.io.nvmx:test");
	id->ioccsz = nvmx_cpu_to_le32(260);
	id->iorcsz = nvmx_cpu_to_le32(1);
	id->msdbd = 1;
	id->psd[0].mp = nvmx_cpu_to_le16(2500);
	id->psd[0].enlat = nvmx_cpu_to_le32(16);
	id->psd[0].exlat = nvmx_cpu_to_le32(4);
	id->psd[1].mp = nvmx_cpu_to_le16(800);
	id->psd[1].flags = 0x3;
	id->psd[1].idlp = nvmx_cpu_to_le16(50);
	id->psd[1].ips = 2u << 6;
	id->psd[1].apws = (1u << 6) | 2;
}

static void id_ctrl_json_has_nvme_cli_keys_and_values(void **state)
{
	struct nvmx_id_ctrl id;
	struct json_object *o, *psds, *p1;
	struct cap c;

	make_id_ctrl(&id);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_id_ctrl(&c.out, &id);
	o = cap_json(&c);

	assert_int_equal(ikey(o, "vid"), 0x1b36);
	assert_int_equal(ikey(o, "ssvid"), 0x1af4);
	/* nvme-cli keeps the blank padding of the ASCII fields */
	assert_string_equal(skey(o, "sn"), "SN123               ");
	assert_string_equal(skey(o, "mn"), "nvmx test                               ");
	assert_string_equal(skey(o, "fr"), "1.0     ");
	assert_int_equal(ikey(o, "rab"), 6);
	assert_int_equal(ikey(o, "ieee"), 0x525400);
	assert_int_equal(ikey(o, "cmic"), 0x0b);
	assert_int_equal(ikey(o, "mdts"), 5);
	assert_int_equal(ikey(o, "cntlid"), 0x21);
	assert_int_equal(ikey(o, "ver"), 0x20000);
	assert_int_equal(ikey(o, "oaes"), 0x80000900u);
	assert_int_equal(ikey(o, "cntrltype"), 1);
	assert_string_equal(skey(o, "fguid"), "12000000-0000-0000-0000-0000000000ef");
	assert_int_equal(ikey(o, "oacs"), 6);
	assert_int_equal(ikey(o, "aerl"), 3);
	assert_int_equal(ikey(o, "lpa"), 7);
	assert_int_equal(ikey(o, "elpe"), 63);
	assert_int_equal(ikey(o, "npss"), 1);
	assert_int_equal(ikey(o, "wctemp"), 343);
	assert_int_equal(ikey(o, "cctemp"), 373);
	assert_string_equal(skey(o, "tnvmcap"), "1099511627776");
	assert_string_equal(skey(o, "unvmcap"), "18446744073709551616");
	assert_string_equal(skey(o, "megcap"), "0");
	assert_int_equal(ikey(o, "kas"), 50);
	assert_int_equal(ikey(o, "sqes"), 0x66);
	assert_int_equal(ikey(o, "cqes"), 0x44);
	assert_int_equal(ikey(o, "maxcmd"), 128);
	assert_int_equal(ikey(o, "nn"), 32);
	assert_int_equal(ikey(o, "oncs"), 0x1d);
	assert_int_equal(ikey(o, "vwc"), 7);
	assert_int_equal(ikey(o, "sgls"), 0x100005);
	assert_string_equal(skey(o, "subnqn"), "nqn.2026-11.io.nvmx:test");
	assert_int_equal(ikey(o, "ioccsz"), 260);
	assert_int_equal(ikey(o, "iorcsz"), 1);
	assert_int_equal(ikey(o, "msdbd"), 1);
	assert_int_equal(ikey(o, "ofcs"), 0);
	/* every other nvme-cli key is present */
	assert_true(has_key(o, "rtd3r") && has_key(o, "crdt3") && has_key(o, "hmminds") &&
		    has_key(o, "anagrpmax") && has_key(o, "maxdna") && has_key(o, "maxcna") &&
		    has_key(o, "domainid") && has_key(o, "icdoff") && has_key(o, "fcatt"));

	psds = key(o, "psds");
	assert_int_equal(json_object_array_length(psds), 2);	/* npss is 0's based */
	assert_int_equal(ikey(json_object_array_get_idx(psds, 0), "max_power"), 2500);
	assert_int_equal(ikey(json_object_array_get_idx(psds, 0), "entry_lat"), 16);
	assert_int_equal(ikey(json_object_array_get_idx(psds, 0), "exit_lat"), 4);
	p1 = json_object_array_get_idx(psds, 1);
	assert_int_equal(ikey(p1, "flags"), 3);
	assert_int_equal(ikey(p1, "idle_power"), 50);
	assert_int_equal(ikey(p1, "idle_scale"), 2);
	assert_int_equal(ikey(p1, "active_power_work"), 2);
	assert_int_equal(ikey(p1, "active_scale"), 1);
	json_object_put(o);
}

static void id_ctrl_json_omits_empty_subnqn(void **state)
{
	struct nvmx_id_ctrl id;
	struct json_object *o;
	struct cap c;

	make_id_ctrl(&id);
	memset(id.subnqn, 0, sizeof(id.subnqn));
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_id_ctrl(&c.out, &id);
	o = cap_json(&c);
	assert_false(has_key(o, "subnqn"));
	json_object_put(o);
}

static void id_ctrl_text_has_nvme_cli_lines(void **state)
{
	struct nvmx_id_ctrl id;
	struct cap c;

	make_id_ctrl(&id);
	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_id_ctrl(&c.out, &id);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "NVME Identify Controller:\n"));
	assert_non_null(strstr(c.buf, "\nvid       : 0x1b36\n"));
	assert_non_null(strstr(c.buf, "\nsn        : SN123               \n"));
	assert_non_null(strstr(c.buf, "\nieee      : 525400\n"));
	assert_non_null(strstr(c.buf, "\noaes      : 0x80000900\n"));
	assert_non_null(strstr(c.buf, "\ntnvmcap   : 1099511627776\n"));
	assert_non_null(strstr(c.buf, "\nsubnqn    : nqn.2026-11.io.nvmx:test\n"));
	assert_non_null(strstr(c.buf, "\nps      0 : mp:25.00W operational enlat:16 exlat:4"));
	assert_non_null(strstr(c.buf, "\nps      1 : mp:0.0800W non-operational"));
	assert_non_null(strstr(c.buf, "idle_power:0.50W active_power:0.0000W"));
	/* no -H: no decoding */
	assert_null(strstr(c.buf, "Supported"));
	free(c.buf);
}

static void id_ctrl_human_decodes_bits_and_reserved(void **state)
{
	struct nvmx_id_ctrl id;
	struct cap c;

	make_id_ctrl(&id);
	id.oacs = nvmx_cpu_to_le16(0x8006);	/* bit 15 reserved */
	cap_open(&c, NVMX_OUT_NORMAL, true);
	nvmx_print_id_ctrl(&c.out, &id);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "  [3:3] : 0x1\tANA supported\n"));
	assert_non_null(strstr(c.buf, "  [0:0] : 0x1\tMulti Port\n"));
	assert_non_null(strstr(c.buf, "  [31:31] : 0x1\tDiscovery Log Change Notice Supported\n"));
	assert_non_null(strstr(c.buf, "  [8:8] : 0x1\tNamespace Attribute Changed Event Supported\n"));
	assert_non_null(strstr(c.buf, "  [15:11] : 0x10\tReserved\n"));
	assert_non_null(strstr(c.buf, "  [2:2] : 0x1\tFW Commit and Download Supported\n"));
	assert_non_null(strstr(c.buf, "  [0:0] : 0\tSecurity Send and Receive Not Supported\n"));
	assert_non_null(strstr(c.buf, "70°C (343 Kelvin)\tWarning Composite Temperature"));
	assert_non_null(strstr(c.buf, "  [2:1] : 0x3\tThe Flush command supports NSID set to FFFFFFFFh\n"));
	assert_non_null(strstr(c.buf, "  [7:4] : 0x6\tMax SQ Entry Size (64)\n"));
	free(c.buf);
}

static void id_ctrl_binary_is_the_structure(void **state)
{
	struct nvmx_id_ctrl id;
	struct cap c;

	make_id_ctrl(&id);
	cap_open(&c, NVMX_OUT_BINARY, false);
	nvmx_print_id_ctrl(&c.out, &id);
	cap_close(&c);
	assert_int_equal(c.len, sizeof(id));
	assert_memory_equal(c.buf, &id, sizeof(id));
	free(c.buf);
}

static void make_id_ns(struct nvmx_id_ns *ns)
{
	unsigned i;

	memset(ns, 0, sizeof(*ns));
	ns->nsze = nvmx_cpu_to_le64(0x40000);
	ns->ncap = nvmx_cpu_to_le64(0x40000);
	ns->nuse = nvmx_cpu_to_le64(0x1000);
	ns->nsfeat = 0x14;	/* OPT_PERF: npwg..nows appear */
	ns->nlbaf = 1;
	ns->flbas = 0x1;
	ns->dlfeat = 0x9;
	ns->npwg = nvmx_cpu_to_le16(7);
	ns->nows = nvmx_cpu_to_le16(15);
	nvmx_put_le128(ns->nvmcap, 0x40000ull * 4096, 0);
	ns->mcl = nvmx_cpu_to_le32(1024);
	ns->anagrpid = nvmx_cpu_to_le32(1);
	ns->endgid = nvmx_cpu_to_le16(2);
	for (i = 0; i < 16; i++)
		ns->nguid[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < 8; i++)
		ns->eui64[i] = (uint8_t)(0x10 + i);
	ns->lbaf[0].lbads = 9;
	ns->lbaf[1].lbads = 12;
	ns->lbaf[1].ms = nvmx_cpu_to_le16(8);
	ns->lbaf[1].rp = 2;
}

static void id_ns_json_has_nvme_cli_keys_and_values(void **state)
{
	struct nvmx_id_ns ns;
	struct json_object *o, *lbafs;
	struct cap c;

	make_id_ns(&ns);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_id_ns(&c.out, &ns, 1);
	o = cap_json(&c);
	assert_int_equal(ikey(o, "nsze"), 0x40000);
	assert_int_equal(ikey(o, "ncap"), 0x40000);
	assert_int_equal(ikey(o, "nuse"), 0x1000);
	assert_int_equal(ikey(o, "nsfeat"), 0x14);
	assert_int_equal(ikey(o, "nlbaf"), 1);
	assert_int_equal(ikey(o, "flbas"), 1);
	assert_int_equal(ikey(o, "dlfeat"), 9);
	assert_int_equal(ikey(o, "npwg"), 7);
	assert_int_equal(ikey(o, "nows"), 15);
	assert_string_equal(skey(o, "nvmcap"), "1073741824");
	assert_int_equal(ikey(o, "mcl"), 1024);
	assert_int_equal(ikey(o, "anagrpid"), 1);
	assert_int_equal(ikey(o, "endgid"), 2);
	assert_int_equal(ikey(o, "nvmsetid"), 0);
	assert_string_equal(skey(o, "nguid"), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
	assert_string_equal(skey(o, "eui64"), "1011121314151617");
	lbafs = key(o, "lbafs");
	assert_int_equal(json_object_array_length(lbafs), 2);
	assert_int_equal(ikey(json_object_array_get_idx(lbafs, 1), "ds"), 12);
	assert_int_equal(ikey(json_object_array_get_idx(lbafs, 1), "ms"), 8);
	assert_int_equal(ikey(json_object_array_get_idx(lbafs, 1), "rp"), 2);
	json_object_put(o);

	ns.nsfeat = 0;	/* without OPT_PERF the performance fields are left out */
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_id_ns(&c.out, &ns, 1);
	o = cap_json(&c);
	assert_false(has_key(o, "npwg"));
	assert_true(has_key(o, "mssrl"));
	json_object_put(o);
}

static void id_ns_text_marks_lba_format_in_use(void **state)
{
	struct nvmx_id_ns ns;
	struct cap c;

	make_id_ns(&ns);
	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_id_ns(&c.out, &ns, 1);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "NVME Identify Namespace 1:\nnsze    : 0x40000\n"));
	assert_non_null(strstr(c.buf, "lbaf  0 : ms:0   lbads:9  rp:0 \n"));
	assert_non_null(strstr(c.buf, "lbaf  1 : ms:8   lbads:12 rp:0x2 (in use)\n"));
	free(c.buf);

	cap_open(&c, NVMX_OUT_NORMAL, true);
	nvmx_print_id_ns(&c.out, &ns, 1);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "LBA Format  1 : Metadata Size: 8   bytes - Data Size: 4096 bytes"
				      " - Relative Performance: 0x2 Good (in use)\n"));
	assert_non_null(strstr(c.buf, "Deallocate Bit in the Write Zeroes Command is Supported"));
	free(c.buf);
}

static void put_desc(uint8_t *buf, unsigned *pos, uint8_t nidt, uint8_t nidl, const uint8_t *v)
{
	buf[*pos] = nidt;
	buf[*pos + 1] = nidl;
	memcpy(buf + *pos + 4, v, nidl);
	*pos += 4u + nidl;
}

static void ns_descs_json_lists_each_descriptor(void **state)
{
	static const uint8_t eui[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t uuid[16] = { 0xde, 0xad, 0xbe, 0xef, [15] = 0x01 };
	static const uint8_t unknown[5] = { 9, 9, 9, 9, 9 };
	static const uint8_t csi[1] = { 0 };
	uint8_t buf[4096] = { 0 };
	struct json_object *o, *arr, *e;
	unsigned pos = 0;
	struct cap c;

	put_desc(buf, &pos, NVMX_NIDT_EUI64, 8, eui);
	put_desc(buf, &pos, 0x7, 5, unknown);	/* unknown type: skipped */
	put_desc(buf, &pos, NVMX_NIDT_UUID, 16, uuid);
	put_desc(buf, &pos, NVMX_NIDT_CSI, 1, csi);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_ns_descs(&c.out, buf, 1);
	o = cap_json(&c);
	arr = key(o, "ns-descs");
	assert_int_equal(json_object_array_length(arr), 3);
	e = json_object_array_get_idx(arr, 0);
	assert_int_equal(ikey(e, "loc"), 0);
	assert_int_equal(ikey(e, "nidt"), 1);
	assert_int_equal(ikey(e, "nidl"), 8);
	assert_string_equal(skey(e, "type"), "eui64");
	assert_string_equal(skey(e, "eui64"), "0102030405060708");
	e = json_object_array_get_idx(arr, 1);
	assert_int_equal(ikey(e, "loc"), 21);
	assert_string_equal(skey(e, "uuid"), "deadbeef-0000-0000-0000-000000000001");
	e = json_object_array_get_idx(arr, 2);
	assert_string_equal(skey(e, "csi"), "0");
	json_object_put(o);
}

static void ns_descs_stop_at_bad_length(void **state)
{
	static const uint8_t eui[9] = { 0 };
	uint8_t buf[4096];
	struct json_object *o;
	unsigned pos = 0;
	struct cap c;

	memset(buf, 0, sizeof(buf));
	put_desc(buf, &pos, NVMX_NIDT_EUI64, 9, eui);	/* EUI-64 must be 8 bytes */
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_ns_descs(&c.out, buf, 1);
	o = cap_json(&c);
	assert_false(has_key(o, "ns-descs"));
	json_object_put(o);

	/* a descriptor running past the end of the 4 KiB page */
	memset(buf, 0xff, sizeof(buf));
	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_ns_descs(&c.out, buf, 1);
	cap_close(&c);
	assert_string_equal(c.buf, "NVME Namespace Identification Descriptors NS 1:\n");
	free(c.buf);
}

static void list_ns_json_and_text(void **state)
{
	struct nvmx_ns_list l;
	struct json_object *o, *arr;
	struct cap c;

	memset(&l, 0, sizeof(l));
	l.nsid[0] = nvmx_cpu_to_le32(1);
	l.nsid[1] = nvmx_cpu_to_le32(7);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_list_ns(&c.out, &l);
	o = cap_json(&c);
	arr = key(o, "nsid_list");
	assert_int_equal(json_object_array_length(arr), 2);
	assert_int_equal(ikey(json_object_array_get_idx(arr, 1), "nsid"), 7);
	json_object_put(o);

	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_list_ns(&c.out, &l);
	cap_close(&c);
	assert_string_equal(c.buf, "[   0]:0x1\n[   1]:0x7\n");
	free(c.buf);
}

static void make_smart(struct nvmx_smart_log *s)
{
	memset(s, 0, sizeof(*s));
	s->critical_warning = NVMX_CW_SPARE | NVMX_CW_READ_ONLY;
	s->temperature[0] = 0x3c;	/* 316 K */
	s->temperature[1] = 0x01;
	s->avail_spare = 90;
	s->spare_thresh = 10;
	s->percent_used = 3;
	nvmx_put_le128(s->data_units_read, 1000, 0);
	nvmx_put_le128(s->data_units_written, 5, 0);
	nvmx_put_le128(s->host_reads, 123456789ull, 0);
	nvmx_put_le128(s->power_on_hours, 0, 2);	/* 2^65 */
	nvmx_put_le128(s->media_errors, 4, 0);
	s->warning_temp_time = nvmx_cpu_to_le32(11);
	s->temp_sensor[1] = nvmx_cpu_to_le16(300);
	s->thm_temp2_total_time = nvmx_cpu_to_le32(77);
}

static void smart_log_json_has_nvme_cli_keys_and_values(void **state)
{
	struct nvmx_smart_log s;
	struct json_object *o, *cw;
	struct cap c;

	make_smart(&s);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_smart_log(&c.out, &s, 0xffffffff, "tcp0");
	o = cap_json(&c);
	assert_int_equal(ikey(o, "critical_warning"), 9);
	assert_int_equal(ikey(o, "temperature"), 316);
	assert_int_equal(ikey(o, "avail_spare"), 90);
	assert_int_equal(ikey(o, "spare_thresh"), 10);
	assert_int_equal(ikey(o, "percent_used"), 3);
	assert_int_equal(ikey(o, "endurance_grp_critical_warning_summary"), 0);
	assert_string_equal(skey(o, "data_units_read"), "1000");
	assert_string_equal(skey(o, "data_units_written"), "5");
	assert_string_equal(skey(o, "host_read_commands"), "123456789");
	assert_string_equal(skey(o, "host_write_commands"), "0");
	assert_string_equal(skey(o, "power_on_hours"), "36893488147419103232");
	assert_string_equal(skey(o, "media_errors"), "4");
	assert_string_equal(skey(o, "num_err_log_entries"), "0");
	assert_int_equal(ikey(o, "warning_temp_time"), 11);
	assert_int_equal(ikey(o, "critical_comp_time"), 0);
	assert_false(has_key(o, "temperature_sensor_1"));	/* 0: not reported */
	assert_int_equal(ikey(o, "temperature_sensor_2"), 300);
	assert_int_equal(ikey(o, "thm_temp2_total_time"), 77);
	json_object_put(o);

	cap_open(&c, NVMX_OUT_JSON, true);	/* -H: the warning bits one by one */
	nvmx_print_smart_log(&c.out, &s, 1, "tcp0");
	o = cap_json(&c);
	cw = key(o, "critical_warning");
	assert_int_equal(ikey(cw, "value"), 9);
	assert_int_equal(ikey(cw, "available_spare"), 1);
	assert_int_equal(ikey(cw, "temp_threshold"), 0);
	assert_int_equal(ikey(cw, "ro"), 1);
	assert_int_equal(ikey(cw, "pmr_ro"), 0);
	json_object_put(o);
}

static void smart_log_text_lines(void **state)
{
	struct nvmx_smart_log s;
	struct cap c;

	make_smart(&s);
	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_smart_log(&c.out, &s, 0xffffffff, "tcp0");
	cap_close(&c);
	assert_non_null(strstr(c.buf, "Smart Log for NVME device:tcp0 namespace-id:ffffffff\n"));
	assert_non_null(strstr(c.buf, "critical_warning\t\t\t: 0x9\n"));
	assert_non_null(strstr(c.buf, "temperature\t\t\t\t: 43°C (316 Kelvin)\n"));
	assert_non_null(strstr(c.buf, "Data Units Read\t\t\t\t: 1000 (512.00 MB)\n"));
	assert_non_null(strstr(c.buf, "host_read_commands\t\t\t: 123456789\n"));
	assert_non_null(strstr(c.buf, "Temperature Sensor 2           : 27°C (300 Kelvin)\n"));
	free(c.buf);
}

static void error_log_json_splits_status_and_phase(void **state)
{
	struct nvmx_error_log_entry e[2];
	struct json_object *o, *arr, *x;
	struct cap c;

	memset(e, 0, sizeof(e));
	e[0].error_count = nvmx_cpu_to_le64(42);
	e[0].sqid = nvmx_cpu_to_le16(1);
	e[0].cid = nvmx_cpu_to_le16(0x77);
	/* LBA Out of Range, DNR, phase 1 */
	e[0].status = nvmx_cpu_to_le16((uint16_t)(nvmx_st_make(NVMX_SCT_GENERIC, NVMX_SC_LBA_RANGE, 1) | 1));
	e[0].lba = nvmx_cpu_to_le64(0x123456789ull);
	e[0].nsid = nvmx_cpu_to_le32(1);
	e[0].trtype = NVMX_TRTYPE_TCP;
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_error_log(&c.out, e, 2, "tcp0");
	o = cap_json(&c);
	arr = key(o, "errors");
	assert_int_equal(json_object_array_length(arr), 2);
	x = json_object_array_get_idx(arr, 0);
	assert_int_equal(ikey(x, "error_count"), 42);
	assert_int_equal(ikey(x, "sqid"), 1);
	assert_int_equal(ikey(x, "cmdid"), 0x77);
	assert_int_equal(ikey(x, "status_field"), 0x4080);
	assert_int_equal(ikey(x, "phase_tag"), 1);
	assert_int_equal(ikey(x, "lba"), 0x123456789ll);
	assert_int_equal(ikey(x, "nsid"), 1);
	assert_int_equal(ikey(x, "trtype"), 3);
	json_object_put(o);

	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_error_log(&c.out, e, 1, "tcp0");
	cap_close(&c);
	assert_non_null(strstr(c.buf, "status_field\t: 0x4080(LBA Out of Range)\n"));
	assert_non_null(strstr(c.buf, "trtype\t\t: tcp\n"));
	free(c.buf);
}

static void fw_log_json_names_filled_slots(void **state)
{
	struct nvmx_fw_slot_log fw;
	struct json_object *o, *si;
	struct cap c;
	char want[64];

	memset(&fw, 0, sizeof(fw));
	fw.afi = 0x11;
	memcpy(fw.frs[0], "1.0     ", 8);
	memcpy(fw.frs[2], "2.1     ", 8);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_fw_log(&c.out, &fw, "tcp0");
	o = cap_json(&c);
	si = key(o, "tcp0");
	assert_int_equal(ikey(si, "Active Firmware Slot (afi)"), 0x11);
	snprintf(want, sizeof(want), "%llu (1.0     )",
		 (unsigned long long)nvmx_get_le64(fw.frs[0]));
	assert_string_equal(skey(si, "Firmware Rev Slot 1"), want);
	assert_false(has_key(si, "Firmware Rev Slot 2"));
	assert_true(has_key(si, "Firmware Rev Slot 3"));
	json_object_put(o);
}

static void fill_entry(struct nvmx_disc_log_entry *e, uint8_t subtype, const char *nqn,
		       const char *port)
{
	memset(e, 0, sizeof(*e));
	e->trtype = NVMX_TRTYPE_TCP;
	e->adrfam = NVMX_ADRFAM_IPV4;
	e->subtype = subtype;
	e->treq = NVMX_TREQ_SECURE_NOT_REQUIRED | NVMX_TREQ_DISABLE_SQFLOW;
	e->portid = nvmx_cpu_to_le16(1);
	e->cntlid = nvmx_cpu_to_le16(0xffff);
	memset(e->trsvcid, ' ', sizeof(e->trsvcid));
	memcpy(e->trsvcid, port, strlen(port));
	memset(e->traddr, ' ', sizeof(e->traddr));
	memcpy(e->traddr, "127.0.0.1", 9);
	strcpy(e->subnqn, nqn);
}

static void disc_log_json_and_truncated_buffer(void **state)
{
	size_t len = sizeof(struct nvmx_disc_log_hdr) + 2 * sizeof(struct nvmx_disc_log_entry);
	struct nvmx_disc_log_hdr *log = calloc(1, len);
	struct json_object *o, *recs, *r;
	struct cap c;

	assert_non_null(log);
	log->genctr = nvmx_cpu_to_le64(5);
	log->numrec = nvmx_cpu_to_le64(3);	/* one more than the buffer holds */
	fill_entry(&log->entries[0], NVMX_SUBTYPE_CURRENT_DISCOVERY, NVMX_DISC_SUBSYS_NAME, "4420");
	fill_entry(&log->entries[1], NVMX_SUBTYPE_NVME, "nqn.2026-11.io.nvmx:ram0", "4420");
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_disc_log(&c.out, log, len);
	o = cap_json(&c);
	assert_int_equal(ikey(o, "genctr"), 5);
	recs = key(o, "records");
	assert_int_equal(json_object_array_length(recs), 2);
	r = json_object_array_get_idx(recs, 1);
	assert_string_equal(skey(r, "trtype"), "tcp");
	assert_string_equal(skey(r, "adrfam"), "ipv4");
	assert_string_equal(skey(r, "subtype"), "nvme subsystem");
	assert_string_equal(skey(r, "treq"), "not required, sq flow control disable supported");
	assert_int_equal(ikey(r, "portid"), 1);
	assert_string_equal(skey(r, "trsvcid"), "4420");
	assert_string_equal(skey(r, "subnqn"), "nqn.2026-11.io.nvmx:ram0");
	assert_string_equal(skey(r, "traddr"), "127.0.0.1");
	assert_string_equal(skey(r, "eflags"), "none");
	assert_string_equal(skey(r, "sectype"), "none");
	assert_string_equal(skey(json_object_array_get_idx(recs, 0), "subtype"),
			    "current discovery subsystem");
	json_object_put(o);

	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_disc_log(&c.out, log, len);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "Discovery Log Number of Records 2, Generation counter 5\n"));
	assert_non_null(strstr(c.buf, "=====Discovery Log Entry 1======\ntrtype:  tcp\nadrfam:  ipv4\n"));
	free(c.buf);

	/* a buffer shorter than the header: no records read */
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_disc_log(&c.out, log, 16);
	o = cap_json(&c);
	assert_int_equal(json_object_array_length(key(o, "records")), 0);
	json_object_put(o);
	free(log);
}

static void regs_json_and_fabrics_text(void **state)
{
	uint8_t bar[NVMX_REGS_IMAGE_LEN];
	uint64_t cap = 0x7full | (1ull << 16) | (20ull << 24) | (1ull << 37);
	struct json_object *o;
	struct cap c;

	memset(bar, 0xff, sizeof(bar));
	nvmx_put_le64(bar + NVMX_REG_CAP, cap);
	nvmx_put_le32(bar + NVMX_REG_VS, NVMX_VS(2, 0, 0));
	nvmx_put_le32(bar + NVMX_REG_CC, 0x460001);
	nvmx_put_le32(bar + NVMX_REG_CSTS, 1);
	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_regs(&c.out, bar, true);
	o = cap_json(&c);
	assert_int_equal(ikey(o, "cap"), (int64_t)cap);
	assert_int_equal(ikey(o, "vs"), 0x20000);
	assert_int_equal(ikey(o, "cc"), 0x460001);
	assert_int_equal(ikey(o, "csts"), 1);
	assert_int_equal(ikey(o, "nssr"), 0xffffffffll);
	assert_true(has_key(o, "pmrmscu"));
	json_object_put(o);

	cap_open(&c, NVMX_OUT_NORMAL, true);
	nvmx_print_regs(&c.out, bar, true);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "cap     : 201401007f\n"));
	assert_non_null(strstr(c.buf, "\tMaximum Queue Entries Supported    (MQES): 128\n"));
	assert_non_null(strstr(c.buf, "\tTimeout                              (TO): 10000 ms\n"));
	assert_non_null(strstr(c.buf, "version : 20000\n\tNVMe specification 2.0\n"));
	assert_non_null(strstr(c.buf, "\tI/O Submission Queue Entry Size (IOSQES): 64 bytes\n"));
	assert_non_null(strstr(c.buf, "\tReady                          (RDY): Yes\n"));
	assert_null(strstr(c.buf, "nssr"));	/* all ones: not returned, not printed */
	assert_null(strstr(c.buf, "aqa"));	/* PCIe only */
	free(c.buf);
}

static void feature_text_json_and_fields(void **state)
{
	struct json_object *o;
	struct cap c;

	cap_open(&c, NVMX_OUT_NORMAL, true);
	nvmx_print_feature(&c.out, NVMX_FID_NUM_QUEUES, 0, 0x000f0003, NULL, 0);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "get-feature:0x07 (Number of Queues), Current value:0x000f0003\n"));
	assert_non_null(strstr(c.buf, "(NCQA): 16\n"));
	assert_non_null(strstr(c.buf, "(NSQA): 4\n"));
	free(c.buf);

	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_print_feature(&c.out, NVMX_FID_KATO, 3, 0x5, NULL, 0);
	cap_close(&c);
	assert_non_null(strstr(c.buf, "Supported capabilities value:0x00000005\n"));
	assert_non_null(strstr(c.buf, "  Feature is saveable\n  Feature is changeable\n"));
	free(c.buf);

	cap_open(&c, NVMX_OUT_JSON, false);
	nvmx_print_feature(&c.out, NVMX_FID_TEMP_THRESH, 0, 343, NULL, 0);
	o = cap_json(&c);
	assert_int_equal(ikey(o, "feature_id"), 4);
	assert_string_equal(skey(o, "name"), nvmx_feature_name(NVMX_FID_TEMP_THRESH));
	assert_int_equal(ikey(o, "value"), 343);
	assert_string_equal(skey(o, "sel_name"), "Current");
	json_object_put(o);
}

static void hexdump_layout_matches_nvme_cli(void **state)
{
	uint8_t b[18];
	struct cap c;
	unsigned i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)('A' + i);
	cap_open(&c, NVMX_OUT_NORMAL, false);
	nvmx_out_hexdump(c.out.f, b, sizeof(b));
	cap_close(&c);
	assert_string_equal(c.buf,
		"       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
		"0000: 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 \"ABCDEFGHIJKLMNOP\"\n"
		"0010: 51 52                                           \"QR\"\n");
	free(c.buf);
}

static void output_format_names(void **state)
{
	enum nvmx_out_fmt f;

	assert_int_equal(nvmx_out_parse_fmt("json", &f), 0);
	assert_int_equal(f, NVMX_OUT_JSON);
	assert_int_equal(nvmx_out_parse_fmt("binary", &f), 0);
	assert_int_equal(f, NVMX_OUT_BINARY);
	assert_int_equal(nvmx_out_parse_fmt("normal", &f), 0);
	assert_int_equal(f, NVMX_OUT_NORMAL);
	assert_int_equal(nvmx_out_parse_fmt("yaml", &f), -EINVAL);
}

/* Any bytes at all, every printer, every format: no crash, valid JSON
 * (ASan/UBSan run this too). */
static void printers_survive_random_bytes(void **state)
{
	static uint8_t buf[8192] __attribute__((aligned(8)));
	uint64_t x = 0x243f6a8885a308d3ull;
	unsigned it, i, f;

	for (it = 0; it < 200; it++) {
		for (i = 0; i < sizeof(buf); i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		for (f = 0; f < 4; f++) {
			struct nvmx_out o;
			struct cap c;

			cap_open(&c, f == 3 ? NVMX_OUT_NORMAL : (enum nvmx_out_fmt)f, f == 3);
			o = c.out;
			o.vs = true;
			nvmx_print_id_ctrl(&o, (const void *)buf);
			nvmx_print_id_ns(&o, (const void *)buf, 1);
			nvmx_print_ns_descs(&o, buf, 1);
			nvmx_print_list_ns(&o, (const void *)buf);
			nvmx_print_smart_log(&o, (const void *)buf, 1, "x");
			nvmx_print_error_log(&o, (const void *)buf, 64, "x");
			nvmx_print_fw_log(&o, (const void *)buf, "x");
			nvmx_print_disc_log(&o, (const void *)buf, sizeof(buf));
			nvmx_print_regs(&o, buf, it & 1);
			nvmx_print_feature(&o, buf[0], buf[1] & 3, nvmx_get_le32(buf + 4), buf + 8, buf[2]);
			nvmx_print_raw_log(&o, buf[0], 1, buf, 64, "x");
			cap_close(&c);
			free(c.buf);
		}
	}
	for (i = 0; i < 64; i++) {	/* the JSON parses back */
		struct json_object *o;
		struct cap c;

		buf[25] = (uint8_t)i;	/* nlbaf of an id-ns */
		cap_open(&c, NVMX_OUT_JSON, false);
		nvmx_print_id_ns(&c.out, (const void *)buf, 1);
		o = cap_json(&c);
		assert_int_equal(json_object_array_length(key(o, "lbafs")), i + 1);
		json_object_put(o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_ctrl_json_has_nvme_cli_keys_and_values),
		cmocka_unit_test(id_ctrl_json_omits_empty_subnqn),
		cmocka_unit_test(id_ctrl_text_has_nvme_cli_lines),
		cmocka_unit_test(id_ctrl_human_decodes_bits_and_reserved),
		cmocka_unit_test(id_ctrl_binary_is_the_structure),
		cmocka_unit_test(id_ns_json_has_nvme_cli_keys_and_values),
		cmocka_unit_test(id_ns_text_marks_lba_format_in_use),
		cmocka_unit_test(ns_descs_json_lists_each_descriptor),
		cmocka_unit_test(ns_descs_stop_at_bad_length),
		cmocka_unit_test(list_ns_json_and_text),
		cmocka_unit_test(smart_log_json_has_nvme_cli_keys_and_values),
		cmocka_unit_test(smart_log_text_lines),
		cmocka_unit_test(error_log_json_splits_status_and_phase),
		cmocka_unit_test(fw_log_json_names_filled_slots),
		cmocka_unit_test(disc_log_json_and_truncated_buffer),
		cmocka_unit_test(regs_json_and_fabrics_text),
		cmocka_unit_test(feature_text_json_and_fields),
		cmocka_unit_test(hexdump_layout_matches_nvme_cli),
		cmocka_unit_test(output_format_names),
		cmocka_unit_test(printers_survive_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
