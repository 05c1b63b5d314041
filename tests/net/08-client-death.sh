#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 08-client-death: a guest killed with SIGKILL frees its port: the switch
# logs the disconnect, SIGUSR1 stats show one port fewer, and the remaining
# and new clients are still served.
. "$(dirname "$0")/lib.sh"
need_plug

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL

# stats_ports: the "ports=N" of a fresh SIGUSR1 stats block
stats_ports() {
	local s
	s=$(switch_stats sw) || fail "no stats block on SIGUSR1: $(tail -3 "$T/sw.log")"
	echo "$s" | sed -n 's/.*stats: ports=\([0-9]*\).*/\1/p' | tail -1
}

bg holder "$PLUG" -t 300 "$CTL" hold
busywait 10 grep -q ready "$T/holder.log" || fail "plug client could not join"

guest_script g <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/g.up
gw /t/never 300
EOF2
guest_start g eth0=daemon,,unix,"$CTL"
busywait 60 test -e "$T/g.up" || { guest_ok g 5; fail "guest did not come up"; }
wait_log "$T/sw.log" 5 'new connection' || fail "switch logged no 'new connection'"
n1=$(stats_ports)
[ "$n1" = 2 ] || fail "stats with a plug client and a guest show ports=$n1, want 2: $(switch_stats sw)"
lines=$(wc -l <"$T/sw.log")

guest_kill g KILL
busywait 10 eval "tail -n +$((lines + 1)) '$T/sw.log' | grep -qi disconnect" ||
	fail "no disconnect logged within 10 s of kill -9 of the guest: $(tail -n +$((lines + 1)) "$T/sw.log" | head -5)"
busywait 10 eval '[ "$(stats_ports)" = 1 ]' ||
	fail "after the guest was killed, stats still show ports=$(stats_ports) (want 1)"
plug_check after "$CTL" || fail "the switch no longer passes traffic after a client was killed"
log "ok: a killed guest's port was freed (ports 2 -> 1), switch still serves"
