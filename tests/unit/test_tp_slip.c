// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tp_slip.c: the SLIP codec (net/slip.c), SLIP as Ethernet
 * (net/slipeth.c: both the transport's rules and uml_slirp's) and the slip
 * transport over a socketpair: decode to Ethernet, ARP answered for the
 * gate, IPv4 stripped and encoded, padding trimmed, other frames dropped.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "slip.h"
#include "slipeth.h"
#include "transport.h"
#include "test.h"

static void test_codec(void)
{
	const uint8_t in[] = { 0x45, 0xc0, 0x01, 0xdb, 0xdc, 0xdd, 0xc0 };
	const uint8_t want[] = { 0xc0, 0x45, 0xdb, 0xdc, 0x01, 0xdb, 0xdd,
				 0xdc, 0xdd, 0xdb, 0xdc, 0xc0 };
	uint8_t enc[64], dec[64], small[4];
	struct slip_rx rx;
	size_t n, used, pkt, i;

	n = slip_wrap(in, sizeof(in), enc, sizeof(enc));
	CHECK(n == sizeof(want) && !memcmp(enc, want, n));
	CHECK(slip_wrap(in, sizeof(in), enc, n - 1) == 0);	/* no room */
	CHECK(slip_wrap(in, sizeof(in), enc, n) == n);		/* exact fit */
	CHECK(slip_wrap(in, 0, enc, 2) == 2 && enc[0] == 0xc0 && enc[1] == 0xc0);
	CHECK(slip_wrap(in, 0, enc, 1) == 0);
	n = slip_wrap(in, sizeof(in), enc, sizeof(enc));

	/* whole buffer at once */
	slip_rx_init(&rx, dec, sizeof(dec));
	used = slip_rx_feed(&rx, enc, n, &pkt);
	CHECK(used == n && pkt == sizeof(in) && !memcmp(dec, in, pkt));

	/* one byte at a time, with empty packets (END END) around */
	slip_rx_init(&rx, dec, sizeof(dec));
	CHECK(slip_rx_feed(&rx, (const uint8_t *)"\xc0\xc0", 2, &pkt) == 2 &&
	      pkt == 0);
	for (i = 0; i < n; i++) {
		used = slip_rx_feed(&rx, enc + i, 1, &pkt);
		CHECK(used == 1);
		if (i + 1 < n)
			CHECK(pkt == 0);
	}
	CHECK(pkt == sizeof(in) && !memcmp(dec, in, pkt));

	/* two packets in one chunk: the feed stops after the first */
	memcpy(enc + n, enc, n);
	slip_rx_init(&rx, dec, sizeof(dec));
	used = slip_rx_feed(&rx, enc, 2 * n, &pkt);
	CHECK(used == n && pkt == sizeof(in));
	used = slip_rx_feed(&rx, enc + n, n, &pkt);
	CHECK(used == n && pkt == sizeof(in) && !memcmp(dec, in, pkt));

	/* oversized: reported with the real length, only cap bytes kept */
	slip_rx_init(&rx, small, sizeof(small));
	used = slip_rx_feed(&rx, (const uint8_t *)"abcdefg\xc0", 8, &pkt);
	CHECK(used == 8 && pkt == 7 && !memcmp(small, "abcd", 4));

	/* ESC + other byte: kept literally; DC/DD alone are literal */
	slip_rx_init(&rx, dec, sizeof(dec));
	used = slip_rx_feed(&rx, (const uint8_t *)"\xdb\x41\xdc\xdd\xc0", 5, &pkt);
	CHECK(pkt == 3 && dec[0] == 0x41 && dec[1] == 0xdc && dec[2] == 0xdd);
}

static const uint8_t lan_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x53, 0x4c, 0x49, 0x50, 0x00 };

/* An ARP request from 10.0.0.1 (lan_mac) for @who. */
static void arp_req(uint8_t *f, const uint8_t *who)
{
	static const uint8_t head[] = { 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1 };

	memset(f, 0xff, 6);
	memcpy(f + 6, lan_mac, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, lan_mac, 6);
	memcpy(f + 28, "\x0a\x00\x00\x01", 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, who, 4);
}

/* An Ethernet frame to @dst carrying a 28-byte IPv4 packet 10.0.0.1 ->
 * 10.0.0.2 containing C0 and DB, padded to 60 bytes. */
