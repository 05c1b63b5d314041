// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostnl.c: uml_net's changes to the host, all through route netlink
 * (libnl-3, loaded after the privilege drop: see nllib.h), except
 * ip_forward and proxy_ndp, written under /proc/sys (allowed with
 * CAP_NET_ADMIN in the namespace).  Each change appends an "* ip ..."-style
 * line describing it to the output and is logged.
 * Our devices carry the ifalias "uml_net:uid=N": only CAP_NET_ADMIN can set
 * one, so it proves the device was made by uml_net for user N.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nllib.h"
#include "uml_net.h"

/**
 * hn_open() - load libnl and connect the route netlink socket.
 * @ctx:	run state; ctx->nl set
 * @err:	on failure, what went wrong
 * @len:	size of @err
 *
 * Return: 0 or -errno.
 */
int hn_open(struct unet_ctx *ctx, char *err, size_t len)
{
	snprintf(err, len, "cannot open a route netlink socket");
	if (nl_lib_load(err, len) < 0)
		return -ENOSYS;
	ctx->nl = NL(nl_socket_alloc)();
	if (!ctx->nl)
		return -ENOMEM;
	if (NL(nl_connect)(ctx->nl, NETLINK_ROUTE) < 0) {
		NL(nl_socket_free)(ctx->nl);
		ctx->nl = NULL;
		return -EIO;
	}
	return 0;
}

/**
 * hn_close() - close the netlink socket.
 * @ctx:	run state
 */
void hn_close(struct unet_ctx *ctx)
{
	if (ctx->nl)
		NL(nl_socket_free)(ctx->nl);
	ctx->nl = NULL;
}

static void mark_of(const struct unet_ctx *ctx, char *buf, size_t len)
{
	snprintf(buf, len, UNET_MARK_FMT, ctx->uid);
}

static int link_is_ours(const struct unet_ctx *ctx, struct rtnl_link *l)
{
	const char *alias = NL(rtnl_link_get_ifalias)(l);
	const char *type = NL(rtnl_link_get_type)(l);
	char mark[64];

	mark_of(ctx, mark, sizeof(mark));
	return alias && !strcmp(alias, mark) && type && !strcmp(type, "tun");
}

struct hn_scan {
	char mark[64];
	int ours;			/* devices marked for the caller */
	int norphans;			/* of which persistent, unattached: */
	int orphan[UNET_MAX_RECLAIM];
	char orphan_name[UNET_MAX_RECLAIM][IFNAMSIZ];
};

static int hn_scan_link(const struct nd_link *l, void *arg)
{
	struct hn_scan *sc = arg;

	if (strcmp(l->kind, "tun") || strcmp(l->alias, sc->mark))
		return 0;
	sc->ours++;
	/* made persistent (TUNSETPERSIST on the fd we passed) and attached
	 * to nothing: it would hold a quota slot for ever */
	if (l->persist == 1 && l->queues == 0 &&
	    sc->norphans < UNET_MAX_RECLAIM) {
		sc->orphan[sc->norphans] = l->ifindex;
		snprintf(sc->orphan_name[sc->norphans], IFNAMSIZ, "%s",
			 l->name);
		sc->norphans++;
	}
	return 0;
}

static int hn_scan(struct unet_ctx *ctx, struct hn_scan *sc)
{
	memset(sc, 0, sizeof(*sc));
	mark_of(ctx, sc->mark, sizeof(sc->mark));
	return nd_links(ctx, hn_scan_link, sc);
}

/**
 * hn_count_ours() - how many devices uml_net made for this user exist.
 * @ctx:	run state
 *
 * Return: the count, or -errno.
 */
int hn_count_ours(struct unet_ctx *ctx)
{
	struct hn_scan sc;
	int ret = hn_scan(ctx, &sc);

	return ret < 0 ? ret : sc.ours;
}

/**
 * hn_reclaim() - delete the caller's devices that were made persistent
 * and that nothing holds any more.
 * @ctx:	run state
 *
 * uml_net's devices are not persistent: they go when the guest closes the
 * fd.  A guest can still set TUNSETPERSIST on that fd; such a device,
 * once detached, is deleted here, on the user's next request.
 *
 * Return: how many were deleted, or -errno.
 */
