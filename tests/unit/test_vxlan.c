// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vxlan.c: the VXLAN header codec and VTEP table (net/vxlan.c), and
 * bad vxlan specs refused with a message naming the culprit.  (The
 * transport on the loopback interface is in test_tp_udp.c.)
 */
#include <stdio.h>
#include <string.h>

#include "transport.h"
#include "vxlan.h"
#include "test.h"

static void test_codec(void)
{
	uint8_t d[64] = { 0 };
	size_t inner = 0;

	vxlan_hdr_put(d, 0xabcdef);
	CHECK(d[0] == 0x08 && d[1] == 0 && d[2] == 0 && d[3] == 0);
	CHECK(d[4] == 0xab && d[5] == 0xcd && d[6] == 0xef && d[7] == 0);
	CHECK(vxlan_decode(d, 8 + 14, 0xabcdef, 1500, &inner) == VXLAN_OK);
	CHECK(inner == 14);
	CHECK(vxlan_decode(d, 7, 0xabcdef, 1500, &inner) == VXLAN_SHORT);
	CHECK(vxlan_decode(d, 8 + 13, 0xabcdef, 1500, &inner) == VXLAN_SHORT);
	CHECK(vxlan_decode(d, 64, 0xabcdee, 1500, &inner) == VXLAN_WRONG_VNI);
	CHECK(vxlan_decode(d, 64, 0xabcdef, 55, &inner) == VXLAN_TOO_BIG);
	CHECK(vxlan_decode(d, 64, 0xabcdef, 56, &inner) == VXLAN_OK);
	d[0] = 0xf7;	/* every reserved bit set, I clear */
	CHECK(vxlan_decode(d, 64, 0xabcdef, 1500, &inner) == VXLAN_NO_I);
	d[0] = 0xff;	/* reserved bits are ignored (RFC 7348 5) */
	d[7] = 0xff;
	CHECK(vxlan_decode(d, 64, 0xabcdef, 1500, &inner) == VXLAN_OK);
}

static void test_fdb(void)
{
	static struct vxlan_fdb t;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, a[16] = { 10 }, b[16] = { 11 };
	const struct vxlan_fdb_ent *got;
	unsigned int i;

	CHECK(!vxlan_fdb_lookup(&t, mac, 1000));
	vxlan_fdb_learn(&t, mac, a, 7, 1000);
	got = vxlan_fdb_lookup(&t, mac, 2000);
	CHECK(got && got->vtep[0] == 10 && got->port != 8);
	vxlan_fdb_learn(&t, mac, b, 8, 3000);	/* moved */
	got = vxlan_fdb_lookup(&t, mac, 3000);
	CHECK(got && got->vtep[0] == 11 && got->port == 8);
	CHECK(!vxlan_fdb_lookup(&t, mac, 3000 + VXLAN_AGE_MS));	/* aged */
	/* far more MACs than slots: never a crash, the newest found */
	for (i = 0; i < 4 * VXLAN_FDB_SIZE; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		vxlan_fdb_learn(&t, mac, a, 9, 5000 + i);
	}
	got = vxlan_fdb_lookup(&t, mac, 5000 + i);
	CHECK(got && got->vtep[0] == 10 && got->port != 8);
}

static void test_bad(void)
{
	static const struct bad_spec bad[] = {
		{ "vxlan:remote=127.0.0.1", "vni" },
		{ "vxlan:vni=16777216,remote=127.0.0.1", "16777216" },
		{ "vxlan:vni=-1,remote=127.0.0.1", "'-1'" },
		{ "vxlan:vni=x,remote=127.0.0.1", "'x'" },
		{ "vxlan:vni=1", "remote" },
		{ "vxlan:vni=1,remote=localhost", "localhost" },
		{ "vxlan:vni=1,remote=10.0.0.1+", "remote ''" },
		{ "vxlan:vni=1,remote=10.0.0.1+fd00::1", "fd00::1" },
		{ "vxlan:vni=1,remote=239.1.1.1", "group=" },
		{ "vxlan:vni=1,remote=0.0.0.0", "0.0.0.0" },
		{ "vxlan:vni=1,remote=10.0.0.1+10.0.0.1", "twice" },
		{ "vxlan:vni=1,remote=10.0.0.1,group=239.1.1.1", "not both" },
		{ "vxlan:vni=1,group=10.0.0.1", "not a multicast" },
		{ "vxlan:vni=1,group=fd00::1", "fd00::1" },
		{ "vxlan:vni=1,group=239.1.1.1,if=nosuchif9", "nosuchif9" },
		{ "vxlan:vni=1,remote=10.0.0.1,if=lo", "if=" },
		{ "vxlan:vni=1,remote=10.0.0.1,port=0", "port '0'" },
		{ "vxlan:vni=1,remote=10.0.0.1,port=65536", "65536" },
		{ "vxlan:vni=1,remote=10.0.0.1,ttl=0", "ttl '0'" },
		{ "vxlan:vni=1,remote=10.0.0.1,ttl=256", "256" },
		{ "vxlan:vni=1,remote=10.0.0.1,mtu=67", "mtu '67'" },
		{ "vxlan:vni=1,remote=10.0.0.1,mtu=65486", "65486" },
		{ "vxlan:vni=1,remote=10.0.0.1,local=fd00::1", "fd00::1" },
		{ "vxlan:vni=1,remote=10.0.0.1,local=239.0.0.1", "239.0.0.1" },
		{ "vxlan:vni=1,group=ff05::1,local=fd00::1", "if=" },
		{ "vxlan:vni=1,remote=10.0.0.1,vni=2", "twice" },
		{ "vxlan:vni=1,remote=10.0.0.1,learn=0", "learn" },
		{ "vxlan:vni=1,remote=10.0.0.1,srcport=2", "srcport '2'" },
		{ "vxlan:vni=1,remote=10.0.0.1,mac=02:00:00:00:00:01", "mac=" },
		{ "vxlan,1,,,,,,,,,,x", "field 11" },
		{ NULL, NULL },
	};
	check_bad_specs(bad);
}

int main(void)
{
	test_codec();
	test_fdb();
	test_bad();
	TEST_DONE("test_vxlan");
}
