#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 57-vxlan: our switch's vxlan port on the wire with other VTEPs.  Hosts
# are namespaces on one underlay bridge (10.57.0.0/24, fd00:57::/64): sw
# runs our switches and a stock guest a; lx has Linux vxlan devices, each
# bridged to a veth into namespace h (the LAN's host); vd runs vdeplug4's
# vde_plug on taps.  One guest NIC per switch, one LAN each:
#   eth0  vxlan:vni=57,remote=10.57.0.2,mtu=1450  Linux vxlan remote (IPv4)
#   eth1  vxlan:vni=58,group=239.1.57.1,if=s0,port=4790  Linux vxlan group
#   eth2  vxlan:vni=59,remote=fd00:57::2,local=fd00:57::1  IPv6 underlay
#   eth3  vxlan:vni=61,group=239.1.57.3,port=4791  vde_plug vxlan://
#   eth4  vxlan:vni=62,group=239.1.57.4,port=14789,srcport=1  vde_plug vxvde://
#   eth5  vxlan:vni=63,group=ff05::57:63,if=s0,port=4793  Linux vxlan group
#                                                  on the IPv6 underlay
# The guest and the far host ping each other on every LAN; 1 MiB crosses
# by TCP both ways on the first and guest to host on the IPv6 one,
# compared with cmp; a frame over the first port's MTU is refused and
# counted, never cut; bad datagrams (another VNI, no I flag, a short
# header, from a VTEP not on the list) are dropped and counted as bad.
# A vxlan port added at run time (umlctl port add, the group form with
# if=, under the switch's seccomp filter) is bound, then removed.
# vxvde:// listens for unicast on the port it sends from, hence srcport=1.
# vxlan:// (vdeplug 4.0.1) cannot answer unicast: it learns a VTEP with an
# empty address (recvmsg with msg_namelen 0) and its sendmsg to it fails
# with EDESTADDRREQ; the test shows that on the wire (tshark: our unicast
# to it is well-formed VXLAN) and in its system calls (strace), and passes
# only if that is why the pings fail (or if they do not fail).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"

need socat cmp python3 vde_plug ethtool strace tshark tcpdump
UL=vu$UID8 SW=vs$UID8 LX=vl$UID8 H=vh$UID8 VD=vv$UID8
for ns in "$UL" "$SW" "$LX" "$H" "$VD"; do netns_add "$ns"; done

# underlay: a bridge in UL, one veth to each host
ip -n "$UL" link add br0 type bridge mcast_snooping 0 || fail "underlay bridge"
ip -n "$UL" link set br0 up
ul_port() {	# NS IFNAME V4 V6
	ip -n "$1" link add "$2" type veth peer name "u$2" netns "$UL" ||
		fail "veth $2"
	ip -n "$UL" link set "u$2" master br0 up
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	ip -n "$1" link set "$2" up
}
ul_port "$SW" s0 10.57.0.1 fd00:57::1
ul_port "$LX" l0 10.57.0.2 fd00:57::2
ul_port "$VD" v0 10.57.0.3 fd00:57::3
# A veth hands a checksum left to "the hardware" on to the other namespace
# as it is: the inner TCP checksum of what Linux's vxlan sends would never
# be filled in (a real NIC would).  Checksums in software on lx's side.
ip netns exec "$LX" ethtool -K l0 tx off >/dev/null || fail "ethtool -K l0 tx off"

# lx: Linux VTEPs, each bridged to a veth hN into h (the LAN's host .2)
lx_lan() {	# VXNAME N MTU HOSTADDR vxlan-args...
	local vx=$1 n=$2 mtu=$3 addr=$4; shift 4
	ip -n "$LX" link add "$vx" type vxlan "$@" || fail "ip link add $vx type vxlan $*"
	ip -n "$LX" link add "br$n" type bridge
	ip -n "$LX" link add "x$n" type veth peer name "h$n" netns "$H"
	ip -n "$LX" link set "$vx" master "br$n" up
	ip -n "$LX" link set "x$n" master "br$n" up
	ip -n "$LX" link set "br$n" up
	ip netns exec "$H" sysctl -qw "net.ipv6.conf.h$n.disable_ipv6=1"
	ip -n "$H" link set "h$n" mtu "$mtu" up
	ip -n "$H" addr add "$addr/24" dev "h$n"
}
lx_lan vx4 0 1450 10.0.57.2 id 57 dstport 4789 remote 10.57.0.1 local 10.57.0.2 dev l0
lx_lan vxg 1 1450 10.0.58.2 id 58 dstport 4790 group 239.1.57.1 dev l0
lx_lan vx6 2 1430 10.0.59.2 id 59 dstport 4789 remote fd00:57::1 local fd00:57::2 dev l0
lx_lan vx6g 3 1430 10.0.63.2 id 63 dstport 4793 group ff05::57:63 dev l0

