// SPDX-License-Identifier: GPL-2.0
/*
 * forkgov's reports: the forkgov:* trace events, the rate-limited kernel-log
 * lines and the audit records (type 1316, AUDIT_KERNEL_OTHER) for decisions
 * and for changes of policies and knobs.  Runs as root in a guest with
 * forkgov loaded and tracefs mounted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "cgroup_util.h"
#include "fg_util.h"

#define TRACING		"/sys/kernel/tracing"
#define KNOBS		"/proc/sys/kernel/forkgov/"

/* Open /dev/kmsg positioned after everything logged so far. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Count the records since kmsg_open() that contain every one of @needles. */
static int kmsg_count(int fd, const char * const *needles, int n)
{
	char rec[8192];
	int count = 0, i;
	ssize_t len;

	usleep(300000);	/* reports are written by a work item */
	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 || errno == EPIPE) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		for (i = 0; i < n && strstr(rec, needles[i]); i++)
			;
		count += i == n;
	}
	return count;
}

static char *trace_text(void)
{
	static char buf[1 << 20];

	if (read_text(TRACING "/trace", buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	while (hay && (hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

static unsigned long long cg_id(const char *cg)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), CG_ROOT "%s", cg);
	return stat(path, &st) ? 0 : st.st_ino;
}

FIXTURE(rep) {
	char cg[64];
	char line[256];
	int kmsg;
};

FIXTURE_SETUP(rep)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (!fg_loaded())
		SKIP(return, "forkgov is not loaded");
	ASSERT_EQ(0, fg_policy_write("flush\n"));
	snprintf(self->cg, sizeof(self->cg), "/fgrep.%d", getpid());
	ASSERT_EQ(0, cg_create(self->cg));
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "10"));
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(rep)
{
	fg_policy_write("flush\n");
	write_text(TRACING "/events/forkgov/enable", "0");
	write_text(KNOBS "log_ratelimit", "10");
	write_text(KNOBS "audit", "0");
	cg_destroy(self->cg);
	close(self->kmsg);
}

static int set_policy(char *line, size_t size, const char *cg,
		      const char *params)
{
	snprintf(line, size, "set %s %s\n", cg, params);
	return fg_policy_write(line);
}

/*
 * Three forks under each action with a burst of 1: two are decided.  A
 * throttled fork waits only if it comes before its token: the rate is 2/s,
 * or lower where 500 ms does not hold four of the machine's forks (at 20/s
 * a debug kernel on a loaded host once took its next fork after the token).
 */
TEST_F(rep, trace_events_for_decisions)
{
	char id[64], params[128];
	double cost;
	int milli, max_delay;
	char *t;

	if (access(TRACING "/events/forkgov/deny", F_OK))
		SKIP(return, "tracefs or forkgov events missing");
	snprintf(id, sizeof(id), " cgroup_id=%llu ", cg_id(self->cg));
	ASSERT_EQ(0, write_text(TRACING "/trace", ""));
	ASSERT_EQ(0, write_text(TRACING "/events/forkgov/enable", "1"));

	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1"));
	EXPECT_EQ(2, fg_fork_in(self->cg, 3));
	cost = fg_fork_cost(5);
	ASSERT_LT(0, cost);
	/* 2/s in thousandths, slower where 500 ms does not hold four forks. */
	milli = 2000 / fg_slowdown(cost, 4, 0.5);
	/* The longest wait allowed: 40 intervals, at most 60 s. */
	max_delay = 40 * 1000 * 1000 / milli;
	if (max_delay > 60000)
		max_delay = 60000;
	snprintf(params, sizeof(params),
		 "rate=%d.%03d burst=1 action=throttle max_delay=%d",
		 milli / 1000, milli % 1000, max_delay);
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				params));
	EXPECT_EQ(0, fg_fork_in(self->cg, 3));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1 action=log"));
	EXPECT_EQ(0, fg_fork_in(self->cg, 3));
	ASSERT_EQ(0, write_text(TRACING "/events/forkgov/enable", "0"));

	t = trace_text();
	ASSERT_NE(NULL, t);
	EXPECT_EQ(2, count_str(t, " deny: pid=")) TH_LOG("%s", t);
	EXPECT_EQ(2, count_str(t, " throttle: pid="));
	EXPECT_EQ(0, count_str(t, "throttle: pid=0"));
	EXPECT_EQ(2, count_str(t, " log: pid="));
	EXPECT_EQ(6, count_str(t, id)) TH_LOG("events name%s", id);
	/* Only the throttle events carry a wait. */
	EXPECT_EQ(4, count_str(t, "delay_ns=0\n"));
}

