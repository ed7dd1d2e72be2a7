// SPDX-License-Identifier: GPL-2.0
/*
 * Which policies govern a fork, by the shape of the hierarchy: policies on
 * several levels of one chain, on siblings, on 10,000 siblings, beyond the
 * 63 levels that the hook's level index tells apart, and what removing a
 * policy or its cgroup leaves.  Each policy is a bucket that never refills
 * (rate=0), so that the number of forks it allows is exact.  Run as root in
 * a guest with forkgov loaded; every fork comes from a worker process that
 * joins the cgroup under test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define SYSCTL		"/proc/sys/kernel/forkgov/"
#define MANY		10000
/* Beyond the level index's 63 levels of their own (module/policy.h). */
#define DEEP		66

struct tally {
	int ok;
	int eagain;
	int other;
};

/* N forks from a worker in CG, each child exiting at once. */
static struct tally forks_in(const char *cg, int n)
{
	struct tally *shared, t;
	pid_t pid, child;
	int i;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(shared, 0, sizeof(*shared));
	pid = fork();
	if (!pid) {
		if (cg_enter(cg, getpid()))
			_exit(99);
		for (i = 0; i < n; i++) {
			child = fork();
			if (!child)
				_exit(0);
			if (child > 0) {
				shared->ok++;
				waitpid(child, NULL, 0);
			} else if (errno == EAGAIN) {
				shared->eagain++;
			} else {
				shared->other++;
			}
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	t = *shared;
	munmap(shared, sizeof(*shared));
	return t;
}

/* Create each cgroup of the chain "CG/a/b/...", one level at a time. */
static int create_chain(char *path, size_t size, const char *cg, int levels,
			const char *name)
{
	size_t len;
	int i, err;

	snprintf(path, size, "%s", cg);
	for (i = 0; i < levels; i++) {
		len = strlen(path);
		snprintf(path + len, size - len, "/%s%d", name, i);
		err = cg_create(path);
		if (err && err != -EEXIST)
			return err;
	}
	return 0;
}

/* Wait up to 5 s for the sweep of removed cgroups to reach @policies. */
static long long wait_policies(long long policies)
{
	int i;

	for (i = 0; i < 50 && fg_stat("policies") != policies; i++)
		usleep(100000);
	return fg_stat("policies");
}

FIXTURE(lv) {
	char cg[64];
};

FIXTURE_SETUP(lv)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(FG_POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_polf("flush\n"));
	/* The lineage defence would charge forks of its own (lineage_test). */
	ASSERT_EQ(0, write_text(SYSCTL "lineage", "0"));
	snprintf(self->cg, sizeof(self->cg), "/fglevels.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
}

FIXTURE_TEARDOWN(lv)
{
	fg_polf("flush\n");
	write_text(SYSCTL "lineage", "2");
	cg_destroy(self->cg);
}

/*
 * Policies on levels 1, 3 and 5 of one chain (the test's cgroup is level
 * 1): a fork at level 5 is charged to all three and a denial by the middle
 * one refunds the others; a fork at level 2 only to the top one.
 */
TEST_F(lv, policies_on_several_levels)
{
	char l3[256], l5[256], l2[256];
	struct tally t;

	ASSERT_EQ(0, create_chain(l5, sizeof(l5), self->cg, 4, "l"));
	snprintf(l2, sizeof(l2), "%s/l0", self->cg);
	snprintf(l3, sizeof(l3), "%s/l0/l1", self->cg);
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=10\nset %s rate=0 burst=4\n"
			 "set %s rate=0 burst=6\n", self->cg, l3, l5));
	t = forks_in(l5, 8);
	EXPECT_EQ(4, t.ok);
	EXPECT_EQ(4, t.eagain);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(4, fg_policy_field("policy", l5, "allowed"));
	EXPECT_EQ(2, fg_policy_field("policy", l5, "tokens"));
	EXPECT_EQ(4, fg_policy_field("policy", l3, "denied"));
	EXPECT_EQ(4, fg_policy_field("policy", self->cg, "allowed"));
	EXPECT_EQ(6, fg_policy_field("policy", self->cg, "tokens"));

