// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.c: the UML daemon protocol (v3, see proto.h), both halves.
 *
 * Client (the "daemon" transport): joins uml_switch, vde_switch or our own
 * switch as one port.
 *   Spec: daemon[,MAC[,unix[,CTL]]]  or  daemon:mac=..,type=unix,ctl=PATH
 *   MAC is the guest NIC's (tp_spec_mac()); CTL may be a VDE directory
 *   (DIR/ctl is used).  tp.cfd is the control connection: its end means
 *   the switch is gone.
 *
 * Server (what a switch makes of an accepted client: tp_daemon_data(),
 * then tp_daemon_adopt()): a datagram socket of its own, bound to a
 * unique abstract name and connected to the client's data socket before
 * the reply is written
 * (vdeplug4 clients unlink their socket's path right after the reply).
 * The client names that data socket itself, so the switch connects only
 * where the client could: an abstract name (anyone may), or a socket the
 * client owns (checked on the node itself, then connected through that
 * very node, so it cannot be swapped in between).
 *
 * v0 clients (tp_daemon_v0()) have no socket of their own on our side:
 * they all send to one shared data socket, and their frames are told apart
 * by sender address (tp_daemon_v0_is()); the transport only sends, with
 * sendto() on the shared socket.  That is why its fd is -1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proto.h"
#include "transport.h"

#define DAEMON_REPLY_TIMEOUT_MS	5000

struct tp_daemon {
	struct tp tp;		/* fd: the data socket; cfd: the control stream */
	struct sockaddr_un peer;	/* v0: the client's data address */
};

static const char *const daemon_keys[] = { "mac", "type", "ctl", NULL };

/* A unique abstract name, bound with the full 110-byte length (UML binds
 * and sends its own names that way). */
static int daemon_bind(int fd, struct sockaddr_un *me, const char *who)
{
	static unsigned int seq;
	struct timeval tv;
	int tries;

	for (tries = 0; tries < 16; tries++) {
		gettimeofday(&tv, NULL);
		memset(me, 0, sizeof(*me));
		me->sun_family = AF_UNIX;
		snprintf(me->sun_path + 1, sizeof(me->sun_path) - 1,
			 "umlnet-%s-%d-%u-%ld", who, (int)getpid(), seq++,
			 (long)tv.tv_usec);
		if (!bind(fd, (struct sockaddr *)me, sizeof(*me)))
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

static int daemon_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) ? -errno : 0;
}

/* ---- client ------------------------------------------------------------ */

static int daemon_handshake(struct tp *tp, const char *ctlpath, char *err,
			    size_t errlen)
{
	struct sockaddr_un ctl = { .sun_family = AF_UNIX }, me, peer;
	uint8_t req[PROTO_REQ_V3_LEN];
	struct pollfd pfd;
	ssize_t n;
	size_t len;
	int ret;

	memcpy(ctl.sun_path, ctlpath, strlen(ctlpath));
	if (connect(tp->cfd, (struct sockaddr *)&ctl, sizeof(ctl))) {
		ret = -errno;
		snprintf(err, errlen, "daemon: connect to '%s': %s", ctlpath,
			 strerror(-ret));
		return ret;
	}
	ret = daemon_bind(tp->fd, &me, "client");
	if (ret) {
		snprintf(err, errlen, "daemon: bind data socket: %s",
			 strerror(-ret));
		return ret;
	}
	len = proto_req_build(req, &me);
	n = write(tp->cfd, req, len);
	if (n != (ssize_t)len) {
		ret = n < 0 ? -errno : -EPIPE;
		snprintf(err, errlen, "daemon: send request to '%s': %s",
			 ctlpath, strerror(-ret));
		return ret;
	}
	pfd.fd = tp->cfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, DAEMON_REPLY_TIMEOUT_MS) <= 0) {
		snprintf(err, errlen, "daemon: no reply from '%s' in %d ms",
			 ctlpath, DAEMON_REPLY_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	memset(&peer, 0, sizeof(peer));
	n = read(tp->cfd, &peer, sizeof(peer));
	if (n != PROTO_REPLY_LEN || peer.sun_family != AF_UNIX) {
		snprintf(err, errlen,
			 "daemon: bad reply from '%s' (%zd bytes, want %d)",
			 ctlpath, n, PROTO_REPLY_LEN);
		return -EPROTO;
	}
	/* Connected: only the switch's frames are received, send() works. */
	if (connect(tp->fd, (struct sockaddr *)&peer, sizeof(peer)) ||
	    daemon_nonblock(tp->cfd)) {
		ret = -errno;
		snprintf(err, errlen, "daemon: connect data socket: %s",
			 strerror(-ret));
		return ret;
	}
	return 0;
}

static void daemon_close(struct tp *tp)
{
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = -1;	/* tp_close() closes cfd */
}

static int daemon_open(struct tp *tp, const struct tp_spec *s, char *err,
		       size_t errlen)
{
	const char *type = tp_spec_get(s, "type");
	const char *ctl = tp_spec_get(s, "ctl");
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int ret;

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
	if (!ctl && proto_default_dir_ok(path)) {
		snprintf(err, errlen, "daemon: the default switch directory of "
			 "'%s' is not yours alone; not connecting there", path);
		return -EPERM;
	}
	tp->cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	tp->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (tp->cfd < 0 || tp->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "daemon: socket: %s", strerror(-ret));
	} else {
		ret = daemon_handshake(tp, path, err, errlen);
	}
	if (ret) {
		daemon_close(tp);
		if (tp->cfd >= 0)
			close(tp->cfd);
		tp->cfd = -1;
	}
	return ret;
}

