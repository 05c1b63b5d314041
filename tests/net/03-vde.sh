#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 03-vde: the switch on a VDE-style directory serves VDE clients and UML
# daemon clients at once: a stock guest on eth0=vde,DIR and a vde_plug
# (vdeplug4, vde:// to tap://) in a namespace both ping a stock guest on
# eth0=daemon,,unix,DIR/ctl.
. "$(dirname "$0")/lib.sh"
need vde_plug

DIR=$T/vde
mkdir -p "$DIR"
if [ -n "${VDE_SWITCH_DEV:-}" ]; then
	# harness development only: run against vde_switch instead
	vde_switch_start sw "$DIR"
else
	switch_start sw -unix "$DIR"
	[ "$SWITCH_CTL" = "$DIR/ctl" ] || fail "directory -unix: control socket not at $DIR/ctl"
fi

NS=vp$UID8
TAP=vt$UID8
netns_add "$NS"
# vde_plug opens the tap in its own namespace; create it persistent here,
# let vde_plug attach, then move it to the namespace.
tap_add "$TAP"
bg vplug vde_plug "vde://$DIR" "tap://$TAP"
busywait 10 eval "ip link show $TAP | grep -q LOWER_UP" ||
	fail "vde_plug did not attach to tap $TAP: $(cat "$T/vplug.log")"
ip link set "$TAP" netns "$NS" || fail "move $TAP to $NS"
link_track "$TAP" "$NS"
nsx "$NS" ip addr add 10.0.0.3/24 dev "$TAP"
nsx "$NS" ip link set "$TAP" up

guest_script a <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/done 90
EOF2
guest_script v <<'EOF2'
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
gw /t/a.up || exit 1
ping -c 3 -w 15 10.0.0.1 || { echo "vde guest: no reply from the daemon guest 10.0.0.1"; exit 1; }
touch /t/v.ok
gw /t/done 90
EOF2

guest_start a eth0=daemon,,unix,"$DIR/ctl"
guest_start v eth0=vde,"$DIR"
busywait 60 test -e "$T/a.up" || fail "daemon guest did not come up"
busywait 60 eval "[ -e '$T/v.ok' ] || [ -e '$T/v.rc' ]"
if [ ! -e "$T/v.ok" ]; then
	touch "$T/done"
	guest_ok v 30
	fail "vde guest could not ping the daemon guest"
fi
nsx "$NS" ping -c 3 -w 15 10.0.0.1 >"$T/nsping.out" 2>&1 ||
	{ touch "$T/done"; fail "vde_plug namespace host could not ping the daemon guest 10.0.0.1: $(tail -3 "$T/nsping.out")"; }
nsx "$NS" ping -c 3 -w 15 10.0.0.2 >"$T/nsping2.out" 2>&1 ||
	{ touch "$T/done"; fail "vde_plug namespace host could not ping the vde guest 10.0.0.2: $(tail -3 "$T/nsping2.out")"; }
touch "$T/done"
guest_ok a 30
guest_ok v 30
log "ok: vde guest, vde_plug host and daemon guest reached each other"
