// SPDX-License-Identifier: GPL-2.0
/*
 * The fork-without-exec reporter.
 *
 * A process with more than one thread that forks hands its child a copy of
 * every lock another thread held at that instant, with no thread left to
 * release it; until it execs, the child may only make async-signal-safe
 * calls.  forkgov watches the children of such forks and reports those that
 * exit without exec, or are still running without exec after a grace
 * period.  Threads, vfork and other CLONE_VM children, and children that
 * exec in time are never reported.
 *
 * With kernel.forkgov.mt_fork_warn at 0 nothing is attached and nothing is
 * allocated.  Otherwise three scheduler tracepoints move slots of a pool
 * sized by mt_fork_max_tracked between lists:
 *
 *   sched_process_fork  free -> tracked (or done, with a grace period of 0);
 *                       no free slot: the child is counted as dropped
 *   sched_process_exec  tracked -> free: exec in time
 *   sched_process_exit  tracked -> done: exit without exec
 *
 * and work items on one ordered workqueue report done slots, and tracked
 * slots whose grace period is over, then give them back.
 *
 * Probes run with preemption disabled, also on PREEMPT_RT, where even
 * GFP_ATOMIC allocation and spinlock_t are not allowed there.  So they never
 * allocate, sleep or drop a reference: they only move preallocated slots
 * under a raw spinlock, and queue work.  Everything that needs more (cgroup
 * path, executable path, aggregation, rate limit, log and audit records)
 * runs in the work items.
 *
 * No floods: reports are aggregated per offender, a program identified by
 * the name (comm) of the forking thread and the child's cgroup.  The first
 * report about an offender opens an interval of mt_fork_interval_ms during
 * which its further children are only counted, then summed up in one line.
 * Reports that open an interval pass a global rate limit of MT_RL_BURST per
 * MT_RL_INTERVAL; summary lines are not rate limited, since there is at most
 * one per interval opened.  comm rather than the executable is the key:
 * it is copied at fork for free, while the executable can only be looked up
 * later, costs a reference and a d_path() per child, and is gone once the
 * parent exits, which a pool's parent often has by the time its children
 * are reported.
 *
 * The offenders live in a table of mt_fork_max_offenders entries that also
 * counts every child (whether named, summed up or held back by the rate
 * limit) for /proc/forkgov/mt_offenders.  A new offender in a full table
 * evicts the least recently seen one, whose open interval is summed up
 * first.  The table is used by the work items and by readers only, all in
 * process context, under mt_off_mutex.
 */
#include <linux/atomic.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/kernfs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/sysctl.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "forkgov.h"

struct linux_binprm;

/* mt_fork_warn */
#define MT_OFF		0
#define MT_LOG		1
#define MT_AUDIT	2

#define MT_RL_INTERVAL	(5 * HZ)
#define MT_RL_BURST	10

/* Slots moved per hold of mt.lock when the work item expires grace periods. */
#define MT_BATCH	64

static int mt_warn = MT_LOG;
static int mt_grace_ms = 1000;
static int mt_max_tracked = 4096;
static int mt_interval_ms = 5000;
static int mt_max_offenders = 256;

static const int mt_grace_max = 600000;
static const int mt_tracked_min = 16;
static const int mt_tracked_max = 1048576;
static const int mt_interval_min = 100;
static const int mt_interval_max = 3600000;
static const int mt_offenders_min = 4;
static const int mt_offenders_max = 4096;

module_param_named(mt_fork_warn, mt_warn, int, 0444);
MODULE_PARM_DESC(mt_fork_warn, "Fork-without-exec reports: 0 off, 1 log, 2 log and audit");
module_param_named(mt_fork_grace_ms, mt_grace_ms, int, 0444);
MODULE_PARM_DESC(mt_fork_grace_ms, "Time a child of a multithreaded fork has to exec (ms, 0: report at fork)");
module_param_named(mt_fork_max_tracked, mt_max_tracked, int, 0444);
MODULE_PARM_DESC(mt_fork_max_tracked, "Largest number of children tracked at once");
module_param_named(mt_fork_interval_ms, mt_interval_ms, int, 0444);
MODULE_PARM_DESC(mt_fork_interval_ms, "Further reports about an offender are summed up over this interval (ms)");
module_param_named(mt_fork_max_offenders, mt_max_offenders, int, 0444);
MODULE_PARM_DESC(mt_fork_max_offenders, "Size of the table of offenders");

enum mt_outcome {
	MT_EXITED,		/* exited without exec, @exit_code valid */
	MT_RUNNING,		/* still running when the grace period ended */
	MT_AT_FORK,		/* grace period 0: reported at fork */
};

/**
 * struct mt_child - one tracking slot
 * @hnode:     in mt.hash, keyed by @pid, while on mt.tracked
 * @lnode:     in mt.free, mt.tracked, mt.done or a work item's batch
 * @fork_ns:   ktime_get_ns() at fork
 * @pstart:    start_time of the parent's thread group leader: with @ppid,
 *             the parent's identity, safe from pid reuse
 * @cgrp_id:   the child's cgroup v2 directory at fork
 * @pid:       the child
 * @ppid:      the forking process (tgid)
 * @threads:   the forking process's live threads at fork
 * @exit_code: task->exit_code of the child, for MT_EXITED
 * @outcome:   why it is reported
 * @comm:      the forking thread's name
 *
 * Slots hold no reference to anything, so that probes never have to drop
 * one: the work item looks the cgroup and the parent up again by id.
 */
struct mt_child {
	struct hlist_node hnode;
	struct list_head lnode;
	u64 fork_ns;
	u64 pstart;
	u64 cgrp_id;
	pid_t pid;
	pid_t ppid;
	int threads;
	int exit_code;
	enum mt_outcome outcome;
	char comm[TASK_COMM_LEN];
};

/*
 * Slot lists and the hash.  mt.lock is raw because probes take it with
 * preemption disabled; it is held for a few list operations at a time (the
 * work item moves at most MT_BATCH slots per hold).  No interrupt handler
 * takes it.
 */
