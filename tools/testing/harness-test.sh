#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the harness itself with one guest boot (no module): vm.sh must return
# the guest command's exit status and must flag a backtrace in the guest
# kernel log (sysrq-l prints one per CPU), also when 360 KB of log follow it
# (more than a distribution kernel's 128 KiB ring).  Prints TAP.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT

set +e
"$FG_ROOT/tools/testing/vm.sh" -n -t 300 -o "$res" \
	'grep -qw pids /sys/fs/cgroup/cgroup.subtree_control &&
	 test -d /sys/kernel/tracing/events && python3 -c pass &&
	 command -v stress-ng >/dev/null && test -f tools/testing/vm.sh &&
	 echo guest-userland-ok >/run/fg-results/probe;
	 echo l >/proc/sysrq-trigger; sleep 1;
	 echo on >/proc/sys/kernel/printk_devkmsg;
	 line=$(printf "%0900d" 0);
	 for i in $(seq 400); do echo "fg-harness-flood $i $line" >/dev/kmsg; done;
	 exit 3' >"$res/out.log" 2>&1
rc=$?
set -e

check()
{
	if eval "$2"; then
		echo "ok - harness: $1"
	else
		echo "not ok - harness: $1"
		failed=1
	fi
}

failed=0
check "guest has cgroup2 (pids), tracefs, python3, stress-ng, the repo" \
	'[[ $(cat "$res/probe" 2>/dev/null) == guest-userland-ok ]]'
check "vm.sh returns the guest command's exit status" '[[ $rc -eq 3 ]]'
check "vm.sh flags a backtrace in the guest kernel log" \
	'[[ $(cat "$res/verdict" 2>/dev/null) == kernel-log-dirty ]]'
check "the guest's whole dmesg reaches the results directory" \
	'grep -q "Call Trace" "$res/dmesg" 2>/dev/null &&
	 grep -q "fg-harness-flood 400 " "$res/dmesg"'
[[ $failed -eq 0 ]] || sed 's/^/#   /' "$res/out.log" | tail -n 40
exit "$failed"
