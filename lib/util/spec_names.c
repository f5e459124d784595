/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

#include "nvmx/spec.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* Look a value up in a sparse table given as an array indexed by value. */
static const char *pick(const char *const *tab, size_t n, unsigned v, const char *dflt)
{
	return v < n && tab[v] ? tab[v] : dflt;
}

const char *nvmx_sct_name(unsigned sct)
{
	static const char *const t[] = {
		[NVMX_SCT_GENERIC] = "Generic Command Status",
		[NVMX_SCT_CMD_SPECIFIC] = "Command Specific Status",
		[NVMX_SCT_MEDIA] = "Media and Data Integrity Errors",
		[NVMX_SCT_PATH] = "Path Related Status",
		[NVMX_SCT_VENDOR] = "Vendor Specific",
	};
	return pick(t, N(t), sct, "Reserved");
}

static const char *const generic_sc[] = {
	[NVMX_SC_SUCCESS] = "Successful Completion",
	[NVMX_SC_INVALID_OPCODE] = "Invalid Command Opcode",
	[NVMX_SC_INVALID_FIELD] = "Invalid Field in Command",
	[NVMX_SC_CID_CONFLICT] = "Command ID Conflict",
	[NVMX_SC_DATA_XFER_ERROR] = "Data Transfer Error",
	[NVMX_SC_POWER_LOSS] = "Commands Aborted due to Power Loss Notification",
	[NVMX_SC_INTERNAL] = "Internal Error",
	[NVMX_SC_ABORT_REQ] = "Command Abort Requested",
	[NVMX_SC_ABORT_SQ_DELETION] = "Command Aborted due to SQ Deletion",
	[NVMX_SC_FUSED_FAIL] = "Command Aborted due to Failed Fused Command",
	[NVMX_SC_FUSED_MISSING] = "Command Aborted due to Missing Fused Command",
	[NVMX_SC_INVALID_NS] = "Invalid Namespace or Format",
	[NVMX_SC_CMD_SEQ_ERROR] = "Command Sequence Error",
	[NVMX_SC_SGL_INVALID_LAST] = "Invalid SGL Segment Descriptor",
	[NVMX_SC_SGL_INVALID_COUNT] = "Invalid Number of SGL Descriptors",
	[NVMX_SC_SGL_INVALID_DATA] = "Data SGL Length Invalid",
	[NVMX_SC_SGL_INVALID_METADATA] = "Metadata SGL Length Invalid",
	[NVMX_SC_SGL_INVALID_TYPE] = "SGL Descriptor Type Invalid",
	[NVMX_SC_CMB_INVALID_USE] = "Invalid Use of Controller Memory Buffer",
	[NVMX_SC_PRP_INVALID_OFFSET] = "PRP Offset Invalid",
	[NVMX_SC_ATOMIC_WU_EXCEEDED] = "Atomic Write Unit Exceeded",
	[NVMX_SC_OP_DENIED] = "Operation Denied",
	[NVMX_SC_SGL_INVALID_OFFSET] = "SGL Offset Invalid",
	[NVMX_SC_HOSTID_FORMAT] = "Host Identifier Inconsistent Format",
	[NVMX_SC_KAT_EXPIRED] = "Keep Alive Timer Expired",
	[NVMX_SC_KAT_INVALID] = "Keep Alive Timeout Invalid",
	[NVMX_SC_CMD_ABORTED_PREEMPT] = "Command Aborted due to Preempt and Abort",
	[NVMX_SC_SANITIZE_FAILED] = "Sanitize Failed",
	[NVMX_SC_SANITIZE_IN_PROGRESS] = "Sanitize In Progress",
	[NVMX_SC_SGL_INVALID_GRANULARITY] = "SGL Data Block Granularity Invalid",
	[NVMX_SC_CMD_IN_CMBQ_NOT_SUPP] = "Command Not Supported for Queue in CMB",
	[NVMX_SC_NS_WRITE_PROTECTED] = "Namespace is Write Protected",
	[NVMX_SC_CMD_INTERRUPTED] = "Command Interrupted",
	[NVMX_SC_TRANSIENT_TR_ERR] = "Transient Transport Error",
	[NVMX_SC_PROHIBITED_BY_LOCKDOWN] = "Command Prohibited by Command and Feature Lockdown",
	[NVMX_SC_ADMIN_CMD_MEDIA_NOT_READY] = "Admin Command Media Not Ready",
	[NVMX_SC_LBA_RANGE] = "LBA Out of Range",
	[NVMX_SC_CAP_EXCEEDED] = "Capacity Exceeded",
	[NVMX_SC_NS_NOT_READY] = "Namespace Not Ready",
	[NVMX_SC_RESERVATION_CONFLICT] = "Reservation Conflict",
	[NVMX_SC_FORMAT_IN_PROGRESS] = "Format In Progress",
};

