// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c: the control socket: listening (stale-socket handling), new
 * clients' requests, port registration and the per-port control stream.
 *
 * A new connection must send one request within SW_REQ_TIMEOUT_MS.  Bytes
 * are gathered until the request is complete for its version (see
 * proto.h), then decoded; anything malformed is logged and the client
 * dropped.  For v1/v3 the switch makes a SOCK_DGRAM socket for the port,
 * binds it to a unique abstract name (full 110-byte length, as UML sends
 * with that length), connects it to the client's socket and only then
 * replies: vdeplug4 clients unlink their socket path right after the reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"
#include "sw.h"

/**
 * ctl_bind_path() - bind @fd (a socket of @type) to filesystem @path,
 * replacing a stale socket there but never a live one or another file.
 * Return: 0 or -errno, logged with @what ("control", "data", "bess", ...).
 */
int ctl_bind_path(int fd, int type, const char *path, const char *what)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int probe, ret;

	strncpy(a.sun_path, path, sizeof(a.sun_path) - 1);
	if (!bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return 0;
	if (errno != EADDRINUSE) {
		err("cannot bind %s socket '%s': %s", what, path,
		    strerror(errno));
		return -errno;
	}
	if (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
		err("'%s' exists and is not a socket; not replacing it", path);
		return -EEXIST;
	}
	/* Is anybody serving it?  Only a refused connection means stale. */
	probe = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	ret = connect(probe, (struct sockaddr *)&a, sizeof(a)) ? errno : 0;
	close(probe);
	if (ret != ECONNREFUSED) {
		err("%s socket '%s' is in use by another switch; stop it, "
		    "remove '%s', or use a different path", what, path, path);
		return -EADDRINUSE;
	}
	info("replacing stale %s socket '%s'", what, path);
	if (unlink(path) || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		err("cannot replace stale %s socket '%s': %s", what, path,
		    strerror(errno));
		return -errno;
	}
	return 0;
}

int ctl_perms(const char *path, const char *group)
{
	struct group *g;

	if (!group)
		return 0;
	g = getgrnam(group);
	if (!g) {
		err("--group: no such group '%s'", group);
		return -EINVAL;
	}
	if (chown(path, -1, g->gr_gid) || chmod(path, 0660)) {
		err("cannot give '%s' to group '%s': %s", path, group,
		    strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * ctl_listen() - create the control socket (and the -compat-v0 data
 * socket) and register them with epoll.  Return: 0 or -errno, logged.
 */
int ctl_listen(struct sw *sw)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ret;

	sw->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sw->lfd < 0)
		return -errno;
	ret = ctl_bind_path(sw->lfd, SOCK_STREAM, sw->o.ctl, "control");
	if (ret)
		return ret;
	ret = ctl_perms(sw->o.ctl, sw->o.group);
	if (ret)
		return ret;
	if (listen(sw->lfd, 128))
		return -errno;
	ev.data.u64 = EV(EV_LISTEN, 0);
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->lfd, &ev))
		return -errno;
	if (!sw->o.compat_v0)
		return 0;
	sw->v0fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sw->v0fd < 0)
		return -errno;
	ret = ctl_bind_path(sw->v0fd, SOCK_DGRAM, sw->o.data, "data");
	if (ret)
		return ret;
	ret = ctl_perms(sw->o.data, sw->o.group);
	if (ret)
		return ret;
	ev.data.u64 = EV(EV_V0, 0);
	return epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->v0fd, &ev) ? -errno : 0;
}

void ctl_cleanup(struct sw *sw)
{
	if (sw->lfd >= 0 && unlink(sw->o.ctl))
		warn("cannot remove control socket '%s': %s", sw->o.ctl,
		     strerror(errno));
	if (sw->v0fd >= 0)
		unlink(sw->o.data);
}

static void conn_drop(struct sw *sw, int ci, const char *why)
{
	struct conn *c = &sw->conns[ci];

	warn("control: %s; dropping client", why);
	close(c->fd);
	c->fd = -1;
}

void ctl_accept(struct sw *sw)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t ci;
	int fd;

	for (;;) {
		fd = accept4(sw->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				warn("control: accept: %s", strerror(errno));
			return;
		}
		for (ci = 0; ci < sw->o.max_ports; ci++)
			if (sw->conns[ci].fd < 0)
				break;
		if (ci == sw->o.max_ports) {
			warn("control: too many clients connecting at once; "
			     "dropping one");
			close(fd);
			continue;
		}
		sw->conns[ci].fd = fd;
		sw->conns[ci].len = 0;
		sw->conns[ci].deadline_ms = sw->now_ms + SW_REQ_TIMEOUT_MS;
		ev.data.u64 = EV(EV_CONN, ci);
		if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev))
			conn_drop(sw, ci, "epoll_ctl failed");
	}
}

