/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Asynchronous events (NVMe base spec 2.0, 5.2 "Asynchronous Event Request",
 * 5.27.1.9 "Asynchronous Event Configuration"), for every transport.
 *
 * At bring-up the host enables the events the controller supports (OAES
 * notices, the SMART critical-warning bits) and keeps up to AERL+1 AERs
 * outstanding.  An AER completion only queues its DW0: the log page read
 * (with RAE clear, so the controller can report the next event of that
 * type), the action and the re-arm happen from the admin work, outside the
 * transport's receive path.  Every other log reader sets RAE (sync.c).
 *
 * Like FreeBSD's nvme(4), a critical-warning bit that stays set is masked
 * in the Asynchronous Event Configuration after it has been reported once,
 * so a lasting condition is one event, not a storm; a reset restores the
 * full configuration.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/cmd.h"
#include "host/internal.h"

static void aer_done(void *arg, const struct nvmx_cqe *cqe, int err);

static int aer_submit(struct nvmx_ctrl *ctrl)
{
	struct nvmx_sqe sqe;

	sqe_init(&sqe, NVMX_ADM_ASYNC_EVENT, 0);
	/* No deadline: an AER completes only when an event happens. */
	return nvmx_qpair_submit_cmd(ctrl->adminq, &sqe, NULL, 0, NVMX_DIR_NONE, aer_done, ctrl,
				     UINT32_MAX);
}

static unsigned int aer_target(const struct nvmx_ctrl *ctrl)
{
	unsigned int n = ctrl->id->aerl + 1u;

	if (ctrl->opts.max_aers && ctrl->opts.max_aers < n)
		n = ctrl->opts.max_aers;
	return n > NVMX_MAX_AERS ? NVMX_MAX_AERS : n;
}

/* Top the outstanding AERs up to their target (caller holds admin_lock). */
static void aer_refill(struct nvmx_ctrl *ctrl)
{
	if (ctrl->aer_unsupported || ctrl->aer_stop ||
	    nvmx_ctrl_get_state(ctrl) != NVMX_CTRL_LIVE || ctrl->adminq->failed)
		return;
	while (ctrl->aers < aer_target(ctrl) && aer_submit(ctrl) == 0)
		ctrl->aers++;
}

static void aer_done(void *arg, const struct nvmx_cqe *cqe, int err)
{
	struct nvmx_ctrl *ctrl = arg;
	uint16_t st = cqe_status(cqe);

	ctrl->aers--;
	if (err)	/* connection lost or reset: not an error; re-armed once live */
		return;
	if (st) {
		unsigned int sct = (st >> 8) & 7u, sc = st & 0xffu;

		if (sct == NVMX_SCT_GENERIC && sc == NVMX_SC_INVALID_OPCODE) {
			/* Base 5.2: a controller without AER support; leave it. */
			ctrl->aer_unsupported = true;
			nvmx_info("%s: controller does not support AERs", ctrl->name);
		} else if (sct == NVMX_SCT_CMD_SPECIFIC && sc == NVMX_SC_AER_LIMIT) {
			ctrl->aer_stop = true;
			nvmx_warn("%s: AER Limit Exceeded; no more AERs posted", ctrl->name);
		} else {
			/* Aborted by SQ deletion or failed otherwise: not
			 * re-posted until the next reset (Linux does the same). */
			if (!(sct == NVMX_SCT_GENERIC && sc == NVMX_SC_ABORT_SQ_DELETION))
				nvmx_warn("%s: AER completed with %s; not re-posted", ctrl->name,
					  nvmx_result_str(st));
			ctrl->aer_stop = true;
		}
		return;
	}
	if (ctrl->aen_count == NVMX_AEN_QUEUE) {
		nvmx_err("%s: async event 0x%08x lost: %u events waiting", ctrl->name,
			 cqe_dw0(cqe), ctrl->aen_count);
		return;
	}
	ctrl->aen_queue[(ctrl->aen_head + ctrl->aen_count++) % NVMX_AEN_QUEUE] = cqe_dw0(cqe);
}

/* Set Features Asynchronous Event Configuration (Base 5.27.1.9). */
static void aec_set(struct nvmx_ctrl *ctrl, uint32_t aec)
{
	int rc = nvmx_set_features_sync(ctrl, NVMX_FID_ASYNC_EVENT, aec, NULL);

	if (rc)
		nvmx_warn("%s: Set Features Async Event Configuration 0x%x: %s", ctrl->name, aec,
			  nvmx_result_str(rc));
	else
		ctrl->aec = aec;
}

