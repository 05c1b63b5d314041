// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umlnet_user.c: the host-libc half of the umlnet UML driver.  It is a thin
 * shim over net/ (libumlnet), built into the kernel as UML user objects, so
 * each transport has exactly one implementation in the project.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
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

int umlnet_user_open(const char *spec, void **tpp, struct umlnet_info *info,
		     char *err, int errlen)
{
	static struct tp_spec s;	/* callers hold the driver's mutex */
	static char vde[UMLNET_SPEC_MAX];
	const char *mac;
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
	/* slip's "mac" names its peer on the Ethernet side, not us. */
	mac = strcmp(s.name, "slip") ? tp_spec_get(&s, "mac") : NULL;
	if (mac) {
		if (mac_parse(mac, info->mac)) {
			snprintf(err, errlen, "%s: bad MAC address '%s'",
				 s.name, mac);
			return -EINVAL;
		}
		info->mac_set = 1;
	}
	block_signals_host(&old);
	ret = tp_open(&tp, spec, err, errlen);
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
	for (i = 0; i < n; i++) {
		f[i].buf = bufs[i];
		f[i].cap = caps[i];
		f[i].len = 0;
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

void umlnet_user_close(void *tp)
{
	sigset_t old;

	block_signals_host(&old);
	tp_close(tp);
	restore_signals_host(&old);
}
