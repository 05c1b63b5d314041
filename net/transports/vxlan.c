// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vxlan.c: Ethernet frames in VXLAN (RFC 7348) over UDP, IPv4 or IPv6,
 * wire-compatible with the Linux vxlan device and other VTEPs.
 *
 *   vxlan:vni=N,remote=ADDR[+ADDR...][,port=P][,local=ADDR][,ttl=N][,mtu=N]
 *   vxlan:vni=N,group=GROUP[,if=DEV][,port=P][,local=ADDR][,ttl=N][,mtu=N]
 *   either with srcport=1 (below)
 *
 * Theory of operation.  One UDP socket, bound to port P (default 4789)
 * on local= (remote form) or the wildcard (group form: it takes the
 * group's datagrams and those sent to us alone), sends and receives.
 * Every inner source MAC received is learned behind the VTEP (the outer
 * source address) it came from, for VXLAN_AGE_MS; a frame to a learned
 * unicast MAC goes to that VTEP (at port P) alone, any other frame
 * (broadcast, multicast, unknown unicast) to every remote (head-end
 * replication) or once to the group.  The remote form takes datagrams
 * only from its remotes (by address; VTEPs send from any port).
 * With srcport=1 it goes to the port that VTEP sent from instead (vdeplug's
 * vxvde:// listens there, not on P).  Multicast loop is off: our own
 * flood never comes back to us.
 *
 * Drops, each counted in tp.rx_drop and never returned: a datagram from a
 * VTEP not on the remote list, a short or truncated header, the I flag
 * clear, another VNI, an inner frame longer than the MTU allows or than
 * the caller's buffer, or from a group (multicast) source MAC.  Sending,
 * a frame longer than the MTU allows is refused and counted in
 * tp.tx_drop, never cut.
 *
 * The inner MTU (mtu=, the inner frame less its Ethernet header, and
 * less one 802.1Q tag when it has one) is by default what one UDP
 * datagram can carry: 65485 over IPv4, 65505 over IPv6; the outer headers
 * add 50 bytes over IPv4 (20 IP + 8 UDP + 8 VXLAN + 14 inner Ethernet),
 * 70 over IPv6, and datagrams longer than the underlay's MTU are sent in
 * IP fragments (Linux vxlan devices reassemble them; set mtu= to the
 * underlay MTU less 50 or 70 where fragments do not pass).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"
#include "vxlan.h"

#define VX_BATCH	64
#define VX_REMOTES	16
#define VX_MTU_MIN	68
#define VX_RCVBUF	(4 << 20)	/* bytes: a TCP window of bursts */
/* the longest UDP payload: 65535 less the UDP (and IPv4) header */
#define VX_UDP_MAX4	(65535 - 8 - 20)
#define VX_UDP_MAX6	(65535 - 8)

union vx_sa {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct tp_vxlan {
	struct tp tp;
	int family;
	int group;		/* group form: remote[0] is the group */
	int srcport;		/* unicast to the port a VTEP sent from */
	unsigned int nremote;
	uint32_t vni;
	size_t mtu;		/* inner, without the Ethernet header */
	size_t max_frame;	/* the longest inner frame one datagram takes */
	union vx_sa remote[VX_REMOTES];
	uint8_t hdr[VXLAN_HLEN];	/* what we send */
	/* batch state, here and not on the stack (the UML kernel's user
	 * objects have an 8 KiB frame limit) */
	uint8_t rxhdr[VX_BATCH][VXLAN_HLEN];
	union vx_sa from[VX_BATCH];
	union vx_sa dst[VX_BATCH];	/* learned VTEPs of a send batch */
	struct mmsghdr mm[VX_BATCH];
	struct iovec iov[3 * VX_BATCH];
	struct vxlan_fdb fdb;
};

static const char *const vxlan_keys[] = {
	"vni", "remote", "group", "port", "local", "if", "ttl", "mtu",
	"srcport", "mac", NULL
};

static uint64_t vx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A VTEP's address as the table keeps it: 16 bytes, IPv4 in the first 4. */
static void vx_key(const union vx_sa *a, uint8_t *k)
{
	memset(k, 0, VXLAN_ADDR_LEN);
	if (a->sa.sa_family == AF_INET)
		memcpy(k, &a->v4.sin_addr, 4);
	else
		memcpy(k, &a->v6.sin6_addr, 16);
}

static void vx_from_key(struct tp_vxlan *v, const uint8_t *k, uint16_t port,
			union vx_sa *a)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = (sa_family_t)v->family;
	if (v->family == AF_INET) {
		memcpy(&a->v4.sin_addr, k, 4);
		a->v4.sin_port = port;
	} else {
		memcpy(&a->v6.sin6_addr, k, 16);
		a->v6.sin6_port = port;
	}
}

static uint16_t vx_sa_port(const union vx_sa *a)
{
	return a->sa.sa_family == AF_INET ? a->v4.sin_port : a->v6.sin6_port;
}

static uint16_t vx_port(const struct tp_vxlan *v)
{
	return v->family == AF_INET ? v->remote[0].v4.sin_port :
				      v->remote[0].v6.sin6_port;
}

static socklen_t vx_len(const struct tp_vxlan *v)
{
	return v->family == AF_INET ? sizeof(struct sockaddr_in) :
				      sizeof(struct sockaddr_in6);
}

/* An IPv4 or IPv6 address (of @family when it is set already). */
static int vx_addr(const char *key, const char *s, int *family,
		   union vx_sa *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	if (*family != AF_INET6 && inet_pton(AF_INET, s, &a->v4.sin_addr) == 1) {
		a->sa.sa_family = AF_INET;
	} else if (*family != AF_INET &&
		   inet_pton(AF_INET6, s, &a->v6.sin6_addr) == 1) {
		a->sa.sa_family = AF_INET6;
	} else {
		snprintf(err, errlen, "vxlan: bad %s '%s' (want an %s address)",
			 key, s, *family == AF_INET ? "IPv4" :
			 *family == AF_INET6 ? "IPv6" : "IPv4 or IPv6");
		return -EINVAL;
	}
	*family = a->sa.sa_family;
	return 0;
}

static int vx_is_multicast(const union vx_sa *a)
{
	return a->sa.sa_family == AF_INET ?
	       IN_MULTICAST(ntohl(a->v4.sin_addr.s_addr)) :
	       IN6_IS_ADDR_MULTICAST(&a->v6.sin6_addr);
}

static int vx_is_unspecified(const union vx_sa *a)
{
	return a->sa.sa_family == AF_INET ? a->v4.sin_addr.s_addr == 0 :
	       IN6_IS_ADDR_UNSPECIFIED(&a->v6.sin6_addr);
}

/* remote=ADDR[+ADDR...]: unicast VTEPs, all of one family. */
static int vx_remotes(struct tp_vxlan *v, const char *list, char *err,
		      size_t errlen)
{
	char buf[TP_SPEC_MAX], *rest = buf, *a;
	unsigned int i;
	int ret;

	snprintf(buf, sizeof(buf), "%s", list);
	while (rest) {
		a = strsep(&rest, "+");
		if (v->nremote == VX_REMOTES) {
			snprintf(err, errlen, "vxlan: more than %d remotes",
				 VX_REMOTES);
			return -EINVAL;
		}
		ret = vx_addr("remote", a, &v->family, &v->remote[v->nremote],
			      err, errlen);
		if (ret)
			return ret;
		if (vx_is_multicast(&v->remote[v->nremote]) ||
		    vx_is_unspecified(&v->remote[v->nremote])) {
			snprintf(err, errlen, "vxlan: bad remote '%s' (a unicast "
				 "address; for a multicast one use group=)", a);
			return -EINVAL;
		}
		for (i = 0; i < v->nremote; i++)
			if (!memcmp(&v->remote[i], &v->remote[v->nremote],
				    sizeof(v->remote[i]))) {
				snprintf(err, errlen,
					 "vxlan: remote '%s' given twice", a);
				return -EINVAL;
			}
		v->nremote++;
	}
	return 0;
}

/* The place the datagrams go: remotes or the group, and the port. */
static int vx_dests(struct tp_vxlan *v, const struct tp_spec *s, char *err,
		    size_t errlen)
{
	const char *remote = tp_spec_get(s, "remote");
	const char *group = tp_spec_get(s, "group");
	const char *p = tp_spec_get(s, "port");
	unsigned long port = VXLAN_PORT;
	unsigned int i;
	int ret;

	if (!remote == !group) {
		snprintf(err, errlen, remote ? "vxlan: give remote= or group=, "
			 "not both" : "vxlan: missing remote=ADDR[+ADDR...] or "
			 "group=GROUP");
		return -EINVAL;
	}
	if (p && tp_num(p, 1, 65535, &port)) {
		snprintf(err, errlen, "vxlan: bad port '%s' (want 1..65535)", p);
		return -EINVAL;
	}
	if (remote) {
		ret = vx_remotes(v, remote, err, errlen);
	} else {
		v->group = 1;
		v->nremote = 1;
		ret = vx_addr("group", group, &v->family, &v->remote[0], err,
			      errlen);
		if (!ret && !vx_is_multicast(&v->remote[0])) {
			snprintf(err, errlen, "vxlan: bad group '%s' (not a "
				 "multicast address)", group);
			ret = -EINVAL;
		}
	}
	for (i = 0; !ret && i < v->nremote; i++) {
		if (v->family == AF_INET)
			v->remote[i].v4.sin_port = htons((uint16_t)port);
		else
			v->remote[i].v6.sin6_port = htons((uint16_t)port);
	}
	return ret;
}

/* vni= (required), mtu= and srcport=. */
static int vx_numbers(struct tp_vxlan *v, const struct tp_spec *s, char *err,
		      size_t errlen)
{
	const char *vni = tp_spec_get(s, "vni");
	const char *mtu = tp_spec_get(s, "mtu");
	const char *s_port;
	unsigned long n;

	if (!vni) {
		snprintf(err, errlen, "vxlan: missing vni=N (0..%u)",
			 VXLAN_VNI_MAX);
		return -EINVAL;
	}
	if (tp_num(vni, 0, VXLAN_VNI_MAX, &n)) {
		snprintf(err, errlen, "vxlan: bad vni '%s' (want 0..%u)", vni,
			 VXLAN_VNI_MAX);
		return -EINVAL;
	}
	v->vni = (uint32_t)n;
	v->max_frame = (v->family == AF_INET ? VX_UDP_MAX4 : VX_UDP_MAX6) -
		       VXLAN_HLEN;
	v->mtu = v->max_frame - ETH_HLEN_;
	if (mtu && tp_num(mtu, VX_MTU_MIN, v->mtu, &n)) {
		snprintf(err, errlen, "vxlan: bad mtu '%s' (want %d..%zu over "
			 "IPv%d)", mtu, VX_MTU_MIN, v->mtu,
			 v->family == AF_INET ? 4 : 6);
		return -EINVAL;
	}
	if (mtu)
		v->mtu = n;
	s_port = tp_spec_get(s, "srcport");
	if (s_port && (tp_num(s_port, 0, 1, &n))) {
		snprintf(err, errlen, "vxlan: bad srcport '%s' (want 0 or 1)",
			 s_port);
		return -EINVAL;
	}
	v->srcport = s_port && n;
	return 0;
}

static int vx_bind(struct tp_vxlan *v, const union vx_sa *local, char *err,
		   size_t errlen)
{
	union vx_sa a = *local;
	char s[INET6_ADDRSTRLEN];
	int ret;

	if (v->family == AF_INET) {
		a.v4.sin_port = vx_port(v);
		inet_ntop(AF_INET, &a.v4.sin_addr, s, sizeof(s));
	} else {
		a.v6.sin6_port = vx_port(v);
		inet_ntop(AF_INET6, &a.v6.sin6_addr, s, sizeof(s));
	}
	if (!bind(v->tp.fd, &a.sa, vx_len(v)))
		return 0;
	ret = -errno;
	snprintf(err, errlen, "vxlan: bind %s port %u: %s", s,
		 ntohs(vx_port(v)), strerror(-ret));
	return ret;
}

/* IPv4 group: join on if= or local=, send there, TTL, no loop. */
static int vx_join4(struct tp_vxlan *v, int ifindex, const union vx_sa *local,
		    int ttl, char *err, size_t errlen)
{
	struct ip_mreqn mreq = { .imr_ifindex = ifindex };
	int fd = v->tp.fd, zero = 0, ret;

	mreq.imr_multiaddr = v->remote[0].v4.sin_addr;
	mreq.imr_address = local->v4.sin_addr;
	ret = tp_setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero),
			"vxlan", "IP_MULTICAST_ALL", err, errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero,
				sizeof(zero), "vxlan", "IP_MULTICAST_LOOP", err,
				errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
				sizeof(ttl), "vxlan", "IP_MULTICAST_TTL", err,
				errlen);
	if (!ret && (ifindex || mreq.imr_address.s_addr))
		ret = tp_setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
				sizeof(mreq), "vxlan", "IP_MULTICAST_IF", err,
				errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
				sizeof(mreq), "vxlan", "join group (no route "
				"for 224.0.0.0/4? name the interface: if=)",
				err, errlen);
	return ret;
}

