#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 12-fdb: the learning table, with plug clients of known MACs:
#  - learned unicast goes only to the learned port; broadcast and unknown
#    unicast flood to every port but the ingress;
#  - a MAC that moves to another port is followed;
#  - when a port goes away, its MACs are forgotten (flood resumes);
#  - with --aging 2 an idle entry is forgotten after about 2 s.
# After each burst a broadcast marker (type 0x88b7) is sent; once every
# receiver has seen it, everything sent before it has been forwarded.
. "$(dirname "$0")/lib.sh"
need_plug

X=02:00:00:00:01:01 Y=02:00:00:00:02:02 S=02:00:00:00:05:05 U=02:00:00:00:09:09
. "$(dirname "$0")/fdb-lib.sh"

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
rx r1 "$X"
rx r2 "$Y"
rx r3 -
mark

snap; send "$X" 20; mark
expect "learned unicast to X" r1 20 r2 0 r3 0
snap; send "$Y" 7; mark
expect "learned unicast to Y" r1 0 r2 7 r3 0
snap; send ff:ff:ff:ff:ff:ff 5; mark
expect "broadcast" r1 5 r2 5 r3 5
snap; send "$U" 6; mark
expect "unknown unicast" r1 6 r2 6 r3 6
log "learned unicast to one port; broadcast and unknown unicast flood"

# X moves to a new port r4
rx r4 "$X"
snap; send "$X" 15; mark
expect "after X moved to port r4" r1 0 r2 0 r3 0 r4 15
log "MAC move followed"

# r4 leaves: X must be forgotten, frames to X flood again
lines=$(wc -l <"$T/sw.log")
stop r4 KILL
busywait 10 eval "tail -n +$((lines + 1)) '$T/sw.log' | grep -qi disconnect" || fail "no disconnect logged for port r4"
snap; send "$X" 4; mark
expect "after X's port left (must flood)" r1 4 r2 4 r3 4
log "a departed port's MACs are forgotten"
stop sw || fail "switch: SIGTERM exit status not 0"
for r in r1 r2 r3; do stop "$r" KILL; done

# aging
RX=(); MARKS=0
switch_start sw2 -unix "$T/sw2.ctl" --aging 2
CTL=$SWITCH_CTL
rx a1 "$X"
rx a2 -
mark
start=$(date +%s%N)
snap; send "$X" 3; mark
expect "with --aging 2, right after learning" a1 3 a2 0
# frames to X do not refresh X; once it ages out they flood to a2
aged() { send "$X" 1; mark; [ $(( $(cnt a2) - ${BASE[a2]} )) -gt 0 ]; }
busywait 15 aged || fail "with --aging 2, X was still known after 15 s (frames to X never flooded)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 1500 ] || fail "with --aging 2, X was forgotten after only ${ms} ms"
log "aging: X forgotten after ${ms} ms (--aging 2)"
log "ok: learning, flooding, MAC move, port removal and aging"