static struct {
	raw_spinlock_t lock;
	struct list_head free;
	struct list_head tracked;	/* fork order, so deadline order too */
	struct list_head done;		/* to be reported */
	struct mt_child *slots;
	struct hlist_head *hash;
	unsigned int hash_bits;
	unsigned int nr_used;		/* tracked, done or being reported */
	bool active;			/* work items may be queued */
} mt = {
	.lock		= __RAW_SPIN_LOCK_UNLOCKED(mt.lock),
	.free		= LIST_HEAD_INIT(mt.free),
	.tracked	= LIST_HEAD_INIT(mt.tracked),
	.done		= LIST_HEAD_INIT(mt.done),
};

/* A pool of slots and its hash, allocated before they are installed. */
struct mt_pool {
	struct mt_child *slots;
	struct hlist_head *hash;
	unsigned int nr;
	unsigned int bits;
};

/**
 * struct mt_offender - a program that forks from threads without exec
 * @used:     the entry is in use
 * @open:     an interval is open: further children are only counted
 * @interval_ms: its length
 * @cgrp_id:  with @comm, the key: the children's cgroup
 * @comm:     the forking thread's name
 * @cgrp:     @cgrp_id's path when the entry was made (kmalloc'ed, or NULL)
 * @exe:      the executable of the first parent whose one could be read
 *            (kmalloc'ed, or NULL)
 * @count:    children reported (named, summed up or held back)
 * @first:    wall clock of the first report, seconds
 * @last:     and of the latest one
 * @last_ns:  ktime_get_ns() of the latest one: the eviction order
 * @ppid:     the parent of the latest child
 * @end:      jiffies when the open interval ends
 * @exited:   children counted in the open interval that exited
 * @running:  and that were still running
 */
struct mt_offender {
	bool used;
	bool open;
	unsigned int interval_ms;
	u64 cgrp_id;
	char comm[TASK_COMM_LEN];
	char *cgrp;
	char *exe;
	u64 count;
	time64_t first;
	time64_t last;
	u64 last_ns;
	pid_t ppid;
	unsigned long end;
	unsigned int exited;
	unsigned int running;
};

/* The table of offenders (see the top of the file). */
static DEFINE_MUTEX(mt_off_mutex);
static struct mt_offender *mt_offs;
static unsigned int mt_offs_nr;
static unsigned int mt_offs_used;
static atomic_long_t mt_offs_evicted;

static char mt_cgrp_buf[PATH_MAX];
static char mt_exe_buf[PATH_MAX];
/* The same, and the parent's name, escaped for the log (fg_log_escape()). */
static char mt_cgrp_log[FG_LOG_PATH_MAX];
static char mt_exe_log[FG_LOG_PATH_MAX];
static char mt_k8s_log[FG_LOG_K8S_MAX];
static char mt_comm_log[FG_LOG_COMM_MAX];
static DEFINE_RATELIMIT_STATE(mt_rs, MT_RL_INTERVAL, MT_RL_BURST);

static atomic_long_t mt_reported;
static atomic_long_t mt_suppressed;
static atomic_long_t mt_exec_in_time;
static atomic_long_t mt_dropped;
static atomic_long_t mt_aggregated;

/* Serialises knob changes, enabling and disabling. */
static DEFINE_MUTEX(mt_mutex);
static bool mt_started;
static struct ctl_table_header *mt_sysctl_hdr;

static struct workqueue_struct *mt_wq;
static void mt_work_fn(struct work_struct *work);
static DECLARE_WORK(mt_done_work, mt_work_fn);
static DECLARE_DELAYED_WORK(mt_grace_work, mt_work_fn);
static DECLARE_DELAYED_WORK(mt_agg_work, mt_work_fn);

/* ---- probes ---------------------------------------------------------- */

static struct hlist_head *mt_bucket(pid_t pid)
{
	return &mt.hash[hash_32((u32)pid, mt.hash_bits)];
}

static struct mt_child *mt_lookup(pid_t pid)
{
	struct mt_child *c;

	lockdep_assert_held(&mt.lock);
	hlist_for_each_entry(c, mt_bucket(pid), hnode)
		if (c->pid == pid)
			return c;
	return NULL;
}

/*
 * Lockless peek before taking mt.lock on every exec and exit in the system.
 * It cannot miss a slot of the task itself: the slot was inserted by the
 * parent before wake_up_new_task(), which orders it before anything the
 * child does.
 */
static bool mt_maybe_tracked(pid_t pid)
{
	return !hlist_empty(mt_bucket(pid));
}

/*
 * Called with mt.lock held.  If true, the caller queues mt_done_work after
 * unlocking: probes may queue work without checking mt.active, because
 * mt_stop() detaches and waits for them before it clears it.
 */
static bool mt_add_done(struct mt_child *c)
{
	bool first = list_empty(&mt.done);

	list_move_tail(&c->lnode, &mt.done);
	return first;
}

static void mt_fill(struct mt_child *c, struct task_struct *parent,
		    struct task_struct *child, int threads, u64 cgrp_id)
{
	c->fork_ns = ktime_get_ns();
	c->pstart = parent->group_leader->start_time;
	c->cgrp_id = cgrp_id;
	c->pid = child->pid;
	c->ppid = parent->tgid;
	c->threads = threads;
	c->exit_code = 0;
	c->outcome = MT_AT_FORK;
	strscpy_pad(c->comm, parent->comm, sizeof(c->comm));
}

