// SPDX-License-Identifier: GPL-2.0-or-later
/* pool.c: the switch's preallocated, reference-counted frame buffers. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "pool.h"

int pool_init(struct pool *p, unsigned int nsmall, unsigned int nlarge)
{
	size_t bytes = (size_t)nsmall * POOL_SMALL_SIZE +
		       (size_t)nlarge * POOL_LARGE_SIZE;
	unsigned int i;
	uint8_t *m;

	p->bufs = calloc(nsmall + nlarge, sizeof(*p->bufs));
	/* mmap: untouched buffers cost no memory until first used. */
	p->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!p->bufs || p->mem == MAP_FAILED) {
		free(p->bufs);
		return -ENOMEM;
	}
	p->nsmall = nsmall;
	p->nlarge = nlarge;
	p->free_small = p->free_large = NULL;
	p->nfree_small = p->nfree_large = 0;
	m = p->mem;
	for (i = 0; i < nsmall + nlarge; i++) {
		struct buf *b = &p->bufs[i];

		b->large = i >= nsmall;
		b->data = m;
		m += b->large ? POOL_LARGE_SIZE : POOL_SMALL_SIZE;
		b->refs = 1;
		pool_put(p, b);
	}
	return 0;
}

void pool_free(struct pool *p)
{
	munmap(p->mem, (size_t)p->nsmall * POOL_SMALL_SIZE +
			       (size_t)p->nlarge * POOL_LARGE_SIZE);
	free(p->bufs);
}

struct buf *pool_get(struct pool *p, int large)
{
	struct buf *b = large ? p->free_large : p->free_small;

	if (!b)
		return NULL;
	if (large) {
		p->free_large = b->next;
		p->nfree_large--;
	} else {
		p->free_small = b->next;
		p->nfree_small--;
	}
	b->refs = 1;
	b->next = NULL;
	return b;
}
