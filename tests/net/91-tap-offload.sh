#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 91-tap-offload: a tap port with offloads (--port tuntap:dev=TAP,offload=1:
# IFF_VNET_HDR, the host's checksum offload and TSO) beside a stock guest
# on a vhost-user port (virtio_net, offloads) and one on eth0=daemon, all
# in a network namespace whose host side is the tap:
#  - the namespace host sends the vhost guest 16 MB by TCP, and the guest
#    sends it 16 MB back, each compared byte for byte: the host's TSO
#    frames come in whole through the tap and go whole to the guest (the
#    ports' average frame sizes say so), nothing is cut either way;
#  - the host sends the daemon guest 8 MB: the switch cuts the host's GSO
#    frames for it (offload.segmented) and the copy is the same.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need python3

NS=to$UID8
TAP=to$UID8
netns_add "$NS"
tap_add "$TAP" "$NS"
ip -n "$NS" addr add 10.0.91.254/24 dev "$TAP"
VU=$T/vu.sock
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --vhost-user "$VU" \
	--port "tuntap:dev=$TAP,offload=1"
MGMT=$T/sw.ctl.mgmt
busywait 10 eval "ip -n $NS link show $TAP | grep -q LOWER_UP" ||
	fail "the switch did not attach to tap $TAP: $(tail -5 "$T/sw.log")"
dd if=/dev/urandom of="$T/blob" bs=1M count=16 2>/dev/null
head -c 8M "$T/blob" >"$T/blob8"

guest_modules virtio_net.ko
{ virtio_eth0 10.0.91.1/24; nc_take v 5001 /t/blob; cat <<'EOF2'
gw /t/h.listen 30 || exit 1
nc 10.0.91.254 5002 </t/blob || { echo "v: nc to the host failed"; exit 1; }
touch /t/v.sent
gw /t/done 90 || exit 1
EOF2
} | guest_script v
{ cat <<'EOF2'
ip addr add 10.0.91.2/24 dev eth0
ip link set eth0 up
EOF2
nc_take d 5003 /t/blob8; echo 'gw /t/done 90 || exit 1'; } | guest_script d
GUEST_NS=$NS guest_start v virtio_uml.device="$VU":1
GUEST_NS=$NS guest_start d eth0=daemon,,unix,"$T/sw.ctl"

# hsend FILE ADDR PORT / hrecv PORT FILE: the namespace host's end
hsend() {
	nsx "$NS" python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=60)
s.sendall(open(sys.argv[1], "rb").read())
s.close()' "$@"
}
pj() { uc -j ports | jget "[p for p in d if p['kind'] == '$1'][0]['counters']$2"; }
# avg KIND DIR [B0 F0]: the average frame of port KIND's DIR (rx, tx)
# since bytes B0 and frames F0; cnt KIND DIR: "BYTES FRAMES" now
cnt() { echo "$(pj "$1" "['$2_bytes']") $(pj "$1" "['$2']")"; }
avg() {
	local b f
	read -r b f <<<"$(cnt "$1" "$2")"
	b=$((b - ${3:-0})) f=$((f - ${4:-0}))
	echo $((b / (f ? f : 1)))
}

busywait 90 eval "[ -e '$T/v.listen' ] || [ -e '$T/v.rc' ]" && [ -e "$T/v.listen" ] ||
	{ guest_ok v 5; fail "the vhost guest did not come up"; }
hsend "$T/blob" 10.0.91.1 5001 || fail "the host could not send to the vhost guest"
busywait 60 eval "[ -e '$T/v.got' ] || [ -e '$T/v.rc' ]" && [ -e "$T/v.got" ] ||
	{ guest_ok v 5; fail "the vhost guest did not get the host's 16 MB"; }
tap_in=$(avg tuntap rx) v_out=$(avg vhost-user tx)
log "host -> vhost guest: frames in from the tap $tap_in bytes on average, out to the guest $v_out"
# over 1518 bytes on average (the largest frame an MTU of 1500 allows)
# proves GSO frames; their size follows the sender's pacing rate
[ "$tap_in" -gt 1518 ] || fail "the tap's frames average $tap_in bytes: no TSO from the host"
[ "$v_out" -gt 1518 ] || fail "the vhost guest got frames of $v_out bytes on average: cut on the way"

bg hr ip netns exec "$NS" python3 -c 'import socket, sys
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.0.91.254", 5002))
l.listen(1)
open(sys.argv[1] + ".ready", "w").close()
c, _ = l.accept()
with open(sys.argv[1], "wb") as f:
    while True:
        b = c.recv(65536)
        if not b:
            break
        f.write(b)' "$T/hgot"
busywait 10 eval "[ -e '$T/hgot.ready' ]" || fail "the host's listener did not start"
# from here on: what the guest sends (its ACKs of the first transfer
# were small frames)
read -r vb0 vf0 <<<"$(cnt vhost-user rx)"
read -r tb0 tf0 <<<"$(cnt tuntap tx)"
touch "$T/h.listen"
busywait 60 eval "[ -e '$T/v.sent' ] || [ -e '$T/v.rc' ]" && [ -e "$T/v.sent" ] ||
	{ guest_ok v 5; fail "the vhost guest could not send to the host"; }
busywait 30 eval "! alive hr" || fail "the host did not get the guest's 16 MB"
stop hr || fail "the host's listener failed: $(tail -3 "$T/hr.log")"
cmp -s "$T/hgot" "$T/blob" || fail "the host's copy from the vhost guest differs"
v_in=$(avg vhost-user rx "$vb0" "$vf0") tap_out=$(avg tuntap tx "$tb0" "$tf0")
read -r _ vf <<<"$(cnt vhost-user rx)"
read -r _ tf <<<"$(cnt tuntap tx)"
log "vhost guest -> host: frames in from the guest $v_in bytes on average, out to the tap $tap_out"
# (the guest's TCP sends the host segments of about its MSS here, unlike
# to a vhost guest in test 76: so only as many frames out as in)
[ $((tf - tf0)) -le $((vf - vf0)) ] ||
	fail "guest -> host: $((vf - vf0)) frames in, $((tf - tf0)) out to the tap: cut on the way"
[ "$(pj tuntap "['offload']['segmented']")" = 0 ] && [ "$(pj vhost-user "['offload']['segmented']")" = 0 ] ||
	fail "frames were cut between the tap and the vhost guest: $(uc -j ports)"

busywait 60 eval "[ -e '$T/d.listen' ] || [ -e '$T/d.rc' ]" && [ -e "$T/d.listen" ] ||
	{ guest_ok d 5; fail "the daemon guest did not come up"; }
hsend "$T/blob8" 10.0.91.2 5003 || fail "the host could not send to the daemon guest"
busywait 60 eval "[ -e '$T/d.got' ] || [ -e '$T/d.rc' ]" && [ -e "$T/d.got" ] ||
	{ guest_ok d 5; fail "the daemon guest did not get the host's 8 MB"; }
seg=$(pj daemon "['offload']['segmented']")
log "host -> daemon guest: $seg GSO frames cut for it"
[ "$seg" -gt 50 ] || fail "the daemon guest's port had $seg GSO frames cut for it"
touch "$T/done"
guest_ok v 30
guest_ok d 30
log "ok: 16 MB each way between the host's tap and a vhost guest (the host's in whole TSO frames), 8 MB from the host cut into segments for a daemon guest, every copy the same"