static void mt_track(struct task_struct *parent, struct task_struct *child,
		     int threads, u64 cgrp_id)
{
	struct mt_child *c;
	bool kick = false;
	unsigned int grace;

	raw_spin_lock(&mt.lock);
	grace = READ_ONCE(mt_grace_ms);
	c = list_first_entry_or_null(&mt.free, struct mt_child, lnode);
	if (!c) {
		raw_spin_unlock(&mt.lock);
		atomic_long_inc(&mt_dropped);
		return;
	}
	WRITE_ONCE(mt.nr_used, mt.nr_used + 1);
	mt_fill(c, parent, child, threads, cgrp_id);
	if (grace) {
		hlist_add_head(&c->hnode, mt_bucket(c->pid));
		list_move_tail(&c->lnode, &mt.tracked);
		/*
		 * The grace work is armed when the tracked list becomes
		 * non-empty, then re-arms itself for the oldest deadline.
		 * Every arming is done under mt.lock, with the grace period
		 * read under it: so none can come after a change of the grace
		 * period (see mt_apply()) with a stale, later deadline.
		 */
		if (list_is_singular(&mt.tracked))
			queue_delayed_work(mt_wq, &mt_grace_work,
					   msecs_to_jiffies(grace) + 1);
	} else {
		kick = mt_add_done(c);
	}
	raw_spin_unlock(&mt.lock);
	if (kick)
		queue_work(mt_wq, &mt_done_work);
}

/* The policy override of the child's cgroup; its id on the way. */
static bool mt_cgroup_wants(struct task_struct *child, u64 *cgrp_id)
{
	struct cgroup *cgrp;
	bool on;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(child);
	on = fg_policy_mt_warn(cgrp) != FG_MT_OFF;
	*cgrp_id = cgroup_id(cgrp);
	rcu_read_unlock();
	return on;
}

/* Runs in the parent, for every new process and thread. */
static void mt_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	u64 cgrp_id;
	int threads;

	/*
	 * A thread, or a CLONE_VM child (vfork, posix_spawn, Go's exec),
	 * shares the parent's memory instead of a frozen copy of it.  Kernel
	 * threads have no locks of user space to copy.
	 */
	if (!thread_group_leader(child) || child->mm == parent->mm ||
	    (parent->flags & PF_KTHREAD))
		return;
	/*
	 * Threads of the parent that have not begun to exit: the ones that
	 * may hold a lock.  A thread created or exiting during this fork may
	 * or may not be counted; either answer was true at some instant.
	 */
	threads = atomic_read(&parent->signal->live);
	if (threads <= 1)
		return;
	if (!mt_cgroup_wants(child, &cgrp_id))
		return;
	mt_track(parent, child, threads, cgrp_id);
}

static void mt_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			  struct linux_binprm *bprm)
{
	struct mt_child *c;

	if (!mt_maybe_tracked(p->tgid))
		return;
	raw_spin_lock(&mt.lock);
	c = mt_lookup(p->tgid);
	if (c) {
		hlist_del_init(&c->hnode);
		list_move(&c->lnode, &mt.free);
		WRITE_ONCE(mt.nr_used, mt.nr_used - 1);
	}
	raw_spin_unlock(&mt.lock);
	if (c)
		atomic_long_inc(&mt_exec_in_time);
}

/* What wait() will report for the child (see wait_task_zombie()). */
static int mt_exit_code(struct task_struct *p)
{
	const struct signal_struct *sig = p->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT)
		return sig->group_exit_code;
	return p->group_leader->exit_code;
}

static void mt_probe_exit(void *data, struct task_struct *p)
{
	struct mt_child *c;
	bool kick = false;

	/*
	 * Only when the whole child is gone: signal->live was decremented
	 * before this tracepoint, so it is 0 for the last thread to exit (and
	 * perhaps for others racing with it: the first one to take the lock
	 * wins), and every thread's exit code is set.
	 */
	if (atomic_read(&p->signal->live) || !mt_maybe_tracked(p->tgid))
		return;
	raw_spin_lock(&mt.lock);
	c = mt_lookup(p->tgid);
	if (c) {
		hlist_del_init(&c->hnode);
		c->outcome = MT_EXITED;
		c->exit_code = mt_exit_code(p);
		kick = mt_add_done(c);
	}
	raw_spin_unlock(&mt.lock);
	if (kick)
		queue_work(mt_wq, &mt_done_work);
}

/* ---- reports --------------------------------------------------------- */

static const char *mt_cgroup_path(u64 id, char *buf, size_t len)
{
	struct cgroup *cgrp = cgroup_get_from_id(id);
	int ret;

	if (IS_ERR_OR_NULL(cgrp)) {
		snprintf(buf, len, "(removed, id %llu)", id);
		return buf;
	}
	ret = cgroup_path(cgrp, buf, len);
	cgroup_put(cgrp);
	if (ret < 0 || ret >= len)
		snprintf(buf, len, "(id %llu)", id);
	return buf;
}

static struct file *mt_task_exe_file(struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	struct file *file;

	if (!mm)
		return NULL;
	rcu_read_lock();
	file = fg_get_file_rcu(&mm->exe_file);
	rcu_read_unlock();
	mmput(mm);
	return file;
}

/*
 * The executable of the parent, if it is still running: it is looked up
 * here rather than at fork, where taking a reference would mean dropping it
 * in a probe when the child execs.  NULL if the parent is gone.
 */
static const char *mt_exe_path(pid_t ppid, u64 pstart, char *buf, size_t len)
{
	struct task_struct *task = NULL;
	struct file *file = NULL;
	struct pid *pid;
	char *path;

	pid = find_get_pid(ppid);
	if (pid) {
		task = get_pid_task(pid, PIDTYPE_TGID);
		put_pid(pid);
	}
	if (task) {
		if (task->start_time == pstart)
			file = mt_task_exe_file(task);
		put_task_struct(task);
	}
	if (!file)
		return NULL;
	path = d_path(&file->f_path, buf, len);
	fput(file);
	return IS_ERR(path) ? NULL : path;
}

static void mt_describe(const struct mt_child *c, u64 ms, char *buf,
			size_t len)
{
	int code = c->exit_code;

	switch (c->outcome) {
	case MT_EXITED:
		if (!(code & 0x7f))
			snprintf(buf, len, "exited with status %d after %llu ms without exec",
				 (code >> 8) & 0xff, ms);
		else
			snprintf(buf, len, "was killed by signal %d%s after %llu ms without exec",
				 code & 0x7f, code & 0x80 ? " (core dumped)" : "", ms);
		break;
	case MT_RUNNING:
		snprintf(buf, len, "is still running without exec after %llu ms", ms);
		break;
	case MT_AT_FORK:
		strscpy(buf, "was forked (mt_fork_grace_ms is 0: not waiting for exec)", len);
		break;
	}
}

