/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slip.h: SLIP framing (RFC 1055) as pure functions with no OS
 * headers: an encoder and an incremental decoder, for the slip transport.
 */
#ifndef UMLNET_SLIP_H
#define UMLNET_SLIP_H

#include <stddef.h>
#include <stdint.h>

#define SLIP_END	0xc0
#define SLIP_ESC	0xdb
#define SLIP_ESC_END	0xdc
#define SLIP_ESC_ESC	0xdd

/* Worst case encoded size of an @n-byte packet: every byte escaped, END
 * before and after. */
#define SLIP_WRAP_MAX(n)	(2 * (size_t)(n) + 2)

/*
 * Decoder state.  buf/cap are the caller's; len counts the decoded bytes of
 * the packet in progress, including any beyond cap (those are not stored),
 * so an oversized packet is reported with its real length rather than cut
 * silently.
 */
struct slip_rx {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int esc;	/* the previous byte was ESC */
};

/**
 * slip_rx_init() - start decoding into @buf (@cap bytes).
 */
void slip_rx_init(struct slip_rx *r, uint8_t *buf, size_t cap);

/**
 * slip_rx_feed() - decode bytes until one packet is complete.
 * @r:		decoder
 * @in:		received bytes
 * @n:		how many
 * @pkt:	set to the packet length (> 0, possibly > cap) when a packet
 *		ended, else 0
 *
 * Empty packets (END END) are skipped.  When *@pkt is set, the packet is in
 * r->buf (its first min(*pkt, cap) bytes) until the next call, which starts
 * the next packet.
 *
 * Return: bytes of @in consumed (all of them unless a packet ended first).
 */
size_t slip_rx_feed(struct slip_rx *r, const uint8_t *in, size_t n,
		    size_t *pkt);

/**
 * slip_wrap() - SLIP-encode one packet: END, escaped bytes, END.
 * @in:		packet
 * @n:		its length
 * @out:	output buffer
 * @cap:	its size; SLIP_WRAP_MAX(@n) always suffices
 *
 * Return: encoded length, or 0 if @cap is too small.
 */
size_t slip_wrap(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

#endif /* UMLNET_SLIP_H */
