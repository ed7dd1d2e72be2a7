#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel of the test matrix (alias 6.12-debug): Debian's
# linux-source-6.12 with KASAN, lockdep, kmemleak, KFENCE and list debugging
# (tools/testing/debug.config).  It is built once into a cache outside the
# clone and never installed; the harness boots its bzImage and builds forkgov
# against its tree (lib.sh: fg_kimage, fg_kdir, fg_kmoddir).
#
#   $FG_CACHE/debug-kernel/<key>/linux/        source and build tree
#   $FG_CACHE/debug-kernel/<key>/root/lib/modules/<release>/   modules.dep etc.
#   $FG_CACHE/debug-kernel/<key>.lock    its lock; mtime: last use
#
# <key> is the linux-source-6.12 package version, a hash of debug.config and
# RECIPE (below): a new source package or fragment builds a new tree, and an
# interrupted build resumes where it stopped (only what is missing is built).
# Builds are serialised with a lock, so concurrent runs share one tree.
#
# usage: debug-kernel.sh            build if needed; print the tree's path
#        debug-kernel.sh --dir      print the tree's path; build nothing
#        debug-kernel.sh --tap      build if needed; one TAP line
#        debug-kernel.sh --clang    build forkgov with LLVM=1 against the
#                                   tree (one TAP line; SKIP when kbuild or
#                                   the gcc-built tree refuses clang)
#
# Build jobs: $DEBUG_KERNEL_JOBS (default: nproc).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
SRCPKG=linux-source-6.12
FRAGMENT=$FG_ROOT/tools/testing/debug.config
# Bump when the way the tree is configured or built changes.
RECIPE=1
JOBS=${DEBUG_KERNEL_JOBS:-$(nproc)}

key()
{
	local ver

	ver=$(dpkg-query -W -f='${Version}' "$SRCPKG" 2>/dev/null) ||
		fg_die "$SRCPKG is not installed (run make deps)"
	printf '%s-%s\n' "${ver//[^A-Za-z0-9.+-]/_}" \
		"$( { cat "$FRAGMENT"; echo "recipe $RECIPE"; } | sha256sum | cut -c1-12)"
}

DIR=$FG_CACHE/debug-kernel/$(key)
TREE=$DIR/linux

# Every CONFIG_ line of the fragment must hold in .config: "=y"/"=value"
# lines literally, "is not set" lines as not set.  Prints what does not.
config_missing()
{
	local line opt

	while read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$TREE/.config" || echo "  $line"
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			! grep -qE "^$opt=" "$TREE/.config" || echo "  $line"
			;;
		esac
	done <"$FRAGMENT"
}

extract()
{
	[[ -f $TREE/.fg-extracted ]] && return 0
	[[ -r $TARBALL ]] || fg_die "$TARBALL missing (run make deps)"
	fg_log "extracting $TARBALL into $DIR"
	rm -rf "$TREE" "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -xJf "$TARBALL" -C "$TREE.tmp" --strip-components=1
	touch "$TREE.tmp/.fg-extracted"
	mv "$TREE.tmp" "$TREE"
}

configure()
{
	local missing

	[[ -f $TREE/.fg-configured ]] && return 0
	fg_log "configuring: x86_64_defconfig + kvm_guest.config + ${FRAGMENT#"$FG_ROOT"/}"
	make -s -C "$TREE" x86_64_defconfig >/dev/null
	(cd "$TREE" && scripts/kconfig/merge_config.sh -m .config \
		kernel/configs/kvm_guest.config "$FRAGMENT") >"$DIR/merge.log" 2>&1 ||
		{ cat "$DIR/merge.log" >&2; fg_die "merge_config.sh failed"; }
	make -s -C "$TREE" olddefconfig >/dev/null
	missing=$(config_missing)
	if [[ -n $missing ]]; then
		fg_log "options of ${FRAGMENT##*/} that did not survive olddefconfig:"
		echo "$missing" >&2
		grep -E 'Value|redefined|not in final' "$DIR/merge.log" >&2 || true
		fg_die "the debug kernel's configuration is incomplete ($TREE/.config)"
	fi
	touch "$TREE/.fg-configured"
}

