#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# forkgov's trace events through perf (Debian's linux-perf): perf record
# -e 'forkgov:*' sees a denied, a throttled and a logged fork with the
# forking task and the cgroup ids.  Runs in a test guest as root; prints TAP.
set -uo pipefail

CG=/sys/fs/cgroup/fgperf.$$
cg=${CG#/sys/fs/cgroup}
source "$(dirname "$0")/lib/tap.sh"

echo "TAP version 13"
if [[ $(id -u) != 0 || ! -d /sys/kernel/tracing/events/forkgov ]] ||
   ! command -v perf >/dev/null; then
	echo "1..0 # SKIP needs root, forkgov's trace events and perf"
	exit 0
fi
echo "1..4"

dir=$(mktemp -d)
cleanup() {
	echo flush >/proc/forkgov/policies
	[[ -d $CG ]] && { echo 1 >"$CG/cgroup.kill"; sleep 0.2; rmdir "$CG"; }
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir "$CG"
id=$(stat -c %i "$CG")

# Two forks per policy: one takes the only token, the other is decided.
forks() { sh -c "echo \$\$ >$CG/cgroup.procs; /bin/true; /bin/true" 2>/dev/null; }
run() {
	echo "set $cg $1" >/proc/forkgov/policies
	perf record -q -e 'forkgov:*' -a -o "$dir/$2.data" -- \
		sh -c "$(declare -f forks); CG=$CG; forks" >/dev/null 2>&1
	perf script -i "$dir/$2.data" 2>/dev/null >"$dir/$2.txt"
}

run "rate=0 burst=1" deny
grep -q "forkgov:deny: pid=[0-9]* comm=sh cgroup_id=$id policy_cgroup_id=$id delay_ns=0" "$dir/deny.txt"
ok $? "perf sees forkgov:deny with the task and the cgroup"
# The second fork waits only if it comes before its token: the rate is 2/s,
# or lower where half a second does not hold four runs of /bin/true (the
# slowest of three) on this machine.
exec_us=0
for _ in 1 2 3; do
	t=${EPOCHREALTIME/[.,]/}
	/bin/true
	t=$((${EPOCHREALTIME/[.,]/} - t))
	((t > exec_us)) && exec_us=$t
done
interval_ms=$((exec_us * 4 / 1000 > 500 ? exec_us * 4 / 1000 : 500))
echo "# /bin/true takes up to $((exec_us / 1000)) ms: one fork per $interval_ms ms"
delay_ms=$((interval_ms * 4 < 60000 ? interval_ms * 4 : 60000))
run "rate=$((60000 / interval_ms))/min burst=1 action=throttle max_delay=$delay_ms" throttle
grep -q "forkgov:throttle: .*cgroup_id=$id .*delay_ns=[1-9]" "$dir/throttle.txt"
ok $? "perf sees forkgov:throttle with its wait"
run "rate=0 burst=1 action=log" log
grep -q "forkgov:log: .*cgroup_id=$id " "$dir/log.txt"
ok $? "perf sees forkgov:log"
! grep -q "forkgov:deny" "$dir/throttle.txt" "$dir/log.txt"
ok $? "no deny event when nothing was denied"
exit $failed
