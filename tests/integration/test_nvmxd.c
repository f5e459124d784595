/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nvmxd end to end on 127.0.0.1: the daemon is started on an ephemeral
 * port and driven by the raw test client (tgt_client.c): ICReq, Connect,
 * Property Get/Set, Identify, I/O through in-capsule data and R2T, with
 * and without digests, status codes, discovery, allowed hosts, AER,
 * keep-alive expiry, malformed PDUs.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tgt_client.h"

#define SUBNQN  "nqn.2024-01.io.nvmx:test"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001"
#define BADHOST "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000dead"
#define NS_BYTES (64ull << 20)

static pid_t daemon_pid;
static int port;
static const char *nvmxd_path;

static uint16_t sc(uint16_t st) { return (uint16_t)nvmx_st_sc(st); }
static uint16_t sct(uint16_t st) { return (uint16_t)nvmx_st_sct(st); }

static int start_daemon(void **state)
{
	int pfd[2];
	char line[256];
	FILE *f;

	if (pipe(pfd))
		return -1;
	daemon_pid = fork();
	if (daemon_pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(nvmxd_path, "nvmxd", "--listen", "127.0.0.1:0", "--ram", "64M",
		      "--nqn", SUBNQN, "--allow-host", HOSTNQN, "--threads", "2",
		      "--log", "error", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "nvmxd: listening on 127.0.0.1:%d", &port) != 1) {
		fprintf(stderr, "nvmxd did not start\n");
		return -1;
	}
	return 0;
}

/* Group teardown: only makes sure no daemon is left (cmocka ignores its
 * result; the shutdown itself is checked by the last test). */
static int stop_daemon(void **state)
{
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, NULL, 0);
	}
	return 0;
}

/* Admin queue connected and enabled; returns the CNTLID. */
static uint16_t admin_up(struct tc *c, bool hd, bool dd, uint32_t kato)
{
	uint16_t cntlid = 0;

	assert_int_equal(tc_open(c, port), 0);
	assert_int_equal(tc_ic(c, hd, dd, 0), 0);
	assert_int_equal(tc_connect(c, 0, 31, SUBNQN, HOSTNQN, 0xffff, kato, &cntlid), 0);
	assert_int_equal(tc_enable(c), 0);
	return cntlid;
}

static void io_up(struct tc *c, uint16_t cntlid, uint16_t qid, bool hd, bool dd)
{
	uint16_t got = 0;

	assert_int_equal(tc_open(c, port), 0);
	assert_int_equal(tc_ic(c, hd, dd, 0), 0);
	assert_int_equal(tc_connect(c, qid, 127, SUBNQN, HOSTNQN, cntlid, 0, &got), 0);
	assert_int_equal(got, cntlid);
}

