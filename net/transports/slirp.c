// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slirp.c: user-mode NAT (DHCP, DNS, IPv4, IPv6 RA/SLAAC, host port
 * forwards) as a transport.  libslirp pulls in glib, which has no place in
 * libumlnet (nor in a guest kernel), so the NAT runs in a helper process,
 * uml_slirp, joined to us by a SOCK_SEQPACKET socketpair: one Ethernet
 * frame per message both ways, and end of file when either side goes.
 *
 * Spec:  slirp[,MAC[,HELPER[,ARGS]]]
 *        slirp:mac=..,helper=PATH,fwd=F[+F...],net=A/N,host=A,dns=A,
 *              dhcp=A,ipv6=PREFIX/N|off,mtu=N,user=USER,args=WORDS
 * F is PROTO:[HADDR:]HPORT:[GADDR:]GPORT (uml_slirp --forward); ARGS/args
 * are more uml_slirp arguments with '_' between words, as the stock
 * kernel's slirp transport writes them (e.g. redir_8080_80).  HELPER
 * defaults to uml_slirp in the running program's directory if there is
 * one, else "uml_slirp" looked up in PATH.  USER is who the helper runs as
 * when it is started as root (uml_slirp --user; its default is nobody):
 * it sandboxes itself before it reads a frame.
 *
 * Start-up: the helper gets --fd (its end of the pair) and --ready-fd (a
 * pipe); it writes "ok" once libslirp and every forward are set up, or the
 * error, which open() returns in @err.  A helper that dies is seen as end
 * of file: recv returns -ECONNRESET, send -EPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

#define SLIRP_MAX_ARGV		96
#define SLIRP_READY_MS		10000
#define SLIRP_REAP_MS		1000
#define SLIRP_SNDBUF		(1 << 20)

extern char **environ;

struct tp_slirp {
	struct tp tp;		/* tp.fd: our end of the socketpair */
	pid_t pid;
};

static const char *const slirp_keys[] = {
	"mac", "helper", "args", "fwd", "net", "host", "dns", "dhcp", "ipv6",
	"mtu", "user", NULL
};

/* argv under construction: pointers into a buffer owned by the caller */
struct slirp_argv {
	char *v[SLIRP_MAX_ARGV];
	int n;
	char buf[TP_SPEC_MAX * 2 + 64];
	size_t used;
};

static int slirp_arg(struct slirp_argv *a, const char *s)
{
	size_t len = strlen(s) + 1;

	if (a->n + 1 >= SLIRP_MAX_ARGV || a->used + len > sizeof(a->buf))
		return -E2BIG;
	a->v[a->n++] = memcpy(a->buf + a->used, s, len);
	a->used += len;
	a->v[a->n] = NULL;
	return 0;
}

/* Add each SEP-separated word of @s, prefixed by @opt when given. */
static int slirp_words(struct slirp_argv *a, const char *opt, const char *s,
		       char sep)
{
	char word[TP_SPEC_MAX];
	size_t len;
	int ret;

	while (*s) {
		len = strcspn(s, (char[]){ sep, '\0' });
		if (len && len < sizeof(word)) {
			memcpy(word, s, len);
			word[len] = '\0';
			ret = (opt ? slirp_arg(a, opt) : 0) ?:
			      slirp_arg(a, word);
			if (ret)
				return ret;
		}
		s += len;
		if (*s)
			s++;
	}
	return 0;
}

/* uml_slirp beside the running program (build/ or an install's bin/),
 * else "uml_slirp" for a PATH search. */
static const char *slirp_default_helper(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof("/uml_slirp") <= len) {
			strcpy(slash, "/uml_slirp");
			if (!access(buf, X_OK))
				return buf;
		}
	}
	return "uml_slirp";
}

static int slirp_build_argv(struct slirp_argv *a, const struct tp_spec *s,
			    int fd, int ready)
{
	static const struct { const char *key, *opt; } map[] = {
		{ "net", "--net" }, { "host", "--host" }, { "dns", "--dns" },
		{ "dhcp", "--dhcp-start" }, { "mtu", "--mtu" },
		{ "user", "--user" },
	};
	const char *helper = tp_spec_get(s, "helper");
	char num[16], path[PATH_MAX];
	const char *v;
	size_t i;
	int ret;

	a->n = 0;
	a->used = 0;
	ret = slirp_arg(a, helper ? helper : slirp_default_helper(path,
								  sizeof(path)));
	snprintf(num, sizeof(num), "%d", fd);
	ret = ret ?: slirp_arg(a, "--fd") ?: slirp_arg(a, num);
	snprintf(num, sizeof(num), "%d", ready);
	ret = ret ?: slirp_arg(a, "--ready-fd") ?: slirp_arg(a, num);
	for (i = 0; !ret && i < sizeof(map) / sizeof(map[0]); i++) {
		v = tp_spec_get(s, map[i].key);
		if (v)
			ret = slirp_arg(a, map[i].opt) ?: slirp_arg(a, v);
	}
	v = tp_spec_get(s, "ipv6");
	if (!ret && v)
		ret = !strcmp(v, "off") ? slirp_arg(a, "--no-ipv6") :
		      slirp_arg(a, "--ipv6-prefix") ?: slirp_arg(a, v);
	v = tp_spec_get(s, "fwd");
	if (!ret && v)
		ret = slirp_words(a, "--forward", v, '+');
	v = tp_spec_get(s, "args");
	if (!ret && v)
		ret = slirp_words(a, NULL, v, '_');
	return ret;
}