int hn_reclaim(struct unet_ctx *ctx)
{
	struct hn_scan sc;
	int i, ret, n = 0;

	ret = hn_scan(ctx, &sc);
	if (ret < 0)
		return ret;
	for (i = 0; i < sc.norphans; i++) {
		audit(ctx, "reclaiming %s: made persistent, no longer in use",
		      sc.orphan_name[i]);
		out_printf("* reclaiming %s (made persistent, not in use)\n",
			   sc.orphan_name[i]);
		if (hn_link_del(ctx, sc.orphan_name[i], sc.orphan[i]) == 0)
			n++;
	}
	return n;
}

/**
 * hn_is_ours() - is @dev a device uml_net made for this user?
 * @ctx:	run state
 * @dev:	device name (validated)
 * @ifindex:	set to its index
 * @why:	when not, the reason
 * @len:	size of @why
 *
 * Return: 1 if it is ours, 0 if not.
 */
int hn_is_ours(struct unet_ctx *ctx, const char *dev, int *ifindex,
	       char *why, size_t len)
{
	struct rtnl_link *l = NULL;
	const char *type;
	int ours = 0;

	if (NL(rtnl_link_get_kernel)(ctx->nl, 0, dev, &l) < 0 || !l) {
		snprintf(why, len, "'%s': no such device", dev);
		return 0;
	}
	type = NL(rtnl_link_get_type)(l);
	*ifindex = NL(rtnl_link_get_ifindex)(l);
	if (NL(rtnl_link_get_flags)(l) & IFF_LOOPBACK)
		snprintf(why, len, "'%s' is the loopback device", dev);
	else if (type && !strcmp(type, "bridge"))
		snprintf(why, len, "'%s' is a bridge", dev);
	else if (!type || strcmp(type, "tun"))
		snprintf(why, len, "'%s' is a host interface, not a "
			 "device uml_net created", dev);
	else if (!link_is_ours(ctx, l))
		snprintf(why, len, "'%s' was not created by uml_net for "
			 "this user", dev);
	else
		ours = 1;
	NL(rtnl_link_put)(l);
	return ours;
}

static struct nl_addr *to_nl(const struct unet_addr *a, int plen)
{
	struct nl_addr *n;

	n = NL(nl_addr_build)(a->family, a->a, a->family == AF_INET ? 4 : 16);
	if (n)
		NL(nl_addr_set_prefixlen)(n, plen);
	return n;
}

static int full_plen(const struct unet_addr *a)
{
	return a->family == AF_INET ? 32 : 128;
}

/**
 * hn_setup_dev() - mark our new device, give it the gateway address,
 * bring it up.
 * @ctx:	run state
 * @dev:	its name
 * @ifindex:	its index
 * @gate:	gateway address (configured as a host address, /32 or /128)
 * @mtu:	MTU to set, or 0 to leave it
 *
 * Return: 0, or -errno after describing the failure in the output.
 */
