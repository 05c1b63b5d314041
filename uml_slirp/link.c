// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * link.c: the guest side of uml_slirp.
 *
 * Ethernet mode: one frame per message on the --fd socket, received in
 * batches (recvmmsg) and handed to slirp_input.  A frame from slirp of
 * LINK_THROUGH_MIN bytes or more leaves at once when nothing waits before
 * it and the socket has room; shorter ones, and any behind a wait, go into
 * a ring sized at start-up and leave with sendmmsg in batches, at the end
 * of the loop round or on EPOLLOUT.
 *
 * Legacy mode (UML's slirp transport, arch/um/drivers/slirp_*.c): a SLIP byte stream, IPv4
 * only, turned into Ethernet by net/slipeth.c.  Decoded packets get an
 * Ethernet header from a fake guest MAC (decoded in place after 14 bytes
 * of headroom, so nothing is copied).  From slirp: IPv4 frames lose their
 * header and are SLIP-encoded into an output buffer; ARP requests (slirp
 * resolving the guest) are answered with the fake MAC for any address but
 * slirp's own, injected after slirp's callback returns; anything else
 * (IPv6, ...) is dropped.
 *
 * --bess: the listening socket comes from common/sock.c; the one client is
 * accepted before the sandbox closes in (link_wait_client), so the path
 * can still be removed then.  Frames go to libslirp through stack_input()
 * only, so this file has no libslirp in it (the fuzzer builds it alone).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "sandbox.h"
#include "sock.h"
#include "uml_slirp.h"

/* frames in and out; SO_TYPE of the --fd socket at end of file */
SANDBOX_ALLOW(SYS_recvmmsg, SYS_sendmmsg, SYS_read, SYS_write,
	      SYS_getsockopt);

#define ETH_HDR		14
#define TX_SLOTS	512
#define OBUF_SIZE	(512 * 1024)
#define LINK_THROUGH_MIN 512	/* shorter frames (ACKs) wait for the batch */

/* fe:fd:<IPv4> (the UML convention) for the guest; 52:55:<IPv4> for slirp */
static void link_mac(uint8_t *mac, uint8_t a, uint8_t b, struct in_addr ip)
{
	mac[0] = a;
	mac[1] = b;
	memcpy(mac + 2, &ip.s_addr, 4);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) ? -1 : 0;
}

/* --bess: a SOCK_SEQPACKET listener for one UML vector client (a stale
 * socket is replaced; a live one or another kind of file is an error). */
static int link_listen(struct us *u, char *err, size_t errlen)
{
	static const struct sock_perm perm = SOCK_PERM_OWNER;
	int fd;

	u->in_fd = u->out_fd = -1;
	fd = sock_serve(SOCK_SEQPACKET, u->cfg->bess, &perm, "--bess", err,
			errlen);
	if (fd < 0)
		return fd;
	u->listen_fd = fd;
	return 0;
}

/* --bess: take the client; the listener goes away (one client per run,
 * as with slirp4netns --target-type=bess).  0, or -errno (-EAGAIN: nobody
 * after all). */
static int link_accept(struct us *u)
{
	int fd = accept4(u->listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return -errno;
	close(u->listen_fd);
	u->listen_fd = -1;
	unlink(u->cfg->bess);
	u->in_fd = u->out_fd = fd;
	info("vector client connected on %s", u->cfg->bess);
	return 0;
}

/**
 * link_wait_client() - --bess: wait for the client (or a signal).
 * @u:		the helper (u->sigfd set up)
 *
 * On a signal or an error the socket path is removed.
 *
 * Return: 1 when the client is there, 0 on a signal, -errno on an error.
 */
int link_wait_client(struct us *u)
{
	struct pollfd p[2] = { { .fd = u->listen_fd, .events = POLLIN },
			       { .fd = u->sigfd, .events = POLLIN } };
	int ret;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (p[1].revents) {
			debug("signal before the --bess client came: exiting");
			ret = 0;
			break;
		}
		ret = link_accept(u);
		if (!ret)
			return 1;
		if (ret != -EAGAIN && ret != -ECONNABORTED && ret != -EINTR)
			break;
	}
	if (ret)
		err("--bess %s: %s", u->cfg->bess, strerror(-ret));
	close(u->listen_fd);
	u->listen_fd = -1;
	unlink(u->cfg->bess);
	return ret;
}

/**
 * link_init() - set up the guest link's fds and buffers from the config.
 *
 * Return: 0 or -errno with @err set.
 */
