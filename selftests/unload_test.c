// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading forkgov under load: while throttled forks sleep in the module,
 * and while forks race the unload.  Needs root, the module loaded and
 * FORKGOV_KO naming the module file to load it again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"

#define POLICIES	"/proc/forkgov/policies"
#define CGROOT		"/sys/fs/cgroup"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int load(void)
{
	return fg_load(getenv("FORKGOV_KO"), "");
}

static int read_int(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return atoi(buf);
}

static void enter(const char *cg)
{
	char path[256], pid[32];

	snprintf(path, sizeof(path), CGROOT "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_str(path, pid))
		_exit(99);
}

/* Results of the workers, in shared memory. */
struct counts {
	int ok;
	int eagain;
	int other;
	int last_other;
};

static void fork_loop(struct counts *c, double secs)
{
	double start = now_s();
	pid_t pid;

	while (now_s() - start < secs) {
		pid = fork();
		if (!pid)
			_exit(0);
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			__atomic_add_fetch(&c->ok, 1, __ATOMIC_RELAXED);
		} else if (errno == EAGAIN) {
			__atomic_add_fetch(&c->eagain, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_add_fetch(&c->other, 1, __ATOMIC_RELAXED);
			c->last_other = errno;
		}
	}
}

FIXTURE(unload) {
	char cg[64];
	struct counts *c;
};

FIXTURE_SETUP(unload)
{
	char path[128];

	if (geteuid())
		SKIP(return, "needs root");
	if (access(POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	if (!getenv("FORKGOV_KO"))
		SKIP(return, "FORKGOV_KO is not set");
	snprintf(self->cg, sizeof(self->cg), "/fgunload.%d", getpid());
	snprintf(path, sizeof(path), CGROOT "%s", self->cg);
	ASSERT_EQ(0, mkdir(path, 0755));
	self->c = mmap(NULL, sizeof(*self->c), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(self->c, 0, sizeof(*self->c));
}

FIXTURE_TEARDOWN(unload)
{
	char path[128];

	if (access(POLICIES, F_OK))
		load();
	write_str(POLICIES, "flush\n");
	snprintf(path, sizeof(path), CGROOT "%s/cgroup.kill", self->cg);
	write_str(path, "1");
	snprintf(path, sizeof(path), CGROOT "%s", self->cg);
	for (int i = 0; i < 20 && rmdir(path) && errno == EBUSY; i++)
		usleep(100000);
}

/*
 * Four workers in @cg each try to fork for 10 ms under @params, counting
 * in @c; one gets the token, the others go to sleep in the kernel for
 * far longer.  Unload the module under them: it must not wait for the
 * sleepers, and they must finish at once.
 */
static void unload_under_sleepers(struct __test_metadata *_metadata,
				  const char *cg, struct counts *c,
				  const char *params)
{
	char line[256];
	double start, took;
	pid_t pids[4];
	int i;

	snprintf(line, sizeof(line), "set %s %s\n", cg, params);
	ASSERT_EQ(0, write_str(POLICIES, line));
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			enter(cg);
			fork_loop(c, 0.01);
			_exit(0);
		}
	}
	usleep(800000);
	start = now_s();
	ASSERT_EQ(0, fg_unload());
	took = now_s() - start;
	TH_LOG("unloaded in %.3f s with forks asleep", took);
	EXPECT_LT(took, 5.0);
	for (i = 0; i < 4; i++)
		waitpid(pids[i], NULL, 0);
	TH_LOG("sleepers finished %.3f s after the unload", now_s() - start);
	EXPECT_LT(now_s() - start, 8.0);
	EXPECT_EQ(0, c->other) TH_LOG("errno %d", c->last_other);
}

TEST_F(unload, while_throttled_forks_sleep)
{
	/* One fork gets the token; the others sleep for 10 to 30 s. */
	unload_under_sleepers(_metadata, self->cg, self->c,
			      "rate=0.1 burst=1 action=throttle max_delay=30s");
	EXPECT_EQ(4, self->c->ok);
	ASSERT_EQ(0, load());
}

/* Denied forks asleep in their back-off are woken and fail: no wait. */
TEST_F(unload, while_denied_forks_back_off)
{
	/* Every denial sleeps the whole 10 s: the interval is longer. */
	unload_under_sleepers(_metadata, self->cg, self->c,
			      "rate=0.1 burst=1 deny_delay=10s");
	EXPECT_EQ(1, self->c->ok);
	/* The three sleepers; the winner may try once more within 10 ms. */
	EXPECT_GE(self->c->eagain, 3);
	EXPECT_LE(self->c->eagain, 4);
	ASSERT_EQ(0, load());
}

TEST_F_TIMEOUT(unload, while_forks_race, 300)
{
	char line[512];
	pid_t pids[3];
	int i, cycles = 5;

	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			enter(self->cg);
			fork_loop(self->c, 12.0);
			_exit(0);
		}
	}
	for (i = 0; i < cycles; i++) {
		snprintf(line, sizeof(line),
			 "set %s rate=200 burst=20 action=throttle max_delay=50\n",
			 self->cg);
		ASSERT_EQ(0, write_str(POLICIES, line));
		usleep(300000);
		ASSERT_EQ(0, fg_unload());
		usleep(100000);
		ASSERT_EQ(0, load());
	}
	for (i = 0; i < 3; i++)
		waitpid(pids[i], NULL, 0);
	TH_LOG("%d cycles: %d forks, %d denied", cycles, self->c->ok,
	       self->c->eagain);
	EXPECT_GT(self->c->ok, 0);
	EXPECT_EQ(0, self->c->other) TH_LOG("errno %d", self->c->last_other);
}

/* Recovery: loaded with enabled=0, policies are accepted but not enforced. */
TEST_F(unload, module_parameter_disables_enforcement)
{
	char line[256];

	ASSERT_EQ(0, fg_unload());
	ASSERT_EQ(0, fg_load(getenv("FORKGOV_KO"), "enabled=0 max_policies=5"));
	EXPECT_EQ(0, read_int("/proc/sys/kernel/forkgov/enabled"));
	EXPECT_EQ(5, read_int("/proc/sys/kernel/forkgov/max_policies"));
	snprintf(line, sizeof(line), "set %s rate=0 burst=1\n", self->cg);
	ASSERT_EQ(0, write_str(POLICIES, line));
	if (!fork()) {
		enter(self->cg);
		fork_loop(self->c, 0.3);
		_exit(0);
	}
	wait(NULL);
	EXPECT_EQ(0, self->c->eagain);
	EXPECT_GT(self->c->ok, 1);
	ASSERT_EQ(0, fg_unload());
	ASSERT_EQ(0, load());
	EXPECT_EQ(1, read_int("/proc/sys/kernel/forkgov/enabled"));
}

TEST_HARNESS_MAIN
