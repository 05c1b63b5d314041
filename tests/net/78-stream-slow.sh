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
# (Our kernel's eth0=stream has the same gap; its fix is not in yet.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need python3
need_plug

# slow_server NAME SOCK: a stream server reading 4 KiB per millisecond.  It
# writes "frames=N bad=B short=S" to $T/NAME.count whenever it changes (bad:
# a length beyond 65535 or a test payload broken; short: bytes of a frame
# left when the client closed).
cat >"$T/slow.py" <<'PY'
import os, socket, struct, sys, time
path, out = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
print("listening", flush=True)
c, _ = srv.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
buf, frames, bad, last = b"", 0, 0, None

def intact(f):
    if len(f) <= 14 or f[12:14] != b"\x88\xb5":
        return True     # not a plug test frame: only its length counts
    seq = f[14]
    return all(f[14 + i] == (seq + i) & 0xff for i in range(len(f) - 14))

def report(final=False):
    global last
    line = "frames=%d bad=%d short=%d\n" % (frames, bad, len(buf) if final else 0)
    if line != last:
        with open(out + ".tmp", "w") as f:
            f.write(line)
        os.rename(out + ".tmp", out)
        last = line

report()
while True:
    d = c.recv(4096)
    if not d:
        break
    buf += d
    while len(buf) >= 4:
        n = struct.unpack("!I", buf[:4])[0]
        if n > 65535:
            bad += 1
            buf = b""
            break
        if len(buf) < 4 + n:
            break
        if not intact(buf[4:4 + n]):
            bad += 1
        frames += 1
        buf = buf[4 + n:]
    report()
    time.sleep(0.001)
report(True)
PY
slow_server() {
	local name=$1 sock=$2
	bg "$name" python3 "$T/slow.py" "$sock" "$T/$name.count"
	busywait 10 grep -q listening "$T/$name.log" ||
		fail "slow server $name did not start: $(tail -3 "$T/$name.log")"
}

count_of() { sed -n 's/.*frames=\([0-9]*\).*/\1/p' "$T/$1.count" 2>/dev/null; }

# wait_frames NAME N WHAT: the server NAME has N whole, intact frames
wait_frames() {
	local name=$1 n=$2 what=$3
	busywait 20 eval "[ \"\$(count_of $name)\" = $n ]" ||
		fail "$what: the server has $(count_of "$name") whole frames of the $n sent ($(cat "$T/$name.count")); the rest of a frame the socket took only part of was not sent on"
	grep -q "bad=0 " "$T/$name.count" ||
		fail "$what: the server saw broken frames: $(cat "$T/$name.count")"
}

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

