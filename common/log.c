// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c: line-buffered logging to stderr, optionally mirrored to syslog. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

static const char *log_prog = "umlnet";
static enum log_level log_level = LOG_LVL_INFO;
static int log_syslog;

void log_init(const char *prog, enum log_level level, int use_syslog)
{
	log_prog = prog;
	log_level = level;
	log_syslog = use_syslog;
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (use_syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

int log_enabled(enum log_level level)
{
	return level <= log_level;
}

__attribute__((format(printf, 2, 0)))
static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	_Static_assert(sizeof(prio) / sizeof(prio[0]) == LOG_LVL_DEBUG + 1,
		       "one syslog priority per log level");
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "%s: %s\n", log_prog, line);
	if (log_syslog)
		syslog(prio[level], "%s", line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
