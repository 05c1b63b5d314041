// SPDX-License-Identifier: GPL-2.0-or-later
/* test_fdb.c: the (VLAN, MAC) table: learning, moves, aging, bounds,
 * flushing, one MAC in several VLANs. */
#include <errno.h>
#include <string.h>

#include "../../uml_switch/fdb.h"
#include "test.h"

static void mac_of(unsigned int i, uint8_t *m)
{
	m[0] = 0x02;
	m[1] = 0;
	m[2] = i >> 24;
	m[3] = i >> 16;
	m[4] = i >> 8;
	m[5] = i;
}

static void test_learn_move(void)
{
	struct fdb f;
	uint8_t a[6], b[6];
	int old = -1;

	CHECK(fdb_init(&f, 16, 300) == 0);
	mac_of(1, a);
	mac_of(2, b);
	CHECK(fdb_lookup(&f, 1, a, 0) == -1);
	CHECK(fdb_learn(&f, 1, a, 3, 0, &old) == FDB_NEW);
	CHECK(fdb_learn(&f, 1, a, 3, 1, &old) == FDB_KNOWN);
	CHECK(fdb_lookup(&f, 1, a, 1) == 3);
	CHECK(fdb_learn(&f, 1, a, 5, 2, &old) == FDB_MOVED && old == 3);
	CHECK(fdb_lookup(&f, 1, a, 2) == 5);
	CHECK(fdb_learn(&f, 1, b, 5, 2, &old) == FDB_NEW);
	CHECK(f.count == 2);
	CHECK(fdb_flush_port(&f, 5) == 2);
	CHECK(f.count == 0 && fdb_lookup(&f, 1, a, 2) == -1);
	fdb_free(&f);
}

static void test_aging(void)
{
	struct fdb f;
	uint8_t a[6], b[6];
	int old;

	CHECK(fdb_init(&f, 16, 100) == 0);
	mac_of(1, a);
	mac_of(2, b);
	fdb_learn(&f, 1, a, 1, 1000, &old);
	fdb_learn(&f, 1, b, 2, 1050, &old);
	CHECK(fdb_lookup(&f, 1, a, 1100) == 1);	/* exactly 100 s: kept */
	CHECK(fdb_lookup(&f, 1, a, 1101) == -1);	/* lazily expired */
	CHECK(f.count == 1);
	CHECK(fdb_age(&f, 1151) == 1);
	CHECK(f.count == 0);
	fdb_free(&f);
}

/* A full table refuses new stations (counted) and keeps the old ones. */
static void test_bound(void)
{
	struct fdb f;
	uint8_t m[6];
	unsigned int i;
	int old;

	CHECK(fdb_init(&f, 100, 0) == 0);
	for (i = 0; i < 100; i++) {
		mac_of(i, m);
		CHECK(fdb_learn(&f, 1, m, i % 7 + 1, 0, &old) == FDB_NEW);
	}
	mac_of(1000, m);
	CHECK(fdb_learn(&f, 1, m, 1, 0, &old) == -ENOSPC);
	CHECK(fdb_learn(&f, 1, m, 1, 0, &old) == -ENOSPC);
	CHECK(f.full_events == 2 && f.count == 100);
	for (i = 0; i < 100; i++) {
		mac_of(i, m);
		CHECK(fdb_lookup(&f, 1, m, 0) == (int)(i % 7 + 1));
	}
	/* Deleting by port keeps every other entry reachable (the backward
	 * shift must not break probe runs). */
	CHECK(fdb_flush_port(&f, 3) > 0);
	for (i = 0; i < 100; i++) {
		mac_of(i, m);
		CHECK(fdb_lookup(&f, 1, m, 0) == (i % 7 + 1 == 3 ? -1 :
					       (int)(i % 7 + 1)));
	}
	fdb_free(&f);
}

/* Randomised against a trivial model. */
static void test_model(void)
{
	static int model[512];
	unsigned int i, seed = 12345, op, k;
	struct fdb f;
	uint8_t m[6];
	uint16_t vid;
	int old, ret;

	CHECK(fdb_init(&f, 512, 0) == 0);
	memset(model, -1, sizeof(model));
	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 10;
		k = (seed >> 4) % 512;
		/* four VLANs, the same 128 MACs in each */
		mac_of((k >> 2) * 2654435761u, m);
		vid = (uint16_t)((k & 3) * 1031 + 1);
		if (op < 6) {
			ret = fdb_learn(&f, vid, m, op + 1, 0, &old);
			CHECK(ret >= 0);
			model[k] = op + 1;
		} else if (op < 9) {
			CHECK(fdb_lookup(&f, vid, m, 0) == model[k]);
		} else {
			fdb_flush_port(&f, k % 6 + 1);
			for (unsigned int j = 0; j < 512; j++)
				if (model[j] == (int)(k % 6 + 1))
					model[j] = -1;
		}
	}
	fdb_free(&f);
}

/* One MAC in two VLANs is two stations; the key holds both. */
static void test_vlan(void)
{
	uint8_t a[6] = { 0x02, 0xff, 0xee, 0xdd, 0xcc, 0xbb }, m[6];
	struct fdb f;
	uint64_t key;
	int old = -1;

	CHECK(fdb_init(&f, 16, 0) == 0);
	CHECK(fdb_learn(&f, 10, a, 3, 0, &old) == FDB_NEW);
	CHECK(fdb_lookup(&f, 20, a, 0) == -1);
	CHECK(fdb_learn(&f, 20, a, 4, 0, &old) == FDB_NEW);
	CHECK(fdb_lookup(&f, 10, a, 0) == 3 && fdb_lookup(&f, 20, a, 0) == 4);
	CHECK(fdb_learn(&f, 4094, a, 5, 0, &old) == FDB_NEW);
	CHECK(f.count == 3);
	key = fdb_key(4094, a);
	fdb_key_mac(key, m);
	CHECK(fdb_key_vid(key) == 4094 && !memcmp(m, a, 6));
	CHECK(fdb_key(1, a) != fdb_key(2, a) && fdb_key(1, a) != 0);
	CHECK(fdb_flush_port(&f, 3) == 1);
	CHECK(fdb_lookup(&f, 10, a, 0) == -1 && fdb_lookup(&f, 20, a, 0) == 4);
	fdb_free(&f);
}

int main(void)
{
	test_vlan();
	test_learn_move();
	test_aging();
	test_bound();
	test_model();
	TEST_DONE("test_fdb");
}
