#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 32-uml-net-policy: our setuid uml_net refuses what it must, run directly
# as unprivileged users in a network namespace: malformed argv, version and
# transport errors, host interfaces (eth0, lo, a bridge), another user's
# tap, the user's own tunctl tap (not made by uml_net), odd and over-long
# names, option/shell injection, addresses outside the policy, network and
# broadcast guest addresses, users the policy does not name, a hostile
# environment (UMLNET_CONF, LD_PRELOAD, PATH, and libnl's NLSYSCONFDIR,
# NLDBG, NLCB, which no library may read while uml_net is root), a policy
# file not owned by root, a "del" of an address routed elsewhere (root's
# proxy entry stays), a UDP stdout (no fd can pass), a denied group that
# an old lookup missed (the 70th group; a 70-character user name; more
# groups than uml_net checks; a tiny RLIMIT_NOFILE).  Each refusal is a
# clear message with a non-zero exit and is logged to syslog (a socat on
# /dev/log in a private mount namespace); the namespace's addresses,
# routes, links and neighbours are byte-identical before and after.
# The lock: a request stuck writing its reply (a full pipe) delays no
# other; a request holding a user's lock delays only that user, for at
# most 5 s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

need socat logger
TU=$UNET_TU TU2=$UNET_TU2
unet_user "$TU"
unet_user "$TU2"
unet_setuid
# groups 60001-60070 and user 60100 (a 70-character name) exist only in
# the overlay /etc of the cases that add them (PRE_GROUPS, PRE_LONGNAME)
LONGNAME=u$(printf 'x%.0s' $(seq 69))
unet_policy "allow user $TU devices 2 gateway 10.0.9.254 guest 10.0.9.0/24
allow user 60100 devices 2 gateway 10.0.9.254
deny group 60070"
mkdir -p "$T/badpol" "$T/evil" "$T/nlconf" "$T/nlsecret"
mkfifo -m 600 "$T/nlconf/classid"
echo "1:1 secret" >"$T/nlsecret/classid"; chmod 700 "$T/nlsecret"
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
if [ -n "${PRE_GROUPS:-}" ]; then
	for i in $(seq 70); do echo "unetg$i:x:$((60000 + i)):$u"; done >>/etc/group
fi
[ -z "${PRE_LONGNAME:-}" ] || echo "$PRE_LONGNAME:x:60100:60100::/:/bin/false" >>/etc/passwd
socat -u UNIX-RECV:/dev/log,mode=666 OPEN:"$T/syslog.txt",creat,append </dev/null 2>/dev/null &
sp=$!
for i in $(seq 100); do [ -S /dev/log ] && break; sleep 0.02; done
[ -z "${OUT_UDP:-}" ] || exec >/dev/udp/127.0.0.1/9
setpriv --reuid="$u" --regid="${REGID:-$(id -g "$u")}" ${SP_GROUPS:---init-groups} \
	env -i $UENV ${LIMIT:-} "$T/bin/uml_net" "$@"
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
# tapm: a tap as uml_net makes them for $TU (marked, held open, not
# persistent); root's own proxy entry for 10.0.9.5 on eth0
bg holdm ip netns exec "$NS" "$T/unet-kern" hold tapm
busywait 10 ip -n "$NS" link show tapm >/dev/null 2>&1 || fail "no tapm: $(cat "$T/holdm.log")"
ip -n "$NS" link set tapm alias "uml_net:uid=$(id -u "$TU")" && ip -n "$NS" link set tapm up
ip -n "$NS" neigh add proxy 10.0.9.5 dev eth0 || fail "proxy entry"

snapshot() {
	{ ip -n "$NS" -j addr; ip -n "$NS" -j route show table all; ip -n "$NS" -j -d link | sed -E 's/"[a-z_]*_timer":[0-9.]*//g'
	  ip -n "$NS" neigh show proxy; nsx "$NS" sysctl -n net.ipv4.ip_forward
	  nsx "$NS" sysctl -a 2>/dev/null | grep -E 'proxy_(arp|ndp) '; } >"$1"
}
snapshot "$T/before"

