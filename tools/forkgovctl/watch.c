// SPDX-License-Identifier: GPL-2.0
/*
 * watch: a top-like view of the policy table, redrawn every interval with
 * per-second rates from the counter deltas.  q or Ctrl-C leaves; the
 * terminal is put back as it was.  Without a terminal (or with -j) it
 * prints one snapshot per interval instead of redrawing.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "forkgovctl.h"

static volatile sig_atomic_t watch_stop;
static struct termios saved_tio;
static bool tio_saved;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* No line buffering or echo, so one 'q' is read at once; ^C stays SIGINT. */
static void term_raw(void)
{
	struct termios tio;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio))
		return;
	tio = saved_tio;
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &tio))
		tio_saved = true;
}

static void term_restore(bool screen)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	tio_saved = false;
	if (screen)
		fputs("\033[?25h\033[?1049l", stdout);	/* cursor, main screen */
	fflush(stdout);
}

struct sample {
	char *key;		/* kind + cgroup */
	uint64_t allowed, denied, throttled, logged;
};

struct snapshot {
	struct sample *v;
	size_t n;
	struct timespec at;
	uint64_t hook_hits;
};

static void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static char *entry_key(const struct fg_entry *e)
{
	char *k = malloc(strlen(e->cgroup) + 2);

	if (k)
		sprintf(k, "%c%s", e->kind == FG_KIND_POLICY ? 'p' : 'c',
			e->cgroup);
	return k;
}

static int snapshot_take(const struct fg_table *t, const struct fg_stats *st,
			 struct snapshot *s)
{
	const char *hh = fg_stats_get(st, "hook_hits");
	size_t i;

	s->v = calloc(t->n + 1, sizeof(*s->v));
	if (!s->v)
		return -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &s->at);
	s->hook_hits = hh ? strtoull(hh, NULL, 10) : 0;
	for (i = 0; i < t->n; i++) {
		s->v[i].key = entry_key(&t->v[i]);
		if (!s->v[i].key)
			return -ENOMEM;
		s->v[i].allowed = t->v[i].c.allowed;
		s->v[i].denied = t->v[i].c.denied;
		s->v[i].throttled = t->v[i].c.throttled;
		s->v[i].logged = t->v[i].c.logged;
		s->n++;
	}
	return 0;
}

static const struct sample *snapshot_find(const struct snapshot *s,
					  const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].key, key))
			return &s->v[i];
	return NULL;
}

/* Per-second rate of a counter; a counter that went back (replaced) is 0. */
static double per_s(uint64_t now, uint64_t before, double dt)
{
	return now >= before && dt > 0 ? (now - before) / dt : 0;
}

static bool watch_wanted(const struct fg_entry *e, const char *only)
{
	return !only || !strcmp(e->cgroup, only) ||
	       (e->kind == FG_KIND_CHILD && e->policy &&
		!strcmp(e->policy, only));
}

struct rates {
	double allowed, denied, throttled, logged;
};

static void rates_of(const struct sample *now, const struct sample *old,
		     double dt, struct rates *r)
{
	memset(r, 0, sizeof(*r));
	if (!old)
		return;
	r->allowed = per_s(now->allowed, old->allowed, dt);
	r->denied = per_s(now->denied, old->denied, dt);
	r->throttled = per_s(now->throttled, old->throttled, dt);
	r->logged = per_s(now->logged, old->logged, dt);
}

