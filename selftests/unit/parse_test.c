// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the policy-line parser.
 * UNIT_SOURCES: module/parse.c
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <stdio.h>

#include "kselftest_harness.h"
#include "forkgov.h"
#include "parse.h"

static int parse(const char *text, struct fg_op *op, const char **why)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s", text);
	return fg_parse_line(buf, op, why);
}

TEST(set_with_every_key)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("set /b rate=50/s burst=200 action=throttle max_delay=2s",
			   &op, &why));
	ASSERT_EQ(FG_OP_SET, op.kind);
	ASSERT_STREQ("/b", op.path);
	ASSERT_EQ(50000, op.params.rate_milli);
	ASSERT_EQ(1, op.params.period_s);
	ASSERT_EQ(20 * NSEC_PER_MSEC, op.params.interval_ns);
	ASSERT_EQ(200, op.params.burst);
	ASSERT_EQ(FG_ACT_THROTTLE, op.params.action);
	ASSERT_EQ(2000, op.params.max_delay_ms);

	ASSERT_EQ(0, parse("set /b rate=1 scope=per-child count=tasks mt_warn=off deny_delay=250ms",
			   &op, &why));
	ASSERT_EQ(250, op.params.deny_delay_ms);
	ASSERT_EQ(FG_SCOPE_PER_CHILD, op.params.scope);
	ASSERT_EQ(FG_COUNT_TASKS, op.params.count);
	ASSERT_EQ(FG_MT_OFF, op.params.mt_warn);
}

TEST(defaults)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("set / rate=2.5", &op, &why));
	ASSERT_STREQ("/", op.path);
	ASSERT_EQ(3, op.params.burst);
	ASSERT_EQ(FG_ACT_DENY, op.params.action);
	ASSERT_EQ(1000, op.params.max_delay_ms);
	ASSERT_EQ(1000, op.params.deny_delay_ms);
	ASSERT_EQ(FG_SCOPE_SUBTREE, op.params.scope);
	ASSERT_EQ(FG_COUNT_FORKS, op.params.count);
	ASSERT_EQ(FG_MT_INHERIT, op.params.mt_warn);
	ASSERT_EQ(400 * NSEC_PER_MSEC, op.params.interval_ns);
}

TEST(rate_none_only_carries_mt_warn)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("set / rate=none mt_warn=off", &op, &why));
	ASSERT_EQ(0, op.params.period_s);
	ASSERT_EQ(0, op.params.interval_ns);
	ASSERT_EQ(1, op.params.burst);
	ASSERT_EQ(FG_MT_OFF, op.params.mt_warn);
}

TEST(other_operations)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("  del\t/a/b  ", &op, &why));
	ASSERT_EQ(FG_OP_DEL, op.kind);
	ASSERT_STREQ("/a/b", op.path);
	ASSERT_EQ(0, parse("flush", &op, &why));
	ASSERT_EQ(FG_OP_FLUSH, op.kind);
	ASSERT_EQ(0, parse("", &op, &why));
	ASSERT_EQ(FG_OP_NONE, op.kind);
	ASSERT_EQ(0, parse("# set /x rate=1", &op, &why));
	ASSERT_EQ(FG_OP_NONE, op.kind);
}

TEST(escaped_path)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("set /my\\040jobs/a\\134b rate=1", &op, &why));
	ASSERT_STREQ("/my jobs/a\\b", op.path);
}

struct rate_case {
	const char *text;
	int err;
	u64 milli;
	u32 period;
	u64 interval;
	const char *printed;
};

