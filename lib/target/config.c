/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load the JSON that Linux's `nvmetcli save` writes:
 *
 *   hosts[]:      { nqn }
 *   ports[]:      { portid, addr { trtype, adrfam, traddr, trsvcid, treq, tsas },
 *                   param {...}, referrals[], ana_groups[], subsystems[] }
 *   subsystems[]: { nqn, attr { allow_any_host, serial, model, ... },
 *                   allowed_hosts[], namespaces[] { nsid, enable,
 *                   device { path, nguid, uuid }, ana_grpid } }
 *
 * What we cannot honour (non-TCP ports, referrals, PI, ANA groups other
 * than the default, ...) is a warning naming the JSON path; what is wrong
 * (a missing NQN, a namespace path that does not open, a subsystem a port
 * names but nobody defines) is an error naming it, and nothing is started.
 */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <string.h>

#include "target/core.h"
#include "util/log.h"

struct cfg {
	struct nvmx_tgt *t;
	char *err;
	unsigned errlen;
	json_object *hosts;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct cfg *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (unsigned)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (unsigned)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void warn_unsupported(const char *path, const char *what)
{
	nvmx_warn("config %s: %s is not supported; ignored", path, what);
}

static json_object *get(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static bool has(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v);
}

/* nvmetcli writes attributes as strings ("0"/"1"), some as numbers. */
static int get_int(json_object *o, const char *key, long *out)
{
	json_object *v;
	char *end;

	if (!json_object_object_get_ex(o, key, &v))
		return -ENOENT;
	if (json_object_is_type(v, json_type_int)) {
		*out = (long)json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);

		*out = strtol(s, &end, 0);
		return *s && !*end ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* "0123...-..." (32 hex digits, dashes anywhere) into 16 bytes. */
static int parse_guid(const char *s, uint8_t out[16])
{
	unsigned n = 0;

	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (!isxdigit((unsigned char)*s) || n == 32)
			return -EINVAL;
		out[n / 2] = (uint8_t)((out[n / 2] << 4) |
				       (isdigit((unsigned char)*s) ? *s - '0' : (tolower(*s) - 'a' + 10)));
		n++;
	}
	return n == 32 ? 0 : -EINVAL;
}

static bool all_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool host_defined(struct cfg *c, const char *nqn)
{
	size_t n = c->hosts ? json_object_array_length(c->hosts) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *h = get(json_object_array_get_idx(c->hosts, i), "nqn", json_type_string);

		if (h && strcmp(json_object_get_string(h), nqn) == 0)
			return true;
	}
	return false;
}

static int load_ns(struct cfg *c, struct nvmx_tgt_subsys *s, json_object *ns, const char *path)
{
	json_object *dev = get(ns, "device", json_type_object), *v;
	uint8_t nguid[16] = { 0 }, uuid[16] = { 0 };
	bool have_nguid = false, have_uuid = false;
	struct nvmx_bdev *b;
	char p2[192];
	long nsid, en = 1, grp;
	int rc;

	if (get_int(ns, "nsid", &nsid) || nsid < 1 || nsid > NVMX_TGT_MAX_NSID)
		return fail(c, path, "nsid missing or not in 1..%u", NVMX_TGT_MAX_NSID);
	if (has(ns, "enable") && get_int(ns, "enable", &en))
		return fail(c, path, "enable must be 0 or 1");
	if (!get_int(ns, "ana_grpid", &grp) && grp != 1)
		warn_unsupported(path, "ana_grpid other than 1");
	if (!dev)
		return fail(c, path, "device missing");
	snprintf(p2, sizeof(p2), "%s.device", path);
	if ((v = get(dev, "nguid", json_type_string)) != NULL) {
		if (parse_guid(json_object_get_string(v), nguid))
			return fail(c, p2, "nguid '%s' is not 32 hex digits", json_object_get_string(v));
		have_nguid = !all_zero(nguid, 16);
	}
	if ((v = get(dev, "uuid", json_type_string)) != NULL) {
		if (parse_guid(json_object_get_string(v), uuid))
			return fail(c, p2, "uuid '%s' is not a UUID", json_object_get_string(v));
		have_uuid = !all_zero(uuid, 16);
	}
	if (has(dev, "p2pmem") && json_object_get_boolean(json_object_object_get(dev, "p2pmem")))
		warn_unsupported(p2, "p2pmem");
	if (!en) {
		nvmx_info("config %s: namespace %ld disabled", path, nsid);
		return 0;
	}
	v = get(dev, "path", json_type_string);
	if (!v || !json_object_get_string(v)[0])
		return fail(c, p2, "path missing");
	rc = nvmx_bdev_open_file(json_object_get_string(v), 0, 512, 0, &b);
	if (rc)
		return fail(c, p2, "path '%s': %s", json_object_get_string(v), strerror(-rc));
	rc = nvmx_tgt_ns_add(s, (uint32_t)nsid, b, have_nguid ? nguid : NULL, have_uuid ? uuid : NULL);
	if (rc)
		return fail(c, path, "namespace %ld: %s", nsid, strerror(-rc));
	return 0;
}

