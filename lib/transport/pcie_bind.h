/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Give a PCI function to vfio-pci (`nvmx setup BDF`) or back to a kernel
 * driver (`nvmx reset-driver BDF`), through sysfs: driver_override, the
 * old driver's unbind, drivers_probe (Linux
 * Documentation/ABI/testing/sysfs-bus-pci).  Needs root.
 */
#ifndef NVMX_PCIE_BIND_H
#define NVMX_PCIE_BIND_H

#include <stddef.h>

/* Canonicalise "1:0.0", "01:00.0" or "0000:01:00.0" to "0000:01:00.0".
 * Returns 0 or -EINVAL. */
int nvmx_pcie_bdf_parse(const char *in, char *out, size_t outlen);

/*
 * Bind bdf to vfio-pci: load vfio-pci if its driver directory is missing,
 * set driver_override, unbind the current driver, drivers_probe, and
 * check the result.  sysfs is "/sys" except in tests.  0 when bound (also
 * when it already was); a negative errno and msg otherwise.
 */
int nvmx_pcie_bind_vfio(const char *sysfs, const char *bdf, char *msg, size_t msglen);

/* Clear driver_override, unbind from vfio-pci, load driver (default
 * "nvme") and drivers_probe; 0 when bdf is then bound to it. */
int nvmx_pcie_bind_kernel(const char *sysfs, const char *bdf, const char *driver,
			  char *msg, size_t msglen);

/* The driver bdf is bound to ("" when none).  0 or -errno. */
int nvmx_pcie_driver_of(const char *sysfs, const char *bdf, char *drv, size_t len);

#endif /* NVMX_PCIE_BIND_H */
