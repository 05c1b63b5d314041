// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * janitor.c: what a switch started as root leaves behind when it becomes
 * its --user (priv.c, stage 3): the parent process, still root but in the
 * sandbox without any capability, holding no descriptor of the LAN.  It
 *  - passes the signals it gets (TERM, INT, HUP, USR1) on to the switch,
 *    a byte each on a pipe (without CAP_KILL it could not kill() a process
 *    of another user);
 *  - opens /dev/net/tun for a tap port added at run time (a node that
 *    may be root's alone, mode 0600): the switch, without capabilities,
 *    can then attach only to a persistent tap its user owns;
 *  - reaches the data socket of a client that the switch, as its user,
 *    may not: a root client of libvdeplug (vde_plug, QEMU -netdev vde,
 *    eth0=vde) binds a socket of mode 0700 in the switch's directory.  The
 *    switch sends it the client's control connection and data address; it
 *    looks at the connection's credentials itself (SO_PEERCRED) and
 *    connects only to a socket of that client, in the switch's own
 *    directory, then hands the connected socket back.  So even a switch
 *    taken over could reach, through it, only what its own clients own
 *    inside its own directory;
 *  - when the switch ends, removes its sockets and pid file (which may be
 *    in a directory only root can write, such as /var/run/uml-utilities)
 *    and exits with its status.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"
#include "sandbox.h"
#include "sw.h"
#include "transport.h"

/* waiting for signals, requests and its child; removing paths */
SANDBOX_ALLOW(SYS_signalfd4, SYS_poll, SYS_ppoll, SYS_wait4, SYS_unlink,
	      SYS_recvmsg, SYS_sendmsg, SYS_getsockopt, SYS_openat,
	      SYS_read, SYS_close, SYS_fstat, SYS_newfstatat);

#define REACH_TIMEOUT_MS	2000
#define JANITOR_TUN		"/dev/net/tun"	/* the request, and the node */

/* One message with at most one fd: @fd to send (-1: none), or *@fdp set
 * to the one received (-1 if none). */
static ssize_t janitor_msg(int s, void *buf, size_t len, int fd, int *fdp)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} c;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	memset(c.buf, 0, sizeof(c.buf));
	if (!fdp) {
		if (fd < 0) {
			m.msg_control = NULL;
			m.msg_controllen = 0;
		} else {
			cm = CMSG_FIRSTHDR(&m);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		}
		return sendmsg(s, &m, MSG_NOSIGNAL);
	}
	*fdp = -1;
	n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
	cm = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fdp, CMSG_DATA(cm), sizeof(int));
	return n;
}

/* Send @len bytes of @msg (with descriptor @ctl, or -1) to the janitor
 * and wait for its answer: a status and maybe a descriptor.  *@why is
 * left @ask when the request cannot be sent, @failed when the janitor
 * refused it.
 * Return: the descriptor, or -errno with *@why set. */
static int janitor_ask(struct sw *sw, const void *msg, size_t len, int ctl,
		       const char *ask, const char *failed, const char **why)
{
	struct pollfd p = { .fd = sw->broker, .events = POLLIN };
	int32_t status;
	int fd;

	*why = ask;
	if (janitor_msg(sw->broker, (void *)msg, len, ctl, NULL) !=
	    (ssize_t)len)
		return -errno;
	if (poll(&p, 1, REACH_TIMEOUT_MS) != 1 ||
	    janitor_msg(sw->broker, &status, sizeof(status), -1, &fd) !=
	    (ssize_t)sizeof(status)) {
		*why = "no answer from the janitor";
		return -ETIMEDOUT;
	}
	if (status < 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		*why = failed;
		return status < 0 ? status : -EPROTO;
	}
	return fd;
}

/**
 * janitor_reach() - the switch's side: ask the janitor to connect a data
 * socket to @client for the client on control connection @ctl.
 * Return: the connected fd, or -errno with *@why set.
 */
int janitor_reach(struct sw *sw, int ctl, const struct sockaddr_un *client,
		  const char **why)
{
	return janitor_ask(sw, client, sizeof(*client), ctl,
			   "cannot ask the janitor to reach the client's data "
			   "socket",
			   "the janitor could not reach the client's data "
			   "socket either", why);
}

