// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_slirp_link.c: libFuzzer target for uml_slirp's guest link
 * (uml_slirp/link.c, built here without libslirp: stack_input() below
 * stands for it).  The first byte picks the mode:
 *  - Ethernet (--fd on a SOCK_SEQPACKET pair): the rest is cut into
 *    messages by the following bytes and read with link_input(); every
 *    frame handed on must fit the buffers and be for slirp;
 *  - legacy SLIP (fds 0 and 1 a stream pair, as the kernel gives them):
 *    the rest is line bytes for link_input(), each packet handed on must
 *    be an IPv4 packet with the Ethernet header of the SLIP guest;
 * and in both, the input as a frame from slirp (link_from_slirp(): in
 * legacy mode ARP requests are answered through link_inject() with
 * well-formed replies, IPv4 is SLIP-encoded; what is written must decode
 * to packets no longer than the MTU).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../uml_slirp/link.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct us_cfg cfg[2];
static struct us link_us[2];	/* [0] Ethernet, [1] legacy */
static int peer[2] = { -1, -1 };
static struct us *cur;
static unsigned long handed;

/* libslirp's side of the link: check what the link hands over. */
void stack_input(struct us *u, const uint8_t *f, size_t len)
{
	uint8_t slirp_mac[6];

	if (!len || len > u->frame_max || len < 14)
		__builtin_trap();
	handed++;
	if (u->cfg->mode == US_MODE_ETHER) {
		if (!link_for_slirp(f))
			__builtin_trap();
		return;
	}
	link_mac(slirp_mac, 0x52, 0x55, u->cfg->host);
	switch (frame_get16(f + 12)) {
	case ETH_TYPE_IPV4:	/* from the guest: its MAC, to slirp */
		if (memcmp(f + 6, u->guest_mac, 6) || memcmp(f, slirp_mac, 6) ||
		    !slipeth_ip_ok(&u->se, f + 14, len - 14) ||
		    len - 14 > u->cfg->mtu)
			__builtin_trap();
		break;
	case ETH_TYPE_ARP:	/* our answers and the announcement */
		if (len != SLIPETH_ARP_LEN || memcmp(f + 6, u->guest_mac, 6) ||
		    memcmp(f + 22, u->guest_mac, 6))
			__builtin_trap();
		break;
	default:
		__builtin_trap();
	}
}

static void fuzz_cfg(struct us_cfg *c, enum us_mode mode)
{
	memset(c, 0, sizeof(*c));
	c->mode = mode;
	c->fd = c->ready_fd = -1;
	c->mtu = 1500;
	c->ipv4 = 1;
	c->ipv6 = mode == US_MODE_ETHER;
	memcpy(&c->net, "\x0a\x00\x02\x00", 4);
	memcpy(&c->mask, "\xff\xff\xff\x00", 4);
	memcpy(&c->host, "\x0a\x00\x02\x02", 4);
	memcpy(&c->dns, "\x0a\x00\x02\x03", 4);
	memcpy(&c->dhcp_start, "\x0a\x00\x02\x0f", 4);
}

static void fuzz_setup(void)
{
	char err[256];
	int sv[2];

	log_init("fuzz_slirp_link", LOG_LVL_ERR, 0);
	/* Ethernet mode */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		__builtin_trap();
	fuzz_cfg(&cfg[0], US_MODE_ETHER);
	cfg[0].fd = sv[0];
	link_us[0].cfg = &cfg[0];
	if (link_init(&link_us[0], err, sizeof(err)))
		__builtin_trap();
	peer[0] = sv[1];
	/* legacy: the link is fds 0 and 1 */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || dup2(sv[0], 0) < 0 ||
	    dup2(sv[0], 1) < 0)
		__builtin_trap();
	close(sv[0]);
	fuzz_cfg(&cfg[1], US_MODE_LEGACY);
	link_us[1].cfg = &cfg[1];
	if (link_init(&link_us[1], err, sizeof(err)))
		__builtin_trap();
	peer[1] = sv[1];
	link_seed(&link_us[1]);
}

/* Read what the link wrote to the peer; legacy: decode and check. */
static void fuzz_drain(int legacy)
{
	static uint8_t buf[65536], pkt[2048];
	static struct slip_rx rx;
	static int rx_ready;
	size_t off, len;
	ssize_t n;

	if (!rx_ready) {
		slip_rx_init(&rx, pkt, sizeof(pkt));
		rx_ready = 1;
	}
	while ((n = recv(peer[legacy], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if (!legacy) {
			if ((size_t)n > link_us[0].frame_max || n < 14)
				__builtin_trap();
			continue;
		}
		for (off = 0; off < (size_t)n;) {
			off += slip_rx_feed(&rx, buf + off, (size_t)n - off, &len);
			if (len && (len > cfg[1].mtu || (pkt[0] >> 4) != 4))
				__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int legacy, i;
	size_t off, chunk;

	if (peer[0] < 0)
		fuzz_setup();
	if (size < 1)
		return 0;
	legacy = data[0] & 1;
	cur = &link_us[legacy];
	data++;
	size--;
	if (legacy) {
		if (send(peer[1], data, size, MSG_DONTWAIT) < 0)
			return 0;
		link_input(cur);	/* one read takes up to 48 KiB */
	} else {
		/* messages: a length byte (x 8) then that many bytes */
		for (off = 0; off < size; off += chunk) {
			chunk = 1 + (size_t)data[off] * 8;
			if (chunk > size - off)
				chunk = size - off;
			if (send(peer[0], data + off, chunk, MSG_DONTWAIT) < 0)
				break;
		}
		for (i = 0; i < 130; i++)	/* 32 messages a read */
			link_input(cur);
	}
	link_from_slirp(cur, data, size);
	link_inject(cur);
	link_flush(cur);
	fuzz_drain(legacy);
	return 0;
}
