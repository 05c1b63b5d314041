/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nllib.h: the libnl-3 functions uml_net calls, reached through a table
 * that nllib.c fills with dlopen()/dlsym() after the privilege drop.
 *
 * Why not link libnl?  A setuid program's linked libraries run their ELF
 * constructors before main(), while it is root and still has the caller's
 * environment: libnl's read NLDBG, NLCB and NLSYSCONFDIR (its classid
 * constructor opens $NLSYSCONFDIR/classid), so a caller could make root
 * open a FIFO or another user's tty, or probe root-only paths.  uml_net is
 * linked against libc alone; libnl is loaded only once it runs as the
 * caller, with CAP_NET_ADMIN and an environment of its own.  Call sites
 * say NL(rtnl_link_alloc)(...) so it is plain where libnl is entered.
 */
#ifndef UMLNET_NLLIB_H
#define UMLNET_NLLIB_H

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include <stddef.h>

#define NLLIB_SONAME	"libnl-route-3.so.200"	/* pulls in libnl-3.so.200 */

#define NLLIB_FUNCS(X)							\
	X(nl_socket_alloc) X(nl_socket_free) X(nl_connect)		\
	X(nl_geterror) X(nl_send_simple) X(nl_recvmsgs)		\
	X(nl_cb_alloc) X(nl_cb_set) X(nl_cb_put)			\
	X(nlmsg_hdr) X(nlmsg_parse) X(nlmsg_data)			\
	X(nla_parse_nested) X(nla_get_u8) X(nla_get_u32) X(nla_strlcpy)	\
	X(nl_cache_get_first) X(nl_cache_get_next) X(nl_cache_free)	\
	X(nl_addr_build) X(nl_addr_put) X(nl_addr_set_prefixlen)	\
	X(nl_addr_get_family) X(nl_addr_get_prefixlen)			\
	X(nl_addr_get_binary_addr)					\
	X(rtnl_link_alloc) X(rtnl_link_put) X(rtnl_link_get)		\
	X(rtnl_link_get_kernel) X(rtnl_link_change) X(rtnl_link_delete)	\
	X(rtnl_link_get_ifalias) X(rtnl_link_set_ifalias)		\
	X(rtnl_link_get_type) X(rtnl_link_get_ifindex)			\
	X(rtnl_link_set_ifindex) X(rtnl_link_get_flags)			\
	X(rtnl_link_set_flags) X(rtnl_link_set_mtu)			\
	X(rtnl_link_get_name) X(rtnl_link_set_name)			\
	X(rtnl_link_alloc_cache) X(rtnl_link_inet_set_conf)		\
	X(rtnl_addr_alloc) X(rtnl_addr_put) X(rtnl_addr_add)		\
	X(rtnl_addr_set_ifindex) X(rtnl_addr_set_local)			\
	X(rtnl_addr_set_flags) X(rtnl_addr_alloc_cache)			\
	X(rtnl_addr_get_local) X(rtnl_addr_get_ifindex)			\
	X(rtnl_route_alloc) X(rtnl_route_put) X(rtnl_route_add)		\
	X(rtnl_route_delete) X(rtnl_route_alloc_cache)			\
	X(rtnl_route_set_family) X(rtnl_route_set_table)		\
	X(rtnl_route_set_dst) X(rtnl_route_set_protocol)		\
	X(rtnl_route_set_scope) X(rtnl_route_add_nexthop)		\
	X(rtnl_route_get_dst) X(rtnl_route_get_table)			\
	X(rtnl_route_get_nnexthops) X(rtnl_route_nexthop_n)		\
	X(rtnl_route_nh_alloc) X(rtnl_route_nh_free)			\
	X(rtnl_route_nh_set_ifindex) X(rtnl_route_nh_get_ifindex)	\
	X(rtnl_neigh_alloc) X(rtnl_neigh_put) X(rtnl_neigh_add)		\
	X(rtnl_neigh_delete) X(rtnl_neigh_set_ifindex)			\
	X(rtnl_neigh_set_dst) X(rtnl_neigh_set_flags)

/* struct nl_lib - one pointer per function, named and typed as it. */
struct nl_lib {
#define NLLIB_MEMBER(f) __typeof__(f) *f;
	NLLIB_FUNCS(NLLIB_MEMBER)
#undef NLLIB_MEMBER
};

extern struct nl_lib nl_lib;

#define NL(f)	(nl_lib.f)

int nl_lib_load(char *err, size_t len);

#endif /* UMLNET_NLLIB_H */