static const char * const mt_outcome_names[] = {
	[MT_EXITED]	= "exited",
	[MT_RUNNING]	= "running",
	[MT_AT_FORK]	= "forked",
};

static void mt_audit_child(const struct mt_child *c, u64 ms, const char *cgrp,
			   const char *exe)
{
	struct audit_buffer *ab;
	int code = c->exit_code;

	/* GFP_NOWAIT: never wait for a full audit backlog in the work item. */
	ab = audit_log_start(NULL, GFP_NOWAIT, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=forkgov_mt_fork pid=%d ppid=%d threads=%d",
			 c->pid, c->ppid, c->threads);
	fg_audit_str(ab, "pcomm", c->comm);
	if (c->outcome == MT_EXITED && (code & 0x7f))
		audit_log_format(ab, " outcome=killed signal=%d", code & 0x7f);
	else if (c->outcome == MT_EXITED)
		audit_log_format(ab, " outcome=exited status=%d", (code >> 8) & 0xff);
	else
		audit_log_format(ab, " outcome=%s", mt_outcome_names[c->outcome]);
	audit_log_format(ab, " elapsed_ms=%llu", ms);
	fg_audit_str(ab, "cgroup", cgrp);
	fg_audit_k8s(ab, cgrp);
	if (exe)
		fg_audit_str(ab, "exe", exe);
	audit_log_end(ab);
}

/* forkgov:mt_fork, with the outcome as the audit record has it. */
static void mt_trace(const struct mt_child *c, u64 ms)
{
	int code = c->exit_code;

	if (c->outcome == MT_EXITED && (code & 0x7f))
		fg_trace_mt_fork(c->ppid, c->comm, c->threads, c->pid,
				 c->cgrp_id, "killed", code & 0x7f, ms);
	else if (c->outcome == MT_EXITED)
		fg_trace_mt_fork(c->ppid, c->comm, c->threads, c->pid,
				 c->cgrp_id, "exited", (code >> 8) & 0xff, ms);
	else
		fg_trace_mt_fork(c->ppid, c->comm, c->threads, c->pid,
				 c->cgrp_id, mt_outcome_names[c->outcome], 0,
				 ms);
}

/* The child's cgroup path and its parent's executable (NULL if gone). */
static void mt_paths(const struct mt_child *c, const char **cgrp,
		     const char **exe)
{
	*cgrp = mt_cgroup_path(c->cgrp_id, mt_cgrp_buf, sizeof(mt_cgrp_buf));
	*exe = mt_exe_path(c->ppid, c->pstart, mt_exe_buf, sizeof(mt_exe_buf));
}

static void mt_emit(const struct mt_child *c, u64 ms, const char *cgrp,
		    const char *exe)
{
	char what[80];

	mt_describe(c, ms, what, sizeof(what));
	pr_warn("mt-fork: child %d of %s[%d] (%d threads at fork) %s; cgroup %s%s%s%s\n",
		c->pid, fg_log_escape(mt_comm_log, FG_LOG_COMM_MAX, c->comm),
		c->ppid, c->threads, what,
		fg_log_escape(mt_cgrp_log, FG_LOG_PATH_MAX, cgrp),
		fg_k8s_log(mt_k8s_log, sizeof(mt_k8s_log), cgrp),
		exe ? "; exe " : "",
		exe ? fg_log_escape(mt_exe_log, FG_LOG_PATH_MAX, exe) : "");
	mt_trace(c, ms);
}

/* ---- offenders -------------------------------------------------------- */

static struct mt_offender *mt_off_find(const struct mt_child *c)
{
	struct mt_offender *o;

	lockdep_assert_held(&mt_off_mutex);
	for (o = mt_offs; o < mt_offs + mt_offs_nr; o++)
		if (o->used && o->cgrp_id == c->cgrp_id &&
		    !memcmp(o->comm, c->comm, sizeof(o->comm)))
			return o;
	return NULL;
}

/* Closes @o's interval; one line for the children counted in it, if any. */
static void mt_off_summary(struct mt_offender *o)
{
	unsigned int more = o->exited + o->running;

	o->open = false;
	if (!more)
		return;
	pr_warn("mt-fork: %s[%d]: %u more children without exec within %u ms (%u exited, %u running); cgroup %s%s\n",
		fg_log_escape(mt_comm_log, FG_LOG_COMM_MAX, o->comm), o->ppid,
		more, o->interval_ms, o->exited, o->running,
		o->cgrp ? fg_log_escape(mt_cgrp_log, FG_LOG_PATH_MAX, o->cgrp) :
		"?",
		o->cgrp ? fg_k8s_log(mt_k8s_log, sizeof(mt_k8s_log), o->cgrp) :
		"");
	o->exited = 0;
	o->running = 0;
}

static void mt_off_clear(struct mt_offender *o)
{
	kfree(o->cgrp);
	kfree(o->exe);
	memset(o, 0, sizeof(*o));
}

/*
 * An entry for a new offender: a free one, else the least recently seen,
 * whose open interval is summed up before it goes.
 */
static struct mt_offender *mt_off_slot(void)
{
	struct mt_offender *o, *lru = NULL;

	for (o = mt_offs; o < mt_offs + mt_offs_nr; o++) {
		if (!o->used)
			return o;
		if (!lru || o->last_ns < lru->last_ns)
			lru = o;
	}
	mt_off_summary(lru);
	mt_off_clear(lru);
	WRITE_ONCE(mt_offs_used, mt_offs_used - 1);
	atomic_long_inc(&mt_offs_evicted);
	return lru;
}