int hn_setup_dev(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *gate, int mtu)
{
	struct rtnl_link *orig, *chg;
	struct rtnl_addr *ad;
	struct nl_addr *local;
	char mark[64], g[INET6_ADDRSTRLEN];
	int ret;

	mark_of(ctx, mark, sizeof(mark));
	addr_str(gate, g, sizeof(g));
	orig = NL(rtnl_link_alloc)();
	chg = NL(rtnl_link_alloc)();
	ad = NL(rtnl_addr_alloc)();
	local = to_nl(gate, full_plen(gate));
	if (!orig || !chg || !ad || !local) {
		ret = -ENOMEM;
		goto out;
	}
	NL(rtnl_link_set_ifindex)(orig, ifindex);
	NL(rtnl_link_set_ifalias)(chg, mark);
	if (mtu)
		NL(rtnl_link_set_mtu)(chg, (unsigned int)mtu);
	out_printf("* ip link set %s alias %s%s\n", dev, mark,
		   mtu ? " mtu 1500" : "");
	ret = NL(rtnl_link_change)(ctx->nl, orig, chg, 0);
	if (ret < 0) {
		out_printf("setting %s: %s\n", dev, NL(nl_geterror)(ret));
		goto out;
	}
	NL(rtnl_addr_set_ifindex)(ad, ifindex);
	NL(rtnl_addr_set_local)(ad, local);
	if (gate->family == AF_INET6)
		NL(rtnl_addr_set_flags)(ad, IFA_F_NODAD);
	out_printf("* ip addr add %s/%d dev %s\n", g, full_plen(gate), dev);
	ret = NL(rtnl_addr_add)(ctx->nl, ad, 0);
	if (ret < 0) {
		out_printf("adding %s to %s: %s\n", g, dev, NL(nl_geterror)(ret));
		goto out;
	}
	NL(rtnl_link_put)(chg);
	chg = NL(rtnl_link_alloc)();
	if (!chg) {
		ret = -ENOMEM;
		goto out;
	}
	NL(rtnl_link_set_flags)(chg, IFF_UP);
	out_printf("* ip link set %s up\n", dev);
	ret = NL(rtnl_link_change)(ctx->nl, orig, chg, 0);
	if (ret < 0)
		out_printf("bringing %s up: %s\n", dev, NL(nl_geterror)(ret));
	else
		audit(ctx, "configured %s: gateway %s, up", dev, g);
out:
	if (local)
		NL(nl_addr_put)(local);
	if (ad)
		NL(rtnl_addr_put)(ad);
	if (chg)
		NL(rtnl_link_put)(chg);
	if (orig)
		NL(rtnl_link_put)(orig);
	return ret < 0 ? -EIO : 0;
}

static int sysctl_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/**
 * hn_ip_forward() - turn on IPv4 forwarding as the original did.
 * @family:	AF_INET (IPv6 forwarding is left to the administrator)
 *
 * Return: 0 or -errno.
 */
int hn_ip_forward(int family)
{
	int ret;

	if (family != AF_INET)
		return 0;
	out_printf("* sysctl -w net.ipv4.ip_forward=1\n");
	ret = sysctl_write("/proc/sys/net/ipv4/ip_forward", "1");
	if (ret < 0)
		out_printf("net.ipv4.ip_forward: %s\n", strerror(-ret));
	return ret;
}

static int set_proxy_arp(struct unet_ctx *ctx, const char *dev, int ifindex,
			 int on)
{
	struct rtnl_link *orig = NL(rtnl_link_alloc)(), *chg = NL(rtnl_link_alloc)();
	int ret = -ENOMEM;

	if (orig && chg) {
		NL(rtnl_link_set_ifindex)(orig, ifindex);
		NL(rtnl_link_inet_set_conf)(chg, IPV4_DEVCONF_PROXY_ARP, on);
		out_printf("* sysctl -w net.ipv4.conf.%s.proxy_arp=%d\n", dev,
			   on);
		ret = NL(rtnl_link_change)(ctx->nl, orig, chg, 0);
		if (ret < 0)
			out_printf("proxy_arp on %s: %s\n", dev,
				   NL(nl_geterror)(ret));
	}
	if (chg)
		NL(rtnl_link_put)(chg);
	if (orig)
		NL(rtnl_link_put)(orig);
	return ret < 0 ? -EIO : 0;
}

