// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stack.c: the libslirp instance and the one epoll loop around it.
 *
 * Theory of operation: libslirp rebuilds its descriptor set every round
 * (slirp_pollfds_fill calls add_poll per socket, slirp_pollfds_poll asks for
 * each one's events by the index add_poll returned).  We keep one epoll set
 * in step with it: per-fd state (us_pfd) remembers what is registered, an
 * fd is re-armed only when its events change, and fds slirp did not ask for
 * this round are dropped.  libslirp's register/unregister_poll_fd callbacks
 * tell us when a socket number is created or about to be closed, so a
 * reused number is never mistaken for the old registration.  Timers (only
 * the IPv6 RA timer in libslirp 4.7) are a small table polled each round.
 * The guest link (link.c) and a signalfd share the same epoll set; the link
 * joins it when the loop starts (a --bess client comes before that).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <libslirp.h>

#include "log.h"
#include "sandbox.h"
#include "uml_slirp.h"

/* The loop: epoll, the signalfd, the clock (a vDSO call, unless the
 * clock source makes it a real one). */
SANDBOX_ALLOW(SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_ctl, SYS_read,
	      SYS_clock_gettime, SYS_gettimeofday);

/*
 * What libslirp 4.7 calls once running (its imports, and strace of the
 * tests): sockets for the guest's connections, host forwards being
 * accepted, FTP emulation listening, ICMP through ping sockets; UDP
 * errors from MSG_ERRQUEUE; FIONREAD to size UDP reads; O_NONBLOCK by
 * fcntl; /etc/resolv.conf stat()ed and read with fopen/fgets for the DNS
 * forwarder; if_nametoindex() of a scoped IPv6 nameserver there (an
 * AF_UNIX datagram socket and SIOCGIFINDEX).
 */
SANDBOX_ALLOW(SYS_connect, SYS_accept, SYS_accept4, SYS_bind, SYS_listen,
	      SYS_setsockopt, SYS_getsockopt, SYS_getsockname,
	      SYS_getpeername, SYS_shutdown, SYS_close, SYS_recvfrom,
	      SYS_sendto, SYS_recvmsg, SYS_sendmsg, SYS_newfstatat,
	      SYS_fstat);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_INET);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_INET6);
SANDBOX_ALLOW_ARG(SYS_socket, 0, ~0u, AF_UNIX);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, FIONREAD);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, SIOCGIFINDEX);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_GETFL);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_SETFL);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_GETFD);
SANDBOX_ALLOW_ARG(SYS_fcntl, 1, ~0u, F_SETFD);
/* opens for reading only (no creating, truncating, appending) */
SANDBOX_ALLOW_ARG(SYS_openat, 2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND |
		  __O_TMPFILE, O_RDONLY);

enum { EV_SLIRP = 1, EV_GUEST_IN, EV_GUEST_OUT, EV_SIGNAL };

#define EV(type, fd)	((uint64_t)(type) << 32 | (uint32_t)(fd))
#define EV_TYPE(u64)	((int)((u64) >> 32))
#define EV_FD(u64)	((int)(uint32_t)(u64))
#define STACK_EVENTS	64

static int64_t stack_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- libslirp callbacks ------------------------------------------------ */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	return link_from_slirp(opaque, buf, len);
}

static void cb_guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	debug("guest error: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct us_timer *stack_timer_alloc(struct us *u)
{
	unsigned int i;

	for (i = 0; i < US_TIMERS; i++) {
		if (!u->timers[i].used) {
			memset(&u->timers[i], 0, sizeof(u->timers[i]));
			u->timers[i].used = 1;
			u->timers[i].expire_ms = -1;
			return &u->timers[i];
		}
	}
	/* libslirp 4.7 has one timer; running out is a bug, not input */
	die("out of timers");
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct us_timer *t = stack_timer_alloc(opaque);

	t->cb = cb;
	t->cb_opaque = cb_opaque;
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
				 void *opaque)
{
	struct us_timer *t = stack_timer_alloc(opaque);

	t->opaque_style = 1;
	t->id = id;
	t->cb_opaque = cb_opaque;
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	(void)opaque;
	((struct us_timer *)timer)->used = 0;
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct us_timer *)timer)->expire_ms = expire_ms;
}

static void stack_forget_fd(struct us *u, int fd)
{
	int i;

	if (fd < 0 || fd >= u->fdmax || !u->pfd[fd].reg)
		return;
	epoll_ctl(u->ep, EPOLL_CTL_DEL, fd, NULL);	/* may be gone: fine */
	u->pfd[fd].reg = 0;
	u->pfd[fd].want = 0;
	for (i = 0; i < u->nreg; i++) {
		if (u->regs[i] == fd) {
			u->regs[i] = u->regs[--u->nreg];
			break;
		}
	}
}

