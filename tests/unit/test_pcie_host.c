/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host core driving the PCIe operations table against the simulated
 * controller (SPDK's pattern: the .c under test is included, its device
 * opening stubbed): connect, identify, namespaces, queue pairs created and
 * deleted with admin commands, split and verified I/O, shutdown on
 * disconnect, and surprise removal failing every outstanding command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../lib/transport/pcie_host.c"
#include "pcie_fake_ctrl.h"

static struct fake_ctrl *g_fake;

/* Stubs for pcie_dev.c: the "device" is the simulated controller. */
int nvmx_pcie_dev_open(struct nvmx_pcie_dev *d, const char *bdf, char *msg, size_t msglen)
{
	struct nvmx_dma_mapper m = nvmx_dma_mapper_identity();
	int ret;

	memset(d, 0, sizeof(*d));
	d->vfio.container_fd = d->vfio.group_fd = d->vfio.device_fd = -1;
	if (!g_fake) {
		snprintf(msg, msglen, "%s: no device", bdf);
		return -ENODEV;
	}
	ret = nvmx_dma_pool_init(&d->dma, &m, 0);
	if (ret)
		return ret;
	ret = nvmx_pcie_ctrl_init(&d->ctrl, g_fake->bar, g_fake->bar_size, &d->dma, bdf);
	d->ctrl.wait_hook = fake_step;
	d->ctrl.wait_arg = g_fake;
	return ret;
}

void nvmx_pcie_dev_close(struct nvmx_pcie_dev *d)
{
	nvmx_pcie_ctrl_fini(&d->ctrl);
	nvmx_dma_pool_fini(&d->dma);
}

struct events {
	int qpair_errors;
	int last_err;
};

static void on_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg)
{
	struct events *e = arg;

	if (ev->type == NVMX_EVENT_QPAIR_ERROR) {
		e->qpair_errors++;
		e->last_err = ev->u.qerr.err;
	}
}

static struct nvmx_ctrl *connect_fake(struct fake_ctrl *f, struct events *ev)
{
	struct nvmx_ctrl_opts opts;
	struct nvmx_trid trid;
	struct nvmx_ctrl *ctrl = NULL;
	char err[128];

	g_fake = f;
	assert_int_equal(nvmx_trid_parse(&trid, "pcie://0000:00:04.0", err, sizeof(err)), 0);
	nvmx_ctrl_opts_init(&opts, sizeof(opts));
	opts.nr_io_queues = 2;
	opts.keep_alive_tmo = 0;
	opts.event_cb = on_event;
	opts.event_arg = ev;
	assert_int_equal(nvmx_ctrl_connect(&trid, &opts, &ctrl), 0);
	return ctrl;
}

struct done {
	int n, errs;
};

static void io_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct done *d = arg;

	d->n++;
	if (nvmx_cpl_result(cqe, err))
		d->errs++;
}

