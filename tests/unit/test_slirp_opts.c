// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_slirp_opts.c: unit test of uml_slirp's command line (both modes,
 * classic redir commands, forwards, defaults and errors).  Its SLIP codec
 * is net/slip, tested by test_tp_slip.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "../../uml_slirp/opts.c"

static char err[US_ERR_MAX];

static int parse(struct us_cfg *c, const char *const *args)
{
	char *argv[64];
	int argc = 0, ret;

	argv[argc++] = (char *)"uml_slirp";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	err[0] = '\0';
	ret = us_parse_args(c, argc, argv, err, sizeof(err));
	if (!ret)
		ret = us_cfg_finish(c, err, sizeof(err));
	return ret;
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static int is4(const struct sockaddr_storage *ss, const char *a, int port)
{
	const struct sockaddr_in *s = (const void *)ss;
	struct in_addr want;

	inet_pton(AF_INET, a, &want);
	return s->sin_family == AF_INET && s->sin_addr.s_addr == want.s_addr &&
	       ntohs(s->sin_port) == port;
}

static int is6(const struct sockaddr_storage *ss, const char *a, int port)
{
	const struct sockaddr_in6 *s = (const void *)ss;
	struct in6_addr want;

	inet_pton(AF_INET6, a, &want);
	return s->sin6_family == AF_INET6 &&
	       !memcmp(&s->sin6_addr, &want, sizeof(want)) &&
	       ntohs(s->sin6_port) == port;
}

static void test_defaults(void)
{
	struct us_cfg c;
	char a[INET6_ADDRSTRLEN];

	CHECK(parse(&c, ARGS("-v")) == 0);
	CHECK(c.mode == US_MODE_LEGACY && c.ipv6 == 0 && c.mtu == 1500);
	CHECK(!strcmp(inet_ntop(AF_INET, &c.host, a, sizeof(a)), "10.0.2.2"));
	CHECK(!strcmp(inet_ntop(AF_INET, &c.dns, a, sizeof(a)), "10.0.2.3"));
	CHECK(!strcmp(inet_ntop(AF_INET, &c.dhcp_start, a, sizeof(a)),
		      "10.0.2.15"));
	CHECK(parse(&c, ARGS("--fd", "5")) == 0);
	CHECK(c.mode == US_MODE_ETHER && c.fd == 5 && c.ipv6 == 1);
	CHECK(!strcmp(inet_ntop(AF_INET6, &c.host6, a, sizeof(a)), "fd00::2"));
	CHECK(!strcmp(inet_ntop(AF_INET6, &c.dns6, a, sizeof(a)), "fd00::3"));
	CHECK(parse(&c, ARGS("--fd", "5", "--net", "192.168.7.0/24",
			     "--ipv6-prefix", "fd00:1::/64", "--no-ipv6")) == 0);
	CHECK(c.ipv6 == 0);
	CHECK(!strcmp(inet_ntop(AF_INET, &c.host, a, sizeof(a)),
		      "192.168.7.2"));
	CHECK(parse(&c, ARGS("--bess", "/tmp/b.sock")) == 0);
	CHECK(c.mode == US_MODE_ETHER && c.fd == -1 && c.ipv6 == 1 &&
	      !strcmp(c.bess, "/tmp/b.sock"));
	CHECK(parse(&c, ARGS("--fd", "3", "--net", "172.16.0.0/16", "--host",
			     "172.16.9.1", "--dns", "172.16.9.2", "--dhcp-start",
			     "172.16.10.1", "--mtu", "9000")) == 0);
	CHECK(c.mtu == 9000);
	CHECK(!strcmp(inet_ntop(AF_INET, &c.dhcp_start, a, sizeof(a)),
		      "172.16.10.1"));
}

static void test_legacy_words(void)
{
	struct us_cfg c;

	/* the kernel's "_" -> " ": one argument, many words */
	CHECK(parse(&c, ARGS("redir 8080 80", "redir udp 5353 to 10.0.2.15:53",
			     "--forward tcp:1:2")) == 0);
	CHECK(c.nfwd == 3);
	CHECK(c.fwd[0].udp == 0 && is4(&c.fwd[0].host, "0.0.0.0", 1));
	CHECK(is4(&c.fwd[1].host, "0.0.0.0", 8080) &&
	      is4(&c.fwd[1].guest, "10.0.2.15", 80));
	CHECK(c.fwd[2].udp && is4(&c.fwd[2].host, "0.0.0.0", 5353) &&
	      is4(&c.fwd[2].guest, "10.0.2.15", 53));
	/* separate words work too, and several commands in one argument */
	CHECK(parse(&c, ARGS("redir", "tcp", "2222", "22", "redir 1 2 redir 3 4")) == 0);
	CHECK(c.nfwd == 3 && is4(&c.fwd[2].host, "0.0.0.0", 3));
	CHECK(parse(&c, ARGS("--net 10.1.0.0/24 --host 10.1.0.1")) == 0);
	CHECK(ntohl(c.host.s_addr) == 0x0a010001);
}

static void test_forwards(void)
{
	struct us_fwd f;

	CHECK(us_parse_forward("tcp:8080:80", &f, err, sizeof(err)) == 0);
	CHECK(!f.udp && is4(&f.host, "0.0.0.0", 8080) &&
	      is4(&f.guest, "0.0.0.0", 80));
	CHECK(us_parse_forward("udp:127.0.0.1:53:10.0.2.9:5353", &f, err,
			       sizeof(err)) == 0);
	CHECK(f.udp && is4(&f.host, "127.0.0.1", 53) &&
	      is4(&f.guest, "10.0.2.9", 5353));
	CHECK(us_parse_forward("tcp:[::1]:8080:80", &f, err, sizeof(err)) == 0);
	CHECK(is6(&f.host, "::1", 8080) && is4(&f.guest, "0.0.0.0", 80));
	CHECK(us_parse_forward("tcp:[::]:8080:[fd00::15]:80", &f, err,
			       sizeof(err)) == 0);
	CHECK(is6(&f.host, "::", 8080) && is6(&f.guest, "fd00::15", 80));
	CHECK(us_parse_forward("tcp:8080:10.0.2.4:80", &f, err,
			       sizeof(err)) == 0);
	CHECK(is4(&f.guest, "10.0.2.4", 80));
	CHECK(us_parse_forward("tcp:127.0.0.1:8080:80", &f, err,
			       sizeof(err)) == 0);
	CHECK(is4(&f.host, "127.0.0.1", 8080));
	CHECK(us_parse_forward("tcp::8080::80", &f, err, sizeof(err)) == 0);

	CHECK(us_parse_forward("tcp:0:80", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:65536:80", &f, err, sizeof(err)) < 0);
	CHECK(strstr(err, "tcp:65536:80"));
	CHECK(us_parse_forward("sctp:1:2", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:1", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:[::1:80:80", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:[::1]x:80:80", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:1:2:3:4:5:6", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:host:1:2", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp:+1:2", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_forward("tcp: 1:2", &f, err, sizeof(err)) < 0);

	CHECK(us_parse_redir("udp 53 to 10.0.2.3:53", &f, err,
			     sizeof(err)) == 0);
	CHECK(us_parse_redir("80", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_redir("80 81 82", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_redir("80 [::1]:81", &f, err, sizeof(err)) < 0);
	CHECK(us_parse_redir("", &f, err, sizeof(err)) < 0);
}

static void test_errors(void)
{
	struct us_cfg c;

	CHECK(parse(&c, ARGS("--bogus")) < 0 && strstr(err, "--bogus"));
	CHECK(parse(&c, ARGS("-x")) < 0 && strstr(err, "-x"));
	CHECK(parse(&c, ARGS("--net")) < 0 && strstr(err, "needs a value"));
	CHECK(parse(&c, ARGS("--fd", "-1")) < 0 && strstr(err, "--fd"));
	CHECK(parse(&c, ARGS("--fd", "3x")) < 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--bess", "/x")) < 0 &&
	      strstr(err, "exclude"));
	CHECK(parse(&c, ARGS("--bess", "/0123456789012345678901234567890123456789"
			     "0123456789012345678901234567890123456789"
			     "01234567890123456789012345678901234567890")) < 0);
	CHECK(parse(&c, ARGS("--net", "10.0.2.0")) < 0);
	CHECK(parse(&c, ARGS("--net", "10.0.2.0/33")) < 0);
	CHECK(parse(&c, ARGS("--net", "10.0.2.0/31")) < 0);
	CHECK(parse(&c, ARGS("--net", "10.0.2.1/24")) < 0);
	CHECK(parse(&c, ARGS("--net", "300.0.2.0/24")) < 0);
	CHECK(parse(&c, ARGS("--host", "10.0.3.2")) < 0 && strstr(err, "inside"));
	CHECK(parse(&c, ARGS("--host", "10.0.2.255")) < 0);
	CHECK(parse(&c, ARGS("--host", "10.0.2.0")) < 0);
	CHECK(parse(&c, ARGS("--dns", "10.0.2.2")) < 0 && strstr(err, "differ"));
	CHECK(parse(&c, ARGS("--mtu", "575")) < 0);
	CHECK(parse(&c, ARGS("--mtu", "16385")) < 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--ipv6-prefix", "fd00::/127")) < 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--ipv6-prefix", "fd00::")) < 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--ipv6-prefix", "fd00::1/64")) < 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--ipv6-prefix", "fd00:0:0:5::/64")) == 0);
	CHECK(parse(&c, ARGS("--fd", "3", "--ipv6-prefix", "fd00:1:2:3:4::/80")) == 0);
	CHECK(parse(&c, ARGS("--ipv6-prefix", "fd00::/64")) < 0 &&
	      strstr(err, "IPv4 only"));
	CHECK(parse(&c, ARGS("--fd", "3", "--no-ipv6", "--forward",
			     "tcp:1:[fd00::1]:2")) < 0);
	CHECK(parse(&c, ARGS("bogus")) < 0 && strstr(err, "'bogus'"));
	CHECK(parse(&c, ARGS("redir")) < 0);
}

static void test_many_forwards(void)
{
	const char *args[US_MAX_FWD + 3];
	struct us_cfg c;
	int i;

	for (i = 0; i <= US_MAX_FWD; i++)
		args[i] = "redir 1 2";
	args[i] = NULL;
	CHECK(parse(&c, args) < 0 && strstr(err, "too many"));
}


int main(void)
{
	test_defaults();
	test_legacy_words();
	test_forwards();
	test_errors();
	test_many_forwards();
	TEST_DONE("test_slirp_opts");
}
