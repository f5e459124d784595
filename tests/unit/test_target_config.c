/* SPDX-License-Identifier: BSD-2-Clause */
/* nvmetcli "save" JSON: what loads, and errors that name the JSON path. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "target/core.h"
#include "util/log.h"

static char dir[] = "/tmp/nvmx-cfg-XXXXXX";
static char img[256], json[256];

static int setup(void **state)
{
	FILE *f;

	if (!mkdtemp(dir))
		return -1;
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	snprintf(json, sizeof(json), "%s/nvmet.json", dir);
	f = fopen(img, "w");
	if (!f || ftruncate(fileno(f), 8 << 20))
		return -1;
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	unlink(img);
	unlink(json);
	rmdir(dir);
	return 0;
}

static int load_text(const char *text, struct nvmx_tgt **t, char *err, unsigned errlen)
{
	FILE *f = fopen(json, "w");
	char *doc;
	size_t n = strlen(text) + strlen(img) + 16;
	int rc;

	doc = malloc(n);
	/* %IMG% in the text stands for the scratch image path */
	{
		const char *p = strstr(text, "%IMG%");

		if (p)
			snprintf(doc, n, "%.*s%s%s", (int)(p - text), text, img, p + 5);
		else
			snprintf(doc, n, "%s", text);
	}
	fputs(doc, f);
	fclose(f);
	free(doc);
	assert_int_equal(nvmx_tgt_new(NULL, t), 0);
	rc = nvmx_tgt_load_config(*t, json, err, errlen);
	return rc;
}

#define GOOD \
	"{ \"hosts\": [ { \"nqn\": \"nqn.h1\" } ]," \
	"  \"ports\": [ { \"addr\": { \"adrfam\": \"ipv4\", \"traddr\": \"127.0.0.1\", \"trsvcid\": \"4420\"," \
	"                           \"trtype\": \"tcp\", \"treq\": \"not specified\", \"tsas\": \"none\" }," \
	"               \"portid\": 7, \"referrals\": [], \"subsystems\": [ \"nqn.s1\" ] }," \
	"             { \"addr\": { \"trtype\": \"rdma\", \"traddr\": \"10.0.0.1\" }, \"portid\": 8, \"subsystems\": [] } ]," \
	"  \"subsystems\": [ { \"nqn\": \"nqn.s1\", \"allowed_hosts\": [ \"nqn.h1\" ]," \
	"      \"attr\": { \"allow_any_host\": \"0\", \"serial\": \"SER1\", \"model\": \"Linux\", \"version\": \"1.3\" }," \
	"      \"namespaces\": [ { \"nsid\": 3, \"enable\": 1, \"ana_grpid\": 1," \
	"          \"device\": { \"path\": \"%IMG%\", \"nguid\": \"00112233-4455-6677-8899-aabbccddeeff\" } }," \
	"                        { \"nsid\": 4, \"enable\": 0, \"device\": { \"path\": \"/nonexistent\" } } ] } ] }"

static void nvmetcli_save_output_loads(void **state)
{
	struct nvmx_tgt *t;
	struct nvmx_tgt_subsys *s;
	struct nvmx_tgt_ns *ns;
	char err[256] = "";

	assert_int_equal(load_text(GOOD, &t, err, sizeof(err)), 0);
	s = nvmx_tgt_subsys_find(t, "nqn.s1");
	assert_non_null(s);
	assert_false(s->allow_any);
	assert_true(nvmx_tgt_host_allowed(s, "nqn.h1"));
	assert_false(nvmx_tgt_host_allowed(s, "nqn.h2"));
	assert_string_equal(s->serial, "SER1");
	ns = nvmx_tgt_ns_get(s, 3);
	assert_non_null(ns);
	assert_int_equal(ns->nguid[0], 0x00);
	assert_int_equal(ns->nguid[15], 0xff);
	assert_null(nvmx_tgt_ns_get(s, 4));	/* disabled: not opened */
	/* The rdma port is skipped, the tcp one kept with its subsystem. */
	assert_non_null(t->ports);
	assert_null(t->ports->next);
	assert_int_equal(t->ports->portid, 7);
	assert_int_equal(t->ports->nsubsys, 1);
	nvmx_tgt_free(t);
}

struct bad {
	const char *from, *to, *path;
};

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t n = strlen(s) + strlen(to) + 1;
	char *out = malloc(n);

	assert_non_null(p);
	snprintf(out, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	return out;
}

static void invalid_fields_are_errors_naming_the_json_path(void **state)
{
	static const struct bad cases[] = {
		{ "\"path\": \"%IMG%\"", "\"path\": \"/nonexistent/x\"", "subsystems[0].namespaces[0].device" },
		{ "\"nsid\": 3", "\"nsid\": 0", "subsystems[0].namespaces[0]" },
		{ "\"nguid\": \"00112233", "\"nguid\": \"zz112233", "subsystems[0].namespaces[0].device" },
		{ "\"subsystems\": [ \"nqn.s1\" ]", "\"subsystems\": [ \"nqn.nope\" ]", "ports[0].subsystems[0]" },
		{ "\"allowed_hosts\": [ \"nqn.h1\" ]", "\"allowed_hosts\": [ \"nqn.h9\" ]", "subsystems[0].allowed_hosts[0]" },
		{ "\"portid\": 7", "\"portid\": \"x\"", "ports[0]" },
		{ "\"allow_any_host\": \"0\"", "\"allow_any_host\": \"maybe\"", "subsystems[0].attr" },
		{ "\"adrfam\": \"ipv4\"", "\"adrfam\": \"ib\"", "ports[0]" },
	};
	char err[256];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = replace(GOOD, cases[i].from, cases[i].to);
		struct nvmx_tgt *t;

		err[0] = '\0';
		assert_int_equal(load_text(doc, &t, err, sizeof(err)), -EINVAL);
		assert_int_equal(strncmp(err, cases[i].path, strlen(cases[i].path)), 0);
		assert_int_equal(err[strlen(cases[i].path)], ':');
		nvmx_tgt_free(t);
		free(doc);
	}
}

static void not_json_is_an_error(void **state)
{
	struct nvmx_tgt *t;
	char err[256];

	assert_int_equal(load_text("{ not json", &t, err, sizeof(err)), -EINVAL);
	nvmx_tgt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nvmetcli_save_output_loads),
		cmocka_unit_test(invalid_fields_are_errors_naming_the_json_path),
		cmocka_unit_test(not_json_is_an_error),
	};

	nvmx_log_set_level(NVMX_LOG_ERR);
	return cmocka_run_group_tests(tests, setup, teardown);
}
