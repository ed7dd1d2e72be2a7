// SPDX-License-Identifier: GPL-2.0
/*
 * Pending and persistent policies, and owner tags.
 *
 * A "set PATH ... pending" for a cgroup that does not exist is listed as
 * state=pending and turns active (and governs forks) when the cgroup is
 * created; without "pending" the same line is refused with ENOENT.  Without
 * "persist" the policy goes away with its cgroup; with it, it turns pending
 * again and comes back when the cgroup is recreated.  Bad words are EINVAL
 * and change nothing; pending policies count against max_policies; every
 * policy names its owner (cli when none is given); a burst of new cgroups
 * larger than the notification ring still activates every policy; the
 * first forks in a new cgroup, made before the activation could run, are
 * charged to its policy, which puts the hook on the fork path while pending
 * if it has a rate; the module unloads with pending policies in its
 * table.  Needs root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define TOP		"/fgpend"
#define SYS_MAXPOL	"/proc/sys/kernel/forkgov/max_policies"
#define BURST_DIRS	200

static char table[1 << 20];

static int read_table(void)
{
	return read_text(FG_POLICIES, table, sizeof(table)) < 0 ? -1 : 0;
}

/*
 * The value of @key on the policy line of @cg, copied into @val; 0 if
 * found, -1 if the table has no policy line for @cg.
 */
static int policy_field(const char *cg, const char *key, char *val,
			size_t size)
{
	char head[256], pat[64], *line, *end, *k;
	size_t n;

	if (read_table())
		return -1;
	snprintf(head, sizeof(head), "policy %s ", cg);
	for (line = table; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (strncmp(line, head, strlen(head)))
			continue;
		if (end)
			*end = '\0';
		snprintf(pat, sizeof(pat), " %s=", key);
		k = strstr(line, pat);
		if (!k)
			return -1;
		k += strlen(pat);
		n = strcspn(k, " ");
		if (n >= size)
			n = size - 1;
		memcpy(val, k, n);
		val[n] = '\0';
		return 0;
	}
	return -1;
}

static bool has_policy(const char *cg)
{
	char v[32];

	return !policy_field(cg, "state", v, sizeof(v));
}

static bool state_is(const char *cg, const char *state)
{
	char v[32];

	return !policy_field(cg, "state", v, sizeof(v)) && !strcmp(v, state);
}

