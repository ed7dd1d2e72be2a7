#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per kernel version, cached) the tiny initramfs that boots a test
# guest: static busybox, guest-init.sh as /init, and the modules that mount the
# host root over virtio-9p with an overlay, and virtio-rng (a ready crng at
# boot), in load order.  Prints its path.
#
# usage: mkinitramfs.sh KVER
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KVER=$(fg_kver "${1:?usage: mkinitramfs.sh KVER}")
MODDIR=$(fg_kmoddir "$KVER")
WANT=(virtio_pci 9pnet_virtio 9p overlay virtio-rng)
BUSYBOX=/bin/busybox
INIT=$FG_ROOT/tools/testing/guest-init.sh
OUT=$FG_CACHE/initramfs/$KVER.cpio.gz

# Print the modules.dep path of module $1 after its dependencies, each once.
declare -A seen
resolve()
{
	local line path dep

	line=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$MODDIR/modules.dep") || {
		# Not a module: fine if it is built in.
		grep -qE "/$1\.ko$" "$MODDIR/modules.builtin" ||
			fg_die "$KVER: module $1 is neither modular nor built in"
		return 0
	}
	path=${line%%:*}
	[[ -z ${seen[$path]:-} ]] || return 0
	seen[$path]=1
	for dep in ${line#*:}; do
		dep=${dep##*/}
		resolve "${dep%%.ko*}"
	done
	echo "$path"
}

if [[ ! -x $BUSYBOX ]] || readelf -l "$BUSYBOX" | grep 'program interpreter' >/dev/null; then
	fg_die "$BUSYBOX is missing or not static (install busybox-static)"
fi

stamp="$(cat "$0" "$INIT" "$MODDIR/modules.dep" | md5sum) $(stat -c %Y "$BUSYBOX")"
# Guests of one kernel start at the same moment (check.sh's debug parts):
# one builds, the others wait for it and find it done.
mkdir -p "${OUT%/*}"
exec {lock}>"$OUT.lock"
flock "$lock"
if [[ -f $OUT && -f $OUT.stamp && $(<"$OUT.stamp") == "$stamp" ]]; then
	echo "$OUT"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$OUT.tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
cp "$BUSYBOX" "$tmp/bin/busybox"
install -m 0755 "$INIT" "$tmp/init"
: >"$tmp/modules.order"
for m in "${WANT[@]}"; do
	resolve "$m"
done >"$tmp/paths"
while read -r path; do
	ko=${path##*/}
	case $ko in
	*.xz)	xz -dc "$MODDIR/$path" >"$tmp/modules/${ko%.xz}" ;;
	*.zst)	zstd -qdc "$MODDIR/$path" >"$tmp/modules/${ko%.zst}" ;;
	*.gz)	gzip -dc "$MODDIR/$path" >"$tmp/modules/${ko%.gz}" ;;
	*)	cp "$MODDIR/$path" "$tmp/modules/$ko" ;;
	esac
	echo "${ko%.ko*}.ko" >>"$tmp/modules.order"
done <"$tmp/paths"

# Written beside $OUT and renamed: a reader never sees half an archive.
(cd "$tmp" && rm paths && find . | cpio -o -H newc --quiet) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$stamp" >"$OUT.stamp"
echo "$OUT"
