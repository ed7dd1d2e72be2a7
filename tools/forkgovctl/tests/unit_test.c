// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl unit tests: value parsing, the policies and stats formats,
 * configuration files, the apply diff, and every output format, against
 * fake proc files in a temporary directory (no module needed).  JSON output
 * is checked with python3's json module, Prometheus output line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "forkgovctl.h"

static const char table_text[] =
	"policy /build.slice rate=50/s burst=200 action=throttle max_delay=2000 scope=subtree count=forks mt_warn=inherit tokens=12 allowed=5000 denied=0 throttled=310 throttle_ns=80000000 throttle_max_ns=1900000 logged=0 peak_1s=230 last_pid=4242 last_comm=make last_cgroup=/build.slice/job-7\n"
	"policy /pods.slice rate=120/min burst=20 action=deny max_delay=1000 scope=per-child count=tasks mt_warn=on tokens=-3 allowed=17 denied=3 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=20 last_pid=- last_comm=- last_cgroup=- newkey=7\n"
	"child /pods.slice/pod-a policy=/pods.slice tokens=20 allowed=17 denied=3 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=20 last_pid=77 last_comm=a\\040\"b\\134 last_cgroup=/pods.slice/pod-a\n"
	"policy /odd\\040name\\012x rate=0.5/s burst=1 action=log max_delay=1000 scope=subtree count=forks mt_warn=off tokens=1 allowed=3 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=2 peak_1s=3 last_pid=5 last_comm=x last_cgroup=-\n"
	"somethingnew /x a=b\n";

static const char stats_text[] =
	"version 0.1.0\nenabled 1\nhook_installed 1\npolicies 3\n"
	"child_buckets 1\nhook_hits 104233\nallowed 104000\ndenied 200\n"
	"throttled 33\nthrottle_ns 3300000000\nlogged 0\nmt_reported 2\n";

/* ---- values ---------------------------------------------------------- */

struct rate_case {
	const char *in;
	int err;
	u64 milli;
	u32 period;
	const char *out;
};

static const struct rate_case rate_cases[] = {
	{ "50", 0, 50000, 1, "50/s" },
	{ "50/s", 0, 50000, 1, "50/s" },
	{ "0.5", 0, 500, 1, "0.5/s" },
	{ "0.125/s", 0, 125, 1, "0.125/s" },
	{ "120/min", 0, 120000, 60, "120/min" },
	{ "1.250/h", 0, 1250, 3600, "1.25/h" },
	{ "0", 0, 0, 1, "0/s" },
	{ "none", 0, 0, 0, "none" },
	{ "1000000", 0, 1000000000ULL, 1, "1000000/s" },
	{ "60000000/min", 0, 60000000000ULL, 60, "60000000/min" },
	{ "1000001", -ERANGE },
	{ "60000001/min", -ERANGE },
	{ "1.2345", -ERANGE },
	{ "0000000000001", -ERANGE },	/* 13 digits */
	{ "", -EINVAL },
	{ ".5", -EINVAL },
	{ "5.", -EINVAL },
	{ "5/d", -EINVAL },
	{ "-1", -EINVAL },
	{ "5 /s", -EINVAL },
	{ "99999999999999999999999", -ERANGE },
};

TEST(rate_parse_and_format)
{
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rate_cases); i++) {
		const struct rate_case *c = &rate_cases[i];
		struct fg_params p = { 0 };
		int err = fg_parse_rate(c->in, &p.rate_milli, &p.period_s);

		TH_LOG("rate '%s'", c->in);
		ASSERT_EQ(c->err, err);
		if (err)
			continue;
		EXPECT_EQ(c->milli, p.rate_milli);
		EXPECT_EQ(c->period, p.period_s);
		fg_format_rate(buf, sizeof(buf), &p);
		EXPECT_STREQ(c->out, buf);
	}
}

TEST(rate_none_carries_only_mt_warn)
{
	unsigned int given = 0;
	struct fg_params p;
	const char *why;

	fg_init_params(&p);
	ASSERT_EQ(0, fg_params_set(&p, &given, "rate", "none", &why));
	ASSERT_EQ(0, fg_params_set(&p, &given, "mt-warn", "off", &why));
	ASSERT_EQ(0, fg_params_finish(&p, given, &why));
	EXPECT_EQ(1, p.burst);
	EXPECT_EQ(0, fg_rate_per_s(&p));

	given = 0;
	fg_init_params(&p);
	ASSERT_EQ(0, fg_params_set(&p, &given, "rate", "none", &why));
	ASSERT_EQ(0, fg_params_set(&p, &given, "burst", "5", &why));
	EXPECT_EQ(-EINVAL, fg_params_finish(&p, given, &why));
	EXPECT_STREQ("rate none (a policy for mt-warn only) takes no other setting",
		     why);
}

TEST(duration_parse)
{
	static const struct { const char *in; int err; u32 ms; } c[] = {
		{ "2s", 0, 2000 }, { "1500", 0, 1500 }, { "250ms", 0, 250 },
		{ "1.5s", -EINVAL }, { "0", 0, 0 }, { "60s", 0, 60000 },
		{ "60001", -ERANGE }, { "61s", -ERANGE }, { "1.5", -EINVAL },
		{ "2m", -EINVAL }, { "s", -EINVAL }, { "", -EINVAL },
		{ "0000000000001s", -ERANGE },	/* 13 digits */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u32 ms = 7;

		TH_LOG("duration '%s'", c[i].in);
		ASSERT_EQ(c[i].err, fg_parse_duration_ms(c[i].in, &ms));
		if (!c[i].err)
			EXPECT_EQ(c[i].ms, ms);
	}
}

TEST(default_burst_and_horizon)
{
	unsigned int rate = 1U << FG_KEY_RATE;
	struct fg_params p;
	const char *why;

	fg_init_params(&p);
	p.rate_milli = 50500;
	p.period_s = 1;
	ASSERT_EQ(0, fg_params_finish(&p, rate, &why));
	EXPECT_EQ(51, p.burst);		/* 50.5/s rounded up */

	fg_init_params(&p);
	p.rate_milli = 50000;
	p.period_s = 60;
	ASSERT_EQ(0, fg_params_finish(&p, rate, &why));
	EXPECT_EQ(1, p.burst);		/* 0.83/s, at least 1 */

	fg_init_params(&p);
	p.period_s = 1;
	ASSERT_EQ(0, fg_params_finish(&p, rate, &why));
	EXPECT_EQ(1, p.burst);		/* rate 0 never refills */

	fg_init_params(&p);
	p.rate_milli = 1;		/* 0.001/h */
	p.period_s = 3600;
	p.burst = 1000000;
	EXPECT_EQ(-ERANGE, fg_params_finish(&p, rate | 1U << FG_KEY_BURST,
					    &why));

	fg_init_params(&p);
	EXPECT_EQ(-EINVAL, fg_params_finish(&p, 0, &why));	/* no rate */
	EXPECT_STREQ("a rate is required (for example: rate 50/s)", why);
}

TEST(set_key_rejects)
{
	unsigned int given = 0;
	struct fg_params p;
	const char *why;

	fg_init_params(&p);
	EXPECT_EQ(-ENOENT, fg_params_set(&p, &given, "speed", "1", &why));
	EXPECT_EQ(-ERANGE, fg_params_set(&p, &given, "burst", "0", &why));
	EXPECT_EQ(-ERANGE, fg_params_set(&p, &given, "burst", "1000001", &why));
	EXPECT_EQ(-EINVAL, fg_params_set(&p, &given, "burst", "12x", &why));
	EXPECT_EQ(-EINVAL, fg_params_set(&p, &given, "action", "kill", &why));
	EXPECT_EQ(-EINVAL, fg_params_set(&p, &given, "scope", "per_child", &why));
	EXPECT_EQ(-EINVAL, fg_params_set(&p, &given, "count", "threads", &why));
	EXPECT_EQ(-EINVAL, fg_params_set(&p, &given, "mt-warn", "yes", &why));
	EXPECT_EQ(0, fg_params_set(&p, &given, "rate", "5", &why));
	EXPECT_EQ(-EEXIST, fg_params_set(&p, &given, "rate", "6", &why));	/* twice */
	EXPECT_EQ(0, fg_params_set(&p, &given, "max-delay", "1s", &why));
	EXPECT_EQ(-EEXIST, fg_params_set(&p, &given, "max_delay", "1s", &why));
}

/* ---- the kernel's text ------------------------------------------------ */

TEST(escape_roundtrip)
{
	const char *raw = "/a b\tc\nd\\e/f";
	char esc[128], *back;

	ASSERT_GT(fg_escape(esc, sizeof(esc), raw), 0);
	EXPECT_STREQ("/a\\040b\\011c\\012d\\134e/f", esc);
	back = fg_unescape(esc);
	ASSERT_NE(NULL, back);
	EXPECT_STREQ(raw, back);
	free(back);
	EXPECT_EQ(-E2BIG, fg_escape(esc, 8, raw));
}

struct k8s_case {
	const char *path;
	int ret;
	const char *uid, *qos, *id, *runtime;
};

#define UID	"0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define UID_	"0a1b2c3d_4e5f_6789_abcd_ef0123456789"
#define CID	"4f3a9c0d2b1e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b"

static const struct k8s_case k8s_cases[] = {
	/* systemd driver, every QoS class, pod and container levels */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  UID_ ".slice/cri-containerd-" CID ".scope", 0, UID, "burstable",
	  CID, "cri-containerd" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  UID_ ".slice", 0, UID, "besteffort", "", "" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" CID ".scope", 0,
	  UID, "guaranteed", CID, "crio" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" CID
	  ".scope", 0, UID, "guaranteed", "", "" },
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod"
	  UID_ ".slice/docker-" CID ".scope", 0, UID, "burstable", CID,
	  "docker" },
	/* cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" CID, 0, UID, "burstable", CID, "" },
	{ "/kubepods/pod" UID "/" CID, 0, UID, "guaranteed", CID, "" },
	{ "/kubepods/besteffort/pod" UID, 0, UID, "besteffort", "", "" },
	/* below the container: still the container's */
	{ "/kubepods/pod" UID "/" CID "/kubepods/podffff/" CID, 0, UID,
	  "guaranteed", CID, "" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" CID
	  ".scope/kubepods.slice/kubepods-podbad.slice", 0, UID, "guaranteed",
	  CID, "cri-containerd" },
	/* not a pod */
	{ "/kubepods.slice", -ENOENT },
	{ "/kubepods.slice/kubepods-burstable.slice", -ENOENT },
	{ "/kubepods/burstable", -ENOENT },
	{ "/kubepods/burstable/podXYZ", -ENOENT },
	{ "/kubepods.slice/kubepods-burstable-pod" UID ".slice", -ENOENT },
	{ "/kubepods.slice/kubepods-pod.slice", -ENOENT },
	{ "/system.slice/containerd.service", -ENOENT },
	{ "/build.slice/job-7", -ENOENT },
	{ "/", -ENOENT },
	{ "", -ENOENT },
	/* a container id that is not hex is left out, the pod is kept */
	{ "/kubepods/pod" UID "/not-an-id", 0, UID, "guaranteed", "", "" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-\033[2J.scope",
	  0, UID, "guaranteed", "", "" },
};

