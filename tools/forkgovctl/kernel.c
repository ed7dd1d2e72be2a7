// SPDX-License-Identifier: GPL-2.0
/*
 * Files of the kernel interface.  FORKGOV_PROC, FORKGOV_SYSCTL and
 * FORKGOV_SYSMODULE move /proc/forkgov, /proc/sys/kernel/forkgov and
 * /sys/module/forkgov, so that tests can run against plain files;
 * FORKGOV_WRITE_TO sends policy writes to a file of their own (appended).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forkgovctl.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

const char *fg_proc_dir(void)
{
	return env_or("FORKGOV_PROC", "/proc/forkgov");
}

const char *fg_sysctl_dir(void)
{
	return env_or("FORKGOV_SYSCTL", "/proc/sys/kernel/forkgov");
}

const char *fg_sysmodule_dir(void)
{
	return env_or("FORKGOV_SYSMODULE", "/sys/module/forkgov");
}

/* Read a whole file (proc files have no size, so read until EOF). */
int fg_read_file(const char *path, char **text)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap), *nb;
	ssize_t r;
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (cap - len < 4096) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			r = r < 0 ? -errno : 0;
			break;
		}
		len += r;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return (int)r;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

/*
 * Exit with FG_EXIT_NOMOD and a sentence when forkgov is not loaded.
 * Return: FG_EXIT_OK when the policies file is there.
 */
int fg_module_check(void)
{
	char path[FG_PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/policies", fg_proc_dir());
	if (!stat(path, &st))
		return FG_EXIT_OK;
	if (!stat(fg_sysmodule_dir(), &st))
		p_err("forkgov is loaded but %s is missing: this kernel module is older or newer than forkgovctl %s",
		      path, FGCTL_VERSION);
	else
		p_err("forkgov is not loaded (no %s): load it with 'modprobe forkgov' (at boot, /usr/lib/modules-load.d/forkgov.conf loads it)",
		      path);
	return FG_EXIT_NOMOD;
}

/* Return: an exit status; a message was printed unless FG_EXIT_OK. */
int fg_read_proc(const char *name, char **text)
{
	char path[FG_PATH_MAX];
	int err, ret = fg_module_check();

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", fg_proc_dir(), name);
	err = fg_read_file(path, text);
	if (!err)
		return FG_EXIT_OK;
	p_err_errno(-err, "cannot read %s", path);
	return -err == ENOENT ? FG_EXIT_NOMOD : FG_EXIT_SYSTEM;
}

/* Return: an exit status; a message was printed unless FG_EXIT_OK. */
int fg_read_table(struct fg_table *t)
{
	const char *why = "?";
	char *text;
	int ret = fg_read_proc("policies", &text), err;

	if (ret)
		return ret;
	err = fg_table_parse(text, t, &why);
	free(text);
	if (!err)
		return FG_EXIT_OK;
	if (err == -ENOMEM)
		p_err("out of memory");
	else
		p_err("cannot understand %s/policies (%s): is forkgovctl %s too old for this module?",
		      fg_proc_dir(), why, FGCTL_VERSION);
	return FG_EXIT_SYSTEM;
}

int fg_read_stats(struct fg_stats *s)
{
	char *text;
	int ret = fg_read_proc("stats", &text), err;

	if (ret)
		return ret;
	err = fg_stats_parse(text, s);
	free(text);
	if (err) {
		p_err("out of memory");
		return FG_EXIT_SYSTEM;
	}
	return FG_EXIT_OK;
}

int fg_sysctl_read(const char *key, char *buf, size_t size)
{
	char path[FG_PATH_MAX], *text;
	int err;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", fg_sysctl_dir(), key);
	err = fg_read_file(path, &text);
	if (err)
		return err;
	n = strcspn(text, "\n");
	text[n] = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
	return 0;
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { ENOENT, "ENOENT" },
	{ EINVAL, "EINVAL" }, { ERANGE, "ERANGE" }, { ENOSPC, "ENOSPC" },
	{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EBUSY, "EBUSY" },
	{ ENODEV, "ENODEV" }, { EIO, "EIO" },
};

const char *fg_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return "unknown";
}

