#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# forkgovctl as a program, and the packaging around it, on the host against
# fake proc files: exit codes, help, the example configuration, the bash
# completion, the OCI hook and the systemd unit.  Prints TAP.
set -uo pipefail

BIN=${FGCTL_BIN:-build/forkgovctl/forkgovctl}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$ROOT/selftests/lib/tap.sh"

skip()
{
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

mkdir -p "$tmp/proc" "$tmp/sysctl" "$tmp/cg/build.slice" "$tmp/cg/machine.slice" "$tmp/cg/odd name"
cat >"$tmp/proc/policies" <<'T'
policy /old.slice rate=5/s burst=5 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-
T
printf 'version 0.1.0\nenabled 1\n' >"$tmp/proc/stats"
echo 1 >"$tmp/sysctl/enabled"
export FORKGOV_PROC=$tmp/proc FORKGOV_SYSCTL=$tmp/sysctl FORKGOV_CGROUP2=$tmp/cg
export FORKGOV_SYSMODULE=$tmp/nomodule FORKGOV_WRITE_TO=$tmp/written
export FORKGOV_STATE=$tmp/run/applied

echo "TAP version 13"
echo "1..15"

"$BIN" --help | grep '^Usage: forkgovctl' >/dev/null && "$BIN" help >/dev/null
ok $? "help"

[[ $("$BIN" -V) == "forkgovctl 0.1.0" ]]
ok $? "version"

"$BIN" >/dev/null 2>&1
ok $(($? != 1)) "no command: exit 1"

"$BIN" --bogus list >/dev/null 2>&1
ok $(($? != 1)) "unknown option: exit 1"

FORKGOV_PROC=$tmp/none "$BIN" list 2>"$tmp/err"
rc=$?
[[ $rc == 3 ]] && grep -q 'modprobe forkgov' "$tmp/err"
ok $? "module not loaded: exit 3 and a hint"

# The shipped example, as a live config: two of its cgroups exist here.
mkdir -p "$tmp/etc"
cp "$ROOT/packaging/forkgov.d/example.conf" "$tmp/etc/example.conf"
"$BIN" apply --dry-run --skip-missing "$tmp/etc" >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ $rc == 0 ]] && grep -q '^+ /build.slice rate 50/s burst 200 action throttle max-delay 2000ms' "$tmp/out" &&
	grep -q '^+ /machine.slice rate 20/s burst 100 .*scope per-child' "$tmp/out" &&
	grep -q '^- /old.slice' "$tmp/out" && grep -q 'cron.service does not exist; skipped' "$tmp/err" &&
	[[ ! -e $tmp/written ]]
ok $? "example.conf parses; dry run shows the diff and writes nothing"

"$BIN" apply --skip-missing "$tmp/etc" >/dev/null 2>&1 &&
	[[ $(cat "$tmp/written") == $'del /old.slice\nset /build.slice rate=50/s burst=200 action=throttle max_delay=2000 owner=config\nset /machine.slice rate=20/s burst=100 scope=per-child owner=config' ]]
ok $? "apply writes deletions first, then the sets, in one transaction"

