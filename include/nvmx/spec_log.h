/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Log pages (Base 5.16.1), feature identifiers (Base 5.27.1) and
 * asynchronous events (Base 5.2).
 */
#ifndef NVMX_SPEC_LOG_H
#define NVMX_SPEC_LOG_H

#include "nvmx/spec_cmd.h"

/* Log page identifiers (Base Figure 202). */
enum {
	NVMX_LID_SUPPORTED_LOGS   = 0x00,
	NVMX_LID_ERROR            = 0x01,
	NVMX_LID_SMART            = 0x02,
	NVMX_LID_FW_SLOT          = 0x03,
	NVMX_LID_CHANGED_NS       = 0x04,
	NVMX_LID_CMD_EFFECTS      = 0x05,
	NVMX_LID_DEV_SELF_TEST    = 0x06,
	NVMX_LID_TELEMETRY_HOST   = 0x07,
	NVMX_LID_TELEMETRY_CTRL   = 0x08,
	NVMX_LID_ENDURANCE_GROUP  = 0x09,
	NVMX_LID_PLM_PER_NVMSET   = 0x0a,
	NVMX_LID_PLM_EVENT_AGG    = 0x0b,
	NVMX_LID_ANA              = 0x0c,
	NVMX_LID_PERSISTENT_EVENT = 0x0d,
	NVMX_LID_LBA_STATUS       = 0x0e,
	NVMX_LID_EG_EVENT_AGG     = 0x0f,
	NVMX_LID_MEDIA_UNIT       = 0x10,
	NVMX_LID_CAP_CONFIG_LIST  = 0x11,
	NVMX_LID_FID_EFFECTS      = 0x12,
	NVMX_LID_MI_CMD_EFFECTS   = 0x13,
	NVMX_LID_LOCKDOWN         = 0x14,
	NVMX_LID_BOOT_PARTITION   = 0x15,
	NVMX_LID_ROTATIONAL_MEDIA = 0x16,
	NVMX_LID_DISCOVERY        = 0x70,
	NVMX_LID_RESERVATION      = 0x80,
	NVMX_LID_SANITIZE         = 0x81,
};

/* Error information log entry (Base Figure 205). */
struct nvmx_error_log_entry {
	nvmx_le64 error_count;
	nvmx_le16 sqid;
	nvmx_le16 cid;
	nvmx_le16 status;	/* status field with phase in bit 0 */
	nvmx_le16 param_error_location;	/* byte 7:0, bit 10:8 */
	nvmx_le64 lba;
	nvmx_le32 nsid;
	uint8_t   vs;
	uint8_t   trtype;
	uint8_t   csi;
	uint8_t   opcode;
	nvmx_le64 cs;		/* command specific information */
	nvmx_le16 trtype_spec_info;
	uint8_t   rsvd42[21];
	uint8_t   log_page_version;
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_error_log_entry, 64);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, sqid, 8);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, cid, 10);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, status, 12);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, param_error_location, 14);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, lba, 16);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, nsid, 24);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, vs, 28);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, trtype, 29);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, csi, 30);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, opcode, 31);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, cs, 32);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, trtype_spec_info, 40);
NVMX_ASSERT_OFF(struct nvmx_error_log_entry, log_page_version, 63);

/* SMART / Health information (Base Figure 207). Counters are 128-bit LE. */
struct nvmx_smart_log {
	uint8_t   critical_warning;
	uint8_t   temperature[2];	/* composite, kelvin, unaligned */
	uint8_t   avail_spare;
	uint8_t   spare_thresh;
	uint8_t   percent_used;
	uint8_t   endu_grp_crit_warn_sumry;
	uint8_t   rsvd7[25];
	uint8_t   data_units_read[16];	/* thousands of 512-byte units */
	uint8_t   data_units_written[16];
	uint8_t   host_reads[16];
	uint8_t   host_writes[16];
	uint8_t   ctrl_busy_time[16];
	uint8_t   power_cycles[16];
	uint8_t   power_on_hours[16];
	uint8_t   unsafe_shutdowns[16];
	uint8_t   media_errors[16];
	uint8_t   num_err_log_entries[16];
	nvmx_le32 warning_temp_time;
	nvmx_le32 critical_comp_time;
	nvmx_le16 temp_sensor[8];
	nvmx_le32 thm_temp1_trans_count;
	nvmx_le32 thm_temp2_trans_count;
	nvmx_le32 thm_temp1_total_time;
	nvmx_le32 thm_temp2_total_time;
	uint8_t   rsvd232[280];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_smart_log, 512);
