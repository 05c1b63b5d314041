#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 70-kernel-tuntap-uml-net: tests/net/31 with our kernel: a guest of our
# kernel in uml_net helper mode (eth0=tuntap,,,GATE), run as an unprivileged
# user, gets its tap from our setuid uml_net, pings the host both ways, and
# its tap and routes are gone after it halts.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUR_KERNEL=${UMLNET_KERNEL:-$BUILD/linux}
[ -x "$OUR_KERNEL" ] || {
	echo "FAIL: our kernel $OUR_KERNEL is not built (run make kernel)" >&2
	exit 1
}
GUEST_KERNEL=$OUR_KERNEL TEST_NAME=70-kernel-tuntap-uml-net \
	exec "$(dirname "$0")/31-uml-net-tuntap.sh"
