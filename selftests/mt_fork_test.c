// SPDX-License-Identifier: GPL-2.0
/*
 * The fork-without-exec reporter (Documentation/admin-guide/forkgov/mt-fork.rst):
 * a child forked by a process with more than one thread is reported when it
 * exits without exec, or is still running without exec after the grace
 * period; threads, CLONE_VM children, children that exec in time and
 * children of single-threaded parents are not.  Each case reads the kernel
 * log through /dev/kmsg and the mt_* counters of /proc/forkgov/stats, and
 * restores the knobs afterwards.  The python3 cases run selftests/mt_fork_mp.py.
 * Needs root; skips without the module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define KNOBS		"/proc/sys/kernel/forkgov/"
#define GRACE_MS	200	/* at least; see machine_grace_ms() */
#define WINDOW_MS	5000	/* the interval of these tests; MT_RL_INTERVAL */
#define HELPERS		2	/* threads besides the main one */

/* ---- kernel log --------------------------------------------------------- */

static int kmsg_fd = -1;
static char kmsg_log[1 << 18];
static size_t kmsg_len;

/* Keep only what is logged from now on. */
static int kmsg_start(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		return -errno;
	lseek(kmsg_fd, 0, SEEK_END);
	kmsg_len = 0;
	kmsg_log[0] = '\0';
	return 0;
}

/* Append the new fork-without-exec records (log and audit), one per line. */
static void kmsg_poll(void)
{
	char rec[8192], *msg, *nl;
	ssize_t n;
	int len;

	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: keep reading */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');		/* "prio,seq,ts,flags;msg" */
		if (!msg)
			continue;
		nl = strchr(++msg, '\n');
		if (nl)
			*nl = '\0';
		if (!strstr(msg, "mt-fork:") && !strstr(msg, "op=forkgov_mt_fork"))
			continue;
		fprintf(stderr, "# kmsg: %s\n", msg);
		len = snprintf(kmsg_log + kmsg_len, sizeof(kmsg_log) - kmsg_len,
			       "%s\n", msg);
		if (len > 0 && (size_t)len < sizeof(kmsg_log) - kmsg_len)
			kmsg_len += len;
	}
}

/* Lines logged so far that contain both @a and @b (@b may be NULL). */
static int kmsg_count(const char *a, const char *b)
{
	char *line, *save = NULL, *copy;
	int n = 0;

	kmsg_poll();
	copy = strdup(kmsg_log);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += strstr(line, a) && (!b || strstr(line, b));
	free(copy);
	return n;
}

/* @ms times FG_TIMEOUT_SCALE: a bound on how long the machine may take. */
static int scaled(int ms)
{
	return ms * fg_timeout_scale();
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Wait up to scaled(@ms) for a line with @a and @b. */
static bool kmsg_wait(int ms, const char *a, const char *b)
{
	/* By the clock: reading the log can take longer than the pause. */
	double end = now_ms() + scaled(ms);

	do {
		if (kmsg_count(a, b))
			return true;
		sleep_ms(50);
	} while (now_ms() < end);
	return kmsg_count(a, b);
}

/* The line of the report on child @pid: "child PID of ". */
static const char *child_tag(pid_t pid)
{
	static char buf[2][32];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "child %d of ", pid);
	return buf[i];
}

/* Any line about parent @ppid: "[PPID]". */
static const char *parent_tag(pid_t ppid)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "[%d]", ppid);
	return buf;
}

/* ---- counters and knobs ------------------------------------------------- */

struct mt_stats {
	long tracked, reported, suppressed, exec_in_time, dropped, aggregated;
};

static int stats_read(struct mt_stats *st)
{
	static const char * const names[] = {
		"mt_tracked", "mt_reported", "mt_suppressed",
		"mt_exec_in_time", "mt_dropped", "mt_aggregated",
	};
	long *field[] = {
		&st->tracked, &st->reported, &st->suppressed,
		&st->exec_in_time, &st->dropped, &st->aggregated,
	};
	char buf[4096], name[64], *line, *save = NULL;
	unsigned int i, found = 0;
	long val;

	if (read_text(FG_STATS, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %ld", name, &val) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(names); i++) {
			if (!strcmp(name, names[i])) {
				*field[i] = val;
				found |= 1U << i;
			}
		}
	}
	return found == (1U << ARRAY_SIZE(names)) - 1 ? 0 : -1;
}

/* mt_tracked, once it has settled to @want, or what it is after scaled(@ms). */
static long tracked_wait(long want, int ms)
{
	struct mt_stats st = { .tracked = -1 };
	double end = now_ms() + scaled(ms);

	do {
		if (!stats_read(&st) && st.tracked == want)
			break;
		sleep_ms(20);
	} while (now_ms() < end);
	return st.tracked;
}

static int __attribute__((format(printf, 2, 3)))
knob_write(const char *name, const char *fmt, ...)
{
	char path[128], val[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), KNOBS "%s", name);
	return write_text(path, val);
}

static int knob_read(const char *name, char *buf, size_t size)
{
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), KNOBS "%s", name);
	n = read_text(path, buf, size);
	if (n < 0)
		return n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* ---- multithreaded parents ---------------------------------------------- */

static int thr_pipe[2] = { -1, -1 };
static pthread_t thr[HELPERS];

