/* SPDX-License-Identifier: BSD-2-Clause */
/* Log pages: SMART / health, error information, firmware slot, raw. */
#include <inttypes.h>
#include <string.h>

#include "nvmx/le.h"
#include "nvmx/spec_names.h"
#include "print.h"

/* ------------------------------------------------------------------ */
/* SMART / Health Information (Base Figure 207)                       */
/* ------------------------------------------------------------------ */

static unsigned smart_temp(const struct nvmx_smart_log *s)
{
	return (unsigned)s->temperature[1] << 8 | s->temperature[0];
}

/* 128-bit counters in nvme-cli's order, with its JSON keys. */
static const struct { const char *key; size_t off; } smart_counters[] = {
	{ "data_units_read", offsetof(struct nvmx_smart_log, data_units_read) },
	{ "data_units_written", offsetof(struct nvmx_smart_log, data_units_written) },
	{ "host_read_commands", offsetof(struct nvmx_smart_log, host_reads) },
	{ "host_write_commands", offsetof(struct nvmx_smart_log, host_writes) },
	{ "controller_busy_time", offsetof(struct nvmx_smart_log, ctrl_busy_time) },
	{ "power_cycles", offsetof(struct nvmx_smart_log, power_cycles) },
	{ "power_on_hours", offsetof(struct nvmx_smart_log, power_on_hours) },
	{ "unsafe_shutdowns", offsetof(struct nvmx_smart_log, unsafe_shutdowns) },
	{ "media_errors", offsetof(struct nvmx_smart_log, media_errors) },
	{ "num_err_log_entries", offsetof(struct nvmx_smart_log, num_err_log_entries) },
};
#define N_COUNTERS (sizeof(smart_counters) / sizeof(smart_counters[0]))

static const char *const cw_keys[] = {
	"available_spare", "temp_threshold", "reliability_degraded", "ro", "vmbu_failed", "pmr_ro",
};

struct json_object *nvmx_json_smart_log(const struct nvmx_smart_log *s, bool human)
{
	struct json_object *root = json_object_new_object();
	char buf[48], key[32];
	unsigned i;

	if (human) {
		struct json_object *cw = json_object_new_object();

		json_object_object_add(cw, "value", json_object_new_int(s->critical_warning));
		for (i = 0; i < 6; i++)
			json_object_object_add(cw, cw_keys[i],
					       json_object_new_int((s->critical_warning >> i) & 1));
		json_object_object_add(root, "critical_warning", cw);
	} else {
		json_object_object_add(root, "critical_warning", json_object_new_int(s->critical_warning));
	}
	json_object_object_add(root, "temperature", json_object_new_int((int)smart_temp(s)));
	json_object_object_add(root, "avail_spare", json_object_new_int(s->avail_spare));
	json_object_object_add(root, "spare_thresh", json_object_new_int(s->spare_thresh));
	json_object_object_add(root, "percent_used", json_object_new_int(s->percent_used));
	json_object_object_add(root, "endurance_grp_critical_warning_summary",
			       json_object_new_int(s->endu_grp_crit_warn_sumry));
	for (i = 0; i < N_COUNTERS; i++)
		json_object_object_add(root, smart_counters[i].key, json_object_new_string(
			nvmx_u128_str((const uint8_t *)s + smart_counters[i].off, buf, sizeof(buf))));
	json_object_object_add(root, "warning_temp_time",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->warning_temp_time)));
	json_object_object_add(root, "critical_comp_time",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->critical_comp_time)));
	for (i = 0; i < 8; i++) {
		uint16_t t = nvmx_le16_to_cpu(s->temp_sensor[i]);

		if (!t)
			continue;
		snprintf(key, sizeof(key), "temperature_sensor_%u", i + 1);
		json_object_object_add(root, key, json_object_new_int(t));
	}
	json_object_object_add(root, "thm_temp1_trans_count",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->thm_temp1_trans_count)));
	json_object_object_add(root, "thm_temp2_trans_count",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->thm_temp2_trans_count)));
	json_object_object_add(root, "thm_temp1_total_time",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->thm_temp1_total_time)));
	json_object_object_add(root, "thm_temp2_total_time",
			       nvmx_json_u64(nvmx_le32_to_cpu(s->thm_temp2_total_time)));
	return root;
}

