/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VFIO container/group/device handling for one PCI function.
 * Linux Documentation/driver-api/vfio.rst gives the sequence: open the
 * container, check the API version and type1 support, open the group, check
 * it is viable, attach it to the container, set the IOMMU model, then get
 * the device fd from the group.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "transport/pcie_vfio.h"
#include "util/log.h"

#define SETUP_HINT "run 'nvmx setup %s' (or: modprobe vfio-pci && " \
	"echo vfio-pci > /sys/bus/pci/devices/%s/driver_override && " \
	"echo %s > /sys/bus/pci/devices/%s/driver/unbind && " \
	"echo %s > /sys/bus/pci/drivers_probe)"


/* basename of the symlink at path, or "" when it is not there. */
static int link_name(const char *path, char *out, size_t outlen)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	const char *b;

	out[0] = '\0';
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	b = strrchr(buf, '/');
	b = b ? b + 1 : buf;
	if (strlen(b) >= outlen)
		return -ENAMETOOLONG;
	memcpy(out, b, strlen(b) + 1);
	return 0;
}

static int dir_has_entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	int found = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] != '.') {
			found = 1;
			break;
		}
	}
	closedir(dir);
	return found;
}

/* Drivers under which a group member does not spoil viability
 * (Linux vfio_dev_driver_allowed()). */
static int driver_allowed(const char *drv)
{
	return !drv[0] || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub") ||
	       !strcmp(drv, "pcieport");
}

static int check_group_viable(const char *sysfs, const char *bdf, const char *group,
			      char *msg, size_t msglen)
{
	char path[PATH_MAX], drv[256];
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%s/devices", sysfs, group);
	dir = opendir(path);
	if (!dir)
		return 0;	/* nothing to say; open will tell */
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, bdf))
			continue;
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", sysfs, de->d_name);
		link_name(path, drv, sizeof(drv));
		if (driver_allowed(drv))
			continue;
		nvmx_set_errmsg(msg, msglen,
		       "%s: IOMMU group %s is not viable: %s, in the same group, is bound to %s; "
		       "every device of the group must be given to vfio-pci or unbound: "
		       "run 'nvmx setup %s' (or: echo %s > /sys/bus/pci/devices/%s/driver/unbind)",
		       bdf, group, de->d_name, drv, de->d_name, de->d_name, de->d_name);
		ret = -EPERM;
		break;
	}
	closedir(dir);
	return ret;
}

