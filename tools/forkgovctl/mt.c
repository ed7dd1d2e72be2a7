// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl mt: the programs that fork from threads without exec, from
 * /proc/forkgov/mt_offenders (Documentation/admin-guide/forkgov/mt-fork.rst),
 * most prolific first: a table, JSON with -j, or Prometheus counters with
 * --prometheus.  Each line of the file is "key=value" fields separated by a
 * space, values escaped as in the policy table; keys this version does not
 * know are ignored.  An offender in a pod's cgroup is attributed to the pod
 * and the container as the policies are (the "k8s" object, the pod_uid,
 * qos and container_id labels).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forkgovctl.h"

static int parse_num(const char *s, long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

/* One "key=value" field of @o; *@why names what is wrong. */
static int offender_field(struct fg_offender *o, char *tok, const char **why)
{
	char *val = strchr(tok, '=');
	long long n = 0;
	char **str = NULL;

	if (!val) {
		*why = "a field without '='";
		return -EINVAL;
	}
	*val++ = '\0';
	if (!strcmp(tok, "comm"))
		str = &o->comm;
	else if (!strcmp(tok, "cgroup"))
		str = &o->cgroup;
	else if (!strcmp(tok, "exe"))
		str = &o->exe;
	if (str) {
		if (*str) {
			*why = "a key given twice";
			return -EINVAL;
		}
		*str = fg_unescape(val);
		return *str ? 0 : -ENOMEM;
	}
	if (!strcmp(tok, "pid") && !strcmp(val, "-"))
		return 0;
	if (strcmp(tok, "count") && strcmp(tok, "cgroup_id") &&
	    strcmp(tok, "first") && strcmp(tok, "last") && strcmp(tok, "pid"))
		return 0;
	if (parse_num(val, &n)) {
		*why = "a number that is not one";
		return -EINVAL;
	}
	if (!strcmp(tok, "count"))
		o->count = n;
	else if (!strcmp(tok, "cgroup_id"))
		o->cgroup_id = n;
	else if (!strcmp(tok, "first"))
		o->first = n;
	else if (!strcmp(tok, "last"))
		o->last = n;
	else
		o->pid = n;
	return 0;
}

static void offender_free(struct fg_offender *o)
{
	free(o->comm);
	free(o->cgroup);
	free(o->exe);
}

static int offender_parse(char *line, struct fg_offender *o, const char **why)
{
	char *tok, *save = NULL;
	int err;

	memset(o, 0, sizeof(*o));
	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		err = offender_field(o, tok, why);
		if (err)
			return err;
	}
	if (!o->comm || !o->cgroup) {
		*why = "a line without comm or cgroup";
		return -EINVAL;
	}
	/* "-": the executable is unknown, or not the reader's to see. */
	if (o->exe && !strcmp(o->exe, "-")) {
		free(o->exe);
		o->exe = NULL;
	}
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct fg_offender *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->comm, y->comm);
}

/**
 * fg_offenders_parse - the text of /proc/forkgov/mt_offenders
 * @text: the file's text (modified)
 * @t:    filled, most prolific first; fg_offenders_free() it
 * @why:  what is wrong, on -EINVAL
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int fg_offenders_parse(char *text, struct fg_offenders *t, const char **why)
{
	char *line, *save = NULL;
	struct fg_offender *nv;
	int err;

	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		nv = realloc(t->v, (t->n + 1) * sizeof(*t->v));
		if (!nv) {
			fg_offenders_free(t);
			return -ENOMEM;
		}
		t->v = nv;
		err = offender_parse(line, &t->v[t->n], why);
		if (err) {
			offender_free(&t->v[t->n]);
			fg_offenders_free(t);
			return err;
		}
		t->n++;
	}
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_count);
	return 0;
}

void fg_offenders_free(struct fg_offenders *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		offender_free(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static void format_time(char *buf, size_t size, long long secs)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (!secs || !localtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "-");
}

enum { MC_COUNT, MC_FIRST, MC_LAST, MC_PID, MC_COMM, MC_CGROUP, MC_EXE, MC_N };

static const char * const mt_heads[MC_N] = {
	"COUNT", "FIRST SEEN", "LAST SEEN", "PID", "COMM", "CGROUP", "EXE",
};

static void row_cells(const struct fg_offender *o, char cells[][FG_PATH_MAX])
{
	fg_format_count(cells[MC_COUNT], FG_PATH_MAX, o->count);
	format_time(cells[MC_FIRST], FG_PATH_MAX, o->first);
	format_time(cells[MC_LAST], FG_PATH_MAX, o->last);
	if (o->pid)
		snprintf(cells[MC_PID], FG_PATH_MAX, "%d", o->pid);
	else
		snprintf(cells[MC_PID], FG_PATH_MAX, "-");
	fg_visible(cells[MC_COMM], FG_PATH_MAX, o->comm);
	fg_visible(cells[MC_CGROUP], FG_PATH_MAX, o->cgroup);
	fg_visible(cells[MC_EXE], FG_PATH_MAX, o->exe ?: "-");
}

/* Numbers right-aligned, names left; the last column is never padded. */
static void print_row(FILE *f, char cells[][FG_PATH_MAX], const int *w)
{
	int i;

	for (i = 0; i < MC_N - 1; i++)
		fprintf(f, i <= MC_PID && i != MC_FIRST && i != MC_LAST ?
			"%*s  " : "%-*s  ", w[i], cells[i]);
	fprintf(f, "%s\n", cells[MC_N - 1]);
}

