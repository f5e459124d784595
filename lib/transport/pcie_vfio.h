/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VFIO access to one PCI function: container (type1 IOMMU), group, device,
 * BAR0 mapped into our address space, config space, DMA mappings and MSI-X
 * vectors wired to eventfds.  Nothing NVMe specific lives here.
 *
 * Compare libvfn src/vfio/pci.c and Linux Documentation/driver-api/vfio.rst.
 */
#ifndef NVMX_PCIE_VFIO_H
#define NVMX_PCIE_VFIO_H

#include <stddef.h>
#include <stdint.h>

#define NVMX_VFIO_MAX_IRQS	64
#define NVMX_VFIO_MAX_RANGES	16

struct nvmx_vfio_dev {
	char bdf[32];			/* "0000:01:00.0" */
	int group_id;
	int container_fd;
	int group_fd;
	int device_fd;
	void *bar0;
	size_t bar0_size;		/* bytes mapped */
	uint64_t cfg_off;		/* config space region offset in device_fd */
	/* MSI-X vectors enabled and their eventfds (-1 when unused). */
	unsigned int nr_irqs;
	int irq_fds[NVMX_VFIO_MAX_IRQS];
	unsigned int max_irqs;		/* MSI-X vectors the function has */
	/* Usable IOVA windows (VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) and the
	 * next IOVA to hand out: a bump allocator, regions are never reused. */
	unsigned int nr_ranges;
	uint64_t range_start[NVMX_VFIO_MAX_RANGES];
	uint64_t range_end[NVMX_VFIO_MAX_RANGES];	/* inclusive */
	uint64_t next_iova;
	char errmsg[1024];
};

/*
 * Check, without opening anything, why bdf cannot be used through VFIO:
 * no such device, IOMMU off, not bound to vfio-pci, group not viable (a
 * sibling in the IOMMU group bound to a host driver), vfio modules not
 * loaded.  sysfs is "/sys" except in tests; devdir is "/dev" likewise.
 * Returns 0 when all looks right, else a negative errno with msg holding
 * the problem and the exact command that fixes it.
 */
int nvmx_vfio_diagnose(const char *sysfs, const char *devdir, const char *bdf,
		       char *msg, size_t msglen);

/* Open the device: container, group, type1 IOMMU, device fd, BAR0 mmap,
 * bus mastering on.  On failure d->errmsg says why and how to fix it. */
int nvmx_vfio_open(struct nvmx_vfio_dev *d, const char *bdf);
void nvmx_vfio_close(struct nvmx_vfio_dev *d);

/* PCI configuration space access through the VFIO config region. */
int nvmx_vfio_cfg_read(struct nvmx_vfio_dev *d, uint32_t off, void *buf, size_t len);
int nvmx_vfio_cfg_write(struct nvmx_vfio_dev *d, uint32_t off, const void *buf, size_t len);

/* Map [vaddr, vaddr+len) for device DMA (read and write); the IOVA is
 * chosen inside the IOMMU's usable windows and returned in *iova. */
int nvmx_vfio_dma_map(struct nvmx_vfio_dev *d, void *vaddr, size_t len, uint64_t *iova);
int nvmx_vfio_dma_unmap(struct nvmx_vfio_dev *d, uint64_t iova, size_t len);

/* Enable n MSI-X vectors, each signalling its own eventfd (d->irq_fds). */
int nvmx_vfio_irq_enable(struct nvmx_vfio_dev *d, unsigned int n);
void nvmx_vfio_irq_disable(struct nvmx_vfio_dev *d);

/* Pick an IOVA for len bytes at or above *next within the windows (bump
 * allocation, 2 MiB aligned).  Exposed for unit tests.  0 on success. */
int nvmx_iova_pick(const uint64_t *start, const uint64_t *end, unsigned int n,
		   uint64_t *next, size_t len, uint64_t *iova);

#endif /* NVMX_PCIE_VFIO_H */
