#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over every C file of the tree, and kernel-doc over
# the module's.  Prints one TAP line for each, with the findings after a
# failed one.
#
# Userspace sources (tools/, selftests/) are held to the same rules except a
# few that only make sense inside the kernel: BIT()/BIT_ULL(), __packed and
# the other attribute macros, kernel integer types, the fallthrough
# pseudo-keyword and kstrto*() are not available to them, and volatile is
# what sig_atomic_t flags need; userspace C also typedefs freely and uses
# <inttypes.h>'s PRIu64-style macros.
#
# module/compat.h exists to test kernel versions where no feature can be
# probed, so LINUX_VERSION_CODE comparisons are allowed there only.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

USER_IGNORE=BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES,\
PREFER_FALLTHROUGH,SSCANF_TO_KSTRTO,VOLATILE,NEW_TYPEDEFS,CAMELCASE
COMPAT_IGNORE=LINUX_VERSION_CODE,CONSTANT_COMPARISON

src=$("$FG_ROOT/tools/testing/kernel-src.sh")
cd "$FG_ROOT"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0

# checkpatch caches what it learns about CamelCase in its working directory:
# run it in a scratch one (the empty .git keeps it from searching for a
# kernel tree; the git error that costs is dropped), on absolute paths, and
# print them relative again.
scratch=$FG_CACHE/checkpatch
mkdir -p "$scratch/.git"
checkpatch()
{
	local args=() a

	[[ ${*: -1} != -f ]] || return 0
	for a in "$@"; do
		[[ $a == -* || $a == "$USER_IGNORE" || $a == "$COMPAT_IGNORE" ]] &&
			args+=("$a") || args+=("$FG_ROOT/$a")
	done
	(cd "$scratch" && "$src/scripts/checkpatch.pl" --no-tree --strict \
		--terse --show-types --no-summary --quiet "${args[@]}") \
		2> >(grep -v '^fatal: not a git repository' >&2) |
		sed "s|^$FG_ROOT/||"
}

shopt -s nullglob globstar
kernel=(module/*.[ch])
compat=()
for i in "${!kernel[@]}"; do
	if [[ ${kernel[i]} == module/compat.h ]]; then
		compat=(module/compat.h)
		unset 'kernel[i]'
	fi
done
user=(tools/forkgovctl/*.[ch] selftests/**/*.[ch])
{
	checkpatch -f "${kernel[@]}"
	checkpatch --ignore "$COMPAT_IGNORE" -f "${compat[@]}"
	checkpatch --ignore "$USER_IGNORE" -f "${user[@]}"
} >"$out" 2>&1 || true
nfiles=$((${#kernel[@]} + ${#compat[@]} + ${#user[@]}))
if [[ -s $out ]]; then
	echo "not ok - checkpatch --strict ($nfiles files)"
	sed 's/^/#   /' "$out"
	rc=1
else
	echo "ok - checkpatch --strict ($nfiles files)"
fi

if "$src/scripts/kernel-doc" -none -Wall "${kernel[@]}" "${compat[@]}" >"$out" 2>&1 && [[ ! -s $out ]]; then
	echo "ok - kernel-doc (module/)"
else
	echo "not ok - kernel-doc (module/)"
	sed 's/^/#   /' "$out"
	rc=1
fi
exit "$rc"
