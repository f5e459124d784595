/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driver binding against a fake sysfs: the right attribute files get the
 * right values in the right places; a device already on the wanted driver
 * is left alone; a probe that does not take is reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "transport/pcie_bind.h"

#define BDF "0000:00:04.0"

static char root[64], sys_[128];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void slurp(const char *rel, char *out, size_t n)
{
	char path[512];
	FILE *f;
	size_t k;

	snprintf(path, sizeof(path), "%s/%s", sys_, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	k = fread(out, 1, n - 1, f);
	out[k] = 0;
	fclose(f);
}

static int setup(void **state)
{
	snprintf(root, sizeof(root), "/tmp/nvmx-bind-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(sys_, sizeof(sys_), "%s/sys", root);
	sh("mkdir -p %s/bus/pci/devices/%s %s/bus/pci/drivers/nvme %s/bus/pci/drivers/vfio-pci && "
	   "touch %s/bus/pci/devices/%s/driver_override %s/bus/pci/drivers_probe "
	   "%s/bus/pci/drivers/nvme/unbind %s/bus/pci/drivers/vfio-pci/unbind && "
	   "ln -s ../../drivers/nvme %s/bus/pci/devices/%s/driver",
	   sys_, BDF, sys_, sys_, sys_, BDF, sys_, sys_, sys_, sys_, BDF);
	return 0;
}

static int teardown(void **state)
{
	sh("rm -rf %s", root);
	return 0;
}

static void bdf_forms_are_canonicalised(void **state)
{
	char out[32];

	assert_int_equal(nvmx_pcie_bdf_parse("0000:01:00.0", out, sizeof(out)), 0);
	assert_string_equal(out, "0000:01:00.0");
	assert_int_equal(nvmx_pcie_bdf_parse("1:0.3", out, sizeof(out)), 0);
	assert_string_equal(out, "0000:01:00.3");
	assert_int_equal(nvmx_pcie_bdf_parse("ABCD:Ff:1f.7", out, sizeof(out)), 0);
	assert_string_equal(out, "abcd:ff:1f.7");
	assert_int_equal(nvmx_pcie_bdf_parse("01:00.8", out, sizeof(out)), -EINVAL);
	assert_int_equal(nvmx_pcie_bdf_parse("01:20.0", out, sizeof(out)), -EINVAL);
	assert_int_equal(nvmx_pcie_bdf_parse("01:00.0x", out, sizeof(out)), -EINVAL);
	assert_int_equal(nvmx_pcie_bdf_parse("", out, sizeof(out)), -EINVAL);
}

static void bind_vfio_writes_override_unbind_and_probe(void **state)
{
	char msg[512], v[64];

	/* the fake kernel does not rebind, so the final check fails */
	assert_int_equal(nvmx_pcie_bind_vfio(sys_, BDF, msg, sizeof(msg)), -EIO);
	assert_non_null(strstr(msg, "nvme"));
	slurp("bus/pci/devices/" BDF "/driver_override", v, sizeof(v));
	assert_string_equal(v, "vfio-pci");
	slurp("bus/pci/drivers/nvme/unbind", v, sizeof(v));
	assert_string_equal(v, BDF);
	slurp("bus/pci/drivers_probe", v, sizeof(v));
	assert_string_equal(v, BDF);
}

static void already_bound_is_left_alone(void **state)
{
	char msg[512], v[64];

	assert_int_equal(nvmx_pcie_bind_kernel(sys_, BDF, "nvme", msg, sizeof(msg)), 0);
	slurp("bus/pci/drivers_probe", v, sizeof(v));
	assert_string_equal(v, "");
	sh("ln -sfn ../../drivers/vfio-pci %s/bus/pci/devices/%s/driver", sys_, BDF);
	assert_int_equal(nvmx_pcie_bind_vfio(sys_, BDF, msg, sizeof(msg)), 0);
	slurp("bus/pci/devices/" BDF "/driver_override", v, sizeof(v));
	assert_string_equal(v, "");
}

static void reset_driver_clears_override_and_unbinds_vfio(void **state)
{
	char msg[512], v[64];

	sh("ln -sfn ../../drivers/vfio-pci %s/bus/pci/devices/%s/driver", sys_, BDF);
	assert_int_equal(nvmx_pcie_bind_kernel(sys_, BDF, NULL, msg, sizeof(msg)), -EIO);
	slurp("bus/pci/devices/" BDF "/driver_override", v, sizeof(v));
	assert_string_equal(v, "\n");
	slurp("bus/pci/drivers/vfio-pci/unbind", v, sizeof(v));
	assert_string_equal(v, BDF);
}

static void missing_device_is_enodev(void **state)
{
	char msg[512], drv[32];

	assert_int_equal(nvmx_pcie_bind_vfio(sys_, "0000:09:00.0", msg, sizeof(msg)), -ENODEV);
	assert_non_null(strstr(msg, "0000:09:00.0"));
	assert_int_equal(nvmx_pcie_driver_of(sys_, BDF, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "nvme");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bdf_forms_are_canonicalised),
		cmocka_unit_test_setup_teardown(bind_vfio_writes_override_unbind_and_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(already_bound_is_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_driver_clears_override_and_unbinds_vfio, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_device_is_enodev, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
