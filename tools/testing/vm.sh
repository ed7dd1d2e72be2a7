#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a matrix kernel in QEMU (TCG) with the host's userland, load forkgov and
# run one command in the guest, in the repository's directory.
#
# usage: vm.sh [-k KVER] [-n] [-t SECONDS] [-o DIR] CMD...
#   -k KVER     6.1, 6.12, 6.12-rt or a full version (default: $KVER or 6.12)
#   -n          do not load forkgov ($NOLOAD=1)
#   -t SECONDS  bound on the whole run (default: $VM_TIMEOUT or 600)
#   -o DIR      results directory (default: a new one under out/vm/)
#
# The command's output streams to stdout; the exit status is the command's.
# The run fails (status 1 if the command succeeded) when the guest kernel log
# shows an oops, BUG, WARNING, lockup, RCU stall, KASAN, lockdep or kmemleak
# report (the kmemleak file guest-run.sh leaves in the results), or
# when the guest does not report a status (crash, panic, timeout: 124).
# In the guest, FORKGOV_KO is the module's path (a copy of build/<version>/
# forkgov.ko in the results directory, at the same path as on the host) and
# KVER the kernel version; the results directory is also /run/fg-results.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KVER=${KVER:-6.12}
NOLOAD=${NOLOAD:-0}
VM_TIMEOUT=${VM_TIMEOUT:-600}
VM_MEM=${VM_MEM:-2G}
# For measurements (bench/run.sh): the number of guest CPUs, and extra QEMU
# arguments split on spaces, e.g. VM_SMP=1 VM_QEMU_EXTRA='-icount shift=0,sleep=on'.
VM_SMP=${VM_SMP:-2}
VM_QEMU_EXTRA=${VM_QEMU_EXTRA:-}
res=

# Lines of the guest kernel log that fail a run, and known harmless ones that
# would otherwise match.
BAD='Oops|\bBUG\b|WARNING:|soft lockup|hard LOCKUP|lockup detected|'\
'RCU stall|self-detected stall|detected stalls|rcu: INFO|KASAN|UBSAN|'\
'possible circular locking|inconsistent lock state|possible recursive locking|'\
'suspicious RCU usage|lock held when returning|bad unlock balance|'\
'general protection fault|Call Trace|Kernel panic|refcount_t: |'\
'list_(add|del) corruption|blocked for more than|'\
'unreferenced object'
BENIGN='loading out-of-tree module taints kernel|module verification failed|'\
'RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable'

while getopts k:nt:o: opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	n) NOLOAD=1 ;;
	t) VM_TIMEOUT=$OPTARG ;;
	o) res=$OPTARG ;;
	*) sed -n '4,11s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -gt 0 ]] || fg_die "no command (usage: vm.sh [-k KVER] [-n] CMD...)"
CMD="$*"

KVER=$(fg_kver "$KVER")
# The debug kernel (KASAN, lockdep, kmemleak under TCG) is several times
# slower: scale the run's bound and, in the guest, tap-run.sh's timeouts.
# Its ACPI interpreter is so slow that QEMU's _PRT method (a loop) times
# out twice, which costs a minute of boot: route PCI interrupts without ACPI.
FG_TIMEOUT_SCALE=1
# The kernel log is checked whole at the end: 16 MiB instead of the
# distribution's 128 KiB keeps all of it for hours of stress (forkgov's
# rate-limited reports alone write about 2 lines a second there).
append="console=ttyS0 panic=-1 quiet log_buf_len=16M"
if fg_is_debug "$KVER"; then
	FG_TIMEOUT_SCALE=${DEBUG_TIMEOUT_SCALE:-3}
	VM_TIMEOUT=$((VM_TIMEOUT * FG_TIMEOUT_SCALE))
	append+=" pci=noacpi"
fi
KO=$FG_ROOT/build/$KVER/forkgov.ko
[[ $NOLOAD == 1 || -f $KO ]] || fg_die "$KO missing (run make matrix)"
initrd=$("$FG_ROOT/tools/testing/mkinitramfs.sh" "$KVER")

