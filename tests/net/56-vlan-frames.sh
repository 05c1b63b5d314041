#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 56-vlan-frames: 802.1Q frame by frame.  Five taps of one switch: T1 a
# trunk of 10 and 20 with native VLAN 1, T2 a trunk of 10 (no native), T3
# an access port of 10, T4 of 20, T5 left at the defaults (VLAN 1).
# Crafted frames go in on a tap (AF_PACKET); a tcpdump on every tap shows
# what the switch sent it:
#  - a tag's PCP and DEI bits are carried to a trunk, the tag taken off for
#    an access port; an untagged frame is tagged (PCP 0) for a trunk;
#  - a trunk's untagged, priority-tagged (VID 0) and 802.1ad (0x88a8)
#    frames are its native VLAN's: the 802.1ad frame leaves byte for byte;
#  - a trunk without native drops untagged frames, any trunk a VID it does
#    not carry (both counted, drops.vlan); nothing leaks to another VLAN:
#    unknown unicast floods within its VLAN, known unicast goes to its port,
#    and in hub mode too frames flood only within their VLAN;
#  - bad settings are refused naming the culprit, on the command line
#    (exit status 1 or 2) and by umlctl port set (the port unchanged);
#    good ones change a port at run time (trunk, native alone);
#  - a frame delayed (impairment) toward a trunk leaves tagged all the same;
#  - every port back at the defaults is the switch without VLANs: a tagged
#    frame crosses, as it is, to every port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need tcpdump

NS=vf$UID8
netns_add "$NS"
nsx "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
for i in 1 2 3 4 5; do tap_add "t$i$UID8" "$NS"; done
T1=t1$UID8 T2=t2$UID8 T3=t3$UID8 T4=t4$UID8 T5=t5$UID8

# ---- bad settings on the command line: refused, naming the culprit ----
bad_cli() {
	local word=$1 out rc=0; shift
	out=$(timeout 10 "$UML_SWITCH" -unix "$T/bad.ctl" "$@" 2>&1) || rc=$?
	[ $rc = 1 ] || [ $rc = 2 ] || fail "uml_switch $*: exit status $rc, want 1 or 2: $out"
	grep -qF -- "$word" <<<"$out" || fail "uml_switch $*: the error does not say '$word': $out"
}
bad_cli "'vlan 4095'" -tap "$T1,vlan=4095"
bad_cli "'vlan 0'" --port "tuntap:dev=$T1,vlan=0"
bad_cli "'trunk' needs" --port "tuntap:dev=$T1,trunk="
bad_cli "'x'" -tap "$T1,trunk=10+x"
bad_cli "'vlan' and 'trunk'" --client-link vlan=10,trunk=20
bad_cli "'native' is a trunk's" --client-link native=3
bad_cli "unknown setting 'colour'" --client-link colour=blue
log "ok: bad settings on the command line refused, naming the culprit"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" -tap "$T1,trunk=10+20,native=1" \
	-tap "$T2,trunk=10" -tap "$T3,vlan=10" --port "tuntap:dev=$T4,vlan=20" -tap "$T5"
MGMT=$T/sw.ctl.mgmt
for i in 1 2 3 4 5; do
	busywait 10 eval "ip -n $NS link show t$i$UID8 | grep -q LOWER_UP" ||
		fail "the switch did not attach to tap t$i$UID8: $(tail -5 "$T/sw.log")"
	bg "d$i" ip netns exec "$NS" tcpdump -l -e -n -Q in -i "t$i$UID8"
done
for i in 1 2 3 4 5; do
	wait_log "$T/d$i.log" 10 "listening on" || fail "tcpdump on t$i$UID8 did not start"
done

