/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The commands the CLI builds itself (tools/nvmx/cli.c), checked on the
 * SQEs it hands to the library: Get Log Page keeps RAE set unless asked
 * (and then clears it only on the last piece), splits at the transfer
 * limit with the right NUMD and offsets, carries LSP; Property Get/Set
 * encode size and offset and take the value from DW0/DW1.  The library is
 * stubbed (SPDK's pattern: include the .c under test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/nvmx/cli.c"

#define MAX_SQES 16
static struct nvmx_sqe sqes[MAX_SQES];
static uint32_t lens[MAX_SQES];
static unsigned nsqe;
static uint32_t max_xfer = 4096;
static struct nvmx_cqe next_cqe;

int nvmx_admin_sync(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
		    uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe)
{
	(void)ctrl; (void)dir;
	if (nsqe < MAX_SQES) {
		sqes[nsqe] = *sqe;
		lens[nsqe] = len;
	}
	nsqe++;
	if (buf)
		memset(buf, 0xab, len);
	if (cqe)
		*cqe = next_cqe;
	return 0;
}

uint32_t nvmx_ctrl_max_xfer(const struct nvmx_ctrl *ctrl) { (void)ctrl; return max_xfer; }
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

static uint32_t cdw(const struct nvmx_sqe *s, int n)
{
	return nvmx_get_le32((const uint8_t *)s + 40 + 4 * (n - 10));	/* CDW10 at byte 40 */
}

static void get_log_keeps_rae_and_splits_at_the_transfer_limit(void **state)
{
	static uint8_t buf[10000];
	struct cli_dev d = dev(true);
	unsigned i;

	max_xfer = 4096;
	assert_int_equal(cli_get_log(&d, NVMX_LID_SMART, 0xffffffff, 0, true, 8, buf, 10000), 0);
	assert_int_equal(nsqe, 3);
	for (i = 0; i < 3; i++) {
		uint32_t numd = cdw(&sqes[i], 10) >> 16 | (cdw(&sqes[i], 11) & 0xffff) << 16;
		uint64_t off = cdw(&sqes[i], 12) | (uint64_t)cdw(&sqes[i], 13) << 32;

		assert_int_equal(sqes[i].opc, NVMX_ADM_GET_LOG_PAGE);
		assert_int_equal(nvmx_le32_to_cpu(sqes[i].nsid), 0xffffffff);
		assert_int_equal(cdw(&sqes[i], 10) & 0xff, NVMX_LID_SMART);
		assert_true(cdw(&sqes[i], 10) & (1u << 15));		/* RAE */
		assert_int_equal((numd + 1) * 4, lens[i]);		/* 0's based dwords */
		assert_int_equal(off, 8 + i * 4096ull);
	}
	assert_int_equal(lens[0] + lens[1] + lens[2], 10000);
	assert_int_equal(buf[9999], 0xab);
}

static void get_log_clears_rae_only_on_the_last_piece_when_asked(void **state)
{
	static uint8_t buf[8192];
	struct cli_dev d = dev(true);

	max_xfer = 4096;
	assert_int_equal(cli_get_log(&d, NVMX_LID_ERROR, 0, 0x7f, false, 0, buf, 8192), 0);
	assert_int_equal(nsqe, 2);
	assert_true(cdw(&sqes[0], 10) & (1u << 15));
	assert_false(cdw(&sqes[1], 10) & (1u << 15));
	assert_int_equal((cdw(&sqes[0], 10) >> 8) & 0x7f, 0x7f);	/* LSP */
}

static void get_log_refuses_unaligned_lengths(void **state)
{
	static uint8_t buf[16];
	struct cli_dev d = dev(true);

	assert_int_equal(cli_get_log(&d, 2, 0, 0, true, 0, buf, 6), -EINVAL);
	assert_int_equal(cli_get_log(&d, 2, 0, 0, true, 2, buf, 8), -EINVAL);
	assert_int_equal(cli_get_log(&d, 2, 0, 0, true, 0, buf, 0), -EINVAL);
	assert_int_equal(nsqe, 0);
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
		cmocka_unit_test(get_log_keeps_rae_and_splits_at_the_transfer_limit),
		cmocka_unit_test(get_log_clears_rae_only_on_the_last_piece_when_asked),
		cmocka_unit_test(get_log_refuses_unaligned_lengths),
		cmocka_unit_test(property_get_and_set_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
