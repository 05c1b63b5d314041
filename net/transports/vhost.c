// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhost.c: a vhost-user-net back end: the front end (UML's virtio_uml, a
 * guest booted with virtio_uml.device=PATH:1, or any vhost-user master)
 * shares its memory and two split virtqueues with us over a unix stream
 * socket; frames move through the rings, one copy each way.
 *
 * Spec: vhost-user:fd=N    a connected front end, taken over (a switch
 *                          opens what its --vhost-user listener accepts so)
 *       vhost-user:path=P  connect to a front end listening at P
 *
 * tp->fd is an epoll fd of our own holding the socket and the transmit
 * queue's kick eventfd: readable when a message or a kick is there.
 * recv serves the messages, then takes the guest's frames off the
 * transmit queue (queue 1), stripping the virtio_net_hdr.  send puts
 * frames in the receive queue (queue 0) behind a zero header (num_buffers
 * set, MRG_RXBUF); when it holds no buffers send would block, and wfd (a
 * stable descriptor number, the receive queue's kick eventfd) polls
 * readable once the guest adds some (tp->wfd_in).  Before the guest's
 * driver started the receive queue, frames for it are dropped (counted),
 * as a NIC without a link would.  RESET_DEVICE and RESET_OWNER put the
 * device back as it was on connection (vh_reset()).
 *
 * The guest is untrusted: vhost_user.c checks every message, region and
 * descriptor; a guest that breaks the protocol or a ring gets an error
 * (tp->why says what) and its port is closed.  A memory region is mapped
 * only if its fd is a file at least that long.  A front end that shrinks
 * the file afterwards makes our next touch of that memory fault (SIGBUS):
 * recv and send touch guest memory only under a guard (tp_vhost_guard()
 * installs its handler, once, before any port opens) that jumps back out
 * of the fault and ends that port with "its memory is gone".
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "transport.h"
#include "vhost_user.h"

#define MSGS_PER_CALL	64	/* messages served per recv, at most */
#define RX_BUFS_MAX	64	/* receive buffers one frame may take */
#define VH_EMAX		160	/* a vhost_user.c message, prefixed in why */

struct tp_vhost {
	struct tp tp;
	int sock;
	int backend;	/* the request channel: kept open, never used */
	int kick[VU_NQUEUES], call[VU_NQUEUES];
	uint64_t features;
	uint64_t pfeatures;	/* the protocol features agreed */
	unsigned int hdr_len;
	struct vu_mem mem;
	size_t maplen[VU_MAX_REGIONS];	/* of mem.r[i].host - delta */
	size_t delta[VU_MAX_REGIONS];
	struct vu_vq vq[VU_NQUEUES];
	uint8_t rx_full;	/* send found no buffers: wfd polled */
	/* the message being read */
	uint8_t rbuf[VU_HDR_SIZE + VU_PAYLOAD_MAX];
	size_t rlen;
	struct vu_msg msg;
	int rfds[VU_MAX_FDS];
	unsigned int nrfds;
	char why[TP_ERR_MAX];
};

static const char *const vhost_keys[] = { "path", "fd", NULL };

/* While recv or send touches guest memory: where a SIGBUS goes. */
static sigjmp_buf *volatile vh_guard;

static void vh_sigbus(int sig, siginfo_t *si, void *uc)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	(void)si;
	(void)uc;
	if (vh_guard)
		siglongjmp(*vh_guard, 1);
	/* not ours: the fault happens again, and kills, as it would have */
	sigaction(sig, &dfl, NULL);
}

int tp_vhost_guard(void)
{
	struct sigaction sa = { .sa_sigaction = vh_sigbus,
				/* NODEFER: we leave by siglongjmp */
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL) ? -errno : 0;
}

#define VH(tp)	((struct tp_vhost *)(tp))

