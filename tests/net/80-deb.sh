#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 80-deb: `make deb` builds the Debian packages outside the source tree,
# lintian finds no errors, they install beside uml-utilities (whose
# uml_switch, uml_net and tunctl are diverted), the installed uml_switch
# carries two stock guests' pings, uml_net is setuid root with its man page,
# and purging brings every file of uml-utilities back byte for byte.  Also:
# `make install` and `make uninstall` with DESTDIR, as root and as a user,
# leave nothing behind, and install stages what the package holds.
#
# dpkg runs in a copy-on-write view of this machine's root (overlayfs over
# /, upper layer on a tmpfs, in a private mount namespace, chroot): the same
# dpkg database and the same uml-utilities files, but tests running at the
# same time that use /usr/bin/uml_switch or /usr/bin/tunctl as reference
# peers keep the originals, and nothing of the install can outlive the test.

# a mount namespace of our own: the overlay dies with the test
if [ "${UMLNET_80_MNTNS:-}" != 1 ]; then
	UMLNET_80_MNTNS=1 exec unshare --mount --propagation private -- \
		"$BASH" "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

need make dpkg-buildpackage dh lintian dpkg-deb dpkg-divert chroot \
	sha256sum mountpoint setpriv
[ "$(dpkg-query -W -f='${db:Status-Status}' uml-utilities 2>/dev/null)" = installed ] ||
	fail "uml-utilities is not installed (run scripts/install-deps)"
umask 022

R=$T/root			# the overlay view of /
DIVERTED="/usr/bin/uml_switch /usr/bin/uml_net /usr/bin/tunctl
	/usr/share/man/man1/uml_switch.1.gz /usr/share/man/man8/tunctl.8.gz"

inroot() {
	chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}

