// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the read side of /proc/forkgov/policies: what readers may
 * see, what reading costs the writers and the machine, and that names a
 * process chose never reach a reader or the kernel log as raw control bytes.
 * Run as root in a guest with forkgov loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define NOBODY		65534

/* The whole of @path, read @chunk bytes at a time; NUL-terminated. */
static char *read_chunked(const char *path, size_t chunk, size_t *lenp)
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
	for (;;) {
		while (len + chunk + 1 > size)
			buf = realloc(buf, size *= 2);
		n = read(fd, buf + len, chunk);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static char *read_all(const char *path)
{
	return read_chunked(path, 1 << 20, NULL);
}

/* The table line of @kind for @path (a malloc'ed copy), or NULL. */
static char *table_line(const char *table, const char *kind, const char *path)
{
	char head[512];
	const char *p = table, *end;

	snprintf(head, sizeof(head), "%s %s ", kind, path);
	while (p && *p) {
		end = strchrnul(p, '\n');
		if (!strncmp(p, head, strlen(head)))
			return strndup(p, end - p);
		p = *end ? end + 1 : NULL;
	}
	return NULL;
}

/* Fork until a fork fails; returns its errno (0: @max forks all worked). */
static int fork_until_refused(int max)
{
	pid_t pid;
	int i;

	for (i = 0; i < max; i++) {
		pid = fork();
		if (pid < 0)
			return errno;
		if (!pid)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return 0;
}

/* A process in @cg named @comm that forks until refused; returns its pid. */
static pid_t offender(const char *cg, const char *comm, int *err)
{
	int *shared = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = fork();

	if (!pid) {
		if (cg_enter_current(cg))
			_exit(99);
		prctl(PR_SET_NAME, comm);
		*shared = fork_until_refused(100);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	*err = *shared;
	munmap(shared, sizeof(int));
	return pid;
}

static long meminfo_kb(const char *key)
{
	char *s = read_all("/proc/meminfo"), *p;
	long v = -1;

	if (!s)
		return -1;
	p = strstr(s, key);
	if (p)
		v = strtol(p + strlen(key), NULL, 10);
	free(s);
	return v;
}

static long slab_vmalloc_kb(void)
{
	return meminfo_kb("\nSlab:") + meminfo_kb("\nVmallocUsed:");
}

FIXTURE(iface) {
	char cg[64];
};

FIXTURE_SETUP(iface)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(FG_POLICIES, W_OK))
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_polf("flush\n"));
	snprintf(self->cg, sizeof(self->cg), "/fgiface.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
}

FIXTURE_TEARDOWN(iface)
{
	fg_polf("flush\n");
	cg_destroy(self->cg);
}

/*
 * @n policies on children of @cg/many, and a per-child policy on @cg/pc
 * with @nchild child buckets; returns 0 or -1.
 */
static int big_table(const char *cg, int n, int nchild)
{
	size_t size = (size_t)n * 96 + 256, len = 0;
	char *buf = malloc(size), path[256];
	int i, err = 0;

	snprintf(path, sizeof(path), "%s/many", cg);
	err |= cg_create(path);
	for (i = 0; i < n && !err; i++) {
		snprintf(path, sizeof(path), "%s/many/c%d", cg, i);
		err |= cg_create(path);
		len += snprintf(buf + len, size - len, "set %s rate=%d burst=%d\n",
				path, i % 100 + 1, i % 7 + 1);
	}
	if (nchild) {
		snprintf(path, sizeof(path), "%s/pc", cg);
		err |= cg_create(path);
		len += snprintf(buf + len, size - len,
				"set %s rate=1000/s burst=1000 scope=per-child\n",
				path);
	}
	if (!err)
		err = write_text(FG_POLICIES, buf);
	free(buf);
	if (err || !nchild || fork() > 0) {
		wait(NULL);
		return err ? -1 : 0;
	}
	/* One fork from each child cgroup creates its bucket. */
	for (i = 0; i < nchild; i++) {
		snprintf(path, sizeof(path), "%s/pc/k%d", cg, i);
		if (cg_create(path) || cg_enter_current(path) ||
		    fork_until_refused(1))
			_exit(1);
	}
	_exit(0);
}

static int count_lines(const char *s, const char *prefix)
{
	int n = 0;

	for (; s && *s; s = strchr(s, '\n') + 1) {
		n += !strncmp(s, prefix, strlen(prefix));
		if (!strchr(s, '\n'))
			break;
	}
	return n;
}

/*
 * The table is a seq_file: reading it in 100-byte pieces must give the same
 * text as one large read, with no line lost or repeated.
 */
TEST_F_TIMEOUT(iface, small_reads_equal_one_read, 1800)
{
	const int n = 10000;
	size_t len1, len2;
	char *one, *small;

	ASSERT_EQ(0, big_table(self->cg, n, 50));
	one = read_chunked(FG_POLICIES, 1 << 22, &len1);
	small = read_chunked(FG_POLICIES, 100, &len2);
	ASSERT_NE(NULL, one);
	ASSERT_NE(NULL, small);
	EXPECT_EQ(n + 1, count_lines(one, "policy "));
	EXPECT_EQ(50, count_lines(one, "child "));
	EXPECT_EQ(len1, len2);
	EXPECT_EQ(0, strcmp(one, small));
	free(small);
	/* And in pieces of one byte, where every line spans many reads. */
	small = read_chunked(FG_POLICIES, 1, &len2);
	EXPECT_EQ(0, strcmp(one, small));
	free(one);
	free(small);
}

/*
 * Eight unprivileged users read the table in a loop while root changes a
 * policy: no change may wait for them, and their reads may not cost the
 * machine memory in proportion to the table.
 */
TEST_F_TIMEOUT(iface, readers_do_not_stall_writers, 1200)
{
	const int n = 2000, nchild = 200, nreaders = 8, nsets = 20;
	long base, peak = 0, kb;
	double t, worst = 0, bound = 2.0 * fg_timeout_scale();
	volatile int *stop, *go;
	pid_t readers[8];
	char path[256];
	int i;

	ASSERT_EQ(0, big_table(self->cg, n, nchild));
	stop = mmap(NULL, 2 * sizeof(int), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	go = stop + 1;
	*stop = 0;
	*go = 0;
	for (i = 0; i < nreaders; i++) {
		readers[i] = fork();
		if (!readers[i]) {
			if (setgid(NOBODY) || setuid(NOBODY))
				_exit(99);
			while (!*go)
				usleep(10000);
			while (!*stop)
				free(read_all(FG_POLICIES));
			_exit(0);
		}
	}
	usleep(200000);
	base = slab_vmalloc_kb();
	*go = 1;
	usleep(500000);
	snprintf(path, sizeof(path), "%s/many/c%d", self->cg, n / 2);
	for (i = 0; i < nsets; i++) {
		t = fg_now();
		ASSERT_EQ(0, fg_polf("set %s rate=%d burst=3\n", path, 10 + i));
		t = fg_now() - t;
		if (t > worst)
			worst = t;
		kb = slab_vmalloc_kb() - base;
		if (kb > peak)
			peak = kb;
		usleep(100000);
	}
	*stop = 1;
	for (i = 0; i < nreaders; i++) {
		int status;

		waitpid(readers[i], &status, 0);
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	TH_LOG("slowest set %.3f s, slab+vmalloc grew by at most %ld KiB",
	       worst, peak);
	EXPECT_LT(worst, bound);
	/* The table is ~600 KiB: eight copies of it would be ~5 MiB. */
	EXPECT_LT(peak, 2048);
}

/* What a reader in a container got; filled by ns_reader(). */
struct ns_view {
	pid_t pid;		/* the reader, as the test's namespace sees it */
	int forks_refused;	/* errno of its refused fork */
	char text[1 << 16];
};

/*
 * The container: cgroup namespace rooted at @root, its own user and pid
 * namespaces, and a process in @inner that is refused a fork (so that it is
 * the last offender there) and then reads the table.
 */
static void ns_reader(const char *root, const char *inner,
		      struct ns_view *view)
{
	char *text;
	pid_t pid;

	if (cg_enter_current(root) || unshare(CLONE_NEWCGROUP) ||
	    cg_enter_current(inner) ||
	    unshare(CLONE_NEWUSER | CLONE_NEWPID))
		_exit(98);
	pid = fork();
	if (pid) {
		/* This process is still in the test's pid namespace. */
		view->pid = pid;
		waitpid(pid, NULL, 0);
		_exit(0);
	}
	/* pid 1 of the new namespace */
	prctl(PR_SET_NAME, "fgct");
	view->forks_refused = fork_until_refused(100);
	text = read_all(FG_POLICIES);
	if (text)
		snprintf(view->text, sizeof(view->text), "%s", text);
	_exit(0);
}

static struct ns_view *run_ns_reader(const char *root, const char *inner)
{
	struct ns_view *view = mmap(NULL, sizeof(*view),
				    PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	memset(view, 0, sizeof(*view));
	pid = fork();
	if (!pid)
		ns_reader(root, inner, view);
	waitpid(pid, NULL, 0);
	return view;
}

/*
 * A reader in a container (user, cgroup and pid namespaces) sees only the
 * policies at or below its cgroup namespace root, with paths relative to
 * it, and no pid or name of a task outside its pid namespace.
 */
TEST_F(iface, container_sees_only_its_subtree)
{
	char ct[128], inner[128], other[128], outer[128], want[256];
	struct ns_view *view;
	char *line;
	int err;

	snprintf(ct, sizeof(ct), "%s/ct", self->cg);
	snprintf(inner, sizeof(inner), "%s/ct/inner", self->cg);
	snprintf(other, sizeof(other), "%s/ct/other", self->cg);
	snprintf(outer, sizeof(outer), "%s/outer", self->cg);
	ASSERT_EQ(0, cg_create(ct));
	ASSERT_EQ(0, cg_create(inner));
	ASSERT_EQ(0, cg_create(other));
	ASSERT_EQ(0, cg_create(outer));
	ASSERT_EQ(0, fg_polf("set %s rate=1000/s burst=1000\n"
			     "set %s rate=1/min burst=1\n"
			     "set %s rate=1/min burst=1\n"
			     "set %s rate=1/min burst=1\n", ct, inner, other, outer));
	/* Offenders outside the container's pid namespace. */
	offender(other, "fghost", &err);
	ASSERT_EQ(EAGAIN, err);
	offender(outer, "fgouter", &err);
	ASSERT_EQ(EAGAIN, err);

	view = run_ns_reader(ct, inner);
	ASSERT_EQ(EAGAIN, view->forks_refused);
	TH_LOG("container's view:\n%s", view->text);
	EXPECT_EQ(3, count_lines(view->text, "policy "));
	EXPECT_EQ(NULL, strstr(view->text, "fgiface"));
	EXPECT_EQ(NULL, strstr(view->text, "outer"));
	EXPECT_EQ(NULL, strstr(view->text, "fghost"));
	line = table_line(view->text, "policy", "/");
	EXPECT_NE(NULL, line);
	free(line);
	/* Its own task, as its pid namespace numbers it. */
	line = table_line(view->text, "policy", "/inner");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " last_pid=1 last_comm=fgct last_cgroup=/inner"));
	free(line);
	/* A task it cannot see: no pid, no name. */
	line = table_line(view->text, "policy", "/other");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " last_pid=- last_comm=- last_cgroup=/other"));
	free(line);

	/* Root outside sees it all, with global pids and absolute paths. */
	line = table_line(read_all(FG_POLICIES), "policy", inner);
	ASSERT_NE(NULL, line);
	snprintf(want, sizeof(want), " last_pid=%d last_comm=fgct last_cgroup=%s",
		 view->pid, inner);
	EXPECT_NE(NULL, strstr(line, want));
	free(line);
	munmap(view, sizeof(*view));
}