static void registers_and_identify_tell_the_truth(void **state)
{
	struct tc a;
	uint64_t cap = 0, vs = 0, csts = 0;
	static uint8_t buf[4096];
	const struct nvmx_id_ctrl *id = (const void *)buf;
	const struct nvmx_id_ns *ns = (const void *)buf;
	uint16_t cntlid = admin_up(&a, false, false, 0);

	assert_int_equal(tc_prop_get(&a, NVMX_REG_CAP, true, &cap), 0);
	assert_int_equal(nvmx_cap_mqes(cap), 127);
	assert_int_equal(nvmx_cap_css(cap) & NVMX_CAP_CSS_NVM, NVMX_CAP_CSS_NVM);
	assert_int_equal(tc_prop_get(&a, NVMX_REG_VS, false, &vs), 0);
	assert_int_equal(vs, NVMX_VS(1, 3, 0));
	assert_int_equal(tc_prop_get(&a, NVMX_REG_CSTS, false, &csts), 0);
	assert_int_equal(csts & NVMX_CSTS_RDY, NVMX_CSTS_RDY);

	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	assert_int_equal(nvmx_le16_to_cpu(id->cntlid), cntlid);
	assert_string_equal(id->subnqn, SUBNQN);
	assert_int_equal(id->mdts, 5);
	assert_int_equal(id->aerl, 3);
	assert_int_equal(id->cntrltype, NVMX_CTRL_TYPE_IO);
	assert_int_equal(nvmx_le32_to_cpu(id->ioccsz), (64 + 8192) / 16);
	assert_int_equal(nvmx_le32_to_cpu(id->iorcsz), 1);
	assert_true(nvmx_le32_to_cpu(id->sgls) & 1);
	assert_true(nvmx_le32_to_cpu(id->oaes) & NVMX_OAES_NS_ATTR);
	assert_int_equal(nvmx_le16_to_cpu(id->oncs),
			 NVMX_ONCS_COMPARE | NVMX_ONCS_DSM | NVMX_ONCS_WRITE_ZEROES);
	assert_int_equal(memcmp(id->fr, "0.1.0   ", 8), 0);

	assert_int_equal(tc_identify(&a, NVMX_CNS_NS, 1, buf), 0);
	assert_int_equal(nvmx_le64_to_cpu(ns->nsze), NS_BYTES / 512);
	assert_int_equal(ns->lbaf[0].lbads, 9);
	/* An inactive NSID reads as zeroes; NSID 0 is invalid. */
	assert_int_equal(tc_identify(&a, NVMX_CNS_NS, 7, buf), 0);
	assert_int_equal(nvmx_le64_to_cpu(ns->nsze), 0);
	assert_int_equal(sc(tc_identify(&a, NVMX_CNS_NS, 0, buf)), NVMX_SC_INVALID_NS);

	assert_int_equal(tc_identify(&a, NVMX_CNS_NS_ACTIVE_LIST, 0, buf), 0);
	assert_int_equal(nvmx_get_le32(buf), 1);
	assert_int_equal(nvmx_get_le32(buf + 4), 0);
	assert_int_equal(tc_identify(&a, NVMX_CNS_NS_DESC_LIST, 1, buf), 0);
	assert_int_equal(buf[0], NVMX_NIDT_NGUID);
	assert_int_equal(buf[1], 16);
	assert_int_equal(buf[20], NVMX_NIDT_UUID);
	assert_int_equal(buf[21], 16);
	tc_close(&a);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed + (i >> 9));
}

static void write_read_verify(bool hd, bool dd)
{
	static uint8_t wbuf[128 * 1024], rbuf[128 * 1024];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, hd, dd, 0);

	io_up(&q, cntlid, 1, hd, dd);
	/* 4 KiB in the capsule. */
	fill(wbuf, 4096, 1);
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE, 1, 8, 7, wbuf, 4096, true), 0);
	assert_int_equal(q.r2ts, 0);
	memset(rbuf, 0, sizeof(rbuf));
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 8, 7, rbuf, 4096, false), 0);
	assert_memory_equal(wbuf, rbuf, 4096);
	/* 128 KiB (MDTS) through R2T + H2CData. */
	fill(wbuf, sizeof(wbuf), 7);
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE, 1, 1000, 255, wbuf, sizeof(wbuf), false), 0);
	assert_int_equal(q.r2ts, 1);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 1000, 255, rbuf, sizeof(rbuf), false), 0);
	assert_int_equal(q.c2h_pdus, 1);
	assert_memory_equal(wbuf, rbuf, sizeof(rbuf));
	/* Compare: equal passes, different fails with Compare Failure. */
	assert_int_equal(tc_rw(&q, NVMX_NVM_COMPARE, 1, 8, 7, wbuf + 0, 4096, false) != 0, 1);
	fill(wbuf, 4096, 1);
	assert_int_equal(tc_rw(&q, NVMX_NVM_COMPARE, 1, 8, 7, wbuf, 4096, true), 0);
	/* Write Zeroes then read zeroes. */
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE_ZEROES, 1, 8, 7, NULL, 0, false), 0);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 8, 7, rbuf, 4096, false), 0);
	memset(wbuf, 0, 4096);
	assert_memory_equal(wbuf, rbuf, 4096);
	assert_int_equal(tc_rw(&q, NVMX_NVM_FLUSH, 1, 0, 0, NULL, 0, false), 0);
	tc_close(&q);
	tc_close(&a);
}

