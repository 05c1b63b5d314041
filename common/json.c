// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c: the strict JSON parser of json.h, and its string and number
 * accessors.  Recursive descent, bounded by JSON_DEPTH_MAX; every failure
 * says what was expected and at which byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

struct jp {
	struct json *j;
	size_t pos;
	unsigned int depth;
};

static int jp_value(struct jp *p);

static int jp_fail(struct jp *p, const char *what)
{
	snprintf(p->j->err, sizeof(p->j->err), "at byte %zu: %s", p->pos,
		 what);
	return -EINVAL;
}

static int jp_peek(const struct jp *p)
{
	return p->pos < p->j->len ? (unsigned char)p->j->src[p->pos] : -1;
}

static void jp_ws(struct jp *p)
{
	int c;

	while ((c = jp_peek(p)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		p->pos++;
}

/* A new token of @type at the current position.  Return: its index. */
static int jp_tok(struct jp *p, unsigned int type)
{
	struct json *j = p->j;
	struct json_tok *t;

	if (j->n >= j->max) {
		snprintf(j->err, sizeof(j->err), "at byte %zu: more than %u "
			 "values", p->pos, j->max);
		return -E2BIG;
	}
	t = &j->tok[j->n];
	memset(t, 0, sizeof(*t));
	t->type = (uint8_t)type;
	t->off = (uint32_t)p->pos;
	return (int)j->n++;
}

static void jp_done(struct jp *p, int t)
{
	struct json_tok *k = &p->j->tok[t];

	k->len = (uint32_t)(p->pos - k->off);
	k->next = p->j->n;
}

static int jp_literal(struct jp *p, const char *word, unsigned int type,
		      int boolean)
{
	size_t n = strlen(word);
	int t;

	if (p->j->len - p->pos < n || memcmp(p->j->src + p->pos, word, n))
		return jp_fail(p, "expected a value");
	t = jp_tok(p, type);
	if (t < 0)
		return t;
	p->j->tok[t].boolean = (uint8_t)boolean;
	p->pos += n;
	jp_done(p, t);
	return 0;
}

static int jp_digits(struct jp *p, const char *what)
{
	int c = jp_peek(p);

	if (c < '0' || c > '9')
		return jp_fail(p, what);
	while ((c = jp_peek(p)) >= '0' && c <= '9')
		p->pos++;
	return 0;
}

static int jp_number(struct jp *p)
{
	int t = jp_tok(p, JSON_NUMBER), c;

	if (t < 0)
		return t;
	if (jp_peek(p) == '-')
		p->pos++;
	c = jp_peek(p);
	if (c == '0')
		p->pos++;
	else if (jp_digits(p, "expected a digit in a number"))
		return -EINVAL;
	if (jp_peek(p) == '.') {
		p->pos++;
		if (jp_digits(p, "expected a digit after '.' in a number"))
			return -EINVAL;
	}
	c = jp_peek(p);
	if (c == 'e' || c == 'E') {
		p->pos++;
		c = jp_peek(p);
		if (c == '+' || c == '-')
			p->pos++;
		if (jp_digits(p, "expected a digit in a number's exponent"))
			return -EINVAL;
	}
	jp_done(p, t);
	return 0;
}

static int jp_hex4(const char *s, unsigned int *v)
{
	unsigned int i, d;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned int)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned int)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned int)(s[i] - 'A' + 10);
		else
			return -EINVAL;
		*v = *v << 4 | d;
	}
	return 0;
}

/* \uXXXX at the current position (after the backslash and 'u'), and its
 * low surrogate if it is a high one. */
