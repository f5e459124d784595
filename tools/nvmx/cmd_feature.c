/* SPDX-License-Identifier: BSD-2-Clause */
/* get-feature, set-feature (Base 5.27 Get Features, 5.28 Set Features). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

/* Data some features move in a buffer (Base Figure 317); 0 for the rest. */
static uint32_t feature_data_len(uint8_t fid, uint32_t cdw11)
{
	switch (fid) {
	case NVMX_FID_LBA_RANGE: return 4096;
	case NVMX_FID_AUTO_PST: return 256;
	case NVMX_FID_HOST_MEM_BUF: return 4096;
	case NVMX_FID_TIMESTAMP: return 8;
	case NVMX_FID_PLM_CONFIG: return 512;
	case NVMX_FID_HOST_BEHAVIOR: return 512;
	case NVMX_FID_HOST_ID: return (cdw11 & 1) ? 16 : 8;	/* EXHID */
	default: return 0;
	}
}

static int features_cmd(struct cli_dev *d, uint8_t opc, uint32_t nsid, uint32_t cdw10,
			uint32_t cdw11, uint32_t cdw12, void *buf, uint32_t len, uint32_t *dw0)
{
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	int rc;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opc = opc;
	sqe.nsid = nvmx_cpu_to_le32(nsid);
	sqe.cdw10 = nvmx_cpu_to_le32(cdw10);
	sqe.cdw11 = nvmx_cpu_to_le32(cdw11);
	sqe.cdw12 = nvmx_cpu_to_le32(cdw12);
	rc = nvmx_admin_sync(d->ctrl, &sqe, len ? buf : NULL, len,
			     !len ? NVMX_DIR_NONE : opc == NVMX_ADM_GET_FEATURES ? NVMX_DIR_FROM_CTRL
									  : NVMX_DIR_TO_CTRL, &cqe);
	if (rc == 0)
		*dw0 = nvmx_le32_to_cpu(cqe.dw0);
	return rc;
}

int cmd_get_feature(const struct cli_cmd *cmd, int argc, char **argv)
{
	uint16_t fid = 0x100;
	uint8_t sel = 0;
	uint32_t nsid = 0, cdw11 = 0, len = UINT32_MAX, dw0 = 0;
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	bool human = false, binary = false;
	const struct cli_opt opts[] = {
		{ "feature-id", 'f', OPT_U16, &fid, "feature identifier (0..255)" },
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace, for per-namespace features" },
		{ "sel", 's', OPT_U8, &sel, "0 current, 1 default, 2 saved, 3 supported capabilities" },
		{ "data-len", 'l', OPT_U32, &len, "buffer length (default: the feature's)" },
		{ "cdw11", 'c', OPT_U32, &cdw11, "command dword 11" },
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json|binary" },
		{ "raw-binary", 'b', OPT_FLAG, &binary, "output the data buffer in binary" },
		{ "human-readable", 'H', OPT_FLAG, &human, "decode the value's fields" },
		OPT_END,
	};
	struct nvmx_out o = { stdout, NVMX_OUT_NORMAL, false, false };
	struct cli_dev d;
	const char *pos[1];
	void *buf = NULL;
	char what[80];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc)
		return rc;
	if (fid > 0xff || sel > 3 || (len != UINT32_MAX && len > (1u << 20))) {
		fprintf(stderr, "nvmx %s: need --feature-id=0..255, --sel 0..3, --data-len up to 1 MiB\n",
			cmd->name);
		return CLI_USAGE;
	}
	if (len == UINT32_MAX)
		len = sel == 3 ? 0 : feature_data_len((uint8_t)fid, cdw11);
	if ((rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if (len && !(buf = calloc(1, len))) {
		cli_close(&d);
		return cli_result(&d, "allocate", -ENOMEM);
	}
	/* CDW10: FID 7:0, SEL 10:8 (Base Figure 190) */
	rc = features_cmd(&d, NVMX_ADM_GET_FEATURES, nsid, fid | (uint32_t)sel << 8, cdw11, 0,
			  buf, len, &dw0);
	snprintf(what, sizeof(what), "Get Features %s (FID 0x%02x)", nvmx_feature_name((uint8_t)fid), fid);
	rc = cli_result(&d, what, rc);
	if (!rc) {
		o.fmt = binary ? NVMX_OUT_BINARY : fmt;
		o.human = human;
		nvmx_print_feature(&o, (uint8_t)fid, sel, dw0, buf, len);
	}
	free(buf);
	cli_close(&d);
	return rc;
}

int cmd_set_feature(const struct cli_cmd *cmd, int argc, char **argv)
{
	uint16_t fid = 0x100;
	uint32_t nsid = 0, cdw12 = 0, len = 0, dw0 = 0;
	uint64_t value = 0;
	const char *file = NULL;
	bool save = false;
	const struct cli_opt opts[] = {
		{ "feature-id", 'f', OPT_U16, &fid, "feature identifier (0..255)" },
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace, for per-namespace features" },
		{ "value", 'v', OPT_U64, &value, "new value (command dword 11)" },
		{ "cdw12", 'c', OPT_U32, &cdw12, "command dword 12" },
		{ "data-len", 'l', OPT_U32, &len, "length of the data buffer" },
		{ "data", 'd', OPT_STR, &file, "file with the data buffer ('-' for stdin)" },
		{ "save", 's', OPT_FLAG, &save, "keep the value across power cycles (SV)" },
		OPT_END,
	};
	struct cli_dev d;
	const char *pos[1];
	void *buf = NULL;
	char what[80];
	long got;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc)
		return rc;
	if (fid > 0xff || value > UINT32_MAX || len > (1u << 20)) {
		fprintf(stderr, "nvmx %s: need --feature-id=0..255, --value up to 0xffffffff, "
			"--data-len up to 1 MiB\n", cmd->name);
		return CLI_USAGE;
	}
	if (!len)
		len = feature_data_len((uint8_t)fid, (uint32_t)value);
	if (!file)
		len = 0;
	if (len) {
		buf = calloc(1, len);
		got = buf ? cli_read_file(file, buf, len) : -ENOMEM;
		if (got < 0) {
			fprintf(stderr, "nvmx %s: %s: %s\n", cmd->name, file, strerror((int)-got));
			free(buf);
			return CLI_USAGE;
		}
	}
	if ((rc = cli_open(&d, cmd->name, pos[0]))) {
		free(buf);
		return rc;
	}
	/* CDW10: FID 7:0, SV 31 (Base Figure 328) */
	rc = features_cmd(&d, NVMX_ADM_SET_FEATURES, nsid, fid | (save ? 1u << 31 : 0),
			  (uint32_t)value, cdw12, buf, len, &dw0);
	snprintf(what, sizeof(what), "Set Features %s (FID 0x%02x)", nvmx_feature_name((uint8_t)fid), fid);
	rc = cli_result(&d, what, rc);
	if (!rc)
		printf("set-feature:%#0*x (%s), value:%#0*" PRIx64 ", cdw12:%#0*x, save:%#x\n",
		       fid ? 4 : 2, fid, nvmx_feature_name((uint8_t)fid), value ? 10 : 8, value,
		       cdw12 ? 10 : 8, cdw12, save);
	free(buf);
	cli_close(&d);
	return rc;
}
