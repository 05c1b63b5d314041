#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net/vlan-lib.sh: what the VLAN tests (39, 52) share, sourced after
# lib.sh: stock guests with 802.1Q interfaces.
#   vlan_guest NAME N "VIDS" "ADDRS" [LINES]
#                           write guest NAME's script: load the stock
#                           8021q module, make eth0.V with 10.V.0.N/24 for
#                           each V of VIDS (V 1: plain eth0 gets 10.1.0.N,
#                           the native VLAN), touch /t/NAME.up, wait for
#                           /t/go, ping each of ADDRS (3 of 3), run the
#                           shell LINES, touch /t/NAME.pinged and wait for
#                           /t/done
#   vlan_guests_ping NAME...  wait for each guest's .up, touch $T/go, wait
#                           for each one's .pinged (fail with its tails)
guest_modules 8021q.ko

vlan_guest() {
	local g=$1 n=$2 vids=$3 addrs=$4 lines=${5:-}
	guest_script "$g" <<EOF2
mkdir -p /tmp/mod
mount -t hostfs none /tmp/mod -o $MODDIR || exit 1
( $LOAD ) || { echo "cannot load 8021q.ko"; exit 1; }
ip link set eth0 up
for v in $vids; do
	if [ \$v = 1 ]; then
		ip addr add 10.1.0.$n/24 dev eth0
		continue
	fi
	ip link add link eth0 name eth0.\$v type vlan id \$v 2>/dev/null ||
		vconfig add eth0 \$v || exit 1
	ip link set eth0.\$v up
	ip addr add 10.\$v.0.$n/24 dev eth0.\$v
done
touch /t/$g.up
gw /t/go 120 || exit 1
for a in $addrs; do
	ping -c 3 -w 15 \$a || { echo "$g: no reply from \$a"; exit 1; }
done
$lines
touch /t/$g.pinged
gw /t/done 180
EOF2
}

vlan_guests_ping() {
	local g
	for g in "$@"; do
		busywait 120 eval "[ -e '$T/$g.up' ] || [ -e '$T/$g.rc' ]" && [ -e "$T/$g.up" ] ||
			{ guest_ok "$g" 5; fail "guest $g did not make its VLAN interfaces"; }
	done
	touch "$T/go"
	for g in "$@"; do
		busywait 120 eval "[ -e '$T/$g.pinged' ] || [ -e '$T/$g.rc' ]" && [ -e "$T/$g.pinged" ] ||
			{ touch "$T/done"; guest_ok "$g" 10; fail "guest $g: its pings failed"; }
	done
}