static void draw_json(const struct fg_table *t, const struct snapshot *now,
		      const struct snapshot *old, double dt, const char *only)
{
	json_writer_t *w = jsonw_new(stdout);
	struct rates r;
	size_t i;

	if (!w)
		return;
	jsonw_start_object(w);
	jsonw_float_field(w, "interval_s", dt);
	jsonw_name(w, "policies");
	jsonw_start_array(w);
	for (i = 0; i < t->n; i++) {
		const struct fg_entry *e = &t->v[i];

		if (!watch_wanted(e, only))
			continue;
		rates_of(&now->v[i], snapshot_find(old, now->v[i].key), dt, &r);
		jsonw_start_object(w);
		jsonw_string_field(w, "cgroup", e->cgroup);
		jsonw_string_field(w, "kind", e->kind == FG_KIND_POLICY ?
				   "policy" : "child");
		jsonw_int_field(w, "tokens", e->c.tokens);
		jsonw_float_field(w, "allowed_per_s", r.allowed);
		jsonw_float_field(w, "denied_per_s", r.denied);
		jsonw_float_field(w, "throttled_per_s", r.throttled);
		jsonw_float_field(w, "logged_per_s", r.logged);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(&w);	/* one line per snapshot */
}

enum {
	WCOL_CGROUP, WCOL_RATE, WCOL_TOKENS, WCOL_ALLOWED, WCOL_DENIED,
	WCOL_THROTTLED, WCOL_LOGGED, WCOL_PEAK, WCOL_LAST, WNCOLS
};

/* name for -o, heading, left-aligned, a path */
static const struct fg_col watch_cols[WNCOLS] = {
	[WCOL_CGROUP]	 = { "cgroup",	  "CGROUP",	true,	true },
	[WCOL_RATE]	 = { "rate",	  "RATE",	false,	false },
	[WCOL_TOKENS]	 = { "tokens",	  "TOKENS",	false,	false },
	[WCOL_ALLOWED]	 = { "allowed",	  "ALLOWED/s",	false,	false },
	[WCOL_DENIED]	 = { "denied",	  "DENIED/s",	false,	false },
	[WCOL_THROTTLED] = { "throttled", "THROTL/s",	false,	false },
	[WCOL_LOGGED]	 = { "logged",	  "LOGGED/s",	false,	false },
	[WCOL_PEAK]	 = { "peak",	  "PEAK/s",	false,	false },
	[WCOL_LAST]	 = { "last",	  "LAST",	true,	false },
};

struct watch_ctx {
	const struct fg_table *t;
	const struct snapshot *now, *old;
	double dt;
};

static void watch_cells(const struct fg_entry *e, const void *ctx,
			char cells[][FG_PATH_MAX])
{
	const struct watch_ctx *c = ctx;
	const struct sample *now = &c->now->v[e - c->t->v];
	static char path[FG_PATH_MAX - 2], comm[256];
	const size_t n = FG_PATH_MAX;
	struct rates r;

	rates_of(now, snapshot_find(c->old, now->key), c->dt, &r);
	fg_visible(path, sizeof(path), e->cgroup);
	snprintf(cells[WCOL_CGROUP], n, "%s%s",
		 e->kind == FG_KIND_CHILD ? "  " : "", path);
	fg_format_rate(cells[WCOL_RATE], n, &e->p);
	snprintf(cells[WCOL_TOKENS], n, "%lld", e->c.tokens);
	snprintf(cells[WCOL_ALLOWED], n, "%.1f", r.allowed);
	snprintf(cells[WCOL_DENIED], n, "%.1f", r.denied);
	snprintf(cells[WCOL_THROTTLED], n, "%.1f", r.throttled);
	snprintf(cells[WCOL_LOGGED], n, "%.1f", r.logged);
	snprintf(cells[WCOL_PEAK], n, "%" PRIu64, e->c.peak_1s);
	if (e->c.last_comm)
		snprintf(cells[WCOL_LAST], n, "%s[%lld]",
			 fg_visible(comm, sizeof(comm), e->c.last_comm),
			 e->c.last_pid);
	else
		snprintf(cells[WCOL_LAST], n, "-");
}

static const struct fg_tab watch_tab = {
	.cols	= watch_cols,
	.ncols	= WNCOLS,
	.cells	= watch_cells,
	.wanted	= watch_wanted,
};

/* The header counts policies; their child buckets are counted apart. */
static void draw_text(const struct fg_table *t, const struct snapshot *now,
		      const struct snapshot *old, double dt, const char *only,
		      bool screen)
{
	struct watch_ctx ctx = { t, now, old, dt };
	struct fg_tab tab = watch_tab;
	time_t wall = time(NULL);
	size_t i, policies = 0;
	int hidden;

	for (i = 0; i < t->n; i++)
		policies += t->v[i].kind == FG_KIND_POLICY;
	tab.ctx = &ctx;
	if (screen)
		fputs("\033[H\033[2J", stdout);
	printf("forkgovctl watch  %s", ctime(&wall));
	printf("hook calls: %.0f/s   policies: %zu   child buckets: %zu   (q or Ctrl-C quits)\n\n",
	       old->n || old->hook_hits ? per_s(now->hook_hits, old->hook_hits, dt) : 0,
	       policies, t->n - policies);
	if (!fg_tab_print(&tab, t, only, stdout, &hidden))
		printf(only ? "(no policy on %s)\n" : "(no policies)\n", only);
	else if (hidden)
		printf("(%d column%s at the right hidden: a wider terminal or -o shows them)\n",
		       hidden, hidden > 1 ? "s" : "");
	if (!screen)
		printf("\n");
	fflush(stdout);
}

/* Wait up to @ms for a key; true when the user asked to quit. */
static bool wait_key(int ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct timespec end, now;
	char c;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (!watch_stop) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = (end.tv_sec - now.tv_sec) * 1000 +
			    (end.tv_nsec - now.tv_nsec) / 1000000;

		if (left <= 0)
			return false;
		if (!tio_saved) {
			poll(NULL, 0, left);
			continue;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q'))
			return true;
	}
	return true;
}

/*
 * The interval is seconds, as in watch(1), with up to three decimals ("1",
 * "0.5", "1.5s"), or "500ms".  Policy durations take no decimals, so the
 * point is moved here ("0.5" is "500ms") and the kernel's parser does the rest.
 */
static int parse_interval_ms(const char *s, uint32_t *ms)
{
	const char *dot = strchr(s, '.');
	size_t len = strlen(s), nfrac;
	char v[64];

	if (!dot) {
		snprintf(v, sizeof(v), "%s%s", s,
			 len && s[len - 1] >= '0' && s[len - 1] <= '9' ? "s" : "");
		return fg_parse_duration_ms(v, ms);
	}
	nfrac = strspn(dot + 1, "0123456789");
	if (dot == s || !nfrac || nfrac > 3 ||
	    (dot[1 + nfrac] && strcmp(dot + 1 + nfrac, "s")))
		return -EINVAL;
	snprintf(v, sizeof(v), "%.*s%.*s%.*sms", (int)(dot - s), s,
		 (int)nfrac, dot + 1, (int)(3 - nfrac), "00");
	return fg_parse_duration_ms(v, ms);
}

static int watch_parse(int argc, char **argv, char *cg, const char **only,
		       uint32_t *interval_ms, uint32_t *iterations)
{
	while (argc) {
		if (is_prefix(*argv, "interval") && argc > 1) {
			if (parse_interval_ms(argv[1], interval_ms) ||
			    *interval_ms < 100) {
				p_err("interval: from 0.1 to 60 seconds, like 1, 0.5 or 500ms");
				return FG_EXIT_USAGE;
			}
			argc -= 2;
			argv += 2;
		} else if (is_prefix(*argv, "iterations") && argc > 1) {
			if (fg_parse_u32(argv[1], 1, UINT32_MAX, iterations)) {
				p_err("iterations: a positive number");
				return FG_EXIT_USAGE;
			}
			argc -= 2;
			argv += 2;
		} else if (!*only) {
			char err[FG_PATH_MAX * 3];

			if (fg_cgroup_resolve(*argv, cg, FG_PATH_MAX, false,
					      err, sizeof(err))) {
				p_err("%s", err);
				return FG_EXIT_USAGE;
			}
			*only = cg;
			argc--;
			argv++;
		} else {
			p_err("what is '%s'? watch [CGROUP] [interval SECONDS] [iterations N]",
			      *argv);
			return FG_EXIT_USAGE;
		}
	}
	return FG_EXIT_OK;
}

int do_watch(int argc, char **argv)
{
	struct snapshot old = { 0 }, now = { 0 };
	uint32_t interval_ms = 1000, iterations = 0, n = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	char cg[FG_PATH_MAX];
	const char *only = NULL;
	bool screen;
	int idx[FG_MAX_COLS], ret;

	if (fg_tab_columns(&watch_tab, idx) < 0)
		return FG_EXIT_USAGE;
	ret = watch_parse(argc, argv, cg, &only, &interval_ms, &iterations);
	if (ret)
		return ret;
	if (interval_ms > 60000)
		interval_ms = 60000;
	ret = fg_module_check();
	if (ret)
		return ret;
	screen = !json_output && isatty(STDOUT_FILENO);
	watch_stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	term_raw();
	if (screen)
		fputs("\033[?1049h\033[?25l", stdout);	/* alt screen, no cursor */
	while (!watch_stop) {
		struct fg_stats st = { 0 };
		struct fg_table t;
		double dt;

		ret = fg_read_table(&t);
		if (!ret)
			ret = fg_read_stats(&st);
		if (ret) {
			fg_table_free(&t);
			break;
		}
		if (snapshot_take(&t, &st, &now)) {
			ret = FG_EXIT_SYSTEM;
			fg_table_free(&t);
			fg_stats_free(&st);
			break;
		}
		dt = (now.at.tv_sec - old.at.tv_sec) +
		     (now.at.tv_nsec - old.at.tv_nsec) / 1e9;
		if (json_output)
			draw_json(&t, &now, &old, old.n ? dt : 0, only);
		else
			draw_text(&t, &now, &old, old.n ? dt : 0, only, screen);
		fg_table_free(&t);
		fg_stats_free(&st);
		snapshot_free(&old);
		old = now;
		memset(&now, 0, sizeof(now));
		if (iterations && ++n >= iterations)
			break;
		if (wait_key(interval_ms))
			break;
	}
	snapshot_free(&old);
	snapshot_free(&now);
	term_restore(screen);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return ret;
}
