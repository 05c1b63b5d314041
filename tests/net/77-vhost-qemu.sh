#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 77-vhost-qemu: QEMU as a vhost-user front end of uml_switch --vhost-user.
# QEMU has no disk and no OS: its virtio-net-pci device (backed by
# -netdev vhost-user, guest memory shared through a memfd) boots its iPXE
# ROM, which asks for an address by DHCP; the switch's slirp port
# answers.  iPXE printing its lease proves frames crossed both ways
# through the rings (DISCOVER/REQUEST from the transmit queue, OFFER/ACK
# into the receive queue).  Twice: a modern-only device (VIRTIO_F_VERSION_1,
# 12-byte header) and a legacy-only one (no VERSION_1, 10-byte header).
# Each QEMU is stopped by pid; its port must go with it, the switch must
# log no refused message and must go on running.
. "$(dirname "$0")/lib.sh"
need qemu-system-x86_64
# QEMU's virtio-net-pci takes its boot ROM from the ipxe-qemu package
ROM=/usr/lib/ipxe/qemu/efi-virtio.rom
[ -f "$ROM" ] || fail "no iPXE ROM $ROM (ipxe-qemu package)"
UML_SLIRP=${UML_SLIRP:-$BUILD/uml_slirp}
[ -x "$UML_SLIRP" ] || fail "$UML_SLIRP not built (run make)"

VU=$T/vu.sock
switch_start sw -unix "$T/sw.ctl" --vhost-user "$VU" --port "slirp:helper=$UML_SLIRP"
busywait 10 test -S "$VU" || fail "no vhost-user socket $VU: $(tail -3 "$T/sw.log")"

# qemu_lease NAME MAC DEVICE-OPTIONS: QEMU NAME boots iPXE on a vhost-user
# virtio-net-pci device and must print a lease from slirp (10.0.2.x/24)
# within 120 s (TCG: the BIOS and iPXE are slow to emulate)
qemu_lease() {
	local name=$1 mac=$2 opts=$3 conns
	conns=$(grep -c 'new connection (vhost-user' "$T/sw.log")
	bg "$name" qemu-system-x86_64 -accel tcg -m 64 -nographic -net none \
		-no-reboot -boot n \
		-object memory-backend-memfd,id=mem,size=64M,share=on \
		-machine memory-backend=mem \
		-chardev "socket,id=c0,path=$VU" \
		-netdev vhost-user,id=n0,chardev=c0 \
		-device "virtio-net-pci,netdev=n0,mac=$mac,$opts"
	busywait 20 eval "[ \$(grep -c 'new connection (vhost-user' '$T/sw.log') -gt $conns ] || ! alive $name" ||
		fail "$name did not connect to $VU: $(tail -3 "$T/$name.log")"
	alive "$name" || fail "$name exited: $(tail -5 "$T/$name.log")"
	if ! busywait 120 eval "tr -d '\r' <'$T/$name.log' | grep -q 'net0: 10\.0\.2\.[0-9]*/255\.255\.255\.0'"; then
		fail "iPXE in $name ($opts) got no DHCP lease through the switch within 120 s: $(tr -d '\r' <"$T/$name.log" | grep -a -i -m3 'configuring\|net0') / switch: $(tail -3 "$T/sw.log")"
	fi
	log "$name ($opts): $(tr -d '\r' <"$T/$name.log" | grep -a -m1 -o 'net0: 10\.0\.2\.[0-9]*/[0-9.]*')"
	stop "$name"
	busywait 10 eval "[ \$(grep -c 'disconnect (front end closed' '$T/sw.log') -gt $conns ]" ||
		fail "the switch did not free $name's port: $(tail -3 "$T/sw.log")"
	alive sw || fail "the switch died with $name: $(tail -5 "$T/sw.log")"
}

qemu_lease qm 52:54:00:77:00:01 disable-legacy=on
qemu_lease ql 52:54:00:77:00:02 disable-modern=on,disable-legacy=off

# every message QEMU sent was served: no port ended by a refusal
if grep -E 'port [0-9]+: .*vhost-user: ' "$T/sw.log"; then
	fail "the switch refused a message of QEMU's (above)"
fi
log "ok: QEMU's iPXE (modern and legacy virtio-net over vhost-user) got slirp DHCP leases through the switch"
