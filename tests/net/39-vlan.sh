#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 39-vlan: 802.1Q VLANs on the switch's ports, with real stacks at both
# ends.  Two stock guests on trunk ports (--client-link trunk=10+20) load
# the stock 8021q module and make eth0.10 and eth0.20 (and guest a an
# eth0.30, a VLAN no port carries); two namespace hosts sit on access taps,
# HA on VLAN 10 (-tap DEV,vlan=10), HB on VLAN 20 (--port
# tuntap:dev=DEV,vlan=20).
#  - same-VLAN pings succeed both ways: guest <-> guest over VLANs 10 and
#    20 (tagged end to end), guest <-> HA on 10, guest <-> HB on 20;
#  - HA and HB share a subnet too (10.99.0.0/24), but not a VLAN: neither
#    reaches the other, either way;
#  - a tcpdump on each access tap sees its own VLAN's broadcasts, none of
#    the other VLAN's and no 802.1Q tag at all;
#  - guest a's VLAN 30 frames are dropped and counted (drops.vlan of its
#    port); the MAC table holds guest a's MAC once per VLAN (10 and 20) and
#    umlctl shows each port's VLANs (table and JSON);
#  - "umlctl port set HA vlan 20" moves HA to VLAN 20 at run time, the tap
#    port staying the same port: HA now reaches HB and the guests' VLAN 20
#    addresses, no longer VLAN 10, and its port's MAC table entries were
#    flushed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
need tcpdump

. "$(dirname "$0")/vlan-lib.sh"

NS=vs$UID8 HA=va$UID8 HB=vb$UID8
TA=ta$UID8 TB=tb$UID8
netns_add "$NS"
netns_add "$HA"
netns_add "$HB"
tap_add "$TA" "$NS"
tap_add "$TB" "$NS"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --client-link trunk=10+20 \
	-tap "$TA,vlan=10" --port "tuntap:dev=$TB,vlan=20"
CTL=$SWITCH_CTL MGMT=$T/sw.ctl.mgmt
for t in "$TA" "$TB"; do
	busywait 10 eval "ip -n $NS link show $t | grep -q LOWER_UP" ||
		fail "the switch did not attach to tap $t: $(tail -5 "$T/sw.log")"
done
# the hosts: each tap moves to its host's namespace (its port stays)
ip -n "$NS" link set "$TA" netns "$HA" || fail "move $TA to $HA"
ip -n "$NS" link set "$TB" netns "$HB" || fail "move $TB to $HB"
ip -n "$HA" link set "$TA" up
ip -n "$HB" link set "$TB" up
ip -n "$HA" addr add 10.10.0.100/24 dev "$TA"
ip -n "$HA" addr add 10.99.0.1/24 dev "$TA"
ip -n "$HB" addr add 10.20.0.100/24 dev "$TB"
ip -n "$HB" addr add 10.99.0.2/24 dev "$TB"
MAC_HA=$(ip -n "$HA" -br link show "$TA" | awk '{print $3}')
MAC_HB=$(ip -n "$HB" -br link show "$TB" | awk '{print $3}')
# what the switch sends to each tap (-Q in: not what the host sends)
bg dumpa ip netns exec "$HA" tcpdump -l -e -n -Q in -i "$TA"
bg dumpb ip netns exec "$HB" tcpdump -l -e -n -Q in -i "$TB"
wait_log "$T/dumpa.log" 10 "listening on" || fail "tcpdump on $TA did not start"
wait_log "$T/dumpb.log" 10 "listening on" || fail "tcpdump on $TB did not start"

vlan_guest a 1 "10 20 30" "10.10.0.2 10.20.0.2 10.10.0.100 10.20.0.100" \
	'ping -c 2 -w 3 10.30.0.2 && { echo "a: a reply on VLAN 30, which no port carries"; exit 1; }'
vlan_guest b 2 "10 20" "10.10.0.1 10.20.0.1 10.10.0.100 10.20.0.100"
GUEST_NS=$NS guest_start a eth0=daemon,02:00:00:39:00:0a,unix,"$CTL"
GUEST_NS=$NS guest_start b eth0=daemon,02:00:00:39:00:0b,unix,"$CTL"
vlan_guests_ping a b
log "ok: guests pinged each other on VLANs 10 and 20, HA on 10, HB on 20 (not VLAN 30)"

hping() { nsx "$1" ping -c 2 -w 10 "$2" >/dev/null; }
for a in 10.10.0.1 10.10.0.2; do
	hping "$HA" $a || { touch "$T/done"; fail "HA (VLAN 10) could not ping $a"; }
done
for a in 10.20.0.1 10.20.0.2; do
	hping "$HB" $a || { touch "$T/done"; fail "HB (VLAN 20) could not ping $a"; }
done
nsx "$HA" ping -c 2 -w 3 10.99.0.2 >/dev/null &&
	{ touch "$T/done"; fail "HA (VLAN 10) reached HB (VLAN 20)"; }
nsx "$HB" ping -c 2 -w 3 10.99.0.1 >/dev/null &&
	{ touch "$T/done"; fail "HB (VLAN 20) reached HA (VLAN 10)"; }
