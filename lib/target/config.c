/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdio.h>

#include "target/core.h"

int nvmx_tgt_load_config(struct nvmx_tgt *t, const char *path, char *err, unsigned errlen)
{
	snprintf(err, errlen, "not implemented yet");
	return -ENOSYS;
}
