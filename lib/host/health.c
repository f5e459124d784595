/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Health: the SMART / Health Information log (NVMe base spec 2.0,
 * 5.16.1.3, Figure 207) decoded, kept on the controller, refreshed at
 * connect, on SMART events (aer.c, RAE clear) and every health_period_ms
 * (recovery.c's admin work, RAE set).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/internal.h"

/* A 128-bit little-endian counter, saturated to 64 bits. */
static uint64_t le128(const uint8_t *p)
{
	for (int i = 8; i < 16; i++)
		if (p[i])
			return UINT64_MAX;
	return nvmx_get_le64(p);
}

void nvmx_health_decode(const struct nvmx_smart_log *log, struct nvmx_health *h)
{
	memset(h, 0, sizeof(*h));
	h->critical_warning = log->critical_warning;
	h->temperature_k = nvmx_get_le16(log->temperature);
	h->temperature_c = (int)h->temperature_k - 273;
	for (int i = 0; i < 8; i++)
		h->sensor_k[i] = nvmx_le16_to_cpu(log->temp_sensor[i]);
	h->available_spare = log->avail_spare;
	h->spare_threshold = log->spare_thresh;
	h->percentage_used = log->percent_used;
	h->data_units_read = le128(log->data_units_read);
	h->data_units_written = le128(log->data_units_written);
	h->host_reads = le128(log->host_reads);
	h->host_writes = le128(log->host_writes);
	h->power_cycles = le128(log->power_cycles);
	h->power_on_hours = le128(log->power_on_hours);
	h->unsafe_shutdowns = le128(log->unsafe_shutdowns);
	h->media_errors = le128(log->media_errors);
	h->error_log_entries = le128(log->num_err_log_entries);
}

/* Read log page 02h for the whole controller (NSID FFFFFFFFh) into
 * ctrl->health (and *h).  Caller holds admin_lock. */
int nvmx_health_read(struct nvmx_ctrl *ctrl, bool rae, struct nvmx_health *h)
{
	struct nvmx_smart_log *log = aligned_alloc(4096, 4096);
	int rc;

	if (!log)
		return -ENOMEM;
	rc = nvmx_get_log_rae(ctrl, NVMX_LID_SMART, 0xffffffffu, 0, log, sizeof(*log), rae);
	if (rc == 0) {
		nvmx_health_decode(log, &ctrl->health);
		ctrl->health.refreshed_ns = nvmx_now_ns();
		if (h)
			*h = ctrl->health;
	}
	free(log);
	return rc;
}

int nvmx_ctrl_health(struct nvmx_ctrl *ctrl, struct nvmx_health *h)
{
	int rc = 0;

	pthread_mutex_lock(&ctrl->admin_lock);
	if (!ctrl->health.refreshed_ns)
		rc = -ENODATA;
	else
		*h = ctrl->health;
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

int nvmx_ctrl_health_refresh(struct nvmx_ctrl *ctrl, struct nvmx_health *h)
{
	int rc;

	if (nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_LIVE)
		return -ENOTCONN;
	pthread_mutex_lock(&ctrl->admin_lock);
	rc = nvmx_health_read(ctrl, true, h);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return rc;
}

static const char *const cw_names[8] = {
	"available_spare", "temperature", "reliability", "read_only",
	"volatile_backup", "pmr_read_only", "bit6", "bit7",
};

const char *nvmx_cw_bit_name(unsigned int bit)
{
	return bit < 8 ? cw_names[bit] : "unknown";
}

int nvmx_cw_str(uint8_t cw, char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	for (unsigned int b = 0; b < 8; b++) {
		int n;

		if (!(cw & (1u << b)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "," : "", cw_names[b]);
		if (n < 0 || (size_t)n >= len - off)
			return -ENOSPC;
		off += (size_t)n;
	}
	return (int)off;
}
