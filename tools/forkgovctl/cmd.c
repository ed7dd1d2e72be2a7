// SPDX-License-Identifier: GPL-2.0
/*
 * The commands.  Each returns an exit status (enum fg_exit) and prints a
 * sentence for every failure; in JSON mode results and errors are JSON.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "forkgovctl.h"

#define ERRLEN	(FG_PATH_MAX * 3)

static int resolve_arg(const char *arg, char *cg, bool must_exist)
{
	char err[ERRLEN];
	int ret = fg_cgroup_resolve(arg, cg, FG_PATH_MAX, must_exist, err,
				    sizeof(err));

	if (ret)
		p_err("%s", err);
	return ret ? FG_EXIT_USAGE : FG_EXIT_OK;
}

/* Keywords of "set", in abbreviation order: "m" is max-delay. */
static const char * const set_keys[] = {
	"rate", "burst", "action", "max-delay", "mt-warn", "scope", "count",
	"deny-delay", "max_delay", "mt_warn", "deny_delay",
};

static const char *set_keyword(const char *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(set_keys); i++)
		if (!strcmp(arg, set_keys[i]))
			return set_keys[i];
	for (i = 0; i < ARRAY_SIZE(set_keys); i++)
		if (is_prefix(arg, set_keys[i]))
			return set_keys[i];
	return NULL;
}

/* The result of a change in JSON: what was written. */
static void json_done(const char *op, const char *cgroup, const char *line)
{
	if (!json_output)
		return;
	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "op", op);
	if (cgroup)
		jsonw_string_field(json_wtr, "cgroup", cgroup);
	jsonw_string_field(json_wtr, "line", line);
	jsonw_end_object(json_wtr);
}

static int write_one(const char *line, const char *what)
{
	char buf[FG_LINE_MAX + 2], *lines[1] = { (char *)line };
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	return fg_write_policies(buf, n, what, lines, 1);
}

int do_set(int argc, char **argv)
{
	char cg[FG_PATH_MAX], line[FG_LINE_MAX + 2], what[FG_PATH_MAX + 16];
	const char *key, *why;
	unsigned int given = 0;
	struct fg_params p;
	int ret;

	if (!REQ_ARGS(3))
		return FG_EXIT_USAGE;
	/* A typo stays an error unless the cgroup is declared to come later. */
	ret = resolve_arg(*argv, cg, !opt_pending);
	if (ret)
		return ret;
	NEXT_ARG();
	fg_init_params(&p);
	while (argc) {
		key = set_keyword(*argv);
		if (!key) {
			p_err("what is '%s'? expected rate, burst, action, max-delay, scope, count, mt-warn or deny-delay",
			      *argv);
			return FG_EXIT_USAGE;
		}
		NEXT_ARG();
		if (!argc) {
			p_err("'%s' needs a value", key);
			return FG_EXIT_USAGE;
		}
		ret = fg_params_set(&p, &given, key, *argv, &why);
		if (ret == -EEXIST) {
			p_err("%s %s (a second time as '%s %s')", key, why,
			      argv[-1], *argv);
			return FG_EXIT_USAGE;
		}
		if (ret) {
			p_err("%s '%s': %s%s", key, *argv,
			      ret == -ERANGE ? "out of range: " : "", why);
			return FG_EXIT_USAGE;
		}
		NEXT_ARG();
	}
	if (fg_params_finish(&p, given, &why)) {
		p_err("%s", why);
		return FG_EXIT_USAGE;
	}
	if (fg_format_owner(line, sizeof(line),
			    fg_format_set(line, sizeof(line), cg, &p, given),
			    opt_owner, opt_pending, opt_persist) < 0) {
		p_err("cgroup path too long: a policy line may have at most %d bytes",
		      FG_LINE_MAX);
		return FG_EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "set %s", cg);
	ret = write_one(line, what);
	if (!ret)
		json_done("set", cg, line);
	return ret;
}

