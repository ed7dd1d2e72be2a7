# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks, stress and fuzz suites (issue 7).  Included by the top-level
# Makefile (-include mk/*.mk).
#
#   make bench          hook cost, fork-bomb containment and rate accuracy in
#                       QEMU guests; results in bench/results/ (bench/run.sh)
#   make bench-containment   only the containment bench (issue 14), full:
#                       3 bombs x 8 modes x 20/s, 50/s, 3 repetitions
#   make bench-containment-quick   the same, 10 s bombs, 1 repetition, 20/s
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

# bombrun uses the selftests' cgroup helpers.
$(BENCH_OUT)/bombrun: bench/src/bombrun.c selftests/lib/cgroup_util.c \
		      selftests/lib/cgroup_util.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -Iselftests/lib -o $@ $< selftests/lib/cgroup_util.c

bench: bench-progs
	@bench/run.sh

bench-containment: bench-progs
	@BENCH_ONLY=containment bench/run.sh

bench-containment-quick: bench-progs
	@BENCH_ONLY=containment BENCH_QUICK=1 bench/run.sh

.PHONY: bench-containment bench-containment-quick

# libFuzzer on the policy parser, with the fake kernel headers of tools/include.
FUZZ_OUT	:= build/fuzz
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=all -Wall \
		   -I tools/include -I module

$(FUZZ_OUT)/parse_fuzz: fuzz/parse_fuzz.c module/parse.c module/parse.h \
		module/k8s.c module/k8s.h module/bucket.h module/forkgov.h $(wildcard tools/include/linux/*.h)
	@mkdir -p $(@D)
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz: $(FUZZ_CC) missing (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/parse_fuzz.c module/parse.c \
		module/k8s.c

# First the known-bad inputs of fuzz/regressions/ (each must pass now), then
# FUZZ_SECONDS of fuzzing.  The corpus in the repository is only read; new
# inputs go to build/fuzz/corpus, crashes to build/fuzz/artifacts.
fuzz-parse: $(FUZZ_OUT)/parse_fuzz
	@mkdir -p $(FUZZ_OUT)/corpus $(FUZZ_OUT)/artifacts
	$(FUZZ_OUT)/parse_fuzz -runs=1 fuzz/regressions/* fuzz/corpus/*
	$(FUZZ_OUT)/parse_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-dict=fuzz/policy.dict -artifact_prefix=$(FUZZ_OUT)/artifacts/ \
		-print_final_stats=1 $(FUZZ_OUT)/corpus fuzz/corpus

# The in-guest fuzzer of /proc/forkgov/policies and the knobs (root and
# unprivileged writers), FUZZ_GUEST_SECONDS long, on KVER.
FUZZ_GUEST_SECONDS ?= 120

fuzz-guest:
	@tools/testing/build.sh $(KVER) >/dev/null || tools/testing/build.sh $(KVER)
	@tools/testing/vm.sh -k $(KVER) -t $$(($(FUZZ_GUEST_SECONDS) + 240)) -- \
		"FUZZ_SECONDS=$(FUZZ_GUEST_SECONDS) selftests/fuzz_short.sh"

fuzz: fuzz-parse fuzz-guest

.PHONY: fuzz-parse fuzz-guest

# Stress: selftests/stress_short.sh in a guest per kernel.  The short run is
# what make check runs in every guest (it is a selftests/*.sh); the long run
# (bench/stress.sh) does STRESS_CYCLES load/unload cycles with no time
# bound, in one guest per kernel at once.  Under TCG a cycle takes about 5 s
# while the load runs, so 1,000 cycles take 1.5 h or more.
STRESS_KERNELS	?= 6.1 6.12
STRESS_CYCLES	?= 1000
STRESS_TIMEOUT	?= 43200
export STRESS_KERNELS STRESS_CYCLES STRESS_TIMEOUT

stress:
	@bench/stress.sh

stress-short: bench-progs
	@tools/testing/build.sh $(KVER) >/dev/null || tools/testing/build.sh $(KVER)
	@tools/testing/vm.sh -k $(KVER) -t 300 -- selftests/stress_short.sh

# Host-side TAP check for make check.
fuzz-check:
	@fuzz/check.sh

HOST_CHECKS	+= fuzz-check
.PHONY: fuzz-check
