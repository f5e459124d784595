/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmxd's library: an NVMe over Fabrics target.  A target holds NVM
 * subsystems (each with namespaces on backends and a list of allowed hosts),
 * ports (TCP listeners, each exposing some subsystems) and a discovery
 * subsystem.  Controllers are created dynamically by Fabrics Connect.
 *
 * Set-up calls (add subsystem, namespace, port) may be made before and after
 * nvmx_tgt_start(); after it they are thread-safe and take effect at once
 * (namespace changes raise Namespace Attribute Changed events).
 */
#ifndef NVMX_TARGET_H
#define NVMX_TARGET_H

#include <stdbool.h>
#include <stdint.h>

struct nvmx_tgt;
struct nvmx_tgt_subsys;
struct nvmx_tgt_port;
struct nvmx_bdev;

struct nvmx_tgt_opts {
	unsigned threads;	/* event loop threads; 0 = 1 */
	int cpu;		/* pin loop i to CPU cpu+i; -1 = no pinning */
	bool busy_poll;		/* loops spin instead of sleeping in epoll */
	uint32_t idle_us;	/* busy_poll: after this long without any event a loop
				 * sleeps in epoll again until the next; 0 = never */
	uint32_t inline_data;	/* in-capsule data bytes (IOCCSZ - 64); 0 = 8192 */
};

int nvmx_tgt_new(const struct nvmx_tgt_opts *opts, struct nvmx_tgt **out);
/* Stops the target if running, frees everything, closes the backends. */
void nvmx_tgt_free(struct nvmx_tgt *t);

/* A new NVM subsystem; allow_any_host starts true. */
int nvmx_tgt_subsys_add(struct nvmx_tgt *t, const char *nqn, struct nvmx_tgt_subsys **out);
struct nvmx_tgt_subsys *nvmx_tgt_subsys_find(struct nvmx_tgt *t, const char *nqn);
void nvmx_tgt_subsys_set_allow_any(struct nvmx_tgt_subsys *s, bool allow);
int nvmx_tgt_subsys_allow_host(struct nvmx_tgt_subsys *s, const char *hostnqn);
int nvmx_tgt_subsys_set_ids(struct nvmx_tgt_subsys *s, const char *serial, const char *model);

/*
 * Namespaces.  nvmx_tgt_ns_add takes ownership of the backend (also on
 * failure).  nguid/uuid may be NULL (then derived from the subsystem NQN and
 * NSID, stable across restarts).
 */
int nvmx_tgt_ns_add(struct nvmx_tgt_subsys *s, uint32_t nsid, struct nvmx_bdev *b,
		    const uint8_t nguid[16], const uint8_t uuid[16]);
int nvmx_tgt_ns_remove(struct nvmx_tgt_subsys *s, uint32_t nsid);
int nvmx_tgt_ns_resize(struct nvmx_tgt_subsys *s, uint32_t nsid, uint64_t bytes);

/* A TCP port.  trsvcid "0" binds an ephemeral port (see nvmx_tgt_port_bound). */
int nvmx_tgt_port_add(struct nvmx_tgt *t, uint16_t portid, const char *traddr,
		      const char *trsvcid, struct nvmx_tgt_port **out);
int nvmx_tgt_port_link(struct nvmx_tgt_port *p, struct nvmx_tgt_subsys *s);
/* The TCP port number the listener is bound to, after nvmx_tgt_start. */
int nvmx_tgt_port_bound(const struct nvmx_tgt_port *p);
/* Walk the ports: prev NULL gives the first; NULL at the end. */
struct nvmx_tgt_port *nvmx_tgt_port_next(struct nvmx_tgt *t, struct nvmx_tgt_port *prev);
const char *nvmx_tgt_port_traddr(const struct nvmx_tgt_port *p);

/* Bind the listeners and start the event loop threads. */
int nvmx_tgt_start(struct nvmx_tgt *t);
/*
 * Graceful stop: stop accepting, let in-flight commands complete (bounded),
 * close connections, flush backends, join threads.  Safe to call once from
 * any thread other than the loops (e.g. after a signal).
 */
void nvmx_tgt_stop(struct nvmx_tgt *t);

/* SMART/health values that are set from outside (control socket). */
int nvmx_tgt_set_health(struct nvmx_tgt_subsys *s, int temperature_k,
			int avail_spare, int crit_warning);

/* nvmetcli "save" JSON; errors name the JSON path. */
int nvmx_tgt_load_config(struct nvmx_tgt *t, const char *path, char *err, unsigned errlen);

/* JSON-RPC 2.0 control socket on a UNIX path; served by its own thread. */
int nvmx_tgt_control_start(struct nvmx_tgt *t, const char *path);

#endif
