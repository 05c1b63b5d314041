// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c: uml_switch start-up and its one epoll loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"
#include "proto.h"
#include "sandbox.h"
#include "sock.h"
#include "sw.h"
#include "transport.h"

/* the loop: waiting, the clock (when the vDSO cannot), signals (the
 * signalfd is made in the process that serves, after the sandbox) */
SANDBOX_ALLOW(SYS_epoll_wait, SYS_epoll_pwait, SYS_clock_gettime,
	      SYS_gettimeofday, SYS_read, SYS_signalfd4, SYS_epoll_ctl);
SANDBOX_ALLOW(SYS_epoll_pwait2);	/* impairment's timeouts, in us */

#define TICK_MS		100
#define HOLD_TICK_MS	5	/* while a port holds a flooding sender */
#define FDS_PER_SLOT	4	/* a port's fd, cfd and wfd; a pending client */
#define FDS_SPARE	64	/* listeners, epoll, signalfd, helpers, stdio */

static void sw_clock(struct sw *sw)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sw->now_ms = (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	sw->now_s = ts.tv_sec;
}

/* A VDE-style directory named with a trailing '/': made if missing, ours
 * alone (or our --group's, who must be able to reach the socket in it). */
static int sw_mkdir(struct sw *sw, const char *dir)
{
	mode_t old = umask(0);
	int ret = mkdir(dir, sw->o.gid == (gid_t)-1 ? 0700 : 0750);
	int fd;

	umask(old);
	if (ret && errno == EEXIST)
		return 0;
	if (ret) {
		err("cannot create directory '%s': %s", dir, strerror(errno));
		return -errno;
	}
	if (sw->o.gid == (gid_t)-1)
		return 0;
	fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	ret = fd < 0 || fchownat(fd, "", (uid_t)-1, sw->o.gid, AT_EMPTY_PATH) ?
	      -errno : 0;
	if (fd >= 0)
		close(fd);
	if (ret)
		err("cannot give directory '%s' to --group %s: %s", dir,
		    sw->o.group, strerror(-ret));
	return ret;
}

/* The default control socket's directory: root's is the Debian kernel's
 * (made if missing); a user's without XDG_RUNTIME_DIR is a private
 * /tmp/uml_switch-UID, which must be ours alone (else another user could
 * have made it, and squat the name our clients connect to). */
static int sw_default_dir(struct sw *sw)
{
	char dir[SW_PATH_MAX], e[SOCK_ERR_MAX], *slash;
	int ret;

	snprintf(dir, sizeof(dir), "%s", sw->o.ctl);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (geteuid() == 0) {
		if (mkdir(dir, 0755) && errno != EEXIST) {
			err("cannot create directory '%s': %s", dir,
			    strerror(errno));
			return -errno;
		}
		return 0;
	}
	if (strncmp(dir, "/tmp/", 5))
		return 0;	/* $XDG_RUNTIME_DIR: the system made it ours */
	ret = sock_private_dir(dir, e, sizeof(e));
	if (ret)
		err("default control socket: %s", e);
	return ret;
}

/* Make @path (for messages: @what) absolute, so that -daemon's chdir is
 * harmless. */
