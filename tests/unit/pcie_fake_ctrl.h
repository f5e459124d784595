/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small simulated NVMe controller behind a register block in ordinary
 * memory (SPDK's unit-test pattern).  It runs when the code under test
 * waits (the ctrl's wait_hook): it reacts to CC (enable, disable,
 * shutdown), reads doorbells, executes admin and NVM commands from the
 * rings (IOVA = virtual address: the tests use the identity mapper) and
 * posts completions with the phase tag.
 */
#ifndef NVMX_TEST_PCIE_FAKE_CTRL_H
#define NVMX_TEST_PCIE_FAKE_CTRL_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAXQ 16

struct fake_sq { bool on; uint64_t iova; uint16_t size, head, cqid; };
struct fake_cq { bool on; uint64_t iova; uint16_t size, tail; uint8_t phase; };
struct fake_ns { uint32_t lbads; uint64_t nsze; uint8_t *data; };

struct fake_ctrl {
	uint8_t *bar;
	size_t bar_size;
	uint32_t dstrd;
	struct fake_sq sq[FAKE_MAXQ];
	struct fake_cq cq[FAKE_MAXQ];
	struct fake_ns ns[4];
	unsigned int nr_ns;
	uint8_t mdts;
	/* knobs */
	bool never_ready;	/* ignore CC.EN=1 */
	bool stuck_ready;	/* ignore CC.EN=0 */
	bool no_shutdown;	/* ignore CC.SHN */
	bool hold;		/* do not execute commands */
	/* record */
	uint8_t admin_ops[64];
	unsigned int nadmin;
	unsigned int enables, disables;
	uint64_t io_cmds;
};

/* cap_extra is ORed into CAP (e.g. DSTRD, NSSRS, TO). */
void fake_init(struct fake_ctrl *f, uint64_t cap_extra);
void fake_fini(struct fake_ctrl *f);
void fake_add_ns(struct fake_ctrl *f, uint32_t lbads, uint64_t nsze);
void fake_step(void *arg);
/* Make the device vanish: every register reads all ones. */
void fake_remove(struct fake_ctrl *f);
uint32_t fake_reg32(const struct fake_ctrl *f, uint32_t off);
void fake_set_reg32(struct fake_ctrl *f, uint32_t off, uint32_t v);

#define FAKE_MN "nvmx fake controller"
#define FAKE_SN "FAKE0001"

#endif
