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

# a flag takes no value: "--daemon=no" must not daemonize
rc=0; run_cli flagval --daemon=no -unix "$T/f.ctl" || rc=$?
[ $rc -ne 0 ] || fail "--daemon=no was accepted"
grep -q "option '--daemon' takes no value" "$T/flagval.err" ||
	fail "--daemon=no: the message does not say the flag takes no value: $(cat "$T/flagval.err")"
for f in --hub=1 -hub=yes --verbose=0 -compat-v0=1; do
	rc=0; run_cli flagval2 "$f" -unix "$T/f.ctl" || rc=$?
	[ $rc -ne 0 ] && grep -q 'takes no value' "$T/flagval2.err" ||
		fail "$f: not refused as a flag with a value: $(cat "$T/flagval2.err")"
done
[ -e "$T/f.ctl" ] && fail "a refused flag still created $T/f.ctl"

# a control path too long is named as such (not "Cannot allocate memory")
long=$T/$(printf 'x%.0s' $(seq 1 120)).ctl
rc=0; run_cli long -unix "$long" || rc=$?
[ $rc -ne 0 ] || fail "a 120-byte control path was accepted"
grep -qi 'longer than\|too long' "$T/long.err" ||
	fail "too long a control path: the message does not say so: $(cat "$T/long.err")"
grep -qi 'allocate memory' "$T/long.err" && fail "too long a control path reported as out of memory"
rel=$(printf 'y%.0s' $(seq 1 100)).ctl
rc=0; (cd "$T" && timeout 10 "$UML_SWITCH" -unix "$rel" >"$T/rel.out" 2>"$T/rel.err") || rc=$?
[ $rc -ne 0 ] || fail "a relative path too long once absolute was accepted"
grep -qi 'too long' "$T/rel.err" || fail "relative path: no 'too long' message: $(cat "$T/rel.err")"
grep -qi 'allocate memory' "$T/rel.err" && fail "a relative path too long reported as out of memory"

# --port: a port has no MAC of its own, so mac= is refused (never ignored)
rc=0; run_cli portmac -unix "$T/pm.ctl" --port "mcast:mac=02:00:00:00:00:01" || rc=$?
[ $rc -ne 0 ] || fail "--port mcast:mac=... was accepted"
grep -q "mac=02:00:00:00:00:01: this end has no MAC address" "$T/portmac.err" ||
	fail "--port mcast:mac=: the refusal does not name mac=: $(cat "$T/portmac.err")"
rc=0; run_cli portmac2 -unix "$T/pm.ctl" --port "mcast,02:00:00:00:00:01" || rc=$?
[ $rc -ne 0 ] || fail "--port mcast,MAC (legacy form) was accepted"
[ -e "$T/pm.ctl" ] && fail "a refused --port left its control socket $T/pm.ctl behind"

# no free port for what the command line asks: said, and nothing left
tap_add "tq$UID8"; tap_add "tr$UID8"
rc=0; run_cli noport -unix "$T/np.ctl" --max-ports 1 -tap "tq$UID8" --port "tuntap:dev=tr$UID8" || rc=$?
[ $rc -ne 0 ] || fail "two ports with --max-ports 1 were accepted"
grep -q 'all ports in use' "$T/noport.err" ||
	fail "--max-ports 1 with two ports: no 'all ports in use' message: $(cat "$T/noport.err")"
[ -e "$T/np.ctl" ] && fail "a failed start left $T/np.ctl behind"

# a pid file that cannot be written: the switch exits 1 and removes its sockets
rc=0; run_cli badpid -unix "$T/bp.ctl" --bess "$T/bp.bess" --stream "$T/bp.st" \
	--pidfile "$T/nodir/x.pid" || rc=$?
[ $rc -eq 1 ] || fail "an unwritable --pidfile: exit $rc, want 1: $(cat "$T/badpid.err")"
grep -q "nodir" "$T/badpid.err" || fail "an unwritable --pidfile: the message does not name it: $(cat "$T/badpid.err")"
for f in bp.ctl bp.bess bp.st; do
	[ -e "$T/$f" ] && fail "an unwritable --pidfile left the socket $T/$f behind"
done
# nor is a symlink followed, or another file truncated
echo keep >"$T/victim"
ln -s "$T/victim" "$T/link.pid"
rc=0; run_cli linkpid -unix "$T/lp.ctl" --pidfile "$T/link.pid" || rc=$?
[ $rc -eq 1 ] || fail "--pidfile on a symlink: exit $rc, want 1"
[ "$(cat "$T/victim")" = keep ] || fail "--pidfile wrote through a symlink"
grep -q 'not a regular file of ours' "$T/linkpid.err" ||
	fail "--pidfile on a symlink: $(cat "$T/linkpid.err")"

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