static void io_round_trips_without_digests(void **state) { write_read_verify(false, false); }
static void io_round_trips_with_header_and_data_digests(void **state) { write_read_verify(true, true); }

/* HPDA 3: the host wants C2H data at 16-byte aligned offsets (TCP 3.6.2.2). */
static void c2h_data_honours_host_pdu_alignment(void **state)
{
	static uint8_t w[4096], r[4096];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 0), got;

	assert_int_equal(tc_open(&q, port), 0);
	assert_int_equal(tc_ic(&q, true, false, 3), 0);
	assert_int_equal(tc_connect(&q, 1, 127, SUBNQN, HOSTNQN, cntlid, 0, &got), 0);
	fill(w, sizeof(w), 5);
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE, 1, 64, 7, w, 4096, true), 0);
	/* tc_wait rejects a PDO that is not a multiple of (HPDA+1)*4. */
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 64, 7, r, 4096, false), 0);
	assert_memory_equal(w, r, sizeof(r));
	tc_close(&q);
	tc_close(&a);
}

static uint16_t dsm_deallocate(struct tc *q, const struct nvmx_dsm_range *r, unsigned n)
{
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cqe cqe;

	sqe.opc = NVMX_NVM_DSM;
	sqe.nsid = nvmx_cpu_to_le32(1);
	sqe.cdw10 = nvmx_cpu_to_le32(n - 1);
	sqe.cdw11 = nvmx_cpu_to_le32(NVMX_DSM_AD);
	if (tc_cmd(q, &sqe, (void *)r, n * sizeof(*r), 1, true, &cqe))
		return 0xffff;
	return nvmx_cqe_status(&cqe) & 0xfffe;
}

/* NVM 3.2.3: deallocated blocks read as zeroes (DLFEAT 001b); a range past
 * the end fails the whole command with LBA Out of Range, nothing freed. */
static void dataset_management_deallocates(void **state)
{
	static uint8_t w[8192], r[8192], z[8192];
	struct nvmx_dsm_range rg[2];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 0);

	io_up(&q, cntlid, 1, false, false);
	fill(w, sizeof(w), 11);
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE, 1, 4096, 15, w, sizeof(w), true), 0);
	rg[0] = (struct nvmx_dsm_range){ 0, nvmx_cpu_to_le32(8), nvmx_cpu_to_le64(4096) };
	rg[1] = (struct nvmx_dsm_range){ 0, nvmx_cpu_to_le32(8), nvmx_cpu_to_le64(NS_BYTES / 512 - 4) };
	assert_int_equal(sc(dsm_deallocate(&q, rg, 2)), NVMX_SC_LBA_RANGE);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 4096, 15, r, sizeof(r), false), 0);
	assert_memory_equal(r, w, sizeof(r));
	assert_int_equal(dsm_deallocate(&q, rg, 1), 0);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 4096, 15, r, sizeof(r), false), 0);
	assert_memory_equal(r, z, 4096);
	assert_memory_equal(r + 4096, w + 4096, 4096);
	tc_close(&q);
	tc_close(&a);
}

