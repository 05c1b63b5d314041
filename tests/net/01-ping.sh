#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 01-ping: two stock UML guests on eth0=daemon ping each other through
# uml_switch in switch mode.
. "$(dirname "$0")/lib.sh"

MODE_ARGS=${MODE_ARGS:-}

switch_start sw -unix "$T/sw.ctl" $MODE_ARGS
CTL=$SWITCH_CTL

guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up || exit 1
ping -c 4 -w 15 10.0.0.2 || { echo "a: no reply from 10.0.0.2"; exit 1; }
touch /t/a.done
gw /t/b.done 60
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
gw /t/a.up || exit 1
ping -c 4 -w 15 10.0.0.1 || { echo "b: no reply from 10.0.0.1"; exit 1; }
touch /t/b.done
gw /t/a.done 60
EOF2

guest_start a eth0=daemon,,unix,"$CTL"
guest_start b eth0=daemon,,unix,"$CTL"
guest_ok a 90
guest_ok b 30
grep -q '4 packets received' "$T/a.out" || fail "guest a: not 4/4 replies: $(grep packets "$T/a.out")"
grep -q '4 packets received' "$T/b.out" || fail "guest b: not 4/4 replies: $(grep packets "$T/b.out")"
log "ok: two guests pinged each other 4/4${MODE_ARGS:+ ($MODE_ARGS)}"