/* Wait up to 10 s (scaled) for @cg's policy to reach @state ("" gone). */
static bool wait_state(const char *cg, const char *state)
{
	int i, n = 100 * fg_timeout_scale();

	for (i = 0; i < n; i++) {
		if (*state ? state_is(cg, state) : !has_policy(cg))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* Forks that fail with EAGAIN out of @n, from a task in @cg. */
static int denied_forks(const char *cg, int n)
{
	int status, i, denied = 0;
	pid_t pid, c;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (cg_enter_current(cg))
			_exit(255);
		for (i = 0; i < n; i++) {
			c = fork();
			if (!c)
				_exit(0);
			if (c < 0 && errno == EAGAIN)
				denied++;
			else if (c > 0)
				waitpid(c, NULL, 0);
		}
		_exit(denied);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

/*
 * Forks that fail with EAGAIN out of @n, made with clone3() into @cg at
 * once after creating it, from a task outside it; -1 if @cg cannot be made.
 */
static int denied_into_new(const char *cg, int n)
{
	struct clone_args ca = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
	};
	int i, fd, denied = 0;
	char path[256];
	pid_t c;

	if (cg_create(cg))
		return -1;
	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ca.cgroup = fd;
	for (i = 0; i < n; i++) {
		c = syscall(SYS_clone3, &ca, sizeof(ca));
		if (!c)
			_exit(0);
		if (c < 0 && errno == EAGAIN)
			denied++;
		else if (c > 0)
			waitpid(c, NULL, 0);
	}
	close(fd);
	return denied;
}

/*
 * From a new task: create @cg, move into it and fork @n times at once.
 * Return: the forks that failed with EAGAIN, or -1.
 */
static int denied_in_new(const char *cg, int n)
{
	int status, i, denied = 0;
	pid_t pid, c;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (cg_create(cg) || cg_enter_current(cg))
			_exit(255);
		for (i = 0; i < n; i++) {
			c = fork();
			if (!c)
				_exit(0);
			if (c < 0 && errno == EAGAIN)
				denied++;
			else if (c > 0)
				waitpid(c, NULL, 0);
		}
		_exit(denied);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

static long read_long(const char *path)
{
	char buf[64];

	if (read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static int write_long(const char *path, long v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%ld\n", v);
	return write_text(path, buf);
}

#define SYS_AUDIT	"/proc/sys/kernel/forkgov/audit"
#define SYS_LINEAGE	"/proc/sys/kernel/forkgov/lineage"

FIXTURE(pending) {
	long max_policies;
	long lineage;
};

FIXTURE_SETUP(pending)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (!cg_available())
		SKIP(return, "cgroup v2 is not mounted");
	if (!fg_loaded())
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	cg_destroy(TOP);
	ASSERT_EQ(0, cg_create(TOP));
	self->max_policies = read_long(SYS_MAXPOL);
	self->lineage = read_long(SYS_LINEAGE);
}

FIXTURE_TEARDOWN(pending)
{
	if (!fg_loaded())
		return;
	fg_policy_write("flush\n");
	cg_destroy(TOP);
	if (self->max_policies > 0)
		write_long(SYS_MAXPOL, self->max_policies);
	if (self->lineage >= 0)
		write_long(SYS_LINEAGE, self->lineage);
}

TEST_F(pending, missing_cgroup_needs_the_word)
{
	ASSERT_EQ(-ENOENT, fg_policy_write("set " TOP "/a rate=1/s\n"));
	ASSERT_FALSE(has_policy(TOP "/a"));
}

TEST_F_TIMEOUT(pending, activates_on_mkdir, 120)
{
	static const char line[] =
		"set " TOP "/a rate=1/min burst=2 deny_delay=0 pending owner=k8s\n";
	char v[32];

	ASSERT_EQ(0, fg_policy_write(line));
	ASSERT_TRUE(state_is(TOP "/a", "pending"));
	ASSERT_EQ(0, policy_field(TOP "/a", "owner", v, sizeof(v)));
	EXPECT_STREQ("k8s", v);
	ASSERT_EQ(0, policy_field(TOP "/a", "persist", v, sizeof(v)));
	EXPECT_STREQ("no", v);

	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_TRUE(wait_state(TOP "/a", "active"));
	ASSERT_EQ(0, policy_field(TOP "/a", "owner", v, sizeof(v)));
	EXPECT_STREQ("k8s", v);
	/* It governs: burst 2, then nothing for a minute. */
	EXPECT_EQ(3, denied_forks(TOP "/a", 5));
}

/* Set and activation are audited, with the owner and the state. */
TEST_F_TIMEOUT(pending, audit_activate, 120)
{
	const char *r;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	lseek(fd, 0, SEEK_END);
	ASSERT_EQ(0, write_text(SYS_AUDIT, "1"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=7/s pending persist owner=k8s\n"));
	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_TRUE(wait_state(TOP "/a", "active"));
	ASSERT_EQ(0, write_text(SYS_AUDIT, "0"));
	usleep(300 * 1000);
	r = fg_kmsg_next(fd, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_set ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "object=\"" TOP "/a\"")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, ",owner=k8s,state=pending,persist\"")) TH_LOG("%s", r);
	r = fg_kmsg_next(fd, "op=forkgov_policy_");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "op=forkgov_policy_activate ")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "object=\"" TOP "/a\"")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "new=\"rate=7/s,")) TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, ",owner=k8s,state=active,persist\"")) TH_LOG("%s", r);
	close(fd);
}

TEST_F(pending, existing_cgroup_is_active_at_once)
{
	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s pending\n"));
	ASSERT_TRUE(state_is(TOP "/a", "active"));
}

TEST_F_TIMEOUT(pending, rmdir_without_persist_drops, 120)
{
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s pending\n"));
	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_TRUE(wait_state(TOP "/a", "active"));
	ASSERT_EQ(0, cg_destroy(TOP "/a"));
	ASSERT_TRUE(wait_state(TOP "/a", ""));
	ASSERT_EQ(0, cg_create(TOP "/a"));
	usleep(500 * 1000);
	ASSERT_FALSE(has_policy(TOP "/a"));
}

