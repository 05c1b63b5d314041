// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mgmt.c: the management socket's clients (see mgmt.h): accepting at most
 * MGMT_MAX_CLIENTS, gathering request lines (at most MGMT_LINE_MAX bytes,
 * finished within MGMT_LINE_TIMEOUT_MS), handing each to mgmt_cmd.c once
 * the previous reply has left, and writing what is buffered for each
 * client once per wake-up of the loop, never waiting for one.
 *
 * Limits, so that no management client can hurt the LAN or the switch:
 * output goes through a fixed ring per client (MGMT_RING_SIZE); a client
 * that leaves a reply unread for MGMT_STALL_MS is dropped; a stream
 * client's records that do not fit are dropped and counted; everything a
 * client gets was made from the switch's state without waiting for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "mgmt.h"
#include "sandbox.h"
#include "sw.h"

/* clients: accepted (listen.c), read, written in two pieces of the ring,
 * their memory given back when they go */
SANDBOX_ALLOW(SYS_read, SYS_write, SYS_writev, SYS_close, SYS_epoll_ctl,
	      SYS_getsockopt, SYS_madvise, SYS_clock_gettime);

static const char mgmt_busy[] = "{\"ok\":false,\"error\":\"too many "
	"management clients at once\",\"code\":\"busy\"}\n";
static const char mgmt_denied[] = "{\"ok\":false,\"error\":\"only the "
	"switch's user (or root) may manage it\",\"code\":\"denied\"}\n";

/**
 * mgmt_now_us() - the wall clock in microseconds (events, capture).
 */
uint64_t mgmt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/**
 * mgmt_init() - the clients' table and buffers, made once at start
 * (mapped lazily: a ring costs memory only once used).
 * Return: 0 or -ENOMEM.
 */
int mgmt_init(struct sw *sw)
{
	size_t ring = (size_t)MGMT_MAX_CLIENTS * MGMT_RING_SIZE;
	size_t in = (size_t)MGMT_MAX_CLIENTS * MGMT_LINE_MAX;
	struct mgmt *m;
	uint8_t *mem;
	int i;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	mem = mmap(NULL, ring + in + MGMT_REPLY_MAX + MGMT_EVENT_MAX,
		   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		free(m);
		return -ENOMEM;
	}
	for (i = 0; i < MGMT_MAX_CLIENTS; i++) {
		m->c[i].fd = -1;
		m->c[i].out.buf = mem + (size_t)i * MGMT_RING_SIZE;
		m->c[i].in = (char *)mem + ring + (size_t)i * MGMT_LINE_MAX;
		if (capture_alloc(sw, &m->c[i].cap))
			return -ENOMEM;
	}
	m->reply = (char *)mem + ring + in;
	m->ev = m->reply + MGMT_REPLY_MAX;
	sw->mgmt = m;
	return 0;
}

/**
 * mgmt_room() - bytes that still fit in client @c's output.
 */
uint32_t mgmt_room(const struct mgmt_client *c)
{
	return MGMT_RING_SIZE - c->out.len;
}

/**
 * mgmt_dirty() - client @ci has something new to write (mgmt_flush()).
 */
void mgmt_dirty(struct sw *sw, int ci)
{
	struct mgmt *m = sw->mgmt;

	if (!m->c[ci].dirty) {
		m->c[ci].dirty = 1;
		m->dirty[m->ndirty++] = ci;
	}
}

/**
 * mgmt_put() - append @n bytes to client @ci's output; the caller has
 * checked that they fit (mgmt_room()).
 */
void mgmt_put(struct sw *sw, int ci, const void *p, uint32_t n)
{
	struct mgmt_ring *r = &sw->mgmt->c[ci].out;
	uint32_t tail = (r->head + r->len) % MGMT_RING_SIZE;
	uint32_t first = MGMT_RING_SIZE - tail;

	if (n > MGMT_RING_SIZE - r->len)
		return;	/* never: see above */
	if (first > n)
		first = n;
	memcpy(r->buf + tail, p, first);
	memcpy(r->buf, (const uint8_t *)p + first, n - first);
	r->len += n;
	mgmt_dirty(sw, ci);
}

/**
 * mgmt_reserve() - @n bytes at the end of client @ci's output, in one
 * piece, for the caller to fill in; NULL if they do not fit before the
 * ring wraps (then use mgmt_put()).  The caller has checked mgmt_room().
 */
uint8_t *mgmt_reserve(struct sw *sw, int ci, uint32_t n)
{
	struct mgmt_ring *r = &sw->mgmt->c[ci].out;
	uint32_t tail = (r->head + r->len) % MGMT_RING_SIZE;

	if (n > MGMT_RING_SIZE - r->len || n > MGMT_RING_SIZE - tail)
		return NULL;
	r->len += n;
	mgmt_dirty(sw, ci);
	return r->buf + tail;
}