# vd: vde_plug between a VXLAN LAN and a tap
vd_lan() {	# TAP ADDR URL
	ip -n "$VD" tuntap add "$1" mode tap || fail "tap $1"
	ip netns exec "$VD" sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip -n "$VD" link set "$1" mtu 1450 up
	ip -n "$VD" addr add "$2/24" dev "$1"
	bg "plug-$1" ip netns exec "$VD" strace -f -e trace=sendmsg -o "$T/plug-$1.strace" \
		vde_plug "$3" "tap://$1"
}
vd_lan vt0 10.0.61.2 "vxlan://239.1.57.3/vni=61/port=4791/if=v0"
vd_lan vt1 10.0.62.2 "vxvde://239.1.57.4/vni=62/port=14789/if=v0"

SPECS=(
	"vxlan:vni=57,remote=10.57.0.2,mtu=1450"
	"vxlan:vni=58,group=239.1.57.1,if=s0,port=4790"
	"vxlan:vni=59,remote=fd00:57::2,local=fd00:57::1"
	"vxlan:vni=61,group=239.1.57.3,if=s0,port=4791"
	"vxlan:vni=62,group=239.1.57.4,if=s0,port=14789,srcport=1"
	"vxlan:vni=63,group=ff05::57:63,if=s0,port=4793"
)
declare -A SPEC_OF=([57]=0 [58]=1 [59]=2 [61]=3 [62]=4 [63]=5)
NICS=()
for i in 0 1 2 3 4 5; do
	SWITCH_NS=$SW switch_start "sw$i" -unix "$T/sw$i.ctl" --port "${SPECS[$i]}"
	NICS+=("eth$i=daemon,,unix,$T/sw$i.ctl")
done
busywait 10 eval "nsx $SW ss -uln | grep -q ':14789 '" ||
	fail "the vxlan ports are not bound: $(nsx "$SW" ss -uln)"
for p in plug-vt0 plug-vt1; do
	alive "$p" || fail "$p exited: $(cat "$T/$p.log")"
done

head -c 1048576 /dev/urandom >"$T/data.bin"
bg cap ip netns exec "$VD" tcpdump -U -ni v0 -w "$T/v0.pcap" udp port 4791
wait_log "$T/cap.log" 10 "listening on" || fail "tcpdump on v0 did not start: $(cat "$T/cap.log")"
SIZE=1048576
bg rx57 ip netns exec "$H" socat -u TCP-LISTEN:5000,bind=10.0.57.2 CREATE:"$T/rx57.bin"
bg rx59 ip netns exec "$H" socat -u TCP-LISTEN:5002,bind=10.0.59.2 CREATE:"$T/rx59.bin"
busywait 10 eval "nsx $H ss -tln | grep -q ':5002 '" || fail "socat listeners did not start"

guest_script a <<EOF
for n in 0 1 2 3 4 5; do ip link set eth\$n up; done
ip addr add 10.0.57.1/24 dev eth0
ip addr add 10.0.58.1/24 dev eth1
ip addr add 10.0.59.1/24 dev eth2
ip addr add 10.0.61.1/24 dev eth3
ip addr add 10.0.62.1/24 dev eth4
ip addr add 10.0.63.1/24 dev eth5
for net in 57 58 59 61 62 63; do
	ping -c 4 -w 20 10.0.\$net.2 >/t/p\$net.out 2>&1
	echo \$? >/t/p\$net.rc
