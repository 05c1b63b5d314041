// SPDX-License-Identifier: GPL-2.0-or-later
/* fdb.c: bounded (VLAN, MAC) learning table with aging. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdb.h"

int fdb_init(struct fdb *f, uint32_t max, uint32_t aging)
{
	uint32_t cap = 16;

	if (max == 0 || max > (1U << 24))
		return -EINVAL;
	while (cap < max * 2)	/* load factor at most 1/2 */
		cap <<= 1;
	f->slot = calloc(cap, sizeof(*f->slot));
	if (!f->slot)
		return -ENOMEM;
	f->mask = cap - 1;
	f->count = 0;
	f->max = max;
	f->aging = aging;
	f->full_events = 0;
	f->aged = NULL;
	f->aged_ctx = NULL;
	return 0;
}

void fdb_free(struct fdb *f)
{
	free(f->slot);
	f->slot = NULL;
}

static uint32_t fdb_hash(uint64_t key)
{
	key ^= key >> 29;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 32;
	return (uint32_t)key;
}

/* Slot holding @key, or the empty slot where it would go. */
static uint32_t fdb_find(const struct fdb *f, uint64_t key)
{
	uint32_t i = fdb_hash(key) & f->mask;

	while (f->slot[i].key && f->slot[i].key != key)
		i = (i + 1) & f->mask;
	return i;
}

/* Remove slot @i, shifting later members of the probe run back. */
static void fdb_remove(struct fdb *f, uint32_t i)
{
	uint32_t j = i, home;

	for (;;) {
		f->slot[i].key = 0;
		for (;;) {
			j = (j + 1) & f->mask;
			if (!f->slot[j].key) {
				f->count--;
				return;
			}
			home = fdb_hash(f->slot[j].key) & f->mask;
			/* Can slot j move to i?  Only if home is not in (i, j]. */
			if (i <= j ? (home <= i || home > j) :
				     (home <= i && home > j))
				break;
		}
		f->slot[i] = f->slot[j];
		i = j;
	}
}

static int fdb_expired(const struct fdb *f, const struct fdb_entry *e,
		       uint32_t now)
{
	return f->aging && now - e->seen > f->aging;
}

static void fdb_age_out(struct fdb *f, uint32_t i)
{
	if (f->aged)
		f->aged(f->aged_ctx, f->slot[i].key, f->slot[i].port);
	fdb_remove(f, i);
}

int fdb_learn(struct fdb *f, uint16_t vid, const uint8_t *mac, int port,
	      uint32_t now, int *old)
{
	uint64_t key = fdb_key(vid, mac);
	uint32_t i = fdb_find(f, key);
	struct fdb_entry *e = &f->slot[i];

	if (e->key) {
		e->seen = now;
		if (e->port == port)
			return FDB_KNOWN;
		*old = e->port;
		e->port = port;
		return FDB_MOVED;
	}
	if (f->count >= f->max) {
		f->full_events++;
		return -ENOSPC;
	}
	e->key = key;
	e->port = port;
	e->seen = now;
	f->count++;
	return FDB_NEW;
}

int fdb_lookup(struct fdb *f, uint16_t vid, const uint8_t *mac,
	       uint32_t now)
{
	uint32_t i = fdb_find(f, fdb_key(vid, mac));

	if (!f->slot[i].key)
		return -1;
	if (fdb_expired(f, &f->slot[i], now)) {
		fdb_age_out(f, i);
		return -1;
	}
	return f->slot[i].port;
}

/* Removal shifts entries backwards, so rescan a slot after removing. */
static uint32_t fdb_sweep(struct fdb *f, int port, uint32_t now, int by_age)
{
	uint32_t i = 0, n = 0;

	while (i <= f->mask) {
		struct fdb_entry *e = &f->slot[i];

		if (e->key && by_age && fdb_expired(f, e, now)) {
			fdb_age_out(f, i);
			n++;
			continue;
		}
		if (e->key && !by_age && e->port == port) {
			fdb_remove(f, i);
			n++;
			continue;
		}
		i++;
	}
	return n;
}

uint32_t fdb_flush_port(struct fdb *f, int port)
{
	return fdb_sweep(f, port, 0, 0);
}

uint32_t fdb_flush_all(struct fdb *f)
{
	uint32_t n = f->count;

	memset(f->slot, 0, ((size_t)f->mask + 1) * sizeof(*f->slot));
	f->count = 0;
	return n;
}

uint32_t fdb_age(struct fdb *f, uint32_t now)
{
	return f->aging ? fdb_sweep(f, 0, now, 1) : 0;
}
