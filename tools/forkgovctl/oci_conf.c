// SPDX-License-Identifier: GPL-2.0
/*
 * The host's say over the OCI hook: /etc/forkgov/oci-hook.conf.
 *
 *   # comment
 *   annotations = tighten          # or off: refuse io.forkgov.policy
 *   allow-keys  = rate burst action max-delay deny-delay
 *   max-rate    = 100/s            # no annotation asks for more
 *   max-burst   = 500
 *   template    = rate=50/s,burst=200,action=throttle
 *
 * The annotation comes from whoever starts the container; this file comes
 * from the host.  An annotation may give only the keys of allow-keys, never
 * a rate or burst above max-rate and max-burst, and never anything looser
 * than the template, which is the policy a container gets without one.
 * No file is the defaults: every key the annotation grammar allows, no
 * ceiling but the policies in force, no template.  A file with an error
 * refuses every container, with the file and line: a typo in the host's
 * limits must not start containers without them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "forkgovctl.h"

#define OCI_CONF_MAX	65536

static const char * const conf_keys[FG_KEY_DENY_DELAY + 1] = {
	[FG_KEY_RATE] = "rate", [FG_KEY_BURST] = "burst",
	[FG_KEY_ACTION] = "action", [FG_KEY_MAX_DELAY] = "max-delay",
	[FG_KEY_SCOPE] = "scope", [FG_KEY_COUNT] = "count",
	[FG_KEY_MT_WARN] = "mt-warn", [FG_KEY_DENY_DELAY] = "deny-delay",
};

const char *fg_oci_conf_path(void)
{
	return getenv("FORKGOV_OCI_CONF") ?: "/etc/forkgov/oci-hook.conf";
}

void fg_oci_conf_init(struct fg_oci_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->annotations = true;
	c->allow = ~0U;
}

#define NOT_A_KEY \
	"names a key that is not a policy key (rate, burst, action, max-delay, scope, count, mt-warn, deny-delay)"

static int conf_allow(struct fg_oci_conf *c, char *v, const char **why)
{
	char *tok;
	size_t k;

	c->allow = 0;
	while ((tok = strsep(&v, ", \t"))) {
		if (!*tok)
			continue;
		for (k = 0; k < ARRAY_SIZE(conf_keys); k++)
			if (!strcmp(tok, conf_keys[k]))
				break;
		if (k == ARRAY_SIZE(conf_keys)) {
			*why = NOT_A_KEY;
			return -EINVAL;
		}
		c->allow |= 1U << k;
	}
	return 0;
}

static int conf_set(struct fg_oci_conf *c, const char *key, char *v,
		    char *err, size_t errsize)
{
	struct fg_params p;
	unsigned int given = 0;
	const char *why = NULL;
	char *end;
	int ret;

	if (!strcmp(key, "annotations")) {
		if (strcmp(v, "tighten") && strcmp(v, "off")) {
			why = "is tighten or off";
			goto bad;
		}
		c->annotations = !strcmp(v, "tighten");
		return 0;
	}
	if (!strcmp(key, "allow-keys")) {
		ret = conf_allow(c, v, &why);
		goto out;
	}
	if (!strcmp(key, "max-rate")) {
		fg_init_params(&p);
		ret = fg_params_set(&p, &given, "rate", v, &why);
		if (!ret && !p.period_s) {
			why = "must be a rate; leave the key out for no ceiling";
			ret = -EINVAL;
		}
		c->max_rate = p;
		c->has_max_rate = !ret;
		goto out;
	}
	if (!strcmp(key, "max-burst")) {
		errno = 0;
		c->max_burst = strtoul(v, &end, 10);
		if (errno || *end || !*v || *v == '-' || !c->max_burst ||
		    c->max_burst > 1000000) {
			why = "is a whole number from 1 to 1000000";
			goto bad;
		}
		return 0;
	}
	if (!strcmp(key, "template")) {
		ret = fg_oci_policy_parse(v, &c->template, &c->template_given,
					  err, errsize);
		c->has_template = !ret;
		return ret;
	}
	snprintf(err, errsize,
		 "unknown key '%s' (annotations, allow-keys, max-rate, max-burst, template)",
		 key);
	return -EINVAL;
out:
	if (!ret)
		return 0;
bad:
	snprintf(err, errsize, "%s %s", key, why);
	return -EINVAL;
}

/**
 * fg_oci_conf_parse - the text of the host's hook configuration
 * @file: its name, for messages
 * @err:  "FILE:LINE: sentence" on failure
 *
 * Return: 0, -EINVAL.
 */