int do_del(int argc, char **argv)
{
	char cg[FG_PATH_MAX], line[FG_LINE_MAX + 2], what[FG_PATH_MAX + 16];
	struct fg_table t;
	bool found;
	int ret;

	if (!REQ_ARGS(1))
		return FG_EXIT_USAGE;
	if (argc > 1) {
		p_err("del takes one cgroup; what is '%s'?", argv[1]);
		return FG_EXIT_USAGE;
	}
	ret = resolve_arg(*argv, cg, false);
	if (!ret)
		ret = fg_read_table(&t);
	if (ret)
		return ret;
	found = fg_table_find(&t, FG_KIND_POLICY, cg);
	fg_table_free(&t);
	if (!found) {
		p_err("there is no policy on %s to delete ('forkgovctl list' shows the policies)",
		      cg);
		return FG_EXIT_NOTFOUND;
	}
	if (fg_format_del(line, sizeof(line), cg) < 0) {
		p_err("cgroup path too long");
		return FG_EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "del %s", cg);
	ret = write_one(line, what);
	if (!ret)
		json_done("del", cg, line);
	return ret;
}

int do_flush(int argc, char **argv)
{
	int ret;

	if (argc) {
		p_err("flush takes no arguments; what is '%s'?", *argv);
		return FG_EXIT_USAGE;
	}
	ret = write_one("flush", "flush");
	if (!ret)
		json_done("flush", NULL, "flush");
	return ret;
}

static int list_or_show(const char *only)
{
	struct fg_stats s = { 0 };
	struct fg_table t;
	int ret = fg_read_table(&t);

	if (ret)
		return ret;
	if (only && !fg_table_find(&t, FG_KIND_POLICY, only) &&
	    !fg_table_find(&t, FG_KIND_CHILD, only)) {
		p_err("there is no policy on %s ('forkgovctl list' shows the policies)",
		      only);
		ret = FG_EXIT_NOTFOUND;
	} else if (opt_prometheus) {
		ret = fg_read_stats(&s);
		if (!ret)
			fg_print_prometheus(&t, &s, only, stdout);
	} else if (json_output && only) {
		struct fg_entry *e = fg_table_find(&t, FG_KIND_POLICY, only);

		fg_json_entry(json_wtr, &t,
			      e ?: fg_table_find(&t, FG_KIND_CHILD, only));
	} else if (json_output) {
		fg_json_table(json_wtr, &t, NULL);
	} else if (only) {
		fg_print_detail(&t, only, stdout);
	} else {
		fg_print_table(&t, NULL, stdout);
	}
	fg_stats_free(&s);
	fg_table_free(&t);
	return ret;
}

int do_list(int argc, char **argv)
{
	if (fg_list_columns_check())
		return FG_EXIT_USAGE;
	if (argc) {
		p_err("list takes no arguments; what is '%s'? (show CGROUP shows one)",
		      *argv);
		return FG_EXIT_USAGE;
	}
	return list_or_show(NULL);
}

int do_show(int argc, char **argv)
{
	char cg[FG_PATH_MAX];
	int ret;

	if (!argc)
		return list_or_show(NULL);
	if (argc > 1) {
		p_err("show takes one cgroup; what is '%s'?", argv[1]);
		return FG_EXIT_USAGE;
	}
	ret = resolve_arg(*argv, cg, false);
	return ret ?: list_or_show(cg);
}

/* A policy whose cgroup is missing: create it, skip it, or refuse. */
static int apply_missing(struct fg_config *c, bool **create)
{
	const char *mnt = fg_cgroup_mount();
	char dir[FG_PATH_MAX * 2];
	struct stat st;
	size_t i, j;

	*create = calloc(c->n + 1, sizeof(**create));
	if (!*create) {
		p_err("out of memory");
		return FG_EXIT_SYSTEM;
	}
	if (!mnt)
		return FG_EXIT_OK;	/* let the kernel judge */
	for (i = j = 0; i < c->n; i++) {
		struct fg_conf_policy *cp = &c->v[i];

		snprintf(dir, sizeof(dir), "%s%s", mnt, cp->cgroup);
		if (!stat(dir, &st) && S_ISDIR(st.st_mode)) {
			c->v[j++] = *cp;
			continue;
		}
		if (cp->create) {
			(*create)[j] = true;
			c->v[j++] = *cp;
			continue;
		}
		/* The kernel waits for it. */
		if (cp->pending) {
			c->v[j++] = *cp;
			continue;
		}
		if (opt_skip_missing) {
			p_warn("%s:%u: cgroup %s does not exist; skipped (--skip-missing)",
			       cp->file, cp->line, cp->cgroup);
			free(cp->cgroup);
			free(cp->file);
			continue;
		}
		p_err("%s:%u: cgroup %s does not exist (no directory %s); create it, add 'create = yes' to its section, or apply with --skip-missing",
		      cp->file, cp->line, cp->cgroup, dir);
		return FG_EXIT_CONFIG;
	}
	c->n = j;
	return FG_EXIT_OK;
}