done
# over eth0's port mtu=1450: a 1514-byte frame is refused, 1464 passes
ping -c 2 -w 4 -s 1472 10.0.57.2 >/t/big.out 2>&1; echo \$? >/t/big.rc
ping -c 2 -w 10 -s 1422 10.0.57.2 >/t/fit.out 2>&1; echo \$? >/t/fit.rc
timeout 30 nc 10.0.57.2 5000 </t/data.bin || echo "a: send on 57 failed"
timeout 30 nc 10.0.59.2 5002 </t/data.bin || echo "a: send on 59 failed"
# busybox nc ends at EOF of its stdin: give it one that stays open
tail -f /dev/null | nc -l -p 5001 >/tmp/in.bin &
lw 5001
touch /t/a.listen
gw /t/h2a.sent 60 || exit 1
i=0
while [ "\$(wc -c </tmp/in.bin)" -lt $SIZE ] && [ \$i -lt 100 ]; do
	sleep 0.2; i=\$((i + 1))
done
cmp /tmp/in.bin /t/data.bin && touch /t/h2a.ok
touch /t/a.done
gw /t/host.done 90
EOF
GUEST_NS=$SW guest_start a "${NICS[@]}"
busywait 120 test -e "$T/a.listen" || { _guest_tail a >&2; fail "guest a did not get to its TCP listener"; }
ip netns exec "$H" socat -u FILE:"$T/data.bin" TCP:10.0.57.1:5001 ||
	fail "h: TCP to the guest on 57 failed"
touch "$T/h2a.sent"
busywait 60 test -e "$T/a.done" || { _guest_tail a >&2; fail "guest a did not finish"; }

# the far hosts ping the guest
declare -A FAR=([57]="$H" [58]="$H" [59]="$H" [61]="$VD" [62]="$VD" [63]="$H")
declare -A BACK=()
for net in 57 58 59 61 62 63; do
	if ip netns exec "${FAR[$net]}" ping -c 3 -w 10 "10.0.$net.1" >"$T/b$net.out" 2>&1; then
		BACK[$net]=ok
	else
		BACK[$net]=no
	fi
done
touch "$T/host.done"
guest_ok a 60

res() { [ "$(cat "$T/p$1.rc" 2>/dev/null)" = 0 ] && [ "${BACK[$1]}" = ok ]; }
for net in 57 58 59 63; do
	res "$net" || fail "LAN $net (${SPECS[${SPEC_OF[$net]}]}): guest -> host: $(cat "$T/p$net.out"); host -> guest: $(cat "$T/b$net.out")"
done
log "ok: a stock guest and a host behind a Linux vxlan device ping each other: unicast IPv4, group, unicast IPv6 underlay, group on the IPv6 underlay"

[ "$(cat "$T/big.rc")" != 0 ] || fail "a 1514-byte frame crossed the mtu=1450 port: $(cat "$T/big.out")"
[ "$(cat "$T/fit.rc")" = 0 ] || fail "a 1464-byte frame did not cross the mtu=1450 port: $(cat "$T/fit.out")"
st=$(switch_stats sw0) || fail "no stats from sw0"
ref=$(sed -n 's/.* vxlan .*refused=\([0-9]*\).*/\1/p' <<<"$st")
[ "${ref:-0}" -ge 2 ] || fail "the frames over the MTU were not counted as refused: $st"
log "ok: inner MTU 1450 enforced: 1514-byte frames refused ($ref counted), 1464-byte ones pass"

busywait 30 eval "! alive rx57 && ! alive rx59" || fail "the TCP transfers to h did not end"
cmp "$T/rx57.bin" "$T/data.bin" || fail "1 MiB guest -> host on 57 (IPv4 remote) differs"
cmp "$T/rx59.bin" "$T/data.bin" || fail "1 MiB guest -> host on 59 (IPv6 underlay) differs"
[ -e "$T/h2a.ok" ] || fail "1 MiB host -> guest on 57 differs or is short: $(cat "$T/a.out")"
log "ok: 1 MiB by TCP, guest -> host and host -> guest over IPv4, guest -> host over the IPv6 underlay, byte for byte"

# bad datagrams to sw0's port: counted as bad and never received (the
# switch would learn their inner source MAC 02:00:00:00:57:99); a good one
# from 02:00:00:00:57:98 shows it would
MGMT=$T/sw0.ctl.mgmt
st=$(switch_stats sw0)
bad0=$(sed -n 's/.* vxlan .*bad=\([0-9]*\)).*/\1/p' <<<"$st")
inject() {	# NS SRC VNI:FLAGS:LEN:MACBYTE...
	ip netns exec "$1" python3 - "$@" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0))
