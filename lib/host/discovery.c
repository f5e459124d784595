/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Discovery (NVMe-oF 1.1, 5.3): connect to the discovery controller, read
 * the Discovery Log Page (70h) and decode its entries.  The log may change
 * while it is read in pieces, so read the header, then everything, then the
 * header again, and start over if GENCTR moved.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"

#define DISC_LOG_LID	0x70
#define DISC_RETRIES	10
#define DISC_MAX_RECS	1024

/* Copy a space-padded ASCII field, dropping trailing blanks and NULs. */
static void field(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	while (n && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
		dst[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)dst[i]))
			dst[i] = '?';
}

static void decode(struct nvmx_disc_entry *e, const struct nvmx_disc_log_entry *w)
{
	memset(e, 0, sizeof(*e));
	e->trtype = w->trtype;
	e->adrfam = w->adrfam;
	e->subtype = w->subtype;
	e->treq = w->treq;
	e->portid = nvmx_le16_to_cpu(w->portid);
	e->cntlid = nvmx_le16_to_cpu(w->cntlid);
	e->asqsz = nvmx_le16_to_cpu(w->asqsz);
	e->eflags = nvmx_le16_to_cpu(w->eflags);
	e->sectype = w->tsas[0];
	field(e->trsvcid, sizeof(e->trsvcid), w->trsvcid, sizeof(w->trsvcid));
	field(e->subnqn, sizeof(e->subnqn), w->subnqn, sizeof(w->subnqn));
	field(e->traddr, sizeof(e->traddr), w->traddr, sizeof(w->traddr));
}

static int read_log(struct nvmx_ctrl *ctrl, struct nvmx_disc_entry **entries, unsigned int *nr,
		    uint64_t *genctr)
{
	struct nvmx_disc_log_hdr *hdr = malloc(sizeof(*hdr)), *all = NULL;
	int rc = -EAGAIN;

	if (!hdr)
		return -ENOMEM;
	for (int tries = 0; tries < DISC_RETRIES && rc == -EAGAIN; tries++) {
		uint64_t gen, numrec;
		size_t len;

		rc = nvmx_get_log_sync(ctrl, DISC_LOG_LID, 0, 0, hdr, sizeof(*hdr));
		if (rc)
			break;
		gen = nvmx_le64_to_cpu(hdr->genctr);
		numrec = nvmx_le64_to_cpu(hdr->numrec);
		if (numrec > DISC_MAX_RECS) {
			nvmx_ctrl_seterr(ctrl, "discovery log claims %llu records",
					 (unsigned long long)numrec);
			rc = -EPROTO;
			break;
		}
		len = sizeof(*hdr) + numrec * sizeof(struct nvmx_disc_log_entry);
		free(all);
		all = malloc(len);
		if (!all) {
			rc = -ENOMEM;
			break;
		}
		rc = nvmx_get_log_sync(ctrl, DISC_LOG_LID, 0, 0, all, (uint32_t)len);
		if (rc)
			break;
		rc = nvmx_get_log_sync(ctrl, DISC_LOG_LID, 0, 0, hdr, sizeof(*hdr));
		if (rc)
			break;
		if (nvmx_le64_to_cpu(hdr->genctr) != gen || nvmx_le64_to_cpu(all->genctr) != gen) {
			rc = -EAGAIN;	/* changed while we read: again */
			continue;
		}
		*entries = calloc(numrec ? numrec : 1, sizeof(**entries));
		if (!*entries) {
			rc = -ENOMEM;
			break;
		}
		for (uint64_t i = 0; i < numrec; i++)
			decode(&(*entries)[i], &all->entries[i]);
		*nr = (unsigned int)numrec;
		if (genctr)
			*genctr = gen;
	}
	free(all);
	free(hdr);
	return rc > 0 ? -EIO : rc;
}

int nvmx_discover(const struct nvmx_trid *trid, const struct nvmx_ctrl_opts *opts,
		  struct nvmx_disc_entry **entries, unsigned int *nr, uint64_t *genctr)
{
	struct nvmx_trid t = *trid;
	struct nvmx_ctrl *ctrl;
	int rc;

	*entries = NULL;
	*nr = 0;
	snprintf(t.subnqn, sizeof(t.subnqn), "%s", NVMX_DISCOVERY_NQN);
	rc = nvmx_ctrl_connect(&t, opts, &ctrl);
	if (rc)
		return rc;
	rc = read_log(ctrl, entries, nr, genctr);
	if (rc)
		nvmx_err("%s: reading the discovery log failed: %s", ctrl->name, nvmx_result_str(rc));
	nvmx_ctrl_disconnect(ctrl);
	return rc;
}

int nvmx_disc_entry_trid(const struct nvmx_disc_entry *e, const char *traddr,
			 const char *trsvcid, struct nvmx_trid *trid)
{
	char buf[600], err[160];
	const char *addr = traddr ? traddr : e->traddr;
	const char *port = trsvcid ? trsvcid : e->trsvcid;

	if (e->trtype != NVMX_TRTYPE_TCP)
		return -EPROTONOSUPPORT;
	snprintf(buf, sizeof(buf), "trtype:TCP traddr:%s trsvcid:%s subnqn:%s", addr, port,
		 e->subnqn);
	if (nvmx_trid_parse(trid, buf, err, sizeof(err))) {
		nvmx_err("discovery entry %s: %s", e->subnqn, err);
		return -EINVAL;
	}
	return 0;
}

const char *nvmx_disc_subtype_str(uint8_t subtype)
{
	switch (subtype) {
	case NVMX_SUBTYPE_DISCOVERY_REFERRAL: return "referral";
	case NVMX_SUBTYPE_NVME: return "nvme subsystem";
	case NVMX_SUBTYPE_CURRENT_DISCOVERY: return "current discovery subsystem";
	default: return "unknown";
	}
}
