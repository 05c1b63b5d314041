#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 62-kernel-hotplug: mconsole hot-plug with our kernel.  `config
# eth1=daemon,,unix,CTL` adds a NIC to a running guest, which pings over
# it; `config eth1` answers the spec; a bad spec and a duplicate come back
# to uml_mconsole as errors naming the problem; `remove eth1` is refused
# while it is up and done once it is down (the switch sees the disconnect).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need uml_mconsole

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.done 90
EOF2
guest_script b <<'EOF2'
touch /t/b.booted
gw /t/b.plugged || exit 1
ip addr add 10.0.0.2/24 dev eth1 || { echo "no eth1 after mconsole config"; exit 1; }
ip link set eth1 up
ping -c 3 -w 15 10.0.0.1 || { echo "b: no reply over the hot-plugged eth1"; exit 1; }
touch /t/b.pinged
gw /t/b.busy || exit 1
ip link set eth1 down
touch /t/b.down
gw /t/b.unplugged || exit 1
[ ! -e /sys/class/net/eth1 ] || { echo "eth1 still present after mconsole remove"; exit 1; }
touch /t/b.done
EOF2
our_guest a eth0=daemon,,unix,"$CTL"
our_guest b
busywait 60 eval "[ -e '$T/b.booted' ] && [ -e '$T/a.up' ]" || { guest_ok b 5; fail "guests did not boot"; }
MC=$T/uml/b/mconsole
busywait 10 test -S "$MC" || fail "no mconsole socket $MC"

# mc ARGS...: the reply text; status 0 for "OK ...", 1 for "ERR ..." (not
# uml_mconsole's exit status, which does not tell them apart everywhere)
mc() {
	local out
	out=$(uml_mconsole "$MC" "$@" 2>&1)
	echo "$out"
	grep -q '^OK' <<<"$out"
}
# a bad spec: an error naming the culprit, no device
out=$(mc config eth1=daemon,zz:zz,unix,"$CTL") && fail "bad MAC accepted: $out"
grep -q 'zz:zz' <<<"$out" || fail "bad MAC: reply does not name it: $out"

n0=$(grep -ci 'new connection' "$T/sw.log")
out=$(mc config eth1=daemon,,unix,"$CTL") || fail "mconsole config eth1 failed: $out"
busywait 10 eval "[ \$(grep -ci 'new connection' '$T/sw.log') -gt $n0 ]" ||
	fail "the switch logged no new connection for the hot-plugged eth1"
out=$(mc config eth1=daemon,,unix,"$CTL") && fail "a second eth1 was accepted: $out"
grep -qi 'already' <<<"$out" || fail "duplicate eth1: unclear reply: $out"
out=$(mc config eth1) || fail "config eth1 (query) failed: $out"
grep -qF "daemon,,unix,$CTL" <<<"$out" || fail "config eth1 does not show the spec: $out"
log "config eth1 answers: $(tr '\n' ' ' <<<"$out")"
touch "$T/b.plugged"

busywait 60 eval "[ -e '$T/b.pinged' ] || [ -e '$T/b.rc' ]"
[ -e "$T/b.pinged" ] || { guest_ok b 5; fail "guest b could not ping over the hot-plugged eth1"; }
out=$(mc remove eth1) && fail "remove of an up eth1 accepted: $out"
grep -qi 'open' <<<"$out" || fail "remove of an up eth1: unclear reply: $out"
touch "$T/b.busy"
busywait 30 test -e "$T/b.down" || { guest_ok b 5; fail "guest did not bring eth1 down"; }
d0=$(grep -ci 'disconnect' "$T/sw.log")
out=$(mc remove eth1) || fail "mconsole remove eth1 failed: $out"
busywait 10 eval "[ \$(grep -ci 'disconnect' '$T/sw.log') -gt $d0 ]" ||
	fail "the switch logged no disconnect after mconsole remove eth1"
touch "$T/b.unplugged"
guest_ok b 60
guest_ok a 30
log "ok: hot-plugged NIC configured, queried, used, refused while up, removed"
