// SPDX-License-Identifier: GPL-2.0
/*
 * Values of the policy keys, checked here with the kernel's rules
 * (interface.rst) so that a mistake is reported with a sentence before
 * anything is written.  The kernel checks again and has the last word.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgovctl.h"

static const char * const action_names[] = {
	[FG_ACT_DENY]		= "deny",
	[FG_ACT_THROTTLE]	= "throttle",
	[FG_ACT_LOG]		= "log",
};

static const char * const scope_names[] = {
	[FG_SCOPE_SUBTREE]	= "subtree",
	[FG_SCOPE_PER_CHILD]	= "per-child",
};

static const char * const count_names[] = {
	[FG_COUNT_FORKS]	= "forks",
	[FG_COUNT_TASKS]	= "tasks",
};

static const char * const mt_names[] = {
	[FG_MT_INHERIT]		= "inherit",
	[FG_MT_ON]		= "on",
	[FG_MT_OFF]		= "off",
};

static int lookup(const char *s, const char * const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -EINVAL;
}

int fg_parse_action(const char *s, enum fg_action *a)
{
	int i = lookup(s, action_names, ARRAY_SIZE(action_names));

	if (i < 0)
		return i;
	*a = i;
	return 0;
}

int fg_parse_scope(const char *s, enum fg_scope *sc)
{
	int i = lookup(s, scope_names, ARRAY_SIZE(scope_names));

	if (i < 0)
		return i;
	*sc = i;
	return 0;
}

int fg_parse_count(const char *s, enum fg_count *c)
{
	int i = lookup(s, count_names, ARRAY_SIZE(count_names));

	if (i < 0)
		return i;
	*c = i;
	return 0;
}

int fg_parse_mt(const char *s, enum fg_mt *m)
{
	int i = lookup(s, mt_names, ARRAY_SIZE(mt_names));

	if (i < 0)
		return i;
	*m = i;
	return 0;
}

const char *fg_action_name(enum fg_action a)
{
	return a <= FG_ACT_LOG ? action_names[a] : "?";
}

const char *fg_scope_name(enum fg_scope s)
{
	return s <= FG_SCOPE_PER_CHILD ? scope_names[s] : "?";
}

const char *fg_count_name(enum fg_count c)
{
	return c <= FG_COUNT_TASKS ? count_names[c] : "?";
}

const char *fg_mt_name(enum fg_mt m)
{
	return m <= FG_MT_OFF ? mt_names[m] : "?";
}

/* A decimal with at most @decimals digits after the point, times 10^3. */
static int parse_milli(const char *s, const char **end, uint64_t *milli)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;

	while (*s >= '0' && *s <= '9') {
		if (whole > UINT64_MAX / 10000)
			return -ERANGE;
		whole = whole * 10 + (*s++ - '0');
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			if (++fdigits > 3)
				return -EINVAL;
			frac = frac * 10 + (*s++ - '0');
		}
		if (!fdigits)
			return -EINVAL;
	}
	if (!digits)
		return -EINVAL;
	while (fdigits++ < 3)
		frac *= 10;
	*milli = whole * 1000 + frac;
	*end = s;
	return 0;
}

/**
 * fg_parse_rate - parse "R", "R/s", "R/min", "R/h" or "none" (period_s 0: a
 * policy that governs no fork and only carries mt_warn)
 *
 * Return: 0, -EINVAL when malformed, -ERANGE above 1000000 per second.
 */
int fg_parse_rate(const char *s, uint64_t *milli, uint32_t *period_s)
{
	const char *end;
	int err;

	if (!strcmp(s, "none")) {
		*milli = 0;
		*period_s = 0;
		return 0;
	}
	err = parse_milli(s, &end, milli);
	if (err)
		return err;
	if (!*end || !strcmp(end, "/s"))
		*period_s = 1;
	else if (!strcmp(end, "/min"))
		*period_s = 60;
	else if (!strcmp(end, "/h"))
		*period_s = 3600;
	else
		return -EINVAL;
	if (*milli > FG_RATE_MAX_PER_S * 1000 * *period_s)
		return -ERANGE;
	return 0;
}

/**
 * fg_parse_duration_ms - parse "N" (ms), "Nms" or "Ns"; seconds may have
 * up to three decimals ("1.5s").  Range 0 to 60000 ms.
 */
int fg_parse_duration_ms(const char *s, uint32_t *ms)
{
	const char *end;
	uint64_t milli;
	int err = parse_milli(s, &end, &milli);

	if (err)
		return err;
	if (!strcmp(end, "s")) {
		/* milli is already seconds * 1000 */
	} else if (!*end || !strcmp(end, "ms")) {
		if (milli % 1000)
			return -EINVAL;	/* no fractions of a millisecond */
		milli /= 1000;
	} else {
		return -EINVAL;
	}
	if (milli > FG_MAX_DELAY_MS)
		return -ERANGE;
	*ms = (uint32_t)milli;
	return 0;
}

int fg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

void fg_params_init(struct fg_params *p)
{
	memset(p, 0, sizeof(*p));
	p->period_s = 1;
	p->max_delay_ms = FG_DEFAULT_DELAY_MS;
	p->action = FG_ACT_DENY;
	p->scope = FG_SCOPE_SUBTREE;
	p->count = FG_COUNT_FORKS;
	p->mt_warn = FG_MT_INHERIT;
}

