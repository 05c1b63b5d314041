// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostnl.c: uml_net's changes to the host, all through route netlink
 * (libnl-3), except ip_forward and proxy_ndp, written under /proc/sys
 * (allowed with CAP_NET_ADMIN in the namespace).  Each change appends an
 * "* ip ..."-style line describing it to the output and is logged.
 * Our devices carry the ifalias "uml_net:uid=N": only CAP_NET_ADMIN can set
 * one, so it proves the device was made by uml_net for user N.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uml_net.h"

/**
 * hn_open() - connect the route netlink socket.
 * @ctx:	run state; ctx->nl set
 *
 * Return: 0 or -errno.
 */
int hn_open(struct unet_ctx *ctx)
{
	ctx->nl = nl_socket_alloc();
	if (!ctx->nl)
		return -ENOMEM;
	if (nl_connect(ctx->nl, NETLINK_ROUTE) < 0) {
		nl_socket_free(ctx->nl);
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
		nl_socket_free(ctx->nl);
	ctx->nl = NULL;
}

static void mark_of(const struct unet_ctx *ctx, char *buf, size_t len)
{
	snprintf(buf, len, UNET_MARK_FMT, ctx->uid);
}

static int link_is_ours(const struct unet_ctx *ctx, struct rtnl_link *l)
{
	const char *alias = rtnl_link_get_ifalias(l);
	const char *type = rtnl_link_get_type(l);
	char mark[64];

	mark_of(ctx, mark, sizeof(mark));
	return alias && !strcmp(alias, mark) && type && !strcmp(type, "tun");
}

/**
 * hn_count_ours() - how many devices uml_net made for this user exist.
 * @ctx:	run state
 *
 * Return: the count, or -errno.
 */
int hn_count_ours(struct unet_ctx *ctx)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int n = 0;

	if (rtnl_link_alloc_cache(ctx->nl, AF_UNSPEC, &cache) < 0)
		return -EIO;
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o))
		n += link_is_ours(ctx, (struct rtnl_link *)o);
	nl_cache_free(cache);
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

	if (rtnl_link_get_kernel(ctx->nl, 0, dev, &l) < 0 || !l) {
		snprintf(why, len, "'%s': no such device", dev);
		return 0;
	}
	type = rtnl_link_get_type(l);
	*ifindex = rtnl_link_get_ifindex(l);
	if (rtnl_link_get_flags(l) & IFF_LOOPBACK)
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
	rtnl_link_put(l);
	return ours;
}

static struct nl_addr *to_nl(const struct unet_addr *a, int plen)
{
	struct nl_addr *n;

	n = nl_addr_build(a->family, a->a, a->family == AF_INET ? 4 : 16);
	if (n)
		nl_addr_set_prefixlen(n, plen);
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
	orig = rtnl_link_alloc();
	chg = rtnl_link_alloc();
	ad = rtnl_addr_alloc();
	local = to_nl(gate, full_plen(gate));
	if (!orig || !chg || !ad || !local) {
		ret = -ENOMEM;
		goto out;
	}
	rtnl_link_set_ifindex(orig, ifindex);
	rtnl_link_set_ifalias(chg, mark);
	if (mtu)
		rtnl_link_set_mtu(chg, (unsigned int)mtu);
	out_printf("* ip link set %s alias %s%s\n", dev, mark,
		   mtu ? " mtu 1500" : "");
	ret = rtnl_link_change(ctx->nl, orig, chg, 0);
	if (ret < 0) {
		out_printf("setting %s: %s\n", dev, nl_geterror(ret));
		goto out;
	}
	rtnl_addr_set_ifindex(ad, ifindex);
	rtnl_addr_set_local(ad, local);
	if (gate->family == AF_INET6)
		rtnl_addr_set_flags(ad, IFA_F_NODAD);
	out_printf("* ip addr add %s/%d dev %s\n", g, full_plen(gate), dev);
	ret = rtnl_addr_add(ctx->nl, ad, 0);
	if (ret < 0) {
		out_printf("adding %s to %s: %s\n", g, dev, nl_geterror(ret));
		goto out;
	}
	rtnl_link_put(chg);
	chg = rtnl_link_alloc();
	if (!chg) {
		ret = -ENOMEM;
		goto out;
	}
	rtnl_link_set_flags(chg, IFF_UP);
	out_printf("* ip link set %s up\n", dev);
	ret = rtnl_link_change(ctx->nl, orig, chg, 0);
	if (ret < 0)
		out_printf("bringing %s up: %s\n", dev, nl_geterror(ret));
	else
		audit(ctx, "configured %s: gateway %s, up", dev, g);
out:
	if (local)
		nl_addr_put(local);
	if (ad)
		rtnl_addr_put(ad);
	if (chg)
		rtnl_link_put(chg);
	if (orig)
		rtnl_link_put(orig);
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
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int ret = -ENOMEM;

