// SPDX-License-Identifier: GPL-2.0-or-later
/* vxlan.c: the VXLAN header codec and VTEP table (no OS headers). */
#include <string.h>

#include "frame.h"
#include "vxlan.h"

void vxlan_hdr_put(uint8_t *h, uint32_t vni)
{
	memset(h, 0, VXLAN_HLEN);
	h[0] = VXLAN_FLAG_I;
	h[4] = (uint8_t)(vni >> 16);
	h[5] = (uint8_t)(vni >> 8);
	h[6] = (uint8_t)vni;
}

enum vxlan_verdict vxlan_decode(const uint8_t *h, size_t len, uint32_t vni,
				size_t max, size_t *inner)
{
	if (len < VXLAN_HLEN + FRAME_MIN)
		return VXLAN_SHORT;
	if (!(h[0] & VXLAN_FLAG_I))
		return VXLAN_NO_I;
	if (((uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6]) != vni)
		return VXLAN_WRONG_VNI;
	if (len - VXLAN_HLEN > max)
		return VXLAN_TOO_BIG;
	*inner = len - VXLAN_HLEN;
	return VXLAN_OK;
}

static unsigned int vxlan_fdb_hash(uint64_t key)
{
	key *= 0x9e3779b97f4a7c15ull;	/* Fibonacci hashing */
	return (unsigned int)(key >> 40) & (VXLAN_FDB_SIZE - 1);
}

static int vxlan_fdb_live(const struct vxlan_fdb_ent *e, uint64_t now_ms)
{
	return e->key && now_ms - e->seen_ms < VXLAN_AGE_MS;
}

/* How much an entry is still worth: 0 when free or aged out, else the
 * later it was seen, the more. */
static uint64_t vxlan_fdb_worth(const struct vxlan_fdb_ent *e, uint64_t now_ms)
{
	return vxlan_fdb_live(e, now_ms) ? e->seen_ms + 1 : 0;
}

void vxlan_fdb_learn(struct vxlan_fdb *t, const uint8_t *mac,
		     const uint8_t *vtep, uint16_t port, uint64_t now_ms)
{
	uint64_t key = mac_key(mac) + 1;
	unsigned int h = vxlan_fdb_hash(key), i;
	struct vxlan_fdb_ent *e, *victim = NULL;

	/* its own entry, else the least worth in the window */
	for (i = 0; i < VXLAN_FDB_PROBE; i++) {
		e = &t->e[(h + i) & (VXLAN_FDB_SIZE - 1)];
		if (e->key == key) {
			victim = e;
			break;
		}
		if (!victim || vxlan_fdb_worth(e, now_ms) <
			       vxlan_fdb_worth(victim, now_ms))
			victim = e;
	}
	victim->key = key;
	victim->seen_ms = now_ms;
	memcpy(victim->vtep, vtep, VXLAN_ADDR_LEN);
	victim->port = port;
}

const struct vxlan_fdb_ent *vxlan_fdb_lookup(const struct vxlan_fdb *t,
					     const uint8_t *mac,
					     uint64_t now_ms)
{
	uint64_t key = mac_key(mac) + 1;
	unsigned int h = vxlan_fdb_hash(key), i;
	const struct vxlan_fdb_ent *e;

	for (i = 0; i < VXLAN_FDB_PROBE; i++) {
		e = &t->e[(h + i) & (VXLAN_FDB_SIZE - 1)];
		if (e->key == key)
			return vxlan_fdb_live(e, now_ms) ? e : NULL;
	}
	return NULL;
}
