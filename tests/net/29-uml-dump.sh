#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 29-uml-dump: netkit's dump request (REQ_NEW_DUMP: a v3 request of type 1,
# exactly 124 bytes) and libvdeplug's request for port 0 (type 1 too, with
# a description after it), on one switch in switch mode (as root, serving
# as nobody, on a VDE-style directory: its management socket is DIR/mgmt).
#  - "uml_dump CTL | tshark -r -" shows every one of the 16 ICMP echo
#    requests and replies that two stock guests exchange by unicast, each
#    once, and ends when the switch does;
#  - a raw REQ_NEW_DUMP client of this test's own (the 124 bytes netkit's
#    uml_dump writes) gets the same 16, and a frame it sends is forwarded
#    to no one (counted as ignored);
#  - a plain client of the same switch gets none of that unicast;
#  - a dump request written as 122 bytes, a pause, then its two padding
#    bytes (printable garbage: netkit leaves them uninitialised) is a dump
#    port too, while a type 1 request whose description comes in pieces
#    after the first 124 bytes is an ordinary port;
#  - "vde_plug DIR[0]" still joins as an ordinary port: frames cross to it
#    and from it, and the switch does not call it a dump port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need tshark vde_plug

switch_start sw -unix "$T/sw/"
MGMT=$T/sw/mgmt
[ -S "$MGMT" ] || fail "no management socket at DIR/mgmt: $(ls -l "$T/sw")"

# netkit's uml_dump, through a pipe into tshark
bg dump sh -c "'$UML_DUMP' '$SWITCH_CTL' 2>'$T/dump.err' | tshark -r - -Y icmp -T fields \
	-e ip.src -e icmp.type >'$T/dump.txt' 2>'$T/tshark.err'"

# the test's own dump client, and a plain one
cat >"$T/raw.py" <<'EOF'
import os, select, socket, struct, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST, tag_of
ctl, ready, done = sys.argv[1], sys.argv[3], sys.argv[4]
data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
addr = (b"\0" + struct.pack("=ii", os.getpid(), int(time.time() * 1e6) % 10**6)).ljust(108, b"\0")
data.bind(addr)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(ctl)
req = struct.pack("=III", 0xfeedface, 3, 1) + struct.pack("=H", socket.AF_UNIX) + addr + b"\0\0"
assert len(req) == 124
c.sendall(req)
reply = c.recv(110)
assert len(reply) == 110, "no reply to REQ_NEW_DUMP: %r" % reply
plain = Client(ctl)
plain.send(frame(BCAST, plain.mac, "plain-hello"))
# a frame from the dump port: forwarded to no one
peer = reply[2:] if reply[2:3] == b"\0" else reply[2:].rstrip(b"\0")
data.sendto(frame(BCAST, b"\x02\0\0\0\xdd\x01", "from-dump"), peer)
open(ready, "w").close()
icmp = {"raw": [], "plain": []}
def take(who, f):
    if len(f) >= 42 and f[12:14] == b"\x08\x00" and f[23] == 1:
        icmp[who].append((socket.inet_ntoa(f[26:30]), f[34]))
    if tag_of(f, 9) == b"from-dump":
        icmp[who].append(("from-dump", 0))
while not os.path.exists(done):
    r, _, _ = select.select([data, plain.data], [], [], 0.1)
    if data in r:
        take("raw", data.recv(65536))
    for f in plain.recv_all():
        take("plain", f)
for who in ("raw", "plain"):
    print(who, " ".join("%s/%d" % x for x in icmp[who]))
sys.stdout.flush()
EOF
bg raw python3 "$T/raw.py" "$SWITCH_CTL" "$ROOT/tests/tools" "$T/raw.ready" "$T/raw.done"
busywait 10 test -e "$T/raw.ready" || fail "the raw dump client did not join: $(cat "$T/raw.log")"
busywait 10 eval "[ \"\$(uc -j ports | jget 'sum(p[\"dump\"] for p in d)')\" = 2 ]" ||
	fail "the switch does not count two dump ports: $(uc ports)"
cat >"$T/split.py" <<'EOF'
import os, socket, struct, sys, time
# argv: ctl, kind (dump: netkit's 124 bytes with printable padding, sent
# as 122 + 2; vde: a type 1 request whose description comes in pieces,
# after 124 bytes), ok file, done file
ctl, kind, ok, done = sys.argv[1:5]
data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
addr = ("\0umlnet-test-" + kind).encode().ljust(108, b"\0")
data.bind(addr)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(ctl)
req = struct.pack("=III", 0xfeedface, 3, 1) + struct.pack("=H", socket.AF_UNIX) + addr
pieces = [req, b"ab"] if kind == "dump" else [req + b" u", b"ser=0 pid=%d" % os.getpid()]
for p in pieces:
    c.sendall(p)
    time.sleep(0.03 if kind == "vde" else 0.3)
assert len(c.recv(110)) == 110
open(ok, "w").close()
while not os.path.exists(done):
    time.sleep(0.1)
