#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unet-lib.sh: helpers shared by tests 31-35 (uml_net, tunctl, scripts),
# sourced after lib.sh.  Run on its own (the runner runs every NN-*.sh) it
# only says so and exits 0.
#
#   UNET_TU, UNET_TU2       the test users' names: $UMLNET_TEST_USER (default
#                           umlnet-hlp) and the same with "b" appended
#   unet_user NAME          a system user NAME exists while the test runs:
#                           made if absent (comment "umlnet temporary test
#                           user"), deleted by the last test using it
#   unet_setuid             $T/bin/uml_net: a setuid-root copy of our uml_net
#                           ($UNET_BIN, default $BUILD/uml_net: point it at
#                           an older build to show a test fails there)
#   $T/unet-kern CMD...     talk to uml_net (first in PATH) as the UML kernel
#                           does (net/helper.h; python3):
#                             up GATE [persist]: "tuntap up" on an AF_UNIX
#                               datagram stdout; prints the device name the
#                               fd came with (persist: sets TUNSETPERSIST
#                               on the fd first), exit 1 if no fd came
#                             addr add|del DEV ADDR MASK: on a stream stdout,
#                               prints the text; exit status uml_net's
#                             cycles N GATE ADDR MASK: N times up, add, del,
#                               close the fd; exit 1 at the first failure
#                             hold NAME: (root) make tap NAME, not
#                               persistent, and keep it open until killed
#   unet_policy TEXT        $T/pol/uml_net.conf (root-owned) = TEXT
#   $T/asuser [-n NS] [-p DIR] [-t] USER CMD...
#                           run CMD as USER (clean environment plus $UENV
#                           and LD_PRELOAD (uml-xstate.so for a kernel),
#                           PATH starting with $T/bin) in netns NS, in a
#                           private mount namespace where /etc is an overlay
#                           (the host's /etc untouched) with DIR (default
#                           $T/pol) at /etc/umlnet; -t: a 0666 /dev/net/tun
#                           there (it is 0600 on some hosts).  Exit 99: the
#                           namespace could not be set up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "unet-lib.sh: helpers for tests 31-35, not a test"
	exit 0
fi

UNET_COMMENT="umlnet temporary test user"
UNET_TU=${UMLNET_TEST_USER:-umlnet-hlp}
# shellcheck disable=SC2034 # for the tests that source this file
UNET_TU2=${UNET_TU}b
UNET_BIN=${UNET_BIN:-$BUILD/uml_net}
UNET_USERS=()
UNET_LOCKFD=

# Users: a shared flock on tests/net while we run; at the end, the test
# that gets it exclusively (no other test running) deletes the users tests
# made.  A user that existed before (other comment) is never deleted.
_unet_cleanup() {
	local u
	[ -n "$UNET_LOCKFD" ] || return 0
	flock -u "$UNET_LOCKFD"
	if flock -xn "$UNET_LOCKFD"; then
		for u in "${UNET_USERS[@]}"; do
			[ "$(getent passwd "$u" | cut -d: -f5)" = "$UNET_COMMENT" ] &&
				userdel "$u" 2>/dev/null
		done
		flock -u "$UNET_LOCKFD"
	fi
	return 0
}
# shellcheck disable=SC2154 # _rc is assigned in the trap itself
trap '_rc=$?; _unet_cleanup; (exit $_rc); _cleanup' EXIT

unet_user() {
	local u=$1
	need useradd userdel flock setpriv unshare
	if [ -z "$UNET_LOCKFD" ]; then
		exec {UNET_LOCKFD}<"$ROOT/tests/net"
		flock -s "$UNET_LOCKFD"
	fi
	UNET_USERS+=("$u")
	id "$u" >/dev/null 2>&1 && return 0
	useradd --system --no-create-home --shell /usr/sbin/nologin -c "$UNET_COMMENT" "$u" 2>/dev/null
	id "$u" >/dev/null 2>&1 || fail "cannot create user $u"
}

unet_setuid() {
	[ -x "$UNET_BIN" ] || fail "no $UNET_BIN (run make)"
	mkdir -p "$T/bin"
	install -o root -g root -m 4755 "$UNET_BIN" "$T/bin/uml_net"
	findmnt -no OPTIONS -T "$T/bin" | grep -w nosuid >/dev/null && fail "$T is on a nosuid filesystem"
	return 0
}

unet_policy() {
	mkdir -p "$T/pol"
	printf '%s\n' "$1" >"$T/pol/uml_net.conf"
	chown -R root:root "$T/pol"
	chmod 755 "$T/pol"; chmod 644 "$T/pol/uml_net.conf"
}

