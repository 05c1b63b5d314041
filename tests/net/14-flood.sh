#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 14-flood: a sender blasts 20000 frames as fast as the switch accepts them
# at one receiver.  Whatever the switch cannot deliver it must count: for
# the receiver's port, frames the receiver got == stats tx, and
# tx + drop == frames sent to it.  No frame may arrive damaged, and the
# switch must stay responsive.
. "$(dirname "$0")/lib.sh"
need_plug
N=20000

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
bg rx "$PLUG" -t 300 -m 02:00:00:00:0f:01 "$CTL" recv 10000000
busywait 10 grep -q ready "$T/rx.log" || fail "receiver could not join"

# the sender keeps its port open afterwards (-w): frames still queued in
# its socket when a client leaves may be discarded with the port
start=$(date +%s%N)
bg tx "$PLUG" -w 120 -i 0 -l 1000 -m 02:00:00:00:0f:02 "$CTL" send $N
busywait 60 eval "grep -q '^sent' '$T/tx.log' || ! alive tx" || fail "the sender could not push $N frames within 60 s"
grep -q '^sent' "$T/tx.log" || fail "the sender could not push $N frames into the switch: $(tail -2 "$T/tx.log")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))

# account: two ports; the sender's shows rx=N, the receiver's tx+drop=N
# and tx equal to what the receiver got
account() {
	local st line tx drop total
	st=$(switch_stats sw) || return 1
	echo "$st" | grep -Eq "stats: port [0-9]+ .*rx=$N " || { ACCT="sender port rx is not $N: $st"; return 1; }
	line=$(echo "$st" | grep -E 'stats: port [0-9]+ .*rx=0 ' | head -1)
	tx=$(echo "$line" | sed -n 's/.* tx=\([0-9]*\).*/\1/p')
	drop=$(echo "$line" | sed -n 's/.* drop=\([0-9]*\).*/\1/p')
	total=$(grep -c '^frame ' "$T/rx.log")
	ACCT="receiver got $total frames, its port: tx=${tx:-?} drop=${drop:-?}, sent to it: $N"
	[ -n "$tx" ] && [ "$tx" -eq "$total" ] && [ $((tx + drop)) -eq $N ]
}
busywait 20 account || fail "frames unaccounted for: $ACCT"
got_ok=$(grep -c 'type=0x88b5 ok' "$T/rx.log")
bad=$(grep -c ' bad$\| short$' "$T/rx.log")
[ "$bad" -eq 0 ] || fail "$bad frames arrived damaged or short: $(grep -m3 ' bad$\| short$' "$T/rx.log")"
[ "$got_ok" -gt 0 ] || fail "none of the $N frames arrived"
plug_check after "$CTL" || fail "the switch no longer passes traffic after the flood"
log "$N frames pushed in ${ms} ms; $ACCT"
log "ok: every frame delivered or counted as a drop"
