#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 36-mgmt-carrier: what management changes on a running LAN.  Stock guest
# a pings guest b every 0.2 s; a third port c (a plain client) counts the
# ICMP frames it is sent; "umlctl -j events" runs throughout.
#  - switch mode: c gets none of the unicast;
#  - "fdb flush": the stations are forgotten, so the next request floods
#    and c gets it; the table then has them again;
#  - "mode hub": c gets the unicast too; "mode switch": back;
#  - "port set B carrier down": a's pings stop within one round trip (at
#    most one more reply), the requests are dropped and counted as carrier
#    drops on b's port, whose client stays connected; "carrier up":
#    replies again;
#  - when b leaves, the port_down event carries its final counters, the
#    same as "umlctl ports -j" showed once the LAN was quiet; the events
#    of all of the above were there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"

switch_start sw -unix "$T/sw.ctl"
MGMT=$T/sw.ctl.mgmt
bg events "$UMLCTL" -j -s "$MGMT" events
busywait 5 grep -q '' "$T/events.log" 2>/dev/null
busywait 5 eval "[ \"\$(uc -j show | jget \"d['events']\")\" = 1 ]" || fail "the events client did not start: $(cat "$T/events.log")"

cat >"$T/third.py" <<'EOF'
import os, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST
c = Client(sys.argv[1])
c.send(frame(BCAST, c.mac, "third"))
n = 0
while not os.path.exists(sys.argv[4]):
    time.sleep(0.05)
    for f in c.recv_all():
        if len(f) >= 42 and f[12:14] == b"\x08\x00" and f[23] == 1:
            n += 1
    open(sys.argv[3] + ".tmp", "w").write("%d\n" % n)
    os.rename(sys.argv[3] + ".tmp", sys.argv[3])
EOF
bg third python3 "$T/third.py" "$SWITCH_CTL" "$ROOT/tests/tools" "$T/third.n" "$T/all.done"
busywait 10 test -e "$T/third.n" || fail "the third client did not start: $(cat "$T/third.log")"
third() { cat "$T/third.n"; }

guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up || exit 1
ping -i 0.2 -w 100 10.0.0.2 >/t/a.ping 2>&1 &
gw /t/stop.ping 120
kill $!
# quiet from now on: no ARP probes of a neighbour entry gone stale
arp -s 10.0.0.2 fe:fd:0a:00:00:02
touch /t/a.stopped
gw /t/all.done 60
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
gw /t/stop.ping 120
arp -s 10.0.0.1 fe:fd:0a:00:00:01
touch /t/b.quiet
gw /t/b.leave 120
EOF2
# each guest's port: the one that was not there before it joined
new_port() { uc -j ports | jget "[p['index'] for p in d if p['index'] not in ($1)][0]"; }
PC=$(uc -j ports | jget "d[0]['index']")
guest_start a eth0=daemon,fe:fd:0a:00:00:01,unix,"$SWITCH_CTL"
busywait 60 eval "[ \"\$(uc -j ports | jget 'len(d)')\" = 2 ]" || fail "guest a did not join"
PA=$(new_port "$PC,")
uc port set "$PA" name a >/dev/null || fail "port set $PA name a"
guest_start b eth0=daemon,fe:fd:0a:00:00:02,unix,"$SWITCH_CTL"
busywait 60 eval "[ \"\$(uc -j ports | jget 'len(d)')\" = 3 ]" || fail "guest b did not join"
PB=$(new_port "$PC, $PA")
uc port set "$PB" name b >/dev/null || fail "port set $PB name b"

replies() { grep -c 'bytes from' "$T/a.ping" 2>/dev/null || echo 0; }
busywait 60 eval "[ \$(replies) -ge 5 ]" || fail "a's pings get no replies: $(cat "$T/a.ping" 2>&1)"
[ "$(third)" = 0 ] || fail "switch mode: the third port got $(third) ICMP frames of unicast between a and b"
log "ok: switch mode: a third port gets none of a's and b's unicast"

# fdb flush: forgotten, so the next request floods
[ "$(uc -j fdb | jget 'sorted(e["mac"] for e in d if e["port"] in ('"$PA,$PB"'))')" = \
	'["fe:fd:0a:00:00:01", "fe:fd:0a:00:00:02"]' ] || fail "the table does not know a and b: $(uc fdb)"
