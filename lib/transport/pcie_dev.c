/* SPDX-License-Identifier: BSD-2-Clause */
/* VFIO device + DMA pool + controller registers, opened together. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "transport/pcie_bind.h"
#include "transport/pcie_dev.h"

static int vfio_map(void *arg, void *vaddr, size_t len, uint64_t *iova)
{
	return nvmx_vfio_dma_map(arg, vaddr, len, iova);
}

static int vfio_unmap(void *arg, uint64_t iova, size_t len)
{
	return nvmx_vfio_dma_unmap(arg, iova, len);
}

int nvmx_pcie_dev_open(struct nvmx_pcie_dev *d, const char *bdf, char *msg, size_t msglen)
{
	struct nvmx_dma_mapper m = { vfio_map, vfio_unmap, &d->vfio };
	char canon[32];
	int ret;

	memset(d, 0, sizeof(*d));
	ret = nvmx_pcie_bdf_parse(bdf, canon, sizeof(canon));
	if (ret) {
		snprintf(msg, msglen, "'%s' is not a PCI address (DDDD:BB:DD.F)", bdf);
		return ret;
	}
	ret = nvmx_vfio_open(&d->vfio, canon);
	if (ret) {
		snprintf(msg, msglen, "%s", d->vfio.errmsg);
		return ret;
	}
	ret = nvmx_dma_pool_init(&d->dma, &m, 0);
	if (ret)
		goto close_vfio;
	ret = nvmx_pcie_ctrl_init(&d->ctrl, d->vfio.bar0, d->vfio.bar0_size, &d->dma, canon);
	if (ret) {
		snprintf(msg, msglen, "%s: not a usable NVMe controller (%s)", canon, strerror(-ret));
		goto free_pool;
	}
	return 0;
free_pool:
	nvmx_dma_pool_fini(&d->dma);
close_vfio:
	nvmx_vfio_close(&d->vfio);
	return ret;
}

void nvmx_pcie_dev_close(struct nvmx_pcie_dev *d)
{
	nvmx_pcie_ctrl_fini(&d->ctrl);
	nvmx_dma_pool_fini(&d->dma);
	nvmx_vfio_close(&d->vfio);
}
