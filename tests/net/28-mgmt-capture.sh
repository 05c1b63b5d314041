#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 28-mgmt-capture: two stock guests ping each other through a switch (as
# root: it serves as nobody, sandboxed) while two captures run:
#  - "umlctl capture -w FILE" of every port, from before the guests join;
#  - "umlctl capture -p A -p B -w - | tshark -r -" of the two ports, named
#    at run time (umlctl port set N name ...).
# tshark reads both: every ICMP echo request and reply is there once on
# its way in at its sender's port (epb_flags inbound) and once on its way
# out at the other (outbound), on the interfaces named after the ports;
# per port, the inbound records equal the port's rx in "umlctl ports -j"
# and the guest's own tx_packets, the outbound ones its tx and the guest's
# rx_packets; the captures lost nothing and ended with their statistics.
# The switch said where its management socket is, and it is mode 0600.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need tshark

switch_start sw -unix "$T/sw.ctl"
MGMT=$T/sw.ctl.mgmt
wait_log "$T/sw.log" 5 "management socket '$MGMT'" ||
	fail "the switch did not say where its management socket is: $(cat "$T/sw.log")"
[ "$(stat -c %a "$MGMT")" = 600 ] || fail "management socket mode $(stat -c %a "$MGMT"), want 600"

# capture 1: every port, from the start, to a file (-s: the control socket)
bg cap1 "$UMLCTL" -s "$SWITCH_CTL" capture -w "$T/all.pcapng"
busywait 5 test -s "$T/all.pcapng" || fail "capture 1 did not start: $(cat "$T/cap1.log")"

for g in a:1:b:2 b:2:a:1; do
	IFS=: read -r n i peer pi <<<"$g"
	guest_script "$n" <<EOF2
ip addr add 10.0.0.$i/24 dev eth0
ip link set eth0 up
touch /t/$n.up
gw /t/$peer.up || exit 1
gw /t/cap2.up 60 || exit 1
ping -c 4 -w 20 10.0.0.$pi || { echo "$n: no reply from 10.0.0.$pi"; exit 1; }
# quiet from now on: no ARP probes of a neighbour entry gone stale
arp -s 10.0.0.$pi fe:fd:0a:00:00:0$pi
touch /t/$n.pinged
$(guest_counters_script "$n")
EOF2
done
# a first, so that its port is the first one
guest_start a eth0=daemon,fe:fd:0a:00:00:01,unix,"$SWITCH_CTL"
busywait 60 eval "[ \"\$(uc -j ports | jget 'len(d)')\" = 1 ]" || fail "guest a did not join"
PA=$(uc -j ports | jget "d[0]['index']")
guest_start b eth0=daemon,fe:fd:0a:00:00:02,unix,"$SWITCH_CTL"
busywait 60 eval "[ \"\$(uc -j ports | jget 'len(d)')\" = 2 ]" || fail "guest b did not join"
PB=$(uc -j ports | jget "[p['index'] for p in d if p['index'] != $PA][0]")
uc port set "$PA" name guest-a >/dev/null || fail "port set $PA name guest-a"
uc port set "$PB" name guest-b >/dev/null || fail "port set $PB name guest-b"
[ "$(port_index guest-a)" = "$PA" ] || fail "port $PA was not renamed guest-a"

# capture 2: the two ports by name, through a pipe into tshark
cat >"$T/cap2.sh" <<EOF2
#!/bin/sh
"$UMLCTL" -s "$MGMT" capture -p guest-a -p guest-b -w - 2>"$T/cap2.err" &
echo \$! >"$T/cap2.pid"
wait
EOF2
chmod 755 "$T/cap2.sh"
bg cap2 sh -c "'$T/cap2.sh' | tshark -r - -Y icmp -T fields -e frame.interface_name \
	-e frame.packet_flags_direction -e ip.src -e icmp.type >'$T/pipe.txt' 2>'$T/tshark.err'"
wait_log "$T/sw.log" 10 "capture of some ports started" || fail "capture 2 did not start: $(cat "$T/cap2.err")"
touch "$T/cap2.up"
busywait 90 eval "[ -e '$T/a.pinged' ] && [ -e '$T/b.pinged' ] || [ -e '$T/a.rc' ] || [ -e '$T/b.rc' ]"
[ -e "$T/a.pinged" ] && [ -e "$T/b.pinged" ] || { touch "$T/freeze"; guest_ok a 10; guest_ok b 10; fail "the guests did not ping"; }

