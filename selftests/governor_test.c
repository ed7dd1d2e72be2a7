// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fork-rate governor, run as root in a guest with forkgov
 * loaded.  Every test works in a cgroup of its own and forks from a worker
 * process that joins it, so that the test runner itself is never governed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define SYSCTL		"/proc/sys/kernel/forkgov/"

/* Results a worker reports back through shared memory. */
struct tally {
	int ok;
	int eagain;
	int other;
	int handler_runs;
	int late;
	double elapsed;
	double first_wait;
	double max_gap;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int table_lines(void)
{
	char *s = fg_read_file(FG_POLICIES, NULL), *p;
	int n = 0;

	if (!s)
		return -1;
	for (p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* Fork once; the child exits at once.  Returns 0 or the errno. */
static int fork_once(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 0;
}

static void count(struct tally *t, int err)
{
	if (!err)
		t->ok++;
	else if (err == EAGAIN)
		t->eagain++;
	else
		t->other++;
}

typedef void (*work_fn)(struct tally *t, void *arg);

/* Run FN in a worker process inside cgroup CG; returns its tally. */
static struct tally run_in(const char *cg, work_fn fn, void *arg)
{
	struct tally *shared, t;
	pid_t pid;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(shared, 0, sizeof(*shared));
	pid = fork();
	if (!pid) {
		if (cg_enter(cg, getpid()))
			_exit(99);
		fn(shared, arg);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	t = *shared;
	munmap(shared, sizeof(*shared));
	return t;
}

static void fork_n(struct tally *t, void *arg)
{
	int i, n = *(int *)arg;
	double start = now_s();

	for (i = 0; i < n; i++)
		count(t, fork_once());
	t->elapsed = now_s() - start;
	if (t->other)
		fprintf(stderr, "# unexpected errno %d\n", errno);
}

/* What fork_paced() does: N forks at a rate of one per INTERVAL seconds. */
struct pace {
	int n;
	double interval;
};

/*
 * Fork as fork_n() does, for a policy with a burst of 1, and count the forks
 * that came too late to be throttled.  Such a policy never makes a fork
 * wait longer than an interval: a fork that comes more than two intervals
 * after the one before finds its token there, since the machine took over
 * an interval for that one.
 */
static void fork_paced(struct tally *t, void *arg)
{
	const struct pace *p = arg;
	double start = now_s(), last = start, now;
	int i;

	for (i = 0; i < p->n; i++) {
		now = now_s();
		if (i && now - last > 2 * p->interval)
			t->late++;
		last = now;
		count(t, fork_once());
	}
	t->elapsed = now_s() - start;
}

/* Fork as fast as possible for SECONDS; note the longest gap between forks. */
static void fork_for(struct tally *t, void *arg)
{
	double secs = *(double *)arg, start = now_s(), last = start, now;

	while ((now = now_s()) - start < secs) {
		if (now - last > t->max_gap)
			t->max_gap = now - last;
		last = now;
		count(t, fork_once());
	}
	/* Tokens accrue until the last attempt, not until it returns. */
	t->elapsed = last - start;
}

FIXTURE(gov) {
	char cg[64];
};

FIXTURE_SETUP(gov)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(FG_POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_polf("flush\n"));
	/*
	 * These tests are about policies: the lineage defence, which puts
	 * the hook on the fork path by itself, is off (lineage_test.c).
	 */
	ASSERT_EQ(0, write_text(SYSCTL "lineage", "0"));
	snprintf(self->cg, sizeof(self->cg), "/fgtest.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
}

FIXTURE_TEARDOWN(gov)
{
	fg_polf("flush\n");
	write_text(SYSCTL "max_policies", "16384");
	write_text(SYSCTL "enabled", "1");
	/* In case a test that switches ftrace off failed half-way. */
	write_text("/proc/sys/kernel/ftrace_enabled", "1");
	write_text(SYSCTL "lineage", "2");
	cg_destroy(self->cg);
}

TEST_F(gov, deny_exact_burst)
{
	int n = 12;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=5\n", self->cg));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(5, t.ok);
	EXPECT_EQ(7, t.eagain);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(5, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(7, fg_policy_field("policy", self->cg, "denied"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "tokens"));
	EXPECT_LT(0, fg_policy_field("policy", self->cg, "last_pid"));
}

/*
 * Over T seconds of saturating demand a policy allows rate * T + burst forks,
 * within 2%: here 40/s for 3 s with a burst of one second.  Demand exceeds
 * the rate only if the forker's own forks come faster: where an interval
 * does not hold three of the machine's forks (a debug kernel under
 * emulation), the rate is lower and T longer, for as many forks.  Demand
 * saturates only if the forker never pauses longer than the bucket takes to
 * fill (burst / rate); on a machine too slow or too loaded for that, the
 * lower bound is not the module's to meet.
 */
TEST_F_TIMEOUT(gov, deny_rate_precision, 180)
{
	double cost = fg_fork_cost(5), secs, expect, fill = 1.0;
	int rate;
	bool saturated;
	struct tally t;

	ASSERT_LT(0, cost);
	/* 25 ms, grown to hold three forks. */
	rate = 40 / fg_slowdown(cost, 3, 0.025);
	if (!rate)
		SKIP(return, "a fork takes %.0f ms: too slow to exceed even 1/s",
		     cost * 1e3);
	secs = 120.0 / rate;
	TH_LOG("rate %d/s for %.0f s (a fork takes %.1f ms)", rate, secs,
	       cost * 1e3);
	/*
	 * The token arithmetic alone: the back-off of denied forks lowers
	 * demand on purpose (deny_backoff_* test it), so it is off here.
	 */
	ASSERT_EQ(0, fg_polf("set %s rate=%d burst=%d deny_delay=0\n", self->cg,
			     rate, rate));
	t = run_in(self->cg, fork_for, &secs);
	ASSERT_GT(t.eagain, 0) TH_LOG("demand did not exceed the rate");
	expect = rate * t.elapsed + rate;
	TH_LOG("allowed %d in %.3f s, expected %.1f; longest pause %.3f s",
	       t.ok, t.elapsed, expect, t.max_gap);
	EXPECT_LE(t.ok, (int)(expect * 1.02) + 1);
	saturated = t.max_gap < fill;
	if (!saturated)
		TH_LOG("machine too slow to saturate: lower bound not checked");
	EXPECT_GE(t.ok, saturated ? (int)(expect * 0.98) - 1 : 0);
	EXPECT_EQ(t.ok, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(t.eagain, fg_policy_field("policy", self->cg, "denied"));
	EXPECT_GE(fg_policy_field("policy", self->cg, "peak_1s"), rate);
}

TEST_F(gov, rate_units)
{
	ASSERT_EQ(0, fg_polf("set %s rate=120/min burst=3\n", self->cg));
	EXPECT_EQ(3, fg_policy_field("policy", self->cg, "burst"));
	ASSERT_EQ(0, fg_polf("set %s rate=0.5 action=throttle max_delay=2s\n",
			     self->cg));
	/* Default burst: the rate per second rounded up. */
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "burst"));
	EXPECT_EQ(2000, fg_policy_field("policy", self->cg, "max_delay"));
}

/*
 * 21 forks with a burst of 1 at 20/s: every one after the first waits for
 * its token, 20 intervals of 50 ms.  Only forks that come sooner than their
 * token wait: where an interval does not hold four of the machine's forks,
 * the rate is lower, and every bound is in intervals; forks that the
 * machine itself held up past their token are not counted against the
 * module.
 */
TEST_F_TIMEOUT(gov, throttle_timing, 120)
{
	double cost = fg_fork_cost(5), due;
	struct pace pace = { .n = 21 };
	int rate, max_delay;
	struct tally t;

	ASSERT_LT(0, cost);
	/* 50 ms, grown to hold four forks. */
	rate = 20 / fg_slowdown(cost, 4, 0.05);
	if (!rate)
		SKIP(return, "a fork takes %.0f ms: 21 forks at under 1/s take too long",
		     cost * 1e3);
	pace.interval = 1.0 / rate;
	due = 20.0 / rate;
	/* The longest wait allowed: 100 intervals, at most 60 s. */
	max_delay = 100 * 1000 / rate;
	if (max_delay > 60000)
		max_delay = 60000;
	ASSERT_EQ(0, fg_polf("set %s rate=%d burst=1 action=throttle max_delay=%d\n",
			     self->cg, rate, max_delay));
	t = run_in(self->cg, fork_paced, &pace);
	EXPECT_EQ(21, t.ok);
	EXPECT_EQ(0, t.eagain);
	/* 20 intervals; generous bounds for emulation. */
	TH_LOG("21 throttled forks at %d/s took %.3f s (a fork takes %.1f ms)",
	       rate, t.elapsed, cost * 1e3);
	EXPECT_GE(t.elapsed, 0.9 * due);
	EXPECT_LE(t.elapsed, 4.0 * due);
	if (t.late)
		TH_LOG("came too late to be throttled: %d forks", t.late);
	EXPECT_GE(fg_policy_field("policy", self->cg, "throttled"), 15 - t.late);
	EXPECT_LE(fg_policy_field("policy", self->cg, "throttle_max_ns"),
		  (long long)(due * 1e9));
}

/*
 * A fork that a throttle policy cannot promise a token within max_delay
 * waits max_delay, then fails: with deny_delay=0, nothing more.
 */
TEST_F(gov, throttle_over_max_delay_waits_then_denies)
{
	int n = 3;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=1 burst=1 action=throttle max_delay=300 deny_delay=0\n",
			     self->cg));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);
	TH_LOG("1 fork and 2 refused in %.3f s", t.elapsed);
	EXPECT_GE(t.elapsed, 0.59);
	EXPECT_LT(t.elapsed, 0.6 + 2.0 * fg_timeout_scale());
	EXPECT_EQ(2, fg_policy_field("policy", self->cg, "denied"));
}

TEST_F(gov, throttle_fairness)
{
	double secs = 3.0;
	struct tally *t;
	pid_t pids[2];
	int i;

	ASSERT_EQ(0, fg_polf("set %s rate=20 burst=1 action=throttle max_delay=10s\n",
			     self->cg));
	t = mmap(NULL, 2 * sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(t, 0, 2 * sizeof(*t));
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			cg_enter(self->cg, getpid());
			fork_for(&t[i], &secs);
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++)
		waitpid(pids[i], NULL, 0);
	TH_LOG("forks: %d and %d", t[0].ok, t[1].ok);
	EXPECT_EQ(0, t[0].eagain + t[1].eagain);
	EXPECT_EQ(0, t[0].other + t[1].other);
	EXPECT_GE(t[0].ok, (t[0].ok + t[1].ok) / 4);
	EXPECT_GE(t[1].ok, (t[0].ok + t[1].ok) / 4);
	/* The two share one rate: about 20/s in all. */
	EXPECT_LE(t[0].ok + t[1].ok, 20 * 4 + 2);
	munmap(t, 2 * sizeof(*t));
}

static void fork_then_block(struct tally *t, void *arg)
{
	count(t, fork_once());
	t->first_wait = now_s();
	count(t, fork_once());
}

/*
 * A worker in @cg forks once, then again into a wait; SIGKILL it half a
 * second later.  Returns the seconds from the signal to the reaping.
 */
static double sigkill_waiting_fork(struct __test_metadata *_metadata,
				   const char *cg)
{
	double start;
	pid_t pid;
	int status;

	pid = fork();
	if (!pid) {
		struct tally t = {};

		cg_enter(cg, getpid());
		fork_then_block(&t, NULL);
		_exit(1);
	}
	usleep(500000);
	start = now_s();
	kill(pid, SIGKILL);
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	TH_LOG("reaped %.3f s after SIGKILL", now_s() - start);
	return now_s() - start;
}

TEST_F(gov, throttle_sigkill)
{
	ASSERT_EQ(0, fg_polf("set %s rate=0.1 burst=1 action=throttle max_delay=20s\n",
			     self->cg));
	EXPECT_LT(sigkill_waiting_fork(_metadata, self->cg), 2.0);
}

static int handler_runs;

static void on_usr1(int sig)
{
	__atomic_add_fetch(&handler_runs, 1, __ATOMIC_RELAXED);
}

static void throttled_with_signal(struct tally *t, void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	double start;

	sigaction(SIGUSR1, &sa, NULL);
	count(t, fork_once());
	/* Ask the parent for a signal in the middle of the next wait. */
	kill(getppid(), SIGUSR2);
	start = now_s();
	count(t, fork_once());
	t->elapsed = now_s() - start;
	t->handler_runs = __atomic_load_n(&handler_runs, __ATOMIC_RELAXED);
}

static int worker_waiting;

static void on_usr2(int sig)
{
	__atomic_store_n(&worker_waiting, 1, __ATOMIC_RELAXED);
}

/*
 * A worker in @cg forks once, then again into a wait, and gets SIGUSR1 half
 * a second into it (throttled_with_signal()).  Returns its tally, in
 * shared memory for the caller to munmap().
 */
static struct tally *signal_waiting_fork(const char *cg)
{
	struct sigaction sa = { .sa_handler = on_usr2 };
	struct tally *t;
	pid_t pid;

