#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few files forkgov takes from Debian's linux-source-6.12 package
# (checkpatch.pl and its data, kernel-doc, the kselftest headers) into a cache
# outside the clone, once, and print the directory that holds them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
TOP=linux-source-6.12
FILES=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
       scripts/kernel-doc
       tools/testing/selftests/kselftest.h
       tools/testing/selftests/kselftest_harness.h)
DEST=$FG_CACHE/linux-src

[[ -r $TARBALL ]] || fg_die "$TARBALL missing (run make deps)"
stamp="$(stat -c '%s %Y' "$TARBALL") ${FILES[*]}"

mkdir -p "$FG_CACHE"
exec 9>"$FG_CACHE/linux-src.lock"
flock 9
if [[ ! -f $DEST/.stamp || $(<"$DEST/.stamp") != "$stamp" ]]; then
	fg_log "extracting ${#FILES[@]} files from $TARBALL"
	rm -rf "$DEST" "$DEST.tmp"
	mkdir -p "$DEST.tmp"
	tar -xJf "$TARBALL" -C "$DEST.tmp" --strip-components=1 \
		"${FILES[@]/#/$TOP/}"
	echo "$stamp" >"$DEST.tmp/.stamp"
	mv "$DEST.tmp" "$DEST"
fi
echo "$DEST"