static void io_errors_get_exact_status_codes(void **state)
{
	static uint8_t buf[256 * 1024];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 0), st;
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cqe cqe;

	io_up(&q, cntlid, 1, false, false);
	/* Past the end: LBA Out of Range. */
	st = tc_rw(&q, NVMX_NVM_READ, 1, NS_BYTES / 512 - 1, 1, buf, 1024, false);
	assert_int_equal(sct(st), NVMX_SCT_GENERIC);
	assert_int_equal(sc(st), NVMX_SC_LBA_RANGE);
	/* Inactive namespace. */
	st = tc_rw(&q, NVMX_NVM_READ, 2, 0, 0, buf, 512, false);
	assert_int_equal(sc(st), NVMX_SC_INVALID_NS);
	/* More than MDTS (256 KiB > 128 KiB): Invalid Field. */
	st = tc_rw(&q, NVMX_NVM_READ, 1, 0, 511, buf, 256 * 1024, false);
	assert_int_equal(sc(st), NVMX_SC_INVALID_FIELD);
	/* Unknown opcode. */
	sqe.opc = 0x7e;
	sqe.nsid = nvmx_cpu_to_le32(1);
	assert_int_equal(tc_cmd(&q, &sqe, NULL, 0, 0, false, &cqe), 0);
	assert_int_equal(nvmx_st_sc(nvmx_cqe_status(&cqe)), NVMX_SC_INVALID_OPCODE);
	assert_int_equal(nvmx_st_dnr(nvmx_cqe_status(&cqe)), 1);
	/* SGL length that does not match NLB: Data SGL Length Invalid. */
	st = tc_rw(&q, NVMX_NVM_READ, 1, 0, 0, buf, 1024, false);
	assert_int_equal(sc(st), NVMX_SC_SGL_INVALID_DATA);
	/* Errors are in the error log, newest first. */
	assert_int_equal(tc_get_log(&a, NVMX_LID_ERROR, 0, buf, 4096, 0), 0);
	assert_true(nvmx_get_le64(buf) >= 5);
	assert_int_equal(nvmx_get_le16(buf + 8), 1);	/* SQID */
	tc_close(&q);
	tc_close(&a);
}

static void smart_log_counts_io(void **state)
{
	static uint8_t buf[4096];
	const struct nvmx_smart_log *l = (const void *)buf;
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 0);
	uint64_t reads0, writes0;

	assert_int_equal(tc_get_log(&a, NVMX_LID_SMART, 0xffffffff, buf, 512, 0), 0);
	reads0 = nvmx_get_le64(l->host_reads);
	writes0 = nvmx_get_le64(l->host_writes);
	assert_int_equal(l->avail_spare, 100);
	assert_int_equal(nvmx_get_le16(l->temperature), 273 + 35);
	io_up(&q, cntlid, 1, false, false);
	fill(buf, 4096, 3);
	assert_int_equal(tc_rw(&q, NVMX_NVM_WRITE, 1, 0, 7, buf, 4096, true), 0);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 0, 7, buf, 4096, false), 0);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 0, 7, buf, 4096, false), 0);
	assert_int_equal(tc_get_log(&a, NVMX_LID_SMART, 0xffffffff, buf, 512, 0), 0);
	assert_int_equal(nvmx_get_le64(l->host_reads) - reads0, 2);
	assert_int_equal(nvmx_get_le64(l->host_writes) - writes0, 1);
	assert_true(nvmx_get_le64(l->data_units_read) >= 1);
	tc_close(&q);
	tc_close(&a);
}

static void disallowed_host_is_refused_and_sees_nothing(void **state)
{
	static uint8_t buf[4096];
	struct tc a;
	uint16_t st;

	assert_int_equal(tc_open(&a, port), 0);
	assert_int_equal(tc_ic(&a, false, false, 0), 0);
	st = tc_connect(&a, 0, 31, SUBNQN, BADHOST, 0xffff, 0, NULL);
	assert_int_equal(sct(st), NVMX_SCT_CMD_SPECIFIC);
	assert_int_equal(sc(st), NVMX_SC_CONNECT_INVALID_HOST);
	tc_close(&a);

	/* Discovery: the bad host gets an empty log, the good one our entry. */
	assert_int_equal(tc_open(&a, port), 0);
	assert_int_equal(tc_ic(&a, false, false, 0), 0);
	assert_int_equal(tc_connect(&a, 0, 31, NVMX_DISC_SUBSYS_NAME, BADHOST, 0xffff, 0, NULL), 0);
	assert_int_equal(tc_enable(&a), 0);
	assert_int_equal(tc_get_log(&a, NVMX_LID_DISCOVERY, 0, buf, 4096, 0), 0);
	assert_int_equal(nvmx_get_le64(buf + 8), 0);
	tc_close(&a);

	assert_int_equal(tc_open(&a, port), 0);
	assert_int_equal(tc_ic(&a, false, false, 0), 0);
	assert_int_equal(tc_connect(&a, 0, 31, NVMX_DISC_SUBSYS_NAME, HOSTNQN, 0xffff, 0, NULL), 0);
	assert_int_equal(tc_enable(&a), 0);
	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	assert_int_equal(((struct nvmx_id_ctrl *)buf)->cntrltype, NVMX_CTRL_TYPE_DISCOVERY);
	assert_int_equal(tc_get_log(&a, NVMX_LID_DISCOVERY, 0, buf, 4096, 0), 0);
	assert_int_equal(nvmx_get_le64(buf + 8), 1);
	{
		const struct nvmx_disc_log_entry *e = (const void *)(buf + 1024);
		char svc[16];

		snprintf(svc, sizeof(svc), "%d", port);
		assert_int_equal(e->trtype, NVMX_TRTYPE_TCP);
		assert_int_equal(e->subtype, NVMX_SUBTYPE_NVME);
		assert_string_equal(e->subnqn, SUBNQN);
		assert_string_equal(e->traddr, "127.0.0.1");
		assert_string_equal(e->trsvcid, svc);
	}
	tc_close(&a);
}

