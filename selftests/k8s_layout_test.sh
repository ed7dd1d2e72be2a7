#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Kubernetes layouts of both kubelet cgroup drivers against the real
# module, in a test guest.  packaging/forkgov.d/kubernetes.conf is applied
# first, when no kubepods cgroup exists (its policies are pending); then the
# trees are built by hand, as kubelet would build them, with mkdir:
#
#   systemd:  /kubepods.slice/kubepods-pod<uid>.slice/cri-containerd-<id>.scope
#             /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/...
#             /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid>.slice/...
#   cgroupfs: /kubepods/pod<uid>/<id>, /kubepods/burstable/pod<uid>/<id>,
#             /kubepods/besteffort/pod<uid>/<id>
#
# Every template must turn active; a task in each container forks a number
# of times of its own, and each pod must have its own bucket that counted
# exactly its forks.  Removing and recreating a tree brings the templates
# back (persist).  Prints TAP.
#
# Needs root, cgroup2 on /sys/fs/cgroup, forkgov loaded, python3 and the
# tool built on the host (make forkgovctl).  Skips (exit 4) when one is
# missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BIN=$PWD/build/forkgovctl/forkgovctl
CONF=packaging/forkgov.d/kubernetes.conf
CG=/sys/fs/cgroup
tmp=$(mktemp -d)
source selftests/lib/tap.sh
export FORKGOV_STATE=$tmp/applied

skip_all()
{
	echo "1..0 # SKIP $1"
	exit 4
}

scale=${FG_TIMEOUT_SCALE:-1}

# The pods: QoS class, uid, container id, forks to make.  The systemd
# driver writes the uid's dashes as underscores.
uid() { printf '%08x-1111-2222-3333-%012x' "$1" "$1"; }
cid() { printf '%064x' "$((0xc0 + $1))"; }

# "driver path-of-pod path-of-container template forks" lines
pods()
{
	local i=1 q u us c

	for q in guaranteed guaranteed burstable burstable besteffort; do
		u=$(uid "$i")
		us=${u//-/_}
		c=$(cid "$i")
		case $q in
		guaranteed)
			echo "systemd /kubepods.slice/kubepods-pod$us.slice cri-containerd-$c.scope /kubepods.slice $i"
			echo "cgroupfs /kubepods/pod$u $c /kubepods $i"
			;;
		*)
			echo "systemd /kubepods.slice/kubepods-$q.slice/kubepods-$q-pod$us.slice cri-containerd-$c.scope /kubepods.slice/kubepods-$q.slice $i"
			echo "cgroupfs /kubepods/$q/pod$u $c /kubepods/$q $i"
			;;
		esac
		i=$((i + 1))
	done
}

templates=(/kubepods.slice /kubepods.slice/kubepods-burstable.slice
	   /kubepods.slice/kubepods-besteffort.slice
	   /kubepods /kubepods/burstable /kubepods/besteffort)

# The value of KEY on the line of /proc/forkgov/policies that starts with
# "KIND PATH ", or nothing
field()
{
	awk -v head="$1 $2" -v key="$3" '
		index($0, head " ") == 1 {
			for (i = 3; i <= NF; i++)
				if (index($i, key "=") == 1) { print substr($i, length(key) + 2); exit }
		}' /proc/forkgov/policies
}

# Wait for every template to be in STATE.
wait_templates()
{
	local t i all

	for ((i = 0; i < 100 * scale; i++)); do
		all=1
		for t in "${templates[@]}"; do
			[[ $(field policy "$t" state) == "$1" ]] || { all=0; break; }
		done
		((all)) && return 0
		sleep 0.1
	done
	for t in "${templates[@]}"; do
		echo "# $t: state=$(field policy "$t" state)"
	done
	return 1
}

