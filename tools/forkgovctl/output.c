// SPDX-License-Identifier: GPL-2.0
/*
 * list and show: a table for people, JSON for programs, and the Prometheus
 * text format for node_exporter's textfile collector.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "forkgovctl.h"

/* The length of the UTF-8 sequence at @p that a terminal may print, or 0. */
static int utf8_printable(const unsigned char *p)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	int len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	/* no overlong form, surrogate, code point past U+10FFFF or C1 control */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	else if (c == 0xc2)
		lo = 0xa0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/**
 * fg_visible - a name as a terminal may show it
 * @buf:  room for the result
 * @size: its size
 * @s:    a cgroup path or task name, as unescaped from the kernel's text
 *
 * A control byte, DEL, a backslash or a byte that is not part of printable
 * UTF-8 becomes \xHH, as util-linux shows such names: a name a process
 * chose never reaches the terminal raw.  Cut short to fit @size.
 *
 * Return: @buf.
 */
const char *fg_visible(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	int len;

	while (*p) {
		len = *p >= 0x20 && *p < 0x7f && *p != '\\' ? 1 :
		      utf8_printable(p);
		if (len && n + len < size) {
			memcpy(buf + n, p, len);
			n += len;
			p += len;
			continue;
		}
		if (len || n + 4 >= size)
			break;
		n += snprintf(buf + n, size - n, "\\x%02x", *p++);
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Does entry @e belong to what "show CGROUP" asked for, and to the owner
 * that --owner asked for?
 */
static bool wanted(const struct fg_entry *e, const char *only)
{
	if (opt_owner && strcmp(e->owner, opt_owner))
		return false;
	if (!only)
		return true;
	if (!strcmp(e->cgroup, only))
		return true;
	return e->kind == FG_KIND_CHILD && e->policy && !strcmp(e->policy, only);
}

/* 1234567 -> "1.2M"; small numbers stay exact. */
void fg_format_count(char *buf, size_t size, uint64_t v)
{
	static const char units[] = "kMGTPE";
	double x = (double)v;
	int u = -1;

	if (v < 100000) {
		snprintf(buf, size, "%" PRIu64, v);
		return;
	}
	/* at most 999.9 of a unit, as printed: 999950 is 1.0M, not 1000.0k */
	while (u < (int)sizeof(units) - 2 && (u < 0 || x >= 999.95)) {
		x /= 1000;
		u++;
	}
	snprintf(buf, size, "%.1f%c", x, units[u]);
}

/* A rate=none policy (or its child) has no bucket: nothing to show for it. */
static bool no_bucket(const struct fg_entry *e)
{
	return !e->p.period_s;
}

static void last_offender(char *buf, size_t size, const struct fg_entry *e)
{
	static char comm[FG_PATH_MAX], cgroup[FG_PATH_MAX];

	if (e->c.last_pid < 0 && !e->c.last_comm) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%s[%lld] %s",
		 e->c.last_comm ? fg_visible(comm, sizeof(comm), e->c.last_comm) : "?",
		 e->c.last_pid, e->c.last_cgroup ?
		 fg_visible(cgroup, sizeof(cgroup), e->c.last_cgroup) : "(removed)");
}

/* ---- tables: list and watch --------------------------------------------- */

/*
 * The width of the terminal @f writes to: $COLUMNS when it is a number (as
 * util-linux does), else the terminal's; 0 (no limit) for a pipe or file.
 */
int fg_term_width(FILE *f)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (c && *c) {
		v = strtol(c, &end, 10);
		if (!*end && v > 0 && v < 100000)
			return v;
	}
	if (isatty(fileno(f)) && !ioctl(fileno(f), TIOCGWINSZ, &ws) &&
	    ws.ws_col)
		return ws.ws_col;
	return 0;
}

/*
 * The columns of @tab that -o/--output names, in its order ("cgroup,denied";
 * case does not matter), or all of them.  Return: how many, or -1 after a
 * message naming the unknown column and the known ones.
 */
int fg_tab_columns(const struct fg_tab *tab, int *idx)
{
	const char *p = opt_output;
	char known[512] = "";
	size_t len;
	int n = 0, i;

	if (!p) {
		for (i = 0; i < tab->ncols; i++)
			idx[i] = i;
		return tab->ncols;
	}
	for (i = 0; i < tab->ncols; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known),
			 "%s%s", i ? "," : "", tab->cols[i].name);
	do {
		len = strcspn(p, ",");
		for (i = 0; i < tab->ncols; i++)
			if (strlen(tab->cols[i].name) == len &&
			    !strncasecmp(p, tab->cols[i].name, len))
				break;
		if (i == tab->ncols || n == FG_MAX_COLS) {
			p_err("-o '%s': %s column '%.*s'; the columns are %s",
			      opt_output, i == tab->ncols ? "no" : "too many, at",
			      (int)len, p, known);
			return -1;
		}
		idx[n++] = i;
		p += len;
	} while (*p++);
	return n;
}

