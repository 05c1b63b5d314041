// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap.c: "tuntap up GATE" (a fresh non-persistent tap, fd passed back to
 * UML) and "add|del DEV ADDR MASK" (host route and proxy ARP/NDP for a
 * guest address on one of our devices), as the stock UML kernel asks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ifname.h"
#include "uml_net.h"

/**
 * dev_name_ok() - the one interface-name rule (net/ifname.h), tightened
 * to the original's (letters and digits only): rejected, never truncated.
 * @ctx:	the caller (for the refusal)
 * @name:	device name from argv
 *
 * Return: 1 if acceptable; 0 after refusing.
 */
int dev_name_ok(const struct unet_ctx *ctx, const char *name)
{
	const char *why = ifname_check(name, IFNAME_ALNUM);

	if (!why)
		return 1;
	if (!strcmp(why, "not only letters and digits"))
		refuse(ctx, "Device doesn't contain only alphanumeric "
		       "characters");
	else
		refuse(ctx, "device name: %s", why);
	return 0;
}

/**
 * gate_allowed() - the checks shared by "tuntap up" and "slip up": a valid
 * gateway address, allowed by the policy, and the user's device quota.
 * @ctx:	run state
 * @arg:	the gateway from argv
 * @gate:	parsed into this
 *
 * Return: 1 if allowed; 0 after refusing.
 */
int gate_allowed(struct unet_ctx *ctx, const char *arg, struct unet_addr *gate)
{
	const char *bad;
	char why[256];
	int max, have;

	if (addr_parse(arg, gate) < 0) {
		refuse(ctx, "gateway is not an IPv4 or IPv6 address");
		return 0;
	}
	bad = addr_not_unicast(gate);
	if (bad) {
		refuse(ctx, "gateway %s is %s", arg, bad);
		return 0;
	}
	if (!policy_check_addr(ctx, POL_GATEWAY, gate, why, sizeof(why))) {
		refuse(ctx, "%s", why);
		return 0;
	}
	max = policy_max_devices(ctx, gate);
	have = hn_count_ours(ctx);
	if (have < 0) {
		refuse(ctx, "cannot list devices");
		return 0;
	}
	if (have >= max) {
		refuse(ctx, "quota exceeded: the policy allows this user %d "
		       "device(s) and %d exist", max, have);
		return 0;
	}
	return 1;
}

/**
 * tun_create() - create a non-persistent tun/tap owned by the user.
 * @ctx:	run state
 * @name:	name or pattern ("tap%d")
 * @flags:	IFF_TAP|IFF_NO_PI or IFF_TUN|IFF_NO_PI
 * @ifname:	set to the name the kernel gave it
 * @ifindex:	set to its index
 *
 * Return: its fd (closing it removes the device), or -1.
 */
