/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transport-ID helpers shared inside the library.  The parse/print entry
 * points are public (include/nvmx/nvmx.h); these are the pieces the
 * transports reuse.
 */
#ifndef NVMX_UTIL_TRID_H
#define NVMX_UTIL_TRID_H

#include <stddef.h>
#include <sys/socket.h>

#include "nvmx/nvmx.h"

/* Fill a sockaddr for a TCP transport ID.  -EINVAL on a bad address/port. */
int nvmx_trid_sockaddr(const struct nvmx_trid *trid, struct sockaddr_storage *ss,
		       socklen_t *sslen);

/* Parse a decimal port 1..65535; -EINVAL otherwise. */
int nvmx_parse_port(const char *s, unsigned int *port);

/* Parse a UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" into 16 bytes. */
int nvmx_uuid_parse(const char *s, unsigned char uuid[16]);
/* Print 16 bytes as a lower-case UUID (buf of at least 37 bytes). */
void nvmx_uuid_format(const unsigned char uuid[16], char *buf);

#endif
