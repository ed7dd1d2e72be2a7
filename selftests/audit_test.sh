#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# forkgov's audit records through Debian's real auditd: every kind of record
# is written to the audit log, and ausearch finds it with its fields.  Runs
# in a test guest as root; prints TAP.
set -uo pipefail

KNOBS=/proc/sys/kernel/forkgov
CG=/sys/fs/cgroup/fgaudit.$$
source "$(dirname "$0")/lib/tap.sh"

echo "TAP version 13"
if [[ $(id -u) != 0 || ! -d $KNOBS ]] || ! command -v auditd >/dev/null ||
   ! command -v ausearch >/dev/null; then
	echo "1..0 # SKIP needs root, forkgov and auditd"
	exit 0
fi
echo "1..9"

logdir=$(mktemp -d)
conf=$logdir/auditd.conf
sed -e "s|^log_file.*|log_file = $logdir/audit.log|" \
    -e 's|^flush.*|flush = INCREMENTAL_ASYNC|' /etc/audit/auditd.conf >"$conf"
chmod 0640 "$conf"
auditd -n -s nochange -c "$logdir" &
auditd_pid=$!
cleanup() {
	echo flush >/proc/forkgov/policies
	echo 0 >$KNOBS/audit
	echo 1 >$KNOBS/mt_fork_warn
	[[ -d $CG ]] && { echo 1 >"$CG/cgroup.kill"; sleep 0.2; rmdir "$CG"; }
	kill "$auditd_pid" 2>/dev/null
	wait "$auditd_pid" 2>/dev/null
	rm -rf "$logdir"
}
trap cleanup EXIT
scale=${FG_TIMEOUT_SCALE:-1}
search() { ausearch --input "$logdir/audit.log" -m KERNEL_OTHER -i 2>/dev/null; }

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds, for
# SECONDS (times FG_TIMEOUT_SCALE) by the clock: on the debug kernel one turn
# of the loop (two forks and execs) takes far longer than 0.1 s.
wait_for()
{
	local end=$((SECONDS + $1 * scale))

	until "${@:2}"; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

# A kernel record reaches auditd only once auditd has registered with the
# kernel; before that it goes to the console and is lost.  On a guest starved
# of CPU (CI runs three at once on two cores) that takes many seconds.
if ! wait_for 60 sh -c "auditctl -s 2>/dev/null | grep -q '^pid $auditd_pid\$'"; then
	echo "# auditd [$auditd_pid] did not register in $((60 * scale)) s"
	auditctl -s | sed 's/^/# /'
	exit 1
fi
# Registration alone does not show that auditd writes its log yet (a user
# record cannot show it either: the kernel drops those while auditing is
# disabled, and -s nochange leaves it so).  The first record of the test,
# the audit knob switched on, shows it: switch it off and on again until that
# record is in the log.
knob_on_logged() { grep -q 'op=forkgov_sysctl object="audit" old="0" new="1"' "$logdir/audit.log"; }
for _ in 1 2 3 4 5 6; do
	echo 0 >$KNOBS/audit
	echo 1 >$KNOBS/audit
	wait_for 10 knob_on_logged && break
done
if ! knob_on_logged; then
	echo "# auditd [$auditd_pid] wrote no forkgov record in $((60 * scale)) s"
	exit 1
fi

echo 2 >$KNOBS/mt_fork_warn
mkdir "$CG"
cg=${CG#/sys/fs/cgroup}
echo "set $cg rate=0 burst=1" >/proc/forkgov/policies
sh -c "echo \$\$ >$CG/cgroup.procs; /bin/true; /bin/true" 2>/dev/null
echo "set $cg rate=1 burst=1 action=throttle max_delay=2s" >/proc/forkgov/policies
sh -c "echo \$\$ >$CG/cgroup.procs; /bin/true; /bin/true"
echo "set $cg rate=0 burst=1 action=log" >/proc/forkgov/policies
sh -c "echo \$\$ >$CG/cgroup.procs; /bin/true; /bin/true"
echo "del $cg" >/proc/forkgov/policies
python3 -c '
import os, threading, time
threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
pid = os.fork()
if pid == 0:
    os._exit(7)
os.waitpid(pid, 0)
'
# The fork-without-exec report is the last record: wait for it, then for
# auditd to write whatever is still queued behind it.
wait_for 30 grep -q "op=forkgov_mt_fork" "$logdir/audit.log"
sleep 0.5

has() {
	local op=$1
	shift
	# Not grep -q: with pipefail, the SIGPIPE of the grep before it
	# when it stops reading early would read as "not found".
	search | grep "op=forkgov_$op " |
		grep -- "$(printf '%s.*' "$@")" >/dev/null
}

has sysctl 'object="audit"' 'old="0"' 'new="1"' 'uid=root' 'comm='
ok $? "ausearch: knob change with old, new and who"
has policy_set "object=\"$cg\"" 'old="none"' 'new="rate=0/s,burst=1,action=deny'
ok $? "ausearch: policy added"
has policy_set "object=\"$cg\"" 'old="rate=0/s,burst=1,action=deny' 'new="rate=1/s'
ok $? "ausearch: policy replaced, old and new"
has policy_del "object=\"$cg\"" 'new="none"'
ok $? "ausearch: policy deleted"
has deny "cgroup=$cg" 'policy=' 'delay_ns=0' 'suppressed='
ok $? "ausearch: a denied fork"
has throttle "cgroup=$cg" 'delay_ns=[1-9]'
ok $? "ausearch: a throttled fork with its wait"
has log "cgroup=$cg"
ok $? "ausearch: a logged fork"
has mt_fork 'ppid=' 'threads=2' 'outcome=exited' 'status=7'
ok $? "ausearch: a fork-without-exec report"
aureport --input "$logdir/audit.log" --summary -i >/dev/null 2>&1
ok $? "aureport reads the log"
if [[ $failed != 0 ]]; then
	echo "# the forkgov records in the log:"
	grep forkgov "$logdir/audit.log" | sed 's/^/# /'
fi
exit $failed
