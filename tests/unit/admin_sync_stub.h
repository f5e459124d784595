/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A recording nvmx_admin_sync() for unit tests that include the .c under
 * test (SPDK's pattern): every SQE and its length is kept in order, data
 * buffers are filled with 0xab, and the CQE handed back is next_cqe.
 */
#ifndef NVMX_TEST_ADMIN_SYNC_STUB_H
#define NVMX_TEST_ADMIN_SYNC_STUB_H

#include <string.h>

#include "nvmx/nvmx.h"

#define MAX_SQES 16
static struct nvmx_sqe sqes[MAX_SQES];
static uint32_t lens[MAX_SQES];
static unsigned nsqe;
static struct nvmx_cqe next_cqe;

int nvmx_admin_sync(struct nvmx_ctrl *ctrl, const struct nvmx_sqe *sqe, void *buf,
		    uint32_t len, enum nvmx_dir dir, struct nvmx_cqe *cqe)
{
	(void)ctrl; (void)dir;
	if (nsqe < MAX_SQES) {
		sqes[nsqe] = *sqe;
		lens[nsqe] = len;
	}
	nsqe++;
	if (buf)
		memset(buf, 0xab, len);
	if (cqe)
		*cqe = next_cqe;
	return 0;
}

#endif
