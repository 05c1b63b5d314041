/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.h: frame buffers, allocated once at start-up.  A frame queued to
 * several ports is one buffer with a reference count, never a copy.  Small
 * buffers hold ordinary frames; a few large ones hold jumbo frames.
 */
#ifndef UMLNET_POOL_H
#define UMLNET_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "offload.h"

#define POOL_SMALL_SIZE	2048
#define POOL_LARGE_SIZE	65536

/* The VLAN a frame was classified in on its way in (vlan.h). */
struct vlan_meta {
	uint16_t vid;		/* 1..4094 */
	uint16_t prio;		/* its tag's PCP and DEI bits (0xf000), or 0 */
	uint8_t tagged;		/* bytes 12..15 are the 802.1Q tag it came in */
};

struct buf {
	uint8_t *data;
	uint32_t len;
	uint16_t refs;
	uint8_t large;
	struct vlan_meta vm;
	struct tp_vnet vn;	/* offloads left to do (offload.h), or 0 */
	struct off_pkt op;	/* for a GSO frame: its headers (off_parse) */
	struct buf *next;	/* free list */
};

struct pool {
	struct buf *free_small, *free_large;
	unsigned int nfree_small, nfree_large;
	unsigned int nsmall, nlarge;
	struct buf *bufs;
	uint8_t *mem;
};

/** pool_init() - allocate @nsmall small and @nlarge large buffers. */
int pool_init(struct pool *p, unsigned int nsmall, unsigned int nlarge);
void pool_free(struct pool *p);

/** pool_get() - a buffer with one reference, or NULL if none is free. */
struct buf *pool_get(struct pool *p, int large);

/** pool_put() - drop one reference; the last one frees the buffer. */
static inline void pool_put(struct pool *p, struct buf *b)
{
	if (--b->refs)
		return;
	if (b->large) {
		b->next = p->free_large;
		p->free_large = b;
		p->nfree_large++;
	} else {
		b->next = p->free_small;
		p->free_small = b;
		p->nfree_small++;
	}
}

#endif /* UMLNET_POOL_H */