TEST(k8s_paths)
{
	struct fg_k8s k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(k8s_cases); i++) {
		const struct k8s_case *c = &k8s_cases[i];

		EXPECT_EQ(c->ret, fg_k8s_parse(c->path, &k))
			TH_LOG("%s", c->path);
		if (c->ret) {
			EXPECT_STREQ("", k.pod_uid);
			continue;
		}
		EXPECT_STREQ(c->uid, k.pod_uid) TH_LOG("%s", c->path);
		EXPECT_STREQ(c->qos, k.qos) TH_LOG("%s", c->path);
		EXPECT_STREQ(c->id, k.container_id) TH_LOG("%s", c->path);
		EXPECT_STREQ(c->runtime, k.runtime) TH_LOG("%s", c->path);
	}
	EXPECT_EQ(-ENOENT, fg_k8s_parse(NULL, &k));
}

TEST(table_parse)
{
	struct fg_table t;
	struct fg_entry *e;
	const char *why = NULL;

	ASSERT_EQ(0, fg_table_parse(table_text, &t, &why));
	ASSERT_EQ(4, t.n);
	e = fg_table_find(&t, FG_KIND_POLICY, "/build.slice");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(50000, e->p.rate_milli);
	EXPECT_EQ(200, e->p.burst);
	EXPECT_EQ(FG_ACT_THROTTLE, e->p.action);
	EXPECT_EQ(2000, e->p.max_delay_ms);
	EXPECT_EQ(5000, e->c.allowed);
	EXPECT_EQ(1900000, e->c.throttle_max_ns);
	EXPECT_EQ(4242, e->c.last_pid);
	EXPECT_STREQ("make", e->c.last_comm);
	e = fg_table_find(&t, FG_KIND_POLICY, "/pods.slice");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(-3, e->c.tokens);
	EXPECT_EQ(-1, e->c.last_pid);
	EXPECT_EQ(NULL, e->c.last_comm);
	EXPECT_EQ(FG_SCOPE_PER_CHILD, e->p.scope);
	e = fg_table_find(&t, FG_KIND_CHILD, "/pods.slice/pod-a");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("/pods.slice", e->policy);
	EXPECT_STREQ("a \"b\\", e->c.last_comm);
	EXPECT_EQ(60, e->p.period_s);	/* copied from its policy */
	e = fg_table_find(&t, FG_KIND_POLICY, "/odd name\nx");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(NULL, e->c.last_cgroup);
	fg_table_free(&t);

	EXPECT_EQ(-EINVAL, fg_table_parse("policy\n", &t, &why));
	EXPECT_EQ(-EINVAL, fg_table_parse("policy /x rate=abc\n", &t, &why));
	EXPECT_EQ(-EINVAL, fg_table_parse("policy /x allowed=-1\n", &t, &why));
	ASSERT_EQ(0, fg_table_parse("", &t, &why));
	EXPECT_EQ(0, t.n);
	fg_table_free(&t);
}

TEST(format_set_line)
{
	char line[FG_LINE_MAX + 2], longp[5000];
	unsigned int given = 0;
	struct fg_params p;
	const char *why;

	fg_init_params(&p);
	ASSERT_EQ(0, fg_params_set(&p, &given, "rate", "0.50/min", &why));
	ASSERT_GT(fg_format_set(line, sizeof(line), "/a b", &p, given), 0);
	EXPECT_STREQ("set /a\\040b rate=0.5/min", line);
	ASSERT_EQ(0, fg_params_set(&p, &given, "action", "log", &why));
	ASSERT_EQ(0, fg_params_set(&p, &given, "mt_warn", "off", &why));
	ASSERT_GT(fg_format_set(line, sizeof(line), "/x", &p, given), 0);
	EXPECT_STREQ("set /x rate=0.5/min action=log mt_warn=off", line);
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[4090] = '\0';
	EXPECT_EQ(-E2BIG, fg_format_set(line, sizeof(line), longp, &p, given));
	ASSERT_GT(fg_format_del(line, sizeof(line), "/x\\y"), 0);
	EXPECT_STREQ("del /x\\134y", line);
}

TEST(stats_parse)
{
	struct fg_stats s;

	ASSERT_EQ(0, fg_stats_parse(stats_text, &s));
	EXPECT_STREQ("0.1.0", fg_stats_get(&s, "version"));
	EXPECT_STREQ("104233", fg_stats_get(&s, "hook_hits"));
	EXPECT_EQ(NULL, fg_stats_get(&s, "nothing"));
	fg_stats_free(&s);
}

/* ---- configuration ------------------------------------------------------ */

static int parse_conf(const char *text, struct fg_config *c, char *err)
{
	memset(c, 0, sizeof(*c));
	return fg_config_parse(text, "t.conf", c, err, 512);
}

TEST(config_parse)
{
	struct fg_config c;
	char err[512] = "";

	ASSERT_EQ(0, parse_conf("# a comment\n\n[/build.slice]   # trailing\n"
				"rate = 50/s\nburst=200\n  action = throttle\n"
				"max-delay = 2s\nmt_warn = on\n"
				"[pods.slice]\nrate = 120/min\nscope = per-child\n"
				"create = yes\n", &c, err));
	TH_LOG("%s", err);
	ASSERT_EQ(2, c.n);
	EXPECT_STREQ("/build.slice", c.v[0].cgroup);
	EXPECT_EQ(200, c.v[0].p.burst);
	EXPECT_EQ(2000, c.v[0].p.max_delay_ms);
	EXPECT_EQ(FG_MT_ON, c.v[0].p.mt_warn);
	EXPECT_STREQ("/pods.slice", c.v[1].cgroup);
	EXPECT_EQ(2, c.v[1].p.burst);	/* default: 2/s rounded up */
	EXPECT_TRUE(c.v[1].create);
	EXPECT_EQ(9, c.v[1].line);
	fg_config_free(&c);
}

struct conf_bad {
	const char *text, *msg;
};

static const struct conf_bad conf_bad[] = {
	{ "rate = 5\n", "t.conf:1: a key before the first [CGROUP] section" },
	{ "[/a]\nburst = 5\n", "t.conf:1: [/a]: a rate is required" },
	{ "[/a]\nrate 5\n", "t.conf:2: expected KEY = VALUE" },
	{ "[/a]\nrate = 5\nspeed = 1\n", "t.conf:3: key 'speed': unknown key" },
	{ "[/a]\nrate = fast\n", "t.conf:2: rate 'fast': bad rate" },
	{ "[/a]\nrate = 5\nrate = 6\n", "t.conf:3: [/a]: rate is given twice" },
	{ "[/a]\nrate = 5\n[/a/]\nrate = 1\n",
	  "t.conf:3: [/a] is already defined at t.conf:1" },
	{ "[/a\nrate = 5\n", "t.conf:1: a section header is [PATH]" },
	{ "[/a/../b]\nrate = 5\n", "'.' and '..' are not allowed" },
	{ "[/a]\nrate = 5\ncreate = maybe\n", "t.conf:3: create is yes or no" },
	{ "[/a]\nrate = 1/h\nburst = 1000000\nrate = 1\n", "t.conf:4: [/a]: rate is given twice" },
	{ "[/a]\nrate = 0.001/h\nburst = 1000000\n", "146 years" },
};

TEST(config_errors)
{
	struct fg_config c;
	char err[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_bad); i++) {
		err[0] = '\0';
		EXPECT_NE(0, parse_conf(conf_bad[i].text, &c, err));
		TH_LOG("case %zu: %s", i, err);
		EXPECT_NE(NULL, strstr(err, conf_bad[i].msg));
		fg_config_free(&c);
	}
}

/* ---- diff ----------------------------------------------------------------- */

/* Free what fg_diff_lines() gave, and the diff. */
static void diff_done(struct fg_diff *d, char *buf, char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(buf);
	fg_diff_free(d);
}

TEST(diff_compute)
{
	struct fg_config c;
	struct fg_table t;
	struct fg_diff d;
	char err[512], *buf, **lines;
	size_t len, n;
	const char *why;

	ASSERT_EQ(0, fg_table_parse(table_text, &t, &why));
	/* build.slice unchanged, pods.slice changed, new added, odd deleted */
	ASSERT_EQ(0, parse_conf("[/build.slice]\nrate = 50\nburst = 200\n"
				"action = throttle\nmax-delay = 2000\n"
				"[/pods.slice]\nrate = 120/min\nburst = 20\n"
				"scope = per-child\ncount = tasks\n"
				"[/new]\nrate = 1\n", &c, err));
	ASSERT_EQ(0, fg_diff_compute(&c, &t, 0, &d));
	EXPECT_EQ(1, d.adds);
	EXPECT_EQ(1, d.replaces);	/* mt_warn on -> inherit */
	EXPECT_EQ(1, d.deletes);
	EXPECT_EQ(1, d.keeps);
	ASSERT_EQ(0, fg_diff_lines(&d, &buf, &len, &lines, &n));
	EXPECT_STREQ("del /odd\\040name\\012x\n"
		     "set /pods.slice rate=120/min burst=20 scope=per-child count=tasks owner=config\n"
		     "set /new rate=1/s owner=config\n", buf);
	EXPECT_EQ(3, n);
	EXPECT_EQ(strlen(buf), len);
	diff_done(&d, buf, lines, n);

	/* --keep-unmanaged: no deletion */
	ASSERT_EQ(0, fg_diff_compute(&c, &t, FG_DIFF_KEEP_UNMANAGED, &d));
	EXPECT_EQ(0, d.deletes);
	fg_diff_free(&d);
	fg_config_free(&c);

	/* an empty configuration deletes every policy, and only policies */
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, fg_diff_compute(&c, &t, 0, &d));
	EXPECT_EQ(3, d.deletes);
	EXPECT_EQ(3, d.n);
	fg_diff_free(&d);
	fg_table_free(&t);
}

