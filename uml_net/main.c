// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c: uml_net, the setuid-root helper the UML kernel runs for its
 * tuntap and slip transports.  Same argv, version check,
 * messages and reply framing as the original; but it drops to the calling
 * user with CAP_NET_ADMIN only before looking at argv, does nothing the
 * policy file does not allow, touches only devices it made for the caller,
 * and configures the host through netlink instead of running commands.
 * Its reply is written only at the very end, after the lock is released.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "uml_net.h"

static int usage(const struct unet_ctx *ctx)
{
	syslog(LOG_WARNING, "user %s (uid %u): refused: bad argument list",
	       ctx->user, ctx->uid);
	out_errf("uml_net : bad argument list - if you're running "
		 "uml_net by\nhand, don't bother.  uml_net is run automatically "
		 "by UML when\nnecessary.\n");
	return 1;
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

/* The policy (ctx->pol), or why there is none (then only real uid 0 may
 * act, and only when there is no file at all). */
static void load_policy(struct unet_ctx *ctx, int pfd, const char *conf)
{
	char why[512];

	if (pfd >= 0) {
		ctx->pol = policy_load(pfd, conf, why, sizeof(why));
		if (!ctx->pol)
			out_errf("uml_net: %s (everything is denied)\n", why);
		return;
	}
	if (pfd == -ENOENT) {
		ctx->no_policy = 1;
		if (ctx->uid == 0) {
			syslog(LOG_NOTICE, "user %s (uid 0): no policy %s: "
			       "root is allowed", ctx->user, conf);
			return;
		}
	}
	out_errf("uml_net: policy %s: %s (everything is denied)\n", conf,
		 pfd == -EPERM ? "it and its directory must be owned by root "
		 "and writable only by root" : strerror(-pfd));
}

/* argv[1] and the count: 0 with the version and where the transport
 * is, or the exit status of a refusal. */
static int parse_args(const struct unet_ctx *ctx, int argc, char **argv,
		      int *version, int *off)
{
	if (argc < 3 || !argv[1][0])
		return usage(ctx);
	*off = parse_version(argv, version);
	if (*off < 0)
		return usage(ctx);
	if (*version > UML_NET_VERSION) {
		out_errf("Version mismatch - requested version %d, uml_net "
			 "supports up to version %d\n", *version,
			 UML_NET_VERSION);
		syslog(LOG_WARNING, "user %s (uid %u): refused: version %d",
		       ctx->user, ctx->uid, *version);
		return 1;
	}
	return 0;
}

/* Everything after the drop: argv, the policy (@pfd is closed here), the
 * one operation.  The lock is held from before the quota count until the
 * device is made; the reply is written later, by main(). */
static int run(struct unet_ctx *ctx, int pfd, int lockfd, const char *conf,
	       int argc, char **argv)
{
	int version = 0, off = 0, ret;
	char why[256];

	ret = parse_args(ctx, argc, argv, &version, &off);
	if (ret) {
		if (pfd >= 0)
			close(pfd);
		return ret;
	}
	load_policy(ctx, pfd, conf);
	if (lockfd < 0 && ctx->uid != 0)
		return refuse(ctx, "cannot create or open uml_net.lock "
			      "beside the policy file");
	ret = lockfd < 0 ? 0 : lock_user(lockfd, ctx->uid);
	if (ret == -ETIMEDOUT)
		return refuse(ctx, "another uml_net request of this user has "
			      "held the lock for %d s (is it stopped?)",
			      UNET_LOCK_WAIT);
	if (ret < 0)
		return refuse(ctx, "cannot lock uml_net.lock: %s",
			      strerror(-ret));
	if (hn_open(ctx, why, sizeof(why)) < 0) {
		ret = refuse(ctx, "%s", why);
	} else {
		hn_reclaim(ctx);
		ret = dispatch(ctx, version, argv[1 + off], argc - 2 - off,
			       argv + 2 + off);
	}
	lock_release(lockfd, ctx->uid);
	return ret;
}

int main(int argc, char **argv)
{
	struct unet_ctx ctx;
	const char *conf;
	int pfd, lockfd, who, ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.reply_fd = -1;
	if (priv_sanitize(&conf) < 0)
		return 1;
	/* connected now: a refusal is logged even when no fd is left later */
	openlog("uml_net", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	who = priv_identify(&ctx);
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
	priv_name(&ctx);
	if (who == -E2BIG)
		ret = refuse(&ctx, "the caller is in more than %d groups: "
			     "uml_net cannot check them all",
			     UNET_MAX_GROUPS - 1);
	else if (who < 0)
		ret = refuse(&ctx, "cannot read the caller's groups: %s",
			     strerror(-who));
	else
		ret = run(&ctx, pfd, lockfd, conf, argc, argv);
	if (out_finish(ctx.reply_dev, ctx.reply_fd) < 0)
		ret = 1;
	hn_close(&ctx);
	if (ctx.reply_fd >= 0)
		close(ctx.reply_fd);
	if (ctx.tunfd >= 0)
		close(ctx.tunfd);
	policy_free(ctx.pol);
	return ret;
}
