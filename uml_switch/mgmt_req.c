// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mgmt_req.c: management requests, decoded and checked (pure, no I/O,
 * fuzzed by tests/fuzz/fuzz_mgmt_req.c).  A request is a JSON object
 * with a "cmd" and the fields that command takes; an unknown command, an
 * unknown, repeated or missing field, a value of the wrong type or out
 * of range is refused with a code and a message naming it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mgmt.h"

#define F(x)	(1U << (x))

static const char *const mreq_fields[MF_N] = {
	[MF_CMD] = "cmd", [MF_PORT] = "port", [MF_START] = "start",
	[MF_SPEC] = "spec", [MF_NAME] = "name", [MF_CARRIER] = "carrier",
	[MF_MODE] = "mode", [MF_PORTS] = "ports", [MF_SNAPLEN] = "snaplen",
	[MF_COUNT] = "count", [MF_LINK] = "link",
};

struct mreq_def {
	const char *name;
	enum mreq_cmd cmd;
	uint32_t allowed;	/* besides cmd */
	uint32_t required;
};

static const struct mreq_def mreq_defs[] = {
	{ "show", MREQ_SHOW, 0, 0 },
	{ "ports", MREQ_PORTS, F(MF_PORT) | F(MF_START), 0 },
	{ "fdb", MREQ_FDB, F(MF_PORT) | F(MF_START), 0 },
	{ "fdb_flush", MREQ_FDB_FLUSH, F(MF_PORT), 0 },
	{ "port_add", MREQ_PORT_ADD, F(MF_SPEC) | F(MF_NAME), F(MF_SPEC) },
	{ "port_del", MREQ_PORT_DEL, F(MF_PORT), F(MF_PORT) },
	{ "port_set", MREQ_PORT_SET,
	  F(MF_PORT) | F(MF_CARRIER) | F(MF_NAME) | F(MF_LINK), F(MF_PORT) },
	{ "mode", MREQ_MODE, F(MF_MODE), F(MF_MODE) },
	{ "events", MREQ_EVENTS, 0, 0 },
	{ "capture", MREQ_CAPTURE, F(MF_PORTS) | F(MF_SNAPLEN) | F(MF_COUNT),
	  0 },
	{ "stop", MREQ_STOP, 0, 0 },
};

/* Scratch of one parse: the tokens, and which token each field is. */
struct mreq_ctx {
	struct json j;
	struct json_tok tok[MGMT_TOKENS];
	int field[MF_N];
	struct mreq_err *e;
};

__attribute__((format(printf, 3, 4)))
static int mreq_fail(struct mreq_err *e, const char *code, const char *fmt,
		     ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	for (s = e->msg; *s; s++)	/* it quotes what the client sent */
		if (*s < ' ' || *s > '~')
			*s = '?';
	e->code = code;
	return -EINVAL;
}

int mreq_name_ok(const char *s)
{
	size_t i, digits = 0, n = strlen(s);

	if (n == 0 || n >= MGMT_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!((s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' ||
			   s[i] == '_' || s[i] == '-'))
			return 0;
	}
	return digits < n;
}

static int mreq_wrong_type(struct mreq_ctx *c, enum mreq_field f,
			   const char *want)
{
	return mreq_fail(c->e, "type", "field '%s' must be %s, not %s",
			 mreq_fields[f], want,
			 json_type_name(c->tok[c->field[f]].type));
}

/* String field @f into @buf, at most @len - 1 bytes. */
static int mreq_str(struct mreq_ctx *c, enum mreq_field f, char *buf,
		    size_t len)
{
	int ret = json_string(&c->j, (unsigned int)c->field[f], buf, len);

	if (ret == -ENOMSG)
		return mreq_wrong_type(c, f, "a string");
	if (ret == -ERANGE)
		return mreq_fail(c->e, "bad_value", "field '%s' is longer "
				 "than %zu bytes", mreq_fields[f], len - 1);
	if (ret < 0)
		return mreq_fail(c->e, "bad_value", "field '%s' holds a NUL "
				 "character", mreq_fields[f]);
	return 0;
}

/* Unsigned integer field @f, @min to @max. */
static int mreq_uint(struct mreq_ctx *c, enum mreq_field f, uint64_t min,
		     uint64_t max, uint64_t *v)
{
	int ret = json_uint(&c->j, (unsigned int)c->field[f], v);

	if (ret == -ENOMSG)
		return mreq_wrong_type(c, f, "a number");
	if (ret || *v < min || *v > max)
		return mreq_fail(c->e, "bad_value", "field '%s' must be an "
				 "integer from %llu to %llu", mreq_fields[f],
				 (unsigned long long)min,
				 (unsigned long long)max);
	return 0;
}

