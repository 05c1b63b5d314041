#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net/mgmt-lib.sh: what the management tests (28-30, 36-39) share,
# sourced after lib.sh.
#   UMLCTL UML_DUMP         the programs (built)
#   MGMT                    the switch's management socket (set it)
#   uc ARGS...              umlctl -s $MGMT ARGS
#   jget EXPR               evaluate the Python expression EXPR over the
#                           JSON on stdin (as d); prints the result
#                           (lists and dicts as JSON)
#   mgmt_req LINE...        send raw request lines to $MGMT, print the
#                           replies (one per line), 5 s at most
#   port_index NAME         index of the port named NAME (fails if none)
#   guest_counters_script N writes /t/N.counters ("rx tx" of eth0) when
#                           /t/freeze appears: the tail of a guest script
UMLCTL=${UMLCTL:-$BUILD/umlctl}
UML_DUMP=${UML_DUMP:-$BUILD/uml_dump}
[ -x "$UMLCTL" ] || fail "$UMLCTL not built (run make)"
[ -x "$UML_DUMP" ] || fail "$UML_DUMP not built (run make)"
need python3

uc() { "$UMLCTL" -s "$MGMT" "$@"; }

jget() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(json.dumps(r) if isinstance(r, (dict, list)) else r)' "$1"
}

mgmt_req() {
	python3 - "$MGMT" "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
f = s.makefile("rwb")
for line in sys.argv[2:]:
    f.write(line.encode() + b"\n")
    f.flush()
    print(f.readline().decode().rstrip("\n"))
PY
}

port_index() {
	local i
	i=$(uc -j ports | jget "[p['index'] for p in d if p['name'] == '$1'][0]") ||
		fail "no port named $1: $(uc ports 2>&1)"
	echo "$i"
}

guest_counters_script() {
	cat <<EOF2
gw /t/freeze 120 || exit 1
echo \$(cat /sys/class/net/eth0/statistics/rx_packets) \$(cat /sys/class/net/eth0/statistics/tx_packets) >/t/$1.counters
EOF2
}
