#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 66-kernel-slirp: our kernel with eth0=slirp,MAC,HELPER (legacy grammar;
# the transport spawns uml_slirp over a socketpair), run as an unprivileged
# user: DHCP lease from slirp, then a file fetched from a TCP server on the
# host's 127.0.0.1 (10.0.2.2 from the guest) arrives intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"

slirp_setup "$OUR_KERNEL"

head -c 500000 /dev/urandom >"$T/www/data.bin"
web_start 127.0.0.1

guest_script g <<EOF2
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
echo "lease: \$(cat /tmp/lease)"
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo fetched-ok
EOF2
GUEST_KERNEL=$T/kernel guest_start g eth0=slirp,fe:fd:0a:42:00:0f,"$UML_SLIRP"
guest_ok g 90
grep -q fetched-ok "$T/g.out" || fail "no fetch: $(cat "$T/g.out")"
console_has g 'Netdevice 0 \(fe:fd:0a:42:00:0f\)' || fail "no Netdevice line with the given MAC"
log "ok: slirp as $TEST_USER: $(grep lease: "$T/g.out"), 500000-byte fetch from the host"
