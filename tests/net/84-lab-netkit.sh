#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 84-lab-netkit: a netkit-style lab (comments, quoted values, LAB_MACHINES,
# several interfaces per machine, mem settings, a hub domain, lab.dep,
# shared/ and MACHINE/ files, shared.startup before MACHINE.startup,
# MACHINE.shutdown at stop, a tap uplink to the host, the extensions
# MACHINE[append] and MACHINE[startup]) parses and boots:
# each machine has its hostname, memory, files and interfaces, pings its
# neighbours, and writes to its root stay in its own layer.  A second copy
# of the lab (same machine and domain names), and a third one of another
# user, run at the same time without clashing.  A machine killed with SIGKILL shows as crashed, and
# `uml-lab stop` still leaves nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab-lib.sh"
need uml_mconsole ip

N=$(shuf -i 10-250 -n 1)	# the tap uplink's subnet 10.77.N.0/24
mklab() {	# DIR
	local d=$1
	mkdir -p "$d/a/etc" "$d/shared/etc" "$d/c"
	cat >"$d/lab.conf" <<EOF2
# a netkit lab: comments, quoting, several interfaces, memory, lab.dep
LAB_DESCRIPTION="netkit compatibility: three machines, three domains"
LAB_AUTHOR='A. Teacher'
LAB_MACHINES=a,b,c
this line has no equals sign: netkit reads it as a comment
a[0]="X"
a[1]='Y'
a[mem]=192
b[0]=X
b[mem]=160
b[append]=lab_extra=42
c[0]=Y
c[1]=Z
c[startup]=c-alt.sh
c[2]=T,10.77.$N.1,10.77.$N.2
X[mode]=hub
EOF2
	printf '%s\n' '# c boots once a and b are up' 'c: a b' >"$d/lab.dep"
	echo "file of a" >"$d/a/etc/lab-file"
	echo "shared file" >"$d/shared/etc/shared-file"
	echo 'echo shared >>/run/order' >"$d/shared.startup"
	cat >"$d/a.startup" <<'EOF2'
echo a >>/run/order
ip addr add 10.1.0.1/24 dev eth0 && ip link set eth0 up
ip addr add 10.2.0.1/24 dev eth1 && ip link set eth1 up
EOF2
	echo 'touch /hostlab/a.shutdown-ran' >"$d/a.shutdown"
	printf '%s\n' 'ip addr add 10.1.0.2/24 dev eth0 && ip link set eth0 up' \
		'echo "$lab_extra" >/run/extra' >"$d/b.startup"
	echo 'exit 1' >"$d/c.startup"	# c[startup] replaces it
	cat >"$d/c-alt.sh" <<'EOF2'
ip addr add 10.2.0.3/24 dev eth0 && ip link set eth0 up
ip addr add 10.3.0.3/24 dev eth1 && ip link set eth1 up
EOF2
}

x() { lab_cmd "$T/rt" -d "$1" exec "${@:2}"; }

mklab "$T/lab1"
out=$(lab_cmd "$T/rt" check "$T/lab1") || fail "check: $out"
grep -qxF "  a: eth0=X eth1=Y mem=192" <<<"$out" && grep -qxF "  c: eth0=Y eth1=Z eth2=T(tap 10.77.$N.1,10.77.$N.2) mem=256 after a b" <<<"$out" &&
	grep -qxF "  domain X: hub" <<<"$out" || fail "check's view of the lab: $out"
lab_cmd "$T/rt" start "$T/lab1" >"$T/start1.log" 2>&1 || fail "start: $(cat "$T/start1.log")"
[ "$(grep -o 'machine [abc]' "$T/start1.log" | tail -1)" = "machine c" ] || fail "c did not boot last: $(cat "$T/start1.log")"
grep -q 'A. Teacher' "$T/start1.log" || fail "no author in $(cat "$T/start1.log")"

