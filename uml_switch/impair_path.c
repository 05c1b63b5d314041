// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * impair_path.c: impairment's data path (see impair.h for the theory of
 * operation): each frame's fate, the per-direction heap of frames waiting
 * for their due time, and releasing them from the one epoll loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sw.h"
#include "transport.h"

static uint64_t impair_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int impair_set_active(const struct impair_set *s)
{
	return s->delay_us || s->loss || s->ge_p || s->dup || s->reorder ||
	       s->corrupt || s->rate || s->clamp;
}

void impair_watch(struct sw *sw, struct port *p)
{
	static const uint8_t bits[IMPAIR_NDIR] = { PW_IMPAIR_OUT, PW_IMPAIR_IN };
	int had = !!(p->watch & (PW_IMPAIR_OUT | PW_IMPAIR_IN)), d;

	p->watch &= (uint8_t)~(PW_IMPAIR_OUT | PW_IMPAIR_IN);
	for (d = 0; p->imp && d < IMPAIR_NDIR; d++)
		if (impair_set_active(&p->imp->d[d].s) || p->imp->d[d].n)
			p->watch |= bits[d];
	sw->nimpair += !!(p->watch & (PW_IMPAIR_OUT | PW_IMPAIR_IN)) - had;
}

/* The heap: a binary min-heap on (due_us, seq). */
static int ent_before(const struct impair_ent *a, const struct impair_ent *b)
{
	return a->due_us < b->due_us ||
	       (a->due_us == b->due_us && (int32_t)(a->seq - b->seq) < 0);
}

static void heap_push(struct impair_dir *d, const struct impair_ent *e)
{
	uint32_t i = d->n++, up;

	while (i && ent_before(e, &d->heap[up = (i - 1) / 2])) {
		d->heap[i] = d->heap[up];
		i = up;
	}
	d->heap[i] = *e;
	d->nlarge += e->b->large;
}

