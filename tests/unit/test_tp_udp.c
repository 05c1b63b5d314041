// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tp_udp.c: the mcast and ucast transports on the loopback interface:
 * frames cross one per datagram, batches, oversized datagrams come back
 * with len > cap, an mcast member never receives its own frames but every
 * other member does, and bad options name the culprit.  vxlan: three
 * VTEPs (127.0.0.1-3) exchange frames; a broadcast goes to every remote,
 * a learned MAC to its VTEP alone; a frame over the MTU is refused on
 * send, counted; datagrams with a bad header, another VNI, from an
 * address not on the remote list, over the MTU or from a group source MAC
 * are dropped, counted;
 * jumbo frames as long as one UDP datagram takes cross over IPv4 and
 * IPv6, one byte more is refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "vxlan.h"
#include "test.h"

#define NF	8
#define VX_PORT	24789

static uint8_t bufs[NF][2048];

static void frames(struct tp_frame *f, size_t cap)
{
	unsigned int i;

	memset(f, 0, NF * sizeof(*f));
	for (i = 0; i < NF; i++) {
		f[i].buf = bufs[i];
		f[i].cap = cap;
	}
}

static struct tp *open_ok(const char *spec)
{
	char err[TP_ERR_MAX];
	struct tp *tp;

	if (tp_open(&tp, spec, err, sizeof(err))) {
		fprintf(stderr, "open %s: %s\n", spec, err);
		return NULL;
	}
	return tp;
}