N=0
# refused WANT-ERE [USER] -- ARGS...: uml_net must exit non-zero and say
# WANT, within 20 s
refused() {
	local want=$1 u=$TU rc=0
	shift
	[ "$1" != -- ] && { u=$1; shift; }
	shift
	N=$((N + 1))
	timeout -k 2 20 ip netns exec "$NS" unshare -m --propagation private "$T/inner" "$u" "$@" \
		>"$T/c$N.out" 2>"$T/c$N.err" </dev/null || rc=$?
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || fail "case $N (uml_net $*) hung: killed after 20 s"
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
refused "longer than 15 bytes" -- 4 add tapuuuuuuuuuuuuu 10.0.9.1 255.255.255.0
refused "longer than 15 bytes" -- 4 add eth0000000000000000000000000 10.0.9.1 255.255.255.0
refused "device name: empty" -- 4 add "" 10.0.9.1 255.255.255.0
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
refused "stdout must be the AF_UNIX datagram socket" -- 4 tuntap up 10.0.9.254
refused "stdin is not a pty slave" -- 4 slip down sl0
# a UDP socket is a datagram socket too, but drops SCM_RIGHTS unseen
OUT_UDP=1 refused "stdout must be the AF_UNIX datagram socket" -- 4 tuntap up 10.0.9.254
# not a host on its subnet (routing them would proxy-ARP the subnet's own)
refused "guest address 10.0.9.0 is the network address" -- 4 add tapm 10.0.9.0 255.255.255.0
refused "guest address 10.0.9.255 is the broadcast address" -- 4 add tapm 10.0.9.255 255.255.255.0
refused "guest address 224.0.0.5 is a multicast address" -- 4 add tapm 224.0.0.5 255.255.255.255
# del of an address routed to none of the caller's devices: root's proxy
# entry for it on eth0 must stay
refused "10.0.9.5 is not routed to tapm: nothing changed" -- 4 del tapm 10.0.9.5 255.255.255.0
# groups come from the kernel (getgroups), not from a lookup that can fail
# or stop short: the 70th group, a long name, too many groups
PRE_GROUPS=1 refused "gateway address 10.0.9.254 denied by the policy" -- 4 tuntap up 10.0.9.254
PRE_LONGNAME=$LONGNAME REGID=60100 SP_GROUPS=--groups=60070 \
	refused "gateway address 10.0.9.254 denied by the policy" 60100 -- 4 tuntap up 10.0.9.254
SP_GROUPS=--groups=$(seq -s, 61001 62100) refused "more than 1023 groups" -- 4 tuntap up 10.0.9.254
LIMIT="prlimit --nofile=6:6" SP_GROUPS=--groups=60070 \
	refused "cannot load|denied by the policy|everything is denied" -- 4 tuntap up 10.0.9.254
# libnl's variables: no constructor may read them while uml_net is root
# (a root-only FIFO as NLSYSCONFDIR/classid: root would block opening it)
UENV="NLSYSCONFDIR=$T/nlconf NLDBG=7 NLCB=debug" \
	refused "'eth0' is a host interface" -- 4 add eth0 10.0.9.1 255.255.255.0
UENV="NLSYSCONFDIR=$T/nlsecret NLDBG=7 NLCB=debug" \
	refused "'eth0' is a host interface" -- 4 add eth0 10.0.9.1 255.255.255.0
grep -Eiq "classid|debug|nlmsg|netlink message" "$T/c$N.err" "$T/c$N.out" &&
	fail "libnl read the caller's NLDBG/NLCB: $(head -5 "$T/c$N.err")"
readelf -d "$T/bin/uml_net" | grep NEEDED | grep -v 'libc\.so' >/dev/null &&
	fail "uml_net links more than libc: $(readelf -d "$T/bin/uml_net" | grep NEEDED)"
# hostile environment: ignored (the user cannot choose the policy)
UENV="UMLNET_CONF=$T/evil/uml_net.conf LD_PRELOAD=$T/evil/x.so PATH=$T/evil IFS=. LANG=xx" \
	refused "gateway address 10.1.1.1 is outside the ranges" -- 4 tuntap up 10.1.1.1
# a policy file the user owns is no policy at all
POLDIR=badpol refused "must be owned by root" -- 4 tuntap up 10.0.9.254
grep -q "deny by default" "$T/c$N.out" "$T/c$N.err" || fail "bad policy: not denied by default: $(cat "$T/c$N.err")"

# the lock: a request stuck writing its reply (stdout and stderr a full
# pipe) must not hold it: another user's request and the same user's next
# one go through at once
bg stall sh -c '{ head -c 65536 /dev/zero; exec ip netns exec "$1" unshare -m --propagation private "$2/inner" "$3" 4 add stall0 10.0.9.7 255.255.255.0; } 2>&1 | sleep 100' \
	sh "$NS" "$T" "$TU"
busywait 10 grep -q "'stall0': no such device" "$T/syslog.txt" || fail "the stalled request did not run"
alive stall || fail "the stalled request did not stall: $(cat "$T/stall.log")"
refused "allows nothing to this user" "$TU2" -- 4 tuntap up 10.0.9.254
refused "'eth0' is a host interface" -- 4 add eth0 10.0.9.1 255.255.255.0
stop stall KILL
N=$((N + 1))		# the stalled one's refusal is in syslog too
# a request holding $TU's lock (as if stopped inside): $TU2 is not
# delayed; $TU waits 5 s, then is refused
bg lockhold python3 -c 'import fcntl, os, sys, time
f = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(f, fcntl.LOCK_EX, 1, int(sys.argv[2]), 0)
open(sys.argv[3], "w").close()
time.sleep(100)' "$T/pol/uml_net.lock" "$(id -u "$TU")" "$T/locked"
busywait 10 test -e "$T/locked" || fail "could not take the lock: $(cat "$T/lockhold.log")"
t0=$(date +%s%N)
refused "allows nothing to this user" "$TU2" -- 4 tuntap up 10.0.9.254
t1=$(date +%s%N)
[ $(( (t1 - t0) / 1000000 )) -lt 3000 ] || fail "$TU2 was delayed $(( (t1 - t0) / 1000000 )) ms by $TU's lock"
refused "another uml_net request of this user has held the lock for 5 s" -- 4 tuntap up 10.0.9.254
t2=$(date +%s%N)
[ $(( (t2 - t1) / 1000000 )) -ge 4500 ] && [ $(( (t2 - t1) / 1000000 )) -lt 10000 ] ||
	fail "$TU waited $(( (t2 - t1) / 1000000 )) ms for its lock, not about 5 s"
stop lockhold KILL

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
