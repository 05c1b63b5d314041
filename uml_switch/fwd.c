// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwd.c: the forwarding decision: learn the source, pick destinations,
 * queue, or hold the source when a queue is full (the limits are in sw.h);
 * and what a port's watch bits ask of it (carrier down, dump ports,
 * capture: see sw.h).  With VLANs (vlan.h), only the ports of a frame's
 * VLAN are destinations; while every port keeps the defaults (sw->nvlan
 * is 0) that costs one test per destination of a flood.
 *
 * Offloads (offload.h): a frame from a guest may come with work left in
 * its virtio-net header.  A destination that can take it so (tp->offload)
 * gets it as it is; for one that cannot, the checksum is filled in (in
 * the shared buffer, once: every port can take it then) or the GSO frame
 * is cut into segments, once per frame for all such destinations, in
 * buffers of the pool.  Such a frame costs a queue its segments' entries.
 */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "log.h"
#include "sw.h"
#include "transport.h"

/* What of @b's offloads must be done for @p in software (0: none).  An
 * impaired port takes none: its impairment sees the frames of the wire
 * (a clamp the segments, a corruption a checksum that tells). */
static unsigned int fwd_soft(const struct port *p, const struct buf *b)
{
	unsigned int off = p->watch & PW_IMPAIR_OUT ? 0 : p->tp->offload;

	return off_needs(&b->vn) & ~off;
}

/* Do GSO frame @b's segments need large buffers? */
static int seg_large(const struct buf *b)
{
	return b->op.hlen + b->vn.gso_size > POOL_SMALL_SIZE;
}

/* Queue entries @b takes at @p: 1, or its segments when @p cannot take
 * it whole (*@large: in large buffers). */
static unsigned int q_cost(const struct port *p, const struct buf *b,
			   int *large)
{
	*large = b->large;
	if (!off_is_gso(&b->vn) || !fwd_soft(p, b))
		return 1;
	*large = seg_large(b);
	return b->op.nseg;
}

/* Is @p's queue full for @b?  A queue may hold only so many jumbo frames,
 * so that one port cannot take every large buffer. */
static int q_full(const struct sw *sw, const struct port *p,
		  const struct buf *b)
{
	int large;
	unsigned int n = q_cost(p, b, &large);

	return p->qlen + n > sw->o.qmax ||
	       (large && p->qlarge + n > sw->large_max);
}

/* Could @p's queue never take @b (more segments than it holds)? */
static int q_never(const struct sw *sw, const struct port *p,
		   const struct buf *b)
{
	int large;
	unsigned int n = q_cost(p, b, &large);

	return n > sw->o.qmax || (large && n > sw->large_max);
}

/* Record @b for the captures of port @idx on its way out, in the form
 * the port sends it (vlan.h): built here when that is not @b's. */
static void fwd_capture_out(struct sw *sw, int idx, struct buf *b)
{
	static uint8_t out[FRAME_MAX + VLAN_HLEN];
	struct buf e;
	ssize_t n = port_vlan_form(sw, &sw->ports[idx], b, out);

	if (n <= 0) {
		capture_frame(sw, idx, b, 1);
		return;
	}
	e = *b;
	e.data = out;
	e.len = (uint32_t)n;
	capture_frame(sw, idx, &e, 1);
}

static void q_push(struct sw *sw, int idx, struct buf *b)
{
	struct port *p = &sw->ports[idx];
	uint32_t tail = p->qhead + p->qlen;

	if (tail >= sw->o.qmax)
		tail -= sw->o.qmax;
	p->q[tail] = b;
	b->refs++;
	if (p->watch & PW_CAPTURE)
		fwd_capture_out(sw, idx, b);
	p->qlarge += b->large;
	if (++p->qlen == sw->o.qmax && !p->full_since_ms)
		p->full_since_ms = sw->now_ms;
	if (!p->dirty) {
		p->dirty = 1;
		sw->dirty[sw->ndirty++] = idx;
	}
}

/* The segments of the GSO frame being forwarded, for every destination
 * that needs them: cut once, freed when fwd_frame() is done with it. */
static struct {
	const struct buf *of;
	unsigned int n;
	struct buf *seg[OFF_SEG_MAX];
} cut;

static void cut_release(struct sw *sw)
{
	while (cut.n)
		pool_put(&sw->pool, cut.seg[--cut.n]);
	cut.of = NULL;
}

/**
 * fwd_cut() - GSO frame @b (off_parse() took it) cut into @seg[] (room
 * for OFF_SEG_MAX), buffers of the pool with one reference each.
 * Return: how many, or -ENOBUFS (the pool is out: none taken).
 */
int fwd_cut(struct sw *sw, const struct buf *b, struct buf **seg)
{
	int large = seg_large(b);
	struct buf *s;
	unsigned int i;

	for (i = 0; i < b->op.nseg; i++) {
		s = pool_get(&sw->pool, large);
		if (!s) {
			while (i)
				pool_put(&sw->pool, seg[--i]);
			return -ENOBUFS;
		}
		s->len = (uint32_t)off_segment(b->data, b->len, &b->vn,
					       &b->op, i, s->data);
		s->vm = b->vm;
		memset(&s->vn, 0, sizeof(s->vn));
		seg[i] = s;
	}
	return (int)i;
}

