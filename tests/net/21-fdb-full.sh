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
MARK_MAC=02:00:00:00:06:06
. "$(dirname "$0")/fdb-lib.sh"
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
