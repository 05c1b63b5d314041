#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 73-kernel-vxlan: one L2 segment (VNI 73) across four VTEPs on an underlay
# bridge (10.73.0.0/24), every one in its own namespace: host A, our switch
# (--port vxlan:vni=73,remote=...) with stock guest a; host B, the same with
# stock guest b; host C, a Linux vxlan device (head-end replication by
# all-zero fdb entries) bridged with C's own address; host D, our kernel k
# whose NIC is itself a VTEP (eth0=vxlan:vni=73,remote=...).  a, b, k and C
# ping each other, every pair both ways.  Then jumbo frames from A's switch
# to B's, over the 1500-byte underlay in IP fragments: 65499 bytes (the
# most one IPv4 UDP datagram carries) arrive whole; 65500 is refused at A,
# counted, never cut.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

need ethtool bridge
UL=ku$UID8 A=ka$UID8 B=kb$UID8 C=kc$UID8 D=kd$UID8
for ns in "$UL" "$A" "$B" "$C" "$D"; do netns_add "$ns"; done
ip -n "$UL" link add br0 type bridge || fail "underlay bridge"
ip -n "$UL" link set br0 up
n=0
for ns in "$A" "$B" "$C" "$D"; do
	n=$((n + 1))
	ip -n "$ns" link add u0 type veth peer name "u$n" netns "$UL" || fail "veth u$n"
	ip -n "$UL" link set "u$n" master br0 up
	ip -n "$ns" addr add "10.73.0.$n/24" dev u0
	ip -n "$ns" link set u0 up
done
# remotes N: every underlay address but 10.73.0.N, '+'-separated
remotes() {
	local i out=
	for i in 1 2 3 4; do
		[ "$i" = "$1" ] || out=${out:+$out+}10.73.0.$i
	done
	echo "$out"
}

# C: Linux vxlan, flooding to the three others; a veth would hand the inner
# checksum on unfilled (see 57-vxlan), so checksums in software
ip netns exec "$C" ethtool -K u0 tx off >/dev/null || fail "ethtool -K u0 tx off"
ip -n "$C" link add vx0 type vxlan id 73 dstport 4789 local 10.73.0.3 dev u0 ||
	fail "ip link add vx0 type vxlan"
for i in 1 2 4; do
	ip netns exec "$C" bridge fdb append 00:00:00:00:00:00 dev vx0 dst "10.73.0.$i" ||
		fail "bridge fdb append ... dst 10.73.0.$i"
done
ip -n "$C" link add br1 type bridge
ip -n "$C" link set vx0 master br1 up
ip -n "$C" link set br1 mtu 1450 up
ip -n "$C" addr add 10.0.73.3/24 dev br1

SWITCH_NS=$A switch_start swa -unix "$T/swa.ctl" --port "vxlan:vni=73,remote=$(remotes 1)"
SWITCH_NS=$B switch_start swb -unix "$T/swb.ctl" --port "vxlan:vni=73,remote=$(remotes 2)"

# guest NAME ADDR: up, wait for the others, ping each of them 3 times
for g in a:1 b:2 k:4; do
	name=${g%:*} me=${g#*:}
	peers=
	for p in 1 2 3 4; do [ "$p" = "$me" ] || peers="$peers $p"; done
	guest_script "$name" <<EOF
ip addr add 10.0.73.$me/24 dev eth0
ip link set eth0 up
touch /t/$name.up
gw /t/a.up 60 && gw /t/b.up 60 && gw /t/k.up 60 || exit 1
rc=0
for p in $peers; do
	ping -c 3 -w 20 10.0.73.\$p >/t/$name-\$p.out 2>&1 || { echo "$name: no reply from .\$p"; rc=1; }
done
touch /t/$name.done
gw /t/host.done 90
exit \$rc
EOF
done
GUEST_NS=$A stock_guest a "eth0=daemon,fe:fd:0a:49:00:01,unix,$T/swa.ctl"
GUEST_NS=$B stock_guest b "eth0=daemon,fe:fd:0a:49:00:02,unix,$T/swb.ctl"
GUEST_NS=$D our_guest k "eth0=vxlan:vni=73,remote=$(remotes 4),local=10.73.0.4,mac=fe:fd:0a:49:00:04"
for g in a b k; do
	busywait 120 test -e "$T/$g.done" || { _guest_tail "$g" >&2; fail "guest $g did not finish pinging"; }
done
for p in 1 2 4; do
	ip netns exec "$C" ping -c 3 -w 10 "10.0.73.$p" >"$T/c-$p.out" 2>&1 ||
		fail "host C (Linux vxlan) got no reply from 10.0.73.$p: $(cat "$T/c-$p.out")"
done
touch "$T/host.done"
for g in a b k; do guest_ok "$g" 60; done
for f in "$T"/[abk]-*.out "$T"/c-*.out; do
	grep -Eq ' 3 (packets )?received' "$f" || fail "$(basename "$f" .out): not 3/3: $(grep received "$f")"
done
log "ok: stock guests on two of our switches, our kernel's eth0=vxlan and a Linux vxlan host share VNI 73: every pair pinged 3/3 both ways"

need_plug
plug_big 65499 "$B" "$T/swb.ctl" "$A" "$T/swa.ctl"
ref0=$(switch_stats swa | sed -n 's/.* vxlan .*refused=\([0-9]*\).*/\1/p')
nsx "$A" "$PLUG" -l 65500 "$T/swa.ctl" send 1 >"$T/bigsend2.log" 2>&1 ||
	fail "could not send a 65500-byte frame: $(cat "$T/bigsend2.log")"
busywait 5 eval "[ \$(switch_stats swa | sed -n 's/.* vxlan .*refused=\([0-9]*\).*/\1/p') -gt $ref0 ]" ||
	fail "the 65500-byte frame was not refused at swa's vxlan port: $(switch_stats swa)"
log "ok: 65499-byte frames crossed two of our switches by VXLAN in IP fragments; a 65500-byte one was refused, counted"
