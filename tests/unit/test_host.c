/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host core without a controller: transport-ID parsing and printing, the
 * controller state transition table, option defaults and host identity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "host/internal.h"
#include "util/trid.h"

static void tcp_url_parses_with_default_port_and_prints_back(void **state)
{
	struct nvmx_trid t;
	char buf[512];

	assert_int_equal(nvmx_trid_parse(&t, "tcp://127.0.0.1/nqn.2024-01.io.nvmx:sub1", NULL, 0), 0);
	assert_int_equal(t.trtype, NVMX_TRTYPE_TCP);
	assert_int_equal(t.adrfam, NVMX_ADRFAM_IPV4);
	assert_string_equal(t.traddr, "127.0.0.1");
	assert_string_equal(t.trsvcid, "4420");
	assert_string_equal(t.subnqn, "nqn.2024-01.io.nvmx:sub1");
	nvmx_trid_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "tcp://127.0.0.1:4420/nqn.2024-01.io.nvmx:sub1");

	assert_int_equal(nvmx_trid_parse(&t, "tcp://10.0.2.15:4421/nqn.x:y", NULL, 0), 0);
	assert_string_equal(t.trsvcid, "4421");
	/* No subsystem: the discovery controller. */
	assert_int_equal(nvmx_trid_parse(&t, "tcp://127.0.0.1:8009", NULL, 0), 0);
	assert_string_equal(t.subnqn, NVMX_DISCOVERY_NQN);
}

static void ipv6_literals_need_brackets_and_print_with_them(void **state)
{
	struct nvmx_trid t;
	char buf[512], err[160];

	assert_int_equal(nvmx_trid_parse(&t, "tcp://[::1]:4420/nqn.a:b", NULL, 0), 0);
	assert_int_equal(t.adrfam, NVMX_ADRFAM_IPV6);
	assert_string_equal(t.traddr, "::1");
	nvmx_trid_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "tcp://[::1]:4420/nqn.a:b");
	assert_int_equal(nvmx_trid_parse(&t, "tcp://[fe80::1/nqn.a:b", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "']'"));
	assert_int_equal(nvmx_trid_parse(&t, "tcp://[1.2.3.4]/nqn.a:b", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "IPv6"));
}

static void pcie_addresses_parse_and_normalise(void **state)
{
	struct nvmx_trid t;
	char buf[64], err[160];

	assert_int_equal(nvmx_trid_parse(&t, "pcie://0000:01:00.0", NULL, 0), 0);
	assert_int_equal(t.trtype, NVMX_TRTYPE_PCIE);
	assert_string_equal(t.traddr, "0000:01:00.0");
	assert_int_equal(nvmx_trid_parse(&t, "pcie://3:1F.7", NULL, 0), 0);
	assert_string_equal(t.traddr, "0000:03:1f.7");
	nvmx_trid_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "pcie://0000:03:1f.7");
	assert_int_equal(nvmx_trid_parse(&t, "pcie://0000:01:20.0", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "device '20'"));
	assert_int_equal(nvmx_trid_parse(&t, "pcie://0000:01:00.8", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "function"));
	assert_int_equal(nvmx_trid_parse(&t, "pcie://1:2:3:4.5", err, sizeof(err)), -EINVAL);
	assert_int_equal(nvmx_trid_parse(&t, "pcie://0000:01:00", err, sizeof(err)), -EINVAL);
}

static void spdk_form_parses_in_any_order(void **state)
{
	struct nvmx_trid t;
	char buf[512];

	assert_int_equal(nvmx_trid_parse(&t, "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:4420 "
				      "subnqn:nqn.2016-06.io.spdk:cnode1", NULL, 0), 0);
	assert_int_equal(t.trtype, NVMX_TRTYPE_TCP);
	assert_string_equal(t.subnqn, "nqn.2016-06.io.spdk:cnode1");
	assert_int_equal(nvmx_trid_parse(&t, "subnqn:nqn.a:b  traddr:::1 trtype:tcp", NULL, 0), 0);
	assert_int_equal(t.adrfam, NVMX_ADRFAM_IPV6);
	assert_string_equal(t.trsvcid, "4420");
	nvmx_trid_format_spdk(&t, buf, sizeof(buf));
	assert_string_equal(buf, "trtype:TCP adrfam:IPv6 traddr:::1 trsvcid:4420 subnqn:nqn.a:b");
	assert_int_equal(nvmx_trid_parse(&t, "trtype:PCIe traddr:0000:04:00.0", NULL, 0), 0);
	assert_int_equal(t.trtype, NVMX_TRTYPE_PCIE);
	assert_string_equal(t.traddr, "0000:04:00.0");
}