/* After bring-up (ctrl.c set the Asynchronous Event Configuration: the
 * SMART bits and the notices OAES names, which also lifts any mask after a
 * reset): read health, post the AERs. */
int nvmx_ctrl_arm_aers(struct nvmx_ctrl *ctrl)
{
	pthread_mutex_lock(&ctrl->admin_lock);
	ctrl->cw_reported = 0;
	ctrl->aer_stop = false;
	nvmx_health_read(ctrl, true, NULL);
	aer_refill(ctrl);
	if (ctrl->opts.health_period_ms)
		ctrl->next_health_ns = nvmx_now_ns() + ctrl->opts.health_period_ms * 1000000ull;
	pthread_mutex_unlock(&ctrl->admin_lock);
	return 0;
}

/* ---- actions, one per event type ---- */

static void on_error(struct nvmx_ctrl *ctrl, uint8_t info, uint8_t lid)
{
	unsigned int n = ctrl->id->elpe + 1u;
	struct nvmx_error_log_entry *e;
	struct nvmx_event ev = { .type = NVMX_EVENT_ERROR_LOG };
	int rc;

	if (n > 64)
		n = 64;
	e = calloc(n, sizeof(*e));
	if (!e)
		return;
	rc = nvmx_get_log_rae(ctrl, lid ? lid : NVMX_LID_ERROR, 0, 0, e, n * (uint32_t)sizeof(*e),
			      false);
	if (rc) {
		nvmx_warn("%s: error information log: %s", ctrl->name, nvmx_result_str(rc));
		free(e);
		return;
	}
	/* Entry 0 is the newest (Base 5.16.1.2). */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t cnt = nvmx_le64_to_cpu(e[i].error_count);

		if (!cnt || cnt <= ctrl->last_err_count)
			break;
		ev.u.errlog.new_entries++;
	}
	ev.u.errlog.info = info;
	ev.u.errlog.error_count = nvmx_le64_to_cpu(e[0].error_count);
	ev.u.errlog.sqid = nvmx_le16_to_cpu(e[0].sqid);
	ev.u.errlog.cid = nvmx_le16_to_cpu(e[0].cid);
	ev.u.errlog.status = (uint16_t)(nvmx_le16_to_cpu(e[0].status) >> 1);
	ev.u.errlog.nsid = nvmx_le32_to_cpu(e[0].nsid);
	ev.u.errlog.lba = nvmx_le64_to_cpu(e[0].lba);
	if (ev.u.errlog.error_count > ctrl->last_err_count)
		ctrl->last_err_count = ev.u.errlog.error_count;
	nvmx_warn("%s: error event 0x%02x: %u new error log entries, newest #%llu SQ %u CID %u "
		  "status 0x%x", ctrl->name, info, ev.u.errlog.new_entries,
		  (unsigned long long)ev.u.errlog.error_count, ev.u.errlog.sqid, ev.u.errlog.cid,
		  ev.u.errlog.status);
	free(e);
	nvmx_ctrl_event(ctrl, &ev);
}

static void on_smart(struct nvmx_ctrl *ctrl, uint8_t info)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_SMART };
	struct nvmx_health h;
	char names[128];
	uint8_t mask;
	int rc;

	rc = nvmx_health_read(ctrl, false, &h);	/* RAE clear: the owner */
	if (rc) {
		nvmx_warn("%s: SMART/health log after an event: %s", ctrl->name,
			  nvmx_result_str(rc));
		return;
	}
	ev.u.smart.info = info;
	ev.u.smart.critical_warning = h.critical_warning;
	ev.u.smart.new_bits = (uint8_t)(h.critical_warning & ~ctrl->cw_reported);
	nvmx_cw_str(h.critical_warning, names, sizeof(names));
	nvmx_warn("%s: SMART/health event %u: critical warning 0x%02x (%s), %d C, spare %u%%",
		  ctrl->name, info, h.critical_warning, names, h.temperature_c, h.available_spare);
	ctrl->cw_reported |= h.critical_warning;
	nvmx_ctrl_event(ctrl, &ev);
	/* Mask what stays set so it is not reported again and again. */
	mask = (uint8_t)(ctrl->aec & h.critical_warning & NVMX_AEC_SMART_MASK);
	if (mask)
		aec_set(ctrl, ctrl->aec & ~(uint32_t)mask);
}

static bool in_list(const uint32_t *list, unsigned int n, uint32_t nsid)
{
	for (unsigned int i = 0; i < n; i++)
		if (list[i] == nsid)
			return true;
	return false;
}