static int sw_absolute(const char *what, char *path)
{
	char buf[PATH_MAX], cwd[PATH_MAX];

	if (path[0] == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)) ||
	    snprintf(buf, sizeof(buf), "%s/%s", cwd, path) >= SW_PATH_MAX) {
		err("%s path '%s' is too long once made absolute (at most %d "
		    "bytes)", what, path, SW_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	strcpy(path, buf);
	return 0;
}

/* The management socket: --mgmt's, or beside the control socket (DIR/mgmt
 * for a VDE-style directory, CTL.mgmt otherwise), or none. */
static int sw_mgmt_path(struct sw *sw)
{
	size_t len = strlen(sw->o.ctl);
	int n;

	if (sw->o.mgmt_off)
		return 0;
	if (sw->o.mgmt[0]) {
		strcpy(sw->mgmt_path, sw->o.mgmt);
		return sw_absolute("management socket", sw->mgmt_path);
	}
	if (sw->ctl_is_dir)
		n = snprintf(sw->mgmt_path, sizeof(sw->mgmt_path), "%.*s/mgmt",
			     (int)(len - 4), sw->o.ctl);
	else
		n = snprintf(sw->mgmt_path, sizeof(sw->mgmt_path), "%s.mgmt",
			     sw->o.ctl);
	if (n >= (int)sizeof(sw->mgmt_path)) {
		warn("the default management socket beside '%s' would be longer "
		     "than %zu bytes: none (give --mgmt PATH)", sw->o.ctl,
		     sizeof(sw->mgmt_path) - 1);
		sw->mgmt_path[0] = '\0';
	}
	return 0;
}

/* Resolve the control path: DIR/ctl for a directory (VDE style, made if
 * the name ends in '/'), and absolute; then the management socket's. */
static int sw_paths(struct sw *sw)
{
	char buf[PATH_MAX];
	size_t len = strlen(sw->o.ctl);

	if (sw->o.default_ctl && sw_default_dir(sw))
		return -EPERM;
	if (len > 1 && sw->o.ctl[len - 1] == '/') {
		sw->o.ctl[len - 1] = '\0';
		if (sw_mkdir(sw, sw->o.ctl))
			return -EPERM;
	}
	if (sw_absolute("control socket", sw->o.ctl))
		return -ENAMETOOLONG;
	strcpy(buf, sw->o.ctl);
	if (proto_ctl_path(buf, sw->o.ctl, sizeof(sw->o.ctl))) {
		err("control socket path '%s/ctl' is too long (at most %zu "
		    "bytes)", buf, sizeof(sw->o.ctl) - 1);
		return -ENAMETOOLONG;
	}
	sw->ctl_is_dir = strcmp(buf, sw->o.ctl) != 0;
	return sw_mgmt_path(sw);
}

/* Every port may need FDS_PER_SLOT descriptors: raise the soft limit as
 * far as needed (and allowed), else fewer ports (or, if --max-ports asked
 * for them, an error). */
static int sw_fd_budget(struct sw *sw)
{
	rlim_t need = (rlim_t)sw->o.max_ports * FDS_PER_SLOT + FDS_SPARE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (rl.rlim_cur >= need)
		return 0;
	if (sw->o.max_ports_given) {
		err("--max-ports %u needs %llu file descriptors, but the limit "
		    "is %llu (ulimit -n)", sw->o.max_ports - 1,
		    (unsigned long long)need, (unsigned long long)rl.rlim_cur);
		return -EMFILE;
	}
	sw->o.max_ports = (uint32_t)((rl.rlim_cur - FDS_SPARE) / FDS_PER_SLOT);
	warn("only %llu file descriptors (ulimit -n): at most %u ports",
	     (unsigned long long)rl.rlim_cur, sw->o.max_ports - 1);
	return sw->o.max_ports > 1 ? 0 : -EMFILE;
}

static int sw_alloc(struct sw *sw)
{
	uint32_t i, n = sw->o.max_ports;
	unsigned int nsmall, nlarge;

	sw->ports = calloc(n, sizeof(*sw->ports));
	sw->conns = calloc(n, sizeof(*sw->conns));
	sw->dirty = calloc(n, sizeof(*sw->dirty));
	sw->woken = calloc(4 * n, sizeof(*sw->woken));
	sw->woken_next = calloc(4 * n, sizeof(*sw->woken));
	sw->active = calloc(n, sizeof(*sw->active));
	if (!sw->ports || !sw->conns || !sw->dirty || !sw->woken ||
	    !sw->woken_next || !sw->active)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		sw->ports[i].blocked_by = -1;
		sw->conns[i].fd = -1;
		sw->ports[i].q = calloc(sw->o.qmax, sizeof(struct buf *));
		if (!sw->ports[i].q)
			return -ENOMEM;
	}
	if (fdb_init(&sw->fdb, sw->o.max_macs, sw->o.aging))
		return -ENOMEM;
	sw->fdb.aged = mgmt_ev_aged;
	sw->fdb.aged_ctx = sw;
	/* Small buffers: every queue half full at once.  Large ones (mapped
	 * lazily, so they cost memory only as jumbo frames use them): four
	 * full queues' worth, one queue holding at most one queue's worth. */
	nsmall = n * sw->o.qmax / 2 + 4 * SW_BATCH;
	nlarge = 4 * sw->o.qmax + 4 * SW_BATCH;
	sw->large_max = sw->o.qmax;
	return pool_init(&sw->pool, nsmall, nlarge);
}

static void sw_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
}

/* Blocked from the start, so no signal is lost before the loop runs. */
static int sw_block_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sw_sigset(&set);
	return sigprocmask(SIG_BLOCK, &set, NULL) ? -errno : 0;
}

/* After daemon(): a signalfd polled through epoll wakes only the process
 * that registered it, so the detached child must make its own. */
static int sw_signalfd(struct sw *sw)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = EV(EV_SIGNAL, 0) };
	sigset_t set;

	sw_sigset(&set);
	sw->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sw->sfd < 0 || epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->sfd, &ev))
		return -errno;
	if (sw->sigpipe < 0)
		return 0;
	ev.data.u64 = EV(EV_SIGNAL, 1);
	return epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->sigpipe, &ev) ? -errno : 0;
}

