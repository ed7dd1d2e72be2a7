// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for the security and correctness fixes of issue 15: the
 * write path reads exactly what it was given, a new rate takes effect at
 * once, nothing is created for a cgroup that is going away, rate=none
 * templates get no child buckets, and one policy's reports cannot crowd out
 * another's.  Runs as root in a guest with forkgov loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
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

#define KNOBS		"/proc/sys/kernel/forkgov/"

static int pol(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return fg_policy_write(line);
}

/* Table lines that start with "KIND PATH ". */
static int table_count(const char *kind, const char *path)
{
	char *s = fg_read_file(FG_POLICIES, NULL), *line, *save, head[512];
	int n = 0;

	if (!s)
		return -1;
	snprintf(head, sizeof(head), "%s %s ", kind, path);
	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += !strncmp(line, head, strlen(head));
	free(s);
	return n;
}

FIXTURE(hard) {
	char cg[64];
	int kmsg;
};

FIXTURE_SETUP(hard)
{
	self->kmsg = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (!fg_loaded())
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	snprintf(self->cg, sizeof(self->cg), "/fghard.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
}

FIXTURE_TEARDOWN(hard)
{
	fg_policy_write("flush\n");
	write_text(KNOBS "log_ratelimit", "10");
	write_text(KNOBS "audit", "0");
	cg_destroy(self->cg);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/*
 * A write whose last byte is the last byte of a mapping succeeds: the module
 * reads exactly the bytes it was given, none after them.
 */
TEST_F(hard, write_ends_at_end_of_mapping)
{
	long page = sysconf(_SC_PAGESIZE);
	char line[256], *map, *start;
	size_t len;
	int fd, pass;

	len = snprintf(line, sizeof(line), "set %s rate=5 burst=5\n", self->cg);
	for (pass = 0; pass < 2; pass++) {
		map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		/* The page after the command: inaccessible, then unmapped. */
		ASSERT_EQ(0, pass == 0 ? mprotect(map + page, page, PROT_NONE) :
					 munmap(map + page, page));
		start = map + page - len;
		memcpy(start, line, len);
		fd = open(FG_POLICIES, O_WRONLY);
		ASSERT_LE(0, fd);
		EXPECT_EQ((ssize_t)len, write(fd, start, len))
			TH_LOG("pass %d: %s", pass, strerror(errno));
		close(fd);
		EXPECT_EQ(1, table_count("policy", self->cg));
		ASSERT_EQ(0, fg_policy_write("flush\n"));
		munmap(map, pass == 0 ? 2 * page : page);
	}
}

/*
 * Relaxing a policy takes effect at once: after one fork at 24/h with a
 * burst of 1 the bucket is empty for 150 s, but at 100/s the next fork is
 * allowed at once, without waiting for the old debt.
 */
TEST_F(hard, relaxed_rate_takes_effect_at_once)
{
	ASSERT_EQ(0, pol("set %s rate=24/h burst=1\n", self->cg));
	EXPECT_EQ(0, fg_fork_in(self->cg, 1));
	EXPECT_EQ(1, fg_fork_in(self->cg, 1));
	ASSERT_EQ(0, pol("set %s rate=100/s burst=1\n", self->cg));
	EXPECT_EQ(0, fg_fork_in(self->cg, 1));
	/* Tightening is as immediate: one token, then the slow rate. */
	ASSERT_EQ(0, pol("set %s rate=24/h burst=1\n", self->cg));
	EXPECT_EQ(1, fg_fork_in(self->cg, 2));
}

/*
 * A fork into a child that was removed (clone3 into a directory fd kept
 * open) must not create a child bucket: the sweep of that rmdir has run
 * already, nothing would ever reap it.
 */
TEST_F(hard, no_bucket_for_removed_child)
{
	char c[128];
	int fd, err;

	ASSERT_EQ(0, pol("set %s rate=1000 burst=1000 scope=per-child\n",
			 self->cg));
	snprintf(c, sizeof(c), "%s/gone", self->cg);
	ASSERT_EQ(0, cg_create(c));
	fd = fg_open_cg(c);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fg_clone_into(fd));
	EXPECT_EQ(1, fg_stat("child_buckets"));
	ASSERT_EQ(0, fg_rmdir_cg(c));
	EXPECT_EQ(0, fg_stat_wait("child_buckets", 0, 5));
	err = fg_clone_into(fd);
	close(fd);
	EXPECT_NE(0, err);
	usleep(200000);
	EXPECT_EQ(0, fg_stat("child_buckets"));
	EXPECT_EQ(0, table_count("child", c));
}

/*
 * One process of the race: make a child, fork into it, remove it while
 * another process sets a policy on it, fork into it once more, for @secs.
 */
static int churn(const char *parent, int id, double secs)
{
	double end = fg_now() + secs;
	char c[128], line[256];
	pid_t setter;
	int i, fd;

	for (i = 0; fg_now() < end; i++) {
		snprintf(c, sizeof(c), "%s/r%d.%d", parent, id, i);
		if (cg_create(c))
			return 1;
		fd = fg_open_cg(c);
		if (fd < 0)
			return 2;
		fg_clone_into(fd);
		snprintf(line, sizeof(line), "set %s rate=none\n", c);
		setter = fork();
		if (!setter)
			_exit(fg_policy_write(line) ? 1 : 0);
		if (fg_rmdir_cg(c))
			return 3;
		fg_clone_into(fd);
		waitpid(setter, NULL, 0);
		close(fd);
	}
	return 0;
}

TEST_F_TIMEOUT(hard, create_remove_race_leaks_nothing, 120)
{
	double secs = 4.0;
	long long base;
	int i, status, rc = 0;
	pid_t pids[2];

	ASSERT_EQ(0, pol("set %s rate=1000 burst=1000 scope=per-child\n",
			 self->cg));
	base = fg_stat("child_buckets");
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(churn(self->cg, i, secs));
	}
	for (i = 0; i < 2; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	}
	EXPECT_EQ(0, rc);
	EXPECT_EQ(base, fg_stat_wait("child_buckets", base, 5));
	EXPECT_EQ(1, fg_stat_wait("policies", 1, 5));
	EXPECT_EQ(1, table_count("policy", self->cg));
}

