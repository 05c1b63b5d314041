#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 04-learning: three ports (guests A and B, a plug receiver C).  In switch
# mode, once A's and B's MACs are learned, their unicast pings must not reach
# C; in hub mode (-hub) C sees every one of them.
. "$(dirname "$0")/lib.sh"
need_plug

# count_ipv4 FILE: IPv4 frames C has seen so far
count_ipv4() { grep -c 'type=0x0800' "$1"; }

run_mode() {
	local mode=$1 args=$2 d=$T/$1 before after seen
	mkdir -p "$d"
	switch_start "sw-$mode" -unix "$d/ctl" $args
	bg "c-$mode" "$PLUG" -t 300 "$d/ctl" recv 1
	busywait 10 grep -q ready "$T/c-$mode.log" || fail "$mode: plug C did not join: $(cat "$T/c-$mode.log")"

	guest_script "a-$mode" <<EOF2
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
gw /t/$mode-b.up || exit 1
# learn both MACs (ARP broadcast + unicast reply, first pings)
ping -c 2 -w 10 10.0.0.2 || { echo "warm-up ping failed"; exit 1; }
touch /t/$mode-warm
gw /t/$mode-count || exit 1
ping -c 20 -i 0.05 -w 20 10.0.0.2 || { echo "burst ping failed"; exit 1; }
touch /t/$mode-a.done
EOF2
	guest_script "b-$mode" <<EOF2
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
touch /t/$mode-b.up
gw /t/$mode-a.done 90
EOF2
	guest_start "a-$mode" eth0=daemon,,unix,"$d/ctl"
	guest_start "b-$mode" eth0=daemon,,unix,"$d/ctl"
	if ! busywait 60 eval "[ -e '$T/$mode-warm' ] || [ -e '$T/a-$mode.rc' ]" ||
	   [ ! -e "$T/$mode-warm" ]; then
		guest_ok "a-$mode" 5
		fail "$mode: guest A never finished warming up"
	fi
	before=$(count_ipv4 "$T/c-$mode.log")
	touch "$T/$mode-count"
	guest_ok "a-$mode" 60
	guest_ok "b-$mode" 20
	grep -q '20 packets received' "$T/a-$mode.out" ||
		fail "$mode: A->B burst lost replies: $(grep packets "$T/a-$mode.out")"
	# the last reply reached A, so anything C would get has been forwarded;
	# give the switch's queue to C a moment by sending a marker through it
	plug_check "mark-$mode" "$d/ctl" 1 || fail "$mode: switch stopped passing plug traffic"
	after=$(count_ipv4 "$T/c-$mode.log")
	seen=$((after - before))
	log "$mode: port C saw $seen of the 40 unicast IPv4 frames between A and B"
	SEEN=$seen
	stop "c-$mode" KILL
	stop "sw-$mode" || true
}

run_mode switch ""
seen=$SEEN
[ "$seen" -eq 0 ] || fail "switch mode: port C received $seen learned-unicast IPv4 frames between A and B (want 0)"
run_mode hub -hub
seen=$SEEN
[ "$seen" -ge 40 ] || fail "hub mode: port C received only $seen of the 40 unicast IPv4 frames between A and B"
log "ok: learned unicast stays off port C in switch mode, floods in hub mode"
