#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 40-mcast: the mcast transport, in a network namespace whose lo carries
# multicast (the host is untouched).  Two stock guests on eth0=mcast
# (defaults 239.192.168.1:1102) ping each other; a switch with --port mcast
# joins a third, eth0=daemon guest to the same LAN and all three ping each
# other (the switch must drop its own looped-back frames, or it would learn
# the daemon guest's MAC on the mcast port and lose its replies); a raw UDP
# peer (socat) in the group sees the guests' frames as bare Ethernet in UDP
# to 239.192.168.1:1102, and a frame it sends reaches a guest.  Then QEMU
# (-netdev socket,mcast=239.192.168.1:1102, its iPXE boot ROM) gets a DHCP
# lease from udhcpd in a daemon guest behind the switch's mcast port: its
# DHCPREQUEST follows our OFFER, the ACK comes back.  Bad mcast specs are
# refused with a message naming the culprit.
. "$(dirname "$0")/lib.sh"
need socat od qemu-system-x86_64

NS=mc$UID8
netns_add "$NS"
ip -n "$NS" link set lo multicast on || fail "multicast on lo"
ip -n "$NS" route add 224.0.0.0/4 dev lo || fail "multicast route on lo"

# bad specs first: each exits non-zero naming the offending part
bad() {
	local spec=$1 word=$2 out
	if out=$(ip netns exec "$NS" "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" 2>&1 </dev/null); then
		fail "uml_switch --port '$spec' was accepted"
	fi
	grep -qF -- "$word" <<<"$out" || fail "--port '$spec': message does not name '$word': $out"
}
bad mcast,,1.2.3.4 "1.2.3.4"
bad mcast,,239.1.2.3,70000 "70000"
bad mcast,,239.1.2.3,1102,300 "300"
bad mcast,,239.1.2.3x "239.1.2.3x"
bad mcast:if=nosuch0 "nosuch0"
bad mcast:group=239.1.1.1,colour=red "colour"
bad ucast "remote"
bad ucast,,10.0.0.1,0 "0"
bad ucast,,10.0.0.1,5000,65536 "65536"
log "ok: bad mcast/ucast specs refused with the culprit named"

# the raw peer: every datagram to the group, appended to a file
bg raw ip netns exec "$NS" socat -u \
	UDP4-RECV:1102,reuseaddr,ip-add-membership=239.192.168.1:127.0.0.1 \
	OPEN:"$T/raw.bin",creat,append
busywait 10 eval "nsx $NS ss -uln | grep -q ':1102 '" || fail "socat did not bind 1102"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --port mcast

trio_scripts 10.0.0 inject.done
GUEST_NS=$NS guest_start a eth0=mcast,fe:fd:0a:00:00:01
GUEST_NS=$NS guest_start b eth0=mcast,fe:fd:0a:00:00:02
GUEST_NS=$NS guest_start c eth0=daemon,fe:fd:0a:00:00:03,unix,"$T/sw.ctl"

trio_wait

# The raw peer saw the mcast guests' ARP and ICMP as bare frames, and the
# daemon guest's frames too (forwarded by the switch's mcast port).
# rawhex: every byte the raw peer got, as one hex string
rawhex() { od -An -v -tx1 "$T/raw.bin" | tr -d ' \n'; }
hex=$(rawhex)
for m in fefd0a000001 fefd0a000002 fefd0a000003; do
	grep -q "$m" <<<"$hex" || fail "raw UDP peer never saw a frame from $m"
done
# a frame sent by the raw peer (an ARP request from 10.0.0.9 for 10.0.0.3,
# the daemon guest) is answered by c, and the reply crosses back
arp=ffffffffffff02000000000908060001080006040001020000000009
arp+=0a000009000000000000 arp+=0a000003
arp=${arp// /}
before=$(rawhex | grep -o '020000000009fefd0a0000030806000108000604000[2]' | wc -l)
printf "$(sed 's/../\\x&/g' <<<"$arp")" | ip netns exec "$NS" socat -u - UDP4-DATAGRAM:239.192.168.1:1102
busywait 10 eval "[ \$(rawhex | grep -o '020000000009fefd0a0000030806000108000604000[2]' | wc -l) -gt $before ]" ||
	fail "the daemon guest did not answer an ARP request sent by the raw peer"
touch "$T/inject.done"
trio_check
log "ok: mcast guests <-> each other and <-> daemon guest via --port mcast; raw UDP peer sees and injects frames"

# QEMU on the group, DHCP server behind the switch
GUEST_NS=$NS pxe_dhcp_start 10.0.0 "$T/sw.ctl" 52:54:00:12:34:56 mcast=239.192.168.1:1102
dhcp_seen() { rawhex | grep -q "$1"; }
# cookie 63825363, option 53 (message type): 03 request, 05 ack
busywait 120 dhcp_seen 63825363350105 ||
	fail "QEMU got no DHCP ACK through the mcast port (request seen: $(dhcp_seen 63825363350103 && echo yes || echo no); $(tail -3 "$T/qemu.log"))"
dhcp_seen 63825363350103 || fail "an ACK without QEMU's DHCPREQUEST"
rawhex | grep -q '525400123456' || fail "no frame from QEMU's MAC"
pxe_dhcp_check
log "ok: QEMU -netdev socket,mcast= leased an address from a daemon guest via --port mcast"