/* One row, or the heading (@head), of fg_tab_print()'s table. */
static void tab_row(FILE *f, const struct fg_tab *tab, char cells[][FG_PATH_MAX],
		    const int *idx, const int *w, int n, int term, bool head)
{
	char *buf = NULL, *cur, *line;
	size_t size = 0, len;
	int pos = 0, i, slen;
	FILE *m = open_memstream(&buf, &size);

	if (!m)
		return;
	for (i = 0; i < n; i++) {
		const struct fg_col *c = &tab->cols[idx[i]];
		const char *s = cells[idx[i]];

		slen = strlen(s);
		if (i < n - 1 && slen > w[i])
			/* a path wider than its column: on a line of its own */
			fprintf(m, "%s\n%*s  ", s, w[i], "");
		else if (i == n - 1 && !head && term && c->path && pos &&
			 pos + slen > term)
			/* the last path goes below its row, whole */
			fprintf(m, "\n    %s", s);
		else
			fprintf(m, c->left ? "%-*s  " : "%*s  ", w[i], s);
		pos += w[i] + 2;
	}
	if (fclose(m))
		return;
	/* no blanks at the end of a line */
	for (cur = buf; (line = strsep(&cur, "\n")); ) {
		len = strlen(line);
		while (len && line[len - 1] == ' ')
			len--;
		fprintf(f, "%.*s\n", (int)len, line);
	}
	free(buf);
}

/*
 * Room the last column keeps beside a narrowed path column, and the width
 * below which a path column does not narrow (too many columns: -o).
 */
#define TAB_LAST_MIN	16
#define TAB_PATH_MIN	24

/*
 * The width of the row but for the first path column (its index in *@p,
 * or -1), with the last column cut to TAB_LAST_MIN when it is a path.
 */
static int tab_fixed(const struct fg_tab *tab, const int *idx, const int *w,
		     int n, int *p)
{
	int fixed = 2 * (n - 1), i;

	*p = -1;
	for (i = 0; i < n - 1; i++) {
		if (*p < 0 && tab->cols[idx[i]].path)
			*p = i;
		else
			fixed += w[i];
	}
	return fixed + (tab->cols[idx[n - 1]].path && w[n - 1] > TAB_LAST_MIN ?
			TAB_LAST_MIN : w[n - 1]);
}

/*
 * One cell of --raw: separated by one space, so a space in it becomes
 * \x20; the cells are already fg_visible(), so nothing else needs it.
 */
static void tab_raw_cell(FILE *f, const char *s, bool last)
{
	for (; *s; s++) {
		if (*s == ' ')
			fputs("\\x20", f);
		else
			fputc(*s, f);
	}
	fputc(last ? '\n' : ' ', f);
}

/* --raw: no alignment, no terminal; headings are the names of -o. */
static void tab_raw(const struct fg_tab *tab, const struct fg_table *t,
		    const char *only, FILE *f, const int *idx, int n)
{
	static char cells[FG_MAX_COLS][FG_PATH_MAX];
	char head[32];
	size_t k, j;
	int i;

	for (i = 0; i < n && !opt_noheadings; i++) {
		for (j = 0; tab->cols[idx[i]].name[j] && j < sizeof(head) - 1; j++)
			head[j] = toupper((unsigned char)tab->cols[idx[i]].name[j]);
		head[j] = '\0';
		tab_raw_cell(f, head, i == n - 1);
	}
	for (k = 0; k < t->n; k++) {
		if (!tab->wanted(&t->v[k], only))
			continue;
		tab->cells(&t->v[k], tab->ctx, cells);
		for (i = 0; i < n; i++)
			tab_raw_cell(f, cells[idx[i]], i == n - 1);
	}
}

/*
 * Print the wanted entries of @t as a table: the columns of -o, a heading
 * unless --noheadings, every path whole.  On a terminal the first path
 * column narrows so that the rest fits; a longer path then has a line of
 * its own, and a last path column that does not fit goes below its row.
 * With @hidden and without -o, columns at the right that leave no room for
 * a path column of TAB_PATH_MIN are left out, and counted in *@hidden.
 * With --raw, tab_raw() prints it instead.
 * Return: the rows printed (no heading without a row).
 */
