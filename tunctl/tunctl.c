// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunctl.c: create and delete persistent tun/tap devices owned by a user.
 * Command line and output of uml-utilities' tunctl (its 20070815 release), plus -n/-p,
 * --multi-queue, --vnet-hdr, --pi and -l [--json].  Unlike the original,
 * names are checked before anything is made (never truncated), an existing
 * non-tun device is never touched, and "-d" of a device that is not a
 * tun/tap is refused instead of creating and deleting it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ifname.h"
#include "tunctl.h"

#define TUN_CLONE	"/dev/net/tun"

/* The create-time flags that must match an existing device's. */
#define TUN_MODE_MASK	(IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | \
			 IFF_MULTI_QUEUE)

struct tunctl_opts {
	int brief;
	int list;
	int json;
	const char *del;
	const char *name;
	const char *clone;
	long owner;		/* -1: not given */
	long group;
	unsigned int flags;	/* IFF_TAP|IFF_NO_PI by default */
};

enum { OPT_MQ = 256, OPT_VNET, OPT_PI, OPT_JSON, OPT_HELP };

static void usage(FILE *f)
{
	fprintf(f,
		"Create: tunctl [-b] [-u owner] [-g group] [-t device-name] "
		"[-f tun-clone-device]\n"
		"Delete: tunctl -d device-name [-f tun-clone-device]\n\n"
		"The default tun clone device is /dev/net/tun - some systems use\n"
		"/dev/misc/net/tun instead\n\n"
		"-b will result in brief output (just the device name)\n\n"
		"umlnet additions:\n"
		"  -p               create a TAP device (the default)\n"
		"  -n               create a TUN device (IP packets, no Ethernet header)\n"
		"  --pi             keep the packet information header (default: IFF_NO_PI)\n"
		"  --vnet-hdr       enable the virtio-net header (IFF_VNET_HDR)\n"
		"  --multi-queue    create a multi-queue device (IFF_MULTI_QUEUE)\n"
		"  -l, --list       list tun/tap devices: mode, owner, group, persistence, flags\n"
		"  --json           with -l: print a JSON array\n"
		"  -h, --help       this text\n");
}

static void bad_usage(void)
{
	usage(stderr);
	exit(1);
}

/* The one interface-name rule (net/ifname.h): checked, never truncated. */
static int name_ok(const char *name, const char *what)
{
	const char *why = ifname_check(name, 0);

	if (why)
		fprintf(stderr, "tunctl: %s '%s' is not a valid interface "
			"name: %s\n", what, name, why);
	return !why;
}

static long parse_id(const char *s, int is_group)
{
	char *end;
	long v;

	if (is_group) {
		struct group *g = getgrnam(s);

		if (g)
			return (long)g->gr_gid;
	} else {
		struct passwd *p = getpwnam(s);

		if (p)
			return (long)p->pw_uid;
	}
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < 0 || v >= 0xffffffffL) {
		if (is_group)
			fprintf(stderr, "'%s' is neither a groupname nor a "
				"numeric group.\n", s);
		else
			fprintf(stderr, "'%s' is neither a username nor a "
				"numeric uid.\n", s);
		bad_usage();
	}
	return v;
}

