/* SPDX-License-Identifier: BSD-2-Clause */
/* Option parsing, connecting, error reporting shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvmx/le.h"
#include "cli.h"

/* ------------------------------------------------------------------ */
/* Options                                                            */
/* ------------------------------------------------------------------ */

int cli_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

static const char *opt_meta(enum cli_opt_type t)
{
	switch (t) {
	case OPT_FLAG: return "";
	case OPT_STR: return "=<STR>";
	case OPT_FMT: return "=<FMT>";
	case OPT_BOOL: return "[=0|1]";
	default: return "=<NUM>";
	}
}

void cli_usage(const struct cli_cmd *cmd, const struct cli_opt *opts)
{
	const struct cli_opt *o;
	char left[64];

	printf("Usage: nvmx %s %s [OPTIONS]\n\n%s\n\nOptions:\n", cmd->name,
	       cmd->args ? cmd->args : "", cmd->summary);
	for (o = opts; o->lname; o++) {
		if (o->sname)
			snprintf(left, sizeof(left), "-%c, --%s%s", o->sname, o->lname, opt_meta(o->type));
		else
			snprintf(left, sizeof(left), "    --%s%s", o->lname, opt_meta(o->type));
		printf("  %-34s %s\n", left, o->help);
	}
	printf("  %-34s %s\n", "-h, --help", "this help");
	if (cmd->args && strstr(cmd->args, "<trid>"))
		printf("\n<trid>: tcp://HOST[:PORT][/SUBNQN], pcie://DDDD:BB:DD.F, or\n"
		       "        'trtype:TCP traddr:HOST trsvcid:PORT subnqn:NQN' (SPDK's form)\n");
}

static uint64_t type_max(enum cli_opt_type t)
{
	switch (t) {
	case OPT_U8: return UINT8_MAX;
	case OPT_U16: return UINT16_MAX;
	case OPT_U32: return UINT32_MAX;
	case OPT_BOOL: return 1;
	default: return UINT64_MAX;
	}
}

static int store(const struct cli_cmd *cmd, const struct cli_opt *o, const char *arg)
{
	uint64_t v;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case OPT_STR:
		*(const char **)o->dst = arg;
		return 0;
	case OPT_BOOL:
		if (!arg) {	/* --rae alone: on */
			*(bool *)o->dst = true;
			return 0;
		}
		break;
	case OPT_FMT:
		if (nvmx_out_parse_fmt(arg, o->dst) == 0)
			return 0;
		fprintf(stderr, "nvmx %s: --%s: '%s' is not normal, json or binary\n",
			cmd->name, o->lname, arg);
		return CLI_USAGE;
	default:
		break;
	}
	if (cli_parse_u64(arg, type_max(o->type), &v)) {
		fprintf(stderr, "nvmx %s: --%s: '%s' is not a number in 0..%" PRIu64 "\n",
			cmd->name, o->lname, arg, type_max(o->type));
		return CLI_USAGE;
	}
	switch (o->type) {
	case OPT_U8: *(uint8_t *)o->dst = (uint8_t)v; break;
	case OPT_U16: *(uint16_t *)o->dst = (uint16_t)v; break;
	case OPT_U32: *(uint32_t *)o->dst = (uint32_t)v; break;
	case OPT_U64: *(uint64_t *)o->dst = v; break;
	case OPT_BOOL: *(bool *)o->dst = v != 0; break;
	default: break;
	}
	return 0;
}

#define MAX_OPTS 48

int cli_parse(const struct cli_cmd *cmd, const struct cli_opt *opts, int argc, char **argv,
	      const char **pos, int npos_min, int npos_max)
{
	int n;

	return cli_parse_n(cmd, opts, argc, argv, pos, npos_min, npos_max, &n);
}

