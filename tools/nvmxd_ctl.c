/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmxd ctl --control PATH METHOD [PARAMS-JSON]: one JSON-RPC 2.0 call to a
 * running nvmxd; prints the result (exit 0) or the error (exit 1).
 *
 *   nvmxd ctl --control /tmp/nvmxd.sock list_subsystems
 *   nvmxd ctl --control /tmp/nvmxd.sock ns_add '{"nsid":2,"ram":"64M"}'
 *   nvmxd ctl --control /tmp/nvmxd.sock set_health '{"temperature":360}'
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int nvmx_ctl_main(int argc, char **argv);

static int ctl_usage(void)
{
	fprintf(stderr, "usage: nvmxd ctl --control PATH METHOD [PARAMS-JSON]\n"
		"methods: list_subsystems list_controllers list_connections stats loop_stats\n"
		"         ns_add {subnqn,nsid,ram|null|file,size,block_size}\n"
		"         ns_remove {subnqn,nsid}  ns_resize {subnqn,nsid,size}\n"
		"         set_health {subnqn,temperature,available_spare,critical_warning}\n"
		"         fault_drop {opcode,count,admin}  fault_delay {ms}\n"
		"         fault_close {cntlid}  fault_corrupt_digest {count}  fault_clear\n");
	return 2;
}

static int call(const char *path, const char *method, json_object *params)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	json_object *req = json_object_new_object(), *resp, *v;
	char buf[256 * 1024];
	size_t len = 0;
	const char *out;
	int fd, rc = 1;

	json_object_object_add(req, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(req, "id", json_object_new_int(1));
	json_object_object_add(req, "method", json_object_new_string(method));
	if (params)
		json_object_object_add(req, "params", params);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror(path);
		json_object_put(req);
		return 1;
	}
	out = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	if (write(fd, out, strlen(out)) < 0 || write(fd, "\n", 1) < 0) {
		perror("write");
		goto out;
	}
	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	resp = json_tokener_parse(buf);
	if (!resp) {
		fprintf(stderr, "nvmxd ctl: no valid answer\n");
		goto out;
	}
	if (json_object_object_get_ex(resp, "result", &v)) {
		printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY));
		rc = 0;
	} else if (json_object_object_get_ex(resp, "error", &v)) {
		fprintf(stderr, "nvmxd ctl: %s\n", json_object_to_json_string(v));
	}
	json_object_put(resp);
out:
	close(fd);
	json_object_put(req);
	return rc;
}

int nvmx_ctl_main(int argc, char **argv)
{
	const char *path = NULL;
	json_object *params = NULL;
	int i = 1;

	if (i + 1 < argc && strcmp(argv[i], "--control") == 0) {
		path = argv[i + 1];
		i += 2;
	}
	if (!path || i >= argc || argc - i > 2)
		return ctl_usage();
	if (argc - i == 2) {
		params = json_tokener_parse(argv[i + 1]);
		if (!params || !json_object_is_type(params, json_type_object)) {
			fprintf(stderr, "nvmxd ctl: params must be a JSON object\n");
			json_object_put(params);
			return 2;
		}
	}
	return call(path, argv[i], params);
}
