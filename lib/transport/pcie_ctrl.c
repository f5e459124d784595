/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controller-level register work on PCIe: initialisation (Base 3.5.1),
 * shutdown (3.6.1), controller and NVM subsystem reset (3.7).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "transport/pcie_ctrl.h"
#include "transport/pcie_prp.h"
#include "util/log.h"

#define CSTS_GONE 0xffffffffu

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void pause_once(struct nvmx_pcie_ctrl *c)
{
	if (c->wait_hook) {
		c->wait_hook(c->wait_arg);
	} else {
		struct timespec ts = { 0, 1000000 };	/* 1 ms */

		nanosleep(&ts, NULL);
	}
}

int nvmx_pcie_ctrl_init(struct nvmx_pcie_ctrl *c, void *bar, size_t bar_size,
			struct nvmx_dma_pool *dma, const char *name)
{
	uint32_t mpsmin, mpsmax;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "pcie");
	c->bar = bar;
	c->bar_size = bar_size;
	c->dma = dma;
	atomic_init(&c->dead, false);
	if (bar_size < NVMX_REG_DBS + 8) {
		nvmx_err("%s: BAR0 of %zu bytes is too small for an NVMe controller", c->name, bar_size);
		return -EINVAL;
	}
	c->cap = nvmx_pcie_rd64(c, NVMX_REG_CAP);
	c->vs = nvmx_pcie_rd32(c, NVMX_REG_VS);
	if (c->cap == ~0ull) {
		atomic_store(&c->dead, true);
		nvmx_err("%s: CAP reads all ones: the device is gone", c->name);
		return -ENODEV;
	}
	c->dstrd = nvmx_cap_dstrd(c->cap);
	c->to_ms = nvmx_cap_to(c->cap) * 500u;
	if (c->to_ms == 0)
		c->to_ms = 500;
	/* Our DMA chunks are 4 KiB aligned, so the memory page size is 4 KiB;
	 * it must lie in [MPSMIN, MPSMAX] (Base Figure 36). */
	mpsmin = nvmx_cap_mpsmin(c->cap);
	mpsmax = nvmx_cap_mpsmax(c->cap);
	if (mpsmin > 0 || mpsmax < mpsmin) {
		nvmx_err("%s: controller needs pages of at least %u bytes; nvmx uses 4096",
			 c->name, 4096u << mpsmin);
		return -ENOTSUP;
	}
	c->mps = 0;
	c->page_size = 4096u << c->mps;
	if (nvmx_doorbell_off(1, 1, c->dstrd) + 4 > bar_size) {
		nvmx_err("%s: BAR0 (%zu bytes) has no room for I/O doorbells with DSTRD %u",
			 c->name, bar_size, c->dstrd);
		return -EINVAL;
	}
	c->max_xfer = nvmx_prp_max_xfer(1, c->page_size);
	return 0;
}

void nvmx_pcie_ctrl_fini(struct nvmx_pcie_ctrl *c)
{
	nvmx_pcie_queue_free(&c->adminq);
}

int nvmx_pcie_csts(struct nvmx_pcie_ctrl *c, uint32_t *csts)
{
	uint32_t v;

	if (atomic_load_explicit(&c->dead, memory_order_relaxed))
		return -ENODEV;
	v = nvmx_pcie_rd32(c, NVMX_REG_CSTS);
	if (v == CSTS_GONE) {
		/* A read of all ones: the function no longer answers
		 * (surprise removal, link down). */
		atomic_store(&c->dead, true);
		nvmx_err("%s: CSTS reads 0xffffffff: device removed", c->name);
		return -ENODEV;
	}
	*csts = v;
	return 0;
}

int nvmx_pcie_wait_csts(struct nvmx_pcie_ctrl *c, uint32_t mask, uint32_t val, uint32_t timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	uint32_t csts;
	int ret;

	for (;;) {
		ret = nvmx_pcie_csts(c, &csts);
		if (ret)
			return ret;
		if ((csts & mask) == val)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		pause_once(c);
	}
}

int nvmx_pcie_ctrl_disable(struct nvmx_pcie_ctrl *c)
{
	uint32_t cc = nvmx_pcie_rd32(c, NVMX_REG_CC), csts;
	int ret;

	ret = nvmx_pcie_csts(c, &csts);
	if (ret)
		return ret;
	/* EN=1 with RDY=0: the controller is still enabling; clearing EN now
	 * is undefined, so wait for RDY=1 first (Base 3.5.1, as FreeBSD). */
	if (nvmx_cc_en(cc) && !nvmx_csts_rdy(csts)) {
		ret = nvmx_pcie_wait_csts(c, NVMX_CSTS_RDY, NVMX_CSTS_RDY, c->to_ms);
		if (ret == -ENODEV)
			return ret;
	}
	if (nvmx_cc_en(cc))
		nvmx_pcie_wr32(c, NVMX_REG_CC, cc & ~NVMX_CC_EN);
	ret = nvmx_pcie_wait_csts(c, NVMX_CSTS_RDY, 0, c->to_ms);
	if (ret == -ETIMEDOUT)
		snprintf(c->errmsg, sizeof(c->errmsg),
			 "%s: CSTS.RDY still 1 %u ms (CAP.TO) after CC.EN=0", c->name, c->to_ms);
	if (ret)
		nvmx_err("%s: disable failed: %s", c->name, c->errmsg[0] ? c->errmsg : strerror(-ret));
	return ret;
}

