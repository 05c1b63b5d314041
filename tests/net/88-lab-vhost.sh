#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 88-lab-vhost: uml-lab's DOMAIN[transport]=vhost-user, run by an
# unprivileged user: the machines' interfaces on such a domain are
# virtio-net devices (the stock kernel's virtio_uml, virtio_net loaded at
# boot) on the domain switch's vhost-user socket, or on their own hub's
# when the interface has VLAN settings.  A machine with a virtio interface
# at eth0 and a daemon one at eth1, and one the other way round: every
# interface has its number, its driver (virtio_net or uml-netdev) and
# uml-lab's stable MAC; the machines ping across each domain; the vhost
# domain's switch has vhost-user ports only; check shows the transport;
# a bad transport is refused with FILE:LINE; stop leaves nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need uml_mconsole

L=$T/lab
mkdir -p "$L"
cat >"$L/lab.conf" <<'EOF2'
LAB_DESCRIPTION="vhost-user domains A and C, a daemon domain B"
A[transport]=vhost-user
C[transport]="vhost-user"
B[transport]=daemon
pc1[0]=A
pc2[0]=A
pc2[1]=B
pc3[0]=B
pc3[1]=C
pc3[1][vlan]=20
pc4[0]=C
pc4[0][vlan]=20
EOF2
addrs() {	# MACHINE ADDR...: ADDR on eth0, eth1, ...
	local m=$1 i=0 a; shift
	for a in "$@"; do
		echo "ip addr add $a/24 dev eth$i && ip link set eth$i up"
		i=$((i + 1))
	done >"$L/$m.startup"
}
addrs pc1 10.88.1.1
addrs pc2 10.88.1.2 10.88.2.2
addrs pc3 10.88.2.3 10.88.3.3
addrs pc4 10.88.3.4

test_user umlnet-lab88
mkdir -p "$T/user"
chown -R "$TEST_USER" "$T/user"
LAB_AS=("${AS_USER[@]}")
RTB=$T/user/rt
x() { lab_cmd "$RTB" -d "$L" exec "$@"; }

out=$(lab_cmd "$RTB" check "$L") || fail "check: $out"
grep -qxF "  domain A: switch, vhost-user" <<<"$out" && grep -qxF "  domain B: switch" <<<"$out" &&
	grep -qxF "  domain C: switch, vhost-user" <<<"$out" || fail "check: $out"
lab_cmd "$RTB" start "$L" >"$T/start.log" 2>&1 || fail "start: $(tail -20 "$T/start.log")"
RT=$(lab_rtdir "$RTB" "$L")

# ifs MACHINE: "ethN MAC DRIVER" of each interface
ifs() {
	x "$1" sh -c 'for i in /sys/class/net/eth*; do
		echo "${i##*/} $(cat "$i/address") $(basename "$(readlink "$i/device/driver")")"; done'
}
for want in "pc1 eth0 virtio_net" "pc2 eth0 virtio_net" "pc2 eth1 uml-netdev" \
	    "pc3 eth0 uml-netdev" "pc3 eth1 virtio_net" "pc4 eth0 virtio_net"; do
	read -r m i drv <<<"$want"
	got=$(ifs "$m") || fail "$m: no interface list: $got"
	grep -Eq "^$i fe:fd:([0-9a-f]{2}:){3}0${i#eth} $drv\$" <<<"$got" ||
		fail "$m: want $i with uml-lab's MAC and driver $drv: $got"
done
[ "$(ifs pc2 | awk '$1 == "eth0" { print $2 }')" != "$(ifs pc1 | awk '$1 == "eth0" { print $2 }')" ] ||
	fail "pc1 and pc2 have the same MAC"
log "ok: interfaces numbered as in lab.conf, virtio_net on the vhost-user domains, uml-lab's MACs"

x pc1 ping -c 2 -w 10 10.88.1.2 >"$T/p1" || fail "pc1 -> pc2 over A (vhost-user): $(cat "$T/p1")"
x pc2 ping -c 2 -w 10 10.88.2.3 >"$T/p2" || fail "pc2 -> pc3 over B (daemon): $(cat "$T/p2")"
x pc3 ping -c 2 -w 10 10.88.3.4 >"$T/p3" || fail "pc3 -> pc4 over C (vhost-user, VLAN 20): $(cat "$T/p3")"
kinds=$("${LAB_AS[@]}" "$UMLCTL" -s "$RT/sw/A.ctl.mgmt" -j ports | grep -o '"kind":"[a-z-]*"' | sort | uniq -c)
[ "$(echo $kinds)" = '2 "kind":"vhost-user"' ] || fail "A's ports: $kinds"
kinds=$("${LAB_AS[@]}" "$UMLCTL" -s "$RT/sw/pc4@0.ctl.mgmt" -j ports | grep -o '"kind":"[a-z-]*"' | sort | uniq -c)
grep -q '1 "kind":"vhost-user"' <<<"$kinds" || fail "pc4's eth0 hub has no vhost-user port: $kinds"
log "ok: pings over both vhost-user domains and the daemon one; A's switch has 2 vhost-user ports"

lab_stop_clean "$RTB" "$L"
[ -z "$(find "$RTB" -mindepth 1 2>/dev/null)" ] || fail "left in $RTB: $(find "$RTB" -mindepth 1)"
LAB_AS=()

mkdir -p "$T/bad"
printf '%s\n' 'pc1[0]=A' 'A[transport]=vde' >"$T/bad/lab.conf"
want="$T/bad/lab.conf:2: A[transport]: 'vde' is not daemon or vhost-user"
out=$(lab_cmd "$T/rt" check "$T/bad" 2>&1) && fail "a bad transport accepted: $out"
grep -qxF "$want" <<<"$out" || fail "bad transport: '$out', want '$want'"
log "ok: stop left nothing; a bad transport refused: $want"
