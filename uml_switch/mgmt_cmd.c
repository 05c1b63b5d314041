// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mgmt_cmd.c: what each management command does, and the JSON that
 * describes the switch, its ports and its MAC table (uml_switch-mgmt(7)).
 * Every reply is made from the switch's state as it is, at once: nothing
 * here waits (but a run-time daemon port's handshake, see port_add).
 * Lists come in pages (MGMT_PAGE_PORTS ports, MGMT_PAGE_FDB entries, or
 * what fits in MGMT_REPLY_SOFT bytes); "next" says where the next starts.
 */
#include <errno.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "ifname.h"
#include "json.h"
#include "log.h"
#include "mgmt.h"
#include "proto.h"
#include "sandbox.h"
#include "sw.h"
#include "transport.h"

/*
 * Ports added at run time, after the sandbox is in place: a tap's
 * /dev/net/tun is opened read-write (by the janitor when there is one,
 * else here: janitor.c already allows openat) and attached with
 * TUNSETIFF (TUNGETIFF when the transport takes it over); mcast and ucast make inet sockets, set
 * their options (multicast group, TTL, loop, reuse), bind, connect, and
 * look an interface up by name (if=: a socket and SIOCGIFINDEX); daemon,
 * bess and stream are unix sockets, which ctl.c allows.
 */
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, TUNSETIFF);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, TUNGETIFF);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, TUNSETVNETHDRSZ);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, TUNSETOFFLOAD);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, SIOCGIFINDEX);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_INET);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_INET6);
SANDBOX_ALLOW(SYS_setsockopt, SYS_bind, SYS_connect, SYS_getsockname,
	      SYS_poll, SYS_stat, SYS_newfstatat, SYS_getpid);

/* Transports a running switch may add: their open makes only the calls
 * above.  Not slirp (its helper would run under our filter), pcap (it
 * needs CAP_NET_RAW, long gone), slip (a tty's set-up). */
static const char *const mgmt_runtime_tp[] = {
	"tuntap", "mcast", "ucast", "daemon", "bess", "stream", "vxlan", NULL
};

/* MACs of the ports of one page, found in one pass over the table. */
struct mgmt_macs {
	uint32_t n[MGMT_PAGE_PORTS];
	uint8_t mac[MGMT_PAGE_PORTS][MGMT_PORT_MACS][6];
};

static struct mgmt_macs mgmt_macs;
static int mgmt_page[MGMT_PAGE_PORTS + 1] = { -1 };	/* indices; -1 ends */

/**
 * mgmt_counters() - port @p's counters, kept apart from it (they outlive
 * the port in a port_down event and a port_del reply).
 */
void mgmt_counters(const struct port *p, struct mgmt_counters *c)
{
	c->rx = p->rx;
	c->tx = p->tx;
	c->rx_bytes = p->rx_bytes;
	c->tx_bytes = p->tx_bytes;
	c->total = port_drops(p);
	c->full = p->drop_full;
	c->size = p->drop_size;
	c->err = p->drop_err;
	c->nobuf = p->drop_nobuf;
	c->refused = p->tp->tx_drop;
	c->carrier = p->drop_carrier;
	c->ignored = p->drop_ignored;
	c->vlan = p->drop_vlan;
	c->bad = p->tp->rx_drop;
	c->vnet = p->drop_vnet;
	c->checksummed = p->off_csum;
	c->segmented = p->off_seg;
	c->kicks = p->tp->kicks;
}

/**
 * mgmt_json_counters() - counters @c as member @key.
 */
void mgmt_json_counters(struct jw *w, const char *key,
			const struct mgmt_counters *c)
{
	jw_obj(w, key);
	jw_u64(w, "rx", c->rx);
	jw_u64(w, "tx", c->tx);
	jw_u64(w, "rx_bytes", c->rx_bytes);
	jw_u64(w, "tx_bytes", c->tx_bytes);
	jw_u64(w, "kicks", c->kicks);
	jw_obj(w, "drops");
	jw_u64(w, "total", c->total);
	jw_u64(w, "full", c->full);
	jw_u64(w, "size", c->size);
	jw_u64(w, "err", c->err);
	jw_u64(w, "nobuf", c->nobuf);
	jw_u64(w, "refused", c->refused);
	jw_u64(w, "carrier", c->carrier);
	jw_u64(w, "ignored", c->ignored);
	jw_u64(w, "vlan", c->vlan);
	jw_u64(w, "bad", c->bad);
	jw_u64(w, "vnet", c->vnet);
	jw_end(w);
	jw_obj(w, "offload");
	jw_u64(w, "checksummed", c->checksummed);
	jw_u64(w, "segmented", c->segmented);
	jw_end(w);
	jw_end(w);
}

