#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# forkgovctl against the real module, in a test guest: every command, apply
# diffs and their atomicity, the errors the kernel can return through the
# tool, watch in a real terminal (tmux), and the OCI hook.  Prints TAP.
#
# Needs root, cgroup2 on /sys/fs/cgroup, forkgov loaded, and the tool built
# on the host (make forkgovctl; make check builds it through forkgovctl-unit).
# Skips (exit 4) when one is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BIN=$PWD/build/forkgovctl/forkgovctl
CG=/sys/fs/cgroup
T=fgctl-test
tmp=$(mktemp -d)
source selftests/lib/tap.sh
export FORKGOV_STATE=$tmp/applied	# what apply owns: not the guest's /run

skip_all()
{
	echo "1..0 # SKIP $1"
	exit 4
}

# Show the last command's output on failure.
check()
{
	local rc=$1 what=$2

	if [[ $rc != 0 ]]; then
		sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null | head -20
	fi
	ok "$rc" "$what"
}

run()
{
	"$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
}

# Fork N children in cgroup $1 from a fresh python3; prints "ok=A fail=D".
forks()
{
	python3 - "$CG/$T/$1" "$2" <<'PY'
import os, sys
with open(sys.argv[1] + "/cgroup.procs", "w") as f:
    f.write(str(os.getpid()))
ok = fail = 0
for _ in range(int(sys.argv[2])):
    try:
        pid = os.fork()
    except BlockingIOError:
        fail += 1
        continue
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    ok += 1
print(f"ok={ok} fail={fail}")
PY
}

# One field of a policy from "list -j": jfield CGROUP KEY
jfield()
{
	"$BIN" -j list | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    for e in [p] + p.get("children", []):
        if e["cgroup"] == sys.argv[1]:
            print(e.get(sys.argv[2]))' "$1" "$2"
}

cleanup()
{
	tmux kill-server 2>/dev/null
	for c in a/x a b c d hook; do
		"$BIN" del "/$T/$c" >/dev/null 2>&1
	done
	for c in a/x a b c d hook mt; do
		rmdir "$CG/$T/$c" 2>/dev/null
	done
	rmdir "$CG/$T" 2>/dev/null
	[[ -n ${old_max:-} ]] && echo "$old_max" >/proc/sys/kernel/forkgov/max_policies
	rm -rf "$tmp"
}

[[ $(id -u) == 0 ]] || skip_all "needs root"
[[ -x $BIN ]] || skip_all "$BIN not built (make forkgovctl)"
grep -q cgroup2 /proc/filesystems && [[ -f $CG/cgroup.controllers ]] ||
	skip_all "cgroup2 is not mounted on $CG"
[[ -f /proc/forkgov/policies ]] || skip_all "forkgov is not loaded"
trap cleanup EXIT
mkdir -p "$CG/$T/a" "$CG/$T/b" "$CG/$T/c" "$CG/$T/d"
old_max=$(cat /proc/sys/kernel/forkgov/max_policies)
"$BIN" flush >/dev/null 2>&1

echo "TAP version 13"

# ---- status and sysctl -----------------------------------------------------
run status
rc=$?
[[ $rc == 0 ]] && grep -q '^forkgov: loaded, version' "$tmp/out" &&
	grep -q 'kernel.forkgov.max_policies = ' "$tmp/out"
check $? "status"

run -j status && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["loaded"] and "sysctl" in d' "$tmp/out"
check $? "status -j"

run sysctl && [[ $(wc -l <"$tmp/out") -ge 5 ]] && grep -q '^kernel.forkgov.enabled = 1$' "$tmp/out"
check $? "sysctl lists the knobs"

old_rl=$(cat /proc/sys/kernel/forkgov/log_ratelimit)
run sysctl log_ratelimit=7 && [[ $(cat /proc/sys/kernel/forkgov/log_ratelimit) == 7 ]] &&
	grep -qx 'kernel.forkgov.log_ratelimit = 7' "$tmp/out" &&
	"$BIN" sysctl kernel.forkgov.log_ratelimit "$old_rl" >/dev/null