static int slirp_spawn(struct tp_slirp *sl, char **argv, int child_fd,
		       int ready_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int ret;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* dup2 onto itself clears FD_CLOEXEC: only these two are inherited */
	posix_spawn_file_actions_adddup2(&fa, child_fd, child_fd);
	posix_spawn_file_actions_adddup2(&fa, ready_fd, ready_fd);
	/* the caller may block signals for a signalfd or ignore SIGPIPE */
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	ret = posix_spawnp(&sl->pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret)
		sl->pid = -1;
	return -ret;
}

static int64_t slirp_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the helper's "ok" or its error message from the ready pipe. */
static int slirp_wait_ready(int rfd, const char *helper, char *err,
			    size_t errlen)
{
	char msg[TP_ERR_MAX];
	int64_t end = slirp_ms() + SLIRP_READY_MS;
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(msg) - 1) {
		int left = (int)(end - slirp_ms());

		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			snprintf(err, errlen,
				 "slirp: helper '%s' not ready within %d ms",
				 helper, SLIRP_READY_MS);
			return -ETIMEDOUT;
		}
		n = read(rfd, msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (memchr(msg, '\n', len))
			break;
	}
	msg[len] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (!strcmp(msg, "ok"))
		return 0;
	if (!msg[0])
		snprintf(err, errlen, "slirp: helper '%s' exited at start-up",
			 helper);
	else
		snprintf(err, errlen, "slirp: %s", msg);
	return -EINVAL;
}

/* Close our end, then give the helper a moment to exit before killing it. */
static void slirp_reap(struct tp_slirp *sl)
{
	int64_t end = slirp_ms() + SLIRP_REAP_MS;
	struct timespec ms = { 0, 1000000 };

	if (sl->pid <= 0)
		return;
	while (waitpid(sl->pid, NULL, WNOHANG) == 0) {
		if (slirp_ms() >= end) {
			kill(sl->pid, SIGKILL);
			waitpid(sl->pid, NULL, 0);
			break;
		}
		nanosleep(&ms, NULL);
	}
	sl->pid = -1;
}

static int slirp_open(struct tp *tp, const struct tp_spec *s, char *err,
		      size_t errlen)
{
	struct tp_slirp *sl = (struct tp_slirp *)tp;
	int sv[2] = { -1, -1 }, rp[2] = { -1, -1 }, ret, buf = SLIRP_SNDBUF;
	struct slirp_argv *a = NULL;

	sl->pid = -1;
	a = malloc(sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "slirp: out of memory");
		return -ENOMEM;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(rp, O_CLOEXEC)) {
		ret = -errno;
		snprintf(err, errlen, "slirp: socketpair: %s", strerror(-ret));
		goto fail;
	}
	/* room for bursts both ways (best effort) */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	ret = slirp_build_argv(a, s, sv[1], rp[1]);
	if (ret) {
		snprintf(err, errlen, "slirp: too many helper arguments");
		goto fail;
	}
	ret = slirp_spawn(sl, a->v, sv[1], rp[1]);
	if (ret) {
		snprintf(err, errlen, "slirp: cannot run '%s': %s", a->v[0],
			 strerror(-ret));
		goto fail;
	}
	close(sv[1]);
	close(rp[1]);
	sv[1] = rp[1] = -1;
	ret = slirp_wait_ready(rp[0], a->v[0], err, errlen);
	if (ret)
		goto fail;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK)) {
		ret = -errno;
		snprintf(err, errlen, "slirp: O_NONBLOCK: %s", strerror(-ret));
		goto fail;
	}
	close(rp[0]);
	free(a);
	tp->fd = sv[0];
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (rp[i] >= 0)
			close(rp[i]);
	}
	slirp_reap(sl);
	free(a);
	tp->fd = -1;
	return ret;
}

static int slirp_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	int i, ret = tp_dgram_recv(tp->fd, f, n);

	/* the helper never sends an empty message: end of file */
	for (i = 0; i < ret; i++)
		if (!f[i].len)
			return i ? i : -ECONNRESET;
	return ret;
}

static int slirp_send(struct tp *tp, const struct tp_frame *f,
		      unsigned int n)
{
	unsigned int skip = 0, k = 0;
	int ret;

	/* an empty message would read as end of file: runts are dropped */
	while (skip < n && f[skip].len < FRAME_MIN)
		skip++;
	while (skip + k < n && f[skip + k].len >= FRAME_MIN)
		k++;
	if (!k)
		return skip;
	ret = tp_dgram_send(tp->fd, f + skip, k);
	if (ret < 0)
		return skip ? (int)skip : ret;
	return skip + ret;
}

static void slirp_close(struct tp *tp)
{
	struct tp_slirp *sl = (struct tp_slirp *)tp;

	if (tp->fd >= 0)
		close(tp->fd);	/* the helper sees end of file and exits */
	tp->fd = -1;
	slirp_reap(sl);
}

static const int tp_slirp_syscalls[] = {
	SYS_recvmsg, SYS_recvmmsg, SYS_sendmsg, SYS_sendmmsg, SYS_close,
	SYS_wait4, SYS_kill, SYS_nanosleep, SYS_clock_nanosleep, -1
};

const struct tp_ops tp_slirp_ops = {
	.name = "slirp",
	.keys = slirp_keys,
	.size = sizeof(struct tp_slirp),
	.open = slirp_open,
	.recv = slirp_recv,
	.send = slirp_send,
	.close = slirp_close,
	.syscalls = tp_slirp_syscalls,
};