static void *idle(void *arg)
{
	pause();
	return NULL;
}

TEST_F(rep, trace_event_for_mt_fork)
{
	int status;
	pid_t pid;
	char *t;

	if (access(TRACING "/events/forkgov/mt_fork", F_OK))
		SKIP(return, "tracefs or forkgov events missing");
	ASSERT_EQ(0, write_text(TRACING "/trace", ""));
	ASSERT_EQ(0, write_text(TRACING "/events/forkgov/mt_fork/enable", "1"));
	pid = fork();
	if (!pid) {
		pthread_t th;
		pid_t c;

		pthread_create(&th, NULL, idle, NULL);
		c = fork();
		if (!c)
			_exit(3);
		waitpid(c, NULL, 0);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	usleep(300000);
	ASSERT_EQ(0, write_text(TRACING "/events/forkgov/mt_fork/enable", "0"));
	t = trace_text();
	EXPECT_EQ(1, count_str(t, " mt_fork: ppid=")) TH_LOG("%s", t);
	EXPECT_EQ(1, count_str(t, "threads=2 "));
	EXPECT_EQ(1, count_str(t, "outcome=exited status=3 "));
}

TEST_F(rep, log_lines_are_rate_limited)
{
	static const char * const deny[] = { "forkgov: deny: ",
					     ", policy /fgrep." };
	static const char * const more[] = { "forkgov: deny: ", "more not reported" };

	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "3"));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1"));
	EXPECT_EQ(9, fg_fork_in(self->cg, 10));
	EXPECT_EQ(3, kmsg_count(self->kmsg, deny, 2));

	/* 0 silences them. */
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "0"));
	EXPECT_EQ(10, fg_fork_in(self->cg, 10));
	EXPECT_EQ(0, kmsg_count(self->kmsg, more, 2));
}

TEST_F(rep, audit_records_for_decisions)
{
	static const char * const deny[] = { "type=1316", "op=forkgov_deny", "comm=",
			       "cgroup=", "policy=", "suppressed=" };

	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1"));
	EXPECT_EQ(1, fg_fork_in(self->cg, 2));
	EXPECT_EQ(1, kmsg_count(self->kmsg, deny, 6));

	/* Nothing is audited with the knob off. */
	ASSERT_EQ(0, write_text(KNOBS "audit", "0"));
	EXPECT_EQ(1, fg_fork_in(self->cg, 1));
	EXPECT_EQ(0, kmsg_count(self->kmsg, deny, 2));
}

TEST_F(rep, audit_records_for_changes)
{
	static const char * const set[] = { "type=1316", "op=forkgov_policy_set",
			      "new=\"rate=0/s,burst=1,action=deny", "auid=", "uid=0",
			      "comm=" };
	static const char * const replace[] = { "op=forkgov_policy_set",
				  "old=\"rate=0/s,burst=1,",
				  "new=\"rate=5/s,burst=2," };
	static const char * const del[] = { "op=forkgov_policy_del", "new=\"none\"" };
	static const char * const knob[] = { "op=forkgov_sysctl", "object=\"log_ratelimit\"",
			       "old=\"10\"", "new=\"7\"" };
	static const char * const audit_off[] = { "op=forkgov_sysctl",
						  "object=\"audit\"",
						  "new=\"0\"" };

	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1"));
	EXPECT_EQ(1, kmsg_count(self->kmsg, set, 6));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=5 burst=2"));
	EXPECT_EQ(1, kmsg_count(self->kmsg, replace, 3));
	snprintf(self->line, sizeof(self->line), "del %s\n", self->cg);
	ASSERT_EQ(0, fg_policy_write(self->line));
	EXPECT_EQ(1, kmsg_count(self->kmsg, del, 2));
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "7"));
	EXPECT_EQ(1, kmsg_count(self->kmsg, knob, 4));
	/* Switching audit off is recorded too, and is the last record. */
	ASSERT_EQ(0, write_text(KNOBS "audit", "0"));
	EXPECT_EQ(1, kmsg_count(self->kmsg, audit_off, 3));
	ASSERT_EQ(0, write_text(KNOBS "log_ratelimit", "10"));
	EXPECT_EQ(0, kmsg_count(self->kmsg, knob, 1));
}

