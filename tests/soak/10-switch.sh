#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-switch: uml_switch under abuse keeps serving everyone else, and its
# memory and descriptors stay bounded.
#  - 500*N clients connect and leave (half of them killed mid-handshake,
#    half after a whole request): the serving process's descriptors come
#    back to what they were, its memory does not grow;
#  - a MAC flood of 50000*N source addresses: the table fills and counts
#    the overflow, frames go on (flooded), memory stays bounded;
#  - 50*N idle clients at once, and one that never reads, while two others
#    exchange frames; a storm of malformed frames (runts, oversized) and
#    of malformed requests: every frame of the honest pair arrives;
#  - at the end the switch still passes traffic and stops cleanly.
# Run by make check (N=1) and make soak (N=20: 10000 cycles, a million
# addresses, 1000 idle clients).  SOAK_SWITCH: another build to run (e.g.
# the ASan one, with SOAK_NO_SANDBOX=1 so LeakSanitizer can run at exit).
#   SOAK_SCALE=N   (default 1)
. "$(dirname "$0")/../net/lib.sh"
need python3
need_plug

SCALE=${SOAK_SCALE:-1}
case $SCALE in ''|*[!0-9]*|0) fail "SOAK_SCALE must be a positive integer, not '$SCALE'" ;; esac
SW=${SOAK_SWITCH:-$UML_SWITCH}
[ -x "$SW" ] || fail "no switch $SW"
TOOLS=$ROOT/tests/tools
IDLE=$((50 * SCALE))
extra=()
[ "${SOAK_NO_SANDBOX:-0}" = 1 ] && extra=(--sandbox-off)

UML_SWITCH=$SW switch_start sw -unix "$T/sw.ctl" --max-ports $((IDLE + 20)) \
	--max-macs 4096 "${extra[@]}"
CTL=$SWITCH_CTL
# the serving process: the janitor's child when started as root
srv=$(bg_pid sw)
c=$(pgrep -P "$srv" -x "$(basename "$SW")")
[ -n "$c" ] && srv=$c
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$srv/status"; }
fds() { ls "/proc/$srv/fd" | wc -l; }
plug_check start "$CTL" || fail "no traffic at the start"
rss0=$(rss) fds0=$(fds)
log "start: RSS ${rss0} kB, $fds0 descriptors"

# ---- connect / leave cycles ------------------------------------------------
python3 - "$CTL" "$((500 * SCALE))" <<'EOF' || fail "connect/leave cycles failed"
import os, socket, struct, sys
ctl, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(ctl)
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = ("\0soak-%d-%d" % (os.getpid(), i)).encode().ljust(108, b"\0")
    d.bind(name)
    req = struct.pack("=III", 0xfeedface, 3, 0) + struct.pack("=H", 1) + name + b"\0\0"
    if i % 2:
        c.sendall(req[:50])	# half a request, then gone
    else:
        c.sendall(req)
        c.settimeout(5)
        assert len(c.recv(110)) == 110, "no reply at cycle %d" % i
    c.close()
    d.close()
EOF
# the last departures are seen within a tick or two
busywait 10 eval "[ \$(fds) -le $fds0 ]" || fail "descriptors: $fds0 before the cycles, $(fds) after"
rss1=$(rss)
log "after $((500 * SCALE)) cycles: RSS ${rss1} kB, $(fds) descriptors"
[ "$rss1" -le $((rss0 + 2048)) ] || fail "RSS grew from $rss0 to $rss1 kB over the cycles"

