# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tests/net/lib.sh: the end-to-end test harness, sourced by every
# tests/net/NN-name.sh (bash).  It owns a per-test temp dir, background
# processes (killed by pid at exit), namespaces/links (deleted at exit), the
# shared busybox guest root and stock-UML guest boot/wait helpers.
#
# API (names are fixed; other tests rely on them):
#   ROOT BUILD T UML_SWITCH GUEST_KERNEL    paths (see below); T is per test
#   log MSG...              progress line on stderr ("[test] MSG")
#   fail MSG...             "FAIL: MSG" on stderr, exit 1 (cleanup runs)
#   busywait SECS CMD...    poll CMD every 0.05 s until it succeeds; 1 on timeout
#   bg NAME CMD...          start CMD (own process group) with stdout+stderr in
#                           $T/NAME.log (or $BG_LOG); sets BG_PID; cleanup
#                           kills it (and its process group) by pid
#   bg_pid NAME             print the pid recorded for NAME
#   stop NAME [SIG]         send SIG (default TERM, KILL after 5 s) to NAME,
#                           reap it and return its exit status
#   alive NAME              true while NAME's process is running
#   switch_start NAME ARGS...  bg NAME $UML_SWITCH ARGS, wait for the control
#                           socket (-unix/--unix PATH, PATH/ctl if a directory);
#                           sets SWITCH_CTL; SWITCH_NS=NS switch_start ...
#                           runs it in netns NS
#   vde_switch_start NAME DIR [ARGS...]  reference vde_switch on DIR/ctl
#   switch_stats NAME       SIGUSR1 the switch, wait, print the new stats lines
#   wait_log FILE SECS ERE  busywait until FILE has a line matching ERE
#   guestroot_build         build $BUILD/guestroot once (locked, atomic)
#   guest_start NAME [KERNEL_ARGS...]
#                           boot $GUEST_KERNEL with the guest script $T/NAME.sh
#                           (write it first, e.g. with guest_script); console in
#                           $T/NAME.console, script output $T/NAME.out, status
#                           $T/NAME.rc.  Extra args e.g. eth0=daemon,,unix,CTL
#                           GUEST_NS=NS guest_start ... boots it inside netns NS
#                           (abstract unix names are per netns: a guest must
#                           share the switch's netns)
#                           GUEST_WRAP="CMD ARGS" guest_start ... runs the
#                           guest's command line through CMD (words split at
#                           spaces; CMD execs what follows its own arguments)
#   guest_script NAME <<'EOF' ... EOF   write $T/NAME.sh from stdin
#   guest_wait NAME [SECS]  wait (default 60 s) for the guest to power off;
#                           return the script's status; fail with console/out
#                           tails on timeout
#   guest_ok NAME [SECS]    guest_wait, and fail (with the tails) unless the
#                           guest script exited 0
#   guest_kill NAME [SIG]   kill a guest's whole process group (default KILL)
#   guest_modules NAME.ko   sets MODDIR (the stock guest kernel's modules,
#                           /usr/lib/uml/modules) and LOAD: guest commands
#                           that insmod NAME.ko and its dependencies from
#                           /tmp/mod, where the guest mounts MODDIR by hostfs
#   ping_pair_scripts A B NET [IFA [IFB]]  scripts for two guests pinging
#                           each other (NET.1 and NET.2); ping_pair_check A B
#                           waits for them and requires 4/4 both ways
#   test_user [NAME]        unprivileged user (made if missing, deleted at
#                           exit if made); sets TEST_USER and AS_USER
#   as_user_script FILE PROG  executable FILE running PROG as that user
#   slip_line_start NET     stock guest a (NET.1) on a SLIP line at $T/pty;
#                           guest b's script (NET.2) for the far end
#   slip_line_check         a and b pinged each other, 64 KiB crossed by TCP
#   slirp_setup KERNEL      UML_SLIRP, test user owning $T ($T/uml, $T/www),
#                           $T/kernel running KERNEL as the user
#   trio_scripts NET [HOLD] guests a b c (NET.1-3) ping each other; trio_wait
#                           (all pinged), trio_check (all ok, 3/3 each way)
#   pxe_dhcp_start NET CTL MAC NETDEV  udhcpd guest d, QEMU PXE-boots on
#                           NETDEV; pxe_dhcp_check: d leased MAC an address
#   hotplug_start START [eth0]  switch, guests a and b for mconsole hot-plug
#                           of b's eth1: hotplug_plug, hotplug_use,
#                           hotplug_unplug; hotplug_mc ARGS (OK or not)
#   rand_port               a random port number (20000-60000)
#   web_start ADDR          busybox httpd as the test user on ADDR:$WEB
#                           serving $T/www (sets WEB)
#   slirp_port_check, slirp_fwd_try, slirp_sandbox_check
#                           the slirp tests' shared steps (see their block)
#   netns_add NAME          ip netns add NAME (lo up); deleted at exit
#   nsx NAME CMD...         ip netns exec NAME CMD...
#   link_track NAME [NS]    remember a link to delete at exit
#   tap_add NAME [NS]       ip tuntap add NAME mode tap (in NS if given), up
#   veth_add A B [NSA [NSB]]  veth pair, ends moved to namespaces, both up
#   need CMD...             fail loudly unless every CMD is installed
#   build_tool NAME         make $BUILD/tools/NAME (from tests/tools/NAME.c);
#                           prints its path
#   need_plug               build tests/tools/plug (daemon test client); sets PLUG
#   plug_check TAG CTL [N]  a plug receiver must get N frames from a plug
#                           sender through the switch on CTL (netns $PLUG_NS)
#   plug_big LEN RXNS RXCTL TXNS TXCTL  3 frames of LEN bytes from a plug
#                           sender on TXCTL (netns TXNS) must reach a plug
#                           receiver on RXCTL (netns RXNS) whole
#
#   UID8                    6 characters unique to this test, for netns and
#                           link names (IFNAMSIZ is 16)
#   KEEP=1                  environment: keep $T after the test
#
# Guests boot with root=/dev/root rootfstype=hostfs rootflags=$BUILD/guestroot
# (not hostfs=DIR, which would confine every later hostfs mount, /t included,
# to DIR).  The kernel command line carries tdir=$T guest=NAME; unknown
# key=value parameters become the environment of /init.
#
# Guest side: /init (in $BUILD/guestroot) mounts proc, sys, tmpfs /tmp and
# the host dir $T at /t (hostfs), brings lo up, runs /t/NAME.sh with output
# to /t/NAME.out, writes the status to /t/NAME.rc and powers off.  Inside a
# guest script, poll host-created files with e.g.
#   until [ -e /t/go ]; do sleep 0.1; done
# and use `gw FILE` (a helper in the guest's PATH) to wait up to 30 s; after
# starting a server in the background, `lw PORT` waits until it listens.
# `udhcpc -i IF -q -n` configures a lease and writes "IP MASKBITS ROUTER
# DNS..." to /tmp/lease.

