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

for g in a:1 b:2 c:3; do
	n=${g%:*} i=${g#*:}
	guest_script "$n" <<EOF2
ip addr add 10.0.1.$i/24 dev eth0
ip link set eth0 up
touch /t/$n.up
gw /t/a.up && gw /t/b.up && gw /t/c.up || exit 1
for p in 1 2 3; do
	[ \$p = $i ] && continue
	ping -c 3 -w 20 10.0.1.\$p || { echo "$n: no reply from 10.0.1.\$p"; exit 1; }
done
touch /t/$n.done
gw /t/a.done 60 && gw /t/b.done 60 && gw /t/c.done 60
EOF2
done
# a: listens on 5001, sends to the switch's 5002; c: 5003 <-> 5004
GUEST_NS=$NS guest_start a eth0=ucast,fe:fd:0a:00:01:01,127.0.0.1,5001,5002
GUEST_NS=$NS guest_start b eth0=daemon,fe:fd:0a:00:01:02,unix,"$T/sw.ctl"
GUEST_NS=$NS guest_start c eth0=ucast,fe:fd:0a:00:01:03,127.0.0.1,5003,5004
for n in a b c; do guest_ok "$n" 90; done
for n in a b c; do
	[ "$(grep -c '3 packets received' "$T/$n.out")" = 2 ] ||
		fail "guest $n: not 3/3 replies from both others: $(grep packets "$T/$n.out")"
done
alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
log "ok: two ucast guests and a daemon guest ping each other through two --port ucast"

# QEMU -netdev socket,udp= (its iPXE ROM) on a third ucast port gets a DHCP
# lease from udhcpd in a daemon guest
need qemu-system-x86_64
SWITCH_NS=$NS switch_start sw2 -unix "$T/sw2.ctl" \
	--port ucast,,127.0.0.1,5006,5005
guest_script d <<'EOF2'
ip addr add 10.0.1.4/24 dev eth0
ip link set eth0 up
cat >/tmp/u.conf <<EOF3
start 10.0.1.100
end 10.0.1.110
interface eth0
lease_file /tmp/leases
auto_time 1
option subnet 255.255.255.0
EOF3
touch /tmp/leases
udhcpd -f /tmp/u.conf >/tmp/ud.log 2>&1 &
touch /t/d.up
# an ACK answers QEMU's REQUEST, which it sends only once it got our OFFER
n=0
while [ $n -lt 120 ]; do
	sleep 1
	if grep -q 'sending ACK' /tmp/ud.log &&
	   dumpleases -f /tmp/leases | grep -qi '52:54:00:12:34:57'; then
		cat /tmp/ud.log; dumpleases -f /tmp/leases; exit 0
	fi
	n=$((n + 1))
done
cat /tmp/ud.log; echo "d: no lease for QEMU"; exit 1
EOF2
GUEST_NS=$NS guest_start d eth0=daemon,fe:fd:0a:00:01:04,unix,"$T/sw2.ctl"
busywait 60 eval "[ -e '$T/d.up' ] || [ -e '$T/d.rc' ]" && [ -e "$T/d.up" ] ||
	{ guest_ok d 5; fail "DHCP guest did not start"; }
bg qemu ip netns exec "$NS" qemu-system-x86_64 -accel tcg -m 64 -nodefaults \
	-display none -vga none -serial none -boot n \
	-netdev socket,id=n0,udp=127.0.0.1:5006,localaddr=127.0.0.1:5005 \
	-device e1000,netdev=n0,mac=52:54:00:12:34:57
guest_ok d 150
stop qemu
log "ok: QEMU -netdev socket,udp= leased $(grep -io '10\.0\.1\.1[0-9][0-9]' "$T/d.out" | head -1) from a daemon guest via --port ucast"
