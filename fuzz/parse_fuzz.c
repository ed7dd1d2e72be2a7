// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the policy-line parser (module/parse.c), built against
 * the fake kernel headers of the unit tests (make fuzz).
 *
 * The input is split into lines the way /proc/forkgov/policies splits a
 * write.  Besides crashes and sanitizer reports, every line the parser
 * accepts must satisfy the documented grammar
 * (Documentation/admin-guide/forkgov/interface.rst):
 *
 *  - every value inside its range, interval and default burst derived
 *    correctly, the path absolute and free of empty, "." and ".." parts;
 *  - each \ooo escape of the path decodes to exactly one byte that is not
 *    NUL (so "\400", which is 256, must be refused rather than truncate
 *    the path);
 *  - the line printed back in canonical form (path escaped as the table
 *    prints it, rate as fg_format_rate() prints it, every key spelled out)
 *    parses to the very same operation: what the table shows can be written
 *    back unchanged.
 *
 * A violated property aborts, which libFuzzer reports as a crash.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "forkgov.h"
#include "parse.h"
#include "k8s.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "parse_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Escape a path as the table prints it (octal for space, tab, \n, \\). */
static void escape_path(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 5 < size; in++) {
		unsigned char c = *in;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\\')
			n += snprintf(out + n, size - n, "\\%03o", c);
		else
			out[n++] = c;
	}
	out[n] = '\0';
}

static void check_params(const struct fg_params *p)
{
	u64 per_s_max = (u64)FG_RATE_MAX_PER_S * 1000 * p->period_s;

	/* rate=none: governs nothing, takes no key but mt_warn. */
	if (!p->period_s) {
		CHECK(!p->rate_milli && !p->interval_ns && p->burst == 1);
		CHECK(p->action == FG_ACT_DENY && p->scope == FG_SCOPE_SUBTREE &&
		      p->count == FG_COUNT_FORKS &&
		      p->max_delay_ms == FG_DEFAULT_DELAY_MS &&
		      p->deny_delay_ms == FG_DEFAULT_DENY_DELAY_MS);
		CHECK(p->mt_warn <= FG_MT_OFF);
		return;
	}
	CHECK(p->period_s == 1 || p->period_s == 60 || p->period_s == 3600);
	CHECK(p->rate_milli <= per_s_max);
	CHECK(p->burst >= 1 && p->burst <= FG_BURST_MAX);
	CHECK(p->max_delay_ms <= FG_MAX_DELAY_MS);
	CHECK(p->deny_delay_ms <= FG_MAX_DENY_DELAY_MS);
	CHECK(p->action <= FG_ACT_LOG);
	CHECK(p->scope <= FG_SCOPE_PER_CHILD);
	CHECK(p->count <= FG_COUNT_TASKS);
	CHECK(p->mt_warn <= FG_MT_OFF);
	if (p->rate_milli) {
		/* interval = period / rate, rounded to the nearest ns */
		unsigned __int128 want = (unsigned __int128)p->period_s *
					 NSEC_PER_SEC * 1000;
		unsigned __int128 lo = (unsigned __int128)p->interval_ns *
				       p->rate_milli;

		CHECK(p->interval_ns > 0);
		CHECK(lo <= want + p->rate_milli / 2);
		CHECK(lo + p->rate_milli > want + p->rate_milli / 2);
		CHECK(p->burst <= FG_HORIZON_NS / p->interval_ns);
	} else {
		CHECK(p->interval_ns == 0);
	}
}

static void check_path(const char *path)
{
	size_t n = strlen(path);

	CHECK(path[0] == '/');
	CHECK(n == 1 || path[n - 1] != '/');
	CHECK(!strstr(path, "//"));
	CHECK(!strstr(path, "/./"));
	CHECK(!strstr(path, "/../"));
	CHECK(!(n >= 2 && !strcmp(path + n - 2, "/.")));
	CHECK(!(n >= 3 && !strcmp(path + n - 3, "/..")));
}

