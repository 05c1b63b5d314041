#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 52-vlan-bridge: the Linux kernel's bridge as a real 802.1Q peer.  The
# bridge runs in a stock guest "r" (this host's kernel has no
# CONFIG_BRIDGE_VLAN_FILTERING; the stock UML kernel has), made with the
# host's own iproute2 (ip, bridge) run in the guest from the host's root
# mounted by hostfs: br0 with vlan_filtering 1, its port eth0 a trunk of
# the switch (VLANs 10 and 20 tagged, the bridge's default pvid 1
# untagged) and three access ports, veths to namespace hosts in the guest:
# H1 on pvid 1, H10 on VLAN 10, H20 on VLAN 20.  Every client of the
# switch is a trunk of 10 and 20 with native VLAN 1 (--client-link); two
# more stock guests, a and b, load 8021q and make eth0.10 and eth0.20,
# their plain eth0 being VLAN 1:
#  - each guest pings H1 (native: untagged across the trunk), H10 and H20
#    (tagged) and the other guest on all three VLANs; each host pings both
#    guests on its VLAN: both directions;
#  - the bridge learned the guests' MACs on its trunk port in VLANs 1, 10
#    and 20, and the switch the hosts' MACs on its port, each in its VLAN.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need ip bridge

guest_modules bridge.ko
LOAD_BRIDGE=$LOAD
guest_modules veth.ko
LOAD_VETH=$LOAD
. "$(dirname "$0")/vlan-lib.sh"

NS=bs$UID8
netns_add "$NS"
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --client-link trunk=10+20,native=1
CTL=$SWITCH_CTL MGMT=$T/sw.ctl.mgmt

# the bridge and its hosts, in guest r
guest_script r <<EOF2
mkdir -p /tmp/mod /tmp/host
mount -t hostfs none /tmp/mod -o $MODDIR || exit 1
( $LOAD_BRIDGE ) || { echo "cannot load bridge.ko"; exit 1; }
( $LOAD_VETH ) || { echo "cannot load veth.ko"; exit 1; }
mount -t hostfs none /tmp/host -o / || exit 1
# the guest's own proc and sys in there (the host's, through hostfs, would
# be the UML kernel process's)
mount -t proc proc /tmp/host/proc && mount -t sysfs sys /tmp/host/sys || exit 1
# (full paths: by name, busybox's chroot would run its own applets)
IP="chroot /tmp/host /usr/bin/ip" BR="chroot /tmp/host /usr/sbin/bridge"
for c in all default; do echo 1 >/proc/sys/net/ipv6/conf/\$c/disable_ipv6; done
\$IP link add br0 type bridge vlan_filtering 1 || exit 1
\$IP link set eth0 master br0 || exit 1
\$BR vlan add dev eth0 vid 10 || exit 1
\$BR vlan add dev eth0 vid 20 || exit 1
for v in 1 10 20; do
	unshare -n sleep 600 &
	echo \$! >/tmp/h\$v.pid
	# (once it has its own network namespace)
	while [ "\$(readlink /proc/\$!/ns/net)" = "\$(readlink /proc/self/ns/net)" ]; do
		sleep 0.1
	done
	\$IP link add v\$v type veth peer name p\$v || exit 1
	\$IP link set p\$v netns \$(cat /tmp/h\$v.pid) || exit 1
	\$IP link set v\$v master br0 || exit 1
	if [ \$v != 1 ]; then
		\$BR vlan add dev v\$v vid \$v pvid untagged || exit 1
		\$BR vlan del dev v\$v vid 1 || exit 1
	fi
	\$IP link set v\$v up
	nsenter -t \$(cat /tmp/h\$v.pid) -n sh -c "ip link set lo up; ip link set p\$v up; ip addr add 10.\$v.0.100/24 dev p\$v; ip link show p\$v | sed -n 's|.*link/ether \\([0-9a-f:]*\\).*|\\1|p' >/t/h\$v.mac" || exit 1
