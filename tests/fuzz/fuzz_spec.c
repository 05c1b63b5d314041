// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_spec.c: libFuzzer target for the transport spec parser and MACs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char str[TP_SPEC_MAX + 8], err[TP_ERR_MAX];
	struct tp_spec s;
	uint8_t mac[6];
	unsigned int i;

	if (size >= sizeof(str))
		size = sizeof(str) - 1;
	memcpy(str, data, size);
	str[size] = '\0';
	if (!tp_spec_parse(str, &s, err, sizeof(err))) {
		for (i = 0; i < s.n; i++)
			if (!s.kv[i].key || !s.kv[i].val)
				__builtin_trap();
	}
	mac_parse(str, mac);
	frame_ethertype(data, size, NULL);
	return 0;
}
