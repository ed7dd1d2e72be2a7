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
 * module unloads with pending policies in its table.  Needs root.
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

FIXTURE(pending) {
	long max_policies;
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
}

FIXTURE_TEARDOWN(pending)
{
	if (!fg_loaded())
		return;
	fg_policy_write("flush\n");
	cg_destroy(TOP);
	if (self->max_policies > 0)
		write_long(SYS_MAXPOL, self->max_policies);
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
