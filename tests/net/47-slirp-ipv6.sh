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

FWD=$(rand_port)
MAC=fe:fd:00:00:00:47
GADDR=fd00::5:fcfd:ff:fe00:47	# canonical form, as ip prints it
slirp_port_check ::1 "[fd00:0:0:5::2]" \
	"slirp:helper=$UML_SLIRP,ipv6=fd00:0:0:5::/64,fwd=tcp:[::1]:$FWD:[$GADDR]:80" \
	eth0=daemon,$MAC,unix,"$T/sw.ctl" "$(cat <<EOF2
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
EOF2
)"
log "ok: SLAAC $GADDR, ping6 and 300000-byte fetch from the host's ::1, [::1]:$FWD -> guest [$GADDR]:80"
