// SPDX-License-Identifier: GPL-2.0-or-later
/* test_unet_slip.c: unit test of uml_net's SLIP codec (spec 5.3, 11.4 item 34). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../uml_net/slip_codec.c"

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

static void test_encode_escapes(void)
{
	const uint8_t in[] = { 0x45, 0xC0, 0x01, 0xDB, 0xDC, 0xDD };
	const uint8_t want[] = { 0xC0, 0x45, 0xDB, 0xDC, 0x01, 0xDB, 0xDD,
				 0xDC, 0xDD, 0xC0 };
	uint8_t out[32];
	size_t n = slip_encode(in, sizeof(in), out, sizeof(out));

	CHECK(n == sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	/* too small a buffer: nothing, never a truncated frame */
	CHECK(slip_encode(in, sizeof(in), out, sizeof(want) - 1) == 0);
	CHECK(slip_encode(in, sizeof(in), out, 1) == 0);
	CHECK(slip_encode(in, 0, out, 2) == 2 && out[0] == 0xC0 && out[1] == 0xC0);
}

static void test_roundtrip(void)
{
	uint8_t pkt[1500], enc[SLIP_ENC_MAX(1500)], buf[1500];
	struct slip_dec d;
	size_t i, n, used, len;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7 + (i % 3 ? 0xC0 : 0xDB));
	n = slip_encode(pkt, sizeof(pkt), enc, sizeof(enc));
	CHECK(n > sizeof(pkt) + 2);
	slip_dec_init(&d, buf, sizeof(buf));
	used = slip_dec_feed(&d, enc, n, &len);
	CHECK(used == n);
	CHECK(len == sizeof(pkt));
	CHECK(memcmp(buf, pkt, sizeof(pkt)) == 0);

	/* byte at a time gives the same */
	slip_dec_init(&d, buf, sizeof(buf));
	len = 0;
	for (i = 0; i < n; i++) {
		CHECK(slip_dec_feed(&d, enc + i, 1, &len) == 1);
		if (i + 1 < n)
			CHECK(len == 0);
	}
	CHECK(len == sizeof(pkt) && memcmp(buf, pkt, sizeof(pkt)) == 0);
}

static void test_stream(void)
{
	/* empty frames ignored, two packets in one read, stop after each */
	const uint8_t in[] = { 0xC0, 0xC0, 0xC0, 'a', 'b', 0xC0, 0xC0,
			       'c', 0xDB, 0xDC, 0xC0, 'd' };
	uint8_t buf[16];
	struct slip_dec d;
	size_t used, len, off = 0;

	slip_dec_init(&d, buf, sizeof(buf));
	used = slip_dec_feed(&d, in, sizeof(in), &len);
	CHECK(len == 2 && memcmp(buf, "ab", 2) == 0);
	off += used;
	used = slip_dec_feed(&d, in + off, sizeof(in) - off, &len);
	CHECK(len == 2 && buf[0] == 'c' && buf[1] == 0xC0);
	off += used;
	used = slip_dec_feed(&d, in + off, sizeof(in) - off, &len);
	CHECK(len == 0 && used == 1 && d.len == 1);
	CHECK(d.dropped == 0);
}

static void test_errors(void)
{
	const uint8_t bad_esc[] = { 'x', 0xDB, 'y', 'z', 0xC0, 'o', 'k', 0xC0 };
	const uint8_t esc_end[] = { 'x', 0xDB, 0xC0, 'o', 'k', 0xC0 };
	const uint8_t longp[] = { '1', '2', '3', '4', '5', 0xC0, 'o', 'k', 0xC0 };
	uint8_t buf[4];
	struct slip_dec d;
	size_t used, len;

	slip_dec_init(&d, buf, sizeof(buf));
	used = slip_dec_feed(&d, bad_esc, sizeof(bad_esc), &len);
	CHECK(used == sizeof(bad_esc) && len == 2 && memcmp(buf, "ok", 2) == 0);
	CHECK(d.dropped == 1);

	slip_dec_init(&d, buf, sizeof(buf));
	used = slip_dec_feed(&d, esc_end, sizeof(esc_end), &len);
	CHECK(used == sizeof(esc_end) && len == 2 && d.dropped == 1);

	/* longer than the buffer: dropped whole, not truncated */
	slip_dec_init(&d, buf, sizeof(buf));
	used = slip_dec_feed(&d, longp, sizeof(longp), &len);
	CHECK(used == sizeof(longp) && len == 2 && memcmp(buf, "ok", 2) == 0);
	CHECK(d.dropped == 1);
}

int main(void)
{
	test_encode_escapes();
	test_roundtrip();
	test_stream();
	test_errors();
	if (failures) {
		fprintf(stderr, "test_unet_slip: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_unet_slip: ok\n");
	return 0;
}
