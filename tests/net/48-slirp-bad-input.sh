#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 48-slirp-bad-input: uml_slirp and the slirp transport against bad input.
#  - bad command lines give a clear message naming the culprit, exit 2;
#  - legacy (SLIP) mode: garbage, bad escapes, an over-long packet and
#    non-IPv4 packets are dropped, then a ping of 10.0.2.2 is answered;
#  - Ethernet mode: runts, an oversized frame, then an ARP request for
#    10.0.2.2 is answered; a ping sent to another station's MAC (as a hub
#    passes it) is ignored, the same to slirp's MAC answered; end of file
#    makes it exit 0;
#  - the switch refuses bad slirp port specs with the transport's message;
#  - kill -9 of a slirp port's helper: the switch logs the port's
#    disconnect and keeps serving its other ports.
. "$(dirname "$0")/lib.sh"

UML_SLIRP=${UML_SLIRP:-$BUILD/uml_slirp}
[ -x "$UML_SLIRP" ] || fail "$UML_SLIRP not built (run make)"
need python3

# expect_err WHAT ERE ARGS...: uml_slirp ARGS must exit 2 with ERE on stderr
expect_err() {
	local what=$1 re=$2 rc=0; shift 2
	"$UML_SLIRP" "$@" </dev/null >"$T/out" 2>"$T/err" || rc=$?
	[ $rc -eq 2 ] || fail "$what: exit status $rc, wanted 2 ($(cat "$T/err"))"
	grep -Eq -- "$re" "$T/err" || fail "$what: message '$(head -1 "$T/err")' does not match '$re'"
	[ -s "$T/out" ] && fail "$what: wrote to stdout (the SLIP link): $(cat "$T/out")"
	log "ok: $what -> $(head -1 "$T/err")"
}
expect_err "unknown option" "unknown option '--bogus'" --bogus
expect_err "missing value" "'--net' needs a value" --fd 3 --net
expect_err "bad network" "--net: bad value '10.0.2.0/33'" --fd 3 --net 10.0.2.0/33
expect_err "host bits in network" "--net: bad value '10.0.2.1/24'" --fd 3 --net 10.0.2.1/24
expect_err "host outside network" "inside --net" --fd 3 --host 192.168.1.1
expect_err "port out of range" "bad forward 'tcp:99999:80'" --fd 3 --forward tcp:99999:80
expect_err "bad protocol" "bad forward 'sctp:1:2'" --fd 3 --forward sctp:1:2
expect_err "bad mtu" "--mtu: bad value '70000'" --fd 3 --mtu 70000
expect_err "unknown legacy command" "unknown command 'baud'" baud 9600
expect_err "bad redir" "bad command 'redir tcp x 80'" "redir tcp x 80"
expect_err "IPv6 on SLIP" "IPv4 only" --ipv6-prefix fd00::/64
rc=0; "$UML_SLIRP" </dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'not a socket or pipe' "$T/err" || fail "stdin /dev/null: status $rc, $(cat "$T/err")"
echo keep >"$T/plain"
rc=0; "$UML_SLIRP" --bess "$T/plain" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'exists and is not a socket' "$T/err" && [ "$(cat "$T/plain")" = keep ] ||
	fail "--bess on a regular file: status $rc, $(cat "$T/err"), file $(cat "$T/plain" 2>&1)"
rc=0; "$UML_SLIRP" --fd 0 </dev/null 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && grep -q -- '--fd 0' "$T/err" || fail "--fd on a non-socket: status $rc, $(cat "$T/err")"

python3 - "$UML_SLIRP" <<'EOF2' || fail "uml_slirp bad-frame checks failed"
import os, socket, struct, subprocess, sys, time
helper = sys.argv[1]

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff

def ping(src, dst, ident=0x4242):
    icmp = struct.pack('!BBHHH', 8, 0, 0, ident, 1) + b'umlnet' * 8
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return ip + icmp

