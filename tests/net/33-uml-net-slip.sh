#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 33-uml-net-slip: "uml_net 4 slip up GATE" relays SLIP in user space (this
# host has no N_SLIP).  The stock UML kernel cannot be the peer here: after
# slip up it asks the pty for the SLIP interface name (SIOCGIFNAME on the
# slave), which only a kernel SLIP line discipline answers.  So socat plays
# UML's side exactly as UML does it: a raw pty, uml_net run as the user with
# the slave on stdin, then add/del/slip down; SLIP frames are written to and
# read from the pty master.  Checked: the tun umlslN appears with the
# gateway and a host route; a host ping reaches the pty SLIP-framed; a
# SLIP-framed echo request (payload with C0/DB escapes) is answered by the
# host through the relay; slip down removes the tun and ends the relay;
# a pty hang-up ends the relay and removes the tun too.  IPv6 del turns
# proxy_ndp off again with the last proxy entry.  A pty of a private
# devpts instance (unshare -Urm; its /dev/pts/0 is not the system's) is
# refused: it would take the umlslN name of another user's pty N.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

need socat od
TU=$UNET_TU
RELAYS=()
_relays_kill() { local p; for p in "${RELAYS[@]}"; do kill "$p" 2>/dev/null; done; return 0; }
trap '_rc=$?; _relays_kill; _unet_cleanup; (exit $_rc); _cleanup' EXIT
unet_user "$TU"
unet_setuid
unet_policy "allow user $TU devices 1 gateway 10.0.8.254 guest 10.0.8.0/24,2001:db8:8::/64"
chown "$TU" "$T"

# as_user "SHELL COMMAND": in the netns, policy mounted, as $TU
as_user() { "$T/asuser" -n "$NS" "$TU" sh -c "$1"; }
NS=us$UID8
netns_add "$NS"
# a host LAN interface on the guest's subnets: add must publish the guest
# there (proxy ARP / proxy NDP), del must withdraw it
ip -n "$NS" link add lan0 type veth peer name lan1
ip -n "$NS" addr add 10.0.8.100/24 dev lan0
ip -n "$NS" addr add 2001:db8:8::100/64 dev lan0 nodad

# UML's side of the line: the pty master; what arrives goes to cap.bin,
# the echo request is written once $T/go exists.
PKT='\300\105\000\000\057\022\064\000\000\100\001\103\234\012\000\010\001\012\000\010\376\010\000\020\104\102\102\000\001\165\155\154\156\145\164\055\163\154\151\160\333\334\333\335\333\334\333\335\145\156\144\056\300'
cat >"$T/side.sh" <<EOF2
#!/bin/sh
exec 3<&0
cat <&3 >"$T/cap.bin" &
while [ ! -e "$T/go" ]; do sleep 0.05; done
printf '$PKT'
exec sleep 600
EOF2
chmod 755 "$T/side.sh"

hexcap() { od -An -tx1 -v "$T/cap.bin" 2>/dev/null | tr -s ' \n' '  '; }
has() { hexcap | grep "$1" >/dev/null; }

pty_start() {	# pty_start NAME: socat as the user, pty link $T/NAME
	rm -f "$T/$1" "$T/go" "$T/cap.bin"
	bg "$1" setpriv --reuid="$TU" --regid="$(id -g "$TU")" --init-groups \
		socat PTY,link="$T/$1",rawer,echo=0 EXEC:"$T/side.sh"
	busywait 10 test -e "$T/$1" || fail "socat made no pty: $(cat "$T/$1.log")"
}

slip_up() {	# slip_up PTY: uml_net slip up as UML runs it; sets DEV, RELAY
	as_user "uml_net 4 slip up 10.0.8.254 <>$T/$1 >$T/up.out 2>$T/up.err" ||
		fail "slip up failed: $(cat "$T/up.out" "$T/up.err")"
	RELAY=$(sed -n 's/.*slip relay (pid \([0-9]*\).*/\1/p' "$T/up.out")
	[ -n "$RELAY" ] || fail "no relay pid in: $(cat "$T/up.out")"
	RELAYS+=("$RELAY")
	DEV=$(ip -n "$NS" -o link show | awk -F': ' '/umlsl[0-9]/ {print $2; exit}')
	[ -n "$DEV" ] || fail "no umlsl device after slip up: $(cat "$T/up.out")"
	[ "$(stat -c %U /proc/$RELAY)" = "$TU" ] || fail "relay $RELAY does not run as $TU"
	grep '^CapEff:[[:space:]]*0*$' /proc/$RELAY/status >/dev/null || fail "relay $RELAY kept capabilities"
	grep '^CapPrm:[[:space:]]*0*$' /proc/$RELAY/status >/dev/null || fail "relay $RELAY kept permitted capabilities"
	[ "$(ls /proc/$RELAY/fd | sort -n | tr '\n' ' ')" = "0 1 2 3 " ] ||
		fail "relay $RELAY holds more than the pty and the tun: $(ls -l /proc/$RELAY/fd)"
}

# a pty from a private devpts instance, reopened through /proc/PID/fd
cat >"$T/privpts.py" <<'EOF2'
import os, time
m, s = os.openpty()
print(os.getpid(), s, os.ttyname(s), flush=True)
time.sleep(100)
EOF2
bg privpts setpriv --reuid="$TU" --regid="$(id -g "$TU")" --init-groups \
	unshare -Urm sh -c 'mount -t devpts -o newinstance devpts /dev/pts && exec python3 "$0"' "$T/privpts.py"
