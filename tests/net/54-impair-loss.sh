#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 54-impair-loss: loss, burst loss, duplication, reordering, corruption and
# the size clamp on the switch's own ports, counted at both ends: the
# kernel's ping on namespace host A, the kernel's ICMP counters on B, and
# the switch's counters (impair-lib.sh).  Every setting has a seed: the
# PRNG's draws are the same run after run (only the test's frames cross).
#  - "-tap DEV,seed=9,clamp=2000": port 1 starts with those settings;
#  - loss 10% out on B over 10000 flood pings: 10 +- 1% lost, exactly the
#    switch's "lost" count, and B answered every echo it got;
#  - loss 20% in on A: the same, counted by A's "in" direction;
#  - burst 2% 25%: the missing sequence numbers come in runs of 1/r = 4 on
#    average (independent loss at that rate gives runs near 1);
#  - dup 10%: ping's duplicates are the switch's "duplicated";
#  - reorder 25% (delay 10ms): the replies that overtake others are the
#    switch's "reordered";
#  - corrupt 100%: no replies, B's kernel counts checksum errors;
#  - clamp 1000: 900-byte pings pass, 1100-byte ones are dropped, counted;
#  - bad settings are refused naming the culprit, and the port keeps what
#    it had.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"
. "$(dirname "$0")/impair-lib.sh"

impair_setup "" "seed=9,clamp=2000"
# -tap DEV,SET: port 1 starts with its settings
[ "$(imp 1 out settings)" = "clamp 2000" ] && [ "$(uc -j ports | jget "d[0]['impair']['seed']")" = 9 ] ||
	fail "-tap $TA,seed=9,clamp=2000 did not reach port 1: $(uc -j ports | jget "d[0].get('impair')")"
set_ok 1 clear

# ping's "N packets transmitted, M received[, +D duplicates]"
ping_counts() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$1"; }
snmp() {	# snmp NS PROTO FIELD: a counter of /proc/net/snmp in NS
	nsx "$1" awk -v p="$2:" -v f="$3" '$1 == p && !h { for (i = 2; i <= NF; i++) n[i] = $i; h = 1; next }
		$1 == p && h { for (i = 2; i <= NF; i++) if (n[i] == f) print $i }' /proc/net/snmp
}

# -- random loss, out on B ---------------------------------------------------
set_ok 2 loss 10% seed 7
echos0=$(snmp "$HB" Icmp InEchos)
nsx "$HA" ping -n -q -f -c 10000 -W 1 10.0.0.2 >"$T/loss" 2>&1
read -r tx rx < <(ping_counts "$T/loss")
echos=$(( $(snmp "$HB" Icmp InEchos) - echos0 ))
lost=$(imp 2 out counters.lost)
pct=$(awk -v t="$tx" -v r="$rx" 'BEGIN { printf "%.3f", 100 * (t - r) / t }')
log "loss 10%: $tx sent, $rx answered ($pct% lost), B got $echos echos, the switch lost $lost"
[ "$tx" = 10000 ] || fail "ping sent $tx, not 10000"
within "$pct" 9 11 || fail "loss 10% measured $pct%"
[ "$lost" = $((tx - rx)) ] || fail "the switch lost $lost, ping missed $((tx - rx))"
[ "$echos" = "$rx" ] || fail "B got $echos echos but A had $rx replies"
set_ok 2 clear

# -- random loss, in on A ----------------------------------------------------
set_ok 1 loss 20% in seed 8
nsx "$HA" ping -n -q -f -c 2000 -W 1 10.0.0.2 >"$T/lossin" 2>&1
read -r tx rx < <(ping_counts "$T/lossin")
lost=$(imp 1 in counters.lost)
log "loss 20% in on A: $tx sent, $rx answered, A's in direction lost $lost"
[ "$lost" = $((tx - rx)) ] || fail "in: the switch lost $lost, ping missed $((tx - rx))"
within "$lost" 320 480 || fail "loss 20% in: $lost of 2000"
set_ok 1 clear

