#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 89-kernel-stream-slow: our kernel's eth0=stream on a slow stream server
# (78's, 4 KiB a millisecond) gets every frame the guest counts as sent,
# whole, the last one too.  When the socket takes only part of a frame,
# the driver must stop its queue and write the rest as soon as there is
# room: nothing else will (a TCP sender waits for the ACK of that data).
#  - the guest (MTU 9000, IPv6 off, a static neighbour, so that it sends
#    nothing but the pings) sends a burst of 100 9014-byte pings 10 ms
#    apart; the server must have as many whole frames as eth0's tx_packets;
#    then one more ping alone, the same; then the guest ends and the server
#    must see no frame cut off.
#  - the guest's socket is connected by a wrapper with a send buffer of
#    4 KiB and passed as eth0=stream:fd=9: with the default buffer, a
#    unix stream socket of this host takes a frame up to about 36 KiB
#    whole or not at all, so no frame within the driver's MTU (9190) is
#    ever split.  With the small buffer every jumbo frame is; with the
#    driver's finishing disabled, the server was one frame short (the
#    last one) after the burst.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
. "$(dirname "$0")/stream-lib.sh"

slow_server srv "$T/srv.sock"

# the kernel, its eth0 socket (small send buffer) on fd 9
cat >"$T/kernel" <<PY
#!/usr/bin/python3
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
s.connect("$T/srv.sock")
os.dup2(s.fileno(), 9)
os.execv("$OUR_KERNEL", ["$OUR_KERNEL"] + sys.argv[1:])
PY
chmod 755 "$T/kernel"

guest_script k <<'EOF'
for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 \
	/proc/sys/net/ipv6/conf/eth0/disable_ipv6; do
	[ -e $f ] && echo 1 >$f
done
ip link set eth0 mtu 9000 || { echo "k: MTU 9000 refused"; exit 1; }
ip addr add 10.79.0.1/24 dev eth0
arp -i eth0 -s 10.79.0.2 02:00:00:00:79:02 || { echo "k: arp -s failed"; exit 1; }
ip link set eth0 up
# tx_count FILE: eth0's tx_packets into /t/FILE, written whole
tx_count() {
	cat /sys/class/net/eth0/statistics/tx_packets >/t/$1.tmp && mv /t/$1.tmp /t/$1
}
timeout 30 ping -c 100 -i 0.01 -s 8972 -W 1 -q 10.79.0.2 >/tmp/p1.txt 2>&1
tx_count k.tx1
gw /t/k.next 60 || exit 1
timeout 10 ping -c 1 -s 8972 -W 1 -q 10.79.0.2 >/tmp/p2.txt 2>&1
tx_count k.tx2
gw /t/k.done 60 || exit 1
echo k-ok
EOF
GUEST_KERNEL=$T/kernel guest_start k eth0=stream:fd=9
busywait 90 test -s "$T/k.tx1" ||
	fail "the guest did not send its burst: $(tail -5 "$T/k.out"; tr -d '\r' <"$T/k.console" | tail -5)"
tx1=$(cat "$T/k.tx1")
[ "$tx1" -ge 100 ] 2>/dev/null || fail "eth0 sent only '$tx1' frames of the burst"
wait_frames srv "$tx1" "burst"
touch "$T/k.next"
busywait 30 test -s "$T/k.tx2" || fail "the guest did not send its last ping: $(tail -5 "$T/k.out")"
tx2=$(cat "$T/k.tx2")
[ "$tx2" -gt "$tx1" ] 2>/dev/null || fail "eth0 sent no last frame ($tx1, then '$tx2')"
wait_frames srv "$tx2" "last frame"
touch "$T/k.done"
guest_ok k 60
grep -q k-ok "$T/k.out" || fail "guest: $(tail -3 "$T/k.out")"
# the server writes its final count when the guest's end closes, then exits
busywait 10 eval "! alive srv" ||
	fail "the slow server did not see the guest close the stream: $(cat "$T/srv.count")"
stop srv || true
grep -q "short=0" "$T/srv.count" || fail "a frame was cut off at the end: $(cat "$T/srv.count")"
log "ok: a slow stream server got every frame eth0 sent, whole: $tx1 of a burst, then $((tx2 - tx1)) more"
