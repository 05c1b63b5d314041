#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 05-tap: a -tap port.  The switch, its tap and a stock guest all live in a
# network namespace (abstract unix names are per namespace, and the tap and
# its address stay confined); the guest and the namespace host ping each
# other both ways.
. "$(dirname "$0")/lib.sh"

NS=tp$UID8
TAP=tap$UID8
netns_add "$NS"
tap_add "$TAP" "$NS"
ip -n "$NS" addr add 10.0.0.254/24 dev "$TAP"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" -tap "$TAP"
busywait 10 eval "ip -n $NS link show $TAP | grep -q LOWER_UP" ||
	fail "the switch did not attach to tap $TAP (no carrier): $(tail -5 "$T/sw.log")"

guest_script g <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 15 10.0.0.254 || { echo "guest: no reply from the tap host 10.0.0.254"; exit 1; }
touch /t/g.pinged
gw /t/done 60
EOF2
GUEST_NS=$NS guest_start g eth0=daemon,,unix,"$T/sw.ctl"
if ! busywait 60 eval "[ -e '$T/g.pinged' ] || [ -e '$T/g.rc' ]" || [ ! -e "$T/g.pinged" ]; then
	guest_ok g 10
	fail "guest could not ping the namespace host over the tap port"
fi
nsx "$NS" ping -c 3 -w 15 10.0.0.1 >"$T/hostping.out" 2>&1 ||
	{ touch "$T/done"; fail "the namespace host could not ping the guest through the tap port: $(tail -2 "$T/hostping.out")"; }
touch "$T/done"
guest_ok g 30
grep -qi "tap" "$T/sw.log" || log "note: switch did not mention the tap on stdout"
log "ok: guest <-> tap host ping both ways"