# bzImage, and modules for Module.symvers; then modules.dep and
# modules.builtin under root/ for mkinitramfs.sh.
build()
{
	local rel

	[[ -f $TREE/.fg-built ]] && return 0
	fg_log "building bzImage and modules with -j$JOBS (KASAN-instrumented: 10 to 25 min on 2 cores)"
	# LOCALVERSION= (set, empty): no "+" from setlocalversion.
	make -C "$TREE" -j"$JOBS" LOCALVERSION= bzImage modules >"$DIR/build.log" 2>&1 ||
		{ tail -n 40 "$DIR/build.log" >&2; fg_die "kernel build failed ($DIR/build.log)"; }
	rm -rf "$DIR/root"
	make -C "$TREE" LOCALVERSION= INSTALL_MOD_PATH="$DIR/root" modules_install \
		>>"$DIR/build.log" 2>&1 ||
		{ tail -n 20 "$DIR/build.log" >&2; fg_die "modules_install failed"; }
	rel=$(<"$TREE/include/config/kernel.release")
	[[ $rel == *"$FG_DEBUG_SUFFIX" ]] ||
		fg_die "release $rel does not end in $FG_DEBUG_SUFFIX"
	touch "$TREE/.fg-built"
}

# Trees of other keys (an older source package or fragment) take 4 GB
# each: remove those nobody has used for two days and nobody holds now.
prune()
{
	local d

	for d in "$FG_CACHE"/debug-kernel/*/; do
		d=${d%/}
		[[ $d != "$DIR" && -f $d.lock ]] || continue
		[[ -z $(find "$d.lock" -mmin -2880) ]] || continue
		(
			flock -n 9 || exit 0
			fg_log "removing the unused tree ${d##*/}"
			rm -rf "$d"
			rm -f "$d.lock"
		) 9<"$d.lock"
	done
}

ensure()
{
	mkdir -p "$DIR"
	exec 9>"$DIR.lock"
	flock 9
	extract
	configure
	build
	exec 9>&-
	touch "$DIR.lock"
	prune
}

# A module with nothing in it: if even this does not build with clang
# against the tree, the toolchain mismatch is the tree's, not forkgov's.
clang_probe()
{
	local d=$1

	mkdir -p "$d"
	echo 'obj-m := probe.o' >"$d/Kbuild"
	printf '%s\n' '#include <linux/module.h>' 'MODULE_LICENSE("GPL");' >"$d/probe.c"
	make -C "$TREE" M="$d" LLVM=1 modules >"$d/build.log" 2>&1
}

clang_build()
{
	local d=$FG_ROOT/build/clang kver f why

	kver=$(<"$TREE/include/config/kernel.release")
	if ! command -v clang >/dev/null || ! command -v ld.lld >/dev/null; then
		echo "ok - clang build (6.12-debug) # SKIP clang or ld.lld missing"
		return 0
	fi
	rm -rf "$d"
	if ! clang_probe "$d/probe"; then
		why=$(grep -m1 -E 'error' "$d/probe/build.log" || tail -n 1 "$d/probe/build.log")
		echo "ok - clang build (6.12-debug) # SKIP gcc-built tree refuses clang: ${why:0:160}"
		return 0
	fi
	mkdir -p "$d/$kver/module"
	for f in Kbuild module/*.[ch]; do
		cp "$FG_ROOT/$f" "$d/$kver/$f"
	done
	if make -C "$TREE" M="$d/$kver" LLVM=1 W=1 modules >"$d/build.log" 2>&1 &&
	   ! grep -qiE 'warning|error:' "$d/build.log"; then
		echo "ok - clang build (6.12-debug, $(clang --version | head -n 1)) W=1"
		return 0
	fi
	echo "not ok - clang build (6.12-debug) W=1"
	grep -iE -A3 'warning|error' "$d/build.log" | head -n 60 | sed 's/^/#   /' || true
	return 1
}

case ${1:-} in
--dir)
	echo "$TREE"
	;;
--tap)
	start=$(date +%s)
	if (ensure) >&2; then
		echo "ok - debug kernel $(<"$TREE/include/config/kernel.release") ($(( $(date +%s) - start ))s)"
	else
		echo "not ok - debug kernel"
		exit 1
	fi
	;;
--clang)
	[[ -f $TREE/.fg-built ]] || fg_die "the debug kernel is not built"
	clang_build
	;;
"")
	ensure >&2
	echo "$TREE"
	;;
*)
	sed -n '19,26s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
