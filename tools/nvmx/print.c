/* SPDX-License-Identifier: BSD-2-Clause */
/* Output formats and the small formatting helpers the printers share. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "nvmx/le.h"
#include "print.h"

int nvmx_out_parse_fmt(const char *s, enum nvmx_out_fmt *fmt)
{
	if (!strcmp(s, "normal"))
		*fmt = NVMX_OUT_NORMAL;
	else if (!strcmp(s, "json"))
		*fmt = NVMX_OUT_JSON;
	else if (!strcmp(s, "binary"))
		*fmt = NVMX_OUT_BINARY;
	else
		return -EINVAL;
	return 0;
}

void nvmx_out_json(FILE *f, struct json_object *root)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

void nvmx_out_raw(FILE *f, const void *buf, size_t len)
{
	fwrite(buf, 1, len, f);
}

static char printable(uint8_t c)
{
	return c >= '!' && c <= '~' ? (char)c : '.';
}

void nvmx_out_hexdump(FILE *f, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	char ascii[17];
	size_t i;

	fprintf(f, "     ");
	for (i = 0; i < 16; i++)
		fprintf(f, "%3zx", i);
	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(f, "\n%04zx:", i);
		fprintf(f, " %02x", p[i]);
		ascii[i % 16] = printable(p[i]);
		if (i % 16 == 15) {
			ascii[16] = '\0';
			fprintf(f, " \"%s\"", ascii);
		}
	}
	if (len % 16) {
		size_t left = 16 - len % 16;

		ascii[len % 16] = '\0';
		fprintf(f, " %*s \"%s\"", (int)(3 * left - 1), "", ascii);
	}
	fprintf(f, "\n");
}

char *nvmx_u128_str(const uint8_t le[16], char *buf, size_t len)
{
	unsigned __int128 v = ((unsigned __int128)nvmx_get_le64(le + 8) << 64) | nvmx_get_le64(le);
	char tmp[48];
	size_t n = sizeof(tmp);

	tmp[--n] = '\0';
	do {
		tmp[--n] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	snprintf(buf, len, "%s", tmp + n);
	return buf;
}

char *nvmx_fixed_str(const char *field, size_t n, bool strip, char *buf, size_t len)
{
	size_t l = strnlen(field, n);

	if (l >= len)
		l = len - 1;
	memcpy(buf, field, l);
	while (strip && l && buf[l - 1] == ' ')
		l--;
	buf[l] = '\0';
	return buf;
}

char *nvmx_uuid_str(const uint8_t u[16], char *buf, size_t len)
{
	snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		 u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	return buf;
}

char *nvmx_hex_str(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, len - 2 * i, "%02x", p[i]);
	return buf;
}

struct json_object *nvmx_json_u64(uint64_t v)
{
	if (v > INT64_MAX)
		return json_object_new_uint64(v);
	return json_object_new_int64((int64_t)v);
}

static uint64_t field_of(uint64_t v, unsigned hi, unsigned lo)
{
	unsigned w = hi - lo + 1;

	return (v >> lo) & (w >= 64 ? ~0ull : (1ull << w) - 1);
}

static void print_one_bitfield(FILE *f, uint64_t x, const struct nvmx_bitfield *b)
{
	const char *t = b->text;

	fprintf(f, "  [%u:%u] : %#" PRIx64 "\t", b->hi, b->lo, x);
	if (t[0] == '=') {
		fprintf(f, "%s\n", t + 1);
	} else if (t[0] == '?') {
		const char *bar = strchr(t, '|');
		if (!bar)
			fprintf(f, "%s\n", t + 1);
		else if (x)
			fprintf(f, "%s\n", bar + 1);
		else
			fprintf(f, "%.*s\n", (int)(bar - t - 1), t + 1);
	} else {
		fprintf(f, "%s %sSupported\n", t, x ? "" : "Not ");
	}
}

/* Reserved bits between the documented fields, as nvme-cli: one line per
 * run of uncovered bits, only when some are set. */
static void print_reserved(FILE *f, uint64_t v, unsigned hi, unsigned lo)
{
	uint64_t x = field_of(v, hi, lo);

	if (x)
		fprintf(f, "  [%u:%u] : %#" PRIx64 "\tReserved\n", hi, lo, x);
}

void nvmx_print_bits(FILE *f, uint64_t v, unsigned width, const struct nvmx_bitfield *t)
{
	int next = (int)width - 1;	/* highest bit not yet printed */

	for (; t->text; t++) {
		if ((int)t->hi < next)
			print_reserved(f, v, (unsigned)next, t->hi + 1u);
		print_one_bitfield(f, field_of(v, t->hi, t->lo), t);
		next = (int)t->lo - 1;
	}
	if (next >= 0)
		print_reserved(f, v, (unsigned)next, 0);
	fprintf(f, "\n");
}
