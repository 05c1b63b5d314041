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

ping_pair_scripts a b 10.0.6
guest_start a eth0=ucast,,127.0.0.1,15502,15501
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
ping_pair_check a b

# QEMU going away frees its port.
stop qemu || true
wait_log "$T/sw.log" 10 'disconnect.*stream|stream client.*disconnect' ||
	wait_log "$T/sw.log" 1 'port [0-9]+: disconnect \(client closed the connection\)' ||
	fail "switch did not free the stream port: $(tail -5 "$T/sw.log")"
log "ok: a guest behind QEMU's stream netdev and a daemon guest pinged 4/4"