int cli_parse_n(const struct cli_cmd *cmd, const struct cli_opt *opts, int argc, char **argv,
		const char **pos, int npos_min, int npos_max, int *npos_out)
{
	struct option lo[MAX_OPTS + 2];
	char so[3 * MAX_OPTS + 4] = "h";
	int n = 0, c, npos, rc;
	size_t sl = 1;

	for (; opts[n].lname && n < MAX_OPTS; n++) {
		lo[n].name = opts[n].lname;
		lo[n].has_arg = opts[n].type == OPT_FLAG ? no_argument :
				opts[n].type == OPT_BOOL ? optional_argument : required_argument;
		lo[n].flag = NULL;
		lo[n].val = 256 + n;
		if (opts[n].sname) {
			so[sl++] = (char)opts[n].sname;
			if (opts[n].type != OPT_FLAG)
				so[sl++] = ':';
			if (opts[n].type == OPT_BOOL)
				so[sl++] = ':';
		}
	}
	so[sl] = '\0';
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	memset(&lo[n + 1], 0, sizeof(lo[n + 1]));

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		const struct cli_opt *o = NULL;
		int i;

		if (c == 'h') {
			cli_usage(cmd, opts);
			return CLI_HELP;
		}
		if (c >= 256)
			o = &opts[c - 256];
		for (i = 0; !o && i < n; i++)
			if (opts[i].sname == c)
				o = &opts[i];
		if (!o) {
			fprintf(stderr, "nvmx %s: unknown or incomplete option '%s' (see nvmx %s --help)\n",
				cmd->name, argv[optind - 1], cmd->name);
			return CLI_USAGE;
		}
		rc = store(cmd, o, optarg);
		if (rc)
			return rc;
	}
	npos = argc - optind;
	if (npos < npos_min || npos > npos_max) {
		fprintf(stderr, "nvmx %s: expected %s (see nvmx %s --help)\n", cmd->name,
			cmd->args && *cmd->args ? cmd->args : "no arguments", cmd->name);
		return CLI_USAGE;
	}
	for (c = 0; c < npos; c++)
		pos[c] = argv[optind + c];
	*npos_out = npos;
	return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* Controller                                                         */
/* ------------------------------------------------------------------ */

int cli_parse_trid(struct cli_dev *d, const char *cmd, const char *trid)
{
	char err[256];

	memset(d, 0, sizeof(*d));
	d->cmd = cmd;
	if (nvmx_trid_parse(&d->trid, trid, err, sizeof(err))) {
		fprintf(stderr, "nvmx %s: bad transport ID '%s': %s\n", cmd, trid, err);
		return CLI_USAGE;
	}
	if (nvmx_trid_format(&d->trid, d->name, sizeof(d->name)) < 0)
		snprintf(d->name, sizeof(d->name), "%s", trid);
	d->fabrics = d->trid.trtype != NVMX_TRTYPE_PCIE;
	return CLI_OK;
}

int cli_open(struct cli_dev *d, const char *cmd, const char *trid)
{
	struct nvmx_ctrl_opts opts;
	int rc = cli_parse_trid(d, cmd, trid);

	if (rc)
		return rc;
	nvmx_ctrl_opts_init(&opts, sizeof(opts));
	opts.nr_io_queues = 1;		/* a CLI needs one I/O queue at most */
	opts.ctrl_loss_tmo = 0;		/* fail now rather than reconnect for minutes */
	rc = nvmx_ctrl_connect(&d->trid, &opts, &d->ctrl);
	if (rc) {
		fprintf(stderr, "nvmx %s: %s: cannot connect: %s\n", cmd, d->name, strerror(-rc));
		d->ctrl = NULL;
		return CLI_USAGE;
	}
	return CLI_OK;
}

void cli_close(struct cli_dev *d)
{
	if (d->qp)
		nvmx_qpair_free(d->qp);
	d->qp = NULL;
	if (d->ctrl)
		nvmx_ctrl_disconnect(d->ctrl);
	d->ctrl = NULL;
}

int cli_io_qpair(struct cli_dev *d)
{
	int rc;

	if (d->qp)
		return 0;
	rc = nvmx_qpair_alloc(d->ctrl, 0, &d->qp);
	if (rc) {
		d->qp = NULL;
		fprintf(stderr, "nvmx %s: %s: cannot create an I/O queue pair: %s\n", d->cmd, d->name,
			strerror(-rc));
		return CLI_USAGE;
	}
	return 0;
}

int cli_check_ns(struct cli_dev *d, uint32_t nsid)
{
	if (nvmx_ctrl_ns(d->ctrl, nsid))
		return CLI_OK;
	fprintf(stderr, "nvmx %s: %s: namespace %u is not an active namespace (%u active)\n",
		d->cmd, d->name, nsid, nvmx_ctrl_num_ns(d->ctrl));
	return CLI_USAGE;
}

char *cli_status_str(int status, char *buf, size_t len)
{
	unsigned sc = (unsigned)status & 0xff, sct = ((unsigned)status >> 8) & 7;

	snprintf(buf, len, "%s (SCT 0x%x %s, SC 0x%02x)%s%s%s", nvmx_status_name(sct, sc), sct,
		 nvmx_sct_name(sct), sc, (status >> 14) & 1 ? " DNR" : "",
		 (status >> 13) & 1 ? " More" : "", (status >> 11) & 3 ? " CRD" : "");
	return buf;
}

