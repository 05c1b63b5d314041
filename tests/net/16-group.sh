#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 16-group: --group GRP makes the control socket group GRP, mode 0660: an
# unprivileged client in GRP can join and pass traffic, one outside GRP is
# refused by the file system.
. "$(dirname "$0")/lib.sh"
need_plug
need setpriv
GRP=uml-net
getent group "$GRP" >/dev/null || fail "group $GRP does not exist (uml-utilities creates it)"
gid=$(getent group "$GRP" | cut -d: -f3)

# the socket lives in a world-traversable dir; plug must be readable
mkdir -p "$T/s"; chmod 755 "$T/s"
switch_start sw -unix "$T/s/ctl" --group "$GRP"
CTL=$SWITCH_CTL
[ "$(stat -c %g "$CTL")" = "$gid" ] || fail "--group $GRP: the socket's group is $(stat -c %G "$CTL"), want $GRP"
mode=$(stat -c %a "$CTL")
[ "$mode" = 660 ] || fail "--group $GRP: the socket's mode is $mode, want 660"

# plug copied where the test user can run it; the switch (started as
# root) runs as nobody, which owns the socket: the clients are another user
install -m 755 "$PLUG" "$T/s/plug"
test_user
TU=$TEST_USER
asoutsider() { setpriv --reuid="$TU" --regid="$TU" --clear-groups "$@"; }
asmember() { setpriv --reuid="$TU" --regid="$TU" --groups="$gid" "$@"; }

rc=0
asoutsider "$T/s/plug" "$CTL" hold -t 0 >"$T/outsider.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a user outside $GRP could join a --group $GRP switch"
grep -qi "permission denied" "$T/outsider.log" || fail "the outsider failed, but not with EACCES on the socket: $(cat "$T/outsider.log")"

bg rx setpriv --reuid="$TU" --regid="$TU" --groups="$gid" "$T/s/plug" -t 10 "$CTL" recv 5
busywait 10 eval "grep -q ready '$T/rx.log' || ! alive rx"
grep -q ready "$T/rx.log" || fail "a member of $GRP could not join: $(cat "$T/rx.log")"
asmember "$T/s/plug" "$CTL" send 5 >"$T/tx.log" 2>&1 || fail "a member of $GRP could not send: $(cat "$T/tx.log")"
busywait 10 eval "! alive rx"
stop rx || fail "frames between two unprivileged $GRP members did not arrive: $(tail -1 "$T/rx.log")"
log "ok: --group $GRP: socket $GRP/0660, members pass traffic, others refused"