static void *thr_wait(void *arg)
{
	char c;

	while (read(thr_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* Give the calling process HELPERS more threads, blocked until threads_stop(). */
static int threads_start(void)
{
	int i;

	if (pipe2(thr_pipe, O_CLOEXEC))
		return -errno;
	for (i = 0; i < HELPERS; i++)
		if (pthread_create(&thr[i], NULL, thr_wait, NULL))
			return -1;
	return 0;
}

static void threads_stop(void)
{
	int i;

	if (thr_pipe[1] < 0)
		return;
	close(thr_pipe[1]);
	for (i = 0; i < HELPERS; i++)
		pthread_join(thr[i], NULL);
	close(thr_pipe[0]);
	thr_pipe[0] = -1;
	thr_pipe[1] = -1;
}

static int threads_now(void)
{
	char buf[4096], *p;

	if (read_text("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nThreads:");
	return p ? atoi(p + 9) : -1;
}

/* fork(); the child exits with @code at once, or waits for a signal (-1). */
static pid_t fork_child(int code)
{
	pid_t parent = getpid(), pid = fork();

	if (pid)
		return pid;
	if (code < 0) {
		/*
		 * Killed with the parent: a churner killed between its fork
		 * and its kill() must not leave a tracked child behind.
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			pause();
	}
	_exit(code);
}

static pid_t fork_exec_true(void)
{
	pid_t pid = fork();

	if (!pid) {
		execl("/bin/true", "true", NULL);
		_exit(127);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	reap(pid);
}

/* The grace period of the test: machine_grace_ms(). */
static int grace_ms = GRACE_MS;

/*
 * A grace period that every child of these tests outlives only if it is
 * meant to: GRACE_MS, or four times the slowest of three runs of /bin/true
 * (fork, exec, exit) where that is longer (over a second on a debug kernel
 * under emulation), but at most 10 s, so that a test can wait it out within
 * its 30 s.  Call it with one thread, so that the children are not tracked.
 */
static int machine_grace_ms(void)
{
	double start, worst = 0, ms;
	int i;
	pid_t pid;

	for (i = 0; i < 3; i++) {
		start = now_ms();
		pid = fork_exec_true();
		if (pid < 0 || reap(pid))
			return -1;
		if (now_ms() - start > worst)
			worst = now_ms() - start;
	}
	ms = worst * 4 + 1;
	if (ms < GRACE_MS)
		return GRACE_MS;
	return ms < 10000 ? ms : 10000;
}

/* ---- fixture ------------------------------------------------------------ */

FIXTURE(mt) {
	bool saved;
	char warn[16], grace[16], max[16], interval[16], offenders[16];
	char comm[16];
	struct mt_stats before;
};

FIXTURE_SETUP(mt)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(KNOBS "mt_fork_warn", W_OK))
		SKIP(return, "forkgov with the fork-without-exec reporter is not loaded");
	ASSERT_EQ(0, knob_read("mt_fork_warn", self->warn, sizeof(self->warn)));
	ASSERT_EQ(0, knob_read("mt_fork_grace_ms", self->grace, sizeof(self->grace)));
	ASSERT_EQ(0, knob_read("mt_fork_max_tracked", self->max, sizeof(self->max)));
	ASSERT_EQ(0, knob_read("mt_fork_interval_ms", self->interval,
			       sizeof(self->interval)));
	ASSERT_EQ(0, knob_read("mt_fork_max_offenders", self->offenders,
			       sizeof(self->offenders)));
	/*
	 * Reports are aggregated per offender, the forking thread's name and
	 * the cgroup: a name of its own keeps each test apart from the
	 * reports of the tests before it.
	 */
	snprintf(self->comm, sizeof(self->comm), "mtf.%d", getpid());
	ASSERT_EQ(0, prctl(PR_SET_NAME, self->comm));
	ASSERT_EQ(1, threads_now());
	grace_ms = machine_grace_ms();
	ASSERT_LT(0, grace_ms);
	if (grace_ms > GRACE_MS)
		TH_LOG("grace period %d ms", grace_ms);
	self->saved = true;
	ASSERT_EQ(0, knob_write("mt_fork_warn", "1"));
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "%d", grace_ms));
	ASSERT_EQ(0, knob_write("mt_fork_max_tracked", "4096"));
	ASSERT_EQ(0, knob_write("mt_fork_interval_ms", "%d", WINDOW_MS));
	ASSERT_EQ(0, kmsg_start());
	ASSERT_EQ(0, stats_read(&self->before)) {
		TH_LOG("no mt_* counters in " FG_STATS);
	}
}

FIXTURE_TEARDOWN(mt)
{
	threads_stop();
	if (!self->saved)
		return;
	knob_write("mt_fork_max_tracked", "%s", self->max);
	knob_write("mt_fork_grace_ms", "%s", self->grace);
	knob_write("mt_fork_interval_ms", "%s", self->interval);
	knob_write("mt_fork_max_offenders", "%s", self->offenders);
	knob_write("mt_fork_warn", "%s", self->warn);
}

/* How much the counter at @off of struct mt_stats changed since @before. */
static long stats_delta(const struct mt_stats *before, size_t off)
{
	struct mt_stats now;

	if (stats_read(&now))
		return LONG_MIN;
	return *(long *)((char *)&now + off) -
	       *(const long *)((const char *)before + off);
}

#define DELTA(f)	stats_delta(&self->before, offsetof(struct mt_stats, f))

#define EXPECT_NOTHING_REPORTED() do {				\
	EXPECT_EQ(0, DELTA(reported));				\
	EXPECT_EQ(0, DELTA(aggregated));			\
	EXPECT_EQ(0, DELTA(suppressed));			\
	EXPECT_EQ(0, kmsg_count("mt-fork:", NULL));		\
} while (0)

TEST_F(mt, exit_without_exec_is_reported)
{
	char exe[PATH_MAX];
	ssize_t n;
	pid_t pid;
	int status;

	ASSERT_EQ(0, threads_start());
	pid = fork_child(3);
	status = reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(3, WEXITSTATUS(status));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), "exited with status 3"));
	EXPECT_EQ(1, kmsg_count(child_tag(pid), "(3 threads at fork)"));
	EXPECT_EQ(1, kmsg_count(child_tag(pid), parent_tag(getpid())));
	EXPECT_EQ(1, kmsg_count(child_tag(pid), "without exec; cgroup /"));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	EXPECT_EQ(1, kmsg_count(child_tag(pid), exe));
	EXPECT_EQ(0, tracked_wait(0, 1000));
	EXPECT_EQ(1, DELTA(reported));
	EXPECT_EQ(0, DELTA(exec_in_time));
	EXPECT_EQ(0, DELTA(dropped));
}

TEST_F(mt, killed_child_is_reported_with_signal)
{
	pid_t pid;

	ASSERT_EQ(0, threads_start());
	pid = fork_child(-1);
	kill_reap(pid);
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), "was killed by signal 9"));
	EXPECT_EQ(1, DELTA(reported));
}