/**
 * mgmt_reply() - send the reply made in @w (its buffer is the reply
 * scratch) as one line; one that outgrew the scratch becomes an error.
 */
void mgmt_reply(struct sw *sw, int ci, struct jw *w)
{
	if (w->overflow || w->depth) {
		mgmt_fail(sw, ci, "too_big", "the reply would be longer than "
			  "%u bytes", MGMT_REPLY_MAX);
		return;
	}
	w->buf[w->len++] = '\n';	/* jw keeps a byte for the NUL */
	if (w->len > mgmt_room(&sw->mgmt->c[ci])) {
		mgmt_finish(sw, ci);	/* never: replies wait for room */
		return;
	}
	mgmt_put(sw, ci, w->buf, (uint32_t)w->len);
}

/**
 * mgmt_fail() - reply {"ok":false,"error":..., "code":@code}.
 */
void mgmt_fail(struct sw *sw, int ci, const char *code, const char *fmt, ...)
{
	struct jw w;
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jw_init(&w, sw->mgmt->reply, MGMT_REPLY_MAX);
	jw_obj(&w, NULL);
	jw_bool(&w, "ok", 0);
	jw_str(&w, "error", msg);
	jw_str(&w, "code", code);
	jw_end(&w);
	mgmt_reply(sw, ci, &w);
}

static void mgmt_poll(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct epoll_event ev = { .data.u64 = EV(EV_MGMT, ci) };

	if (c->state == MC_FREE)
		return;
	/* a request waits for the room its reply needs: the last one gone;
	 * an ending capture has heard all it needs */
	if (c->state != MC_CLOSING && !(c->state == MC_REQ && c->out.len) &&
	    !(c->state == MC_CAPTURE && c->cap.ending) &&
	    c->inlen < MGMT_LINE_MAX)
		ev.events |= EPOLLIN;
	if (c->want_out)
		ev.events |= EPOLLOUT;
	if (ev.events == c->events)
		return;
	c->events = ev.events;
	if (epoll_ctl(sw->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		warn("management client %d: epoll_ctl: %s", ci, strerror(errno));
}

static void mgmt_close(struct sw *sw, int ci, const char *why)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];

	debug("management client %d (pid %d): %s", ci, (int)c->pid, why);
	if (c->state == MC_CAPTURE)
		capture_release(sw, ci);
	else if (c->state == MC_EVENTS)
		sw->nevents--;
	close(c->fd);
	c->fd = -1;
	c->state = MC_FREE;
	c->inlen = 0;
	c->out.head = c->out.len = 0;
	c->want_out = 0;
	c->events = 0;
	/* give back what its buffers used */
	madvise(c->out.buf, MGMT_RING_SIZE, MADV_DONTNEED);
	madvise(c->in, MGMT_LINE_MAX, MADV_DONTNEED);
}

/**
 * mgmt_finish() - client @ci gets what is buffered for it (for up to
 * MGMT_CLOSE_MS), then the connection ends.
 */
void mgmt_finish(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];

	if (c->state == MC_CAPTURE)
		capture_release(sw, ci);
	else if (c->state == MC_EVENTS)
		sw->nevents--;
	c->state = MC_CLOSING;
	c->close_ms = sw->now_ms;
	mgmt_dirty(sw, ci);
	mgmt_poll(sw, ci);
}

/**
 * mgmt_accept() - a client connected to the management socket (@fd, from
 * accept): only our user or root (or, with --group, whoever the socket's
 * mode let in), at most MGMT_MAX_CLIENTS at once.
 */
void mgmt_accept(struct sw *sw, int fd)
{
	struct mgmt *m = sw->mgmt;
	struct mgmt_client *c;
	struct ucred cr = { .pid = 0, .uid = (uid_t)-1 };
	socklen_t len = sizeof(cr);
	struct epoll_event ev = { .events = EPOLLIN };
	int ci;

	getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len);
	if (sw->o.gid == (gid_t)-1 && cr.uid != 0 && cr.uid != geteuid()) {
		warn("management: refused a client of uid %u (pid %d)",
		     (unsigned int)cr.uid, (int)cr.pid);
		(void)!write(fd, mgmt_denied, sizeof(mgmt_denied) - 1);
		close(fd);
		return;
	}
	for (ci = 0; ci < MGMT_MAX_CLIENTS; ci++)
		if (m->c[ci].state == MC_FREE)
			break;
	if (ci == MGMT_MAX_CLIENTS) {
		m->refused++;
		if (!(m->refused & (m->refused - 1)))	/* 1, 2, 4, ... */
			warn("management: %d clients already; turned one away "
			     "(%llu so far)", MGMT_MAX_CLIENTS,
			     (unsigned long long)m->refused);
		(void)!write(fd, mgmt_busy, sizeof(mgmt_busy) - 1);
		close(fd);
		return;
	}
	c = &m->c[ci];
	c->fd = fd;
	c->state = MC_REQ;
	c->pid = cr.pid;
	c->uid = cr.uid;
	c->inlen = 0;
	c->line_ms = c->stuck_ms = 0;
	c->lost = 0;
	c->events = EPOLLIN;
	ev.data.u64 = EV(EV_MGMT, ci);
	if (epoll_ctl(sw->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		warn("management: epoll_ctl: %s", strerror(errno));
		close(fd);
		c->fd = -1;
		c->state = MC_FREE;
		return;
	}
	debug("management client %d: pid %d uid %u", ci, (int)cr.pid,
	      (unsigned int)cr.uid);
}

