// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_unet_slip.c: libFuzzer target for uml_net's SLIP decoder.  Every
 * packet decoded from arbitrary bytes must re-encode and decode to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../uml_net/slip_codec.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1500], buf2[1500], enc[SLIP_ENC_MAX(1500)];
	struct slip_dec d, d2;
	size_t off = 0;

	slip_dec_init(&d, buf, sizeof(buf));
	while (off < size) {
		size_t len, len2, n, used;

		used = slip_dec_feed(&d, data + off, size - off, &len);
		if (used == 0 || used > size - off)
			abort();
		off += used;
		if (!len)
			continue;
		if (len > sizeof(buf))
			abort();
		n = slip_encode(buf, len, enc, sizeof(enc));
		if (n < len + 2)
			abort();
		slip_dec_init(&d2, buf2, sizeof(buf2));
		if (slip_dec_feed(&d2, enc, n, &len2) != n || len2 != len ||
		    memcmp(buf, buf2, len) != 0)
			abort();
	}
	return 0;
}