static void ns_event(struct nvmx_ctrl *ctrl, uint32_t nsid, enum nvmx_ns_change ch,
		     uint64_t old_nsze, uint64_t new_nsze)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_NS_CHANGED };

	ev.u.ns.nsid = nsid;
	ev.u.ns.change = ch;
	ev.u.ns.old_nsze = old_nsze;
	ev.u.ns.new_nsze = new_nsze;
	nvmx_info("%s: namespace %u %s", ctrl->name, nsid,
		  ch == NVMX_NS_ADDED ? "added" : ch == NVMX_NS_REMOVED ? "removed" :
		  ch == NVMX_NS_RESIZED ? "resized" : "changed");
	nvmx_ctrl_event(ctrl, &ev);
}

/* Tell the application how ctrl->ns differs from old[] (the list before a
 * rescan); changed (may be NULL) lists the NSIDs the controller named, for
 * attribute-only changes. */
void nvmx_ns_diff_events(struct nvmx_ctrl *ctrl, const struct nvmx_ns_info *old,
			 unsigned int nold, const uint32_t *changed, unsigned int nchanged)
{
	for (unsigned int i = 0; i < nold; i++) {
		const struct nvmx_ns_info *n = nvmx_ctrl_ns(ctrl, old[i].nsid);

		if (!n)
			ns_event(ctrl, old[i].nsid, NVMX_NS_REMOVED, old[i].nsze, 0);
		else if (n->nsze != old[i].nsze || n->block_size != old[i].block_size)
			ns_event(ctrl, n->nsid, NVMX_NS_RESIZED, old[i].nsze, n->nsze);
		else if (changed && in_list(changed, nchanged, n->nsid))
			ns_event(ctrl, n->nsid, NVMX_NS_ATTR, n->nsze, n->nsze);
	}
	for (unsigned int i = 0; i < nvmx_ctrl_num_ns(ctrl); i++) {
		const struct nvmx_ns_info *n = nvmx_ctrl_ns_at(ctrl, i);
		bool was = false;

		for (unsigned int j = 0; j < nold && !was; j++)
			was = old[j].nsid == n->nsid;
		if (!was)
			ns_event(ctrl, n->nsid, NVMX_NS_ADDED, 0, n->nsze);
	}
}

/* A copy of the namespace list (NULL when empty or out of memory). */
struct nvmx_ns_info *nvmx_ns_snapshot(const struct nvmx_ctrl *ctrl, unsigned int *n)
{
	unsigned int nr = nvmx_ctrl_num_ns(ctrl);
	struct nvmx_ns_info *v = NULL;

	*n = 0;
	if (nr && (v = malloc(nr * sizeof(*v)))) {
		for (unsigned int i = 0; i < nr; i++)
			v[i] = *nvmx_ctrl_ns_at(ctrl, i);
		*n = nr;
	}
	return v;
}

static void ns_rescan_diff(struct nvmx_ctrl *ctrl, const uint32_t *changed, unsigned int nchanged)
{
	unsigned int nold;
	struct nvmx_ns_info *old = nvmx_ns_snapshot(ctrl, &nold);

	if (nvmx_ctrl_scan_ns(ctrl)) {
		nvmx_warn("%s: namespace rescan after an event failed: %s", ctrl->name,
			  ctrl->errmsg);
		free(old);
		return;
	}
	nvmx_ns_diff_events(ctrl, old, nold, changed, nchanged);
	free(old);
}

static void on_ns_changed(struct nvmx_ctrl *ctrl, uint8_t lid)
{
	uint32_t *list = aligned_alloc(4096, sizeof(struct nvmx_changed_ns_log));
	unsigned int n = 0;
	int rc;

	if (!list)
		return;
	rc = nvmx_get_log_rae(ctrl, lid ? lid : NVMX_LID_CHANGED_NS, 0, 0, list,
			      sizeof(struct nvmx_changed_ns_log), false);
	if (rc) {
		nvmx_warn("%s: changed namespace list: %s; rescanning all", ctrl->name,
			  nvmx_result_str(rc));
	} else if (nvmx_le32_to_cpu(list[0]) == NVMX_CHANGED_NS_OVERFLOW) {
		n = 0;	/* more than 1024 changed (Base 5.16.1.5): rescan all */
	} else {
		while (n < NVMX_CHANGED_NS_MAX && list[n]) {
			list[n] = nvmx_le32_to_cpu(list[n]);
			n++;
		}
	}
	ns_rescan_diff(ctrl, n ? list : NULL, n);
	free(list);
}

