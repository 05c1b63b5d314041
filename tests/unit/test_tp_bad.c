// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tp_bad.c: bad tuntap and pcap options are refused before anything
 * is opened, with a message naming the offending part.  (mcast/ucast and
 * slip have theirs in test_tp_udp.c and test_tp_slip.c.)
 */
#include <stdio.h>
#include <string.h>

#include "transport.h"
#include "test.h"

int main(void)
{
	static const struct bad_spec bad[] = {
		{ "tuntap,abcdefghijklmnop", "abcdefghijklmnop" },
		{ "tuntap,a/b", "a/b" },
		{ "tuntap,tap%d", "tap%d" },
		{ "tuntap,tap0,fe:fd:00:00:00", "fe:fd:00:00:00" },
		{ "tuntap:dev=tap0,offload=2", "offload '2'" },
		{ "tuntap:dev=tap0,offload=yes", "0 or 1" },
		{ "tuntap:fd=3,offload=1", "not fd=" },
		{ "tuntap,tap0,,10.0.0", "10.0.0" },
		{ "tuntap,tap0,,,x", "'x'" },
		{ "tuntap:dev=tap0,gateway=1.2.3.4", "gateway" },
		{ "tuntap:dev=tap0,dev=tap1", "twice" },
		{ "tuntap:fd=3x", "3x" },
		{ "tuntap:dev=tap0,fd=3", "not both" },
		{ "tuntap:fd=0", "not a tap" },
		{ "pcap,abcdefghijklmnop", "abcdefghijklmnop" },
		{ "pcap,lo,,promisc,fast", "fast" },
		{ "pcap,lo,,PROMISC", "PROMISC" },
		{ "pcap,lo,,,,02:00:00:00:00:0g", "02:00:00:00:00:0g" },
		{ "pcap,lo,,,,,x", "'x'" },
		{ "pcap:if=lo,direction=out", "direction" },
		{ NULL, NULL },
	};
	check_bad_specs(bad);
	TEST_DONE("test_tp_bad");
}
