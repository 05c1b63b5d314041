#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 58-slirp-sandbox: uml_slirp closes itself in before it reads a frame
# (common/sandbox.c) and still does its job.  In a network namespace of
# its own (where ping sockets are allowed, which the host may not do):
#  - a root uml_switch's --port slirp: its uml_slirp is not root (nobody,
#    the default), has Seccomp 2, NoNewPrivs 1, no capabilities, a root
#    holding only /etc, and carries a stock guest's DHCP, a 300000-byte
#    fetch from the host, a ping to an outside address (ICMP through a
#    ping socket) and a host forward from privileged port 81, opened as
#    root before the drop;
#  - a root uml_slirp --bess --user TEST_USER serves a vec0 guest as that
#    user, sandboxed the same way;
#  - uml_slirp started as the unprivileged test user (--bess): sandboxed,
#    in user and mount namespaces of its own;
#  - a test build (-DUMLNET_SANDBOX_TEST, $BUILD/sandbox-test) asked to
#    make a forbidden call dies of SIGSYS and says which call, as root
#    and as the user; the normal build has no such option.
. "$(dirname "$0")/lib.sh"

need ss
# the system's python: the test user runs it too
PY=/usr/bin/python3
[ -x "$PY" ] || fail "$PY is not installed"
slirp_setup "$GUEST_KERNEL"
NS=sb$UID8
netns_add "$NS"
nsx "$NS" sysctl -qw net.ipv4.ping_group_range="0 2147483647" ||
	fail "cannot allow ping sockets in netns $NS"
OUTSIDE=192.0.2.58
nsx "$NS" ip addr add "$OUTSIDE/32" dev lo || fail "cannot add $OUTSIDE in $NS"

# the helper of switch NAME: its only uml_slirp child
helper_of() {
	pgrep -P "$(bg_pid "$1")" -x uml_slirp | head -1
}

# 1. a root switch's slirp port; the guest runs as root too (the root
# switch's control socket is root's, in a directory of root's: $T is the
# test user's, who could replace a socket there)
FWD=81
mkdir "$T/rootdir"
SW_DIR=$T/rootdir SWITCH_NS=$NS slirp_port_check 127.0.0.1 10.0.2.2 \
	"slirp:helper=$UML_SLIRP,fwd=tcp:127.0.0.1:$FWD:80,args=-v_-v" \
	eth0=daemon,,unix,"$T/rootdir/sw.ctl" "$(cat <<EOF2
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
ping -c 2 -w 10 $OUTSIDE || { echo "g: ping to $OUTSIDE failed"; exit 1; }
EOF2
)"
helper=$(helper_of sw)
[ -n "$helper" ] || fail "no uml_slirp child of the root switch"
slirp_sandbox_check "$helper" "uml_slirp of a root switch" nobody
grep -q '2 packets received' "$T/g.out" || fail "guest ping: $(grep packets "$T/g.out")"
log "ok: through the sandboxed helper: DHCP, fetch, ping $OUTSIDE, forward from port $FWD"
stop sw || fail "switch exit status $?: $(tail -3 "$T/sw.log")"
grep -q 'forbidden system call' "$T/sw.log" && fail "$(grep 'forbidden system call' "$T/sw.log")"

# 2. root uml_slirp --bess --user TEST_USER, a root vec0 guest (in root's
# directory: sock_serve refuses a directory of others)
bg bess ip netns exec "$NS" "$UML_SLIRP" --bess "$T/rootdir/bess.sock" \
	--user "$TEST_USER" -v -v
busywait 10 test -S "$T/rootdir/bess.sock" ||
	fail "uml_slirp --bess did not listen: $(cat "$T/bess.log")"
