// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slipeth.c: SLIP as Ethernet (see slipeth.h): headers added and removed,
 * ARP answered for the SLIP side, Ethernet neighbours learned.
 *
 * Theory of operation.  A SLIP line carries bare IP packets and has no
 * link addresses, so the Ethernet side sees the whole line as one station
 * with MAC se->mac.  From the line, a packet is checked to be IP and gets
 * a header: destination the MAC learned for its IPv4 destination (a LAN
 * with several hosts behind a switch), else se->unknown.  Towards the
 * line, IPv4 frames lose their header and padding, and ARP requests for
 * the SLIP side's address(es) are answered on its behalf with se->mac; the
 * reply is handed back to the caller, who queues it towards the Ethernet
 * side.  Every ARP packet and IPv4 frame teaches the sender's address.
 */
#include "slipeth.h"

/* ARP for IPv4 over Ethernet: offsets inside the ARP packet (RFC 826) */
#define ARP_HTYPE	0
#define ARP_PTYPE	2
#define ARP_HLEN	4
#define ARP_PLEN	5
#define ARP_OP		6
#define ARP_SHA		8
#define ARP_SPA		14
#define ARP_THA		18
#define ARP_TPA		24
#define ARP_SIZE	28
#define ARP_REQUEST	1
#define ARP_REPLY	2

static const uint8_t slipeth_bcast[ETH_ALEN_] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

void slipeth_init(struct slipeth *se, const uint8_t *mac,
		  const uint8_t *unknown, unsigned int flags)
{
	memset(se, 0, sizeof(*se));
	memcpy(se->mac, mac, ETH_ALEN_);
	memcpy(se->unknown, unknown ? unknown : slipeth_bcast, ETH_ALEN_);
	se->flags = flags;
}

static uint32_t slipeth_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);	/* stays in network order */
	return v;
}

/* ---- neighbours ------------------------------------------------------ */

static void slipeth_learn(struct slipeth *se, const uint8_t *ip,
			  const uint8_t *mac)
{
	uint32_t a = slipeth_get32(ip);
	unsigned int i;

	if (!(se->flags & SLIPETH_LEARN) || !a || a == se->peer_ip ||
	    mac_is_multicast(mac) || mac_is_zero(mac) ||
	    mac_equal(mac, se->mac))
		return;
	for (i = 0; i < SLIPETH_NEIGH; i++)
		if (se->neigh[i].ip == a)
			break;
	if (i == SLIPETH_NEIGH) {
		i = se->neigh_next;
		se->neigh_next = (se->neigh_next + 1) % SLIPETH_NEIGH;
	}
	se->neigh[i].ip = a;
	memcpy(se->neigh[i].mac, mac, ETH_ALEN_);
}

static const uint8_t *slipeth_lookup(const struct slipeth *se,
				     const uint8_t *ip)
{
	uint32_t a = slipeth_get32(ip);
	unsigned int i;

	if (se->flags & SLIPETH_LEARN)
		for (i = 0; i < SLIPETH_NEIGH; i++)
			if (se->neigh[i].ip && se->neigh[i].ip == a)
				return se->neigh[i].mac;
	return se->unknown;
}

/* ---- from the line --------------------------------------------------- */

int slipeth_ip_ok(const struct slipeth *se, const uint8_t *pkt, size_t len)
{
	size_t tot, ihl;

	if (!len)
		return 0;
	switch (pkt[0] >> 4) {
	case 4:
		if (len < 20)
			return 0;
		ihl = (size_t)(pkt[0] & 15) * 4;
		tot = frame_get16(pkt + 2);
		if (ihl < 20 || tot < ihl || tot > len)
			return 0;
		return ETH_TYPE_IPV4;
	case 6:
		if (!(se->flags & SLIPETH_IPV6) || len < 40 ||
		    40 + (size_t)frame_get16(pkt + 4) > len)
			return 0;
		return ETH_TYPE_IPV6;
	}
	return 0;
}

int slipeth_to_eth(const struct slipeth *se, uint8_t *hdr, const uint8_t *pkt,
		   size_t len)
{
	int type = slipeth_ip_ok(se, pkt, len);

	if (!type)
		return 0;
	memcpy(hdr, type == ETH_TYPE_IPV4 ? slipeth_lookup(se, pkt + 16) :
	       se->unknown, ETH_ALEN_);
	memcpy(hdr + ETH_ALEN_, se->mac, ETH_ALEN_);
	frame_put16(hdr + 12, (uint16_t)type);
	return type;
}