/**
 * fwd_fill_csum() - fill in the checksum non-GSO frame @b left to do, in
 * its buffer: from then on every port takes it as it is.
 */
void fwd_fill_csum(struct buf *b)
{
	off_csum(b->data, b->len, &b->vn);
	memset(&b->vn, 0, sizeof(b->vn));
}

/* @b's segments in cut.seg[], cut once.  Return: 0, or -ENOBUFS. */
static int cut_segments(struct sw *sw, struct buf *b)
{
	int n;

	if (cut.of == b)
		return 0;
	cut_release(sw);
	n = fwd_cut(sw, b, cut.seg);
	if (n < 0)
		return n;
	cut.n = (unsigned int)n;
	cut.of = b;
	return 0;
}

/* Queue @b for @dst in a form it takes (see the top); q_full() said it
 * has room. */
static void fwd_push(struct sw *sw, int dst, struct buf *b)
{
	struct port *p = &sw->ports[dst];
	unsigned int i;

	if (!fwd_soft(p, b)) {
		q_push(sw, dst, b);
		return;
	}
	if (!off_is_gso(&b->vn)) {
		fwd_fill_csum(b);
		p->off_csum++;
		q_push(sw, dst, b);
		return;
	}
	if (cut_segments(sw, b)) {
		p->drop_nobuf++;
		return;
	}
	for (i = 0; i < cut.n; i++)
		q_push(sw, dst, cut.seg[i]);
	p->off_seg++;
}

/* May @src wait for a full queue?  Not a v0 client: its frames come on
 * the shared socket, which cannot be left unread for one sender. */
static int fwd_can_hold(const struct sw *sw, int src)
{
	return !sw->ports[src].v0;
}

/* @src waits for @dst's queue to have room for @b.  A queue that holds
 * a sender counts as full (port_tick()'s stall clock runs). */
static int fwd_hold(struct sw *sw, int src, int dst, const struct buf *b)
{
	struct port *p = &sw->ports[dst];
	int large;
	unsigned int n = q_cost(p, b, &large);

	sw->ports[src].blocked_by = dst;
	if (p->wait_room < n)
		p->wait_room = n;
	if (!p->full_since_ms)
		p->full_since_ms = sw->now_ms;
	return -EAGAIN;
}

/**
 * fwd_share_used() - has port @idx used up its share of holding flooding
 * senders (SW_HOLD_MS) in this window?  It is then "slow" (lossy) until
 * the next window.
 */
int fwd_share_used(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	uint64_t held = p->hold_ms;

	if (p->hold_start_ms)
		held += sw->now_ms - p->hold_start_ms;
	if (held < SW_HOLD_MS)
		return 0;
	if (!p->lossy) {
		p->lossy = 1;
		/* logged at 1, 2, 4, 8, ... times: visible, not a flood */
		if (!(p->lossy_events & (p->lossy_events + 1)))
			warn("port %d: slow reader: floods that find its queue "
			     "full skip it for the rest of this second "
			     "(%llu times so far)", idx,
			     (unsigned long long)p->lossy_events + 1);
		p->lossy_events++;
	}
	return 1;
}

/* Is port @p a destination of @b's VLAN?  A dump port gets them all. */
static int fwd_in_vlan(const struct sw *sw, const struct port *p,
		       const struct buf *b)
{
	return !port_vlans(sw, p) || vlan_carries(&p->vlan, b->vm.vid);
}

/* Would @b, tagged for @p, be longer than FRAME_MAX, or cut into more
 * segments than @p's queue holds?  (Counted then.) */
static int fwd_too_long(const struct sw *sw, struct port *p,
			const struct buf *b)
{
	if (q_never(sw, p, b)) {
		p->drop_size++;
		return 1;
	}
	if (!port_vlans(sw, p) || b->len <= FRAME_MAX - VLAN_HLEN ||
	    b->vm.tagged || !vlan_tx_tags(&p->vlan, &b->vm))
		return 0;
	p->drop_size++;
	return 1;
}

/* Queue @b for port @dst, or count why not: its carrier is down, or its
 * queue is full.  Never holds the sender. */
static void fwd_copy(struct sw *sw, int dst, struct buf *b)
{
	struct port *p = &sw->ports[dst];

	if (p->watch & PW_CARRIER_DOWN)
		p->drop_carrier++;
	else if (fwd_too_long(sw, p, b))
		return;
	else if (q_full(sw, p, b))
		p->drop_full++;
	else
		fwd_push(sw, dst, b);
}

