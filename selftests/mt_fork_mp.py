#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Real clients of the fork-without-exec reporter, for mt_fork_test: a Python
# program that has started a thread creates one child the way named on the
# command line, waits for it and prints "PARENT_PID CHILD_PID EXIT_CODE" as
# its last line of output.
#
#   fork, spawn, forkserver   multiprocessing.Process with that start method
#   subprocess                subprocess.run() of /bin/true
#
# Only "fork" leaves the child running Python code without exec, in a copy of
# a process that had two threads.

import multiprocessing
import os
import subprocess
import sys
import threading


def work():
    pass


def main():
    method = sys.argv[1]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    if method == "subprocess":
        proc = subprocess.Popen(["/bin/true"])
        pid, code = proc.pid, proc.wait()
        subprocess.run(["/bin/true"], check=True)
    else:
        ctx = multiprocessing.get_context(method)
        proc = ctx.Process(target=work)
        proc.start()
        proc.join()
        pid, code = proc.pid, proc.exitcode
    stop.set()
    thread.join()
    print(os.getpid(), pid, code, flush=True)


if __name__ == "__main__":
    main()
