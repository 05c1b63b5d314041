#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 49-slirp-config: the slirp transport's keys reach uml_slirp.
#  - a switch slirp port with net=, host=, dns=, dhcp=, ipv6=off gives a
#    stock guest (unprivileged switch and guest) the configured DHCP lease;
#    the guest resolves a name through slirp's DNS forwarder (the helper
#    runs in a mount namespace whose /etc/resolv.conf names a test DNS
#    server on 127.0.0.77) and fetches a file from the host via its host=
#    address;
#  - the legacy positional form slirp,,HELPER,ARGS (a switch port has no
#    MAC of its own: the field stays empty) with '_' for spaces
#    (here a classic redir_udp_...) sets up a UDP host forward: a datagram
#    sent to the host port arrives, after slirp resolved the guest with
#    ARP, as an Ethernet frame on the transport (checked frame by frame
#    with uml_slirp --fd driven like the transport does).
. "$(dirname "$0")/lib.sh"

need unshare python3
slirp_setup "$GUEST_KERNEL"
echo "nameserver 127.0.0.77" >"$T/resolv.conf"
# the switch (and so its uml_slirp) sees the test's resolv.conf only
cat >"$T/switch" <<EOK
#!/bin/sh
exec unshare -m --propagation private sh -c 'mount --bind "$T/resolv.conf" /etc/resolv.conf && exec "\$0" "\$@"' ${AS_USER[*]} $UML_SWITCH "\$@"
EOK
chmod 755 "$T/switch"
GUEST_KERNEL=$T/kernel
UML_SWITCH=$T/switch

# a DNS server that answers every A query with 192.0.2.77
cat >"$T/dns.py" <<'EOF2'
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.77', 53))
print('ready', flush=True)
while True:
    q, peer = s.recvfrom(512)
    if len(q) < 17:
        continue
    end = q.index(b'\0', 12) + 5
    name = q[12:end - 5]
    qtype = struct.unpack('!H', q[end - 4:end - 2])[0]
    print('query', name, qtype, flush=True)
    hdr = q[:2] + struct.pack('!HHHHH', 0x8180, 1, 1 if qtype == 1 else 0, 0, 0)
    ans = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + socket.inet_aton('192.0.2.77') if qtype == 1 else b''
    s.sendto(hdr + q[12:end] + ans, peer)
EOF2
bg dns python3 "$T/dns.py"
busywait 10 grep -qs ready "$T/dns.log" || fail "test DNS server did not start: $(cat "$T/dns.log")"

head -c 100000 /dev/urandom >"$T/www/data.bin"
web_start 127.0.0.1

switch_start sw -unix "$T/sw.ctl" --port "slirp:helper=$UML_SLIRP,net=192.168.77.0/24,host=192.168.77.1,dns=192.168.77.53,dhcp=192.168.77.100,ipv6=off"

guest_script g <<EOF2
ip link set eth0 up
udhcpc -i eth0 -q -n -t 10 -T 1 || { echo "g: no DHCP lease"; exit 1; }
echo "lease: \$(cat /tmp/lease)"
[ "\$(cat /tmp/lease)" = "192.168.77.100 24 192.168.77.1 192.168.77.53" ] || { echo "g: lease not as configured"; exit 1; }
nslookup umlnet.test 192.168.77.53 >/tmp/ns 2>&1; cat /tmp/ns
grep -q 192.0.2.77 /tmp/ns || { echo "g: name not resolved through slirp"; exit 1; }
wget -q -O /tmp/data.bin http://192.168.77.1:$WEB/data.bin || { echo "g: wget failed"; exit 1; }
cmp /tmp/data.bin /t/www/data.bin || { echo "g: file differs"; exit 1; }
echo all-ok
EOF2
guest_start g eth0=daemon,,unix,"$SWITCH_CTL"
guest_ok g 90
grep -q all-ok "$T/g.out" || fail "guest: $(tail -3 "$T/g.out")"
grep -q "query b'.umlnet.test'\|query b'\\\\x06umlnet\\\\x04test' 1" "$T/dns.log" ||
	grep -q "umlnet" "$T/dns.log" || fail "the test DNS server saw no query"
log "ok: configured lease, DNS through slirp, fetch via host= address"

# legacy positional form: slirp,MAC,HELPER,ARGS on a switch port (a port
# has no MAC of its own: the field must stay empty, and a MAC is refused)
UDP=$(shuf -i 20000-60000 -n 1)
timeout 10 "$UML_SWITCH" -unix "$T/sw3.ctl" --port "slirp,fe:fd:00:00:00:49,$UML_SLIRP" >"$T/sw3.log" 2>&1 &&
	fail "a MAC on a switch port was accepted"
grep -q "mac=fe:fd:00:00:00:49: this end has no MAC address" "$T/sw3.log" ||
	fail "the refused MAC is not named: $(cat "$T/sw3.log")"
switch_start sw2 -unix "$T/sw2.ctl" --port "slirp,,$UML_SLIRP,redir_udp_${UDP}_5000"
busywait 10 eval "ss -lun | grep -q ':$UDP '" ||
	fail "slirp,,HELPER,redir_udp_${UDP}_5000: no UDP forward on $UDP: $(tail -3 "$T/sw2.log")"
pgrep -a -f "uml_slirp --fd .*redir udp $UDP 5000" >/dev/null ||
	fail "helper argv: $(pgrep -a -f 'uml_slirp --fd')"
stop sw2
busywait 5 eval "! ss -lun | grep -q ':$UDP '" || fail "UDP forward outlived the switch"

# and what that helper does with a datagram, frame by frame
python3 - "$UML_SLIRP" "$UDP" <<'EOF2' || fail "UDP forward through the legacy-form arguments failed"
import os, socket, struct, subprocess, sys, time
helper, port = sys.argv[1], int(sys.argv[2])
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
r, w = os.pipe()
# what the transport runs for "slirp,,HELPER,redir_udp_PORT_5000"
p = subprocess.Popen([helper, '--fd', str(b.fileno()), '--ready-fd', str(w),
                      'redir udp %d 5000' % port], pass_fds=[b.fileno(), w])
b.close(); os.close(w)
ready = os.read(r, 100)
assert ready == b'ok\n', ready
mac = bytes.fromhex('fefd00000049')
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b'udp-to-guest', ('127.0.0.1', port))
a.settimeout(5)
got = None
end = time.time() + 5
while time.time() < end and got is None:
    f = a.recv(65536)
    et = f[12:14]
    if et == b'\x08\x06' and f[20:22] == b'\x00\x01':      # who-has
        tpa = f[38:42]
        assert tpa == socket.inet_aton('10.0.2.15'), tpa
        rep = (f[6:12] + mac + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 2) +
               mac + tpa + f[22:28] + f[28:32])
        a.send(rep)
    elif et == b'\x08\x00' and f[23] == 17:
        ihl = (f[14] & 15) * 4
        udp = f[14 + ihl:]
        dport = struct.unpack('!H', udp[2:4])[0]
        got = (f[0:6], f[30:34], dport, udp[8:])
if got is None:
    print('no UDP frame for the guest'); p.kill(); sys.exit(1)
if got != (mac, socket.inet_aton('10.0.2.15'), 5000, b'udp-to-guest'):
    print('wrong frame', got); p.kill(); sys.exit(1)
a.close()
assert p.wait(5) == 0
print('udp forward ok')
EOF2
log "ok: redir_udp_PORT_5000 forwards a host datagram to the guest"
