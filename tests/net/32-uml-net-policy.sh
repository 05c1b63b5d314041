#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 32-uml-net-policy: our setuid uml_net refuses what it must, run directly
# as unprivileged users in a network namespace: malformed argv, version and
# transport errors, host interfaces (eth0, lo, a bridge), another user's
# tap, the user's own tunctl tap (not made by uml_net), odd and over-long
# names, option/shell injection, addresses outside the policy, users the
# policy does not name, a hostile environment (UMLNET_CONF, LD_PRELOAD,
# PATH), a policy file not owned by root.  Each refusal is a clear message
# with a non-zero exit and is logged to syslog (a socat on /dev/log in a
# private mount namespace); the namespace's addresses, routes, links and
# neighbours are byte-identical before and after.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

need socat logger
TU=umlnet-hlp TU2=umlnet-hlp2
unet_user "$TU"
unet_user "$TU2"
unet_setuid
unet_policy "allow user $TU devices 2 gateway 10.0.9.254 guest 10.0.9.0/24"
mkdir -p "$T/badpol" "$T/evil"
cp "$T/pol/uml_net.conf" "$T/badpol/"
chown "$TU" "$T/badpol/uml_net.conf"
chmod 755 "$T/badpol"
echo "allow all devices 100 gateway 0.0.0.0/0 guest 0.0.0.0/0" >"$T/evil/uml_net.conf"
chmod -R a+rX "$T/evil"

# inner: root, in the netns and a private mount namespace: policy at
# /etc/umlnet (on an overlay of /etc), a /dev of our own with /dev/log going to $T/syslog.txt;
# then uml_net as user $1 with environment $UENV.
cat >"$T/inner" <<'EOF2'
#!/bin/bash
u=$1; shift
o=$(mktemp -d "$T/ovl.XXXXXX") && mkdir "$o/u" "$o/w" &&
	mount -t overlay ovl -o "lowerdir=/etc,upperdir=$o/u,workdir=$o/w" /etc &&
	mkdir -p /etc/umlnet && mount --bind "$T/${POLDIR:-pol}" /etc/umlnet || exit 99
mount -t tmpfs -o mode=755 dev /dev || exit 99
mknod -m 666 /dev/null c 1 3; mkdir /dev/net; mknod -m 666 /dev/net/tun c 10 200
socat -u UNIX-RECV:/dev/log,mode=666 OPEN:"$T/syslog.txt",creat,append </dev/null 2>/dev/null &
sp=$!
for i in $(seq 100); do [ -S /dev/log ] && break; sleep 0.02; done
setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
	env -i $UENV "$T/bin/uml_net" "$@"
rc=$?
# datagrams are read in order: once this marker is written, so is the rest
mark="umlnet-test marker $$.$RANDOM"
logger -u /dev/log -- "$mark" 2>/dev/null
for i in $(seq 250); do grep -qF "$mark" "$T/syslog.txt" 2>/dev/null && break; sleep 0.02; done
kill "$sp"; wait "$sp" 2>/dev/null
exit $rc
EOF2
chmod 755 "$T/inner"

NS=up$UID8
netns_add "$NS"
nsx "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
# a "host LAN" interface called eth0, a bridge, root's marked tap (as if
# uml_net had made it for uid 0), and the user's own tunctl tap
ip -n "$NS" link add eth0 type veth peer name eth0p && ip -n "$NS" addr add 10.0.9.100/24 dev eth0 && ip -n "$NS" link set eth0 up
ip -n "$NS" link add br0 type bridge && ip -n "$NS" link set br0 up
ip -n "$NS" tuntap add tapx mode tap user 0 && ip -n "$NS" link set tapx alias uml_net:uid=0
nsx "$NS" "$BUILD/tunctl" -u "$TU" -t tapu >/dev/null || fail "tunctl in $NS"

snapshot() {
	{ ip -n "$NS" -j addr; ip -n "$NS" -j route show table all; ip -n "$NS" -j -d link | sed -E 's/"[a-z_]*_timer":[0-9.]*//g'
	  ip -n "$NS" neigh show proxy; nsx "$NS" sysctl -n net.ipv4.ip_forward
	  nsx "$NS" sysctl -a 2>/dev/null | grep -E 'proxy_(arp|ndp) '; } >"$1"
}
snapshot "$T/before"

N=0
# refused WANT-ERE [USER] -- ARGS...: uml_net must exit non-zero and say WANT
refused() {
	local want=$1 u=$TU rc=0
	shift
	[ "$1" != -- ] && { u=$1; shift; }
	shift
	N=$((N + 1))
	nsx "$NS" unshare -m --propagation private "$T/inner" "$u" "$@" \
		>"$T/c$N.out" 2>"$T/c$N.err" </dev/null || rc=$?
	[ $rc -ne 0 ] || fail "case $N (uml_net $*) was not refused: $(cat "$T/c$N.out" "$T/c$N.err")"
	[ $rc -ne 99 ] || fail "case $N: test setup failed"
	grep -Eq -- "$want" "$T/c$N.out" "$T/c$N.err" ||
		fail "case $N (uml_net $*): wanted /$want/, got: $(cat "$T/c$N.out" "$T/c$N.err")"
}

