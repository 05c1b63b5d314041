#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 90-vhost-offload: checksum offload and TSO through uml_switch
# --vhost-user, with three front ends of our own (tests/net/vhost_fe.py
# offload): a and c negotiate the offloads (VIRTIO_NET_F_CSUM, GUEST_CSUM,
# HOST_TSO4/6, GUEST_TSO4/6), b none.  a sends broadcast TCP frames:
#  - c agreed REPLY_ACK: a message asking for a reply gets 0, one with
#    a reply of its own (GET_FEATURES) no second one;
#  - a GSO frame of 8000 bytes in IPv4 and one in IPv6 (MSS 1448): b gets
#    6 segments each, whose IP lengths, IPv4 ids and checksums, TCP
#    sequence numbers and checksums are right and whose payloads add up
#    to the frame's; c gets each frame whole, with its header (and the
#    port counters say b's frames were cut: offload.segmented);
#  - a segment whose checksum is left to do: b gets it filled in
#    (offload.checksummed), c the frame as it was or filled in;
#  - with a's port impaired on the way in (clamp 1500) and c's on the
#    way out (a delay), a GSO frame reaches both b and c as 6 segments:
#    impairment sees the wire's frames (none is clamped away);
#  - seven frames whose headers lie (UDP fragmentation, no segment size,
#    checksum not at the TCP header, beyond the end, an unknown flag, GSO
#    without a checksum, 300 segments): none comes out anywhere, each is
#    counted (drops.vnet on a's port) and the log says what the first was
#    (a good frame sent after them is the only one b and c get).
# A switch started with --no-offload offers none of these features.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need python3

VU=$T/vu.sock
switch_start sw -unix "$T/sw.ctl" --vhost-user "$VU"
MGMT=$T/sw.ctl.mgmt

fe() { bg "$1" python3 -u "$ROOT/tests/net/vhost_fe.py" "$2" "$3" "$T"; }
step() { wait_log "$T/$1.log" 15 "^$2\$" || fail "front end $1: no '$2': $(tail -3 "$T/$1.log")"; }
# vport K KEYS: KEYS of the K-th vhost-user port (by index: a, b, c)
vport() {
	uc -j ports | jget "sorted([p for p in d if p['kind'] == 'vhost-user'], key=lambda p: p['index'])[$1]$2"
}

fe of "$VU" offload
step of ready
[ "$(uc -j ports | jget "len([p for p in d if p['kind'] == 'vhost-user'])")" = 3 ] ||
	fail "not 3 vhost-user ports: $(uc ports)"
touch "$T/gso.go"
step of "gso v4 ok"
step of "gso v6 ok"
step of "csum ok"
seg=$(vport 1 "['counters']['offload']['segmented']")
sum=$(vport 1 "['counters']['offload']['checksummed']")
cseg=$(vport 2 "['counters']['offload']['segmented']")
log "b (no offloads): $seg GSO frames cut, $sum checksums filled in; c: $cseg cut"
[ "$seg" = 2 ] || fail "b's port counts $seg GSO frames cut for it, not 2"
[ "$sum" = 1 ] || fail "b's port counts $sum checksums filled in, not 1"
[ "$cseg" = 0 ] || fail "c, which takes TSO, had $cseg frames cut for it"
tx_b=$(vport 1 "['counters']['tx']") tx_c=$(vport 2 "['counters']['tx']")
[ "$tx_b" = 13 ] && [ "$tx_c" = 3 ] || fail "frames sent: $tx_b to b (not 13), $tx_c to c (not 3)"

idx() { vport "$1" "['index']"; }
uc port set "$(idx 0)" clamp 1500 in >/dev/null || fail "cannot impair a's port"
uc port set "$(idx 2)" delay 1ms >/dev/null || fail "cannot impair c's port"
touch "$T/impaired.go"
step of "impaired ok"
clamped=$(vport 0 "['impair']['in']['counters']['clamp_drop']")
log "impaired: a's clamp dropped $clamped; b and c got 6 segments each"
[ "$clamped" = 0 ] || fail "a's clamp of 1500 dropped $clamped frames: it saw the GSO frame, not its segments"
uc port set "$(idx 0)" clear in >/dev/null && uc port set "$(idx 2)" clear >/dev/null ||
	fail "cannot clear the impairments"

touch "$T/bad.go"
step of "bad ok"
vnet=$(vport 0 "['counters']['drops']['vnet']")
log "a's headers that lie: $vnet dropped (vnet)"
[ "$vnet" = 7 ] || fail "a's port counts $vnet vnet drops, not 7: $(vport 0 "['counters']")"
grep -q "port [0-9]*: virtio-net header: GSO type 3 (not offered) (dropped; counted as vnet drops)" "$T/sw.log" ||
	fail "the log does not name the first bad header: $(grep -i vnet "$T/sw.log")"
[ "$(vport 1 "['counters']['tx']")" = 20 ] || fail "b got frames with bad headers (or not the good one after them)"
touch "$T/end.go"
busywait 20 eval "! alive of" || fail "the front ends did not finish"
stop of || fail "front ends failed: $(tail -3 "$T/of.log")"
alive sw || fail "the switch died"
stop sw

# --no-offload: not offered
switch_start sw2 -unix "$T/sw2.ctl" --vhost-user "$T/vu2.sock" --no-offload
fe no "$T/vu2.sock" no-offload
busywait 20 eval "! alive no" || fail "the no-offload front end did not finish"
stop no || fail "with --no-offload: $(tail -3 "$T/no.log")"
grep -q "^none offered$" "$T/no.log" || fail "with --no-offload: $(cat "$T/no.log")"
log "ok: GSO frames cut for the port without TSO and carried whole to the one with it, a checksum filled in, impaired links see segments, 7 lying headers dropped and counted, --no-offload offers none"
