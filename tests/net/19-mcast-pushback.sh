#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 19-mcast-pushback: back-pressure through a transport that sends on
# another fd than the one it is polled on.  The mcast transport sends from
# a socket of its own (tp.wfd); here its interface is shaped to 80 Mbit/s
# (tbf, with room to queue), so that socket fills and a send would block.
# The switch must then wait for that socket to be writable (EPOLLOUT on
# wfd), holding the sender meanwhile: every frame leaves the interface,
# none is dropped, and the transfer goes at the shaped rate.  (Retried on
# the switch's 100 ms tick instead, a socket buffer's worth per tick, the
# same transfer takes several times as long.)
. "$(dirname "$0")/lib.sh"
need tc
LOADGEN=$BUILD/bench/loadgen
[ -x "$LOADGEN" ] || fail "no $LOADGEN (run make)"
N=6000 SIZE=1400 RATE_MBIT=80

NS=mp$UID8 PEER=mq$UID8
netns_add "$NS"
netns_add "$PEER"
ip -n "$NS" link add va type veth peer name vb netns "$PEER" || fail "veth"
ip -n "$NS" addr add 10.19.0.1/24 dev va
ip -n "$NS" link set va up
ip -n "$PEER" addr add 10.19.0.2/24 dev vb
ip -n "$PEER" link set vb up
ip -n "$NS" route add 224.0.0.0/4 dev va || fail "multicast route"
nsx "$NS" tc qdisc add dev va root tbf rate ${RATE_MBIT}mbit burst 16kb limit 4mb ||
	fail "cannot shape va with tbf"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --port "mcast:if=va"
# a station behind the mcast port, so that the frames to it are unicast
# (back-pressure without the limit a flood has for a slow port)
STATION=02:00:00:00:19:99
nsx "$PEER" python3 - <<'EOF2' || fail "cannot announce a station through the group"
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.19.0.2"))
s.bind(("10.19.0.2", 0))
f = b"\xff" * 6 + bytes.fromhex("020000001999") + b"\x88\xb5" + b"station".ljust(46, b"\0")
s.sendto(f, ("239.192.168.1", 1102))
EOF2
busywait 10 eval "switch_stats sw | grep -q 'fdb=1/'" || fail "the station behind the mcast port was not learned"
rx0=$(nsx "$PEER" cat /sys/class/net/vb/statistics/rx_packets)
start=$(date +%s%N)
nsx "$NS" timeout 120 "$LOADGEN" -c "$SWITCH_CTL" -s $SIZE send $N \
	--dst $STATION >"$T/send.log" 2>&1 ||
	fail "the sender failed: $(cat "$T/send.log")"
# every frame the switch took must leave va and reach vb
busywait 30 eval "[ \$(( \$(nsx $PEER cat /sys/class/net/vb/statistics/rx_packets) - $rx0 )) -ge $N ]" ||
	fail "only $(( $(nsx "$PEER" cat /sys/class/net/vb/statistics/rx_packets) - rx0 )) of $N frames left the shaped interface"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
st=$(switch_stats sw)
log "$st"
grep -Eq 'stats: port [0-9]+ (mcast|transport) .* drop=0 ' <<<"$st" || fail "the mcast port dropped frames: $st"
# the shaped rate is the floor: N frames of SIZE + 42 bytes of headers
ideal=$(( N * (SIZE + 42) * 8 / (RATE_MBIT * 1000) ))
log "$N frames of $SIZE bytes in $ms ms (the shaper allows $ideal ms)"
[ "$ms" -le $(( ideal * 2 + 1000 )) ] ||
	fail "the transfer took $ms ms, over twice the shaped time ($ideal ms): a blocked send waited for the tick, not for its socket"
log "ok: the mcast port pushed back on its sending socket: no drop, $ms ms for $ideal ms of shaped time"
