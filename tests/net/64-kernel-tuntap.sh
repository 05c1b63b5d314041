#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 64-kernel-tuntap: our kernel on a pre-made tap (eth0=tuntap,DEV,MAC,GATE)
# in a network namespace: the guest pings the namespace's address on the
# tap, the namespace pings the guest, and a file crosses by TCP both ways.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need socat cmp

NS=tt$UID8
TAP=tap$UID8
netns_add "$NS"
tap_add "$TAP" "$NS"
ip -n "$NS" addr add 10.64.0.1/24 dev "$TAP" || fail "address on $TAP"
head -c 300000 /dev/urandom >"$T/data.bin"

guest_script g <<'EOF2'
ip addr add 10.64.0.2/24 dev eth0
ip link set eth0 up
ping -c 3 -w 15 10.64.0.1 || { echo "g: no reply from the tap side"; exit 1; }
nc -l -p 5001 >/tmp/in.bin &
lw 5001 10 || exit 1
touch /t/g.up
gw /t/host.done 60 || exit 1
wait
cmp /tmp/in.bin /t/data.bin || { echo "g: received file differs"; exit 1; }
echo file-ok
EOF2
GUEST_NS=$NS our_guest g eth0=tuntap,"$TAP",fe:fd:0a:40:00:02,10.64.0.1
busywait 60 eval "[ -e '$T/g.up' ] || [ -e '$T/g.rc' ]"
[ -e "$T/g.up" ] || { guest_ok g 5; fail "guest did not come up"; }
nsx "$NS" ping -c 3 -w 15 10.64.0.2 >"$T/ping.out" || fail "namespace could not ping the guest: $(tail -3 "$T/ping.out")"
nsx "$NS" socat -u FILE:"$T/data.bin" TCP:10.64.0.2:5001 || fail "socat to the guest failed"
touch "$T/host.done"
guest_ok g 60
grep -q file-ok "$T/g.out" || fail "the file did not reach the guest intact"
console_has g 'Netdevice 0 \(fe:fd:0a:40:00:02\)' || fail "no Netdevice line with the given MAC"
# the gateway means nothing with a pre-made tap: dropped, and said so
console_has g 'gateway 10.64.0.1 ignored' || fail "the unused gateway was not reported"
log "ok: tuntap on a pre-made tap: ping both ways, 300 kB by TCP"
