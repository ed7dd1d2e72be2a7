#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the whole selftest suite inside a test guest (tools/testing/vm.sh runs
# it): every binary built in build/selftests/ and every selftests/*.sh (or
# those named on the command line: run_guest.sh [NAME...]), each
# under the timeout given in selftests/TESTS (default 300 s), then unload
# forkgov.  Prints TAP, keeps a copy in the results share, and ends with the
# kernel's summary line.  run_guest.sh --list prints the tests' names (on the
# host too: check.sh splits the suite between guests with it).
set -euo pipefail
cd "$(dirname "$0")/.."

T=tools/testing

# Every test of the suite, as a path: the built binaries, then the scripts.
all_tests()
{
	local f

	for f in build/selftests/* selftests/*.sh; do
		[[ -f $f && -x $f && $f != selftests/run_guest.sh ]] || continue
		echo "$f"
	done
}

test_name()
{
	local name=${1##*/}

	echo "${name%.sh}"
}

if [[ ${1:-} == --list ]]; then
	all_tests | while read -r f; do test_name "$f"; done
	exit 0
fi

R=/run/fg-results
[[ -d $R ]] || R=$(mktemp -d)
log=$R/tap.log
rc=0

# With arguments, only the tests of those names (a part of the suite, for
# guests that run it in parallel); an unknown name is a failed test.
tests=()
while read -r f; do
	if [[ $# -eq 0 || " $* " == *" $(test_name "$f") "* ]]; then
		tests+=("$f")
	fi
done < <(all_tests)
missing=()
for name in "$@"; do
	[[ -x build/selftests/$name || -x selftests/$name.sh ]] || missing+=("$name")
done

suite()
{
	local rc=0

	echo "TAP version 13"
	echo "# kernel $(uname -r), module ${FORKGOV_KO:-none}"
	for name in "${missing[@]}"; do
		echo "not ok - $name # no such test"
		rc=1
	done
	$T/tap-run.sh -t 300 -s selftests/TESTS "${tests[@]}" || rc=1
	[[ ${NOLOAD:-0} != 1 ]] || return "$rc"
	if [[ ! -d /sys/module/forkgov ]]; then
		echo "not ok - rmmod forkgov # module is not loaded"
		rc=1
	elif rmmod forkgov; then
		echo "ok - rmmod forkgov"
	else
		echo "not ok - rmmod forkgov"
		rc=1
	fi
	return "$rc"
}

suite 2>&1 | tee "$log" || rc=1

read -r pass fail skip < <($T/tap-count.sh "$log")
echo "# kernel $(uname -r): $pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]] || rc=1
exit "$rc"