static const char *const cmd_specific_sc[] = {
	[NVMX_SC_CQ_INVALID] = "Completion Queue Invalid",
	[NVMX_SC_QID_INVALID] = "Invalid Queue Identifier",
	[NVMX_SC_QUEUE_SIZE] = "Invalid Queue Size",
	[NVMX_SC_ABORT_LIMIT] = "Abort Command Limit Exceeded",
	[NVMX_SC_AER_LIMIT] = "Asynchronous Event Request Limit Exceeded",
	[NVMX_SC_FW_SLOT_INVALID] = "Invalid Firmware Slot",
	[NVMX_SC_FW_IMAGE_INVALID] = "Invalid Firmware Image",
	[NVMX_SC_IRQ_VECTOR_INVALID] = "Invalid Interrupt Vector",
	[NVMX_SC_LOG_PAGE_INVALID] = "Invalid Log Page",
	[NVMX_SC_FORMAT_INVALID] = "Invalid Format",
	[NVMX_SC_FW_NEEDS_CONV_RESET] = "Firmware Activation Requires Conventional Reset",
	[NVMX_SC_QUEUE_DELETION_INVALID] = "Invalid Queue Deletion",
	[NVMX_SC_FEAT_NOT_SAVEABLE] = "Feature Identifier Not Saveable",
	[NVMX_SC_FEAT_NOT_CHANGEABLE] = "Feature Not Changeable",
	[NVMX_SC_FEAT_NOT_NS_SPECIFIC] = "Feature Not Namespace Specific",
	[NVMX_SC_FW_NEEDS_SUBSYS_RESET] = "Firmware Activation Requires NVM Subsystem Reset",
	[NVMX_SC_FW_NEEDS_RESET] = "Firmware Activation Requires Controller Level Reset",
	[NVMX_SC_FW_NEEDS_MAX_TIME] = "Firmware Activation Requires Maximum Time Violation",
	[NVMX_SC_FW_ACTIVATE_PROHIBITED] = "Firmware Activation Prohibited",
	[NVMX_SC_OVERLAPPING_RANGE] = "Overlapping Range",
	[NVMX_SC_NS_INSUFFICIENT_CAP] = "Namespace Insufficient Capacity",
	[NVMX_SC_NS_ID_UNAVAILABLE] = "Namespace Identifier Unavailable",
	[NVMX_SC_NS_ALREADY_ATTACHED] = "Namespace Already Attached",
	[NVMX_SC_NS_IS_PRIVATE] = "Namespace Is Private",
	[NVMX_SC_NS_NOT_ATTACHED] = "Namespace Not Attached",
	[NVMX_SC_THIN_PROV_NOT_SUPP] = "Thin Provisioning Not Supported",
	[NVMX_SC_CTRL_LIST_INVALID] = "Controller List Invalid",
	[NVMX_SC_SELF_TEST_IN_PROGRESS] = "Device Self-test In Progress",
	[NVMX_SC_BP_WRITE_PROHIBITED] = "Boot Partition Write Prohibited",
	[NVMX_SC_INVALID_CTRL_ID] = "Invalid Controller Identifier",
	[NVMX_SC_INVALID_SEC_CTRL_STATE] = "Invalid Secondary Controller State",
	[NVMX_SC_INVALID_CTRL_RESOURCES] = "Invalid Number of Controller Resources",
	[NVMX_SC_INVALID_RESOURCE_ID] = "Invalid Resource Identifier",
	[NVMX_SC_PMR_SAN_PROHIBITED] = "Sanitize Prohibited While Persistent Memory Region is Enabled",
	[NVMX_SC_ANA_GROUP_ID_INVALID] = "ANA Group Identifier Invalid",
	[NVMX_SC_ANA_ATTACH_FAILED] = "ANA Attach Failed",
	[NVMX_SC_INSUFFICIENT_CAP] = "Insufficient Capacity",
	[NVMX_SC_NS_ATTACH_LIMIT] = "Namespace Attachment Limit Exceeded",
	[NVMX_SC_PROHIBIT_CMD_EXEC_NOT_SUPP] = "Prohibition of Command Execution Not Supported",
	[NVMX_SC_IOCS_NOT_SUPPORTED] = "I/O Command Set Not Supported",
	[NVMX_SC_IOCS_NOT_ENABLED] = "I/O Command Set Not Enabled",
	[NVMX_SC_IOCS_COMBINATION_REJECTED] = "I/O Command Set Combination Rejected",
	[NVMX_SC_INVALID_IOCS] = "Invalid I/O Command Set",
	[NVMX_SC_ID_UNAVAILABLE] = "Identifier Unavailable",
	[NVMX_SC_BAD_ATTRIBUTES] = "Conflicting Attributes",
	[NVMX_SC_INVALID_PI] = "Invalid Protection Information",
	[NVMX_SC_READ_ONLY] = "Attempted Write to Read Only Range",
	[NVMX_SC_CMD_SIZE_LIMIT_EXCEEDED] = "Command Size Limit Exceeded",
};