/* One line of a stream client: {"cmd":"stop"} ends it well; anything
 * else ends it too, said as the last event. */
static void mgmt_stream_line(struct sw *sw, int ci, const char *line,
			     size_t len)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct mreq_err e = { .code = "" };
	static struct mreq r;
	int ok = !mreq_parse(line, len, &r, &e) && r.cmd == MREQ_STOP;

	if (c->state == MC_CAPTURE)
		capture_end(sw, ci);
	else
		mgmt_events_end(sw, ci, ok ? "stopped" : "a request other "
				"than stop ended the stream");
}

static void mgmt_line(struct sw *sw, int ci, const char *line, size_t len)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct mreq_err e = { .code = "" };
	static struct mreq r;	/* 1 KiB of spec: not on the stack */
	size_t i;

	if (len && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return;	/* a blank line is no request */
	if (c->state != MC_REQ) {
		mgmt_stream_line(sw, ci, line, len);
		return;
	}
	if (mreq_parse(line, len, &r, &e)) {
		debug("management client %d: %s: %s", ci, e.code, e.msg);
		mgmt_fail(sw, ci, e.code, "%s", e.msg);
		return;
	}
	mgmt_cmd(sw, ci, &r);
}

/* Handle the complete lines gathered, as far as replies may go out. */
static void mgmt_lines(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	char *nl;
	size_t n;

	while (c->inlen && (c->state == MC_EVENTS || c->state == MC_CAPTURE ||
			    (c->state == MC_REQ && !c->out.len))) {
		nl = memchr(c->in, '\n', c->inlen);
		if (!nl)
			break;
		n = (size_t)(nl - c->in);
		mgmt_line(sw, ci, c->in, n);
		if (c->state == MC_FREE)
			return;
		c->inlen -= (uint32_t)(n + 1);
		memmove(c->in, nl + 1, c->inlen);
		c->line_ms = c->inlen ? sw->now_ms : 0;
	}
	if (c->inlen == MGMT_LINE_MAX && !memchr(c->in, '\n', c->inlen)) {
		c->inlen = 0;
		if (c->state == MC_REQ)
			mgmt_fail(sw, ci, "too_long", "request line longer "
				  "than %u bytes", MGMT_LINE_MAX - 1);
		mgmt_finish(sw, ci);
	}
	if (c->inlen && !c->line_ms)
		c->line_ms = sw->now_ms;
}

/* Input, or its end.  A stream ends well at its client's EOF. */
static void mgmt_read(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	ssize_t n;

	if (c->state == MC_CLOSING || c->inlen >= MGMT_LINE_MAX)
		return;
	n = read(c->fd, c->in + c->inlen, MGMT_LINE_MAX - c->inlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (c->state == MC_CAPTURE)
			capture_end(sw, ci);
		else if (n < 0 || !c->out.len)
			mgmt_close(sw, ci, n ? strerror(errno) : "left");
		else
			mgmt_finish(sw, ci);
		return;
	}
	c->inlen += (uint32_t)n;
	mgmt_lines(sw, ci);
}

/* Write what is buffered for @ci, as far as its socket takes it.
 * Return: 1 if it all went, 0 if some waits, -1 if the client is gone. */
static int mgmt_write(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct mgmt_ring *r = &c->out;
	struct iovec iov[2];
	uint32_t first;
	ssize_t n;

	while (r->len) {
		first = MGMT_RING_SIZE - r->head;
		if (first > r->len)
			first = r->len;
		iov[0].iov_base = r->buf + r->head;
		iov[0].iov_len = first;
		iov[1].iov_base = r->buf;
		iov[1].iov_len = r->len - first;
		n = writev(c->fd, iov, iov[1].iov_len ? 2 : 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			c->want_out = 1;
			if (!c->stuck_ms)
				c->stuck_ms = sw->now_ms;
			return 0;
		}
		if (n <= 0) {
			mgmt_close(sw, ci, n ? strerror(errno) : "gone");
			return -1;
		}
		r->head = (r->head + (uint32_t)n) % MGMT_RING_SIZE;
		r->len -= (uint32_t)n;
		c->stuck_ms = 0;
	}
	r->head = 0;
	c->want_out = 0;
	return 1;
}