static int vh_fail(struct tp_vhost *v, int ret)
{
	v->tp.why = v->why;
	return ret;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void vh_drop_fds(struct tp_vhost *v)
{
	unsigned int i;

	for (i = 0; i < v->nrfds; i++)
		close_fd(&v->rfds[i]);
	v->nrfds = 0;
}

static void vh_unmap(struct tp_vhost *v)
{
	unsigned int i, q;

	for (i = 0; i < v->mem.n; i++)
		if (v->mem.r[i].host)
			munmap(v->mem.r[i].host - v->delta[i], v->maplen[i]);
	memset(&v->mem, 0, sizeof(v->mem));
	for (q = 0; q < VU_NQUEUES; q++)
		v->vq[q].desc = v->vq[q].avail = v->vq[q].used = NULL;
}

static int vh_open(struct tp *tp, const struct tp_spec *s, char *err,
		   size_t errlen)
{
	struct tp_vhost *v = VH(tp);
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int q;
	int ret;

	for (q = 0; q < VU_NQUEUES; q++)
		v->kick[q] = v->call[q] = -1;
	for (q = 0; q < VU_MAX_FDS; q++)
		v->rfds[q] = -1;
	v->sock = v->backend = -1;
	v->hdr_len = VU_NET_HDR_LEN;
	ret = tp_open_unix(tp, s, "path", SOCK_STREAM, err, errlen);
	if (ret)
		return ret;
	v->sock = tp->fd;
	tp->fd = epoll_create1(EPOLL_CLOEXEC);
	/* a placeholder until the guest names its receive queue's kick */
	tp->wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	tp->wfd_in = 1;
	ev.data.fd = v->sock;
	if (tp->fd < 0 || tp->wfd < 0 ||
	    epoll_ctl(tp->fd, EPOLL_CTL_ADD, v->sock, &ev)) {
		ret = -errno;
		snprintf(err, errlen, "vhost-user: %s", strerror(errno));
		close_fd(&tp->fd);
		close_fd(&tp->wfd);
		if (tp_spec_get(s, "fd"))
			v->sock = -1;	/* on failure, fd stays the caller's */
		close_fd(&v->sock);
		return ret;
	}
	return 0;
}

static void vh_close(struct tp *tp)
{
	struct tp_vhost *v = VH(tp);
	unsigned int q;

	vh_unmap(v);
	vh_drop_fds(v);
	for (q = 0; q < VU_NQUEUES; q++) {
		close_fd(&v->kick[q]);
		close_fd(&v->call[q]);
	}
	close_fd(&v->sock);
	close_fd(&v->backend);
	close_fd(&tp->fd);
	close_fd(&tp->wfd);
}

static int vh_reply(struct tp_vhost *v, const void *payload, uint32_t size)
{
	uint8_t b[VU_HDR_SIZE + 16];
	uint32_t h[3] = { htole32(v->msg.req),
			  htole32(VU_VERSION | VU_FLAG_REPLY), htole32(size) };
	ssize_t n;

	memcpy(b, h, sizeof(h));
	memcpy(b + VU_HDR_SIZE, payload, size);
	n = send(v->sock, b, VU_HDR_SIZE + size, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == (ssize_t)(VU_HDR_SIZE + size))
		return 0;
	snprintf(v->why, sizeof(v->why), "vhost-user: reply to message %u: %s",
		 v->msg.req, n < 0 ? strerror(errno) : "short write");
	return vh_fail(v, n < 0 ? -errno : -EIO);
}

static int vh_reply64(struct tp_vhost *v, uint64_t val)
{
	val = htole64(val);
	return vh_reply(v, &val, sizeof(val));
}

static uint32_t pl32(const struct vu_msg *m, size_t off)
{
	uint32_t x;

	memcpy(&x, m->payload + off, sizeof(x));
	return le32toh(x);
}

static uint64_t pl64(const struct vu_msg *m, size_t off)
{
	uint64_t x;

	memcpy(&x, m->payload + off, sizeof(x));
	return le64toh(x);
}

static int vh_map_rings(struct tp_vhost *v)
{
	char e[VH_EMAX];
	unsigned int q;

	for (q = 0; q < VU_NQUEUES; q++) {
		if (!v->vq[q].desc_ua || !v->mem.n)
			continue;
		if (vu_vq_map(&v->vq[q], &v->mem, e, sizeof(e))) {
			snprintf(v->why, sizeof(v->why),
				 "vhost-user: queue %u: %s", q, e);
			return vh_fail(v, -EINVAL);
		}
	}
	return 0;
}

static int vh_mem_table(struct tp_vhost *v)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct vu_mem mem;
	char e[VH_EMAX];
	struct stat st;
	unsigned int i;
	size_t delta, len;
	void *p;

	if (vu_mem_parse(&v->msg, v->nrfds, &mem, e, sizeof(e))) {
		snprintf(v->why, sizeof(v->why), "vhost-user: %s", e);
		return vh_fail(v, -EINVAL);
	}
	vh_unmap(v);
	for (i = 0; i < mem.n; i++) {
		if (fstat(v->rfds[i], &st) || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_size < mem.r[i].off + mem.r[i].size) {
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "SET_MEM_TABLE: region %u: its fd is not a "
				 "file of at least %llu bytes", i,
				 (unsigned long long)(mem.r[i].off +
						      mem.r[i].size));
			goto fail;
		}
		delta = mem.r[i].off & (pg - 1);
		len = mem.r[i].size + delta;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 v->rfds[i], (off_t)(mem.r[i].off - delta));
		if (p == MAP_FAILED) {
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "SET_MEM_TABLE: region %u: mmap: %s", i,
				 strerror(errno));
			goto fail;
		}
		mem.r[i].host = (uint8_t *)p + delta;
		v->delta[i] = delta;
		v->maplen[i] = len;
		v->mem.r[i] = mem.r[i];
		v->mem.n = i + 1;
	}
	vh_drop_fds(v);
	return vh_map_rings(v);
