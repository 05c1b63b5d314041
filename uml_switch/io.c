// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * io.c: the data path: reading a port's frames straight into pool buffers
 * (tp_recv), placing them (fwd.c), flushing output queues (tp_send), and
 * back-pressure: held frames, ports woken when a queue drains.
 *
 * Buffers: a frame is read into a small buffer whose tail segment is a
 * per-slot spill area, so a jumbo frame costs one copy into a large buffer
 * and ordinary frames none; a port whose last batch was mostly jumbo
 * frames reads straight into large buffers instead.  A read asks for no
 * more frames than there are free large buffers, so a jumbo frame always
 * finds one: when they run out, ports are not read (pushed back) rather
 * than frames dropped.
 *
 * VLANs (vlan.h): a frame is classified as it is taken in; where a port
 * sends it in another form (tagged, untagged), port_send() builds that
 * form in a scratch buffer of the batch (tx_vlan[]; one frame longer than
 * a small buffer per batch, in tx_vlan_large) and sends it from there.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "sandbox.h"
#include "sw.h"
#include "transport.h"

SANDBOX_ALLOW(SYS_recvmmsg);	/* the shared v0 socket */

static uint8_t rx_spill[SW_BATCH][POOL_LARGE_SIZE - POOL_SMALL_SIZE];
static uint8_t tx_vlan[SW_BATCH][POOL_SMALL_SIZE + VLAN_HLEN];
static uint8_t tx_vlan_large[FRAME_MAX + VLAN_HLEN];

/* Let ports that wait for @idx's queue run again. */
void port_wake(struct sw *sw, int idx)
{
	struct port *p;
	int i, w;

	for (i = 0; i < sw->nports; i++) {
		w = sw->active[i];
		if (sw->ports[w].blocked_by == idx) {
			sw->ports[w].blocked_by = -1;
			sw->woken[sw->nwoken++] = w;
		}
	}
	p = &sw->ports[idx];
	p->wait_room = 0;
	if (p->hold_start_ms) {
		p->hold_ms += sw->now_ms - p->hold_start_ms;
		p->hold_start_ms = 0;
		sw->nholding--;
	}
}

/* Has @p's queue room for a frame, and for what a held sender waits for? */
int port_room(const struct sw *sw, const struct port *p)
{
	uint32_t need = p->wait_room ? p->wait_room : 1;

	return p->qlen + need <= sw->o.qmax;
}

static void q_pop(struct sw *sw, struct port *p)
{
	struct buf *b = p->q[p->qhead];

	p->qlarge -= b->large;
	pool_put(&sw->pool, b);
	if (++p->qhead == sw->o.qmax)
		p->qhead = 0;
	p->qlen--;
}

/**
 * port_drop_queue() - drop every queued frame of @p, adding them to
 * *@counter.
 */
void port_drop_queue(struct sw *sw, struct port *p, uint64_t *counter)
{
	while (p->qlen) {
		q_pop(sw, p);
		(*counter)++;
	}
}

/**
 * port_drop_held() - drop the frames @p read but has not placed yet
 * (held for a full queue), adding them to *@counter.
 */
void port_drop_held(struct sw *sw, struct port *p, uint64_t *counter)
{
	int i;

	for (i = p->iheld; i < p->nheld; i++) {
		pool_put(&sw->pool, p->held[i]);
		(*counter)++;
	}
	p->nheld = p->iheld = 0;
}

/* Forward held frames first; true if all of them went out. */
static int port_run_held(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];

	while (p->iheld < p->nheld) {
		if (fwd_frame(sw, idx, p->held[p->iheld]) == -EAGAIN)
			return 0;
		pool_put(&sw->pool, p->held[p->iheld++]);
	}
	p->nheld = p->iheld = 0;
	return 1;
}

/* Turn received frame @f (in buffer *@bp, batch slot @slot) into a buffer
 * ready to forward, or drop it (counted).  Return: 1 to forward. */
