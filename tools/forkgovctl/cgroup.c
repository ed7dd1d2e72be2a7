// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup paths.  The kernel names a cgroup by its path from the root of the
 * cgroup2 hierarchy ("/build.slice").  Users may also give "build.slice" or
 * the directory itself ("/sys/fs/cgroup/build.slice"), so the cgroup2 mount
 * point is looked up in /proc/self/mountinfo (FORKGOV_CGROUP2 overrides it,
 * for tests).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "forkgovctl.h"

static char cgroup_mount[FG_PATH_MAX];
static bool cgroup_mount_done;

/* Field 5 of a mountinfo line is the mount point; after " - " the type. */
static bool mountinfo_cgroup2(char *line, char **mnt)
{
	char *sep = strstr(line, " - "), *f;
	int i;

	if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
		return false;
	f = strtok(line, " ");
	for (i = 0; f && i < 4; i++)
		f = strtok(NULL, " ");
	*mnt = f;
	return f;
}

/* The cgroup2 mount point, or NULL when cgroup2 is not mounted. */
const char *fg_cgroup_mount(void)
{
	const char *env = getenv("FORKGOV_CGROUP2");
	char line[FG_PATH_MAX * 2], *mnt, *raw;
	FILE *f;

	if (cgroup_mount_done)
		return cgroup_mount[0] ? cgroup_mount : NULL;
	cgroup_mount_done = true;
	if (env) {
		snprintf(cgroup_mount, sizeof(cgroup_mount), "%s", env);
		return cgroup_mount[0] ? cgroup_mount : NULL;
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!mountinfo_cgroup2(line, &mnt))
			continue;
		raw = fg_unescape(mnt);
		if (raw)
			snprintf(cgroup_mount, sizeof(cgroup_mount), "%s", raw);
		free(raw);
		break;
	}
	fclose(f);
	return cgroup_mount[0] ? cgroup_mount : NULL;
}

/*
 * Clean a path from the cgroup root: one leading slash, no empty, "." or
 * ".." components, no trailing slash.
 */
static int normalize(const char *in, char *out, size_t size, char *err,
		     size_t errsize)
{
	size_t n = 0, len;
	const char *p = in, *slash;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if ((len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.')) {
			snprintf(err, errsize,
				 "'%s': '.' and '..' are not allowed in a cgroup path",
				 in);
			return -EINVAL;
		}
		if (n + len + 2 > size) {
			snprintf(err, errsize, "'%s': path too long", in);
			return -E2BIG;
		}
		out[n++] = '/';
		memcpy(out + n, p, len);
		n += len;
		p += len;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

/**
 * fg_cgroup_resolve - turn a user's cgroup argument into a kernel path
 * @arg:        "/build.slice", "build.slice" or "/sys/fs/cgroup/build.slice"
 * @out:        the path from the cgroup2 root
 * @must_exist: check that the directory exists (when cgroup2 is mounted)
 * @err:        a sentence on failure
 *
 * Return: 0, -EINVAL for a path that is not a cgroup, -ENOENT for a cgroup
 * that does not exist.
 */
int fg_cgroup_resolve(const char *arg, char *out, size_t size, bool must_exist,
		      char *err, size_t errsize)
{
	const char *mnt = fg_cgroup_mount(), *rel = arg;
	char dir[FG_PATH_MAX * 2];
	size_t mlen = mnt ? strlen(mnt) : 0;
	struct stat st;
	int ret;

	if (!*arg) {
		snprintf(err, errsize, "empty cgroup path");
		return -EINVAL;
	}
	if (mnt && !strncmp(arg, mnt, mlen) &&
	    (arg[mlen] == '/' || !arg[mlen]))
		rel = arg + mlen;
	ret = normalize(rel, out, size, err, errsize);
	if (ret || !mnt)
		return ret;
	snprintf(dir, sizeof(dir), "%s%s", mnt, out);
	if (!stat(dir, &st)) {
		if (S_ISDIR(st.st_mode))
			return 0;
		snprintf(err, errsize,
			 "'%s' is not a cgroup: %s is not a directory", arg, dir);
		return -EINVAL;
	}
	if (rel == arg && arg[0] == '/' && !lstat(arg, &st)) {
		snprintf(err, errsize,
			 "'%s' is not a cgroup: it is a path outside the cgroup2 hierarchy (mounted on %s); name a cgroup from the root of that hierarchy, like /build.slice, or as %s/build.slice",
			 arg, mnt, mnt);
		return -EINVAL;
	}
	if (!must_exist)
		return 0;
	snprintf(err, errsize,
		 "cgroup %s does not exist (no directory %s); create it first (mkdir %s) or check the spelling",
		 out, dir, dir);
	return -ENOENT;
}

/* mkdir -p of a cgroup under the cgroup2 mount. */
int fg_cgroup_create(const char *cgroup, char *err, size_t errsize)
{
	const char *mnt = fg_cgroup_mount();
	char dir[FG_PATH_MAX * 2];
	size_t mlen;
	char *p;

	if (!mnt) {
		snprintf(err, errsize,
			 "cannot create cgroup %s: cgroup2 is not mounted", cgroup);
		return -ENOENT;
	}
	snprintf(dir, sizeof(dir), "%s%s", mnt, cgroup);
	mlen = strlen(mnt);
	for (p = dir + mlen + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			snprintf(err, errsize, "cannot create cgroup %s: mkdir %s: %s",
				 cgroup, dir, strerror(errno));
			return -errno;
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}