static int jp_unicode(struct jp *p)
{
	const char *s = p->j->src;
	unsigned int cp, lo;

	if (p->j->len - p->pos < 4 || jp_hex4(s + p->pos, &cp))
		return jp_fail(p, "expected four hex digits after \\u");
	p->pos += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jp_fail(p, "a low surrogate without a high one");
	if (cp < 0xd800 || cp > 0xdbff)
		return 0;
	if (p->j->len - p->pos < 6 || s[p->pos] != '\\' ||
	    s[p->pos + 1] != 'u' || jp_hex4(s + p->pos + 2, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return jp_fail(p, "a high surrogate without a low one");
	p->pos += 6;
	return 0;
}

static int jp_escape(struct jp *p)
{
	int c;

	p->pos++;	/* the backslash */
	c = jp_peek(p);
	if (c < 0 || !strchr("\"\\/bfnrtu", c))
		return jp_fail(p, "unknown escape in a string");
	p->pos++;
	return c == 'u' ? jp_unicode(p) : 0;
}

size_t json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned int k, lo = 0x80, hi = 0xbf, i, c = n ? s[0] : 0;

	if (c >= 0xc2 && c <= 0xdf)
		k = 1;
	else if (c >= 0xe0 && c <= 0xef)
		k = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 3;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;	/* not overlong */
	else if (c == 0xf4)
		hi = 0x8f;	/* at most U+10FFFF */
	if (n < k + 1)
		return 0;
	for (i = 1; i <= k; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return k + 1;
}

static int jp_string(struct jp *p)
{
	size_t n;
	int t, c;

	p->pos++;	/* the opening quote */
	t = jp_tok(p, JSON_STRING);
	if (t < 0)
		return t;
	for (;;) {
		c = jp_peek(p);
		if (c < 0)
			return jp_fail(p, "unterminated string");
		if (c == '"')
			break;
		if (c == '\\') {
			p->j->tok[t].escaped = 1;
			if (jp_escape(p))
				return -EINVAL;
		} else if (c < 0x20) {
			return jp_fail(p, "control character in a string "
				       "(escape it)");
		} else if (c < 0x80) {
			p->pos++;
		} else {
			n = json_utf8_len((const unsigned char *)p->j->src +
					  p->pos, p->j->len - p->pos);
			if (!n)
				return jp_fail(p, "invalid UTF-8 in a string");
			p->pos += n;
		}
	}
	jp_done(p, t);
	p->pos++;	/* the closing quote */
	return 0;
}

static int jp_enter(struct jp *p, unsigned int type)
{
	int t;

	if (++p->depth > JSON_DEPTH_MAX)
		return jp_fail(p, "nested too deeply");
	t = jp_tok(p, type);
	if (t >= 0)
		p->pos++;	/* '{' or '[' */
	return t;
}

static int jp_leave(struct jp *p, int t)
{
	p->pos++;	/* '}' or ']' */
	p->depth--;
	jp_done(p, t);
	return 0;
}

static int jp_object(struct jp *p)
{
	int t = jp_enter(p, JSON_OBJECT), ret;

	if (t < 0)
		return t;
	jp_ws(p);
	if (jp_peek(p) == '}')
		return jp_leave(p, t);
	for (;;) {
		jp_ws(p);
		if (jp_peek(p) != '"')
			return jp_fail(p, "expected a string (a member's name)");
		ret = jp_string(p);
		if (ret)
			return ret;
		jp_ws(p);
		if (jp_peek(p) != ':')
			return jp_fail(p, "expected ':' after a member's name");
		p->pos++;
		ret = jp_value(p);
		if (ret)
			return ret;
		p->j->tok[t].size++;
		jp_ws(p);
		if (jp_peek(p) == '}')
			return jp_leave(p, t);
		if (jp_peek(p) != ',')
			return jp_fail(p, "expected ',' or '}' in an object");
		p->pos++;
	}
}

static int jp_array(struct jp *p)
{
	int t = jp_enter(p, JSON_ARRAY), ret;

	if (t < 0)
		return t;
	jp_ws(p);
	if (jp_peek(p) == ']')
		return jp_leave(p, t);
	for (;;) {
		ret = jp_value(p);
		if (ret)
			return ret;
		p->j->tok[t].size++;
		jp_ws(p);
		if (jp_peek(p) == ']')
			return jp_leave(p, t);
		if (jp_peek(p) != ',')
			return jp_fail(p, "expected ',' or ']' in an array");
		p->pos++;
	}
}

static int jp_value(struct jp *p)
{
	int c;

	jp_ws(p);
	c = jp_peek(p);
	switch (c) {
	case '{':
		return jp_object(p);
	case '[':
		return jp_array(p);
	case '"':
		return jp_string(p);
	case 't':
		return jp_literal(p, "true", JSON_BOOL, 1);
	case 'f':
		return jp_literal(p, "false", JSON_BOOL, 0);
	case 'n':
		return jp_literal(p, "null", JSON_NULL, 0);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return jp_number(p);
		return jp_fail(p, c < 0 ? "expected a value, found the end" :
			       "expected a value");
	}
}

int json_parse(struct json *j, struct json_tok *tok, unsigned int max,
	       const char *src, size_t len)
{
	struct jp p = { .j = j };
	int ret;

	j->src = src;
	j->len = len;
	j->tok = tok;
	j->max = max;
	j->n = 0;
	j->err[0] = '\0';
	if (len > UINT32_MAX) {
		snprintf(j->err, sizeof(j->err), "text longer than 4 GiB");
		return -E2BIG;
	}
	ret = jp_value(&p);
	if (ret)
		return ret;
	jp_ws(&p);
	if (p.pos != len)
		return jp_fail(&p, "text after the value");
	return 0;
}

const char *json_type_name(unsigned int type)
{
	switch (type) {
	case JSON_NULL:
		return "null";
	case JSON_BOOL:
		return "a boolean";
	case JSON_NUMBER:
		return "a number";
	case JSON_STRING:
		return "a string";
	case JSON_ARRAY:
		return "an array";
	case JSON_OBJECT:
		return "an object";
	default:
		return "nothing";
	}
}

/* Code point @cp as UTF-8 into @out (4 bytes of room).  Return: bytes. */
static size_t json_utf8_put(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The escape at @s (after the backslash; checked by the parser) as bytes
 * in @out.  Return: source bytes used. */
static size_t json_unescape(const char *s, char *out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned int cp, lo;

	if (*s != 'u') {
		out[0] = to[strchr(from, *s) - from];
		*n = 1;
		return 1;
	}
	jp_hex4(s + 1, &cp);
	if (cp < 0xd800 || cp > 0xdbff) {
		*n = json_utf8_put(cp, out);
		return 5;
	}
	jp_hex4(s + 7, &lo);
	*n = json_utf8_put(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00),
			   out);
	return 11;
}

int json_string(const struct json *j, unsigned int t, char *buf, size_t len)
{
	const struct json_tok *k;
	size_t i = 0, o = 0, n;
	const char *s;
	char tmp[4];

	if (t >= j->n || j->tok[t].type != JSON_STRING)
		return -ENOMSG;
	k = &j->tok[t];
	s = j->src + k->off;
	while (i < k->len) {
		if (s[i] != '\\') {
			tmp[0] = s[i++];
			n = 1;
		} else {
			i += 1 + json_unescape(s + i + 1, tmp, &n);
		}
		if (n == 1 && tmp[0] == '\0')
			return -EINVAL;
		if (o + n >= len)
			return -ERANGE;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	if (len)
		buf[o] = '\0';
	return len ? (int)o : -ERANGE;
}

int json_uint(const struct json *j, unsigned int t, uint64_t *v)
{
	const struct json_tok *k;
	uint64_t x = 0;
	const char *s;
	uint32_t i;

	if (t >= j->n || j->tok[t].type != JSON_NUMBER)
		return -ENOMSG;
	k = &j->tok[t];
	s = j->src + k->off;
	for (i = 0; i < k->len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;	/* '-', '.', an exponent */
		if (x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -ERANGE;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

int json_member(const struct json *j, unsigned int obj, const char *key)
{
	unsigned int i, k;
	char name[64];

	if (obj >= j->n || j->tok[obj].type != JSON_OBJECT)
		return -1;
	k = obj + 1;
	for (i = 0; i < j->tok[obj].size; i++) {
		if (json_string(j, k, name, sizeof(name)) >= 0 &&
		    !strcmp(name, key))
			return (int)k + 1;
		k = j->tok[k + 1].next;
	}
	return -1;
}