/* Receive up to NF frames within 1 s (0 if none came). */
static int recv_wait(struct tp *tp, struct tp_frame *f, int ms)
{
	struct pollfd p = { .fd = tp->fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return tp_recv(tp, f, NF);
}

static void send_n(struct tp *tp, unsigned int n, size_t len, uint8_t tag)
{
	struct tp_frame f[NF];
	unsigned int i;

	frames(f, sizeof(bufs[0]));
	for (i = 0; i < n; i++) {
		memset(bufs[i], tag + i, len);
		f[i].len = len;
	}
	CHECK(tp_send(tp, f, n) == (int)n);
}

static void test_ucast(void)
{
	struct tp *a = open_ok("ucast,,127.0.0.1,41201,41202");
	struct tp *b = open_ok("ucast:remote=127.0.0.1,lport=41202,rport=41201,local=127.0.0.1");
	struct tp_frame f[NF];
	int n;

	CHECK(a && b);
	if (!a || !b)
		goto out;
	CHECK(a->wfd == a->fd);		/* one socket both ways */
	send_n(a, 3, 60, 0x10);
	frames(f, sizeof(bufs[0]));
	n = recv_wait(b, f, 1000);
	CHECK(n == 3);
	CHECK(n >= 1 && f[0].len == 60 && bufs[0][59] == 0x10);
	CHECK(n == 3 && f[2].len == 60 && bufs[2][0] == 0x12);
	/* and back, oversized for the receiver's buffers */
	send_n(b, 1, 1500, 0x20);
	frames(f, 100);
	n = recv_wait(a, f, 1000);
	CHECK(n == 1 && f[0].len == 1500 && bufs[0][99] == 0x20);
	CHECK(tp_recv(a, f, NF) == 0);
out:
	tp_close(a);
	tp_close(b);
}

static void test_mcast(void)
{
	struct tp *a = open_ok("mcast:group=239.192.168.7,port=41203,if=lo");
	struct tp *b = open_ok("mcast,,239.192.168.7,41203,1,lo");
	struct tp_frame f[NF];
	int n;

	CHECK(a && b);
	if (!a || !b)
		goto out;
	/* sends go out of a second socket: a would-block waits on that one */
	CHECK(a->wfd >= 0 && a->wfd != a->fd);
	send_n(a, 4, 42, 0x30);
	frames(f, sizeof(bufs[0]));
	n = recv_wait(b, f, 1000);
	CHECK(n == 4 && f[3].len == 42 && bufs[3][41] == 0x33);
	/* a heard its own four looped back and dropped them */
	frames(f, sizeof(bufs[0]));
	CHECK(recv_wait(a, f, 200) == 0);
	/* mixed: b's frame reaches a, a's own do not, order kept */
	send_n(a, 2, 42, 0x40);
	send_n(b, 1, 50, 0x50);
	frames(f, sizeof(bufs[0]));
	n = recv_wait(a, f, 1000);
	CHECK(n == 1 && f[0].len == 50 && bufs[0][0] == 0x50);
	frames(f, sizeof(bufs[0]));
	n = recv_wait(b, f, 1000);
	CHECK(n == 2 && f[0].len == 42 && bufs[1][0] == 0x41);
out:
	tp_close(a);
	tp_close(b);
}

/* frames() and recv_wait(): full-size buffers, up to @ms. */
static int vx_recv(struct tp *tp, struct tp_frame *f, int ms)
{
	frames(f, sizeof(bufs[0]));
	return recv_wait(tp, f, ms);
}

/* A frame from @src to @dst of @len bytes, in bufs[0]. */
static void frame_make(uint8_t last_src, const uint8_t *dst, size_t len)
{
	memset(bufs[0], 0x5a, len);
	memcpy(bufs[0], dst, 6);
	memcpy(bufs[0] + 6, "\x02\x00\x00\x00\x00", 5);
	bufs[0][11] = last_src;
	bufs[0][12] = 0x08;
	bufs[0][13] = 0x00;
}

static int send_one(struct tp *tp, size_t len)
{
	struct tp_frame f = { .buf = bufs[0], .len = len, .cap = len };

	return tp_send(tp, &f, 1);
}

/* A raw datagram to 127.0.0.1:PORT from @from: @vni, @flags, @len, an
 * inner broadcast from a source MAC beginning with @src0. */
static void inject(const char *from, uint32_t vni, uint8_t flags, size_t len,
		   uint8_t src0)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint8_t d[2048];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK(fd >= 0);
	inet_pton(AF_INET, from, &a.sin_addr);
	CHECK(!bind(fd, (struct sockaddr *)&a, sizeof(a)));
	memset(d, 0x33, sizeof(d));
	vxlan_hdr_put(d, vni);
	d[0] = flags;
	memcpy(d + 8, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x09", 12);
	d[8 + 6] = src0;
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	a.sin_port = htons(VX_PORT);
	CHECK(sendto(fd, d, len, 0, (struct sockaddr *)&a, sizeof(a)) ==
	      (ssize_t)len);
	close(fd);
}

static void test_vxlan(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa };
	struct tp *a, *b, *c;
	struct tp_frame f[NF];

	a = open_ok("vxlan:vni=42,remote=127.0.0.2+127.0.0.3,local=127.0.0.1,"
		    "port=24789,mtu=1000");
	b = open_ok("vxlan:vni=42,remote=127.0.0.1,local=127.0.0.2,port=24789");
	c = open_ok("vxlan:vni=42,remote=127.0.0.1,local=127.0.0.3,port=24789");
	CHECK(a && b && c);
	if (!a || !b || !c)
		goto out;
	/* a broadcast from a goes to both remotes */
	frame_make(0xa, bcast, 60);
	CHECK(send_one(a, 60) == 1);
	CHECK(vx_recv(b, f, 1000) == 1 && f[0].len == 60);
	CHECK(vx_recv(c, f, 1000) == 1 && f[0].len == 60);
	/* b answers a's MAC; a learns b behind 127.0.0.2 */
	frame_make(0xb, mac_a, 100);
	CHECK(send_one(b, 100) == 1);
	CHECK(vx_recv(a, f, 1000) == 1 && f[0].len == 100 &&
	      f[0].buf[11] == 0xb);
	/* a frame to b's MAC goes to b alone */
	frame_make(0xa, (const uint8_t *)"\x02\x00\x00\x00\x00\x0b", 80);
	CHECK(send_one(a, 80) == 1);
	CHECK(vx_recv(b, f, 1000) == 1 && f[0].len == 80);
	CHECK(vx_recv(c, f, 200) == 0);
	/* over a's MTU (1000 + 14): refused and counted, nothing sent */
	frame_make(0xa, bcast, 1015);
	CHECK(send_one(a, 1015) == 1 && a->tx_drop == 1);
	CHECK(vx_recv(b, f, 200) == 0);
	frame_make(0xa, bcast, 1014);
	CHECK(send_one(a, 1014) == 1 && a->tx_drop == 1);
	CHECK(vx_recv(b, f, 1000) == 1 && f[0].len == 1014);
	CHECK(vx_recv(c, f, 1000) == 1 && f[0].len == 1014);
	/* bad datagrams to a: dropped, counted, never returned */
	inject("127.0.0.2", 43, 0x08, 100, 2);	/* another VNI */
	inject("127.0.0.2", 42, 0x00, 100, 2);	/* no I flag */
	inject("127.0.0.2", 42, 0x08, 7, 2);	/* truncated header */
	inject("127.0.0.2", 42, 0x08, 8 + 13, 2);	/* truncated frame */
	inject("127.0.0.4", 42, 0x08, 100, 2);	/* not a remote */
	inject("127.0.0.2", 42, 0x08, 8 + 1015, 2);	/* over the MTU */
	inject("127.0.0.2", 42, 0x08, 8 + 64, 3);	/* a group source */
	inject("127.0.0.3", 42, 0x08, 8 + 64, 2);	/* the good one */
	usleep(100000);
	CHECK(vx_recv(a, f, 1000) == 1 && f[0].len == 64);
	CHECK(a->rx_drop == 7);
out:
	tp_close(a);
	tp_close(b);
	tp_close(c);
}