/* -tap DEV and --port SPEC: transports opened as ports at start. */
static int sw_ports(struct sw *sw)
{
	char spec[TP_SPEC_MAX], desc[64];
	int i;

	for (i = 0; i < sw->o.ntaps; i++) {
		snprintf(spec, sizeof(spec), "tuntap:dev=%s", sw->o.taps[i]);
		snprintf(desc, sizeof(desc), "tap %s", sw->o.taps[i]);
		if (port_open_spec(sw, spec, desc) < 0)
			return -EINVAL;
	}
	for (i = 0; i < sw->o.nspecs; i++) {
		snprintf(desc, sizeof(desc), "--port %s", sw->o.specs[i]);
		if (port_open_spec(sw, sw->o.specs[i], desc + 7) < 0)
			return -EINVAL;
	}
	return 0;
}

static void sw_announce(struct sw *sw)
{
	int i;

	if (sw->o.hub)
		printf("uml_switch will be a hub instead of a switch\n");
	if (sw->o.compat_v0)
		printf("uml_switch attached to unix sockets '%s' and '%s'",
		       sw->o.ctl, sw->o.data);
	else
		printf("uml_switch attached to unix socket '%s'", sw->o.ctl);
	for (i = 0; i < sw->o.ntaps; i++)
		printf(" tap device '%s'", sw->o.taps[i]);
	printf("\n");
	if (sw->o.bess[0])
		printf("uml_switch listening for vector BESS clients on '%s'\n",
		       sw->o.bess);
	if (sw->o.stream[0])
		printf("uml_switch listening for stream clients on '%s'\n",
		       sw->o.stream);
	if (sw->o.vhost[0])
		printf("uml_switch listening for vhost-user front ends on "
		       "'%s'\n", sw->o.vhost);
	if (sw->mgmt_path[0])
		printf("uml_switch management socket '%s' (umlctl -s %s)\n",
		       sw->mgmt_path, sw->mgmt_path);
	if (sw->o.default_ctl)
		printf("(default control socket; guests use eth0=daemon,,unix,%s)\n",
		       sw->o.ctl);
}

/* Return: 1 to keep running, 0 to exit. */
static int sw_one_signal(struct sw *sw, unsigned int signo)
{
	if (signo == SIGUSR1) {
		port_stats(sw);
		return 1;
	}
	if (signo == SIGHUP)
		return 1;
	info("caught signal %u, cleaning up and exiting", signo);
	return 0;
}

/* Our signalfd (@idx 0), or the signals the janitor passes on (@idx 1,
 * a byte each: it holds no capability to send them).  Return: 1 to keep
 * running, 0 to exit. */
static int sw_signal(struct sw *sw, uint32_t idx)
{
	struct signalfd_siginfo si;
	uint8_t sig[16];
	ssize_t i, n;

	if (idx == 0) {
		while (read(sw->sfd, &si, sizeof(si)) == sizeof(si))
			if (!sw_one_signal(sw, si.ssi_signo))
				return 0;
		return 1;
	}
	n = read(sw->sigpipe, sig, sizeof(sig));
	if (n == 0) {
		err("the janitor process is gone; exiting");
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!sw_one_signal(sw, sig[i]))
			return 0;
	return 1;
}

