#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 25-switch-sockets: what a hostile local user can do to a switch's files,
# and through its clients' data addresses.
#  - every socket the switch serves is mode 0600 whatever the umask (0660
#    and the group with --group); an unknown --group leaves nothing behind;
#  - a directory others can write (not sticky), or another user's, is
#    refused: anyone there could swap the socket before its group is set;
#  - a symlink at the socket or pid file path is never followed, and a pid
#    file of another user or of a running process is never truncated;
#  - a client may name only a data socket it could reach itself: a path
#    socket of another user is refused (the switch used to connect there
#    with its own rights and deliver frames into it), an abstract name or a
#    socket of the client's own is fine;
#  - a client's description and paths reach the log only as printable
#    text (no forged log lines);
#  - the per-user default control socket lives in a private directory: one
#    that another user made first is refused by the switch and its clients.
. "$(dirname "$0")/lib.sh"
need python3 setpriv
[ -x /usr/bin/python3 ] || fail "no /usr/bin/python3 (Debian's python3, which the test user runs)"
test_user
TU=$TEST_USER
TUID=$(id -u "$TU") TGID=$(id -g "$TU")
TOOLS=$ROOT/tests/tools

# ---- modes ----------------------------------------------------------------
(umask 000; exec "$UML_SWITCH" -unix "$T/m.ctl" --bess "$T/m.bess" --stream "$T/m.st") >"$T/m.log" 2>&1 &
mpid=$!
BG_PIDS[m]=$mpid; BG_ORDER+=(m)
busywait 10 eval "[ -S '$T/m.st' ] || ! _pid_alive $mpid" || fail "switch with umask 000 did not start"
for f in m.ctl m.bess m.st; do
	[ "$(stat -c %a "$T/$f")" = 600 ] || fail "with umask 000, $f is mode $(stat -c %a "$T/$f"), want 600"
done
stop m
(umask 077; exec "$UML_SWITCH" -unix "$T/g.ctl" --group "$TGID") >"$T/g.log" 2>&1 &
BG_PIDS[g]=$!; BG_ORDER+=(g)
busywait 10 test -S "$T/g.ctl" || fail "switch with --group did not start: $(cat "$T/g.log")"
[ "$(stat -c '%a %g' "$T/g.ctl")" = "660 $TGID" ] ||
	fail "with --group and umask 077 the socket is $(stat -c '%a %g' "$T/g.ctl"), want 660 $TGID"
stop g
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/ng.ctl" --group no-such-group-x >"$T/ng.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "no such group 'no-such-group-x'" "$T/ng.log" || fail "unknown --group: $(cat "$T/ng.log")"
[ -e "$T/ng.ctl" ] && fail "an unknown --group left $T/ng.ctl behind"
log "modes: 0600 whatever the umask, 0660 with --group, nothing left by a bad group"

# ---- directories ------------------------------------------------------------
mkdir -m 777 "$T/open"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/open/" --group "$TGID" >"$T/open.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a switch served in a world-writable, non-sticky directory"
grep -q "others can write it" "$T/open.log" || fail "world-writable directory: $(cat "$T/open.log")"
[ -n "$(ls -A "$T/open")" ] && fail "the refused switch left files in $T/open"
mkdir "$T/theirs"; chown "$TU" "$T/theirs"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/theirs/ctl" >"$T/theirs.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "belongs to another user" "$T/theirs.log" ||
	fail "another user's directory: $(cat "$T/theirs.log")"
mkdir -m 1777 "$T/sticky"
switch_start st -unix "$T/sticky/ctl"
stop st
log "directories: world-writable and foreign refused, sticky accepted"

# ---- symlinks and pid files -------------------------------------------------
echo secret >"$T/rootfile"; chmod 600 "$T/rootfile"
ln -s "$T/rootfile" "$T/sym.ctl"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/sym.ctl" --group "$TGID" >"$T/sym.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "not a socket; not replacing it" "$T/sym.log" || fail "symlink at the socket path: $(cat "$T/sym.log")"
[ "$(stat -c '%a %U %G' "$T/rootfile")" = "600 root root" ] || fail "the symlink's target changed: $(stat -c '%a %U %G' "$T/rootfile")"
echo "$$" >"$T/other.pid"; chown "$TU" "$T/other.pid"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/p1.ctl" --pidfile "$T/other.pid" >"$T/p1.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && [ "$(cat "$T/other.pid")" = "$$" ] || fail "another user's pid file: rc $rc, now '$(cat "$T/other.pid")': $(cat "$T/p1.log")"
echo "$$" >"$T/live.pid"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/p2.ctl" --pidfile "$T/live.pid" >"$T/p2.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && [ "$(cat "$T/live.pid")" = "$$" ] && grep -q "which is running" "$T/p2.log" ||
	fail "a running process's pid file: rc $rc: $(cat "$T/p2.log")"
echo 999999999 >"$T/stale.pid"
switch_start p3 -unix "$T/p3.ctl" --pidfile "$T/stale.pid"
busywait 5 eval "[ \"\$(cat '$T/stale.pid')\" = $(bg_pid p3) ]" || fail "a stale pid file of ours was not replaced: $(cat "$T/stale.pid")"
stop p3
[ -e "$T/stale.pid" ] && fail "the pid file outlived the switch"
log "symlinks never followed; pid files of others or of running processes kept"

