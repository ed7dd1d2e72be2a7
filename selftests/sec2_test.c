// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for three fixes of issue 15 that had none failing on the
 * code before them:
 *
 *  - item 8: an audit record waiting for a stuck audit daemon never holds
 *    the policy table: other writers and forks that need a per-child bucket
 *    carry on;
 *  - item 5: cgroups made and removed in a loop while their tasks fork
 *    under a per-child policy leave no bucket behind;
 *  - item 2: the fork-without-exec report shows a task name with ESC, BEL,
 *    DEL and a byte above 0x7f escaped, never raw;
 *
 * and one claim of the documentation (item 11): switching audit off is
 * itself audited.
 *
 * Runs as root in a guest with forkgov loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define KNOBS		"/proc/sys/kernel/forkgov/"

/*
 * Wait for @pid up to @secs: its status, or -1, and then it is killed but
 * not reaped (a task asleep in D state dies only when it wakes up).
 */
static int reap_within(pid_t pid, double secs)
{
	double end = fg_now() + secs;
	int status;
	pid_t r;

	while ((r = waitpid(pid, &status, WNOHANG)) == 0 && fg_now() < end)
		usleep(20000);
	if (r == pid)
		return status;
	kill(pid, SIGKILL);
	return -1;
}

FIXTURE(sec2) {
	char cg[64];
};

FIXTURE_SETUP(sec2)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (!fg_loaded())
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	snprintf(self->cg, sizeof(self->cg), "/fgsec2.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
}

FIXTURE_TEARDOWN(sec2)
{
	fg_policy_write("flush\n");
	write_text(KNOBS "audit", "0");
	cg_destroy(self->cg);
}

/* ---- a stuck audit daemon ---------------------------------------------- */

struct audit_req {
	struct nlmsghdr nh;
	struct audit_status s;
};

static int audit_open(void)
{
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int audit_send(int fd, int type, const struct audit_status *s)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct audit_req req = {
		.nh.nlmsg_len = NLMSG_LENGTH(s ? sizeof(*s) : 0),
		.nh.nlmsg_type = type,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nh.nlmsg_seq = type,
	};

	if (s)
		req.s = *s;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&addr,
		   sizeof(addr)) < 0)
		return -errno;
	return 0;
}

/*
 * The reply of type @type to our request (AUDIT_GET: the status) or its
 * ack (NLMSG_ERROR): 0 or a negative errno.
 */
static int audit_reply(int fd, int type, struct audit_status *s)
{
	char buf[8192];
	struct nlmsghdr *nh;
	struct nlmsgerr *e;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == type && s && type == AUDIT_GET) {
				memcpy(s, NLMSG_DATA(nh), sizeof(*s));
				return 0;
			}
			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = NLMSG_DATA(nh);
			if (e->error || type != AUDIT_GET)
				return e->error;
		}
	}
}

static int audit_status_get(struct audit_status *s)
{
	int fd = audit_open(), ret;

	if (fd < 0)
		return -errno;
	memset(s, 0, sizeof(*s));
	ret = audit_send(fd, AUDIT_GET, NULL);
	if (!ret)
		ret = audit_reply(fd, AUDIT_GET, s);
	close(fd);
	return ret;
}

static int audit_status_set(int fd, const struct audit_status *s)
{
	int ret = audit_send(fd, AUDIT_SET, s);

	return ret ? ret : audit_reply(fd, AUDIT_SET, NULL);
}

/*
 * An audit daemon that registers, with a backlog limit of @limit records,
 * and then never reads: once its socket is full, kauditd waits on it, the
 * backlog fills, and audit_log_start() with GFP_KERNEL sleeps up to the
 * backlog wait time.  Returns its pid once it is registered, or -1.
 */