static void sw_data_event(struct sw *sw, int idx, uint32_t events)
{
	struct port *p = &sw->ports[idx];

	if (events & EPOLLOUT)
		port_flush(sw, idx);
	if (port_in_use(p) && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		port_read(sw, idx);
}

static int sw_event(struct sw *sw, const struct epoll_event *ev)
{
	uint32_t idx = (uint32_t)ev->data.u64;

	switch ((enum ev_type)(ev->data.u64 >> 32)) {
	case EV_LISTEN:
		listen_accept(sw, idx);
		break;
	case EV_CONN:
		ctl_conn_input(sw, idx);
		break;
	case EV_CTL:
		if (port_in_use(&sw->ports[idx]))
			port_ctl_input(sw, idx);
		break;
	case EV_DATA:
		if (port_in_use(&sw->ports[idx]))
			sw_data_event(sw, idx, ev->events);
		break;
	case EV_WFD:
		if (port_in_use(&sw->ports[idx]))
			port_flush(sw, idx);
		break;
	case EV_V0:
		port_read_v0(sw);
		break;
	case EV_SIGNAL:
		return sw_signal(sw, idx);
	case EV_MGMT:
		mgmt_event(sw, (int)idx, ev->events);
		break;
	}
	return 1;
}

/* epoll_wait for at most @us microseconds (impairment's next frame due:
 * to the microsecond where the kernel has epoll_pwait2, else rounded up
 * to the millisecond, never early). */
static int sw_wait_us(struct sw *sw, struct epoll_event *ev, int max,
		      uint64_t us)
{
	struct timespec ts = { .tv_sec = (time_t)(us / 1000000),
			       .tv_nsec = (long)(us % 1000000) * 1000 };
	int n = epoll_pwait2(sw->epfd, ev, max, &ts, NULL);

	if (n < 0 && errno == ENOSYS)
		n = epoll_wait(sw->epfd, ev, max, (int)((us + 999) / 1000));
	return n;
}

static void sw_loop(struct sw *sw)
{
	struct epoll_event ev[64];
	uint64_t next_tick = 0;
	uint32_t last_age = 0;
	int i, n, t, run = 1;

	while (run) {
		t = sw->nholding ? HOLD_TICK_MS : TICK_MS;
		if (sw->nimpair)	/* until the next impaired frame is due */
			n = sw_wait_us(sw, ev, 64,
				       impair_timeout(sw, (uint64_t)t * 1000));
		else
			n = epoll_wait(sw->epfd, ev, 64, t);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		sw_clock(sw);
		for (i = 0; i < n && run; i++)
			run = sw_event(sw, &ev[i]);
		if (sw->nimpair)
			impair_run(sw);
		if (sw->nholding)
			port_holds(sw);
		do {
			port_flush_all(sw);
			port_run_woken(sw);
		} while (sw->ndirty || sw->nwoken);
		mgmt_flush(sw);
		if (sw->now_ms < next_tick)
			continue;
		next_tick = sw->now_ms + TICK_MS;
		port_tick(sw);
		ctl_tick(sw);
		listen_tick(sw);
		mgmt_tick(sw);
		if (sw->now_s - last_age >= 2) {
			fdb_age(&sw->fdb, sw->now_s);
			last_age = sw->now_s;
		}
	}
}

/* Everything up to serving; on failure what was made is removed. */
static int sw_setup(struct sw *sw)
{
	char e[SOCK_ERR_MAX];

	sw_clock(sw);
	sw->window_ms = sw->start_ms = sw->now_ms;
	/* A delayed frame is due at its microsecond: no 50 us of slack on
	 * the loop's timeout (it wakes as often either way). */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (priv_prepare(sw) || sw_paths(sw) || sw_fd_budget(sw))
		return -EINVAL;
	if (sw_alloc(sw) || mgmt_init(sw)) {
		err("cannot set up: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	sw->epfd = epoll_create1(EPOLL_CLOEXEC);
	/* a vhost-user port can come at start, by --vhost-user or at run
	 * time (port add, after the sandbox): the guard goes in first */
	if (sw->epfd < 0 || sw_block_signals() || tp_vhost_guard()) {
		err("cannot set up epoll/signals: %s", strerror(errno));
		return -errno;
	}
	if (listen_all(sw) || sw_ports(sw))
		return -EINVAL;
	sw_announce(sw);
	if (sw->o.daemonize && daemon(0, 1)) {
		err("daemon: %s", strerror(errno));
		return -errno;
	}
	if (sw->o.pidfile && pidfile_write(sw->o.pidfile, e, sizeof(e))) {
		err("%s", e);
		sw->o.pidfile = NULL;
		return -EEXIST;
	}
	if (priv_enter(sw))
		return -EPERM;
	if (sw_signalfd(sw)) {
		err("signalfd: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct sw sw = { .sfd = -1, .v0fd = -1, .sigpipe = -1,
				.broker = -1, .perm_uid = (uid_t)-1,
				.mgmt_li = -1 };
	char e[TP_ERR_MAX];
	int i, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init("uml_switch", LOG_LVL_INFO, 0);
	for (i = 0; i < SW_MAX_LISTEN; i++)
		sw.listen[i].fd = -1;
	if (opts_parse(&sw.o, argc, argv))
		return 2;
	if (link_parse(&sw, 0, sw.o.client_link ? sw.o.client_link : "",
		       &sw.client_link, e, sizeof(e))) {
		err("--client-link: %s", e);
		return 2;
	}
	if (sw.o.verbose)
		log_set_level(LOG_LVL_DEBUG);
	ret = sw_setup(&sw);
	if (!ret)
		sw_loop(&sw);
	listen_cleanup(&sw);
	if (sw.o.pidfile && !sw.janitor)
		pidfile_remove(sw.o.pidfile);
	return ret ? 1 : 0;
}