static void mgmt_json_peer(struct jw *w, const struct port *p)
{
	jw_obj(w, "peer");
	jw_str(w, "desc", p->desc);
	if (p->peer_pid) {
		jw_i64(w, "pid", p->peer_pid);
		jw_u64(w, "uid", p->peer_uid);
	} else {
		jw_null(w, "pid");
		jw_null(w, "uid");
	}
	if (p->peer_key && p->peer[0])
		jw_str(w, p->peer_key, p->peer);
	jw_end(w);
}

/* The MACs found for @idx, if it is on the page. */
static void mgmt_json_macs(struct jw *w, int idx)
{
	char m[MAC_STRLEN];
	uint32_t i, k, n;

	for (k = 0; mgmt_page[k] >= 0 && mgmt_page[k] != idx; k++)
		;
	if (mgmt_page[k] < 0)
		return;
	n = mgmt_macs.n[k];
	jw_arr(w, "macs");
	for (i = 0; i < n && i < MGMT_PORT_MACS; i++)
		jw_str(w, NULL, mac_format(mgmt_macs.mac[k][i], m));
	jw_end(w);
	jw_u64(w, "macs_total", n);
}

/**
 * mgmt_json_port() - port @idx as member @key (NULL: an array element),
 * with its MACs if it is on the page being made.
 */
void mgmt_json_port(struct sw *sw, struct jw *w, const char *key, int idx)
{
	const struct port *p = &sw->ports[idx];
	struct mgmt_counters c;

	jw_obj(w, key);
	jw_u64(w, "index", (uint64_t)idx);
	jw_str(w, "name", p->name);
	jw_str(w, "kind", p->tp->ops->name);
	jw_bool(w, "dump", p->watch & PW_DUMP);
	mgmt_json_peer(w, p);
	jw_str(w, "carrier", (p->watch & PW_CARRIER_DOWN) ? "down" : "up");
	jw_bool(w, "stalled", p->stalled);
	jw_bool(w, "slow", p->lossy);
	jw_bool(w, "closing", p->closing);
	jw_obj(w, "queue");
	jw_u64(w, "len", p->qlen);
	jw_u64(w, "max", sw->o.qmax);
	jw_end(w);
	jw_u64(w, "uptime", (sw->now_ms - p->up_ms) / 1000);
	if (p->tp->redial_ms) {		/* redial.c */
		jw_obj(w, "redial");
		jw_u64(w, "every", p->tp->redial_ms / 1000);
		jw_bool(w, "connected", !p->down);
		jw_u64(w, "outages", p->outages);
		jw_u64(w, "redials", p->redials);
		jw_end(w);
	}
	link_json(sw, w, idx);
	mgmt_json_macs(w, idx);
	mgmt_counters(p, &c);
	mgmt_json_counters(w, "counters", &c);
	jw_end(w);
}

/* One pass over the table for the MACs of the ports on mgmt_page. */
static void mgmt_find_macs(struct sw *sw)
{
	const struct fdb_entry *e;
	uint32_t i, k, n;

	memset(mgmt_macs.n, 0, sizeof(mgmt_macs.n));
	for (i = 0; i <= sw->fdb.mask; i++) {
		e = &sw->fdb.slot[i];
		if (!e->key || (sw->fdb.aging &&
				sw->now_s - e->seen > sw->fdb.aging))
			continue;
		for (k = 0; mgmt_page[k] >= 0 && mgmt_page[k] != e->port; k++)
			;
		if (mgmt_page[k] < 0)
			continue;
		n = mgmt_macs.n[k]++;
		if (n >= MGMT_PORT_MACS)
			continue;
		fdb_key_mac(e->key, mgmt_macs.mac[k][n]);
	}
}

/**
 * mgmt_port_of() - the port a request names, or -1 after replying that
 * there is none.
 */
int mgmt_port_of(struct sw *sw, int ci, const struct mreq_port *p)
{
	int idx = port_find(sw, p->index, p->name);

	if (idx >= 0)
		return idx;
	if (p->index)
		mgmt_fail(sw, ci, "not_found", "no port %u", p->index);
	else
		mgmt_fail(sw, ci, "not_found", "no port named '%s'", p->name);
	return -1;
}

