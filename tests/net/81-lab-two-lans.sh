#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 81-lab-two-lans: uml-lab runs labs/two-lans (three stock UML guests on
# hostfs+overlay roots, two switches, lab.dep order) as root and then as
# an unprivileged user; each time the lab's own check passes (IPv4 and
# IPv6 routed through r1 by static routes and radvd's SLAAC, r1's
# forwarding tables), status lists the machines running and each domain's
# switch with 2 ports, capture gives tshark real frames of LAN A, graph
# draws an SVG, and stop leaves no process, socket or file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need tshark dot radvd uml_mconsole
LAB=$ROOT/labs/two-lans

run_lab() {	# WHO RT
	local who=$1 rt=$2 st n
	lab_cmd "$rt" start "$LAB" >"$T/start-$who.log" 2>&1 ||
		fail "$who: uml-lab start failed: $(tail -20 "$T/start-$who.log")"
	grep -q 'machine pc2: up' "$T/start-$who.log" || fail "$who: $(cat "$T/start-$who.log")"
	# lab.dep: r1 is up before pc1 and pc2 are started
	[ "$(grep -o 'machine [a-z0-9]*' "$T/start-$who.log" | head -1)" = "machine r1" ] ||
		fail "$who: r1 did not boot first: $(cat "$T/start-$who.log")"
	"${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" UML_LAB="$UML_LAB" "$LAB/check" >"$T/check-$who.log" 2>&1 ||
		fail "$who: labs/two-lans/check failed: $(cat "$T/check-$who.log")"
	log "$who: $(tail -1 "$T/check-$who.log")"
	st=$(lab_cmd "$rt" status "$LAB") || fail "$who: status failed: $st"
	for n in pc1 pc2 r1; do
		grep -Eq "^$n +[0-9]+ +running$" <<<"$st" || fail "$who: status: $n not running: $st"
	done
	for n in A B; do
		grep -Eq "^$n +[0-9]+ +switch +2 +/.*/sw/$n.ctl$" <<<"$st" || fail "$who: status: domain $n: $st"
	done
	# capture on LAN A while pc1 pings pc2
	lab_cmd "$rt" -d "$LAB" exec pc1 ping -c 20 -i 0.2 10.0.2.10 >/dev/null &
	timeout 30 "${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" "$UML_LAB" -d "$LAB" capture A -c 16 -w - |
		tshark -r - >"$T/cap-$who.txt" 2>"$T/tshark-$who.err" || fail "$who: capture: $(cat "$T/tshark-$who.err")"
	wait
	[ "$(grep -c 'ICMP.*Echo' "$T/cap-$who.txt")" -ge 4 ] || fail "$who: captured frames: $(cat "$T/cap-$who.txt")"
	lab_cmd "$rt" graph "$LAB" -o "$rt/../two-lans-$who.svg" >/dev/null || fail "$who: graph failed"
	grep -q '<svg' "$rt/../two-lans-$who.svg" && grep -q '>r1<' "$rt/../two-lans-$who.svg" ||
		fail "$who: graph: not an SVG with r1"
	lab_stop_clean "$rt" "$LAB"
	[ -z "$(find "$rt" -mindepth 1)" ] || fail "$who: left in $rt: $(find "$rt" -mindepth 1)"
	log "ok ($who): start, check, status, capture ($(wc -l <"$T/cap-$who.txt") frames), graph, stop: nothing left"
}

mkdir -p "$T/root"
run_lab root "$T/root/rt"

test_user umlnet-lab81
mkdir -p "$T/user"
chown "$TEST_USER" "$T/user"
LAB_AS=("${AS_USER[@]}")
run_lab user "$T/user/rt"
