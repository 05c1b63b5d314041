#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-socket-life: the control socket's life cycle.
#  - a second switch on a live socket refuses (exit 1, "in use"/"another")
#    and the first keeps serving;
#  - a stale socket left by a kill -9'ed switch is replaced;
#  - SIGTERM removes the socket and exits 0.
. "$(dirname "$0")/lib.sh"
need_plug

CTL=$T/sw.ctl
switch_start sw -unix "$CTL"
plug_check first "$CTL" || fail "the first switch does not pass traffic"

rc=0
timeout 10 "$UML_SWITCH" -unix "$CTL" >"$T/second.log" 2>&1 || rc=$?
[ $rc -eq 124 ] && fail "a second switch on the live socket $CTL did not exit (still running after 10 s)"
[ $rc -eq 1 ] || fail "a second switch on the live socket exited $rc, want 1: $(cat "$T/second.log")"
grep -Eqi 'in use|another' "$T/second.log" ||
	fail "the second switch's message does not say the socket is in use: $(cat "$T/second.log")"
[ -S "$CTL" ] || fail "the second switch removed the first one's socket $CTL"
alive sw || fail "the first switch died when a second one tried its socket"
plug_check after-second "$CTL" || fail "the first switch stopped serving after a second one tried its socket"
log "second switch refused: $(grep -Ei -m1 'in use|another' "$T/second.log")"

# stale socket
stop sw KILL
[ -S "$CTL" ] || fail "no socket file left after kill -9 (cannot test the stale case)"
switch_start sw2 -unix "$CTL"
# switch_start is back once the path is a socket, and the stale one is
# already: wait until sw2 listens there (the stale one has no listener)
busywait 10 eval "ss -xl | grep -qF ' $CTL '" ||
	fail "the second switch did not take over the stale socket: $(tail -3 "$T/sw2.log")"
plug_check stale "$CTL" || fail "a switch started on a stale socket does not pass traffic"
log "stale socket replaced"

# SIGTERM
rc=0
stop sw2 TERM || rc=$?
[ $rc -eq 0 ] || fail "on SIGTERM the switch exited with status $rc, want 0: $(tail -3 "$T/sw2.log")"
[ -e "$CTL" ] && fail "the switch left its control socket $CTL behind after SIGTERM"

# SIGINT does the same
switch_start sw3 -unix "$CTL"
rc=0
stop sw3 INT || rc=$?
[ $rc -eq 0 ] || fail "on SIGINT the switch exited with status $rc, want 0: $(tail -3 "$T/sw3.log")"
[ -e "$CTL" ] && fail "the switch left its control socket $CTL behind after SIGINT"

# a VDE-style directory: the socket is DIR/ctl, removed on exit, DIR kept
mkdir "$T/dir"
switch_start sw4 -unix "$T/dir"
[ -S "$T/dir/ctl" ] || fail "with -unix DIR the control socket is not DIR/ctl"
plug_check dir "$T/dir" || fail "switch on a directory does not pass traffic"
stop sw4 TERM || fail "switch on a directory: SIGTERM exit status not 0"
[ -e "$T/dir/ctl" ] && fail "switch on a directory left $T/dir/ctl behind"
log "ok: live socket refused, stale replaced, TERM/INT clean up"
