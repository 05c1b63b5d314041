// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap.c: a host interface through libpcap (spec 8): frames captured on it
 * (inbound only, so our own injections are not seen again), optionally
 * through a BPF filter, and frames injected back onto it.
 *
 * Spec: pcap[,HOSTIF[,FILTER[,OPT1[,OPT2[,MAC]]]]]  (the MAC comes last)
 *   or  pcap:if=..,filter=..,opt1=..,opt2=..,mac=..
 * HOSTIF defaults to eth0; OPT1/OPT2 are promisc (default), nopromisc,
 * optimize, nooptimize (default).  A filter cannot contain a comma.
 */
#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "transport.h"

#define PCAP_DEFAULT_IF	"eth0"
#define PCAP_SNAPLEN	(FRAME_MAX + 1)

struct tp_pcap {
	struct tp tp;		/* tp.fd: pcap_get_selectable_fd() */
	pcap_t *p;
	uint8_t mac[ETH_ALEN_];
};

static const char *const tpcap_keys[] = {
	"if", "filter", "opt1", "opt2", "mac", NULL
};

static int tpcap_opt(const char *o, int *promisc, int *optimize, char *err,
		    size_t errlen)
{
	if (!o)
		return 0;
	if (!strcmp(o, "promisc"))
		*promisc = 1;
	else if (!strcmp(o, "nopromisc"))
		*promisc = 0;
	else if (!strcmp(o, "optimize"))
		*optimize = 1;
	else if (!strcmp(o, "nooptimize"))
		*optimize = 0;
	else {
		snprintf(err, errlen,
			 "pcap: bad option '%s' (promisc, nopromisc, optimize"
			 " or nooptimize)", o);
		return -EINVAL;
	}
	return 0;
}

static int tpcap_filter(struct tp_pcap *c, const char *ifname,
		       const char *filter, int optimize, char *err,
		       size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	bpf_u_int32 net, mask;
	int ret;

	if (pcap_lookupnet(ifname, &net, &mask, ebuf))
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(c->p, &prog, filter, optimize, mask)) {
		snprintf(err, errlen, "pcap: bad filter '%s': %s", filter,
			 pcap_geterr(c->p));
		return -EINVAL;
	}
	ret = pcap_setfilter(c->p, &prog);
	pcap_freecode(&prog);
	if (ret) {
		snprintf(err, errlen, "pcap: install filter '%s': %s", filter,
			 pcap_geterr(c->p));
		return -EINVAL;
	}
	return 0;
}

static int tpcap_start(struct tp_pcap *c, const char *ifname, int promisc,
		      char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int ret;

	c->p = pcap_create(ifname, ebuf);
	if (!c->p) {
		snprintf(err, errlen, "pcap: interface '%s': %s", ifname, ebuf);
		return -ENODEV;
	}
	pcap_set_snaplen(c->p, PCAP_SNAPLEN);
	pcap_set_promisc(c->p, promisc);
	pcap_set_immediate_mode(c->p, 1);
	ret = pcap_activate(c->p);
	if (ret < 0) {
		snprintf(err, errlen, "pcap: interface '%s': %s%s%s", ifname,
			 pcap_statustostr(ret),
			 ret == PCAP_ERROR_NO_SUCH_DEVICE ? "" : ": ",
			 ret == PCAP_ERROR_NO_SUCH_DEVICE ? "" :
			 pcap_geterr(c->p));
		return ret == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV :
		       ret == PCAP_ERROR_PERM_DENIED ? -EPERM : -EIO;
	}
	if (pcap_datalink(c->p) != DLT_EN10MB) {
		snprintf(err, errlen, "pcap: interface '%s' is not Ethernet",
			 ifname);
		return -EINVAL;
	}
	if (pcap_setdirection(c->p, PCAP_D_IN) ||
	    pcap_setnonblock(c->p, 1, ebuf)) {
		snprintf(err, errlen, "pcap: interface '%s': %s", ifname,
			 pcap_geterr(c->p));
		return -EIO;
	}
	c->tp.fd = pcap_get_selectable_fd(c->p);
	if (c->tp.fd < 0) {
		snprintf(err, errlen, "pcap: interface '%s' cannot be polled",
			 ifname);
		return -EINVAL;
	}
	return 0;
}

static void tpcap_close(struct tp *tp)
{
	struct tp_pcap *c = (struct tp_pcap *)tp;

	if (c->p)
		pcap_close(c->p);	/* closes tp.fd */
	c->p = NULL;
	tp->fd = -1;
}

static int tpcap_open(struct tp *tp, const struct tp_spec *s, char *err,
			size_t errlen)
{
	struct tp_pcap *c = (struct tp_pcap *)tp;
	const char *ifname = tp_spec_get(s, "if");
	const char *filter = tp_spec_get(s, "filter");
	const char *mac = tp_spec_get(s, "mac");
	int promisc = 1, optimize = 0, ret;

	if (!ifname)
		ifname = PCAP_DEFAULT_IF;
	if (strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ) {
		snprintf(err, errlen, "pcap: interface name '%s' longer than %d",
			 ifname, IFNAMSIZ - 1);
		return -ENAMETOOLONG;
	}
	ret = tpcap_opt(tp_spec_get(s, "opt1"), &promisc, &optimize, err,
		       errlen);
	if (!ret)
		ret = tpcap_opt(tp_spec_get(s, "opt2"), &promisc, &optimize,
			       err, errlen);
	if (ret)
		return ret;
	if (mac && mac_parse(mac, c->mac)) {
		snprintf(err, errlen, "pcap: bad MAC address '%s'", mac);
		return -EINVAL;
	}
	ret = tpcap_start(c, ifname, promisc, err, errlen);
	if (!ret && filter)
		ret = tpcap_filter(c, ifname, filter, optimize, err, errlen);
	if (ret)
		tpcap_close(tp);
	return ret;
}

static int tpcap_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	struct tp_pcap *c = (struct tp_pcap *)tp;
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = pcap_next_ex(c->p, &h, &data);
		if (ret == 0)
			break;
		if (ret < 0)	/* e.g. the interface went away */
			return i ? (int)i : -ENETDOWN;
		/* pcap owns its ring: copy (at most cap), report the real
		 * length so that an oversized frame shows as len > cap */
		memcpy(f[i].buf, data, h->caplen < f[i].cap ? h->caplen :
		       f[i].cap);
		f[i].len = h->len;
	}
	return (int)i;
}

static int tpcap_send(struct tp *tp, const struct tp_frame *f,
			unsigned int n)
{
	struct tp_pcap *c = (struct tp_pcap *)tp;
	unsigned int i;

	for (i = 0; i < n; i++) {
		errno = 0;
		if (pcap_inject(c->p, f[i].buf, f[i].len) >= 0)
			continue;
		if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
			break;
		/* a frame the interface refuses (size): drop just that one */
		if (errno == EMSGSIZE || errno == EINVAL)
			continue;
		return i ? (int)i : (errno ? -errno : -EIO);
	}
	return (int)i;
}

const struct tp_ops tp_pcap_ops = {
	.name = "pcap",
	.keys = tpcap_keys,
	.size = sizeof(struct tp_pcap),
	.open = tpcap_open,
	.recv = tpcap_recv,
	.send = tpcap_send,
	.close = tpcap_close,
};
