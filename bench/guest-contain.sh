#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (bench/run.sh boots it with two CPUs, wall clock, without
# loading forkgov): the containment bench of issue 14.  Three bombs
#
#   c     for (;;) fork(); in every process (bench/src/bombrun.c)
#   bash  the bash function bomb  b() { b | b & }; b
#   py    a Python multiprocessing bomb: every worker starts a helper thread
#         and forks two more workers with the 'fork' start method
#         (bench/src/pybomb.py)
#
# against these modes (the forkgov ones at each rate of CONTAIN_RATES):
#
#   none          no limit (forkgov not loaded); only the safety net below
#   pids          pids.max=CONTAIN_PIDS_MAX (forkgov not loaded)
#   lineage       forkgov loaded, no policy: the lineage defence when the
#                 module has it (/proc/sys/kernel/forkgov/lineage* ; the
#                 knob "lineage" is set to 2, throttle, for this mode and
#                 to 0 for the policy modes, then put back),
#                 else just the module loaded
#   deny          rate=R burst=R action=deny (the module's default
#                 deny_delay when it has that key)
#   deny0         the same with deny_delay=0 (only if the module accepts it)
#   throttle      rate=R burst=R action=throttle max_delay=CONTAIN_MAX_DELAY
#   throttle-cpu  throttle, and cpu.max=CONTAIN_CPU_MAX on the bomb's cgroup
#   floor         throttle with max_delay=CONTAIN_FLOOR_DELAY (60 s): no fork
#                 is denied during the run, the bomb only waits in line
#
# CONTAIN_LINEAGE="knob=value ..." sets lineage knobs (for example
# "lineage_width=16 lineage_width_depth=4") each time the module is loaded.
#
# Every bomb runs in /bomb with a safety net: pids.max=CONTAIN_SAFETY (2000;
# in the none mode that is the only limit), memory.high/memory.max
# (768M/1G of the 2 GiB guest), bombrun's -d limit and a timeout around it,
# cgroup.kill, then a check that /bomb is empty before it is removed (the run
# stops if it is not).  The probe runs in the sibling /probe.  Each
# repetition starts with an idle run (the probe alone, CONTAIN_IDLE seconds).
#
# usage: guest-contain.sh KO OUTDIR
# Output in OUTDIR: contain.tsv (one line per run), modes.tsv (each mode's
# setup as it ran), probe-BOMB-MODE-RATE-REP.log, policy-*.txt (the policy
# line after the run), stats-*.txt (/proc/forkgov/stats before and after),
# trace-BOMB-MODE-RATE-REP.txt (bombrun -T: the bomb cgroup's cpu.stat, its
# tasks, the C bomb's counts and forkgov's lineage and back-off counters
# every 100 ms), guest-info.
set -euo pipefail
cd "$(dirname "$0")/.."

KO=$1
OUT=$2
B=build/bench
CG=/sys/fs/cgroup
DUR=${CONTAIN_SECONDS:-15}
REPS=${CONTAIN_REPS:-3}
IDLE=${CONTAIN_IDLE:-6}
BOMBS=${CONTAIN_BOMBS:-c bash py}
MODES=${CONTAIN_MODES:-none pids lineage deny deny0 throttle throttle-cpu floor}
RATES=${CONTAIN_RATES:-20 50}
PIDS_MAX=${CONTAIN_PIDS_MAX:-200}
SAFETY=${CONTAIN_SAFETY:-2000}
MEM_HIGH=${CONTAIN_MEM_HIGH:-768M}
MEM_MAX=${CONTAIN_MEM_MAX:-1G}
CPU_MAX=${CONTAIN_CPU_MAX:-10000 100000}
MAX_DELAY=${CONTAIN_MAX_DELAY:-2s}
FLOOR_DELAY=${CONTAIN_FLOOR_DELAY:-60s}
KNOBS=/proc/sys/kernel/forkgov