/* A kernel that shows owners: apply touches only its own. */
static const char owner_text[] =
	"policy /cfg rate=5/s burst=5 allowed=0 state=active owner=config persist=no\n"
	"policy /gone rate=5/s burst=5 allowed=0 state=pending owner=config persist=yes\n"
	"policy /hand rate=3/s burst=3 allowed=0 state=active owner=cli persist=no\n"
	"policy /hook rate=7/s burst=7 allowed=0 state=active owner=oci persist=no\n";

TEST(diff_owners)
{
	struct fg_config c;
	struct fg_table t;
	struct fg_diff d;
	char err[512], *buf, **lines;
	size_t len, n, i;
	const char *why;

	ASSERT_EQ(0, fg_table_parse(owner_text, &t, &why));
	ASSERT_EQ(4, t.n);
	EXPECT_STREQ("config", t.v[1].owner);
	EXPECT_TRUE(t.v[1].pending);
	EXPECT_TRUE(t.v[1].persist);
	EXPECT_FALSE(t.v[0].pending);
	EXPECT_STREQ("oci", t.v[3].owner);

	/*
	 * /cfg kept, /hand the CLI's: a conflict, not written; /gone and
	 * nothing else deleted
	 */
	ASSERT_EQ(0, parse_conf("[/cfg]\nrate = 5\n[/hand]\nrate = 3\n"
				"[/new]\nrate = 1\npending = yes\npersist = yes\n",
				&c, err));
	ASSERT_EQ(0, fg_diff_compute(&c, &t, 0, &d));
	EXPECT_EQ(1, d.keeps);
	EXPECT_EQ(0, d.replaces);
	EXPECT_EQ(1, d.conflicts);
	EXPECT_EQ(1, d.deletes);
	EXPECT_EQ(1, d.adds);
	for (i = 0; i < d.n; i++)
		if (d.v[i].change == FG_CH_CONFLICT) {
			EXPECT_STREQ("/hand", d.v[i].cgroup);
			EXPECT_STREQ("cli", d.v[i].have_owner);
		}
	ASSERT_EQ(0, fg_diff_lines(&d, &buf, &len, &lines, &n));
	EXPECT_STREQ("del /gone\n"
		     "set /new rate=1/s owner=config pending persist\n", buf);
	diff_done(&d, buf, lines, n);

	/* --take-over: /hand becomes the configuration's */
	ASSERT_EQ(0, fg_diff_compute(&c, &t, FG_DIFF_TAKE_OVER, &d));
	EXPECT_EQ(1, d.replaces);
	EXPECT_EQ(0, d.conflicts);
	ASSERT_EQ(0, fg_diff_lines(&d, &buf, &len, &lines, &n));
	EXPECT_STREQ("del /gone\n"
		     "set /hand rate=3/s owner=config\n"
		     "set /new rate=1/s owner=config pending persist\n", buf);
	diff_done(&d, buf, lines, n);

	/* keeping unmanaged policies (a reload): /hand stays the CLI's */
	ASSERT_EQ(0, fg_diff_compute(&c, &t, FG_DIFF_KEEP_UNMANAGED, &d));
	EXPECT_EQ(1, d.keeps);
	EXPECT_EQ(0, d.replaces);
	EXPECT_EQ(1, d.conflicts);
	EXPECT_EQ(0, d.deletes);
	EXPECT_EQ(1, d.adds);
	fg_diff_free(&d);
	fg_config_free(&c);

	/* persist asked for: a replacement */
	ASSERT_EQ(0, parse_conf("[/cfg]\nrate = 5\npersist = yes\n", &c, err));
	ASSERT_EQ(0, fg_diff_compute(&c, &t, 0, &d));
	EXPECT_EQ(1, d.replaces);
	fg_diff_free(&d);
	fg_config_free(&c);
	fg_table_free(&t);
}

TEST(config_flags)
{
	struct fg_config c;
	char err[512];

	ASSERT_EQ(0, parse_conf("[/a]\nrate = 5\npending = yes\npersist = on\n",
				&c, err));
	EXPECT_TRUE(c.v[0].pending);
	EXPECT_TRUE(c.v[0].persist);
	fg_config_free(&c);
	EXPECT_NE(0, parse_conf("[/a]\nrate = 5\npending = yes\npending = no\n",
				&c, err));
	EXPECT_NE(NULL, strstr(err, "pending is given twice"));
	fg_config_free(&c);
	EXPECT_NE(0, parse_conf("[/a]\nrate = 5\npersist = maybe\n", &c, err));
	EXPECT_NE(NULL, strstr(err, "persist is yes or no"));
	fg_config_free(&c);
}

/* ---- the command line against fake proc files ---------------------------- */

FIXTURE(cli) {
	char dir[64];
	char out[128];
	char written[128];
};

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void mk(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	mkdir(path, 0755);
}

FIXTURE_SETUP(cli)
{
	char env[128];

	unsetenv("COLUMNS");	/* tables as for a pipe, unless a test sets it */
	snprintf(self->dir, sizeof(self->dir), "/tmp/fgctl-unit.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	mk(self->dir, "proc");
	mk(self->dir, "sysctl");
	mk(self->dir, "cg");
	mk(self->dir, "cg/build.slice");
	mk(self->dir, "cg/pods.slice");
	mk(self->dir, "cg/pods.slice/pod-a");
	mk(self->dir, "cg/new");
	mk(self->dir, "cg/odd name\nx");
	mk(self->dir, "etc");
	put(self->dir, "proc/policies", table_text);
	put(self->dir, "proc/stats", stats_text);
	put(self->dir, "sysctl/enabled", "1\n");
	put(self->dir, "sysctl/max_policies", "1024\n");
	snprintf(env, sizeof(env), "%s/proc", self->dir);
	setenv("FORKGOV_PROC", env, 1);
	snprintf(env, sizeof(env), "%s/sysctl", self->dir);
	setenv("FORKGOV_SYSCTL", env, 1);
	snprintf(env, sizeof(env), "%s/cg", self->dir);
	setenv("FORKGOV_CGROUP2", env, 1);
	snprintf(env, sizeof(env), "%s/nomodule", self->dir);
	setenv("FORKGOV_SYSMODULE", env, 1);
	snprintf(self->written, sizeof(self->written), "%s/written",
		 self->dir);
	setenv("FORKGOV_WRITE_TO", self->written, 1);
	snprintf(env, sizeof(env), "%s/applied", self->dir);
	setenv("FORKGOV_STATE", env, 1);
	snprintf(self->out, sizeof(self->out), "%s/out", self->dir);
}

FIXTURE_TEARDOWN(cli)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

/* Run forkgovctl with stdout and stderr in self->out; return its status. */
static int run(const char *out, const char * const *args)
{
	char *argv[32];
	int n = 0, fd, so, se, ret;

	argv[n++] = "forkgovctl";
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	so = dup(1);
	se = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	ret = fgctl_main(n, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(fd);
	close(so);
	close(se);
	return ret;
}

static char *slurp(const char *path)
{
	char *text = NULL;

	if (fg_read_file(path, &text))
		return strdup("");
	return text;
}

static bool json_valid(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "python3 -m json.tool '%s' >/dev/null",
		 path);
	return system(cmd) == 0;
}

#define RUN(...)	run(self->out, (const char *[]){ __VA_ARGS__, NULL })

TEST_F(cli, set_writes_one_line)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("set", "build.slice", "rate", "50/s", "burst",
				  "200", "action", "throttle", "max-delay",
				  "2s", "scope", "per-child", "count", "tasks",
				  "mt-warn", "on"));
	w = slurp(self->written);
	ASSERT_EQ(0, strncmp(w, "set /build.slice rate=50/s burst=200 action=throttle ", 53));
	EXPECT_STREQ("max_delay=2000 scope=per-child count=tasks mt_warn=on\n", w + 53);
	free(w);
}

TEST_F(cli, set_deny_delay)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("set", "build.slice", "rate", "5", "deny-delay",
				  "250ms"));
	w = slurp(self->written);
	EXPECT_STREQ("set /build.slice rate=5/s deny_delay=250\n", w);
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "build.slice", "rate", "5",
				     "deny-delay", "11s"));
}

TEST_F(cli, prefixes_and_absolute_paths)
{
	char path[128], *w;

	snprintf(path, sizeof(path), "%s/cg/pods.slice/pod-a/", self->dir);
	ASSERT_EQ(FG_EXIT_OK, RUN("se", path, "r", "1.5/min", "m", "500ms"));
	w = slurp(self->written);
	EXPECT_STREQ("set /pods.slice/pod-a rate=1.5/min max_delay=500\n", w);
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("s", "/build.slice"));	/* show */
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "policy /build.slice"));
	free(w);
}

struct usage_case {
	const char *args[8];
	int exit;
	const char *msg;
};

static const struct usage_case usage_cases[] = {
	{ { "set", "/build.slice", "rate", "2000000" }, FG_EXIT_USAGE,
	  "out of range" },
	{ { "set", "/build.slice", "burst", "5" }, FG_EXIT_USAGE,
	  "a rate is required" },
	{ { "set", "/build.slice", "rate", "5", "speed", "3" }, FG_EXIT_USAGE,
	  "what is 'speed'?" },
	{ { "set", "/build.slice", "rate" }, FG_EXIT_USAGE, "needs at least" },
	{ { "set", "/build.slice", "rate", "5", "burst" }, FG_EXIT_USAGE,
	  "'burst' needs a value" },
	{ { "set", "/nope", "rate", "5" }, FG_EXIT_USAGE,
	  "cgroup /nope does not exist" },
	{ { "set", "/etc/passwd", "rate", "5" }, FG_EXIT_USAGE,
	  "is not a cgroup" },
	{ { "set", "/a/../b", "rate", "5" }, FG_EXIT_USAGE, "'..'" },
	{ { "fl" }, FG_EXIT_USAGE, "must be spelled out" },
	{ { "frobnicate" }, FG_EXIT_USAGE, "unknown command" },
	{ { "del", "/new" }, FG_EXIT_NOTFOUND, "no policy on /new" },
	{ { "show", "/new" }, FG_EXIT_NOTFOUND, "no policy on /new" },
	{ { "list", "x" }, FG_EXIT_USAGE, "takes no arguments" },
	{ { "sysctl", "../x" }, FG_EXIT_USAGE, "not a forkgov knob" },
	{ { "sysctl", "nosuch" }, FG_EXIT_USAGE, "no knob" },
	{ { "suggest", "/new" }, FG_EXIT_NOTFOUND, "no policy on /new" },
	{ { "watch", "interval", "0.01" }, FG_EXIT_USAGE, "interval" },
	{ { "apply", "/nonexistent.conf" }, FG_EXIT_CONFIG, "cannot read" },
};

