/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The target object, its subsystems, allowed hosts, namespaces and ports.
 * Namespaces are published with atomic stores so the I/O path looks them
 * up without a lock; a removed namespace is kept (graveyard) until the
 * target is freed, so a command already holding it stays safe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/core.h"
#include "util/crc32c.h"
#include "util/log.h"

static struct nvmx_tgt_subsys *subsys_alloc(struct nvmx_tgt *t, const char *nqn,
					    enum nvmx_subsys_type type)
{
	struct nvmx_tgt_subsys *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->t = t;
	s->type = type;
	snprintf(s->nqn, sizeof(s->nqn), "%s", nqn);
	/* A serial stable for a given NQN, so hosts recognise it across runs. */
	snprintf(s->serial, sizeof(s->serial), "nvmx%08x", nvmx_crc32c(nqn, strlen(nqn)));
	snprintf(s->model, sizeof(s->model), "%s", NVMX_TGT_MODEL);
	s->allow_any = true;
	atomic_init(&s->temperature, 273 + 35);
	atomic_init(&s->avail_spare, 100);
	atomic_init(&s->crit_warning, 0);
	return s;
}

int nvmx_tgt_new(const struct nvmx_tgt_opts *opts, struct nvmx_tgt **out)
{
	struct nvmx_tgt *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	if (opts)
		t->opts = *opts;
	if (t->opts.threads == 0)
		t->opts.threads = 1;
	if (t->opts.inline_data == 0)
		t->opts.inline_data = 8192;
	if (t->opts.inline_data > NVMX_TGT_BUF)
		t->opts.inline_data = NVMX_TGT_BUF;
	t->opts.inline_data &= ~15u;
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->fault_lock, NULL);
	t->next_cntlid = 1;
	t->genctr = 1;
	t->start_ns = nvmx_now_ns();
	t->disc = subsys_alloc(t, NVMX_DISC_SUBSYS_NAME, NVMX_SUBSYS_DISCOVERY);
	if (!t->disc) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

static void ns_free(struct nvmx_tgt_ns *ns)
{
	nvmx_bdev_close(ns->bdev);
	free(ns);
}

static void subsys_free(struct nvmx_tgt_subsys *s)
{
	for (unsigned i = 0; i < NVMX_TGT_MAX_NSID; i++)
		if (s->ns[i])
			ns_free(s->ns[i]);
	while (s->graveyard) {
		struct nvmx_tgt_ns *ns = s->graveyard;

		s->graveyard = ns->graveyard_next;
		ns_free(ns);
	}
	free(s->hosts);
	free(s);
}

void nvmx_tgt_free(struct nvmx_tgt *t)
{
	if (!t)
		return;
	nvmx_tgt_control_stop(t);
	nvmx_tgt_stop(t);
	while (t->ports) {
		struct nvmx_tgt_port *p = t->ports;

		t->ports = p->next;
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		free(p->subsys);
		free(p);
	}
	while (t->subsys) {
		struct nvmx_tgt_subsys *s = t->subsys;

		t->subsys = s->next;
		subsys_free(s);
	}
	subsys_free(t->disc);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->fault_lock);
	free(t);
}

struct nvmx_tgt_subsys *nvmx_tgt_subsys_find_locked(struct nvmx_tgt *t, const char *nqn)
{
	if (strcmp(nqn, NVMX_DISC_SUBSYS_NAME) == 0)
		return t->disc;
	for (struct nvmx_tgt_subsys *s = t->subsys; s; s = s->next)
		if (strcmp(s->nqn, nqn) == 0)
			return s;
	return NULL;
}

struct nvmx_tgt_subsys *nvmx_tgt_subsys_find(struct nvmx_tgt *t, const char *nqn)
{
	struct nvmx_tgt_subsys *s;

	pthread_mutex_lock(&t->lock);
	s = nvmx_tgt_subsys_find_locked(t, nqn);
	pthread_mutex_unlock(&t->lock);
	return s;
}