int cli_result(const struct cli_dev *d, const char *what, int rc)
{
	char st[160];
	const char *msg;

	if (rc == 0)
		return CLI_OK;
	if (rc > 0) {
		fprintf(stderr, "nvmx %s: %s: %s failed: NVMe status 0x%x: %s\n", d->cmd, d->name,
			what, (unsigned)rc, cli_status_str(rc, st, sizeof(st)));
		return CLI_NVME_STATUS;
	}
	msg = d->ctrl ? nvmx_ctrl_errmsg(d->ctrl) : "";
	fprintf(stderr, "nvmx %s: %s: %s failed: %s%s%s\n", d->cmd, d->name, what, strerror(-rc),
		msg && *msg ? ": " : "", msg ? msg : "");
	return CLI_USAGE;
}

/* ------------------------------------------------------------------ */
/* Get Log Page with RAE / LSP (the splitting is the library's)      */
/* ------------------------------------------------------------------ */

int cli_get_log(struct cli_dev *d, uint8_t lid, uint32_t nsid, uint8_t lsp, bool rae,
		uint64_t offset, void *buf, uint32_t len)
{
	return nvmx_get_log_ext_sync(d->ctrl, lid, nsid, lsp, rae, offset, buf, len);
}

/* ------------------------------------------------------------------ */
/* Registers: fabrics properties (Fabrics 1.1, 3.5)                   */
/* ------------------------------------------------------------------ */

int cli_reg_read(struct cli_dev *d, uint32_t off, unsigned size, uint64_t *v)
{
	struct nvmx_prop_get_cmd c;
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	int rc;

	if (!d->fabrics) {	/* PCIe: what the library keeps of BAR0 */
		if (off == NVMX_REG_CAP && size == 8)
			return *v = nvmx_ctrl_cap(d->ctrl), 0;
		if (off == NVMX_REG_VS && size == 4)
			return *v = nvmx_ctrl_vs(d->ctrl), 0;
		return -EOPNOTSUPP;
	}
	memset(&c, 0, sizeof(c));
	c.opc = NVMX_ADM_FABRICS;
	c.fctype = NVMX_FCTYPE_PROPERTY_GET;
	c.attrib = size == 8 ? 1 : 0;
	c.offset = nvmx_cpu_to_le32(off);
	memcpy(&sqe, &c, sizeof(sqe));	/* typed view -> generic SQE, no aliasing */
	rc = nvmx_admin_sync(d->ctrl, &sqe, NULL, 0, NVMX_DIR_NONE, &cqe);
	if (rc)
		return rc;
	/* the value is in CQE DW0 (and DW1 for 8 bytes), Fabrics Figure 33 */
	*v = nvmx_le32_to_cpu(cqe.dw0);
	if (size == 8)
		*v |= (uint64_t)nvmx_le32_to_cpu(cqe.dw1) << 32;
	return 0;
}

int cli_reg_write(struct cli_dev *d, uint32_t off, unsigned size, uint64_t v)
{
	struct nvmx_prop_set_cmd c;
	struct nvmx_sqe sqe;

	if (!d->fabrics)
		return -EOPNOTSUPP;
	memset(&c, 0, sizeof(c));
	c.opc = NVMX_ADM_FABRICS;
	c.fctype = NVMX_FCTYPE_PROPERTY_SET;
	c.attrib = size == 8 ? 1 : 0;
	c.offset = nvmx_cpu_to_le32(off);
	c.value = nvmx_cpu_to_le64(v);
	memcpy(&sqe, &c, sizeof(sqe));
	return nvmx_admin_sync(d->ctrl, &sqe, NULL, 0, NVMX_DIR_NONE, NULL);
}

/* ------------------------------------------------------------------ */
/* Files                                                              */
/* ------------------------------------------------------------------ */

long cli_read_file(const char *path, void *buf, size_t len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	size_t got = 0;

	if (fd < 0)
		return -errno;
	while (got < len) {
		ssize_t r = read(fd, (uint8_t *)buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			if (fd != STDIN_FILENO)
				close(fd);
			return -e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	memset((uint8_t *)buf + got, 0, len - got);
	if (fd != STDIN_FILENO)
		close(fd);
	return (long)got;
}

int cli_write_file(const char *path, const void *buf, size_t len)
{
	int fd = strcmp(path, "-") ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
				   : STDOUT_FILENO;
	size_t put = 0;

	if (fd < 0)
		return -errno;
	while (put < len) {
		ssize_t w = write(fd, (const uint8_t *)buf + put, len - put);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;

			if (fd != STDOUT_FILENO)
				close(fd);
			return -e;
		}
		put += (size_t)w;
	}
	if (fd != STDOUT_FILENO)
		return close(fd) ? -errno : 0;
	return 0;
}
