#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 34-tunctl: our tunctl in a network namespace.  Creates taps (and a tun)
# for an unprivileged user with the original's output (compared with
# uml-utilities' tunctl), the flags ip(8) reports, -l and -l --json; a stock
# UML guest run as that user opens the tap (fixed mode) and pings the host
# end; -d deletes; every bad input is refused with a clear message, exit 1
# and nothing made or touched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/unet-lib.sh"

TUNCTL=$BUILD/tunctl
[ -x "$TUNCTL" ] || fail "no $TUNCTL (run make)"
TU=$UNET_TU
unet_user "$TU"
unet_policy "# tunctl needs no uml_net policy"
TUID=$(id -u "$TU") TGID=$(id -g "$TU") TGRP=$(id -gn "$TU")

NS=tc$UID8
netns_add "$NS"
tc() { nsx "$NS" "$TUNCTL" "$@"; }
dlink() { ip -n "$NS" -d link show "$1"; }
expect() {	# expect WANT-OUTPUT ARGS...: exit 0 and exactly that stdout
	local want=$1 got; shift
	got=$(tc "$@") || fail "tunctl $* failed"
	[ "$got" = "$want" ] || fail "tunctl $*: got '$got', want '$want'"
}

expect "Set 'tt0' persistent and owned by uid $TUID" -u "$TU" -t tt0
dlink tt0 | grep "tun type tap pi off vnet_hdr off persist on user $TU" >/dev/null ||
	fail "tt0: $(dlink tt0)"
expect "Set 'tt1' persistent and owned by uid $TUID gid $TGID" -u "$TU" -g "$TGRP" -t tt1
expect "Set 'tt2' persistent and owned by gid $TGID" -g "$TGID" -t tt2
expect "Set 'tt3' persistent and owned by uid 0" -t tt3
B=$(tc -b -u "$TU") || fail "tunctl -b"
[[ $B =~ ^tap[0-9]+$ ]] || fail "tunctl -b printed '$B'"
expect "Set 'tn0' persistent and owned by uid $TUID" -n -u "$TU" -t tn0
dlink tn0 | grep "tun type tun pi off vnet_hdr off" >/dev/null || fail "tn0: $(dlink tn0)"
expect "Set 'tm0' persistent and owned by uid $TUID" -u "$TU" --pi --vnet-hdr --multi-queue -t tm0
dlink tm0 | grep -E "tun type tap pi on vnet_hdr on multi_queue .*persist on" >/dev/null || fail "tm0: $(dlink tm0)"

# same output as the original for the same request
if command -v /usr/bin/tunctl >/dev/null; then
	o=$(nsx "$NS" /usr/bin/tunctl -u "$TU" -g "$TGRP" -t to0) || fail "original tunctl"
	n=$(tc -u "$TU" -g "$TGRP" -t tq0)
	[ "${o//to0/X}" = "${n//tq0/X}" ] || fail "output differs from the original: '$o' vs '$n'"
	[ "$(nsx "$NS" /usr/bin/tunctl -b -t to1)" = "$(tc -b -t tq1 | sed s/tq1/to1/)" ] || fail "-b differs"
	tc -d to0 >/dev/null && tc -d to1 >/dev/null && tc -d tq0 >/dev/null && tc -d tq1 >/dev/null ||
		fail "delete the comparison taps"
fi

# listing
L=$(tc -l) || fail "tunctl -l"
echo "$L" | grep -E "^tt0 +tap +$TU +- +yes +no_pi$" >/dev/null || fail "-l lacks tt0: $L"
echo "$L" | grep -E "^tt2 +tap +- +$TGRP +yes" >/dev/null || fail "-l lacks tt2: $L"
echo "$L" | grep -E "^tn0 +tun " >/dev/null || fail "-l lacks tn0: $L"
echo "$L" | grep -E "^tm0 +tap .*vnet_hdr,multi_queue" >/dev/null || fail "-l flags of tm0: $L"
echo "$L" | grep -E "^lo " >/dev/null && fail "-l lists lo"
J=$(tc -l --json) || fail "tunctl -l --json"
echo "$J" | grep -F "{\"name\": \"tt0\", \"mode\": \"tap\", \"owner\": $TUID, \"owner_name\": \"$TU\", \"group\": -1, \"group_name\": \"\", \"persist\": true, \"flags\": \"no_pi\"" >/dev/null ||
	fail "--json: $J"
