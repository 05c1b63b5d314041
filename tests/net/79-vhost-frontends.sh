#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 79-vhost-frontends: uml_switch --vhost-user with front ends of our own
# (tests/net/vhost_fe.py: a memfd shared, real split rings) that misbehave
# the ways a guest can, next to plug clients on daemon ports:
#  a. one gives the switch 2 receive buffers and never refills them while
#     600 broadcast frames come: a plug on another port still gets all of
#     them, the switch's CPU time stays low, the frames it could not
#     deliver are counted (drops.full in the management JSON); refilled,
#     the front end gets new frames again;
#  b. one connects, moves frames both ways and closes, 5 times: its port
#     is gone from the ports list each time, and the switch holds as many
#     fds after each cycle as before the first;
#  c. one resets its device mid-use: GET_VRING_BASE on both rings (the
#     bases the switch reports are the buffers it took) and RESET_DEVICE,
#     then RESET_OWNER with its rings running; after each, frames for it
#     are refused (counted) and none lands in its old rings, and set up
#     again (features, memory, rings) it moves frames both ways.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need_plug

VU=$T/vu.sock
switch_start sw -unix "$T/sw.ctl" --vhost-user "$VU"
CTL=$SWITCH_CTL MGMT=$T/sw.ctl.mgmt
# the process that serves the ports: started as root, the switch forks and
# its child does the work (the parent stays as the janitor, priv.c)
SWPID=$(bg_pid sw)
if [ "$(id -u)" = 0 ]; then
	busywait 5 eval 'pgrep -P "$SWPID" -x uml_switch >/dev/null' ||
		fail "the root switch (pid $SWPID) has no serving child"
	SWPID=$(pgrep -P "$SWPID" -x uml_switch)
fi
[ "$(cat "/proc/$SWPID/comm")" = uml_switch ] || fail "pid $SWPID is not the switch's worker"

# fe NAME MODE: a front end in the background ($T/NAME.log)
fe() { bg "$1" python3 -u "$ROOT/tests/net/vhost_fe.py" "$VU" "$2" "$T"; }
# step NAME WORD: wait for front end NAME to print WORD
step() { wait_log "$T/$1.log" 15 "^$2\$" || fail "front end $1: no '$2': $(tail -3 "$T/$1.log")"; }
# fe_done NAME: the front end must exit 0
fe_done() {
	busywait 20 eval "! alive $1" || fail "front end $1 did not finish: $(tail -3 "$T/$1.log")"
	stop "$1" || fail "front end $1 failed: $(tail -3 "$T/$1.log")"
}
# vports: how many vhost-user ports; vget KEYS: KEYS of the (one) port's JSON
vports() { uc -j ports | jget "len([p for p in d if p['kind'] == 'vhost-user'])"; }
nports() { uc -j ports | jget "len(d)"; }
vget() { uc -j ports | jget "[p for p in d if p['kind'] == 'vhost-user'][0]$1"; }
refused() { vget "['counters']['drops']['refused']"; }
cpu() { awk '{ print $14 + $15 }' "/proc/$SWPID/stat"; }
nfds() { ls "/proc/$SWPID/fd" | wc -l; }
send() { "$PLUG" "$@" >>"$T/send.log" 2>&1 || fail "plug send $*: $(tail -2 "$T/send.log")"; }

# a. a front end that stops reading its receive ring
fe st stall
step st ready
bg r1 "$PLUG" -t 30 "$CTL" recv 600
busywait 10 grep -q ready "$T/r1.log" || fail "plug receiver did not join"
c0=$(cpu)
send -i 200 "$CTL" send 600
busywait 20 eval "! alive r1"
stop r1 || fail "the daemon port did not get all 600 frames: $(tail -1 "$T/r1.log")"
sleep 2		# the stalled port's queue stays full: no spinning on it
c1=$(cpu) hz=$(getconf CLK_TCK)
log "switch CPU: $((c1 - c0)) ticks (of $hz a second) over 600 frames and 2 s stalled"
[ $((c1 - c0)) -lt "$hz" ] || fail "the switch used $((c1 - c0)) ticks ($hz a second) with a stalled front end"
full=$(vget "['counters']['drops']['full']")
qlen=$(vget "['queue']['len']")
log "stalled port: queue $qlen, $full frames dropped (full)"
[ "$full" -ge 300 ] || fail "the stalled port counted $full undelivered frames, not >= 300"
touch "$T/refill.go"
step st refilled
send -l 100 "$CTL" send 5
fe_done st
grep -q '^before 2$' "$T/st.log" || fail "the stalled front end got $(grep before "$T/st.log") frames before it refilled, not 2"
busywait 10 eval '[ "$(vports)" = 0 ]' || fail "the stalled front end's port was not freed"

# b. a front end that reconnects
# r2 waits for one frame more than come: its port stays through cycle 5
bg r2 "$PLUG" -t 60 -e 0x88b7 "$CTL" recv 16
busywait 10 grep -q ready "$T/r2.log" || fail "plug receiver did not join"
# every port but r2's gone (the senders' too): the fds the switch holds
busywait 10 eval '[ "$(nports)" = 1 ]' || fail "ports left over: $(uc ports)"
fd0=$(nfds)
fe rc reconnect
for c in 1 2 3 4 5; do
	step rc "up $c"
	[ "$(vports)" = 1 ] || fail "cycle $c: $(vports) vhost-user ports, not 1"
	send "$CTL" send 3
	touch "$T/rx.$c.go"
	step rc "closed $c"
	busywait 10 eval '[ "$(vports)" = 0 ] && [ "$(nports)" = 1 ]' ||
		fail "cycle $c: the closed front end's port is still listed: $(uc ports)"
	busywait 5 eval '[ "$(nfds)" = "$fd0" ]' || fail "cycle $c: the switch holds $(nfds) fds, $fd0 before"
	touch "$T/next.$c.go"
done
fe_done rc
busywait 10 eval '[ "$(grep -c " ok\$" "$T/r2.log")" -ge 15 ]' ||
	fail "the reconnecting front end's 15 frames did not all arrive: $(grep -c ' ok$' "$T/r2.log") came"
stop r2 KILL
log "5 connections, 3 frames each way each, $fd0 switch fds before and after each"

# c. a front end that resets its device
bg r3 "$PLUG" -t 60 -e 0x88b7 "$CTL" recv 9
busywait 10 grep -q ready "$T/r3.log" || fail "plug receiver did not join"
fe rs reset
for r in 1 2 3; do
	step rs "up $r"
	send "$CTL" send 3
	touch "$T/rx.$r.go"
	[ $r = 3 ] && break
	step rs "reset $r"
	ref=$(refused)
	send "$CTL" send 3
	busywait 10 eval "[ \"\$(refused)\" -ge $((ref + 3)) ]" ||
		fail "reset $r: frames for the reset device were not refused: $(vget "['counters']")"
	touch "$T/dead.$r.go"
done
fe_done rs
busywait 10 eval "! alive r3"
stop r3 || fail "the resetting front end's 9 frames did not all arrive: $(tail -1 "$T/r3.log")"
! grep -q 'disconnect (vhost-user' "$T/sw.log" ||
	fail "the switch ended a front end: $(grep 'disconnect (vhost' "$T/sw.log")"
alive sw || fail "the switch died"
log "ok: a stalled front end cost no CPU and its drops were counted, 5 reconnections leaked no fd, two device resets were set up again"
