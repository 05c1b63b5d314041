#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-bess: a stock guest on the modern vector driver (vec0:transport=bess)
# and a stock guest on eth0=daemon ping each other through one switch.
. "$(dirname "$0")/lib.sh"

switch_start sw -unix "$T/sw.ctl" --bess "$T/bess.sock"
grep -q "BESS clients on '$T/bess.sock'" "$T/sw.log" ||
	fail "switch did not announce its BESS socket: $(cat "$T/sw.log")"

ping_pair_scripts a b 10.0.5 vec0 eth0
guest_start a "vec0:transport=bess,dst=$T/bess.sock"
guest_start b eth0=daemon,,unix,"$SWITCH_CTL"
ping_pair_check a b
# The BESS port is gone once its guest halted.
wait_log "$T/sw.log" 10 'port [0-9]+: disconnect.*bess|bess client.*disconnect|disconnect \(client' ||
	fail "switch did not log the BESS client's disconnect: $(tail -5 "$T/sw.log")"
log "ok: vector BESS guest and daemon guest pinged each other 4/4"
