// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting: trace events, the kernel log and audit records.
 *
 * The fork path only emits trace events (free when nobody listens) and, for
 * the few events the rate limit lets through, copies a small record into a
 * ring.  Each policy has a rate limit of its own, so that a fork bomb under
 * one policy neither contends on a lock with the forks of others nor uses
 * up their reports.  A work item turns the records into kernel-log lines and audit
 * records, in process context, where cgroup paths can be looked up and
 * memory allocated (neither is allowed in the fork path on PREEMPT_RT).
 * What the rate limit drops is counted and reported with the next record.
 *
 * Changes of the policy table and of the knobs are always audited when the
 * audit knob is on: they are rare and made by privileged users.
 */
#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/workqueue.h>

#include "forkgov.h"
#include "bucket.h"
#include "k8s.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct fg_event {
	enum fg_event_kind kind;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 cgid;
	u64 policy_cgid;
	u64 delay_ns;
};

#define FG_RING_SIZE	32

static struct fg_event fg_ring[FG_RING_SIZE];
static unsigned int fg_ring_head, fg_ring_len;
static DEFINE_RAW_SPINLOCK(fg_ring_lock);
static DEFINE_PER_CPU(unsigned long, fg_suppressed);
static unsigned long fg_suppressed_reported;

/* kernel.forkgov.log_ratelimit counts reports per policy in this period. */
#define FG_REPORT_PERIOD	(5 * HZ)

static const char * const fg_event_names[] = {
	[FG_EV_DENY]		= "deny",
	[FG_EV_THROTTLE]	= "throttle",
	[FG_EV_LOG]		= "log",
};

static void fg_report_fn(struct work_struct *work);
static DECLARE_WORK(fg_report_work, fg_report_fn);

/**
 * fg_report_ratelimit_init - set up the report limit of a new policy
 * @rs: the policy's limiter
 */
void fg_report_ratelimit_init(struct ratelimit_state *rs)
{
	ratelimit_state_init(rs, FG_REPORT_PERIOD, READ_ONCE(fg_log_ratelimit));
	/*
	 * What the limit drops is counted and reported by the work item; the
	 * limiter must not print its own "callbacks suppressed" line, which it
	 * would do from the fork path.
	 */
	ratelimit_set_flags(rs, RATELIMIT_MSG_ON_RELEASE);
}

/*
 * May one more event of this policy be reported?  The limiter follows
 * kernel.forkgov.log_ratelimit (@burst): a new limit starts a new period.
 */
static bool fg_report_admit(struct ratelimit_state *rs, int burst)
{
	unsigned long flags;

	if (unlikely(READ_ONCE(rs->burst) != burst)) {
		raw_spin_lock_irqsave(&rs->lock, flags);
		WRITE_ONCE(rs->burst, burst);
		rs->begin = 0;
		rs->printed = 0;
		raw_spin_unlock_irqrestore(&rs->lock, flags);
	}
	return __ratelimit(rs);
}

/**
 * fg_report_event - a fork was denied, throttled or logged
 * @kind:        what happened
 * @cgid:        the cgroup of the fork
 * @policy_cgid: the cgroup of the policy (or per-child bucket) that decided
 * @delay_ns:    the wait imposed, for FG_EV_THROTTLE
 * @rs:          the report limit of the policy that decided
 *
 * Any context; called in the fork path for the forking task.
 */
void fg_report_event(enum fg_event_kind kind, u64 cgid, u64 policy_cgid,
		     u64 delay_ns, struct ratelimit_state *rs)
{
	int burst = READ_ONCE(fg_log_ratelimit);
	struct fg_event *ev;
	unsigned long flags;

	switch (kind) {
	case FG_EV_DENY:
		trace_deny(cgid, policy_cgid, delay_ns);
		break;
	case FG_EV_THROTTLE:
		trace_throttle(cgid, policy_cgid, delay_ns);
		break;
	case FG_EV_LOG:
		trace_log(cgid, policy_cgid, delay_ns);
		break;
	}

	if (!burst)
		return;
	if (!fg_report_admit(rs, burst)) {
		this_cpu_inc(fg_suppressed);
		return;
	}
	raw_spin_lock_irqsave(&fg_ring_lock, flags);
	if (fg_ring_len == FG_RING_SIZE) {
		raw_spin_unlock_irqrestore(&fg_ring_lock, flags);
		this_cpu_inc(fg_suppressed);
		return;
	}
	ev = &fg_ring[(fg_ring_head + fg_ring_len++) % FG_RING_SIZE];
	ev->kind = kind;
	ev->pid = task_pid_nr(current);
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->cgid = cgid;
	ev->policy_cgid = policy_cgid;
	ev->delay_ns = delay_ns;
	raw_spin_unlock_irqrestore(&fg_ring_lock, flags);
	queue_work(system_unbound_wq, &fg_report_work);
}