static const char *const subsys_attr_ignored[] = {
	"cntlid_min", "cntlid_max", "qid_max", "version", "firmware", "ieee_oui",
};

static int load_subsys_attr(struct cfg *c, struct nvmx_tgt_subsys *s, json_object *attr,
			    const char *path)
{
	json_object *v;
	long any;

	if (!attr)
		return 0;
	if (!get_int(attr, "allow_any_host", &any))
		nvmx_tgt_subsys_set_allow_any(s, any != 0);
	else if (has(attr, "allow_any_host"))
		return fail(c, path, "allow_any_host must be \"0\" or \"1\"");
	if ((v = get(attr, "serial", json_type_string)) &&
	    nvmx_tgt_subsys_set_ids(s, json_object_get_string(v), NULL))
		return fail(c, path, "serial longer than 20 characters");
	if ((v = get(attr, "model", json_type_string)) &&
	    nvmx_tgt_subsys_set_ids(s, NULL, json_object_get_string(v)))
		return fail(c, path, "model longer than 40 characters");
	if (!get_int(attr, "pi_enable", &any) && any)
		warn_unsupported(path, "pi_enable");
	for (unsigned i = 0; i < sizeof(subsys_attr_ignored) / sizeof(*subsys_attr_ignored); i++)
		if (has(attr, subsys_attr_ignored[i]))
			nvmx_debug("config %s.%s: kept at nvmxd's value", path, subsys_attr_ignored[i]);
	return 0;
}

static int load_subsys(struct cfg *c, json_object *o, const char *path)
{
	json_object *nqn = get(o, "nqn", json_type_string), *v;
	struct nvmx_tgt_subsys *s;
	char p2[160];
	int rc;

	if (!nqn)
		return fail(c, path, "nqn missing");
	rc = nvmx_tgt_subsys_add(c->t, json_object_get_string(nqn), &s);
	if (rc)
		return fail(c, path, "subsystem '%s': %s", json_object_get_string(nqn),
			    rc == -EEXIST ? "defined twice" : "invalid NQN");
	snprintf(p2, sizeof(p2), "%s.attr", path);
	if ((rc = load_subsys_attr(c, s, get(o, "attr", json_type_object), p2)) != 0)
		return rc;
	v = get(o, "allowed_hosts", json_type_array);
	for (size_t i = 0; v && i < json_object_array_length(v); i++) {
		json_object *h = json_object_array_get_idx(v, i);

		snprintf(p2, sizeof(p2), "%s.allowed_hosts[%zu]", path, i);
		if (!json_object_is_type(h, json_type_string))
			return fail(c, p2, "not a string");
		if (!host_defined(c, json_object_get_string(h)))
			return fail(c, p2, "host '%s' is not in hosts[]", json_object_get_string(h));
		if (nvmx_tgt_subsys_allow_host(s, json_object_get_string(h)))
			return fail(c, p2, "invalid host NQN");
	}
	v = get(o, "namespaces", json_type_array);
	for (size_t i = 0; v && i < json_object_array_length(v); i++) {
		snprintf(p2, sizeof(p2), "%s.namespaces[%zu]", path, i);
		if ((rc = load_ns(c, s, json_object_array_get_idx(v, i), p2)) != 0)
			return rc;
	}
	return 0;
}

