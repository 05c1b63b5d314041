#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 67-kernel-pcap: our kernel with eth0=pcap,HOSTIF (libpcap, linked into the
# kernel dynamically) on one end of a veth pair; a namespace on the far end
# and the guest ping each other.  A filter is accepted too (a second boot
# with eth0="pcap,IF,arp or icmp,..." still pings); a bad option names itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

NSG=pg$UID8
NSP=pp$UID8
netns_add "$NSG"
netns_add "$NSP"
VA=pa$UID8
VB=pb$UID8
veth_add "$VA" "$VB" "$NSG" "$NSP"
ip -n "$NSP" addr add 10.67.0.1/24 dev "$VB" || fail "address on $VB"

run() {	# run TAG SPEC
	local tag=$1 spec=$2
	guest_script g <<'EOF2'
ip addr add 10.67.0.2/24 dev eth0
ip link set eth0 up
ping -c 4 -w 20 10.67.0.1 || { echo "g: no reply over pcap"; exit 1; }
echo pinged
EOF2
	# the kernel's own quoting keeps a filter's spaces in one parameter
	GUEST_NS=$NSG our_guest g "eth0=\"$spec\""
	guest_ok g 90
	grep -q '4 packets received' "$T/g.out" || fail "$tag: $(grep packets "$T/g.out")"
	log "ok: $tag: guest on eth0=$spec pinged the far namespace 4/4"
}
run plain "pcap,$VA,,,,fe:fd:0a:43:00:02"
console_has g 'Netdevice 0 \(fe:fd:0a:43:00:02\)' || fail "no Netdevice line with the MAC (last field)"
run filter "pcap,$VA,arp or icmp,promisc,nooptimize"

guest_script bad <<'EOF2'
[ ! -e /sys/class/net/eth0 ] || { echo "eth0 exists"; exit 1; }
EOF2
GUEST_NS=$NSG our_guest bad eth0="pcap,$VA,,sideways"
guest_ok bad 60
console_has bad 'eth0: .*sideways' || fail "bad pcap option not named: $(grep -a eth0 "$T/bad.console")"
log "ok: pcap transport in our kernel"
