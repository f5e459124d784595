/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Control socket: JSON-RPC 2.0 over a UNIX stream socket, one request per
 * line, one response per line, served by its own thread (the methods are
 * in control_methods.c).
 */
#include <errno.h>
#include <json-c/json.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "target/control.h"
#include "target/core.h"
#include "util/log.h"

#define CTL_MAX_CLIENTS 16
#define CTL_LINE_MAX (64 * 1024)

struct ctl_client {
	int fd;
	char *buf;
	size_t len;
};

struct ctl {
	struct nvmx_tgt *t;
	int lfd;
	int stop_pipe[2];
	pthread_t tid;
	char path[108];
	struct ctl_client cl[CTL_MAX_CLIENTS];
};

/* ---- the server thread ---- */

static void client_close(struct ctl_client *c)
{
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void client_input(struct ctl *ctl, struct ctl_client *c)
{
	char *nl;
	ssize_t n;

	if (!c->buf && !(c->buf = malloc(CTL_LINE_MAX + 1))) {
		client_close(c);
		return;
	}
	n = read(c->fd, c->buf + c->len, CTL_LINE_MAX - c->len);
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	while ((nl = strchr(c->buf, '\n')) != NULL) {
		json_object *resp;
		const char *out;
		size_t used = (size_t)(nl - c->buf) + 1;

		*nl = '\0';
		resp = nvmx_tgt_rpc_handle(ctl->t, c->buf);
		out = json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN);
		if (write(c->fd, out, strlen(out)) < 0 || write(c->fd, "\n", 1) < 0) {
			json_object_put(resp);
			client_close(c);
			return;
		}
		json_object_put(resp);
		memmove(c->buf, c->buf + used, c->len - used + 1);
		c->len -= used;
	}
	if (c->len == CTL_LINE_MAX)	/* a line too long: drop the client */
		client_close(c);
}

static void *ctl_main(void *arg)
{
	struct ctl *ctl = arg;

	for (;;) {
		struct pollfd pf[CTL_MAX_CLIENTS + 2];
		int idx[CTL_MAX_CLIENTS], n = 2;

		pf[0] = (struct pollfd){ .fd = ctl->stop_pipe[0], .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = ctl->lfd, .events = POLLIN };
		for (int i = 0; i < CTL_MAX_CLIENTS; i++)
			if (ctl->cl[i].fd >= 0) {
				idx[n - 2] = i;
				pf[n++] = (struct pollfd){ .fd = ctl->cl[i].fd, .events = POLLIN };
			}
		if (poll(pf, (nfds_t)n, -1) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		for (int k = 2; k < n; k++)
			if (pf[k].revents)
				client_input(ctl, &ctl->cl[idx[k - 2]]);
		if (pf[1].revents & POLLIN) {
			int fd = accept4(ctl->lfd, NULL, NULL, SOCK_CLOEXEC);
			int slot = -1;

			for (int i = 0; i < CTL_MAX_CLIENTS && fd >= 0; i++)
				if (ctl->cl[i].fd < 0) {
					slot = i;
					break;
				}
			if (slot < 0 && fd >= 0)
				close(fd);
			else if (fd >= 0)
				ctl->cl[slot].fd = fd;
		}
	}
	return NULL;
}

int nvmx_tgt_control_start(struct nvmx_tgt *t, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl *ctl;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->t = t;
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		ctl->cl[i].fd = -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	unlink(path);
	ctl->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctl->lfd < 0 || bind(ctl->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(ctl->lfd, 8) != 0 || pipe2(ctl->stop_pipe, O_CLOEXEC) != 0) {
		rc = -errno;
		if (ctl->lfd >= 0)
			close(ctl->lfd);
		free(ctl);
		return rc;
	}
	rc = -pthread_create(&ctl->tid, NULL, ctl_main, ctl);
	if (rc) {
		close(ctl->lfd);
		close(ctl->stop_pipe[0]);
		close(ctl->stop_pipe[1]);
		unlink(path);
		free(ctl);
		return rc;
	}
	t->control = ctl;
	nvmx_info("control socket on %s", path);
	return 0;
}

void nvmx_tgt_control_stop(struct nvmx_tgt *t)
{
	struct ctl *ctl = t->control;

	if (!ctl)
		return;
	if (write(ctl->stop_pipe[1], "x", 1) < 0)
		nvmx_warn("control: cannot signal the thread to stop");
	pthread_join(ctl->tid, NULL);
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl->cl[i].fd >= 0)
			client_close(&ctl->cl[i]);
	close(ctl->lfd);
	close(ctl->stop_pipe[0]);
	close(ctl->stop_pipe[1]);
	unlink(ctl->path);
	free(ctl);
	t->control = NULL;
}
