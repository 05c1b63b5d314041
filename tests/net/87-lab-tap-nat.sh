#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 87-lab-tap-nat: a lab's tap uplink is masqueraded behind the host, as in
# netkit.  The lab runs in a network namespace of its own (the lab's
# host), joined by a veth to an "outside" namespace that has no route to
# the lab's tap subnet: a machine pings outside and connects to a TCP
# listener there, which sees the host's address; the lab's nftables table
# exists while it runs, IPv4 forwarding is on, and after stop the table,
# the forwarding and uml-lab's note of it are gone.  With A[nat]=no there
# is no table and the ping fails (forwarding on, switched on by the test:
# the reply has no way back), while the host still pings the machine; the
# forwarding the test set stays on after stop.  After the lab's processes
# are killed (-9), the next start replaces the table (one masquerade rule,
# not two), and after the machine is killed again stop still deletes the
# table and turns forwarding off.  A failing nft fails the start with its message, and
# nothing is left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need ip nft python3 ss
[ "$(id -u)" = 0 ] || fail "needs root (taps, namespaces)"

N=$(shuf -i 10-250 -n 1) M=$(shuf -i 10-250 -n 1)
H=lh$UID8 O=lo$UID8
netns_add "$H"
netns_add "$O"
veth_add "v$UID8" "w$UID8" "$H" "$O"
ip -n "$H" addr add 198.51.100.2/24 dev "v$UID8" || fail "address in $H"
ip -n "$O" addr add 198.51.100.1/24 dev "w$UID8" || fail "address in $O"
nsx "$H" sysctl -qw net.ipv4.ip_forward=0 || fail "ip_forward=0 in $H"
# the lab runs in $H; uml-lab's note that it turned forwarding on is per
# network namespace, under the shared /run
LAB_AS=(ip netns exec "$H")
STATE=/run/uml-lab-ip_forward.$(nsx "$H" readlink /proc/self/ns/net | tr -cd 0-9)
_t87_exit() {
	local rc=$?
	rm -f "$STATE"
	(exit "$rc")
	_lab_exit
}
trap _t87_exit EXIT

fwd() { nsx "$H" cat /proc/sys/net/ipv4/ip_forward; }
tables() { nsx "$H" nft list tables | grep umllab_; }
x() { lab_cmd "$T/rt" -d "$1" exec "${@:2}"; }

mklab() {	# DIR NET [EXTRA]: pc1 on A, a tap uplink 10.NET.NET.1 <-> .2
	mkdir -p "$1"
	printf '%s\n' "pc1[0]=A,10.$2.$2.1,10.$2.$2.2" ${3:+"$3"} >"$1/lab.conf"
	echo "ip route add default via 10.$2.$2.1" >"$1/pc1.startup"
}

# ---- NAT ----------------------------------------------------------------------
mklab "$T/lab1" "$N"
table=umllab_$(basename "$(lab_rtdir "$T/rt" "$T/lab1")")
out=$(lab_cmd "$T/rt" check "$T/lab1") || fail "check: $out"
grep -qxF "  domain A: switch, tap uplink, NAT" <<<"$out" || fail "check's view of A: $out"
lab_cmd "$T/rt" start "$T/lab1" >"$T/start1.log" 2>&1 || fail "start: $(cat "$T/start1.log")"
nsx "$H" nft list table ip "$table" >"$T/table" 2>&1 || fail "no table $table while the lab runs: $(cat "$T/table")"
grep -q "ip saddr 10.$N.$N.0/24 oifname != \"ul[0-9a-f]*\" masquerade" "$T/table" ||
	fail "no masquerade rule for 10.$N.$N.0/24: $(cat "$T/table")"
[ "$(fwd)" = 1 ] || fail "ip_forward is $(fwd) while the lab runs"
[ -f "$STATE" ] || fail "no $STATE while the lab runs (uml-lab turned forwarding on)"
x "$T/lab1" pc1 ping -c 2 -w 10 198.51.100.1 >"$T/p1" 2>&1 ||
	fail "pc1 could not ping outside through the tap's NAT: $(cat "$T/p1")"
# outside sees the host's address, not the machine's
P=$(rand_port)
bg listen ip netns exec "$O" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.51.100.1", int(sys.argv[1])))
s.listen(1)
c, a = s.accept()
print(a[0], c.recv(64).decode().strip(), flush=True)
' "$P"
busywait 10 eval "nsx $O ss -ltn | grep -qF '198.51.100.1:$P '" || fail "no listener outside"
x "$T/lab1" pc1 bash -c "echo hello >/dev/tcp/198.51.100.1/$P" >"$T/c1" 2>&1 ||
	fail "pc1 could not connect outside: $(cat "$T/c1")"
busywait 10 grep -q hello "$T/listen.log" || fail "the listener outside got nothing: $(cat "$T/listen.log")"
[ "$(cat "$T/listen.log")" = "198.51.100.2 hello" ] || fail "outside saw $(cat "$T/listen.log"), want 198.51.100.2 (masqueraded)"
lab_stop_clean "$T/rt" "$T/lab1"
[ -z "$(tables)" ] || fail "tables left after stop: $(tables)"
[ "$(fwd)" = 0 ] || fail "ip_forward is $(fwd) after stop, want 0 (uml-lab turned it on)"
[ ! -e "$STATE" ] || fail "stop left $STATE"
log "ok: pc1 reached outside masqueraded as 198.51.100.2; stop removed table $table and turned forwarding off"

