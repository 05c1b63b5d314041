// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tp_stream.c: libFuzzer target for the stream transport (QEMU's
 * 4-byte big-endian length framing) and the bess transport (one frame per
 * SOCK_SEQPACKET message): the input, cut into chunks by its own bytes,
 * arrives on the far end of a socketpair; every frame received must be
 * whole (its length as framed, within FRAME_MAX, stored within the
 * caller's segments), and a lost sync must end the transport, not hang it.
 * Then the frames are sent back and must come out framed as they went in.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t head[4][2048], tail[4][FRAME_MAX], junk[2 * FRAME_MAX];

static struct tp *fuzz_open(const char *kind, int type, int *peer)
{
	char spec[64], err[TP_ERR_MAX];
	struct tp *tp;
	int sv[2];

	if (socketpair(AF_UNIX, type, 0, sv))
		__builtin_trap();
	snprintf(spec, sizeof(spec), "%s:fd=%d", kind, sv[0]);
	if (tp_open(&tp, spec, err, sizeof(err)))
		__builtin_trap();
	*peer = sv[1];
	return tp;
}

/* Receive what is there; return frames seen, or -1 once the transport
 * reports an error (the port would end). */
static int fuzz_drain(struct tp *tp)
{
	struct tp_frame f[4];
	int i, n, total = 0;

	do {
		memset(f, 0, sizeof(f));
		for (i = 0; i < 4; i++) {
			f[i].buf = head[i];
			f[i].cap = sizeof(head[i]) >> (i & 1);
			f[i].tail = i & 2 ? tail[i] : NULL;
			f[i].tail_cap = i & 2 ? sizeof(tail[i]) : 0;
		}
		n = tp_recv(tp, f, 4);
		if (n < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (f[i].len > FRAME_MAX)
				__builtin_trap();
		total += n;
	} while (n > 0 || tp->pending);
	return total;
}

static void fuzz_kind(const char *kind, int type, const uint8_t *data,
		      size_t size)
{
	struct tp_frame out = { .buf = (uint8_t *)data };
	size_t off = 0, chunk;
	struct tp *tp;
	int peer, dead = 0;

	tp = fuzz_open(kind, type, &peer);
	while (off < size && !dead) {
		chunk = 1 + (data[off] * 97u) % 3000;
		if (chunk > size - off)
			chunk = size - off;
		if (send(peer, data + off, chunk, MSG_DONTWAIT) < 0)
			break;
		off += chunk;
		dead = fuzz_drain(tp) < 0;
	}
	/* and the other way: the input as one frame */
	out.len = size > FRAME_MAX ? FRAME_MAX : size;
	out.cap = out.len;
	if (!dead && tp_send(tp, &out, 1) < 0)
		__builtin_trap();
	while (recv(peer, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	tp_close(tp);
	close(peer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_kind("stream", SOCK_STREAM, data, size);
	fuzz_kind("bess", SOCK_SEQPACKET, data, size);
	return 0;
}
