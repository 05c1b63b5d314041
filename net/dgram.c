// SPDX-License-Identifier: GPL-2.0-or-later
/* dgram.c: batched frame I/O on datagram-like fds, shared by transports. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "transport.h"

#define DGRAM_BATCH	64

/* One message per frame, at most DGRAM_BATCH: each its buffer's first
 * @len bytes when sending (@out), all of its segments when receiving
 * (two iovec entries a message).
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
		m[i].msg_hdr.msg_iov = &iov[2 * i];
		if (out) {
			iov[2 * i].iov_base = f[i].buf;
			iov[2 * i].iov_len = f[i].len;
			m[i].msg_hdr.msg_iovlen = 1;
		} else {
			m[i].msg_hdr.msg_iovlen = tp_frame_iov(&f[i],
							       &iov[2 * i]);
		}
	}
	return n;
}

int tp_dgram_recv(int fd, struct tp_frame *f, unsigned int n)
{
	struct mmsghdr m[DGRAM_BATCH];
	struct iovec iov[2 * DGRAM_BATCH];
	unsigned int i;
	int ret;

	n = dgram_msgs(m, iov, f, n, 0);
	/* MSG_TRUNC: msg_len is the real length, so the caller sees
	 * len > cap for an oversized datagram instead of a silent cut. */
	if (n == 1) {	/* a lone frame: plain recvmsg is cheaper */
		ssize_t r = recvmsg(fd, &m[0].msg_hdr,
				    MSG_DONTWAIT | MSG_TRUNC);

		m[0].msg_len = r < 0 ? 0 : (unsigned int)r;
		ret = r < 0 ? -1 : 1;
	} else {
		ret = recvmmsg(fd, m, n, MSG_DONTWAIT | MSG_TRUNC, NULL);
	}
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
	struct iovec iov[2 * DGRAM_BATCH];
	unsigned int i;
	int ret;

	n = dgram_msgs(m, iov, f, n, 1);
	for (i = 0; to && i < n; i++) {
		m[i].msg_hdr.msg_name = (void *)to;
		m[i].msg_hdr.msg_namelen = tolen;
	}
	if (n == 1)	/* a lone frame: plain sendmsg is cheaper */
		ret = sendmsg(fd, &m[0].msg_hdr,
			      MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -1 : 1;
	else
		ret = sendmmsg(fd, m, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (ret < 0)
		return errno == EAGAIN ? 0 : -errno;
	return ret;
}

int tp_dgram_send(int fd, const struct tp_frame *f, unsigned int n)
{
	return tp_dgram_sendto(fd, f, n, NULL, 0);
}