/* Data units are thousands of 512-byte units (Base Figure 207): print
 * the byte count with an SI suffix as nvme-cli does. */
static char *si_bytes(const uint8_t le[16], char *buf, size_t len)
{
	static const char *const sfx[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
	long double v = (long double)nvmx_get_le64(le + 8) * 18446744073709551616.0L +
			(long double)nvmx_get_le64(le);
	unsigned i = 0;

	v *= 512000.0L;
	while (v >= 1000.0L && i + 1 < sizeof(sfx) / sizeof(sfx[0])) {
		v /= 1000.0L;
		i++;
	}
	snprintf(buf, len, "%.2Lf %s", v, sfx[i]);
	return buf;
}

static const char *const cw_text[] = {
	"      Available Spare[0]             : %u\n",
	"      Temp. Threshold[1]             : %u\n",
	"      NVM subsystem Reliability[2]   : %u\n",
	"      Read-only[3]                   : %u\n",
	"      Volatile mem. backup failed[4] : %u\n",
	"      Persistent Mem. RO[5]          : %u\n",
};

static void print_counter(FILE *f, const char *label, const struct nvmx_smart_log *s, size_t off)
{
	char buf[48];

	fprintf(f, "%s: %s\n", label, nvmx_u128_str((const uint8_t *)s + off, buf, sizeof(buf)));
}

void nvmx_print_smart_log(const struct nvmx_out *o, const struct nvmx_smart_log *s,
			  uint32_t nsid, const char *dev)
{
	FILE *f = o->f;
	unsigned i, t = smart_temp(s);
	char a[48], b[48];

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(f, s, sizeof(*s));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(f, nvmx_json_smart_log(s, o->human));

	fprintf(f, "Smart Log for NVME device:%s namespace-id:%x\n", dev, nsid);
	fprintf(f, "critical_warning\t\t\t: %#x\n", s->critical_warning);
	if (o->human)
		for (i = 0; i < 6; i++)
			fprintf(f, cw_text[i], (s->critical_warning >> i) & 1u);
	fprintf(f, "temperature\t\t\t\t: %ld°C (%u Kelvin)\n", nvmx_k_to_c(t), t);
	fprintf(f, "available_spare\t\t\t\t: %u%%\n", s->avail_spare);
	fprintf(f, "available_spare_threshold\t\t: %u%%\n", s->spare_thresh);
	fprintf(f, "percentage_used\t\t\t\t: %u%%\n", s->percent_used);
	fprintf(f, "endurance group critical warning summary: %#x\n", s->endu_grp_crit_warn_sumry);
	fprintf(f, "Data Units Read\t\t\t\t: %s (%s)\n",
		nvmx_u128_str(s->data_units_read, a, sizeof(a)), si_bytes(s->data_units_read, b, sizeof(b)));
	fprintf(f, "Data Units Written\t\t\t: %s (%s)\n",
		nvmx_u128_str(s->data_units_written, a, sizeof(a)),
		si_bytes(s->data_units_written, b, sizeof(b)));
	print_counter(f, "host_read_commands\t\t\t", s, offsetof(struct nvmx_smart_log, host_reads));
	print_counter(f, "host_write_commands\t\t\t", s, offsetof(struct nvmx_smart_log, host_writes));
	print_counter(f, "controller_busy_time\t\t\t", s, offsetof(struct nvmx_smart_log, ctrl_busy_time));
	print_counter(f, "power_cycles\t\t\t\t", s, offsetof(struct nvmx_smart_log, power_cycles));
	print_counter(f, "power_on_hours\t\t\t\t", s, offsetof(struct nvmx_smart_log, power_on_hours));
	print_counter(f, "unsafe_shutdowns\t\t\t", s, offsetof(struct nvmx_smart_log, unsafe_shutdowns));
	print_counter(f, "media_errors\t\t\t\t", s, offsetof(struct nvmx_smart_log, media_errors));
	print_counter(f, "num_err_log_entries\t\t\t", s,
		      offsetof(struct nvmx_smart_log, num_err_log_entries));
	fprintf(f, "Warning Temperature Time\t\t: %u\n", nvmx_le32_to_cpu(s->warning_temp_time));
	fprintf(f, "Critical Composite Temperature Time\t: %u\n", nvmx_le32_to_cpu(s->critical_comp_time));
	for (i = 0; i < 8; i++) {
		unsigned ts = nvmx_le16_to_cpu(s->temp_sensor[i]);

		if (ts)
			fprintf(f, "Temperature Sensor %u           : %ld°C (%u Kelvin)\n",
				i + 1, nvmx_k_to_c(ts), ts);
	}
	fprintf(f, "Thermal Management T1 Trans Count\t: %u\n", nvmx_le32_to_cpu(s->thm_temp1_trans_count));
	fprintf(f, "Thermal Management T2 Trans Count\t: %u\n", nvmx_le32_to_cpu(s->thm_temp2_trans_count));
	fprintf(f, "Thermal Management T1 Total Time\t: %u\n", nvmx_le32_to_cpu(s->thm_temp1_total_time));
	fprintf(f, "Thermal Management T2 Total Time\t: %u\n", nvmx_le32_to_cpu(s->thm_temp2_total_time));
}

/* ------------------------------------------------------------------ */
/* Error Information (Base Figure 205)                                */
/* ------------------------------------------------------------------ */

struct json_object *nvmx_json_error_log(const struct nvmx_error_log_entry *e, unsigned n)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	unsigned i;

	json_object_object_add(root, "errors", arr);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		uint16_t st = nvmx_le16_to_cpu(e[i].status);

		json_object_object_add(o, "error_count", nvmx_json_u64(nvmx_le64_to_cpu(e[i].error_count)));
		json_object_object_add(o, "sqid", json_object_new_int(nvmx_le16_to_cpu(e[i].sqid)));
		json_object_object_add(o, "cmdid", json_object_new_int(nvmx_le16_to_cpu(e[i].cid)));
		json_object_object_add(o, "status_field", json_object_new_int(st >> 1));
		json_object_object_add(o, "phase_tag", json_object_new_int(st & 1));
		json_object_object_add(o, "parm_error_location",
				       json_object_new_int(nvmx_le16_to_cpu(e[i].param_error_location)));
		json_object_object_add(o, "lba", nvmx_json_u64(nvmx_le64_to_cpu(e[i].lba)));
		json_object_object_add(o, "nsid", nvmx_json_u64(nvmx_le32_to_cpu(e[i].nsid)));
		json_object_object_add(o, "vs", json_object_new_int(e[i].vs));
		json_object_object_add(o, "trtype", json_object_new_int(e[i].trtype));
		json_object_object_add(o, "cs", nvmx_json_u64(nvmx_le64_to_cpu(e[i].cs)));
		json_object_object_add(o, "trtype_spec_info",
				       json_object_new_int(nvmx_le16_to_cpu(e[i].trtype_spec_info)));
		json_object_array_add(arr, o);
	}
	return root;
}

