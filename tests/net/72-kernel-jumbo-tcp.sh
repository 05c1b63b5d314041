#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 72-kernel-jumbo-tcp: jumbo frames under load.  Two guests of our kernel at
# MTU 9000 run iperf3 (the host's, through a read-only hostfs mount of /)
# through our switch for 6 s: no TCP retransmission, and the switch drops
# nothing.  Frames over 2 KiB take a large buffer in the switch; when those
# ran out under load, the switch used to drop such frames (dozens of
# retransmissions in 6 s); now a port is not read until one is free.
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
EOF2
guest_script b <<EOF2
$host_root
ip link set eth0 mtu 9000
ip addr add 10.0.72.2/24 dev eth0
ip link set eth0 up
gw /t/a.listen 60 || exit 1
ping -c 1 -W 5 10.0.72.1 >/dev/null || { echo "b: no ping"; exit 1; }
chroot /host /usr/bin/iperf3 -c 10.0.72.1 -t $SECS -J >/t/client.json || exit 1
echo "b tx_dropped \$(cat /sys/class/net/eth0/statistics/tx_dropped)"
EOF2
our_guest a mem=256M eth0=daemon,,unix,"$SWITCH_CTL"
our_guest b mem=256M eth0=daemon,,unix,"$SWITCH_CTL"
guest_ok b $((SECS + 90))
guest_ok a 30
read -r mbits retr < <(python3 - "$T/client.json" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%.0f %d" % (e["sum_received"]["bits_per_second"] / 1e6,
                   e["sum_sent"]["retransmits"]))
EOF
) || fail "no iperf3 result: $(head -c 300 "$T/client.json")"
st=$(switch_stats sw) || fail "no switch stats"
log "iperf3 at MTU 9000: $mbits Mbit/s, $retr retransmissions"
log "$st"
echo "$st" | grep -E 'stats: port .* drop=[1-9]' >/dev/null &&
	fail "the switch dropped frames at MTU 9000: $st"
[ "$retr" = 0 ] || fail "$retr TCP retransmissions at MTU 9000 (want 0)"
grep -q '^b tx_dropped 0$' "$T/b.out" || fail "the sender dropped on transmit: $(grep tx_dropped "$T/b.out")"
log "ok: $SECS s of iperf3 at MTU 9000: $mbits Mbit/s, no retransmission, no drop"
