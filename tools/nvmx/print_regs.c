/* SPDX-License-Identifier: BSD-2-Clause */
/* Controller registers (Base 3.1.3) as nvme-cli's show-regs prints them. */
#include <inttypes.h>
#include <string.h>

#include "nvmx/le.h"
#include "nvmx/spec_regs.h"
#include "print.h"

/* Persistent Memory Region registers follow PMRCAP (Base Figure 33). */
enum {
	REG_PMRCTL = NVMX_REG_PMRCAP + 0x04,
	REG_PMRSTS = NVMX_REG_PMRCAP + 0x08,
	REG_PMREBS = NVMX_REG_PMRCAP + 0x0c,
	REG_PMRSWTP = NVMX_REG_PMRCAP + 0x10,
	REG_PMRMSCL = NVMX_REG_PMRCAP + 0x14,
	REG_PMRMSCU = NVMX_REG_PMRCAP + 0x18,
};

struct reg {
	const char *name;	/* JSON key */
	const char *label;	/* text label, padded as nvme-cli */
	uint16_t off;
	uint8_t is64;
	uint8_t pcie_only;	/* not a fabrics property */
	void (*human)(FILE *f, uint64_t v);
};

static const char *yes_no(uint64_t b) { return b ? "Yes" : "No"; }
static const char *supp(uint64_t b) { return b ? "Supported" : "Not Supported"; }

static void human_cap(FILE *f, uint64_t cap)
{
	fprintf(f, "\tController Ready With Media Support (CRWMS): %s\n", supp((cap >> 59) & 1));
	fprintf(f, "\tController Ready Independent of Media Support (CRIMS): %s\n", supp((cap >> 60) & 1));
	fprintf(f, "\tController Memory Buffer Supported (CMBS): The Controller Memory Buffer is %s\n",
		supp(nvmx_cap_cmbs(cap)));
	fprintf(f, "\tPersistent Memory Region Supported (PMRS): The Persistent Memory Region is %s\n",
		supp(nvmx_cap_pmrs(cap)));
	fprintf(f, "\tMemory Page Size Maximum         (MPSMAX): %u bytes\n", 1u << (12 + nvmx_cap_mpsmax(cap)));
	fprintf(f, "\tMemory Page Size Minimum         (MPSMIN): %u bytes\n", 1u << (12 + nvmx_cap_mpsmin(cap)));
	fprintf(f, "\tBoot Partition Support              (BPS): %s\n", yes_no(nvmx_cap_bps(cap)));
	fprintf(f, "\tCommand Sets Supported              (CSS): NVM command set is %s\n",
		supp(nvmx_cap_css(cap) & NVMX_CAP_CSS_NVM));
	fprintf(f, "\t                                           One or more I/O Command Sets are %s\n",
		supp(nvmx_cap_css(cap) & NVMX_CAP_CSS_CSI));
	fprintf(f, "\t                                           %s\n",
		nvmx_cap_css(cap) & NVMX_CAP_CSS_ADMIN ? "Only Admin Command Set Supported"
						       : "I/O Command Set is Supported");
	fprintf(f, "\tNVM Subsystem Reset Supported     (NSSRS): %s\n", yes_no(nvmx_cap_nssrs(cap)));
	fprintf(f, "\tDoorbell Stride                   (DSTRD): %u bytes\n", 1u << (2 + nvmx_cap_dstrd(cap)));
	fprintf(f, "\tTimeout                              (TO): %u ms\n", nvmx_cap_to(cap) * 500);
	fprintf(f, "\tArbitration Mechanism Supported     (AMS): Weighted Round Robin with Urgent "
		"Priority Class is %s\n", nvmx_cap_ams(cap) & 1 ? "supported" : "not supported");
	fprintf(f, "\tContiguous Queues Required          (CQR): %s\n", yes_no(nvmx_cap_cqr(cap)));
	fprintf(f, "\tMaximum Queue Entries Supported    (MQES): %u\n\n", nvmx_cap_mqes(cap) + 1);
}

