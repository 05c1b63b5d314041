#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 62-kernel-hotplug: mconsole hot-plug with our kernel (the body of
# 18-hotplug, lib.sh's hotplug_*).  `config eth1=daemon,,unix,CTL` adds a
# NIC to a running guest, which pings over it; `config eth1` answers the
# spec; a bad spec and a duplicate come back to uml_mconsole as errors
# naming the problem; `remove eth1` is refused while it is up and done once
# it is down (the switch sees the disconnect).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kernel-lib.sh"
need uml_mconsole

hotplug_start our_guest

# a bad spec: an error naming the culprit, no device
out=$(hotplug_mc config eth1=daemon,zz:zz,unix,"$HP_CTL") && fail "bad MAC accepted: $out"
grep -q 'zz:zz' <<<"$out" || fail "bad MAC: reply does not name it: $out"

hotplug_plug
out=$(hotplug_mc config eth1=daemon,,unix,"$HP_CTL") && fail "a second eth1 was accepted: $out"
grep -qi 'already' <<<"$out" || fail "duplicate eth1: unclear reply: $out"
out=$(hotplug_mc config eth1) || fail "config eth1 (query) failed: $out"
grep -qF "daemon,,unix,$HP_CTL" <<<"$out" || fail "config eth1 does not show the spec: $out"
log "config eth1 answers: $(tr '\n' ' ' <<<"$out")"

hotplug_use
out=$(hotplug_mc remove eth1) && fail "remove of an up eth1 accepted: $out"
grep -qi 'open' <<<"$out" || fail "remove of an up eth1: unclear reply: $out"
hotplug_unplug
log "ok: hot-plugged NIC configured, queried, used, refused while up, removed"