/* IPv6 group: the same through the IPV6_ options (by interface only). */
static int vx_join6(struct tp_vxlan *v, int ifindex, int ttl, char *err,
		    size_t errlen)
{
	struct ipv6_mreq mreq = { .ipv6mr_interface = (unsigned int)ifindex };
	int fd = v->tp.fd, zero = 0, ret;

	mreq.ipv6mr_multiaddr = v->remote[0].v6.sin6_addr;
	ret = tp_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &zero,
			sizeof(zero), "vxlan", "IPV6_MULTICAST_ALL", err,
			errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero,
				sizeof(zero), "vxlan", "IPV6_MULTICAST_LOOP",
				err, errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
				sizeof(ttl), "vxlan", "IPV6_MULTICAST_HOPS",
				err, errlen);
	if (!ret && ifindex)
		ret = tp_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
				sizeof(ifindex), "vxlan", "IPV6_MULTICAST_IF",
				err, errlen);
	if (!ret)
		ret = tp_setopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
				sizeof(mreq), "vxlan", "join group (no route "
				"for ff00::/8? name the interface: if=)", err,
				errlen);
	return ret;
}

/* local=, if= and ttl=, checked against the form. */
static int vx_where(struct tp_vxlan *v, const struct tp_spec *s,
		    union vx_sa *local, int *ifindex, int *ttl, char *err,
		    size_t errlen)
{
	const char *l = tp_spec_get(s, "local");
	const char *ifname = tp_spec_get(s, "if");
	const char *t = tp_spec_get(s, "ttl");
	unsigned long n;
	int ret;

	memset(local, 0, sizeof(*local));
	local->sa.sa_family = (sa_family_t)v->family;
	if (l) {
		ret = vx_addr("local", l, &v->family, local, err, errlen);
		if (ret)
			return ret;
		if (vx_is_multicast(local) ||
		    (v->group && v->family == AF_INET6)) {
			snprintf(err, errlen, v->group ? "vxlan: local= with an "
				 "IPv6 group: name the interface with if=" :
				 "vxlan: bad local '%s' (a multicast address)",
				 l);
			return -EINVAL;
		}
	}
	if (ifname && !v->group) {
		snprintf(err, errlen, "vxlan: if= goes with group=");
		return -EINVAL;
	}
	if (ifname) {
		*ifindex = (int)if_nametoindex(ifname);
		if (!*ifindex) {
			snprintf(err, errlen, "vxlan: no interface '%s'", ifname);
			return -ENODEV;
		}
	}
	*ttl = v->group ? 1 : -1;	/* -1: the system's default */
	if (t && tp_num(t, 1, 255, &n)) {
		snprintf(err, errlen, "vxlan: bad ttl '%s' (want 1..255)", t);
		return -EINVAL;
	}
	if (t)
		*ttl = (int)n;
	return 0;
}

