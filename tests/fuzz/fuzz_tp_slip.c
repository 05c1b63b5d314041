// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tp_slip.c: libFuzzer target for the SLIP decoder (arbitrary bytes in
 * arbitrary chunks; every packet re-encoded must decode to itself) and for
 * the slip transport's Ethernet side (the input as a frame to send, and as
 * line bytes to receive, over a socketpair).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
			if (f[i].len < 14)
				__builtin_trap();
	} while (n > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codec(data, size);
	fuzz_transport(data, size);
	return 0;
}
