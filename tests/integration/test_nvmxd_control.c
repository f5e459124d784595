/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmxd's control socket, end to end: namespace changes and health values
 * set at run time reach a connected host as asynchronous events, and the
 * fault injections do what they say (drop, delay, close, corrupt digest).
 */
#include <json-c/json.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tgt_client.h"

#define SUBNQN  "nqn.2024-01.io.nvmx:ctl"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000c1"

static pid_t daemon_pid;
static int port;
static const char *nvmxd_path;
static char sock_path[64];

static int start_daemon(void **state)
{
	int pfd[2];
	char line[256];
	FILE *f;

	snprintf(sock_path, sizeof(sock_path), "/tmp/nvmxd-ctl-%d.sock", (int)getpid());
	if (pipe(pfd))
		return -1;
	daemon_pid = fork();
	if (daemon_pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(nvmxd_path, "nvmxd", "--listen", "127.0.0.1:0", "--ram", "16M",
		      "--nqn", SUBNQN, "--control", sock_path, "--log", "error", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "nvmxd: listening on 127.0.0.1:%d", &port) != 1)
		return -1;
	return 0;
}

/* Only makes sure no daemon is left (cmocka ignores a group teardown's
 * result; the clean stop is checked by the last test). */
static int stop_daemon(void **state)
{
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, NULL, 0);
	}
	return 0;
}

/* One JSON-RPC call; true when it returned a result. */
/* The call's result (the caller puts it), or NULL on an error reply. */
static json_object *rpc_result(const char *method, const char *params)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[65536];
	size_t len = 0;
	json_object *resp, *v;
	bool ok;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	len = (size_t)snprintf(buf, sizeof(buf),
			       "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\"%s%s}\n", method,
			       params ? ",\"params\":" : "", params ? params : "");
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	len = 0;
	while (!memchr(buf, '\n', len)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		assert_true(n > 0);
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	resp = json_tokener_parse(buf);
	assert_non_null(resp);
	assert_true(json_object_object_get_ex(resp, "id", &v));
	assert_int_equal(json_object_get_int(v), 7);
	ok = json_object_object_get_ex(resp, "result", &v);
	if (ok)
		json_object_get(v);
	json_object_put(resp);
	return ok ? v : NULL;
}

static bool rpc(const char *method, const char *params)
{
	json_object *r = rpc_result(method, params);

	json_object_put(r);
	return r != NULL;
}

/* Sum a numeric key over loop_stats' loops. */
static double loops_sum(json_object *arr, const char *key)
{
	double sum = 0;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *v;

		assert_true(json_object_object_get_ex(json_object_array_get_idx(arr, i), key, &v));
		sum += json_object_get_double(v);
	}
	return sum;
}

static uint16_t admin_up(struct tc *c, bool dd)
{
	uint16_t cntlid = 0;

	assert_int_equal(tc_open(c, port), 0);
	assert_int_equal(tc_ic(c, false, dd, 0), 0);
	assert_int_equal(tc_connect(c, 0, 31, SUBNQN, HOSTNQN, 0xffff, 0, &cntlid), 0);
	assert_int_equal(tc_enable(c), 0);
	return cntlid;
}

static uint16_t submit_aer(struct tc *c)
{
	struct nvmx_sqe sqe = { 0 };

	sqe.opc = NVMX_ADM_ASYNC_EVENT;
	assert_int_equal(tc_submit(c, &sqe, NULL, 0, 0, false), 0);
	return nvmx_le16_to_cpu(sqe.cid);
}

