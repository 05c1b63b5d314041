#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 23-compat-v0: -compat-v0 clients (the protocol's version 0: a 120-byte
# request with no magic, every client sending to one shared data socket)
# and --queue.
#  - three v0 clients A, B, C, each on its own abstract data socket: A's
#    broadcast reaches B and C; B's unicast to A reaches A only, and A's
#    to B reaches B only (the switch tells v0 senders apart by their exact
#    address: a sender matched by prefix would land on A's port and B's
#    frames to A would go nowhere);
#  - with --queue 64, a fourth v0 client D that never reads holds exactly
#    64 frames in its queue (after its own socket's) while A floods, and
#    B and C get every one of A's frames.
. "$(dirname "$0")/lib.sh"
need python3

CTL=$T/sw.ctl DATA=$T/sw.data
switch_start sw -compat-v0 -unix "$CTL" "$DATA" --queue 64
[ -S "$DATA" ] || fail "no shared data socket $DATA"

cat >"$T/v0.py" <<'EOF'
import os, select, socket, struct, sys, time

ctl, data, go = sys.argv[1], sys.argv[2], sys.argv[3]
MAC = {n: bytes([2, 0, 0, 0, 0x23, i + 1]) for i, n in enumerate("ABCD")}
BCAST = b"\xff" * 6

def client(n):
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = ("\0umlnet-v0-test-%d-%s" % (os.getpid(), n)).encode().ljust(108, b"\0")
    d.bind(name)			# full length, as UML binds it
    d.setblocking(False)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(ctl)
    addr = struct.pack("=H", socket.AF_UNIX) + name
    req = struct.pack("=I", 0) + MAC[n] + addr	# v0: type, MAC, address
    assert len(req) == 120
    c.sendall(req)
    return c, d

def send(n, f):
    """sendto the shared socket, waiting while the switch's queue is full"""
    end = time.time() + 5
    while True:
        try:
            return sock[n].sendto(f, data)
        except BlockingIOError:
            if time.time() > end:
                raise
            time.sleep(0.001)

def frame(dst, src, tag):
    return dst + MAC[src] + b"\x88\xb5" + tag.encode().ljust(46, b"\0")

def recv_all(d):
    got = []
    while True:
        try:
            got.append(d.recv(65536))
        except BlockingIOError:
            return got

def expect(d, tag, secs=5):
    end = time.time() + secs
    while time.time() < end:
        select.select([d], [], [], 0.05)
        for f in recv_all(d):
            if f[14:14 + len(tag)] == tag.encode():
                return True
    return False

conns = {n: client(n) for n in "ABC"}
sock = {n: conns[n][1] for n in "ABC"}
# A's broadcast, until B and C hear it (the switch registers them in turn)
ok = False
for i in range(100):
    sock["A"].sendto(frame(BCAST, "A", "hello%d" % i), data)
    if expect(sock["B"], "hello%d" % i, 0.05):
        ok = True
        break
assert ok, "B never heard A's broadcast"
assert expect(sock["C"], "hello"), "C never heard A's broadcast"
for n in "ABC":
    recv_all(sock[n])
# unicast both ways; C must see neither
sock["B"].sendto(frame(MAC["A"], "B", "b-to-a"), data)
assert expect(sock["A"], "b-to-a"), "B's unicast to A did not reach A"
sock["A"].sendto(frame(MAC["B"], "A", "a-to-b"), data)
assert expect(sock["B"], "a-to-b"), "A's unicast to B did not reach B"
time.sleep(0.2)		# nothing more is coming: make sure of it
assert not [f for f in recv_all(sock["C"]) if f[14:18] in (b"b-to", b"a-to")], \
    "C saw unicast between A and B"
print("unicast ok")

# D joins and never reads; A floods 300 frames at a pace B and C keep up with
conns["D"] = client("D")
ok = False
for i in range(100):
    sock["A"].sendto(frame(BCAST, "A", "d-join%d" % i), data)
    time.sleep(0.02)
    if [f for f in recv_all(sock["B"]) if f[14:20] == b"d-join"] and i > 5:
        ok = True
        break
assert ok
recv_all(sock["C"])
got = {"B": 0, "C": 0}
def drain(want, secs=10):
    end = time.time() + secs
    while (got["B"] < want or got["C"] < want) and time.time() < end:
        time.sleep(0.005)
        for n in "BC":
            got[n] += len([f for f in recv_all(sock[n]) if f[14:19] == b"flood"])
# 20 at a time, then B and C catch up: their queues (64) never fill,
# however slowly this script runs, while D's does
for i in range(300):
    send("A", frame(BCAST, "A", "flood%04d" % i))
    if i % 20 == 19:
        drain(i + 1)
drain(300)
assert got == {"B": 300, "C": 300}, "B and C did not get every flood frame: %s" % got
print("flood ok")
open(go, "w").write("stats\n")
# wait for the test to read the switch's counters, then D drains its socket
while os.path.exists(go):
    time.sleep(0.05)
d = conns["D"][1]
n = len([f for f in recv_all(d) if f[14:19] == b"flood"])
print("D had %d flood frames in its socket" % n)
EOF
bg v0 python3 "$T/v0.py" "$CTL" "$DATA" "$T/go"
busywait 30 eval "[ -e '$T/go' ] || ! alive v0" || fail "v0 clients did not finish"
[ -e "$T/go" ] || { stop v0; fail "v0 clients: $(tail -5 "$T/v0.log")"; }
st=$(switch_stats sw) || fail "no stats from the switch"
log "$st"
n=$(echo "$st" | grep -c 'stats: port [0-9]* daemon-v0 ')
[ "$n" = 4 ] || fail "want 4 v0 ports in the stats, got $n: $st"
echo "$st" | grep -E 'daemon-v0 .* queue=64 ' >/dev/null ||
	fail "the v0 client that never reads does not hold exactly --queue 64 frames: $st"
[ "$(echo "$st" | grep -cE 'daemon-v0 .* queue=0 ')" = 3 ] ||
	fail "the three v0 clients that read still have frames queued: $st"
rm -f "$T/go"
busywait 10 eval "! alive v0"
stop v0 || fail "v0 clients failed: $(cat "$T/v0.log")"
grep -q 'unicast ok' "$T/v0.log" && grep -q 'flood ok' "$T/v0.log" ||
	fail "v0 clients: $(cat "$T/v0.log")"
log "ok: v0 clients told apart by address, unicast and floods delivered, --queue 64 held: $(grep 'D had' "$T/v0.log")"
