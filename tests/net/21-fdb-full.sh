#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 21-fdb-full: a full MAC table (--max-macs 2) must not break delivery:
# stations that do not fit are flooded to (so they still get their frames),
# the event is counted (stats full=F), learned stations stay unicast, and a
# departing port's entries make room again.
. "$(dirname "$0")/lib.sh"
need_plug

X=02:00:00:00:01:01 Y=02:00:00:00:02:02 Z=02:00:00:00:03:03 W=02:00:00:00:04:04
S=02:00:00:00:05:05
RX=() MARKS=0
declare -A MARK0 BASE

rx() {
	bg "$1" "$PLUG" -t 300 -a -m "$2" "$CTL" recv 1000000
	busywait 10 grep -q ready "$T/$1.log" || fail "port $1 could not join: $(cat "$T/$1.log")"
	RX+=("$1"); MARK0[$1]=$MARKS
}
send() { "$PLUG" -m "$S" -d "$1" "$CTL" send "$2" >>"$T/send.log" 2>&1 || fail "sender failed"; }
mark() {
	local r
	MARKS=$((MARKS + 1))
	"$PLUG" -m 02:00:00:00:06:06 -e 0x88b7 "$CTL" send 1 >>"$T/send.log" 2>&1 || fail "marker send failed"
	for r in "${RX[@]}"; do
		alive "$r" || continue
		busywait 10 eval "[ \$(grep -c 'type=0x88b7' '$T/$r.log') -ge \$(( MARKS - ${MARK0[$r]} )) ]" ||
			fail "port $r did not get broadcast marker $MARKS"
	done
}
cnt() { grep -c 'type=0x88b5 ok' "$T/$1.log"; }
snap() { local r; for r in "${RX[@]}"; do BASE[$r]=$(cnt "$r"); done; }
expect() {
	local what=$1; shift
	while [ $# -gt 0 ]; do
		local got=$(( $(cnt "$1") - ${BASE[$1]} ))
		[ "$got" -eq "$2" ] || fail "$what: port $1 received $got test frames, want $2"
		shift 2
	done
}
stat_field() { switch_stats sw | sed -n "s/.*stats: ports=.* $1=\\([0-9/]*\\).*/\\1/p" | tail -1; }

switch_start sw -unix "$T/sw.ctl" --max-macs 2
CTL=$SWITCH_CTL
rx r1 "$X"
rx r2 "$Y"
mark
rx r3 "$Z"
mark
fdb=$(stat_field fdb)
[ "$fdb" = 2/2 ] || fail "with --max-macs 2 and three stations, stats show fdb=$fdb, want 2/2"
full=$(stat_field full)
[ "${full:-0}" -ge 1 ] || fail "the table overflowed but stats show full=${full:-?}"

snap; send "$X" 5; mark
expect "learned X while the table is full" r1 5 r2 0 r3 0
snap; send "$Z" 5; mark
expect "Z did not fit in the table (must flood)" r1 5 r2 5 r3 5
log "full table: learned stations unicast, the rest flooded (full=$full)"

lines=$(wc -l <"$T/sw.log")
stop r1 KILL
busywait 10 eval "tail -n +$((lines + 1)) '$T/sw.log' | grep -qi disconnect" || fail "no disconnect logged for r1"
rx r4 "$W"
mark
snap; send "$W" 5; mark
expect "W learned after X's port left" r2 0 r3 0 r4 5
log "ok: a full MAC table floods what does not fit and frees room when a port leaves"