/* A pending error on the connected socket (ECONNREFUSED: the client's
 * socket is gone) is the end of this port, like any other error. */
static int daemon_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	return tp_dgram_recv(tp->fd, f, n);
}

static int daemon_send(struct tp *tp, const struct tp_frame *f,
		       unsigned int n)
{
	return tp_dgram_send(tp->fd, f, n);
}

static const int tp_daemon_syscalls[] = {
	SYS_recvmsg, SYS_recvmmsg, SYS_sendmsg, SYS_sendmmsg, SYS_close, -1
};

const struct tp_ops tp_daemon_ops = {
	.name = "daemon",
	.keys = daemon_keys,
	.size = sizeof(struct tp_daemon),
	.open = daemon_open,
	.recv = daemon_recv,
	.send = daemon_send,
	.close = daemon_close,
	.syscalls = tp_daemon_syscalls,
};

/* ---- server ------------------------------------------------------------ */

/*
 * Connect @fd to the client's data address, with no more reach than the
 * client has: an abstract name is open to anyone; a path must be a socket
 * that @uid owns (or the client is root, or us).
 */
static int daemon_reach(int fd, const struct sockaddr_un *a, uid_t uid,
			const char **why)
{
	struct sockaddr_un via = { .sun_family = AF_UNIX };
	struct stat st;
	int node, ret = 0;

	if (a->sun_path[0] == '\0') {
		*why = "cannot reach the client's data socket";
		return connect(fd, (const struct sockaddr *)a, sizeof(*a)) ?
		       -errno : 0;
	}
	node = open(a->sun_path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (node < 0 || fstat(node, &st)) {
		*why = "cannot find the client's data socket";
		ret = -errno;
		goto out;
	}
	if (!S_ISSOCK(st.st_mode)) {
		*why = "the client's data address is not a socket";
		ret = -ENOTSOCK;
		goto out;
	}
	if (uid != 0 && uid != geteuid() && st.st_uid != uid) {
		*why = "the client's data address is a socket of another user";
		ret = -EPERM;
		goto out;
	}
	/* the node we checked, not whatever the name means by now */
	snprintf(via.sun_path, sizeof(via.sun_path), "/proc/self/fd/%d", node);
	*why = "cannot reach the client's data socket";
	if (connect(fd, (struct sockaddr *)&via, sizeof(via)))
		ret = -errno;
out:
	if (node >= 0)
		close(node);
	return ret;
}

static const struct tp_ops tp_daemon_v0_ops;

static int daemon_new(struct tp **tpp, const struct tp_ops *ops, int fd,
		      int wfd, int ctl)
{
	struct tp_daemon *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->tp.ops = ops;
	d->tp.fd = fd;
	d->tp.wfd = wfd;
	d->tp.cfd = ctl;
	*tpp = &d->tp;
	return 0;
}

int tp_daemon_data(const struct sockaddr_un *client, uid_t uid,
		   const char **why)
{
	struct sockaddr_un me;
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = "cannot create a data socket";
		return -errno;
	}
	ret = daemon_bind(fd, &me, "switch");
	if (ret)
		*why = "cannot bind a data socket";
	else
		ret = daemon_reach(fd, client, uid, why);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int tp_daemon_adopt(struct tp **tpp, int ctl, int fd, const char **why)
{
	struct sockaddr_un me;
	socklen_t len = sizeof(me);
	int ret;

	*tpp = NULL;
	memset(&me, 0, sizeof(me));
	if (getsockname(fd, (struct sockaddr *)&me, &len)) {
		*why = "cannot name the data socket";
		return -errno;
	}
	if (write(ctl, &me, PROTO_REPLY_LEN) != PROTO_REPLY_LEN) {
		*why = "cannot send the reply";
		return -EPIPE;
	}
	ret = daemon_new(tpp, &tp_daemon_ops, fd, fd, ctl);
	if (ret)
		*why = "out of memory";
	return ret;
}

int tp_daemon_v0(struct tp **tpp, int shared, int ctl,
		 const struct sockaddr_un *peer)
{
	int ret = daemon_new(tpp, &tp_daemon_v0_ops, -1, shared, ctl);

	if (!ret)
		((struct tp_daemon *)*tpp)->peer = *peer;
	return ret;
}

int tp_daemon_v0_is(const struct tp *tp, const struct sockaddr_un *from,
		    socklen_t len)
{
	const struct sockaddr_un *p = &((const struct tp_daemon *)tp)->peer;
	size_t n = len - offsetof(struct sockaddr_un, sun_path), i;

	if (tp->ops != &tp_daemon_v0_ops ||
	    len <= offsetof(struct sockaddr_un, sun_path) ||
	    len > sizeof(*from) || from->sun_family != AF_UNIX)
		return 0;
	if (from->sun_path[0] != '\0') {	/* a path: up to its NUL */
		n = strnlen(from->sun_path, n);
		return strnlen(p->sun_path, sizeof(p->sun_path)) == n &&
		       !memcmp(p->sun_path, from->sun_path, n);
	}
	/* an abstract name: n opaque bytes; the request pads it with zeros */
	if (memcmp(p->sun_path, from->sun_path, n))
		return 0;
	for (i = n; i < sizeof(p->sun_path); i++)
		if (p->sun_path[i])
			return 0;
	return 1;
}

static int daemon_v0_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	(void)tp;
	(void)f;
	(void)n;
	return 0;	/* its frames arrive on the shared socket */
}

static int daemon_v0_send(struct tp *tp, const struct tp_frame *f,
			  unsigned int n)
{
	const struct tp_daemon *d = (const struct tp_daemon *)tp;

	return tp_dgram_sendto(tp->wfd, f, n, &d->peer, sizeof(d->peer));
}

static void daemon_v0_close(struct tp *tp)
{
	tp->wfd = -1;	/* the shared socket is the switch's */
}

static const int tp_daemon_v0_syscalls[] = {
	SYS_sendmsg, SYS_sendmmsg, -1
};

static const struct tp_ops tp_daemon_v0_ops = {
	.name = "daemon-v0",
	.size = sizeof(struct tp_daemon),
	.recv = daemon_v0_recv,
	.send = daemon_v0_send,
	.close = daemon_v0_close,
	.syscalls = tp_daemon_v0_syscalls,
};
