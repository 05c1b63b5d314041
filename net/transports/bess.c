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
#include <sys/socket.h>
#include <sys/syscall.h>

#include "transport.h"

static const char *const bess_keys[] = { "path", "fd", "mac", NULL };

static int bess_open(struct tp *tp, const struct tp_spec *s, char *err,
		     size_t errlen)
{
	return tp_open_unix(tp, s, "path", SOCK_SEQPACKET, err, errlen);
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
	.close = tp_close_fd,
	.syscalls = tp_bess_syscalls,
};
