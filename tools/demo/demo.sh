#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The forkgov demonstration, run inside a test guest by `make demo` (through
# tools/testing/vm.sh, which has loaded forkgov).  It contains a real fork
# bomb with a policy while a probe outside shows the machine stays
# responsive, then shows the fork-without-exec report for a threaded Python
# program using multiprocessing's "fork" start method.
set -euo pipefail
cd "$(dirname "$0")"

CG=/sys/fs/cgroup
BOMB=/demo-bomb
BOMB_SECS=15
bin=$(mktemp -d)

say() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
table() { grep -E "^(policy|child) $1 " /proc/forkgov/policies; }
field() { table "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

cleanup()
{
	[[ -d $CG$BOMB ]] && echo 1 >"$CG$BOMB/cgroup.kill" 2>/dev/null
	echo flush >/proc/forkgov/policies 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT

cc -O2 -o "$bin/forkbomb" forkbomb.c
cc -O2 -o "$bin/probe" probe.c

say "forkgov $(sed -n 's/^version //p' /proc/forkgov/stats) is loaded on $(uname -r)"
echo "Knobs in /proc/sys/kernel/forkgov:"
for k in /proc/sys/kernel/forkgov/*; do
	printf '  %-22s %s\n' "${k##*/}" "$(cat "$k")"
done

say "Part 1: a fork bomb in a governed cgroup"
mkdir -p "$CG$BOMB"
# pids.max is only a safety net for the demo machine; forkgov does the work.
echo 3000 >"$CG$BOMB/pids.max"
echo "set $BOMB rate=50/s burst=20 action=throttle max_delay=60s" \
	>/proc/forkgov/policies
echo "Policy: at most 50 new processes a second in $BOMB after a burst of 20."
echo "A fork over the rate sleeps until its turn (up to 60 s), so the bomb's"
echo "processes wait in line instead of burning CPU."
table "$BOMB" | cut -d' ' -f1-9

echo
echo "First the probe alone, for a baseline: it starts /bin/true, pauses 100 ms,"
echo "and reports how long starting a process takes (this is an emulated machine)."
"$bin/probe" 3
echo
echo "Now a real fork bomb (every process forks in a loop) in $BOMB for"
echo "${BOMB_SECS}s, with the probe still running in another cgroup."
t0=$(now)
"$bin/probe" "$BOMB_SECS" &
probe=$!
sh -c "echo \$\$ > $CG$BOMB/cgroup.procs && exec $bin/forkbomb" &
while kill -0 "$probe" 2>/dev/null; do
	sleep 1
	# One reader, few processes: the monitor should not be what is slow.
	awk -v t="$(since "$t0")" -v p="$(cat $CG$BOMB/pids.current)" -v cg="$BOMB" '
		$1 == "policy" && $2 == cg {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			printf "  bomb   t=%5.1fs  processes %5s  allowed %5s  throttled %5s  denied %5s  tokens %5s\n",
			       t, p, f["allowed"], f["throttled"], f["denied"], f["tokens"]
		}' /proc/forkgov/policies
done
wait "$probe" || true

secs=$(since "$t0")
procs=$(cat "$CG$BOMB/pids.current")
cpu=$(awk -v t="$secs" '/^usage_usec/ { printf "%.0f", $2 / 1e4 / t }' \
	"$CG$BOMB/cpu.stat")
start=$(now)
echo 1 >"$CG$BOMB/cgroup.kill"
while [[ $(cat "$CG$BOMB/pids.current") != 0 ]]; do
	sleep 0.05
done
took=$(since "$start")
echo
echo "Result: after ${secs}s the bomb had $procs processes; the policy allows"
echo "at most $(awk -v t="$secs" 'BEGIN { printf "%d", 20 + 50 * t + 1 }') (burst + rate x time + the first)."
echo "Its processes used ${cpu}% of one CPU: they sleep in line for their turn."
echo "The probe outside kept starting processes throughout, and cgroup.kill"
echo "removed the whole bomb in ${took}s."
rmdir "$CG$BOMB"
echo flush >/proc/forkgov/policies

say "Part 2: fork without exec in a multithreaded process"
echo "python3 starts a thread, then a multiprocessing Pool with the 'fork' start"
echo "method: each worker is a copy of a threaded process that runs Python code"
echo "without exec, the hazard behind deadlocks in the child."
mt_count() {
	awk '/^mt_(reported|suppressed|aggregated) / { n += $2 } END { print n }' \
		/proc/forkgov/stats
}
dmesg -C
python3 mt_fork.py fork
# Workers are reported when they exit without exec, and further children of
# the same parent are folded into one summary line after 5 s.
sleep 6
echo "Kernel log:"
dmesg | grep 'forkgov: mt-fork' | sed 's/^\[[ 0-9.]*\] /  /' || echo "  (none)"
echo "Counters:"
grep '^mt_' /proc/forkgov/stats | sed 's/^/  /'

echo
echo "The same program with the 'spawn' start method execs a fresh interpreter"
echo "in every worker and is not reported:"
before=$(mt_count)
python3 mt_fork.py spawn
sleep 1.5
echo "  new reports: $(($(mt_count) - before))"

say "Done"