	t = forks_in(l2, 8);
	EXPECT_EQ(6, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(0, fg_policy_field("policy", self->cg, "tokens"));
	EXPECT_EQ(0, fg_policy_field("policy", l3, "tokens"));
	EXPECT_EQ(2, fg_policy_field("policy", l5, "tokens"));
}

/*
 * A sibling's policy governs nothing here, whether it is alone on its level
 * or shares it; a policy above the siblings governs them all.
 */
TEST_F(lv, siblings)
{
	char s1[128], s2[128], s3[128];
	struct tally t;

	snprintf(s1, sizeof(s1), "%s/s1", self->cg);
	snprintf(s2, sizeof(s2), "%s/s2", self->cg);
	snprintf(s3, sizeof(s3), "%s/s3", self->cg);
	ASSERT_EQ(0, cg_create(s1));
	ASSERT_EQ(0, cg_create(s2));
	ASSERT_EQ(0, cg_create(s3));

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n", s1));
	t = forks_in(s2, 5);
	EXPECT_EQ(5, t.ok);
	EXPECT_EQ(0, t.eagain);
	t = forks_in(self->cg, 5);
	EXPECT_EQ(5, t.ok) TH_LOG("a child's policy governs its parent");

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2\n", s2));
	t = forks_in(s3, 5);
	EXPECT_EQ(5, t.ok);
	t = forks_in(s2, 5);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(3, t.eagain);
	t = forks_in(s1, 5);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(4, t.eagain);

	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=3\n", self->cg));
	t = forks_in(s3, 5);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(2, t.eagain);
}

/*
 * A level with several policies is ruled out per cgroup by the level
 * index's filter: every change of the table rewrites it, and a policy that
 * stays keeps governing while its neighbours come and go.
 */
TEST_F(lv, crowded_level_changes)
{
	char s[4][128];
	struct tally t;
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(s[i], sizeof(s[i]), "%s/s%d", self->cg, i);
		ASSERT_EQ(0, cg_create(s[i]));
	}
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\nset %s rate=0 burst=2\n"
			     "set %s rate=0 burst=3\n", s[0], s[1], s[2]));
	t = forks_in(s[3], 4);
	EXPECT_EQ(4, t.ok);
	t = forks_in(s[1], 4);
	EXPECT_EQ(2, t.ok);

	/* s0 goes, s3 comes: s1 and s2 govern as before. */
	ASSERT_EQ(0, fg_polf("del %s\nset %s rate=0 burst=1\n", s[0], s[3]));
	t = forks_in(s[0], 4);
	EXPECT_EQ(4, t.ok) TH_LOG("a removed policy still governs");
	t = forks_in(s[3], 4);
	EXPECT_EQ(1, t.ok) TH_LOG("a new policy on a crowded level governs nothing");
	EXPECT_EQ(3, t.eagain);
	t = forks_in(s[2], 4);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(1, t.eagain);
	t = forks_in(s[1], 4);
	EXPECT_EQ(0, t.ok) TH_LOG("a policy that stayed lost its bucket");
	EXPECT_EQ(4, t.eagain);

	/* Down to one policy on the level: its sole entry, not the filter. */
	ASSERT_EQ(0, fg_polf("del %s\ndel %s\n", s[1], s[2]));
	t = forks_in(s[2], 4);
	EXPECT_EQ(4, t.ok);
	t = forks_in(s[3], 4);
	EXPECT_EQ(0, t.ok);
}

/* 10,000 policies on siblings: each governs its own cgroup and no other. */
TEST_F_TIMEOUT(lv, ten_thousand_siblings, 1800)
{
	size_t size = MANY * 96, len = 0;
	char *buf = malloc(size);
	char path[256], other[256];
	struct tally t;
	int i;

	ASSERT_NE(NULL, buf);
	snprintf(path, sizeof(path), "%s/many", self->cg);
	ASSERT_EQ(0, cg_create(path));
	snprintf(other, sizeof(other), "%s/many/other", self->cg);
	ASSERT_EQ(0, cg_create(other));
	for (i = 0; i < MANY; i++) {
		snprintf(path, sizeof(path), "%s/many/c%d", self->cg, i);
		ASSERT_EQ(0, cg_create(path));
		len += snprintf(buf + len, size - len,
				"set %s rate=0 burst=%d\n", path, i % 3 + 1);
	}
	ASSERT_EQ(0, write_text(FG_POLICIES, buf));
	free(buf);
	EXPECT_EQ(MANY, fg_stat("policies"));

	t = forks_in(other, 6);
	EXPECT_EQ(6, t.ok);
	EXPECT_EQ(0, t.eagain);
	t = forks_in(self->cg, 6);
	EXPECT_EQ(6, t.ok);
	for (i = 0; i < MANY; i += 2499) {
		snprintf(path, sizeof(path), "%s/many/c%d", self->cg, i);
		t = forks_in(path, 6);
		EXPECT_EQ(i % 3 + 1, t.ok) TH_LOG("c%d", i);
		EXPECT_EQ(6 - (i % 3 + 1), t.eagain);
	}
	/* A cgroup below a governed sibling pays into its bucket. */
	snprintf(path, sizeof(path), "%s/many/c1/sub", self->cg);
	ASSERT_EQ(0, cg_create(path));
	t = forks_in(path, 4);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
}

/*
 * Levels from 63 down share one entry of the level index: policies at
 * levels 64 and 66 of a chain still govern exactly the forks below them.
 */