/*
 * A rate=none policy is never a per-child template: the parser refuses the
 * scope key with rate=none, and a per-child policy set to rate=none is
 * replaced by a new subtree policy, whose old child buckets go with it.  A
 * governing per-child policy below it still gets its buckets, and removing
 * the children brings the count back to where it was.
 */
TEST_F(hard, rate_none_owns_no_child_buckets)
{
	char c[128], d[128];

	snprintf(c, sizeof(c), "%s/c", self->cg);
	snprintf(d, sizeof(d), "%s/c/d", self->cg);
	ASSERT_EQ(0, cg_create(c));
	ASSERT_EQ(0, cg_create(d));
	ASSERT_EQ(0, pol("set %s rate=1000 burst=1000 scope=per-child\n"
			 "set %s rate=1000 burst=1000 scope=per-child\n",
			 self->cg, c));
	EXPECT_EQ(0, fg_fork_in(d, 3));
	/* d's bucket under the policy on c, c's under the one above. */
	EXPECT_EQ(2, fg_stat("child_buckets"));
	EXPECT_EQ(1, table_count("child", c));

	ASSERT_EQ(0, pol("set %s rate=none\n", self->cg));
	EXPECT_EQ(1, fg_stat("child_buckets"));
	EXPECT_EQ(0, table_count("child", c));
	EXPECT_EQ(-EINVAL, pol("set %s rate=none scope=per-child\n",
			       self->cg));
	EXPECT_EQ(0, fg_fork_in(d, 3));
	EXPECT_EQ(1, fg_stat("child_buckets"));
	EXPECT_EQ(1, table_count("child", d));
	EXPECT_EQ(0, table_count("child", c));

	ASSERT_EQ(0, cg_destroy(d));
	EXPECT_EQ(0, fg_stat_wait("child_buckets", 0, 5));
	ASSERT_EQ(0, cg_destroy(c));
	EXPECT_EQ(1, fg_stat_wait("policies", 1, 5));
	EXPECT_EQ(0, fg_stat("child_buckets"));
}

#define DECOYS	1000

/*
 * A set that names a cgroup removed while the write is being resolved must
 * not leave a policy behind.  The write names the victim first and a
 * thousand other cgroups after it, so that a good part of its time lies
 * between resolving the victim's path and taking the table's mutex; an
 * rmdir lands there at some of the delays tried, and its sweep, run at
 * once, finds nothing yet.  Without a check under the mutex, the policy on
 * the removed cgroup stays until some other rmdir.
 */
