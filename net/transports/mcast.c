// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mcast.c: raw Ethernet frames in UDP datagrams (UML's umcast transport,
 * arch/um/drivers/umcast_{kern,user}.c, removed from Linux in 2025), one frame per
 * datagram, wire-compatible with UML's mcast/ucast and QEMU's
 * -netdev socket,mcast= / udp=.
 *
 *   mcast[,MAC[,GROUP[,PORT[,TTL]]]]   also keyed, plus if=IFNAME, local=ADDR
 *   ucast[,MAC[,REMOTE[,LISTEN_PORT[,REMOTE_PORT]]]]   also keyed, local=ADDR
 *
 * Our own frames (mcast): loop must stay on, or guests and QEMU on this
 * host would not hear us, so the group hands every datagram we send back
 * to us.  A switch port must not take those as new frames (its learning
 * would move every local MAC onto the mcast port).  We cannot tell them by
 * source MAC (the port has none of its own) nor by 1102 as the source port
 * (every UML member sends from group:1102).  So we send from a second
 * socket, bound to an ephemeral port and connected to the group: its
 * (address, port) is ours alone, and datagrams from it are dropped on
 * receive.  Peers never look at the source, so this stays compatible.
 * A full send buffer on that socket reads as "would block" although tp.fd
 * (the receiving socket) polls writable, so tp.wfd names the sending one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

#define MCAST_GROUP	"239.192.168.1"
#define MCAST_PORT	1102
#define MCAST_TTL	1
#define MCAST_BATCH	64

struct tp_mcast {
	struct tp tp;		/* tp.fd: the receiving socket */
	int tx;			/* mcast: the sending socket; ucast: tp.fd */
	int is_mcast;
	struct sockaddr_in dst;	/* group or remote */
	struct sockaddr_in self;	/* mcast: tx's own address */
	struct ip_mreqn mreq;
};

static const char *const mcast_keys[] = {
	"mac", "group", "port", "ttl", "if", "local", NULL
};
static const char *const ucast_keys[] = {
	"mac", "remote", "lport", "rport", "local", NULL
};

static int mcast_addr(const char *what, const char *s, struct in_addr *a,
		      char *err, size_t errlen)
{
	if (inet_pton(AF_INET, s, a) == 1)
		return 0;
	snprintf(err, errlen, "%s: bad address '%s' (want a dotted IPv4 address)",
		 what, s);
	return -EINVAL;
}

static int mcast_port(const char *what, const char *key, const char *s,
		      unsigned long def, uint16_t *port, char *err,
		      size_t errlen)
{
	unsigned long v = def;

	if (s && tp_num(s, 1, 65535, &v)) {
		snprintf(err, errlen, "%s: bad %s '%s' (want 1..65535)", what,
			 key, s);
		return -EINVAL;
	}
	*port = htons((uint16_t)v);
	return 0;
}

/* Options shared by both: local= (mac= is the guest NIC's) */
static int mcast_common(struct tp_mcast *m, const struct tp_spec *s,
			const char *what, char *err, size_t errlen)
{
	const char *local = tp_spec_get(s, "local");

	if (local)
		return mcast_addr(what, local, &m->mreq.imr_address, err,
				  errlen);
	return 0;
}

static int mcast_bind(int fd, struct in_addr addr, uint16_t port,
		      const char *what, char *err, size_t errlen)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char a[INET_ADDRSTRLEN];
	int ret;

	sin.sin_addr = addr;
	sin.sin_port = port;
	if (!bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return 0;
	ret = -errno;
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(err, errlen, "%s: bind %s:%u: %s", what, a, ntohs(port),
		 strerror(-ret));
	return ret;
}

/* The receiving socket: group:port, joined on the chosen interface. */
static int mcast_rx_setup(struct tp_mcast *m, char *err, size_t errlen)
{
	int one = 1, ret;

	ret = tp_setopt(m->tp.fd, SOL_SOCKET, SO_REUSEADDR, &one,
			sizeof(one), "mcast", "SO_REUSEADDR", err, errlen);
	if (!ret)
		ret = mcast_bind(m->tp.fd, m->dst.sin_addr, m->dst.sin_port,
				 "mcast", err, errlen);
	if (ret)
		return ret;
	m->mreq.imr_multiaddr = m->dst.sin_addr;
	if (setsockopt(m->tp.fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m->mreq,
		       sizeof(m->mreq))) {
		ret = -errno;
		snprintf(err, errlen,
			 "mcast: join group: %s (no multicast-capable interface"
			 " or route for 224.0.0.0/4?)", strerror(-ret));
		return ret;
	}
	return 0;
}