check $? "sysctl sets a knob"

run sysctl enabled=7
rc=$?
[[ $rc == 2 ]] && grep -q "refused '7'" "$tmp/err" &&
	[[ $(cat /proc/sys/kernel/forkgov/enabled) == 1 ]]
check $? "sysctl: the kernel's EINVAL becomes exit 2 and a sentence"

# ---- set / list / show -----------------------------------------------------
run set "/$T/a" rate 50/s burst 200 action throttle max-delay 2s scope per-child count tasks mt-warn on &&
	grep -q "^policy /$T/a rate=50/s burst=200 action=throttle max_delay=2000 scope=per-child count=tasks mt_warn=on " /proc/forkgov/policies
check $? "set: every key reaches the kernel"

run set "$CG/$T/b" r 0.5/min && run set "$T/c" rate 2 action log &&
	grep -q "^policy /$T/b rate=0.5/min burst=1 action=deny" /proc/forkgov/policies &&
	grep -q "^policy /$T/c rate=2/s burst=2 action=log" /proc/forkgov/policies
check $? "set: absolute and relative paths, abbreviations, defaults"

run -j list && python3 -c '
import json, sys
d = {p["cgroup"]: p for p in json.load(open(sys.argv[1]))}
a = d["/'$T'/a"]
assert (a["rate"], a["burst"], a["action"], a["max_delay_ms"], a["scope"],
        a["count"], a["mt_warn"]) == ("50/s", 200, "throttle", 2000,
        "per-child", "tasks", "on"), a
assert d["/'$T'/b"]["rate_per_s"] < 0.01' "$tmp/out"
check $? "list -j parses and matches what was set"

# deny: rate 0, burst 3 -> exactly 3 forks, then EAGAIN
run set "/$T/d" rate 0 burst 3 action deny
out=$(forks d 10)
[[ $out == "ok=3 fail=7" ]] && [[ $(jfield "/$T/d" denied) == 7 ]] &&
	[[ $(jfield "/$T/d" allowed) == 3 ]]
check $? "deny policy: 3 allowed, 7 denied ($out)"

run list && head -1 "$tmp/out" | grep -q '^CGROUP .*RATE .*BURST .*ACTION .*TOKENS .*ALLOWED .*DENIED .*THROTTLED .*PEAK/s .*LAST OFFENDER' &&
	grep -q "^/$T/d .* 0/s .* deny .* python3\[[0-9]*\] /$T/d$" "$tmp/out"
check $? "list: table with counters and last offender"

run show "/$T/d" && grep -q "denied 7" "$tmp/out" && grep -q "last offender python3" "$tmp/out"
check $? "show"

# per-child: a child cgroup that forks gets its own bucket
mkdir -p "$CG/$T/a/x"
forks a/x 5 >/dev/null
run -j show "/$T/a/x" && python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["policy"] == "/'$T'/a" and c["allowed"] >= 5, c' "$tmp/out" &&
	run list && grep -q "^  /$T/a/x " "$tmp/out"
check $? "per-child bucket in show -j and list"

# replace with the same scope keeps the counters
before=$(jfield "/$T/d" denied)
run set "/$T/d" rate 0 burst 4 && [[ $(jfield "/$T/d" denied) == "$before" ]] &&
	[[ $(jfield "/$T/d" burst) == 4 ]]
check $? "set replaces and keeps counters"

run list --prometheus && python3 - "$tmp/out" <<'PY'
import re, sys
seen, typed = set(), set()
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    m = re.match(r"# TYPE (\w+) (gauge|counter)$", line)
    if m:
        assert m[1] not in typed, line
        typed.add(m[1])
        continue
    if line.startswith("# HELP "):
        continue
    m = re.match(r'([a-z_0-9]+)(\{([a-z_]+="([^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$', line)
    assert m and m[1] in typed, line
    float(m[5])
    seen.add(m[1])
