// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_slirp_slip.c: libFuzzer target for uml_slirp's SLIP decoder.  Every
 * packet decoded from arbitrary bytes, fed in arbitrary pieces, must be
 * non-empty, fit the buffer, and survive an encode/decode round trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../uml_slirp/slipcodec.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1500], back[1500], enc[SC_ENC_MAX(1500)];
	struct sc_dec d, d2;
	size_t off = 0, chunk;

	if (!size)
		return 0;
	chunk = 1 + data[0] % 64;	/* read() sizes vary */
	sc_dec_init(&d, buf, sizeof(buf));
	while (off < size) {
		size_t len, len2, n, used, want = size - off;

		if (want > chunk)
			want = chunk;
		used = sc_dec_feed(&d, data + off, want, &len);
		if (used == 0 || used > want)
			abort();
		off += used;
		if (!len)
			continue;
		if (len > sizeof(buf))
			abort();
		n = sc_encode(buf, len, enc, sizeof(enc));
		if (n < len + 2)
			abort();
		sc_dec_init(&d2, back, sizeof(back));
		if (sc_dec_feed(&d2, enc, n, &len2) != n || len2 != len ||
		    memcmp(back, buf, len))
			abort();
	}
	return 0;
}
