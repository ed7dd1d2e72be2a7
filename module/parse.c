// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of policy lines:
 *
 *   set CGROUP [KEY=VALUE ...] [owner=LABEL] [pending] [persist]
 *   del CGROUP
 *   flush
 *
 * The grammar is in Documentation/admin-guide/forkgov/interface.rst.  Every
 * function here works on a caller's buffer and plain integers, returns 0 or a
 * negative errno, and names the reason in *why for the message the caller
 * logs.  Nothing is allocated.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "forkgov.h"
#include "parse.h"

static const char * const fg_action_names[] = {
	[FG_ACT_DENY]		= "deny",
	[FG_ACT_THROTTLE]	= "throttle",
	[FG_ACT_LOG]		= "log",
};

static const char * const fg_scope_names[] = {
	[FG_SCOPE_SUBTREE]	= "subtree",
	[FG_SCOPE_PER_CHILD]	= "per-child",
};

static const char * const fg_count_names[] = {
	[FG_COUNT_FORKS]	= "forks",
	[FG_COUNT_TASKS]	= "tasks",
};

static const char * const fg_mt_warn_names[] = {
	[FG_MT_INHERIT]		= "inherit",
	[FG_MT_ON]		= "on",
	[FG_MT_OFF]		= "off",
};

static const char *fg_name(const char * const *names, size_t n,
			   unsigned int i)
{
	return i < n ? names[i] : "?";
}

const char *fg_action_name(unsigned int action)
{
	return fg_name(fg_action_names, ARRAY_SIZE(fg_action_names), action);
}

const char *fg_scope_name(unsigned int scope)
{
	return fg_name(fg_scope_names, ARRAY_SIZE(fg_scope_names), scope);
}

const char *fg_count_name(unsigned int count)
{
	return fg_name(fg_count_names, ARRAY_SIZE(fg_count_names), count);
}

const char *fg_mt_warn_name(unsigned int mt_warn)
{
	return fg_name(fg_mt_warn_names, ARRAY_SIZE(fg_mt_warn_names),
		       mt_warn);
}

static int fg_match(const char * const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -EINVAL;
}

static bool fg_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse leading decimal digits: at least 1, at most 12 (no overflow). */
static int fg_digits(const char **s, u64 *val, unsigned int *ndigits)
{
	const char *p = *s;
	u64 v = 0;

	while (fg_isdigit(*p)) {
		if (p - *s >= 12)
			return -ERANGE;
		v = v * 10 + (*p - '0');
		p++;
	}
	*ndigits = p - *s;
	*s = p;
	*val = v;
	return *ndigits ? 0 : -EINVAL;
}

/**
 * fg_parse_rate - parse "R", "R/s", "R/min", "R/h" or "none"
 * @s:        the text
 * @milli:    set to R in thousandths
 * @period_s: set to the unit in seconds, 0 for "none"
 *
 * Return: 0, -EINVAL when malformed, -ERANGE above FG_RATE_MAX_PER_S.
 */
int fg_parse_rate(const char *s, u64 *milli, u32 *period_s)
{
	unsigned int n, nfrac = 0;
	u64 whole, frac = 0;
	int err;

	if (!strcmp(s, "none")) {
		*milli = 0;
		*period_s = 0;
		return 0;
	}
	err = fg_digits(&s, &whole, &n);
	if (err)
		return err;
	if (*s == '.') {
		s++;
		err = fg_digits(&s, &frac, &nfrac);
		if (err)
			return err;
		if (nfrac > 3)
			return -ERANGE;
		while (nfrac++ < 3)
			frac *= 10;
	}

	if (!*s || !strcmp(s, "/s"))
		*period_s = 1;
	else if (!strcmp(s, "/min"))
		*period_s = 60;
	else if (!strcmp(s, "/h"))
		*period_s = 3600;
	else
		return -EINVAL;

	*milli = whole * 1000 + frac;
	if (*milli > (u64)FG_RATE_MAX_PER_S * 1000 * *period_s)
		return -ERANGE;
	return 0;
}

/**
 * fg_parse_duration_ms - parse "N" or "Nms" (milliseconds) or "Ns"
 * @s:  the text
 * @ms: set to the duration in milliseconds
 *
 * Return: 0, -EINVAL when malformed, -ERANGE above FG_MAX_DELAY_MS.
 */
