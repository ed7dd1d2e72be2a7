// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration files read by "forkgovctl apply": INI-like sections, one
 * per cgroup, holding the policy keys.  forkgovctl(8) and
 * packaging/forkgov.d/example.conf describe the format:
 *
 *   # comment
 *   [/build.slice]
 *   rate = 50/s          # required
 *   burst = 200
 *   action = throttle
 *   max-delay = 2s
 *   create = yes         # mkdir the cgroup when it does not exist
 *   pending = yes        # or wait for it: the policy applies once it exists
 *   persist = yes        # and comes back when the cgroup is recreated
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forkgovctl.h"

/* @s without its leading and trailing blanks (and a trailing CR), in place. */
char *fg_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A '#' that starts a line or follows a blank begins a comment. */
static void strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static int parse_bool(const char *v, bool *b)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*b = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "off") || !strcmp(v, "0"))
		*b = false;
	else
		return -EINVAL;
	return 0;
}

static struct fg_conf_policy *find(struct fg_config *c, const char *cgroup)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].cgroup, cgroup))
			return &c->v[i];
	return NULL;
}

static int add_section(struct fg_config *c, const char *cgroup,
		       const char *file, unsigned int line)
{
	struct fg_conf_policy *cp;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		cp = realloc(c->v, cap * sizeof(*cp));
		if (!cp)
			return -ENOMEM;
		c->v = cp;
		c->cap = cap;
	}
	cp = &c->v[c->n];
	memset(cp, 0, sizeof(*cp));
	fg_init_params(&cp->p);
	cp->cgroup = strdup(cgroup);
	cp->file = strdup(file);
	cp->line = line;
	c->n++;
	return cp->cgroup && cp->file ? 0 : -ENOMEM;
}

/* Finish the last section: a rate is required, defaults filled in. */
static int end_section(struct fg_config *c, char *err, size_t errsize)
{
	struct fg_conf_policy *cp;
	const char *why;

	if (!c->n)
		return 0;
	cp = &c->v[c->n - 1];
	if (!fg_params_finish(&cp->p, cp->given, &why))
		return 0;
	snprintf(err, errsize, "%s:%u: [%s]: %s", cp->file, cp->line,
		 cp->cgroup, why);
	return -EINVAL;
}

static int parse_section(struct fg_config *c, char *s, const char *file,
			 unsigned int line, char *err, size_t errsize)
{
	char *end = strrchr(s, ']'), path[FG_PATH_MAX], cerr[FG_PATH_MAX];
	struct fg_conf_policy *dup;

	if (!end || fg_trim(end + 1)[0]) {
		snprintf(err, errsize, "%s:%u: a section header is [PATH]",
			 file, line);
		return -EINVAL;
	}
	*end = '\0';
	s = fg_trim(s + 1);
	if (fg_cgroup_resolve(s, path, sizeof(path), false, cerr,
			      sizeof(cerr))) {
		snprintf(err, errsize, "%s:%u: %s", file, line, cerr);
		return -EINVAL;
	}
	dup = find(c, path);
	if (dup) {
		snprintf(err, errsize,
			 "%s:%u: [%s] is already defined at %s:%u; keep one policy per cgroup",
			 file, line, path, dup->file, dup->line);
		return -EINVAL;
	}
	return add_section(c, path, file, line) ? -ENOMEM : 0;
}

/* create, pending and persist: yes or no, each once per section. */
static int flag_line(struct fg_conf_policy *cp, const char *key,
		     const char *val, const char *file, unsigned int line,
		     char *err, size_t errsize)
{
	int bit = !strcmp(key, "create") ? FG_CONF_CREATE :
		  !strcmp(key, "pending") ? FG_CONF_PENDING : FG_CONF_PERSIST;
	bool *flag = bit == FG_CONF_CREATE ? &cp->create :
		     bit == FG_CONF_PENDING ? &cp->pending : &cp->persist;

	if (cp->flags_given & (1U << bit)) {
		snprintf(err, errsize,
			 "%s:%u: [%s]: %s is given twice; give each key once",
			 file, line, cp->cgroup, key);
		return -EINVAL;
	}
	cp->flags_given |= 1U << bit;
	cp->create_given |= bit == FG_CONF_CREATE;
	if (!parse_bool(val, flag))
		return 0;
	snprintf(err, errsize, "%s:%u: %s is yes or no", file, line, key);
	return -EINVAL;
}

static int key_line(struct fg_config *c, char *s, const char *file,
		    unsigned int line, char *err, size_t errsize)
{
	char *eq = strchr(s, '='), *key, *val;
	struct fg_conf_policy *cp;
	const char *why;
	int ret;

	if (!c->n) {
		snprintf(err, errsize,
			 "%s:%u: a key before the first [CGROUP] section", file,
			 line);
		return -EINVAL;
	}
	if (!eq) {
		snprintf(err, errsize, "%s:%u: expected KEY = VALUE", file,
			 line);
		return -EINVAL;
	}
	*eq = '\0';
	key = fg_trim(s);
	val = fg_trim(eq + 1);
	cp = &c->v[c->n - 1];
	if (!strcmp(key, "create") || !strcmp(key, "pending") ||
	    !strcmp(key, "persist"))
		return flag_line(cp, key, val, file, line, err, errsize);
	ret = fg_params_set(&cp->p, &cp->given, key, val, &why);
	if (!ret)
		return 0;
	if (ret == -EEXIST)
		snprintf(err, errsize, "%s:%u: [%s]: %s %s", file, line,
			 cp->cgroup, key, why);
	else
		snprintf(err, errsize, "%s:%u: %s '%s': %s", file, line,
			 ret == -ENOENT ? "key" : key,
			 ret == -ENOENT ? key : val, why);
	return -EINVAL;
}