static void *exit_group_later(void *arg)
{
	sleep_ms(100);
	syscall(SYS_exit_group, 6);
	return NULL;
}

/*
 * A child with threads of its own is reported once, when its last thread
 * exits, with the status wait() sees: here its leader leaves first with
 * pthread_exit(), then another thread calls exit_group(6).
 */
TEST_F(mt, threaded_child_is_reported_when_all_threads_exit)
{
	pthread_t t;
	pid_t pid;
	int status;

	ASSERT_EQ(0, threads_start());
	pid = fork();
	if (!pid) {
		if (pthread_create(&t, NULL, exit_group_later, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	status = reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(6, WEXITSTATUS(status));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), "exited with status 6"));
	sleep_ms(scaled(300));
	EXPECT_EQ(1, kmsg_count(child_tag(pid), NULL));
	EXPECT_EQ(1, DELTA(reported));
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

TEST_F(mt, exec_in_time_is_not_reported)
{
	pid_t pid;

	ASSERT_EQ(0, threads_start());
	pid = fork_exec_true();
	ASSERT_EQ(0, reap(pid));
	sleep_ms(grace_ms + scaled(500));
	EXPECT_EQ(0, kmsg_count(child_tag(pid), NULL));
	EXPECT_NOTHING_REPORTED();
	EXPECT_EQ(1, DELTA(exec_in_time));
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

TEST_F(mt, still_running_after_grace_is_reported_once)
{
	unsigned long ms = 0;
	const char *p, *tag;
	pid_t pid;

	ASSERT_EQ(0, threads_start());
	pid = fork_child(-1);
	tag = child_tag(pid);
	EXPECT_EQ(1, tracked_wait(1, 1000));
	ASSERT_TRUE(kmsg_wait(grace_ms + 3000, tag, "is still running without exec after"));
	p = strstr(strstr(kmsg_log, tag), "after ");
	ASSERT_NE(NULL, p);
	ms = strtoul(p + 6, NULL, 10);
	EXPECT_LE(grace_ms, ms);
	EXPECT_EQ(0, tracked_wait(0, 1000));
	/* Reported once: its exit afterwards is not. */
	kill_reap(pid);
	sleep_ms(scaled(500));
	EXPECT_EQ(1, kmsg_count(tag, NULL));
	EXPECT_EQ(1, DELTA(reported));
}

TEST_F(mt, grace_zero_reports_at_fork)
{
	pid_t pid;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "0"));
	ASSERT_EQ(0, threads_start());
	pid = fork_exec_true();
	ASSERT_EQ(0, reap(pid));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), "mt_fork_grace_ms is 0"));
	EXPECT_EQ(1, DELTA(reported));
	EXPECT_EQ(0, DELTA(exec_in_time));
}

TEST_F(mt, posix_spawn_and_vfork_are_exempt)
{
	char *const argv[] = { "true", NULL };
	pid_t pid, vpid;

	ASSERT_EQ(0, threads_start());
	ASSERT_EQ(0, posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ));
	ASSERT_EQ(0, reap(pid));
	vpid = vfork();
	if (!vpid) {
		execl("/bin/true", "true", NULL);
		_exit(127);
	}
	ASSERT_EQ(0, reap(vpid));
	sleep_ms(grace_ms + scaled(500));
	EXPECT_NOTHING_REPORTED();
	/* CLONE_VM children are not even tracked. */
	EXPECT_EQ(0, DELTA(exec_in_time));
	EXPECT_EQ(0, DELTA(dropped));
}

static void *thread_exits(void *arg)
{
	return NULL;
}

TEST_F(mt, single_threaded_parent_and_threads_are_exempt)
{
	pthread_t t;
	pid_t pid;

	ASSERT_EQ(1, threads_now());
	pid = fork_child(3);
	ASSERT_TRUE(WIFEXITED(reap(pid)));
	/* A thread is not a child process; once it is gone we are single again. */
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_exits, NULL));
	ASSERT_EQ(0, pthread_join(t, NULL));
	pid = fork_child(4);
	ASSERT_TRUE(WIFEXITED(reap(pid)));
	sleep_ms(grace_ms + scaled(500));
	EXPECT_NOTHING_REPORTED();
	EXPECT_EQ(0, DELTA(exec_in_time));
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

#define POOL 64

/*
 * A pool: POOL children of one parent exit without exec, each reported
 * within the window the first report opens, so one line names that child
 * and one sums up the others.  They exit together once all are forked, so
 * that the time forking takes does not matter, and the grace period
 * outlasts them; but a machine that needs most of the window from the
 * first exit to the last cannot show this.
 */
TEST_F_TIMEOUT(mt, pool_of_children_is_one_report, 120)
{
	char more[64], c;
	pid_t pids[POOL];
	double first = 0, took;
	int go[2], i, status;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, threads_start());
	for (i = 0; i < POOL; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			close(go[1]);
			_exit(read(go[0], &c, 1) ? 1 : 0);
		}
		ASSERT_LT(0, pids[i]);
	}
	close(go[1]);
	/* In the order they exit: the only children of this process. */
	for (i = 0; i < POOL; i++) {
		ASSERT_LT(0, waitpid(-1, &status, 0));
		ASSERT_EQ(0, status);
		if (!i)
			first = now_ms();
	}
	took = now_ms() - first;
	close(go[0]);
	if (took > WINDOW_MS - 1000)
		SKIP(return, "their exits spread over %.0f ms, most of the %d ms window",
		     took, WINDOW_MS);
	snprintf(more, sizeof(more), "]: %d more children without exec", POOL - 1);
	ASSERT_TRUE(kmsg_wait(WINDOW_MS + 5000, parent_tag(getpid()), more));
	snprintf(more, sizeof(more), "(%d exited, 0 running)", POOL - 1);
	EXPECT_EQ(1, kmsg_count(parent_tag(getpid()), more));
	/* One report naming a child, one summing up the others. */
	EXPECT_EQ(2, kmsg_count(parent_tag(getpid()), NULL));
	EXPECT_EQ(1, kmsg_count("child ", parent_tag(getpid())));
	EXPECT_EQ(1, DELTA(reported));
	EXPECT_EQ(POOL - 1, DELTA(aggregated));
	EXPECT_EQ(0, DELTA(suppressed));
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