static struct mt_offender *mt_off_get(const struct mt_child *c)
{
	struct mt_offender *o = mt_off_find(c);
	const char *cgrp;

	if (o)
		return o;
	o = mt_off_slot();
	o->used = true;
	o->cgrp_id = c->cgrp_id;
	memcpy(o->comm, c->comm, sizeof(o->comm));
	cgrp = mt_cgroup_path(c->cgrp_id, mt_cgrp_buf, sizeof(mt_cgrp_buf));
	/* Without memory the table shows the id only; nothing else changes. */
	o->cgrp = kstrdup(cgrp, GFP_KERNEL);
	o->first = ktime_get_real_seconds();
	WRITE_ONCE(mt_offs_used, mt_offs_used + 1);
	return o;
}

static void mt_off_open(struct mt_offender *o)
{
	o->open = true;
	o->interval_ms = READ_ONCE(mt_interval_ms);
	o->end = jiffies + msecs_to_jiffies(o->interval_ms);
}

/*
 * Every child counts in its offender's entry.  The first report of an
 * interval names the child, if the global rate limit lets it; the others
 * are summed up when the interval closes.  With mt_fork_warn at 2 each
 * child is also an audit record: audit consumers want every event, and the
 * audit subsystem has a rate limit and a backlog of its own.
 */
static void mt_report(const struct mt_child *c, u64 now)
{
	u64 ms = div_u64(now - c->fork_ns, NSEC_PER_MSEC);
	bool audit = READ_ONCE(mt_warn) == MT_AUDIT;
	const char *cgrp = NULL, *exe = NULL;
	struct mt_offender *o;

	mutex_lock(&mt_off_mutex);
	o = mt_off_get(c);
	o->count++;
	o->last = ktime_get_real_seconds();
	o->last_ns = now;
	o->ppid = c->ppid;
	if (audit || !o->exe || !o->open)
		mt_paths(c, &cgrp, &exe);
	if (o->open) {
		if (c->outcome == MT_EXITED)
			o->exited++;
		else
			o->running++;
		atomic_long_inc(&mt_aggregated);
	} else if (__ratelimit(&mt_rs)) {
		/* Counted first: whoever sees the line sees it counted. */
		atomic_long_inc(&mt_reported);
		mt_emit(c, ms, cgrp, exe);
		mt_off_open(o);
	} else {
		atomic_long_inc(&mt_suppressed);
	}
	if (audit)
		mt_audit_child(c, ms, cgrp, exe);
	if (exe && !o->exe)
		o->exe = kstrdup(exe, GFP_KERNEL);
	mutex_unlock(&mt_off_mutex);
}

static void mt_off_expire(void)
{
	struct mt_offender *o;

	mutex_lock(&mt_off_mutex);
	for (o = mt_offs; o < mt_offs + mt_offs_nr; o++)
		if (o->open && time_after_eq(jiffies, o->end))
			mt_off_summary(o);
	mutex_unlock(&mt_off_mutex);
}

/* The earliest end of an open interval, if there is one. */
static bool mt_off_next(unsigned long *end)
{
	struct mt_offender *o;
	bool found = false;

	mutex_lock(&mt_off_mutex);
	for (o = mt_offs; o < mt_offs + mt_offs_nr; o++) {
		if (!o->open || (found && !time_before(o->end, *end)))
			continue;
		*end = o->end;
		found = true;
	}
	mutex_unlock(&mt_off_mutex);
	return found;
}

/* Turned off: open intervals are dropped, unprinted; the counts stay. */
static void mt_off_close_all(void)
{
	struct mt_offender *o;

	mutex_lock(&mt_off_mutex);
	for (o = mt_offs; o < mt_offs + mt_offs_nr; o++) {
		o->open = false;
		o->exited = 0;
		o->running = 0;
	}
	mutex_unlock(&mt_off_mutex);
}

/* A new, empty table of @nr entries (0: none); the old one is freed. */
static int mt_off_resize(unsigned int nr)
{
	struct mt_offender *new, *old;
	unsigned int i, old_nr;

	new = nr ? kvcalloc(nr, sizeof(*new), GFP_KERNEL) : NULL;
	if (nr && !new)
		return -ENOMEM;
	mutex_lock(&mt_off_mutex);
	old = mt_offs;
	old_nr = mt_offs_nr;
	mt_offs = new;
	mt_offs_nr = nr;
	WRITE_ONCE(mt_offs_used, 0);
	mutex_unlock(&mt_off_mutex);
	for (i = 0; i < old_nr; i++)
		mt_off_clear(&old[i]);
	kvfree(old);
	return 0;
}

/* Reports the slots of @batch, then frees them; @batch ends empty. */
static void mt_report_batch(struct list_head *batch)
{
	u64 now = ktime_get_ns();
	struct mt_child *c;
	unsigned int n = 0;

	list_for_each_entry(c, batch, lnode) {
		mt_report(c, now);
		n++;
		cond_resched();
	}
	if (!n)
		return;
	raw_spin_lock(&mt.lock);
	list_splice_init(batch, &mt.free);
	WARN_ON_ONCE(mt.nr_used < n);
	WRITE_ONCE(mt.nr_used, mt.nr_used - n);
	raw_spin_unlock(&mt.lock);
}

static void mt_report_done(void)
{
	LIST_HEAD(batch);

	raw_spin_lock(&mt.lock);
	list_splice_init(&mt.done, &batch);
	raw_spin_unlock(&mt.lock);
	mt_report_batch(&batch);
}

/* Moves up to MT_BATCH slots whose grace period is over to @batch. */
static unsigned int mt_take_expired(struct list_head *batch)
{
	u64 grace_ns = (u64)READ_ONCE(mt_grace_ms) * NSEC_PER_MSEC;
	u64 now = ktime_get_ns();
	struct mt_child *c, *tmp;
	unsigned int n = 0;

	raw_spin_lock(&mt.lock);
	list_for_each_entry_safe(c, tmp, &mt.tracked, lnode) {
		if (n == MT_BATCH || now - c->fork_ns < grace_ns)
			break;
		hlist_del_init(&c->hnode);
		c->outcome = MT_RUNNING;
		list_move_tail(&c->lnode, batch);
		n++;
	}
	raw_spin_unlock(&mt.lock);
	return n;
}