void nvmx_print_error_log(const struct nvmx_out *o, const struct nvmx_error_log_entry *e,
			  unsigned n, const char *dev)
{
	FILE *f = o->f;
	unsigned i;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(f, e, n * sizeof(*e));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(f, nvmx_json_error_log(e, n));

	fprintf(f, "Error Log Entries for device:%s entries:%u\n", dev, n);
	fprintf(f, ".................\n");
	for (i = 0; i < n; i++) {
		uint16_t st = nvmx_le16_to_cpu(e[i].status) >> 1;	/* phase tag dropped */

		fprintf(f, " Entry[%2u]   \n", i);
		fprintf(f, ".................\n");
		fprintf(f, "error_count\t: %" PRIu64 "\n", nvmx_le64_to_cpu(e[i].error_count));
		fprintf(f, "sqid\t\t: %u\n", nvmx_le16_to_cpu(e[i].sqid));
		fprintf(f, "cmdid\t\t: %#x\n", nvmx_le16_to_cpu(e[i].cid));
		fprintf(f, "status_field\t: %#x(%s)\n", st,
			nvmx_status_name((st >> 8) & 7, st & 0xff));
		fprintf(f, "phase_tag\t: %#x\n", nvmx_le16_to_cpu(e[i].status) & 1);
		fprintf(f, "parm_err_loc\t: %#x\n", nvmx_le16_to_cpu(e[i].param_error_location));
		fprintf(f, "lba\t\t: %#" PRIx64 "\n", nvmx_le64_to_cpu(e[i].lba));
		fprintf(f, "nsid\t\t: %#x\n", nvmx_le32_to_cpu(e[i].nsid));
		fprintf(f, "vs\t\t: %u\n", e[i].vs);
		fprintf(f, "trtype\t\t: %s\n", nvmx_disc_trtype_str(e[i].trtype));
		fprintf(f, "cs\t\t: %#" PRIx64 "\n", nvmx_le64_to_cpu(e[i].cs));
		fprintf(f, "trtype_spec_info: %#x\n", nvmx_le16_to_cpu(e[i].trtype_spec_info));
		fprintf(f, ".................\n");
	}
}

