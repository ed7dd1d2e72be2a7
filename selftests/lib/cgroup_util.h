/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers for selftests that work in cgroup v2 and with forkgov's
 * policy table.  Cgroups are named by their path below the cgroup2 root
 * ("/fgtest-a/b"), the form /proc/forkgov/policies uses.  Functions that can
 * fail return 0 or a negative errno.
 */
#ifndef _FG_CGROUP_UTIL_H
#define _FG_CGROUP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CG_ROOT			"/sys/fs/cgroup"
#define FG_POLICIES		"/proc/forkgov/policies"
#define FG_STATS		"/proc/forkgov/stats"

/* Is cgroup2 mounted at CG_ROOT? */
bool cg_available(void);
/* Is forkgov loaded? */
bool fg_loaded(void);

int cg_create(const char *cg);
int cg_write(const char *cg, const char *file, const char *buf);
int cg_read(const char *cg, const char *file, char *buf, size_t size);
/* A file that holds one number (pids.current), or -1. */
long cg_read_long(const char *cg, const char *file);
/* The value of @key in a "key value" file (cpu.stat, cgroup.events), or -1. */
long cg_read_key(const char *cg, const char *file, const char *key);
int cg_enter(const char *cg, pid_t pid);
int cg_enter_current(const char *cg);
/* Kill every task of @cg and its descendants, remove them all. */
int cg_destroy(const char *cg);

/* Unload forkgov, retrying while a task still holds it (up to 5 s). */
int fg_unload(void);
/* Load the module file @ko with module parameters @params ("" for none). */
int fg_load(const char *ko, const char *params);

/* Write one or more lines to /proc/forkgov/policies in one write(2). */
int fg_policy_write(const char *lines);

/*
 * FG_TIMEOUT_SCALE from the environment (tools/testing/vm.sh exports 1, or
 * 3 on the debug kernel): the factor for waits that only bound how long
 * something may take.  1 when unset or not a positive integer.
 */
int fg_timeout_scale(void);

/*
 * The machine's own pace: the mean time in seconds of @n forks of the
 * caller whose child exits at once, each reaped before the next; negative
 * when a fork fails.  Tests that need forks to come faster than a rate
 * choose the rate from it.
 */
double fg_fork_cost(int n);

/*
 * The whole factor by which an interval of @interval seconds must grow to
 * hold @forks forks of @cost seconds each (fg_fork_cost()): 1 on a machine
 * fast enough.  A test that needs forks faster than a rate divides the
 * rate by it.
 */
int fg_slowdown(double cost, int forks, double interval);

/* Whole-file helpers; read_text() NUL-terminates and returns the length. */
int write_text(const char *path, const char *buf);
ssize_t read_text(const char *path, char *buf, size_t size);

#endif /* _FG_CGROUP_UTIL_H */
