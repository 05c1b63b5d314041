#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 31-uml-net-tuntap: a stock UML guest, run as an unprivileged user in a
# network namespace, gets its tap from *our* uml_net (setuid root, first in
# its PATH; policy bind-mounted over /etc/umlnet in a private mount
# namespace) with eth0=tuntap,,,GATE; guest and host ping each other; the
# kernel prints our "* ip ..." lines; a second tap is refused (quota 1), one
# without a gateway fails as with the original, and a guest address the
# policy denies gets no route; after the guest halts
# its tap and routes are gone.  Then, driven as the kernel drives it
# (unet-kern): a tap the guest made persistent (TUNSETPERSIST on its fd)
# is reclaimed on the user's next request instead of holding the quota
# for ever; root, with no policy file at all, gets taps (deny by default
# is for everyone else).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

TU=$UNET_TU
unet_user "$TU"
TUID=$(id -u "$TU")
unet_setuid
unet_policy "# test policy: one tap, gateway 10.0.9.254, guests in 10.0.9.0/24
allow user $TU devices 1 gateway 10.0.9.254 guest 10.0.9.0/24
deny user $TU guest 10.0.9.66"
mkdir -p "$T/uml"
chown "$TU" "$T" "$T/uml"

# The "kernel" guest_start runs: the stock UML as $TU, our uml_net first in
# its PATH, the test policy at /etc/umlnet (in its mount namespace only).
cat >"$T/kern" <<EOF2
#!/bin/sh
exec "$T/asuser" "$TU" "$GUEST_KERNEL" "\$@"
EOF2
chmod 755 "$T/kern"

NS=un$UID8
netns_add "$NS"
guest_script g <<'EOF2'
ip addr add 10.0.9.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 15 10.0.9.254 || { echo "guest: no reply from the gateway"; exit 1; }
touch /t/g.pinged
# a second tap: over quota, ifup must fail
if ip link set eth1 up; then echo "guest: eth1 came up over quota"; exit 1; fi
# no gateway: the helper says so, sends no fd, ifup fails
if ip link set eth2 up; then echo "guest: eth2 came up without a gateway"; exit 1; fi
# an address the policy denies: no route may appear
ip addr add 10.0.9.66/24 dev eth0
touch /t/g.added
gw /t/done 60
EOF2
GUEST_NS=$NS GUEST_KERNEL=$T/kern guest_start g \
	eth0=tuntap,,,10.0.9.254 eth1=tuntap,,,10.0.9.254 eth2=tuntap
if ! busywait 60 eval "[ -e '$T/g.added' ] || [ -e '$T/g.rc' ]" || [ ! -e "$T/g.added" ]; then
	guest_ok g 10
	fail "guest did not get through its script"
fi
ip -n "$NS" -d link show >"$T/links.txt"
grep -q "alias uml_net:uid=$TUID" "$T/links.txt" || fail "no tap marked for uid $TUID: $(cat "$T/links.txt")"
TAP=$(ip -n "$NS" -o link show | awk -F': ' '/tap[0-9]/ {print $2; exit}')
[ -n "$TAP" ] || fail "no tap in $NS"
grep -A2 "$TAP" "$T/links.txt" | grep "tun type tap pi off vnet_hdr off persist off user $TU" >/dev/null ||
	fail "$TAP is not a non-persistent tap owned by $TU: $(grep -A3 "$TAP" "$T/links.txt")"
[ "$(ip -n "$NS" -o link show | grep -c 'tap[0-9]')" = 1 ] || fail "more than one tap made (quota 1)"
ip -n "$NS" route show 10.0.9.1 | grep "dev $TAP" >/dev/null || fail "no host route to the guest"
ip -n "$NS" route show 10.0.9.66 | grep . >/dev/null && fail "route to a denied guest address"
[ "$(ip netns exec "$NS" cat /proc/sys/net/ipv4/conf/$TAP/proxy_arp)" = 1 ] || fail "proxy_arp is off on $TAP"
nsx "$NS" ping -c 3 -w 15 10.0.9.1 >"$T/hostping.out" 2>&1 ||
	{ touch "$T/done"; fail "host could not ping the guest: $(tail -2 "$T/hostping.out")"; }
touch "$T/done"
guest_ok g 30
for l in "\\* ip tuntap add $TAP mode tap user $TUID" "\\* ip addr add 10.0.9.254/32 dev $TAP" \
	 "\\* ip route add 10.0.9.1/32 dev $TAP" "refused: quota exceeded" \
	 "refused: guest address 10.0.9.66 denied by the policy" "Too few arguments to tuntap_up"; do
	grep -q "$l" "$T/g.console" || fail "console lacks '$l'"
done
grep -q "TUN/TAP backend" "$T/g.console" || fail "guest did not use the tuntap backend"
busywait 10 eval "! ip -n $NS link show $TAP >/dev/null 2>&1" || fail "$TAP still exists after the guest halted"
ip -n "$NS" route | grep 10.0.9 >/dev/null && fail "routes left after the guest halted: $(ip -n "$NS" route)"

# a persistent tap, attached to nothing: reclaimed by the next request
P=$("$T/asuser" -n "$NS" "$TU" "$T/unet-kern" up 10.0.9.254 persist 2>"$T/p1.err") ||
	fail "tuntap up (persist): $(cat "$T/p1.err")"
ip -n "$NS" -d link show "$P" | grep "persist on" >/dev/null || fail "$P did not stay after its fd closed"
Q=$("$T/asuser" -n "$NS" "$TU" "$T/unet-kern" up 10.0.9.254 2>"$T/p2.err") ||
	fail "the abandoned persistent $P still holds the quota: $(cat "$T/p2.err")"
grep -q "reclaiming $P" "$T/p2.err" || fail "no reclaim line: $(cat "$T/p2.err")"
ip -n "$NS" link show "$P" >/dev/null 2>&1 && fail "$P was not reclaimed"
busywait 5 eval "! ip -n $NS link show $Q >/dev/null 2>&1" || fail "$Q left after its fd closed"

# root, no policy file: allowed (tuntap up, add, del), nothing left after
mkdir -p "$T/nopol"; chown root:root "$T/nopol"; chmod 755 "$T/nopol"
R=$(nsx "$NS" env -i PATH="$T/bin:/usr/bin:/bin" UMLNET_CONF="$T/nopol/uml_net.conf" \
	"$T/unet-kern" up 10.0.9.254 2>"$T/r.err") || fail "root without a policy got no tap: $(cat "$T/r.err")"
grep -q "ip tuntap add $R mode tap user 0" "$T/r.err" || fail "root's tap: $(cat "$T/r.err")"
nsx "$NS" env -i PATH="$T/bin:/usr/bin:/bin" UMLNET_CONF="$T/nopol/uml_net.conf" \
	"$T/unet-kern" cycles 3 10.0.9.254 10.0.9.1 255.255.255.0 2>"$T/r.err" ||
	fail "root's cycles: $(cat "$T/r.err")"
busywait 5 eval "! ip -n $NS -o link show | grep -q tap" || fail "taps left: $(ip -n "$NS" -o link show)"
ip -n "$NS" route | grep 10.0.9 >/dev/null && fail "root's routes left: $(ip -n "$NS" route)"
log "ok: tuntap through our uml_net: ping both ways, quota and policy enforced, cleaned up; persistent taps reclaimed; root needs no policy"