static void cb_register_poll_fd(int fd, void *opaque)
{
	/* a new socket: any registration under this number is stale */
	stack_forget_fd(opaque, fd);
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
	stack_forget_fd(opaque, fd);
}

static void cb_notify(void *opaque)
{
	(void)opaque;	/* one thread: the loop comes round anyway */
}

static void cb_init_completed(Slirp *slirp, void *opaque)
{
	(void)slirp;
	(void)opaque;
}

/*
 * glib's own log writer looks at stderr (is it the journal? a terminal
 * for colours?) and may convert character sets: more system calls than
 * the sandbox allows, for a warning from libslirp.  Ours prints the
 * message through log.c.
 */
static GLogWriterOutput stack_glib_log(GLogLevelFlags level,
				       const GLogField *fields, gsize n,
				       gpointer data)
{
	enum log_level lvl = LOG_LVL_DEBUG;
	const char *msg = "?";
	int len = 1;
	gsize i;

	(void)data;
	for (i = 0; i < n; i++) {
		if (strcmp(fields[i].key, "MESSAGE"))
			continue;
		msg = fields[i].value;
		len = fields[i].length < 0 ? (int)strlen(msg) :
		      (int)fields[i].length;
	}
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		lvl = LOG_LVL_ERR;
	else if (level & G_LOG_LEVEL_WARNING)
		lvl = LOG_LVL_WARN;
	else if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		lvl = LOG_LVL_INFO;
	if (log_enabled(lvl))
		log_msg(lvl, "libslirp: %.*s", len, msg);
	return G_LOG_WRITER_HANDLED;
}

static const SlirpCb stack_cb = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.init_completed = cb_init_completed,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- poll glue ---------------------------------------------------------- */

static uint32_t stack_to_epoll(int ev)
{
	uint32_t e = 0;

	if (ev & SLIRP_POLL_IN)
		e |= EPOLLIN;
	if (ev & SLIRP_POLL_OUT)
		e |= EPOLLOUT;
	if (ev & SLIRP_POLL_PRI)
		e |= EPOLLPRI;
	return e;
}

