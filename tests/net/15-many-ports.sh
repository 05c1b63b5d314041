#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 15-many-ports: 40 clients at once all get a broadcast; with --max-ports 4
# a fifth client is refused (no reply, closed, logged) while the four are
# served, and once one leaves a new client gets in.
. "$(dirname "$0")/lib.sh"
need_plug
K=40

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
for i in $(seq 1 $K); do
	bg "r$i" "$PLUG" -t 60 "$CTL" recv 3
done
for i in $(seq 1 $K); do
	busywait 10 eval "grep -q ready '$T/r$i.log' || ! alive r$i" || fail "client r$i did not join"
	grep -q ready "$T/r$i.log" || fail "client r$i could not join: $(cat "$T/r$i.log")"
done
"$PLUG" "$CTL" send 3 >"$T/send.log" 2>&1 || fail "send failed: $(cat "$T/send.log")"
for i in $(seq 1 $K); do
	busywait 10 eval "! alive r$i"
	stop "r$i" || fail "client r$i of $K did not get the 3 broadcasts: $(tail -1 "$T/r$i.log")"
done
log "$K clients each got 3 broadcasts"
stop sw || fail "SIGTERM exit status not 0"

switch_start sw2 -unix "$T/sw2.ctl" --max-ports 4
CTL=$SWITCH_CTL
for i in 1 2 3 4; do
	bg "h$i" "$PLUG" -t 120 "$CTL" hold
	busywait 10 eval "grep -q ready '$T/h$i.log' || ! alive h$i"
	grep -q ready "$T/h$i.log" || fail "client $i of --max-ports 4 could not join: $(cat "$T/h$i.log")"
done
lines=$(wc -l <"$T/sw2.log")
rc=0
timeout 20 "$PLUG" "$CTL" hold -t 1 >"$T/fifth.log" 2>&1 || rc=$?
[ $rc -eq 124 ] && fail "a fifth client with --max-ports 4 hung (no reply, not closed)"
[ $rc -ne 0 ] || fail "a fifth client with --max-ports 4 was accepted: $(cat "$T/fifth.log")"
busywait 5 eval "tail -n +$((lines + 1)) '$T/sw2.log' | grep -Eqi 'port|full|max|limit'" ||
	fail "the refused fifth client left no log line"
log "fifth client refused: $(tail -n +$((lines + 1)) "$T/sw2.log" | head -1)"
stop h1 KILL
busywait 10 eval "timeout 10 '$PLUG' '$CTL' hold -t 0 >'$T/sixth.log' 2>&1" ||
	fail "after a port was freed, a new client still could not join: $(cat "$T/sixth.log")"
alive sw2 || fail "switch died"
log "ok: $K ports served; --max-ports enforced and freed ports reused"