static void reads_use_success_flag_when_sq_flow_control_is_off(void **state)
{
	static uint8_t buf[8192];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 0), got;

	assert_int_equal(tc_open(&q, port), 0);
	assert_int_equal(tc_ic(&q, false, false, 0), 0);
	q.sqfc_disabled = true;
	assert_int_equal(tc_connect(&q, 2, 127, SUBNQN, HOSTNQN, cntlid, 0, &got), 0);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 0, 15, buf, 8192, false), 0);
	assert_true(q.success_flag);
	tc_close(&q);
	/* With flow control on, the response carries SQHD: no SUCCESS flag. */
	io_up(&q, cntlid, 3, false, false);
	assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 0, 15, buf, 8192, false), 0);
	assert_false(q.success_flag);
	tc_close(&q);
	tc_close(&a);
}

static void smart_event_completes_an_aer(void **state)
{
	struct tc a;
	struct nvmx_sqe sqe = { 0 };
	struct nvmx_cqe cqe;
	static uint8_t buf[512];
	uint32_t dw0;

	admin_up(&a, false, false, 0);
	/* Over-temperature threshold below the current 308 K: event pending. */
	assert_int_equal(tc_features(&a, true, NVMX_FID_TEMP_THRESH, 300, NULL), 0);
	sqe.opc = NVMX_ADM_ASYNC_EVENT;
	assert_int_equal(tc_cmd(&a, &sqe, NULL, 0, 0, false, &cqe), 0);
	assert_int_equal(nvmx_cqe_status(&cqe) & 0xfffe, 0);
	dw0 = nvmx_le32_to_cpu(cqe.dw0);
	assert_int_equal(nvmx_aen_type(dw0), NVMX_AER_TYPE_SMART);
	assert_int_equal(nvmx_aen_info(dw0), NVMX_AER_SMART_TEMP_THRESH);
	assert_int_equal(nvmx_aen_lid(dw0), NVMX_LID_SMART);
	assert_int_equal(tc_get_log(&a, NVMX_LID_SMART, 0xffffffff, buf, 512, 0), 0);
	assert_true(buf[0] & NVMX_CW_TEMPERATURE);
	assert_int_equal(tc_features(&a, false, NVMX_FID_TEMP_THRESH, 0, &dw0), 0);
	assert_int_equal(dw0, 300);
	tc_close(&a);
}

static void keep_alive_expiry_tears_the_controller_down(void **state)
{
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 500), st;
	uint8_t b;

	usleep(1500 * 1000);
	/* The admin connection was closed by the target... */
	assert_true(recv(a.fd, &b, 1, 0) <= 0);
	tc_close(&a);
	/* ... and the controller is gone: an I/O queue cannot join it. */
	assert_int_equal(tc_open(&q, port), 0);
	assert_int_equal(tc_ic(&q, false, false, 0), 0);
	st = tc_connect(&q, 1, 127, SUBNQN, HOSTNQN, cntlid, 0, NULL);
	assert_int_equal(sc(st), NVMX_SC_CONNECT_INVALID_PARAM);
	tc_close(&q);
}

