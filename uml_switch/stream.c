// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c: framing for QEMU -netdev stream clients: each frame is a 4-byte
 * big-endian length followed by the frame, on a stream socket.  Input is
 * gathered in a per-port buffer; output may stop part-way through a frame
 * (tx_off remembers where).
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "frame.h"
#include "sw.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Move complete frames out of p->sbuf.  Return: frames, or -EPROTO. */
static int stream_split(struct sw *sw, struct port *p, struct buf **b,
			unsigned int n, size_t *len)
{
	uint32_t off = 0, flen;
	unsigned int k = 0;
	struct buf *big;

	while (k < n && p->slen - off >= 4) {
		flen = be32(p->sbuf + off);
		if (flen > FRAME_MAX)
			return -EPROTO;	/* lost sync: cannot recover */
		if (p->slen - off - 4 < flen)
			break;
		if (flen > POOL_SMALL_SIZE) {
			big = pool_get(&sw->pool, 1);
			if (!big) {
				p->drop_nobuf++;
				off += 4 + flen;
				continue;
			}
			pool_put(&sw->pool, b[k]);
			b[k] = big;
		}
		memcpy(b[k]->data, p->sbuf + off + 4, flen);
		len[k++] = flen;
		off += 4 + flen;
	}
	memmove(p->sbuf, p->sbuf + off, p->slen - off);
	p->slen -= off;
	return k;
}

/**
 * stream_recv() - read what is there and return up to @n whole frames.
 * Return: frames, 0 if none is complete yet, -EPIPE at EOF, -EPROTO for a
 * length that cannot be a frame, or -errno.
 */
int stream_recv(struct sw *sw, struct port *p, struct buf **b, unsigned int n,
		size_t *len)
{
	ssize_t r = 0;
	int k;

	k = stream_split(sw, p, b, n, len);
	if (k)
		return k;
	if (p->slen < STREAM_BUF) {
		r = read(p->fd, p->sbuf + p->slen, STREAM_BUF - p->slen);
		if (r == 0)
			return -EPIPE;
		if (r < 0)
			return errno == EAGAIN ? 0 : -errno;
		p->slen += r;
	}
	return stream_split(sw, p, b, n, len);
}

/**
 * stream_send() - write up to @n queued frames, resuming a partial one.
 * Return: whole frames written, 0 if the socket is full, or -errno.
 */
int stream_send(struct sw *sw, struct port *p, unsigned int n)
{
	struct iovec iov[2 * SW_BATCH];
	uint8_t hdr[SW_BATCH][4];
	unsigned int i, k = 0, done = 0;
	uint32_t h = p->qhead, l;
	size_t skip = p->tx_off, total;
	ssize_t w;

	for (i = 0; i < n; i++) {
		l = p->q[h]->len;
		hdr[i][0] = l >> 24;
		hdr[i][1] = l >> 16;
		hdr[i][2] = l >> 8;
		hdr[i][3] = l;
		iov[k].iov_base = hdr[i];
		iov[k++].iov_len = 4;
		iov[k].iov_base = p->q[h]->data;
		iov[k++].iov_len = l;
		if (++h == sw->o.qmax)
			h = 0;
	}
	/* Skip what a previous partial write already sent of frame 0. */
	for (i = 0; i < 2 && skip; i++) {
		size_t s = skip < iov[i].iov_len ? skip : iov[i].iov_len;

		iov[i].iov_base = (uint8_t *)iov[i].iov_base + s;
		iov[i].iov_len -= s;
		skip -= s;
	}
	w = writev(p->fd, iov, k);
	if (w < 0)
		return errno == EAGAIN ? 0 : -errno;
	/* Count whole frames written; remember progress into the next. */
	w += p->tx_off;
	h = p->qhead;
	for (i = 0; i < n; i++) {
		total = 4 + (size_t)p->q[h]->len;
		if ((size_t)w < total)
			break;
		w -= total;
		done++;
		if (++h == sw->o.qmax)
			h = 0;
	}
	p->tx_off = w;
	return done;
}