/* ---- towards the line ------------------------------------------------ */

/* Is @ip (network order, 4 bytes at @p) one the SLIP side answers for? */
static int slipeth_ours(const struct slipeth *se, const uint8_t *p)
{
	uint32_t ip = slipeth_get32(p);

	if (!(se->flags & SLIPETH_ARP_ANY))
		return se->peer_ip && ip == se->peer_ip;
	return ip && ip != se->not_ip[0] && ip != se->not_ip[1];
}

static int slipeth_arp(struct slipeth *se, const uint8_t *f, size_t len,
		       uint8_t *r)
{
	const uint8_t *a = f + ETH_HLEN_;

	if (len < ETH_HLEN_ + ARP_SIZE || frame_get16(a + ARP_HTYPE) != 1 ||
	    frame_get16(a + ARP_PTYPE) != ETH_TYPE_IPV4 ||
	    a[ARP_HLEN] != ETH_ALEN_ || a[ARP_PLEN] != 4)
		return SLIPETH_DROP;
	slipeth_learn(se, a + ARP_SPA, a + ARP_SHA);
	/* a request, not an announcement (sender = target), for us */
	if (frame_get16(a + ARP_OP) != ARP_REQUEST ||
	    !memcmp(a + ARP_SPA, a + ARP_TPA, 4) ||
	    !slipeth_ours(se, a + ARP_TPA))
		return SLIPETH_DROP;
	memcpy(r, a + ARP_SHA, ETH_ALEN_);		/* to the asker */
	memcpy(r + ETH_ALEN_, se->mac, ETH_ALEN_);
	frame_put16(r + 12, ETH_TYPE_ARP);
	r += ETH_HLEN_;
	memcpy(r, a, ARP_OP);				/* htype..plen */
	frame_put16(r + ARP_OP, ARP_REPLY);
	memcpy(r + ARP_SHA, se->mac, ETH_ALEN_);
	memcpy(r + ARP_SPA, a + ARP_TPA, 4);		/* the asked address */
	memcpy(r + ARP_THA, a + ARP_SHA, ETH_ALEN_ + 4);	/* tha, tpa */
	return SLIPETH_REPLY;
}

int slipeth_to_line(struct slipeth *se, const uint8_t *f, size_t len,
		    const uint8_t **pkt, size_t *plen, uint8_t *reply)
{
	const uint8_t *ip = f + ETH_HLEN_;
	size_t n, tot;

	if (len < ETH_HLEN_)
		return SLIPETH_DROP;
	switch (frame_get16(f + 12)) {
	case ETH_TYPE_ARP:
		return slipeth_arp(se, f, len, reply);
	case ETH_TYPE_IPV4:
		break;
	default:
		return SLIPETH_DROP;
	}
	n = len - ETH_HLEN_;
	if (n < 20 || ip[0] >> 4 != 4)
		return SLIPETH_DROP;
	slipeth_learn(se, ip + 12, frame_src(f));
	if (!(se->flags & SLIPETH_ANY_DST) && !mac_equal(frame_dst(f), se->mac))
		return SLIPETH_DROP;
	tot = frame_get16(ip + 2);
	if (tot >= 20 && tot < n)	/* Ethernet padding */
		n = tot;
	*pkt = ip;
	*plen = n;
	return SLIPETH_SEND;
}

void slipeth_announce(const struct slipeth *se, uint32_t ip, uint8_t *out)
{
	uint8_t *a = out + ETH_HLEN_;

	memcpy(out, slipeth_bcast, ETH_ALEN_);
	memcpy(out + ETH_ALEN_, se->mac, ETH_ALEN_);
	frame_put16(out + 12, ETH_TYPE_ARP);
	frame_put16(a + ARP_HTYPE, 1);
	frame_put16(a + ARP_PTYPE, ETH_TYPE_IPV4);
	a[ARP_HLEN] = ETH_ALEN_;
	a[ARP_PLEN] = 4;
	frame_put16(a + ARP_OP, ARP_REQUEST);
	memcpy(a + ARP_SHA, se->mac, ETH_ALEN_);
	memcpy(a + ARP_SPA, &ip, 4);
	memset(a + ARP_THA, 0, ETH_ALEN_);
	memcpy(a + ARP_TPA, &ip, 4);
}
