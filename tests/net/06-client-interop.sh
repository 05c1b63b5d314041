#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 06-client-interop: our daemon client (net/transports/daemon.c, through the
# plug test tool) joins the original uml_switch (uml-utilities) and
# vde_switch (vde2): frames of 60 and 1514 bytes cross between two clients
# both ways; and our client reaches a stock UML guest through vde_switch.
. "$(dirname "$0")/lib.sh"
need_plug
need vde_switch
ORIG=${ORIG_UML_SWITCH:-/usr/bin/uml_switch}
[ -x "$ORIG" ] || fail "original uml_switch $ORIG is not installed (uml-utilities)"

# pair TAG CTL: traffic both ways between two of our clients
pair() {
	local tag=$1 ctl=$2 len
	for len in 60 1514; do
		bg "$tag-r$len" "$PLUG" -t 10 -m 02:00:00:00:0b:01 "$ctl" recv 20
		busywait 10 grep -q ready "$T/$tag-r$len.log" ||
			fail "$tag: our client could not join $ctl: $(tail -2 "$T/$tag-r$len.log")"
		# vde_switch drops when a receiver's queue is full (no flow
		# control), so 30 are sent, paced, and 20 must arrive
		"$PLUG" -m 02:00:00:00:0a:01 -l "$len" -i 2000 "$ctl" send 30 >"$T/$tag-s$len.log" 2>&1 ||
			fail "$tag: our client could not send through $ctl: $(tail -2 "$T/$tag-s$len.log")"
		busywait 15 eval "! alive $tag-r$len"
		stop "$tag-r$len" ||
			fail "$tag: $len-byte frames from our client did not arrive at the other client: $(tail -1 "$T/$tag-r$len.log")"
		grep -q "len=$len type=0x88b5 ok" "$T/$tag-r$len.log" ||
			fail "$tag: frames arrived with the wrong length: $(head -3 "$T/$tag-r$len.log")"
	done
	plug_check "$tag-back" "$ctl" 10 || fail "$tag: traffic in the other direction did not arrive"
	log "$tag: frames crossed between two of our daemon clients"
}

# 1. the original uml_switch
bg orig "$ORIG" -unix "$T/orig.ctl"
busywait 10 test -S "$T/orig.ctl" || fail "original uml_switch did not start: $(tail -3 "$T/orig.log")"
pair uml_switch "$T/orig.ctl"

# 2. vde_switch (client path DIR/ctl, and DIR alone)
mkdir -p "$T/vde"
vde_switch_start vde "$T/vde"
pair vde_switch "$T/vde/ctl"
plug_check vde-dir "$T/vde" 5 || fail "vde_switch: our client given the directory $T/vde did not pass traffic"

# 3. a stock guest on vde_switch: our client receives the ARP broadcasts of
# its pings (guest -> vde_switch -> our client).
guest_script g <<'EOF2'
ip addr add 10.0.0.1/24 dev eth0
ip link set eth0 up
touch /t/g.up
gw /t/go || exit 1
ping -c 2 -w 2 10.0.0.99
touch /t/g.done
EOF2
guest_start g eth0=vde,"$T/vde"
busywait 60 test -e "$T/g.up" || { guest_ok g 5; fail "guest on vde_switch did not come up"; }
bg arp "$PLUG" -t 20 -e 0x0806 "$T/vde/ctl" recv 100
busywait 10 grep -q ready "$T/arp.log" || fail "our client could not join vde_switch"
touch "$T/go"
guest_ok g 30
stop arp KILL
grep -q 'type=0x0806' "$T/arp.log" ||
	fail "ARP broadcasts from a stock guest on vde_switch did not reach our client"
log "ok: our daemon client interoperates with uml_switch and vde_switch"