/* What a refused write means and what to do about it. */
void fg_explain(int err, const char *what)
{
	char max[32] = "?";

	switch (err) {
	case EPERM:
	case EACCES:
		p_err_errno(err, "%s: permission denied; "
			    "changing forkgov needs CAP_SYS_ADMIN in the initial user namespace; "
			    "run forkgovctl as root on the host, not in a container", what);
		break;
	case ENOENT:
		p_err_errno(err, "%s: no such cgroup v2 directory, or (for del) no policy on it; "
			    "check the path with 'forkgovctl list' and 'ls /sys/fs/cgroup'", what);
		break;
	case EINVAL:
		p_err_errno(err, "%s: malformed for the kernel (a key, value or path); "
			    "'dmesg | grep forkgov' shows the kernel's reason", what);
		break;
	case ERANGE:
		p_err_errno(err, "%s: a value is out of range; "
			    "rate 0-1000000/s, burst 1-1000000, max-delay 0-60s", what);
		break;
	case ENOSPC:
		fg_sysctl_read("max_policies", max, sizeof(max));
		p_err_errno(err, "%s: the policy table is full (kernel.forkgov.max_policies = %s); "
			    "remove policies or raise it: forkgovctl sysctl max_policies=N",
			    what, max);
		break;
	case E2BIG:
		p_err_errno(err, "%s: too large: at most %d bytes a line and 1 MiB a write; "
			    "shorten the path or apply in parts", what, FG_LINE_MAX);
		break;
	case EBUSY:
		p_err_errno(err, "%s: forkgov cannot install its fork hook; "
			    "is kernel.ftrace_enabled 0, or does a livepatch modify kernel_clone()?",
			    what);
		break;
	case ENOMEM:
		p_err_errno(err, "%s: the kernel is out of memory", what);
		break;
	default:
		p_err_errno(err, "%s: the kernel refused the change", what);
		break;
	}
}

int fg_errno_exit(int err)
{
	return err == ENOMEM || err == EIO ? FG_EXIT_SYSTEM : FG_EXIT_KERNEL;
}

/*
 * The kernel logs "forkgov: policies: line N: reason" for a refused write.
 * Reading it back from /dev/kmsg (root only, best effort) tells which line
 * of a long transaction was wrong.
 */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static bool kmsg_reason(int fd, char *out, size_t size, long *line)
{
	char rec[2048], *msg, *p;
	bool found = false;
	ssize_t r;

	if (fd < 0)
		return false;
	while ((r = read(fd, rec, sizeof(rec) - 1)) > 0 || (r < 0 && errno == EPIPE)) {
		if (r <= 0)
			continue;
		rec[r] = '\0';
		msg = strchr(rec, ';');
		p = msg ? strstr(msg, "forkgov: policies: line ") : NULL;
		if (!p)
			continue;
		*line = strtol(p + 24, &p, 10);
		if (*p == ':')
			p++;
		snprintf(out, size, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
		found = true;
	}
	return found;
}

/**
 * fg_write_policies - write one transaction to /proc/forkgov/policies
 * @buf, @len: the lines, ending with a newline
 * @what:      what this is, for messages ("set /build.slice")
 * @lines:     the lines again, one string each, to name the one refused
 *
 * One write(2): the kernel applies all of it or none of it.
 * Return: an exit status; a message was printed unless FG_EXIT_OK.
 */
int fg_write_policies(const char *buf, size_t len, const char *what,
		      char **lines, size_t nlines)
{
	char path[FG_PATH_MAX], reason[512], where[FG_LINE_MAX + 600];
	int fd, kfd, err = 0, ret = fg_module_check();
	long line = 0;
	ssize_t w;

	if (ret)
		return ret;
	if (len > FG_WRITE_MAX) {
		fg_explain(E2BIG, what);
		return FG_EXIT_KERNEL;
	}
	snprintf(path, sizeof(path), "%s/policies", fg_proc_dir());
	/* tests: collect the writes in a file of their own */
	if (getenv("FORKGOV_WRITE_TO"))
		fd = open(getenv("FORKGOV_WRITE_TO"),
			  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	else
		fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		fg_explain(err, what);
		return fg_errno_exit(err);
	}
	kfd = nlines ? kmsg_open() : -1;
	w = write(fd, buf, len);
	if (w < 0)
		err = errno;
	else if ((size_t)w != len)
		err = EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err) {
		if (kfd >= 0)
			close(kfd);
		return FG_EXIT_OK;
	}
	if (kmsg_reason(kfd, reason, sizeof(reason), &line) && line >= 1 &&
	    (size_t)line <= nlines) {
		if (nlines == 1)
			snprintf(where, sizeof(where), "%s (kernel: %s)", what,
				 reason);
		else
			snprintf(where, sizeof(where),
				 "%s (kernel: line %ld '%s': %s)", what, line,
				 lines[line - 1], reason);
		what = where;
	}
	if (kfd >= 0)
		close(kfd);
	fg_explain(err, what);
	return fg_errno_exit(err);
}
