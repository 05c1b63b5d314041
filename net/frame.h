/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * frame.h: Ethernet and 802.1Q helpers with no OS headers, so that they can
 * be unit-tested and fuzzed on their own.
 */
#ifndef UMLNET_FRAME_H
#define UMLNET_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ETH_ALEN_	6
#define ETH_HLEN_	14
#define FRAME_MIN	14	/* a frame shorter than this has no header */
#define FRAME_MAX	65535	/* largest frame carried (jumbo) */
#define MAC_STRLEN	18	/* "xx:xx:xx:xx:xx:xx" + NUL */

/* EtherTypes (IEEE 802 numbers; <net/ethernet.h> is an OS header) */
#define ETH_TYPE_IPV4	0x0800
#define ETH_TYPE_ARP	0x0806
#define ETH_TYPE_8021Q	0x8100
#define ETH_TYPE_IPV6	0x86dd
#define ETH_TYPE_8021AD	0x88a8

/* Big-endian (network order) 16-bit fields, unaligned-safe. */
static inline uint16_t frame_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void frame_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t frame_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void frame_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline const uint8_t *frame_dst(const void *f)
{
	return (const uint8_t *)f;
}

static inline const uint8_t *frame_src(const void *f)
{
	return (const uint8_t *)f + ETH_ALEN_;
}

/* Group bit: broadcast and multicast destinations. */
static inline int mac_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

static inline int mac_is_zero(const uint8_t *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

static inline int mac_equal(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, ETH_ALEN_);
}

/* 48-bit MAC as an integer key: cheap to hash and compare. */
static inline uint64_t mac_key(const uint8_t *mac)
{
	return (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	       (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 |
	       (uint64_t)mac[4] << 8 | mac[5];
}

/**
 * frame_ethertype() - EtherType of a frame, looking past 802.1Q/802.1ad tags.
 * @f:		frame
 * @len:	its length
 * @vlan:	set to the first VLAN id, or -1 when untagged (may be NULL)
 *
 * Return: the EtherType, or -1 if the frame is too short.
 */
int frame_ethertype(const uint8_t *f, size_t len, int *vlan);

/**
 * mac_format() - write "xx:xx:xx:xx:xx:xx" into @buf (MAC_STRLEN bytes).
 * Return: @buf.
 */
char *mac_format(const uint8_t *mac, char *buf);

/**
 * mac_parse() - parse six ':'-separated hex octets.
 * Return: 0, or -EINVAL on anything else (trailing text included).
 */
int mac_parse(const char *s, uint8_t *mac);

#endif /* UMLNET_FRAME_H */