NVMX_ASSERT_OFF(struct nvmx_smart_log, temperature, 1);
NVMX_ASSERT_OFF(struct nvmx_smart_log, avail_spare, 3);
NVMX_ASSERT_OFF(struct nvmx_smart_log, spare_thresh, 4);
NVMX_ASSERT_OFF(struct nvmx_smart_log, percent_used, 5);
NVMX_ASSERT_OFF(struct nvmx_smart_log, endu_grp_crit_warn_sumry, 6);
NVMX_ASSERT_OFF(struct nvmx_smart_log, data_units_read, 32);
NVMX_ASSERT_OFF(struct nvmx_smart_log, data_units_written, 48);
NVMX_ASSERT_OFF(struct nvmx_smart_log, host_reads, 64);
NVMX_ASSERT_OFF(struct nvmx_smart_log, host_writes, 80);
NVMX_ASSERT_OFF(struct nvmx_smart_log, ctrl_busy_time, 96);
NVMX_ASSERT_OFF(struct nvmx_smart_log, power_cycles, 112);
NVMX_ASSERT_OFF(struct nvmx_smart_log, power_on_hours, 128);
NVMX_ASSERT_OFF(struct nvmx_smart_log, unsafe_shutdowns, 144);
NVMX_ASSERT_OFF(struct nvmx_smart_log, media_errors, 160);
NVMX_ASSERT_OFF(struct nvmx_smart_log, num_err_log_entries, 176);
NVMX_ASSERT_OFF(struct nvmx_smart_log, warning_temp_time, 192);
NVMX_ASSERT_OFF(struct nvmx_smart_log, critical_comp_time, 196);
NVMX_ASSERT_OFF(struct nvmx_smart_log, temp_sensor, 200);
NVMX_ASSERT_OFF(struct nvmx_smart_log, thm_temp1_trans_count, 216);
NVMX_ASSERT_OFF(struct nvmx_smart_log, thm_temp2_total_time, 228);

/* Critical warning bits (Base Figure 207 byte 0) */
#define NVMX_CW_SPARE           (1u << 0)
#define NVMX_CW_TEMPERATURE     (1u << 1)
#define NVMX_CW_RELIABILITY     (1u << 2)
#define NVMX_CW_READ_ONLY       (1u << 3)
#define NVMX_CW_VOLATILE_BACKUP (1u << 4)
#define NVMX_CW_PMR_READ_ONLY   (1u << 5)
#define NVMX_CW_ALL             0x3fu

/* Firmware slot information (Base Figure 208). */
struct nvmx_fw_slot_log {
	uint8_t   afi;		/* active slot 2:0, next slot 6:4 */
	uint8_t   rsvd1[7];
	char      frs[7][8];
	uint8_t   rsvd64[448];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_fw_slot_log, 512);
NVMX_ASSERT_OFF(struct nvmx_fw_slot_log, frs, 8);

/* Changed namespace list (Base Figure 209): 0xffffffff in entry 0 means more than 1024 changed. */
#define NVMX_CHANGED_NS_MAX 1024
#define NVMX_CHANGED_NS_OVERFLOW 0xffffffffu
struct nvmx_changed_ns_log {
	nvmx_le32 nsid[NVMX_CHANGED_NS_MAX];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_changed_ns_log, 4096);

/* Commands supported and effects (Base Figure 210, 211). */
struct nvmx_cmd_effects_log {
	nvmx_le32 acs[256];
	nvmx_le32 iocs[256];
	uint8_t   rsvd2048[2048];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_cmd_effects_log, 4096);
NVMX_ASSERT_OFF(struct nvmx_cmd_effects_log, iocs, 1024);

#define NVMX_CSE_CSUPP   (1u << 0)	/* command supported */
#define NVMX_CSE_LBCC    (1u << 1)	/* logical block content change */
#define NVMX_CSE_NCC     (1u << 2)	/* namespace capability change */
#define NVMX_CSE_NIC     (1u << 3)	/* namespace inventory change */
#define NVMX_CSE_CCC     (1u << 4)	/* controller capability change */
#define NVMX_CSE_CSE_SHIFT 16

/* Asymmetric Namespace Access log (Base Figures 218, 219). */
struct nvmx_ana_log_hdr {
	nvmx_le64 chgcnt;
	nvmx_le16 ngrps;
	uint8_t   rsvd10[6];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_ana_log_hdr, 16);
NVMX_ASSERT_OFF(struct nvmx_ana_log_hdr, ngrps, 8);