static void mt_report_expired(void)
{
	LIST_HEAD(batch);
	unsigned int n;

	do {
		n = mt_take_expired(&batch);
		mt_report_batch(&batch);
	} while (n == MT_BATCH);
}

static unsigned long mt_delay(u64 deadline_ns)
{
	u64 now = ktime_get_ns();

	if (deadline_ns <= now)
		return 0;
	return msecs_to_jiffies(div_u64(deadline_ns - now, NSEC_PER_MSEC)) + 1;
}

/*
 * Under mt.lock, so that mt_stop() can forbid it: once mt.active is false,
 * the work items cannot queue each other again.
 */
static void mt_rearm(void)
{
	u64 grace_ns = (u64)READ_ONCE(mt_grace_ms) * NSEC_PER_MSEC;
	unsigned long agg_end = 0;
	bool agg = mt_off_next(&agg_end);
	struct mt_child *c;

	raw_spin_lock(&mt.lock);
	c = list_first_entry_or_null(&mt.tracked, struct mt_child, lnode);
	if (mt.active && c)
		queue_delayed_work(mt_wq, &mt_grace_work,
				   mt_delay(c->fork_ns + grace_ns));
	if (mt.active && agg)
		queue_delayed_work(mt_wq, &mt_agg_work,
				   time_after(agg_end, jiffies) ?
				   agg_end - jiffies : 0);
	raw_spin_unlock(&mt.lock);
}

/* All three work items: intervals first, so that late children start anew. */
static void mt_work_fn(struct work_struct *work)
{
	mt_off_expire();
	mt_report_done();
	mt_report_expired();
	mt_rearm();
}

/* ---- attaching and detaching ----------------------------------------- */

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} mt_tps[] = {
	/* fork last: a child is tracked only once its exec and exit are seen */
	{ "sched_process_exit", (void *)mt_probe_exit },
	{ "sched_process_exec", (void *)mt_probe_exec },
	{ "sched_process_fork", (void *)mt_probe_fork },
};

static void mt_tp_find(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mt_tps); i++)
		if (!strcmp(tp->name, mt_tps[i].name))
			mt_tps[i].tp = tp;
}

static void mt_detach_probes(int n)
{
	while (n--)
		tracepoint_probe_unregister(mt_tps[n].tp, mt_tps[n].probe, NULL);
	tracepoint_synchronize_unregister();
}

static int mt_attach_probes(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(mt_tps); i++) {
		ret = tracepoint_probe_register(mt_tps[i].tp, mt_tps[i].probe, NULL);
		if (ret) {
			mt_detach_probes(i);
			return ret;
		}
	}
	return 0;
}

static void mt_pool_free(struct mt_pool *pool)
{
	kvfree(pool->slots);
	kvfree(pool->hash);
	pool->slots = NULL;
	pool->hash = NULL;
}

static int mt_pool_alloc(struct mt_pool *pool, unsigned int nr)
{
	pool->nr = nr;
	pool->bits = order_base_2(nr);
	pool->slots = kvcalloc(nr, sizeof(*pool->slots), GFP_KERNEL);
	pool->hash = kvcalloc(1U << pool->bits, sizeof(*pool->hash), GFP_KERNEL);
	if (pool->slots && pool->hash)
		return 0;
	mt_pool_free(pool);
	return -ENOMEM;
}

/* Nothing runs concurrently: no probe is attached and no work is queued. */
static void mt_pool_install(struct mt_pool *pool)
{
	unsigned int i;

	mt.slots = pool->slots;
	mt.hash = pool->hash;
	mt.hash_bits = pool->bits;
	for (i = 0; i < pool->nr; i++)
		list_add_tail(&mt.slots[i].lnode, &mt.free);
	raw_spin_lock(&mt.lock);
	mt.active = true;
	raw_spin_unlock(&mt.lock);
}

static void mt_pool_uninstall(void)
{
	struct mt_pool pool = { .slots = mt.slots, .hash = mt.hash };

	INIT_LIST_HEAD(&mt.free);
	INIT_LIST_HEAD(&mt.tracked);
	INIT_LIST_HEAD(&mt.done);
	mt.slots = NULL;
	mt.hash = NULL;
	WRITE_ONCE(mt.nr_used, 0);
	mt_pool_free(&pool);
}

/* Takes @pool, on failure too.  Called under mt_mutex. */
static int mt_start(struct mt_pool *pool)
{
	int ret;

	mt_pool_install(pool);
	ret = mt_attach_probes();
	if (ret) {
		raw_spin_lock(&mt.lock);
		mt.active = false;
		raw_spin_unlock(&mt.lock);
		mt_pool_uninstall();
		return ret;
	}
	mt_started = true;
	return 0;
}

/*
 * Detach, then wait for running probes; then forbid the work items to
 * queue each other and cancel them.  After that nobody uses a slot, and
 * tracked children are forgotten.  Called under mt_mutex.
 */
static void mt_stop(void)
{
	if (!mt_started)
		return;
	mt_detach_probes(ARRAY_SIZE(mt_tps));
	raw_spin_lock(&mt.lock);
	mt.active = false;
	raw_spin_unlock(&mt.lock);
	cancel_work_sync(&mt_done_work);
	cancel_delayed_work_sync(&mt_grace_work);
	cancel_delayed_work_sync(&mt_agg_work);
	mt_off_close_all();
	mt_pool_uninstall();
	mt_started = false;
}

static int mt_enable(unsigned int nr)
{
	struct mt_pool pool;
	int ret;

	ret = mt_pool_alloc(&pool, nr);
	if (ret)
		return ret;
	return mt_start(&pool);
}

/*
 * A new pool size while on: allocate first, so that a failure changes
 * nothing; tracked children are forgotten.  If attaching again fails the
 * reporter is left off, and says so.
 */
