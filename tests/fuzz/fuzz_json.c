// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_json.c: libFuzzer target for the strict JSON parser and the writer
 * (common/json.h).  Whatever the input, the parser accepts it (tokens in
 * bounds, each subtree's end after its start, strings that decode) or
 * refuses it saying why; every string it accepted, written back by the
 * writer, parses again to the same bytes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct json_tok tok[512], tok2[4];
static char dec[4096], dec2[4096], out[32768];

static void check_string(const struct json *j, unsigned int t)
{
	struct json j2;
	struct jw w;
	int n = json_string(j, t, dec, sizeof(dec)), n2;

	if (n == -ERANGE || n == -EINVAL)
		return;	/* too long for us, or a NUL: refused as such */
	if (n < 0)
		__builtin_trap();
	jw_init(&w, out, sizeof(out));
	jw_strn(&w, NULL, dec, (size_t)n);
	if (w.overflow)
		return;
	if (json_parse(&j2, tok2, 4, out, w.len))
		__builtin_trap();	/* we wrote what we cannot read */
	n2 = json_string(&j2, 0, dec2, sizeof(dec2));
	/* bytes that are not UTF-8 are written as '?': none here, since
	 * the parser checked the input */
	if (n2 != n || memcmp(dec, dec2, (size_t)n))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json j;
	unsigned int i;
	uint64_t v;
	int ret;

	ret = json_parse(&j, tok, 512, (const char *)data, size);
	if (ret) {
		if (!j.err[0] || (ret != -EINVAL && ret != -E2BIG))
			__builtin_trap();
		return 0;
	}
	if (!j.n || tok[0].next != j.n)
		__builtin_trap();
	for (i = 0; i < j.n; i++) {
		if (tok[i].next <= i || tok[i].next > j.n ||
		    (size_t)tok[i].off + tok[i].len > size)
			__builtin_trap();
		if (tok[i].type == JSON_STRING)
			check_string(&j, i);
		if (tok[i].type == JSON_NUMBER)
			json_uint(&j, i, &v);
	}
	return 0;
}
