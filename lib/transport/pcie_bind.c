/* SPDX-License-Identifier: BSD-2-Clause */
/* Driver binding through sysfs for `nvmx setup` / `nvmx reset-driver`. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "transport/pcie_bind.h"
#include "util/log.h"

extern char **environ;


int nvmx_pcie_bdf_parse(const char *in, char *out, size_t outlen)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	/* hex digits and separators only (scanf's %x would take "0x") */
	if (!in[0] || strspn(in, "0123456789abcdefABCDEF:.") != strlen(in))
		return -EINVAL;
	if (sscanf(in, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) != 4) {
		dom = 0;
		if (sscanf(in, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	if ((size_t)snprintf(out, outlen, "%04x:%02x:%02x.%x", dom, bus, dev, fn) >= outlen)
		return -EINVAL;
	return 0;
}

int nvmx_pcie_driver_of(const char *sysfs, const char *bdf, char *drv, size_t len)
{
	char path[PATH_MAX], buf[PATH_MAX];
	const char *b;
	ssize_t n;
	struct stat st;

	drv[0] = '\0';
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sysfs, bdf);
	if (stat(path, &st) < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", sysfs, bdf);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	b = strrchr(buf, '/');
	b = b ? b + 1 : buf;
	if (strlen(b) >= len)
		return -ENAMETOOLONG;
	memcpy(drv, b, strlen(b) + 1);
	return 0;
}

static int write_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

static int modprobe(const char *mod)
{
	char *argv[] = { "modprobe", (char *)mod, NULL };
	pid_t pid;
	int status;

	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ) != 0)
		return -ENOENT;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* Load mod unless the driver directory drvname already exists. */
static int ensure_driver(const char *sysfs, const char *drvname, const char *mod)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/bus/pci/drivers/%s", sysfs, drvname);
	if (stat(path, &st) == 0)
		return 0;
	return modprobe(mod);
}

/* Point driver_override at drv ("\n" clears it), unbind, reprobe, check. */
static int rebind(const char *sysfs, const char *bdf, const char *override, const char *want,
		  char *msg, size_t msglen)
{
	char path[PATH_MAX], cur[256];
	int ret;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", sysfs, bdf);
	ret = write_attr(path, override);
	if (ret) {
		nvmx_set_errmsg(msg, msglen, "%s: writing %s: %s (are you root?)", bdf, path, strerror(-ret));
		return ret;
	}
	nvmx_pcie_driver_of(sysfs, bdf, cur, sizeof(cur));
	if (cur[0]) {
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver/unbind", sysfs, bdf);
		ret = write_attr(path, bdf);
		if (ret) {
			nvmx_set_errmsg(msg, msglen, "%s: unbinding from %s: %s", bdf, cur, strerror(-ret));
			return ret;
		}
	}
	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", sysfs);
	ret = write_attr(path, bdf);
	if (ret && ret != -ENODEV && ret != -EINVAL) {
		nvmx_set_errmsg(msg, msglen, "%s: drivers_probe: %s", bdf, strerror(-ret));
		return ret;
	}
	nvmx_pcie_driver_of(sysfs, bdf, cur, sizeof(cur));
	if (strcmp(cur, want) != 0) {
		nvmx_set_errmsg(msg, msglen, "%s: still bound to '%s' after probing, wanted %s "
		       "(check dmesg)", bdf, cur, want);
		return -EIO;
	}
	return 0;
}

int nvmx_pcie_bind_vfio(const char *sysfs, const char *bdf, char *msg, size_t msglen)
{
	char cur[256];
	int ret;

	ret = nvmx_pcie_driver_of(sysfs, bdf, cur, sizeof(cur));
	if (ret) {
		nvmx_set_errmsg(msg, msglen, "%s: no such PCI device (list them with: lspci -D)", bdf);
		return ret;
	}
	if (!strcmp(cur, "vfio-pci"))
		return 0;
	ret = ensure_driver(sysfs, "vfio-pci", "vfio-pci");
	if (ret) {
		nvmx_set_errmsg(msg, msglen, "%s: 'modprobe vfio-pci' failed: is the vfio-pci module "
		       "installed for this kernel?", bdf);
		return ret;
	}
	return rebind(sysfs, bdf, "vfio-pci", "vfio-pci", msg, msglen);
}

int nvmx_pcie_bind_kernel(const char *sysfs, const char *bdf, const char *driver,
			  char *msg, size_t msglen)
{
	char cur[256];
	int ret;

	if (!driver)
		driver = "nvme";
	ret = nvmx_pcie_driver_of(sysfs, bdf, cur, sizeof(cur));
	if (ret) {
		nvmx_set_errmsg(msg, msglen, "%s: no such PCI device (list them with: lspci -D)", bdf);
		return ret;
	}
	if (!strcmp(cur, driver))
		return 0;
	ret = ensure_driver(sysfs, driver, driver);
	if (ret) {
		nvmx_set_errmsg(msg, msglen, "%s: 'modprobe %s' failed", bdf, driver);
		return ret;
	}
	return rebind(sysfs, bdf, "\n", driver, msg, msglen);
}
