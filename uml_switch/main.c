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
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"
#include "sw.h"

#define TICK_MS		100

static void sw_clock(struct sw *sw)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sw->now_ms = (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	sw->now_s = ts.tv_sec;
}

/* Resolve the control path: DIR/ctl for a directory (VDE style, made if
 * the name ends in '/'), and absolute so that -daemon's chdir is harmless. */
static int sw_paths(struct sw *sw)
{
	char buf[PATH_MAX], cwd[PATH_MAX];
	size_t len = strlen(sw->o.ctl);

	if (len > 1 && sw->o.ctl[len - 1] == '/') {
		sw->o.ctl[len - 1] = '\0';
		if (mkdir(sw->o.ctl, 0755) && errno != EEXIST) {
			err("cannot create directory '%s': %s", sw->o.ctl,
			    strerror(errno));
			return -errno;
		}
	}
	if (sw->o.ctl[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(buf, sizeof(buf), "%s/%s", cwd, sw->o.ctl) >=
			    (int)sizeof(sw->o.ctl)) {
			err("control socket path '%s' too long", sw->o.ctl);
			return -ENAMETOOLONG;
		}
		strcpy(sw->o.ctl, buf);
	}
	strcpy(buf, sw->o.ctl);
	if (proto_ctl_path(buf, sw->o.ctl, sizeof(sw->o.ctl))) {
		err("control socket path '%s/ctl' too long", buf);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int sw_alloc(struct sw *sw)
{
	uint32_t i, n = sw->o.max_ports;

	sw->ports = calloc(n, sizeof(*sw->ports));
	sw->conns = calloc(n, sizeof(*sw->conns));
	sw->dirty = calloc(n, sizeof(*sw->dirty));
	sw->woken = calloc(4 * n, sizeof(*sw->woken));
	sw->woken_next = calloc(4 * n, sizeof(*sw->woken));
	sw->active = calloc(n, sizeof(*sw->active));
	if (!sw->ports || !sw->conns || !sw->dirty || !sw->woken || !sw->woken_next ||
	    !sw->active)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		sw->ports[i].fd = sw->ports[i].ctl = -1;
		sw->ports[i].blocked_by = -1;
		sw->conns[i].fd = -1;
		sw->ports[i].q = calloc(sw->o.qmax, sizeof(struct buf *));
		if (!sw->ports[i].q)
			return -ENOMEM;
	}
	if (fdb_init(&sw->fdb, sw->o.max_macs, sw->o.aging))
		return -ENOMEM;
	/* Enough buffers for every queue to be half full at once. */
	return pool_init(&sw->pool, n * sw->o.qmax / 2 + 4 * SW_BATCH, 64);
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
	if (sw->sfd < 0)
		return -errno;
	return epoll_ctl(sw->epfd, EPOLL_CTL_ADD, sw->sfd, &ev) ? -errno : 0;
}

static int sw_taps(struct sw *sw)
{
	char e[256];
	int i, fd, idx;

	for (i = 0; i < sw->o.ntaps; i++) {
		fd = tap_open(sw->o.taps[i], e, sizeof(e));
		if (fd < 0) {
			err("%s", e);
			return fd;
		}
		idx = port_alloc(sw);
		if (idx < 0) {
			close(fd);
			return idx;
		}
		sw->ports[idx].kind = PORT_TAP;
		sw->ports[idx].fd = fd;
		snprintf(sw->ports[idx].desc, sizeof(sw->ports[idx].desc),
			 "tap %s", sw->o.taps[i]);
		if (port_add(sw, idx))
			return -EIO;
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
	if (sw->o.default_ctl)
		printf("(default control socket; guests use eth0=daemon,,unix,%s)\n",
		       sw->o.ctl);
}

static int sw_pidfile(struct sw *sw)
{
	FILE *f;

	if (!sw->o.pidfile)
		return 0;
	f = fopen(sw->o.pidfile, "we");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		err("cannot write pid file '%s': %s", sw->o.pidfile,
		    strerror(errno));
		return -errno;
	}
	return 0;
}

/* Return: 1 to keep running, 0 to exit. */
static int sw_signal(struct sw *sw)
{
	struct signalfd_siginfo si;

	while (read(sw->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			port_stats(sw);
			continue;
		}
		if (si.ssi_signo == SIGHUP)
			continue;
		info("caught signal %u, cleaning up and exiting", si.ssi_signo);
		return 0;
	}
	return 1;
}

static int sw_event(struct sw *sw, const struct epoll_event *ev)
{
	uint32_t idx = (uint32_t)ev->data.u64;

	switch ((enum ev_type)(ev->data.u64 >> 32)) {
	case EV_LISTEN:
		ctl_accept(sw);
		break;
	case EV_CONN:
		ctl_conn_input(sw, idx);
		break;
	case EV_CTL:
		if (sw->ports[idx].kind != PORT_FREE)
			ctl_port_input(sw, idx);
		break;
	case EV_DATA:
		if (sw->ports[idx].kind == PORT_FREE)
			break;
		if (ev->events & EPOLLOUT)
			port_flush(sw, idx);
		if (ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			port_read(sw, idx);
		/* A blocked port is not read, but a hung-up one must go. */
		if ((ev->events & EPOLLHUP) && sw->ports[idx].kind != PORT_FREE &&
		    sw->ports[idx].kind != PORT_DGRAM && sw->ports[idx].blocked_by >= 0)
			port_close(sw, idx, "client hung up");
		break;
	case EV_V0:
		port_read_v0(sw);
		break;
	case EV_BESS:
	case EV_STREAM:
		listen_accept(sw, ev->data.u64 >> 32);
		break;
	case EV_SIGNAL:
		return sw_signal(sw);
	}
	return 1;
}

static void sw_loop(struct sw *sw)
{
	struct epoll_event ev[64];
	uint64_t next_tick = 0;
	uint32_t last_age = 0;
	int i, n, run = 1;

	while (run) {
		n = epoll_wait(sw->epfd, ev, 64, TICK_MS);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		sw_clock(sw);
		for (i = 0; i < n && run; i++)
			run = sw_event(sw, &ev[i]);
		do {
			port_flush_all(sw);
			port_run_woken(sw);
		} while (sw->ndirty || sw->nwoken);
		if (sw->now_ms < next_tick)
			continue;
		next_tick = sw->now_ms + TICK_MS;
		port_tick(sw);
		ctl_tick(sw);
		if (sw->now_s - last_age >= 2) {
			fdb_age(&sw->fdb, sw->now_s);
			last_age = sw->now_s;
		}
	}
}

int main(int argc, char **argv)
{
	static struct sw sw = { .lfd = -1, .sfd = -1, .v0fd = -1,
				.bess_fd = -1, .stream_fd = -1 };
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init("uml_switch", LOG_LVL_INFO, 0);
	if (opts_parse(&sw.o, argc, argv))
		return 2;
	if (sw.o.verbose)
		log_set_level(LOG_LVL_DEBUG);
	sw_clock(&sw);
	if (sw_paths(&sw) || sw_alloc(&sw))
		die("cannot set up: %s", strerror(ENOMEM));
	sw.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sw.epfd < 0 || sw_block_signals())
		die("cannot set up epoll/signals: %s", strerror(errno));
	ret = ctl_listen(&sw);
	if (ret) {
		if (ret != -EADDRINUSE && ret != -EEXIST)
			err("cannot listen on '%s': %s", sw.o.ctl,
			    strerror(-ret));
		return 1;
	}
	if (listen_extra(&sw) || sw_taps(&sw) || listen_ports(&sw)) {
		ctl_cleanup(&sw);
		listen_cleanup(&sw);
		return 1;
	}
	sw_announce(&sw);
	if (sw.o.daemonize && daemon(0, 1)) {
		err("daemon: %s", strerror(errno));
		ctl_cleanup(&sw);
		listen_cleanup(&sw);
		return 1;
	}
	if (sw_signalfd(&sw)) {
		err("signalfd: %s", strerror(errno));
		ctl_cleanup(&sw);
		listen_cleanup(&sw);
		return 1;
	}
	if (sw_pidfile(&sw)) {
		ctl_cleanup(&sw);
		return 1;
	}
	sw_loop(&sw);
	ctl_cleanup(&sw);
	listen_cleanup(&sw);
	if (sw.o.pidfile)
		unlink(sw.o.pidfile);
	return 0;
}
