// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bess.c: UML vector's BESS transport: one Ethernet frame per message on a
 * unix SOCK_SEQPACKET socket (the stock kernel's vecN:transport=bess; also
 * uml_slirp --bess).
 *
 * Spec: bess:path=PATH  connect to a server listening at PATH
 *       bess:fd=N       a connected SOCK_SEQPACKET socket, taken over (a
 *                       switch opens what its --bess listener accepts so)
 * An empty message is the peer's end (a seqpacket socket reads as empty
 * once the peer has closed), so empty frames are never sent.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

static const char *const bess_keys[] = { "path", "fd", "mac", NULL };

static int bess_connect(struct tp *tp, const char *path, char *err,
			size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int ret;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "bess: path '%s' longer than %zu bytes",
			 path, sizeof(a.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	tp->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (tp->fd < 0 || connect(tp->fd, (struct sockaddr *)&a, sizeof(a))) {
		ret = -errno;
		snprintf(err, errlen, "bess: connect to '%s': %s", path,
			 strerror(-ret));
		return ret;
	}
	return tp_adopt_fd("bess", tp->fd, SOCK_SEQPACKET, err, errlen);
}

static void bess_close(struct tp *tp)
{
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = -1;
}

static int bess_open(struct tp *tp, const struct tp_spec *s, char *err,
		     size_t errlen)
{
	const char *path = tp_spec_get(s, "path");
	const char *fdstr = tp_spec_get(s, "fd");
	int fd, ret;

	if (!path == !fdstr) {
		snprintf(err, errlen, path ? "bess: give path= or fd=, not both" :
			 "bess: missing path=SOCKET (or fd=N)");
		return -EINVAL;
	}
	if (path) {
		ret = bess_connect(tp, path, err, errlen);
	} else if (tp_parse_fd(fdstr, &fd)) {
		snprintf(err, errlen, "bess: bad fd '%s'", fdstr);
		return -EINVAL;
	} else {
		ret = tp_adopt_fd("bess", fd, SOCK_SEQPACKET, err, errlen);
		if (!ret)
			tp->fd = fd;
	}
	if (ret)
		bess_close(tp);
	return ret;
}

static int bess_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	int i, ret = tp_dgram_recv(tp->fd, f, n);

	for (i = 0; i < ret; i++)
		if (!f[i].len)	/* the peer's end: after the frames before */
			return i ? i : -EPIPE;
	return ret;
}

static int bess_send(struct tp *tp, const struct tp_frame *f, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (f[i].len)
			continue;
		/* an empty message would read as our end: drop that one */
		if (i)
			return tp_dgram_send(tp->fd, f, i);
		tp->tx_drop++;
		return 1;
	}
	return tp_dgram_send(tp->fd, f, n);
}

static const int tp_bess_syscalls[] = {
	SYS_recvmsg, SYS_recvmmsg, SYS_sendmsg, SYS_sendmmsg, SYS_close, -1
};

const struct tp_ops tp_bess_ops = {
	.name = "bess",
	.keys = bess_keys,
	.size = sizeof(struct tp),
	.open = bess_open,
	.recv = bess_recv,
	.send = bess_send,
	.close = bess_close,
	.syscalls = tp_bess_syscalls,
};
