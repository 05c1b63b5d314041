#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 01-ping: two stock UML guests on eth0=daemon ping each other through
# uml_switch in switch mode.
. "$(dirname "$0")/lib.sh"

MODE_ARGS=${MODE_ARGS:-}

switch_start sw -unix "$T/sw.ctl" $MODE_ARGS
CTL=$SWITCH_CTL

ping_pair_scripts a b 10.0.0
guest_start a eth0=daemon,,unix,"$CTL"
guest_start b eth0=daemon,,unix,"$CTL"
ping_pair_check a b
log "ok: two guests pinged each other 4/4${MODE_ARGS:+ ($MODE_ARGS)}"