/* The rate per second rounded up, at least 1: the kernel's default burst. */
uint32_t fg_default_burst(const struct fg_params *p)
{
	uint64_t per_s;

	if (!p->period_s)
		return 1;
	per_s = (p->rate_milli + 1000ULL * p->period_s - 1) /
		(1000ULL * p->period_s);
	if (per_s < 1)
		return 1;
	return per_s > FG_BURST_MAX ? FG_BURST_MAX : (uint32_t)per_s;
}

/**
 * fg_params_finish - fill in defaults and check the combination
 * @why: set to a sentence on failure
 *
 * Return: 0, -EINVAL (no rate) or -ERANGE (burst/rate beyond 146 years).
 */
int fg_params_finish(struct fg_params *p, const char **why)
{
	uint64_t interval_ns;

	if (!(p->given & FG_P_RATE)) {
		*why = "a rate is required (for example: rate 50/s)";
		return -EINVAL;
	}
	if (!p->period_s &&
	    (p->given & ~(FG_P_RATE | FG_P_MT))) {
		*why = "rate none (a policy for mt-warn only) takes no other setting";
		return -EINVAL;
	}
	if (!(p->given & FG_P_BURST))
		p->burst = fg_default_burst(p);
	if (!p->rate_milli)
		return 0;
	interval_ns = (p->period_s * 1000000000ULL * 1000 + p->rate_milli / 2) /
		      p->rate_milli;
	if (interval_ns && p->burst > FG_HORIZON_NS / interval_ns) {
		*why = "burst / rate spans more than 146 years; raise the rate or lower the burst";
		return -ERANGE;
	}
	return 0;
}

bool fg_params_equal(const struct fg_params *a, const struct fg_params *b)
{
	return a->rate_milli == b->rate_milli && a->period_s == b->period_s &&
	       a->burst == b->burst && a->max_delay_ms == b->max_delay_ms &&
	       a->action == b->action && a->scope == b->scope &&
	       a->count == b->count && a->mt_warn == b->mt_warn;
}

/* "50/s", "0.5/s", "120/min": the unit kept, no trailing zeros. */
int fg_format_rate(char *buf, size_t size, uint64_t milli, uint32_t period_s)
{
	const char *unit = period_s == 3600 ? "h" : period_s == 60 ? "min" : "s";
	unsigned int frac = milli % 1000;
	int n;

	if (!period_s)
		return snprintf(buf, size, "none");
	if (!frac)
		return snprintf(buf, size, "%llu/%s",
				(unsigned long long)(milli / 1000), unit);
	n = snprintf(buf, size, "%llu.%03u", (unsigned long long)(milli / 1000),
		     frac);
	while (n > 0 && (size_t)n < size && buf[n - 1] == '0')
		buf[--n] = '\0';
	return n + snprintf(buf + n, size > (size_t)n ? size - n : 0, "/%s",
			    unit);
}

double fg_rate_per_s(const struct fg_params *p)
{
	return p->period_s ? (double)p->rate_milli / 1000.0 / p->period_s : 0;
}

/**
 * fg_set_key - set one key from its kernel or command-line spelling
 * @key: "rate", "burst", "action", "max_delay" or "max-delay", "scope",
 *       "count", "mt_warn" or "mt-warn"
 * @why: set to a sentence on failure
 *
 * Return: 0, -ENOENT for an unknown key, -EINVAL or -ERANGE for a bad value.
 */
int fg_set_key(struct fg_params *p, const char *key, const char *val,
	       const char **why)
{
	unsigned int bit;
	int err;

	if (!strcmp(key, "rate")) {
		bit = FG_P_RATE;
		*why = "bad rate: R, R/s, R/min or R/h, 3 decimals, at most 1000000/s";
		err = fg_parse_rate(val, &p->rate_milli, &p->period_s);
	} else if (!strcmp(key, "burst")) {
		bit = FG_P_BURST;
		*why = "bad burst: an integer from 1 to 1000000";
		err = fg_parse_u32(val, 1, FG_BURST_MAX, &p->burst);
	} else if (!strcmp(key, "action")) {
		bit = FG_P_ACTION;
		*why = "bad action: deny, throttle or log";
		err = fg_parse_action(val, &p->action);
	} else if (!strcmp(key, "max_delay") || !strcmp(key, "max-delay")) {
		bit = FG_P_DELAY;
		*why = "bad max-delay: N (milliseconds), Nms or Ns, from 0 to 60s";
		err = fg_parse_duration_ms(val, &p->max_delay_ms);
	} else if (!strcmp(key, "scope")) {
		bit = FG_P_SCOPE;
		*why = "bad scope: subtree or per-child";
		err = fg_parse_scope(val, &p->scope);
	} else if (!strcmp(key, "count")) {
		bit = FG_P_COUNT;
		*why = "bad count: forks or tasks";
		err = fg_parse_count(val, &p->count);
	} else if (!strcmp(key, "mt_warn") || !strcmp(key, "mt-warn")) {
		bit = FG_P_MT;
		*why = "bad mt-warn: inherit, on or off";
		err = fg_parse_mt(val, &p->mt_warn);
	} else {
		*why = "unknown key (rate, burst, action, max-delay, scope, count, mt-warn)";
		return -ENOENT;
	}
	if (err)
		return err;
	if (p->given & bit) {
		*why = "key given twice";
		return -EINVAL;
	}
	p->given |= bit;
	return 0;
}
