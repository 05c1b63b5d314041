/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h: a small, strict JSON (RFC 8259) parser and a writer, for the
 * switch's management protocol (one object per line each way) and its
 * client, umlctl.
 *
 * Parser: the whole text is checked against the grammar (objects, arrays,
 * strings with every escape, numbers, true, false, null) into a table of
 * tokens the caller provides; nothing is allocated.  Strict: no comments,
 * no trailing commas, no leading zeros, no control characters or invalid
 * UTF-8 in strings, no lone surrogates, nothing after the value, nesting
 * at most JSON_DEPTH_MAX deep.  Tokens are in document order; a
 * container's children follow it, and tok.next is the index just past
 * its whole subtree, so siblings are walked without recursion.  An object
 * member is two tokens: its key (a string), then its value.
 *
 * Writer: appends to a fixed buffer, keeping commas and nesting right; a
 * text that does not fit sets .overflow and is never cut silently.  In
 * strings, control characters are escaped, valid UTF-8 is kept and any
 * other byte is written as '?', so what it writes is always valid JSON.
 */
#ifndef UMLNET_JSON_H
#define UMLNET_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX	32
#define JSON_ERR_MAX	128

enum json_type {
	JSON_NULL = 1,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_tok {
	uint8_t type;		/* enum json_type */
	uint8_t boolean;	/* JSON_BOOL: its value */
	uint8_t escaped;	/* JSON_STRING: has escapes to decode */
	uint32_t off;		/* source offset: strings after the quote */
	uint32_t len;		/* source bytes: strings without quotes */
	uint32_t size;		/* array elements, object members */
	uint32_t next;		/* index of the token after this subtree */
};

struct json {
	const char *src;
	size_t len;
	struct json_tok *tok;
	unsigned int max, n;
	char err[JSON_ERR_MAX];	/* why parsing failed, and where */
};

/**
 * json_parse() - parse @len bytes at @src as one JSON value.
 * @j:		result; its tokens go to @tok (@max of them)
 * Return: 0, -EINVAL (not JSON: j->err says what and at which byte) or
 * -E2BIG (more than @max tokens).
 */
int json_parse(struct json *j, struct json_tok *tok, unsigned int max,
	       const char *src, size_t len);

/**
 * json_utf8_len() - the length of the valid UTF-8 sequence of two bytes
 * or more at @s (@n bytes there): well formed, not overlong, not a
 * surrogate, at most U+10FFFF.  Return: 2 to 4, or 0 if it is not one.
 */
size_t json_utf8_len(const unsigned char *s, size_t n);

/**
 * json_type_name() - "null", "a boolean", "a number", "a string",
 * "an array" or "an object", for messages.
 */
const char *json_type_name(unsigned int type);

/**
 * json_string() - decode string token @t into @buf (NUL-terminated).
 * Return: its length, -ENOMSG (not a string), -ERANGE (longer than
 * @len - 1 bytes) or -EINVAL (it holds a NUL character).
 */
int json_string(const struct json *j, unsigned int t, char *buf, size_t len);

/**
 * json_uint() - integer token @t (no fraction, no exponent, not
 * negative) as *@v.
 * Return: 0, -ENOMSG (not a number), -EINVAL (not a non-negative
 * integer) or -ERANGE (above UINT64_MAX).
 */
int json_uint(const struct json *j, unsigned int t, uint64_t *v);

/**
 * json_member() - the value of member @key of object token @obj.
 * Return: its token index, or -1 (absent, or @obj is not an object).
 */
int json_member(const struct json *j, unsigned int obj, const char *key);

/* ---- writer ---------------------------------------------------------- */

struct jw {
	char *buf;
	size_t cap, len;
	int overflow;		/* something did not fit */
	unsigned int depth;
	uint8_t first[JSON_DEPTH_MAX];	/* no member written yet */
	uint8_t close[JSON_DEPTH_MAX];	/* '}' or ']' */
};

/** jw_init() - write into @buf, @cap bytes (a NUL is kept after it). */
void jw_init(struct jw *w, char *buf, size_t cap);

/*
 * Each takes @key: the member name inside an object, NULL inside an
 * array or at the top.
 */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
/** jw_end() - close the innermost object or array. */
void jw_end(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *s);
/** jw_strn() - a string of @n bytes (which may hold NULs: escaped). */
void jw_strn(struct jw *w, const char *key, const char *s, size_t n);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_i64(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, int v);
void jw_null(struct jw *w, const char *key);
/** jw_raw() - @n bytes of JSON text the caller vouches for, as a value. */
void jw_raw(struct jw *w, const char *key, const char *s, size_t n);
/** jw_time() - microseconds as a number of seconds with 6 decimals. */
void jw_time(struct jw *w, const char *key, uint64_t usec);

#endif /* UMLNET_JSON_H */
