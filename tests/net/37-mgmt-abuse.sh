#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 37-mgmt-abuse: a management socket's clients cannot hurt the LAN.  While
# loadgen offers paced traffic between two pairs of clients for 20 s, at
# once:
#  - malformed requests (not JSON, wrong types, unknown commands and
#    fields, missing fields, trailing text, invalid UTF-8, deep nesting)
#    each get a JSON error with the right code, and the connection still
#    serves a good request afterwards;
#  - a 1 MB line gets "too_long" and the end of the connection;
#  - half a line and silence (a slow-loris) gets "timeout" after 5 s and
#    the end;
#  - a client that sends requests but never reads the replies is dropped;
#  - an events client that never reads, while 20000 stations are learned,
#    loses events (told {"event":"lost","count":N} once it reads again);
#  - a capture client of every port that never reads loses records (its
#    statistics blocks count them), while another one (umlctl capture, a
#    reader that keeps up) loses none;
#  - 100 management clients at once: the first ones are served, the rest
#    told "busy", none left hanging;
#  - another user cannot connect at all.
# The LAN never noticed: loadgen lost none of its frames, and the switch
# answers "show" at once throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
LOADGEN=$BUILD/bench/loadgen
[ -x "$LOADGEN" ] || fail "$LOADGEN not built (run make)"

switch_start sw -unix "$T/sw.ctl" --max-macs 40000
MGMT=$T/sw.ctl.mgmt

test_user
if out=$("${AS_USER[@]}" "$UMLCTL" -s "$MGMT" show 2>&1); then
	fail "user $TEST_USER could use the management socket: $out"
fi
grep -q 'Permission denied' <<<"$out" || fail "another user's refusal does not say why: $out"
log "ok: another user cannot connect ($out)"

bg good "$UMLCTL" -s "$MGMT" capture -w "$T/good.pcapng"
busywait 5 test -s "$T/good.pcapng" || fail "the good capture did not start: $(cat "$T/good.log")"
bg lan "$LOADGEN" -c "$SWITCH_CTL" paced -p 2 -d 20 -s 60 -r 3000 -b 3
busywait 10 eval "[ \"\$(uc -j show | jget \"d['ports']\")\" -ge 4 ]" || fail "loadgen did not join: $(cat "$T/lan.log")"

cat >"$T/abuse.py" <<'EOF'
import json, os, select, socket, struct, sys, threading, time
sys.path.insert(0, sys.argv[3])
from dclient import Client, frame, mac, BCAST
MGMT, CTL = sys.argv[1], sys.argv[2]
errors = []