static void human_vs(FILE *f, uint64_t vs)
{
	fprintf(f, "\tNVMe specification %u.%u\n\n", nvmx_vs_mjr((uint32_t)vs), nvmx_vs_mnr((uint32_t)vs));
}

static void human_cc(FILE *f, uint64_t v)
{
	static const char *const shn[] = {
		"No notification; no effect", "Normal shutdown notification",
		"Abrupt shutdown notification", "Reserved",
	};
	uint32_t cc = (uint32_t)v, ams = nvmx_cc_ams(cc), css = nvmx_cc_css(cc);

	fprintf(f, "\tController Ready Independent of Media Enable (CRIME): %s\n",
		cc & NVMX_CC_CRIME ? "Enabled" : "Disabled");
	fprintf(f, "\tI/O Completion Queue Entry Size (IOCQES): %u bytes\n", 1u << nvmx_cc_iocqes(cc));
	fprintf(f, "\tI/O Submission Queue Entry Size (IOSQES): %u bytes\n", 1u << nvmx_cc_iosqes(cc));
	fprintf(f, "\tShutdown Notification              (SHN): %s\n", shn[nvmx_cc_shn(cc)]);
	fprintf(f, "\tArbitration Mechanism Selected     (AMS): %s\n",
		ams == 0 ? "Round Robin" : ams == 1 ? "Weighted Round Robin with Urgent Priority Class" :
		ams == 7 ? "Vendor Specific" : "Reserved");
	fprintf(f, "\tMemory Page Size                   (MPS): %u bytes\n", 1u << (12 + nvmx_cc_mps(cc)));
	fprintf(f, "\tI/O Command Set Selected           (CSS): %s\n",
		css == 0 ? "NVM Command Set" : css == 6 ? "All supported I/O Command Sets" :
		css == 7 ? "Admin Command Set only" : "Reserved");
	fprintf(f, "\tEnable                              (EN): %s\n\n", yes_no(nvmx_cc_en(cc)));
}

static void human_csts(FILE *f, uint64_t v)
{
	static const char *const shst[] = {
		"Normal operation (no shutdown has been requested)",
		"Shutdown processing occurring", "Shutdown processing complete", "Reserved",
	};
	uint32_t csts = (uint32_t)v;

	fprintf(f, "\tProcessing Paused               (PP): %s\n", yes_no(csts & NVMX_CSTS_PP));
	fprintf(f, "\tNVM Subsystem Reset Occurred (NSSRO): %s\n", yes_no(nvmx_csts_nssro(csts)));
	fprintf(f, "\tShutdown Status               (SHST): %s\n", shst[nvmx_csts_shst(csts)]);
	fprintf(f, "\tController Fatal Status        (CFS): %s\n", nvmx_csts_cfs(csts) ? "True" : "False");
	fprintf(f, "\tReady                          (RDY): %s\n\n", yes_no(nvmx_csts_rdy(csts)));
}

static void human_nssr(FILE *f, uint64_t v)
{
	fprintf(f, "\tNVM Subsystem Reset Control (NSSRC): %u\n\n", (unsigned)v);
}

static void human_crto(FILE *f, uint64_t v)
{
	fprintf(f, "\tCRIMT                               : %u secs\n", (unsigned)(v >> 16) / 2);
	fprintf(f, "\tCRWMT                               : %u secs\n", (unsigned)(v & 0xffff) / 2);
}

static void human_aqa(FILE *f, uint64_t v)
{
	fprintf(f, "\tAdmin Completion Queue Size (ACQS): %u\n", nvmx_aqa_acqs((uint32_t)v) + 1);
	fprintf(f, "\tAdmin Submission Queue Size (ASQS): %u\n\n", nvmx_aqa_asqs((uint32_t)v) + 1);
}

static void human_asq(FILE *f, uint64_t v)
{
	fprintf(f, "\tAdmin Submission Queue Base (ASQB): %" PRIx64 "\n\n", v);
}

static void human_acq(FILE *f, uint64_t v)
{
	fprintf(f, "\tAdmin Completion Queue Base (ACQB): %" PRIx64 "\n\n", v);
}