static void mgmt_reply_start(struct sw *sw, struct jw *w)
{
	jw_init(w, sw->mgmt->reply, MGMT_REPLY_MAX);
	jw_obj(w, NULL);
	jw_bool(w, "ok", 1);
}

static void mgmt_reply_end(struct sw *sw, int ci, struct jw *w)
{
	jw_end(w);
	mgmt_reply(sw, ci, w);
}

static void cmd_show(struct sw *sw, int ci)
{
	uint64_t rx = sw->gone_rx, tx = sw->gone_tx, rxb = sw->gone_rx_bytes;
	uint64_t txb = sw->gone_tx_bytes, drops = sw->gone_drops;
	const struct port *p;
	struct jw w;
	int i, n = 0;

	for (i = 0; i < sw->nports; i++) {
		p = &sw->ports[sw->active[i]];
		rx += p->rx;
		tx += p->tx;
		rxb += p->rx_bytes;
		txb += p->tx_bytes;
		drops += port_drops(p);
	}
	for (i = 0; i < MGMT_MAX_CLIENTS; i++)
		n += sw->mgmt->c[i].state != MC_FREE;
	mgmt_reply_start(sw, &w);
	jw_obj(&w, "switch");
	jw_str(&w, "version", SW_VERSION);
	jw_i64(&w, "pid", getpid());
	jw_str(&w, "mode", sw->o.hub ? "hub" : "switch");
	jw_u64(&w, "uptime", (sw->now_ms - sw->start_ms) / 1000);
	jw_str(&w, "ctl", sw->o.ctl);
	jw_str(&w, "mgmt", sw->mgmt_path);
	jw_u64(&w, "ports", (uint64_t)sw->nports);
	jw_u64(&w, "max_ports", sw->o.max_ports - 1);
	jw_u64(&w, "queue", sw->o.qmax);
	jw_obj(&w, "fdb");
	jw_u64(&w, "count", sw->fdb.count);
	jw_u64(&w, "max", sw->fdb.max);
	jw_u64(&w, "aging", sw->fdb.aging);
	jw_u64(&w, "full", sw->fdb.full_events);
	jw_end(&w);
	jw_obj(&w, "totals");
	jw_u64(&w, "rx", rx);
	jw_u64(&w, "tx", tx);
	jw_u64(&w, "rx_bytes", rxb);
	jw_u64(&w, "tx_bytes", txb);
	jw_u64(&w, "drops", drops);
	jw_u64(&w, "unknown_v0", sw->drop_unknown);
	jw_end(&w);
	jw_u64(&w, "mgmt_clients", (uint64_t)n);
	jw_u64(&w, "events", (uint64_t)sw->nevents);
	jw_u64(&w, "captures", (uint64_t)sw->ncaptures);
	jw_u64(&w, "dump_ports", (uint64_t)sw->ndump);
	jw_end(&w);
	mgmt_reply_end(sw, ci, &w);
}

/* The ports from @start on (or the one @one), a page of them. */
static void cmd_ports(struct sw *sw, int ci, const struct mreq *r)
{
	uint32_t idx, start = r->start ? (uint32_t)r->start : 1, n = 0;
	int one = -1;
	struct jw w;

	if ((r->has & (1U << MF_PORT)) &&
	    (one = mgmt_port_of(sw, ci, &r->port)) < 0)
		return;
	for (idx = one > 0 ? (uint32_t)one : start;
	     idx < sw->o.max_ports && n < MGMT_PAGE_PORTS; idx++) {
		if (port_in_use(&sw->ports[idx]))
			mgmt_page[n++] = (int)idx;
		if (one > 0)
			break;
	}
	mgmt_page[n] = -1;
	mgmt_find_macs(sw);
	mgmt_reply_start(sw, &w);
	jw_arr(&w, "ports");
	for (n = 0; mgmt_page[n] >= 0 && w.len < MGMT_REPLY_SOFT; n++)
		mgmt_json_port(sw, &w, NULL, mgmt_page[n]);
	jw_end(&w);
	idx = mgmt_page[n] >= 0 ? (uint32_t)mgmt_page[n] : idx;
	if (one < 0 && idx < sw->o.max_ports)
		jw_u64(&w, "next", idx);
	else
		jw_null(&w, "next");
	mgmt_reply_end(sw, ci, &w);
	mgmt_page[0] = -1;
}

