#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw output of bench/run.sh's guest runs into bench/results/.

usage: report.py RESULTS_DIR

RESULTS_DIR holds hookcost/ (meta.txt, hookcost.tsv, rate.tsv), bomb/ (meta.txt,
smp2.tsv, bomb.tsv, probe-CASE.log, bomb-CASE.policy) and containment/
(meta.txt, guest-info, modes.tsv, contain.tsv, probe-*.log, policy-*.txt,
stats-*.{before,after}).  Writes RESULTS_DIR/README.md, the gnuplot scripts
bomb-latency.gp and containment-latency.gp and, through gnuplot, their PNGs.
The hand-written RESULTS_DIR/findings.md is appended once, at the end.
"""
import os
import re
import subprocess
import sys

HOOK_CASES = [
    ("absent", "module not loaded (baseline)"),
    ("no-policy", "loaded, no policy: hook not installed"),
    ("rate-none", "only a rate=none policy, on the caller's cgroup"),
    ("lineage-on", "loaded, no policy, lineage defence on (the default)"),
    ("nomatch-d1", "1 policy elsewhere; caller at depth 1 (level index)"),
    ("nomatch-d8", "1 policy elsewhere; caller at depth 8 (level index)"),
    ("match-d1", "policy on the caller's cgroup, depth 1"),
    ("deny-d1", "the same cgroup, every call denied (deny_delay=0)"),
    ("disabled", "the same policy, kernel.forkgov.enabled=0"),
    ("match-d8-top", "caller at depth 8, policy 7 levels up"),
    ("match-d8-all", "caller at depth 8, a policy on each of 8 levels"),
    ("10k-match", "10,000 policies, caller's cgroup has one"),
    ("10k-nomatch", "10,000 policies, none on the caller's chain"),
    ("10k-sibling", "10,000 policies on the caller's siblings, none on it"),
    ("per-child-1000", "per-child template, 1,000 child buckets"),
]
BOMB_CASES = [
    ("none", "no limit"),
    ("pids", "pids.max alone"),
    ("deny", "forkgov deny"),
    ("throttle", "forkgov throttle"),
]


def read_kv(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        parts = line.rstrip("\n").split(None, 1)
        if len(parts) == 2:
            out[parts[0]] = parts[1]
    return out


def read_tsv(path):
    if not os.path.exists(path):
        return []
    return [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def fields(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def hook_section(d):
    rows = read_tsv(os.path.join(d, "hookcost", "hookcost.tsv"))
    ein = {r[0]: float(r[2]) for r in rows if r[1] == "einval"}
    out = []
    base = ein.get("absent")
    out.append("| case | what | instructions per call | added by forkgov | ratio |")
    out.append("| ---- | ---- | --------------------: | ---------------: | ----: |")
    for name, what in HOOK_CASES:
        if name not in ein:
            continue
        v = ein[name]
        # Medians can differ by a fraction of an instruction: no "-0".
        out.append("| `%s` | %s | %.0f | %+d | %.3f |" %
                   (name, what, v, round(v - base), v / base))
    out.append("")
    forks = {}
    for r in rows:
        if r[1] in ("fork", "vfork"):
            forks.setdefault(r[1], {})[r[0]] = float(r[2])
    if forks:
        out.append("Full process creation (fork or vfork, child `_exit(0)`, "
                   "parent `waitpid`), instructions per fork+exit+wait:")
        out.append("")
        out.append("| mode | module absent | loaded, no policy | matching policy (depth 1) | ratio no policy | ratio matching |")
        out.append("| ---- | ------------: | ----------------: | ------------------------: | --------------: | -------------: |")
        for mode in ("fork", "vfork"):
            f = forks.get(mode, {})
            if "absent" not in f:
                continue
            a, n, m = f["absent"], f.get("no-policy"), f.get("match-d1")
            out.append("| %s | %.0f | %.0f | %.0f | %.4f | %.4f |" %
                       (mode, a, n, m, n / a, m / a))
        out.append("")
        out.append("Unlike the fast path, a real fork is not exactly repeatable under icount "
                   "(memory placement, deferred work): differences of up to ±3% between these "
                   "columns are noise, and the hook's few hundred instructions are about 0.15% "
                   "of a fork+exit+wait.")
        out.append("")
    return out


def rate_section(d):
    rows = read_tsv(os.path.join(d, "hookcost", "rate.tsv"))
    out = ["| action | rate (/s) | burst | T (s) | attempts/s | allowed | rate·T + burst | difference | allowed / expected |",
           "| ------ | --------: | ----: | ----: | ---------: | ------: | -------------: | ---------: | -----------------: |"]
    diffs = set()
    for r in rows:
        rate, burst, secs, ok, eagain = (float(x) for x in r[:5])
        action = r[5] if len(r) > 5 else "deny"
        exp = rate * secs + burst
        if action == "deny":
            diffs.add(round(ok - exp, 1))
        out.append("| %s | %d | %d | %.3f | %.0f | %d | %.1f | %+.1f | %.4f |" %
                   (action, rate, burst, secs, (ok + eagain) / secs, ok, exp, ok - exp, ok / exp))
    out.append("")
    if diffs == {-1.0}:
        out.append("Every deny rate is exact to the token: the bucket starts full (burst), then one "
                   "token falls due every 1/rate; the token due exactly at T lies outside the "
                   "half-open window [0, T) of the measurement, hence rate·T + burst − 1.")
        out.append("")
    return out


def smp_section(d):
    rows = read_tsv(os.path.join(d, "bomb", "smp2.tsv"))
    v = {(r[0], r[1]): float(r[2]) for r in rows}
    if not v:
        return []
    what = {"absent": "module absent",
            "shared-bucket": "one subtree policy on their cgroup: one bucket, one lock",
            "match-d1": "one subtree policy on their cgroup: one bucket, one lock",
            "own-bucket": "per-child policy, each process in its own child: two buckets"}
    out = ["| case | processes | ns per call, each (median) | calls/s, all processes |",
           "| ---- | --------: | -------------------------: | ---------------------: |"]
    order = ["absent", "shared-bucket", "match-d1", "own-bucket"]
    for (name, procs), ns in sorted(v.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else 9, kv[0][1])):
        out.append("| %s | %s | %.0f | %.0f |" % (what.get(name, name), procs, ns, int(procs) * 1e9 / ns))
    out.append("")
    return out


def probe_stats(path, t0, t1):
    sleep, spawn, fails = [], [], 0
    for line in open(path):
        p = line.split()
        t = float(p[0])
        if not (t0 <= t < t1):
            continue
        if p[1] == "sleep":
            sleep.append(float(p[2]))
        elif p[2] == "fail":
            fails += 1
        else:
            spawn.append(float(p[2]))
    return sleep, spawn, fails


def bomb_section(d, results):
    bd = os.path.join(d, "bomb")
    runs = {}
    for line in open(os.path.join(bd, "bomb.tsv")):
        name, rest = line.split(None, 1)
        runs[name] = fields(rest)
    info = read_kv(os.path.join(bd, "guest-info-bomb"))
    ncpu = int(info.get("cpus", "2"))
    out = ["| case | probe sleep overshoot p50 / p99 / max (ms) | probe fork+exec p50 / max (ms), failed | bomb CPU share | forks attempted | forks allowed (bomb / policy) | peak tasks | cleanup (ms) |",
           "| ---- | ---------------------------------------: | -------------------------------------: | -------------: | --------------: | ----------------------------: | ---------: | -----------: |"]
    base_sleep, base_spawn = [], []
    for name, what in BOMB_CASES:
        r = runs.get(name)
        if not r:
            continue
        kill = float(r["bomb_seconds"])
        s, sp, f = probe_stats(os.path.join(bd, "probe-%s.log" % name), 0, kill)
        bs, bsp, _ = probe_stats(os.path.join(bd, "probe-%s.log" % name), -10, 0)
        base_sleep += bs
        base_spawn += bsp
        pol = "-"
        pf = os.path.join(bd, "bomb-%s.policy" % name)
        if os.path.exists(pf) and os.path.getsize(pf):
            pol = fields(open(pf).read()).get("allowed", "-")
        share = int(r["cpu_usec"]) / (kill * 1e6 * ncpu)
        out.append("| %s | %.1f / %.1f / %.1f | %.0f / %.0f, %d | %.0f%% | %s | %s / %s | %s | %.0f |" %
                   (what, pct(s, 50), pct(s, 99), max(s), pct(sp, 50),
                    max(sp) if sp else float("nan"), f, share * 100,
                    r["attempts"], r["allowed"], pol, r["peak_tasks"],
                    float(r["cleanup_ms"])))
    out.append("")
    out.append("Probe alone (the second before each bomb, all four runs): sleep overshoot "
               "p50 %.1f ms, p99 %.1f ms, max %.1f ms; fork+exec p50 %.0f ms, max %.0f ms." %
               (pct(base_sleep, 50), pct(base_sleep, 99), max(base_sleep),
                pct(base_spawn, 50), max(base_spawn)))
    out.append("")
    pols = {}
    for name in ("deny", "throttle"):
        pf = os.path.join(bd, "bomb-%s.policy" % name)
        if os.path.exists(pf):
            pols[name] = open(pf).read().strip()
    if pols:
        out.append("The policy lines after each run:")
        out.append("")
        out.append("```")
        out += [pols[k] for k in sorted(pols)]
        out.append("```")
        out.append("")
    plot(bd, runs, results)
    return out


def plot(bd, runs, results):
    gp = os.path.join(results, "bomb-latency.gp")
    png = os.path.join(results, "bomb-latency.png")
    lines = [
        "set terminal pngcairo size 1400,900 font ',11'",
        "set output 'bomb-latency.png'",
        "set multiplot layout 2,2 title \"Probe latency while a fork bomb runs in another cgroup\\n"
        "black dashed: bomb starts; red: cgroup.kill; green dotted: bomb cgroup empty\"",
        "set logscale y",
        "set yrange [0.05:5000]",
        "set xlabel 'seconds since the bomb started'",
        "set ylabel 'milliseconds'",
        "set grid",
        "set key top left",
        "set xrange [-1.2:%.1f]" % max(float(r["bomb_seconds"]) + float(r["cleanup_ms"]) / 1e3 + 1.3
                                       for r in runs.values()),
    ]
    for name, what in BOMB_CASES:
        if name not in runs:
            continue
        log = os.path.join("bomb", "probe-%s.log" % name)
        kill = float(runs[name]["bomb_seconds"])
        clean = kill + float(runs[name]["cleanup_ms"]) / 1e3
        lines += [
            "set title '%s'" % what,
            "unset arrow",
            "set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2",
            "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead lc rgb 'red' lw 2" % (kill, kill),
            "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead lc rgb 'dark-green' dt 3" % (clean, clean),
            "plot \"< grep ' sleep ' '%s'\" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0' title '10 ms sleep: overshoot', "
            "\"< grep ' spawn [0-9]' '%s'\" using 1:3 with points pt 7 ps 0.8 lc rgb '#d07000' title 'fork+exec /bin/true', "
            "\"< grep ' spawn fail' '%s' || echo '-100 spawn fail'\" using 1:(3000) with points pt 2 ps 1.2 lc rgb 'red' title 'fork failed'" % (log, log, log),
        ]
    lines.append("unset multiplot")
    open(gp, "w").write("\n".join(lines) + "\n")
    subprocess.run(["gnuplot", "bomb-latency.gp"], check=True, cwd=results)


CONTAIN_BOMBS = [
    ("c", "C `for (;;) fork()`"),
    ("bash", "bash function bomb"),
    ("py", "Python multiprocessing (fork, helper thread)"),
]
CONTAIN_MODES = ["none", "pids", "lineage", "deny", "deny0", "throttle",
                 "throttle-cpu", "floor"]


def med_range(values, fmt):
    """The median, and the range in parentheses when there are several."""
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    v = sorted(values)
    m = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    if len(v) == 1 or (fmt % v[0]) == (fmt % v[-1]):
        return fmt % m
    return (fmt + " (" + fmt + "–" + fmt + ")") % (m, v[0], v[-1])


def median(values):
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def stat_failures(cd, tag):
    """Forks refused by forkgov without a policy (the lineage defence):
    the growth of its /proc/forkgov/stats counters named lineage*deny* or
    lineage*refus*, when the module has such counters."""
    b = read_kv(os.path.join(cd, "stats-%s.before" % tag))
    a = read_kv(os.path.join(cd, "stats-%s.after" % tag))
    n = 0
    for k, v in a.items():
        if "lineage" in k and re.search("den|refus|fail", k):
            try:
                n += int(v.split()[0]) - int(b.get(k, "0").split()[0])
            except ValueError:
                pass
    return n


def contain_runs(cd):
    runs = []
    path = os.path.join(cd, "contain.tsv")
    if not os.path.exists(path):
        return runs
    for line in open(path):
        if not line.startswith("bomb="):
            continue
        r = fields(line)
        tag = "%s-%s-%s-%s" % (r["bomb"], r["mode"], r["rate"], r["rep"])
        kill = float(r["bomb_seconds"])
        s, sp, f = probe_stats(os.path.join(cd, "probe-%s.log" % tag), 0, kill)
        r.update(tag=tag, kill=kill, sleep=s, spawn=sp, spawn_fail=f,
                 cpu=int(r["cpu_usec"]) / (kill * 1e6) * 100)
        allowed = int(r["allowed"]) if r["allowed"] != "-1" else int(r["new_tasks"])
        if r["attempts"] != "-1":
            attempts = int(r["attempts"])
        else:
            attempts = (int(r["new_tasks"]) + int(r["pids_max_events"]) +
                        int(r.get("policy_denied", 0)) + stat_failures(cd, tag))
        r.update(n_allowed=allowed, n_attempts=attempts)
        runs.append(r)
    return runs


def contain_section(d, results):
    cd = os.path.join(d, "containment")
    runs = contain_runs(cd)
    if not runs:
        return ["(no containment run recorded yet: `BENCH_ONLY=containment make bench`)", ""]
    info = read_kv(os.path.join(cd, "guest-info"))
    out = []
    modes = read_tsv(os.path.join(cd, "modes.tsv"))
    out += ["Modes as they ran on this module (forkgov %s; `deny_delay` key: %s; "
            "lineage knobs: %s):" % (info.get("forkgov", "?"), info.get("deny_delay", "?"),
                                     info.get("lineage", "?")), "",
            "| mode | rate (/s) | setup of `/bomb` |", "| ---- | --------: | ---------------- |"]
    for m in modes:
        out.append("| %s | %s | %s |" % (m[0], m[1] if m[0] not in ("none", "pids", "lineage") else "-",
                                         m[2].replace("|", "\\|")))
    out.append("")
    idle = [r for r in runs if r["bomb"] == "idle"]
    isp = [x for r in idle for x in r["spawn"]]
    isl = [x for r in idle for x in r["sleep"]]
    i50, i95 = pct(isp, 50), pct(isp, 95)
    if isp:
        out += ["Probe alone (idle runs, %d of %s s, pooled): fork+exec p50 %.1f ms, p95 %.1f ms, "
                "max %.1f ms; 10 ms sleep overshoot p50 %.2f ms, p99 %.2f ms, max %.1f ms." %
                (len(idle), idle[0]["bomb_seconds"], i50, i95,
                 max(isp), pct(isl, 50), pct(isl, 99), max(isl)), ""]
    reps = max(int(r["rep"]) for r in runs)
    out += ["Each cell: the median of %d repetition%s%s.  CPU is the bomb cgroup's "
            "`usage_usec` over the bomb's life in %% of **one** CPU (the guest has 2); "
            "\"×floor\" divides it by the floor mode's at the same rate.  Probe "
            "fork+exec p50 / p95 / max in ms during the bomb, and p50 and p95 as multiples "
            "of the idle probe's; sleep: overshoot of a 10 ms sleep p50 / p99 in ms.  "
            "Tasks: the peak of `pids.current`.  Forks attempted / allowed: the C bomb's own "
            "counts; for bash and Python, allowed is the tasks created (`/proc/stat` "
            "`processes`, threads included, less the probe's) and attempted adds the forks "
            "refused (pids.events `max`, the policy's `denied`).  Cleanup: `cgroup.kill` "
            "until the cgroup is empty and reaped (ms)." %
            (reps, "s" if reps > 1 else "", ", the range in parentheses" if reps > 1 else ""), ""]
    keyorder = {m: i for i, m in enumerate(CONTAIN_MODES)}
    groups = {}
    for r in runs:
        if r["bomb"] != "idle":
            groups.setdefault((r["bomb"], r["mode"], r["rate"]), []).append(r)
    floor = {(b, rate): median([x["cpu"] for x in g])
             for (b, m, rate), g in groups.items() if m == "floor"}
    for bomb, what in CONTAIN_BOMBS:
        keys = sorted((k for k in groups if k[0] == bomb),
                      key=lambda k: (keyorder.get(k[1], 99), k[2] == "-" and -1 or int(k[2])))
        if not keys:
            continue
        out += ["**%s**" % what, "",
                "| mode | rate | bomb CPU (% of 1) | ×floor | probe fork+exec p50 / p95 / max (ms) | p50, p95 ×idle | sleep p50 / p99 (ms) | tasks | forks attempted / allowed | cleanup (ms) |",
                "| ---- | ---: | ----------------: | -----: | ----------------------------------: | -------------: | -------------------: | ----: | ------------------------: | -----------: |"]
        for k in keys:
            g = groups[k]
            cpu = med_range([x["cpu"] for x in g], "%.1f")
            fl = floor.get((bomb, k[2]))
            xf = "%.2f" % (median([x["cpu"] for x in g]) / fl) if fl else "-"
            p50 = [pct(x["spawn"], 50) for x in g]
            p95 = [pct(x["spawn"], 95) for x in g]
            mx = [max(x["spawn"]) if x["spawn"] else float("nan") for x in g]
            fails = sum(x["spawn_fail"] for x in g)
            ratio = ("%.2f, %.2f" % (median(p50) / i50, median(p95) / i95)) if isp else "-"
            out.append("| %s | %s | %s | %s | %s / %s / %s%s | %s | %s / %s | %s | %s / %s | %s |" % (
                k[1], k[2], cpu, xf, med_range(p50, "%.0f"), med_range(p95, "%.0f"),
                med_range(mx, "%.0f"), ", %d failed" % fails if fails else "", ratio,
                med_range([pct(x["sleep"], 50) for x in g], "%.1f"),
                med_range([pct(x["sleep"], 99) for x in g], "%.0f"),
                med_range([float(x["peak_tasks"]) for x in g], "%.0f"),
                med_range([float(x["n_attempts"]) for x in g], "%.0f"),
                med_range([float(x["n_allowed"]) for x in g], "%.0f"),
                med_range([float(x["cleanup_ms"]) for x in g], "%.0f")))
        out.append("")
    contain_plot(cd, runs, results)
    out += ["![probe latency during each bomb](containment-latency.png)", ""]
    return out


def contain_plot(cd, runs, results):
    """Rows: bombs; columns: modes (first rate, first repetition)."""
    first = {}
    for r in runs:
        if r["bomb"] == "idle" or r["rep"] != "1":
            continue
        key = (r["bomb"], r["mode"])
        if key not in first or (r["rate"] != "-" and int(r["rate"]) < int(first[key]["rate"])):
            first[key] = r
    bombs = [b for b, _ in CONTAIN_BOMBS if any(k[0] == b for k in first)]
    modes = [m for m in CONTAIN_MODES if any(k[1] == m for k in first)]
    if not bombs or not modes:
        return
    lines = [
        "set terminal pngcairo size %d,%d font ',10'" % (360 * len(modes) + 80, 300 * len(bombs) + 80),
        "set output 'containment-latency.png'",
        "set multiplot layout %d,%d title \"Probe in a sibling cgroup during each bomb (first repetition, lowest rate)\\n"
        "blue: 10 ms sleep overshoot; orange: fork+exec /bin/true; red line: cgroup.kill\"" % (len(bombs), len(modes)),
        "set logscale y", "set yrange [0.05:5000]", "set grid", "unset key",
        "set xrange [-1.2:%.1f]" % (max(r["kill"] for r in first.values()) + 1.5),
    ]
    for b in bombs:
        for m in modes:
            r = first.get((b, m))
            if not r:
                lines.append("set multiplot next")
                continue
            log = os.path.join("containment", "probe-%s.log" % r["tag"])
            lines += [
                "set title '%s, %s%s (CPU %.0f%%)'" % (b, m, "" if r["rate"] == "-" else " %s/s" % r["rate"], r["cpu"]),
                "unset arrow",
                "set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2",
                "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead lc rgb 'red' lw 2" % (r["kill"], r["kill"]),
                "plot \"< grep ' sleep ' '%s'\" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "
                "\"< grep ' spawn [0-9]' '%s'\" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'" % (log, log),
            ]
    lines.append("unset multiplot")
    open(os.path.join(results, "containment-latency.gp"), "w").write("\n".join(lines) + "\n")
    subprocess.run(["gnuplot", "containment-latency.gp"], check=True, cwd=results)


def run_of(d, boot):
    """The date, commit, kernel and host of the run a section comes from."""
    path = os.path.join(d, boot, "meta.txt")
    if not os.path.exists(path):
        path = os.path.join(d, "meta.txt")     # results of an older run.sh
    if not os.path.exists(path):
        return ["(run not recorded)", ""]
    return ["```", open(path).read().strip(), "```", ""]


def main():
    d = sys.argv[1]
    hinfo = read_kv(os.path.join(d, "hookcost", "guest-info"))
    out = ["# forkgov benchmark results", "",
           "Produced by `make bench` (bench/run.sh); raw data beside this file in "
           "`hookcost/` and `bomb/`.  Every figure is measured in a QEMU TCG guest.  "
           "The two boots can be run apart (`BENCH_ONLY`): each section says which "
           "run it comes from.", ""]
    out += ["## Hook cost on the fast path", "",
            "One boot with `-smp 1 -icount shift=0,sleep=on`: guest time counts executed "
            "instructions (1 ns = 1 instruction), so these are deterministic instruction "
            "counts per call, the median of %s repetitions of %s calls.  The call is "
            "`clone(CLONE_SIGHAND)` without `CLONE_VM`, which `kernel_clone()` fails with "
            "EINVAL right after the hook ran (and charged a token), before any fork work.  "
            "Policies are `rate=1000000 burst=1000000`, so nothing is denied.  The module is "
            "unloaded and loaded between cases." %
            (os.environ.get("BENCH_REPS", "5"), os.environ.get("BENCH_CALLS", "100000")), ""]
    out += run_of(d, "hookcost")
    out += hook_section(d)
    out += ["## Two CPUs forking in one governed cgroup", "",
            "Wall clock, `-smp 2`, fast path as above, median of 9 repetitions of each "
            "process.  Single-threaded TCG runs the two vCPUs in turn on one host thread, "
            "so two processes together cannot go faster than one, and a vCPU can be "
            "descheduled while it holds the bucket's lock (the other then spins): compare "
            "the shared bucket with one bucket per process at 2 processes.  Cache-line "
            "contention on real hardware is not modelled at all; and wall-clock figures "
            "here moved by up to 2x between runs with other guests on the host.", ""]
    out += run_of(d, "bomb")
    out += smp_section(d)
    out += ["## Rate accuracy", "",
            "deny: a policy `rate=R burst=R/10` on the caller's cgroup; the caller makes "
            "fast-path calls for T seconds (each EINVAL is a fork the policy allowed, each "
            "EAGAIN one it denied) and we compare what was allowed with rate·T + burst.  "
            "throttle: `burst=1 max_delay=1000`, real fork+exit+wait in a loop; each fork "
            "waits for its token.  Same icount boot (guest time = instructions).", ""]
    out += ["The same run as the hook cost above.", ""]
    out += rate_section(d)
    out += ["## Fork-bomb containment", "",
            "`-smp 2`, 2 GiB, wall clock.  A fork bomb (every process calls `fork()` in a "
            "tight loop, never exits, retries failures) runs for a few seconds in `/bomb`; a "
            "probe in `/probe` sleeps 10 ms in a loop and records the overshoot, and every "
            "100 ms fork+execs `/bin/true`.  The bomb is killed with `cgroup.kill`; cleanup "
            "is the time until `/bomb` is empty and reaped.  forkgov cases: `rate=50/s "
            "burst=100` (throttle: `max_delay=1000`), with `pids.max=4000` as a safety net "
            "that is never reached; pids case: `pids.max=200`.  CPU share is the bomb "
            "cgroup's `usage_usec` over the bomb's life divided by 2 CPUs × its duration.  "
            "\"forks allowed (bomb)\" counts fork() calls that returned a pid; the "
            "policy's `allowed` also counts forks that passed the hook but were then "
            "aborted by the kill.", ""]
    out += ["The same run as the two CPUs above.", ""]
    out += bomb_section(d, d)
    out += ["![probe latency during the fork bomb](bomb-latency.png)", ""]
    out += ["## Containment bench: three bombs, modes, rates", "",
            "`-smp 2`, 2 GiB, wall clock (issue 14).  Each bomb runs in `/bomb` beside a "
            "probe in the sibling `/probe` (the probe of the section above); `/bomb` always "
            "has a safety net: `pids.max=2000` (the only limit in mode `none`), "
            "`memory.high=768M`, `memory.max=1G`, a time limit, `cgroup.kill` and a check "
            "that it is empty afterwards.  Re-run: `BENCH_ONLY=containment make bench` "
            "(see bench/README.md).", ""]
    out += run_of(d, "containment")
    out += contain_section(d, d)
    notes = os.path.join(d, "findings.md")
    if os.path.exists(notes):
        text = open(notes).read().rstrip()
        # Once, at the end: never twice, whatever the generated part holds.
        if text.splitlines()[0] not in out:
            out += [text, ""]
    open(os.path.join(d, "README.md"), "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