size_t fg_tab_print(const struct fg_tab *tab, const struct fg_table *t,
		    const char *only, FILE *f, int *hidden)
{
	static char cells[FG_MAX_COLS][FG_PATH_MAX];
	int idx[FG_MAX_COLS], w[FG_MAX_COLS], n, i, p, fixed, term;
	size_t k, rows = 0;

	if (hidden)
		*hidden = 0;

	n = fg_tab_columns(tab, idx);
	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++)
		w[i] = opt_noheadings ? 0 : strlen(tab->cols[idx[i]].head);
	for (k = 0; k < t->n; k++) {
		if (!tab->wanted(&t->v[k], only))
			continue;
		rows++;
		tab->cells(&t->v[k], tab->ctx, cells);
		for (i = 0; i < n; i++)
			if ((int)strlen(cells[idx[i]]) > w[i])
				w[i] = strlen(cells[idx[i]]);
	}
	if (!rows)
		return 0;
	if (opt_raw) {
		tab_raw(tab, t, only, f, idx, n);
		return rows;
	}
	term = fg_term_width(f);
	fixed = tab_fixed(tab, idx, w, n, &p);
	/* @hidden: the columns at the right that do not fit may go */
	while (hidden && !opt_output && term && n > 2 &&
	       fixed + (p < 0 ? 0 : w[p] < TAB_PATH_MIN ? w[p] : TAB_PATH_MIN) > term) {
		n--;
		(*hidden)++;
		fixed = tab_fixed(tab, idx, w, n, &p);
	}
	if (term && p >= 0 && fixed + w[p] > term) {
		int min = w[p] < TAB_PATH_MIN ? w[p] : TAB_PATH_MIN;

		w[p] = term - fixed > min ? term - fixed : min;
	}
	if (!opt_noheadings) {
		for (i = 0; i < n; i++)
			snprintf(cells[idx[i]], FG_PATH_MAX, "%s",
				 tab->cols[idx[i]].head);
		tab_row(f, tab, cells, idx, w, n, term, true);
	}
	for (k = 0; k < t->n; k++) {
		if (!tab->wanted(&t->v[k], only))
			continue;
		tab->cells(&t->v[k], tab->ctx, cells);
		tab_row(f, tab, cells, idx, w, n, term, false);
	}
	return rows;
}

enum {
	COL_CGROUP, COL_RATE, COL_BURST, COL_ACTION, COL_TOKENS, COL_ALLOWED,
	COL_DENIED, COL_THROTTLED, COL_LOGGED, COL_PEAK, COL_STATE, COL_OWNER,
	COL_LAST, NCOLS
};

/* name for -o, heading, left-aligned, a path */
static const struct fg_col list_cols[NCOLS] = {
	[COL_CGROUP]	= { "cgroup",	"CGROUP",	 true,	true },
	[COL_RATE]	= { "rate",	"RATE",		 false,	false },
	[COL_BURST]	= { "burst",	"BURST",	 false,	false },
	[COL_ACTION]	= { "action",	"ACTION",	 true,	false },
	[COL_TOKENS]	= { "tokens",	"TOKENS",	 false,	false },
	[COL_ALLOWED]	= { "allowed",	"ALLOWED",	 false,	false },
	[COL_DENIED]	= { "denied",	"DENIED",	 false,	false },
	[COL_THROTTLED]	= { "throttled", "THROTTLED",	 false,	false },
	[COL_LOGGED]	= { "logged",	"LOGGED",	 false,	false },
	[COL_PEAK]	= { "peak",	"PEAK/s",	 false,	false },
	[COL_STATE]	= { "state",	"STATE",	 true,	false },
	[COL_OWNER]	= { "owner",	"OWNER",	 true,	false },
	[COL_LAST]	= { "last",	"LAST OFFENDER", true,	true },
};

/* pending, active, or "-" for a child bucket */
static const char *state_name(const struct fg_entry *e)
{
	if (e->kind == FG_KIND_CHILD)
		return "-";
	return e->pending ? "pending" : "active";
}