installed() {
	[ "$(inroot dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# deb_cleanup: purge whatever of ours is still installed, drop the overlay.
# Runs from the EXIT trap before the harness's cleanup removes $T.
deb_cleanup() {
	if mountpoint -q "$R"; then
		if installed umlnet; then
			log "cleanup: purging umlnet"
			timeout 60 chroot "$R" dpkg --purge umlnet-dbgsym umlnet \
				>"$T/cleanup-purge.log" 2>&1 || cat "$T/cleanup-purge.log" >&2
		fi
		umount -R -l "$R"
	fi
	mountpoint -q "$T/ovl" && umount -l "$T/ovl"
	if mountpoint -q "$R" || mountpoint -q "$T/ovl"; then
		log "cleanup: overlay still mounted: keeping $T"
		KEEP=1
	fi
}
# shellcheck disable=SC2154 # _rc80 is assigned in the trap itself
trap '_rc80=$?; deb_cleanup; (exit $_rc80); _cleanup' EXIT

# state FILE: checksum, mode and owner of every file of uml-utilities (as
# dpkg lists them), the diversions and the stat overrides, in the view $R.
state() {
	local f
	inroot dpkg-query -L uml-utilities | sort | while read -r f; do
		[ -f "$R$f" ] && [ ! -L "$R$f" ] || continue
		echo "$f $(sha256sum <"$R$f" | cut -d' ' -f1) $(stat -c '%a %U:%G' "$R$f")"
	done >"$1"
	inroot dpkg-divert --list | sort >>"$1"
	inroot dpkg-statoverride --list | sort >>"$1"
}

# ---- build ------------------------------------------------------------------
git_status() { git -C "$ROOT" status --porcelain 2>/dev/null; }
before_tree=$(git_status)
log "make deb into $T/deb"
make -C "$ROOT" --no-print-directory deb DEB_DIR="$T/deb" >"$T/deb.log" 2>&1 ||
	fail "make deb: $(tail -20 "$T/deb.log")"
for f in debian/umlnet debian/tmp debian/.debhelper debian/files \
	 debian/debhelper-build-stamp debian/umlnet.substvars; do
	[ ! -e "$ROOT/$f" ] || fail "make deb wrote $f into the source tree"
done
[ "$(git_status)" = "$before_tree" ] || fail "make deb changed the source tree: $(git_status)"
DEB=$(ls "$T"/deb/umlnet_*_*.deb) && [ -f "$DEB" ] || fail "no umlnet .deb in $T/deb"
DBG=$(ls "$T"/deb/umlnet-dbgsym_*_*.deb) || fail "no umlnet-dbgsym .deb in $T/deb"
CHANGES=$(ls "$T"/deb/umlnet_*.changes) || fail "no .changes in $T/deb"
SRC=$T/deb/umlnet		# the built copy of the tree

TMPDIR=$T lintian --fail-on error "$CHANGES" >"$T/lintian.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q '^E:' "$T/lintian.log"; then
	fail "lintian (exit $rc): $(grep -v '^N:' "$T/lintian.log")"
fi
log "lintian: $(grep -c '^E:' "$T/lintian.log") errors, $(grep -c '^W:' "$T/lintian.log") warnings"

dpkg-deb -c "$DEB" | awk '{ print $1, $2, $6 }' >"$T/deb.list"
awk '{ print $3 }' "$T/deb.list" >"$T/deb.paths"
grep -qx -- '-rwsr-xr-x root/root ./usr/bin/uml_net' "$T/deb.list" ||
	fail "uml_net is not setuid root/root in the .deb: $(grep uml_net "$T/deb.list")"

# ---- make install / uninstall ------------------------------------------------
# stage_check DIR WHO BINDIR: DIR (a DESTDIR) holds BINDIR/uml_net with
# mode 4755, and every file in DIR is owned by WHO
stage_check() {
	local dir=$1 who=$2 st n
	st=$(stat -c '%a %U' "$dir$3/uml_net") || fail "no uml_net staged in $dir$3"
	[ "$st" = "4755 $who" ] || fail "staged uml_net is not 4755 $who: $st"
	n=$(find "$dir" ! -user "$who" | wc -l)
	[ "$n" -eq 0 ] || fail "$n staged files in $dir not owned by $who: $(find "$dir" ! -user "$who" | head -3)"
}

# as root, with the package's variables: the same files as the .deb
log "make install/uninstall DESTDIR as root"
make -C "$SRC" --no-print-directory BUILD=build install DESTDIR="$T/stage-root" \
	PREFIX=/usr SYSCONFDIR=/etc >"$T/install-root.log" 2>&1 ||
	fail "make install as root: $(tail -5 "$T/install-root.log")"
stage_check "$T/stage-root" root /usr/bin
(cd "$T/stage-root" && find . ! -type d) | while read -r f; do
	case $f in ./usr/share/man/*) f=$f.gz ;; esac
	grep -qxF "$f" "$T/deb.paths" || fail "make install installs $f, the .deb has no $f"
done || exit 1
[ -d "$T/stage-root/etc/umlnet" ] || fail "make install made no etc/umlnet"
make -C "$SRC" --no-print-directory BUILD=build uninstall DESTDIR="$T/stage-root" \
	PREFIX=/usr SYSCONFDIR=/etc >>"$T/install-root.log" 2>&1 ||
	fail "make uninstall as root: $(tail -5 "$T/install-root.log")"
[ -z "$(find "$T/stage-root" -mindepth 1)" ] ||
	fail "make uninstall left: $(find "$T/stage-root" -mindepth 1 | head -5)"

# as a user, default PREFIX: no chown, the same modes
test_user
log "make install/uninstall DESTDIR as $TEST_USER"
mkdir "$T/stage-user" && chown "$TEST_USER" "$T/stage-user"
"${AS_USER[@]}" make -C "$SRC" --no-print-directory BUILD=build install \
	DESTDIR="$T/stage-user/d" >"$T/install-user.log" 2>&1 ||
	fail "make install as $TEST_USER: $(tail -5 "$T/install-user.log")"
stage_check "$T/stage-user/d" "$TEST_USER" /usr/local/bin
[ -x "$T/stage-user/d/usr/local/bin/uml_switch" ] || fail "no uml_switch staged by $TEST_USER"
"${AS_USER[@]}" make -C "$SRC" --no-print-directory BUILD=build uninstall \
	DESTDIR="$T/stage-user/d" >>"$T/install-user.log" 2>&1 ||
	fail "make uninstall as $TEST_USER: $(tail -5 "$T/install-user.log")"
[ -z "$(find "$T/stage-user/d" -mindepth 1)" ] ||
	fail "make uninstall as $TEST_USER left: $(find "$T/stage-user/d" -mindepth 1 | head -5)"

# ---- install beside uml-utilities ---------------------------------------------
mkdir "$T/ovl" "$R"
mount -t tmpfs -o mode=755 tmpfs "$T/ovl" || fail "tmpfs for the overlay"
mkdir "$T/ovl/upper" "$T/ovl/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/ovl/upper,workdir=$T/ovl/work" "$R" ||
	fail "cannot mount an overlay of / on $R"
# device nodes of the view's own (in the tmpfs), not a bind of the real /dev
for d in null:1:3 zero:1:5 random:1:8 urandom:1:9; do
	IFS=: read -r n ma mi <<<"$d"
	rm -f "$R/dev/$n" && mknod -m 666 "$R/dev/$n" c "$ma" "$mi" || fail "mknod $R/dev/$n"
done
installed uml-utilities || fail "uml-utilities not installed in the overlay view"
installed umlnet && fail "umlnet is already installed on this machine: the test needs it absent"
state "$T/state.before"

mkdir -p "$R/tmp/umlnet-80"
cp "$DEB" "$DBG" "$R/tmp/umlnet-80/"
log "dpkg -i $(basename "$DEB") $(basename "$DBG")"
inroot dpkg -i "/tmp/umlnet-80/$(basename "$DEB")" "/tmp/umlnet-80/$(basename "$DBG")" \
	>"$T/dpkg-i.log" 2>&1 || fail "dpkg -i: $(tail -20 "$T/dpkg-i.log")"
installed umlnet || fail "umlnet not installed after dpkg -i"

dpkg-deb -x "$DEB" "$T/debx"
for f in $DIVERTED; do
	[ "$(inroot dpkg-divert --listpackage "$f")" = umlnet ] ||
		fail "$f is not diverted by umlnet"
	case $f in
	*.gz) o=${f%%.[0-9].gz}.uml-utilities.${f#"${f%.[0-9].gz}."} ;;
	*) o=$f.uml-utilities ;;
	esac
	# the original, moved aside unchanged
	grep -q "^$f $(sha256sum <"$R$o" | cut -d' ' -f1) $(stat -c '%a %U:%G' "$R$o")\$" "$T/state.before" ||
		fail "$o is not uml-utilities' $f unchanged"
	# and ours in its place
	cmp -s "$R$f" "$T/debx$f" || fail "$f is not the file of our package"
done
[ "$(inroot sh -c 'command -v uml_switch')" = /usr/bin/uml_switch ] ||
	fail "uml_switch on PATH is $(inroot sh -c 'command -v uml_switch')"
cmp -s "$R/usr/bin/uml_switch" "$T/debx/usr/bin/uml_switch" || fail "installed uml_switch differs from the package's"

# setuid root (uml-utilities' stat override root:uml-net 4754 on the path,
# where it exists, applies to ours too)
st=$(stat -c '%U %a' "$R/usr/bin/uml_net")
case $st in "root 4"*) ;; *) fail "installed uml_net is not setuid root: $st" ;; esac
[ "$(inroot man -w uml_net)" = /usr/share/man/man8/uml_net.8.gz ] ||
	fail "man uml_net: $(inroot man -w uml_net 2>&1)"
for m in uml_switch.8 tunctl.8 uml_net.conf.5 uml_slirp.1; do
	[ -f "$R/usr/share/man/man${m##*.}/$m.gz" ] || fail "no man page $m installed"
done
[ "$(readlink -f "$R/usr/share/man/man1/uml_switch.1.gz")" = "$R/usr/share/man/man8/uml_switch.8.gz" ] ||
	fail "man1/uml_switch.1.gz is not our page"
[ -f "$R/usr/share/doc/umlnet/uml_net.conf.example" ] || fail "no uml_net.conf.example in doc"
[ -d "$R/etc/umlnet" ] && [ -z "$(ls -A "$R/etc/umlnet")" ] ||
	fail "/etc/umlnet is not an empty directory: $(ls -A "$R/etc/umlnet" 2>&1)"

# ---- the installed switch carries traffic -------------------------------------
UML_SWITCH=$R/usr/bin/uml_switch
switch_start sw -unix "$T/sw.ctl"
ping_pair_scripts a b 10.0.80
guest_start a eth0=daemon,,unix,"$SWITCH_CTL"
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
ping_pair_check a b
stop sw || true
log "two stock guests pinged each other through the installed uml_switch"

# ---- purge: uml-utilities' files come back ----------------------------------------
log "dpkg --purge umlnet-dbgsym umlnet"
inroot dpkg --purge umlnet-dbgsym umlnet >"$T/dpkg-purge.log" 2>&1 ||
	fail "dpkg --purge: $(tail -20 "$T/dpkg-purge.log")"
installed umlnet && fail "umlnet still installed after purge"
state "$T/state.after"
diff -u "$T/state.before" "$T/state.after" >"$T/state.diff" ||
	fail "uml-utilities' files, diversions or overrides differ after purge: $(head -20 "$T/state.diff")"
for f in $DIVERTED; do
	ls "$R${f%/*}"/*.uml-utilities* >/dev/null 2>&1 &&
		fail "a diverted file is left in ${f%/*}: $(ls "$R${f%/*}"/*.uml-utilities*)"
done
# nothing of ours is left but what uml-utilities owns
awk '$1 !~ /^d/ { print substr($3, 2) }' "$T/deb.list" | while read -r f; do
	[ ! -e "$R$f" ] && [ ! -L "$R$f" ] && continue
	inroot dpkg-query -S "$f" >/dev/null 2>&1 || fail "$f is left after purge"
done || exit 1
[ ! -e "$R/etc/umlnet" ] || fail "/etc/umlnet is left after purge"
log "ok: packages built, lintian clean of errors, installed beside uml-utilities, traffic through the installed switch, purged with the originals back"