guest_script v <<EOF2
ip link set vec0 up
udhcpc -i vec0 -q -n -t 10 -T 1 || { echo "v: no DHCP lease"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "v: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "v: file differs"; exit 1; }
touch /t/v.fetched
gw /t/v.done 60
EOF2
GUEST_NS=$NS guest_start v vec0:transport=bess,dst="$T/rootdir/bess.sock"
busywait 60 eval "[ -e '$T/v.fetched' ] || [ -e '$T/v.rc' ]" && [ -e "$T/v.fetched" ] ||
	{ touch "$T/v.done"; guest_ok v 10; fail "guest v did not fetch through uml_slirp --bess"; }
slirp_sandbox_check "$(bg_pid bess)" "root uml_slirp --bess --user $TEST_USER" "$TEST_USER"
touch "$T/v.done"
guest_ok v 30
busywait 10 eval "! alive bess" || fail "uml_slirp --bess still running after its client left"
stop bess || fail "uml_slirp --bess exit status $?: $(tail -3 "$T/bess.log")"
[ -e "$T/rootdir/bess.sock" ] && fail "uml_slirp --bess left its socket behind"
grep -q 'forbidden system call' "$T/bess.log" && fail "$(grep 'forbidden system call' "$T/bess.log")"

# 3. started as the test user: the same, in namespaces of its own
bg ubess "${AS_USER[@]}" "$UML_SLIRP" --bess "$T/u.sock" -v -v
busywait 10 test -S "$T/u.sock" || fail "uml_slirp --bess as $TEST_USER did not listen: $(cat "$T/ubess.log")"
bg client "${AS_USER[@]}" "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
print("connected", flush=True)
time.sleep(60)' "$T/u.sock"
wait_log "$T/ubess.log" 10 'sandbox: in place' ||
	fail "uml_slirp as $TEST_USER did not enter the sandbox: $(cat "$T/ubess.log" "$T/client.log")"
pid=$(bg_pid ubess)
[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] ||
	fail "uml_slirp as $TEST_USER: no user namespace of its own ($(grep sandbox: "$T/ubess.log"))"
slirp_sandbox_check "$pid" "uml_slirp --bess as $TEST_USER" "$TEST_USER"
stop client
busywait 10 eval "! alive ubess" || fail "uml_slirp as $TEST_USER did not exit at its client's end"
stop ubess || fail "uml_slirp as $TEST_USER: exit status $?: $(tail -3 "$T/ubess.log")"

# 4. the test build: a forbidden call after the sandbox is in place
SBT=$BUILD/sandbox-test
(
	flock 9
	make -C "$ROOT" --no-print-directory BUILD="$SBT" \
		EXTRA_CFLAGS=-DUMLNET_SANDBOX_TEST "$SBT/uml_slirp" >"$T/make.log" 2>&1
) 9>"$BUILD/.sandbox-test.lock" || { cat "$T/make.log" >&2; fail "cannot build $SBT/uml_slirp"; }
violate() {
	local who=$1 rc=0; shift
	# Ethernet mode on a socketpair; the status of a signal death is 128+N
	"$@" "$PY" -c '
import socket, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
p = subprocess.run(sys.argv[1:] + ["--fd", str(b.fileno()), "--sandbox-test"],
                   pass_fds=[b.fileno()], timeout=20)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)' \
		"$SBT/uml_slirp" 2>"$T/violate.err" || rc=$?
	[ $rc -eq $((128 + 31)) ] ||
		fail "$who: forbidden call: exit status $rc, want 159 (SIGSYS): $(cat "$T/violate.err")"
	grep -qx 'uml_slirp: seccomp: forbidden system call 110 (getppid)' "$T/violate.err" ||
		fail "$who: no diagnostic line: $(cat "$T/violate.err")"
	log "ok: $who: killed by SIGSYS, said: $(cat "$T/violate.err")"
}
violate root
violate "$TEST_USER" "${AS_USER[@]}"
rc=0; "$UML_SLIRP" --sandbox-test </dev/null 2>"$T/err" || rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--sandbox-test'" "$T/err" ||
	fail "the normal build knows --sandbox-test: status $rc, $(cat "$T/err")"
log "ok: uml_slirp sandboxed as root's helper, as --user and as a user; a forbidden call is killed and named"
