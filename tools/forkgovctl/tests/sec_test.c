// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl against hostile and stateful input, on the host: the JSON
 * reader, the OCI hook (annotation grammar, bounds, cgroup of the pid,
 * states as runc and crun write them and hostile ones), what apply
 * --keep-unmanaged owns (/run/forkgov/applied), the messages of a key given
 * twice, and suggest on a busy policy.  Fake proc files in a temporary
 * directory; no module needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "forkgovctl.h"
#include "json_reader.h"

/* ---- the JSON reader ------------------------------------------------------ */

static int parse(const char *s, struct jr_value **v)
{
	char err[256];

	return jr_parse(s, strlen(s), v, err, sizeof(err));
}

TEST(json_valid)
{
	static const char * const ok[] = {
		"{}", "[]", "0", "-0.5e+3", "\"\"", "true", "null",
		" {\"a\" : [1, 2.5, {\"b\": null}], \"c\": false}\n",
		"\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
		"\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
	};
	struct jr_value *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		ASSERT_EQ(0, parse(ok[i], &v)) TH_LOG("%s", ok[i]);
		jr_free(v);
	}
	ASSERT_EQ(0, parse("\"\\u00e9\\ud83d\\ude00\\n\"", &v));
	EXPECT_STREQ("\xc3\xa9\xf0\x9f\x98\x80\n", v->text);
	jr_free(v);
}

TEST(json_invalid)
{
	static const char * const bad[] = {
		"", " ", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", ".5",
		"-", "1e", "+1", "tru", "nul", "{a:1}", "'a'", "\"a", "{} x",
		"\"a\nb\"", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\u0000\"",
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
		"\"\xff\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
		"\"\xe2\x82\"", "\xef\xbb\xbf{}", "NaN", "Infinity",
	};
	char deep[200];
	struct jr_value *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse(bad[i], &v)) TH_LOG("case %zu", i);
		EXPECT_EQ(NULL, v);
	}
	/* a NUL byte is not the end of the input */
	EXPECT_EQ(-EINVAL, jr_parse("{}\0{}", 5, &v, deep, sizeof(deep)));
	/* 64 levels are fine, 65 are not */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	ASSERT_EQ(0, parse(deep, &v));
	jr_free(v);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	EXPECT_EQ(-EINVAL, parse(deep, &v));
}

TEST(json_member_and_uint)
{
	const struct jr_value *m;
	struct jr_value *v;
	unsigned long n;

	ASSERT_EQ(0, parse("{\"a\":1,\"b\":2,\"a\":3,\"p\":4194304,\"q\":4194305,"
			   "\"f\":1.0,\"e\":1e3,\"neg\":-1,\"big\":99999999999999999999999}",
			   &v));
	EXPECT_EQ(-EEXIST, jr_member(v, "a", &m));
	EXPECT_EQ(-ENOENT, jr_member(v, "c", &m));
	ASSERT_EQ(0, jr_member(v, "p", &m));
	EXPECT_EQ(0, jr_uint(m, 4194304, &n));
	EXPECT_EQ(4194304, n);
	ASSERT_EQ(0, jr_member(v, "q", &m));
	EXPECT_EQ(-ERANGE, jr_uint(m, 4194304, &n));
	ASSERT_EQ(0, jr_member(v, "f", &m));
	EXPECT_EQ(-EINVAL, jr_uint(m, 4194304, &n));
	ASSERT_EQ(0, jr_member(v, "e", &m));
	EXPECT_EQ(-EINVAL, jr_uint(m, 4194304, &n));
	ASSERT_EQ(0, jr_member(v, "neg", &m));
	EXPECT_EQ(-EINVAL, jr_uint(m, 4194304, &n));
	ASSERT_EQ(0, jr_member(v, "big", &m));
	EXPECT_EQ(-ERANGE, jr_uint(m, 4194304, &n));
	EXPECT_EQ(-EINVAL, jr_member(v->child, "x", &m));
	jr_free(v);
}

/* ---- the annotation --------------------------------------------------------- */