# -- Gilbert-Elliott ---------------------------------------------------------
set_ok 2 burst 2% 25% seed 3
nsx "$HA" ping -n -c 3000 -i 0.002 -W 1 10.0.0.2 >"$T/burst" 2>&1
sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' "$T/burst" | sort -n | uniq >"$T/burst.seq"
read -r runs missing < <(awk 'BEGIN { prev = 0 }
	{ if ($1 > prev + 1) { runs++; missing += $1 - prev - 1 } prev = $1 }
	END { if (prev < 3000) { runs++; missing += 3000 - prev }
	      print runs + 0, missing + 0 }' "$T/burst.seq")
mean=$(awk -v m="$missing" -v r="$runs" 'BEGIN { printf "%.2f", r ? m / r : 0 }')
lb=$(imp 2 out counters.lost_burst)
log "burst 2% 25%: $missing of 3000 lost in $runs runs, mean run $mean (1/r = 4); the switch: lost_burst $lb"
[ "$lb" = "$missing" ] || fail "the switch's lost_burst $lb, ping missed $missing"
within "$mean" 2.8 5.5 || fail "burst loss: mean run $mean, not about 4"
within "$runs" 20 200 || fail "burst loss: $runs runs"
set_ok 2 clear

# -- duplication -------------------------------------------------------------
set_ok 2 dup 10% seed 4
nsx "$HA" ping -n -q -c 1000 -i 0.002 -W 1 10.0.0.2 >"$T/dup" 2>&1
dups=$(sed -n 's/.* +\([0-9]*\) duplicates.*/\1/p' "$T/dup")
sdup=$(imp 2 out counters.duplicated)
log "dup 10%: ping saw ${dups:-0} duplicates, the switch duplicated $sdup"
[ "${dups:-0}" = "$sdup" ] || fail "ping's duplicates ${dups:-0} != the switch's $sdup"
within "$sdup" 60 140 || fail "dup 10% of 1000: $sdup"
set_ok 2 clear

# -- reordering --------------------------------------------------------------
set_ok 2 delay 10ms reorder 25% seed 5
# ping keeps few probes unanswered unless preloaded: -l, so that a
# reordered frame finds delayed ones to overtake
nsx "$HA" ping -n -c 1000 -i 0.002 -l 10 -W 2 10.0.0.2 >"$T/reorder" 2>&1
# a reply overtook others if a smaller sequence number arrives after it
over=$(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' "$T/reorder" | tac |
	awk 'BEGIN { min = 1e9 } { if ($1 > min) n++; else min = $1 } END { print n + 0 }')
sre=$(imp 2 out counters.reordered)
log "reorder 25% (delay 10ms): $over replies overtook others, the switch reordered $sre"
[ "$over" = "$sre" ] || fail "receiver saw $over overtaking, the switch counted $sre"
within "$sre" 150 350 || fail "reorder 25% of 1000: $sre"
set_ok 2 clear

# -- corruption --------------------------------------------------------------
set_ok 2 corrupt 100% seed 6
cs0=$(( $(snmp "$HB" Icmp InCsumErrors) + $(snmp "$HB" Ip InHdrErrors) ))
nsx "$HA" ping -n -q -c 200 -i 0.005 -s 1000 -W 1 10.0.0.2 >"$T/corrupt" 2>&1
read -r tx rx < <(ping_counts "$T/corrupt")
cs=$(( $(snmp "$HB" Icmp InCsumErrors) + $(snmp "$HB" Ip InHdrErrors) - cs0 ))
sc=$(imp 2 out counters.corrupted)
log "corrupt 100%: $rx of $tx answered; B's kernel counted $cs checksum/header errors; the switch corrupted $sc"
[ "$sc" = "$tx" ] || fail "the switch corrupted $sc of $tx"
[ "$rx" -le 10 ] || fail "corrupt 100%: $rx of $tx still answered"
[ "$cs" -ge 150 ] || fail "B's kernel saw only $cs bad checksums of $tx"
set_ok 2 clear

# -- size clamp --------------------------------------------------------------
set_ok 2 clamp 1000
nsx "$HA" ping -n -q -c 20 -i 0.01 -s 900 -W 1 10.0.0.2 >"$T/small" 2>&1 ||
	fail "900-byte pings under clamp 1000 failed: $(tail -2 "$T/small")"
nsx "$HA" ping -n -q -c 20 -i 0.01 -s 1100 -W 1 10.0.0.2 >"$T/big" 2>&1
read -r tx rx < <(ping_counts "$T/big")
cd_=$(imp 2 out counters.clamp_drop)
log "clamp 1000: 900-byte pings pass; 1100-byte: $rx of $tx answered, clamp_drop $cd_"
[ "$rx" = 0 ] && [ "$cd_" = 20 ] || fail "clamp 1000: $rx answered, clamp_drop $cd_"

# -- bad settings ------------------------------------------------------------
before=$(uc -j ports | jget "d[1]['impair']")
refused() {
	local word=$1 out
	shift
	if out=$(uc port set 2 "$@" 2>&1); then
		fail "port set 2 $* was accepted: $out"
	fi
	grep -qF -- "$word" <<<"$out" || fail "port set 2 $*: the error does not name '$word': $out"
}
refused "120%" loss 120%
refused "-5ms" delay -5ms
refused "abc" delay abc
refused "jitter needs a delay" clear jitter 5ms
refused "more than 0" rate 0mbit
refused "'0'" rate 0
refused "frobnicate" frobnicate 3
refused "needs a value" loss
refused "'out'" delay 5ms in out
refused "mtu" mtu 1400
refused "110%" loss 5% dup 110%
[ "$(uc -j ports | jget "d[1]['impair']")" = "$before" ] ||
	fail "a refused request changed the port: $before -> $(uc -j ports | jget "d[1]['impair']")"
[ "$(imp 2 out settings)" = "clamp 1000" ] || fail "port 2 lost its clamp: $(imp 2 out settings)"
out=$(uc port add "tuntap:dev=zz$UID8,loss=200%" 2>&1) && fail "port add with loss=200% accepted: $out"
grep -qF "200%" <<<"$out" || fail "port add with loss=200%: the error does not name it: $out"
log "ok: loss, burst loss, dup, reorder, corrupt, clamp, bad settings"
