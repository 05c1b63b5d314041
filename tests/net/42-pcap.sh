#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 42-pcap: a --port pcap,VETH onto one end of a veth pair whose other end is
# in a second namespace ("the host"): a stock daemon guest on the switch and
# the host ping each other both ways.  Then, on a new switch, the filter
# "not icmp": the guest's echo requests still reach the host (injection is
# not filtered; the host's ICMP counters rise), but the host's replies are
# dropped (the guest gets none) while ARP passes (the guest learns the
# host's MAC).  Deleting the interface closes that port only.  Bad pcap
# specs are refused, naming the culprit.  Also 256 KiB over TCP from the
# host to the guest (see below for the offload caveats).
. "$(dirname "$0")/lib.sh"
need nstat

NS=ps$UID8		# switch and guests
HOST=ph$UID8		# the host behind the veth
VA=pa$UID8
VB=pb$UID8
netns_add "$NS"
netns_add "$HOST"
veth_add "$VA" "$VB" "$NS" "$HOST"
ip -n "$HOST" addr add 10.0.2.254/24 dev "$VB"

bad() {
	local spec=$1 word=$2 out
	if out=$(ip netns exec "$NS" "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" 2>&1 </dev/null); then
		fail "uml_switch --port '$spec' was accepted"
	fi
	grep -qF -- "$word" <<<"$out" || fail "--port '$spec': message does not name '$word': $out"
}
bad "pcap,nosuch0" "nosuch0"
bad "pcap,$VA,tcp port" "tcp port"
bad "pcap,$VA,,promiscuous" "promiscuous"
bad "pcap,$VA,,promisc,optimize,zz:00" "zz:00"
bad "pcap:if=$VA,snaplen=100" "snaplen"
bad "pcap,thisnameistoolong0" "thisnameistoolong0"
log "ok: bad pcap specs refused with the culprit named"

# phase 1: no filter
SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" --port "pcap,$VA"
guest_script g <<'EOF2'
ip addr add 10.0.2.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 20 10.0.2.254 || { echo "guest: no reply from the host"; exit 1; }
# stdin kept open: at EOF busybox nc would close its side early
sleep 120 | nc -l -p 5000 >/t/recv &
lw 5000 10 || exit 1
touch /t/g.pinged
gw /t/g.go 60
EOF2
head -c 262144 /dev/urandom >"$T/data"
GUEST_NS=$NS guest_start g eth0=daemon,fe:fd:0a:00:02:01,unix,"$T/sw.ctl"
if ! busywait 60 eval "[ -e '$T/g.pinged' ] || [ -e '$T/g.rc' ]" || [ ! -e "$T/g.pinged" ]; then
	guest_ok g 10
	fail "guest could not ping the host through the pcap port"
fi
nsx "$HOST" ping -c 3 -w 15 10.0.2.1 >"$T/hostping.out" 2>&1 ||
	fail "the host could not ping the guest through the pcap port: $(tail -2 "$T/hostping.out")"
# 256 KiB over TCP from the host to the guest.  The host's frames are
# captured before checksum offload (the transport completes those
# checksums) and segmentation offload (gso_max_segs 1 keeps them to one
# segment each: a pcap port cannot split a 64 KiB TSO frame).
ip -n "$HOST" link set "$VB" gso_max_segs 1 || fail "gso_max_segs on $VB"
bg xfer ip netns exec "$HOST" socat -u FILE:"$T/data" TCP:10.0.2.1:5000
busywait 60 cmp -s "$T/data" "$T/recv" || { switch_stats sw >&2; false; } ||
	fail "256 KiB from the host did not reach the guest intact ($(stat -c %s "$T/recv") bytes)"
touch "$T/g.go"
guest_ok g 30
stop sw || fail "switch exited with an error: $(tail -5 "$T/sw.log")"
log "ok: guest <-> veth host ping both ways through --port pcap,$VA"

# phase 2: filter "not icmp"
SWITCH_NS=$NS switch_start sw2 -unix "$T/sw2.ctl" --port "pcap,$VA,not icmp"
echos0=$(nsx "$HOST" nstat -asz IcmpInEchos | awk '/IcmpInEchos/ {print $2}')
guest_script h <<'EOF2'
ip addr add 10.0.2.2/24 dev eth0
ip link set eth0 up
if ping -c 4 -w 6 10.0.2.254; then echo "guest h: ICMP passed the 'not icmp' filter"; exit 1; fi
ip neigh show 10.0.2.254
ip neigh show 10.0.2.254 | grep -q lladdr || { echo "guest h: ARP did not pass the filter"; exit 1; }
EOF2
GUEST_NS=$NS guest_start h eth0=daemon,fe:fd:0a:00:02:02,unix,"$T/sw2.ctl"
guest_ok h 60
echos1=$(nsx "$HOST" nstat -asz IcmpInEchos | awk '/IcmpInEchos/ {print $2}')
[ $((echos1 - echos0)) -ge 4 ] ||
	fail "the host did not get the guest's echo requests (IcmpInEchos $echos0 -> $echos1)"
grep -q '0 packets received' "$T/h.out" || fail "guest h: $(grep packets "$T/h.out")"
log "ok: filter 'not icmp': $((echos1 - echos0)) echo requests injected, 0 replies captured, ARP passed"

# the interface disappears: the port is reported and closed, the switch
# keeps serving its control socket
PN=$(sed -n 's/.*port \([0-9]*\): new connection (pcap.*/\1/p' "$T/sw2.log")
[ -n "$PN" ] || fail "no pcap port in the switch's log: $(head -3 "$T/sw2.log")"
grep -Eq "port $PN: disconnect" "$T/sw2.log" && fail "the pcap port closed early"
ip -n "$NS" link del "$VA" || fail "cannot delete $VA"
wait_log "$T/sw2.log" 10 "port $PN: disconnect" ||
	fail "the switch did not report losing $VA: $(tail -3 "$T/sw2.log")"
alive sw2 || fail "the switch died with its pcap interface: $(tail -5 "$T/sw2.log")"
PLUG_NS=$NS plug_check after "$T/sw2.ctl" 3 || fail "the switch stopped serving after $VA went away"
log "ok: $VA deleted: $(grep -E "port $PN: disconnect" "$T/sw2.log" | head -1 | sed 's/^uml_switch: //')"