void fg_print_offenders(const struct fg_offenders *t, FILE *f)
{
	static char cells[MC_N][FG_PATH_MAX];
	int w[MC_N], i;
	size_t k;

	if (!t->n) {
		fprintf(f, "no offenders\n");
		return;
	}
	for (i = 0; i < MC_N; i++)
		w[i] = opt_noheadings ? 0 : strlen(mt_heads[i]);
	for (k = 0; k < t->n; k++) {
		row_cells(&t->v[k], cells);
		for (i = 0; i < MC_N; i++)
			if ((int)strlen(cells[i]) > w[i])
				w[i] = strlen(cells[i]);
	}
	if (!opt_noheadings) {
		for (i = 0; i < MC_N; i++)
			snprintf(cells[i], FG_PATH_MAX, "%s", mt_heads[i]);
		print_row(f, cells, w);
	}
	for (k = 0; k < t->n; k++) {
		row_cells(&t->v[k], cells);
		print_row(f, cells, w);
	}
}

void fg_json_offenders(json_writer_t *w, const struct fg_offenders *t)
{
	const struct fg_offender *o;
	size_t k;

	jsonw_start_array(w);
	for (k = 0; k < t->n; k++) {
		o = &t->v[k];
		jsonw_start_object(w);
		jsonw_string_field(w, "comm", o->comm);
		jsonw_string_field(w, "cgroup", o->cgroup);
		jsonw_uint_field(w, "cgroup_id", o->cgroup_id);
		jsonw_uint_field(w, "count", o->count);
		jsonw_int_field(w, "first", o->first);
		jsonw_int_field(w, "last", o->last);
		if (o->pid)
			jsonw_int_field(w, "pid", o->pid);
		else
			jsonw_null_field(w, "pid");
		if (o->exe)
			jsonw_string_field(w, "exe", o->exe);
		else
			jsonw_null_field(w, "exe");
		fg_json_k8s(w, o->cgroup);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

#define MT_METRIC	"forkgov_mt_offender_reports_total"

void fg_prom_offenders(const struct fg_offenders *t, FILE *f)
{
	const struct fg_offender *o;
	size_t k;

	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", MT_METRIC,
		"Children of threaded forks without exec, per offender (name, cgroup).",
		MT_METRIC);
	for (k = 0; k < t->n; k++) {
		o = &t->v[k];
		fprintf(f, "%s{comm=\"", MT_METRIC);
		fg_prom_escape(f, o->comm);
		fputs("\",cgroup=\"", f);
		fg_prom_escape(f, o->cgroup);
		fputc('"', f);
		fg_prom_k8s_labels(f, o->cgroup);
		fprintf(f, "} %llu\n", (unsigned long long)o->count);
	}
}

/* Return: an exit status; a message was printed unless FG_EXIT_OK. */
static int read_offenders(struct fg_offenders *t)
{
	const char *why = "?";
	char *text;
	int ret = fg_read_proc("mt_offenders", &text), err;

	if (ret)
		return ret;
	err = fg_offenders_parse(text, t, &why);
	free(text);
	if (!err)
		return FG_EXIT_OK;
	if (err == -ENOMEM)
		p_err("out of memory");
	else
		p_err("cannot understand %s/mt_offenders (%s): is forkgovctl %s too old for this module?",
		      fg_proc_dir(), why, FGCTL_VERSION);
	return FG_EXIT_SYSTEM;
}

int do_mt(int argc, char **argv)
{
	struct fg_offenders t;
	int ret;

	if (argc) {
		p_err("mt takes no arguments; what is '%s'?", *argv);
		return FG_EXIT_USAGE;
	}
	if (opt_output || opt_raw) {
		p_err("mt takes neither -o nor --raw: they go with list and watch");
		return FG_EXIT_USAGE;
	}
	ret = read_offenders(&t);
	if (ret)
		return ret;
	if (opt_prometheus)
		fg_prom_offenders(&t, stdout);
	else if (json_output)
		fg_json_offenders(json_wtr, &t);
	else
		fg_print_offenders(&t, stdout);
	fg_offenders_free(&t);
	return FG_EXIT_OK;
}
