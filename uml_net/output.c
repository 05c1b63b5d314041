// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c: the text uml_net hands back, and how (net/helper.h).
 *
 * Lines accumulate in one buffer (net/helper.h gives the layout).  At the
 * end: on an AF_UNIX SOCK_DGRAM stdout (tuntap up) one datagram of 16-byte
 * name + text + NUL with the fd as SCM_RIGHTS, or text + NUL alone on
 * failure (the kernel prints it from offset 0, and would block forever in
 * recvmsg if nothing came); on a stream socket a native int length
 * (including the NUL) + text; on anything else (a person at a terminal,
 * a pipe, a UDP socket, which cannot carry an fd) the plain text.  What
 * is meant for stderr is buffered too: nothing is written to fds the
 * caller controls before out_finish(), which runs after the lock is
 * released (lock.c).  Every change and every refusal also goes to syslog
 * (LOG_AUTHPRIV) with the user.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#include "uml_net.h"

enum out_mode { OUT_TEXT, OUT_STREAM, OUT_DGRAM };

struct out_text {
	char buf[UNET_REPLY_TEXT_MAX];
	size_t len;
};

static struct out_text out_reply, out_err;
static int out_sent;

__attribute__((format(printf, 2, 0)))
static void out_vadd(struct out_text *t, const char *fmt, va_list ap)
{
	int n;

	if (t->len >= sizeof(t->buf) - 1)
		return;
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= sizeof(t->buf) - 1)
		t->len = sizeof(t->buf) - 1;	/* cut, with room for the NUL */
}

/**
 * out_printf() - append to the text handed back to the caller.
 * @fmt:	printf format
 */
void out_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vadd(&out_reply, fmt, ap);
	va_end(ap);
}

/**
 * out_errf() - append to what out_finish() writes to stderr.
 * @fmt:	printf format
 */
void out_errf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vadd(&out_err, fmt, ap);
	va_end(ap);
}

static enum out_mode out_mode(void)
{
	socklen_t len = sizeof(int);
	int type, domain;

	if (getsockopt(1, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return OUT_TEXT;
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET)
		return OUT_STREAM;
	len = sizeof(int);
	/* SCM_RIGHTS is silently dropped on other than AF_UNIX sockets */
	if (type == SOCK_DGRAM &&
	    getsockopt(1, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
	    domain == AF_UNIX)
		return OUT_DGRAM;
	return OUT_TEXT;
}

/**
 * out_is_dgram() - is stdout the AF_UNIX datagram socket of "tuntap up"
 * (the only kind that can carry the fd)?
 *
 * Return: 1 if so.
 */
int out_is_dgram(void)
{
	return out_mode() == OUT_DGRAM;
}

/* write_all() - write all of @buf to @fd, resuming after signals and
 * short writes.  Return: 0, or -1 with errno set. */
int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int out_dgram(const char *ifname, int fd)
{
	char name[UNET_REPLY_NAME_LEN], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov[2];
	struct msghdr msg;
	int n = 0;

	memset(&msg, 0, sizeof(msg));
	memset(name, 0, sizeof(name));
	if (fd >= 0 && ifname) {
		struct cmsghdr *cm;

		snprintf(name, sizeof(name), "%s", ifname);
		iov[n].iov_base = name;
		iov[n++].iov_len = sizeof(name);
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	iov[n].iov_base = out_reply.buf;
	iov[n++].iov_len = out_reply.len + 1;
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)n;
	return sendmsg(1, &msg, 0) < 0 ? -errno : 0;
}

/**
 * out_finish() - hand the text (and for tuntap up the fd) back, then
 * write what was meant for stderr.
 * @ifname:	the device name for the datagram form, or NULL
 * @fd:		the device fd to pass, or -1 (failure)
 *
 * Only the first call sends anything.  Call it with no lock held: the
 * caller decides how long these writes take.
 *
 * Return: 0, or -errno if the reply could not be written.
 */
int out_finish(const char *ifname, int fd)
{
	unet_reply_len_t len = (unet_reply_len_t)out_reply.len + 1;
	int ret = 0;

	if (out_sent++)
		return 0;
	out_reply.buf[out_reply.len] = '\0';
	switch (out_mode()) {
	case OUT_DGRAM:
		ret = out_dgram(ifname, fd);
		break;
	case OUT_STREAM:
		if (write_all(1, &len, sizeof(len)) < 0 ||
		    write_all(1, out_reply.buf, out_reply.len + 1) < 0)
			ret = -EIO;
		break;
	case OUT_TEXT:
		if (fd >= 0)
			ret = -EINVAL;	/* the fd cannot be passed */
		else if (write_all(1, out_reply.buf, out_reply.len) < 0)
			ret = -EIO;
		break;
	}
	if (out_err.len)
		write_all(2, out_err.buf, out_err.len);
	return ret;
}

__attribute__((format(printf, 3, 0)))
static void vlog_user(const struct unet_ctx *ctx, int prio, const char *fmt,
		      va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	syslog(prio, "user %s (uid %u): %s", ctx->user, ctx->uid, line);
}

/**
 * audit() - log a change made on the host to syslog, with the user.
 * @ctx:	the caller
 * @fmt:	printf format
 */
void audit(const struct unet_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_user(ctx, LOG_NOTICE, fmt, ap);
	va_end(ap);
}

/**
 * refuse() - refuse a request: syslog, stderr and the output text.
 * @ctx:	the caller
 * @fmt:	printf format: what was refused and why
 *
 * Return: 1 (the exit status of a refusal).
 */
int refuse(const struct unet_ctx *ctx, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(LOG_WARNING, "user %s (uid %u): refused: %s", ctx->user,
	       ctx->uid, line);
	/* UML prints the text it gets back; a person reads stderr. */
	if (out_mode() != OUT_TEXT)
		out_printf("uml_net: refused: %s\n", line);
	else
		out_errf("uml_net: refused: %s\n", line);
	return 1;
}
