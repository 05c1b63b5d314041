#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 09-jumbo: large and tiny frames.
#  - two namespace hosts on -tap ports with MTU 9000 ping -s 8000 -M do
#    across the switch (9014-byte frames, no fragmentation), and so does a
#    third on a transport port (--port tuntap:dev=...);
#  - a 65535-byte frame crosses intact between two daemon clients;
#  - 0- and 13-byte datagrams are never delivered (a marker sent after them
#    arrives, they do not).
. "$(dirname "$0")/lib.sh"
need_plug

NS0=j0$UID8 NS1=j1$UID8 NS2=j2$UID8 NS3=j3$UID8
TAP1=ja$UID8 TAP2=jb$UID8 TAP3=jc$UID8
netns_add "$NS0"; netns_add "$NS1"; netns_add "$NS2"; netns_add "$NS3"
for t in "$TAP1" "$TAP2" "$TAP3"; do
	ip -n "$NS0" tuntap add "$t" mode tap || fail "tuntap add $t"
	link_track "$t" "$NS0"
done

SWITCH_NS=$NS0 switch_start sw -unix "$T/sw.ctl" -tap "$TAP1" -tap "$TAP2" \
	--port "tuntap:dev=$TAP3"
# the switch holds both taps open; move each to its own host namespace
ip -n "$NS0" link set "$TAP1" netns "$NS1" || fail "move $TAP1"
ip -n "$NS0" link set "$TAP2" netns "$NS2" || fail "move $TAP2"
ip -n "$NS0" link set "$TAP3" netns "$NS3" || fail "move $TAP3"
link_track "$TAP1" "$NS1"; link_track "$TAP2" "$NS2"; link_track "$TAP3" "$NS3"
for i in 1 2 3; do
	ns_var=NS$i tap_var=TAP$i
	ns=${!ns_var} tap=${!tap_var}
	ip -n "$ns" link set "$tap" mtu 9000 up
	ip -n "$ns" addr add "10.9.0.$i/24" dev "$tap"
	busywait 10 eval "ip -n $ns link show $tap | grep -q LOWER_UP" ||
		fail "the switch is not attached to $tap (no carrier): $(tail -5 "$T/sw.log")"
done

nsx "$NS1" ping -c 3 -w 10 -s 8000 -M 'do' 10.9.0.2 >"$T/ping1.out" 2>&1 ||
	fail "8000-byte pings (MTU 9000, DF) from tap host 1 to tap host 2 did not cross the switch: $(tail -2 "$T/ping1.out")"
nsx "$NS2" ping -c 3 -w 10 -s 8972 -M 'do' 10.9.0.1 >"$T/ping2.out" 2>&1 ||
	fail "8972-byte pings (9014-byte frames) from tap host 2 to tap host 1 did not cross the switch: $(tail -2 "$T/ping2.out")"
nsx "$NS3" ping -c 3 -w 10 -s 8972 -M 'do' 10.9.0.1 >"$T/ping3.out" 2>&1 ||
	fail "8972-byte pings from the tuntap transport port's host did not cross the switch: $(tail -2 "$T/ping3.out")"
log "tap hosts: 8000- and 8972-byte DF pings crossed at MTU 9000 (-tap and --port tuntap)"

# 65535-byte frames between two daemon clients (in the switch's netns)
plug_big 65535 "$NS0" "$T/sw.ctl" "$NS0" "$T/sw.ctl"
log "daemon clients: 65535-byte frames crossed intact"

# runts: 0 and 13 bytes, then a normal marker frame
bg runt ip netns exec "$NS0" "$PLUG" -t 10 "$T/sw.ctl" recv 1
busywait 10 grep -q ready "$T/runt.log" || fail "plug receiver could not join"
nsx "$NS0" "$PLUG" -l 0 "$T/sw.ctl" send 1 >/dev/null 2>&1 || fail "could not send a 0-byte datagram"
nsx "$NS0" "$PLUG" -l 13 "$T/sw.ctl" send 1 >/dev/null 2>&1 || fail "could not send a 13-byte datagram"
nsx "$NS0" "$PLUG" -l 60 "$T/sw.ctl" send 1 >/dev/null 2>&1 || fail "could not send the marker frame"
busywait 10 eval "! alive runt"
stop runt || fail "the marker frame sent after the runts did not arrive: $(tail -2 "$T/runt.log")"
if grep -q 'short' "$T/runt.log"; then
	fail "the switch forwarded runt datagrams: $(grep short "$T/runt.log" | tr '\n' ' ')"
fi
log "ok: jumbo tap frames, 65535-byte frames, runts dropped"
