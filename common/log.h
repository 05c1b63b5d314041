/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h: the programs' logging (stderr or syslog).  It lives in common/, not in
 * net/: libumlnet (and so the kernel driver) never logs. */
#ifndef UMLNET_LOG_H
#define UMLNET_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };	/* in order */

/**
 * log_init() - set the program name prefix and verbosity.
 * @prog:	prefix of every line ("uml_switch")
 * @level:	highest level printed
 * @use_syslog:	also send every line to syslog (LOG_DAEMON)
 */
void log_init(const char *prog, enum log_level level, int use_syslog);
void log_set_level(enum log_level level);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

#define err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define debug(...)					\
	do {						\
		if (log_enabled(LOG_LVL_DEBUG))		\
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif /* UMLNET_LOG_H */
