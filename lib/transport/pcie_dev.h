/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One NVMe controller owned through VFIO: the VFIO device, a DMA pool
 * mapped through its IOMMU container, and the register-level controller
 * over its BAR0.  The PCIe transport and standalone tools start here.
 */
#ifndef NVMX_PCIE_DEV_H
#define NVMX_PCIE_DEV_H

#include "transport/pcie_ctrl.h"
#include "transport/pcie_dma.h"
#include "transport/pcie_vfio.h"

struct nvmx_pcie_dev {
	struct nvmx_vfio_dev vfio;
	struct nvmx_dma_pool dma;
	struct nvmx_pcie_ctrl ctrl;
};

/* Open bdf (any form nvmx_pcie_bdf_parse takes); registers untouched.
 * On failure msg holds the reason and the command that fixes it. */
int nvmx_pcie_dev_open(struct nvmx_pcie_dev *d, const char *bdf, char *msg, size_t msglen);
/* Free queues' memory, unmap DMA, close VFIO (no register access). */
void nvmx_pcie_dev_close(struct nvmx_pcie_dev *d);

#endif /* NVMX_PCIE_DEV_H */