static void row_cells(const struct fg_entry *e, const void *ctx,
		      char cells[][FG_PATH_MAX])
{
	const size_t n = FG_PATH_MAX;
	static char path[FG_PATH_MAX - 2];

	(void)ctx;
	fg_visible(path, sizeof(path), e->cgroup);
	/* A child bucket is indented under its policy; --raw has STATE "-". */
	if (e->kind == FG_KIND_CHILD && !opt_raw)
		snprintf(cells[COL_CGROUP], n, "  %s", path);
	else
		snprintf(cells[COL_CGROUP], n, "%s", path);
	fg_format_rate(cells[COL_RATE], n, &e->p);
	snprintf(cells[COL_BURST], n, "%u", e->p.burst);
	snprintf(cells[COL_ACTION], n, "%s%s", fg_action_name(e->p.action),
		 e->kind == FG_KIND_POLICY && e->p.scope == FG_SCOPE_PER_CHILD ?
		 "/child" : "");
	snprintf(cells[COL_TOKENS], n, "%lld", e->c.tokens);
	if (no_bucket(e)) {
		snprintf(cells[COL_BURST], n, "-");
		snprintf(cells[COL_ACTION], n, "-");
		snprintf(cells[COL_TOKENS], n, "-");
	}
	fg_format_count(cells[COL_ALLOWED], n, e->c.allowed);
	fg_format_count(cells[COL_DENIED], n, e->c.denied);
	fg_format_count(cells[COL_THROTTLED], n, e->c.throttled);
	fg_format_count(cells[COL_LOGGED], n, e->c.logged);
	fg_format_count(cells[COL_PEAK], n, e->c.peak_1s);
	snprintf(cells[COL_STATE], n, "%s%s", state_name(e),
		 e->persist ? "+persist" : "");
	snprintf(cells[COL_OWNER], n, "%s", *e->owner ? e->owner : "-");
	last_offender(cells[COL_LAST], n, e);
}

static const struct fg_tab list_tab = {
	.cols	= list_cols,
	.ncols	= NCOLS,
	.cells	= row_cells,
	.wanted	= wanted,
};

/* -o names only columns of list: check it before anything is read. */
int fg_list_columns_check(void)
{
	int idx[FG_MAX_COLS];

	return fg_tab_columns(&list_tab, idx) < 0 ? FG_EXIT_USAGE : FG_EXIT_OK;
}

/*
 * One line per policy, its child buckets indented below it.  "action/child"
 * marks a per-child template.
 */
void fg_print_table(const struct fg_table *t, const char *only, FILE *f)
{
	if (!fg_tab_print(&list_tab, t, only, f, NULL))
		fprintf(f, "no policies\n");
}

/* show: "pod UID (QOS) container ID" of @cgroup, when it is a pod's. */
static void print_k8s(FILE *f, const char *what, const char *cgroup)
{
	struct fg_k8s k;

	if (!cgroup || fg_k8s_parse(cgroup, &k))
		return;
	fprintf(f, "\t%spod %s (%s)  container %s%s%s\n", what, k.pod_uid,
		k.qos, *k.runtime ? k.runtime : "", *k.runtime ? "://" : "",
		*k.container_id ? k.container_id : "-");
}

/* show: every field, one per line, for the policy and its children. */
void fg_print_detail(const struct fg_table *t, const char *only, FILE *f)
{
	static char path[FG_PATH_MAX], policy[FG_PATH_MAX];
	const struct fg_entry *e;
	char rate[64], last[FG_PATH_MAX], burst[16], tokens[24];
	size_t k;

	for (k = 0; k < t->n; k++) {
		e = &t->v[k];
		if (!wanted(e, only))
			continue;
		fg_format_rate(rate, sizeof(rate), &e->p);
		last_offender(last, sizeof(last), e);
		fg_visible(path, sizeof(path), e->cgroup);
		snprintf(burst, sizeof(burst), "%u", e->p.burst);
		snprintf(tokens, sizeof(tokens), "%lld", e->c.tokens);
		if (no_bucket(e)) {
			snprintf(burst, sizeof(burst), "-");
			snprintf(tokens, sizeof(tokens), "-");
		}
		if (e->kind == FG_KIND_POLICY)
			fprintf(f, "policy %s\n"
				"\trate %s  burst %s  action %s  max-delay %ums\n"
				"\tscope %s  count %s  mt-warn %s  deny-delay %ums\n",
				path, rate, burst, no_bucket(e) ? "-" :
				fg_action_name(e->p.action),
				e->p.max_delay_ms, fg_scope_name(e->p.scope),
				fg_count_name(e->p.count),
				fg_mt_warn_name(e->p.mt_warn),
				e->p.deny_delay_ms);
		if (e->kind == FG_KIND_POLICY)
			fprintf(f, "\tstate %s%s  owner %s\n", state_name(e),
				e->persist ? " (persist)" : "",
				*e->owner ? e->owner : "-");
		else
			fprintf(f, "child %s (bucket of per-child policy %s)\n",
				path, e->policy ?
				fg_visible(policy, sizeof(policy), e->policy) :
				"?");
		fprintf(f, "\ttokens %s  allowed %" PRIu64 "  denied %" PRIu64
			"  throttled %" PRIu64 "  logged %" PRIu64 "\n",
			tokens, e->c.allowed, e->c.denied,
			e->c.throttled, e->c.logged);
		fprintf(f, "\tthrottle total %.3fs  max %.3fs  peak %" PRIu64
			" forks in 1s\n\tlast offender %s\n",
			e->c.throttle_ns / 1e9, e->c.throttle_max_ns / 1e9,
			e->c.peak_1s, last);
		print_k8s(f, "", e->cgroup);
		print_k8s(f, "last offender ", e->c.last_cgroup);
	}
}

