/* SPDX-License-Identifier: BSD-2-Clause */
/* list, id-ctrl, id-ns, ns-descs, list-ns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

static const char DASHES[] = "--------------------------------------------------";

/* Identify CNS values (Base Figure 274). */
enum { CNS_NS = 0x00, CNS_CTRL = 0x01, CNS_NS_ACTIVE_LIST = 0x02, CNS_NS_DESC_LIST = 0x03 };

struct out_opts {
	enum nvmx_out_fmt fmt;
	bool human, binary, vs;
};

static struct nvmx_out make_out(const struct out_opts *oo)
{
	struct nvmx_out o = { stdout, oo->binary ? NVMX_OUT_BINARY : oo->fmt, oo->human, oo->vs };

	return o;
}

#define OUT_OPTS(oo) \
	{ "output-format", 'o', OPT_FMT, &(oo).fmt, "output format: normal|json|binary" }, \
	{ "human-readable", 'H', OPT_FLAG, &(oo).human, "decode fields" }, \
	{ "raw-binary", 'b', OPT_FLAG, &(oo).binary, "output in binary format" }

/* The default namespace when -n is not given: the first active one. */
static int default_nsid(struct cli_dev *d, uint32_t *nsid)
{
	const struct nvmx_ns_info *ns;

	if (*nsid)
		return cli_check_ns(d, *nsid);
	ns = nvmx_ctrl_ns_at(d->ctrl, 0);
	if (!ns) {
		fprintf(stderr, "nvmx %s: %s: no active namespace (give -n NSID)\n", d->cmd, d->name);
		return CLI_USAGE;
	}
	*nsid = ns->nsid;
	return CLI_OK;
}

int cmd_id_ctrl(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct out_opts oo = { 0 };
	const struct cli_opt opts[] = {
		{ "vendor-specific", 'v', OPT_FLAG, &oo.vs, "dump the vendor specific field" },
		OUT_OPTS(oo), OPT_END,
	};
	struct nvmx_id_ctrl *id;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	id = aligned_alloc(4096, sizeof(*id));
	rc = id ? nvmx_identify_sync(d.ctrl, CNS_CTRL, 0, id) : -ENOMEM;
	rc = cli_result(&d, "Identify Controller", rc);
	if (!rc) {
		o = make_out(&oo);
		nvmx_print_id_ctrl(&o, id);
	}
	free(id);
	cli_close(&d);
	return rc;
}

int cmd_id_ns(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct out_opts oo = { 0 };
	uint32_t nsid = 0;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace to identify (default: the first active)" },
		{ "vendor-specific", 'v', OPT_FLAG, &oo.vs, "dump the vendor specific field" },
		OUT_OPTS(oo), OPT_END,
	};
	struct nvmx_id_ns *ns;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if ((rc = default_nsid(&d, &nsid))) {
		cli_close(&d);
		return rc;
	}
	ns = aligned_alloc(4096, sizeof(*ns));
	rc = ns ? nvmx_identify_sync(d.ctrl, CNS_NS, nsid, ns) : -ENOMEM;
	rc = cli_result(&d, "Identify Namespace", rc);
	if (!rc) {
		o = make_out(&oo);
		nvmx_print_id_ns(&o, ns, nsid);
	}
	free(ns);
	cli_close(&d);
	return rc;
}

int cmd_ns_descs(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct out_opts oo = { 0 };
	uint32_t nsid = 0;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &nsid, "namespace (default: the first active)" },
		OUT_OPTS(oo), OPT_END,
	};
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	void *buf;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	if ((rc = default_nsid(&d, &nsid))) {
		cli_close(&d);
		return rc;
	}
	buf = aligned_alloc(4096, 4096);
	rc = buf ? nvmx_identify_sync(d.ctrl, CNS_NS_DESC_LIST, nsid, buf) : -ENOMEM;
	rc = cli_result(&d, "Identify Namespace Identification Descriptor list", rc);
	if (!rc) {
		o = make_out(&oo);
		nvmx_print_ns_descs(&o, buf, nsid);
	}
	free(buf);
	cli_close(&d);
	return rc;
}

