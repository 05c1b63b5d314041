// SPDX-License-Identifier: GPL-2.0-or-later
/* tap.c: attach an existing or new tap device as a switch port. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sw.h"

/**
 * tap_open() - open tap device @name (created if missing) for raw frames.
 * Return: a non-blocking fd, or -errno with @err filled in.
 */
int tap_open(const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, ret;

	if (!*name || strnlen(name, IFNAMSIZ) >= IFNAMSIZ ||
	    strpbrk(name, "/ \t\n:")) {
		snprintf(err, errlen, "bad tap device name '%s' (1 to %d "
			 "characters, no '/', ':' or spaces)", name,
			 IFNAMSIZ - 1);
		return -EINVAL;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "tap '%s': open /dev/net/tun: %s", name,
			 strerror(-ret));
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		ret = -errno;
		snprintf(err, errlen, "tap '%s': TUNSETIFF: %s%s", name,
			 strerror(-ret), ret == -EPERM ? " (needs "
			 "CAP_NET_ADMIN, or a tap owned by you: tunctl -u)" :
			 ret == -EINVAL ? " (exists and is not a tap?)" : "");
		close(fd);
		return ret;
	}
	return fd;
}
