/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Controller options: the Linux host's names and defaults
 * (drivers/nvme/host/fabrics.h: NVMF_DEF_QUEUE_SIZE 128, NVME_DEFAULT_KATO 5,
 * NVMF_DEF_RECONNECT_DELAY 10, NVMF_DEF_CTRL_LOSS_TMO 600,
 * NVMF_DEF_FAIL_FAST_TMO -1; admin timeout 60 s, I/O timeout 30 s), and the
 * default host NQN / host ID as nvme-cli finds them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "host/internal.h"
#include "util/trid.h"

#define HOSTNQN_FILE	"/etc/nvme/hostnqn"
#define HOSTID_FILE	"/etc/nvme/hostid"
#define UUID_NQN_PREFIX	"nqn.2014-08.org.nvmexpress:uuid:"

void nvmx_ctrl_opts_init(struct nvmx_ctrl_opts *opts, size_t size)
{
	struct nvmx_ctrl_opts d;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&d, 0, sizeof(d));
	d.opts_size = sizeof(d);
	d.nr_io_queues = cpus > 0 ? (unsigned int)cpus : 1;
	d.queue_size = 128;
	d.keep_alive_tmo = 5;
	d.reconnect_delay = 10;
	d.ctrl_loss_tmo = 600;
	d.fast_io_fail_tmo = -1;
	d.admin_timeout_ms = 60000;
	d.io_timeout_ms = 30000;
	d.max_retries = 5;		/* Linux nvme_max_retries */
	if (size > sizeof(d))
		size = sizeof(d);
	memcpy(opts, &d, size);
	if (size >= sizeof(size_t))
		opts->opts_size = size;
}

/* Merge the caller's options (of its compiled size) over the defaults. */
void nvmx_opts_merge(struct nvmx_ctrl_opts *out, const struct nvmx_ctrl_opts *in)
{
	size_t n;

	nvmx_ctrl_opts_init(out, sizeof(*out));
	if (!in)
		return;
	n = in->opts_size < sizeof(*out) ? in->opts_size : sizeof(*out);
	memcpy(out, in, n);
	out->opts_size = sizeof(*out);
	out->hostnqn[sizeof(out->hostnqn) - 1] = '\0';
	out->hostid[sizeof(out->hostid) - 1] = '\0';
}

/* First line of a small file, trimmed; -ENOENT when absent or empty. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -ENOENT;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -ENOENT;
	}
	fclose(f);
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return n ? 0 : -ENOENT;
}

/* A stable UUID for this machine: /etc/machine-id folded into v4 layout,
 * else random. */
static void machine_uuid(unsigned char u[16])
{
	char mid[64];

	if (read_line("/etc/machine-id", mid, sizeof(mid)) == 0 && strlen(mid) >= 32) {
		for (int i = 0; i < 16; i++) {
			unsigned int b;

			if (sscanf(mid + 2 * i, "%2x", &b) != 1)
				goto random;
			u[i] = (unsigned char)b;
		}
	} else {
random:
		if (getrandom(u, 16, 0) != 16)
			memset(u, 0x5a, 16);
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);	/* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
}

int nvmx_default_hostid(char *buf, size_t len)
{
	char line[256];
	unsigned char u[16];
	const char *p;

	if (len < 37)
		return -ENOSPC;
	if (read_line(HOSTID_FILE, line, sizeof(line)) == 0 && nvmx_uuid_parse(line, u) == 0) {
		nvmx_uuid_format(u, buf);
		return 0;
	}
	if (read_line(HOSTNQN_FILE, line, sizeof(line)) == 0 &&
	    (p = strstr(line, ":uuid:")) && nvmx_uuid_parse(p + 6, u) == 0) {
		nvmx_uuid_format(u, buf);
		return 0;
	}
	machine_uuid(u);
	nvmx_uuid_format(u, buf);
	return 0;
}

int nvmx_default_hostnqn(char *buf, size_t len)
{
	char line[256], id[37];

	if (read_line(HOSTNQN_FILE, line, sizeof(line)) == 0 && strlen(line) <= NVMX_NQN_MAX) {
		if (strlen(line) >= len)
			return -ENOSPC;
		strcpy(buf, line);
		return 0;
	}
	nvmx_default_hostid(id, sizeof(id));
	if ((size_t)snprintf(buf, len, UUID_NQN_PREFIX "%s", id) >= len)
		return -ENOSPC;
	return 0;
}

/* Fill the empty host NQN / host ID of opts; check the given ones. */
int nvmx_opts_resolve_host(struct nvmx_ctrl_opts *o, unsigned char hostid[16])
{
	int rc;

	if (!o->hostnqn[0] && (rc = nvmx_default_hostnqn(o->hostnqn, sizeof(o->hostnqn))))
		return rc;
	if (!o->hostid[0] && (rc = nvmx_default_hostid(o->hostid, sizeof(o->hostid))))
		return rc;
	if (nvmx_uuid_parse(o->hostid, hostid)) {
		nvmx_err("host ID '%s' is not a UUID", o->hostid);
		return -EINVAL;
	}
	if (o->queue_size < 2 || o->queue_size > 65536) {
		nvmx_err("queue_size %u out of range 2..65536", o->queue_size);
		return -EINVAL;
	}
	return 0;
}
