// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loadgen.c: a load generator made of UML daemon-protocol (v3) clients, for
 * benchmarking uml_switch, the original uml_switch and vde_switch alike.
 *
 * Theory of operation: every client is one libumlnet daemon transport (its
 * own control connection and data socket).  Senders and receivers come in
 * pairs; each receiver first broadcasts one "hello" frame so that the switch
 * learns its MAC, and the run starts only once its sender has seen that
 * hello come through (proof that the switch has processed it).  Senders then
 * address unicast frames to their receiver.  All senders live in one thread
 * and all receivers in another, so that a receiver drains its socket on its
 * own schedule, like a separate guest would.  A sender whose send would
 * block waits for EPOLLOUT (the switch is pushing back) rather than spin.
 * Buffers are allocated once at set-up; nothing is allocated per frame.
 *
 * Every frame carries EtherType 0x88b5 (IEEE local experimental), a magic,
 * a sequence number and a send timestamp; receivers count only frames from
 * their own sender, anything else is "stray".  With --vlan VID every frame
 * (hellos too) has an 802.1Q tag of VID before its EtherType, and only
 * frames so tagged are ours (clients of a switch's trunk ports).  Results are printed as one
 * line of key=value pairs on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

#define LG_ETHERTYPE	0x88b5		/* IEEE local experimental 1 */
#define LG_HELLO_TYPE	0x88b6		/* local experimental 2: hellos */
#define LG_MAGIC	0x4e474c55U	/* "ULGN" */
#define LG_TAG_LEN	4		/* an 802.1Q tag, with --vlan */
#define LG_OFF_TYPE	(12 + lg_tag)
#define LG_OFF_MAGIC	(14 + lg_tag)
#define LG_OFF_SEQ	(18 + lg_tag)
#define LG_OFF_TS	(26 + lg_tag)
#define LG_HDR_LEN	34		/* header + magic + seq + timestamp */
#define LG_BATCH	64		/* frames per send/recv call */
#define LG_MAX_PAIRS	64
#define LG_RX_TAG	(1ULL << 32)	/* epoll data: a receiver's index */
#define LG_RX_CAP_MIN	2048
#define LG_HELLO_MS	250		/* resend a hello not seen by then */
#define LG_HELLO_TRIES	8

enum lg_mode { LG_SAT, LG_PACED, LG_PING, LG_SEND, LG_COUNT, LG_NMODES };

struct lg_client {
	struct tp *tp;
	uint8_t mac[ETH_ALEN_];
	uint8_t peer[ETH_ALEN_];	/* sender: its receiver; receiver: its sender */
	struct tp_frame *f;		/* LG_BATCH frames */
	uint8_t *mem;
	uint64_t seq;
	uint64_t sent, rcvd, stray, waits;
	uint64_t pending;		/* paced: frames due, not yet sent */
	int blocked;			/* waiting for EPOLLOUT */
	int seen_hello;
};

struct lg {
	enum lg_mode mode;
	const char *ctl;
	unsigned int pairs;
	size_t size;
	double duration;
	double rate;			/* paced/send: frames/s per sender */
	unsigned int burst;
	unsigned long count;		/* ping: round trips; send/count: frames */
	double timeout;
	double drain;			/* seconds to wait for stragglers */
	uint64_t rx_cost;		/* ns a receiver spends per frame */
	uint8_t dst[ETH_ALEN_];
	uint8_t mac[ETH_ALEN_];
	int have_mac;
	int linger;			/* send: wait for the switch to read all */
	int single;			/* sat/paced: one thread for all */
	unsigned int nc;
	struct lg_client c[2 * LG_MAX_PAIRS];
	/* shared between the two threads */
	uint64_t t_start, t_tx_end, t_last_rx;
	int tx_done;
};

static size_t lg_tag;			/* LG_TAG_LEN with --vlan, else 0 */
static uint16_t lg_vid;

static uint64_t lg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

__attribute__((noreturn, format(printf, 1, 2)))
static void lg_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "loadgen: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

__attribute__((noreturn))
static void lg_die_errno(const char *what, int e)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(e));
	exit(2);
}

/* Write the loadgen header into @buf; only as much as @len has room for. */
static void lg_stamp(uint8_t *buf, size_t len, const uint8_t *dst,
		     const uint8_t *src, uint64_t seq, uint16_t type)
{
	uint64_t ts = type == LG_HELLO_TYPE ? 0 : lg_now();
	uint8_t hdr[LG_HDR_LEN + LG_TAG_LEN];
	uint32_t magic = LG_MAGIC;

	memcpy(hdr, dst, ETH_ALEN_);
	memcpy(hdr + ETH_ALEN_, src, ETH_ALEN_);
	if (lg_tag) {
		frame_put16(hdr + 12, ETH_TYPE_8021Q);
		frame_put16(hdr + 14, lg_vid);
	}
	frame_put16(hdr + LG_OFF_TYPE, type);
	memcpy(hdr + LG_OFF_MAGIC, &magic, 4);
	memcpy(hdr + LG_OFF_SEQ, &seq, 8);
	memcpy(hdr + LG_OFF_TS, &ts, 8);
	memcpy(buf, hdr, len < LG_HDR_LEN + lg_tag ? len : LG_HDR_LEN + lg_tag);
}

