// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * plug.c: a test client that joins a switch through libumlnet's transport
 * API (normally "daemon,,unix,CTL") and sends or counts test frames.
 *
 *   plug [opts] SPEC send N     send N frames (dst -d, src -m, length -l)
 *   plug [opts] SPEC recv N     wait for N valid test frames; print one line
 *                               per datagram seen: "frame len=L type=0xTTTT
 *                               ok|bad|short"; exit 0 when N ok frames came,
 *                               1 on timeout (-t)
 *   plug [opts] SPEC hold       join, then stay until killed
 * SPEC not containing ',' or ':' is taken as a control socket path.
 * Options: -m SRCMAC (default 02:00:00:00:00:NN by pid), -d DSTMAC (default
 * ff:ff:ff:ff:ff:ff), -l LEN (bytes per datagram incl. the 14-byte header,
 * 0..65535, default 60), -t SECS (recv/hold timeout, default 10), -i USEC
 * (gap between frames sent, default 200), -e ETHERTYPE (default 0x88b5),
 * -a (recv/hold: first send one broadcast "announce" frame of type 0x88b6
 * from SRCMAC, so the switch learns it on this port), -w SECS (send: keep
 * the port open SECS more seconds after sending, draining input).
 * "ready" is printed (and flushed) on stdout once joined.
 *
 * A test frame: dst, src, ethertype, then payload byte i = (seq + i) & 0xff
 * where seq is the first payload byte (mod 256); its integrity is checked.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

#define PLUG_MAX	65536

static uint8_t buf[PLUG_MAX + 16];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: plug [-a] [-w SECS] [-m SRCMAC] [-d DSTMAC] [-l LEN] [-t SECS] [-i USEC] [-e TYPE]\n"
		"            SPEC|CTLPATH send N|recv N|hold\n");
	exit(2);
}

static void fill(uint8_t *f, size_t len, const uint8_t *dst,
		 const uint8_t *src, unsigned int type, unsigned int seq)
{
	size_t i;
	uint8_t hdr[14];

	memcpy(hdr, dst, 6);
	memcpy(hdr + 6, src, 6);
	hdr[12] = type >> 8;
	hdr[13] = type & 0xff;
	memcpy(f, hdr, len < 14 ? len : 14);
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(seq + (i - 14));
}

/* 1 if the payload is intact */
static int check(const uint8_t *f, size_t len)
{
	size_t i;
	uint8_t seq;

	if (len <= 14)
		return 1;
	seq = f[14];
	for (i = 14; i < len; i++)
		if (f[i] != (uint8_t)(seq + (i - 14)))
			return 0;
	return 1;
}

static int do_send(struct tp *tp, unsigned long n, size_t len,
		   const uint8_t *dst, const uint8_t *src, unsigned int type,
		   unsigned int gap)
{
	struct tp_frame f = { .buf = buf, .cap = sizeof(buf), .len = len };
	struct pollfd pfd = { .fd = tp->fd, .events = POLLOUT };
	unsigned long i;
	int ret, tries;

	for (i = 0; i < n; i++) {
		fill(buf, len, dst, src, type, (unsigned int)i);
		for (tries = 0;; tries++) {
			ret = tp_send(tp, &f, 1);
			if (ret == 1)
				break;
			if (ret < 0) {
				fprintf(stderr, "plug: send frame %lu: %s\n",
					i, strerror(-ret));
				return 1;
			}
			if (tries > 500) {
				fprintf(stderr, "plug: send frame %lu: blocked for 5 s\n", i);
				return 1;
			}
			poll(&pfd, 1, 10);
		}
		if (gap)
			usleep(gap);
	}
	/* the rest of a frame a stream socket took only part of */
	for (tries = 0; tp->held; tries++) {
		ret = tp_finish(tp);
		if (ret < 0) {
			fprintf(stderr, "plug: send frame %lu: %s\n", n - 1,
				strerror(-ret));
			return 1;
		}
		if (tp->held && tries > 500) {
			fprintf(stderr, "plug: send frame %lu: blocked for 5 s\n",
				n - 1);
			return 1;
		}
		if (tp->held)
			poll(&pfd, 1, 10);
	}
	printf("sent %lu frames of %zu bytes\n", n, len);
	return 0;
}