assert "forkgov_denied_total" in seen and "forkgov_global_hook_hits_total" in seen
PY
check $? "list --prometheus is valid exposition format"

run suggest "/$T/c" && grep -q "No fork attempts seen in /$T/c yet" "$tmp/out"
check $? "suggest with nothing seen proposes nothing"
forks c 30 >/dev/null
run suggest "/$T/c" && grep -q '^burst [0-9]*: the busiest second' "$tmp/out" &&
	grep -q "forkgovctl set /$T/c rate" "$tmp/out" && run -j suggest "/$T/c" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["peak_1s"] >= 1 and d["burst"] >= d["peak_1s"]' "$tmp/out"
check $? "suggest on a log-mode policy"

# ---- del / flush -------------------------------------------------------------
run del "/$T/b" && ! grep -q "^policy /$T/b " /proc/forkgov/policies
check $? "del"

run del "/$T/b"
[[ $? == 6 ]] && grep -q "no policy on /$T/b" "$tmp/err"
check $? "del of a cgroup without policy: exit 6"

run flush && [[ ! -s /proc/forkgov/policies ]] && run list && grep -qx 'no policies' "$tmp/out"
check $? "flush"

# ---- apply -------------------------------------------------------------------
mkdir -p "$tmp/conf"
cat >"$tmp/conf/10-test.conf" <<EOF
# test policies
[/$T/a]
rate = 120/min        # burst defaults to 2
action = throttle
max-delay = 500ms

[$CG/$T/b]
rate = 0.25
scope = per-child
EOF
run apply --dry-run "$tmp/conf" && grep -q "^+ /$T/a rate 120/min burst 2 action throttle max-delay 500ms" "$tmp/out" &&
	grep -q '2 to add, 0 to replace, 0 to delete, 0 unchanged' "$tmp/out" &&
	[[ ! -s /proc/forkgov/policies ]]
check $? "apply --dry-run shows the diff and changes nothing"

run apply "$tmp/conf" && grep -q '2 added' "$tmp/out" &&
	[[ $(grep -c '^policy ' /proc/forkgov/policies) == 2 ]]
check $? "apply adds"

run apply --dry-run "$tmp/conf" && grep -q '0 to add, 0 to replace, 0 to delete, 2 unchanged' "$tmp/out"
check $? "apply again: nothing to change (defaults agree with the kernel)"

"$BIN" set "/$T/c" rate 9 >/dev/null
sed -i 's/^rate = 0.25/rate = 0.5/' "$tmp/conf/10-test.conf"
run apply --dry-run --keep-unmanaged "$tmp/conf" &&
	grep -q '0 to add, 1 to replace, 0 to delete, 1 unchanged' "$tmp/out"
check $? "apply --keep-unmanaged leaves a hand-made policy"

# apply owns what it set (owner=config), never a policy set by hand (cli)
run -j apply "$tmp/conf" && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["add"], d["replace"], d["delete"], d["unchanged"]) == (0, 1, 0, 1), d' "$tmp/out" &&
	grep -q "^policy /$T/b rate=0.5/s .* owner=config " /proc/forkgov/policies &&
	grep -q "^policy /$T/c rate=9/s .* owner=cli " /proc/forkgov/policies
check $? "apply replaces its own policy and leaves the one set by hand"

mkdir -p "$tmp/conf-b"
cat >"$tmp/conf-b/10-test.conf" <<EOF
[/$T/b]
rate = 0.5
scope = per-child
EOF
run apply "$tmp/conf-b" && grep -q '0 added, 0 replaced, 1 deleted, 1 unchanged' "$tmp/out" &&
	! grep -q "^policy /$T/a " /proc/forkgov/policies &&
	grep -q "^policy /$T/c .* owner=cli " /proc/forkgov/policies &&
	run list --owner cli && grep -q "^/$T/c " "$tmp/out" && ! grep -q "^/$T/b " "$tmp/out" &&
	run apply "$tmp/conf" && grep -q '1 added' "$tmp/out"
