#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 51-stream: QEMU's -netdev stream (4-byte length-prefixed frames) as a
# switch client.  QEMU runs with no guest: its internal hub joins the
# stream netdev to a UDP dgram netdev, which a stock UML guest reaches with
# eth0=ucast.  So the path is: guest a (ucast) -> QEMU (dgram, hub,
# stream) -> uml_switch --stream -> guest b (daemon), and back.
. "$(dirname "$0")/lib.sh"
need qemu-system-x86_64

switch_start sw -unix "$T/sw.ctl" --stream "$T/stream.sock"

bg qemu qemu-system-x86_64 -M none -nodefaults -display none \
	-netdev stream,id=s0,server=off,addr.type=unix,addr.path="$T/stream.sock" \
	-netdev dgram,id=d0,local.type=inet,local.host=127.0.0.1,local.port=15501,remote.type=inet,remote.host=127.0.0.1,remote.port=15502 \
	-netdev hubport,id=h0,hubid=0,netdev=s0 \
	-netdev hubport,id=h1,hubid=0,netdev=d0
wait_log "$T/sw.log" 20 'new connection \(stream client\)' ||
	fail "QEMU did not connect to the stream socket: $(tail -5 "$T/qemu.log")"

guest_script a <<'EOF2'
ip addr add 10.0.6.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up || exit 1
ping -c 4 -w 20 10.0.6.2 || { echo "a: no reply from 10.0.6.2"; exit 1; }
touch /t/a.done
gw /t/b.done 60
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.6.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
gw /t/a.up || exit 1
ping -c 4 -w 20 10.0.6.1 || { echo "b: no reply from 10.0.6.1"; exit 1; }
touch /t/b.done
gw /t/a.done 60
EOF2

guest_start a eth0=ucast,,127.0.0.1,15502,15501
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
guest_ok a 90
guest_ok b 30
grep -q '4 packets received' "$T/a.out" || fail "ucast guest: not 4/4 replies: $(grep packets "$T/a.out")"
grep -q '4 packets received' "$T/b.out" || fail "daemon guest: not 4/4 replies: $(grep packets "$T/b.out")"

# QEMU going away frees its port.
stop qemu || true
wait_log "$T/sw.log" 10 'disconnect.*stream|stream client.*disconnect' ||
	wait_log "$T/sw.log" 1 'port [0-9]+: disconnect \(client closed the connection\)' ||
	fail "switch did not free the stream port: $(tail -5 "$T/sw.log")"
log "ok: a guest behind QEMU's stream netdev and a daemon guest pinged 4/4"
