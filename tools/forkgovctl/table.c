// SPDX-License-Identifier: GPL-2.0
/*
 * The text of /proc/forkgov/policies and /proc/forkgov/stats, and the lines
 * written back.  Fields are separated by one space; a space, tab, newline or
 * backslash inside a path is an octal escape (\040, \011, \012, \134), as in
 * /proc/self/mounts.  Keys this version does not know are ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgovctl.h"

static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo \ooo escapes.  Returns a new string, or NULL when out of memory. */
char *fg_unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (s[0] == '\\' && is_odigit(s[1]) && is_odigit(s[2]) &&
		    is_odigit(s[3])) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* Escape a path for a kernel line.  Returns the length, or -E2BIG. */
int fg_escape(char *buf, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = *s;
		bool esc = c == ' ' || c == '\t' || c == '\n' || c == '\\';

		if (n + (esc ? 4 : 1) >= size)
			return -E2BIG;
		if (esc)
			n += sprintf(buf + n, "\\%03o", c);
		else
			buf[n++] = c;
	}
	if (n >= size)
		return -E2BIG;
	buf[n] = '\0';
	return (int)n;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

static int parse_s64(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return end == s || *end || errno ? -EINVAL : 0;
}

/* "-" stands for none; anything else is unescaped. */
static int set_opt_str(char **dst, const char *val)
{
	free(*dst);
	*dst = NULL;
	if (!strcmp(val, "-"))
		return 0;
	*dst = fg_unescape(val);
	return *dst ? 0 : -ENOMEM;
}

static int entry_counter(struct fg_entry *e, const char *key, const char *val)
{
	static const struct {
		const char *name;
		size_t off;
	} u64s[] = {
		{ "allowed",	offsetof(struct fg_counters, allowed) },
		{ "denied",	offsetof(struct fg_counters, denied) },
		{ "throttled",	offsetof(struct fg_counters, throttled) },
		{ "throttle_ns", offsetof(struct fg_counters, throttle_ns) },
		{ "throttle_max_ns", offsetof(struct fg_counters, throttle_max_ns) },
		{ "logged",	offsetof(struct fg_counters, logged) },
		{ "peak_1s",	offsetof(struct fg_counters, peak_1s) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (!strcmp(key, u64s[i].name))
			return parse_u64(val, (uint64_t *)((char *)&e->c +
							   u64s[i].off));
	if (!strcmp(key, "tokens"))
		return parse_s64(val, &e->c.tokens);
	if (!strcmp(key, "last_pid")) {
		if (!strcmp(val, "-")) {
			e->c.last_pid = -1;
			return 0;
		}
		return parse_s64(val, &e->c.last_pid);
	}
	if (!strcmp(key, "last_comm"))
		return set_opt_str(&e->c.last_comm, val);
	if (!strcmp(key, "last_cgroup"))
		return set_opt_str(&e->c.last_cgroup, val);
	return -ENOENT;
}

static int entry_key(struct fg_entry *e, unsigned int *given, char *kv,
		     const char **why)
{
	char *val = strchr(kv, '=');
	int err;

	if (!val) {
		*why = "a field without '='";
		return -EINVAL;
	}
	*val++ = '\0';
	err = entry_counter(e, kv, val);
	if (err != -ENOENT)
		goto out;
	if (e->kind == FG_KIND_CHILD && !strcmp(kv, "policy")) {
		e->policy = fg_unescape(val);
		return e->policy ? 0 : -ENOMEM;
	}
	if (e->kind == FG_KIND_POLICY && !strcmp(kv, "owner")) {
		snprintf(e->owner, sizeof(e->owner), "%s", val);
		return 0;
	}
	if (e->kind == FG_KIND_POLICY && !strcmp(kv, "state")) {
		e->pending = !strcmp(val, "pending");
		return 0;
	}
	if (e->kind == FG_KIND_POLICY && !strcmp(kv, "persist")) {
		e->persist = !strcmp(val, "yes");
		return 0;
	}
	if (e->kind == FG_KIND_POLICY) {
		err = fg_params_set(&e->p, given, kv, val, why);
		if (err != -ENOENT)
			goto out;
	}
	return 0;	/* a key from a later version */
out:
	if (err)
		*why = "a malformed value";
	return err;
}

static struct fg_entry *table_add(struct fg_table *t)
{
	struct fg_entry *e;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct fg_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	fg_init_params(&e->p);
	e->c.last_pid = -1;
	return e;
}

static int parse_line(struct fg_table *t, char *line, const char **why)
{
	char *kind = strsep(&line, " "), *path = strsep(&line, " "), *kv;
	struct fg_entry *e, *pol;
	unsigned int given = 0;
	const char *unused;
	int err;

	if (!path || !*path) {
		*why = "a line without a cgroup path";
		return -EINVAL;
	}
	if (strcmp(kind, "policy") && strcmp(kind, "child"))
		return 0;	/* a kind from a later version */
	e = table_add(t);
	if (!e)
		return -ENOMEM;
	e->kind = strcmp(kind, "policy") ? FG_KIND_CHILD : FG_KIND_POLICY;
	e->cgroup = fg_unescape(path);
	if (!e->cgroup)
		return -ENOMEM;
	while ((kv = strsep(&line, " "))) {
		if (!*kv)
			continue;
		err = entry_key(e, &given, kv, why);
		if (err)
			return err;
	}
	if (e->kind == FG_KIND_POLICY) {
		/* no burst on the line: the kernel's default for the rate */
		if (!(given & (1U << FG_KEY_BURST)))
			fg_finish_params(&e->p, 1U << FG_KEY_RATE, &unused);
		return 0;
	}
	if (!e->policy)
		return 0;
	/* child lines follow their policy's line: look there first */
	pol = e;
	while (pol > t->v && (pol - 1)->kind == FG_KIND_CHILD)
		pol--;
	if (pol == t->v || strcmp((pol - 1)->cgroup, e->policy))
		pol = fg_table_find(t, FG_KIND_POLICY, e->policy);
	else
		pol--;
	if (pol) {
		e->p = pol->p;
		memcpy(e->owner, pol->owner, sizeof(e->owner));
	}
	return 0;
}

/**
 * fg_table_parse - parse the text of /proc/forkgov/policies
 * @why: set to a short reason on -EINVAL
 */
int fg_table_parse(const char *text, struct fg_table *t, const char **why)
{
	char *copy = strdup(text), *cur = copy, *line;
	int err = 0;

	memset(t, 0, sizeof(*t));
	if (!copy)
		return -ENOMEM;
	while (!err && (line = strsep(&cur, "\n")))
		if (*line)
			err = parse_line(t, line, why);
	free(copy);
	if (err)
		fg_table_free(t);
	return err;
}

void fg_table_free(struct fg_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].cgroup);
		free(t->v[i].policy);
		free(t->v[i].c.last_comm);
		free(t->v[i].c.last_cgroup);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

struct fg_entry *fg_table_find(struct fg_table *t, enum fg_kind kind,
			       const char *cgroup)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == kind && !strcmp(t->v[i].cgroup, cgroup))
			return &t->v[i];
	return NULL;
}

