// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_offload.c: a guest's virtio-net header and frame (the first ten
 * bytes are the header, the rest the frame), as the switch takes them:
 * off_parse() decides; what it accepts is then done in software, the
 * checksum filled in or every segment cut, and must stay inside the
 * frame and the segment's room.  Oracle: the segments' payloads are the
 * frame's payload, in order, each segment's checksums check out. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "offload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t f[FRAME_MAX], seg[FRAME_MAX];
	struct tp_vnet vn;
	struct off_pkt o;
	size_t len, n, got = 0;
	unsigned int i;
	char e[128];

	if (size < VNET_HDR_LEN || size - VNET_HDR_LEN > FRAME_MAX)
		return 0;
	vnet_get(data, &vn);
	len = size - VNET_HDR_LEN;
	memcpy(f, data + VNET_HDR_LEN, len);
	if (off_parse(f, len, &vn, &o, e, sizeof(e)))
		return 0;
	if (!off_is_gso(&vn)) {
		if (vn.flags & VNET_F_NEEDS_CSUM)
			off_csum(f, len, &vn);
		return 0;
	}
	if (o.hlen + (size_t)vn.gso_size > FRAME_MAX || !o.nseg)
		__builtin_trap();
	for (i = 0; i < o.nseg; i++) {
		n = off_segment(f, len, &vn, &o, i, seg);
		if (n <= o.hlen || n > o.hlen + (size_t)vn.gso_size)
			__builtin_trap();
		if (memcmp(seg + o.hlen, f + o.hlen + got, n - o.hlen))
			__builtin_trap();
		/* the TCP checksum over the pseudo header */
		if (off_fold(off_sum(seg + o.l4, n - o.l4,
				     off_sum(seg + o.l3 + (o.v6 ? 8 : 12),
					     o.v6 ? 32 : 8, 6 + n - o.l4)))
		    != 0xffff)
			__builtin_trap();
		got += n - o.hlen;
	}
	if (got != len - o.hlen)
		__builtin_trap();
	return 0;
}