set -u
set -o pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
UML_SWITCH=${UML_SWITCH:-$BUILD/uml_switch}
GUEST_KERNEL=${GUEST_KERNEL:-/usr/bin/linux.uml}
# preloaded into every UML kernel a test boots (compat/xstate.c: a 6.1
# kernel cannot set its processes' FPU state on a host with AVX-512/AMX)
UML_XSTATE=${UML_XSTATE:-$BUILD/uml-xstate.so}
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

T=$(mktemp -d /tmp/umlnet.XXXXXX) || { echo "FAIL: mktemp" >&2; exit 1; }
chmod 755 "$T"

declare -A BG_PIDS=()		# name -> pid
declare -a BG_ORDER=()
declare -a NETNS_LIST=()
declare -a LINK_LIST=()		# "name ns" pairs
BG_PID=

log() { echo "[$TEST_NAME] $*" >&2; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

busywait() {
	local secs=$1; shift
	local end=$(( $(date +%s%N) + secs * 1000000000 ))
	while :; do
		"$@" && return 0
		[ "$(date +%s%N)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

need() {
	local c
	for c; do
		command -v "$c" >/dev/null 2>&1 || fail "required program '$c' is not installed (run scripts/install-deps)"
	done
}

_pid_alive() {
	# a zombie counts as gone
	local st
	kill -0 "$1" 2>/dev/null || return 1
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$st" != Z ]
}

_group_alive() {
	# any process still in process group $1?
	pgrep -g "$1" >/dev/null 2>&1
}

bg() {
	local name=$1; shift
	[ -n "${BG_PIDS[$name]:-}" ] && _pid_alive "${BG_PIDS[$name]}" &&
		fail "bg: a process named '$name' is already running"
	: >"${BG_LOG:-$T/$name.log}"	# exists at once, for busywait greps
	setsid "$@" </dev/null >>"${BG_LOG:-$T/$name.log}" 2>&1 &
	BG_PID=$!
	BG_PIDS[$name]=$BG_PID
	BG_ORDER+=("$name")
}

bg_pid() { echo "${BG_PIDS[$1]:-}"; }

alive() {
	local pid=${BG_PIDS[$1]:-}
	[ -n "$pid" ] && _pid_alive "$pid"
}

# _kill_group PID SIG: signal the process group the pid leads (setsid made it
# a leader), falling back to the pid itself.
_kill_group() {
	kill -"$2" -- -"$1" 2>/dev/null || kill -"$2" "$1" 2>/dev/null
}

stop() {
	local name=$1 sig=${2:-TERM} pid rc
	pid=${BG_PIDS[$name]:-}
	[ -n "$pid" ] || { log "stop: no process named '$name'"; return 127; }
	local ignored=
	# stderr off: bash's "Killed" job notices are noise here
	{
		if _pid_alive "$pid"; then
			kill -"$sig" "$pid"
			if ! busywait 5 eval "! _pid_alive $pid"; then
				ignored=1
				_kill_group "$pid" KILL
			fi
		fi
		wait "$pid"
		rc=$?
		# stragglers in its group (e.g. UML helper processes)
		_group_alive "$pid" && _kill_group "$pid" KILL
	} 2>/dev/null
	[ -n "$ignored" ] && log "stop: '$name' (pid $pid) ignored SIG$sig, killed"
	return $rc
}

wait_log() {
	local file=$1 secs=$2 re=$3
	busywait "$secs" grep -Eqi -- "$re" "$file"
}

netns_add() {
	ip netns add "$1" || fail "ip netns add $1"
	NETNS_LIST+=("$1")
	ip -n "$1" link set lo up || fail "lo up in netns $1"
}

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

link_track() { LINK_LIST+=("$1 ${2:-}"); }

tap_add() {
	local name=$1 ns=${2:-}
	if [ -n "$ns" ]; then
		ip -n "$ns" tuntap add "$name" mode tap || fail "tuntap add $name in $ns"
		ip -n "$ns" link set "$name" up
	else
		ip tuntap add "$name" mode tap || fail "tuntap add $name"
		ip link set "$name" up
	fi
	link_track "$name" "$ns"
}

veth_add() {
	local a=$1 b=$2 nsa=${3:-} nsb=${4:-}
	ip link add "$a" type veth peer name "$b" || fail "veth $a/$b"
	link_track "$a"
	if [ -n "$nsa" ]; then ip link set "$a" netns "$nsa"; link_track "$a" "$nsa"; fi
	if [ -n "$nsb" ]; then ip link set "$b" netns "$nsb"; fi
	ip ${nsa:+-n "$nsa"} link set "$a" up
	ip ${nsb:+-n "$nsb"} link set "$b" up
}

# ---- switch ----------------------------------------------------------------

_switch_ctl_arg() {
	local prev=
	local a
	for a; do
		case $prev in -unix|--unix) echo "$a"; return 0 ;; esac
		case $a in --unix=*) echo "${a#--unix=}"; return 0 ;; esac
		prev=$a
	done
	echo /tmp/uml.ctl
}

_is_sock() { [ -S "$1" ]; }

switch_start() {
	local name=$1; shift
	local path
	[ -x "$UML_SWITCH" ] || fail "switch binary $UML_SWITCH not found (run make)"
	path=$(_switch_ctl_arg "$@")
	bg "$name" ${SWITCH_NS:+ip netns exec "$SWITCH_NS"} "$UML_SWITCH" "$@"
	if ! busywait 10 eval "[ -S '$path' ] || [ -S '$path/ctl' ] || ! _pid_alive $BG_PID"; then
		fail "switch '$name' did not create its control socket $path within 10 s: $(tail -5 "$T/$name.log")"
	fi
	_pid_alive "$BG_PID" || fail "switch '$name' exited at start-up: $(tail -5 "$T/$name.log")"
	# shellcheck disable=SC2034  # SWITCH_CTL is the caller's (the API above)
	if [ -d "$path" ]; then SWITCH_CTL=$path/ctl; else SWITCH_CTL=$path; fi
}

# vde_switch_start NAME DIR [ARGS...]: a reference vde_switch on DIR (kept
# in the foreground: its stdin is a pipe that never ends, so it is killed by
# pid with the rest).
vde_switch_start() {
	local name=$1 dir=$2; shift 2
	need vde_switch
	bg "$name" sh -c 'tail -f /dev/null | exec vde_switch -s "$0" "$@"' "$dir" "$@"
	busywait 10 test -S "$dir/ctl" ||
		fail "vde_switch '$name' did not create $dir/ctl: $(tail -5 "$T/$name.log")"
}

# switch_stats NAME: SIGUSR1 and print the stats block it produced.
switch_stats() {
	local name=$1 pid before
	pid=${BG_PIDS[$name]}
	before=$(grep -c 'stats: ports=' "$T/$name.log")
	kill -USR1 "$pid" || return 1
	busywait 5 eval "[ \$(grep -c 'stats: ports=' '$T/$name.log') -gt $before ]" || return 1
	# the lines of the newest block: everything after the previous summary
	awk -v n="$before" '/stats: ports=/ { c++; if (c == n + 1) { print; exit }; next }
		/stats: / { if (c == n) print }' "$T/$name.log"
}

# slip_line_start NET: a SLIP line to test a slip transport on.  Guest a
# (the stock kernel, in $GUEST_NS if set) has eth0=slirp,,HELPER, the
# kernel's SLIP-over-a-stream transport, where HELPER is socat between that
# stream and a pty whose slave is linked at $T/pty.  Also written: guest
# b's script; b (NET.2, started by the caller on the far end of the line)
# and a (NET.1) ping each other with payloads full of SLIP's END and ESC
# bytes, then b sends 64 KiB to a by TCP.  slip_line_check checks it all.
slip_line_start() {
	local net=$1
	need socat cmp
	cat >"$T/slh" <<EOF2
#!/bin/sh
# fd 0 = fd 1 = the stock guest's SLIP stream socket
exec socat FD:0 PTY,link=$T/pty,rawer 2>>$T/slh.log
EOF2
	chmod 755 "$T/slh"
	head -c 65536 /dev/urandom >"$T/data"
	guest_script a <<EOF2
ip addr add $net.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up 60 || exit 1
ping -c 3 -w 20 -p c0 $net.2 || { echo "a: no reply from $net.2"; exit 1; }
# stdin kept open: at EOF busybox nc would close its side, and the sender's
# nc quits on that FIN before it has sent everything
sleep 120 | nc -l -p 5000 >/t/recv &
lw 5000 10 || exit 1
touch /t/a.listen
gw /t/done 90
EOF2
	guest_script b <<EOF2
ip addr add $net.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
ping -c 3 -w 20 -p db $net.1 || { echo "b: no reply from $net.1"; exit 1; }
gw /t/a.listen 60 || exit 1
nc $net.1 5000 </t/data &
gw /t/done 90
EOF2
	guest_start a eth0=slirp,,"$T/slh"
	busywait 60 eval "[ -e '$T/pty' ] || [ -e '$T/a.rc' ]" && [ -e "$T/pty" ] ||
		{ guest_ok a 5; fail "guest a's SLIP helper made no pty: $(cat "$T/slh.log" 2>/dev/null)"; }
}

# slip_line_check: both guests of slip_line_start got 3 of 3 ping replies
# and the 64 KiB arrived intact.
slip_line_check() {
	local n
	if ! busywait 90 eval "cmp -s '$T/data' '$T/recv' || [ -e '$T/a.rc' ] || [ -e '$T/b.rc' ]" ||
	   ! cmp -s "$T/data" "$T/recv"; then
		touch "$T/done"
		guest_ok a 10
		guest_ok b 10
		fail "the 64 KiB file did not cross intact ($(stat -c %s "$T/recv" 2>/dev/null) bytes)"
	fi
	touch "$T/done"
	guest_ok a 30
	guest_ok b 30
	for n in a b; do
		grep -q '3 packets received' "$T/$n.out" || fail "guest $n: $(grep packets "$T/$n.out")"
	done
}

# slirp_setup KERNEL: the common start of the slirp tests: UML_SLIRP
# (built), a test user that owns $T (with $T/uml and $T/www, where its
# guests and servers write) and $T/kernel, which runs KERNEL as that user.
slirp_setup() {
	UML_SLIRP=${UML_SLIRP:-$BUILD/uml_slirp}
	[ -x "$UML_SLIRP" ] || fail "$UML_SLIRP not built (run make)"
	need busybox setpriv cmp
	test_user
	mkdir -p "$T/uml" "$T/www"
	chown -R "$TEST_USER" "$T"
	as_user_script "$T/kernel" "$1"
}

# rand_port: a random port number for a test server (20000-60000)
rand_port() { shuf -i 20000-60000 -n 1; }

# web_start ADDR: busybox httpd as the test user (test_user first) serving
# $T/www on ADDR (127.0.0.1 or [::1]) and a random port; sets WEB.
web_start() {
	WEB=$(rand_port)
	bg web "${AS_USER[@]}" busybox httpd -f -p "$1:$WEB" -h "$T/www"
	busywait 10 eval "ss -ltn | grep -qF '$1:$WEB '" ||
		fail "host web server on $1:$WEB did not start: $(cat "$T/web.log")"
}

# ---- uml_slirp: the shared body of 46/47, forwards, the sandbox --------
# (helpers of the slirp tests 45-49 and 58; SWITCH_NS, when set, is also
# where slirp_port_check's web server runs and its forward is tried)

# slirp_fwd_try ADDR PORT: one connection to a host forward whose guest
# server answers hello-from-guest; true when it did ($T/fwd-out.txt has
# the answer).  For busywait: a forward that slirp has not yet connected
# through to the guest just closes, and the guest's server still waits.
slirp_fwd_try() {
	echo hello-from-host | timeout 5 ${SWITCH_NS:+ip netns exec "$SWITCH_NS"} \
		"${AS_USER[@]}" busybox nc "$1" "$2" >"$T/fwd-out.txt" 2>/dev/null
	[ "$(cat "$T/fwd-out.txt")" = hello-from-guest ]
}

# slirp_port_check ADDR URLHOST SPEC NIC NETCMDS: the body of 46 (IPv4) and
# 47 (IPv6), also run by 58.  A web server as the test user on ADDR
# (127.0.0.1 or ::1) and port $WEB serves 300000 random bytes; switch
# "sw" ($UML_SWITCH on $T/sw.ctl) starts with --port SPEC, which must
# forward ADDR port $FWD (set by the caller) to the guest's port 80; guest
# "g" boots with NIC (e.g. eth0=daemon,,unix,$T/sw.ctl), runs NETCMDS
# (which set up its address, or print "failed", "expected", "no DHCP",
# "no SLAAC" or "cannot" and exit 1), fetches http://URLHOST:$WEB/data.bin and compares it, then
# serves hello-from-guest on port 80, which the host must reach through
# the forward.
slirp_port_check() {
	local addr=$1 urlhost=$2 spec=$3 nic=$4 netcmds=$5 web
	case $addr in *:*) web="[$addr]" ;; *) web=$addr ;; esac
	head -c 300000 /dev/urandom >"$T/www/data.bin"
	WEB=$(rand_port)
	bg web ${SWITCH_NS:+ip netns exec "$SWITCH_NS"} "${AS_USER[@]}" \
		busybox httpd -f -p "$web:$WEB" -h "$T/www"
	busywait 10 eval "${SWITCH_NS:+ip netns exec $SWITCH_NS} ss -ltn | grep -qF '$web:$WEB '" ||
		fail "host web server on $web:$WEB did not start: $(cat "$T/web.log")"
	switch_start sw -unix "${SW_DIR:-$T}/sw.ctl" --port "$spec"
	busywait 10 eval "${SWITCH_NS:+ip netns exec $SWITCH_NS} ss -ltn | grep -qF '$web:$FWD '" ||
		fail "the slirp port's forward of $web:$FWD is not listening: $(tail -5 "$T/sw.log")"
	guest_script g <<EOF2