check $? "apply deletes a policy of its own that left the configuration; list --owner"

# all or nothing: a table that cannot take them all takes none
cat >"$tmp/conf/20-more.conf" <<EOF
[/$T/c]
rate = 1
[/$T/d]
rate = 1
EOF
before=$(cat /proc/forkgov/policies | cut -d' ' -f1-3)
echo 3 >/proc/sys/kernel/forkgov/max_policies
run apply --take-over "$tmp/conf"
rc=$?
after=$(cat /proc/forkgov/policies | cut -d' ' -f1-3)
echo "$old_max" >/proc/sys/kernel/forkgov/max_policies
[[ $rc == 2 ]] && grep -q 'table is full (kernel.forkgov.max_policies = 3)' "$tmp/err" &&
	grep -q 'nothing was changed' "$tmp/err" && [[ $before == "$after" ]]
check $? "apply past max_policies: ENOSPC, exit 2, nothing changed"

echo "[/$T/nonexistent]" >"$tmp/conf/30-missing.conf"
echo "rate = 1" >>"$tmp/conf/30-missing.conf"
run apply "$tmp/conf"
rc=$?
[[ $rc == 4 ]] && grep -q "30-missing.conf:1: cgroup /$T/nonexistent does not exist" "$tmp/err"
check $? "apply with a missing cgroup: exit 4"

# /c has the policy set by hand (owner cli): a plain apply refuses, whole
before=$(cat /proc/forkgov/policies)
run apply --skip-missing "$tmp/conf"
rc=$?
[[ $rc == 7 ]] && grep -q "^Error: /$T/c has a policy of owner cli; apply replaces only owner config's policies" "$tmp/err" &&
	grep -q -- '--take-over' "$tmp/err" && grep -q 'nothing was changed' "$tmp/err" &&
	[[ $before == "$(cat /proc/forkgov/policies)" ]] && ! grep -q "^policy /$T/d " /proc/forkgov/policies
check $? "apply with a cgroup of another owner: exit 7, nothing changed"

run apply --skip-missing --take-over "$tmp/conf" && [[ $(grep -c '^policy ' /proc/forkgov/policies) == 4 ]] &&
	grep -q "^policy /$T/c rate=1/s .* owner=config " /proc/forkgov/policies
check $? "apply --skip-missing --take-over: the hand-set policy becomes the configuration's"

printf '[/%s/a/x]\nrate = lots\n' "$T" >"$tmp/conf/40-bad.conf"
before=$(cat /proc/forkgov/policies | cut -d' ' -f1-3)
run apply --skip-missing "$tmp/conf"
rc=$?
[[ $rc == 4 ]] && grep -q "40-bad.conf:2: rate 'lots'" "$tmp/err" &&
	[[ $before == "$(cut -d' ' -f1-3 /proc/forkgov/policies)" ]]
check $? "apply with a config error: exit 4, nothing changed"
rm -f "$tmp/conf/"*.conf

# ---- errors from the kernel --------------------------------------------------
setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" set "/$T/a" rate 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ $rc == 2 ]] && grep -q 'CAP_SYS_ADMIN' "$tmp/err"
check $? "unprivileged: EPERM, exit 2, says CAP_SYS_ADMIN"

unshare -U -r "$BIN" set "/$T/a" rate 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ $rc == 2 ]] && grep -q 'CAP_SYS_ADMIN' "$tmp/err"
check $? "root of a user namespace: EPERM"

setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" list >"$tmp/out" 2>"$tmp/err"
check $? "unprivileged list works"