static int port_take(struct sw *sw, struct port *p, struct buf **bp,
		     const struct tp_frame *f)
{
	struct buf *b = *bp, *big;
	size_t len = f->len;

	if (len < FRAME_MIN || len > FRAME_MAX || len > tp_frame_room(f)) {
		p->drop_size++;
		return 0;
	}
	if (len > f->cap) {	/* the rest is in the spill area */
		big = pool_get(&sw->pool, 1);	/* there is one: port_batch() */
		if (!big) {
			p->drop_nobuf++;
			return 0;
		}
		memcpy(big->data, b->data, f->cap);
		memcpy(big->data + f->cap, f->tail, len - f->cap);
		pool_put(&sw->pool, b);
		*bp = b = big;
	}
	b->len = len;
	b->vn = f->vnet;	/* a guest's header: checked before any use */
	if (off_any(&b->vn) && off_parse(b->data, len, &b->vn, &b->op,
					 p->vnet_why, sizeof(p->vnet_why))) {
		if (!p->drop_vnet++)	/* the first one: what was wrong */
			warn("port %d: %s (dropped; counted as vnet drops)",
			     (int)(p - sw->ports), p->vnet_why);
		return 0;
	}
	/* management: carrier down, a dump port, a capture (fwd.c) */
	if ((p->watch & PW_RX) && !port_watch_rx(sw, p, b))
		return 0;
	if (!sw->nvlan) {
		b->vm = (struct vlan_meta){ .vid = VLAN_DEFAULT_PVID };
	} else if (vlan_rx(&p->vlan, b->data, len, &b->vm)) {
		p->drop_vlan++;
		return 0;
	}
	p->rx++;
	p->rx_bytes += len;
	return 1;
}

static const char *port_recv_why(int err)
{
	switch (err) {
	case -EPIPE:
		return "client closed the connection";
	case -EPROTO:
		return "bad frame length in stream";
	case -ECONNREFUSED:
		return "the client's socket is gone";
	default:
		return strerror(-err);
	}
}

/* How many frames to read now (0: the pool is out; the port starves). */
static unsigned int port_batch(struct sw *sw, struct port *p)
{
	unsigned int n = p->rx_batch ? p->rx_batch : SW_BATCH;
	unsigned int avail = p->rx_large ? sw->pool.nfree_large :
					   sw->pool.nfree_small;

	if (n > avail)
		n = avail;
	/* each frame may be jumbo and need a large buffer */
	if (n > sw->pool.nfree_large)
		n = sw->pool.nfree_large;
	return n;
}

/* Read up to @n frames into @b.  Return: frames, or -errno. */
static int port_recv(struct sw *sw, struct port *p, struct buf **b,
		     unsigned int n, struct tp_frame *f)
{
	unsigned int i;
	int large = p->rx_large;

	memset(f, 0, n * sizeof(*f));
	for (i = 0; i < n; i++) {
		b[i] = pool_get(&sw->pool, large);
		f[i].buf = b[i]->data;
		f[i].cap = large ? POOL_LARGE_SIZE : POOL_SMALL_SIZE;
		if (!large) {
			f[i].tail = rx_spill[i];
			f[i].tail_cap = sizeof(rx_spill[i]);
		}
	}
	return tp_recv(p->tp, f, n);
}

/* The batch follows the traffic: what the last read got, doubled when
 * that filled it (a lone frame costs one recvmsg, not 64); and the buffer
 * size follows the frames. */
static void port_adapt(struct port *p, const struct tp_frame *f,
		       unsigned int n, int got)
{
	unsigned int i, jumbo = 0;

	if (got == (int)n)
		p->rx_batch = n * 2 > SW_BATCH ? SW_BATCH : n * 2;
	else if (got > 0)
		p->rx_batch = got;
	for (i = 0; i < (unsigned int)got; i++)
		jumbo += f[i].len > POOL_SMALL_SIZE;
	if (got > 0)
		p->rx_large = 2 * jumbo > (unsigned int)got;
}

