#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 44-slip: frames cross a slip transport between a stock guest and the
# switch through a pty pair.
#   guest A: eth0=slirp,,HELPER -- the stock kernel's SLIP-over-a-stream
#            transport (spec 6); HELPER is `socat FD:0 PTY,link=$T/pty`,
#            so A's SLIP bytes come out of a pty slave
#   switch:  --port slip:path=$T/pty,gate=10.0.4.1 -- our slip transport on
#            that pty: it answers ARP for A's address, strips/adds Ethernet
#   guest B: eth0=daemon on the switch
# B and A ping each other (with 0xc0/0xdb payload bytes, which SLIP must
# escape) and B sends A 64 KiB of random data over TCP, compared with cmp.
# Bad slip specs are refused naming the culprit.
. "$(dirname "$0")/lib.sh"
need socat

NS=sl$UID8
netns_add "$NS"

bad() {
	local spec=$1 word=$2 out
	if out=$(ip netns exec "$NS" "$UML_SWITCH" -unix "$T/bad.ctl" --port "$spec" 2>&1 </dev/null); then
		fail "uml_switch --port '$spec' was accepted"
	fi
	grep -qF -- "$word" <<<"$out" || fail "--port '$spec': message does not name '$word': $out"
}
bad "slip,10.0.4.1" "path"
bad "slip:gate=10.0.4.1,path=$T/nopty" "$T/nopty"
bad "slip:gate=10.0.4.256,path=/dev/null" "10.0.4.256"
bad "slip:path=/dev/null,fd=0" "not both"
bad "slip:path=/dev/null,speed=9600" "speed"
bad "slip:fd=12x" "12x"
log "ok: bad slip specs refused with the culprit named"

cat >"$T/slh" <<EOF2
#!/bin/sh
# fd 0 = fd 1 = the guest's SLIP stream socket
exec socat FD:0 PTY,link=$T/pty,rawer 2>>$T/slh.log
EOF2
chmod 755 "$T/slh"
head -c 65536 /dev/urandom >"$T/data"

guest_script a <<'EOF2'
ip addr add 10.0.4.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up 60 || exit 1
ping -c 3 -w 20 -p c0 10.0.4.2 || { echo "a: no reply from 10.0.4.2"; exit 1; }
# stdin kept open: at EOF busybox nc would close its side, and the sender's
# nc quits on that FIN before it has sent everything
sleep 120 | nc -l -p 5000 >/t/recv &
lw 5000 10 || exit 1
touch /t/a.listen
gw /t/done 90
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.4.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
ping -c 3 -w 20 -p db 10.0.4.1 || { echo "b: no reply from 10.0.4.1"; exit 1; }
gw /t/a.listen 60 || exit 1
nc 10.0.4.1 5000 </t/data &
gw /t/done 90
EOF2
GUEST_NS=$NS guest_start a eth0=slirp,,"$T/slh"
busywait 60 eval "[ -e '$T/pty' ] || [ -e '$T/a.rc' ]" && [ -e "$T/pty" ] ||
	{ guest_ok a 5; fail "guest A's SLIP helper made no pty: $(cat "$T/slh.log" 2>/dev/null)"; }

bg sw ip netns exec "$NS" "$UML_SWITCH" -unix "$T/sw.ctl" \
	--port "slip:path=$T/pty,gate=10.0.4.1"
busywait 10 test -S "$T/sw.ctl" || fail "switch did not start: $(tail -5 "$T/sw.log")"
GUEST_NS=$NS guest_start b eth0=daemon,fe:fd:0a:00:04:02,unix,"$T/sw.ctl"

if ! busywait 90 eval "cmp -s '$T/data' '$T/recv' || [ -e '$T/a.rc' ] || [ -e '$T/b.rc' ]" ||
   ! cmp -s "$T/data" "$T/recv"; then
	touch "$T/done"
	guest_ok a 10
	guest_ok b 10
	fail "the 64 KiB file did not cross the slip port intact ($(stat -c %s "$T/recv" 2>/dev/null) bytes)"
fi
touch "$T/done"
guest_ok a 30
guest_ok b 30
for n in a b; do
	grep -q '3 packets received' "$T/$n.out" || fail "guest $n: $(grep packets "$T/$n.out")"
done
alive sw || fail "switch died: $(tail -5 "$T/sw.log")"
# guest A is gone, so is its helper and the pty master: the slip port is
# reported and closed, the switch serves on
PN=$(sed -n 's/.*port \([0-9]*\): new connection (slip.*/\1/p' "$T/sw.log")
[ -n "$PN" ] || fail "no slip port in the switch's log: $(head -3 "$T/sw.log")"
wait_log "$T/sw.log" 10 "port $PN: disconnect" ||
	fail "the switch did not notice the end of the SLIP line: $(tail -3 "$T/sw.log")"
alive sw || fail "the switch died with its slip line: $(tail -5 "$T/sw.log")"
PLUG_NS=$NS plug_check after "$T/sw.ctl" 3 || fail "the switch stopped serving after the SLIP line ended"
log "ok: line gone: $(grep -E "port $PN: disconnect" "$T/sw.log" | head -1 | sed 's/^uml_switch: //')"
log "ok: slip guest <-> daemon guest over --port slip on a pty: ping both ways, 64 KiB over TCP intact"