static void apply_report(const struct fg_diff *d, bool dry_run)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_bool_field(json_wtr, "dry_run", dry_run);
		fg_diff_json(d, json_wtr);
		jsonw_end_object(json_wtr);
		return;
	}
	if (dry_run) {
		fg_diff_print(d, stdout);
		return;
	}
	printf("applied: %zu added, %zu replaced, %zu deleted, %zu unchanged\n",
	       d->adds, d->replaces, d->deletes, d->keeps);
}

static int apply_write(struct fg_config *c, const bool *create,
		       const struct fg_diff *d)
{
	char *buf = NULL, **lines = NULL, err[ERRLEN];
	size_t len, nlines = 0, i;
	int ret;

	ret = fg_diff_lines(d, &buf, &len, &lines, &nlines);
	if (ret) {
		p_err(ret == -E2BIG ? "a cgroup path is too long for the kernel's line limit" :
		      "out of memory");
		ret = ret == -E2BIG ? FG_EXIT_CONFIG : FG_EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < c->n; i++) {
		if (!create[i])
			continue;
		if (fg_cgroup_create(c->v[i].cgroup, err, sizeof(err))) {
			p_err("%s:%u: %s", c->v[i].file, c->v[i].line, err);
			ret = FG_EXIT_SYSTEM;
			goto out;
		}
		p_info("created cgroup %s", c->v[i].cgroup);
	}
	ret = len ? fg_write_policies(buf, len, "apply", lines, nlines) : 0;
	if (ret)
		p_info("nothing was changed: the kernel applies all of a configuration or none of it");
out:
	for (i = 0; lines && i < nlines; i++)
		free(lines[i]);
	free(lines);
	free(buf);
	return ret;
}

/*
 * --keep-unmanaged: a policy the last apply set, that no file names any
 * more, but that was changed since, is not the configuration's to delete.
 */
static void apply_note_changed(const struct fg_state *owned,
			       const struct fg_table *t, const struct fg_diff *d)
{
	size_t i, j;

	for (i = 0; i < owned->n; i++) {
		const struct fg_entry *e = fg_table_find((struct fg_table *)t,
							 FG_KIND_POLICY,
							 owned->v[i].cgroup);
		bool named = false;

		for (j = 0; j < d->n && !named; j++)
			named = !strcmp(d->v[j].cgroup, owned->v[i].cgroup);
		if (e && !named && !fg_params_equal(&e->p, &owned->v[i].p))
			p_info("kept %s: its policy was changed since the configuration set it",
			       owned->v[i].cgroup);
	}
}

/*
 * A configured cgroup with another owner's policy: a plain apply refuses,
 * changing nothing (the configuration is all or nothing); a reload
 * (--keep-unmanaged) leaves that cgroup alone and applies the rest.  In
 * JSON one error object, or none in a dry run, whose diff has them all.
 * Return: FG_EXIT_CONFLICT, or 0 to go on.
 */
static int apply_conflicts(const struct fg_diff *d)
{
	const struct fg_diff_item *first = NULL;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fg_diff_item *it = &d->v[i];

		if (it->change != FG_CH_CONFLICT)
			continue;
		first = first ?: it;
		if (opt_keep_unmanaged)
			p_warn("kept %s: its policy is owner %s's, not %s's (--take-over replaces it)",
			       it->cgroup, it->have_owner, d->owner);
		else if (!json_output)
			p_err("%s has a policy of owner %s; apply replaces only owner %s's policies: delete it, or apply with --take-over",
			      it->cgroup, it->have_owner, d->owner);
	}
	if (!first || opt_keep_unmanaged)
		return 0;
	if (json_output && !opt_dry_run)
		p_err("%zu configured cgroup(s) have a policy of another owner, the first %s (owner %s); apply replaces only owner %s's policies: delete them, or apply with --take-over",
		      d->conflicts, first->cgroup, first->have_owner, d->owner);
	else if (!opt_dry_run)
		p_info("nothing was changed: the kernel applies all of a configuration or none of it");
	return FG_EXIT_CONFLICT;
}

