#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 72-kernel-jumbo-tcp: jumbo frames under load.  Two guests of our kernel at
# MTU 9000 run iperf3 (the host's, through a read-only hostfs mount of /)
# through our switch for 6 s, and no frame is lost on the way: the switch
# drops nothing, every frame the sender's driver sent reached the switch and
# every frame the switch sent on reached the receiver's driver.  Frames over
# 2 KiB take a large buffer in the switch; when those ran out under load,
# the switch used to drop such frames (dozens of TCP retransmissions in
# 6 s); now a port is not read until one is free.  (TCP may still
# retransmit a little without any loss when a guest is not scheduled for a
# while on a busy host - tail-loss probes, spurious timeouts - so the count
# is reported, and the frames are what is checked.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need iperf3

SECS=6
switch_start sw -unix "$T/sw.ctl"
# the host's / read-only, with private /tmp, /proc, /dev for iperf3
host_root='mkdir -p /host && mount -r -t hostfs none /host -o / &&
mount -t tmpfs tmp /host/tmp && mount -t proc proc /host/proc &&
mount -t devtmpfs dev /host/dev 2>/dev/null; true'
guest_script a <<EOF2
$host_root
ip link set eth0 mtu 9000
ip addr add 10.0.72.1/24 dev eth0
ip link set eth0 up
chroot /host /usr/bin/iperf3 -s -1 >/t/server.txt 2>&1 &
lw 5201 20 || exit 1
touch /t/a.listen
wait
gw /t/stats.done 30
cd /sys/class/net/eth0/statistics && echo "a rx=\$(cat rx_packets) rx_dropped=\$(cat rx_dropped)"
EOF2
guest_script b <<EOF2
$host_root
ip link set eth0 mtu 9000
ip addr add 10.0.72.2/24 dev eth0
ip link set eth0 up
gw /t/a.listen 60 || exit 1
ping -c 1 -W 5 10.0.72.1 >/dev/null || { echo "b: no ping"; exit 1; }
chroot /host /usr/bin/iperf3 -c 10.0.72.1 -t $SECS -J >/t/client.json.tmp || exit 1
mv /t/client.json.tmp /t/client.json
gw /t/stats.done 30
cd /sys/class/net/eth0/statistics && echo "b tx=\$(cat tx_packets) tx_dropped=\$(cat tx_dropped)"
EOF2
our_guest a mem=256M eth0=daemon,,unix,"$SWITCH_CTL"
our_guest b mem=256M eth0=daemon,,unix,"$SWITCH_CTL"
busywait $((SECS + 90)) eval "[ -e '$T/client.json' ] || [ -e '$T/b.rc' ]"
# the switch's counters while both ports are there
st=$(switch_stats sw) || fail "no switch stats"
touch "$T/stats.done"
guest_ok b 30
guest_ok a 30
read -r mbits retr < <(python3 - "$T/client.json" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%.0f %d" % (e["sum_received"]["bits_per_second"] / 1e6,
                   e["sum_sent"]["retransmits"]))
EOF
) || fail "no iperf3 result: $(head -c 300 "$T/client.json")"
log "iperf3 at MTU 9000: $mbits Mbit/s, $retr retransmissions"
log "$st"
[ "$(echo "$st" | grep -c 'stats: port ')" = 2 ] || fail "want two ports in the stats: $st"
echo "$st" | grep -E 'stats: port .* drop=[1-9]' >/dev/null &&
	fail "the switch dropped frames at MTU 9000: $st"
# b joined second: its port is the one that received iperf3's data
sw_rx=$(echo "$st" | grep -oE ' rx=[0-9]+' | sed 's/ rx=//' | sort -n | tail -1)
sw_tx=$(echo "$st" | grep -oE ' tx=[0-9]+' | sed 's/ tx=//' | sort -n | tail -1)
read -r b_tx b_drop < <(sed -n 's/^b tx=\([0-9]*\) tx_dropped=\([0-9]*\)$/\1 \2/p' "$T/b.out")
read -r a_rx a_drop < <(sed -n 's/^a rx=\([0-9]*\) rx_dropped=\([0-9]*\)$/\1 \2/p' "$T/a.out")
log "sender sent $b_tx (dropped $b_drop), switch took $sw_rx and sent $sw_tx, receiver got $a_rx (dropped $a_drop)"
[ "$b_drop" = 0 ] && [ "$a_drop" = 0 ] || fail "a guest driver dropped frames"
# a few frames more on the guests' side: ARP and the like before the data
[ "$b_tx" -ge "$sw_rx" ] && [ $((b_tx - sw_rx)) -le 10 ] ||
	fail "the sender sent $b_tx frames but the switch took $sw_rx"
[ "$a_rx" -ge "$sw_tx" ] && [ $((a_rx - sw_tx)) -le 10 ] ||
	fail "the switch sent $sw_tx frames but the receiver got $a_rx"
log "ok: $SECS s of iperf3 at MTU 9000: $mbits Mbit/s, no frame lost ($retr TCP retransmissions)"
