// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slip.c: "slip up GATE" and "slip down NAME" without a kernel SLIP line
 * discipline: a tun device (IFF_TUN|IFF_NO_PI) named after the guest's pty
 * (umlsl<pts number>) carries the host side, and an unprivileged relay
 * process (no capabilities, the real user) moves packets between the pty
 * slave on fd 0 and the tun, SLIP-framed on the pty side (RFC 1055).
 * The relay ends when the pty hangs up (UML closed it) or the tun is
 * deleted ("slip down"); the tun disappears with its last fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <syslog.h>
#include <unistd.h>

#include "helper.h"		/* net/: UNET_SLIP_DEV_PREFIX */
#include "slip.h"		/* net/: the SLIP codec */
#include "uml_net.h"

#define PTS_MAJOR_FIRST	136	/* UNIX98 pty slaves: majors 136..143 */
#define PTS_MAJOR_LAST	143
#define SLIP_MTU	1500

/*
 * The pty on fd 0 must be a pty slave of the caller's, and it must be
 * /dev/pts/N of this system (the devpts instance at /dev/pts in uml_net's
 * mount namespace, which the caller cannot change): a private instance
 * (unshare -Urm, mount -t devpts) has its own /dev/pts/N, and would claim
 * the name another user's pty N gets.  N names the tun, so "slip down"
 * finds the device from fd 0 alone.
 */
static int slip_name(const struct unet_ctx *ctx, char *name, size_t len)
{
	struct stat st, pts;
	unsigned int maj, n;
	char path[64];

	if (fstat(0, &st) < 0 || !S_ISCHR(st.st_mode))
		return refuse(ctx, "slip: stdin is not the guest's pty");
	maj = major(st.st_rdev);
	if (maj < PTS_MAJOR_FIRST || maj > PTS_MAJOR_LAST)
		return refuse(ctx, "slip: stdin is not a pty slave");
	if (st.st_uid != ctx->uid)
		return refuse(ctx, "slip: stdin is a pty of another user");
	if ((fcntl(0, F_GETFL) & O_ACCMODE) != O_RDWR)
		return refuse(ctx, "slip: stdin must be the pty opened "
			      "read-write");
	n = (maj - PTS_MAJOR_FIRST) * 256 + minor(st.st_rdev);
	snprintf(path, sizeof(path), "/dev/pts/%u", n);
	if (lstat(path, &pts) < 0 || pts.st_dev != st.st_dev ||
	    pts.st_ino != st.st_ino || pts.st_rdev != st.st_rdev)
		return refuse(ctx, "slip: stdin is not %s of this system "
			      "(a pty of a private devpts instance?)", path);
	snprintf(name, len, UNET_SLIP_DEV_PREFIX "%u", n);
	return 0;
}

/* pty -> tun: decode whatever arrived, one write per complete packet
 * (one longer than the buffer is dropped, never cut). */
static int relay_from_pty(int pty, int tun, struct slip_rx *d)
{
	uint8_t in[4096];
	ssize_t n = read(pty, in, sizeof(in));
	size_t off = 0, len;

	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	while (off < (size_t)n) {
		off += slip_rx_feed(d, in + off, (size_t)n - off, &len);
		if (len && len <= d->cap && write(tun, d->buf, len) < 0 &&
		    errno == EBADFD)
			return -1;
	}
	return 0;
}

/* tun -> pty: SLIP carries IPv4 only (the guest hands all it gets to IPv4). */
static int relay_from_tun(int tun, int pty)
{
	static uint8_t pkt[SLIP_MTU + 64], enc[SLIP_WRAP_MAX(SLIP_MTU + 64)];
	ssize_t n = read(tun, pkt, sizeof(pkt));
	size_t len;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	if ((pkt[0] >> 4) != 4)
		return 0;
	len = slip_wrap(pkt, (size_t)n, enc, sizeof(enc));
	return len && write_all(pty, enc, len) < 0 ? -1 : 0;
}

