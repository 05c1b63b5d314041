// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mgmt_event.c: the event stream of the management socket: one JSON line
 * per event to every client that asked for "events": ports up and down
 * (with their final counters), stations learned, moved and aged out, the
 * table full, stalls, carrier, mode and flushes.  An event is made once
 * (only when someone listens: each function returns at once otherwise)
 * and copied to each listener that has room; one that has none loses it,
 * counted, and is told {"event":"lost","count":N} before its next event.
 */
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "json.h"
#include "mgmt.h"
#include "sw.h"

static int ev_begin(struct sw *sw, struct jw *w, const char *name)
{
	if (!sw->nevents)
		return 0;
	jw_init(w, sw->mgmt->ev, MGMT_EVENT_MAX);
	jw_obj(w, NULL);
	jw_str(w, "event", name);
	jw_time(w, "time", mgmt_now_us());
	return 1;
}

/* To listener @ci: the news of what it lost first, if that fits too. */
static void ev_put(struct sw *sw, int ci, const char *line, uint32_t len)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	uint64_t us = mgmt_now_us();
	char lost[128];
	int n = 0;

	if (c->lost)
		n = snprintf(lost, sizeof(lost), "{\"event\":\"lost\",\"time\""
			     ":%llu.%06llu,\"count\":%llu}\n",
			     (unsigned long long)(us / 1000000),
			     (unsigned long long)(us % 1000000),
			     (unsigned long long)c->lost);
	if (mgmt_room(c) < (uint32_t)n + len) {
		c->lost++;
		return;
	}
	if (n) {
		mgmt_put(sw, ci, lost, (uint32_t)n);
		c->lost = 0;
	}
	mgmt_put(sw, ci, line, len);
}

static void ev_send(struct sw *sw, struct jw *w)
{
	int ci;

	jw_end(w);
	if (w->overflow)
		return;	/* never: events are small */
	w->buf[w->len++] = '\n';
	for (ci = 0; ci < MGMT_MAX_CLIENTS; ci++)
		if (sw->mgmt->c[ci].state == MC_EVENTS)
			ev_put(sw, ci, w->buf, (uint32_t)w->len);
}

static void ev_port_ref(struct sw *sw, struct jw *w, const char *key,
			int idx)
{
	jw_u64(w, key, (uint64_t)idx);
	jw_str(w, "name", idx > 0 && port_in_use(&sw->ports[idx]) ?
	       sw->ports[idx].name : "");
}

/**
 * mgmt_events_start() - client @ci asked for events: the reply, then the
 * stream.
 */
void mgmt_events_start(struct sw *sw, int ci)
{
	static const char ok[] = "{\"ok\":true,\"events\":true}\n";

	mgmt_put(sw, ci, ok, sizeof(ok) - 1);
	sw->mgmt->c[ci].state = MC_EVENTS;
	sw->mgmt->c[ci].lost = 0;
	sw->nevents++;
}

/**
 * mgmt_events_end() - end client @ci's stream: a last event saying @why
 * (and what it lost), then the connection ends.
 */
void mgmt_events_end(struct sw *sw, int ci, const char *why)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	uint64_t us = mgmt_now_us();
	char line[256];
	int n;

	/* @why is one of our own sentences: nothing to escape */
	n = snprintf(line, sizeof(line), "{\"event\":\"end\",\"time\":"
		     "%llu.%06llu,\"why\":\"%s\",\"lost\":%llu}\n",
		     (unsigned long long)(us / 1000000),
		     (unsigned long long)(us % 1000000), why,
		     (unsigned long long)c->lost);
	if (n > 0 && (uint32_t)n <= mgmt_room(c))
		mgmt_put(sw, ci, line, (uint32_t)n);
	mgmt_finish(sw, ci);
}

/**
 * mgmt_ev_port_up() - port @idx is new.
 */
void mgmt_ev_port_up(struct sw *sw, int idx)
{
	struct jw w;

	if (!ev_begin(sw, &w, "port_up"))
		return;
	mgmt_json_port(sw, &w, "port", idx);
	ev_send(sw, &w);
}

