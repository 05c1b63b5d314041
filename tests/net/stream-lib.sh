# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tests/net/stream-lib.sh: the slow stream server of the stream tests (78,
# 89), sourced after lib.sh.
#   slow_server NAME SOCK   a server on SOCK reading 4 KiB per millisecond
#   count_of NAME           whole frames it has
#   wait_frames NAME N WHAT it has N whole, intact frames (20 s, else fail)
need python3

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
