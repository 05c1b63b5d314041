// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * port.c: ports' lifetime: opening a transport as a port, its epoll
 * registration (fd, wfd, cfd), closing it, the periodic checks and the
 * counters.  The data path is in io.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "sw.h"
#include "transport.h"

SANDBOX_ALLOW(SYS_epoll_ctl, SYS_close);

static int ep_set(struct sw *sw, int op, int fd, uint32_t events, uint64_t d)
{
	struct epoll_event ev = { .events = events, .data.u64 = d };

	return epoll_ctl(sw->epfd, op, fd, &ev) ? -errno : 0;
}

static int port_slot(struct sw *sw)
{
	uint32_t i;

	for (i = 1; i < sw->o.max_ports; i++)
		if (!port_in_use(&sw->ports[i]))
			return (int)i;
	return -ENOSPC;
}

static void port_reset(struct port *p)
{
	struct buf **q = p->q;	/* the ring is allocated once per slot */

	memset(p, 0, sizeof(*p));
	p->q = q;
	p->blocked_by = -1;
}

/**
 * port_open() - serve transport @tp as a new port (it is the port's from
 * now on, closed on failure).
 * @desc:	what it is, for log lines
 * Return: the port's index, or -errno (logged).
 */
int port_open(struct sw *sw, struct tp *tp, const char *desc)
{
	int idx = port_slot(sw), ret = 0;
	struct port *p;

	if (idx < 0) {
		warn("%s: all ports in use (see --max-ports); dropping it", desc);
		tp_close(tp);
		return idx;
	}
	p = &sw->ports[idx];
	port_reset(p);
	p->tp = tp;
	p->v0 = tp->fd < 0;
	snprintf(p->desc, sizeof(p->desc), "%s", desc);
	sw->active[sw->nports++] = idx;
	if (tp->fd >= 0) {
		p->events = EPOLLIN;
		ret = ep_set(sw, EPOLL_CTL_ADD, tp->fd, EPOLLIN, EV(EV_DATA, idx));
	}
	if (!ret && tp->cfd >= 0)
		ret = ep_set(sw, EPOLL_CTL_ADD, tp->cfd, EPOLLIN, EV(EV_CTL, idx));
	if (ret) {
		err("port %d (%s): epoll: %s", idx, desc, strerror(-ret));
		port_close(sw, idx, "epoll registration failed");
		return ret;
	}
	info("port %d: new connection (%s)", idx, p->desc);
	return idx;
}

/**
 * port_open_spec() - open transport @spec (which must not carry a MAC:
 * a port has none) as a port.
 * @desc:	for log lines; NULL: the spec itself
 * Return: the port's index, or -errno (logged with the transport's
 * message).
 */
int port_open_spec(struct sw *sw, const char *spec, const char *desc)
{
	char e[TP_ERR_MAX];
	struct tp *tp;
	int ret;

	ret = tp_open(&tp, spec, e, sizeof(e));
	if (ret) {
		err("%s: %s", desc ? desc : spec, e);
		return ret;
	}
	return port_open(sw, tp, desc ? desc : spec);
}

void port_close(struct sw *sw, int idx, const char *why)
{
	struct port *p = &sw->ports[idx];
	int i;

	for (i = p->iheld; i < p->nheld; i++) {
		pool_put(&sw->pool, p->held[i]);
		p->drop_err++;
	}
	p->nheld = p->iheld = 0;
	port_drop_queue(sw, p, &p->drop_err);
	info("port %d: disconnect (%s): rx=%llu tx=%llu drop=%llu", idx, why,
	     (unsigned long long)p->rx, (unsigned long long)p->tx,
	     (unsigned long long)(p->drop_full + p->drop_size + p->drop_err +
				  p->drop_nobuf + p->tp->tx_drop));
	tp_close(p->tp);	/* closing its fds also leaves the epoll set */
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
	/* Dirty list entries for a freed slot are skipped. */
	fdb_flush_port(&sw->fdb, idx);
	port_wake(sw, idx);
	port_reset(p);
}

/**
 * port_holds() - release the senders held by a port that has used up its
 * share of holding floods (they then skip its full queue).  Called on
 * every wake-up while some port holds a flooding sender.
 */
void port_holds(struct sw *sw)
{
	int i, idx;

	for (i = 0; i < sw->nports && sw->nholding; i++) {
		idx = sw->active[i];
		if (sw->ports[idx].hold_start_ms && fwd_share_used(sw, idx))
			port_wake(sw, idx);
	}
}