static size_t ip_frame(uint8_t *f, const uint8_t *dst)
{
	memset(f, 0, 60);
	memcpy(f, dst, 6);
	memcpy(f + 6, lan_mac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 28;
	memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	f[34] = 0xc0;
	f[35] = 0xdb;
	return 60;
}

/* net/slipeth.c alone: the transport's configuration, then uml_slirp's */
static void test_slipeth(void)
{
	static const uint8_t slirp_mac[6] = { 0x52, 0x55, 10, 0, 2, 2 };
	uint8_t f[128], hdr[14], reply[SLIPETH_ARP_LEN], pkt[64];
	const uint8_t *ip;
	struct slipeth se;
	size_t plen;

	slipeth_init(&se, peer_mac, NULL, SLIPETH_IPV6 | SLIPETH_LEARN);
	memcpy(&se.peer_ip, "\x0a\x00\x00\x02", 4);
	/* the ARP request teaches 10.0.0.1 = lan_mac and is answered */
	arp_req(f, (const uint8_t *)"\x0a\x00\x00\x02");
	CHECK(slipeth_to_line(&se, f, 42, &ip, &plen, reply) == SLIPETH_REPLY);
	CHECK(!memcmp(reply, lan_mac, 6) && !memcmp(reply + 6, peer_mac, 6) &&
	      reply[21] == 2 && !memcmp(reply + 28, "\x0a\x00\x00\x02", 4) &&
	      !memcmp(reply + 38, "\x0a\x00\x00\x01", 4));
	CHECK(slipeth_to_line(&se, f, 41, &ip, &plen, reply) == SLIPETH_DROP);
	/* an announcement (sender = target) is not a question */
	memcpy(f + 28, "\x0a\x00\x00\x02", 4);
	CHECK(slipeth_to_line(&se, f, 42, &ip, &plen, reply) == SLIPETH_DROP);
	/* a packet from the line to 10.0.0.1 goes to its learned MAC */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[3] = 28;
	memcpy(pkt + 12, "\x0a\x00\x00\x02\x0a\x00\x00\x01", 8);
	CHECK(slipeth_to_eth(&se, hdr, pkt, 28) == 0x0800);
	CHECK(!memcmp(hdr, lan_mac, 6) && !memcmp(hdr + 6, peer_mac, 6));
	/* malformed IPv4: too short, total beyond the packet, IHL < 5 */
	CHECK(slipeth_to_eth(&se, hdr, pkt, 19) == 0);
	CHECK(slipeth_to_eth(&se, hdr, pkt, 27) == 0);
	pkt[0] = 0x44;
	CHECK(slipeth_to_eth(&se, hdr, pkt, 28) == 0);
	/* IPv6 with this flag only, payload inside */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	pkt[5] = 8;
	CHECK(slipeth_to_eth(&se, hdr, pkt, 48) == 0x86dd &&
	      !memcmp(hdr, "\xff\xff\xff\xff\xff\xff", 6));
	CHECK(slipeth_to_eth(&se, hdr, pkt, 47) == 0);
	/* towards the line: padding cut, other MACs and IPv6 dropped */
	CHECK(slipeth_to_line(&se, f, ip_frame(f, peer_mac), &ip, &plen,
			      reply) == SLIPETH_SEND && plen == 28 && ip == f + 14);
	CHECK(slipeth_to_line(&se, f, ip_frame(f, lan_mac), &ip, &plen,
			      reply) == SLIPETH_DROP);
	ip_frame(f, peer_mac);
	f[12] = 0x86;
	f[13] = 0xdd;
	CHECK(slipeth_to_line(&se, f, 60, &ip, &plen, reply) == SLIPETH_DROP);
	CHECK(slipeth_to_line(&se, f, 13, &ip, &plen, reply) == SLIPETH_DROP);

	/* uml_slirp's: IPv4 only, to slirp's MAC, any destination MAC, ARP
	 * for every address but slirp's own */
	slipeth_init(&se, peer_mac, slirp_mac, SLIPETH_ANY_DST | SLIPETH_ARP_ANY);
	memcpy(&se.not_ip[0], "\x0a\x00\x00\x01", 4);
	pkt[0] = 0x60;
	CHECK(slipeth_to_eth(&se, hdr, pkt, 48) == 0);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[3] = 28;
	CHECK(slipeth_to_eth(&se, hdr, pkt, 28) == 0x0800 &&
	      !memcmp(hdr, slirp_mac, 6));
	arp_req(f, (const uint8_t *)"\x0a\x00\x00\x63");
	CHECK(slipeth_to_line(&se, f, 42, &ip, &plen, reply) == SLIPETH_REPLY &&
	      !memcmp(reply + 28, "\x0a\x00\x00\x63", 4));
	arp_req(f, (const uint8_t *)"\x0a\x00\x00\x01");	/* not_ip */
	CHECK(slipeth_to_line(&se, f, 42, &ip, &plen, reply) == SLIPETH_DROP);
	CHECK(slipeth_to_line(&se, f, ip_frame(f, lan_mac), &ip, &plen,
			      reply) == SLIPETH_SEND);
	/* the announcement is a request for itself, from the SLIP side */
	memcpy(&se.peer_ip, "\x0a\x00\x02\x0f", 4);
	slipeth_announce(&se, se.peer_ip, f);
	CHECK(!memcmp(f, "\xff\xff\xff\xff\xff\xff", 6) &&
	      !memcmp(f + 6, peer_mac, 6) && f[12] == 8 && f[13] == 6 &&
	      f[21] == 1 && !memcmp(f + 22, peer_mac, 6) &&
	      !memcmp(f + 28, f + 38, 4) && !memcmp(f + 28, "\x0a\x00\x02\x0f", 4));
}

static int wait_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 1000) == 1;
}

