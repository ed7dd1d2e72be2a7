// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl oci-hook: the OCI runtime hook (createRuntime) that puts a
 * policy from the annotation io.forkgov.policy on a container's cgroup.
 *
 * Everything it reads may come from the container's owner: the annotation,
 * and through the runtime the state JSON on standard input.  So:
 *
 * - The state is parsed by a strict JSON reader (json_reader.c); a name
 *   given twice, a pid that is not a plain integer, invalid UTF-8 fail.
 * - The annotation is checked against a grammar of its own before anything
 *   else looks at it: KEY=VALUE pairs separated by commas or blanks, only
 *   lower-case letters, digits and "_./-", the keys of forkgovctl set
 *   spelled out.  Its values go to the policy parser, never to a command
 *   line.
 * - The cgroup is the one of the state's pid (the "0::" line of
 *   /proc/PID/cgroup), never "/", never one that holds the hook itself
 *   (a container without a cgroup of its own).
 * - An annotation may only tighten: its rate and burst may not exceed,
 *   and its deny-delay not fall short of, those of any policy that already
 *   governs the cgroup (its own or one above it; a denial by the
 *   container's own bucket would otherwise skip the host's back-off), a
 *   policy already on the cgroup may only be replaced by a
 *   stricter one, and it may not turn mt_warn off or ask for per-child
 *   buckets (they would draw on the host's max_buckets).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkgovctl.h"

static const char unknown_key[] =
	"is unknown (rate, burst, action, max-delay, scope, count, mt-warn, deny-delay)";
#include "json_reader.h"

#define OCI_STATE_MAX		(1024 * 1024)
#define OCI_POLICY_MAX		512
#define OCI_PID_MAX		4194304		/* PID_MAX_LIMIT */
#define OCI_ANNOTATION		"io.forkgov.policy"

static const char oci_allowed[] =
	"abcdefghijklmnopqrstuvwxyz0123456789_./=-, ";

/**
 * fg_oci_policy_parse - the annotation's value as policy parameters
 * @s:     the value, untrusted
 * @err:   a sentence on failure; it quotes nothing but checked characters
 *
 * Return: 0, or -EINVAL / -ERANGE / -EPERM (allowed grammar, not allowed
 * from a container).
 */
int fg_oci_policy_parse(const char *s, struct fg_params *p,
			unsigned int *given, char *err, size_t errsize)
{
	char buf[OCI_POLICY_MAX + 1], *cur = buf, *tok, *eq;
	size_t len = strlen(s), bad = strspn(s, oci_allowed);
	const char *why;
	int ret;

	fg_init_params(p);
	*given = 0;
	if (len > OCI_POLICY_MAX) {
		snprintf(err, errsize, "%s is %zu bytes long; at most %d",
			 OCI_ANNOTATION, len, OCI_POLICY_MAX);
		return -EINVAL;
	}
	if (bad < len) {
		snprintf(err, errsize,
			 "%s has byte 0x%02x at offset %zu; only lower-case letters, digits, '_./-' and KEY=VALUE pairs separated by ',' or ' ' are allowed",
			 OCI_ANNOTATION, (unsigned char)s[bad], bad);
		return -EINVAL;
	}
	memcpy(buf, s, len + 1);
	while ((tok = strsep(&cur, ", "))) {
		eq = strchr(tok, '=');
		if (!eq || eq == tok || !eq[1]) {
			snprintf(err, errsize,
				 "%s: '%s' is not KEY=VALUE (for example rate=20/s,burst=50)",
				 OCI_ANNOTATION, tok);
			return -EINVAL;
		}
		*eq = '\0';
		ret = fg_params_set(p, given, tok, eq + 1, &why);
		if (ret == -ENOENT)
			why = unknown_key;
		if (ret == -EEXIST || ret == -ENOENT)
			snprintf(err, errsize, "%s: key '%s' %s", OCI_ANNOTATION,
				 tok, why);
		else if (ret)
			snprintf(err, errsize, "%s: %s'%s' for %s: %s",
				 OCI_ANNOTATION,
				 ret == -ERANGE ? "out of range: " : "",
				 eq + 1, tok, why);
		if (ret)
			return ret == -ERANGE ? ret : -EINVAL;
	}
	ret = fg_params_finish(p, *given, &why);
	if (ret) {
		snprintf(err, errsize, "%s: %s", OCI_ANNOTATION, why);
		return ret;
	}
	if (p->mt_warn == FG_MT_OFF) {
		snprintf(err, errsize,
			 "%s: mt-warn=off is not allowed from a container: it would hide its fork-without-exec reports from the host",
			 OCI_ANNOTATION);
		return -EPERM;
	}
	if (p->scope == FG_SCOPE_PER_CHILD) {
		snprintf(err, errsize,
			 "%s: scope=per-child is not allowed from a container: each cgroup it creates would take one of the host's max_buckets",
			 OCI_ANNOTATION);
		return -EPERM;
	}
	return 0;
}

/* a's rate is above b's; "none" is no limit at all */
bool fg_oci_rate_above(const struct fg_params *a, const struct fg_params *b)
{
	if (!b->period_s)
		return false;
	if (!a->period_s)
		return true;
	return a->rate_milli * b->period_s > b->rate_milli * a->period_s;
}

/* deny is the strictest action, log the least strict */
static int strictness(unsigned int action)
{
	return action == FG_ACT_DENY ? 2 : action == FG_ACT_THROTTLE ? 1 : 0;
}

static bool under(const char *cgroup, const char *above)
{
	size_t n = strlen(above);

	if (!strcmp(above, "/"))
		return true;
	return !strncmp(cgroup, above, n) && (!cgroup[n] || cgroup[n] == '/');
}

/* What makes @want looser than the policy @have on the cgroup itself. */
static const char *looser_than_own(const struct fg_params *want,
				   const struct fg_params *have)
{
	if (strictness(want->action) < strictness(have->action))
		return "a weaker action";
	if (want->action == FG_ACT_THROTTLE && have->action == FG_ACT_THROTTLE &&
	    want->max_delay_ms > have->max_delay_ms)
		return "a longer max-delay";
	if (want->scope != have->scope)
		return "another scope (a new, full bucket)";
	if (want->count < have->count)
		return "count=forks where tasks are counted";
	if (have->mt_warn != FG_MT_INHERIT && want->mt_warn != have->mt_warn &&
	    want->mt_warn != FG_MT_ON)
		return "a weaker mt-warn";
	return NULL;
}

/*
 * What makes @want looser than @have, a policy on the cgroup or above it
 * (@own: on the cgroup itself, where every key counts); NULL if nothing.
 */
static const char *looser(const struct fg_params *want,
			  const struct fg_params *have, bool own)
{
	if (fg_oci_rate_above(want, have))
		return "a higher rate";
	if (have->period_s && want->burst > have->burst)
		return "a larger burst";
	if (have->period_s && want->deny_delay_ms < have->deny_delay_ms)
		return "a shorter deny-delay";
	return own ? looser_than_own(want, have) : NULL;
}

/**
 * fg_oci_check_template - is an annotation at least as strict as the host's
 * template, the policy the container would get without it?
 *
 * Return: 0, or -EPERM with a sentence in @err.
 */
int fg_oci_check_template(const struct fg_oci_conf *c,
			  const struct fg_params *want, char *err,
			  size_t errsize)
{
	char rate[64];
	const char *what;

	if (!c->has_template)
		return 0;
	what = looser(want, &c->template, true);
	if (!what)
		return 0;
	fg_format_rate(rate, sizeof(rate), &c->template);
	snprintf(err, errsize,
		 "%s may only tighten: it asks for %s than this host's template (rate %s burst %u action %s, %s)",
		 OCI_ANNOTATION, what, rate, c->template.burst,
		 fg_action_name(c->template.action), fg_oci_conf_path());
	return -EPERM;
}

/**
 * fg_oci_check_bounds - may an annotation set @want on @cgroup?
 * @t: the kernel's table
 *
 * Every policy of the table on @cgroup or above it bounds the rate and the
 * burst; a policy on @cgroup itself bounds every key.
 * Return: 0, or -EPERM with a sentence in @err.
 */
int fg_oci_check_bounds(const struct fg_table *t, const char *cgroup,
			const struct fg_params *want, char *err,
			size_t errsize)
{
	char have_rate[64], want_rate[64];
	const char *what;
	size_t i;

	fg_format_rate(want_rate, sizeof(want_rate), want);
	for (i = 0; i < t->n; i++) {
		const struct fg_entry *e = &t->v[i];

		if (e->kind != FG_KIND_POLICY || !under(cgroup, e->cgroup))
			continue;
		fg_format_rate(have_rate, sizeof(have_rate), &e->p);
		what = looser(want, &e->p, !strcmp(e->cgroup, cgroup));
		if (!what)
			continue;
		snprintf(err, errsize,
			 "%s may only tighten: rate %s burst %u asks for %s than the policy on %s (rate %s burst %u action %s)",
			 OCI_ANNOTATION, want_rate, want->burst, what,
			 e->cgroup, have_rate, e->p.burst,
			 fg_action_name(e->p.action));
		return -EPERM;
	}
	return 0;
}

/* The "0::" path of a /proc/PID/cgroup text; -EINVAL when not one. */
static int cgroup_v2_line(const char *text, char *out, size_t size)
{
	const char *l = text, *nl;
	int found = 0;

	for (; *l; l = nl + 1) {
		nl = strchr(l, '\n') ?: l + strlen(l);
		if (!strncmp(l, "0::", 3)) {
			if (found++ || (size_t)(nl - l - 3) >= size)
				return -EINVAL;
			memcpy(out, l + 3, nl - l - 3);
			out[nl - l - 3] = '\0';
		}
		if (!*nl)
			break;
	}
	return found == 1 ? 0 : -ENOENT;
}

/**
 * fg_oci_cgroup_of - the cgroup v2 path of process @pid
 * @procfs: "/proc", or the FORKGOV_PROCFS of tests
 *
 * Return: 0, -ENOENT (no such process or no cgroup v2 line), -EINVAL (a
 * path that is not a clean absolute path), -EPERM ("/").
 */
int fg_oci_cgroup_of(const char *procfs, long pid, char *out, size_t size,
		     char *err, size_t errsize)
{
	char path[FG_PATH_MAX], raw[FG_PATH_MAX], norm[FG_PATH_MAX], *text;
	int ret;

	if (pid > 0)
		snprintf(path, sizeof(path), "%s/%ld/cgroup", procfs, pid);
	else
		snprintf(path, sizeof(path), "%s/self/cgroup", procfs);
	ret = fg_read_file(path, &text);
	if (ret) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 strerror(-ret));
		return ret == -ENOMEM ? ret : -ENOENT;
	}
	ret = cgroup_v2_line(text, raw, sizeof(raw));
	free(text);
	if (ret) {
		snprintf(err, errsize, "%s has %s cgroup v2 (0::) line", path,
			 ret == -ENOENT ? "no" : "more than one, or too long a");
		return ret;
	}
	if (raw[0] != '/' || strlen(raw) > FG_LINE_MAX - 16 ||
	    strstr(raw, " (deleted)") ||
	    fg_cgroup_resolve(raw, norm, sizeof(norm), false, err, errsize) ||
	    strcmp(norm, raw)) {
		snprintf(err, errsize,
			 "%s does not name a cgroup from the root of the hierarchy (outside this cgroup namespace, or removed)",
			 path);
		return -EINVAL;
	}
	if (!strcmp(raw, "/")) {
		snprintf(err, errsize,
			 "process %ld is in the root cgroup: a policy there would govern the whole system",
			 pid);
		return -EPERM;
	}
	snprintf(out, size, "%s", raw);
	return 0;
}

