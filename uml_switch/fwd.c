// SPDX-License-Identifier: GPL-2.0-or-later
/* fwd.c: the forwarding decision: learn the source, pick destinations, queue. */
#include <errno.h>

#include "frame.h"
#include "log.h"
#include "sw.h"

static int q_full(const struct sw *sw, const struct port *p)
{
	return p->qlen >= sw->o.qmax;
}

static void q_push(struct sw *sw, int idx, struct buf *b)
{
	struct port *p = &sw->ports[idx];
	uint32_t tail = p->qhead + p->qlen;

	if (tail >= sw->o.qmax)
		tail -= sw->o.qmax;
	p->q[tail] = b;
	b->refs++;
	if (++p->qlen == sw->o.qmax && !p->full_since_ms)
		p->full_since_ms = sw->now_ms;
	if (!p->dirty) {
		p->dirty = 1;
		sw->dirty[sw->ndirty++] = idx;
	}
}

/* Place @b on @dst's queue, or say why not: -EAGAIN = hold and wait. */
static int fwd_one(struct sw *sw, int src, int dst, struct buf *b)
{
	struct port *p = &sw->ports[dst];

	if (q_full(sw, p)) {
		if (!p->stalled) {
			sw->ports[src].blocked_by = dst;
			return -EAGAIN;
		}
		p->drop_full++;
		return 0;
	}
	q_push(sw, dst, b);
	return 0;
}

static int fwd_flood(struct sw *sw, int src, struct buf *b)
{
	int i, dst;

	/* All or nothing: a flooded frame waits until every live
	 * destination has room, so no port misses it. */
	for (i = 0; i < sw->nports; i++) {
		dst = sw->active[i];
		if (dst != src && q_full(sw, &sw->ports[dst]) &&
		    !sw->ports[dst].stalled) {
			sw->ports[src].blocked_by = dst;
			return -EAGAIN;
		}
	}
	for (i = 0; i < sw->nports; i++) {
		dst = sw->active[i];
		if (dst != src)
			fwd_one(sw, src, dst, b);
	}
	return 0;
}

static void fwd_learn(struct sw *sw, int src, const uint8_t *mac)
{
	char m[MAC_STRLEN];
	int ret, old = -1;

	ret = fdb_learn(&sw->fdb, mac, src, sw->now_s, &old);
	if (ret == FDB_KNOWN)
		return;
	if (ret == FDB_NEW) {
		debug("port %d: learned %s", src, mac_format(mac, m));
	} else if (ret == FDB_MOVED) {
		debug("port %d: %s moved from port %d", src,
		      mac_format(mac, m), old);
	} else if ((sw->fdb.full_events & (sw->fdb.full_events - 1)) == 0) {
		/* Logged at 1, 2, 4, 8, ... events: visible, not a flood. */
		warn("MAC table full (%u entries): flooding frames for %s "
		     "(%llu times so far)", sw->fdb.max, mac_format(mac, m),
		     (unsigned long long)sw->fdb.full_events);
	}
}

/**
 * fwd_frame() - forward one frame received on port @src.
 * Return: 0 when it was queued (or dropped and counted), -EAGAIN when a
 * destination queue is full: the caller holds the frame and stops reading
 * @src until that queue drains.
 */
int fwd_frame(struct sw *sw, int src, struct buf *b)
{
	const uint8_t *dst = frame_dst(b->data);
	int out;

	if (sw->o.hub)
		return fwd_flood(sw, src, b);
	if (!mac_is_multicast(frame_src(b->data)))
		fwd_learn(sw, src, frame_src(b->data));
	if (mac_is_multicast(dst))
		return fwd_flood(sw, src, b);
	out = fdb_lookup(&sw->fdb, dst, sw->now_s);
	if (out < 0)
		return fwd_flood(sw, src, b);
	if (out == src)		/* both ends on one port: nothing to do */
		return 0;
	return fwd_one(sw, src, out, b);
}
