#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 59-switch-emfile: out of descriptors, the switch backs off and goes on.
#  - at start it sizes --max-ports against RLIMIT_NOFILE: a hard limit too
#    low for an explicit --max-ports is an error naming both, a default is
#    lowered with a warning;
#  - running, its descriptor limit is cut (prlimit) below what it holds,
#    and clients keep connecting: accept() fails with EMFILE, and the
#    switch neither spins (its CPU time over 3 s stays small) nor floods
#    its log (one line per 10 s), while the ports it has keep passing
#    traffic; once the limit is back, new clients get in again.
. "$(dirname "$0")/lib.sh"
need prlimit setpriv python3
need_plug

# ---- at start -------------------------------------------------------------
rc=0
timeout 10 prlimit --nofile=80:80 "$UML_SWITCH" -unix "$T/a.ctl" --max-ports 100 >"$T/a.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q -- '--max-ports 100 needs .* file descriptors, but the limit is 80' "$T/a.log" ||
	fail "an explicit --max-ports over the limit: rc $rc: $(cat "$T/a.log")"
[ -e "$T/a.ctl" ] && fail "a refused start left its socket"
bg b prlimit --nofile=200:200 "$UML_SWITCH" -unix "$T/b.ctl"
busywait 10 test -S "$T/b.ctl" || fail "the switch did not start with 200 descriptors: $(cat "$T/b.log")"
grep -q 'only 200 file descriptors (ulimit -n): at most 33 ports' "$T/b.log" ||
	fail "the lowered default is not said: $(cat "$T/b.log")"
stop b
log "at start: an explicit --max-ports over the limit refused, a default lowered and said"

# ---- running -----------------------------------------------------------------
switch_start sw -unix "$T/sw.ctl"
# an honest pair that stays: a receiver joins now, while there are fds
bg rx "$PLUG" -t 120 "$T/sw.ctl" recv 10
busywait 10 grep -q ready "$T/rx.log" || fail "the receiver did not join"
# the process that serves: the janitor's child when the switch was started
# as root (it has forked by the time a client was served)
srv=$(bg_pid sw)
c=$(pgrep -P "$srv" -x uml_switch)
[ -n "$c" ] && srv=$c
n=$(ls "/proc/$srv/fd" | wc -l)
# as the switch's own user: root here may lack CAP_SYS_RESOURCE, and the
# soft limit is what accept() meets (the hard one stays, to go back to)
as_srv() {
	setpriv --reuid="$(awk '/^Uid:/ { print $2 }' "/proc/$srv/status")" \
		--regid="$(awk '/^Gid:/ { print $2 }' "/proc/$srv/status")" --clear-groups "$@"
}
as_srv prlimit --pid "$srv" --nofile=$((n + 1)): || fail "prlimit on pid $srv"
t0=$(awk '{ print $14 + $15 }' "/proc/$srv/stat")
l0=$(grep -c 'accept:' "$T/sw.log")
# 30 clients that connect and wait: the first may take the last fd, the
# rest find none
python3 - "$T/sw.ctl" <<'EOF' &
import socket, sys, time
s = []
for i in range(30):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(sys.argv[1])
    s.append(c)
time.sleep(4)
EOF
crowd=$!
BG_PIDS[crowd]=$crowd; BG_ORDER+=(crowd)
# a window of 3 s to measure (not to wait for something)
window_end=$(( $(date +%s) + 3 ))
busywait 10 eval "[ \$(date +%s) -ge $window_end ]"
t1=$(awk '{ print $14 + $15 }' "/proc/$srv/stat")
l1=$(grep -c 'accept:' "$T/sw.log")
cpu=$(( (t1 - t0) * 1000 / $(getconf CLK_TCK) ))
log "3 s out of descriptors: ${cpu} ms of CPU, $((l1 - l0)) log lines: $(grep -m1 'accept:' "$T/sw.log")"
[ "$cpu" -le 300 ] || fail "the switch spent $cpu ms of CPU in 3 s out of descriptors (spinning)"
[ $((l1 - l0)) -ge 1 ] && [ $((l1 - l0)) -le 2 ] ||
	fail "$((l1 - l0)) accept failures logged in 3 s, want one"
grep -q 'accept: Too many open files; new clients wait, the ports that exist are served' "$T/sw.log" ||
	fail "the message does not say what happens: $(grep -m1 accept: "$T/sw.log")"
# the existing port is still there; it gets frames once a sender can
# join (a new client needs descriptors on the switch's side too)
st=$(switch_stats sw) || fail "no stats while out of descriptors"
grep -q 'stats: port [0-9]* daemon ' <<<"$st" || fail "the existing port is gone: $st"
stop crowd
as_srv prlimit --pid "$srv" --nofile=1024: || fail "prlimit back"
"$PLUG" "$T/sw.ctl" send 10 >"$T/tx.log" 2>&1 || fail "a new client could not join once descriptors were back: $(cat "$T/tx.log")"
busywait 15 eval "! alive rx"
stop rx || fail "the receiver that joined before did not get the 10 frames: $(tail -2 "$T/rx.log")"
log "ok: out of descriptors the switch paused accepting (no spin, one log line), kept its ports, and took clients again"
