// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slip.c: IP packets in SLIP framing (RFC 1055, net/slip.h) over a tty, a
 * pty or a stream fd, presented as an Ethernet port.
 *
 * Spec: slip[,GATE]  or  slip:gate=A.B.C.D,path=/dev/pts/N|fd=N[,peermac=MAC]
 * GATE is the IPv4 address of the SLIP peer; peermac the address that
 * stands for the peer on the Ethernet side (default 02:53:4c:49:50:00,
 * "SLIP"); mac, as for every transport, the guest NIC's (tp_spec_mac()).
 *
 * Theory of operation.  SLIP carries bare IP packets, so:
 *  - recv decodes a packet and prepends an Ethernet header: src = the
 *    peer's MAC, type 0x0800/0x86dd by the IP version nibble, dst = the MAC
 *    last seen sending from the packet's destination IPv4 address (learned
 *    from the frames we were given; broadcast while unknown, and for IPv6).
 *  - send takes Ethernet frames: ARP requests for GATE are answered by
 *    queueing a reply that the next recv returns; IPv4 frames addressed to
 *    the peer's MAC lose their header (and any Ethernet padding, by the IP
 *    total length) and are SLIP-encoded; everything else is dropped.  Only
 *    IPv4 goes out: there is no neighbour discovery for IPv6 here.
 * tp.fd is an epoll fd over the line and an eventfd, so the caller's poll
 * also wakes for a queued ARP reply and, while an encoded packet is only
 * partly written, for the line becoming writable (recv then flushes it).
 * An epoll fd never polls writable, so send never reports "would block":
 * when the line lags by a whole buffer (128 KiB) frames are dropped and
 * counted as sent, like a serial line's full queue; TCP recovers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include "frame.h"
#include "slip.h"
#include "transport.h"

#define SLIP_MTU	65535	/* largest IP packet */
#define SLIP_ARP_LEN	42	/* Ethernet + ARP for IPv4 */
#define SLIP_ARPQ	4
#define SLIP_NEIGH	8
#define SLIP_RBUF	4096

struct slip_neigh {
	uint32_t ip;		/* network order; 0 = free */
	uint8_t mac[ETH_ALEN_];
};

struct tp_slip {
	struct tp tp;		/* tp.fd: epoll over line and ev */
	int line;
	int ev;			/* eventfd: an ARP reply is queued */
	int want_out;		/* EPOLLOUT armed on the line */
	uint32_t peer_ip;	/* network order; 0 = no ARP answers */
	uint8_t peer_mac[ETH_ALEN_];
	struct slip_neigh neigh[SLIP_NEIGH];
	unsigned int neigh_next;
	uint8_t arpq[SLIP_ARPQ][SLIP_ARP_LEN];
	unsigned int arp_head, arp_n;
	struct slip_rx rx;
	size_t rpos, rlen;
	size_t txoff, txlen;
	uint8_t rbuf[SLIP_RBUF];
	uint8_t pkt[SLIP_MTU];
	uint8_t tx[SLIP_WRAP_MAX(SLIP_MTU)];
};

static const char *const slip_keys[] = { "gate", "path", "fd", "mac",
					 "peermac", NULL };
static const uint8_t slip_default_mac[ETH_ALEN_] = {
	0x02, 0x53, 0x4c, 0x49, 0x50, 0x00
};
static const uint8_t slip_bcast[ETH_ALEN_] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* ---- neighbours: IPv4 address -> MAC of the LAN host using it ---------- */

static void slip_learn(struct tp_slip *s, const uint8_t *ip,
		       const uint8_t *mac)
{
	struct slip_neigh *n;
	uint32_t a;
	unsigned int i;

	memcpy(&a, ip, 4);
	if (!a || a == s->peer_ip || mac_is_multicast(mac))
		return;
	for (i = 0; i < SLIP_NEIGH; i++)
		if (s->neigh[i].ip == a)
			break;
	if (i == SLIP_NEIGH) {
		i = s->neigh_next;
		s->neigh_next = (s->neigh_next + 1) % SLIP_NEIGH;
	}
	n = &s->neigh[i];
	n->ip = a;
	memcpy(n->mac, mac, ETH_ALEN_);
}

