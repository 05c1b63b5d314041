// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonw.c: the JSON writer of json.h: values appended to a fixed buffer,
 * commas and nesting kept right, ASCII only, overflow flagged and never
 * written half.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

void jw_init(struct jw *w, char *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	if (cap)
		buf[0] = '\0';
}

static void jw_put(struct jw *w, const char *s, size_t n)
{
	if (w->overflow || w->len + n >= w->cap) {
		w->overflow = 1;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void jw_quoted(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0, k;
	char esc[6];
	unsigned char c;

	jw_put(w, "\"", 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		if (c >= 0x80 &&
		    (k = json_utf8_len((const unsigned char *)s + i, n - i))) {
			i += k - 1;	/* valid UTF-8 is kept */
			continue;
		}
		jw_put(w, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jw_put(w, esc, 2);
		} else if (c >= 0x80) {
			jw_put(w, "?", 1);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			jw_put(w, esc, 6);
		}
	}
	jw_put(w, s + run, n - run);
	jw_put(w, "\"", 1);
}

/* The comma before a value, and its name inside an object. */
static void jw_sep(struct jw *w, const char *key)
{
	if (w->depth) {
		if (!w->first[w->depth - 1])
			jw_put(w, ",", 1);
		w->first[w->depth - 1] = 0;
	}
	if (key) {
		jw_quoted(w, key, strlen(key));
		jw_put(w, ":", 1);
	}
}

static void jw_open(struct jw *w, const char *key, char open, char close)
{
	jw_sep(w, key);
	if (w->depth == JSON_DEPTH_MAX) {
		w->overflow = 1;
		return;
	}
	jw_put(w, &open, 1);
	w->first[w->depth] = 1;
	w->close[w->depth] = (uint8_t)close;
	w->depth++;
}

void jw_obj(struct jw *w, const char *key)
{
	jw_open(w, key, '{', '}');
}

void jw_arr(struct jw *w, const char *key)
{
	jw_open(w, key, '[', ']');
}

void jw_end(struct jw *w)
{
	char c;

	if (!w->depth) {
		w->overflow = 1;
		return;
	}
	c = (char)w->close[--w->depth];
	jw_put(w, &c, 1);
}

void jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_sep(w, key);
	jw_quoted(w, s, n);
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	if (!s) {
		jw_null(w, key);
		return;
	}
	jw_strn(w, key, s, strlen(s));
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRIu64, v);

	jw_sep(w, key);
	jw_put(w, b, (size_t)n);
}

void jw_i64(struct jw *w, const char *key, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRId64, v);

	jw_sep(w, key);
	jw_put(w, b, (size_t)n);
}

void jw_bool(struct jw *w, const char *key, int v)
{
	jw_sep(w, key);
	jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w, const char *key)
{
	jw_sep(w, key);
	jw_put(w, "null", 4);
}

void jw_raw(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_sep(w, key);
	jw_put(w, s, n);
}

void jw_time(struct jw *w, const char *key, uint64_t usec)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%" PRIu64 ".%06" PRIu64,
			 usec / 1000000, usec % 1000000);

	jw_sep(w, key);
	jw_put(w, b, (size_t)n);
}