# ---- A[nat]=no ----------------------------------------------------------------
mklab "$T/lab2" "$M" "A[nat]=no"
out=$(lab_cmd "$T/rt" check "$T/lab2") || fail "check with A[nat]=no: $out"
grep -qxF "  domain A: switch, tap uplink, no NAT" <<<"$out" || fail "check's view of A[nat]=no: $out"
# forwarding on (the test's, not uml-lab's): only the missing NAT can make
# the ping fail
nsx "$H" sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward=1 in $H"
lab_cmd "$T/rt" start "$T/lab2" >"$T/start2.log" 2>&1 || fail "start with A[nat]=no: $(cat "$T/start2.log")"
[ -z "$(tables)" ] || fail "a table with A[nat]=no: $(tables)"
[ ! -e "$STATE" ] || fail "$STATE with A[nat]=no"
nsx "$H" ping -c 2 -i 0.3 -w 10 "10.$M.$M.2" >"$T/p2" 2>&1 || fail "the host could not ping pc1 over the tap: $(cat "$T/p2")"
x "$T/lab2" pc1 ping -c 2 -w 4 198.51.100.1 >"$T/p3" 2>&1 &&
	fail "pc1 pinged outside with A[nat]=no: $(cat "$T/p3")"
lab_stop_clean "$T/rt" "$T/lab2"
[ "$(fwd)" = 1 ] || fail "stop turned off the forwarding uml-lab did not turn on"
nsx "$H" sysctl -qw net.ipv4.ip_forward=0
log "ok: A[nat]=no: no table, no ping outside, the host pings pc1; forwarding left as it was"

# ---- a crash ------------------------------------------------------------------
lab_cmd "$T/rt" start "$T/lab1" >"$T/start3.log" 2>&1 || fail "start again: $(cat "$T/start3.log")"
[ -n "$(tables)" ] && [ "$(fwd)" = 1 ] || fail "no NAT after the second start: $(tables), ip_forward $(fwd)"
rt1=$(lab_rtdir "$T/rt" "$T/lab1")
# _session_alive SID: a live (not zombie) process is in session SID
_session_alive() {
	local q
	for q in $(pgrep -s "$1" 2>/dev/null) "$1"; do _pid_alive "$q" && return 0; done
	return 1
}
crash() {	# PIDS: killed (-9) with their sessions; the runtime dir and the table stay
	local p
	for p; do
		pkill -KILL -s "$p"
		kill -KILL "$p" 2>/dev/null
	done
	# every process of the sessions, not only their leaders: uml-lab's
	# start takes a lab with any live process in its sessions as running
	# (seen: "already running" while a killed kernel's children died)
	for p; do
		busywait 10 eval "! _session_alive $p" || fail "session $p survived SIGKILL: $(pgrep -a -s "$p")"
	done
	[ -d "$rt1" ] && [ -n "$(tables)" ] || fail "the crash took the runtime dir or the table"
}
# everything (the kernel and the switch): the lab is not running, so start
# cleans it up first
# shellcheck disable=SC2046  # one pid a word
crash $(lab_pids "$rt1")
lab_cmd "$T/rt" start "$T/lab1" >"$T/start5.log" 2>&1 || fail "start after the crash: $(cat "$T/start5.log")"
[ "$(nsx "$H" nft list table ip "$table" | grep -c masquerade)" = 1 ] ||
	fail "after the crash and a start, want one masquerade rule: $(nsx "$H" nft list table ip "$table")"
[ "$(fwd)" = 1 ] && [ -f "$STATE" ] || fail "after the crash and a start: ip_forward $(fwd), state file $(ls "$STATE" 2>&1)"
x "$T/lab1" pc1 ping -c 2 -w 10 198.51.100.1 >"$T/p4" 2>&1 ||
	fail "after the crash and a start, pc1 could not ping outside: $(cat "$T/p4")"
crash "$(cat "$rt1/m/pc1/pid")"
lab_cmd "$T/rt" stop "$T/lab1" >"$T/stop3.log" 2>&1 || fail "stop after the crash: $(cat "$T/stop3.log")"
[ ! -e "$rt1" ] || fail "stop after the crash left $rt1"
[ -z "$(tables)" ] || fail "tables left after the crash's stop: $(tables)"
[ "$(fwd)" = 0 ] && [ ! -e "$STATE" ] || fail "after the crash's stop: ip_forward $(fwd), state file $(ls "$STATE" 2>&1)"
log "ok: after pc1 was killed, start replaced the table; after a second kill, stop deleted it and turned forwarding off"

# ---- nft fails ----------------------------------------------------------------
mkdir -p "$T/bin"
printf '%s\n' '#!/bin/sh' 'echo "nft: refused by the test" >&2' 'exit 1' >"$T/bin/nft"
chmod +x "$T/bin/nft"
LAB_AS=(ip netns exec "$H" env PATH="$T/bin:$PATH")
lab_cmd "$T/rt" start "$T/lab1" >"$T/start4.log" 2>&1 && fail "start succeeded though nft failed"
grep -q 'cannot set up NAT for the tap uplinks.*refused by the test' "$T/start4.log" ||
	fail "start's message when nft fails: $(cat "$T/start4.log")"
[ ! -e "$rt1" ] || fail "the failed start left $rt1"
[ -z "$(nsx "$H" ip -o link show type tun)" ] || fail "the failed start left a tap: $(nsx "$H" ip -o link show type tun)"
[ "$(fwd)" = 0 ] && [ ! -e "$STATE" ] || fail "after the failed start: ip_forward $(fwd), state file $(ls "$STATE" 2>&1)"
log "ok: a failing nft fails the start with its message; nothing is left"
