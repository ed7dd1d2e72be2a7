#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing forkgov needs, from Debian's archive.
# Idempotent and quiet: when everything is already there it only checks (about
# a second) and never touches the network.  See kernels.conf for the matrix.
# Package names given as arguments are wanted too (bench/run.sh: gnuplot-nox).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BASE_PKGS=(gcc make perl python3 kmod libc6-dev linux-libc-dev
	   qemu-system-x86 sparse busybox-static stress-ng cpio zstd xz-utils
	   linux-source-6.12 auditd tmux dkms python3-docutils linux-perf
	   bash-completion
	   # systemd-analyze verify and security (cli_test.sh)
	   systemd
	   # the Debian packages (debian/, mk/deb.mk): dpkg-buildpackage and lintian
	   debhelper dh-dkms lintian fakeroot dpkg-dev
	   # the debug kernel (debug-kernel.sh) builds from linux-source-6.12
	   bison flex bc libelf-dev libssl-dev)

apt_updated=
apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT

as_root()
{
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	else
		sudo "$@"
	fi
}

apt_update()
{
	[[ -z $apt_updated ]] || return 0
	fg_log "apt-get update"
	as_root apt-get update -qq >"$apt_log" 2>&1 || {
		cat "$apt_log" >&2
		fg_die "apt-get update failed"
	}
	apt_updated=1
}

pkg_installed()
{
	[[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# Does apt know a package that can be installed?  (Not "| grep -q": with
# pipefail, apt-cache's SIGPIPE when grep stops reading fails the test.)
pkg_available()
{
	local policy

	policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
	[[ $policy =~ Candidate:\ [^\(] ]]
}

# The image/headers pair to install for one matrix line: the pinned version
# if apt still offers it, else the newest version matching the pattern for
# which apt offers both packages.
pick_kver()
{
	local pinned=$1 pattern=$2 v

	if pkg_available "linux-image-$pinned-unsigned" &&
	   pkg_available "linux-headers-$pinned"; then
		echo "$pinned"
		return 0
	fi
	apt-cache pkgnames linux-headers- | sed 's/^linux-headers-//' |
		grep -E "$pattern" | sort -Vr | while read -r v; do
			if pkg_available "linux-image-$v-unsigned"; then
				echo "$v"
				break
			fi
		done
}

main()
{
	local want=() alias pinned pattern v p

	for p in "${BASE_PKGS[@]}" "$@"; do
		pkg_installed "$p" || want+=("$p")
	done
	# A package that is missing may only be unknown to a never-updated apt.
	for p in "${want[@]}"; do
		pkg_available "$p" || apt_update
	done

	while read -r alias pinned pattern; do
		fg_kver_installed "$pinned" && continue
		# Keep a fallback installed by an earlier run; do not chase updates.
		(fg_kver "$alias") >/dev/null 2>&1 && continue
		apt_update
		v=$(pick_kver "$pinned" "$pattern")
		[[ -n $v ]] || fg_die "apt offers no kernel matching $pattern for $alias"
		[[ $v == "$pinned" ]] || fg_log "$alias: $pinned is gone, using $v"
		want+=("linux-image-$v-unsigned" "linux-headers-$v")
	done < <(fg_matrix)

	[[ ${#want[@]} -gt 0 ]] || return 0
	fg_log "installing ${want[*]}"
	as_root env INITRD=No DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${want[@]}" \
		</dev/null >"$apt_log" 2>&1 || {
		cat "$apt_log" >&2
		fg_die "apt-get install failed"
	}
}

main "$@"
