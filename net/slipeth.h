/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slipeth.h: SLIP as Ethernet, with no OS headers: the bare IP packets of a
 * SLIP line (RFC 1055 framing is net/slip.h) get an Ethernet header one
 * way and lose it the other, and ARP is answered for the SLIP side, which
 * cannot answer it itself.  Used by the slip transport (a SLIP line as a
 * switch port) and by uml_slirp's legacy mode (a SLIP guest in front of
 * libslirp, which speaks Ethernet).
 */
#ifndef UMLNET_SLIPETH_H
#define UMLNET_SLIPETH_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

#define SLIPETH_ARP_LEN		42	/* Ethernet + ARP for IPv4 */
#define SLIPETH_NEIGH		8

/* flags */
#define SLIPETH_IPV6		0x1	/* IPv6 packets cross the line too */
#define SLIPETH_LEARN		0x2	/* address frames by learned senders */
#define SLIPETH_ANY_DST		0x4	/* send IPv4 whatever its destination
					 * MAC (else only what is sent to mac) */
#define SLIPETH_ARP_ANY		0x8	/* answer ARP for every address but
					 * not_ip[] (else only for peer_ip) */

struct slipeth_neigh {
	uint32_t ip;		/* network order; 0 = free */
	uint8_t mac[ETH_ALEN_];
};

/**
 * struct slipeth - one SLIP line seen as an Ethernet station.
 * @mac:	the address that stands for the SLIP side
 * @unknown:	destination of packets from the line while none is learned
 *		(broadcast, or the one station there is)
 * @peer_ip:	ARP is answered for this IPv4 address (network order; 0:
 *		for none), unless SLIPETH_ARP_ANY
 * @not_ip:	with SLIPETH_ARP_ANY: addresses of the Ethernet side, never
 *		answered (0 = unused)
 * @flags:	SLIPETH_*
 * @neigh:	with SLIPETH_LEARN: IPv4 address -> MAC of the Ethernet hosts
 *		seen (from ARP and IPv4 senders), replaced round robin
 */
struct slipeth {
	uint8_t mac[ETH_ALEN_];
	uint8_t unknown[ETH_ALEN_];
	uint32_t peer_ip;
	uint32_t not_ip[2];
	unsigned int flags;
	struct slipeth_neigh neigh[SLIPETH_NEIGH];
	unsigned int neigh_next;
};

enum slipeth_verdict {
	SLIPETH_DROP,		/* nothing for the line */
	SLIPETH_SEND,		/* encode the IP packet given back */
	SLIPETH_REPLY,		/* hand the ARP reply given back to the
				 * Ethernet side */
};

/**
 * slipeth_init() - set up @se: no neighbours, no ARP answers yet.
 * @se:		the state
 * @mac:	the address standing for the SLIP side
 * @unknown:	destination while not learned (NULL: broadcast)
 * @flags:	SLIPETH_*
 */
void slipeth_init(struct slipeth *se, const uint8_t *mac,
		  const uint8_t *unknown, unsigned int flags);

/**
 * slipeth_ip_ok() - is @pkt a packet the line may carry: an IPv4 header
 * (version 4, header length >= 5 words, 20 <= total length <= @len, the
 * header inside the total) or, with SLIPETH_IPV6, an IPv6 one (40 bytes,
 * payload inside @len)?
 * Return: ETH_TYPE_IPV4 or ETH_TYPE_IPV6, 0 if not.
 */
int slipeth_ip_ok(const struct slipeth *se, const uint8_t *pkt, size_t len);

/**
 * slipeth_to_eth() - the Ethernet header for a packet from the line.
 * @se:		the state
 * @hdr:	14 bytes, written: destination (learned or @se->unknown),
 *		source @se->mac, EtherType from the version nibble
 * @pkt:	the decoded packet
 * @len:	its length
 *
 * Return: the EtherType, or 0 if the packet is not one slipeth_ip_ok()
 * accepts (drop it; @hdr is untouched).
 */
int slipeth_to_eth(const struct slipeth *se, uint8_t *hdr, const uint8_t *pkt,
		   size_t len);

/**
 * slipeth_to_line() - what an Ethernet frame means for the line.
 * @se:		the state (neighbours are learned from @f)
 * @f:		the frame
 * @len:	its length
 * @pkt:	SLIPETH_SEND: set to the IPv4 packet inside @f
 * @plen:	SLIPETH_SEND: its length, Ethernet padding cut by the IPv4
 *		total length
 * @reply:	SLIPETH_REPLY: SLIPETH_ARP_LEN bytes, the answer to an ARP
 *		request for an address of the SLIP side
 *
 * IPv4 to @se->mac (any destination with SLIPETH_ANY_DST) is sent; ARP
 * requests are answered by the rules of struct slipeth; everything else
 * (IPv6: there is no neighbour discovery over SLIP; other types; runts)
 * is dropped.
 *
 * Return: enum slipeth_verdict.
 */
int slipeth_to_line(struct slipeth *se, const uint8_t *f, size_t len,
		    const uint8_t **pkt, size_t *plen, uint8_t *reply);

/**
 * slipeth_announce() - a gratuitous ARP request (sender = target = @ip,
 * from @se->mac, to broadcast), so that the Ethernet side knows the SLIP
 * side's MAC before it asks.
 * @se:		the state
 * @ip:		the address (network order)
 * @out:	SLIPETH_ARP_LEN bytes
 */
void slipeth_announce(const struct slipeth *se, uint32_t ip, uint8_t *out);

#endif /* UMLNET_SLIPETH_H */
