// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * impair.c: a port's impairment settings (impair.h): their words and
 * units, checking them as a whole, giving them to a port, and showing
 * them.  The frames' side is impair_path.c.
 *
 * Grammar (words, as link.h cuts them): KEY VALUE... settings, at most
 * one direction word ("out", the default, or "in") for the whole request,
 * "clear" (the named direction, or both, starts empty before the
 * request's other settings), and "seed N" (the port's PRNGs).  Times take
 * us, ms or s; probabilities %; rates bit, kbit, mbit or gbit (per
 * second, decimal); bare numbers only where the value is a count (queue
 * frames, clamp bytes, seed).
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "link.h"
#include "log.h"
#include "sw.h"

/* The keys of the request's settings (struct impair_cfg.given). */
enum {
	IMPAIR_K_DELAY, IMPAIR_K_JITTER, IMPAIR_K_DIST, IMPAIR_K_LOSS,
	IMPAIR_K_BURST, IMPAIR_K_DUP, IMPAIR_K_REORDER, IMPAIR_K_CORRUPT,
	IMPAIR_K_RATE, IMPAIR_K_QUEUE, IMPAIR_K_CLAMP, IMPAIR_K_NSET,
	IMPAIR_K_SEED = IMPAIR_K_NSET, IMPAIR_K_CLEAR, IMPAIR_K_IN,
	IMPAIR_K_OUT, IMPAIR_K_N
};

/* In IMPAIR_K_* order: every word a --port spec item may start with. */
const char *const impair_keys[] = {
	"delay", "jitter", "dist", "loss", "burst", "dup", "reorder",
	"corrupt", "rate", "queue", "clamp", "seed", "clear", "in", "out",
	NULL
};

const char *const impair_ctr_names[IMPAIR_NCTR] = {
	"delayed", "lost", "lost_burst", "duplicated", "reordered",
	"corrupted", "rate_drop", "queue_drop", "clamp_drop",
};

static const char *const dir_names[IMPAIR_NDIR] = { "out", "in" };

/* A decimal number with up to 6 fraction digits, times @scale (a power
 * of ten up to 1e6 divided by 10^fraction digits used); *@unit is left
 * on what follows.  Return: 0, or -EINVAL. */
static int num_parse(const char *s, uint64_t scale, uint64_t *v,
		     const char **unit)
{
	uint64_t ip = 0, fp = 0, div = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		ip = ip * 10 + (uint64_t)(*p - '0');
		if (ip > 1000000000000ull)
			return -EINVAL;
	}
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (div == 1000000)
				return -EINVAL;	/* more precision than kept */
			fp = fp * 10 + (uint64_t)(*p - '0');
			div *= 10;
		}
	}
	*v = ip * scale + fp * scale / div;
	*unit = p;
	return 0;
}

struct unit {
	const char *name;
	uint64_t scale;
};

