// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vhost.c: vhost-user as a back end: message checks, the memory
 * table, the split virtqueue walker over a fake guest memory (chains,
 * loops, bad indices and addresses, used entries and interrupts), and the
 * transport over a socketpair: the feature handshake and a memory table
 * whose file is too short, refused with a message saying so; a device
 * reset (RESET_DEVICE, RESET_OWNER) mid-use and set up again; kicks
 * suppressed while the transport has chains left to take.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport.h"
#include "vhost_user.h"
#include "test.h"

#define GPA	0x100000ull
#define UVA	0x7f0000000000ull
#define MEMSZ	65536

static uint8_t mem_buf[MEMSZ] __attribute__((aligned(16)));
static struct vu_mem mem;

static void put16(uint8_t *p, uint16_t v) { v = htole16(v); memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { v = htole32(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { v = htole64(v); memcpy(p, &v, 8); }

static void msg_set(struct vu_msg *m, uint32_t req, uint32_t size)
{
	memset(m, 0, sizeof(*m));
	m->req = req;
	m->flags = VU_VERSION;
	m->size = size;
}

static void test_msgs(void)
{
	char e[TP_ERR_MAX];
	uint8_t h[VU_HDR_SIZE];
	struct vu_msg m;

	put32(h, VU_GET_FEATURES);
	put32(h + 4, 2);	/* version 2 */
	put32(h + 8, 0);
	CHECK(vu_hdr_parse(h, &m, e, sizeof(e)) == -EPROTO);
	CHECK(strstr(e, "version"));
	put32(h + 4, VU_VERSION);
	put32(h + 8, VU_PAYLOAD_MAX + 1);
	CHECK(vu_hdr_parse(h, &m, e, sizeof(e)) == -EPROTO);
	put32(h + 8, 8);
	CHECK(vu_hdr_parse(h, &m, e, sizeof(e)) == 0 && m.size == 8);

	msg_set(&m, VU_GET_FEATURES, 0);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == 0);
	CHECK(vu_msg_check(&m, 1, e, sizeof(e)) == -EINVAL);	/* an fd */
	CHECK(strstr(e, "fds"));
	msg_set(&m, VU_SET_FEATURES, 4);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "payload"));
	msg_set(&m, VU_SET_VRING_NUM, 8);
	put32(m.payload, 2);	/* queue 2: a net device has 0 and 1 */
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "queue 2"));
	put32(m.payload, 1);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == 0);
	msg_set(&m, VU_SET_VRING_KICK, 8);
	put64(m.payload, 1);
	CHECK(vu_msg_check(&m, 1, e, sizeof(e)) == 0);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == -EINVAL);
	put64(m.payload, 1 | VU_VRING_NOFD);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == 0);
	put64(m.payload, 1 | 1ull << 40);
	CHECK(vu_msg_check(&m, 1, e, sizeof(e)) == -EINVAL);
	msg_set(&m, VU_SET_VRING_ENABLE, 8);	/* as QEMU sends it */
	put32(m.payload, 1);
	put32(m.payload + 4, 1);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == 0);
	put32(m.payload + 4, 2);	/* neither off nor on */
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "SET_VRING_ENABLE: state 2"));
	msg_set(&m, VU_SET_VRING_ERR, 8);	/* QEMU sends one per queue */
	put64(m.payload, 1);
	CHECK(vu_msg_check(&m, 1, e, sizeof(e)) == 0);
	msg_set(&m, 99, 0);
	CHECK(vu_msg_check(&m, 0, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "99"));
}

static void region(struct vu_msg *m, unsigned int i, uint64_t gpa,
		   uint64_t size, uint64_t uva, uint64_t off)
{
	uint8_t *p = m->payload + 8 + 32 * i;

	put64(p, gpa);
	put64(p + 8, size);
	put64(p + 16, uva);
	put64(p + 24, off);
}

