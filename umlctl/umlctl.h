/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umlctl.h: umlctl, the command line of uml_switch's management socket
 * (uml_switch-mgmt(7)): the connection and its requests (umlctl.c), what
 * the replies say, as tables or JSON (print.c), and the streams, events
 * and capture (stream.c).
 */
#ifndef UMLNET_UMLCTL_H
#define UMLNET_UMLCTL_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define UMLCTL_LINE_MAX	(1U << 20)	/* the longest reply we take */
#define UMLCTL_TOKENS	65536

/* A connection to the management socket and the last line read. */
struct uc {
	int fd;
	const char *path;
	int json;		/* -j */
	char *buf;		/* UMLCTL_LINE_MAX + 1: what was read */
	size_t have;		/* bytes in buf */
	size_t line;		/* length of the line at buf, its '\n' not
				 * counted (0: none yet) */
	struct json j;		/* the line, parsed */
	struct json_tok *tok;
};

/* umlctl.c */
int uc_request(struct uc *u, const char *req);
int uc_read_line(struct uc *u, int timeout_ms);
void uc_drop_line(struct uc *u);
int uc_get(const struct json *j, int t, const char *path);
uint64_t uc_num(const struct json *j, int t, const char *path);
const char *uc_str(const struct json *j, int t, const char *path, char *buf,
		   size_t len);
void uc_raw(const struct json *j, int t, const char **s, size_t *n);
__attribute__((format(printf, 1, 2))) void uc_err(const char *fmt, ...);

/* print.c */
void print_show(const struct json *j);
void print_ports_head(void);
void print_port(const struct json *j, int t);
void print_fdb_head(void);
void print_fdb_entry(const struct json *j, int t);
void print_port_counters(const struct json *j, int t, const char *what);
void print_event(const struct json *j);
void print_impair(const struct json *j, int t);
int print_nonzero(const struct json *j, int t, const char *prefix,
		  const char *const *names, const char *open);

/* stream.c */
int stream_events(struct uc *u);
int stream_capture(struct uc *u, int argc, char **argv);

#endif /* UMLNET_UMLCTL_H */