/* "k8s": the pod and container of @cgroup, or null (also for "mt"). */
void fg_json_k8s(json_writer_t *w, const char *cgroup)
{
	struct fg_k8s k;

	jsonw_name(w, "k8s");
	if (!cgroup || fg_k8s_parse(cgroup, &k)) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_string_field(w, "pod_uid", k.pod_uid);
	jsonw_string_field(w, "qos", k.qos);
	if (*k.container_id) {
		jsonw_string_field(w, "container_id", k.container_id);
		if (*k.runtime)
			jsonw_string_field(w, "runtime", k.runtime);
		else
			jsonw_null_field(w, "runtime");
	} else {
		jsonw_null_field(w, "container_id");
		jsonw_null_field(w, "runtime");
	}
	jsonw_end_object(w);
}

static void json_counters(json_writer_t *w, const struct fg_entry *e)
{
	if (no_bucket(e))	/* rate=none: the kernel's tokens mean nothing */
		jsonw_null_field(w, "tokens");
	else
		jsonw_int_field(w, "tokens", e->c.tokens);
	jsonw_uint_field(w, "allowed", e->c.allowed);
	jsonw_uint_field(w, "denied", e->c.denied);
	jsonw_uint_field(w, "throttled", e->c.throttled);
	jsonw_uint_field(w, "throttle_ns", e->c.throttle_ns);
	jsonw_uint_field(w, "throttle_max_ns", e->c.throttle_max_ns);
	jsonw_uint_field(w, "logged", e->c.logged);
	jsonw_uint_field(w, "peak_1s", e->c.peak_1s);
	jsonw_name(w, "last");
	if (e->c.last_pid < 0 && !e->c.last_comm) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_int_field(w, "pid", e->c.last_pid);
	if (e->c.last_comm)
		jsonw_string_field(w, "comm", e->c.last_comm);
	else
		jsonw_null_field(w, "comm");
	if (e->c.last_cgroup)
		jsonw_string_field(w, "cgroup", e->c.last_cgroup);
	else
		jsonw_null_field(w, "cgroup");
	fg_json_k8s(w, e->c.last_cgroup);
	jsonw_end_object(w);
}

/* A policy object, with its child buckets in "children". */
void fg_json_entry(json_writer_t *w, const struct fg_table *t,
		   const struct fg_entry *e)
{
	char rate[64];
	size_t k;

	jsonw_start_object(w);
	jsonw_string_field(w, "cgroup", e->cgroup);
	fg_json_k8s(w, e->cgroup);
	if (e->kind == FG_KIND_CHILD) {
		jsonw_string_field(w, "policy", e->policy ?: "");
		json_counters(w, e);
		jsonw_end_object(w);
		return;
	}
	fg_format_rate(rate, sizeof(rate), &e->p);
	jsonw_string_field(w, "rate", rate);
	if (no_bucket(e)) {	/* rate=none: no rate, no bucket, no action */
		jsonw_null_field(w, "rate_per_s");
		jsonw_null_field(w, "burst");
		jsonw_null_field(w, "action");
	} else {
		jsonw_float_field(w, "rate_per_s", fg_rate_per_s(&e->p));
		jsonw_uint_field(w, "burst", e->p.burst);
		jsonw_string_field(w, "action", fg_action_name(e->p.action));
	}
	jsonw_uint_field(w, "max_delay_ms", e->p.max_delay_ms);
	jsonw_string_field(w, "scope", fg_scope_name(e->p.scope));
	jsonw_string_field(w, "count", fg_count_name(e->p.count));
	jsonw_string_field(w, "mt_warn", fg_mt_warn_name(e->p.mt_warn));
	jsonw_uint_field(w, "deny_delay_ms", e->p.deny_delay_ms);
	jsonw_string_field(w, "state", state_name(e));
	jsonw_bool_field(w, "persist", e->persist);
	if (*e->owner)
		jsonw_string_field(w, "owner", e->owner);
	else
		jsonw_null_field(w, "owner");
	json_counters(w, e);
	if (e->p.scope == FG_SCOPE_PER_CHILD) {
		jsonw_name(w, "children");
		jsonw_start_array(w);
		for (k = 0; k < t->n; k++)
			if (t->v[k].kind == FG_KIND_CHILD && t->v[k].policy &&
			    !strcmp(t->v[k].policy, e->cgroup))
				fg_json_entry(w, t, &t->v[k]);
		jsonw_end_array(w);
	}
	jsonw_end_object(w);
}