struct bad_trid {
	const char *in;
	const char *names;	/* the message must mention this */
};

static void bad_transport_ids_name_the_bad_part(void **state)
{
	static const struct bad_trid bad[] = {
		{ "", "empty" },
		{ "tcp://127.0.0.1:99999/nqn.a:b", "99999" },
		{ "tcp://127.0.0.1:0/nqn.a:b", "'0'" },
		{ "tcp://127.0.0.1:44x/nqn.a:b", "44x" },
		{ "tcp://300.1.1.1/nqn.a:b", "300.1.1.1" },
		{ "tcp://host.example/nqn.a:b", "host.example" },
		{ "tcp:///nqn.a:b", "missing address" },
		{ "rdma://1.2.3.4/nqn.a:b", "rdma" },
		{ "hello", "hello" },
		{ "trtype:TCP traddr:1.2.3.4 bogus:1", "bogus" },
		{ "trtype:FC traddr:1.2.3.4", "FC" },
		{ "trtype:TCP adrfam:IPv6 traddr:1.2.3.4", "not an IPv6" },
		{ "trtype:TCP trsvcid:4420", "missing traddr" },
		{ "trtype:TCP traddr:1.2.3.4 trsvcid:http", "http" },
		{ "tcp://1.2.3.4/nqn with space", "blank" },
	};
	struct nvmx_trid t;
	char err[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(err, 0, sizeof(err));
		assert_int_equal(nvmx_trid_parse(&t, bad[i].in, err, sizeof(err)), -EINVAL);
		if (!strstr(err, bad[i].names))
			fail_msg("'%s': message '%s' does not name '%s'", bad[i].in, err, bad[i].names);
	}
}

static void long_nqn_is_refused(void **state)
{
	char in[400], err[200];
	struct nvmx_trid t;

	strcpy(in, "tcp://1.2.3.4/nqn.");
	memset(in + strlen(in), 'a', 230);
	in[18 + 230] = '\0';
	assert_int_equal(nvmx_trid_parse(&t, in, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "223"));
}

static void state_table_allows_exactly_the_documented_transitions(void **state)
{
	/* from \ to: NEW CONNECTING LIVE RESETTING DELETING DEAD */
	static const bool ok[6][6] = {
		[NVMX_CTRL_NEW]        = { 0, 1, 0, 0, 1, 1 },
		[NVMX_CTRL_CONNECTING] = { 0, 0, 1, 0, 1, 1 },
		[NVMX_CTRL_LIVE]       = { 0, 0, 0, 1, 1, 1 },
		[NVMX_CTRL_RESETTING]  = { 0, 1, 0, 0, 1, 1 },
		[NVMX_CTRL_DELETING]   = { 0, 0, 0, 0, 0, 1 },
		[NVMX_CTRL_DEAD]       = { 0, 0, 0, 0, 1, 0 },
	};

	for (int f = 0; f < 6; f++)
		for (int t = 0; t < 6; t++)
			if (nvmx_ctrl_state_allowed(f, t) != ok[f][t])
				fail_msg("%s -> %s: table says %d", nvmx_ctrl_state_str(f),
					 nvmx_ctrl_state_str(t), nvmx_ctrl_state_allowed(f, t));
	assert_false(nvmx_ctrl_state_allowed(NVMX_CTRL_LIVE, 99));
}

struct ev_log {
	int n;
	enum nvmx_ctrl_state from[8], to[8];
};

static void on_event(struct nvmx_ctrl *ctrl, const struct nvmx_event *ev, void *arg)
{
	struct ev_log *l = arg;

	assert_int_equal(ev->type, NVMX_EVENT_STATE);
	l->from[l->n] = ev->u.state.old_state;
	l->to[l->n++] = ev->u.state.new_state;
}