static const char *const fabrics_sc[] = {
	[NVMX_SC_CONNECT_FORMAT] = "Incompatible Format",
	[NVMX_SC_CONNECT_CTRL_BUSY] = "Controller Busy",
	[NVMX_SC_CONNECT_INVALID_PARAM] = "Connect Invalid Parameters",
	[NVMX_SC_CONNECT_RESTART_DISC] = "Connect Restart Discovery",
	[NVMX_SC_CONNECT_INVALID_HOST] = "Connect Invalid Host",
	[NVMX_SC_INVALID_QUEUE_TYPE] = "Invalid Queue Type",
	[NVMX_SC_DISCOVERY_RESTART] = "Discover Restart",
	[NVMX_SC_AUTH_REQUIRED] = "Authentication Required",
};

static const char *const media_sc[] = {
	[NVMX_SC_WRITE_FAULT] = "Write Fault",
	[NVMX_SC_UNRECOVERED_READ] = "Unrecovered Read Error",
	[NVMX_SC_GUARD_CHECK] = "End-to-end Guard Check Error",
	[NVMX_SC_APPTAG_CHECK] = "End-to-end Application Tag Check Error",
	[NVMX_SC_REFTAG_CHECK] = "End-to-end Reference Tag Check Error",
	[NVMX_SC_COMPARE_FAILED] = "Compare Failure",
	[NVMX_SC_ACCESS_DENIED] = "Access Denied",
	[NVMX_SC_UNWRITTEN_BLOCK] = "Deallocated or Unwritten Logical Block",
	[NVMX_SC_STORAGE_TAG_CHECK] = "End-to-End Storage Tag Check Error",
};

static const char *const path_sc[] = {
	[NVMX_SC_INTERNAL_PATH_ERROR] = "Internal Path Error",
	[NVMX_SC_ANA_PERSISTENT_LOSS] = "Asymmetric Access Persistent Loss",
	[NVMX_SC_ANA_INACCESSIBLE] = "Asymmetric Access Inaccessible",
	[NVMX_SC_ANA_TRANSITION] = "Asymmetric Access Transition",
	[NVMX_SC_CTRL_PATH_ERROR] = "Controller Pathing Error",
	[NVMX_SC_HOST_PATH_ERROR] = "Host Pathing Error",
	[NVMX_SC_HOST_ABORTED_CMD] = "Command Aborted By Host",
};

const char *nvmx_status_name_for(unsigned sct, unsigned sc, enum nvmx_cmd_set set)
{
	switch (sct) {
	case NVMX_SCT_GENERIC:
		if (sc >= 0x80 && set == NVMX_CMDSET_FABRICS)
			return "Unknown";
		return pick(generic_sc, N(generic_sc), sc, "Unknown");
	case NVMX_SCT_CMD_SPECIFIC:
		if (sc >= 0x80) {
			if (set == NVMX_CMDSET_FABRICS)
				return pick(fabrics_sc, N(fabrics_sc), sc, "Unknown");
			if (set == NVMX_CMDSET_ADMIN)
				return "Unknown";
		}
		return pick(cmd_specific_sc, N(cmd_specific_sc), sc, "Unknown");
	case NVMX_SCT_MEDIA:
		return pick(media_sc, N(media_sc), sc, "Unknown");
	case NVMX_SCT_PATH:
		return pick(path_sc, N(path_sc), sc, "Unknown");
	case NVMX_SCT_VENDOR:
		return "Vendor Specific";
	default:
		return "Reserved";
	}
}