cp "$tmp/proc/policies" "$tmp/policies.saved"
cat >>"$tmp/proc/policies" <<'T'
policy /odd\040name rate=5/s burst=5 action=deny max_delay=1000 scope=per-child count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-
child /odd\040name/pod\040b policy=/odd\040name tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-
T
echo 1024 >"$tmp/sysctl/max_policies"
mkdir -p "$tmp/textfile"
touch "$tmp/textfile/forkgov.prom" "$tmp/textfile/notes.txt"
# Drive the completion as bash does: COMP_LINE, COMP_POINT and the words.
cat >"$tmp/complete.sh" <<'SH'
source /usr/share/bash-completion/bash_completion
source "$1"
BIN=$2
MAIN_C=$3
# complete WORD...: COMPREPLY for the last WORD, as bash would ask for it.
complete_words()
{
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_forkgovctl forkgovctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}
# expect WANT WORD...: completing the last WORD gives exactly WANT.
expect()
{
	local want=$1
	shift
	complete_words "$@"
	[[ "${COMPREPLY[*]}" == "$want" ]] && return
	echo "# completing '$COMP_LINE': got '${COMPREPLY[*]}', want '$want'"
	exit 1
}
# offers WANT WORD...: completing the last WORD offers WANT, among others.
offers()
{
	local want=$1 w
	shift
	complete_words "$@"
	for w in "${COMPREPLY[@]}"; do
		[[ $w == "$want" ]] && return
	done
	echo "# completing '$COMP_LINE' does not offer '$want': got '${COMPREPLY[*]}'"
	exit 1
}
expect set forkgovctl se
expect oci-hook forkgovctl oc
expect metrics forkgovctl me
expect mt forkgovctl mt
expect '--prometheus --noheadings' forkgovctl mt --
expect 'deny throttle log' forkgovctl set /build.slice rate 5 action ''
expect deny-delay forkgovctl set /build.slice rate 5 de
expect '--dry-run --keep-unmanaged --take-over --skip-missing --owner --root' forkgovctl apply --
expect --take-over forkgovctl apply --t
expect --prometheus forkgovctl status --
expect --noheadings forkgovctl list --noh
expect --noheadings forkgovctl watch --n
expect --raw forkgovctl list --ra
expect 'logged' forkgovctl list -o lo
expect 'cgroup,denied' forkgovctl watch --output cgroup,d
expect --prometheus forkgovctl show /build.slice --
# a path with a space: \040 in the table, quoted for the shell
expect '/odd\ name /odd\ name/pod\ b' forkgovctl show /od
expect '/odd\ name' forkgovctl del '/odd\ n'
expect '/odd\ name' forkgovctl set /od

# the root level: every global option, and the command after an option's value
expect '-j --json -p --pretty --prometheus -o --output -r --raw --noheadings -V --version -h --help' forkgovctl -
expect '--output' forkgovctl --ou
expect 'cgroup' forkgovctl -o cg
expect 'list' forkgovctl -o cgroup li
expect 'list' forkgovctl --output cgroup,rate li
expect 'list' forkgovctl --owner me li
expect 'list' forkgovctl --root /tmp li
expect 'list' forkgovctl -j --owner me -r li
expect '' forkgovctl --owner ''
expect 'rate' forkgovctl --owner me set /build.slice ra
expect '/odd\ name' forkgovctl --owner me set --pending /od
expect 'action' forkgovctl set /build.slice burst -1 ac
expect 'del delete' forkgovctl de
# show and watch take a child bucket too, del and suggest only a policy
expect '/old.slice /odd\ name /odd\ name/pod\ b' forkgovctl show /o
expect '/odd\ name/pod\ b' forkgovctl show '/odd\ name/'
expect '/odd\ name/pod\ b' forkgovctl -j show /odd\ name/p
expect '/old.slice /odd\ name' forkgovctl del /o
expect '/odd\ name' forkgovctl delete /odd
expect '/odd\ name' forkgovctl suggest /od
expect 'sample' forkgovctl suggest /old.slice ''
expect 'sample' forkgovctl suggest '/odd\ name' sa
expect '' forkgovctl suggest /old.slice sample ''
expect '' forkgovctl suggest /old.slice x
# watch: each keyword once, the cgroup only as the first argument
expect 'interval iterations /old.slice /odd\ name /odd\ name/pod\ b' forkgovctl watch ''
expect '/odd\ name /odd\ name/pod\ b' forkgovctl watch /od
expect 'interval iterations' forkgovctl watch /old.slice ''
expect 'iterations' forkgovctl watch '/odd\ name' interval 1 it
expect '' forkgovctl watch interval ''
expect '-o --output --noheadings -r --raw' forkgovctl watch /old.slice -
# sysctl: the knobs, once
expect 'enabled' forkgovctl sysctl en
expect 'enabled max_policies' forkgovctl sysctl ''
expect '' forkgovctl sysctl enabled ''
# metrics: a .prom file (or a directory on the way to one)
(cd "$FORKGOV_TEXTFILE" && expect 'forkgov.prom' forkgovctl metrics '') || exit 1
(cd "$FORKGOV_TEXTFILE" && expect '' forkgovctl metrics forkgov.prom '') || exit 1

