// SPDX-License-Identifier: GPL-2.0
/*
 * What "apply" changes: the configuration against the kernel's table.
 * A policy in both with the same parameters is kept untouched (its bucket
 * and counters go on); one with other parameters is replaced; one only in
 * the configuration is added; one only in the kernel is deleted, unless
 * unmanaged policies are kept.
 *
 * Owners: apply sets its policies as one owner ("config", or --owner), and
 * deletes only policies of that owner: never those set by hand ("cli"), by
 * the OCI hook ("oci") or by another tool.  Nor does it replace them: a
 * configured cgroup whose policy another owner set is a conflict, left as
 * it is (do_apply refuses the whole apply for it, or skips it in a reload),
 * unless it is told to take such policies over.  A kernel that shows no
 * owner is treated as before owners existed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgovctl.h"

static const char * const change_names[] = {
	[FG_CH_ADD]	= "add",
	[FG_CH_REPLACE]	= "replace",
	[FG_CH_DELETE]	= "delete",
	[FG_CH_KEEP]	= "keep",
	[FG_CH_CONFLICT] = "conflict",
};

const char *fg_change_name(enum fg_change ch)
{
	return change_names[ch];
}

static struct fg_diff_item *push(struct fg_diff *d, enum fg_change ch,
				 const char *cgroup,
				 const struct fg_conf_policy *want,
				 const struct fg_params *have)
{
	struct fg_diff_item *it = &d->v[d->n++];

	it->change = ch;
	it->cgroup = cgroup;
	it->want = want ? &want->p : NULL;
	it->want_given = want ? want->given : 0;
	it->pending = want && want->pending;
	it->persist = want && want->persist;
	it->have = have;
	it->have_owner = "";
	d->adds += ch == FG_CH_ADD;
	d->replaces += ch == FG_CH_REPLACE;
	d->deletes += ch == FG_CH_DELETE;
	d->keeps += ch == FG_CH_KEEP;
	d->conflicts += ch == FG_CH_CONFLICT;
	return it;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(const struct fg_entry * const *)a)->cgroup,
		      (*(const struct fg_entry * const *)b)->cgroup);
}

/* bsearch: a cgroup name against a policy */
static int cmp_key_entry(const void *key, const void *elem)
{
	return strcmp(*(const char * const *)key,
		      (*(const struct fg_entry * const *)elem)->cgroup);
}

/* Did @owner set @e?  Yes on a kernel that shows no owners. */
static bool owned_by(const struct fg_entry *e, const char *owner)
{
	return !*e->owner || !strcmp(e->owner, owner);
}

/* Is the kernel's policy @e what @cp configures, as @owner? */
static bool same_policy(const struct fg_entry *e,
			const struct fg_conf_policy *cp, const char *owner)
{
	return fg_params_equal(&cp->p, &e->p) && owned_by(e, owner) &&
	       (!*e->owner || e->persist == cp->persist);
}

/* Is @cgroup in @sorted (the configuration's cgroups, sorted)? */
static bool in_config(const char **sorted, size_t n, const char *cgroup)
{
	return n && bsearch(&cgroup, sorted, n, sizeof(*sorted), cmp_str);
}

/*
 * Deletions come first, in table order, so that a full table has room for
 * the additions; then the configuration in file order.  The diff points into
 * @c and @t, which must outlive it.
 */
int fg_diff_compute(const struct fg_config *c, const struct fg_table *t,
		    unsigned int flags, struct fg_diff *d)
{
	static const struct fg_state none;

	return fg_diff_compute_owned(c, t,
				     flags & FG_DIFF_KEEP_UNMANAGED ? &none : NULL,
				     flags & FG_DIFF_TAKE_OVER, d);
}

/*
 * With @owned, a policy of the apply's owner that no file names is deleted
 * only when @owned says the configuration set it, as it is now; without,
 * always.  With @take_over, a configured cgroup's policy of another owner is
 * replaced; without, it is a conflict.
 */
