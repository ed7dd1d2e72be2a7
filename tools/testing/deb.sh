#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build the Debian packages of debian/ with
# "dpkg-buildpackage -us -uc -b" in a copy of the tree (build/deb/forkgov-<version>: a
# build never touches the developer's build/ and out/, and its .debs do not
# land beside the repository), then lintian on both.  Prints TAP; the .debs
# stay in build/deb/ for "make deb-guest".
#
# Lintian must report no error, warning or info tag (pedantic and
# experimental ones are shown, not counted); an override belongs in
# debian/*.lintian-overrides with a comment that justifies it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$FG_ROOT" || exit 1

OUT=$FG_ROOT/build/deb
n=0
ok()	{ n=$((n + 1)); echo "ok $n - $*"; }
notok()	{ n=$((n + 1)); echo "not ok $n - $*"; }

echo "TAP version 13"
echo "1..4"
ver=$(dpkg-parsechangelog -S Version 2>/dev/null) || ver=
arch=$(dpkg --print-architecture)
src=$OUT/forkgov-$ver
rm -rf "$OUT"
mkdir -p "$src"
# The files git knows, and new ones it does not ignore, as they are now.
git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$src"

start=$(date +%s)
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b ($(($(date +%s) - start)) s)"
else
	tail -n 40 "$OUT/build.log" | sed 's/^/# /'
	notok "dpkg-buildpackage -us -uc -b (log: $OUT/build.log)"
	echo "not ok 2 - forkgov-dkms and forkgovctl built # nothing built"
	echo "not ok 3 - lintian forkgov-dkms # nothing built"
	echo "not ok 4 - lintian forkgovctl # nothing built"
	exit 1
fi

debs=("$OUT/forkgov-dkms_${ver}_all.deb" "$OUT/forkgovctl_${ver}_$arch.deb")
missing=0
for d in "${debs[@]}"; do
	[[ -f $d ]] || { echo "# $d missing"; missing=1; }
done
if [[ $missing -eq 0 ]]; then
	ok "forkgov-dkms and forkgovctl built"
else
	notok "forkgov-dkms and forkgovctl built"
fi

rc=0
for d in "${debs[@]}"; do
	pkg=${d##*/}
	pkg=${pkg%%_*}
	[[ -f $d ]] || { notok "lintian $pkg # no package"; rc=1; continue; }
	lintian --pedantic --display-experimental --display-info \
		"$d" >"$OUT/lintian-$pkg.log" 2>&1
	sed 's/^/# /' "$OUT/lintian-$pkg.log"
	if grep -qE '^[EWI]: ' "$OUT/lintian-$pkg.log"; then
		notok "lintian $pkg: no error, warning or info"
		rc=1
	else
		ok "lintian $pkg: no error, warning or info ($(grep -c '^[PX]: ' "$OUT/lintian-$pkg.log") pedantic/experimental)"
	fi
done
[[ $missing -eq 0 && $rc -eq 0 ]]