static void on_ana(struct nvmx_ctrl *ctrl, uint8_t lid)
{
	uint32_t len = 4096;	/* header + groups; more NSIDs than fit are skipped */
	uint8_t *buf = malloc(len);
	const struct nvmx_ana_log_hdr *h = (const void *)buf;
	uint32_t off = sizeof(*h);
	int rc;

	if (!buf)
		return;
	/* Return Groups Only is not needed: the NSID lists are bounded by
	 * the buffer and skipped below. */
	rc = nvmx_get_log_rae(ctrl, lid ? lid : NVMX_LID_ANA, 0, 0, buf, len, false);
	if (rc) {
		nvmx_warn("%s: ANA log: %s", ctrl->name, nvmx_result_str(rc));
		free(buf);
		return;
	}
	for (unsigned int g = 0; g < nvmx_le16_to_cpu(h->ngrps); g++) {
		const struct nvmx_ana_group_desc *d = (const void *)(buf + off);
		struct nvmx_event ev = { .type = NVMX_EVENT_ANA_CHANGE };
		uint64_t next;

		if (off + sizeof(*d) > len)
			break;
		next = off + sizeof(*d) + 4ull * nvmx_le32_to_cpu(d->nnsids);
		ev.u.ana.grpid = nvmx_le32_to_cpu(d->grpid);
		ev.u.ana.state = d->state & 0xfu;
		ev.u.ana.nnsids = nvmx_le32_to_cpu(d->nnsids);
		nvmx_info("%s: ANA group %u: state %u (%u namespaces)", ctrl->name, ev.u.ana.grpid,
			  ev.u.ana.state, ev.u.ana.nnsids);
		nvmx_ctrl_event(ctrl, &ev);
		if (next > len)
			break;
		off = (uint32_t)next;
	}
	free(buf);
}

/* Read the named log page with RAE clear only to release the event. */
static void consume_log(struct nvmx_ctrl *ctrl, uint8_t lid)
{
	uint8_t buf[512];
	int rc;

	if (!lid)
		return;
	rc = nvmx_get_log_rae(ctrl, lid, 0, 0, buf, sizeof(buf), false);
	if (rc)
		nvmx_debug("%s: log page 0x%02x after an event: %s", ctrl->name, lid,
			   nvmx_result_str(rc));
}

static void handle(struct nvmx_ctrl *ctrl, uint32_t dw0)
{
	struct nvmx_event ev = { .type = NVMX_EVENT_AEN };
	uint8_t type = (uint8_t)nvmx_aen_type(dw0), info = (uint8_t)nvmx_aen_info(dw0);
	uint8_t lid = (uint8_t)nvmx_aen_lid(dw0);

	ev.u.aen.dw0 = dw0;
	ev.u.aen.type = type;
	ev.u.aen.info = info;
	ev.u.aen.log_page = lid;
	nvmx_info("%s: async event type %u info 0x%02x log page 0x%02x", ctrl->name, type, info,
		  lid);
	nvmx_ctrl_event(ctrl, &ev);
	switch (type) {
	case NVMX_AER_TYPE_ERROR:
		on_error(ctrl, info, lid);
		break;
	case NVMX_AER_TYPE_SMART:
		on_smart(ctrl, info);
		break;
	case NVMX_AER_TYPE_NOTICE:
		if (info == NVMX_AER_NOTICE_NS_CHANGED) {
			on_ns_changed(ctrl, lid);
		} else if (info == NVMX_AER_NOTICE_ANA) {
			on_ana(ctrl, lid);
		} else {
			consume_log(ctrl, lid);
			if (info == NVMX_AER_NOTICE_FW_ACT_STARTING) {
				ev.type = NVMX_EVENT_FW_ACTIVATION;
				nvmx_warn("%s: firmware activation starting", ctrl->name);
				nvmx_ctrl_event(ctrl, &ev);
			}
		}
		break;
	default:
		consume_log(ctrl, lid);
		break;
	}
}

/* From the admin work (admin_lock held, not inside a transport poll). */
void nvmx_aen_work(struct nvmx_ctrl *ctrl)
{
	while (ctrl->aen_count && nvmx_ctrl_get_state(ctrl) == NVMX_CTRL_LIVE) {
		uint32_t dw0 = ctrl->aen_queue[ctrl->aen_head];

		ctrl->aen_head = (ctrl->aen_head + 1) % NVMX_AEN_QUEUE;
		ctrl->aen_count--;
		handle(ctrl, dw0);
	}
	aer_refill(ctrl);
}
