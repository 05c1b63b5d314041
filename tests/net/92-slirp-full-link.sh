#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 92-slirp-full-link: uml_slirp when the guest link's socket has no room.
# uml_slirp --fd gets one end of a SOCK_SEQPACKET pair whose send buffer is
# made as small as the kernel allows (a few frames), so that frames from
# slirp must wait for room again and again; the other end is a stock
# guest's vec0:transport=fd.  In --fd and --bess modes the guest's input
# and output are one socket: waiting for room must not stop the input.
# (Before the fix, the first wait took the socket out of the epoll set:
# the guest's ACKs were never read again and the download died.)  The guest
# fetches 4 MB from a web server on the host's 127.0.0.1 and compares them;
# uml_slirp -vv must report that the link was full, and must exit by itself
# when the guest has gone.  Everything runs as an unprivileged user.
. "$(dirname "$0")/lib.sh"

need python3
slirp_setup "$GUEST_KERNEL"
GUEST_KERNEL=$T/kernel

head -c 4000000 /dev/urandom >"$T/www/data.bin"
web_start 127.0.0.1

# fdpair SNDBUF PIDFILE LOG SLIRP... :: CMD...: run SLIRP --fd N on one end
# of a SOCK_SEQPACKET pair (its send buffer set to SNDBUF), then exec CMD
# with @FD@ in its words replaced by the other end's number.  SLIRP leads a
# session of its own: the guest's process group is killed when the guest
# ends, and SLIRP must be seen to exit by itself.
cat >"$T/fdpair" <<'EOF2'
import os, socket, subprocess, sys
sndbuf, pidfile, logfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rest = sys.argv[4:]
cut = rest.index('::')
slirp, cmd = rest[:cut], rest[cut + 1:]
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
b.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
p = subprocess.Popen(slirp + ['--fd', str(b.fileno())], pass_fds=[b.fileno()],
                     stdout=open(logfile, 'w'), stderr=subprocess.STDOUT,
                     start_new_session=True)
open(pidfile, 'w').write('%d\n' % p.pid)
b.close()
os.set_inheritable(a.fileno(), True)
os.execvp(cmd[0], [w.replace('@FD@', str(a.fileno())) for w in cmd])
EOF2

guest_script g <<EOF2
ip link set vec0 up
udhcpc -i vec0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
wget -q -O /tmp/data.bin http://10.0.2.2:$WEB/data.bin || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo g-ok
EOF2

GUEST_WRAP="python3 $T/fdpair 1 $T/slirp.pid $T/slirp.log ${AS_USER[*]} $UML_SLIRP -vv ::" \
	guest_start g vec0:transport=fd,fd=@FD@
busywait 10 test -s "$T/slirp.pid" || fail "the fdpair wrapper did not start uml_slirp"
spid=$(cat "$T/slirp.pid")
BG_PIDS[slirp]=$spid		# stopped by the cleanup if the test fails
BG_ORDER+=(slirp)
guest_ok g 120
grep -q g-ok "$T/g.out" || fail "guest: $(tail -3 "$T/g.out"); uml_slirp: $(tail -3 "$T/slirp.log")"
busywait 10 eval "! _pid_alive $spid" || {
	kill -9 "$spid" 2>/dev/null
	fail "uml_slirp still running after the guest ended"
}
full=$(sed -n 's/.*the guest link was full \([0-9]*\) times.*/\1/p' "$T/slirp.log")
[ -n "$full" ] || fail "uml_slirp -vv did not report the link's full count: $(tail -3 "$T/slirp.log")"
[ "$full" -gt 0 ] || fail "the guest link was never full: the test did not test the wait (send buffer not small?)"
log "ok: 4 MB reached the guest whole through a guest link that was full $full times (uml_slirp --fd, send buffer at its minimum, as $TEST_USER)"