refused "bad argument list" --
refused "tuntap: missing up/down" -- 4 tuntap
refused "Version mismatch - requested version 5, uml_net supports up to version 4" -- 5 tuntap up 10.0.9.254
refused "Unknown transport : 'frob'" -- 4 frob up 10.0.9.254
refused "No version #4 handler for 'ethertap'" -- 4 ethertap tapu 3 10.0.9.254
refused "No version #3 handler for 'tuntap'" -- 3 tuntap up 10.0.9.254
# CVE-2003-0019: reconfigure host interfaces
refused "'eth0' is a host interface" -- 4 add eth0 10.0.9.1 255.255.255.0
refused "'eth0' is a host interface" -- 4 del eth0 10.0.9.100 255.255.255.0
refused "'lo' is the loopback device" -- 4 add lo 10.0.9.1 255.255.255.0
refused "'br0' is a bridge" -- 4 add br0 10.0.9.1 255.255.255.0
refused "'tapx' was not created by uml_net for this user" -- 4 add tapx 10.0.9.1 255.255.255.0
refused "'tapu' was not created by uml_net for this user" -- 4 add tapu 10.0.9.1 255.255.255.0
refused "no such device" -- 4 add tap9 10.0.9.1 255.255.255.0
# names: odd, over-long (never truncated to an existing device)
refused "only alphanumeric" -- 4 add "eth0/../lo" 10.0.9.1 255.255.255.0
refused "only alphanumeric" -- 4 add "tapu up" 10.0.9.1 255.255.255.0
refused "only alphanumeric" -- 4 add "-o" 10.0.9.1 255.255.255.0
refused "1 to 15 characters" -- 4 add tapuuuuuuuuuuuuu 10.0.9.1 255.255.255.0
refused "1 to 15 characters" -- 4 add eth0000000000000000000000000 10.0.9.1 255.255.255.0
refused "1 to 15 characters" -- 4 add "" 10.0.9.1 255.255.255.0
# argument injection
refused "not an IPv4 or IPv6 address" -- 4 add tapu "10.0.9.1;reboot" 255.255.255.0
refused "not an IPv4 or IPv6 address" -- 4 add tapu "\$(id)" 255.255.255.0
refused "bad netmask" -- 4 add tapu 10.0.9.1 "255.0.255.0"
refused "bad netmask" -- 4 add tapu 10.0.9.1 "-net"
refused "expected DEVICE ADDRESS NETMASK" -- 4 add tapu 10.0.9.1 255.255.255.0 dev
refused "gateway is not an IPv4" -- 4 tuntap up "10.0.9.254 netmask 0.0.0.0"
refused "too many arguments" -- 4 tuntap up 10.0.9.254 eth0
refused "Too few arguments to tuntap_up" -- 4 tuntap up
refused "unknown operation" -- 4 tuntap down 10.0.9.254
# policy: address ranges, users it does not name
refused "gateway address 10.1.1.1 is outside the ranges" -- 4 tuntap up 10.1.1.1
refused "gateway address 10.0.9.1 is outside the ranges" -- 4 slip up 10.0.9.1
refused "allows nothing to this user" "$TU2" -- 4 tuntap up 10.0.9.254
refused "stdout must be the datagram socket" -- 4 tuntap up 10.0.9.254
refused "stdin is not a pty slave" -- 4 slip down sl0
# hostile environment: ignored (the user cannot choose the policy)
UENV="UMLNET_CONF=$T/evil/uml_net.conf LD_PRELOAD=$T/evil/x.so PATH=$T/evil IFS=. LANG=xx" \
	refused "gateway address 10.1.1.1 is outside the ranges" -- 4 tuntap up 10.1.1.1
# a policy file the user owns is no policy at all
POLDIR=badpol refused "must be owned by root" -- 4 tuntap up 10.0.9.254
grep -q "deny by default" "$T/c$N.out" "$T/c$N.err" || fail "bad policy: not denied by default: $(cat "$T/c$N.err")"

snapshot "$T/after"
cmp -s "$T/before" "$T/after" || fail "host state changed: $(diff "$T/before" "$T/after" | head -20)"

# every policy refusal reached syslog, with the user
grep -q "user $TU (uid $(id -u "$TU")): refused: 'eth0' is a host interface" "$T/syslog.txt" ||
	fail "refusal not in syslog: $(tail -3 "$T/syslog.txt" 2>/dev/null)"
grep -q "user $TU2 (uid $(id -u "$TU2")): refused: the policy allows nothing" "$T/syslog.txt" ||
	fail "refusal of $TU2 not in syslog"
# (syslog datagrams carry no newline)
NLOG=$(grep -o 'refused:' "$T/syslog.txt" | wc -l)
[ "$NLOG" -eq "$N" ] || fail "$N refusals but $NLOG in syslog"
log "ok: $N abusive or malformed requests refused, logged, host unchanged"
