#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: measure forkgov in QEMU guests and write bench/results/.
#
#   1. one boot with -smp 1 -icount shift=0,sleep=on (guest time counts
#      instructions): hook cost on the clone(CLONE_SIGHAND) -> EINVAL fast
#      path for every policy-table shape, fork/vfork+exit+wait, rate accuracy
#      (bench/guest-hookcost.sh);
#   2. one boot with -smp 2, wall clock: two CPUs forking in one governed
#      cgroup, then the first fork-bomb experiment (bench/guest-bomb.sh);
#   3. one boot with -smp 2, wall clock: the containment bench, three bombs
#      x modes x rates, repeated (bench/guest-contain.sh).
#
# Both boots load one build of the module made at the start from HEAD, so
# that a rebuild by someone else during the run changes nothing.  The results
# (Markdown, PNG, raw data, kernel, QEMU and commit) replace bench/results/;
# bench/report.py formats them.
#
#   KVER=6.12           kernel alias or version
#   BENCH_CALLS=100000  fast-path calls per repetition;  BENCH_REPS=5
#   BENCH_ONLY=hookcost|bomb|containment   run one of the boots (the
#                       others' raw data is kept from the previous run)
#   BENCH_WORKTREE=1    measure the working tree's module, not HEAD's
#   BENCH_CASES="absent match-d1 ..."   hookcost: only these cases (see
#                       bench/guest-hookcost.sh); the figures stay in
#                       out/bench/hookcost/, bench/results/ is left alone
#   BENCH_QUICK=1       containment: 10 s bombs, 1 repetition, 20/s only
#                       (the defaults: 15 s, 3, 20/s and 50/s); any CONTAIN_* variable of
#                       bench/guest-contain.sh is passed to the guest, e.g.
#                       CONTAIN_BOMBS=c CONTAIN_MODES="none deny" CONTAIN_RATES=20
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/testing/lib.sh

KVER=$(fg_kver "${KVER:-6.12}")
RES=$PWD/bench/results
WORK=$PWD/out/bench
ONLY=${BENCH_ONLY:-}

case $ONLY in
''|hookcost|bomb|containment) ;;
*) fg_die "BENCH_ONLY=$ONLY: hookcost, bomb or containment" ;;
esac
# The containment boot's settings, passed on to the guest.
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	: "${CONTAIN_SECONDS:=10}" "${CONTAIN_REPS:=1}" "${CONTAIN_RATES:=20}"
	export CONTAIN_SECONDS CONTAIN_REPS CONTAIN_RATES
fi
CONTAIN_ENV=$(for v in ${!CONTAIN_@}; do printf '%s=%q ' "$v" "${!v}"; done)
# At most 3 bombs x 13 runs, each its length plus ~40 s.
CONTAIN_TIMEOUT=${BENCH_TIMEOUT:-$(( ${CONTAIN_REPS:-3} * 40 * (${CONTAIN_SECONDS:-15} + 40) + 900 ))}

mkdir -p "$WORK" "$RES"
make -s bench-progs

# The kernels and QEMU, and gnuplot for bench/report.py's fork-bomb plot:
# installed first, not found missing after the guests have run.
tools/testing/deps.sh gnuplot-nox

# The module measured is the committed one (HEAD), built apart, so that the
# commit recorded is exactly what ran; BENCH_WORKTREE=1 takes the working
# tree instead.
src=$WORK/src
rm -rf "$src"
mkdir -p "$src"
if [[ ${BENCH_WORKTREE:-0} == 1 ]]; then
	cp -r Kbuild module "$src/"
	what="$(git rev-parse --short HEAD) + working tree$(git diff --quiet HEAD -- module Kbuild || echo ' (modified)')"
else
	git archive HEAD Kbuild module | tar -x -C "$src"
	what=$(git rev-parse --short HEAD)
fi
make -s -C "/usr/src/linux-headers-$KVER" M="$src" modules >"$WORK/build.log" 2>&1 ||
	{ cat "$WORK/build.log"; exit 1; }
KO=$WORK/forkgov-$KVER.ko
cp "$src/forkgov.ko" "$KO"

{
	echo "date           $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "module source  $what"
	echo "module commit  $(git log -1 --format='%h %cs %s' HEAD -- module Kbuild) (last change to module/, Kbuild)"
	echo "guest kernel   $KVER"
	echo "qemu           $(qemu-system-x86_64 --version | head -n 1)"
	echo "host           $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host load      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the start)"
	echo "module sha256  $(sha256sum "$KO" | cut -c1-16)"
} >"$WORK/meta.txt"
cat "$WORK/meta.txt"

boot()
{
	local name=$1 script=$2 dir=$WORK/$1 timeout=${BENCH_TIMEOUT:-1500} genv=
	shift 2

	if [[ $name == containment ]]; then
		genv=$CONTAIN_ENV
		timeout=$CONTAIN_TIMEOUT
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "bench: $name boot (results in $dir)"
	env "$@" tools/testing/vm.sh -k "$KVER" -n -t "$timeout" -o "$dir" -- \
		"BENCH_CALLS=${BENCH_CALLS:-100000} BENCH_REPS=${BENCH_REPS:-5} BENCH_CASES='${BENCH_CASES:-}' $genv$script $KO /run/fg-results" |
		grep -v '^# proc'
}

# The wall-clock boot first, while the host is as quiet as it gets.
if [[ -z $ONLY || $ONLY == bomb ]]; then
	boot bomb bench/guest-bomb.sh VM_SMP=2
	cp "$WORK/meta.txt" "$WORK/bomb/meta.txt"
	rm -rf "$RES/bomb"
	cp -r "$WORK/bomb" "$RES/bomb"
fi
if [[ -z $ONLY || $ONLY == containment ]]; then
	start=$SECONDS
	boot containment bench/guest-contain.sh VM_SMP=2
	{
		cat "$WORK/meta.txt"
		echo "guest env      ${CONTAIN_ENV:-(defaults)}"
		echo "wall time      $((SECONDS - start)) s (the whole boot)"
	} >"$WORK/containment/meta.txt"
	rm -rf "$RES/containment"
	cp -r "$WORK/containment" "$RES/containment"
fi
if [[ -z $ONLY || $ONLY == hookcost ]]; then
	boot hookcost bench/guest-hookcost.sh VM_SMP=1 VM_QEMU_EXTRA='-icount shift=0,sleep=on'
	cp "$WORK/meta.txt" "$WORK/hookcost/meta.txt"
	if [[ -n ${BENCH_CASES:-} ]]; then
		cat "$WORK/hookcost/hookcost.tsv"
		echo "bench: cases $BENCH_CASES only: results in $WORK/hookcost"
		exit 0
	fi
	rm -rf "$RES/hookcost"
	cp -r "$WORK/hookcost" "$RES/hookcost"
fi
rm -f "$RES"/{bomb,hookcost,containment}/{console.log,env,repo,cmd,forkgov.ko,verdict,progress,.running}
rm -f "$RES/meta.txt"
python3 bench/report.py "$RES"
echo "bench: results in bench/results/README.md"