TEST(rates)
{
	static const struct rate_case cases[] = {
		{ "50", 0, 50000, 1, 20000000, "50/s" },
		{ "50/s", 0, 50000, 1, 20000000, "50/s" },
		{ "0.5", 0, 500, 1, 2000000000, "0.5/s" },
		{ "0.25/s", 0, 250, 1, 4000000000ULL, "0.25/s" },
		{ "120/min", 0, 120000, 60, 500000000, "120/min" },
		{ "1/min", 0, 1000, 60, 60000000000ULL, "1/min" },
		{ "3/h", 0, 3000, 3600, 1200000000000ULL, "3/h" },
		{ "0.001", 0, 1, 1, 1000000000000ULL, "0.001/s" },
		{ "3", 0, 3000, 1, 333333333, "3/s" },
		{ "0", 0, 0, 1, 0, "0/s" },
		{ "1000000", 0, 1000000000, 1, 1000, "1000000/s" },
		{ "none", 0, 0, 0, 0, "none" },
		{ "1000001", -ERANGE },
		{ "1.2345", -ERANGE },
		{ "1.", -EINVAL },
		{ ".5", -EINVAL },
		{ "5/day", -EINVAL },
		{ "-1", -EINVAL },
		{ "1e3", -EINVAL },
		{ "", -EINVAL },
		{ "9999999999999", -ERANGE },
	};
	char text[64], out[32];
	const char *why;
	struct fg_op op;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* rate=none takes no burst. */
		if (strcmp(cases[i].text, "none"))
			snprintf(text, sizeof(text), "set /x rate=%s burst=1",
				 cases[i].text);
		else
			snprintf(text, sizeof(text), "set /x rate=none");
		err = parse(text, &op, &why);
		EXPECT_EQ(cases[i].err, err) TH_LOG("rate=%s", cases[i].text);
		if (err || cases[i].err)
			continue;
		EXPECT_EQ(cases[i].milli, op.params.rate_milli);
		EXPECT_EQ(cases[i].period, op.params.period_s);
		EXPECT_EQ(cases[i].interval, op.params.interval_ns)
			TH_LOG("rate=%s", cases[i].text);
		fg_format_rate(out, sizeof(out), &op.params);
		EXPECT_STREQ(cases[i].printed, out);
	}
}

struct bad_case {
	const char *text;
	int err;
};

TEST(bad_lines)
{
	static const struct bad_case cases[] = {
		{ "set", -EINVAL },
		{ "set /x", -EINVAL },
		{ "set x rate=1", -EINVAL },
		{ "set /x/ rate=1", -EINVAL },
		{ "set /x//y rate=1", -EINVAL },
		{ "set /x/./y rate=1", -EINVAL },
		{ "set /x/.. rate=1", -EINVAL },
		{ "set /x\\04 rate=1", -EINVAL },
		{ "set /x\\000 rate=1", -EINVAL },
		{ "set /x\\777 rate=1", -EINVAL },
		{ "set /x\\400 rate=1", -EINVAL },
		{ "set /x rate=1 burst=0", -ERANGE },
		{ "set /x rate=1 burst=1000001", -ERANGE },
		{ "set /x rate=1 burst=1x", -EINVAL },
		{ "set /x rate=1 colour=red", -EINVAL },
		{ "set /x rate=1 rate=2", -EINVAL },
		{ "set /x rate=1 action=", -EINVAL },
		{ "set /x rate=1 =deny", -EINVAL },
		{ "set /x rate=1 deny", -EINVAL },
		{ "set /x rate=1 max_delay=60001", -ERANGE },
		{ "set /x rate=1 max_delay=5m", -EINVAL },
		{ "set /x rate=1 deny_delay=10s", 0 },
		{ "set /x rate=1 deny_delay=10001", -ERANGE },
		{ "set /x rate=1 deny_delay=11s", -ERANGE },
		{ "set /x rate=1 deny_delay=60001", -ERANGE },
		{ "set /x rate=1 deny_delay=1m", -EINVAL },
		{ "set /x rate=1 deny_delay=", -EINVAL },
		{ "set /x rate=1 deny_delay=0 deny_delay=0", -EINVAL },
		{ "set /x rate=none deny_delay=0", -EINVAL },
		{ "set /x rate=1 scope=everything", -EINVAL },
		{ "set /x rate=1 count=threads", -EINVAL },
		{ "set /x rate=1 mt_warn=maybe", -EINVAL },
		{ "set /x rate=0.001/h burst=1000000", -ERANGE },
		{ "set /x rate=none burst=2", -EINVAL },
		{ "set /x rate=none scope=per-child", -EINVAL },
		{ "set /x rate=none action=log", -EINVAL },
		{ "set /x rate=none action=deny", -EINVAL },
		{ "set /x rate=none max_delay=1000", -EINVAL },
		{ "set /x rate=none count=forks", -EINVAL },
		{ "set /x rate=nothing", -EINVAL },
		{ "del", -EINVAL },
		{ "del /x rate=1", -EINVAL },
		{ "flush now", -EINVAL },
		{ "add /x rate=1", -EINVAL },
	};
	const char *why;
	struct fg_op op;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		why = NULL;
		EXPECT_EQ(cases[i].err, parse(cases[i].text, &op, &why))
			TH_LOG("input: %s", cases[i].text);
		EXPECT_TRUE(why && *why)
			TH_LOG("no reason for: %s", cases[i].text);
	}
}

