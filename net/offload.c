// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offload.c: checking a virtio_net_hdr against its frame, filling in a
 * checksum, cutting a TCP segment (see offload.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "offload.h"

#define ERR(...)	snprintf(err, errlen, __VA_ARGS__)

#define IP_PROTO_TCP	6
#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_CWR		0x80

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void vnet_get(const uint8_t *b, struct tp_vnet *vn)
{
	vn->flags = b[0];
	vn->gso_type = b[1];
	vn->hdr_len = get_le16(b + 2);
	vn->gso_size = get_le16(b + 4);
	vn->csum_start = get_le16(b + 6);
	vn->csum_offset = get_le16(b + 8);
}

void vnet_put(uint8_t *b, const struct tp_vnet *vn)
{
	b[0] = vn->flags;
	b[1] = vn->gso_type;
	put_le16(b + 2, vn->hdr_len);
	put_le16(b + 4, vn->gso_size);
	put_le16(b + 6, vn->csum_start);
	put_le16(b + 8, vn->csum_offset);
}

/*
 * The sum in the machine's byte order, 32 bits at a time (RFC 1071: the
 * ones' complement sum does not care about byte order but for a swap of
 * the result), then turned into the big-endian sum.
 */
uint64_t off_sum(const uint8_t *p, size_t n, uint64_t acc)
{
	uint64_t s = 0;
	uint32_t w;
	uint16_t h;

	for (; n >= 4; p += 4, n -= 4) {
		memcpy(&w, p, 4);
		s += w;
	}
	if (n >= 2) {
		memcpy(&h, p, 2);
		s += h;
		p += 2;
		n -= 2;
	}
	if (n) {	/* the odd byte is the high half of a big-endian word */
		h = 0;
		memcpy(&h, p, 1);
		s += h;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (uint16_t)(s << 8 | s >> 8);
#endif
	return acc + s;
}

uint16_t off_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* Offset of the L3 header, past any 802.1Q / 802.1ad tags; *@type its
 * EtherType.  Return: 0, or -1 if the frame ends first. */
static int l3_offset(const uint8_t *f, size_t len, size_t *off, int *type)
{
	size_t o = 2 * ETH_ALEN_;

	if (len < ETH_HLEN_)
		return -1;
	*type = frame_get16(f + o);
	while (*type == ETH_TYPE_8021Q || *type == ETH_TYPE_8021AD) {
		o += 4;
		if (len < o + 2)
			return -1;
		*type = frame_get16(f + o);
	}
	*off = o + 2;
	return 0;
}

/* The IP and TCP headers of GSO frame @f into @o. */
static int gso_parse(const uint8_t *f, size_t len, const struct tp_vnet *vn,
		     struct off_pkt *o, char *err, size_t errlen)
{
	int v6 = (vn->gso_type & ~VNET_GSO_ECN) == VNET_GSO_TCPV6, type;
	size_t l3, l4, hlen, payload, nseg;

	if (l3_offset(f, len, &l3, &type) ||
	    type != (v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IPV4)) {
		ERR("GSO TCPv%d frame: not an IPv%d packet", v6 ? 6 : 4,
		    v6 ? 6 : 4);
		return -EINVAL;
	}
	if (v6) {
		if (len < l3 + 40 || f[l3] >> 4 != 6 ||
		    f[l3 + 6] != IP_PROTO_TCP) {
			ERR("GSO TCPv6 frame: no TCP right after the IPv6 "
			    "header");
			return -EINVAL;
		}
		l4 = l3 + 40;
	} else {
		if (len < l3 + 20 || f[l3] >> 4 != 4 || (f[l3] & 15) < 5 ||
		    f[l3 + 9] != IP_PROTO_TCP ||
		    (frame_get16(f + l3 + 6) & 0x3fff)) {
			ERR("GSO TCPv4 frame: not a whole TCP packet in "
			    "IPv4");
			return -EINVAL;
		}
		l4 = l3 + 4 * (f[l3] & 15);
	}
	if (vn->csum_start != l4 || vn->csum_offset != 16) {
		ERR("GSO frame: checksum at %u+%u, not at the TCP header's "
		    "(%zu+16)", vn->csum_start, vn->csum_offset, l4);
		return -EINVAL;
	}
	if (len < l4 + 20 || f[l4 + 12] >> 4 < 5 ||
	    l4 + 4 * (f[l4 + 12] >> 4) > len) {
		ERR("GSO frame: TCP header cut short");
		return -EINVAL;
	}
	hlen = l4 + 4 * (f[l4 + 12] >> 4);
	payload = len - hlen;
	if (!payload || !vn->gso_size || hlen + vn->gso_size > FRAME_MAX) {
		ERR("GSO frame: %zu payload bytes in segments of %u", payload,
		    vn->gso_size);
		return -EINVAL;
	}
	nseg = (payload + vn->gso_size - 1) / vn->gso_size;
	if (nseg > OFF_SEG_MAX) {
		ERR("GSO frame: %zu segments (at most %u)", nseg,
		    OFF_SEG_MAX);
		return -EINVAL;
	}
	o->l3 = (uint16_t)l3;
	o->l4 = (uint16_t)l4;
	o->hlen = (uint16_t)hlen;
	o->nseg = (uint16_t)nseg;
	o->v6 = (uint8_t)v6;
	return 0;
}

int off_parse(const uint8_t *f, size_t len, const struct tp_vnet *vn,
	      struct off_pkt *o, char *err, size_t errlen)
{
	unsigned int gso = vn->gso_type & ~VNET_GSO_ECN;
	struct off_pkt dummy;

	if (vn->flags & ~(VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID)) {
		ERR("virtio-net header: unknown flags 0x%x", vn->flags);
		return -EINVAL;
	}
	if (gso != VNET_GSO_NONE && gso != VNET_GSO_TCPV4 &&
	    gso != VNET_GSO_TCPV6) {
		ERR("virtio-net header: GSO type %u (not offered)", gso);
		return -EINVAL;
	}
	if (!(vn->flags & VNET_F_NEEDS_CSUM)) {
		if (vn->gso_type) {
			ERR("virtio-net header: GSO without a checksum to "
			    "fill in");
			return -EINVAL;
		}
		return 0;
	}
	if (vn->csum_start < ETH_HLEN_ ||
	    (size_t)vn->csum_start + vn->csum_offset + 2 > len) {
		ERR("virtio-net header: checksum at %u+%u of a %zu-byte "
		    "frame", vn->csum_start, vn->csum_offset, len);
		return -EINVAL;
	}
	if (gso == VNET_GSO_NONE) {
		if (vn->gso_type) {
			ERR("virtio-net header: ECN without GSO");
			return -EINVAL;
		}
		return 0;
	}
	return gso_parse(f, len, vn, o ? o : &dummy, err, errlen);
}

void off_csum(uint8_t *f, size_t len, const struct tp_vnet *vn)
{
	uint8_t *c = f + vn->csum_start + vn->csum_offset;
	uint16_t s;

	s = (uint16_t)~off_fold(off_sum(f + vn->csum_start,
					len - vn->csum_start, 0));
	/* 0 would mean "no checksum" to UDP; 0xffff is the same sum */
	if (!s)
		s = 0xffff;
	frame_put16(c, s);
}

size_t off_segment(const uint8_t *f, size_t len, const struct tp_vnet *vn,
		   const struct off_pkt *o, unsigned int i, uint8_t *out)
{
	size_t off = (size_t)i * vn->gso_size, chunk = len - o->hlen - off;
	size_t n, tcplen;
	uint8_t *ip = out + o->l3, *tcp = out + o->l4;
	uint64_t acc;

	if (chunk > vn->gso_size)
		chunk = vn->gso_size;
	n = o->hlen + chunk;
	memcpy(out, f, o->hlen);
	memcpy(out + o->hlen, f + o->hlen + off, chunk);
	tcplen = n - o->l4;
	if (o->v6) {
		frame_put16(ip + 4, (uint16_t)(n - o->l3 - 40));
		acc = off_sum(ip + 8, 32, 0);
	} else {
		frame_put16(ip + 2, (uint16_t)(n - o->l3));
		frame_put16(ip + 4, (uint16_t)(frame_get16(ip + 4) + i));
		frame_put16(ip + 10, 0);
		frame_put16(ip + 10, (uint16_t)~off_fold(
			off_sum(ip, o->l4 - o->l3, 0)));
		acc = off_sum(ip + 12, 8, 0);
	}
	frame_put32(tcp + 4, frame_get32(tcp + 4) + (uint32_t)off);
	if (i + 1 < o->nseg)
		tcp[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (i)
		tcp[13] &= (uint8_t)~TCP_CWR;
	frame_put16(tcp + 16, 0);
	acc += IP_PROTO_TCP + tcplen;
	frame_put16(tcp + 16, (uint16_t)~off_fold(off_sum(tcp, tcplen, acc)));
	return n;
}
