/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * discover: the Discovery Log Page of a discovery controller (NVMe-oF
 * 5.3).  The library reads it consistently (the GENCTR re-read loop);
 * the entries are laid back into the wire format for the printers, so
 * the output (and -o binary) is the page as the controller sent it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmx/le.h"
#include "cli.h"

static void pad_copy(char *dst, size_t n, const char *src)
{
	size_t l = strnlen(src, n);

	memset(dst, ' ', n);
	memcpy(dst, src, l);
}

static void to_wire(const struct nvmx_disc_entry *e, struct nvmx_disc_log_entry *w)
{
	memset(w, 0, sizeof(*w));
	w->trtype = e->trtype;
	w->adrfam = e->adrfam;
	w->subtype = e->subtype;
	w->treq = e->treq;
	w->portid = nvmx_cpu_to_le16(e->portid);
	w->cntlid = nvmx_cpu_to_le16(e->cntlid);
	w->asqsz = nvmx_cpu_to_le16(e->asqsz);
	w->eflags = nvmx_cpu_to_le16(e->eflags);
	/* TRSVCID and TRADDR are space padded, SUBNQN NUL padded (Fabrics Figure 32) */
	pad_copy(w->trsvcid, sizeof(w->trsvcid), e->trsvcid);
	pad_copy(w->traddr, sizeof(w->traddr), e->traddr);
	memcpy(w->subnqn, e->subnqn, strnlen(e->subnqn, sizeof(w->subnqn) - 1));
	w->tsas[0] = e->sectype;
}

int cmd_discover(const struct cli_cmd *cmd, int argc, char **argv)
{
	enum nvmx_out_fmt fmt = NVMX_OUT_NORMAL;
	const char *raw = NULL, *hostnqn = NULL;
	const struct cli_opt opts[] = {
		{ "output-format", 'o', OPT_FMT, &fmt, "output format: normal|json|binary" },
		{ "raw", 'r', OPT_STR, &raw, "also save the log page to this file" },
		{ "hostnqn", 'q', OPT_STR, &hostnqn, "host NQN (default: /etc/nvme/hostnqn or generated)" },
		OPT_END,
	};
	struct nvmx_out o = { stdout, NVMX_OUT_NORMAL, false, false };
	struct nvmx_disc_entry *e = NULL;
	struct nvmx_disc_log_hdr *log;
	struct nvmx_ctrl_opts copts;
	const char *pos[1];
	struct cli_dev d;
	uint64_t genctr = 0;
	unsigned nr = 0, i;
	size_t len;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc || (rc = cli_parse_trid(&d, cmd->name, pos[0])))
		return rc;
	nvmx_ctrl_opts_init(&copts, sizeof(copts));
	if (hostnqn)
		snprintf(copts.hostnqn, sizeof(copts.hostnqn), "%s", hostnqn);
	rc = nvmx_discover(&d.trid, &copts, &e, &nr, &genctr);
	if (rc) {
		if (rc > 0)
			return cli_result(&d, "Get Log Page Discovery", rc);
		fprintf(stderr, "nvmx %s: %s: discovery failed: %s\n", cmd->name, d.name, strerror(-rc));
		return CLI_USAGE;
	}
	len = sizeof(*log) + (size_t)nr * sizeof(log->entries[0]);
	log = calloc(1, len);
	if (!log) {
		free(e);
		return CLI_USAGE;
	}
	log->genctr = nvmx_cpu_to_le64(genctr);
	log->numrec = nvmx_cpu_to_le64(nr);
	for (i = 0; i < nr; i++)
		to_wire(&e[i], &log->entries[i]);
	if (raw && cli_write_file(raw, log, len)) {
		fprintf(stderr, "nvmx %s: cannot write %s\n", cmd->name, raw);
		rc = CLI_USAGE;
	}
	o.fmt = fmt;
	nvmx_print_disc_log(&o, log, len);
	free(log);
	free(e);
	return rc;
}