static const uint8_t *slip_lookup(const struct tp_slip *s, const uint8_t *ip)
{
	unsigned int i;
	uint32_t a;

	memcpy(&a, ip, 4);
	for (i = 0; i < SLIP_NEIGH; i++)
		if (s->neigh[i].ip && s->neigh[i].ip == a)
			return s->neigh[i].mac;
	return slip_bcast;
}

/* ---- line and event plumbing --------------------------------------------- */

static void slip_arm_out(struct tp_slip *s, int on)
{
	struct epoll_event e = { .events = EPOLLIN | (on ? EPOLLOUT : 0) };

	if (s->want_out == on)
		return;
	e.data.fd = s->line;
	if (!epoll_ctl(s->tp.fd, EPOLL_CTL_MOD, s->line, &e))
		s->want_out = on;
}

/* Write what is encoded; 0 when all of it went (or would block), -errno. */
static int slip_flush(struct tp_slip *s)
{
	ssize_t r;

	while (s->txoff < s->txlen) {
		r = write(s->line, s->tx + s->txoff, s->txlen - s->txoff);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		s->txoff += (size_t)r;
	}
	if (s->txoff == s->txlen)
		s->txoff = s->txlen = 0;
	slip_arm_out(s, s->txlen != 0);
	return 0;
}

/* ---- receive: SLIP -> Ethernet ------------------------------------------- */

/* Turn the decoded packet into f; 0 if it is not IP and is dropped. */
static int slip_to_eth(const struct tp_slip *s, struct tp_frame *f,
		       size_t len)
{
	uint8_t hdr[ETH_HLEN_];
	const uint8_t *dst = slip_bcast;
	uint16_t type;

	if (len > sizeof(s->pkt))	/* beyond any IP packet: garbage */
		return 0;
	switch (s->pkt[0] >> 4) {
	case 4:
		type = ETH_TYPE_IPV4;
		if (len >= 20)
			dst = slip_lookup(s, s->pkt + 16);
		break;
	case 6:
		type = ETH_TYPE_IPV6;
		break;
	default:
		return 0;
	}
	memcpy(hdr, dst, ETH_ALEN_);
	memcpy(hdr + ETH_ALEN_, s->peer_mac, ETH_ALEN_);
	frame_put16(hdr + 12, type);
	tp_frame_write(f, 0, hdr, ETH_HLEN_);
	tp_frame_write(f, ETH_HLEN_, s->pkt, len);
	f->len = ETH_HLEN_ + len;
	return 1;
}

