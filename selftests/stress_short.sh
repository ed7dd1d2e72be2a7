#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: unload and load forkgov in a loop while everything that touches it
# runs at once:
#
#   - stress-ng's fork, vfork and clone stressors, under a generous throttle
#     policy (stress-ng only ever sees a fork slowed down, never refused: a
#     refused fork of its own helpers would make it fail for our reasons);
#   - a multithreaded fork-without-exec loop (forkloop: fork, vfork and
#     clone3 CLONE_INTO_CGROUP) under a tight deny policy, so that forks are
#     denied all the time, and a second one under a tight throttle policy;
#   - policy churn: set, replace, change scope, del and flush on those and on
#     a per-child template, in single writes and in transactions;
#   - cgroup churn: child cgroups of the per-child template created, forked
#     from and removed, also while they hold a policy;
#   - kernel.forkgov.enabled toggled, which installs and removes the hook.
#
# Any kernel warning fails the run (the harness checks the whole log; this
# script also checks the lines logged during the run).  Prints TAP.  The
# module is loaded again at the end (it was loaded at the start).
#
#   STRESS_CYCLES   load/unload cycles (default 5; make stress: 1000)
#   STRESS_SECONDS  stop cycling after this long even if cycles remain
#                   (default 30; make stress: 0 = no bound)
#
# Needs root, cgroup2 at /sys/fs/cgroup, FORKGOV_KO, stress-ng; the helper
# is build/bench/forkloop, compiled here when it is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

CYCLES=${STRESS_CYCLES:-5}
SECONDS_MAX=${STRESS_SECONDS:-30}
CG=/sys/fs/cgroup
TOP=fgstress
P=/proc/forkgov/policies
KNOB=/proc/sys/kernel/forkgov/enabled
FORKLOOP=build/bench/forkloop
WORK=$(mktemp -d /tmp/fgstress.XXXXXX)
ntest=0
failed=0
pids=()

ok() { ntest=$((ntest + 1)); echo "ok $ntest - $*"; }
not_ok() { ntest=$((ntest + 1)); failed=$((failed + 1)); echo "not ok $ntest - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
diag() { sed 's/^/# /'; }

skip_all()
{
	echo "1..0 # SKIP $*"
	exit 4
}

loaded() { [[ -d /sys/module/forkgov ]]; }

load()
{
	loaded || insmod "$FORKGOV_KO"
}

# rmmod waits for nothing but may find the module busy for a moment.
unload()
{
	local i

	for i in 1 2 3 4 5 6 7 8 9 10; do
		loaded || return 0
		rmmod forkgov 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod forkgov
}

# A write to the table that may fail (module gone, cgroup gone): ignored.
pw() { printf '%s\n' "$@" 2>/dev/null >"$P" || true; }

policy_churn()
{
	local i=0 t=/$TOP

	while :; do
		i=$((i + 1))
		pw "set $t/ng rate=500 burst=200 action=throttle max_delay=2000"
		pw "set $t/deny rate=20 burst=5 action=deny"
		pw "set $t/thr rate=50 burst=5 action=throttle max_delay=30"
		pw "set $t/pc rate=100 burst=10 scope=per-child action=deny" \
		   "set $t/pc/c$((i % 8)) rate=1000 burst=100 action=log"
		pw "set $t/deny rate=$((i % 50 + 1))/s burst=$((i % 7 + 1)) count=tasks"
		pw "set $t/pc rate=100 burst=10 scope=subtree"
		pw "del $t/pc/c$((i % 8))"
		[[ $((i % 10)) -ne 0 ]] || pw flush
		cat "$P" /proc/forkgov/stats >/dev/null 2>&1
		sleep 0.0$((RANDOM % 10))
	done
}

cgroup_churn()
{
	local i=0 d

	while :; do
		i=$((i + 1))
		d=$CG/$TOP/pc/c$((i % 8))
		if mkdir "$d" 2>/dev/null; then
			# Fork from inside it: creates a per-child bucket.
			sh -c "echo \$\$ >$d/cgroup.procs && /bin/true" 2>/dev/null
		fi
		rmdir "$CG/$TOP/pc/c$(((i + 3) % 8))" 2>/dev/null
		sleep 0.0$((RANDOM % 5))
	done
}

knob_churn()
{
	while :; do
		sleep 0.$((RANDOM % 10 + 3))
		echo 0 2>/dev/null >"$KNOB"
		sleep 0.0$((RANDOM % 10))
		echo 1 2>/dev/null >"$KNOB"
	done
}

stop_workers()
{
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	pids=()
}

cleanup()
{
	local d

	stop_workers
	for d in $(find "$CG/$TOP" -depth -type d 2>/dev/null); do
		[[ -f $d/cgroup.kill ]] && echo 1 >"$d/cgroup.kill" 2>/dev/null
	done
	sleep 0.2
	for d in $(find "$CG/$TOP" -depth -type d 2>/dev/null); do
		rmdir "$d" 2>/dev/null
	done
	[[ -n ${FORKGOV_KO:-} ]] && load 2>/dev/null
	echo 1 2>/dev/null >"$KNOB"
	echo flush 2>/dev/null >"$P"
	rm -rf "$WORK"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -f $CG/cgroup.controllers ]] || skip_all "cgroup2 is not mounted"
