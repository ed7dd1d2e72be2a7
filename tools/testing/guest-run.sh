#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of a test guest, PID 1 after switch_root, running on the host's
# userland (read-only 9p root under a tmpfs overlay).  Sets up the mounts a
# test expects, loads forkgov, runs the command from the results share, then
# writes its exit status and the kernel log there and powers off.
#
# Not set -e: whatever happens, the status and the log must be written and the
# machine must power off.
set -uo pipefail

R=/run/fg-results
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
# shellcheck source=/dev/null
source "$R/env"

poweroff_now()
{
	sync
	echo o >/proc/sysrq-trigger
	sleep 30
}
trap poweroff_now EXIT

setup()
{
	local c ctrls=

	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 shm /dev/shm
	mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
	for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
		ctrls+=" +$c"
	done
	echo "$ctrls" >/sys/fs/cgroup/cgroup.subtree_control
	mount -t tracefs tracefs /sys/kernel/tracing
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t securityfs securityfs /sys/kernel/security
	mount -t tmpfs -o mode=1777 vartmp /var/tmp
	ip link set lo up 2>/dev/null
	hostname forkgov-guest
	echo 1 >/proc/sys/kernel/sysrq
}

load_module()
{
	[[ ${NOLOAD:-0} == 1 ]] && return 0
	if [[ ! -f $FORKGOV_KO ]]; then
		echo "guest: $FORKGOV_KO missing"
		return 1
	fi
	insmod "$FORKGOV_KO"
}

# kmemleak (the debug kernel; never scans on its own there): a scan before
# the command finds what the boot leaves unreferenced and "clear" forgets it,
# so that the scans after the command (which unloads the module in
# selftests/run_guest.sh) report only leaks made while it ran.  The report
# goes to the results share, where vm.sh checks it with the kernel log.
# kmemleak reports an object only if it is older than 5 s and its contents
# did not change since the previous scan: hence the wait and two scans.
KMEMLEAK=/sys/kernel/debug/kmemleak

kmemleak_start()
{
	[[ -w $KMEMLEAK ]] || return 0
	echo scan >"$KMEMLEAK"
	echo clear >"$KMEMLEAK"
}

kmemleak_report()
{
	[[ -w $KMEMLEAK ]] || return 0
	sleep 5
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$R/kmemleak"
}

run_cmd()
{
	cd "$FG_REPO" || return 1
	timeout -k 10 "$GUEST_TIMEOUT" setsid -w sh -c "$(cat "$R/cmd")" \
		</dev/null
}

setup
echo "guest: up in $(cut -d' ' -f1 /proc/uptime)s, kernel $(uname -r)"
kmemleak_start
if load_module; then
	run_cmd
	rc=$?
	[[ $rc -ne 124 ]] || echo "guest: command timed out after ${GUEST_TIMEOUT}s"
	kmemleak_report
else
	echo "guest: loading forkgov failed"
	rc=125
fi
echo "$rc" >"$R/status"
dmesg >"$R/dmesg"
