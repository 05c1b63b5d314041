// SPDX-License-Identifier: GPL-2.0-or-later
/* test_link.c: a port's link settings: a --port spec's switch keys told
 * apart from its transport's, and the grammar's limits. */
#include <string.h>

#include "../../net/transport.h"
#include "../../uml_switch/sw.h"
#include "test.h"

static void split(const char *spec, const char *want_t, const char *want_l)
{
	char t[TP_SPEC_MAX], l[LINK_TEXT_MAX], e[128];

	CHECK(link_split_spec(spec, t, sizeof(t), l, sizeof(l), e,
			      sizeof(e)) == 0);
	if (strcmp(t, want_t) || strcmp(l, want_l)) {
		fprintf(stderr, "split '%s': '%s' and '%s', want '%s' and "
			"'%s'\n", spec, t, l, want_t, want_l);
		test_failures++;
	}
}

static void test_split(void)
{
	char t[16], l[16], e[128];

	split("mcast", "mcast", "");
	split("tuntap:dev=t0", "tuntap:dev=t0", "");
	split("tuntap:dev=t0,vlan=10", "tuntap:dev=t0", "vlan=10");
	split("tuntap:vlan=10,dev=t0", "tuntap:dev=t0", "vlan=10");
	split("ucast:vlan=3,local=127.0.0.1:5,vlan=4,remote=127.0.0.1:6",
	      "ucast:local=127.0.0.1:5,remote=127.0.0.1:6", "vlan=3,vlan=4");
	split("tuntap:vlan=10", "tuntap", "vlan=10");
	split("slirp:mtu=1500", "slirp:mtu=1500", "");
	/* too long for either part: refused, not cut short */
	CHECK(link_split_spec("tuntap:dev=abcdefghijklmnop", t, sizeof(t), l,
			      sizeof(l), e, sizeof(e)) < 0);
	CHECK(link_split_spec("tuntap:vlan=1234567890123456", t, sizeof(t), l,
			      sizeof(l), e, sizeof(e)) < 0);
}

static void test_words(void)
{
	static struct sw sw;
	char big[LINK_TEXT_MAX + 8], e[160];
	struct link_cfg c;
	unsigned int i;

	CHECK(link_parse(&sw, 0, "", &c, e, sizeof(e)) == 0);
	CHECK(link_parse(&sw, 0, " , ", &c, e, sizeof(e)) == 0);
	CHECK(link_parse(&sw, 0, "colour red", &c, e, sizeof(e)) < 0 &&
	      strstr(e, "'colour'"));
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(link_parse(&sw, 0, big, &c, e, sizeof(e)) < 0 &&
	      strstr(e, "longer"));
	for (i = 0; i + 2 < LINK_TEXT_MAX; i += 2)
		memcpy(big + i, "x,", 2);
	big[i] = '\0';
	CHECK(link_parse(&sw, 0, big, &c, e, sizeof(e)) < 0 &&
	      strstr(e, "words"));
}

int main(void)
{
	test_split();
	test_words();
	TEST_DONE("test_link");
}