int fg_parse_duration_ms(const char *s, u32 *ms)
{
	unsigned int n;
	u64 v;
	int err;

	err = fg_digits(&s, &v, &n);
	if (err)
		return err;
	if (!strcmp(s, "s"))
		v *= MSEC_PER_SEC;
	else if (*s && strcmp(s, "ms"))
		return -EINVAL;
	if (v > FG_MAX_DELAY_MS)
		return -ERANGE;
	*ms = v;
	return 0;
}

/**
 * fg_parse_u32 - parse a decimal integer from @min to @max
 * @s:   the text, digits only
 * @min: smallest value allowed
 * @max: largest value allowed
 * @out: set to the value
 *
 * Return: 0, -EINVAL when malformed, -ERANGE outside [@min, @max].
 */
int fg_parse_u32(const char *s, u32 min, u32 max, u32 *out)
{
	unsigned int n;
	u64 v;
	int err;

	err = fg_digits(&s, &v, &n);
	if (err)
		return err;
	if (*s)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int fg_octal(const char *s)
{
	int i, v = 0;

	for (i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		v = v * 8 + (s[i] - '0');
	}
	return v;
}

/*
 * Undo the \ooo escapes in place and check the path's shape: absolute, no
 * empty, "." or ".." component, no trailing slash except for "/" itself.
 */
static int fg_parse_path(char *path, const char **why)
{
	char *src = path, *dst = path;
	int c;

	*why = "cgroup path must be absolute";
	if (*path != '/')
		return -EINVAL;
	while (*src) {
		c = *src++;
		if (c == '\\') {
			c = fg_octal(src);
			*why = "bad \\ooo escape in cgroup path";
			if (c <= 0 || c > 0377)
				return -EINVAL;
			src += 3;
		}
		*dst++ = c;
	}
	*dst = '\0';

	*why = "cgroup path has an empty, \".\" or \"..\" component";
	if (dst > path + 1 && dst[-1] == '/')
		return -EINVAL;
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../"))
		return -EINVAL;
	if ((dst - path >= 2 && !strcmp(dst - 2, "/.")) ||
	    (dst - path >= 3 && !strcmp(dst - 3, "/..")))
		return -EINVAL;
	return 0;
}

static const char * const fg_key_names[] = {
	[FG_KEY_RATE]		= "rate",
	[FG_KEY_BURST]		= "burst",
	[FG_KEY_ACTION]		= "action",
	[FG_KEY_MAX_DELAY]	= "max_delay",
	[FG_KEY_SCOPE]		= "scope",
	[FG_KEY_COUNT]		= "count",
	[FG_KEY_MT_WARN]	= "mt_warn",
	[FG_KEY_DENY_DELAY]	= "deny_delay",
};

/**
 * fg_parse_key - look up the KEY of a KEY=VALUE pair
 * @name: the key, as written
 *
 * Return: its enum fg_key, or -EINVAL when there is no such key.
 */
int fg_parse_key(const char *name)
{
	return fg_match(fg_key_names, FG_NR_KEYS, name);
}

/**
 * fg_init_params - the defaults of a set line, before its keys
 * @p: parameters to reset
 */
void fg_init_params(struct fg_params *p)
{
	memset(p, 0, sizeof(*p));
	p->action = FG_ACT_DENY;
	p->max_delay_ms = FG_DEFAULT_DELAY_MS;
	p->deny_delay_ms = FG_DEFAULT_DENY_DELAY_MS;
}

/**
 * fg_set_key - parse the VALUE of one key into @p
 * @p:   parameters
 * @key: enum fg_key
 * @val: the value, as written
 * @why: set to a static reason when an error is returned
 *
 * Return: 0, -EINVAL when malformed, -ERANGE when out of range.
 */
int fg_set_key(struct fg_params *p, int key, const char *val,
	       const char **why)
{
	int v;

	switch (key) {
	case FG_KEY_RATE:
		*why = "bad rate (R, R/s, R/min, R/h or none, at most 1000000/s)";
		return fg_parse_rate(val, &p->rate_milli, &p->period_s);
	case FG_KEY_BURST:
		*why = "bad burst (an integer from 1 to 1000000)";
		return fg_parse_u32(val, 1, FG_BURST_MAX, &p->burst);
	case FG_KEY_MAX_DELAY:
		*why = "bad max_delay (N, Nms or Ns, at most 60000 ms)";
		return fg_parse_duration_ms(val, &p->max_delay_ms);
	case FG_KEY_DENY_DELAY:
		*why = "bad deny_delay (N, Nms or Ns, at most 10000 ms)";
		v = fg_parse_duration_ms(val, &p->deny_delay_ms);
		if (!v && p->deny_delay_ms > FG_MAX_DENY_DELAY_MS)
			v = -ERANGE;
		return v;
	case FG_KEY_ACTION:
		*why = "bad action (deny, throttle or log)";
		v = fg_match(fg_action_names, ARRAY_SIZE(fg_action_names), val);
		p->action = v;
		break;
	case FG_KEY_SCOPE:
		*why = "bad scope (subtree or per-child)";
		v = fg_match(fg_scope_names, ARRAY_SIZE(fg_scope_names), val);
		p->scope = v;
		break;
	case FG_KEY_COUNT:
		*why = "bad count (forks or tasks)";
		v = fg_match(fg_count_names, ARRAY_SIZE(fg_count_names), val);
		p->count = v;
		break;
	default:
		*why = "bad mt_warn (inherit, on or off)";
		v = fg_match(fg_mt_warn_names, ARRAY_SIZE(fg_mt_warn_names),
			     val);
		p->mt_warn = v;
		break;
	}
	return v < 0 ? v : 0;
}

/**
 * fg_finish_params - check the keys together, derive interval and defaults
 * @p:    parameters, every key given already set
 * @seen: BIT(FG_KEY_*) of the keys that were given
 * @why:  set to a static reason when an error is returned
 *
 * Return: 0, -EINVAL for a missing rate or keys that rate=none does not
 * take, -ERANGE when the burst lasts too long.
 */
int fg_finish_params(struct fg_params *p, unsigned int seen, const char **why)
{
	bool have_burst = seen & BIT(FG_KEY_BURST);
	u64 per_s;

	*why = "rate is required";
	if (!(seen & BIT(FG_KEY_RATE)))
		return -EINVAL;
	if (!p->period_s) {
		*why = "rate=none takes no key but mt_warn";
		if (seen & ~(BIT(FG_KEY_RATE) | BIT(FG_KEY_MT_WARN)))
			return -EINVAL;
		p->interval_ns = 0;
		p->burst = 1;
		return 0;
	}
	if (p->rate_milli) {
		p->interval_ns = div64_u64((u64)p->period_s * NSEC_PER_SEC *
					   1000 + p->rate_milli / 2,
					   p->rate_milli);
	} else {
		p->interval_ns = 0;
	}

	if (!have_burst) {
		per_s = div64_u64(p->rate_milli + 1000ULL * p->period_s - 1,
				  1000ULL * p->period_s);
		p->burst = clamp_t(u64, per_s, 1, FG_BURST_MAX);
	}

	*why = "burst / rate spans more than 146 years";
	if (p->interval_ns &&
	    p->burst > div64_u64(FG_HORIZON_NS, p->interval_ns))
		return -ERANGE;
	return 0;
}

/**
 * fg_parse_owner - check an owner label and copy it
 * @s:     the label, as written
 * @owner: FG_OWNER_LEN bytes, set to the label
 * @why:   set to a static reason when an error is returned
 *
 * Return: 0 or -EINVAL.
 */
int fg_parse_owner(const char *s, char *owner, const char **why)
{
	size_t i, len = strlen(s);

	*why = "bad owner (1 to 15 of A-Z a-z 0-9 . _ -)";
	if (!len || len >= FG_OWNER_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!fg_isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') && !strchr("._-", s[i]))
			return -EINVAL;
	memcpy(owner, s, len + 1);
	return 0;
}

/* The words of a set line that are not policy keys; 1 if @tok is none. */
static int fg_parse_set_extra(char *tok, struct fg_op *op, bool *owned,
			      const char **why)
{
	*why = "pending or persist given twice";
	if (!strcmp(tok, "pending")) {
		if (op->pending)
			return -EINVAL;
		op->pending = true;
		return 0;
	}
	if (!strcmp(tok, "persist")) {
		if (op->persist)
			return -EINVAL;
		op->persist = true;
		return 0;
	}
	if (strncmp(tok, "owner=", 6))
		return 1;
	*why = "key given twice";
	if (*owned)
		return -EINVAL;
	*owned = true;
	return fg_parse_owner(tok + 6, op->owner, why);
}

static int fg_parse_set(char *args, struct fg_op *op, const char **why)
{
	struct fg_params *p = &op->params;
	unsigned int seen = 0;
	bool owned = false;
	char *tok, *eq;
	int key, err;

	fg_init_params(p);
	memcpy(op->owner, FG_OWNER_DEFAULT, sizeof(FG_OWNER_DEFAULT));
	while ((tok = strsep(&args, " \t"))) {
		if (!*tok)
			continue;
		err = fg_parse_set_extra(tok, op, &owned, why);
		if (err <= 0) {
			if (err)
				return err;
			continue;
		}
		eq = strchr(tok, '=');
		*why = "expected KEY=VALUE";
		if (!eq || eq == tok)
			return -EINVAL;
		*eq = '\0';
		key = fg_parse_key(tok);
		*why = "unknown key";
		if (key < 0)
			return key;
		*why = "key given twice";
		if (seen & (1U << key))
			return -EINVAL;
		seen |= 1U << key;
		err = fg_set_key(p, key, eq + 1, why);
		if (err)
			return err;
	}
	return fg_finish_params(p, seen, why);
}

static char *fg_next_word(char **s)
{
	char *w;

	do {
		w = strsep(s, " \t");
	} while (w && !*w);
	return w;
}

/**
 * fg_parse_line - parse one line of a policy write
 * @line: the line, without its newline; modified in place
 * @op:   the result; @op->path points into @line
 * @why:  set to a static reason when an error is returned
 *
 * Return: 0 or -EINVAL / -ERANGE.
 */
int fg_parse_line(char *line, struct fg_op *op, const char **why)
{
	char *rest = line, *verb, *path;
	int err;

	memset(op, 0, sizeof(*op));
	*why = "";
	verb = fg_next_word(&rest);
	if (!verb || *verb == '#') {
		op->kind = FG_OP_NONE;
		return 0;
	}

	if (!strcmp(verb, "flush")) {
		op->kind = FG_OP_FLUSH;
		*why = "flush takes no arguments";
		return fg_next_word(&rest) ? -EINVAL : 0;
	}

	if (!strcmp(verb, "set"))
		op->kind = FG_OP_SET;
	else if (!strcmp(verb, "del"))
		op->kind = FG_OP_DEL;
	*why = "unknown operation (set, del or flush)";
	if (op->kind == FG_OP_NONE)
		return -EINVAL;

	path = fg_next_word(&rest);
	*why = "missing cgroup path";
	if (!path)
		return -EINVAL;
	err = fg_parse_path(path, why);
	if (err)
		return err;
	op->path = path;

	if (op->kind == FG_OP_SET)
		return fg_parse_set(rest, op, why);
	*why = "del takes only a cgroup path";
	return fg_next_word(&rest) ? -EINVAL : 0;
}

/**
 * fg_format_rate - print a rate the way it was written, without trailing zeros
 * @buf:  output
 * @size: size of @buf
 * @p:    parameters
 *
 * Return: what snprintf() returns.
 */
int fg_format_rate(char *buf, size_t size, const struct fg_params *p)
{
	const char *unit = p->period_s == 3600 ? "h" :
			   p->period_s == 60 ? "min" : "s";
	u32 frac;
	u64 whole = div_u64_rem(p->rate_milli, 1000, &frac);

	if (!p->period_s)
		return snprintf(buf, size, "none");
	if (!frac)
		return snprintf(buf, size, "%llu/%s", whole, unit);
	if (frac % 100 == 0)
		return snprintf(buf, size, "%llu.%u/%s", whole, frac / 100, unit);
	if (frac % 10 == 0)
		return snprintf(buf, size, "%llu.%02u/%s", whole, frac / 10, unit);
	return snprintf(buf, size, "%llu.%03u/%s", whole, frac, unit);
}

/**
 * fg_format_params - print a policy's parameters as the table shows them
 * @buf:  output
 * @size: size of @buf
 * @p:    parameters
 *
 * Return: what snprintf() returns.
 */
int fg_format_params(char *buf, size_t size, const struct fg_params *p)
{
	char rate[32];

	fg_format_rate(rate, sizeof(rate), p);
	return snprintf(buf, size,
			"rate=%s burst=%u action=%s max_delay=%u scope=%s count=%s mt_warn=%s deny_delay=%u",
			rate, p->burst, fg_action_name(p->action),
			p->max_delay_ms, fg_scope_name(p->scope),
			fg_count_name(p->count), fg_mt_warn_name(p->mt_warn),
			p->deny_delay_ms);
}
