#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (bench/run.sh boots it with two CPUs, wall clock, without
# loading forkgov): two CPUs forking in one governed cgroup, then the
# fork-bomb containment experiment, four cases:
#
#   none      no limit at all (the bomb is killed after BOMB_SECONDS)
#   pids      pids.max=BOMB_PIDS_MAX alone
#   deny      forkgov rate=BOMB_RATE burst=BOMB_BURST action=deny
#   throttle  the same with action=throttle max_delay=1000
#
# The forkgov cases keep pids.max=BOMB_SAFETY_PIDS as a safety net (not
# reached when the policy works).
#
# usage: guest-bomb.sh KO OUTDIR
# Output: OUTDIR/smp2.tsv, OUTDIR/bomb.tsv, OUTDIR/probe-CASE.log,
# OUTDIR/bomb-CASE.policy (the policy line with its counters after the run).
set -euo pipefail
cd "$(dirname "$0")/.."

KO=$1
OUT=$2
B=build/bench
CG=/sys/fs/cgroup
DUR=${BOMB_SECONDS:-4}
RATE=${BOMB_RATE:-50}
BURST=${BOMB_BURST:-100}
PIDS_MAX=${BOMB_PIDS_MAX:-200}
SAFETY=${BOMB_SAFETY_PIDS:-4000}
CALLS=${BENCH_CALLS:-100000}
REPS=${BENCH_REPS:-5}
SMP_REPS=${BENCH_SMP_REPS:-9}
GEN='rate=1000000 burst=1000000'

say() { echo "# $*"; echo "$(cut -d" " -f1 /proc/uptime) $*" >>"$OUT/progress"; }
pol() { printf '%s\n' "$@" >/proc/forkgov/policies; }
load() { [[ -d /sys/module/forkgov ]] || insmod "$KO"; }
unload()
{
	if [[ -d /sys/module/forkgov ]]; then
		pol flush
		rmmod forkgov
	fi
}

# smp CASE PROCS CGROUP: PROCS processes (one per CPU) on the fast path, in
# CGROUP (with %d: process i in its own cgroup).
smp()
{
	local line med

	line=$($B/hookcost -c "$3" -n "$CALLS" -r "$SMP_REPS" -j "$2" einval | tee -a "$OUT/smp2.log" | tail -n 1)
	med=$(sed -n 's/.* med=\([0-9.]*\).*/\1/p' <<<"$line")
	printf '%s\t%s\t%s\n' "$1" "$2" "$med" | tee -a "$OUT/smp2.tsv"
}

smp_cases()
{
	: >"$OUT/smp2.tsv"
	mkdir -p "$CG"/s/c0 "$CG"/s/c1
	unload
	smp absent 1 /b1
	smp absent 2 /b1
	load
	pol "set /b1 $GEN"
	smp shared-bucket 1 /b1
	smp shared-bucket 2 /b1
	pol flush "set /s $GEN scope=per-child"
	smp own-bucket 1 /s/c%d
	smp own-bucket 2 /s/c%d
	pol flush
	rmdir "$CG"/s/c0 "$CG"/s/c1 "$CG"/s
}

bomb_case()
{
	local name=$1 line

	mkdir "$CG/bomb"
	case $name in
	pids)
		echo "$PIDS_MAX" >"$CG/bomb/pids.max" ;;
	deny)
		echo "$SAFETY" >"$CG/bomb/pids.max"
		pol "set /bomb rate=$RATE burst=$BURST action=deny" ;;
	throttle)
		echo "$SAFETY" >"$CG/bomb/pids.max"
		pol "set /bomb rate=$RATE burst=$BURST action=throttle max_delay=1000" ;;
	esac
	say "bomb case $name"
	line=$($B/bombrun -b /bomb -p /probe -o "$OUT/probe-$name.log" -d "$DUR")
	printf '%s %s pids_events_max=%s\n' "$name" "$line" \
		"$(awk '$1 == "max" { print $2 }' "$CG/bomb/pids.events")" | tee -a "$OUT/bomb.tsv"
	if [[ $name == deny || $name == throttle ]]; then
		grep '^policy /bomb ' /proc/forkgov/policies >"$OUT/bomb-$name.policy" || true
		pol "del /bomb"
	fi
	rmdir "$CG/bomb"
}

: >"$OUT/bomb.tsv"
: >"$OUT/smp2.log"
{
	echo "kernel $(uname -r)"
	echo "cpus $(nproc)"
	echo "mem_kb $(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
	echo "pid_max $(cat /proc/sys/kernel/pid_max)"
	echo "threads_max $(cat /proc/sys/kernel/threads-max)"
} >"$OUT/guest-info-bomb"
mkdir -p "$CG/b1" "$CG/probe"
smp_cases
load
for c in none pids deny throttle; do
	bomb_case "$c"
	sleep 1
done
unload
rmdir "$CG/b1" "$CG/probe"
say "done after $(cut -d' ' -f1 /proc/uptime)s"
