// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c: Ethernet frames on a byte stream, each after its length as a
 * 4-byte big-endian number: QEMU's -netdev stream (and socket,connect=)
 * framing, which passt speaks too.
 *
 * Spec: stream:connect=PATH  connect to a unix stream server at PATH
 *       stream:fd=N          a connected stream socket, taken over (a
 *                            switch opens what its --stream listener
 *                            accepts so)
 *       reconnect=SECONDS    with connect=: when the server goes (or is
 *                            not there yet), the consumer may dial again
 *                            this often (tp->redial_ms, tp_redial());
 *                            a server not there at open is no error then
 *
 * Input is read in large gulps into a buffer and cut into frames; when a
 * batch is full and whole frames are left over, tp.pending says so (no fd
 * event will).  A length beyond FRAME_MAX means the stream lost sync: the
 * port ends (-EPROTO).  Output goes out a batch per system call; when
 * the socket takes only part of a frame, the rest is kept here and the
 * frame counts as sent, so the caller never sees half a frame; tp.held
 * says so, and tp_finish() (a send of no frames) or the next send
 * finishes it first (the send reports would-block until it has).
 *
 * On a unix socket the batch is a sendmmsg of one message per frame, not
 * one writev: a unix stream send of up to STREAM_WHOLE bytes (with the
 * default socket buffer, half of which bounds one) is queued as one
 * buffer, whole or not at all, so a reader only ever finds a frame's start
 * at the start of what it reads.  The passt in Debian 12 relies on that,
 * as QEMU writes a frame at a time: its reader drops up to four bytes left
 * at the end of a read (part of a length) and loses its place in the
 * stream until its queue runs dry.  A larger frame ends a batch, so only
 * the last message can go in part.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

#define STREAM_HDR	4
#define STREAM_RBUF	(2 * (STREAM_HDR + FRAME_MAX))
#define STREAM_BATCH	64
#define STREAM_WHOLE	32768	/* bytes a unix stream send queues whole */

struct tp_stream {
	struct tp tp;
	size_t rpos, rlen;	/* unread input: rbuf[rpos, rlen) */
	size_t opos, olen;	/* unsent rest of a frame: obuf[opos, olen) */
	int unix_fd;		/* a unix socket: one message per frame */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* redial */
	uint8_t rbuf[STREAM_RBUF];
	uint8_t obuf[STREAM_HDR + FRAME_MAX];
};

static const char *const stream_keys[] = { "connect", "fd", "mac",
					   "reconnect", NULL };

#define STREAM_REDIAL_MAX	3600	/* seconds */