done
ip link set eth0 up
ip link set br0 up
\$BR vlan show >/t/r.vlans
touch /t/r.up
gw /t/pinged 180 || exit 1
for v in 1 10 20; do
	for n in 1 2; do
		nsenter -t \$(cat /tmp/h\$v.pid) -n ping -c 2 -w 10 10.\$v.0.\$n ||
			{ echo "H\$v could not ping 10.\$v.0.\$n"; exit 1; }
	done
done
\$BR fdb show dev eth0 >/t/r.fdb
touch /t/r.done
gw /t/done 60
EOF2
GUEST_NS=$NS guest_start r eth0=daemon,02:00:00:52:00:01,unix,"$CTL"
busywait 120 eval "[ -e '$T/r.up' ] || [ -e '$T/r.rc' ]" && [ -e "$T/r.up" ] ||
	{ guest_ok r 5; fail "guest r could not make its VLAN-filtering bridge"; }
grep -Eq "eth0 +1 PVID Egress Untagged" "$T/r.vlans" && grep -Eq "^ +10 *$" "$T/r.vlans" ||
	fail "the bridge's VLANs are not as set: $(cat "$T/r.vlans")"

vlan_guest a 1 "1 10 20" "10.1.0.100 10.10.0.100 10.20.0.100 10.1.0.2 10.10.0.2 10.20.0.2"
vlan_guest b 2 "1 10 20" "10.1.0.100 10.10.0.100 10.20.0.100 10.1.0.1 10.10.0.1 10.20.0.1"
GUEST_NS=$NS guest_start a eth0=daemon,02:00:00:52:00:0a,unix,"$CTL"
GUEST_NS=$NS guest_start b eth0=daemon,02:00:00:52:00:0b,unix,"$CTL"
vlan_guests_ping a b
log "ok: the guests pinged H1 (native, untagged), H10 and H20 (tagged) behind the bridge, and each other"
touch "$T/pinged"
busywait 120 eval "[ -e '$T/r.done' ] || [ -e '$T/r.rc' ]" && [ -e "$T/r.done" ] ||
	{ touch "$T/done"; guest_ok r 10; fail "the bridge's hosts could not ping the guests"; }
log "ok: H1, H10 and H20 pinged both guests on their VLANs"

# the bridge saw the guests on its trunk port in each VLAN ...
for v in 1 10 20; do
	for m in 02:00:00:52:00:0a 02:00:00:52:00:0b; do
		grep -q "^$m .*vlan $v " "$T/r.fdb" ||
			{ touch "$T/done"; fail "the bridge did not learn $m on its eth0 in VLAN $v: $(cat "$T/r.fdb")"; }
	done
done
# ... and the switch the hosts on the bridge's port, each in its VLAN
ports_of() { uc -j fdb | jget "sorted(set(e['port'] for e in d if e['mac'] in ($1)))"; }
PR=$(ports_of "'$(cat "$T/h1.mac")',") || fail "H1's MAC is not in the table: $(uc fdb)"
PR=${PR#[}
PR=${PR%]}
[ "$(ports_of "'02:00:00:52:00:0a', '02:00:00:52:00:0b'" | grep -c "\b$PR\b")" = 0 ] ||
	fail "H1 is on a guest's port ($PR): $(uc fdb)"
for v in 1 10 20; do
	mac=$(cat "$T/h$v.mac")
	[ "$(uc -j fdb | jget "[(e['port'], e['vlan']) for e in d if e['mac'] == '$mac']")" = "[[$PR, $v]]" ] ||
		{ touch "$T/done"; fail "the switch has not H$v ($mac) on port $PR in VLAN $v alone: $(uc fdb)"; }
done
log "ok: each side learned the other's stations on the trunk, per VLAN"
touch "$T/done"
guest_ok a 30
guest_ok b 30
guest_ok r 30
