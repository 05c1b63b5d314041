#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 30-mgmt-ports: ports added to and removed from a running switch, which
# was started as root and serves as nobody under its seccomp filter (in a
# network namespace whose lo carries multicast).
#  - "umlctl port add tuntap:dev=TAP" of a persistent tap owned by nobody
#    (/dev/net/tun here is root's alone: the janitor opens it) carries a
#    stock guest's pings to a namespace host behind the tap, both ways;
#  - "umlctl port add mcast name mc" joins an eth0=mcast stock guest, which
#    the daemon guest then pings;
#  - "stream:connect=" another switch's --stream socket, then
#    "daemon:ctl=" its control socket, link the two switches: a frame
#    crosses from one to the other;
#  - "umlctl port del TAP" removes the tap's port: the tap no longer
#    answers, the mcast guest still does; "port del mc" removes that one;
#  - run-time specs that cannot work are refused, naming why (slirp, pcap,
#    fd=, a port to the switch itself, a tap the switch's user does not
#    own), and nothing of this made the switch die of its seccomp filter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgmt-lib.sh"

NS=mp$UID8 HOST=mh$UID8
TAP=mt$UID8
netns_add "$NS"
netns_add "$HOST"
ip -n "$NS" link set lo multicast on || fail "multicast on lo"
ip -n "$NS" route add 224.0.0.0/4 dev lo || fail "multicast route on lo"
# the namespace host HOST (10.0.0.9) is reached through the tap, bridged
# to a veth; the switch's namespace itself has no IPv4 address (with one,
# its multicast through lo would leave from it, and the mcast transport
# would not know its own frames: see 40-mcast)
ip -n "$NS" tuntap add "$TAP" mode tap user nobody || fail "tuntap add $TAP user nobody"
link_track "$TAP" "$NS"
ip -n "$NS" link add "br$UID8" type bridge || fail "bridge"
link_track "br$UID8" "$NS"
veth_add "va$UID8" "vb$UID8" "$NS" "$HOST"
ip -n "$NS" link set "$TAP" master "br$UID8"
ip -n "$NS" link set "va$UID8" master "br$UID8"
ip -n "$NS" link set "$TAP" up
ip -n "$NS" link set "br$UID8" up
ip -n "$HOST" addr add 10.0.0.9/24 dev "vb$UID8"
ip -n "$NS" tuntap add "x$TAP" mode tap user root || fail "tuntap add x$TAP user root"
link_track "x$TAP" "$NS"

SWITCH_NS=$NS switch_start sw -unix "$T/sw.ctl"
CTL=$SWITCH_CTL MGMT=$T/sw.ctl.mgmt
SWITCH_NS=$NS switch_start sw2 -unix "$T/sw2.ctl" --stream "$T/sw2.st" --mgmt none
[ ! -e "$T/sw2.ctl.mgmt" ] || fail "--mgmt none made a management socket"

# refused at run time, each naming why
refused() {
	local spec=$1 word=$2 out
	if out=$(uc port add "$spec" 2>&1); then
		fail "port add '$spec' was accepted: $out"
	fi
	grep -qF -- "$word" <<<"$out" || fail "port add '$spec': the error does not say '$word': $out"
}
refused slirp "seccomp filter"
refused pcap,lo "CAP_NET_RAW"
refused "stream:fd=3" "descriptor"
refused "stream:connect=$CTL" "own socket"
refused "daemon:ctl=$T/sw.ctl" "own socket"
refused "tuntap:dev=x$TAP" "persistent tap of its user"
refused "tuntap:dev=$TAP,gate=10.0.0.1" "gate"
refused "mcast:colour=red" "colour"
log "ok: run-time port specs that cannot work are refused with the reason"

guest_script c <<'EOF2'
ip addr add 10.0.0.3/24 dev eth0
ip link set eth0 up
touch /t/c.up
gw /t/added 60 || exit 1
ping -c 3 -w 20 10.0.0.9 || { echo "c: no reply from the tap's 10.0.0.9"; exit 1; }
ping -c 3 -w 20 10.0.0.4 || { echo "c: no reply from the mcast guest"; exit 1; }
touch /t/c.pinged
gw /t/deleted 60 || exit 1
if ping -c 2 -w 3 10.0.0.9; then echo "c: the removed tap port still answers"; exit 1; fi
ping -c 3 -w 20 10.0.0.4 || { echo "c: lost the mcast guest when the tap went"; exit 1; }
touch /t/c.done
EOF2
guest_script m <<'EOF2'
ip addr add 10.0.0.4/24 dev eth0
ip link set eth0 up
touch /t/m.up
gw /t/c.done 150
EOF2
GUEST_NS=$NS guest_start c eth0=daemon,fe:fd:0a:00:00:03,unix,"$CTL"
GUEST_NS=$NS guest_start m eth0=mcast,fe:fd:0a:00:00:04
busywait 60 eval "[ -e '$T/c.up' ] && [ -e '$T/m.up' ]" || fail "the guests did not come up"