def conn(rcvbuf=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(MGMT)
    return s

def readline(s, timeout):
    buf, end = b"", time.time() + timeout
    while not buf.endswith(b"\n"):
        left = end - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return None
        try:
            d = s.recv(1)
        except ConnectionResetError:
            return None
        if not d:
            return buf or None
        buf += d
    return json.loads(buf)

def eof(s, timeout):
    """True if the switch ends the connection within timeout (what it
    still sends is read and dropped)."""
    end = time.time() + timeout
    while time.time() < end:
        if select.select([s], [], [], 0.2)[0]:
            try:
                if not s.recv(1 << 20):
                    return True
            except ConnectionResetError:
                return True
    return False

def check(what, cond):
    if not cond:
        errors.append(what)

def malformed():
    s = conn()
    cases = [(b"hello", "parse"), (b"[1]", "type"),
             (b'{"cmd":"show","x":1}', "unknown_field"),
             (b'{"cmd":"frobnicate"}', "unknown_cmd"), (b'{"cmd":7}', "type"),
             (b'{"cmd":"port_del","port":[1]}', "type"),
             (b'{"cmd":"port_set","port":1}', "missing_field"),
             (b'{"cmd":"show"', "parse"), (b'{"cmd":"show"}{"cmd":"show"}', "parse"),
             (b'{"cmd":"\xff\xfe"}', "parse"), (b"[" * 100 + b"]" * 100, "parse"),
             (b'{"cmd":"show","cmd":"ports"}', "duplicate_field"),
             (b'{"cmd":"ports","start":"x"}', "type"),
             (b'{"cmd":"port_del","port":99}', "not_found"),
             (b'{"cmd":"port_add","spec":"nosuch"}', "bad_value"),
             (b'{"cmd":"stop"}', "bad_value")]
    for line, code in cases:
        s.sendall(line + b"\n")
        r = readline(s, 5)
        check("malformed %r: got %r, want code %s" % (line[:40], r, code),
              r and r.get("ok") is False and r.get("code") == code and r.get("error"))
    s.sendall(b'{"cmd":"show"}\n')
    r = readline(s, 5)
    check("a good request after the bad ones: %r" % r, r and r.get("ok") is True)
    s.close()

def long_line():
    s = conn()
    def send():
        try:
            s.sendall(b"x" * (1 << 20) + b"\n")
        except OSError:
            pass	# the switch ended it: expected
    t = threading.Thread(target=send)
    t.start()
    r = readline(s, 10)
    check("1 MB line: got %r, want too_long" % r, r and r.get("code") == "too_long")
    check("1 MB line: the connection did not end", eof(s, 5))
    t.join(10)

def slow_loris():
    s = conn()
    s.sendall(b'{"cmd":"sh')
    t0 = time.time()
    r = readline(s, 10)
    check("slow-loris: got %r, want timeout" % r, r and r.get("code") == "timeout")
    check("slow-loris: answered after %.1f s, want about 5" % (time.time() - t0),
          4 <= time.time() - t0 <= 8)
    check("slow-loris: the connection did not end", eof(s, 5))

def deaf_replies():
    s = conn(rcvbuf=4096)
    s.setblocking(False)
    sent = 0
    try:
        while sent < 20000:
            s.send(b'{"cmd":"ports"}\n')
            sent += 1
    except BlockingIOError:
        pass
    time.sleep(12)		# the switch's patience is 10 s
    check("a client that never reads its replies was not dropped", eof(s, 10))

def deaf_events(learned):
    s = conn(rcvbuf=4096)
    s.sendall(b'{"cmd":"events"}\n')
    check("events: no reply", readline(s, 5).get("ok") is True)
    learned.wait(60)
    time.sleep(1)		# the last events go
    data, end = b"", time.time() + 0.5	# now read what was kept
    while time.time() < end:
        if select.select([s], [], [], 0.1)[0]:
            data += s.recv(1 << 20)
    for i in range(100):	# an event, after the losses (the crowd may
        t = conn()		# hold every slot for a while)
        try:
            t.sendall(b'{"cmd":"fdb_flush"}\n')
        except OSError:
            pass		# busy: told so, and closed
        r = readline(t, 5)
        t.close()
        if r and r.get("ok"):
            break
        time.sleep(0.2)
    end = time.time() + 5
    while b'"fdb_flush"' not in data and time.time() < end:
        if select.select([s], [], [], 0.2)[0]:
            data += s.recv(65536)
    lost = [json.loads(l)["count"] for l in data.split(b"\n") if b'"lost"' in l]
    learned_n = data.count(b'"mac_learned"')
    check("deaf events client: not told of lost events (%d learned events came)"
          % learned_n, lost and sum(lost) > 0)
    check("deaf events client: %d events + %d lost, want 20000 or more"
          % (learned_n, sum(lost)), learned_n + sum(lost) >= 20000)
    s.close()
    return sum(lost)

def pcapng_lost(data):
    off, lost, recs = 0, 0, 0
    while off + 12 <= len(data):
        typ, ln = struct.unpack_from("=II", data, off)
        if ln < 12 or off + ln > len(data):
            break
        if typ == 6:
            recs += 1
        if typ == 5:
            o = off + 20
            while o + 4 <= off + ln - 4:
                code, olen = struct.unpack_from("=HH", data, o)
                if code == 0:
                    break
                if code == 5:
                    lost += struct.unpack_from("=Q", data, o + 4)[0]
                o += 4 + ((olen + 3) & ~3)
        off += ln
    return recs, lost

def deaf_capture():
    s = conn(rcvbuf=4096)
    s.sendall(b'{"cmd":"capture"}\n')
    check("capture: no reply", readline(s, 5).get("ok") is True)
    time.sleep(8)		# the LAN's frames go on
    s.sendall(b'{"cmd":"stop"}\n')
    data, end = b"", time.time() + 10
    while time.time() < end:
        if select.select([s], [], [], 0.5)[0]:
            d = s.recv(1 << 20)
            if not d:
                break
            data += d
    recs, lost = pcapng_lost(data)
    check("deaf capture: %d records, %d lost: want some of each" % (recs, lost),
          recs > 0 and lost > 0)
    return {"records": recs, "lost": lost}

def crowd():
    socks, busy = [], 0
    for i in range(100):
        socks.append(conn())
    served = []
    for s in socks:
        r = readline(s, 0.3)
        if r and r.get("code") == "busy":
            busy += 1
        elif r is None:
            served.append(s)
    for s in served:
        s.sendall(b'{"cmd":"show"}\n')
    ok = sum(1 for s in served if (readline(s, 5) or {}).get("ok") is True)
    check("100 clients: %d busy, %d served of %d left: want all answered"
          % (busy, ok, len(served)), busy + ok == 100 and busy >= 80)
    for s in socks:
        s.close()
    return busy

def flood_macs(learned):
    c = Client(CTL, mac(0x4242))
    c.send(frame(BCAST, c.mac, "hello"))	# learned first: frames to it go nowhere
    time.sleep(0.2)
    for i in range(20000):
        while not c.send(frame(c.mac, mac(0x100000 + i), "m")):
            time.sleep(0.001)
    learned.set()

def guarded(name, f, *args):
    """A thread's body: what it returns goes to res, an exception to errors."""
    def run():
        try:
            res[name] = f(*args)
        except Exception as e:
            errors.append("%s: %r" % (name, e))
    return threading.Thread(target=run)

learned = threading.Event()
res = {}
threads = [guarded(f.__name__, f) for f in (malformed, long_line, slow_loris,
                                             deaf_replies, deaf_capture)]
threads.append(guarded("events", deaf_events, learned))
threads.append(guarded("flood", flood_macs, learned))
for t in threads:
    t.start()
time.sleep(1)
res["busy"] = crowd()
# meanwhile the switch answers at once
for i in range(20):
    t0 = time.time()
    s = conn()
    s.sendall(b'{"cmd":"show"}\n')
    r = readline(s, 5)
    s.close()
    if r and r.get("code") == "busy":
        continue
    check("show during the abuse: %r after %.2f s" % (r, time.time() - t0),
          r and r.get("ok") is True and time.time() - t0 < 1)
    time.sleep(0.5)
for t in threads:
    t.join(60)
    check("a part of the test did not finish", not t.is_alive())
print("results", json.dumps(res))
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
EOF
python3 "$T/abuse.py" "$MGMT" "$SWITCH_CTL" "$ROOT/tests/tools" >"$T/abuse.txt" 2>&1 ||
	fail "$(grep -E 'ERROR|Error|Traceback' -A3 "$T/abuse.txt" | head -20)"
log "$(grep results "$T/abuse.txt")"

busywait 30 eval "! alive lan" || fail "loadgen did not finish"
stop lan || fail "loadgen failed: $(cat "$T/lan.log")"
line=$(grep 'mode=paced' "$T/lan.log") || fail "no loadgen result: $(cat "$T/lan.log")"
lost=$(sed -n 's/.* lost=\([0-9]*\) .*/\1/p' <<<"$line")
sent=$(sed -n 's/.* sent=\([0-9]*\) .*/\1/p' <<<"$line")
[ "$lost" = 0 ] && [ "$sent" -gt 50000 ] || fail "the LAN noticed: $line"
alive sw || fail "the switch died: $(tail -5 "$T/sw.log")"
stop good INT || fail "the good capture: $(cat "$T/good.log")"
grep -q ' 0 lost' "$T/good.log" || fail "the good capture lost records beside the deaf one: $(cat "$T/good.log")"
uc show >/dev/null || fail "show after the abuse"
[ "$(uc -j show | jget "d['mgmt_clients']")" = 1 ] || fail "management clients left over: $(uc show)"
log "ok: every abuse was answered or cut off; the LAN lost none of $sent paced frames"
