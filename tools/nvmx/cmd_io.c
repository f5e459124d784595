/* SPDX-License-Identifier: BSD-2-Clause */
/* read, write, compare, flush, write-zeroes, dsm (NVM command set). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

struct rw {
	uint32_t nsid;
	uint64_t slba;
	uint16_t nlb0;		/* --block-count: 0's based, as nvme-cli */
	uint64_t data_size;
	const char *data;
	bool fua, lr, show, dry;
};

#define RW_OPTS(r) \
	{ "namespace-id", 'n', OPT_U32, &(r).nsid, "namespace (default: the first active)" }, \
	{ "start-block", 's', OPT_U64, &(r).slba, "first LBA" }, \
	{ "block-count", 'c', OPT_U16, &(r).nlb0, "number of blocks, 0's based (0 = one block)" }, \
	{ "data-size", 'z', OPT_U64, &(r).data_size, "bytes to transfer (default: the blocks')" }, \
	{ "data", 'd', OPT_STR, &(r).data, "data file (default: stdin for write, stdout for read)" }, \
	{ "force-unit-access", 'f', OPT_FLAG, &(r).fua, "FUA: the data reaches the media first" }, \
	{ "limited-retry", 'l', OPT_FLAG, &(r).lr, "limited retry" }, \
	{ "show-command", 'v', OPT_FLAG, &(r).show, "print the command" }, \
	{ "dry-run", 'w', OPT_FLAG, &(r).dry, "print the command, do not send it" }

static int pick_ns(struct cli_dev *d, uint32_t *nsid, const struct nvmx_ns_info **ns)
{
	int rc;

	if (!*nsid) {
		*ns = nvmx_ctrl_ns_at(d->ctrl, 0);
		if (!*ns) {
			fprintf(stderr, "nvmx %s: %s: no active namespace\n", d->cmd, d->name);
			return CLI_USAGE;
		}
		*nsid = (*ns)->nsid;
		return CLI_OK;
	}
	if ((rc = cli_check_ns(d, *nsid)))
		return rc;
	*ns = nvmx_ctrl_ns(d->ctrl, *nsid);
	return CLI_OK;
}

/* Build the typed view, then copy it into the generic SQE (no aliasing). */
static void rw_sqe(struct nvmx_sqe *sqe, uint8_t opc, const struct rw *r, uint32_t nlb,
		   uint16_t extra_control)
{
	struct nvmx_cmd_rw c;

	memset(&c, 0, sizeof(c));
	c.opc = opc;
	c.nsid = nvmx_cpu_to_le32(r->nsid);
	c.slba = nvmx_cpu_to_le64(r->slba);
	c.nlb = nvmx_cpu_to_le16((uint16_t)(nlb - 1));
	c.control = nvmx_cpu_to_le16((uint16_t)((r->fua ? NVMX_RW_FUA : 0) | (r->lr ? NVMX_RW_LR : 0) |
						extra_control));
	memcpy(sqe, &c, sizeof(*sqe));
}

static void show_rw(const char *op, const struct rw *r, uint32_t nlb, uint64_t bytes)
{
	printf("opcode       : %s\n", op);
	printf("nsid         : %08x\n", r->nsid);
	printf("slba         : %016llx\n", (unsigned long long)r->slba);
	printf("nblocks      : %04x\n", nlb - 1);
	printf("data_size    : %llu\n", (unsigned long long)bytes);
	printf("control      : %04x\n", (r->fua ? NVMX_RW_FUA : 0) | (r->lr ? NVMX_RW_LR : 0));
}

enum rw_kind { RW_READ, RW_WRITE, RW_COMPARE };

