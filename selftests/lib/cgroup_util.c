// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v2 and forkgov helpers for selftests; see cgroup_util.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_util.h"

#define CGROUP2_MAGIC	0x63677270

static int cg_path(char *buf, size_t size, const char *cg, const char *file)
{
	int n;

	n = snprintf(buf, size, "%s%s%s%s", CG_ROOT, cg, file ? "/" : "",
		     file ? file : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int write_text(const char *path, const char *buf)
{
	size_t len = strlen(buf);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -EIO;
}

ssize_t read_text(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

bool cg_available(void)
{
	struct statfs fs;

	return !statfs(CG_ROOT, &fs) && fs.f_type == CGROUP2_MAGIC;
}

bool fg_loaded(void)
{
	return !access("/sys/module/forkgov", F_OK);
}

int cg_create(const char *cg)
{
	char path[PATH_MAX];
	int ret;

	ret = cg_path(path, sizeof(path), cg, NULL);
	if (ret)
		return ret;
	return mkdir(path, 0755) ? -errno : 0;
}

int cg_write(const char *cg, const char *file, const char *buf)
{
	char path[PATH_MAX];
	int ret;

	ret = cg_path(path, sizeof(path), cg, file);
	return ret ? ret : write_text(path, buf);
}

int cg_read(const char *cg, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int ret;

	ret = cg_path(path, sizeof(path), cg, file);
	if (ret)
		return ret;
	n = read_text(path, buf, size);
	return n < 0 ? n : 0;
}

long cg_read_long(const char *cg, const char *file)
{
	char buf[64], *end;
	long v;

	if (cg_read(cg, file, buf, sizeof(buf)))
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	return errno || end == buf ? -1 : v;
}

long cg_read_key(const char *cg, const char *file, const char *key)
{
	char buf[4096], *line, *next, *end;
	size_t klen = strlen(key);
	long v;

	if (cg_read(cg, file, buf, sizeof(buf)))
		return -1;
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		errno = 0;
		v = strtol(line + klen + 1, &end, 10);
		return errno || end == line + klen + 1 ? -1 : v;
	}
	return -1;
}

int cg_enter(const char *cg, pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", pid);
	return cg_write(cg, "cgroup.procs", buf);
}

int cg_enter_current(const char *cg)
{
	return cg_enter(cg, 0);
}

/* SIGKILL every task listed in @cg's cgroup.procs; kernels before 5.14 lack cgroup.kill. */
static void cg_kill_procs(const char *cg)
{
	char buf[1 << 16], *p, *end;
	long pid;

	if (cg_read(cg, "cgroup.procs", buf, sizeof(buf)))
		return;
	for (p = buf; *p; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0)
			kill(pid, SIGKILL);
	}
}

static int cg_destroy_children(const char *cg)
{
	char path[PATH_MAX], child[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	ret = cg_path(path, sizeof(path), cg, NULL);
	if (ret)
		return ret;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", cg, de->d_name) >=
		    (int)sizeof(child)) {
			ret = -ENAMETOOLONG;
			break;
		}
		ret = cg_destroy(child);
		if (ret)
			break;
	}
	closedir(dir);
	return ret;
}

int cg_destroy(const char *cg)
{
	struct timespec delay = { .tv_nsec = 10 * 1000 * 1000 };
	char path[PATH_MAX];
	int ret, tries;

	ret = cg_path(path, sizeof(path), cg, NULL);
	if (ret)
		return ret;
	if (access(path, F_OK))
		return 0;
	ret = cg_destroy_children(cg);
	if (ret)
		return ret;
	/* Tasks take a moment to leave a cgroup after SIGKILL: retry EBUSY. */
	for (tries = 0; tries < 1000; tries++) {
		if (!rmdir(path) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		if (cg_write(cg, "cgroup.kill", "1"))
			cg_kill_procs(cg);
		nanosleep(&delay, NULL);
	}
	return -EBUSY;
}

int fg_policy_write(const char *lines)
{
	return write_text(FG_POLICIES, lines);
}

int fg_unload(void)
{
	struct timespec delay = { .tv_nsec = 20 * 1000 * 1000 };
	int tries;

	/* A task still inside a forkgov hook holds a reference for a moment. */
	for (tries = 0; tries < 250; tries++) {
		if (!syscall(SYS_delete_module, "forkgov", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		nanosleep(&delay, NULL);
	}
	return -EBUSY;
}

int fg_load(const char *ko, const char *params)
{
	int fd, ret;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

int fg_timeout_scale(void)
{
	const char *s = getenv("FG_TIMEOUT_SCALE");
	char *end;
	long v;

	if (!s)
		return 1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1000)
		return 1;
	return v;
}

double fg_fork_cost(int n)
{
	struct timespec start, end;
	int i;
	pid_t pid;

	if (n < 1)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid)
			_exit(0);
		if (waitpid(pid, NULL, 0) != pid)
			return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	return (end.tv_sec - start.tv_sec +
		(end.tv_nsec - start.tv_nsec) / 1e9) / n;
}

int fg_slowdown(double cost, int forks, double interval)
{
	return 1 + (int)(cost * forks / interval);
}