# send TAP DST SRCBYTE [TPID TCI]... : a frame of EtherType 0x88b5 (46
# bytes of payload) from 02:00:00:53:00:SRCBYTE, with those tags
send() {
	local tap=$1 dst=$2 src=02000053000$3 hex
	shift 3
	hex=$dst$src
	while [ $# -ge 2 ]; do hex=$hex$1$2; shift 2; done
	hex=${hex}88b5$(printf '55%.0s' $(seq 46))
	nsx "$NS" python3 -c 'import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
s.send(bytes.fromhex(sys.argv[2]))' "$tap" "$hex" || fail "cannot send on $tap"
}
BC=ffffffffffff
send "$T1" $BC 1 8100 b00a		# 1: VID 10, PCP 5, DEI
send "$T3" $BC 2			# 2: untagged, on VLAN 10's access port
send "$T1" $BC 3			# 3: untagged on T1: native VLAN 1
send "$T1" $BC 4 88a8 0064 8100 000a	# 4: 802.1ad: native VLAN 1, as it is
send "$T2" $BC 5			# 5: untagged on a trunk without native
send "$T2" $BC 6 8100 001e		# 6: VID 30, which T2 does not carry
send "$T1" $BC 7 8100 6000		# 7: priority-tagged: native VLAN 1
send "$T4" 020000530002 8		# 8: to 2's MAC, unknown in VLAN 20
send "$T3" 020000530001 9		# 9: to 1's MAC, known in VLAN 10 (T1)

# every frame taken in or dropped by the switch
counted() {
	local j
	j=$(uc -j ports) || return 1
	[ "$(jget "sorted((p['name'], p['counters']['rx'], p['counters']['drops']['vlan']) for p in d)" <<<"$j")" = \
	  "$(printf '[["%s", 4, 0], ["%s", 0, 2], ["%s", 2, 0], ["%s", 1, 0], ["%s", 0, 0]]' "$T1" "$T2" "$T3" "$T4" "$T5")" ]
}
busywait 10 counted || fail "the switch's rx and vlan drops per port: $(uc ports; uc -j ports | jget "[(p['name'], p['counters']) for p in d]")"

# has D (1-5) seen frame N: the line of source :0N, matching ERE
seen() { grep -E "^[0-9:.]+ 02:00:00:53:00:0$2 > .*$3" "$T/d$1.log"; }
want() {
	busywait 10 seen "$@" >/dev/null ||
		fail "t$1 did not see frame $2 as '$3': $(grep -h "02:00:00:53" "$T/d$1.log")"
}
want 2 1 "802\.1Q \(0x8100\), length 64: vlan 10, p 5, DEI, ethertype Unknown \(0x88b5\)"
want 3 1 "ethertype Unknown \(0x88b5\), length 60"
want 1 2 "802\.1Q \(0x8100\), length 64: vlan 10, p 0, ethertype Unknown"
want 2 2 "802\.1Q \(0x8100\), length 64: vlan 10, p 0, ethertype Unknown"
want 5 3 "ethertype Unknown \(0x88b5\), length 60"
want 5 4 "802\.1Q-QinQ \(0x88a8\), length 68: vlan 100, p 0, ethertype 802\.1Q \(0x8100\), vlan 10, p 0, ethertype Unknown"
want 5 7 "ethertype Unknown \(0x88b5\), length 60"
want 1 8 "vlan 20, p 0, ethertype Unknown"
want 1 9 "vlan 10, p 0, ethertype Unknown"
# and nothing else: the frames of each tap, by source
only() {
	local got
	got=$(grep -oE "^[0-9:.]+ 02:00:00:53:00:0[0-9a]" "$T/d$1.log" | awk '{print substr($2, 17)}' | sort | tr -d '\n')
	[ "$got" = "$2" ] || fail "t$1 saw frames '$got' (the last digits of their sources), want '$2': $(cat "$T/d$1.log")"
}
only 1 289
only 2 12
only 3 1
only 4 ""
only 5 347
log "ok: tags in and out, PCP and DEI carried, native, 802.1ad untouched, drops counted, nothing across VLANs"

# a capture records each frame going out in the form its port sends it
bg cap "$UMLCTL" -s "$MGMT" capture -p "$T2" -p "$T3" -c 2 -w "$T/cap.pcapng"
wait_log "$T/sw.log" 10 "capture of some ports started" || fail "the capture did not start: $(cat "$T/cap.log")"
send "$T1" $BC 1 8100 b00a
busywait 10 eval "! alive cap" || fail "the capture did not end after 2 frames"
stop cap || fail "umlctl capture: $(cat "$T/cap.log")"
tcpdump -r "$T/cap.pcapng" -e -n >"$T/cap.txt" 2>&1 || fail "tcpdump cannot read the capture: $(cat "$T/cap.txt")"
grep -q "802\.1Q (0x8100), length 64: vlan 10, p 5, DEI, ethertype Unknown" "$T/cap.txt" &&
	grep -q "ethertype Unknown (0x88b5), length 60" "$T/cap.txt" ||
	fail "the capture has not the tagged (to $T2) and untagged (to $T3) forms: $(cat "$T/cap.txt")"
log "ok: a capture records the frames going out tagged and untagged as sent"

# impairment on VLAN ports: a frame delayed toward a trunk leaves tagged,
# one delayed from an access port keeps its VLAN
uc port set "$T2" delay 1ms >/dev/null || fail "port set $T2 delay 1ms"
uc port set "$T3" delay 1ms in >/dev/null || fail "port set $T3 delay 1ms in"
send "$T3" $BC c			# c: untagged on VLAN 10's access port
want 2 c "802\.1Q \(0x8100\), length 64: vlan 10, p 0, ethertype Unknown"
want 1 c "802\.1Q \(0x8100\), length 64: vlan 10, p 0, ethertype Unknown"
busywait 5 eval "! seen 4 c . >/dev/null && ! seen 5 c . >/dev/null" || fail "frame c left VLAN 10"
[ "$(uc -j ports "$T2" | jget "d[0]['impair']['out']['counters']['delayed']")" -ge 1 ] ||
	fail "the frame to $T2 was not delayed: $(uc ports "$T2")"
uc port set "$T2" clear >/dev/null && uc port set "$T3" clear >/dev/null || fail "port set clear"
log "ok: impaired VLAN ports: delayed frames leave in their port's form, in their VLAN"

# hub mode: floods, still within the VLAN
uc mode hub >/dev/null || fail "mode hub"
send "$T3" 020000530001 a		# a: to 1's MAC, in VLAN 10
want 1 a "vlan 10, p 0"
want 2 a "vlan 10, p 0"
uc mode switch >/dev/null || fail "mode switch"
send "$T3" $BC 2			# a frame after it: through, T4 and T5 saw none
busywait 10 eval "[ \"\$(grep -c '02:00:00:53:00:02 >' '$T/d1.log')\" = 2 ]" ||
	fail "t1 did not see the frame after hub mode"
only 4 ""
only 5 347
log "ok: hub mode floods within the VLAN"

# ---- umlctl port set: bad settings refused (the port unchanged) ----
vlan_of() { uc -j ports "$1" | jget "d[0]['vlan']"; }
A10='{"mode": "access", "pvid": 10}'
bad_set() {
	local word=$1 out rc=0; shift
	out=$(uc port set "$T3" "$@" 2>&1) || rc=$?
	[ $rc = 1 ] || fail "port set $T3 $*: exit status $rc, want 1: $out"
	grep -qF -- "$word" <<<"$out" || fail "port set $T3 $*: the error does not say '$word': $out"
	[ "$(vlan_of "$T3")" = "$A10" ] || fail "port set $T3 $*: refused, but the port changed: $(vlan_of "$T3")"
}
bad_set "'vlan 0'" vlan 0
bad_set "'vlan 4095'" vlan 4095
bad_set "'vlan 99999'" vlan 99999
bad_set "'vlan ten'" vlan ten
bad_set "'trunk' needs" trunk
bad_set "'trunk' needs" trunk native 5
bad_set "'0'" trunk 10+0
bad_set "'vlan' and 'trunk'" vlan 20 trunk 10
bad_set "'native' is a trunk's" native 5
bad_set "unknown setting 'colour'" vlan 20 colour blue
log "ok: bad settings refused by umlctl port set, naming the culprit; the port unchanged"

# good ones at run time
uc port set "$T3" trunk 10 20 native 1 >/dev/null || fail "port set $T3 trunk 10 20 native 1"
[ "$(vlan_of "$T3")" = '{"mode": "trunk", "vids": "10,20", "native": 1}' ] || fail "$T3 after trunk: $(vlan_of "$T3")"
uc port set "$T3" native none >/dev/null || fail "port set $T3 native none"
[ "$(vlan_of "$T3")" = '{"mode": "trunk", "vids": "10,20", "native": null}' ] || fail "$T3 after native none: $(vlan_of "$T3")"
uc port set "$T3" trunk 1-4094 >/dev/null || fail "port set $T3 trunk 1-4094"
[ "$(vlan_of "$T3")" = '{"mode": "trunk", "vids": "1-4094", "native": null}' ] || fail "$T3 after trunk 1-4094: $(vlan_of "$T3")"
uc ports | grep -Eq "^ +[0-9]+ $T3 .* trunk 1-4094 " || fail "umlctl ports: $(uc ports)"
uc port set "$T3" vlan 10 >/dev/null || fail "port set $T3 vlan 10"
[ "$(vlan_of "$T3")" = "$A10" ] || fail "$T3 back to vlan 10: $(vlan_of "$T3")"
send "$T3" $BC 2
busywait 10 eval "[ \"\$(grep -c '02:00:00:53:00:02 >' '$T/d1.log')\" = 3 ]" ||
	fail "t1 did not see T3's frame once T3 was back on VLAN 10"
log "ok: trunk, native and vlan set at run time"

# every port back to the defaults: the switch without VLANs, tags and all
for i in 1 2 3 4; do
	uc port set "t$i$UID8" vlan 1 >/dev/null || fail "port set t$i$UID8 vlan 1"
done
send "$T1" $BC b 8100 b00a		# b: tagged VID 10 on a default port
for i in 2 3 4 5; do
	want $i b "802\.1Q \(0x8100\), length 64: vlan 10, p 5, DEI, ethertype Unknown"
done
log "ok: with every port back at the defaults, a tagged frame crosses as it is, to every port"
