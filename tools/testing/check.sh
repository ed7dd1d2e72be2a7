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
# The debug kernel (6.12-debug: KASAN, lockdep, kmemleak; issue 8) is the
# matrix's last entry; CHECK_DEBUG=0 leaves it out (so does a CHECK_KERNELS
# that does not name it).  tools/testing/debug-kernel.sh builds it into
# $FG_CACHE when it is missing (22 min measured on a 2-core machine
# running the other steps at the same time; once per source package and
# debug.config), in the background from right after deps, at a lower
# priority than the rest.  Then forkgov is built against it (W=1, and with
# clang when the tree allows), and the suite runs on it in two guests with
# timeouts scaled (vm.sh).
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

# guest_job NAME ALIAS [TEST...]: one guest boot of ALIAS running the suite
# (or the named tests).  Runs in the background: the TAP goes to
# $OUT/NAME.log, everything to standard output.
guest_job()
{
	local name=$1 alias=$2 kver res log rc=0
	shift 2

	res=$OUT/vm-$name
	log=$OUT/$name.log
	kver=$(fg_kver "$alias") || kver=none
	if [[ ! -f build/$kver/forkgov.ko ]]; then
		echo "not ok - boot $name # no module built" | tee "$log"
		return 0
	fi
	$T/vm.sh -k "$kver" -t "$VM_TIMEOUT" -o "$res" selftests/run_guest.sh "$@" || rc=$?
	: >"$log"
	[[ ! -f $res/tap.log ]] || cat "$res/tap.log" >"$log"
	if [[ $(cat "$res/verdict" 2>/dev/null) == kernel-log-clean ]]; then
		echo "ok - $name: kernel log clean"
	else
		echo "not ok - $name: kernel log clean"
	fi | tee -a "$log"
	if [[ $rc -ne 0 ]] && ! grep -qE '^not ok\b' "$log"; then
		echo "not ok - $name: guest run # exit status $rc" | tee -a "$log"
	fi
}

# The guests: each is one TCG thread, so GUEST_JOBS (2) run at once, the
# longest first.  A job is "NAME ALIAS [TEST...]"; its output is printed when
# it ends and its TAP counted in the section of ALIAS.  The debug kernel's
# suite is split in two jobs (DEBUG_PART1 and the rest): it is by far the
# slowest, and its jobs join the queue when its background build is done.
GUEST_JOBS=${GUEST_JOBS:-2}
DEBUG_PART1=${DEBUG_PART1:-governor_test load_test report_test unload_test audit_test fuzz_short perf_test}
declare -A running=()
pending=()
debug_pid=

guest_start()
{
	local spec=$1 name alias

	read -r name alias _ <<<"$spec"
	echo "==== selftests on $name ($(fg_kver "$alias" || echo none)): started"
	# shellcheck disable=SC2086 # the spec's words are the arguments
	guest_job $spec >"$OUT/$name.out" 2>&1 &
	running[$!]=$spec
}

guest_end()
{
	local spec=$1 name alias

	read -r name alias _ <<<"$spec"
	echo "==== selftests on $name"
	cat "$OUT/$name.out"
	tally "$alias" "$OUT/$name.log"
}

# The debug kernel's build is done: count it, build forkgov against it, and
# queue its guests before the others still waiting.
debug_ready()
{
	local rc=$1 all p1 p2 name

	echo "==== debug-kernel"
	cat "$OUT/debug-kernel.log"
	if [[ $rc -ne 0 ]] && ! grep -qE '^not ok\b' "$OUT/debug-kernel.log"; then
		echo "not ok - debug-kernel # exit status $rc" | tee -a "$OUT/debug-kernel.log"
	fi
	tally static "$OUT/debug-kernel.log"
	[[ $rc -eq 0 ]] || return 0
	step static debug-build $T/build.sh "$FG_DEBUG_ALIAS" || true
	step static debug-clang $T/debug-kernel.sh --clang || true
	p1= p2=
	for name in $(selftests/run_guest.sh --list); do
		if [[ " $DEBUG_PART1 " == *" $name "* ]]; then
			p1+=" $name"
		else
			p2+=" $name"
		fi
	done
	all=()
	[[ -z $p1 ]] || all+=("$FG_DEBUG_ALIAS.1 $FG_DEBUG_ALIAS$p1")
	[[ -z $p2 ]] || all+=("$FG_DEBUG_ALIAS.2 $FG_DEBUG_ALIAS$p2")
	pending=("${all[@]}" "${pending[@]}")
}

run_guests()
{
	local alias done_pid rc

	pending=()
	for alias in $kernels; do
		[[ $alias == "$FG_DEBUG_ALIAS" ]] || pending+=("$alias $alias")
	done
	if [[ -n $debug_pid ]] && ! kill -0 "$debug_pid" 2>/dev/null; then
		rc=0
		wait "$debug_pid" || rc=$?
		debug_pid=
		debug_ready "$rc"
	fi
	while :; do
		while [[ ${#running[@]} -lt $GUEST_JOBS && ${#pending[@]} -gt 0 ]]; do
			guest_start "${pending[0]}"
			pending=("${pending[@]:1}")
		done
		[[ ${#running[@]} -gt 0 || -n $debug_pid ]] || break
		# wait -n misses a job that ended before it was called: poll.
		sleep 1
		if [[ -n $debug_pid ]] && ! kill -0 "$debug_pid" 2>/dev/null; then
			rc=0
			wait "$debug_pid" || rc=$?
			debug_pid=
			debug_ready "$rc"
		fi
		for done_pid in "${!running[@]}"; do
			! kill -0 "$done_pid" 2>/dev/null || continue
			wait "$done_pid" || true
			guest_end "${running[$done_pid]}"
			unset "running[$done_pid]"
		done
	done
}

if ! step static deps $T/deps.sh; then
	echo "deps failed: nothing else can run"
else
	kernels=${CHECK_KERNELS:-$(fg_matrix | awk '{ print $1 }')}
	[[ -n ${CHECK_KERNELS:-} || ${CHECK_DEBUG:-1} == 0 ]] ||
		kernels+=" $FG_DEBUG_ALIAS"
	# The debug kernel builds (when its cache is cold) in the background,
	# at a lower priority than everything else here.
	if [[ " $kernels " == *" $FG_DEBUG_ALIAS "* ]]; then
		echo "==== debug-kernel: building in the background"
		nice -n 10 $T/debug-kernel.sh --tap >"$OUT/debug-kernel.log" 2>&1 &
		debug_pid=$!
	fi
	step static style $T/style.sh || true
	step static sparse $T/build.sh -s || true
	step static matrix $T/build.sh || true
	step host unit make -s unit || true
	step host harness $T/harness-test.sh || true
	for hc in $HOST_CHECKS; do
		step host "$hc" make -s "$hc" || true
	done
	if step host selftests-build \
	   sh -c 'make -s selftests && echo "ok - selftests build"'; then
		run_guests
	fi
fi
# Steps that stopped early leave the debug kernel's build: count it.
if [[ -n $debug_pid ]]; then
	rc=0
	wait "$debug_pid" || rc=$?
	[[ $rc -eq 0 ]] || grep -qE '^not ok\b' "$OUT/debug-kernel.log" ||
		echo "not ok - debug-kernel # exit status $rc" >>"$OUT/debug-kernel.log"
	tally static "$OUT/debug-kernel.log"
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