int do_apply(int argc, char **argv)
{
	struct fg_state owned = { 0 };
	char err[ERRLEN];
	struct fg_config c;
	struct fg_table t;
	struct fg_diff d;
	bool *create = NULL;
	int ret;

	if (argc > 1) {
		p_err("apply takes one file or directory; what is '%s'?",
		      argv[1]);
		return FG_EXIT_USAGE;
	}
	if (argc && opt_root) {
		p_err("--root is for the configuration directories: give no FILE|DIR with it");
		return FG_EXIT_USAGE;
	}
	if (argc ? fg_config_load(*argv, &c, err, sizeof(err)) :
		   fg_config_load_dirs(opt_root, &c, err, sizeof(err))) {
		p_err("%s", err);
		fg_config_free(&c);
		return FG_EXIT_CONFIG;
	}
	ret = fg_read_table(&t);
	if (ret) {
		fg_config_free(&c);
		return ret;
	}
	ret = apply_missing(&c, &create);
	if (!ret && ((opt_keep_unmanaged && fg_state_load(&owned)) ||
		     fg_diff_compute_owned(&c, &t, opt_keep_unmanaged ? &owned : NULL,
					   opt_take_over, &d))) {
		p_err("out of memory");
		ret = FG_EXIT_SYSTEM;
	} else if (!ret) {
		apply_note_changed(&owned, &t, &d);
		ret = apply_conflicts(&d);
		if (!ret && !opt_dry_run)
			ret = apply_write(&c, create, &d);
		if (!ret && !opt_dry_run)
			fg_state_save(&c);
		if (!ret || (ret == FG_EXIT_CONFLICT && opt_dry_run))
			apply_report(&d, opt_dry_run);
		fg_diff_free(&d);
	}
	fg_state_free(&owned);
	free(create);
	fg_table_free(&t);
	fg_config_free(&c);
	return ret;
}

/*
 * suggest: a rate and burst from what a policy has seen.  peak_1s is the
 * most fork attempts in any one second; the bucket must hold that peak with
 * room to spare, and refill it in a reasonable time.  With a sample period
 * the average rate is measured too, and the rate covers twice of it.
 */
#define SUGGEST_HEADROOM	1.25	/* burst over the observed peak */
#define SUGGEST_REFILL_S	10	/* a full bucket refills in this time */
#define SUGGEST_AVG_FACTOR	2	/* rate over the measured average */

struct suggestion {
	uint64_t peak;
	double avg;		/* NAN: not sampled */
	uint64_t rate, burst;
	bool busy;		/* the current limit was reached */
	bool rate_kept, burst_kept;	/* raised to the current limit */
	bool burst_capped;	/* the peak is above FG_BURST_MAX */
};

/* Forks over the current limit: each found the bucket empty. */
static uint64_t over_limit(const struct fg_entry *e)
{
	return e->c.throttled + e->c.logged + e->c.denied;
}

/*
 * Every fork attempt counts once: a fork that took a token at once is
 * allowed, one that found none is throttled, logged or denied instead.
 */
static uint64_t fork_attempts(const struct fg_entry *e)
{
	return e->c.allowed + over_limit(e);
}

/*
 * A busy policy (one that denied, throttled or logged) was reached by its
 * workload: what it saw is the least that workload needs, so a suggestion
 * never goes below its current rate or burst, and the burst never goes
 * below the observed peak.
 */
static void suggest_compute(struct suggestion *s, const struct fg_entry *e)
{
	double rate = ceil((double)s->peak / SUGGEST_REFILL_S);
	double cur_rate = ceil(fg_rate_per_s(&e->p));

	s->burst = (uint64_t)ceil(s->peak * SUGGEST_HEADROOM);
	if (!isnan(s->avg) && ceil(s->avg * SUGGEST_AVG_FACTOR) > rate)
		rate = ceil(s->avg * SUGGEST_AVG_FACTOR);
	s->busy = over_limit(e) > 0;
	if (s->busy && e->p.period_s && cur_rate > rate) {
		rate = cur_rate;
		s->rate_kept = true;
	}
	if (s->busy && e->p.period_s && e->p.burst > s->burst) {
		s->burst = e->p.burst;
		s->burst_kept = true;
	}
	s->rate = rate < 1 ? 1 : (uint64_t)rate;
	if (s->burst < s->peak)
		s->burst = s->peak;
	if (s->burst < 1)
		s->burst = 1;
	if (s->burst > FG_BURST_MAX) {
		s->burst_capped = s->peak > FG_BURST_MAX;
		s->burst = FG_BURST_MAX;
	}
	if (s->rate > FG_RATE_MAX_PER_S)
		s->rate = FG_RATE_MAX_PER_S;
}

/*
 * Sample for @secs: the average attempts per second, and @e's counters
 * (not its last offender, whose strings belong to @e's table) as they are
 * at the end, so that what is printed is one reading.
 */