if [[ -z $res ]]; then
	mkdir -p "$FG_ROOT/out/vm"
	# Keep the last 20 runs, and any from the last two hours or with a
	# guest still running (its vm.sh holds a lock on .running): others
	# sharing this tree may be pruning at the same moment.
	{ ls -1dt "$FG_ROOT"/out/vm/*/ 2>/dev/null || true; } | tail -n +20 |
		while read -r old; do
			[[ ! -e $old/.running ]] ||
				flock -n "$old/.running" true || continue
			find "$old" -maxdepth 0 -mmin +120 -exec rm -rf {} + \
				2>/dev/null || true
		done
	res=$(mktemp -d "$FG_ROOT/out/vm/$(fg_kalias "$KVER").XXXXXX")
fi
mkdir -p "$res"
res=$(realpath "$res")
exec {running_fd}>"$res/.running"
flock "$running_fd"
rm -f "$res"/{status,dmesg,console.log,verdict,tap.log,kmemleak}
# The guest loads its own copy: a rebuild on the host cannot pull it away.
if [[ $NOLOAD != 1 ]]; then
	cp "$KO" "$res/forkgov.ko"
	KO=$res/forkgov.ko
fi
echo "$FG_ROOT" >"$res/repo"
printf '%s\n' "$CMD" >"$res/cmd"
{
	printf 'export KVER=%q FORKGOV_KO=%q NOLOAD=%q FG_REPO=%q\n' \
		"$KVER" "$KO" "$NOLOAD" "$FG_ROOT"
	# Leave the guest a minute to collect its log after a hung command.
	printf 'export GUEST_TIMEOUT=%q\n' $((VM_TIMEOUT > 120 ? VM_TIMEOUT - 60 : VM_TIMEOUT / 2))
	printf 'export FG_TIMEOUT_SCALE=%q\n' "$FG_TIMEOUT_SCALE"
	[[ -z ${CI:-} ]] || printf 'export CI=%q\n' "$CI"
} >"$res/env"

qemu=(qemu-system-x86_64 -accel tcg,thread=single -smp "$VM_SMP" -m "$VM_MEM"
      -nodefaults -no-user-config -display none -serial stdio -no-reboot
      -kernel "$(fg_kimage "$KVER")" -initrd "$initrd"
      -append "$append"
      -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
      -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
      -fsdev "local,id=results,path=$res,security_model=none"
      -device virtio-9p-pci,fsdev=results,mount_tag=results
      -object rng-random,id=rng,filename=/dev/urandom
      -device virtio-rng-pci,rng=rng)
# shellcheck disable=SC2206
[[ -z $VM_QEMU_EXTRA ]] || qemu+=($VM_QEMU_EXTRA)

start=$(date +%s)
set +e
timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" </dev/null 2>&1 |
	sed -u 's/\r$//' | tee "$res/console.log"
qrc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))
echo

rc=0
if [[ -f $res/status ]]; then
	rc=$(<"$res/status")
elif [[ $qrc -eq 124 || $qrc -eq 137 ]]; then
	fg_log "$KVER: guest timed out after ${VM_TIMEOUT}s"
	rc=124
else
	fg_log "$KVER: guest died without a status (qemu exit $qrc); console: $res/console.log"
	rc=1
fi

log=$res/dmesg
[[ -f $log ]] || log=$res/console.log
# kmemleak's report, read by guest-run.sh after the command, counts too.
logs=("$log")
[[ ! -s $res/kmemleak ]] || logs+=("$res/kmemleak")
bad=$(cat "${logs[@]}" | grep -E "$BAD" | grep -vE "$BENIGN" || true)
if [[ -n $bad ]]; then
	fg_log "$KVER: the guest kernel log is not clean (${logs[*]}):"
	cat "${logs[@]}" | grep -E -B2 -A20 "$BAD" | head -n 120 >&2 || true
	[[ $rc -ne 0 ]] || rc=1
	echo "kernel-log-dirty" >"$res/verdict"
else
	echo "kernel-log-clean" >"$res/verdict"
fi
fg_log "$(fg_kalias "$KVER"): exit $rc after ${elapsed}s (results in $res)"
exit "$rc"