/* nvme-cli's order: the fabrics properties first, then the PCIe-only ones. */
static const struct reg regs[] = {
	{ "cap", "cap     ", NVMX_REG_CAP, 1, 0, human_cap },
	{ "vs", "version ", NVMX_REG_VS, 0, 0, human_vs },
	{ "cc", "cc      ", NVMX_REG_CC, 0, 0, human_cc },
	{ "csts", "csts    ", NVMX_REG_CSTS, 0, 0, human_csts },
	{ "nssr", "nssr    ", NVMX_REG_NSSR, 0, 0, human_nssr },
	{ "crto", "crto    ", NVMX_REG_CRTO, 0, 0, human_crto },
	{ "intms", "intms   ", NVMX_REG_INTMS, 0, 1, NULL },
	{ "intmc", "intmc   ", NVMX_REG_INTMC, 0, 1, NULL },
	{ "aqa", "aqa     ", NVMX_REG_AQA, 0, 1, human_aqa },
	{ "asq", "asq     ", NVMX_REG_ASQ, 1, 1, human_asq },
	{ "acq", "acq     ", NVMX_REG_ACQ, 1, 1, human_acq },
	{ "cmbloc", "cmbloc  ", NVMX_REG_CMBLOC, 0, 1, NULL },
	{ "cmbsz", "cmbsz   ", NVMX_REG_CMBSZ, 0, 1, NULL },
	{ "bpinfo", "bpinfo  ", NVMX_REG_BPINFO, 0, 1, NULL },
	{ "bprsel", "bprsel  ", NVMX_REG_BPRSEL, 0, 1, NULL },
	{ "bpmbl", "bpmbl   ", NVMX_REG_BPMBL, 1, 1, NULL },
	{ "cmbmsc", "cmbmsc\t", NVMX_REG_CMBMSC, 1, 1, NULL },
	{ "cmbsts", "cmbsts\t", NVMX_REG_CMBSTS, 0, 1, NULL },
	{ "pmrcap", "pmrcap  ", NVMX_REG_PMRCAP, 0, 1, NULL },
	{ "pmrctl", "pmrctl  ", REG_PMRCTL, 0, 1, NULL },
	{ "pmrsts", "pmrsts  ", REG_PMRSTS, 0, 1, NULL },
	{ "pmrebs", "pmrebs  ", REG_PMREBS, 0, 1, NULL },
	{ "pmrswtp", "pmrswtp ", REG_PMRSWTP, 0, 1, NULL },
	{ "pmrmscl", "pmrmscl\t", REG_PMRMSCL, 0, 1, NULL },
	{ "pmrmscu", "pmrmscu\t", REG_PMRMSCU, 0, 1, NULL },
};
#define N_REGS (sizeof(regs) / sizeof(regs[0]))

static uint64_t reg_val(const uint8_t *bar, const struct reg *r)
{
	return r->is64 ? nvmx_get_le64(bar + r->off) : nvmx_get_le32(bar + r->off);
}

struct json_object *nvmx_json_regs(const void *bar)
{
	struct json_object *root = json_object_new_object();
	unsigned i;

	for (i = 0; i < N_REGS; i++)
		json_object_object_add(root, regs[i].name, nvmx_json_u64(reg_val(bar, &regs[i])));
	return root;
}

void nvmx_print_regs(const struct nvmx_out *o, const void *bar, bool fabrics)
{
	unsigned i;

	if (o->fmt == NVMX_OUT_BINARY)
		return nvmx_out_raw(o->f, bar, 0xe1c);	/* 0x0000 to 0x0e1b, as nvme-cli */
	if (o->fmt == NVMX_OUT_JSON)
		return nvmx_out_json(o->f, nvmx_json_regs(bar));

	for (i = 0; i < N_REGS; i++) {
		const struct reg *r = &regs[i];
		uint64_t v = reg_val(bar, r);

		if (fabrics && r->pcie_only)
			continue;
		/* a property the controller did not return reads as all ones */
		if (!r->pcie_only && v == (r->is64 ? UINT64_MAX : UINT32_MAX))
			continue;
		fprintf(o->f, "%s: %" PRIx64 "\n", r->label, v);
		if (o->human && r->human)
			r->human(o->f, v);
	}
}