TEST(oci_policy_grammar)
{
	static const struct { const char *in; int err; const char *msg; } c[] = {
		{ "rate=20/s,burst=50,action=throttle", 0 },
		{ "rate=5 burst=3 max-delay=2s count=tasks mt-warn=on", 0 },
		{ "rate=0.5/min,max_delay=100,mt_warn=inherit,scope=subtree", 0 },
		{ "-j", -EINVAL, "'-j' is not KEY=VALUE" },
		{ "--help", -EINVAL, "'--help' is not KEY=VALUE" },
		{ "rate=1,-j", -EINVAL, "'-j' is not KEY=VALUE" },
		{ "rate=1\nflush", -EINVAL, "byte 0x0a at offset 6" },
		{ "rate=1\rx", -EINVAL, "byte 0x0d at offset 6" },
		{ "rate=1;reboot", -EINVAL, "byte 0x3b at offset 6" },
		{ "rate=\"1\"", -EINVAL, "byte 0x22 at offset 5" },
		{ "rate=1\\\\", -EINVAL, "byte 0x5c at offset 6" },
		{ "rate=1\x1b[2J", -EINVAL, "byte 0x1b at offset 6" },
		{ "rate=\xc3\xa9", -EINVAL, "byte 0xc3 at offset 5" },
		{ "RATE=1", -EINVAL, "byte 0x52 at offset 0" },
		{ "rate=99999999999999999999", -ERANGE, "out of range: '99999999999999999999' for rate" },
		{ "rate=2000000", -ERANGE, "out of range" },
		{ "rate=1,burst=4294967296", -ERANGE, "for burst" },
		{ "rate=5,rate=6", -EINVAL, "key 'rate' is given twice" },
		{ "rate=5,,burst=1", -EINVAL, "'' is not KEY=VALUE" },
		{ "rate=5,", -EINVAL, "is not KEY=VALUE" },
		{ "rate=", -EINVAL, "'rate=' is not KEY=VALUE" },
		{ "r=5", -EINVAL, "key 'r' is unknown" },
		{ "burst=5", -EINVAL, "a rate is required" },
		{ "rate=5,mt-warn=off", -EPERM, "mt-warn=off is not allowed" },
		{ "rate=none,mt_warn=off", -EPERM, "mt-warn=off is not allowed" },
		{ "rate=5,scope=per-child", -EPERM, "scope=per-child is not allowed" },
		{ "", -EINVAL, "'' is not KEY=VALUE" },
	};
	char err[512], big[600];
	unsigned int given;
	struct fg_params p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		err[0] = '\0';
		EXPECT_EQ(c[i].err, fg_oci_policy_parse(c[i].in, &p, &given,
							err, sizeof(err)))
			TH_LOG("case %zu: %s", i, err);
		if (c[i].msg)
			EXPECT_NE(NULL, strstr(err, c[i].msg)) TH_LOG("%s", err);
		/* a message never carries a byte outside printable ASCII */
		for (char *e = err; *e; e++)
			EXPECT_TRUE(*e >= 0x20 && *e < 0x7f);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-EINVAL, fg_oci_policy_parse(big, &p, &given, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "at most 512"));
}

static const char bounds_table[] =
	"policy /machine.slice rate=20/s burst=100 action=deny max_delay=1000 scope=per-child count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /machine.slice/own rate=10/s burst=50 action=deny max_delay=1000 scope=subtree count=tasks mt_warn=on tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /machine.slicex rate=1/s burst=1 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=1 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n";

static int bounds(const struct fg_table *t, const char *cg, const char *ann,
		  char *err)
{
	unsigned int given;
	struct fg_params p;
	int ret = fg_oci_policy_parse(ann, &p, &given, err, 512);

	return ret ?: fg_oci_check_bounds(t, cg, &p, err, 512);
}

TEST(oci_bounds)
{
	struct fg_table t, empty = { 0 };
	const char *why;
	char err[512];

	ASSERT_EQ(0, fg_table_parse(bounds_table, &t, &why));
	/* under the 20/s burst 100 template */
	EXPECT_EQ(0, bounds(&t, "/machine.slice/c1", "rate=20/s,burst=100", err));
	EXPECT_EQ(0, bounds(&t, "/machine.slice/c1", "rate=10/s,burst=50,action=throttle", err));
	EXPECT_EQ(0, bounds(&t, "/machine.slice/c1", "rate=1199/min", err));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/c1", "rate=21/s,burst=50", err));
	EXPECT_NE(NULL, strstr(err, "a higher rate than the policy on /machine.slice (rate 20/s"));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/c1", "rate=1201/min", err));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/c1", "rate=10/s,burst=101", err));
	EXPECT_NE(NULL, strstr(err, "a larger burst"));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/c1", "rate=none,mt-warn=on", err));
	/* a policy on the cgroup itself: only a stricter replacement */
	EXPECT_EQ(0, bounds(&t, "/machine.slice/own", "rate=5/s,burst=50,count=tasks,mt-warn=on", err));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/own", "rate=5/s,burst=50,count=tasks,action=throttle,mt-warn=on", err));
	EXPECT_NE(NULL, strstr(err, "a weaker action"));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/own", "rate=5/s,burst=50,mt-warn=on", err));
	EXPECT_NE(NULL, strstr(err, "count=forks"));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/own", "rate=5/s,burst=50,count=tasks", err));
	EXPECT_NE(NULL, strstr(err, "a weaker mt-warn"));
	EXPECT_EQ(-EPERM, bounds(&t, "/machine.slice/own/deeper", "rate=11/s,burst=50", err));
	/* /machine.slicex is not above /machine.slice/...; nothing is above /other */
	EXPECT_EQ(0, bounds(&t, "/other", "rate=1000000/s,burst=1000000,action=log", err));
	EXPECT_EQ(0, bounds(&empty, "/machine.slice/c1", "rate=5000,action=log", err));
	fg_table_free(&t);
}

/* ---- the fixture: fake /proc, cgroup2 and forkgov files -------------------- */

FIXTURE(hook) {
	char dir[64];
	char out[128];
	char written[128];
	char state[128];
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

static void mkdirs(const char *dir, const char *name)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", dir, name);
	if (system(cmd))
		fprintf(stderr, "# %s failed\n", cmd);
}

