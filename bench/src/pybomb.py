# SPDX-License-Identifier: GPL-2.0
"""A Python multiprocessing fork bomb for the containment bench.

Every worker starts a helper thread (so that each fork is a fork of a
multithreaded process), then starts two more workers with the 'fork' start
method, retrying at once whenever a fork fails, and waits for them.  Run it
only in a cgroup that is killed afterwards (bench/src/bombrun.c)."""
import multiprocessing as mp
import threading
import time

CTX = mp.get_context("fork")


def helper():
    while True:
        time.sleep(0.05)


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
    worker()
