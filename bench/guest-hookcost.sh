#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (bench/run.sh boots it with -smp 1 -icount shift=0,sleep=on,
# without loading forkgov): the cost of the kernel_clone() hook on the
# clone(CLONE_SIGHAND) -> EINVAL fast path for each policy-table shape, then
# fork+exit+wait, then the rate accuracy of deny policies.  Everything in one
# boot; the module is loaded and unloaded between cases.
#
# usage: guest-hookcost.sh KO OUTDIR
# BENCH_CASES="match-d1 deny-d1 ...": measure only these cases (names of the
# first column; "fork" and "rate" for the fork+exit+wait and rate-accuracy
# parts), for iterating on one path; the default is all of them.
# Output: OUTDIR/hookcost.tsv (case, mode, ns per call, ok, eagain), and
# OUTDIR/rate.tsv; the raw hookcost lines in OUTDIR/hookcost.log.
set -euo pipefail
cd "$(dirname "$0")/.."

KO=$1
OUT=$2
B=build/bench
CG=/sys/fs/cgroup
CALLS=${BENCH_CALLS:-100000}
FCALLS=${BENCH_FORK_CALLS:-2000}
REPS=${BENCH_REPS:-5}
GEN='rate=1000000 burst=1000000'
CASES=${BENCH_CASES:-}
tsv=$OUT/hookcost.tsv
log=$OUT/hookcost.log

say() { echo "# $*"; echo "$(cut -d" " -f1 /proc/uptime) $*" >>"$OUT/progress"; }
pol() { printf '%s\n' "$@" >/proc/forkgov/policies; }
stat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/forkgov/stats; }
# want CASE...: whether any of these cases is to be measured.
want()
{
	local c

	[[ -z $CASES ]] && return 0
	for c in "$@"; do
		[[ " $CASES " == *" $c "* ]] && return 0
	done
	return 1
}

load()
{
	[[ -d /sys/module/forkgov ]] || insmod "$KO"
}

unload()
{
	if [[ -d /sys/module/forkgov ]]; then
		pol flush
		rmmod forkgov
	fi
}

# measure CASE MODE CGROUP [CALLS]: run hookcost, record the median.
measure()
{
	local name=$1 mode=$2 cg=$3 n=${4:-$CALLS} line med ok eagain

	want "$name" || [[ $mode != einval ]] || return 0
	line=$($B/hookcost -c "$cg" -n "$n" -r "$REPS" "$mode" | tee -a "$log" | tail -n 1)
	med=$(sed -n 's/.* med=\([0-9.]*\).*/\1/p' <<<"$line")
	ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$line")
	eagain=$(sed -n 's/.* eagain=\([0-9]*\).*/\1/p' <<<"$line")
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$med" "$ok" "$eagain" | tee -a "$tsv"
}

mkcg()
{
	local d

	for d in "$@"; do
		mkdir -p "$CG$d"
	done
}

# The process running this script stays in the root cgroup; hookcost moves
# itself.  Controllers are left off below the first level so that creating
# thousands of cgroups stays cheap.
setup_cgroups()
{
	local i p=/d1

	mkcg /b1 /other /nomatch /bk /bk/sibling /pc
	for i in 2 3 4 5 6 7 8; do
		p=$p/d$i
	done
	mkdir -p "$CG$p"
	if want 10k-match 10k-nomatch 10k-sibling; then
		mkdir "$CG"/bk/p{0..9999}
	fi
	if want per-child-1000; then
		mkdir "$CG"/pc/c{0..999}
	fi
}

