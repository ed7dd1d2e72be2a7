#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run test programs one after another, each under a timeout, and pass their
# TAP through.  A program that fails without saying so in TAP (a crash, a
# timeout, a nonzero exit with no "not ok" line) gets a "not ok" line of its
# own; one that prints no TAP at all gets one result line from its exit
# status (0 pass, 4 skip as in kselftest, anything else fail).
#
# usage: tap-run.sh [-t SECONDS] [-s SETTINGS] PROG...
#   -t SECONDS   default timeout of one program (120)
#   -s SETTINGS  file of "name timeout" lines overriding it (# comments)
#
# $FG_TIMEOUT_SCALE (an integer, default 1) multiplies every timeout: vm.sh
# sets it for slow kernels (the debug kernel).
#
# Exits nonzero when any program failed.
set -euo pipefail

timeout_default=120
settings=
while getopts t:s: opt; do
	case $opt in
	t) timeout_default=$OPTARG ;;
	s) settings=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

timeout_of()
{
	local name=$1 n t

	if [[ -n $settings && -f $settings ]]; then
		while read -r n t _; do
			[[ $n == "$name" && -n $t ]] && { echo "$t"; return; }
		done < <(grep -Ev '^[[:space:]]*(#|$)' "$settings")
	fi
	echo "$timeout_default"
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0
for prog in "$@"; do
	name=${prog##*/}
	name=${name%.sh}
	t=$(($(timeout_of "$name") * ${FG_TIMEOUT_SCALE:-1}))
	echo "# ---- $name (timeout ${t}s)"
	t0=$SECONDS
	set +e
	timeout -k 5 "$t" "$prog" 2>&1 </dev/null | tee "$out"
	rc=${PIPESTATUS[0]}
	set -e
	results=$(grep -cE '^(not )?ok\b' "$out" || true)
	fails=$(grep -cE '^not ok\b' "$out" || true)
	if [[ $rc -eq 124 || $rc -eq 137 ]]; then
		echo "not ok - $name # timed out after ${t}s"
	elif [[ $results -eq 0 ]]; then
		case $rc in
		0) echo "ok - $name" ;;
		4) echo "ok - $name # SKIP" ;;
		*) echo "not ok - $name # exit status $rc" ;;
		esac
	elif [[ $rc -ne 0 && $rc -ne 4 && $fails -eq 0 ]]; then
		echo "not ok - $name # exit status $rc"
	fi
	echo "# ---- $name: exit $rc after $((SECONDS - t0))s"
	[[ $rc -eq 0 || $rc -eq 4 ]] || failed=1
done
exit "$failed"
