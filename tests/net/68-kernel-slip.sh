#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 68-kernel-slip: our kernel on the slip transport (keyed form,
# eth0=slip:path=PTY,gate=A).  The far end of the line is a stock guest
# whose SLIP-over-a-stream transport (eth0=slirp,,HELPER) comes out of a
# pty through socat.  The transport's fd is an epoll set, which cannot raise
# SIGIO, so the driver polls it each tick: pings both ways (payloads with
# SLIP's 0xc0/0xdb bytes) and 64 KiB over TCP must cross intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need socat cmp

NS=ks$UID8
netns_add "$NS"
cat >"$T/slh" <<EOF2
#!/bin/sh
# fd 0 = fd 1 = the stock guest's SLIP stream socket
exec socat FD:0 PTY,link=$T/pty,rawer 2>>$T/slh.log
EOF2
chmod 755 "$T/slh"
head -c 65536 /dev/urandom >"$T/data"

guest_script a <<'EOF2'
ip addr add 10.0.68.1/24 dev eth0
ip link set eth0 up
touch /t/a.up
gw /t/b.up 60 || exit 1
ping -c 3 -w 20 -p c0 10.0.68.2 || { echo "a: no reply from 10.0.68.2"; exit 1; }
sleep 120 | nc -l -p 5000 >/t/recv &
lw 5000 10 || exit 1
touch /t/a.listen
gw /t/done 90
EOF2
guest_script b <<'EOF2'
ip addr add 10.0.68.2/24 dev eth0
ip link set eth0 up
touch /t/b.up
ping -c 3 -w 20 -p db 10.0.68.1 || { echo "b: no reply from 10.0.68.1"; exit 1; }
gw /t/a.listen 60 || exit 1
nc 10.0.68.1 5000 </t/data &
gw /t/done 90
EOF2
GUEST_NS=$NS stock_guest a eth0=slirp,,"$T/slh"
busywait 60 eval "[ -e '$T/pty' ] || [ -e '$T/a.rc' ]" && [ -e "$T/pty" ] ||
	{ guest_ok a 5; fail "guest A's SLIP helper made no pty: $(cat "$T/slh.log" 2>/dev/null)"; }
GUEST_NS=$NS our_guest b eth0=slip:path="$T/pty",gate=10.0.68.1

if ! busywait 90 eval "cmp -s '$T/data' '$T/recv' || [ -e '$T/a.rc' ] || [ -e '$T/b.rc' ]" ||
   ! cmp -s "$T/data" "$T/recv"; then
	touch "$T/done"
	guest_ok a 10
	guest_ok b 10
	fail "the 64 KiB file did not cross intact ($(stat -c %s "$T/recv" 2>/dev/null) bytes)"
fi
touch "$T/done"
guest_ok a 30
guest_ok b 30
for n in a b; do
	grep -q '3 packets received' "$T/$n.out" || fail "guest $n: $(grep packets "$T/$n.out")"
done
log "ok: our kernel on slip:path=PTY <-> stock SLIP guest: ping both ways, 64 KiB over TCP intact"
