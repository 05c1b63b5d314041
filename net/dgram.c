// SPDX-License-Identifier: GPL-2.0-or-later
/* dgram.c: batched frame I/O on datagram-like fds, shared by transports. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "transport.h"

#define DGRAM_BATCH	64

/* One message per frame, at most DGRAM_BATCH: each its buffer's first
 * @len bytes when sending (@out), all of its capacity when receiving.
 * Return: the number of messages. */
static unsigned int dgram_msgs(struct mmsghdr *m, struct iovec *iov,
			       const struct tp_frame *f, unsigned int n,
			       int out)
{
	unsigned int i;

	if (n > DGRAM_BATCH)
		n = DGRAM_BATCH;
	memset(m, 0, sizeof(m[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = f[i].buf;
		iov[i].iov_len = out ? f[i].len : f[i].cap;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	return n;
}

int tp_dgram_recv(int fd, struct tp_frame *f, unsigned int n)
{
	struct mmsghdr m[DGRAM_BATCH];
	struct iovec iov[DGRAM_BATCH];
	unsigned int i;
	int ret;

	n = dgram_msgs(m, iov, f, n, 0);
	/* MSG_TRUNC: msg_len is the real length, so the caller sees
	 * len > cap for an oversized datagram instead of a silent cut. */
	ret = recvmmsg(fd, m, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
	if (ret < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (i = 0; i < (unsigned int)ret; i++)
		f[i].len = m[i].msg_len;
	return ret;
}

int tp_dgram_sendto(int fd, const struct tp_frame *f, unsigned int n,
		    const void *to, socklen_t tolen)
{
	struct mmsghdr m[DGRAM_BATCH];
	struct iovec iov[DGRAM_BATCH];
	unsigned int i;
	int ret;

	n = dgram_msgs(m, iov, f, n, 1);
	for (i = 0; to && i < n; i++) {
		m[i].msg_hdr.msg_name = (void *)to;
		m[i].msg_hdr.msg_namelen = tolen;
	}
	ret = sendmmsg(fd, m, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (ret < 0)
		return errno == EAGAIN ? 0 : -errno;
	return ret;
}

int tp_dgram_send(int fd, const struct tp_frame *f, unsigned int n)
{
	return tp_dgram_sendto(fd, f, n, NULL, 0);
}