/* One of two words: *@v is 1 for @one, 0 for @zero. */
static int mreq_word(struct mreq_ctx *c, enum mreq_field f, const char *one,
		     const char *zero, int *v)
{
	char w[16];
	int ret = json_string(&c->j, (unsigned int)c->field[f], w, sizeof(w));

	if (ret == -ENOMSG)
		return mreq_wrong_type(c, f, "a string");
	if (ret >= 0 && (!strcmp(w, one) || !strcmp(w, zero))) {
		*v = !strcmp(w, one);
		return 0;
	}
	return mreq_fail(c->e, "bad_value", "field '%s' must be \"%s\" or "
			 "\"%s\"", mreq_fields[f], one, zero);
}

/* A port: an index (a number, or a string of digits) or a name. */
static int mreq_port_at(struct mreq_ctx *c, unsigned int t, const char *what,
			struct mreq_port *p)
{
	char s[64];
	uint64_t v;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	if (c->tok[t].type == JSON_NUMBER) {
		if (json_uint(&c->j, t, &v) || v < 1 || v > 65535)
			return mreq_fail(c->e, "bad_value", "%s: a port index "
					 "is an integer from 1 to 65535", what);
		p->index = (uint32_t)v;
		return 0;
	}
	ret = json_string(&c->j, t, s, sizeof(s));
	if (ret == -ENOMSG)
		return mreq_fail(c->e, "type", "%s must be a port's index or "
				 "name, not %s", what,
				 json_type_name(c->tok[t].type));
	if (ret < 0)
		return mreq_fail(c->e, "bad_value", "%s: not a port's index "
				 "or name", what);
	for (i = 0, v = 0; s[i] >= '0' && s[i] <= '9'; i++)
		v = i < 6 ? v * 10 + (uint64_t)(s[i] - '0') : v;
	if (i && !s[i]) {
		if (i > 5 || v < 1 || v > 65535)
			return mreq_fail(c->e, "bad_value", "%s: port index "
					 "'%s' is not from 1 to 65535", what, s);
		p->index = (uint32_t)v;
		return 0;
	}
	if (!mreq_name_ok(s))
		return mreq_fail(c->e, "bad_value", "%s: '%s' is not a port's "
				 "index or name (names are 1 to 15 of A-Z a-z "
				 "0-9 . _ -)", what, s);
	memcpy(p->name, s, strlen(s) + 1);	/* mreq_name_ok: it fits */
	return 0;
}

static int mreq_ports(struct mreq_ctx *c, struct mreq *r)
{
	unsigned int t = (unsigned int)c->field[MF_PORTS], i, k;
	char what[32];

	if (c->tok[t].type != JSON_ARRAY)
		return mreq_wrong_type(c, MF_PORTS, "an array of ports");
	if (c->tok[t].size > MGMT_CAP_PORTS)
		return mreq_fail(c->e, "bad_value", "field 'ports' names more "
				 "than %d ports", MGMT_CAP_PORTS);
	k = t + 1;
	for (i = 0; i < c->tok[t].size; i++) {
		snprintf(what, sizeof(what), "ports[%u]", i);
		if (mreq_port_at(c, k, what, &r->ports[i]))
			return -EINVAL;
		k = c->tok[k].next;
	}
	r->nports = c->tok[t].size;
	return 0;
}

/* Every field the command allows, decoded. */
static int mreq_fields_decode(struct mreq_ctx *c, struct mreq *r)
{
	uint64_t v;

	if (c->field[MF_PORT] >= 0 &&
	    mreq_port_at(c, (unsigned int)c->field[MF_PORT], "field 'port'",
			 &r->port))
		return -EINVAL;
	if (c->field[MF_START] >= 0 &&
	    mreq_uint(c, MF_START, 0, UINT32_MAX, &r->start))
		return -EINVAL;
	if (c->field[MF_SPEC] >= 0 &&
	    mreq_str(c, MF_SPEC, r->spec, sizeof(r->spec)))
		return -EINVAL;
	if (c->field[MF_NAME] >= 0) {
		if (mreq_str(c, MF_NAME, r->name, sizeof(r->name)))
			return -EINVAL;
		if (!mreq_name_ok(r->name))
			return mreq_fail(c->e, "bad_value", "field 'name': "
					 "'%s' is not a valid name (1 to 15 "
					 "of A-Z a-z 0-9 . _ -, not all "
					 "digits)", r->name);
	}
	if (c->field[MF_LINK] >= 0 &&
	    mreq_str(c, MF_LINK, r->link, sizeof(r->link)))
		return -EINVAL;
	if (c->field[MF_CARRIER] >= 0 &&
	    mreq_word(c, MF_CARRIER, "up", "down", &r->carrier_up))
		return -EINVAL;
	if (c->field[MF_MODE] >= 0 &&
	    mreq_word(c, MF_MODE, "hub", "switch", &r->hub))
		return -EINVAL;
	if (c->field[MF_PORTS] >= 0 && mreq_ports(c, r))
		return -EINVAL;
	if (c->field[MF_SNAPLEN] >= 0) {
		if (mreq_uint(c, MF_SNAPLEN, 14, MGMT_SNAPLEN_MAX, &v))
			return -EINVAL;
		r->snaplen = (uint32_t)v;
	}
	if (c->field[MF_COUNT] >= 0 &&
	    mreq_uint(c, MF_COUNT, 1, UINT64_MAX, &r->count))
		return -EINVAL;
	return 0;
}