/* Is this one of our frames?  Only the EtherType is required (14 bytes). */
static int lg_is_ours(const uint8_t *buf, size_t len)
{
	uint32_t magic;

	if (len < ETH_HLEN_ + lg_tag ||
	    frame_get16(buf + LG_OFF_TYPE) != LG_ETHERTYPE ||
	    (lg_tag && (frame_get16(buf + 12) != ETH_TYPE_8021Q ||
			(frame_get16(buf + 14) & 0xfff) != lg_vid)))
		return 0;
	if (len < LG_OFF_MAGIC + 4)
		return 1;
	memcpy(&magic, buf + LG_OFF_MAGIC, 4);
	return magic == LG_MAGIC;
}

static uint64_t lg_get64(const uint8_t *buf, size_t len, size_t off)
{
	uint64_t v = 0;

	if (len >= off + 8)
		memcpy(&v, buf + off, 8);
	return v;
}

/* MACs 02:4c:PID:PID:ROLE:INDEX, locally administered and unique per run. */
static void lg_make_mac(uint8_t *mac, unsigned int role, unsigned int idx)
{
	unsigned int pid = (unsigned int)getpid();

	mac[0] = 0x02;
	mac[1] = 0x4c;
	mac[2] = (pid >> 8) & 0xff;
	mac[3] = pid & 0xff;
	mac[4] = role & 0xff;
	mac[5] = idx & 0xff;
}

static void lg_client_open(struct lg *g, struct lg_client *c, size_t cap)
{
	char spec[TP_SPEC_MAX], err[TP_ERR_MAX];
	unsigned int i;
	int ret;

	snprintf(spec, sizeof(spec), "daemon,,unix,%s", g->ctl);
	ret = tp_open(&c->tp, spec, err, sizeof(err));
	if (ret)
		lg_die("%s", err);
	c->f = calloc(LG_BATCH, sizeof(*c->f));
	c->mem = calloc(LG_BATCH, cap);
	if (!c->f || !c->mem)
		lg_die_errno("calloc", ENOMEM);
	for (i = 0; i < LG_BATCH; i++) {
		c->f[i].buf = c->mem + i * cap;
		c->f[i].cap = cap;
		c->f[i].len = g->size;
	}
}

static void lg_client_close(struct lg_client *c)
{
	tp_close(c->tp);
	free(c->f);
	free(c->mem);
}

/* Wait until @fd is writable (the switch is pushing back) or @ms pass. */
static void lg_wait_out(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, ms) < 0 && errno != EINTR)
		lg_die_errno("poll", errno);
}

/* Send exactly one frame of @len bytes, blocking on back-pressure. */
static void lg_send_one(struct lg_client *c, const uint8_t *dst, size_t len,
			uint64_t seq, uint16_t type)
{
	struct tp_frame f = c->f[0];
	int ret;

	f.len = len;
	lg_stamp(f.buf, len, dst, c->mac, seq, type);
	for (;;) {
		ret = tp_send(c->tp, &f, 1);
		if (ret == 1)
			break;
		if (ret < 0)
			lg_die_errno("send", -ret);
		c->waits++;
		lg_wait_out(c->tp->fd, 100);
	}
	c->sent++;
}

/*
 * Receive what is queued on @c; mark a hello from @c->peer as seen and drop
 * everything else.  Used only during set-up.
 */
static void lg_drain_hello(struct lg_client *c)
{
	int n, i;

	while ((n = tp_recv(c->tp, c->f, LG_BATCH)) > 0) {
		for (i = 0; i < n; i++)
			if (c->f[i].len >= ETH_HLEN_ &&
			    mac_equal(frame_src(c->f[i].buf), c->peer))
				c->seen_hello = 1;
	}
	if (n < 0)
		lg_die_errno("recv", -n);
}

/* Drain every client for up to @ms, or until @who has seen its hello. */
static void lg_settle(struct lg *g, struct lg_client *who, int ms)
{
	struct pollfd p[2 * LG_MAX_PAIRS];
	uint64_t end = lg_now() + (uint64_t)ms * 1000000ULL;
	unsigned int i;

	for (i = 0; i < g->nc; i++) {
		p[i].fd = g->c[i].tp->fd;
		p[i].events = POLLIN;
	}
	while (!(who && who->seen_hello)) {
		uint64_t now = lg_now();

		if (now >= end)
			break;
		if (poll(p, g->nc, (int)((end - now) / 1000000ULL) + 1) < 0 &&
		    errno != EINTR)
			lg_die_errno("poll", errno);
		for (i = 0; i < g->nc; i++)
			if (p[i].revents)
				lg_drain_hello(&g->c[i]);
	}
}

