#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 71-kernel-slip-uml-net: the legacy `eth0=slip,GATE` line with our kernel,
# run as an unprivileged user in a network namespace.  As the stock kernel
# does, the driver opens a pty and runs "uml_net 4 slip up GATE" with the
# slave on its stdin; our setuid uml_net (first in PATH, test policy) makes
# the tun umlsl<N> and relays SLIP in user space, so this works on a host
# without N_SLIP.  The guest's address is routed on the host through
# "uml_net 4 add"; pings cross both ways (payloads full of SLIP's END and
# ESC bytes), 200 KB cross by TCP; after the guest halts the relay, the
# tun and the route are gone.  A gateway outside the policy: the device is
# not made and the guest boots on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need socat cmp

TU=$UNET_TU
unet_user "$TU"
unet_setuid
unet_policy "allow user $TU devices 1 gateway 10.0.71.254 guest 10.0.71.0/24"
mkdir -p "$T/uml"
chown "$TU" "$T" "$T/uml"
cat >"$T/kern" <<EOF2
#!/bin/sh
exec "$T/asuser" "$TU" "$OUR_KERNEL" "\$@"
EOF2
chmod 755 "$T/kern"
head -c 200000 /dev/urandom >"$T/data"

NS=ks$UID8
netns_add "$NS"
guest_script g <<'EOF2'
ip link show eth1 >/dev/null 2>&1 && { echo "g: eth1 exists (gateway outside the policy)"; exit 1; }
ip addr add 10.0.71.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 15 -p c0 10.0.71.254 || { echo "g: no reply from the gateway"; exit 1; }
sleep 120 | nc -l -p 5000 >/tmp/recv &
lw 5000 10 || exit 1
touch /t/g.up
n=0
until [ "$(wc -c </tmp/recv)" -ge 200000 ]; do
	n=$((n + 1)); [ $n -gt 600 ] && { echo "g: got $(wc -c </tmp/recv) bytes"; exit 1; }; sleep 0.1
done
cmp /tmp/recv /t/data || { echo "g: the data differs"; exit 1; }
echo g-received
gw /t/done 60
EOF2
GUEST_NS=$NS GUEST_KERNEL=$T/kern guest_start g eth0=slip,10.0.71.254 eth1=slip,10.0.72.254
if ! busywait 60 eval "[ -e '$T/g.up' ] || [ -e '$T/g.rc' ]" || [ ! -e "$T/g.up" ]; then
	guest_ok g 10
	fail "guest did not get through its script"
fi
DEV=$(ip -n "$NS" -o link show | awk -F': ' '/umlsl[0-9]/ {print $2; exit}')
[ -n "$DEV" ] || fail "no umlsl device in $NS"
[ "$(ip -n "$NS" -o link show | grep -c umlsl)" = 1 ] || fail "more than one umlsl device"
RELAY=$(sed -n 's/.*slip relay (pid \([0-9]*\).*/\1/p' "$T/g.console" | head -1)
[ -n "$RELAY" ] || fail "the console lacks uml_net's relay line"
[ "$(stat -c %U "/proc/$RELAY")" = "$TU" ] || fail "relay $RELAY does not run as $TU"
ip -n "$NS" addr show "$DEV" | grep "inet 10.0.71.254/32" >/dev/null || fail "gateway not on $DEV"
ip -n "$NS" route show 10.0.71.1 | grep "dev $DEV" >/dev/null ||
	fail "no host route to the guest via $DEV (uml_net add): $(ip -n "$NS" route)"
nsx "$NS" ping -c 3 -w 15 -p dbc0 10.0.71.1 >"$T/hostping.out" 2>&1 ||
	{ touch "$T/done"; fail "host could not ping the guest: $(tail -2 "$T/hostping.out")"; }
nsx "$NS" timeout 60 socat -u FILE:"$T/data" TCP:10.0.71.1:5000 ||
	{ touch "$T/done"; fail "TCP to the guest failed"; }
busywait 60 eval "grep -q g-received '$T/g.out' || [ -e '$T/g.rc' ]"
touch "$T/done"
guest_ok g 30
grep -q "SLIP relay - host device $DEV" "$T/g.console" || fail "console lacks the device line"
grep -q "eth1: .*10.0.72.254" "$T/g.console" || fail "console lacks the refusal of eth1"
busywait 10 eval "[ ! -d /proc/$RELAY ]" || fail "relay $RELAY still running after the guest halted"
busywait 10 eval "! ip -n $NS link show $DEV >/dev/null 2>&1" || fail "$DEV still there after the guest halted"
ip -n "$NS" route | grep 10.0.71 >/dev/null && fail "routes left: $(ip -n "$NS" route)"
log "ok: eth0=slip,GATE with our kernel through uml_net's user-space relay: ping both ways, 200 KB by TCP, cleaned up"
