#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 86-lab-image: machines booted from a disk image (MACHINE[image]=FILE,
# and netkit's MACHINE[filesystem]=FILE).  The image is an ext2 file
# system made here with mke2fs -d from busybox-static alone (no bash, no
# GNU tools), so a machine that boots into it cannot be running on the
# host's root.  Two machines share the one image, each under its own COW
# file: each has the image's marker file, its own hostname, /etc/hosts and
# MACHINE/ files, its startup script ran (through sh: the image has no
# bash), they ping each other, one machine's writes are not seen by the
# other, exec works; a machine on the host's root runs beside them.  After
# stop the image's checksum is unchanged and no COW file is left; the same
# lab then runs as an unprivileged user.  Bad image settings are refused
# with FILE:LINE.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need mke2fs busybox uml_mconsole

BB=$(command -v busybox)
file -L "$BB" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$BB" 2>&1 | grep -q 'not a dynamic executable' ||
	fail "$BB is not statically linked (install busybox-static)"

# the image: /bin/busybox and its applets, the usual empty directories,
# and a marker file
R=$T/imgroot
mkdir -p "$R/bin" "$R/etc" "$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/tmp" "$R/root"
cp "$BB" "$R/bin/busybox"
for a in $("$BB" --list); do
	[ "$a" = busybox ] || ln -s busybox "$R/bin/$a"
done
echo "umlnet test image $$" >"$R/etc/image-release"
L=$T/lab
mkdir -p "$L/pc1/etc"
mke2fs -q -F -t ext2 -d "$R" "$L/root.img" 16M >"$T/mke2fs.log" 2>&1 || fail "mke2fs: $(cat "$T/mke2fs.log")"
chmod 0644 "$L/root.img"
sum=$(sha256sum <"$L/root.img")

cat >"$L/lab.conf" <<'EOF2'
LAB_DESCRIPTION="two machines on one disk image, one on the host's root"
pc1[0]=A
pc1[image]=root.img
pc2[0]=A
pc2[filesystem]="root.img"
h[0]=A
EOF2
cat >"$L/pc1.startup" <<'EOF2'
ip addr add 10.86.0.1/24 dev eth0 && ip link set eth0 up
echo written-by-pc1 >/root/w
[ -z "$BASH_VERSION" ] && echo sh >/run/ran-with
EOF2
echo 'ip addr add 10.86.0.2/24 dev eth0 && ip link set eth0 up' >"$L/pc2.startup"
echo 'ip addr add 10.86.0.3/24 dev eth0 && ip link set eth0 up' >"$L/h.startup"
echo "pc1's own file" >"$L/pc1/etc/lab-file"

x() { lab_cmd "$1" -d "$L" exec "${@:2}"; }

# want WHO RT MACHINE EXPECTED CMD...: CMD's output on MACHINE is EXPECTED
want() {
	local who=$1 rt=$2 m=$3 exp=$4 out; shift 4
	out=$(x "$rt" "$m" "$@" 2>&1) || fail "$who: $m: $*: exit status $?: $out"
	[ "$out" = "$exp" ] || fail "$who: $m: $*: '$out', want '$exp'"
}

run_lab() {	# WHO RT
	local who=$1 rt=$2 dir out
	lab_cmd "$rt" start "$L" >"$T/start-$who.log" 2>&1 || fail "$who: start: $(tail -20 "$T/start-$who.log")"
	dir=$(lab_rtdir "$rt" "$L")
	want "$who" "$rt" pc1 "umlnet test image $$" cat /etc/image-release
	want "$who" "$rt" pc2 "umlnet test image $$" cat /etc/image-release
	out=$(x "$rt" h sh -c 'test -e /etc/image-release && echo yes || echo no')
	[ "$out" = no ] || fail "$who: h (host's root) has the image's marker"
	want "$who" "$rt" pc1 pc1 hostname
	want "$who" "$rt" pc2 pc2 hostname
	want "$who" "$rt" pc2 "127.0.1.1	pc2" grep pc2 /etc/hosts
	want "$who" "$rt" pc1 "pc1's own file" cat /etc/lab-file
	want "$who" "$rt" pc1 sh cat /run/ran-with
	want "$who" "$rt" pc1 written-by-pc1 cat /root/w
	out=$(x "$rt" pc2 sh -c 'test -e /root/w && echo seen || echo unseen')
	[ "$out" = unseen ] || fail "$who: pc2 sees pc1's write to the shared image ($out)"
	[ "$(x "$rt" pc2 sh -c 'test -e /etc/lab-file && echo seen || echo unseen')" = unseen ] ||
		fail "$who: pc2 has pc1's files"
	x "$rt" pc1 ping -c 2 -w 10 10.86.0.2 >"$T/p1" || fail "$who: pc1 could not ping pc2: $(cat "$T/p1")"
	x "$rt" pc2 ping -c 2 -w 10 10.86.0.3 >"$T/p2" || fail "$who: pc2 could not ping h: $(cat "$T/p2")"
	[ -f "$dir/m/pc1/root.cow" ] && [ -f "$dir/m/pc2/root.cow" ] ||
		fail "$who: no per-machine COW files in $dir/m: $(ls "$dir"/m/*)"
	lab_stop_clean "$rt" "$L"
	[ "$(sha256sum <"$L/root.img")" = "$sum" ] || fail "$who: the image changed"
	[ -z "$(find "$rt" -mindepth 1)" ] || fail "$who: left in $rt: $(find "$rt" -mindepth 1)"
	log "ok ($who): two machines on one image (own COW, hostname, files, startup by sh), one on the host's root; image unchanged, nothing left"
}

mkdir -p "$T/root"
run_lab root "$T/root/rt"

test_user umlnet-lab86
mkdir -p "$T/user"
chown "$TEST_USER" "$T/user"
LAB_AS=("${AS_USER[@]}")
run_lab user "$T/user/rt"
LAB_AS=()

# bad image settings, refused with FILE:LINE before anything starts
bad() {	# NAME WANT LINES
	local dir=$T/$1 out want
	mkdir -p "$dir"
	printf '%s\n' "$3" >"$dir/lab.conf"
	want=${2//FILE/$dir}
	out=$(lab_cmd "$T/root/rt" start "$dir" 2>&1) && fail "$1: start accepted it: $out"
	grep -qxF -- "$want" <<<"$out" || fail "$1: start said '$out', want '$want'"
	[ -z "$(find "$T/root/rt" -mindepth 1 2>/dev/null)" ] || fail "$1: start left $(find "$T/root/rt" -mindepth 1)"
	log "ok: $1: $want"
}
bad missing "FILE/lab.conf:2: pc1[image]: no file FILE/none.img" \
'pc1[0]=A
pc1[image]=none.img'
bad empty "FILE/lab.conf:2: pc1[image]: no image file given" \
'pc1[0]=A
pc1[image]='
bad twice "FILE/lab.conf:3: pc1[filesystem]: the image is already given (line 2)" \
"pc1[0]=A
pc1[image]=$L/root.img
pc1[filesystem]=$L/root.img"
mkdir -p "$T/bad path"
cp "$L/root.img" "$T/bad path/r.img"
bad space "FILE/lab.conf:2: pc1[image]: $T/bad path/r.img: the path may hold only letters, digits and _ . / + @ % = - (it goes on a kernel command line)" \
"pc1[0]=A
pc1[image]=$T/bad path/r.img"
[ "$(sha256sum <"$L/root.img")" = "$sum" ] || fail "the image changed"