static int rw_common(const struct cli_cmd *cmd, int argc, char **argv, enum rw_kind kind)
{
	static const char *const what[] = { "Read", "Write", "Compare" };
	static const uint8_t opc[] = { NVMX_NVM_READ, NVMX_NVM_WRITE, NVMX_NVM_COMPARE };
	struct rw r = { 0 };
	const struct cli_opt opts[] = { RW_OPTS(r), OPT_END };
	const struct nvmx_ns_info *ns;
	struct nvmx_sqe sqe;
	struct cli_dev d;
	const char *pos[1];
	uint64_t bytes;
	uint32_t nlb;
	uint8_t *buf = NULL;
	long got;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if ((rc = pick_ns(&d, &r.nsid, &ns)))
		goto out;
	nlb = (uint32_t)r.nlb0 + 1;
	bytes = (uint64_t)nlb * ns->block_size;
	if (r.data_size && r.data_size < bytes)
		fprintf(stderr, "Rounding data size to fit block count (%llu bytes)\n",
			(unsigned long long)bytes);
	if (r.slba >= ns->nsze || nlb > ns->nsze - r.slba) {
		fprintf(stderr, "nvmx %s: %s: blocks %llu..%llu are beyond namespace %u's %llu blocks\n",
			cmd->name, d.name, (unsigned long long)r.slba,
			(unsigned long long)(r.slba + nlb - 1), r.nsid, (unsigned long long)ns->nsze);
		rc = CLI_USAGE;
		goto out;
	}
	/* Compare and FUA/LR commands go out as one command: within the
	 * controller's transfer limit (plain reads and writes are split). */
	if ((kind == RW_COMPARE || r.fua || r.lr) && nvmx_ctrl_max_xfer(d.ctrl) &&
	    bytes > nvmx_ctrl_max_xfer(d.ctrl)) {
		fprintf(stderr, "nvmx %s: %s: %llu bytes exceed the controller's %u-byte transfer limit "
			"for one command\n", cmd->name, d.name, (unsigned long long)bytes,
			nvmx_ctrl_max_xfer(d.ctrl));
		rc = CLI_USAGE;
		goto out;
	}
	if (r.show || r.dry)
		show_rw(what[kind], &r, nlb, bytes);
	if (r.dry)
		goto out;
	buf = aligned_alloc(4096, (bytes + 4095) & ~4095ull);
	if (!buf) {
		rc = cli_result(&d, "allocate", -ENOMEM);
		goto out;
	}
	memset(buf, 0, bytes);
	if (kind != RW_READ) {
		got = cli_read_file(r.data ? r.data : "-", buf, bytes);
		if (got < 0) {
			fprintf(stderr, "nvmx %s: %s: %s\n", cmd->name, r.data ? r.data : "stdin",
				strerror((int)-got));
			rc = CLI_USAGE;
			goto out;
		}
	}
	if ((rc = cli_io_qpair(&d)))
		goto out;
	if (kind == RW_READ && !r.fua && !r.lr)
		rc = nvmx_ns_read_sync(d.qp, r.nsid, buf, r.slba, nlb, NULL);
	else if (kind == RW_WRITE && !r.fua && !r.lr)
		rc = nvmx_ns_write_sync(d.qp, r.nsid, buf, r.slba, nlb, NULL);
	else {
		rw_sqe(&sqe, opc[kind], &r, nlb, 0);
		rc = nvmx_io_sync(d.qp, &sqe, buf, (uint32_t)bytes,
				  kind == RW_READ ? NVMX_DIR_FROM_CTRL : NVMX_DIR_TO_CTRL, NULL);
	}
	rc = cli_result(&d, what[kind], rc);
	if (rc)
		goto out;
	if (kind == RW_READ && cli_write_file(r.data ? r.data : "-", buf, bytes)) {
		fprintf(stderr, "nvmx %s: cannot write %s\n", cmd->name, r.data ? r.data : "stdout");
		rc = CLI_USAGE;
		goto out;
	}
	fprintf(stderr, "%s: Success\n", cmd->name);
out:
	free(buf);
	cli_close(&d);
	return rc;
}

int cmd_read(const struct cli_cmd *cmd, int argc, char **argv)
{
	return rw_common(cmd, argc, argv, RW_READ);
}

int cmd_write(const struct cli_cmd *cmd, int argc, char **argv)
{
	return rw_common(cmd, argc, argv, RW_WRITE);
}

int cmd_compare(const struct cli_cmd *cmd, int argc, char **argv)
{
	return rw_common(cmd, argc, argv, RW_COMPARE);
}

/* Run one I/O command without data on the CLI's queue pair. */
static int io_nodata(struct cli_dev *d, const struct nvmx_sqe *sqe, void *buf, uint32_t len,
		     const char *what)
{
	int rc = cli_io_qpair(d);

	if (rc)
		return rc;
	rc = nvmx_io_sync(d->qp, sqe, buf, len, len ? NVMX_DIR_TO_CTRL : NVMX_DIR_NONE, NULL);
	rc = cli_result(d, what, rc);
	if (!rc)
		fprintf(stderr, "%s: Success\n", d->cmd);
	return rc;
}

int cmd_flush(const struct cli_cmd *cmd, int argc, char **argv)
{
	uint32_t nsid = 0;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace (default: the first active; "
		  "0xffffffff: all)" },
		OPT_END,
	};
	const struct nvmx_ns_info *ns;
	struct nvmx_sqe sqe;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if (nsid != NVMX_NSID_ALL && (rc = pick_ns(&d, &nsid, &ns)))
		goto out;
	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = NVMX_NVM_FLUSH;
	sqe.nsid = nvmx_cpu_to_le32(nsid);
	rc = io_nodata(&d, &sqe, NULL, 0, "Flush");
out:
	cli_close(&d);
	return rc;
}

