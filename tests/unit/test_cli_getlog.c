/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The commands the CLI builds itself (tools/nvmx/cli.c), checked on the
 * SQEs it hands to the library: Property Get/Set encode size and offset and
 * take the value from DW0/DW1; Get Log Page goes to the library with the
 * caller's LSP, RAE and offset.  The library is stubbed (SPDK's pattern:
 * include the .c under test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/nvmx/cli.c"

#include "admin_sync_stub.h"

static struct {
	unsigned calls;
	uint8_t lid, lsp;
	uint32_t nsid, len;
	bool rae;
	uint64_t offset;
	void *buf;
} gl;

int nvmx_get_log_ext_sync(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint8_t lsp,
			  bool rae, uint64_t offset, void *buf, uint32_t len)
{
	(void)ctrl;
	gl.calls++;
	gl.lid = lid;
	gl.nsid = nsid;
	gl.lsp = lsp;
	gl.rae = rae;
	gl.offset = offset;
	gl.buf = buf;
	gl.len = len;
	return 0;
}
uint64_t nvmx_ctrl_cap(const struct nvmx_ctrl *ctrl) { (void)ctrl; return 0; }
uint32_t nvmx_ctrl_vs(const struct nvmx_ctrl *ctrl) { (void)ctrl; return 0; }
const char *nvmx_ctrl_errmsg(const struct nvmx_ctrl *ctrl) { (void)ctrl; return ""; }
const struct nvmx_ns_info *nvmx_ctrl_ns(const struct nvmx_ctrl *ctrl, uint32_t nsid)
{ (void)ctrl; (void)nsid; return NULL; }
unsigned int nvmx_ctrl_num_ns(const struct nvmx_ctrl *ctrl) { (void)ctrl; return 0; }
int nvmx_trid_parse(struct nvmx_trid *trid, const char *str, char *err, size_t errlen)
{ (void)trid; (void)str; (void)err; (void)errlen; return -EINVAL; }
int nvmx_trid_format(const struct nvmx_trid *trid, char *buf, size_t len)
{ (void)trid; (void)buf; (void)len; return -EINVAL; }
void nvmx_ctrl_opts_init(struct nvmx_ctrl_opts *opts, size_t size) { memset(opts, 0, size); }
int nvmx_ctrl_connect(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts,
		      struct nvmx_ctrl **ctrlp) { (void)trid; (void)opts; *ctrlp = NULL; return -ENOTCONN; }
int nvmx_ctrl_disconnect(struct nvmx_ctrl *ctrl) { (void)ctrl; return 0; }
int nvmx_qpair_alloc(struct nvmx_ctrl *ctrl, unsigned int depth, struct nvmx_qpair **qpp)
{ (void)ctrl; (void)depth; *qpp = NULL; return -ENOTCONN; }
void nvmx_qpair_free(struct nvmx_qpair *qp) { (void)qp; }

static struct cli_dev dev(bool fabrics)
{
	struct cli_dev d;

	memset(&d, 0, sizeof(d));
	d.cmd = "test";
	d.fabrics = fabrics;
	nsqe = 0;
	return d;
}

/* The CLI hands Get Log Page to the library as asked (the splitting and
 * RAE handling are tested in test_host_logpage.c). */
static void get_log_passes_lsp_rae_and_offset_to_the_library(void **state)
{
	static uint8_t buf[64];
	struct cli_dev d = dev(true);

	assert_int_equal(cli_get_log(&d, NVMX_LID_ERROR, 5, 0x7f, false, 8, buf, 64), 0);
	assert_int_equal(gl.calls, 1);
	assert_int_equal(gl.lid, NVMX_LID_ERROR);
	assert_int_equal(gl.nsid, 5);
	assert_int_equal(gl.lsp, 0x7f);
	assert_false(gl.rae);
	assert_true(gl.offset == 8);
	assert_int_equal(gl.len, 64);
	assert_ptr_equal(gl.buf, buf);
}

static void property_get_and_set_encoding(void **state)
{
	struct cli_dev d = dev(true);
	const struct nvmx_prop_get_cmd *g;
	const struct nvmx_prop_set_cmd *s;
	uint64_t v = 0;

	next_cqe.dw0 = nvmx_cpu_to_le32(0x0f01007f);
	next_cqe.dw1 = nvmx_cpu_to_le32(0x30);
	assert_int_equal(cli_reg_read(&d, NVMX_REG_CAP, 8, &v), 0);
	assert_true(v == 0x300f01007full);
	g = (const struct nvmx_prop_get_cmd *)&sqes[0];
	assert_int_equal(g->opc, NVMX_ADM_FABRICS);
	assert_int_equal(g->fctype, NVMX_FCTYPE_PROPERTY_GET);
	assert_int_equal(g->attrib, 1);
	assert_int_equal(nvmx_le32_to_cpu(g->offset), NVMX_REG_CAP);
	assert_int_equal(cli_reg_read(&d, NVMX_REG_CSTS, 4, &v), 0);
	assert_int_equal(v, 0x0f01007f);	/* 4 bytes: DW0 only */
	assert_int_equal(cli_reg_write(&d, NVMX_REG_NSSR, 4, NVMX_NSSR_RESET_VALUE), 0);
	s = (const struct nvmx_prop_set_cmd *)&sqes[2];
	assert_int_equal(s->fctype, NVMX_FCTYPE_PROPERTY_SET);
	assert_int_equal(s->attrib, 0);
	assert_int_equal(nvmx_le32_to_cpu(s->offset), NVMX_REG_NSSR);
	assert_true(nvmx_le64_to_cpu(s->value) == NVMX_NSSR_RESET_VALUE);

	d = dev(false);	/* PCIe: no property commands */
	assert_int_equal(cli_reg_write(&d, NVMX_REG_CC, 4, 0), -EOPNOTSUPP);
	assert_int_equal(nsqe, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_log_passes_lsp_rae_and_offset_to_the_library),
		cmocka_unit_test(property_get_and_set_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