busywait 10 grep -q /dev/pts "$T/privpts.log" || fail "no pty in a private devpts: $(cat "$T/privpts.log")"
read -r PPID_ PFD PNAME <"$T/privpts.log"
as_user "uml_net 4 slip up 10.0.8.254 <>/proc/$PPID_/fd/$PFD >$T/pp.out 2>&1" &&
	fail "slip up on $PNAME of a private devpts instance was accepted: $(cat "$T/pp.out")"
grep -q "stdin is not $PNAME of this system" "$T/pp.out" || fail "private devpts pty: $(cat "$T/pp.out")"
ip -n "$NS" -o link show | grep umlsl >/dev/null && fail "a umlsl device was made for a private pty"
stop privpts KILL

pty_start pty1
slip_up pty1
grep -q "^\* ip tuntap add $DEV mode tun user $(id -u "$TU")" "$T/up.out" || fail "unexpected output: $(cat "$T/up.out")"
ip -n "$NS" addr show "$DEV" | grep "inet 10.0.8.254/32" >/dev/null || fail "gateway not on $DEV"
ip -n "$NS" -d link show "$DEV" | grep "tun type tun pi off" >/dev/null || fail "$DEV is not a tun without PI"
as_user "uml_net 4 add $DEV 10.0.8.1 255.255.255.0 >$T/add.out 2>&1" || fail "add failed: $(cat "$T/add.out")"
ip -n "$NS" route show 10.0.8.1 | grep "dev $DEV" >/dev/null || fail "no route to the guest via $DEV"
ip -n "$NS" neigh show proxy | grep "^10.0.8.1 dev lan0" >/dev/null || fail "guest not published on lan0: $(cat "$T/add.out")"
# IPv6: host route and proxy NDP (by hand: UML itself only passes IPv4)
as_user "uml_net 4 add $DEV 2001:db8:8::1 64 >$T/add6.out 2>&1" || fail "add (IPv6) failed: $(cat "$T/add6.out")"
ip -n "$NS" -6 route show 2001:db8:8::1 | grep "dev $DEV" >/dev/null || fail "no IPv6 route to the guest: $(cat "$T/add6.out")"
ip -n "$NS" -6 neigh show proxy | grep "^2001:db8:8::1 dev lan0" >/dev/null || fail "no proxy NDP entry on lan0"
[ "$(nsx "$NS" cat /proc/sys/net/ipv6/conf/lan0/proxy_ndp)" = 1 ] || fail "proxy_ndp is off on lan0"
as_user "uml_net 4 add $DEV 2001:db8:9::1 64 >$T/add6b.out 2>&1" && fail "IPv6 address outside the policy accepted"
as_user "uml_net 4 del $DEV 2001:db8:8::1 64 >$T/del6.out 2>&1" || fail "del (IPv6) failed: $(cat "$T/del6.out")"
ip -n "$NS" -6 route show 2001:db8:8::1 | grep . >/dev/null && fail "IPv6 route left after del"
ip -n "$NS" -6 neigh show proxy | grep "2001:db8:8::1" >/dev/null && fail "proxy NDP entry left after del"
[ "$(nsx "$NS" cat /proc/sys/net/ipv6/conf/lan0/proxy_ndp)" = 0 ] ||
	fail "proxy_ndp still on on lan0 after its last proxy entry went: $(cat "$T/del6.out")"

# host -> line: a ping of the guest address arrives SLIP-framed on the pty
nsx "$NS" ping -c 1 -W 1 10.0.8.1 >/dev/null 2>&1
busywait 10 has "c0 45 .* 0a 00 08 fe 0a 00 08 01 08 00" ||
	fail "the host's echo request did not reach the pty: $(hexcap | head -c 300)"
# line -> host -> line: our echo request is answered through the relay
touch "$T/go"
busywait 10 has "0a 00 08 fe 0a 00 08 01 00 00 .*db dc db dd db dc db dd 65 6e 64 2e c0" ||
	fail "no SLIP-framed echo reply from the host: $(hexcap | head -c 400)"

# slip down (fd 0 is the pty, the name argument is ignored): tun and relay go
as_user "uml_net 4 slip down sl0 <>$T/pty1 >$T/down.out 2>&1" || fail "slip down failed: $(cat "$T/down.out")"
busywait 10 eval "! ip -n $NS link show $DEV >/dev/null 2>&1" || fail "$DEV still there after slip down"
busywait 10 eval "[ ! -d /proc/$RELAY ]" || fail "relay $RELAY still running after slip down"
ip -n "$NS" neigh show proxy | grep "^10.0.8.1 " >/dev/null && fail "proxy ARP entry left on lan0"
ip -n "$NS" route | grep 10.0.8 >/dev/null && fail "routes left: $(ip -n "$NS" route)"
stop pty1

# a hang-up of the pty (UML died) ends the relay and removes the tun
pty_start pty2
slip_up pty2
as_user "uml_net 4 slip up 10.0.8.254 <>$T/pty2 >$T/up2.out 2>&1" &&
	fail "a second slip up on the same line was not refused"
grep -q "refused: quota exceeded" "$T/up2.out" || fail "second slip up: $(cat "$T/up2.out")"
stop pty2
busywait 10 eval "[ ! -d /proc/$RELAY ]" || fail "relay $RELAY survived the pty hang-up"
busywait 10 eval "! ip -n $NS link show $DEV >/dev/null 2>&1" || fail "$DEV still there after the hang-up"
log "ok: SLIP relayed both ways in user space; slip down and hang-up clean up"
