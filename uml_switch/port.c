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
#include <sys/socket.h>
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
 * port_find() - the port in use with index @index, or (@index 0) named
 * @name.
 * Return: its index, or -ENOENT.
 */
int port_find(const struct sw *sw, uint32_t index, const char *name)
{
	int i, idx;

	if (index)
		return index < sw->o.max_ports &&
		       port_in_use(&sw->ports[index]) ? (int)index : -ENOENT;
	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		if (!strcmp(sw->ports[idx].name, name))
			return idx;
	}
	return -ENOENT;
}

/* The peer's pid and uid, as the kernel saw it connect to @fd. */
static void port_peercred(struct port *p, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	p->peer_pid = 0;
	p->peer_uid = (uid_t)-1;
	if (fd >= 0 && !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) &&
	    len == sizeof(cr) && cr.pid > 0) {
		p->peer_pid = cr.pid;
		p->peer_uid = cr.uid;
	}
}

/* Is @name taken by another port than @self? */
static int port_name_taken(const struct sw *sw, const char *name, int self)
{
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		if (idx != self && !strcmp(sw->ports[idx].name, name))
			return 1;
	}
	return 0;
}

/* @want if it is free, else the transport's name and the index (and a
 * suffix if even that is taken, by a name given at run time). */
static void port_name(struct sw *sw, int idx, const char *want)
{
	struct port *p = &sw->ports[idx];
	char kind[TP_NAME_MAX], buf[48];
	uint32_t n = 0;

	p->name[0] = '\0';
	if (want && !port_name_taken(sw, want, idx)) {
		snprintf(p->name, sizeof(p->name), "%.15s", want);
		return;
	}
	snprintf(kind, sizeof(kind), "%s", (p->watch & PW_DUMP) ? "dump" :
		 p->tp->ops->name);
	kind[strcspn(kind, "-")] = '\0';	/* daemon-v0: daemon */
	/* a kind of at most 9 letters and an index below 65535: 14 */
	snprintf(buf, sizeof(buf), "%.9s%d", kind, idx);
	snprintf(p->name, sizeof(p->name), "%.15s", buf);
	while (port_name_taken(sw, p->name, idx) && n < 999) {
		snprintf(buf, sizeof(buf), "%.5s%d.%u", kind, idx, ++n);
		snprintf(p->name, sizeof(p->name), "%.15s", buf);
	}
}

/* Mode, events and capture learn of a new port. */
static void port_announce(struct sw *sw, int idx, const struct port_peer *peer)
{
	struct port *p = &sw->ports[idx];

	p->gen = ++sw->gen;
	p->up_ms = sw->now_ms;
	if (peer && (peer->watch & PW_DUMP)) {
		p->watch |= PW_DUMP;
		sw->ndump++;
	}
	p->peer_key = peer ? peer->key : NULL;
	snprintf(p->peer, sizeof(p->peer), "%s",
		 peer && peer->val ? peer->val : "");
	port_peercred(p, peer ? peer->credfd : -1);
	port_name(sw, idx, peer ? peer->name : NULL);
	capture_port_open(sw, idx);
	mgmt_ev_port_up(sw, idx);
}

/* New port @idx starts with the settings @peer names, or the defaults. */
static void port_link(struct sw *sw, int idx, const struct port_peer *peer)
{
	struct link_cfg c;
	char e[8];

	if (peer && peer->link) {
		link_apply(sw, idx, peer->link);
		return;
	}
	link_parse(sw, 0, "", &c, e, sizeof(e));	/* cannot fail */
	link_apply(sw, idx, &c);
}

/**
 * port_open() - serve transport @tp as a new port (it is the port's from
 * now on, closed on failure).
 * @desc:	what it is, for log lines
 * @peer:	what the management socket says of its other end (or NULL)
 * Return: the port's index, or -errno (logged).
 */
int port_open(struct sw *sw, struct tp *tp, const char *desc,
	      const struct port_peer *peer)
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
	tp->vnet_ok = !sw->o.no_offload;	/* before its first recv */
	p->v0 = tp->fd < 0 && !tp->redial_ms;
	snprintf(p->desc, sizeof(p->desc), "%s", desc);
	sw->active[sw->nports++] = idx;
	if (tp->fd >= 0) {
		p->events = EPOLLIN;
		ret = ep_set(sw, EPOLL_CTL_ADD, tp->fd, EPOLLIN, EV(EV_DATA, idx));
	}
	if (!ret && tp->cfd >= 0)
		ret = ep_set(sw, EPOLL_CTL_ADD, tp->cfd, EPOLLIN, EV(EV_CTL, idx));
	port_link(sw, idx, peer);
	port_announce(sw, idx, peer);
	if (ret) {
		err("port %d (%s): epoll: %s", idx, desc, strerror(-ret));
		port_close(sw, idx, "epoll registration failed");
		return ret;
	}
	info("port %d: new connection (%s)", idx, p->desc);
	if (tp->fd < 0 && tp->redial_ms)
		port_lost(sw, idx, "no server yet");
	return idx;
}

/**
 * port_add_spec() - open @spec as a port named @name (NULL: a name of
 * its own): its link settings' keys (link.h) are the switch's, the others
 * the transport's (which must not carry a MAC: a port has none).  A tap's
 * peer is its device, anything else's the spec.
 * Return: the port's index, or -errno with @err saying why.
 */
