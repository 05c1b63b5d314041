// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slip_codec.c: SLIP encoder and incremental decoder (RFC 1055).
 *
 * Theory of operation: the decoder is fed whatever read() returned and
 * stops right after the END that completes a non-empty packet, so the
 * caller hands that packet on and feeds the rest.  Differences from the
 * UML kernel's decoder, on purpose: a packet longer than the buffer is
 * dropped whole (never truncated), and ESC followed by anything but
 * ESC_END/ESC_ESC/END is a line error that drops the packet, as is ESC END
 * (the Linux slip driver does the same).
 */
#include "slip_codec.h"

/**
 * slip_dec_init() - reset a decoder to "between packets".
 * @d:		decoder
 * @buf:	packet buffer it fills
 * @cap:	size of @buf
 */
void slip_dec_init(struct slip_dec *d, uint8_t *buf, size_t cap)
{
	d->buf = buf;
	d->cap = cap;
	d->len = 0;
	d->esc = 0;
	d->bad = 0;
	d->dropped = 0;
}

static void slip_dec_put(struct slip_dec *d, uint8_t c)
{
	if (d->bad)
		return;
	if (d->len >= d->cap) {
		d->bad = 1;
		return;
	}
	d->buf[d->len++] = c;
}

/* END seen: returns the packet length, or 0 if nothing (valid) to deliver. */
static size_t slip_dec_end(struct slip_dec *d)
{
	size_t len = d->len;
	int bad = d->bad || d->esc;

	d->len = 0;
	d->esc = 0;
	d->bad = 0;
	if (bad) {
		d->dropped++;
		return 0;
	}
	return len;
}

/**
 * slip_dec_feed() - decode bytes until a packet is complete.
 * @d:		decoder
 * @in:		received bytes
 * @n:		how many
 * @pkt_len:	set to the length of the completed packet in @d->buf, or 0
 *
 * Return: bytes of @in consumed; when *@pkt_len is non-zero the packet in
 * @d->buf is valid until the next call.
 */
size_t slip_dec_feed(struct slip_dec *d, const uint8_t *in, size_t n,
		     size_t *pkt_len)
{
	size_t i;

	*pkt_len = 0;
	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		if (c == SLIP_END) {
			*pkt_len = slip_dec_end(d);
			if (*pkt_len)
				return i + 1;
			continue;
		}
		if (d->esc) {
			d->esc = 0;
			if (c == SLIP_ESC_END)
				slip_dec_put(d, SLIP_END);
			else if (c == SLIP_ESC_ESC)
				slip_dec_put(d, SLIP_ESC);
			else
				d->bad = 1;
			continue;
		}
		if (c == SLIP_ESC)
			d->esc = 1;
		else
			slip_dec_put(d, c);
	}
	return n;
}

/**
 * slip_encode() - frame one packet as END, escaped bytes, END.
 * @in:		packet
 * @n:		its length
 * @out:	output buffer
 * @cap:	its size; SLIP_ENC_MAX(@n) always suffices
 *
 * Return: bytes written, or 0 if @out is too small (nothing is truncated).
 */
size_t slip_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 0, i;

	if (cap < 2)
		return 0;
	out[o++] = SLIP_END;
	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		if (c == SLIP_END || c == SLIP_ESC) {
			if (cap - o < 3)
				return 0;
			out[o++] = SLIP_ESC;
			out[o++] = c == SLIP_END ? SLIP_ESC_END : SLIP_ESC_ESC;
		} else {
			if (cap - o < 2)
				return 0;
			out[o++] = c;
		}
	}
	out[o++] = SLIP_END;
	return o;
}