static const char table_text[] =
	"policy /build.slice rate=50/s burst=200 action=throttle max_delay=2000 scope=subtree count=forks mt_warn=inherit tokens=12 allowed=5000 denied=0 throttled=310 throttle_ns=80000000 throttle_max_ns=1900000 logged=0 peak_1s=230 last_pid=4242 last_comm=make last_cgroup=/build.slice/job-7\n"
	"policy /logged rate=100/s burst=500 action=log max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=500 allowed=40 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=40 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /huge rate=10/s burst=10 action=log max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=0 allowed=9000000 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=8000000 peak_1s=3000000 last_pid=- last_comm=- last_cgroup=-\n";

FIXTURE_SETUP(hook)
{
	char env[128];

	unsetenv("COLUMNS");	/* tables as for a pipe */
	snprintf(self->dir, sizeof(self->dir), "/tmp/fgctl-sec.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	mkdirs(self->dir, "proc");
	mkdirs(self->dir, "sysctl");
	mkdirs(self->dir, "cg/build.slice");
	mkdirs(self->dir, "cg/logged");
	mkdirs(self->dir, "cg/huge");
	mkdirs(self->dir, "cg/machine.slice/libpod-c1.scope");
	mkdirs(self->dir, "cg/system.slice/podman.service");
	mkdirs(self->dir, "cg/a");
	mkdirs(self->dir, "cg/b");
	mkdirs(self->dir, "cg/hand");
	mkdirs(self->dir, "procfs/self");
	mkdirs(self->dir, "procfs/100");
	mkdirs(self->dir, "procfs/200");
	mkdirs(self->dir, "procfs/300");
	mkdirs(self->dir, "procfs/400");
	mkdirs(self->dir, "etc");
	put(self->dir, "proc/policies", table_text);
	put(self->dir, "proc/stats", "version 0.1.0\nenabled 1\n");
	put(self->dir, "sysctl/enabled", "1\n");
	/* the hook runs in the runtime's cgroup; 100 is a container */
	put(self->dir, "procfs/self/cgroup", "0::/system.slice/podman.service\n");
	put(self->dir, "procfs/100/cgroup",
	    "12:pids:/ignored\n1:name=systemd:/x\n0::/machine.slice/libpod-c1.scope\n");
	put(self->dir, "procfs/200/cgroup", "0::/\n");
	put(self->dir, "procfs/300/cgroup", "0::/system.slice\n");
	put(self->dir, "procfs/400/cgroup", "0::/machine.slice/gone (deleted)\n");
	snprintf(env, sizeof(env), "%s/proc", self->dir);
	setenv("FORKGOV_PROC", env, 1);
	snprintf(env, sizeof(env), "%s/sysctl", self->dir);
	setenv("FORKGOV_SYSCTL", env, 1);
	snprintf(env, sizeof(env), "%s/cg", self->dir);
	setenv("FORKGOV_CGROUP2", env, 1);
	snprintf(env, sizeof(env), "%s/procfs", self->dir);
	setenv("FORKGOV_PROCFS", env, 1);
	snprintf(env, sizeof(env), "%s/nomodule", self->dir);
	setenv("FORKGOV_SYSMODULE", env, 1);
	snprintf(self->written, sizeof(self->written), "%s/written", self->dir);
	setenv("FORKGOV_WRITE_TO", self->written, 1);
	snprintf(self->state, sizeof(self->state), "%s/run/applied", self->dir);
	setenv("FORKGOV_STATE", self->state, 1);
	snprintf(self->out, sizeof(self->out), "%s/out", self->dir);
	/* The host's file: none unless a test writes one. */
	snprintf(env, sizeof(env), "%s/etc/oci-hook.conf", self->dir);
	setenv("FORKGOV_OCI_CONF", env, 1);
}

FIXTURE_TEARDOWN(hook)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
	unsetenv("FORKGOV_PROCFS");
	unsetenv("FORKGOV_OCI_CONF");
}

