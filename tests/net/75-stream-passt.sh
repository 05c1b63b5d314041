#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 75-stream-passt: a switch port "stream:connect=PASSTSOCK,reconnect=1"
# gives a LAN passt's user-mode networking.  passt runs as an unprivileged
# user in a namespace that plays the host (its own address, default route
# and a web server).  The switch (as that user too) starts before passt is
# there: its port waits, down.  passt starts; a stock eth0=daemon guest gets
# a DHCP lease from it, pings the host and fetches a file, compared byte
# for byte.  Then passt is killed and started anew: the same port (index 1)
# connects again by itself, the guest (neither it nor the switch
# restarted) fetches a second file, and umlctl and the SIGUSR1 stats show
# the two outages and two redials; what the guest sent in the outage was
# dropped and counted (drops.carrier).  Last, a guest of our kernel with
# eth0=stream:connect= on another passt leases and fetches a file, and its
# eth1=...,reconnect=1 is refused, naming it (reconnect is the switch's).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

need passt busybox setpriv cmp
test_user umlnet-t75
mkdir -p "$T/uml" "$T/www"
head -c 300000 /dev/urandom >"$T/www/one.bin"
head -c 200000 /dev/urandom >"$T/www/two.bin"
chown -R "$TEST_USER" "$T"
as_user_script "$T/kernel" "$GUEST_KERNEL"
as_user_script "$T/switch" "$UML_SWITCH"
GUEST_KERNEL=$T/kernel
UML_SWITCH=$T/switch

# the "host": an address, a default route, a web server; ICMP echo for
# passt's ping sockets
NS=u75h$$
netns_add "$NS"
ip -n "$NS" link add v75a type veth peer name v75b || fail "veth in $NS"
ip -n "$NS" link set v75a up
ip -n "$NS" link set v75b up
ip -n "$NS" addr add 192.0.2.10/24 dev v75a
ip -n "$NS" addr add 192.0.2.20/24 dev v75b	# a second host to ping
ip -n "$NS" route add default via 192.0.2.1
nsx "$NS" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
WEB=$(rand_port)
bg web ip netns exec "$NS" "${AS_USER[@]}" busybox httpd -f -p "127.0.0.1:$WEB" -h "$T/www"
busywait 10 eval "nsx $NS ss -ltn | grep -qF '127.0.0.1:$WEB '" ||
	fail "web server in $NS did not start: $(cat "$T/web.log")"

SOCK=$T/passt.sock
# passt_start NAME [SOCKET]: passt in the namespace, on SOCKET (default
# $SOCK; a stale socket of the one before is fine: it binds anew)
passt_start() {
	rm -f "$T/$1.pid"
	bg "$1" ip netns exec "$NS" "${AS_USER[@]}" passt -f -q -4 \
		--socket "${2:-$SOCK}" -P "$T/$1.pid"
	busywait 10 test -s "$T/$1.pid" ||
		fail "$1 did not start: $(tail -5 "$T/$1.log")"
}

# redial_is CONNECTED OUTAGES REDIALS: umlctl's line for port 1 says so
redial_is() {
	uc ports >"$T/ports.txt" 2>&1 &&
		grep -q "redial every 1 s: $1, $2 outages, $3 redials" "$T/ports.txt"
}

switch_start sw -unix "$T/sw.ctl" --port "stream:connect=$SOCK,reconnect=1"
MGMT=$T/sw.ctl.mgmt
busywait 10 redial_is "not connected" 1 0 ||
	fail "port 1 is not waiting for passt: $(cat "$T/ports.txt")"
grep -q "^ *1 .*stream *down" "$T/ports.txt" ||
	fail "port 1's carrier is not down while unconnected: $(cat "$T/ports.txt")"
passt_start passt1
busywait 10 redial_is connected 1 1 ||
	fail "port 1 did not connect to passt: $(cat "$T/ports.txt"; tail -5 "$T/sw.log")"

