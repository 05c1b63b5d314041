// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhost_user.c: vhost-user messages, the memory table and split
 * virtqueues, checked as a back end must: the front end (a guest's
 * kernel) is not trusted with anything.  No I/O here (vhost_user.h).
 *
 * Rings are in memory the guest writes while we read: each index is read
 * once (a volatile load), checked, and used from our copy; an acquire
 * fence orders reading avail->idx before the entries it covers, a release
 * fence orders our used entries before used->idx.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vhost_user.h"

#define ERR(...)	snprintf(err, errlen, __VA_ARGS__)

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

int vu_hdr_parse(const uint8_t *b, struct vu_msg *m, char *err,
		 size_t errlen)
{
	m->req = get32(b);
	m->flags = get32(b + 4);
	m->size = get32(b + 8);
	if ((m->flags & VU_FLAG_VERSION_MASK) != VU_VERSION) {
		ERR("message %u: version %u, not %u", m->req,
		    m->flags & VU_FLAG_VERSION_MASK, VU_VERSION);
		return -EPROTO;
	}
	if (m->size > VU_PAYLOAD_MAX) {
		ERR("message %u: payload of %u bytes (at most %u)", m->req,
		    m->size, VU_PAYLOAD_MAX);
		return -EPROTO;
	}
	return 0;
}

int vu_msg_check(const struct vu_msg *m, unsigned int nfds, char *err,
		 size_t errlen)
{
	unsigned int want = 0, fds = 0, idx = 0, has_idx = 1;
	uint64_t u;

	switch (m->req) {
	case VU_GET_FEATURES:
	case VU_GET_PROTOCOL_FEATURES:
	case VU_GET_QUEUE_NUM:
	case VU_SET_OWNER:
	case VU_RESET_OWNER:
	case VU_RESET_DEVICE:
		has_idx = 0;
		break;
	case VU_SET_BACKEND_REQ_FD:
		fds = 1;
		has_idx = 0;
		break;
	case VU_SET_FEATURES:
	case VU_SET_PROTOCOL_FEATURES:
		want = 8;
		has_idx = 0;
		break;
	case VU_SET_MEM_TABLE:
		if (m->size < 8) {
			ERR("SET_MEM_TABLE: %u bytes, no region count",
			    m->size);
			return -EINVAL;
		}
		/* UML sends room for more regions than it fills in */
		if (get32(m->payload) <= VU_MAX_REGIONS &&
		    m->size >= 8 + 32 * get32(m->payload) &&
		    m->size <= 8 + 32 * VU_MAX_REGIONS && !(m->size % 8))
			want = m->size;
		else
			want = 8 + 32 * (get32(m->payload) % 256);
		fds = nfds;	/* vu_mem_parse() matches them */
		has_idx = 0;
		break;
	case VU_SET_VRING_ENABLE:
		if (m->size == 8 && get32(m->payload + 4) > 1) {
			ERR("SET_VRING_ENABLE: state %u (0 or 1)",
			    get32(m->payload + 4));
			return -EINVAL;
		}
		want = 8;
		break;
	case VU_SET_VRING_NUM:
	case VU_SET_VRING_BASE:
	case VU_GET_VRING_BASE:
		want = 8;
		break;
	case VU_SET_VRING_ADDR:
		want = 40;
		break;
	case VU_SET_VRING_KICK:
	case VU_SET_VRING_CALL:
	case VU_SET_VRING_ERR:
		want = 8;
		if (m->size == 8) {
			u = get64(m->payload);
			fds = !(u & VU_VRING_NOFD);
			if (u & ~(VU_VRING_NOFD | 0xffull)) {
				ERR("message %u: unknown bits in 0x%llx",
				    m->req, (unsigned long long)u);
				return -EINVAL;
			}
		}
		break;
	default:
		ERR("message %u: not a request we serve", m->req);
		return -EINVAL;
	}
	if (m->size != want) {
		ERR("message %u: %u payload bytes, not %u", m->req, m->size,
		    want);
		return -EINVAL;
	}
	if (nfds != fds) {
		ERR("message %u: %u fds, not %u", m->req, nfds, fds);
		return -EINVAL;
	}
	if (has_idx) {
		idx = m->req >= VU_SET_VRING_KICK &&
		      m->req <= VU_SET_VRING_ERR ? m->payload[0] :
		      get32(m->payload);
		if (idx >= VU_NQUEUES) {
			ERR("message %u: queue %u (a net device has %u)",
			    m->req, idx, VU_NQUEUES);
			return -EINVAL;
		}
	}
	return 0;
}

