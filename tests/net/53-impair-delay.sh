#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 53-impair-delay: link delay on the switch's own ports, measured with the
# kernel's ping between two namespace hosts behind taps (impair-lib.sh).
# RTTs are medians of many pings, compared with a baseline measured first,
# so that a loaded host shifts both alike.
#  - a --port spec's link items (delay=5ms,in,seed=5) are the switch's: the
#    port starts with them (JSON), and "clear" removes them;
#  - "delay 50ms" out on B's port adds 50 ms +- 5% to the median RTT, and
#    no reply comes sooner than the delay;
#  - "jitter 10ms" (uniform, then normal) widens the spread (p25 to p75)
#    well beyond the baseline's;
#  - "delay 20ms in" on A's port adds to B's 50 ms out (directions are
#    independent): 70 ms; "clear out" on B leaves A's 20 ms;
#  - a change while one ping runs takes effect in that same run (50 ms,
#    then 10 ms), nobody reconnects;
#  - carrier down drops the frames already delayed (carrier drops);
#  - "clear" restores the baseline, and the counters say what was delayed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
. "$(dirname "$0")/impair-lib.sh"

impair_setup "tuntap:dev=tb$UID8,delay=5ms,in,seed=5"
[ "$(imp 2 in settings)" = "delay 5ms" ] ||
	fail "the --port spec's delay=5ms,in did not reach port 2: $(uc -j ports)"
[ "$(imp 2 in seed)" = 5 ] 2>/dev/null || [ "$(uc -j ports | jget "d[1]['impair']['seed']")" = 5 ] ||
	fail "the --port spec's seed=5 did not reach port 2"
set_ok 2 clear

base=$(rtts "$HA" 10.0.0.2 60 0.02 | pctl 50)
log "baseline median RTT $base ms"

set_ok 2 delay 50ms seed 1
rtts "$HA" 10.0.0.2 100 0.02 >"$T/d50"
med=$(pctl 50 <"$T/d50") min=$(pctl 0 <"$T/d50")
added=$(awk -v a="$med" -v b="$base" 'BEGIN { printf "%.3f", a - b }')
log "delay 50ms out: median RTT $med ms (added $added ms), min $min ms, $(wc -l <"$T/d50") replies"
[ "$(wc -l <"$T/d50")" -ge 95 ] || fail "delay 50ms: only $(wc -l <"$T/d50") of 100 replies"
within "$added" 47.5 52.5 || fail "delay 50ms added $added ms to the median RTT, not 50 +- 5%"
within "$min" 50 1000 || fail "a reply came in $min ms, sooner than the 50 ms delay"
[ "$(imp 2 out counters.delayed)" -ge 100 ] || fail "delayed counter: $(imp 2 out counters.delayed)"
[ "$(imp 2 out delay_us)" = 50000 ] || fail "JSON delay_us: $(imp 2 out delay_us)"

# the interquartile range: a loaded host's late outliers do not move it
spread() { awk -v a="$(pctl 75 <"$1")" -v b="$(pctl 25 <"$1")" 'BEGIN { printf "%.3f", a - b }'; }
bspread=$(spread "$T/d50")
set_ok 2 delay 50ms jitter 10ms
rtts "$HA" 10.0.0.2 100 0.02 >"$T/ju"
set_ok 2 delay 50ms jitter 10ms dist normal
rtts "$HA" 10.0.0.2 100 0.02 >"$T/jn"
ju=$(spread "$T/ju") jn=$(spread "$T/jn")
log "p25..p75 spread: no jitter $bspread ms, jitter 10ms uniform $ju ms, normal $jn ms"
within "$ju" 6 25 || fail "jitter 10ms uniform: spread $ju ms (expected about 10)"
within "$jn" 8 35 || fail "jitter 10ms normal: spread $jn ms (expected about 13.5)"
within "$bspread" 0 4.5 || fail "no jitter, yet a spread of $bspread ms"
awk -v j="$ju" -v b="$bspread" 'BEGIN { exit !(j > 2 * b) }' ||
	fail "jitter 10ms: spread $ju ms, not beyond twice the no-jitter spread $bspread ms"