TEST_F(cli, usage_errors)
{
	size_t i;
	char *w;

	for (i = 0; i < ARRAY_SIZE(usage_cases); i++) {
		const struct usage_case *c = &usage_cases[i];

		TH_LOG("case %zu: %s %s", i, c->args[0], c->args[1] ?: "");
		EXPECT_EQ(c->exit, run(self->out, c->args));
		w = slurp(self->out);
		EXPECT_NE(NULL, strstr(w, c->msg)) TH_LOG("got: %s", w);
		free(w);
	}
	w = slurp(self->written);
	EXPECT_STREQ("", w);	/* nothing was written */
	free(w);
}

/*
 * A negative number is a value, not an option: the error names the key
 * and the value instead of getopt's "invalid option -- '1'" and the usage.
 * Options still go anywhere, also after one.
 */
TEST_F(cli, negative_value_names_key)
{
	char *w;

	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "rate", "5", "burst", "-1"));
	w = slurp(self->out);
	EXPECT_STREQ("Error: burst '-1': bad burst: an integer from 1 to 1000000\n", w);
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "rate", "-5"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "rate '-5': bad rate")) TH_LOG("%s", w);
	EXPECT_EQ(NULL, strstr(w, "Usage:"));
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "max-delay", "-10", "-j",
				     "rate", "5"));
	EXPECT_TRUE(json_valid(self->out));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "max-delay '-10': bad max-delay")) TH_LOG("%s", w);
	free(w);
	/* after "--" nothing is an option */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "rate", "5", "--", "burst", "-j"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Error: burst '-j': bad burst")) TH_LOG("%s", w);
	free(w);
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);
}

TEST_F(cli, errors_are_json_in_json_mode)
{
	char *w;

	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "set", "/build.slice", "rate", "x"));
	EXPECT_TRUE(json_valid(self->out));
	w = slurp(self->out);
	EXPECT_EQ('{', w[0]);
	EXPECT_NE(NULL, strstr(w, "\"error\""));
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "-j", "/build.slice", "what"));
	EXPECT_TRUE(json_valid(self->out));
}

TEST_F(cli, module_not_loaded)
{
	char path[128], *w;

	snprintf(path, sizeof(path), "%s/proc/policies", self->dir);
	unlink(path);
	EXPECT_EQ(FG_EXIT_NOMOD, RUN("list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "forkgov is not loaded"));
	EXPECT_NE(NULL, strstr(w, "modprobe forkgov"));
	free(w);
	EXPECT_EQ(FG_EXIT_NOMOD, RUN("flush"));
	EXPECT_EQ(FG_EXIT_NOMOD, RUN("status"));
	EXPECT_EQ(FG_EXIT_NOMOD, RUN("-j", "status"));
	EXPECT_TRUE(json_valid(self->out));
}

struct errno_case {
	int err;
	const char *msg;
};

static const struct errno_case errno_cases[] = {
	{ EPERM, "CAP_SYS_ADMIN" },
	{ ENOENT, "no such cgroup" },
	{ EINVAL, "malformed" },
	{ ERANGE, "out of range" },
	{ ENOSPC, "max_policies = 1024" },
	{ E2BIG, "too large" },
	{ EBUSY, "ftrace_enabled" },
	{ EACCES, "CAP_SYS_ADMIN" },
};

TEST_F(cli, errno_sentences)
{
	size_t i;
	int fd;
	char *w;

	for (i = 0; i < ARRAY_SIZE(errno_cases); i++) {
		fd = open(self->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ASSERT_GE(fd, 0);
		fflush(stderr);
		dup2(fd, 2);
		fg_explain(errno_cases[i].err, "set /x");
		close(fd);
		w = slurp(self->out);
		TH_LOG("%s", w);
		EXPECT_NE(NULL, strstr(w, errno_cases[i].msg));
		EXPECT_NE(NULL, strstr(w, "set /x"));
		free(w);
		EXPECT_EQ(FG_EXIT_KERNEL, fg_errno_exit(errno_cases[i].err));
	}
}

TEST_F(cli, list_table)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("list"));
	w = slurp(self->out);
	EXPECT_EQ(0, strncmp(w, "CGROUP ", 7));
	EXPECT_NE(NULL, strstr(w, "\n/build.slice "));
	EXPECT_NE(NULL, strstr(w, "\n  /pods.slice/pod-a "));
	EXPECT_NE(NULL, strstr(w, "make[4242] /build.slice/job-7"));
	EXPECT_NE(NULL, strstr(w, "deny/child"));
	EXPECT_NE(NULL, strstr(w, "120/min"));
	free(w);
}

/* LOGGED, --noheadings and -o; refused where there is no table. */
TEST_F(cli, list_columns)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, " THROTTLED  LOGGED  PEAK/s "));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "-o", "CGROUP,logged,denied", "--noheadings"));
	w = slurp(self->out);
	EXPECT_STREQ("/build.slice         0  0\n"
		     "/pods.slice          0  3\n"
		     "  /pods.slice/pod-a  0  3\n"
		     "/odd name\\x0ax       2  0\n", w);
	free(w);
	/* --raw: one space between cells, a space in one is \x20 */
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--raw", "-o", "cgroup,logged,last"));
	w = slurp(self->out);
	EXPECT_STREQ("CGROUP LOGGED LAST\n"
		     "/build.slice 0 make[4242]\\x20/build.slice/job-7\n"
		     "/pods.slice 0 -\n"
		     "/pods.slice/pod-a 0 a\\x20\"b\\x5c[77]\\x20/pods.slice/pod-a\n"
		     "/odd\\x20name\\x0ax 2 x[5]\\x20(removed)\n", w);
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "-r", "--noheadings", "-o", "rate"));
	w = slurp(self->out);
	EXPECT_EQ(NULL, strstr(w, "RATE"));
	EXPECT_EQ(NULL, strchr(w, ' '));
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "list", "--raw"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("status", "--raw"));
	ASSERT_EQ(FG_EXIT_OK, RUN("--output=last,cgroup", "list"));
	w = slurp(self->out);
	EXPECT_EQ(0, strncmp(w, "LAST OFFENDER                   CGROUP\n", 39)) TH_LOG("%s", w);
	EXPECT_NE(NULL, strstr(w, "\nmake[4242] /build.slice/job-7   /build.slice\n"));
	free(w);

	EXPECT_EQ(FG_EXIT_USAGE, RUN("list", "-o", "cgroup,speed"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "no column 'speed'; the columns are cgroup,rate,burst,action,tokens,allowed,denied,throttled,logged,peak,state,owner,last"));
	free(w);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("list", "-o", ""));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("list", "-o", "cgroup,"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "list", "-o", "cgroup"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("list", "--prometheus", "--noheadings"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("show", "/build.slice", "--noheadings"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "rate", "5", "-o", "cgroup"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "-o, --noheadings and --raw go with list and watch (--noheadings also with mt), not with set"));
	free(w);
	EXPECT_NE(0, access(self->written, F_OK));	/* nothing written */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "-o", "denied,burst", "iterations", "1"));
}

#define K8S_LONG "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ \
	".slice/cri-containerd-" CID ".scope"

static const char long_table[] =
	"policy /kubepods.slice rate=20/s burst=20 action=throttle max_delay=2000 scope=per-child count=forks mt_warn=inherit tokens=1 allowed=9 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=4 last_pid=77 last_comm=bomb last_cgroup=" K8S_LONG "\n"
	"child " K8S_LONG " policy=/kubepods.slice tokens=3 allowed=9 denied=2 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=4 last_pid=77 last_comm=bomb last_cgroup=" K8S_LONG "\n"
	"policy /b rate=5/s burst=5 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n";

/*
 * In an 80-column terminal: every line fits but those that are one whole
 * path; a path never cut.  No trailing blanks.
 */
static void fits(struct __test_metadata *_metadata, const char *text, int cols)
{
	char *copy = strdup(text), *cur = copy, *line, *p, *q;
	int paths = 0;

	while ((line = strsep(&cur, "\n"))) {
		size_t len = strlen(line);

		if (len && line[len - 1] == ' ')
			TH_LOG("trailing blank: '%s'", line);
		EXPECT_FALSE(len && line[len - 1] == ' ');
		if ((int)len <= cols)
			continue;
		/* a line past the width holds one path, maybe after comm[pid] */
		p = line + strspn(line, " ");
		q = strchr(p, ']');
		if (q && q[1] == ' ')
			p = q + 2;
		EXPECT_STREQ(K8S_LONG, p);
		paths++;
	}
	EXPECT_GT(paths, 0);
	free(copy);
}

TEST_F(cli, terminal_width)
{
	char *w;

	put(self->dir, "proc/policies", long_table);
	setenv("COLUMNS", "80", 1);
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "-o", "cgroup,rate,denied,logged,last"));
	w = slurp(self->out);
	fits(_metadata, w, 80);
	EXPECT_NE(NULL, strstr(w, "\n  " K8S_LONG "\n          "));
	EXPECT_NE(NULL, strstr(w, "\n    bomb[77] " K8S_LONG "\n"));
	EXPECT_NE(NULL, strstr(w, "\n/b "));
	free(w);
	/* watch: whole paths (once cut to 63 bytes), policies counted apart */
	ASSERT_EQ(FG_EXIT_OK, RUN("watch", "iterations", "1"));
	w = slurp(self->out);
	fits(_metadata, w, 80);
	EXPECT_NE(NULL, strstr(w, "\n  " K8S_LONG "\n"));
	EXPECT_NE(NULL, strstr(w, "policies: 2   child buckets: 1 "));
	EXPECT_NE(NULL, strstr(w, "at the right hidden: a wider terminal or -o shows them)\n"));
	EXPECT_NE(NULL, strstr(w, "\nCGROUP "));
	EXPECT_NE(NULL, strstr(w, " DENIED/s"));
	free(w);
	/* wide enough: nothing hidden */
	setenv("COLUMNS", "200", 1);
	ASSERT_EQ(FG_EXIT_OK, RUN("watch", "iterations", "1"));
	w = slurp(self->out);
	EXPECT_EQ(NULL, strstr(w, "hidden"));
	EXPECT_NE(NULL, strstr(w, "  LAST\n"));
	free(w);
	setenv("COLUMNS", "80", 1);
	ASSERT_EQ(FG_EXIT_OK, RUN("watch", "iterations", "1", "--noheadings", "-o", "cgroup,denied"));
	w = slurp(self->out);
	EXPECT_EQ(NULL, strstr(w, "CGROUP"));
	EXPECT_NE(NULL, strstr(w, "\n/kubepods.slice "));
	free(w);
	/* a pipe without COLUMNS: one line per row, however long */
	unsetenv("COLUMNS");
	ASSERT_EQ(FG_EXIT_OK, RUN("list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\n  " K8S_LONG "  "));
	free(w);
}