# a cgroup the tool believes in but the kernel does not: ENOENT
mkdir -p "$tmp/fakecg/ghost"
FORKGOV_CGROUP2=$tmp/fakecg run set /ghost rate 1
rc=$?
[[ $rc == 2 ]] && grep -q 'no such cgroup v2 directory' "$tmp/err"
check $? "kernel ENOENT: exit 2 and a sentence"

FORKGOV_CGROUP2=$tmp/fakecg run -j set /ghost rate 1
rc=$?
[[ $rc == 2 ]] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errno"] == "ENOENT"' "$tmp/out"
check $? "kernel errors are JSON in -j mode"

# no fork hook possible: ftrace off while no policy holds the hook -> EBUSY
# (the lineage defence, which holds the hook by itself, is off meanwhile)
"$BIN" flush >/dev/null
echo 0 >/proc/sys/kernel/forkgov/lineage
if echo 0 2>/dev/null >/proc/sys/kernel/ftrace_enabled; then
	run set "/$T/a" rate 1
	rc=$?
	echo 1 >/proc/sys/kernel/ftrace_enabled
	[[ $rc == 2 ]] && grep -q 'ftrace_enabled' "$tmp/err" && [[ ! -s /proc/forkgov/policies ]]
	check $? "kernel EBUSY (ftrace disabled): exit 2, says ftrace_enabled"
else
	n=$((n + 1))
	echo "ok $n kernel EBUSY # SKIP kernel.ftrace_enabled cannot be set to 0"
fi
echo 2 >/proc/sys/kernel/forkgov/lineage
run set "/$T/a" rate 5000000
[[ $? == 1 ]] && grep -q 'out of range' "$tmp/err"
check $? "out-of-range value refused before the kernel: exit 1"

run set /etc rate 1
[[ $? == 1 ]] && grep -q 'is not a cgroup' "$tmp/err"
check $? "non-cgroup path refused"

FORKGOV_PROC=$tmp/none FORKGOV_SYSMODULE=$tmp/none run list
[[ $? == 3 ]] && grep -q 'modprobe forkgov' "$tmp/err"
check $? "module not loaded (moved proc dir): exit 3"

# ---- watch in a real terminal ------------------------------------------------
if command -v tmux >/dev/null; then
	"$BIN" set "/$T/a" rate 1000 burst 1000 >/dev/null
	export TERM=xterm
	tmux -f /dev/null new-session -d -s fgw -x 160 -y 40 \
		"stty -a > $tmp/stty.before; $BIN watch /$T/a; echo rc=\$? > $tmp/watch.rc; stty -a > $tmp/stty.after; sleep 60"
	(for _ in 1 2 3; do forks a 40 >/dev/null; sleep 1; done) &
	sleep 4
	tmux capture-pane -p -t fgw >"$tmp/pane1"
	sleep 1.5
	tmux capture-pane -p -t fgw >"$tmp/pane2"
	wait
	tmux send-keys -t fgw q
	sleep 1.5
	[[ $(cat "$tmp/watch.rc" 2>/dev/null) == rc=0 ]] &&
		grep -q 'ALLOWED/s' "$tmp/pane1" && grep -q "^/$T/a " "$tmp/pane1" &&
		! cmp -s "$tmp/pane1" "$tmp/pane2" &&
		grep -q ' icanon' "$tmp/stty.after" && grep -q ' echo ' "$tmp/stty.after" &&
		[[ $(grep -o -- '-\?icanon\|-\?echo ' "$tmp/stty.before") == $(grep -o -- '-\?icanon\|-\?echo ' "$tmp/stty.after") ]]
	rc=$?
	[[ $rc == 0 ]] || { echo "# pane:"; sed 's/^/#   /' "$tmp/pane1" | head -12; cat "$tmp/watch.rc" 2>/dev/null; }
	ok $rc "watch in tmux: refreshes, q quits, terminal restored"
	tmux kill-session -t fgw 2>/dev/null

	rm -f "$tmp/watch.rc"
	tmux -f /dev/null new-session -d -s fgw2 -x 160 -y 40 \
		"$BIN watch interval 0.5; echo rc=\$? > $tmp/watch.rc; stty -a > $tmp/stty.after; sleep 60"
	sleep 2.5
	tmux send-keys -t fgw2 C-c
	sleep 1.5
	[[ $(cat "$tmp/watch.rc" 2>/dev/null) == rc=0 ]] && grep -q ' icanon' "$tmp/stty.after"
	ok $? "watch in tmux: Ctrl-C quits cleanly"
	tmux kill-session -t fgw2 2>/dev/null