	__atomic_store_n(&worker_waiting, 0, __ATOMIC_RELAXED);
	sigaction(SIGUSR2, &sa, NULL);
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(t, 0, sizeof(*t));
	pid = fork();
	if (!pid) {
		cg_enter(cg, getpid());
		throttled_with_signal(t, NULL);
		_exit(0);
	}
	while (!__atomic_load_n(&worker_waiting, __ATOMIC_RELAXED))
		usleep(10000);
	usleep(500000);
	kill(pid, SIGUSR1);
	waitpid(pid, NULL, 0);
	return t;
}

TEST_F(gov, throttle_signal_restarts)
{
	struct tally *t;

	ASSERT_EQ(0, fg_polf("set %s rate=0.5 burst=1 action=throttle max_delay=5s\n",
			     self->cg));
	t = signal_waiting_fork(self->cg);
	EXPECT_EQ(2, t->ok);
	EXPECT_EQ(1, t->handler_runs);
	/* The place was kept: the wait is the token's 2 s, not 2.5 s or more. */
	TH_LOG("second fork waited %.3f s", t->elapsed);
	EXPECT_GE(t->elapsed, 1.2);
	EXPECT_LT(t->elapsed, 2.4);
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "throttled"));
	munmap(t, sizeof(*t));
}

TEST_F(gov, log_never_denies)
{
	int n = 20;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1 action=log\n", self->cg));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(20, t.ok);
	EXPECT_EQ(0, t.eagain);
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(19, fg_policy_field("policy", self->cg, "logged"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "denied"));
}

