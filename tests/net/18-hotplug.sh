#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 18-hotplug: a running stock guest plugs a second NIC into the switch
# through mconsole (`config eth1=daemon,,unix,CTL`), pings over it, then
# unplugs it (`remove eth1`, once it is down): the switch sees a new port,
# then its disconnect, and keeps serving the first NIC.  The body is
# lib.sh's hotplug_*, shared with 62-kernel-hotplug (our kernel).
. "$(dirname "$0")/lib.sh"
need uml_mconsole

hotplug_start guest_start eth0
hotplug_plug
hotplug_use
hotplug_unplug
log "ok: hot-plugged NIC joined, passed traffic and left cleanly"
