// SPDX-License-Identifier: GPL-2.0-or-later
/* test_spec.c: the shared transport spec parser and MAC parsing. */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "transport.h"
#include "test.h"

static int parse(const char *str, struct tp_spec *s, char *err)
{
	return tp_spec_parse(str, s, err, TP_ERR_MAX);
}

int main(void)
{
	char err[TP_ERR_MAX], big[TP_SPEC_MAX + 10];
	struct tp_spec s;
	uint8_t mac[6];

	/* Legacy positional form; empty fields keep defaults. */
	CHECK(parse("daemon,,unix,/tmp/x.ctl", &s, err) == 0);
	CHECK(!strcmp(s.name, "daemon"));
	CHECK(tp_spec_get(&s, "mac") == NULL);
	CHECK(!strcmp(tp_spec_get(&s, "type"), "unix"));
	CHECK(!strcmp(tp_spec_get(&s, "ctl"), "/tmp/x.ctl"));
	CHECK(parse("daemon", &s, err) == 0 && s.n == 0);
	CHECK(parse("daemon,fe:fd:0:0:0:1", &s, err) == 0);
	CHECK(!strcmp(tp_spec_get(&s, "mac"), "fe:fd:0:0:0:1"));

	/* Keyed form. */
	CHECK(parse("daemon:ctl=/a,mac=02:00:00:00:00:01", &s, err) == 0);
	CHECK(!strcmp(tp_spec_get(&s, "ctl"), "/a"));

	/* Errors name the culprit. */
	CHECK(parse("daemon,,unix,/x,extra", &s, err) == -EINVAL);
	CHECK(strstr(err, "extra") != NULL);
	CHECK(parse("daemon:bogus=1", &s, err) == -EINVAL);
	CHECK(strstr(err, "bogus") != NULL);
	CHECK(parse("daemon:ctl=/a,ctl=/b", &s, err) == -EINVAL);
	CHECK(strstr(err, "twice") != NULL);
	CHECK(parse("daemon:ctl", &s, err) == -EINVAL);
	CHECK(parse("nosuch,1,2", &s, err) == -EINVAL);
	CHECK(strstr(err, "nosuch") != NULL);
	CHECK(parse("daemo", &s, err) == -EINVAL);	/* no prefix match */
	CHECK(parse("daemonx", &s, err) == -EINVAL);
	CHECK(parse("", &s, err) == -EINVAL);
	CHECK(parse(",x", &s, err) == -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(parse(big, &s, err) == -ENAMETOOLONG);

	/* One MAC rule: checked by the parser, the NIC's to use, and refused
	 * by tp_open() (a consumer with no MAC of its own). */
	CHECK(parse("daemon:mac=02:00:00:00:00:01", &s, err) == 0);
	CHECK(tp_spec_mac(&s, mac) == 1 && mac[0] == 2 && mac[5] == 1);
	CHECK(parse("daemon", &s, err) == 0 && tp_spec_mac(&s, mac) == 0);
	CHECK(parse("daemon:mac=zz", &s, err) == -EINVAL);
	CHECK(strstr(err, "bad MAC address 'zz'") != NULL);
	CHECK(parse("tuntap,tap0,01:00:5e:00:00:01", &s, err) == -EINVAL);
	CHECK(strstr(err, "unicast") != NULL);
	CHECK(parse("mcast:mac=00:00:00:00:00:00", &s, err) == -EINVAL);
	{
		struct tp *tp;

		CHECK(tp_open(&tp, "daemon:mac=02:00:00:00:00:01,ctl=/x", err,
			      sizeof(err)) == -EINVAL && !tp);
		CHECK(strstr(err, "mac=02:00:00:00:00:01") != NULL);
		CHECK(strstr(err, "no MAC address of its own") != NULL);
	}

	/* MAC addresses. */
	CHECK(mac_parse("fe:fd:0a:00:00:02", mac) == 0 && mac[0] == 0xfe &&
	      mac[2] == 0x0a && mac[5] == 2);
	CHECK(mac_parse("fe:fd:0a:00:00", mac) == -EINVAL);
	CHECK(mac_parse("fe:fd:0a:00:00:02:", mac) == -EINVAL);
	CHECK(mac_parse("fe:fd:0a:00:00:0g", mac) == -EINVAL);
	CHECK(mac_parse("fe-fd-0a-00-00-02", mac) == -EINVAL);
	CHECK(mac_parse("", mac) == -EINVAL);
	TEST_DONE("test_spec");
}
