# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tests/net/kernel-lib.sh: sourced after lib.sh by the tests of our own UML
# kernel (tests/net/6*.sh).  `make check` builds it (make kernel) first.
#
#   OUR_KERNEL              $BUILD/linux (UMLNET_KERNEL overrides)
#   STOCK_KERNEL            /usr/bin/linux.uml
#   our_guest NAME ARGS...  guest_start with our kernel
#   stock_guest NAME ARGS...  guest_start with the stock kernel
#   console_has NAME ERE    the guest's console has a line matching ERE
#   stock_ipv6_script       guest lines that load the stock ipv6 module

OUR_KERNEL=${UMLNET_KERNEL:-$BUILD/linux}
STOCK_KERNEL=${STOCK_KERNEL:-/usr/bin/linux.uml}
[ -x "$OUR_KERNEL" ] || fail "our kernel $OUR_KERNEL is not built (run make kernel)"

our_guest() { GUEST_KERNEL=$OUR_KERNEL guest_start "$@"; }
stock_guest() { GUEST_KERNEL=$STOCK_KERNEL guest_start "$@"; }

console_has() { tr -d '\r' <"$T/$1.console" | grep -E -- "$2" >/dev/null; }

# The stock kernel's ipv6 is a module under /usr/lib/uml/modules/VERSION.
stock_moddir() {
	local d
	d=/usr/lib/uml/modules/$("$STOCK_KERNEL" --version 2>/dev/null | head -1 |
		grep -o '[0-9][0-9.]*[0-9]' | head -1)
	[ -f "$d/kernel/net/ipv6/ipv6.ko" ] || d=$(ls -d /usr/lib/uml/modules/* | head -1)
	[ -f "$d/kernel/net/ipv6/ipv6.ko" ] ||
		fail "no ipv6.ko for the stock kernel under /usr/lib/uml/modules"
	echo "$d"
}

stock_ipv6_script() {
	cat <<EOS
mount -t hostfs none /mnt -o $(stock_moddir) || { echo "cannot mount the module dir"; exit 1; }
insmod /mnt/kernel/lib/crc-ccitt.ko 2>/dev/null
insmod /mnt/kernel/net/ipv6/ipv6.ko || { echo "insmod ipv6 failed"; exit 1; }
EOS
}