TEST_F_TIMEOUT(hard, set_racing_rmdir_leaves_no_policy, 240)
{
	char x[128], *buf, *p;
	double t0, cost;
	int i, fd, pfd[2], tries = 40, left = 0;
	long long n;
	pid_t pid;

	buf = malloc(DECOYS * 64 + 256);
	ASSERT_NE(NULL, buf);
	snprintf(x, sizeof(x), "%s/x", self->cg);
	p = buf + sprintf(buf, "set %s rate=none\n", x);
	for (i = 0; i < DECOYS; i++) {
		char d[128];

		snprintf(d, sizeof(d), "%s/d%d", self->cg, i);
		ASSERT_EQ(0, cg_create(d));
		p += sprintf(p, "set %s rate=none\n", d);
	}
	/* The time of a write of the decoys alone. */
	t0 = fg_now();
	ASSERT_EQ(0, fg_policy_write(strchr(buf, '\n') + 1));
	cost = fg_now() - t0;
	TH_LOG("a write of %d lines takes %.1f ms", DECOYS, cost * 1e3);

	for (i = 0; i < tries; i++) {
		ASSERT_EQ(0, cg_create(x));
		ASSERT_EQ(0, pipe(pfd));
		pid = fork();
		if (!pid) {
			char c;

			close(pfd[1]);
			if (read(pfd[0], &c, 1) != 1)
				_exit(1);
			usleep((useconds_t)(cost * 1e6 * (i % 20) / 16));
			_exit(fg_rmdir_cg(x) ? 2 : 0);
		}
		close(pfd[0]);
		fd = open(FG_POLICIES, O_WRONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(pfd[1], "g", 1));
		if (write(fd, buf, strlen(buf)) < 0)
			ASSERT_EQ(ENOENT, errno);
		close(fd);
		close(pfd[1]);
		waitpid(pid, NULL, 0);
		/* No other rmdir meanwhile: a policy left now stays. */
		n = fg_stat_wait("policies", DECOYS, 1);
		if (n != DECOYS) {
			left++;
			TH_LOG("try %d: %lld policies left, %d expected", i, n,
			       DECOYS);
		}
		cg_destroy(x);
	}
	EXPECT_EQ(0, left);
	free(buf);
}

/* Fork for @secs from a worker in @cg: a fork loop that is all denied. */
static pid_t bomb(const char *cg, double secs)
{
	pid_t pid = fork(), c;
	double end;

	if (pid)
		return pid;
	if (cg_enter_current(cg))
		_exit(1);
	end = fg_now() + secs;
	while (fg_now() < end) {
		c = fork();
		if (!c)
			_exit(0);
		if (c > 0)
			waitpid(c, NULL, 0);
	}
	_exit(0);
}

/*
 * Each policy has its own report limit: a fork loop under policy A uses up
 * A's reports, and a denial under policy B a moment later is still in the
 * kernel log, with the count of A's reports held back.
 */
TEST_F(hard, reports_are_limited_per_policy)
{
	char a[128], b[128], needle[256];
	long more;
	pid_t p[2];
	int i;

	snprintf(a, sizeof(a), "%s/a", self->cg);
	snprintf(b, sizeof(b), "%s/b", self->cg);
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "5"));
	ASSERT_EQ(0, pol("set %s rate=0 burst=1\nset %s rate=0 burst=1\n",
			 a, b));
	self->kmsg = fg_kmsg_open();
	ASSERT_LE(0, self->kmsg);
	for (i = 0; i < 2; i++)
		p[i] = bomb(a, 2.0);
	/* Well inside A's first 5-second period. */
	usleep(500000);
	EXPECT_EQ(1, fg_fork_in(b, 2));
	for (i = 0; i < 2; i++)
		waitpid(p[i], NULL, 0);
	usleep(300000);	/* reports are written by a work item */

	snprintf(needle, sizeof(needle), ", policy %s (", b);
	EXPECT_EQ(1, fg_kmsg_count(self->kmsg, needle, &more));
	TH_LOG("B's report came with %ld more not reported", more);
	EXPECT_LT(0, more);
}

/*
 * Audit records of a change are written after the table's mutex is
 * released, from what each line replaced as it was applied: one record per
 * line, in order, each with the old value it replaced.
 */
TEST_F(hard, audit_records_after_the_mutex)
{
	const char *r;
	char b[128];

	snprintf(b, sizeof(b), "%s/b", self->cg);
	ASSERT_EQ(0, cg_create(b));
	/* Records reach the log asynchronously (kauditd): read them all. */
	self->kmsg = fg_kmsg_open();
	ASSERT_LE(0, self->kmsg);
	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	ASSERT_EQ(0, pol("set %s rate=1 burst=1\n", self->cg));
	/* The same cgroup twice in one write is refused, even after flush. */
	ASSERT_EQ(0, pol("set %s rate=2 burst=2\nflush\nset %s rate=3 burst=3\n",
			 self->cg, b));
	ASSERT_EQ(0, write_text(KNOBS "audit", "0"));
	usleep(300000);
	r = fg_kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=1/s,burst=1,")) TH_LOG("%s", r);
	r = fg_kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_set ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"rate=1/s,burst=1,")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=2/s,burst=2,")) TH_LOG("%s", r);
	r = fg_kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_flush ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"policies=1\"")) TH_LOG("%s", r);
	r = fg_kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_set ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"none\"")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=3/s,burst=3,")) TH_LOG("%s", r);
	EXPECT_EQ(NULL, fg_kmsg_next(self->kmsg, "op=forkgov_policy_"));
}

TEST_HARNESS_MAIN