/* Run forkgovctl with @in on stdin, stdout and stderr in @out. */
static int run_in(const char *out, const char *in, size_t inlen,
		  const char * const *args)
{
	char *argv[32], inpath[160];
	int n = 0, fd, ifd, si, so, se, ret;

	argv[n++] = "forkgovctl";
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(inpath, sizeof(inpath), "%s.in", out);
	ifd = open(inpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (in && write(ifd, in, inlen) != (ssize_t)inlen)
		return -1;
	lseek(ifd, 0, SEEK_SET);
	fflush(stdout);
	fflush(stderr);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	si = dup(0);
	so = dup(1);
	se = dup(2);
	dup2(ifd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	ret = fgctl_main(n, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(si, 0);
	dup2(so, 1);
	dup2(se, 2);
	close(fd);
	close(ifd);
	close(si);
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

#define RUN(...)	run_in(self->out, NULL, 0, (const char *[]){ __VA_ARGS__, NULL })
#define HOOK(s)		run_in(self->out, s, sizeof(s) - 1, \
			       (const char *[]){ "oci-hook", NULL })

/* Nothing was written, and the message is in out. */
#define EXPECT_REFUSED(ret, msg) do {					\
	int _r = (ret);							\
	char *_w = slurp(self->written), *_o = slurp(self->out);	\
	EXPECT_NE(0, _r);						\
	EXPECT_STREQ("", _w);						\
	EXPECT_NE(NULL, strstr(_o, msg)) TH_LOG("out: %s", _o);	\
	free(_w);							\
	free(_o);							\
} while (0)

/* ---- the OCI hook end to end ----------------------------------------------- */

/* runc: compact, as Go's encoding/json writes it */
static const char runc_state[] =
	"{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"status\":\"created\",\"pid\":100,"
	"\"bundle\":\"/run/containers/storage/overlay-containers/c1/userdata\","
	"\"annotations\":{\"io.container.manager\":\"libpod\","
	"\"io.forkgov.policy\":\"rate=20/s,burst=50,action=throttle\","
	"\"org.opencontainers.image.stopSignal\":\"15\"}}";

/* crun: yajl, pretty, with the key order of its own */
static const char crun_state[] =
	"{\n  \"ociVersion\" : \"1.0.0\",\n  \"id\" : \"c1\",\n  \"pid\" : 100,\n"
	"  \"status\" : \"created\",\n  \"bundle\" : \"/var/lib/c1\",\n"
	"  \"annotations\" : {\n    \"io.forkgov.policy\" : \"rate=5 burst=3 max-delay=2s\",\n"
	"    \"x\" : \"\\u00e9\\\"quoted\\\" \\\\ back\"\n  }\n}\n";

TEST_F(hook, runc_and_crun_states)
{
	char *w;

	ASSERT_EQ(FG_EXIT_OK, HOOK(runc_state));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=20/s burst=50 action=throttle owner=oci\n", w);
	free(w);
	unlink(self->written);
	ASSERT_EQ(FG_EXIT_OK, HOOK(crun_state));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=5/s burst=3 max_delay=2000 owner=oci\n", w);
	free(w);
}

/* ---- the host's file: oci-hook.conf ------------------------------------------ */

#define ANN(v)	"{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"" v "\"}}"

TEST_F(hook, host_allow_keys)
{
	char *w;

	put(self->dir, "etc/oci-hook.conf",
	    "# containers may pick a rate and a burst, nothing else\n"
	    "allow-keys = rate, burst\n");
	EXPECT_REFUSED(HOOK(ANN("rate=5/s,action=deny")),
		       "key 'action' is not in this host's allow-keys");
	EXPECT_REFUSED(HOOK(ANN("rate=5/s,deny-delay=2s")),
		       "key 'deny-delay' is not in this host's allow-keys");
	ASSERT_EQ(FG_EXIT_OK, HOOK(ANN("rate=5/s,burst=4")));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=5/s burst=4 owner=oci\n", w);
	free(w);
}

TEST_F(hook, host_ceilings)
{
	char *w;

	/* No policy governs /machine.slice: only the host's file bounds it. */
	put(self->dir, "etc/oci-hook.conf", "max-rate = 600/min\nmax-burst = 20\n");
	EXPECT_REFUSED(HOOK(ANN("rate=11/s")),
		       "a rate above this host's max-rate 600/min");
	EXPECT_REFUSED(HOOK(ANN("rate=none")), "max-rate");
	EXPECT_REFUSED(HOOK(ANN("rate=1/s,burst=21")),
		       "burst 21 is above this host's max-burst 20");
	ASSERT_EQ(FG_EXIT_OK, HOOK(ANN("rate=10/s,burst=20")));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=10/s burst=20 owner=oci\n", w);
	free(w);
}

TEST_F(hook, host_annotations_off)
{
	put(self->dir, "etc/oci-hook.conf", "annotations = off\n");
	EXPECT_REFUSED(HOOK(ANN("rate=1/s")),
		       "this host does not accept io.forkgov.policy");
	/* Without the annotation and without a template: nothing to do. */
	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{}}"));
}

TEST_F(hook, host_template)
{
	static const char busy_table[] =
		"policy /machine.slice/libpod-c1.scope rate=1/s burst=1 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=1 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=- owner=cli\n";
	char *w;

	put(self->dir, "etc/oci-hook.conf",
	    "template = rate=20/s,burst=40,action=throttle,max-delay=2s\n");
	/* No annotation: the template. */
	ASSERT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{}}"));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=20/s burst=40 action=throttle max_delay=2000 owner=oci\n", w);
	free(w);
	unlink(self->written);
	ASSERT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100}"));
	unlink(self->written);

	/* An annotation may only be stricter than the template. */
	EXPECT_REFUSED(HOOK(ANN("rate=30/s,burst=10,action=throttle")),
		       "a higher rate than this host's template (rate 20/s burst 40 action throttle");
	EXPECT_REFUSED(HOOK(ANN("rate=10/s,burst=50,action=throttle")),
		       "a larger burst than this host's template");
	EXPECT_REFUSED(HOOK(ANN("rate=10/s,burst=10,action=log")),
		       "a weaker action than this host's template");
	EXPECT_REFUSED(HOOK(ANN("rate=10/s,burst=10,action=throttle,max-delay=5s")),
		       "a longer max-delay than this host's template");
	ASSERT_EQ(FG_EXIT_OK, HOOK(ANN("rate=10/s,burst=10,action=deny")));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=10/s burst=10 action=deny owner=oci\n", w);
	free(w);
	unlink(self->written);

	/* The template never replaces a policy someone set on the cgroup. */
	put(self->dir, "proc/policies", busy_table);
	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{}}"));
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);
}

