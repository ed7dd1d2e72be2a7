#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Count TAP results in files (or stdin) and print "PASSED FAILED SKIPPED".
# Every line starting with "ok" or "not ok" is one result; an "ok" line with
# a "# SKIP" directive is a skip, counted as neither pass nor fail.
set -euo pipefail

awk '
/^not ok([ \t]|$)/		{ f++; next }
/^ok([ \t]|$)/ && /# *[Ss][Kk][Ii][Pp]/	{ s++; next }
/^ok([ \t]|$)/			{ p++ }
END				{ printf "%d %d %d\n", p, f, s }
' "$@"