/*
 * @from broadcasts hellos until @to has seen one: the switch has then learnt
 * @from's MAC.  One hello at a time, so no socket queue overflows.
 */
static void lg_learn(struct lg *g, struct lg_client *from,
		     struct lg_client *to)
{
	static const uint8_t bcast[ETH_ALEN_] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int tries;

	for (tries = 0; tries < LG_HELLO_TRIES && !to->seen_hello; tries++) {
		lg_send_one(from, bcast, 60, 0, LG_HELLO_TYPE);
		lg_settle(g, to, LG_HELLO_MS);
	}
	if (!to->seen_hello)
		lg_die("switch at '%s' never forwarded a hello frame", g->ctl);
	from->sent = 0;
	from->waits = 0;
}

/* Open 2*pairs clients: c[2i] sends to c[2i+1]; teach the switch. */
static void lg_pairs_open(struct lg *g)
{
	size_t cap = g->size > LG_RX_CAP_MIN ? g->size : LG_RX_CAP_MIN;
	unsigned int i;

	g->nc = 2 * g->pairs;
	for (i = 0; i < g->pairs; i++) {
		struct lg_client *tx = &g->c[2 * i], *rx = &g->c[2 * i + 1];

		lg_client_open(g, tx, cap);
		lg_client_open(g, rx, cap);
		lg_make_mac(tx->mac, 0, i);
		lg_make_mac(rx->mac, 1, i);
		memcpy(tx->peer, rx->mac, ETH_ALEN_);
		memcpy(rx->peer, tx->mac, ETH_ALEN_);
	}
	for (i = 0; i < g->pairs; i++)
		lg_learn(g, &g->c[2 * i + 1], &g->c[2 * i]);
	/* Let the flooded hellos drain so the run starts from empty queues. */
	lg_settle(g, NULL, 50);
	for (i = 0; i < g->nc; i++)
		g->c[i].seen_hello = 0;
}

static int lg_epoll_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/*
 * Send up to @want frames from @c in batches.  Returns 1 if the switch
 * pushed back (the caller must wait for EPOLLOUT), else 0.
 */
static int lg_tx_burst(struct lg_client *c, uint64_t want)
{
	unsigned int i, n;
	int ret;

	while (want) {
		n = want > LG_BATCH ? LG_BATCH : (unsigned int)want;
		for (i = 0; i < n; i++)
			lg_stamp(c->f[i].buf, c->f[i].len, c->peer, c->mac,
				 c->seq + i, LG_ETHERTYPE);
		ret = tp_send(c->tp, c->f, n);
		if (ret < 0)
			lg_die_errno("send", -ret);
		c->seq += (unsigned int)ret;
		c->sent += (unsigned int)ret;
		want -= (unsigned int)ret;
		if (c->pending)
			c->pending -= (unsigned int)ret;
		if ((unsigned int)ret < n)
			return 1;
	}
	return 0;
}

/* Discard frames arriving at a sender (floods, strays). */
static void lg_tx_drain(struct lg_client *c)
{
	int n;

	while ((n = tp_recv(c->tp, c->f + LG_BATCH - 1, 1)) > 0)
		c->stray++;
}

/* One pass over the senders: returns how many are still able to send. */
static unsigned int lg_tx_pass(struct lg *g)
{
	unsigned int i, active = 0;

	for (i = 0; i < g->pairs; i++) {
		struct lg_client *c = &g->c[2 * i];
		uint64_t want = g->mode == LG_SAT ? LG_BATCH : c->pending;

		if (c->blocked || !want)
			continue;
		if (lg_tx_burst(c, want)) {
			c->blocked = 1;
			c->waits++;
		} else if (g->mode == LG_SAT) {
			active++;
		}
	}
	return active;
}

static void lg_rx_drain(struct lg *g, struct lg_client *c);

