/* SPDX-License-Identifier: BSD-2-Clause */
/* admin-passthru, io-passthru: a command built from its dwords. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvmx/le.h"
#include "cli.h"

struct pt {
	uint8_t opcode, flags, prefill;
	uint16_t rsvd;
	uint32_t nsid, data_len, metadata_len, timeout;
	uint32_t cdw[16];
	const char *input;
	bool raw, show, dry, rd, wr, latency;
};

static void show_command(const struct pt *p)
{
	static const char *const names[] = {
		[2] = "cdw2", [3] = "cdw3", [10] = "cdw10", [11] = "cdw11", [12] = "cdw12",
		[13] = "cdw13", [14] = "cdw14", [15] = "cdw15",
	};
	unsigned i;

	printf("opcode       : %02x\n", p->opcode);
	printf("flags        : %02x\n", p->flags);
	printf("rsvd1        : %04x\n", p->rsvd);
	printf("nsid         : %08x\n", p->nsid);
	printf("data_len     : %08x\n", p->data_len);
	printf("metadata_len : %08x\n", p->metadata_len);
	for (i = 2; i < 16; i++)
		if (names[i])
			printf("%-13s: %08x\n", names[i], p->cdw[i]);
	printf("timeout_ms   : %08x\n", p->timeout);
}

static void build_sqe(const struct pt *p, struct nvmx_sqe *sqe)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opc = p->opcode;
	sqe->flags = p->flags;
	sqe->nsid = nvmx_cpu_to_le32(p->nsid);
	sqe->cdw2 = nvmx_cpu_to_le32(p->cdw[2]);
	sqe->cdw3 = nvmx_cpu_to_le32(p->cdw[3]);
	sqe->cdw10 = nvmx_cpu_to_le32(p->cdw[10]);
	sqe->cdw11 = nvmx_cpu_to_le32(p->cdw[11]);
	sqe->cdw12 = nvmx_cpu_to_le32(p->cdw[12]);
	sqe->cdw13 = nvmx_cpu_to_le32(p->cdw[13]);
	sqe->cdw14 = nvmx_cpu_to_le32(p->cdw[14]);
	sqe->cdw15 = nvmx_cpu_to_le32(p->cdw[15]);
}

/* --read/--write, else the opcode's data transfer bits (Base Figure 91). */
static enum nvmx_dir pt_dir(const struct pt *p)
{
	if (!p->data_len)
		return NVMX_DIR_NONE;
	if (p->wr)
		return NVMX_DIR_TO_CTRL;
	if (p->rd)
		return NVMX_DIR_FROM_CTRL;
	switch (p->opcode & 3) {
	case 1: return NVMX_DIR_TO_CTRL;
	case 2: return NVMX_DIR_FROM_CTRL;
	default: return NVMX_DIR_NONE;
	}
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int passthru(const struct cli_cmd *cmd, int argc, char **argv, bool admin)
{
	struct pt p = { 0 };
	const struct cli_opt opts[] = {
		{ "opcode", 'o', OPT_U8, &p.opcode, "opcode" },
		{ "flags", 'f', OPT_U8, &p.flags, "command flags (FUSE, PSDT)" },
		{ "prefill", 'p', OPT_U8, &p.prefill, "byte to prefill the data buffer with" },
		{ "rsvd", 'R', OPT_U16, &p.rsvd, "reserved field (ignored)" },
		{ "namespace-id", 'n', OPT_U32, &p.nsid, "namespace ID" },
		{ "data-len", 'l', OPT_U32, &p.data_len, "data length in bytes" },
		{ "metadata-len", 'm', OPT_U32, &p.metadata_len, "metadata length (not supported: 0)" },
		{ "timeout", 't', OPT_U32, &p.timeout, "timeout in ms (not used; the library's)" },
		{ "cdw2", '2', OPT_U32, &p.cdw[2], "command dword 2" },
		{ "cdw3", '3', OPT_U32, &p.cdw[3], "command dword 3" },
		{ "cdw10", '4', OPT_U32, &p.cdw[10], "command dword 10" },
		{ "cdw11", '5', OPT_U32, &p.cdw[11], "command dword 11" },
		{ "cdw12", '6', OPT_U32, &p.cdw[12], "command dword 12" },
		{ "cdw13", '7', OPT_U32, &p.cdw[13], "command dword 13" },
		{ "cdw14", '8', OPT_U32, &p.cdw[14], "command dword 14" },
		{ "cdw15", '9', OPT_U32, &p.cdw[15], "command dword 15" },
		{ "input-file", 'i', OPT_STR, &p.input, "data to write, or file for the data read" },
		{ "raw-binary", 'b', OPT_FLAG, &p.raw, "output the data read in binary" },
		{ "show-command", 's', OPT_FLAG, &p.show, "print the command" },
		{ "dry-run", 'd', OPT_FLAG, &p.dry, "print the command, do not send it" },
		{ "read", 'r', OPT_FLAG, &p.rd, "data moves from the controller" },
		{ "write", 'w', OPT_FLAG, &p.wr, "data moves to the controller" },
		{ "latency", 'T', OPT_FLAG, &p.latency, "print the command's latency" },
		OPT_END,
	};
	struct nvmx_sqe sqe;
	struct nvmx_cqe cqe;
	struct cli_dev d;
	const char *pos[1], *name;
	enum nvmx_dir dir;
	uint8_t *buf = NULL;
	double t0;
	int rc;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, 1);
	if (rc)
		return rc;
	if (p.metadata_len || p.data_len > (16u << 20) || (p.rd && p.wr)) {
		fprintf(stderr, "nvmx %s: --metadata-len is not supported, --data-len is at most "
			"16 MiB, and --read and --write exclude each other\n", cmd->name);
		return CLI_USAGE;
	}
	dir = pt_dir(&p);
	if (p.show || p.dry)
		show_command(&p);
	if (p.dry)
		return CLI_OK;
	if (p.data_len) {
		buf = aligned_alloc(4096, (p.data_len + 4095u) & ~4095u);
		if (!buf)
			return CLI_USAGE;
		memset(buf, p.prefill, p.data_len);
		if (dir == NVMX_DIR_TO_CTRL && p.input) {
			long got = cli_read_file(p.input, buf, p.data_len);

			if (got < 0) {
				fprintf(stderr, "nvmx %s: %s: %s\n", cmd->name, p.input, strerror((int)-got));
				free(buf);
				return CLI_USAGE;
			}
		}
	}
	if ((rc = cli_open(&d, cmd->name, pos[0]))) {
		free(buf);
		return rc;
	}
	build_sqe(&p, &sqe);
	name = nvmx_opc_name(admin ? NVMX_CMDSET_ADMIN : NVMX_CMDSET_NVM, p.opcode);
	t0 = now_us();
	if (admin)
		rc = nvmx_admin_sync(d.ctrl, &sqe, buf, p.data_len, dir, &cqe);
	else if (!(rc = cli_io_qpair(&d)))
		rc = nvmx_io_sync(d.qp, &sqe, buf, p.data_len, dir, &cqe);
	else
		goto out;
	if (p.latency)
		printf("%s Command %s latency: %.0f us\n", admin ? "Admin" : "IO", name, now_us() - t0);
	rc = cli_result(&d, name, rc);
	if (rc)
		goto out;
	fprintf(stderr, "%s Command %s is Success and result: 0x%08x\n", admin ? "Admin" : "IO",
		name, nvmx_le32_to_cpu(cqe.dw0));
	if (dir == NVMX_DIR_FROM_CTRL) {
		if (p.input)
			rc = cli_write_file(p.input, buf, p.data_len) ? CLI_USAGE : CLI_OK;
		else if (p.raw)
			nvmx_out_raw(stdout, buf, p.data_len);
		else
			nvmx_out_hexdump(stdout, buf, p.data_len);
	}
out:
	free(buf);
	cli_close(&d);
	return rc;
}

int cmd_admin_passthru(const struct cli_cmd *cmd, int argc, char **argv)
{
	return passthru(cmd, argc, argv, true);
}

int cmd_io_passthru(const struct cli_cmd *cmd, int argc, char **argv)
{
	return passthru(cmd, argc, argv, false);
}
