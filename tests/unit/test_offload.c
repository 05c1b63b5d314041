// SPDX-License-Identifier: GPL-2.0-or-later
/* test_offload.c: virtio-net headers against their frames (off_parse),
 * checksums filled in (off_csum) and TCP segments cut (off_segment),
 * every result checked with a checksum computed here the slow way. */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "offload.h"
#include "test.h"

static uint8_t frame[FRAME_MAX], seg[FRAME_MAX], joined[FRAME_MAX];

/* RFC 1071, one byte at a time. */
static uint32_t slow_sum(const uint8_t *p, size_t n, uint32_t acc)
{
	size_t i;

	for (i = 0; i < n; i++)
		acc += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return acc;
}

/* Does TCP/UDP segment @l4 (@n bytes) of the packet at @ip check out? */
static int l4_ok(const uint8_t *ip, int v6, const uint8_t *l4, size_t n,
		 uint8_t proto)
{
	uint32_t acc = v6 ? slow_sum(ip + 8, 32, 0) : slow_sum(ip + 12, 8, 0);

	acc += proto + (uint32_t)n;
	return slow_sum(l4, n, acc) == 0xffff;
}

/* A TCP packet in Ethernet (@tags 802.1Q tags), IPv4 with @ipopt option
 * bytes or IPv6, TCP with @tcpopt option bytes, @payload bytes of a
 * pattern; the TCP checksum field holds the pseudo-header sum, as a
 * sender that leaves the checksum to the device puts it.  Return: its
 * length; *@l4 the TCP header's offset. */
static size_t make_tcp(int v6, int tags, int ipopt, int tcpopt,
		       size_t payload, uint8_t flags, size_t *l4)
{
	size_t o = 12, ip, tcp, i, iplen;
	uint32_t acc;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	for (i = 0; i < (size_t)tags; i++, o += 4) {
		frame_put16(frame + o, ETH_TYPE_8021Q);
		frame_put16(frame + o + 2, 10);
	}
	frame_put16(frame + o, v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IPV4);
	ip = o + 2;
	if (v6) {
		frame[ip] = 0x60;
		frame[ip + 6] = 6;
		frame[ip + 7] = 64;
		for (i = 0; i < 32; i++)
			frame[ip + 8 + i] = (uint8_t)(0x20 + i);
		tcp = ip + 40;
	} else {
		frame[ip] = (uint8_t)(0x40 | (5 + ipopt / 4));
		frame_put16(frame + ip + 4, 0xfff0);	/* ids wrap */
		frame[ip + 6] = 0x40;	/* DF */
		frame[ip + 8] = 64;
		frame[ip + 9] = 6;
		memcpy(frame + ip + 12, "\x0a\0\0\x01\x0a\0\0\x02", 8);
		memset(frame + ip + 20, 1, ipopt);	/* NOPs */
		tcp = ip + 20 + ipopt;
	}
	frame_put16(frame + tcp, 40000);
	frame_put16(frame + tcp + 2, 5001);
	memcpy(frame + tcp + 4, "\xff\xff\xf0\x00", 4);	/* seq wraps */
	frame[tcp + 12] = (uint8_t)((5 + tcpopt / 4) << 4);
	frame[tcp + 13] = flags;
	memset(frame + tcp + 20, 1, tcpopt);
	for (i = 0; i < payload; i++)
		frame[tcp + 20 + tcpopt + i] = (uint8_t)(i * 7 + i / 251);
	iplen = tcp - ip + 20 + tcpopt + payload;
	if (v6)
		frame_put16(frame + ip + 4, (uint16_t)(iplen - 40));
	else
		frame_put16(frame + ip + 2, (uint16_t)iplen);
	acc = v6 ? slow_sum(frame + ip + 8, 32, 0) :
		   slow_sum(frame + ip + 12, 8, 0);
	acc = slow_sum(NULL, 0, acc + 6 + (uint32_t)(20 + tcpopt + payload));
	frame_put16(frame + tcp + 16, (uint16_t)acc);
	*l4 = tcp;
	return tcp + 20 + tcpopt + payload;
}

static void test_sum(void)
{
	uint8_t b[301];
	size_t i, n;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 131 + 7);
	for (n = 0; n <= sizeof(b); n++) {
		CHECK(off_fold(off_sum(b, n, 0)) == slow_sum(b, n, 0) ||
		      (slow_sum(b, n, 0) == 0xffff && !off_fold(off_sum(b, n, 0))));
		CHECK(off_fold(off_sum(b + 1, n ? n - 1 : 0, 5)) ==
		      off_fold(slow_sum(b + 1, n ? n - 1 : 0, 5)));
	}
}