static int sample_attempts(const char *cg, unsigned int secs,
			   struct fg_entry *e, double *avg)
{
	uint64_t n0 = fork_attempts(e);
	struct fg_table t;
	struct fg_entry *now;
	int ret;

	p_info("sampling %s for %u s...", cg, secs);
	sleep(secs);
	ret = fg_read_table(&t);
	if (ret)
		return ret;
	now = fg_table_find(&t, FG_KIND_POLICY, cg);
	if (!now) {
		fg_table_free(&t);
		p_err("the policy on %s went away while sampling", cg);
		return FG_EXIT_NOTFOUND;
	}
	*avg = (double)(fork_attempts(now) - n0) / secs;
	e->c.allowed = now->c.allowed;
	e->c.throttled = now->c.throttled;
	e->c.logged = now->c.logged;
	e->c.denied = now->c.denied;
	e->c.peak_1s = now->c.peak_1s;
	fg_table_free(&t);
	return FG_EXIT_OK;
}

static void suggest_print(const char *cg, const struct fg_entry *e,
			  const struct suggestion *s)
{
	char rate[64];

	fg_format_rate(rate, sizeof(rate), &e->p);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "cgroup", cg);
		jsonw_string_field(json_wtr, "current_action",
				   fg_action_name(e->p.action));
		jsonw_uint_field(json_wtr, "peak_1s", s->peak);
		if (isnan(s->avg))
			jsonw_null_field(json_wtr, "avg_per_s");
		else
			jsonw_float_field(json_wtr, "avg_per_s", s->avg);
		jsonw_uint_field(json_wtr, "allowed", e->c.allowed);
		jsonw_uint_field(json_wtr, "over_limit", over_limit(e));
		jsonw_uint_field(json_wtr, "throttled", e->c.throttled);
		jsonw_uint_field(json_wtr, "logged", e->c.logged);
		jsonw_uint_field(json_wtr, "denied", e->c.denied);
		jsonw_uint_field(json_wtr, "rate", s->rate);
		jsonw_uint_field(json_wtr, "burst", s->burst);
		jsonw_bool_field(json_wtr, "busy", s->busy);
		jsonw_string_field(json_wtr, "rate_basis",
				   s->rate_kept ? "current" : isnan(s->avg) ?
				   "peak" : "peak_and_average");
		jsonw_string_field(json_wtr, "burst_basis",
				   s->burst_kept ? "current" :
				   s->burst_capped ? "maximum" : "peak");
		jsonw_end_object(json_wtr);
		return;
	}
	printf("Policy on %s: rate %s, burst %u, action %s.\n", cg, rate,
	       e->p.burst, fg_action_name(e->p.action));
	printf("Observed: at most %" PRIu64 " fork attempts in one second; %" PRIu64
	       " allowed at once, %" PRIu64 " over the current limit (throttled %" PRIu64
	       ", logged %" PRIu64 ", denied %" PRIu64 ").\n", s->peak,
	       e->c.allowed, over_limit(e), e->c.throttled, e->c.logged,
	       e->c.denied);
	if (!isnan(s->avg))
		printf("Measured: %.1f fork attempts per second on average while sampling.\n",
		       s->avg);
	printf("\nBasis: the busiest second seen (%" PRIu64 " fork attempts)%s",
	       s->peak, isnan(s->avg) ? "" : " and the measured average");
	if (s->busy)
		printf("; the current limit was reached (%" PRIu64
		       " forks over it), so the suggestion stays at or above it.\n",
		       over_limit(e));
	else
		printf("; the current limit was never reached.\n");
	if (s->burst_kept)
		printf("burst %" PRIu64 ": the current burst, kept: the policy is busy, and %"
		       PRIu64 " (the peak plus %d%%) would tighten it.\n", s->burst,
		       (uint64_t)ceil(s->peak * SUGGEST_HEADROOM),
		       (int)((SUGGEST_HEADROOM - 1) * 100 + 0.5));
	else if (s->burst_capped)
		printf("burst %" PRIu64 ": the largest burst there is; the busiest second (%" PRIu64
		       ") is more than any bucket holds.\n", s->burst, s->peak);
	else
		printf("burst %" PRIu64 ": the busiest second seen (%" PRIu64
		       ") plus %d%% headroom, so a burst like it passes from a full bucket.\n",
		       s->burst, s->peak, (int)((SUGGEST_HEADROOM - 1) * 100 + 0.5));
	if (s->rate_kept)
		printf("rate %" PRIu64
		       "/s: the current rate, kept: the policy is busy, and a lower rate would tighten it",
		       s->rate);
	else
		printf("rate %" PRIu64 "/s: refills such a burst in about %d s",
		       s->rate, SUGGEST_REFILL_S);
	if (!isnan(s->avg))
		printf(", and is at least %dx the measured average", SUGGEST_AVG_FACTOR);
	printf(".\nA fork bomb is held to about %" PRIu64 " forks in its first second and %" PRIu64
	       " per second after that.\n", s->burst + s->rate, s->rate);
	if (e->p.action != FG_ACT_LOG)
		printf("Note: this policy is not in log mode; "
		       "its %s may have shaped the workload (figures can be low).\n",
		       e->p.action == FG_ACT_DENY ? "denials" : "throttling");
	if (s->peak < 10)
		printf("Note: few forks were seen; "
		       "run the workload at its busiest under a log-mode policy and ask again.\n");
	printf("\nTo use it:\n  forkgovctl set %s rate %" PRIu64 "/s burst %" PRIu64
	       " action throttle max-delay 2s\n", cg, s->rate, s->burst);
	printf("or in /etc/forkgov.d/*.conf:\n  [%s]\n  rate = %" PRIu64 "/s\n", cg,
	       s->rate);
	printf("  burst = %" PRIu64 "\n  action = throttle\n  max-delay = 2s\n",
	       s->burst);
}