static pid_t fork_in(const char *cg);

/* ---- offenders ------------------------------------------------------------ */

#define OFFENDERS	"/proc/forkgov/mt_offenders"

/*
 * The value of @key in the row of /proc/forkgov/mt_offenders for @comm (as
 * the file escapes it) in @cgroup, copied to @val; false without that row.
 */
static bool offender_field(const char *comm, const char *cgroup,
			   const char *key, char *val, size_t size)
{
	static char buf[1 << 16];
	char want[128], cg[PATH_MAX + 16], k[32], *line, *save = NULL, *p;

	if (read_text(OFFENDERS, buf, sizeof(buf)) < 0)
		return false;
	snprintf(want, sizeof(want), "comm=%s ", comm);
	snprintf(cg, sizeof(cg), " cgroup=%s ", cgroup);
	snprintf(k, sizeof(k), " %s=", key);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, want, strlen(want)) || !strstr(line, cg))
			continue;
		p = strstr(line, k);
		if (!p)
			return false;
		p += strlen(k);
		snprintf(val, size, "%.*s", (int)strcspn(p, " "), p);
		return true;
	}
	return false;
}

/* The count of @comm in @cgroup, -1 without a row. */
static long offender_count(const char *comm, const char *cgroup)
{
	char val[32];

	if (!offender_field(comm, cgroup, "count", val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 10);
}

/*
 * @n children of this process, named @comm, exit without exec together once
 * all are forked; false if their exits spread over more than @ms.
 */
static bool fork_pool(const char *comm, int n, int ms)
{
	double first = 0;
	int go[2], i, status;
	char c;
	pid_t pid;

	if (prctl(PR_SET_NAME, comm) || pipe2(go, O_CLOEXEC))
		return false;
	for (i = 0; i < n; i++) {
		pid = fork();
		if (!pid) {
			close(go[1]);
			_exit(read(go[0], &c, 1) ? 1 : 0);
		}
		if (pid < 0)
			return false;
	}
	close(go[1]);
	for (i = 0; i < n; i++) {
		if (waitpid(-1, &status, 0) < 0 || status)
			return false;
		if (!i)
			first = now_ms();
	}
	close(go[0]);
	return now_ms() - first < ms;
}

/*
 * 20 children of one offender: one line names the first, one sums up the
 * other 19 when the interval closes, and the table counts all 20.
 */
TEST_F_TIMEOUT(mt, offender_is_one_line_and_a_summary, 60)
{
	char buf[64], exe[PATH_MAX], val[PATH_MAX];
	ssize_t n;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, threads_start());
	if (!fork_pool(self->comm, 20, WINDOW_MS - 1000))
		SKIP(return, "the exits spread over most of the interval");
	snprintf(buf, sizeof(buf), "]: 19 more children without exec within %d ms",
		 WINDOW_MS);
	ASSERT_TRUE(kmsg_wait(WINDOW_MS + 5000, self->comm, buf));
	EXPECT_EQ(1, kmsg_count(self->comm, "(19 exited, 0 running); cgroup /"));
	EXPECT_EQ(1, kmsg_count("child ", self->comm));
	EXPECT_EQ(2, kmsg_count(self->comm, NULL));
	EXPECT_EQ(1, DELTA(reported));
	EXPECT_EQ(19, DELTA(aggregated));
	EXPECT_EQ(0, DELTA(suppressed));
	EXPECT_EQ(20, offender_count(self->comm, "/"));
	ASSERT_TRUE(offender_field(self->comm, "/", "pid", val, sizeof(val)));
	EXPECT_EQ(getpid(), atoi(val));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_TRUE(offender_field(self->comm, "/", "exe", val, sizeof(val)));
	EXPECT_STREQ(exe, val);
	ASSERT_TRUE(offender_field(self->comm, "/", "first", val, sizeof(val)));
	EXPECT_LT(time(NULL) - 120, atol(val));
	ASSERT_TRUE(offender_field(self->comm, "/", "last", buf, sizeof(buf)));
	EXPECT_LE(atol(val), atol(buf));
	EXPECT_GE(time(NULL), atol(buf));
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

/*
 * Two names, and one name in two cgroups, are three offenders: each gets
 * its own line, its own summary and its own row.  A name with a space and a
 * control byte is escaped in both the log and the table.
 */
TEST_F_TIMEOUT(mt, offenders_are_separate, 60)
{
	char other[16], odd[16], cg[64], tag[64];
	pid_t child;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, threads_start());
	snprintf(other, sizeof(other), "mto.%d", getpid());
	snprintf(odd, sizeof(odd), "m y\033%d", getpid() % 10000);
	if (!fork_pool(self->comm, 3, WINDOW_MS - 1000) ||
	    !fork_pool(other, 3, WINDOW_MS - 1000) ||
	    !fork_pool(odd, 3, WINDOW_MS - 1000))
		SKIP(return, "the exits spread over most of the interval");
	ASSERT_EQ(0, prctl(PR_SET_NAME, self->comm));
	ASSERT_TRUE(kmsg_wait(WINDOW_MS + 5000, self->comm, "]: 2 more children"));
	ASSERT_TRUE(kmsg_wait(3000, other, "]: 2 more children"));
	/* escaped by forkgov as \033, whose backslash /dev/kmsg shows as \x5c */
	snprintf(tag, sizeof(tag), "m y\\x5c033%d[", getpid() % 10000);
	ASSERT_TRUE(kmsg_wait(3000, tag, "]: 2 more children"));
	EXPECT_EQ(2, kmsg_count(self->comm, NULL));
	EXPECT_EQ(2, kmsg_count(other, NULL));
	EXPECT_EQ(2, kmsg_count(tag, NULL));
	EXPECT_EQ(0, kmsg_count("m y\033", NULL));
	EXPECT_EQ(3, offender_count(self->comm, "/"));
	EXPECT_EQ(3, offender_count(other, "/"));
	snprintf(tag, sizeof(tag), "m\\040y\\033%d", getpid() % 10000);
	EXPECT_EQ(3, offender_count(tag, "/"));
	EXPECT_EQ(3, DELTA(reported));
	EXPECT_EQ(6, DELTA(aggregated));

	if (!cg_available())
		return;
	/* Single-threaded again: fork_in()'s worker is not a report itself. */
	threads_stop();
	snprintf(cg, sizeof(cg), "/fgtest-mto.%d", getpid());
	ASSERT_EQ(0, cg_create(cg));
	/* fork_in()'s worker has our name: same name, another cgroup. */
	child = fork_in(cg);
	ASSERT_LT(0, child);
	ASSERT_TRUE(kmsg_wait(3000, child_tag(child), cg));
	EXPECT_EQ(1, offender_count(self->comm, cg));
	EXPECT_EQ(3, offender_count(self->comm, "/"));
	EXPECT_EQ(4, DELTA(reported));
	EXPECT_EQ(0, cg_destroy(cg));
}