/* The example the package ships parses, and means what it says. */
TEST(host_file_example)
{
	struct fg_oci_conf c;
	char err[512] = "";

	ASSERT_EQ(0, fg_oci_conf_load("packaging/oci/oci-hook.conf", &c, err,
				      sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(c.annotations);
	EXPECT_TRUE(c.has_max_rate);
	EXPECT_EQ(1000, c.max_burst);
	EXPECT_TRUE(c.has_template);
	EXPECT_EQ(200, c.template.burst);
	EXPECT_EQ(0, c.allow & (1U << FG_KEY_SCOPE));
	EXPECT_NE(0, c.allow & (1U << FG_KEY_DENY_DELAY));
}

/* A host file with an error refuses every container, with file and line. */
TEST_F(hook, host_file_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "annotations = maybe\n", "oci-hook.conf:1: annotations is tighten or off" },
		{ "\n# x\nallow-keys = rate, speed\n", "oci-hook.conf:3: allow-keys names a key that is not a policy key" },
		{ "max-rate = fast\n", "oci-hook.conf:1: max-rate " },
		{ "max-rate = none\n", "max-rate must be a rate" },
		{ "max-burst = 0\n", "max-burst is a whole number from 1 to 1000000" },
		{ "max-burst = -5\n", "max-burst is a whole number" },
		{ "template = rate=5/s,scope=per-child\n", "oci-hook.conf:1: io.forkgov.policy: scope=per-child is not allowed" },
		{ "template = rate=5/s\ntemplate = rate=6/s\n", "oci-hook.conf:2: template is given twice" },
		{ "max-burst 5\n", "oci-hook.conf:1: expected KEY = VALUE" },
		{ "speed = 5\n", "unknown key 'speed'" },
	};
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *w, *o;

		put(self->dir, "etc/oci-hook.conf", cases[i].text);
		ret = HOOK(ANN("rate=1/s"));
		w = slurp(self->written);
		o = slurp(self->out);
		EXPECT_EQ(FG_EXIT_CONFIG, ret) TH_LOG("case %zu", i);
		EXPECT_STREQ("", w);
		EXPECT_NE(NULL, strstr(o, cases[i].msg))
			TH_LOG("case %zu: %s", i, o);
		free(w);
		free(o);
		/* without the annotation too: the file is wrong */
		EXPECT_EQ(FG_EXIT_CONFIG, HOOK("{\"pid\":100}"));
	}
}

TEST_F(hook, not_for_us)
{
	char *w;

	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{\"other\":\"rate=1\"}}"));
	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100}"));
	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"annotations\":null}"));
	/* no pid is fine when there is nothing to do */
	EXPECT_EQ(FG_EXIT_OK, HOOK("{\"annotations\":{}}"));
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);
}

TEST_F(hook, hostile_annotations)
{
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"-j\"}}"),
		       "'-j' is not KEY=VALUE");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"--help\"}}"),
		       "'--help' is not KEY=VALUE");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1,--prometheus\"}}"),
		       "'--prometheus' is not KEY=VALUE");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\\nflush\"}}"),
		       "byte 0x0a at offset 6");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\\u000aflush\"}}"),
		       "byte 0x0a at offset 6");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=99999999999999999999999999\"}}"),
		       "out of range");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=\\\"5\\\"\"}}"),
		       "byte 0x22");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=5\\\\\"}}"),
		       "byte 0x5c");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=\\u001b[2J\"}}"),
		       "byte 0x1b");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\xff\"}}"),
		       "invalid UTF-8");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\\ud800\"}}"),
		       "surrogate");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\",\"io.forkgov.policy\":\"rate=100\"}}"),
		       "given more than once");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":5}}"),
		       "not a string");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1,mt-warn=off\"}}"),
		       "mt-warn=off is not allowed");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1,scope=per-child\"}}"),
		       "scope=per-child is not allowed");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":[\"io.forkgov.policy\"]}"),
		       "non-object");
}

