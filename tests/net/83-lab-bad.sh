#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 83-lab-bad: uml-lab check and start refuse bad labs with FILE:LINE:
# messages and start nothing: an unknown machine option, a gap in the
# interface numbers, a collision domain name with a slash, a referenced
# startup file that is missing or outside the lab, a lab.dep cycle, a
# lab.dep naming no machine, a bad mode, a bad DOMAIN[nat], an option of
# a domain no machine is on, a kernel that is not there, VLAN settings (a VID 0, 4095 or abc,
# an interface the machine lacks, a trunk to a domain no machine is on, a
# loop of trunks, access and trunk at once, a VLAN given twice, native
# without a trunk), a missing disk image (MACHINE[image]);
# several errors are all reported.  A tap uplink is
# refused to a user at start.  A line that is no assignment is a comment.
# SIGINT (Ctrl-C) of start while machines boot leaves nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"

# bad NAME WANT CONF [DEP]: a lab NAME whose lab.conf is CONF (and lab.dep
# DEP); check and start must fail with exactly the line WANT (FILE is the
# lab's path) and leave no runtime dir
bad() {
	local name=$1 want=$2 dir=$T/$1 out
	mkdir -p "$dir"
	printf '%s\n' "$3" >"$dir/lab.conf"
	[ -z "${4:-}" ] || printf '%s\n' "$4" >"$dir/lab.dep"
	want=${want//FILE/$dir}
	out=$(lab_cmd "$T/rt" check "$dir" 2>&1) && fail "$name: check accepted it: $out"
	grep -qxF -- "$want" <<<"$out" || fail "$name: check said '$out', want '$want'"
	out=$(lab_cmd "$T/rt" start "$dir" 2>&1) && fail "$name: start accepted it: $out"
	grep -qxF -- "$want" <<<"$out" || fail "$name: start said '$out', want '$want'"
	[ -z "$(ls -A "$T/rt" 2>/dev/null)" ] || fail "$name: start left $(ls -A "$T/rt")"
	log "ok: $name: $want"
}

bad option "FILE/lab.conf:3: pc1[color]: unknown machine option 'color'" \
'# a lab
pc1[0]=A
pc1[color]=blue'
bad gap "FILE/lab.conf:3: pc1[2]: eth1 is missing (interfaces are numbered from 0 without gaps)" \
'pc1[0]=A
pc2[0]=A
pc1[2]=B'
bad slash "FILE/lab.conf:2: pc1[1]: bad collision domain name 'A/B' (letters, digits, '_', '.', '-')" \
'pc1[0]=A
pc1[1]=A/B'
bad startup "FILE/lab.conf:2: pc1[startup]: no file FILE/nope.startup" \
'pc1[0]=A
pc1[startup]=nope.startup'
bad outside "FILE/lab.conf:2: pc1[startup]: /etc/hostname is not inside the lab" \
'pc1[0]=A
pc1[startup]=/etc/hostname'
bad cycle "FILE/lab.dep:4: dependency cycle: a -> b -> c -> a" \
'a[0]=A
b[0]=A
c[0]=A' \
'# a waits for b, b for c, c for a
a: b
b: c
c: a'
bad selfdep "FILE/lab.dep:2: dependency cycle: a -> a" \
'a[0]=A' '# a
a: a'
bad depname "FILE/lab.dep:1: a depends on 'zz': no such machine" \
'a[0]=A' 'a: zz'
bad mode "FILE/lab.conf:2: A[mode]: 'bridge' is not switch or hub" \
'a[0]=A
A[mode]=bridge'
bad nat "FILE/lab.conf:2: A[nat]: 'maybe' is not yes or no" \
'a[0]=A,10.9.9.1,10.9.9.2
A[nat]=maybe'
bad domopt "FILE/lab.conf:2: B[uplink]: no machine has an interface on collision domain 'B'" \
'a[0]=A
B[uplink]=slirp'
bad kernel "FILE/lab.conf:2: a: kernel /nonexistent/linux is not an executable file" \
'a[0]=A
a[kernel]=/nonexistent/linux'
bad mem "FILE/lab.conf:2: a[mem]: 'lots' is not a size (MiB, or e.g. 1G)" \
'a[0]=A
a[mem]=lots'
# VLANs: a VID out of 1-4094 or not a number, a setting of an interface
# the machine does not have, a trunk to a domain no machine is on, a loop
# of trunks, a port both access and trunk, a VLAN given twice (also
# through overlapping ranges), native without a trunk
bad vid0 "FILE/lab.conf:2: pc1[0][vlan]: '0' is not a VLAN id (1 to 4094)" \
'pc1[0]=A
pc1[0][vlan]=0'
bad vid4095 "FILE/lab.conf:3: r1[0][trunk]: '4095' is not a VLAN id (1 to 4094)" \
'pc1[0]=A
r1[0]=A
r1[0][trunk]=10,4095'
bad vidabc "FILE/lab.conf:3: A[trunk:B]: 'abc' is not a VLAN id (1 to 4094)" \
'pc1[0]=A
pc2[0]=B
A[trunk:B]=abc'
bad noiface "FILE/lab.conf:2: pc1[1][vlan]: pc1 has no eth1 (no pc1[1]=DOMAIN line)" \
'pc1[0]=A
pc1[1][vlan]=10'
bad trunkdom "FILE/lab.conf:2: A[trunk:C]: no machine has an interface on collision domain 'C'" \
'pc1[0]=A
A[trunk:C]=10'
bad trunkloop "FILE/lab.conf:6: C[trunk:A]: C and A are already joined by trunks: this one would make a loop" \
'a[0]=A
b[0]=B
c[0]=C
A[trunk:B]=10
B[trunk:C]=10
C[trunk:A]=10'
bad accesstrunk "FILE/lab.conf:3: pc1[0][trunk]: eth0 is an access port of VLAN 10 (line 2): a port is one or the other" \
'pc1[0]=A
pc1[0][vlan]=10
pc1[0][trunk]=10,20'
bad vidtwice "FILE/lab.conf:3: r1[0][trunk]: VLAN 10 is given twice ('10' and '10')" \
'pc1[0]=A
r1[0]=A
r1[0][trunk]=10,10'
bad vidtwice2 "FILE/lab.conf:3: A[trunk:B]: VLAN 10 is given twice ('10' and '10')" \
'pc1[0]=A
pc2[0]=B
A[trunk:B]=10,20,10'
bad vidoverlap "FILE/lab.conf:3: r1[0][trunk]: VLAN 8 is given twice ('5-12' and '8-20')" \
'pc1[0]=A
r1[0]=A
r1[0][trunk]=5-12,8-20'
bad native "FILE/lab.conf:2: pc1[0][native]: eth0 is no trunk (native is a trunk's untagged VLAN: give pc1[0][trunk]=VIDS)" \
'pc1[0]=A
pc1[0][native]=1'

# a disk image that is not there (86 has the other image cases)
bad image "FILE/lab.conf:2: pc1[image]: no file FILE/pc1.img" \
'pc1[0]=A
pc1[image]=pc1.img'

# every error at once, in file order
bad several "FILE/lab.conf:3: b[x]: unknown machine option 'x'" \
'a[0]=A
a[mem]=lots
b[x]=1'
grep -qxF "$T/several/lab.conf:2: a[mem]: 'lots' is not a size (MiB, or e.g. 1G)" \
	<<<"$(lab_cmd "$T/rt" check "$T/several" 2>&1)" || fail "several: not every error reported"

# a comment that is no assignment is ignored, with a warning when it looks
# like a mistyped one; this lab is fine
mkdir -p "$T/fine"
printf '%s\n' 'this line is a comment' 'pc1[0] = A' 'pc1[0]=A' >"$T/fine/lab.conf"
out=$(lab_cmd "$T/rt" check "$T/fine" 2>&1) || fail "fine: refused: $out"
grep -qxF "uml-lab: $T/fine/lab.conf:2: not an assignment (spaces are significant), ignored" <<<"$out" ||
	fail "fine: no warning for line 2: $out"

# a tap uplink needs root: a user's start is refused, and leaves nothing
test_user umlnet-lab83
mkdir -p "$T/tap" "$T/urt"
chown "$TEST_USER" "$T/urt"
printf '%s\n' 'pc1[0]=A,10.9.9.1,10.9.9.2' >"$T/tap/lab.conf"
LAB_AS=("${AS_USER[@]}")
out=$(lab_cmd "$T/urt/rt" start "$T/tap" 2>&1) && fail "tap: a user's start accepted a tap uplink"
grep -q 'collision domain A: an uplink to the host through a tap needs root' <<<"$out" || fail "tap: $out"
[ -z "$(find "$T/urt/rt" -mindepth 1 2>/dev/null)" ] || fail "tap: start left $(find "$T/urt/rt")"
pgrep -u "$TEST_USER" >/dev/null && fail "tap: processes of $TEST_USER left"
log "ok: a user's tap uplink refused: $out"

# Ctrl-C of start while the machines boot (b waits for a): the lab is
# stopped, nothing of it is left.  b's startup script outlasts the 4 s, so
# start is never done before the signal, however fast the machine boots
mkdir -p "$T/intr"
printf '%s\n' 'a[0]=A' 'b[0]=A' >"$T/intr/lab.conf"
echo 'b: a' >"$T/intr/lab.dep"
echo 'sleep 600' >"$T/intr/b.startup"
LAB_AS=()
LAB_BASES+=("$T/irt")	# not through lab_cmd: reaped at exit all the same
rc=0
timeout --preserve-status -s INT 4 env UML_LAB_RUNTIME="$T/irt" "$UML_LAB" start "$T/intr" >"$T/intr.log" 2>&1 || rc=$?
[ $rc = 130 ] || fail "start after SIGINT: status $rc, want 130: $(cat "$T/intr.log")"
grep -q 'interrupted: stopping the lab' "$T/intr.log" || fail "start after SIGINT: $(cat "$T/intr.log")"
[ -z "$(find "$T/irt" -mindepth 1 2>/dev/null)" ] || fail "SIGINT of start left $(find "$T/irt" -mindepth 1)"
left=$(pgrep -af -- "$T/irt/" | grep -v pgrep)
[ -z "$left" ] || fail "SIGINT of start left processes: $left"
log "ok: SIGINT of start while booting: $(grep -c 'up (pid' "$T/intr.log") machine(s) were up, all stopped, nothing left"