fail:
	vh_drop_fds(v);
	return vh_fail(v, -EINVAL);
}

static int vh_set_fd(struct tp_vhost *v, unsigned int q)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd = v->nrfds ? v->rfds[0] : -1;
	int fl;

	v->nrfds = 0;	/* ours now */
	if (fd >= 0) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK)) {
			close(fd);
			snprintf(v->why, sizeof(v->why), "vhost-user: queue "
				 "%u: its eventfd: %s", q, strerror(errno));
			return vh_fail(v, -EINVAL);
		}
	}
	if (v->msg.req == VU_SET_VRING_ERR) {
		if (fd >= 0)
			close(fd);	/* we never report ring errors */
		return 0;
	}
	if (v->msg.req == VU_SET_VRING_CALL) {
		close_fd(&v->call[q]);
		v->call[q] = fd;
		return 0;
	}
	if (q == 1) {	/* transmit: its kicks make tp->fd readable */
		if (v->kick[1] >= 0)
			epoll_ctl(v->tp.fd, EPOLL_CTL_DEL, v->kick[1], NULL);
		close_fd(&v->kick[1]);
		ev.data.fd = fd;
		if (fd >= 0 && epoll_ctl(v->tp.fd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			snprintf(v->why, sizeof(v->why), "vhost-user: queue "
				 "1: cannot poll its kick fd: %s",
				 strerror(errno));
			return vh_fail(v, -EINVAL);
		}
		v->kick[1] = fd;
	} else if (fd >= 0) {	/* receive: wfd keeps its number */
		if (dup3(fd, v->tp.wfd, O_CLOEXEC) < 0) {
			close(fd);
			snprintf(v->why, sizeof(v->why), "vhost-user: queue "
				 "0: dup3: %s", strerror(errno));
			return vh_fail(v, -EINVAL);
		}
		close(fd);
		v->kick[0] = v->tp.wfd;
	}
	/* a kick fd starts the ring; without protocol features it also
	 * enables it (with them, SET_VRING_ENABLE does) */
	v->vq[q].started = 1;
	if (!(v->features & (1ull << VU_F_PROTOCOL_FEATURES)))
		v->vq[q].enabled = 1;
	return 0;
}

/*
 * RESET_DEVICE (and the older RESET_OWNER): back to a device just
 * connected: rings stopped and forgotten with their eventfds, memory
 * unmapped, no features.  The connection and the request channel stay.
 * wfd keeps its number: a fresh eventfd replaces the old kick under it.
 */
static int vh_reset(struct tp_vhost *v)
{
	unsigned int q;
	int fd, ret;

	vh_unmap(v);
	if (v->kick[1] >= 0)
		epoll_ctl(v->tp.fd, EPOLL_CTL_DEL, v->kick[1], NULL);
	close_fd(&v->kick[1]);
	for (q = 0; q < VU_NQUEUES; q++) {
		close_fd(&v->call[q]);
		memset(&v->vq[q], 0, sizeof(v->vq[q]));
	}
	if (v->kick[0] >= 0) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0 || dup3(fd, v->tp.wfd, O_CLOEXEC) < 0) {
			ret = -errno;
			snprintf(v->why, sizeof(v->why), "vhost-user: reset: "
				 "%s", strerror(-ret));
			if (fd >= 0)
				close(fd);
			return vh_fail(v, ret);
		}
		close(fd);
		v->kick[0] = -1;
	}
	v->rx_full = 0;
	v->features = 0;
	v->tp.offload = 0;
	v->hdr_len = VU_NET_HDR_LEN;
	return 0;
}