say() { echo "# $*"; echo "$(cut -d" " -f1 /proc/uptime) $*" >>"$OUT/progress"; }
die() { echo "guest-contain: $*" >&2; exit 1; }
pol() { printf '%s\n' "$@" >/proc/forkgov/policies; }
load()
{
	local kv

	[[ -d /sys/module/forkgov ]] && return 0
	insmod "$KO"
	for kv in ${CONTAIN_LINEAGE:-}; do
		echo "${kv#*=}" >"$KNOBS/${kv%%=*}" || die "cannot set $kv"
	done
}
unload()
{
	if [[ -d /sys/module/forkgov ]]; then
		pol flush
		rmmod forkgov
	fi
}

# Does the loaded module accept this policy key=value?  (Tried on a scratch
# cgroup, then removed.)
accepts()
{
	local ok=1

	mkdir -p "$CG/contain-try"
	pol "set /contain-try rate=1/s $1" 2>/dev/null && ok=0
	pol "del /contain-try" 2>/dev/null || true
	rmdir "$CG/contain-try"
	return $ok
}

lineage_knobs()
{
	local k out=

	for k in "$KNOBS"/lineage*; do
		[[ -e $k ]] && out+=" ${k##*/}=$(cat "$k")"
	done
	echo "${out# }"
}

# The policy (or other setup) of MODE at RATE, empty when the mode is not
# available; "-" for a mode with nothing to write.
policy_of()
{
	local mode=$1 rate=$2 base="rate=$2/s burst=$2"

	case $mode in
	none|pids|lineage) echo - ;;
	deny) echo "$base action=deny" ;;
	deny0) [[ -n $HAVE_DENY_DELAY ]] && echo "$base action=deny deny_delay=0" ;;
	throttle|throttle-cpu) echo "$base action=throttle max_delay=$MAX_DELAY" ;;
	floor) echo "$base action=throttle max_delay=$FLOOR_DELAY" ;;
	*) die "unknown mode $mode" ;;
	esac
	return 0
}

describe()
{
	local mode=$1 rate=$2 p=$3

	case $mode in
	none) echo "forkgov not loaded; pids.max=$SAFETY (safety net)" ;;
	pids) echo "forkgov not loaded; pids.max=$PIDS_MAX" ;;
	lineage)
		if [[ -n $LINEAGE ]]; then
			echo "forkgov loaded, no policy; lineage defence: $LINEAGE"
		else
			echo "forkgov loaded, no policy (no lineage knobs in this module)"
		fi ;;
	throttle-cpu) echo "set /bomb $p; cpu.max=$CPU_MAX" ;;
	*) echo "set /bomb $p" ;;
	esac
}