#define K8S_UID		"0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define K8S_UID_	"0a1b2c3d_4e5f_6789_abcd_ef0123456789"
#define K8S_CID		"4f3a9c0d2b1e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b"

/* mkdir -p of @rel (several components) below @base. */
static int cg_create_path(const char *base, const char *rel, char *out,
			  size_t size)
{
	const char *p = rel;
	int ret;

	snprintf(out, size, "%s", base);
	while (*p) {
		size_t n = strcspn(p + 1, "/") + 1;

		snprintf(out + strlen(out), size - strlen(out), "%.*s",
			 (int)n, p);
		p += n;
		ret = cg_create(out);
		if (ret && ret != -EEXIST)
			return ret;
	}
	return 0;
}

/*
 * A denial in a pod's cgroup, laid out as kubelet does with either cgroup
 * driver, names the pod and the container in the log line and the audit
 * record; a denial elsewhere names none.
 */
TEST_F(rep, pod_and_container_in_reports)
{
	static const char * const sd_log[] = {
		"forkgov: deny: ",
		"; pod " K8S_UID " container " K8S_CID "\n" };
	static const char * const sd_audit[] = {
		"op=forkgov_deny", " pod=\"" K8S_UID "\"",
		" container=\"" K8S_CID "\"" };
	static const char * const fs_log[] = {
		"forkgov: deny: ", "; pod " K8S_UID " container -\n" };
	static const char * const fs_audit[] = {
		"op=forkgov_deny", " pod=\"" K8S_UID "\" policy=" };
	static const char * const any_pod[] = { "forkgov: deny: ", "; pod " };
	static const char * const any_audit[] = { "op=forkgov_deny", " pod=" };
	static const char sd_rel[] =
		"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
		K8S_UID_ ".slice/cri-containerd-" K8S_CID ".scope";
	static const char fs_rel[] = "/kubepods/besteffort/pod" K8S_UID;
	char sd[512], fs[512];
	int audit_fd;

	ASSERT_EQ(0, cg_create_path(self->cg, sd_rel, sd, sizeof(sd)));
	ASSERT_EQ(0, cg_create_path(self->cg, fs_rel, fs, sizeof(fs)));
	ASSERT_EQ(0, set_policy(self->line, sizeof(self->line), self->cg,
				"rate=0 burst=1"));
	/*
	 * Without auditd, kauditd prints records under printk_ratelimit()
	 * (10 per 5 s): let the records of the tests before this one age out.
	 */
	sleep(6);
	ASSERT_EQ(0, write_text(KNOBS "audit", "1"));

	/*
	 * One reader for the log lines, one for the audit records.  Every
	 * fork after the first is denied (fg_fork_in() counts the denied).
	 */
	audit_fd = fg_kmsg_open();
	ASSERT_LE(0, audit_fd);
	EXPECT_EQ(1, fg_fork_in(sd, 2));
	EXPECT_EQ(1, kmsg_count(self->kmsg, sd_log, 2));
	EXPECT_EQ(1, kmsg_count(audit_fd, sd_audit, 3));

	EXPECT_EQ(1, fg_fork_in(fs, 1));
	EXPECT_EQ(1, kmsg_count(self->kmsg, fs_log, 2));
	EXPECT_EQ(1, kmsg_count(audit_fd, fs_audit, 2));

	EXPECT_EQ(1, fg_fork_in(self->cg, 1));
	EXPECT_EQ(0, kmsg_count(self->kmsg, any_pod, 2));
	EXPECT_EQ(0, kmsg_count(audit_fd, any_audit, 2));
	close(audit_fd);
}

TEST_HARNESS_MAIN
