#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 47-slirp-ipv6: IPv6 through a switch's slirp port, unprivileged.  The
# stock guest loads ipv6.ko from /usr/lib/uml/modules (mounted by hostfs),
# takes a SLAAC address from slirp's router advertisement (prefix
# fd00:0:0:5::/64, set through the transport's ipv6= key), pings the slirp
# host fd00:0:0:5::2, fetches a file from a server on the host's ::1 over
# IPv6, and a host forward on [::1] reaches a server on the guest's IPv6
# address (EUI-64 of its fixed MAC).
. "$(dirname "$0")/lib.sh"

MODDIR=/usr/lib/uml/modules/$($GUEST_KERNEL --version 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*[0-9]' | head -1)
[ -f "$MODDIR/kernel/net/ipv6/ipv6.ko" ] || MODDIR=$(ls -d /usr/lib/uml/modules/* | head -1)
[ -f "$MODDIR/kernel/net/ipv6/ipv6.ko" ] || fail "no ipv6.ko for the guest kernel under /usr/lib/uml/modules"
slirp_setup "$GUEST_KERNEL"
as_user_script "$T/switch" "$UML_SWITCH"
GUEST_KERNEL=$T/kernel
UML_SWITCH=$T/switch

head -c 200000 /dev/urandom >"$T/www/data.bin"
FWD=$(rand_port)
MAC=fe:fd:00:00:00:47
GADDR=fd00::5:fcfd:ff:fe00:47	# canonical form, as ip prints it
web_start "[::1]"

switch_start sw -unix "$T/sw.ctl" --port "slirp:helper=$UML_SLIRP,ipv6=fd00:0:0:5::/64,fwd=tcp:[::1]:$FWD:[$GADDR]:80"
busywait 10 eval "ss -ltn | grep -q '\[::1\]:$FWD '" ||
	fail "the slirp port's IPv6 forward is not listening: $(tail -5 "$T/sw.log")"

guest_script g <<EOF2
mount -t hostfs none /mnt -o $MODDIR || { echo "g: cannot mount $MODDIR"; exit 1; }
insmod /mnt/kernel/lib/crc-ccitt.ko 2>/dev/null
insmod /mnt/kernel/net/ipv6/ipv6.ko || { echo "g: insmod ipv6 failed"; exit 1; }
ip link set eth0 up
n=0
until ip -6 addr show dev eth0 | grep -q 'inet6 $GADDR/64'; do
	n=\$((n + 1)); [ \$n -gt 150 ] && { echo "g: no SLAAC address"; ip -6 addr; exit 1; }
	sleep 0.1
done
# the address may still be tentative (DAD): wait for it to be usable
n=0
while ip -6 addr show dev eth0 | grep -q tentative; do
	n=\$((n + 1)); [ \$n -gt 50 ] && break; sleep 0.1
done
ip -6 addr show dev eth0
ip -6 route
ping6 -c 3 -w 10 fd00:0:0:5::2 || { echo "g: ping6 to slirp host failed"; exit 1; }
wget -q -O /tmp/data.bin "http://[fd00:0:0:5::2]:$WEB/data.bin" || { echo "g: wget over IPv6 failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo fetched-ok
echo hello6-from-guest >/tmp/hello
(nc -l -p 80 </tmp/hello >/t/fwd-in.txt) &
lw 80 10 || exit 1
touch /t/g.listening
gw /t/host.done 60 || exit 1
EOF2

guest_start g eth0=daemon,$MAC,unix,"$SWITCH_CTL"
busywait 60 grep -Eqs 'fetched-ok|failed|differs|no SLAAC|cannot' "$T/g.out" ||
	fail "guest made no progress: $(tail -5 "$T/g.console")"
grep -q fetched-ok "$T/g.out" || { cat "$T/g.out" >&2; fail "IPv6 through the slirp port failed"; }
busywait 30 test -e "$T/g.listening" || fail "guest server not started"
got=
for i in $(seq 10); do
	sleep 0.3
	got=$(echo hello6-from-host | timeout 5 "${AS_USER[@]}" busybox nc ::1 "$FWD" 2>/dev/null)
	[ "$got" = hello6-from-guest ] && break
done
[ "$got" = hello6-from-guest ] || fail "host [::1]:$FWD did not reach the guest's IPv6 server (got '$got')"
touch "$T/host.done"
guest_ok g 60
grep -q hello6-from-host "$T/fwd-in.txt" || fail "the guest server did not get the host's data"
log "ok: SLAAC $GADDR, ping6 and 200000-byte fetch from the host's ::1, [::1]:$FWD -> guest [$GADDR]:80"
