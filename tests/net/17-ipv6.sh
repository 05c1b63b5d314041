#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 17-ipv6: two stock guests load the stock ipv6 module and ping each other
# over IPv6; neighbour discovery goes to solicited-node multicast
# (33:33:ff:..), so this checks multicast flooding with real IPv6 stacks.
. "$(dirname "$0")/lib.sh"
guest_modules ipv6.ko

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
for g in a b; do
	n=1; p=2; [ $g = b ] && { n=2; p=1; }
	guest_script $g <<EOF2
mkdir -p /tmp/mod
mount -t hostfs none /tmp/mod -o $MODDIR || exit 1
( $LOAD ) || { echo "cannot load ipv6.ko"; exit 1; }
ip link set eth0 up
echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad
ip -6 addr add fd00::$n/64 dev eth0 || exit 1
touch /t/$g.up
gw /t/$( [ $g = a ] && echo b || echo a ).up || exit 1
ping -6 -c 3 -w 15 fd00::$p || { echo "$g: no IPv6 reply from fd00::$p"; exit 1; }
ip -6 neigh show dev eth0
touch /t/$g.done
gw /t/$( [ $g = a ] && echo b || echo a ).done 60
EOF2
done
guest_start a eth0=daemon,,unix,"$CTL"
guest_start b eth0=daemon,,unix,"$CTL"
guest_ok a 90
guest_ok b 30
log "ok: IPv6 ping both ways (neighbour discovery over multicast)"