guest_script g <<EOF2
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
echo "lease: \$(cat /tmp/lease)"
set -- \$(cat /tmp/lease)
[ "\$1" = 192.0.2.10 ] || { echo "g: leased \$1, expected 192.0.2.10"; exit 1; }
[ "\$3" = 192.0.2.1 ] || { echo "g: router \$3, expected 192.0.2.1"; exit 1; }
ping -c 3 -W 5 192.0.2.20 >/tmp/ping.txt || { cat /tmp/ping.txt; echo "g: ping failed"; exit 1; }
wget -q -O /tmp/one.bin http://192.0.2.1:$WEB/one.bin || { echo "g: wget one failed"; exit 1; }
cmp /tmp/one.bin /t/www/one.bin || { echo "g: one.bin differs"; exit 1; }
touch /t/g.phase1
gw /t/passt.gone 60 || exit 1
# no passt: these frames are dropped at the switch (and counted)
ping -c 3 -W 1 192.0.2.20 >/tmp/ping.txt && { echo "g: ping with no passt"; exit 1; }
touch /t/g.phase2
gw /t/passt.again 60 || exit 1
n=0
until wget -q -O /tmp/two.bin http://192.0.2.1:$WEB/two.bin; do
	n=\$((n + 1)); [ \$n -gt 20 ] && { echo "g: wget two failed"; exit 1; }; sleep 0.5
done
cmp /tmp/two.bin /t/www/two.bin || { echo "g: two.bin differs"; exit 1; }
echo g-ok
EOF2
guest_start g eth0=daemon,,unix,"$T/sw.ctl"
busywait 90 eval "[ -e '$T/g.phase1' ] || grep -Eqs 'failed|differs|expected|no DHCP' '$T/g.out'" ||
	fail "guest made no progress: $(tail -5 "$T/g.console")"
[ -e "$T/g.phase1" ] || { cat "$T/g.out" >&2; fail "guest could not lease, ping and fetch through passt"; }

# passt goes away and comes back: the port follows, the guest stays
stop passt1
busywait 10 redial_is "not connected" 2 1 ||
	fail "port 1 did not notice passt's end: $(cat "$T/ports.txt")"
touch "$T/passt.gone"
busywait 30 test -e "$T/g.phase2" || fail "guest did not ping into the outage: $(tail -3 "$T/g.out")"
uc -j ports >"$T/ports.json" || fail "umlctl -j ports"
drops=$(jget 'sum(p["counters"]["drops"]["carrier"] for p in d if p["index"] == 1)' <"$T/ports.json")
[ "$drops" -ge 3 ] || fail "port 1 counted $drops carrier drops in the outage, expected at least 3"
passt_start passt2
busywait 10 redial_is connected 2 2 ||
	fail "port 1 did not connect to the new passt: $(cat "$T/ports.txt"; tail -5 "$T/sw.log")"
touch "$T/passt.again"
guest_ok g 90
grep -q g-ok "$T/g.out" || fail "guest: $(tail -3 "$T/g.out")"
alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
grep -q "^ *1 .*stream *up" "$T/ports.txt" ||
	fail "port 1's carrier is not up again: $(cat "$T/ports.txt")"
st=$(switch_stats sw) || fail "no stats from the switch"
echo "$st" | grep -q "port 1 stream .* queue=0 outages=2 redials=2 " ||
	fail "stats do not show the reconnection: $st"
lease=$(grep lease: "$T/g.out" | cut -d' ' -f2)

# our kernel's NIC on passt directly: it connects once, and refuses
# reconnect= (the switch's), naming it
passt_start passt3 "$T/passt3.sock"
guest_script k <<EOF2
[ ! -e /sys/class/net/eth1 ] || { echo "k: eth1 exists"; exit 1; }
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "k: no DHCP lease"; exit 1; }
wget -q -O /tmp/one.bin http://192.0.2.1:$WEB/one.bin || { echo "k: wget failed"; exit 1; }
cmp /tmp/one.bin /t/www/one.bin || { echo "k: one.bin differs"; exit 1; }
echo k-ok
EOF2
our_guest k eth0=stream:connect="$T/passt3.sock" \
	eth1=stream:connect="$T/passt3.sock",reconnect=1
guest_ok k 90
grep -q k-ok "$T/k.out" || fail "our guest: $(tail -3 "$T/k.out")"
console_has k 'eth1: .*reconnect=1' ||
	fail "our kernel did not refuse eth1's reconnect=1: $(tr -d '\r' <"$T/k.console" | grep eth1 | head -5)"
log "our kernel: $(tr -d '\r' <"$T/k.console" | grep -E 'eth1: .*reconnect' | head -1)"
log "ok: port 1 waited for passt, connected, lost it and connected again; the guest leased $lease, pinged and fetched 300000 + 200000 bytes through it, $drops frames dropped in the outage (passt and switch as $TEST_USER)"