int cmd_write_zeroes(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct rw r = { 0 };
	bool deac = false;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &r.nsid, "namespace (default: the first active)" },
		{ "start-block", 's', OPT_U64, &r.slba, "first LBA" },
		{ "block-count", 'c', OPT_U16, &r.nlb0, "number of blocks, 0's based" },
		{ "deac", 'd', OPT_FLAG, &deac, "deallocate the blocks (DEAC)" },
		{ "force-unit-access", 'f', OPT_FLAG, &r.fua, "FUA" },
		{ "limited-retry", 'l', OPT_FLAG, &r.lr, "limited retry" },
		OPT_END,
	};
	const struct nvmx_ns_info *ns;
	struct nvmx_sqe sqe;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if ((rc = pick_ns(&d, &r.nsid, &ns)))
		goto out;
	rw_sqe(&sqe, NVMX_NVM_WRITE_ZEROES, &r, (uint32_t)r.nlb0 + 1, deac ? NVMX_RW_WZ_DEAC : 0);
	rc = io_nodata(&d, &sqe, NULL, 0, "Write Zeroes");
out:
	cli_close(&d);
	return rc;
}

/* "1,2,3" -> values; returns the count or -1. */
static int parse_list(const char *s, uint64_t *v, int max, uint64_t lim)
{
	char tmp[4096], *save = NULL, *tok;
	int n = 0;

	if (!s)
		return 0;
	if (strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s);
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max || cli_parse_u64(tok, lim, &v[n]))
			return -1;
		n++;
	}
	return n;
}

int cmd_dsm(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *ctx = NULL, *blocks = NULL, *slbs = NULL;
	uint32_t nsid = 0, cdw11 = 0;
	bool ad = false, idw = false, idr = false;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace (default: the first active)" },
		{ "ctx-attrs", 'a', OPT_STR, &ctx, "comma-separated context attributes" },
		{ "blocks", 'b', OPT_STR, &blocks, "comma-separated block counts" },
		{ "slbs", 's', OPT_STR, &slbs, "comma-separated starting LBAs" },
		{ "ad", 'd', OPT_FLAG, &ad, "attribute: deallocate" },
		{ "idw", 'w', OPT_FLAG, &idw, "attribute: integral dataset for write" },
		{ "idr", 'r', OPT_FLAG, &idr, "attribute: integral dataset for read" },
		{ "cdw11", 'c', OPT_U32, &cdw11, "all attributes at once (command dword 11)" },
		OPT_END,
	};
	static uint64_t a[NVMX_DSM_MAX_RANGES], b[NVMX_DSM_MAX_RANGES], s[NVMX_DSM_MAX_RANGES];
	struct nvmx_dsm_range *r = NULL;
	const struct nvmx_ns_info *ns;
	struct nvmx_cmd_dsm c;
	struct nvmx_sqe sqe;
	struct cli_dev d;
	const char *pos[1];
	int rc, na, nb, nsl, i;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc)
		return rc;
	na = parse_list(ctx, a, NVMX_DSM_MAX_RANGES, UINT32_MAX);
	nb = parse_list(blocks, b, NVMX_DSM_MAX_RANGES, UINT32_MAX);
	nsl = parse_list(slbs, s, NVMX_DSM_MAX_RANGES, UINT64_MAX);
	if (nb <= 0 || nsl != nb || na < 0 || (na && na != nb)) {
		fprintf(stderr, "nvmx %s: --blocks and --slbs must list the same number (1..256) of "
			"values; --ctx-attrs, when given, as many\n", cmd->name);
		return CLI_USAGE;
	}
	if ((rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if ((rc = pick_ns(&d, &nsid, &ns)))
		goto out;
	r = aligned_alloc(4096, 4096);
	if (!r) {
		rc = cli_result(&d, "allocate", -ENOMEM);
		goto out;
	}
	for (i = 0; i < nb; i++) {
		r[i].cattr = nvmx_cpu_to_le32(na ? (uint32_t)a[i] : 0);
		r[i].nlb = nvmx_cpu_to_le32((uint32_t)b[i]);
		r[i].slba = nvmx_cpu_to_le64(s[i]);
	}
	if (!cdw11)
		cdw11 = (ad ? NVMX_DSM_AD : 0) | (idw ? NVMX_DSM_IDW : 0) | (idr ? NVMX_DSM_IDR : 0);
	memset(&c, 0, sizeof(c));
	c.opc = NVMX_NVM_DSM;
	c.nsid = nvmx_cpu_to_le32(nsid);
	c.nr = nvmx_cpu_to_le32((uint32_t)nb - 1);
	c.attributes = nvmx_cpu_to_le32(cdw11);
	memcpy(&sqe, &c, sizeof(sqe));
	rc = io_nodata(&d, &sqe, r, (uint32_t)(nb * (int)sizeof(*r)), "Dataset Management");
out:
	free(r);
	cli_close(&d);
	return rc;
}