static int route_op(struct unet_ctx *ctx, const char *dev, int ifindex,
		    const struct unet_addr *addr, int add)
{
	struct rtnl_route *r = NL(rtnl_route_alloc)();
	struct rtnl_nexthop *nh = NL(rtnl_route_nh_alloc)();
	struct nl_addr *dst = to_nl(addr, full_plen(addr));
	char a[INET6_ADDRSTRLEN];
	int ret = -ENOMEM;

	addr_str(addr, a, sizeof(a));
	if (!r || !nh || !dst)
		goto out;
	NL(rtnl_route_set_family)(r, (uint8_t)addr->family);
	NL(rtnl_route_set_table)(r, RT_TABLE_MAIN);
	NL(rtnl_route_set_dst)(r, dst);
	NL(rtnl_route_set_protocol)(r, RTPROT_STATIC);
	NL(rtnl_route_set_scope)(r, addr->family == AF_INET ? RT_SCOPE_LINK :
			     RT_SCOPE_UNIVERSE);
	NL(rtnl_route_nh_set_ifindex)(nh, ifindex);
	NL(rtnl_route_add_nexthop)(r, nh);
	nh = NULL;
	out_printf("* ip route %s %s/%d dev %s\n", add ? "add" : "del", a,
		   full_plen(addr), dev);
	ret = add ? NL(rtnl_route_add)(ctx->nl, r, NLM_F_CREATE | NLM_F_EXCL)
		  : NL(rtnl_route_delete)(ctx->nl, r, 0);
	if (ret < 0)
		out_printf("route %s %s: %s\n", add ? "add" : "del", a,
			   NL(nl_geterror)(ret));
out:
	if (nh)
		NL(rtnl_route_nh_free)(nh);
	if (dst)
		NL(nl_addr_put)(dst);
	if (r)
		NL(rtnl_route_put)(r);
	return ret < 0 ? -EIO : 0;
}

/* IPv6 answers proxy entries only with proxy_ndp on: on with the first,
 * off again once none is left on the interface (proxy_ndp does nothing
 * without entries, so this restores what it was). */
static void proxy_ndp(struct unet_ctx *ctx, int idx, const char *name, int on)
{
	char path[128];

	if (!on && nd_proxy_count(ctx, AF_INET6, idx) != 0)
		return;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/proxy_ndp",
		 name);
	out_printf("* sysctl -w net.ipv6.conf.%s.proxy_ndp=%d\n", name, on);
	if (sysctl_write(path, on ? "1" : "0") == 0 && !on)
		audit(ctx, "proxy_ndp off for %s", name);
}

/* One proxy neighbour entry for @addr on interface @idx (@name). */
static void proxy_one(struct unet_ctx *ctx, int idx, const char *name,
		      const struct unet_addr *addr, int add)
{
	struct rtnl_neigh *n = NL(rtnl_neigh_alloc)();
	struct nl_addr *dst = to_nl(addr, full_plen(addr));
	char a[INET6_ADDRSTRLEN];
	int ret;

	addr_str(addr, a, sizeof(a));
	if (!n || !dst)
		goto out;
	NL(rtnl_neigh_set_ifindex)(n, idx);
	NL(rtnl_neigh_set_dst)(n, dst);
	NL(rtnl_neigh_set_flags)(n, NTF_PROXY);
	out_printf("* ip neigh %s proxy %s dev %s\n", add ? "add" : "del", a,
		   name);
	ret = add ? NL(rtnl_neigh_add)(ctx->nl, n, NLM_F_CREATE | NLM_F_REPLACE)
		  : NL(rtnl_neigh_delete)(ctx->nl, n, 0);
	if (ret < 0) {
		out_printf("proxy neighbour %s on %s: %s\n", a, name,
			   NL(nl_geterror)(ret));
		goto out;
	}
	audit(ctx, "%s proxy neighbour %s on %s",
	      add ? "published" : "withdrew", a, name);
	if (addr->family == AF_INET6)
		proxy_ndp(ctx, idx, name, add);
out:
	if (dst)
		NL(nl_addr_put)(dst);
	if (n)
		NL(rtnl_neigh_put)(n);
}

/* Is @ra an on-link prefix (not /32, /128 or /0) of another, non-loopback
 * interface than @skip that contains @addr?  Sets @name. */