int nvmx_vfio_diagnose(const char *sysfs, const char *devdir, const char *bdf,
		       char *msg, size_t msglen)
{
	char path[PATH_MAX], group[64], drv[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sysfs, bdf);
	if (stat(path, &st) < 0) {
		nvmx_set_errmsg(msg, msglen, "%s: no such PCI device (list them with: lspci -D)", bdf);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups", sysfs);
	if (!dir_has_entries(path)) {
		nvmx_set_errmsg(msg, msglen,
		       "%s: the IOMMU is off (%s/kernel/iommu_groups is empty): add "
		       "'intel_iommu=on iommu=pt' (AMD: 'amd_iommu=on iommu=pt') to the kernel "
		       "command line, reboot, and check with: ls /sys/kernel/iommu_groups",
		       bdf, sysfs);
		return -ENXIO;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", sysfs, bdf);
	if (link_name(path, group, sizeof(group)) < 0) {
		nvmx_set_errmsg(msg, msglen,
		       "%s: the device has no IOMMU group (the IOMMU does not cover it); "
		       "check 'dmesg | grep -i -e DMAR -e IOMMU' and the kernel command line "
		       "('intel_iommu=on' / 'amd_iommu=on')", bdf);
		return -ENXIO;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", sysfs, bdf);
	link_name(path, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci") != 0) {
		if (drv[0])
			nvmx_set_errmsg(msg, msglen, "%s: bound to %s, not vfio-pci: " SETUP_HINT,
			       bdf, drv, bdf, bdf, bdf, bdf, bdf);
		else
			nvmx_set_errmsg(msg, msglen, "%s: not bound to any driver, needs vfio-pci: run "
			       "'nvmx setup %s' (or: modprobe vfio-pci && echo vfio-pci > "
			       "/sys/bus/pci/devices/%s/driver_override && echo %s > "
			       "/sys/bus/pci/drivers_probe)", bdf, bdf, bdf, bdf);
		return -EBUSY;
	}
	snprintf(path, sizeof(path), "%s/vfio/vfio", devdir);
	if (stat(path, &st) < 0) {
		nvmx_set_errmsg(msg, msglen, "%s: %s is missing: run 'modprobe vfio-pci'", bdf, path);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/vfio/%s", devdir, group);
	if (stat(path, &st) < 0) {
		nvmx_set_errmsg(msg, msglen,
		       "%s: %s is missing although the device is bound to vfio-pci; "
		       "rebind it: run 'nvmx reset-driver %s && nvmx setup %s'",
		       bdf, path, bdf, bdf);
		return -ENOENT;
	}
	return check_group_viable(sysfs, bdf, group, msg, msglen);
}

/* ---- IOVA windows ---- */

#define IOVA_ALIGN	(2ull << 20)
#define IOVA_FLOOR	(4ull << 30)	/* above the x86 MSI window and low MMIO */

int nvmx_iova_pick(const uint64_t *start, const uint64_t *end, unsigned int n,
		   uint64_t *next, size_t len, uint64_t *iova)
{
	uint64_t size = ((uint64_t)len + IOVA_ALIGN - 1) & ~(IOVA_ALIGN - 1);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t a = *next > start[i] ? *next : start[i];

		a = (a + IOVA_ALIGN - 1) & ~(IOVA_ALIGN - 1);
		if (a < start[i] || a + size < a || a + size - 1 > end[i])
			continue;
		*iova = a;
		*next = a + size;
		return 0;
	}
	return -ENOSPC;
}

/* Read the usable IOVA ranges; without the capability (old kernels) assume
 * everything from 4 GiB to 2^39 (the smallest common VT-d address width). */
static void read_iova_ranges(struct nvmx_vfio_dev *d)
{
	size_t sz = 4096;
	struct vfio_iommu_type1_info *info = calloc(1, sz);
	unsigned int n = 0;

	d->next_iova = IOVA_FLOOR;
	if (info) {
		info->argsz = (uint32_t)sz;
		if (ioctl(d->container_fd, VFIO_IOMMU_GET_INFO, info) == 0 &&
		    (info->flags & VFIO_IOMMU_INFO_CAPS) && info->cap_offset &&
		    info->argsz <= sz) {
			uint32_t off = info->cap_offset;

			while (off && off + sizeof(struct vfio_info_cap_header) <= sz) {
				struct vfio_info_cap_header *h = (void *)((char *)info + off);

				if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
					struct vfio_iommu_type1_info_cap_iova_range *r = (void *)h;

					for (uint32_t i = 0; i < r->nr_iovas && n < NVMX_VFIO_MAX_RANGES; i++) {
						d->range_start[n] = r->iova_ranges[i].start;
						d->range_end[n] = r->iova_ranges[i].end;
						n++;
					}
				}
				off = h->next;
			}
		}
		free(info);
	}
	if (n == 0) {
		d->range_start[0] = IOVA_FLOOR;
		d->range_end[0] = (1ull << 39) - 1;
		n = 1;
	}
	d->nr_ranges = n;
}

/* ---- open / close ---- */

static int open_container(struct nvmx_vfio_dev *d)
{
	d->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container_fd < 0) {
		int err = -errno;

		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg),
		       "%s: cannot open /dev/vfio/vfio: %s: run 'modprobe vfio-pci'",
		       d->bdf, strerror(-err));
		return err;
	}
	if (ioctl(d->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: unknown VFIO API version", d->bdf);
		return -EINVAL;
	}
	if (ioctl(d->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0) {
		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg),
		       "%s: VFIO has no type1 IOMMU: the IOMMU is off or unsupported; add "
		       "'intel_iommu=on iommu=pt' (AMD: 'amd_iommu=on') to the kernel command line "
		       "and reboot", d->bdf);
		return -ENXIO;
	}
	return 0;
}

static int open_group(struct nvmx_vfio_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], name[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", d->bdf);
	if (link_name(path, name, sizeof(name)) < 0)
		return -ENXIO;	/* diagnose() explained it */
	d->group_id = atoi(name);
	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group_id);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0) {
		int err = -errno;

		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: cannot open %s: %s%s", d->bdf, path,
		       strerror(-err), err == -EBUSY ? " (another process owns the group)" : "");
		return err;
	}
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		return -errno;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		if (check_group_viable("/sys", d->bdf, name, d->errmsg, sizeof(d->errmsg)) == 0)
			nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg),
			       "%s: IOMMU group %d is not viable: bind every device in "
			       "/sys/kernel/iommu_groups/%d/devices to vfio-pci ('nvmx setup BDF')",
			       d->bdf, d->group_id, d->group_id);
		return -EPERM;
	}
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->container_fd) < 0) {
		int err = -errno;

		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: VFIO_GROUP_SET_CONTAINER: %s",
		       d->bdf, strerror(-err));
		return err;
	}
	if (ioctl(d->container_fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		int err = -errno;

		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: VFIO_SET_IOMMU(type1v2): %s",
		       d->bdf, strerror(-err));
		return err;
	}
	return 0;
}

