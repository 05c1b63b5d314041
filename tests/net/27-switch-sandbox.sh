#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 27-switch-sandbox: uml_switch reads untrusted frames and requests only in
# a sandbox (uml_switch/priv.c, common/sandbox.c).
#  - started as root: the process that serves runs as nobody (the default
#    --user), with no capability, no_new_privs and a seccomp filter; its
#    parent, the janitor, stays root but has no capability either, the
#    same filter, and no descriptor but its pipe and socket to the switch;
#    the switch serves, SIGUSR1 and SIGTERM reach it through the janitor,
#    and its socket in root's directory is removed at the end;
#  - --user TEST_USER: the switch runs as that user;
#  - started as an unprivileged user: one process, sandboxed the same way;
#  - the janitor killed: the switch goes too; the switch killed: the
#    janitor cleans up and says how it ended;
#  - a test build (-DUMLNET_SANDBOX_TEST) asked to make a forbidden call
#    dies of SIGSYS and names the call (started as root, its janitor then
#    removes the socket; a user's stays, stale, for the next switch to
#    replace); the normal build has no such option.
. "$(dirname "$0")/lib.sh"
need_plug
test_user
TU=$TEST_USER

# sandboxed PID WHO UID [bnd]: Seccomp 2, NoNewPrivs 1, no capability in
# effect, all four uids UID; with "bnd" (started as root) no bounding set
# either (an unprivileged process cannot empty it; no_new_privs makes it
# moot)
sandboxed() {
	local pid=$1 who=$2 want=$3 bnd=${4:-} st c
	st=$(cat "/proc/$pid/status") || fail "$who: no process $pid"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$st" || fail "$who: no seccomp filter: $(grep '^Seccomp:' <<<"$st")"
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$st" || fail "$who: no_new_privs not set"
	for c in CapInh CapPrm CapEff CapAmb; do
		grep -Eq "^$c:[[:space:]]+0+$" <<<"$st" || fail "$who: $(grep "^$c:" <<<"$st")"
	done
	if [ -n "$bnd" ] && ! grep -Eq '^CapBnd:[[:space:]]+0+$' <<<"$st"; then
		fail "$who: a bounding set is left: $(grep '^CapBnd:' <<<"$st")"
	fi
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' <<<"$st")" = "$want $want $want $want" ] ||
		fail "$who: uids $(grep '^Uid:' <<<"$st"), want $want"
}

# 1. root, default user
switch_start sw -unix "$T/sw.ctl"
j=$(bg_pid sw)
busywait 5 eval "pgrep -P $j -x uml_switch >/dev/null" || fail "no serving child of the root switch"
c=$(pgrep -P "$j" -x uml_switch)
sandboxed "$c" "the serving switch" "$(id -u nobody)" bnd
sandboxed "$j" "the janitor" 0 bnd
[ "$(ls /proc/"$j"/fd | wc -l)" = 6 ] ||
	fail "the janitor holds more than stdio, its signalfd, pipe and socket: $(ls -l /proc/"$j"/fd)"
[ "$(stat -c %U "$T/sw.ctl")" = nobody ] || fail "the control socket is $(stat -c %U "$T/sw.ctl")'s, want nobody's"
plug_check root "$SWITCH_CTL" || fail "the sandboxed switch does not pass traffic"
st=$(switch_stats sw) || fail "SIGUSR1 did not reach the switch through the janitor"
stop sw || fail "SIGTERM: exit status $?"
[ -e "$T/sw.ctl" ] && fail "the janitor left the socket in root's directory"
log "root: serving as nobody, janitor root without capabilities; signals relayed; socket removed"

# 2. root, --user
switch_start su -unix "$T/su.ctl" --user "$TU"
busywait 5 eval "pgrep -P $(bg_pid su) -x uml_switch >/dev/null" || fail "no serving child"
sandboxed "$(pgrep -P "$(bg_pid su)" -x uml_switch)" "--user $TU" "$(id -u "$TU")" bnd
stop su
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/sx.ctl" --user no-such-user-x >"$T/sx.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q 'no-such-user-x' "$T/sx.log" || fail "--user of nobody known: $(cat "$T/sx.log")"
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/sx.ctl" --user root >"$T/sx.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "--user root was accepted"
[ -e "$T/sx.ctl" ] && fail "a refused --user left a socket"
log "--user $TU honoured; unknown users and root refused"

