/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdb.h: the MAC learning table, keyed by (VLAN, MAC).  Open addressing
 * with linear probing and backward-shift deletion; sized once at start-up
 * (never grows); entries age out lazily on lookup and in a periodic sweep.
 */
#ifndef UMLNET_FDB_H
#define UMLNET_FDB_H

#include <stdint.h>

struct fdb_entry {
	uint64_t key;		/* fdb_key(): (VID << 48 | MAC) + 1; 0 = empty */
	uint32_t seen;		/* monotonic seconds */
	int port;
};

struct fdb {
	struct fdb_entry *slot;
	uint32_t mask;		/* capacity - 1 (power of two) */
	uint32_t count;
	uint32_t max;		/* at most this many entries */
	uint32_t aging;		/* seconds; 0 = never */
	uint64_t full_events;	/* learn refused because the table is full */
	/* NULL, or told of each entry that ages out (key: fdb_key()) */
	void (*aged)(void *ctx, uint64_t key, int port);
	void *aged_ctx;
};

enum fdb_learn_result {
	FDB_KNOWN = 0,		/* refreshed, same port */
	FDB_NEW = 1,
	FDB_MOVED = 2,		/* station moved; *old is its former port */
};

/** fdb_key() - the table's key of @mac in VLAN @vid (12 bits). */
static inline uint64_t fdb_key(uint16_t vid, const uint8_t *mac)
{
	return ((uint64_t)(vid & 0xfff) << 48 |
		(uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
		(uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 |
		(uint64_t)mac[4] << 8 | mac[5]) + 1;
}

/** fdb_key_vid() - the VLAN of table key @key. */
static inline uint16_t fdb_key_vid(uint64_t key)
{
	return (uint16_t)((key - 1) >> 48);
}

/** fdb_key_mac() - the MAC of table key @key, into @mac. */
static inline void fdb_key_mac(uint64_t key, uint8_t *mac)
{
	int i;

	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)((key - 1) >> (40 - 8 * i));
}

/**
 * fdb_init() - allocate a table for @max entries aging after @aging s.
 * Return: 0 or -ENOMEM/-EINVAL.
 */
int fdb_init(struct fdb *f, uint32_t max, uint32_t aging);
void fdb_free(struct fdb *f);

/**
 * fdb_learn() - record that @mac was seen in VLAN @vid on @port at @now.
 * @old:	set to the former port on FDB_MOVED
 * Return: an fdb_learn_result, or -ENOSPC when the table is full (counted).
 */
int fdb_learn(struct fdb *f, uint16_t vid, const uint8_t *mac, int port,
	      uint32_t now, int *old);

/**
 * fdb_lookup() - port @mac was last seen on in VLAN @vid, or -1 if
 * unknown or aged out.
 */
int fdb_lookup(struct fdb *f, uint16_t vid, const uint8_t *mac,
	       uint32_t now);

/** fdb_flush_port() - forget every entry of @port.  Return: how many. */
uint32_t fdb_flush_port(struct fdb *f, int port);

/** fdb_flush_all() - forget every entry.  Return: how many. */
uint32_t fdb_flush_all(struct fdb *f);

/** fdb_age() - drop entries idle for more than the aging time. */
uint32_t fdb_age(struct fdb *f, uint32_t now);

#endif /* UMLNET_FDB_H */