static void port_forward(struct sw *sw, int idx, struct buf **b,
			 unsigned int k)
{
	struct port *p = &sw->ports[idx];
	unsigned int i;

	for (i = 0; i < k; i++) {
		if (fwd_frame(sw, idx, b[i]) == -EAGAIN) {
			/* Hold the rest; read nothing more until it fits. */
			memcpy(p->held, b + i, (k - i) * sizeof(*b));
			p->nheld = k - i;
			p->iheld = 0;
			return;
		}
		pool_put(&sw->pool, b[i]);
	}
}

/*
 * Frames @b[0..k) read from impaired port @p into its "in" impairment
 * (impair.h), which takes one reference each.  The impairment sees the
 * frames of the wire: a checksum left to do is filled in first (so a
 * corruption shows), a GSO frame goes as its segments (each lost,
 * clamped, corrupted on its own).
 */
static void port_impair_in(struct sw *sw, struct port *p, struct buf **b,
			   unsigned int k)
{
	static struct buf *seg[OFF_SEG_MAX];
	int idx = (int)(p - sw->ports), n;
	unsigned int i, j = 0;

	for (i = 0; i < k; i++) {
		if (!off_any(&b[i]->vn))
			continue;
		if (!off_is_gso(&b[i]->vn)) {
			fwd_fill_csum(b[i]);
			continue;
		}
		impair_in(sw, idx, b + j, i - j);	/* those before it */
		j = i + 1;
		n = fwd_cut(sw, b[i], seg);
		pool_put(&sw->pool, b[i]);
		if (n < 0) {
			p->drop_nobuf++;
			continue;
		}
		impair_in(sw, idx, seg, (unsigned int)n);
	}
	impair_in(sw, idx, b + j, k - j);
}

void port_read(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	struct tp_frame f[SW_BATCH];
	struct buf *b[SW_BATCH];
	unsigned int n, i, k = 0;
	int got;

	if (!port_in_use(p) || p->v0 || p->down)
		return;
	if (!port_run_held(sw, idx))
		goto out;
	n = port_batch(sw, p);
	if (n == 0) {
		if (!p->starved) {
			p->starved = 1;
			sw->nstarved++;
		}
		goto out;
	}
	got = port_recv(sw, p, b, n, f);
	if (got < 0) {
		for (i = 0; i < n; i++)
			pool_put(&sw->pool, b[i]);
		if (got != -EINTR && got != -EAGAIN)
			port_end(sw, idx, p->tp->why ? p->tp->why :
					  port_recv_why(got));
		return;
	}
	port_adapt(p, f, n, got);
	for (i = 0; i < (unsigned int)got; i++) {
		if (port_take(sw, p, &b[i], &f[i]))
			b[k++] = b[i];
		else
			pool_put(&sw->pool, b[i]);
	}
	for (i = got; i < n; i++)
		pool_put(&sw->pool, b[i]);
	if (p->watch & PW_IMPAIR_IN)
		port_impair_in(sw, p, b, k);	/* delayed, maybe */
	else
		port_forward(sw, idx, b, k);
	/* whole frames buffered inside the transport: no event will come */
	if (p->tp->pending && !p->nheld)
		sw->woken[sw->nwoken++] = idx;
	/* a leaving client: read on until its socket is empty, then end */
	if (p->closing && !p->nheld) {
		if (got == (int)n || p->tp->pending)
			sw->woken[sw->nwoken++] = idx;
		else
			port_left(sw, idx);
		return;
	}
out:
	port_set_events(sw, idx);
}

/* The v0 port whose client sent from @a (length @alen), or 0. */
static int port_v0_find(struct sw *sw, const struct sockaddr_un *a,
			socklen_t alen)
{
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		if (sw->ports[idx].v0 &&
		    tp_daemon_v0_is(sw->ports[idx].tp, a, alen))
			return idx;
	}
	return 0;
}