TEST_F(hook, hostile_states)
{
	EXPECT_REFUSED(HOOK("{\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no \"pid\"");
	EXPECT_REFUSED(HOOK("{\"pid\":null,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":\"100\",\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":0,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":-1,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":1e2,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":100.0,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":99999999999999999999999,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "no valid");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"pid\":300,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "more than one \"pid\"");
	/* the pid of a process in the root cgroup, of a gone one, of none */
	EXPECT_REFUSED(HOOK("{\"pid\":200,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "in the root cgroup");
	EXPECT_REFUSED(HOOK("{\"pid\":400,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "does not name a cgroup");
	EXPECT_REFUSED(HOOK("{\"pid\":4194304,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "cannot read");
	/* a cgroup that holds the runtime (and the hook) is not the container's */
	EXPECT_REFUSED(HOOK("{\"pid\":300,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}}"),
		       "has no cgroup of its own");
	/* not JSON */
	EXPECT_REFUSED(HOOK("pid=100 io.forkgov.policy=rate=1"), "byte 0: bad number");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=1\"}} {}"),
		       "more after");
	EXPECT_REFUSED(HOOK("[{\"pid\":100}]"), "not a JSON object");
	EXPECT_EQ(FG_EXIT_USAGE, RUN("oci-hook", "-j"));
}

TEST_F(hook, bounds_from_the_table)
{
	char *w;

	put(self->dir, "proc/policies",
	    "policy /machine.slice rate=20/s burst=100 action=deny max_delay=1000 scope=per-child count=forks mt_warn=inherit tokens=5 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n");
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=50/s\"}}"),
		       "may only tighten");
	ASSERT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=10/s\"}}"));
	w = slurp(self->written);
	EXPECT_STREQ("set /machine.slice/libpod-c1.scope rate=10/s owner=oci\n", w);
	free(w);
	/* A denial by the container's own bucket must not skip the back-off. */
	ASSERT_EQ(0, truncate(self->written, 0));
	EXPECT_REFUSED(HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=10/s,deny_delay=0\"}}"),
		       "may only tighten");
	ASSERT_EQ(FG_EXIT_OK, HOOK("{\"pid\":100,\"annotations\":{\"io.forkgov.policy\":\"rate=10/s,deny_delay=5s\"}}"));
}

/* ---- apply --keep-unmanaged: what the configuration owns ------------------- */

static const char ab_table[] =
	"policy /a rate=1/s burst=1 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=1 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /b rate=2/s burst=2 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=2 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /hand rate=3/s burst=3 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=3 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /machine.slice/libpod-c1.scope rate=20/s burst=50 action=throttle max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=50 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n";

TEST_F(hook, keep_unmanaged_deletes_only_what_apply_set)
{
	char conf[128], *w;
	struct stat st;

	snprintf(conf, sizeof(conf), "%s/etc", self->dir);
	put(self->dir, "proc/policies", "");
	put(self->dir, "etc/a.conf", "[/a]\nrate = 1\n[/b]\nrate = 2\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", conf));
	w = slurp(self->state);
	EXPECT_NE(NULL, strstr(w, "\nset /a rate=1/s burst=1 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit deny_delay=1000\n"));
	EXPECT_NE(NULL, strstr(w, "\nset /b rate=2/s burst=2 "));
	free(w);
	ASSERT_EQ(0, stat(self->state, &st));
	EXPECT_EQ(0644, st.st_mode & 0777);

	/* the kernel now has them, and a hand-set and a hook-set policy */
	put(self->dir, "proc/policies", ab_table);
	put(self->dir, "etc/a.conf", "[/a]\nrate = 1\n");
	unlink(self->written);
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", conf));
	w = slurp(self->written);
	EXPECT_STREQ("del /b\n", w);
	free(w);
	w = slurp(self->state);
	EXPECT_EQ(NULL, strstr(w, "set /b "));
	EXPECT_NE(NULL, strstr(w, "set /a "));
	free(w);

	/* without the state nothing is owned: nothing not named is deleted */
	unlink(self->state);
	unlink(self->written);
	put(self->dir, "etc/a.conf", "");
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", conf));
	w = slurp(self->written);
	EXPECT_STREQ("", w);
	free(w);

	/* the full apply (no --keep-unmanaged) still makes the table the config */
	unlink(self->written);
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", conf));
	w = slurp(self->written);
	EXPECT_STREQ("del /a\ndel /b\ndel /hand\ndel /machine.slice/libpod-c1.scope\n", w);
	free(w);
}

TEST_F(hook, keep_unmanaged_keeps_what_was_changed_since)
{
	char conf[128], *w;

	snprintf(conf, sizeof(conf), "%s/etc", self->dir);
	mkdirs(self->dir, "run");
	/* the last apply set /a at 1/s and /b at 5/s; /b is at 2/s now */
	put(self->dir, "run/applied",
	    "# comment\nset /a rate=1/s\nset /b rate=5/s\n");
	chmod(self->state, 0644);
	put(self->dir, "proc/policies", ab_table);
	put(self->dir, "etc/a.conf", "");
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", "--dry-run", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "- /a (was:"));
	EXPECT_EQ(NULL, strstr(w, "- /b"));
	EXPECT_NE(NULL, strstr(w, "kept /b: its policy was changed since"));
	EXPECT_NE(NULL, strstr(w, "0 to add, 0 to replace, 1 to delete, 0 unchanged"));
	free(w);

	/* a state file others may write owns nothing */
	chmod(self->state, 0666);
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", "--dry-run", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "only root may write; ignored"));
	EXPECT_NE(NULL, strstr(w, "0 to delete"));
	free(w);
	/* and one that does not parse */
	chmod(self->state, 0644);
	put(self->dir, "run/applied", "set /a rate=1/s\ndel /b\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", "--dry-run", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "line 2: only set lines belong there; ignored"));
	EXPECT_NE(NULL, strstr(w, "0 to delete"));
	free(w);
}

/* ---- apply replaces only its owner's policies ------------------------------ */