static int read_stdin(char **text, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > OCI_STATE_MAX) {
				free(buf);
				return -E2BIG;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(STDIN_FILENO, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (!r)
			break;
		n += r;
	}
	if (n > OCI_STATE_MAX) {
		free(buf);
		return -E2BIG;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* The annotation's value, NULL when there is none (not for us). */
static int state_policy(const struct jr_value *state, const char **policy,
			char *err, size_t errsize)
{
	const struct jr_value *ann, *v;
	int ret;

	*policy = NULL;
	if (state->type != JR_OBJECT) {
		snprintf(err, errsize, "the container state is not a JSON object");
		return -EINVAL;
	}
	ret = jr_member(state, "annotations", &ann);
	if (ret == -ENOENT || (!ret && ann->type == JR_NULL))
		return 0;
	if (ret || ann->type != JR_OBJECT) {
		snprintf(err, errsize, "the container state has %s \"annotations\"",
			 ret == -EEXIST ? "more than one" : "a non-object");
		return -EINVAL;
	}
	ret = jr_member(ann, OCI_ANNOTATION, &v);
	if (ret == -ENOENT)
		return 0;
	if (ret || v->type != JR_STRING) {
		snprintf(err, errsize, "%s is %s", OCI_ANNOTATION,
			 ret == -EEXIST ? "given more than once" : "not a string");
		return -EINVAL;
	}
	*policy = v->text;
	return 0;
}

static int state_pid(const struct jr_value *state, long *pid, char *err,
		     size_t errsize)
{
	const struct jr_value *v;
	unsigned long n = 0;
	int ret = jr_member(state, "pid", &v);

	if (!ret)
		ret = jr_uint(v, OCI_PID_MAX, &n);
	if (!ret && !n)
		ret = -ERANGE;
	if (ret) {
		snprintf(err, errsize, "the container state has %s \"pid\"",
			 ret == -ENOENT ? "no" : ret == -EEXIST ? "more than one" :
			 "no valid (an integer from 1 to 4194304)");
		return -EINVAL;
	}
	*pid = n;
	return 0;
}

/* The hook runs where the runtime runs; the container must be elsewhere. */
static int check_own_cgroup(const char *procfs, const char *cg, char *err,
			    size_t errsize)
{
	char self[FG_PATH_MAX];
	int ret = fg_oci_cgroup_of(procfs, 0, self, sizeof(self), err, errsize);

	if (ret == -EPERM)
		snprintf(self, sizeof(self), "/");
	else if (ret)
		return ret;
	if (!under(self, cg))
		return 0;
	snprintf(err, errsize,
		 "the container's cgroup %s holds the runtime that runs this hook (in %s): the container has no cgroup of its own",
		 cg, self);
	return -EPERM;
}

/*
 * The policy for the container: its annotation, checked against the host's
 * file, or the host's template, or none (*@p untouched, *@found false).
 */
static int choose_policy(const struct fg_oci_conf *c, const char *policy,
			 struct fg_params *p, unsigned int *given, bool *found,
			 char *err, size_t errsize)
{
	int ret;

	*found = false;
	if (!policy) {
		if (!c->has_template)
			return 0;
		*p = c->template;
		*given = c->template_given;
		*found = true;
		return 0;
	}
	ret = fg_oci_policy_parse(policy, p, given, err, errsize);
	if (!ret)
		ret = fg_oci_conf_check(c, p, *given, err, errsize);
	if (!ret)
		ret = fg_oci_check_template(c, p, err, errsize);
	*found = !ret;
	return ret;
}

int do_oci_hook(int argc, char **argv)
{
	const char *procfs = getenv("FORKGOV_PROCFS") ?: "/proc";
	char err[FG_PATH_MAX * 3], cg[FG_PATH_MAX], line[FG_LINE_MAX + 2];
	char what[FG_PATH_MAX + 16], buf[FG_LINE_MAX + 3], *text = NULL;
	char *lines[1];
	struct jr_value *state = NULL;
	struct fg_oci_conf conf;
	const char *policy = NULL;
	unsigned int given = 0;
	struct fg_params p;
	struct fg_table t;
	size_t len = 0;
	bool found;
	long pid = 0;
	int ret, n;

	(void)argv;
	if (argc) {
		p_err("oci-hook takes no arguments; the runtime gives the container state on standard input");
		return FG_EXIT_USAGE;
	}
	ret = fg_oci_conf_load(fg_oci_conf_path(), &conf, err, sizeof(err));
	if (ret) {
		p_err("oci-hook: %s", err);
		return FG_EXIT_CONFIG;
	}
	ret = read_stdin(&text, &len);
	if (ret) {
		p_err("oci-hook: cannot read the container state: %s",
		      ret == -E2BIG ? "more than 1 MiB" : strerror(-ret));
		return FG_EXIT_USAGE;
	}
	ret = jr_parse(text, len, &state, err, sizeof(err));
	free(text);
	if (!ret)
		ret = state_policy(state, &policy, err, sizeof(err));
	if (!ret)
		ret = choose_policy(&conf, policy, &p, &given, &found, err,
				    sizeof(err));
	if (!ret && !found) {
		jr_free(state);
		return FG_EXIT_OK;	/* not for us */
	}
	if (!ret)
		ret = state_pid(state, &pid, err, sizeof(err));
	jr_free(state);
	if (!ret)
		ret = fg_oci_cgroup_of(procfs, pid, cg, sizeof(cg), err,
				       sizeof(err));
	if (!ret)
		ret = check_own_cgroup(procfs, cg, err, sizeof(err));
	if (ret) {
		p_err("oci-hook: %s", err);
		return FG_EXIT_USAGE;
	}
	ret = fg_read_table(&t);
	if (ret)
		return ret;
	if (!policy && fg_table_find(&t, FG_KIND_POLICY, cg)) {
		/* The template never replaces a policy someone set. */
		fg_table_free(&t);
		return FG_EXIT_OK;
	}
	ret = policy ? fg_oci_check_bounds(&t, cg, &p, err, sizeof(err)) : 0;
	fg_table_free(&t);
	if (ret) {
		p_err("oci-hook: %s", err);
		return FG_EXIT_USAGE;
	}
	/* Owned by "oci": apply and reload leave it alone. */
	n = fg_format_owner(line, sizeof(line),
			    fg_format_set(line, sizeof(line), cg, &p, given),
			    FG_OWNER_OCI, false, false);
	if (n < 0) {
		p_err("oci-hook: cgroup path too long for a policy line");
		return FG_EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "oci-hook set %s", cg);
	lines[0] = line;
	snprintf(buf, sizeof(buf), "%s\n", line);
	return fg_write_policies(buf, n + 1, what, lines, 1);
}
