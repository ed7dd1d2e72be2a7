// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the lineage defence (kernel.forkgov.lineage*): chains of
 * forks that never exec are charged from a depth on, with no policy at all.
 * Run as root in a guest with forkgov loaded.
 *
 * Chains are made by this binary itself, started again with "chain ..." by
 * fork and exec, so that they begin at depth 0 whatever forked the test.
 * Depths: a process that has exec'd is at 0, its child at 1, and so on; a
 * fork is charged when its child's depth reaches the threshold.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define SYSCTL		"/proc/sys/kernel/forkgov/"

static const char * const knobs[] = {
	"lineage", "lineage_threshold", "lineage_rate", "lineage_burst",
	"lineage_max_delay_ms", "lineage_width", "lineage_width_depth",
	"lineage_root_width", "lineage_root_depth", "lineage_siege_rate",
	"lineage_siege_burst", "lineage_siege_backoff_ms",
};

#define NKNOBS	ARRAY_SIZE(knobs)

static long knob(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	if (read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static int set_knob(const char *name, long val)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), SYSCTL "%s", name);
	snprintf(buf, sizeof(buf), "%ld", val);
	return write_text(path, buf);
}

/*
 * "chain N ORPHAN EXEC_AT FD": this process is at depth 0; fork down to
 * depth N, each child going on.  With ORPHAN, a parent exits as soon as
 * its child exists; otherwise it waits for it.  The child that reaches
 * depth EXEC_AT (0: none) execs this binary to go on from depth 0, for the
 * rest of the N forks.  The last process writes "ok" to FD; a fork that
 * fails writes "fail errno".
 */
static int chain_main(int argc, char **argv)
{
	int n = atoi(argv[2]), orphan = atoi(argv[3]);
	int exec_at = atoi(argv[4]), fd = atoi(argv[5]), d, status;
	char rest[16], msg[64];
	pid_t pid;

	for (d = 0; d < n; d++) {
		pid = fork();
		if (pid < 0) {
			snprintf(msg, sizeof(msg), "fail %d\n", errno);
			write(fd, msg, strlen(msg));
			_exit(1);
		}
		if (pid > 0) {
			if (orphan)
				_exit(0);
			waitpid(pid, &status, 0);
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
		}
		if (d + 1 == exec_at) {
			snprintf(rest, sizeof(rest), "%d", n - exec_at);
			execl("/proc/self/exe", argv[0], "chain", rest,
			      argv[3], "0", argv[5], (char *)NULL);
			_exit(127);
		}
	}
	write(fd, "ok\n", 3);
	_exit(0);
}

/*
 * Run a chain from a process that joined @cg and exec'd; the result line,
 * or "timeout".  @secs bounds the wait.
 */
static void run_chain(const char *cg, int n, int orphan, int exec_at,
		      double secs, char *out, size_t size)
{
	char a_n[16], a_o[16], a_e[16], a_fd[16];
	struct pollfd pfd;
	int p[2], status;
	ssize_t len;
	pid_t pid;

	snprintf(out, size, "setup");
	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (cg_enter_current(cg))
			_exit(1);
		snprintf(a_n, sizeof(a_n), "%d", n);
		snprintf(a_o, sizeof(a_o), "%d", orphan);
		snprintf(a_e, sizeof(a_e), "%d", exec_at);
		snprintf(a_fd, sizeof(a_fd), "%d", p[1]);
		execl("/proc/self/exe", "lineage_test", "chain", a_n, a_o, a_e,
		      a_fd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	if (poll(&pfd, 1, secs * 1000) == 1) {
		len = read(p[0], out, size - 1);
		out[len > 0 ? len : 0] = '\0';
		if (len <= 0)
			snprintf(out, size, "eof");
	} else {
		snprintf(out, size, "timeout");
	}
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
}

/*
 * Start "bash -c @script" in @cg, its output to /dev/null (and its errors
 * too when @quiet); its pid, or -1.
 */
static pid_t bash_in(const char *cg, const char *script, bool quiet)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	fd = open("/dev/null", O_WRONLY);
	if (cg_enter_current(cg))
		_exit(1);
	dup2(fd, 1);
	if (quiet)
		dup2(fd, 2);
	execl("/bin/bash", "bash", "-c", script, (char *)NULL);
	_exit(127);
}

struct counters {
	long long charged, throttled, denied;
};

static struct counters counters(void)
{
	return (struct counters){
		.charged = fg_stat("lineage_charged"),
		.throttled = fg_stat("lineage_throttled"),
		.denied = fg_stat("lineage_denied"),
	};
}