# Every command of the usage text and of the command table is offered.
cmds=$("$BIN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p; s/^  help | \(version\)$/help \1/p')
cmds+=" $(sed -n 's/^\t{ "\([a-z-]*\)",.*do_.*$/\1/p' "$MAIN_C")"
[[ $cmds == *set* && $cmds == *delete* && $cmds == *version* ]] || { echo "# no commands in '$cmds'"; exit 1; }
for c in $cmds; do
	offers "$c" forkgovctl ''
	offers "$c" forkgovctl "${c:0:2}"
done
# Every option of a command's usage ([--opt]), after that command; every
# one of the OPTIONS block at the root, and after each command it is "with".
"$BIN" --help | awk '
	/^  [a-z]/ && !opts { cmd = $1; if (cmd == "del") cmd = "del delete" }
	/^OPTIONS/ { opts = 1; next }
	/^[^ ]/ { if (opts) exit }
	!opts {
		line = $0
		while (match(line, /\[-[-a-z]+/)) {
			print cmd ":" substr(line, RSTART + 1, RLENGTH - 1)
			line = substr(line, RSTART + RLENGTH)
		}
		next
	}
	{
		n = 0
		line = $0
		while (match(line, /(^| |\|)-[-a-zA-Z]+/)) {
			o = substr(line, RSTART, RLENGTH)
			sub(/^[ |]/, "", o)
			got[++n] = o
			line = substr(line, RSTART + RLENGTH)
		}
		if (n) {
			for (i in last)
				delete last[i]
			for (i = 1; i <= n; i++) {
				last[i] = got[i]
				print ":" got[i]
			}
		}
		if (match($0, /with [a-z, -]+/)) {
			split(substr($0, RSTART + 5), w, /, */)
			for (c in w)
				for (i in last)
					print w[c] ":" last[i]
		}
	}' >"$FORKGOV_TEXTFILE/../usage_opts"
[[ $(wc -l <"$FORKGOV_TEXTFILE/../usage_opts") -gt 20 ]] || { echo "# too few options in the usage"; exit 1; }
while IFS=: read -r cs o; do
	if [[ -z $cs ]]; then
		offers "$o" forkgovctl -
		continue
	fi
	for c in $cs; do
		offers "$o" forkgovctl "$c" -
	done
done <"$FORKGOV_TEXTFILE/../usage_opts"
# Every long option of the getopt table is offered somewhere.
for o in $(sed -n 's/^\t\t{ "\([a-z-]*\)",.*_argument.*$/--\1/p' "$MAIN_C"); do
	found=
	for c in '' $cmds; do
		complete_words forkgovctl $c --
		[[ " ${COMPREPLY[*]} " == *" $o "* ]] && found=1 && break
	done
	[[ -n $found ]] || { echo "# $o of the getopt table is never offered"; exit 1; }
done
# The options that take a value are those of the getopt table.
want=$( (sed -n 's/^\t\t{ "\([a-z-]*\)",[[:space:]]*required_argument.*$/--\1/p' "$MAIN_C"
	 sed -n 's/.*getopt_long(argc, argv, "+\{0,1\}\([^"]*\)".*/\1/p' "$MAIN_C" |
		grep -o '[a-zA-Z]:' | sed 's/^\(.\):$/-\1/') | sort | tr '\n' ' ')
got=$(tr ' ' '\n' <<<"$_forkgovctl_optargs" | sort | tr '\n' ' ')
[[ $want == "$got" && $want == *--owner* ]] || { echo "# options with a value: '$got', the getopt table has '$want'"; exit 1; }
SH
if [[ ! -r /usr/share/bash-completion/bash_completion ]]; then
	skip "bash completion" "no bash-completion package"
else
	bash -n "$ROOT/packaging/bash-completion/forkgovctl" &&
		FORKGOV_TEXTFILE=$tmp/textfile bash "$tmp/complete.sh" "$ROOT/packaging/bash-completion/forkgovctl" \
			"$BIN" "$ROOT/tools/forkgovctl/main.c"
	ok $? "bash completion"
fi
mv "$tmp/policies.saved" "$tmp/proc/policies"

# OCI hook: "forkgovctl oci-hook" with the state on stdin, the policy from
# the annotation, the cgroup of the pid (a fake /proc: the hook refuses a
# container in its own cgroup).  tests/sec_test.c has the hostile cases.
mkdir -p "$tmp/procfs/self" "$tmp/procfs/42" "$tmp/cg/machine.slice/c1"
echo "0::/system.slice/podman.service" >"$tmp/procfs/self/cgroup"
echo "0::/machine.slice/c1" >"$tmp/procfs/42/cgroup"
rm -f "$tmp/written"
printf '{"ociVersion":"1.0.2","id":"c1","status":"created","pid":42,"bundle":"/b","annotations":{"io.forkgov.policy":"rate=20/s,burst=50,action=throttle"}}' |
	FORKGOV_PROCFS=$tmp/procfs "$BIN" oci-hook && [[ $(cat "$tmp/written") == "set /machine.slice/c1 rate=20/s burst=50 action=throttle owner=oci" ]]
ok $? "OCI hook applies the annotation to the container's cgroup"

rm -f "$tmp/written"
echo '{"pid":42,"annotations":{"other":"x"}}' | FORKGOV_PROCFS=$tmp/procfs "$BIN" oci-hook && [[ ! -e $tmp/written ]] &&
	! echo '{"pid":42,"annotations":{"io.forkgov.policy":"rate=5;reboot"}}' | FORKGOV_PROCFS=$tmp/procfs "$BIN" oci-hook 2>/dev/null &&
	! echo '{"pid":42,"annotations":{"io.forkgov.policy":"-j"}}' | FORKGOV_PROCFS=$tmp/procfs "$BIN" oci-hook 2>/dev/null &&
	! printf '{"pid":42,"annotations":{"io.forkgov.policy":"rate=x"}}' | FORKGOV_PROCFS=$tmp/procfs "$BIN" oci-hook 2>/dev/null &&
	[[ ! -e $tmp/written ]]
ok $? "OCI hook: no annotation is a no-op, a bad one fails and writes nothing"

# The shipped hooks.d file, against the schema of containers-common's
# oci-hooks(5), version 1.0.0: it runs for every container (a host's
# template is for those without the annotation), at the stage it names.
python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))
assert set(h) == {"version", "hook", "when", "stages"}, h
assert h["version"] == "1.0.0", h
hook = h["hook"]
assert set(hook) <= {"path", "args", "env", "timeout"}, hook
assert hook["path"] == "@SBINDIR@/forkgovctl" and hook["args"] == ["forkgovctl", "oci-hook"], hook
assert type(hook["timeout"]) is int and hook["timeout"] > 0, hook
assert h["when"] == {"always": True}, h["when"]
stages = {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}
assert h["stages"] == ["createRuntime"] and set(h["stages"]) <= stages, h["stages"]' \
	"$ROOT/packaging/oci/forkgov-hook.json"
