// SPDX-License-Identifier: GPL-2.0-or-later
/* test_unet_policy.c: unit test of uml_net's policy parser and decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../uml_net/policy.c"

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

static char load_err[512];

static struct policy *load(const char *text)
{
	int fd = memfd_create("pol", MFD_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		perror("memfd");
		exit(1);
	}
	return policy_load(fd, "test.conf", load_err, sizeof(load_err));
}

static int ok(struct unet_ctx *c, enum pol_what w, const char *a)
{
	struct unet_addr ad;
	char why[256];

	if (addr_parse(a, &ad) < 0)
		return -1;
	return policy_check_addr(c, w, &ad, why, sizeof(why));
}

static void test_decisions(void)
{
	struct unet_ctx c = { .uid = 1000, .gid = 100, .ngroups = 2,
			      .groups = { 100, 4242 } };
	struct unet_addr g;

	c.pol = load("# comment\n\n"
		     "allow user 1000 devices 3 gateway 10.0.0.254 guest 10.0.0.0/24,2001:db8::/64\n"
		     "allow group 4242 gateway 10.1.0.0/16 guest 10.1.0.0/16 # lab\n"
		     "deny all guest 10.0.0.1\n"
		     "deny user 1001\n");
	CHECK(c.pol != NULL);
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.254") == 1);
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.253") == 0);
	CHECK(ok(&c, POL_GATEWAY, "10.1.7.1") == 1);	/* via the group */
	CHECK(ok(&c, POL_GUEST, "10.0.0.7") == 1);
	CHECK(ok(&c, POL_GUEST, "10.0.0.1") == 0);	/* deny beats allow */
	CHECK(ok(&c, POL_GUEST, "10.0.1.7") == 0);
	CHECK(ok(&c, POL_GUEST, "2001:db8::5") == 1);
	CHECK(ok(&c, POL_GUEST, "2001:db9::5") == 0);
	CHECK(ok(&c, POL_GUEST, "10.1.200.3") == 1);
	addr_parse("10.0.0.254", &g);
	CHECK(policy_max_devices(&c, &g) == 3);
	addr_parse("10.1.0.1", &g);
	CHECK(policy_max_devices(&c, &g) == 1);		/* default */
	addr_parse("10.9.0.1", &g);
	CHECK(policy_max_devices(&c, &g) == 0);

	c.uid = 1001;					/* denied outright */
	CHECK(ok(&c, POL_GATEWAY, "10.1.7.1") == 0);
	c.uid = 1002;
	c.ngroups = 1;					/* named by nothing */
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.254") == 0);
	policy_free(c.pol);
	c.pol = NULL;
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.254") == 0);	/* no policy */
}

static void test_errors(void)
{
	static const char *const bad[] = {
		"allow\n", "permit user 0 gateway 1.2.3.4\n",
		"allow user 0 gateway\n", "allow user 0 gateway 1.2.3.4/33\n",
		"allow user 0 gateway 1.2.3.4/\n", "allow user 0 gateway 1.2.3\n",
		"allow user 0 devices -1\n", "allow user 0 devices 2 devices 3\n",
		"allow user 0 gateway 1.2.3.4 gateway 1.2.3.5\n",
		"allow user no-such-user-here gateway 1.2.3.4\n",
		"allow group no-such-group-here gateway 1.2.3.4\n",
		"allow user 0 frob 1\n", "allow user 0 gateway ,\n",
		"allow user\n", "allow users 0\n", "allow user 0 gateway 1.2.3.4 x\n",
	};
	char nul[] = "allow user 0\0 gateway 1.2.3.4\n";
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy *p = load(bad[i]);

		if (p)
			fprintf(stderr, "accepted: %s", bad[i]);
		CHECK(p == NULL);
		policy_free(p);
	}
	fd = memfd_create("pol", MFD_CLOEXEC);
	CHECK(write(fd, nul, sizeof(nul) - 1) == (ssize_t)sizeof(nul) - 1);
	lseek(fd, 0, SEEK_SET);
	CHECK(policy_load(fd, "nul.conf", load_err, sizeof(load_err)) == NULL);
	CHECK(strstr(load_err, "nul.conf") != NULL);
	/* a name in the policy is resolved, or the policy is rejected */
	CHECK(load("deny group no-such-group-here\n") == NULL);
	CHECK(strstr(load_err, "test.conf:1: unknown user or group") != NULL);
}