$netcmds
wget -q -O /tmp/data.bin "http://$urlhost:$WEB/data.bin" || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo fetched-ok
echo hello-from-guest >/tmp/hello
(nc -l -p 80 </tmp/hello >/t/fwd-in.txt) &
lw 80 10 || exit 1
touch /t/g.listening
gw /t/host.done 60 || exit 1
EOF2
	GUEST_NS=${SWITCH_NS:-} guest_start g "$nic"
	busywait 60 grep -Eqs 'fetched-ok|failed|differs|expected|no DHCP|no SLAAC|cannot' "$T/g.out" ||
		fail "guest made no progress: $(tail -5 "$T/g.console")"
	grep -q fetched-ok "$T/g.out" ||
		{ cat "$T/g.out" >&2; fail "guest could not set up its network and fetch the file through the slirp port"; }
	busywait 30 test -e "$T/g.listening" || fail "guest server not started"
	busywait 20 slirp_fwd_try "$addr" "$FWD" ||
		fail "host $web:$FWD did not reach the guest (got '$(cat "$T/fwd-out.txt")')"
	touch "$T/host.done"
	guest_ok g 60
	grep -q hello-from-host "$T/fwd-in.txt" || fail "the guest server did not get the host's data"
	alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
}

# slirp_sandbox_check PID WHO USER: the uml_slirp with PID (WHO, for
# messages) runs sandboxed as USER: seccomp filter mode, no_new_privs,
# every capability set empty, real/effective/saved/fs uid USER (never 0),
# and, where it entered its own mount namespace, a root holding only etc.
slirp_sandbox_check() {
	local pid=$1 who=$2 user=$3 st uid want c
	st=$(cat "/proc/$pid/status") || fail "$who: no process $pid"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$st" ||
		fail "$who: not under a seccomp filter: $(grep '^Seccomp:' <<<"$st")"
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$st" ||
		fail "$who: no_new_privs not set: $(grep '^NoNewPrivs:' <<<"$st")"
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -Eq "^$c:[[:space:]]+0+$" <<<"$st" ||
			fail "$who: capabilities left: $(grep "^$c:" <<<"$st")"
	done
	want=$(id -u "$user") || fail "no user $user"
	uid=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' <<<"$st")
	[ "$uid" = "$want $want $want $want" ] && [ "$want" != 0 ] ||
		fail "$who: uids '$uid', want $user ($want) in all four"
	if [ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]; then
		[ "$(ls -A "/proc/$pid/root/")" = etc ] ||
			fail "$who: its root holds $(ls -A "/proc/$pid/root/" | tr '\n' ' '), want only etc"
	fi
	log "ok: $who (pid $pid): Seccomp 2, NoNewPrivs 1, no capabilities, uid $want ($user), root: $(ls -A "/proc/$pid/root/" | tr '\n' ' ')"
}