/* An array of policies; "show" of a child bucket gives that bucket. */
void fg_json_table(json_writer_t *w, const struct fg_table *t,
		   const char *only)
{
	const struct fg_entry *e;
	size_t k;

	jsonw_start_array(w);
	for (k = 0; k < t->n; k++) {
		e = &t->v[k];
		if (only ? strcmp(e->cgroup, only) : e->kind != FG_KIND_POLICY)
			continue;
		if (opt_owner && strcmp(e->owner, opt_owner))
			continue;
		fg_json_entry(w, t, e);
	}
	jsonw_end_array(w);
}

/*
 * Label values escape backslash, double quote and newline.  Any other byte
 * that is not printable UTF-8 is shown as the text \xHH (its backslash
 * escaped): the exposition format wants UTF-8, and a control byte would
 * reach whoever looks at the file.
 */
void fg_prom_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int len;

	while (*p) {
		len = *p >= 0x20 && *p < 0x7f ? 1 : utf8_printable(p);
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (!len)
			fprintf(f, "\\\\x%02x", *p);
		else
			fwrite(p, 1, len, f);
		p += len ? len : 1;
	}
}

struct prom_metric {
	const char *name, *type, *help;
	size_t off;		/* in struct fg_counters; -1: see code */
	double scale;	/* divisor to the unit of the metric */
};

#define NS		1000000000.0	/* nanoseconds in a second */
#define CNT(f)		offsetof(struct fg_counters, f)
#define P_RATE	((size_t)-1)
#define P_BURST	((size_t)-2)
#define P_TOKENS ((size_t)-3)

static const struct prom_metric prom_metrics[] = {
	{ "forkgov_rate_per_second", "gauge",
	  "Forks per second the bucket allows in the long run: the policy's rate.",
	  P_RATE, 1 },
	{ "forkgov_burst", "gauge",
	  "Size of the bucket: the forks it lets through at once after a quiet spell.",
	  P_BURST, 1 },
	{ "forkgov_tokens", "gauge",
	  "Tokens in the bucket now (negative while throttled forks wait).",
	  P_TOKENS, 1 },
	{ "forkgov_allowed_total", "counter",
	  "Forks that took a token of the bucket, less those refunded.",
	  CNT(allowed), 1 },
	{ "forkgov_denied_total", "counter",
	  "Forks the bucket denied with EAGAIN (throttled ones over max_delay included).",
	  CNT(denied), 1 },
	{ "forkgov_throttled_total", "counter",
	  "Forks the bucket made wait, less those refunded.",
	  CNT(throttled), 1 },
	{ "forkgov_throttle_seconds_total", "counter",
	  "Total of the waits the bucket imposed on throttled forks.",
	  CNT(throttle_ns), NS },
	{ "forkgov_throttle_max_seconds", "gauge",
	  "Longest wait the bucket imposed on one fork.",
	  CNT(throttle_max_ns), NS },
	{ "forkgov_logged_total", "counter",
	  "Forks over the limit that the bucket let through in log mode.",
	  CNT(logged), 1 },
	{ "forkgov_peak_forks_1s", "gauge",
	  "Most fork attempts that reached the bucket in any one-second window.",
	  CNT(peak_1s), 1 },
};

static double prom_value(const struct prom_metric *m, const struct fg_entry *e)
{
	if (m->off == P_RATE)
		return fg_rate_per_s(&e->p);
	if (m->off == P_BURST)
		return e->p.burst;
	if (m->off == P_TOKENS)
		return (double)e->c.tokens;
	return *(const uint64_t *)((const char *)&e->c + m->off) / m->scale;
}

/*
 * ",pod_uid=...,qos=...[,container_id=...]" when @cgroup is a pod's, else
 * nothing: a label absent is a label empty to Prometheus.  The values keep
 * to [0-9a-z-] (module/k8s.h) and need no escaping.
 */