# ---- data addresses -----------------------------------------------------------
chmod 755 "$T"
switch_start sw -unix "$T/sw.ctl" --group "$TGID"
cat >"$T/victim.py" <<'EOF'
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o600)
s.settimeout(float(sys.argv[2]))
open(sys.argv[1] + ".up", "w").close()
try:
    s.recv(65536)
    print("victim received a frame")
except socket.timeout:
    print("victim received nothing")
EOF
bg victim python3 "$T/victim.py" "$T/victim.sock" 8
busywait 5 test -e "$T/victim.sock.up" || fail "victim socket not up"
cat >"$T/attack.py" <<'EOF'
import socket, struct, sys
sys.path.insert(0, sys.argv[3])
from dclient import Client, frame, BCAST
ctl, target = sys.argv[1], sys.argv[2]
# the request names the victim's socket as our data address
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(5)
c.connect(ctl)
addr = struct.pack("=H", socket.AF_UNIX) + target.encode().ljust(108, b"\0")
c.sendall(struct.pack("=III", 0xfeedface, 3, 0) + addr + b"\0\0")
try:
    r = c.recv(110)
except socket.timeout:
    r = b"?"
print("reply %d bytes" % len(r))
# and an honest client (own socket, which the switch's user may write)
# still joins and passes frames
a = Client(ctl)
b = Client(ctl, path=sys.argv[4], mode=0o666)
a.send(frame(BCAST, a.mac, "honest"))
print("honest ok" if b.wait_tag("honest", 5) else "honest failed")
EOF
chmod 755 "$T/attack.py"
mkdir -p "$T/userdir"; chown "$TU" "$T/userdir"
"${AS_USER[@]}" /usr/bin/python3 "$T/attack.py" "$SWITCH_CTL" "$T/victim.sock" "$TOOLS" "$T/userdir/own.sock" >"$T/attack.log" 2>&1 ||
	fail "attacker script: $(cat "$T/attack.log")"
grep -q 'reply 0 bytes' "$T/attack.log" || fail "the switch answered a request naming another user's socket: $(cat "$T/attack.log")"
grep -q 'honest ok' "$T/attack.log" || fail "an honest client with its own path socket could not join: $(cat "$T/attack.log")"
wait_log "$T/sw.log" 5 "socket of another user" || fail "the refusal is not logged: $(tail -5 "$T/sw.log")"
busywait 10 eval "! alive victim"
grep -q 'victim received nothing' "$T/victim.log" || fail "frames reached another user's socket: $(cat "$T/victim.log")"
log "data addresses: another user's socket refused, own and abstract ones served"

# ---- what clients say reaches the log as printable text ------------------------
python3 - "$SWITCH_CTL" <<'EOF' || fail "forged-description client failed"
import socket, struct, sys, time
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
name = b"\0forged".ljust(108, b"\0")
d.bind(name)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(sys.argv[1])
# libvdeplug's packed layout plus a description with a line break in it
req = struct.pack("=III", 0xfeedface, 3, 0) + struct.pack("=H", 1) + name
req += b"vde\numl_switch: port 99: disconnect (forged)\x1b[2J"
c.sendall(req)
c.settimeout(5)
assert len(c.recv(110)) == 110
time.sleep(0.2)
EOF
grep -q 'port 99' "$T/sw.log" && ! grep -q 'vde?uml_switch: port 99' "$T/sw.log" &&
	fail "a client's description forged a log line: $(grep 'port 99' "$T/sw.log")"
grep -q 'vde?uml_switch: port 99: disconnect (forged)?\[2J' "$T/sw.log" ||
	fail "the description is not shown with '?' for its control bytes: $(grep -a forged "$T/sw.log")"
stop sw
log "client descriptions logged as printable text"

# ---- the default control socket of a user ---------------------------------------
# run as the test user without XDG_RUNTIME_DIR; another user (root here)
# made /tmp/uml_switch-UID first
dir=/tmp/uml_switch-$TUID
rm -rf "$dir"
# shellcheck disable=SC2154 # _rc is assigned in the trap itself
trap '_rc=$?; rm -rf "$dir"; (exit $_rc); _cleanup' EXIT
mkdir -m 755 "$dir"
rc=0; timeout 10 env -u XDG_RUNTIME_DIR "${AS_USER[@]}" "$UML_SWITCH" >"$T/def.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "belongs to uid 0 or is open to others" "$T/def.log" ||
	{ fail "a squatted default directory: rc $rc: $(cat "$T/def.log")"; }
rmdir "$dir"
bg defsw env -u XDG_RUNTIME_DIR "${AS_USER[@]}" "$UML_SWITCH"
busywait 10 test -S "$dir/ctl" || fail "the user's default switch did not start: $(cat "$T/defsw.log")"
[ "$(stat -c '%a %u' "$dir")" = "700 $TUID" ] || fail "default directory is $(stat -c '%a %u' "$dir"), want 700 $TUID"
stop defsw
[ -e "$dir/ctl" ] && fail "the default socket outlived its switch"
rmdir "$dir" 2>/dev/null
log "ok: modes, directories, symlinks, pid files, data addresses, log text and the default path hold"
