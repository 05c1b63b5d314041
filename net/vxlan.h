/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vxlan.h: the VXLAN header (RFC 7348) and the VTEP table of the vxlan
 * transport, with no OS headers, so that they can be unit-tested and
 * fuzzed on their own.
 *
 * Header, 8 bytes: flags (0x08, the I flag: the VNI is valid; the other
 * bits reserved), 24 reserved bits, the 24-bit VNI, 8 reserved bits.
 * Reserved bits are sent as zero and ignored on receipt (RFC 7348 5).
 */
#ifndef UMLNET_VXLAN_H
#define UMLNET_VXLAN_H

#include <stddef.h>
#include <stdint.h>

#define VXLAN_HLEN	8
#define VXLAN_FLAG_I	0x08
#define VXLAN_VNI_MAX	0xffffffu
#define VXLAN_PORT	4789	/* IANA */

/* What vxlan_decode() makes of a datagram. */
enum vxlan_verdict {
	VXLAN_OK = 0,
	VXLAN_SHORT,		/* no whole header, or no Ethernet header after it */
	VXLAN_NO_I,		/* the I flag is clear */
	VXLAN_WRONG_VNI,	/* another segment's */
	VXLAN_TOO_BIG,		/* the inner frame is longer than allowed */
};

/**
 * vxlan_hdr_put() - write the header of segment @vni into @h
 * (VXLAN_HLEN bytes).
 */
void vxlan_hdr_put(uint8_t *h, uint32_t vni);

/**
 * vxlan_decode() - check a received datagram's header.
 * @h:		its first bytes (read only when @len >= VXLAN_HLEN)
 * @len:	the datagram's whole length
 * @vni:	the segment we are on
 * @max:	the longest inner frame taken
 * @inner:	set to the inner frame's length on VXLAN_OK
 *
 * Return: VXLAN_OK, or why the datagram must be dropped.
 */
enum vxlan_verdict vxlan_decode(const uint8_t *h, size_t len, uint32_t vni,
				size_t max, size_t *inner);

/*
 * The VTEP table: which remote tunnel end an inner source MAC was last
 * seen behind, for VXLAN_AGE_MS.  A VTEP is 16 bytes of address (IPv4 in
 * the first 4, the rest zero) and the UDP port it sent from.  Fixed size; a MAC that finds no free slot
 * in its probe window replaces the stalest entry there.
 */
#define VXLAN_FDB_SIZE	1024	/* a power of two */
#define VXLAN_FDB_PROBE	8
#define VXLAN_AGE_MS	300000	/* as the Linux vxlan device's ageing */
#define VXLAN_ADDR_LEN	16

struct vxlan_fdb_ent {
	uint64_t key;		/* mac_key() + 1; 0: free */
	uint64_t seen_ms;
	uint8_t vtep[VXLAN_ADDR_LEN];
	uint16_t port;		/* as it came, network order */
};

struct vxlan_fdb {
	struct vxlan_fdb_ent e[VXLAN_FDB_SIZE];
};

/**
 * vxlan_fdb_learn() - @mac (a unicast source) is behind @vtep, which sent
 * from UDP port @port, at @now_ms.
 */
void vxlan_fdb_learn(struct vxlan_fdb *t, const uint8_t *mac,
		     const uint8_t *vtep, uint16_t port, uint64_t now_ms);

/**
 * vxlan_fdb_lookup() - the VTEP @mac was learned behind, if it has been
 * seen in the last VXLAN_AGE_MS.
 * Return: its entry (vtep, port), or NULL.
 */
const struct vxlan_fdb_ent *vxlan_fdb_lookup(const struct vxlan_fdb *t,
					     const uint8_t *mac,
					     uint64_t now_ms);

#endif /* UMLNET_VXLAN_H */
