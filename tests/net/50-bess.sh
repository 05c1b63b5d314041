#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-bess: a stock guest on the modern vector driver (vec0:transport=bess)
# and a stock guest on eth0=daemon ping each other through one switch.
. "$(dirname "$0")/lib.sh"

switch_start sw -unix "$T/sw.ctl" --bess "$T/bess.sock"
grep -q "BESS clients on '$T/bess.sock'" "$T/sw.log" ||
	fail "switch did not announce its BESS socket: $(cat "$T/sw.log")"

guest_script a <<'EOF2'
ip addr add 10.0.5.1/24 dev vec0
ip link set vec0 up
touch /t/a.up
gw /t/b.up || exit 1
ping -c 4 -w 15 10.0.5.2 || { echo "a: no reply from 10.0.5.2"; exit 1; }
touch /t/a.done
gw /t/b.done 60
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.5.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
gw /t/a.up || exit 1
ping -c 4 -w 15 10.0.5.1 || { echo "b: no reply from 10.0.5.1"; exit 1; }
touch /t/b.done
gw /t/a.done 60
EOF2

guest_start a "vec0:transport=bess,dst=$T/bess.sock"
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
guest_ok a 90
guest_ok b 30
grep -q '4 packets received' "$T/a.out" || fail "bess guest: not 4/4 replies: $(grep packets "$T/a.out")"
grep -q '4 packets received' "$T/b.out" || fail "daemon guest: not 4/4 replies: $(grep packets "$T/b.out")"
# The BESS port is gone once its guest halted.
wait_log "$T/sw.log" 10 'port [0-9]+: disconnect.*bess|bess client.*disconnect|disconnect \(client' ||
	fail "switch did not log the BESS client's disconnect: $(tail -5 "$T/sw.log")"
log "ok: vector BESS guest and daemon guest pinged each other 4/4"