static void roundtrip(const struct fg_op *op)
{
	static char line[4 * 4096 + 512], esc[4 * 4096 + 16];
	char rate[64];
	struct fg_op again;
	const char *why;
	int err;

	escape_path(op->path, esc, sizeof(esc));
	if (op->kind == FG_OP_DEL) {
		snprintf(line, sizeof(line), "del %s", esc);
	} else if (!op->params.period_s) {
		snprintf(line, sizeof(line), "set %s rate=none mt_warn=%s", esc,
			 fg_mt_warn_name(op->params.mt_warn));
	} else {
		fg_format_rate(rate, sizeof(rate), &op->params);
		snprintf(line, sizeof(line),
			 "set %s rate=%s burst=%u action=%s max_delay=%u scope=%s count=%s mt_warn=%s deny_delay=%u",
			 esc, rate, op->params.burst,
			 fg_action_name(op->params.action),
			 op->params.max_delay_ms,
			 fg_scope_name(op->params.scope),
			 fg_count_name(op->params.count),
			 fg_mt_warn_name(op->params.mt_warn),
			 op->params.deny_delay_ms);
	}
	if (op->kind == FG_OP_SET) {
		size_t len = strlen(line);

		snprintf(line + len, sizeof(line) - len, " owner=%s%s%s",
			 op->owner, op->pending ? " pending" : "",
			 op->persist ? " persist" : "");
	}
	err = fg_parse_line(line, &again, &why);
	if (err)
		fprintf(stderr, "parse_fuzz: canonical line refused (%d, %s)\n",
			err, why);
	CHECK(!err);
	CHECK(again.kind == op->kind);
	CHECK(!strcmp(again.path, op->path));
	if (op->kind == FG_OP_SET) {
		CHECK(!memcmp(&again.params, &op->params, sizeof(op->params)));
		CHECK(!strcmp(again.owner, op->owner));
		CHECK(again.pending == op->pending);
		CHECK(again.persist == op->persist);
	}
}

/*
 * The path as written: the second word of the line.  Each \ooo escape must
 * stand for exactly one byte, and never a NUL: the unescaped path is then
 * exactly 3 bytes shorter per escape than the word.
 */
static size_t expected_path_len(const char *orig)
{
	const char *p = orig, *w;
	size_t n, esc = 0;

	p += strspn(p, " \t");
	p += strcspn(p, " \t");
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	for (w = p; w < p + n; w++)
		esc += *w == '\\';
	return n - 3 * esc;
}

static void one_line(char *line)
{
	static char orig[FG_LINE_MAX + 1];
	struct fg_op op;
	const char *why = NULL;
	int err;

	strcpy(orig, line);
	err = fg_parse_line(line, &op, &why);
	CHECK(why != NULL);
	if (err) {
		CHECK(err == -EINVAL || err == -ERANGE);
		return;
	}
	switch (op.kind) {
	case FG_OP_NONE:
	case FG_OP_FLUSH:
		return;
	case FG_OP_SET:
		check_params(&op.params);
		/* fallthrough */
	case FG_OP_DEL:
		check_path(op.path);
		/* PARSE_FUZZ_IGNORE=escape: look past this known bug. */
		if (!getenv("PARSE_FUZZ_IGNORE") ||
		    strcmp(getenv("PARSE_FUZZ_IGNORE"), "escape"))
			CHECK(strlen(op.path) == expected_path_len(orig));
		roundtrip(&op);
		return;
	}
	CHECK(0);
}

/*
 * The same line as a cgroup path for the pod parser (module/k8s.c): every
 * field it fills keeps to [0-9a-z-], a pod is found with a uid and a QoS
 * class, and a path that is no pod's leaves every field empty.
 */
static void one_path(const char *path)
{
	static const char ok[] = "0123456789abcdefghijklmnopqrstuvwxyz-";
	struct fg_k8s k;
	int ret = fg_k8s_parse(path, &k);

	CHECK(ret == 0 || ret == -ENOENT);
	CHECK(strspn(k.pod_uid, ok) == strlen(k.pod_uid));
	CHECK(strspn(k.qos, ok) == strlen(k.qos));
	CHECK(strspn(k.container_id, ok) == strlen(k.container_id));
	CHECK(strspn(k.runtime, ok) == strlen(k.runtime));
	if (ret) {
		CHECK(!*k.pod_uid && !*k.qos && !*k.container_id &&
		      !*k.runtime);
		return;
	}
	CHECK(*k.pod_uid && *k.qos);
	CHECK(strstr(path, "kubepods"));
	CHECK(*k.container_id || !*k.runtime);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[FG_LINE_MAX * 4 + 1];
	char *rest = buf, *line;

	if (size > sizeof(buf) - 1)
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* The kernel refuses a NUL byte in a write; stop at the first. */
	while ((line = strsep(&rest, "\n"))) {
		if (strlen(line) <= FG_LINE_MAX)
			one_line(line);
		one_path(line);
		if (!rest || !*rest)
			break;
	}
	return 0;
}
