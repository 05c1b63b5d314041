// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umlnet_user.c: the host-libc half of the umlnet UML driver.  It is a thin
 * shim over net/ (libumlnet), built into the kernel as UML user objects, so
 * each transport has exactly one implementation in the project.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "frame.h"
#include "helper.h"
#include "transport.h"
#include "umlnet_user.h"

#define VDE_DEFAULT_SWITCH	"/var/run/vde.ctl"

/*
 * The stock kernel's vde transport, vde[,SWITCH[,MAC[,PORT[,GROUP[,MODE[,
 * DESCRIPTION]]]]]], is the daemon protocol to a vde_switch directory: it
 * becomes daemon:ctl=SWITCH,mac=MAC.  The port/group/mode requests of
 * libvdeplug are not ours to make, so they are refused, not dropped.
 */
static int vde_to_daemon(const char *spec, char *out, size_t outlen,
			 char *err, int errlen)
{
	static const char *const extra[] = {
		"port", "group", "mode", "description"
	};
	char buf[UMLNET_SPEC_MAX], *f[7] = { 0 }, *p = buf;
	unsigned int i, n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	while (p && n < 7) {
		f[n++] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	if (p) {
		snprintf(err, errlen, "vde: unexpected field 7 '%s' (takes at most 6)", p);
		return -EINVAL;
	}
	for (i = 0; i < 4; i++) {
		if (f[3 + i] && *f[3 + i]) {
			snprintf(err, errlen,
				 "vde: %s '%s' not supported (umlnet joins as a plain port)",
				 extra[i], f[3 + i]);
			return -EINVAL;
		}
	}
	if (f[1] && strstr(f[1], "://")) {
		snprintf(err, errlen, "vde: switch '%s': only a directory or socket path is supported", f[1]);
		return -EINVAL;
	}
	if ((size_t)snprintf(out, outlen, "daemon:ctl=%s%s%s",
			     f[1] && *f[1] ? f[1] : VDE_DEFAULT_SWITCH,
			     f[2] && *f[2] ? ",mac=" : "",
			     f[2] && *f[2] ? f[2] : "") >= outlen) {
		snprintf(err, errlen, "vde: specification too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

/*
 * Opening a transport may block in poll/connect/waitpid for a while; the
 * UML timer and SIGIO would make those fail with EINTR, so host signals
 * wait (they are delivered when the mask is restored).
 */
static void block_signals_host(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void restore_signals_host(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

#define UML_NET		"uml_net"	/* looked up in PATH, as UML does */
#define UML_NET_VERSION	UNET_HELPER_VERSION_STR

extern char **environ;

/* Run uml_net with @argv, its stdin on @in (-1: ours), its stdout on @out;
 * wait for it.  Signals are already blocked by the caller.
 * Return: its exit status (128 + N if killed by signal N) or -errno. */
static int helper_run(char *const *argv, int in, int out)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int ret, status;
	pid_t pid;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	ret = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret) {
		printk(UM_KERN_ERR "umlnet: cannot run %s: %s\n", argv[0],
		       strerror(ret));
		return -ret;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void helper_print(const char *text)
{
	if (*text)
		printk(UM_KERN_INFO "%s%s", text,
		       text[strlen(text) - 1] == '\n' ? "" : "\n");
}

/*
 * The "tuntap up" reply (net/helper.h): @n bytes in @buf, NUL-terminated
 * by the caller; @fd_came: an fd was attached.  @name gets the device
 * name ("" for a failure: then the whole datagram is text).
 * Return: the text to print.
 */
static const char *helper_reply_dgram(const char *buf, size_t n, int fd_came,
				      char *name, size_t len)
{
	name[0] = '\0';
	if (!fd_came || n < UNET_REPLY_NAME_LEN)
		return buf;
	snprintf(name, len, "%.*s", UNET_REPLY_NAME_LEN - 1, buf);
	return buf + UNET_REPLY_NAME_LEN;
}

/* The length word of a stream reply: is it one we read (1 to the text
 * limit, the NUL counted)? */
static int helper_reply_len_ok(unet_reply_len_t len)
{
	return len > 0 && len <= UNET_REPLY_TEXT_MAX;
}

/*
 * tuntap with no device, the stock kernel's helper mode: "uml_net 4
 * tuntap up GATE" makes a tap and answers one datagram (net/helper.h): the
 * name, its output text and the tap fd as SCM_RIGHTS.
 */
static int tuntap_helper(const char *gate, int *fdp, char *name,
			 char *err, int errlen)
{
	char *argv[] = { UML_NET, UML_NET_VERSION, "tuntap", "up",
			 (char *)gate, NULL };
	static char buf[UNET_REPLY_DGRAM_MAX + 1];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	int sv[2], status, fd_came;
	const char *text;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, errlen, "tuntap: socketpair: %s", strerror(errno));
		return -errno;
	}
	status = helper_run(argv, -1, sv[1]);
	close(sv[1]);
	memset(buf, 0, sizeof(buf));
	n = recvmsg(sv[0], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	close(sv[0]);
	c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	fd_came = c && c->cmsg_level == SOL_SOCKET &&
		  c->cmsg_type == SCM_RIGHTS &&
		  c->cmsg_len == CMSG_LEN(sizeof(int));
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len >= CMSG_LEN(sizeof(int)))
		memcpy(fdp, CMSG_DATA(c), sizeof(int));
	else
		*fdp = -1;
	text = helper_reply_dgram(buf, n > 0 ? (size_t)n : 0, fd_came, name,
				  UNET_REPLY_NAME_LEN);
	helper_print(text);
	if (!name[0]) {
		if (*fdp >= 0)
			close(*fdp);
		snprintf(err, errlen,
			 "tuntap: %s %s tuntap up %s: no tap came back (exit status %d)",
			 UML_NET, UML_NET_VERSION, gate ? gate : "", status);
		return -EINVAL;
	}
	return 0;
}

/* Run uml_net with @argv and stdin @in on a stream stdout, print the text
 * it answers ("len + text", net/helper.h).  Return: its status or -errno. */
static int helper_run_text(char *const *argv, int in)
{
	static char text[UNET_REPLY_TEXT_MAX + 1];
	unet_reply_len_t len = 0;
	int sv[2], status;
	ssize_t n;
	size_t got = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	status = helper_run(argv, in, sv[1]);
	close(sv[1]);
	/* the helper has exited (its relay, if any, closed the socket), so
	 * these reads do not block */
	if (read(sv[0], &len, sizeof(len)) == (ssize_t)sizeof(len) &&
	    helper_reply_len_ok(len)) {
		while (got < (size_t)len &&
		       (n = read(sv[0], text + got, len - got)) > 0)
			got += n;
		text[got] = '\0';
		helper_print(text);
	}
	close(sv[0]);
	return status;
}

void umlnet_user_helper_addr(const char *dev, int add, const char *addr,
			     const char *mask)
{
	char *argv[] = { UML_NET, UML_NET_VERSION, add ? "add" : "del",
			 (char *)dev, (char *)addr, (char *)mask, NULL };
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	helper_run_text(argv, -1);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * The line of slip helper mode: a pty, raw as the stock kernel sets it
 * (as the stock kernel's slip transport sets it).  Return: the master, with the slave in *@slave and its
 * number in *@pts, or -errno.
 */
static int slip_pty(int *slave, unsigned int *pts)
{
	struct termios tio;
	int master, ret;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return -errno;
	if (grantpt(master) || unlockpt(master) ||
	    ioctl(master, TIOCGPTN, pts))
		goto fail;
	*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	memset(&tio, 0, sizeof(tio));
	tio.c_cflag = CS8 | CREAD | HUPCL | CLOCAL;
	tio.c_iflag = IGNBRK | IGNPAR;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	cfsetospeed(&tio, B38400);
	cfsetispeed(&tio, B38400);
	if (!tcsetattr(*slave, TCSAFLUSH, &tio))
		return master;
	close(*slave);
fail:
	ret = -errno;
	close(master);
	return ret;
}

/*
 * slip with a gateway and no line, the stock kernel's helper mode:
 * "uml_net 4 slip up GATE" gets the slave of a fresh pty on its stdin and
 * joins it to a host device (umlnet's uml_net: a tun, umlsl<pts number>
 * (UNET_SLIP_DEV_PREFIX),
 * behind a user-space SLIP relay that holds the slave from then on); the
 * slip transport runs on the master.  When the master closes, the relay
 * sees the hang-up and the host device goes with it.
 */
static int slip_helper_open(const struct tp_spec *s, struct tp **tpp,
			    struct umlnet_info *info, char *err, int errlen)
{
	static char spec[UMLNET_SPEC_MAX];
	const char *gate = tp_spec_get(s, "gate");
	const char *peer = tp_spec_get(s, "peermac");
	char *argv[] = { UML_NET, UML_NET_VERSION, "slip", "up",
			 (char *)gate, NULL };
	struct in_addr a;
	unsigned int pts;
	int master, slave, status, ret;

	if (inet_pton(AF_INET, gate, &a) != 1 || !a.s_addr) {
		snprintf(err, errlen, "slip: bad gateway address '%s'", gate);
		return -EINVAL;
	}
	master = slip_pty(&slave, &pts);
	if (master < 0) {
		snprintf(err, errlen, "slip: pty: %s", strerror(-master));
		return master;
	}
	status = helper_run_text(argv, slave);
	close(slave);
	if (status) {
		close(master);
		if (status < 0)
			snprintf(err, errlen, "slip: cannot run %s: %s",
				 UML_NET, strerror(-status));
		else
			snprintf(err, errlen,
				 "slip: %s %s slip up %s failed (exit status %d)",
				 UML_NET, UML_NET_VERSION, gate, status);
		return status < 0 ? status : -EINVAL;
	}
	snprintf(info->helper_dev, sizeof(info->helper_dev),
		 UNET_SLIP_DEV_PREFIX "%u", pts);
	snprintf(spec, sizeof(spec), "slip:fd=%d,gate=%s%s%s", master, gate,
		 peer ? ",peermac=" : "", peer ? peer : "");
	ret = tp_open(tpp, spec, err, errlen);
	close(master);		/* the transport has its own copy */
	if (ret)
		info->helper_dev[0] = '\0';
	return ret;
}

/* Helper mode: the tap from uml_net, then the tuntap transport on its fd. */
static int tuntap_helper_open(const struct tp_spec *s, struct tp **tpp,
			      struct umlnet_info *info, char *err, int errlen)
{
	static char spec[UMLNET_SPEC_MAX];
	const char *gate = tp_spec_get(s, "gate");
	int fd, ret;

	ret = tuntap_helper(gate, &fd, info->helper_dev, err, errlen);
	if (ret)
		return ret;
	snprintf(spec, sizeof(spec), "tuntap:fd=%d", fd);
	ret = tp_open(tpp, spec, err, errlen);
	if (ret) {
		close(fd);
		info->helper_dev[0] = '\0';
	}
	return ret;
}

/*
 * tuntap,DEV,MAC,GATE: with a device the stock kernel opens it and ignores
 * GATE (only uml_net, which makes the tap, uses it).  The transport refuses
 * what it cannot use, so the gateway is dropped here, saying so.
 */
static void tuntap_drop_gate(struct tp_spec *s)
{
	unsigned int i;

	if (strcmp(s->name, "tuntap") ||
	    (!tp_spec_get(s, "dev") && !tp_spec_get(s, "fd")))
		return;
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->kv[i].key, "gate") || !*s->kv[i].val)
			continue;
		printk(UM_KERN_WARNING "umlnet: tuntap: gateway %s ignored: "
		       "the tap exists already (uml_net uses the gateway when "
		       "it makes one)\n", s->kv[i].val);
		s->kv[i].val = "";
	}
}

int umlnet_user_open(const char *spec, void **tpp, struct umlnet_info *info,
		     char *err, int errlen)
{
	static struct tp_spec s;	/* callers hold the driver's mutex */
	static char vde[UMLNET_SPEC_MAX];
	sigset_t old;
	struct tp *tp;
	int ret;

	memset(info, 0, sizeof(*info));
	if (!strncmp(spec, "vde", 3) && (spec[3] == ',' || !spec[3])) {
		ret = vde_to_daemon(spec, vde, sizeof(vde), err, errlen);
		if (ret)
			return ret;
		spec = vde;
	}
	ret = tp_spec_parse(spec, &s, err, errlen);
	if (ret)
		return ret;
	snprintf(info->transport, sizeof(info->transport), "%s",
		 spec == vde ? "vde" : s.name);
	/* mac= is ours, the NIC's (checked by the parser) */
	info->mac_set = tp_spec_mac(&s, info->mac);
	tuntap_drop_gate(&s);
	if (!strcmp(s.name, "stream") && tp_spec_get(&s, "reconnect")) {
		snprintf(err, errlen, "stream: reconnect=%s is uml_switch's "
			 "(a guest NIC does not dial again: put a switch "
			 "between)", tp_spec_get(&s, "reconnect"));
		return -EINVAL;
	}
	block_signals_host(&old);
	if (!strcmp(s.name, "tuntap") && !tp_spec_get(&s, "dev") &&
	    !tp_spec_get(&s, "fd"))
		ret = tuntap_helper_open(&s, &tp, info, err, errlen);
	else if (!strcmp(s.name, "slip") && tp_spec_get(&s, "gate") &&
		 !tp_spec_get(&s, "path") && !tp_spec_get(&s, "fd"))
		ret = slip_helper_open(&s, &tp, info, err, errlen);
	else
		ret = tp_open_spec(&tp, &s, err, errlen);
	restore_signals_host(&old);
	if (ret)
		return ret;
	*tpp = tp;
	return 0;
}

int umlnet_user_fd(void *tp)
{
	return ((struct tp *)tp)->fd;
}

int umlnet_user_wfd(void *tp)
{
	return ((struct tp *)tp)->wfd;
}

int umlnet_user_fd_signals(int fd)
{
	char path[32], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 1;
	link[n] = '\0';
	/* anon inodes without fasync: no SIGIO ever comes from them */
	return strcmp(link, "anon_inode:[eventpoll]") != 0;
}

int umlnet_user_recv(void *tp, void *const *bufs, const unsigned int *caps,
		     unsigned int *lens, unsigned int n)
{
	struct tp_frame f[UMLNET_BATCH];
	unsigned int i;
	int ret;

	if (n > UMLNET_BATCH)
		n = UMLNET_BATCH;
	memset(f, 0, n * sizeof(f[0]));
	for (i = 0; i < n; i++) {
		f[i].buf = bufs[i];
		f[i].cap = caps[i];
	}
	ret = tp_recv(tp, f, n);
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++)
		lens[i] = f[i].len > 0xffffffu ? 0xffffffu : f[i].len;
	if (ret == -EAGAIN || ret == -EWOULDBLOCK || ret == -EINTR)
		return 0;
	return ret;
}

int umlnet_user_send(void *tp, const void *buf, unsigned int len)
{
	struct tp_frame f = {
		.buf = (uint8_t *)buf,
		.len = len,
		.cap = len,
	};
	int ret;

	ret = tp_send(tp, &f, 1);
	if (ret == -EAGAIN || ret == -EWOULDBLOCK || ret == -ENOBUFS)
		return 0;
	return ret;
}

int umlnet_user_finish(void *tp)
{
	struct tp *t = tp;
	int ret;

	ret = tp_finish(t);
	if (ret < 0)
		return ret;
	return !t->held;
}

void umlnet_user_close(void *tp)
{
	sigset_t old;

	block_signals_host(&old);
	tp_close(tp);
	restore_signals_host(&old);
}