static pid_t stuck_auditd(unsigned int limit)
{
	int pfd[2], small = 1, ret;
	struct audit_status s = {
		.mask = AUDIT_STATUS_PID | AUDIT_STATUS_BACKLOG_LIMIT,
		.backlog_limit = limit,
	};
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (!pid) {
		int fd = audit_open();

		s.pid = getpid();
		ret = fd < 0 ? -errno : audit_status_set(fd, &s);
		/* The ack is read: now fill up at once. */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
		if (write(pfd[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &ret, sizeof(ret)) != sizeof(ret) || ret) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		pid = -1;
	}
	close(pfd[0]);
	return pid;
}

#define AUDITED_LINES	300

/*
 * A writer that sets policies on the @n children w0.. of @cg in one write,
 * over and over until told to stop: @n audit records a write.  *@done
 * counts the writes that returned.
 */
static pid_t audited_writer(const char *cg, int n, volatile int *stop,
			    volatile int *done)
{
	char *buf, *p;
	pid_t pid = fork();
	int i, round;

	if (pid)
		return pid;
	buf = malloc(n * 160);
	if (!buf)
		_exit(1);
	for (round = 0; !*stop; round++) {
		for (p = buf, i = 0; i < n; i++)
			p += sprintf(p, "set %s/w%d rate=%d burst=10\n", cg, i,
				     1000 + round % 2);
		if (fg_policy_write(buf))
			_exit(2);
		(*done)++;
	}
	_exit(0);
}

/*
 * Wait up to @secs for @want lines of the table that start with
 * "@kind@path "; the last count.
 */
static int table_wait(const char *kind, const char *path, int want,
		      double secs)
{
	double end = fg_now() + secs;
	char head[256], *t, *line, *save;
	int n;

	snprintf(head, sizeof(head), "%s%s ", kind, path);
	do {
		t = fg_read_file(FG_POLICIES, NULL);
		if (!t)
			return -1;
		n = 0;
		for (line = strtok_r(t, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			n += !strncmp(line, head, strlen(head));
		free(t);
		if (n == want)
			break;
		usleep(20000);
	} while (fg_now() < end);
	return n;
}

/*
 * Is @pid asleep in D state, again and again, without finishing a write?
 * kauditd gives up on a full socket after 100 ms and wakes the waiters
 * once a pass over its queues, so the writer wakes up now and then.
 */
static bool stalled(pid_t pid, volatile int *done, double secs)
{
	double end = fg_now() + secs;
	int seen = 0, last = *done;

	while (fg_now() < end) {
		if (*done != last) {
			last = *done;
			seen = 0;
		} else if (fg_proc_state(pid) == 'D' && ++seen == 5) {
			return true;
		}
		usleep(100000);
	}
	return false;
}

/*
 * While a writer of the table waits in audit_log_start() for a daemon that
 * reads nothing, the table is free: another writer sets and deletes
 * policies, and forks into new children of a per-child policy, each of which
 * creates a bucket under the table's mutex, complete at once.  The writer's
 * one write of AUDITED_LINES lines has as many records to write: with a
 * backlog of 2 records drained about once a second, audit records written
 * under the mutex would hold it for a minute or more.
 */
TEST_F_TIMEOUT(sec2, stuck_auditd_does_not_hold_the_table, 300)
{
	volatile int *shared;
	struct audit_status orig, restore = { 0 };
	char w[128], o[128], c[128];
	double bound = 10.0 * fg_timeout_scale(), t0, took;
	pid_t auditd, writer, setter, deleter, prober;
	long long base;
	int i, fd, done, status;

	if (audit_status_get(&orig))
		SKIP(return, "no audit netlink interface");
	if (orig.pid)
		SKIP(return, "an audit daemon (pid %u) is registered", orig.pid);
	TH_LOG("backlog limit %u, wait time %u jiffies", orig.backlog_limit,
	       orig.backlog_wait_time);
	if (!orig.backlog_wait_time)
		SKIP(return, "audit records never wait for the backlog");

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	for (i = 0; i < AUDITED_LINES; i++) {
		snprintf(w, sizeof(w), "%s/w%d", self->cg, i);
		ASSERT_EQ(0, cg_create(w));
	}
	snprintf(o, sizeof(o), "%s/o", self->cg);
	snprintf(c, sizeof(c), "%s/pc", self->cg);
	ASSERT_EQ(0, cg_create(o));
	ASSERT_EQ(0, cg_create(c));
	ASSERT_EQ(0, fg_polf("set %s rate=1000 burst=1000 scope=per-child\n", c));
	base = fg_stat("child_buckets");

	auditd = stuck_auditd(2);
	ASSERT_LT(0, auditd);
	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	writer = audited_writer(self->cg, AUDITED_LINES, &shared[0],
				&shared[1]);
	ASSERT_LT(0, writer);
	if (!stalled(writer, &shared[1], 60.0 * fg_timeout_scale())) {
		kill(auditd, SIGKILL);
		shared[0] = 1;
		ASSERT_TRUE(false) TH_LOG("the writer never waited for audit (%d writes)",
					  shared[1]);
	}
	done = shared[1];
	TH_LOG("the writer waits for audit after %d writes", done);

	/*
	 * Audit stays on: switching it off makes the writer skip its records.
	 * A set and a del, each of which waits for its own record after
	 * committing, by processes of their own: the table shows the change.
	 */
	t0 = fg_now();
	setter = fork();
	if (!setter)
		_exit(fg_polf("set %s rate=50 burst=50\n", o) ? 1 : 0);
	EXPECT_EQ(1, table_wait("policy ", o, 1, bound));
	deleter = fork();
	if (!deleter)
		_exit(fg_polf("del %s\n", o) ? 1 : 0);
	EXPECT_EQ(0, table_wait("policy ", o, 0, bound));
	/* Forks that make child buckets, by a process that may hang. */
	prober = fork();
	if (!prober) {
		for (i = 0; i < 3; i++) {
			char k[160];

			snprintf(k, sizeof(k), "%s/k%d", c, i);
			if (cg_create(k) || fg_fork_in(k, 2))
				_exit(1);
		}
		_exit(0);
	}
	status = reap_within(prober, bound);
	took = fg_now() - t0;
	TH_LOG("set, del and 3 new child buckets took %.2f s (bound %.0f s)",
	       took, bound);
	EXPECT_EQ(0, status);
	EXPECT_GT(bound, took);
	EXPECT_EQ(base + 3, fg_stat("child_buckets"));
	/* All of it while the writer's records were still waiting. */
	EXPECT_EQ(done, shared[1]) TH_LOG("the writer was not held up long");

	/* Let the daemon go: kauditd drains, the writers wake. */
	shared[0] = 1;
	kill(auditd, SIGKILL);
	waitpid(auditd, NULL, 0);
	fd = audit_open();
	restore.mask = AUDIT_STATUS_BACKLOG_LIMIT;
	restore.backlog_limit = orig.backlog_limit;
	EXPECT_EQ(0, fd < 0 ? -errno : audit_status_set(fd, &restore));
	if (fd >= 0)
		close(fd);
	EXPECT_NE(-1, reap_within(writer, 6 * bound));
	EXPECT_NE(-1, reap_within(setter, 6 * bound));
	EXPECT_NE(-1, reap_within(deleter, 6 * bound));
	if (status == -1)
		waitpid(prober, NULL, 0);
	munmap((void *)shared, 4096);
}

/* Lines of /proc/forkgov/policies that start with @prefix, or -1. */
static int table_lines(const char *prefix)
{
	char *t = fg_read_file(FG_POLICIES, NULL), *line, *save;
	int n = 0;

	if (!t)
		return -1;
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += !strncmp(line, prefix, strlen(prefix));
	free(t);
	return n;
}

/* ---- switching audit off ----------------------------------------------- */

/*
 * Read audit records from @fd (a registered daemon's socket) until one of
 * type AUDIT_KERNEL_OTHER contains @needle, for up to @secs; found or not.
 */
static bool audit_record_seen(int fd, const char *needle, double secs)
{
	double end = fg_now() + secs;
	char buf[16384];
	struct nlmsghdr *nh;
	ssize_t n;

	while (fg_now() < end) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		for (nh = (void *)buf; n > 0 && NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			char *text = NLMSG_DATA(nh);
			size_t len = nh->nlmsg_len - NLMSG_HDRLEN;

			if (nh->nlmsg_type != AUDIT_KERNEL_OTHER)
				continue;
			if (memmem(text, len, needle, strlen(needle)))
				return true;
		}
	}
	return false;
}

/*
 * Switching the audit knob off is itself an audit record, as sysctl.rst and
 * the threat model say: the last thing audited is who turned auditing off.
 */
TEST_F(sec2, audit_off_is_audited)
{
	static const char on[] =
		"op=forkgov_sysctl object=\"audit\" old=\"0\" new=\"1\"";
	static const char off[] =
		"op=forkgov_sysctl object=\"audit\" old=\"1\" new=\"0\"";
	struct audit_status orig, reg = { .mask = AUDIT_STATUS_PID };
	double secs = 10.0 * fg_timeout_scale();
	int fd;

	if (audit_status_get(&orig))
		SKIP(return, "no audit netlink interface");
	if (orig.pid)
		SKIP(return, "an audit daemon (pid %u) is registered", orig.pid);
	fd = audit_open();
	ASSERT_LE(0, fd);
	reg.pid = getpid();
	ASSERT_EQ(0, audit_status_set(fd, &reg));
	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	EXPECT_TRUE(audit_record_seen(fd, on, secs));
	ASSERT_EQ(0, write_text(KNOBS "audit", "0"));
	EXPECT_TRUE(audit_record_seen(fd, off, secs));
	/* Off: a knob write is no longer audited. */
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "11"));
	EXPECT_FALSE(audit_record_seen(fd, "object=\"log_ratelimit\"", 1.0));
	write_text(KNOBS "log_ratelimit", "10");
	reg.pid = 0;
	EXPECT_EQ(0, audit_status_set(fd, &reg));
	close(fd);
}