static void mgmt_json_entry(struct sw *sw, struct jw *w,
			    const struct fdb_entry *e)
{
	char m[MAC_STRLEN];
	uint8_t mac[6];

	fdb_key_mac(e->key, mac);
	jw_obj(w, NULL);
	jw_str(w, "mac", mac_format(mac, m));
	jw_u64(w, "vlan", fdb_key_vid(e->key));
	jw_u64(w, "port", (uint64_t)e->port);
	jw_str(w, "name", port_in_use(&sw->ports[e->port]) ?
	       sw->ports[e->port].name : "");
	jw_u64(w, "age", sw->now_s - e->seen);
	jw_end(w);
}

/* The table from slot @start on, a page of it (of one port's, with
 * "port"); "next" is the slot to go on from. */
static void cmd_fdb(struct sw *sw, int ci, const struct mreq *r)
{
	const struct fdb_entry *e;
	uint64_t i = r->start, n = 0;
	int port = -1;
	struct jw w;

	if ((r->has & (1U << MF_PORT)) &&
	    (port = mgmt_port_of(sw, ci, &r->port)) < 0)
		return;
	mgmt_reply_start(sw, &w);
	jw_u64(&w, "count", sw->fdb.count);
	jw_arr(&w, "fdb");
	for (; i <= sw->fdb.mask && n < MGMT_PAGE_FDB &&
	       w.len < MGMT_REPLY_SOFT; i++) {
		e = &sw->fdb.slot[i];
		if (!e->key || (port >= 0 && e->port != port) ||
		    (sw->fdb.aging && sw->now_s - e->seen > sw->fdb.aging))
			continue;
		mgmt_json_entry(sw, &w, e);
		n++;
	}
	jw_end(&w);
	if (i <= sw->fdb.mask)
		jw_u64(&w, "next", i);
	else
		jw_null(&w, "next");
	mgmt_reply_end(sw, ci, &w);
}

static void cmd_fdb_flush(struct sw *sw, int ci, const struct mreq *r)
{
	int port = -1;
	uint32_t n;
	struct jw w;

	if ((r->has & (1U << MF_PORT)) &&
	    (port = mgmt_port_of(sw, ci, &r->port)) < 0)
		return;
	n = port < 0 ? fdb_flush_all(&sw->fdb) : fdb_flush_port(&sw->fdb, port);
	if (port < 0)
		info("management: fdb flushed: %u entries", n);
	else
		info("management: fdb flushed of port %d: %u entries", port, n);
	mgmt_ev_fdb(sw, "fdb_flush", port, n);
	mgmt_reply_start(sw, &w);
	jw_u64(&w, "flushed", n);
	mgmt_reply_end(sw, ci, &w);
}

/* Is @path one of the sockets this switch serves?  (A port to itself
 * would be a loop, or wait for itself.) */