/* Real uid 0 may do what no deny rule refuses, without a device limit;
 * with no policy file at all, everything; with a bad one, nothing. */
static void test_root(void)
{
	struct unet_ctx c = { .uid = 0, .gid = 0, .ngroups = 1 };
	struct unet_addr g;

	c.no_policy = 1;
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.254") == 1);
	CHECK(ok(&c, POL_GUEST, "2001:db8::5") == 1);
	addr_parse("10.0.0.254", &g);
	CHECK(policy_max_devices(&c, &g) > 1000);
	c.no_policy = 0;				/* a bad file */
	CHECK(ok(&c, POL_GATEWAY, "10.0.0.254") == 0);
	c.pol = load("allow user 1000 gateway 10.0.0.254\n"
		     "deny all guest 10.0.0.1\n");
	CHECK(c.pol != NULL);
	CHECK(ok(&c, POL_GATEWAY, "10.9.9.9") == 1);	/* no rule: allowed */
	CHECK(ok(&c, POL_GUEST, "10.0.0.1") == 0);	/* denied to all */
	CHECK(ok(&c, POL_GUEST, "10.0.0.2") == 1);
	c.uid = 1001;					/* not root */
	CHECK(ok(&c, POL_GATEWAY, "10.9.9.9") == 0);
	policy_free(c.pol);
}

static void test_addr(void)
{
	struct unet_addr a, n;

	CHECK(addr_parse("1.2.3.4", &a) == 0 && a.family == AF_INET);
	CHECK(addr_parse("::1", &a) == 0 && a.family == AF_INET6);
	CHECK(addr_parse("1.2.3.4 ", &a) < 0);
	CHECK(addr_parse("01.2.3.4x", &a) < 0);
	CHECK(addr_parse("", &a) < 0);
	addr_parse("10.0.0.129", &a);
	addr_parse("10.0.0.128", &n);
	CHECK(addr_in_prefix(&a, &n, 25) == 1);
	CHECK(addr_in_prefix(&a, &n, 32) == 0);
	CHECK(addr_in_prefix(&a, &n, 0) == 1);
	addr_parse("::1", &n);
	CHECK(addr_in_prefix(&a, &n, 0) == 0);		/* families differ */
}

static int host_ok(const char *s, int plen)
{
	struct unet_addr a;

	if (addr_parse(s, &a) < 0)
		return -1;
	return !addr_not_unicast(&a) && !addr_not_host(&a, plen);
}

static void test_unicast(void)
{
	CHECK(host_ok("10.0.9.1", 24) == 1);
	CHECK(host_ok("10.0.9.0", 24) == 0);		/* network */
	CHECK(host_ok("10.0.9.255", 24) == 0);		/* broadcast */
	CHECK(host_ok("10.0.9.127", 25) == 0);
	CHECK(host_ok("10.0.9.128", 25) == 0);
	CHECK(host_ok("10.0.9.0", 31) == 1);		/* RFC 3021 */
	CHECK(host_ok("10.0.9.1", 31) == 1);
	CHECK(host_ok("10.0.9.255", 32) == 1);
	CHECK(host_ok("0.0.0.0", 32) == 0);
	CHECK(host_ok("127.0.0.2", 32) == 0);
	CHECK(host_ok("224.0.0.1", 32) == 0);
	CHECK(host_ok("255.255.255.255", 32) == 0);
	CHECK(host_ok("2001:db8::1", 64) == 1);
	CHECK(host_ok("2001:db8::", 64) == 0);		/* subnet-router anycast */
	CHECK(host_ok("2001:db8::", 128) == 1);
	CHECK(host_ok("::", 128) == 0);
	CHECK(host_ok("::1", 128) == 0);
	CHECK(host_ok("ff02::1", 128) == 0);
}

int main(void)
{
	test_decisions();
	test_errors();
	test_addr();
	test_root();
	test_unicast();
	if (failures) {
		fprintf(stderr, "test_unet_policy: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_unet_policy: ok\n");
	return 0;
}
