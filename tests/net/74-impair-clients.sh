#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 74-impair-clients: --client-link gives every client of the control
# socket its settings as it connects: two loadgen clients bounce a frame
# (ping mode) through a switch started with --client-link delay=5ms; each
# frame crosses one impaired hop (toward the client it goes to), so the
# median round trip is 10 ms and a bit, never less; a bad --client-link
# stops the switch at start, naming the culprit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/impair-lib.sh"
LOADGEN=$BUILD/bench/loadgen
[ -x "$LOADGEN" ] || fail "$LOADGEN not built (run make)"

if out=$("$UML_SWITCH" -unix "$T/bad.ctl" --client-link "delay=5ms,loss=101%" 2>&1); then
	fail "a switch with --client-link loss=101% started"
fi
grep -qF "101%" <<<"$out" || fail "bad --client-link: the error does not name it: $out"

switch_start sw -unix "$T/sw.ctl" --client-link "delay=5ms,seed=1"
"$LOADGEN" -c "$T/sw.ctl" -n 200 ping >"$T/ping.out" 2>&1 || fail "loadgen ping: $(tail -3 "$T/ping.out")"
p50=$(sed -n 's/.* p50_us=\([0-9.]*\).*/\1/p' "$T/ping.out")
min=$(sed -n 's/.* min_us=\([0-9.]*\).*/\1/p' "$T/ping.out")
log "--client-link delay=5ms: loadgen round trips p50 $p50 us, min $min us"
within "$min" 10000 1000000 || fail "a round trip of $min us, under the two 5 ms hops"
within "$p50" 10000 11500 || fail "median round trip $p50 us, not 10 ms and a bit"
log "ok: --client-link settings reach every client"
