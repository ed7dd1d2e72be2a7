#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb-guest, in the guest (vm.sh -n: forkgov is not loaded): install
# the .debs of "make deb" with dpkg (the root is the host's, read-only,
# under a tmpfs overlay, so dpkg may write anywhere and the host sees
# none of it), let their DKMS build the module for the guest's kernel,
# load it, run forkgov.service's ExecStart= (the guest has no systemd) and
# check that a policy of /etc/forkgov.d is in force; then purge both and
# check that nothing of them is left.  Prints TAP.
#
# usage: deb-guest.sh DIR   (the directory with the .debs: build/deb)
set -uo pipefail

DIR=${1:?usage: deb-guest.sh DIR}
KVER=$(uname -r)
CG=/sys/fs/cgroup/fgdeb.slice
n=0
fails=0
ok()	{ n=$((n + 1)); echo "ok $n - $*"; }
notok()	{ n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION CMD...: one test, the command's output shown on failure.
check()
{
	local desc=$1 out
	shift

	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		sed 's/^/# /' <<<"$out" | tail -n 40
		notok "$desc"
	fi
}

# Where the packages leave files: /etc, DKMS's tree, the modules of every
# kernel, and the /usr directories they install into (all of /usr is
# 230,000 files, too many to list over 9p under TCG).  DKMS's signing key
# (/var/lib/dkms/mok.*) belongs to dkms, which makes it on its first build
# and keeps it for every DKMS module, so it is not counted.
snapshot()
{
	find /etc /var/lib/dkms /var/lib/systemd /usr/src /usr/sbin \
	     /usr/lib/systemd/system /usr/lib/modules-load.d /usr/lib/modules/*/updates \
	     /usr/share/doc /usr/share/man/man5 /usr/share/man/man7 /usr/share/man/man8 \
	     /usr/share/bash-completion/completions /usr/share/containers \
	     2>/dev/null | grep -vE '^/var/lib/dkms/mok\.(key|pub)$' | sort
}

# forkgov_forks CGROUP N: fork N children from a process in CGROUP; print
# how many forks succeeded.  Python's os.fork() fails at once with EAGAIN
# (a shell would retry).
forkgov_forks()
{
	python3 - "$1" "$2" <<'PY'
import os, sys
with open(sys.argv[1] + "/cgroup.procs", "w") as f:
    f.write(str(os.getpid()))
ok = 0
for _ in range(int(sys.argv[2])):
    try:
        pid = os.fork()
    except BlockingIOError:
        continue
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    ok += 1
print(ok)
PY
}

echo "TAP version 13"
echo "1..12"
echo "# kernel $KVER"
dkms_deb=$(ls "$DIR"/forkgov-dkms_*_all.deb 2>/dev/null | tail -n 1)
ctl_deb=$(ls "$DIR"/forkgovctl_*_amd64.deb 2>/dev/null | tail -n 1)
if [[ -z $dkms_deb || -z $ctl_deb ]]; then
	echo "Bail out! no .debs in $DIR (make deb)"
	exit 1
fi
ver=$(dpkg-deb -f "$dkms_deb" Version)
# DKMS's postinst builds for the running kernel and for the newest one with
# a /boot/config-* (here the host's 6.12-rt kernel).  Under TCG one build
# takes minutes: /boot shows the guest only its own kernel, as on a host
# with one kernel installed.
boot=$(mktemp -d)
cp "/boot/config-$KVER" "$boot/" && mount --bind "$boot" /boot ||
	{ echo "Bail out! cannot show /boot/config-$KVER alone"; exit 1; }
before=$(snapshot)
[[ ! -e /proc/forkgov ]] || { echo "Bail out! forkgov is loaded already"; exit 1; }

# dpkg's output streams as TAP comments, with the seconds since it started.
t0=$(date +%s)
if env DEBIAN_FRONTEND=noninteractive dpkg -i "$dkms_deb" "$ctl_deb" 2>&1 |
   while IFS= read -r line; do
	echo "# [$(($(date +%s) - t0))s] $line"
   done; [[ ${PIPESTATUS[0]} -eq 0 ]]; then
	ok "dpkg -i forkgov-dkms forkgovctl"
else
	notok "dpkg -i forkgov-dkms forkgovctl"
fi
echo "# dpkg -i took $(($(date +%s) - t0)) s (DKMS builds included)"
check "dkms built and installed forkgov/$ver for $KVER" \
	sh -c "dkms status -m forkgov -v '$ver' -k '$KVER' | grep -q ': installed' &&
	       ls /lib/modules/'$KVER'/updates/dkms/forkgov.ko*"
check "forkgov.service is enabled (sysinit.target.wants)" \
	test -L /etc/systemd/system/sysinit.target.wants/forkgov.service
check "modprobe forkgov (modules-load.d/forkgov.conf's module)" \
	sh -c "modprobe \$(grep -v '^#' /usr/lib/modules-load.d/forkgov.conf) &&
	       test -e /proc/forkgov/policies"

# A policy in /etc/forkgov.d: no refill, two forks, then EAGAIN.
mkdir -p /etc/forkgov.d
cat >/etc/forkgov.d/deb-test.conf <<'CONF'
[/fgdeb.slice]
rate   = 0
burst  = 2
action = deny
create = yes
CONF
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/forkgov.service)
echo "# ExecStart=$exec_start"
check "forkgov.service's ExecStart= applies /etc/forkgov.d" sh -c "$exec_start"
check "the policy of /etc/forkgov.d is in the table, owner config" \
	grep -E "^policy /fgdeb.slice .*burst=2 .*owner=config( |$)" /proc/forkgov/policies
forks=$(forkgov_forks "$CG" 5)
check "the policy governs /fgdeb.slice: 2 of 5 forks allowed (got ${forks:-none})" \
	test "$forks" = 2
check "forkgovctl list shows it" sh -c "forkgovctl list | grep -F /fgdeb.slice"

# Clean up what the test made (the cgroup, the module), then purge.
rmdir "$CG" 2>/dev/null
rm -f /etc/forkgov.d/deb-test.conf
check "forkgov unloads" sh -c "forkgovctl flush >/dev/null 2>&1; modprobe -r forkgov"
check "dpkg --purge forkgovctl forkgov-dkms" \
	env DEBIAN_FRONTEND=noninteractive dpkg --purge forkgovctl forkgov-dkms
check "dpkg knows neither package any more" \
	sh -c "! dpkg-query -W forkgovctl forkgov-dkms 2>/dev/null | grep -q ."
after=$(snapshot)
left=$(comm -13 <(echo "$before") <(echo "$after"))
gone=$(comm -23 <(echo "$before") <(echo "$after"))
if [[ -z $left && -z $gone ]]; then
	ok "purge leaves nothing under /etc, /usr, /var/lib/dkms, /lib/modules"
else
	sed 's/^/# left: /' <<<"$left"
	sed 's/^/# gone: /' <<<"$gone"
	notok "purge leaves nothing under /etc, /usr, /var/lib/dkms, /lib/modules"
fi
echo "# $n tests, $fails failed"
[[ $fails -eq 0 ]]
