#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 26-slow-reader: one slow reader does not slow the LAN.  A sender floods
# broadcasts (back-pressure respected, at most 150000 a second, which the
# receiver keeps up with) to a fast receiver: first alone,
# then with a client on the LAN that reads 300 frames every 0.9 s (never
# idle long enough to be declared stalled).  Before, every flooded frame
# waited for the slow reader's queue, so the sender went at its pace (for
# 60000 frames, about 180 s); now a port may hold flooding senders for at
# most 50 ms a second, so the sender loses at most a few percent (the test
# allows twice the time alone plus 1 s: the slow reader takes CPU too).
# The fast receiver still gets every frame, the slow one's losses are
# counted, and the switch says who is slow.
. "$(dirname "$0")/lib.sh"
need python3
LOADGEN=$BUILD/bench/loadgen
[ -x "$LOADGEN" ] || fail "no $LOADGEN (run make)"
N=60000

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL

# flood TAG: FLOOD_MS = the time for the sender to push N broadcasts that
# the counter gets
flood() {
	local tag=$1 start ms
	bg "count-$tag" "$LOADGEN" -c "$CTL" -t 120 count $N
	busywait 10 grep -q '^mac=' "$T/count-$tag.log" || fail "$tag: the counter did not join"
	start=$(date +%s%N)
	timeout 120 "$LOADGEN" -c "$CTL" send $N --dst ff:ff:ff:ff:ff:ff \
		--rate 150000 --burst 32 >"$T/send-$tag.log" 2>&1 ||
		fail "$tag: the sender failed or took over 120 s: $(cat "$T/send-$tag.log")"
	busywait 30 eval "! alive count-$tag"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	stop "count-$tag" || fail "$tag: the fast receiver did not get all $N frames: $(cat "$T/count-$tag.log")"
	FLOOD_MS=$ms
}

flood alone
t0=$FLOOD_MS
log "alone: $N broadcasts in $t0 ms"

cat >"$T/slow.py" <<'EOF'
import sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client
c = Client(sys.argv[1], rcvbuf=4096)
open(sys.argv[3], "w").close()
got = 0
while True:
    time.sleep(0.9)
    for _ in range(300):
        try:
            c.data.recv(65536)
            got += 1
        except BlockingIOError:
            break
    print("slow reader has read %d" % got, flush=True)
EOF
bg slow python3 "$T/slow.py" "$CTL" "$ROOT/tests/tools" "$T/slow.up"
busywait 10 test -e "$T/slow.up" || fail "the slow reader did not join: $(cat "$T/slow.log")"
flood with-slow
t1=$FLOOD_MS
log "with a slow reader: $N broadcasts in $t1 ms"
# freeze the slow reader: from the stats on, its queue and its drops must
# stay as they show them until it goes (it would read 300 more frames if
# its next turn came before its end)
kill -STOP "$(bg_pid slow)"
st=$(switch_stats sw)
log "$st"
# the slow reader's port, its drops and its queue now
read -r sp sfull sq < <(sed -n 's/.*stats: port \([0-9]*\) .*(full=\([0-9]*\) .* queue=\([0-9]*\) slow.*/\1 \2 \3/p' <<<"$st")
[ -n "$sp" ] || fail "no port marked slow in the stats: $st"
stop slow KILL
# when it goes, what was queued for it counts as dropped too
wait_log "$T/sw.log" 10 "port $sp: disconnect" || fail "the slow reader's port did not end"
d=$(sed -n "s/.*port $sp: disconnect .* drop=\([0-9]*\).*/\1/p" "$T/sw.log" | tail -1)
[ "$d" = $((sfull + sq)) ] ||
	fail "the slow reader's port ended with drop=$d, want its $sfull drops and the $sq frames still queued"
# the bound: at the slow reader's pace (300 frames in 0.9 s) the sender
# would take about 180 s; holds of 50 ms a second cost it 5%.  What the
# machine adds is not the switch's: on two cores, the slow reader and its
# share of every flood take CPU from the sender and the counter (a run on
# a busy host took 2376 ms against 1379 alone), so the bound leaves room
# for that and still fails far below the slow reader's pace
[ "$t1" -le $(( t0 * 2 + 1000 )) ] ||
	fail "the slow reader slowed the sender from $t0 ms to $t1 ms for $N frames (at its pace it would take about $((N * 9 / 3000)) s)"
grep -Eq 'stats: port .*full=[1-9][0-9]* ' <<<"$st" ||
	fail "no frames counted as dropped for the slow reader: $st"
wait_log "$T/sw.log" 5 'slow reader: floods that find its queue full skip it' ||
	fail "the switch did not say which port is slow: $(tail -5 "$T/sw.log")"
log "ok: a slow reader cost the sender $((t1 - t0)) ms of $t0 for $N broadcasts; the fast receiver lost nothing"