# ---- guests ----------------------------------------------------------------

_guestroot_make() {
	local dst=$1 p
	mkdir -p "$dst"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,mnt,t,etc,root,var/run}
	cp /bin/busybox "$dst/bin/busybox"
	# the equivalent of `busybox --install -s`, with links valid inside the
	# guest (they point at /bin/busybox of the guest root, not of the host)
	for p in $(/bin/busybox --list-full); do
		[ "$p" = bin/busybox ] && continue
		[ -e "$dst/$p" ] || ln -s /bin/busybox "$dst/$p"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$dst/etc/passwd"
	echo "root:x:0:" >"$dst/etc/group"
	cat >"$dst/init" <<'EOF'
#!/bin/sh
# umlnet test guest init: params tdir= and guest= come from the kernel
# command line (unknown key=value parameters become init's environment).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t devtmpfs dev /dev 2>/dev/null
mount -t hostfs none /t -o "$tdir" || { echo "init: cannot mount $tdir" ; poweroff -f; }
ip link set lo up
cd /t
sh "/t/$guest.sh" >"/t/$guest.out" 2>&1
echo $? >"/t/$guest.rc.tmp"
mv "/t/$guest.rc.tmp" "/t/$guest.rc"
sync
poweroff -f
EOF
	chmod 755 "$dst/init"
	cat >"$dst/bin/gw" <<'EOF'
