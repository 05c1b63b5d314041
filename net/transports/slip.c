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
 * Theory of operation.  SLIP carries bare IP packets; net/slipeth.c
 * turns them into Ethernet and back:
 *  - recv decodes a packet and prepends an Ethernet header: src = the
 *    peer's MAC, type 0x0800/0x86dd by the IP version nibble, dst = the MAC
 *    last seen sending from the packet's destination IPv4 address (learned
 *    from the frames we were given; broadcast while unknown, and for IPv6).
 *    What is not an IP packet is dropped.
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
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "slip.h"
#include "slipeth.h"
#include "transport.h"

#define SLIP_MTU	65535	/* largest IP packet */
#define SLIP_ARPQ	4
#define SLIP_RBUF	4096

struct tp_slip {
	struct tp tp;		/* tp.fd: epoll over line and ev */
	int line;
	int ev;			/* eventfd: an ARP reply is queued */
	int want_out;		/* EPOLLOUT armed on the line */
	struct slipeth se;	/* peer_ip: GATE (0 = no ARP answers) */
	uint8_t arpq[SLIP_ARPQ][SLIPETH_ARP_LEN];
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

	if (len > sizeof(s->pkt))	/* beyond any IP packet: garbage */
		return 0;
	if (!slipeth_to_eth(&s->se, hdr, s->pkt, len))
		return 0;
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
		tp_frame_store(&f[i], s->arpq[s->arp_head], SLIPETH_ARP_LEN);
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

/* Queue @reply (an ARP answer) for the next recv, and wake the poller. */
static void slip_queue_arp(struct tp_slip *s, const uint8_t *reply)
{
	uint64_t one = 1;

	if (s->arp_n == SLIP_ARPQ)	/* the LAN will ask again */
		return;
	memcpy(s->arpq[(s->arp_head + s->arp_n) % SLIP_ARPQ], reply,
	       SLIPETH_ARP_LEN);
	s->arp_n++;
	if (write(s->ev, &one, sizeof(one)) < 0) {
		/* cannot fail short of overflow; the reply still waits */
	}
}

/* Encode one frame's packet for the line, or answer it.  -ENOSPC: no room
 * until the line drains (the frame is dropped, as a serial line would). */
static int slip_frame(struct tp_slip *s, const uint8_t *fr, size_t len)
{
	uint8_t reply[SLIPETH_ARP_LEN];
	const uint8_t *ip;
	size_t plen, w;

	switch (slipeth_to_line(&s->se, fr, len, &ip, &plen, reply)) {
	case SLIPETH_REPLY:
		slip_queue_arp(s, reply);
		return 0;
	case SLIPETH_SEND:
		break;
	default:
		return 0;
	}
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
	/* -ENOSPC: the line is behind by a full buffer; drop (see the top) */
	for (i = 0; i < n; i++)
		slip_frame(s, f[i].buf, f[i].len);
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
	uint8_t peer_mac[ETH_ALEN_];
	struct in_addr a = { 0 };
	int ret;

	s->line = s->ev = -1;
	memcpy(peer_mac, slip_default_mac, ETH_ALEN_);
	if (gate) {
		if (inet_pton(AF_INET, gate, &a) != 1 || !a.s_addr) {
			snprintf(err, errlen, "slip: bad gateway address '%s'",
				 gate);
			return -EINVAL;
		}
	}
	if (mac && (mac_parse(mac, peer_mac) ||
		    mac_is_multicast(peer_mac) || mac_is_zero(peer_mac))) {
		snprintf(err, errlen, "slip: bad peer MAC address '%s'", mac);
		return -EINVAL;
	}
	if (!path == !fd) {
		snprintf(err, errlen, path ? "slip: give path= or fd=, not both" :
			 "slip: missing line: give path=TTY or fd=N");
		return -EINVAL;
	}
	slipeth_init(&s->se, peer_mac, NULL, SLIPETH_IPV6 | SLIPETH_LEARN);
	s->se.peer_ip = a.s_addr;
	slip_rx_init(&s->rx, s->pkt, sizeof(s->pkt));
	ret = slip_line(s, path, fd, err, errlen);
	if (!ret)
		ret = slip_poll_setup(s, err, errlen);
	if (ret)
		slip_close(tp);
	return ret;
}

static const int tp_slip_syscalls[] = {
	SYS_read, SYS_write, SYS_epoll_ctl, SYS_close, -1
};

const struct tp_ops tp_slip_ops = {
	.name = "slip",
	.keys = slip_keys,
	.size = sizeof(struct tp_slip),
	.open = slip_open,
	.recv = slip_recv,
	.send = slip_send,
	.close = slip_close,
	.syscalls = tp_slip_syscalls,
};