EOF
for k in dump vde; do
	bg "split-$k" python3 "$T/split.py" "$SWITCH_CTL" "$k" "$T/split-$k.ok" "$T/raw.done"
	busywait 10 test -e "$T/split-$k.ok" || fail "the $k request in pieces got no reply: $(cat "$T/split-$k.log")"
done
uc -j ports >"$T/ports0.json"
[ "$(jget 'sum(p["dump"] for p in d)' <"$T/ports0.json")" = 3 ] ||
	fail "a dump request in two pieces is not a dump port: $(uc ports)"
[ "$(jget "[p['dump'] for p in d if 'pid=' in p['peer']['desc']]" <"$T/ports0.json")" = '[false]' ] ||
	fail "a type 1 request with a description in pieces is not an ordinary port: $(uc ports)"
log "ok: a REQ_NEW_DUMP sent as 122 bytes, then its 2 padding bytes, is a dump port; a description after 124 bytes, in pieces, makes an ordinary port"

ping_pair_scripts a b 10.0.0
guest_start a eth0=daemon,,unix,"$SWITCH_CTL"
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
ping_pair_check a b

# libvdeplug's port 0: an ordinary port, both ways
cat >"$T/plug0.py" <<'EOF'
import select, struct, subprocess, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST, tag_of
p = subprocess.Popen(["vde_plug", sys.argv[1] + "[0]"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
c = Client(sys.argv[1] + "/ctl")
f = frame(BCAST, b"\x02\0\0\0\x0e\x01", "from-plug0")
ok = False
for i in range(50):		# until vde_plug has joined
    p.stdin.write(struct.pack("!H", len(f)) + f)
    p.stdin.flush()
    if c.wait_tag("from-plug0", 0.1):
        ok = True
        break
assert ok, "a frame from vde_plug DIR[0] did not cross the switch"
c.send(frame(BCAST, c.mac, "to-plug0"))
got, end = b"", time.time() + 5
while b"to-plug0" not in got and time.time() < end:
    r, _, _ = select.select([p.stdout], [], [], 0.1)
    if r:
        got += p.stdout.read1(65536)
assert b"to-plug0" in got, "vde_plug DIR[0] did not get a frame from the switch"
print("plug0 ok")
sys.stdout.flush()
open(sys.argv[3], "w").close()
time.sleep(30)
EOF
bg plug0 python3 "$T/plug0.py" "$T/sw" "$ROOT/tests/tools" "$T/plug0.ok"
busywait 20 eval "[ -e '$T/plug0.ok' ] || ! alive plug0" && [ -e "$T/plug0.ok" ] ||
	fail "vde_plug DIR[0]: $(tail -3 "$T/plug0.log")"
uc -j ports >"$T/ports.json"
desc=$(jget "[p['peer']['desc'] for p in d if 'vdeplug' in p['peer']['desc']]" <"$T/ports.json")
[ "$(jget "[p['dump'] for p in d if 'vdeplug' in p['peer']['desc']]" <"$T/ports.json")" = '[false]' ] ||
	fail "vde_plug DIR[0] is not an ordinary port: $desc"
ign=$(jget "sum(p['counters']['drops']['ignored'] for p in d if p['dump'])" <"$T/ports.json")
[ "$ign" = 1 ] || fail "the frame the raw dump client sent: $ign ignored, want 1"
log "ok: vde_plug DIR[0] ($desc) is an ordinary port; the dump port's own frame went nowhere"
stop plug0

touch "$T/raw.done"
busywait 10 eval "! alive raw" || fail "the raw dump client did not end"
stop raw || fail "raw dump client: $(cat "$T/raw.log")"
# the switch goes: uml_dump ends, tshark reads to the end
stop sw || fail "switch exit status $?"
busywait 10 eval "! alive dump" || fail "uml_dump did not end when the switch went: $(cat "$T/dump.err")"

want="10.0.0.1/0 10.0.0.1/0 10.0.0.1/0 10.0.0.1/0 10.0.0.1/8 10.0.0.1/8 10.0.0.1/8 10.0.0.1/8 10.0.0.2/0 10.0.0.2/0 10.0.0.2/0 10.0.0.2/0 10.0.0.2/8 10.0.0.2/8 10.0.0.2/8 10.0.0.2/8"
got=$(tr '\t' '/' <"$T/dump.txt" | sort | tr '\n' ' ')
[ "${got% }" = "$want" ] || fail "uml_dump | tshark saw '${got% }', want every echo request (8) and reply (0) once: '$want'"
got=$(sed -n 's/^raw //p' "$T/raw.log" | tr ' ' '\n' | sort | tr '\n' ' ')
[ "${got% }" = "$want" ] || fail "the raw REQ_NEW_DUMP client saw '${got% }', want '$want'"
grep -q '^plain $' "$T/raw.log" || fail "a plain client saw unicast between other ports (or the dump's frame): $(grep '^plain' "$T/raw.log")"
log "ok: uml_dump and a raw 124-byte REQ_NEW_DUMP client both saw the 16 unicast ICMP frames between two other guests, a plain client none"
