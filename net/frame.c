// SPDX-License-Identifier: GPL-2.0-or-later
/* frame.c: Ethernet header and MAC address helpers. */
#include <errno.h>
#include <stdio.h>

#include "frame.h"

int frame_ethertype(const uint8_t *f, size_t len, int *vlan)
{
	size_t off = 2 * ETH_ALEN_;
	int type;

	if (vlan)
		*vlan = -1;
	if (len < ETH_HLEN_)
		return -1;
	type = frame_get16(f + off);
	/* 802.1Q and 802.1ad tags: 2 bytes type + 2 TCI. */
	while (type == ETH_TYPE_8021Q || type == ETH_TYPE_8021AD) {
		if (len < off + 6)
			return -1;
		if (vlan && *vlan < 0)
			*vlan = frame_get16(f + off + 2) & 0x0fff;
		off += 4;
		type = frame_get16(f + off);
	}
	return type;
}

char *mac_format(const uint8_t *mac, char *buf)
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mac_parse(const char *s, uint8_t *mac)
{
	int i, hi, lo;

	for (i = 0; i < ETH_ALEN_; i++) {
		hi = hexval(s[0]);
		if (hi < 0)
			return -EINVAL;
		lo = hexval(s[1]);
		if (lo < 0) {	/* one-digit octet: "a:b:..." */
			mac[i] = hi;
			s += 1;
		} else {
			mac[i] = hi << 4 | lo;
			s += 2;
		}
		if (i < ETH_ALEN_ - 1) {
			if (*s != ':')
				return -EINVAL;
			s++;
		}
	}
	return *s ? -EINVAL : 0;
}
