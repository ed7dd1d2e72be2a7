#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz-check (in HOST_CHECKS): the libFuzzer target of the policy parser
# on the regression inputs and the seed corpus, then FUZZ_CHECK_SECONDS (20)
# of fuzzing.  TAP.  Skipped without clang's libFuzzer.
cd "$(dirname "$0")/.." || exit 1
bin=build/fuzz/parse_fuzz
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "TAP version 13"
echo "1..2"
if ! make -s "$bin" >"$out/build.log" 2>&1; then
	if grep -q 'missing\|fuzzer' "$out/build.log" && ! command -v clang >/dev/null; then
		echo "ok 1 - parse_fuzz # SKIP clang with libFuzzer is not installed"
		echo "ok 2 - parse_fuzz fuzzing # SKIP clang with libFuzzer is not installed"
		exit 0
	fi
	echo "not ok 1 - parse_fuzz builds"
	sed 's/^/# /' "$out/build.log" | tail -n 20
	echo "not ok 2 - parse_fuzz fuzzing # not built"
	exit 1
fi
rc=0
if "$bin" -runs=1 fuzz/regressions/* fuzz/corpus/* >"$out/reg.log" 2>&1; then
	echo "ok 1 - parse_fuzz: regression inputs and seed corpus"
else
	echo "not ok 1 - parse_fuzz: regression inputs and seed corpus"
	grep -E 'parse_fuzz:|Running|ERROR' "$out/reg.log" | sed 's/^/# /' | head -n 10
	rc=1
fi
mkdir -p build/fuzz/corpus build/fuzz/artifacts
if "$bin" -max_total_time="${FUZZ_CHECK_SECONDS:-20}" -max_len=8192 \
	-dict=fuzz/policy.dict -artifact_prefix=build/fuzz/artifacts/ \
	build/fuzz/corpus fuzz/corpus >"$out/fuzz.log" 2>&1; then
	echo "ok 2 - parse_fuzz: $(grep -o 'Done [0-9]* runs' "$out/fuzz.log") without a finding"
else
	echo "not ok 2 - parse_fuzz: finding after fuzzing (see build/fuzz/artifacts/)"
	grep -E 'parse_fuzz:|Test unit written' "$out/fuzz.log" | sed 's/^/# /' | head -n 10
	rc=1
fi
exit "$rc"