static const char owned_table[] =
	"policy /a rate=1/s burst=1 allowed=0 state=active owner=config persist=no\n"
	"policy /hand rate=3/s burst=3 allowed=0 state=active owner=cli persist=no\n";

TEST_F(hook, apply_refuses_another_owners_policy)
{
	char conf[128], *w;

	snprintf(conf, sizeof(conf), "%s/etc", self->dir);
	put(self->dir, "proc/policies", owned_table);
	put(self->dir, "etc/a.conf", "[/a]\nrate = 9\n[/hand]\nrate = 1\n[/b]\nrate = 2\n");

	/* plain apply: refused, the other changes included, and said why */
	unlink(self->written);
	EXPECT_EQ(FG_EXIT_CONFLICT, RUN("apply", conf));
	EXPECT_NE(0, access(self->written, F_OK));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Error: /hand has a policy of owner cli; apply replaces only owner config's policies"));
	EXPECT_NE(NULL, strstr(w, "--take-over"));
	EXPECT_NE(NULL, strstr(w, "nothing was changed"));
	free(w);

	/* a dry run shows it, and fails the same way */
	EXPECT_EQ(FG_EXIT_CONFLICT, RUN("apply", "--dry-run", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\n! /hand owner cli: rate 3/s burst 3 "));
	EXPECT_NE(NULL, strstr(w, "1 to add, 1 to replace, 0 to delete, 0 unchanged, 1 of another owner\n"));
	free(w);
	EXPECT_EQ(FG_EXIT_CONFLICT, RUN("-j", "apply", "--dry-run", conf));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\"change\":\"conflict\",\"cgroup\":\"/hand\""));
	EXPECT_NE(NULL, strstr(w, "\"owner\":\"cli\""));
	EXPECT_NE(NULL, strstr(w, "\"conflict\":1"));
	free(w);
	EXPECT_EQ(FG_EXIT_CONFLICT, RUN("-j", "apply", conf));
	EXPECT_NE(0, access(self->written, F_OK));

	/* --take-over: the configuration's now */
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--take-over", conf));
	w = slurp(self->written);
	EXPECT_STREQ("set /a rate=9/s owner=config\nset /hand rate=1/s owner=config\nset /b rate=2/s owner=config\n", w);
	free(w);

	/* a reload leaves /hand alone, says so, and applies the rest */
	unlink(self->written);
	ASSERT_EQ(FG_EXIT_OK, RUN("apply", "--keep-unmanaged", conf));
	w = slurp(self->written);
	EXPECT_STREQ("set /a rate=9/s owner=config\nset /b rate=2/s owner=config\n", w);
	free(w);
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Warning: kept /hand: its policy is owner cli's, not config's (--take-over replaces it)"));
	free(w);

	/* another owner's apply: config's /a is not its to replace */
	unlink(self->written);
	put(self->dir, "etc/a.conf", "[/a]\nrate = 9\n");
	EXPECT_EQ(FG_EXIT_CONFLICT, RUN("apply", "--owner", "k8s", conf));
	EXPECT_NE(0, access(self->written, F_OK));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "/a has a policy of owner config; apply replaces only owner k8s's policies"));
	free(w);
}

TEST_F(hook, unit_reload_keeps_unmanaged)
{
	char unit[256], *text;

	snprintf(unit, sizeof(unit), "%s/../../packaging/systemd/forkgov.service",
		 getenv("FGCTL_SRC") ?: "tools/forkgovctl");
	if (fg_read_file(unit, &text))
		SKIP(return, "no %s", unit);
	EXPECT_NE(NULL, strstr(text, "\nExecReload=@SBINDIR@/forkgovctl apply --keep-unmanaged "));
	EXPECT_NE(NULL, strstr(text, "\nExecStart=@SBINDIR@/forkgovctl apply --keep-unmanaged "));
	free(text);
}

/* ---- messages name the key and the value ------------------------------------ */

TEST_F(hook, key_given_twice_names_the_key)
{
	char *w;

	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/a", "rate", "5", "burst", "2", "r", "6"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Error: rate is given twice; give each key once (a second time as 'r 6')"));
	free(w);
	/* even when the second value is bad, the key is the problem */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/a", "rate", "5", "rate", "lots"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "rate is given twice"));
	free(w);
	/* a bad value is named with its key */
	EXPECT_EQ(FG_EXIT_USAGE, RUN("set", "/a", "rate", "5", "burst", "0"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "out of range: bad burst"));
	EXPECT_NE(NULL, strstr(w, "'0'"));
	free(w);
	put(self->dir, "etc/a.conf", "[/a]\nmax-delay = 5\nrate = 1\nmax_delay = 6\n");
	{
		char conf[128];

		snprintf(conf, sizeof(conf), "%s/etc/a.conf", self->dir);
		EXPECT_EQ(FG_EXIT_CONFIG, RUN("apply", "--dry-run", conf));
		w = slurp(self->out);
		EXPECT_NE(NULL, strstr(w, "a.conf:4: [/a]: max_delay is given twice"));
		free(w);
		put(self->dir, "etc/a.conf", "[/a]\nrate = 1\ncreate = yes\ncreate = no\n");
		EXPECT_EQ(FG_EXIT_CONFIG, RUN("apply", "--dry-run", conf));
		w = slurp(self->out);
		EXPECT_NE(NULL, strstr(w, "a.conf:4: [/a]: create is given twice"));
		free(w);
		put(self->dir, "etc/a.conf", "[/a]\nrate = 1\nburst = many\n");
		EXPECT_EQ(FG_EXIT_CONFIG, RUN("apply", "--dry-run", conf));
		w = slurp(self->out);
		EXPECT_NE(NULL, strstr(w, "a.conf:3: burst 'many': bad burst"));
		free(w);
	}
}