def slip(p):
    return b'\xc0' + p.replace(b'\xdb', b'\xdb\xdd').replace(b'\xc0', b'\xdb\xdc') + b'\xc0'

def read_until(s, pred, secs=5):
    s.settimeout(0.2); buf = b''; end = time.time() + secs
    while time.time() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        if not d: break
        buf += d
        if pred(buf): return buf
    return buf

# legacy: stdin and stdout one stream socket, as the kernel does it
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
p = subprocess.Popen([helper, '-v'], stdin=b, stdout=b, stderr=subprocess.PIPE)
b.close()
a.sendall(b'\x01\x02garbage\xc0')                     # not IPv4
a.sendall(b'\xc0\xdb\x01bad-escape\xc0')              # bad escape
a.sendall(slip(b'\x45' + b'\x00' * 3100))             # over-long
a.sendall(slip(b'\x60' + b'\x00' * 60))               # IPv6 on SLIP
a.sendall(b'\xc0\xc0\xc0')                            # empty packets
pkt = ping('10.0.2.15', '10.0.2.2')
half = len(slip(pkt)) // 2
a.sendall(slip(pkt)[:half]); time.sleep(0.1); a.sendall(slip(pkt)[half:])
got = read_until(a, lambda x: x.count(b'\xc0') >= 2 and len(x) > 40)
frames = [f for f in got.split(b'\xc0') if f]
ok = any(len(f) >= 28 and f[9] == 1 and f[20] == 0 and f[12:16] == socket.inet_aton('10.0.2.2') for f in frames)
if p.poll() is not None:
    print('legacy: uml_slirp died:', p.stderr.read().decode()); sys.exit(1)
if not ok:
    print('legacy: no echo reply, got %r' % got[:80]); sys.exit(1)
a.shutdown(socket.SHUT_WR)
try:
    rc = p.wait(5)
except subprocess.TimeoutExpired:
    print('legacy: no exit on EOF'); p.kill(); sys.exit(1)
err = p.stderr.read().decode()
if rc != 0 or 'malformed' not in err:
    print('legacy: status %d, stderr %r' % (rc, err)); sys.exit(1)
print('legacy ok:', err.strip().splitlines()[-1])

# Ethernet mode on a SOCK_SEQPACKET pair
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
p = subprocess.Popen([helper, '--fd', str(b.fileno()), '-v'], pass_fds=[b.fileno()],
                     stderr=subprocess.PIPE)
b.close()
mac = bytes.fromhex('fefd0000aa01')
a.send(b'\x01\x02\x03')                              # runt
a.send(b'\xff' * 6 + mac + b'\x08\x00' + b'\x45' * 9000)  # oversized
arp = (b'\xff' * 6 + mac + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) +
       mac + socket.inet_aton('10.0.2.15') + b'\0' * 6 + socket.inet_aton('10.0.2.2'))
a.send(arp)
a.settimeout(5)
ok = False
end = time.time() + 5
while time.time() < end and not ok:
    try:
        f = a.recv(65536)
    except socket.timeout:
        break
    ok = len(f) >= 42 and f[12:14] == b'\x08\x06' and f[20:22] == b'\x00\x02' and f[28:32] == socket.inet_aton('10.0.2.2')
if p.poll() is not None or not ok:
    print('ether: no ARP reply (alive=%s)' % (p.poll() is None)); p.kill(); sys.exit(1)
# a hub passes frames between other stations: slirp must not answer them
def echo_reply(dst_mac):
    a.send(dst_mac + mac + b'\x08\x00' + ping('10.0.2.15', '10.0.2.2', 0x4343))
    a.settimeout(0.2)
    end = time.time() + 2
    while time.time() < end:
        try:
            f = a.recv(65536)
        except socket.timeout:
            continue
        if f[12:14] == b'\x08\x00' and f[23] == 1 and f[34] == 0:
            return True
    return False
