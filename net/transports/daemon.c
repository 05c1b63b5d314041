// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.c: the client side of the UML daemon protocol v3 (see proto.h):
 * joins uml_switch, vde_switch or our own switch as one port.
 *
 * Spec: daemon[,MAC[,unix[,CTL]]]  or  daemon:mac=..,type=unix,ctl=PATH
 * MAC is the guest NIC's (tp_spec_mac()); CTL may be a VDE directory
 * (DIR/ctl is used).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "proto.h"
#include "transport.h"

#define DAEMON_REPLY_TIMEOUT_MS	5000

struct tp_daemon {
	struct tp tp;		/* tp.fd: the data socket */
	int ctl;
	struct sockaddr_un peer;
};

static const char *const daemon_keys[] = { "mac", "type", "ctl", NULL };

/* A unique abstract name, bound with the full 110-byte length (spec 1.4). */
static int daemon_bind(int fd, struct sockaddr_un *me)
{
	static unsigned int seq;
	struct timeval tv;
	int tries;

	for (tries = 0; tries < 16; tries++) {
		gettimeofday(&tv, NULL);
		memset(me, 0, sizeof(*me));
		me->sun_family = AF_UNIX;
		snprintf(me->sun_path + 1, sizeof(me->sun_path) - 1,
			 "umlnet-%d-%u-%ld", (int)getpid(), seq++,
			 (long)tv.tv_usec);
		if (!bind(fd, (struct sockaddr *)me, sizeof(*me)))
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

static int daemon_handshake(struct tp_daemon *d, const char *ctlpath,
			    char *err, size_t errlen)
{
	struct sockaddr_un ctl = { .sun_family = AF_UNIX }, me;
	uint8_t req[PROTO_REQ_V3_LEN];
	struct pollfd pfd;
	ssize_t n;
	size_t len;
	int ret;

	memcpy(ctl.sun_path, ctlpath, strlen(ctlpath));
	if (connect(d->ctl, (struct sockaddr *)&ctl, sizeof(ctl))) {
		ret = -errno;
		snprintf(err, errlen, "daemon: connect to '%s': %s", ctlpath,
			 strerror(-ret));
		return ret;
	}
	ret = daemon_bind(d->tp.fd, &me);
	if (ret) {
		snprintf(err, errlen, "daemon: bind data socket: %s",
			 strerror(-ret));
		return ret;
	}
	len = proto_req_build(req, &me);
	n = write(d->ctl, req, len);
	if (n != (ssize_t)len) {
		ret = n < 0 ? -errno : -EPIPE;
		snprintf(err, errlen, "daemon: send request to '%s': %s",
			 ctlpath, strerror(-ret));
		return ret;
	}
	pfd.fd = d->ctl;
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, DAEMON_REPLY_TIMEOUT_MS);
	if (ret <= 0) {
		snprintf(err, errlen, "daemon: no reply from '%s' in %d ms",
			 ctlpath, DAEMON_REPLY_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	memset(&d->peer, 0, sizeof(d->peer));
	n = read(d->ctl, &d->peer, sizeof(d->peer));
	if (n != PROTO_REPLY_LEN || d->peer.sun_family != AF_UNIX) {
		snprintf(err, errlen,
			 "daemon: bad reply from '%s' (%zd bytes, want %d)",
			 ctlpath, n, PROTO_REPLY_LEN);
		return -EPROTO;
	}
	/* Connected: only the switch's frames are received, send() works. */
	if (connect(d->tp.fd, (struct sockaddr *)&d->peer, sizeof(d->peer))) {
		ret = -errno;
		snprintf(err, errlen, "daemon: connect data socket: %s",
			 strerror(-ret));
		return ret;
	}
	return 0;
}

static int daemon_open(struct tp *tp, const struct tp_spec *s, char *err,
		       size_t errlen)
{
	struct tp_daemon *d = (struct tp_daemon *)tp;
	const char *type = tp_spec_get(s, "type");
	const char *ctl = tp_spec_get(s, "ctl");
	char path[sizeof(d->peer.sun_path)];
	int ret;

	d->ctl = -1;
	if (type && strcmp(type, "unix")) {
		snprintf(err, errlen,
			 "daemon: socket type '%s' not supported (only 'unix')",
			 type);
		return -EINVAL;
	}
	ret = ctl ? proto_ctl_path(ctl, path, sizeof(path)) :
		    proto_default_ctl(path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "daemon: control socket path too long");
		return ret;
	}
	d->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	tp->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->ctl < 0 || tp->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "daemon: socket: %s", strerror(-ret));
		goto fail;
	}
	ret = daemon_handshake(d, path, err, errlen);
	if (ret)
		goto fail;
	return 0;
fail:
	if (d->ctl >= 0)
		close(d->ctl);
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = d->ctl = -1;
	return ret;
}

static int daemon_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	return tp_dgram_recv(tp->fd, f, n);
}

static int daemon_send(struct tp *tp, const struct tp_frame *f,
		       unsigned int n)
{
	return tp_dgram_send(tp->fd, f, n);
}

static void daemon_close(struct tp *tp)
{
	struct tp_daemon *d = (struct tp_daemon *)tp;

	if (tp->fd >= 0)
		close(tp->fd);
	if (d->ctl >= 0)
		close(d->ctl);
	tp->fd = d->ctl = -1;
}

const struct tp_ops tp_daemon_ops = {
	.name = "daemon",
	.keys = daemon_keys,
	.size = sizeof(struct tp_daemon),
	.open = daemon_open,
	.recv = daemon_recv,
	.send = daemon_send,
	.close = daemon_close,
};