TEST_F(cli, owners_and_pending)
{
	char *w, cmd[512];

	put(self->dir, "proc/policies", owner_text);
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--owner", "oci"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, " STATE "));
	EXPECT_NE(NULL, strstr(w, " OWNER "));
	EXPECT_NE(NULL, strstr(w, "\n/hook "));
	EXPECT_EQ(NULL, strstr(w, "/hand"));
	EXPECT_EQ(NULL, strstr(w, "/cfg"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "pending+persist  config"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "list", "--owner", "config"));
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));"
		 "assert [e[\"cgroup\"] for e in d]==[\"/cfg\", \"/gone\"], d;"
		 "assert d[1][\"state\"]==\"pending\" and d[1][\"persist\"] is True;"
		 "assert d[0][\"state\"]==\"active\" and d[0][\"owner\"]==\"config\"' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("list", "--owner", "bad label"));

	/* a cgroup that does not exist: an error, unless it is pending */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/ghost", "rate", "5"));
	ASSERT_EQ(FG_EXIT_OK, RUN("set", "--pending", "--persist", "--owner",
				  "k8s", "/ghost", "rate", "5"));
	w = slurp(self->written);
	EXPECT_STREQ("set /ghost rate=5/s owner=k8s pending persist\n", w);
	free(w);
}

TEST_F(cli, list_json)
{
	char cmd[512];

	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "list"));
	ASSERT_TRUE(json_valid(self->out));
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));"
		 "assert len(d)==3, d;"
		 "assert d[0][\"cgroup\"]==\"/build.slice\" and d[0][\"burst\"]==200;"
		 "assert d[0][\"last\"][\"comm\"]==\"make\";"
		 "assert d[1][\"tokens\"]==-3 and d[1][\"last\"] is None;"
		 "assert d[1][\"children\"][0][\"last\"][\"comm\"]==\"a \\\"b\\\\\";"
		 "assert d[2][\"cgroup\"]==\"/odd name\\nx\" and d[2][\"rate_per_s\"]==0.5' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));
	ASSERT_EQ(FG_EXIT_OK, RUN("-p", "show", "/pods.slice"));
	ASSERT_TRUE(json_valid(self->out));
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "show", "/pods.slice/pod-a"));
	ASSERT_TRUE(json_valid(self->out));
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "status"));
	ASSERT_TRUE(json_valid(self->out));
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "sysctl"));
	ASSERT_TRUE(json_valid(self->out));
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "version"));
	ASSERT_TRUE(json_valid(self->out));
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "suggest", "/build.slice"));
	ASSERT_TRUE(json_valid(self->out));
}

/*
 * Prometheus text format, line by line: comments are HELP or TYPE, a
 * family's TYPE comes once and before its samples, label values are
 * quoted (backslash, double quote and newline escaped), values are numbers.
 */
static int check_prom_line(const char *line, char *families, char *why)
{
	const char *p = line, *lb;
	char name[128];
	size_t n;
	char *end;

	if (!strncmp(line, "# HELP ", 7))
		return 0;
	if (!strncmp(line, "# TYPE ", 7)) {
		n = strcspn(line + 7, " ");
		snprintf(name, sizeof(name), "|%.*s|", (int)n, line + 7);
		if (strstr(families, name)) {
			sprintf(why, "TYPE twice");
			return -1;
		}
		strcat(families, name);
		p = line + 7 + n + 1;
		if (strcmp(p, "gauge") && strcmp(p, "counter")) {
			sprintf(why, "bad type");
			return -1;
		}
		return 0;
	}
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (!n) {
		sprintf(why, "no metric name");
		return -1;
	}
	snprintf(name, sizeof(name), "|%.*s|", (int)n, p);
	if (!strstr(families, name)) {
		sprintf(why, "sample before its TYPE");
		return -1;
	}
	p += n;
	if (*p == '{') {
		for (p++; *p != '}'; ) {
			lb = p;
			p += strspn(p, "abcdefghijklmnopqrstuvwxyz_");
			if (p == lb || p[0] != '=' || p[1] != '"') {
				sprintf(why, "bad label");
				return -1;
			}
			for (p += 2; *p != '"'; p++) {
				if (!*p || *p == '\n') {
					sprintf(why, "unterminated label");
					return -1;
				}
				if (*p == '\\' && !strchr("\\\"n", *++p)) {
					sprintf(why, "bad escape");
					return -1;
				}
			}
			p++;
			if (*p == ',') {
				p++;
			} else if (*p != '}') {
				sprintf(why, "bad label separator");
				return -1;
			}
		}
		p++;
	}
	if (*p++ != ' ') {
		sprintf(why, "no space before value");
		return -1;
	}
	strtod(p, &end);
	if (end == p || *end) {
		sprintf(why, "bad value");
		return -1;
	}
	return 0;
}

/* check_prom_line() on every line of the file at PATH: the bad ones, logged. */
static int check_prom_file(const char *path, char *families)
{
	char *text = slurp(path), *cur = text, *line, why[64] = "";
	int bad = 0;

	if (!text)
		return -1;
	while ((line = strsep(&cur, "\n"))) {
		if (*line && check_prom_line(line, families, why)) {
			fprintf(stderr, "# %s: %s\n", why, line);
			bad++;
		}
	}
	free(text);
	return bad;
}

#define BUILD_LABELS	"cgroup=\"/build.slice\",policy=\"/build.slice\",kind=\"policy\""

TEST_F(cli, prometheus_format)
{
	char *text, *line, *cur, families[4096] = "", why[64] = "";
	int lines = 0;

	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--prometheus"));
	text = slurp(self->out);
	cur = text;
	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		lines++;
		EXPECT_EQ(0, check_prom_line(line, families, why))
			TH_LOG("%s: %s", why, line);
	}
	EXPECT_GT(lines, 40);
	free(text);
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "forkgov_allowed_total{" BUILD_LABELS "} 5000\n"));
	EXPECT_NE(NULL, strstr(text, "cgroup=\"/odd name\\nx\""));
	EXPECT_NE(NULL, strstr(text, "forkgov_throttle_seconds_total{" BUILD_LABELS "} 0.08\n"));
	EXPECT_NE(NULL, strstr(text, "forkgov_global_hook_hits_total 104233\n"));
	EXPECT_NE(NULL, strstr(text, "forkgov_build_info{version=\"0.1.0\"} 1\n"));
	free(text);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "list", "--prometheus"));
}

/* ---- mt: the offenders of the fork-without-exec reporter ------------- */

static const char offenders_text[] =
	"comm=python3.11 cgroup=/bomb cgroup_id=4242 count=90 first=1700000000 last=1700000020 pid=31337 exe=/usr/bin/python3.11 newkey=1\n"
	"comm=a\\040\"b\\134\\033 cgroup=/odd\\040name\\012x cgroup_id=7 count=3 first=1700000100 last=1700000100 pid=- exe=-\n"
	"comm=worker cgroup=/ cgroup_id=1 count=1200 first=1700000005 last=1700000300 pid=77 exe=/opt/w\\040x/worker\n";

TEST(offenders_parse)
{
	struct fg_offenders t;
	const char *why = "";
	char *text = strdup(offenders_text);

	ASSERT_EQ(0, fg_offenders_parse(text, &t, &why));
	ASSERT_EQ(3, t.n);
	/* most prolific first */
	EXPECT_STREQ("worker", t.v[0].comm);
	EXPECT_EQ(1200, t.v[0].count);
	EXPECT_STREQ("/opt/w x/worker", t.v[0].exe);
	EXPECT_STREQ("python3.11", t.v[1].comm);
	EXPECT_STREQ("/bomb", t.v[1].cgroup);
	EXPECT_EQ(4242, t.v[1].cgroup_id);
	EXPECT_EQ(1700000000, t.v[1].first);
	EXPECT_EQ(1700000020, t.v[1].last);
	EXPECT_EQ(31337, t.v[1].pid);
	EXPECT_STREQ("a \"b\\\033", t.v[2].comm);
	EXPECT_STREQ("/odd name\nx", t.v[2].cgroup);
	EXPECT_EQ(0, t.v[2].pid);
	EXPECT_EQ(NULL, t.v[2].exe);
	fg_offenders_free(&t);
	free(text);

	text = strdup("comm=x cgroup=/ count=12x\n");
	EXPECT_EQ(-EINVAL, fg_offenders_parse(text, &t, &why));
	EXPECT_STREQ("a number that is not one", why);
	free(text);
	text = strdup("comm=x count=1\n");
	EXPECT_EQ(-EINVAL, fg_offenders_parse(text, &t, &why));
	free(text);
	text = strdup("comm=x comm=y cgroup=/\n");
	EXPECT_EQ(-EINVAL, fg_offenders_parse(text, &t, &why));
	EXPECT_STREQ("a key given twice", why);
	free(text);
	text = strdup("");
	EXPECT_EQ(0, fg_offenders_parse(text, &t, &why));
	EXPECT_EQ(0, t.n);
	free(text);
}

/* Offenders in pods, of kubelet's two cgroup drivers, and one elsewhere. */
#define MT_POD		"0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define MT_POD_		"0a1b2c3d_4e5f_6789_abcd_ef0123456789"
#define MT_CID		"4f3a9c0d2b1e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b"
static const char k8s_offenders_text[] =
	"comm=java cgroup=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	MT_POD_ ".slice/cri-containerd-" MT_CID ".scope cgroup_id=9 count=40 first=1 last=2 pid=5 exe=-\n"
	"comm=sh cgroup=/kubepods/besteffort/pod" MT_POD " cgroup_id=8 count=20 first=1 last=2 pid=- exe=-\n"
	"comm=make cgroup=/build.slice cgroup_id=7 count=10 first=1 last=2 pid=- exe=-\n";