# quiet: the ports' counters stay the same for a second
quiet() {
	local s1 s2
	s1=$(uc -j ports | jget "[p['counters'] for p in d]")
	busywait 2 false
	s2=$(uc -j ports | jget "[p['counters'] for p in d]")
	[ "$s1" = "$s2" ]
}
busywait 20 quiet || fail "traffic did not settle"
kill -INT "$(cat "$T/cap2.pid")"
busywait 10 eval "! alive cap2" || fail "capture 2 (umlctl | tshark) did not end after SIGINT"
stop cap1 INT || fail "capture 1: umlctl failed: $(cat "$T/cap1.log")"
grep -q ' 0 lost' "$T/cap1.log" || fail "capture 1 lost records or had no statistics: $(cat "$T/cap1.log")"
grep -q ' 0 lost' "$T/cap2.err" || fail "capture 2 lost records or had no statistics: $(cat "$T/cap2.err")"
uc -j ports >"$T/ports.json" || fail "umlctl ports -j"
touch "$T/freeze"
guest_ok a 30
guest_ok b 30

# the pipe: each echo request and reply in at its sender, out at the other
count() { awk -v i="$1" -v d="$2" -v s="$3" -v t="$4" \
	'$1 == i && $2 + 0 == d && $3 == s && $4 == t { n++ } END { print n + 0 }' "$T/pipe.txt"; }
for want in "guest-a 1 10.0.0.1 8" "guest-b 2 10.0.0.1 8" "guest-b 1 10.0.0.2 0" \
	    "guest-a 2 10.0.0.2 0" "guest-b 1 10.0.0.2 8" "guest-a 2 10.0.0.2 8" \
	    "guest-a 1 10.0.0.1 0" "guest-b 2 10.0.0.1 0"; do
	# shellcheck disable=SC2086
	n=$(count $want)
	[ "$n" = 4 ] || fail "capture 2 (pipe): $n records of (interface, direction 1=in 2=out, source, ICMP type) = ($want), want 4: $(cat "$T/pipe.txt")"
done
[ "$(wc -l <"$T/pipe.txt")" = 32 ] || fail "capture 2: $(wc -l <"$T/pipe.txt") ICMP records, want 32"
log "ok: the piped capture shows each of the 16 echo requests and replies in at its sender's port and out at the other's"

# the file: per port, inbound = rx = the guest's tx, outbound = tx = its rx
tshark -r "$T/all.pcapng" -T fields -e frame.interface_name \
	-e frame.packet_flags_direction >"$T/all.txt" 2>"$T/tshark1.err" ||
	fail "tshark cannot read capture 1: $(cat "$T/tshark1.err")"
for g in a:"$PA" b:"$PB"; do
	n=${g%%:*} idx=${g#*:}
	name=$(jget "[p['name'] for p in d if p['index'] == $idx][0]" <"$T/ports.json")
	rx=$(jget "[p['counters']['rx'] for p in d if p['index'] == $idx][0]" <"$T/ports.json")
	tx=$(jget "[p['counters']['tx'] for p in d if p['index'] == $idx][0]" <"$T/ports.json")
	ifname=daemon$idx	# as it was named when capture 1 described it
	cin=$(awk -v i="$ifname" '$1 == i && $2 + 0 == 1' "$T/all.txt" | wc -l)
	cout=$(awk -v i="$ifname" '$1 == i && $2 + 0 == 2' "$T/all.txt" | wc -l)
	read -r grx gtx <"$T/$n.counters"
	log "guest $n, port $idx ($name): capture in/out $cin/$cout, port rx/tx $rx/$tx, guest tx/rx $gtx/$grx"
	[ "$cin" = "$rx" ] && [ "$rx" = "$gtx" ] ||
		fail "guest $n: capture inbound $cin, port rx $rx, guest tx_packets $gtx: not equal"
	[ "$cout" = "$tx" ] && [ "$tx" = "$grx" ] ||
		fail "guest $n: capture outbound $cout, port tx $tx, guest rx_packets $grx: not equal"
	[ "$rx" -ge 8 ] || fail "guest $n: only $rx frames"
done
capinfos "$T/all.pcapng" >"$T/capinfos.txt" 2>&1 || fail "capinfos: $(cat "$T/capinfos.txt")"
grep -q 'Number of stat entries = 1' "$T/capinfos.txt" || fail "capture 1 has no interface statistics: $(cat "$T/capinfos.txt")"
log "ok: capture of every port matches the ports' counters and the guests' own, both captures lost nothing"