int nvmx_tgt_subsys_add(struct nvmx_tgt *t, const char *nqn, struct nvmx_tgt_subsys **out)
{
	struct nvmx_tgt_subsys *s, **tail;

	if (!nqn || !nqn[0] || strlen(nqn) > NVMX_NQN_MAX)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	if (nvmx_tgt_subsys_find_locked(t, nqn)) {
		pthread_mutex_unlock(&t->lock);
		return -EEXIST;
	}
	s = subsys_alloc(t, nqn, NVMX_SUBSYS_NVM);
	if (!s) {
		pthread_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	for (tail = &t->subsys; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	t->genctr++;
	pthread_mutex_unlock(&t->lock);
	if (out)
		*out = s;
	return 0;
}

void nvmx_tgt_subsys_set_allow_any(struct nvmx_tgt_subsys *s, bool allow)
{
	pthread_mutex_lock(&s->t->lock);
	s->allow_any = allow;
	s->t->genctr++;
	pthread_mutex_unlock(&s->t->lock);
}

int nvmx_tgt_subsys_allow_host(struct nvmx_tgt_subsys *s, const char *hostnqn)
{
	struct nvmx_tgt_host *h;

	if (!hostnqn || !hostnqn[0] || strlen(hostnqn) > NVMX_NQN_MAX)
		return -EINVAL;
	pthread_mutex_lock(&s->t->lock);
	h = realloc(s->hosts, (s->nhosts + 1) * sizeof(*h));
	if (!h) {
		pthread_mutex_unlock(&s->t->lock);
		return -ENOMEM;
	}
	s->hosts = h;
	snprintf(h[s->nhosts++].nqn, sizeof(h->nqn), "%s", hostnqn);
	s->t->genctr++;
	pthread_mutex_unlock(&s->t->lock);
	return 0;
}

int nvmx_tgt_subsys_set_ids(struct nvmx_tgt_subsys *s, const char *serial, const char *model)
{
	if ((serial && strlen(serial) > 20) || (model && strlen(model) > 40))
		return -EINVAL;
	if (serial)
		snprintf(s->serial, sizeof(s->serial), "%s", serial);
	if (model)
		snprintf(s->model, sizeof(s->model), "%s", model);
	return 0;
}

/* Caller holds t->lock (or is the only thread). */
bool nvmx_tgt_host_allowed(const struct nvmx_tgt_subsys *s, const char *hostnqn)
{
	if (s->type == NVMX_SUBSYS_DISCOVERY || s->allow_any)
		return true;
	for (unsigned i = 0; i < s->nhosts; i++)
		if (strcmp(s->hosts[i].nqn, hostnqn) == 0)
			return true;
	return false;
}

/* A stable identifier from the NQN and NSID when none is configured. */
static void derive_id(uint8_t id[16], const char *nqn, uint32_t nsid, uint32_t salt)
{
	uint32_t h = nvmx_crc32c(nqn, strlen(nqn)) ^ salt;

	for (unsigned i = 0; i < 4; i++) {
		uint32_t w = nvmx_crc32c(&h, sizeof(h)) ^ (nsid * 0x9e3779b9u) ^ i;

		nvmx_put_le32(id + 4 * i, w);
		h = w;
	}
}

int nvmx_tgt_ns_add(struct nvmx_tgt_subsys *s, uint32_t nsid, struct nvmx_bdev *b,
		    const uint8_t nguid[16], const uint8_t uuid[16])
{
	struct nvmx_tgt_ns *ns;
	struct nvmx_tgt_ns *expected = NULL;

	if (nsid == 0 || nsid > NVMX_TGT_MAX_NSID || !b || (b->blksz != 512 && b->blksz != 4096)) {
		nvmx_bdev_close(b);
		return -EINVAL;
	}
	ns = calloc(1, sizeof(*ns));
	if (!ns) {
		nvmx_bdev_close(b);
		return -ENOMEM;
	}
	ns->nsid = nsid;
	ns->bdev = b;
	ns->lba_shift = b->blksz == 4096 ? 12 : 9;
	if (nguid)
		memcpy(ns->nguid, nguid, 16);
	else
		derive_id(ns->nguid, s->nqn, nsid, 0x4e475549);
	if (uuid) {
		memcpy(ns->uuid, uuid, 16);
	} else {
		derive_id(ns->uuid, s->nqn, nsid, 0x55554944);
		ns->uuid[6] = (ns->uuid[6] & 0x0f) | 0x40;	/* RFC 4122 v4 layout */
		ns->uuid[8] = (ns->uuid[8] & 0x3f) | 0x80;
	}
	if (!atomic_compare_exchange_strong(&s->ns[nsid - 1], &expected, ns)) {
		ns_free(ns);
		return -EEXIST;
	}
	nvmx_info("%s: namespace %u on %s (%llu bytes, %u-byte blocks)", s->nqn, nsid,
		  b->desc, (unsigned long long)b->size, b->blksz);
	nvmx_tgt_aen_ns_changed(s, nsid);
	return 0;
}

int nvmx_tgt_ns_remove(struct nvmx_tgt_subsys *s, uint32_t nsid)
{
	struct nvmx_tgt_ns *ns;

	if (nsid == 0 || nsid > NVMX_TGT_MAX_NSID)
		return -EINVAL;
	ns = atomic_exchange(&s->ns[nsid - 1], NULL);
	if (!ns)
		return -ENOENT;
	ns->bdev->ops->flush(ns->bdev);
	pthread_mutex_lock(&s->t->lock);
	ns->graveyard_next = s->graveyard;
	s->graveyard = ns;
	pthread_mutex_unlock(&s->t->lock);
	nvmx_info("%s: namespace %u removed", s->nqn, nsid);
	nvmx_tgt_aen_ns_changed(s, nsid);
	return 0;
}

int nvmx_tgt_ns_resize(struct nvmx_tgt_subsys *s, uint32_t nsid, uint64_t bytes)
{
	struct nvmx_tgt_ns *ns = nvmx_tgt_ns_get(s, nsid);
	int rc;

	if (!ns)
		return -ENOENT;
	if (bytes == 0 || bytes % ns->bdev->blksz)
		return -EINVAL;
	rc = ns->bdev->ops->resize(ns->bdev, bytes);
	if (rc)
		return rc;
	nvmx_info("%s: namespace %u resized to %llu bytes", s->nqn, nsid, (unsigned long long)bytes);
	nvmx_tgt_aen_ns_changed(s, nsid);
	return 0;
}

int nvmx_tgt_set_health(struct nvmx_tgt_subsys *s, int temperature_k, int avail_spare,
			int crit_warning)
{
	if (temperature_k >= 0)
		atomic_store(&s->temperature, temperature_k);
	if (avail_spare >= 0)
		atomic_store(&s->avail_spare, avail_spare > 100 ? 100 : avail_spare);
	if (crit_warning >= 0)
		atomic_store(&s->crit_warning, crit_warning & NVMX_CW_ALL);
	nvmx_tgt_aen_smart_check(s);
	return 0;
}

int nvmx_tgt_port_add(struct nvmx_tgt *t, uint16_t portid, const char *traddr,
		      const char *trsvcid, struct nvmx_tgt_port **out)
{
	struct nvmx_tgt_port *p, **tail;

	if (!traddr || strlen(traddr) >= sizeof(p->traddr) || !trsvcid ||
	    strlen(trsvcid) >= sizeof(p->trsvcid))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->t = t;
	p->portid = portid;
	p->listen_fd = -1;
	p->adrfam = strchr(traddr, ':') ? NVMX_ADRFAM_IPV6 : NVMX_ADRFAM_IPV4;
	snprintf(p->traddr, sizeof(p->traddr), "%s", traddr);
	snprintf(p->trsvcid, sizeof(p->trsvcid), "%s", trsvcid);
	pthread_mutex_lock(&t->lock);
	for (tail = &t->ports; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	t->genctr++;
	pthread_mutex_unlock(&t->lock);
	*out = p;
	return 0;
}

int nvmx_tgt_port_link(struct nvmx_tgt_port *p, struct nvmx_tgt_subsys *s)
{
	struct nvmx_tgt_subsys **v;

	pthread_mutex_lock(&p->t->lock);
	v = realloc(p->subsys, (p->nsubsys + 1) * sizeof(*v));
	if (!v) {
		pthread_mutex_unlock(&p->t->lock);
		return -ENOMEM;
	}
	p->subsys = v;
	v[p->nsubsys++] = s;
	p->t->genctr++;
	pthread_mutex_unlock(&p->t->lock);
	return 0;
}

int nvmx_tgt_port_bound(const struct nvmx_tgt_port *p)
{
	return p->bound_port;
}

struct nvmx_tgt_port *nvmx_tgt_port_next(struct nvmx_tgt *t, struct nvmx_tgt_port *prev)
{
	return prev ? prev->next : t->ports;
}

const char *nvmx_tgt_port_traddr(const struct nvmx_tgt_port *p)
{
	return p->traddr;
}
