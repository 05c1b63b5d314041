#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 61-kernel-mixed: a guest of our kernel and a guest of the stock Debian
# kernel on one of our switches ping each other over IPv4 and IPv6 (the
# stock guest loads its ipv6 module; ours has IPv6 built in).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

switch_start sw -unix "$T/sw.ctl"
IPV6_STOCK=$(stock_ipv6_script)

guest_script ours <<EOF2
ip addr add 10.0.0.1/24 dev eth0
echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad
ip -6 addr add fd00:61::1/64 dev eth0 || exit 1
ip link set eth0 up
touch /t/ours.up
gw /t/stock.up || exit 1
ping -c 4 -w 15 10.0.0.2 || { echo "ours: no IPv4 reply"; exit 1; }
ping -6 -c 4 -w 15 fd00:61::2 || { echo "ours: no IPv6 reply"; exit 1; }
touch /t/ours.done
gw /t/stock.done 60
EOF2
guest_script stock <<EOF2
$IPV6_STOCK
ip addr add 10.0.0.2/24 dev eth0
echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad
ip -6 addr add fd00:61::2/64 dev eth0 || exit 1
ip link set eth0 up
touch /t/stock.up
gw /t/ours.up || exit 1
ping -c 4 -w 15 10.0.0.1 || { echo "stock: no IPv4 reply"; exit 1; }
ping -6 -c 4 -w 15 fd00:61::1 || { echo "stock: no IPv6 reply"; exit 1; }
touch /t/stock.done
gw /t/ours.done 60
EOF2
our_guest ours eth0=daemon,fe:fd:0a:00:61:01,unix,"$SWITCH_CTL"
stock_guest stock eth0=daemon,fe:fd:0a:00:61:02,unix,"$SWITCH_CTL"
guest_ok ours 90
guest_ok stock 30
for g in ours stock; do
	[ "$(grep -c '4 packets received' "$T/$g.out")" = 2 ] ||
		fail "$g: not 4/4 over both IPv4 and IPv6: $(grep packets "$T/$g.out")"
done
log "ok: our kernel and the stock kernel pinged each other over IPv4 and IPv6"