int tun_create(struct unet_ctx *ctx, const char *name, short flags,
	       char *ifname, int *ifindex)
{
	struct ifreq ifr;
	int fd;

	fd = ctx->tunfd;	/* one device per run */
	ctx->tunfd = -1;
	if (fd < 0) {
		out_printf("cannot open /dev/net/tun\n");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = flags;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETOWNER, (unsigned long)ctx->uid) < 0) {
		out_printf("creating %s: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	ifname[IFNAMSIZ - 1] = '\0';
	*ifindex = (int)if_nametoindex(ifname);
	if (!*ifindex) {
		out_printf("%s: %s\n", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	out_printf("* ip tuntap add %s mode %s user %u (not persistent)\n",
		   ifname, flags & IFF_TAP ? "tap" : "tun", ctx->uid);
	audit(ctx, "created %s", ifname);
	return fd;
}

/**
 * tap_up() - "tuntap up GATE": create a tap for the user, configure the
 * gateway on it and pass its fd back in the reply datagram.
 * @ctx:	run state
 * @argc:	arguments after "tuntap"
 * @argv:	"up", GATE
 *
 * Return: the exit status.
 */
int tap_up(struct unet_ctx *ctx, int argc, char **argv)
{
	char ifname[IFNAMSIZ];
	struct unet_addr gate;
	int fd, ifindex;

	if (argc < 2) {
		out_printf("Too few arguments to tuntap_up\n");
		return refuse(ctx, "tuntap up: no gateway address");
	}
	if (argc > 2)
		return refuse(ctx, "tuntap up: too many arguments");
	if (!gate_allowed(ctx, argv[1], &gate))
		return 1;
	if (!out_is_dgram())
		return refuse(ctx, "tuntap up: stdout must be the AF_UNIX "
			      "datagram socket UML passes (the tap's fd "
			      "travels on it)");
	fd = tun_create(ctx, "tap%d", IFF_TAP | IFF_NO_PI, ifname, &ifindex);
	if (fd < 0)
		return 1;
	if (hn_setup_dev(ctx, ifname, ifindex, &gate, 0) < 0) {
		close(fd);	/* not persistent: the tap goes with it */
		return 1;
	}
	hn_ip_forward(gate.family);
	/* main() sends it, once the lock is released; if that fails, the
	 * fd is closed and the tap goes */
	ctx->reply_fd = fd;
	snprintf(ctx->reply_dev, sizeof(ctx->reply_dev), "%s", ifname);
	return 0;
}

/* The netmask (IPv6: a prefix length) as a prefix length, or -1. */
static int mask_plen(const char *s, int family)
{
	struct in_addr m;
	unsigned long v;
	char *end;
	uint32_t h;
	int plen;

	if (family == AF_INET6) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || *end || s[0] == '-' || v > 128)
			return -1;
		return (int)v;
	}
	if (inet_pton(AF_INET, s, &m) != 1)
		return -1;
	h = ~ntohl(m.s_addr);		/* ones then zeros: h is 2^k - 1 */
	if (h & (h + 1))
		return -1;
	for (plen = 32; h; h >>= 1)
		plen--;
	return plen;
}

/**
 * tap_addr() - "add|del DEV ADDR MASK": route a guest address to one of
 * our devices (and proxy for it), or undo that.
 * @ctx:	run state
 * @add:	1 for add, 0 for del
 * @argc:	arguments after "add"/"del"
 * @argv:	DEV, ADDR, MASK
 *
 * Return: the exit status.
 */
int tap_addr(struct unet_ctx *ctx, int add, int argc, char **argv)
{
	struct unet_addr addr;
	int ifindex, plen, ret;
	const char *bad;
	char why[256];

	if (argc != 3)
		return refuse(ctx, "%s: expected DEVICE ADDRESS NETMASK",
			      add ? "add" : "del");
	if (!dev_name_ok(ctx, argv[0]))
		return 1;
	if (addr_parse(argv[1], &addr) < 0)
		return refuse(ctx, "guest address is not an IPv4 or IPv6 "
			      "address");
	plen = mask_plen(argv[2], addr.family);
	if (plen < 0)
		return refuse(ctx, "bad netmask");
	bad = addr_not_unicast(&addr);
	if (!bad)
		bad = addr_not_host(&addr, plen);
	if (bad)
		return refuse(ctx, "guest address %s is %s", argv[1], bad);
	if (!hn_is_ours(ctx, argv[0], &ifindex, why, sizeof(why)))
		return refuse(ctx, "%s", why);
	if (!policy_check_addr(ctx, POL_GUEST, &addr, why, sizeof(why)))
		return refuse(ctx, "%s", why);
	if (add)
		return hn_guest_add(ctx, argv[0], ifindex, &addr) < 0;
	/* only what an add to this device made is undone: the proxy entries
	 * of an address routed elsewhere (another user's guest, root's own)
	 * are not this caller's to withdraw */
	ret = hn_guest_routed(ctx, ifindex, &addr);
	if (ret < 0)
		return refuse(ctx, "del: cannot read the routes");
	if (!ret)
		return refuse(ctx, "del: %s is not routed to %s: nothing "
			      "changed", argv[1], argv[0]);
	return hn_guest_del(ctx, argv[0], ifindex, &addr) < 0;
}
