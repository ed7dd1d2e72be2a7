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

#define KNOBS		"/proc/sys/kernel/forkgov/"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pol(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return fg_policy_write(line);
}

static char *slurp(const char *path)
{
	size_t size = 1 << 16, len = 0;
	char *buf = malloc(size);
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (len + 1 == size)
			buf = realloc(buf, size *= 2);
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

static long long stat_value(const char *key)
{
	char *s = slurp(FG_STATS), *p, pat[64];
	long long v = -1;

	if (!s)
		return v;
	snprintf(pat, sizeof(pat), "\n%s ", key);
	p = strstr(s, pat);
	if (p)
		v = strtoll(p + strlen(pat), NULL, 10);
	free(s);
	return v;
}

/* Table lines that start with "KIND PATH ". */
static int table_count(const char *kind, const char *path)
{
	char *s = slurp(FG_POLICIES), *line, *save, head[512];
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

/* Wait until the stat @key equals @want, up to @secs (scaled); its value. */
static long long wait_stat(const char *key, long long want, double secs)
{
	double end = now_s() + secs * fg_timeout_scale();
	long long v;

	while ((v = stat_value(key)) != want && now_s() < end)
		usleep(50000);
	return v;
}

/* Fork @n children from a worker in @cg; returns how many forks failed. */
static int fork_in(const char *cg, int n)
{
	int status, i, failed = 0;
	pid_t pid = fork(), c;

	if (!pid) {
		if (cg_enter_current(cg))
			_exit(255);
		for (i = 0; i < n; i++) {
			c = fork();
			if (!c)
				_exit(0);
			if (c < 0)
				failed++;
			else
				waitpid(c, NULL, 0);
		}
		_exit(failed);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* clone3() into the cgroup open at @fd; 0 or the errno. */
static int clone_into(int fd)
{
	struct clone_args ca = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = fd,
	};
	pid_t pid = syscall(SYS_clone3, &ca, sizeof(ca));

	if (!pid)
		_exit(0);
	if (pid < 0)
		return errno;
	waitpid(pid, NULL, 0);
	return 0;
}

static int open_cg(const char *cg)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* rmdir, retrying while a reaped task is still leaving the cgroup. */
static int rmdir_cg(const char *cg)
{
	char path[PATH_MAX];
	int i;

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	for (i = 0; i < 500; i++) {
		if (!rmdir(path))
			return 0;
		if (errno != EBUSY)
			return -errno;
		usleep(2000);
	}
	return -EBUSY;
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
	EXPECT_EQ(0, fork_in(self->cg, 1));
	EXPECT_EQ(1, fork_in(self->cg, 1));
	ASSERT_EQ(0, pol("set %s rate=100/s burst=1\n", self->cg));
	EXPECT_EQ(0, fork_in(self->cg, 1));
	/* Tightening is as immediate: one token, then the slow rate. */
	ASSERT_EQ(0, pol("set %s rate=24/h burst=1\n", self->cg));
	EXPECT_EQ(1, fork_in(self->cg, 2));
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
	fd = open_cg(c);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, clone_into(fd));
	EXPECT_EQ(1, stat_value("child_buckets"));
	ASSERT_EQ(0, rmdir_cg(c));
	EXPECT_EQ(0, wait_stat("child_buckets", 0, 5));
	err = clone_into(fd);
	close(fd);
	EXPECT_NE(0, err);
	usleep(200000);
	EXPECT_EQ(0, stat_value("child_buckets"));
	EXPECT_EQ(0, table_count("child", c));
}

/*
 * One process of the race: make a child, fork into it, remove it while
 * another process sets a policy on it, fork into it once more, for @secs.
 */
static int churn(const char *parent, int id, double secs)
{
	double end = now_s() + secs;
	char c[128], line[256];
	pid_t setter;
	int i, fd;

	for (i = 0; now_s() < end; i++) {
		snprintf(c, sizeof(c), "%s/r%d.%d", parent, id, i);
		if (cg_create(c))
			return 1;
		fd = open_cg(c);
		if (fd < 0)
			return 2;
		clone_into(fd);
		snprintf(line, sizeof(line), "set %s rate=none\n", c);
		setter = fork();
		if (!setter)
			_exit(fg_policy_write(line) ? 1 : 0);
		if (rmdir_cg(c))
			return 3;
		clone_into(fd);
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
	base = stat_value("child_buckets");
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
	EXPECT_EQ(base, wait_stat("child_buckets", base, 5));
	EXPECT_EQ(1, wait_stat("policies", 1, 5));
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
	EXPECT_EQ(0, fork_in(d, 3));
	/* d's bucket under the policy on c, c's under the one above. */
	EXPECT_EQ(2, stat_value("child_buckets"));
	EXPECT_EQ(1, table_count("child", c));

	ASSERT_EQ(0, pol("set %s rate=none\n", self->cg));
	EXPECT_EQ(1, stat_value("child_buckets"));
	EXPECT_EQ(0, table_count("child", c));
	EXPECT_EQ(-EINVAL, pol("set %s rate=none scope=per-child\n",
			       self->cg));
	EXPECT_EQ(0, fork_in(d, 3));
	EXPECT_EQ(1, stat_value("child_buckets"));
	EXPECT_EQ(1, table_count("child", d));
	EXPECT_EQ(0, table_count("child", c));

	ASSERT_EQ(0, cg_destroy(d));
	EXPECT_EQ(0, wait_stat("child_buckets", 0, 5));
	ASSERT_EQ(0, cg_destroy(c));
	EXPECT_EQ(1, wait_stat("policies", 1, 5));
	EXPECT_EQ(0, stat_value("child_buckets"));
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
	t0 = now_s();
	ASSERT_EQ(0, fg_policy_write(strchr(buf, '\n') + 1));
	cost = now_s() - t0;
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
			_exit(rmdir_cg(x) ? 2 : 0);
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
		n = wait_stat("policies", DECOYS, 1);
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

/* Open /dev/kmsg positioned after everything logged so far. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Records since kmsg_open() containing @needle; *@more is set to the
 * largest "N more not reported" among them.
 */
static int kmsg_count(int fd, const char *needle, long *more)
{
	char rec[8192], *p;
	int count = 0;
	ssize_t len;

	*more = -1;
	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (!strstr(rec, needle))
			continue;
		count++;
		p = strrchr(rec, '(');
		if (p && strtol(p + 1, NULL, 10) > *more)
			*more = strtol(p + 1, NULL, 10);
	}
	return count;
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
	end = now_s() + secs;
	while (now_s() < end) {
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
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
	for (i = 0; i < 2; i++)
		p[i] = bomb(a, 2.0);
	/* Well inside A's first 5-second period. */
	usleep(500000);
	EXPECT_EQ(1, fork_in(b, 2));
	for (i = 0; i < 2; i++)
		waitpid(p[i], NULL, 0);
	usleep(300000);	/* reports are written by a work item */

	snprintf(needle, sizeof(needle), ", policy %s (", b);
	EXPECT_EQ(1, kmsg_count(self->kmsg, needle, &more));
	TH_LOG("B's report came with %ld more not reported", more);
	EXPECT_LT(0, more);
}

/* The next record since kmsg_open() that contains @needle, or NULL. */
static const char *kmsg_next(int fd, const char *needle)
{
	static char rec[8192];
	ssize_t len;

	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		if (strstr(rec, needle))
			return rec;
	}
	return NULL;
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
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	ASSERT_EQ(0, pol("set %s rate=1 burst=1\n", self->cg));
	/* The same cgroup twice in one write is refused, even after flush. */
	ASSERT_EQ(0, pol("set %s rate=2 burst=2\nflush\nset %s rate=3 burst=3\n",
			 self->cg, b));
	ASSERT_EQ(0, write_text(KNOBS "audit", "0"));
	usleep(300000);
	r = kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=1/s,burst=1,")) TH_LOG("%s", r);
	r = kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_set ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"rate=1/s,burst=1,")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=2/s,burst=2,")) TH_LOG("%s", r);
	r = kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_flush ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"policies=1\"")) TH_LOG("%s", r);
	r = kmsg_next(self->kmsg, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_set ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "old=\"none\"")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=3/s,burst=3,")) TH_LOG("%s", r);
	EXPECT_EQ(NULL, kmsg_next(self->kmsg, "op=forkgov_policy_"));
}

TEST_HARNESS_MAIN
