/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * setup / reset-driver: hand PCI NVMe functions to vfio-pci for nvmx and
 * back to the kernel's nvme driver, through the library's sysfs binding
 * (lib/transport/pcie_bind.h).  Needs root.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#if __has_include("transport/pcie_bind.h")
#include "transport/pcie_bind.h"
#define HAVE_PCIE_BIND 1
#endif

#ifdef HAVE_PCIE_BIND
/* "pcie://0000:01:00.0" or a plain BDF. */
static int bdf_of(const char *cmd, const char *arg, char *bdf, size_t len)
{
	const char *p = strncmp(arg, "pcie://", 7) ? arg : arg + 7;

	if (nvmx_pcie_bdf_parse(p, bdf, len)) {
		fprintf(stderr, "nvmx %s: '%s' is not a PCI address (DDDD:BB:DD.F)\n", cmd, arg);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int bind_all(const struct cli_cmd *cmd, int argc, char **argv, bool to_vfio)
{
	const char *driver = "nvme";
	const struct cli_opt opts[] = {
		{ "driver", 'd', OPT_STR, &driver, "kernel driver to return to (reset-driver; default nvme)" },
		OPT_END,
	};
	const char *pos[32];
	char bdf[32], msg[256], drv[64];
	int rc, worst = CLI_OK, n, i;

	rc = cli_parse_n(cmd, opts, argc, argv, pos, 1, 32, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = bdf_of(cmd->name, pos[i], bdf, sizeof(bdf)))) {
			worst = rc;
			continue;
		}
		msg[0] = '\0';
		rc = to_vfio ? nvmx_pcie_bind_vfio("/sys", bdf, msg, sizeof(msg))
			     : nvmx_pcie_bind_kernel("/sys", bdf, driver, msg, sizeof(msg));
		if (rc) {
			if (msg[0])	/* the library's message names the device */
				fprintf(stderr, "nvmx %s: %s\n", cmd->name, msg);
			else
				fprintf(stderr, "nvmx %s: %s: %s\n", cmd->name, bdf, strerror(-rc));
			worst = CLI_USAGE;
			continue;
		}
		if (nvmx_pcie_driver_of("/sys", bdf, drv, sizeof(drv)))
			snprintf(drv, sizeof(drv), "?");
		printf("%s: bound to %s\n", bdf, drv[0] ? drv : "no driver");
	}
	return worst;
}

#else
/* Built before the PCIe transport: say so instead of failing obscurely. */
static int bind_all(const struct cli_cmd *cmd, int argc, char **argv, bool to_vfio)
{
	const struct cli_opt opts[] = { OPT_END };
	const char *pos[32];

	(void)to_vfio;
	if (cli_parse(cmd, opts, argc, argv, pos, 0, 32) == CLI_HELP)
		return CLI_HELP;
	fprintf(stderr, "nvmx %s: this build has no PCIe transport\n", cmd->name);
	return CLI_USAGE;
}
#endif

int cmd_setup(const struct cli_cmd *cmd, int argc, char **argv)
{
	return bind_all(cmd, argc, argv, true);
}

int cmd_reset_driver(const struct cli_cmd *cmd, int argc, char **argv)
{
	return bind_all(cmd, argc, argv, false);
}
