# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# tests/net/lab-lib.sh: helpers of the uml-lab tests (81-84), sourced after
# lib.sh.
#   UML_LAB                   the runner (lab/uml-lab of this tree)
#   lab_cmd RT ARGS...        uml-lab ARGS with runtime base RT, as $LAB_AS
#                             (an array: a command prefix, empty for root);
#                             at exit, whatever a failed test left running
#                             under each RT used is killed, its taps deleted
#                             (and its NAT undone by uml-lab stop)
#   lab_rtdir BASE DIR        lab DIR's runtime dir under BASE
#   lab_pids RTDIR            every pid recorded in a lab's runtime dir
#                             (machines, switches), one a line
#   lab_gone RTDIR PIDS...    fail unless none of PIDS (or anything in their
#                             sessions) lives, RTDIR is gone and no process
#                             names it
#   lab_stop_clean BASE DIR   uml-lab stop DIR, then lab_gone on its pids

UML_LAB=$ROOT/lab/uml-lab
[ -x "$UML_LAB" ] || fail "no $UML_LAB"
LAB_AS=()
export UML_SWITCH UMLCTL=$BUILD/umlctl UML_SLIRP=$BUILD/uml_slirp
[ -x "$UMLCTL" ] && [ -x "$UML_SLIRP" ] || fail "build umlctl and uml_slirp first (make)"

LAB_BASES=()
lab_cmd() {
	local rt=$1; shift
	[[ " ${LAB_BASES[*]} " == *" $rt "* ]] || LAB_BASES+=("$rt")
	"${LAB_AS[@]}" env UML_LAB_RUNTIME="$rt" "$UML_LAB" "$@"
}

# _lab_reap: at exit, before lib.sh's clean-up (which removes $T), end
# whatever a failed test left running in the labs it started: every
# session recorded under the runtime bases lab_cmd used, and their taps;
# a lab with NAT is stopped too, to delete its nftables table and turn
# the IPv4 forwarding it turned on off again
_lab_reap() {
	local b f s l
	for b in "${LAB_BASES[@]}"; do
		for f in "$b"/*/m/*/pid "$b"/*/sw/*.pid; do
			[ -f "$f" ] && read -r s <"$f" && [[ $s =~ ^[0-9]+$ ]] || continue
			pkill -KILL -s "$s" 2>/dev/null
			kill -KILL "$s" 2>/dev/null
		done
		for f in "$b"/*/sw/*.tap; do
			[ -f "$f" ] && ip link del "$(cat "$f")" 2>/dev/null
		done
		for f in "$b"/*/nat; do
			[ -f "$f" ] && read -r l <"${f%/nat}/lab" || continue
			# as root, here: only root's labs have NAT (a test's
			# namespace takes its table and forwarding with it)
			env UML_LAB_RUNTIME="$b" "$UML_LAB" stop "$l" >/dev/null 2>&1
		done
	done
	return 0
}
_lab_exit() {
	local rc=$?
	_lab_reap
	(exit "$rc")
	_cleanup
}
trap _lab_exit EXIT

# lab_rtdir BASE DIR: the runtime dir of lab DIR under runtime base BASE
lab_rtdir() {
	echo "$1/$(printf '%s' "$(cd "$2" && pwd)" | sha1sum | cut -c1-10)"
}

lab_pids() {
	cat "$1"/m/*/pid "$1"/sw/*.pid 2>/dev/null
}

lab_gone() {
	local rt=$1 p q left; shift
	for p; do
		left=$(pgrep -s "$p" 2>/dev/null | while read -r q; do _pid_alive "$q" && echo "$q"; done)
		[ -z "$left" ] && ! _pid_alive "$p" ||
			fail "process $p (session: $left) outlived uml-lab stop: $(ps -o pid,comm -p "$p" $left 2>/dev/null | tail -n +2 | tr '\n' ' ')"
	done
	[ ! -e "$rt" ] || fail "uml-lab stop left $rt: $(find "$rt" | head -5)"
	left=$(pgrep -af -- "$rt/" | grep -v pgrep)
	[ -z "$left" ] || fail "processes of the lab are left: $left"
}

# lab_stop_clean BASE DIR: stop lab DIR (runtime base BASE); nothing of it
# may be left
lab_stop_clean() {
	local rt pids
	rt=$(lab_rtdir "$1" "$2")
	pids=$(lab_pids "$rt")
	[ -n "$pids" ] || fail "no pids recorded under $rt"
	lab_cmd "$1" stop "$2" || fail "uml-lab stop $2 failed"
	# shellcheck disable=SC2086  # one pid a word
	lab_gone "$rt" $pids
}
