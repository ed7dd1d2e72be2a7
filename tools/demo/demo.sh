#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The forkgov demonstration, run inside a test guest by `make demo` (through
# tools/testing/vm.sh, which has loaded forkgov).  It contains a real fork
# bomb with a policy while a probe outside shows the machine stays
# responsive, then shows the fork-without-exec report for a threaded Python
# program using multiprocessing's "fork" start method, then runs a bash fork
# bomb three ways side by side (pids.max, forkgov with no policy = the
# lineage defence when the module has it, a forkgov policy) with the
# figures of bench/src/bombrun.c.
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
cc -O2 -I../../selftests/lib -o "$bin/bombrun" ../../bench/src/bombrun.c \
	../../selftests/lib/cgroup_util.c

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
echo "Its processes used ${cpu}% of one CPU while they waited in line (under"
echo "emulation forks are slow; see Part 3 and bench/results/README.md)."
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

say "Part 3: a bash fork bomb, three ways side by side"
SIDE_SECS=6
KNOBS=/proc/sys/kernel/forkgov
lineage_knob=
[[ -e $KNOBS/lineage ]] && lineage_knob=$KNOBS/lineage
lineage_was=$([[ -n $lineage_knob ]] && cat "$lineage_knob" || true)
echo "The bomb is the classic  b() { b | b & }; b  in its own cgroup, ${SIDE_SECS}s"
echo "each time; the probe (10 ms sleeps, and fork+exec /bin/true every 100 ms)"
echo "runs in a sibling cgroup.  Every bomb cgroup has memory.max=1G and is"
echo "killed with cgroup.kill at the end (the figures are from bench/src/bombrun.c)."
mkdir -p "$CG/demo-probe"
# side NAME PIDS_MAX POLICY|- LINEAGE(0 off, 2 throttle, -): one run, figures
# in $bin/NAME.
side()
{
	local name=$1 pmax=$2 policy=$3 lin=$4 line

	mkdir "$CG$BOMB"
	echo 768M >"$CG$BOMB/memory.high"
	echo 1G >"$CG$BOMB/memory.max"
	echo "$pmax" >"$CG$BOMB/pids.max"
	# A knob that takes something else than 0/1 is left as it is.
	[[ $lin != - && -n $lineage_knob ]] && { echo "$lin" >"$lineage_knob"; } 2>/dev/null || true
	[[ $policy != - ]] && echo "set $BOMB $policy" >/proc/forkgov/policies
	line=$("$bin/bombrun" -b "$BOMB" -p /demo-probe -o "$bin/$name.log" \
		-d "$SIDE_SECS" -k exec -- bash -c 'b() { b | b & }; b') || true
	[[ $policy != - ]] && echo "del $BOMB" >/proc/forkgov/policies
	[[ -n $lineage_knob ]] && { echo "$lineage_was" >"$lineage_knob"; } 2>/dev/null || true
	rmdir "$CG$BOMB"
	echo "$line" >"$bin/$name.run"
}
# fig NAME: the figures of one run, "|"-separated.
pick() { awk -v p="$1" '{ a[NR] = $1 } END { if (NR) print a[int((NR - 1) * p + 0.5) + 1]; else print -1 }'; }
key() { tr ' ' '\n' <"$bin/$1.run" | sed -n "s/^$2=//p"; }
fig()
{
	local kill sp sl nf

	kill=$(key "$1" bomb_seconds)
	sp=$(awk -v k="$kill" '$1 >= 0 && $1 < k && $2 == "spawn" && $3 != "fail" { print $3 }' "$bin/$1.log" | sort -n)
	sl=$(awk -v k="$kill" '$1 >= 0 && $1 < k && $2 == "sleep" { print $3 }' "$bin/$1.log" | sort -n)
	nf=$(awk -v k="$kill" '$1 >= 0 && $1 < k && $3 == "fail"' "$bin/$1.log" | wc -l)
	printf '%.0f%%|%.0f / %.0f ms|%.1f ms|%s|%s%s|%.0f ms\n' \
		"$(awk -v u="$(key "$1" cpu_usec)" -v k="$kill" 'BEGIN { print u / (k * 1e4) }')" \
		"$(pick 0.5 <<<"$sp")" "$(pick 0.95 <<<"$sp")" "$(pick 0.99 <<<"$sl")" \
		"$(key "$1" peak_tasks)" "$(key "$1" new_tasks)" \
		"$( ((nf)) && echo " ($nf probe forks failed)")" "$(key "$1" cleanup_ms)"
}
echo
echo "Probe alone first (3 s):"
mkdir "$CG$BOMB"
"$bin/bombrun" -b "$BOMB" -p /demo-probe -o "$bin/idle.log" -d 3 -k idle >"$bin/idle.run"
rmdir "$CG$BOMB"
idle=$(fig idle)
echo "  fork+exec median / p95: $(cut -d'|' -f2 <<<"$idle"), sleep overshoot p99: $(cut -d'|' -f3 <<<"$idle")"
echo
echo "1. pids.max=200 alone (no forkgov policy${lineage_knob:+, lineage defence off})"
side pids 200 - 0
if [[ -n $lineage_knob ]]; then
	echo "2. forkgov with no policy: the lineage defence ($(for k in "$KNOBS"/lineage_*; do printf '%s=%s ' "${k##*/}" "$(cat "$k")"; done))"
	side lineage 2000 - 2
else
	echo "2. forkgov with no policy: the lineage defence is not available in this"
	echo "   module (no /proc/sys/kernel/forkgov/lineage*); not run"
fi
pol="rate=20/s burst=20 action=throttle max_delay=2s"
echo "3. a forkgov policy: $pol (pids.max=2000 as a safety net)"
side policy 2000 "$pol" 0
echo
declare -A figs
for n in pids lineage policy; do
	figs[$n]="n/a|n/a|n/a|n/a|n/a|n/a"
	[[ -f $bin/$n.run ]] && figs[$n]=$(fig "$n")
done
label=("" "bomb CPU (% of one CPU)" "probe fork+exec p50 / p95" "probe sleep overshoot p99"
       "bomb processes at peak" "processes created" "cgroup.kill cleanup")
printf '  %-28s | %-16s | %-16s | %-16s\n' "" "pids.max=200" "no policy" "policy 20/s"
for i in 1 2 3 4 5 6; do
	row=""
	for n in pids lineage policy; do
		row+=$(printf ' | %-16s' "$(cut -d'|' -f"$i" <<<"${figs[$n]}")")
	done
	printf '  %-28s%s\n' "${label[$i]}" "$row"
done
echo
echo "Probe alone: fork+exec $(cut -d'|' -f2 <<<"$idle"); the bench (make bench,"
echo "bench/results/README.md) repeats this for three bombs and more modes."
rmdir "$CG/demo-probe"

say "Done"
