// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slipcodec.c: the SLIP framing of UML's slirp transport (RFC 1055, spec
 * 5.3) as pure functions: an encoder and an incremental decoder.
 *
 * Theory of operation: the decoder is fed whatever read() returned and
 * stops right after the END that completes a non-empty packet, so that the
 * caller can hand that packet on and feed the rest.  END END (an empty
 * packet) is skipped.  A packet longer than the buffer, or one with ESC
 * followed by anything but ESC_END/ESC_ESC, is dropped whole and counted;
 * nothing is ever truncated.
 */
#include "uml_slirp.h"

/**
 * sc_dec_init() - reset a decoder to "between packets".
 * @d:		decoder
 * @buf:	packet buffer it fills
 * @cap:	size of @buf
 */
void sc_dec_init(struct sc_dec *d, uint8_t *buf, size_t cap)
{
	d->buf = buf;
	d->cap = cap;
	d->len = 0;
	d->esc = 0;
	d->bad = 0;
	d->dropped = 0;
}

static void sc_put(struct sc_dec *d, uint8_t c)
{
	if (d->bad)
		return;
	if (d->len == d->cap) {
		d->bad = 1;
		return;
	}
	d->buf[d->len++] = c;
}

/**
 * sc_dec_feed() - decode bytes until a packet is complete.
 * @d:		decoder
 * @in:		bytes read
 * @n:		how many
 * @pkt_len:	set to the length of a completed packet in @d->buf, else 0
 *
 * Return: bytes of @in consumed (all of them unless a packet completed).
 */
size_t sc_dec_feed(struct sc_dec *d, const uint8_t *in, size_t n,
		   size_t *pkt_len)
{
	size_t i;

	*pkt_len = 0;
	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		if (c == SC_END) {
			size_t len = d->len;
			int bad = d->bad || d->esc;

			d->len = 0;
			d->esc = d->bad = 0;
			if (bad) {
				d->dropped++;
			} else if (len) {
				*pkt_len = len;
				return i + 1;
			}
		} else if (d->esc) {
			d->esc = 0;
			if (c == SC_ESC_END)
				sc_put(d, SC_END);
			else if (c == SC_ESC_ESC)
				sc_put(d, SC_ESC);
			else
				d->bad = 1;
		} else if (c == SC_ESC) {
			d->esc = 1;
		} else {
			sc_put(d, c);
		}
	}
	return n;
}

/**
 * sc_encode() - frame one packet: END, the escaped bytes, END.
 * @in:		packet
 * @n:		its length
 * @out:	output buffer
 * @cap:	its size (SC_ENC_MAX(@n) always suffices)
 *
 * Return: bytes written, or 0 when @out is too small.
 */
size_t sc_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t i, o = 0;

	if (cap < 2)
		return 0;
	out[o++] = SC_END;
	for (i = 0; i < n; i++) {
		uint8_t c = in[i];
		int esc = c == SC_END || c == SC_ESC;

		if (cap - o < (size_t)(esc ? 3 : 2))
			return 0;
		if (esc) {
			out[o++] = SC_ESC;
			out[o++] = c == SC_END ? SC_ESC_END : SC_ESC_ESC;
		} else {
			out[o++] = c;
		}
	}
	out[o++] = SC_END;
	return o;
}
