#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 76-vhost-user: uml_switch --vhost-user as the back end of stock UML
# guests' virtio-net devices (virtio_uml.device=PATH:1; the stock
# virtio_net module and its dependencies, net_failover and failover).
#  - guests a and b on vhost-user ports and c on eth0=daemon ping each
#    other (3/3 each way);
#  - a sends b 32 MB over TCP (busybox nc), then c the same 32 MB, and
#    each copy is the same, byte for byte; the guests' virtio_net takes
#    the switch's offloads (checksum, TSO): a's frames come in larger than
#    the wire's (GSO), go to b whole and are cut into segments for c
#    (the ports' counters say so);
#  - a guest killed in the middle of a transfer frees its port (the switch
#    logs it), and the switch goes on serving: b and c ping again;
#  - front ends that lie (a memory table without its fds, a queue index a
#    net device has not, a truncated message) lose their port, the log
#    naming what they did, while the guests' traffic goes on; so does one
#    that shrinks its memory file under the switch's mapping (the switch's
#    next touch of that memory faults: SIGBUS, caught).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need python3

VU=$T/vu.sock
switch_start sw -unix "$T/sw.ctl" --vhost-user "$VU"

guest_modules virtio_net.ko
dd if=/dev/urandom of="$T/blob" bs=1M count=32 2>/dev/null

pings() {	# me: ping the other two
	cat <<EOF2
touch /t/$1.up
gw /t/a.up && gw /t/b.up && gw /t/c.up || exit 1
for p in 1 2 3; do
	[ 10.0.76.\$p = $2 ] && continue
	ping -c 3 -w 20 10.0.76.\$p || { echo "$1: no reply from 10.0.76.\$p"; exit 1; }
done
touch /t/$1.pinged
EOF2
}

{ virtio_eth0 10.0.76.1/24; pings a 10.0.76.1; cat <<'EOF2'
gw /t/b.listen 30 || exit 1
nc 10.0.76.2 5001 </t/blob || { echo "a: nc failed"; exit 1; }
touch /t/a.sent
gw /t/b.got 60 || exit 1
gw /t/c.listen 30 || exit 1
nc 10.0.76.3 5003 </t/blob || { echo "a: nc to c failed"; exit 1; }
gw /t/c.got 60 || exit 1
touch /t/a.counted
gw /t/counted 30 || exit 1
# a second transfer, during which the host kills us
touch /t/a.again
nc 10.0.76.2 5002 </dev/zero
EOF2
} | guest_script a
{ virtio_eth0 10.0.76.2/24; pings b 10.0.76.2; nc_take b 5001 /t/blob; cat <<'EOF2'
sleep 120 | nc -l -p 5002 >/dev/null &
gw /t/a.killed 60 || exit 1
ping -c 3 -w 20 10.0.76.3 || { echo "b: no reply from c after a died"; exit 1; }
touch /t/b.done
EOF2
} | guest_script b
{ cat <<'EOF2'
ip addr add 10.0.76.3/24 dev eth0
ip link set eth0 up
EOF2
pings c 10.0.76.3; nc_take c 5003 /t/blob; cat <<'EOF2'
gw /t/b.done 90 || exit 1
EOF2
} | guest_script c

guest_start a virtio_uml.device="$VU":1
guest_start b virtio_uml.device="$VU":1
guest_start c eth0=daemon,,unix,"$SWITCH_CTL"

