#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 45-slirp-legacy: uml_slirp as a drop-in for the legacy slirp program of the
# stock kernel's slirp transport (eth0=slirp,,uml_slirp,ARGS; SLIP, IPv4).
# Everything runs as an unprivileged user.  The guest fetches a file from a
# TCP server on the host's 127.0.0.1 (10.0.2.2 seen from the guest), and a
# classic "redir_HOSTPORT_GUESTPORT" argument forwards a host port to a
# server in the guest.  The helper must exit when the interface goes down.
# Then plain eth0=slirp (no program: the kernel runs "slirp" from PATH)
# with uml_slirp installed under that name.  Last, uml_slirp --bess serves
# a vec0:transport=bess guest directly (DHCP, fetch), as slirp4netns
# --target-type=bess does, and exits when the guest leaves.
. "$(dirname "$0")/lib.sh"

slirp_setup "$GUEST_KERNEL"
GUEST_KERNEL=$T/kernel

# the kernel turns every '_' of the helper's path into ' ' (the stock kernel's slirp transport does)
ln -s "$UML_SLIRP" "$T/uml-slirp"

head -c 300000 /dev/urandom >"$T/www/data.bin"
FWD=$(rand_port)
web_start 127.0.0.1

guest_script g <<EOF2
ifconfig eth0 10.0.2.15 up || exit 1
route add default dev eth0
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo fetched-ok
# a server for the host's forwarded port
echo hello-from-guest >/tmp/hello
(nc -l -p 80 </tmp/hello >/t/fwd-in.txt) &
lw 80 10 || exit 1
touch /t/g.listening
gw /t/host.done 60 || exit 1
ifconfig eth0 down
EOF2

guest_start g eth0=slirp,,"$T/uml-slirp",redir_${FWD}_80
busywait 60 grep -Eqs 'fetched-ok|failed|differs' "$T/g.out" || fail "guest made no progress: $(tail -5 "$T/g.console")"
grep -q fetched-ok "$T/g.out" || { cat "$T/g.out" >&2; fail "guest could not fetch the file through uml_slirp"; }
busywait 30 test -e "$T/g.listening" || fail "guest server not started"
busywait 20 slirp_fwd_try 127.0.0.1 "$FWD" ||
	fail "host port $FWD did not reach the guest (got '$(cat "$T/fwd-out.txt")')"
touch "$T/host.done"
guest_ok g 60
grep -q hello-from-host "$T/fwd-in.txt" || fail "the guest server did not get the host's data"
busywait 5 eval "! pgrep -f '^$T/uml-slirp' >/dev/null" || fail "uml_slirp still running after the guest ended"

# drop-in under the legacy name: eth0=slirp runs "slirp" found in PATH
mkdir -p "$T/bin"
ln -s "$UML_SLIRP" "$T/bin/slirp"
guest_script h <<EOF2
ifconfig eth0 10.0.2.15 up || exit 1
route add default dev eth0
ping -c 2 -w 10 10.0.2.2 || { echo "h: no ping reply from 10.0.2.2"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "h: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "h: file differs"; exit 1; }
echo h-ok
EOF2
PATH="$T/bin:$PATH" guest_start h eth0=slirp
guest_ok h 60
grep -q h-ok "$T/h.out" || fail "guest h: $(tail -3 "$T/h.out")"
grep -q "'slirp'" "$T/h.console" || fail "the kernel did not run 'slirp': $(grep -A2 SLIRP "$T/h.console")"

# uml_slirp --bess: one UML vector client
bg bess "${AS_USER[@]}" "$UML_SLIRP" --bess "$T/bess.sock" -v
busywait 10 test -S "$T/bess.sock" || fail "uml_slirp --bess did not listen: $(cat "$T/bess.log")"
guest_script v <<EOF2
ip link set vec0 up
udhcpc -i vec0 -q -n -t 10 -T 1 || { echo "v: no DHCP lease"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "v: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "v: file differs"; exit 1; }
echo v-ok
EOF2
guest_start v vec0:transport=bess,dst="$T/bess.sock"
guest_ok v 60
grep -q v-ok "$T/v.out" || fail "guest v: $(tail -3 "$T/v.out")"
busywait 10 eval "! alive bess" || fail "uml_slirp --bess still running after its client left"
stop bess || fail "uml_slirp --bess exit status $?: $(tail -3 "$T/bess.log")"
[ -e "$T/bess.sock" ] && fail "uml_slirp --bess left its socket behind"
log "ok: legacy slirp guest fetched 300000 bytes from the host; redir reached the guest; eth0=slirp with uml_slirp as 'slirp' in PATH; uml_slirp --bess served a vec0 guest (as $TEST_USER)"
