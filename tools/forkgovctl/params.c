// SPDX-License-Identifier: GPL-2.0
/*
 * Values of the policy keys, parsed and checked by the kernel's own parser
 * (module/parse.c, linked in) so that a mistake is reported with a sentence
 * before anything is written, and forkgovctl and the kernel never disagree.
 * What is left here is forkgovctl's: the key spellings of the command line
 * ("max-delay", "mt-warn", "deny-delay") and its sentences.
 */
#include <errno.h>
#include <string.h>

#include "forkgovctl.h"

static const char unknown_key[] =
	"unknown key (rate, burst, action, max-delay, scope, count, mt-warn, deny-delay)";

static const char * const bad_value[FG_NR_KEYS] = {
	[FG_KEY_RATE]		= "bad rate: R, R/s, R/min or R/h, 3 decimals, at most 1000000/s",
	[FG_KEY_BURST]		= "bad burst: an integer from 1 to 1000000",
	[FG_KEY_ACTION]		= "bad action: deny, throttle or log",
	[FG_KEY_MAX_DELAY]	= "bad max-delay: N (milliseconds), Nms or Ns, from 0 to 60s",
	[FG_KEY_SCOPE]		= "bad scope: subtree or per-child",
	[FG_KEY_COUNT]		= "bad count: forks or tasks",
	[FG_KEY_MT_WARN]	= "bad mt-warn: inherit, on or off",
	[FG_KEY_DENY_DELAY]	= "bad deny-delay: N (milliseconds), Nms or Ns, from 0 to 10s",
};

/**
 * fg_params_set - set one key from its kernel or command-line spelling
 * @key: "rate", "burst", "action", "max_delay" or "max-delay", "scope",
 *       "count", "mt_warn" or "mt-warn", "deny_delay" or "deny-delay"
 * @why: set to a sentence on failure
 *
 * Return: 0, -ENOENT for an unknown key, -EEXIST for a key given before
 * (*@why then is about the key, not the value), -EINVAL or -ERANGE for a
 * bad value.
 */
int fg_params_set(struct fg_params *p, unsigned int *given, const char *key,
		  const char *val, const char **why)
{
	const char *kwhy;
	int k, err;

	if (!strcmp(key, "max-delay"))
		key = "max_delay";
	else if (!strcmp(key, "mt-warn"))
		key = "mt_warn";
	else if (!strcmp(key, "deny-delay"))
		key = "deny_delay";
	k = fg_parse_key(key);
	if (k < 0) {
		*why = unknown_key;
		return -ENOENT;
	}
	if (*given & (1U << k)) {
		*why = "is given twice; give each key once";
		return -EEXIST;
	}
	*why = bad_value[k];
	err = fg_set_key(p, k, val, &kwhy);
	if (err)
		return err;
	*given |= 1U << k;
	return 0;
}

/**
 * fg_params_finish - fill in the kernel's defaults and check the combination
 * @why: set to a sentence on failure
 *
 * Return: 0, -EINVAL (no rate, or rate none with other keys) or -ERANGE
 * (burst/rate beyond 146 years).
 */
int fg_params_finish(struct fg_params *p, unsigned int given, const char **why)
{
	int err = fg_finish_params(p, given, why);

	if (err == -ERANGE)
		*why = "burst / rate spans more than 146 years; raise the rate or lower the burst";
	else if (err && !(given & (1U << FG_KEY_RATE)))
		*why = "a rate is required (for example: rate 50/s)";
	else if (err)
		*why = "rate none (a policy for mt-warn only) takes no other setting";
	return err;
}

bool fg_params_equal(const struct fg_params *a, const struct fg_params *b)
{
	return a->rate_milli == b->rate_milli && a->period_s == b->period_s &&
	       a->burst == b->burst && a->max_delay_ms == b->max_delay_ms &&
	       a->action == b->action && a->scope == b->scope &&
	       a->count == b->count && a->mt_warn == b->mt_warn &&
	       a->deny_delay_ms == b->deny_delay_ms;
}

double fg_rate_per_s(const struct fg_params *p)
{
	return p->period_s ? (double)p->rate_milli / 1000.0 / p->period_s : 0;
}
