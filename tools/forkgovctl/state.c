// SPDX-License-Identifier: GPL-2.0
/*
 * What the configuration owns.  The kernel records each policy's owner
 * (owner=config for apply, see diff.c), but not which settings the last
 * apply gave it, and a module without owners records nothing; so "apply"
 * records that too: after every successful write it lists, in
 * /run/forkgov/applied (FORKGOV_STATE moves it, for tests), the policies
 * the configuration put in the kernel, one "set" line each as written to
 * /proc/forkgov/policies, with every key.
 *
 * "apply --keep-unmanaged" (what forkgov.service runs) deletes a policy that
 * no file names only when that file says the last apply set it and the
 * kernel still has it with the same settings.  Policies set by hand or by
 * the OCI hook, and policies changed by hand since, are left alone.  The
 * file lives on a tmpfs: after a reboot nothing is owned, and the table is
 * empty anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forkgovctl.h"

const char *fg_state_path(void)
{
	const char *v = getenv("FORKGOV_STATE");

	return v && *v ? v : "/run/forkgov/applied";
}

void fg_state_free(struct fg_state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].cgroup);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int state_add(struct fg_state *s, const char *cgroup,
		     const struct fg_params *p)
{
	struct fg_state_entry *v;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].cgroup = strdup(cgroup);
	if (!s->v[s->n].cgroup)
		return -ENOMEM;
	s->v[s->n++].p = *p;
	return 0;
}

/* Parse the text of a state file: "set" lines, blank lines and comments. */
int fg_state_parse(const char *text, struct fg_state *s, char *err,
		   size_t errsize)
{
	char *copy = strdup(text), *cur = copy, *line;
	unsigned int n = 0;
	struct fg_op op;
	const char *why;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (!copy)
		return -ENOMEM;
	while (!ret && (line = strsep(&cur, "\n"))) {
		n++;
		ret = fg_parse_line(line, &op, &why);
		if (!ret && op.kind == FG_OP_NONE)
			continue;
		if (!ret && op.kind != FG_OP_SET) {
			why = "only set lines belong there";
			ret = -EINVAL;
		}
		if (ret) {
			snprintf(err, errsize, "line %u: %s", n, why);
			break;
		}
		ret = state_add(s, op.path, &op.params);
	}
	free(copy);
	if (ret)
		fg_state_free(s);
	return ret;
}

/**
 * fg_state_load - read what the last apply set
 *
 * No file is no ownership (an empty state).  A file that root (or the
 * caller) does not own, that others may write, or that does not parse is
 * ignored with a warning: it then owns nothing, so nothing is deleted.
 *
 * Return: 0 or -ENOMEM.
 */
int fg_state_load(struct fg_state *s)
{
	const char *path = fg_state_path();
	char err[256], *text = NULL;
	struct stat st;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			p_warn("cannot read %s (%s): no policy counts as set by the configuration",
			       path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 022)) {
		close(fd);
		p_warn("%s is not a regular file of root's that only root may write; ignored: no policy counts as set by the configuration",
		       path);
		return 0;
	}
	close(fd);
	ret = fg_read_file(path, &text);
	if (ret) {
		p_warn("cannot read %s (%s): no policy counts as set by the configuration",
		       path, strerror(-ret));
		return ret == -ENOMEM ? ret : 0;
	}
	ret = fg_state_parse(text, s, err, sizeof(err));
	free(text);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		p_warn("%s: %s; ignored: no policy counts as set by the configuration",
		       path, err);
	return 0;
}

/* Does @s say that the configuration set this policy, as it is now? */
bool fg_state_owns(const struct fg_state *s, const char *cgroup,
		   const struct fg_params *now)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i].cgroup, cgroup))
			return fg_params_equal(&s->v[i].p, now);
	return false;
}

/*
 * Record the policies of @c as the ones the configuration owns: write a
 * new file next to the old one and rename it over it.
 * Return: 0 or a negative errno (a warning was printed).
 */
int fg_state_save(const struct fg_config *c)
{
	const char *path = fg_state_path();
	char tmp[FG_PATH_MAX], dir[FG_PATH_MAX], line[FG_LINE_MAX + 2];
	static const char head[] =
		"# forkgovctl apply: the policies the configuration set\n"
		"# (see forkgovctl(8)); do not edit\n";
	size_t i;
	FILE *f;
	int fd, n, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0755) && errno != EEXIST) {
		err = -errno;
		goto fail;
	}
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		goto fail;
	}
	fputs(head, f);
	for (i = 0; i < c->n; i++) {
		n = fg_format_set(line, sizeof(line), c->v[i].cgroup,
				  &c->v[i].p, ~0U);
		if (n >= 0)
			fprintf(f, "%s\n", line);
	}
	if (ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (!err)
		return 0;
	unlink(tmp);
fail:
	p_warn("the policies were applied, but %s could not be written (%s): a later 'apply --keep-unmanaged' will not delete them when they leave the configuration",
	       path, strerror(-err));
	return err;
}