/*
 * -compat-v0: one shared data socket; the sender's address names the port.
 * Its input cannot be pushed back (one sender cannot be left unread on a
 * shared socket), so a frame for a full queue is dropped there, counted
 * (fwd.c never holds a v0 sender).
 */
void port_read_v0(struct sw *sw)
{
	struct sockaddr_un from[SW_BATCH];
	struct iovec iov[SW_BATCH][2];
	struct mmsghdr m[SW_BATCH];
	struct tp_frame f[SW_BATCH];
	struct buf *b[SW_BATCH];
	unsigned int i, n = SW_BATCH;
	int got, src;

	if (n > sw->pool.nfree_small)
		n = sw->pool.nfree_small;
	if (n > sw->pool.nfree_large)
		n = sw->pool.nfree_large;
	memset(m, 0, sizeof(m[0]) * n);
	memset(f, 0, sizeof(f[0]) * n);
	for (i = 0; i < n; i++) {
		b[i] = pool_get(&sw->pool, 0);
		f[i].buf = b[i]->data;
		f[i].cap = POOL_SMALL_SIZE;
		f[i].tail = rx_spill[i];
		f[i].tail_cap = sizeof(rx_spill[i]);
		m[i].msg_hdr.msg_iov = iov[i];
		m[i].msg_hdr.msg_iovlen = tp_frame_iov(&f[i], iov[i]);
		m[i].msg_hdr.msg_name = &from[i];
		m[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	got = n ? recvmmsg(sw->v0fd, m, n, MSG_DONTWAIT | MSG_TRUNC, NULL) : 0;
	for (i = 0; i < (unsigned int)(got > 0 ? got : 0); i++) {
		src = port_v0_find(sw, &from[i], m[i].msg_hdr.msg_namelen);
		if (!src) {
			sw->drop_unknown++;
			continue;
		}
		f[i].len = m[i].msg_len;
		if (!port_take(sw, &sw->ports[src], &b[i], &f[i]))
			continue;
		if (sw->ports[src].watch & PW_IMPAIR_IN) {
			b[i]->refs++;	/* impair_in takes one */
			impair_in(sw, src, &b[i], 1);
		} else {
			fwd_frame(sw, src, b[i]);
		}
	}
	for (i = 0; i < n; i++)
		pool_put(&sw->pool, b[i]);
}

void port_run_woken(struct sw *sw)
{
	int *run = sw->woken, i, n = sw->nwoken;

	/* Ports woken while these run go on the other list. */
	sw->woken = sw->woken_next;
	sw->woken_next = run;
	sw->nwoken = 0;
	for (i = 0; i < n; i++)
		if (run[i] > 0 && port_in_use(&sw->ports[run[i]]))
			port_read(sw, run[i]);
}

/**
 * port_vlan_form() - @b in the form port @p sends it (vlan.h), built in
 * @out (FRAME_MAX + VLAN_HLEN bytes).
 * Return: its length, or 0 when @b already is that form (send it as is).
 */
ssize_t port_vlan_form(const struct sw *sw, const struct port *p,
		       const struct buf *b, uint8_t *out)
{
	/* < 0 (too long, tagged) cannot be: fwd.c counted those, and a
	 * change of the port's VLANs empties its queue */
	if (!port_vlans(sw, p))
		return 0;
	return vlan_tx(&p->vlan, &b->vm, b->data, b->len, out);
}

/**
 * port_tx_form() - frame @f (slot @i of a batch to send) of @b: as @b
 * holds it, or in the form port @p sends it (vlan.h), built in a scratch
 * buffer of the batch.
 * Return: 0, or -ENOBUFS when the one large scratch buffer is taken
 * (*@large): send the batch so far, the rest in the next.
 */
int port_tx_form(const struct sw *sw, struct port *p, const struct buf *b,
		 struct tp_frame *f, unsigned int i, int *large)
{
	uint8_t *out = tx_vlan[i];
	ssize_t n;

	f->buf = b->data;
	f->len = f->cap = b->len;
	f->vnet = b->vn;	/* within p's offloads: fwd.c saw to it */
	if (!port_vlans(sw, p))
		return 0;
	if (b->len > POOL_SMALL_SIZE) {
		if (*large)
			return -ENOBUFS;
		out = tx_vlan_large;
	}
	n = port_vlan_form(sw, p, b, out);
	if (n > 0) {
		if (off_needs(&f->vnet))	/* a tag more or less before
						 * the headers it points at */
			off_move(&f->vnet, (int)(n - (ssize_t)b->len));
		f->buf = out;
		f->len = f->cap = (size_t)n;
		*large |= out == tx_vlan_large;
	}
	return 0;
}

/* Send up to a batch from the head of @p's queue, adding the bytes of
 * those sent to tx_bytes.  Return: frames the transport took, 0 if it
 * would block, or -errno (the port ends). */
static int port_send(struct sw *sw, struct port *p)
{
	unsigned int i, n = p->qlen < SW_BATCH ? p->qlen : SW_BATCH;
	struct tp_frame f[SW_BATCH];
	uint32_t h = p->qhead;
	int large = 0, sent;

	memset(f, 0, n * sizeof(f[0]));
	for (i = 0; i < n; i++) {
		if (port_tx_form(sw, p, p->q[h], &f[i], i, &large) < 0)
			break;	/* the rest in the next batch */
		if (++h == sw->o.qmax)
			h = 0;
	}
	sent = tp_send(p->tp, f, i);
	for (i = 0; sent > 0 && i < (unsigned int)sent; i++)
		p->tx_bytes += f[i].len;
	return sent;
}

/**
 * port_finish() - write the rest of a frame @p's transport counted sent
 * but could write only part of (tp->held), so that it does not wait for
 * the next frame: a stream peer needs it to see the frame at all.
 * Wants EPOLLOUT while some is left.
 *
 * Return: 0, or -errno (the connection failed: end the port).
 */
int port_finish(struct port *p)
{
	int ret;

	if (!p->tp->held || p->want_out)
		return 0;
	ret = tp_finish(p->tp);
	if (!ret)
		p->want_out = p->tp->held;
	return ret;
}

void port_flush(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int i, sent;

	if (p->watch & PW_IMPAIR_OUT) {
		impair_flush(sw, idx);	/* delayed, maybe (impair.h) */
		return;
	}
	p->want_out = 0;
	while (p->qlen) {
		sent = port_send(sw, p);
		if (sent == 0) {
			p->want_out = 1;	/* EPOLLOUT on its wfd */
			break;
		}
		if (sent < 0) {
			port_end(sw, idx, p->tp->why ? p->tp->why :
					  strerror(-sent));
			return;
		}
		for (i = 0; i < sent; i++)
			q_pop(sw, p);
		p->tx += sent;
		p->full_since_ms = 0;
		if (p->stalled) {
			p->stalled = 0;
			info("port %d: client reads again", idx);
		}
	}
	sent = port_finish(p);
	if (sent < 0) {
		port_end(sw, idx, strerror(-sent));
		return;
	}
	if (!port_room(sw, p) && !p->full_since_ms)
		p->full_since_ms = sw->now_ms;
	if (p->wait_room && port_room(sw, p))
		port_wake(sw, idx);
	port_set_events(sw, idx);
}

void port_flush_all(struct sw *sw)
{
	int i, idx;

	for (i = 0; i < sw->ndirty; i++) {
		idx = sw->dirty[i];
		sw->ports[idx].dirty = 0;
		if (port_in_use(&sw->ports[idx]))
			port_flush(sw, idx);
	}
	sw->ndirty = 0;
}
