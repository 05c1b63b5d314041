#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 38-umlctl-cli: umlctl's and uml_dump's command lines, without guests.
#  - -s takes the management socket, the control socket (then CTL.mgmt)
#    or a VDE directory (then DIR/mgmt); --mgmt PATH puts it elsewhere and
#    --mgmt none makes none (umlctl says there is nothing there);
#  - every form of the commands works, tables and -j JSON; lists of more
#    than a page are gathered whole (40 ports, 1500 stations);
#  - errors name what was wrong and exit non-zero (2 for usage, 1 for a
#    refusal or a connection problem);
#  - capture -c COUNT ends by itself (exit 0), -S SNAPLEN cuts records;
#  - events as text: carrier, and a port that stops reading stalls and
#    unstalls;
#  - uml_dump against the original uml-utilities uml_switch (which refuses
#    type 1) says so and exits 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need tshark

mkdir -p "$T/vde"
switch_start sw -unix "$T/vde/" --max-macs 4000
CTL=$SWITCH_CTL MGMT=$T/vde/mgmt
switch_start sw2 -unix "$T/sw2.ctl" --mgmt "$T/elsewhere.sock"
switch_start sw3 -unix "$T/sw3.ctl" --mgmt none
[ -S "$T/elsewhere.sock" ] && [ ! -e "$T/sw2.ctl.mgmt" ] || fail "--mgmt PATH: $(ls "$T")"
[ ! -e "$T/sw3.ctl.mgmt" ] || fail "--mgmt none made a socket"

for s in "$T/vde" "$T/vde/ctl" "$T/vde/mgmt"; do
	"$UMLCTL" -s "$s" show >"$T/show.txt" 2>&1 || fail "umlctl -s $s show: $(cat "$T/show.txt")"
	grep -q "management      $T/vde/mgmt" "$T/show.txt" || fail "umlctl -s $s: $(cat "$T/show.txt")"
done
"$UMLCTL" -s "$T/elsewhere.sock" show >/dev/null || fail "umlctl -s on --mgmt PATH"
out=$("$UMLCTL" -s "$T/sw3.ctl" show 2>&1) && fail "umlctl on --mgmt none worked: $out"
grep -q "'$T/sw3.ctl' closed the connection without a reply: not a management socket" <<<"$out" ||
	fail "--mgmt none: $out"
out=$("$UMLCTL" -s "$T/nowhere" show 2>&1); rc=$?
[ $rc = 1 ] && grep -q "'$T/nowhere'.*No such file" <<<"$out" || fail "no such socket: rc $rc: $out"
log "ok: -s takes the management socket, the control socket or the directory; --mgmt PATH and none"

# 40 ports (two pages), 1500 stations (two pages of the table)
cat >"$T/many.py" <<'EOF'
import os, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, mac, BCAST
cs = [Client(sys.argv[1], mac(0x500 + i)) for i in range(40)]
for c in cs:
    c.send(frame(BCAST, c.mac, "hi"))
for i in range(1500 - 40):
    while not cs[0].send(frame(cs[0].mac, mac(0x10000 + i), "m")):
        time.sleep(0.001)
open(sys.argv[3], "w").close()
while not os.path.exists(sys.argv[4]):
    time.sleep(0.1)