/*
 * A pod's cgroup as kubelet's systemd driver lays it out, built by hand
 * under a cgroup of the test's: the first line of an offender and the
 * summary of its interval both name the pod and the container, as the
 * policy reports do (report_test's pod_and_container_in_reports).
 */
#define MT_K8S_UID	"0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define MT_K8S_UID_	"0a1b2c3d_4e5f_6789_abcd_ef0123456789"
#define MT_K8S_CID	"4f3a9c0d2b1e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b"

static const char * const mt_k8s_levels[] = {
	"/kubepods.slice",
	"/kubepods-burstable.slice",
	"/kubepods-burstable-pod" MT_K8S_UID_ ".slice",
	"/cri-containerd-" MT_K8S_CID ".scope",
};

TEST_F_TIMEOUT(mt, pod_and_container_in_both_lines, 60)
{
	const char *pod = "; pod " MT_K8S_UID " container " MT_K8S_CID;
	char top[64], cg[512];
	int i, status = -1;
	pid_t worker;

	if (!cg_available())
		SKIP(return, "cgroup2 is not mounted");
	snprintf(top, sizeof(top), "/fgtest-mtk.%d", getpid());
	snprintf(cg, sizeof(cg), "%s", top);
	ASSERT_EQ(0, cg_create(cg));
	for (i = 0; i < (int)ARRAY_SIZE(mt_k8s_levels); i++) {
		strncat(cg, mt_k8s_levels[i], sizeof(cg) - strlen(cg) - 1);
		ASSERT_EQ(0, cg_create(cg));
	}
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	/* a worker in the pod's cgroup, with threads, forks 3 children */
	worker = fork();
	ASSERT_LE(0, worker);
	if (!worker) {
		if (cg_enter_current(cg) || threads_start())
			_exit(1);
		_exit(fork_pool(self->comm, 3, WINDOW_MS - 1000) ? 0 : 2);
	}
	waitpid(worker, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		cg_destroy(top);
		SKIP(return, "the exits spread over most of the interval");
	}
	EXPECT_EQ(0, status);
	EXPECT_TRUE(kmsg_wait(WINDOW_MS + 5000, self->comm, "]: 2 more children"));
	EXPECT_EQ(1, kmsg_count("child ", pod));
	EXPECT_EQ(1, kmsg_count("]: 2 more children", pod));
	EXPECT_EQ(2, kmsg_count(self->comm, pod));
	EXPECT_EQ(3, offender_count(self->comm, cg));
	EXPECT_EQ(0, cg_destroy(top));
}

/*
 * A table of 4 entries and 6 offenders: the two seen least recently go,
 * counted in mt_offenders_evicted; the table keeps 4 rows, each with its
 * exact count.
 */
TEST_F_TIMEOUT(mt, full_offender_table_evicts_and_counts, 60)
{
	char name[6][16];
	long long evicted0;
	int i;

	ASSERT_EQ(0, knob_write("mt_fork_max_offenders", "5"));
	/* A new size starts afresh. */
	ASSERT_EQ(0, knob_write("mt_fork_max_offenders", "4"));
	evicted0 = fg_stat("mt_offenders_evicted");
	ASSERT_LE(0, evicted0);
	EXPECT_EQ(0, fg_stat("mt_offenders"));
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, threads_start());
	for (i = 0; i < 6; i++) {
		snprintf(name[i], sizeof(name[i]), "mte%d.%d", i, getpid());
		/* In order: each report is written before the next fork. */
		ASSERT_TRUE(fork_pool(name[i], 1 + i % 2, WINDOW_MS));
		ASSERT_TRUE(tracked_wait(0, 3000) == 0 &&
			    offender_count(name[i], "/") == 1 + i % 2);
	}
	EXPECT_EQ(2, fg_stat("mt_offenders_evicted") - evicted0);
	EXPECT_EQ(4, fg_stat("mt_offenders"));
	EXPECT_EQ(-1, offender_count(name[0], "/"));
	EXPECT_EQ(-1, offender_count(name[1], "/"));
	for (i = 2; i < 6; i++)
		EXPECT_EQ(1 + i % 2, offender_count(name[i], "/"));
	/* Every child counted: in a line, a summary or held back. */
	EXPECT_EQ(9, DELTA(reported) + DELTA(aggregated) + DELTA(suppressed));
	/* Let the rate limit recover for the tests that follow. */
	sleep_ms(WINDOW_MS + scaled(500));
}

/* Without CAP_SYS_ADMIN the table hides the executable. */
TEST_F(mt, offender_table_for_the_unprivileged)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char val[PATH_MAX];
	pid_t pid;
	int status;

	ASSERT_EQ(0, threads_start());
	pid = fork_child(0);
	ASSERT_TRUE(WIFEXITED(reap(pid)));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), NULL));
	ASSERT_TRUE(offender_field(self->comm, "/", "exe", val, sizeof(val)));
	EXPECT_STRNE("-", val);
	/* Single-threaded again: the reader is not a report itself. */
	threads_stop();
	pid = fork();
	if (!pid) {
		if (syscall(SYS_capget, &h, d))
			_exit(100);
		d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
		if (syscall(SYS_capset, &h, d))
			_exit(101);
		if (!offender_field(self->comm, "/", "exe", val, sizeof(val)))
			_exit(102);
		_exit(strcmp(val, "-") ? 103 : 0);
	}
	status = reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, offender_count(self->comm, "/"));
}

