// SPDX-License-Identifier: GPL-2.0-or-later
/* list.c: tunctl's view of tun/tap devices through /sys/class/net. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tunctl.h"

#define SYS_NET "/sys/class/net"

static int sysfs_read_long(const char *name, const char *attr, int base,
			   long *val)
{
	char path[PATH_MAX], buf[64], *end;
	FILE *f;

	snprintf(path, sizeof(path), SYS_NET "/%s/%s", name, attr);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	errno = 0;
	*val = strtol(buf, &end, base);
	if (errno || end == buf || (*end && *end != '\n'))
		return -EINVAL;
	return 0;
}

/**
 * tun_sysfs_read() - look a device up in sysfs.
 * @name:	interface name (already validated)
 * @ti:		filled in
 *
 * Return: 0 if the device exists (tun or not, see @ti->is_tun),
 * -ENODEV if it does not, -EXDEV if /sys/class/net belongs to another
 * network namespace, another -errno on a read error.
 */
int tun_sysfs_read(const char *name, struct tun_info *ti)
{
	char path[PATH_MAX];
	long v;
	int ret;

	unsigned int idx;

	memset(ti, 0, sizeof(*ti));
	ti->owner = ti->group = -1;
	/* existence in *this* network namespace, then a sysfs that shows it */
	idx = if_nametoindex(name);
	if (!idx)
		return -ENODEV;
	snprintf(path, sizeof(path), SYS_NET "/%s", name);
	if (sysfs_read_long(name, "ifindex", 10, &v) < 0 || v != (long)idx)
		return -EXDEV;
	ret = sysfs_read_long(name, "tun_flags", 16, &v);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ret;
	ti->is_tun = 1;
	ti->flags = (unsigned int)v;
	if (sysfs_read_long(name, "owner", 10, &v) == 0)
		ti->owner = v;
	if (sysfs_read_long(name, "group", 10, &v) == 0)
		ti->group = v;
	return 0;
}

static void id_name(char *buf, size_t len, long id, int is_group)
{
	if (id < 0) {
		snprintf(buf, len, "-");
	} else if (is_group) {
		struct group *g = getgrgid((gid_t)id);

		snprintf(buf, len, "%s", g ? g->gr_name : "");
	} else {
		struct passwd *p = getpwuid((uid_t)id);

		snprintf(buf, len, "%s", p ? p->pw_name : "");
	}
	if (!buf[0])
		snprintf(buf, len, "%ld", id);
}

static void flag_words(char *buf, size_t len, unsigned int f)
{
	static const struct { unsigned int bit; const char *word; } tab[] = {
		{ IFF_NO_PI, "no_pi" }, { IFF_VNET_HDR, "vnet_hdr" },
		{ IFF_MULTI_QUEUE, "multi_queue" }, { IFF_ONE_QUEUE, "one_queue" },
		{ IFF_NAPI, "napi" }, { IFF_NAPI_FRAGS, "napi_frags" },
	};
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!(f & tab[i].bit))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
				      tab[i].word);
		if (o >= len)
			break;
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* JSON string: names may hold any byte but '/', ':' and whitespace. */
static void json_str(const char *key, const char *s)
{
	printf("\"%s\": \"", key);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	printf("\"");
}

static void list_json_one(const char *name, const struct tun_info *ti,
			  const char *owner, const char *group,
			  const char *flags, int first)
{
	printf("%s\n  {", first ? "" : ",");
	json_str("name", name);
	printf(", \"mode\": \"%s\", \"owner\": %ld, ",
	       ti->flags & IFF_TUN ? "tun" : "tap", ti->owner);
	json_str("owner_name", ti->owner < 0 ? "" : owner);
	printf(", \"group\": %ld, ", ti->group);
	json_str("group_name", ti->group < 0 ? "" : group);
	printf(", \"persist\": %s, ",
	       ti->flags & IFF_PERSIST ? "true" : "false");
	json_str("flags", flags);
	printf(", \"tun_flags\": %u}", ti->flags);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/**
 * tun_list() - print every tun/tap device with mode, owner, group,
 * persistence and flags, as a table or as a JSON array.
 * @json:	non-zero for JSON
 *
 * Return: 0, or 1 if /sys/class/net cannot be read.
 */
int tun_list(int json)
{
	struct dirent **ents;
	int n, i, first = 1;

	n = scandir(SYS_NET, &ents, NULL, name_cmp);
	if (n < 0) {
		fprintf(stderr, "tunctl: " SYS_NET ": %s\n", strerror(errno));
		return 1;
	}
	if (json)
		printf("[");
	else
		printf("%-16s %-4s %-12s %-12s %-7s %s\n", "NAME", "MODE",
		       "OWNER", "GROUP", "PERSIST", "FLAGS");
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char owner[64], group[64], flags[128];
		struct tun_info ti;

		if (name[0] == '.' || strlen(name) >= IFNAMSIZ ||
		    tun_sysfs_read(name, &ti) < 0 || !ti.is_tun)
			continue;
		id_name(owner, sizeof(owner), ti.owner, 0);
		id_name(group, sizeof(group), ti.group, 1);
		flag_words(flags, sizeof(flags), ti.flags);
		if (json)
			list_json_one(name, &ti, owner, group, flags, first);
		else
			printf("%-16s %-4s %-12s %-12s %-7s %s\n", name,
			       ti.flags & IFF_TUN ? "tun" : "tap", owner, group,
			       ti.flags & IFF_PERSIST ? "yes" : "no", flags);
		first = 0;
	}
	if (json)
		printf("%s]\n", first ? "" : "\n");
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return 0;
}