TEST_F_TIMEOUT(pending, persist_survives_rmdir, 120)
{
	static const char line[] =
		"set " TOP "/a rate=1/min burst=1 deny_delay=0 pending persist owner=config\n";
	char v[32];
	int i;

	ASSERT_EQ(0, fg_policy_write(line));
	ASSERT_EQ(0, policy_field(TOP "/a", "persist", v, sizeof(v)));
	EXPECT_STREQ("yes", v);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, cg_create(TOP "/a"));
		ASSERT_TRUE(wait_state(TOP "/a", "active"));
		/* A fresh bucket for every incarnation of the cgroup. */
		EXPECT_EQ(2, denied_forks(TOP "/a", 3));
		ASSERT_EQ(0, cg_destroy(TOP "/a"));
		ASSERT_TRUE(wait_state(TOP "/a", "pending"));
	}
	ASSERT_EQ(0, policy_field(TOP "/a", "owner", v, sizeof(v)));
	EXPECT_STREQ("config", v);
}

/*
 * The first forks in a new cgroup are charged to the policy pending for it,
 * even those made before the work item that activates it could run: from
 * inside the cgroup at once after mkdir, and into it with clone3() at once
 * after mkdir (CLONE_INTO_CGROUP).  Burst 2 and no refill: 2 of 5 pass, each
 * time.  A fork that came before the activation waited for it: how many did
 * depends on the scheduler, so it is only logged.
 */
TEST_F_TIMEOUT(pending, first_forks_are_charged, 300)
{
	static const char line[] =
		"set " TOP "/a rate=1/h burst=2 deny_delay=0 pending persist\n";
	long long waits = fg_stat("pending_waits");
	int i, n;

	ASSERT_LE(0, waits);
	ASSERT_EQ(0, fg_policy_write(line));
	for (i = 0; i < 20; i++) {
		n = i % 2 ? denied_into_new(TOP "/a", 5) :
			    denied_in_new(TOP "/a", 5);
		EXPECT_EQ(3, n) TH_LOG("round %d (%s)", i, i % 2 ? "clone3" : "fork");
		ASSERT_TRUE(wait_state(TOP "/a", "active"));
		ASSERT_EQ(0, cg_destroy(TOP "/a"));
		ASSERT_TRUE(wait_state(TOP "/a", "pending"));
	}
	TH_LOG("%lld of the first forks waited for the activation",
	       fg_stat("pending_waits") - waits);
}

/*
 * A pending policy with a rate puts the hook on the fork path, as an active
 * one does, so that its cgroup's first forks can wait for it; a rate=none
 * one does not.  The lineage defence, which needs the hook too, is off.
 */
TEST_F_TIMEOUT(pending, pending_rate_installs_hook, 120)
{
	ASSERT_LE(0, self->lineage);
	ASSERT_EQ(0, write_long(SYS_LINEAGE, 0));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=none mt_warn=on pending\n"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=1/h burst=1 deny_delay=0 pending\n"));
	EXPECT_EQ(1, fg_stat("hook_installed"));
	EXPECT_EQ(1, denied_in_new(TOP "/a", 2));
	ASSERT_TRUE(wait_state(TOP "/a", "active"));
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	EXPECT_EQ(0, fg_stat("hook_installed"));
}

TEST_F(pending, persist_on_existing_cgroup)
{
	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s persist\n"));
	ASSERT_TRUE(state_is(TOP "/a", "active"));
	ASSERT_EQ(0, cg_destroy(TOP "/a"));
	ASSERT_TRUE(wait_state(TOP "/a", "pending"));
}

TEST_F(pending, del_and_flush_pending)
{
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s pending\n"
				     "set " TOP "/b rate=10/s pending\n"));
	ASSERT_EQ(0, fg_policy_write("del " TOP "/a\n"));
	ASSERT_FALSE(has_policy(TOP "/a"));
	ASSERT_TRUE(state_is(TOP "/b", "pending"));
	ASSERT_EQ(-ENOENT, fg_policy_write("del " TOP "/a\n"));
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	ASSERT_FALSE(has_policy(TOP "/b"));
}

TEST_F(pending, replace_pending)
{
	char v[32];

	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s pending\n"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=20/s pending owner=oci\n"));
	ASSERT_EQ(0, policy_field(TOP "/a", "rate", v, sizeof(v)));
	EXPECT_STREQ("20/s", v);
	ASSERT_EQ(0, policy_field(TOP "/a", "owner", v, sizeof(v)));
	EXPECT_STREQ("oci", v);
}

