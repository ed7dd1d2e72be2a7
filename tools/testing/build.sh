#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build forkgov out of tree against matrix kernels, each in its own copy of
# the sources under build/<version>/ (kbuild writes objects next to them), from
# clean so that no warning hides in an up-to-date object, with W=1, and fail on
# any warning.  With -s, run sparse (C=2) in build/sparse/<version>/ instead
# and fail on any report.  Prints one TAP line per kernel; the log of a failed
# build follows it.
#
# usage: build.sh [-s] [KVER...]      (default: every kernel of the matrix)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

sparse=0
if [[ ${1:-} == -s ]]; then
	sparse=1
	shift
fi

# Mirror Kbuild and module/ into $1, touching only files that changed so
# that kbuild rebuilds no more than it must.
sync_sources()
{
	local dst=$1 f

	mkdir -p "$dst/module"
	for f in Kbuild module/*.[ch]; do
		cmp -s "$FG_ROOT/$f" "$dst/$f" || cp "$FG_ROOT/$f" "$dst/$f"
	done
	for f in "$dst"/module/*.[ch]; do
		[[ -e $FG_ROOT/module/${f##*/} ]] || rm -f "$f"
	done
}

build_one()
{
	local kver=$1 dir=$FG_ROOT/build/$1 log name args=(W=1)
	local kdir

	kdir=$(fg_kdir "$1")

	name="build $(fg_kalias "$kver") ($kver) W=1"
	if [[ $sparse == 1 ]]; then
		name="sparse $(fg_kalias "$kver") ($kver)"
		args+=(C=2)
		dir=$FG_ROOT/build/sparse/$kver
	fi
	mkdir -p "$dir"
	# One build per directory at a time: others share this working tree.
	exec 8>"$dir.lock"
	flock 8
	sync_sources "$dir"
	log=$dir/build.log
	make -C "$kdir" M="$dir" clean >/dev/null 2>&1 || true
	if make -C "$kdir" M="$dir" "${args[@]}" modules >"$log" 2>&1 &&
	   ! grep -qiE 'warning|error:' "$log"; then
		echo "ok - $name"
		exec 8>&-
		return 0
	fi
	echo "not ok - $name"
	grep -iE -A3 'warning|error' "$log" | head -n 60 | sed 's/^/#   /' || true
	exec 8>&-
	return 1
}

kvers=()
if [[ $# -gt 0 ]]; then
	for k in "$@"; do
		kvers+=("$(fg_kver "$k")")
	done
else
	mapfile -t kvers < <(fg_matrix_kvers)
fi

rc=0
for k in "${kvers[@]}"; do
	build_one "$k" || rc=1
done
exit "$rc"