/**
 * mgmt_ev_port_down() - port @idx ends (@why): its final counters, kept
 * for the port_del reply too.
 */
void mgmt_ev_port_down(struct sw *sw, int idx, const char *why)
{
	struct mgmt *m = sw->mgmt;
	struct port *p = &sw->ports[idx];
	struct jw w;

	mgmt_counters(p, &m->gone);
	snprintf(m->gone_name, sizeof(m->gone_name), "%s", p->name);
	if (!ev_begin(sw, &w, "port_down"))
		return;
	ev_port_ref(sw, &w, "port", idx);
	jw_str(&w, "kind", p->tp->ops->name);
	jw_str(&w, "why", why);
	jw_u64(&w, "uptime", (sw->now_ms - p->up_ms) / 1000);
	mgmt_json_counters(&w, "counters", &m->gone);
	ev_send(sw, &w);
}

/* The station of table key @key (fdb.h): its MAC and VLAN. */
static void ev_mac(struct jw *w, uint64_t key)
{
	char m[MAC_STRLEN];
	uint8_t mac[6];

	fdb_key_mac(key, mac);
	jw_str(w, "mac", mac_format(mac, m));
	jw_u64(w, "vlan", fdb_key_vid(key));
}

/**
 * mgmt_ev_mac() - station @mac of VLAN @vid: "mac_learned" or "fdb_full"
 * on @port, "mac_moved" there from port @from.
 */
void mgmt_ev_mac(struct sw *sw, const char *what, uint16_t vid,
		 const uint8_t *mac, int port, int from)
{
	struct jw w;

	if (!ev_begin(sw, &w, what))
		return;
	ev_mac(&w, fdb_key(vid, mac));
	ev_port_ref(sw, &w, "port", port);
	if (from >= 0)
		jw_u64(&w, "from", (uint64_t)from);
	if (!strcmp(what, "fdb_full")) {
		jw_u64(&w, "max", sw->fdb.max);
		jw_u64(&w, "count", sw->fdb.full_events);
	}
	ev_send(sw, &w);
}

/**
 * mgmt_ev_aged() - the table's callback (fdb.h): an entry aged out.
 * @ctx:	the switch
 */
void mgmt_ev_aged(void *ctx, uint64_t key, int port)
{
	struct sw *sw = ctx;
	struct jw w;

	if (!ev_begin(sw, &w, "mac_aged"))
		return;
	ev_mac(&w, key);
	ev_port_ref(sw, &w, "port", port);
	ev_send(sw, &w);
}

/**
 * mgmt_ev_port() - "stall", "unstall" or "carrier" of port @idx.
 */
void mgmt_ev_port(struct sw *sw, const char *what, int idx)
{
	struct jw w;

	if (!ev_begin(sw, &w, what))
		return;
	ev_port_ref(sw, &w, "port", idx);
	jw_str(&w, "carrier", (sw->ports[idx].watch & PW_CARRIER_DOWN) ?
	       "down" : "up");
	ev_send(sw, &w);
}

/**
 * mgmt_ev_fdb() - "fdb_flush": @n entries forgotten, of @port (-1: all).
 */
void mgmt_ev_fdb(struct sw *sw, const char *what, int port, uint64_t n)
{
	struct jw w;

	if (!ev_begin(sw, &w, what))
		return;
	if (port < 0)
		jw_null(&w, "port");
	else
		ev_port_ref(sw, &w, "port", port);
	jw_u64(&w, "count", n);
	ev_send(sw, &w);
}

/**
 * mgmt_ev_mode() - the switch became a hub, or a switch again.
 */
void mgmt_ev_mode(struct sw *sw)
{
	struct jw w;

	if (!ev_begin(sw, &w, "mode"))
		return;
	jw_str(&w, "mode", sw->o.hub ? "hub" : "switch");
	ev_send(sw, &w);
}