TEST_F(gov, nested_child_stricter)
{
	char child[128];
	int n = 6;
	struct tally t;

	snprintf(child, sizeof(child), "%s/job", self->cg);
	ASSERT_EQ(0, cg_create(child));
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=10\nset %s rate=0 burst=3\n",
			     self->cg, child));
	t = run_in(child, fork_n, &n);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(3, t.eagain);
	/* Denied by the child: the parent was not charged. */
	EXPECT_EQ(3, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(7, fg_policy_field("policy", self->cg, "tokens"));
	EXPECT_EQ(3, fg_policy_field("policy", child, "denied"));
}

TEST_F(gov, nested_parent_stricter)
{
	char child[128];
	int n = 6;
	struct tally t;

	snprintf(child, sizeof(child), "%s/job", self->cg);
	ASSERT_EQ(0, cg_create(child));
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2\nset %s rate=0 burst=10\n",
			     self->cg, child));
	t = run_in(child, fork_n, &n);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(4, t.eagain);
	/* Denied by the parent: the child's tokens were given back. */
	EXPECT_EQ(2, fg_policy_field("policy", child, "allowed"));
	EXPECT_EQ(8, fg_policy_field("policy", child, "tokens"));
	EXPECT_EQ(4, fg_policy_field("policy", self->cg, "denied"));
}

/*
 * The same with a bucket that refills, too slowly to matter here: the forks
 * it allows take their tokens on its lock-free path, the denied ones on the
 * locked one.
 */
TEST_F(gov, deny_exact_burst_refilling)
{
	int n = 12;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=5 deny_delay=0\n",
			     self->cg));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(5, t.ok);
	EXPECT_EQ(7, t.eagain);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(5, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(7, fg_policy_field("policy", self->cg, "denied"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "tokens"));
	/*
	 * A smaller burst forgives the debt beyond it, so that the next fork
	 * conforms (one token); a larger one adds its extra tokens (1 + 5).
	 */
	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=3 deny_delay=0\n",
			     self->cg));
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "tokens"));
	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=8 deny_delay=0\n",
			     self->cg));
	EXPECT_EQ(6, fg_policy_field("policy", self->cg, "tokens"));
	n = 8;
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(6, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(11, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "tokens"));
}

/* A denial by the parent gives the child's lock-free tokens back. */
TEST_F(gov, nested_parent_stricter_refilling)
{
	char child[128];
	int n = 6;
	struct tally t;

	snprintf(child, sizeof(child), "%s/job", self->cg);
	ASSERT_EQ(0, cg_create(child));
	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=2 deny_delay=0\n"
			     "set %s rate=1/h burst=10 deny_delay=0\n",
			     self->cg, child));
	t = run_in(child, fork_n, &n);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(4, t.eagain);
	EXPECT_EQ(2, fg_policy_field("policy", child, "allowed"));
	EXPECT_EQ(8, fg_policy_field("policy", child, "tokens"));
	EXPECT_EQ(4, fg_policy_field("policy", self->cg, "denied"));
}

#define CONTENDERS	8

/* What each contender does: wait for the start, then fork N times. */
struct contend {
	volatile int go;
	int n;
	struct tally t[CONTENDERS];
};

/*
 * CONTENDERS processes in CG, started together, fork N times each; returns
 * their tallies summed.  On a guest with several CPUs they charge one bucket
 * at the same time.
 */
static struct tally contend_in(const char *cg, int n)
{
	struct contend *c;
	struct tally sum = {};
	pid_t pids[CONTENDERS];
	int i, j;

	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return (struct tally){ .other = -1 };
	memset(c, 0, sizeof(*c));
	c->n = n;
	for (i = 0; i < CONTENDERS; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			if (cg_enter(cg, getpid()))
				_exit(99);
			while (!c->go)
				;
			for (j = 0; j < c->n; j++)
				count(&c->t[i], fork_once());
			_exit(0);
		}
	}
	/* Let them all reach the cgroup and spin. */
	usleep(200000);
	c->go = 1;
	for (i = 0; i < CONTENDERS; i++) {
		waitpid(pids[i], NULL, 0);
		sum.ok += c->t[i].ok;
		sum.eagain += c->t[i].eagain;
		sum.other += c->t[i].other;
	}
	munmap(c, sizeof(*c));
	return sum;
}