/*
 * "tree DEPTH N FD": this process is at depth 0; a chain of forks goes down
 * to depth DEPTH - 1, whose process forks N children at depth DEPTH that
 * wait to be killed.  Then "ok" is written to FD; a fork that fails writes
 * "fail errno".  The processes of the chain wait too.
 */
static int tree_main(int argc, char **argv)
{
	int depth = atoi(argv[2]), n = atoi(argv[3]), fd = atoi(argv[4]);
	char msg[64];
	pid_t pid;
	int d, i;

	for (d = 0; d < depth - 1; d++) {
		pid = fork();
		if (pid < 0)
			goto fail;
		if (pid > 0)
			for (;;)
				pause();
	}
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			goto fail;
		if (pid == 0)
			for (;;)
				pause();
	}
	write(fd, "ok\n", 3);
	for (;;)
		pause();
fail:
	snprintf(msg, sizeof(msg), "fail %d\n", errno);
	write(fd, msg, strlen(msg));
	for (;;)
		pause();
	return 1;
}

/*
 * "forks N DEEP FD": fork N times, each child exiting at once, and write
 * one line to FD: for each fork "ok" or "fail", then the time it took in
 * ms.  With DEEP, the forks are made by a child that has not exec'd, so
 * that its children are at depth 2.
 */
static int forks_main(int argc, char **argv)
{
	int n = atoi(argv[2]), deep = atoi(argv[3]), fd = atoi(argv[4]);
	char line[1024];
	size_t len = 0;
	double t0;
	pid_t pid;
	int i, status;

	if (deep) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid > 0) {
			waitpid(pid, &status, 0);
			return 0;
		}
	}
	for (i = 0; i < n && len < sizeof(line) - 32; i++) {
		t0 = fg_now();
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, &status, 0);
		len += snprintf(line + len, sizeof(line) - len, "%s %.0f ",
				pid > 0 ? "ok" : "fail",
				(fg_now() - t0) * 1e3);
	}
	line[len++] = '\n';
	write(fd, line, len);
	return 0;
}

/* "cbomb": the C fork bomb, every process forking for ever. */
static int cbomb_main(void)
{
	for (;;)
		fork();
	return 1;
}

/*
 * Start this binary with @args (NULL-terminated, after argv[0]) in @cg
 * from a process that exec'd, so that it begins at depth 0; *@rfd is the
 * read end of the pipe whose write end's number replaces a "FD" argument.
 */