/*
 * Root in a cgroup namespace of its own still has the full view: every path,
 * last_cgroup included, from the root of the hierarchy, as writes name
 * them.
 */
TEST_F(iface, last_cgroup_inside_cgroup_namespace)
{
	char a[128], b[128], want[256], *text, *line;
	int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int err;
	pid_t pid, who;

	snprintf(a, sizeof(a), "%s/a", self->cg);
	snprintf(b, sizeof(b), "%s/b", self->cg);
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, fg_polf("set %s rate=1/min burst=1\n", a));
	who = offender(a, "fgoff", &err);
	ASSERT_EQ(EAGAIN, err);

	pid = fork();
	if (!pid) {
		if (cg_enter_current(b) || unshare(CLONE_NEWCGROUP))
			_exit(98);
		text = read_all(FG_POLICIES);
		snprintf((char *)shared, 8192, "%s", text ?: "");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	text = (char *)shared;
	TH_LOG("table:\n%s", text);
	line = table_line(text, "policy", a);
	ASSERT_NE(NULL, line);
	snprintf(want, sizeof(want), " last_pid=%d last_comm=fgoff last_cgroup=%s",
		 who, a);
	EXPECT_NE(NULL, strstr(line, want));
	free(line);
	munmap(shared, 8192);
}

/*
 * A process named with ESC, BEL, DEL and a byte above 0x7f, in a cgroup
 * whose name holds ESC and a space, is refused a fork: the table and the
 * kernel log show those bytes as octal escapes, never raw.
 */
