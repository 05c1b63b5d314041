// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_slirp_transport.c: the slirp transport of libumlnet against the real
 * uml_slirp (found beside this binary's build directory, or $UML_SLIRP):
 * spec forms, start-up errors reported by open, an ARP exchange through
 * the socketpair, runts never sent, a killed helper seen as -ECONNRESET
 * and reaped by close.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "transport.h"

static char helper[PATH_MAX];
static char err[TP_ERR_MAX];

static int find_helper(void)
{
	static const char *const rel[] = { "/../uml_slirp", "/../../uml_slirp" };
	char self[PATH_MAX], *slash;
	const char *env = getenv("UML_SLIRP");
	ssize_t n;
	size_t i;

	if (env && !access(env, X_OK)) {
		snprintf(helper, sizeof(helper), "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (snprintf(helper, sizeof(helper), "%s%s", self, rel[i]) <
		    (int)sizeof(helper) && !access(helper, X_OK))
			return 0;
	}
	return -1;
}

__attribute__((format(printf, 2, 3)))
static int open_spec(struct tp **tp, const char *fmt, ...)
{
	char spec[TP_SPEC_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(spec, sizeof(spec), fmt, ap);
	va_end(ap);
	err[0] = '\0';
	return tp_open(tp, spec, err, sizeof(err));
}

static void test_open_errors(void)
{
	struct tp *tp;

	CHECK(open_spec(&tp, "slirp:helper=%s,net=10.0.2.0/33", helper) < 0);
	CHECK(strstr(err, "--net") && strstr(err, "10.0.2.0/33"));
	CHECK(open_spec(&tp, "slirp:helper=%s,fwd=tcp:1", helper) < 0);
	CHECK(strstr(err, "bad forward"));
	CHECK(open_spec(&tp, "slirp:helper=%s,args=bogus_words", helper) < 0);
	CHECK(strstr(err, "unknown command 'bogus'"));
	CHECK(open_spec(&tp, "slirp:helper=%s/none", "/nonexistent") < 0);
	CHECK(strstr(err, "cannot run"));
	CHECK(open_spec(&tp, "slirp:helper=%s", "/bin/true") < 0);
	CHECK(strstr(err, "exited at start-up"));
	CHECK(open_spec(&tp, "slirp:mac=%s", "01:02") < 0);
	CHECK(strstr(err, "bad MAC"));
	CHECK(open_spec(&tp, "slirp:%s=1", "nope") < 0);
	CHECK(strstr(err, "unknown option 'nope'"));
}

static const uint8_t guest_mac[6] = { 0xfe, 0xfd, 0, 0, 0, 0x42 };

static size_t arp_request(uint8_t *f)
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	memset(f, 0xff, 6);
	memcpy(f + 6, guest_mac, 6);
	f[12] = 8;
	f[13] = 6;
	memcpy(f + 14, hdr, 8);
	memcpy(f + 22, guest_mac, 6);
	memcpy(f + 28, (uint8_t[]){ 10, 0, 2, 15 }, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, (uint8_t[]){ 10, 0, 2, 2 }, 4);
	return 42;
}

/* Wait for a frame; return tp_recv's result. */
static int recv_wait(struct tp *tp, struct tp_frame *f, int ms)
{
	struct pollfd p = { .fd = tp->fd, .events = POLLIN };
	int ret;

	do {
		ret = tp_recv(tp, f, 1);
		if (ret)
			return ret;
	} while (poll(&p, 1, ms) > 0);
	return 0;
}

static void test_traffic_and_death(void)
{
	char wrapper[] = "/tmp/umlnet-slirp-wrap.XXXXXX", pidfile[PATH_MAX];
	uint8_t req[64], runt[4] = { 1, 2, 3, 4 }, rx[2048], small[20];
	struct tp_frame out[2], in = { .buf = rx, .cap = sizeof(rx) };
	struct tp *tp = NULL;
	FILE *w;
	int fd, ret, pid = 0, got = 0, i;

	/* a wrapper that records the helper's pid, for the kill below */
	fd = mkstemp(wrapper);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	snprintf(pidfile, sizeof(pidfile), "%s.pid", wrapper);
	w = fdopen(fd, "w");
	fprintf(w, "#!/bin/sh\necho $$ >%s\nexec %s \"$@\"\n", pidfile, helper);
	fclose(w);
	chmod(wrapper, 0755);

	/* legacy form: slirp,MAC,HELPER,ARGS (no MAC: that is a guest's) */
	CHECK(open_spec(&tp, "slirp,fe:fd:00:00:00:42,%s", wrapper) < 0);
	CHECK(strstr(err, "no MAC address of its own"));
	ret = open_spec(&tp, "slirp,,%s,--no-ipv6_--mtu_1400", wrapper);
	CHECK(ret == 0);
	if (ret) {
		fprintf(stderr, "open: %s\n", err);
		goto out;
	}
	CHECK(tp->fd >= 0);
	out[0].buf = runt;
	out[0].len = sizeof(runt);
	out[1].buf = req;
	out[1].len = arp_request(req);
	/* the runt is skipped (an empty or short message is never sent) */
	ret = tp_send(tp, out, 2);
	CHECK(ret == 2);
	for (i = 0; i < 20 && !got; i++) {
		in.len = 0;
		if (recv_wait(tp, &in, 100) == 1 && in.len >= 42 &&
		    rx[12] == 8 && rx[13] == 6 && rx[21] == 2 &&
		    !memcmp(rx, guest_mac, 6))
			got = 1;
	}
	CHECK(got);
	/* an oversized frame: len > cap tells the caller (MSG_TRUNC) */
	CHECK(tp_send(tp, out + 1, 1) == 1);
	in.buf = small;
	in.cap = sizeof(small);
	in.len = 0;
	CHECK(recv_wait(tp, &in, 2000) == 1 && in.len > in.cap);
	in.buf = rx;
	in.cap = sizeof(rx);

	/* the helper dies: end of file, reported as -ECONNRESET */
	w = fopen(pidfile, "r");
	CHECK(w && fscanf(w, "%d", &pid) == 1 && pid > 0);
	if (w)
		fclose(w);
	if (pid > 0)
		kill(pid, SIGKILL);
	ret = 1;
	for (i = 0; i < 50 && ret > 0; i++)
		ret = recv_wait(tp, &in, 100);
	CHECK(ret == -ECONNRESET);
	CHECK(tp_send(tp, out + 1, 1) == -EPIPE);
	tp_close(tp);
	tp = NULL;
	/* close reaped it: no such child any more */
	CHECK(pid > 0 && waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD);
out:
	tp_close(tp);
	unlink(wrapper);
	unlink(pidfile);
}

static void test_close_ends_helper(void)
{
	struct tp *tp;
	int ret;

	ret = open_spec(&tp, "slirp:helper=%s,fwd=udp:127.0.0.1:0:53", helper);
	/* port 0 is refused by the parser: the message says which forward */
	CHECK(ret < 0 && strstr(err, "udp:127.0.0.1:0:53"));
	ret = open_spec(&tp, "slirp:helper=%s,ipv6=fd00:1::/64", helper);
	CHECK(ret == 0);
	if (!ret)
		tp_close(tp);	/* returns promptly: the helper exits at EOF */
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (find_helper()) {
		fprintf(stderr, "test_slirp_transport: uml_slirp not found beside "
			"the build (make), or set UML_SLIRP\n");
		return 1;
	}
	test_open_errors();
	test_traffic_and_death();
	test_close_ends_helper();
	TEST_DONE("test_slirp_transport");
}