static void test_transport(void)
{
	char spec[64], err[TP_ERR_MAX];
	uint8_t buf[2][2048], line[256], dec[256];
	struct tp_frame f[2] = {
		{ .buf = buf[0], .cap = sizeof(buf[0]) },
		{ .buf = buf[1], .cap = sizeof(buf[1]) },
	};
	struct slip_rx rx;
	struct tp *tp;
	size_t len, pkt;
	ssize_t n;
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	snprintf(spec, sizeof(spec), "slip:gate=10.0.0.2,fd=%d", sv[0]);
	if (tp_open(&tp, spec, err, sizeof(err))) {
		fprintf(stderr, "open %s: %s\n", spec, err);
		CHECK(0);
		return;
	}
	close(sv[0]);	/* the transport has its own copy */

	/* ARP for the gate: answered on the next recv, fd becomes ready */
	arp_req(buf[0], (const uint8_t *)"\x0a\x00\x00\x02");
	f[0].len = 42;
	CHECK(tp_send(tp, f, 1) == 1);
	CHECK(wait_in(tp->fd));
	CHECK(tp_recv(tp, f, 2) == 1);
	CHECK(f[0].len == 42 && !memcmp(buf[0], lan_mac, 6) &&
	      !memcmp(buf[0] + 6, peer_mac, 6) && buf[0][21] == 2 &&
	      !memcmp(buf[0] + 22, peer_mac, 6) &&
	      !memcmp(buf[0] + 28, "\x0a\x00\x00\x02", 4) &&
	      !memcmp(buf[0] + 32, lan_mac, 6));
	CHECK(tp_recv(tp, f, 2) == 0);

	/* ARP for someone else: no answer */
	arp_req(buf[0], (const uint8_t *)"\x0a\x00\x00\x09");
	f[0].len = 42;
	CHECK(tp_send(tp, f, 1) == 1);
	CHECK(tp_recv(tp, f, 2) == 0);

	/* IPv4 to the peer's MAC: stripped, padding trimmed, encoded; one to
	 * another MAC is dropped */
	f[0].len = ip_frame(buf[0], peer_mac);
	f[1].len = ip_frame(buf[1], lan_mac);
	CHECK(tp_send(tp, f, 2) == 2);
	n = read(sv[1], line, sizeof(line));
	CHECK(n == 28 + 2 + 2);
	slip_rx_init(&rx, dec, sizeof(dec));
	CHECK(slip_rx_feed(&rx, line, (size_t)n, &pkt) == (size_t)n);
	CHECK(pkt == 28 && !memcmp(dec, buf[0] + 14, 28));

	/* From the line: an IPv4 packet to 10.0.0.1 goes to its learned MAC */
	memcpy(dec, buf[0] + 14, 28);
	memcpy(dec + 12, "\x0a\x00\x00\x02\x0a\x00\x00\x01", 8);
	len = slip_wrap(dec, 28, line, sizeof(line));
	CHECK(write(sv[1], line, len) == (ssize_t)len);
	/* and an IPv6 header (to broadcast), and a non-IP packet (dropped) */
	memset(dec, 0, 40);
	dec[0] = 0x60;
	len = slip_wrap(dec, 40, line, sizeof(line));
	CHECK(write(sv[1], line, len) == (ssize_t)len);
	CHECK(write(sv[1], "\xc0\x11\x22\xc0", 4) == 4);
	CHECK(wait_in(tp->fd));
	CHECK(tp_recv(tp, f, 2) == 2);
	CHECK(f[0].len == 14 + 28 && !memcmp(buf[0], lan_mac, 6) &&
	      !memcmp(buf[0] + 6, peer_mac, 6) && buf[0][12] == 0x08 &&
	      buf[0][13] == 0x00);
	CHECK(f[1].len == 14 + 40 && !memcmp(buf[1], "\xff\xff\xff\xff\xff\xff", 6) &&
	      buf[1][12] == 0x86 && buf[1][13] == 0xdd);
	CHECK(tp_recv(tp, f, 2) == 0);

	/* the peer hangs up: an error, not 0 */
	close(sv[1]);
	CHECK(tp_recv(tp, f, 2) < 0);
	tp_close(tp);
}