static void ns_add_and_resize_raise_namespace_events(void **state)
{
	static uint8_t buf[4096];
	struct nvmx_cqe cqe;
	struct tc a;
	uint16_t cid;

	admin_up(&a, false);
	cid = submit_aer(&a);
	assert_true(rpc("ns_add", "{\"nsid\":2,\"ram\":\"8M\"}"));
	assert_int_equal(tc_wait(&a, cid, NULL, 0, 0, &cqe), 0);
	assert_int_equal(nvmx_le32_to_cpu(cqe.dw0),
			 nvmx_aen_make(NVMX_AER_TYPE_NOTICE, NVMX_AER_NOTICE_NS_CHANGED, NVMX_LID_CHANGED_NS));
	assert_int_equal(tc_get_log(&a, NVMX_LID_CHANGED_NS, 0, buf, 4096, 0), 0);
	assert_int_equal(nvmx_get_le32(buf), 2);
	assert_int_equal(tc_identify(&a, NVMX_CNS_NS_ACTIVE_LIST, 0, buf), 0);
	assert_int_equal(nvmx_get_le32(buf + 4), 2);

	cid = submit_aer(&a);
	assert_true(rpc("ns_resize", "{\"nsid\":2,\"size\":\"12M\"}"));
	assert_int_equal(tc_wait(&a, cid, NULL, 0, 0, &cqe), 0);
	assert_int_equal(nvmx_aen_type(nvmx_le32_to_cpu(cqe.dw0)), NVMX_AER_TYPE_NOTICE);
	assert_int_equal(tc_identify(&a, NVMX_CNS_NS, 2, buf), 0);
	assert_int_equal(nvmx_get_le64(buf), (12u << 20) / 512);
	assert_int_equal(tc_get_log(&a, NVMX_LID_CHANGED_NS, 0, buf, 4096, 0), 0);

	assert_true(rpc("ns_remove", "{\"nsid\":2}"));
	assert_false(rpc("ns_remove", "{\"nsid\":2}"));
	tc_close(&a);
}