#!/bin/sh
# gw FILE [SECS]: wait until FILE exists (default 30 s); 1 on timeout
n=$(( ${2:-30} * 10 ))
while [ ! -e "$1" ]; do
	n=$((n - 1)); [ $n -le 0 ] && { echo "gw: $1 did not appear"; exit 1; }
	sleep 0.1
done
EOF
	chmod 755 "$dst/bin/gw"
	cat >"$dst/bin/lw" <<'EOF'
#!/bin/sh
# lw PORT [SECS]: wait until a TCP socket listens on PORT (default 30 s)
n=$(( ${2:-30} * 10 ))
until netstat -ltn | grep -q ":$1 "; do
	n=$((n - 1)); [ $n -le 0 ] && { echo "lw: nothing listens on TCP port $1"; exit 1; }
	sleep 0.1
done
EOF
	chmod 755 "$dst/bin/lw"
	# udhcpc's default hook: configure the lease, record it in /tmp/lease
	mkdir -p "$dst/etc/udhcpc"
	cat >"$dst/etc/udhcpc/default.script" <<'EOF'
#!/bin/sh
case "$1" in
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/$mask" dev "$interface"
	for r in $router; do ip route add default via "$r" dev "$interface"; break; done
	echo "$ip $mask $router $dns" >/tmp/lease ;;
esac
exit 0
EOF
	chmod 755 "$dst/etc/udhcpc/default.script"
	echo 4 >"$dst/.version"
}

guestroot_build() {
	local root=$BUILD/guestroot
	[ -f "$root/.version" ] && [ "$(cat "$root/.version")" = 4 ] && return 0
	mkdir -p "$BUILD"
	(
		flock 9
		[ -f "$root/.version" ] && [ "$(cat "$root/.version")" = 4 ] && exit 0
		rm -rf "$root.new" "$root"
		_guestroot_make "$root.new" && mv "$root.new" "$root"
	) 9>"$BUILD/.guestroot.lock" || fail "cannot build the guest root in $root"
}

guest_script() { cat >"$T/$1.sh"; }

# mem=256M, not less: the stock Debian kernel runs its uevent helper
# (/sbin/hotplug, absent here) once per uevent, one kernel thread each, about
# 670 of them while it boots.  threads-max is sized from RAM: at mem=64M it
# is only 310-410 (the RAM left varies from boot to boot), so on a busy host
# the helpers pile up, forks fail with EAGAIN, and when that lasts until
# /init, its first fork fails, init exits and the kernel panics.  256M gives
# some 1800, more than all the helpers at once.
guest_start() {
	local name=$1; shift
	[ -x "$GUEST_KERNEL" ] || fail "guest kernel $GUEST_KERNEL not found"
	[ -f "$UML_XSTATE" ] || fail "$UML_XSTATE not built (run make)"
	[ -f "$T/$name.sh" ] || fail "guest_start: write $T/$name.sh first"
	guestroot_build
	mkdir -p "$T/uml"
	rm -f "$T/$name.rc" "$T/$name.out"
	ln -sf "$name.console" "$T/$name.log"
	BG_LOG=$T/$name.console \
	bg "$name" ${GUEST_NS:+ip netns exec "$GUEST_NS"} ${GUEST_WRAP:-} \
		env LD_PRELOAD="$UML_XSTATE" "$GUEST_KERNEL" mem=256M root=/dev/root rootfstype=hostfs \
		rootflags="$BUILD/guestroot" rw init=/init umid="$name" \
		uml_dir="$T/uml" con=null con0=fd:0,fd:1 \
		tdir="$T" guest="$name" "$@"
}

_guest_tail() {
	local name=$1
	echo "--- $name console (tail) ---"
	tail -n 25 "$T/$name.console" 2>/dev/null | tr -d '\r'
	echo "--- $name script output (tail) ---"
	tail -n 25 "$T/$name.out" 2>/dev/null
}

guest_wait() {
	local name=$1 secs=${2:-60} pid rc
	pid=${BG_PIDS[$name]:-}
	[ -n "$pid" ] || fail "guest_wait: no guest '$name'"
	if ! busywait "$secs" eval "[ -e '$T/$name.rc' ] || ! _pid_alive $pid"; then
		_guest_tail "$name" >&2
		guest_kill "$name"
		fail "guest '$name' did not finish within ${secs}s"
	fi
	{
		busywait 10 eval "! _pid_alive $pid" || guest_kill "$name"
		wait "$pid"
		_group_alive "$pid" && _kill_group "$pid" KILL
	} 2>/dev/null
	if [ ! -e "$T/$name.rc" ]; then
		_guest_tail "$name" >&2
		fail "guest '$name' exited without running its script to the end"
	fi
	rc=$(cat "$T/$name.rc")
	return "$rc"
}