static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int vu_mem_parse(const struct vu_msg *m, unsigned int nfds,
		 struct vu_mem *mem, char *err, size_t errlen)
{
	uint32_t n = get32(m->payload);
	const uint8_t *p;
	struct vu_region *r;
	unsigned int i, j;

	if (n == 0 || n > VU_MAX_REGIONS || n != nfds) {
		ERR("SET_MEM_TABLE: %u regions with %u fds (1 to %u, one fd "
		    "each)", n, nfds, VU_MAX_REGIONS);
		return -EINVAL;
	}
	memset(mem, 0, sizeof(*mem));
	for (i = 0; i < n; i++) {
		p = m->payload + 8 + 32 * i;
		r = &mem->r[i];
		r->gpa = get64(p);
		r->size = get64(p + 8);
		r->uva = get64(p + 16);
		r->off = get64(p + 24);
		if (!r->size || r->size > (1ull << 40) ||
		    r->gpa + r->size < r->gpa || r->uva + r->size < r->uva ||
		    r->off + r->size < r->off || r->off > (1ull << 48)) {
			ERR("SET_MEM_TABLE: region %u (0x%llx, %llu bytes, "
			    "offset %llu) is empty or wraps", i,
			    (unsigned long long)r->gpa,
			    (unsigned long long)r->size,
			    (unsigned long long)r->off);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (overlap(r->gpa, r->size, mem->r[j].gpa,
				    mem->r[j].size) ||
			    overlap(r->uva, r->size, mem->r[j].uva,
				    mem->r[j].size)) {
				ERR("SET_MEM_TABLE: regions %u and %u "
				    "overlap", j, i);
				return -EINVAL;
			}
		}
	}
	mem->n = n;
	return 0;
}

/* @len bytes at @a, in guest physical (@uva 0) or front end user space */
static uint8_t *vu_translate(const struct vu_mem *mem, uint64_t a,
			     uint64_t len, int uva)
{
	const struct vu_region *r;
	unsigned int i;
	uint64_t base;

	for (i = 0; i < mem->n; i++) {
		r = &mem->r[i];
		base = uva ? r->uva : r->gpa;
		if (r->host && a >= base && a - base <= r->size &&
		    len <= r->size - (a - base))
			return r->host + (a - base);
	}
	return NULL;
}

uint8_t *vu_gpa(const struct vu_mem *mem, uint64_t a, uint64_t len)
{
	return vu_translate(mem, a, len, 0);
}

uint8_t *vu_uva(const struct vu_mem *mem, uint64_t a, uint64_t len)
{
	return vu_translate(mem, a, len, 1);
}

int vu_vq_map(struct vu_vq *vq, const struct vu_mem *mem, char *err,
	      size_t errlen)
{
	uint64_t n = vq->num;

	vq->desc = vq->avail = vq->used = NULL;
	if (!n || (n & (n - 1)) || n > VU_QUEUE_MAX) {
		ERR("ring size %llu (a power of 2 up to %u)",
		    (unsigned long long)n, VU_QUEUE_MAX);
		return -EINVAL;
	}
	if ((vq->desc_ua & 15) || (vq->avail_ua & 1) || (vq->used_ua & 3)) {
		ERR("ring addresses misaligned");
		return -EINVAL;
	}
	vq->desc = vu_uva(mem, vq->desc_ua, 16 * n);
	vq->avail = vu_uva(mem, vq->avail_ua, 6 + 2 * n);
	vq->used = vu_uva(mem, vq->used_ua, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used) {
		vq->desc = vq->avail = vq->used = NULL;
		ERR("ring (desc 0x%llx, avail 0x%llx, used 0x%llx, %llu "
		    "entries) outside the memory table",
		    (unsigned long long)vq->desc_ua,
		    (unsigned long long)vq->avail_ua,
		    (unsigned long long)vq->used_ua, (unsigned long long)n);
		return -EINVAL;
	}
	return 0;
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v = *(const volatile uint16_t *)(const void *)p;

	return le16toh(v);
}

static void store16(uint8_t *p, uint16_t v)
{
	*(volatile uint16_t *)(void *)p = htole16(v);
}