static void lg_tx_events(struct lg *g, int tfd,
			 const struct epoll_event *ev, int n)
{
	uint64_t ticks;
	unsigned int j;
	int i;

	for (i = 0; i < n; i++) {
		struct lg_client *c;

		if (ev[i].data.u64 == LG_MAX_PAIRS) {
			if (read(tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
				continue;
			for (j = 0; j < g->pairs; j++)
				g->c[2 * j].pending += ticks * g->burst;
			continue;
		}
		if (ev[i].data.u64 & LG_RX_TAG) {
			j = (unsigned int)(ev[i].data.u64 & ~LG_RX_TAG);
			lg_rx_drain(g, &g->c[2 * j + 1]);
			continue;
		}
		c = &g->c[2 * ev[i].data.u64];
		if (ev[i].events & EPOLLIN)
			lg_tx_drain(c);
		if (ev[i].events & EPOLLOUT)
			c->blocked = 0;
	}
}

static int lg_timerfd(const struct lg *g)
{
	struct itimerspec its = { 0 };
	uint64_t ns = (uint64_t)(g->burst * 1e9 / g->rate);
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		lg_die_errno("timerfd_create", errno);
	its.it_interval.tv_sec = ns / 1000000000ULL;
	its.it_interval.tv_nsec = ns % 1000000000ULL;
	its.it_value = its.it_interval;
	if (timerfd_settime(fd, 0, &its, NULL))
		lg_die_errno("timerfd_settime", errno);
	return fd;
}

/*
 * The sender thread: saturation or paced bursts until the end time.  With
 * --single it also serves the receivers, in the same epoll.
 */
static void *lg_tx_thread(void *arg)
{
	struct lg *g = arg;
	struct epoll_event ev[2 * LG_MAX_PAIRS + 1];
	uint64_t end = g->t_start + (uint64_t)(g->duration * 1e9);
	int ep, tfd = -1, n, tmo;
	unsigned int i, active;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		lg_die_errno("epoll_create1", errno);
	/* Edge-triggered: the send that would block arms the wake-up for
	 * when the switch makes room, and the event then clears "blocked". */
	for (i = 0; i < g->pairs; i++)
		if (lg_epoll_add(ep, g->c[2 * i].tp->fd,
				 EPOLLIN | EPOLLOUT | EPOLLET, i))
			lg_die_errno("epoll_ctl", errno);
	for (i = 0; g->single && i < g->pairs; i++)
		if (lg_epoll_add(ep, g->c[2 * i + 1].tp->fd, EPOLLIN,
				 LG_RX_TAG | i))
			lg_die_errno("epoll_ctl", errno);
	if (g->mode == LG_PACED) {
		tfd = lg_timerfd(g);
		if (lg_epoll_add(ep, tfd, EPOLLIN, LG_MAX_PAIRS))
			lg_die_errno("epoll_ctl", errno);
	}
	for (;;) {
		uint64_t now = lg_now();

		if (now >= end)
			break;
		active = lg_tx_pass(g);
		tmo = active ? 0 : (int)((end - now) / 1000000ULL) + 1;
		n = epoll_wait(ep, ev, 2 * LG_MAX_PAIRS + 1, tmo);
		if (n < 0 && errno != EINTR)
			lg_die_errno("epoll_wait", errno);
		if (n > 0)
			lg_tx_events(g, tfd, ev, n);
	}
	__atomic_store_n(&g->t_tx_end, lg_now(), __ATOMIC_RELEASE);
	__atomic_store_n(&g->tx_done, 1, __ATOMIC_RELEASE);
	if (tfd >= 0)
		close(tfd);
	close(ep);
	return NULL;
}

/* Model a receiver that has work to do per frame (e.g. a guest's stack). */
static void lg_rx_work(uint64_t ns)
{
	uint64_t end;

	if (!ns)
		return;
	end = lg_now() + ns;
	while (lg_now() < end)
		;
}

/* Count what is queued on receiver @c. */
static void lg_rx_drain(struct lg *g, struct lg_client *c)
{
	/* A receiver with per-frame work takes one frame at a time, so its
	 * socket queue fills while it works, as a guest's would. */
	unsigned int batch = g->rx_cost ? 1 : LG_BATCH;
	int n, i, got = 0;

	while ((n = tp_recv(c->tp, c->f, batch)) > 0) {
		for (i = 0; i < n; i++) {
			const uint8_t *b = c->f[i].buf;

			lg_rx_work(g->rx_cost);
			if (lg_is_ours(b, c->f[i].len) &&
			    mac_equal(frame_src(b), c->peer))
				c->rcvd++;
			else
				c->stray++;
		}
		got = 1;
	}
	if (n < 0)
		lg_die_errno("recv", -n);
	if (got)
		g->t_last_rx = lg_now();
}

static uint64_t lg_total(const struct lg *g, int role, int what)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = role; i < g->nc; i += 2) {
		const struct lg_client *c = &g->c[i];

		sum += what == 0 ? c->sent : what == 1 ? c->rcvd :
		       what == 2 ? c->stray : c->waits;
	}
	return sum;
}

/* Done once the senders stopped and everything arrived or went quiet. */
static int lg_rx_finished(struct lg *g)
{
	uint64_t tx_end, last, now = lg_now();

	if (!__atomic_load_n(&g->tx_done, __ATOMIC_ACQUIRE))
		return 0;
	if (lg_total(g, 1, 1) >= lg_total(g, 0, 0))
		return 1;
	tx_end = __atomic_load_n(&g->t_tx_end, __ATOMIC_ACQUIRE);
	last = g->t_last_rx > tx_end ? g->t_last_rx : tx_end;
	return now - last > (uint64_t)(g->drain * 1e9);
}

