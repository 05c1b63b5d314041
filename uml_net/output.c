// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c: the text uml_net hands back, and how (spec 3.3, 3.4).
 *
 * Lines accumulate in one buffer.  At the end: on a SOCK_DGRAM stdout
 * (tuntap up) one datagram of 16-byte name + text + NUL with the fd as
 * SCM_RIGHTS, or text + NUL alone on failure (the kernel prints it from
 * offset 0, and would block forever in recvmsg if nothing came); on a
 * SOCK_STREAM stdout a native int length (including the NUL) + text; on
 * anything else (a person at a terminal) the plain text.  Every change and
 * every refusal also goes to syslog (LOG_AUTHPRIV) with the user.
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

#define OUT_MAX	3072	/* the kernel reads at most a page */

static char out_buf[OUT_MAX];
static size_t out_len;
static int out_sent;

/**
 * out_printf() - append to the text handed back to the caller.
 * @fmt:	printf format
 */
void out_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out_len >= sizeof(out_buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out_buf + out_len, sizeof(out_buf) - out_len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_len += (size_t)n;
	if (out_len >= sizeof(out_buf) - 1)
		out_len = sizeof(out_buf) - 1;
}

static int out_sock_type(void)
{
	socklen_t len = sizeof(int);
	int type;

	if (getsockopt(1, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return -1;
	return type;
}

/**
 * out_is_dgram() - is stdout the datagram socket of "tuntap up"?
 *
 * Return: 1 if so.
 */
int out_is_dgram(void)
{
	return out_sock_type() == SOCK_DGRAM;
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
	char name[IFNAMSIZ], cbuf[CMSG_SPACE(sizeof(int))];
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
	iov[n].iov_base = out_buf;
	iov[n++].iov_len = out_len + 1;
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)n;
	return sendmsg(1, &msg, 0) < 0 ? -errno : 0;
}

/**
 * out_finish() - hand the text (and for tuntap up the fd) back.
 * @ifname:	the device name for the datagram form, or NULL
 * @fd:		the device fd to pass, or -1 (failure)
 *
 * Only the first call sends anything.
 *
 * Return: 0, or -errno if it could not be written.
 */
int out_finish(const char *ifname, int fd)
{
	int type = out_sock_type();
	int len = (int)out_len + 1;

	if (out_sent++)
		return 0;
	out_buf[out_len] = '\0';
	if (type == SOCK_DGRAM)
		return out_dgram(ifname, fd);
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
		if (write_all(1, &len, sizeof(len)) < 0 ||
		    write_all(1, out_buf, out_len + 1) < 0)
			return -EIO;
		return 0;
	}
	return write_all(1, out_buf, out_len) < 0 ? -EIO : 0;
}

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
	if (out_sock_type() >= 0)
		out_printf("uml_net: refused: %s\n", line);
	else
		fprintf(stderr, "uml_net: refused: %s\n", line);
	return 1;
}
