// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_slipeth.c: libFuzzer target for SLIP as Ethernet (net/slipeth.c),
 * in the slip transport's configuration and in uml_slirp's: the input is
 * an Ethernet frame towards the line (what comes back must be a packet
 * inside the frame, or a well-formed ARP reply for an address of the SLIP
 * side) and a packet from the line (its header must match what
 * slipeth_ip_ok() says).  The first byte picks the configuration; the
 * state (learned neighbours) carries over between inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "slipeth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[6] = { 0x02, 0x53, 0x4c, 0x49, 0x50, 0x00 };
static const uint8_t slirp_mac[6] = { 0x52, 0x55, 10, 0, 2, 2 };
static struct slipeth cfg[2];
static int ready;

static void fuzz_setup(void)
{
	slipeth_init(&cfg[0], mac, NULL, SLIPETH_IPV6 | SLIPETH_LEARN);
	memcpy(&cfg[0].peer_ip, "\x0a\x00\x00\x02", 4);
	slipeth_init(&cfg[1], mac, slirp_mac,
		     SLIPETH_ANY_DST | SLIPETH_ARP_ANY);
	memcpy(&cfg[1].not_ip[0], "\x0a\x00\x02\x02", 4);
	memcpy(&cfg[1].not_ip[1], "\x0a\x00\x02\x03", 4);
	ready = 1;
}

static void fuzz_to_line(struct slipeth *se, const uint8_t *f, size_t len)
{
	uint8_t reply[SLIPETH_ARP_LEN];
	const uint8_t *ip = NULL;
	size_t plen = 0;

	switch (slipeth_to_line(se, f, len, &ip, &plen, reply)) {
	case SLIPETH_SEND:
		if (ip != f + 14 || plen < 20 || plen > len - 14 ||
		    (ip[0] >> 4) != 4)
			__builtin_trap();
		if (!(se->flags & SLIPETH_ANY_DST) && memcmp(f, se->mac, 6))
			__builtin_trap();
		break;
	case SLIPETH_REPLY:
		/* a reply from the SLIP side to the asker, about the asked
		 * address, which is one the SLIP side answers for */
		if (len < 42 || frame_get16(reply + 12) != ETH_TYPE_ARP ||
		    memcmp(reply + 6, se->mac, 6) ||
		    frame_get16(reply + 20) != 2 ||
		    memcmp(reply + 22, se->mac, 6) ||
		    memcmp(reply + 28, f + 38, 4) ||
		    memcmp(reply, f + 22, 6) || memcmp(reply + 32, f + 22, 10))
			__builtin_trap();
		if (!(se->flags & SLIPETH_ARP_ANY) &&
		    memcmp(reply + 28, &se->peer_ip, 4))
			__builtin_trap();
		if ((se->flags & SLIPETH_ARP_ANY) &&
		    (!memcmp(reply + 28, &se->not_ip[0], 4) ||
		     !memcmp(reply + 28, &se->not_ip[1], 4)))
			__builtin_trap();
		break;
	case SLIPETH_DROP:
		break;
	default:
		__builtin_trap();
	}
}

static void fuzz_to_eth(const struct slipeth *se, const uint8_t *p,
			size_t len)
{
	uint8_t hdr[14];
	int ok = slipeth_ip_ok(se, p, len);
	int type = slipeth_to_eth(se, hdr, p, len);

	if (type != ok)
		__builtin_trap();
	if (!type)
		return;
	if (memcmp(hdr + 6, se->mac, 6) || frame_get16(hdr + 12) != type)
		__builtin_trap();
	if (type == ETH_TYPE_IPV6 && !(se->flags & SLIPETH_IPV6))
		__builtin_trap();
	if (type == ETH_TYPE_IPV4 &&
	    (len < 20 || frame_get16(p + 2) > len || (p[0] & 15) < 5))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slipeth *se;
	uint8_t announce[SLIPETH_ARP_LEN];

	if (!ready)
		fuzz_setup();
	if (size < 1)
		return 0;
	se = &cfg[data[0] & 1];
	fuzz_to_line(se, data + 1, size - 1);
	fuzz_to_eth(se, data + 1, size - 1);
	if (size >= 5) {
		uint32_t ip;

		memcpy(&ip, data + 1, 4);
		slipeth_announce(se, ip, announce);
		/* what we announce, the other configuration would not
		 * answer (sender = target) */
		if (slipeth_to_line(&cfg[!(data[0] & 1)], announce,
				    sizeof(announce), NULL, NULL,
				    announce) != SLIPETH_DROP)
			__builtin_trap();
	}
	return 0;
}
