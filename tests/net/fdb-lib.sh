#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fdb-lib.sh: plug ports for the learning-table tests (12, 21), sourced
# after lib.sh (need_plug first).  Set CTL to the switch's control socket.
#
#   S, MARK_MAC             the test frames' source MAC; the markers' source
#                           (default: S)
#   rx NAME MAC|-           a receiving port, announcing MAC (unless -)
#   send DST N              N test frames (type 0x88b5) from S to DST
#   mark                    a broadcast marker (type 0x88b7); returns once
#                           every live receiver has it, so everything sent
#                           before it has been forwarded
#   snap                    remember every receiver's count of test frames
#   expect WHAT NAME N...   receiver NAME got exactly N test frames since
#                           snap, for each pair; fail naming WHAT otherwise
# RX lists the receivers and MARKS counts markers; a test that starts a
# new switch resets both (RX=(); MARKS=0).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "fdb-lib.sh: helpers for tests 12 and 21, not a test"
	exit 0
fi

RX=() MARKS=0
declare -A MARK0 BASE

rx() {
	local name=$1 mac=$2
	if [ "$mac" = - ]; then
		bg "$name" "$PLUG" -t 300 "$CTL" recv 1000000
	else
		bg "$name" "$PLUG" -t 300 -a -m "$mac" "$CTL" recv 1000000
	fi
	busywait 10 grep -q ready "$T/$name.log" || fail "port $name could not join: $(cat "$T/$name.log")"
	RX+=("$name")
	MARK0[$name]=$MARKS	# markers sent before it joined never reach it
}

send() {
	"$PLUG" -m "$S" -d "$1" "$CTL" send "$2" >>"$T/send.log" 2>&1 ||
		fail "sender failed: $(tail -2 "$T/send.log")"
}

mark() {
	local r
	MARKS=$((MARKS + 1))
	"$PLUG" -m "${MARK_MAC:-$S}" -e 0x88b7 "$CTL" send 1 >>"$T/send.log" 2>&1 ||
		fail "marker send failed"
	for r in "${RX[@]}"; do
		alive "$r" || continue
		busywait 10 eval "[ \$(grep -c 'type=0x88b7' '$T/$r.log') -ge \$(( MARKS - ${MARK0[$r]} )) ]" ||
			fail "port $r did not get broadcast marker $MARKS"
	done
}

cnt() { grep -c 'type=0x88b5 ok' "$T/$1.log"; }
snap() { local r; for r in "${RX[@]}"; do BASE[$r]=$(cnt "$r"); done; }

expect() {
	local what=$1 got; shift
	while [ $# -gt 0 ]; do
		got=$(( $(cnt "$1") - ${BASE[$1]} ))
		[ "$got" -eq "$2" ] || fail "$what: port $1 received $got test frames, want $2"
		shift 2
	done
}
