/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The nvmx command line: subcommand table, option parsing (nvme-cli's
 * long/short names, --help from the same table), connecting to the
 * controller named by a transport ID, and error reporting with the exit
 * codes every subcommand shares:
 *   0  success
 *   1  the controller completed a command with an NVMe status
 *   2  usage error, or a connection / transport error
 */
#ifndef NVMX_TOOLS_CLI_H
#define NVMX_TOOLS_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "nvmx/nvmx.h"
#include "print.h"

#define NVMX_NSID_ALL 0xffffffffu	/* every namespace / the controller */

enum {
	CLI_OK = 0,
	CLI_NVME_STATUS = 1,
	CLI_USAGE = 2,
	CLI_HELP = -1,		/* --help printed: exit 0 */
};

enum cli_opt_type {
	OPT_FLAG,	/* bool, no argument */
	OPT_U8,
	OPT_U16,
	OPT_U32,
	OPT_U64,
	OPT_STR,	/* const char * */
	OPT_FMT,	/* -o normal|json|binary into enum nvmx_out_fmt */
	OPT_BOOL,	/* bool, optional argument: --rae, --rae=1, --rae=0 */
};

struct cli_opt {
	const char *lname;
	int sname;		/* 0: long only */
	enum cli_opt_type type;
	void *dst;
	const char *help;
};
#define OPT_END { NULL, 0, OPT_FLAG, NULL, NULL }

struct cli_cmd {
	const char *name;
	const char *summary;
	const char *args;	/* positional arguments in the usage line */
	int (*fn)(const struct cli_cmd *cmd, int argc, char **argv);
};

/*
 * Parse argv (argv[0] is the subcommand name) with opts; the positional
 * arguments left are stored in pos[0..npos) (npos_min..npos_max of them).
 * Returns CLI_OK, CLI_HELP (help printed) or CLI_USAGE (error printed).
 */
int cli_parse(const struct cli_cmd *cmd, const struct cli_opt *opts, int argc, char **argv,
	      const char **pos, int npos_min, int npos_max);
/* As cli_parse; *npos receives the number of positional arguments. */
int cli_parse_n(const struct cli_cmd *cmd, const struct cli_opt *opts, int argc, char **argv,
		const char **pos, int npos_min, int npos_max, int *npos);
void cli_usage(const struct cli_cmd *cmd, const struct cli_opt *opts);
/* Parse a number (decimal or 0x hex) no larger than max. */
int cli_parse_u64(const char *s, uint64_t max, uint64_t *v);

/* The controller a subcommand talks to. */
struct cli_dev {
	const char *cmd;		/* subcommand, for messages */
	char name[300];			/* transport ID as printed */
	struct nvmx_trid trid;
	struct nvmx_ctrl *ctrl;
	struct nvmx_qpair *qp;		/* I/O queue pair, on demand */
	bool fabrics;
};

/* Parse the transport ID and connect; prints the error and returns
 * CLI_USAGE on failure. */
int cli_open(struct cli_dev *d, const char *cmd, const char *trid);
/* Parse only (commands that connect themselves, e.g. discover). */
int cli_parse_trid(struct cli_dev *d, const char *cmd, const char *trid);
void cli_close(struct cli_dev *d);
/* An I/O queue pair on d (allocated once). */
int cli_io_qpair(struct cli_dev *d);
/* Check nsid names an active namespace; prints the error (CLI_USAGE). */
int cli_check_ns(struct cli_dev *d, uint32_t nsid);

/*
 * Report the result of a library call that ran a command: 0 -> CLI_OK;
 * > 0 (NVMe status, 15-bit field: SC 7:0, SCT 10:8, CRD 12:11, M 13,
 * DNR 14) -> one line naming it, CLI_NVME_STATUS; < 0 -> one line with the
 * transport error, CLI_USAGE.
 */
int cli_result(const struct cli_dev *d, const char *what, int rc);
/* Format an NVMe status (the > 0 value above) as the error line does. */
char *cli_status_str(int status, char *buf, size_t len);

/* Get Log Page with RAE and LSP (Base 5.16): split into pieces the
 * controller accepts.  rae keeps an asynchronous event outstanding. */
int cli_get_log(struct cli_dev *d, uint8_t lid, uint32_t nsid, uint8_t lsp, bool rae,
		uint64_t offset, void *buf, uint32_t len);
/* Read a controller register / fabrics property (Base 3.1.3). */
int cli_reg_read(struct cli_dev *d, uint32_t off, unsigned size, uint64_t *v);
int cli_reg_write(struct cli_dev *d, uint32_t off, unsigned size, uint64_t v);

/* Read a whole file (or stdin for "-") into a buffer of exactly len bytes
 * (zero-padded); returns bytes read or -errno. */
long cli_read_file(const char *path, void *buf, size_t len);
int cli_write_file(const char *path, const void *buf, size_t len);

/* Subcommand groups. */
int cmd_discover(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_list(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_id_ctrl(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_id_ns(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_ns_descs(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_list_ns(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_smart_log(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_error_log(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_fw_log(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_get_log(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_get_feature(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_set_feature(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_admin_passthru(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_io_passthru(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_read(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_write(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_compare(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_flush(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_write_zeroes(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_dsm(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_reset(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_subsystem_reset(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_ns_rescan(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_show_regs(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_setup(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_reset_driver(const struct cli_cmd *cmd, int argc, char **argv);

#endif /* NVMX_TOOLS_CLI_H */
