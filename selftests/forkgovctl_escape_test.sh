#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Names a process or a container chose (its comm, a cgroup directory) may
# hold any byte.  forkgovctl list, show, list -j and list --prometheus must
# never write one of them raw: no control byte, no DEL, no invalid UTF-8 on
# stdout; JSON stays valid and keeps the name.  Prints TAP.
#
# Needs root, cgroup2 on /sys/fs/cgroup, forkgov loaded, python3 and the
# tool built (make forkgovctl).  Skips (exit 4) when one is missing.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BIN=$PWD/build/forkgovctl/forkgovctl
CG=/sys/fs/cgroup
T=fgctl-esc
# ESC [ 3 1 m BEL, a space, DEL and a byte that is not UTF-8
NAME=$'e\e[31m\a x\x7f\xff'
COMM=$'\e]0;pwn\a\x7f\xff'
tmp=$(mktemp -d)
source selftests/lib/tap.sh

skip_all()
{
	echo "1..0 # SKIP $1"
	exit 4
}

cleanup()
{
	echo flush >/proc/forkgov/policies 2>/dev/null
	rmdir "$CG/$T/$NAME" "$CG/$T" 2>/dev/null
	rm -rf "$tmp"
}

# Does file $1 hold a control byte (but newline and tab), DEL or bad UTF-8?
raw_bytes()
{
	python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data)
try:
    data.decode("utf-8")
except UnicodeDecodeError:
    bad = True
sys.exit(1 if bad else 0)
PY
}

[[ $(id -u) == 0 ]] || skip_all "needs root"
[[ -x $BIN ]] || skip_all "$BIN not built (make forkgovctl)"
[[ -f $CG/cgroup.controllers ]] || skip_all "cgroup2 is not mounted on $CG"
[[ -f /proc/forkgov/policies ]] || skip_all "forkgov is not loaded"
command -v python3 >/dev/null || skip_all "needs python3"
trap cleanup EXIT
echo flush >/proc/forkgov/policies
mkdir -p "$CG/$T/$NAME" || skip_all "cannot create the cgroup"
# The kernel's own escapes: \ooo for the space and every other odd byte.
esc=$(python3 -c 'import sys; print("".join(chr(b) if 0x21 <= b < 0x7f and b != 0x5c else "\\%03o" % b for b in sys.argv[1].encode("utf-8", "surrogateescape")))' "/$T/$NAME")
echo "set $esc rate=1/min burst=1" >/proc/forkgov/policies

echo "TAP version 13"

# A process with that name forks twice in that cgroup: the second is denied.
python3 - "$CG/$T/$NAME/cgroup.procs" "$COMM" <<'PY'
import ctypes, os, sys
open(sys.argv[1], "w").write(str(os.getpid()))
name = os.fsencode(sys.argv[2])
ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name), 0, 0, 0)  # PR_SET_NAME
for _ in range(2):
    try:
        pid = os.fork()
    except BlockingIOError:
        continue
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
PY
grep -q ' denied=1 ' /proc/forkgov/policies
ok $? "a fork of the oddly named process was denied"

"$BIN" list >"$tmp/list"
rc=$?
[[ $rc == 0 ]] && grep -q 'x1b' "$tmp/list" && raw_bytes "$tmp/list"
ok $? "list shows control bytes and bad UTF-8 escaped"
[[ $rc == 0 ]] || sed 's/^/# /' "$tmp/list" | cat -v

"$BIN" show "/$T/$NAME" >"$tmp/show"
rc=$?
[[ $rc == 0 ]] && grep -q 'last offender' "$tmp/show" && raw_bytes "$tmp/show"
ok $? "show shows control bytes and bad UTF-8 escaped"

"$BIN" -j list >"$tmp/json"
rc=$?
[[ $rc == 0 ]] && raw_bytes "$tmp/json" && python3 - "$tmp/json" "$COMM" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))[0]
assert p["cgroup"].startswith("/fgctl-esc/e\x1b[31m\x07 x\x7f"), p["cgroup"]
assert p["last"]["comm"].startswith("\x1b]0;pwn\x07\x7f"), p["last"]
PY
ok $? "list -j escapes them as JSON does and keeps the names"

"$BIN" list --prometheus >"$tmp/prom"
rc=$?
[[ $rc == 0 ]] && grep -q 'x1b' "$tmp/prom" && raw_bytes "$tmp/prom"
ok $? "list --prometheus shows them as text in label values"

echo "1..$n"
exit $failed
