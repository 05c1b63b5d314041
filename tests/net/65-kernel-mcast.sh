#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 65-kernel-mcast: eth0=mcast,MAC (group 239.192.168.1:1102 by default) on
# our kernel and on the stock kernel, in a namespace whose lo carries
# multicast: the two guests ping each other; the legacy mcast grammar with
# explicit group, port and TTL works too (a second pair on another group),
# and so does ucast (eth0=ucast,MAC,REMOTE,LISTEN_PORT,REMOTE_PORT).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

NS=mc$UID8
netns_add "$NS"
ip -n "$NS" link set lo multicast on || fail "multicast on lo"
ip -n "$NS" route add 224.0.0.0/4 dev lo || fail "multicast route on lo"

# pair TAG OURS_TAIL [STOCK_TAIL]: our guest (.1) and a stock guest (.2)
# ping each other (TRANSPORT: mcast unless set)
pair() {
	local tag=$1 tail=$2 stail=${3-$2} tp=${TRANSPORT:-mcast} n
	rm -f "$T"/*.up "$T"/*.done
	for n in ours:1 stock:2; do
		guest_script "${n%:*}" <<EOF2
ip addr add 10.65.0.${n#*:}/24 dev eth0
ip link set eth0 up
touch /t/${n%:*}.up
gw /t/ours.up && gw /t/stock.up || exit 1
ping -c 4 -w 20 10.65.0.$(( 3 - ${n#*:} )) || { echo "no reply"; exit 1; }
touch /t/${n%:*}.done
gw /t/ours.done 60 && gw /t/stock.done 60
EOF2
	done
	GUEST_NS=$NS our_guest ours eth0=$tp,fe:fd:0a:41:00:01$tail
	GUEST_NS=$NS stock_guest stock eth0=$tp,fe:fd:0a:41:00:02$stail
	guest_ok ours 90
	guest_ok stock 30
	for n in ours stock; do
		grep -q '4 packets received' "$T/$n.out" || fail "$tag: $n: $(grep packets "$T/$n.out")"
	done
	log "ok: $tag: our kernel and the stock kernel pinged each other 4/4"
}

pair defaults ""
pair explicit ",239.192.65.9,1165,1"
# ucast: point to point, each listening on the port the other sends to
TRANSPORT=ucast pair ucast ",127.0.0.1,1166,1167" ",127.0.0.1,1167,1166"
