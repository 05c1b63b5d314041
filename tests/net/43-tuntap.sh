#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 43-tuntap: tuntap transport ports.  In a namespace: --port tuntap,TAP
# attaches an existing tap (address 10.0.3.254 there), and a bare
# --port tuntap makes the kernel pick a new tapN, which is then moved into a
# second namespace host (10.0.3.253).  A stock daemon guest pings both, and
# both ping the guest; then the first tap is deleted under the switch, which
# closes that port and keeps serving the other.  Bad tuntap specs (a tun device, long name, bad MAC or
# gateway, surplus field) are refused naming the culprit.
. "$(dirname "$0")/lib.sh"

NS=tt$UID8
HOST=th$UID8
TAP=ta$UID8
TUN=tu$UID8
netns_add "$NS"
netns_add "$HOST"
tap_add "$TAP" "$NS"
ip -n "$NS" addr add 10.0.3.254/24 dev "$TAP"
ip -n "$NS" tuntap add "$TUN" mode tun || fail "cannot create tun $TUN"
link_track "$TUN" "$NS"

bad() {
	local spec=$1 word=$2 out
	if out=$(ip netns exec "$NS" "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" 2>&1 </dev/null); then
		fail "uml_switch --port '$spec' was accepted"
	fi
	grep -qF -- "$word" <<<"$out" || fail "--port '$spec': message does not name '$word': $out"
}
bad "tuntap,$TUN" "$TUN"
bad "tuntap,averyverylongname0" "averyverylongname0"
bad "tuntap,$TAP,fe:fd:zz:00:00:01" "fe:fd:zz:00:00:01"
bad "tuntap,$TAP,,10.0.3" "10.0.3"
bad "tuntap,$TAP,,,extra" "extra"
bad "tuntap:device=$TAP" "device"
log "ok: bad tuntap specs refused with the culprit named"

before=$(ip -n "$NS" -o link show | awk -F': ' '{print $2}' | sort)
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" \
	--port "tuntap,$TAP" --port tuntap
busywait 10 eval "ip -n $NS link show $TAP | grep -q LOWER_UP" ||
	fail "the switch did not attach to tap $TAP (no carrier): $(tail -5 "$T/sw.log")"
after=$(ip -n "$NS" -o link show | awk -F': ' '{print $2}' | sort)
NEW=$(comm -13 <(echo "$before") <(echo "$after") | grep -E '^tap[0-9]+$' | head -1)
[ -n "$NEW" ] || fail "--port tuntap made no new tapN device: $after"
ip -n "$NS" link set "$NEW" netns "$HOST" || fail "cannot move $NEW to $HOST"
link_track "$NEW" "$HOST"
ip -n "$HOST" addr add 10.0.3.253/24 dev "$NEW"
ip -n "$HOST" link set "$NEW" up
log "new tap $NEW made by the switch, moved to the second host"

guest_script g <<'EOF2'
ip addr add 10.0.3.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 20 10.0.3.254 || { echo "guest: no reply from the tap host"; exit 1; }
ping -c 3 -w 20 10.0.3.253 || { echo "guest: no reply from the new-tap host"; exit 1; }
touch /t/g.pinged
gw /t/g.go 60
EOF2
GUEST_NS=$NS guest_start g eth0=daemon,fe:fd:0a:00:03:01,unix,"$T/sw.ctl"
if ! busywait 60 eval "[ -e '$T/g.pinged' ] || [ -e '$T/g.rc' ]" || [ ! -e "$T/g.pinged" ]; then
	guest_ok g 10
	fail "guest could not ping the tap hosts"
fi
nsx "$NS" ping -c 3 -w 15 10.0.3.1 >"$T/p1.out" 2>&1 ||
	fail "the tap host could not ping the guest: $(tail -2 "$T/p1.out")"
nsx "$HOST" ping -c 3 -w 15 10.0.3.1 >"$T/p2.out" 2>&1 ||
	fail "the new-tap host could not ping the guest: $(tail -2 "$T/p2.out")"
# the existing tap disappears: that port is reported and closed, the
# switch serves on (the new-tap host still reaches the guest)
ip -n "$NS" link del "$TAP" || fail "cannot delete $TAP"
wait_log "$T/sw.log" 10 "port [0-9]+: disconnect \(No such device\)" ||
	fail "the switch did not report losing $TAP: $(tail -3 "$T/sw.log")"
alive sw || fail "the switch died with its tap: $(tail -5 "$T/sw.log")"
nsx "$HOST" ping -c 2 -w 10 10.0.3.1 >"$T/p3.out" 2>&1 ||
	fail "after $TAP went away the new-tap host lost the guest: $(tail -2 "$T/p3.out")"
touch "$T/g.go"
guest_ok g 30
stop sw || fail "switch exited with an error: $(tail -5 "$T/sw.log")"
# a non-persistent tap made by the switch goes away with it
busywait 5 eval "! ip -n $HOST link show $NEW >/dev/null 2>&1" ||
	fail "$NEW outlived the switch"
log "ok: guest <-> existing tap host and <-> new tap host, both ways"
