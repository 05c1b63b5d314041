#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20-uml-net-cycles: tuntap up/down cycles through our setuid uml_net, run
# as an unprivileged user in a network namespace, made as the UML kernel
# makes them: "tuntap up" on an AF_UNIX datagram stdout that receives the
# tap's fd, "add" and "del" of a guest address (IPv4, then IPv6), then the
# fd is closed.  A "host LAN" interface holds the guests' subnets, so every
# add publishes a proxy neighbour there and every del withdraws it.  After
# all cycles the namespace's links, addresses, routes, neighbours (proxy
# entries included) and the proxy_arp/proxy_ndp/forwarding sysctls must be
# exactly as before.
#   SOAK_SCALE=N   50*N cycles (default 1; 20 for the 1000-cycle soak)
. "$(dirname "$0")/../net/lib.sh"
. "$(dirname "$0")/../net/unet-lib.sh"

SCALE=${SOAK_SCALE:-1}
case $SCALE in ''|*[!0-9]*|0) fail "SOAK_SCALE must be a positive integer, not '$SCALE'" ;; esac
CYCLES=$((50 * SCALE))
need python3
TU=$UNET_TU
unet_user "$TU"
unet_setuid
unet_policy "allow user $TU devices 1 gateway 10.0.20.254 guest 10.0.20.0/24,2001:db8:20::/64"
chown "$TU" "$T"

NS=sk$UID8
netns_add "$NS"
ip -n "$NS" link add lan0 type veth peer name lan1 || fail "veth in $NS"
# no link-local addresses: they would appear during the run, not by us
nsx "$NS" sysctl -qw net.ipv6.conf.lan0.addr_gen_mode=1 net.ipv6.conf.lan1.addr_gen_mode=1
ip -n "$NS" addr add 10.0.20.100/24 dev lan0
ip -n "$NS" addr add 2001:db8:20::100/64 dev lan0 nodad
ip -n "$NS" link set lan0 up
ip -n "$NS" link set lan1 up
# "tuntap up" turns IPv4 forwarding on and leaves it on, as the original
# (uml_net(8)): on from the start, so the comparison covers the rest
nsx "$NS" sysctl -qw net.ipv4.ip_forward=1

snapshot() {
	{
		ip -n "$NS" -j -d link | sed -E 's/"[a-z_]*_timer":[0-9.]*//g'
		ip -n "$NS" -j addr
		ip -n "$NS" -j route show table all
		ip -n "$NS" -6 -j route show table all
		ip -n "$NS" -j neigh show
		ip -n "$NS" -j neigh show proxy
		ip -n "$NS" -6 -j neigh show proxy
		nsx "$NS" sysctl -a 2>/dev/null |
			grep -E '\.(proxy_arp|proxy_ndp|forwarding|ip_forward) '
	} >"$1"
}
snapshot "$T/before"

run_cycles() {	# run_cycles N ADDR MASK
	local start ms
	start=$(date +%s%N)
	"$T/asuser" -n "$NS" "$TU" "$T/unet-kern" cycles "$1" 10.0.20.254 "$2" "$3" \
		>"$T/cycles.out" 2>&1 || fail "cycles with guest $2: $(tail -5 "$T/cycles.out")"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	log "$1 cycles with guest $2 in $ms ms"
}
run_cycles $((CYCLES / 2)) 10.0.20.1 255.255.255.0
run_cycles $((CYCLES - CYCLES / 2)) 2001:db8:20::1 64

busywait 5 eval "! ip -n $NS -o link show | grep -q 'tap[0-9]'" ||
	fail "taps left: $(ip -n "$NS" -o link show | grep tap)"
snapshot "$T/after"
cmp -s "$T/before" "$T/after" ||
	fail "host state changed after $CYCLES cycles: $(diff "$T/before" "$T/after" | head -20)"
log "ok: $CYCLES tuntap up/add/del/close cycles left no device, route, neighbour or sysctl behind"
