#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unet-lib.sh: helpers shared by tests 31-35 (uml_net, tunctl, scripts),
# sourced after lib.sh.  Run on its own (the runner runs every NN-*.sh) it
# only says so and exits 0.
#
#   unet_user NAME          a system user NAME exists while the test runs:
#                           made if absent (comment "umlnet temporary test
#                           user"), deleted by the last test using it
#   unet_setuid             $T/bin/uml_net: a setuid-root copy of our uml_net
#   unet_policy TEXT        $T/pol/uml_net.conf (root-owned) = TEXT
#   $T/asuser [-n NS] [-p DIR] [-t] USER CMD...
#                           run CMD as USER (clean environment plus $UENV,
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
	[ -x "$BUILD/uml_net" ] || fail "no $BUILD/uml_net (run make)"
	mkdir -p "$T/bin"
	install -o root -g root -m 4755 "$BUILD/uml_net" "$T/bin/uml_net"
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
	env -i PATH="$T/bin:/usr/bin:/bin" HOME=/ TMPDIR=/tmp ${UENV:-} "$@"
EOF_ASUSER
chmod 755 "$T/asuser"
export T