/*
 * Many CPUs forking against one bucket: exactly its burst is allowed (the
 * rate adds no token within the test), and its counters add up, whatever
 * the interleaving of the lock-free and the locked paths.
 */
TEST_F_TIMEOUT(gov, contention_exact_burst, 180)
{
	int n = 60, burst = 150;
	struct tally t;

	TH_LOG("%d processes on %ld CPUs", CONTENDERS,
	       sysconf(_SC_NPROCESSORS_ONLN));
	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=%d deny_delay=0\n",
			     self->cg, burst));
	t = contend_in(self->cg, n);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(burst, t.ok);
	EXPECT_EQ(CONTENDERS * n - burst, t.eagain);
	EXPECT_EQ(burst, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(t.eagain, fg_policy_field("policy", self->cg, "denied"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "tokens"));
}

/*
 * The same with a child policy that refunds what the parent denies, and
 * changes of the child's burst while the forks run: every fork is counted
 * once, by the bucket that decided it, and the parent allows exactly its
 * burst.
 */
TEST_F_TIMEOUT(gov, contention_refunds_and_changes, 180)
{
	int n = 60, burst = 150, i;
	volatile int *done;
	char child[128];
	struct tally t;
	pid_t pid;

	done = mmap(NULL, sizeof(*done), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	*done = 0;
	snprintf(child, sizeof(child), "%s/job", self->cg);
	ASSERT_EQ(0, cg_create(child));
	ASSERT_EQ(0, fg_polf("set %s rate=1/h burst=%d deny_delay=0\n"
			     "set %s rate=1/h burst=1000 deny_delay=0\n",
			     self->cg, burst, child));
	pid = fork();
	if (!pid) {
		for (i = 0; !*done && i < 10000; i++)
			if (fg_polf("set %s rate=1/h burst=%d deny_delay=0\n",
				    child, i % 2 ? 1000 : 999))
				_exit(1);
		_exit(i < 2 ? 2 : 0);
	}
	t = contend_in(child, n);
	*done = 1;
	ASSERT_EQ(pid, waitpid(pid, &i, 0));
	EXPECT_EQ(0, i) TH_LOG("the changes failed, or did not overlap");
	munmap((void *)done, sizeof(*done));
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(burst, t.ok);
	EXPECT_EQ(burst, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(t.ok, fg_policy_field("policy", child, "allowed"));
	EXPECT_EQ(t.eagain, fg_policy_field("policy", self->cg, "denied") +
			    fg_policy_field("policy", child, "denied"));
}

TEST_F(gov, per_child_template)
{
	char c1[128], c2[128];
	int n = 4;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2 scope=per-child\n", self->cg));
	snprintf(c1, sizeof(c1), "%s/c1", self->cg);
	snprintf(c2, sizeof(c2), "%s/c2", self->cg);
	ASSERT_EQ(0, cg_create(c1));
	ASSERT_EQ(0, cg_create(c2));
	t = run_in(c1, fork_n, &n);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
	t = run_in(c2, fork_n, &n);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(2, fg_policy_field("child", c1, "allowed"));
	EXPECT_EQ(2, fg_policy_field("child", c2, "denied"));
	EXPECT_EQ(2, fg_stat("child_buckets"));
	/* Removing a child cgroup drops its bucket. */
	cg_destroy(c2);
	usleep(300000);
	EXPECT_EQ(LLONG_MIN, fg_policy_field("child", c2, "allowed"));
	EXPECT_EQ(1, fg_stat("child_buckets"));
}

static void *idle_thread(void *arg)
{
	return NULL;
}

static void spawn_threads(struct tally *t, void *arg)
{
	pthread_t th;
	int i, err;

	for (i = 0; i < 4; i++) {
		err = pthread_create(&th, NULL, idle_thread, NULL);
		count(t, err);
		if (!err)
			pthread_join(th, NULL);
	}
}

TEST_F(gov, count_tasks)
{
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2\n", self->cg));
	t = run_in(self->cg, spawn_threads, NULL);
	EXPECT_EQ(4, t.ok) TH_LOG("threads are not charged by count=forks");

	/* Replacing in place switches counting on; start with a full bucket. */
	ASSERT_EQ(0, fg_polf("flush\nset %s rate=0 burst=2 count=tasks\n",
			     self->cg));
	t = run_in(self->cg, spawn_threads, NULL);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
}

/*
 * Threads on a chain of two governed levels (the chain, not the one-level
 * charge): only the count=tasks policies charge them, and a denial by the
 * outer one gives the inner one its token back.
 */
TEST_F(gov, count_tasks_on_two_levels)
{
	struct tally t;
	char sub[128];

	snprintf(sub, sizeof(sub), "%s/sub", self->cg);
	ASSERT_EQ(0, cg_create(sub));
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n"
			     "set %s rate=0 burst=3 count=tasks\n",
			     self->cg, sub));
	t = run_in(sub, spawn_threads, NULL);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(1, t.eagain);
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(3, fg_policy_field("policy", sub, "allowed"));

	ASSERT_EQ(0, fg_polf("flush\nset %s rate=0 burst=2 count=tasks\n"
			     "set %s rate=0 burst=10 count=tasks\n",
			     self->cg, sub));
	t = run_in(sub, spawn_threads, NULL);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(2, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(2, fg_policy_field("policy", sub, "allowed"))
		TH_LOG("the outer level's denials are refunded to the inner one");
	ASSERT_EQ(0, fg_polf("flush\n"));
	cg_destroy(sub);
}

TEST_F(gov, cgroup_removal_drops_policy)
{
	char sub[128];
	int i;

	snprintf(sub, sizeof(sub), "%s/gone", self->cg);
	ASSERT_EQ(0, cg_create(sub));
	ASSERT_EQ(0, fg_polf("set %s rate=5\n", sub));
	EXPECT_EQ(1, fg_stat("policies"));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	cg_destroy(sub);
	/* Removal is asynchronous: a work item, then the hook's removal. */
	for (i = 0; i < 50 && (fg_stat("policies") ||
			       fg_stat("hook_installed")); i++)
		usleep(100000);
	EXPECT_EQ(0, fg_stat("policies"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	EXPECT_EQ(0, table_lines());
}

struct bad_case {
	const char *line;
	int err;
};

TEST_F(gov, bad_input_changes_nothing)
{
	char buf[8192], *before, *after;
	const struct bad_case cases[] = {
		{ "set %s rate=5 colour=red", -EINVAL },
		{ "set %s rate=fast", -EINVAL },
		{ "set %s rate=5 burst=0", -ERANGE },
		{ "set %s rate=0 burst=0", -ERANGE },
		{ "set %s rate=2000000", -ERANGE },
		{ "set %s rate=1.2345", -ERANGE },
		{ "set %s rate=5 max_delay=61s", -ERANGE },
		{ "set %s burst=5", -EINVAL },
		{ "set %s rate=5 rate=6", -EINVAL },
		{ "set %s rate=5 action=explode", -EINVAL },
		{ "set %s/nonexistent rate=5", -ENOENT },
		{ "set %s/cgroup.procs rate=5", -ENOENT },
		{ "del %s/nonexistent", -ENOENT },
		{ "set relative rate=5 %s", -EINVAL },
		{ "set %s/../x rate=5", -EINVAL },
		{ "frobnicate %s", -EINVAL },
		{ "set %s rate=5\nset %s rate=6", -EINVAL },
		{ "set /fgtest-ok rate=5\nset %s rate=5 burst=x", -EINVAL },
	};
	unsigned int i;
	int err;

	ASSERT_EQ(0, fg_polf("set %s rate=7 burst=9\n", self->cg));
	before = fg_read_file(FG_POLICIES, NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(buf, sizeof(buf), cases[i].line, self->cg, self->cg);
		err = write_text(FG_POLICIES, buf);
		EXPECT_EQ(cases[i].err, err) TH_LOG("input: %s", buf);
		after = fg_read_file(FG_POLICIES, NULL);
		EXPECT_STREQ(before, after) TH_LOG("input changed the table: %s",
						   buf);
		free(after);
	}

	/* Overlong line. */
	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	memcpy(buf, "set /", 5);
	EXPECT_EQ(-E2BIG, write_text(FG_POLICIES, buf));

	/* Table full: the whole write fails, the table stays. */
	ASSERT_EQ(0, write_text(SYSCTL "max_policies", "1"));
	ASSERT_EQ(0, cg_create("/fgtest-full"));
	EXPECT_EQ(-ENOSPC, fg_polf("set /fgtest-full rate=5\n"));
	cg_destroy("/fgtest-full");
	after = fg_read_file(FG_POLICIES, NULL);
	EXPECT_STREQ(before, after);
	free(after);
	free(before);

	/* Knobs refuse out-of-range values. */
	EXPECT_EQ(-EINVAL, write_text(SYSCTL "enabled", "2"));
	EXPECT_EQ(-EINVAL, write_text(SYSCTL "max_policies", "0"));
}

/*
 * Root of a child user namespace, mapped to the real root: the file modes
 * let it in, and only forkgov's capability check stands in its way.
 */
static void userns_root_writes(struct tally *t, void *arg)
{
	if (unshare(CLONE_NEWUSER) ||
	    write_text("/proc/self/uid_map", "0 0 1")) {
		t->other = 1;
		return;
	}
	t->ok = write_text(FG_POLICIES, "flush\n") == -EPERM;
	t->eagain = write_text(SYSCTL "enabled", "0") == -EPERM;
}

/* Any other user is refused by the file mode already. */
static void nobody_writes(struct tally *t, void *arg)
{
	if (setgid(65534) || setuid(65534)) {
		t->other = 1;
		return;
	}
	t->ok = write_text(FG_POLICIES, "flush\n") == -EACCES;
	t->eagain = write_text(SYSCTL "enabled", "0") == -EACCES;
	/* Reading is allowed to anyone. */
	t->handler_runs = fg_stat("policies") == 1 &&
			  fg_policy_field("policy", arg, "burst") == 5;
}

TEST_F(gov, unprivileged_writers_are_refused)
{
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=5\n", self->cg));
	t = run_in("/", nobody_writes, self->cg);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(1, t.eagain);
	EXPECT_EQ(1, t.handler_runs);

	t = run_in("/", userns_root_writes, NULL);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(1, t.ok) TH_LOG("policies: EPERM expected");
	EXPECT_EQ(1, t.eagain) TH_LOG("sysctl: EPERM expected");
	EXPECT_EQ(1, fg_stat("policies"));
	EXPECT_EQ(1, fg_stat("enabled"));
}

TEST_F(gov, enabled_knob_removes_hook)
{
	int n = 4;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n", self->cg));
	ASSERT_EQ(0, write_text(SYSCTL "enabled", "0"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(4, t.ok);
	ASSERT_EQ(0, write_text(SYSCTL "enabled", "1"));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(1, t.ok);
}

/* rate=none carries only mt_warn: no fork is charged or counted. */
TEST_F(gov, rate_none_governs_nothing)
{
	long long governed = fg_stat("governed");
	int n = 5;
	struct tally t;

	EXPECT_EQ(-EINVAL, fg_polf("set %s rate=none burst=3\n", self->cg));
	ASSERT_EQ(0, fg_polf("set %s rate=none mt_warn=off\n", self->cg));
	t = run_in(self->cg, fork_n, &n);
	EXPECT_EQ(5, t.ok);
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(governed, fg_stat("governed"));
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "burst"));
}

/*
 * Only a policy with a rate puts the hook on the fork path: rate=none
 * policies leave every fork alone, however the table changes around them.
 */
TEST_F(gov, rate_none_needs_no_hook)
{
	const char *ftrace = "/proc/sys/kernel/ftrace_enabled";
	char sub[128], *before, *after;
	int n = 3;
	struct tally t;

	snprintf(sub, sizeof(sub), "%s/a", self->cg);
	ASSERT_EQ(0, cg_create(sub));
	ASSERT_EQ(0, fg_polf("set %s rate=none mt_warn=off\n", self->cg));
	EXPECT_EQ(1, fg_stat("policies"));
	EXPECT_EQ(0, fg_stat("hook_installed"));

	ASSERT_EQ(0, fg_polf("set %s rate=5\n", sub));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	/* In place, the last policy with a rate loses it. */
	ASSERT_EQ(0, fg_polf("set %s rate=none\n", sub));
	EXPECT_EQ(2, fg_stat("policies"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	/* And one gains a rate in place: it governs at once. */
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n", self->cg));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	t = run_in(sub, fork_n, &n);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);

	ASSERT_EQ(0, fg_polf("set %s rate=none\n", self->cg));
	EXPECT_EQ(0, fg_stat("hook_installed"));

	/*
	 * Without ftrace (it can be switched off only while the hook is out),
	 * rate=none policies can still be set; one that needs the hook fails
	 * the whole write.
	 */
	ASSERT_EQ(0, write_text(ftrace, "0"));
	EXPECT_EQ(0, fg_polf("set %s rate=none mt_warn=off\n", sub));
	before = fg_read_file(FG_POLICIES, NULL);
	EXPECT_EQ(-EBUSY, fg_polf("set %s rate=5\nset %s rate=none mt_warn=on\n",
				  self->cg, sub));
	after = fg_read_file(FG_POLICIES, NULL);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
	ASSERT_EQ(0, write_text(ftrace, "1"));
	t = run_in(sub, fork_n, &n);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(0, fg_stat("hook_installed"));
}

TEST_F(gov, lowered_limit_still_allows_shrinking)
{
	char sub[128];

	snprintf(sub, sizeof(sub), "%s/a", self->cg);
	ASSERT_EQ(0, cg_create(sub));
	ASSERT_EQ(0, fg_polf("set %s rate=5\nset %s rate=5\n", self->cg, sub));
	ASSERT_EQ(0, write_text(SYSCTL "max_policies", "1"));
	/* Replacing in place does not grow the table. */
	EXPECT_EQ(0, fg_polf("set %s rate=6\n", sub));
	EXPECT_EQ(0, fg_polf("del %s\n", sub));
	EXPECT_EQ(1, fg_stat("policies"));
	EXPECT_EQ(-ENOSPC, fg_polf("set %s rate=5\n", sub));
}

/* With ftrace off the hook cannot be installed: nothing may change. */
TEST_F(gov, hook_refused_changes_nothing)
{
	const char *ftrace = "/proc/sys/kernel/ftrace_enabled";
	char *before, *after;

	ASSERT_EQ(0, write_text(ftrace, "0"));
	EXPECT_EQ(-EBUSY, fg_polf("set %s rate=5\n", self->cg));
	EXPECT_EQ(0, fg_stat("policies"));

	ASSERT_EQ(0, write_text(SYSCTL "enabled", "0"));
	ASSERT_EQ(0, write_text(ftrace, "1"));
	ASSERT_EQ(0, fg_polf("set %s rate=5\n", self->cg));
	ASSERT_EQ(0, write_text(ftrace, "0"));
	before = fg_read_file(FG_POLICIES, NULL);
	EXPECT_EQ(-EBUSY, write_text(SYSCTL "enabled", "1"));
	EXPECT_EQ(0, fg_stat("enabled"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	after = fg_read_file(FG_POLICIES, NULL);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
	ASSERT_EQ(0, write_text(ftrace, "1"));
	EXPECT_EQ(0, write_text(SYSCTL "enabled", "1"));
	EXPECT_EQ(1, fg_stat("hook_installed"));
}

#define MANY 10000

/*
 * Creating and removing 10,000 cgroups takes seconds on Debian's kernels,
 * ten minutes and more on the KASAN and lockdep kernel of a loaded host:
 * the bound is for a hang, not for speed.
 */
TEST_F_TIMEOUT(gov, ten_thousand_policies, 1800)
{
	char path[256];
	size_t size = MANY * 64, len = 0;
	char *buf = malloc(size);
	int i;

	snprintf(path, sizeof(path), "%s/many", self->cg);
	ASSERT_EQ(0, cg_create(path));
	for (i = 0; i < MANY; i++) {
		snprintf(path, sizeof(path), "%s/many/c%d", self->cg, i);
		ASSERT_EQ(0, cg_create(path));
		len += snprintf(buf + len, size - len, "set %s rate=%d burst=%d\n",
				path, i % 100 + 1, i % 7 + 1);
	}
	ASSERT_EQ(0, write_text(FG_POLICIES, buf));
	EXPECT_EQ(MANY, fg_stat("policies"));
	EXPECT_EQ(MANY, table_lines());
	snprintf(path, sizeof(path), "%s/many/c%d", self->cg, MANY - 1);
	EXPECT_EQ((MANY - 1) % 7 + 1, fg_policy_field("policy", path, "burst"));
	ASSERT_EQ(0, fg_polf("flush\n"));
	EXPECT_EQ(0, fg_stat("policies"));
	EXPECT_EQ(0, table_lines());
	free(buf);
}

static void vfork_clone3_vfork(struct tally *t, void *arg)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t pid;

	pid = vfork();
	if (!pid)
		_exit(0);
	count(t, pid < 0 ? errno : (waitpid(pid, NULL, 0), 0));
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (!pid)
		_exit(0);
	count(t, pid < 0 ? errno : (waitpid(pid, NULL, 0), 0));
	pid = vfork();
	if (!pid)
		_exit(0);
	count(t, pid < 0 ? errno : (waitpid(pid, NULL, 0), 0));
}

TEST_F(gov, vfork_and_clone3_are_charged)
{
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2\n", self->cg));
	t = run_in(self->cg, vfork_clone3_vfork, NULL);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(1, t.eagain);
	EXPECT_EQ(1, fg_policy_field("policy", self->cg, "denied"));
}

struct into_arg {
	int fd;
};

static void clone_into(struct tally *t, void *arg)
{
	struct into_arg *a = arg;
	int i;

	for (i = 0; i < 3; i++)
		count(t, fg_clone_into(a->fd));
}

TEST_F(gov, clone_into_cgroup_charges_destination)
{
	char path[256];
	struct into_arg a;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n", self->cg));
	snprintf(path, sizeof(path), CG_ROOT "%s", self->cg);
	a.fd = open(path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, a.fd);
	/* The caller sits outside the governed cgroup. */
	t = run_in("/", clone_into, &a);
	close(a.fd);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(2, fg_policy_field("policy", self->cg, "denied"));
}

/*
 * CLONE_INTO_CGROUP as a user who may not move tasks there: six tries,
 * counted by errno (EACCES in ->other, anything unexpected in ->late).
 */
static void clone_into_as_nobody(struct tally *t, void *arg)
{
	struct into_arg *a = arg;
	int i, err;

	if (setgid(65534) || setuid(65534)) {
		t->late = -1;
		return;
	}
	for (i = 0; i < 6; i++) {
		err = fg_clone_into(a->fd);
		if (!err)
			t->ok++;
		else if (err == EACCES)
			t->other++;
		else if (err == EAGAIN)
			t->eagain++;
		else
			t->late++;
	}
}

/*
 * CG/victim (128 bytes) with rate=0 burst=2 and CG/own with OWN_POLICY, and
 * the victim's directory open in *FD (by root, for a worker that drops it).
 */
static int into_cgroups(const char *cg, char *victim, char *own,
			const char *own_policy, int *fd)
{
	char path[256];

	snprintf(victim, 128, "%s/victim", cg);
	snprintf(own, 128, "%s/own", cg);
	if (cg_create(victim) || cg_create(own) ||
	    fg_polf("set %s rate=0 burst=2\nset %s %s\n", victim, own,
		    own_policy))
		return -1;
	snprintf(path, sizeof(path), CG_ROOT "%s", victim);
	*fd = open(path, O_RDONLY | O_DIRECTORY);
	return *fd < 0 ? -1 : 0;
}

/*
 * Anyone can open a cgroup's directory, and the kernel refuses a fork into
 * a cgroup the caller may not move tasks into only after forkgov has seen
 * it: such forks are charged as forks in the caller's own cgroup, and never
 * drain the bucket of the cgroup they name.  A caller that may move tasks
 * there is charged to it, as before.
 */
TEST_F(gov, clone_into_cgroup_needs_permission_to_charge)
{
	char victim[128], own[128];
	struct into_arg a;
	struct tally t;

	ASSERT_EQ(0, into_cgroups(self->cg, victim, own, "rate=0 burst=3 deny_delay=0",
				  &a.fd));

	t = run_in(own, clone_into_as_nobody, &a);
	EXPECT_EQ(0, t.late) TH_LOG("setuid failed, or an unexpected errno");
	EXPECT_EQ(0, t.ok);
	/* Three pass the caller's own bucket, then the kernel refuses them. */
	EXPECT_EQ(3, t.other);
	EXPECT_EQ(3, t.eagain);
	EXPECT_EQ(3, fg_policy_field("policy", own, "denied"));
	EXPECT_EQ(2, fg_policy_field("policy", victim, "tokens"))
		TH_LOG("forks the kernel refused drained the cgroup they named");
	EXPECT_EQ(0, fg_policy_field("policy", victim, "denied"));

	/* Root may: charged to the cgroup it names, not to its own. */
	t = run_in(own, clone_into, &a);
	close(a.fd);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(1, t.eagain);
	EXPECT_EQ(1, fg_policy_field("policy", victim, "denied"));
	EXPECT_EQ(3, fg_policy_field("policy", own, "denied"));
}

/*
 * The same when the caller's own policy throttles: each fork that may not
 * enter the cgroup it names is charged once to the caller's bucket, waits
 * for its token there, and is then refused by the kernel.
 */
TEST_F(gov, clone_into_cgroup_unpermitted_throttled_once)
{
	char victim[128], own[128];
	struct into_arg a;
	struct tally t;

	ASSERT_EQ(0, into_cgroups(self->cg, victim, own,
				  "rate=10/s burst=1 action=throttle max_delay=5000",
				  &a.fd));

	t = run_in(own, clone_into_as_nobody, &a);
	close(a.fd);
	EXPECT_EQ(0, t.late) TH_LOG("setuid failed, or an unexpected errno");
	EXPECT_EQ(6, t.other);
	/* One token each: the first from the burst, five waited for. */
	EXPECT_EQ(1, fg_policy_field("policy", own, "allowed"));
	EXPECT_EQ(5, fg_policy_field("policy", own, "throttled"))
		TH_LOG("a throttled fork was charged again at its restart");
	EXPECT_EQ(2, fg_policy_field("policy", victim, "tokens"));
}

/* Fork attempts in a loop for SECONDS, as a bomb retries; counts them. */
static void retry_for(struct tally *t, void *arg)
{
	double secs = *(double *)arg, start = now_s();

	while (now_s() - start < secs)
		count(t, fork_once());
	t->elapsed = now_s() - start;
}

/*
 * A retry loop under deny makes a bounded number of attempts: with a
 * deny_delay of 500 ms and a bucket that never refills, the sleeps are 1, 2,
 * 4, ... 256 ms, then 500 ms each: 9 attempts in the first 0.51 s, then 2 a
 * second, about 14 in 3 s.  Counted, not timed: a slower machine only makes
 * fewer.  Without the back-off the same loop makes thousands.
 */
TEST_F_TIMEOUT(gov, deny_backoff_bounds_retries, 60)
{
	long long sleeps = fg_stat("deny_sleeps");
	double secs = 3.0;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1 deny_delay=500ms\n", self->cg));
	t = run_in(self->cg, retry_for, &secs);
	TH_LOG("%d allowed, %d refused in %.2f s", t.ok, t.eagain, t.elapsed);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(0, t.other);
	EXPECT_LE(t.eagain, 9 + 2 * 3 + 1);
	EXPECT_GE(t.eagain, 3);
	EXPECT_EQ(t.eagain, fg_policy_field("policy", self->cg, "denied"));
	EXPECT_EQ(t.eagain, fg_stat("deny_sleeps") - sleeps);
}

/* deny_delay=0 keeps the old behaviour: a denied fork fails at once. */
TEST_F_TIMEOUT(gov, deny_delay_zero_fails_at_once, 60)
{
	long long sleeps = fg_stat("deny_sleeps");
	double secs = 1.0;
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1 deny_delay=0\n", self->cg));
	t = run_in(self->cg, retry_for, &secs);
	TH_LOG("%d allowed, %d refused in %.2f s", t.ok, t.eagain, t.elapsed);
	EXPECT_EQ(1, t.ok);
	EXPECT_GE(t.eagain, 50);
	EXPECT_EQ(0, fg_stat("deny_sleeps") - sleeps);
	EXPECT_NE(LLONG_MIN, fg_policy_field("policy", self->cg, "deny_delay"));
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "deny_delay"));
}

/* How long each of N denied forks in a row took, in seconds. */
struct durations {
	int n;
	int err[16];
	double secs[16];
};

static void time_each(struct tally *t, void *arg)
{
	struct durations *d = arg;
	double start;
	int i;

	for (i = 0; i < d->n; i++) {
		start = now_s();
		d->err[i] = fork_once();
		d->secs[i] = now_s() - start;
		count(t, d->err[i]);
	}
}

static struct durations *shared_durations(int n)
{
	struct durations *d = mmap(NULL, sizeof(*d), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	memset(d, 0, sizeof(*d));
	d->n = n;
	return d;
}

/*
 * The back-off doubles from one token interval (here the 1 ms floor: the
 * bucket never refills) up to deny_delay, and starts over for a task that
 * stays away at least as long as it last slept.  Lower bounds only: a
 * sleep is never shorter than asked.
 */
TEST_F_TIMEOUT(gov, deny_backoff_grows_and_resets, 120)
{
	struct durations *d = shared_durations(14);
	struct tally t;
	int i;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1 deny_delay=2s\n", self->cg));
	t = run_in(self->cg, time_each, d);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(13, t.eagain);
	for (i = 1; i < d->n; i++) {
		double want = i < 12 ? (1 << (i - 1)) / 1e3 : 2.0;

		TH_LOG("denial %d took %.3f s (at least %.3f)", i, d->secs[i],
		       want);
		EXPECT_GE(d->secs[i], want * 0.99);
	}
	/* 1+2+...+1024 ms and two of 2 s: about 6 s in all. */
	EXPECT_LT(d->secs[13], 2.0 + 2.0 * fg_timeout_scale());

	/* Another task starts from the bottom. */
	d->n = 3;
	t = run_in(self->cg, time_each, d);
	EXPECT_EQ(3, t.eagain);
	TH_LOG("a new task: %.3f s, %.3f s, %.3f s", d->secs[0], d->secs[1],
	       d->secs[2]);
	EXPECT_LT(d->secs[0], 1.0);
	munmap(d, sizeof(*d));
}

/*
 * One allowed fork and 9 denied ones (1 to 256 ms), a pause longer than the
 * 1 s grace, one more.
 */
static void sleep_then_retry(struct tally *t, void *arg)
{
	struct durations *d = arg;

	d->n = 10;
	time_each(t, d);
	usleep(2000000);
	d->secs[15] = now_s();
	d->err[15] = fork_once();
	d->secs[15] = now_s() - d->secs[15];
	count(t, d->err[15]);
}

TEST_F_TIMEOUT(gov, deny_backoff_resets_after_a_pause, 60)
{
	struct durations *d = shared_durations(10);
	struct tally t;

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1 deny_delay=2s\n", self->cg));
	t = run_in(self->cg, sleep_then_retry, d);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(10, t.eagain);
	TH_LOG("last denial before the pause %.3f s, first after %.3f s",
	       d->secs[9], d->secs[15]);
	EXPECT_GE(d->secs[9], 0.255);
	/* Without the reset it would be 512 ms. */
	EXPECT_LT(d->secs[15], 0.4);
	munmap(d, sizeof(*d));
}

/* A SIGKILL ends a back-off sleep at once. */
TEST_F(gov, deny_backoff_sigkill)
{
	ASSERT_EQ(0, fg_polf("set %s rate=1/min burst=1 deny_delay=10s\n",
			     self->cg));
	EXPECT_LT(sigkill_waiting_fork(_metadata, self->cg),
		  2.0 * fg_timeout_scale());
}

/*
 * Other signals do not cut the sleep short (a bomb's SIGCHLD handler would
 * otherwise make it spin): the handler runs once the fork has failed.
 */
TEST_F(gov, deny_backoff_survives_signals)
{
	struct tally *t;

	ASSERT_EQ(0, fg_polf("set %s rate=1/min burst=1 deny_delay=2s\n",
			     self->cg));
	t = signal_waiting_fork(self->cg);
	EXPECT_EQ(1, t->ok);
	EXPECT_EQ(1, t->eagain);
	EXPECT_EQ(1, t->handler_runs);
	TH_LOG("denied fork returned after %.3f s", t->elapsed);
	EXPECT_GE(t->elapsed, 1.98);
	munmap(t, sizeof(*t));
}

/*
 * Many waiters on one throttle bucket: each fork either gets a token, in
 * order, or waits max_delay and fails; none fails early, none spins, and
 * the bucket lets through no more than its rate.
 */
#define WAITERS 40

TEST_F_TIMEOUT(gov, throttle_many_waiters, 120)
{
	struct durations *d;
	int i, ok = 0, eagain = 0, other = 0;
	pid_t pids[WAITERS];

	d = mmap(NULL, WAITERS * sizeof(*d), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, d);
	memset(d, 0, WAITERS * sizeof(*d));
	ASSERT_EQ(0, fg_polf("set %s rate=10 burst=1 action=throttle max_delay=1s deny_delay=0\n",
			     self->cg));
	for (i = 0; i < WAITERS; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			struct tally t = {};

			if (cg_enter(self->cg, getpid()))
				_exit(99);
			d[i].n = 1;
			time_each(&t, &d[i]);
			_exit(0);
		}
	}
	for (i = 0; i < WAITERS; i++)
		waitpid(pids[i], NULL, 0);
	for (i = 0; i < WAITERS; i++) {
		if (!d[i].err[0]) {
			ok++;
			continue;
		}
		if (d[i].err[0] != EAGAIN) {
			other++;
			continue;
		}
		eagain++;
		EXPECT_GE(d[i].secs[0], 0.99) TH_LOG("waiter %d failed early", i);
	}
	TH_LOG("%d forks, %d refused after max_delay", ok, eagain);
	EXPECT_EQ(0, other);
	EXPECT_EQ(WAITERS, ok + eagain);
	/* A burst of 1 and 10/s: about 11 within the 1 s wait, and a margin. */
	EXPECT_GE(ok, 5);
	EXPECT_LE(ok, 11 + 10 * (fg_timeout_scale() + 1));
	EXPECT_EQ(eagain, fg_policy_field("policy", self->cg, "denied"));
	munmap(d, WAITERS * sizeof(*d));
}

TEST_HARNESS_MAIN