static void test_vnet_wire(void)
{
	struct tp_vnet a = { VNET_F_NEEDS_CSUM, VNET_GSO_TCPV6 | VNET_GSO_ECN,
			     74, 1428, 54, 16 }, b;
	uint8_t w[VNET_HDR_LEN];

	vnet_put(w, &a);
	CHECK(!memcmp(w, "\x01\x84\x4a\x00\x94\x05\x36\x00\x10\x00", 10));
	vnet_get(w, &b);
	CHECK(!memcmp(&a, &b, sizeof(a)));
	CHECK(off_needs(&a) == (TP_OFF_CSUM | TP_OFF_TSO6 | TP_OFF_ECN));
	memset(&b, 0, sizeof(b));
	CHECK(off_needs(&b) == 0);
	b.flags = VNET_F_NEEDS_CSUM;
	CHECK(off_needs(&b) == TP_OFF_CSUM);
}

/* A UDP datagram with its checksum left to do: off_csum() fills it in. */
static void test_csum(void)
{
	struct tp_vnet vn = { .flags = VNET_F_NEEDS_CSUM, .csum_start = 34,
			      .csum_offset = 6 };
	size_t len, l4, n;
	char e[128];

	for (n = 0; n < 40; n++) {
		len = make_tcp(0, 0, 0, 0, 0, 0, &l4);	/* an IPv4 header */
		frame[23] = 17;		/* UDP */
		frame_put16(frame + 34, 53);
		frame_put16(frame + 36, 5353);
		frame_put16(frame + 38, (uint16_t)(8 + n));
		memset(frame + 42, (int)n, n);
		len = 42 + n;
		frame_put16(frame + 40, slow_sum(frame + 26, 8,
						 17 + 8 + (uint32_t)n));
		CHECK(off_parse(frame, len, &vn, NULL, e, sizeof(e)) == 0);
		off_csum(frame, len, &vn);
		CHECK(frame_get16(frame + 40) != 0);
		CHECK(l4_ok(frame + 14, 0, frame + 34, 8 + n, 17));
	}
	/* a TCP segment too, tagged, IPv6 */
	len = make_tcp(1, 1, 0, 12, 999, 0x18, &l4);
	vn.csum_start = (uint16_t)l4;
	vn.csum_offset = 16;
	CHECK(off_parse(frame, len, &vn, NULL, e, sizeof(e)) == 0);
	off_csum(frame, len, &vn);
	CHECK(l4_ok(frame + 18, 1, frame + l4, len - l4, 6));
}

/* Cut one GSO frame and check every segment and their sum. */
static void check_gso(int v6, int tags, int ipopt, int tcpopt,
		      size_t payload, uint16_t mss, uint8_t flags)
{
	struct tp_vnet vn = { .flags = VNET_F_NEEDS_CSUM,
			      .gso_type = v6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4,
			      .gso_size = mss, .csum_offset = 16 };
	size_t len, l4, ip = 14 + 4 * (size_t)tags, n, got = 0, hl;
	struct off_pkt o;
	unsigned int i;
	uint32_t seq;
	char e[128];

	len = make_tcp(v6, tags, ipopt, tcpopt, payload, flags, &l4);
	vn.csum_start = (uint16_t)l4;
	vn.hdr_len = (uint16_t)(l4 + 20 + tcpopt);
	if (flags & 0x80)
		vn.gso_type |= VNET_GSO_ECN;
	CHECK(off_parse(frame, len, &vn, &o, e, sizeof(e)) == 0);
	hl = l4 + 20 + (size_t)tcpopt;
	CHECK(o.l3 == ip && o.l4 == l4 && o.hlen == hl && o.v6 == v6);
	CHECK(o.nseg == (payload + mss - 1) / mss);
	for (i = 0; i < o.nseg; i++) {
		n = off_segment(frame, len, &vn, &o, i, seg);
		CHECK(n > hl && n - hl <= mss);
		CHECK(!memcmp(seg, frame, ip - 2));	/* MACs, tags */
		if (v6) {
			CHECK(frame_get16(seg + ip + 4) == n - ip - 40);
		} else {
			CHECK(frame_get16(seg + ip + 2) == n - ip);
			CHECK(frame_get16(seg + ip + 4) ==
			      (uint16_t)(0xfff0 + i));
			CHECK(slow_sum(seg + ip, l4 - ip, 0) == 0xffff);
		}
		CHECK(l4_ok(seg + ip, v6, seg + l4, n - l4, 6));
		seq = (uint32_t)seg[l4 + 4] << 24 | seg[l4 + 5] << 16 |
		      seg[l4 + 6] << 8 | seg[l4 + 7];
		CHECK(seq == 0xfffff000u + (uint32_t)(i * mss));
		CHECK((seg[l4 + 13] & 0x09) ==
		      (i + 1 == o.nseg ? (flags & 0x09) : 0));	/* FIN PSH */
		CHECK((seg[l4 + 13] & 0x80) == (i ? 0 : (flags & 0x80)));
		CHECK((seg[l4 + 13] & 0x10) == (flags & 0x10));	/* ACK */
		memcpy(joined + got, seg + hl, n - hl);
		got += n - hl;
	}
	CHECK(got == payload && !memcmp(joined, frame + hl, payload));
}

