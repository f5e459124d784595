/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>

#include "target/core.h"

int nvmx_tgt_control_start(struct nvmx_tgt *t, const char *path)
{
	return -ENOSYS;
}