static void state_changes_are_reported_and_refused_ones_are_not(void **state)
{
	struct nvmx_ctrl ctrl;
	struct ev_log log = { 0 };

	memset(&ctrl, 0, sizeof(ctrl));
	pthread_mutex_init(&ctrl.state_lock, NULL);
	ctrl.opts.event_cb = on_event;
	ctrl.opts.event_arg = &log;
	atomic_init(&ctrl.state, NVMX_CTRL_NEW);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_LIVE), -EBUSY);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_CONNECTING), 0);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_LIVE), 0);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_RESETTING), 0);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_LIVE), -EBUSY);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_CONNECTING), 0);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_DEAD), 0);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_LIVE), -EBUSY);
	assert_int_equal(nvmx_ctrl_set_state(&ctrl, NVMX_CTRL_DELETING), 0);
	assert_int_equal(nvmx_ctrl_get_state(&ctrl), NVMX_CTRL_DELETING);
	assert_int_equal(log.n, 6);
	assert_int_equal(log.from[0], NVMX_CTRL_NEW);
	assert_int_equal(log.to[0], NVMX_CTRL_CONNECTING);
	assert_int_equal(log.to[4], NVMX_CTRL_DEAD);
	assert_int_equal(log.from[5], NVMX_CTRL_DEAD);
	pthread_mutex_destroy(&ctrl.state_lock);
}

static void options_default_to_the_linux_host_values(void **state)
{
	struct nvmx_ctrl_opts o, m;
	struct {
		size_t opts_size;
		unsigned int nr_io_queues, queue_size;
	} old = { sizeof(old), 3, 64 };

	nvmx_ctrl_opts_init(&o, sizeof(o));
	assert_int_equal(o.opts_size, sizeof(o));
	assert_int_equal(o.queue_size, 128);
	assert_int_equal(o.keep_alive_tmo, 5);
	assert_int_equal(o.reconnect_delay, 10);
	assert_int_equal(o.ctrl_loss_tmo, 600);
	assert_int_equal(o.fast_io_fail_tmo, -1);
	assert_int_equal(o.admin_timeout_ms, 60000);
	assert_int_equal(o.io_timeout_ms, 30000);
	assert_false(o.hdr_digest);
	assert_false(o.data_digest);
	assert_true(o.nr_io_queues >= 1);
	/* A caller compiled against a shorter struct gets defaults for the rest. */
	nvmx_opts_merge(&m, (const struct nvmx_ctrl_opts *)&old);
	assert_int_equal(m.nr_io_queues, 3);
	assert_int_equal(m.queue_size, 64);
	assert_int_equal(m.keep_alive_tmo, 5);
	assert_int_equal(m.io_timeout_ms, 30000);
}

static void default_host_identity_is_a_uuid_nqn(void **state)
{
	char nqn[256], id[37];
	unsigned char u[16];
	struct nvmx_ctrl_opts o;

	assert_int_equal(nvmx_default_hostid(id, sizeof(id)), 0);
	assert_int_equal(nvmx_uuid_parse(id, u), 0);
	assert_int_equal(nvmx_default_hostnqn(nqn, sizeof(nqn)), 0);
	assert_true(strncmp(nqn, "nqn.", 4) == 0);
	nvmx_ctrl_opts_init(&o, sizeof(o));
	strcpy(o.hostid, "not-a-uuid");
	assert_int_equal(nvmx_opts_resolve_host(&o, u), -EINVAL);
	strcpy(o.hostid, "0f8fad5b-d9cb-469f-a165-70867728950e");
	assert_int_equal(nvmx_opts_resolve_host(&o, u), 0);
	assert_int_equal(u[0], 0x0f);
	assert_int_equal(u[15], 0x0e);
	assert_true(o.hostnqn[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_url_parses_with_default_port_and_prints_back),
		cmocka_unit_test(ipv6_literals_need_brackets_and_print_with_them),
		cmocka_unit_test(pcie_addresses_parse_and_normalise),
		cmocka_unit_test(spdk_form_parses_in_any_order),
		cmocka_unit_test(bad_transport_ids_name_the_bad_part),
		cmocka_unit_test(long_nqn_is_refused),
		cmocka_unit_test(state_table_allows_exactly_the_documented_transitions),
		cmocka_unit_test(state_changes_are_reported_and_refused_ones_are_not),
		cmocka_unit_test(options_default_to_the_linux_host_values),
		cmocka_unit_test(default_host_identity_is_a_uuid_nqn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