/* reconnect=SECONDS: tp->redial_ms, and the path to dial again. */
static int stream_redial_spec(struct tp_stream *t, const struct tp_spec *s,
			      char *err, size_t errlen)
{
	const char *v = tp_spec_get(s, "reconnect");
	const char *path = tp_spec_get(s, "connect");
	unsigned long sec;

	if (!v)
		return 0;
	if (tp_num(v, 1, STREAM_REDIAL_MAX, &sec)) {
		snprintf(err, errlen, "stream: bad reconnect '%s' (seconds, "
			 "1 to %d)", v, STREAM_REDIAL_MAX);
		return -EINVAL;
	}
	if (!path) {
		snprintf(err, errlen, "stream: reconnect=%s needs connect=PATH "
			 "(an fd=N cannot be dialled again)", v);
		return -EINVAL;
	}
	if (strlen(path) >= sizeof(t->path)) {
		snprintf(err, errlen, "stream: path '%s' longer than %zu bytes",
			 path, sizeof(t->path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(t->path, path);
	t->tp.redial_ms = (uint32_t)sec * 1000;
	return 0;
}

/* Whether @fd is a unix socket (an fd= may be any stream socket). */
static int stream_is_unix(int fd)
{
	socklen_t len = sizeof(int);
	int domain;

	return !getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) &&
	       domain == AF_UNIX;
}

static int stream_open(struct tp *tp, const struct tp_spec *s, char *err,
		       size_t errlen)
{
	struct tp_stream *t = (struct tp_stream *)tp;
	int ret = stream_redial_spec(t, s, err, errlen);

	if (ret)
		return ret;
	ret = tp_open_unix(tp, s, "connect", SOCK_STREAM, err, errlen);
	/* with reconnect=, a server not (yet) there is dialled later */
	if (tp->redial_ms && (ret == -ENOENT || ret == -ECONNREFUSED)) {
		t->unix_fd = 1;
		return 0;
	}
	if (!ret)
		t->unix_fd = stream_is_unix(tp->fd);
	return ret;
}

/* The server went: start afresh on a new connection. */
static int stream_redial(struct tp *tp)
{
	struct tp_stream *t = (struct tp_stream *)tp;
	char e[TP_ERR_MAX];
	int ret;

	t->rpos = t->rlen = t->opos = t->olen = 0;
	tp->held = 0;
	ret = tp_connect_unix(tp, "stream", t->path, SOCK_STREAM, e, sizeof(e));
	if (ret)
		tp_close_fd(tp);
	return ret;
}

/* Whole frames in rbuf into @f.  Return: how many, or -EPROTO. */
static int stream_cut(struct tp_stream *t, struct tp_frame *f, unsigned int n)
{
	unsigned int k = 0;
	uint32_t flen;

	while (k < n && t->rlen - t->rpos >= STREAM_HDR) {
		flen = frame_get32(t->rbuf + t->rpos);
		if (flen > FRAME_MAX)
			return -EPROTO;
		if (t->rlen - t->rpos - STREAM_HDR < flen)
			break;
		tp_frame_store(&f[k++], t->rbuf + t->rpos + STREAM_HDR, flen);
		t->rpos += STREAM_HDR + flen;
	}
	return (int)k;
}

/* Whether rbuf holds a whole frame (or a bad length to report). */
static int stream_ready(const struct tp_stream *t)
{
	size_t have = t->rlen - t->rpos;

	return have >= STREAM_HDR &&
	       (frame_get32(t->rbuf + t->rpos) > FRAME_MAX ||
		have - STREAM_HDR >= frame_get32(t->rbuf + t->rpos));
}

static int stream_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_stream *t = (struct tp_stream *)tp;
	int k = 0, got;
	ssize_t r;

	for (;;) {
		got = stream_cut(t, f + k, n - (unsigned int)k);
		if (got < 0)
			return k ? k : got;
		k += got;
		if ((unsigned int)k == n)
			break;
		/* keep the partial frame at the front, read behind it */
		memmove(t->rbuf, t->rbuf + t->rpos, t->rlen - t->rpos);
		t->rlen -= t->rpos;
		t->rpos = 0;
		r = read(tp->fd, t->rbuf + t->rlen, sizeof(t->rbuf) - t->rlen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0)	/* the peer's end, or an error */
			return k ? k : r ? -errno : -EPIPE;
		t->rlen += (size_t)r;
	}
	tp->pending = stream_ready(t);
	return k;
}

/* Finish a frame the socket took only part of.  Return: 1 done, 0 not
 * yet (would block), or -errno. */
static int stream_flush(struct tp_stream *t)
{
	ssize_t w;

	while (t->opos < t->olen) {
		w = write(t->tp.fd, t->obuf + t->opos, t->olen - t->opos);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 0 : -errno;
		t->opos += (size_t)w;
	}
	t->opos = t->olen = 0;
	t->tp.held = 0;
	return 1;
}

/* Of @n frames laid out in @iov (header, data for each), @w bytes went:
 * keep the rest of a frame cut short.  Return: frames sent. */
static int stream_sent(struct tp_stream *t, const struct iovec *iov,
		       unsigned int n, size_t w)
{
	unsigned int i, j;
	size_t len;

	for (i = 0; i < n; i++) {
		len = iov[2 * i].iov_len + iov[2 * i + 1].iov_len;
		if (w >= len) {
			w -= len;
			continue;
		}
		if (!w)
			return (int)i;
		/* part of frame i went: the rest waits in obuf */
		t->olen = 0;
		for (j = 0; j < 2; j++) {
			memcpy(t->obuf + t->olen, iov[2 * i + j].iov_base,
			       iov[2 * i + j].iov_len);
			t->olen += iov[2 * i + j].iov_len;
		}
		t->opos = w;
		t->tp.held = 1;
		return (int)i + 1;
	}
	return (int)n;
}

/* The @n frames laid out in @iov as one message each; a frame over
 * STREAM_WHOLE ends the batch.  Return: bytes sent (to stream_sent) and
 * through @np the frames they were taken from, or -1 with errno. */
static ssize_t stream_sendmm(int fd, struct iovec *iov, unsigned int *np)
{
	struct mmsghdr mm[STREAM_BATCH];
	unsigned int i, n = *np;
	ssize_t w = 0;
	int r;

	for (i = 0; i < n; i++) {
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[2 * i];
		mm[i].msg_hdr.msg_iovlen = 2;
		if (iov[2 * i].iov_len + iov[2 * i + 1].iov_len > STREAM_WHOLE) {
			i++;
			break;
		}
	}
	do
		r = sendmmsg(fd, mm, i, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	for (i = 0; i < (unsigned int)r; i++)
		w += mm[i].msg_len;
	*np = (unsigned int)r;
	return w;
}

static int stream_send(struct tp *tp, const struct tp_frame *f, unsigned int n)
{
	struct tp_stream *t = (struct tp_stream *)tp;
	uint8_t hdr[STREAM_BATCH][STREAM_HDR];
	struct iovec iov[2 * STREAM_BATCH];
	unsigned int i;
	ssize_t w;
	int ret;

	if (t->olen) {
		ret = stream_flush(t);
		if (ret <= 0)
			return ret;
	}
	if (!n)
		return 0;	/* tp_finish(): done */
	if (n > STREAM_BATCH)
		n = STREAM_BATCH;
	for (i = 0; i < n; i++) {
		if (f[i].len > FRAME_MAX) {	/* cannot be framed */
			if (i)
				break;
			tp->tx_drop++;
			return 1;
		}
		frame_put32(hdr[i], (uint32_t)f[i].len);
		iov[2 * i].iov_base = hdr[i];
		iov[2 * i].iov_len = STREAM_HDR;
		iov[2 * i + 1].iov_base = f[i].buf;
		iov[2 * i + 1].iov_len = f[i].len;
	}
	n = i;
	if (t->unix_fd)
		w = stream_sendmm(tp->fd, iov, &n);
	else
		do
			w = writev(tp->fd, iov, (int)(2 * n));
		while (w < 0 && errno == EINTR);
	if (w < 0)
		return errno == EAGAIN ? 0 : -errno;
	return stream_sent(t, iov, n, (size_t)w);
}

static const int tp_stream_syscalls[] = {
	SYS_read, SYS_write, SYS_writev, SYS_sendmmsg, SYS_close,
	SYS_socket, SYS_connect, SYS_fcntl, SYS_getsockopt,	/* redial */
	-1
};

const struct tp_ops tp_stream_ops = {
	.name = "stream",
	.keys = stream_keys,
	.size = sizeof(struct tp_stream),
	.open = stream_open,
	.recv = stream_recv,
	.send = stream_send,
	.close = tp_close_fd,
	.redial = stream_redial,
	.syscalls = tp_stream_syscalls,
};