static void parse_args(int argc, char **argv, struct tunctl_opts *o)
{
	static const struct option longopts[] = {
		{ "multi-queue", no_argument, NULL, OPT_MQ },
		{ "vnet-hdr", no_argument, NULL, OPT_VNET },
		{ "pi", no_argument, NULL, OPT_PI },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->clone = TUN_CLONE;
	o->owner = o->group = -1;
	o->flags = IFF_TAP | IFF_NO_PI;
	while ((c = getopt_long(argc, argv, "bd:f:t:u:g:nplh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b': o->brief = 1; break;
		case 'd': o->del = optarg; break;
		case 'f': o->clone = optarg; break;
		case 't': o->name = optarg; break;
		case 'u': o->owner = parse_id(optarg, 0); break;
		case 'g': o->group = parse_id(optarg, 1); break;
		case 'n': o->flags = (o->flags & ~IFF_TAP) | IFF_TUN; break;
		case 'p': o->flags = (o->flags & ~IFF_TUN) | IFF_TAP; break;
		case 'l': o->list = 1; break;
		case OPT_MQ: o->flags |= IFF_MULTI_QUEUE; break;
		case OPT_VNET: o->flags |= IFF_VNET_HDR; break;
		case OPT_PI: o->flags &= ~IFF_NO_PI; break;
		case OPT_JSON: o->json = 1; break;
		case 'h':
		case OPT_HELP: usage(stdout); exit(0);
		default: bad_usage();
		}
	}
	if (optind != argc || (o->json && !o->list) ||
	    (o->list && (o->del || o->name)) || (o->del && o->name))
		bad_usage();
}

/* Attach to (or create) @name with @flags; returns the fd or exits. */
static int tun_attach(const char *clone, const char *name, unsigned int flags,
		      char *ifname)
{
	struct ifreq ifr;
	int fd;

	fd = open(clone, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Failed to open '%s' : %s\n", clone,
			strerror(errno));
		exit(1);
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)flags;
	if (name)
		memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;

		if (e == EINVAL && name)
			fprintf(stderr, "TUNSETIFF: %s (does '%s' exist with "
				"another mode or flags? see tunctl -l)\n",
				strerror(e), name);
		else
			fprintf(stderr, "TUNSETIFF: %s\n", strerror(e));
		exit(1);
	}
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	ifname[IFNAMSIZ - 1] = '\0';
	return fd;
}

static int sysfs_stale(void)
{
	fprintf(stderr, "tunctl: /sys/class/net shows another network "
		"namespace (remount sysfs, e.g. run under ip netns exec)\n");
	return 1;
}

static int tun_delete(const struct tunctl_opts *o)
{
	char ifname[IFNAMSIZ];
	struct tun_info ti;
	int fd, ret;

	if (!name_ok(o->del, "device"))
		return 1;
	ret = tun_sysfs_read(o->del, &ti);
	if (ret == -EXDEV)
		return sysfs_stale();
	if (ret == -ENODEV) {
		fprintf(stderr, "tunctl: '%s': no such device\n", o->del);
		return 1;
	}
	if (ret < 0 || !ti.is_tun) {
		fprintf(stderr, "tunctl: '%s' is not a tun/tap device; "
			"refusing to delete it\n", o->del);
		return 1;
	}
	fd = tun_attach(o->clone, o->del, ti.flags & TUN_MODE_MASK, ifname);
	if (ioctl(fd, TUNSETPERSIST, 0UL) < 0) {
		perror("disabling TUNSETPERSIST");
		return 1;
	}
	printf("Set '%s' nonpersistent\n", ifname);
	close(fd);
	return 0;
}

static int tun_create(struct tunctl_opts *o)
{
	char ifname[IFNAMSIZ];
	struct tun_info ti;
	int fd, ret;

	if (o->name) {
		if (!name_ok(o->name, "device"))
			return 1;
		ret = tun_sysfs_read(o->name, &ti);
		if (ret == -EXDEV)
			return sysfs_stale();
		if (ret == 0 && !ti.is_tun) {
			fprintf(stderr, "tunctl: '%s' exists and is not a "
				"tun/tap device\n", o->name);
			return 1;
		}
	}
	if (o->owner < 0 && o->group < 0)
		o->owner = (long)geteuid();
	/* Not persistent until the last step: on failure close() removes it. */
	fd = tun_attach(o->clone, o->name, o->flags, ifname);
	if (o->owner >= 0 && ioctl(fd, TUNSETOWNER, (unsigned long)o->owner) < 0) {
		perror("TUNSETOWNER");
		return 1;
	}
	if (o->group >= 0 && ioctl(fd, TUNSETGROUP, (unsigned long)o->group) < 0) {
		perror("TUNSETGROUP");
		return 1;
	}
	if (ioctl(fd, TUNSETPERSIST, 1UL) < 0) {
		perror("enabling TUNSETPERSIST");
		return 1;
	}
	if (o->brief) {
		printf("%s\n", ifname);
	} else {
		printf("Set '%s' persistent and owned by", ifname);
		if (o->owner >= 0)
			printf(" uid %ld", o->owner);
		if (o->group >= 0)
			printf(" gid %ld", o->group);
		printf("\n");
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct tunctl_opts o;

	parse_args(argc, argv, &o);
	if (o.list)
		return tun_list(o.json);
	if (o.del)
		return tun_delete(&o);
	return tun_create(&o);
}
