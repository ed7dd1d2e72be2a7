# SPDX-License-Identifier: GPL-2.0
"""A Python multiprocessing fork bomb for the containment bench.

Every worker starts a helper thread (so that each fork is a fork of a
multithreaded process), then starts two more workers with the 'fork' start
method, retrying at once whenever a fork fails, and waits for them.  Run it
only in a cgroup that is killed afterwards (bench/src/bombrun.c).

With --ready (bombrun -r): print a line once everything is imported, then
wait for a line on stdin before the first fork."""
import multiprocessing as mp
import multiprocessing.popen_fork  # noqa: F401 (imported by the first start)
import sys
import threading

CTX = mp.get_context("fork")


def helper():
    # Blocks for ever without CPU: it is there so that every fork is the
    # fork of a multithreaded process, not to add load.
    threading.Event().wait()


def worker():
    threading.Thread(target=helper, daemon=True).start()
    kids = []
    while len(kids) < 2:
        p = CTX.Process(target=worker)
        try:
            p.start()
        except OSError:
            continue
        kids.append(p)
    for p in kids:
        p.join()


if __name__ == "__main__":
    if "--ready" in sys.argv[1:]:
        print("ready", flush=True)
        sys.stdin.readline()
        sys.stdout = open("/dev/null", "w")
    worker()