/* What we offer: offloads only to a consumer that takes them. */
static uint64_t vh_offered(const struct tp_vhost *v)
{
	return VU_FEATURES | (v->tp.vnet_ok ? VU_OFFLOADS : 0);
}

/* The offloads frames toward the guest may leave to it (tp->offload):
 * TSO only with the checksum, as virtio wants. */
static uint8_t vh_offload(uint64_t f)
{
	uint8_t o = 0;

	if (!(f & (1ull << VU_F_GUEST_CSUM)))
		return 0;
	o = TP_OFF_CSUM;
	if (f & (1ull << VU_F_GUEST_TSO4))
		o |= TP_OFF_TSO4;
	if (f & (1ull << VU_F_GUEST_TSO6))
		o |= TP_OFF_TSO6;
	return o;
}

static int vh_message(struct tp_vhost *v)
{
	struct vu_msg *m = &v->msg;
	char e[VH_EMAX];
	uint32_t q = 0, st[2];
	uint64_t x;

	if (vu_msg_check(m, v->nrfds, e, sizeof(e))) {
		vh_drop_fds(v);
		snprintf(v->why, sizeof(v->why), "vhost-user: %s", e);
		return vh_fail(v, -EINVAL);
	}
	if (m->size >= 4)
		q = m->req >= VU_SET_VRING_KICK && m->req <= VU_SET_VRING_ERR ?
		    m->payload[0] : pl32(m, 0);
	switch (m->req) {
	case VU_GET_FEATURES:
		return vh_reply64(v, vh_offered(v));
	case VU_SET_FEATURES:
		x = pl64(m, 0);
		if (x & ~vh_offered(v)) {
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "SET_FEATURES 0x%llx: not offered: 0x%llx",
				 (unsigned long long)x,
				 (unsigned long long)(x & ~vh_offered(v)));
			return vh_fail(v, -EINVAL);
		}
		v->features = x;
		v->tp.offload = vh_offload(x);
		v->hdr_len = x & ((1ull << VU_F_VERSION_1) |
				  (1ull << VU_F_MRG_RXBUF)) ?
			     VU_NET_HDR_LEN : VU_NET_HDR_LEN - 2;
		return 0;
	case VU_GET_PROTOCOL_FEATURES:
		return vh_reply64(v, VU_PROTOCOL_FEATURES);
	case VU_SET_PROTOCOL_FEATURES:
		if (pl64(m, 0) & ~VU_PROTOCOL_FEATURES) {
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "SET_PROTOCOL_FEATURES 0x%llx: none offered",
				 (unsigned long long)pl64(m, 0));
			return vh_fail(v, -EINVAL);
		}
		v->pfeatures = pl64(m, 0);
		return 0;
	case VU_GET_QUEUE_NUM:
		return vh_reply64(v, VU_NQUEUES / 2);
	case VU_SET_OWNER:
		return 0;
	case VU_RESET_OWNER:
	case VU_RESET_DEVICE:
		return vh_reset(v);
	case VU_SET_BACKEND_REQ_FD:
		close_fd(&v->backend);
		v->backend = v->rfds[0];
		v->nrfds = 0;
		return 0;
	case VU_SET_MEM_TABLE:
		return vh_mem_table(v);
	case VU_SET_VRING_NUM:
		v->vq[q].num = pl32(m, 4);
		if (!v->vq[q].num || (v->vq[q].num & (v->vq[q].num - 1)) ||
		    v->vq[q].num > VU_QUEUE_MAX) {
			snprintf(v->why, sizeof(v->why), "vhost-user: queue "
				 "%u: size %u (a power of 2 up to %u)", q,
				 v->vq[q].num, VU_QUEUE_MAX);
			return vh_fail(v, -EINVAL);
		}
		v->vq[q].desc = NULL;	/* SET_VRING_ADDR maps it again */
		return 0;
	case VU_SET_VRING_ADDR:
		v->vq[q].desc_ua = pl64(m, 8);
		v->vq[q].used_ua = pl64(m, 16);
		v->vq[q].avail_ua = pl64(m, 24);
		if (!v->vq[q].desc_ua)
			v->vq[q].desc_ua = 1;	/* misaligned: refused */
		return vh_map_rings(v);
	case VU_SET_VRING_BASE:
		if (pl32(m, 4) > 0xffff) {
			snprintf(v->why, sizeof(v->why), "vhost-user: queue "
				 "%u: base %u", q, pl32(m, 4));
			return vh_fail(v, -EINVAL);
		}
		v->vq[q].last_avail = v->vq[q].used_idx = pl32(m, 4);
		v->vq[q].pushed = 0;
		v->vq[q].broken = 0;
		return 0;
	case VU_GET_VRING_BASE:
		/* the ring stops until its next SET_VRING_KICK, whatever
		 * SET_VRING_ENABLE says meanwhile (QEMU enables its rings
		 * again after stopping them: their memory may be reused) */
		vu_vq_kicks(&v->vq[q], 1);	/* a restart finds them on */
		v->vq[q].started = 0;
		st[0] = htole32(q);
		st[1] = htole32(v->vq[q].last_avail);
		return vh_reply(v, st, sizeof(st));
	case VU_SET_VRING_KICK:
	case VU_SET_VRING_CALL:
	case VU_SET_VRING_ERR:
		return vh_set_fd(v, q);
	case VU_SET_VRING_ENABLE:
		v->vq[q].enabled = (uint8_t)pl32(m, 4);	/* 0 or 1: checked */
		return 0;
	default:
		return 0;	/* vu_msg_check() refused the rest */
	}
}

