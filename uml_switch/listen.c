// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * listen.c: ports beyond the daemon protocol: UML vector BESS clients
 * (--bess PATH, SOCK_SEQPACKET), QEMU -netdev stream clients (--stream
 * PATH, 4-byte length prefix) and libumlnet transports (--port SPEC).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "sw.h"
#include "transport.h"

static int listen_one(struct sw *sw, const char *path, int type,
		      const char *what, int ev_type, int *fdp)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = EV(ev_type, 0) };
	int fd, ret;

	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	*fdp = fd;
	ret = ctl_bind_path(fd, type, path, what);
	if (ret)
		return ret;
	ret = ctl_perms(path, sw->o.group);
	if (ret)
		return ret;
	if (listen(fd, 64) || epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	return 0;
}

/**
 * listen_extra() - open the --bess and --stream listening sockets.
 * Return: 0 or -errno (logged).
 */
int listen_extra(struct sw *sw)
{
	int ret;

	if (sw->o.bess[0]) {
		ret = listen_one(sw, sw->o.bess, SOCK_SEQPACKET, "bess",
				 EV_BESS, &sw->bess_fd);
		if (ret)
			return ret;
	}
	if (sw->o.stream[0])
		return listen_one(sw, sw->o.stream, SOCK_STREAM, "stream",
				  EV_STREAM, &sw->stream_fd);
	return 0;
}

void listen_cleanup(struct sw *sw)
{
	if (sw->bess_fd >= 0)
		unlink(sw->o.bess);
	if (sw->stream_fd >= 0)
		unlink(sw->o.stream);
}

static int listen_new_port(struct sw *sw, int fd, enum port_kind kind)
{
	struct port *p;
	int idx = port_alloc(sw);

	if (idx < 0) {
		warn("%s: all ports in use (see --max-ports); dropping client",
		     kind == PORT_SEQ ? "bess" : "stream");
		close(fd);
		return idx;
	}
	p = &sw->ports[idx];
	p->kind = kind;
	p->fd = fd;
	p->ctl = -1;
	if (kind == PORT_STREAM) {
		p->sbuf = malloc(STREAM_BUF);	/* per port, not per frame */
		if (!p->sbuf) {
			p->kind = PORT_FREE;
			p->fd = -1;
			close(fd);
			return -ENOMEM;
		}
	}
	snprintf(p->desc, sizeof(p->desc), "%s client",
		 kind == PORT_SEQ ? "bess" : "stream");
	return port_add(sw, idx);
}

void listen_accept(struct sw *sw, int ev_type)
{
	int lfd = ev_type == EV_BESS ? sw->bess_fd : sw->stream_fd;
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				warn("accept: %s", strerror(errno));
			return;
		}
		listen_new_port(sw, fd, ev_type == EV_BESS ? PORT_SEQ :
							     PORT_STREAM);
	}
}

/**
 * listen_ports() - open every --port SPEC transport as a port.
 * Return: 0 or -errno (logged with the transport's message).
 */
int listen_ports(struct sw *sw)
{
	char e[TP_ERR_MAX];
	struct tp *tp;
	int i, idx, ret;

	for (i = 0; i < sw->o.nspecs; i++) {
		ret = tp_open(&tp, sw->o.specs[i], e, sizeof(e));
		if (ret) {
			err("--port %s: %s", sw->o.specs[i], e);
			return ret;
		}
		idx = port_alloc(sw);
		if (idx < 0) {
			tp_close(tp);
			return idx;
		}
		sw->ports[idx].kind = PORT_TP;
		sw->ports[idx].tp = tp;
		sw->ports[idx].fd = tp->fd;
		sw->ports[idx].ctl = -1;
		snprintf(sw->ports[idx].desc, sizeof(sw->ports[idx].desc),
			 "%s", sw->o.specs[i]);
		ret = port_add(sw, idx);
		if (ret)
			return ret;
	}
	return 0;
}