EOF
bg many python3 "$T/many.py" "$CTL" "$ROOT/tests/tools" "$T/many.ok" "$T/many.done"
busywait 20 test -e "$T/many.ok" || fail "the clients did not join: $(cat "$T/many.log")"
busywait 10 eval "[ \"\$(uc -j show | jget \"d['fdb']['count']\")\" = 1500 ]" || fail "not 1500 stations: $(uc show)"
[ "$(uc -j ports | jget 'len(d)')" = 40 ] || fail "ports -j: $(uc -j ports | jget 'len(d)') ports, want 40"
[ "$(uc ports | wc -l)" = 41 ] || fail "ports: $(uc ports | wc -l) lines, want a heading and 40"
[ "$(uc -j fdb | jget 'len(d)')" = 1500 ] || fail "fdb -j: $(uc -j fdb | jget 'len(d)') entries, want 1500"
uc fdb | tail -1 | grep -q '^1500 entries' || fail "fdb: $(uc fdb | tail -1)"
[ "$(uc -j fdb 1 | jget 'len(d)')" = 1461 ] || fail "fdb 1: $(uc -j fdb 1 | jget 'len(d)') entries, want 1461"
[ "$(uc -j ports daemon5 | jget "d[0]['macs']")" = '["02:00:00:00:05:04"]' ] || fail "ports daemon5: $(uc -j ports daemon5)"
[ "$(uc -j ports 1 | jget "d[0]['macs_total']")" = 1461 ] || fail "ports 1: macs_total $(uc -j ports 1 | jget "d[0]['macs_total']")"
uc -j show | jget "d['totals']['rx'] >= 1500" | grep -q True || fail "show -j totals: $(uc -j show)"
log "ok: 40 ports and 1500 stations, gathered from pages, as tables and JSON"

# every command, and its errors
uc port set 3 name three >/dev/null || fail "port set name"
uc port set three carrier down name third | grep -q ' third .* down ' || fail "port set carrier and name: $(uc ports third)"
uc port set third carrier up >/dev/null || fail "carrier up"
uc fdb flush third | grep -q 'flushed 1 entry' || fail "fdb flush third"
uc mode hub | grep -q 'mode: hub (was switch)' || fail "mode hub"
[ "$(uc -j show | jget "d['mode']")" = hub ] || fail "show after mode hub"
uc -j mode switch | jget "d['was']" | grep -q hub || fail "mode switch -j"
[ "$(uc -j show | jget "d['fdb']['count']")" = 0 ] || fail "back to switch mode, the stale table was not flushed"
bad() {	# bad RC WORD ARGS...: umlctl ARGS fails with RC, saying WORD
	local rc=$1 word=$2 out got
	shift 2
	out=$(uc "$@" 2>&1); got=$?
	[ "$got" = "$rc" ] || fail "umlctl $*: exit $got, want $rc: $out"
	grep -qF -- "$word" <<<"$out" || fail "umlctl $*: does not say '$word': $out"
}
bad 1 "no port named 'nosuch'" port del nosuch
bad 1 "no port 99" ports 99
bad 1 "not a valid name" port set 3 name "a b"
bad 1 "port 3 is named 'third' already" port set 4 name third
bad 2 "usage: port" port set 3 carrier sideways
bad 1 "unknown setting 'colour'" port set 3 colour red
bad 2 "usage: port" port frob
bad 1 "\"hub\" or \"switch\"" mode router
bad 2 "unknown command" reboot
bad 2 "unknown command" show extra
bad 2 "positive number" capture -c 0
bad 2 "unexpected" capture extra
bad 1 "no port named 'nosuch'" capture -p nosuch -w /dev/null
out=$("$UMLCTL" 2>&1); [ $? = 2 ] && grep -q 'no command' <<<"$out" || fail "umlctl alone: $out"
"$UMLCTL" --help | grep -q 'capture \[-p PORT\]' || fail "umlctl --help"
log "ok: every command; errors name the culprit, exit 1 (refused) or 2 (usage)"

# capture -c ends by itself; -S cuts the records
bg cap "$UMLCTL" -s "$MGMT" capture -p 1 -c 6 -S 20 -w "$T/c.pcapng"
busywait 5 test -s "$T/c.pcapng" || fail "capture -c did not start: $(cat "$T/cap.log")"
cat >"$T/six.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST
c = Client(sys.argv[1])
for i in range(10):
    c.send(frame(BCAST, c.mac, "six%d" % i, length=100))
EOF
python3 "$T/six.py" "$CTL" "$ROOT/tests/tools" || fail "sending frames"
busywait 10 eval "! alive cap" || fail "capture -c 6 did not end by itself"
stop cap || fail "capture -c 6: $(cat "$T/cap.log")"
grep -q 'capture: 6 frames, 0 lost' "$T/cap.log" || fail "capture -c 6: $(cat "$T/cap.log")"
[ "$(tshark -r "$T/c.pcapng" -T fields -e frame.cap_len -e frame.len 2>/dev/null | sort -u)" = "$(printf '20\t100')" ] ||
	fail "capture -S 20: $(tshark -r "$T/c.pcapng" -T fields -e frame.cap_len -e frame.len 2>&1)"
