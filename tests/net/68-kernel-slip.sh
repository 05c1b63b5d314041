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

NS=ks$UID8
netns_add "$NS"
GUEST_NS=$NS slip_line_start 10.0.68
GUEST_NS=$NS our_guest b eth0=slip:path="$T/pty",gate=10.0.68.1

slip_line_check
log "ok: our kernel on slip:path=PTY <-> stock SLIP guest: ping both ways, 64 KiB over TCP intact"