	if (orig && chg) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_inet_set_conf(chg, IPV4_DEVCONF_PROXY_ARP, on);
		out_printf("* sysctl -w net.ipv4.conf.%s.proxy_arp=%d\n", dev,
			   on);
		ret = rtnl_link_change(ctx->nl, orig, chg, 0);
		if (ret < 0)
			out_printf("proxy_arp on %s: %s\n", dev,
				   nl_geterror(ret));
	}
	if (chg)
		rtnl_link_put(chg);
	if (orig)
		rtnl_link_put(orig);
	return ret < 0 ? -EIO : 0;
}

static int route_op(struct unet_ctx *ctx, const char *dev, int ifindex,
		    const struct unet_addr *addr, int add)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = to_nl(addr, full_plen(addr));
	char a[INET6_ADDRSTRLEN];
	int ret = -ENOMEM;

	addr_str(addr, a, sizeof(a));
	if (!r || !nh || !dst)
		goto out;
	rtnl_route_set_family(r, (uint8_t)addr->family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_scope(r, addr->family == AF_INET ? RT_SCOPE_LINK :
			     RT_SCOPE_UNIVERSE);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(r, nh);
	nh = NULL;
	out_printf("* ip route %s %s/%d dev %s\n", add ? "add" : "del", a,
		   full_plen(addr), dev);
	ret = add ? rtnl_route_add(ctx->nl, r, NLM_F_CREATE | NLM_F_EXCL)
		  : rtnl_route_delete(ctx->nl, r, 0);
	if (ret < 0)
		out_printf("route %s %s: %s\n", add ? "add" : "del", a,
			   nl_geterror(ret));
out:
	if (nh)
		rtnl_route_nh_free(nh);
	if (dst)
		nl_addr_put(dst);
	if (r)
		rtnl_route_put(r);
	return ret < 0 ? -EIO : 0;
}

/* One proxy neighbour entry for @addr on interface @idx (@name). */
static void proxy_one(struct unet_ctx *ctx, int idx, const char *name,
		      const struct unet_addr *addr, int add)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *dst = to_nl(addr, full_plen(addr));
	char a[INET6_ADDRSTRLEN], path[128];
	int ret;

	addr_str(addr, a, sizeof(a));
	if (!n || !dst)
		goto out;
	rtnl_neigh_set_ifindex(n, idx);
	rtnl_neigh_set_dst(n, dst);
	rtnl_neigh_set_flags(n, NTF_PROXY);
	out_printf("* ip neigh %s proxy %s dev %s\n", add ? "add" : "del", a,
		   name);
	ret = add ? rtnl_neigh_add(ctx->nl, n, NLM_F_CREATE | NLM_F_REPLACE)
		  : rtnl_neigh_delete(ctx->nl, n, 0);
	if (ret < 0) {
		out_printf("proxy neighbour %s on %s: %s\n", a, name,
			   nl_geterror(ret));
		goto out;
	}
	audit(ctx, "%s proxy neighbour %s on %s",
	      add ? "published" : "withdrew", a, name);
	if (add && addr->family == AF_INET6) {
		/* IPv6 answers proxy entries only with proxy_ndp on */
		snprintf(path, sizeof(path),
			 "/proc/sys/net/ipv6/conf/%s/proxy_ndp", name);
		out_printf("* sysctl -w net.ipv6.conf.%s.proxy_ndp=1\n", name);
		sysctl_write(path, "1");
	}
out:
	if (dst)
		nl_addr_put(dst);
	if (n)
		rtnl_neigh_put(n);
}

/* Is @ra an on-link prefix (not /32, /128 or /0) of another, non-loopback
 * interface than @skip that contains @addr?  Sets @name. */
