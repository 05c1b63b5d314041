#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 46-slirp-switch: a switch with a slirp port (uml_slirp in Ethernet mode
# behind libumlnet's slirp transport) gives a stock eth0=daemon guest DHCP
# and NAT; the guest fetches a file from a TCP server on the host's
# 127.0.0.1 (10.0.2.2 from the guest); a host port forward of the port
# reaches a server in the guest.  Then a hub (which floods every frame to
# the slirp port too): two guests move a file between them by TCP while
# one of them fetches from the host, so slirp must leave the frames of
# other stations alone.  Switches and guests run as an unprivileged user.
. "$(dirname "$0")/lib.sh"

slirp_setup "$GUEST_KERNEL"
as_user_script "$T/switch" "$UML_SWITCH"
GUEST_KERNEL=$T/kernel
UML_SWITCH=$T/switch

FWD=$(rand_port)
slirp_port_check 127.0.0.1 10.0.2.2 "slirp:helper=$UML_SLIRP,fwd=tcp:127.0.0.1:$FWD:80" \
	eth0=daemon,,unix,"$T/sw.ctl" "$(cat <<'EOF2'
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
echo "lease: $(cat /tmp/lease)"
set -- $(cat /tmp/lease)
[ "$1" = 10.0.2.15 ] || { echo "g: leased $1, expected 10.0.2.15"; exit 1; }
[ "$2" = 24 ] || { echo "g: mask /$2, expected /24"; exit 1; }
[ "$3" = 10.0.2.2 ] || { echo "g: router $3, expected 10.0.2.2"; exit 1; }
[ "$4" = 10.0.2.3 ] || { echo "g: dns $4, expected 10.0.2.3"; exit 1; }
EOF2
)"
# the wrapper execs setpriv, which execs the switch: one pid throughout
helper=$(pgrep -P "$(bg_pid sw)" -f uml_slirp | head -1)
[ -n "$helper" ] && [ "$(stat -c %U "/proc/$helper")" = "$TEST_USER" ] ||
	fail "no uml_slirp child of the switch running as $TEST_USER"
lease=$(grep lease: "$T/g.out" | cut -d' ' -f2)

# the hub
switch_start hub -unix "$T/hub.ctl" -hub --port "slirp:helper=$UML_SLIRP,args=-v_-v"
head -c 300000 /dev/urandom >"$T/www/peer.bin"
guest_script a <<EOF2
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "a: no DHCP lease"; exit 1; }
gw /t/b.listening 60 || exit 1
nc 10.0.2.30 5000 </t/www/peer.bin || { echo "a: send to b failed"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "a: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "a: file differs"; exit 1; }
gw /t/b.done 60 || exit 1
echo a-ok
EOF2
guest_script b <<EOF2
ip addr add 10.0.2.30/24 dev eth0
ip link set eth0 up
# busybox nc ends at EOF of its stdin: give it one that stays open
tail -f /dev/null | nc -l -p 5000 >/tmp/peer.bin &
lw 5000 10 || exit 1
touch /t/b.listening
n=0
until [ "\$(wc -c </tmp/peer.bin)" -ge 300000 ]; do
	n=\$((n + 1)); [ \$n -gt 600 ] && { echo "b: got \$(wc -c </tmp/peer.bin) bytes"; exit 1; }; sleep 0.1
done
cmp /tmp/peer.bin /t/www/peer.bin || { echo "b: file from a differs"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "b: wget failed"; exit 1; }
touch /t/b.done
echo b-ok
EOF2
guest_start a eth0=daemon,,unix,"$T/hub.ctl"
guest_start b eth0=daemon,,unix,"$T/hub.ctl"
guest_ok b 90
guest_ok a 60
grep -q a-ok "$T/a.out" && grep -q b-ok "$T/b.out" || fail "hub guests: $(tail -2 "$T/a.out" "$T/b.out")"
alive hub || fail "hub died"
log "ok: DHCP lease $lease, 300000-byte fetch and host forward through the switch's slirp port; on a hub, guest-to-guest TCP and NAT side by side (as $TEST_USER)"
