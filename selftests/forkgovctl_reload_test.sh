#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# "systemctl reload forkgov" against the real module, in a test guest: the
# ExecStart and ExecReload lines of packaging/systemd/forkgov.service, run as
# written (with the tool and the configuration directory of the test) inside
# the unit's sandbox as far as a guest without systemd can build it (see
# sandboxed()), must leave policies set by hand and by the OCI hook alone,
# and delete a policy only when it left the configuration after an apply set
# it.  Then the OCI
# hook (forkgovctl oci-hook) against real processes: a container in the root
# cgroup, or sharing the hook's cgroup, gets no policy; annotation values
# never become options.  Prints TAP.
#
# Needs root, cgroup2 on /sys/fs/cgroup, forkgov loaded and the tool built
# on the host (make forkgovctl).  Skips (exit 4) when one is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BIN=$PWD/build/forkgovctl/forkgovctl
UNIT=packaging/systemd/forkgov.service
CG=/sys/fs/cgroup
T=fgctl-reload
tmp=$(mktemp -d)
source selftests/lib/tap.sh
export FORKGOV_STATE=$tmp/run/applied

skip_all()
{
	echo "1..0 # SKIP $1"
	exit 4
}

check()
{
	local rc=$1 what=$2

	if [[ $rc != 0 ]]; then
		sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null | head -20
		grep "/$T/" /proc/forkgov/policies | cut -d' ' -f1-4 | sed 's/^/# table: /'
	fi
	ok "$rc" "$what"
}

# The forkgovctl command of a unit line (ExecStart or ExecReload), for this
# test: its own tool, and its configuration directories under $tmp.
unit_cmd()
{
	sed -n "s|^$1=@SBINDIR@/forkgovctl \(.*\)\$|$BIN \1 --root $tmp|p" "$UNIT"
}