/* "mt" attributes an offender in a pod's cgroup as list does a policy. */
TEST_F(cli, mt_offenders_k8s)
{
	char cmd[2048], *text, families[4096] = "";

	put(self->dir, "proc/mt_offenders", k8s_offenders_text);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "mt"));
	ASSERT_TRUE(json_valid(self->out));
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));"
		 "assert [o[\"comm\"] for o in d]==[\"java\",\"sh\",\"make\"], d;"
		 "assert d[0][\"k8s\"]=={\"pod_uid\":\"" MT_POD "\",\"qos\":\"burstable\","
		 "\"container_id\":\"" MT_CID "\",\"runtime\":\"cri-containerd\"}, d[0];"
		 "assert d[1][\"k8s\"]=={\"pod_uid\":\"" MT_POD "\",\"qos\":\"besteffort\","
		 "\"container_id\":None,\"runtime\":None}, d[1];"
		 "assert d[2][\"k8s\"] is None, d[2]' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));

	ASSERT_EQ(FG_EXIT_OK, RUN("mt", "--prometheus"));
	EXPECT_EQ(0, check_prom_file(self->out, families));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "cri-containerd-" MT_CID ".scope\",pod_uid=\"" MT_POD
			       "\",qos=\"burstable\",container_id=\"" MT_CID "\"} 40\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "cgroup=\"/kubepods/besteffort/pod" MT_POD
			       "\",pod_uid=\"" MT_POD "\",qos=\"besteffort\"} 20\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "{comm=\"make\",cgroup=\"/build.slice\"} 10\n"));
	free(text);
}

/* The table, JSON and Prometheus of "mt"; a control byte never raw. */
TEST_F(cli, mt_offenders)
{
	char cmd[1024], *text, families[4096] = "";

	put(self->dir, "proc/mt_offenders", offenders_text);
	setenv("TZ", "UTC", 1);
	ASSERT_EQ(FG_EXIT_OK, RUN("mt"));
	text = slurp(self->out);
	EXPECT_EQ(0, strncmp(text, "COUNT  FIRST SEEN", 17)) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\n 1200  2023-11-14 22:13:25  2023-11-14 22:18:20     77  worker"));
	EXPECT_NE(NULL, strstr(text, "python3.11"));
	EXPECT_NE(NULL, strstr(text, "/bomb"));
	EXPECT_NE(NULL, strstr(text, "/usr/bin/python3.11\n"));
	EXPECT_NE(NULL, strstr(text, "a \"b\\x5c\\x1b"));
	EXPECT_NE(NULL, strstr(text, "/odd name\\x0ax"));
	EXPECT_EQ(NULL, strchr(text, '\033'));
	free(text);
	ASSERT_EQ(FG_EXIT_OK, RUN("mt", "--noheadings"));
	text = slurp(self->out);
	EXPECT_EQ(NULL, strstr(text, "COUNT"));
	free(text);

	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "mt"));
	ASSERT_TRUE(json_valid(self->out));
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));"
		 "assert len(d)==3, d;"
		 "assert d[0][\"comm\"]==\"worker\" and d[0][\"count\"]==1200;"
		 "assert d[1][\"cgroup\"]==\"/bomb\" and d[1][\"pid\"]==31337;"
		 "assert d[1][\"first\"]==1700000000 and d[1][\"last\"]==1700000020;"
		 "assert d[1][\"exe\"]==\"/usr/bin/python3.11\" and d[1][\"cgroup_id\"]==4242;"
		 "assert d[2][\"comm\"]==\"a \\\"b\\\\\\x1b\" and d[2][\"pid\"] is None and d[2][\"exe\"] is None;"
		 "assert d[2][\"cgroup\"]==\"/odd name\\nx\"' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));

	ASSERT_EQ(FG_EXIT_OK, RUN("mt", "--prometheus"));
	EXPECT_EQ(0, check_prom_file(self->out, families));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "# TYPE forkgov_mt_offender_reports_total counter\n"));
	EXPECT_NE(NULL, strstr(text, "forkgov_mt_offender_reports_total{comm=\"python3.11\",cgroup=\"/bomb\"} 90\n"));
	EXPECT_NE(NULL, strstr(text, "forkgov_mt_offender_reports_total{comm=\"a \\\"b\\\\\\\\x1b\",cgroup=\"/odd name\\nx\"} 3\n"))
		TH_LOG("%s", text);
	free(text);

	EXPECT_EQ(FG_EXIT_USAGE, RUN("mt", "x"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("mt", "-o", "count"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("mt", "--raw"));
	put(self->dir, "proc/mt_offenders", "comm=x cgroup=/ count=many\n");
	EXPECT_EQ(FG_EXIT_SYSTEM, RUN("mt"));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "cannot understand")) TH_LOG("%s", text);
	free(text);
	put(self->dir, "proc/mt_offenders", "");
	ASSERT_EQ(FG_EXIT_OK, RUN("mt"));
	text = slurp(self->out);
	EXPECT_STREQ("no offenders\n", text);
	free(text);
}

static const char k8s_table[] =
	"policy /kubepods.slice rate=20/s burst=20 action=throttle max_delay=2000 scope=per-child count=forks mt_warn=inherit tokens=1 allowed=9 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=4 last_pid=- last_comm=- last_cgroup=-\n"
	"child /kubepods.slice/kubepods-pod" UID_ ".slice policy=/kubepods.slice tokens=3 allowed=9 denied=2 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=4 last_pid=77 last_comm=bomb last_cgroup=/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" CID ".scope\n";

#define POD_LABELS "cgroup=\"/kubepods.slice/kubepods-pod" UID_ ".slice\",policy=\"/kubepods.slice\",kind=\"child\",pod_uid=\"" UID "\",qos=\"guaranteed\""

/* Pod and container in JSON, Prometheus and show, for a platform team. */
TEST_F(cli, k8s_attribution)
{
	char cmd[1024], *text;

	put(self->dir, "proc/policies", k8s_table);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "list"));
	ASSERT_TRUE(json_valid(self->out));
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));"
		 "assert d[0][\"k8s\"] is None, d[0];"
		 "c=d[0][\"children\"][0];"
		 "assert c[\"k8s\"]=={\"pod_uid\":\"%s\",\"qos\":\"guaranteed\",\"container_id\":None,\"runtime\":None}, c;"
		 "assert c[\"last\"][\"k8s\"]=={\"pod_uid\":\"%s\",\"qos\":\"guaranteed\",\"container_id\":\"%s\",\"runtime\":\"cri-containerd\"}, c' %s",
		 UID, UID, CID, self->out);
	EXPECT_EQ(0, system(cmd));
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--prometheus"));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "forkgov_denied_total{" POD_LABELS "} 2\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "forkgov_denied_total{cgroup=\"/kubepods.slice\",policy=\"/kubepods.slice\",kind=\"policy\"} 0\n"));
	free(text);
	ASSERT_EQ(FG_EXIT_OK, RUN("show", "/kubepods.slice"));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "\tpod " UID " (guaranteed)  container -\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\tlast offender pod " UID " (guaranteed)  container cri-containerd://" CID "\n"))
		TH_LOG("%s", text);
	free(text);
}

/* All samples of a file valid, HELP/TYPE first; its forkgov_up value. */
static int prom_file_up(struct __test_metadata *_metadata, const char *path)
{
	char *text = slurp(path), *cur = text, *line, families[4096] = "";
	char why[64] = "";
	int up = -1;

	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		EXPECT_EQ(0, check_prom_line(line, families, why))
			TH_LOG("%s: %s", why, line);
		if (!strncmp(line, "forkgov_up ", 11))
			up = atoi(line + 11);
	}
	free(text);
	return up;
}

/* metrics FILE: atomic, always with forkgov_up, 0 when the module is gone. */
TEST_F(cli, metrics_textfile)
{
	char prom[160], path[160], cmd[256], *text;

	snprintf(prom, sizeof(prom), "%s/forkgov.prom", self->dir);
	ASSERT_EQ(FG_EXIT_OK, RUN("metrics", prom));
	EXPECT_EQ(1, prom_file_up(_metadata, prom));
	text = slurp(prom);
	EXPECT_NE(NULL, strstr(text, "forkgov_allowed_total{" BUILD_LABELS "} 5000\n"));
	EXPECT_NE(NULL, strstr(text, "forkgov_global_hook_hits_total 104233\n"));
	free(text);
	/* no temporary file is left beside it */
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls '%s' | grep tmp)\"", self->dir);
	EXPECT_EQ(0, system(cmd));

	/* The module goes: the old file is replaced by one that says so. */
	snprintf(path, sizeof(path), "%s/proc/policies", self->dir);
	unlink(path);
	ASSERT_EQ(FG_EXIT_OK, RUN("metrics", prom));
	EXPECT_EQ(0, prom_file_up(_metadata, prom));
	text = slurp(prom);
	EXPECT_EQ(NULL, strstr(text, "forkgov_allowed_total"));
	free(text);
	text = slurp(self->out);
	EXPECT_STREQ("", text);		/* absent is a state, not an error */
	free(text);

	/* A table it cannot read: forkgov_up 0, and the error. */
	put(self->dir, "proc/policies", "policy /x rate=banana\n");
	EXPECT_EQ(FG_EXIT_SYSTEM, RUN("metrics", prom));
	EXPECT_EQ(0, prom_file_up(_metadata, prom));

	/* Bad use, and a directory it cannot write: nothing changes. */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("metrics"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("metrics", prom, prom));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "metrics", prom));
	snprintf(path, sizeof(path), "%s/nodir/forkgov.prom", self->dir);
	EXPECT_EQ(FG_EXIT_SYSTEM, RUN("metrics", path));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "cannot create")) TH_LOG("%s", text);
	free(text);
}

/* A pid that is no process now: a child that has exited and been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static bool exists(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !lstat(path, &st);
}

/*
 * A killed run leaves forkgov.prom.PID.tmp: the next run removes those of
 * dead pids, of its own pid (from an earlier process), and any older than a
 * minute; nothing else: not a live run's, not a symlink or a directory of
 * that name, not a name of another form.
 */
