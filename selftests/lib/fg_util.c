// SPDX-License-Identifier: GPL-2.0
/*
 * Clock, file, counter and kernel-log helpers for selftests; see fg_util.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_util.h"
#include "fg_util.h"

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

double fg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

char *fg_read_file(const char *path, size_t *lenp)
{
	size_t size = 1 << 16, len = 0;
	char *buf, *bigger;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(size);
	while (buf && (n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (len + 1 < size)
			continue;
		size *= 2;
		bigger = realloc(buf, size);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

long long fg_stat(const char *key)
{
	char *s = fg_read_file(FG_STATS, NULL), *p;
	long long v = -1;
	size_t klen = strlen(key);

	if (!s)
		return v;
	for (p = s; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == ' ') {
			v = strtoll(p + klen + 1, NULL, 10);
			break;
		}
	}
	free(s);
	return v;
}

long long fg_stat_wait(const char *key, long long want, double secs)
{
	double end = fg_now() + secs * fg_timeout_scale();
	long long v;

	while ((v = fg_stat(key)) != want && fg_now() < end)
		usleep(50000);
	return v;
}

char fg_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return 0;
	/* "pid (comm) S ...": comm may hold anything, even ") ". */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

char *fg_kernel_log(size_t *lenp)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n;
	char *buf;

	if (size <= 0)
		return NULL;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (lenp)
		*lenp = n;
	return buf;
}

char *fg_log_line(const char *log, const char *needle)
{
	const char *p = strstr(log, needle), *s, *e;

	if (!p)
		return NULL;
	for (s = p; s > log && s[-1] != '\n'; s--)
		;
	e = strchrnul(p, '\n');
	return strndup(s, e - s);
}

char *fg_log_wait(const char *needle, double secs)
{
	double end = fg_now() + secs * fg_timeout_scale();
	char *log, *line;

	for (;;) {
		log = fg_kernel_log(NULL);
		line = log ? fg_log_line(log, needle) : NULL;
		free(log);
		if (line || fg_now() >= end)
			return line;
		usleep(100000);
	}
}

bool fg_clean_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c != '\n' && (c < 0x20 || c > 0x7e))
			return false;
	}
	return true;
}

int fg_polf(const char *fmt, ...)
{
	char line[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return write_text(FG_POLICIES, line);
}

long long fg_policy_field(const char *kind, const char *path,
			  const char *key)
{
	char *table = fg_read_file(FG_POLICIES, NULL), *line, *save, *p;
	char head[1024], pat[64];
	long long v = LLONG_MIN;

	if (!table)
		return v;
	snprintf(head, sizeof(head), "%s %s ", kind, path);
	snprintf(pat, sizeof(pat), " %s=", key);
	for (line = strtok_r(table, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, head, strlen(head)))
			continue;
		p = strstr(line, pat);
		if (p)
			v = strtoll(p + strlen(pat), NULL, 10);
		break;
	}
	free(table);
	return v;
}

int fg_open_cg(const char *cg)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int fg_clone_into(int fd)
{
	struct clone_args ca = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = fd,
	};
	pid_t pid = syscall(SYS_clone3, &ca, sizeof(ca));

	if (!pid)
		_exit(0);
	if (pid < 0)
		return errno;
	waitpid(pid, NULL, 0);
	return 0;
}

int fg_rmdir_cg(const char *cg)
{
	char path[PATH_MAX];
	int i;

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	for (i = 0; i < 1000; i++) {
		if (!rmdir(path))
			return 0;
		if (errno != EBUSY)
			return -errno;
		usleep(2000);
	}
	return -EBUSY;
}

int fg_fork_in(const char *cg, int n)
{
	int status, i, failed = 0;
	pid_t pid = fork(), c;

	if (!pid) {
		if (cg_enter_current(cg))
			_exit(255);
		for (i = 0; i < n; i++) {
			c = fork();
			if (!c)
				_exit(0);
			if (c < 0)
				failed++;
			else
				waitpid(c, NULL, 0);
		}
		_exit(failed > 254 ? 254 : failed);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

int fg_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

int fg_kmsg_count(int fd, const char *needle, long *more)
{
	char rec[8192], *p;
	int count = 0;
	ssize_t len;

	if (more)
		*more = -1;
	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (!strstr(rec, needle))
			continue;
		count++;
		p = strrchr(rec, '(');
		if (more && p && strtol(p + 1, NULL, 10) > *more)
			*more = strtol(p + 1, NULL, 10);
	}
	return count;
}

const char *fg_kmsg_next(int fd, const char *needle)
{
	static char rec[8192];
	ssize_t len;

	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (strstr(rec, needle))
			return rec;
	}
	return NULL;
}
