/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fault matrix's misbehaving NVMe/TCP controller (see bad_target.h).
 * Wire formats: NVMe/TCP 1.0 (PDUs), NVMe-oF 1.1 (Connect, Property
 * Get/Set), NVMe base 2.0 (Identify, Set Features).  Deliberately simple:
 * blocking sockets, a thread per connection, one controller (CNTLID 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bad_target.h"
#include "nvmx/le.h"
#include "util/crc32c.h"

#define RAM_BYTES	(1u << 20)
#define BLK		512u
#define MAX_DATA	(256u * 1024)

struct conn {
	struct bad_target *t;
	int fd;
	bool hd, dd;
	uint16_t qid;
	pthread_t th;
	struct conn *next;
	/* Capsules that arrived while a write's data was awaited. */
	uint8_t pending[64][64];
	unsigned int npending;
	uint8_t hdr[256];
	uint8_t data[MAX_DATA];
	uint8_t out[MAX_DATA + 256];
};

struct bad_target {
	int lfd;
	pthread_t acc;
	pthread_mutex_t lock;
	struct conn *conns;
	volatile bool stop;
	enum bad_fault fault;
	unsigned int trigger, delay_ms, io_seen;
	int fired;
	unsigned int termreqs;
	uint16_t last_fes;
	uint32_t cc;
	uint8_t ram[RAM_BYTES];
};

static int rd(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p = (uint8_t *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

static int wr(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p = (const uint8_t *)p + w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- sending ---- */

#define F_HDGST		0x01
#define F_DDGST		0x02
#define F_LAST		0x04
#define F_SUCCESS	0x08

struct pdu_opts {
	bool bad_hdgst, bad_ddgst;
	uint32_t plen;		/* override (0: the right one) */
	size_t send_only;	/* send this many bytes (0: all) */
};

/* Header (hlen bytes at h, common header filled here) + digests + data. */
static int send_pdu(struct conn *c, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t *h,
		    const void *data, uint32_t len, const struct pdu_opts *o)
{
	bool dig = type != 0x01 && type != 0x03;
	unsigned int hd = dig && c->hd ? 4 : 0, dd = dig && c->dd && len ? 4 : 0;
	uint32_t pdo = len ? hlen + hd : 0, plen = hlen + hd + len + dd;
	uint8_t *p = c->out;
	size_t n;

	h[0] = type;
	h[1] = (uint8_t)(flags | (hd ? F_HDGST : 0) | (dd ? F_DDGST : 0));
	h[2] = hlen;
	h[3] = (uint8_t)pdo;
	nvmx_put_le32(h + 4, o && o->plen ? o->plen : plen);
	memcpy(p, h, hlen);
	n = hlen;
	if (hd) {
		nvmx_put_le32(p + n, nvmx_crc32c(p, hlen) ^ (o && o->bad_hdgst ? 1u : 0u));
		n += 4;
	}
	if (len) {
		memcpy(p + n, data, len);
		n += len;
		if (dd) {
			nvmx_put_le32(p + n, nvmx_crc32c(data, len) ^ (o && o->bad_ddgst ? 0x80u : 0u));
			n += 4;
		}
	}
	if (o && o->send_only && o->send_only < n)
		n = o->send_only;
	return wr(c->fd, p, n);
}

static int send_rsp(struct conn *c, uint16_t cid, uint16_t status, uint64_t dw01,
		    const struct pdu_opts *o)
{
	uint8_t h[24] = { 0 };

	nvmx_put_le64(h + 8, dw01);
	nvmx_put_le16(h + 20, cid);
	nvmx_put_le16(h + 22, (uint16_t)(status << 1));
	return send_pdu(c, 0x05, 0, 24, h, NULL, 0, o);
}

static int send_c2h(struct conn *c, uint16_t cid, const void *data, uint32_t len,
		    const struct pdu_opts *o)
{
	uint8_t h[24] = { 0 };

	nvmx_put_le16(h + 8, cid);
	nvmx_put_le32(h + 12, 0);
	nvmx_put_le32(h + 16, len);
	return send_pdu(c, 0x07, F_LAST, 24, h, data, len, o);
}

static int send_r2t(struct conn *c, uint16_t cid, uint16_t ttag, uint32_t off, uint32_t len)
{
	uint8_t h[24] = { 0 };

	nvmx_put_le16(h + 8, cid);
	nvmx_put_le16(h + 10, ttag);
	nvmx_put_le32(h + 12, off);
	nvmx_put_le32(h + 16, len);
	return send_pdu(c, 0x09, 0, 24, h, NULL, 0, NULL);
}

/* ---- receiving ---- */

/* One PDU: header in c->hdr, data (if any) in c->data.  -1 on EOF/garbage. */
static int recv_pdu(struct conn *c, uint32_t *datal)
{
	uint8_t *h = c->hdr, scratch[8];
	uint32_t plen, got, pdo;
	unsigned int hd, dd;

	if (rd(c->fd, h, 8))
		return -1;
	plen = nvmx_get_le32(h + 4);
	if (h[2] < 8 || h[2] > 128 || plen < h[2] || plen > MAX_DATA + 256)
		return -1;
	if (rd(c->fd, h + 8, h[2] - 8u))
		return -1;
	hd = (h[1] & F_HDGST) ? 4 : 0;
	dd = (h[1] & F_DDGST) ? 4 : 0;
	got = h[2];
	if (hd) {
		if (rd(c->fd, scratch, 4))
			return -1;
		got += 4;
	}
	*datal = 0;
	if (plen == got)
		return 0;
	pdo = h[3] ? h[3] : got;
	while (got < pdo) {	/* pad */
		if (rd(c->fd, scratch, 1))
			return -1;
		got++;
	}
	*datal = plen - got - dd;
	if (*datal > MAX_DATA || rd(c->fd, c->data, *datal))
		return -1;
	if (dd && rd(c->fd, scratch, 4))
		return -1;
	return 0;
}

/* ---- admin ---- */

static void id_ctrl(uint8_t *b)
{
	memset(b, 0, 4096);
	nvmx_put_le16(b, 0x1b36);
	memcpy(b + 4, "BAD0001             ", 20);
	memcpy(b + 24, "nvmx fault-matrix target                ", 40);
	memcpy(b + 64, "1.0     ", 8);
	nvmx_put_le16(b + 78, 1);		/* CNTLID */
	nvmx_put_le32(b + 80, 0x10300);		/* VER 1.3 */
	b[512] = 0x66;				/* SQES */
	b[513] = 0x44;				/* CQES */
	nvmx_put_le32(b + 516, 1);		/* NN */
	strcpy((char *)b + 768, "nqn.2024-01.io.nvmx:bad");
	nvmx_put_le32(b + 1792, 4);		/* IOCCSZ: no in-capsule data */
	nvmx_put_le32(b + 1796, 1);		/* IORCSZ */
}

static void id_ns(uint8_t *b)
{
	memset(b, 0, 4096);
	nvmx_put_le64(b, RAM_BYTES / BLK);
	nvmx_put_le64(b + 8, RAM_BYTES / BLK);
	nvmx_put_le64(b + 16, RAM_BYTES / BLK);
	b[130] = 9;				/* LBAF0: 512-byte blocks */
}

static uint64_t prop_get(struct bad_target *t, uint32_t off)
{
	switch (off) {
	case 0x00: return 127u | (1u << 16) | (1u << 24) | (1ull << 37);	/* CAP */
	case 0x08: return 0x10300;						/* VS */
	case 0x14: return t->cc;						/* CC */
	case 0x1c: return (t->cc & 1) | ((t->cc >> 14) & 3 ? 0x8u : 0u);	/* CSTS */
	default: return 0;
	}
}

static int admin(struct conn *c, const uint8_t *s)
{
	struct bad_target *t = c->t;
	uint16_t cid = nvmx_get_le16(s + 2);
	uint32_t cdw10 = nvmx_get_le32(s + 40), len = nvmx_get_le32(s + 32);
	uint8_t *b = c->data;

	switch (s[0]) {
	case 0x7f:	/* Fabrics */
		if (s[4] == 0x01) {
			c->qid = nvmx_get_le16(s + 42);
			return send_rsp(c, cid, 0, 1, NULL);
		}
		if (s[4] == 0x04)
			return send_rsp(c, cid, 0, prop_get(t, nvmx_get_le32(s + 44)), NULL);
		if (s[4] == 0x00) {
			if (nvmx_get_le32(s + 44) == 0x14)
				t->cc = (uint32_t)nvmx_get_le64(s + 48);
			return send_rsp(c, cid, 0, 0, NULL);
		}
		return send_rsp(c, cid, 0x02, 0, NULL);
	case 0x06:	/* Identify */
		switch (cdw10 & 0xff) {
		case 1: id_ctrl(b); break;
		case 0: id_ns(b); break;
		case 2: memset(b, 0, 4096); nvmx_put_le32(b, 1); break;
		case 3: memset(b, 0, 4096); break;
		default: return send_rsp(c, cid, 0x02, 0, NULL);
		}
		if (len > 4096)
			len = 4096;
		return send_c2h(c, cid, b, len, NULL) || send_rsp(c, cid, 0, 0, NULL) ? -1 : 0;
	case 0x02:	/* Get Log Page: zeros */
		if (len > MAX_DATA)
			len = MAX_DATA;
		memset(b, 0, len);
		return (len && send_c2h(c, cid, b, len, NULL)) || send_rsp(c, cid, 0, 0, NULL) ? -1 : 0;
	case 0x09:	/* Set Features */
		return send_rsp(c, cid, 0, (cdw10 & 0xff) == 0x07 ? 0x00030003 : 0, NULL);
	case 0x0c:	/* AER: held */
		return 0;
	default:
		return send_rsp(c, cid, 0, 0, NULL);
	}
}

/* ---- I/O ---- */

static void note_termreq(struct conn *c)
{
	pthread_mutex_lock(&c->t->lock);
	c->t->termreqs++;
	c->t->last_fes = nvmx_get_le16(c->hdr + 8);
	pthread_mutex_unlock(&c->t->lock);
}

/* Receive the write's data after our R2T(s). */
static int pull(struct conn *c, uint32_t len)
{
	uint32_t have = 0, n;

	while (have < len) {
		if (recv_pdu(c, &n))
			return -1;
		if (c->hdr[0] == 0x04 && c->npending < 64 && n == 0) {
			memcpy(c->pending[c->npending++], c->hdr + 8, 64);
			continue;
		}
		if (c->hdr[0] == 0x02)
			note_termreq(c);
		if (c->hdr[0] != 0x06)
			return -1;
		if (nvmx_get_le32(c->hdr + 12) != have || have + n > len)
			return -1;
		memcpy(c->out + have, c->data, n);	/* c->out collects, c->data receives */
		have += n;
	}
	memcpy(c->data, c->out, len);
	return 0;
}

static int io(struct conn *c, const uint8_t *s)
{
	struct bad_target *t = c->t;
	uint16_t cid = nvmx_get_le16(s + 2);
	uint64_t slba = nvmx_get_le64(s + 40);
	uint32_t nlb = (nvmx_get_le32(s + 48) & 0xffff) + 1u, len = nlb * BLK;
	enum bad_fault f = BAD_NONE;
	struct pdu_opts o = { 0 };

	if (c->qid == 1) {
		pthread_mutex_lock(&t->lock);
		if (t->io_seen++ == t->trigger) {
			f = t->fault;
			t->fired = 1;
		}
		pthread_mutex_unlock(&t->lock);
	}
	if (s[0] != 0x00 && s[0] != 0x01 && s[0] != 0x02)
		return send_rsp(c, cid, 0x01, 0, NULL);	/* Invalid Opcode */
	if (s[0] != 0x00 && (slba + nlb > RAM_BYTES / BLK || len > MAX_DATA))
		return send_rsp(c, cid, 0x80, 0, NULL);	/* LBA Out of Range */
	switch (f) {
	case BAD_DROP_CPL:
		return 0;
	case BAD_DELAY_CPL:
		for (unsigned int i = 0; i < t->delay_ms / 10 && !t->stop; i++)
			usleep(10000);
		break;
	case BAD_UNKNOWN_TYPE: {
		uint8_t h[24] = { 0 };

		return send_pdu(c, 0x0f, 0, 24, h, NULL, 0, NULL);
	}
	default:
		break;
	}
	if (s[0] == 0x01) {
		if (f == BAD_R2T_BEYOND)
			return send_r2t(c, cid, 1, 0, len + BLK);
		if (f == BAD_R2T_OVER_MAXR2T && len >= 2 * BLK) {
			/* Both R2Ts in one segment: were the first to arrive
			 * alone, a fast host could finish it before reading
			 * the second, which would then be within MAXR2T. */
			int on = 1, off = 0, rc;

			setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on));
			rc = send_r2t(c, cid, 1, 0, len / 2) || send_r2t(c, cid, 2, len / 2, len - len / 2);
			setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &off, sizeof(off));
			return rc;
		}
		if (send_r2t(c, cid, 1, 0, len) || pull(c, len))
			return -1;
		memcpy(t->ram + slba * BLK, c->data, len);
	} else if (s[0] == 0x02) {
		uint16_t dcid = f == BAD_C2H_UNKNOWN_CID ? 0xfffe : cid;

		o.bad_ddgst = f == BAD_DDGST;
		if (f == BAD_RESET_MID_DATA) {
			struct linger lg = { 1, 0 };

			o.send_only = 24 + (c->hd ? 4 : 0) + len / 2;
			send_c2h(c, cid, t->ram + slba * BLK, len, &o);
			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(c->fd);	/* linger 0: RST */
			c->fd = -1;
			return -1;
		}
		if (send_c2h(c, dcid, t->ram + slba * BLK, len, &o))
			return -1;
		o.bad_ddgst = false;
	}
	o.bad_hdgst = f == BAD_HDGST;
	if (f == BAD_TRUNCATED) {
		o.plen = 16;
		o.send_only = 16;
	}
	if (f == BAD_PLEN_HUGE)
		o.plen = 1u << 30;
	if (send_rsp(c, cid, 0, 0, &o))
		return -1;
	if (f == BAD_DUP_CPL)
		return send_rsp(c, cid, 0, 0, NULL);
	return 0;
}

/* ---- connection ---- */

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	uint8_t *h = c->hdr;
	uint32_t n;

	/* ICReq -> ICResp with the digests the host asked for. */
	if (recv_pdu(c, &n) || h[0] != 0x00)
		goto out;
	c->hd = h[11] & 1;
	c->dd = h[11] & 2;
	{
		uint8_t r[128] = { 0 };

		r[11] = h[11] & 3;
		nvmx_put_le32(r + 12, 65536);	/* MAXH2CDATA */
		if (send_pdu(c, 0x01, 0, 128, r, NULL, 0, NULL))
			goto out;
	}
	while (!c->t->stop) {
		if (c->npending) {
			uint8_t sqe[64];

			memcpy(sqe, c->pending[0], 64);
			memmove(c->pending[0], c->pending[1], --c->npending * 64u);
			if (io(c, sqe))
				break;
			continue;
		}
		if (recv_pdu(c, &n))
			break;
		if (h[0] == 0x02) {	/* H2CTermReq */
			note_termreq(c);
			break;
		}
		if (h[0] != 0x04)
			break;
		if (c->qid == 0 || h[8] == 0x7f ? admin(c, h + 8) : io(c, h + 8))
			break;
	}
out:
	if (c->fd < 0)
		return NULL;
	/* A send may have failed because the host already ended the
	 * connection: what it sent before (its H2CTermReq) is still there. */
	shutdown(c->fd, SHUT_WR);
	while (recv_pdu(c, &n) == 0)
		if (h[0] == 0x02)
			note_termreq(c);
	shutdown(c->fd, SHUT_RDWR);
	return NULL;
}