int port_add_spec(struct sw *sw, const char *spec, const char *name,
		  char *err, size_t errlen)
{
	struct port_peer peer = { .key = "spec", .val = spec, .credfd = -1,
				  .name = name };
	char tspec[TP_SPEC_MAX], link[LINK_TEXT_MAX];
	struct link_cfg c;
	const char *dev;
	struct tp_spec s;
	struct tp *tp;
	int ret;

	ret = link_split_spec(spec, tspec, sizeof(tspec), link, sizeof(link),
			      err, errlen);
	if (!ret)
		ret = link_parse(sw, 0, link, &c, err, errlen);
	if (!ret)
		ret = tp_open(&tp, tspec, err, errlen);
	if (ret)
		return ret;
	peer.link = &c;
	/* it parsed once, so it parses again */
	if (!tp_spec_parse(tspec, &s, err, errlen) &&
	    !strcmp(s.name, "tuntap") && (dev = tp_spec_get(&s, "dev"))) {
		peer.key = "dev";
		peer.val = dev;
		if (!name)
			peer.name = dev;
	}
	ret = port_open(sw, tp, spec, &peer);
	if (ret < 0)
		snprintf(err, errlen, "%s", ret == -ENOSPC ?
			 "all ports in use (see --max-ports)" :
			 "cannot poll the new port (epoll)");
	return ret;
}

/**
 * port_open_spec() - port_add_spec() at start, with errors logged.
 * @desc:	for log lines; NULL: the spec itself
 * Return: the port's index, or -errno.
 */
int port_open_spec(struct sw *sw, const char *spec, const char *desc)
{
	char e[TP_ERR_MAX];
	int ret;

	ret = port_add_spec(sw, spec, NULL, e, sizeof(e));
	if (ret < 0)
		err("%s: %s", desc ? desc : spec, e);
	return ret;
}

/**
 * port_drops() - every frame dropped on its way to or from port @p.
 */
uint64_t port_drops(const struct port *p)
{
	return p->drop_full + p->drop_size + p->drop_err + p->drop_nobuf +
	       p->drop_carrier + p->drop_ignored + p->drop_vlan +
	       p->drop_vnet + p->tp->tx_drop + p->tp->rx_drop;
}

/**
 * port_carrier() - set port @idx's carrier @up or down.  Down, frames to
 * and from it are dropped (counted as carrier drops; those queued for it
 * too) and its client stays connected; senders waiting for its queue go
 * on.
 */
void port_carrier(struct sw *sw, int idx, int up)
{
	sw->ports[idx].carrier_off = !up;
	port_carrier_sync(sw, idx);	/* redial.c */
}

void port_close(struct sw *sw, int idx, const char *why)
{
	struct port *p = &sw->ports[idx];
	int i;

	port_drop_held(sw, p, &p->drop_err);
	port_drop_queue(sw, p, &p->drop_err);
	info("port %d: disconnect (%s): rx=%llu tx=%llu drop=%llu", idx, why,
	     (unsigned long long)p->rx, (unsigned long long)p->tx,
	     (unsigned long long)port_drops(p));
	mgmt_ev_port_down(sw, idx, why);
	capture_port_close(sw, idx);
	link_port_close(sw, idx);
	sw->gone_rx += p->rx;
	sw->gone_tx += p->tx;
	sw->gone_rx_bytes += p->rx_bytes;
	sw->gone_tx_bytes += p->tx_bytes;
	sw->gone_drops += port_drops(p);
	if (p->watch & PW_DUMP)
		sw->ndump--;
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
		     p->tp->wfd_in ? EPOLLIN : EPOLLOUT, EV(EV_WFD, idx));
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
	redial_tick(sw);
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
		if (p->stalled != p->stall_told) {
			p->stall_told = p->stalled;
			mgmt_ev_port(sw, p->stalled ? "stall" : "unstall", idx);
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
	char redial[64];
	struct port *p;
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		p = &sw->ports[idx];
		redial[0] = '\0';
		if (p->tp->redial_ms)	/* redial.c */
			snprintf(redial, sizeof(redial),
				 " outages=%llu redials=%llu",
				 (unsigned long long)p->outages,
				 (unsigned long long)p->redials);
		info("stats: port %d %s rx=%llu tx=%llu drop=%llu "
		     "(full=%llu size=%llu err=%llu nobuf=%llu refused=%llu "
		     "carrier=%llu ignored=%llu vlan=%llu vnet=%llu bad=%llu) "
		     "checksummed=%llu segmented=%llu queue=%u%s%s%s%s %s",
		     idx, p->tp->ops->name, (unsigned long long)p->rx,
		     (unsigned long long)p->tx,
		     (unsigned long long)port_drops(p),
		     (unsigned long long)p->drop_full,
		     (unsigned long long)p->drop_size,
		     (unsigned long long)p->drop_err,
		     (unsigned long long)p->drop_nobuf,
		     (unsigned long long)p->tp->tx_drop,
		     (unsigned long long)p->drop_carrier,
		     (unsigned long long)p->drop_ignored,
		     (unsigned long long)p->drop_vlan,
		     (unsigned long long)p->drop_vnet,
		     (unsigned long long)p->tp->rx_drop,
		     (unsigned long long)p->off_csum,
		     (unsigned long long)p->off_seg, p->qlen,
		     p->stalled ? " stalled" : "", p->lossy ? " slow" : "",
		     (p->watch & PW_CARRIER_DOWN) ? " down" : "", redial,
		     p->desc);
	}
	info("stats: ports=%d fdb=%u/%u full=%llu unknown_v0=%llu", sw->nports,
	     sw->fdb.count, sw->fdb.max,
	     (unsigned long long)sw->fdb.full_events,
	     (unsigned long long)sw->drop_unknown);
}