static int mt_resize(unsigned int nr)
{
	struct mt_pool pool;
	int ret;

	ret = mt_pool_alloc(&pool, nr);
	if (ret)
		return ret;
	mt_stop();
	ret = mt_start(&pool);
	if (ret) {
		WRITE_ONCE(mt_warn, MT_OFF);
		pr_warn("mt-fork: cannot attach (%d): mt_fork_warn is now 0\n", ret);
	}
	return ret;
}

/* ---- knobs ------------------------------------------------------------ */

/* A new knob value, already range-checked.  Called under mt_mutex. */
static int mt_apply(int *knob, int val)
{
	int ret = 0;

	if (knob == &mt_warn && !mt_started && val != MT_OFF)
		ret = mt_enable(mt_max_tracked);
	else if (knob == &mt_warn && val == MT_OFF)
		mt_stop();
	else if (knob == &mt_max_tracked && mt_started && val != *knob)
		ret = mt_resize(val);
	else if (knob == &mt_max_offenders && val != *knob)
		ret = mt_off_resize(val);
	if (ret)
		return ret;
	/*
	 * A new grace period: let the work item re-arm for it.  Under mt.lock,
	 * where mt_track() reads it and arms: an arming with the old value
	 * comes before the kick, which overrides it.
	 */
	raw_spin_lock(&mt.lock);
	WRITE_ONCE(*knob, val);
	if (knob == &mt_grace_ms && mt.active)
		mod_delayed_work(mt_wq, &mt_grace_work, 0);
	raw_spin_unlock(&mt.lock);
	return 0;
}

/*
 * One handler for every knob: the value is parsed into a copy and checked
 * against extra1/extra2, and applied under mt_mutex only if that succeeded.
 */
static int mt_sysctl_handler(fg_ctl_table *table, int write, void *buffer,
			     size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	char o[16], n[16];
	int val, old, ret;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&mt_mutex);
	old = READ_ONCE(*(int *)table->data);
	val = old;
	tmp.data = &val;
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!ret && write)
		ret = mt_apply(table->data, val);
	mutex_unlock(&mt_mutex);
	if (!ret && write) {
		snprintf(o, sizeof(o), "%d", old);
		snprintf(n, sizeof(n), "%d", val);
		fg_audit_change("sysctl", table->procname, o, n);
	}
	return ret;
}

#define MT_KNOB(_name, _var, _min, _max) {		\
	.procname	= _name,			\
	.data		= &(_var),			\
	.maxlen		= sizeof(int),			\
	.mode		= 0644,				\
	.proc_handler	= mt_sysctl_handler,		\
	.extra1		= (void *)(_min),		\
	.extra2		= (void *)(_max),		\
}

static struct ctl_table mt_sysctls[] = {
	MT_KNOB("mt_fork_warn", mt_warn, SYSCTL_ZERO, SYSCTL_TWO),
	MT_KNOB("mt_fork_grace_ms", mt_grace_ms, SYSCTL_ZERO, &mt_grace_max),
	MT_KNOB("mt_fork_max_tracked", mt_max_tracked,
		&mt_tracked_min, &mt_tracked_max),
	MT_KNOB("mt_fork_interval_ms", mt_interval_ms,
		&mt_interval_min, &mt_interval_max),
	MT_KNOB("mt_fork_max_offenders", mt_max_offenders,
		&mt_offenders_min, &mt_offenders_max),
	FG_CTL_TABLE_END
};

/* ---- interface to the rest of forkgov --------------------------------- */

void fg_mt_stats_show(struct seq_file *m)
{
	seq_printf(m, "mt_tracked %u\n", READ_ONCE(mt.nr_used));
	seq_printf(m, "mt_reported %ld\n", atomic_long_read(&mt_reported));
	seq_printf(m, "mt_suppressed %ld\n", atomic_long_read(&mt_suppressed));
	seq_printf(m, "mt_exec_in_time %ld\n", atomic_long_read(&mt_exec_in_time));
	seq_printf(m, "mt_dropped %ld\n", atomic_long_read(&mt_dropped));
	seq_printf(m, "mt_aggregated %ld\n", atomic_long_read(&mt_aggregated));
	seq_printf(m, "mt_offenders %u\n", READ_ONCE(mt_offs_used));
	seq_printf(m, "mt_offenders_evicted %ld\n",
		   atomic_long_read(&mt_offs_evicted));
}

/* ---- /proc/forkgov/mt_offenders ---------------------------------------- */

/**
 * struct mt_show - one open file of the offender table
 * @root:   the cgroup paths are relative to; other readers than the full
 *          view's see only the offenders at or below it
 * @pid_ns: the namespace pids are shown in; NULL: the initial one
 * @full:   the opener had CAP_SYS_ADMIN: every offender, absolute paths
 * @buf:    room for a cgroup path
 */
struct mt_show {
	struct cgroup *root;
	struct pid_namespace *pid_ns;
	bool full;
	char buf[PATH_MAX];
};

/* Under mt_off_mutex, from ->start() to ->stop(); *@pos is a table index. */
static void *mt_show_seek(loff_t *pos)
{
	for (; *pos < mt_offs_nr; ++*pos)
		if (mt_offs[*pos].used)
			return &mt_offs[*pos];
	return NULL;
}

static void *mt_show_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&mt_off_mutex);
	return mt_show_seek(pos);
}

static void *mt_show_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return mt_show_seek(pos);
}

static void mt_show_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&mt_off_mutex);
}

/* Untrusted bytes: all but printable ASCII, and space and backslash, as \ooo. */
static void mt_show_str(struct seq_file *m, const char *str)
{
	seq_escape_mem(m, str, strlen(str),
		       ESCAPE_OCTAL | ESCAPE_NAP | ESCAPE_APPEND, " \\");
}

/*
 * The full view shows the path recorded at the first report, as the log
 * has it.  Others see the offender only if its cgroup still exists at or
 * below their root, with the path relative to it.
 */
