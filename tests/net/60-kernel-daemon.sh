#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 60-kernel-daemon: two guests of our kernel (eth0=daemon, legacy grammar)
# ping each other through each switch a lab may run: our uml_switch, the
# original uml_switch (uml-utilities) and vde_switch (client path DIR/ctl,
# and the stock kernel's eth0=vde,DIR grammar).
# The driver logs the legacy "Netdevice" line and takes the MAC given.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
ORIG=${ORIG_UML_SWITCH:-/usr/bin/uml_switch}
[ -x "$ORIG" ] || fail "original uml_switch $ORIG is not installed (uml-utilities)"
need vde_switch

# pair TAG CTL [BSPEC]: guests a and b ping each other through the switch on
# CTL (b on eth0=BSPEC if given)
pair() {
	local tag=$1 ctl=$2 bspec=${3:-daemon,,unix,$2} n
	rm -f "$T"/*.up "$T"/*.done
	for n in a:1 b:2; do
		guest_script "${n%:*}" <<EOF2
ip addr add 10.0.0.${n#*:}/24 dev eth0
ip link set eth0 up
touch /t/${n%:*}.up
gw /t/a.up && gw /t/b.up || exit 1
ping -c 4 -w 15 10.0.0.$(( 3 - ${n#*:} )) || { echo "no reply"; exit 1; }
touch /t/${n%:*}.done
gw /t/a.done 60 && gw /t/b.done 60
EOF2
	done
	our_guest a eth0=daemon,fe:fd:0a:00:00:01,unix,"$ctl"
	our_guest b eth0="$bspec"
	guest_ok a 90
	guest_ok b 30
	grep -q '4 packets received' "$T/a.out" || fail "$tag: a: $(grep packets "$T/a.out")"
	grep -q '4 packets received' "$T/b.out" || fail "$tag: b: $(grep packets "$T/b.out")"
	console_has a 'Netdevice 0 \(fe:fd:0a:00:00:01\)' ||
		fail "$tag: no 'Netdevice 0 (fe:fd:0a:00:00:01)' line: $(grep -i netdevice "$T/a.console")"
	console_has b 'Choosing a random ethernet address for device eth0' ||
		fail "$tag: b did not log its random MAC"
	log "ok: $tag: our kernel's guests pinged each other 4/4"
}

switch_start sw -unix "$T/sw.ctl"
pair uml_switch-ours "$SWITCH_CTL"
stop sw

bg orig "$ORIG" -unix "$T/orig.ctl"
busywait 10 test -S "$T/orig.ctl" || fail "original uml_switch did not start: $(tail -3 "$T/orig.log")"
pair uml_switch-original "$T/orig.ctl"
stop orig

mkdir -p "$T/vde"
vde_switch_start vde "$T/vde"
pair vde_switch "$T/vde/ctl"
# the stock kernel's vde grammar, vde,DIR[,MAC]: the same protocol
pair vde_switch-vde-grammar "$T/vde/ctl" "vde,$T/vde"
log "ok: daemon transport with our, the original and VDE's switch"
