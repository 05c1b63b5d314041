// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * link.c: the guest side of uml_slirp.
 *
 * Ethernet mode: one frame per message on the --fd socket, received in
 * batches (recvmmsg) and handed to slirp_input; frames from slirp queue in a
 * ring sized at start-up and leave with sendmmsg once per loop round.
 *
 * Legacy mode (UML's slirp transport, spec 6): a SLIP byte stream, IPv4
 * only.  Decoded packets get an Ethernet header from a fake guest MAC
 * (decoded in place after 14 bytes of headroom, so nothing is copied).
 * From slirp: IPv4 frames lose their header and are SLIP-encoded into an
 * output buffer; ARP requests (slirp resolving the guest) are answered
 * locally with the fake MAC, injected after slirp's callback returns;
 * anything else (IPv6, ...) is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <libslirp.h>

#include "frame.h"
#include "log.h"
#include "uml_slirp.h"

#define ETH_HDR		14
#define ARP_LEN		28
#define TX_SLOTS	512
#define OBUF_SIZE	(512 * 1024)

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

static void link_eth(struct us *u, uint8_t *h, uint16_t type)
{
	link_mac(h, 0x52, 0x55, u->cfg->host);
	memcpy(h + 6, u->guest_mac, 6);
	frame_put16(h + 12, type);
}

/*
 * --bess: a SOCK_SEQPACKET listener for one UML vector client.  A stale
 * socket file (nobody accepting) is replaced; a live one is an error.
 */
static int link_listen(struct us *u, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = u->cfg->bess;
	struct stat st;
	int fd, ret;

	u->in_fd = u->out_fd = -1;
	strcpy(sa.sun_path, path);	/* length checked by the parser */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		snprintf(err, errlen, "--bess %s: in use by a running server",
			 path);
		return -EADDRINUSE;
	}
	/* only a socket nobody listens on is stale; a file of another kind
	 * stays, and bind() below says so */
	if (errno == ECONNREFUSED && !lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
	close(fd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 1))
		goto fail;
	u->listen_fd = fd;
	return 0;
fail:
	ret = -errno;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "--bess %s: %s", path, strerror(-ret));
	return ret;
}

/**
 * link_accept() - --bess: take the client; the listener goes away (one
 * client per run, as with slirp4netns --target-type=bess).
 *
 * Return: 0, or -errno (-EAGAIN: nobody after all).
 */
int link_accept(struct us *u)
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
 * link_init() - set up the guest link's fds and buffers from the config.
 *
 * Return: 0 or -errno with @err set.
 */
int link_init(struct us *u, char *err, size_t errlen)
{
	const struct us_cfg *c = u->cfg;
	int type;
	socklen_t tl = sizeof(type);

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
		slirp_input(u->slirp, iov[i].iov_base, (int)len);
	}
	return 1;
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
	return len;
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
			if (errno == EAGAIN || errno == ENOBUFS)
				return u->txcount;
			if (errno == EINTR)
				continue;
			return -1;
		}
		u->txhead = (u->txhead + sent) % u->txcap;
		u->txcount -= sent;
		if ((unsigned int)sent < n)
			return u->txcount;
	}
	u->txhead = 0;
	return 0;
}

/* ---- legacy (SLIP) mode ------------------------------------------------- */

static void link_slip_packet(struct us *u, size_t len)
{
	const uint8_t *ip = u->decbuf + ETH_HDR;

	if (len < 20 || (ip[0] >> 4) != 4 || (ip[0] & 15) < 5 ||
	    frame_get16(ip + 2) > len || frame_get16(ip + 2) < 20) {
		u->drops_proto++;
		debug("dropped a %zu-byte SLIP packet that is not IPv4", len);
		return;
	}
	link_eth(u, u->decbuf, ETH_TYPE_IPV4);
	slirp_input(u->slirp, u->decbuf, (int)(len + ETH_HDR));
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

/* slirp resolves the guest's address: answer for the point-to-point peer */
static void link_arp(struct us *u, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + ETH_HDR;
	struct us_arp *r;
	uint8_t *o;

	if (len < ETH_HDR + ARP_LEN || frame_get16(a) != 1 ||
	    frame_get16(a + 2) != ETH_TYPE_IPV4 || a[4] != 6 || a[5] != 4 ||
	    frame_get16(a + 6) != 1)
		return;
	if (!memcmp(a + 24, &u->cfg->host.s_addr, 4) ||
	    !memcmp(a + 24, &u->cfg->dns.s_addr, 4))
		return;
	if (u->narp == US_ARP_PENDING)
		return;			/* slirp asks again */
	r = &u->arp[u->narp++];
	o = r->frame;
	memcpy(o, f + 6, 6);			/* to the asker */
	memcpy(o + 6, u->guest_mac, 6);
	o[12] = ETH_TYPE_ARP >> 8;
	o[13] = ETH_TYPE_ARP & 0xff;
	o += ETH_HDR;
	memcpy(o, a, 6);			/* htype, ptype, hlen, plen */
	o[6] = 0;
	o[7] = 2;				/* reply */
	memcpy(o + 8, u->guest_mac, 6);		/* sha */
	memcpy(o + 14, a + 24, 4);		/* spa = the asked address */
	memcpy(o + 18, a + 8, 6);		/* tha = asker */
	memcpy(o + 24, a + 14, 4);		/* tpa */
	r->len = ETH_HDR + ARP_LEN;
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

static ssize_t link_queue_slip(struct us *u, const uint8_t *buf, size_t len)
{
	size_t need = SLIP_WRAP_MAX(len - ETH_HDR), n;

	switch (frame_get16(buf + 12)) {
	case ETH_TYPE_ARP:
		link_arp(u, buf, len);
		return len;
	case ETH_TYPE_IPV4:
		break;
	default:
		return len;		/* the SLIP link is IPv4 only */
	}
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
	if (u->ocap - u->olen < need) {
		u->drops_full++;
		return len;
	}
	n = slip_wrap(buf + ETH_HDR, len - ETH_HDR,
		      u->obuf + u->ohead + u->olen, need);
	u->olen += n;
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
		slirp_input(u->slirp, u->arp[i].frame, (int)u->arp[i].len);
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
	uint8_t f[ETH_HDR + ARP_LEN];
	uint8_t *a = f + ETH_HDR;

	memset(f, 0xff, 6);
	memcpy(f + 6, u->guest_mac, 6);
	f[12] = ETH_TYPE_ARP >> 8;
	f[13] = ETH_TYPE_ARP & 0xff;
	a[0] = 0;
	a[1] = 1;
	a[2] = ETH_TYPE_IPV4 >> 8;
	a[3] = ETH_TYPE_IPV4 & 0xff;
	a[4] = 6;
	a[5] = 4;
	a[6] = 0;
	a[7] = 1;
	memcpy(a + 8, u->guest_mac, 6);
	memcpy(a + 14, &u->cfg->dhcp_start.s_addr, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, &u->cfg->dhcp_start.s_addr, 4);
	slirp_input(u->slirp, f, sizeof(f));
}
