// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nldump.c: the route netlink dumps whose answers libnl-route does not
 * parse, done with libnl's core (message and attribute helpers): every
 * link with its alias and, for tun devices, IFLA_TUN_PERSIST and the
 * number of attached queues; and the proxy neighbour entries of one
 * interface.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "nllib.h"
#include "uml_net.h"

struct nd_walk {
	nd_link_fn fn;
	void *arg;
	int ifindex;		/* nd_proxy_count: the interface */
	int count;
	int ret;
};

static void nd_tun_info(struct nlattr *data, struct nd_link *l)
{
	struct nlattr *td[IFLA_TUN_MAX + 1];

	if (NL(nla_parse_nested)(td, IFLA_TUN_MAX, data, NULL) < 0)
		return;
	if (td[IFLA_TUN_PERSIST])
		l->persist = NL(nla_get_u8)(td[IFLA_TUN_PERSIST]);
	if (td[IFLA_TUN_NUM_QUEUES])
		l->queues = NL(nla_get_u32)(td[IFLA_TUN_NUM_QUEUES]);
	if (td[IFLA_TUN_NUM_DISABLED_QUEUES])
		l->queues += NL(nla_get_u32)(td[IFLA_TUN_NUM_DISABLED_QUEUES]);
}

static int nd_link_msg(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct nlmsghdr *h = NL(nlmsg_hdr)(msg);
	struct nd_walk *w = arg;
	struct ifinfomsg *ifi;
	struct nd_link l;

	if (h->nlmsg_type != RTM_NEWLINK ||
	    NL(nlmsg_parse)(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_SKIP;
	ifi = NL(nlmsg_data)(h);
	memset(&l, 0, sizeof(l));
	l.ifindex = ifi->ifi_index;
	l.persist = -1;
	if (tb[IFLA_IFNAME])
		NL(nla_strlcpy)(l.name, tb[IFLA_IFNAME], sizeof(l.name));
	if (tb[IFLA_IFALIAS])
		NL(nla_strlcpy)(l.alias, tb[IFLA_IFALIAS], sizeof(l.alias));
	if (tb[IFLA_LINKINFO] &&
	    NL(nla_parse_nested)(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO],
				 NULL) == 0 && li[IFLA_INFO_KIND]) {
		NL(nla_strlcpy)(l.kind, li[IFLA_INFO_KIND], sizeof(l.kind));
		if (!strcmp(l.kind, "tun") && li[IFLA_INFO_DATA])
			nd_tun_info(li[IFLA_INFO_DATA], &l);
	}
	w->ret = w->fn(&l, w->arg);
	return w->ret < 0 ? NL_STOP : NL_OK;
}

static int nd_neigh_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = NL(nlmsg_hdr)(msg);
	struct nd_walk *w = arg;
	struct ndmsg *nd;

	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
		return NL_SKIP;
	nd = NL(nlmsg_data)(h);
	if ((nd->ndm_flags & NTF_PROXY) && nd->ndm_ifindex == w->ifindex)
		w->count++;
	return NL_OK;
}

/* Send one dump request (header @hdr) and feed every answer to @fn. */
static int nd_dump(struct unet_ctx *ctx, int type, void *hdr, size_t len,
		   nl_recvmsg_msg_cb_t fn, struct nd_walk *w)
{
	struct nl_cb *cb = NL(nl_cb_alloc)(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	NL(nl_cb_set)(cb, NL_CB_VALID, NL_CB_CUSTOM, fn, w);
	ret = NL(nl_send_simple)(ctx->nl, type, NLM_F_DUMP, hdr, len);
	if (ret >= 0)
		ret = NL(nl_recvmsgs)(ctx->nl, cb);
	NL(nl_cb_put)(cb);
	if (ret < 0)
		return -EIO;
	return w->ret < 0 ? w->ret : 0;
}

/**
 * nd_links() - call @fn for every link of the namespace.
 * @ctx:	run state (ctx->nl connected)
 * @fn:		callback; a negative return stops the walk and is returned
 * @arg:	its argument
 *
 * Return: 0 or -errno.
 */
int nd_links(struct unet_ctx *ctx, nd_link_fn fn, void *arg)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nd_walk w = { .fn = fn, .arg = arg };

	return nd_dump(ctx, RTM_GETLINK, &ifi, sizeof(ifi), nd_link_msg, &w);
}

/**
 * nd_proxy_count() - how many proxy neighbour entries of @family are on
 * interface @ifindex.
 * @ctx:	run state
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the interface
 *
 * Return: the count, or -errno.
 */
int nd_proxy_count(struct unet_ctx *ctx, int family, int ifindex)
{
	struct ndmsg nd = { .ndm_family = (unsigned char)family,
			    .ndm_flags = NTF_PROXY };
	struct nd_walk w = { .ifindex = ifindex };
	int ret;

	ret = nd_dump(ctx, RTM_GETNEIGH, &nd, sizeof(nd), nd_neigh_msg, &w);
	return ret < 0 ? ret : w.count;
}
