#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 13-requests: well-formed control requests of every accepted shape get
# exactly one 110-byte AF_UNIX reply and a port (the layouts are in
# net/proto.h): UML's 124-byte v3, libvdeplug's packed 122 bytes plus a
# description, and the historic v1 layout.  SIGUSR1 stats count the ports
# and the frames each port moved.
. "$(dirname "$0")/lib.sh"
need_plug
build_tool rawctl >/dev/null
RAWCTL=$BUILD/tools/rawctl

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL

le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
MAGIC=$((0xfeedface))
# addr TAG: a 110-byte abstract sockaddr_un (family 1, "\0umlnet-TAG-PID")
addr() {
	printf '\x01\x00\x00umlnet-%s-%05d' "$1" $$
	head -c $((108 - 1 - 7 - ${#1} - 6)) /dev/zero
}

# v3 as UML writes it: 124 bytes, natural alignment (2 pad bytes)
{ printf "$(le32 $MAGIC)$(le32 3)$(le32 0)"; addr v3; head -c 2 /dev/zero; } >"$T/v3.req"
# v3 as libvdeplug writes it: packed, 122 bytes + description, no NUL
{ printf "$(le32 $MAGIC)$(le32 3)$(le32 0)"; addr vde; printf 'umlnet test user=0 pid=%d' $$; } >"$T/vde.req"
# v1: magic, type 0 (where v3 keeps the version), MAC, sockaddr at 14
{ printf "$(le32 $MAGIC)$(le32 0)"; printf '\x02\x00\x00\x00\x00\x01'; addr v1; } >"$T/v1.req"
for f in v3:124 vde:$((122 + $(printf 'umlnet test user=0 pid=%d' $$ | wc -c))) v1:124; do
	[ "$(stat -c %s "$T/${f%%:*}.req")" -eq "${f#*:}" ] || fail "test bug: ${f%%:*}.req is $(stat -c %s "$T/${f%%:*}.req") bytes"
done

# join CASE OFFSET: send the request, hold the connection; expect one
# 110-byte reply with family 1 and the connection kept open
join() {
	local case=$1 off=$2
	bg "$case" "$RAWCTL" -t 300 -b "$off" "$CTL" "$T/$case.req"
	busywait 10 eval "grep -q '^reply' '$T/$case.log' || grep -q '^closed' '$T/$case.log' || ! alive $case" ||
		fail "$case request: no reply within 10 s"
	grep -q '^reply 110$' "$T/$case.log" ||
		fail "$case request: want one 110-byte reply, got: $(tr '\n' ' ' <"$T/$case.log") / switch: $(tail -2 "$T/sw.log")"
	grep -q '^family 1$' "$T/$case.log" || fail "$case request: reply family is not AF_UNIX (1): $(grep family "$T/$case.log")"
	alive "$case" && ! grep -q '^closed' "$T/$case.log" ||
		fail "$case request: the switch closed the connection after replying"
	log "$case request: 110-byte AF_UNIX reply, connection kept"
}
join v3 12
join vde 12
join v1 14

ports() {
	switch_stats sw | sed -n 's/.*stats: ports=\([0-9]*\).*/\1/p' | tail -1
}
n=$(ports)
[ "$n" = 3 ] || fail "after three joins, SIGUSR1 stats show ports=$n, want 3: $(switch_stats sw)"

# per-port counters: 25 broadcasts reach a holding port (tx>=25 there)
bg rx "$PLUG" -t 30 -m 02:00:00:00:0e:01 "$CTL" recv 25
busywait 10 grep -q ready "$T/rx.log" || fail "receiver could not join"
bg tx "$PLUG" -t 30 -m 02:00:00:00:0e:02 -d 02:00:00:00:0e:01 "$CTL" hold
busywait 10 grep -q ready "$T/tx.log" || fail "holder could not join"
"$PLUG" -m 02:00:00:00:0e:03 "$CTL" send 25 >"$T/send.log" 2>&1 || fail "send failed"
busywait 10 eval "! alive rx"
stop rx || fail "receiver did not get the 25 frames: $(tail -1 "$T/rx.log")"
st=$(switch_stats sw) || fail "no stats on SIGUSR1"
echo "$st" >"$T/stats.txt"
grep -Eq 'stats: port [0-9]+ [a-z0-9]+ rx=[0-9]+ tx=[0-9]+ drop=[0-9]+' "$T/stats.txt" ||
	fail "stats lines do not look like 'stats: port N KIND rx=R tx=T drop=D': $st"
grep -Eq 'stats: ports=[0-9]+ fdb=[0-9]+/[0-9]+ full=[0-9]+' "$T/stats.txt" ||
	fail "stats summary does not look like 'stats: ports=N fdb=E/MAX full=F': $st"
# the holder (tx) got all 25 broadcasts: some port has tx>=25; the raw
# v3/vde/v1 ports cannot take frames (nobody reads their sockets) -- that
# must show as drops or queueing, never as a crash
grep -Eq 'tx=(2[5-9]|[3-9][0-9]|[0-9]{3,})' "$T/stats.txt" ||
	fail "no port shows tx>=25 after 25 broadcasts: $st"
alive sw || fail "switch died"
log "stats: $(grep 'ports=' "$T/stats.txt")"
log "ok: v3, packed VDE and v1 requests accepted with a 110-byte reply; stats count ports and frames"
