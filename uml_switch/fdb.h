/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdb.h: the MAC learning table.  Open addressing with linear probing and
 * backward-shift deletion; sized once at start-up (never grows); entries
 * age out lazily on lookup and in a periodic sweep.
 */
#ifndef UMLNET_FDB_H
#define UMLNET_FDB_H

#include <stdint.h>

struct fdb_entry {
	uint64_t key;		/* MAC + 1, 0 = empty slot */
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
	/* NULL, or told of each entry that ages out (key: MAC + 1) */
	void (*aged)(void *ctx, uint64_t key, int port);
	void *aged_ctx;
};

enum fdb_learn_result {
	FDB_KNOWN = 0,		/* refreshed, same port */
	FDB_NEW = 1,
	FDB_MOVED = 2,		/* station moved; *old is its former port */
};

/**
 * fdb_init() - allocate a table for @max entries aging after @aging s.
 * Return: 0 or -ENOMEM/-EINVAL.
 */
int fdb_init(struct fdb *f, uint32_t max, uint32_t aging);
void fdb_free(struct fdb *f);

/**
 * fdb_learn() - record that @mac was seen on @port at @now.
 * @old:	set to the former port on FDB_MOVED
 * Return: an fdb_learn_result, or -ENOSPC when the table is full (counted).
 */
int fdb_learn(struct fdb *f, const uint8_t *mac, int port, uint32_t now,
	      int *old);

/**
 * fdb_lookup() - port @mac was last seen on, or -1 if unknown or aged out.
 */
int fdb_lookup(struct fdb *f, const uint8_t *mac, uint32_t now);

/** fdb_flush_port() - forget every entry of @port.  Return: how many. */
uint32_t fdb_flush_port(struct fdb *f, int port);

/** fdb_flush_all() - forget every entry.  Return: how many. */
uint32_t fdb_flush_all(struct fdb *f);

/** fdb_age() - drop entries idle for more than the aging time. */
uint32_t fdb_age(struct fdb *f, uint32_t now);

#endif /* UMLNET_FDB_H */