/* Is @path's directory the switch's own (that of its control socket)? */
static int janitor_own_dir(const struct sw *sw, const char *path)
{
	char a[PATH_MAX], b[PATH_MAX], *s;
	struct stat sa, sb;

	snprintf(a, sizeof(a), "%s", path);
	snprintf(b, sizeof(b), "%s", sw->o.ctl);
	s = strrchr(a, '/');
	if (!s || s == a)
		return 0;
	*s = '\0';
	s = strrchr(b, '/');
	if (!s || s == b)
		return 0;
	*s = '\0';
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/**
 * janitor_tun() - the switch's side: ask the janitor for a descriptor of
 * /dev/net/tun (not yet attached to any tap).
 * Return: the fd, or -errno with *@why set.
 */
int janitor_tun(struct sw *sw, const char **why)
{
	return janitor_ask(sw, JANITOR_TUN, sizeof(JANITOR_TUN), -1,
			   "cannot ask the janitor to open " JANITOR_TUN,
			   "the janitor could not open " JANITOR_TUN " either",
			   why);
}

/* A request from the switch: connect for the client on the control
 * connection it sent, or open /dev/net/tun.  Return: 0, or -1 when the
 * switch is gone. */
static int janitor_serve_reach(const struct sw *sw)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(struct ucred);
	const char *why = "";
	struct ucred cr;
	int32_t status = -EACCES;
	int ctl, fd = -1;
	ssize_t n;

	memset(&a, 0, sizeof(a));
	n = janitor_msg(sw->broker, &a, sizeof(a), -1, &ctl);
	if (n <= 0)
		return -1;
	if (n == (ssize_t)sizeof(JANITOR_TUN) && ctl < 0 &&
	    !memcmp(&a, JANITOR_TUN, sizeof(JANITOR_TUN))) {
		fd = open(JANITOR_TUN, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		status = fd < 0 ? -errno : 0;
	} else if (n == (ssize_t)sizeof(a) && ctl >= 0 &&
		   a.sun_family == AF_UNIX &&
	    a.sun_path[0] && strnlen(a.sun_path, sizeof(a.sun_path)) <
	    sizeof(a.sun_path) && !getsockopt(ctl, SOL_SOCKET, SO_PEERCRED,
					      &cr, &len) &&
	    janitor_own_dir(sw, a.sun_path)) {
		fd = tp_daemon_data(&a, cr.uid, &why);
		status = fd < 0 ? fd : 0;
	}
	if (ctl >= 0)
		close(ctl);
	janitor_msg(sw->broker, &status, sizeof(status), fd, NULL);
	if (fd >= 0)
		close(fd);
	return 0;
}

/* The loop: until the switch (@child) ends; then its paths go and its
 * exit status is ours. */
static void janitor_loop(struct sw *sw, pid_t child, int sigpipe)
{
	struct pollfd p[2] = { { .events = POLLIN }, { .events = POLLIN } };
	struct signalfd_siginfo si;
	int status = 0, st;
	sigset_t set;
	pid_t pid;
	uint8_t b;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	p[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	p[1].fd = sw->broker;
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		if ((p[1].revents & (POLLIN | POLLHUP)) &&
		    janitor_serve_reach(sw) < 0)
			p[1].fd = -1;	/* the switch is going */
		if (!(p[0].revents & POLLIN) ||
		    read(p[0].fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			b = (uint8_t)si.ssi_signo;
			/* if the switch is gone, SIGCHLD follows */
			if (write(sigpipe, &b, 1) < 0 && errno != EPIPE)
				continue;
			continue;
		}
		/* reap them all: a --port slirp helper is ours too */
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == child) {
				status = st;
				goto done;
			}
	}
done:
	listen_cleanup(sw);
	if (sw->o.pidfile)
		pidfile_remove(sw->o.pidfile);
	/* a signal that killed the switch shows as 128 + N, as a shell says */
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) :
	      WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1);
}

/**
 * janitor_start() - fork: the parent becomes the janitor (and never
 * returns), the child goes on to serve, with sw->sigpipe and sw->broker
 * set.
 * Return: 0 in the child, or -errno (logged).
 */
int janitor_start(struct sw *sw)
{
	int pfd[2], sv[2], keep[2];
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (pipe2(pfd, O_CLOEXEC) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    (pid = fork()) < 0) {
		err("janitor: %s", strerror(errno));
		return -errno;
	}
	if (pid > 0) {
		keep[0] = pfd[1];
		keep[1] = sv[0];
		sandbox_close_fds(keep, 2);
		sw->broker = sv[0];
		if (priv_sandbox(sw, 1)) {
			close(pfd[1]);	/* the switch sees it and exits */
			close(sv[0]);
			sw->broker = -1;
		}
		janitor_loop(sw, pid, pfd[1]);
	}
	close(pfd[1]);
	close(sv[0]);
	sw->sigpipe = pfd[0];
	sw->broker = sv[1];
	if (fcntl(pfd[0], F_SETFL, O_NONBLOCK)) {
		err("janitor pipe: %s", strerror(errno));
		return -errno;
	}
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	/* the janitor gone (killed), the switch goes too */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() == 1) {
		err("the janitor process is gone");
		return -ESRCH;
	}
	sw->janitor = 1;	/* it removes our paths */
	return 0;
}
