/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmx: nvme-cli's commands for controllers that user space owns, named
 * by transport ID instead of /dev/nvmeX.  Each subcommand lives in
 * tools/nvmx/cmd_*.c; this file is the table and the dispatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "cli.h"

#define T "<trid>"

static const struct cli_cmd cmds[] = {
	{ "discover", "Read the Discovery Log Page of a discovery controller", T, cmd_discover },
	{ "list", "List the namespaces of the given controllers", T "...", cmd_list },
	{ "id-ctrl", "Identify Controller", T, cmd_id_ctrl },
	{ "id-ns", "Identify Namespace", T, cmd_id_ns },
	{ "ns-descs", "Namespace Identification Descriptor list", T, cmd_ns_descs },
	{ "list-ns", "Active Namespace ID list", T, cmd_list_ns },
	{ "smart-log", "SMART / Health Information log page", T, cmd_smart_log },
	{ "error-log", "Error Information log page", T, cmd_error_log },
	{ "fw-log", "Firmware Slot Information log page", T, cmd_fw_log },
	{ "get-log", "Any log page, as a hex dump or raw", T, cmd_get_log },
	{ "get-feature", "Get Features", T, cmd_get_feature },
	{ "set-feature", "Set Features", T, cmd_set_feature },
	{ "admin-passthru", "Send an admin command built from its dwords", T, cmd_admin_passthru },
	{ "io-passthru", "Send an I/O command built from its dwords", T, cmd_io_passthru },
	{ "read", "Read blocks", T, cmd_read },
	{ "write", "Write blocks", T, cmd_write },
	{ "compare", "Compare blocks with data", T, cmd_compare },
	{ "flush", "Flush volatile write cache", T, cmd_flush },
	{ "write-zeroes", "Write zeroes to blocks", T, cmd_write_zeroes },
	{ "dsm", "Dataset Management (deallocate ranges)", T, cmd_dsm },
	{ "reset", "Controller reset (CC.EN 1->0->1)", T, cmd_reset },
	{ "subsystem-reset", "NVM Subsystem Reset (NSSR)", T, cmd_subsystem_reset },
	{ "ns-rescan", "Re-read the active namespaces", T, cmd_ns_rescan },
	{ "show-regs", "Controller registers / fabrics properties", T, cmd_show_regs },
	{ "monitor", "Stream asynchronous events and state changes", T, cmd_monitor },
	{ "setup", "Bind PCI NVMe functions to vfio-pci (root)", "<bdf>...", cmd_setup },
	{ "reset-driver", "Give PCI functions back to the nvme driver (root)", "<bdf>...",
	  cmd_reset_driver },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	unsigned i;

	fprintf(f, "usage: nvmx <command> <trid> [OPTIONS]\n\n"
		"<trid> names the controller: tcp://HOST[:PORT][/SUBNQN], pcie://DDDD:BB:DD.F,\n"
		"or SPDK's 'trtype:TCP traddr:HOST trsvcid:PORT subnqn:NQN'.\n\n"
		"Commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-16s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'nvmx <command> --help' shows a command's options.  Exit status: 0 success,\n"
		"1 the controller returned an NVMe status, 2 usage or connection error.\n");
}

int main(int argc, char **argv)
{
	unsigned i;
	int rc;

	nvmx_log_set_prefix("nvmx");
	/* Each failure ends in one line of ours naming it; the library's own
	 * warnings are for NVMX_LOG=warn/info/debug. */
	if (!getenv("NVMX_LOG"))
		nvmx_log_set_level(NVMX_LOG_ERR);
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("nvmx version %s\n", NVMX_VERSION);
		return CLI_OK;
	}
	for (i = 0; i < NCMDS; i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		rc = cmds[i].fn(&cmds[i], argc - 1, argv + 1);
		fflush(stdout);
		return rc == CLI_HELP ? CLI_OK : rc;
	}
	fprintf(stderr, "nvmx: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
