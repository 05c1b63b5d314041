// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c: the daemon protocol's clients on the control socket: each new
 * connection must send one request within SW_REQ_TIMEOUT_MS.  Bytes are
 * gathered until the request is complete for its version (proto_req_need),
 * then decoded (proto_req_parse); anything malformed is logged and the
 * client dropped.  A v1/v3 client becomes a port through the protocol's
 * server half in net/ (tp_daemon_data: its own data socket, connected to
 * the client's before the reply; tp_daemon_adopt: the port); a v0 client through tp_daemon_v0 (the
 * shared data socket).  The connection then belongs to the port: its end
 * is the client's end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "proto.h"
#include "sw.h"
#include "transport.h"

/* requests, and the port tp_daemon_data() makes: a data socket, bound
 * to an abstract name (getpid, the time), the client's socket checked on
 * its node (a read-only O_PATH open, fstat) and connected, the reply */
SANDBOX_ALLOW(SYS_read, SYS_write, SYS_close, SYS_epoll_ctl, SYS_getsockopt,
	      SYS_bind, SYS_connect, SYS_fstat, SYS_newfstatat, SYS_getpid,
	      SYS_getsockname, SYS_geteuid);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_UNIX);
SANDBOX_ALLOW_ARG(SYS_openat, 2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, 0);

static void conn_free(struct sw *sw, int ci)
{
	close(sw->conns[ci].fd);
	sw->conns[ci].fd = -1;
}

static void conn_drop(struct sw *sw, int ci, const char *why)
{
	warn("control: %s; dropping client", why);
	conn_free(sw, ci);
}

/**
 * ctl_conn_new() - a client connected to the control socket (@fd, from
 * accept): wait for its request.
 */
void ctl_conn_new(struct sw *sw, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t ci;

	for (ci = 0; ci < sw->o.max_ports; ci++)
		if (sw->conns[ci].fd < 0)
			break;
	if (ci == sw->o.max_ports) {
		warn("control: too many clients connecting at once; dropping "
		     "one");
		close(fd);
		return;
	}
	sw->conns[ci].fd = fd;
	sw->conns[ci].len = 0;
	sw->conns[ci].grace_ms = 0;
	sw->conns[ci].deadline_ms = sw->now_ms + SW_REQ_TIMEOUT_MS;
	ev.data.u64 = EV(EV_CONN, ci);
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev))
		conn_drop(sw, (int)ci, "epoll_ctl failed");
}

/* The client's uid, as the kernel saw it connect. */
static int conn_uid(int fd, uid_t *uid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return -errno;
	if (len != sizeof(cr))
		return -EPROTO;
	*uid = cr.uid;
	return 0;
}

static int ctl_make_port(struct sw *sw, int fd, const struct proto_req *req,
			 struct tp **tp, const char **why)
{
	uid_t uid = 0;
	int ret, data;

	if (req->version == 0) {
		*why = "out of memory";
		return tp_daemon_v0(tp, sw->v0fd, fd, &req->addr);
	}
	ret = conn_uid(fd, &uid);
	if (ret) {
		*why = "cannot tell who the client is (SO_PEERCRED)";
		return ret;
	}
	data = tp_daemon_data(&req->addr, uid, why);
	/* a root client's socket in our directory: the janitor may reach it */
	if (data == -EACCES && sw->janitor && req->addr.sun_path[0])
		data = janitor_reach(sw, fd, &req->addr, why);
	if (data < 0)
		return data;
	ret = tp_daemon_adopt(tp, fd, data, why);
	if (ret)
		close(data);
	return ret;
}

/* How many bytes to gather before deciding (see the top). */
static size_t ctl_need(const uint8_t *b, size_t len)
{
	size_t need = proto_req_need(b, len);
	struct proto_req_v3 r;

	if (len < 12 || need >= PROTO_REQ_V3_LEN)
		return need;
	memcpy(&r, b, 12);
	if (r.magic == PROTO_MAGIC && r.version == PROTO_VERSION &&
	    r.type == SW_REQ_NEW_DUMP)
		return PROTO_REQ_V3_LEN;
	return need;
}

