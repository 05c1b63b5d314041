#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 82-lab-internet: uml-lab runs labs/internet (LAN[uplink]=slirp: the
# switch's slirp port) as an unprivileged user and then as root; its check
# passes each time (DHCP leases, SLAAC in fd00::/64, DNS through slirp's
# forwarder, a file fetched over IPv4 and IPv6 from a web server on the
# host's loopback, the machines reach each other); status shows the slirp
# port (3 ports: two guests and slirp); stop leaves nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need busybox ss shuf
LAB=$ROOT/labs/internet

run_lab() {	# WHO RT
	local who=$1 rt=$2 st
	lab_cmd "$rt" start "$LAB" >"$T/start-$who.log" 2>&1 ||
		fail "$who: uml-lab start failed: $(tail -20 "$T/start-$who.log")"
	st=$(lab_cmd "$rt" status "$LAB") || fail "$who: status failed: $st"
	grep -Eq "^LAN +[0-9]+ +switch +3 +/" <<<"$st" || fail "$who: status: LAN should have 3 ports: $st"
	if [ "$who" = user ]; then
		pgrep -u "$TEST_USER" -f uml_slirp >/dev/null || fail "no uml_slirp running as $TEST_USER"
	fi
	"${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" UML_LAB="$UML_LAB" "$LAB/check" >"$T/check-$who.log" 2>&1 ||
		fail "$who: labs/internet/check failed: $(cat "$T/check-$who.log")"
	log "$who: $(tail -1 "$T/check-$who.log")"
	lab_stop_clean "$rt" "$LAB"
	[ -z "$(find "$rt" -mindepth 1)" ] || fail "$who: left in $rt: $(find "$rt" -mindepth 1)"
	log "ok ($who): start, check, status, stop: nothing left"
}

test_user umlnet-lab82
mkdir -p "$T/user"
chown "$TEST_USER" "$T/user"
LAB_AS=("${AS_USER[@]}")
run_lab user "$T/user/rt"
LAB_AS=()
mkdir -p "$T/root"
run_lab root "$T/root/rt"
