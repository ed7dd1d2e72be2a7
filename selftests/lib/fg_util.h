/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers that most selftests wrote for themselves: the monotonic clock, a
 * whole file of any size, a counter of /proc/forkgov/stats, a field of
 * /proc/PID/stat, and the kernel log as syslog(2) returns it (raw bytes,
 * unlike /dev/kmsg, which escapes control bytes itself).
 */
#ifndef _FG_UTIL_H
#define _FG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in seconds. */
double fg_now(void);

/* The whole of @path, NUL-terminated, length in *@len (may be NULL); free(). */
char *fg_read_file(const char *path, size_t *len);

/* The counter @key of /proc/forkgov/stats, or -1. */
long long fg_stat(const char *key);

/*
 * Wait until fg_stat(@key) equals @want, up to @secs times
 * fg_timeout_scale(); returns the last value read.
 */
long long fg_stat_wait(const char *key, long long want, double secs);

/* The state letter of /proc/@pid/stat ('R', 'S', 'D', ...), or 0. */
char fg_proc_state(pid_t pid);

/* The kernel log through syslog(2), NUL-terminated; free(). */
char *fg_kernel_log(size_t *len);

/* A copy of the line of @log that contains @needle, or NULL; free(). */
char *fg_log_line(const char *log, const char *needle);

/*
 * Wait up to @secs times fg_timeout_scale() for a kernel-log line that
 * contains @needle; a copy of it, or NULL.
 */
char *fg_log_wait(const char *needle, double secs);

/* No byte of @s[0..@len) is a control byte or above 0x7e, but newlines. */
bool fg_clean_text(const char *s, size_t len);

/* A printf-formatted write to /proc/forkgov/policies: 0 or -errno. */
int fg_polf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The number after " @key=" on the table line "@kind @path ..." (@kind
 * "policy" or "child"), or LLONG_MIN.
 */
long long fg_policy_field(const char *kind, const char *path,
			  const char *key);

/* The cgroup @cg (relative to the cgroup2 root) opened as a directory. */
int fg_open_cg(const char *cg);

/* clone3() into the cgroup open at @fd, the child exiting at once: 0 or errno. */
int fg_clone_into(int fd);

/* rmdir @cg, retrying while a reaped task is still leaving it: 0 or -errno. */
int fg_rmdir_cg(const char *cg);

/*
 * Fork @n children, each exiting at once, from a worker that joined @cg:
 * how many forks failed, or -1 if the worker could not join.
 */
int fg_fork_in(const char *cg, int n);

/* /dev/kmsg opened after every record logged so far, or -1. */
int fg_kmsg_open(void);

/*
 * Records read from @fd (fg_kmsg_open()) that contain @needle; if @more is
 * not NULL, the largest "(N more ...)" among them, or -1.
 */
int fg_kmsg_count(int fd, const char *needle, long *more);

/*
 * The next record read from @fd (fg_kmsg_open()) that contains @needle, in
 * a static buffer, or NULL when none is left.
 */
const char *fg_kmsg_next(int fd, const char *needle);

#endif /* _FG_UTIL_H */