/* The receiver loop, run in the main thread. */
static void lg_rx_loop(struct lg *g)
{
	struct epoll_event ev[LG_MAX_PAIRS];
	int ep, n, i;
	unsigned int j;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		lg_die_errno("epoll_create1", errno);
	for (j = 0; j < g->pairs; j++)
		if (lg_epoll_add(ep, g->c[2 * j + 1].tp->fd, EPOLLIN, j))
			lg_die_errno("epoll_ctl", errno);
	for (;;) {
		uint64_t last = g->t_last_rx;

		if (lg_rx_finished(g)) {
			/* We may have been off the CPU for the whole quiet
			 * period: look once more before giving up. */
			for (j = 0; j < g->pairs; j++)
				lg_rx_drain(g, &g->c[2 * j + 1]);
			if (g->t_last_rx == last)
				break;
		}
		n = epoll_wait(ep, ev, LG_MAX_PAIRS, 10);
		if (n < 0 && errno != EINTR)
			lg_die_errno("epoll_wait", errno);
		for (i = 0; i < n; i++)
			lg_rx_drain(g, &g->c[2 * ev[i].data.u64 + 1]);
	}
	close(ep);
}

static void lg_report_flow(const struct lg *g)
{
	uint64_t sent = lg_total(g, 0, 0), rcvd = lg_total(g, 1, 1);
	uint64_t lost = sent > rcvd ? sent - rcvd : 0;
	double tx_secs = (g->t_tx_end - g->t_start) / 1e9;
	double rx_secs = (g->t_last_rx > g->t_start ?
			  g->t_last_rx - g->t_start : 1) / 1e9;

	printf("mode=%s pairs=%u size=%zu duration=%.3f", g->mode == LG_SAT ?
	       "sat" : "paced", g->pairs, g->size, tx_secs);
	if (g->mode == LG_PACED)
		printf(" rate=%.0f burst=%u offered_fps=%.0f", g->rate,
		       g->burst, sent / tx_secs);
	printf(" threads=%d rx_cost_us=%.1f", g->single ? 1 : 2,
	       g->rx_cost / 1000.0);
	printf(" sent=%" PRIu64 " received=%" PRIu64 " lost=%" PRIu64
	       " loss_pct=%.3f tx_fps=%.0f rx_fps=%.0f tx_waits=%" PRIu64
	       " stray=%" PRIu64 "\n", sent, rcvd, lost,
	       sent ? 100.0 * lost / sent : 0.0, sent / tx_secs,
	       rcvd / rx_secs, lg_total(g, 0, 3),
	       lg_total(g, 0, 2) + lg_total(g, 1, 2));
}

/*
 * sat and paced: pairs of clients, senders in a thread, receivers here; or,
 * with --single, everything in this thread and then the stragglers.
 */
static int lg_run_flow(struct lg *g)
{
	pthread_t tx;
	unsigned int i;
	int ret;

	lg_pairs_open(g);
	g->t_start = g->t_last_rx = lg_now();
	if (g->single) {
		lg_tx_thread(g);
		lg_rx_loop(g);
	} else {
		ret = pthread_create(&tx, NULL, lg_tx_thread, g);
		if (ret)
			lg_die_errno("pthread_create", ret);
		lg_rx_loop(g);
		pthread_join(tx, NULL);
	}
	lg_report_flow(g);
	for (i = 0; i < g->nc; i++)
		lg_client_close(&g->c[i]);
	return 0;
}

/* Receive on @c until a frame from @c->peer with @seq arrives. */
static int lg_ping_wait(struct lg_client *c, uint64_t seq, int ms)
{
	struct pollfd p = { .fd = c->tp->fd, .events = POLLIN };
	uint64_t end = lg_now() + (uint64_t)ms * 1000000ULL;
	int n, i;

	for (;;) {
		uint64_t now = lg_now();

		while ((n = tp_recv(c->tp, c->f + 1, LG_BATCH - 1)) > 0) {
			for (i = 1; i <= n; i++) {
				const uint8_t *b = c->f[i].buf;
				size_t len = c->f[i].len;

				if (lg_is_ours(b, len) &&
				    mac_equal(frame_src(b), c->peer) &&
				    lg_get64(b, len, LG_OFF_SEQ) == seq)
					return 0;
				c->stray++;
			}
		}
		if (n < 0)
			lg_die_errno("recv", -n);
		if (now >= end)
			return -1;
		if (poll(&p, 1, (int)((end - now) / 1000000ULL) + 1) < 0 &&
		    errno != EINTR)
			lg_die_errno("poll", errno);
	}
}

static int lg_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double lg_pct(const uint64_t *v, unsigned long n, double p)
{
	unsigned long i = (unsigned long)(p / 100.0 * (n - 1) + 0.5);

	return v[i] / 1000.0;
}

static void lg_ping_report(const struct lg *g, uint64_t *rtt, unsigned long n,
			   unsigned long lost)
{
	double sum = 0;
	unsigned long i;

	printf("mode=ping size=%zu count=%lu lost=%lu", g->size, n, lost);
	if (n) {
		qsort(rtt, n, sizeof(*rtt), lg_cmp_u64);
		for (i = 0; i < n; i++)
			sum += rtt[i];
		printf(" min_us=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f"
		       " max_us=%.1f avg_us=%.1f", rtt[0] / 1000.0,
		       lg_pct(rtt, n, 50), lg_pct(rtt, n, 90),
		       lg_pct(rtt, n, 99), rtt[n - 1] / 1000.0,
		       sum / n / 1000.0);
	}
	printf("\n");
}