log "ok: the hosts reach the guests on their VLANs, not each other across VLANs (both ways)"

stop dumpa INT
stop dumpb INT
# HA's tap: VLAN 10's broadcasts (ARP for its addresses), none of VLAN 20's
grep -q "ff:ff:ff:ff:ff:ff.*10\.10\.0\." "$T/dumpa.log" ||
	fail "HA's tap saw no VLAN 10 broadcast: $(head -5 "$T/dumpa.log")"
grep -q "ff:ff:ff:ff:ff:ff.*10\.20\.0\." "$T/dumpb.log" ||
	fail "HB's tap saw no VLAN 20 broadcast: $(head -5 "$T/dumpb.log")"
! grep -E "10\.20\.0\.|10\.99\.0\.2|$MAC_HB" "$T/dumpa.log" ||
	fail "HA's tap (VLAN 10) saw frames of VLAN 20"
! grep -E "10\.10\.0\.|10\.99\.0\.1|$MAC_HA" "$T/dumpb.log" ||
	fail "HB's tap (VLAN 20) saw frames of VLAN 10"
! grep -Ei "802\.1Q|vlan [0-9]" "$T/dumpa.log" "$T/dumpb.log" ||
	fail "an access tap saw a tagged frame"
log "ok: each access tap saw its own VLAN's broadcasts, no other VLAN's, no tag"

# the guests' ports, by their MACs in the table; the same MAC in two VLANs
PA=$(uc -j fdb | jget "[e['port'] for e in d if e['mac'] == '02:00:00:39:00:0a'][0]") ||
	fail "guest a's MAC not in the table: $(uc fdb)"
[ "$(uc -j fdb | jget "sorted(e['vlan'] for e in d if e['mac'] == '02:00:00:39:00:0a')")" = "[10, 20]" ] ||
	fail "guest a's MAC is not in the table once in VLAN 10 and once in 20: $(uc fdb)"
uc fdb | grep -Eq "^02:00:00:39:00:0a +10 +$PA " || fail "umlctl fdb shows no VLAN column: $(uc fdb)"
[ "$(uc -j ports "$PA" | jget "d[0]['vlan']")" = '{"mode": "trunk", "vids": "10,20", "native": null}' ] ||
	fail "guest a's port JSON vlan: $(uc -j ports "$PA")"
[ "$(uc -j ports "$TA" | jget "d[0]['vlan']")" = '{"mode": "access", "pvid": 10}' ] ||
	fail "HA's port JSON vlan: $(uc -j ports "$TA")"
uc ports | grep -Eq "^ +$PA .* trunk 10,20 " || fail "umlctl ports shows no trunk: $(uc ports)"
uc ports | grep -Eq "^ +[0-9]+ $TA .* 10 " || fail "umlctl ports shows not HA's VLAN: $(uc ports)"
[ "$(uc -j ports "$PA" | jget "d[0]['counters']['drops']['vlan'] >= 2")" = True ] ||
	fail "guest a's VLAN 30 frames were not counted as vlan drops: $(uc ports "$PA")"
log "ok: fdb per (VLAN, MAC), ports' VLANs shown, VLAN 30 dropped and counted"

# run time: HA moves to VLAN 20, same port, no reconnection
IA=$(port_index "$TA")
bg events "$UMLCTL" -j -s "$MGMT" events
busywait 5 eval "[ \"\$(uc -j show | jget \"d['events']\")\" = 1 ]" ||
	fail "the event client did not start: $(cat "$T/events.log")"
uc port set "$TA" vlan 20 >"$T/set.out" 2>&1 || fail "port set $TA vlan 20: $(cat "$T/set.out")"
[ "$(port_index "$TA")" = "$IA" ] || fail "HA's port changed index"
[ "$(uc -j ports "$TA" | jget "d[0]['vlan']['pvid']")" = 20 ] || fail "HA's port is not on VLAN 20: $(uc ports "$TA")"
busywait 5 grep -q '"fdb_flush".*"port":'"$IA," "$T/events.log" ||
	fail "no fdb_flush event for HA's port: $(cat "$T/events.log")"
ip -n "$HA" addr add 10.20.0.101/24 dev "$TA"
hping "$HA" 10.99.0.2 || { touch "$T/done"; fail "HA, moved to VLAN 20, cannot reach HB"; }
hping "$HB" 10.99.0.1 || { touch "$T/done"; fail "HB cannot reach HA, moved to VLAN 20"; }
hping "$HA" 10.20.0.1 || { touch "$T/done"; fail "HA, moved to VLAN 20, cannot reach guest a's eth0.20"; }
nsx "$HA" ping -c 2 -w 3 10.10.0.1 >/dev/null &&
	{ touch "$T/done"; fail "HA, moved to VLAN 20, still reaches VLAN 10"; }
busywait 5 grep -q '"mac_learned".*"vlan":20,"port":'"$IA," "$T/events.log" ||
	fail "no mac_learned event of HA's port in VLAN 20: $(cat "$T/events.log")"
log "ok: port set $TA vlan 20 moved HA to VLAN 20 at run time (port $IA kept)"
touch "$T/done"
guest_ok a 30
guest_ok b 30
