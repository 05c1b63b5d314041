// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * port.c: ports of the switch: their epoll registration, batched reading,
 * output queues, flushing, back-pressure and counters.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "sw.h"
#include "transport.h"

/* Room beyond a small buffer, per batch slot: jumbo frames land here and
 * are copied to a large buffer (rare), so small buffers stay small. */
static uint8_t rx_spill[SW_BATCH][POOL_LARGE_SIZE - POOL_SMALL_SIZE];

int port_alloc(struct sw *sw)
{
	uint32_t i;

	for (i = 1; i < sw->o.max_ports; i++)
		if (sw->ports[i].kind == PORT_FREE)
			return i;
	return -ENOSPC;
}

static int ep_set(struct sw *sw, int op, int fd, uint32_t events, uint64_t d)
{
	struct epoll_event ev = { .events = events, .data.u64 = d };

	return epoll_ctl(sw->epfd, op, fd, &ev) ? -errno : 0;
}

/**
 * port_add() - start serving the port at @idx (kind, fds and desc set).
 * Return: 0 or -errno (the port is then closed).
 */
int port_add(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int ret = 0;

	p->blocked_by = -1;
	p->qhead = p->qlen = 0;
	p->events = 0;
	if (p->fd >= 0) {
		p->events = EPOLLIN;
		ret = ep_set(sw, EPOLL_CTL_ADD, p->fd, EPOLLIN, EV(EV_DATA, idx));
	}
	if (!ret && p->ctl >= 0)
		ret = ep_set(sw, EPOLL_CTL_MOD, p->ctl, EPOLLIN, EV(EV_CTL, idx));
	sw->active[sw->nports++] = idx;
	if (ret) {
		port_close(sw, idx, "epoll registration failed");
		return ret;
	}
	info("port %d: new connection (%s)", idx, p->desc);
	return 0;
}

/* Let ports that wait for @idx's queue run again. */
static void port_wake(struct sw *sw, int idx)
{
	int i, w;

	for (i = 0; i < sw->nports; i++) {
		w = sw->active[i];
		if (sw->ports[w].blocked_by == idx) {
			sw->ports[w].blocked_by = -1;
			sw->woken[sw->nwoken++] = w;
		}
	}
}

static void q_drop_all(struct sw *sw, struct port *p, uint64_t *counter)
{
	while (p->qlen) {
		pool_put(&sw->pool, p->q[p->qhead]);
		if (++p->qhead == sw->o.qmax)
			p->qhead = 0;
		p->qlen--;
		(*counter)++;
	}
	p->full_since_ms = 0;
}

void port_close(struct sw *sw, int idx, const char *why)
{
	struct port *p = &sw->ports[idx];
	struct buf **q;
	int i;

	for (i = p->iheld; i < p->nheld; i++) {
		pool_put(&sw->pool, p->held[i]);
		p->drop_full++;
	}
	info("port %d: disconnect (%s): rx=%llu tx=%llu drop=%llu", idx, why,
	     (unsigned long long)p->rx, (unsigned long long)p->tx,
	     (unsigned long long)(p->drop_full + p->drop_size + p->drop_err +
				  p->drop_nobuf));
	if (p->tp)
		tp_close(p->tp);	/* owns p->fd */
	else if (p->fd >= 0)
		close(p->fd);	/* also leaves the epoll set */
	if (p->ctl >= 0)
		close(p->ctl);
	free(p->sbuf);
	q_drop_all(sw, p, &p->drop_err);
	if (p->starved)
		sw->nstarved--;
	for (i = 0; i < sw->nports; i++) {
		if (sw->active[i] == idx) {
			sw->active[i] = sw->active[--sw->nports];
			break;
		}
	}
	for (i = 0; i < sw->nwoken; i++)
		if (sw->woken[i] == idx)
			sw->woken[i] = 0;
	/* Dirty list entries for a freed port are skipped by kind. */
	fdb_flush_port(&sw->fdb, idx);
	port_wake(sw, idx);
	q = p->q;	/* the ring is allocated once per slot */
	memset(p, 0, sizeof(*p));
	p->q = q;
	p->kind = PORT_FREE;
	p->fd = p->ctl = -1;
	p->blocked_by = -1;
}

