/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transport IDs: tcp://HOST[:PORT][/SUBNQN], pcie://DOMAIN:BUS:DEV.FN and
 * SPDK's "trtype:TCP adrfam:IPv4 traddr:... trsvcid:... subnqn:..." form.
 * Errors name the part that is wrong.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/trid.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const char *nvmx_trtype_str(int t)
{
	switch (t) {
	case NVMX_TRTYPE_TCP: return "tcp";
	case NVMX_TRTYPE_PCIE: return "pcie";
	default: return "none";
	}
}

int nvmx_parse_port(const char *s, unsigned int *port)
{
	char *end;
	unsigned long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 65535)
		return -EINVAL;
	*port = (unsigned int)v;
	return 0;
}

/* Copy at most n bytes of src into dst[cap]; -ENAMETOOLONG if it does not fit. */
static int copy_part(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int check_nqn(const char *nqn, char *err, size_t errlen)
{
	size_t n = strlen(nqn);

	if (n == 0)
		return fail(err, errlen, "empty subsystem NQN");
	if (n > NVMX_NQN_MAX)
		return fail(err, errlen, "subsystem NQN '%.40s...' is %zu bytes, longer than %d",
			    nqn, n, NVMX_NQN_MAX);
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)nqn[i]))
			return fail(err, errlen, "subsystem NQN '%s' has a blank or control character at %zu",
				    nqn, i);
	return 0;
}

/* Validate traddr as an IP literal; set adrfam. */
static int check_ip(struct nvmx_trid *t, char *err, size_t errlen)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, t->traddr, a) == 1) {
		t->adrfam = NVMX_ADRFAM_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, t->traddr, a) == 1) {
		t->adrfam = NVMX_ADRFAM_IPV6;
		return 0;
	}
	return fail(err, errlen, "bad address '%s': not an IPv4 or IPv6 literal", t->traddr);
}

static int parse_tcp_url(struct nvmx_trid *t, const char *s, char *err, size_t errlen)
{
	const char *host = s, *hend, *p;
	unsigned int port = NVMX_DEFAULT_TCP_PORT;

	t->trtype = NVMX_TRTYPE_TCP;
	if (*host == '[') {
		hend = strchr(host, ']');
		if (!hend)
			return fail(err, errlen, "bad address '%s': '[' without ']'", host);
		if (copy_part(t->traddr, sizeof(t->traddr), host + 1, (size_t)(hend - host - 1)))
			return fail(err, errlen, "address too long");
		p = hend + 1;
		if (inet_pton(AF_INET6, t->traddr, (unsigned char[16]){ 0 }) != 1)
			return fail(err, errlen, "bad address '[%s]': not an IPv6 literal", t->traddr);
		t->adrfam = NVMX_ADRFAM_IPV6;
	} else {
		hend = host + strcspn(host, ":/");
		if (copy_part(t->traddr, sizeof(t->traddr), host, (size_t)(hend - host)))
			return fail(err, errlen, "address too long");
		p = hend;
		if (!t->traddr[0])
			return fail(err, errlen, "missing address after 'tcp://'");
		if (inet_pton(AF_INET, t->traddr, (unsigned char[4]){ 0 }) != 1)
			return fail(err, errlen, "bad address '%s': not an IPv4 literal (IPv6 goes in brackets)",
				    t->traddr);
		t->adrfam = NVMX_ADRFAM_IPV4;
	}
	if (*p == ':') {
		char pbuf[16];
		size_t n = strcspn(p + 1, "/");

		if (copy_part(pbuf, sizeof(pbuf), p + 1, n) || nvmx_parse_port(pbuf, &port))
			return fail(err, errlen, "bad port '%.*s': not a number in 1..65535",
				    (int)(n > 16 ? 16 : n), p + 1);
		p += 1 + n;
	} else if (*p && *p != '/') {
		return fail(err, errlen, "unexpected '%s' after the address", p);
	}
	snprintf(t->trsvcid, sizeof(t->trsvcid), "%u", port);
	if (*p == '/' && p[1]) {
		if (copy_part(t->subnqn, sizeof(t->subnqn), p + 1, strlen(p + 1)))
			return fail(err, errlen, "subsystem NQN is longer than %d bytes", NVMX_NQN_MAX);
		return check_nqn(t->subnqn, err, errlen);
	}
	/* No subsystem: the discovery controller (NVMe-oF 7.1). */
	strcpy(t->subnqn, NVMX_DISCOVERY_NQN);
	return 0;
}