# ---- a MAC flood --------------------------------------------------------------
bg rx "$PLUG" -t 300 "$CTL" recv 100000000
busywait 10 grep -q ready "$T/rx.log" || fail "receiver did not join"
cat >"$T/flood.py" <<'EOF'
import os, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST
a = Client(sys.argv[1])
n = int(sys.argv[3])
i = 0
while i < n:
    src = bytes([2, 0x5a, (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff])
    if a.send(frame(BCAST, src, "flood")):
        i += 1
    else:
        time.sleep(0.0005)
# stay, so that the stations stay learned, until the test has looked
open(sys.argv[4], "w").close()
while os.path.exists(sys.argv[4]):
    time.sleep(0.05)
EOF
bg flood python3 "$T/flood.py" "$CTL" "$TOOLS" "$((50000 * SCALE))" "$T/flood.done"
busywait $((60 * SCALE)) eval "[ -e '$T/flood.done' ] || ! alive flood" || fail "the MAC flood did not end"
[ -e "$T/flood.done" ] || fail "MAC flood failed: $(tail -3 "$T/flood.log")"
st=$(switch_stats sw) || fail "no stats"
rm -f "$T/flood.done"
full=$(echo "$st" | sed -n 's/.*stats: ports=.* full=\([0-9]*\).*/\1/p')
[ "${full:-0}" -gt 0 ] || fail "the full table counted no overflow: $st"
grep -q 'fdb=4096/4096' <<<"$st" || fail "the table is not full after the flood: $st"
got=$(grep -c '^frame ' "$T/rx.log")
[ "$got" -gt 0 ] || fail "no flooded frame reached the receiver"
rss2=$(rss)
log "MAC flood of $((50000 * SCALE)): table full, $full overflows counted, receiver saw $got, RSS ${rss2} kB"
[ "$rss2" -le $((rss0 + 65536)) ] || fail "RSS grew from $rss0 to $rss2 kB in a MAC flood"
stop rx KILL
busywait 10 eval "! alive flood"
stop flood || fail "MAC flood: $(tail -3 "$T/flood.log")"

# ---- idle crowd, a client that never reads, malformed storms ------------------------
cat >"$T/crowd.py" <<'EOF'
import os, socket, struct, sys, time
sys.path.insert(0, sys.argv[2])
from dclient import Client, frame, BCAST, tag_of
ctl, idle = sys.argv[1], int(sys.argv[3])
crowd = [Client(ctl) for _ in range(idle)]
deaf = Client(ctl, rcvbuf=4096)	# never reads
a, b = Client(ctl), Client(ctl)
# malformed requests: garbage, wrong magic, huge, half and gone
for junk in (b"\0" * 300, b"\xff" * 124, os.urandom(124), b"GET / HTTP/1.0\r\n\r\n"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(ctl)
    s.sendall(junk)
    s.close()
# malformed frames from a: runts and oversized datagrams
for n in (0, 1, 13):
    a.data.send(b"\xff" * n)
big = b"\xff" * 6 + a.mac + b"\x88\xb5" + b"x" * 70000
try:
    a.data.send(big)
except OSError:
    pass
# the honest pair: 2000 frames a -> b, in steps b keeps up with
want = 2000
got = 0
for i in range(want):
    while not a.send(frame(b.mac, a.mac, "pair")):
        time.sleep(0.0005)
    if i % 50 == 49:
        end = time.time() + 5
        while got < i + 1 and time.time() < end:
            got += sum(1 for f in b.recv_all() if tag_of(f, 4) == b"pair")
            time.sleep(0.001)
end = time.time() + 5
while got < want and time.time() < end:
    got += sum(1 for f in b.recv_all() if tag_of(f, 4) == b"pair")
    time.sleep(0.01)
assert got == want, "the honest pair got %d of %d frames" % (got, want)
print("pair ok", flush=True)
open(sys.argv[4], "w").close()
while os.path.exists(sys.argv[4]):
    time.sleep(0.05)
EOF
bg crowd python3 "$T/crowd.py" "$CTL" "$TOOLS" "$IDLE" "$T/crowd.done"
busywait 120 eval "[ -e '$T/crowd.done' ] || ! alive crowd" || fail "the crowd did not finish"
[ -e "$T/crowd.done" ] || fail "crowd and storms failed: $(tail -5 "$T/crowd.log")"
st=$(switch_stats sw)
rm -f "$T/crowd.done"
busywait 10 eval "! alive crowd"
stop crowd || fail "crowd: $(tail -5 "$T/crowd.log")"
grep -Eq 'size=[1-9]' <<<"$st" || fail "runts and oversized frames not counted: $st"
plug_check end "$CTL" || fail "no traffic at the end"
rss3=$(rss)
busywait 10 eval "[ \$(fds) -le $fds0 ]" || fail "descriptors: $fds0 at the start, $(fds) at the end"
log "end: RSS ${rss3} kB, $(fds) descriptors"
stop sw || fail "the switch did not stop cleanly (status $?): $(tail -5 "$T/sw.log")"
grep -q 'forbidden system call\|AddressSanitizer\|LeakSanitizer\|runtime error' "$T/sw.log" &&
	fail "$(grep -m3 'forbidden system call\|Sanitizer\|runtime error' "$T/sw.log")"
log "ok: cycles, MAC flood, idle crowd, a deaf client and malformed storms: memory and descriptors bounded, traffic on"