void port_set_events(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	uint32_t ev = 0;

	if (p->fd < 0)
		return;
	if (p->blocked_by < 0 && !p->starved)
		ev |= EPOLLIN;
	if (p->want_out)
		ev |= EPOLLOUT;
	if (ev == p->events)
		return;
	p->events = ev;
	if (ep_set(sw, EPOLL_CTL_MOD, p->fd, ev, EV(EV_DATA, idx)))
		port_close(sw, idx, "epoll_ctl failed");
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

/* Turn a received length into a buffer ready to forward, or drop it. */
static int port_take(struct sw *sw, struct port *p, struct buf **bp,
		     size_t len, unsigned int slot)
{
	struct buf *b = *bp, *big;

	if (len < FRAME_MIN || len > FRAME_MAX) {
		p->drop_size++;
		return 0;
	}
	if (len > POOL_SMALL_SIZE) {
		big = pool_get(&sw->pool, 1);
		if (!big) {
			p->drop_nobuf++;
			return 0;
		}
		memcpy(big->data, b->data, POOL_SMALL_SIZE);
		memcpy(big->data + POOL_SMALL_SIZE, rx_spill[slot],
		       len - POOL_SMALL_SIZE);
		pool_put(&sw->pool, b);
		*bp = b = big;
	}
	b->len = len;
	p->rx++;
	p->rx_bytes += len;
	return 1;
}

static void iov_init(struct iovec *iov, struct buf *b, unsigned int slot)
{
	iov[0].iov_base = b->data;
	iov[0].iov_len = POOL_SMALL_SIZE;
	iov[1].iov_base = rx_spill[slot];
	iov[1].iov_len = sizeof(rx_spill[slot]);
}

/*
 * A transport takes one buffer per frame, so it receives into a staging
 * slot that holds any frame; the frame is then laid out as the socket
 * reads lay it (the first POOL_SMALL_SIZE bytes in the small buffer, the
 * rest in the slot's spill area) for port_take().  One copy of each frame
 * buys jumbo frames on every transport.
 */
static uint8_t tp_stage[SW_BATCH][FRAME_MAX];

static int port_recv_tp(struct port *p, struct buf **b, unsigned int n,
			size_t *len)
{
	struct tp_frame f[SW_BATCH];
	unsigned int i;
	size_t head;
	int ret;

	memset(f, 0, n * sizeof(f[0]));
	for (i = 0; i < n; i++) {
		f[i].buf = tp_stage[i];
		f[i].cap = sizeof(tp_stage[i]);
		f[i].len = 0;
	}
	ret = tp_recv(p->tp, f, n);
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++) {
		if (f[i].len > f[i].cap) {
			len[i] = SIZE_MAX;	/* dropped by port_take */
			continue;
		}
		len[i] = f[i].len;
		head = len[i] < POOL_SMALL_SIZE ? len[i] : POOL_SMALL_SIZE;
		memcpy(b[i]->data, tp_stage[i], head);
		memcpy(rx_spill[i], tp_stage[i] + head, len[i] - head);
	}
	return ret;
}

