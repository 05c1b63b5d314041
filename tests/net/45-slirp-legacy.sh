#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 45-slirp-legacy: uml_slirp as a drop-in for the legacy slirp program of the
# stock kernel's slirp transport (eth0=slirp,,uml_slirp,ARGS; SLIP, IPv4).
# Everything runs as an unprivileged user.  The guest fetches a file from a
# TCP server on the host's 127.0.0.1 (10.0.2.2 seen from the guest), and a
# classic "redir_HOSTPORT_GUESTPORT" argument forwards a host port to a
# server in the guest.  The helper must exit when the interface goes down.
. "$(dirname "$0")/lib.sh"

USER_=${UMLNET_TEST_USER:-umlnet-test}
UML_SLIRP=${UML_SLIRP:-$BUILD/uml_slirp}
[ -x "$UML_SLIRP" ] || fail "$UML_SLIRP not built (run make)"
need busybox setpriv cmp
id "$USER_" >/dev/null 2>&1 ||
	useradd --system --no-create-home --shell /usr/sbin/nologin "$USER_" ||
	fail "cannot create user $USER_"
AS_USER=(setpriv --reuid="$USER_" --regid="$USER_" --clear-groups --)

# the test dir belongs to the user: guests write their output there
mkdir -p "$T/uml" "$T/www"
chown -R "$USER_" "$T"
cat >"$T/kernel" <<EOK
#!/bin/sh
exec ${AS_USER[*]} $GUEST_KERNEL "\$@"
EOK
chmod 755 "$T/kernel"
GUEST_KERNEL=$T/kernel

# the kernel turns every '_' of the helper's path into ' ' (spec 6.1)
ln -s "$UML_SLIRP" "$T/uml-slirp"

head -c 300000 /dev/urandom >"$T/www/data.bin"
port() { shuf -i 20000-60000 -n 1; }
WEB=$(port)
FWD=$(port)
bg web "${AS_USER[@]}" busybox httpd -f -p "127.0.0.1:$WEB" -h "$T/www"
busywait 10 eval "ss -ltn | grep -q ':$WEB '" || fail "host web server did not start: $(cat "$T/web.log")"

guest_script g <<EOF2
ifconfig eth0 10.0.2.15 up || exit 1
route add default dev eth0
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo fetched-ok
# a server for the host's forwarded port
echo hello-from-guest >/tmp/hello
(nc -l -p 80 </tmp/hello >/t/fwd-in.txt) &
touch /t/g.listening
gw /t/host.done 60 || exit 1
ifconfig eth0 down
EOF2

guest_start g eth0=slirp,,"$T/uml-slirp",redir_${FWD}_80
busywait 60 grep -Eqs 'fetched-ok|failed|differs' "$T/g.out" || fail "guest made no progress: $(tail -5 "$T/g.console")"
grep -q fetched-ok "$T/g.out" || { cat "$T/g.out" >&2; fail "guest could not fetch the file through uml_slirp"; }
busywait 30 test -e "$T/g.listening" || fail "guest server not started"
sleep 0.5	# nc in the guest: started just before the flag, give it a moment
got=
for i in 1 2 3 4 5 6 7 8 9 10; do
	got=$(echo hello-from-host | "${AS_USER[@]}" busybox timeout 5 nc 127.0.0.1 "$FWD" 2>/dev/null)
	[ "$got" = hello-from-guest ] && break
	sleep 0.5
done
[ "$got" = hello-from-guest ] || fail "host port $FWD did not reach the guest (got '$got')"
touch "$T/host.done"
guest_ok g 60
grep -q hello-from-host "$T/fwd-in.txt" || fail "the guest server did not get the host's data"
pgrep -u "$USER_" -f "$UML_SLIRP" >/dev/null && fail "uml_slirp still running after the guest ended"
grep -q 'uml_slirp' "$T/g.console" || true
log "ok: legacy slirp guest fetched 300000 bytes from the host; redir reached the guest (as $USER_)"
