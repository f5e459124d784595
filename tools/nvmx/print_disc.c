/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Discovery log page (Fabrics 1.1 5.3): nvme-cli's "nvme discover" layout,
 * with libnvme's words for the enumerations.
 */
#include <inttypes.h>
#include <string.h>

#include "nvmx/le.h"
#include "print.h"

#define PICK(tab, v) ((size_t)(v) < sizeof(tab) / sizeof(tab[0]) && tab[v] ? tab[v] : "unrecognized")

const char *nvmx_disc_trtype_str(uint8_t v)
{
	static const char *const t[] = {
		[NVMX_TRTYPE_RDMA] = "rdma", [NVMX_TRTYPE_FC] = "fc",
		[NVMX_TRTYPE_TCP] = "tcp", [NVMX_TRTYPE_LOOP] = "loop",
	};
	return PICK(t, v);
}

const char *nvmx_disc_adrfam_str(uint8_t v)
{
	static const char *const t[] = {
		[0] = "pci", [NVMX_ADRFAM_IPV4] = "ipv4", [NVMX_ADRFAM_IPV6] = "ipv6",
		[NVMX_ADRFAM_IB] = "infiniband", [NVMX_ADRFAM_FC] = "fibre-channel",
	};
	return PICK(t, v);
}

const char *nvmx_disc_subtype_name(uint8_t v)
{
	static const char *const t[] = {
		[NVMX_SUBTYPE_DISCOVERY_REFERRAL] = "discovery subsystem referral",
		[NVMX_SUBTYPE_NVME] = "nvme subsystem",
		[NVMX_SUBTYPE_CURRENT_DISCOVERY] = "current discovery subsystem",
	};
	return PICK(t, v);
}

const char *nvmx_disc_treq_str(uint8_t v)
{
	static const char *const t[] = {
		"not specified", "required", "not required", "unrecognized",
		"not specified, sq flow control disable supported",
		"required, sq flow control disable supported",
		"not required, sq flow control disable supported",
	};
	return PICK(t, v);
}

const char *nvmx_disc_eflags_str(uint16_t v)
{
	static const char *const t[] = {
		"none",
		"explicit discovery connections",
		"duplicate discovery information",
		"explicit discovery connections, duplicate discovery information",
		"no cdc connectivity",
		"explicit discovery connections, no cdc connectivity",
		"duplicate discovery information, no cdc connectivity",
		"explicit discovery connections, duplicate discovery information, no cdc connectivity",
	};
	return PICK(t, v);
}

const char *nvmx_disc_sectype_str(uint8_t v)
{
	static const char *const t[] = {
		[NVMX_TCP_SECTYPE_NONE] = "none", [NVMX_TCP_SECTYPE_TLS12] = "tls",
		[NVMX_TCP_SECTYPE_TLS13] = "tls13",
	};
	return PICK(t, v);
}

/* Records that are both announced (NUMREC) and present in the buffer. */
static unsigned disc_nrec(const struct nvmx_disc_log_hdr *log, size_t len)
{
	uint64_t numrec = nvmx_le64_to_cpu(log->numrec);
	size_t room = len < sizeof(*log) ? 0 : (len - sizeof(*log)) / sizeof(log->entries[0]);

	return (unsigned)(numrec < room ? numrec : room);
}

struct disc_strs {
	char trsvcid[33], subnqn[257], traddr[257];
};

static void disc_strs(const struct nvmx_disc_log_entry *e, struct disc_strs *s)
{
	nvmx_fixed_str(e->trsvcid, sizeof(e->trsvcid), true, s->trsvcid, sizeof(s->trsvcid));
	nvmx_fixed_str(e->subnqn, sizeof(e->subnqn), true, s->subnqn, sizeof(s->subnqn));
	nvmx_fixed_str(e->traddr, sizeof(e->traddr), true, s->traddr, sizeof(s->traddr));
}

struct json_object *nvmx_json_disc_log(const struct nvmx_disc_log_hdr *log, size_t len)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	unsigned i, n = disc_nrec(log, len);

	json_object_object_add(root, "genctr", nvmx_json_u64(nvmx_le64_to_cpu(log->genctr)));
	json_object_object_add(root, "records", arr);
	for (i = 0; i < n; i++) {
		const struct nvmx_disc_log_entry *e = &log->entries[i];
		struct json_object *o = json_object_new_object();
		struct disc_strs s;

		disc_strs(e, &s);
		json_object_object_add(o, "trtype", json_object_new_string(nvmx_disc_trtype_str(e->trtype)));
		json_object_object_add(o, "adrfam", json_object_new_string(nvmx_disc_adrfam_str(e->adrfam)));
		json_object_object_add(o, "subtype",
				       json_object_new_string(nvmx_disc_subtype_name(e->subtype)));
		json_object_object_add(o, "treq", json_object_new_string(nvmx_disc_treq_str(e->treq)));
		json_object_object_add(o, "portid", json_object_new_int(nvmx_le16_to_cpu(e->portid)));
		json_object_object_add(o, "trsvcid", json_object_new_string(s.trsvcid));
		json_object_object_add(o, "subnqn", json_object_new_string(s.subnqn));
		json_object_object_add(o, "traddr", json_object_new_string(s.traddr));
		json_object_object_add(o, "eflags",
				       json_object_new_string(nvmx_disc_eflags_str(nvmx_le16_to_cpu(e->eflags))));
		if (e->trtype == NVMX_TRTYPE_TCP)
			json_object_object_add(o, "sectype",
					       json_object_new_string(nvmx_disc_sectype_str(e->tsas[0])));
		json_object_array_add(arr, o);
	}
	return root;
}

void nvmx_print_disc_log(const struct nvmx_out *o, const struct nvmx_disc_log_hdr *log, size_t len)
{
	unsigned i, n = disc_nrec(log, len);
	FILE *f = o->f;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(f, log, sizeof(*log) + (size_t)n * sizeof(log->entries[0]));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(f, nvmx_json_disc_log(log, len));

	fprintf(f, "\nDiscovery Log Number of Records %u, Generation counter %" PRIu64 "\n",
		n, nvmx_le64_to_cpu(log->genctr));
	for (i = 0; i < n; i++) {
		const struct nvmx_disc_log_entry *e = &log->entries[i];
		struct disc_strs s;

		disc_strs(e, &s);
		fprintf(f, "=====Discovery Log Entry %u======\n", i);
		fprintf(f, "trtype:  %s\n", nvmx_disc_trtype_str(e->trtype));
		fprintf(f, "adrfam:  %s\n", s.traddr[0] ? nvmx_disc_adrfam_str(e->adrfam) : "");
		fprintf(f, "subtype: %s\n", nvmx_disc_subtype_name(e->subtype));
		fprintf(f, "treq:    %s\n", nvmx_disc_treq_str(e->treq));
		fprintf(f, "portid:  %u\n", nvmx_le16_to_cpu(e->portid));
		fprintf(f, "trsvcid: %s\n", s.trsvcid);
		fprintf(f, "subnqn:  %s\n", s.subnqn);
		fprintf(f, "traddr:  %s\n", s.traddr);
		fprintf(f, "eflags:  %s\n", nvmx_disc_eflags_str(nvmx_le16_to_cpu(e->eflags)));
		if (e->trtype == NVMX_TRTYPE_TCP)
			fprintf(f, "sectype: %s\n", nvmx_disc_sectype_str(e->tsas[0]));
	}
}