/* tp->wfd, when it is not tp->fd, is polled only while a send waits. */
static void port_wfd_events(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int wfd = p->tp->wfd, ret = 0;

	/* v0: the shared socket is not connected, so it polls writable
	 * whatever each client's queue holds (EPOLLOUT would spin): its
	 * ports are retried on the tick instead (port_tick). */
	if (p->v0 || wfd < 0 || wfd == p->tp->fd || p->want_out == p->wfd_on)
		return;
	/* EPOLL_CTL_DEL when idle: a socket's pending error would otherwise
	 * report EPOLLERR for ever with nothing to send. */
	ret = ep_set(sw, p->want_out ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, wfd,
		     EPOLLOUT, EV(EV_WFD, idx));
	if (ret)
		port_close(sw, idx, "epoll_ctl failed");
	else
		p->wfd_on = p->want_out;
}

void port_set_events(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	uint32_t ev = 0;

	if (!port_in_use(p))
		return;
	port_wfd_events(sw, idx);
	if (!port_in_use(p) || p->tp->fd < 0)
		return;
	if (p->blocked_by < 0 && !p->starved)
		ev |= EPOLLIN;
	if (p->want_out && p->tp->wfd == p->tp->fd)
		ev |= EPOLLOUT;
	if (ev == p->events)
		return;
	p->events = ev;
	if (ep_set(sw, EPOLL_CTL_MOD, p->tp->fd, ev, EV(EV_DATA, idx)))
		port_close(sw, idx, "epoll_ctl failed");
}

/**
 * port_ctl_input() - the port's control connection is readable: nothing is
 * expected there but its end, which ends the port.
 *
 * Frames the client sent just before leaving may still wait in its data
 * socket (at most its socket buffer), or be held here for a full queue:
 * they are delivered first, with back-pressure as ever, and the port ends
 * once it has nothing more (port_left()), or after SW_LEAVE_MS.
 */
void port_ctl_input(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int ret = tp_ctl_input(p->tp);

	if (!ret)
		return;
	if (ret != -EPIPE || p->v0) {
		port_close(sw, idx, ret == -EPIPE ? "client closed the control "
			   "connection" : strerror(-ret));
		return;
	}
	/* EOF stays readable: stop polling the connection */
	epoll_ctl(sw->epfd, EPOLL_CTL_DEL, p->tp->cfd, NULL);
	p->closing = 1;
	p->closing_ms = sw->now_ms;
	port_read(sw, idx);
}

/**
 * port_left() - a leaving client's port has delivered all it had: end it.
 */
void port_left(struct sw *sw, int idx)
{
	port_close(sw, idx, "client closed the control connection");
}

/* A new window: every port's share of holding flooding senders anew. */
static void port_window(struct sw *sw)
{
	struct port *p;
	int i;

	if (sw->now_ms - sw->window_ms < SW_WINDOW_MS)
		return;
	sw->window_ms = sw->now_ms;
	for (i = 0; i < sw->nports; i++) {
		p = &sw->ports[sw->active[i]];
		p->hold_ms = 0;
		p->lossy = 0;
		if (p->hold_start_ms)
			p->hold_start_ms = sw->now_ms;
	}
}

/* Periodic: stalled ports, the hold window, starved ports, v0 output. */
void port_tick(struct sw *sw)
{
	struct port *p;
	int i, idx;

	port_window(sw);
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
		if (p->closing && sw->now_ms - p->closing_ms > SW_LEAVE_MS) {
			port_close(sw, idx, "client closed the control "
				   "connection; its last frames could not all "
				   "be delivered in time");
			i--;	/* the active list moved */
			continue;
		}
		if (p->v0 && p->want_out && !p->dirty) {
			p->dirty = 1;
			sw->dirty[sw->ndirty++] = idx;
		}
		if (p->starved && sw->pool.nfree_small >= SW_BATCH &&
		    sw->pool.nfree_large >= SW_BATCH) {
			p->starved = 0;
			sw->nstarved--;
			sw->woken[sw->nwoken++] = idx;
		}
	}
}

void port_stats(struct sw *sw)
{
	struct port *p;
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		p = &sw->ports[idx];
		info("stats: port %d %s rx=%llu tx=%llu drop=%llu "
		     "(full=%llu size=%llu err=%llu nobuf=%llu refused=%llu) "
		     "queue=%u%s%s %s",
		     idx, p->tp->ops->name, (unsigned long long)p->rx,
		     (unsigned long long)p->tx,
		     (unsigned long long)(p->drop_full + p->drop_size +
					  p->drop_err + p->drop_nobuf +
					  p->tp->tx_drop),
		     (unsigned long long)p->drop_full,
		     (unsigned long long)p->drop_size,
		     (unsigned long long)p->drop_err,
		     (unsigned long long)p->drop_nobuf,
		     (unsigned long long)p->tp->tx_drop, p->qlen,
		     p->stalled ? " stalled" : "", p->lossy ? " slow" : "",
		     p->desc);
	}
	info("stats: ports=%d fdb=%u/%u full=%llu unknown_v0=%llu", sw->nports,
	     sw->fdb.count, sw->fdb.max,
	     (unsigned long long)sw->fdb.full_events,
	     (unsigned long long)sw->drop_unknown);
}
