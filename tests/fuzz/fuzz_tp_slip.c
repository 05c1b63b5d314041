// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tp_slip.c: libFuzzer target for the SLIP decoder (arbitrary bytes in
 * arbitrary chunks; every packet re-encoded must decode to itself) and for
 * the slip transport's Ethernet side (the input as a frame to send, and as
 * line bytes to receive, over a socketpair): what it receives is IP from
 * the peer's MAC or its ARP answer for the gate (10.0.0.2), to the asker.
 * SLIP as Ethernet on its own: fuzz_slipeth.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "slip.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pkt[2048], enc[SLIP_WRAP_MAX(2048)], again[2048];

static void fuzz_codec(const uint8_t *data, size_t size)
{
	struct slip_rx rx, rx2;
	size_t off = 0, chunk, used, len, elen, len2;

	slip_rx_init(&rx, pkt, sizeof(pkt));
	while (off < size) {
		chunk = 1 + data[off] % 64;
		if (chunk > size - off)
			chunk = size - off;
		used = slip_rx_feed(&rx, data + off, chunk, &len);
		if (used == 0 || used > chunk)
			__builtin_trap();
		off += used;
		if (!len)
			continue;
		if (len > sizeof(pkt))
			continue;
		elen = slip_wrap(pkt, len, enc, sizeof(enc));
		if (!elen || elen > SLIP_WRAP_MAX(len))
			__builtin_trap();
		slip_rx_init(&rx2, again, sizeof(again));
		if (slip_rx_feed(&rx2, enc, elen, &len2) != elen || len2 != len ||
		    memcmp(again, pkt, len))
			__builtin_trap();
	}
}

static struct tp *tp;
static int peer = -1;
static const uint8_t peer_mac[6] = { 0x02, 0x53, 0x4c, 0x49, 0x50, 0x00 };

/* A frame from the transport: from the peer; an ARP frame is the answer
 * to this input's request for the gate (an answer to an earlier input
 * could be left over only beyond the 4 frames read: never). */
static void fuzz_check_rx(const struct tp_frame *f, const uint8_t *in,
			  size_t n)
{
	const uint8_t *b = f->buf;

	if (f->len < 14 || memcmp(b + 6, peer_mac, 6))
		__builtin_trap();
	switch (frame_get16(b + 12)) {
	case ETH_TYPE_ARP:
		if (f->len != 42 || n < 42 || frame_get16(b + 20) != 2 ||
		    memcmp(b + 28, "\x0a\x00\x00\x02", 4) ||
		    memcmp(b + 22, peer_mac, 6) || memcmp(b, in + 22, 6) ||
		    memcmp(b + 32, in + 22, 10))
			__builtin_trap();
		break;
	case ETH_TYPE_IPV4:
	case ETH_TYPE_IPV6:
		break;
	default:
		__builtin_trap();
	}
}

static void fuzz_transport(const uint8_t *data, size_t size)
{
	static uint8_t bufs[4][2048], junk[65536];
	struct tp_frame f[4] = { { 0 } };
	char spec[64], err[TP_ERR_MAX];
	int sv[2], i, n;

	if (!tp) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return;
		snprintf(spec, sizeof(spec), "slip:gate=10.0.0.2,fd=%d", sv[0]);
		if (tp_open(&tp, spec, err, sizeof(err)))
			__builtin_trap();
		close(sv[0]);
		peer = sv[1];
	}
	f[0].buf = (uint8_t *)data;
	f[0].len = size;
	f[0].cap = size;
	if (tp_send(tp, f, 1) < 0)
		__builtin_trap();
	while (recv(peer, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	if (send(peer, data, size, MSG_DONTWAIT) < 0)
		return;
	do {
		for (i = 0; i < 4; i++) {
			f[i].buf = bufs[i];
			f[i].cap = sizeof(bufs[i]) >> (i & 1);
		}
		n = tp_recv(tp, f, 4);
		for (i = 0; i < n; i++)
			fuzz_check_rx(&f[i], data, size);
	} while (n > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec(data, size);
	fuzz_transport(data, size);
	return 0;
}