ok $? "OCI hook JSON: hooks.d 1.0.0, runs forkgovctl oci-hook for every container at createRuntime"

# Run for every container, the hook must be harmless where it has nothing
# to do: no annotation, no template, no module loaded: exit 0 at once,
# nothing read from /proc/forkgov, nothing written.
rm -f "$tmp/written"
start=$(date +%s%N)
echo '{"ociVersion":"1.0.2","id":"c2","status":"creating","pid":42,"bundle":"/b"}' |
	FORKGOV_PROC=$tmp/none FORKGOV_OCI_CONF=$tmp/no-oci-hook.conf FORKGOV_PROCFS=$tmp/procfs \
	"$BIN" oci-hook 2>"$tmp/err" && [[ ! -s $tmp/err && ! -e $tmp/written ]] &&
	echo '{"pid":42,"annotations":null}' |
	FORKGOV_PROC=$tmp/none FORKGOV_OCI_CONF=$tmp/no-oci-hook.conf "$BIN" oci-hook &&
	(($(date +%s%N) - start < 2000000000))
ok $? "OCI hook: nothing to do and no template: exit 0 quietly, without the module"

if command -v systemd-analyze >/dev/null; then
	for u in forkgov.service forkgov-metrics.service forkgov-metrics.timer; do
		sed "s|@SBINDIR@|/usr/sbin|" "$ROOT/packaging/systemd/$u" >"$tmp/$u"
	done
	out=$(cd "$tmp" && systemd-analyze verify forkgov.service forkgov-metrics.service forkgov-metrics.timer 2>&1 |
	      grep -v -e 'not found' -e "Command 'man" -e 'No such file' -e 'Failed to' -e '^$')
	[[ -z $out ]] || echo "# $out"
	[[ -z $out ]]
	ok $? "systemd units verify"

	# The sandbox of the services: exposure at most 2.5 (the threshold is
	# in tenths), and forkgov.service can neither load modules nor hold
	# more than CAP_SYS_ADMIN (modules-load.d loads the module).
	rc=0
	for u in forkgov.service forkgov-metrics.service; do
		systemd-analyze security --offline=true --threshold=25 "$tmp/$u" >"$tmp/sec" 2>&1 || rc=1
		score=$(sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) .*$/\1/p' "$tmp/sec")
		echo "# $u: exposure ${score:-?} (at most 2.5)"
		[[ -n $score ]] || { sed 's/^/# /' "$tmp/sec"; rc=1; }
	done
	! grep -v '^#' "$tmp/forkgov.service" | grep -q -e modprobe -e CAP_SYS_MODULE || rc=1
	# systemd-analyze does not score these for a unit that runs before
	# sysinit.target (DefaultDependencies=no): check them by name.
	for want in CapabilityBoundingSet=CAP_SYS_ADMIN ProtectSystem=strict ProtectHome=yes \
		    PrivateNetwork=yes PrivateDevices=yes NoNewPrivileges=yes ProtectKernelTunables=yes \
		    SystemCallFilter=@system-service RuntimeDirectory=forkgov; do
		grep -qx "$want" "$tmp/forkgov.service" || { echo "# forkgov.service lacks $want"; rc=1; }
	done
	ok $rc "systemd services: security exposure at most 2.5, no module loading"