void fg_prom_k8s_labels(FILE *f, const char *cgroup)
{
	struct fg_k8s k;

	if (fg_k8s_parse(cgroup, &k))
		return;
	fprintf(f, ",pod_uid=\"%s\",qos=\"%s\"", k.pod_uid, k.qos);
	if (*k.container_id)
		fprintf(f, ",container_id=\"%s\"", k.container_id);
}

/*
 * The labels that name a bucket, the same in every per-bucket family:
 * cgroup, policy (the cgroup of the policy, for a child its template's) and
 * kind, then the pod's labels.  Without the braces.
 */
static void prom_bucket_labels(FILE *f, const struct fg_entry *e)
{
	fputs("cgroup=\"", f);
	fg_prom_escape(f, e->cgroup);
	fputs("\",policy=\"", f);
	fg_prom_escape(f, e->kind == FG_KIND_CHILD ? e->policy ?: "" :
		       e->cgroup);
	fprintf(f, "\",kind=\"%s\"",
		e->kind == FG_KIND_CHILD ? "child" : "policy");
	fg_prom_k8s_labels(f, e->cgroup);
}

static void prom_labels(FILE *f, const struct fg_entry *e)
{
	fputc('{', f);
	prom_bucket_labels(f, e);
	fputc('}', f);
}

/*
 * The values of /proc/forkgov/stats (semantics.rst, mt-fork.rst and
 * lineage.rst of Documentation/admin-guide/forkgov say what they count).
 */
struct prom_stat {
	const char *name;
	bool gauge;	/* a level, not a count since the module was loaded */
	const char *help;
};

static const struct prom_stat prom_stat_help[] = {
	{ "enabled", true,
	  "1 while forkgov enforces its policies, 0 while it only counts." },
	{ "hook_installed", true, "1 while forkgov's hook is on the fork path." },
	{ "policies", true, "Policies in the table." },
	{ "child_buckets", true, "Per-child buckets in the table." },
	{ "hook_hits", false, "Calls of kernel_clone() that reached forkgov's hook." },
	{ "governed", false, "Forks charged to at least one policy." },
	{ "allowed", false,
	  "Governed forks that proceeded without waiting, logged ones included." },
	{ "denied", false, "Governed forks that were denied." },
	{ "throttled", false, "Governed forks that had to wait." },
	{ "throttle_ns", false, "Total wait of the throttled forks." },
	{ "logged", false,
	  "Forks that a log-mode policy let through over its limit and no policy denied." },
	{ "restarts", false,
	  "Restarted throttled forks that kept their place in the queue." },
	{ "deny_sleeps", false,
	  "Denied forks that slept in their back-off before EAGAIN." },
	{ "deny_sleep_ns", false, "Total back-off sleep of the denied forks." },
	{ "pending_policies", true, "Pending policies waiting for their cgroup." },
	{ "pending_overflows", false,
	  "Cgroups created while the queue of new cgroups was full." },
	{ "pending_waits", false,
	  "Forks in a new cgroup that waited for its pending policy to be activated." },
	{ "mt_tracked", true,
	  "Forks without exec tracked now or waiting for their report." },
	{ "mt_reported", false, "Forks without exec named in a report." },
	{ "mt_suppressed", false,
	  "Forks without exec not named in a report because of the rate limit." },
	{ "mt_exec_in_time", false, "Tracked children that exec'd before their report." },
	{ "mt_dropped", false, "Children not tracked because every slot was in use." },
	{ "mt_aggregated", false,
	  "Forks without exec counted in a summary line instead of a report." },
	{ "mt_offenders", true, "Entries in use in the table of fork-without-exec offenders." },
	{ "mt_offenders_evicted", false,
	  "Offenders evicted from their full table by a new one." },
	{ "lineage_tracked", true,
	  "Processes at lineage depth 2 or more in the lineage table." },
	{ "lineage_max_depth", true,
	  "Deepest lineage depth seen since the module was loaded." },
	{ "lineage_charged", false,
	  "Forks at or past the lineage threshold or in a cgroup under siege." },
	{ "lineage_throttled", false, "Lineage-charged forks that had to wait." },
	{ "lineage_denied", false, "Lineage-charged forks that failed with EAGAIN." },
	{ "lineage_dropped", false,
	  "Deep children not recorded because the lineage table was full." },
	{ "lineage_sieges", false, "Lineage sieges begun since the module was loaded." },
	{ "lineage_under_siege", true, "Cgroups under lineage siege now." },
	{ "lineage_peak_wide", true,
	  "Peak of one cgroup's processes without exec at lineage_width_depth+." },
	{ "lineage_peak_root_wide", true,
	  "Peak of one lineage's generation without exec at lineage_root_depth+." },
};