[ "$(imp 2 out settings)" = "delay 50ms jitter 10ms dist normal" ] ||
	fail "settings in JSON: $(imp 2 out settings)"

set_ok 2 delay 50ms jitter 0ms
set_ok 1 delay 20ms in
both=$(rtts "$HA" 10.0.0.2 60 0.02 | pctl 50)
added=$(awk -v a="$both" -v b="$base" 'BEGIN { printf "%.3f", a - b }')
log "delay 20ms in on A + 50ms out on B: added $added ms"
within "$added" 66.5 73.5 || fail "20 ms in + 50 ms out added $added ms, not 70 +- 5%"
set_ok 2 clear out
onlyin=$(rtts "$HA" 10.0.0.2 60 0.02 | pctl 50)
added=$(awk -v a="$onlyin" -v b="$base" 'BEGIN { printf "%.3f", a - b }')
log "after 'clear out' on B: added $added ms (A's 20 ms in)"
# never early; late by the timer's slack (or 1 ms without epoll_pwait2)
within "$added" 19 22 || fail "A's delay 20ms in alone added $added ms"
[ "$(imp 2 out settings)" = "" ] || fail "'clear out' left: $(imp 2 out settings)"
[ "$(imp 1 in settings)" = "delay 20ms" ] || fail "A's in setting is gone: $(imp 1 in settings)"
set_ok 1 clear

# one ping run, changed under it
set_ok 2 delay 50ms
nsx "$HA" ping -n -c 150 -i 0.02 -W 3 10.0.0.2 >"$T/live" 2>&1 &
live=$!
busywait 10 eval "[ \$(grep -c time= '$T/live') -ge 40 ]" || fail "the live ping does not run"
set_ok 2 delay 10ms
wait "$live" || fail "the live ping lost replies: $(tail -3 "$T/live")"
first=$(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$T/live" | head -30 | pctl 50)
last=$(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$T/live" | tail -30 | pctl 50)
log "one ping run: median $first ms before the change, $last ms after"
within "$first" 49 56 || fail "before the change: $first ms"
within "$last" 9 16 || fail "after the change: $last ms"

# carrier down: the frames already delayed go nowhere either (counted)
set_ok 2 delay 3s
c0=$(uc -j ports | jget "d[1]['counters']['drops']['carrier']")
nsx "$HA" ping -n -c 3 -i 0.05 -W 5 10.0.0.2 >"$T/down" 2>&1 &
down=$!
busywait 5 eval "[ \"\$(imp 2 out queue.len)\" = 3 ]" || fail "3 pings are not waiting in the delay: $(imp 2 out queue.len)"
uc port set 2 carrier down >/dev/null || fail "carrier down"
wait "$down" && fail "pings delayed past carrier down were answered: $(cat "$T/down")"
c1=$(uc -j ports | jget "d[1]['counters']['drops']['carrier']")
log "carrier down with 3 frames delayed: carrier drops $c0 -> $c1"
[ $((c1 - c0)) -ge 3 ] || fail "carrier down: the delayed frames were not counted as carrier drops ($c0 -> $c1)"
uc port set 2 carrier up >/dev/null || fail "carrier up"

set_ok 2 clear
after=$(rtts "$HA" 10.0.0.2 60 0.02 | pctl 50)
added=$(awk -v a="$after" -v b="$base" 'BEGIN { printf "%.3f", a - b }')
log "after clear: median $after ms (baseline $base)"
within "$added" -1 1 || fail "'clear' did not restore the link: added $added ms"
[ "$(imp 2 out queue.len)" = 0 ] || fail "frames left queued: $(imp 2 out queue.len)"
uc ports | grep -q "impair out none" || fail "umlctl ports does not show the cleared impairment: $(uc ports)"
log "ok: delay, jitter, directions, run-time change, clear"