/* ---- cgroups that come and go ------------------------------------------ */

/*
 * One worker of the loop: make a child of @parent, run a task in it that
 * forks, fork into it with clone3(), remove it, fork into it once more
 * through the directory still open, for @secs.
 */
static int come_and_go(const char *parent, int id, double secs)
{
	double end = fg_now() + secs;
	char cg[128];
	int i, fd;

	for (i = 0; fg_now() < end; i++) {
		snprintf(cg, sizeof(cg), "%s/g%d.%d", parent, id, i);
		if (cg_create(cg))
			return 1;
		fd = fg_open_cg(cg);
		if (fd < 0)
			return 2;
		if (fg_fork_in(cg, 2) || fg_clone_into(fd))
			return 3;
		if (fg_rmdir_cg(cg))
			return 4;
		/* Fails: the cgroup is dead; no bucket may come of it. */
		fg_clone_into(fd);
		close(fd);
	}
	return 0;
}

/*
 * Cgroups made and removed in a loop while their tasks fork under a
 * per-child policy: each gets a bucket while it lives, and once they are
 * gone the count of child buckets is back where it was.
 */
TEST_F_TIMEOUT(sec2, come_and_go_leaves_no_bucket, 180)
{
	char keep[128];
	long long base;
	int i, status, rc = 0;
	pid_t pids[3];

	ASSERT_EQ(0, fg_polf("set %s rate=10000 burst=10000 scope=per-child\n",
			     self->cg));
	/* A child that stays: the baseline is not zero. */
	snprintf(keep, sizeof(keep), "%s/keep", self->cg);
	ASSERT_EQ(0, cg_create(keep));
	ASSERT_EQ(0, fg_fork_in(keep, 1));
	base = fg_stat("child_buckets");
	ASSERT_EQ(1, base);
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(come_and_go(self->cg, i, 5.0));
	}
	for (i = 0; i < 3; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			TH_LOG("worker %d: status %#x", i, status);
			rc = 1;
		}
	}
	EXPECT_EQ(0, rc);
	EXPECT_EQ(base, fg_stat_wait("child_buckets", base, 10));
	EXPECT_EQ(1, fg_stat("policies"));
	/* And the table agrees with the counter. */
	EXPECT_EQ(base, table_lines("child "));
}