/* Jumbo frames: as far as one UDP datagram goes (65499 bytes over IPv4,
 * 65519 over IPv6), received into a small buffer and its tail; one byte
 * more is refused, counted, never cut. */
static void test_vxlan_jumbo(const char *lo, size_t max)
{
	static uint8_t big[65536], tail[65536];
	char spec[128];
	struct tp_frame f = { .buf = big };
	struct tp_frame r = { .buf = bufs[0], .cap = sizeof(bufs[0]),
			      .tail = tail, .tail_cap = sizeof(tail) };
	struct pollfd p = { .events = POLLIN };
	struct tp *a;

	/* a VTEP whose remote is itself: it listens where it sends */
	snprintf(spec, sizeof(spec), "vxlan:vni=7,remote=%s,port=24790", lo);
	a = open_ok(spec);
	CHECK(a != NULL);
	if (!a)
		return;
	memset(big, 0xee, sizeof(big));
	memcpy(big, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x0c", 12);
	big[max - 1] = 0x77;
	f.len = max;
	f.cap = max;
	CHECK(tp_send(a, &f, 1) == 1 && a->tx_drop == 0);
	p.fd = a->fd;
	CHECK(poll(&p, 1, 1000) == 1);
	CHECK(tp_recv(a, &r, 1) == 1 && r.len == max &&
	      tail[max - 1 - sizeof(bufs[0])] == 0x77 && bufs[0][13] == 0xee);
	f.len = f.cap = max + 1;
	CHECK(tp_send(a, &f, 1) == 1 && a->tx_drop == 1);
	CHECK(poll(&p, 1, 200) == 0);
	tp_close(a);
}

static void test_bad(void)
{
	static const struct bad_spec bad[] = {
		{ "mcast,,10.1.2.3", "10.1.2.3" },
		{ "mcast,,239.1.2.3,0", "port '0'" },
		{ "mcast,,239.1.2.3,65536", "65536" },
		{ "mcast,,239.1.2.3,+5", "+5" },
		{ "mcast,,239.1.2.3, 5", " 5" },
		{ "mcast,,,,-1", "ttl '-1'" },
		{ "mcast,,,,1x", "1x" },
		{ "mcast,zz:00:00:00:00:01", "zz:00" },
		{ "mcast:if=nosuchif9", "nosuchif9" },
		{ "mcast:local=1.2.3", "1.2.3" },
		{ "mcast:loop=0", "loop" },
		{ "mcast,,,,,,,", "field 7" },
		{ "ucast", "remote" },
		{ "ucast,,localhost", "localhost" },
		{ "ucast,,127.0.0.1,99999", "99999" },
		{ "ucast,,127.0.0.1,5000,x", "remote port 'x'" },
		{ "ucast:remote=127.0.0.1,if=lo", "if" },
		{ NULL, NULL },
	};
	check_bad_specs(bad);
}

int main(void)
{
	test_ucast();
	test_mcast();
	test_vxlan();
	test_vxlan_jumbo("127.0.0.1", 65499);
	test_vxlan_jumbo("::1", 65519);
	test_bad();
	TEST_DONE("test_tp_udp");
}