else
	skip "systemd units verify" "no systemd-analyze"
	skip "systemd services security exposure" "no systemd-analyze"
fi
if command -v rst2man >/dev/null; then
	make -s -C "$ROOT" -f mk/forkgovctl.mk install-forkgovctl DESTDIR="$tmp/dest" >"$tmp/out" 2>&1 &&
		for f in usr/sbin/forkgovctl usr/share/man/man8/forkgovctl.8 usr/share/man/man7/forkgov.7 usr/share/man/man5/forkgov.d.5 \
			 usr/share/bash-completion/completions/forkgovctl usr/lib/systemd/system/forkgov.service \
			 usr/lib/systemd/system/forkgov-metrics.service usr/lib/systemd/system/forkgov-metrics.timer \
			 usr/share/doc/forkgov/examples/oci-hook.conf \
			 etc/forkgov.d/example.conf.sample \
			 usr/share/containers/oci/hooks.d/forkgov.json \
			 usr/share/doc/forkgov/examples/sysctl.d/60-forkgov.conf \
			 usr/lib/modules-load.d/forkgov.conf; do
			[[ -s $tmp/dest/$f ]] || { echo "# missing $f"; false; } || break
		done &&
		! grep -rIq '@[A-Z]*@' "$tmp/dest" &&
		grep -q '^ExecStart=/usr/sbin/forkgovctl apply' "$tmp/dest/usr/lib/systemd/system/forkgov.service" &&
		grep -q '^ExecStart=/usr/sbin/forkgovctl metrics ' "$tmp/dest/usr/lib/systemd/system/forkgov-metrics.service" &&
		grep -q '"path": "/usr/sbin/forkgovctl"' "$tmp/dest/usr/share/containers/oci/hooks.d/forkgov.json"
	ok $? "install-forkgovctl into a DESTDIR"
else
	skip "install-forkgovctl into a DESTDIR" "rst2man missing (python3-docutils)"
fi
exit $failed