/* A type 1 request of exactly 124 bytes whose last two could begin a
 * libvdeplug description: more may come (see the top). */
static int ctl_maybe_more(const struct conn *c)
{
	struct proto_req_v3 r;

	if (c->len != PROTO_REQ_V3_LEN)
		return 0;
	memcpy(&r, c->buf, 12);
	return r.magic == PROTO_MAGIC && r.version == PROTO_VERSION &&
	       r.type == SW_REQ_NEW_DUMP && c->buf[122] >= ' ' &&
	       c->buf[122] <= '~' && c->buf[123] >= ' ' && c->buf[123] <= '~';
}

/* netkit's dump request: type 1, nothing after the 124-byte layout. */
static int ctl_is_dump(const struct proto_req *req, size_t len)
{
	return req->version == 3 && req->type == SW_REQ_NEW_DUMP &&
	       !req->want_port && len <= PROTO_REQ_V3_LEN;
}

static void ctl_register(struct sw *sw, int ci, struct proto_req *req)
{
	struct port_peer peer = { .key = "addr", .credfd = -1,
				  .link = &sw->client_link };
	struct conn *c = &sw->conns[ci];
	char addr[64], desc[192];
	const char *why = "";
	struct tp *tp;
	int ret;

	if (ctl_is_dump(req, c->len)) {
		peer.watch = PW_DUMP;
		req->descr[0] = '\0';	/* what follows the address is padding */
	}
	proto_addr_describe(&req->addr, addr, sizeof(addr));
	if (req->version == 0 && !sw->o.compat_v0) {
		conn_drop(sw, ci, "bad magic (not 0xfeedface); a v0 request "
			  "needs -compat-v0");
		return;
	}
	if (sw->nports >= (int)sw->o.max_ports - 1) {
		conn_drop(sw, ci, "all ports in use (see --max-ports)");
		return;
	}
	/* the port will register the connection itself, as its cfd */
	epoll_ctl(sw->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	ret = ctl_make_port(sw, c->fd, req, &tp, &why);
	if (ret) {
		warn("control: %s %s: %s; dropping client", why, addr,
		     strerror(-ret));
		conn_free(sw, ci);
		return;
	}
	c->fd = -1;	/* the port's now */
	snprintf(desc, sizeof(desc), "daemon v%d %.60s%s%.80s%s", req->version,
		 addr, req->descr[0] ? " " : "", req->descr,
		 peer.watch ? " (dump)" : "");
	peer.val = addr;
	peer.credfd = tp->cfd;
	port_open(sw, tp, desc, &peer);
}

/* The request is complete: decode it, and make the port. */
static void ctl_decide(struct sw *sw, int ci)
{
	struct conn *c = &sw->conns[ci];
	struct proto_req req;
	const char *why;
	char msg[128];

	if (proto_req_parse(c->buf, c->len, &req, &why)) {
		snprintf(msg, sizeof(msg), "%s (%u bytes)", why, c->len);
		conn_drop(sw, ci, msg);
		return;
	}
	ctl_register(sw, ci, &req);
}

void ctl_conn_input(struct sw *sw, int ci)
{
	struct conn *c = &sw->conns[ci];
	char msg[128];
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
	if (c->len < ctl_need(c->buf, c->len) && c->len < sizeof(c->buf))
		return;
	if (ctl_maybe_more(c)) {
		if (!c->grace_ms)
			c->grace_ms = sw->now_ms + SW_DUMP_GRACE_MS;
		return;
	}
	ctl_decide(sw, ci);
}

void ctl_tick(struct sw *sw)
{
	uint32_t ci;

	for (ci = 0; ci < sw->o.max_ports; ci++) {
		if (sw->conns[ci].fd >= 0 && sw->conns[ci].grace_ms &&
		    sw->now_ms >= sw->conns[ci].grace_ms)
			ctl_decide(sw, (int)ci);	/* nothing more came */
		else if (sw->conns[ci].fd >= 0 &&
			 sw->now_ms > sw->conns[ci].deadline_ms)
			conn_drop(sw, (int)ci, sw->conns[ci].len ?
				  "truncated request (client went silent)" :
				  "client sent no request in 5 s");
	}
}
