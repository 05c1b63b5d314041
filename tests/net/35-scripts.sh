#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 35-scripts: the host-setup recipes in scripts/, in namespaces (host H,
# "LAN host" L, joined by veth pairs), each with a stock UML guest run as an
# unprivileged user:
#  - uml-guest + uml-bridge-tap (ip link): the guest and L share a bridge,
#    ping both ways; the tap is gone when the guest halts
#  - uml-bridge-tap --brctl: the same with bridge-utils
#  - uml-guest + uml-proxy-arp: L reaches the guest through proxy ARP (no
#    bridge); uml-guest --stop ends it and removes tap, route and proxy entry
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

need brctl
S=$ROOT/scripts
TU=$UNET_TU
unet_user "$TU"
for s in uml-bridge-tap uml-proxy-arp uml-guest; do
	"$S/$s" --help | grep -q '^Usage' || fail "$s --help"
done
guestroot_build
chown "$TU" "$T"; mkdir -p "$T/uml"; chown "$TU" "$T/uml"

H=sh$UID8 L=sl$UID8
netns_add "$H"; netns_add "$L"
for p in a b p; do
	ip link add h$p type veth peer name l$p || fail "veth"
	ip link set h$p netns "$H"; ip link set l$p netns "$L"
	ip -n "$H" link set h$p up; ip -n "$L" link set l$p up
done
ip -n "$L" addr add 10.0.6.2/24 dev la
ip -n "$L" addr add 10.0.16.2/24 dev lb
ip -n "$L" addr add 10.0.5.2/24 dev lp
ip -n "$H" addr add 10.0.5.100/24 dev hp

# in H, with a /dev/net/tun the user may open (0600 on some hosts), only in
# a private mount namespace
cat >"$T/inh" <<EOF2
#!/bin/sh
exec ip netns exec "$H" unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=755 tun /dev/net &&
	mknod -m 666 /dev/net/tun c 10 200 && exec "\$@"' sh "\$@"
EOF2
chmod 755 "$T/inh"
kargs() {	# kargs NAME: the guest's kernel command line (as guest_start:
	# mem=256M, room for the stock kernel's boot-time helper threads)
	echo mem=256M root=/dev/root rootfstype=hostfs rootflags="$BUILD/guestroot" rw init=/init \
		umid="$1" uml_dir="$T/uml" con=null con0=fd:0,fd:1 tdir="$T" guest="$1"
}
finished() { busywait "${2:-60}" eval "[ -e '$T/$1.rc' ]" || fail "guest $1 did not finish: $(tail -n 5 "$T/$1.log" "$T/$1.out" 2>&1)"
	[ "$(cat "$T/$1.rc")" = 0 ] || fail "guest $1 failed: $(cat "$T/$1.out")"; }

# --- bridge (ip link) through uml-guest --------------------------------------
guest_script ga <<'EOF2'
ip addr add 10.0.6.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 20 10.0.6.2 || { echo "guest: LAN host unreachable over the bridge"; exit 1; }
touch /t/ga.pinged
gw /t/ga.done 60
EOF2
# shellcheck disable=SC2046 # kargs prints words to be split
bg ga "$T/inh" "$S/uml-guest" -u "$TU" -t tapga -b brga -i ha -- $(kargs ga)
busywait 60 eval "[ -e '$T/ga.pinged' ] || [ -e '$T/ga.rc' ]"
[ -e "$T/ga.pinged" ] || finished ga 5
ip -n "$H" -d link show tapga | grep "persist on user $TU" >/dev/null || fail "tapga not owned by $TU"
ip -n "$H" link show master brga | grep tapga >/dev/null || fail "tapga not on brga"
nsx "$L" ping -c 2 -w 10 10.0.6.1 >/dev/null || { touch "$T/ga.done"; fail "LAN host cannot ping the bridged guest"; }
touch "$T/ga.done"
finished ga
busywait 10 eval "! alive ga" || fail "uml-guest did not end with its guest"
ip -n "$H" link show tapga >/dev/null 2>&1 && fail "uml-guest left tapga behind"

# --- bridge (brctl) with uml-bridge-tap --------------------------------------
nsx "$H" "$S/uml-bridge-tap" --brctl -u "$TU" -b brgb -i hb add tapgb >/dev/null || fail "uml-bridge-tap --brctl add"
nsx "$H" brctl show brgb | grep tapgb >/dev/null || fail "brctl does not show tapgb on brgb"
guest_script gb <<'EOF2'
ip addr add 10.0.16.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 20 10.0.16.2 || { echo "guest: LAN host unreachable over the brctl bridge"; exit 1; }
EOF2
# shellcheck disable=SC2046 # kargs prints words to be split
bg gb "$T/inh" setpriv --reuid="$TU" --regid="$(id -g "$TU")" --init-groups env LD_PRELOAD="$UML_XSTATE" "$GUEST_KERNEL" $(kargs gb) eth0=tuntap,tapgb
finished gb
# the script is done, but the kernel may still hold the tap for a moment
busywait 10 eval "! alive gb" || fail "guest gb did not exit after its script"
nsx "$H" "$S/uml-bridge-tap" --brctl -b brgb del tapgb >/dev/null || fail "uml-bridge-tap --brctl del"
ip -n "$H" link show tapgb >/dev/null 2>&1 && fail "tapgb still there"

# --- proxy ARP through uml-guest, stopped with --stop ------------------------
guest_script gp <<'EOF2'
ip addr add 10.0.5.1/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.5.254
ping -c 3 -w 20 10.0.5.2 || { echo "guest: LAN host unreachable through proxy ARP"; exit 1; }
touch /t/gp.pinged
sleep 600
EOF2
# shellcheck disable=SC2046 # kargs prints words to be split
bg gp "$T/inh" "$S/uml-guest" -u "$TU" -t tapgp -g 10.0.5.254 -a 10.0.5.1 -l hp -p "$T/gp.pid" -- $(kargs gp)
busywait 60 eval "[ -e '$T/gp.pinged' ] || [ -e '$T/gp.rc' ]"
[ -e "$T/gp.pinged" ] || finished gp 5
ip -n "$H" neigh show proxy | grep "10.0.5.1 dev hp" >/dev/null || fail "no proxy entry for the guest on hp"
ip -n "$L" route show 10.0.5.1/32 | grep . >/dev/null && fail "L needs no route: it must be plain proxy ARP"
nsx "$L" ping -c 2 -w 10 10.0.5.1 >/dev/null || fail "LAN host cannot reach the guest through proxy ARP"
[ -s "$T/gp.pid" ] || fail "no pid file"
nsx "$H" "$S/uml-guest" --stop "$T/gp.pid" || fail "uml-guest --stop"
busywait 10 eval "! alive gp" || fail "uml-guest still running after --stop"
ip -n "$H" link show tapgp >/dev/null 2>&1 && fail "tapgp left after --stop"
ip -n "$H" neigh show proxy | grep "^10.0.5.1 " >/dev/null && fail "proxy entry left after --stop"
ip -n "$H" route show 10.0.5.1/32 | grep . >/dev/null && fail "route left after --stop"
[ -e "$T/gp.pid" ] && fail "pid file left after --stop"
log "ok: bridge (ip, brctl) and proxy-ARP recipes carry a user's guest; uml-guest cleans up"
