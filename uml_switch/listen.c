// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * listen.c: the sockets the switch serves on: the control socket (daemon
 * protocol), the -compat-v0 shared data socket, --bess (UML vector BESS
 * clients), --stream (QEMU -netdev stream clients) and the management
 * socket (mgmt.c), all made by sock_serve() (common/sock.c), and
 * accepting on them.
 *
 * A client of --bess or --stream speaks a framing that a transport knows,
 * so what accept() returns becomes a port as "KIND:fd=N" (tp_open).  A
 * control socket client first sends a request: ctl.c takes it from there.
 *
 * Out of descriptors (EMFILE and the like), a listener is not polled for a
 * while (ACCEPT_PAUSE_MS) instead of spinning on a connection it cannot
 * take, and the failures are logged once per ACCEPT_LOG_MS: the ports that
 * exist are served meanwhile.
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
#include "sock.h"
#include "sw.h"
#include "transport.h"

/* accepting, a client's fd taken over (tp_adopt_fd), removing sockets */
SANDBOX_ALLOW(SYS_accept4, SYS_epoll_ctl, SYS_getsockopt, SYS_unlink,
	      SYS_close);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_GETFL);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_SETFL);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_SETFD);

#define ACCEPT_PAUSE_MS	100
#define ACCEPT_LOG_MS	10000

static struct sock_perm listen_perm(const struct sw *sw)
{
	struct sock_perm perm = SOCK_PERM_OWNER;

	perm.gid = sw->o.gid;
	perm.uid = sw->perm_uid;
	return perm;
}

static int listen_add(struct sw *sw, const char *kind, const char *path,
		      int type)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sock_perm perm = listen_perm(sw);
	struct listener *l = &sw->listen[sw->nlisten];
	char e[SOCK_ERR_MAX];
	int fd;

	fd = sock_serve(type, path, &perm, kind, e, sizeof(e));
	if (fd < 0) {
		err("%s", e);
		return fd;
	}
	l->kind = kind;
	l->type = type;
	l->fd = fd;
	snprintf(l->path, sizeof(l->path), "%s", path);
	ev.data.u64 = EV(EV_LISTEN, sw->nlisten);
	sw->nlisten++;
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		err("%s socket: epoll_ctl: %s", kind, strerror(errno));
		return -errno;
	}
	return 0;
}

static int listen_v0(struct sw *sw)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = EV(EV_V0, 0) };
	struct sock_perm perm = listen_perm(sw);
	char e[SOCK_ERR_MAX];

	sw->v0fd = sock_serve(SOCK_DGRAM, sw->o.data, &perm, "data", e,
			      sizeof(e));
	if (sw->v0fd < 0) {
		err("%s", e);
		return sw->v0fd;
	}
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->v0fd, &ev)) {
		err("data socket: epoll_ctl: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * listen_all() - make every socket the options name and poll them.
 * Return: 0 or -errno (logged; what was made is removed by
 * listen_cleanup()).
 */
int listen_all(struct sw *sw)
{
	int ret;

	ret = listen_add(sw, "control", sw->o.ctl, SOCK_STREAM);
	if (!ret && sw->o.compat_v0)
		ret = listen_v0(sw);
	if (!ret && sw->o.bess[0])
		ret = listen_add(sw, "bess", sw->o.bess, SOCK_SEQPACKET);
	if (!ret && sw->o.stream[0])
		ret = listen_add(sw, "stream", sw->o.stream, SOCK_STREAM);
	if (!ret && sw->o.vhost[0])
		ret = listen_add(sw, "vhost-user", sw->o.vhost, SOCK_STREAM);
	if (!ret && sw->mgmt_path[0]) {
		sw->mgmt_li = sw->nlisten;
		ret = listen_add(sw, "management", sw->mgmt_path, SOCK_STREAM);
	}
	return ret;
}

void listen_cleanup(struct sw *sw)
{
	int i;

	for (i = 0; i < sw->nlisten; i++) {
		if (sw->listen[i].fd < 0)
			continue;
		if (!sw->janitor &&	/* else it removes them, as root */
		    unlink(sw->listen[i].path) && errno != ENOENT)
			warn("cannot remove %s socket '%s': %s",
			     sw->listen[i].kind, sw->listen[i].path,
			     strerror(errno));
		close(sw->listen[i].fd);
		sw->listen[i].fd = -1;
	}
	if (sw->v0fd >= 0) {
		if (!sw->janitor)
			unlink(sw->o.data);
		close(sw->v0fd);
		sw->v0fd = -1;
	}
}

static void listen_poll(struct sw *sw, int li, uint32_t events)
{
	struct epoll_event ev = { .events = events,
				  .data.u64 = EV(EV_LISTEN, li) };

	if (epoll_ctl(sw->epfd, EPOLL_CTL_MOD, sw->listen[li].fd, &ev))
		warn("%s socket: epoll_ctl: %s", sw->listen[li].kind,
		     strerror(errno));
	sw->listen[li].paused = !events;
}

/* accept() failed with @e: say so (once in a while), pause on EMFILE. */
static void listen_failed(struct sw *sw, int li, int e)
{
	int out_of_fds = e == EMFILE || e == ENFILE || e == ENOBUFS ||
			 e == ENOMEM;

	sw->accept_failed++;
	if (!sw->accept_warned_ms ||
	    sw->now_ms - sw->accept_warned_ms >= ACCEPT_LOG_MS) {
		warn("%s socket: accept: %s%s (%llu failed since the last "
		     "report)", sw->listen[li].kind, strerror(e),
		     out_of_fds ? "; new clients wait, the ports that exist "
		     "are served" : "", (unsigned long long)sw->accept_failed);
		sw->accept_warned_ms = sw->now_ms;
		sw->accept_failed = 0;
	}
	if (out_of_fds) {
		listen_poll(sw, li, 0);
		sw->accept_retry_ms = sw->now_ms + ACCEPT_PAUSE_MS;
	}
}

static void listen_new_port(struct sw *sw, const struct listener *l, int fd)
{
	struct port_peer peer = { .key = "via", .val = l->path, .credfd = fd,
				  .link = &sw->client_link };
	char spec[32], desc[64], e[TP_ERR_MAX];
	struct tp *tp;

	snprintf(spec, sizeof(spec), "%s:fd=%d", l->kind, fd);
	snprintf(desc, sizeof(desc), "%s client", l->kind);
	if (tp_open(&tp, spec, e, sizeof(e))) {
		warn("%s: %s; dropping it", desc, e);
		close(fd);	/* tp_open() left it ours */
		return;
	}
	port_open(sw, tp, desc, &peer);
}

/**
 * listen_accept() - take every client waiting on listener @li.
 */
void listen_accept(struct sw *sw, int li)
{
	const struct listener *l = &sw->listen[li];
	int fd;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				listen_failed(sw, li, errno);
			return;
		}
		if (li == 0)
			ctl_conn_new(sw, fd);
		else if (li == sw->mgmt_li)
			mgmt_accept(sw, fd);
		else
			listen_new_port(sw, l, fd);
	}
}

/**
 * listen_tick() - poll paused listeners again once their pause is over.
 */
void listen_tick(struct sw *sw)
{
	int i;

	if (sw->now_ms < sw->accept_retry_ms)
		return;
	for (i = 0; i < sw->nlisten; i++)
		if (sw->listen[i].paused)
			listen_poll(sw, i, EPOLLIN);
}
