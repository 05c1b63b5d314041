#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 18-hotplug: a running guest plugs a second NIC into the switch through
# mconsole (`config eth1=daemon,,unix,CTL`), pings over it, then unplugs it
# (`remove eth1`): the switch sees a new port, then its disconnect, and
# keeps serving the first NIC.
. "$(dirname "$0")/lib.sh"
need uml_mconsole

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.done 90
EOF2
guest_script b <<'EOF2'
touch /t/b.booted
gw /t/b.plugged || exit 1
ip addr add 10.0.0.2/24 dev eth1 || { echo "no eth1 after mconsole config"; exit 1; }
ip link set eth1 up
ping -c 3 -w 15 10.0.0.1 || { echo "b: no reply over the hot-plugged eth1"; exit 1; }
ip link set eth1 down
touch /t/b.pinged
gw /t/b.unplugged || exit 1
[ ! -e /sys/class/net/eth1 ] || { echo "eth1 still present after mconsole remove"; exit 1; }
# eth0 (plugged at boot) is still served
ip addr add 10.0.0.3/24 dev eth0
ip link set eth0 up
ping -c 2 -w 10 10.0.0.1 || { echo "b: no reply over eth0 after the unplug"; exit 1; }
touch /t/b.done
EOF2
guest_start a eth0=daemon,,unix,"$CTL"
guest_start b eth0=daemon,,unix,"$CTL"
busywait 60 eval "[ -e '$T/b.booted' ] && [ -e '$T/a.up' ]" || { guest_ok b 5; fail "guests did not boot"; }
MC=$T/uml/b/mconsole
busywait 10 test -S "$MC" || fail "no mconsole socket $MC"
n0=$(grep -ci 'new connection' "$T/sw.log")
uml_mconsole "$MC" config eth1=daemon,,unix,"$CTL" >"$T/mc1.out" 2>&1 ||
	fail "mconsole config eth1 failed: $(cat "$T/mc1.out")"
busywait 10 eval "[ \$(grep -ci 'new connection' '$T/sw.log') -gt $n0 ]" ||
	fail "the switch logged no new connection for the hot-plugged eth1"
touch "$T/b.plugged"
busywait 60 eval "[ -e '$T/b.pinged' ] || [ -e '$T/b.rc' ]"
[ -e "$T/b.pinged" ] || { guest_ok b 5; fail "guest b could not ping over the hot-plugged eth1"; }
d0=$(grep -ci 'disconnect' "$T/sw.log")
uml_mconsole "$MC" remove eth1 >"$T/mc2.out" 2>&1 || fail "mconsole remove eth1 failed: $(cat "$T/mc2.out")"
busywait 10 eval "[ \$(grep -ci 'disconnect' '$T/sw.log') -gt $d0 ]" ||
	fail "the switch logged no disconnect after mconsole remove eth1"
touch "$T/b.unplugged"
guest_ok b 60
guest_ok a 30
log "ok: hot-plugged NIC joined, passed traffic and left cleanly"
