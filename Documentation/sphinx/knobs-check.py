#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the documented knobs, module parameters and policy keys against
module/: the sysctl tables (names, ranges), the variables behind them
(defaults), the module_param_named() list and the parser's key table.

Prints one line per mismatch and exits 1 if there is any; docs-check.sh runs
it.  Checked both ways: what the code has is documented, and what the
documentation names exists, with the same range and default in the table of
sysctl.rst, in each knob's own section ("Range A to B, default D"), and in
forkgov.7.
"""
import glob
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
DOC = ROOT + "/Documentation/admin-guide/forkgov"
SRC = {p: open(p).read() for p in sorted(glob.glob(ROOT + "/module/*.[ch]"))}
ALL = "\n".join(SRC.values())

errors = []


def value(expr):
    """The integer value of a C initialiser of module/, or None."""
    expr = expr.strip()
    known = {"SYSCTL_ZERO": "0", "SYSCTL_ONE": "1", "SYSCTL_TWO": "2",
             "SYSCTL_INT_MAX": str(2**31 - 1)}
    expr = re.sub(r"\(void \*\)\((.*)\)$", r"\1", expr)
    if expr in known:
        return int(known[expr])
    if expr.startswith("&"):
        m = re.search(r"\bint\s+%s\s*=\s*([^;]+);" % re.escape(expr[1:]), ALL)
        return value(m.group(1)) if m else None
    for _ in range(4):
        for name in re.findall(r"\b[A-Za-z_]\w*\b", expr):
            m = re.search(r"#define\s+%s\s+([^\n/]+)" % name, ALL)
            if m:
                expr = re.sub(r"\b%s\b" % name, "(%s)" % m.group(1).strip(),
                              expr)
    if not re.fullmatch(r"[0-9()+\-*/<> ]+", expr):
        return None
    return int(eval(expr))  # digits and operators only


def default(var):
    """The load-time value of the int variable @var: 0 if it has none."""
    m = re.search(r"^(?:static\s+)?int\s+%s(\s*=\s*([^;]+))?;" %
                  re.escape(var), ALL, re.M)
    if not m:
        return None
    return value(m.group(2)) if m.group(2) else 0


# Knobs: FG_KNOB("name", var, handler, min, max) and the like.
knobs = {}
for m in re.finditer(r'\b[A-Z]+_KNOB\(\s*"(\w+)",\s*(\w+),\s*(.*?)\)\s*,?\s*\n'
                     r'(?=\s*(?:[A-Z]+_KNOB|FG_CTL_TABLE_END))', ALL, re.S):
    args = [a.strip() for a in re.split(r",\s*", m.group(3).replace("\n", " "))]
    lo, hi = args[-2], args[-1]
    knobs[m.group(1)] = (value(lo), value(hi), default(m.group(2)))
params = {m.group(1): m.group(2) for m in
          re.finditer(r"module_param_named\((\w+),\s*(\w+),", ALL)}
keys = set(re.findall(r'\[FG_KEY_\w+\]\s*=\s*"(\w+)"', SRC.get(
    ROOT + "/module/parse.c", "")))

if not knobs or not params or not keys:
    print("found no knobs, parameters or keys in module/: has it changed shape?")
    sys.exit(1)
for name, (lo, hi, dflt) in knobs.items():
    if None in (lo, hi, dflt):
        errors.append("%s: cannot read range or default from module/" % name)

sysctl = open(DOC + "/sysctl.rst").read()
row = re.compile(r"^(\w+)_\s+(\d+) to (\d+), default (\d+)\s*$", re.M)
table = {m.group(1): tuple(map(int, m.group(2, 3, 4)))
         for m in row.finditer(sysctl)}
for name, want in knobs.items():
    if name not in table:
        errors.append("sysctl.rst: knob %s is not in the table" % name)
    elif table[name] != want:
        errors.append("sysctl.rst table: %s is %d to %d, default %d; the code"
                      " says %d to %d, default %d" % ((name,) + table[name] +
                                                      want))
for name in table:
    if name not in knobs:
        errors.append("sysctl.rst table: %s is not a knob" % name)

# Each knob's section: the title underlined, then "Range A to B, default D".
sections = re.split(r"\n(?=\w+\n=+\n)", sysctl)
for sec in sections:
    m = re.match(r"(\w+)\n=+\n", sec)
    if not m or m.group(1) not in knobs:
        continue
    want = knobs[m.group(1)]
    r = re.search(r"Range\s+(\d+)\s+to\s+(\d+),\s+default\s+(\d+)", sec)
    if not r:
        errors.append("sysctl.rst: section %s gives no range and default"
                      % m.group(1))
    elif tuple(map(int, r.groups())) != want:
        errors.append("sysctl.rst: section %s says %s to %s, default %s; the"
                      " code says %d to %d, default %d"
                      % ((m.group(1),) + r.groups() + want))
titles = set(re.findall(r"^(\w+)\n=+$", sysctl, re.M))
for t in titles - set(knobs) - {"Module"}:
    errors.append("sysctl.rst: a section for %s, which is not a knob" % t)

# Module parameters: every one is a knob, or documented as a parameter.
for p, var in params.items():
    if p in knobs:
        continue
    m = re.search(r"``%s``\s+\((\d+) to (\d+), default (\d+)\)" % p, sysctl)
    if not m:
        errors.append("sysctl.rst: module parameter %s has no range and"
                      " default" % p)
    elif int(m.group(3)) != default(var):
        errors.append("sysctl.rst: module parameter %s defaults to %s; the"
                      " code says %s" % (p, m.group(3), default(var)))

# forkgov.7's knob table: every knob, with its range and default.
man7 = open(ROOT + "/Documentation/man/forkgov.7.rst").read()
mrow = re.compile(r"^(\w+)\s+(\d+)(?:, | - )(\d+)\s+(\d+)\s", re.M)
mtable = {m.group(1): tuple(map(int, m.group(2, 3, 4)))
          for m in mrow.finditer(man7)}
for name, want in knobs.items():
    if name not in mtable:
        errors.append("forkgov.7: knob %s is not in the knob table" % name)
    elif mtable[name] != want:
        errors.append("forkgov.7: %s is %d - %d, default %d; the code says"
                      " %d - %d, default %d" % ((name,) + mtable[name] + want))
for name in set(mtable) - set(knobs):
    errors.append("forkgov.7: %s in the knob table is not a knob" % name)

# Policy keys: interface.rst's key table names exactly the parser's keys,
# with the parser's bounds and defaults (parse.h).
iface = open(DOC + "/interface.rst").read()
m = re.search(r"^(=+ +=+ +=+ +=+)\nkey +values +default +meaning\n=[= ]+\n"
              r"(.*?)\n=[= ]+\n", iface, re.M | re.S)
rows = {}
if not m:
    errors.append("interface.rst: no key table (key, values, default, meaning)")
else:
    cols = [c.start() for c in re.finditer(r"=+", m.group(1))]
    key = None
    for line in m.group(2).split("\n"):
        if line[:cols[1]].strip():
            key = line[:cols[1]].strip()
            rows[key] = ["", ""]
        rows[key][0] += " " + line[cols[1]:cols[2]].strip()
        rows[key][1] += " " + line[cols[2]:cols[3]].strip()
for k in sorted(keys - set(rows)):
    errors.append("interface.rst: policy key %s is not in the key table" % k)
for k in sorted(set(rows) - keys):
    errors.append("interface.rst: %s in the key table is not a policy key" % k)


def limit(name):
    return value(name)


want_rows = {
    "rate": (r"0 to %d/s" % limit("FG_RATE_MAX_PER_S"), None),
    "burst": (r"1 to %d" % limit("FG_BURST_MAX"), None),
    "max_delay": (r"0 to %d ms" % limit("FG_MAX_DELAY_MS"),
                  "``%d``" % limit("FG_DEFAULT_DELAY_MS")),
    "deny_delay": (r"0 to %d ms" % limit("FG_MAX_DENY_DELAY_MS"),
                   "``%d``" % limit("FG_DEFAULT_DENY_DELAY_MS")),
}
for k, (rng, dflt) in want_rows.items():
    if k not in rows:
        continue
    vals = re.sub(r"\s+", " ", rows[k][0])
    if rng not in vals:
        errors.append("interface.rst: key %s gives \"%s\", not \"%s\""
                      % (k, vals.strip(), rng))
    if dflt and rows[k][1].strip() != dflt:
        errors.append("interface.rst: key %s defaults to %s; the parser says %s"
                      % (k, rows[k][1].strip(), dflt))

for e in errors:
    print(e)
sys.exit(1 if errors else 0)