busywait 150 eval "[ -e '$T/a.counted' ] || [ -e '$T/a.rc' ] || [ -e '$T/b.rc' ] || [ -e '$T/c.rc' ]"
[ -e "$T/a.counted" ] || { _guest_tail a >&2; _guest_tail b >&2; _guest_tail c >&2; fail "the pings or the transfers did not finish"; }
# the ports: a's is the vhost-user one that took the most bytes in (a and
# b connect in either order), b's the other, c's the daemon one
MGMT=$T/sw.ctl.mgmt
pj() { uc -j ports | jget "sorted([p for p in d if p['kind'] == '$1'], key=lambda p: -p['counters']['rx_bytes'])[$2]['counters']$3"; }
a_rx=$(pj vhost-user 0 "['rx']") a_rxb=$(pj vhost-user 0 "['rx_bytes']")
b_tx=$(pj vhost-user 1 "['tx']") b_txb=$(pj vhost-user 1 "['tx_bytes']")
b_seg=$(pj vhost-user 1 "['offload']['segmented']") c_seg=$(pj daemon 0 "['offload']['segmented']")
a_kicks=$(pj vhost-user 0 "['kicks']") c_kicks=$(pj daemon 0 "['kicks']")
log "a's port: $a_rx frames in, $((a_rxb / a_rx)) bytes each, $a_kicks kicks; b's: $b_tx out, $((b_txb / b_tx)) bytes each, $b_seg cut; c's: $c_seg GSO frames cut"
# every kick is counted (the guest rang at least once), and a kick is a
# vhost-user guest's only: a daemon port has none
[ "$a_kicks" -gt 0 ] && [ "$a_kicks" -le "$a_rx" ] || fail "a's port counted $a_kicks kicks for $a_rx frames"
[ "$c_kicks" = 0 ] || fail "c's daemon port counted $c_kicks kicks"
# an average over 1518 bytes (the largest frame an MTU of 1500 allows,
# VLAN tag and all) proves GSO frames; how large the guest makes them
# depends on its pacing rate (its TCP sizes a burst to about 1 ms), so on
# a busy machine they may be only a few segments each
[ $((a_rxb / a_rx)) -gt 1518 ] || fail "a's frames average $((a_rxb / a_rx)) bytes: no TSO from the guest"
[ $((b_txb / b_tx)) -gt 1518 ] && [ "$b_seg" = 0 ] || fail "b got frames of $((b_txb / b_tx)) bytes on average, $b_seg cut: the GSO frames did not go whole"
[ "$c_seg" -gt 100 ] || fail "c's daemon port had $c_seg GSO frames cut for it"
touch "$T/counted"
busywait 30 eval "[ -e '$T/a.again' ]" || fail "a did not start its second transfer"
grep -q '3 packets received' "$T/a.out" || fail "a: pings: $(grep packets "$T/a.out")"
sleep 1
guest_kill a
# bad front ends while b and c still run
python3 - "$VU" "$(dirname "$0")" <<'EOF2' || fail "cannot play the bad front ends"
import os, socket, struct, sys
sys.path.insert(0, sys.argv[2])
from vhost_fe import closed, hdr
def client(msg):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(msg)
    closed(s)
# SET_MEM_TABLE: one region, no fd
client(hdr(5, 40) + struct.pack("<II4Q", 1, 0, 0, 4096, 0x7f0000000000, 0))
# SET_VRING_NUM for queue 7
client(hdr(8, 8) + struct.pack("<II", 7, 256))
# a payload larger than any request's
client(hdr(2, 100000))
# a memory table, then the file behind it cut to nothing, then rings in
# it: the switch's first look at the transmit ring faults
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
mem = os.memfd_create("vu76")
os.ftruncate(mem, 65536)
UA = 0x10000000
s.sendall(hdr(2, 8) + struct.pack("<Q", 1 << 32))	# VERSION_1
socket.send_fds(s, [hdr(5, 40) + struct.pack("<II4Q", 1, 0, 0, 65536, UA, 0)], [mem])
# GET_FEATURES's reply: the switch has read (and mapped) the table
s.sendall(hdr(1, 0))
s.settimeout(10)
rep = b""
while len(rep) < 20:
    got = s.recv(20 - len(rep))
    if not got:
        sys.exit("the switch closed the connection before the memory was cut")
    rep += got
os.ftruncate(mem, 0)
s.sendall(hdr(8, 8) + struct.pack("<II", 1, 8))
s.sendall(hdr(9, 40) + struct.pack("<II4Q", 1, 0, UA, UA + 0x2000, UA + 0x1000, 0))
s.sendall(hdr(10, 8) + struct.pack("<II", 1, 0))
kick = os.eventfd(1)
socket.send_fds(s, [hdr(12, 8) + struct.pack("<Q", 1)], [kick])
closed(s)
EOF2
for w in 'regions with 0 fds' 'queue 7' 'payload of 100000 bytes' 'its memory is gone'; do
	wait_log "$T/sw.log" 10 "disconnect \\(vhost-user: .*$w" ||
		fail "no port closed for '$w': $(tail -5 "$T/sw.log")"
done
touch "$T/a.killed"
wait_log "$T/sw.log" 10 'port [0-9]+: disconnect.*(front end closed|vhost-user)' ||
	fail "the switch did not free a's port: $(tail -5 "$T/sw.log")"
guest_ok b 60
guest_ok c 30
for g in b c; do
	[ "$(grep -c '3 packets received' "$T/$g.out")" -ge 2 ] ||
		fail "guest $g: not 3/3 replies: $(grep packets "$T/$g.out")"
done
alive sw || fail "the switch died"
log "ok: two vhost-user guests and a daemon guest pinged, 32 MB went over TCP intact to each of the others (whole GSO frames to b, cut for c), a killed guest's port was freed"