static void test_mem(void)
{
	char e[TP_ERR_MAX];
	struct vu_mem t;
	struct vu_msg m;

	msg_set(&m, VU_SET_MEM_TABLE, 8 + 64);
	put32(m.payload, 2);
	region(&m, 0, 0, 4096, UVA, 0);
	region(&m, 1, 8192, 4096, UVA + 8192, 4096);
	CHECK(vu_msg_check(&m, 2, e, sizeof(e)) == 0);
	CHECK(vu_mem_parse(&m, 2, &t, e, sizeof(e)) == 0 && t.n == 2);
	CHECK(vu_mem_parse(&m, 1, &t, e, sizeof(e)) == -EINVAL);
	region(&m, 1, 4000, 4096, UVA + 8192, 4096);	/* overlaps 0 */
	CHECK(vu_mem_parse(&m, 2, &t, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "overlap"));
	region(&m, 1, 8192, 4096, UVA + 100, 4096);	/* in user space */
	CHECK(vu_mem_parse(&m, 2, &t, e, sizeof(e)) == -EINVAL);
	region(&m, 1, ~0ull - 10, 4096, UVA + 8192, 0);	/* wraps */
	CHECK(vu_mem_parse(&m, 2, &t, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "region 1"));
	region(&m, 1, 8192, 0, UVA + 8192, 0);		/* empty */
	CHECK(vu_mem_parse(&m, 2, &t, e, sizeof(e)) == -EINVAL);
	put32(m.payload, 9);
	CHECK(vu_msg_check(&m, 9, e, sizeof(e)) == -EINVAL);

	/* translation: whole ranges inside one region only */
	memset(&t, 0, sizeof(t));
	t.n = 1;
	t.r[0] = (struct vu_region){ .gpa = GPA, .size = MEMSZ, .uva = UVA,
				     .host = mem_buf };
	CHECK(vu_gpa(&t, GPA, MEMSZ) == mem_buf);
	CHECK(vu_gpa(&t, GPA + 10, MEMSZ - 10) == mem_buf + 10);
	CHECK(!vu_gpa(&t, GPA + 10, MEMSZ - 9));
	CHECK(!vu_gpa(&t, GPA - 1, 2));
	CHECK(!vu_gpa(&t, GPA + 1, ~0ull));
	CHECK(vu_uva(&t, UVA + 5, 1) == mem_buf + 5);
	CHECK(!vu_uva(&t, GPA, 1));
}

/* a ring of 8 at UVA: desc at 0, avail at 1024, used at 2048; data above */
#define DESC	0
#define AVAIL	1024
#define USED	2048
#define DATA	4096

static void ring_init(struct vu_vq *vq)
{
	char e[TP_ERR_MAX];

	memset(mem_buf, 0, sizeof(mem_buf));
	memset(&mem, 0, sizeof(mem));
	mem.n = 1;
	mem.r[0] = (struct vu_region){ .gpa = GPA, .size = MEMSZ, .uva = UVA,
				       .host = mem_buf };
	memset(vq, 0, sizeof(*vq));
	vq->num = 8;
	vq->desc_ua = UVA + DESC;
	vq->avail_ua = UVA + AVAIL;
	vq->used_ua = UVA + USED;
	vq->enabled = 1;
	vq->started = 1;
	CHECK(vu_vq_map(vq, &mem, e, sizeof(e)) == 0);
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint8_t *d = mem_buf + DESC + 16 * i;

	put64(d, addr);
	put32(d + 8, len);
	put16(d + 12, flags);
	put16(d + 14, next);
}

static void avail(struct vu_vq *vq, uint16_t idx, uint16_t head)
{
	put16(mem_buf + AVAIL + 4 + 2 * (idx % vq->num), head);
	put16(mem_buf + AVAIL + 2, idx + 1);
}