TEST_F(pending, bad_input_changes_nothing)
{
	static const char * const bad[] = {
		"set " TOP "/a rate=1/s pending pending\n",
		"set " TOP "/a rate=1/s persist persist\n",
		"set " TOP "/a rate=1/s owner=\n",
		"set " TOP "/a rate=1/s owner=a/b\n",
		"set " TOP "/a rate=1/s owner=sixteen-chars-xx\n",
		"set " TOP "/a rate=1/s owner=a owner=b pending\n",
		"set " TOP "/a rate=1/s pendin\n",
		"del " TOP "/a pending\n",
		/* all or nothing: a good pending line before a bad one */
		"set " TOP "/b rate=1/s pending\nset " TOP "/c rate=x pending\n",
		/* the same missing cgroup twice */
		"set " TOP "/b rate=1/s pending\nset " TOP "/b rate=2/s pending\n",
	};
	static char before[sizeof(table)];
	unsigned int i;

	ASSERT_EQ(0, fg_policy_write("set " TOP "/x rate=5/s pending\n"));
	ASSERT_EQ(0, read_table());
	memcpy(before, table, sizeof(table));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fg_policy_write(bad[i])) {
			TH_LOG("line %u: %s", i, bad[i]);
		}
		ASSERT_EQ(0, read_table());
		EXPECT_STREQ(before, table);
	}
	/* A long label of 15 is fine. */
	ASSERT_EQ(0, fg_policy_write("set " TOP "/x rate=5/s pending owner=fifteen-chars-x\n"));
}

TEST_F(pending, default_owner_is_cli)
{
	char v[32];

	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s\n"));
	ASSERT_EQ(0, policy_field(TOP "/a", "owner", v, sizeof(v)));
	EXPECT_STREQ("cli", v);
	ASSERT_EQ(0, policy_field(TOP "/a", "state", v, sizeof(v)));
	EXPECT_STREQ("active", v);
}

TEST_F(pending, bounded_like_policies)
{
	ASSERT_LT(0, self->max_policies);
	ASSERT_EQ(0, write_long(SYS_MAXPOL, 2));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=1/s pending\n"
				     "set " TOP "/b rate=1/s pending\n"));
	ASSERT_EQ(-ENOSPC, fg_policy_write("set " TOP "/c rate=1/s pending\n"));
	ASSERT_FALSE(has_policy(TOP "/c"));
	/* Replacing one does not grow the table. */
	ASSERT_EQ(0, fg_policy_write("set " TOP "/b rate=2/s pending\n"));
}

/* More new cgroups at once than the notification ring holds. */
TEST_F_TIMEOUT(pending, burst_of_mkdirs, 300)
{
	static char lines[BURST_DIRS * 64];
	long long overflows;
	char cg[64];
	size_t len = 0;
	int i;

	for (i = 0; i < BURST_DIRS; i++)
		len += snprintf(lines + len, sizeof(lines) - len,
				"set " TOP "/d%d rate=10/s pending\n", i);
	ASSERT_EQ(0, fg_policy_write(lines));
	EXPECT_EQ(BURST_DIRS, fg_stat("pending_policies"));
	overflows = fg_stat("pending_overflows");
	ASSERT_LE(0, overflows);
	for (i = 0; i < BURST_DIRS; i++) {
		snprintf(cg, sizeof(cg), TOP "/d%d", i);
		ASSERT_EQ(0, cg_create(cg));
	}
	for (i = 0; i < BURST_DIRS; i++) {
		snprintf(cg, sizeof(cg), TOP "/d%d", i);
		ASSERT_TRUE(wait_state(cg, "active")) {
			TH_LOG("%s did not turn active", cg);
		}
	}
	EXPECT_EQ(0, fg_stat("pending_policies"));
	/* More than the queue holds may or may not come at once: no bound. */
	TH_LOG("%lld of %d mkdirs found the queue full",
	       fg_stat("pending_overflows") - overflows, BURST_DIRS);
}

TEST_F_TIMEOUT(pending, unload_with_pending, 120)
{
	const char *ko = getenv("FORKGOV_KO");

	if (!ko)
		SKIP(return, "FORKGOV_KO is not set");
	ASSERT_EQ(0, cg_create(TOP "/a"));
	ASSERT_EQ(0, fg_policy_write("set " TOP "/a rate=10/s persist\n"
				     "set " TOP "/b rate=1/s pending persist\n"
				     "set " TOP "/c rate=1/s pending\n"));
	ASSERT_EQ(0, fg_unload());
	ASSERT_FALSE(fg_loaded());
	/* A mkdir with no module must not matter. */
	ASSERT_EQ(0, cg_create(TOP "/b"));
	ASSERT_EQ(0, fg_load(ko, ""));
	ASSERT_TRUE(fg_loaded());
	ASSERT_FALSE(has_policy(TOP "/b"));
}

TEST_HARNESS_MAIN
