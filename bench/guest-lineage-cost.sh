#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (booted as bench/run.sh boots the hookcost guest: -smp 1
# -icount shift=0,sleep=on, forkgov not loaded): the cost of the lineage
# defence on the clone(CLONE_SIGHAND) -> EINVAL fast path of a task that has
# exec'd (guest ns are instructions), with no policy: module absent, loaded
# with the defence on (the hook is installed for it alone), and off.
#
# usage: guest-lineage-cost.sh KO OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."

KO=$1
OUT=$2
B=build/bench
CALLS=${BENCH_CALLS:-100000}
REPS=${BENCH_REPS:-5}
tsv=$OUT/lineage-cost.tsv

stat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/forkgov/stats; }

measure()
{
	local line

	line=$($B/hookcost -c /lc -n "$CALLS" -r "$REPS" einval | tail -n 1)
	echo "# $1: $line"
	printf '%s\t%s\t%s\n' "$1" "$(sed -n 's/.* med=\([0-9.]*\).*/\1/p' <<<"$line")" \
		"$([[ -d /sys/module/forkgov ]] && stat_of hook_installed || echo -)" |
		tee -a "$tsv"
}

mkdir -p /sys/fs/cgroup/lc
printf 'case\tns_per_call\thook_installed\n' >"$tsv"
measure absent
insmod "$KO"
measure lineage-on
echo 0 >/proc/sys/kernel/forkgov/lineage
measure lineage-off
echo 2 >/proc/sys/kernel/forkgov/lineage
measure lineage-on-again
rmmod forkgov
measure absent-again
