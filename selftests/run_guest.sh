#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the whole selftest suite inside a test guest (tools/testing/vm.sh runs
# it): every binary built in build/selftests/ and every selftests/*.sh, each
# under the timeout given in selftests/TESTS (default 300 s), then unload
# forkgov.  Prints TAP, keeps a copy in the results share, and ends with the
# kernel's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

T=tools/testing
R=/run/fg-results
[[ -d $R ]] || R=$(mktemp -d)
log=$R/tap.log
rc=0

tests=()
for f in build/selftests/* selftests/*.sh; do
	[[ -f $f && -x $f && $f != selftests/run_guest.sh ]] && tests+=("$f")
done

suite()
{
	local rc=0

	echo "TAP version 13"
	echo "# kernel $(uname -r), module ${FORKGOV_KO:-none}"
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
