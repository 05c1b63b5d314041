// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * redial.c: ports whose transport can dial its server again (a stream
 * client with reconnect=, tp->redial_ms): their connection's end is not
 * theirs.
 *
 * Theory of operation: when such a port's connection ends (EOF or an
 * error on recv or send), or there was no server at the start, the port
 * goes down: its connection is closed (which takes it out of the epoll
 * set), what it held or had queued is dropped and counted, its MACs are
 * forgotten and its carrier is down, so frames to it are dropped and
 * counted (drops.carrier) as for a carrier set down by management.  It
 * keeps its index, name, settings and counters.  On the tick, once
 * redial_at_ms has come, it dials once (a unix connect is immediate):
 * connected, its new fd joins the epoll set and the carrier comes back up
 * (unless management holds it down); else the next try is redial_ms later.
 * Nothing spins: a server that accepts and hangs up at once is dialled
 * once per redial_ms.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
#include "sw.h"
#include "transport.h"

/**
 * port_carrier_sync() - port @idx's carrier bit is down while management
 * holds it down or it has no connection: set it so, dropping (and
 * counting) what was queued for it when it goes down; senders waiting
 * for its queue go on.
 */
void port_carrier_sync(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	int off = p->carrier_off || p->down;

	if (!off == !(p->watch & PW_CARRIER_DOWN))
		return;
	if (!off) {
		p->watch &= (uint8_t)~PW_CARRIER_DOWN;
	} else {
		p->watch |= PW_CARRIER_DOWN;
		port_drop_queue(sw, p, &p->drop_carrier);
		p->full_since_ms = 0;
		p->stalled = 0;
		port_wake(sw, idx);
	}
	info("port %d: carrier %s", idx, off ? "down" : "up");
	mgmt_ev_port(sw, "carrier", idx);
}

/**
 * port_lost() - port @idx (a redialling transport) has no connection
 * (@why, for the log): down until redial_tick() connects it again.
 */
void port_lost(struct sw *sw, int idx, const char *why)
{
	struct port *p = &sw->ports[idx];

	port_drop_held(sw, p, &p->drop_carrier);
	if (p->starved) {
		p->starved = 0;
		sw->nstarved--;
	}
	tp_hangup(p->tp);	/* closing the fd also leaves the epoll set */
	p->events = 0;
	p->want_out = p->wfd_on = 0;
	p->down = 1;
	p->outages++;
	p->redial_at_ms = sw->now_ms + p->tp->redial_ms;
	fdb_flush_port(&sw->fdb, idx);
	info("port %d (%s): no connection (%s); dialling again every %u s",
	     idx, p->desc, why, p->tp->redial_ms / 1000);
	port_carrier_sync(sw, idx);
}

/**
 * port_end() - port @idx's connection ended (@why): the port ends, or,
 * if its transport can dial again, goes down (port_lost()).
 */
void port_end(struct sw *sw, int idx, const char *why)
{
	struct port *p = &sw->ports[idx];

	if (p->down)
		return;		/* no connection to end */
	if (p->tp->redial_ms)
		port_lost(sw, idx, strcmp(why, "client closed the connection") ?
			  why : "the server closed the connection");
	else
		port_close(sw, idx, why);
}

/* Dial port @idx's server once. */
static void redial_port(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = EV(EV_DATA, idx) };
	int ret = tp_redial(p->tp);

	p->redial_at_ms = sw->now_ms + p->tp->redial_ms;
	if (ret) {
		debug("port %d: dialling again: %s", idx, strerror(-ret));
		return;
	}
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, p->tp->fd, &ev)) {
		warn("port %d: epoll: %s", idx, strerror(errno));
		tp_hangup(p->tp);
		return;
	}
	p->events = EPOLLIN;
	p->down = 0;
	p->redials++;
	info("port %d (%s): connected (redial %llu)", idx, p->desc,
	     (unsigned long long)p->redials);
	port_carrier_sync(sw, idx);
}

/**
 * redial_tick() - periodic: dial the down ports whose time has come.
 */
void redial_tick(struct sw *sw)
{
	int i, idx;

	for (i = 0; i < sw->nports; i++) {
		idx = sw->active[i];
		if (sw->ports[idx].down &&
		    sw->now_ms >= sw->ports[idx].redial_at_ms)
			redial_port(sw, idx);
	}
}