if echo_reply(bytes.fromhex('fefd00000099')):
    print('ether: slirp answered a frame for another station'); p.kill(); sys.exit(1)
if not echo_reply(bytes.fromhex('52550a000202')):
    print('ether: no echo reply to a frame for slirp'); p.kill(); sys.exit(1)
a.close()
try:
    rc = p.wait(5)
except subprocess.TimeoutExpired:
    print('ether: no exit on EOF'); p.kill(); sys.exit(1)
err = p.stderr.read().decode()
if rc != 0 or 'longer than' not in err:
    print('ether: status %d, stderr %r' % (rc, err)); sys.exit(1)
print('ether ok:', [l for l in err.splitlines() if 'longer' in l][0])
EOF2
log "ok: malformed SLIP and Ethernet input dropped, helper kept working, exits 0 on EOF"

# the switch: bad port specs are refused with the transport's message
export PATH=$BUILD:$PATH
sw_refuses() {
	local spec=$1 re=$2 rc=0
	timeout 10 "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" >"$T/bad.log" 2>&1 || rc=$?
	[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "switch accepted --port $spec (status $rc)"
	grep -Eq -- "$re" "$T/bad.log" || fail "--port $spec: '$(cat "$T/bad.log")' does not match '$re'"
	log "ok: --port $spec -> $(grep -E -- "$re" "$T/bad.log" | head -1)"
}
sw_refuses "slirp:bogus=1" "unknown option 'bogus'"
sw_refuses "slirp:net=10.0.2.0/33" "--net: bad value '10.0.2.0/33'"
sw_refuses "slirp:fwd=tcp:1:2:3:4:5:6" "bad forward"
sw_refuses "slirp:helper=$T/no-such-helper" "cannot run '$T/no-such-helper': No such file"
sw_refuses "slirp,zz:zz" "bad MAC address 'zz:zz'"

# no helper= and no uml_slirp in PATH: the one beside the switch is used
if [ -x "$(dirname "$UML_SWITCH")/uml_slirp" ]; then
	PATH=/usr/sbin:/usr/bin:/sbin:/bin switch_start sw0 -unix "$T/sw0.ctl" --port slirp
	busywait 5 eval "pgrep -P $(bg_pid sw0) -x uml_slirp >/dev/null" || fail "no helper for --port slirp"
	stop sw0
	log "ok: --port slirp runs $(dirname "$UML_SWITCH")/uml_slirp"
fi

# helper killed: the port goes, the switch keeps serving
switch_start sw -unix "$T/sw.ctl" --port "slirp:helper=$UML_SLIRP" --port "slirp:helper=$UML_SLIRP,net=10.9.0.0/24"
busywait 10 eval "[ \$(pgrep -P $(bg_pid sw) -c -x uml_slirp) -eq 2 ]" || fail "switch did not start two helpers"
victim=$(pgrep -P "$(bg_pid sw)" -f "uml_slirp --fd .* --net 10.9.0.0/24") || fail "no helper with --net 10.9.0.0/24"
kill -9 "$victim"
wait_log "$T/sw.log" 10 'port [0-9]+: disconnect' || fail "switch did not log the port's end: $(tail -5 "$T/sw.log")"
alive sw || fail "switch died with its slirp helper"
log "switch: $(grep -E 'port [0-9]+: disconnect' "$T/sw.log" | head -1)"
plug_check after-kill "$SWITCH_CTL" 5 || fail "switch stopped serving after a helper died"
survivor=$(pgrep -P "$(bg_pid sw)" -x uml_slirp)
[ "$(echo "$survivor" | wc -w)" -eq 1 ] || fail "the other helper did not survive"
busywait 5 eval "! kill -0 $victim 2>/dev/null" || fail "killed helper not reaped"
stop sw || fail "switch exit status $?"
busywait 5 eval "! kill -0 $survivor 2>/dev/null" || fail "helper $survivor left behind after the switch exited"
log "ok: a killed helper closes its port only; helpers end with the switch"
