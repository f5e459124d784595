/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

int nvmx_ctl_main(int argc, char **argv);

int nvmx_ctl_main(int argc, char **argv)
{
	fprintf(stderr, "nvmxd ctl: not implemented yet\n");
	return 2;
}