# Run a command as forkgov.service's sandbox would: the unit's bounding set
# (CapabilityBoundingSet=), no_new_privs, every mount read-only
# (ProtectSystem=strict) except the cgroup tree (create = yes), /proc and the
# state directory (RuntimeDirectory=; here the test's $FORKGOV_STATE);
# /sys and /proc/sys read-only (ProtectKernelTunables=), a /proc that hides
# other users' processes (ProtectProc=invisible), and a /dev with no
# /dev/kmsg (PrivateDevices=, ProtectKernelLogs=).  The system call filter
# and the other settings need systemd itself; cli_test.sh scores them.
sandboxed()
{
	local caps

	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr 'A-Z ' 'a-z,' | sed 's/cap_/+/g')
	# shellcheck disable=SC2016 # expanded in the sandbox
	unshare -m --propagation private bash -c '
		set -e
		state=$1 caps=$2
		shift 2
		mkdir -p "$state"
		mount --bind "$state" "$state"
		mount -t proc -o hidepid=invisible proc /proc
		mount -t tmpfs -o mode=0755 dev /dev
		mknod -m 0666 /dev/null c 1 3
		# a mount point with octal escapes in /proc/self/mounts
		# stays as it is
		awk "{ print \$2 }" /proc/self/mounts | while read -r mp; do
			case $mp in
			/proc|/dev|/sys/fs/cgroup|"$state") ;;
			/proc/*|/dev/*) ;;
			*) mount -o remount,bind,ro "$mp" 2>/dev/null || true ;;
			esac
		done
		mount --bind /proc/sys /proc/sys
		mount -o remount,bind,ro /proc/sys
		exec setpriv --bounding-set "-all,$caps" --inh-caps -all --no-new-privs -- "$@"
	' sandbox "${FORKGOV_STATE%/*}" "$caps" "$@"
}

# "policy CGROUP rate=R" of the table, or nothing
policy_of()
{
	grep "^policy $1 " /proc/forkgov/policies | cut -d' ' -f1-3
}

hook()
{
	FORKGOV_STATE=$tmp/none "$BIN" oci-hook >"$tmp/out" 2>"$tmp/err"
}

spids=()
cleanup()
{
	local c

	for p in "${spids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for c in a b hand hook hook2 made/here made; do
		"$BIN" del "/$T/$c" >/dev/null 2>&1
		rmdir "$CG/$T/$c" 2>/dev/null
	done
	rmdir "$CG/$T" 2>/dev/null
	rm -rf "$tmp"
}

[[ $(id -u) == 0 ]] || skip_all "needs root"
[[ -x $BIN ]] || skip_all "$BIN not built (make forkgovctl)"
grep -q cgroup2 /proc/filesystems && [[ -f $CG/cgroup.controllers ]] ||
	skip_all "cgroup2 is not mounted on $CG"
[[ -f /proc/forkgov/policies ]] || skip_all "forkgov is not loaded"
trap cleanup EXIT
mkdir -p "$CG/$T/a" "$CG/$T/b" "$CG/$T/hand" "$CG/$T/hook" "$CG/$T/hook2" "$tmp/etc/forkgov.d"
"$BIN" flush >/dev/null 2>&1

echo "TAP version 13"

start=$(unit_cmd ExecStart)
reload=$(unit_cmd ExecReload)
[[ $start == "$BIN apply "* && $reload == "$BIN apply "* ]]
ok $? "the unit's ExecStart and ExecReload run forkgovctl apply ($reload)"

# The sandbox is real: nothing else writable, no kmsg, one capability.
# shellcheck disable=SC2016 # expanded in the sandbox
sandboxed bash -c '! : >/etc/fg-sandbox-probe && ! : >"$1/probe" &&
	! : >/proc/sys/kernel/forkgov/enabled && [[ ! -e /dev/kmsg ]] &&
	: >"${FORKGOV_STATE%/*}/probe" && rm "${FORKGOV_STATE%/*}/probe" &&
	grep -qx "CapBnd:	0000000000200000" /proc/self/status' sh "$tmp" >"$tmp/out" 2>"$tmp/err"
check $? "the sandbox: read-only but for the state directory, no /dev/kmsg, only CAP_SYS_ADMIN"

cat >"$tmp/etc/forkgov.d/10-test.conf" <<EOF
[/$T/a]
rate = 10
[/$T/b]
rate = 20
EOF
# shellcheck disable=SC2086 # the unit's words
sandboxed $start >"$tmp/out" 2>"$tmp/err" && [[ -n $(policy_of "/$T/a") && -n $(policy_of "/$T/b") ]] &&
	grep -q "^set /$T/b rate=20/s " "$FORKGOV_STATE"
check $? "start, in the unit's sandbox, applies the configuration and records what it set"

# create = yes in the sandbox: the cgroup tree stays writable (a
# configuration and state of their own, so the counts below stay)
mkdir -p "$tmp/m/etc/forkgov.d"
printf '[/%s/made/here]
rate = 30
create = yes
' "$T" >"$tmp/m/etc/forkgov.d/made.conf"
# shellcheck disable=SC2086
FORKGOV_STATE=$tmp/m/run/applied sandboxed ${start% --root *} --root "$tmp/m" >"$tmp/out" 2>"$tmp/err" &&
	[[ -d $CG/$T/made/here && $(policy_of "/$T/made/here") == "policy /$T/made/here rate=30/s" ]] &&
	grep -q "^set /$T/made/here rate=30/s " "$tmp/m/run/applied"
check $? "start, in the unit's sandbox, makes the cgroup of a create = yes section"
"$BIN" del "/$T/made/here" >/dev/null 2>&1

# a policy by hand, and one by the OCI hook for a "container" in /T/hook
"$BIN" set "/$T/hand" rate 3 >/dev/null
sleep 60 &
spids+=($!)
echo "${spids[0]}" >"$CG/$T/hook/cgroup.procs"
printf '{"ociVersion":"1.0.2","id":"x","status":"created","pid":%d,"bundle":"/","annotations":{"io.forkgov.policy":"rate=7/s,burst=9"}}' "${spids[0]}" | hook &&
	[[ $(policy_of "/$T/hook") == "policy /$T/hook rate=7/s" ]]
check $? "OCI hook puts the annotation's policy on the container's cgroup"

before_hand=$(grep "^policy /$T/hand " /proc/forkgov/policies | cut -d' ' -f1-9)
before_hook=$(grep "^policy /$T/hook " /proc/forkgov/policies | cut -d' ' -f1-9)
# /T/b leaves the configuration, /T/a changes
cat >"$tmp/etc/forkgov.d/10-test.conf" <<EOF
[/$T/a]
rate = 11
EOF
# shellcheck disable=SC2086
sandboxed $reload >"$tmp/out" 2>"$tmp/err" && grep -q '1 replaced, 1 deleted' "$tmp/out"
check $? "reload: 1 replaced, 1 deleted"

[[ $(grep "^policy /$T/hand " /proc/forkgov/policies | cut -d' ' -f1-9) == "$before_hand" ]]
check $? "reload keeps the policy set by hand"
[[ $(grep "^policy /$T/hook " /proc/forkgov/policies | cut -d' ' -f1-9) == "$before_hook" ]]
check $? "reload keeps the policy set by the OCI hook"
[[ -z $(policy_of "/$T/b") ]]
check $? "reload deletes the policy removed from the configuration"
[[ $(policy_of "/$T/a") == "policy /$T/a rate=11/s" ]]
check $? "reload replaces the policy changed in the configuration"

# shellcheck disable=SC2086
sandboxed $reload >"$tmp/out" 2>"$tmp/err" && grep -q '0 added, 0 replaced, 0 deleted, 1 unchanged' "$tmp/out"
check $? "reload again changes nothing"

# a configured cgroup whose policy the OCI hook set (owner oci): reload
# replaces only what its own owner (config) set
cat >"$tmp/etc/forkgov.d/10-test.conf" <<EOF
[/$T/a]
rate = 11
[/$T/hook]
rate = 1
EOF
# shellcheck disable=SC2086
sandboxed $reload >"$tmp/out" 2>"$tmp/err" && grep -q "kept /$T/hook: its policy is owner oci's, not config's" "$tmp/err" &&
	[[ $(policy_of "/$T/hook") == "policy /$T/hook rate=7/s" ]] &&
	grep -q "^policy /$T/hook .* owner=oci " /proc/forkgov/policies &&
	grep -q "^policy /$T/a .* owner=config " /proc/forkgov/policies
check $? "reload leaves a configured cgroup's policy set by the OCI hook (owner oci)"

# a configured cgroup whose policy was set by hand (owner cli): the reload
# keeps it; a plain apply refuses the whole configuration, changing
# nothing; only --take-over replaces it
cat >"$tmp/etc/forkgov.d/10-test.conf" <<EOF
[/$T/a]
rate = 13
[/$T/hand]
rate = 1
EOF
# shellcheck disable=SC2086
sandboxed $reload >"$tmp/out" 2>"$tmp/err" && grep -q "kept /$T/hand: its policy is owner cli's, not config's" "$tmp/err" &&
	[[ $(grep "^policy /$T/hand " /proc/forkgov/policies | cut -d' ' -f1-9) == "$before_hand" ]] &&
	grep -q "^policy /$T/hand .* owner=cli " /proc/forkgov/policies &&
	[[ $(policy_of "/$T/a") == "policy /$T/a rate=13/s" ]]
check $? "reload leaves a configured cgroup's policy set by hand (owner cli)"

cat >"$tmp/etc/forkgov.d/10-test.conf" <<EOF
[/$T/a]
rate = 11
[/$T/hand]
rate = 1
EOF
before=$(cut -d' ' -f1-3 /proc/forkgov/policies)
"$BIN" apply --skip-missing --root "$tmp" >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ $rc == 7 ]] && grep -q "^Error: /$T/hand has a policy of owner cli; apply replaces only owner config's policies" "$tmp/err" &&
	grep -q 'nothing was changed' "$tmp/err" && [[ $before == "$(cut -d' ' -f1-3 /proc/forkgov/policies)" ]] &&
	[[ $(policy_of "/$T/a") == "policy /$T/a rate=13/s" ]]
check $? "plain apply with a cgroup set by hand: exit 7, nothing changed"

"$BIN" apply --skip-missing --take-over --root "$tmp" >"$tmp/out" 2>"$tmp/err" &&
	grep -q "^policy /$T/hand rate=1/s .* owner=config " /proc/forkgov/policies &&
	[[ $(policy_of "/$T/a") == "policy /$T/a rate=11/s" ]]
check $? "apply --take-over replaces it, as the configuration's"

# a policy the configuration set, changed by hand since, then dropped from it
"$BIN" set "/$T/a" rate 12 >/dev/null
: >"$tmp/etc/forkgov.d/10-test.conf"
# shellcheck disable=SC2086
sandboxed $reload >"$tmp/out" 2>"$tmp/err" && [[ $(policy_of "/$T/a") == "policy /$T/a rate=12/s" ]] &&
	grep -q "kept /$T/a: its policy was changed since" "$tmp/err"
check $? "reload keeps a policy changed by hand since the configuration set it"

# ---- the OCI hook against real processes ------------------------------------
sleep 60 &
spids+=($!)
root_pid=${spids[1]}
echo "$root_pid" >"$CG/cgroup.procs"
before=$(cut -d' ' -f1-3 /proc/forkgov/policies)
printf '{"pid":%d,"annotations":{"io.forkgov.policy":"rate=0"}}' "$root_pid" | hook
rc=$?
[[ $rc != 0 ]] && grep -q 'in the root cgroup' "$tmp/err" &&
	[[ $before == "$(cut -d' ' -f1-3 /proc/forkgov/policies)" ]] && ! grep -q '^policy / ' /proc/forkgov/policies
check $? "OCI hook: a container in the root cgroup gets no policy on /"

# the hook's own cgroup: the "container" shares it
mycg=$(sed -n 's/^0:://p' /proc/self/cgroup)
printf '{"pid":%d,"annotations":{"io.forkgov.policy":"rate=0"}}' $$ | hook
rc=$?
[[ $rc != 0 ]] && { grep -q 'in the root cgroup' "$tmp/err" || grep -q 'has no cgroup of its own' "$tmp/err"; } &&
	[[ $before == "$(cut -d' ' -f1-3 /proc/forkgov/policies)" ]]
check $? "OCI hook: a container in the hook's own cgroup ($mycg) gets no policy"

echo "${spids[1]}" >"$CG/$T/hook2/cgroup.procs"
for a in '-j' '--help' 'rate=1,-j' 'rate=1\nflush' 'rate=1\u001b[2J' 'rate=99999999999999999999' 'rate=1,mt-warn=off'; do
	printf '{"pid":%d,"annotations":{"io.forkgov.policy":"%s"}}' "${spids[1]}" "$a" | hook && break
	grep -q '[^[:print:]]' "$tmp/err" && break
done
rc=$?
[[ $rc != 0 ]] && [[ -z $(policy_of "/$T/hook2") ]] && [[ ! -s $tmp/out ]] &&
	[[ $before == "$(cut -d' ' -f1-3 /proc/forkgov/policies)" ]]
check $? "OCI hook: hostile annotations are refused, printably, and change nothing"

# ---- the host's file for the hook: a template, and annotations only tighter ----
conf=$tmp/oci-hook.conf
ohook()
{
	FORKGOV_OCI_CONF=$conf hook
}
printf 'template = rate=4/s,burst=8,action=throttle\nmax-rate = 50/s\n' >"$conf"
printf '{"pid":%d,"annotations":{}}' "${spids[1]}" | ohook &&
	[[ $(policy_of "/$T/hook2") == "policy /$T/hook2 rate=4/s" ]] &&
	grep -q "^policy /$T/hook2 .* owner=oci " /proc/forkgov/policies
check $? "OCI hook: a container without the annotation gets the host's template"

printf '{"pid":%d,"annotations":{"io.forkgov.policy":"rate=5/s"}}' "${spids[1]}" | ohook
rc=$?
[[ $rc != 0 ]] && grep -q "than this host's template" "$tmp/err" &&
	[[ $(policy_of "/$T/hook2") == "policy /$T/hook2 rate=4/s" ]]
check $? "OCI hook: an annotation looser than the template is refused"

printf '{"pid":%d,"annotations":{"io.forkgov.policy":"rate=2/s,burst=4,action=deny"}}' "${spids[1]}" | ohook &&
	[[ $(policy_of "/$T/hook2") == "policy /$T/hook2 rate=2/s" ]] &&
	printf '{"pid":%d,"annotations":{}}' "${spids[1]}" | ohook &&
	[[ $(policy_of "/$T/hook2") == "policy /$T/hook2 rate=2/s" ]]
check $? "OCI hook: a stricter annotation replaces it, and the template never replaces a policy"

printf 'template = rate=4/s\nallow-keys = rate, speed\n' >"$conf"
printf '{"pid":%d,"annotations":{"io.forkgov.policy":"rate=1/s"}}' "${spids[1]}" | ohook
rc=$?
[[ $rc == 4 ]] && grep -q "oci-hook.conf:2: allow-keys names a key" "$tmp/err" &&
	[[ $(policy_of "/$T/hook2") == "policy /$T/hook2 rate=2/s" ]]
check $? "OCI hook: a broken host file refuses the container and changes nothing"

# ---- rate=none in every output -------------------------------------------------
"$BIN" set "/$T/hand" rate none mt-warn on >/dev/null &&
	"$BIN" list | grep -q "^/$T/hand  *none  *-  *-  *- " &&
	"$BIN" -j show "/$T/hand" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert (d["rate"], d["rate_per_s"], d["burst"], d["action"]) == ("none", None, None, None), d' &&
	"$BIN" list --prometheus >"$tmp/prom" && grep -q "^forkgov_policy_info{cgroup=\"/$T/hand\",policy=\"/$T/hand\",kind=\"policy\",action=\"none\"" "$tmp/prom" &&
	! grep -q "^forkgov_rate_per_second{cgroup=\"/$T/hand\"" "$tmp/prom" &&
	"$BIN" -j sysctl | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["enabled"] == 1 and type(d["max_policies"]) is int, d'
check $? "rate=none shows as none in list, show -j and --prometheus; knobs are JSON numbers"

echo "1..$n"
exit $failed