int fg_oci_conf_parse(const char *text, const char *file,
		      struct fg_oci_conf *c, char *err, size_t errsize)
{
	char *copy = strdup(text), *cur = copy, *line, *eq, *key, *val;
	char lerr[FG_PATH_MAX];
	unsigned int seen = 0, bit, n = 0;
	static const char * const once[] = {
		"annotations", "allow-keys", "max-rate", "max-burst", "template",
	};
	size_t i;
	int ret = 0;

	fg_oci_conf_init(c);
	if (!copy)
		return -ENOMEM;
	while (!ret && (line = strsep(&cur, "\n"))) {
		n++;
		if (strchr(line, '#'))
			*strchr(line, '#') = '\0';
		line = fg_trim(line);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errsize, "%s:%u: expected KEY = VALUE",
				 file, n);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		key = fg_trim(line);
		val = fg_trim(eq + 1);
		bit = 0;
		for (i = 0; i < ARRAY_SIZE(once); i++)
			if (!strcmp(key, once[i]))
				bit = 1U << i;
		if (bit & seen) {
			snprintf(err, errsize, "%s:%u: %s is given twice",
				 file, n, key);
			ret = -EINVAL;
			break;
		}
		seen |= bit;
		ret = conf_set(c, key, val, lerr, sizeof(lerr));
		if (ret)
			snprintf(err, errsize, "%s:%u: %s", file, n, lerr);
	}
	free(copy);
	if (ret)
		fg_oci_conf_init(c);
	return ret;
}

/**
 * fg_oci_conf_load - read @path; no such file is the defaults
 *
 * Return: 0, or -errno / -EINVAL with a sentence in @err.
 */
int fg_oci_conf_load(const char *path, struct fg_oci_conf *c, char *err,
		     size_t errsize)
{
	char *text;
	int ret;

	fg_oci_conf_init(c);
	ret = fg_read_file(path, &text);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	if (strlen(text) > OCI_CONF_MAX) {
		snprintf(err, errsize, "%s is longer than %d bytes", path,
			 OCI_CONF_MAX);
		free(text);
		return -EINVAL;
	}
	ret = fg_oci_conf_parse(text, path, c, err, errsize);
	free(text);
	return ret;
}

/**
 * fg_oci_conf_check - may an annotation ask for @want, by the host's file?
 * @given: the keys the annotation gave (bits of enum fg_key)
 *
 * Return: 0, or -EPERM with a sentence in @err.
 */
int fg_oci_conf_check(const struct fg_oci_conf *c, const struct fg_params *want,
		      unsigned int given, char *err, size_t errsize)
{
	char rate[64];
	size_t k;

	if (!c->annotations) {
		snprintf(err, errsize,
			 "this host does not accept io.forkgov.policy (annotations = off in %s)",
			 fg_oci_conf_path());
		return -EPERM;
	}
	for (k = 0; k < ARRAY_SIZE(conf_keys); k++) {
		if (!(given & (1U << k)) || (c->allow & (1U << k)))
			continue;
		snprintf(err, errsize,
			 "io.forkgov.policy: key '%s' is not in this host's allow-keys (%s)",
			 conf_keys[k], fg_oci_conf_path());
		return -EPERM;
	}
	if (c->has_max_rate && fg_oci_rate_above(want, &c->max_rate)) {
		fg_format_rate(rate, sizeof(rate), &c->max_rate);
		snprintf(err, errsize,
			 "io.forkgov.policy: a rate above this host's max-rate %s",
			 rate);
		return -EPERM;
	}
	if (c->max_burst && want->burst > c->max_burst) {
		snprintf(err, errsize,
			 "io.forkgov.policy: burst %u is above this host's max-burst %u",
			 want->burst, c->max_burst);
		return -EPERM;
	}
	return 0;
}