TEST(durations)
{
	u32 ms;

	ASSERT_EQ(0, fg_parse_duration_ms("250", &ms));
	ASSERT_EQ(250, ms);
	ASSERT_EQ(0, fg_parse_duration_ms("250ms", &ms));
	ASSERT_EQ(250, ms);
	ASSERT_EQ(0, fg_parse_duration_ms("60s", &ms));
	ASSERT_EQ(60000, ms);
	ASSERT_EQ(0, fg_parse_duration_ms("0", &ms));
	ASSERT_EQ(0, ms);
	ASSERT_EQ(-ERANGE, fg_parse_duration_ms("61s", &ms));
	ASSERT_EQ(-EINVAL, fg_parse_duration_ms("s", &ms));
}

TEST(names)
{
	ASSERT_STREQ("throttle", fg_action_name(FG_ACT_THROTTLE));
	ASSERT_STREQ("per-child", fg_scope_name(FG_SCOPE_PER_CHILD));
	ASSERT_STREQ("tasks", fg_count_name(FG_COUNT_TASKS));
	ASSERT_STREQ("inherit", fg_mt_warn_name(FG_MT_INHERIT));
	ASSERT_STREQ("?", fg_action_name(42));
}

TEST(owner_pending_persist)
{
	const char *why;
	struct fg_op op;

	ASSERT_EQ(0, parse("set /k rate=5/s", &op, &why));
	ASSERT_STREQ("cli", op.owner);
	ASSERT_FALSE(op.pending);
	ASSERT_FALSE(op.persist);

	ASSERT_EQ(0, parse("set /k pending rate=5/s owner=config persist", &op,
			   &why));
	ASSERT_STREQ("config", op.owner);
	ASSERT_TRUE(op.pending);
	ASSERT_TRUE(op.persist);
	ASSERT_EQ(5000, op.params.rate_milli);

	ASSERT_EQ(0, parse("set /k rate=5/s owner=a.B_9-x", &op, &why));
	ASSERT_STREQ("a.B_9-x", op.owner);
	ASSERT_EQ(0, parse("set /k rate=5/s owner=fifteen-chars-x", &op, &why));
	ASSERT_STREQ("fifteen-chars-x", op.owner);
}

TEST(bad_owner_pending_persist)
{
	static const char * const bad[] = {
		"set /k rate=5/s owner=",
		"set /k rate=5/s owner=sixteen-chars-xx",
		"set /k rate=5/s owner=a/b",
		"set /k rate=5/s owner=a\\040b",
		"set /k rate=5/s owner=x owner=y",
		"set /k rate=5/s pending pending",
		"set /k rate=5/s persist persist",
		"set /k rate=5/s Pending",
		"set /k pending",
		"del /k pending",
		"del /k owner=cli",
		"flush pending",
	};
	const char *why;
	struct fg_op op;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, parse(bad[i], &op, &why)) {
			TH_LOG("bad line %u", i);
		}
}

TEST_HARNESS_MAIN
