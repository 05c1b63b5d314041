/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slip_codec.h: SLIP framing (RFC 1055) as pure functions, no OS headers.
 * Lives in uml_net/ for now (used by the slip relay); meant to move to net/.
 */
#ifndef UMLNET_SLIP_CODEC_H
#define UMLNET_SLIP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define SLIP_END	0xC0
#define SLIP_ESC	0xDB
#define SLIP_ESC_END	0xDC
#define SLIP_ESC_ESC	0xDD

/* Worst case encoded size of an n-byte packet: every byte escaped, two ENDs. */
#define SLIP_ENC_MAX(n)	(2 * (size_t)(n) + 2)

/**
 * struct slip_dec - receive state of one SLIP line.
 * @buf:	caller's packet buffer
 * @cap:	its size; longer packets are dropped whole, never truncated
 * @len:	bytes of the packet being received
 * @esc:	the previous byte was ESC
 * @bad:	the packet being received is being discarded (too long, bad escape)
 * @dropped:	packets discarded so far
 */
struct slip_dec {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int esc;
	int bad;
	unsigned long dropped;
};

void slip_dec_init(struct slip_dec *d, uint8_t *buf, size_t cap);
size_t slip_dec_feed(struct slip_dec *d, const uint8_t *in, size_t n,
		     size_t *pkt_len);
size_t slip_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

#endif /* UMLNET_SLIP_CODEC_H */