[[ -n ${FORKGOV_KO:-} && -f ${FORKGOV_KO:-} ]] || skip_all "FORKGOV_KO is not set"
command -v stress-ng >/dev/null || skip_all "stress-ng is not installed"
if [[ ! -x $FORKLOOP || bench/src/forkloop.c -nt $FORKLOOP ]]; then
	FORKLOOP=$WORK/forkloop
	cc -O2 -pthread -o "$FORKLOOP" bench/src/forkloop.c ||
		skip_all "cannot build forkloop"
fi

echo "TAP version 13"
cx16=no
grep -qw cx16 /proc/cpuinfo && cx16=yes
echo "# stress: $CYCLES cycles, at most ${SECONDS_MAX}s, kernel $(uname -r), CPU has cmpxchg16b: $cx16"
load || { echo "1..1"; not_ok "load forkgov"; exit 1; }
klog_start=$(dmesg | wc -l)

mkdir -p "$CG/$TOP"/{ng,deny,thr,pc}
# Long enough to outlast the cycles; stopped when they are done.
run_for=$((SECONDS_MAX > 0 ? SECONDS_MAX + 30 : 100000))

(echo $BASHPID >"$CG/$TOP/ng/cgroup.procs" &&
 exec stress-ng --fork 2 --vfork 1 --clone 1 --timeout "${run_for}s" \
	--metrics-brief) >"$WORK/stress-ng.log" 2>&1 &
ng_pid=$!
"$FORKLOOP" -c "/$TOP/deny" -i "/$TOP/pc/c1" -T 4 -t "$run_for" >"$WORK/forkloop-deny.log" 2>&1 &
fl_deny=$!
"$FORKLOOP" -c "/$TOP/thr" -i "/$TOP/pc/c2" -T 3 -t "$run_for" >"$WORK/forkloop-thr.log" 2>&1 &
fl_thr=$!
policy_churn &
pids+=($!)
cgroup_churn &
pids+=($!)
knob_churn &
pids+=($!)

start=$(date +%s)
done_cycles=0
cycle_fail=0
for ((c = 1; c <= CYCLES; c++)); do
	sleep 0.$((RANDOM % 4 + 1))
	if ! unload 2>"$WORK/err"; then
		cycle_fail=1
		echo "rmmod failed in cycle $c: $(cat "$WORK/err")" | diag
		break
	fi
	sleep 0.0$((RANDOM % 10))
	if ! load 2>"$WORK/err"; then
		cycle_fail=1
		echo "insmod failed in cycle $c: $(cat "$WORK/err")" | diag
		break
	fi
	done_cycles=$c
	((c % 100 && c > 3)) || echo "# cycle $c after $(($(date +%s) - start))s"
	[[ $SECONDS_MAX -eq 0 || $(($(date +%s) - start)) -lt $SECONDS_MAX ]] || break
done
elapsed=$(($(date +%s) - start))
check "$done_cycles load/unload cycles in ${elapsed}s under fork and policy churn" \
	test "$cycle_fail" -eq 0 -a "$done_cycles" -ge 1

stop_workers
load
# Leave the module as later tests expect it: enforcing, no policy.
echo 1 >"$KNOB"
echo flush >"$P"
# A throttled fork sleeping at this moment is woken by the unload; nothing
# else may be left waiting.
kill "$ng_pid" "$fl_deny" "$fl_thr" 2>/dev/null
wait "$ng_pid"
ng_rc=$?
wait "$fl_deny"
fl_deny_rc=$?
wait "$fl_thr"
fl_thr_rc=$?
# stress-ng exits 0 when stopped by SIGTERM before its timeout too.
check "stress-ng fork, vfork and clone stressors survived" test "$ng_rc" -eq 0 -o "$ng_rc" -eq 143
[[ $ng_rc -eq 0 || $ng_rc -eq 143 ]] || diag <"$WORK/stress-ng.log"
check "multithreaded fork loops ran (deny: exit $fl_deny_rc, throttle: exit $fl_thr_rc)" \
	test "$fl_deny_rc" -eq 0 -a "$fl_thr_rc" -eq 0
cat "$WORK"/forkloop-*.log | diag

check "module loaded at the end, enforcing, table empty" \
	test -d /sys/module/forkgov -a "$(cat "$KNOB")" = 1 -a -z "$(cat "$P")"
bad=$(dmesg | tail -n +"$((klog_start + 1))" |
	grep -E 'Oops|\bBUG\b|WARNING:|lockup|RCU stall|Call Trace|general protection|refcount_t|list_(add|del) corruption|blocked for more than' || true)
check "kernel log clean during the run" test -z "$bad"
[[ -z $bad ]] || echo "$bad" | head -40 | diag
dmesg | tail -n +"$((klog_start + 1))" | grep -c 'forkgov: .*loaded' | sed 's/^/module loads logged: /' | diag
echo "1..$ntest"
[[ $failed -eq 0 ]]