int fg_diff_compute_owned(const struct fg_config *c, const struct fg_table *t,
			  const struct fg_state *owned, bool take_over,
			  struct fg_diff *d)
{
	const struct fg_entry **pol;
	const struct fg_entry *e;
	const char **names;
	size_t i, np = 0;

	memset(d, 0, sizeof(*d));
	d->owner = fg_apply_owner();
	d->v = calloc(c->n + t->n + 1, sizeof(*d->v));
	names = calloc(c->n + 1, sizeof(*names));
	pol = calloc(t->n + 1, sizeof(*pol));
	if (!d->v || !names || !pol) {
		free(names);
		free(pol);
		fg_diff_free(d);
		return -ENOMEM;
	}
	for (i = 0; i < c->n; i++)
		names[i] = c->v[i].cgroup;
	qsort(names, c->n, sizeof(*names), cmp_str);
	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		if (e->kind != FG_KIND_POLICY)
			continue;
		pol[np++] = e;
		if (!in_config(names, c->n, e->cgroup) &&
		    owned_by(e, d->owner) &&
		    (!owned || fg_state_owns(owned, e->cgroup, &e->p)))
			push(d, FG_CH_DELETE, e->cgroup, NULL, &e->p);
	}
	/* the kernel's policies by cgroup, to find each configured one */
	qsort(pol, np, sizeof(*pol), cmp_entry);
	for (i = 0; i < c->n; i++) {
		const char *key = c->v[i].cgroup;
		const struct fg_entry **hit = NULL;

		if (np)
			hit = bsearch(&key, pol, np, sizeof(*pol), cmp_key_entry);

		e = hit ? *hit : NULL;
		if (e && !take_over && !owned_by(e, d->owner))
			push(d, FG_CH_CONFLICT, key, &c->v[i], &e->p)->have_owner =
				e->owner;
		else if (!e)
			push(d, FG_CH_ADD, c->v[i].cgroup, &c->v[i], NULL);
		else if (same_policy(e, &c->v[i], d->owner))
			push(d, FG_CH_KEEP, c->v[i].cgroup, &c->v[i], &e->p);
		else
			push(d, FG_CH_REPLACE, c->v[i].cgroup, &c->v[i], &e->p);
	}
	free(names);
	free(pol);
	return 0;
}

/**
 * fg_diff_lines - the kernel lines of a diff, as one buffer for one write
 * @lines: each line as its own string (for messages), *@nlines of them
 *
 * Return: 0, -ENOMEM, or -E2BIG when a line is too long.
 */
int fg_diff_lines(const struct fg_diff *d, char **buf, size_t *len,
		  char ***lines, size_t *nlines)
{
	char line[FG_LINE_MAX + 2];
	size_t i, cap = 4096;
	int n;

	*buf = malloc(cap);
	*lines = calloc(d->n + 1, sizeof(**lines));
	*len = 0;
	*nlines = 0;
	if (!*buf || !*lines)
		return -ENOMEM;
	for (i = 0; i < d->n; i++) {
		const struct fg_diff_item *it = &d->v[i];

		if (it->change == FG_CH_KEEP || it->change == FG_CH_CONFLICT)
			continue;
		if (it->change == FG_CH_DELETE)
			n = fg_format_del(line, sizeof(line), it->cgroup);
		else
			n = fg_format_owner(line, sizeof(line),
					    fg_format_set(line, sizeof(line),
							  it->cgroup, it->want,
							  it->want_given),
					    d->owner, it->pending, it->persist);
		if (n < 0)
			return n;
		if (*len + n + 2 > cap) {
			char *nb;

			while (*len + n + 2 > cap)
				cap *= 2;
			nb = realloc(*buf, cap);
			if (!nb)
				return -ENOMEM;
			*buf = nb;
		}
		(*lines)[*nlines] = strdup(line);
		if (!(*lines)[(*nlines)++])
			return -ENOMEM;
		memcpy(*buf + *len, line, n);
		*len += n;
		(*buf)[(*len)++] = '\n';
	}
	(*buf)[*len] = '\0';
	return 0;
}