TEST_F(lv, beyond_63_levels)
{
	char deep[DEEP * 8], mid[DEEP * 8], *p;
	struct tally t;
	int i;

	/* The test's cgroup is level 1: DEEP - 1 more levels. */
	ASSERT_EQ(0, create_chain(deep, sizeof(deep), self->cg, DEEP - 1, "d"));
	/* Level 64: cut the chain's last two components. */
	snprintf(mid, sizeof(mid), "%s", deep);
	for (i = 0; i < 2; i++) {
		p = strrchr(mid, '/');
		ASSERT_NE(NULL, p);
		*p = '\0';
	}
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=5\nset %s rate=0 burst=2\n",
			     mid, deep));
	t = forks_in(deep, 4);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
	EXPECT_EQ(3, fg_policy_field("policy", mid, "tokens"));
	t = forks_in(mid, 4);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(1, t.eagain);
	/* Above them, nothing. */
	p = strrchr(mid, '/');
	ASSERT_NE(NULL, p);
	*p = '\0';
	t = forks_in(mid, 4);
	EXPECT_EQ(4, t.ok);

	/* A policy at level 2 as well. */
	snprintf(mid, sizeof(mid), "%s/d0", self->cg);
	ASSERT_EQ(0, fg_polf("flush\nset %s rate=0 burst=1\n", mid));
	t = forks_in(deep, 3);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);
}

/* Removing policies, one level at a time, leaves the others as they were. */
TEST_F(lv, removal)
{
	char l3[256], l2[256];
	struct tally t;

	ASSERT_EQ(0, create_chain(l3, sizeof(l3), self->cg, 2, "r"));
	snprintf(l2, sizeof(l2), "%s/r0", self->cg);
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=9\nset %s rate=0 burst=1\n",
			     self->cg, l3));
	t = forks_in(l3, 3);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);

	ASSERT_EQ(0, fg_polf("del %s\n", l3));
	t = forks_in(l3, 3);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(4, fg_policy_field("policy", self->cg, "allowed"));

	/* Replaced by a policy on level 2, then that one removed too. */
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2\n", l2));
	t = forks_in(l3, 3);
	EXPECT_EQ(2, t.ok);
	ASSERT_EQ(0, fg_polf("del %s\ndel %s\n", l2, self->cg));
	EXPECT_EQ(0, fg_stat("policies"));
	t = forks_in(l3, 3);
	EXPECT_EQ(3, t.ok);
	EXPECT_EQ(0, t.eagain);

	/* rate=none keeps a policy in the table that governs nothing. */
	ASSERT_EQ(0, fg_polf("set %s rate=none mt_warn=off\n", l3));
	t = forks_in(l3, 3);
	EXPECT_EQ(3, t.ok);
	/* And a rate given to it in place governs again. */
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\n", l3));
	t = forks_in(l3, 3);
	EXPECT_EQ(1, t.ok);
	EXPECT_EQ(2, t.eagain);
}

/*
 * Removing a governed cgroup drops its policy; a new cgroup of the same name
 * is not governed, and the policies on other levels are unchanged.
 */
TEST_F(lv, rmdir_of_governed_cgroups)
{
	char a[128], ab[128], x[128];
	struct tally t;

	snprintf(a, sizeof(a), "%s/a", self->cg);
	snprintf(ab, sizeof(ab), "%s/a/b", self->cg);
	snprintf(x, sizeof(x), "%s/x", self->cg);
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(ab));
	ASSERT_EQ(0, cg_create(x));
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=1\nset %s rate=0 burst=2\n",
			     ab, x));
	t = forks_in(ab, 3);
	EXPECT_EQ(1, t.ok);

	ASSERT_EQ(0, cg_destroy(ab));
	EXPECT_EQ(1, wait_policies(1));
	ASSERT_EQ(0, cg_create(ab));
	t = forks_in(ab, 3);
	EXPECT_EQ(3, t.ok) TH_LOG("a new cgroup inherited a removed policy");
	t = forks_in(x, 3);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(1, t.eagain);

	/* The last governed cgroup removed: the table is empty. */
	ASSERT_EQ(0, cg_destroy(x));
	EXPECT_EQ(0, wait_policies(0));
	ASSERT_EQ(0, cg_create(x));
	t = forks_in(x, 3);
	EXPECT_EQ(3, t.ok);
}

/* A per-child template governs forks from below each child, not its own. */
TEST_F(lv, per_child_below)
{
	char pc[128], deep[256];
	struct tally t;

	snprintf(pc, sizeof(pc), "%s/pc", self->cg);
	ASSERT_EQ(0, cg_create(pc));
	ASSERT_EQ(0, fg_polf("set %s rate=0 burst=2 scope=per-child\n", pc));
	ASSERT_EQ(0, create_chain(deep, sizeof(deep), pc, 3, "k"));
	t = forks_in(pc, 3);
	EXPECT_EQ(3, t.ok);
	t = forks_in(deep, 4);
	EXPECT_EQ(2, t.ok);
	EXPECT_EQ(2, t.eagain);
	snprintf(deep, sizeof(deep), "%s/k0", pc);
	EXPECT_EQ(2, fg_policy_field("child", deep, "allowed"));
	t = forks_in(deep, 2);
	EXPECT_EQ(0, t.ok);
}

TEST_HARNESS_MAIN