static pid_t spawn_in(const char *cg, const char * const *args, int *rfd)
{
	char a_fd[16];
	const char *argv[8];
	int p[2], i;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (cg_enter_current(cg))
			_exit(1);
		snprintf(a_fd, sizeof(a_fd), "%d", p[1]);
		argv[0] = "lineage_test";
		for (i = 0; args[i] && i < 6; i++)
			argv[i + 1] = strcmp(args[i], "FD") ? args[i] : a_fd;
		argv[i + 1] = NULL;
		execv("/proc/self/exe", (char **)argv);
		_exit(127);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* A line from @fd within @secs, or "timeout" / "eof". */
static void read_line(int fd, double secs, char *out, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t len;

	if (poll(&pfd, 1, secs * 1000) != 1) {
		snprintf(out, size, "timeout");
		return;
	}
	len = read(fd, out, size - 1);
	out[len > 0 ? len : 0] = '\0';
	if (len <= 0)
		snprintf(out, size, "eof");
}

/* Kill everything in @cg and wait until the table forgot it. */
static void kill_all(const char *cg, pid_t pid, long long tracked)
{
	int i;

	cg_write(cg, "cgroup.kill", "1");
	if (pid > 0)
		waitpid(pid, NULL, 0);
	for (i = 0; i < 500 && fg_stat("lineage_tracked") > tracked; i++)
		usleep(20000);
}

FIXTURE(lin) {
	char cg[64];
	long saved[NKNOBS];
	long threshold;		/* the default, as loaded */
};

FIXTURE_SETUP(lin)
{
	int i;

	if (geteuid())
		SKIP(return, "needs root");
	if (access(FG_POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, access(SYSCTL "lineage", W_OK));
	for (i = 0; i < NKNOBS; i++)
		self->saved[i] = knob(knobs[i]);
	self->threshold = self->saved[1];
	ASSERT_EQ(0, write_text(FG_POLICIES, "flush\n"));
	ASSERT_EQ(0, set_knob("lineage", 2));
	write_text(CG_ROOT "/cgroup.subtree_control", "+pids");
	snprintf(self->cg, sizeof(self->cg), "/fglin.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
	/* A safety net for the bombs. */
	cg_write(self->cg, "pids.max", "300");
}

FIXTURE_TEARDOWN(lin)
{
	int i;

	cg_destroy(self->cg);
	for (i = NKNOBS - 1; i >= 0; i--)
		if (self->saved[i] >= 0)
			set_knob(knobs[i], self->saved[i]);
}

/* The defence alone puts the hook on the fork path, and takes it off. */
TEST_F(lin, knob_installs_hook)
{
	EXPECT_EQ(0, fg_stat("policies"));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	ASSERT_EQ(0, set_knob("lineage", 0));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	EXPECT_EQ(0, fg_stat("lineage_tracked"));
	ASSERT_EQ(0, set_knob("lineage", 1));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	ASSERT_EQ(0, set_knob("lineage", 2));
	EXPECT_EQ(1, fg_stat("hook_installed"));
}

/* A chain one short of the default threshold is never charged. */
TEST_F(lin, deep_legit_chain_untouched)
{
	struct counters a, b;
	char res[64];

	ASSERT_GT(self->threshold, 2);
	a = counters();
	run_chain(self->cg, self->threshold - 1, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(a.charged, b.charged);
	EXPECT_EQ(a.throttled, b.throttled);
	EXPECT_EQ(a.denied, b.denied);
	EXPECT_LE(self->threshold - 1, fg_stat("lineage_max_depth"));
}

/* Forks at depth 8..12 are charged: 5 of them, with a burst of 1. */
TEST_F(lin, deep_chain_charged)
{
	struct counters a, b;
	char res[64];

	ASSERT_EQ(0, set_knob("lineage_threshold", 8));
	ASSERT_EQ(0, set_knob("lineage_rate", 4));
	ASSERT_EQ(0, set_knob("lineage_burst", 1));
	ASSERT_EQ(0, set_knob("lineage_max_delay_ms", 5000));
	a = counters();
	run_chain(self->cg, 12, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(5, b.charged - a.charged);
	EXPECT_LE(3, b.throttled - a.throttled);
	EXPECT_EQ(0, b.denied - a.denied);
}

/* An exec half-way starts again from 0: 14 forks, none past depth 7. */
TEST_F(lin, exec_resets_depth)
{
	struct counters a, b;
	char res[64];

	ASSERT_EQ(0, set_knob("lineage_threshold", 8));
	a = counters();
	run_chain(self->cg, 14, 0, 7, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(0, b.charged - a.charged);
}

/* Parents that exit at once, as a bash bomb's do, do not reset depth. */
TEST_F(lin, orphaning_keeps_depth)
{
	struct counters a, b;
	char res[64];

	ASSERT_EQ(0, set_knob("lineage_threshold", 8));
	a = counters();
	run_chain(self->cg, 12, 1, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(5, b.charged - a.charged);
}

/* Log only: counted, never slowed. */
TEST_F(lin, log_mode_never_slows)
{
	struct counters a, b;
	char res[64];

	ASSERT_EQ(0, set_knob("lineage", 1));
	ASSERT_EQ(0, set_knob("lineage_threshold", 4));
	ASSERT_EQ(0, set_knob("lineage_rate", 1));
	ASSERT_EQ(0, set_knob("lineage_burst", 1));
	a = counters();
	run_chain(self->cg, 12, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(9, b.charged - a.charged);
	EXPECT_EQ(0, b.throttled - a.throttled);
	EXPECT_EQ(0, b.denied - a.denied);
}

/*
 * A bash fork bomb in a cgroup with pids.max as a safety net: forks at or
 * past the threshold pass no faster than the bucket allows.  A throttled
 * fork holds a token up to max_delay ahead, so by time T at most
 * burst + rate * (T + max_delay) charged forks have passed.
 */
TEST_F_TIMEOUT(lin, bash_bomb_slowed, 120)
{
	const int rate = 5, burst = 5, max_delay_ms = 1000;
	const double secs = 8 * fg_timeout_scale();
	struct counters a, b;
	double start, elapsed;
	long long passed, bound;
	pid_t pid;

	if (access("/bin/bash", X_OK))
		SKIP(return, "no bash");
	ASSERT_EQ(0, set_knob("lineage_threshold", 12));
	ASSERT_EQ(0, set_knob("lineage_rate", rate));
	ASSERT_EQ(0, set_knob("lineage_burst", burst));
	ASSERT_EQ(0, set_knob("lineage_max_delay_ms", max_delay_ms));
	a = counters();
	start = fg_now();
	pid = bash_in(self->cg, ":(){ :|:& };:", true);
	ASSERT_LE(0, pid);
	usleep(secs * 1e6);
	/* Frozen first, so that the counters stop with the clock. */
	cg_write(self->cg, "cgroup.freeze", "1");
	elapsed = fg_now() - start;
	b = counters();
	cg_write(self->cg, "cgroup.kill", "1");
	waitpid(pid, NULL, 0);
	cg_write(self->cg, "cgroup.freeze", "0");

	passed = (b.charged - a.charged) - (b.denied - a.denied);
	bound = burst + rate * (elapsed + max_delay_ms / 1000.0) + 1;
	TH_LOG("%.1f s: charged %lld throttled %lld denied %lld, max depth %lld",
	       elapsed, b.charged - a.charged, b.throttled - a.throttled,
	       b.denied - a.denied, fg_stat("lineage_max_depth"));
	EXPECT_LE(passed, bound);
	if (b.charged == a.charged)
		SKIP(return, "the bomb did not reach depth 12 in %.0f s: machine too slow",
		     elapsed);
	/*
	 * Only a bomb that tried more deep forks than the bucket holds can
	 * have been held back; a machine too loaded to get there is not the
	 * defence's failure (passed <= bound is what says it works).
	 */
	if (b.charged - a.charged > bound) {
		EXPECT_LT(0, (b.throttled - a.throttled) +
			     (b.denied - a.denied));
	} else {
		TH_LOG("the bomb made too few deep forks to exceed the rate");
	}
}

/*
 * The knobs of the siege tests: the depth rule out of the way, a bucket
 * that never makes a charged fork wait, the two width rules as given, and
 * each depth set through another value, so that its peak starts afresh.
 */
static int siege_knobs(int width, int wdepth, int rwidth, int rdepth)
{
	return set_knob("lineage_threshold", 100) ||
	       set_knob("lineage_rate", 1000) ||
	       set_knob("lineage_burst", 1000) ||
	       set_knob("lineage_siege_rate", 1000) ||
	       set_knob("lineage_siege_burst", 1000) ||
	       set_knob("lineage_width", width) ||
	       set_knob("lineage_width_depth", wdepth + 1) ||
	       set_knob("lineage_width_depth", wdepth) ||
	       set_knob("lineage_root_width", rwidth) ||
	       set_knob("lineage_root_depth", rdepth + 1) ||
	       set_knob("lineage_root_depth", rdepth);
}

/*
 * A cgroup with lineage_width processes at lineage_width_depth or deeper
 * comes under siege: then every fork in it is charged, also a fork by a
 * process that exec'd, and the siege is lifted when they are gone.  The
 * depth rule stays out of the way (threshold 100).
 */
TEST_F_TIMEOUT(lin, wide_tree_puts_cgroup_under_siege, 180)
{
	const char * const short_tree[] = { "tree", "5", "15", "FD", NULL };
	const char * const tree[] = { "tree", "5", "16", "FD", NULL };
	long long sieges, tracked = fg_stat("lineage_tracked");
	struct counters a, b;
	char res[64];
	int fd, kmsg;
	pid_t pid;

	ASSERT_EQ(0, siege_knobs(16, 5, 0, 4));
	EXPECT_EQ(0, fg_stat("lineage_peak_wide"));
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	sieges = fg_stat("lineage_sieges");
	kmsg = fg_kmsg_open();
	ASSERT_LE(0, kmsg);

	/* 15 at depth 5: one short. */
	pid = spawn_in(self->cg, short_tree, &fd);
	ASSERT_LT(0, pid);
	read_line(fd, 60, res, sizeof(res));
	close(fd);
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	EXPECT_EQ(15, fg_stat("lineage_peak_wide"));
	a = counters();
	run_chain(self->cg, 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(a.charged, b.charged);
	kill_all(self->cg, pid, tracked);

	/* 16: under siege, and a chain of 3 forks from depth 0 is charged. */
	pid = spawn_in(self->cg, tree, &fd);
	ASSERT_LT(0, pid);
	read_line(fd, 60, res, sizeof(res));
	close(fd);
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(1, fg_stat("lineage_under_siege"));
	EXPECT_EQ(sieges + 1, fg_stat("lineage_sieges"));
	EXPECT_EQ(16, fg_stat("lineage_peak_wide"));
	a = counters();
	run_chain(self->cg, 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(3, b.charged - a.charged);
	/* A fork in another cgroup is not. */
	a = counters();
	run_chain("/", 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(a.charged, b.charged);
	usleep(200000);
	EXPECT_EQ(1, fg_kmsg_count(kmsg, "under siege: 16 processes at depth 5", NULL));

	/* A wider setting lifts it at once; a narrower one sets it again. */
	ASSERT_EQ(0, set_knob("lineage_width", 40));
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	ASSERT_EQ(0, set_knob("lineage_width", 16));
	EXPECT_EQ(1, fg_stat("lineage_under_siege"));

	kill_all(self->cg, pid, tracked);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	a = counters();
	run_chain(self->cg, 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(a.charged, b.charged);
	close(kmsg);
	/* The peak outlives the tree, until the depth changes. */
	EXPECT_EQ(16, fg_stat("lineage_peak_wide"));
	ASSERT_EQ(0, set_knob("lineage_width_depth", 6));
	EXPECT_EQ(0, fg_stat("lineage_peak_wide"));
}

/*
 * Many processes above lineage_width_depth: no siege (the rule for one
 * lineage, which this tree would set off, is tested apart below).
 */
TEST_F_TIMEOUT(lin, wide_shallow_tree_untouched, 120)
{
	const char * const tree[] = { "tree", "4", "100", "FD", NULL };
	long long sieges = fg_stat("lineage_sieges");
	long long tracked = fg_stat("lineage_tracked");
	struct counters a, b;
	char res[64];
	int fd;
	pid_t pid;

	ASSERT_EQ(0, set_knob("lineage_root_width", 0));
	ASSERT_EQ(0, set_knob("lineage_width", 16));
	ASSERT_EQ(0, set_knob("lineage_width_depth", 5));
	a = counters();
	pid = spawn_in(self->cg, tree, &fd);
	ASSERT_LT(0, pid);
	read_line(fd, 60, res, sizeof(res));
	close(fd);
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	EXPECT_EQ(sieges, fg_stat("lineage_sieges"));
	EXPECT_EQ(a.charged, b.charged);
	kill_all(self->cg, pid, tracked);
}

/* spawn_in() @args and wait for its "ok": 0, or -1 with nothing left. */
static pid_t spawn_ok(const char *cg, const char * const *args)
{
	char res[64];
	pid_t pid;
	int fd;

	pid = spawn_in(cg, args, &fd);
	if (pid < 0)
		return -1;
	read_line(fd, 60, res, sizeof(res));
	close(fd);
	if (strcmp(res, "ok\n")) {
		kill_all(cg, pid, LLONG_MAX);
		return -1;
	}
	return pid;
}

/*
 * One lineage with lineage_root_width processes at one depth, at
 * lineage_root_depth or deeper, puts its cgroup under siege, however few
 * the cgroup has in all; two lineages of fewer each do not, nor does a
 * lineage that stays above that depth, nor a chain (see
 * deep_legit_chain_untouched).  The cgroup's own rule is off
 * (lineage_width 0).
 */
TEST_F_TIMEOUT(lin, one_lineage_puts_cgroup_under_siege, 240)
{
	const char * const shallow[] = { "tree", "3", "100", "FD", NULL };
	const char * const short_tree[] = { "tree", "4", "11", "FD", NULL };
	const char * const tree[] = { "tree", "4", "12", "FD", NULL };
	const char * const half[] = { "tree", "4", "8", "FD", NULL };
	long long sieges, tracked = fg_stat("lineage_tracked");
	struct counters a, b;
	char res[64];
	int kmsg, i, n;
	pid_t pid, pid2;

	ASSERT_EQ(0, siege_knobs(0, 6, 12, 4));
	EXPECT_EQ(0, fg_stat("lineage_peak_root_wide"));
	sieges = fg_stat("lineage_sieges");
	kmsg = fg_kmsg_open();
	ASSERT_LE(0, kmsg);

	/* 100 at depth 3, and 11 at depth 4: no siege. */
	pid = spawn_ok(self->cg, shallow);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	EXPECT_EQ(0, fg_stat("lineage_peak_root_wide"));
	kill_all(self->cg, pid, tracked);
	pid = spawn_ok(self->cg, short_tree);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	EXPECT_EQ(11, fg_stat("lineage_peak_root_wide"));
	a = counters();
	run_chain(self->cg, 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(a.charged, b.charged);
	kill_all(self->cg, pid, tracked);

	/* Two lineages of 8 in one cgroup: each counts alone. */
	pid = spawn_ok(self->cg, half);
	ASSERT_LT(0, pid);
	pid2 = spawn_ok(self->cg, half);
	EXPECT_LT(0, pid2);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	EXPECT_EQ(sieges, fg_stat("lineage_sieges"));
	kill_all(self->cg, pid, tracked);
	if (pid2 > 0)
		waitpid(pid2, NULL, 0);

	/* 12: under siege, and a chain from depth 0 is charged. */
	pid = spawn_ok(self->cg, tree);
	ASSERT_LT(0, pid);
	EXPECT_EQ(1, fg_stat("lineage_under_siege"));
	EXPECT_EQ(sieges + 1, fg_stat("lineage_sieges"));
	EXPECT_EQ(12, fg_stat("lineage_peak_root_wide"));
	a = counters();
	run_chain(self->cg, 3, 0, 0, 60, res, sizeof(res));
	b = counters();
	EXPECT_STREQ("ok\n", res);
	EXPECT_EQ(3, b.charged - a.charged);
	/* The line is printed by a work item: give a loaded machine time. */
	for (i = 0, n = 0; !n && i < 100 * fg_timeout_scale(); i++) {
		n = fg_kmsg_count(kmsg, "has 12 processes at depth 4 without",
				  NULL);
		if (!n)
			usleep(100000);
	}
	EXPECT_EQ(1, n);
	close(kmsg);

	/* Turning the rule off lifts the siege; back on sets it again. */
	ASSERT_EQ(0, set_knob("lineage_root_width", 0));
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
	ASSERT_EQ(0, set_knob("lineage_root_width", 12));
	EXPECT_EQ(1, fg_stat("lineage_under_siege"));
	kill_all(self->cg, pid, tracked);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
}

/*
 * Nested subshells and pipelines, the deepest legitimate chain measured
 * (bench/results/lineage-depth.md), many times over with the defaults:
 * nothing charged, no siege.
 */
TEST_F_TIMEOUT(lin, nested_bash_untouched, 180)
{
	static const char script[] =
		"f() { (echo a | (cat | (read x; echo \"$x$(echo b | cat)\"))); }; "
		"for j in 1 2 3 4; do for i in 1 2 3 4 5 6; do (f | cat) & done; wait; done";
	long long sieges = fg_stat("lineage_sieges");
	struct counters a, b;
	int status;
	pid_t pid;

	if (access("/bin/bash", X_OK))
		SKIP(return, "no bash");
	a = counters();
	pid = bash_in(self->cg, script, false);
	ASSERT_LE(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	b = counters();
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(a.charged, b.charged);
	EXPECT_EQ(sieges, fg_stat("lineage_sieges"));
}

/*
 * A C fork bomb, with the default threshold and width: its cgroup comes
 * under siege and its forks pass no faster than the bucket allows from
 * then on (the bound of bash_bomb_slowed, on the charged forks).
 */
TEST_F_TIMEOUT(lin, c_bomb_contained, 120)
{
	const int rate = 5, burst = 5, max_delay_ms = 1000;
	const double watch_secs = 3 * fg_timeout_scale();
	const char * const args[] = { "cbomb", NULL };
	long long sieges = fg_stat("lineage_sieges");
	long long passed, bound;
	struct counters a, b;
	double start, besieged, elapsed;
	int fd, kmsg, i, n;
	pid_t pid;

	ASSERT_EQ(0, set_knob("lineage_rate", rate));
	ASSERT_EQ(0, set_knob("lineage_burst", burst));
	ASSERT_EQ(0, set_knob("lineage_siege_rate", rate));
	ASSERT_EQ(0, set_knob("lineage_siege_burst", burst));
	ASSERT_EQ(0, set_knob("lineage_max_delay_ms", max_delay_ms));
	/*
	 * The fixture's net of 300 pids can stop this bomb before 32 of its
	 * processes reach depth 6 (the shape of the tree at that moment is up
	 * to the scheduler), and then nothing here is measured: give it the
	 * bench's net instead.
	 */
	cg_write(self->cg, "pids.max", "2000");
	kmsg = fg_kmsg_open();
	ASSERT_LE(0, kmsg);
	a = counters();
	start = fg_now();
	pid = spawn_in(self->cg, args, &fd);
	ASSERT_LT(0, pid);
	close(fd);
	/*
	 * How soon 32 processes are at depth 6 depends on the scheduler and
	 * on the kernel's speed: on a debug kernel the bomb makes about 15
	 * processes a second.  Wait for the siege, then watch it.
	 */
	fg_stat_wait("lineage_under_siege", 1, 12);
	besieged = fg_now() - start;
	usleep(watch_secs * 1e6);
	cg_write(self->cg, "cgroup.freeze", "1");
	elapsed = fg_now() - start;
	b = counters();
	TH_LOG("siege after %.1f s, pids.current at %.1f s: %ld", besieged,
	       elapsed, cg_read_long(self->cg, "pids.current"));
	EXPECT_LE(1, fg_stat("lineage_under_siege"));
	cg_write(self->cg, "cgroup.kill", "1");
	waitpid(pid, NULL, 0);
	cg_write(self->cg, "cgroup.freeze", "0");

	passed = (b.charged - a.charged) - (b.denied - a.denied);
	bound = burst + rate * (elapsed + max_delay_ms / 1000.0) + 1;
	TH_LOG("%.1f s: charged %lld throttled %lld denied %lld, sieges %lld",
	       elapsed, b.charged - a.charged, b.throttled - a.throttled,
	       b.denied - a.denied, fg_stat("lineage_sieges") - sieges);
	EXPECT_LT(sieges, fg_stat("lineage_sieges"));
	EXPECT_LE(passed, bound);
	EXPECT_LT(0, (b.throttled - a.throttled) + (b.denied - a.denied));
	/* The line is printed by a work item: give a loaded machine time. */
	for (i = 0, n = 0; !n && i < 100 * fg_timeout_scale(); i++) {
		n = fg_kmsg_count(kmsg, "under siege", NULL);
		if (!n)
			usleep(100000);
	}
	EXPECT_LE(1, n);
	close(kmsg);
}

/*
 * Run "forks N DEEP" in @cg; the sleeps of its failed forks in ms into
 * @fails (at most @max); their number, or -1.
 */
static int failed_fork_sleeps(const char *cg, int n, int deep, double *fails,
			      int max)
{
	char a_n[16], a_deep[16], res[1024], *tok, *save;
	const char * const args[] = { "forks", a_n, a_deep, "FD", NULL };
	int fd, nfail = 0;
	pid_t pid;

	snprintf(a_n, sizeof(a_n), "%d", n);
	snprintf(a_deep, sizeof(a_deep), "%d", deep);
	pid = spawn_in(cg, args, &fd);
	if (pid < 0)
		return -1;
	read_line(fd, 120 * fg_timeout_scale(), res, sizeof(res));
	close(fd);
	waitpid(pid, NULL, 0);
	ksft_print_msg("forks %d %d: %s", n, deep, res);
	for (tok = strtok_r(res, "\n ", &save); tok;
	     tok = strtok_r(NULL, "\n ", &save)) {
		bool fail = !strcmp(tok, "fail");

		tok = strtok_r(NULL, "\n ", &save);
		if (!tok)
			return -1;
		if (fail && nfail < max)
			fails[nfail++] = atof(tok);
	}
	return nfail;
}

/*
 * In a cgroup under siege, its bucket runs at lineage_siege_rate with
 * lineage_siege_burst, and a task whose forks keep being denied sleeps
 * twice as long each time, up to lineage_siege_backoff_ms.  Outside a
 * siege, a fork charged for its depth is denied after a sleep of one token
 * interval at most 1 s, as before.  Each bucket holds one token, refilled
 * once a second, and max_delay is 0: a lone forker's forks alternate
 * between allowed and denied.
 */
TEST_F_TIMEOUT(lin, siege_rate_and_backoff, 240)
{
	const char * const tree[] = { "tree", "5", "16", "FD", NULL };
	const double scale = fg_timeout_scale();
	long long tracked = fg_stat("lineage_tracked");
	double fails[8];
	char res[64];
	int fd, n, i;
	pid_t pid;

	ASSERT_EQ(0, siege_knobs(16, 5, 0, 4));
	pid = spawn_in(self->cg, tree, &fd);
	ASSERT_LT(0, pid);
	read_line(fd, 60, res, sizeof(res));
	close(fd);
	EXPECT_STREQ("ok\n", res);
	ASSERT_EQ(1, fg_stat("lineage_under_siege"));

	/* The siege's bucket, not lineage_rate's (1000/s, 1000 tokens). */
	ASSERT_EQ(0, set_knob("lineage_max_delay_ms", 0));
	ASSERT_EQ(0, set_knob("lineage_siege_backoff_ms", 4000));
	ASSERT_EQ(0, set_knob("lineage_siege_burst", 1));
	ASSERT_EQ(0, set_knob("lineage_siege_rate", 1));
	n = failed_fork_sleeps(self->cg, 10, 0, fails, ARRAY_SIZE(fails));
	ASSERT_LE(3, n);
	/* 1 s, 2 s, 4 s, then the ceiling. */
	EXPECT_LE(900, fails[0]);
	EXPECT_LE(1800, fails[1]);
	EXPECT_LE(3600, fails[2]);
	for (i = 0; i < n; i++)
		EXPECT_GE(4000 + 1000 * scale, fails[i]);
	kill_all(self->cg, pid, tracked);
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));

	/*
	 * No siege: the children of a process at depth 1 are at the
	 * threshold, charged to lineage_rate's bucket, and denied after 1 s
	 * each time.
	 */
	ASSERT_EQ(0, set_knob("lineage_threshold", 2));
	ASSERT_EQ(0, set_knob("lineage_burst", 1));
	ASSERT_EQ(0, set_knob("lineage_rate", 1));
	n = failed_fork_sleeps(self->cg, 6, 1, fails, ARRAY_SIZE(fails));
	ASSERT_LE(2, n);
	for (i = 0; i < n; i++) {
		EXPECT_LE(900, fails[i]);
		EXPECT_GE(1000 + 800 * scale, fails[i]);
	}
	EXPECT_EQ(0, fg_stat("lineage_under_siege"));
}

struct bad_knob {
	const char *knob;
	const char *val;
};

static const struct bad_knob bad_knobs[] = {
	{ "lineage", "3" }, { "lineage", "-1" }, { "lineage", "on" },
	{ "lineage_threshold", "1" }, { "lineage_threshold", "0" },
	{ "lineage_threshold", "1000001" }, { "lineage_threshold", "x" },
	{ "lineage_rate", "0" }, { "lineage_rate", "-5" },
	{ "lineage_burst", "0" }, { "lineage_burst", "2000000" },
	{ "lineage_max_delay_ms", "-1" }, { "lineage_max_delay_ms", "600001" },
	{ "lineage_width", "-1" }, { "lineage_width", "1000001" },
	{ "lineage_width", "wide" }, { "lineage_width_depth", "1" },
	{ "lineage_width_depth", "0" }, { "lineage_width_depth", "1000001" },
	{ "lineage_root_width", "-1" }, { "lineage_root_width", "1000001" },
	{ "lineage_root_width", "x" }, { "lineage_root_depth", "1" },
	{ "lineage_root_depth", "0" }, { "lineage_root_depth", "4x" },
	{ "lineage_siege_rate", "0" }, { "lineage_siege_rate", "1000001" },
	{ "lineage_siege_burst", "0" }, { "lineage_siege_burst", "-1" },
	{ "lineage_siege_backoff_ms", "999" },
	{ "lineage_siege_backoff_ms", "10001" },
	{ "lineage_siege_backoff_ms", "x" },
};

/* Bad values: EINVAL and nothing changes; non-root writers: EPERM. */
TEST_F(lin, bad_knob_values_refused)
{
	char path[256];
	long before;
	pid_t pid;
	int i, status;

	for (i = 0; i < ARRAY_SIZE(bad_knobs); i++) {
		snprintf(path, sizeof(path), SYSCTL "%s", bad_knobs[i].knob);
		before = knob(bad_knobs[i].knob);
		EXPECT_EQ(-EINVAL, write_text(path, bad_knobs[i].val))
			TH_LOG("%s=%s", bad_knobs[i].knob, bad_knobs[i].val);
		EXPECT_EQ(before, knob(bad_knobs[i].knob));
	}
	EXPECT_EQ(1, fg_stat("hook_installed"));

	/*
	 * Root of a child user namespace mapped to the real root passes the
	 * file mode; only forkgov's capability check stands in its way.
	 */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) ||
		    write_text("/proc/self/uid_map", "0 0 1"))
			_exit(2);
		for (i = 0; i < ARRAY_SIZE(knobs); i++) {
			snprintf(path, sizeof(path), SYSCTL "%s", knobs[i]);
			if (write_text(path, "2") != -EPERM)
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Any other user is refused by the file mode already. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		for (i = 0; i < ARRAY_SIZE(knobs); i++) {
			snprintf(path, sizeof(path), SYSCTL "%s", knobs[i]);
			if (write_text(path, "2") != -EACCES)
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		EXPECT_EQ(self->saved[i], knob(knobs[i]));
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "chain"))
		return chain_main(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "tree"))
		return tree_main(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "forks"))
		return forks_main(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "cbomb"))
		return cbomb_main();
	return test_harness_run(argc, argv);
}