static void test_ring(void)
{
	char e[TP_ERR_MAX];
	struct vu_chain c;
	struct vu_vq vq;
	uint16_t u;

	ring_init(&vq);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == 0);	/* empty */
	desc(3, GPA + DATA, 12, 1, 5);
	desc(5, GPA + DATA + 100, 60, 0, 0);
	avail(&vq, 0, 3);
	CHECK(vu_vq_avail(&vq));
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == 1);
	CHECK(c.head == 3 && c.n == 2 && c.total == 72);
	CHECK(c.seg[0].p == mem_buf + DATA && c.seg[1].len == 60);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == 0);
	vu_vq_push(&vq, 3, 0);
	CHECK(vu_vq_publish(&vq) == 1);	/* interrupts wanted */
	memcpy(&u, mem_buf + USED + 2, 2);
	CHECK(le16toh(u) == 1);
	put16(mem_buf + AVAIL, 1);	/* VRING_AVAIL_F_NO_INTERRUPT */
	vu_vq_push(&vq, 3, 0);
	CHECK(vu_vq_publish(&vq) == 0);
	/* unpop gives a chain back */
	avail(&vq, 1, 5);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == 1);
	vu_vq_unpop(&vq, 1);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == 1 && c.head == 5);

	/* kicks: off while at work (VIRTQ_USED_F_NO_NOTIFY), on again with a
	 * last look at the ring for chains added meanwhile */
	ring_init(&vq);
	vu_vq_kicks(&vq, 0);
	memcpy(&u, mem_buf + USED, 2);
	CHECK(le16toh(u) == 1);
	CHECK(vu_vq_kicks(&vq, 1) == 0);	/* nothing came */
	memcpy(&u, mem_buf + USED, 2);
	CHECK(le16toh(u) == 0);
	vu_vq_kicks(&vq, 0);
	desc(0, GPA + DATA, 10, 0, 0);
	avail(&vq, 0, 0);		/* the guest saw them off: no kick */
	CHECK(vu_vq_kicks(&vq, 1) == 1);
	vq.started = 0;			/* a stopped ring is left alone */
	CHECK(vu_vq_kicks(&vq, 0) == 0);
	memcpy(&u, mem_buf + USED, 2);
	CHECK(le16toh(u) == 0);

	/* a loop */
	ring_init(&vq);
	desc(0, GPA + DATA, 10, 1, 1);
	desc(1, GPA + DATA, 10, 1, 0);
	avail(&vq, 0, 0);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "loop"));
	/* next out of the ring */
	ring_init(&vq);
	desc(0, GPA + DATA, 10, 1, 8);
	avail(&vq, 0, 0);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "next 8"));
	/* head out of the ring */
	ring_init(&vq);
	avail(&vq, 0, 9);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	/* a buffer outside guest memory, or running off its end */
	ring_init(&vq);
	desc(0, GPA + MEMSZ - 4, 10, 0, 0);
	avail(&vq, 0, 0);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "outside"));
	/* indirect (not negotiated) and the wrong direction */
	ring_init(&vq);
	desc(0, GPA + DATA, 16, 4, 0);
	avail(&vq, 0, 0);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	CHECK(strstr(e, "indirect"));
	ring_init(&vq);
	desc(0, GPA + DATA, 16, 2, 0);	/* writable in a transmit chain */
	avail(&vq, 0, 0);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	CHECK(vu_vq_pop(&vq, &mem, 1, &c, e, sizeof(e)) == 1);
	/* avail index further ahead than the ring is long */
	ring_init(&vq);
	put16(mem_buf + AVAIL + 2, 9);
	CHECK(vu_vq_pop(&vq, &mem, 0, &c, e, sizeof(e)) == -EINVAL);
	/* rings that do not fit in memory, or misaligned */
	ring_init(&vq);
	vq.used_ua = UVA + MEMSZ - 8;
	CHECK(vu_vq_map(&vq, &mem, e, sizeof(e)) == -EINVAL && !vq.desc);
	vq.used_ua = UVA + USED + 2;
	CHECK(vu_vq_map(&vq, &mem, e, sizeof(e)) == -EINVAL);
	vq.used_ua = UVA + USED;
	vq.num = 6;
	CHECK(vu_vq_map(&vq, &mem, e, sizeof(e)) == -EINVAL);
	CHECK(!vu_vq_ready(&vq));
}

