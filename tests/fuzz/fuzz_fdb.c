// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_fdb.c: drive the (VLAN, MAC) table with arbitrary operations; it
 * must never lose an entry, exceed its bound or crash. */
#include <stddef.h>
#include <stdint.h>

#include "../../uml_switch/fdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdb f;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	uint32_t now = 0;
	uint16_t vid;
	size_t i;
	int old;

	if (fdb_init(&f, 32, 10))
		return 0;
	for (i = 0; i + 3 < size; i += 4) {
		mac[4] = data[i + 1] & 0x3f;
		mac[5] = data[i + 2];
		/* a few VLANs, the edges among them */
		vid = (uint16_t)(data[i + 3] & 0x80 ? 4094 - (data[i + 3] & 3) :
				 (data[i + 3] & 7) + 1);
		switch (data[i] & 3) {
		case 0:
			if (fdb_learn(&f, vid, mac, data[i] >> 2, now, &old) >= 0 &&
			    fdb_lookup(&f, vid, mac, now) != data[i] >> 2)
				__builtin_trap();
			break;
		case 1:
			fdb_lookup(&f, vid, mac, now);
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
