#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the long stress run, selftests/stress_short.sh with
# STRESS_CYCLES load/unload cycles, in one guest per kernel, all at once.
# Under single-threaded TCG a guest keeps one host CPU busy, so the guests
# of a 2-kernel run share a 2-core host without slowing each other much.
#
# Each kernel's guest writes to out/stress/KERNEL/ (console.log, dmesg,
# verdict); its vm.sh output goes to out/stress/KERNEL.log.  Prints one TAP
# line per kernel and the stress script's own check lines, then
# "N passed, N failed".
#
#   STRESS_KERNELS="6.1 6.12"   kernel aliases or versions
#   STRESS_CYCLES=1000          load/unload cycles per kernel
#   STRESS_TIMEOUT=43200        seconds before a guest is stopped
#   STRESS_QEMU='-cpu qemu64,-cx16'
#                               extra QEMU arguments (VM_QEMU_EXTRA).  The
#                               default guest CPU lacks CMPXCHG16B: QEMU
#                               7.2's TCG has twice left garbage flags after
#                               SLUB's cmpxchg16b in long 6.12 runs
#                               (bench/results/stress/README.md).  Set it
#                               empty to run with the stock qemu64 CPU.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

KERNELS=${STRESS_KERNELS:-6.1 6.12}
CYCLES=${STRESS_CYCLES:-1000}
TIMEOUT=${STRESS_TIMEOUT:-43200}
QEMU_EXTRA=${STRESS_QEMU--cpu qemu64,-cx16}
OUT=out/stress
pass=0
fail=0

mkdir -p "$OUT"
for k in $KERNELS; do
	tools/testing/build.sh "$k" >/dev/null || tools/testing/build.sh "$k" || exit 1
done
make -s bench-progs || exit 1

echo "# stress: $CYCLES cycles on $KERNELS, guest QEMU extra: ${QEMU_EXTRA:-none}"
pids=()
for k in $KERNELS; do
	VM_QEMU_EXTRA=$QEMU_EXTRA tools/testing/vm.sh -k "$k" -t "$TIMEOUT" \
		-o "$OUT/$k" -- \
		"STRESS_CYCLES=$CYCLES STRESS_SECONDS=0 selftests/stress_short.sh" \
		>"$OUT/$k.log" 2>&1 &
	pids+=($!)
done

i=0
for k in $KERNELS; do
	wait "${pids[$i]}"
	rc=$?
	i=$((i + 1))
	grep -E '^(not )?ok [0-9]+ ' "$OUT/$k.log" | sed "s/^/# $k: /"
	if [[ $rc -eq 0 ]]; then
		pass=$((pass + 1))
		echo "ok $i - stress $k: $CYCLES cycles ($OUT/$k.log)"
	else
		fail=$((fail + 1))
		echo "not ok $i - stress $k: exit $rc ($OUT/$k.log)"
	fi
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
