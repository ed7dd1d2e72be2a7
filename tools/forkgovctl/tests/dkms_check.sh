#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "dkms build" of forkgov against installed headers, in a private dkms tree
# (nothing under /var/lib/dkms or /lib/modules is touched).  Prints TAP;
# skips when dkms or the headers are missing, or the module does not build
# with plain kbuild (then it is the module's problem, not packaging's).
#
# usage: dkms_check.sh VERSION KERNELRELEASE
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1

ver=$1
kver=$2
echo "TAP version 13"
echo "1..2"
skip()
{
	echo "ok 1 module builds with kbuild # SKIP $1"
	echo "ok 2 dkms build forkgov/$ver for $kver # SKIP $1"
	exit 0
}

command -v dkms >/dev/null || skip "dkms is not installed (apt-get install dkms)"
[[ -d /lib/modules/$kver/build ]] || skip "no headers for $kver"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

src=$tmp/src/forkgov-$ver
mkdir -p "$src/module" "$tmp/tree" "$tmp/install"
cp Kbuild "$src/" && cp module/*.c module/*.h "$src/module/" &&
	sed "s/@VERSION@/$ver/" packaging/dkms/dkms.conf >"$src/dkms.conf"

cp -r "$src" "$tmp/plain"
if make -s -C "/lib/modules/$kver/build" M="$tmp/plain" modules >"$tmp/plain.log" 2>&1; then
	echo "ok 1 module builds with kbuild"
else
	sed 's/^/# /' "$tmp/plain.log" | tail -20
	echo "ok 1 module builds with kbuild # SKIP the module does not build for $kver"
	echo "ok 2 dkms build forkgov/$ver for $kver # SKIP the module does not build"
	exit 0
fi

d=(--dkmstree "$tmp/tree" --sourcetree "$tmp/src" --installtree "$tmp/install")
if dkms add "${d[@]}" -m forkgov -v "$ver" >"$tmp/dkms.log" 2>&1 &&
   dkms build "${d[@]}" -m forkgov -v "$ver" -k "$kver" >>"$tmp/dkms.log" 2>&1 &&
   ls "$tmp/tree/forkgov/$ver/$kver/"*/module/forkgov.ko* >/dev/null 2>&1; then
	echo "ok 2 dkms build forkgov/$ver for $kver"
else
	sed 's/^/# /' "$tmp/dkms.log" | tail -30
	cat "$tmp/tree/forkgov/$ver/build/make.log" 2>/dev/null | sed 's/^/# /' | tail -20
	echo "not ok 2 dkms build forkgov/$ver for $kver"
	exit 1
fi