int link_init(struct us *u, char *err, size_t errlen)
{
	const struct us_cfg *c = u->cfg;
	int type;
	socklen_t tl = sizeof(type);

	uint8_t slirp_mac[6];

	link_mac(u->guest_mac, 0xfe, 0xfd, c->dhcp_start);
	u->frame_max = ETH_HDR + 4 + c->mtu;	/* room for one VLAN tag */
	u->rx = malloc(US_BATCH * u->frame_max);
	if (!u->rx)
		goto nomem;
	u->listen_fd = -1;
	if (c->mode == US_MODE_ETHER) {
		u->txcap = TX_SLOTS;
		u->txq = malloc(TX_SLOTS * u->frame_max);
		u->txlen = calloc(TX_SLOTS, sizeof(*u->txlen));
		if (!u->txq || !u->txlen)
			goto nomem;
		if (c->bess)
			return link_listen(u, err, errlen);
		if (getsockopt(c->fd, SOL_SOCKET, SO_TYPE, &type, &tl)) {
			snprintf(err, errlen, "--fd %d: %s", c->fd,
				 strerror(errno));
			return -errno;
		}
		if (type != SOCK_SEQPACKET && type != SOCK_DGRAM) {
			snprintf(err, errlen,
				 "--fd %d: not a SOCK_SEQPACKET or SOCK_DGRAM socket",
				 c->fd);
			return -EPROTOTYPE;
		}
		u->in_fd = u->out_fd = c->fd;
	} else {
		struct stat st;

		if (isatty(0) || fstat(0, &st) ||
		    !(S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode))) {
			snprintf(err, errlen,
				 "stdin is not a socket or pipe: uml_slirp is run by UML's slirp transport (eth0=slirp), or with --fd or --bess; see --help");
			return -ENOTSOCK;
		}
		u->in_fd = 0;
		u->out_fd = 1;
		u->decbuf = malloc(u->frame_max);
		u->ocap = OBUF_SIZE;
		u->obuf = malloc(u->ocap);
		if (!u->decbuf || !u->obuf)
			goto nomem;
		/* decode after the headroom that the Ethernet header takes */
		slip_rx_init(&u->dec, u->decbuf + ETH_HDR, c->mtu);
		/* the guest is the SLIP side: anything slirp sends to it goes,
		 * any address slirp asks for but its own is the guest's */
		link_mac(slirp_mac, 0x52, 0x55, c->host);
		slipeth_init(&u->se, u->guest_mac, slirp_mac,
			     SLIPETH_ANY_DST | SLIPETH_ARP_ANY);
		u->se.not_ip[0] = c->host.s_addr;
		u->se.not_ip[1] = c->dns.s_addr;
	}
	/* one open file description, maybe shared by fd 0 and 1: both */
	if (set_nonblock(u->in_fd) || set_nonblock(u->out_fd)) {
		snprintf(err, errlen, "O_NONBLOCK on the guest link: %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

/* ---- Ethernet mode ------------------------------------------------------ */

static void link_drop_big(struct us *u, size_t len)
{
	if (!u->drops_big++)
		warn("dropping frames longer than %zu bytes (first: %zu bytes)",
		     u->frame_max, len);
	else
		debug("dropped a %zu-byte frame (%lu so far)", len,
		      u->drops_big);
}

/*
 * On a hub (or when a switch floods an unknown unicast) we see frames
 * between other stations; libslirp does not look at the destination MAC
 * and would answer them (a TCP reset, a NAT'd copy).  Take broadcasts,
 * multicasts and what is sent to slirp's own addresses: 52:55:<IPv4> for
 * its IPv4 addresses, 52:56:<low 32 bits> for its IPv6 ones.
 */
static int link_for_slirp(const uint8_t *f)
{
	return (f[0] & 1) || (f[0] == 0x52 && (f[1] == 0x55 || f[1] == 0x56));
}

static int link_input_ether(struct us *u)
{
	struct mmsghdr m[US_BATCH];
	struct iovec iov[US_BATCH];
	int i, n;

	memset(m, 0, sizeof(m));
	for (i = 0; i < US_BATCH; i++) {
		iov[i].iov_base = u->rx + i * u->frame_max;
		iov[i].iov_len = u->frame_max;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(u->in_fd, m, US_BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 1;
		if (errno == ECONNRESET || errno == ENOTCONN) {
			debug("guest link closed (%s)", strerror(errno));
			return 0;	/* a datagram peer went away */
		}
		err("guest link: receive: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		size_t len = m[i].msg_len;

		if (len == 0) {		/* SEQPACKET end of file; DGRAM: junk */
			int type;
			socklen_t tl = sizeof(type);

			if (!getsockopt(u->in_fd, SOL_SOCKET, SO_TYPE, &type,
					&tl) && type == SOCK_DGRAM)
				continue;
			debug("guest link closed");
			return 0;
		}
		if (len > u->frame_max || (m[i].msg_hdr.msg_flags & MSG_TRUNC)) {
			link_drop_big(u, len);
			continue;
		}
		if (len < ETH_HDR) {
			u->drops_proto++;
			debug("dropped a runt of %zu bytes", len);
			continue;
		}
		if (!link_for_slirp(iov[i].iov_base)) {
			u->drops_other++;
			continue;
		}
		stack_input(u, iov[i].iov_base, len);
	}
	return 1;
}

static int link_flush_ether(struct us *u)
{
	struct mmsghdr m[US_BATCH];
	struct iovec iov[US_BATCH];
	unsigned int i, n;
	int sent;

	while (u->txcount) {
		n = u->txcount;
		if (n > u->txcap - u->txhead)
			n = u->txcap - u->txhead;	/* up to the wrap */
		if (n > US_BATCH)
			n = US_BATCH;
		memset(m, 0, sizeof(m[0]) * n);
		for (i = 0; i < n; i++) {
			unsigned int slot = u->txhead + i;

			iov[i].iov_base = u->txq + slot * u->frame_max;
			iov[i].iov_len = u->txlen[slot];
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		sent = sendmmsg(u->out_fd, m, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent < 0) {
			if (errno == EAGAIN || errno == ENOBUFS) {
				u->tx_waits++;
				return u->txcount;
			}
			if (errno == EINTR)
				continue;
			return -1;
		}
		u->txhead = (u->txhead + sent) % u->txcap;
		u->txcount -= sent;
		if ((unsigned int)sent < n) {
			u->tx_waits++;
			return u->txcount;
		}
	}
	u->txhead = 0;
	return 0;
}

static ssize_t link_queue_ether(struct us *u, const uint8_t *buf, size_t len)
{
	unsigned int slot;

	if (len > u->frame_max) {
		link_drop_big(u, len);
		return len;
	}
	if (u->txcount == u->txcap)
		link_flush(u);
	if (u->txcount == u->txcap) {
		u->drops_full++;	/* TCP in slirp retransmits */
		return len;
	}
	slot = (u->txhead + u->txcount) % u->txcap;
	memcpy(u->txq + slot * u->frame_max, buf, len);
	u->txlen[slot] = len;
	u->txcount++;
	/*
	 * Write-through while the link keeps up: the frame leaves now, as
	 * libslirp makes it, so the guest can acknowledge the first part of
	 * a window while the rest is on its way.  Held back for one batch at
	 * the end of the round, a whole window reaches the guest in one NAPI
	 * poll and gets a single ACK (see README, NAT).  Once a send finds
	 * no room, frames wait in the ring and leave in batches on EPOLLOUT.
	 */
	if (u->txcount == 1 && u->out_fd >= 0 && len >= LINK_THROUGH_MIN)
		link_flush_ether(u);	/* an error shows in the loop's flush */
	return len;
}

/* ---- legacy (SLIP) mode ------------------------------------------------- */

static void link_slip_packet(struct us *u, size_t len)
{
	if (!slipeth_to_eth(&u->se, u->decbuf, u->decbuf + ETH_HDR, len)) {
		u->drops_proto++;
		debug("dropped a %zu-byte SLIP packet that is not IPv4", len);
		return;
	}
	stack_input(u, u->decbuf, len + ETH_HDR);
}

static int link_input_slip(struct us *u)
{
	size_t cap = US_BATCH * u->frame_max, off = 0, used, len;
	unsigned long dropped = u->slip_dropped;
	ssize_t n;

	n = read(u->in_fd, u->rx, cap);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 1;
		err("SLIP link: read: %s", strerror(errno));
		return -errno;
	}
	if (n == 0) {
		debug("EOF on stdin");
		return 0;
	}
	while (off < (size_t)n) {
		used = slip_rx_feed(&u->dec, u->rx + off, n - off, &len);
		off += used;
		if (len > u->dec.cap)	/* longer than the MTU: whole drop */
			u->slip_dropped++;
		else if (len)
			link_slip_packet(u, len);
	}
	if (u->slip_dropped != dropped) {
		if (!dropped)
			warn("SLIP: dropped a malformed or over-long (> %u bytes) packet",
			     u->cfg->mtu);
		debug("SLIP: %lu malformed packets so far", u->slip_dropped);
	}
	return 1;
}

/* slirp resolves the guest's address: answered after its callback */
static void link_arp(struct us *u, const uint8_t *reply)
{
	if (u->narp == US_ARP_PENDING)
		return;			/* slirp asks again */
	memcpy(u->arp[u->narp++].frame, reply, SLIPETH_ARP_LEN);
}

static int link_flush_slip(struct us *u)
{
	ssize_t n;

	while (u->olen) {
		n = write(u->out_fd, u->obuf + u->ohead, u->olen);
		if (n < 0) {
			if (errno == EAGAIN)
				return 1;
			if (errno == EINTR)
				continue;
			return -1;
		}
		u->ohead += n;
		u->olen -= n;
	}
	u->ohead = 0;
	return 0;
}

/* Make room for @need more bytes of output; 0 if there is none. */
static int link_obuf_room(struct us *u, size_t need)
{
	if (u->ocap - u->ohead - u->olen < need && u->ohead) {
		memmove(u->obuf, u->obuf + u->ohead, u->olen);
		u->ohead = 0;
	}
	if (u->ocap - u->olen < need) {
		link_flush_slip(u);
		if (u->ohead) {
			memmove(u->obuf, u->obuf + u->ohead, u->olen);
			u->ohead = 0;
		}
	}
	return u->ocap - u->olen >= need;
}

static ssize_t link_queue_slip(struct us *u, const uint8_t *buf, size_t len)
{
	uint8_t reply[SLIPETH_ARP_LEN];
	const uint8_t *ip;
	size_t plen;

	switch (slipeth_to_line(&u->se, buf, len, &ip, &plen, reply)) {
	case SLIPETH_REPLY:
		link_arp(u, reply);
		return len;
	case SLIPETH_SEND:
		break;
	default:
		return len;		/* the SLIP link is IPv4 only */
	}
	if (plen > u->cfg->mtu) {	/* the guest would drop it too */
		if (!u->drops_big++)
			warn("SLIP: dropping packets longer than the MTU, %u bytes (first: %zu)",
			     u->cfg->mtu, plen);
		return len;
	}
	if (!link_obuf_room(u, SLIP_WRAP_MAX(plen))) {
		u->drops_full++;
		return len;
	}
	u->olen += slip_wrap(ip, plen, u->obuf + u->ohead + u->olen,
			     SLIP_WRAP_MAX(plen));
	return len;
}

/* ---- both ----------------------------------------------------------------- */

/**
 * link_input() - read what the guest sent and give it to slirp.
 *
 * Return: 1 to go on, 0 at end of file, -errno on a read error.
 */
int link_input(struct us *u)
{
	if (u->cfg->mode == US_MODE_ETHER)
		return link_input_ether(u);
	return link_input_slip(u);
}

/**
 * link_from_slirp() - slirp's send_packet: queue one frame for the guest.
 *
 * Return: @len (a frame that cannot be queued is dropped and counted).
 */
ssize_t link_from_slirp(struct us *u, const uint8_t *buf, size_t len)
{
	if (len < ETH_HDR)
		return len;
	if (u->cfg->mode == US_MODE_ETHER)
		return link_queue_ether(u, buf, len);
	return link_queue_slip(u, buf, len);
}

/**
 * link_inject() - give slirp the ARP answers queued by link_arp().
 *
 * Return: how many.
 */
int link_inject(struct us *u)
{
	unsigned int i, n = u->narp;

	u->narp = 0;
	for (i = 0; i < n; i++)
		stack_input(u, u->arp[i].frame, SLIPETH_ARP_LEN);
	return n;
}

/**
 * link_flush() - write queued output to the guest.
 *
 * Return: 0 when all is out, > 0 when some must wait for EPOLLOUT, -1 on a
 * write error (errno set).
 */
int link_flush(struct us *u)
{
	if (u->out_fd < 0) {		/* --bess, nobody yet */
		u->txcount = u->txhead = 0;
		return 0;
	}
	if (u->cfg->mode == US_MODE_ETHER)
		return link_flush_ether(u);
	return link_flush_slip(u);
}

/**
 * link_seed() - legacy mode: tell slirp the fake guest MAC for the first
 * guest address with a gratuitous ARP, so that the first packets towards
 * the guest need not wait for resolution.
 */
void link_seed(struct us *u)
{
	uint8_t f[SLIPETH_ARP_LEN];

	slipeth_announce(&u->se, u->cfg->dhcp_start.s_addr, f);
	stack_input(u, f, sizeof(f));
}
