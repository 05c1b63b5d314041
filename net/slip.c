// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slip.c: SLIP framing (RFC 1055) for the slip transport.
 *
 * Theory of operation: a packet on the line is END, its bytes with END
 * written as ESC ESC_END and ESC as ESC ESC_ESC, then END.  The decoder is a
 * two-state machine (normal / after ESC) fed arbitrary chunks of the byte
 * stream; END closes a packet, empty ones are skipped.  ESC followed by
 * anything but ESC_END/ESC_ESC is a protocol violation: like RFC 1055's
 * sample code the byte is kept literally (and the escape state cleared).
 */
#include "slip.h"

void slip_rx_init(struct slip_rx *r, uint8_t *buf, size_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->len = 0;
	r->esc = 0;
}

static void slip_rx_put(struct slip_rx *r, uint8_t c)
{
	if (r->len < r->cap)
		r->buf[r->len] = c;
	r->len++;
}

size_t slip_rx_feed(struct slip_rx *r, const uint8_t *in, size_t n,
		    size_t *pkt)
{
	size_t i;
	uint8_t c;

	*pkt = 0;
	for (i = 0; i < n; i++) {
		c = in[i];
		if (c == SLIP_END) {
			r->esc = 0;
			if (!r->len)
				continue;
			*pkt = r->len;
			r->len = 0;
			return i + 1;
		}
		if (r->esc) {
			r->esc = 0;
			if (c == SLIP_ESC_END)
				c = SLIP_END;
			else if (c == SLIP_ESC_ESC)
				c = SLIP_ESC;
			slip_rx_put(r, c);
		} else if (c == SLIP_ESC) {
			r->esc = 1;
		} else {
			slip_rx_put(r, c);
		}
	}
	return n;
}

size_t slip_wrap(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t i, need, o = 0;

	if (cap < 2)
		return 0;
	out[o++] = SLIP_END;
	for (i = 0; i < n; i++) {
		need = (in[i] == SLIP_END || in[i] == SLIP_ESC) ? 2 : 1;
		if (o + need + 1 > cap)		/* keep room for the last END */
			return 0;
		if (in[i] == SLIP_END) {
			out[o++] = SLIP_ESC;
			out[o++] = SLIP_ESC_END;
		} else if (in[i] == SLIP_ESC) {
			out[o++] = SLIP_ESC;
			out[o++] = SLIP_ESC_ESC;
		} else {
			out[o++] = in[i];
		}
	}
	out[o++] = SLIP_END;
	return o;
}