static void relay_run(int pty, int tun)
{
	static uint8_t buf[SLIP_MTU];
	struct pollfd pfd[2] = {
		{ .fd = pty, .events = POLLIN },
		{ .fd = tun, .events = POLLIN },
	};
	struct slip_rx d;

	slip_rx_init(&d, buf, sizeof(buf));
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd[0].revents & POLLIN) {
			if (relay_from_pty(pty, tun, &d) < 0)
				return;
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			return;
		}
		if (pfd[1].revents & POLLIN) {
			if (relay_from_tun(tun, pty) < 0)
				return;
		} else if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			return;
		}
	}
}

/* Fork the relay: it keeps fd 0 (the pty) and the tun, nothing else. */
static int relay_start(int tun)
{
	pid_t pid = fork();
	int null;

	if (pid != 0)
		return pid < 0 ? -errno : pid;
	priv_drop_all();
	setsid();
	closelog();
	/* keep the pty (0) and the tun (3), nothing of uml_net's */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
	    (tun != 3 && dup2(tun, 3) < 0) ||
	    (syscall(SYS_close_range, 4U, ~0U, 0U) < 0 && errno != ENOSYS))
		_exit(1);
	relay_run(0, 3);
	_exit(0);
}

/**
 * slip_up() - "slip up GATE": tun + relay for the guest's SLIP line.
 * @ctx:	run state
 * @argc:	arguments after "slip"
 * @argv:	"up", GATE
 *
 * Return: the exit status.
 */
int slip_up(struct unet_ctx *ctx, int argc, char **argv)
{
	char name[IFNAMSIZ], ifname[IFNAMSIZ], why[256];
	struct unet_addr gate;
	int fd, ifindex, pid;

	if (argc != 2)
		return refuse(ctx, "slip up: expected one gateway address");
	if (!gate_allowed(ctx, argv[1], &gate))
		return 1;
	if (gate.family != AF_INET)
		return refuse(ctx, "slip up: SLIP carries IPv4 only");
	if (slip_name(ctx, name, sizeof(name)))
		return 1;
	if (if_nametoindex(name)) {
		if (hn_is_ours(ctx, name, &ifindex, why, sizeof(why)))
			return refuse(ctx, "slip up: %s is already up", name);
		return refuse(ctx, "slip up: %s", why);
	}
	fd = tun_create(ctx, name, IFF_TUN | IFF_NO_PI, ifname, &ifindex);
	if (fd < 0)
		return 1;
	if (hn_setup_dev(ctx, ifname, ifindex, &gate, SLIP_MTU) < 0) {
		close(fd);
		return 1;
	}
	hn_ip_forward(gate.family);
	pid = relay_start(fd);
	close(fd);
	if (pid < 0) {
		out_printf("slip relay: %s\n", strerror(-pid));
		return 1;
	}
	out_printf("* slip relay (pid %d, uid %u): pty on stdin <-> %s\n",
		   pid, ctx->uid, ifname);
	audit(ctx, "slip relay pid %d for %s", pid, ifname);
	return 0;
}

/**
 * slip_down() - "slip down [NAME]": delete the tun of the pty on fd 0
 * (NAME is ignored, as in the original: fd 0 is the proof of ownership).
 * @ctx:	run state
 * @argc:	arguments after "slip"
 * @argv:	"down", optional NAME
 *
 * Return: the exit status.
 */
int slip_down(struct unet_ctx *ctx, int argc, char **argv)
{
	char name[IFNAMSIZ], why[256];
	int ifindex;

	(void)argv;
	if (argc > 2)
		return refuse(ctx, "slip down: too many arguments");
	if (slip_name(ctx, name, sizeof(name)))
		return 1;
	if (!hn_is_ours(ctx, name, &ifindex, why, sizeof(why)))
		return refuse(ctx, "slip down: %s", why);
	return hn_link_del(ctx, name, ifindex) < 0;
}