static int proxy_iface(struct nl_cache *links, struct rtnl_addr *ra, int skip,
		       const struct unet_addr *addr, char *name)
{
	struct nl_addr *loc = NL(rtnl_addr_get_local)(ra);
	int idx = NL(rtnl_addr_get_ifindex)(ra), plen, lo;
	struct unet_addr net;
	struct rtnl_link *l;

	if (!loc || idx == skip || NL(nl_addr_get_family)(loc) != addr->family)
		return 0;
	plen = (int)NL(nl_addr_get_prefixlen)(loc);
	memset(&net, 0, sizeof(net));
	net.family = addr->family;
	memcpy(net.a, NL(nl_addr_get_binary_addr)(loc),
	       addr->family == AF_INET ? 4 : 16);
	if (plen >= full_plen(addr) || plen == 0 ||
	    !addr_in_prefix(addr, &net, plen))
		return 0;
	l = NL(rtnl_link_get)(links, idx);
	if (!l)
		return 0;
	snprintf(name, IFNAMSIZ, "%s", NL(rtnl_link_get_name)(l));
	lo = NL(rtnl_link_get_flags)(l) & IFF_LOOPBACK;
	NL(rtnl_link_put)(l);
	return !lo;
}

/* Publish (or withdraw) @addr as a proxy neighbour on every other
 * interface with an on-link prefix that contains it (the original's
 * "arp -Ds ADDR IFACE pub"; proxy NDP for IPv6). */