static int mgmt_own_socket(const struct sw *sw, const char *path)
{
	struct stat a, b;
	int i;

	if (!path || stat(path, &a))
		return 0;
	if (S_ISDIR(a.st_mode)) {	/* a daemon ctl= directory: DIR/ctl */
		char ctl[SW_PATH_MAX];

		if (proto_ctl_path(path, ctl, sizeof(ctl)) || stat(ctl, &a))
			return 0;
	}
	for (i = 0; i < sw->nlisten; i++)
		if (!stat(sw->listen[i].path, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return 1;
	return 0;
}

/* May @spec be opened now?  Return: NULL, or why not. */
static const char *mgmt_runtime_ok(const struct sw *sw, const char *spec,
				   char *why, size_t len)
{
	char e[TP_ERR_MAX];
	struct tp_spec s;
	int i;

	if (tp_spec_parse(spec, &s, e, sizeof(e))) {
		snprintf(why, len, "%s", e);
		return why;
	}
	for (i = 0; mgmt_runtime_tp[i] && strcmp(s.name, mgmt_runtime_tp[i]);
	     i++)
		;
	if (!mgmt_runtime_tp[i]) {
		snprintf(why, len, "a %s port cannot be added to a running "
			 "switch (%s); only tuntap, mcast, ucast, daemon, "
			 "bess and stream", s.name,
			 !strcmp(s.name, "slirp") ? "its helper would run "
			 "under the switch's seccomp filter: use --port slirp "
			 "at start" : !strcmp(s.name, "pcap") ? "it needs "
			 "CAP_NET_RAW, which the switch has given up" :
			 "its set-up needs more than the sandbox allows");
		return why;
	}
	if (tp_spec_get(&s, "fd")) {
		snprintf(why, len, "fd=%s: a descriptor number means one of "
			 "the switch's own at run time; not allowed",
			 tp_spec_get(&s, "fd"));
		return why;
	}
	if (!strcmp(s.name, "daemon") && !tp_spec_get(&s, "ctl") &&
	    proto_default_ctl(e, sizeof(e)) == 0 && mgmt_own_socket(sw, e))
		i = -1;
	if (i < 0 || mgmt_own_socket(sw, tp_spec_get(&s, "ctl")) ||
	    mgmt_own_socket(sw, tp_spec_get(&s, "path")) ||
	    mgmt_own_socket(sw, tp_spec_get(&s, "connect"))) {
		snprintf(why, len, "that is this switch's own socket: a port "
			 "to itself would be a loop");
		return why;
	}
	return NULL;
}

/* A tap, on a /dev/net/tun the janitor opened (the node may be root's
 * alone), attached here: without capabilities, only to a persistent tap
 * of the switch's user.  Return: the port's index, or -errno with @err. */
static int mgmt_tap_add(struct sw *sw, const char *dev, const char *name,
			char *err, size_t len)
{
	struct port_peer peer = { .key = "dev", .val = dev, .credfd = -1,
				  .name = name ? name : dev };
	char spec[32], desc[64];
	const char *why;
	struct ifreq ifr;
	struct tp *tp;
	int fd, ret;

	fd = janitor_tun(sw, &why);
	if (fd < 0) {
		snprintf(err, len, "tuntap: %s: %s", why, strerror(-fd));
		return fd;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		ret = -errno;
		snprintf(err, len, "tuntap: attach to '%s': %s (a running "
			 "switch attaches only to a persistent tap of its user, "
			 "uid %u: tunctl -u)", dev, strerror(-ret),
			 (unsigned int)geteuid());
		close(fd);
		return ret;
	}
	snprintf(spec, sizeof(spec), "tuntap:fd=%d", fd);
	ret = tp_open(&tp, spec, err, len);
	if (ret) {
		close(fd);
		return ret;
	}
	snprintf(desc, sizeof(desc), "tap %s", dev);
	ret = port_open(sw, tp, desc, &peer);
	if (ret < 0)
		snprintf(err, len, "cannot serve the tap as a port");
	return ret;
}

/* "tuntap:dev=D" (nothing more) on a switch with a janitor: the dev. */
static const char *mgmt_tap_dev(const struct sw *sw, const char *spec)
{
	static struct tp_spec s;
	char e[TP_ERR_MAX];

	if (!sw->janitor || tp_spec_parse(spec, &s, e, sizeof(e)) ||
	    strcmp(s.name, "tuntap") || !tp_spec_get(&s, "dev") ||
	    tp_spec_get(&s, "mac") || tp_spec_get(&s, "gate") ||
	    ifname_check(tp_spec_get(&s, "dev"), 0))
		return NULL;	/* tp_open says what is wrong, if anything */
	return tp_spec_get(&s, "dev");
}

static void cmd_port_add(struct sw *sw, int ci, const struct mreq *r)
{
	const char *name = r->name[0] ? r->name : NULL, *dev;
	char e[TP_ERR_MAX];
	struct jw w;
	int idx;

	if (mgmt_runtime_ok(sw, r->spec, e, sizeof(e))) {
		mgmt_fail(sw, ci, "bad_value", "port_add '%s': %s", r->spec, e);
		return;
	}
	if (r->name[0] && port_find(sw, 0, r->name) >= 0) {
		mgmt_fail(sw, ci, "exists", "a port is named '%s' already",
			  r->name);
		return;
	}
	dev = mgmt_tap_dev(sw, r->spec);
	if (dev)
		idx = mgmt_tap_add(sw, dev, name, e, sizeof(e));
	else
		idx = port_add_spec(sw, r->spec, name, e, sizeof(e));
	if (idx < 0) {
		warn("management: port_add '%s': %s", r->spec, e);
		mgmt_fail(sw, ci, "failed", "%s", e);
		return;
	}
	info("management: port %d (%s) added: %s", idx, sw->ports[idx].name,
	     r->spec);
	mgmt_reply_start(sw, &w);
	mgmt_json_port(sw, &w, "port", idx);
	mgmt_reply_end(sw, ci, &w);
}

static void cmd_port_del(struct sw *sw, int ci, const struct mreq *r)
{
	int idx = mgmt_port_of(sw, ci, &r->port);
	struct mgmt *m = sw->mgmt;
	struct jw w;

	if (idx < 0)
		return;
	info("management: removing port %d (%s)", idx, sw->ports[idx].name);
	port_close(sw, idx, "removed by management");
	/* its counters as they were at the end (mgmt_ev_port_down) */
	mgmt_reply_start(sw, &w);
	jw_u64(&w, "index", (uint64_t)idx);
	jw_str(&w, "name", m->gone_name);
	mgmt_json_counters(&w, "counters", &m->gone);
	mgmt_reply_end(sw, ci, &w);
}

static void cmd_port_set(struct sw *sw, int ci, const struct mreq *r)
{
	int idx = mgmt_port_of(sw, ci, &r->port), other;
	char e[160];
	struct link_cfg c;
	struct port *p;
	struct jw w;

	if (idx < 0)
		return;
	p = &sw->ports[idx];
	/* checked first, as a whole: a request refused changes nothing */
	if ((r->has & (1U << MF_LINK)) &&
	    link_parse(sw, idx, r->link, &c, e, sizeof(e))) {
		mgmt_fail(sw, ci, "bad_value", "field 'link': %s", e);
		return;
	}
	if (r->has & (1U << MF_NAME)) {
		other = port_find(sw, 0, r->name);
		if (other >= 0 && other != idx) {
			mgmt_fail(sw, ci, "exists", "port %d is named '%s' "
				  "already", other, r->name);
			return;
		}
		info("management: port %d (%s) renamed %s", idx, p->name,
		     r->name);
		snprintf(p->name, sizeof(p->name), "%s", r->name);
	}
	if (r->has & (1U << MF_CARRIER))
		port_carrier(sw, idx, r->carrier_up);
	if (r->has & (1U << MF_LINK)) {
		info("management: port %d (%s): %s", idx, p->name, r->link);
		link_apply(sw, idx, &c);
	}
	mgmt_reply_start(sw, &w);
	mgmt_json_port(sw, &w, "port", idx);
	mgmt_reply_end(sw, ci, &w);
}

static void cmd_mode(struct sw *sw, int ci, const struct mreq *r)
{
	int was = sw->o.hub;
	struct jw w;

	if (was != r->hub) {
		sw->o.hub = r->hub;
		/* a hub learns nothing: what the table knew is stale */
		if (!r->hub)
			fdb_flush_all(&sw->fdb);
		info("management: now a %s", r->hub ? "hub" : "switch");
		mgmt_ev_mode(sw);
	}
	mgmt_reply_start(sw, &w);
	jw_str(&w, "mode", r->hub ? "hub" : "switch");
	jw_str(&w, "was", was ? "hub" : "switch");
	mgmt_reply_end(sw, ci, &w);
}

/**
 * mgmt_cmd() - carry out request @r of client @ci and reply.
 */
void mgmt_cmd(struct sw *sw, int ci, const struct mreq *r)
{
	switch (r->cmd) {
	case MREQ_SHOW:
		cmd_show(sw, ci);
		break;
	case MREQ_PORTS:
		cmd_ports(sw, ci, r);
		break;
	case MREQ_FDB:
		cmd_fdb(sw, ci, r);
		break;
	case MREQ_FDB_FLUSH:
		cmd_fdb_flush(sw, ci, r);
		break;
	case MREQ_PORT_ADD:
		cmd_port_add(sw, ci, r);
		break;
	case MREQ_PORT_DEL:
		cmd_port_del(sw, ci, r);
		break;
	case MREQ_PORT_SET:
		cmd_port_set(sw, ci, r);
		break;
	case MREQ_MODE:
		cmd_mode(sw, ci, r);
		break;
	case MREQ_EVENTS:
		mgmt_events_start(sw, ci);
		break;
	case MREQ_CAPTURE:
		capture_start(sw, ci, r);
		break;
	case MREQ_STOP:
		mgmt_fail(sw, ci, "bad_value", "'stop' ends an events or "
			  "capture stream; there is none on this connection");
		break;
	}
}