/* ---- fork without exec from a task with a hostile name ------------------ */

static void *idle(void *arg)
{
	pause();
	return NULL;
}

/*
 * A two-threaded process named with ESC, BEL, DEL and 0xff forks children
 * that exit without exec: its fork-without-exec reports, the child's and
 * the summary of the ones after it, show the name with octal escapes; no
 * line of the kernel log about it holds a control byte.
 */
TEST_F_TIMEOUT(sec2, mt_fork_report_escapes_the_name, 120)
{
	static const char comm[] = "\033]0;x\007\177\377";
	char warn[16], grace[16], needle[64], *log, *line, *p;
	int pfd[2], status, i, n = 0;
	pid_t parent, child[3];
	size_t len;

	if (read_text(KNOBS "mt_fork_warn", warn, sizeof(warn)) <= 0 ||
	    read_text(KNOBS "mt_fork_grace_ms", grace, sizeof(grace)) <= 0)
		SKIP(return, "forkgov has no fork-without-exec reporter");
	ASSERT_EQ(0, write_text(KNOBS "mt_fork_warn", "1"));
	ASSERT_EQ(0, write_text(KNOBS "mt_fork_grace_ms", "100"));
	ASSERT_EQ(0, pipe(pfd));
	parent = fork();
	if (!parent) {
		pthread_t t;
		pid_t c;

		close(pfd[0]);
		if (pthread_create(&t, NULL, idle, NULL))
			_exit(1);
		prctl(PR_SET_NAME, comm);
		for (i = 0; i < 3; i++) {
			c = fork();
			if (!c)
				_exit(0);
			if (c < 0 || write(pfd[1], &c, sizeof(c)) != sizeof(c))
				_exit(2);
			waitpid(c, NULL, 0);
		}
		/* Stay until the reports are written: one thread waits. */
		sleep(5 * fg_timeout_scale());
		_exit(0);
	}
	close(pfd[1]);
	ASSERT_LT(0, parent);
	for (i = 0; i < 3; i++)
		ASSERT_EQ((ssize_t)sizeof(child[i]),
			  read(pfd[0], &child[i], sizeof(child[i])));
	close(pfd[0]);
	snprintf(needle, sizeof(needle), "mt-fork: child %d of ", child[0]);
	line = fg_log_wait(needle, 10);
	ASSERT_NE(NULL, line) TH_LOG("no report with \"%s\"", needle);
	TH_LOG("%s", line);
	EXPECT_TRUE(fg_clean_text(line, strlen(line)));
	snprintf(needle, sizeof(needle), " of \\033]0;x\\007\\177\\377[%d]",
		 parent);
	EXPECT_NE(NULL, strstr(line, needle));
	free(line);

	waitpid(parent, &status, 0);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	/* Every line about the parent: the children's reports, a summary. */
	log = fg_kernel_log(&len);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, memmem(log, len, comm, 4));
	snprintf(needle, sizeof(needle), "[%d]", parent);
	for (line = strtok_r(log, "\n", &p); line;
	     line = strtok_r(NULL, "\n", &p)) {
		if (!strstr(line, "mt-fork:") || !strstr(line, needle))
			continue;
		n++;
		EXPECT_TRUE(fg_clean_text(line, strlen(line)))
			TH_LOG("raw bytes in: %s", line);
	}
	EXPECT_LE(1, n);
	free(log);
	write_text(KNOBS "mt_fork_grace_ms", grace);
	write_text(KNOBS "mt_fork_warn", warn);
}