static int vx_socket(struct tp_vxlan *v, const union vx_sa *local,
		     int ifindex, int ttl, char *err, size_t errlen)
{
	union vx_sa any = { .sa.sa_family = (sa_family_t)v->family };
	int one = 1, ret = 0;

	v->tp.fd = socket(v->family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  0);
	if (v->tp.fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "vxlan: socket: %s", strerror(-ret));
		return ret;
	}
	/* TCP across the tunnel sends bursts the reader may not keep up
	 * with: the default buffer (about 90 datagrams) loses them */
	tp_rcvbuf(v->tp.fd, VX_RCVBUF);
	if (v->family == AF_INET6)
		ret = tp_setopt(v->tp.fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				sizeof(one), "vxlan", "IPV6_V6ONLY", err,
				errlen);
	if (!ret && !v->group && ttl > 0)
		ret = v->family == AF_INET ?
		      tp_setopt(v->tp.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl),
				"vxlan", "IP_TTL", err, errlen) :
		      tp_setopt(v->tp.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
				&ttl, sizeof(ttl), "vxlan", "IPV6_UNICAST_HOPS",
				err, errlen);
	if (ret)
		return ret;
	/* the group form listens on the wildcard: the group's datagrams
	 * and the ones sent to us alone */
	ret = vx_bind(v, v->group ? &any : local, err, errlen);
	if (ret || !v->group)
		return ret;
	return v->family == AF_INET ?
	       vx_join4(v, ifindex, local, ttl, err, errlen) :
	       vx_join6(v, ifindex, ttl, err, errlen);
}