/* The sending socket: ephemeral port, connected to the group; its own
 * address identifies the frames the group loops back to us. */
static int mcast_tx_setup(struct tp_mcast *m, int ttl, char *err,
			  size_t errlen)
{
	socklen_t len = sizeof(m->self);
	int one = 1, ret;

	ret = tp_setopt(m->tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
			sizeof(ttl), "mcast", "IP_MULTICAST_TTL", err, errlen);
	if (!ret)
		ret = tp_setopt(m->tx, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
				sizeof(one), "mcast", "IP_MULTICAST_LOOP",
				err, errlen);
	if (!ret && (m->mreq.imr_ifindex || m->mreq.imr_address.s_addr))
		ret = tp_setopt(m->tx, IPPROTO_IP, IP_MULTICAST_IF,
				&m->mreq, sizeof(m->mreq), "mcast",
				"IP_MULTICAST_IF", err, errlen);
	if (ret)
		return ret;
	if (connect(m->tx, (struct sockaddr *)&m->dst, sizeof(m->dst)) ||
	    getsockname(m->tx, (struct sockaddr *)&m->self, &len)) {
		ret = -errno;
		snprintf(err, errlen, "mcast: send socket: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

static int mcast_sockets(struct tp_mcast *m, int two, const char *what,
			 char *err, size_t errlen)
{
	int ret;

	m->tp.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->tp.fd >= 0 && two)
		m->tx = socket(AF_INET,
			       SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->tp.fd < 0 || (two && m->tx < 0)) {
		ret = -errno;
		snprintf(err, errlen, "%s: socket: %s", what, strerror(-ret));
		return ret;
	}
	if (!two)
		m->tx = m->tp.fd;
	m->tp.wfd = m->tx;
	return 0;
}

static void mcast_close(struct tp *tp)
{
	struct tp_mcast *m = (struct tp_mcast *)tp;

	if (m->tx >= 0 && m->tx != tp->fd)
		close(m->tx);
	if (tp->fd >= 0)
		close(tp->fd);	/* leaves the group */
	tp->fd = tp->wfd = m->tx = -1;
}

static int mcast_group_opts(struct tp_mcast *m, const struct tp_spec *s,
			    unsigned long *ttl, char *err, size_t errlen)
{
	const char *group = tp_spec_get(s, "group");
	const char *t = tp_spec_get(s, "ttl");
	const char *ifname = tp_spec_get(s, "if");
	int ret;

	m->dst.sin_family = AF_INET;
	ret = mcast_addr("mcast", group ? group : MCAST_GROUP,
			 &m->dst.sin_addr, err, errlen);
	if (ret)
		return ret;
	if (!IN_MULTICAST(ntohl(m->dst.sin_addr.s_addr))) {
		snprintf(err, errlen,
			 "mcast: bad group '%s' (not a multicast address)",
			 group);
		return -EINVAL;
	}
	ret = mcast_port("mcast", "port", tp_spec_get(s, "port"), MCAST_PORT,
			 &m->dst.sin_port, err, errlen);
	if (ret)
		return ret;
	*ttl = MCAST_TTL;
	if (t && tp_num(t, 0, 255, ttl)) {
		snprintf(err, errlen, "mcast: bad ttl '%s' (want 0..255)", t);
		return -EINVAL;
	}
	if (ifname) {
		m->mreq.imr_ifindex = (int)if_nametoindex(ifname);
		if (!m->mreq.imr_ifindex) {
			snprintf(err, errlen, "mcast: no interface '%s'",
				 ifname);
			return -ENODEV;
		}
	}
	return 0;
}

static int mcast_open(struct tp *tp, const struct tp_spec *s, char *err,
		      size_t errlen)
{
	struct tp_mcast *m = (struct tp_mcast *)tp;
	unsigned long ttl;
	int ret;

	m->tx = -1;
	m->is_mcast = 1;
	ret = mcast_common(m, s, "mcast", err, errlen);
	if (!ret)
		ret = mcast_group_opts(m, s, &ttl, err, errlen);
	if (!ret)
		ret = mcast_sockets(m, 1, "mcast", err, errlen);
	if (!ret)
		ret = mcast_rx_setup(m, err, errlen);
	if (!ret)
		ret = mcast_tx_setup(m, (int)ttl, err, errlen);
	if (ret)
		mcast_close(tp);
	return ret;
}

static int ucast_open(struct tp *tp, const struct tp_spec *s, char *err,
		      size_t errlen)
{
	struct tp_mcast *m = (struct tp_mcast *)tp;
	const char *remote = tp_spec_get(s, "remote");
	int one = 1, ret;
	uint16_t lport;

	m->tx = -1;
	ret = mcast_common(m, s, "ucast", err, errlen);
	if (ret)
		return ret;
	if (!remote) {
		snprintf(err, errlen, "ucast: missing remote address");
		return -EINVAL;
	}
	m->dst.sin_family = AF_INET;
	ret = mcast_addr("ucast", remote, &m->dst.sin_addr, err, errlen);
	if (!ret)
		ret = mcast_port("ucast", "listen port", tp_spec_get(s, "lport"),
				 MCAST_PORT, &lport, err, errlen);
	if (!ret)
		ret = mcast_port("ucast", "remote port", tp_spec_get(s, "rport"),
				 MCAST_PORT, &m->dst.sin_port, err, errlen);
	if (!ret)
		ret = mcast_sockets(m, 0, "ucast", err, errlen);
	if (!ret)
		ret = tp_setopt(tp->fd, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one), "ucast", "SO_REUSEADDR", err,
				errlen);
	if (!ret)
		ret = mcast_bind(tp->fd, m->mreq.imr_address, lport, "ucast",
				 err, errlen);
	if (ret)
		mcast_close(tp);
	return ret;
}

static int mcast_is_self(const struct tp_mcast *m, const struct sockaddr_in *a)
{
	return m->is_mcast && a->sin_port == m->self.sin_port &&
	       a->sin_addr.s_addr == m->self.sin_addr.s_addr;
}

static int mcast_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_mcast *m = (struct tp_mcast *)tp;
	struct sockaddr_in from[MCAST_BATCH];
	struct mmsghdr mm[MCAST_BATCH];
	struct iovec iov[2 * MCAST_BATCH];
	unsigned int i, w;
	int ret;

	if (n > MCAST_BATCH)
		n = MCAST_BATCH;
	do {
		memset(mm, 0, sizeof(mm[0]) * n);
		for (i = 0; i < n; i++) {
			mm[i].msg_hdr.msg_iov = &iov[2 * i];
			mm[i].msg_hdr.msg_iovlen = tp_frame_iov(&f[i],
								&iov[2 * i]);
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		/* MSG_TRUNC: an oversized datagram shows as len > room */
		ret = recvmmsg(tp->fd, mm, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (ret < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		/* Drop our own looped-back frames, keeping the rest in order
		 * (a copy only when one of ours sits before a foreign one). */
		for (i = w = 0; i < (unsigned int)ret; i++) {
			if (mcast_is_self(m, &from[i]))
				continue;
			if (w != i)
				tp_frame_move(&f[w], &f[i], mm[i].msg_len);
			f[w++].len = mm[i].msg_len;
		}
	} while (!w && ret == (int)n);
	return (int)w;
}

static int mcast_send(struct tp *tp, const struct tp_frame *f,
		      unsigned int n)
{
	struct tp_mcast *m = (struct tp_mcast *)tp;
	int ret;

	/* The mcast tx socket is connected to the group; ucast sends to. */
	ret = tp_dgram_sendto(m->tx, f, n, m->is_mcast ? NULL : &m->dst,
			      sizeof(m->dst));
	if (ret == -ENOBUFS || ret == -EINTR)
		return 0;
	/* A peer that went away (ICMP port unreachable) or a frame too big
	 * for UDP: drop that one frame, not the port. */
	if (ret == -ECONNREFUSED || ret == -EMSGSIZE) {
		tp->tx_drop++;
		return 1;
	}
	return ret;
}

static const int tp_mcast_syscalls[] = {
	SYS_recvmmsg, SYS_sendmsg, SYS_sendmmsg, SYS_close, -1
};

const struct tp_ops tp_mcast_ops = {
	.name = "mcast",
	.keys = mcast_keys,
	.size = sizeof(struct tp_mcast),
	.open = mcast_open,
	.recv = mcast_recv,
	.send = mcast_send,
	.close = mcast_close,
	.syscalls = tp_mcast_syscalls,
};

const struct tp_ops tp_ucast_ops = {
	.name = "ucast",
	.keys = ucast_keys,
	.size = sizeof(struct tp_mcast),
	.open = ucast_open,
	.recv = mcast_recv,
	.send = mcast_send,
	.close = mcast_close,
	.syscalls = tp_mcast_syscalls,
};
