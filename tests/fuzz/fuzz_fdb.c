// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_fdb.c: drive the MAC table with arbitrary operations; it must never
 * lose an entry, exceed its bound or crash. */
#include <stddef.h>
#include <stdint.h>

#include "../../uml_switch/fdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdb f;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	uint32_t now = 0;
	size_t i;
	int old;

	if (fdb_init(&f, 32, 10))
		return 0;
	for (i = 0; i + 2 < size; i += 3) {
		mac[4] = data[i + 1] & 0x3f;
		mac[5] = data[i + 2];
		switch (data[i] & 3) {
		case 0:
			fdb_learn(&f, mac, data[i] >> 2, now, &old);
			break;
		case 1:
			fdb_lookup(&f, mac, now);
			break;
		case 2:
			fdb_flush_port(&f, data[i] >> 2);
			break;
		case 3:
			now += data[i] >> 2;
			fdb_age(&f, now);
			break;
		}
		if (f.count > f.max)
			__builtin_trap();
	}
	fdb_free(&f);
	return 0;
}
