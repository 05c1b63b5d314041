#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 85-lab-vlans: uml-lab runs labs/vlans (two switches joined by a trunk
# of VLANs 10, 20 and 30, A[trunk:B]=10,20,30; five hosts on access
# ports, pcN[0][vlan]=V; r1 on a trunk port, r1[0][trunk]=10,20, with the
# stock 8021q module, and VLAN 30 untagged on it, r1[0][native]=30) as
# root and then as an unprivileged user; each time the lab's own check
# passes (same-VLAN pings across the trunk both ways, pc5 on VLAN 30
# reaches r1's untagged eth0, cross-VLAN pings on a shared subnet fail
# both ways, r1 routes between the three VLANs), status lists every port uml-lab set with its VLANs as the
# switch has them, a capture on A's trunk port holds VLAN 10 tagged
# frames, graph labels the interfaces and the trunk, and stop leaves no
# process, socket or file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need tshark dot uml_mconsole
LAB=$ROOT/labs/vlans

run_lab() {	# WHO RT
	local who=$1 rt=$2 st n want
	lab_cmd "$rt" start "$LAB" >"$T/start-$who.log" 2>&1 ||
		fail "$who: uml-lab start failed: $(tail -20 "$T/start-$who.log")"
	grep -q 'trunk A - B: VLANs 10,20,30' "$T/start-$who.log" || fail "$who: $(cat "$T/start-$who.log")"
	"${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" UML_LAB="$UML_LAB" "$LAB/check" >"$T/check-$who.log" 2>&1 ||
		fail "$who: labs/vlans/check failed: $(cat "$T/check-$who.log")"
	log "$who: $(tail -1 "$T/check-$who.log")"
	st=$(lab_cmd "$rt" status "$LAB") || fail "$who: status failed: $st"
	for n in pc1 pc2 pc3 pc4 pc5 r1; do
		grep -Eq "^$n +[0-9]+ +running$" <<<"$st" || fail "$who: status: $n not running: $st"
	done
	# A: the trunk, pc1, pc2, r1; B: the trunk, pc3, pc4, pc5 (the interfaces'
	# own hubs are no domains)
	grep -Eq "^A +[0-9]+ +switch +4 +/" <<<"$st" && grep -Eq "^B +[0-9]+ +switch +4 +/" <<<"$st" ||
		fail "$who: status: domains: $st"
	grep -q '@' <<<"$st" && fail "$who: status lists an interface's hub: $st"
	for want in "A +[0-9]+ +trunk to B +trunk 10,20,30" "B +[0-9]+ +trunk to A +trunk 10,20,30" \
		    "A +[0-9]+ +pc1\.eth0 +vlan 10" "A +[0-9]+ +pc2\.eth0 +vlan 20" \
		    "A +[0-9]+ +r1\.eth0 +trunk 10,20 native 30" "B +[0-9]+ +pc3\.eth0 +vlan 10" \
		    "B +[0-9]+ +pc4\.eth0 +vlan 20" "B +[0-9]+ +pc5\.eth0 +vlan 30"; do
		grep -Eq "^$want\$" <<<"$st" || fail "$who: status: no port '$want': $st"
	done
	# the trunk carries pc3's pings to pc1 tagged with VLAN 10
	lab_cmd "$rt" -d "$LAB" exec pc3 ping -c 20 -i 0.2 10.0.10.11 >/dev/null &
	timeout 30 "${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" "$UML_LAB" -d "$LAB" capture A -p trunk.B -c 16 -w - |
		tshark -r - -T fields -e vlan.id -e icmp.type >"$T/cap-$who.txt" 2>"$T/tshark-$who.err" ||
		fail "$who: capture: $(cat "$T/tshark-$who.err")"
	wait
	[ "$(grep -cE '^10[[:space:]]+(0|8)$' "$T/cap-$who.txt")" -ge 8 ] ||
		fail "$who: the trunk's frames are not VLAN 10 echoes: $(cat "$T/cap-$who.txt")"
	lab_cmd "$rt" graph "$LAB" -o "$rt/../vlans-$who.dot" >/dev/null || fail "$who: graph failed"
	for want in '"d:A" -- "d:B" \[label="trunk 10,20,30"' '"m:pc1" -- "d:A" \[label="eth0\\nvlan 10"\]' \
		    '"m:r1" -- "d:A" \[label="eth0\\ntrunk 10,20 native 30"\]' '"m:pc4" -- "d:B" \[label="eth0\\nvlan 20"\]'; do
		grep -q -- "$want" "$rt/../vlans-$who.dot" || fail "$who: graph: no $want: $(cat "$rt/../vlans-$who.dot")"
	done
	lab_stop_clean "$rt" "$LAB"
	[ -z "$(find "$rt" -mindepth 1)" ] || fail "$who: left in $rt: $(find "$rt" -mindepth 1)"
	log "ok ($who): start, check, status (8 VLAN ports, a native VLAN), capture (tagged), graph, stop: nothing left"
}

mkdir -p "$T/root"
run_lab root "$T/root/rt"

test_user umlnet-lab85
mkdir -p "$T/user"
chown "$TEST_USER" "$T/user"
LAB_AS=("${AS_USER[@]}")
run_lab user "$T/user/rt"
