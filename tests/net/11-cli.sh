#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 11-cli: command-line basics: --help, --version, bad options, the start-up
# line on stdout, -hub/--mode, -daemon/--pidfile.
. "$(dirname "$0")/lib.sh"
need_plug
[ -x "$UML_SWITCH" ] || fail "no $UML_SWITCH"

# run_cli NAME ARGS...: run the switch in the foreground (10 s limit)
run_cli() {
	local name=$1 rc=0; shift
	timeout 10 "$UML_SWITCH" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ $rc -eq 124 ] && fail "'uml_switch $*' did not exit within 10 s"
	return $rc
}

run_cli help --help || fail "--help exited with status $?, want 0"
grep -qi 'usage' "$T/help.out" || fail "--help printed no usage text on stdout: $(head -3 "$T/help.out" "$T/help.err")"
for opt in -unix -hub -tap; do
	grep -q -- "$opt" "$T/help.out" || fail "--help does not mention $opt"
done

run_cli version --version || fail "--version exited with status $?, want 0"
grep -Eq '[0-9]+\.[0-9]+' "$T/version.out" || fail "--version printed no version number: $(cat "$T/version.out")"

rc=0; run_cli bogus --no-such-option || rc=$?
[ $rc -ne 0 ] || fail "an unknown option was accepted (exit 0)"
[ -s "$T/bogus.err" ] || fail "an unknown option exited $rc with no message on stderr"
grep -q -- 'no-such-option' "$T/bogus.err" || log "note: the message does not name the bad option: $(head -1 "$T/bogus.err")"

rc=0; run_cli noarg -unix || rc=$?
[ $rc -ne 0 ] || fail "-unix without its argument was accepted"
[ -s "$T/noarg.err" ] || fail "-unix without its argument: no message on stderr"

rc=0; run_cli badmode --mode bridge -unix "$T/x.ctl" || rc=$?
[ $rc -ne 0 ] || fail "--mode bridge was accepted"
[ -e "$T/x.ctl" ] && fail "a rejected command line still created $T/x.ctl"

# the start-up line (stdout, line-buffered or flushed: it must be there
# while the switch runs, not only at exit)
switch_start sw -unix "$T/sw.ctl"
wait_log "$T/sw.log" 5 "^uml_switch attached to unix socket '$T/sw.ctl'" ||
	fail "no \"uml_switch attached to unix socket '$T/sw.ctl'\" line on stdout: $(head -3 "$T/sw.log")"
stop sw || fail "SIGTERM: exit status $?, want 0"

# --mode hub and --hub parse (hub behaviour itself is tested in 02 and 04)
switch_start hub --unix "$T/hub.ctl" --mode hub
plug_check hub "$T/hub.ctl" || fail "--mode hub: no traffic"
stop hub || fail "--mode hub: SIGTERM exit status not 0"

# -daemon with --pidfile: returns at once, keeps serving, pid file names it
rc=0
timeout 10 "$UML_SWITCH" -unix "$T/d.ctl" -daemon --pidfile "$T/d.pid" >"$T/d.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || fail "-daemon: the launcher exited $rc (want 0 at once): $(cat "$T/d.out")"
busywait 5 test -s "$T/d.pid" || fail "-daemon --pidfile: no pid file"
dpid=$(cat "$T/d.pid")
# record it so the cleanup kills it by pid even if we fail below
BG_PIDS[daemon]=$dpid; BG_ORDER+=(daemon)
kill -0 "$dpid" 2>/dev/null || fail "-daemon: pid $dpid from the pid file is not running"
[ -S "$T/d.ctl" ] || fail "-daemon: control socket missing after the launcher returned"
plug_check daemon "$T/d.ctl" || fail "-daemon: the detached switch does not pass traffic"
kill -TERM "$dpid"
busywait 5 eval "! _pid_alive $dpid" || fail "-daemon: the detached switch ignored SIGTERM"
[ -e "$T/d.ctl" ] && fail "-daemon: socket left behind after SIGTERM"
[ -e "$T/d.pid" ] && fail "--pidfile: pid file left behind after SIGTERM"
log "ok: --help, --version, bad options, start-up line, --mode hub, -daemon --pidfile"
