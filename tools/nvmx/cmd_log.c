/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smart-log, error-log, fw-log, get-log.  Every log page is read with RAE
 * set unless the user passes --rae=0: reading a log page must not clear
 * an asynchronous event that the process owning the controller's AERs is
 * waiting to see (Base 5.16, Retain Asynchronous Event).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

struct log_opts {
	enum nvmx_out_fmt fmt;
	bool human, binary;
	bool rae;
	uint32_t nsid;
};

#define LOG_OPTS(lo) \
	{ "output-format", 'o', OPT_FMT, &(lo).fmt, "output format: normal|json|binary" }, \
	{ "raw-binary", 'b', OPT_FLAG, &(lo).binary, "output in binary format" }, \
	{ "rae", 'r', OPT_BOOL, &(lo).rae, "retain asynchronous event (default 1; --rae=0 clears it)" }

static struct nvmx_out log_out(const struct log_opts *lo)
{
	struct nvmx_out o = { stdout, lo->binary ? NVMX_OUT_BINARY : lo->fmt, lo->human, false };

	return o;
}

/* Open the controller and allocate a page-aligned buffer of len bytes. */
static int log_open(struct cli_dev *d, const struct cli_cmd *cmd, const char *trid, size_t len,
		    void **buf)
{
	int rc = cli_open(d, cmd->name, trid);

	if (rc)
		return rc;
	*buf = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	if (!*buf) {
		cli_close(d);
		return cli_result(d, "allocate", -ENOMEM);
	}
	memset(*buf, 0, len);
	return CLI_OK;
}

int cmd_smart_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct log_opts lo = { .rae = true, .nsid = NVMX_NSID_ALL };
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &lo.nsid, "namespace (default 0xffffffff: the controller)" },
		{ "human-readable", 'H', OPT_FLAG, &lo.human, "decode the critical warning bits" },
		LOG_OPTS(lo), OPT_END,
	};
	struct nvmx_smart_log *s;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = log_open(&d, cmd, pos[0], sizeof(*s), (void **)&s)))
		return rc;
	if (lo.nsid != NVMX_NSID_ALL && (rc = cli_check_ns(&d, lo.nsid)))
		goto out;
	rc = cli_get_log(&d, NVMX_LID_SMART, lo.nsid, 0, lo.rae, 0, s, sizeof(*s));
	rc = cli_result(&d, "Get Log Page SMART / Health Information", rc);
	if (!rc) {
		o = log_out(&lo);
		nvmx_print_smart_log(&o, s, lo.nsid, d.name);
	}
out:
	free(s);
	cli_close(&d);
	return rc;
}

int cmd_error_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct log_opts lo = { .rae = true };
	uint32_t entries = 0;
	const struct cli_opt opts[] = {
		{ "log-entries", 'e', OPT_U32, &entries, "entries to read (default: all, ELPE+1)" },
		LOG_OPTS(lo), OPT_END,
	};
	const size_t max = 256 * sizeof(struct nvmx_error_log_entry);
	struct nvmx_error_log_entry *e;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	unsigned elpe;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = log_open(&d, cmd, pos[0], max, (void **)&e)))
		return rc;
	elpe = nvmx_ctrl_identify(d.ctrl)->elpe + 1u;	/* 0's based */
	if (!entries || entries > elpe)
		entries = elpe;
	rc = cli_get_log(&d, NVMX_LID_ERROR, NVMX_NSID_ALL, 0, lo.rae, 0, e,
			 entries * (uint32_t)sizeof(*e));
	rc = cli_result(&d, "Get Log Page Error Information", rc);
	if (!rc) {
		o = log_out(&lo);
		nvmx_print_error_log(&o, e, entries, d.name);
	}
	free(e);
	cli_close(&d);
	return rc;
}

int cmd_fw_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct log_opts lo = { .rae = true };
	const struct cli_opt opts[] = { LOG_OPTS(lo), OPT_END };
	struct nvmx_fw_slot_log *fw;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = log_open(&d, cmd, pos[0], sizeof(*fw), (void **)&fw)))
		return rc;
	rc = cli_get_log(&d, NVMX_LID_FW_SLOT, NVMX_NSID_ALL, 0, lo.rae, 0, fw, sizeof(*fw));
	rc = cli_result(&d, "Get Log Page Firmware Slot Information", rc);
	if (!rc) {
		o = log_out(&lo);
		nvmx_print_fw_log(&o, fw, d.name);
	}
	free(fw);
	cli_close(&d);
	return rc;
}

int cmd_get_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct log_opts lo = { .rae = true, .nsid = NVMX_NSID_ALL };
	uint32_t len = 0;
	uint64_t lpo = 0;
	uint8_t lsp = 0;
	uint16_t lid = 0x100;	/* none given */
	const struct cli_opt opts[] = {
		{ "log-id", 'i', OPT_U16, &lid, "identifier of the log page (0..255)" },
		{ "log-len", 'l', OPT_U32, &len, "bytes to read (a multiple of 4)" },
		{ "namespace-id", 'n', OPT_U32, &lo.nsid, "namespace (default 0xffffffff)" },
		{ "lsp", 's', OPT_U8, &lsp, "log specific field (0..127)" },
		{ "lpo", 0, OPT_U64, &lpo, "log page offset in bytes (a multiple of 4)" },
		LOG_OPTS(lo), OPT_END,
	};
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	void *buf;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc)
		return rc;
	if (lid > 0xff || len == 0 || len % 4 || lpo % 4 || lsp > 127 || len > (64u << 20)) {
		fprintf(stderr, "nvmx %s: need --log-id=0..255 and --log-len=N (N a multiple of 4, "
			"at most 64 MiB); --lpo a multiple of 4; --lsp 0..127\n", cmd->name);
		return CLI_USAGE;
	}
	if ((rc = log_open(&d, cmd, pos[0], len, &buf)))
		return rc;
	rc = cli_get_log(&d, (uint8_t)lid, lo.nsid, lsp, lo.rae, lpo, buf, len);
	rc = cli_result(&d, "Get Log Page", rc);
	if (!rc) {
		o = log_out(&lo);
		nvmx_print_raw_log(&o, (uint8_t)lid, lo.nsid, buf, len, d.name);
	}
	free(buf);
	cli_close(&d);
	return rc;
}
