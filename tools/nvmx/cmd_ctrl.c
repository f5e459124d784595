/* SPDX-License-Identifier: BSD-2-Clause */
/* reset, subsystem-reset, ns-rescan, show-regs: the controller itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

static const struct cli_opt no_opts[] = { OPT_END };


int cmd_reset(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *pos[1];
	struct cli_dev d;
	int rc;

	rc = cli_parse(cmd, no_opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	/* Controller Level Reset (Base 3.7.2) through the library, any
	 * transport: queues torn down, CC.EN 1->0->1, brought up again. */
	rc = nvmx_ctrl_reset(d.ctrl);
	if (rc == -EOPNOTSUPP) {
		fprintf(stderr, "nvmx %s: %s: controller reset needs register access this build "
			"does not have for %s\n", cmd->name, d.name, nvmx_trtype_str(d.trid.trtype));
		rc = CLI_USAGE;
	} else {
		rc = cli_result(&d, "Controller Reset", rc);
	}
	if (!rc)
		printf("%s: controller reset, ready again\n", d.name);
	cli_close(&d);
	return rc;
}

/* NVM Subsystem Reset (Base 3.7.1): "NVMe" written to NSSR, if CAP.NSSRS. */
int cmd_subsystem_reset(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *pos[1];
	struct cli_dev d;
	int rc;

	rc = cli_parse(cmd, no_opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if (!nvmx_cap_nssrs(nvmx_ctrl_cap(d.ctrl))) {
		fprintf(stderr, "nvmx %s: %s: the controller does not support NVM Subsystem Reset "
			"(CAP.NSSRS is 0)\n", cmd->name, d.name);
		cli_close(&d);
		return CLI_USAGE;
	}
	rc = nvmx_ctrl_subsystem_reset(d.ctrl);
	rc = cli_result(&d, "NVM Subsystem Reset", rc);
	if (!rc)
		printf("%s: NVM subsystem reset requested\n", d.name);
	cli_close(&d);
	return rc;
}

int cmd_ns_rescan(const struct cli_cmd *cmd, int argc, char **argv)
{
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	const struct cli_opt opts[] = {
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json" },
		OPT_END,
	};
	struct json_object *root, *arr;
	const char *pos[1];
	struct cli_dev d;
	unsigned i, n;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	rc = cli_result(&d, "Namespace rescan", nvmx_ctrl_rescan_ns(d.ctrl));
	if (rc)
		goto out;
	n = nvmx_ctrl_num_ns(d.ctrl);
	if (fmt == NVMX_OUT_JSON) {
		root = json_object_new_object();
		arr = json_object_new_array();
		for (i = 0; i < n; i++) {
			const struct nvmx_ns_info *ns = nvmx_ctrl_ns_at(d.ctrl, i);
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "nsid", nvmx_json_u64(ns->nsid));
			json_object_object_add(o, "nsze", nvmx_json_u64(ns->nsze));
			json_object_object_add(o, "block_size", nvmx_json_u64(ns->block_size));
			json_object_array_add(arr, o);
		}
		json_object_object_add(root, "namespaces", arr);
		nvmx_out_json(stdout, root);
	} else {
		printf("%s: %u active namespace%s\n", d.name, n, n == 1 ? "" : "s");
		for (i = 0; i < n; i++) {
			const struct nvmx_ns_info *ns = nvmx_ctrl_ns_at(d.ctrl, i);

			printf("  nsid %u: %llu blocks of %u bytes\n", ns->nsid,
			       (unsigned long long)ns->nsze, ns->block_size);
		}
	}
out:
	cli_close(&d);
	return rc;
}

/* The registers nvme-cli reads over fabrics (the properties there are). */
static const struct { uint32_t off; unsigned size; } fabrics_regs[] = {
	{ NVMX_REG_CAP, 8 }, { NVMX_REG_VS, 4 }, { NVMX_REG_CC, 4 }, { NVMX_REG_CSTS, 4 },
	{ NVMX_REG_NSSR, 4 }, { NVMX_REG_CRTO, 4 },
};

int cmd_show_regs(const struct cli_cmd *cmd, int argc, char **argv)
{
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	bool human = false;
	const struct cli_opt opts[] = {
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json|binary" },
		{ "human-readable", 'H', OPT_FLAG, &human, "decode the registers' fields" },
		OPT_END,
	};
	struct nvmx_out o = { stdout, NVMX_OUT_NORMAL, false, false };
	const char *pos[1];
	struct cli_dev d;
	uint8_t *bar;
	unsigned i;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	bar = malloc(NVMX_REGS_IMAGE_LEN);
	if (!bar) {
		cli_close(&d);
		return CLI_USAGE;
	}
	/* registers that cannot be read stay all ones and are not printed */
	memset(bar, 0xff, NVMX_REGS_IMAGE_LEN);
	for (i = 0; i < sizeof(fabrics_regs) / sizeof(fabrics_regs[0]); i++) {
		uint64_t v;

		rc = cli_reg_read(&d, fabrics_regs[i].off, fabrics_regs[i].size, &v);
		if (rc < 0 && rc != -EOPNOTSUPP)
			break;
		if (rc == 0 && fabrics_regs[i].size == 8)
			nvmx_put_le64(bar + fabrics_regs[i].off, v);
		else if (rc == 0)
			nvmx_put_le32(bar + fabrics_regs[i].off, (uint32_t)v);
		rc = 0;	/* an optional property refused (NVMe status) is left out */
	}
	rc = cli_result(&d, "Property Get", rc);
	if (!rc) {
		o.fmt = fmt;
		o.human = human;
		nvmx_print_regs(&o, bar, true);
	}
	free(bar);
	cli_close(&d);
	return rc;
}