static const struct prom_stat *prom_stat_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prom_stat_help); i++)
		if (!strcmp(name, prom_stat_help[i].name))
			return &prom_stat_help[i];
	return NULL;
}

/*
 * Global counters of /proc/forkgov/stats: every numeric "name value" is
 * forkgov_global_NAME, a counter (_total) unless it is a level; *_ns
 * become seconds.  A name this forkgovctl does not know (a newer module's)
 * is a counter with a HELP that says where it comes from.
 */
void fg_print_prom_globals(const struct fg_stats *s, FILE *f)
{
	const struct prom_stat *ps;
	char metric[160];
	const char *v;
	size_t i, len;
	double val;
	char *end;
	bool gauge;

	v = fg_stats_get(s, "version");
	if (v) {
		fputs("# HELP forkgov_build_info Version of the loaded forkgov module.\n"
		      "# TYPE forkgov_build_info gauge\n"
		      "forkgov_build_info{version=\"", f);
		fg_prom_escape(f, v);
		fputs("\"} 1\n", f);
	}
	for (i = 0; i < s->n; i++) {
		const char *name = s->v[i].name;

		len = strlen(name);
		val = strtod(s->v[i].value, &end);
		if (end == s->v[i].value || *end || len > 100 ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
			continue;
		ps = prom_stat_find(name);
		gauge = ps && ps->gauge;
		if (len > 3 && !strcmp(name + len - 3, "_ns")) {
			snprintf(metric, sizeof(metric), "forkgov_global_%.*s_seconds%s",
				 (int)(len - 3), name, gauge ? "" : "_total");
			val /= NS;
		} else {
			snprintf(metric, sizeof(metric), "forkgov_global_%s%s", name,
				 gauge ? "" : "_total");
		}
		if (ps)
			fprintf(f, "# HELP %s %s\n", metric, ps->help);
		else
			fprintf(f, "# HELP %s Value %s of /proc/forkgov/stats, %s\n",
				metric, name, "unknown to this forkgovctl.");
		fprintf(f, "# TYPE %s %s\n", metric, gauge ? "gauge" : "counter");
		fprintf(f, "%s %.15g\n", metric, val);
	}
}

/*
 * node_exporter textfile format: each family once, HELP and TYPE first.
 * Write to a temporary file and rename it into the collector's directory.
 */
void fg_print_prometheus(const struct fg_table *t, const struct fg_stats *s,
			 const char *only, FILE *f)
{
	const struct prom_metric *m;
	size_t i, k;

	fputs("# HELP forkgov_policy_info 1 per policy; labels: its action, scope and count.\n"
	      "# TYPE forkgov_policy_info gauge\n", f);
	for (k = 0; k < t->n; k++) {
		const struct fg_entry *e = &t->v[k];

		if (e->kind != FG_KIND_POLICY || !wanted(e, only))
			continue;
		fputs("forkgov_policy_info{", f);
		prom_bucket_labels(f, e);
		fprintf(f, ",action=\"%s\",scope=\"%s\",count=\"%s\"} 1\n",
			no_bucket(e) ? "none" : fg_action_name(e->p.action),
			fg_scope_name(e->p.scope),
			fg_count_name(e->p.count));
	}
	for (i = 0; i < ARRAY_SIZE(prom_metrics); i++) {
		m = &prom_metrics[i];
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help,
			m->name, m->type);
		for (k = 0; k < t->n; k++) {
			if (!wanted(&t->v[k], only))
				continue;
			/* rate=none: no rate, burst or tokens to report */
			if (no_bucket(&t->v[k]) &&
			    (m->off == P_RATE || m->off == P_BURST ||
			     m->off == P_TOKENS))
				continue;
			fputs(m->name, f);
			prom_labels(f, &t->v[k]);
			fprintf(f, " %.15g\n", prom_value(m, &t->v[k]));
		}
	}
	if (s)
		fg_print_prom_globals(s, f);
}

/* forkgov_up, first in every text a scraper may read instead of the module. */
void fg_print_prom_up(FILE *f, bool up)
{
	fprintf(f, "# HELP forkgov_up 1 when forkgov's table and counters were read, else 0.\n"
		"# TYPE forkgov_up gauge\n"
		"forkgov_up %d\n", up);
}
