/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identify data: controller, namespace, namespace identification
 * descriptors, active namespace list.  Controller and namespace fields are
 * described once in a table (name, offset, how to print) that drives the
 * text and the JSON output alike, in nvme-cli's order and with its names.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "nvmx/le.h"
#include "print.h"

enum fkind {
	F_D8, F_X8, F_D16, F_X16, F_D32, F_X32, F_U32,	/* decimal/hex text, JSON int */
	F_STR,		/* fixed ASCII, blanks kept */
	F_U128,		/* decimal string */
	F_IEEE,		/* OUI, 3 bytes, printed high byte first */
	F_UUID,
};

struct field {
	const char *name;
	uint16_t off;
	uint8_t kind;
	uint8_t len;			/* F_STR: bytes */
	const struct nvmx_bitfield *bits;	/* -H decoding */
	void (*human)(FILE *f, uint64_t v);	/* -H decoding beyond bit tables */
};

static uint64_t field_val(const uint8_t *base, const struct field *fd)
{
	const uint8_t *p = base + fd->off;

	switch (fd->kind) {
	case F_D8: case F_X8:
		return p[0];
	case F_D16: case F_X16:
		return nvmx_get_le16(p);
	case F_D32: case F_X32: case F_U32:
		return nvmx_get_le32(p);
	case F_IEEE:
		return (uint64_t)p[2] << 16 | (uint64_t)p[1] << 8 | p[0];
	}
	return 0;
}

static void field_text(FILE *f, const uint8_t *base, const struct field *fd, int width)
{
	const uint8_t *p = base + fd->off;
	uint64_t v = field_val(base, fd);
	char buf[300];

	fprintf(f, "%-*s: ", width, fd->name);
	switch (fd->kind) {
	case F_D8: case F_D16: case F_D32:
		fprintf(f, "%" PRIu64 "\n", v);
		break;
	case F_U32:
		fprintf(f, "%" PRIu64 "\n", v);
		break;
	case F_X8: case F_X16: case F_X32:
		fprintf(f, "%#" PRIx64 "\n", v);
		break;
	case F_STR:
		fprintf(f, "%s\n", nvmx_fixed_str((const char *)p, fd->len, false, buf, sizeof(buf)));
		break;
	case F_U128:
		fprintf(f, "%s\n", nvmx_u128_str(p, buf, sizeof(buf)));
		break;
	case F_IEEE:
		fprintf(f, "%02x%02x%02x\n", p[2], p[1], p[0]);
		break;
	case F_UUID:
		fprintf(f, "%s\n", nvmx_uuid_str(p, buf, sizeof(buf)));
		break;
	}
}

static struct json_object *field_json(const uint8_t *base, const struct field *fd)
{
	const uint8_t *p = base + fd->off;
	char buf[300];

	switch (fd->kind) {
	case F_STR:
		return json_object_new_string(nvmx_fixed_str((const char *)p, fd->len, false,
							      buf, sizeof(buf)));
	case F_U128:
		return json_object_new_string(nvmx_u128_str(p, buf, sizeof(buf)));
	case F_UUID:
		return json_object_new_string(nvmx_uuid_str(p, buf, sizeof(buf)));
	default:
		return nvmx_json_u64(field_val(base, fd));
	}
}

static unsigned field_width(const struct field *fd)
{
	switch (fd->kind) {
	case F_D8: case F_X8: return 8;
	case F_D16: case F_X16: return 16;
	default: return 32;
	}
}

static void fields_text(FILE *f, const void *base, const struct field *t, int width, bool human)
{
	for (; t->name; t++) {
		field_text(f, base, t, width);
		if (!human)
			continue;
		if (t->bits)
			nvmx_print_bits(f, field_val(base, t), field_width(t), t->bits);
		if (t->human)
			t->human(f, field_val(base, t));
	}
}

/* ------------------------------------------------------------------ */
/* Identify Controller                                                */
/* ------------------------------------------------------------------ */

