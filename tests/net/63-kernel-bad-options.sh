#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 63-kernel-bad-options: bad ethN= specs on our kernel's command line each
# give a console line naming the device and the offending part, create no
# device, and the guest boots on (a good eth3 beside them still works).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

switch_start sw -unix "$T/sw.ctl"
guest_script g <<'EOF2'
for i in 0 1 2 4 5 6 7; do
	[ ! -e /sys/class/net/eth$i ] || { echo "eth$i exists"; exit 1; }
done
[ -e /sys/class/net/eth3 ] || { echo "no eth3"; exit 1; }
echo booted-on
EOF2
our_guest g eth0=daemon,zz:zz,unix,/x eth1=mcast,,1.2.3.4,99999 \
	eth2=bogus,1,2 eth3=daemon,,unix,"$SWITCH_CTL" eth4=tuntap,a,b,c,d \
	eth5=daemon,,unix,"$T/no-such.ctl" eth6=slip,10.0.0.300 eth7=slip
guest_ok g 60
grep -q booted-on "$T/g.out" || fail "guest script did not run"
# expect NAME ERE: the console names the device and the culprit
expect() {
	console_has g "$2" || fail "$1: no console line matching '$2': $(tr -d '\r' <"$T/g.console" | grep -E 'eth[0-9]' | head -20)"
	log "$1: $(tr -d '\r' <"$T/g.console" | grep -E -- "$2" | head -1)"
}
expect daemon-mac 'eth0: .*zz:zz'
expect mcast 'eth1: .*(1\.2\.3\.4|99999)'
expect unknown 'eth2: .*bogus'
expect tuntap-extra 'eth4: .*d'
expect daemon-noswitch "eth5: .*no-such\.ctl"
expect slip-gate 'eth6: .*10\.0\.0\.300'
expect slip-noline 'eth7: .*missing line'
expect good 'Netdevice 3 '
log "ok: bad specs named, no device, guest booted on"
