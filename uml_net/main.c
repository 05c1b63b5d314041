// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c: uml_net, the setuid-root helper the UML kernel runs for its
 * tuntap and slip transports (spec section 3).  Same argv, version check,
 * messages and reply framing as the original; but it drops to the calling
 * user with CAP_NET_ADMIN only before looking at argv, does nothing the
 * policy file does not allow, touches only devices it made for the caller,
 * and configures the host through netlink instead of running commands.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <syslog.h>
#include <unistd.h>

#include "uml_net.h"

static void usage_exit(const struct unet_ctx *ctx)
{
	syslog(LOG_WARNING, "user %s (uid %u): refused: bad argument list",
	       ctx->user, ctx->uid);
	fprintf(stderr, "uml_net : bad argument list - if you're running "
		"uml_net by\nhand, don't bother.  uml_net is run automatically "
		"by UML when\nnecessary.\n");
	out_finish(NULL, -1);	/* a datagram reader must not hang */
	exit(1);
}

/* Printable, bounded copy of an argv string for messages. */
static const char *shown(const char *s)
{
	static char buf[4][72];
	static int next;
	char *b = buf[next++ & 3];
	size_t i;

	for (i = 0; i < 64 && s[i]; i++)
		b[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (s[i])
		b[i++] = '+';
	b[i] = '\0';
	return b;
}

/* argv[1]: the protocol version; the original treated a non-number as
 * version 0 with argv[1] the transport: we keep that, digits only. */
static int parse_version(char **argv, int *version)
{
	const char *p = argv[1];

	if (!isdigit((unsigned char)p[0]))
		return 0;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) || p - argv[1] > 5)
			return -1;
	*version = atoi(argv[1]);
	return 1;
}

static int dispatch(struct unet_ctx *ctx, int version, const char *transport,
		    int argc, char **argv)
{
	static const char *const known[] = { "ethertap", "tuntap", "slip",
					     "add", "del", NULL };
	int i;

	for (i = 0; known[i] && strcmp(known[i], transport); i++)
		;
	if (!known[i]) {
		out_printf("Unknown transport : '%s'\n", shown(transport));
		return refuse(ctx, "unknown transport '%s'", shown(transport));
	}
	if (version != UML_NET_VERSION || !strcmp(transport, "ethertap")) {
		out_printf("No version #%d handler for '%s'\n", version,
			   transport);
		return refuse(ctx, "%s version %d is not supported", transport,
			      version);
	}
	if (!strcmp(transport, "add") || !strcmp(transport, "del"))
		return tap_addr(ctx, transport[0] == 'a', argc, argv);
	if (argc < 1)
		return refuse(ctx, "%s: missing up/down", transport);
	if (!strcmp(transport, "tuntap") && !strcmp(argv[0], "up"))
		return tap_up(ctx, argc, argv);
	if (!strcmp(transport, "slip") && !strcmp(argv[0], "up"))
		return slip_up(ctx, argc, argv);
	if (!strcmp(transport, "slip") && !strcmp(argv[0], "down"))
		return slip_down(ctx, argc, argv);
	return refuse(ctx, "%s: unknown operation '%s'", transport,
		      shown(argv[0]));
}

int main(int argc, char **argv)
{
	struct unet_ctx ctx;
	const char *conf;
	int pfd, lockfd, ret, version = 0, off;

	memset(&ctx, 0, sizeof(ctx));
	if (priv_sanitize(&conf) < 0)
		return 1;
	openlog("uml_net", LOG_PID, LOG_AUTHPRIV);
	pfd = priv_open_policy(conf, &lockfd);
	ctx.tunfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	ret = priv_drop(&ctx);
	if (ret < 0) {
		/* we must not go on as root: give up entirely (but answer a
		 * datagram reader, or UML waits for ever) */
		if (geteuid() == 0 && getuid() != 0) {
			out_printf("uml_net: cannot drop privileges\n");
			out_finish(NULL, -1);
			_exit(1);
		}
		refuse(&ctx, "cannot keep CAP_NET_ADMIN (%s): uml_net must be "
		       "installed setuid root", strerror(-ret));
		out_finish(NULL, -1);
		return 1;
	}
	if (argc < 3 || !argv[1][0])
		usage_exit(&ctx);
	off = parse_version(argv, &version);
	if (off < 0)
		usage_exit(&ctx);
	if (version > UML_NET_VERSION) {
		fprintf(stderr, "Version mismatch - requested version %d, "
			"uml_net supports up to version %d\n", version,
			UML_NET_VERSION);
		syslog(LOG_WARNING, "user %s (uid %u): refused: version %d",
		       ctx.user, ctx.uid, version);
		out_finish(NULL, -1);
		return 1;
	}
	if (pfd >= 0) {
		/* one uml_net at a time: the quota is counted, then used */
		if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
			refuse(&ctx, "cannot create or lock uml_net.lock "
			       "beside the policy file");
			out_finish(NULL, -1);
			return 1;
		}
		ctx.pol = policy_load(pfd, conf);
	} else {
		fprintf(stderr, "uml_net: policy %s: %s (everything is "
			"denied)\n", conf, pfd == -EPERM ?
			"must be owned by root and writable only by root" :
			strerror(-pfd));
	}
	if (hn_open(&ctx) < 0) {
		ret = refuse(&ctx, "cannot open a route netlink socket");
	} else {
		ret = dispatch(&ctx, version, argv[1 + off], argc - 2 - off,
			       argv + 2 + off);
	}
	if (out_finish(NULL, -1) < 0)
		ret = 1;
	hn_close(&ctx);
	if (ctx.tunfd >= 0)
		close(ctx.tunfd);
	policy_free(ctx.pol);
	return ret;
}