hookcost_cases()
{
	local d8=/d1/d2/d3/d4/d5/d6/d7/d8 i p lines

	unload
	say "module absent"
	measure absent einval /b1
	measure absent-d8 einval $d8

	load
	say "loaded, no policy, lineage on: hook_installed=$(stat_of hook_installed)"
	measure lineage-on einval /b1
	# The cases below are about policies: the lineage defence is off.
	echo 0 >/proc/sys/kernel/forkgov/lineage
	say "loaded, no policy: hook_installed=$(stat_of hook_installed)"
	measure no-policy einval /b1

	# rate=none carries only mt_warn: the hook stays out.
	pol "set /b1 rate=none mt_warn=off"
	say "rate=none only: hook_installed=$(stat_of hook_installed)"
	measure rate-none einval /b1
	pol flush

	pol "set /other $GEN"
	say "one policy elsewhere: hook_installed=$(stat_of hook_installed)"
	measure nomatch-d1 einval /nomatch
	measure nomatch-d8 einval $d8

	pol "set /b1 $GEN"
	measure match-d1 einval /b1
	# Every call but the first denied: the deny path, without the back-off
	# sleep (deny_delay=0).
	pol "set /b1 rate=1/h burst=1 action=deny deny_delay=0"
	measure deny-d1 einval /b1
	pol "set /b1 $GEN"
	echo 0 >/proc/sys/kernel/forkgov/enabled
	say "enabled=0: hook_installed=$(stat_of hook_installed)"
	measure disabled einval /b1
	echo 1 >/proc/sys/kernel/forkgov/enabled
	pol flush

	pol "set /d1 $GEN"
	measure match-d8-top einval $d8
	pol flush

	lines=()
	p=
	for i in 1 2 3 4 5 6 7 8; do
		p=$p/d$i
		lines+=("set $p $GEN")
	done
	pol "${lines[@]}"
	measure match-d8-all einval $d8
	pol flush

	if want 10k-match 10k-nomatch 10k-sibling; then
		for i in {0..9999}; do
			echo "set /bk/p$i $GEN"
		done >/run/bench-10k
		$B/fgwrite </run/bench-10k
		say "policies=$(stat_of policies)"
		measure 10k-match einval /bk/p5000
		measure 10k-nomatch einval /nomatch
		# A cgroup without a policy among 10,000 siblings with one.
		measure 10k-sibling einval /bk/sibling
		pol flush
	fi

	if want per-child-1000; then
		pol "set /pc $GEN scope=per-child"
		# One fork attempt from each child creates its bucket.
		$B/hookcost -c /pc/c%d -V 1000 einval
		say "child_buckets=$(stat_of child_buckets)"
		measure per-child-1000 einval /pc/c500
		pol flush
	fi
}

fork_cases()
{
	unload
	measure absent fork /b1 "$FCALLS"
	measure absent vfork /b1 "$FCALLS"
	load
	measure no-policy fork /b1 "$FCALLS"
	measure no-policy vfork /b1 "$FCALLS"
	pol "set /b1 $GEN"
	measure match-d1 fork /b1 "$FCALLS"
	measure match-d1 vfork /b1 "$FCALLS"
	pol flush
}

# Rate accuracy: each clone(CLONE_SIGHAND) charges one token (EINVAL) or is
# denied (EAGAIN); hammer the bucket for T seconds and compare what was
# allowed with rate*T + burst.
rate_cases()
{
	local rate burst T=${BENCH_RATE_SECONDS:-3} line ok eagain secs

	load
	for rate in 10 100 1000 10000 100000; do
		burst=$(( rate / 10 > 0 ? rate / 10 : 1 ))
		pol flush "set /b1 rate=$rate burst=$burst action=deny"
		line=$($B/ratehammer -c /b1 -t "$T" | tee -a "$log")
		ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$line")
		eagain=$(sed -n 's/.* eagain=\([0-9]*\).*/\1/p' <<<"$line")
		secs=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$line")
		printf '%s\t%s\t%s\t%s\t%s\tdeny\n' "$rate" "$burst" "$secs" "$ok" "$eagain" |
			tee -a "$OUT/rate.tsv"
	done
	# Throttle, with real forks: every fork waits for its token and succeeds.
	for rate in 20 200; do
		burst=1
		pol flush "set /b1 rate=$rate burst=$burst action=throttle max_delay=1000"
		line=$($B/ratehammer -c /b1 -t "$T" -m fork | tee -a "$log")
		ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$line")
		eagain=$(sed -n 's/.* eagain=\([0-9]*\).*/\1/p' <<<"$line")
		secs=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$line")
		printf '%s\t%s\t%s\t%s\t%s\tthrottle\n' "$rate" "$burst" "$secs" "$ok" "$eagain" |
			tee -a "$OUT/rate.tsv"
	done
	pol flush
}

: >"$tsv"
: >"$log"
: >"$OUT/rate.tsv"
echo "kernel $(uname -r)" >"$OUT/guest-info"
nproc >>"$OUT/guest-info"
setup_cgroups
say "cgroups ready after $(cut -d' ' -f1 /proc/uptime)s"
hookcost_cases
if want fork; then
	fork_cases
fi
if want rate; then
	rate_cases
fi
unload
if want 10k-match 10k-nomatch 10k-sibling; then
	rmdir "$CG"/bk/p{0..9999}
fi
if want per-child-1000; then
	rmdir "$CG"/pc/c{0..999}
fi
say "done after $(cut -d' ' -f1 /proc/uptime)s"