/* --- the transport over a socketpair ----------------------------------- */

static int req(int fd, uint32_t r, const void *pl, uint32_t size, int sfd)
{
	uint8_t b[VU_HDR_SIZE + 64];
	union {
		struct cmsghdr h;
		char c[CMSG_SPACE(sizeof(int))];
	} cb;
	struct iovec iov = { b, VU_HDR_SIZE + size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	put32(b, r);
	put32(b + 4, VU_VERSION);
	put32(b + 8, size);
	if (size)
		memcpy(b + VU_HDR_SIZE, pl, size);
	if (sfd >= 0) {
		memset(&cb, 0, sizeof(cb));
		mh.msg_control = cb.c;
		mh.msg_controllen = sizeof(cb.c);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &sfd, sizeof(int));
	}
	return sendmsg(fd, &mh, 0) == (ssize_t)(VU_HDR_SIZE + size) ? 0 : -1;
}

/* A transport on one end of a new socketpair; sv[0] plays the front end. */
static struct tp *vh_pair(int sv[2])
{
	char spec[32], e[TP_ERR_MAX];
	struct tp *tp = NULL;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	snprintf(spec, sizeof(spec), "vhost-user:fd=%d", sv[1]);
	CHECK(tp_open(&tp, spec, e, sizeof(e)) == 0);
	return tp;
}