static void heap_pop(struct impair_dir *d, struct impair_ent *out)
{
	struct impair_ent last;
	uint32_t i = 0, c;

	*out = d->heap[0];
	d->nlarge -= out->b->large;
	last = d->heap[--d->n];
	while ((c = 2 * i + 1) < d->n) {
		if (c + 1 < d->n && ent_before(&d->heap[c + 1], &d->heap[c]))
			c++;
		if (!ent_before(&d->heap[c], &last))
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (d->n)
		d->heap[i] = last;
}

struct buf *impair_pop_due(struct impair_dir *d, uint64_t now_us)
{
	struct impair_ent e;

	if (!d->n || d->heap[0].due_us > now_us)
		return NULL;
	heap_pop(d, &e);
	return e.b;
}

int impair_dir_set(struct sw *sw, struct impair_dir *d,
		   const struct impair_set *s, const uint64_t *seed)
{
	uint32_t cap = s->queue ? s->queue : IMPAIR_QUEUE_DEFAULT, i;
	struct impair_ent *heap;

	if (cap != d->cap && (impair_set_active(s) || d->n)) {
		heap = calloc(cap, sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		/* a prefix of a heap is a heap: the rest is dropped */
		for (i = cap; i < d->n; i++) {
			d->nlarge -= d->heap[i].b->large;
			pool_put(&sw->pool, d->heap[i].b);
			d->ctr[IMPAIR_C_QUEUE_DROP]++;
		}
		if (d->n > cap)
			d->n = cap;
		if (d->n)
			memcpy(heap, d->heap, d->n * sizeof(*heap));
		free(d->heap);
		d->heap = heap;
		d->cap = cap;
	}
	d->s = *s;
	if (seed)
		impair_rng_seed(d->rng, *seed);
	if (!s->ge_p)
		d->bad = 0;
	return 0;
}

void impair_dir_free(struct sw *sw, struct impair_dir *d)
{
	while (d->n)
		pool_put(&sw->pool, d->heap[--d->n].b);
	d->nlarge = 0;
	free(d->heap);
	d->heap = NULL;
	d->cap = 0;
}

/* A copy of @b with one random bit flipped, or NULL (no buffer free: then
 * it is not corrupted).  Shared buffers are copied: the other ports' frame
 * stays intact. */
static struct buf *impair_corrupt(struct sw *sw, struct impair_dir *d,
				  struct buf *b)
{
	uint64_t r = impair_rng_next(d->rng);
	struct buf *c = b;

	if (b->refs > 1) {
		c = pool_get(&sw->pool, b->large);
		if (!c)
			return NULL;
		memcpy(c->data, b->data, b->len);
		c->len = b->len;
		c->vm = b->vm;		/* its VLAN, as it came (vlan.h) */
		c->vn = b->vn;		/* and its offloads (offload.h) */
		c->op = b->op;
	} else {
		c->refs++;
	}
	c->data[(r >> 3) % c->len] ^= (uint8_t)(1u << (r & 7));
	return c;
}

/* When a frame of @len bytes entering at @now_us is due. */
static uint64_t impair_due(struct impair_dir *d, uint32_t len,
			   uint64_t now_us)
{
	const struct impair_set *s = &d->s;
	uint64_t due = now_us, start;

	if (s->reorder && impair_chance(d->rng, s->reorder)) {
		/* reordered if it overtakes a frame still waiting */
		if (d->n && d->last_due_us > now_us)
			d->ctr[IMPAIR_C_REORDERED]++;
	} else {
		due += impair_delay_sample(d);
	}
	if (s->rate) {
		/* the serialization clock, in ns: the frame leaves once its
		 * last bit is out, after the frames before it */
		start = due * 1000 > d->clock_ns ? due * 1000 : d->clock_ns;
		d->clock_ns = start + (uint64_t)len * 8000000000ull / s->rate;
		due = d->clock_ns / 1000;
	}
	return due;
}

/* Queue one reference of @b, due then, or drop it at the tail. */
static int impair_queue(struct sw *sw, struct impair_dir *d, struct buf *b,
			uint64_t now_us)
{
	struct impair_ent e;

	if (d->n >= d->cap || (b->large && d->nlarge >= sw->large_max)) {
		d->ctr[d->s.rate ? IMPAIR_C_RATE_DROP : IMPAIR_C_QUEUE_DROP]++;
		return 0;
	}
	e.due_us = impair_due(d, b->len, now_us);
	if (e.due_us > d->last_due_us)
		d->last_due_us = e.due_us;
	e.seq = d->seq++;
	e.b = b;
	b->refs++;
	heap_push(d, &e);
	if (e.due_us > now_us)
		d->ctr[IMPAIR_C_DELAYED]++;
	return 1;
}

void impair_frame(struct sw *sw, struct impair_dir *d, struct buf *b,
		  uint64_t now_us)
{
	const struct impair_set *s = &d->s;
	struct buf *c = NULL;

	if (s->clamp && b->len > s->clamp + IMPAIR_ETH_HLEN) {
		d->ctr[IMPAIR_C_CLAMP_DROP]++;
		return;
	}
	if (s->loss && impair_chance(d->rng, s->loss)) {
		d->ctr[IMPAIR_C_LOST]++;
		return;
	}
	if (s->ge_p && impair_ge_lose(d)) {
		d->ctr[IMPAIR_C_LOST_BURST]++;
		return;
	}
	if (s->corrupt && impair_chance(d->rng, s->corrupt) &&
	    (c = impair_corrupt(sw, d, b))) {
		d->ctr[IMPAIR_C_CORRUPTED]++;
		b = c;
	}
	if (impair_queue(sw, d, b, now_us) && s->dup &&
	    impair_chance(d->rng, s->dup) && impair_queue(sw, d, b, now_us))
		d->ctr[IMPAIR_C_DUPLICATED]++;
	if (c)
		pool_put(&sw->pool, c);
}

/* Carrier down: what of @d is due goes nowhere, counted as the port's
 * carrier drops.  Return: true if the carrier is down. */
static int impair_carrier_down(struct sw *sw, struct port *p,
			       struct impair_dir *d, uint64_t now_us)
{
	struct buf *b;

	if (!(p->watch & PW_CARRIER_DOWN))
		return 0;
	while ((b = impair_pop_due(d, now_us))) {
		p->drop_carrier++;
		pool_put(&sw->pool, b);
	}
	return 1;
}

/* Frames of @idx's "in" direction that are due go on to be forwarded;
 * one whose destination is full waits (and holds the port: fwd.c). */
static void impair_forward(struct sw *sw, int idx, uint64_t now_us)
{
	struct impair_dir *d = &sw->ports[idx].imp->d[IMPAIR_IN];

	if (impair_carrier_down(sw, &sw->ports[idx], d, now_us) ||
	    d->retry_us > now_us)
		return;
	d->retry_us = 0;
	while (d->n && d->heap[0].due_us <= now_us) {
		if (fwd_frame(sw, idx, d->heap[0].b) == -EAGAIN) {
			d->retry_us = now_us + 1000;
			port_set_events(sw, idx);
			return;
		}
		pool_put(&sw->pool, impair_pop_due(d, now_us));
	}
}

void impair_in(struct sw *sw, int idx, struct buf **b, unsigned int n)
{
	struct port *p = &sw->ports[idx];
	uint64_t now = impair_now_us();
	unsigned int i;

	for (i = 0; i < n; i++) {
		impair_frame(sw, &p->imp->d[IMPAIR_IN], b[i], now);
		pool_put(&sw->pool, b[i]);
	}
	impair_forward(sw, idx, now);
}

/* Send what is due of @idx's "out" direction.  Return: -1 if the port
 * ended (a send failed), else 0. */
static int impair_send(struct sw *sw, int idx, uint64_t now_us)
{
	struct port *p = &sw->ports[idx];
	struct impair_dir *d = &p->imp->d[IMPAIR_OUT];
	struct impair_ent e[SW_BATCH];
	struct tp_frame f[SW_BATCH];
	unsigned int k, i;
	int sent, large;

	if (impair_carrier_down(sw, p, d, now_us))
		return 0;
	while (d->n && d->heap[0].due_us <= now_us) {
		large = 0;
		for (k = 0; k < SW_BATCH && d->n &&
		     d->heap[0].due_us <= now_us; k++) {
			heap_pop(d, &e[k]);
			memset(&f[k], 0, sizeof(f[k]));
			/* in the form the port sends (its VLANs) */
			if (port_tx_form(sw, p, e[k].b, &f[k], k, &large)) {
				heap_push(d, &e[k]);	/* the next batch's */
				break;
			}
		}
		sent = tp_send(p->tp, f, k);
		if (sent < 0) {
			for (i = 0; i < k; i++)
				pool_put(&sw->pool, e[i].b);
			port_close(sw, idx, strerror(-sent));
			return -1;
		}
		for (i = 0; i < (unsigned int)sent; i++) {
			p->tx_bytes += f[i].len;
			pool_put(&sw->pool, e[i].b);
		}
		p->tx += (unsigned int)sent;
		for (i = (unsigned int)sent; i < k; i++)
			heap_push(d, &e[i]);	/* the same place again */
		if (sent > 0 && p->stalled) {
			p->stalled = 0;
			info("port %d: client reads again", idx);
		}
		if (sent < (int)k) {
			p->want_out = 1;	/* EPOLLOUT on its wfd */
			break;
		}
	}
	sent = port_finish(p);
	if (sent < 0) {
		port_close(sw, idx, strerror(-sent));
		return -1;
	}
	return 0;
}

void impair_flush(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	uint64_t now = impair_now_us();
	struct buf *b;

	/* the ring empties into the "out" stage: it never stays full, so
	 * senders are not held for a delayed port (a full stage drops) */
	while (p->qlen) {
		b = p->q[p->qhead];
		p->qlarge -= b->large;
		if (++p->qhead == sw->o.qmax)
			p->qhead = 0;
		p->qlen--;
		impair_frame(sw, &p->imp->d[IMPAIR_OUT], b, now);
		pool_put(&sw->pool, b);
	}
	p->full_since_ms = 0;
	p->want_out = 0;
	if (p->wait_room)	/* the ring is empty: every sender fits */
		port_wake(sw, idx);
	if (impair_send(sw, idx, now))
		return;
	impair_watch(sw, p);
	port_set_events(sw, idx);
}

/* When direction @dir of port @p can next do something, or UINT64_MAX. */
static uint64_t impair_next(const struct port *p, int dir)
{
	const struct impair_dir *d = &p->imp->d[dir];
	uint64_t t;

	if (!d->n || (dir == IMPAIR_OUT && p->want_out))
		return UINT64_MAX;	/* EPOLLOUT will say */
	t = d->heap[0].due_us;
	return dir == IMPAIR_IN && d->retry_us > t ? d->retry_us : t;
}

uint64_t impair_timeout(struct sw *sw, uint64_t max)
{
	uint64_t now = impair_now_us(), best = UINT64_MAX, t;
	const struct port *p;
	int i, dir;

	for (i = 0; i < sw->nports; i++) {
		p = &sw->ports[sw->active[i]];
		if (!(p->watch & (PW_IMPAIR_OUT | PW_IMPAIR_IN)))
			continue;
		for (dir = 0; dir < IMPAIR_NDIR; dir++) {
			t = impair_next(p, dir);
			if (t < best)
				best = t;
		}
	}
	if (best <= now)
		return 0;
	return best - now < max ? best - now : max;
}

void impair_run(struct sw *sw)
{
	uint64_t now = impair_now_us();
	struct port *p;
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		p = &sw->ports[idx];
		if (!(p->watch & (PW_IMPAIR_OUT | PW_IMPAIR_IN)))
			continue;
		if ((p->watch & PW_IMPAIR_OUT) && !p->want_out) {
			if (impair_send(sw, idx, now)) {
				i--;	/* it ended: the active list moved */
				continue;
			}
			port_set_events(sw, idx);
		}
		if (p->watch & PW_IMPAIR_IN)
			impair_forward(sw, idx, now);
		impair_watch(sw, p);
	}
}