/* Read what is there of the next message.  Return: 1 when one is whole,
 * 0 if more is to come, or -errno. */
static int vh_read(struct tp_vhost *v)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
	} cbuf;
	size_t want = v->rlen < VU_HDR_SIZE ? VU_HDR_SIZE :
		      VU_HDR_SIZE + v->msg.size;
	struct iovec iov = { v->rbuf + v->rlen, want - v->rlen };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf.b,
			     .msg_controllen = sizeof(cbuf.b) };
	char e[VH_EMAX];
	struct cmsghdr *c;
	unsigned int k, nfd;
	ssize_t n;

	n = recvmsg(v->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < nfd; k++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(fd));
			if (v->nrfds < VU_MAX_FDS)
				v->rfds[v->nrfds++] = fd;
			else
				close(fd);
		}
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		snprintf(v->why, sizeof(v->why), "vhost-user: more than %u "
			 "fds with one message", VU_MAX_FDS);
		return vh_fail(v, -EINVAL);
	}
	if (n == 0) {
		snprintf(v->why, sizeof(v->why), "front end closed the "
			 "connection");
		return vh_fail(v, -EPIPE);
	}
	v->rlen += n;
	if (v->rlen == VU_HDR_SIZE && want == VU_HDR_SIZE) {
		if (vu_hdr_parse(v->rbuf, &v->msg, e, sizeof(e))) {
			snprintf(v->why, sizeof(v->why), "vhost-user: %s", e);
			return vh_fail(v, -EPROTO);
		}
		if (v->msg.size)
			return vh_read(v);	/* usually already there */
	}
	if (v->rlen < VU_HDR_SIZE + v->msg.size || v->rlen < VU_HDR_SIZE)
		return 0;
	memcpy(v->msg.payload, v->rbuf + VU_HDR_SIZE, v->msg.size);
	v->rlen = 0;
	return 1;
}

static void vh_signal(struct tp_vhost *v, int q)
{
	uint64_t one = 1;

	if (vu_vq_publish(&v->vq[q]) && v->call[q] >= 0 &&
	    write(v->call[q], &one, sizeof(one)) < 0) {
		/* full (EAGAIN): the guest has an interrupt pending anyway */
	}
}

/* Read an eventfd: the kicks since the last read (0: none, EAGAIN). */
static uint64_t vh_drain(int fd)
{
	uint64_t x;

	if (fd < 0 || read(fd, &x, sizeof(x)) != (ssize_t)sizeof(x))
		return 0;
	return x;
}

/*
 * The virtio-net header of transmitted chain @c into @f->vnet, when the
 * guest may leave work in it (it negotiated VIRTIO_NET_F_CSUM, which we
 * offer only to a consumer that takes it).  Return: 0, or -1 for a
 * header whose own fields are impossible.
 */
static int vh_rx_vnet(const struct tp_vhost *v, const struct vu_chain *c,
		      struct tp_frame *f)
{
	uint8_t h[VNET_HDR_LEN];
	unsigned int i;
	size_t k = 0, l;

