#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything, in order, on every kernel of the matrix.
#
#   deps, style (checkpatch, kernel-doc), sparse and W=1 build per kernel,
#   unit tests, a test of the VM harness itself, the HOST_CHECKS make
#   targets, the selftests build, then one guest boot per kernel running
#   selftests/run_guest.sh.
#
# Each step prints TAP; every "ok"/"not ok" line is one test ("# SKIP" ones
# are counted apart).  A guest run adds a "kernel log clean" test and, if it
# fails without a "not ok" line of its own, a failed test for the boot.
# Output of each step is kept in out/check/.  The last line printed is
# "N passed, N failed"; the exit status is nonzero on any failure.
#
# CHECK_KERNELS="6.12 6.1" limits the guest runs to those aliases (default:
# the whole matrix); VM_TIMEOUT bounds each guest run (900 s).
#
# The debug kernel (6.12-debug: KASAN, lockdep, kmemleak; issue 8) is an
# extra last entry with CHECK_DEBUG=1 or when CHECK_KERNELS names it:
# tools/testing/debug-kernel.sh builds it into $FG_CACHE when it is missing
# (about 20 min of 2 cores, once), then forkgov is built against it (W=1,
# and with clang when the tree allows) and the suite runs on it with
# timeouts scaled (vm.sh).  Not yet by default: some selftests fail, not
# skip, when the machine is too slow to saturate a rate (see issue 8).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$FG_ROOT"

T=tools/testing
OUT=$FG_ROOT/out/check
VM_TIMEOUT=${VM_TIMEOUT:-900}
HOST_CHECKS=${HOST_CHECKS:-}

rm -rf "$OUT"
mkdir -p "$OUT"
sections=()
declare -A spass sfail sskip
tpass=0 tfail=0 tskip=0
start=$(date +%s)

# Count the TAP of $2 into section $1.
tally()
{
	local p f s

	read -r p f s < <($T/tap-count.sh "$2")
	[[ -n ${spass[$1]+x} ]] || { sections+=("$1"); spass[$1]=0 sfail[$1]=0 sskip[$1]=0; }
	spass[$1]=$((spass[$1] + p))
	sfail[$1]=$((sfail[$1] + f))
	sskip[$1]=$((sskip[$1] + s))
	tpass=$((tpass + p)) tfail=$((tfail + f)) tskip=$((tskip + s))
}

# step SECTION NAME CMD...: run CMD, stream and keep its output, count its
# TAP; a failure that printed no "not ok" line counts as one failed test.
step()
{
	local section=$1 name=$2 log rc
	shift 2

	log=$OUT/$name.log
	echo "==== $name"
	set +e
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	if [[ $rc -ne 0 ]] && ! grep -qE '^not ok\b' "$log"; then
		echo "not ok - $name # exit status $rc" | tee -a "$log"
	fi
	tally "$section" "$log"
	return "$rc"
}

# One guest boot running the whole selftest suite.
guest()
{
	local alias=$1 kver res log rc=0

	res=$OUT/vm-$alias
	log=$OUT/$alias.log
	kver=$(fg_kver "$alias") || kver=none
	echo "==== selftests on $alias ($kver)"
	if [[ ! -f build/$kver/forkgov.ko ]]; then
		echo "not ok - boot $alias # no module built" | tee "$log"
		tally "$alias" "$log"
		return
	fi
	set +e
	$T/vm.sh -k "$kver" -t "$VM_TIMEOUT" -o "$res" selftests/run_guest.sh
	rc=$?
	set -e
	: >"$log"
	[[ ! -f $res/tap.log ]] || cat "$res/tap.log" >"$log"
	if [[ $(cat "$res/verdict" 2>/dev/null) == kernel-log-clean ]]; then
		echo "ok - $alias: kernel log clean"
	else
		echo "not ok - $alias: kernel log clean"
	fi | tee -a "$log"
	if [[ $rc -ne 0 ]] && ! grep -qE '^not ok\b' "$log"; then
		echo "not ok - $alias: guest run # exit status $rc" | tee -a "$log"
	fi
	tally "$alias" "$log"
}

if ! step static deps $T/deps.sh; then
	echo "deps failed: nothing else can run"
else
	step static style $T/style.sh || true
	step static sparse $T/build.sh -s || true
	step static matrix $T/build.sh || true
	kernels=${CHECK_KERNELS:-$(fg_matrix | awk '{ print $1 }')}
	[[ ${CHECK_DEBUG:-0} != 1 ]] || kernels+=" $FG_DEBUG_ALIAS"
	if [[ " $kernels " == *" $FG_DEBUG_ALIAS "* ]] &&
	   step static debug-kernel $T/debug-kernel.sh --tap; then
		step static debug-build $T/build.sh "$FG_DEBUG_ALIAS" || true
		step static debug-clang $T/debug-kernel.sh --clang || true
	fi
	step host unit make -s unit || true
	step host harness $T/harness-test.sh || true
	for hc in $HOST_CHECKS; do
		step host "$hc" make -s "$hc" || true
	done
	if step host selftests-build \
	   sh -c 'make -s selftests && echo "ok - selftests build"'; then
		for alias in $kernels; do
			guest "$alias"
		done
	fi
fi

echo
echo "==== summary ($(( $(date +%s) - start ))s; logs in out/check/)"
for s in "${sections[@]}"; do
	printf '  %-10s %d passed, %d failed, %d skipped\n' \
		"$s" "${spass[$s]}" "${sfail[$s]}" "${sskip[$s]}"
done
echo "$tskip skipped"
echo "$tpass passed, $tfail failed"
[[ $tfail -eq 0 ]]
