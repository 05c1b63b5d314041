// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap.c: a host interface through libpcap (the removed UML pcap transport's
 * grammar, arch/um/drivers/pcap_kern.c, removed from Linux in 2025): frames captured on it
 * (inbound only, so our own injections are not seen again), optionally
 * through a BPF filter, and frames injected back onto it.
 *
 * Spec: pcap[,HOSTIF[,FILTER[,OPT1[,OPT2[,MAC]]]]]  (the MAC comes last)
 *   or  pcap:if=..,filter=..,opt1=..,opt2=..,mac=..
 * HOSTIF defaults to eth0; OPT1/OPT2 are promisc (default), nopromisc,
 * optimize, nooptimize (default).  A filter cannot contain a comma.
 * The interface going down or away is an error (-ENETDOWN): the port ends.
 */
#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "frame.h"
#include "ifname.h"
#include "transport.h"

#define PCAP_DEFAULT_IF	"eth0"
#define PCAP_SNAPLEN	(FRAME_MAX + 1)

struct tp_pcap {
	struct tp tp;		/* tp.fd: pcap_get_selectable_fd() */
	pcap_t *p;
	char ifname[IFNAMSIZ];
	uint8_t stage[FRAME_MAX];	/* a frame that spans two segments */
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
	int promisc = 1, optimize = 0, ret;
	const char *why;

	if (!ifname)
		ifname = PCAP_DEFAULT_IF;
	why = ifname_check(ifname, 0);
	if (why) {
		snprintf(err, errlen, "pcap: bad interface name '%s': %s",
			 ifname, why);
		return -EINVAL;
	}
	ret = tpcap_opt(tp_spec_get(s, "opt1"), &promisc, &optimize, err,
		       errlen);
	if (!ret)
		ret = tpcap_opt(tp_spec_get(s, "opt2"), &promisc, &optimize,
			       err, errlen);
	if (ret)
		return ret;
	memcpy(c->ifname, ifname, strlen(ifname) + 1);
	ret = tpcap_start(c, ifname, promisc, err, errlen);
	if (!ret && filter)
		ret = tpcap_filter(c, ifname, filter, optimize, err, errlen);
	if (ret)
		tpcap_close(tp);
	return ret;
}

/* ---- checksums left for the NIC ------------------------------------------
 * A frame sent by this host (say from the far end of a veth) is captured
 * before any NIC fills in its TCP/UDP checksum: the field still holds the
 * pseudo-header sum only (CHECKSUM_PARTIAL).  Injected into a LAN such a
 * frame is dropped by every receiver, so where the field holds exactly that
 * sum, the real checksum is computed here.  (A correct checksum that
 * happens to equal it is recomputed to the same value.)  Offloaded
 * segmentation cannot be undone here: frames longer than the buffers are
 * reported as such, so a local peer needs gso_max_segs 1 or TSO/GSO off.
 */

static uint32_t tpcap_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t tpcap_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* @l4: the TCP/UDP header, @len bytes of segment, @pseudo: the pseudo-header
 * sum (addresses, protocol, length). */
static void tpcap_fix_l4(uint8_t *l4, size_t len, int proto, uint32_t pseudo)
{
	size_t off = proto == 6 ? 16 : 6;
	uint16_t stored, c;

	if (len < (proto == 6 ? 20u : 8u))
		return;
	stored = (uint16_t)(l4[off] << 8 | l4[off + 1]);
	if (stored != tpcap_fold(pseudo))
		return;
	l4[off] = l4[off + 1] = 0;
	c = (uint16_t)~tpcap_fold(tpcap_sum(pseudo, l4, len));
	if (proto == 17 && !c)
		c = 0xffff;
	l4[off] = (uint8_t)(c >> 8);
	l4[off + 1] = (uint8_t)c;
}

static void tpcap_fix_csum(uint8_t *f, size_t len)
{
	size_t h = ETH_HLEN_, ihl, tot;
	uint8_t *ip;
	int type;

	type = len >= ETH_HLEN_ ? frame_get16(f + 12) : -1;
	if (type == ETH_TYPE_8021Q && len >= ETH_HLEN_ + 4) {
		type = frame_get16(f + 16);
		h += 4;
	}
	ip = f + h;
	if (type == ETH_TYPE_IPV4 && len >= h + 20) {
		ihl = (size_t)(ip[0] & 15) * 4;
		tot = frame_get16(ip + 2);
		if (ihl < 20 || tot < ihl || h + tot > len ||
		    (ip[6] & 0x3f) || ip[7] || (ip[9] != 6 && ip[9] != 17))
			return;	/* short, or a fragment, or not TCP/UDP */
		tpcap_fix_l4(ip + ihl, tot - ihl, ip[9],
			     tpcap_sum(ip[9] + (uint32_t)(tot - ihl),
				       ip + 12, 8));
	} else if (type == ETH_TYPE_IPV6 && len >= h + 40) {
		tot = frame_get16(ip + 4);
		if (h + 40 + tot > len || (ip[6] != 6 && ip[6] != 17))
			return;	/* short, or extension headers */
		tpcap_fix_l4(ip + 40, tot, ip[6],
			     tpcap_sum(ip[6] + (uint32_t)tot, ip + 8, 32));
	}
}

/* Woken with nothing to read: the interface may have gone down or away.
 * That shows as a socket error (ENETDOWN, POLLERR) which libpcap may
 * already have taken and kept to itself, so look at the interface too. */
static int tpcap_check(struct tp_pcap *c)
{
	socklen_t len = sizeof(int);
	struct ifreq ifr;
	int e = 0;

	if (!getsockopt(c->tp.fd, SOL_SOCKET, SO_ERROR, &e, &len) && e)
		return -e;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, c->ifname, sizeof(ifr.ifr_name));
	if (ioctl(c->tp.fd, SIOCGIFFLAGS, &ifr))
		return errno == ENODEV ? -ENODEV : 0;
	return ifr.ifr_flags & IFF_UP ? 0 : -ENETDOWN;
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
		if (ret == 0 && !i)
			return tpcap_check(c);
		if (ret == 0)
			break;
		if (ret < 0)	/* e.g. the interface went away */
			return i ? (int)i : -ENETDOWN;
		/* pcap owns its ring: copy, fixing offloaded checksums in a
		 * contiguous copy; the real length is reported, so that an
		 * oversized frame shows as len > room */
		if (h->caplen != h->len || h->len > sizeof(c->stage)) {
			tp_frame_write(&f[i], 0, data, h->caplen);
		} else if (h->len <= f[i].cap) {
			memcpy(f[i].buf, data, h->len);
			tpcap_fix_csum(f[i].buf, h->len);
		} else {
			memcpy(c->stage, data, h->len);
			tpcap_fix_csum(c->stage, h->len);
			tp_frame_write(&f[i], 0, c->stage, h->len);
		}
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

static const int tp_pcap_syscalls[] = {
	SYS_poll, SYS_recvfrom, SYS_sendto, SYS_write, SYS_getsockopt,
	SYS_setsockopt, SYS_ioctl, SYS_munmap, SYS_close, -1
};

const struct tp_ops tp_pcap_ops = {
	.name = "pcap",
	.keys = tpcap_keys,
	.size = sizeof(struct tp_pcap),
	.open = tpcap_open,
	.recv = tpcap_recv,
	.send = tpcap_send,
	.close = tpcap_close,
	.syscalls = tp_pcap_syscalls,
};