guest_modules() {
	local ko kver d
	MODDIR=/usr/lib/uml/modules
	ko=$(find "$MODDIR" -name "$1" | head -1)
	[ -n "$ko" ] || fail "no $1 under $MODDIR (user-mode-linux package)"
	ko=${ko#"$MODDIR"/}
	kver=${ko%%/*}
	# its dependencies (modules.dep lists them): loaded last first
	LOAD=
	for d in $(sed -n "s|^${ko#"$kver"/}:||p" "$MODDIR/$kver/modules.dep"); do
		LOAD="insmod /tmp/mod/$kver/$d || exit 1; $LOAD"
	done
	LOAD="$LOAD insmod /tmp/mod/$ko"
}

# virtio_eth0 ADDR/LEN: guest script lines that load virtio_net (after
# guest_modules virtio_net.ko) and put ADDR on its interface, eth0
virtio_eth0() {
	cat <<EOF2
mkdir -p /tmp/mod
mount -t hostfs none /tmp/mod -o $MODDIR || exit 1
( $LOAD ) || { echo "cannot load virtio_net.ko"; exit 1; }
n=50
until ip link show eth0 >/dev/null 2>&1; do
	n=\$((n - 1)); [ \$n -le 0 ] && { echo "no eth0"; exit 1; }
	sleep 0.1
done
ip addr add $1 dev eth0
ip link set eth0 up
EOF2
}

# nc_take NAME PORT FILE: guest script lines: take one TCP stream on PORT
# (busybox nc), touch /t/NAME.listen once listening, and check that it
# is FILE, byte for byte (/t/NAME.got then)
nc_take() {
	cat <<EOF2
sleep 120 | { nc -l -p $2 >/tmp/got; touch /tmp/got.end; } &
lw $2 || exit 1
touch /t/$1.listen
gw /tmp/got.end 90 || exit 1
cmp /tmp/got $3 || { echo "$1: the copy differs"; exit 1; }
rm -f /tmp/got /tmp/got.end
touch /t/$1.got
EOF2
}

guest_kill() {
	local name=$1 sig=${2:-KILL} pid
	pid=${BG_PIDS[$name]:-}
	[ -n "$pid" ] || return 0
	{
		_kill_group "$pid" "$sig"
		busywait 5 eval "! _pid_alive $pid"
		wait "$pid"
	} 2>/dev/null
	return 0
}

# guest_ok NAME [SECS]: guest_wait and fail with the script's output if the
# script failed.
guest_ok() {
	local name=$1 rc=0
	guest_wait "$@" || rc=$?
	if [ $rc -ne 0 ]; then
		_guest_tail "$name" >&2
		fail "guest '$name' script failed (status $rc)"
	fi
}

# ping_pair_scripts A B NET [IFA [IFB]]: guest scripts for A (NET.1 on IFA,
# default eth0) and B (NET.2 on IFB) that wait for each other, then ping the
# other side 4 times; each fails unless all 4 replies came back.
ping_pair_scripts() {
	local a=$1 b=$2 net=$3 ifa=${4:-eth0} ifb=${5:-eth0}

	_ping_script "$a" "$b" "$net.1" "$net.2" "$ifa"
	_ping_script "$b" "$a" "$net.2" "$net.1" "$ifb"
}

_ping_script() {	# me peer myip peerip ifname
	guest_script "$1" <<EOF2
ip addr add $3/24 dev $5
ip link set $5 up
touch /t/$1.up
gw /t/$2.up || exit 1
ping -c 4 -w 20 $4 || { echo "$1: no reply from $4"; exit 1; }
touch /t/$1.done
gw /t/$2.done 60
EOF2
}

# ping_pair_check A B: wait for both guests of ping_pair_scripts and require
# 4 of 4 replies each way.
ping_pair_check() {
	local g

	guest_ok "$1" 90
	guest_ok "$2" 30
	for g in "$1" "$2"; do
		grep -q '4 packets received' "$T/$g.out" ||
			fail "guest $g: not 4/4 replies: $(grep packets "$T/$g.out")"
	done
}

# ---- three guests on a LAN, QEMU's DHCP (tests 40 and 41) ------------------

# trio_scripts NET [HOLD]: scripts for guests a, b and c (NET.1, .2 and .3
# on eth0): each waits for the others, pings both (3 each), touches
# /t/NAME.done and waits for theirs; with HOLD it then stays up until the
# host creates $T/HOLD.  trio_wait: all three pinged (else fail with the
# tails); trio_check: all three succeeded, each with 3/3 from both others.
trio_scripts() {
	local net=$1 hold=${2:+"gw /t/$2 60 || exit 1"} g n i
	for g in a:1 b:2 c:3; do
		n=${g%:*} i=${g#*:}
		guest_script "$n" <<EOF2
ip addr add $net.$i/24 dev eth0
ip link set eth0 up
touch /t/$n.up
gw /t/a.up && gw /t/b.up && gw /t/c.up || exit 1
for p in 1 2 3; do
	[ \$p = $i ] && continue
	ping -c 3 -w 20 $net.\$p || { echo "$n: no reply from $net.\$p"; exit 1; }
done
touch /t/$n.done
gw /t/a.done 60 && gw /t/b.done 60 && gw /t/c.done 60 || exit 1
$hold
EOF2
	done
}

trio_wait() {
	local n
	busywait 90 eval "[ -e '$T/a.done' ] && [ -e '$T/b.done' ] && [ -e '$T/c.done' ] ||
		[ -e '$T/a.rc' ] || [ -e '$T/b.rc' ] || [ -e '$T/c.rc' ]"
	for n in a b c; do
		[ -e "$T/$n.done" ] || { guest_ok "$n" 5; fail "guest $n did not finish its pings"; }
	done
}

trio_check() {
	local n
	for n in a b c; do guest_ok "$n" 30; done
	for n in a b c; do
		[ "$(grep -c '3 packets received' "$T/$n.out")" = 2 ] ||
			fail "guest $n: not 3/3 replies from both others: $(grep packets "$T/$n.out")"
	done
}

# pxe_dhcp_start NET CTL MAC NETDEV: guest d (NET.4, fe:fd:NET:04 on
# eth0=daemon at CTL, in $GUEST_NS) serves NET.100-110 with udhcpd; then
# QEMU (TCG: a BIOS and its iPXE boot ROM need no KVM) boots from the
# network on an e1000 with MAC, -netdev socket,id=n0,NETDEV, in $GUEST_NS.
# pxe_dhcp_check: d's script must see udhcpd send an ACK and lease an
# address to MAC (120 s: QEMU sends its REQUEST only after our OFFER).
pxe_dhcp_start() {
	local net=$1 ctl=$2 mac=$3 netdev=$4 o1 o2 o3
	need qemu-system-x86_64
	IFS=. read -r o1 o2 o3 <<<"$net"
	guest_script d <<EOF2
ip addr add $net.4/24 dev eth0
ip link set eth0 up
cat >/tmp/u.conf <<EOF3
start $net.100
end $net.110
interface eth0
lease_file /tmp/leases
auto_time 1
option subnet 255.255.255.0
EOF3
touch /tmp/leases
udhcpd -f /tmp/u.conf >/tmp/ud.log 2>&1 &
touch /t/d.up
n=0
while [ \$n -lt 120 ]; do
	sleep 1
	if grep -q 'sending ACK' /tmp/ud.log &&
	   dumpleases -f /tmp/leases | grep -qi '$mac'; then
		cat /tmp/ud.log; dumpleases -f /tmp/leases; exit 0
	fi
	n=\$((n + 1))
done
cat /tmp/ud.log; echo "d: no lease for QEMU"; exit 1
EOF2
	guest_start d "eth0=daemon,$(printf 'fe:fd:%02x:%02x:%02x:04' "$o1" "$o2" "$o3"),unix,$ctl"
	busywait 60 eval "[ -e '$T/d.up' ] || [ -e '$T/d.rc' ]" && [ -e "$T/d.up" ] ||
		{ guest_ok d 5; fail "DHCP guest did not start"; }
	bg qemu ${GUEST_NS:+ip netns exec "$GUEST_NS"} qemu-system-x86_64 -accel tcg \
		-m 64 -nodefaults -display none -vga none -serial none -boot n \
		-netdev "socket,id=n0,$netdev" -device "e1000,netdev=n0,mac=$mac"
}

pxe_dhcp_check() {
	guest_ok d 150
	stop qemu
}

# ---- mconsole hot-plug (tests 18 and 62) -----------------------------------

# hotplug_start START [eth0]: a switch and two guests booted by START
# (guest_start, or our_guest of kernel-lib.sh): a (10.0.0.1 on eth0, on the
# switch) and b (with eth0: an eth0 on the switch too).  Waits for both and
# for b's mconsole; sets HP_CTL and HP_MC.  b's script follows the host:
# after hotplug_plug (config eth1) and hotplug_use it puts 10.0.0.2 on
# eth1 and pings a; in hotplug_unplug it takes eth1 down, and after the
# remove checks that eth1 is gone (with eth0: that eth0 still reaches a).
hotplug_start() {
	local start=$1 eth0=${2:-} tail=
	switch_start sw -unix "$T/sw.ctl"
	HP_CTL=$SWITCH_CTL
	[ -z "$eth0" ] || tail='# eth0 (plugged at boot) is still served
ip addr add 10.0.0.3/24 dev eth0
ip link set eth0 up
ping -c 2 -w 10 10.0.0.1 || { echo "b: no reply over eth0 after the unplug"; exit 1; }'
	# each guest waits longer than the host's steps can take, so that a
	# slow step is never reported as a guest's failure
	guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.done 300
EOF2
	guest_script b <<EOF2
touch /t/b.booted
gw /t/b.plugged 90 || exit 1
ip addr add 10.0.0.2/24 dev eth1 || { echo "no eth1 after mconsole config"; exit 1; }
ip link set eth1 up
ping -c 3 -w 15 10.0.0.1 || { echo "b: no reply over the hot-plugged eth1"; exit 1; }
touch /t/b.pinged
gw /t/b.busy 60 || exit 1
ip link set eth1 down
touch /t/b.down
gw /t/b.unplugged 60 || exit 1
[ ! -e /sys/class/net/eth1 ] || { echo "eth1 still present after mconsole remove"; exit 1; }
$tail
touch /t/b.done
EOF2
	"$start" a eth0=daemon,,unix,"$HP_CTL"
	"$start" b ${eth0:+eth0=daemon,,unix,"$HP_CTL"}
	busywait 60 eval "[ -e '$T/b.booted' ] && [ -e '$T/a.up' ] || ! alive a || ! alive b"
	[ -e "$T/a.up" ] || { guest_ok a 5; fail "guest a did not come up"; }
	[ -e "$T/b.booted" ] || { guest_ok b 5; fail "guest b did not boot"; }
	HP_MC=$T/uml/b/mconsole
	busywait 10 test -S "$HP_MC" || fail "no mconsole socket $HP_MC"
}

# hotplug_mc ARGS...: uml_mconsole ARGS on guest b; prints the reply, status
# 0 for "OK ...", 1 otherwise (uml_mconsole's own exit status does not tell
# them apart everywhere).
hotplug_mc() {
	local out
	out=$(uml_mconsole "$HP_MC" "$@" 2>&1)
	echo "$out"
	grep -q '^OK' <<<"$out"
}

# hotplug_plug: config eth1=daemon,,unix,CTL; the switch must see it join.
hotplug_plug() {
	local n0 out
	n0=$(grep -ci 'new connection' "$T/sw.log")
	out=$(hotplug_mc config eth1=daemon,,unix,"$HP_CTL") ||
		fail "mconsole config eth1 failed: $out"
	busywait 10 eval "[ \$(grep -ci 'new connection' '$T/sw.log') -gt $n0 ]" ||
		fail "the switch logged no new connection for the hot-plugged eth1"
}

# hotplug_use: b brings eth1 up and must get 3 replies from a over it.
hotplug_use() {
	touch "$T/b.plugged"
	busywait 60 eval "[ -e '$T/b.pinged' ] || [ -e '$T/b.rc' ]"
	[ -e "$T/b.pinged" ] || { guest_ok b 5; fail "guest b could not ping over the hot-plugged eth1"; }
}

# hotplug_unplug: b takes eth1 down, the host removes it, the switch must
# see the disconnect, and both guests' scripts must succeed.
hotplug_unplug() {
	local d0 out
	touch "$T/b.busy"
	busywait 30 eval "[ -e '$T/b.down' ] || [ -e '$T/b.rc' ]"
	[ -e "$T/b.down" ] || { guest_ok b 5; fail "guest b did not bring eth1 down"; }
	d0=$(grep -ci 'disconnect' "$T/sw.log")
	out=$(hotplug_mc remove eth1) || fail "mconsole remove eth1 failed: $out"
	busywait 10 eval "[ \$(grep -ci 'disconnect' '$T/sw.log') -gt $d0 ]" ||
		fail "the switch logged no disconnect after mconsole remove eth1"
	touch "$T/b.unplugged"
	guest_ok b 60
	guest_ok a 30
}

# ---- tools -----------------------------------------------------------------

build_tool() {
	local name=$1 src=$ROOT/tests/tools/$1.c out=$BUILD/tools/$1
	[ -f "$src" ] || fail "build_tool: no $src"
	# the Makefile's rule ($(BUILD)/tools/%), serialised between tests
	if ! (
		flock 9
		make -C "$ROOT" --no-print-directory BUILD="$BUILD" "$out" >"$T/.make-$name.log" 2>&1
	) 9>"$BUILD/.tools.lock"; then
		cat "$T/.make-$name.log" >&2
		fail "cannot build $out (make $out)"
	fi
	[ -x "$out" ] || fail "make did not produce $out"
	echo "$out"
}

# need_plug: build tests/tools/plug.c once; sets PLUG.
need_plug() {
	[ -n "${PLUG:-}" ] && return 0
	build_tool plug >/dev/null || fail "cannot build the plug tool"
	PLUG=$BUILD/tools/plug
}

# plug_check TAG CTL [N]: prove the switch on CTL passes traffic: a plug
# receiver joins, a plug sender sends N (default 5) broadcast test frames,
# the receiver must get all of them.  Runs in netns $PLUG_NS if set.
# Return 0/1, the receiver's output stays in $T/TAG-rx.log.
plug_check() {
	local tag=$1 ctl=$2 n=${3:-5} rc=0
	need_plug
	bg "$tag-rx" ${PLUG_NS:+ip netns exec "$PLUG_NS"} "$PLUG" -t 10 "$ctl" recv "$n"
	if ! busywait 10 eval "grep -q ready '$T/$tag-rx.log' || ! alive '$tag-rx'"; then
		log "plug_check $tag: receiver did not join $ctl"
		stop "$tag-rx" KILL; return 1
	fi
	if ! grep -q ready "$T/$tag-rx.log"; then
		log "plug_check $tag: receiver could not join $ctl: $(tail -2 "$T/$tag-rx.log")"
		stop "$tag-rx"; return 1
	fi
	if ! ${PLUG_NS:+ip netns exec "$PLUG_NS"} "$PLUG" "$ctl" send "$n" >"$T/$tag-tx.log" 2>&1; then
		log "plug_check $tag: sender failed: $(tail -2 "$T/$tag-tx.log")"
		stop "$tag-rx"; return 1
	fi
	busywait 15 eval "! alive '$tag-rx'"
	stop "$tag-rx" || rc=$?
	if [ $rc -ne 0 ]; then
		log "plug_check $tag: $(tail -1 "$T/$tag-rx.log") (wanted $n)"
		return 1
	fi
	return 0
}

# plug_big LEN RXNS RXCTL TXNS TXCTL: 3 frames of LEN bytes, 2 s apart at
# most, from a plug on TXCTL to one on RXCTL, must arrive whole; fail if not.
plug_big() {
	local len=$1 rxns=$2 rxctl=$3 txns=$4 txctl=$5
	need_plug
	bg big ip netns exec "$rxns" "$PLUG" -t 20 "$rxctl" recv 3
	busywait 10 grep -q ready "$T/big.log" || fail "plug receiver could not join $rxctl: $(cat "$T/big.log")"
	nsx "$txns" "$PLUG" -l "$len" -i 2000 "$txctl" send 3 >"$T/bigsend.log" 2>&1 ||
		fail "could not send $len-byte frames: $(cat "$T/bigsend.log")"
	busywait 20 eval "! alive big"
	stop big || fail "$len-byte frames did not arrive intact: $(tail -3 "$T/big.log")"
	grep -q "len=$len type=0x88b5 ok" "$T/big.log" ||
		fail "the $len-byte frame arrived with a wrong size: $(head -2 "$T/big.log")"
}

# ---- users -----------------------------------------------------------------

# test_user [NAME]: an unprivileged system user for this test (default
# $UMLNET_TEST_USER or umlnet-test), made if missing and then deleted at
# cleanup; sets TEST_USER and AS_USER (a command prefix running as it).
TEST_USER_MADE=
# shellcheck disable=SC2120  # NAME is optional: the callers here pass none
test_user() {
	TEST_USER=${1:-${UMLNET_TEST_USER:-umlnet-test}}
	need setpriv
	if ! id "$TEST_USER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin \
			"$TEST_USER" || fail "cannot create user $TEST_USER"
		TEST_USER_MADE=$TEST_USER
	fi
	AS_USER=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" \
		 --clear-groups --)
}

# as_user_script FILE PROG: an executable FILE that runs PROG (with its
# arguments) as the test user; test_user first.
as_user_script() {
	printf '#!/bin/sh\nexec %s %s "$@"\n' "${AS_USER[*]}" "$2" >"$1"
	chmod 755 "$1"
}

# ---- cleanup ---------------------------------------------------------------

_cleanup() {
	local rc=$? i name pid entry l ns
	trap - EXIT INT TERM HUP PIPE
	for (( i=${#BG_ORDER[@]}-1; i>=0; i-- )); do
		name=${BG_ORDER[$i]}
		pid=${BG_PIDS[$name]:-}
		[ -n "$pid" ] || continue
		if _pid_alive "$pid" || _group_alive "$pid"; then
			_kill_group "$pid" TERM 2>/dev/null
		fi
	done
	for name in "${BG_ORDER[@]}"; do
		pid=${BG_PIDS[$name]:-}
		[ -n "$pid" ] || continue
		{
			busywait 3 eval "! _pid_alive $pid" || _kill_group "$pid" KILL
			wait "$pid"
			# whatever else is left in its group (UML helpers)
			_group_alive "$pid" && _kill_group "$pid" KILL
		} 2>/dev/null
	done
	for entry in "${LINK_LIST[@]}"; do
		read -r l ns <<<"$entry"
		if [ -n "$ns" ]; then
			ip -n "$ns" link del "$l" 2>/dev/null
		else
			ip link del "$l" 2>/dev/null
		fi
	done
	for ns in "${NETNS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$TEST_USER_MADE" ]; then
		# the user is this test's own: nothing of it may outlive it
		pkill -KILL -u "$TEST_USER_MADE" 2>/dev/null
		busywait 5 eval "! pgrep -u '$TEST_USER_MADE' >/dev/null"
		userdel "$TEST_USER_MADE" ||
			echo "[$TEST_NAME] could not delete user $TEST_USER_MADE" >&2
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "[$TEST_NAME] KEEP=1: test files left in $T" >&2
	else
		rm -rf "$T"
	fi
	exit $rc
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# Short, unique names for namespaces and links (IFNAMSIZ is 16).
# shellcheck disable=SC2034  # UID8 is for the tests that source this file
UID8=$(basename "$T" | sed 's/umlnet\.//' | tr -cd 'a-zA-Z0-9' | cut -c1-6)
