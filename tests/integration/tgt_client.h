/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small raw NVMe/TCP host for the target's tests: blocking, one command
 * at a time, every PDU built by hand so tests can also send broken ones.
 * Not the host library (lib/host): this one checks what the target sends.
 */
#ifndef NVMX_TESTS_TGT_CLIENT_H
#define NVMX_TESTS_TGT_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "nvmx/spec.h"

struct tc {
	int fd;
	bool hdgst, ddgst;
	uint8_t hpda;
	uint32_t maxh2cdata;
	uint16_t next_cid;
	uint32_t inline_max;	/* in-capsule bytes the test may use */
	bool sqfc_disabled;
	/* What the last command saw. */
	unsigned r2ts, c2h_pdus;
	bool success_flag;
	uint16_t term_fes;	/* a C2HTermReq arrived */
};

/* TCP connect to 127.0.0.1:port (timeouts 5 s). */
int tc_open(struct tc *c, int port);
/* ICReq/ICResp; 0 or -1 (then c->term_fes may say why). */
int tc_ic(struct tc *c, bool hdgst, bool ddgst, uint8_t hpda);
void tc_close(struct tc *c);

/* Send raw bytes / read n bytes (tests of malformed input). */
int tc_send_raw(struct tc *c, const void *p, size_t n);
int tc_recv_raw(struct tc *c, void *p, size_t n);
/* Read one PDU into buf (up to len): header+data; returns PDU length or -1. */
int tc_recv_pdu(struct tc *c, uint8_t *buf, size_t len);

/*
 * One command.  data/len: buffer for H2C (written) or C2H (read) data;
 * dir 0 none, 1 H2C, 2 C2H; in_capsule: send H2C data in the capsule.
 * Fills cqe; returns 0 if a completion came, -1 on a transport problem.
 */
int tc_cmd(struct tc *c, struct nvmx_sqe *sqe, void *data, uint32_t len, int dir,
	   bool in_capsule, struct nvmx_cqe *cqe);

/* The two halves of tc_cmd: send the capsule; wait for command cid's end
 * (answering R2Ts, collecting C2HData).  tc_wait returns -2 on a data
 * digest mismatch. */
int tc_submit(struct tc *c, struct nvmx_sqe *sqe, const void *data, uint32_t len, int dir,
	      bool in_capsule);
int tc_wait(struct tc *c, uint16_t cid, void *data, uint32_t len, int dir, struct nvmx_cqe *cqe);

/* Fabrics Connect; returns the CQE status field, *cntlid on success. */
uint16_t tc_connect(struct tc *c, uint16_t qid, uint16_t sqsize, const char *subnqn,
		    const char *hostnqn, uint16_t cntlid, uint32_t kato, uint16_t *cntlid_out);
uint16_t tc_prop_get(struct tc *c, uint32_t off, bool eight, uint64_t *val);
uint16_t tc_prop_set(struct tc *c, uint32_t off, uint32_t val);
/* Property Set CC.EN (IOSQES 6, IOCQES 4) and wait for CSTS.RDY. */
int tc_enable(struct tc *c);
uint16_t tc_identify(struct tc *c, uint8_t cns, uint32_t nsid, void *buf);
uint16_t tc_get_log(struct tc *c, uint8_t lid, uint32_t nsid, void *buf, uint32_t len, uint64_t off);
uint16_t tc_rw(struct tc *c, uint8_t opc, uint32_t nsid, uint64_t slba, uint16_t nlb0,
	       void *buf, uint32_t len, bool in_capsule);
uint16_t tc_features(struct tc *c, bool set, uint8_t fid, uint32_t cdw11, uint32_t *dw0);

#endif
