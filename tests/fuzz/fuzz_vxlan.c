// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_vxlan.c: libFuzzer target for the VXLAN decoder and VTEP table
 * (net/vxlan.c).  The input is a received datagram: what vxlan_decode()
 * accepts must have a whole header with the I flag and our VNI and an
 * inner frame of at least an Ethernet header and at most the limit, and
 * what it refuses must fail one of those; the header we send must decode
 * as ours.  An accepted frame's source is learned behind a VTEP taken
 * from the input, and must then be found there (the table carries over).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "vxlan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vxlan_fdb fdb;
static uint64_t now;

static uint32_t vni_of(const uint8_t *h)
{
	return (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t vni = size > 1 ? data[size - 1] : 42;
	size_t max = 1500, inner = 0;
	uint8_t h[VXLAN_HLEN], vtep[VXLAN_ADDR_LEN] = { 0 };
	const struct vxlan_fdb_ent *got;
	enum vxlan_verdict r;

	r = vxlan_decode(data, size, vni, max, &inner);
	if (r == VXLAN_OK) {
		if (size < VXLAN_HLEN + FRAME_MIN || !(data[0] & VXLAN_FLAG_I) ||
		    vni_of(data) != vni || inner != size - VXLAN_HLEN ||
		    inner > max || inner < FRAME_MIN)
			__builtin_trap();
		memcpy(vtep, data + VXLAN_HLEN, inner < 16 ? inner : 16);
		now += data[1];
		vxlan_fdb_learn(&fdb, data + VXLAN_HLEN + 6, vtep, data[2], now);
		got = vxlan_fdb_lookup(&fdb, data + VXLAN_HLEN + 6, now);
		if (!got || memcmp(got->vtep, vtep, VXLAN_ADDR_LEN) ||
		    got->port != data[2])
			__builtin_trap();
	} else if (size >= VXLAN_HLEN + FRAME_MIN &&
		   (data[0] & VXLAN_FLAG_I) && vni_of(data) == vni &&
		   size - VXLAN_HLEN <= max) {
		__builtin_trap();	/* refused a good one */
	}
	vxlan_hdr_put(h, vni);
	if (vxlan_decode(h, VXLAN_HLEN + FRAME_MIN, vni, max, &inner) !=
	    VXLAN_OK)
		__builtin_trap();
	return 0;
}