static int vxlan_open(struct tp *tp, const struct tp_spec *s, char *err,
		      size_t errlen)
{
	struct tp_vxlan *v = (struct tp_vxlan *)tp;
	int ifindex = 0, ttl, ret;
	union vx_sa local;

	ret = vx_dests(v, s, err, errlen);
	if (!ret)
		ret = vx_numbers(v, s, err, errlen);
	if (!ret)
		ret = vx_where(v, s, &local, &ifindex, &ttl, err, errlen);
	if (ret)
		return ret;
	vxlan_hdr_put(v->hdr, v->vni);
	ret = vx_socket(v, &local, ifindex, ttl, err, errlen);
	if (ret)
		tp_close_fd(tp);	/* leaves the group */
	return ret;
}

/* Is @len bytes of frame @p over the MTU?  (A tagged frame may be 4 longer.) */
static int vx_too_big(const struct tp_vxlan *v, const uint8_t *p, size_t len)
{
	int vlan;

	if (len <= v->mtu + ETH_HLEN_)
		return 0;
	if (len > v->max_frame || len > v->mtu + ETH_HLEN_ + 4)
		return 1;
	return frame_ethertype(p, len, &vlan) < 0 || vlan < 0;
}

/* Is @a on the remote list (by address: a VTEP sends from any port)? */
static int vx_known(const struct tp_vxlan *v, const union vx_sa *a)
{
	unsigned int i;

	if (v->group)
		return 1;
	for (i = 0; i < v->nremote; i++) {
		if (a->sa.sa_family != v->family)
			return 0;
		if (v->family == AF_INET ?
		    a->v4.sin_addr.s_addr == v->remote[i].v4.sin_addr.s_addr :
		    IN6_ARE_ADDR_EQUAL(&a->v6.sin6_addr,
				       &v->remote[i].v6.sin6_addr))
			return 1;
	}
	return 0;
}

