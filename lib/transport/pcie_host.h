/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PCIe/VFIO transport's operations table for the host core.  The core
 * finds it by trtype (NVMX_TRTYPE_PCIE, "pcie://DDDD:BB:DD.F"); tools and
 * tests may use buf_alloc/buf_free directly for zero-copy DMA buffers.
 */
#ifndef NVMX_PCIE_HOST_H
#define NVMX_PCIE_HOST_H

#include "transport/transport.h"

extern const struct nvmx_transport_ops nvmx_pcie_host_ops;

#endif /* NVMX_PCIE_HOST_H */