const char *nvmx_status_name(unsigned sct, unsigned sc)
{
	return nvmx_status_name_for(sct, sc, NVMX_CMDSET_NVM);
}

char *nvmx_status_str(uint16_t status, enum nvmx_cmd_set set, char *buf, size_t len)
{
	unsigned sct = nvmx_st_sct(status), sc = nvmx_st_sc(status);

	snprintf(buf, len, "%s (sct %xh, sc %02xh)%s%s",
		 nvmx_status_name_for(sct, sc, set), sct, sc,
		 nvmx_st_dnr(status) ? " DNR" : "", nvmx_st_m(status) ? " More" : "");
	return buf;
}

const char *nvmx_admin_opc_name(uint8_t opc)
{
	static const char *const t[256] = {
		[NVMX_ADM_DELETE_SQ] = "Delete I/O Submission Queue",
		[NVMX_ADM_CREATE_SQ] = "Create I/O Submission Queue",
		[NVMX_ADM_GET_LOG_PAGE] = "Get Log Page",
		[NVMX_ADM_DELETE_CQ] = "Delete I/O Completion Queue",
		[NVMX_ADM_CREATE_CQ] = "Create I/O Completion Queue",
		[NVMX_ADM_IDENTIFY] = "Identify",
		[NVMX_ADM_ABORT] = "Abort",
		[NVMX_ADM_SET_FEATURES] = "Set Features",
		[NVMX_ADM_GET_FEATURES] = "Get Features",
		[NVMX_ADM_ASYNC_EVENT] = "Asynchronous Event Request",
		[NVMX_ADM_NS_MGMT] = "Namespace Management",
		[NVMX_ADM_FW_COMMIT] = "Firmware Commit",
		[NVMX_ADM_FW_DOWNLOAD] = "Firmware Image Download",
		[NVMX_ADM_DEV_SELF_TEST] = "Device Self-test",
		[NVMX_ADM_NS_ATTACH] = "Namespace Attachment",
		[NVMX_ADM_KEEP_ALIVE] = "Keep Alive",
		[NVMX_ADM_DIRECTIVE_SEND] = "Directive Send",
		[NVMX_ADM_DIRECTIVE_RECV] = "Directive Receive",
		[NVMX_ADM_VIRT_MGMT] = "Virtualization Management",
		[NVMX_ADM_NVME_MI_SEND] = "NVMe-MI Send",
		[NVMX_ADM_NVME_MI_RECV] = "NVMe-MI Receive",
		[NVMX_ADM_CAPACITY_MGMT] = "Capacity Management",
		[NVMX_ADM_LOCKDOWN] = "Lockdown",
		[NVMX_ADM_DBBUF_CONFIG] = "Doorbell Buffer Config",
		[NVMX_ADM_FABRICS] = "Fabrics Command",
		[NVMX_ADM_FORMAT_NVM] = "Format NVM",
		[NVMX_ADM_SECURITY_SEND] = "Security Send",
		[NVMX_ADM_SECURITY_RECV] = "Security Receive",
		[NVMX_ADM_SANITIZE] = "Sanitize",
		[NVMX_ADM_GET_LBA_STATUS] = "Get LBA Status",
	};
	if (opc >= 0xc0)
		return "Vendor Specific";
	return pick(t, N(t), opc, "Unknown");
}

const char *nvmx_nvm_opc_name(uint8_t opc)
{
	static const char *const t[256] = {
		[NVMX_NVM_FLUSH] = "Flush",
		[NVMX_NVM_WRITE] = "Write",
		[NVMX_NVM_READ] = "Read",
		[NVMX_NVM_WRITE_UNCOR] = "Write Uncorrectable",
		[NVMX_NVM_COMPARE] = "Compare",
		[NVMX_NVM_WRITE_ZEROES] = "Write Zeroes",
		[NVMX_NVM_DSM] = "Dataset Management",
		[NVMX_NVM_VERIFY] = "Verify",
		[NVMX_NVM_RESV_REGISTER] = "Reservation Register",
		[NVMX_NVM_RESV_REPORT] = "Reservation Report",
		[NVMX_NVM_RESV_ACQUIRE] = "Reservation Acquire",
		[NVMX_NVM_RESV_RELEASE] = "Reservation Release",
		[NVMX_NVM_COPY] = "Copy",
		[NVMX_ADM_FABRICS] = "Fabrics Command",
	};
	if (opc >= 0x80)
		return "Vendor Specific";
	return pick(t, N(t), opc, "Unknown");
}