TEST_F(iface, control_bytes_are_escaped)
{
	static const char comm[] = "\033]0;x\007\177\377";
	char cg[128], esc_cg[160], want[256], needle[64];
	char *table, *line = NULL, *log = NULL;
	size_t len = 0;
	double end;
	pid_t who;
	int err;

	snprintf(cg, sizeof(cg), "%s/e\033[31m x", self->cg);
	snprintf(esc_cg, sizeof(esc_cg), "%s/e\\033[31m\\040x", self->cg);
	ASSERT_EQ(0, cg_create(cg));
	ASSERT_EQ(0, fg_polf("set %s/e\\033[31m\\040x rate=1/min burst=1\n",
			     self->cg));
	who = offender(cg, comm, &err);
	ASSERT_EQ(EAGAIN, err);

	table = read_chunked(FG_POLICIES, 1 << 20, &len);
	ASSERT_NE(NULL, table);
	EXPECT_TRUE(fg_clean_text(table, len));
	line = table_line(table, "policy", esc_cg);
	ASSERT_NE(NULL, line);
	snprintf(want, sizeof(want),
		 " last_pid=%d last_comm=\\033]0;x\\007\\177\\377 last_cgroup=%s",
		 who, esc_cg);
	EXPECT_NE(NULL, strstr(line, want));
	free(line);
	free(table);

	/* The report is written by a work item: wait for it. */
	snprintf(needle, sizeof(needle), "[%d] in ", who);
	for (end = fg_now() + 10 * fg_timeout_scale(); fg_now() < end;) {
		free(log);
		log = fg_kernel_log(&len);
		ASSERT_NE(NULL, log);
		line = fg_log_line(log, needle);
		if (line)
			break;
		usleep(100000);
	}
	ASSERT_NE(NULL, line);
	TH_LOG("log: %s", line);
	EXPECT_TRUE(fg_clean_text(line, strlen(line)));
	EXPECT_NE(NULL, strstr(line, "\\033]0;x\\007\\177\\377["));
	EXPECT_NE(NULL, strstr(line, "/e\\033[31m x"));
	free(line);
	free(log);
}

TEST_HARNESS_MAIN