/* Nothing seen yet: nothing to base a proposal on. */
static void suggest_none(const char *cg, const struct fg_entry *e)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "cgroup", cg);
		jsonw_string_field(json_wtr, "current_action",
				   fg_action_name(e->p.action));
		jsonw_uint_field(json_wtr, "peak_1s", 0);
		jsonw_null_field(json_wtr, "rate");
		jsonw_null_field(json_wtr, "burst");
		jsonw_end_object(json_wtr);
		return;
	}
	printf("No fork attempts seen in %s yet: nothing to base a proposal on.\n", cg);
	printf("Run its workload at its busiest under this policy%s, then ask again.\n",
	       e->p.action == FG_ACT_LOG ? "" : " in log mode (action log)");
}

int do_suggest(int argc, char **argv)
{
	struct suggestion s = { .avg = NAN };
	uint32_t secs = 0;
	char cg[FG_PATH_MAX];
	struct fg_table t;
	struct fg_entry *e;
	int ret;

	if (!REQ_ARGS(1))
		return FG_EXIT_USAGE;
	ret = resolve_arg(*argv, cg, false);
	if (ret)
		return ret;
	NEXT_ARG();
	if (argc) {
		if (!is_prefix(*argv, "sample") || argc != 2 ||
		    fg_parse_u32(argv[1], 1, 3600, &secs)) {
			p_err("expected 'sample SECONDS' (1 to 3600) after the cgroup");
			return FG_EXIT_USAGE;
		}
	}
	ret = fg_read_table(&t);
	if (ret)
		return ret;
	e = fg_table_find(&t, FG_KIND_POLICY, cg);
	if (!e) {
		p_err("there is no policy on %s; start with one in log mode: forkgovctl set %s rate 1 action log",
		      cg, cg);
		fg_table_free(&t);
		return FG_EXIT_NOTFOUND;
	}
	if (secs) {
		ret = sample_attempts(cg, secs, e, &s.avg);
		if (ret) {
			fg_table_free(&t);
			return ret;
		}
	}
	s.peak = e->c.peak_1s;
	if (!s.peak) {
		suggest_none(cg, e);
		fg_table_free(&t);
		return FG_EXIT_OK;
	}
	suggest_compute(&s, e);
	suggest_print(cg, e, &s);
	fg_table_free(&t);
	return FG_EXIT_OK;
}

/* Knob names: lower case, digits and '_', nothing that walks a path. */
static bool knob_name_ok(const char *k)
{
	return *k && strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
		     strlen(k);
}

static int knob_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* A knob in JSON: a number when it is one (an integer), else a string. */
static void json_knob(const char *name, const char *val)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (end != val && !*end && !errno && (isdigit((unsigned char)*val) || *val == '-'))
		jsonw_int_field(json_wtr, name, v);
	else
		jsonw_string_field(json_wtr, name, val);
}