static void describe(char *buf, size_t size, const struct fg_params *p)
{
	char rate[64];

	fg_format_rate(rate, sizeof(rate), p);
	snprintf(buf, size,
		 "rate %s burst %u action %s max-delay %ums scope %s count %s mt-warn %s deny-delay %ums",
		 rate, p->burst, fg_action_name(p->action), p->max_delay_ms,
		 fg_scope_name(p->scope), fg_count_name(p->count),
		 fg_mt_warn_name(p->mt_warn), p->deny_delay_ms);
}

/*
 * The diff for people: "+" add, "~" replace, "-" delete, "=" unchanged,
 * "!" another owner's policy, left alone.
 */
void fg_diff_print(const struct fg_diff *d, FILE *f)
{
	static const char sign[] = { '+', '~', '-', '=', '!' };
	char want[256], have[256];
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fg_diff_item *it = &d->v[i];

		if (it->want)
			describe(want, sizeof(want), it->want);
		if (it->have)
			describe(have, sizeof(have), it->have);
		switch (it->change) {
		case FG_CH_ADD:
		case FG_CH_KEEP:
			fprintf(f, "%c %s %s\n", sign[it->change], it->cgroup,
				want);
			break;
		case FG_CH_DELETE:
			fprintf(f, "- %s (was: %s)\n", it->cgroup, have);
			break;
		case FG_CH_REPLACE:
			fprintf(f, "~ %s %s (was: %s)%s\n", it->cgroup, want,
				have, it->want->scope != it->have->scope ?
				" [scope changes: bucket and counters restart]" :
				"");
			break;
		case FG_CH_CONFLICT:
			fprintf(f, "! %s owner %s: %s (not %s's; --take-over replaces it)\n",
				it->cgroup, it->have_owner, have, d->owner);
			break;
		}
	}
	fprintf(f, "%zu to add, %zu to replace, %zu to delete, %zu unchanged",
		d->adds, d->replaces, d->deletes, d->keeps);
	if (d->conflicts)
		fprintf(f, ", %zu of another owner", d->conflicts);
	fputc('\n', f);
}

static void json_params(json_writer_t *w, const char *name,
			const struct fg_params *p)
{
	char rate[64];

	if (!p)
		return;
	fg_format_rate(rate, sizeof(rate), p);
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_string_field(w, "rate", rate);
	jsonw_uint_field(w, "burst", p->burst);
	jsonw_string_field(w, "action", fg_action_name(p->action));
	jsonw_uint_field(w, "max_delay_ms", p->max_delay_ms);
	jsonw_string_field(w, "scope", fg_scope_name(p->scope));
	jsonw_string_field(w, "count", fg_count_name(p->count));
	jsonw_string_field(w, "mt_warn", fg_mt_warn_name(p->mt_warn));
	jsonw_uint_field(w, "deny_delay_ms", p->deny_delay_ms);
	jsonw_end_object(w);
}

void fg_diff_json(const struct fg_diff *d, json_writer_t *w)
{
	size_t i;

	jsonw_name(w, "changes");
	jsonw_start_array(w);
	for (i = 0; i < d->n; i++) {
		jsonw_start_object(w);
		jsonw_string_field(w, "change", fg_change_name(d->v[i].change));
		jsonw_string_field(w, "cgroup", d->v[i].cgroup);
		json_params(w, "want", d->v[i].want);
		json_params(w, "have", d->v[i].have);
		if (d->v[i].change == FG_CH_CONFLICT)
			jsonw_string_field(w, "owner", d->v[i].have_owner);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_uint_field(w, "add", d->adds);
	jsonw_uint_field(w, "replace", d->replaces);
	jsonw_uint_field(w, "delete", d->deletes);
	jsonw_uint_field(w, "unchanged", d->keeps);
	jsonw_uint_field(w, "conflict", d->conflicts);
}

void fg_diff_free(struct fg_diff *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}
