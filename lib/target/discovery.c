/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The discovery log page (Fabrics 1.1, 5.3): one entry per (port,
 * subsystem) pair the connecting host may use, so a host that is not
 * allowed anywhere sees an empty log.  GENCTR changes whenever ports,
 * subsystems or host lists change.
 */
#include <string.h>

#include "target/core.h"

#define DISC_HDR_LEN 1024
#define DISC_ENT_LEN 1024

static void fill_entry(struct nvmx_disc_log_entry *e, const struct nvmx_tgt_port *p,
		       const struct nvmx_tgt_subsys *s)
{
	memset(e, 0, sizeof(*e));
	e->trtype = NVMX_TRTYPE_TCP;
	e->adrfam = (uint8_t)p->adrfam;
	e->subtype = NVMX_SUBTYPE_NVME;
	e->treq = NVMX_TREQ_SECURE_NOT_SPECIFIED | NVMX_TREQ_DISABLE_SQFLOW;
	e->portid = nvmx_cpu_to_le16(p->portid);
	e->cntlid = nvmx_cpu_to_le16(NVMX_CONNECT_CNTLID_DYNAMIC);
	e->asqsz = nvmx_cpu_to_le16(NVMX_TGT_MQES + 1);
	if (p->bound_port)
		snprintf(e->trsvcid, sizeof(e->trsvcid), "%d", p->bound_port);
	else
		snprintf(e->trsvcid, sizeof(e->trsvcid), "%s", p->trsvcid);
	snprintf(e->subnqn, sizeof(e->subnqn), "%s", s->nqn);
	snprintf(e->traddr, sizeof(e->traddr), "%s", p->traddr);
	e->tsas[0] = NVMX_TCP_SECTYPE_NONE;
}

/* Copy the part of [pos, pos+n) that falls in the window [off, off+len). */
static void window_copy(uint8_t *buf, uint64_t off, uint32_t len, uint64_t pos,
			const void *src, uint32_t n)
{
	uint64_t lo = pos > off ? pos : off;
	uint64_t hi = pos + n < off + len ? pos + n : off + len;

	if (lo < hi)
		memcpy(buf + (lo - off), (const uint8_t *)src + (lo - pos), hi - lo);
}

uint32_t nvmx_tgt_discovery_log(struct nvmx_tgt *t, const char *hostnqn,
				uint8_t *buf, uint64_t off, uint32_t len)
{
	struct nvmx_disc_log_hdr hdr;
	struct nvmx_disc_log_entry e;
	uint64_t numrec = 0, pos = DISC_HDR_LEN;

	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_port *p = t->ports; p; p = p->next) {
		for (unsigned i = 0; i < p->nsubsys; i++) {
			if (!nvmx_tgt_host_allowed(p->subsys[i], hostnqn))
				continue;
			fill_entry(&e, p, p->subsys[i]);
			window_copy(buf, off, len, pos, &e, DISC_ENT_LEN);
			pos += DISC_ENT_LEN;
			numrec++;
		}
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.genctr = nvmx_cpu_to_le64(t->genctr);
	hdr.numrec = nvmx_cpu_to_le64(numrec);
	hdr.recfmt = 0;
	pthread_mutex_unlock(&t->lock);
	window_copy(buf, off, len, 0, &hdr, DISC_HDR_LEN);
	return (uint32_t)pos;
}