static void *accept_main(void *arg)
{
	struct bad_target *t = arg;

	while (!t->stop) {
		struct pollfd p = { .fd = t->lfd, .events = POLLIN };
		struct conn *c;
		int fd, one = 1;

		if (poll(&p, 1, 50) <= 0)
			continue;
		fd = accept(t->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->t = t;
		c->fd = fd;
		pthread_mutex_lock(&t->lock);
		c->next = t->conns;
		t->conns = c;
		pthread_mutex_unlock(&t->lock);
		if (pthread_create(&c->th, NULL, conn_main, c))
			shutdown(fd, SHUT_RDWR);
	}
	return NULL;
}

struct bad_target *bad_target_start(enum bad_fault fault, unsigned int trigger,
				     unsigned int delay_ms, uint16_t *port)
{
	struct bad_target *t = calloc(1, sizeof(*t));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	if (!t)
		return NULL;
	t->fault = fault;
	t->trigger = trigger;
	t->delay_ms = delay_ms;
	pthread_mutex_init(&t->lock, NULL);
	t->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (t->lfd < 0 || bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(t->lfd, 16) ||
	    getsockname(t->lfd, (struct sockaddr *)&sa, &sl) ||
	    pthread_create(&t->acc, NULL, accept_main, t)) {
		if (t->lfd >= 0)
			close(t->lfd);
		free(t);
		return NULL;
	}
	*port = ntohs(sa.sin_port);
	return t;
}

void bad_target_stop(struct bad_target *t)
{
	struct conn *c, *next;

	if (!t)
		return;
	t->stop = true;
	pthread_join(t->acc, NULL);
	close(t->lfd);
	for (c = t->conns; c; c = c->next)
		if (c->fd >= 0)
			shutdown(c->fd, SHUT_RDWR);
	for (c = t->conns; c; c = next) {
		next = c->next;
		pthread_join(c->th, NULL);
		if (c->fd >= 0)
			close(c->fd);
		free(c);
	}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

int bad_target_fired(struct bad_target *t)
{
	int f;

	pthread_mutex_lock(&t->lock);
	f = t->fired;
	pthread_mutex_unlock(&t->lock);
	return f;
}

unsigned int bad_target_termreqs(struct bad_target *t, uint16_t *fes)
{
	unsigned int n;

	pthread_mutex_lock(&t->lock);
	n = t->termreqs;
	if (fes)
		*fes = t->last_fes;
	pthread_mutex_unlock(&t->lock);
	return n;
}
