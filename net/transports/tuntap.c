// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tuntap.c: a host tap device (the stock UML kernel's tuntap transport with a
 * named device; Linux Documentation/networking/tuntap.rst): raw Ethernet frames,
 * one per read/write on /dev/net/tun, no packet-info or vnet header.
 *
 * Spec: tuntap[,DEV[,MAC[,GATE]]]  or  tuntap:dev=tap0,mac=..,gate=..
 *   or  tuntap:fd=N,...  (a tap queue already open, e.g. from uml_net)
 * DEV names an existing tap (persistent, owned by us, or any with
 * CAP_NET_ADMIN) or a new one; empty lets the kernel pick tapN.  MAC and
 * GATE are the guest driver's (tp_spec_mac(); GATE only when uml_net makes
 * the tap, so this transport refuses it).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frame.h"
#include "ifname.h"
#include "transport.h"

#define TUNTAP_DEV	"/dev/net/tun"

struct tp_tuntap {
	struct tp tp;		/* tp.fd: the tap's queue */
	char name[IFNAMSIZ];
	/* Bytes of a frame longer than the caller's segments land here, so
	 * the real length is reported (len > room) rather than cut silently. */
	uint8_t spill[FRAME_MAX + 1];
};

static const char *const tuntap_keys[] = { "dev", "mac", "gate", "fd", NULL };

/* fd=N: a tap queue opened by someone else (uml_net's reply to the UML
 * kernel), taken over as it is. */
static int tuntap_adopt(struct tp_tuntap *t, int fd, char *err,
			size_t errlen)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) ||
	    (ifr.ifr_flags & (IFF_TAP | IFF_NO_PI)) != (IFF_TAP | IFF_NO_PI)) {
		snprintf(err, errlen, "tuntap: fd %d is not a tap queue without packet info",
			 fd);
		return -EINVAL;
	}
	ret = tp_adopt_fd("tuntap", fd, 0, err, errlen);
	if (ret)
		return ret;
	t->tp.fd = fd;
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	return 0;
}

static int tuntap_attach(struct tp_tuntap *t, const char *dev, char *err,
			 size_t errlen)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	/* "tap%d": the kernel picks the first free tapN */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev ? dev : "tap%d");
	t->tp.fd = open(TUNTAP_DEV, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (t->tp.fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "tuntap: open %s: %s", TUNTAP_DEV,
			 strerror(-ret));
		return ret;
	}
	if (ioctl(t->tp.fd, TUNSETIFF, &ifr)) {
		ret = -errno;
		snprintf(err, errlen, "tuntap: attach to '%s': %s%s",
			 dev ? dev : "(new tap)", strerror(-ret),
			 ret == -EPERM ? " (not a tap owned by this user?)" :
			 ret == -EINVAL || ret == -EBUSY ?
			 " (is it a tun, or a tap in use?)" : "");
		close(t->tp.fd);
		t->tp.fd = -1;
		return ret;
	}
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[IFNAMSIZ - 1] = '\0';
	return 0;
}

static int tuntap_open(struct tp *tp, const struct tp_spec *s, char *err,
		       size_t errlen)
{
	struct tp_tuntap *t = (struct tp_tuntap *)tp;
	const char *dev = tp_spec_get(s, "dev");
	const char *gate = tp_spec_get(s, "gate");
	const char *fdstr = tp_spec_get(s, "fd");
	const char *why;
	int fd = -1;

	if (fdstr && tp_parse_fd(fdstr, &fd)) {
		snprintf(err, errlen, "tuntap: bad fd '%s'", fdstr);
		return -EINVAL;
	}
	if (dev && fdstr) {
		snprintf(err, errlen, "tuntap: give dev= or fd=, not both");
		return -EINVAL;
	}
	why = dev ? ifname_check(dev, 0) : NULL;
	if (why) {
		snprintf(err, errlen, "tuntap: bad interface name '%s': %s",
			 dev, why);
		return -EINVAL;
	}
	if (gate) {
		snprintf(err, errlen, "tuntap: gateway '%s': only uml_net uses "
			 "one, when it makes the tap (no dev= or fd=)", gate);
		return -EINVAL;
	}
	if (fdstr)
		return tuntap_adopt(t, fd, err, errlen);
	return tuntap_attach(t, dev, err, errlen);
}

/* The device was deleted under us: the queue answers EBADFD; say so. */
static int tuntap_err(int e)
{
	return e == EBADFD ? -ENODEV : -e;
}

static int tuntap_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_tuntap *t = (struct tp_tuntap *)tp;
	struct iovec iov[3];
	unsigned int i, k;
	ssize_t r;

	for (i = 0; i < n; i++) {
		k = tp_frame_iov(&f[i], iov);
		iov[k].iov_base = t->spill;
		iov[k++].iov_len = sizeof(t->spill);
		do
			r = readv(tp->fd, iov, (int)k);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			if (errno == EAGAIN)
				break;
			return i ? (int)i : tuntap_err(errno);
		}
		if (r == 0)	/* not expected from a tap: report, not spin */
			return i ? (int)i : -EPIPE;
		f[i].len = (size_t)r;
	}
	return (int)i;
}

static int tuntap_send(struct tp *tp, const struct tp_frame *f,
		       unsigned int n)
{
	unsigned int i;
	ssize_t r;

	for (i = 0; i < n; i++) {
		do
			r = write(tp->fd, f[i].buf, f[i].len);
		while (r < 0 && errno == EINTR);
		if (r >= 0)
			continue;
		if (errno == EAGAIN)
			break;
		/* The device refuses this frame (too short or long for it, or
		 * the link is down): drop it and go on with the batch. */
		if (errno == EINVAL || errno == EMSGSIZE || errno == EIO) {
			tp->tx_drop++;
			continue;
		}
		return i ? (int)i : tuntap_err(errno);
	}
	return (int)i;
}

static const int tp_tuntap_syscalls[] = {
	SYS_readv, SYS_write, SYS_close, -1
};

const struct tp_ops tp_tuntap_ops = {
	.name = "tuntap",
	.keys = tuntap_keys,
	.size = sizeof(struct tp_tuntap),
	.open = tuntap_open,
	.recv = tuntap_recv,
	.send = tuntap_send,
	.close = tp_close_fd,
	.syscalls = tp_tuntap_syscalls,
};