cat >"$T/asuser" <<'EOF_ASUSER'
#!/bin/bash
# asuser [-n NS] [-p DIR] [-t] USER CMD...: see tests/net/unet-lib.sh
ns= pol=$T/pol tun=
while :; do
	case $1 in
	-n) ns=$2; shift 2 ;;
	-p) pol=$2; shift 2 ;;
	-t) tun=-t; shift ;;
	*) break ;;
	esac
done
[ -z "$ns" ] || exec ip netns exec "$ns" "$0" -p "$pol" $tun "$@"
[ -n "${ASUSER_IN:-}" ] || ASUSER_IN=1 exec unshare -m --propagation private "$0" -p "$pol" $tun "$@"
u=$1; shift
o=$(mktemp -d "$T/ovl.XXXXXX") && mkdir "$o/u" "$o/w" &&
	mount -t overlay ovl -o "lowerdir=/etc,upperdir=$o/u,workdir=$o/w" /etc &&
	mkdir -p /etc/umlnet && mount --bind "$pol" /etc/umlnet || exit 99
if [ -n "$tun" ]; then
	mount -t tmpfs -o mode=755 tun /dev/net && mknod -m 666 /dev/net/tun c 10 200 || exit 99
fi
exec setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
	env -i PATH="$T/bin:/usr/bin:/bin" HOME=/ TMPDIR=/tmp \
	${LD_PRELOAD:+LD_PRELOAD="$LD_PRELOAD"} ${UENV:-} "$@"
EOF_ASUSER
chmod 755 "$T/asuser"

cat >"$T/unet-kern" <<'EOF_KERN'
#!/usr/bin/python3
# unet-kern: uml_net driven as the UML kernel drives it; see unet-lib.sh
import fcntl, os, signal, socket, struct, subprocess, sys

TUNSETIFF = 0x400454ca
TUNSETPERSIST = 0x400454cb
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000

def up(gate, persist=False):
    """tuntap up: returns (name, fd or -1, text, status)"""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    argv = ["uml_net", "4", "tuntap", "up"] + ([gate] if gate else [])
    p = subprocess.Popen(argv, stdout=b.fileno())
    b.close()
    rc = p.wait()
    a.setblocking(False)
    try:
        msg, anc, _, _ = a.recvmsg(4096, socket.CMSG_SPACE(4))
    except BlockingIOError:
        msg, anc = b"", []
    a.close()
    fds = [struct.unpack("i", d[:4])[0] for lvl, typ, d in anc
           if lvl == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS]
    if not fds:
        return "", -1, msg.split(b"\0")[0].decode(errors="replace"), rc
    name = msg[:16].split(b"\0")[0].decode()
    text = msg[16:].split(b"\0")[0].decode(errors="replace")
    if persist:
        fcntl.ioctl(fds[0], TUNSETPERSIST, 1)
    return name, fds[0], text, rc

def addr(op, dev, a, mask):
    """add|del: returns (text, status)"""
    s, t = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    p = subprocess.Popen(["uml_net", "4", op, dev, a, mask], stdout=t.fileno())
    t.close()
    rc = p.wait()
    data = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
    s.close()
    text = ""
    if len(data) >= 4:
        n = struct.unpack("i", data[:4])[0]
        text = data[4:4 + n].split(b"\0")[0].decode(errors="replace")
    return text, rc

def main(args):
    if args[0] == "up":
        name, fd, text, rc = up(args[1] if len(args) > 1 else "",
                                len(args) > 2 and args[2] == "persist")
        sys.stderr.write(text)
        if fd < 0:
            sys.stderr.write("unet-kern: no fd came back (status %d)\n" % rc)
            return 1
        print(name)
        os.close(fd)
        return 0
    if args[0] == "hold":
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", args[1].encode(),
                                               IFF_TAP | IFF_NO_PI))
        while True:
            signal.pause()
    if args[0] == "addr":
        text, rc = addr(args[1], args[2], args[3], args[4])
        sys.stdout.write(text)
        return rc
    if args[0] == "cycles":
        for i in range(int(args[1])):
            name, fd, text, rc = up(args[2])
            if fd < 0:
                sys.stderr.write("cycle %d: up: %s (status %d)\n" % (i, text, rc))
                return 1
            for op in ("add", "del"):
                t, rc = addr(op, name, args[3], args[4])
                if rc != 0:
                    sys.stderr.write("cycle %d: %s: %s (status %d)\n" % (i, op, t, rc))
                    return 1
            os.close(fd)
        return 0
    sys.stderr.write("unet-kern: unknown command %s\n" % args[0])
    return 2

sys.exit(main(sys.argv[1:]))
EOF_KERN
chmod 755 "$T/unet-kern"
export T
