/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Output of the nvmx CLI: identify data, log pages, registers and feature
 * values printed as nvme-cli prints them (human text with the same field
 * names, -H decoding of bit fields), as JSON with nvme-cli's keys (json-c),
 * or as the raw bytes.  Everything here depends only on the wire formats
 * (include/nvmx/spec*.h), so it is tested on known structures without a
 * controller.  The JSON keys and text layout follow nvme-cli 2.3 (the
 * version Debian 12 ships), the reference the interop tests compare with.
 */
#ifndef NVMX_TOOLS_PRINT_H
#define NVMX_TOOLS_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "nvmx/spec.h"

enum nvmx_out_fmt {
	NVMX_OUT_NORMAL = 0,
	NVMX_OUT_JSON,
	NVMX_OUT_BINARY,
};

struct nvmx_out {
	FILE *f;
	enum nvmx_out_fmt fmt;
	bool human;	/* -H: decode bit fields */
	bool vs;	/* --vendor-specific: dump vendor specific bytes */
};

/* "normal", "json", "binary" -> fmt; -EINVAL otherwise. */
int nvmx_out_parse_fmt(const char *s, enum nvmx_out_fmt *fmt);

/* Print root pretty (as nvme-cli: JSON_C_TO_STRING_PRETTY, no slash
 * escaping) followed by a newline, and release it. */
void nvmx_out_json(FILE *f, struct json_object *root);
/* Write len raw bytes. */
void nvmx_out_raw(FILE *f, const void *buf, size_t len);
/* nvme-cli's hex dump: offset, 16 bytes per line, printable ASCII. */
void nvmx_out_hexdump(FILE *f, const void *buf, size_t len);

/* ---- helpers shared by the printers ---- */

/* A 128-bit little-endian counter in decimal. */
char *nvmx_u128_str(const uint8_t le[16], char *buf, size_t len);
/* A fixed-width, blank-padded ASCII field as a C string: at most n bytes,
 * stopping at NUL; trailing blanks kept unless strip (nvme-cli keeps them
 * in id-ctrl, strips them in the discovery log). */
char *nvmx_fixed_str(const char *field, size_t n, bool strip, char *buf, size_t len);
/* 16 bytes as a UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
char *nvmx_uuid_str(const uint8_t u[16], char *buf, size_t len);
/* n bytes as lowercase hex without separators. */
char *nvmx_hex_str(const uint8_t *p, size_t n, char *buf, size_t len);
/* Degrees Celsius from kelvin, as nvme-cli prints (K - 273). */
static inline long nvmx_k_to_c(unsigned k) { return (long)k - 273; }
/* json-c integer from an unsigned value (exact up to 2^63). */
struct json_object *nvmx_json_u64(uint64_t v);

/*
 * Bit-field decoding for -H, laid out as nvme-cli: "  [hi:lo] : 0x1\ttext".
 * Each entry covers bits hi..lo.  text styles:
 *   "Name"            -> "Name %sSupported" with "Not " when the field is 0
 *   "=Text"           -> the text as is (any value)
 *   "?Zero|One"       -> "Zero" when the field is 0, else "One"
 * Bits no entry covers are printed as "Reserved" runs when non-zero.
 * The table ends with an entry whose text is NULL.
 */
struct nvmx_bitfield {
	uint8_t hi, lo;
	const char *text;
};
void nvmx_print_bits(FILE *f, uint64_t v, unsigned width, const struct nvmx_bitfield *t);

/* ---- identify (print_id.c) ---- */
struct json_object *nvmx_json_id_ctrl(const struct nvmx_id_ctrl *id);
void nvmx_print_id_ctrl(const struct nvmx_out *o, const struct nvmx_id_ctrl *id);
struct json_object *nvmx_json_id_ns(const struct nvmx_id_ns *ns);
void nvmx_print_id_ns(const struct nvmx_out *o, const struct nvmx_id_ns *ns, uint32_t nsid);
/* Namespace identification descriptor list (CNS 03h), 4096 bytes. */
struct json_object *nvmx_json_ns_descs(const void *buf4k);
void nvmx_print_ns_descs(const struct nvmx_out *o, const void *buf4k, uint32_t nsid);
struct json_object *nvmx_json_list_ns(const struct nvmx_ns_list *l);
void nvmx_print_list_ns(const struct nvmx_out *o, const struct nvmx_ns_list *l);

/* ---- log pages (print_log.c) ---- */
struct json_object *nvmx_json_smart_log(const struct nvmx_smart_log *s, bool human);
void nvmx_print_smart_log(const struct nvmx_out *o, const struct nvmx_smart_log *s,
			  uint32_t nsid, const char *dev);
struct json_object *nvmx_json_error_log(const struct nvmx_error_log_entry *e, unsigned n);
void nvmx_print_error_log(const struct nvmx_out *o, const struct nvmx_error_log_entry *e,
			  unsigned n, const char *dev);
struct json_object *nvmx_json_fw_log(const struct nvmx_fw_slot_log *fw, const char *dev);
void nvmx_print_fw_log(const struct nvmx_out *o, const struct nvmx_fw_slot_log *fw,
		       const char *dev);
/* get-log: a hex dump (normal), raw bytes (binary), or nvme-cli's JSON. */
void nvmx_print_raw_log(const struct nvmx_out *o, uint8_t lid, uint32_t nsid, const void *buf,
			size_t len, const char *dev);

/* ---- discovery log (print_disc.c) ---- */
/* log is the page as read: header + numrec entries, len bytes in total;
 * entries beyond len are not read. */
struct json_object *nvmx_json_disc_log(const struct nvmx_disc_log_hdr *log, size_t len);
void nvmx_print_disc_log(const struct nvmx_out *o, const struct nvmx_disc_log_hdr *log,
			 size_t len);
const char *nvmx_disc_trtype_str(uint8_t v);
const char *nvmx_disc_adrfam_str(uint8_t v);
const char *nvmx_disc_subtype_name(uint8_t v);
const char *nvmx_disc_treq_str(uint8_t v);
const char *nvmx_disc_eflags_str(uint16_t v);
const char *nvmx_disc_sectype_str(uint8_t v);

/* ---- registers (print_regs.c) ---- */
/*
 * A register image: the first bytes of BAR0 (PCIe) or the properties read
 * over fabrics placed at their offsets.  Registers not present (fabrics
 * has only CAP, VS, CC, CSTS, NSSR, CRTO) read as all ones and are not
 * printed, as nvme-cli does.
 */
#define NVMX_REGS_IMAGE_LEN 0x1000
struct json_object *nvmx_json_regs(const void *bar);
void nvmx_print_regs(const struct nvmx_out *o, const void *bar, bool fabrics);

/* ---- features (print_feat.c) ---- */
const char *nvmx_feat_sel_str(unsigned sel);
/* "get-feature:0x07 (Number of Queues), Current value:0x000f000f" and, with
 * -H, the decoded fields; buf (len bytes) is the data some features return. */
void nvmx_print_feature(const struct nvmx_out *o, uint8_t fid, unsigned sel, uint32_t value,
			const void *buf, size_t len);
struct json_object *nvmx_json_feature(uint8_t fid, unsigned sel, uint32_t value,
				      const void *buf, size_t len);

#endif /* NVMX_TOOLS_PRINT_H */
