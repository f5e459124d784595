/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Logging to stderr with levels.  The level comes from NVMX_LOG
 * (off, error, warn, info, debug) or nvmx_log_set_level(); default warn.
 * Messages should name the controller, queue and command they concern.
 */
#ifndef NVMX_UTIL_LOG_H
#define NVMX_UTIL_LOG_H

#include <stddef.h>

enum nvmx_log_level {
	NVMX_LOG_OFF = -1,	/* nothing at all (tools that print their own errors) */
	NVMX_LOG_ERR = 0,
	NVMX_LOG_WARN,
	NVMX_LOG_INFO,
	NVMX_LOG_DEBUG,
};

void nvmx_log_set_level(enum nvmx_log_level lvl);
enum nvmx_log_level nvmx_log_get_level(void);
/* Parse "off", "error", "warn", "info", "debug" (or 0-3); -EINVAL if unknown. */
int nvmx_log_parse_level(const char *s);
void nvmx_log_set_prefix(const char *prefix);

void nvmx_log(enum nvmx_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Format an error message for the caller into msg (when msg and len are
 * non-zero): the "what failed and how to fix it" text that functions taking
 * an (err, errlen) pair hand back. */
void nvmx_set_errmsg(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define nvmx_err(...)   nvmx_log(NVMX_LOG_ERR, __VA_ARGS__)
#define nvmx_warn(...)  nvmx_log(NVMX_LOG_WARN, __VA_ARGS__)
#define nvmx_info(...)  nvmx_log(NVMX_LOG_INFO, __VA_ARGS__)
#define nvmx_debug(...) \
	do { if (nvmx_log_get_level() >= NVMX_LOG_DEBUG) nvmx_log(NVMX_LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