int fg_stats_parse(const char *text, struct fg_stats *s)
{
	char *copy = strdup(text), *cur = copy, *line, *sp;
	struct fg_stat *v;

	memset(s, 0, sizeof(*s));
	if (!copy)
		return -ENOMEM;
	while ((line = strsep(&cur, "\n"))) {
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		v = realloc(s->v, (s->n + 1) * sizeof(*v));
		if (!v)
			goto nomem;
		s->v = v;
		v[s->n].name = strdup(line);
		v[s->n].value = strdup(sp + 1);
		s->n++;
		if (!v[s->n - 1].name || !v[s->n - 1].value)
			goto nomem;
	}
	free(copy);
	return 0;
nomem:
	free(copy);
	fg_stats_free(s);
	return -ENOMEM;
}

const char *fg_stats_get(const struct fg_stats *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return s->v[i].value;
	return NULL;
}

void fg_stats_free(struct fg_stats *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].value);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/**
 * fg_format_set - the kernel line for a policy, with the keys that were given
 * @given: (1U << FG_KEY_*) of the keys to write; rate is always written
 *
 * Keys left out take the kernel's defaults ("set" is a complete definition).
 * Each key is written as the kernel formats it (fg_format_params()).
 * Return: the length, or -E2BIG past the kernel's 4095-byte line limit.
 */
int fg_format_set(char *buf, size_t size, const char *cgroup,
		  const struct fg_params *p, unsigned int given)
{
	char path[FG_LINE_MAX + 1], all[FG_PARAMS_LEN], *rest = all, *kv, *eq;
	int n, key;

	if (fg_escape(path, sizeof(path), cgroup) < 0)
		return -E2BIG;
	fg_format_params(all, sizeof(all), p);
	given |= 1U << FG_KEY_RATE;
	n = snprintf(buf, size, "set %s", path);
	while ((kv = strsep(&rest, " ")) && n >= 0 && (size_t)n < size) {
		eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		key = fg_parse_key(kv);
		*eq = '=';
		if (key >= 0 && (given & (1U << key)))
			n += snprintf(buf + n, size - n, " %s", kv);
	}
	if (n < 0 || (size_t)n >= size || n > FG_LINE_MAX)
		return -E2BIG;
	return n;
}

/**
 * fg_format_owner - append owner=, pending and persist to a set line
 * @n: the length of the line so far (fg_format_set())
 *
 * Return: the new length, or -E2BIG past the kernel's line limit.
 */
int fg_format_owner(char *buf, size_t size, int n, const char *owner,
		    bool pending, bool persist)
{
	if (n < 0)
		return n;
	n += snprintf(buf + n, size - n, "%s%s%s%s", owner ? " owner=" : "",
		      owner ?: "", pending ? " pending" : "",
		      persist ? " persist" : "");
	if ((size_t)n >= size || n > FG_LINE_MAX)
		return -E2BIG;
	return n;
}

int fg_format_del(char *buf, size_t size, const char *cgroup)
{
	char path[FG_LINE_MAX + 1];
	int n;

	if (fg_escape(path, sizeof(path), cgroup) < 0)
		return -E2BIG;
	n = snprintf(buf, size, "del %s", path);
	if (n < 0 || (size_t)n >= size || n > FG_LINE_MAX)
		return -E2BIG;
	return n;
}
