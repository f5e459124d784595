/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transports compiled in.  PCIe is a weak reference until it lands
 * (note: a weak reference does not pull an object out of a static
 * archive, so a landed transport must be referenced strongly here).
 */
#include <stddef.h>

#include "host/internal.h"

extern const struct nvmx_transport_ops nvmx_pcie_host_ops __attribute__((weak));

const struct nvmx_transport_ops *nvmx_transport_lookup(int t)
{
	switch (t) {
	case NVMX_TRTYPE_TCP:
		return &nvmx_tcp_host_ops;
	case NVMX_TRTYPE_PCIE:
		return &nvmx_pcie_host_ops;	/* NULL when not linked */
	default:
		return NULL;
	}
}
