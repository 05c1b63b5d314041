// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tuntap.c: a host tap device (the stock UML kernel's tuntap transport with a
 * named device; Linux Documentation/networking/tuntap.rst): raw Ethernet frames,
 * one per read/write on /dev/net/tun, no packet-info header.
 *
 * Spec: tuntap[,DEV[,MAC[,GATE]]]  or  tuntap:dev=tap0,mac=..,gate=..
 *   or  tuntap:fd=N,...  (a tap queue already open, e.g. from uml_net)
 *   offload=1 (with dev=): the tap with IFF_VNET_HDR and the host's
 *   checksum offload and TSO (TUNSETOFFLOAD): frames both ways carry a
 *   virtio_net_hdr, so TCP segments of up to 64 KiB pass with their
 *   checksums left to do (offload.h).  For a consumer that takes them
 *   (tp->vnet_ok: uml_switch); for another, the first recv turns the
 *   host's offloads off again (a frame still in flight with work left in
 *   it is dropped, counted as rx_drop).
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
	uint8_t vnet;		/* offload=1: a virtio_net_hdr on each frame;
				 * 2: its consumer took no offloads */
	/* Bytes of a frame longer than the caller's segments land here, so
	 * the real length is reported (len > room) rather than cut silently. */
	uint8_t spill[FRAME_MAX + 1];
};

static const char *const tuntap_keys[] = { "dev", "mac", "gate", "fd",
					   "offload", NULL };

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

/* offload=1: a 10-byte header (virtio_net_hdr without num_buffers), and
 * the host may hand us partial checksums and TSO; we may give it both. */
static int tuntap_offload(struct tp_tuntap *t, char *err, size_t errlen)
{
	int sz = VNET_HDR_LEN, ret;

	if (ioctl(t->tp.fd, TUNSETVNETHDRSZ, &sz) ||
	    ioctl(t->tp.fd, TUNSETOFFLOAD,
		  (unsigned long)(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6))) {
		ret = -errno;
		snprintf(err, errlen, "tuntap: %s: offloads: %s", t->name,
			 strerror(-ret));
		close(t->tp.fd);
		t->tp.fd = -1;
		return ret;
	}
	t->tp.offload = TP_OFF_CSUM | TP_OFF_TSO4 | TP_OFF_TSO6;
	return 0;
}

static int tuntap_attach(struct tp_tuntap *t, const char *dev, char *err,
			 size_t errlen)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (t->vnet ? IFF_VNET_HDR : 0);
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
	return t->vnet ? tuntap_offload(t, err, errlen) : 0;
}

static int tuntap_open(struct tp *tp, const struct tp_spec *s, char *err,
		       size_t errlen)
{
	struct tp_tuntap *t = (struct tp_tuntap *)tp;
	const char *dev = tp_spec_get(s, "dev");
	const char *gate = tp_spec_get(s, "gate");
	const char *fdstr = tp_spec_get(s, "fd");
	const char *off = tp_spec_get(s, "offload");
	const char *why;
	unsigned long v = 0;
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
	if (off && tp_num(off, 0, 1, &v)) {
		snprintf(err, errlen, "tuntap: offload '%s': 0 or 1", off);
		return -EINVAL;
	}
	if (v && fdstr) {
		snprintf(err, errlen, "tuntap: offload=1 with dev=, not fd= "
			 "(the tap is opened here)");
		return -EINVAL;
	}
	t->vnet = (uint8_t)v;
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
	uint8_t h[VNET_HDR_LEN];
	struct iovec iov[4];
	unsigned int i, k;
	size_t hl = t->vnet ? sizeof(h) : 0;
	ssize_t r;

	if (t->vnet == 1 && !tp->vnet_ok) {
		t->vnet = 2;
		tp->offload = 0;
		if (ioctl(tp->fd, TUNSETOFFLOAD, 0UL))
			return -errno;
	}

	for (i = 0; i < n;) {	/* a frame dropped leaves its slot to the next */
		iov[0].iov_base = h;
		iov[0].iov_len = hl;
		k = 1 + tp_frame_iov(&f[i], iov + 1);
		iov[k].iov_base = t->spill;
		iov[k++].iov_len = sizeof(t->spill);
		do
			r = readv(tp->fd, iov + !hl, (int)k - !hl);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			if (errno == EAGAIN)
				break;
			return i ? (int)i : tuntap_err(errno);
		}
		if (r == 0)	/* not expected from a tap: report, not spin */
			return i ? (int)i : -EPIPE;
		if ((size_t)r < hl) {
			tp->rx_drop++;
			continue;
		}
		f[i].len = (size_t)r - hl;
		if (hl) {
			vnet_get(h, &f[i].vnet);
			f[i].vnet.flags &= (uint8_t)~VNET_F_DATA_VALID;
			if (!tp->vnet_ok && off_any(&f[i].vnet)) {
				memset(&f[i].vnet, 0, sizeof(f[i].vnet));
				tp->rx_drop++;	/* work its consumer cannot do */
				continue;
			}
		}
		i++;
	}
	return (int)i;
}

static int tuntap_send(struct tp *tp, const struct tp_frame *f,
		       unsigned int n)
{
	struct tp_tuntap *t = (struct tp_tuntap *)tp;
	uint8_t h[VNET_HDR_LEN];
	struct iovec iov[2] = { { h, sizeof(h) }, { NULL, 0 } };
	unsigned int i;
	ssize_t r;

	for (i = 0; i < n; i++) {
		if (t->vnet) {
			vnet_put(h, &f[i].vnet);
			iov[1].iov_base = f[i].buf;
			iov[1].iov_len = f[i].len;
		}
		do
			r = t->vnet ? writev(tp->fd, iov, 2) :
				      write(tp->fd, f[i].buf, f[i].len);
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
	SYS_readv, SYS_write, SYS_writev, SYS_close, -1
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