/* ping: c[0] sends to c[1], which bounces it back; time the round trip. */
static int lg_run_ping(struct lg *g)
{
	unsigned long warm = g->count / 10 + 10, i, n = 0, lost = 0;
	struct lg_client *a = &g->c[0], *b = &g->c[1];
	uint64_t *rtt, t0;

	g->pairs = 1;
	lg_pairs_open(g);
	lg_learn(g, a, b);	/* b must be reachable by unicast too */
	rtt = calloc(g->count, sizeof(*rtt));
	if (!rtt)
		lg_die_errno("calloc", ENOMEM);
	for (i = 0; i < warm + g->count; i++) {
		int ok;

		t0 = lg_now();
		lg_send_one(a, a->peer, g->size, i + 1, LG_ETHERTYPE);
		ok = !lg_ping_wait(b, i + 1, 1000);
		if (ok) {
			lg_send_one(b, b->peer, g->size, i + 1, LG_ETHERTYPE);
			ok = !lg_ping_wait(a, i + 1, 1000);
		}
		if (i < warm)
			continue;
		if (ok)
			rtt[n++] = lg_now() - t0;
		else
			lost++;
	}
	lg_ping_report(g, rtt, n, lost);
	free(rtt);
	lg_client_close(a);
	lg_client_close(b);
	return lost ? 1 : 0;
}

static void lg_sleep_until(uint64_t t)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t / 1000000000ULL),
		.tv_nsec = (long)(t % 1000000000ULL),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/*
 * Wait until the switch has read every frame we sent: SIOCOUTQ on a unix
 * datagram socket is the memory of frames not yet consumed by the peer.
 * Closing earlier would race our control EOF against those frames.
 */
static void lg_linger(struct lg_client *c, int ms)
{
	uint64_t end = lg_now() + (uint64_t)ms * 1000000ULL;
	int outq;

	while (!ioctl(c->tp->fd, SIOCOUTQ, &outq) && outq > 0 &&
	       lg_now() < end)
		lg_sleep_until(lg_now() + 1000000ULL);
}

/* send N: one client sends N frames to --dst, paced by --rate if given. */
static int lg_run_send(struct lg *g)
{
	struct lg_client *c = &g->c[0];
	uint64_t t0 = lg_now(), due;
	unsigned long i;

	g->nc = 1;
	lg_client_open(g, c, g->size > LG_RX_CAP_MIN ? g->size : LG_RX_CAP_MIN);
	memcpy(c->mac, g->mac, ETH_ALEN_);
	if (!g->have_mac)
		lg_make_mac(c->mac, 2, 0);
	for (i = 0; i < g->count; i++) {
		if (g->rate > 0) {
			/* Frame i belongs to burst i / burst. */
			due = t0 + (uint64_t)((i / g->burst) * g->burst * 1e9 /
					      g->rate);
			lg_sleep_until(due);
		}
		lg_send_one(c, g->dst, g->size, i + 1, LG_ETHERTYPE);
		lg_tx_drain(c);
	}
	if (g->linger)
		lg_linger(c, 2000);
	printf("mode=send size=%zu sent=%" PRIu64 " waits=%" PRIu64 "\n",
	       g->size, c->sent, c->waits);
	lg_client_close(c);
	return 0;
}

/* count: one frame received; its one-way delay (its send timestamp, the
 * same host's CLOCK_MONOTONIC) kept in @lat while there is room. */
static void lg_count_one(struct lg_client *c, const struct tp_frame *f,
			 uint64_t *lat, unsigned long cap, uint64_t *first,
			 uint64_t *last)
{
	uint64_t now = lg_now();

	if (!lg_is_ours(f->buf, f->len)) {
		c->stray++;
		return;
	}
	if (c->rcvd < cap)
		lat[c->rcvd] = now - lg_get64(f->buf, f->len, LG_OFF_TS);
	if (!c->rcvd++)
		*first = now;
	*last = now;
}

/* count: the one-way delays and the receiving time, as key=value pairs. */
static void lg_count_report(uint64_t *lat, unsigned long n, uint64_t first,
			    uint64_t last)
{
	if (!n)
		return;
	qsort(lat, n, sizeof(*lat), lg_cmp_u64);
	printf(" lat_min_us=%.1f lat_p50_us=%.1f lat_p90_us=%.1f"
	       " rx_secs=%.6f", lat[0] / 1000.0, lg_pct(lat, n, 50),
	       lg_pct(lat, n, 90), (last - first) / 1e9);
}

/* count N: announce our MAC with a broadcast, then count loadgen frames
 * (with their one-way delays and the time from the first to the last). */