static const struct unit time_units[] = {
	{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 }, { NULL, 0 }
};
static const struct unit rate_units[] = {
	{ "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 },
	{ "gbit", 1000000000 }, { NULL, 0 }
};
static const struct unit pct_units[] = {
	{ "%", IMPAIR_ONE / 100 }, { NULL, 0 }
};

/* @s: a number and one of @units, at most @max once scaled. */
static int unit_parse(const char *s, const struct unit *units, uint64_t max,
		      uint64_t *v)
{
	const struct unit *u;
	const char *rest;
	uint64_t x;

	for (u = units; u->name; u++)
		if (!num_parse(s, u->scale, &x, &rest) &&
		    !strcmp(rest, u->name)) {
			if (x > max)
				return -ERANGE;
			*v = x;
			return 0;
		}
	return -EINVAL;
}

/* A count: digits only, at most @max. */
static int count_parse(const char *s, uint64_t max, uint64_t *v)
{
	const char *rest;

	if (num_parse(s, 1, v, &rest) || *rest || strchr(s, '.'))
		return -EINVAL;
	return *v > max ? -ERANGE : 0;
}

struct pctx {
	const struct link_words *lw;
	unsigned int *i;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int pfail(struct pctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The next word, a value of @key in @units (NULL: a count) up to @max. */
static int pvalue(struct pctx *x, const char *key, const struct unit *units,
		  uint64_t max, const char *what, uint64_t *v)
{
	const char *w;
	int ret;

	if (*x->i >= x->lw->n)
		return pfail(x, "'%s' needs a value (%s)", key, what);
	w = x->lw->w[(*x->i)++];
	ret = units ? unit_parse(w, units, max, v) : count_parse(w, max, v);
	if (ret == -ERANGE)
		snprintf(x->err, x->errlen, "%s '%s': out of range (%s)", key,
			 w, what);
	else if (ret)
		snprintf(x->err, x->errlen, "%s '%s': not %s", key, w, what);
	return ret ? -EINVAL : 0;
}

#define PCT_WHAT	"a percentage from 0% to 100%"
#define TIME_WHAT	"a time up to 10s, with us, ms or s"

static int ppct(struct pctx *x, const char *key, uint32_t *v)
{
	uint64_t u;
	int ret = pvalue(x, key, pct_units, IMPAIR_ONE, PCT_WHAT, &u);

	*v = (uint32_t)u;
	return ret;
}

/* Is the next word a percentage (an optional value of "burst")? */
static int next_is_pct(const struct pctx *x)
{
	const char *w;

	if (*x->i >= x->lw->n)
		return 0;
	w = x->lw->w[*x->i];
	return w[0] >= '0' && w[0] <= '9' && w[strlen(w) - 1] == '%';
}

static int pdir(struct pctx *x, struct impair_cfg *c, int dir)
{
	if (c->dir >= 0 && c->dir != dir)
		return pfail(x, "'%s': the request already names direction "
			     "'%s' (one direction per request)",
			     dir_names[dir], dir_names[c->dir]);
	c->dir = (int8_t)dir;
	return 0;
}

static int pdist(struct pctx *x, struct impair_set *r)
{
	const char *w;

	if (*x->i >= x->lw->n)
		return pfail(x, "'dist' needs a value (uniform or normal)");
	w = x->lw->w[(*x->i)++];
	if (!strcmp(w, "uniform"))
		r->dist = IMPAIR_UNIFORM;
	else if (!strcmp(w, "normal"))
		r->dist = IMPAIR_NORMAL;
	else
		return pfail(x, "dist '%s': not uniform or normal", w);
	return 0;
}

static int pburst(struct pctx *x, struct impair_set *r)
{
	int ret = ppct(x, "burst", &r->ge_p);

	if (!ret)
		ret = ppct(x, "burst", &r->ge_r);
	r->ge_h = IMPAIR_ONE;
	if (!ret && next_is_pct(x))
		ret = ppct(x, "burst", &r->ge_h);
	if (!r->ge_p)		/* never bad: no burst loss at all */
		r->ge_r = r->ge_h = 0;
	return ret;
}

/* Key @k's values into @c.  Return: 0, or -EINVAL. */
static int pkey(struct pctx *x, struct impair_cfg *c, int k)
{
	struct impair_set *r = &c->req;
	uint64_t v = 0;
	int ret = 0;

	switch (k) {
	case IMPAIR_K_DELAY:
	case IMPAIR_K_JITTER:
		ret = pvalue(x, impair_keys[k], time_units, IMPAIR_DELAY_MAX_US,
			     TIME_WHAT, &v);
		*(k == IMPAIR_K_DELAY ? &r->delay_us : &r->jitter_us) =
			(uint32_t)v;
		break;
	case IMPAIR_K_DIST:
		return pdist(x, r);
	case IMPAIR_K_LOSS:
		return ppct(x, "loss", &r->loss);
	case IMPAIR_K_BURST:
		return pburst(x, r);
	case IMPAIR_K_DUP:
		return ppct(x, "dup", &r->dup);
	case IMPAIR_K_REORDER:
		return ppct(x, "reorder", &r->reorder);
	case IMPAIR_K_CORRUPT:
		return ppct(x, "corrupt", &r->corrupt);
	case IMPAIR_K_RATE:
		ret = pvalue(x, "rate", rate_units, IMPAIR_RATE_MAX,
			     "a rate up to 100gbit, with bit, kbit, mbit or "
			     "gbit", &v);
		if (!ret && !v)
			return pfail(x, "rate '%s': must be more than 0 (%s)",
				     x->lw->w[*x->i - 1], "'clear' removes it");
		r->rate = v;
		break;
	case IMPAIR_K_QUEUE:
		ret = pvalue(x, "queue", NULL, IMPAIR_QUEUE_MAX,
			     "a number of frames from 1 to 16384", &v);
		if (!ret && !v)
			return pfail(x, "queue '0': not %s",
				     "a number of frames from 1 to 16384");
		r->queue = (uint32_t)v;
		break;
	case IMPAIR_K_CLAMP:
		ret = pvalue(x, "clamp", NULL, 65535,
			     "a payload size in bytes, from 0 to 65535", &v);
		r->clamp = (uint32_t)v;
		break;
	case IMPAIR_K_SEED:
		ret = pvalue(x, "seed", NULL, 1000000000000ull,
			     "a number up to 10^12", &c->seed);
		c->has_seed = 1;
		break;
	case IMPAIR_K_CLEAR:
		c->clear = 1;
		break;
	default:
		return pdir(x, c, k == IMPAIR_K_IN ? IMPAIR_IN : IMPAIR_OUT);
	}
	return ret;
}

void impair_cfg_get(const struct sw *sw, int idx, struct impair_cfg *c)
{
	const struct impair_port *ip = idx ? sw->ports[idx].imp : NULL;
	int d;

	memset(c, 0, sizeof(*c));
	c->dir = -1;
	for (d = 0; ip && d < IMPAIR_NDIR; d++)
		c->d[d] = ip->d[d].s;
}

int impair_parse(struct impair_cfg *c, const struct link_words *lw,
		 unsigned int *i, char *err, size_t errlen)
{
	struct pctx x = { lw, i, err, errlen };
	const char *w = lw->w[*i];
	int k;

	for (k = 0; k < IMPAIR_K_N && strcmp(impair_keys[k], w); k++)
		;
	if (k == IMPAIR_K_N)
		return pfail(&x, "unknown setting '%s'", w);
	if (c->given & (1U << k))
		return pfail(&x, "'%s' given twice", w);
	c->given |= 1U << k;
	(*i)++;
	return pkey(&x, c, k);
}

/* Where each key's values are in struct impair_set (burst's three are
 * consecutive). */
#define SET_F(k, f, n)	[k] = { offsetof(struct impair_set, f), \
				(n) * sizeof(((struct impair_set *)0)->f) }
static const struct {
	size_t off, len;
} set_fields[IMPAIR_K_NSET] = {
	SET_F(IMPAIR_K_DELAY, delay_us, 1), SET_F(IMPAIR_K_JITTER, jitter_us, 1),
	SET_F(IMPAIR_K_DIST, dist, 1), SET_F(IMPAIR_K_LOSS, loss, 1),
	SET_F(IMPAIR_K_BURST, ge_p, 3), SET_F(IMPAIR_K_DUP, dup, 1),
	SET_F(IMPAIR_K_REORDER, reorder, 1), SET_F(IMPAIR_K_CORRUPT, corrupt, 1),
	SET_F(IMPAIR_K_RATE, rate, 1), SET_F(IMPAIR_K_QUEUE, queue, 1),
	SET_F(IMPAIR_K_CLAMP, clamp, 1),
};

/* Key @k's values of @from into @to. */
static void set_copy(struct impair_set *to, const struct impair_set *from,
		     int k)
{
	memcpy((char *)to + set_fields[k].off,
	       (const char *)from + set_fields[k].off, set_fields[k].len);
}

void impair_merge(const struct impair_cfg *c, struct impair_set *out)
{
	int d, k, dir = c->dir >= 0 ? c->dir : IMPAIR_OUT;

	for (d = 0; d < IMPAIR_NDIR; d++) {
		out[d] = c->d[d];
		if (c->clear && (c->dir < 0 || c->dir == d))
			memset(&out[d], 0, sizeof(out[d]));
	}
	for (k = 0; k < IMPAIR_K_NSET; k++)
		if (c->given & (1U << k))
			set_copy(&out[dir], &c->req, k);
}

int impair_check(const struct impair_cfg *c, char *err, size_t errlen)
{
	struct impair_set m[IMPAIR_NDIR];
	const uint32_t any = (1U << IMPAIR_K_NSET) - 1;
	int d;

	if (c->dir >= 0 && !(c->given & any) && !c->clear) {
		snprintf(err, errlen, "'%s' names a direction but no setting",
			 dir_names[c->dir]);
		return -EINVAL;
	}
	impair_merge(c, m);
	for (d = 0; d < IMPAIR_NDIR; d++) {
		const char *why = NULL;

		if (m[d].jitter_us && !m[d].delay_us)
			why = "jitter needs a delay";
		else if (m[d].jitter_us > m[d].delay_us)
			why = "jitter larger than the delay";
		else if (m[d].reorder && !m[d].delay_us)
			why = "reorder needs a delay (reordered frames are "
			      "those sent without it)";
		else if (m[d].ge_p && !m[d].ge_r)
			why = "burst: the bad state must end (P_BAD_TO_GOOD "
			      "above 0%)";
		if (why) {
			snprintf(err, errlen, "%s (direction %s)", why,
				 dir_names[d]);
			return -EINVAL;
		}
	}
	return 0;
}

static int fmt_time(char *b, size_t len, uint32_t us)
{
	if (us % 1000000 == 0)
		return snprintf(b, len, "%us", us / 1000000);
	if (us % 1000 == 0)
		return snprintf(b, len, "%ums", us / 1000);
	return snprintf(b, len, "%uus", us);
}

/* Millionths as a percentage: "10%", "0.1%". */
static int fmt_pct(char *b, size_t len, uint32_t v)
{
	char frac[8];
	int n;

	n = snprintf(frac, sizeof(frac), "%04u", v % 10000);
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	return snprintf(b, len, "%u%s%s%%", v / 10000, n ? "." : "", frac);
}

static int fmt_rate(char *b, size_t len, uint64_t r)
{
	static const char *const u[] = { "bit", "kbit", "mbit", "gbit" };
	int i = 0;

	while (i < 3 && r % 1000 == 0) {
		r /= 1000;
		i++;
	}
	return snprintf(b, len, "%" PRIu64 "%s", r, u[i]);
}

/* Appends to a settings text. */
struct fmt {
	char *buf;
	size_t len, n;
};

static void fmt_word(struct fmt *f, const char *key, const char *val)
{
	int r;

	if (f->n >= f->len)
		return;
	r = snprintf(f->buf + f->n, f->len - f->n, "%s%s %s", f->n ? " " : "",
		     key, val);
	if (r > 0)
		f->n += (size_t)r;
}

static void fmt_pctw(struct fmt *f, const char *key, uint32_t v)
{
	char b[24];

	if (!v)
		return;
	fmt_pct(b, sizeof(b), v);
	fmt_word(f, key, b);
}

void impair_set_format(const struct impair_set *s, char *buf, size_t len)
{
	struct fmt f = { buf, len, 0 };
	char b[80], p[24], r[24], h[24];

	buf[0] = '\0';
	if (s->delay_us) {
		fmt_time(b, sizeof(b), s->delay_us);
		fmt_word(&f, "delay", b);
	}
	if (s->jitter_us) {
		fmt_time(b, sizeof(b), s->jitter_us);
		fmt_word(&f, "jitter", b);
	}
	if (s->jitter_us || s->dist == IMPAIR_NORMAL)
		fmt_word(&f, "dist", s->dist == IMPAIR_NORMAL ? "normal" :
			 "uniform");
	fmt_pctw(&f, "loss", s->loss);
	if (s->ge_p) {
		fmt_pct(p, sizeof(p), s->ge_p);
		fmt_pct(r, sizeof(r), s->ge_r);
		fmt_pct(h, sizeof(h), s->ge_h);
		snprintf(b, sizeof(b), "%s %s %s", p, r, h);
		fmt_word(&f, "burst", b);
	}
	fmt_pctw(&f, "dup", s->dup);
	fmt_pctw(&f, "reorder", s->reorder);
	fmt_pctw(&f, "corrupt", s->corrupt);
	if (s->rate) {
		fmt_rate(b, sizeof(b), s->rate);
		fmt_word(&f, "rate", b);
	}
	if (s->queue) {
		snprintf(b, sizeof(b), "%u", s->queue);
		fmt_word(&f, "queue", b);
	}
	if (s->clamp) {
		snprintf(b, sizeof(b), "%u", s->clamp);
		fmt_word(&f, "clamp", b);
	}
}

void impair_apply(struct sw *sw, int idx, const struct impair_cfg *c)
{
	struct port *p = &sw->ports[idx];
	struct impair_set m[IMPAIR_NDIR];
	uint64_t seed;
	int d;

	impair_merge(c, m);
	if (!p->imp && !c->has_seed && !impair_set_active(&m[IMPAIR_OUT]) &&
	    !impair_set_active(&m[IMPAIR_IN]))
		return;		/* nothing to do: the ordinary path */
	if (!p->imp) {
		p->imp = calloc(1, sizeof(*p->imp));
		if (!p->imp) {
			err("port %d: impairment: out of memory", idx);
			return;
		}
		/* not reproducible unless a seed is given */
		p->imp->seed = sw->now_ms * 1000003u + (uint64_t)idx +
			       (uint64_t)sw->gen * 7919u;
		for (d = 0; d < IMPAIR_NDIR; d++)
			impair_rng_seed(p->imp->d[d].rng, p->imp->seed + d);
	}
	if (c->has_seed)
		p->imp->seed = c->seed;
	for (d = 0; d < IMPAIR_NDIR; d++) {
		seed = p->imp->seed + (uint64_t)d;
		if (impair_dir_set(sw, &p->imp->d[d], &m[d],
				   c->has_seed ? &seed : NULL))
			err("port %d: impairment %s: out of memory", idx,
			    dir_names[d]);
	}
	/* frames still held keep the watch bit until they are out */
	impair_watch(sw, p);
}

static void impair_json_dir(struct jw *w, const struct impair_dir *d,
			    const char *key)
{
	char text[LINK_TEXT_MAX];
	int k;

	jw_obj(w, key);
	impair_set_format(&d->s, text, sizeof(text));
	jw_str(w, "settings", text);
	jw_u64(w, "delay_us", d->s.delay_us);
	jw_u64(w, "jitter_us", d->s.jitter_us);
	jw_str(w, "dist", d->s.dist == IMPAIR_NORMAL ? "normal" : "uniform");
	jw_u64(w, "loss_ppm", d->s.loss);
	jw_u64(w, "rate_bps", d->s.rate);
	jw_u64(w, "clamp", d->s.clamp);
	jw_obj(w, "queue");
	jw_u64(w, "len", d->n);
	jw_u64(w, "max", d->s.queue ? d->s.queue : IMPAIR_QUEUE_DEFAULT);
	jw_end(w);
	jw_obj(w, "counters");
	for (k = 0; k < IMPAIR_NCTR; k++)
		jw_u64(w, impair_ctr_names[k], d->ctr[k]);
	jw_end(w);
	jw_end(w);
}

void impair_json(const struct sw *sw, struct jw *w, int idx)
{
	const struct impair_port *ip = sw->ports[idx].imp;

	if (!ip)
		return;		/* never impaired */
	jw_obj(w, "impair");
	jw_u64(w, "seed", ip->seed);
	impair_json_dir(w, &ip->d[IMPAIR_OUT], "out");
	impair_json_dir(w, &ip->d[IMPAIR_IN], "in");
	jw_end(w);
}

void impair_port_close(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int d;

	if (!p->imp)
		return;
	for (d = 0; d < IMPAIR_NDIR; d++)
		impair_dir_free(sw, &p->imp->d[d]);
	free(p->imp);
	p->imp = NULL;
	impair_watch(sw, p);
}