static bool fg_ring_pop(struct fg_event *ev)
{
	unsigned long flags;
	bool found = false;

	raw_spin_lock_irqsave(&fg_ring_lock, flags);
	if (fg_ring_len) {
		*ev = fg_ring[fg_ring_head];
		fg_ring_head = (fg_ring_head + 1) % FG_RING_SIZE;
		fg_ring_len--;
		found = true;
	}
	raw_spin_unlock_irqrestore(&fg_ring_lock, flags);
	return found;
}

/* Events dropped since the last report. */
static unsigned long fg_take_suppressed(void)
{
	unsigned long sum = 0, n;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(fg_suppressed, cpu));
	n = sum - fg_suppressed_reported;
	fg_suppressed_reported = sum;
	return n;
}

/**
 * fg_cgroup_path_of - the path of a cgroup id, or "-" if it is gone
 * @cgid: the id
 * @buf:  room for PATH_MAX bytes
 *
 * Process context.
 *
 * Return: @buf or "-".
 */
const char *fg_cgroup_path_of(u64 cgid, char *buf)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);
	int err;

	if (IS_ERR(cgrp))
		return "-";
	err = cgroup_path(cgrp, buf, PATH_MAX);
	cgroup_put(cgrp);
	return err < 0 ? "-" : buf;
}

/**
 * fg_log_escape - an untrusted string made safe for the kernel log
 * @dst:  room for the result
 * @size: its size
 * @src:  a task name, a cgroup path, a file name
 *
 * Every byte that is not printable ASCII, and the backslash, becomes \ooo,
 * as in /proc/forkgov/policies: a console, dmesg or a log reader never gets
 * a control byte from a name a process chose.  A result longer than @size
 * allows is cut short.
 *
 * Return: @dst.
 */
const char *fg_log_escape(char *dst, size_t size, const char *src)
{
	int n = string_escape_mem(src, strlen(src), dst, size - 1,
				  ESCAPE_OCTAL | ESCAPE_NAP | ESCAPE_APPEND,
				  "\\");

	dst[min_t(size_t, n, size - 1)] = '\0';
	return dst;
}

/**
 * fg_audit_str - log KEY=VALUE for an untrusted string
 * @ab:  the audit buffer
 * @key: the field name
 * @s:   the value
 *
 * audit_log_untrustedstring() is not exported: a value with a space, a quote
 * or a control character is written in hex, as that function would.
 */