static int stack_from_epoll(uint32_t e)
{
	int ev = 0;

	if (e & EPOLLIN)
		ev |= SLIRP_POLL_IN;
	if (e & EPOLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (e & EPOLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (e & EPOLLERR)
		ev |= SLIRP_POLL_ERR;
	if (e & EPOLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct us *u = opaque;
	struct epoll_event ev = { .events = stack_to_epoll(events),
				  .data.u64 = EV(EV_SLIRP, fd) };
	struct us_pfd *p;

	if (fd < 0 || fd >= u->fdmax || u->nidx >= u->fdmax) {
		err("descriptor %d beyond the table (%d): ignored", fd,
		    u->fdmax);
		return -1;
	}
	p = &u->pfd[fd];
	p->gen = u->gen;
	p->rev = 0;
	u->idxfd[u->nidx] = fd;
	if (p->reg && p->want != ev.events) {
		/* ENOENT: closed behind our back and reused; add afresh */
		if (epoll_ctl(u->ep, EPOLL_CTL_MOD, fd, &ev) && errno == ENOENT)
			epoll_ctl(u->ep, EPOLL_CTL_ADD, fd, &ev);
	} else if (!p->reg) {
		if (epoll_ctl(u->ep, EPOLL_CTL_ADD, fd, &ev) && errno == EEXIST)
			epoll_ctl(u->ep, EPOLL_CTL_MOD, fd, &ev);
		u->regs[u->nreg++] = fd;
		p->reg = 1;
	}
	p->want = ev.events;
	return u->nidx++;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct us *u = opaque;

	if (idx < 0 || idx >= u->nidx)
		return 0;
	return u->pfd[u->idxfd[idx]].rev;
}

/* Drop fds that slirp no longer asked for this round. */
static void stack_prune(struct us *u)
{
	int i = 0;

	while (i < u->nreg) {
		int fd = u->regs[i];

		if (u->pfd[fd].gen != u->gen)
			stack_forget_fd(u, fd);	/* swaps in the last one */
		else
			i++;
	}
}

/* Fire due timers; return ms until the next one (-1: none). */
static int stack_timers(struct us *u)
{
	int64_t now = stack_now_ms(), next = -1;
	unsigned int i;

	for (i = 0; i < US_TIMERS; i++) {
		struct us_timer *t = &u->timers[i];

		if (!t->used || t->expire_ms < 0)
			continue;
		if (t->expire_ms <= now) {
			t->expire_ms = -1;
			if (t->opaque_style)
				slirp_handle_timer(u->slirp, t->id,
						   t->cb_opaque);
			else
				t->cb(t->cb_opaque);
			continue;
		}
		if (next < 0 || t->expire_ms - now < next)
			next = t->expire_ms - now;
	}
	return next > INT32_MAX ? INT32_MAX : (int)next;
}

static int stack_epoll_add(struct us *u, int fd, uint32_t events, int type)
{
	struct epoll_event ev = { .events = events, .data.u64 = EV(type, fd) };

	return epoll_ctl(u->ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/*
 * Ask for EPOLLOUT on the guest's output only while output is queued.  In
 * Ethernet mode input and output are one socket, already in the set for
 * EPOLLIN: its registration is modified (a second EPOLL_CTL_ADD would fail
 * with EEXIST, and an EPOLL_CTL_DEL would stop the input too).
 */
static void stack_arm_out(struct us *u, int pending)
{
	struct epoll_event ev = { .events = EPOLLOUT,
				  .data.u64 = EV(EV_GUEST_OUT, u->out_fd) };
	int op = pending ? EPOLL_CTL_ADD : EPOLL_CTL_DEL;

	if (pending == u->out_armed)
		return;
	if (u->out_fd == u->in_fd) {
		ev.events = EPOLLIN | (pending ? EPOLLOUT : 0);
		ev.data.u64 = EV(EV_GUEST_IN, u->in_fd);
		op = EPOLL_CTL_MOD;
	}
	if (epoll_ctl(u->ep, op, u->out_fd, &ev)) {
		err("guest link: epoll_ctl: %s", strerror(errno));
		return;
	}
	u->out_armed = pending;
}

/* ---- set-up and the loop ------------------------------------------------ */

/**
 * stack_init() - create the epoll set, the signalfd and the slirp instance.
 * @u:		the helper (cfg and link already set up)
 * @err:	message on failure
 * @errlen:	size of @err
 *
 * Return: 0 or -errno.
 */
int stack_init(struct us *u, char *err, size_t errlen)
{
	const struct us_cfg *c = u->cfg;
	SlirpConfig sc = { .version = 4 };
	struct rlimit rl;
	sigset_t set;

	g_log_set_writer_func(stack_glib_log, NULL, NULL);
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (1 << 20))
		rl.rlim_cur = 1 << 20;
	u->fdmax = rl.rlim_cur;
	u->pfd = calloc(u->fdmax, sizeof(*u->pfd));
	u->idxfd = calloc(u->fdmax, sizeof(*u->idxfd));
	u->regs = calloc(u->fdmax, sizeof(*u->regs));
	if (!u->pfd || !u->idxfd || !u->regs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	u->ep = epoll_create1(EPOLL_CLOEXEC);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	u->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (u->ep < 0 || u->sigfd < 0 ||
	    stack_epoll_add(u, u->sigfd, EPOLLIN, EV_SIGNAL)) {
		snprintf(err, errlen, "epoll set-up: %s", strerror(errno));
		return -errno;
	}

	sc.restricted = c->restrict_out;
	sc.in_enabled = c->ipv4;
	sc.vnetwork = c->net;
	sc.vnetmask = c->mask;
	sc.vhost = c->host;
	sc.vdhcp_start = c->dhcp_start;
	sc.vnameserver = c->dns;
	sc.in6_enabled = c->ipv6;
	sc.vprefix_addr6 = c->prefix6;
	sc.vprefix_len = c->prefix6_len;
	sc.vhost6 = c->host6;
	sc.vnameserver6 = c->dns6;
	sc.vhostname = "uml";
	sc.if_mtu = c->mtu;
	sc.if_mru = c->mtu;
	sc.disable_host_loopback = c->no_host_loopback;
	u->slirp = slirp_new(&sc, &stack_cb, u);
	if (!u->slirp) {
		snprintf(err, errlen, "libslirp refused the configuration");
		return -EINVAL;
	}
	return 0;
}

static const char *stack_fmt(const struct sockaddr_storage *ss, char *buf,
			     size_t len)
{
	const struct sockaddr_in *sin = (const void *)ss;
	const struct sockaddr_in6 *sin6 = (const void *)ss;
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6)
		snprintf(buf, len, "[%s]:%u",
			 inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a)),
			 ntohs(sin6->sin6_port));
	else
		snprintf(buf, len, "%s:%u",
			 inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)),
			 ntohs(sin->sin_port));
	return buf;
}