/**
 * fg_config_parse - add the sections of one file to @c
 * @file: its name, for messages
 * @err:  "file:line: sentence" on failure
 */
int fg_config_parse(const char *text, const char *file, struct fg_config *c,
		    char *err, size_t errsize)
{
	char *copy = strdup(text), *cur = copy, *raw, *s;
	unsigned int line = 0;
	size_t first = c->n;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	while (!ret && (raw = strsep(&cur, "\n"))) {
		line++;
		strip_comment(raw);
		s = fg_trim(raw);
		if (!*s)
			continue;
		if (*s == '[') {
			ret = c->n > first ? end_section(c, err, errsize) : 0;
			if (!ret)
				ret = parse_section(c, s, file, line,
						    err, errsize);
		} else {
			ret = key_line(c, s, file, line, err, errsize);
		}
	}
	if (!ret && c->n > first)
		ret = end_section(c, err, errsize);
	free(copy);
	if (ret == -ENOMEM)
		snprintf(err, errsize, "out of memory");
	return ret;
}

static int load_file(const char *path, struct fg_config *c, char *err,
		     size_t errsize)
{
	char *text;
	int ret = fg_read_file(path, &text);

	if (ret) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	ret = fg_config_parse(text, path, c, err, errsize);
	free(text);
	return ret;
}

static int conf_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 &&
	       !strcmp(d->d_name + len - 5, ".conf");
}

/**
 * fg_config_load - read a file, or every *.conf of a directory in name order
 *
 * A cgroup defined twice, in one file or in two, is an error: which of the
 * two the administrator meant is not for forkgovctl to guess.
 */
int fg_config_load(const char *path, struct fg_config *c, char *err,
		   size_t errsize)
{
	char file[FG_PATH_MAX * 2];
	struct dirent **names;
	struct stat st;
	int n, i, ret = 0;

	memset(c, 0, sizeof(*c));
	if (stat(path, &st)) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(path, c, err, errsize);
	n = scandir(path, &names, conf_filter, alphasort);
	if (n < 0) {
		snprintf(err, errsize, "cannot read directory %s: %s", path,
			 strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
		if (!ret)
			ret = load_file(file, c, err, errsize);
		free(names[i]);
	}
	free(names);
	return ret;
}

/*
 * The configuration directories, most important first, as systemd orders
 * its own (sysctl.d, tmpfiles.d): the administrator's, then runtime, then
 * the vendor's.
 */
static const char * const fg_conf_dirs[] = {
	"/etc/forkgov.d", "/run/forkgov.d", "/usr/local/lib/forkgov.d",
	"/usr/lib/forkgov.d",
};

static int cmp_by_base(const void *a, const void *b)
{
	return strcmp(strrchr(*(char * const *)a, '/') + 1,
		      strrchr(*(char * const *)b, '/') + 1);
}

/* Is @path a symlink to /dev/null (a masked file)? */
static bool conf_masked(const char *path)
{
	char target[16];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "/dev/null");
}

/**
 * fg_config_load_dirs - read the *.conf files of the configuration directories
 * @root: a directory the directories are under, or NULL for /
 *
 * Every *.conf of /etc/forkgov.d, /run/forkgov.d, /usr/local/lib/forkgov.d
 * and /usr/lib/forkgov.d, read in name order whatever its directory; of
 * files with the same name, only the one in the first directory of that
 * list is read, and one that is a symlink to /dev/null is read as empty
 * (masking the vendor's file).  Missing directories are skipped.
 */
int fg_config_load_dirs(const char *root, struct fg_config *c, char *err,
			size_t errsize)
{
	char dir[FG_PATH_MAX], file[FG_PATH_MAX * 2];
	char **names = NULL, **bigger;
	size_t nnames = 0, j;
	struct dirent **ents;
	int n, i, ret = 0;
	unsigned int d;

	memset(c, 0, sizeof(*c));
	for (d = 0; d < ARRAY_SIZE(fg_conf_dirs); d++) {
		snprintf(dir, sizeof(dir), "%s%s", root ?: "", fg_conf_dirs[d]);
		n = scandir(dir, &ents, conf_filter, alphasort);
		if (n < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			snprintf(err, errsize, "cannot read directory %s: %s",
				 dir, strerror(errno));
			ret = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			for (j = 0; j < nnames; j++)
				if (!strcmp(strrchr(names[j], '/') + 1,
					    ents[i]->d_name))
					break;
			snprintf(file, sizeof(file), "%s/%s", dir,
				 ents[i]->d_name);
			free(ents[i]);
			if (j < nnames || ret)
				continue;	/* overridden by a first one */
			bigger = realloc(names, (nnames + 1) * sizeof(*names));
			if (bigger) {
				names = bigger;
				names[nnames] = strdup(file);
			}
			if (!bigger || !names[nnames]) {
				snprintf(err, errsize, "out of memory");
				ret = -ENOMEM;
				continue;
			}
			nnames++;
		}
		free(ents);
		if (ret)
			break;
	}
	/* In name order, as if they were all in one directory. */
	if (nnames)
		qsort(names, nnames, sizeof(*names), cmp_by_base);
	for (j = 0; j < nnames; j++) {
		if (!ret && !conf_masked(names[j]))
			ret = load_file(names[j], c, err, errsize);
		free(names[j]);
	}
	free(names);
	return ret;
}

void fg_config_free(struct fg_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].cgroup);
		free(c->v[i].file);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
