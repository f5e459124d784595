/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A scripted, misbehaving NVMe/TCP controller for the fault matrix: it
 * speaks enough of the protocol to get a host to I/O (ICResp, Connect,
 * Property Get/Set, Identify, Set Features, Keep Alive, Read/Write/Flush
 * on 1 MiB of RAM, R2T for every write), then misbehaves once, on the
 * trigger-th I/O command of I/O queue 1, as the fault says.  I/O queue 2
 * and the admin queue always behave, so a test can check that the other
 * connections are unaffected.  One thread per connection, 127.0.0.1 only.
 */
#ifndef NVMX_TESTS_BAD_TARGET_H
#define NVMX_TESTS_BAD_TARGET_H

#include <stdint.h>

enum bad_fault {
	BAD_NONE,
	BAD_DROP_CPL,		/* never answer the command */
	BAD_DELAY_CPL,		/* answer it after delay_ms */
	BAD_HDGST,		/* CapsuleResp with a wrong header digest */
	BAD_DDGST,		/* C2HData with a wrong data digest (reads) */
	BAD_TRUNCATED,		/* CapsuleResp whose PLEN (16) is shorter than its header */
	BAD_UNKNOWN_TYPE,	/* a PDU of type 0x0f */
	BAD_PLEN_HUGE,		/* CapsuleResp with PLEN 1 GiB */
	BAD_C2H_UNKNOWN_CID,	/* C2HData for a CID not in flight (reads) */
	BAD_DUP_CPL,		/* the CapsuleResp twice */
	BAD_R2T_BEYOND,		/* R2T for more data than the write has */
	BAD_R2T_OVER_MAXR2T,	/* two R2Ts at once (the host allows one) */
	BAD_RESET_MID_DATA,	/* half a C2HData, then a TCP reset (reads) */
};

struct bad_target;

struct bad_target *bad_target_start(enum bad_fault fault, unsigned int trigger,
				     unsigned int delay_ms, uint16_t *port);
/* Close every connection and the listener, join the threads. */
void bad_target_stop(struct bad_target *t);
/* Whether the fault was carried out (the trigger command arrived). */
int bad_target_fired(struct bad_target *t);
/* H2CTermReq PDUs received from the host, and the FES of the last one. */
unsigned int bad_target_termreqs(struct bad_target *t, uint16_t *fes);

#endif
