// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_proto.c: libFuzzer target for the daemon request decoder. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_req r;
	const char *why;
	char buf[64];

	if (!proto_req_parse(data, size, &r, &why)) {
		proto_addr_describe(&r.addr, buf, sizeof(buf));
		if (strlen(r.descr) >= sizeof(r.descr))
			__builtin_trap();
	}
	return 0;
}