static int lg_run_count(struct lg *g)
{
	static const uint8_t bcast[ETH_ALEN_] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct lg_client *c = &g->c[0];
	uint64_t end, first = 0, last = 0, *lat;
	struct pollfd p;
	char mac[MAC_STRLEN];
	int n, i;

	lat = calloc(g->count ? g->count : 1, sizeof(*lat));
	if (!lat)
		lg_die("out of memory");

	g->nc = 1;
	lg_client_open(g, c, FRAME_MAX + 1);
	memcpy(c->mac, g->mac, ETH_ALEN_);
	if (!g->have_mac)
		lg_make_mac(c->mac, 3, 0);
	/* The announcement is a hello (another EtherType): not counted. */
	lg_send_one(c, bcast, 60, 0, LG_HELLO_TYPE);
	printf("mac=%s\n", mac_format(c->mac, mac));
	fflush(stdout);
	p.fd = c->tp->fd;
	p.events = POLLIN;
	end = lg_now() + (uint64_t)(g->timeout * 1e9);
	while (c->rcvd < g->count && lg_now() < end) {
		if (poll(&p, 1, 10) < 0 && errno != EINTR)
			lg_die_errno("poll", errno);
		while ((n = tp_recv(c->tp, c->f, LG_BATCH)) > 0)
			for (i = 0; i < n; i++)
				lg_count_one(c, &c->f[i], lat, g->count,
					     &first, &last);
		if (n < 0)
			lg_die_errno("recv", -n);
	}
	printf("mode=count received=%" PRIu64 " stray=%" PRIu64, c->rcvd,
	       c->stray);
	lg_count_report(lat, c->rcvd < g->count ? c->rcvd : g->count, first,
			last);
	printf("\n");
	free(lat);
	lg_client_close(c);
	return c->rcvd >= g->count ? 0 : 1;
}

static void lg_usage(FILE *out)
{
	fprintf(out,
"Usage: loadgen -c CTL [OPTIONS] MODE [N]\n"
"UML daemon-protocol (v3) load generator: clients of a uml_switch or\n"
"vde_switch at CTL (a control socket, or a VDE directory).\n"
"\n"
"Modes:\n"
"  sat        P pairs; each sender blasts frames to its receiver for D s\n"
"  paced      P pairs; each sender offers RATE frames/s in bursts of BURST\n"
"  ping       bounce one frame between two clients N times (latency)\n"
"  send N     one client sends N frames to --dst (back-pressure respected)\n"
"  count N    one client announces itself, counts N loadgen frames;\n"
"             exit status 1 if fewer arrived within --timeout\n"
"\n"
"Options:\n"
"  -c, --ctl PATH        switch control socket                    (required)\n"
"  -p, --pairs P         sender/receiver pairs, 1..%d               [1]\n"
"  -s, --size BYTES      frame size, %d..%d (14.. for send)       [60]\n"
"  -d, --duration SECS   sending time for sat and paced            [3]\n"
"  -r, --rate FPS        paced: frames/s per sender            [20000]\n"
"                        send: frames/s (default: as fast as possible)\n"
"  -b, --burst N         paced, send with --rate: frames per burst  [20]\n"
"                        (at the default rate, 20 = a burst each 1 ms)\n"
"  -n, --count N         ping: round trips (plus 10%% warm-up)   [10000]\n"
"  -t, --timeout SECS    count: give up after                      [10]\n"
"  -w, --drain SECS      sat/paced: wait for stragglers after sending [0.5]\n"
"  -1, --single          sat/paced: senders and receivers in one thread\n"
"                        (default: a sender thread and a receiver thread)\n"
"  -k, --rx-cost USECS   sat/paced: busy time a receiver spends per frame,\n"
"                        to model a slower consumer such as a guest    [0]\n"
"      --dst MAC         send: destination        [ff:ff:ff:ff:ff:ff]\n"
"      --mac MAC         send/count: our source MAC     [02:4c:...]\n"
"      --no-linger       send: exit at once instead of waiting (<= 2 s)\n"
"                        until the switch has read every frame\n"
"  -V, --vlan VID        every frame 802.1Q-tagged with VID (1-4094), in\n"
"                        --size; only frames so tagged are counted\n"
"  -h, --help            this text\n"
"\n"
"Output: one line of key=value pairs on stdout, e.g.\n"
"  mode=sat pairs=1 size=60 duration=3.000 sent=.. received=.. lost=..\n"
"  loss_pct=.. tx_fps=.. rx_fps=.. tx_waits=.. stray=..\n"
"  mode=ping size=60 count=.. lost=.. min_us=.. p50_us=.. p99_us=.. ...\n"
"Exit status: 0 ok, 1 frames missing (ping/count), 2 error.\n",
		LG_MAX_PAIRS, LG_HDR_LEN, FRAME_MAX);
}

static double lg_num(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "loadgen: %s: bad value '%s' (%g..%g)\n", opt,
			s, min, max);
		exit(2);
	}
	return v;
}

