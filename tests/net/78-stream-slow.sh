#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 78-stream-slow: a stream server that reads slowly gets every frame it is
# sent, whole, including the last one of a burst.  A stream socket may take
# only part of a frame; the rest must follow as soon as there is room, not
# wait for the next frame (which may never come: a TCP sender waits for its
# ACK first, and the LAN stalls).
#  - switch: a burst of 300 60000-byte broadcast frames from a plug goes
#    to a port "stream:connect=" on a server that takes 4 KiB a
#    millisecond; every frame the port counts as sent must reach the
#    server, whole and in order; then a second burst, 20 frames 3 ms apart.
#    (Jumbo frames, so that the socket's room is less than a frame when it
#    drains: with the switch's finishing disabled, the server was one
#    frame short in every run tried).
# (Our kernel's eth0=stream had the same gap: 89-kernel-stream-slow.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
. "$(dirname "$0")/stream-lib.sh"
need_plug

# ---- the switch's stream port ----
slow_server srv "$T/srv.sock"
switch_start sw -unix "$T/sw.ctl" --port "stream:connect=$T/srv.sock"
MGMT=$T/sw.ctl.mgmt
busywait 10 grep -q frames=0 "$T/srv.count" ||
	fail "the switch did not connect to the slow server: $(tail -3 "$T/sw.log")"

# the stream port's FIELD (a Python subscript of its JSON object)
port_get() { uc -j ports | jget "[p for p in d if p['kind'] == 'stream'][0]$1"; }
port_tx() { port_get "['counters']['tx']"; }
port_q() { port_get "['queue']['len']"; }

"$PLUG" -l 60000 -i 0 "$SWITCH_CTL" send 300 >"$T/tx1.log" 2>&1 ||
	fail "plug could not send: $(cat "$T/tx1.log")"
busywait 30 eval "[ \"\$(port_q)\" = 0 ]" ||
	fail "the stream port's queue did not empty: $(uc -j ports)"
tx=$(port_tx)
[ "$tx" -gt 20 ] 2>/dev/null || fail "the stream port sent only '$tx' frames: $(uc -j ports)"
wait_frames srv "$tx" "first burst"
log "first burst: the port sent $tx of 300 frames, the slow server has all $tx"

# a second, small burst: its last frame too must not wait for a next
"$PLUG" -l 60000 -i 3000 "$SWITCH_CTL" send 20 >"$T/tx2.log" 2>&1 ||
	fail "plug could not send: $(cat "$T/tx2.log")"
busywait 30 eval "[ \"\$(port_q)\" = 0 ]" || fail "the queue did not empty"
tx2=$(port_tx)
wait_frames srv "$tx2" "second burst"
stop sw
# the server writes its final count (short=: bytes of a cut-off frame)
# when it sees the switch's end of the stream, then exits
busywait 10 eval "! alive srv" ||
	fail "the slow server did not see the switch close the stream: $(cat "$T/srv.count")"
stop srv || true
grep -q "short=0" "$T/srv.count" || fail "a frame was cut off at the end: $(cat "$T/srv.count")"
log "ok: a slow stream server got every frame whole: $tx, then $((tx2 - tx)) more"

