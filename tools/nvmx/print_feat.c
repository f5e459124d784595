/* SPDX-License-Identifier: BSD-2-Clause */
/* Get Features results (Base 5.27.1): the value and, with -H, its fields. */
#include <inttypes.h>
#include <string.h>

#include "nvmx/le.h"
#include "nvmx/spec_names.h"
#include "print.h"

const char *nvmx_feat_sel_str(unsigned sel)
{
	switch (sel) {
	case 0: return "Current";
	case 1: return "Default";
	case 2: return "Saved";
	case 3: return "Supported capabilities";
	default: return "Reserved";
	}
}

static const char *en(uint32_t b) { return b ? "Enabled" : "Disabled"; }
static const char *tf(uint32_t b) { return b ? "True" : "False"; }
static const char *aen(uint32_t b) { return b ? "Send async event" : "Do not send async event"; }

static void show_temp_thresh(FILE *f, uint32_t v)
{
	static const char *const thsel[] = {
		"Over Temperature Threshold", "Under Temperature Threshold", "Reserved", "Reserved",
	};
	unsigned sel = NVMX_TEMP_THRESH_TMPSEL(v), k = NVMX_TEMP_THRESH_TMPTH(v);

	fprintf(f, "\tThreshold Type Select         (THSEL): %u - %s\n",
		NVMX_TEMP_THRESH_THSEL(v), thsel[NVMX_TEMP_THRESH_THSEL(v)]);
	if (sel == 0)
		fprintf(f, "\tThreshold Temperature Select (TMPSEL): 0 - Composite Temperature\n");
	else if (sel <= 8)
		fprintf(f, "\tThreshold Temperature Select (TMPSEL): %u - Temperature Sensor %u\n", sel, sel);
	else if (sel == 15)
		fprintf(f, "\tThreshold Temperature Select (TMPSEL): 15 - All Temperature Sensors\n");
	else
		fprintf(f, "\tThreshold Temperature Select (TMPSEL): %u - Reserved\n", sel);
	fprintf(f, "\tTemperature Threshold         (TMPTH): %ld°C (%u Kelvin)\n", nvmx_k_to_c(k), k);
}

static void show_async_event(FILE *f, uint32_t v)
{
	static const struct { unsigned bit; const char *what; } b[] = {
		{ 31, "Discovery Log Page Change Notices                       " },
		{ 14, "Endurance Group Event Aggregate Log Change Notices      " },
		{ 13, "LBA Status Information Notices                          " },
		{ 12, "Predictable Latency Event Aggregate Log Change Notices  " },
		{ 11, "Asymmetric Namespace Access Change Notices              " },
		{ 10, "Telemetry Log Notices                                   " },
		{ 9, "Firmware Activation Notices                             " },
		{ 8, "Namespace Attribute Notices                             " },
	};
	unsigned i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		fprintf(f, "\t%s  : %s\n", b[i].what, aen((v >> b[i].bit) & 1));
	fprintf(f, "\tSMART / Health Critical Warnings                          : %s\n", aen(v & 0xff));
}

