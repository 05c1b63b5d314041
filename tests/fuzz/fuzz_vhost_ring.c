// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_vhost_ring.c: libFuzzer target for the split virtqueue walker
 * (net/vhost_user.c) over a fake guest memory region.  The input's head
 * picks the ring size, the ring addresses (maybe outside memory or
 * misaligned), where the walk starts and the direction; the rest fills
 * guest memory: descriptors, avail ring, buffers.  Every chain taken must
 * lie inside the region, be at most VU_SEG_MAX long and add up, and the
 * rings must map inside it.  (Rings may overlap each other here, as a
 * hostile guest may place them: then our used entries rewrite its avail
 * ring, so the walk is bounded by its caller, as the transport's is.)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vhost_user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GPA	0x40000ull
#define UVA	0x7f1234560000ull
#define MEMSZ	16384

static uint8_t guest[MEMSZ] __attribute__((aligned(64)));

static uint64_t addr_of(const uint8_t *p)
{
	/* mostly inside the region, sometimes just outside, or odd */
	return UVA + (uint64_t)((p[0] | p[1] << 8) % (MEMSZ + 64)) - 32;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vu_mem mem = { .n = 1 };
	struct vu_chain c;
	struct vu_vq vq;
	unsigned int s, taken = 0;
	uint64_t total;
	int writable, r;
	char e[256];

	if (size < 12)
		return 0;
	mem.r[0] = (struct vu_region){ .gpa = GPA, .size = MEMSZ, .uva = UVA,
				       .host = guest };
	memset(&vq, 0, sizeof(vq));
	vq.num = 1u << (data[0] % 9);	/* 1 .. 256 */
	vq.desc_ua = addr_of(data + 1);
	vq.avail_ua = addr_of(data + 3);
	vq.used_ua = addr_of(data + 5);
	vq.last_avail = vq.used_idx = (uint16_t)(data[7] | data[8] << 8);
	writable = data[9] & 1;
	vq.enabled = 1;
	vq.started = 1;
	memset(guest, 0, sizeof(guest));
	memcpy(guest, data + 12, size - 12 < MEMSZ ? size - 12 : MEMSZ);
	if (vu_vq_map(&vq, &mem, e, sizeof(e)))
		return 0;
	if (vq.desc < guest || vq.desc + 16 * vq.num > guest + MEMSZ ||
	    vq.used + 6 + 8 * vq.num > guest + MEMSZ)
		__builtin_trap();
	while (taken++ < 4 * vq.num) {
		r = vu_vq_pop(&vq, &mem, writable, &c, e, sizeof(e));
		if (r <= 0)
			break;
		if (c.n == 0 || c.n > VU_SEG_MAX || c.head >= vq.num)
			__builtin_trap();
		total = 0;
		for (s = 0; s < c.n; s++) {
			if (c.seg[s].p < guest ||
			    c.seg[s].p + c.seg[s].len > guest + MEMSZ)
				__builtin_trap();
			total += c.seg[s].len;
		}
		if (total != c.total)
			__builtin_trap();
		vu_vq_push(&vq, c.head, (uint32_t)(total & 0xff));
		if (data[10] & 1) {
			vu_vq_unpop(&vq, 0);
			vu_vq_publish(&vq);
		}
	}
	vu_vq_publish(&vq);
	return 0;
}