const char *nvmx_fabrics_fctype_name(uint8_t fctype)
{
	static const char *const t[] = {
		[NVMX_FCTYPE_PROPERTY_SET] = "Property Set",
		[NVMX_FCTYPE_CONNECT] = "Connect",
		[NVMX_FCTYPE_PROPERTY_GET] = "Property Get",
		[NVMX_FCTYPE_AUTH_SEND] = "Authentication Send",
		[NVMX_FCTYPE_AUTH_RECV] = "Authentication Receive",
		[NVMX_FCTYPE_DISCONNECT] = "Disconnect",
	};
	if (fctype >= 0xc0)
		return "Vendor Specific";
	return pick(t, N(t), fctype, "Unknown");
}

const char *nvmx_opc_name(enum nvmx_cmd_set set, uint8_t opc)
{
	switch (set) {
	case NVMX_CMDSET_ADMIN:   return nvmx_admin_opc_name(opc);
	case NVMX_CMDSET_NVM:     return nvmx_nvm_opc_name(opc);
	case NVMX_CMDSET_FABRICS: return nvmx_fabrics_fctype_name(opc);
	}
	return "Unknown";
}

const char *nvmx_log_page_name(uint8_t lid)
{
	static const char *const t[256] = {
		[NVMX_LID_SUPPORTED_LOGS] = "Supported Log Pages",
		[NVMX_LID_ERROR] = "Error Information",
		[NVMX_LID_SMART] = "SMART / Health Information",
		[NVMX_LID_FW_SLOT] = "Firmware Slot Information",
		[NVMX_LID_CHANGED_NS] = "Changed Namespace List",
		[NVMX_LID_CMD_EFFECTS] = "Commands Supported and Effects",
		[NVMX_LID_DEV_SELF_TEST] = "Device Self-test",
		[NVMX_LID_TELEMETRY_HOST] = "Telemetry Host-Initiated",
		[NVMX_LID_TELEMETRY_CTRL] = "Telemetry Controller-Initiated",
		[NVMX_LID_ENDURANCE_GROUP] = "Endurance Group Information",
		[NVMX_LID_PLM_PER_NVMSET] = "Predictable Latency Per NVM Set",
		[NVMX_LID_PLM_EVENT_AGG] = "Predictable Latency Event Aggregate",
		[NVMX_LID_ANA] = "Asymmetric Namespace Access",
		[NVMX_LID_PERSISTENT_EVENT] = "Persistent Event Log",
		[NVMX_LID_LBA_STATUS] = "LBA Status Information",
		[NVMX_LID_EG_EVENT_AGG] = "Endurance Group Event Aggregate",
		[NVMX_LID_MEDIA_UNIT] = "Media Unit Status",
		[NVMX_LID_CAP_CONFIG_LIST] = "Supported Capacity Configuration List",
		[NVMX_LID_FID_EFFECTS] = "Feature Identifiers Supported and Effects",
		[NVMX_LID_MI_CMD_EFFECTS] = "NVMe-MI Commands Supported and Effects",
		[NVMX_LID_LOCKDOWN] = "Command and Feature Lockdown",
		[NVMX_LID_BOOT_PARTITION] = "Boot Partition",
		[NVMX_LID_ROTATIONAL_MEDIA] = "Rotational Media Information",
		[NVMX_LID_DISCOVERY] = "Discovery",
		[NVMX_LID_RESERVATION] = "Reservation Notification",
		[NVMX_LID_SANITIZE] = "Sanitize Status",
	};
	if (lid >= 0xc0)
		return "Vendor Specific";
	return pick(t, N(t), lid, "Unknown");
}