void fg_audit_str(struct audit_buffer *ab, const char *key, const char *s)
{
	const unsigned char *p;
	size_t len, n;

	for (p = s; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			break;
	if (!*p) {
		audit_log_format(ab, " %s=\"%s\"", key, s);
		return;
	}
	audit_log_format(ab, " %s=", key);
	for (len = strlen(s); len; s += n, len -= n) {
		n = min_t(size_t, len, 64);	/* the most %ph prints */
		audit_log_format(ab, "%*phN", (int)n, s);
	}
}

/**
 * fg_k8s_log - "; pod UID container ID" for a report, when @cgroup is a pod's
 * @dst:    room for the result
 * @size:   its size
 * @cgroup: the path the report names
 *
 * Return: @dst, "" when @cgroup is no pod's (module/k8s.c).
 */
const char *fg_k8s_log(char *dst, size_t size, const char *cgroup)
{
	struct fg_k8s k;

	if (fg_k8s_parse(cgroup, &k))
		*dst = '\0';
	else
		snprintf(dst, size, "; pod %s container %s", k.pod_uid,
			 *k.container_id ? k.container_id : "-");
	return dst;
}

/**
 * fg_audit_k8s - log pod= and container= when @cgroup is a pod's
 * @ab:     the audit buffer
 * @cgroup: the path the record names
 *
 * The values keep to [0-9a-z-]; container= is absent at the pod's level.
 */
void fg_audit_k8s(struct audit_buffer *ab, const char *cgroup)
{
	struct fg_k8s k;

	if (fg_k8s_parse(cgroup, &k))
		return;
	fg_audit_str(ab, "pod", k.pod_uid);
	if (*k.container_id)
		fg_audit_str(ab, "container", k.container_id);
}

static void fg_audit_event(const struct fg_event *ev, const char *cgroup,
			   const char *policy, unsigned long suppressed)
{
	struct audit_buffer *ab;

	/* GFP_NOWAIT: never wait for a full audit backlog in the work item. */
	ab = audit_log_start(NULL, GFP_NOWAIT, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=forkgov_%s pid=%d", fg_event_names[ev->kind],
			 ev->pid);
	fg_audit_str(ab, "comm", ev->comm);
	fg_audit_str(ab, "cgroup", cgroup);
	fg_audit_k8s(ab, cgroup);
	fg_audit_str(ab, "policy", policy);
	audit_log_format(ab, " delay_ns=%llu suppressed=%lu", ev->delay_ns,
			 suppressed);
	audit_log_end(ab);
}

/* A work item never runs concurrently with itself: these need no lock. */
static char fg_cg_buf[PATH_MAX], fg_pol_buf[PATH_MAX];
static char fg_cg_log[FG_LOG_PATH_MAX], fg_pol_log[FG_LOG_PATH_MAX];
static char fg_comm_log[FG_LOG_COMM_MAX];
static char fg_k8s_line[FG_LOG_K8S_MAX];

static void fg_report_fn(struct work_struct *work)
{
	const char *cgroup, *policy;
	char *cg_buf = fg_cg_buf, *pol_buf = fg_pol_buf;
	unsigned long suppressed;
	struct fg_event ev;

	while (fg_ring_pop(&ev)) {
		cgroup = fg_cgroup_path_of(ev.cgid, cg_buf);
		policy = fg_cgroup_path_of(ev.policy_cgid, pol_buf);
		suppressed = fg_take_suppressed();
		pr_info("%s: %s[%d] in %s, policy %s%s (%lu more not reported)%s\n",
			fg_event_names[ev.kind],
			fg_log_escape(fg_comm_log, FG_LOG_COMM_MAX, ev.comm),
			ev.pid, fg_log_escape(fg_cg_log, FG_LOG_PATH_MAX, cgroup),
			fg_log_escape(fg_pol_log, FG_LOG_PATH_MAX, policy),
			ev.kind == FG_EV_THROTTLE ? ", delayed" : "",
			suppressed,
			fg_k8s_log(fg_k8s_line, sizeof(fg_k8s_line), cgroup));
		if (READ_ONCE(fg_audit))
			fg_audit_event(&ev, cgroup, policy, suppressed);
	}
}

/**
 * fg_audit_change - audit a change of the policy table or of a knob
 * @op:  what: "policy_set", "policy_del", "policy_flush", "sysctl"
 * @obj: the cgroup path or knob name (NULL: none)
 * @old: the old value or definition (NULL: none)
 * @new: the new one (NULL: none)
 *
 * Process context, for the task that made the change.
 */
void fg_audit_change(const char *op, const char *obj, const char *old,
		     const char *new)
{
	__fg_audit_change(op, obj, old, new, false);
}

/* As fg_audit_change(), and with @always whatever the audit knob says. */
void __fg_audit_change(const char *op, const char *obj, const char *old,
		       const char *new, bool always)
{
	struct audit_buffer *ab;

	if (!always && !READ_ONCE(fg_audit))
		return;
	ab = audit_log_start(audit_context(), GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=forkgov_%s", op);
	if (obj)
		fg_audit_str(ab, "object", obj);
	fg_audit_str(ab, "old", old ?: "none");
	fg_audit_str(ab, "new", new ?: "none");
	audit_log_task_info(ab);
	audit_log_end(ab);
}

/* Deliver what is queued; called when the module goes. */
void fg_report_exit(void)
{
	flush_work(&fg_report_work);
}

/**
 * fg_trace_mt_fork - emit forkgov:mt_fork for a fork-without-exec report
 * @ppid:       parent pid
 * @pcomm:      parent name
 * @threads:    the parent's threads at the fork
 * @pid:        the child
 * @cgid:       the child's cgroup
 * @outcome:    "exited", "killed", "running" or "forked"
 * @status:     exit status or signal, for exited and killed
 * @elapsed_ms: time from the fork to the report
 */
void fg_trace_mt_fork(pid_t ppid, const char *pcomm, int threads, pid_t pid,
		      u64 cgid, const char *outcome, int status, u64 elapsed_ms)
{
	trace_mt_fork(ppid, pcomm, threads, pid, cgid, outcome, status,
		      elapsed_ms);
}