TEST_F(cli, metrics_removes_stale_tmp)
{
	char prom[160], dead[64], mine[64], live[64], old[64], link[64];
	char subdir[64], target[160], path[256], *text;
	struct timespec ts[2] = { { .tv_sec = time(NULL) - 120 },
				  { .tv_sec = time(NULL) - 120 } };
	static const char * const others[] = {
		"forkgov.prom.12x.tmp", "forkgov.prom..tmp", "forkgov.prom.0.tmp",
		"other.prom.1.tmp", "forkgov.prom.1.tmp.keep", "forkgov.prom.tmp",
	};
	size_t i;

	snprintf(prom, sizeof(prom), "%s/forkgov.prom", self->dir);
	snprintf(dead, sizeof(dead), "forkgov.prom.%d.tmp", dead_pid());
	snprintf(mine, sizeof(mine), "forkgov.prom.%d.tmp", getpid());
	snprintf(live, sizeof(live), "forkgov.prom.%d.tmp", getppid());
	snprintf(old, sizeof(old), "forkgov.prom.%d.tmp", 1);
	snprintf(link, sizeof(link), "forkgov.prom.%d.tmp", dead_pid());
	snprintf(subdir, sizeof(subdir), "forkgov.prom.%d.tmp", dead_pid());
	put(self->dir, dead, "half a fi");
	put(self->dir, mine, "half a fi");
	put(self->dir, live, "being written");
	put(self->dir, old, "from long ago");
	snprintf(path, sizeof(path), "%s/%s", self->dir, old);
	ASSERT_EQ(0, utimensat(AT_FDCWD, path, ts, 0));
	put(self->dir, "target", "not a metrics file");
	snprintf(target, sizeof(target), "%s/target", self->dir);
	snprintf(path, sizeof(path), "%s/%s", self->dir, link);
	ASSERT_EQ(0, symlink(target, path));
	mk(self->dir, subdir);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		put(self->dir, others[i], "x");

	ASSERT_EQ(FG_EXIT_OK, RUN("metrics", prom));
	EXPECT_EQ(1, prom_file_up(_metadata, prom));
	EXPECT_FALSE(exists(self->dir, dead));
	EXPECT_FALSE(exists(self->dir, mine));
	EXPECT_FALSE(exists(self->dir, old));
	EXPECT_TRUE(exists(self->dir, live));
	EXPECT_TRUE(exists(self->dir, link));
	EXPECT_TRUE(exists(self->dir, subdir));
	text = slurp(target);
	EXPECT_STREQ("not a metrics file", text);
	free(text);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		EXPECT_TRUE(exists(self->dir, others[i])) TH_LOG("other name %zu", i);
	/* a relative FILE: the current directory's */
	snprintf(path, sizeof(path), "%s", self->dir);
	ASSERT_EQ(0, chdir(path));
	put(self->dir, dead, "half a fi");
	ASSERT_EQ(FG_EXIT_OK, RUN("metrics", "forkgov.prom"));
	EXPECT_FALSE(exists(self->dir, dead));
	EXPECT_EQ(0, chdir("/"));
	/* a directory is not a FILE */
	snprintf(path, sizeof(path), "%s/", self->dir);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("metrics", path));
}

/* Every line valid Prometheus text; the number of samples. */
static int prom_check_all(struct __test_metadata *_metadata, const char *path)
{
	char *text = slurp(path), *cur = text, *line, families[4096] = "";
	char why[64] = "";
	int samples = 0;

	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		samples += *line != '#';
		EXPECT_EQ(0, check_prom_line(line, families, why))
			TH_LOG("%s: %s", why, line);
	}
	free(text);
	return samples;
}

/*
 * forkgov_policy_info names its policy as the other families do; every
 * family has a HELP of its own; label values are UTF-8, other bytes \xHH.
 */
TEST_F(cli, prometheus_info_help_utf8)
{
	char cmd[512], *text;

	put(self->dir, "proc/stats",
	    "version 0.1.0\nenabled 1\ndenied 200\nlineage_max_depth 7\nnew_thing 3\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--prometheus"));
	EXPECT_GT(prom_check_all(_metadata, self->out), 30);
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "\nforkgov_policy_info{" BUILD_LABELS
			       ",action=\"throttle\",scope=\"subtree\",count=\"forks\"} 1\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nforkgov_policy_info{cgroup=\"/pods.slice\",policy=\"/pods.slice\",kind=\"policy\",action=\"deny\""));
	/* a policy's info only: child buckets have none */
	EXPECT_EQ(NULL, strstr(text, "forkgov_policy_info{cgroup=\"/pods.slice/pod-a\""));
	EXPECT_NE(NULL, strstr(text, "# HELP forkgov_global_denied_total Governed forks that were denied.\n"));
	EXPECT_NE(NULL, strstr(text, "# TYPE forkgov_global_lineage_max_depth gauge\n"));
	EXPECT_NE(NULL, strstr(text, "# HELP forkgov_global_new_thing_total Value new_thing of /proc/forkgov/stats, unknown to this forkgovctl.\n"));
	EXPECT_EQ(NULL, strstr(text, "global value"));
	free(text);
	/* every TYPE has a HELP before it, and no HELP is empty or a name */
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys\n"
		 "help = {}\n"
		 "for l in open(sys.argv[1], encoding=\"utf-8\"):\n"
		 "    w = l.split(\" \", 3)\n"
		 "    if w[:2] == [\"#\", \"HELP\"]: help[w[2]] = w[3].strip()\n"
		 "    if w[:2] == [\"#\", \"TYPE\"]: assert len(help.get(w[2], \"\").split()) > 2, l\n' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));

	/* / u 0xff é, an overlong '/', a quote, a backslash, a C1 control */
	put(self->dir, "proc/policies",
	    "policy /u\\377\\303\\251\\300\\257\"q\\134z\\302\\205 rate=5/s burst=5 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--prometheus"));
	EXPECT_GT(prom_check_all(_metadata, self->out), 10);
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "{cgroup=\"/u\\\\xff\xc3\xa9\\\\xc0\\\\xaf\\\"q\\\\z\\\\xc2\\\\x85\",policy=\"/u\\\\xff"))
		TH_LOG("%s", text);
	free(text);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys; open(sys.argv[1], \"rb\").read().decode(\"utf-8\")' %s",
		 self->out);
	EXPECT_EQ(0, system(cmd));
}

/* status --prometheus: up, the counters and the knobs; never ignored. */
TEST_F(cli, status_prometheus)
{
	char path[160], *text;

	ASSERT_EQ(FG_EXIT_OK, RUN("status", "--prometheus"));
	EXPECT_GT(prom_check_all(_metadata, self->out), 10);
	text = slurp(self->out);
	EXPECT_EQ(text, strstr(text, "# HELP forkgov_up "));
	EXPECT_NE(NULL, strstr(text, "\nforkgov_up 1\n"));
	EXPECT_NE(NULL, strstr(text, "\nforkgov_build_info{version=\"0.1.0\"} 1\n"));
	EXPECT_NE(NULL, strstr(text, "\nforkgov_global_hook_hits_total 104233\n"));
	EXPECT_NE(NULL, strstr(text, "\n# TYPE forkgov_knob gauge\n"));
	EXPECT_NE(NULL, strstr(text, "\nforkgov_knob{knob=\"max_policies\"} 1024\n"));
	EXPECT_NE(NULL, strstr(text, "\nforkgov_knob{knob=\"enabled\"} 1\n"));
	EXPECT_EQ(NULL, strstr(text, "enforcing:"));	/* not the text */
	EXPECT_EQ(NULL, strstr(text, "forkgov_policy_info"));
	free(text);

	/* not loaded: forkgov_up 0, and status's exit status */
	snprintf(path, sizeof(path), "%s/proc/policies", self->dir);
	unlink(path);
	EXPECT_EQ(FG_EXIT_NOMOD, RUN("status", "--prometheus"));
	prom_check_all(_metadata, self->out);
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "\nforkgov_up 0\n"));
	EXPECT_EQ(NULL, strstr(text, "forkgov_global_"));
	free(text);

	/* where --prometheus means nothing, it is refused, not ignored */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("sysctl", "--prometheus"));
	text = slurp(self->out);
	EXPECT_NE(NULL, strstr(text, "--prometheus goes with list, show, status and mt, not with sysctl"));
	free(text);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("--prometheus", "watch"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("-j", "status", "--prometheus"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/build.slice", "rate", "5", "--prometheus"));
	EXPECT_NE(0, access(self->written, F_OK));	/* nothing written */
}

TEST_F(cli, apply_dry_run_and_write)
{
	char conf[128], *w;

	snprintf(conf, sizeof(conf), "%s/etc/10-a.conf", self->dir);
	put(self->dir, "etc/10-a.conf",
	    "[/build.slice]\nrate = 50/s\nburst = 200\naction = throttle\n"
	    "max-delay = 2s\n[/new]\nrate = 5\n");
	put(self->dir, "etc/20-b.conf", "[/pods.slice]\nrate = 1\n");
	put(self->dir, "etc/ignored.conf.sample", "this is not read\n");
	snprintf(conf, sizeof(conf), "%s/etc", self->dir);
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", conf, "--dry-run"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "= /build.slice rate 50/s"));
	EXPECT_NE(NULL, strstr(w, "+ /new rate 5/s burst 5"));
	EXPECT_NE(NULL, strstr(w, "~ /pods.slice rate 1/s"));
	EXPECT_NE(NULL, strstr(w, "[scope changes"));
	EXPECT_NE(NULL, strstr(w, "- /odd name\nx (was:"));
	EXPECT_NE(NULL, strstr(w, "1 to add, 1 to replace, 1 to delete, 1 unchanged"));
	free(w);
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);

	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "apply", "--dry-run", conf));
	EXPECT_TRUE(json_valid(self->out));

	ASSERT_EQ(FG_EXIT_OK, RUN("apply", conf));
	w = slurp(self->written);
	EXPECT_STREQ("del /odd\\040name\\012x\nset /new rate=5/s owner=config\n"
		     "set /pods.slice rate=1/s owner=config\n", w);
	free(w);
}

TEST_F(cli, apply_missing_cgroups)
{
	char conf[128], *w, path[160];
	struct stat st;

	snprintf(conf, sizeof(conf), "%s/etc/a.conf", self->dir);
	put(self->dir, "etc/a.conf", "[/ghost]\nrate = 5\n");
	EXPECT_EQ(FG_EXIT_CONFIG, RUN("apply", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "a.conf:1: cgroup /ghost does not exist"));
	free(w);
	EXPECT_EQ(FG_EXIT_OK, RUN("apply", "--skip-missing", "--keep-unmanaged",
				  conf));
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);
	put(self->dir, "etc/a.conf", "[/ghost/inner]\nrate = 5\ncreate = yes\n");
	EXPECT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", conf));
	snprintf(path, sizeof(path), "%s/cg/ghost/inner", self->dir);
	EXPECT_EQ(0, stat(path, &st));
	w = slurp(self->written);
	EXPECT_STREQ("set /ghost/inner rate=5/s owner=config\n", w);
	free(w);
}

/*
 * With no FILE|DIR, apply reads /etc, /run, /usr/local/lib and /usr/lib's
 * forkgov.d as systemd reads its own: same name, first directory wins; a
 * symlink to /dev/null masks; all files in name order.
 */