int cmd_list_ns(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct out_opts oo = { 0 };
	uint32_t nsid = 0;
	const struct cli_opt opts[] = {
		{ "namespace-id", 'n', OPT_U32, &nsid, "list namespaces above this NSID (default 0)" },
		{ "output-format", 'o', OPT_FMT, &oo.fmt, "output format: normal|json|binary" },
		OPT_END,
	};
	struct nvmx_ns_list *l;
	struct nvmx_out o;
	struct cli_dev d;
	const char *pos[1];
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_open(&d, cmd->name, pos[0])))
		return rc;
	l = aligned_alloc(4096, sizeof(*l));
	rc = l ? nvmx_identify_sync(d.ctrl, CNS_NS_ACTIVE_LIST, nsid, l) : -ENOMEM;
	rc = cli_result(&d, "Identify Active Namespace ID list", rc);
	if (!rc) {
		o = make_out(&oo);
		nvmx_print_list_ns(&o, l);
	}
	free(l);
	cli_close(&d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* list: controllers and namespaces of the given targets              */
/* ------------------------------------------------------------------ */

static void list_row_text(const struct cli_dev *d, const struct nvmx_id_ctrl *id,
			  const struct nvmx_ns_info *ns)
{
	char sn[21], mn[41], fr[9], used[32], fmt[32];

	nvmx_fixed_str(id->sn, sizeof(id->sn), true, sn, sizeof(sn));
	nvmx_fixed_str(id->mn, sizeof(id->mn), true, mn, sizeof(mn));
	nvmx_fixed_str(id->fr, sizeof(id->fr), true, fr, sizeof(fr));
	snprintf(used, sizeof(used), "%.2f GB / %.2f GB",
		 (double)ns->nuse * ns->block_size / 1e9, (double)ns->nsze * ns->block_size / 1e9);
	snprintf(fmt, sizeof(fmt), "%u B + %u B", ns->block_size, ns->md_size);
	printf("%-44s %-20s %-30s %-9u %-26s %-16s %-8s\n", d->name, sn, mn, ns->nsid, used, fmt, fr);
}

static struct json_object *list_row_json(const struct cli_dev *d, const struct nvmx_id_ctrl *id,
					 const struct nvmx_ns_info *ns)
{
	struct json_object *o = json_object_new_object();
	char sn[21], mn[41], fr[9];

	json_object_object_add(o, "NameSpace", json_object_new_int64(ns->nsid));
	json_object_object_add(o, "DevicePath", json_object_new_string(d->name));
	json_object_object_add(o, "Firmware", json_object_new_string(
		nvmx_fixed_str(id->fr, sizeof(id->fr), true, fr, sizeof(fr))));
	json_object_object_add(o, "ModelNumber", json_object_new_string(
		nvmx_fixed_str(id->mn, sizeof(id->mn), true, mn, sizeof(mn))));
	json_object_object_add(o, "SerialNumber", json_object_new_string(
		nvmx_fixed_str(id->sn, sizeof(id->sn), true, sn, sizeof(sn))));
	json_object_object_add(o, "UsedBytes", nvmx_json_u64(ns->nuse * ns->block_size));
	json_object_object_add(o, "MaximumLBA", nvmx_json_u64(ns->nsze));
	json_object_object_add(o, "PhysicalSize", nvmx_json_u64(ns->nsze * ns->block_size));
	json_object_object_add(o, "SectorSize", json_object_new_int64(ns->block_size));
	return o;
}

int cmd_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	const struct cli_opt opts[] = {
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json" },
		OPT_END,
	};
	const char *pos[64];
	struct json_object *root = NULL, *devs = NULL;
	int rc, worst = CLI_OK, i, n;

	rc = cli_parse_n(cmd, opts, argc, argv, pos, 1, 64, &n);
	if (rc)
		return rc;
	if (fmt == NVMX_OUT_JSON) {
		root = json_object_new_object();
		devs = json_object_new_array();
		json_object_object_add(root, "Devices", devs);
	} else {
		printf("%-44s %-20s %-30s %-9s %-26s %-16s %-8s\n", "Node", "SN", "Model", "Namespace",
		       "Usage", "Format", "FW Rev");
		printf("%.44s %.20s %.30s %.9s %.26s %.16s %.8s\n", DASHES, DASHES, DASHES, DASHES,
		       DASHES, DASHES, DASHES);
	}
	for (i = 0; i < n; i++) {
		const struct nvmx_id_ctrl *id;
		struct cli_dev d;
		unsigned k;

		rc = cli_open(&d, cmd->name, pos[i]);
		if (rc) {
			worst = rc;
			continue;
		}
		id = nvmx_ctrl_identify(d.ctrl);
		for (k = 0; k < nvmx_ctrl_num_ns(d.ctrl); k++) {
			if (devs)
				json_object_array_add(devs, list_row_json(&d, id, nvmx_ctrl_ns_at(d.ctrl, k)));
			else
				list_row_text(&d, id, nvmx_ctrl_ns_at(d.ctrl, k));
		}
		cli_close(&d);
	}
	if (root)
		nvmx_out_json(stdout, root);
	return worst;
}