/**
 * stack_forwards() - set up every host port forward of the configuration.
 *
 * Return: 0 or -errno with @err naming the forward.
 */
int stack_forwards(struct us *u, char *err, size_t errlen)
{
	char h[INET6_ADDRSTRLEN + 8], g[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	for (i = 0; i < u->cfg->nfwd; i++) {
		const struct us_fwd *f = &u->cfg->fwd[i];
		socklen_t hl = f->host.ss_family == AF_INET6 ?
			       sizeof(struct sockaddr_in6) :
			       sizeof(struct sockaddr_in);
		socklen_t gl = f->guest.ss_family == AF_INET6 ?
			       sizeof(struct sockaddr_in6) :
			       sizeof(struct sockaddr_in);
		int ret;

		errno = 0;
		ret = slirp_add_hostxfwd(u->slirp,
					 (const struct sockaddr *)&f->host, hl,
					 (const struct sockaddr *)&f->guest, gl,
					 f->udp ? SLIRP_HOSTFWD_UDP : 0);
		stack_fmt(&f->host, h, sizeof(h));
		stack_fmt(&f->guest, g, sizeof(g));
		if (ret < 0) {
			ret = errno ? -errno : -EADDRINUSE;
			snprintf(err, errlen, "forward %s %s -> %s: %s",
				 f->udp ? "udp" : "tcp", h, g, strerror(-ret));
			return ret;
		}
		info("forward %s %s -> guest %s", f->udp ? "udp" : "tcp", h, g);
	}
	return 0;
}

static void stack_signal(struct us *u)
{
	struct signalfd_siginfo si;

	while (read(u->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		debug("signal %u: exiting", si.ssi_signo);
		u->quit = 1;
	}
}

/**
 * stack_run() - the loop: until the guest link ends or a signal arrives.
 *
 * Return: 0 on a clean end, or -errno when the guest link failed.
 */
int stack_run(struct us *u)
{
	struct epoll_event evs[STACK_EVENTS];
	int i, n, ret = 0, tmo, next;

	if (stack_epoll_add(u, u->in_fd, EPOLLIN, EV_GUEST_IN)) {
		err("epoll set-up: %s", strerror(errno));
		return -errno;
	}
	while (!u->quit) {
		uint32_t stmo = UINT32_MAX;

		u->gen++;
		u->nidx = 0;
		slirp_pollfds_fill(u->slirp, &stmo, cb_add_poll, u);
		stack_prune(u);
		next = stack_timers(u);
		stack_arm_out(u, link_flush(u) > 0);
		tmo = stmo == UINT32_MAX ? -1 :
		      (int)(stmo > INT32_MAX ? INT32_MAX : stmo);
		if (next >= 0 && (tmo < 0 || next < tmo))
			tmo = next;
		/* ARP answers given to slirp: let it send what waited on them */
		if (link_inject(u))
			tmo = 0;
		n = epoll_wait(u->ep, evs, STACK_EVENTS, tmo);
		if (n < 0 && errno != EINTR) {
			err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++) {
			uint64_t d = evs[i].data.u64;

			switch (EV_TYPE(d)) {
			case EV_SLIRP:
				if (EV_FD(d) < u->fdmax)
					u->pfd[EV_FD(d)].rev =
						stack_from_epoll(evs[i].events);
				break;
			case EV_GUEST_IN:
				if (evs[i].events == EPOLLOUT)
					break;	/* only room: link_flush below */
				ret = link_input(u);
				if (ret <= 0)
					u->quit = 1;
				break;
			case EV_GUEST_OUT:
				break;	/* link_flush below */
			case EV_SIGNAL:
				stack_signal(u);
				break;
			}
		}
		slirp_pollfds_poll(u->slirp, n < 0, cb_get_revents, u);
		stack_timers(u);
		if (link_flush(u) < 0 && !u->quit) {
			err("guest link: write failed: %s", strerror(errno));
			return -EPIPE;
		}
	}
	return ret < 0 ? ret : 0;
}

/**
 * stack_input() - hand one Ethernet frame from the guest to libslirp.
 */
void stack_input(struct us *u, const uint8_t *frame, size_t len)
{
	slirp_input(u->slirp, frame, (int)len);
}

/**
 * stack_close() - free the slirp instance (closes its sockets).
 */
void stack_close(struct us *u)
{
	if (u->slirp)
		slirp_cleanup(u->slirp);
	u->slirp = NULL;
}