log "ok: capture -c 6 ended by itself with 6 records, cut to 20 bytes by -S"

# umlctl events, as a table (the 40 clients gone first: they never read)
touch "$T/many.done"
busywait 10 eval "[ \"\$(uc -j show | jget \"d['ports']\")\" = 0 ]" || fail "the 40 clients did not leave"
bg ev "$UMLCTL" -s "$MGMT" events
busywait 5 eval "[ \"\$(uc -j show | jget \"d['events']\")\" = 1 ]" || fail "events did not start"
bg one python3 -c 'import sys, time; sys.path.insert(0, sys.argv[2])
from dclient import Client; c = Client(sys.argv[1]); time.sleep(60)' "$CTL" "$ROOT/tests/tools"
busywait 10 eval "[ \"\$(uc -j show | jget \"d['ports']\")\" = 1 ]" || fail "a client did not join"
P1=$(uc -j ports | jget "d[0]['index']")
uc port set "$P1" carrier down >/dev/null
busywait 5 grep -q "carrier .* port $P1 (daemon$P1), carrier down" "$T/ev.log" || fail "events: $(cat "$T/ev.log")"
stop one
# a client that stops reading stalls its port (after a second), and
# reading again ends the stall
cat >"$T/stall.py" <<'EOF'
import os, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST
deaf = Client(sys.argv[1], rcvbuf=4096)
talk = Client(sys.argv[1])
for i in range(2000):
    talk.send(frame(BCAST, talk.mac, "fill"))
    time.sleep(0.0005)
while not os.path.exists(sys.argv[3]):
    for i in range(50):
        talk.send(frame(BCAST, talk.mac, "more"))
    time.sleep(0.1)
for i in range(100):
    deaf.recv_all()
    talk.send(frame(BCAST, talk.mac, "more"))
    time.sleep(0.02)
EOF
bg stall python3 "$T/stall.py" "$CTL" "$ROOT/tests/tools" "$T/stalled"
busywait 15 grep -q '^[0-9:.]* stall .*port [0-9]* (daemon[0-9]*)' "$T/ev.log" || fail "no stall event: $(tail -3 "$T/ev.log"; tail -3 "$T/stall.log")"
touch "$T/stalled"
busywait 15 grep -q '^[0-9:.]* unstall ' "$T/ev.log" || fail "no unstall event: $(tail -3 "$T/ev.log")"
stop stall
stop ev INT || fail "events: $(cat "$T/ev.log")"
grep -q 'end .*stopped; 0 events lost' "$T/ev.log" || fail "events end: $(tail -2 "$T/ev.log")"
log "ok: events as lines of text (carrier, stall, unstall), ended by SIGINT"

# uml_dump: usage, and a switch that does not know REQ_NEW_DUMP
out=$("$UML_DUMP" a b 2>&1); [ $? = 2 ] && grep -q Usage <<<"$out" || fail "uml_dump a b: $out"
out=$("$UML_DUMP" "$T/nowhere" 2>&1); [ $? = 1 ] && grep -q "cannot connect to '$T/nowhere'" <<<"$out" ||
	fail "uml_dump to nowhere: $out"
need /usr/bin/uml_switch
bg orig /usr/bin/uml_switch -unix "$T/orig.ctl"
busywait 10 test -S "$T/orig.ctl" || fail "the original uml_switch did not start: $(cat "$T/orig.log")"
out=$(timeout 10 "$UML_DUMP" "$T/orig.ctl" 2>&1 </dev/null >/dev/null); rc=$?
[ $rc = 1 ] && grep -q 'did not accept the dump request' <<<"$out" ||
	fail "uml_dump against the original uml_switch: rc $rc: $out"
log "ok: uml_dump's errors (usage, no socket, a switch without REQ_NEW_DUMP)"
