// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_unet_argv.c: libFuzzer target for uml_net's argv handling and
 * dispatch (main.c run(): usage, version, every transport and operation,
 * tap.c and slip.c argument checks, the policy decisions) and its reply
 * paths (output.c: datagram and stream forms).  The input is argv, NUL
 * separated; its first byte picks uid 0 or not, a policy or none, a
 * datagram or stream stdout.  The host side (hostnl.c, nldump.c) is
 * stubbed: one device, "tap0", is the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

static void fuzz_syslog(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define syslog		fuzz_syslog
#define main		uml_net_main
int uml_net_main(int argc, char **argv);	/* uml_net/main.c's main() */

#include "../../uml_net/lock.c"
#include "../../uml_net/main.c"
#include "../../uml_net/output.c"
#include "../../uml_net/policy.c"
#include "../../uml_net/priv.c"
#include "../../uml_net/slip.c"
#include "../../uml_net/tap.c"

#undef main

static void fuzz_syslog(int prio, const char *fmt, ...)
{
	static char line[1024];
	va_list ap;

	(void)prio;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

/* ---- the host, stubbed ---- */
int hn_open(struct unet_ctx *ctx, char *err, size_t len)
{
	(void)ctx; (void)err; (void)len;
	return 0;
}
void hn_close(struct unet_ctx *ctx) { (void)ctx; }
int hn_count_ours(struct unet_ctx *ctx) { (void)ctx; return 1; }
int hn_reclaim(struct unet_ctx *ctx) { (void)ctx; return 0; }
int hn_guest_routed(struct unet_ctx *ctx, int ifindex,
		    const struct unet_addr *addr)
{
	(void)ctx; (void)addr;
	return ifindex == 7;
}
int hn_is_ours(struct unet_ctx *ctx, const char *dev, int *ifindex,
	       char *why, size_t len)
{
	(void)ctx;
	*ifindex = 7;
	if (!strcmp(dev, "tap0"))
		return 1;
	snprintf(why, len, "'%s' was not created by uml_net for this user",
		 dev);
	return 0;
}
int hn_setup_dev(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *gate, int mtu)
{
	(void)ctx; (void)dev; (void)ifindex; (void)gate; (void)mtu;
	return 0;
}
int hn_guest_add(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr)
{
	(void)ctx; (void)ifindex; (void)addr;
	out_printf("* ip route add ... dev %s\n", dev);
	return 0;
}
int hn_guest_del(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr)
{
	(void)ctx; (void)ifindex; (void)addr;
	out_printf("* ip route del ... dev %s\n", dev);
	return 0;
}
int hn_link_del(struct unet_ctx *ctx, const char *dev, int ifindex)
{
	(void)ctx; (void)dev; (void)ifindex;
	return 0;
}
int hn_ip_forward(int family) { (void)family; return 0; }

#define FUZZ_POLICY	"allow all devices 4 gateway 10.0.0.0/8,2001:db8::/32 " \
			"guest 10.0.0.0/8,2001:db8::/32\n"			\
			"deny user 4242 guest 10.9.9.0/24\n"

static int fuzz_dgram[2] = { -1, -1 }, fuzz_stream[2] = { -1, -1 };
static int fuzz_pol = -1, fuzz_lock = -1;

static void fuzz_setup(void)
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fuzz_dgram) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, fuzz_stream) < 0)
		abort();
	fcntl(fuzz_dgram[0], F_SETFL, O_NONBLOCK);
	fcntl(fuzz_stream[0], F_SETFL, O_NONBLOCK);
	fuzz_pol = memfd_create("policy", MFD_CLOEXEC);
	fuzz_lock = memfd_create("lock", MFD_CLOEXEC);
	if (fuzz_pol < 0 || fuzz_lock < 0 ||
	    write(fuzz_pol, FUZZ_POLICY, strlen(FUZZ_POLICY)) < 0)
		abort();
}

static void fuzz_drain(void)
{
	char buf[8192];

	while (recv(fuzz_dgram[0], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	while (recv(fuzz_stream[0], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[4096];
	char *argv[34];
	struct unet_ctx ctx;
	int argc = 0, pfd = -ENOENT;
	size_t n, i;

	if (fuzz_pol < 0)
		fuzz_setup();
	if (size < 1)
		return 0;
	n = size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1;
	memcpy(text, data + 1, n);
	text[n] = '\0';
	argv[argc++] = "uml_net";
	for (i = 0; i < n && argc < 33; i += strlen(text + i) + 1)
		argv[argc++] = text + i;
	argv[argc] = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ctx.uid = data[0] & 1 ? 0 : 1000 + (data[0] & 0x40 ? 3242 : 0);
	ctx.gid = 100;
	ctx.groups[0] = 100;
	ctx.ngroups = 1;
	ctx.tunfd = -1;
	ctx.reply_fd = -1;
	snprintf(ctx.user, sizeof(ctx.user), "%u", ctx.uid);
	if (data[0] & 2) {
		pfd = dup(fuzz_pol);
		lseek(pfd, 0, SEEK_SET);
	}
	if (dup2(data[0] & 4 ? fuzz_stream[1] : fuzz_dgram[1], 1) < 0)
		abort();
	out_reply.len = 0;
	out_err.len = 0;
	out_sent = 0;
	run(&ctx, pfd, fuzz_lock, "fuzz.conf", argc, argv);
	if (out_reply.len >= sizeof(out_reply.buf) ||
	    out_err.len >= sizeof(out_err.buf))
		abort();
	out_err.len = 0;	/* keep the fuzzer's stderr for its own use */
	out_finish(ctx.reply_dev, ctx.reply_fd);
	fuzz_drain();
	policy_free(ctx.pol);
	return 0;
}
