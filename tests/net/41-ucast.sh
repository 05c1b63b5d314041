#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 41-ucast: point-to-point UDP between a stock guest (eth0=ucast) and the
# switch's ucast port (--port ucast,,127.0.0.1,LPORT,RPORT), in a network
# namespace; a daemon guest on the same switch and the ucast guest ping each
# other both ways, and a third guest on a second ucast port (keyed form)
# joins too.  Then QEMU -netdev socket,udp= on a ucast port leases an address
# from udhcpd in a daemon guest.
. "$(dirname "$0")/lib.sh"

NS=uc$UID8
netns_add "$NS"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" \
	--port ucast,,127.0.0.1,5002,5001 \
	--port ucast:remote=127.0.0.1,lport=5004,rport=5003,local=127.0.0.1
busywait 10 eval "nsx $NS ss -uln | grep -q '127.0.0.1:5004 '" ||
	fail "the keyed ucast port is not bound to 127.0.0.1:5004: $(nsx $NS ss -uln)"

trio_scripts 10.0.1
# a: listens on 5001, sends to the switch's 5002; c: 5003 <-> 5004
GUEST_NS=$NS guest_start a eth0=ucast,fe:fd:0a:00:01:01,127.0.0.1,5001,5002
GUEST_NS=$NS guest_start b eth0=daemon,fe:fd:0a:00:01:02,unix,"$T/sw.ctl"
GUEST_NS=$NS guest_start c eth0=ucast,fe:fd:0a:00:01:03,127.0.0.1,5003,5004
trio_wait
trio_check
alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
log "ok: two ucast guests and a daemon guest ping each other through two --port ucast"

# QEMU -netdev socket,udp= (its iPXE ROM) on a third ucast port gets a DHCP
# lease from udhcpd in a daemon guest
SWITCH_NS=$NS switch_start sw2 -unix "$T/sw2.ctl" \
	--port ucast,,127.0.0.1,5006,5005
GUEST_NS=$NS pxe_dhcp_start 10.0.1 "$T/sw2.ctl" 52:54:00:12:34:57 \
	udp=127.0.0.1:5006,localaddr=127.0.0.1:5005
pxe_dhcp_check
log "ok: QEMU -netdev socket,udp= leased $(grep -io '10\.0\.1\.1[0-9][0-9]' "$T/d.out" | head -1) from a daemon guest via --port ucast"
