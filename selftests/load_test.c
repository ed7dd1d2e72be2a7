// SPDX-License-Identifier: GPL-2.0
/*
 * forkgov can be loaded and unloaded cleanly: the module is present when the
 * suite starts, delete_module() removes it, finit_module() of $FORKGOV_KO
 * brings it back, several times in a row, and the kernel logs nothing at
 * warning level or worse meanwhile.  Needs root; skips without the module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"

#define MODNAME		"forkgov"
#define RELOADS		3

/* Open /dev/kmsg positioned after the records logged so far. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Count the records at warning level or worse logged since kmsg_open(),
 * printing them.  The taint notices of the first load of an unsigned,
 * out-of-tree module are expected and not counted.
 */
static int kmsg_bad(int fd)
{
	char rec[8192];
	int bad = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: keep reading */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if ((atoi(rec) & 7) > 4)	/* "prio,seq,ts,flags;msg" */
			continue;
		if (strstr(rec, "taints kernel") ||
		    strstr(rec, "module verification failed"))
			continue;
		printf("# kmsg: %s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
		bad++;
	}
	return bad;
}

FIXTURE(module) {
	const char *ko;
	int kmsg;
};

FIXTURE_SETUP(module)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (!fg_loaded())
		SKIP(return, "forkgov is not loaded");
	self->ko = getenv("FORKGOV_KO");
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(module)
{
	/* Leave the module loaded for the tests that follow. */
	if (self->ko && !fg_loaded())
		fg_load(self->ko, "");
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(module, loaded)
{
	ASSERT_EQ(0, access("/sys/module/" MODNAME "/initstate", R_OK));
	ASSERT_EQ(0, access("/proc/forkgov", F_OK));
}

TEST_F_TIMEOUT(module, unload_reload, 120)
{
	int i;

	if (!self->ko)
		SKIP(return, "FORKGOV_KO is not set");
	for (i = 0; i < RELOADS; i++) {
		ASSERT_EQ(0, fg_unload());
		ASSERT_FALSE(fg_loaded());
		ASSERT_NE(0, access("/proc/forkgov", F_OK));
		ASSERT_EQ(0, fg_load(self->ko, ""));
		ASSERT_TRUE(fg_loaded());
		ASSERT_EQ(0, access("/proc/forkgov", F_OK));
	}
	EXPECT_EQ(0, kmsg_bad(self->kmsg));
}

TEST_F(module, load_twice)
{
	if (!self->ko)
		SKIP(return, "FORKGOV_KO is not set");
	ASSERT_EQ(-EEXIST, fg_load(self->ko, ""));
	ASSERT_TRUE(fg_loaded());
}

TEST_HARNESS_MAIN