const char *nvmx_feature_name(uint8_t fid)
{
	static const char *const t[256] = {
		[NVMX_FID_ARBITRATION] = "Arbitration",
		[NVMX_FID_POWER_MGMT] = "Power Management",
		[NVMX_FID_LBA_RANGE] = "LBA Range Type",
		[NVMX_FID_TEMP_THRESH] = "Temperature Threshold",
		[NVMX_FID_ERR_RECOVERY] = "Error Recovery",
		[NVMX_FID_VOLATILE_WC] = "Volatile Write Cache",
		[NVMX_FID_NUM_QUEUES] = "Number of Queues",
		[NVMX_FID_IRQ_COALESCE] = "Interrupt Coalescing",
		[NVMX_FID_IRQ_CONFIG] = "Interrupt Vector Configuration",
		[NVMX_FID_WRITE_ATOMIC] = "Write Atomicity Normal",
		[NVMX_FID_ASYNC_EVENT] = "Asynchronous Event Configuration",
		[NVMX_FID_AUTO_PST] = "Autonomous Power State Transition",
		[NVMX_FID_HOST_MEM_BUF] = "Host Memory Buffer",
		[NVMX_FID_TIMESTAMP] = "Timestamp",
		[NVMX_FID_KATO] = "Keep Alive Timer",
		[NVMX_FID_HCTM] = "Host Controlled Thermal Management",
		[NVMX_FID_NOPSC] = "Non-Operational Power State Config",
		[NVMX_FID_RRL] = "Read Recovery Level Config",
		[NVMX_FID_PLM_CONFIG] = "Predictable Latency Mode Config",
		[NVMX_FID_PLM_WINDOW] = "Predictable Latency Mode Window",
		[NVMX_FID_LBA_STS_INTERVAL] = "LBA Status Information Report Interval",
		[NVMX_FID_HOST_BEHAVIOR] = "Host Behavior Support",
		[NVMX_FID_SANITIZE] = "Sanitize Config",
		[NVMX_FID_ENDURANCE_EVT_CFG] = "Endurance Group Event Configuration",
		[NVMX_FID_IOCS_PROFILE] = "I/O Command Set Profile",
		[NVMX_FID_SPINUP_CONTROL] = "Spinup Control",
		[NVMX_FID_ENH_CTRL_METADATA] = "Enhanced Controller Metadata",
		[NVMX_FID_CTRL_METADATA] = "Controller Metadata",
		[NVMX_FID_NS_METADATA] = "Namespace Metadata",
		[NVMX_FID_SW_PROGRESS] = "Software Progress Marker",
		[NVMX_FID_HOST_ID] = "Host Identifier",
		[NVMX_FID_RESV_MASK] = "Reservation Notification Mask",
		[NVMX_FID_RESV_PERSIST] = "Reservation Persistence",
		[NVMX_FID_WRITE_PROTECT] = "Namespace Write Protection Config",
	};
	if (fid >= 0xc0)
		return "Vendor Specific";
	return pick(t, N(t), fid, "Unknown");
}

const char *nvmx_aer_type_name(unsigned type)
{
	static const char *const t[] = {
		[NVMX_AER_TYPE_ERROR] = "Error Status",
		[NVMX_AER_TYPE_SMART] = "SMART / Health Status",
		[NVMX_AER_TYPE_NOTICE] = "Notice",
		[NVMX_AER_TYPE_IMMEDIATE] = "Immediate",
		[NVMX_AER_TYPE_ONESHOT] = "One-Shot",
		[NVMX_AER_TYPE_IOCS] = "I/O Command Set Specific Status",
		[NVMX_AER_TYPE_VENDOR] = "Vendor Specific",
	};
	return pick(t, N(t), type, "Reserved");
}

