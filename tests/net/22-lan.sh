#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 22-lan: a small lab LAN: four stock guests and a namespace host on a -tap
# port, all on one switch; every guest pings every other station.
. "$(dirname "$0")/lib.sh"

NS=ln$UID8
TAP=lt$UID8
netns_add "$NS"
tap_add "$TAP" "$NS"
ip -n "$NS" addr add 10.0.0.254/24 dev "$TAP"
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" -tap "$TAP"

G="1 2 3 4"
for i in $G; do
	others=
	for j in $G; do [ $j = $i ] || others="$others 10.0.0.$j"; done
	guest_script g$i <<EOF2
ip addr add 10.0.0.$i/24 dev eth0
ip link set eth0 up
touch /t/g$i.up
for j in $G; do gw /t/g\$j.up 60 || exit 1; done
rc=0
for ip in $others 10.0.0.254; do
	ping -c 2 -w 10 \$ip >/dev/null || { echo "g$i: no reply from \$ip"; rc=1; }
done
touch /t/g$i.done
gw /t/host.done 90
exit \$rc
EOF2
done
for i in $G; do GUEST_NS=$NS guest_start g$i eth0=daemon,,unix,"$T/sw.ctl"; done
busywait 120 eval "[ -e '$T/g1.done' ] && [ -e '$T/g2.done' ] && [ -e '$T/g3.done' ] && [ -e '$T/g4.done' ] || ls '$T'/g*.rc >/dev/null 2>&1"
for i in $G; do
	nsx "$NS" ping -c 1 -w 5 10.0.0.$i >/dev/null || { touch "$T/host.done"; fail "the tap host cannot reach guest $i"; }
done
touch "$T/host.done"
for i in $G; do guest_ok g$i 60; done
log "ok: 4 guests and a tap host reached each other (12 guest pairs, guests <-> tap host)"
