# SPDX-License-Identifier: GPL-2.0
"""A threaded Python program that runs a multiprocessing Pool.

usage: python3 mt_fork.py fork|spawn

With the 'fork' start method each worker is a copy of a multithreaded
process that runs Python code without exec: the hazard forkgov reports.
With 'spawn' each worker execs a fresh interpreter and is not reported."""
import multiprocessing as mp
import sys
import threading
import time


def background():
    while True:
        time.sleep(0.05)


def work(x):
    return x * x


if __name__ == "__main__":
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    threading.Thread(target=background, daemon=True).start()
    with mp.get_context(method).Pool(4) as pool:
        total = sum(pool.map(work, range(100)))
    print(f"  python: a '{method}' pool of 4 workers computed {total}")