TEST_F(mt, off_means_no_probe_and_no_state)
{
	pid_t a, b;

	ASSERT_EQ(0, knob_write("mt_fork_warn", "0"));
	EXPECT_EQ(0, tracked_wait(0, 1000));
	ASSERT_EQ(0, threads_start());
	a = fork_child(3);
	b = fork_child(-1);
	ASSERT_TRUE(WIFEXITED(reap(a)));
	sleep_ms(grace_ms + scaled(500));
	EXPECT_EQ(0, tracked_wait(0, 10));
	kill_reap(b);
	sleep_ms(scaled(200));
	EXPECT_NOTHING_REPORTED();
	EXPECT_EQ(0, DELTA(exec_in_time));
	EXPECT_EQ(0, DELTA(dropped));
}

TEST_F(mt, turning_off_forgets_tracked_children)
{
	pid_t pids[3];
	int i;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, threads_start());
	for (i = 0; i < 3; i++)
		pids[i] = fork_child(-1);
	EXPECT_EQ(3, tracked_wait(3, 2000));
	ASSERT_EQ(0, knob_write("mt_fork_warn", "0"));
	EXPECT_EQ(0, tracked_wait(0, 10));
	for (i = 0; i < 3; i++)
		kill_reap(pids[i]);
	ASSERT_EQ(0, knob_write("mt_fork_warn", "1"));
	sleep_ms(scaled(500));
	EXPECT_NOTHING_REPORTED();
	EXPECT_EQ(0, tracked_wait(0, 10));
}

#define SMALL 16

TEST_F(mt, full_table_drops_and_never_blocks)
{
	pid_t pids[SMALL + 4];
	int i;

	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, knob_write("mt_fork_max_tracked", "%d", SMALL));
	ASSERT_EQ(0, threads_start());
	for (i = 0; i < SMALL + 4; i++) {
		pids[i] = fork_child(-1);
		ASSERT_LT(0, pids[i]);
	}
	EXPECT_EQ(SMALL, tracked_wait(SMALL, 2000));
	EXPECT_EQ(4, DELTA(dropped));
	/* A new size starts afresh. */
	ASSERT_EQ(0, knob_write("mt_fork_max_tracked", "%d", SMALL + 1));
	EXPECT_EQ(0, tracked_wait(0, 10));
	ASSERT_EQ(0, knob_write("mt_fork_warn", "0"));
	for (i = 0; i < SMALL + 4; i++)
		kill_reap(pids[i]);
	EXPECT_NOTHING_REPORTED();
}

static bool audit_disabled(void)
{
	char buf[4096];

	return read_text("/proc/cmdline", buf, sizeof(buf)) < 0 ||
	       strstr(buf, "audit=0") || access("/proc/self/loginuid", F_OK);
}

TEST_F(mt, audit_mode_adds_a_record)
{
	char pidf[32];
	pid_t pid;

	if (audit_disabled())
		SKIP(return, "audit is disabled");
	ASSERT_EQ(0, knob_write("mt_fork_warn", "2"));
	ASSERT_EQ(0, threads_start());
	pid = fork_child(5);
	ASSERT_TRUE(WIFEXITED(reap(pid)));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), "exited with status 5"));
	snprintf(pidf, sizeof(pidf), " pid=%d ", pid);
	/* kauditd prints records to the log while no auditd listens. */
	EXPECT_TRUE(kmsg_wait(3000, "op=forkgov_mt_fork", pidf));
	EXPECT_EQ(1, kmsg_count(pidf, "outcome=exited status=5"));
	EXPECT_EQ(1, kmsg_count(pidf, "type=1316"));
	EXPECT_EQ(1, DELTA(reported));
}

/* Fork from a multithreaded worker process inside cgroup @cg; the child _exit()s. */
static pid_t fork_in(const char *cg)
{
	int fds[2];
	pid_t worker, child = -1;

	if (pipe(fds))
		return -1;
	worker = fork();
	if (!worker) {
		close(fds[0]);
		if (cg_enter_current(cg) || threads_start())
			_exit(1);
		child = fork_child(7);
		reap(child);
		if (write(fds[1], &child, sizeof(child)) != sizeof(child))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &child, sizeof(child)) != sizeof(child))
		child = -1;
	close(fds[0]);
	reap(worker);
	return child;
}

TEST_F(mt, policy_override_nearest_wins)
{
	char cg[64], sub[80], buf[256];
	pid_t off, on;

	if (!cg_available())
		SKIP(return, "cgroup2 is not mounted at " CG_ROOT);
	snprintf(cg, sizeof(cg), "/fgtest-mt.%d", getpid());
	snprintf(sub, sizeof(sub), "%s/on", cg);
	ASSERT_EQ(0, cg_create(cg));
	ASSERT_EQ(0, cg_create(sub));
	snprintf(buf, sizeof(buf),
		 "set %s rate=none mt_warn=off\n"
		 "set %s rate=none mt_warn=on\n", cg, sub);
	ASSERT_EQ(0, fg_policy_write(buf));
	off = fork_in(cg);
	on = fork_in(sub);
	ASSERT_LT(0, off);
	ASSERT_LT(0, on);
	EXPECT_TRUE(kmsg_wait(3000, child_tag(on), sub));
	sleep_ms(grace_ms + scaled(300));
	EXPECT_EQ(0, kmsg_count(child_tag(off), NULL));
	EXPECT_EQ(1, DELTA(reported));
	snprintf(buf, sizeof(buf), "del %s\ndel %s\n", sub, cg);
	EXPECT_EQ(0, fg_policy_write(buf));
	EXPECT_EQ(0, cg_destroy(cg));
}