[ "$(echo "$J" | grep -c '"name"')" = "$(echo "$L" | tail -n +2 | wc -l)" ] || fail "--json and -l disagree"

# the user opens tt0 (a stock UML guest, fixed mode, no helper) and passes frames
ip -n "$NS" addr add 10.0.7.254/24 dev tt0
ip -n "$NS" link set tt0 up
chown "$TU" "$T"; mkdir -p "$T/uml"; chown "$TU" "$T/uml"
# the guest runs as $TU, with a 0666 /dev/net/tun in its mount namespace
# (0600 on some hosts; Debian's default is 0666), the host's untouched
cat >"$T/kern" <<EOF2
#!/bin/sh
exec "$T/asuser" -t "$TU" "$GUEST_KERNEL" "\$@"
EOF2
chmod 755 "$T/kern"
guest_script g <<'EOF2'
ip addr add 10.0.7.1/24 dev eth0
ip link set eth0 up
ping -c 3 -w 15 10.0.7.254 || { echo "guest: no reply over tt0"; exit 1; }
EOF2
GUEST_NS=$NS GUEST_KERNEL=$T/kern guest_start g eth0=tuntap,tt0,,10.0.7.254
guest_ok g 60
grep "TUN/TAP backend" "$T/g.console" >/dev/null || fail "guest did not use tt0"

# delete
expect "Set 'tt0' nonpersistent" -d tt0
ip -n "$NS" link show tt0 >/dev/null 2>&1 && fail "tt0 still exists after -d"
for d in tt1 tt2 tt3 tn0 tm0 "$B"; do tc -d "$d" >/dev/null 2>"$T/d.err" || fail "tunctl -d $d: $(cat "$T/d.err")"; done

# bad input: message, exit 1, nothing made or touched
ip -n "$NS" link add ve0 type veth peer name ve1
snap() { ip -n "$NS" -j -d link; }
before=$(snap)
bad() {		# bad WANT-ERE ARGS...
	local want=$1 out rc=0; shift
	out=$(tc "$@" 2>&1) || rc=$?
	[ $rc -eq 1 ] || fail "tunctl $*: exit $rc, want 1 ($out)"
	echo "$out" | grep -E -- "$want" >/dev/null || fail "tunctl $*: wanted /$want/, got: $out"
}
bad "'nosuchuser' is neither a username nor a numeric uid" -u nosuchuser -t bad0
bad "'nosuchgroup' is neither a groupname nor a numeric group" -g nosuchgroup -t bad0
bad "^Create: tunctl" -u nosuchuser
bad "longer than 15 bytes" -t abcdefghijklmnop
bad "longer than 15 bytes" -d abcdefghijklmnopqrstuvwxyz
bad "contains '/'" -t "a/b"
bad "contains whitespace" -t "tap x"
bad "contains whitespace" -t "$(printf 'tap\tx')"
bad "contains '/', ':'" -t "tap:1"
bad "contains '/', ':' or '%'" -t "tap%d"
bad "'.' and '..' are not" -t ..
bad "'lo' exists and is not a tun/tap device" -t lo
bad "'ve0' exists and is not a tun/tap device" -u "$TU" -t ve0
bad "'ve0' is not a tun/tap device; refusing to delete it" -d ve0
bad "'lo' is not a tun/tap device" -d lo
bad "'nosuch0': no such device" -d nosuch0
bad "^Create: tunctl" -t tt9 extra
bad "^Create: tunctl" -x
bad "Failed to open '/nonexistent/tun' : No such file or directory" -f /nonexistent/tun -t bad1
[ "$(snap)" = "$before" ] || fail "bad input changed the links"
ip -n "$NS" link show bad0 >/dev/null 2>&1 && fail "bad0 was made"
H=$(tc --help) || fail "--help exit status"
echo "$H" | grep -- "--multi-queue" >/dev/null || fail "--help lacks the additions"
[ "$(tc -h)" = "$H" ] || fail "-h is not --help"
log "ok: tunctl creates, lists, deletes; a user's guest passes frames; bad input refused"