static void test_transport(void)
{
	struct tp_frame f = { 0 };
	uint8_t b[64], pl[40];
	struct tp *tp;
	uint64_t feat;
	int sv[2], mfd;

	tp = vh_pair(sv);
	if (!tp)
		return;
	CHECK(tp->wfd >= 0 && tp->wfd != tp->fd && tp->wfd_in);
	CHECK(req(sv[0], VU_GET_FEATURES, NULL, 0, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
	CHECK(read(sv[0], b, sizeof(b)) == VU_HDR_SIZE + 8);
	memcpy(&feat, b + VU_HDR_SIZE, 8);
	CHECK(le64toh(feat) == VU_FEATURES);
	CHECK(b[4] == (VU_VERSION | VU_FLAG_REPLY));
	/* frames before the guest's driver set up its rings: dropped */
	f.buf = b;
	f.len = 60;
	CHECK(tp_send(tp, &f, 1) == 1 && tp->tx_drop == 1);
	/* a feature we never offered */
	feat = htole64(1ull << 0);	/* VIRTIO_NET_F_CSUM */
	CHECK(req(sv[0], VU_SET_FEATURES, &feat, 8, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == -EINVAL);
	CHECK(tp->why && strstr(tp->why, "not offered"));
	tp_close(tp);
	close(sv[0]);

	/* a memory table larger than its file */
	tp = vh_pair(sv);
	mfd = memfd_create("vhost-test", MFD_CLOEXEC);
	CHECK(mfd >= 0 && ftruncate(mfd, 4096) == 0);
	memset(pl, 0, sizeof(pl));
	put32(pl, 1);
	put64(pl + 8, 0);
	put64(pl + 16, 8192);	/* 8192 bytes of a 4096-byte file */
	put64(pl + 24, UVA);
	CHECK(req(sv[0], VU_SET_MEM_TABLE, pl, 40, mfd) == 0);
	CHECK(tp_recv(tp, &f, 1) == -EINVAL);
	CHECK(tp->why && strstr(tp->why, "at least 8192"));
	tp_close(tp);
	close(sv[0]);
	/* the same, with a file long enough, is mapped; then EOF ends it */
	tp = vh_pair(sv);
	CHECK(ftruncate(mfd, 8192) == 0);
	CHECK(req(sv[0], VU_SET_MEM_TABLE, pl, 40, mfd) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
	close(sv[0]);
	CHECK(tp_recv(tp, &f, 1) == -EPIPE);
	tp_close(tp);
	close(mfd);
}

/* Queue 0 (receive) of the transport @tp in memory @mfd (8 KiB at
 * gpa 0): rings at 0/1024/2048, first entry @base; one 2 KiB buffer. */
static void rx_setup(int sk, struct tp *tp, int mfd, uint16_t base)
{
	struct tp_frame f = { 0 };
	uint8_t pl[40];
	uint64_t x;

	x = htole64(1ull << VU_F_VERSION_1 | 1ull << VU_F_MRG_RXBUF);
	CHECK(req(sk, VU_SET_FEATURES, &x, 8, -1) == 0);
	memset(pl, 0, sizeof(pl));
	put32(pl, 1);
	put64(pl + 16, 8192);
	put64(pl + 24, UVA);
	CHECK(req(sk, VU_SET_MEM_TABLE, pl, 40, mfd) == 0);
	memset(pl, 0, sizeof(pl));
	put32(pl + 4, 8);
	CHECK(req(sk, VU_SET_VRING_NUM, pl, 8, -1) == 0);
	put32(pl + 4, base);
	CHECK(req(sk, VU_SET_VRING_BASE, pl, 8, -1) == 0);
	put32(pl + 4, 0);
	put64(pl + 8, UVA);
	put64(pl + 16, UVA + 2048);
	put64(pl + 24, UVA + 1024);
	CHECK(req(sk, VU_SET_VRING_ADDR, pl, 40, -1) == 0);
	x = htole64(VU_VRING_NOFD);	/* queue 0, no eventfd */
	CHECK(req(sk, VU_SET_VRING_KICK, &x, 8, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
}

/* 8 KiB of "guest memory" in a memfd (*@mfd), mapped: NULL on failure. */
static uint8_t *guest_mem(const char *name, int *mfd)
{
	uint8_t *g;

	*mfd = memfd_create(name, MFD_CLOEXEC);
	CHECK(*mfd >= 0 && ftruncate(*mfd, 8192) == 0);
	g = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, *mfd, 0);
	CHECK(g != MAP_FAILED);
	return g == MAP_FAILED ? NULL : g;
}

/* Transmit chains more than one recv takes: the guest is told not to kick
 * until the transport has taken them all (pending meanwhile), and to kick
 * again after; GET_VRING_BASE stops the ring with kicks on. */
static void test_kicks(void)
{
	struct tp_frame f[2];
	uint8_t b[64], pl[40], fb[2][128];
	struct tp *tp;
	unsigned int i;
	uint64_t x;
	uint8_t *g;
	int sv[2], mfd;

	tp = vh_pair(sv);
	if (!tp)
		return;
	g = guest_mem("vhost-kicks", &mfd);
	if (!g)
		return;
	rx_setup(sv[0], tp, mfd, 0);
	memset(pl, 0, sizeof(pl));	/* queue 1: rings at 3072/3328/3584 */
	put32(pl, 1);
	put32(pl + 4, 8);
	CHECK(req(sv[0], VU_SET_VRING_NUM, pl, 8, -1) == 0);
	put32(pl + 4, 0);
	CHECK(req(sv[0], VU_SET_VRING_BASE, pl, 8, -1) == 0);
	put64(pl + 8, UVA + 3072);
	put64(pl + 16, UVA + 3584);
	put64(pl + 24, UVA + 3328);
	CHECK(req(sv[0], VU_SET_VRING_ADDR, pl, 40, -1) == 0);
	x = htole64(1 | VU_VRING_NOFD);
	CHECK(req(sv[0], VU_SET_VRING_KICK, &x, 8, -1) == 0);
	for (i = 0; i < 3; i++) {	/* three 72-byte chains (header + 60) */
		put64(g + 3072 + 16 * i, 5120 + 128 * i);
		put32(g + 3072 + 16 * i + 8, 72);
		put16(g + 3328 + 4 + 2 * i, i);
	}
	put16(g + 3328 + 2, 3);
	for (i = 0; i < 2; i++)
		f[i] = (struct tp_frame){ .buf = fb[i], .cap = sizeof(fb[i]) };
	CHECK(tp_recv(tp, f, 2) == 2 && tp->pending);
	CHECK(g[3584] == 1);		/* used->flags: NO_NOTIFY */
	CHECK(tp_recv(tp, f, 2) == 1 && !tp->pending && f[0].len == 60);
	CHECK(g[3584] == 0 && g[3584 + 2] == 3);	/* kick again; 3 used */
	put16(g + 3328 + 4 + 2 * 3, 0);	/* four more: stop with kicks off */
	put16(g + 3328 + 4 + 2 * 4, 1);
	put16(g + 3328 + 4 + 2 * 5, 2);
	put16(g + 3328 + 2, 6);
	CHECK(tp_recv(tp, f, 2) == 2 && tp->pending && g[3584] == 1);
	memset(pl, 0, sizeof(pl));
	put32(pl, 1);
	CHECK(req(sv[0], VU_GET_VRING_BASE, pl, 8, -1) == 0);
	CHECK(tp_recv(tp, f, 2) == 0);
	CHECK(read(sv[0], b, sizeof(b)) == VU_HDR_SIZE + 8);
	CHECK(g[3584] == 0);		/* a restarted ring gets kicks */
	tp_close(tp);
	close(sv[0]);
	munmap(g, 8192);
	close(mfd);
}

/* RESET_DEVICE mid-use: the ring is forgotten (frames for it dropped,
 * none written), then set up again it takes frames again. */
static void test_reset(void)
{
	struct tp_frame f = { 0 };
	uint8_t b[64], frame[60] = { 0 };
	struct tp *tp;
	uint64_t x;
	uint8_t *g;
	int sv[2], mfd;

	tp = vh_pair(sv);
	if (!tp)
		return;
	CHECK(req(sv[0], VU_GET_PROTOCOL_FEATURES, NULL, 0, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
	CHECK(read(sv[0], b, sizeof(b)) == VU_HDR_SIZE + 8);
	memcpy(&x, b + VU_HDR_SIZE, 8);
	CHECK(le64toh(x) & 1ull << VU_PF_RESET_DEVICE);
	g = guest_mem("vhost-reset", &mfd);
	if (!g)
		return;
	rx_setup(sv[0], tp, mfd, 0);
	put64(g, 4096);		/* descriptor 0: 2 KiB at 4096, writable */
	put32(g + 8, 2048);
	put16(g + 12, 2);
	put16(g + 1024 + 4, 0);	/* avail ring[0] = 0, idx 1 */
	put16(g + 1024 + 2, 1);
	f.buf = frame;
	f.len = sizeof(frame);
	CHECK(tp_send(tp, &f, 1) == 1 && tp->tx_drop == 0);
	CHECK(g[2048 + 2] == 1);	/* used->idx */
	CHECK(req(sv[0], VU_RESET_DEVICE, NULL, 0, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
	put16(g + 1024 + 6, 0);	/* another buffer: not for a reset ring */
	put16(g + 1024 + 2, 2);
	CHECK(tp_send(tp, &f, 1) == 1 && tp->tx_drop == 1);
	CHECK(g[2048 + 2] == 1);
	rx_setup(sv[0], tp, mfd, 1);	/* again, from the second entry */
	CHECK(tp_send(tp, &f, 1) == 1 && tp->tx_drop == 1);
	CHECK(g[2048 + 2] == 2);
	/* RESET_OWNER does the same; RESET_DEVICE takes no payload */
	CHECK(req(sv[0], VU_RESET_OWNER, NULL, 0, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == 0);
	CHECK(tp_send(tp, &f, 1) == 1 && tp->tx_drop == 2);
	x = 0;
	CHECK(req(sv[0], VU_RESET_DEVICE, &x, 8, -1) == 0);
	CHECK(tp_recv(tp, &f, 1) == -EINVAL);
	CHECK(tp->why && strstr(tp->why, "message 34: 8 payload bytes"));
	tp_close(tp);
	close(sv[0]);
	munmap(g, 8192);
	close(mfd);
}

int main(void)
{
	test_msgs();
	test_mem();
	test_ring();
	test_transport();
	test_reset();
	test_kicks();
	TEST_DONE("test_vhost");
}