/* BAR0: map the whole region; if the kernel refuses (an MSI-X table inside
 * BAR0 on an old kernel), map the sparse area that starts at offset 0,
 * which holds the registers and doorbells. */
static int map_bar0(struct nvmx_vfio_dev *d)
{
	char buf[1024];
	struct vfio_region_info *ri = (void *)buf;
	void *p;

	memset(buf, 0, sizeof(buf));
	ri->argsz = sizeof(buf);
	ri->index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0)
		return -errno;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP) || ri->size == 0) {
		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: BAR0 cannot be mmapped", d->bdf);
		return -ENOTSUP;
	}
	p = mmap(NULL, ri->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->device_fd, (off_t)ri->offset);
	if (p != MAP_FAILED) {
		d->bar0 = p;
		d->bar0_size = ri->size;
		return 0;
	}
	if ((ri->flags & VFIO_REGION_INFO_FLAG_CAPS) && ri->cap_offset && ri->argsz <= sizeof(buf)) {
		uint32_t off = ri->cap_offset;

		while (off && off < sizeof(buf)) {
			struct vfio_info_cap_header *h = (void *)(buf + off);

			if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
				struct vfio_region_info_cap_sparse_mmap *s = (void *)h;

				for (uint32_t i = 0; i < s->nr_areas; i++) {
					if (s->areas[i].offset != 0)
						continue;
					p = mmap(NULL, s->areas[i].size, PROT_READ | PROT_WRITE,
						 MAP_SHARED, d->device_fd, (off_t)ri->offset);
					if (p == MAP_FAILED)
						break;
					d->bar0 = p;
					d->bar0_size = s->areas[i].size;
					return 0;
				}
			}
			off = h->next;
		}
	}
	nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: mmap of BAR0 failed: %s", d->bdf, strerror(errno));
	return -ENOMEM;
}

static int open_device(struct nvmx_vfio_dev *d)
{
	struct vfio_region_info cfg = { .argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = VFIO_PCI_MSIX_IRQ_INDEX };
	uint16_t cmd;
	int ret;

	d->device_fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	if (d->device_fd < 0) {
		int err = -errno;

		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: VFIO_GROUP_GET_DEVICE_FD: %s",
		       d->bdf, strerror(-err));
		return err;
	}
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &cfg) < 0)
		return -errno;
	d->cfg_off = cfg.offset;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) == 0)
		d->max_irqs = irq.count;
	ret = map_bar0(d);
	if (ret)
		return ret;
	/* PCI command register: memory space (bit 1) and bus master (bit 2),
	 * without which the controller cannot reach our queues. */
	ret = nvmx_vfio_cfg_read(d, 0x04, &cmd, 2);
	if (ret)
		return ret;
	cmd |= 0x0006;
	return nvmx_vfio_cfg_write(d, 0x04, &cmd, 2);
}

int nvmx_vfio_open(struct nvmx_vfio_dev *d, const char *bdf)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->container_fd = d->group_fd = d->device_fd = -1;
	for (unsigned int i = 0; i < NVMX_VFIO_MAX_IRQS; i++)
		d->irq_fds[i] = -1;
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);

	ret = nvmx_vfio_diagnose("/sys", "/dev", bdf, d->errmsg, sizeof(d->errmsg));
	if (ret)
		goto fail;
	ret = open_container(d);
	if (ret)
		goto fail;
	ret = open_group(d);
	if (ret)
		goto fail;
	read_iova_ranges(d);
	ret = open_device(d);
	if (ret)
		goto fail;
	return 0;
fail:
	if (!d->errmsg[0])
		nvmx_set_errmsg(d->errmsg, sizeof(d->errmsg), "%s: VFIO setup failed: %s", bdf, strerror(-ret));
	nvmx_err("%s", d->errmsg);
	nvmx_vfio_close(d);
	return ret;
}