# run BOMB MODE RATE REP: one bombrun in a fresh /bomb.
run()
{
	local bomb=$1 mode=$2 rate=$3 rep=$4 p tag line extra= lin_restore=
	local -a cmd

	p=$(policy_of "$mode" "$rate")
	tag=$bomb-$mode-$rate-$rep
	[[ -n $p ]] || return 0
	case $mode in
	none|pids) unload ;;
	*) load ;;
	esac
	mkdir "$CG/bomb"
	echo "$MEM_HIGH" >"$CG/bomb/memory.high"
	echo "$MEM_MAX" >"$CG/bomb/memory.max"
	if [[ $mode == pids ]]; then
		echo "$PIDS_MAX" >"$CG/bomb/pids.max"
	else
		echo "$SAFETY" >"$CG/bomb/pids.max"
	fi
	[[ $mode == throttle-cpu ]] && echo "$CPU_MAX" >"$CG/bomb/cpu.max"
	# The lineage defence (on by default, 2 = throttle) in its own mode
	# only, so that the policy modes measure the policy alone.
	if [[ $mode != none && $mode != pids && -e $KNOBS/lineage ]]; then
		lin_restore=$(cat "$KNOBS/lineage")
		if [[ $mode == lineage ]]; then
			echo 2 >"$KNOBS/lineage"
		else
			echo 0 >"$KNOBS/lineage"
		fi
	fi
	[[ $p != - ]] && pol "set /bomb $p"
	[[ $mode != none && $mode != pids ]] && cat /proc/forkgov/stats >"$OUT/stats-$tag.before"
	case $bomb in
	idle) cmd=(-k idle) ;;
	c) cmd=(-k c) ;;
	bash) cmd=(-k exec -- bash -c 'b() { b | b & }; b') ;;
	py) cmd=(-k exec -r -- python3 bench/src/pybomb.py --ready) ;;
	*) die "unknown bomb $bomb" ;;
	esac
	say "run $tag: $(describe "$mode" "$rate" "$p")"
	line=$(timeout -k 5 $((${DUR%.*} + 120)) \
		$B/bombrun -b /bomb -p /probe -o "$OUT/probe-$tag.log" \
		-T "$OUT/trace-$tag.txt" -d "$DUR" "${cmd[@]}") ||
		echo "# bombrun $tag: status $?" | tee -a "$OUT/progress"
	# Whatever happened: kill what is left and check that /bomb is empty.
	echo 1 >"$CG/bomb/cgroup.kill"
	for _ in $(seq 100); do
		[[ -z $(cat "$CG/bomb/cgroup.procs") ]] && break
		sleep 0.1
	done
	[[ -z $(cat "$CG/bomb/cgroup.procs") ]] || die "/bomb not empty after $tag"
	if [[ $mode != none && $mode != pids ]]; then
		cat /proc/forkgov/stats >"$OUT/stats-$tag.after"
		if [[ $p != - ]]; then
			grep '^policy /bomb ' /proc/forkgov/policies >"$OUT/policy-$tag.txt" || true
			extra=$(awk '{ for (i = 3; i <= NF; i++)
				if ($i ~ /^(allowed|denied|throttled|throttle_ns)=/) printf " policy_%s", $i }' \
				"$OUT/policy-$tag.txt")
			pol "del /bomb"
		fi
	fi
	[[ -n $lin_restore ]] && echo "$lin_restore" >"$KNOBS/lineage"
	printf 'bomb=%s mode=%s rate=%s rep=%s %s%s\n' "$bomb" "$mode" "$rate" "$rep" \
		"${line#bombrun }" "$extra" | tee -a "$OUT/contain.tsv"
	rmdir "$CG/bomb" || die "cannot remove /bomb after $tag"
	sleep 1
}

: >"$OUT/contain.tsv"
: >"$OUT/modes.tsv"
{
	echo "kernel $(uname -r)"
	echo "cpus $(nproc)"
	echo "mem_kb $(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
	echo "pid_max $(cat /proc/sys/kernel/pid_max)"
	echo "threads_max $(cat /proc/sys/kernel/threads-max)"
	echo "seconds $DUR"
	echo "reps $REPS"
} >"$OUT/guest-info"

load
HAVE_DENY_DELAY=
accepts deny_delay=0 && HAVE_DENY_DELAY=1
LINEAGE=$(lineage_knobs)
{
	echo "forkgov $(sed -n 's/^version //p' /proc/forkgov/stats)"
	echo "deny_delay ${HAVE_DENY_DELAY:-no}"
	echo "lineage ${LINEAGE:-no}"
} >>"$OUT/guest-info"
for k in "$KNOBS"/*; do
	echo "knob ${k##*/} $(cat "$k")"
done >>"$OUT/guest-info"
mkdir -p "$CG/probe"

# One line per mode and rate: what ran, or n/a.
for mode in $MODES; do
	for rate in $RATES; do
		p=$(policy_of "$mode" "$rate")
		if [[ -z $p ]]; then
			printf '%s\t%s\tn/a (this module does not accept it)\n' "$mode" "$rate"
		else
			printf '%s\t%s\t%s\n' "$mode" "$rate" "$(describe "$mode" "$rate" "$p")"
		fi
		case $mode in none|pids|lineage) break ;; esac
	done
done >"$OUT/modes.tsv"

for rep in $(seq "$REPS"); do
	DUR_SAVED=$DUR
	DUR=$IDLE run idle none - "$rep"
	DUR=$DUR_SAVED
	for bomb in $BOMBS; do
		for mode in $MODES; do
			for rate in $RATES; do
				case $mode in
				none|pids|lineage) run "$bomb" "$mode" - "$rep"; break ;;
				*) run "$bomb" "$mode" "$rate" "$rep" ;;
				esac
			done
		done
	done
done
unload
rmdir "$CG/probe"
say "done after $(cut -d' ' -f1 /proc/uptime)s"