# N forks from a task in cgroup PATH; prints how many failed
fork_in()
{
	python3 - "$CG$1/cgroup.procs" "$2" <<'EOF'
import os, sys
with open(sys.argv[1], "w") as f:
    f.write(str(os.getpid()))
failed = 0
for _ in range(int(sys.argv[2])):
    try:
        pid = os.fork()
    except OSError:
        failed += 1
        continue
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print(failed)
EOF
}

rm_tree()
{
	local d

	[[ -d $CG$1 ]] || return 0
	# deepest first
	while read -r d; do
		rmdir "$d" 2>/dev/null
	done < <(find "$CG$1" -depth -type d)
}

cleanup()
{
	"$BIN" flush >/dev/null 2>&1
	rm_tree /kubepods.slice
	rm_tree /kubepods
	rm -rf "$tmp"
}

[[ $(id -u) == 0 ]] || skip_all "needs root"
[[ -x $BIN ]] || skip_all "$BIN not built (make forkgovctl)"
command -v python3 >/dev/null || skip_all "needs python3"
grep -q cgroup2 /proc/filesystems && [[ -f $CG/cgroup.controllers ]] ||
	skip_all "cgroup2 is not mounted on $CG"
[[ -f /proc/forkgov/policies ]] || skip_all "forkgov is not loaded"
[[ ! -e $CG/kubepods.slice && ! -e $CG/kubepods ]] ||
	skip_all "this host has kubepods cgroups of its own"
trap cleanup EXIT
"$BIN" flush >/dev/null 2>&1

echo "TAP version 13"

"$BIN" apply "$CONF" >"$tmp/out" 2>"$tmp/err" &&
	grep -q '6 added' "$tmp/out" && wait_templates pending
rc=$?
[[ $rc == 0 ]] || sed 's/^/# /' "$tmp/out" "$tmp/err"
ok "$rc" "the configuration applies before any kubepods cgroup exists: six pending templates"

"$BIN" list --owner config >"$tmp/list" &&
	[[ $(grep -c ' pending+persist  config ' "$tmp/list") == 6 ]]
rc=$?
[[ $rc == 0 ]] || sed 's/^/# /' "$tmp/list"
ok "$rc" "list --owner config shows them pending, persistent, owned by config"

build_trees()
{
	local drv pod ctr tpl n

	while read -r drv pod ctr tpl n; do
		mkdir -p "$CG$pod/$ctr" || return 1
	done < <(pods)
}

build_trees && wait_templates active
ok $? "mkdir of both trees, as kubelet would: every template turns active"

check_pods()
{
	local drv pod ctr tpl n failed allowed rc=0

	while read -r drv pod ctr tpl n; do
		failed=$(fork_in "$pod/$ctr" "$n")
		allowed=$(field child "$pod" allowed)
		if [[ $failed != 0 || $(field child "$pod" policy) != "$tpl" || $allowed != "$n" ]]; then
			echo "# $drv $pod: failed=$failed policy=$(field child "$pod" policy) allowed=$allowed, want $n"
			rc=1
		fi
	done < <(pods)
	return "$rc"
}

check_pods
ok $? "each pod of each QoS class and driver has a bucket of its own that counted its forks"

# The class slices are children of the top template too: one bucket each
# for all Burstable and all BestEffort pods (3 + 4 forks, and 5).
[[ $(field child /kubepods.slice/kubepods-burstable.slice allowed) == 7 &&
   $(field child /kubepods.slice/kubepods-besteffort.slice allowed) == 5 &&
   $(field child /kubepods/burstable allowed) == 7 &&
   $(field child /kubepods/besteffort allowed) == 5 ]]
ok $? "the top template gives each of the Burstable and BestEffort classes one bucket as a whole"

# kubelet restarted on a clean node: the trees go and come back.
rm_tree /kubepods.slice
rm_tree /kubepods
wait_templates pending
ok $? "removing the trees leaves the templates pending (persist)"

build_trees && wait_templates active && check_pods
ok $? "recreated trees: templates active again, fresh buckets per pod"

echo "1..$n"
exit $failed