static int proxy_iface(struct nl_cache *links, struct rtnl_addr *ra, int skip,
		       const struct unet_addr *addr, char *name)
{
	struct nl_addr *loc = rtnl_addr_get_local(ra);
	int idx = rtnl_addr_get_ifindex(ra), plen, lo;
	struct unet_addr net;
	struct rtnl_link *l;

	if (!loc || idx == skip || nl_addr_get_family(loc) != addr->family)
		return 0;
	plen = (int)nl_addr_get_prefixlen(loc);
	memset(&net, 0, sizeof(net));
	net.family = addr->family;
	memcpy(net.a, nl_addr_get_binary_addr(loc),
	       addr->family == AF_INET ? 4 : 16);
	if (plen >= full_plen(addr) || plen == 0 ||
	    !addr_in_prefix(addr, &net, plen))
		return 0;
	l = rtnl_link_get(links, idx);
	if (!l)
		return 0;
	snprintf(name, IFNAMSIZ, "%s", rtnl_link_get_name(l));
	lo = rtnl_link_get_flags(l) & IFF_LOOPBACK;
	rtnl_link_put(l);
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

	if (rtnl_addr_alloc_cache(ctx->nl, &addrs) < 0)
		return;
	if (rtnl_link_alloc_cache(ctx->nl, AF_UNSPEC, &links) < 0) {
		nl_cache_free(addrs);
		return;
	}
	for (o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;

		if (proxy_iface(links, ra, ifindex, addr, name))
			proxy_one(ctx, rtnl_addr_get_ifindex(ra), name, addr,
				  add);
	}
	nl_cache_free(links);
	nl_cache_free(addrs);
}

/* Host routes (/32) still pointing at @ifindex. */
static int host_routes_left(struct unet_ctx *ctx, int ifindex)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int n = 0;

	if (rtnl_route_alloc_cache(ctx->nl, AF_INET, 0, &cache) < 0)
		return 1;
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(r);
		struct rtnl_nexthop *nh;

		if (rtnl_route_get_table(r) != RT_TABLE_MAIN || !dst ||
		    nl_addr_get_prefixlen(dst) != 32 ||
		    rtnl_route_get_nnexthops(r) < 1)
			continue;
		nh = rtnl_route_nexthop_n(r, 0);
		n += rtnl_route_nh_get_ifindex(nh) == ifindex;
	}
	nl_cache_free(cache);
	return n;
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
 * hn_guest_del() - undo hn_guest_add().
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

	addr_str(addr, a, sizeof(a));
	proxy_neigh(ctx, ifindex, addr, 0);
	ret = route_op(ctx, dev, ifindex, addr, 0);
	if (ret == 0)
		audit(ctx, "deleted route %s dev %s", a, dev);
	/* Unlike the original, keep proxy ARP while other guest routes use it. */
	if (addr->family == AF_INET && !host_routes_left(ctx, ifindex) &&
	    set_proxy_arp(ctx, dev, ifindex, 0) == 0)
		audit(ctx, "proxy_arp off for %s", dev);
	return ret;
}

/* Before a device goes: withdraw the proxy entries of the guest routes
 * still pointing at it (UML normally runs "del" for each first). */
static void withdraw_all(struct unet_ctx *ctx, int ifindex)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	struct unet_addr addrs[32];
	int f, i, n = 0;

	for (f = 0; f < 2; f++) {
		struct nl_cache *cache;
		struct nl_object *o;

		if (rtnl_route_alloc_cache(ctx->nl, fams[f], 0, &cache) < 0)
			continue;
		for (o = nl_cache_get_first(cache); o && n < 32;
		     o = nl_cache_get_next(o)) {
			struct rtnl_route *r = (struct rtnl_route *)o;
			struct nl_addr *dst = rtnl_route_get_dst(r);
			int full = fams[f] == AF_INET ? 32 : 128;

			if (rtnl_route_get_table(r) != RT_TABLE_MAIN || !dst ||
			    (int)nl_addr_get_prefixlen(dst) != full ||
			    rtnl_route_get_nnexthops(r) < 1 ||
			    rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0))
			    != ifindex)
				continue;
			memset(&addrs[n], 0, sizeof(addrs[n]));
			addrs[n].family = fams[f];
			memcpy(addrs[n].a, nl_addr_get_binary_addr(dst), full / 8);
			n++;
		}
		nl_cache_free(cache);
	}
	for (i = 0; i < n; i++)
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
	struct rtnl_link *l = rtnl_link_alloc();
	int ret;

	if (!l)
		return -ENOMEM;
	withdraw_all(ctx, ifindex);
	rtnl_link_set_ifindex(l, ifindex);
	rtnl_link_set_name(l, dev);
	out_printf("* ip link del %s\n", dev);
	ret = rtnl_link_delete(ctx->nl, l);
	rtnl_link_put(l);
	if (ret < 0) {
		out_printf("deleting %s: %s\n", dev, nl_geterror(ret));
		return -EIO;
	}
	audit(ctx, "deleted %s", dev);
	return 0;
}
