/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/log.h"

#define LOG_LEVEL_UNSET (-100)
static int log_level = LOG_LEVEL_UNSET;	/* until read from the environment */
static const char *log_prefix = "nvmx";

static const char *const level_names[] = { "error", "warn", "info", "debug" };

int nvmx_log_parse_level(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	if (strcasecmp(s, "off") == 0 || strcasecmp(s, "none") == 0)
		return NVMX_LOG_OFF;
	if (s[0] >= '0' && s[0] <= '3' && s[1] == '\0')
		return s[0] - '0';
	return -EINVAL;
}

enum nvmx_log_level nvmx_log_get_level(void)
{
	if (log_level == LOG_LEVEL_UNSET) {
		const char *env = getenv("NVMX_LOG");
		int lvl = env ? nvmx_log_parse_level(env) : -EINVAL;

		log_level = lvl >= NVMX_LOG_OFF ? lvl : NVMX_LOG_WARN;
	}
	return (enum nvmx_log_level)log_level;
}

void nvmx_log_set_level(enum nvmx_log_level lvl) { log_level = (int)lvl; }
void nvmx_log_set_prefix(const char *prefix) { log_prefix = prefix; }

void nvmx_log(enum nvmx_log_level lvl, const char *fmt, ...)
{
	char buf[1024];
	struct timespec ts;
	va_list ap;
	int n;

	if ((int)lvl > (int)nvmx_log_get_level())
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(buf, sizeof(buf), "%s[%ld.%03ld] %s: ", log_prefix,
		     (long)(ts.tv_sec % 100000), ts.tv_nsec / 1000000,
		     level_names[lvl]);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write so lines from several threads do not interleave. */
	fprintf(stderr, "%s\n", buf);
}

void nvmx_set_errmsg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}