# the machines: hostname, memory, files, startup order, interfaces
[ "$(x "$T/lab1" a hostname)" = a ] || fail "a's hostname: $(x "$T/lab1" a hostname)"
mem=$(x "$T/lab1" a awk '/MemTotal/ { print $2 }' /proc/meminfo)
[ "$mem" -gt 150000 ] && [ "$mem" -le 196608 ] || fail "a has MemTotal $mem kB, want about 192 MiB"
[ "$(x "$T/lab1" a cat /etc/lab-file /etc/shared-file)" = "file of a
shared file" ] || fail "a's files: $(x "$T/lab1" a cat /etc/lab-file /etc/shared-file)"
[ "$(x "$T/lab1" a cat /run/order | tr '\n' ' ')" = "shared a " ] || fail "startup order: $(x "$T/lab1" a cat /run/order)"
[ "$(lab_cmd "$T/rt" -d "$T/lab1" exec c ls /sys/class/net | tr '\n' ' ')" = "eth0 eth1 eth2 lo " ] ||
	fail "c's interfaces: $(lab_cmd "$T/rt" -d "$T/lab1" exec c ls /sys/class/net)"
x "$T/lab1" a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p1" || fail "a could not ping b on hub X: $(cat "$T/p1")"
x "$T/lab1" a ping -c 2 -i 0.3 -w 10 10.2.0.3 >"$T/p2" || fail "a could not ping c on Y: $(cat "$T/p2")"
# the tap uplink: the host reaches c's eth2
ping -c 2 -i 0.3 -w 10 "10.77.$N.2" >"$T/p3" || fail "the host could not ping c over the tap uplink: $(cat "$T/p3")"
# a write to the root stays in the machine's layer
x "$T/lab1" a touch /usr/uml-lab-test-$$ || fail "a cannot write to its root"
[ ! -e "/usr/uml-lab-test-$$" ] || { rm -f "/usr/uml-lab-test-$$"; fail "a's write reached the host's /usr"; }
st=$(lab_cmd "$T/rt" status "$T/lab1")
grep -Eq '^X +[0-9]+ +hub +2 ' <<<"$st" && grep -Eq '^T +[0-9]+ +switch +2 ' <<<"$st" || fail "status: $st"
x "$T/lab1" a false && fail "exec false returned 0"
# extensions: b[append] (kernel arguments; key=value reaches init's
# environment), c[startup]
[ "$(lab_cmd "$T/rt" -d "$T/lab1" exec b cat /run/extra)" = 42 ] || fail "b[append] did not reach b's startup"
grep -q 'c-alt.sh' "$(lab_rtdir "$T/rt" "$T/lab1")/m/c/boot.log" &&
	[ "$(cat "$(lab_rtdir "$T/rt" "$T/lab1")/m/c/startup.rc")" = 0 ] || fail "c[startup] was not run instead of c.startup"
log "ok: netkit lab booted: hostname, memory, files, order, interfaces, hub, tap uplink, private root"

# two labs at once: a copy with the same names (no tap: that one is root's)
mklab "$T/lab2"
sed -i '/^c\[2\]/d' "$T/lab2/lab.conf"
lab_cmd "$T/rt" start "$T/lab2" >"$T/start2.log" 2>&1 || fail "second lab: $(cat "$T/start2.log")"
x "$T/lab2" a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p4" || fail "lab2: a could not ping b: $(cat "$T/p4")"
x "$T/lab1" a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p5" || fail "lab1 broken by lab2: $(cat "$T/p5")"
[ "$(find "$T/rt" -mindepth 1 -maxdepth 1 | wc -l)" = 2 ] || fail "want two runtime dirs: $(ls "$T/rt")"
# and a third copy, by another user, at the same time
test_user umlnet-lab84
mkdir -p "$T/urt"
chown "$TEST_USER" "$T/urt"
cp -r "$T/lab2" "$T/lab3"
LAB_AS=("${AS_USER[@]}")
lab_cmd "$T/urt/rt" start "$T/lab3" >"$T/start3.log" 2>&1 || fail "the user's lab: $(cat "$T/start3.log")"
lab_cmd "$T/urt/rt" -d "$T/lab3" exec a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p7" ||
	fail "the user's lab: a could not ping b: $(cat "$T/p7")"
upid=$(cat "$(lab_rtdir "$T/urt/rt" "$T/lab3")/m/a/pid")
[ "$(stat -c %U "/proc/$upid")" = "$TEST_USER" ] ||
	fail "the user's machine a does not run as $TEST_USER"
lab_stop_clean "$T/urt/rt" "$T/lab3"
LAB_AS=()
x "$T/lab2" a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p8" || fail "lab2 broken by the user's lab: $(cat "$T/p8")"
lab_stop_clean "$T/rt" "$T/lab2"
x "$T/lab1" a ping -c 2 -i 0.3 -w 10 10.1.0.2 >"$T/p6" || fail "lab1 broken by lab2's stop: $(cat "$T/p6")"
log "ok: three copies of the lab (two of root's, one of $TEST_USER's) ran side by side; stopping one left the others running"

# a crash: b's kernel killed; status says so; stop leaves nothing
rt1=$(lab_rtdir "$T/rt" "$T/lab1")
kill -KILL "$(cat "$rt1/m/b/pid")"
b_crashed() { grep -Eq '^b +[0-9]+ +crashed$' <<<"$(lab_cmd "$T/rt" status "$T/lab1")"; }
busywait 10 b_crashed ||
	fail "status after b crashed: $(lab_cmd "$T/rt" status "$T/lab1")"
tap=$(cat "$rt1/sw/T.tap")
ip link show "$tap" >/dev/null 2>&1 || fail "no tap $tap while the lab runs"
lab_stop_clean "$T/rt" "$T/lab1"
[ -e "$T/lab1/a.shutdown-ran" ] || fail "a.shutdown did not run at stop"
! ip link show "$tap" >/dev/null 2>&1 || fail "tap $tap left after stop"
[ -z "$(find "$T/rt" -mindepth 1)" ] || fail "left in $T/rt: $(find "$T/rt" -mindepth 1)"
log "ok: after b crashed, stop ran a.shutdown and left no process, tap, socket or file"