/* ---- the lineage defence's report --------------------------------------- */

/*
 * Fork a chain of @n generations that never exec: each process forks the
 * next and waits for it; the last one exits.
 */
static void __attribute__((noreturn)) chain(int n)
{
	pid_t c;
	int i;

	for (i = 0; i < n; i++) {
		c = fork();
		if (c > 0)
			waitpid(c, NULL, 0);
		if (c)
			_exit(0);
	}
	_exit(0);
}

static int knob_get(const char *name, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), KNOBS "%s", name);
	return read_text(path, buf, size) > 0 ? 0 : -1;
}

static void knob_put(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), KNOBS "%s", name);
	write_text(path, val);
}

/*
 * A chain of forks without exec, deep enough for the lineage defence (in
 * log-only mode), by processes named with ESC, BEL, DEL and 0xff: its
 * kernel-log report names them with every such byte escaped.
 */
TEST_F_TIMEOUT(sec2, lineage_report_escapes_the_name, 120)
{
	static const char comm[] = "\033]0;y\007\177\377";
	char mode[16], thr[16], *log, *line, *save;
	int status, n = 0, clean = 0;
	pid_t pid;
	double end;

	if (knob_get("lineage", mode, sizeof(mode)) ||
	    knob_get("lineage_threshold", thr, sizeof(thr)))
		SKIP(return, "forkgov has no lineage defence");
	ASSERT_EQ(0, write_text(KNOBS "lineage", "1"));
	ASSERT_EQ(0, write_text(KNOBS "lineage_threshold", "2"));
	pid = fork();
	if (!pid) {
		prctl(PR_SET_NAME, comm);
		chain(4);
	}
	ASSERT_LT(0, pid);
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	for (end = fg_now() + 10.0 * fg_timeout_scale(); fg_now() < end;) {
		log = fg_kernel_log(NULL);
		ASSERT_NE(NULL, log);
		n = 0;
		clean = 0;
		for (line = strtok_r(log, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (!strstr(line, "lineage: ") || !strstr(line, "]0;y"))
				continue;
			n++;
			clean += fg_clean_text(line, strlen(line));
			if (!fg_clean_text(line, strlen(line)))
				TH_LOG("raw bytes in: %s", line);
		}
		free(log);
		if (n)
			break;
		usleep(100000);
	}
	knob_put("lineage_threshold", thr);
	knob_put("lineage", mode);
	ASSERT_LT(0, n) TH_LOG("no lineage report about the chain");
	EXPECT_EQ(n, clean);
}

TEST_HARNESS_MAIN