/* In a child: drop CAP_SYS_ADMIN from the effective set, then write. */
static int write_without_cap_sys_admin(const char *knob)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	pid_t pid = fork();
	int status;

	if (!pid) {
		if (syscall(SYS_capget, &h, d))
			_exit(100);
		d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
		if (syscall(SYS_capset, &h, d))
			_exit(101);
		_exit(-knob_write(knob, "1"));
	}
	status = reap(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(mt, knobs_check_range_and_privilege)
{
	char buf[16];

	EXPECT_EQ(EPERM, write_without_cap_sys_admin("mt_fork_warn"));
	EXPECT_EQ(EPERM, write_without_cap_sys_admin("mt_fork_grace_ms"));
	EXPECT_EQ(EPERM, write_without_cap_sys_admin("mt_fork_max_tracked"));
	EXPECT_EQ(-EINVAL, knob_write("mt_fork_warn", "3"));
	EXPECT_EQ(-EINVAL, knob_write("mt_fork_warn", "-1"));
	EXPECT_EQ(-EINVAL, knob_write("mt_fork_grace_ms", "600001"));
	EXPECT_EQ(-EINVAL, knob_write("mt_fork_max_tracked", "15"));
	EXPECT_EQ(-EINVAL, knob_write("mt_fork_max_tracked", "1048577"));
	EXPECT_EQ(0, knob_write("mt_fork_grace_ms", "600000"));
	EXPECT_EQ(0, knob_read("mt_fork_warn", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	EXPECT_EQ(0, knob_read("mt_fork_grace_ms", buf, sizeof(buf)));
	EXPECT_STREQ("600000", buf);
}

/* Bad values for the offender knobs fail with EINVAL and change nothing. */
TEST_F(mt, offender_knobs_refuse_bad_input)
{
	static const char * const bad_interval[] = {
		"99", "3600001", "-1", "0", "abc", "5000x", "99999999999",
	};
	static const char * const bad_offenders[] = {
		"3", "4097", "-4", "0", "many", "16x",
	};
	char buf[16];
	pid_t pid;
	unsigned int i;

	EXPECT_EQ(EPERM, write_without_cap_sys_admin("mt_fork_interval_ms"));
	EXPECT_EQ(EPERM, write_without_cap_sys_admin("mt_fork_max_offenders"));
	ASSERT_EQ(0, knob_write("mt_fork_max_offenders", "16"));
	ASSERT_EQ(0, knob_write("mt_fork_interval_ms", "1234"));
	/* A row that a refused write must not clear. */
	ASSERT_EQ(0, threads_start());
	pid = fork_child(0);
	ASSERT_TRUE(WIFEXITED(reap(pid)));
	ASSERT_TRUE(kmsg_wait(3000, child_tag(pid), NULL));
	for (i = 0; i < ARRAY_SIZE(bad_interval); i++)
		EXPECT_EQ(-EINVAL, knob_write("mt_fork_interval_ms", "%s",
					      bad_interval[i]));
	for (i = 0; i < ARRAY_SIZE(bad_offenders); i++)
		EXPECT_EQ(-EINVAL, knob_write("mt_fork_max_offenders", "%s",
					      bad_offenders[i]));
	EXPECT_EQ(0, knob_read("mt_fork_interval_ms", buf, sizeof(buf)));
	EXPECT_STREQ("1234", buf);
	EXPECT_EQ(0, knob_read("mt_fork_max_offenders", buf, sizeof(buf)));
	EXPECT_STREQ("16", buf);
	EXPECT_EQ(1, offender_count(self->comm, "/"));
	EXPECT_EQ(0, knob_write("mt_fork_interval_ms", "100"));
	EXPECT_EQ(0, knob_write("mt_fork_interval_ms", "3600000"));
	EXPECT_EQ(0, knob_write("mt_fork_max_offenders", "4096"));
}

/* ---- under load ---------------------------------------------------------- */

/* Until killed: fork children of every kind from a process with threads. */
static void __attribute__((noreturn)) churn(void)
{
	unsigned int i;
	pid_t pid;

	if (threads_start())
		_exit(1);
	for (i = 0; ; i++) {
		switch (i % 4) {
		case 0:
			pid = fork_child(0);
			break;
		case 1:
			pid = fork_exec_true();
			break;
		case 2:
			pid = fork();
			if (!pid) {
				sleep_ms(30);
				_exit(0);
			}
			break;
		default:
			pid = fork_child(-1);
			if (pid > 0)
				kill(pid, SIGKILL);
			break;
		}
		if (pid > 0)
			reap(pid);
	}
}

static pid_t churn_start(void)
{
	pid_t pid = fork();

	if (!pid)
		churn();
	return pid;
}

#define CHURNERS 2

TEST_F_TIMEOUT(mt, knob_changes_under_load, 180)
{
	static const char * const warn[] = { "0", "1", "2", "1", "0" };
	static const char * const grace[] = { "0", "50", "200" };
	static const char * const max[] = { "16", "64", "4096", "17" };
	pid_t churners[CHURNERS];
	int i;

	for (i = 0; i < CHURNERS; i++) {
		churners[i] = churn_start();
		ASSERT_LT(0, churners[i]);
	}
	for (i = 0; i < 60; i++) {
		ASSERT_EQ(0, knob_write("mt_fork_warn", "%s", warn[i % 5]));
		ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "%s", grace[i % 3]));
		ASSERT_EQ(0, knob_write("mt_fork_max_tracked", "%s", max[i % 4]));
		sleep_ms(i % 7 * 10);
	}
	for (i = 0; i < CHURNERS; i++)
		kill_reap(churners[i]);
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "%d", grace_ms));
	ASSERT_EQ(0, knob_write("mt_fork_warn", "1"));
	/* Orphans of the churners exit within 30 ms; their slots come back. */
	EXPECT_EQ(0, tracked_wait(0, 5000));
	/* Let the rate limit recover for the tests that follow. */
	sleep_ms(WINDOW_MS + scaled(500));
}