uc fdb flush "$PA" >"$T/flush1.txt" || fail "fdb flush a"
grep -q 'flushed 1 entry' "$T/flush1.txt" || fail "fdb flush of a's port: $(cat "$T/flush1.txt")"
uc -j fdb flush >"$T/flush.json" || fail "fdb flush"
busywait 10 eval "[ \$(third) -ge 1 ]" || fail "after fdb flush, no flooded request reached the third port"
busywait 10 eval "[ \"\$(uc -j fdb | jget 'len([e for e in d if e[\"port\"] in ($PA, $PB)])')\" = 2 ]" ||
	fail "a and b were not learned again: $(uc fdb)"
log "ok: fdb flush forgot the stations (the next request flooded to the third port), then they were learned again"

# hub mode: the third port gets the unicast
n0=$(third)
uc mode hub | grep -q 'mode: hub (was switch)' || fail "mode hub"
busywait 10 eval "[ \$(third) -ge $((n0 + 4)) ]" || fail "hub mode: the third port got $(( $(third) - n0 )) ICMP frames, want 4 or more"
uc mode switch >/dev/null || fail "mode switch"
log "ok: mode hub: the third port got the unicast; mode switch again"

# carrier down on b's port: the pings stop at once, b stays connected
r0=$(replies)
uc port set b carrier down >"$T/down.txt" || fail "carrier down: $(cat "$T/down.txt")"
r1=$(replies)
grep -q ' down ' "$T/down.txt" || fail "port b is not shown down: $(cat "$T/down.txt")"
busywait 10 eval "[ \"\$(uc -j ports b | jget \"d[0]['counters']['drops']['carrier'] >= 5\")\" = True ]" ||
	fail "carrier down: a's requests are not counted as carrier drops on b's port: $(uc ports b)"
r2=$(replies)
[ $((r2 - r1)) -le 1 ] || fail "carrier down: $((r2 - r1)) more replies came (want at most 1, the one in flight)"
[ "$(uc -j ports b | jget "d[0]['index']")" = "$PB" ] || fail "b's client did not stay connected"
uc port set b carrier up >/dev/null || fail "carrier up"
busywait 10 eval "[ \$(replies) -ge $((r2 + 3)) ]" || fail "carrier up: the replies did not come back"
log "ok: carrier down stopped a's pings within one round trip ($r0 -> $r1 -> $r2 replies), b stayed connected; carrier up brought them back"

# the end of b: its final counters in the event
touch "$T/stop.ping"
busywait 30 eval "[ -e '$T/a.stopped' ] && [ -e '$T/b.quiet' ]" || fail "a's ping did not stop"
bcounters() { uc -j ports b | jget "d[0]['counters']"; }
quiet() {
	local s1
	s1=$(bcounters)
	busywait 1 false
	[ "$s1" = "$(bcounters)" ]
}
busywait 20 quiet || fail "traffic did not settle"
bcounters >"$T/b.final"
touch "$T/b.leave"
guest_ok b 30
busywait 10 grep -q '"port_down"' "$T/events.log" || fail "no port_down event: $(tail -3 "$T/events.log")"
ev=$(grep '"port_down"' "$T/events.log" | head -1 | jget "d['counters']")
[ "$ev" = "$(cat "$T/b.final")" ] || fail "port_down counters $ev, the port had $(cat "$T/b.final")"
grep '"port_down"' "$T/events.log" | head -1 | jget "d['port'] == $PB and d['name'] == 'b'" | grep -q True ||
	fail "the port_down event names another port: $(grep '"port_down"' "$T/events.log")"
# and the same as the switch's own line at the disconnect
line=$(grep "port $PB: disconnect" "$T/sw.log") || fail "no disconnect line for port $PB"
want=$(sed -n 's/.*: rx=\([0-9]*\) tx=\([0-9]*\) drop=\([0-9]*\)$/\1 \2 \3/p' <<<"$line")
[ "$(grep '"port_down"' "$T/events.log" | head -1 | jget "'%d %d %d' % (d['counters']['rx'], d['counters']['tx'], d['counters']['drops']['total'])")" = "$want" ] ||
	fail "port_down counters differ from the switch's line '$line'"
touch "$T/all.done"
guest_ok a 30
stop events INT
for e in port_up mac_learned fdb_flush mode carrier port_down end; do
	grep -q "\"event\":\"$e\"" "$T/events.log" || fail "no $e event: $(cat "$T/events.log")"
done
jget "d['carrier']" <<<"$(grep '"event":"carrier"' "$T/events.log" | head -1)" | grep -q down ||
	fail "the first carrier event is not 'down'"
log "ok: b's port_down event carried its final counters ($ev); every change was an event"