static int list_knobs(bool status_json)
{
	struct dirent **names;
	char val[256];
	int n, i;

	n = scandir(fg_sysctl_dir(), &names, knob_filter, alphasort);
	if (n < 0 && status_json) {
		if (json_output)
			jsonw_null_field(json_wtr, "sysctl");
		else
			printf("  (no %s)\n", fg_sysctl_dir());
		return FG_EXIT_OK;
	}
	if (n < 0) {
		p_err("forkgov is not loaded (no %s): load it with 'modprobe forkgov'",
		      fg_sysctl_dir());
		return FG_EXIT_NOMOD;
	}
	if (json_output) {
		if (status_json)
			jsonw_name(json_wtr, "sysctl");
		jsonw_start_object(json_wtr);
	}
	for (i = 0; i < n; i++) {
		if (fg_sysctl_read(names[i]->d_name, val, sizeof(val)))
			snprintf(val, sizeof(val), "?");
		if (json_output)
			json_knob(names[i]->d_name, val);
		else
			printf("%skernel.forkgov.%s = %s\n",
			       status_json ? "  " : "", names[i]->d_name, val);
		free(names[i]);
	}
	free(names);
	if (json_output)
		jsonw_end_object(json_wtr);
	return FG_EXIT_OK;
}

static int write_knob(const char *key, const char *value)
{
	char path[FG_PATH_MAX], buf[256];
	int fd, err = 0, n;

	snprintf(path, sizeof(path), "%s/%s", fg_sysctl_dir(), key);
	n = snprintf(buf, sizeof(buf), "%s\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		err = errno;
	else if (write(fd, buf, n) != n)
		err = errno ?: EIO;
	if (fd >= 0 && close(fd) && !err)
		err = errno;
	if (!err)
		return FG_EXIT_OK;
	if (err == EPERM || err == EACCES)
		p_err_errno(err, "cannot set kernel.forkgov.%s: it needs CAP_SYS_ADMIN; "
			    "run as root on the host", key);
	else if (err == EINVAL || err == ERANGE)
		p_err_errno(err, "the kernel refused '%s' for kernel.forkgov.%s; "
			    "it is not a number or out of range (see forkgov(7))",
			    value, key);
	else
		p_err_errno(err, "cannot set kernel.forkgov.%s", key);
	return fg_errno_exit(err);
}

int do_sysctl(int argc, char **argv)
{
	char key[256], val[256], path[FG_PATH_MAX], *eq;
	const char *value = NULL;
	struct stat st;

	if (!argc)
		return list_knobs(false);
	if (argc > 2) {
		p_err("sysctl takes KEY, KEY=VALUE or KEY VALUE");
		return FG_EXIT_USAGE;
	}
	snprintf(key, sizeof(key), "%s", argv[0]);
	eq = strchr(key, '=');
	if (eq) {
		*eq = '\0';
		value = argv[0] + (eq - key) + 1;
	}
	if (argc == 2) {
		if (value) {
			p_err("give KEY=VALUE or KEY VALUE, not both");
			return FG_EXIT_USAGE;
		}
		value = argv[1];
	}
	if (!strncmp(key, "kernel.forkgov.", 15))
		memmove(key, key + 15, strlen(key + 15) + 1);
	if (!knob_name_ok(key)) {
		p_err("'%s' is not a forkgov knob name ('forkgovctl sysctl' lists them)",
		      argv[0]);
		return FG_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/%s", fg_sysctl_dir(), key);
	if (stat(path, &st)) {
		if (stat(fg_sysctl_dir(), &st)) {
			p_err("forkgov is not loaded (no %s): load it with 'modprobe forkgov'",
			      fg_sysctl_dir());
			return FG_EXIT_NOMOD;
		}
		p_err("there is no knob kernel.forkgov.%s ('forkgovctl sysctl' lists them)",
		      key);
		return FG_EXIT_USAGE;
	}
	if (value) {
		int ret = write_knob(key, value);

		if (ret)
			return ret;
	}
	if (fg_sysctl_read(key, val, sizeof(val))) {
		p_err_errno(errno, "cannot read kernel.forkgov.%s", key);
		return FG_EXIT_SYSTEM;
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		json_knob(key, val);
		jsonw_end_object(json_wtr);
	} else {
		printf("kernel.forkgov.%s = %s\n", key, val);
	}
	return FG_EXIT_OK;
}

static void status_stats_json(const struct fg_stats *s)
{
	size_t i;
	char *end;

	jsonw_name(json_wtr, "stats");
	jsonw_start_object(json_wtr);
	for (i = 0; i < s->n; i++) {
		unsigned long long v = strtoull(s->v[i].value, &end, 10);

		if (*end || end == s->v[i].value)
			jsonw_string_field(json_wtr, s->v[i].name,
					   s->v[i].value);
		else
			jsonw_uint_field(json_wtr, s->v[i].name, v);
	}
	jsonw_end_object(json_wtr);
}

/* Every knob that holds a number, as forkgov_knob{knob="NAME"}. */
static void prom_knobs(FILE *f)
{
	struct dirent **names;
	char val[256], *end;
	double v;
	int n, i;

	n = scandir(fg_sysctl_dir(), &names, knob_filter, alphasort);
	if (n < 0)
		return;
	fputs("# HELP forkgov_knob Value of kernel.forkgov.KNOB, named by label knob.\n"
	      "# TYPE forkgov_knob gauge\n", f);
	for (i = 0; i < n; i++) {
		const char *k = names[i]->d_name;

		if (knob_name_ok(k) && !fg_sysctl_read(k, val, sizeof(val)) &&
		    (isdigit((unsigned char)*val) || *val == '-')) {
			v = strtod(val, &end);
			if (end != val && !*end)
				fprintf(f, "forkgov_knob{knob=\"%s\"} %.15g\n", k, v);
		}
		free(names[i]);
	}
	free(names);
}

/*
 * status --prometheus: forkgov_up, the global counters and the knobs, for
 * a scraper that wants the module's state without the table.  When it is
 * not loaded: forkgov_up 0 and, as for status, exit status 3.
 */
static int status_prometheus(bool loaded)
{
	struct fg_stats s = { 0 };
	int ret = loaded ? fg_read_stats(&s) : FG_EXIT_NOMOD;

	fg_print_prom_up(stdout, !ret);
	if (!ret) {
		fg_print_prom_globals(&s, stdout);
		prom_knobs(stdout);
	}
	fg_stats_free(&s);
	return ret;
}

static const char *yes_no(const char *v)
{
	return !v ? "unknown" : !strcmp(v, "1") ? "yes" : "no";
}

/* status: is forkgov there, is it working, what is it set to. */
int do_status(int argc, char **argv)
{
	char path[FG_PATH_MAX];
	struct fg_stats s = { 0 };
	struct stat st;
	const char *v;
	bool loaded;
	size_t i;
	int ret;

	(void)argv;
	if (argc) {
		p_err("status takes no arguments");
		return FG_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/policies", fg_proc_dir());
	loaded = !stat(path, &st);
	if (opt_prometheus)
		return status_prometheus(loaded);
	if (!loaded) {
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_bool_field(json_wtr, "loaded", false);
			jsonw_bool_field(json_wtr, "module_present",
					 !stat(fg_sysmodule_dir(), &st));
			jsonw_end_object(json_wtr);
		} else {
			printf("forkgov: not loaded (no %s)\n", path);
			printf("  load it with 'modprobe forkgov' (modules-load.d, at boot)\n");
		}
		return FG_EXIT_NOMOD;
	}
	ret = fg_read_stats(&s);
	if (ret)
		return ret;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_bool_field(json_wtr, "loaded", true);
		jsonw_string_field(json_wtr, "tool_version", FGCTL_VERSION);
		status_stats_json(&s);
		ret = list_knobs(true);
		jsonw_end_object(json_wtr);
		fg_stats_free(&s);
		return ret;
	}
	v = fg_stats_get(&s, "version");
	printf("forkgov: loaded, version %s (forkgovctl %s)\n", v ?: "unknown",
	       FGCTL_VERSION);
	printf("enforcing: %s   hook installed: %s\n",
	       yes_no(fg_stats_get(&s, "enabled")),
	       yes_no(fg_stats_get(&s, "hook_installed")));
	v = fg_stats_get(&s, "policies");
	printf("policies: %s   child buckets: %s\n", v ?: "?",
	       fg_stats_get(&s, "child_buckets") ?: "?");
	printf("counters:\n");
	for (i = 0; i < s.n; i++) {
		const char *n = s.v[i].name;

		if (!strcmp(n, "version") || !strcmp(n, "enabled") ||
		    !strcmp(n, "hook_installed") || !strcmp(n, "policies") ||
		    !strcmp(n, "child_buckets"))
			continue;
		printf("  %-24s %s\n", n, s.v[i].value);
	}
	printf("knobs:\n");
	ret = list_knobs(true);
	fg_stats_free(&s);
	return ret;
}
