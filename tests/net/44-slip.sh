#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 44-slip: frames cross a slip transport between a stock guest and the
# switch through a pty pair.
#   guest A: eth0=slirp,,HELPER -- the stock kernel's SLIP-over-a-stream
#            transport; HELPER is `socat FD:0 PTY,link=$T/pty`,
#            so A's SLIP bytes come out of a pty slave
#   switch:  --port slip:path=$T/pty,gate=10.0.4.1 -- our slip transport on
#            that pty: it answers ARP for A's address, strips/adds Ethernet
#   guest B: eth0=daemon on the switch
# B and A ping each other (with 0xc0/0xdb payload bytes, which SLIP must
# escape) and B sends A 64 KiB of random data over TCP, compared with cmp.
# Bad slip specs are refused naming the culprit.
. "$(dirname "$0")/lib.sh"
need socat

NS=sl$UID8
netns_add "$NS"

bad() {
	local spec=$1 word=$2 out
	if out=$(ip netns exec "$NS" "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" 2>&1 </dev/null); then
		fail "uml_switch --port '$spec' was accepted"
	fi
	grep -qF -- "$word" <<<"$out" || fail "--port '$spec': message does not name '$word': $out"
}
bad "slip,10.0.4.1" "path"
bad "slip:gate=10.0.4.1,path=$T/nopty" "$T/nopty"
bad "slip:gate=10.0.4.256,path=/dev/null" "10.0.4.256"
bad "slip:path=/dev/null,fd=0" "not both"
bad "slip:path=/dev/null,speed=9600" "speed"
bad "slip:fd=12x" "12x"
log "ok: bad slip specs refused with the culprit named"

GUEST_NS=$NS slip_line_start 10.0.4
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" \
	--port "slip:path=$T/pty,gate=10.0.4.1"
GUEST_NS=$NS guest_start b eth0=daemon,fe:fd:0a:00:04:02,unix,"$T/sw.ctl"

slip_line_check
alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
# guest A is gone, so is its helper and the pty master: the slip port is
# reported and closed, the switch serves on
PN=$(sed -n 's/.*port \([0-9]*\): new connection (slip.*/\1/p' "$T/sw.log")
[ -n "$PN" ] || fail "no slip port in the switch's log: $(head -3 "$T/sw.log")"
wait_log "$T/sw.log" 10 "port $PN: disconnect" ||
	fail "the switch did not notice the end of the SLIP line: $(tail -3 "$T/sw.log")"
alive sw || fail "the switch died with its slip line: $(tail -5 "$T/sw.log")"
PLUG_NS=$NS plug_check after "$T/sw.ctl" 3 || fail "the switch stopped serving after the SLIP line ended"
log "ok: line gone: $(grep -E "port $PN: disconnect" "$T/sw.log" | head -1 | sed 's/^uml_switch: //')"
log "ok: slip guest <-> daemon guest over --port slip on a pty: ping both ways, 64 KiB over TCP intact"
