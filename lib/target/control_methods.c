/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control socket's JSON-RPC 2.0 methods: list_subsystems,
 * list_controllers, list_connections, stats, loop_stats, ns_add, ns_remove, ns_resize,
 * set_health, aen_raise, fault_drop, fault_delay, fault_close,
 * fault_corrupt_digest, fault_clear.  Each goes through the same locked slow paths as Connect.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "target/control.h"
#include "target/core.h"
#include "util/log.h"

enum { RPC_PARSE = -32700, RPC_INVALID = -32600, RPC_NO_METHOD = -32601,
       RPC_PARAMS = -32602, RPC_FAILED = -32000 };

struct rpc_err {
	int code;
	char msg[256];
};

static json_object *rpc_fail(struct rpc_err *e, int code, const char *fmt, const char *arg)
{
	e->code = code;
	snprintf(e->msg, sizeof(e->msg), fmt, arg ? arg : "");
	return NULL;
}

/* ---- parameters ---- */

static const char *p_str(json_object *p, const char *k)
{
	json_object *v;

	return p && json_object_object_get_ex(p, k, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static bool p_int(json_object *p, const char *k, int64_t *out)
{
	json_object *v;

	if (!p || !json_object_object_get_ex(p, k, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

/* Sizes may be numbers or strings such as "1G". */
static bool p_size(json_object *p, const char *k, uint64_t *out)
{
	int64_t v;
	const char *s = p_str(p, k);

	if (s)
		return nvmx_parse_size(s, out) == 0;
	if (!p_int(p, k, &v) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

static struct nvmx_tgt_subsys *p_subsys(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	const char *nqn = p_str(p, "subnqn");
	struct nvmx_tgt_subsys *s;

	if (!nqn) {
		pthread_mutex_lock(&t->lock);
		s = t->subsys && !t->subsys->next ? t->subsys : NULL;	/* the only one */
		pthread_mutex_unlock(&t->lock);
		if (!s)
			rpc_fail(e, RPC_PARAMS, "subnqn is required%s", "");
		return s;
	}
	s = nvmx_tgt_subsys_find(t, nqn);
	if (!s || s == t->disc)
		rpc_fail(e, RPC_PARAMS, "no subsystem %s", nqn);
	return s == t->disc ? NULL : s;
}

/* ---- listing ---- */

static json_object *ns_json(struct nvmx_tgt_ns *ns)
{
	json_object *o = json_object_new_object();
	char g[33];

	for (int i = 0; i < 16; i++)
		snprintf(g + 2 * i, 3, "%02x", ns->nguid[i]);
	json_object_object_add(o, "nsid", json_object_new_int64(ns->nsid));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)ns->bdev->size));
	json_object_object_add(o, "block_size", json_object_new_int64(ns->bdev->blksz));
	json_object_object_add(o, "backend", json_object_new_string(ns->bdev->desc));
	json_object_object_add(o, "nguid", json_object_new_string(g));
	return o;
}

static json_object *m_list_subsystems(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	json_object *arr = json_object_new_array();

	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s->next) {
		json_object *o = json_object_new_object(), *hosts = json_object_new_array(),
			    *nss = json_object_new_array();

		json_object_object_add(o, "nqn", json_object_new_string(s->nqn));
		json_object_object_add(o, "serial", json_object_new_string(s->serial));
		json_object_object_add(o, "allow_any_host", json_object_new_boolean(s->allow_any));
		for (unsigned i = 0; i < s->nhosts; i++)
			json_object_array_add(hosts, json_object_new_string(s->hosts[i].nqn));
		json_object_object_add(o, "allowed_hosts", hosts);
		for (uint32_t i = 1; i <= NVMX_TGT_MAX_NSID; i++) {
			struct nvmx_tgt_ns *ns = nvmx_tgt_ns_get(s, i);

			if (ns)
				json_object_array_add(nss, ns_json(ns));
		}
		json_object_object_add(o, "namespaces", nss);
		json_object_array_add(arr, o);
	}
	pthread_mutex_unlock(&t->lock);
	return arr;
}

static json_object *ctrl_json(struct nvmx_tgt_ctrl *c, bool conns)
{
	json_object *o = json_object_new_object(), *qs = json_object_new_array();

	pthread_mutex_lock(&c->lock);
	json_object_object_add(o, "cntlid", json_object_new_int(c->cntlid));
	json_object_object_add(o, "subnqn", json_object_new_string(c->subsys->nqn));
	json_object_object_add(o, "hostnqn", json_object_new_string(c->hostnqn));
	json_object_object_add(o, "kato_ms", json_object_new_int64(c->kato_ms));
	json_object_object_add(o, "csts", json_object_new_int64(c->csts));
	json_object_object_add(o, "errors", json_object_new_int64((int64_t)c->err_count));
	for (unsigned i = 0; i <= NVMX_TGT_MAX_QUEUES; i++) {
		struct nvmx_tgt_queue *q = c->queues[i];
		json_object *qo;

		if (!q)
			continue;
		if (!conns) {
			json_object_array_add(qs, json_object_new_int((int)i));
			continue;
		}
		qo = json_object_new_object();
		json_object_object_add(qo, "qid", json_object_new_int((int)i));
		json_object_object_add(qo, "peer", json_object_new_string(q->peer));
		json_object_object_add(qo, "size", json_object_new_int(q->size));
		json_object_object_add(qo, "commands",
			json_object_new_int64((int64_t)__atomic_load_n(&q->cmds, __ATOMIC_RELAXED)));
		json_object_array_add(qs, qo);
	}
	json_object_object_add(o, conns ? "connections" : "queues", qs);
	pthread_mutex_unlock(&c->lock);
	return o;
}

static json_object *list_ctrls(struct nvmx_tgt *t, bool conns)
{
	json_object *arr = json_object_new_array();

	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s ? s->next : NULL) {
		for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next)
			json_object_array_add(arr, ctrl_json(c, conns));
	}
	for (struct nvmx_tgt_ctrl *c = t->disc->ctrls; c; c = c->next)
		json_object_array_add(arr, ctrl_json(c, conns));
	pthread_mutex_unlock(&t->lock);
	return arr;
}

static json_object *m_list_controllers(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	return list_ctrls(t, false);
}

static json_object *m_list_connections(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	return list_ctrls(t, true);
}

static json_object *m_stats(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	json_object *arr = json_object_new_array();
	struct nvmx_tgt_subsys *v[64];
	unsigned n = 0;

	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_subsys *s = t->subsys; s && n < 64; s = s->next)
		v[n++] = s;
	pthread_mutex_unlock(&t->lock);
	for (unsigned i = 0; i < n; i++) {
		struct nvmx_tgt_counters sum;
		json_object *o = json_object_new_object();

		nvmx_tgt_smart_sum(v[i], &sum);
		json_object_object_add(o, "nqn", json_object_new_string(v[i]->nqn));
		json_object_object_add(o, "read_commands", json_object_new_int64((int64_t)sum.read_cmds));
		json_object_object_add(o, "write_commands", json_object_new_int64((int64_t)sum.write_cmds));
		json_object_object_add(o, "bytes_read", json_object_new_int64((int64_t)sum.bytes_read));
		json_object_object_add(o, "bytes_written", json_object_new_int64((int64_t)sum.bytes_written));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Per event loop: passes, empty passes, and the seconds spent spinning
 * or asleep in them (the rest of the loop's time was work). */
static json_object *m_loop_stats(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	json_object *arr = json_object_new_array();
	struct nvmx_tgt_loop_stats st;

	(void)p;
	(void)e;
	for (unsigned i = 0; nvmx_tgt_loop_get_stats(t, i, &st) == 0; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "loop", json_object_new_int((int)i));
		json_object_object_add(o, "busy_poll", json_object_new_boolean(st.busy_poll));
		json_object_object_add(o, "polls", json_object_new_int64((int64_t)st.polls));
		json_object_object_add(o, "idle_polls", json_object_new_int64((int64_t)st.idle_polls));
		json_object_object_add(o, "spin_seconds", json_object_new_double((double)st.spin_ns / 1e9));
		json_object_object_add(o, "sleep_seconds", json_object_new_double((double)st.sleep_ns / 1e9));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* ---- namespaces and health ---- */

static json_object *m_ns_add(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	struct nvmx_tgt_subsys *s = p_subsys(t, p, e);
	const char *file = p_str(p, "file");
	uint64_t size = 0;
	int64_t nsid, bs = 512;
	struct nvmx_bdev *b;
	int rc;

	if (!s)
		return NULL;
	if (!p_int(p, "nsid", &nsid) || nsid < 1 || nsid > NVMX_TGT_MAX_NSID)
		return rpc_fail(e, RPC_PARAMS, "nsid must be 1..1024%s", "");
	p_int(p, "block_size", &bs);
	if (file)
		rc = nvmx_bdev_open_file(file, p_size(p, "size", &size) ? size : 0, (uint32_t)bs,
					 p_size(p, "size", &size) ? NVMX_BDEV_CREATE : 0, &b);
	else if (p_size(p, "ram", &size))
		rc = nvmx_bdev_open_ram(size, (uint32_t)bs, &b);
	else if (p_size(p, "null", &size))
		rc = nvmx_bdev_open_null(size, (uint32_t)bs, &b);
	else
		return rpc_fail(e, RPC_PARAMS, "give ram, null (sizes) or file%s", "");
	if (rc)
		return rpc_fail(e, RPC_FAILED, "backend: %s", strerror(-rc));
	rc = nvmx_tgt_ns_add(s, (uint32_t)nsid, b, NULL, NULL);
	if (rc)
		return rpc_fail(e, RPC_FAILED, "namespace: %s", strerror(-rc));
	return json_object_new_boolean(1);
}

static json_object *m_ns_remove(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	struct nvmx_tgt_subsys *s = p_subsys(t, p, e);
	int64_t nsid;
	int rc;

	if (!s)
		return NULL;
	if (!p_int(p, "nsid", &nsid))
		return rpc_fail(e, RPC_PARAMS, "nsid is required%s", "");
	rc = nvmx_tgt_ns_remove(s, (uint32_t)nsid);
	return rc ? rpc_fail(e, RPC_FAILED, "%s", strerror(-rc)) : json_object_new_boolean(1);
}

static json_object *m_ns_resize(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	struct nvmx_tgt_subsys *s = p_subsys(t, p, e);
	uint64_t size;
	int64_t nsid;
	int rc;

	if (!s)
		return NULL;
	if (!p_int(p, "nsid", &nsid) || !p_size(p, "size", &size))
		return rpc_fail(e, RPC_PARAMS, "nsid and size are required%s", "");
	rc = nvmx_tgt_ns_resize(s, (uint32_t)nsid, size);
	return rc ? rpc_fail(e, RPC_FAILED, "%s", strerror(-rc)) : json_object_new_boolean(1);
}

static json_object *m_set_health(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	struct nvmx_tgt_subsys *s = p_subsys(t, p, e);
	int64_t temp = -1, spare = -1, cw = -1;

	if (!s)
		return NULL;
	p_int(p, "temperature", &temp);
	p_int(p, "available_spare", &spare);
	p_int(p, "critical_warning", &cw);
	if (temp < -1 || temp > 0xffff || spare < -1 || spare > 100 || cw < -1 || cw > 0xff)
		return rpc_fail(e, RPC_PARAMS, "temperature (K), available_spare (0-100), "
				"critical_warning (0-255)%s", "");
	nvmx_tgt_set_health(s, (int)temp, (int)spare, (int)cw);
	return json_object_new_boolean(1);
}

/* Any asynchronous event, as the controller would raise it (subject to
 * the host's Asynchronous Event Configuration and the per-type masking):
 * e.g. an error event for the host's error-log path. */
static json_object *m_aen_raise(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	struct nvmx_tgt_subsys *s = p_subsys(t, p, e);
	int64_t type, info = 0, lid = 0;

	if (!s)
		return NULL;
	if (!p_int(p, "type", &type) || type < 0 || type > 7 || (p_int(p, "info", &info) &&
	    (info < 0 || info > 0xff)) || (p_int(p, "lid", &lid) && (lid < 0 || lid > 0xff)))
		return rpc_fail(e, RPC_PARAMS, "type (0-7), info (0-255), lid (0-255)%s", "");
	nvmx_tgt_aen_raise_all(s, (unsigned)type, (unsigned)info, (unsigned)lid);
	return json_object_new_boolean(1);
}

/* ---- faults ---- */

static void arm(struct nvmx_tgt *t)
{
	struct nvmx_tgt_faults *f = &t->faults;

	atomic_store(&t->fault_armed, f->drop_count > 0 || f->delay_ms || f->corrupt_ddgst > 0);
}

static json_object *m_fault_drop(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	int64_t opc, count = 1;
	json_object *v;
	bool admin = false;

	if (!p_int(p, "opcode", &opc) || opc < 0 || opc > 0xff)
		return rpc_fail(e, RPC_PARAMS, "opcode (0-255) is required%s", "");
	p_int(p, "count", &count);
	if (p && json_object_object_get_ex(p, "admin", &v))
		admin = json_object_get_boolean(v);
	pthread_mutex_lock(&t->fault_lock);
	t->faults.drop_opc = (int)opc;
	t->faults.drop_count = (int)count;
	t->faults.drop_admin = admin;
	arm(t);
	pthread_mutex_unlock(&t->fault_lock);
	return json_object_new_boolean(1);
}

static json_object *m_fault_delay(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	int64_t ms;

	if (!p_int(p, "ms", &ms) || ms < 0 || ms > 600000)
		return rpc_fail(e, RPC_PARAMS, "ms (0-600000) is required%s", "");
	pthread_mutex_lock(&t->fault_lock);
	t->faults.delay_ms = (unsigned)ms;
	arm(t);
	pthread_mutex_unlock(&t->fault_lock);
	return json_object_new_boolean(1);
}

static json_object *m_fault_corrupt(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	int64_t count = 1;

	p_int(p, "count", &count);
	pthread_mutex_lock(&t->fault_lock);
	t->faults.corrupt_ddgst = (int)count;
	arm(t);
	pthread_mutex_unlock(&t->fault_lock);
	return json_object_new_boolean(1);
}

static json_object *m_fault_clear(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	pthread_mutex_lock(&t->fault_lock);
	memset(&t->faults, 0, sizeof(t->faults));
	arm(t);
	pthread_mutex_unlock(&t->fault_lock);
	return json_object_new_boolean(1);
}

static json_object *m_fault_close(struct nvmx_tgt *t, json_object *p, struct rpc_err *e)
{
	int64_t cntlid;
	int n = 0;

	if (!p_int(p, "cntlid", &cntlid))
		return rpc_fail(e, RPC_PARAMS, "cntlid is required%s", "");
	pthread_mutex_lock(&t->lock);
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s->next)
		for (struct nvmx_tgt_ctrl *c = s->ctrls; c; c = c->next)
			if (c->cntlid == cntlid) {
				nvmx_tgt_ctrl_kill(c, "closed from the control socket");
				n++;
			}
	pthread_mutex_unlock(&t->lock);
	return n ? json_object_new_boolean(1) : rpc_fail(e, RPC_FAILED, "no controller %s", "");
}

static const struct {
	const char *name;
	json_object *(*fn)(struct nvmx_tgt *, json_object *, struct rpc_err *);
} methods[] = {
	{ "list_subsystems", m_list_subsystems },
	{ "list_controllers", m_list_controllers },
	{ "list_connections", m_list_connections },
	{ "stats", m_stats },
	{ "loop_stats", m_loop_stats },
	{ "ns_add", m_ns_add },
	{ "ns_remove", m_ns_remove },
	{ "ns_resize", m_ns_resize },
	{ "set_health", m_set_health },
	{ "aen_raise", m_aen_raise },
	{ "fault_drop", m_fault_drop },
	{ "fault_delay", m_fault_delay },
	{ "fault_close", m_fault_close },
	{ "fault_corrupt_digest", m_fault_corrupt },
	{ "fault_clear", m_fault_clear },
};

/* One request line in, one response object out. */
json_object *nvmx_tgt_rpc_handle(struct nvmx_tgt *t, const char *line)
{
	json_object *req = json_tokener_parse(line), *resp = json_object_new_object(), *id = NULL,
		    *m, *params = NULL, *result = NULL;
	struct rpc_err e = { RPC_NO_METHOD, "method not found" };

	json_object_object_add(resp, "jsonrpc", json_object_new_string("2.0"));
	if (!req) {
		rpc_fail(&e, RPC_PARSE, "parse error%s", "");
	} else if (!json_object_is_type(req, json_type_object) ||
		   !json_object_object_get_ex(req, "method", &m) ||
		   !json_object_is_type(m, json_type_string)) {
		rpc_fail(&e, RPC_INVALID, "invalid request%s", "");
	} else {
		json_object_object_get_ex(req, "id", &id);
		json_object_object_get_ex(req, "params", &params);
		if (params && !json_object_is_type(params, json_type_object)) {
			rpc_fail(&e, RPC_PARAMS, "params must be an object%s", "");
		} else {
			for (unsigned i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
				if (strcmp(methods[i].name, json_object_get_string(m)) == 0)
					result = methods[i].fn(t, params, &e);
		}
	}
	if (result) {
		json_object_object_add(resp, "result", result);
	} else {
		json_object *err = json_object_new_object();

		json_object_object_add(err, "code", json_object_new_int(e.code));
		json_object_object_add(err, "message", json_object_new_string(e.msg));
		json_object_object_add(resp, "error", err);
	}
	json_object_object_add(resp, "id", id ? json_object_get(id) : NULL);
	json_object_put(req);
	return resp;
}
