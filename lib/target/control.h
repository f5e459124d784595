/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the control socket's server (control.c) and its methods. */
#ifndef NVMX_TARGET_CONTROL_H
#define NVMX_TARGET_CONTROL_H

#include <json-c/json.h>

struct nvmx_tgt;

/* One JSON-RPC 2.0 request line in; the response object out (caller puts it). */
json_object *nvmx_tgt_rpc_handle(struct nvmx_tgt *t, const char *line);

#endif
