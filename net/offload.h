/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offload.h: the work a frame's sender left to the "hardware" of a
 * virtio-net device (the virtio_net_hdr in front of each frame): a TCP or
 * UDP checksum to fill in, or a TCP segment larger than the wire takes,
 * to cut into MSS-sized frames (TSO/GSO).  A receiver that can take such
 * a frame as it is (another virtio-net guest that negotiated the same
 * offloads) gets it with its header; for one that cannot, the switch does
 * the work in software here.  No OS headers: unit-tested and fuzzed.
 *
 * A header comes from a guest: off_parse() checks it against the frame
 * before any of its offsets is used.
 */
#ifndef UMLNET_OFFLOAD_H
#define UMLNET_OFFLOAD_H

#include <stddef.h>
#include <stdint.h>

/* virtio_net_hdr: flags, gso_type (virtio 1.x, 5.1.6) */
#define VNET_F_NEEDS_CSUM	1	/* fill in the checksum at csum_start */
#define VNET_F_DATA_VALID	2	/* (toward a guest) checksum checked */
#define VNET_GSO_NONE		0
#define VNET_GSO_TCPV4		1
#define VNET_GSO_TCPV6		4
#define VNET_GSO_ECN		0x80	/* the segment's TCP has CWR set */
#define VNET_HDR_LEN		10	/* without num_buffers */

/* One frame's header, host order.  All zero: nothing left to do. */
struct tp_vnet {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;	/* the sender's idea of its headers' length */
	uint16_t gso_size;	/* TCP payload bytes per segment */
	uint16_t csum_start;	/* the checksum covers [csum_start, end) */
	uint16_t csum_offset;	/* and goes at csum_start + csum_offset */
};

/* What a transport's send can take as it is (struct tp's offload) */
#define TP_OFF_CSUM	1	/* VNET_F_NEEDS_CSUM frames */
#define TP_OFF_TSO4	2	/* VNET_GSO_TCPV4 */
#define TP_OFF_TSO6	4	/* VNET_GSO_TCPV6 */
#define TP_OFF_ECN	8	/* VNET_GSO_ECN */

#define OFF_SEG_MAX	256u	/* segments of one GSO frame, at most */

/* Where a GSO frame's headers are (off_parse) */
struct off_pkt {
	uint16_t l3;		/* the IP header */
	uint16_t l4;		/* the TCP header (= csum_start) */
	uint16_t hlen;		/* every header: the payload starts here */
	uint16_t nseg;		/* frames it becomes */
	uint8_t v6;
};

/**
 * off_needs() - the TP_OFF_* bits a receiver must have to take frame
 * @vn as it is (0: any receiver can).
 */
static inline unsigned int off_needs(const struct tp_vnet *vn)
{
	unsigned int n = 0;

	if (!vn->flags && !vn->gso_type)
		return 0;
	if (vn->flags & VNET_F_NEEDS_CSUM)
		n |= TP_OFF_CSUM;
	switch (vn->gso_type & ~VNET_GSO_ECN) {
	case VNET_GSO_TCPV4:
		n |= TP_OFF_TSO4;
		break;
	case VNET_GSO_TCPV6:
		n |= TP_OFF_TSO6;
		break;
	}
	if (vn->gso_type & VNET_GSO_ECN)
		n |= TP_OFF_ECN;
	return n;
}

/**
 * off_move() - @vn's offsets for its frame with @delta more bytes (an
 * 802.1Q tag added; fewer: one removed) in front of the headers.
 */
static inline void off_move(struct tp_vnet *vn, int delta)
{
	vn->csum_start = (uint16_t)(vn->csum_start + delta);
	if (vn->hdr_len)
		vn->hdr_len = (uint16_t)(vn->hdr_len + delta);
}

/* Does @vn say anything (work left, or flags to check)? */
static inline int off_any(const struct tp_vnet *vn)
{
	return vn->flags || vn->gso_type;
}

static inline int off_is_gso(const struct tp_vnet *vn)
{
	return vn->gso_type != VNET_GSO_NONE;
}

/**
 * vnet_get() / vnet_put() - a header's first VNET_HDR_LEN bytes on the
 * wire (little-endian: virtio 1.x, and a legacy device on x86).
 */
void vnet_get(const uint8_t *b, struct tp_vnet *vn);
void vnet_put(uint8_t *b, const struct tp_vnet *vn);

/**
 * off_parse() - check header @vn against frame @f (@len bytes): known
 * flags; a checksum's place inside the frame; for GSO, a TCP segment in
 * IPv4 (no options are needed, no fragment) or IPv6 (TCP right after the
 * fixed header) behind Ethernet and any 802.1Q tags, the checksum at the
 * TCP header's, a payload, at most OFF_SEG_MAX segments.  Fills in @o
 * for a GSO frame (may be NULL otherwise).
 * Return: 0, or -EINVAL with @err saying what is wrong.
 */
int off_parse(const uint8_t *f, size_t len, const struct tp_vnet *vn,
	      struct off_pkt *o, char *err, size_t errlen);

/**
 * off_csum() - fill in the checksum frame @f (checked by off_parse())
 * left to do: the ones' complement sum from csum_start to the end, over
 * the pseudo-header sum the sender put in the checksum field.
 */
void off_csum(uint8_t *f, size_t len, const struct tp_vnet *vn);

/**
 * off_segment() - segment @i (of @o->nseg) of GSO frame @f, as a frame
 * of its own in @out (room for @o->hlen + @vn->gso_size bytes): headers
 * copied with the IP length, IPv4 id and checksum, TCP sequence number,
 * flags (FIN and PSH on the last segment only, CWR on the first) and
 * checksum of that segment.
 * Return: its length.
 */
size_t off_segment(const uint8_t *f, size_t len, const struct tp_vnet *vn,
		   const struct off_pkt *o, unsigned int i, uint8_t *out);

/**
 * off_sum() - ones' complement sum of @n bytes at @p (big-endian 16-bit
 * words, an odd last byte padded), added to @acc, not folded.
 * off_fold() - @acc folded to 16 bits.
 */
uint64_t off_sum(const uint8_t *p, size_t n, uint64_t acc);
uint16_t off_fold(uint64_t acc);

#endif /* UMLNET_OFFLOAD_H */