else
	n=$((n + 1))
	echo "ok $n watch in tmux # SKIP tmux is not installed"
fi

# ---- the OCI hook ----------------------------------------------------------
mkdir -p "$CG/$T/hook"
sleep 30 &
spid=$!
echo "$spid" >"$CG/$T/hook/cgroup.procs"
printf '{"ociVersion":"1.0.2","id":"x","status":"created","pid":%d,"bundle":"/","annotations":{"io.forkgov.policy":"rate=20/s,burst=50,action=throttle"}}' "$spid" |
	"$BIN" oci-hook && grep -q "^policy /$T/hook rate=20/s burst=50 action=throttle" /proc/forkgov/policies
check $? "OCI hook puts the annotation's policy on the container's cgroup"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null

# ---- the module really unloaded (then loaded again) ---------------------------
# mt: a threaded python3 in $T/mt forks 3 children that exit without exec;
# the offender table counts all 3 (mt-fork.rst), forkgovctl shows them.
if [[ $(cat /proc/sys/kernel/forkgov/mt_fork_warn) != 0 ]]; then
	mkdir -p "$CG/$T/mt"
	python3 - "$CG/$T/mt" <<'PY'
import os, sys, threading, time
with open(sys.argv[1] + "/cgroup.procs", "w") as f:
    f.write(str(os.getpid()))
threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
PY
	for _ in $(seq 50); do
		grep -q "^comm=python3 cgroup=/$T/mt .* count=3 " /proc/forkgov/mt_offenders && break
		sleep 0.2
	done
	run mt && grep -Eq "^ +3 +[0-9-]+ [0-9:]+ +[0-9-]+ [0-9:]+ +[0-9]+ +python3 +/$T/mt +/" "$tmp/out"
	check $? "mt: the offender table"
	run -j mt && python3 -c '
import json, sys
d = [o for o in json.load(open(sys.argv[1])) if o["cgroup"] == sys.argv[2]]
assert len(d) == 1 and d[0]["comm"] == "python3" and d[0]["count"] == 3, d
assert d[0]["first"] <= d[0]["last"] and d[0]["exe"].startswith("/"), d
' "$tmp/out" "/$T/mt"
	check $? "mt -j"
	run mt --prometheus &&
		grep -qx "forkgov_mt_offender_reports_total{comm=\"python3\",cgroup=\"/$T/mt\"} 3" "$tmp/out"
	check $? "mt --prometheus"
else
	n=$((n + 1))
	echo "ok $n mt # SKIP mt_fork_warn is 0"
fi

if [[ -r ${FORKGOV_KO:-} ]]; then
	"$BIN" flush >/dev/null
	if rmmod forkgov; then
		run status
		rc=$?
		run set "/$T/a" rate 1
		rc2=$?
		insmod "$FORKGOV_KO"
		[[ $rc == 3 && $rc2 == 3 ]] && grep -q 'forkgov is not loaded' "$tmp/err" &&
			run status
		check $? "unloaded module: status and set exit 3; loaded again"
	else
		ok 1 "rmmod forkgov for the unloaded-module test"
	fi
else
	n=$((n + 1))
	echo "ok $n unloaded module # SKIP FORKGOV_KO is not set"
fi

echo "1..$n"
exit $failed