	if (!(v->features & (1ull << VU_F_CSUM)))
		return 0;
	for (i = 0; i < c->n && k < sizeof(h); i++) {
		l = c->seg[i].len < sizeof(h) - k ? c->seg[i].len :
						    sizeof(h) - k;
		memcpy(h + k, c->seg[i].p, l);
		k += l;
	}
	vnet_get(h, &f->vnet);
	f->vnet.flags &= (uint8_t)~VNET_F_DATA_VALID;	/* rx only */
	if (f->vnet.gso_type && !(v->features & (1ull << VU_F_HOST_TSO4)) &&
	    !(v->features & (1ull << VU_F_HOST_TSO6)))
		return -1;
	return 0;
}

/* REPLY_ACK: the message just served asked for a reply and has none of
 * its own: 0, it went well (one that did not ended the connection). */
static int vh_ack(struct tp_vhost *v)
{
	if (!(v->pfeatures & (1ull << VU_PF_REPLY_ACK)) ||
	    !(v->msg.flags & VU_FLAG_NEED_REPLY))
		return 0;
	switch (v->msg.req) {
	case VU_GET_FEATURES:
	case VU_GET_PROTOCOL_FEATURES:
	case VU_GET_QUEUE_NUM:
	case VU_GET_VRING_BASE:
		return 0;
	default:
		return vh_reply64(v, 0);
	}
}

static int vh_recv_frames(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_vhost *v = VH(tp);
	struct vu_vq *vq = &v->vq[1];
	struct vu_chain c;
	char e[VH_EMAX];
	unsigned int i, k, got = 0;
	uint64_t skip, off;
	int ret;

	for (k = 0; k < MSGS_PER_CALL; k++) {
		ret = vh_read(v);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		ret = vh_message(v);
		if (ret < 0)
			return ret;
		ret = vh_ack(v);
		if (ret < 0)
			return ret;
	}
	tp->pending = k == MSGS_PER_CALL;
	tp->kicks += vh_drain(v->kick[1]);	/* even with the ring stopped:
						 * no spin */
	if (!vu_vq_ready(vq))
		return 0;
	vu_vq_kicks(vq, 0);	/* at work on the ring: the guest need not kick */
	while (got < n) {
		ret = vu_vq_pop(vq, &v->mem, 0, &c, e, sizeof(e));
		if (ret < 0) {
			vq->broken = 1;
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "transmit queue: %s", e);
			return vh_fail(v, -EINVAL);
		}
		if (!ret)
			break;
		vu_vq_push(vq, c.head, 0);
		if (c.total < v->hdr_len || c.total - v->hdr_len > 65536) {
			tp->rx_drop++;	/* no header, or absurdly long */
			continue;
		}
		if (vh_rx_vnet(v, &c, &f[got])) {
			tp->rx_drop++;	/* a header that lies: counted */
			continue;
		}
		skip = v->hdr_len;
		off = 0;
		for (i = 0; i < c.n; i++) {
			if (skip >= c.seg[i].len) {
				skip -= c.seg[i].len;
				continue;
			}
			tp_frame_write(&f[got], off, c.seg[i].p + skip,
				       c.seg[i].len - skip);
			off += c.seg[i].len - skip;
			skip = 0;
		}
		f[got++].len = off;	/* the consumer checks its vnet */
	}
	vh_signal(v, 1);
	if (got == n && vu_vq_avail(vq))
		tp->pending = 1;	/* back at once: kicks stay off */
	else if (vu_vq_kicks(vq, 1))
		tp->pending = 1;	/* chains came while they were off */
	return (int)got;
}

/* Copy @len bytes of @src into chains @c[0..nc) from byte @off on. */
static void vh_copy_out(struct vu_chain *c, unsigned int nc, uint64_t off,
			const uint8_t *src, size_t len)
{
	unsigned int i, s;
	size_t l;

	for (i = 0; i < nc && len; i++) {
		for (s = 0; s < c[i].n && len; s++) {
			if (off >= c[i].seg[s].len) {
				off -= c[i].seg[s].len;
				continue;
			}
			l = c[i].seg[s].len - off;
			if (l > len)
				l = len;
			memcpy(c[i].seg[s].p + off, src, l);
			src += l;
			len -= l;
			off = 0;
		}
	}
}

static struct vu_chain rx_chain[RX_BUFS_MAX];	/* one frame's buffers */