struct nvmx_ana_group_desc {
	nvmx_le32 grpid;
	nvmx_le32 nnsids;
	nvmx_le64 chgcnt;
	uint8_t   state;	/* 3:0 */
	uint8_t   rsvd17[15];
	nvmx_le32 nsids[];
} NVMX_PACKED;
NVMX_ASSERT_SIZE(struct nvmx_ana_group_desc, 32);
NVMX_ASSERT_OFF(struct nvmx_ana_group_desc, nnsids, 4);
NVMX_ASSERT_OFF(struct nvmx_ana_group_desc, chgcnt, 8);
NVMX_ASSERT_OFF(struct nvmx_ana_group_desc, state, 16);

enum {
	NVMX_ANA_OPTIMIZED      = 0x1,
	NVMX_ANA_NONOPTIMIZED   = 0x2,
	NVMX_ANA_INACCESSIBLE   = 0x3,
	NVMX_ANA_PERSISTENT_LOSS = 0x4,
	NVMX_ANA_CHANGE         = 0xf,
};
#define NVMX_ANA_LSP_RGO 0x1	/* return groups only */

/* Feature identifiers (Base Figure 317). */
enum {
	NVMX_FID_ARBITRATION      = 0x01,
	NVMX_FID_POWER_MGMT       = 0x02,
	NVMX_FID_LBA_RANGE        = 0x03,
	NVMX_FID_TEMP_THRESH      = 0x04,
	NVMX_FID_ERR_RECOVERY     = 0x05,
	NVMX_FID_VOLATILE_WC      = 0x06,
	NVMX_FID_NUM_QUEUES       = 0x07,
	NVMX_FID_IRQ_COALESCE     = 0x08,
	NVMX_FID_IRQ_CONFIG       = 0x09,
	NVMX_FID_WRITE_ATOMIC     = 0x0a,
	NVMX_FID_ASYNC_EVENT      = 0x0b,
	NVMX_FID_AUTO_PST         = 0x0c,
	NVMX_FID_HOST_MEM_BUF     = 0x0d,
	NVMX_FID_TIMESTAMP        = 0x0e,
	NVMX_FID_KATO             = 0x0f,
	NVMX_FID_HCTM             = 0x10,
	NVMX_FID_NOPSC            = 0x11,
	NVMX_FID_RRL              = 0x12,
	NVMX_FID_PLM_CONFIG       = 0x13,
	NVMX_FID_PLM_WINDOW       = 0x14,
	NVMX_FID_LBA_STS_INTERVAL = 0x15,
	NVMX_FID_HOST_BEHAVIOR    = 0x16,
	NVMX_FID_SANITIZE         = 0x17,
	NVMX_FID_ENDURANCE_EVT_CFG = 0x18,
	NVMX_FID_IOCS_PROFILE     = 0x19,
	NVMX_FID_SPINUP_CONTROL   = 0x1a,
	NVMX_FID_ENH_CTRL_METADATA = 0x7d,
	NVMX_FID_CTRL_METADATA    = 0x7e,
	NVMX_FID_NS_METADATA      = 0x7f,
	NVMX_FID_SW_PROGRESS      = 0x80,
	NVMX_FID_HOST_ID          = 0x81,
	NVMX_FID_RESV_MASK        = 0x82,
	NVMX_FID_RESV_PERSIST     = 0x83,
	NVMX_FID_WRITE_PROTECT    = 0x84,
};

/* Number of Queues (Base 5.27.1.7): NSQR 15:0, NCQR 31:16, both 0's based, in CDW11 and DW0. */
#define NVMX_NUM_QUEUES(nsq, ncq) ((((uint32_t)(ncq) - 1u) << 16) | ((uint32_t)(nsq) - 1u))
static inline uint32_t nvmx_num_queues_nsq(uint32_t dw0) { return (dw0 & 0xffffu) + 1u; }
static inline uint32_t nvmx_num_queues_ncq(uint32_t dw0) { return (dw0 >> 16) + 1u; }

/* Temperature Threshold (Base 5.27.1.4): TMPTH 15:0 kelvin, TMPSEL 19:16, THSEL 21:20 (0 over, 1 under). */
#define NVMX_TEMP_THRESH_TMPTH(v)   ((v) & 0xffffu)
#define NVMX_TEMP_THRESH_TMPSEL(v)  (((v) >> 16) & 0xfu)
#define NVMX_TEMP_THRESH_THSEL(v)   (((v) >> 20) & 0x3u)

