#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20-qemu-vde: QEMU's `-netdev vde` (libvdeplug) joins the switch.  QEMU has no guest OS here: its iPXE boot ROM asks for an
# address by DHCP, and busybox udhcpd on a -tap port answers.  iPXE printing
# its lease proves frames crossed both ways (DISCOVER/REQUEST in, OFFER/ACK
# out).  Everything runs in a namespace (tap and DHCP server confined).
. "$(dirname "$0")/lib.sh"
need qemu-system-x86_64
ROM=/usr/lib/ipxe/qemu/efi-e1000.rom
[ -f "$ROM" ] || fail "no iPXE ROM $ROM (ipxe-qemu package)"

NS=qv$UID8
TAP=qt$UID8
netns_add "$NS"
ip -n "$NS" tuntap add "$TAP" mode tap || fail "tuntap add $TAP"
link_track "$TAP" "$NS"
ip -n "$NS" addr add 10.0.2.1/24 dev "$TAP"
ip -n "$NS" link set "$TAP" up

mkdir -p "$T/vde"
SWITCH_NS=$NS switch_start sw -unix "$T/vde" -tap "$TAP"

cat >"$T/udhcpd.conf" <<EOF2
start 10.0.2.100
end 10.0.2.110
interface $TAP
lease_file $T/leases
pidfile $T/udhcpd.pid
option subnet 255.255.255.0
option router 10.0.2.1
EOF2
touch "$T/leases"
bg dhcp ip netns exec "$NS" busybox udhcpd -f "$T/udhcpd.conf"
busywait 5 eval "alive dhcp && [ -e '$T/udhcpd.pid' ]" || fail "udhcpd did not start: $(cat "$T/dhcp.log")"

bg qemu ip netns exec "$NS" qemu-system-x86_64 -machine accel=tcg -m 128 \
	-nographic -net none -no-reboot \
	-netdev vde,id=n0,sock="$T/vde" \
	-device e1000,netdev=n0,mac=52:54:00:12:34:56,romfile="$ROM" -boot n
busywait 10 eval "grep -qi 'new connection' '$T/sw.log' || ! alive qemu" ||
	fail "QEMU did not join the switch: $(tail -3 "$T/qemu.log")"
alive qemu || fail "QEMU exited: $(tail -5 "$T/qemu.log")"
if ! busywait 90 eval "tr -d '\r' <'$T/qemu.log' | grep -q 'net0: 10\.0\.2\.1[01][0-9]*/'"; then
	fail "iPXE in QEMU got no DHCP lease through the switch within 90 s: $(tr -d '\r' <"$T/qemu.log" | grep -a -i -m3 'configuring\|net0') / udhcpd: $(tail -3 "$T/dhcp.log")"
fi
log "iPXE: $(tr -d '\r' <"$T/qemu.log" | grep -a -m1 -o 'net0: 10\.0\.2\.[0-9]*/[0-9.]*')"
log "ok: QEMU -netdev vde exchanged DHCP with a tap host through the switch"
