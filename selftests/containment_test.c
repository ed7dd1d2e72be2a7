// SPDX-License-Identifier: GPL-2.0
/*
 * A real fork bomb under forkgov, run for a few seconds in a cgroup of its
 * own and killed with cgroup.kill: what the admin guide's recipe promises,
 * checked by counts, never by the clock.
 *
 * The bomb is the classic one: every process, children too, calls fork()
 * in a loop, never exits and never waits; a failed fork is retried at once.
 * Each attempt and each success is counted in shared memory.  pids.max on
 * the bomb's cgroup is a safety net above anything the policy lets through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"

#define BOMB_SECONDS	5.0
#define SAFETY_PIDS	"2000"

struct bomb_counts {
	long attempts;
	long allowed;
	long failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bomb(struct bomb_counts *c)
{
	pid_t pid;

	for (;;) {
		__atomic_add_fetch(&c->attempts, 1, __ATOMIC_RELAXED);
		pid = fork();
		if (pid > 0)
			__atomic_add_fetch(&c->allowed, 1, __ATOMIC_RELAXED);
		else if (pid < 0)
			__atomic_add_fetch(&c->failed, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Run the bomb in @cg for @secs, kill it, reap it.  Stores in *@ran the
 * seconds the bomb ran, as measured: a parent starved by hundreds of
 * spinning tasks wakes late.  Returns the seconds cgroup.kill took to empty
 * the cgroup, or -1 if it was not empty after 30 s times the timeout scale
 * (a debug kernel tears a task down in 50 to 80 ms).
 */
static double run_bomb(const char *cg, struct bomb_counts *c, double secs,
		       double *ran)
{
	double start, killed, limit;
	long populated = 1;
	pid_t pid;

	/* Reap the whole bomb, orphans included. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (!pid) {
		if (cg_enter_current(cg))
			_exit(99);
		bomb(c);
	}
	if (pid < 0)
		return -1;
	start = now_s();
	while (now_s() - start < secs)
		usleep(100000);
	killed = now_s();
	*ran = killed - start;
	cg_write(cg, "cgroup.kill", "1");
	limit = killed + 30.0 * fg_timeout_scale();
	while (now_s() < limit) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		populated = cg_read_key(cg, "cgroup.events", "populated");
		if (populated == 0)
			break;
		usleep(10000);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	return populated == 0 ? now_s() - killed : -1;
}

FIXTURE(bomb) {
	char cg[64];
	struct bomb_counts *c;
};

FIXTURE_SETUP(bomb)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(FG_POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	snprintf(self->cg, sizeof(self->cg), "/fgbomb.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
	ASSERT_EQ(0, cg_write(self->cg, "pids.max", SAFETY_PIDS));
	self->c = mmap(NULL, sizeof(*self->c), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->c);
	memset(self->c, 0, sizeof(*self->c));
}

FIXTURE_TEARDOWN(bomb)
{
	fg_policy_write("flush\n");
	cg_destroy(self->cg);
}

/*
 * The recipe of the admin guide for a build farm: a throttle policy, a CPU
 * limit and pids.max on the jobs' cgroup.  The bomb gets its rate and no
 * more, and each of its tasks tries again at most once per max_delay: a
 * bound on attempts that does not depend on the machine's speed.  Before
 * denied forks waited, the same bomb made hundreds of thousands.
 */
TEST_F_TIMEOUT(bomb, throttle_recipe_bounds_attempts, 200)
{
	char line[256];
	long tasks, bound;
	double cleanup, ran;

	/* Kernels without CONFIG_CFS_BANDWIDTH (the debug one) have no cpu.max. */
	if (cg_write(self->cg, "cpu.max", "50000 100000"))
		TH_LOG("no cpu.max here: the recipe without its CPU limit");
	snprintf(line, sizeof(line),
		 "set %s rate=20 burst=20 action=throttle max_delay=2s\n",
		 self->cg);
	ASSERT_EQ(0, fg_policy_write(line));
	cleanup = run_bomb(self->cg, self->c, BOMB_SECONDS, &ran);
	TH_LOG("%ld attempts, %ld allowed, %ld failed in %.1f s; cleanup %.3f s",
	       self->c->attempts, self->c->allowed, self->c->failed, ran,
	       cleanup);
	EXPECT_LE(0, cleanup) TH_LOG("cgroup.kill did not empty the cgroup");
	/* The rate: 20/s for the run, the burst, the forks asleep at the end. */
	EXPECT_LE(self->c->allowed, 20 * (ran + 2 + 1) + 20);
	/* Each task: its first try, then one per 2 s at most. */
	tasks = self->c->allowed + 1;
	bound = tasks * (long)(ran / 2 + 2);
	EXPECT_LE(self->c->failed, bound);
	EXPECT_LE(self->c->attempts, self->c->allowed + bound + tasks);
}

/*
 * The same bomb under deny with the default deny_delay: attempts bounded
 * by the back-off (1 s at most between two tries of a task once it has
 * climbed, 50 ms + 100 + ... + 800 ms on its way up: 5 tries in its first
 * 1.55 s).
 */
TEST_F_TIMEOUT(bomb, deny_default_bounds_attempts, 200)
{
	char line[256];
	long tasks, bound;
	double cleanup, ran;

	snprintf(line, sizeof(line), "set %s rate=20 burst=20\n", self->cg);
	ASSERT_EQ(0, fg_policy_write(line));
	cleanup = run_bomb(self->cg, self->c, BOMB_SECONDS, &ran);
	TH_LOG("%ld attempts, %ld allowed, %ld failed in %.1f s; cleanup %.3f s",
	       self->c->attempts, self->c->allowed, self->c->failed, ran,
	       cleanup);
	EXPECT_LE(0, cleanup) TH_LOG("cgroup.kill did not empty the cgroup");
	EXPECT_LE(self->c->allowed, 20 * (ran + 1) + 20);
	tasks = self->c->allowed + 1;
	bound = tasks * (long)(5 + ran + 1);
	EXPECT_LE(self->c->failed, bound);
}

/*
 * With deny_delay=0 the bomb spins: the old behaviour, for comparison.  A
 * low rate keeps the bomb small: every task it makes spins, and on a debug
 * kernel each takes 50 to 80 ms to tear down after cgroup.kill.
 */
TEST_F_TIMEOUT(bomb, deny_delay_zero_spins, 200)
{
	char line[256];
	double cleanup, ran;

	snprintf(line, sizeof(line), "set %s rate=5 burst=5 deny_delay=0\n",
		 self->cg);
	ASSERT_EQ(0, fg_policy_write(line));
	cleanup = run_bomb(self->cg, self->c, 2.0 * fg_timeout_scale(), &ran);
	TH_LOG("%ld attempts, %ld allowed, %ld failed in %.1f s; cleanup %.3f s",
	       self->c->attempts, self->c->allowed, self->c->failed, ran,
	       cleanup);
	EXPECT_LE(0, cleanup) TH_LOG("cgroup.kill did not empty the cgroup");
	EXPECT_LE(self->c->allowed, 5 * (ran + 1) + 5);
	if (!self->c->failed)
		SKIP(return, "the bomb did not empty the bucket: machine too slow");
	/* Far more than the back-off would allow: a spinning retry loop. */
	EXPECT_GT(self->c->failed, 20 * (self->c->allowed + 1));
}

TEST_HARNESS_MAIN