static void health_values_reach_smart_log_and_aer(void **state)
{
	static uint8_t buf[512];
	struct nvmx_cqe cqe;
	struct tc a;
	uint16_t cid;

	admin_up(&a, false);
	cid = submit_aer(&a);
	assert_true(rpc("set_health", "{\"temperature\":360,\"available_spare\":50}"));
	assert_int_equal(tc_wait(&a, cid, NULL, 0, 0, &cqe), 0);
	assert_int_equal(nvmx_aen_type(nvmx_le32_to_cpu(cqe.dw0)), NVMX_AER_TYPE_SMART);
	assert_int_equal(nvmx_aen_info(nvmx_le32_to_cpu(cqe.dw0)), NVMX_AER_SMART_TEMP_THRESH);
	assert_int_equal(tc_get_log(&a, NVMX_LID_SMART, 0xffffffff, buf, 512, 0), 0);
	assert_int_equal(nvmx_get_le16(buf + 1), 360);
	assert_int_equal(buf[3], 50);
	assert_true(buf[0] & NVMX_CW_TEMPERATURE);
	assert_true(rpc("set_health", "{\"temperature\":308,\"available_spare\":100}"));
	assert_false(rpc("set_health", "{\"available_spare\":101}"));
	tc_close(&a);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void drop_and_delay_faults_hold_back_completions(void **state)
{
	struct timeval tv = { .tv_sec = 1 };
	static uint8_t buf[4096];
	struct nvmx_cqe cqe;
	struct nvmx_sqe sqe = { 0 };
	struct tc a;
	double t0;

	admin_up(&a, false);
	/* Drop the next Get Log Page on the admin queue. */
	assert_true(rpc("fault_drop", "{\"opcode\":2,\"count\":1,\"admin\":true}"));
	setsockopt(a.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	{
		struct nvmx_cmd_get_log_page *g = (void *)&sqe;

		g->opc = NVMX_ADM_GET_LOG_PAGE;
		g->lid = NVMX_LID_SMART;
		g->numdl = nvmx_cpu_to_le16(127);
		g->nsid = nvmx_cpu_to_le32(0xffffffff);
		assert_int_equal(tc_cmd(&a, &sqe, buf, 512, 2, false, &cqe), -1);	/* nothing */
	}
	tv.tv_sec = 5;
	setsockopt(a.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Only one was dropped: the next one completes. */
	assert_int_equal(tc_get_log(&a, NVMX_LID_SMART, 0xffffffff, buf, 512, 0), 0);

	assert_true(rpc("fault_delay", "{\"ms\":300}"));
	t0 = now_s();
	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	assert_true(now_s() - t0 >= 0.29);
	assert_true(rpc("fault_clear", NULL));
	t0 = now_s();
	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	assert_true(now_s() - t0 < 0.25);
	tc_close(&a);
}

static void corrupt_digest_fault_is_seen_by_the_host(void **state)
{
	static uint8_t buf[4096];
	struct tc a, q;
	struct nvmx_cqe cqe;
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cmd_rw *rw = (void *)&sqe;
	uint16_t cntlid = admin_up(&a, true);

	assert_int_equal(tc_open(&q, port), 0);
	assert_int_equal(tc_ic(&q, false, true, 0), 0);
	assert_int_equal(tc_connect(&q, 1, 31, SUBNQN, HOSTNQN, cntlid, 0, NULL), 0);
	assert_true(rpc("fault_corrupt_digest", "{\"count\":1}"));
	rw->opc = NVMX_NVM_READ;
	rw->nsid = nvmx_cpu_to_le32(1);
	rw->nlb = nvmx_cpu_to_le16(7);
	assert_int_equal(tc_submit(&q, &sqe, NULL, 4096, 2, false), 0);
	assert_int_equal(tc_wait(&q, nvmx_le16_to_cpu(sqe.cid), buf, 4096, 2, &cqe), -2);
	tc_close(&q);
	tc_close(&a);
}

static void fault_close_ends_the_controllers_connections(void **state)
{
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false);
	char params[64];
	uint8_t b;

	assert_int_equal(tc_open(&q, port), 0);
	assert_int_equal(tc_ic(&q, false, false, 0), 0);
	assert_int_equal(tc_connect(&q, 1, 31, SUBNQN, HOSTNQN, cntlid, 0, NULL), 0);
	assert_true(rpc("list_connections", NULL));
	snprintf(params, sizeof(params), "{\"cntlid\":%u}", cntlid);
	assert_true(rpc("fault_close", params));
	assert_true(recv(a.fd, &b, 1, 0) <= 0);
	assert_true(recv(q.fd, &b, 1, 0) <= 0);
	tc_close(&q);
	tc_close(&a);
	assert_false(rpc("no_such_method", NULL));
}

/* Not busy-polling, an idle loop sleeps in epoll: over 300 ms its sleep
 * time grows by about that much and it never spins; commands add passes. */
static void loop_stats_split_sleep_spin_and_work(void **state)
{
	json_object *a = rpc_result("loop_stats", NULL), *b, *v;
	struct timespec ts = { 0, 300000000L };
	struct tc c;
	double slept;

	assert_non_null(a);
	assert_true(json_object_array_length(a) >= 1);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(a, 0), "busy_poll", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(loops_sum(a, "idle_polls") <= loops_sum(a, "polls"));
	nanosleep(&ts, NULL);
	b = rpc_result("loop_stats", NULL);
	assert_non_null(b);
	slept = (loops_sum(b, "sleep_seconds") - loops_sum(a, "sleep_seconds")) /
		(double)json_object_array_length(a);
	assert_true(slept >= 0.15 && slept <= 0.45);
	assert_true(loops_sum(b, "spin_seconds") == 0);
	json_object_put(a);
	admin_up(&c, false);	/* Connect, Property Set/Get: loop passes with work */
	tc_close(&c);
	a = rpc_result("loop_stats", NULL);
	assert_non_null(a);
	assert_true(loops_sum(a, "polls") - loops_sum(a, "idle_polls") >
		    loops_sum(b, "polls") - loops_sum(b, "idle_polls"));
	json_object_put(a);
	json_object_put(b);
}

static void sigterm_exits_0_and_removes_the_control_socket(void **state)
{
	int status = -1;

	assert_int_equal(kill(daemon_pid, SIGTERM), 0);
	assert_int_equal(waitpid(daemon_pid, &status, 0), daemon_pid);
	daemon_pid = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(sock_path, F_OK), -1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ns_add_and_resize_raise_namespace_events),
		cmocka_unit_test(health_values_reach_smart_log_and_aer),
		cmocka_unit_test(drop_and_delay_faults_hold_back_completions),
		cmocka_unit_test(corrupt_digest_fault_is_seen_by_the_host),
		cmocka_unit_test(fault_close_ends_the_controllers_connections),
		cmocka_unit_test(loop_stats_split_sleep_spin_and_work),
		cmocka_unit_test(sigterm_exits_0_and_removes_the_control_socket),
	};

	nvmxd_path = argc > 1 ? argv[1] : getenv("NVMXD");
	if (!nvmxd_path)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, start_daemon, stop_daemon);
}
