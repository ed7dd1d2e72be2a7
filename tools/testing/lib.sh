# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the forkgov test harness.  Source it; do not run it.
# shellcheck shell=bash disable=SC2034

FG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FG_CACHE=${FORKGOV_CACHE:-$HOME/.cache/forkgov}
FG_KERNELS_CONF=$FG_ROOT/tools/testing/kernels.conf

fg_die()
{
	echo "${0##*/}: $*" >&2
	exit 1
}

fg_log()
{
	echo "${0##*/}: $*" >&2
}

# Print the lines of kernels.conf as "alias pinned pattern".
fg_matrix()
{
	grep -Ev '^[[:space:]]*(#|$)' "$FG_KERNELS_CONF"
}

# A kernel version is usable when its image and its headers are both installed.
fg_kver_installed()
{
	[[ -e /boot/vmlinuz-$1 && -d /usr/src/linux-headers-$1 && -d /lib/modules/$1 ]]
}

# Resolve an alias (6.1, 6.12, 6.12-rt) or a full version to an installed
# kernel version: the pinned one if it is there, else the newest installed
# version that matches the alias's pattern.
fg_kver()
{
	local want=$1 alias pinned pattern v

	# The debug kernel is built, not installed (see the end of this file).
	if fg_is_debug "$want"; then
		fg_debug_kver
		return
	fi
	while read -r alias pinned pattern; do
		[[ $want == "$alias" || $want == "$pinned" ]] || continue
		if fg_kver_installed "$pinned"; then
			echo "$pinned"
			return 0
		fi
		v=$(ls /boot | sed -n 's/^vmlinuz-//p' | grep -E "$pattern" |
		    sort -V | while read -r v; do
			fg_kver_installed "$v" && echo "$v"
		    done | tail -n 1)
		[[ -n $v ]] || fg_die "no installed kernel for $want (run make deps)"
		echo "$v"
		return 0
	done < <(fg_matrix)

	fg_kver_installed "$want" || fg_die "kernel $want is not installed"
	echo "$want"
}

# The short alias of a resolved version, for messages; the version itself if
# it is not in the matrix.
fg_kalias()
{
	local alias pinned pattern

	if fg_is_debug "$1"; then
		echo "$FG_DEBUG_ALIAS"
		return 0
	fi
	while read -r alias pinned pattern; do
		if [[ $1 == "$pinned" ]] || grep -qE "$pattern" <<<"$1"; then
			echo "$alias"
			return 0
		fi
	done < <(fg_matrix)
	echo "$1"
}

# Every kernel of the matrix, resolved, one per line.
fg_matrix_kvers()
{
	local alias pinned pattern

	while read -r alias pinned pattern; do
		fg_kver "$alias"
	done < <(fg_matrix)
}

# ---- The debug kernel (tools/testing/debug-kernel.sh, issue 8) ------------
# Built from linux-source-6.12 into $FG_CACHE, never installed: alias
# 6.12-debug, release <version>-forkgov-debug.  These helpers give the paths
# of any kernel, matrix or debug; fg_kver resolves the alias once it is built.
FG_DEBUG_ALIAS=6.12-debug
FG_DEBUG_SUFFIX=-forkgov-debug

fg_is_debug()
{
	[[ $1 == "$FG_DEBUG_ALIAS" || $1 == *"$FG_DEBUG_SUFFIX" ]]
}

# The debug kernel's tree (built or not).
fg_debug_tree()
{
	"$FG_ROOT/tools/testing/debug-kernel.sh" --dir
}

# The release of the built debug kernel.
fg_debug_kver()
{
	local tree

	tree=$(fg_debug_tree)
	[[ -f $tree/.fg-built ]] ||
		fg_die "the debug kernel is not built (run tools/testing/debug-kernel.sh)"
	cat "$tree/include/config/kernel.release"
}

# The kernel image, the tree to build modules against and the modules
# directory (modules.dep, modules.builtin) of a resolved version.
fg_kimage()
{
	if fg_is_debug "$1"; then
		echo "$(fg_debug_tree)/arch/x86/boot/bzImage"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

fg_kdir()
{
	if fg_is_debug "$1"; then
		fg_debug_tree
	else
		echo "/usr/src/linux-headers-$1"
	fi
}

fg_kmoddir()
{
	if fg_is_debug "$1"; then
		echo "$(dirname "$(fg_debug_tree)")/root/lib/modules/$1"
	else
		echo "/lib/modules/$1"
	fi
}