static int slip_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_slip *s = (struct tp_slip *)tp;
	unsigned int i = 0;
	uint64_t cnt;
	size_t pkt;
	ssize_t r;
	int ret;

	if (s->txlen && (ret = slip_flush(s)))
		return ret;
	if (read(s->ev, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return -errno;
	for (; i < n && s->arp_n; i++) {
		tp_frame_store(&f[i], s->arpq[s->arp_head], SLIP_ARP_LEN);
		s->arp_head = (s->arp_head + 1) % SLIP_ARPQ;
		s->arp_n--;
	}
	while (i < n) {
		if (s->rpos == s->rlen) {
			r = read(s->line, s->rbuf, sizeof(s->rbuf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r <= 0)	/* EOF or hang-up: the peer is gone */
				return i ? (int)i : r < 0 ? -errno : -EPIPE;
			s->rpos = 0;
			s->rlen = (size_t)r;
		}
		s->rpos += slip_rx_feed(&s->rx, s->rbuf + s->rpos,
					s->rlen - s->rpos, &pkt);
		if (pkt && slip_to_eth(s, &f[i], pkt))
			i++;
	}
	/* bytes read but not decoded yet, or ARP replies beyond this batch:
	 * no event will say so */
	tp->pending = s->rpos < s->rlen || s->arp_n;
	return (int)i;
}

/* ---- send: Ethernet -> SLIP ---------------------------------------------- */

static void slip_arp(struct tp_slip *s, const uint8_t *fr, size_t len)
{
	const uint8_t *a = fr + ETH_HLEN_;
	uint8_t *r;
	uint64_t one = 1;

	if (len < SLIP_ARP_LEN || frame_get16(a) != 1 || frame_get16(a + 2) != ETH_TYPE_IPV4 ||
	    a[4] != 6 || a[5] != 4)
		return;
	slip_learn(s, a + 14, a + 8);
	if (frame_get16(a + 6) != 1 || !s->peer_ip || memcmp(a + 24, &s->peer_ip, 4))
		return;
	if (s->arp_n == SLIP_ARPQ)	/* the LAN will ask again */
		return;
	r = s->arpq[(s->arp_head + s->arp_n) % SLIP_ARPQ];
	memcpy(r, a + 8, ETH_ALEN_);			/* to the asker */
	memcpy(r + 6, s->peer_mac, ETH_ALEN_);
	frame_put16(r + 12, ETH_TYPE_ARP);
	memcpy(r + 14, a, 6);				/* htype..plen */
	frame_put16(r + 20, 2);				/* reply */
	memcpy(r + 22, s->peer_mac, ETH_ALEN_);		/* sha */
	memcpy(r + 28, &s->peer_ip, 4);			/* spa */
	memcpy(r + 32, a + 8, 10);			/* tha, tpa */
	s->arp_n++;
	if (write(s->ev, &one, sizeof(one)) < 0) {
		/* cannot fail short of overflow; the reply still waits */
	}
}

/* Encode the IPv4 packet of @fr if it is for the peer.  0 = consumed
 * (encoded or dropped), -ENOSPC = no room until the line drains. */
static int slip_ipv4(struct tp_slip *s, const uint8_t *fr, size_t len)
{
	const uint8_t *ip = fr + ETH_HLEN_;
	size_t plen = len - ETH_HLEN_, tot, w;

	if (plen < 20 || ip[0] >> 4 != 4)
		return 0;
	slip_learn(s, ip + 12, frame_src(fr));
	if (!mac_equal(frame_dst(fr), s->peer_mac))
		return 0;
	tot = frame_get16(ip + 2);
	if (tot >= 20 && tot < plen)	/* Ethernet padding */
		plen = tot;
	if (SLIP_WRAP_MAX(plen) > sizeof(s->tx) - s->txlen)
		return s->txlen ? -ENOSPC : 0;
	w = slip_wrap(ip, plen, s->tx + s->txlen, sizeof(s->tx) - s->txlen);
	s->txlen += w;
	return 0;
}

static int slip_send(struct tp *tp, const struct tp_frame *f, unsigned int n)
{
	struct tp_slip *s = (struct tp_slip *)tp;
	unsigned int i;
	int ret;

	if (s->txlen && (ret = slip_flush(s)))
		return ret;
	for (i = 0; i < n; i++) {
		if (f[i].len < ETH_HLEN_)
			continue;
		switch (frame_get16(f[i].buf + 12)) {
		case ETH_TYPE_ARP:
			slip_arp(s, f[i].buf, f[i].len);
			break;
		case ETH_TYPE_IPV4:
			/* -ENOSPC: the line is behind by a full buffer;
			 * drop, as a serial line would (see the top) */
			slip_ipv4(s, f[i].buf, f[i].len);
			break;
		default:
			break;
		}
	}
	ret = slip_flush(s);
	if (ret)
		return i ? (int)i : ret;
	return (int)i;
}

/* ---- open/close ---------------------------------------------------------- */

static void slip_close(struct tp *tp)
{
	struct tp_slip *s = (struct tp_slip *)tp;

	if (tp->fd >= 0)
		close(tp->fd);
	if (s->line >= 0)
		close(s->line);
	if (s->ev >= 0)
		close(s->ev);
	tp->fd = s->line = s->ev = -1;
}

static int slip_fdnum(const char *str, int *fd)
{
	char *end;
	long v;

	if (*str < '0' || *str > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(str, &end, 10);
	if (errno || *end || v > 1 << 20)
		return -EINVAL;
	*fd = (int)v;
	return 0;
}

/* The line: open @path, or a duplicate of @fdstr; raw if it is a tty. */
static int slip_line(struct tp_slip *s, const char *path, const char *fdstr,
		     char *err, size_t errlen)
{
	struct termios tio;
	int fd, ret;

	if (path) {
		s->line = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (s->line < 0) {
			ret = -errno;
			snprintf(err, errlen, "slip: open '%s': %s", path,
				 strerror(-ret));
			return ret;
		}
	} else {
		if (slip_fdnum(fdstr, &fd)) {
			snprintf(err, errlen, "slip: bad fd '%s'", fdstr);
			return -EINVAL;
		}
		s->line = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (s->line < 0) {
			ret = -errno;
			snprintf(err, errlen, "slip: fd %d: %s", fd,
				 strerror(-ret));
			return ret;
		}
		ret = fcntl(s->line, F_GETFL);
		if (ret < 0 || fcntl(s->line, F_SETFL, ret | O_NONBLOCK) < 0) {
			ret = -errno;
			snprintf(err, errlen, "slip: fd %d: %s", fd,
				 strerror(-ret));
			return ret;
		}
	}
	if (!tcgetattr(s->line, &tio)) {
		cfmakeraw(&tio);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		if (tcsetattr(s->line, TCSANOW, &tio)) {
			ret = -errno;
			snprintf(err, errlen, "slip: set raw mode: %s",
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int slip_poll_setup(struct tp_slip *s, char *err, size_t errlen)
{
	struct epoll_event e = { .events = EPOLLIN };
	int ret;

	s->ev = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->tp.fd = epoll_create1(EPOLL_CLOEXEC);
	if (s->ev < 0 || s->tp.fd < 0)
		goto fail;
	e.data.fd = s->line;
	if (epoll_ctl(s->tp.fd, EPOLL_CTL_ADD, s->line, &e))
		goto fail;
	e.data.fd = s->ev;
	if (epoll_ctl(s->tp.fd, EPOLL_CTL_ADD, s->ev, &e))
		goto fail;
	return 0;
fail:
	ret = -errno;
	snprintf(err, errlen, "slip: poll set-up: %s", strerror(-ret));
	return ret;
}

static int slip_open(struct tp *tp, const struct tp_spec *sp, char *err,
		     size_t errlen)
{
	struct tp_slip *s = (struct tp_slip *)tp;
	const char *gate = tp_spec_get(sp, "gate");
	const char *path = tp_spec_get(sp, "path");
	const char *fd = tp_spec_get(sp, "fd");
	const char *mac = tp_spec_get(sp, "peermac");
	struct in_addr a;
	int ret;

	s->line = s->ev = -1;
	memcpy(s->peer_mac, slip_default_mac, ETH_ALEN_);
	if (gate) {
		if (inet_pton(AF_INET, gate, &a) != 1 || !a.s_addr) {
			snprintf(err, errlen, "slip: bad gateway address '%s'",
				 gate);
			return -EINVAL;
		}
		s->peer_ip = a.s_addr;
	}
	if (mac && (mac_parse(mac, s->peer_mac) ||
		    mac_is_multicast(s->peer_mac) || mac_is_zero(s->peer_mac))) {
		snprintf(err, errlen, "slip: bad peer MAC address '%s'", mac);
		return -EINVAL;
	}
	if (!path == !fd) {
		snprintf(err, errlen, path ? "slip: give path= or fd=, not both" :
			 "slip: missing line: give path=TTY or fd=N");
		return -EINVAL;
	}
	slip_rx_init(&s->rx, s->pkt, sizeof(s->pkt));
	ret = slip_line(s, path, fd, err, errlen);
	if (!ret)
		ret = slip_poll_setup(s, err, errlen);
	if (ret)
		slip_close(tp);
	return ret;
}

const struct tp_ops tp_slip_ops = {
	.name = "slip",
	.keys = slip_keys,
	.size = sizeof(struct tp_slip),
	.open = slip_open,
	.recv = slip_recv,
	.send = slip_send,
	.close = slip_close,
};