/* Read up to @n frames: recvmmsg, readv (tap), a transport or a stream. */
static int port_recv(struct sw *sw, struct port *p, struct buf **b,
		     unsigned int n, size_t *len)
{
	struct iovec iov[SW_BATCH][2];
	struct mmsghdr m[SW_BATCH];
	unsigned int i;
	ssize_t r;
	int ret;

	if (p->kind == PORT_STREAM)
		return stream_recv(sw, p, b, n, len);
	if (p->kind == PORT_TP)
		return port_recv_tp(p, b, n, len);
	for (i = 0; i < n; i++)
		iov_init(iov[i], b[i], i);
	if (p->kind == PORT_TAP) {
		for (i = 0; i < n; i++) {
			r = readv(p->fd, iov[i], 2);
			if (r < 0)
				return i ? (int)i : (errno == EAGAIN ? 0 : -errno);
			len[i] = r;
		}
		return n;
	}
	memset(m, 0, sizeof(m[0]) * n);
	for (i = 0; i < n; i++) {
		m[i].msg_hdr.msg_iov = iov[i];
		m[i].msg_hdr.msg_iovlen = 2;
	}
	if (n == 1) {	/* plain recvmsg is cheaper for a lone frame */
		r = recvmsg(p->fd, &m[0].msg_hdr, MSG_DONTWAIT | MSG_TRUNC);
		if (r < 0)
			return errno == EAGAIN ? 0 : -errno;
		m[0].msg_len = r;
		ret = 1;
	} else {
		ret = recvmmsg(p->fd, m, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
	}
	if (ret < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (i = 0; i < (unsigned int)ret; i++) {
		len[i] = m[i].msg_len;
		/* SOCK_SEQPACKET: an empty message is the peer's EOF. */
		if (!len[i] && p->kind == PORT_SEQ)
			return i ? (int)i : -EPIPE;
	}
	return ret;
}

void port_read(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	struct buf *b[SW_BATCH];
	size_t len[SW_BATCH];
	unsigned int n, i, k = 0;
	int got;

	if (p->kind == PORT_FREE || p->fd < 0)
		return;
	if (!port_run_held(sw, idx))
		goto out;
	/* The batch follows the traffic: what the last read got, doubled
	 * when that filled it; a lone frame costs one recvmsg, not 64. */
	n = p->rx_batch ? p->rx_batch : SW_BATCH;
	if (n > sw->pool.nfree_small)
		n = sw->pool.nfree_small;
	if (n == 0) {
		if (!p->starved) {
			p->starved = 1;
			sw->nstarved++;
		}
		goto out;
	}
	for (i = 0; i < n; i++)
		b[i] = pool_get(&sw->pool, 0);
	got = port_recv(sw, p, b, n, len);
	if (got < 0) {
		for (i = 0; i < n; i++)
			pool_put(&sw->pool, b[i]);
		if (p->kind != PORT_DGRAM && got != -EINTR) {
			port_close(sw, idx, got == -EPIPE ? "client closed the "
				   "connection" : got == -EPROTO ? "bad frame "
				   "length in stream" : strerror(-got));
			return;
		}
		/* A socket's pending error (ECONNREFUSED after a failed
		 * send) is reported once; EOF comes on the control socket. */
		debug("port %d: recv: %s", idx, strerror(-got));
		return;
	}
	if (got == (int)n)
		p->rx_batch = n * 2 > SW_BATCH ? SW_BATCH : n * 2;
	else if (got > 0)
		p->rx_batch = got;
	for (i = 0; i < (unsigned int)got; i++) {
		if (port_take(sw, p, &b[i], len[i], i))
			b[k++] = b[i];
		else
			pool_put(&sw->pool, b[i]);
	}
	for (i = got; i < n; i++)
		pool_put(&sw->pool, b[i]);
	for (i = 0; i < k; i++) {
		if (fwd_frame(sw, idx, b[i]) == -EAGAIN) {
			/* Hold the rest; read nothing more until it fits. */
			memcpy(p->held, b + i, (k - i) * sizeof(*b));
			p->nheld = k - i;
			p->iheld = 0;
			break;
		}
		pool_put(&sw->pool, b[i]);
	}
	/* A stream may hold whole frames that no new input will announce. */
	if (p->kind == PORT_STREAM && !p->nheld && p->slen >= 4)
		sw->woken[sw->nwoken++] = idx;
out:
	port_set_events(sw, idx);
}

/* The v0 port with data address @a (length @alen), or 0. */
static int port_v0_find(struct sw *sw, const struct sockaddr_un *a,
			socklen_t alen)
{
	size_t plen = alen > offsetof(struct sockaddr_un, sun_path) ?
			      alen - offsetof(struct sockaddr_un, sun_path) : 0;
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		if (sw->ports[idx].kind == PORT_V0 &&
		    !strncmp(sw->ports[idx].peer.sun_path, a->sun_path, plen))
			return idx;
	}
	return 0;
}

/* -compat-v0: one shared data socket; the sender's address names the port.
 * Legacy mode without back-pressure: a full queue drops, counted. */
void port_read_v0(struct sw *sw)
{
	struct sockaddr_un from[SW_BATCH];
	struct iovec iov[SW_BATCH][2];
	struct mmsghdr m[SW_BATCH];
	struct buf *b[SW_BATCH];
	unsigned int i, n;
	int got, src;

	n = sw->pool.nfree_small < SW_BATCH ? sw->pool.nfree_small : SW_BATCH;
	memset(m, 0, sizeof(m[0]) * n);
	for (i = 0; i < n; i++) {
		b[i] = pool_get(&sw->pool, 0);
		iov_init(iov[i], b[i], i);
		m[i].msg_hdr.msg_iov = iov[i];
		m[i].msg_hdr.msg_iovlen = 2;
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
		if (!port_take(sw, &sw->ports[src], &b[i], m[i].msg_len, i))
			continue;
		if (fwd_frame(sw, src, b[i]) == -EAGAIN) {
			sw->ports[src].blocked_by = -1;
			sw->ports[src].drop_full++;
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
		if (run[i] > 0 && sw->ports[run[i]].kind != PORT_FREE)
			port_read(sw, run[i]);
}

/* Send up to a batch from the head of @p's queue.  Return: sent or -errno. */
static int port_send(struct sw *sw, struct port *p)
{
	struct mmsghdr m[SW_BATCH];
	struct iovec iov[SW_BATCH];
	unsigned int i, n = p->qlen < SW_BATCH ? p->qlen : SW_BATCH;
	uint32_t h = p->qhead;
	int ret, fd;

	memset(m, 0, sizeof(m[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = p->q[h]->data;
		iov[i].iov_len = p->q[h]->len;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		if (p->kind == PORT_V0) {
			m[i].msg_hdr.msg_name = &p->peer;
			m[i].msg_hdr.msg_namelen = sizeof(p->peer);
		}
		if (++h == sw->o.qmax)
			h = 0;
	}
	if (p->kind == PORT_TAP) {
		for (i = 0; i < n; i++) {
			if (write(p->fd, iov[i].iov_base, iov[i].iov_len) < 0)
				return i ? (int)i : -errno;
		}
		return n;
	}
	if (p->kind == PORT_STREAM)
		return stream_send(sw, p, n);
	if (p->kind == PORT_TP) {
		struct tp_frame f[SW_BATCH];

		memset(f, 0, n * sizeof(f[0]));
		for (i = 0; i < n; i++) {
			f[i].buf = iov[i].iov_base;
			f[i].len = iov[i].iov_len;
			f[i].cap = iov[i].iov_len;
		}
		ret = tp_send(p->tp, f, n);
		return ret;
	}
	fd = p->kind == PORT_V0 ? sw->v0fd : p->fd;
	if (n == 1)	/* plain sendmsg is cheaper for a lone frame */
		ret = sendmsg(fd, &m[0].msg_hdr, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ?
			      -1 : 1;
	else
		ret = sendmmsg(fd, m, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	return ret < 0 ? -errno : ret;
}

/* Whether a would-block on @p is retried on the tick, not on EPOLLOUT. */
static int port_out_on_tick(const struct port *p)
{
	return p->kind == PORT_V0 ||
	       (p->kind == PORT_TP && p->tp->wfd != p->tp->fd);
}

void port_flush(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int was_full = p->qlen >= sw->o.qmax;
	int i, sent;

	p->want_out = 0;
	while (p->qlen) {
		sent = port_send(sw, p);
		if (sent == -EAGAIN || sent == 0) {
			/* Wait for EPOLLOUT on the port's fd; the shared v0
			 * socket and a transport sending on another fd than
			 * the one we poll (mcast) are retried on the tick. */
			p->want_out = !port_out_on_tick(p);
			break;
		}
		if (sent < 0) {
			/* The client is gone or refuses frames: its control
			 * EOF follows; drop what is queued, counted. */
			debug("port %d: send: %s", idx, strerror(-sent));
			q_drop_all(sw, p, &p->drop_err);
			break;
		}
		for (i = 0; i < sent; i++) {
			p->tx_bytes += p->q[p->qhead]->len;
			pool_put(&sw->pool, p->q[p->qhead]);
			if (++p->qhead == sw->o.qmax)
				p->qhead = 0;
		}
		p->qlen -= sent;
		p->tx += sent;
		p->full_since_ms = 0;
		if (p->stalled) {
			p->stalled = 0;
			info("port %d: client reads again", idx);
		}
	}
	if (was_full && p->qlen < sw->o.qmax)
		port_wake(sw, idx);
	port_set_events(sw, idx);
}

void port_flush_all(struct sw *sw)
{
	int i, idx;

	for (i = 0; i < sw->ndirty; i++) {
		idx = sw->dirty[i];
		sw->ports[idx].dirty = 0;
		if (sw->ports[idx].kind != PORT_FREE)
			port_flush(sw, idx);
	}
	sw->ndirty = 0;
}

/* Periodic: stall detection, starved ports, v0 retries. */
void port_tick(struct sw *sw)
{
	int i, idx;
	struct port *p;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		p = &sw->ports[idx];
		if (p->full_since_ms && !p->stalled &&
		    sw->now_ms - p->full_since_ms > SW_STALL_MS) {
			p->stalled = 1;
			warn("port %d: client is not reading; dropping frames "
			     "to it until it does", idx);
			port_wake(sw, idx);
		}
		if (p->starved && sw->pool.nfree_small >= SW_BATCH) {
			p->starved = 0;
			sw->nstarved--;
			sw->woken[sw->nwoken++] = idx;
		}
		if (port_out_on_tick(p) && p->qlen && !p->dirty) {
			p->dirty = 1;
			sw->dirty[sw->ndirty++] = idx;
		}
	}
}

void port_stats(struct sw *sw)
{
	static const char *const kind[] = { "free", "daemon", "daemon-v0",
					    "tap", "bess", "stream", "transport" };
	int i, idx;
	struct port *p;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		p = &sw->ports[idx];
		info("stats: port %d %s rx=%llu tx=%llu drop=%llu "
		     "(full=%llu size=%llu err=%llu nobuf=%llu) queue=%u %s",
		     idx, kind[p->kind], (unsigned long long)p->rx,
		     (unsigned long long)p->tx,
		     (unsigned long long)(p->drop_full + p->drop_size +
					  p->drop_err + p->drop_nobuf),
		     (unsigned long long)p->drop_full,
		     (unsigned long long)p->drop_size,
		     (unsigned long long)p->drop_err,
		     (unsigned long long)p->drop_nobuf, p->qlen, p->desc);
	}
	info("stats: ports=%d fdb=%u/%u full=%llu unknown_v0=%llu", sw->nports,
	     sw->fdb.count, sw->fdb.max,
	     (unsigned long long)sw->fdb.full_events,
	     (unsigned long long)sw->drop_unknown);
}
