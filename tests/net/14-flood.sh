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

start=$(date +%s%N)
"$PLUG" -i 0 -l 1000 -m 02:00:00:00:0f:02 "$CTL" send $N >"$T/send.log" 2>&1 ||
	fail "the sender could not push $N frames into the switch: $(tail -2 "$T/send.log")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))

# markers until one arrives: then everything before it is delivered or dropped
M=0
marker() {
	M=$((M + 1))
	"$PLUG" -m 02:00:00:00:0f:03 -e 0x88b7 "$CTL" send 1 >/dev/null 2>&1 || return 1
	grep -q 'type=0x88b7' "$T/rx.log"
}
busywait 20 marker || fail "no marker frame reached the receiver after the burst (switch stuck?)"
busywait 5 eval "[ \$(grep -c 'type=0x88b7' '$T/rx.log') -ge 1 ]"
# later markers may still be in flight: wait until every sent one is
# accounted for in the stats (tx + drop) below
got_ok=$(grep -c 'type=0x88b5 ok' "$T/rx.log")
bad=$(grep -c ' bad$\| short$' "$T/rx.log")
[ "$bad" -eq 0 ] || fail "$bad frames arrived damaged or short: $(grep -m3 ' bad$\| short$' "$T/rx.log")"

account() {
	local st line tx drop total
	st=$(switch_stats sw) || return 1
	line=$(echo "$st" | grep -E 'stats: port [0-9]+ ' | head -1)
	[ "$(echo "$st" | grep -cE 'stats: port [0-9]+ ')" -eq 1 ] || return 1
	tx=$(echo "$line" | sed -n 's/.* tx=\([0-9]*\).*/\1/p')
	drop=$(echo "$line" | sed -n 's/.* drop=\([0-9]*\).*/\1/p')
	total=$(grep -c '^frame ' "$T/rx.log")
	ACCT="receiver got $total frames ($got_ok test frames of $N), its port: tx=$tx drop=$drop, sent to it: $((N + M))"
	[ "$tx" -eq "$total" ] && [ $((tx + drop)) -eq $((N + M)) ]
}
busywait 10 account || fail "frames unaccounted for: $ACCT"
[ "$got_ok" -gt 0 ] || fail "none of the $N frames arrived"
plug_check after "$CTL" || fail "the switch no longer passes traffic after the flood"
log "$N frames pushed in ${ms} ms; $ACCT"
log "ok: every frame delivered or counted as a drop"