/* ------------------------------------------------------------------ */
/* Firmware Slot Information (Base Figure 208)                        */
/* ------------------------------------------------------------------ */

static char *fw_str(const char frs[8], char *buf, size_t len)
{
	return nvmx_fixed_str(frs, 8, false, buf, len);
}

struct json_object *nvmx_json_fw_log(const struct nvmx_fw_slot_log *fw, const char *dev)
{
	struct json_object *root = json_object_new_object();
	struct json_object *si = json_object_new_object();
	char key[32], val[64], s[16];
	unsigned i;

	json_object_object_add(si, "Active Firmware Slot (afi)", json_object_new_int(fw->afi));
	for (i = 0; i < 7; i++) {
		if (!fw->frs[i][0])
			continue;
		snprintf(key, sizeof(key), "Firmware Rev Slot %u", i + 1);
		snprintf(val, sizeof(val), "%" PRIu64 " (%s)", nvmx_get_le64(fw->frs[i]),
			 fw_str(fw->frs[i], s, sizeof(s)));
		json_object_object_add(si, key, json_object_new_string(val));
	}
	json_object_object_add(root, dev, si);
	return root;
}

void nvmx_print_fw_log(const struct nvmx_out *o, const struct nvmx_fw_slot_log *fw, const char *dev)
{
	char s[16];
	unsigned i;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(o->f, fw, sizeof(*fw));
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(o->f, nvmx_json_fw_log(fw, dev));

	fprintf(o->f, "Firmware Log for device:%s\n", dev);
	fprintf(o->f, "afi  : %#x\n", fw->afi);
	for (i = 0; i < 7; i++)
		if (fw->frs[i][0])
			fprintf(o->f, "frs%u : %#016" PRIx64 " (%s)\n", i + 1,
				nvmx_get_le64(fw->frs[i]), fw_str(fw->frs[i], s, sizeof(s)));
}

/* ------------------------------------------------------------------ */
/* Any log page, raw                                                  */
/* ------------------------------------------------------------------ */

void nvmx_print_raw_log(const struct nvmx_out *o, uint8_t lid, uint32_t nsid, const void *buf,
			size_t len, const char *dev)
{
	struct json_object *root, *arr;
	const uint8_t *p = buf;
	size_t i;

	switch (o->fmt) {
	case NVMX_OUT_BINARY:
		nvmx_out_raw(o->f, buf, len);
		return;
	case NVMX_OUT_JSON:	/* not in nvme-cli 2.3: the bytes as an array */
		root = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(root, "device", json_object_new_string(dev));
		json_object_object_add(root, "log_id", json_object_new_int(lid));
		json_object_object_add(root, "nsid", nvmx_json_u64(nsid));
		json_object_object_add(root, "log_name", json_object_new_string(nvmx_log_page_name(lid)));
		json_object_object_add(root, "length", nvmx_json_u64(len));
		for (i = 0; i < len; i++)
			json_object_array_add(arr, json_object_new_int(p[i]));
		json_object_object_add(root, "data", arr);
		nvmx_out_json(o->f, root);
		return;
	case NVMX_OUT_NORMAL:
		break;
	}
	fprintf(o->f, "Device:%s log-id:%u namespace-id:%#x\n", dev, lid, nsid);
	nvmx_out_hexdump(o->f, buf, len);
}