static const struct option lg_opts[] = {
	{ "ctl", required_argument, NULL, 'c' },
	{ "pairs", required_argument, NULL, 'p' },
	{ "size", required_argument, NULL, 's' },
	{ "duration", required_argument, NULL, 'd' },
	{ "rate", required_argument, NULL, 'r' },
	{ "burst", required_argument, NULL, 'b' },
	{ "count", required_argument, NULL, 'n' },
	{ "timeout", required_argument, NULL, 't' },
	{ "drain", required_argument, NULL, 'w' },
	{ "rx-cost", required_argument, NULL, 'k' },
	{ "single", no_argument, NULL, '1' },
	{ "dst", required_argument, NULL, 'D' },
	{ "mac", required_argument, NULL, 'M' },
	{ "no-linger", no_argument, NULL, 'L' },
	{ "vlan", required_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void lg_opt(struct lg *g, int o, const char *a)
{
	switch (o) {
	case 'c': g->ctl = a; break;
	case 'p': g->pairs = (unsigned int)lg_num("--pairs", a, 1,
						   LG_MAX_PAIRS); break;
	case 's': g->size = (size_t)lg_num("--size", a, ETH_HLEN_,
					   FRAME_MAX); break;
	case 'd': g->duration = lg_num("--duration", a, 0.01, 3600); break;
	case 'r': g->rate = lg_num("--rate", a, 1, 1e8); break;
	case 'b': g->burst = (unsigned int)lg_num("--burst", a, 1, 1e6);
		break;
	case 'n': g->count = (unsigned long)lg_num("--count", a, 1, 1e9);
		break;
	case 't': g->timeout = lg_num("--timeout", a, 0, 1e6); break;
	case 'w': g->drain = lg_num("--drain", a, 0, 60); break;
	case 'k': g->rx_cost = (uint64_t)(lg_num("--rx-cost", a, 0, 1e6) *
					  1000); break;
	case 'D':
		if (mac_parse(a, g->dst))
			lg_die("--dst: bad MAC address '%s'", a);
		break;
	case 'M':
		if (mac_parse(a, g->mac) || mac_is_multicast(g->mac))
			lg_die("--mac: bad unicast MAC address '%s'", a);
		g->have_mac = 1;
		break;
	case 'L': g->linger = 0; break;
	case 'V':
		lg_vid = (uint16_t)lg_num("--vlan", a, 1, 4094);
		lg_tag = LG_TAG_LEN;
		break;
	case '1': g->single = 1; break;
	case 'h': lg_usage(stdout); exit(0);
	default: lg_usage(stderr); exit(2);
	}
}

/* MODE [N]: the mode word and, for send and count, the frame count. */
static void lg_mode(struct lg *g, int argc, char **argv)
{
	static const char *const names[] = {
		[LG_SAT] = "sat", [LG_PACED] = "paced", [LG_PING] = "ping",
		[LG_SEND] = "send", [LG_COUNT] = "count" };
	unsigned int m;

	_Static_assert(sizeof(names) / sizeof(names[0]) == LG_NMODES,
		       "a name for every mode");

	if (argc < 1)
		lg_die("%s", "no mode given (try --help)");
	for (m = 0; m < sizeof(names) / sizeof(names[0]); m++)
		if (!strcmp(argv[0], names[m]))
			break;
	if (m == sizeof(names) / sizeof(names[0]))
		lg_die("unknown mode '%s' (try --help)", argv[0]);
	g->mode = (enum lg_mode)m;
	if (g->mode == LG_SEND || g->mode == LG_COUNT) {
		if (argc != 2)
			lg_die("mode '%s' takes a frame count", argv[0]);
		g->count = (unsigned long)lg_num(argv[0], argv[1], 0, 1e12);
	} else if (argc != 1) {
		lg_die("unexpected argument '%s'", argv[1]);
	}
	if (g->mode != LG_SEND && g->size < LG_HDR_LEN + lg_tag)
		lg_die("--size: mode '%s' needs at least %zu bytes", argv[0],
		       LG_HDR_LEN + lg_tag);
}

int main(int argc, char **argv)
{
	static struct lg g = {
		.pairs = 1, .size = 60, .duration = 3, .burst = 20,
		.count = 10000, .timeout = 10, .drain = 0.5, .linger = 1,
		.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	int o, rate_set = 0, burst_set = 0;

	while ((o = getopt_long(argc, argv, "c:p:s:d:r:b:n:t:w:k:V:1h", lg_opts,
				NULL)) != -1) {
		lg_opt(&g, o, optarg);
		rate_set |= o == 'r';
		burst_set |= o == 'b';
	}
	lg_mode(&g, argc - optind, argv + optind);
	if (!g.ctl)
		lg_die("%s", "--ctl is required (try --help)");
	if (g.mode == LG_PACED && !rate_set)
		g.rate = 20000;
	if (g.mode == LG_SEND && !burst_set)
		g.burst = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	switch (g.mode) {
	case LG_SAT:
	case LG_PACED:
		return lg_run_flow(&g);
	case LG_PING:
		return lg_run_ping(&g);
	case LG_SEND:
		return lg_run_send(&g);
	case LG_COUNT:
		return lg_run_count(&g);
	case LG_NMODES:
		break;
	}
	return 2;
}
