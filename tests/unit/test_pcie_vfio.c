/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VFIO diagnosis against a fake sysfs and /dev tree built in a temporary
 * directory: each broken setup yields its own errno and a fix naming the
 * device; the IOVA picker stays inside the IOMMU's windows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "transport/pcie_vfio.h"

#define BDF "0000:00:04.0"
#define SIB "0000:00:04.1"

struct tree {
	char root[256], sys[300], dev[300];
};

static void mk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mk(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* A healthy tree: device bound to vfio-pci in group 7, /dev/vfio/7. */
static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	snprintf(t->root, sizeof(t->root), "/tmp/nvmx-vfio-test.XXXXXX");
	assert_non_null(mkdtemp(t->root));
	snprintf(t->sys, sizeof(t->sys), "%s/sys", t->root);
	snprintf(t->dev, sizeof(t->dev), "%s/dev", t->root);
	mk("mkdir -p %s/bus/pci/devices/%s %s/bus/pci/drivers/vfio-pci %s/bus/pci/drivers/nvme "
	   "%s/kernel/iommu_groups/7/devices %s/vfio && touch %s/vfio/vfio %s/vfio/7",
	   t->sys, BDF, t->sys, t->sys, t->sys, t->dev, t->dev, t->dev);
	mk("ln -s ../../../../kernel/iommu_groups/7 %s/bus/pci/devices/%s/iommu_group", t->sys, BDF);
	mk("ln -s ../../../bus/pci/drivers/vfio-pci %s/bus/pci/devices/%s/driver", t->sys, BDF);
	mk("ln -s ../../../../bus/pci/devices/%s %s/kernel/iommu_groups/7/devices/%s", BDF, t->sys, BDF);
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;

	mk("rm -rf %s", t->root);
	free(t);
	return 0;
}

static int diag(struct tree *t, char *msg, size_t n)
{
	msg[0] = 0;
	return nvmx_vfio_diagnose(t->sys, t->dev, BDF, msg, n);
}

static void healthy_setup_passes(void **state)
{
	char msg[1024];

	assert_int_equal(diag(*state, msg, sizeof(msg)), 0);
}

static void missing_device_is_enodev(void **state)
{
	char msg[1024];
	struct tree *t = *state;

	assert_int_equal(nvmx_vfio_diagnose(t->sys, t->dev, "0000:09:00.0", msg, sizeof(msg)), -ENODEV);
	assert_non_null(strstr(msg, "0000:09:00.0"));
}

static void iommu_off_is_enxio_with_kernel_option(void **state)
{
	struct tree *t = *state;
	char msg[1024];

	mk("rm -rf %s/kernel/iommu_groups/7", t->sys);
	assert_int_equal(diag(t, msg, sizeof(msg)), -ENXIO);
	assert_non_null(strstr(msg, "intel_iommu=on"));
}

static void kernel_driver_bound_is_ebusy_with_setup_command(void **state)
{
	struct tree *t = *state;
	char msg[1024];

	mk("ln -sfn ../../../bus/pci/drivers/nvme %s/bus/pci/devices/%s/driver", t->sys, BDF);
	assert_int_equal(diag(t, msg, sizeof(msg)), -EBUSY);
	assert_non_null(strstr(msg, "nvmx setup " BDF));
	assert_non_null(strstr(msg, "driver_override"));
	mk("rm %s/bus/pci/devices/%s/driver", t->sys, BDF);
	assert_int_equal(diag(t, msg, sizeof(msg)), -EBUSY);
	assert_non_null(strstr(msg, "drivers_probe"));
}

static void sibling_on_host_driver_makes_group_not_viable(void **state)
{
	struct tree *t = *state;
	char msg[1024];

	mk("mkdir -p %s/bus/pci/devices/%s && "
	   "ln -s ../../../bus/pci/drivers/nvme %s/bus/pci/devices/%s/driver && "
	   "ln -s ../../../../bus/pci/devices/%s %s/kernel/iommu_groups/7/devices/%s",
	   t->sys, SIB, t->sys, SIB, SIB, t->sys, SIB);
	assert_int_equal(diag(t, msg, sizeof(msg)), -EPERM);
	assert_non_null(strstr(msg, SIB));
	assert_non_null(strstr(msg, "nvmx setup " SIB));
	/* a sibling bound to vfio-pci is fine */
	mk("ln -sfn ../../../bus/pci/drivers/vfio-pci %s/bus/pci/devices/%s/driver", t->sys, SIB);
	assert_int_equal(diag(t, msg, sizeof(msg)), 0);
}

static void vfio_modules_missing_is_enoent(void **state)
{
	struct tree *t = *state;
	char msg[1024];

	mk("rm %s/vfio/vfio", t->dev);
	assert_int_equal(diag(t, msg, sizeof(msg)), -ENOENT);
	assert_non_null(strstr(msg, "modprobe vfio-pci"));
}

static void iova_picks_stay_inside_windows(void **state)
{
	/* x86: the MSI window 0xfee00000-0xfeefffff is a hole */
	uint64_t s[2] = { 0, 0xfef00000ull }, e[2] = { 0xfedfffffull, (1ull << 39) - 1 };
	uint64_t next = 4ull << 30, iova;

	assert_int_equal(nvmx_iova_pick(s, e, 2, &next, 4096, &iova), 0);
	assert_int_equal(iova, 4ull << 30);
	assert_int_equal(nvmx_iova_pick(s, e, 2, &next, 3 << 20, &iova), 0);
	assert_int_equal(iova, (4ull << 30) + (2 << 20));
	assert_int_equal(next, (4ull << 30) + (6 << 20));
	/* a request larger than any window fails */
	assert_int_equal(nvmx_iova_pick(s, e, 2, &next, (size_t)1 << 40, &iova), -ENOSPC);
	/* low start: the first window is used below the hole, skipped above it */
	next = 0xfec00000ull;
	assert_int_equal(nvmx_iova_pick(s, e, 2, &next, 4 << 20, &iova), 0);
	assert_true(iova >= 0xfef00000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(healthy_setup_passes, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(missing_device_is_enodev, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(iommu_off_is_enxio_with_kernel_option, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(kernel_driver_bound_is_ebusy_with_setup_command, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(sibling_on_host_driver_makes_group_not_viable, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(vfio_modules_missing_is_enoent, tree_setup, tree_teardown),
		cmocka_unit_test(iova_picks_stay_inside_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