/* Asynchronous Event Configuration (Base Figure 332) */
#define NVMX_AEC_SMART_MASK        0xffu	/* critical warning bits */
#define NVMX_AEC_NS_ATTR           (1u << 8)
#define NVMX_AEC_FW_ACTIVATION     (1u << 9)
#define NVMX_AEC_TELEMETRY         (1u << 10)
#define NVMX_AEC_ANA_CHANGE        (1u << 11)
#define NVMX_AEC_PLEA              (1u << 12)
#define NVMX_AEC_LBA_STATUS        (1u << 13)
#define NVMX_AEC_EGEA              (1u << 14)
#define NVMX_AEC_NORMAL_NSS_SHUTDOWN (1u << 15)
#define NVMX_AEC_ZONE_DESC         (1u << 27)
#define NVMX_AEC_DISC_LOG_CHANGE   (1u << 31)

/* Asynchronous event completion DW0 (Base Figure 146): type 2:0, info 15:8, log page 23:16. */
static inline unsigned nvmx_aen_type(uint32_t dw0) { return dw0 & 7u; }
static inline unsigned nvmx_aen_info(uint32_t dw0) { return (dw0 >> 8) & 0xffu; }
static inline unsigned nvmx_aen_lid(uint32_t dw0)  { return (dw0 >> 16) & 0xffu; }
static inline uint32_t nvmx_aen_make(unsigned type, unsigned info, unsigned lid)
{
	return (type & 7u) | ((info & 0xffu) << 8) | ((lid & 0xffu) << 16);
}

/* Asynchronous event types (Base Figure 146) */
enum {
	NVMX_AER_TYPE_ERROR   = 0,
	NVMX_AER_TYPE_SMART   = 1,
	NVMX_AER_TYPE_NOTICE  = 2,
	NVMX_AER_TYPE_IMMEDIATE = 3,
	NVMX_AER_TYPE_ONESHOT = 4,
	NVMX_AER_TYPE_IOCS    = 6,
	NVMX_AER_TYPE_VENDOR  = 7,
};

/* Error status information (Base Figure 147) */
enum {
	NVMX_AER_ERR_INVALID_DB       = 0x00,
	NVMX_AER_ERR_INVALID_DB_VALUE = 0x01,
	NVMX_AER_ERR_DIAG_FAILURE     = 0x02,
	NVMX_AER_ERR_PERSISTENT_INTERNAL = 0x03,
	NVMX_AER_ERR_TRANSIENT_INTERNAL = 0x04,
	NVMX_AER_ERR_FW_IMAGE_LOAD    = 0x05,
};

/* SMART/Health status information (Base Figure 148) */
enum {
	NVMX_AER_SMART_RELIABILITY    = 0x00,
	NVMX_AER_SMART_TEMP_THRESH    = 0x01,
	NVMX_AER_SMART_SPARE_THRESH   = 0x02,
};

/* Notice information (Base Figure 149) */
enum {
	NVMX_AER_NOTICE_NS_CHANGED    = 0x00,
	NVMX_AER_NOTICE_FW_ACT_STARTING = 0x01,
	NVMX_AER_NOTICE_TELEMETRY     = 0x02,
	NVMX_AER_NOTICE_ANA           = 0x03,
	NVMX_AER_NOTICE_PLEA          = 0x04,
	NVMX_AER_NOTICE_LBA_STATUS    = 0x05,
	NVMX_AER_NOTICE_EGEA          = 0x06,
	/*
	 * No Normal NVM Subsystem Shutdown notice: that event is of type
	 * Immediate (below); notice 07h is a Reachability Group notice in Base 2.1.
	 */
	NVMX_AER_NOTICE_ZONE_DESC     = 0xef,	/* ZNS 1.0 */
	NVMX_AER_NOTICE_DISC_CHANGED  = 0xf0,
};

/* Immediate events (Base 2.0c / 2.1 Figure 156): reported only if an AER is outstanding. */
enum {
	NVMX_AER_IMMEDIATE_NORMAL_NSS_SHUTDOWN = 0x00,	/* OAES/AEC bit 15 */
	NVMX_AER_IMMEDIATE_TEMP_HYSTERESIS     = 0x01,	/* Base 2.1: threshold hysteresis recovery */
};

/* I/O command set specific information (Base Figure 150) */
enum {
	NVMX_AER_IOCS_RESERVATION     = 0x00,
	NVMX_AER_IOCS_SANITIZE_DONE   = 0x01,
	NVMX_AER_IOCS_SANITIZE_DEALLOC = 0x02,
};

#endif /* NVMX_SPEC_LOG_H */