uc -j port add "tuntap:dev=$TAP" >"$T/tap.json" 2>&1 || fail "port add tuntap:dev=$TAP: $(cat "$T/tap.json")"
[ "$(jget "d['peer']['dev']" <"$T/tap.json")" = "$TAP" ] || fail "the tap port's peer: $(cat "$T/tap.json")"
[ "$(jget "d['name']" <"$T/tap.json")" = "$TAP" ] || fail "the tap port is not named after its device: $(cat "$T/tap.json")"
uc port add mcast name mc >"$T/mc.txt" 2>&1 || fail "port add mcast: $(cat "$T/mc.txt")"
uc port add "stream:connect=$T/sw2.st" name uplink >"$T/up.txt" 2>&1 ||
	fail "port add stream:connect=: $(cat "$T/up.txt")"
touch "$T/added"
busywait 90 eval "[ -e '$T/c.pinged' ] || [ -e '$T/c.rc' ]"
[ -e "$T/c.pinged" ] || { touch "$T/c.done"; guest_ok c 5; fail "guest c did not ping"; }
nsx "$HOST" ping -c 2 -w 10 10.0.0.3 >"$T/nsping.txt" 2>&1 ||
	fail "the namespace host could not ping the guest through the tap port: $(cat "$T/nsping.txt")"
[ "$(uc -j ports "$TAP" | jget "d[0]['counters']['rx'] > 0 and d[0]['counters']['tx'] > 0")" = True ] ||
	fail "the tap port's counters: $(uc ports "$TAP")"
log "ok: a guest pinged a namespace host behind a tap, and an mcast guest, both added at run time; the host pinged the guest back"

# the stream port links the two switches: a frame from a client of sw2
# reaches a client of sw (both in the namespace: abstract names are per
# namespace)
cat >"$T/link.py" <<'EOF2'
import sys
sys.path.insert(0, sys.argv[3])
from dclient import Client, frame, BCAST
a, b = Client(sys.argv[1]), Client(sys.argv[2])
for i in range(20):
    b.send(frame(BCAST, b.mac, "across"))
    if a.wait_tag("across", 0.25):
        print("across ok")
        sys.exit(0)
sys.exit("a frame from a client of sw2 did not reach a client of sw")
EOF2
nsx "$NS" python3 "$T/link.py" "$CTL" "$T/sw2.ctl" "$ROOT/tests/tools" >"$T/link.txt" 2>&1 ||
	fail "stream port between the switches: $(cat "$T/link.txt")"
# the same through a daemon port (a client of sw2's control socket)
uc port del uplink >/dev/null || fail "port del uplink"
uc port add "daemon:ctl=$T/sw2.ctl" name uplink >"$T/up.txt" 2>&1 ||
	fail "port add daemon:ctl=: $(cat "$T/up.txt")"
nsx "$NS" python3 "$T/link.py" "$CTL" "$T/sw2.ctl" "$ROOT/tests/tools" >"$T/link.txt" 2>&1 ||
	fail "daemon port between the switches: $(cat "$T/link.txt")"
log "ok: a stream port, then a daemon port, added at run time link two switches"

uc -j port del "$TAP" >"$T/del.json" || fail "port del $TAP"
[ "$(jget "d['counters']['rx'] > 0" <"$T/del.json")" = True ] || fail "port del's reply has no counters: $(cat "$T/del.json")"
uc -j ports | jget "[p['name'] for p in d]" | grep -q "$TAP" && fail "port $TAP still listed after port del"
touch "$T/deleted"
guest_ok c 90
touch "$T/c.done"
guest_ok m 30
uc port del mc >/dev/null || fail "port del mc"
uc port del uplink >/dev/null || fail "port del uplink"
[ "$(uc -j ports | jget 'len(d)')" = 0 ] || fail "ports left: $(uc ports)"
log "ok: port del removed the tap (the mcast guest kept answering), then the others"

alive sw || fail "the switch died: $(tail -5 "$T/sw.log")"
grep -q 'seccomp' "$T/sw.log" && fail "the sandbox complained: $(grep seccomp "$T/sw.log")"
pid=$(pgrep -P "$(bg_pid sw)" -x uml_switch | head -1)
[ -n "$pid" ] && [ "$(stat -c %U "/proc/$pid")" = nobody ] || fail "the serving switch is not nobody's (pid '$pid')"
log "ok: all of it under the sandbox, as nobody"
