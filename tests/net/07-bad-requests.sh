#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 07-bad-requests: malformed control requests, one case at a time.  Each must
# make the switch drop that client (no reply, connection closed) with a log
# line naming the problem, and the switch must keep serving: two plug
# clients pass traffic afterwards.  A client that connects and sends nothing
# is dropped after a timeout while others are served meanwhile.
. "$(dirname "$0")/lib.sh"
need_plug
build_tool rawctl >/dev/null || fail "cannot build rawctl"
RAWCTL=$BUILD/tools/rawctl

switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL
plug_check start "$CTL" || fail "switch does not pass traffic even before the first bad request"

le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
le16() { printf '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)); }

# mkreq FILE MAGIC VERSION TYPE FAMILY: a 124-byte request like UML's, with
# an abstract-looking data address.
mkreq() {
	{
		printf "$(le32 "$2")$(le32 "$3")$(le32 "$4")$(le16 "$5")"
		printf '\x00umlnet-test-%05d' $$
		head -c $((108 - 18)) /dev/zero
		head -c 2 /dev/zero
	} >"$1"
	[ "$(stat -c %s "$1")" -eq 124 ] || fail "mkreq built $(stat -c %s "$1") bytes"
}

# bad CASE FILE ERE [rawctl opts]: send FILE, expect drop + a log line
bad() {
	local case=$1 file=$2 re=$3 lines
	shift 3
	lines=$(wc -l <"$T/sw.log")
	"$RAWCTL" -t 10 "$@" "$CTL" "$file" >"$T/$case.raw" 2>&1 ||
		fail "$case: could not even connect: $(cat "$T/$case.raw")"
	if grep -q '^reply' "$T/$case.raw"; then
		fail "$case: the switch answered a malformed request ($(grep -m1 reply "$T/$case.raw"))"
	fi
	if [ "$*" != -c ] && ! grep -q '^closed' "$T/$case.raw"; then
		fail "$case: the switch did not close the connection within 10 s"
	fi
	busywait 5 eval "tail -n +$((lines + 1)) '$T/sw.log' | grep -Eqi -- '$re'" ||
		fail "$case: no log line matching /$re/; new log lines: $(tail -n +$((lines + 1)) "$T/sw.log" | head -5)"
	alive sw || fail "$case: the switch died: $(tail -5 "$T/sw.log")"
	plug_check "$case" "$CTL" || fail "$case: the switch no longer passes traffic after the bad request"
	log "$case: dropped and logged ($(tail -n +$((lines + 1)) "$T/sw.log" | grep -Ei -m1 -- "$re"))"
}

MAGIC=$((0xfeedface))
mkreq "$T/magic.req" $((0xdeadbeef)) 3 0 1
bad wrong-magic "$T/magic.req" 'magic'
mkreq "$T/v2.req" $MAGIC 2 0 1
bad version-2 "$T/v2.req" 'version'
mkreq "$T/v4.req" $MAGIC 4 0 1
bad version-4 "$T/v4.req" 'version'
mkreq "$T/type.req" $MAGIC 3 7 1
bad unknown-type "$T/type.req" 'type'
mkreq "$T/family.req" $MAGIC 3 0 2
bad bad-family "$T/family.req" 'famil|address'
mkreq "$T/good.req" $MAGIC 3 0 1
head -c 20 "$T/good.req" >"$T/short.req"
bad short-read "$T/short.req" 'truncated|short' -c

# a silent client: connects, sends nothing, must be dropped after a timeout
lines=$(wc -l <"$T/sw.log")
bg silent "$RAWCTL" -t 60 "$CTL" -
busywait 5 grep -q '^sent 0' "$T/silent.log" || fail "silent client could not connect: $(cat "$T/silent.log")"
plug_check during-silent "$CTL" || fail "the switch did not serve other clients while a silent client was connected"
busywait 30 grep -q '^closed' "$T/silent.log" ||
	fail "a client that sent no request was not dropped within 30 s"
wait_log "$T/sw.log" 5 'time|idle|silent|no request' ||
	fail "silent client dropped but no log line says why: $(tail -n +$((lines + 1)) "$T/sw.log" | head -5)"
plug_check after-silent "$CTL" || fail "the switch no longer passes traffic after dropping the silent client"
log "silent client: dropped after a timeout, others served meanwhile"
log "ok: every malformed request dropped with a reason, switch kept serving"
