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
