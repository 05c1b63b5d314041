/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uml_net.h: what the pieces of the setuid helper share. */
#ifndef UMLNET_UML_NET_H
#define UMLNET_UML_NET_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>

#define UML_NET_VERSION		4
#define UNET_MAX_GROUPS		64
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
 * @user:	user name (or the uid in decimal)
 * @groups:	the user's groups (primary first)
 * @ngroups:	how many
 * @pol:	the parsed policy (NULL: none, deny everything)
 * @nl:		route netlink socket
 * @tunfd:	/dev/net/tun, opened while still root (it is often 0600)
 */
struct unet_ctx {
	uid_t uid;
	gid_t gid;
	char user[64];
	gid_t groups[UNET_MAX_GROUPS];
	int ngroups;
	struct policy *pol;
	struct nl_sock *nl;
	int tunfd;
};

/* priv.c */
int priv_sanitize(const char **conf_path);
int priv_open_policy(const char *path, int *lockfd);
int priv_drop(struct unet_ctx *ctx);
void priv_drop_all(void);

/* output.c */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int out_is_dgram(void);
int out_finish(const char *ifname, int fd);
int write_all(int fd, const void *buf, size_t len);
void audit(const struct unet_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int refuse(const struct unet_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* policy.c */
enum pol_what { POL_GATEWAY, POL_GUEST };
struct policy *policy_load(int fd, const char *path);
void policy_free(struct policy *pol);
int policy_check_addr(const struct unet_ctx *ctx, enum pol_what what,
		      const struct unet_addr *addr, char *why, size_t len);
int policy_max_devices(const struct unet_ctx *ctx,
		       const struct unet_addr *gate);
int addr_parse(const char *s, struct unet_addr *out);
int addr_in_prefix(const struct unet_addr *a, const struct unet_addr *net,
		   int plen);
const char *addr_str(const struct unet_addr *a, char *buf, size_t len);

/* hostnl.c */
int hn_open(struct unet_ctx *ctx);
void hn_close(struct unet_ctx *ctx);
int hn_count_ours(struct unet_ctx *ctx);
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
