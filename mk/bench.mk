# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks, stress and fuzz suites (issue 7).  Included by the top-level
# Makefile (-include mk/*.mk).
#
#   make bench          hook cost, fork-bomb containment and rate accuracy in
#                       QEMU guests; results in bench/results/ (bench/run.sh)
#   make bench-progs    build the guest programs into build/bench/
#   make stress         1,000 load/unload cycles under fork/clone/cgroup churn
#                       in a guest (selftests/stress_short.sh, STRESS_CYCLES)
#   make stress-short   the short run make check does in every guest
#   make fuzz           libFuzzer on module/parse.c, then the in-guest fuzzer
#
# KVER selects the kernel of the guest runs (default 6.12).

BENCH_OUT	:= build/bench
BENCH_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -pthread
BENCH_PROGS	:= $(patsubst bench/src/%.c,$(BENCH_OUT)/%,$(wildcard bench/src/*.c))

.PHONY: bench bench-progs stress stress-short fuzz

bench-progs: $(BENCH_PROGS)

$(BENCH_OUT)/%: bench/src/%.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

bench: bench-progs
	@bench/run.sh