static int do_recv(struct tp *tp, unsigned long n, unsigned int type,
		   int secs)
{
	struct tp_frame f = { .buf = buf, .cap = sizeof(buf) };
	struct pollfd pfd = { .fd = tp->fd, .events = POLLIN };
	long long end = now_ms() + secs * 1000LL;
	unsigned long ok = 0, bad = 0, other = 0;
	unsigned int t;
	int ret;

	while (ok < n) {
		long long left = end - now_ms();

		if (left <= 0)
			break;
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret <= 0)
			continue;
		ret = tp_recv(tp, &f, 1);
		if (ret < 0) {
			fprintf(stderr, "plug: recv: %s\n", strerror(-ret));
			return 1;
		}
		if (ret == 0)
			continue;
		if (f.len < 14) {
			printf("frame len=%zu short\n", f.len);
			bad++;
			continue;
		}
		t = (unsigned int)buf[12] << 8 | buf[13];
		if (t != type) {
			other++;
			printf("frame len=%zu type=0x%04x other\n", f.len, t);
			continue;
		}
		if (f.len > sizeof(buf) || !check(buf, f.len)) {
			printf("frame len=%zu type=0x%04x bad\n", f.len, t);
			bad++;
			continue;
		}
		printf("frame len=%zu type=0x%04x ok\n", f.len, t);
		ok++;
	}
	printf("received %lu ok, %lu bad, %lu other\n", ok, bad, other);
	fflush(stdout);
	return ok >= n ? 0 : 1;
}

int main(int argc, char **argv)
{
	uint8_t dst[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0 };
	char err[TP_ERR_MAX], spec[TP_SPEC_MAX];
	unsigned int type = 0x88b5, gap = 200;
	size_t len = 60;
	int secs = 10, opt, ret, announce = 0, linger = 0;
	struct tp *tp;
	const char *mode;
	unsigned long n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	src[4] = (uint8_t)(getpid() >> 8);
	src[5] = (uint8_t)getpid();
	while ((opt = getopt(argc, argv, "m:d:l:t:i:e:aw:")) != -1) {
		switch (opt) {
		case 'm':
			if (mac_parse(optarg, src))
				usage();
			break;
		case 'd':
			if (mac_parse(optarg, dst))
				usage();
			break;
		case 'l':
			len = strtoul(optarg, NULL, 0);
			if (len > PLUG_MAX - 1)
				usage();
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'i':
			gap = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'a':
			announce = 1;
			break;
		case 'w':
			linger = atoi(optarg);
			break;
		case 'e':
			type = (unsigned int)strtoul(optarg, NULL, 0) & 0xffff;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	mode = argv[optind + 1];
	if (strcmp(mode, "hold")) {
		if (argc - optind < 3)
			usage();
		n = strtoul(argv[optind + 2], NULL, 0);
	}
	if (strpbrk(argv[optind], ",:"))
		snprintf(spec, sizeof(spec), "%s", argv[optind]);
	else
		snprintf(spec, sizeof(spec), "daemon,,unix,%s", argv[optind]);

	ret = tp_open(&tp, spec, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "plug: %s\n", err);
		return 1;
	}
	if (announce) {
		static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

		ret = do_send(tp, 1, 60, bcast, src, 0x88b6, 0);
		if (ret) {
			tp_close(tp);
			return ret;
		}
	}
	printf("ready\n");
	fflush(stdout);
	if (!strcmp(mode, "send"))
		ret = do_send(tp, n, len, dst, src, type, gap);
	else if (!strcmp(mode, "recv"))
		ret = do_recv(tp, n, type, secs);
	if (!strcmp(mode, "hold") || (!strcmp(mode, "send") && !ret && linger)) {
		struct pollfd pfd = { .fd = tp->fd, .events = POLLIN };
		struct tp_frame f = { .buf = buf, .cap = sizeof(buf) };
		long long end = now_ms() + (linger ? linger : secs) * 1000LL;

		/* drain whatever arrives so the switch never blocks on us */
		while (now_ms() < end) {
			if (poll(&pfd, 1, 100) > 0)
				tp_recv(tp, &f, 1);
		}
		ret = 0;
	} else if (strcmp(mode, "send") && strcmp(mode, "recv"))
		usage();
	fflush(stdout);
	tp_close(tp);
	return ret;
}