/* ---- suggest never tightens a busy policy --------------------------------- */

TEST_F(hook, suggest_busy_policy)
{
	char *w;

	/* throttled 310 at 50/s: the rate stays 50/s, the burst covers 230 */
	ASSERT_EQ(FG_EXIT_OK, RUN("suggest", "/build.slice"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "Basis: the busiest second seen (230 fork attempts); the current limit was reached"));
	EXPECT_NE(NULL, strstr(w, "rate 50/s: the current rate, kept"));
	EXPECT_NE(NULL, strstr(w, "forkgovctl set /build.slice rate 50/s burst 288"));
	free(w);
	/* never reached: the peak decides, and it may be below the limit */
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "suggest", "/logged"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\"rate\":4,\"burst\":50,\"busy\":false,\"rate_basis\":\"peak\",\"burst_basis\":\"peak\""));
	free(w);
	/* a peak above the largest bucket: the largest, and said so */
	ASSERT_EQ(FG_EXIT_OK, RUN("suggest", "/huge"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "burst 1000000: the largest burst there is"));
	EXPECT_NE(NULL, strstr(w, "rate 300000/s"));
	free(w);
}

/* ---- rate=none, counts, knobs in the outputs --------------------------------- */

TEST(count_abbreviations)
{
	static const struct { uint64_t v; const char *s; } c[] = {
		{ 0, "0" }, { 99999, "99999" }, { 100000, "100.0k" },
		{ 123456, "123.5k" }, { 999949, "999.9k" }, { 999950, "1.0M" },
		{ 1234567, "1.2M" }, { 12345678, "12.3M" }, { 99999999, "100.0M" },
		{ 1234567890, "1.2G" }, { 999950000000ULL, "1.0T" },
		{ 18446744073709551615ULL, "18.4E" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		fg_format_count(buf, sizeof(buf), c[i].v);
		EXPECT_STREQ(c[i].s, buf);
	}
}

static const char none_table[] =
	"policy /mt rate=none burst=1 action=deny max_delay=1000 scope=subtree count=forks mt_warn=on tokens=1 allowed=0 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n"
	"policy /r rate=5/s burst=5 action=deny max_delay=1000 scope=subtree count=forks mt_warn=inherit tokens=5 allowed=1234567 denied=0 throttled=0 throttle_ns=0 throttle_max_ns=0 logged=0 peak_1s=0 last_pid=- last_comm=- last_cgroup=-\n";

TEST_F(hook, rate_none_in_every_output)
{
	char *w;

	put(self->dir, "proc/policies", none_table);
	put(self->dir, "sysctl/max_policies", "1024\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\n/mt     none      -  -            -        0"));
	EXPECT_NE(NULL, strstr(w, "1.2M"));
	EXPECT_EQ(NULL, strstr(w, "1234.6k"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "show", "/mt"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\"rate\":\"none\",\"rate_per_s\":null,\"burst\":null,\"action\":null"));
	/* no bucket, no tokens: null, as the table's - (the kernel says 1) */
	EXPECT_NE(NULL, strstr(w, "\"tokens\":null,")) TH_LOG("%s", w);
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "list"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\"tokens\":null,"));
	EXPECT_NE(NULL, strstr(w, "\"tokens\":5,"));	/* /r has a bucket */
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("show", "/mt"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "\trate none  burst -  action -  max-delay")) TH_LOG("%s", w);
	EXPECT_NE(NULL, strstr(w, "\ttokens -  allowed 0"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("list", "--prometheus"));
	w = slurp(self->out);
	EXPECT_NE(NULL, strstr(w, "forkgov_policy_info{cgroup=\"/mt\",policy=\"/mt\",kind=\"policy\",action=\"none\""));
	EXPECT_EQ(NULL, strstr(w, "forkgov_rate_per_second{cgroup=\"/mt\""));
	EXPECT_EQ(NULL, strstr(w, "forkgov_burst{cgroup=\"/mt\""));
	EXPECT_NE(NULL, strstr(w, "forkgov_rate_per_second{cgroup=\"/r\",policy=\"/r\",kind=\"policy\"} 5\n"));
	free(w);
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "sysctl"));
	w = slurp(self->out);
	EXPECT_STREQ("{\"enabled\":1,\"max_policies\":1024}\n", w);
	free(w);
	put(self->dir, "sysctl/odd", "1 2\n");
	ASSERT_EQ(FG_EXIT_OK, RUN("-j", "sysctl", "odd"));
	w = slurp(self->out);
	EXPECT_STREQ("{\"odd\":\"1 2\"}\n", w);
	free(w);
}

TEST_HARNESS_MAIN