# 3. an unprivileged user: one process
mkdir "$T/u"; chown "$TU" "$T/u"
bg us "${AS_USER[@]}" "$UML_SWITCH" -unix "$T/u/ctl"
busywait 10 test -S "$T/u/ctl" || fail "the user's switch did not start: $(cat "$T/us.log")"
pgrep -P "$(bg_pid us)" >/dev/null && fail "an unprivileged switch forked"
sandboxed "$(bg_pid us)" "the user's switch" "$(id -u "$TU")"
stop us || fail "the user's switch: exit status $?"
[ -e "$T/u/ctl" ] && fail "the user's switch left its socket"

# 4. either half killed
switch_start k1 -unix "$T/k1.ctl"
c=$(pgrep -P "$(bg_pid k1)" -x uml_switch)
kill -9 "$(bg_pid k1)"
busywait 5 eval "! kill -0 $c 2>/dev/null" || fail "the switch outlived its janitor"
switch_start k2 -unix "$T/k2.ctl"
c=$(pgrep -P "$(bg_pid k2)" -x uml_switch)
kill -9 "$c"
rc=0; busywait 5 eval "! alive k2"; stop k2 || rc=$?
[ $rc = $((128 + 9)) ] || fail "the janitor of a killed switch exited $rc, want 137"
[ -e "$T/k2.ctl" ] && fail "the janitor of a killed switch left its socket"
log "a killed janitor takes the switch along; a killed switch's janitor cleans up"

# 5. the test build
SBT=$BUILD/sandbox-test
(
	flock 9
	make -C "$ROOT" --no-print-directory BUILD="$SBT" \
		EXTRA_CFLAGS=-DUMLNET_SANDBOX_TEST "$SBT/uml_switch" >"$T/make.log" 2>&1
) 9>"$BUILD/.sandbox-test.lock" || { cat "$T/make.log" >&2; fail "cannot build $SBT/uml_switch"; }
for who in root "$TU"; do
	d=$T/t-$who; mkdir "$d"; chown "$who" "$d"
	rc=0
	if [ "$who" = root ]; then
		timeout 10 "$SBT/uml_switch" -unix "$d/ctl" --sandbox-test >"$d/log" 2>&1 || rc=$?
	else
		timeout 10 "${AS_USER[@]}" "$SBT/uml_switch" -unix "$d/ctl" --sandbox-test >"$d/log" 2>&1 || rc=$?
	fi
	[ $rc = $((128 + 31)) ] || fail "$who: a forbidden call: exit status $rc, want 159 (SIGSYS): $(cat "$d/log")"
	grep -q '^uml_switch: seccomp: forbidden system call 110 (getppid)$' "$d/log" ||
		fail "$who: no line naming the call: $(cat "$d/log")"
	if [ "$who" = root ]; then
		[ -e "$d/ctl" ] && fail "root: the janitor left the killed switch's socket"
	else
		# no janitor: the socket stays, stale, and the next switch takes it
		[ -S "$d/ctl" ] || fail "$who: no socket left to replace"
		BG_LOG=$d/next.log bg next "${AS_USER[@]}" "$UML_SWITCH" -unix "$d/ctl"
		wait_log "$d/next.log" 10 "attached to unix socket" && alive next ||
			fail "$who: the stale socket was not replaced: $(cat "$d/next.log")"
		stop next
	fi
done
rc=0; timeout 10 "$UML_SWITCH" -unix "$T/n.ctl" --sandbox-test >"$T/n.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "unknown option '--sandbox-test'" "$T/n.log" ||
	fail "the normal build knows --sandbox-test: status $rc: $(cat "$T/n.log")"
log "ok: sandboxed as root's child, as --user and as a user; janitor contained; forbidden calls named and fatal"