static int parse_hex(const char *s, size_t n, unsigned int max, unsigned int *out)
{
	unsigned int v = 0;

	if (n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 16 + (unsigned int)(isdigit((unsigned char)s[i]) ? s[i] - '0'
					    : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* DOMAIN:BUS:DEV.FN or BUS:DEV.FN (domain 0), hex.  Normalised into traddr. */
static int parse_bdf(struct nvmx_trid *t, const char *s, char *err, size_t errlen)
{
	static const unsigned int max[] = { 0xffff, 0xff, 0x1f, 0x7 };
	static const char *const names[] = { "domain", "bus", "device", "function" };
	const char *start[4], *dot = strrchr(s, '.');
	size_t len[4];
	unsigned int v[4] = { 0 }, k = 0, first;
	const char *p = s;

	if (!dot)
		return fail(err, errlen, "bad PCI address '%s': expected DOMAIN:BUS:DEV.FN", s);
	/* The colon-separated fields before the dot, then the function. */
	for (;;) {
		const char *c = memchr(p, ':', (size_t)(dot - p));

		if (k == 3)
			return fail(err, errlen, "bad PCI address '%s': too many fields", s);
		start[k] = p;
		len[k++] = (size_t)((c ? c : dot) - p);
		if (!c)
			break;
		p = c + 1;
	}
	if (k < 2)
		return fail(err, errlen, "bad PCI address '%s': expected DOMAIN:BUS:DEV.FN", s);
	start[k] = dot + 1;
	len[k++] = strlen(dot + 1);
	first = 4 - k;
	for (unsigned int i = 0; i < k; i++)
		if (parse_hex(start[i], len[i], max[i + first], &v[i + first]))
			return fail(err, errlen, "bad PCI address '%s': %s '%.*s' is not hex up to %x",
				    s, names[i + first], (int)len[i], start[i], max[i + first]);
	snprintf(t->traddr, sizeof(t->traddr), "%04x:%02x:%02x.%x", v[0], v[1], v[2], v[3]);
	t->trtype = NVMX_TRTYPE_PCIE;
	t->adrfam = NVMX_ADRFAM_NONE;
	return 0;
}

static int spdk_set(struct nvmx_trid *t, const char *key, size_t klen, const char *val,
		    bool *have_adrfam, char *err, size_t errlen)
{
	if (klen == 6 && !strncasecmp(key, "trtype", 6)) {
		if (!strcasecmp(val, "tcp"))
			t->trtype = NVMX_TRTYPE_TCP;
		else if (!strcasecmp(val, "pcie"))
			t->trtype = NVMX_TRTYPE_PCIE;
		else
			return fail(err, errlen, "bad trtype '%s': expected TCP or PCIe", val);
	} else if (klen == 6 && !strncasecmp(key, "adrfam", 6)) {
		if (!strcasecmp(val, "ipv4"))
			t->adrfam = NVMX_ADRFAM_IPV4;
		else if (!strcasecmp(val, "ipv6"))
			t->adrfam = NVMX_ADRFAM_IPV6;
		else
			return fail(err, errlen, "bad adrfam '%s': expected IPv4 or IPv6", val);
		*have_adrfam = true;
	} else if (klen == 6 && !strncasecmp(key, "traddr", 6)) {
		if (copy_part(t->traddr, sizeof(t->traddr), val, strlen(val)))
			return fail(err, errlen, "traddr too long");
	} else if (klen == 7 && !strncasecmp(key, "trsvcid", 7)) {
		if (copy_part(t->trsvcid, sizeof(t->trsvcid), val, strlen(val)))
			return fail(err, errlen, "bad trsvcid '%.16s': too long", val);
	} else if (klen == 6 && !strncasecmp(key, "subnqn", 6)) {
		if (copy_part(t->subnqn, sizeof(t->subnqn), val, strlen(val)))
			return fail(err, errlen, "subnqn is longer than %d bytes", NVMX_NQN_MAX);
	} else if (klen == 2 && !strncasecmp(key, "ns", 2)) {
		/* SPDK allows ns:N in some tools; not part of the controller ID. */
	} else {
		return fail(err, errlen, "unknown key '%.*s' (expected trtype, adrfam, traddr, trsvcid, subnqn)",
			    (int)klen, key);
	}
	return 0;
}

static int parse_spdk(struct nvmx_trid *t, const char *s, char *err, size_t errlen)
{
	char tok[512];
	bool have_adrfam = false;
	int rc;

	while (*s) {
		size_t n = strcspn(s, " \t\n");

		if (n) {
			const char *sep;

			if (copy_part(tok, sizeof(tok), s, n))
				return fail(err, errlen, "token '%.20s...' too long", s);
			sep = tok + strcspn(tok, ":=");
			if (!*sep)
				return fail(err, errlen, "bad token '%s': expected key:value", tok);
			rc = spdk_set(t, tok, (size_t)(sep - tok), sep + 1, &have_adrfam, err, errlen);
			if (rc)
				return rc;
		}
		s += n;
		s += strspn(s, " \t\n");
	}
	if (t->trtype == NVMX_TRTYPE_NONE)
		return fail(err, errlen, "missing trtype");
	if (!t->traddr[0])
		return fail(err, errlen, "missing traddr");
	if (t->trtype == NVMX_TRTYPE_PCIE) {
		char addr[sizeof(t->traddr)];

		strcpy(addr, t->traddr);
		return parse_bdf(t, addr, err, errlen);
	}
	int want = t->adrfam;

	rc = check_ip(t, err, errlen);
	if (rc)
		return rc;
	if (have_adrfam && want != t->adrfam)
		return fail(err, errlen, "traddr '%s' is not an %s address", t->traddr,
			    want == NVMX_ADRFAM_IPV4 ? "IPv4" : "IPv6");
	if (!t->trsvcid[0])
		snprintf(t->trsvcid, sizeof(t->trsvcid), "%d", NVMX_DEFAULT_TCP_PORT);
	unsigned int port;

	if (nvmx_parse_port(t->trsvcid, &port))
		return fail(err, errlen, "bad trsvcid '%s': not a port in 1..65535", t->trsvcid);
	/* Canonical form, as the URL form stores it ("0402" -> "402"). */
	snprintf(t->trsvcid, sizeof(t->trsvcid), "%u", port);
	if (!t->subnqn[0])
		strcpy(t->subnqn, NVMX_DISCOVERY_NQN);
	return check_nqn(t->subnqn, err, errlen);
}

int nvmx_trid_parse(struct nvmx_trid *trid, const char *str, char *err, size_t errlen)
{
	struct nvmx_trid t;
	int rc;

	memset(&t, 0, sizeof(t));
	if (err && errlen)
		err[0] = '\0';
	if (!str || !*str)
		return fail(err, errlen, "empty transport ID");
	if (!strncasecmp(str, "tcp://", 6))
		rc = parse_tcp_url(&t, str + 6, err, errlen);
	else if (!strncasecmp(str, "pcie://", 7))
		rc = parse_bdf(&t, str + 7, err, errlen);
	else if (strcasestr(str, "trtype"))
		rc = parse_spdk(&t, str, err, errlen);
	else if (strstr(str, "://"))
		return fail(err, errlen, "unknown transport '%.*s' (expected tcp:// or pcie://)",
			    (int)(strstr(str, "://") - str), str);
	else
		return fail(err, errlen, "'%s' is not a transport ID (expected tcp://HOST:PORT/NQN, "
			    "pcie://DDDD:BB:DD.F or 'trtype:TCP traddr:...')", str);
	if (rc == 0)
		*trid = t;
	return rc;
}

int nvmx_trid_format(const struct nvmx_trid *t, char *buf, size_t len)
{
	switch (t->trtype) {
	case NVMX_TRTYPE_TCP:
		if (t->adrfam == NVMX_ADRFAM_IPV6)
			return snprintf(buf, len, "tcp://[%s]:%s/%s", t->traddr, t->trsvcid, t->subnqn);
		return snprintf(buf, len, "tcp://%s:%s/%s", t->traddr, t->trsvcid, t->subnqn);
	case NVMX_TRTYPE_PCIE:
		return snprintf(buf, len, "pcie://%s", t->traddr);
	default:
		return -EINVAL;
	}
}

int nvmx_trid_format_spdk(const struct nvmx_trid *t, char *buf, size_t len)
{
	switch (t->trtype) {
	case NVMX_TRTYPE_TCP:
		return snprintf(buf, len, "trtype:TCP adrfam:%s traddr:%s trsvcid:%s subnqn:%s",
				t->adrfam == NVMX_ADRFAM_IPV6 ? "IPv6" : "IPv4", t->traddr,
				t->trsvcid, t->subnqn);
	case NVMX_TRTYPE_PCIE:
		return snprintf(buf, len, "trtype:PCIe traddr:%s", t->traddr);
	default:
		return -EINVAL;
	}
}

int nvmx_trid_sockaddr(const struct nvmx_trid *t, struct sockaddr_storage *ss, socklen_t *sslen)
{
	unsigned int port;

	memset(ss, 0, sizeof(*ss));
	if (t->trtype != NVMX_TRTYPE_TCP || nvmx_parse_port(t->trsvcid, &port))
		return -EINVAL;
	if (t->adrfam != NVMX_ADRFAM_IPV6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, t->traddr, &sin->sin_addr) != 1)
			return -EINVAL;
		*sslen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, t->traddr, &sin6->sin6_addr) != 1)
			return -EINVAL;
		*sslen = sizeof(*sin6);
	}
	return 0;
}

int nvmx_uuid_parse(const char *s, unsigned char uuid[16])
{
	unsigned int k = 0;

	for (size_t i = 0; s[i] && k < 32; i++) {
		if (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		unsigned int d = isdigit((unsigned char)s[i]) ? (unsigned int)(s[i] - '0')
			       : (unsigned int)(tolower((unsigned char)s[i]) - 'a' + 10);

		if (k % 2 == 0)
			uuid[k / 2] = (unsigned char)(d << 4);
		else
			uuid[k / 2] |= (unsigned char)d;
		k++;
	}
	if (k != 32 || strlen(s) != 36)
		return -EINVAL;
	return 0;
}

void nvmx_uuid_format(const unsigned char u[16], char *buf)
{
	sprintf(buf, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		u[12], u[13], u[14], u[15]);
}
