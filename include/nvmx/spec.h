/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NVMe wire formats: NVMe Base 2.0, NVM Command Set 1.0, NVMe over Fabrics
 * 1.1, NVMe/TCP Transport 1.0.  All structures are packed and little-endian;
 * read and write their fields with the accessors of nvmx/le.h.  Every size
 * and every numbered offset is checked with _Static_assert where it is
 * defined, tests/unit/test_spec_libnvme.c compares them with libnvme and
 * tests/unit/test_spec_spdk.c with SPDK (tests/unit/SPEC_CROSSCHECK.md).
 */
#ifndef NVMX_SPEC_H
#define NVMX_SPEC_H

#include "nvmx/spec_cmd.h"
#include "nvmx/spec_regs.h"
#include "nvmx/spec_identify.h"
#include "nvmx/spec_log.h"
#include "nvmx/spec_fabrics.h"
#include "nvmx/spec_tcp.h"
#include "nvmx/spec_names.h"

#endif /* NVMX_SPEC_H */
