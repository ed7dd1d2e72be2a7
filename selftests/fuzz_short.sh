#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A short run of the in-guest interface fuzzer (fuzz/guest_fuzz.py): random
# and mutated writes to /proc/forkgov/policies and the knobs, as root and as
# unprivileged users, checked against the documented grammar.  TAP.
#   FUZZ_SECONDS (25)   length of the policy-write phase
#   FUZZ_SEED           seed (default: time; printed)
cd "$(dirname "$0")/.." || exit 1
exec python3 fuzz/guest_fuzz.py -t "${FUZZ_SECONDS:-25}" ${FUZZ_SEED:+-s "$FUZZ_SEED"}