static void test_gso(void)
{
	check_gso(0, 0, 0, 12, 65000, 1448, 0x19);	/* ACK PSH FIN */
	check_gso(0, 1, 8, 0, 3000, 1460, 0x10);	/* tagged, IP options */
	check_gso(0, 2, 0, 40, 1448, 1448, 0x98);	/* one segment, CWR */
	check_gso(1, 0, 0, 12, 60001, 1428, 0x18);
	check_gso(1, 1, 0, 0, 7, 1, 0x10);
	check_gso(0, 0, 0, 0, 9000 * 3 - 5, 8960, 0x10);	/* jumbo */
}

/* @vn is refused for the frame make_tcp() left, with @word. */
static void bad(const struct tp_vnet *vn, size_t len, const char *word)
{
	struct off_pkt o;
	char e[128] = "";

	CHECK(off_parse(frame, len, vn, &o, e, sizeof(e)) == -EINVAL);
	if (!strstr(e, word)) {
		fprintf(stderr, "message '%s' lacks '%s'\n", e, word);
		test_failures++;
	}
}

static void test_bad(void)
{
	struct tp_vnet g = { .flags = VNET_F_NEEDS_CSUM,
			     .gso_type = VNET_GSO_TCPV4, .gso_size = 1448,
			     .csum_start = 34, .csum_offset = 16 }, v;
	size_t len, l4;
	char e[128];

	len = make_tcp(0, 0, 0, 0, 5000, 0x10, &l4);
	CHECK(off_parse(frame, len, &g, NULL, e, sizeof(e)) == 0);
	v = g, v.flags = 0x41;
	bad(&v, len, "unknown flags");
	v = g, v.gso_type = 3;		/* UDP (UFO) */
	bad(&v, len, "GSO type 3");
	v = g, v.gso_type = 5;		/* UDP_L4 */
	bad(&v, len, "GSO type 5");
	v = g, v.flags = 0;
	bad(&v, len, "without a checksum");
	v = g, v.gso_type = VNET_GSO_NONE | VNET_GSO_ECN;
	bad(&v, len, "ECN without GSO");
	v = g, v.csum_start = (uint16_t)(len - 1);
	bad(&v, len, "checksum at");
	v = g, v.csum_start = 10;
	bad(&v, len, "checksum at");
	v = g, v.gso_type = VNET_GSO_TCPV6;
	bad(&v, len, "not an IPv6 packet");
	v = g, v.csum_offset = 6;
	bad(&v, len, "not at the TCP header");
	v = g, v.csum_start = 38;
	bad(&v, len, "not at the TCP header");
	v = g, v.gso_size = 0;
	bad(&v, len, "segments of 0");
	v = g, v.gso_size = 19;		/* 264 segments */
	bad(&v, len, "segments (at most");
	bad(&g, 54, "payload bytes");	/* headers only */
	bad(&g, 40, "checksum at");
	frame[20] = 0x20;		/* more fragments */
	bad(&g, len, "not a whole TCP packet");
	frame[20] = 0x40;
	frame[23] = 17;			/* UDP */
	bad(&g, len, "not a whole TCP packet");
	frame[23] = 6;
	frame[14] = 0x44;		/* IHL 4 */
	bad(&g, len, "not a whole TCP packet");
	frame[14] = 0x45;
	frame[46] = 0x40;		/* TCP data offset 4 */
	bad(&g, len, "TCP header cut short");
	frame[46] = 0xf0;		/* 60 bytes: fine */
	CHECK(off_parse(frame, len, &g, NULL, e, sizeof(e)) == 0);
	bad(&g, 34 + 59, "TCP header cut short");
	frame_put16(frame + 12, ETH_TYPE_ARP);
	bad(&g, len, "not an IPv4 packet");
	for (l4 = 12; l4 < 60; l4 += 4)		/* tags up to the end */
		frame_put16(frame + l4, ETH_TYPE_8021Q);
	bad(&g, 60, "not an IPv4 packet");
	len = make_tcp(1, 0, 0, 0, 5000, 0x10, &l4);
	v = g, v.gso_type = VNET_GSO_TCPV6, v.csum_start = (uint16_t)l4;
	CHECK(off_parse(frame, len, &v, NULL, e, sizeof(e)) == 0);
	frame[20] = 0;			/* a hop-by-hop header first */
	bad(&v, len, "no TCP right after");
	/* only offsets are checked without GSO */
	v = g, v.gso_type = 0, v.csum_start = 14, v.csum_offset = 100;
	CHECK(off_parse(frame, len, &v, NULL, e, sizeof(e)) == 0);
	memset(&v, 0, sizeof(v));
	CHECK(off_parse(frame, 14, &v, NULL, e, sizeof(e)) == 0);
}

int main(void)
{
	test_sum();
	test_vnet_wire();
	test_csum();
	test_gso();
	test_bad();
	TEST_DONE("test_offload");
}
