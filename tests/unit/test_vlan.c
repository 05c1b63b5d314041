// SPDX-License-Identifier: GPL-2.0-or-later
/* test_vlan.c: a port's VLAN settings (the words of link.h, checked as a
 * whole), and 802.1Q on the way in (vlan_rx) and out (vlan_tx). */
#include <errno.h>
#include <string.h>

#include "../../uml_switch/sw.h"
#include "frame.h"
#include "test.h"

static struct sw sw;	/* link_parse of port 0: the defaults only */

static int parse(const char *text, struct vlan_cfg *c, char *e, size_t n)
{
	struct link_cfg lc;
	int ret = link_parse(&sw, 0, text, &lc, e, n);

	*c = lc.vlan;
	return ret;
}

/* @text is refused, and the message holds @word. */
static void bad(const char *text, const char *word)
{
	struct vlan_cfg c;
	char e[256] = "";

	CHECK(parse(text, &c, e, sizeof(e)) == -EINVAL);
	if (!strstr(e, word)) {
		fprintf(stderr, "'%s': message '%s' lacks '%s'\n", text, e, word);
		test_failures++;
	}
}

static void test_settings(void)
{
	struct vlan_cfg c;
	char e[256];

	CHECK(parse("", &c, e, sizeof(e)) == 0 && !c.trunk && c.pvid == 1);
	CHECK(parse("vlan 10", &c, e, sizeof(e)) == 0 && !c.trunk &&
	      c.pvid == 10);
	CHECK(parse("vlan=4094", &c, e, sizeof(e)) == 0 && c.pvid == 4094);
	CHECK(parse("trunk=10+20+30-40", &c, e, sizeof(e)) == 0 && c.trunk &&
	      c.pvid == 0 && vlan_has(c.vids, 10) && vlan_has(c.vids, 20) &&
	      vlan_has(c.vids, 30) && vlan_has(c.vids, 35) &&
	      vlan_has(c.vids, 40) && !vlan_has(c.vids, 41) &&
	      !vlan_has(c.vids, 11));
	CHECK(parse("trunk 10 20 native 1", &c, e, sizeof(e)) == 0 &&
	      c.trunk && c.pvid == 1 && vlan_has(c.vids, 20));
	CHECK(parse("native 5 trunk 1-4094", &c, e, sizeof(e)) == 0 &&
	      c.pvid == 5 && vlan_has(c.vids, 1) && vlan_has(c.vids, 4094));
	CHECK(parse("trunk,10,20,native,none", &c, e, sizeof(e)) == 0 &&
	      c.pvid == 0);
	bad("vlan 0", "vlan 0");
	bad("vlan 4095", "vlan 4095");
	bad("vlan 99999", "vlan 99999");
	bad("vlan ten", "vlan ten");
	bad("vlan", "vlan (nothing)");
	bad("vlan -1", "vlan -1");
	bad("trunk", "'trunk' needs");
	bad("trunk native 1", "'trunk' needs");
	bad("trunk 10+0", "'0'");
	bad("trunk 10+4095", "'4095'");
	bad("trunk 20-10", "'20-10'");
	bad("trunk 10++20", "''");
	bad("trunk 10 x", "'x'");
	bad("trunk 10 native 0", "native 0");
	bad("vlan 10 trunk 20", "'vlan' and 'trunk'");
	bad("vlan 10 vlan 20", "'vlan' given twice");
	bad("native 10", "'native' is a trunk's");
	bad("vlan 10 native 10", "'native' is a trunk's");
	bad("vlan 10 colour blue", "'colour'");
}

/* A frame: dst, src, then an 802.1Q tag of @tci if @tagged, then type
 * 0x0800 and a payload. */
static size_t frame(uint8_t *f, int tagged, uint16_t tci, size_t payload)
{
	size_t n = 12, i;

	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	if (tagged) {
		frame_put16(f + n, ETH_TYPE_8021Q);
		frame_put16(f + n + 2, tci);
		n += 4;
	}
	frame_put16(f + n, ETH_TYPE_IPV4);
	n += 2;
	for (i = 0; i < payload; i++)
		f[n + i] = (uint8_t)i;
	return n + payload;
}

static void port_of(struct vlan_port *vp, const char *text)
{
	struct vlan_cfg c;
	char e[256];

	CHECK(parse(text, &c, e, sizeof(e)) == 0);
	vlan_port_init(vp, &c);
}