static void core_brings_up_and_moves_data_through_pcie_ops(void **state)
{
	struct fake_ctrl f;
	struct events ev = { 0 };
	struct nvmx_ctrl *ctrl;
	struct nvmx_qpair *qp[2];
	struct done d = { 0 };
	const struct nvmx_ns_info *ns;
	uint8_t *w, *r;
	size_t big = 300 * 1024;	/* > MDTS (128 KiB): the core splits */

	fake_init(&f, 0);
	fake_add_ns(&f, 9, 8192);
	fake_add_ns(&f, 12, 2048);
	ctrl = connect_fake(&f, &ev);
	assert_int_equal(nvmx_ctrl_get_state(ctrl), NVMX_CTRL_LIVE);
	assert_memory_equal(nvmx_ctrl_identify(ctrl)->sn, FAKE_SN, strlen(FAKE_SN));
	assert_int_equal(nvmx_ctrl_num_ns(ctrl), 2);
	ns = nvmx_ctrl_ns(ctrl, 2);
	assert_non_null(ns);
	assert_int_equal(ns->block_size, 4096);
	assert_int_equal(ns->nsze, 2048);
	assert_int_equal(nvmx_ctrl_max_xfer(ctrl), 128 * 1024);
	/* CC as the core wrote it through reg_write */
	assert_int_equal(nvmx_cc_iosqes(fake_reg32(&f, NVMX_REG_CC)), 6);
	assert_int_equal(nvmx_cc_iocqes(fake_reg32(&f, NVMX_REG_CC)), 4);

	for (int i = 0; i < 2; i++)
		assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp[i]), 0);
	assert_true(f.sq[1].on && f.cq[1].on && f.sq[2].on && f.cq[2].on);
	assert_int_equal(f.sq[1].size, 16);

	w = nvmx_pcie_host_ops.buf_alloc(ctrl, big + 4096);	/* zero copy */
	r = malloc(big + 4096);					/* bounced */
	for (size_t i = 0; i < big; i++)
		w[512 + i] = (uint8_t)(i * 13 + 5);
	memset(r, 0, big + 4096);
	assert_int_equal(nvmx_ns_write(qp[0], 1, w + 512, 10, (uint32_t)(big / 512), io_done, &d, NULL), 0);
	assert_int_equal(nvmx_ns_write(qp[1], 2, w + 512, 3, 4, io_done, &d, NULL), 0);
	while (d.n < 2)
		for (int i = 0; i < 2; i++)
			assert_true(nvmx_qpair_poll(qp[i], 0) >= 0);
	assert_int_equal(nvmx_ns_read(qp[1], 1, r + 100, 10, (uint32_t)(big / 512), io_done, &d, NULL), 0);
	while (d.n < 3)
		assert_true(nvmx_qpair_poll(qp[1], 0) >= 0);
	assert_int_equal(d.errs, 0);
	assert_memory_equal(r + 100, w + 512, big);
	assert_memory_equal(f.ns[1].data + 3 * 4096, w + 512, 4 * 4096);
	free(r);
	nvmx_pcie_host_ops.buf_free(ctrl, w, big + 4096);

	nvmx_qpair_free(qp[1]);
	nvmx_qpair_free(qp[0]);
	assert_false(f.sq[1].on || f.cq[1].on || f.sq[2].on || f.cq[2].on);
	assert_int_equal(nvmx_ctrl_disconnect(ctrl), 0);
	/* detach: CC.SHN = normal, CSTS.SHST = complete */
	assert_int_equal(nvmx_cc_shn(fake_reg32(&f, NVMX_REG_CC)), 1);
	assert_int_equal(nvmx_csts_shst(fake_reg32(&f, NVMX_REG_CSTS)), 2);
	assert_int_equal(ev.qpair_errors, 0);
	fake_fini(&f);
}

static void surprise_removal_fails_every_outstanding_command(void **state)
{
	struct fake_ctrl f;
	struct events ev = { 0 };
	struct nvmx_ctrl *ctrl;
	struct nvmx_qpair *qp;
	struct done d = { 0 };
	uint8_t *buf = malloc(8 * 4096);
	int rc = 0;

	fake_init(&f, 0);
	fake_add_ns(&f, 12, 2048);
	ctrl = connect_fake(&f, &ev);
	assert_int_equal(nvmx_qpair_alloc(ctrl, 16, &qp), 0);
	f.hold = true;
	for (int i = 0; i < 5; i++)
		assert_int_equal(nvmx_ns_read(qp, 1, buf + i * 4096, (uint64_t)i, 1, io_done, &d, NULL), 0);
	fake_remove(&f);
	/* the transport looks at CSTS at most every 100 ms while idle */
	for (uint64_t end = nvmx_now_ns() + 2000000000ull; rc >= 0 && nvmx_now_ns() < end;)
		rc = nvmx_qpair_poll(qp, 0);
	assert_int_equal(rc, -ENODEV);
	assert_int_equal(d.n, 5);		/* every one completed ... */
	assert_int_equal(d.errs, 5);		/* ... with an error */
	assert_true(nvmx_qpair_failed(qp));
	assert_int_equal(ev.last_err, -ENODEV);
	assert_int_equal(nvmx_ns_read(qp, 1, buf, 0, 1, io_done, &d, NULL) < 0, 1);
	nvmx_qpair_free(qp);
	nvmx_ctrl_disconnect(ctrl);
	free(buf);
	fake_fini(&f);
}

static void connect_without_device_fails_cleanly(void **state)
{
	struct nvmx_ctrl_opts opts;
	struct nvmx_trid trid;
	struct nvmx_ctrl *ctrl = (void *)1;
	char err[128];

	g_fake = NULL;
	assert_int_equal(nvmx_trid_parse(&trid, "pcie://0000:00:05.0", err, sizeof(err)), 0);
	nvmx_ctrl_opts_init(&opts, sizeof(opts));
	opts.keep_alive_tmo = 0;
	assert_int_equal(nvmx_ctrl_connect(&trid, &opts, &ctrl), -ENODEV);
	assert_null(ctrl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(core_brings_up_and_moves_data_through_pcie_ops),
		cmocka_unit_test(surprise_removal_fails_every_outstanding_command),
		cmocka_unit_test(connect_without_device_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