/* The decoded fields of one feature value, nvme-cli's wording. */
static void show_fields(FILE *f, uint8_t fid, uint32_t v, const uint8_t *buf, size_t len)
{
	switch (fid) {
	case NVMX_FID_ARBITRATION:
		fprintf(f, "\tHigh Priority Weight   (HPW): %u\n", (v >> 24) + 1);
		fprintf(f, "\tMedium Priority Weight (MPW): %u\n", ((v >> 16) & 0xff) + 1);
		fprintf(f, "\tLow Priority Weight    (LPW): %u\n", ((v >> 8) & 0xff) + 1);
		if ((v & 7) == 7)
			fprintf(f, "\tArbitration Burst       (AB): No limit\n");
		else
			fprintf(f, "\tArbitration Burst       (AB): %u\n", 1u << (v & 7));
		break;
	case NVMX_FID_POWER_MGMT:
		fprintf(f, "\tWorkload Hint (WH): %u\n", (v >> 5) & 7);
		fprintf(f, "\tPower State   (PS): %u\n", v & 0x1f);
		break;
	case NVMX_FID_TEMP_THRESH:
		show_temp_thresh(f, v);
		break;
	case NVMX_FID_ERR_RECOVERY:
		fprintf(f, "\tDeallocated or Unwritten Logical Block Error Enable (DULBE): %s\n",
			en((v >> 16) & 1));
		fprintf(f, "\tTime Limited Error Recovery                          (TLER): %u ms\n",
			(v & 0xffff) * 100);
		break;
	case NVMX_FID_VOLATILE_WC:
		fprintf(f, "\tVolatile Write Cache Enable (WCE): %s\n", en(v & 1));
		break;
	case NVMX_FID_NUM_QUEUES:
		fprintf(f, "\tNumber of IO Completion Queues Allocated (NCQA): %u\n", nvmx_num_queues_ncq(v));
		fprintf(f, "\tNumber of IO Submission Queues Allocated (NSQA): %u\n", nvmx_num_queues_nsq(v));
		break;
	case NVMX_FID_IRQ_COALESCE:
		fprintf(f, "\tAggregation Time     (TIME): %u usec\n", ((v >> 8) & 0xff) * 100);
		fprintf(f, "\tAggregation Threshold (THR): %u\n", (v & 0xff) + 1);
		break;
	case NVMX_FID_IRQ_CONFIG:
		fprintf(f, "\tCoalescing Disable (CD): %s\n", tf((v >> 16) & 1));
		fprintf(f, "\tInterrupt Vector   (IV): %u\n", v & 0xffff);
		break;
	case NVMX_FID_WRITE_ATOMIC:
		fprintf(f, "\tDisable Normal (DN): %s\n", tf(v & 1));
		break;
	case NVMX_FID_ASYNC_EVENT:
		show_async_event(f, v);
		break;
	case NVMX_FID_AUTO_PST:
		fprintf(f, "\tAutonomous Power State Transition Enable (APSTE): %s\n", en(v & 1));
		break;
	case NVMX_FID_HOST_MEM_BUF:
		fprintf(f, "\tEnable Host Memory (EHM): %s\n", en(v & 1));
		break;
	case NVMX_FID_TIMESTAMP:
		if (buf && len >= 8)	/* 48-bit milliseconds since the epoch, then attributes */
			fprintf(f, "\tThe timestamp is : %" PRIu64 " ms\n",
				(uint64_t)(nvmx_get_le64(buf) & 0xffffffffffffull));
		break;
	case NVMX_FID_KATO:
		fprintf(f, "\tKeep Alive Timeout (KATO) in milliseconds: %u\n", v);
		break;
	case NVMX_FID_HCTM:
		fprintf(f, "\tThermal Management Temperature 1 (TMT1) : %u Kelvin (%ld°C)\n",
			v >> 16, nvmx_k_to_c(v >> 16));
		fprintf(f, "\tThermal Management Temperature 2 (TMT2) : %u Kelvin (%ld°C)\n",
			v & 0xffff, nvmx_k_to_c(v & 0xffff));
		break;
	case NVMX_FID_NOPSC:
		fprintf(f, "\tNon-Operational Power State Permissive Mode Enable (NOPPME): %s\n", tf(v & 1));
		break;
	case NVMX_FID_RRL:
		fprintf(f, "\tRead Recovery Level (RRL): %u\n", v & 0xf);
		break;
	case NVMX_FID_SW_PROGRESS:
		fprintf(f, "\tPre-boot Software Load Count (PBSLC): %u\n", v & 0xff);
		break;
	case NVMX_FID_HOST_ID:
		if (buf && len >= 8)
			fprintf(f, "\tHost Identifier (HOSTID):  %" PRIu64 "\n", nvmx_get_le64(buf));
		break;
	case NVMX_FID_RESV_MASK:
		fprintf(f, "\tMask Reservation Preempted Notification  (RESPRE): %s\n", tf((v >> 3) & 1));
		fprintf(f, "\tMask Reservation Released Notification   (RESREL): %s\n", tf((v >> 2) & 1));
		fprintf(f, "\tMask Registration Preempted Notification (REGPRE): %s\n", tf((v >> 1) & 1));
		break;
	case NVMX_FID_RESV_PERSIST:
		fprintf(f, "\tPersist Through Power Loss (PTPL): %s\n", tf(v & 1));
		break;
	default:
		if (buf && len)
			nvmx_out_hexdump(f, buf, len);
		break;
	}
}

/* Select 3 returns the capabilities (Base Figure 192). */
static void show_select_result(FILE *f, uint32_t v)
{
	if (v & 1)
		fprintf(f, "  Feature is saveable\n");
	if (v & 2)
		fprintf(f, "  Feature is per-namespace\n");
	if (v & 4)
		fprintf(f, "  Feature is changeable\n");
}

struct json_object *nvmx_json_feature(uint8_t fid, unsigned sel, uint32_t value,
				      const void *buf, size_t len)
{
	struct json_object *root = json_object_new_object();
	const uint8_t *p = buf;
	size_t i;

	json_object_object_add(root, "feature_id", json_object_new_int(fid));
	json_object_object_add(root, "name", json_object_new_string(nvmx_feature_name(fid)));
	json_object_object_add(root, "sel", json_object_new_int((int)sel));
	json_object_object_add(root, "sel_name", json_object_new_string(nvmx_feat_sel_str(sel)));
	json_object_object_add(root, "value", nvmx_json_u64(value));
	if (buf && len) {
		struct json_object *arr = json_object_new_array();

		for (i = 0; i < len; i++)
			json_object_array_add(arr, json_object_new_int(p[i]));
		json_object_object_add(root, "data", arr);
	}
	return root;
}

void nvmx_print_feature(const struct nvmx_out *o, uint8_t fid, unsigned sel, uint32_t value,
			const void *buf, size_t len)
{
	FILE *f = o->f;

	if (o->fmt == NVMX_OUT_BINARY) {
		if (buf && len)
			nvmx_out_raw(f, buf, len);
		else
			nvmx_out_raw(f, &value, sizeof(value));	/* host order, as the ioctl result */
		return;
	}
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(f, nvmx_json_feature(fid, sel, value, buf, len));

	fprintf(f, "get-feature:%#0*x (%s), %s value:%#0*x\n", fid ? 4 : 2, fid,
		nvmx_feature_name(fid), nvmx_feat_sel_str(sel), value ? 10 : 8, value);
	if (sel == 3)
		show_select_result(f, value);
	else if (o->human)
		show_fields(f, fid, value, buf, len);
	else if (buf && len)
		nvmx_out_hexdump(f, buf, len);
}