static int vh_send_frames(struct tp *tp, const struct tp_frame *f,
			  unsigned int n)
{
	struct tp_vhost *v = VH(tp);
	struct vu_vq *vq = &v->vq[0];
	int mrg = !!(v->features & (1ull << VU_F_MRG_RXBUF));
	uint8_t hdr[VU_NET_HDR_LEN];
	unsigned int i, nc, k;
	uint64_t room, need, left;
	char e[VH_EMAX];
	int ret = 0;

	if (!vu_vq_ready(vq)) {
		tp->tx_drop += n;	/* the guest's driver is not up */
		return (int)n;
	}
	if (v->rx_full) {
		vh_drain(v->kick[0]);
		v->rx_full = 0;
	}
	for (i = 0; i < n; i++) {
		if (off_needs(&f[i].vnet) & ~tp->offload) {
			tp->tx_drop++;	/* work it cannot do: the caller's */
			continue;
		}
		need = v->hdr_len + f[i].len;
		room = 0;
		for (nc = 0; room < need && nc < RX_BUFS_MAX; nc++) {
			ret = vu_vq_pop(vq, &v->mem, 1, &rx_chain[nc], e,
					sizeof(e));
			if (ret <= 0)
				break;
			room += rx_chain[nc].total;
			if (!mrg) {
				nc++;
				break;
			}
		}
		if (ret < 0) {
			vq->broken = 1;
			snprintf(v->why, sizeof(v->why), "vhost-user: "
				 "receive queue: %s", e);
			return vh_fail(v, -EINVAL);
		}
		if (ret == 0) {	/* out of buffers: wait for more */
			vu_vq_unpop(vq, nc);
			v->rx_full = 1;
			break;
		}
		if (room < need) {	/* it cannot take this frame */
			vu_vq_unpop(vq, nc);
			if (!mrg || nc == RX_BUFS_MAX) {
				/* take the one buffer, drop the frame */
				if (vu_vq_pop(vq, &v->mem, 1, &rx_chain[0], e,
					      sizeof(e)) == 1)
					vu_vq_push(vq, rx_chain[0].head, 0);
				tp->tx_drop++;
				continue;
			}
		}
		memset(hdr, 0, sizeof(hdr));
		vnet_put(hdr, &f[i].vnet);	/* zero, or within offload */
		hdr[10] = (uint8_t)nc;
		vh_copy_out(rx_chain, nc, 0, hdr, v->hdr_len);
		vh_copy_out(rx_chain, nc, v->hdr_len, f[i].buf, f[i].len);
		left = need;
		for (k = 0; k < nc; k++) {
			room = rx_chain[k].total < left ? rx_chain[k].total :
							  left;
			vu_vq_push(vq, rx_chain[k].head, (uint32_t)room);
			left -= room;
		}
	}
	vh_signal(v, 0);
	return (int)i;
}

/* The front end took its memory away under us (shrank the file). */
static int vh_gone(struct tp_vhost *v)
{
	vh_guard = NULL;
	v->vq[0].broken = v->vq[1].broken = 1;
	snprintf(v->why, sizeof(v->why), "vhost-user: its memory is gone "
		 "(the front end shrank a region's file)");
	return vh_fail(v, -EFAULT);
}

/* recv (@rf) or send (@sf) under the guard. */
static int vh_guarded(struct tp *tp, struct tp_frame *rf,
		      const struct tp_frame *sf, unsigned int n)
{
	sigjmp_buf env;
	int ret;

	if (sigsetjmp(env, 0))
		return vh_gone(VH(tp));
	vh_guard = &env;
	ret = rf ? vh_recv_frames(tp, rf, n) : vh_send_frames(tp, sf, n);
	vh_guard = NULL;
	return ret;
}

static int vh_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	return vh_guarded(tp, f, NULL, n);
}

static int vh_send(struct tp *tp, const struct tp_frame *f, unsigned int n)
{
	return vh_guarded(tp, NULL, f, n);
}

static const int tp_vhost_syscalls[] = {
	SYS_recvmsg, SYS_sendto, SYS_read, SYS_write, SYS_close, SYS_fstat,
	SYS_epoll_ctl, SYS_dup3, SYS_munmap,
	SYS_epoll_create1, SYS_eventfd2, -1	/* the last two: open, after accept */
};

const struct tp_ops tp_vhost_ops = {
	.name = "vhost-user",
	.keys = vhost_keys,
	.size = sizeof(struct tp_vhost),
	.open = vh_open,
	.recv = vh_recv,
	.send = vh_send,
	.close = vh_close,
	.syscalls = tp_vhost_syscalls,
};
