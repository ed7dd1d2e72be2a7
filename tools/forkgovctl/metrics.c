// SPDX-License-Identifier: GPL-2.0
/*
 * metrics FILE: the Prometheus text of "list --prometheus", written for
 * node_exporter's textfile collector the way it wants it: to a temporary
 * file in the same directory, then renamed over FILE, so that the collector
 * never reads half a file.  Every file has forkgov_up: 1 when the table and
 * the counters were read, 0 when the module is absent or could not be read,
 * so that a file left from before the module went away never looks healthy.
 *
 * packaging/systemd/forkgov-metrics.timer runs it every 15 s.  A run that
 * was killed leaves its temporary file behind; the next run removes it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "forkgovctl.h"

/* Write the file's text to @f; return the exit status to report. */
static int metrics_text(FILE *f)
{
	struct fg_stats s = { 0 };
	struct stat st;
	struct fg_table t;
	char path[FG_PATH_MAX];
	int ret;

	/* Absent is a state to report, not an error: no message for it. */
	snprintf(path, sizeof(path), "%s/policies", fg_proc_dir());
	if (stat(path, &st)) {
		fg_print_prom_up(f, false);
		return FG_EXIT_OK;
	}
	ret = fg_read_table(&t);
	if (ret) {
		fg_print_prom_up(f, false);
		return ret;
	}
	ret = fg_read_stats(&s);
	fg_print_prom_up(f, !ret);
	if (!ret)
		fg_print_prometheus(&t, &s, NULL, f);
	fg_stats_free(&s);
	fg_table_free(&t);
	return ret;
}

/*
 * A temporary file older than this is stale whoever wrote it: a run takes
 * milliseconds, and the timer starts one every 15 s.  It catches the file
 * of a dead run whose pid was taken by another process since.
 */
#define METRICS_STALE_S	60

/* The pid of @name if it is exactly "@base.PID.tmp", else 0. */
static pid_t tmp_pid(const char *name, const char *base)
{
	size_t len = strlen(base);
	char *end;
	long pid;

	if (strncmp(name, base, len) || name[len] != '.' ||
	    name[len + 1] < '1' || name[len + 1] > '9')
		return 0;
	errno = 0;
	pid = strtol(name + len + 1, &end, 10);
	if (errno || pid > INT_MAX || strcmp(end, ".tmp"))
		return 0;
	return pid;
}

/*
 * Is the temporary file @name of @dirfd, written by @pid, left from a run
 * that is over?  Ours cannot be there yet (it is created with O_EXCL after
 * this), so one with our pid is from an earlier process of that pid.  This
 * takes the writers to be in our pid namespace, as the timer's runs are.
 */
static bool tmp_stale(int dirfd, const char *name, pid_t pid)
{
	struct stat st;

	/* not followed: a symlink or anything else is not ours to remove */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
		return false;
	if (pid == getpid() || (kill(pid, 0) && errno == ESRCH))
		return true;
	return time(NULL) - st.st_mtime > METRICS_STALE_S;
}

/*
 * Remove the "@base.PID.tmp" files that killed runs left in @dirfd.  Only
 * names of that exact form, only regular files, and by name relative to
 * @dirfd: unlinkat() never follows a symlink, so even a file swapped for
 * one after the check removes the link, not what it points to.
 */
static void metrics_sweep(int dirfd, const char *base)
{
	struct dirent *d;
	pid_t pid;
	DIR *dir;
	int fd;

	fd = dup(dirfd);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((d = readdir(dir))) {
		pid = tmp_pid(d->d_name, base);
		if (pid <= 0 || !tmp_stale(dirfd, d->d_name, pid))
			continue;
		if (unlinkat(dirfd, d->d_name, 0) && errno != ENOENT)
			p_warn("metrics: cannot remove the stale %s: %s",
			       d->d_name, strerror(errno));
	}
	closedir(dir);
}

/* The directory of @path, opened; @base set to the file's name in it. */
static int metrics_dir(const char *path, const char **base)
{
	char dir[FG_PATH_MAX];
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!slash)
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	return open(slash == path ? "/" : dir,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int do_metrics(int argc, char **argv)
{
	char tmp[FG_PATH_MAX + 32];
	int dirfd, fd = -1, ret, err = 0;
	const char *base;
	FILE *f = NULL;

	if (argc != 1 || json_output || opt_prometheus) {
		p_err("metrics takes one FILE, the .prom file to write (for example /var/lib/prometheus/node-exporter/forkgov.prom), and no -j or --prometheus");
		return FG_EXIT_USAGE;
	}
	if (strlen(argv[0]) >= FG_PATH_MAX) {
		p_err("metrics: the file name is too long");
		return FG_EXIT_USAGE;
	}
	dirfd = metrics_dir(argv[0], &base);
	if (!*base) {
		p_err("metrics: '%s' names a directory; give the .prom file to write",
		      argv[0]);
		ret = FG_EXIT_USAGE;
		goto out;
	}
	/* Not *.prom: the collector skips it until it is complete. */
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", base, (long)getpid());
	if (dirfd >= 0) {
		metrics_sweep(dirfd, base);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			    O_NOFOLLOW, 0644);
	}
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		err = errno;
		if (fd >= 0)
			close(fd);
		p_err_errno(err, "metrics: cannot create %s.%ld.tmp", argv[0],
			    (long)getpid());
		ret = FG_EXIT_SYSTEM;
		goto out;
	}
	ret = metrics_text(f);
	if (fflush(f) || fsync(fileno(f)))
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	if (!err && renameat(dirfd, tmp, dirfd, base))
		err = errno;
	if (err) {
		unlinkat(dirfd, tmp, 0);
		p_err_errno(err, "metrics: cannot write %s", argv[0]);
		ret = FG_EXIT_SYSTEM;
	}
out:
	if (dirfd >= 0)
		close(dirfd);
	return ret;
}