TEST_F_TIMEOUT(mt, unload_while_tracking, 120)
{
	const char *ko = getenv("FORKGOV_KO");
	pid_t churner, sleepers[4];
	int i;

	if (!ko || access(ko, R_OK))
		SKIP(return, "FORKGOV_KO does not name the module to load again");
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "60000"));
	ASSERT_EQ(0, threads_start());
	for (i = 0; i < 4; i++)
		sleepers[i] = fork_child(-1);
	EXPECT_EQ(4, tracked_wait(4, 2000));
	churner = churn_start();
	ASSERT_LT(0, churner);
	sleep_ms(500);
	ASSERT_EQ(0, fg_unload());
	EXPECT_NE(0, access(KNOBS "mt_fork_warn", F_OK));
	ASSERT_EQ(0, fg_load(ko, ""));
	kill_reap(churner);
	for (i = 0; i < 4; i++)
		kill_reap(sleepers[i]);
	/* A fresh start, with the defaults: nothing tracked from before. */
	ASSERT_EQ(0, access(KNOBS "mt_fork_warn", F_OK));
	EXPECT_EQ(0, tracked_wait(0, 5000));
	/*
	 * The reloaded module saw the churner's last forks: let the interval
	 * of that offender close, and its summary line come out, before the
	 * tests that count lines.
	 */
	sleep_ms(WINDOW_MS + scaled(500));
}

/* ---- real clients: python3 multiprocessing and subprocess --------------- */

/*
 * mt_fork_mp.py lives in selftests/; the binary may be built next to it, in
 * a directory below it or in build/selftests/ of the repository.
 */
static bool find_helper(char *path, size_t size)
{
	static const char * const rel[] = {
		".", "..", "../../selftests", "../selftests",
	};
	char exe[PATH_MAX], *dir;
	const char *repo = getenv("FG_REPO");
	unsigned int i;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return false;
	exe[n] = '\0';
	dir = dirname(exe);
	for (i = 0; i < ARRAY_SIZE(rel); i++) {
		snprintf(path, size, "%s/%s/mt_fork_mp.py", dir, rel[i]);
		if (!access(path, R_OK))
			return true;
	}
	snprintf(path, size, "%s/selftests/mt_fork_mp.py", repo ?: ".");
	return !access(path, R_OK);
}

/*
 * Run mt_fork_mp.py METHOD with python3 (posix_spawn: this test process
 * stays untracked) and parse its "PARENT CHILD CODE" line.
 */
static int run_python(const char *method, pid_t *parent, pid_t *child)
{
	char script[PATH_MAX], out[4096], *last;
	char *const argv[] = { "python3", script, (char *)method, NULL };
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	ssize_t n;
	int fds[2], code = -1;
	pid_t pid;

	if (!find_helper(script, sizeof(script)) || pipe(fds))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawnp(&pid, "python3", &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (pid > 0 && len < sizeof(out) - 1 &&
	       (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	if (pid < 0 || reap(pid) != 0)
		return -1;
	while (len && out[len - 1] == '\n')
		out[--len] = '\0';
	last = strrchr(out, '\n');
	last = last ? last + 1 : out;
	if (sscanf(last, "%d %d %d", parent, child, &code) != 3)
		return -1;
	return code;
}

FIXTURE(py) {
	bool saved;
	char warn[16], grace[16];
	struct mt_stats before;
};

FIXTURE_VARIANT(py) {
	const char *method;
	bool reported;
};

FIXTURE_VARIANT_ADD(py, fork) { .method = "fork", .reported = true };
FIXTURE_VARIANT_ADD(py, spawn) { .method = "spawn", .reported = false };
FIXTURE_VARIANT_ADD(py, forkserver) { .method = "forkserver", .reported = false };
FIXTURE_VARIANT_ADD(py, subprocess) { .method = "subprocess", .reported = false };

FIXTURE_SETUP(py)
{
	char script[PATH_MAX];

	if (geteuid())
		SKIP(return, "needs root");
	if (access(KNOBS "mt_fork_warn", W_OK))
		SKIP(return, "forkgov with the fork-without-exec reporter is not loaded");
	if (!find_helper(script, sizeof(script)))
		SKIP(return, "mt_fork_mp.py not found next to the test");
	if (system("python3 -c 'import multiprocessing' >/dev/null 2>&1"))
		SKIP(return, "no python3 with multiprocessing");
	ASSERT_EQ(0, knob_read("mt_fork_warn", self->warn, sizeof(self->warn)));
	ASSERT_EQ(0, knob_read("mt_fork_grace_ms", self->grace, sizeof(self->grace)));
	grace_ms = machine_grace_ms();
	ASSERT_LT(0, grace_ms);
	if (grace_ms > GRACE_MS)
		TH_LOG("grace period %d ms", grace_ms);
	self->saved = true;
	ASSERT_EQ(0, knob_write("mt_fork_warn", "1"));
	ASSERT_EQ(0, knob_write("mt_fork_grace_ms", "%d", grace_ms));
	ASSERT_EQ(0, kmsg_start());
	ASSERT_EQ(0, stats_read(&self->before));
}

FIXTURE_TEARDOWN(py)
{
	if (!self->saved)
		return;
	knob_write("mt_fork_grace_ms", "%s", self->grace);
	knob_write("mt_fork_warn", "%s", self->warn);
}

TEST_F_TIMEOUT(py, multiprocessing, 180)
{
	pid_t parent = 0, child = 0;

	ASSERT_EQ(0, run_python(variant->method, &parent, &child));
	TH_LOG("python3 %d, child %d (%s)", parent, child, variant->method);
	if (variant->reported) {
		ASSERT_TRUE(kmsg_wait(3000, child_tag(child), "exited with status 0"));
		EXPECT_EQ(1, kmsg_count(child_tag(child), parent_tag(parent)));
		EXPECT_EQ(1, kmsg_count(child_tag(child), "(2 threads at fork)"));
		EXPECT_EQ(1, DELTA(reported));
	} else {
		sleep_ms(grace_ms + scaled(500));
		EXPECT_NOTHING_REPORTED();
	}
	EXPECT_EQ(0, tracked_wait(0, 1000));
}

TEST_HARNESS_MAIN