static const struct nvmx_bitfield cmic_bits[] = {
	{ 3, 3, "?ANA not supported|ANA supported" },
	{ 2, 2, "?PCI|SR-IOV" },
	{ 1, 1, "?Single Controller|Multi Controller" },
	{ 0, 0, "?Single Port|Multi Port" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield oaes_bits[] = {
	{ 31, 31, "Discovery Log Change Notice" },
	{ 27, 27, "Zone Descriptor Changed Notices" },
	{ 15, 15, "Normal NSS Shutdown Event" },
	{ 14, 14, "Endurance Group Event Aggregate Log Page Change Notice" },
	{ 13, 13, "LBA Status Information Notices" },
	{ 12, 12, "Predictable Latency Event Aggregate Log Change Notices" },
	{ 11, 11, "Asymmetric Namespace Access Change Notices" },
	{ 9, 9, "Firmware Activation Notices" },
	{ 8, 8, "Namespace Attribute Changed Event" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield ctratt_bits[] = {
	{ 19, 19, "Flexible Data Placement" },
	{ 15, 15, "Extended LBA Formats" },
	{ 14, 14, "Delete NVM Set" },
	{ 13, 13, "Delete Endurance Group" },
	{ 12, 12, "Variable Capacity Management" },
	{ 11, 11, "Fixed Capacity Management" },
	{ 10, 10, "Multi Domain Subsystem" },
	{ 9, 9, "UUID List" },
	{ 8, 8, "SQ Associations" },
	{ 7, 7, "Namespace Granularity" },
	{ 6, 6, "Traffic Based Keep Alive" },
	{ 5, 5, "Predictable Latency Mode" },
	{ 4, 4, "Endurance Groups" },
	{ 3, 3, "Read Recovery Levels" },
	{ 2, 2, "NVM Sets" },
	{ 1, 1, "Non-Operational Power State Permissive" },
	{ 0, 0, "128-bit Host Identifier" },
	{ 0, 0, NULL },
};

static void human_cntrltype(FILE *f, uint64_t v)
{
	static const char *const type[] = {
		"Controller type not reported", "I/O Controller",
		"Discovery Controller", "Administrative Controller",
	};

	fprintf(f, "  [7:2] : %#x\tReserved\n", (unsigned)(v >> 2) & 0x3f);
	fprintf(f, "  [1:0] : %#x\t%s\n", (unsigned)v & 3, type[v & 3]);
}

static const struct nvmx_bitfield oacs_bits[] = {
	{ 10, 10, "Lockdown Command and Feature" },
	{ 9, 9, "Get LBA Status Capability" },
	{ 8, 8, "Doorbell Buffer Config" },
	{ 7, 7, "Virtualization Management" },
	{ 6, 6, "NVMe-MI Send and Receive" },
	{ 5, 5, "Directives" },
	{ 4, 4, "Device Self-test" },
	{ 3, 3, "NS Management and Attachment" },
	{ 2, 2, "FW Commit and Download" },
	{ 1, 1, "Format NVM" },
	{ 0, 0, "Security Send and Receive" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield frmw_bits[] = {
	{ 5, 5, "Multiple FW or Boot Update Detection" },
	{ 4, 4, "Firmware Activate Without Reset" },
	{ 3, 1, "=Number of Firmware Slots" },
	{ 0, 0, "?Firmware Slot 1 Read/Write|Firmware Slot 1 Read-Only" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield lpa_bits[] = {
	{ 6, 6, "Telemetry Log Data Area 4" },
	{ 5, 5, "LID 0x0, Scope of each command in LID 0x5, 0x12, 0x13" },
	{ 4, 4, "Persistent Event log" },
	{ 3, 3, "Telemetry host/controller initiated log page" },
	{ 2, 2, "Extended data for Get Log Page" },
	{ 1, 1, "Command Effects Log Page" },
	{ 0, 0, "SMART/Health Log Page per NS" },
	{ 0, 0, NULL },
};

static void human_elpe(FILE *f, uint64_t v)
{
	fprintf(f, "  [7:0] : %u (0's based)\tError Log Page Entries (ELPE)\n\n", (unsigned)v);
}

static void human_npss(FILE *f, uint64_t v)
{
	fprintf(f, "  [7:0] : %u (0's based)\tNumber of Power States Support (NPSS)\n\n", (unsigned)v);
}

static const struct nvmx_bitfield avscc_bits[] = {
	{ 0, 0, "?Admin Vendor Specific Commands uses Vendor Specific Format|"
		"Admin Vendor Specific Commands uses NVMe Format" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield apsta_bits[] = {
	{ 0, 0, "Autonomous Power State Transitions" },
	{ 0, 0, NULL },
};

static void human_wctemp(FILE *f, uint64_t v)
{
	fprintf(f, " [15:0] : %ld°C (%u Kelvin)\tWarning Composite Temperature Threshold (WCTEMP)\n\n",
		nvmx_k_to_c((unsigned)v), (unsigned)v);
}

static void human_cctemp(FILE *f, uint64_t v)
{
	fprintf(f, " [15:0] : %ld°C (%u Kelvin)\tCritical Composite Temperature Threshold (CCTEMP)\n\n",
		nvmx_k_to_c((unsigned)v), (unsigned)v);
}

static void human_sqes(FILE *f, uint64_t v)
{
	fprintf(f, "  [7:4] : %#x\tMax SQ Entry Size (%u)\n", (unsigned)(v >> 4) & 0xf, 1u << ((v >> 4) & 0xf));
	fprintf(f, "  [3:0] : %#x\tMin SQ Entry Size (%u)\n\n", (unsigned)v & 0xf, 1u << (v & 0xf));
}

static void human_cqes(FILE *f, uint64_t v)
{
	fprintf(f, "  [7:4] : %#x\tMax CQ Entry Size (%u)\n", (unsigned)(v >> 4) & 0xf, 1u << ((v >> 4) & 0xf));
	fprintf(f, "  [3:0] : %#x\tMin CQ Entry Size (%u)\n\n", (unsigned)v & 0xf, 1u << (v & 0xf));
}

static const struct nvmx_bitfield oncs_bits[] = {
	{ 8, 8, "Copy" },
	{ 7, 7, "Verify" },
	{ 6, 6, "Timestamp" },
	{ 5, 5, "Reservations" },
	{ 4, 4, "Save and Select" },
	{ 3, 3, "Write Zeroes" },
	{ 2, 2, "Data Set Management" },
	{ 1, 1, "Write Uncorrectable" },
	{ 0, 0, "Compare" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield fuses_bits[] = {
	{ 0, 0, "Fused Compare and Write" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield fna_bits[] = {
	{ 3, 3, "Format NVM Broadcast NSID (FFFFFFFFh)" },
	{ 2, 2, "Crypto Erase as part of Secure Erase" },
	{ 1, 1, "?Crypto Erase Applies to Single Namespace(s)|Crypto Erase Applies to All Namespace(s)" },
	{ 0, 0, "?Format Applies to Single Namespace(s)|Format Applies to All Namespace(s)" },
	{ 0, 0, NULL },
};

static void human_vwc(FILE *f, uint64_t v)
{
	static const char *const flush[] = {
		"Support for the NSID field set to FFFFFFFFh is not indicated",
		"Reserved",
		"The Flush command does not support NSID set to FFFFFFFFh",
		"The Flush command supports NSID set to FFFFFFFFh",
	};

	if (v >> 3)
		fprintf(f, "  [7:3] : %#x\tReserved\n", (unsigned)(v >> 3));
	fprintf(f, "  [2:1] : %#x\t%s\n", (unsigned)(v >> 1) & 3, flush[(v >> 1) & 3]);
	fprintf(f, "  [0:0] : %#x\tVolatile Write Cache %sPresent\n\n", (unsigned)v & 1,
		v & 1 ? "" : "Not ");
}

static const struct nvmx_bitfield icsvscc_bits[] = {
	{ 0, 0, "?NVM Vendor Specific Commands uses Vendor Specific Format|"
		"NVM Vendor Specific Commands uses NVMe Format" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield nwpc_bits[] = {
	{ 2, 2, "Permanent Write Protect" },
	{ 1, 1, "Write Protect Until Power Supply" },
	{ 0, 0, "No Write Protect and Write Protect Namespace" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield ocfs_bits[] = {
	{ 1, 1, "Controller Copy Format 1h" },
	{ 0, 0, "Controller Copy Format 0h" },
	{ 0, 0, NULL },
};

static void human_sgls(FILE *f, uint64_t v)
{
	static const struct nvmx_bitfield bits[] = {
		{ 21, 21, "Transport SGL Data Block Descriptor" },
		{ 20, 20, "Address Offsets" },
		{ 19, 19, "Metadata Pointer Containing SGL Descriptor is" },
		{ 18, 18, "SGL Length Larger than Buffer" },
		{ 17, 17, "Byte-Aligned Contig. MD Buffer" },
		{ 16, 16, "SGL Bit-Bucket" },
		{ 15, 8, "=SGL Descriptor Threshold" },
		{ 2, 2, "Keyed SGL Data Block descriptor" },
		{ 1, 0, "=Scatter-Gather Lists Support (00b none, 01b no alignment, 10b dword aligned)" },
		{ 0, 0, NULL },
	};

	nvmx_print_bits(f, v, 32, bits);
}

static const struct nvmx_bitfield fcatt_bits[] = {
	{ 0, 0, "?Dynamic Controller Model|Static Controller Model" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield ofcs_bits[] = {
	{ 0, 0, "Disconnect command" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield anacap_bits[] = {
	{ 7, 7, "Non-zero group ID" },
	{ 6, 6, "Group ID does not change" },
	{ 4, 4, "ANA Change state" },
	{ 3, 3, "ANA Persistent Loss state" },
	{ 2, 2, "ANA Inaccessible state" },
	{ 1, 1, "ANA Non-optimized state" },
	{ 0, 0, "ANA Optimized state" },
	{ 0, 0, NULL },
};

#define IDC(n, k) { #n, offsetof(struct nvmx_id_ctrl, n), k, 0, NULL, NULL }
#define IDCB(n, k, b) { #n, offsetof(struct nvmx_id_ctrl, n), k, 0, b, NULL }
#define IDCH(n, k, h) { #n, offsetof(struct nvmx_id_ctrl, n), k, 0, NULL, h }
#define IDCS(n) { #n, offsetof(struct nvmx_id_ctrl, n), F_STR, sizeof(((struct nvmx_id_ctrl *)0)->n), NULL, NULL }

/* nvme-cli 2.3 nvme_show_id_ctrl() order; subnqn printed apart (JSON omits it when empty). */
static const struct field id_ctrl_fields[] = {
	IDC(vid, F_X16), IDC(ssvid, F_X16), IDCS(sn), IDCS(mn), IDCS(fr),
	IDC(rab, F_D8), IDC(ieee, F_IEEE), IDCB(cmic, F_X8, cmic_bits), IDC(mdts, F_D8),
	IDC(cntlid, F_X16), IDC(ver, F_X32), IDC(rtd3r, F_X32), IDC(rtd3e, F_X32),
	IDCB(oaes, F_X32, oaes_bits), IDCB(ctratt, F_X32, ctratt_bits), IDC(rrls, F_X16),
	IDCH(cntrltype, F_D8, human_cntrltype), IDC(fguid, F_UUID),
	IDC(crdt1, F_D16), IDC(crdt2, F_D16), IDC(crdt3, F_D16),
	IDC(nvmsr, F_D8), IDC(vwci, F_D8), IDC(mec, F_D8),
	IDCB(oacs, F_X16, oacs_bits), IDC(acl, F_D8), IDC(aerl, F_D8),
	IDCB(frmw, F_X8, frmw_bits), IDCB(lpa, F_X8, lpa_bits), IDCH(elpe, F_D8, human_elpe),
	IDCH(npss, F_D8, human_npss), IDCB(avscc, F_X8, avscc_bits), IDCB(apsta, F_X8, apsta_bits),
	IDCH(wctemp, F_D16, human_wctemp), IDCH(cctemp, F_D16, human_cctemp), IDC(mtfa, F_D16),
	IDC(hmpre, F_D32), IDC(hmmin, F_D32), IDC(tnvmcap, F_U128), IDC(unvmcap, F_U128),
	IDC(rpmbs, F_X32), IDC(edstt, F_D16), IDC(dsto, F_D8), IDC(fwug, F_D8), IDC(kas, F_D16),
	IDC(hctma, F_X16), IDC(mntmt, F_D16), IDC(mxtmt, F_D16), IDC(sanicap, F_X32),
	IDC(hmminds, F_U32), IDC(hmmaxd, F_D16), IDC(nsetidmax, F_D16), IDC(endgidmax, F_D16),
	IDC(anatt, F_D8), IDCB(anacap, F_D8, anacap_bits), IDC(anagrpmax, F_U32),
	IDC(nanagrpid, F_U32), IDC(pels, F_U32), IDC(domainid, F_D16), IDC(megcap, F_U128),
	IDCH(sqes, F_X8, human_sqes), IDCH(cqes, F_X8, human_cqes), IDC(maxcmd, F_D16),
	IDC(nn, F_D32), IDCB(oncs, F_X16, oncs_bits), IDCB(fuses, F_X16, fuses_bits),
	IDCB(fna, F_X8, fna_bits), IDCH(vwc, F_X8, human_vwc), IDC(awun, F_D16), IDC(awupf, F_D16),
	IDCB(icsvscc, F_D8, icsvscc_bits), IDCB(nwpc, F_D8, nwpc_bits), IDC(acwu, F_D16),
	IDCB(ocfs, F_X16, ocfs_bits), IDCH(sgls, F_X32, human_sgls), IDC(mnan, F_U32),
	IDC(maxdna, F_U128), IDC(maxcna, F_U32),
	{ NULL, 0, 0, 0, NULL, NULL },
};

static const struct field id_ctrl_fabrics_fields[] = {
	IDC(ioccsz, F_U32), IDC(iorcsz, F_U32), IDC(icdoff, F_D16),
	IDCB(fcatt, F_X8, fcatt_bits), IDC(msdbd, F_D8), IDCB(ofcs, F_D16, ofcs_bits),
	{ NULL, 0, 0, 0, NULL, NULL },
};

static void fields_json(struct json_object *root, const void *base, const struct field *t)
{
	for (; t->name; t++)
		json_object_object_add(root, t->name, field_json(base, t));
}

/* Power scale of IPS / APWS bits 7:6: 0 not reported, 1 0.0001 W, 2 0.01 W. */
static unsigned psd_scale(uint8_t v) { return (v >> 6) & 3u; }

struct json_object *nvmx_json_id_ctrl(const struct nvmx_id_ctrl *id)
{
	struct json_object *root = json_object_new_object();
	struct json_object *psds = json_object_new_array();
	char subnqn[NVMX_NQN_FIELD + 1];
	unsigned i;

	fields_json(root, id, id_ctrl_fields);
	nvmx_fixed_str(id->subnqn, sizeof(id->subnqn), false, subnqn, sizeof(subnqn));
	if (subnqn[0])
		json_object_object_add(root, "subnqn", json_object_new_string(subnqn));
	fields_json(root, id, id_ctrl_fabrics_fields);

	json_object_object_add(root, "psds", psds);
	for (i = 0; i <= id->npss && i < 32; i++) {
		const struct nvmx_psd *p = &id->psd[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "max_power", json_object_new_int(nvmx_le16_to_cpu(p->mp)));
		json_object_object_add(o, "flags", json_object_new_int(p->flags));
		json_object_object_add(o, "entry_lat", nvmx_json_u64(nvmx_le32_to_cpu(p->enlat)));
		json_object_object_add(o, "exit_lat", nvmx_json_u64(nvmx_le32_to_cpu(p->exlat)));
		json_object_object_add(o, "read_tput", json_object_new_int(p->rrt));
		json_object_object_add(o, "read_lat", json_object_new_int(p->rrl));
		json_object_object_add(o, "write_tput", json_object_new_int(p->rwt));
		json_object_object_add(o, "write_lat", json_object_new_int(p->rwl));
		json_object_object_add(o, "idle_power", json_object_new_int(nvmx_le16_to_cpu(p->idlp)));
		json_object_object_add(o, "idle_scale", json_object_new_int((int)psd_scale(p->ips)));
		json_object_object_add(o, "active_power", json_object_new_int(nvmx_le16_to_cpu(p->actp)));
		json_object_object_add(o, "active_power_work", json_object_new_int(p->apws & 7));
		json_object_object_add(o, "active_scale", json_object_new_int((int)psd_scale(p->apws)));
		json_object_array_add(psds, o);
	}
	return root;
}

static void print_power(FILE *f, uint16_t power, unsigned scale)
{
	switch (scale) {
	case 0: fprintf(f, "-"); break;
	case 1: fprintf(f, "%u.%04uW", power / 10000u, power % 10000u); break;
	case 2: fprintf(f, "%u.%02uW", power / 100u, power % 100u); break;
	default: fprintf(f, "reserved"); break;
	}
}

static const char *psd_workload(uint8_t apws)
{
	switch (apws & 7) {
	case 0: return "-";
	case 1: return "1MiB 32 RW, 30s idle";
	case 2: return "80K 128KiB SW";
	default: return "reserved";
	}
}

static void print_psds(FILE *f, const struct nvmx_id_ctrl *id)
{
	unsigned i;

	for (i = 0; i <= id->npss && i < 32; i++) {
		const struct nvmx_psd *p = &id->psd[i];
		uint16_t mp = nvmx_le16_to_cpu(p->mp);

		fprintf(f, "ps   %4u : mp:", i);
		if (p->flags & 1)	/* MXPS: 0.0001 W units */
			fprintf(f, "%u.%04uW ", mp / 10000u, mp % 10000u);
		else
			fprintf(f, "%u.%02uW ", mp / 100u, mp % 100u);
		fprintf(f, "%soperational enlat:%u exlat:%u rrt:%u rrl:%u\n"
			"            rwt:%u rwl:%u idle_power:",
			p->flags & 2 ? "non-" : "", nvmx_le32_to_cpu(p->enlat),
			nvmx_le32_to_cpu(p->exlat), p->rrt, p->rrl, p->rwt, p->rwl);
		print_power(f, nvmx_le16_to_cpu(p->idlp), psd_scale(p->ips));
		fprintf(f, " active_power:");
		print_power(f, nvmx_le16_to_cpu(p->actp), psd_scale(p->apws));
		fprintf(f, "\n            active_power_workload:%s\n", psd_workload(p->apws));
	}
}

void nvmx_print_id_ctrl(const struct nvmx_out *o, const struct nvmx_id_ctrl *id)
{
	char subnqn[NVMX_NQN_FIELD + 1];

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(o->f, id, sizeof(*id));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(o->f, nvmx_json_id_ctrl(id));

	fprintf(o->f, "NVME Identify Controller:\n");
	fields_text(o->f, id, id_ctrl_fields, 10, o->human);
	fprintf(o->f, "%-10s: %s\n", "subnqn",
		nvmx_fixed_str(id->subnqn, sizeof(id->subnqn), false, subnqn, sizeof(subnqn)));
	fields_text(o->f, id, id_ctrl_fabrics_fields, 10, o->human);
	print_psds(o->f, id);
	if (o->vs) {
		fprintf(o->f, "vs[]:\n");
		nvmx_out_hexdump(o->f, id->vs, sizeof(id->vs));
	}
}

/* ------------------------------------------------------------------ */
/* Identify Namespace                                                 */
/* ------------------------------------------------------------------ */

static const struct nvmx_bitfield nsfeat_bits[] = {
	{ 4, 4, "NPWG, NPWA, NPDG, NPDA, and NOWS are" },
	{ 3, 3, "?NGUID and EUI64 fields if non-zero, Reused|NGUID and EUI64 fields if non-zero, Never Reused" },
	{ 2, 2, "Deallocated or Unwritten Logical Block error" },
	{ 1, 1, "?Namespace uses AWUN, AWUPF, and ACWU|Namespace uses NAWUN, NAWUPF, and NACWU" },
	{ 0, 0, "Thin Provisioning" },
	{ 0, 0, NULL },
};

static void human_flbas(FILE *f, uint64_t v)
{
	if (v & 0x80)
		fprintf(f, "  [7:7] : %#x\tReserved\n", 1);
	fprintf(f, "  [6:5] : %#x\tMost significant 2 bits of Current LBA Format Selected\n",
		(unsigned)(v >> 5) & 3);
	fprintf(f, "  [4:4] : %#x\tMetadata Transferred %s\n", (unsigned)(v >> 4) & 1,
		v & 0x10 ? "at End of Data LBA" : "in Separate Contiguous Buffer");
	fprintf(f, "  [3:0] : %#x\tLeast significant 4 bits of Current LBA Format Selected\n\n",
		(unsigned)v & 0xf);
}

static const struct nvmx_bitfield mc_bits[] = {
	{ 1, 1, "Metadata Pointer" },
	{ 0, 0, "Metadata as Part of Extended Data LBA" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield dpc_bits[] = {
	{ 4, 4, "Protection Information Transferred as Last Bytes of Metadata" },
	{ 3, 3, "Protection Information Transferred as First Bytes of Metadata" },
	{ 2, 2, "Protection Information Type 3" },
	{ 1, 1, "Protection Information Type 2" },
	{ 0, 0, "Protection Information Type 1" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield nmic_bits[] = {
	{ 0, 0, "?Namespace Multipath Not Capable|Namespace Multipath Capable" },
	{ 0, 0, NULL },
};

static const struct nvmx_bitfield rescap_bits[] = {
	{ 7, 7, "Ignore Existing Key - Used as defined in revision 1.3 or later" },
	{ 6, 6, "Exclusive Access - All Registrants" },
	{ 5, 5, "Write Exclusive - All Registrants" },
	{ 4, 4, "Exclusive Access - Registrants Only" },
	{ 3, 3, "Write Exclusive - Registrants Only" },
	{ 2, 2, "Exclusive Access" },
	{ 1, 1, "Write Exclusive" },
	{ 0, 0, "Persist Through Power Loss" },
	{ 0, 0, NULL },
};

static void human_dlfeat(FILE *f, uint64_t v)
{
	static const char *const rb[] = {
		"Not Reported", "All Bytes Set to 0x00", "All Bytes Set to 0xFF",
	};
	unsigned r = (unsigned)v & 7;

	fprintf(f, "  [4:4] : %#x\tGuard Field of Deallocated Logical Blocks is set to %s\n",
		(unsigned)(v >> 4) & 1, v & 0x10 ? "CRC of The Value Read" : "0xFFFF");
	fprintf(f, "  [3:3] : %#x\tDeallocate Bit in the Write Zeroes Command is %sSupported\n",
		(unsigned)(v >> 3) & 1, v & 8 ? "" : "Not ");
	fprintf(f, "  [2:0] : %#x\tBytes Read From a Deallocated Logical Block and its Metadata are %s\n\n",
		r, r < 3 ? rb[r] : "Reserved Value");
}

#define IDN(n, k) { #n, offsetof(struct nvmx_id_ns, n), k, 0, NULL, NULL }
#define IDNB(n, k, b) { #n, offsetof(struct nvmx_id_ns, n), k, 0, b, NULL }
#define IDNH(n, k, h) { #n, offsetof(struct nvmx_id_ns, n), k, 0, NULL, h }

static const struct field id_ns_head[] = {
	IDNB(nsfeat, F_X8, nsfeat_bits), IDN(nlbaf, F_D8), IDNH(flbas, F_X8, human_flbas),
	IDNB(mc, F_X8, mc_bits), IDNB(dpc, F_X8, dpc_bits), IDN(dps, F_X8),
	IDNB(nmic, F_X8, nmic_bits), IDNB(rescap, F_X8, rescap_bits), IDN(fpi, F_X8),
	IDNH(dlfeat, F_D8, human_dlfeat), IDN(nawun, F_D16), IDN(nawupf, F_D16),
	IDN(nacwu, F_D16), IDN(nabsn, F_D16), IDN(nabo, F_D16), IDN(nabspf, F_D16),
	IDN(noiob, F_D16), IDN(nvmcap, F_U128),
	{ NULL, 0, 0, 0, NULL, NULL },
};

static const struct field id_ns_perf[] = {	/* only when NSFEAT bit 4 */
	IDN(npwg, F_D16), IDN(npwa, F_D16), IDN(npdg, F_D16), IDN(npda, F_D16), IDN(nows, F_D16),
	{ NULL, 0, 0, 0, NULL, NULL },
};

static const struct field id_ns_tail[] = {
	IDN(mssrl, F_D16), IDN(mcl, F_U32), IDN(msrc, F_D8), IDN(nulbaf, F_D8),
	{ NULL, 0, 0, 0, NULL, NULL },
};

struct json_object *nvmx_json_id_ns(const struct nvmx_id_ns *ns)
{
	struct json_object *root = json_object_new_object();
	struct json_object *lbafs = json_object_new_array();
	char hex[40];
	unsigned i;

	json_object_object_add(root, "nsze", nvmx_json_u64(nvmx_le64_to_cpu(ns->nsze)));
	json_object_object_add(root, "ncap", nvmx_json_u64(nvmx_le64_to_cpu(ns->ncap)));
	json_object_object_add(root, "nuse", nvmx_json_u64(nvmx_le64_to_cpu(ns->nuse)));
	fields_json(root, ns, id_ns_head);
	/* nvme-cli puts nsattr and nvmsetid right after nvmcap */
	json_object_object_add(root, "nsattr", json_object_new_int(ns->nsattr));
	json_object_object_add(root, "nvmsetid", json_object_new_int(nvmx_le16_to_cpu(ns->nvmsetid)));
	if (ns->nsfeat & NVMX_NSFEAT_OPT_PERF)
		fields_json(root, ns, id_ns_perf);
	fields_json(root, ns, id_ns_tail);
	json_object_object_add(root, "anagrpid", nvmx_json_u64(nvmx_le32_to_cpu(ns->anagrpid)));
	json_object_object_add(root, "endgid", json_object_new_int(nvmx_le16_to_cpu(ns->endgid)));
	json_object_object_add(root, "eui64",
		json_object_new_string(nvmx_hex_str(ns->eui64, 8, hex, sizeof(hex))));
	json_object_object_add(root, "nguid",
		json_object_new_string(nvmx_hex_str(ns->nguid, 16, hex, sizeof(hex))));

	json_object_object_add(root, "lbafs", lbafs);
	for (i = 0; i <= ns->nlbaf && i < 64; i++) {
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "ms", json_object_new_int(nvmx_le16_to_cpu(ns->lbaf[i].ms)));
		json_object_object_add(l, "ds", json_object_new_int(ns->lbaf[i].lbads));
		json_object_object_add(l, "rp", json_object_new_int(ns->lbaf[i].rp & 3));
		json_object_array_add(lbafs, l);
	}
	return root;
}

static void print_lbafs(FILE *f, const struct nvmx_id_ns *ns, bool human)
{
	static const char *const rp_name[] = { "Best", "Better", "Good", "Degraded" };
	unsigned in_use = nvmx_flbas_index(ns->flbas);
	unsigned i, n = (unsigned)ns->nlbaf + ns->nulbaf;

	for (i = 0; i <= n && i < 64; i++) {
		const struct nvmx_lbaf *l = &ns->lbaf[i];
		unsigned rp = l->rp & 3;

		if (human)
			fprintf(f, "LBA Format %2u : Metadata Size: %-3u bytes - Data Size: %-2u bytes"
				" - Relative Performance: %#x %s %s\n", i, nvmx_le16_to_cpu(l->ms),
				l->lbads < 32 ? 1u << l->lbads : 0, rp, rp_name[rp],
				i == in_use ? "(in use)" : "");
		else
			fprintf(f, "lbaf %2u : ms:%-3u lbads:%-2u rp:%#x %s\n", i,
				nvmx_le16_to_cpu(l->ms), l->lbads, rp, i == in_use ? "(in use)" : "");
	}
}

void nvmx_print_id_ns(const struct nvmx_out *o, const struct nvmx_id_ns *ns, uint32_t nsid)
{
	FILE *f = o->f;
	char hex[40];

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(f, ns, sizeof(*ns));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(f, nvmx_json_id_ns(ns));

	fprintf(f, "NVME Identify Namespace %u:\n", nsid);
	fprintf(f, "nsze    : %#" PRIx64 "\n", nvmx_le64_to_cpu(ns->nsze));
	fprintf(f, "ncap    : %#" PRIx64 "\n", nvmx_le64_to_cpu(ns->ncap));
	fprintf(f, "nuse    : %#" PRIx64 "\n", nvmx_le64_to_cpu(ns->nuse));
	fields_text(f, ns, id_ns_head, 8, o->human);
	if (ns->nsfeat & NVMX_NSFEAT_OPT_PERF)
		fields_text(f, ns, id_ns_perf, 8, o->human);
	fields_text(f, ns, id_ns_tail, 8, o->human);
	fprintf(f, "anagrpid: %u\n", nvmx_le32_to_cpu(ns->anagrpid));
	fprintf(f, "nsattr\t: %u\n", ns->nsattr);
	fprintf(f, "nvmsetid: %u\n", nvmx_le16_to_cpu(ns->nvmsetid));
	fprintf(f, "endgid  : %u\n", nvmx_le16_to_cpu(ns->endgid));
	fprintf(f, "nguid   : %s\n", nvmx_hex_str(ns->nguid, 16, hex, sizeof(hex)));
	fprintf(f, "eui64   : %s\n", nvmx_hex_str(ns->eui64, 8, hex, sizeof(hex)));
	print_lbafs(f, ns, o->human);
	if (o->vs) {
		fprintf(f, "vs[]:\n");
		nvmx_out_hexdump(f, ns->vs, sizeof(ns->vs));
	}
}

/* ------------------------------------------------------------------ */
/* Namespace identification descriptors (CNS 03h)                     */
/* ------------------------------------------------------------------ */

struct nid {
	const char *type;	/* NULL: unknown type, skipped */
	char text[40];
	unsigned pos, nidt, nidl;
};

/*
 * Walk the descriptor list: each is a 4-byte header and NIDL bytes
 * (Base Figure 278); a NIDL of 0 ends the list.  Returns the position
 * after the descriptor, or 0 at the end or on a descriptor that does not
 * fit in the buffer or has the wrong length for its type.
 */
static unsigned nid_next(const uint8_t *buf, unsigned pos, struct nid *d)
{
	static const struct { const char *name; unsigned len; } types[] = {
		[NVMX_NIDT_EUI64] = { "eui64", NVMX_NIDT_EUI64_LEN },
		[NVMX_NIDT_NGUID] = { "nguid", NVMX_NIDT_NGUID_LEN },
		[NVMX_NIDT_UUID] = { "uuid", NVMX_NIDT_UUID_LEN },
		[NVMX_NIDT_CSI] = { "csi", NVMX_NIDT_CSI_LEN },
	};
	const uint8_t *p = buf + pos;

	if (pos + 4 > 4096 || p[1] == 0 || pos + 4u + p[1] > 4096)
		return 0;
	d->pos = pos;
	d->nidt = p[0];
	d->nidl = p[1];
	d->type = NULL;
	if (d->nidt < sizeof(types) / sizeof(types[0]) && types[d->nidt].name) {
		if (d->nidl != types[d->nidt].len)
			return 0;
		d->type = types[d->nidt].name;
		if (d->nidt == NVMX_NIDT_UUID)
			nvmx_uuid_str(p + 4, d->text, sizeof(d->text));
		else if (d->nidt == NVMX_NIDT_CSI)
			snprintf(d->text, sizeof(d->text), "%#x", p[4]);
		else
			nvmx_hex_str(p + 4, d->nidl, d->text, sizeof(d->text));
	}
	return pos + 4u + d->nidl;
}

struct json_object *nvmx_json_ns_descs(const void *buf4k)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = NULL;
	unsigned pos = 0;
	struct nid d;

	while ((pos = nid_next(buf4k, pos, &d)) != 0) {
		struct json_object *e;

		if (!d.type)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "loc", json_object_new_int((int)d.pos));
		json_object_object_add(e, "nidt", json_object_new_int((int)d.nidt));
		json_object_object_add(e, "nidl", json_object_new_int((int)d.nidl));
		json_object_object_add(e, "type", json_object_new_string(d.type));
		json_object_object_add(e, d.type, json_object_new_string(d.text));
		if (!arr)
			arr = json_object_new_array();
		json_object_array_add(arr, e);
	}
	if (arr)
		json_object_object_add(root, "ns-descs", arr);
	return root;
}

void nvmx_print_ns_descs(const struct nvmx_out *o, const void *buf4k, uint32_t nsid)
{
	unsigned pos = 0;
	struct nid d;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(o->f, buf4k, 4096);
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(o->f, nvmx_json_ns_descs(buf4k));

	fprintf(o->f, "NVME Namespace Identification Descriptors NS %u:\n", nsid);
	while ((pos = nid_next(buf4k, pos, &d)) != 0)
		if (d.type)
			fprintf(o->f, "%-8s: %s\n", d.type, d.text);
}

/* ------------------------------------------------------------------ */
/* Active namespace list (CNS 02h)                                    */
/* ------------------------------------------------------------------ */

struct json_object *nvmx_json_list_ns(const struct nvmx_ns_list *l)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	unsigned i;

	for (i = 0; i < NVMX_NS_LIST_MAX; i++) {
		uint32_t nsid = nvmx_le32_to_cpu(l->nsid[i]);
		struct json_object *e;

		if (!nsid)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "nsid", nvmx_json_u64(nsid));
		json_object_array_add(arr, e);
	}
	json_object_object_add(root, "nsid_list", arr);
	return root;
}

void nvmx_print_list_ns(const struct nvmx_out *o, const struct nvmx_ns_list *l)
{
	unsigned i;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(o->f, l, sizeof(*l));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(o->f, nvmx_json_list_ns(l));
	for (i = 0; i < NVMX_NS_LIST_MAX; i++)
		if (l->nsid[i])
			fprintf(o->f, "[%4u]:%#x\n", i, nvmx_le32_to_cpu(l->nsid[i]));
}
