/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small NVMe/TCP controller for host tests, in-process, one thread per
 * connection, RAM backed, one namespace.  Not nvmxd: only what the host
 * tests need to exercise the host against a peer it does not control
 * closely (and misbehaviours on request).
 */
#ifndef NVMX_TESTS_HOST_FAKE_TARGET_H
#define NVMX_TESTS_HOST_FAKE_TARGET_H

#include <stdbool.h>
#include <stdint.h>

struct fake_target_cfg {
	uint32_t block_size;	/* 512 or 4096 */
	uint64_t nblocks;
	uint8_t mdts;		/* 2^n pages; 0: none */
	uint32_t ioccsz;	/* 16-byte units incl. the SQE */
	uint32_t maxh2cdata;
	uint32_t c2h_chunk;	/* bytes per C2HData PDU */
	uint32_t r2t_chunk;	/* bytes per R2T (0: the whole transfer) */
	bool allow_digests;
	bool use_success_flag;	/* C2HData SUCCESS instead of a CapsuleResp */
	bool drop_reads;	/* never answer reads (timeouts) */
	unsigned int disc_genctr_bumps;	/* the discovery log changes this many times while read */
};

struct fake_target;

struct fake_target *fake_target_start(const struct fake_target_cfg *cfg, uint16_t *port);
void fake_target_stop(struct fake_target *t);
/* Controllers shut down with CC.SHN and whose connections all closed. */
unsigned int fake_target_clean_shutdowns(struct fake_target *t);
/* Connections currently open. */
unsigned int fake_target_open_conns(struct fake_target *t);
/* Keep Alive commands received; KATO (ms) of the last admin Connect. */
unsigned int fake_target_keepalives(struct fake_target *t);
uint32_t fake_target_last_kato(struct fake_target *t);
/* Discovery log page reads served. */
unsigned int fake_target_disc_reads(struct fake_target *t);
/* Close every open connection now (a controller that goes away). */
void fake_target_drop_conns(struct fake_target *t);

#endif