static void proxy_neigh(struct unet_ctx *ctx, int ifindex,
			const struct unet_addr *addr, int add)
{
	struct nl_cache *addrs, *links;
	struct nl_object *o;
	char name[IFNAMSIZ];

	if (NL(rtnl_addr_alloc_cache)(ctx->nl, &addrs) < 0)
		return;
	if (NL(rtnl_link_alloc_cache)(ctx->nl, AF_UNSPEC, &links) < 0) {
		NL(nl_cache_free)(addrs);
		return;
	}
	for (o = NL(nl_cache_get_first)(addrs); o; o = NL(nl_cache_get_next)(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;

		if (proxy_iface(links, ra, ifindex, addr, name))
			proxy_one(ctx, NL(rtnl_addr_get_ifindex)(ra), name, addr,
				  add);
	}
	NL(nl_cache_free)(links);
	NL(nl_cache_free)(addrs);
}

/* The host routes (/32 or /128, main table) of @family through @ifindex,
 * or only the one to @only: how many, their destinations in @out (up to
 * @max).  Return: the count, or -errno. */
static int host_routes(struct unet_ctx *ctx, int family, int ifindex,
		       const struct unet_addr *only, struct unet_addr *out,
		       int max)
{
	int full = family == AF_INET ? 32 : 128, n = 0;
	struct nl_cache *cache;
	struct nl_object *o;

	if (NL(rtnl_route_alloc_cache)(ctx->nl, family, 0, &cache) < 0)
		return -EIO;
	for (o = NL(nl_cache_get_first)(cache); o;
	     o = NL(nl_cache_get_next)(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = NL(rtnl_route_get_dst)(r);
		struct unet_addr d;

		if (NL(rtnl_route_get_table)(r) != RT_TABLE_MAIN || !dst ||
		    (int)NL(nl_addr_get_prefixlen)(dst) != full ||
		    NL(nl_addr_get_family)(dst) != family ||
		    NL(rtnl_route_get_nnexthops)(r) != 1 ||
		    NL(rtnl_route_nh_get_ifindex)(
			NL(rtnl_route_nexthop_n)(r, 0)) != ifindex)
			continue;
		memset(&d, 0, sizeof(d));
		d.family = family;
		memcpy(d.a, NL(nl_addr_get_binary_addr)(dst), (size_t)full / 8);
		if (only && memcmp(d.a, only->a, (size_t)full / 8))
			continue;
		if (out && n < max)
			out[n] = d;
		n++;
	}
	NL(nl_cache_free)(cache);
	return n;
}

/**
 * hn_guest_routed() - is @addr routed to our device (by an earlier add)?
 * @ctx:	run state
 * @ifindex:	the device
 * @addr:	the guest address
 *
 * Return: 1 if so, 0 if not, -errno if the routes cannot be read.
 */
int hn_guest_routed(struct unet_ctx *ctx, int ifindex,
		    const struct unet_addr *addr)
{
	int n = host_routes(ctx, addr->family, ifindex, addr, NULL, 0);

	return n < 0 ? n : n > 0;
}

/**
 * hn_guest_add() - route a guest address to our device and proxy for it.
 * @ctx:	run state
 * @dev:	our device
 * @ifindex:	its index
 * @addr:	the guest's address
 *
 * Return: 0 or -errno (the route could not be added).
 */
int hn_guest_add(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr)
{
	char a[INET6_ADDRSTRLEN];
	int ret;

	addr_str(addr, a, sizeof(a));
	ret = route_op(ctx, dev, ifindex, addr, 1);
	if (ret < 0)
		return ret;
	audit(ctx, "added route %s dev %s", a, dev);
	if (addr->family == AF_INET && set_proxy_arp(ctx, dev, ifindex, 1) == 0)
		audit(ctx, "proxy_arp on for %s", dev);
	proxy_neigh(ctx, ifindex, addr, 1);
	return 0;
}

/**
 * hn_guest_del() - undo hn_guest_add() (of an address hn_guest_routed()
 * found on the device).
 * @ctx:	run state
 * @dev:	our device
 * @ifindex:	its index
 * @addr:	the guest's address
 *
 * Return: 0 or -errno (the route could not be deleted).
 */
int hn_guest_del(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr)
{
	char a[INET6_ADDRSTRLEN];
	int ret;

	/* the caller checked hn_guest_routed(): the route is ours, so are
	 * the proxy entries published for it; the route goes first, so a
	 * failure leaves everything else as it was */
	addr_str(addr, a, sizeof(a));
	ret = route_op(ctx, dev, ifindex, addr, 0);
	if (ret < 0)
		return ret;
	audit(ctx, "deleted route %s dev %s", a, dev);
	proxy_neigh(ctx, ifindex, addr, 0);
	/* Unlike the original, keep proxy ARP while other guest routes use it. */
	if (addr->family == AF_INET &&
	    host_routes(ctx, AF_INET, ifindex, NULL, NULL, 0) == 0 &&
	    set_proxy_arp(ctx, dev, ifindex, 0) == 0)
		audit(ctx, "proxy_arp off for %s", dev);
	return 0;
}

/* Before a device goes: withdraw the proxy entries of the guest routes
 * still pointing at it (UML normally runs "del" for each first). */
static void withdraw_all(struct unet_ctx *ctx, int ifindex)
{
	struct unet_addr addrs[UNET_MAX_RECLAIM];
	int n, i;

	n = host_routes(ctx, AF_INET, ifindex, NULL, addrs, UNET_MAX_RECLAIM);
	for (i = 0; i < n && i < UNET_MAX_RECLAIM; i++)
		proxy_neigh(ctx, ifindex, &addrs[i], 0);
	n = host_routes(ctx, AF_INET6, ifindex, NULL, addrs, UNET_MAX_RECLAIM);
	for (i = 0; i < n && i < UNET_MAX_RECLAIM; i++)
		proxy_neigh(ctx, ifindex, &addrs[i], 0);
}

/**
 * hn_link_del() - delete one of our devices (and withdraw the proxy
 * neighbours published for its guests).
 * @ctx:	run state
 * @dev:	its name
 * @ifindex:	its index
 *
 * Return: 0 or -errno.
 */
int hn_link_del(struct unet_ctx *ctx, const char *dev, int ifindex)
{
	struct rtnl_link *l = NL(rtnl_link_alloc)();
	int ret;

	if (!l)
		return -ENOMEM;
	withdraw_all(ctx, ifindex);
	NL(rtnl_link_set_ifindex)(l, ifindex);
	NL(rtnl_link_set_name)(l, dev);
	out_printf("* ip link del %s\n", dev);
	ret = NL(rtnl_link_delete)(ctx->nl, l);
	NL(rtnl_link_put)(l);
	if (ret < 0) {
		out_printf("deleting %s: %s\n", dev, NL(nl_geterror)(ret));
		return -EIO;
	}
	audit(ctx, "deleted %s", dev);
	return 0;
}