static bool mt_show_cgroup(struct seq_file *m, struct mt_show *s,
			   const struct mt_offender *o)
{
	struct cgroup *cgrp;
	int len;

	if (s->full) {
		seq_puts(m, "cgroup=");
		if (o->cgrp)
			mt_show_str(m, o->cgrp);
		else
			seq_putc(m, '?');
		return true;
	}
	cgrp = cgroup_get_from_id(o->cgrp_id);
	if (IS_ERR_OR_NULL(cgrp))
		return false;
	if (!cgroup_is_descendant(cgrp, s->root)) {
		cgroup_put(cgrp);
		return false;
	}
	len = kernfs_path_from_node(cgrp->kn, s->root->kn, s->buf,
				    sizeof(s->buf));
	cgroup_put(cgrp);
	seq_puts(m, "cgroup=");
	if (len < 0 || len >= sizeof(s->buf))
		seq_putc(m, '?');
	else
		mt_show_str(m, s->buf);
	return true;
}

/* The parent's pid as the reader sees it; 0 if it cannot. */
static pid_t mt_show_pid(struct mt_show *s, pid_t nr)
{
	struct pid *pid;

	if (!s->pid_ns)
		return nr;
	rcu_read_lock();
	pid = find_pid_ns(nr, &init_pid_ns);
	nr = pid ? pid_nr_ns(pid, s->pid_ns) : 0;
	rcu_read_unlock();
	return nr;
}

static int mt_show_record(struct seq_file *m, void *v)
{
	const struct mt_offender *o = v;
	struct mt_show *s = m->private;
	size_t start = m->count;
	pid_t pid;

	seq_puts(m, "comm=");
	mt_show_str(m, o->comm);
	seq_putc(m, ' ');
	if (!mt_show_cgroup(m, s, o)) {
		m->count = start;	/* not the reader's to see */
		return 0;
	}
	seq_printf(m, " cgroup_id=%llu count=%llu first=%lld last=%lld",
		   o->cgrp_id, o->count, (long long)o->first,
		   (long long)o->last);
	pid = mt_show_pid(s, o->ppid);
	if (pid)
		seq_printf(m, " pid=%d", pid);
	else
		seq_puts(m, " pid=-");
	/* The executable is a path of the initial mount namespace. */
	seq_puts(m, " exe=");
	if (s->full && o->exe)
		mt_show_str(m, o->exe);
	else
		seq_putc(m, '-');
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations mt_show_ops = {
	.start	= mt_show_start,
	.next	= mt_show_next,
	.stop	= mt_show_stop,
	.show	= mt_show_record,
};

/* The view is fixed at open, as credentials are (see iface.c). */
static int mt_show_open(struct inode *inode, struct file *file)
{
	struct pid_namespace *pid_ns = task_active_pid_ns(current);
	struct mt_show *s;

	s = __seq_open_private(file, &mt_show_ops, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->full = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	if (s->full) {
		s->root = &cgrp_dfl_root.cgrp;
	} else {
		s->root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;
		if (pid_ns != &init_pid_ns)
			s->pid_ns = get_pid_ns(pid_ns);
	}
	cgroup_get(s->root);
	return 0;
}

static int mt_show_release(struct inode *inode, struct file *file)
{
	struct mt_show *s = ((struct seq_file *)file->private_data)->private;

	cgroup_put(s->root);
	if (s->pid_ns)
		put_pid_ns(s->pid_ns);
	return seq_release_private(inode, file);
}

const struct proc_ops fg_mt_offenders_ops = {
	.proc_open	= mt_show_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= mt_show_release,
};

static bool mt_tps_found(void)
{
	int i;

	for_each_kernel_tracepoint(mt_tp_find, NULL);
	for (i = 0; i < ARRAY_SIZE(mt_tps); i++) {
		if (!mt_tps[i].tp) {
			pr_err("mt-fork: no tracepoint %s\n", mt_tps[i].name);
			return false;
		}
	}
	return true;
}

int fg_mt_init(void)
{
	int ret;

	mt_warn = clamp(mt_warn, MT_OFF, MT_AUDIT);
	mt_grace_ms = clamp(mt_grace_ms, 0, mt_grace_max);
	mt_max_tracked = clamp(mt_max_tracked, mt_tracked_min, mt_tracked_max);
	mt_interval_ms = clamp(mt_interval_ms, mt_interval_min, mt_interval_max);
	mt_max_offenders = clamp(mt_max_offenders, mt_offenders_min,
				 mt_offenders_max);
	if (!mt_tps_found())
		return -ENOENT;
	ret = mt_off_resize(mt_max_offenders);
	if (ret)
		return ret;
	/* Suppressed reports are counted in mt_suppressed, not logged. */
	ratelimit_set_flags(&mt_rs, RATELIMIT_MSG_ON_RELEASE);
	mt_wq = alloc_ordered_workqueue("forkgov_mt", 0);
	if (!mt_wq) {
		ret = -ENOMEM;
		goto err_off;
	}
	mutex_lock(&mt_mutex);
	ret = mt_warn ? mt_enable(mt_max_tracked) : 0;
	mutex_unlock(&mt_mutex);
	if (ret)
		goto err_wq;
	mt_sysctl_hdr = register_sysctl(FG_SYSCTL_DIR, mt_sysctls);
	if (!mt_sysctl_hdr) {
		ret = -ENOMEM;
		goto err_stop;
	}
	return 0;

err_stop:
	mutex_lock(&mt_mutex);
	mt_stop();
	mutex_unlock(&mt_mutex);
err_wq:
	destroy_workqueue(mt_wq);
err_off:
	mt_off_resize(0);
	return ret;
}

/* Knobs first, so that nothing can start the reporter again. */
void fg_mt_exit(void)
{
	unregister_sysctl_table(mt_sysctl_hdr);
	mutex_lock(&mt_mutex);
	mt_stop();
	mutex_unlock(&mt_mutex);
	destroy_workqueue(mt_wq);
	mt_off_resize(0);
}
