#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net/impair-lib.sh: what the impairment tests (53-55) share, sourced
# after lib.sh and mgmt-lib.sh.
#   impair_setup [SPEC_B [SET_A]]  a switch in namespace $NS with two
#                          taps, port 1 ($TA, "-tap TA[,SET_A]") and
#                          port 2 ($TB, --port SPEC_B,
#                          default tuntap:dev=$TB), each moved (once the
#                          switch holds it) into a namespace host: $HA
#                          (10.0.0.1) and $HB (10.0.0.2), with IPv6 off and
#                          static neighbours, so that the only frames are
#                          the test's own
#   rtts NS DST COUNT IVAL [PING ARGS] the RTTs in ms of COUNT pings, one
#                          a line, in arrival order
#   pctl P                 the P-th percentile of numbers on stdin
#   imp PORT DIR PATH      port PORT's impairment JSON value at
#                          impair.DIR.PATH (e.g. counters.lost)
#   set_ok PORT WORDS...   umlctl port set PORT WORDS..., or fail
impair_setup() {
	local spec=${1:-} set_a=${2:+,$2} ns mac_a mac_b
	NS=is$UID8 HA=ia$UID8 HB=ib$UID8 TA=ta$UID8 TB=tb$UID8
	spec=${spec:-tuntap:dev=$TB}
	netns_add "$NS"
	netns_add "$HA"
	netns_add "$HB"
	ip -n "$NS" tuntap add "$TA" mode tap || fail "tuntap add $TA"
	ip -n "$NS" tuntap add "$TB" mode tap || fail "tuntap add $TB"
	link_track "$TA" "$NS"
	link_track "$TB" "$NS"
	SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl" -tap "$TA$set_a" --port "$spec"
	# shellcheck disable=SC2034  # MGMT is mgmt-lib.sh's (uc)
	MGMT=$T/sw.ctl.mgmt
	busywait 10 eval "[ \"\$(uc -j ports 2>/dev/null | jget 'len(d)')\" = 2 ]" ||
		fail "the switch has not got its two tap ports: $(tail -5 "$T/sw.log")"
	for ns in "$HA" "$HB"; do
		nsx "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 ||
			fail "IPv6 off in $ns"
	done
	ip -n "$NS" link set "$TA" netns "$HA" || fail "tap $TA into $HA"
	link_track "$TA" "$HA"
	ip -n "$NS" link set "$TB" netns "$HB" || fail "tap $TB into $HB"
	link_track "$TB" "$HB"
	nsx "$HA" sysctl -qw "net.ipv6.conf.$TA.disable_ipv6=1"
	nsx "$HB" sysctl -qw "net.ipv6.conf.$TB.disable_ipv6=1"
	ip -n "$HA" addr add 10.0.0.1/24 dev "$TA"
	ip -n "$HB" addr add 10.0.0.2/24 dev "$TB"
	ip -n "$HA" link set "$TA" up
	ip -n "$HB" link set "$TB" up
	mac_a=$(nsx "$HA" cat "/sys/class/net/$TA/address")
	mac_b=$(nsx "$HB" cat "/sys/class/net/$TB/address")
	ip -n "$HA" neigh replace 10.0.0.2 lladdr "$mac_b" dev "$TA" nud permanent
	ip -n "$HB" neigh replace 10.0.0.1 lladdr "$mac_a" dev "$TB" nud permanent
	nsx "$HA" ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null ||
		fail "no ping from $HA to $HB through the switch"
}

rtts() {
	local ns=$1 dst=$2 count=$3 ival=$4
	shift 4
	nsx "$ns" ping -n -c "$count" -i "$ival" -W 3 "$@" "$dst" |
		sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p'
}

pctl() {
	sort -n | awk -v p="$1" '{ v[NR] = $1 } END {
		if (!NR) { print "nan"; exit }
		i = int(p / 100 * (NR - 1) + 0.5) + 1; print v[i] }'
}

imp() { uc -j ports | jget "[p for p in d if p['index'] == $1][0]['impair']['$2']$(sed "s/\([^.]*\)/['\1']/g; s/\.//g" <<<"$3")"; }

set_ok() {
	local port=$1 out
	shift
	out=$(uc port set "$port" "$@" 2>&1) || fail "port set $port $*: $out"
}

# within X LO HI: is LO <= X <= HI (decimals)?
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
