// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_req_gather.c: libFuzzer target for control requests as the switch
 * gathers them from a stream (v0, v1, v3): the input arrives in chunks cut
 * by its own bytes; proto_req_need() says when to decode, and then
 * proto_req_parse() must accept or refuse without reading past what came.
 * A request it accepts must describe itself in printable text only.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[256];
	struct proto_req r;
	size_t len = 0, off = 0, chunk, need, i;
	const char *why;
	char d[64];

	while (off < size) {
		chunk = 1 + data[off] % 40;
		if (chunk > size - off)
			chunk = size - off;
		if (chunk > sizeof(buf) - len)
			chunk = sizeof(buf) - len;
		memcpy(buf + len, data + off, chunk);
		len += chunk;
		off += chunk;
		need = proto_req_need(buf, len);
		if (need < 8 && len >= 8)
			__builtin_trap();	/* never less than a header */
		if (len < need && len < sizeof(buf))
			continue;
		if (!proto_req_parse(buf, len, &r, &why)) {
			proto_addr_describe(&r.addr, d, sizeof(d));
			for (i = 0; d[i]; i++)
				if (d[i] < ' ' || d[i] > '~')
					__builtin_trap();
			for (i = 0; r.descr[i]; i++)
				if (r.descr[i] < ' ' || r.descr[i] > '~')
					__builtin_trap();
		} else if (!why || !*why) {
			__builtin_trap();	/* a refusal always says why */
		}
		len = 0;
	}
	return 0;
}
