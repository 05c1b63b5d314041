#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 24-no-echo: the forwarding rules, deterministically, switch and hub.
#  - a frame never goes back out of the port it came in on: A floods
#    broadcasts, multicasts and unknown unicasts; B and C get every one, A
#    none of its own (checked after a marker from C, queued behind any
#    echo, has reached A);
#  - a frame for a station learned on its own sender's port goes nowhere;
#  - unicast to a learned station reaches only that port (switch mode),
#    every port but the sender's (hub mode);
#  - a frame shorter than an Ethernet header is dropped, never delivered.
. "$(dirname "$0")/lib.sh"
need python3

cat >"$T/echo.py" <<'EOF'
import sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, mac, BCAST, tag_of

ctl, hub = sys.argv[1], sys.argv[3] == "hub"
a, b, c = Client(ctl, mac(0xa)), Client(ctl, mac(0xb)), Client(ctl, mac(0xc))
# learn B and C
for cl in (b, c):
    cl.send(frame(BCAST, cl.mac, "hello"))
assert a.wait_tag("hello", 5)
time.sleep(0.1)
for cl in (a, b, c):
    cl.recv_all()
N = 100
dsts = [BCAST, b"\x01\x00\x5e\x00\x00\x01", b"\x33\x33\x00\x00\x00\x01",
        mac(0x777)]			# broadcast, two multicasts, unknown
for i in range(N):
    a.send(frame(dsts[i % 4], a.mac, "flood%03d" % i))
    time.sleep(0.001)
def count(cl, pfx, secs=5, want=N):
    n, end = 0, time.time() + secs
    while time.time() < end and n < want:
        time.sleep(0.02)
        n += sum(1 for f in cl.recv_all() if tag_of(f, len(pfx)) == pfx)
    return n
nb, nc = count(b, b"flood"), count(c, b"flood")
assert nb == N and nc == N, "floods: B got %d, C got %d of %d" % (nb, nc, N)
# a marker from C queues behind any echo in A's queue
c.send(frame(BCAST, c.mac, "marker"))
seen = []
end = time.time() + 5
while time.time() < end:
    time.sleep(0.02)
    fs = a.recv_all()
    seen += fs
    if any(tag_of(f, 6) == b"marker" for f in fs):
        break
else:
    raise SystemExit("A never got C's marker")
echo = [f for f in seen if tag_of(f, 5) == b"flood"]
assert not echo, "%d flooded frames came back to their sender" % len(echo)
print("no echo of %d floods" % N)
# B sends to C's MAC from B's port after C "moved" there: a frame for a
# station on its own sender's port goes nowhere (switch); in a hub it
# floods to the others
b.send(frame(BCAST, mac(0xd), "d-on-b"))	# station D lives on B's port
assert a.wait_tag("d-on-b", 5) and c.wait_tag("d-on-b", 5)
def upto(cl, marker, secs=5):
    """Frames cl gets until (and with) one tagged marker."""
    seen, end = [], time.time() + secs
    while time.time() < end:
        time.sleep(0.02)
        seen += cl.recv_all()
        if any(tag_of(f, len(marker)) == marker for f in seen):
            return seen
    raise SystemExit("marker %s never came" % marker)
b.send(frame(mac(0xd), b.mac, "to-d"))
a.send(frame(BCAST, a.mac, "marker2"))	# after to-d, to B and C
b.send(frame(BCAST, b.mac, "marker2"))	# to A and C
got = {}
for n, cl in (("a", a), ("b", b), ("c", c)):
    got[n] = [f for f in upto(cl, b"marker2") if tag_of(f, 4) == b"to-d"]
if hub:
    assert got["a"] and got["c"] and not got["b"], got
else:
    assert not got["a"] and not got["b"] and not got["c"], \
        "a frame for a station on its sender's port went out: %s" % got
# unicast A -> B: only B (switch), B and C (hub); never A
a.send(frame(b.mac, a.mac, "a-to-b"))
assert b.wait_tag("a-to-b", 5)
c.send(frame(BCAST, c.mac, "marker3"))
assert a.wait_tag("marker3", 5) and b.wait_tag("marker3", 5)
gc = [f for f in c.recv_all() if tag_of(f, 6) == b"a-to-b"]
ga = [f for f in a.recv_all() if tag_of(f, 6) == b"a-to-b"]
assert not ga, "A got its own unicast back"
assert bool(gc) == hub, "C %s A's unicast to B" % ("missed" if hub else "saw")
# runts: 13 bytes, 1 byte, 0 bytes from A; nothing arrives at B
for n in (13, 1, 0):
    a.data.send(b"\xff" * n)
a.send(frame(BCAST, a.mac, "marker4"))
assert b.wait_tag("marker4", 5)
time.sleep(0.1)
short = [f for f in b.recv_all() if len(f) < 14]
assert not short, "runts were delivered: %s" % [len(f) for f in short]
# a multicast source address is never learned: four stations (A, B, C
# and D behind B), whatever comes from 01:00:5e:00:00:99
a.send(frame(BCAST, b"\x01\x00\x5e\x00\x00\x99", "mcsrc"))
assert b.wait_tag("mcsrc", 5)
print("rules hold (%s)" % ("hub" if hub else "switch"))
sys.stdout.flush()
# keep the ports until the test has read the counters
open(sys.argv[4], "w").close()
import os
while os.path.exists(sys.argv[4]):
    time.sleep(0.05)
EOF

for mode in switch hub; do
	switch_start "sw-$mode" -unix "$T/$mode.ctl" --mode "$mode"
	bg "py-$mode" python3 "$T/echo.py" "$SWITCH_CTL" "$ROOT/tests/tools" "$mode" "$T/$mode.go"
	busywait 30 eval "[ -e '$T/$mode.go' ] || ! alive py-$mode"
	[ -e "$T/$mode.go" ] || { stop "py-$mode"; fail "$mode: $(tail -5 "$T/py-$mode.log")"; }
	st=$(switch_stats "sw-$mode")
	rm -f "$T/$mode.go"
	busywait 10 eval "! alive py-$mode"
	stop "py-$mode" || fail "$mode: $(tail -5 "$T/py-$mode.log")"
	grep -Eq 'size=3 ' <<<"$st" || fail "$mode: the three runts are not counted as size drops: $st"
	if [ "$mode" = switch ]; then
		grep -q 'fdb=4/' <<<"$st" || fail "switch: not 4 stations learned (a multicast source learned?): $st"
	fi
	stop "sw-$mode"
	cp "$T/py-$mode.log" "$T/$mode.out"
	log "$mode: $(tail -1 "$T/$mode.out")"
done
log "ok: no echo, own-port stations, unicast reach and runts hold in switch and hub mode"
