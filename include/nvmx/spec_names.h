/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names in words for the numbers of the wire formats, for messages, the
 * CLI and logs.  Every function returns a static string, never NULL; an
 * unknown value gives "Unknown" (or "Reserved"/"Vendor Specific" where the
 * spec says so).  Implemented in lib/util/spec_names.c.
 */
#ifndef NVMX_SPEC_NAMES_H
#define NVMX_SPEC_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Which opcode table a command belongs to. */
enum nvmx_cmd_set {
	NVMX_CMDSET_ADMIN,
	NVMX_CMDSET_NVM,
	NVMX_CMDSET_FABRICS,	/* opcode 7Fh: name by fctype */
};

const char *nvmx_sct_name(unsigned sct);
/*
 * Name of a status (SCT, SC).  Command specific codes 80h and up mean
 * different things for Fabrics commands and NVM I/O commands: 'set' says
 * which command set issued the command (ADMIN for admin commands).
 */
const char *nvmx_status_name_for(unsigned sct, unsigned sc, enum nvmx_cmd_set set);
/* As above, for an I/O or admin command (not Fabrics). */
const char *nvmx_status_name(unsigned sct, unsigned sc);
/* Format "Invalid Field in Command (sct 0h, sc 2h) DNR" into buf; returns buf. */
char *nvmx_status_str(uint16_t status, enum nvmx_cmd_set set, char *buf, size_t len);

const char *nvmx_admin_opc_name(uint8_t opc);
const char *nvmx_nvm_opc_name(uint8_t opc);
const char *nvmx_fabrics_fctype_name(uint8_t fctype);
const char *nvmx_opc_name(enum nvmx_cmd_set set, uint8_t opc);

const char *nvmx_log_page_name(uint8_t lid);
const char *nvmx_feature_name(uint8_t fid);
const char *nvmx_aer_type_name(unsigned type);
const char *nvmx_aer_info_name(unsigned type, unsigned info);
/* Name of one critical-warning bit (0..7). */
const char *nvmx_critical_warning_name(unsigned bit);

const char *nvmx_tcp_pdu_name(uint8_t type);
const char *nvmx_tcp_fes_name(unsigned fes);

#endif /* NVMX_SPEC_NAMES_H */
