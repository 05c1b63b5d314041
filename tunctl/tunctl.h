/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tunctl.h: shared pieces of tunctl (sysfs tun attributes, listing). */
#ifndef UMLNET_TUNCTL_H
#define UMLNET_TUNCTL_H

/**
 * struct tun_info - what sysfs says about one network device.
 * @is_tun:	it has a tun_flags attribute (a tun/tap device)
 * @flags:	tun_flags (IFF_TUN/IFF_TAP/IFF_NO_PI/IFF_PERSIST/...)
 * @owner:	owning uid, -1 for none
 * @group:	owning gid, -1 for none
 */
struct tun_info {
	int is_tun;
	unsigned int flags;
	long owner;
	long group;
};

int tun_sysfs_read(const char *name, struct tun_info *ti);
int tun_list(int json);

#endif /* UMLNET_TUNCTL_H */
