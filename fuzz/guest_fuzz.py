#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""In-guest fuzzer of forkgov's interface files.  Root, forkgov loaded.

usage: guest_fuzz.py [-t SECONDS] [-s SEED]

Writes random and mutated policy lines to /proc/forkgov/policies and values
to /proc/sys/kernel/forkgov/*, and after every write checks the kernel
against a model written from Documentation/admin-guide/forkgov/interface.rst
(not from the module's code):

  - a write the model says is valid must be accepted, an invalid one refused
    with the documented errno (checked exactly for single-line writes; for
    several lines only accept/refuse, since which error is reported first
    is the module's choice);
  - the table must then hold exactly the model's policies with the model's
    parameters, print every line in the documented format, agree with the
    policies and child_buckets counts of /proc/forkgov/stats, and every
    policy line, turned back into a set line, must be accepted unchanged;
  - knobs accept exactly the integers of their range;
  - a user other than root gets EACCES, root without CAP_SYS_ADMIN in the
    initial user namespace (root of a child user namespace, mapped 0 0 1)
    and a descriptor opened by root but written by another user get EPERM,
    and none of them changes anything.

Prints TAP; exits 1 on any mismatch (the first few are shown in full).
"""
import argparse
import ctypes
import errno
import os
import random
import re
import sys
import time

POL = "/proc/forkgov/policies"
STATS = "/proc/forkgov/stats"
KNOBS = "/proc/sys/kernel/forkgov"
CG = "/sys/fs/cgroup"
TOP = "/fgfuzz"
KNOB_RANGE = {"enabled": (0, 1), "log_ratelimit": (0, 1000),
              "max_policies": (1, 1000000), "max_buckets": (0, 1000000),
              "audit": (0, 1)}
KEYS = ["rate", "burst", "action", "max_delay", "scope", "count", "mt_warn",
        "deny_delay"]
ENUMS = {"action": ["deny", "throttle", "log"],
         "scope": ["subtree", "per-child"],
         "count": ["forks", "tasks"],
         "mt_warn": ["inherit", "on", "off"]}
SHOW_KEYS = ["rate", "burst", "action", "max_delay", "scope", "count",
             "mt_warn", "deny_delay", "tokens", "allowed", "denied", "throttled",
             "throttle_ns", "throttle_max_ns", "logged", "peak_1s",
             "last_pid", "last_comm", "last_cgroup"]
CHILD_KEYS = ["policy", "tokens", "allowed", "denied", "throttled",
              "throttle_ns", "throttle_max_ns", "logged", "peak_1s",
              "last_pid", "last_comm", "last_cgroup"]


class Bad(Exception):
    """A line the model refuses, with its errno.

    A value both malformed and too large ("12345678901234x") may fairly be
    refused with either EINVAL or ERANGE: the documentation does not rank
    them, so the model accepts both (AMBIG).
    """

    def __init__(self, err):
        super().__init__(errno.errorcode.get(err, err))
        self.err = err


AMBIG = -1000   # EINVAL or ERANGE


def too_long_digits(s):
    """A leading run of more than 12 digits, or a fraction of more than 3."""
    m = re.match(r"([0-9]*)(?:\.([0-9]*))?", s)
    return len(m.group(1)) > 12 or len(m.group(2) or "") > 3


# ---------------------------------------------------------------- the model

def parse_rate(s):
    if s == "none":
        return 0, 0
    m = re.fullmatch(r"([0-9]+)(?:\.([0-9]+))?(|/s|/min|/h)", s)
    if not m:
        raise Bad(AMBIG if too_long_digits(s) else errno.EINVAL)
    whole, frac, unit = m.group(1), m.group(2) or "", m.group(3)
    if len(whole) > 12 or len(frac) > 12:
        raise Bad(errno.ERANGE)
    if len(frac) > 3:
        raise Bad(errno.ERANGE)
    milli = int(whole) * 1000 + int((frac + "000")[:3])
    period = {"": 1, "/s": 1, "/min": 60, "/h": 3600}[unit]
    if milli > 1000000 * 1000 * period:
        raise Bad(errno.ERANGE)
    return milli, period


def fmt_rate(milli, period):
    if not period:
        return "none"
    unit = {1: "s", 60: "min", 3600: "h"}[period]
    whole, frac = divmod(milli, 1000)
    if not frac:
        return "%d/%s" % (whole, unit)
    return ("%d.%03d" % (whole, frac)).rstrip("0") + "/" + unit


def parse_uint(s, lo, hi, digits=12):
    if not re.fullmatch(r"[0-9]+", s):
        if re.match(r"[0-9]{%d}" % (digits + 1), s):
            raise Bad(AMBIG)
        raise Bad(errno.EINVAL)
    if len(s) > digits:
        raise Bad(errno.ERANGE)
    v = int(s)
    if not lo <= v <= hi:
        raise Bad(errno.ERANGE)
    return v


def parse_delay(s, limit=60000):
    m = re.fullmatch(r"([0-9]+)(|ms|s)", s)
    if not m:
        if re.match(r"[0-9]{13}", s):
            raise Bad(AMBIG)
        raise Bad(errno.EINVAL)
    if len(m.group(1)) > 12:
        raise Bad(errno.ERANGE)
    v = int(m.group(1)) * (1000 if m.group(2) == "s" else 1)
    if v > limit:
        raise Bad(errno.ERANGE)
    return v


def unescape(path):
    out = bytearray()
    i = 0
    b = path.encode("latin-1")
    while i < len(b):
        if b[i] == ord("\\"):
            oct3 = b[i + 1:i + 4]
            if len(oct3) != 3 or any(c not in b"01234567" for c in oct3):
                raise Bad(errno.EINVAL)
            v = int(oct3, 8)
            # The documentation allows escapes of bytes only: 1 to 0377.
            if v == 0 or v > 0o377:
                raise Bad(errno.EINVAL)
            out.append(v)
            i += 4
        else:
            out.append(b[i])
            i += 1
    p = out.decode("latin-1")
    if not p.startswith("/"):
        raise Bad(errno.EINVAL)
    if p != "/" and (p.endswith("/") or "//" in p or "/./" in p or
                     "/../" in p or p.endswith("/.") or p.endswith("/..")):
        raise Bad(errno.EINVAL)
    return p


def escape(path):
    return "".join("\\%03o" % ord(c) if c in " \t\n\\" else c for c in path)


def parse_line(line):
    """None for blank/comment, ("flush",), ("del", p) or ("set", p, params)."""
    words = [w for w in re.split(r"[ \t]", line) if w]
    if not words or words[0].startswith("#"):
        return None
    verb = words[0]
    if verb == "flush":
        if len(words) > 1:
            raise Bad(errno.EINVAL)
        return ("flush",)
    if verb not in ("set", "del") or len(words) < 2:
        raise Bad(errno.EINVAL)
    path = unescape(words[1])
    if verb == "del":
        if len(words) > 2:
            raise Bad(errno.EINVAL)
        return ("del", path)
    params = {"action": "deny", "max_delay": 1000, "scope": "subtree",
              "count": "forks", "mt_warn": "inherit", "deny_delay": 1000}
    seen = set()
    for w in words[2:]:
        if "=" not in w or w.startswith("="):
            raise Bad(errno.EINVAL)
        k, v = w.split("=", 1)
        if k not in KEYS or k in seen:
            raise Bad(errno.EINVAL)
        seen.add(k)
        if k == "rate":
            params["rate"] = parse_rate(v)
        elif k == "burst":
            params["burst"] = parse_uint(v, 1, 1000000)
        elif k == "max_delay":
            params["max_delay"] = parse_delay(v)
        elif k == "deny_delay":
            params["deny_delay"] = parse_delay(v, 10000)
        elif v in ENUMS[k]:
            params[k] = v
        else:
            raise Bad(errno.EINVAL)
    if "rate" not in params:
        raise Bad(errno.EINVAL)
    milli, period = params["rate"]
    if not period:
        # rate=none "takes no other key" (than mt_warn).
        if seen - {"rate", "mt_warn"}:
            raise Bad(errno.EINVAL)
        params["burst"] = 1
        return ("set", path, params)
    if "burst" not in params:
        params["burst"] = max(1, min(1000000, -(-milli // (1000 * period))))
    if milli:
        interval = (period * 10**9 * 1000 + milli // 2) // milli
        if params["burst"] > (1 << 62) // interval:
            raise Bad(errno.ERANGE)
    return ("set", path, params)


def is_cgroup(path):
    return os.path.isdir(CG + path) and os.path.exists(CG + path + "/cgroup.procs")


def model_write(table, data, max_policies):
    """(errno or 0, new table, exact) for a write of DATA (bytes)."""
    if len(data) > 1024 * 1024:
        return errno.E2BIG, table, True
    if b"\0" in data:
        return errno.EINVAL, table, True
    text = data.decode("latin-1")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if any(len(l) > 4095 for l in lines):
        return errno.E2BIG, table, len(lines) == 1
    # Only one line that is not blank: then the first error is the kernel's
    # too.  Blank means spaces and tabs, as for the kernel; not \r or \v.
    exact = sum(1 for l in lines
                if l.strip(" \t") and not l.strip(" \t").startswith("#")) <= 1
    new = dict(table)
    seen = set()
    try:
        for l in lines:
            op = parse_line(l)
            if op is None:
                continue
            if op[0] == "flush":
                new = {}
                continue
            path = op[1]
            if path in seen:
                raise Bad(errno.EINVAL)
            seen.add(path)
            if op[0] == "del":
                if path not in new:
                    raise Bad(errno.ENOENT)
                del new[path]
            else:
                if not is_cgroup(path):
                    raise Bad(errno.ENOENT)
                new[path] = op[2]
        if len(new) > max_policies and len(new) > len(table):
            raise Bad(errno.ENOSPC)
    except Bad as e:
        return e.err, table, exact
    if any(op == "flush" for op in text.split()) and len(lines) > 1:
        # flush mixed with other lines: the order of checks is the module's.
        exact = False
    return 0, new, exact


# --------------------------------------------------------- the kernel side

def kwrite(path, data, fd=None):
    try:
        own = fd is None
        if own:
            fd = os.open(path, os.O_WRONLY)
        try:
            n = os.write(fd, data)
        finally:
            if own:
                os.close(fd)
        return 0 if n == len(data) else -1
    except OSError as e:
        return e.errno


def read_table():
    with open(POL, "rb") as f:
        return f.read().decode("latin-1")


def read_stats():
    out = {}
    for l in open(STATS):
        k, v = l.split(None, 1)
        out[k] = v.strip()
    return out


def check_table(model, problems):
    text = read_table()
    stats = read_stats()
    pols, children = {}, 0
    for l in text.splitlines():
        w = l.split(" ")
        if w[0] not in ("policy", "child") or len(w) < 3:
            problems.append("bad table line: %r" % l)
            continue
        keys = [x.split("=", 1)[0] for x in w[2:]]
        want = SHOW_KEYS if w[0] == "policy" else CHILD_KEYS
        if keys[:len(want)] != want or any("=" not in x for x in w[2:]):
            problems.append("keys out of order or malformed: %r" % l)
            continue
        kv = dict(x.split("=", 1) for x in w[2:])
        if w[0] == "child":
            children += 1
            continue
        try:
            path = unescape(w[1])
        except Bad:
            problems.append("unprintable path: %r" % l)
            continue
        pols[path] = kv
    if int(stats["policies"]) != len(pols):
        problems.append("stats policies %s, table has %d" % (stats["policies"], len(pols)))
    if int(stats["child_buckets"]) != children:
        problems.append("stats child_buckets %s, table has %d" % (stats["child_buckets"], children))
    if set(pols) != set(model):
        problems.append("table %s != model %s" % (sorted(pols), sorted(model)))
        return pols
    for path, p in model.items():
        kv = pols[path]
        want = {"rate": fmt_rate(*p["rate"]), "burst": str(p["burst"]),
                "action": p["action"], "max_delay": str(p["max_delay"]),
                "scope": p["scope"], "count": p["count"], "mt_warn": p["mt_warn"],
                "deny_delay": str(p["deny_delay"])}
        got = {k: kv[k] for k in want}
        if got != want:
            problems.append("%s: table %s != model %s" % (path, got, want))
    return pols


def rewrite_table(pols):
    """Every policy line, as a set line, in one write."""
    lines = ["set %s %s" % (escape(p), " ".join("%s=%s" % (k, kv[k]) for k in KEYS
                                                 if kv["rate"] != "none" or k in ("rate", "mt_warn")))
             for p, kv in pols.items()]
    return ("\n".join(lines) + "\n").encode("latin-1") if lines else b""


# ---------------------------------------------------------------- generators

class Gen:
    def __init__(self, rnd, paths):
        self.r = rnd
        self.paths = paths

    def value(self, k):
        """Mostly valid values, sometimes the edges and beyond."""
        r = self.r
        good = r.random() < 0.85
        if k == "rate":
            if good:
                if r.random() < 0.08:
                    return "none"
                n = r.choice(["0", "1", "7", "50", "1000", "1000000",
                              str(r.randrange(10**6)), "0.5", "1.25", "0.001"])
                return n + r.choice(["", "", "/s", "/min", "/h"])
            return r.choice(["1000001", "0.0001", "3.", ".5", "12345678901234",
                             "5/d", "5/S", "5s", "-1", "", "3600000001/h"])
        if k == "burst":
            if good:
                return r.choice(["1", "2", "100", "1000000", str(r.randint(1, 10**6))])
            return r.choice(["0", "1000001", "-1", "1e3", "", str(r.randrange(2**33))])
        if k == "max_delay":
            if good:
                return r.choice(["0", "15", "1000", "60000", "60s", "5ms", "2s"])
            return r.choice(["60001", "61s", "5us", "", "1000000000000000"])
        if k == "deny_delay":
            if good:
                return r.choice(["0", "1", "250ms", "1000", "10s", "10000"])
            return r.choice(["10001", "11s", "60s", "5us", "", "1000000000000000"])
        if good and k in ENUMS:
            return r.choice(ENUMS[k])
        return r.choice(["", "DENY", "per_child", "x"])

    def path(self):
        r = self.r
        p = r.choice(self.paths)
        if r.random() < 0.15:
            p = r.choice(["/", "//", "/.", "/..", TOP + "/../x", "rel",
                          TOP + "/", TOP + "/a\\", TOP + "/a\\0", TOP + "/\\400",
                          TOP + "/\\777", TOP + "/\\000", TOP + "/nope",
                          TOP + "/a/./b", "/" + "x" * 300])
        return escape(p) if p in self.paths and r.random() < 0.85 else p

    def line(self):
        r = self.r
        verb = r.choices(["set", "del", "flush", "#", "", "bogus"],
                         [70, 15, 3, 3, 3, 2])[0]
        if verb == "flush":
            return "flush" + r.choice(["", "", " x"])
        if verb in ("#", "", "bogus"):
            return verb + " " + self.path()
        words = [verb, self.path()]
        if verb == "set":
            keys = [k for k in KEYS if k == "rate" and r.random() < 0.95 or r.random() < 0.4]
            if r.random() < 0.03:
                keys.append(r.choice(KEYS + ["bogus"]))
            r.shuffle(keys)
            words += ["%s=%s" % (k, self.value(k)) for k in keys]
        elif r.random() < 0.05:
            words.append("extra")
        sep = r.choice([" ", " ", "  ", "\t", " \t "])
        return sep.join(words)

    def mutate(self, b):
        r = self.r
        b = bytearray(b)
        for _ in range(r.randint(1, 4)):
            op = r.randrange(5)
            i = r.randrange(len(b) + 1)
            if op == 0 and b:
                del b[min(i, len(b) - 1)]
            elif op == 1:
                b[i:i] = bytes([r.choice([0, 9, 10, 13, 32, 35, 47, 61, 92, 255,
                                          r.randrange(256)])])
            elif op == 2 and b:
                b[min(i, len(b) - 1)] ^= 1 << r.randrange(8)
            elif op == 3:
                b[i:i] = r.choice([b"=", b"/..", b"\\040", b"\\400", b"\n", b"rate=1 "])
            else:
                j = r.randrange(len(b) + 1)
                b[i:i] = b[min(i, j):max(i, j)]
        return bytes(b)

    def write(self):
        r = self.r
        n = r.choices([1, 2, 3, 5], [70, 15, 10, 5])[0]
        data = "\n".join(self.line() for _ in range(n))
        if r.random() < 0.8:
            data += "\n"
        data = data.encode("latin-1")
        x = r.random()
        if x < 0.15:
            data = self.mutate(data)
        elif x < 0.27:
            data = b"set " + TOP.encode() + b"/a rate=1 " + b"x" * r.choice([4000, 4100])
        elif x < 0.28:
            data = b"#" * (1024 * 1024 + r.choice([0, 1])) if r.random() < 0.5 else b"\n" * 1000
        return data


# ------------------------------------------------------------ the privileges

def in_child(fn):
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(fn())
        except BaseException:
            os._exit(200)
    _, st = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(st)


def as_nobody(fn):
    def run():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        return fn()
    return in_child(run)


def as_userns_root(fn):
    def run():
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(0x10000000):  # CLONE_NEWUSER
            return 201
        for f, m in (("setgroups", "deny"), ("uid_map", "0 0 1"), ("gid_map", "0 0 1")):
            with open("/proc/self/" + f, "w") as fh:
                fh.write(m)
        return fn()
    return in_child(run)


def open_errno(path):
    try:
        os.close(os.open(path, os.O_WRONLY))
        return 0
    except OSError as e:
        return e.errno


def privilege_checks(tap, gen):
    line = ("set %s/a rate=3\n" % TOP).encode()
    before = read_table()
    for name, run, want in (("uid 65534", as_nobody, errno.EACCES),
                            ("root of a child user namespace", as_userns_root, errno.EPERM)):
        got = run(lambda: open_errno(POL))
        tap(got == want, "%s: open policies for writing: %s (got %s)" %
            (name, errno.errorcode[want], errno.errorcode.get(got, got)))
        for k in KNOB_RANGE:
            got = run(lambda: kwrite(KNOBS + "/" + k, b"1\n"))
            tap(got == want, "%s: write %s: %s (got %s)" %
                (name, k, errno.errorcode[want], errno.errorcode.get(got, got)))
        bad = 0
        for _ in range(50):
            data = gen.write()
            got = run(lambda: kwrite(POL, data))
            bad += got != want
        tap(bad == 0, "%s: 50 fuzzed writes all refused with %s" % (name, errno.errorcode[want]))
    # Opened by root, written by another user: refused at the write.
    fd = os.open(POL, os.O_WRONLY)
    got = as_nobody(lambda: kwrite(None, line, fd))
    os.close(fd)
    tap(got == errno.EPERM, "descriptor opened by root, written by uid 65534: EPERM (got %s)" %
        errno.errorcode.get(got, got))
    # sysctl checks the file mode again at each write: EACCES, or EPERM
    # from forkgov's own check; either way refused.
    fd = os.open(KNOBS + "/log_ratelimit", os.O_WRONLY)
    old = open(KNOBS + "/log_ratelimit").read()
    got = as_nobody(lambda: kwrite(None, b"7\n", fd))
    os.close(fd)
    tap(got in (errno.EPERM, errno.EACCES) and open(KNOBS + "/log_ratelimit").read() == old,
        "knob descriptor opened by root, written by uid 65534: refused (got %s)" %
        errno.errorcode.get(got, got))
    tap(read_table() == before, "unprivileged writers changed nothing")


def knob_fuzz(rnd, tap):
    bad = []
    for _ in range(150):
        k = rnd.choice(list(KNOB_RANGE))
        lo, hi = KNOB_RANGE[k]
        v = rnd.choice([lo, hi, lo - 1, hi + 1, rnd.randint(lo, hi), -5, 2**31, 2**32 + 1])
        text = rnd.choice(["%d", "%d\n", " %d\n"]) % v
        exp_ok = lo <= v <= hi
        if rnd.random() < 0.2:
            text, exp_ok = rnd.choice(["", "x\n", "1x\n", "0x10\n", "--1\n", "\n"]), None
        old = int(open(KNOBS + "/" + k).read())
        err = kwrite(KNOBS + "/" + k, text.encode())
        new = int(open(KNOBS + "/" + k).read())
        if not lo <= new <= hi:
            bad.append("%s=%d out of range after %r" % (k, new, text))
        if exp_ok is True and (err or new != v):
            bad.append("%s: %r refused (%s) or not applied (%d)" % (k, text, err, new))
        if exp_ok is False and (not err or new != old):
            bad.append("%s: %r accepted (now %d)" % (k, text, new))
    tap(not bad, "150 knob writes: exactly the in-range integers accepted")
    for b in bad[:5]:
        print("# " + b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-t", type=float, default=25)
    ap.add_argument("-s", type=int, default=int(time.time()))
    a = ap.parse_args()
    rnd = random.Random(a.s)
    n = [0]
    failed = [0]

    def tap(ok, what):
        n[0] += 1
        failed[0] += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n[0], what))
        sys.stdout.flush()

    print("TAP version 13")
    if os.geteuid() != 0 or not os.path.exists(POL):
        print("1..0 # SKIP needs root and forkgov loaded")
        return 4
    print("# seed %d, %.0f s" % (a.s, a.t))
    paths = [TOP, TOP + "/a", TOP + "/b", TOP + "/a/c", TOP + "/sp ace",
             TOP + "/tab\tx", TOP + "/back\\slash", TOP + "/gone"]
    for p in paths[:-1]:
        os.makedirs(CG + p, exist_ok=True)
    saved = {k: open(KNOBS + "/" + k).read() for k in KNOB_RANGE}
    kwrite(POL, b"flush\n")
    gen = Gen(rnd, paths)
    try:
        privilege_checks(tap, gen)
        knob_fuzz(rnd, tap)
        for k, v in saved.items():
            kwrite(KNOBS + "/" + k, v.encode())

        model = {}
        kwrite(POL, b"flush\n")
        mismatches, writes, accepted = [], 0, 0
        max_pol = int(saved["max_policies"])
        end = time.monotonic() + a.t
        while time.monotonic() < end and len(mismatches) < 200:
            if rnd.random() < 0.03:
                max_pol = rnd.choice([2, 3, 5, int(saved["max_policies"])])
                kwrite(KNOBS + "/max_policies", b"%d\n" % max_pol)
            data = gen.write()
            want, new, exact = model_write(model, data, max_pol)
            got = kwrite(POL, data)
            writes += 1
            accepted += got == 0
            same = got == want or (want == AMBIG and got in (errno.EINVAL, errno.ERANGE))
            if (got == 0) != (want == 0) or (exact and not same):
                mismatches.append("write %r: kernel %s, model %s" %
                                  (data[:300], errno.errorcode.get(got, got),
                                   "EINVAL|ERANGE" if want == AMBIG else
                                   errno.errorcode.get(want, want)))
            if got == 0:
                model = new
            problems = []
            pols = check_table(model, problems)
            if problems:
                mismatches.append("after %r: %s" % (data[:300], "; ".join(problems[:3])))
                model = {p: None for p in pols}  # resynchronise below
                kwrite(POL, b"flush\n")
                model = {}
            elif pols and rnd.random() < 0.1:
                before = read_table()
                err = kwrite(POL, rewrite_table(pols))
                strip = lambda t: [" ".join(w for w in l.split(" ")
                                            if w.split("=")[0] not in ("tokens", "peak_1s"))
                                   for l in t.splitlines()]
                if err or [l for l in strip(read_table()) if l.startswith("policy")] != \
                        [l for l in strip(before) if l.startswith("policy")]:
                    mismatches.append("table written back: %s" % errno.errorcode.get(err, err))
        kwrite(KNOBS + "/max_policies", saved["max_policies"].encode())
        print("# %d writes, %d accepted" % (writes, accepted))
        tap(not mismatches, "%d fuzzed policy writes agree with the documented grammar "
            "and the table stays consistent" % writes)
        # Group the findings, so that one known bug does not hide the others.
        groups = {}
        for m in mismatches:
            if re.search(r"\\\\[4-7][0-7][0-7]", m):
                key = "a \\ooo escape above \\377 in the path"
            elif "rate=none" in m:
                key = "rate=none"
            else:
                key = "other"
            groups.setdefault(key, []).append(m)
        for key, ms in sorted(groups.items()):
            print("# %d mismatch(es) with %s, e.g.:" % (len(ms), key))
            for m in ms[:4]:
                print("#   " + m)
        tap(writes > 50 and accepted > 5, "fuzzer made progress (%d writes, %d accepted)" %
            (writes, accepted))
    finally:
        kwrite(POL, b"flush\n")
        for k, v in saved.items():
            kwrite(KNOBS + "/" + k, v.encode())
        for p in sorted(paths[:-1], key=len, reverse=True):
            try:
                os.rmdir(CG + p)
            except OSError:
                pass
    print("1..%d" % n[0])
    return 1 if failed[0] else 0


if __name__ == "__main__":
    sys.exit(main())
