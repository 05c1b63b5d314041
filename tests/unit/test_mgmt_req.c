// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mgmt_req.c: management requests decoded and refused
 * (uml_switch/mgmt_req.c). */
#include <string.h>

#include "../../uml_switch/mgmt.h"
#include "test.h"

static struct mreq r;

static int ok(const char *s)
{
	struct mreq_err e = { .code = "" };
	int ret = mreq_parse(s, strlen(s), &r, &e);

	if (ret)
		fprintf(stderr, "%s: refused: %s (%s)\n", s, e.msg, e.code);
	return ret == 0;
}

/* @s is refused with @code, and the message has @word. */
static void bad(const char *s, const char *code, const char *word)
{
	struct mreq_err e = { .code = "" };

	if (!mreq_parse(s, strlen(s), &r, &e)) {
		fprintf(stderr, "accepted: %s\n", s);
		CHECK(0);
		return;
	}
	if (strcmp(e.code, code) || !strstr(e.msg, word)) {
		fprintf(stderr, "%s: %s (%s), want %s with '%s'\n", s, e.msg,
			e.code, code, word);
		CHECK(0);
	}
}

static void test_good(void)
{
	CHECK(ok("{\"cmd\":\"show\"}") && r.cmd == MREQ_SHOW);
	CHECK(ok(" {\"cmd\" : \"ports\", \"start\": 7 } ") &&
	      r.cmd == MREQ_PORTS && r.start == 7);
	CHECK(ok("{\"cmd\":\"ports\",\"port\":3}") && r.port.index == 3);
	CHECK(ok("{\"cmd\":\"ports\",\"port\":\"12\"}") && r.port.index == 12);
	CHECK(ok("{\"cmd\":\"fdb\",\"port\":\"up-link.1\"}") &&
	      r.port.index == 0 && !strcmp(r.port.name, "up-link.1"));
	CHECK(ok("{\"cmd\":\"fdb_flush\"}") && !(r.has & (1U << MF_PORT)));
	CHECK(ok("{\"cmd\":\"port_add\",\"spec\":\"tuntap:dev=tap5\","
		 "\"name\":\"t5\"}") && !strcmp(r.spec, "tuntap:dev=tap5") &&
	      !strcmp(r.name, "t5"));
	CHECK(ok("{\"cmd\":\"port_del\",\"port\":\"t5\"}") &&
	      r.cmd == MREQ_PORT_DEL);
	CHECK(ok("{\"cmd\":\"port_set\",\"port\":2,\"carrier\":\"down\"}") &&
	      !r.carrier_up);
	CHECK(ok("{\"cmd\":\"port_set\",\"port\":2,\"carrier\":\"up\","
		 "\"name\":\"g2\"}") && r.carrier_up);
	CHECK(ok("{\"cmd\":\"mode\",\"mode\":\"hub\"}") && r.hub);
	CHECK(ok("{\"cmd\":\"mode\",\"mode\":\"switch\"}") && !r.hub);
	CHECK(ok("{\"cmd\":\"events\"}") && r.cmd == MREQ_EVENTS);
	CHECK(ok("{\"cmd\":\"capture\",\"ports\":[1,\"g2\"],\"count\":10,"
		 "\"snaplen\":96}") && r.nports == 2 && r.ports[0].index == 1 &&
	      !strcmp(r.ports[1].name, "g2") && r.count == 10 &&
	      r.snaplen == 96);
	CHECK(ok("{\"\\u0063md\":\"stop\"}") && r.cmd == MREQ_STOP);
}

static void test_bad(void)
{
	bad("", "parse", "not JSON");
	bad("{\"cmd\":\"show\"", "parse", "not JSON");
	bad("[\"show\"]", "type", "an array");
	bad("{}", "missing_field", "cmd");
	bad("{\"cmd\":1}", "type", "'cmd' must be a string");
	bad("{\"cmd\":\"reboot\"}", "unknown_cmd", "reboot");
	bad("{\"cmd\":\"show\",\"colour\":1}", "unknown_field", "colour");
	bad("{\"cmd\":\"show\",\"port\":1}", "unknown_field", "port");
	bad("{\"cmd\":\"show\",\"cmd\":\"show\"}", "duplicate_field", "cmd");
	bad("{\"cmd\":\"port_del\"}", "missing_field", "port");
	bad("{\"cmd\":\"port_set\",\"port\":1}", "missing_field", "carrier");
	bad("{\"cmd\":\"port_add\",\"spec\":7}", "type", "'spec' must be a "
	    "string");
	bad("{\"cmd\":\"port_add\",\"spec\":\"x\",\"name\":\"123\"}",
	    "bad_value", "name");
	bad("{\"cmd\":\"port_add\",\"spec\":\"x\",\"name\":\"a b\"}",
	    "bad_value", "name");
	bad("{\"cmd\":\"port_add\",\"spec\":\"x\",\"name\":\"sixteen-letters1\"}",
	    "bad_value", "name");
	bad("{\"cmd\":\"port_del\",\"port\":0}", "bad_value", "1 to 65535");
	bad("{\"cmd\":\"port_del\",\"port\":65536}", "bad_value", "1 to 65535");
	bad("{\"cmd\":\"port_del\",\"port\":1.5}", "bad_value", "port");
	bad("{\"cmd\":\"port_del\",\"port\":\"99999\"}", "bad_value", "99999");
	bad("{\"cmd\":\"port_del\",\"port\":true}", "type", "a boolean");
	bad("{\"cmd\":\"port_set\",\"port\":1,\"carrier\":\"sideways\"}",
	    "bad_value", "\"up\" or \"down\"");
	bad("{\"cmd\":\"port_set\",\"port\":1,\"carrier\":1}", "type",
	    "carrier");
	bad("{\"cmd\":\"mode\",\"mode\":\"router\"}", "bad_value", "hub");
	bad("{\"cmd\":\"ports\",\"start\":-1}", "bad_value", "start");
	bad("{\"cmd\":\"capture\",\"ports\":3}", "type", "array");
	bad("{\"cmd\":\"capture\",\"ports\":[[1]]}", "type", "ports[0]");
	bad("{\"cmd\":\"capture\",\"snaplen\":13}", "bad_value", "snaplen");
	bad("{\"cmd\":\"capture\",\"count\":0}", "bad_value", "count");
	bad("{\"cmd\":\"port_add\",\"spec\":\"a\\u0000b\"}", "bad_value", "NUL");
	bad("{\"cmd\":\"show\",\"\\u0001\":1}", "unknown_field", "'?'");
}

int main(void)
{
	char big[MGMT_TOKENS * 4 + 64];
	size_t i, n;

	test_good();
	test_bad();
	n = (size_t)snprintf(big, sizeof(big), "{\"cmd\":\"capture\",\"ports\":[");
	for (i = 0; i < MGMT_TOKENS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "1,");
	snprintf(big + n - 1, sizeof(big) - n + 1, "]}");
	bad(big, "too_big", "values");
	TEST_DONE("test_mgmt_req");
}
