#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make docs-check: build the documentation and check that it covers what
# module/ implements.  Prints TAP; exits nonzero if a test failed.
#
#   1 the Sphinx HTML build, warnings as errors
#   2 the man pages (forkgovctl's target; skipped when there is none)
#   3 every sysctl knob of module/*.c has a section in sysctl.rst
#   4 every module parameter is documented in sysctl.rst
#   5 every line of /proc/forkgov/stats is described
#   6 every policy key of the parser is in interface.rst's table
#   7 every field of a policies line is described in interface.rst
#   8 knobs-check.py: knob and key names both ways, ranges and defaults of
#     the knobs (sysctl.rst, forkgov.7) and of the policy keys
#     (interface.rst) against module/
set -uo pipefail
cd "$(dirname "$0")/../.."

DOC=Documentation/admin-guide/forkgov
OUT=out/docs
MAKE=${MAKE:-make}
n=0
failed=0

mkdir -p "$OUT"
echo "1..8"

result()	# result OK DESCRIPTION [DIAGNOSTIC...]
{
	local ok=$1 what=$2

	shift 2
	n=$((n + 1))
	if [[ $ok == 0 ]]; then
		echo "ok $n docs: $what"
	else
		echo "not ok $n docs: $what"
		failed=$((failed + 1))
		printf '# %s\n' "$@"
	fi
}

# Run a make target quietly; its output goes to a log, and into the
# diagnostics if it fails.
build()		# build NAME TARGET DESCRIPTION
{
	local log=$OUT/$1.log

	if $MAKE -s --no-print-directory "$2" >"$log" 2>&1; then
		result 0 "$3"
	else
		mapfile -t diag < <(tail -n 40 "$log")
		result 1 "$3" "${diag[@]}"
	fi
}

# Names in the C sources that the documentation must mention.
knobs()		{ sed -n 's/^[[:space:]]*\(FG\|MT\)_KNOB("\([a-z_]*\)".*/\2/p' module/*.c; }
params()	{ sed -n 's/^module_param_named(\([a-z_]*\),.*/\1/p' module/*.c; }
counters()	{ sed -n 's/^[[:space:]]*seq_printf(m, "\([a-z0-9_]*\) %.*/\1/p' module/iface.c module/mtfork.c; }
keys()		{ sed -n 's/^[[:space:]]*\[FG_KEY_[A-Z_]*\][[:space:]]*= "\([a-z_]*\)".*/\1/p' module/parse.c; }
fields()	{ grep -o '[" ][a-z_0-9]*=[%"-]' module/policy.c | tr -d '" =%-' ; }

# missing LIST-COMMAND PATTERN FILES...: the names of LIST-COMMAND that no
# line of FILES matches, once every @ of the extended regex PATTERN is
# replaced by the name.
missing()
{
	local list=$1 pat=$2 name
	shift 2

	for name in $($list | sort -u); do
		grep -qE "${pat//@/$name}" "$@" 2>/dev/null || echo "$name"
	done
}

check()		# check DESCRIPTION LIST PATTERN FILES...
{
	local what=$1 list=$2 miss
	shift 2

	if [[ -z $($list) ]]; then
		result 1 "$what" "found nothing to check in module/: has the source changed shape?"
		return
	fi
	miss=$(missing "$list" "$@")
	if [[ -z $miss ]]; then
		result 0 "$what"
	else
		mapfile -t diag < <(echo "$miss" | sed 's/^/undocumented: /')
		result 1 "$what" "${diag[@]}"
	fi
}

build sphinx docs-html "sphinx html -W ($OUT/html)"

if [[ -n ${DOCS_MAN_TARGET:-} ]]; then
	build man "$DOCS_MAN_TARGET" "man pages ($DOCS_MAN_TARGET)"
else
	n=$((n + 1))
	echo "ok $n docs: man pages # SKIP mk/forkgovctl.mk has no forkgovctl-man target"
fi

# A knob's section title is its name alone on a line, underlined.
check "every sysctl knob has a section in sysctl.rst" knobs '^@$' "$DOC/sysctl.rst"
# A parameter that mirrors a knob is documented by the knob's section.
check "every module parameter is documented in sysctl.rst" params \
	'^@$|``(forkgov\.)?@(=[^`]*)?``' "$DOC/sysctl.rst"
check "every /proc/forkgov/stats counter is described" counters '``@``' \
	"$DOC/interface.rst" "$DOC/semantics.rst" "$DOC/mt-fork.rst"
check "every policy key is in interface.rst's key table" keys '^@ +' "$DOC/interface.rst"
# The parameters printed in the table are the keys of the key table.
check "every field of a policies line is described" fields '``@``|^@ +' \
	"$DOC/interface.rst" "$DOC/semantics.rst"

if out=$(python3 Documentation/sphinx/knobs-check.py . 2>&1); then
	result 0 "names, ranges and defaults of knobs and keys match module/"
else
	mapfile -t diag <<<"$out"
	result 1 "names, ranges and defaults of knobs and keys match module/" "${diag[@]}"
fi

[[ $failed -eq 0 ]]