void nvmx_vfio_close(struct nvmx_vfio_dev *d)
{
	nvmx_vfio_irq_disable(d);
	if (d->bar0)
		munmap(d->bar0, d->bar0_size);
	d->bar0 = NULL;
	if (d->device_fd >= 0)
		close(d->device_fd);
	if (d->group_fd >= 0)
		close(d->group_fd);
	if (d->container_fd >= 0)
		close(d->container_fd);
	d->device_fd = d->group_fd = d->container_fd = -1;
}

int nvmx_vfio_cfg_read(struct nvmx_vfio_dev *d, uint32_t off, void *buf, size_t len)
{
	ssize_t n = pread(d->device_fd, buf, len, (off_t)(d->cfg_off + off));

	return n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
}

int nvmx_vfio_cfg_write(struct nvmx_vfio_dev *d, uint32_t off, const void *buf, size_t len)
{
	ssize_t n = pwrite(d->device_fd, buf, len, (off_t)(d->cfg_off + off));

	return n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
}

int nvmx_vfio_dma_map(struct nvmx_vfio_dev *d, void *vaddr, size_t len, uint64_t *iova)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uint64_t)(uintptr_t)vaddr,
		.size = len,
	};
	uint64_t next = d->next_iova, iova_pick;
	int ret;

	ret = nvmx_iova_pick(d->range_start, d->range_end, d->nr_ranges, &next, len, &iova_pick);
	m.iova = iova_pick;
	if (ret) {
		nvmx_err("%s: no IOVA space left for %zu bytes", d->bdf, len);
		return ret;
	}
	if (ioctl(d->container_fd, VFIO_IOMMU_MAP_DMA, &m) < 0) {
		ret = -errno;
		nvmx_err("%s: VFIO_IOMMU_MAP_DMA of %zu bytes at IOVA 0x%llx: %s%s", d->bdf, len,
			 (unsigned long long)m.iova, strerror(-ret),
			 ret == -ENOMEM ? " (locked memory limit: raise 'ulimit -l')" : "");
		return ret;
	}
	d->next_iova = next;
	*iova = m.iova;
	return 0;
}

int nvmx_vfio_dma_unmap(struct nvmx_vfio_dev *d, uint64_t iova, size_t len)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = len };

	if (ioctl(d->container_fd, VFIO_IOMMU_UNMAP_DMA, &u) < 0)
		return -errno;
	return 0;
}

static int set_irqs(struct nvmx_vfio_dev *d, unsigned int n, const int *fds)
{
	size_t sz = sizeof(struct vfio_irq_set) + n * sizeof(int);
	struct vfio_irq_set *s = calloc(1, sz);
	int ret = 0;

	if (!s)
		return -ENOMEM;
	s->argsz = (uint32_t)sz;
	s->flags = (n ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) |
		   VFIO_IRQ_SET_ACTION_TRIGGER;
	s->index = VFIO_PCI_MSIX_IRQ_INDEX;
	s->start = 0;
	s->count = n;
	if (n)
		memcpy(s->data, fds, n * sizeof(int));
	if (ioctl(d->device_fd, VFIO_DEVICE_SET_IRQS, s) < 0)
		ret = -errno;
	free(s);
	return ret;
}

int nvmx_vfio_irq_enable(struct nvmx_vfio_dev *d, unsigned int n)
{
	int ret;

	if (n > NVMX_VFIO_MAX_IRQS || n > d->max_irqs) {
		nvmx_err("%s: %u MSI-X vectors asked, the function has %u", d->bdf, n, d->max_irqs);
		return -EINVAL;
	}
	nvmx_vfio_irq_disable(d);
	for (unsigned int i = 0; i < n; i++) {
		d->irq_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (d->irq_fds[i] < 0) {
			ret = -errno;
			goto fail;
		}
	}
	ret = set_irqs(d, n, d->irq_fds);
	if (ret) {
		nvmx_err("%s: VFIO_DEVICE_SET_IRQS(MSI-X, %u): %s", d->bdf, n, strerror(-ret));
		goto fail;
	}
	d->nr_irqs = n;
	return 0;
fail:
	for (unsigned int i = 0; i < n; i++) {
		if (d->irq_fds[i] >= 0)
			close(d->irq_fds[i]);
		d->irq_fds[i] = -1;
	}
	return ret;
}

void nvmx_vfio_irq_disable(struct nvmx_vfio_dev *d)
{
	if (!d->nr_irqs)
		return;
	set_irqs(d, 0, NULL);
	for (unsigned int i = 0; i < d->nr_irqs; i++) {
		close(d->irq_fds[i]);
		d->irq_fds[i] = -1;
	}
	d->nr_irqs = 0;
}
