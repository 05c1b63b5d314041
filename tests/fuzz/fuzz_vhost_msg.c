// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_vhost_msg.c: libFuzzer target for the vhost-user message checks
 * (net/vhost_user.c).  The input is a message as a front end sends it
 * (12 header bytes, then the payload), its last byte the number of fds
 * that came with it.  What vu_msg_check() accepts must have a payload
 * within the limit (none for a reset) and its queue index in range; an accepted memory table
 * must parse into at most VU_MAX_REGIONS regions, as many as fds, none
 * empty or wrapping, no two overlapping in either address space.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vhost_user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int overlaps(const struct vu_region *a, const struct vu_region *b)
{
	return (a->gpa < b->gpa + b->size && b->gpa < a->gpa + a->size) ||
	       (a->uva < b->uva + b->size && b->uva < a->uva + a->size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nfds, i, j;
	struct vu_mem mem;
	struct vu_msg m;
	char e[256];

	if (size < VU_HDR_SIZE + 1)
		return 0;
	nfds = data[size - 1] % (VU_MAX_FDS + 2);
	size--;
	if (vu_hdr_parse(data, &m, e, sizeof(e)))
		return 0;
	if (m.size > VU_PAYLOAD_MAX)
		__builtin_trap();
	if (size - VU_HDR_SIZE < m.size)
		return 0;	/* the rest has not come yet */
	memset(m.payload, 0, sizeof(m.payload));
	memcpy(m.payload, data + VU_HDR_SIZE, m.size);
	if (vu_msg_check(&m, nfds, e, sizeof(e)))
		return 0;
	if ((m.req == VU_SET_VRING_NUM || m.req == VU_SET_VRING_ADDR ||
	     m.req == VU_SET_VRING_BASE || m.req == VU_GET_VRING_BASE ||
	     m.req == VU_SET_VRING_ENABLE) &&
	    (m.payload[0] >= VU_NQUEUES || m.payload[1] || m.payload[2] ||
	     m.payload[3]))
		__builtin_trap();
	if ((m.req == VU_SET_VRING_KICK || m.req == VU_SET_VRING_CALL ||
	     m.req == VU_SET_VRING_ERR) && m.payload[0] >= VU_NQUEUES)
		__builtin_trap();
	/* the requests without a payload: RESET_DEVICE, RESET_OWNER, ... */
	if ((m.req == VU_RESET_DEVICE || m.req == VU_RESET_OWNER ||
	     m.req == VU_GET_FEATURES) && (m.size || nfds))
		__builtin_trap();
	if (m.req != VU_SET_MEM_TABLE)
		return 0;
	if (vu_mem_parse(&m, nfds, &mem, e, sizeof(e)))
		return 0;
	if (!mem.n || mem.n > VU_MAX_REGIONS || mem.n != nfds)
		__builtin_trap();
	for (i = 0; i < mem.n; i++) {
		if (!mem.r[i].size || mem.r[i].host ||
		    mem.r[i].gpa + mem.r[i].size < mem.r[i].gpa ||
		    mem.r[i].uva + mem.r[i].size < mem.r[i].uva)
			__builtin_trap();
		for (j = 0; j < i; j++)
			if (overlaps(&mem.r[i], &mem.r[j]))
				__builtin_trap();
	}
	return 0;
}