/* Which field each member is; unknown and repeated ones refused. */
static int mreq_members(struct mreq_ctx *c)
{
	unsigned int i, k = 1, f;
	char key[40];
	int ret;

	for (f = 0; f < MF_N; f++)
		c->field[f] = -1;
	for (i = 0; i < c->tok[0].size; i++) {
		ret = json_string(&c->j, k, key, sizeof(key));
		if (ret == -ERANGE)
			return mreq_fail(c->e, "unknown_field", "unknown field "
					 "'%.32s...'", key);
		if (ret < 0)
			return mreq_fail(c->e, "unknown_field", "unknown field "
					 "(its name holds a NUL)");
		for (f = 0; f < MF_N && strcmp(key, mreq_fields[f]); f++)
			;
		if (f == MF_N)
			return mreq_fail(c->e, "unknown_field", "unknown field "
					 "'%s'", key);
		if (c->field[f] >= 0)
			return mreq_fail(c->e, "duplicate_field", "field '%s' "
					 "given twice", key);
		c->field[f] = (int)k + 1;
		k = c->tok[k + 1].next;
	}
	return 0;
}

static const struct mreq_def *mreq_command(struct mreq_ctx *c)
{
	char name[32];
	size_t i;

	if (c->field[MF_CMD] < 0) {
		mreq_fail(c->e, "missing_field", "no field 'cmd' (what to do)");
		return NULL;
	}
	if (mreq_str(c, MF_CMD, name, sizeof(name)))
		return NULL;
	for (i = 0; i < sizeof(mreq_defs) / sizeof(mreq_defs[0]); i++)
		if (!strcmp(name, mreq_defs[i].name))
			return &mreq_defs[i];
	mreq_fail(c->e, "unknown_cmd", "unknown command '%s'", name);
	return NULL;
}

static int mreq_check(struct mreq_ctx *c, const struct mreq_def *d,
		      struct mreq *r)
{
	unsigned int f;

	for (f = 1; f < MF_N; f++) {
		if (c->field[f] < 0)
			continue;
		r->has |= F(f);
		if (!(d->allowed & F(f)))
			return mreq_fail(c->e, "unknown_field", "command '%s' "
					 "takes no field '%s'", d->name,
					 mreq_fields[f]);
	}
	for (f = 1; f < MF_N; f++)
		if ((d->required & F(f)) && c->field[f] < 0)
			return mreq_fail(c->e, "missing_field", "command '%s' "
					 "needs field '%s'", d->name,
					 mreq_fields[f]);
	if (d->cmd == MREQ_PORT_SET &&
	    !(r->has & (F(MF_CARRIER) | F(MF_NAME) | F(MF_LINK))))
		return mreq_fail(c->e, "missing_field", "command 'port_set' "
				 "needs field 'carrier', 'name' or 'link'");
	r->cmd = d->cmd;
	return mreq_fields_decode(c, r);
}

int mreq_parse(const char *line, size_t len, struct mreq *r,
	       struct mreq_err *e)
{
	static struct mreq_ctx c;	/* 6 KiB: not on the stack */
	const struct mreq_def *d;
	int ret;

	memset(r, 0, sizeof(*r));
	c.e = e;
	ret = json_parse(&c.j, c.tok, MGMT_TOKENS, line, len);
	if (ret == -E2BIG)
		return mreq_fail(e, "too_big", "request has more than %d "
				 "values", MGMT_TOKENS);
	if (ret)
		return mreq_fail(e, "parse", "not JSON: %s", c.j.err);
	if (c.tok[0].type != JSON_OBJECT)
		return mreq_fail(e, "type", "a request is a JSON object, not %s",
				 json_type_name(c.tok[0].type));
	if (mreq_members(&c))
		return -EINVAL;
	d = mreq_command(&c);
	if (!d)
		return -EINVAL;
	return mreq_check(&c, d, r);
}