for spec in sys.argv[3:]:
    vni, flags, length, last = (int(x, 0) for x in spec.split(':'))
    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x57' + bytes([last]) + \
        b'\x08\x06' + b'\x00' * 46
    d = struct.pack('!B3xI', flags, vni << 8) + frame
    s.sendto(d[:length], ('10.57.0.1', 4789))
PY
}
inject "$LX" 10.57.0.2 58:0x08:68:0x99 57:0x00:68:0x99 57:0x08:7:0x99 57:0x08:21:0x99
inject "$VD" 10.57.0.3 57:0x08:68:0x99
inject "$LX" 10.57.0.2 57:0x08:68:0x98
fdb_has() { uc -j fdb | jget "any(e['mac'] == '$1' for e in d)"; }
busywait 5 eval "[ \"\$(fdb_has 02:00:00:00:57:98)\" = True ]" ||
	fail "the good datagram's frame was not received (not learned): $(uc -j fdb)"
st=$(switch_stats sw0)
bad1=$(sed -n 's/.* vxlan .*bad=\([0-9]*\)).*/\1/p' <<<"$st")
[ "$bad1" = $((bad0 + 5)) ] || fail "bad datagrams counted: $bad0 -> $bad1, want +5: $st"
[ "$(fdb_has 02:00:00:00:57:99)" = False ] || fail "a bad datagram's frame was received: $(uc -j fdb)"
log "ok: another VNI, no I flag, a short header, a short frame, an unknown VTEP: 5 dropped as bad, none received (the good one after them was)"

# a vxlan port at run time: the switch is sandboxed by now
uc port add "vxlan:vni=60,group=239.1.57.9,if=s0,port=4792" name vx60 >"$T/add.txt" 2>&1 ||
	fail "umlctl port add vxlan: $(cat "$T/add.txt")"
busywait 5 eval "nsx $SW ss -uln | grep -q ':4792 '" ||
	fail "the vxlan port added at run time is not bound: $(nsx "$SW" ss -uln)"
uc port del vx60 >/dev/null || fail "umlctl port del vx60"
busywait 5 eval "! nsx $SW ss -uln | grep -q ':4792 '" || fail "port del vx60 left its socket"
alive sw0 || fail "sw0 died: $(tail -5 "$T/sw0.log")"
log "ok: a vxlan port added (group form, if=) and removed at run time"

# vdeplug4: vxvde:// joins (srcport=1); vxlan:// must, or fail for the
# one known reason
res 62 || fail "LAN 62 (${SPECS[4]}): guest -> tap: $(cat "$T/p62.out"); tap -> guest: $(cat "$T/b62.out")"
log "ok: vde_plug vxvde:// and the guest ping each other (srcport=1)"
if res 61; then
	log "ok: vde_plug vxlan:// and the guest ping each other"
else
	stop cap
	ours=$(tshark -r "$T/v0.pcap" -d udp.port==4791,vxlan -Y \
		'ip.src==10.57.0.1 && ip.dst==10.57.0.3 && udp.dstport==4791 && vxlan.flag_i==1 && vxlan.vni==61' 2>/dev/null | wc -l)
	[ "$ours" -ge 1 ] ||
		fail "LAN 61: no pings, and none of our unicast datagrams to vde_plug's VTEP (10.57.0.3:4791, I flag, VNI 61) on the wire: $(cat "$T/p61.out")"
	bad=$(grep -c 'msg_namelen=0,.*= -1 EDESTADDRREQ' "$T/plug-vt0.strace")
	[ "$bad" -ge 1 ] ||
		fail "LAN 61: no pings, and not for vde_plug's empty learned address: $(grep -v '= [0-9]' "$T/plug-vt0.strace" | head -5)"
	log "known: vde_plug vxlan:// (vdeplug 4.0.1) cannot answer unicast: $ours well-formed unicast VXLAN datagrams of ours reached it, and its $bad unicast sends went to the empty address it learned for us (sendmsg msg_namelen=0: EDESTADDRREQ); broadcasts pass"
fi