/* A line that fills up: send never blocks (tp.fd is an epoll fd, never
 * writable), so it drops what does not fit; what goes out comes out whole
 * and in order, the pending tail flushed by recv. */
static void test_backpressure(void)
{
	static uint8_t fr[1514], line[65536], dec[2048];
	struct tp_frame f = { .buf = fr, .cap = sizeof(fr) };
	char spec[64], err[TP_ERR_MAX];
	unsigned int taken = 0, got = 0, last = 0, tries;
	int sv[2], small = 4096, ret;
	struct slip_rx rx;
	size_t off, pkt;
	struct tp *tp;
	ssize_t n;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	snprintf(spec, sizeof(spec), "slip:gate=10.0.0.2,fd=%d", sv[0]);
	CHECK(tp_open(&tp, spec, err, sizeof(err)) == 0);
	close(sv[0]);
	slip_rx_init(&rx, dec, sizeof(dec));
	for (tries = 0; tries < 20000; tries++) {
		if (taken < 200) {
			ip_frame(fr, peer_mac);
			fr[17] = 0;		/* total length 1500 */
			fr[16] = 1500 >> 8;
			fr[17] = 1500 & 0xff;
			memset(fr + 34, 0xc0, 1480);
			fr[40] = (uint8_t)taken;
			f.len = 1514;
			ret = tp_send(tp, &f, 1);
			CHECK(ret == 1);
			taken++;
		}
		if (tries % 3)
			continue;
		n = recv(sv[1], line, 1000, MSG_DONTWAIT);
		for (off = 0; n > 0 && off < (size_t)n;) {
			off += slip_rx_feed(&rx, line + off, (size_t)n - off, &pkt);
			if (!pkt)
				continue;
			CHECK(pkt == 1500 && (!got || dec[26] > last));
			last = dec[26];
			got++;
		}
		tp_recv(tp, &f, 1);	/* flushes the pending tail */
	}
	if (got < 20 || got > 200)
		fprintf(stderr, "backpressure: %u of %u came out\n", got, taken);
	CHECK(taken == 200 && got >= 20 && got <= 200);
	tp_close(tp);
	close(sv[1]);
}

static void test_bad_specs(void)
{
	static const struct bad_spec bad[] = {
		{ "slip", "path" },
		{ "slip:gate=10.0.0.300,fd=0", "10.0.0.300" },
		{ "slip:fd=0,path=/dev/null", "not both" },
		{ "slip:fd=-1", "-1" },
		{ "slip:fd=0,mac=ff:ff:ff:ff:ff:ff", "ff:ff" },
		{ "slip:path=/nonexistent/x", "/nonexistent/x" },
		{ "slip:peer=1.2.3.4", "peer" },
		{ NULL, NULL },
	};
	check_bad_specs(bad);
}

int main(void)
{
	test_codec();
	test_slipeth();
	test_transport();
	test_backpressure();
	test_bad_specs();
	TEST_DONE("test_tp_slip");
}