TEST_F(cli, apply_config_dirs_precedence)
{
	char path[256], *w;

	mk(self->dir, "run");
	mk(self->dir, "run/forkgov.d");
	mk(self->dir, "usr");
	mk(self->dir, "usr/lib");
	mk(self->dir, "usr/lib/forkgov.d");
	mk(self->dir, "etc/forkgov.d");
	put(self->dir, "usr/lib/forkgov.d/10-build.conf",
	    "[/build.slice]\nrate = 1\n");
	put(self->dir, "usr/lib/forkgov.d/20-pods.conf",
	    "[/pods.slice]\nrate = 2\n");
	put(self->dir, "usr/lib/forkgov.d/40-new.conf", "[/new]\nrate = 4\n");
	put(self->dir, "etc/forkgov.d/10-build.conf",
	    "[/build.slice]\nrate = 7\n");
	snprintf(path, sizeof(path), "%s/run/forkgov.d/20-pods.conf",
		 self->dir);
	ASSERT_EQ(0, symlink("/dev/null", path));
	put(self->dir, "run/forkgov.d/40-new.conf", "[/new]\nrate = 5\n");

	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--root", self->dir));
	w = slurp(self->written);
	EXPECT_NE(NULL, strstr(w, "set /build.slice rate=7/s"));
	EXPECT_NE(NULL, strstr(w, "set /new rate=5/s"));
	EXPECT_EQ(NULL, strstr(w, "rate=1/s"));
	EXPECT_EQ(NULL, strstr(w, "rate=4/s"));
	EXPECT_EQ(NULL, strstr(w, "set /pods.slice"));
	/* set lines in the files' name order: 10-build before 40-new */
	EXPECT_LT(strstr(w, "/build.slice"), strstr(w, "/new"));
	free(w);

	/* --root names the directories: no FILE|DIR beside it. */
	snprintf(path, sizeof(path), "%s/etc/forkgov.d", self->dir);
	EXPECT_EQ(FG_EXIT_USAGE, RUN("apply", "--root", self->dir, path));
	/* No directory at all: nothing configured, nothing set. */
	put(self->dir, "written", "");
	snprintf(path, sizeof(path), "%s/empty", self->dir);
	mk(self->dir, "empty");
	EXPECT_EQ(FG_EXIT_OK, RUN("apply", "--root", path, "--dry-run"));
}

/* The configuration directories under --root, most important first. */
static const char * const conf_dirs[] = {
	"etc/forkgov.d", "run/forkgov.d", "usr/local/lib/forkgov.d",
	"usr/lib/forkgov.d",
};

/*
 * Each pair of directories (A before B in the order above): the same name
 * in both reads A's file only; A's symlink to /dev/null masks B's file; and
 * a mask in B comes too late for A's file, which is read.
 */
static int conf_pair(const char *root, int a, int b)
{
	char name[96], text[64], path[256];

	snprintf(name, sizeof(name), "cg/o%d%d", a, b);
	mk(root, name);
	snprintf(name, sizeof(name), "cg/m%d%d", a, b);
	mk(root, name);
	snprintf(name, sizeof(name), "cg/l%d%d", a, b);
	mk(root, name);

	snprintf(name, sizeof(name), "%s/%d%d-over.conf", conf_dirs[a], a, b);
	snprintf(text, sizeof(text), "[/o%d%d]\nrate = %d\n", a, b, a + 1);
	put(root, name, text);
	snprintf(name, sizeof(name), "%s/%d%d-over.conf", conf_dirs[b], a, b);
	snprintf(text, sizeof(text), "[/o%d%d]\nrate = %d\n", a, b, b + 1);
	put(root, name, text);

	snprintf(path, sizeof(path), "%s/%s/%d%d-mask.conf", root, conf_dirs[a], a, b);
	if (symlink("/dev/null", path))
		return -1;
	snprintf(name, sizeof(name), "%s/%d%d-mask.conf", conf_dirs[b], a, b);
	snprintf(text, sizeof(text), "[/m%d%d]\nrate = %d\n", a, b, b + 1);
	put(root, name, text);

	snprintf(name, sizeof(name), "%s/%d%d-late.conf", conf_dirs[a], a, b);
	snprintf(text, sizeof(text), "[/l%d%d]\nrate = %d\n", a, b, a + 1);
	put(root, name, text);
	snprintf(path, sizeof(path), "%s/%s/%d%d-late.conf", root, conf_dirs[b], a, b);
	return symlink("/dev/null", path);
}

/* The whole order of forkgov.d(5), in every pair of its directories. */
TEST_F(cli, apply_config_dirs_every_pair)
{
	char want[96], *w;
	int a, b;

	mk(self->dir, "etc/forkgov.d");
	mk(self->dir, "run");
	mk(self->dir, "run/forkgov.d");
	mk(self->dir, "usr");
	mk(self->dir, "usr/local");
	mk(self->dir, "usr/local/lib");
	mk(self->dir, "usr/local/lib/forkgov.d");
	mk(self->dir, "usr/lib");
	mk(self->dir, "usr/lib/forkgov.d");
	for (a = 0; a < 4; a++)
		for (b = a + 1; b < 4; b++)
			ASSERT_EQ(0, conf_pair(self->dir, a, b));

	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--root", self->dir));
	w = slurp(self->written);
	for (a = 0; a < 4; a++) {
		for (b = a + 1; b < 4; b++) {
			snprintf(want, sizeof(want), "set /o%d%d rate=%d/s owner=config\n",
				 a, b, a + 1);
			EXPECT_NE(NULL, strstr(w, want))
				TH_LOG("%s over %s: %s", conf_dirs[a], conf_dirs[b], w);
			snprintf(want, sizeof(want), "set /m%d%d ", a, b);
			EXPECT_EQ(NULL, strstr(w, want))
				TH_LOG("%s masks %s", conf_dirs[a], conf_dirs[b]);
			snprintf(want, sizeof(want), "set /l%d%d rate=%d/s owner=config\n",
				 a, b, a + 1);
			EXPECT_NE(NULL, strstr(w, want))
				TH_LOG("%s's mask is too late for %s", conf_dirs[b], conf_dirs[a]);
		}
	}
	free(w);
}

TEST_F(cli, apply_config_error_changes_nothing)
{
	char conf[128], *w;

	put(self->dir, "etc/a.conf", "[/build.slice]\nrate = 5\n");
	put(self->dir, "etc/b.conf", "[/build.slice]\nrate = 6\n");
	snprintf(conf, sizeof(conf), "%s/etc", self->dir);
	EXPECT_EQ(FG_EXIT_CONFIG, RUN("apply", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "b.conf:1: [/build.slice] is already defined at"));
	free(w);
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);
}

TEST_F(cli, suggest_reasoning)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("suggest", "/build.slice"));
	w = slurp(self->out);
	/*
	 * peak 230: burst 288 (230 * 1.25); a refill in 10 s would be 23/s,
	 * but the policy (50/s) throttled 310 forks: it stays at 50/s.
	 */
	EXPECT_NE(NULL, strstr(w, "burst 288:"));
	EXPECT_NE(NULL, strstr(w, "rate 50/s: the current rate, kept"));
	EXPECT_NE(NULL, strstr(w, "not in log mode"));
	EXPECT_NE(NULL, strstr(w, "forkgovctl set /build.slice rate 50/s burst 288"));
	/* the 310 throttled forks are over the limit, and the basis says so */
	EXPECT_NE(NULL, strstr(w, "; 5000 allowed at once, 310 over the current limit ("));
	EXPECT_NE(NULL, strstr(w, "(throttled 310, logged 0, denied 0).\n")) TH_LOG("%s", w);
	EXPECT_NE(NULL, strstr(w, "the current limit was reached (310 forks over it)"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "suggest", "/build.slice"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\"over_limit\":310,\"throttled\":310,\"logged\":0,\"denied\":0"))
		TH_LOG("%s", w);
	free(w);
}

/*
 * sample: the average counts every fork attempt, those over the limit
 * too.  While forkgovctl sleeps, 100 forks are allowed, 60 throttled,
 * 30 logged and 10 denied: 200 in one second.
 */
TEST_F(cli, suggest_sample_counts_every_attempt)
{
	char *w;
	pid_t pid;

	put(self->dir, "proc/policies",
	    "policy /build.slice rate=50/s burst=200 action=log max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=0 allowed=1000 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=40 last_pid=- last_comm=- last_cgroup=-\n");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(300 * 1000);
		put(self->dir, "proc/policies",
		    "policy /build.slice rate=50/s burst=200 action=log max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=0 allowed=1100 denied=10 throttled=60 throttle_ns=0 throttle_max_ns=0 logged=30 peak_1s=90 last_pid=- last_comm=- last_cgroup=-\n");
		_exit(0);
	}
	EXPECT_EQ(FG_EXIT_OK, RUN("suggest", "/build.slice", "sample", "1"));
	waitpid(pid, NULL, 0);
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Measured: 200.0 fork attempts per second")) TH_LOG("%s", w);
	EXPECT_NE(NULL, strstr(w, " 100 over the current limit (throttled 60, logged 30,"));
	EXPECT_NE(NULL, strstr(w, "logged 30, denied 10).\n")) TH_LOG("%s", w);
	free(w);
}

TEST_F(cli, sysctl_read_write)
{
	char *w, path[160];

	ASSERT_EQ(FG_EXIT_OK, RUN("sysctl"));
	w = slurp(self->out);
	EXPECT_STREQ("kernel.forkgov.enabled = 1\nkernel.forkgov.max_policies = 1024\n",
		     w);
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("sysctl", "kernel.forkgov.max_policies=2048"));
	snprintf(path, sizeof(path), "%s/sysctl/max_policies", self->dir);
	w = slurp(path);
	EXPECT_STREQ("2048\n", w);
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("sysctl", "enabled", "0"));
	w = slurp(self->out);
	EXPECT_STREQ("kernel.forkgov.enabled = 0\n", w);
	free(w);
}

TEST_F(cli, watch_snapshots)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, RUN("watch", "interval", "0.1", "iterations", "2"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "ALLOWED/s"));
	EXPECT_NE(NULL, strstr(w, "/pods.slice/pod-a"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "watch", "/pods.slice", "interval",
				  "100ms", "iterations", "2"));
	w = slurp(self->out);
	EXPECT_EQ(2, (int)(strchr(strchr(w, '\n') + 1, '\n') ? 2 : 1));
	EXPECT_EQ(NULL, strstr(w, "build.slice"));
	free(w);
	/* seconds with up to 3 decimals, or milliseconds without any */
	EXPECT_EQ(FG_EXIT_OK, RUN("watch", "interval", "0.125s", "iterations", "1"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "interval", "0.1250", "iterations", "1"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "interval", "150.5ms", "iterations", "1"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "interval", ".5", "iterations", "1"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "interval", "0.05", "iterations", "1"));
	EXPECT_EQ(FG_EXIT_USAGE, RUN("watch", "interval", "60.001", "iterations", "1"));
}

TEST_HARNESS_MAIN