/* Flush @ci; once it is all out, the next requests (whose replies may be
 * sent at once) or the end. */
static void mgmt_flush_one(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	int round, ret;

	for (round = 0; round < 8; round++) {
		ret = mgmt_write(sw, ci);
		if (ret < 0)
			return;
		if (c->state == MC_CAPTURE && c->cap.ending &&
		    capture_finish(sw, ci))
			continue;	/* its last blocks are in the ring */
		if (!ret)
			break;
		if (c->state == MC_CLOSING) {
			mgmt_close(sw, ci, "done");
			return;
		}
		if (c->state != MC_REQ || !c->inlen)
			break;
		mgmt_lines(sw, ci);
		if (c->state == MC_FREE)
			return;
		if (!c->out.len)
			break;
	}
	mgmt_poll(sw, ci);
}

/* Write what is buffered for each client that has something new (but a
 * running capture's only if a chunk waits, or on the @tick). */
static void mgmt_flush_list(struct sw *sw, int tick)
{
	struct mgmt *m = sw->mgmt;
	int i, ci, n, round, done = 1;
	struct mgmt_client *c;

	/* a client's request may give others something (events): a few
	 * rounds, so that it goes now and not at the next wake-up */
	for (round = 0; round < 4 && done; round++) {
		n = m->ndirty;
		done = 0;
		for (i = 0; i < n; i++) {
			ci = m->dirty[i];
			c = &m->c[ci];
			/* a running capture waits for a chunk, or the tick */
			if (!c->dirty || (c->state == MC_CAPTURE &&
					  !c->cap.ending && !tick &&
					  c->out.len < MGMT_CAP_CHUNK))
				continue;
			c->dirty = 0;
			done++;
			if (c->state != MC_FREE && !c->want_out)
				mgmt_flush_one(sw, ci);
		}
		/* the list again, from the flags: those still waiting, and
		 * those made dirty meanwhile, once each */
		for (ci = 0, m->ndirty = 0; ci < MGMT_MAX_CLIENTS; ci++)
			if (m->c[ci].dirty)
				m->dirty[m->ndirty++] = ci;
	}
}

/**
 * mgmt_flush() - once per wake-up of the loop: write what is buffered for
 * each client that has something new (a capture once a chunk waits).
 */
void mgmt_flush(struct sw *sw)
{
	if (sw->mgmt->ndirty)
		mgmt_flush_list(sw, 0);
}

/**
 * mgmt_event() - epoll says client @ci is readable, writable or gone.
 */
void mgmt_event(struct sw *sw, int ci, uint32_t events)
{
	struct mgmt_client *c;

	if (ci < 0 || ci >= MGMT_MAX_CLIENTS)
		return;
	c = &sw->mgmt->c[ci];
	if (c->state == MC_FREE)
		return;
	if (events & EPOLLOUT) {
		c->want_out = 0;
		mgmt_flush_one(sw, ci);
		if (c->state == MC_FREE)
			return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		mgmt_read(sw, ci);
	if (c->state != MC_FREE)
		mgmt_poll(sw, ci);
}

/**
 * mgmt_tick() - periodic: what captures have waiting goes; a line left
 * unfinished for
 * MGMT_LINE_TIMEOUT_MS (a slow-loris) and a reply left unread for
 * MGMT_STALL_MS end their client; last words get MGMT_CLOSE_MS.
 */
void mgmt_tick(struct sw *sw)
{
	struct mgmt_client *c;
	int ci;

	if (sw->mgmt->ndirty)
		mgmt_flush_list(sw, 1);	/* what captures have, however little */
	for (ci = 0; ci < MGMT_MAX_CLIENTS; ci++) {
		c = &sw->mgmt->c[ci];
		if (c->state == MC_FREE)
			continue;
		if ((c->state == MC_CLOSING ||
		     (c->state == MC_CAPTURE && c->cap.ending)) &&
		    sw->now_ms - c->close_ms > MGMT_CLOSE_MS) {
			mgmt_close(sw, ci, "its last words were not read");
		} else if (c->state == MC_REQ && c->stuck_ms &&
			   sw->now_ms - c->stuck_ms > MGMT_STALL_MS) {
			mgmt_close(sw, ci, "it does not read its replies");
		} else if (c->state == MC_REQ && c->line_ms && !c->out.len &&
			   sw->now_ms - c->line_ms > MGMT_LINE_TIMEOUT_MS) {
			c->inlen = 0;
			mgmt_fail(sw, ci, "timeout", "request line not finished "
				  "within %d s", MGMT_LINE_TIMEOUT_MS / 1000);
			mgmt_finish(sw, ci);
		}
	}
}