/* CTRATT.TBKAS: I/O traffic alone keeps the controller alive. */
static void io_traffic_keeps_the_controller_alive(void **state)
{
	static uint8_t buf[4096];
	struct tc a, q;
	uint16_t cntlid = admin_up(&a, false, false, 600);

	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	assert_true(nvmx_le32_to_cpu(((struct nvmx_id_ctrl *)buf)->ctratt) & NVMX_CTRATT_TBKAS);
	io_up(&q, cntlid, 1, false, false);
	for (int i = 0; i < 15; i++) {	/* 1.5 s, no Keep Alive */
		assert_int_equal(tc_rw(&q, NVMX_NVM_READ, 1, 0, 7, buf, 4096, false), 0);
		usleep(100 * 1000);
	}
	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, buf), 0);
	tc_close(&q);
	tc_close(&a);
}

static void malformed_pdu_gets_term_req_and_only_its_connection_closes(void **state)
{
	struct tc a, bad;
	uint8_t pdu[8] = { 0x42, 0, 8, 0, 8, 0, 0, 0 }, buf[512];
	static uint8_t id[4096];

	admin_up(&a, false, false, 0);
	assert_int_equal(tc_open(&bad, port), 0);
	assert_int_equal(tc_ic(&bad, false, false, 0), 0);
	assert_int_equal(tc_send_raw(&bad, pdu, sizeof(pdu)), 0);
	assert_true(tc_recv_pdu(&bad, buf, sizeof(buf)) >= 24);
	assert_int_equal(buf[0], NVMX_TCP_C2H_TERM);
	assert_int_equal(nvmx_get_le16(buf + 8), NVMX_TCP_FES_INVALID_HEADER);
	assert_int_equal(nvmx_get_le32(buf + 10), 0);	/* FEI: PDU-Type */
	assert_true(recv(bad.fd, buf, 1, 0) <= 0);	/* then closed */
	tc_close(&bad);
	/* The other connection still works. */
	assert_int_equal(tc_identify(&a, NVMX_CNS_CTRL, 0, id), 0);
	tc_close(&a);
}

/* SIGTERM with a host still connected: the daemon closes the connection,
 * flushes and exits 0.  Runs last: it stops the daemon. */
static void sigterm_with_a_host_connected_closes_it_and_exits_0(void **state)
{
	int status = -1;
	struct tc a;
	uint8_t b;

	admin_up(&a, false, false, 0);
	assert_int_equal(kill(daemon_pid, SIGTERM), 0);
	assert_int_equal(recv(a.fd, &b, 1, 0), 0);	/* orderly close, not a reset */
	tc_close(&a);
	assert_int_equal(waitpid(daemon_pid, &status, 0), daemon_pid);
	daemon_pid = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registers_and_identify_tell_the_truth),
		cmocka_unit_test(io_round_trips_without_digests),
		cmocka_unit_test(io_round_trips_with_header_and_data_digests),
		cmocka_unit_test(c2h_data_honours_host_pdu_alignment),
		cmocka_unit_test(dataset_management_deallocates),
		cmocka_unit_test(io_errors_get_exact_status_codes),
		cmocka_unit_test(smart_log_counts_io),
		cmocka_unit_test(disallowed_host_is_refused_and_sees_nothing),
		cmocka_unit_test(reads_use_success_flag_when_sq_flow_control_is_off),
		cmocka_unit_test(smart_event_completes_an_aer),
		cmocka_unit_test(keep_alive_expiry_tears_the_controller_down),
		cmocka_unit_test(io_traffic_keeps_the_controller_alive),
		cmocka_unit_test(malformed_pdu_gets_term_req_and_only_its_connection_closes),
		cmocka_unit_test(sigterm_with_a_host_connected_closes_it_and_exits_0),
	};

	nvmxd_path = argc > 1 ? argv[1] : getenv("NVMXD");
	if (!nvmxd_path) {
		fprintf(stderr, "usage: %s PATH-TO-NVMXD\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, start_daemon, stop_daemon);
}
