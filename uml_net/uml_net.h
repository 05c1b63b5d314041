/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uml_net.h: what the pieces of the setuid helper share. */
#ifndef UMLNET_UML_NET_H
#define UMLNET_UML_NET_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>

#include "helper.h"		/* net/: the reply format */

#define UML_NET_VERSION		UNET_HELPER_VERSION
#define UNET_MAX_GROUPS		1024	/* more: the caller is refused */
#define UNET_MAX_RECLAIM	64	/* devices (routes) handled per run */
#define UNET_LOCK_WAIT		5	/* s: the longest wait for the lock */
#define UNET_MARK_FMT		"uml_net:uid=%u"	/* ifalias of our devices */
#ifndef UML_NET_CONF
#define UML_NET_CONF		"/etc/umlnet/uml_net.conf"
#endif

struct policy;
struct nl_sock;

/**
 * struct unet_addr - one IPv4 or IPv6 address.
 * @family:	AF_INET or AF_INET6
 * @a:		the address bytes (4 or 16 used)
 */
struct unet_addr {
	int family;
	unsigned char a[16];
};

/**
 * struct unet_ctx - the caller and the state of one run.
 * @uid:	real uid of the caller (the user we act for)
 * @gid:	real gid
 * @user:	user name, for messages only (or the uid in decimal)
 * @groups:	the process's groups as the kernel has them: the real gid,
 *		then getgroups()
 * @ngroups:	how many
 * @pol:	the parsed policy (NULL: none)
 * @no_policy:	there is no policy file at all (not a bad one): real uid 0
 *		is then allowed everything, everyone else nothing
 * @nl:		route netlink socket
 * @tunfd:	/dev/net/tun, opened while still root (it is often 0600)
 * @reply_fd:	the device fd to pass back ("tuntap up"), or -1
 * @reply_dev:	its name
 */
struct unet_ctx {
	uid_t uid;
	gid_t gid;
	char user[64];
	gid_t groups[UNET_MAX_GROUPS];
	int ngroups;
	struct policy *pol;
	int no_policy;
	struct nl_sock *nl;
	int tunfd;
	int reply_fd;
	char reply_dev[UNET_REPLY_NAME_LEN];
};

/**
 * struct nd_link - what a link dump tells about one link.
 * @ifindex:	index
 * @name:	name
 * @kind:	IFLA_INFO_KIND ("tun", "veth", ...), or ""
 * @alias:	IFLA_IFALIAS, or ""
 * @persist:	tun only: IFLA_TUN_PERSIST (0/1), -1 if not told
 * @queues:	tun only: fds attached (enabled and disabled queues)
 */
struct nd_link {
	int ifindex;
	char name[UNET_REPLY_NAME_LEN];	/* IFNAMSIZ */
	char kind[16];
	char alias[257];
	int persist;
	unsigned int queues;
};
typedef int (*nd_link_fn)(const struct nd_link *l, void *arg);

/* priv.c */
int priv_sanitize(const char **conf_path);
int priv_open_policy(const char *path, int *lockfd);
int priv_identify(struct unet_ctx *ctx);
int priv_drop(struct unet_ctx *ctx);
void priv_name(struct unet_ctx *ctx);
void priv_drop_all(void);

/* lock.c */
int lock_user(int lockfd, uid_t uid);
void lock_release(int lockfd, uid_t uid);

/* output.c */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int out_is_dgram(void);
int out_finish(const char *ifname, int fd);
int write_all(int fd, const void *buf, size_t len);
void audit(const struct unet_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int refuse(const struct unet_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* policy.c */
enum pol_what { POL_GATEWAY, POL_GUEST };
struct policy *policy_load(int fd, const char *path, char *err, size_t len);
void policy_free(struct policy *pol);
int policy_check_addr(const struct unet_ctx *ctx, enum pol_what what,
		      const struct unet_addr *addr, char *why, size_t len);
int policy_max_devices(const struct unet_ctx *ctx,
		       const struct unet_addr *gate);
int addr_parse(const char *s, struct unet_addr *out);
const char *addr_not_unicast(const struct unet_addr *a);
const char *addr_not_host(const struct unet_addr *a, int plen);
int addr_in_prefix(const struct unet_addr *a, const struct unet_addr *net,
		   int plen);
const char *addr_str(const struct unet_addr *a, char *buf, size_t len);

/* hostnl.c */
int hn_open(struct unet_ctx *ctx, char *err, size_t len);
void hn_close(struct unet_ctx *ctx);
int hn_count_ours(struct unet_ctx *ctx);
int hn_reclaim(struct unet_ctx *ctx);
int hn_guest_routed(struct unet_ctx *ctx, int ifindex,
		    const struct unet_addr *addr);
int hn_is_ours(struct unet_ctx *ctx, const char *dev, int *ifindex,
	       char *why, size_t len);
int hn_setup_dev(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *gate, int mtu);
int hn_guest_add(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr);
int hn_guest_del(struct unet_ctx *ctx, const char *dev, int ifindex,
		 const struct unet_addr *addr);
int hn_link_del(struct unet_ctx *ctx, const char *dev, int ifindex);
int hn_ip_forward(int family);

/* nldump.c */
int nd_links(struct unet_ctx *ctx, nd_link_fn fn, void *arg);
int nd_proxy_count(struct unet_ctx *ctx, int family, int ifindex);

/* tap.c */
int tap_up(struct unet_ctx *ctx, int argc, char **argv);
int tap_addr(struct unet_ctx *ctx, int add, int argc, char **argv);
int dev_name_ok(const struct unet_ctx *ctx, const char *name);
int gate_allowed(struct unet_ctx *ctx, const char *arg,
		 struct unet_addr *gate);
int tun_create(struct unet_ctx *ctx, const char *name, short flags,
	       char *ifname, int *ifindex);

/* slip.c */
int slip_up(struct unet_ctx *ctx, int argc, char **argv);
int slip_down(struct unet_ctx *ctx, int argc, char **argv);

#endif /* UMLNET_UML_NET_H */