static int load_port_addr(struct cfg *c, json_object *addr, const char *path,
			  const char **traddr, const char **trsvcid)
{
	json_object *v;
	const char *s;

	if (!addr)
		return fail(c, path, "addr missing");
	v = get(addr, "trtype", json_type_string);
	if (!v)
		return fail(c, path, "addr.trtype missing");
	if (strcmp(json_object_get_string(v), "tcp") != 0)
		return 1;	/* not ours: skipped with a warning */
	v = get(addr, "adrfam", json_type_string);
	if (v && strcmp(json_object_get_string(v), "ipv4") && strcmp(json_object_get_string(v), "ipv6"))
		return fail(c, path, "addr.adrfam '%s' is not ipv4 or ipv6", json_object_get_string(v));
	v = get(addr, "traddr", json_type_string);
	if (!v)
		return fail(c, path, "addr.traddr missing");
	*traddr = json_object_get_string(v);
	v = get(addr, "trsvcid", json_type_string);
	*trsvcid = v ? json_object_get_string(v) : "4420";
	if ((v = get(addr, "tsas", json_type_string)) && (s = json_object_get_string(v)) &&
	    strcmp(s, "none") && strcmp(s, "not specified"))
		warn_unsupported(path, "addr.tsas (TLS)");
	if ((v = get(addr, "treq", json_type_string)) && (s = json_object_get_string(v)) &&
	    strcmp(s, "not specified") && strcmp(s, "not required"))
		warn_unsupported(path, "addr.treq 'required'");
	return 0;
}

static int load_port(struct cfg *c, json_object *o, const char *path)
{
	json_object *subs = get(o, "subsystems", json_type_array), *v;
	const char *traddr = NULL, *trsvcid = NULL;
	struct nvmx_tgt_port *p;
	char p2[160];
	long portid;
	int rc;

	if (get_int(o, "portid", &portid) || portid < 0 || portid > 0xffff)
		return fail(c, path, "portid missing or not in 0..65535");
	snprintf(p2, sizeof(p2), "%s.addr", path);
	rc = load_port_addr(c, get(o, "addr", json_type_object), path, &traddr, &trsvcid);
	if (rc < 0)
		return rc;
	if (rc > 0) {
		warn_unsupported(p2, "a transport other than tcp");
		return 0;
	}
	if ((v = get(o, "referrals", json_type_array)) && json_object_array_length(v))
		warn_unsupported(path, "referrals");
	if ((v = get(o, "ana_groups", json_type_array)) && json_object_array_length(v) > 1)
		warn_unsupported(path, "ANA groups");
	if (has(o, "param"))
		nvmx_debug("config %s.param: nvmxd's own values are used", path);
	rc = nvmx_tgt_port_add(c->t, (uint16_t)portid, traddr, trsvcid, &p);
	if (rc)
		return fail(c, p2, "invalid address");
	for (size_t i = 0; subs && i < json_object_array_length(subs); i++) {
		json_object *n = json_object_array_get_idx(subs, i);
		struct nvmx_tgt_subsys *s;

		snprintf(p2, sizeof(p2), "%s.subsystems[%zu]", path, i);
		if (!json_object_is_type(n, json_type_string))
			return fail(c, p2, "not a string");
		s = nvmx_tgt_subsys_find(c->t, json_object_get_string(n));
		if (!s || s == c->t->disc)
			return fail(c, p2, "subsystem '%s' is not defined", json_object_get_string(n));
		nvmx_tgt_port_link(p, s);
	}
	return 0;
}

static int load(struct cfg *c, json_object *root)
{
	json_object *v;
	char path[64];
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return fail(c, "$", "not a JSON object");
	c->hosts = get(root, "hosts", json_type_array);
	for (size_t i = 0; c->hosts && i < json_object_array_length(c->hosts); i++) {
		snprintf(path, sizeof(path), "hosts[%zu]", i);
		if (!get(json_object_array_get_idx(c->hosts, i), "nqn", json_type_string))
			return fail(c, path, "nqn missing");
	}
	v = get(root, "subsystems", json_type_array);
	for (size_t i = 0; v && i < json_object_array_length(v); i++) {
		snprintf(path, sizeof(path), "subsystems[%zu]", i);
		if ((rc = load_subsys(c, json_object_array_get_idx(v, i), path)) != 0)
			return rc;
	}
	v = get(root, "ports", json_type_array);
	for (size_t i = 0; v && i < json_object_array_length(v); i++) {
		snprintf(path, sizeof(path), "ports[%zu]", i);
		if ((rc = load_port(c, json_object_array_get_idx(v, i), path)) != 0)
			return rc;
	}
	if (!c->t->ports)
		return fail(c, "ports", "no TCP port defined");
	return 0;
}

int nvmx_tgt_load_config(struct nvmx_tgt *t, const char *path, char *err, unsigned errlen)
{
	struct cfg c = { .t = t, .err = err, .errlen = errlen };
	json_object *root = json_object_from_file(path);
	int rc;

	if (!root) {
		snprintf(err, errlen, "cannot read or parse: %s", json_util_get_last_err());
		return -EINVAL;
	}
	rc = load(&c, root);
	json_object_put(root);
	return rc;
}
