/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The controller state machine, guarded by one transition table (the shape
 * of Linux's nvme_change_ctrl_state):
 *   NEW -> CONNECTING -> LIVE
 *   LIVE -> RESETTING -> CONNECTING -> LIVE
 *   any -> DELETING;  failures -> DEAD
 * Every change goes through nvmx_ctrl_set_state() and is reported to the
 * application's event callback.
 */
#include <errno.h>

#include "host/internal.h"

#define B(s) (1u << (s))

/* allowed[to] = set of states it may be entered from. */
static const unsigned int allowed_from[] = {
	[NVMX_CTRL_NEW]        = 0,
	[NVMX_CTRL_CONNECTING] = B(NVMX_CTRL_NEW) | B(NVMX_CTRL_RESETTING),
	[NVMX_CTRL_LIVE]       = B(NVMX_CTRL_CONNECTING),
	[NVMX_CTRL_RESETTING]  = B(NVMX_CTRL_LIVE),
	[NVMX_CTRL_DELETING]   = B(NVMX_CTRL_NEW) | B(NVMX_CTRL_CONNECTING) | B(NVMX_CTRL_LIVE) |
				 B(NVMX_CTRL_RESETTING) | B(NVMX_CTRL_DEAD),
	[NVMX_CTRL_DEAD]       = B(NVMX_CTRL_NEW) | B(NVMX_CTRL_CONNECTING) | B(NVMX_CTRL_LIVE) |
				 B(NVMX_CTRL_RESETTING) | B(NVMX_CTRL_DELETING),
};

static const char *const state_names[] = {
	[NVMX_CTRL_NEW] = "new",
	[NVMX_CTRL_CONNECTING] = "connecting",
	[NVMX_CTRL_LIVE] = "live",
	[NVMX_CTRL_RESETTING] = "resetting",
	[NVMX_CTRL_DELETING] = "deleting",
	[NVMX_CTRL_DEAD] = "dead",
};

const char *nvmx_ctrl_state_str(enum nvmx_ctrl_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

bool nvmx_ctrl_state_allowed(enum nvmx_ctrl_state from, enum nvmx_ctrl_state to)
{
	if ((unsigned int)to > NVMX_CTRL_DEAD || (unsigned int)from > NVMX_CTRL_DEAD)
		return false;
	return (allowed_from[to] & B(from)) != 0;
}

void nvmx_ctrl_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev)
{
	if (ctrl->opts.event_cb)
		ctrl->opts.event_cb(ctrl, ev, ctrl->opts.event_arg);
}

int nvmx_ctrl_set_state(struct nvmx_ctrl *ctrl, enum nvmx_ctrl_state to)
{
	enum nvmx_ctrl_state from;
	struct nvmx_event ev = { .type = NVMX_EVENT_STATE };

	pthread_mutex_lock(&ctrl->state_lock);
	from = (enum nvmx_ctrl_state)atomic_load(&ctrl->state);
	if (!nvmx_ctrl_state_allowed(from, to)) {
		pthread_mutex_unlock(&ctrl->state_lock);
		nvmx_debug("%s: state %s -> %s refused", ctrl->name, nvmx_ctrl_state_str(from),
			   nvmx_ctrl_state_str(to));
		return -EBUSY;
	}
	atomic_store(&ctrl->state, (int)to);
	pthread_mutex_unlock(&ctrl->state_lock);
	nvmx_info("%s: state %s -> %s", ctrl->name, nvmx_ctrl_state_str(from), nvmx_ctrl_state_str(to));
	ev.u.state.old_state = from;
	ev.u.state.new_state = to;
	nvmx_ctrl_event(ctrl, &ev);
	return 0;
}

enum nvmx_ctrl_state nvmx_ctrl_get_state(const struct nvmx_ctrl *ctrl)
{
	return (enum nvmx_ctrl_state)atomic_load(&((struct nvmx_ctrl *)ctrl)->state);
}