const char *nvmx_aer_info_name(unsigned type, unsigned info)
{
	static const char *const err[] = {
		[NVMX_AER_ERR_INVALID_DB] = "Write to Invalid Doorbell Register",
		[NVMX_AER_ERR_INVALID_DB_VALUE] = "Invalid Doorbell Write Value",
		[NVMX_AER_ERR_DIAG_FAILURE] = "Diagnostic Failure",
		[NVMX_AER_ERR_PERSISTENT_INTERNAL] = "Persistent Internal Error",
		[NVMX_AER_ERR_TRANSIENT_INTERNAL] = "Transient Internal Error",
		[NVMX_AER_ERR_FW_IMAGE_LOAD] = "Firmware Image Load Error",
	};
	static const char *const smart[] = {
		[NVMX_AER_SMART_RELIABILITY] = "NVM Subsystem Reliability",
		[NVMX_AER_SMART_TEMP_THRESH] = "Temperature Threshold",
		[NVMX_AER_SMART_SPARE_THRESH] = "Spare Below Threshold",
	};
	static const char *const notice[256] = {
		[NVMX_AER_NOTICE_NS_CHANGED] = "Namespace Attribute Changed",
		[NVMX_AER_NOTICE_FW_ACT_STARTING] = "Firmware Activation Starting",
		[NVMX_AER_NOTICE_TELEMETRY] = "Telemetry Log Changed",
		[NVMX_AER_NOTICE_ANA] = "Asymmetric Namespace Access Change",
		[NVMX_AER_NOTICE_PLEA] = "Predictable Latency Event Aggregate Log Change",
		[NVMX_AER_NOTICE_LBA_STATUS] = "LBA Status Information Alert",
		[NVMX_AER_NOTICE_EGEA] = "Endurance Group Event Aggregate Log Page Change",
		[NVMX_AER_NOTICE_ZONE_DESC] = "Zone Descriptor Changed",
		[NVMX_AER_NOTICE_DISC_CHANGED] = "Discovery Log Page Change",
	};
	static const char *const immediate[] = {
		[NVMX_AER_IMMEDIATE_NORMAL_NSS_SHUTDOWN] = "Normal NVM Subsystem Shutdown",
		[NVMX_AER_IMMEDIATE_TEMP_HYSTERESIS] = "Temperature Threshold Hysteresis Recovery",
	};
	static const char *const iocs[] = {
		[NVMX_AER_IOCS_RESERVATION] = "Reservation Log Page Available",
		[NVMX_AER_IOCS_SANITIZE_DONE] = "Sanitize Operation Completed",
		[NVMX_AER_IOCS_SANITIZE_DEALLOC] = "Sanitize Operation Completed With Unexpected Deallocation",
	};

	switch (type) {
	case NVMX_AER_TYPE_ERROR:  return pick(err, N(err), info, "Unknown");
	case NVMX_AER_TYPE_SMART:  return pick(smart, N(smart), info, "Unknown");
	case NVMX_AER_TYPE_NOTICE: return pick(notice, N(notice), info, "Unknown");
	case NVMX_AER_TYPE_IMMEDIATE: return pick(immediate, N(immediate), info, "Unknown");
	case NVMX_AER_TYPE_IOCS:   return pick(iocs, N(iocs), info, "Unknown");
	case NVMX_AER_TYPE_VENDOR: return "Vendor Specific";
	default:                   return "Unknown";
	}
}

const char *nvmx_critical_warning_name(unsigned bit)
{
	static const char *const t[] = {
		"Available Spare Below Threshold",
		"Temperature Threshold",
		"NVM Subsystem Reliability Degraded",
		"Media Read Only",
		"Volatile Memory Backup Failed",
		"Persistent Memory Region Read Only",
	};
	return pick(t, N(t), bit, "Reserved");
}

const char *nvmx_tcp_pdu_name(uint8_t type)
{
	static const char *const t[] = {
		[NVMX_TCP_ICREQ] = "ICReq",
		[NVMX_TCP_ICRESP] = "ICResp",
		[NVMX_TCP_H2C_TERM] = "H2CTermReq",
		[NVMX_TCP_C2H_TERM] = "C2HTermReq",
		[NVMX_TCP_CMD] = "CapsuleCmd",
		[NVMX_TCP_RSP] = "CapsuleResp",
		[NVMX_TCP_H2C_DATA] = "H2CData",
		[NVMX_TCP_C2H_DATA] = "C2HData",
		[NVMX_TCP_R2T] = "R2T",
	};
	return pick(t, N(t), type, "Unknown");
}

const char *nvmx_tcp_fes_name(unsigned fes)
{
	static const char *const t[] = {
		[NVMX_TCP_FES_INVALID_HEADER] = "Invalid PDU Header Field",
		[NVMX_TCP_FES_PDU_SEQUENCE] = "PDU Sequence Error",
		[NVMX_TCP_FES_HDGST] = "Header Digest Error",
		[NVMX_TCP_FES_DATA_OUT_OF_RANGE] = "Data Transfer Out of Range",
		[NVMX_TCP_FES_DATA_LIMIT] = "Data Transfer Limit Exceeded",
		[NVMX_TCP_FES_UNSUPPORTED_PARAM] = "Unsupported Parameter",
	};
	return pick(t, N(t), fes, "Reserved");
}
