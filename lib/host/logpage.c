/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Get Log Page of any length (Base 2.0, 5.16): split into pieces the
 * controller accepts (its transfer limit, whole dwords), each piece at its
 * offset (LPOL/LPOU).  Retain Asynchronous Event is kept on every piece but
 * the last, so a log read in pieces clears its event once, at the end, and
 * only when the caller asked (the AER owner in aer.c); every other reader
 * keeps it, so it never clears an event the AER path is waiting to read.
 */
#include <errno.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

int nvmx_get_log_ext_sync(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint8_t lsp,
			  bool rae, uint64_t offset, void *buf, uint32_t len)
{
	uint32_t max = ctrl->max_xfer ? ctrl->max_xfer : 4096;
	struct nvmx_sqe sqe;
	uint32_t done = 0;

	max &= ~3u;
	if (len == 0 || len % 4 || offset % 4 || lsp > 0x7f || max == 0)
		return -EINVAL;
	while (done < len) {
		uint32_t n = len - done < max ? len - done : max;
		uint32_t numd = n / 4 - 1;	/* 0's based dwords */
		uint64_t off = offset + done;
		bool keep = rae || done + n < len;
		int rc;

		sqe_init(&sqe, NVMX_ADM_GET_LOG_PAGE, nsid);
		/* CDW10: LID 7:0, LSP 14:8, RAE 15, NUMDL 31:16; CDW11: NUMDU */
		sqe_set_cdw(&sqe, 10, lid | (uint32_t)lsp << 8 | (keep ? 1u << 15 : 0) | numd << 16);
		sqe_set_cdw(&sqe, 11, numd >> 16);
		sqe_set_cdw(&sqe, 12, (uint32_t)off);
		sqe_set_cdw(&sqe, 13, (uint32_t)(off >> 32));
		rc = nvmx_admin_sync(ctrl, &sqe, (uint8_t *)buf + done, n, NVMX_DIR_FROM_CTRL, NULL);
		if (rc)
			return rc;
		done += n;
	}
	return 0;
}

int nvmx_get_log_rae(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint64_t offset,
		     void *buf, uint32_t len, bool rae)
{
	return nvmx_get_log_ext_sync(ctrl, lid, nsid, 0, rae, offset, buf, len);
}

int nvmx_get_log_sync(struct nvmx_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint64_t offset,
		      void *buf, uint32_t len)
{
	return nvmx_get_log_ext_sync(ctrl, lid, nsid, 0, true, offset, buf, len);
}