static int fwd_flood(struct sw *sw, int src, struct buf *b)
{
	struct port *p;
	int i, dst;

	/* A flooded frame waits until every destination that may still hold
	 * senders has room, so no such port misses it. */
	for (i = 0; i < sw->nports; i++) {
		dst = sw->active[i];
		p = &sw->ports[dst];
		if (dst == src || !q_full(sw, p, b) || p->stalled ||
		    q_never(sw, p, b) ||
		    !fwd_in_vlan(sw, p, b) ||
		    (p->watch & (PW_CARRIER_DOWN | PW_DUMP)) ||
		    !fwd_can_hold(sw, src) || fwd_share_used(sw, dst))
			continue;
		if (!p->hold_start_ms) {
			p->hold_start_ms = sw->now_ms;
			sw->nholding++;
		}
		return fwd_hold(sw, src, dst, b);
	}
	for (i = 0; i < sw->nports; i++) {
		dst = sw->active[i];
		if (dst != src && fwd_in_vlan(sw, &sw->ports[dst], b))
			fwd_copy(sw, dst, b);
	}
	return 0;
}

/* A unicast frame from @src to @out, queued: a copy for every dump port
 * but those two.  A full dump port loses it (counted), never holds. */
static void fwd_dump(struct sw *sw, int src, int out, struct buf *b)
{
	int i, dst;

	for (i = 0; i < sw->nports; i++) {
		dst = sw->active[i];
		if ((sw->ports[dst].watch & PW_DUMP) && dst != src && dst != out)
			fwd_copy(sw, dst, b);
	}
}

/* Unicast: queue it, or hold the sender (unless @dst is stalled). */
static int fwd_one(struct sw *sw, int src, int dst, struct buf *b)
{
	struct port *p = &sw->ports[dst];

	if (p->watch & PW_CARRIER_DOWN) {
		p->drop_carrier++;
		return 0;
	}
	if (fwd_too_long(sw, p, b))
		return 0;
	if (!q_full(sw, p, b)) {
		fwd_push(sw, dst, b);
		return 0;
	}
	if (!p->stalled && fwd_can_hold(sw, src))
		return fwd_hold(sw, src, dst, b);
	p->drop_full++;
	return 0;
}

static void fwd_learn(struct sw *sw, int src, uint16_t vid,
		      const uint8_t *mac)
{
	char m[MAC_STRLEN];
	int ret, old = -1;

	ret = fdb_learn(&sw->fdb, vid, mac, src, sw->now_s, &old);
	if (ret == FDB_KNOWN)
		return;
	if (ret == FDB_NEW) {
		debug("port %d: learned %s in VLAN %u", src, mac_format(mac, m),
		      vid);
		mgmt_ev_mac(sw, "mac_learned", vid, mac, src, -1);
	} else if (ret == FDB_MOVED) {
		debug("port %d: %s (VLAN %u) moved from port %d", src,
		      mac_format(mac, m), vid, old);
		mgmt_ev_mac(sw, "mac_moved", vid, mac, src, old);
	} else if ((sw->fdb.full_events & (sw->fdb.full_events - 1)) == 0) {
		/* Logged at 1, 2, 4, 8, ... events: visible, not a flood. */
		warn("MAC table full (%u entries): flooding frames for %s "
		     "(%llu times so far)", sw->fdb.max, mac_format(mac, m),
		     (unsigned long long)sw->fdb.full_events);
		mgmt_ev_mac(sw, "fdb_full", vid, mac, src, -1);
	}
}

/* fwd_frame() but for the segments it may have cut */
static int fwd_place(struct sw *sw, int src, struct buf *b)
{
	const uint8_t *dst = frame_dst(b->data);
	uint16_t vid = b->vm.vid;
	int out;

	if (sw->o.hub)
		return fwd_flood(sw, src, b);
	if (!mac_is_multicast(frame_src(b->data)))
		fwd_learn(sw, src, vid, frame_src(b->data));
	if (mac_is_multicast(dst))
		return fwd_flood(sw, src, b);
	out = fdb_lookup(&sw->fdb, vid, dst, sw->now_s);
	if (out < 0 || !fwd_in_vlan(sw, &sw->ports[out], b))
		return fwd_flood(sw, src, b);
	if (out == src)		/* both ends on one port: nothing to do */
		return 0;
	if (!sw->ndump)
		return fwd_one(sw, src, out, b);
	if (fwd_one(sw, src, out, b))
		return -EAGAIN;	/* held: the dump ports get it then */
	fwd_dump(sw, src, out, b);
	return 0;
}

/**
 * fwd_frame() - forward one frame received on port @src.
 * Return: 0 when it was queued (or dropped and counted), -EAGAIN when a
 * destination queue is full: the caller holds the frame and stops reading
 * @src until that queue drains.
 */
int fwd_frame(struct sw *sw, int src, struct buf *b)
{
	int ret = fwd_place(sw, src, b);

	if (cut.n)
		cut_release(sw);	/* the queues hold what they need */
	return ret;
}

/**
 * port_watch_rx() - frame @b was received on port @p, whose watch bits
 * are set: drop it (carrier down; a dump port's), or record it for the
 * captures that want it.
 * Return: 1 to forward it, 0 to drop it (counted).
 */
int port_watch_rx(struct sw *sw, struct port *p, struct buf *b)
{
	if (p->watch & PW_CARRIER_DOWN) {
		p->drop_carrier++;
		return 0;
	}
	if (p->watch & PW_DUMP) {
		p->drop_ignored++;
		return 0;
	}
	capture_frame(sw, (int)(p - sw->ports), b, 0);
	return 1;
}