int nvmx_pcie_ctrl_setup_admin(struct nvmx_pcie_ctrl *c, uint16_t depth, uint32_t ntrk)
{
	struct nvmx_pcie_queue *q = &c->adminq;
	int ret;

	if (depth < 2 || depth > 4096)
		return -EINVAL;	/* AQA fields are 12 bits, 0's based */
	if (!q->sq) {
		ret = nvmx_pcie_queue_alloc(c, q, 0, depth, ntrk < depth ? depth : ntrk, 64u * 1024);
		if (ret)
			return ret;
	} else {
		nvmx_pcie_queue_reset(q);
	}
	nvmx_pcie_wr32(c, NVMX_REG_AQA, NVMX_AQA(q->depth, q->depth));
	nvmx_pcie_wr64(c, NVMX_REG_ASQ, q->sq_iova);
	nvmx_pcie_wr64(c, NVMX_REG_ACQ, q->cq_iova);
	q->created = true;	/* the admin queue exists once enabled */
	return 0;
}

uint32_t nvmx_pcie_cc_value(const struct nvmx_pcie_ctrl *c)
{
	uint32_t css = nvmx_cap_css(c->cap);
	uint32_t cc = (6u << NVMX_CC_IOSQES_SHIFT) | (4u << NVMX_CC_IOCQES_SHIFT) |
		      (c->mps << NVMX_CC_MPS_SHIFT);

	/* NVM command set when offered, else admin only (Base Figure 41). */
	cc |= (css & NVMX_CAP_CSS_NVM) || !(css & NVMX_CAP_CSS_ADMIN) ? NVMX_CC_CSS_NVM
								       : NVMX_CC_CSS_ADMIN;
	return cc | NVMX_CC_EN;
}

int nvmx_pcie_ctrl_enable(struct nvmx_pcie_ctrl *c)
{
	uint32_t csts;
	int ret;

	nvmx_pcie_wr32(c, NVMX_REG_CC, nvmx_pcie_cc_value(c));
	ret = nvmx_pcie_wait_csts(c, NVMX_CSTS_RDY | NVMX_CSTS_CFS, NVMX_CSTS_RDY, c->to_ms);
	if (ret == -ETIMEDOUT && nvmx_pcie_csts(c, &csts) == 0 && nvmx_csts_cfs(csts))
		ret = -EIO;
	if (ret)
		nvmx_err("%s: enable failed: %s", c->name,
			 ret == -EIO ? "controller fatal status (CSTS.CFS)" :
			 ret == -ETIMEDOUT ? "CSTS.RDY not 1 within CAP.TO" : strerror(-ret));
	return ret;
}

int nvmx_pcie_ctrl_bringup(struct nvmx_pcie_ctrl *c, uint16_t admin_depth)
{
	int ret = nvmx_pcie_ctrl_disable(c);

	if (ret)
		return ret;
	ret = nvmx_pcie_ctrl_setup_admin(c, admin_depth, admin_depth);
	if (ret)
		return ret;
	return nvmx_pcie_ctrl_enable(c);
}

int nvmx_pcie_ctrl_shutdown(struct nvmx_pcie_ctrl *c, uint32_t timeout_ms)
{
	uint32_t cc;
	int ret;

	cc = nvmx_pcie_rd32(c, NVMX_REG_CC);
	cc = (cc & ~NVMX_CC_SHN_MASK) | NVMX_CC_SHN_NORMAL;
	nvmx_pcie_wr32(c, NVMX_REG_CC, cc);
	ret = nvmx_pcie_wait_csts(c, NVMX_CSTS_SHST_MASK, NVMX_CSTS_SHST_CMPLT, timeout_ms);
	if (ret)
		nvmx_err("%s: shutdown: CSTS.SHST not 'complete' within %u ms", c->name, timeout_ms);
	return ret;
}

int nvmx_pcie_ctrl_nssr(struct nvmx_pcie_ctrl *c)
{
	if (!nvmx_cap_nssrs(c->cap)) {
		nvmx_err("%s: NVM subsystem reset not supported (CAP.NSSRS=0)", c->name);
		return -ENOTSUP;
	}
	nvmx_pcie_wr32(c, NVMX_REG_NSSR, NVMX_NSSR_RESET_VALUE);
	return 0;
}