/* Datagram @i of a receive batch, in @f: keep it (1) or drop it (0). */
static int vx_take(struct tp_vxlan *v, unsigned int i, struct tp_frame *f,
		   size_t len, uint64_t now)
{
	size_t max = tp_frame_room(f) < v->max_frame ? tp_frame_room(f) :
						       v->max_frame;
	uint8_t key[VXLAN_ADDR_LEN];
	size_t inner;

	if (!vx_known(v, &v->from[i]) ||
	    vxlan_decode(v->rxhdr[i], len, v->vni, max, &inner) != VXLAN_OK ||
	    f->cap < ETH_HLEN_ + 4 || vx_too_big(v, f->buf, inner) ||
	    mac_is_multicast(frame_src(f->buf)))
		return 0;
	f->len = inner;
	if (!mac_is_zero(frame_src(f->buf))) {
		vx_key(&v->from[i], key);
		vxlan_fdb_learn(&v->fdb, frame_src(f->buf), key,
				vx_sa_port(&v->from[i]), now);
	}
	return 1;
}

static int vxlan_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_vxlan *v = (struct tp_vxlan *)tp;
	struct mmsghdr *mm = v->mm;
	unsigned int i, w;
	uint64_t now;
	int ret;

	if (n > VX_BATCH)
		n = VX_BATCH;
	do {
		memset(mm, 0, sizeof(mm[0]) * n);
		for (i = 0; i < n; i++) {
			v->iov[3 * i].iov_base = v->rxhdr[i];
			v->iov[3 * i].iov_len = VXLAN_HLEN;
			mm[i].msg_hdr.msg_iov = &v->iov[3 * i];
			mm[i].msg_hdr.msg_iovlen = 1 + tp_frame_iov(&f[i],
							&v->iov[3 * i + 1]);
			mm[i].msg_hdr.msg_name = &v->from[i];
			mm[i].msg_hdr.msg_namelen = sizeof(v->from[i]);
		}
		/* MSG_TRUNC: an oversized datagram shows as its real length */
		ret = recvmmsg(tp->fd, mm, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (ret < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		now = vx_now_ms();
		for (i = w = 0; i < (unsigned int)ret; i++) {
			if (!vx_take(v, i, &f[i], mm[i].msg_len, now)) {
				tp->rx_drop++;
				continue;
			}
			if (w != i)
				tp_frame_move(&f[w], &f[i], f[i].len);
			w++;
		}
	} while (!w && ret == (int)n);
	return (int)w;
}

/* Where frame @f goes: the VTEP its destination was learned behind (in
 * v->dst[slot]), or everywhere.  Return: the address, or NULL to flood. */
static const union vx_sa *vx_route(struct tp_vxlan *v, const uint8_t *f,
				   unsigned int slot, uint64_t now)
{
	const struct vxlan_fdb_ent *e;

	if (mac_is_multicast(frame_dst(f)))
		return NULL;
	e = vxlan_fdb_lookup(&v->fdb, frame_dst(f), now);
	if (!e)
		return NULL;
	vx_from_key(v, e->vtep, v->srcport ? e->port : vx_port(v),
		    &v->dst[slot]);
	return &v->dst[slot];
}

static void vx_msg(struct tp_vxlan *v, unsigned int m, const struct tp_frame *f,
		   const union vx_sa *to)
{
	memset(&v->mm[m], 0, sizeof(v->mm[m]));
	v->iov[2 * m].iov_base = v->hdr;
	v->iov[2 * m].iov_len = VXLAN_HLEN;
	v->iov[2 * m + 1].iov_base = f->buf;
	v->iov[2 * m + 1].iov_len = f->len;
	v->mm[m].msg_hdr.msg_iov = &v->iov[2 * m];
	v->mm[m].msg_hdr.msg_iovlen = 2;
	v->mm[m].msg_hdr.msg_name = (void *)to;
	v->mm[m].msg_hdr.msg_namelen = vx_len(v);
}

/*
 * Each frame becomes one message (a learned VTEP, the group) or one per
 * remote; frames go whole into a batch of at most VX_BATCH messages.  A
 * frame counts as sent when its first copy was (a full socket buffer
 * loses the other copies, as it would lose a datagram).
 */
static int vxlan_send(struct tp *tp, const struct tp_frame *f,
		      unsigned int n)
{
	struct tp_vxlan *v = (struct tp_vxlan *)tp;
	unsigned int start[VX_BATCH + 1], i, k, m = 0, copies;
	const union vx_sa *to;
	uint64_t now = vx_now_ms();
	int ret;

	if (n > VX_BATCH)
		n = VX_BATCH;
	for (i = 0; i < n; i++) {
		start[i] = m;
		if (f[i].len < FRAME_MIN || vx_too_big(v, f[i].buf, f[i].len))
			continue;	/* refused below, never cut */
		to = vx_route(v, f[i].buf, i, now);
		copies = to ? 1 : v->nremote;
		if (m + copies > VX_BATCH)
			break;
		for (k = 0; k < copies; k++)
			vx_msg(v, m++, &f[i], to ? to : &v->remote[k]);
	}
	n = i;
	start[n] = m;
	ret = m ? sendmmsg(tp->fd, v->mm, m, MSG_DONTWAIT | MSG_NOSIGNAL) : 0;
	if (ret < 0) {
		switch (errno) {
		case EAGAIN: case ENOBUFS: case EINTR:
			ret = 0;
			break;
		/* this frame cannot go (too big for UDP, a VTEP not
		 * reachable): drop it, not the port */
		case EMSGSIZE: case ECONNREFUSED: case EHOSTUNREACH:
		case ENETUNREACH: case EHOSTDOWN:
			tp->tx_drop++;
			ret = 1;
			break;
		default:
			return -errno;
		}
	}
	/* gone: the frames whose first copy went, and the refused ones
	 * that no unsent copy comes before */
	for (i = 0; i < n; i++) {
		if (start[i + 1] > start[i] ? start[i] >= (unsigned int)ret :
					      start[i] > (unsigned int)ret)
			break;
		if (start[i + 1] == start[i])
			tp->tx_drop++;	/* longer than the MTU allows */
	}
	return (int)i;
}

static const int tp_vxlan_syscalls[] = {
	SYS_recvmmsg, SYS_sendmmsg, SYS_clock_gettime, SYS_close, -1
};

const struct tp_ops tp_vxlan_ops = {
	.name = "vxlan",
	.keys = vxlan_keys,
	.size = sizeof(struct tp_vxlan),
	.open = vxlan_open,
	.recv = vxlan_recv,
	.send = vxlan_send,
	.close = tp_close_fd,
	.syscalls = tp_vxlan_syscalls,
};