static void test_rx(void)
{
	struct vlan_port acc, tr, trn;
	struct vlan_meta m;
	uint8_t f[128];
	size_t n;

	port_of(&acc, "vlan 10");
	port_of(&tr, "trunk 10+20");
	port_of(&trn, "trunk 10+20 native 30");
	CHECK(acc.custom && vlan_carries(&acc, 10) && !vlan_carries(&acc, 1));
	CHECK(vlan_carries(&trn, 30) && vlan_carries(&trn, 20) &&
	      !vlan_carries(&tr, 30));
	/* an access port: everything is its VLAN, tags and all */
	n = frame(f, 1, 0xa014, 50);
	CHECK(vlan_rx(&acc, f, n, &m) == 0 && m.vid == 10 && !m.tagged &&
	      !m.prio);
	/* a trunk: the tag says, priority bits kept */
	CHECK(vlan_rx(&tr, f, n, &m) == 0 && m.vid == 20 && m.tagged &&
	      m.prio == 0xa000);
	n = frame(f, 1, 0x0021, 50);	/* VID 33: not carried */
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	n = frame(f, 1, 0x0fff, 50);	/* VID 4095: reserved */
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	n = frame(f, 0, 0, 50);		/* untagged: native, or dropped */
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	CHECK(vlan_rx(&trn, f, n, &m) == 0 && m.vid == 30 && !m.tagged);
	n = frame(f, 1, 0xe000, 50);	/* priority-tagged: native */
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	CHECK(vlan_rx(&trn, f, n, &m) == 0 && m.vid == 30 && m.tagged &&
	      m.prio == 0xe000);
	n = frame(f, 1, 0x000a, 0);	/* a tag cut short */
	CHECK(vlan_rx(&tr, f, 16, &m) == -1);
	/* 802.1ad: untagged, for 802.1Q (the native VLAN, untouched) */
	frame_put16(f + 12, ETH_TYPE_8021AD);
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	CHECK(vlan_rx(&trn, f, n, &m) == 0 && m.vid == 30 && !m.tagged);
}

static void test_tx(void)
{
	struct vlan_port acc, tr, trn;
	struct vlan_meta m;
	uint8_t f[128], g[128], out[132];
	size_t n, k;

	port_of(&acc, "vlan 10");
	port_of(&tr, "trunk 10+20");
	port_of(&trn, "trunk 10+20 native 10");
	/* from an access port to a trunk: tagged, PCP 0 */
	n = frame(f, 0, 0, 46);
	CHECK(vlan_rx(&acc, f, n, &m) == 0);
	CHECK(vlan_tx(&acc, &m, f, n, out) == 0);	/* as it is */
	CHECK(vlan_tx(&trn, &m, f, n, out) == 0);	/* native */
	CHECK(vlan_tx(&tr, &m, f, n, out) == (ssize_t)n + 4);
	k = frame(g, 1, 0x000a, 46);
	CHECK(!memcmp(out, g, k));
	/* from a trunk, tagged 10 with PCP 5: untagged to the access port
	 * and the native trunk, as it is to the other trunk */
	n = frame(f, 1, 0xa00a, 46);
	CHECK(vlan_rx(&tr, f, n, &m) == 0);
	CHECK(vlan_tx(&acc, &m, f, n, out) == (ssize_t)n - 4);
	k = frame(g, 0, 0, 46);
	CHECK(!memcmp(out, g, k));
	CHECK(vlan_tx(&trn, &m, f, n, out) == (ssize_t)n - 4);
	CHECK(vlan_tx(&tr, &m, f, n, out) == 0);
	/* priority-tagged, in native 10: the tag gets its VID */
	port_of(&trn, "trunk 20 native 10");
	n = frame(f, 1, 0x6000, 46);
	CHECK(vlan_rx(&trn, f, n, &m) == 0 && m.vid == 10);
	CHECK(vlan_tx(&tr, &m, f, n, out) == (ssize_t)n);
	k = frame(g, 1, 0x600a, 46);
	CHECK(!memcmp(out, g, k));
	/* the shortest frames both ways */
	n = frame(f, 1, 0x000a, 0) - 2;	/* 16 bytes: the tag cut short */
	CHECK(vlan_rx(&tr, f, n, &m) == -1);
	n = 18;
	CHECK(vlan_rx(&tr, f, n, &m) == 0);
	CHECK(vlan_tx(&acc, &m, f, n, out) == 14);
	m = (struct vlan_meta){ .vid = 10 };
	CHECK(vlan_tx(&tr, &m, g, 14, out) == 18);
}

/* A frame of FRAME_MAX bytes cannot take a tag. */
static void test_too_long(void)
{
	static uint8_t f[FRAME_MAX], out[FRAME_MAX + VLAN_HLEN];
	struct vlan_meta m = { .vid = 10 };
	struct vlan_port tr;

	port_of(&tr, "trunk 10");
	frame(f, 0, 0, 46);
	CHECK(vlan_tx(&tr, &m, f, FRAME_MAX, out) == -EMSGSIZE);
	CHECK(vlan_tx(&tr, &m, f, FRAME_MAX - 4, out) == FRAME_MAX);
}

int main(void)
{
	test_settings();
	test_rx();
	test_tx();
	test_too_long();
	TEST_DONE("test_vlan");
}