static void store32(uint8_t *p, uint32_t v)
{
	*(volatile uint32_t *)(void *)p = htole32(v);
}

int vu_vq_avail(const struct vu_vq *vq)
{
	return vu_vq_ready(vq) &&
	       load16(vq->avail + 2) != vq->last_avail;
}

#define DESC_F_NEXT	1
#define DESC_F_WRITE	2
#define DESC_F_INDIRECT	4

int vu_vq_pop(struct vu_vq *vq, const struct vu_mem *mem, int writable,
	      struct vu_chain *c, char *err, size_t errlen)
{
	uint16_t aidx, head, flags, i;
	const uint8_t *d;
	uint64_t addr;
	uint32_t len;
	uint8_t *p;

	if (!vu_vq_ready(vq))
		return 0;
	aidx = load16(vq->avail + 2);
	if (aidx == vq->last_avail)
		return 0;
	if ((uint16_t)(aidx - vq->last_avail) > vq->num) {
		ERR("avail index %u is %u entries ahead of %u (ring of %u)",
		    aidx, (uint16_t)(aidx - vq->last_avail), vq->last_avail,
		    vq->num);
		return -EINVAL;
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = load16(vq->avail + 4 + 2 * (vq->last_avail & (vq->num - 1)));
	if (head >= vq->num) {
		ERR("avail entry %u: descriptor %u (ring of %u)",
		    vq->last_avail, head, vq->num);
		return -EINVAL;
	}
	c->head = head;
	c->n = 0;
	c->total = 0;
	i = head;
	for (;;) {
		d = vq->desc + 16 * i;
		memcpy(&addr, d, 8);
		addr = le64toh(addr);
		memcpy(&len, d + 8, 4);
		len = le32toh(len);
		flags = load16(d + 12);
		if (flags & DESC_F_INDIRECT) {
			ERR("descriptor %u: indirect (not negotiated)", i);
			return -EINVAL;
		}
		if (!!(flags & DESC_F_WRITE) != !!writable) {
			ERR("descriptor %u: device-%s in a %s chain", i,
			    writable ? "readable" : "writable",
			    writable ? "receive" : "transmit");
			return -EINVAL;
		}
		if (c->n == VU_SEG_MAX) {
			ERR("chain at descriptor %u: more than %u descriptors "
			    "(or a loop)", head, VU_SEG_MAX);
			return -EINVAL;
		}
		p = vu_gpa(mem, addr, len);
		if (!p) {
			ERR("descriptor %u: %u bytes at 0x%llx outside the "
			    "memory table", i, len, (unsigned long long)addr);
			return -EINVAL;
		}
		c->seg[c->n].p = p;
		c->seg[c->n].len = len;
		c->n++;
		c->total += len;
		if (!(flags & DESC_F_NEXT))
			break;
		i = load16(d + 14);
		if (i >= vq->num) {
			ERR("descriptor %u: next %u (ring of %u)",
			    (unsigned int)(d - vq->desc) / 16, i, vq->num);
			return -EINVAL;
		}
	}
	vq->last_avail++;
	return 1;
}

void vu_vq_unpop(struct vu_vq *vq, unsigned int n)
{
	vq->last_avail -= n;
}

void vu_vq_push(struct vu_vq *vq, uint16_t head, uint32_t len)
{
	uint8_t *e = vq->used + 4 +
		     8 * ((uint16_t)(vq->used_idx + vq->pushed) &
			  (vq->num - 1));

	store32(e, head);
	store32(e + 4, len);
	vq->pushed++;
}

#define AVAIL_F_NO_INTERRUPT	1
#define USED_F_NO_NOTIFY	1

int vu_vq_kicks(struct vu_vq *vq, int on)
{
	if (!vu_vq_ready(vq))
		return 0;
	store16(vq->used, on ? 0 : USED_F_NO_NOTIFY);
	if (!on)
		return 0;
	/* the guest writes avail->idx, then reads our flags: we write the
	 * flags, then read avail->idx, so one of us sees the other */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return vu_vq_avail(vq);
}

int vu_vq_publish(struct vu_vq *vq)
{
	if (!vq->pushed)
		return 0;
	vq->used_idx += vq->pushed;
	vq->pushed = 0;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	store16(vq->used + 2, vq->used_idx);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(load16(vq->avail) & AVAIL_F_NO_INTERRUPT);
}