/* Bytes needed before the request in @c can be decoded. */
static uint32_t conn_need(const struct conn *c)
{
	uint32_t magic, version;

	if (c->len < 8)
		return 8;
	memcpy(&magic, c->buf, 4);
	memcpy(&version, c->buf + 4, 4);
	if (magic != PROTO_MAGIC)
		return magic == 0 ? PROTO_REQ_V0_LEN : 8;
	if (version == PROTO_VERSION)
		return PROTO_REQ_MIN_LEN;
	return version == 0 ? 14 + PROTO_ADDR_LEN : 8;
}

/* A unique abstract name for a port's data socket. */
static void port_name(struct sockaddr_un *a, int idx)
{
	static unsigned int gen;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1,
		 "umlnet-switch-%d-%d-%u", (int)getpid(), idx, gen++);
}

static int ctl_open_data(struct sw *sw, struct port *p, int idx,
			 const struct proto_req *req, const char **why)
{
	struct sockaddr_un me;

	p->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		*why = "cannot create a data socket";
		return -errno;
	}
	port_name(&me, idx);
	if (bind(p->fd, (struct sockaddr *)&me, sizeof(me))) {
		*why = "cannot bind a data socket";
		return -errno;
	}
	if (connect(p->fd, (const struct sockaddr *)&req->addr,
		    sizeof(req->addr))) {
		*why = "cannot reach the client's data socket";
		return -errno;
	}
	if (write(p->ctl, &me, PROTO_REPLY_LEN) != PROTO_REPLY_LEN) {
		*why = "cannot send the reply";
		return -EPIPE;
	}
	(void)sw;
	return 0;
}

static void ctl_register(struct sw *sw, int ci, const struct proto_req *req)
{
	struct conn *c = &sw->conns[ci];
	char addr[64];
	const char *why = NULL;
	struct port *p;
	int idx, ret;

	if (req->version == 0 && !sw->o.compat_v0) {
		conn_drop(sw, ci, "bad magic (not 0xfeedface); a v0 request "
			  "needs -compat-v0");
		return;
	}
	idx = port_alloc(sw);
	if (idx < 0) {
		conn_drop(sw, ci, "all ports in use (see --max-ports)");
		return;
	}
	p = &sw->ports[idx];
	p->ctl = c->fd;
	p->fd = -1;
	p->peer = req->addr;
	proto_addr_describe(&req->addr, addr, sizeof(addr));
	snprintf(p->desc, sizeof(p->desc), "daemon v%d %.60s%s%.80s",
		 req->version, addr, req->descr[0] ? " " : "", req->descr);
	if (req->version == 0) {
		p->kind = PORT_V0;
	} else {
		ret = ctl_open_data(sw, p, idx, req, &why);
		if (ret) {
			warn("control: %s %s: %s; dropping client", why, addr,
			     strerror(-ret));
			if (p->fd >= 0)
				close(p->fd);
			close(c->fd);
			c->fd = -1;
			p->fd = p->ctl = -1;
			return;
		}
		p->kind = PORT_DGRAM;
	}
	c->fd = -1;	/* the connection now belongs to the port */
	port_add(sw, idx);
}

void ctl_conn_input(struct sw *sw, int ci)
{
	struct conn *c = &sw->conns[ci];
	struct proto_req req;
	char msg[128];
	const char *why;
	ssize_t n;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		snprintf(msg, sizeof(msg), "read: %s", strerror(errno));
		conn_drop(sw, ci, msg);
		return;
	}
	if (n == 0) {
		if (c->len)
			snprintf(msg, sizeof(msg), "truncated request (%u "
				 "bytes, then EOF)", c->len);
		else
			snprintf(msg, sizeof(msg), "client closed without "
				 "sending a request");
		conn_drop(sw, ci, msg);
		return;
	}
	c->len += n;
	if (c->len < conn_need(c) && c->len < sizeof(c->buf))
		return;
	if (proto_req_parse(c->buf, c->len, &req, &why)) {
		snprintf(msg, sizeof(msg), "%s (%u bytes)", why, c->len);
		conn_drop(sw, ci, msg);
		return;
	}
	ctl_register(sw, ci, &req);
}

/* After registration the control stream only signals the client's end. */
void ctl_port_input(struct sw *sw, int idx)
{
	struct port *p = &sw->ports[idx];
	uint8_t junk[256];
	ssize_t n;
	int i;

	n = read(p->ctl, junk, sizeof(junk));
	if (n > 0) {
		/* UML's two pad bytes may trail a 122-byte read. */
		debug("port %d: ignoring %zd bytes on the control socket", idx,
		      n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* Frames the client sent just before leaving are still queued on its
	 * data socket (at most its socket buffer): forward them first. */
	for (i = 0; i < 4 && p->kind == PORT_DGRAM && p->blocked_by < 0; i++)
		port_read(sw, idx);
	port_close(sw, idx, n ? strerror(errno) : "client closed the control "
		   "connection");
}

void ctl_tick(struct sw *sw)
{
	uint32_t ci;

	for (ci = 0; ci < sw->o.max_ports; ci++) {
		if (sw->conns[ci].fd >= 0 &&
		    sw->now_ms > sw->conns[ci].deadline_ms)
			conn_drop(sw, ci, sw->conns[ci].len ?
				  "truncated request (client went silent)" :
				  "client sent no request in 5 s");
	}
}
