// SPDX-License-Identifier: GPL-2.0
/*
 * The lineage defence: fork bombs slowed with no policy at all.
 *
 * What a user sees: a chain of forks that never exec (a bash ":(){ :|:& };:",
 * a C or Python recursion of forks) is slowed once it is deep.  A process's
 * generation depth is 0 once it has exec'd; a child's is its parent's + 1
 * when the parent has not exec'd since its own fork.  A fork whose child
 * would be at a depth of kernel.forkgov.lineage_threshold or more is charged
 * to a token bucket of the forking task's cgroup (lineage_rate per second,
 * lineage_burst), with throttle semantics: it waits for a token up to
 * lineage_max_delay_ms, and fails with EAGAIN beyond that.  Orphaning does
 * not reset a depth: it is recorded per process, not read from the parent
 * at fork time.  Shells, make and daemons exec their children, so legitimate
 * chains stay shallow (bench/results/lineage-depth.md).
 *
 * The fork path costs one compare for a task that has exec'd since its
 * fork, and one load while no cgroup is under siege (see below):
 * copy_process() sets parent_exec_id to the parent's self_exec_id,
 * self_exec_id is inherited and exec increments it, so the two are equal
 * exactly while the task has not exec'd (CLONE_PARENT and CLONE_THREAD
 * children copy parent_exec_id too, so that stays true of them).  Only the
 * children of such tasks, at depth 2 or more, get an entry in a bounded
 * table; a task without one that has not exec'd is at depth 1.
 *
 * The table is filled by a sched_process_fork probe and emptied by the exec
 * and exit probes.  It is preallocated: the probes and the hook run with
 * preemption disabled, also on PREEMPT_RT, and only take raw spinlocks.
 * When it is full, a child that cannot be recorded is dropped (counted), and
 * the fork that made it is charged as deep whatever its depth: a bomb that
 * fills the table does not escape, at the price of slowing legitimate
 * non-exec forks of non-exec tasks while it is full.
 *
 * Width: a bomb that forks wide before it forks deep (a C "for (;;) fork()",
 * a bash bomb) makes hundreds of processes at modest depths before any fork
 * is deep enough to be charged.  So each cgroup also has a record counting
 * its processes at depth lineage_width_depth or more that have not exec'd;
 * when lineage_width of them are alive at once, the cgroup is under siege:
 * every fork made in it, also by tasks that exec'd, is charged to its bucket,
 * until fewer than half that number are left.  A record lives while entries
 * of the table point at it, so there are never more records than entries,
 * and the pool of records is as large as the table.
 *
 * One lineage: a cgroup's count must leave room for unrelated jobs side by
 * side, so it is reached late.  A bomb is one family, the descendants of
 * one lineage root, and it is wide at every generation, where a chain has
 * one process per generation.  So each generation of each lineage in a
 * cgroup also has a record (keyed by root, its start time, depth and
 * cgroup), and lineage_root_width processes alive in one generation at
 * lineage_root_depth or deeper put the cgroup under siege too.  Such a
 * record is held by its entries, like a cgroup's, from a pool as large.
 *
 * Under siege, the bucket runs at lineage_siege_rate with lineage_siege_burst
 * (lower than lineage_rate and lineage_burst by default): after the siege
 * begins, a bomb costs the machine mostly the processes it is still allowed
 * to make.  A task whose fork it denies sleeps longer at each denial, from
 * max_delay up to lineage_siege_backoff_ms (backoff.c keeps the steps), so
 * that its processes do not all come back once a second.
 *
 * The buckets are a fixed array hashed by cgroup id: cgroups that collide
 * share a bucket, which only errs towards strictness.
 *
 * kernel.forkgov.lineage: 0 off (no probe, no table entry, no hook for it),
 * 1 log only (counted and reported, never slowed), 2 throttle (default).
 * Chains already running when it is turned on are counted from that moment.
 */
#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "forkgov.h"
#include "parse.h"
#include "trace.h"

#define LIN_OFF		0
#define LIN_LOG		1
#define LIN_THROTTLE	2

/* Buckets of deep forks, hashed by cgroup id. */
#define LIN_BUCKET_BITS	6
/* Counts of besieged cgroups per hash of their id: a lockless first test. */
#define LIN_HINT_BITS	10

static int lin_mode = LIN_THROTTLE;
static int lin_threshold = 24;
static int lin_rate = 10;
static int lin_burst = 20;
static int lin_max_delay_ms = 1000;
static int lin_max_tracked = 16384;
static int lin_width = 32;
static int lin_width_depth = 6;
static int lin_root_width = 8;
static int lin_root_depth = 4;
static int lin_siege_rate = 2;
static int lin_siege_burst = 4;
static int lin_siege_backoff_ms = 8000;

static const int lin_threshold_min = 2;
static const int lin_int_max = 1000000;
static const int lin_delay_max = 600000;
static const int lin_backoff_min = FG_DEFAULT_DENY_DELAY_MS;
static const int lin_backoff_max = 10000;

module_param_named(lineage, lin_mode, int, 0444);
MODULE_PARM_DESC(lineage, "Lineage defence: 0 off, 1 log only, 2 throttle deep non-exec forks");
module_param_named(lineage_threshold, lin_threshold, int, 0444);
MODULE_PARM_DESC(lineage_threshold, "Depth of non-exec forks from which forks are charged");
module_param_named(lineage_rate, lin_rate, int, 0444);
MODULE_PARM_DESC(lineage_rate, "Deep forks per second per cgroup bucket");
module_param_named(lineage_burst, lin_burst, int, 0444);
MODULE_PARM_DESC(lineage_burst, "Deep forks a cgroup bucket holds");
module_param_named(lineage_max_delay_ms, lin_max_delay_ms, int, 0444);
MODULE_PARM_DESC(lineage_max_delay_ms, "Longest wait of a deep fork before EAGAIN");
module_param_named(lineage_max_tracked, lin_max_tracked, int, 0444);
MODULE_PARM_DESC(lineage_max_tracked, "Entries of the lineage table (processes at depth >= 2)");
module_param_named(lineage_width, lin_width, int, 0444);
MODULE_PARM_DESC(lineage_width, "Processes at lineage_width_depth or more that put a cgroup under siege (0: never)");
module_param_named(lineage_width_depth, lin_width_depth, int, 0444);
MODULE_PARM_DESC(lineage_width_depth, "Depth from which processes count towards lineage_width");
module_param_named(lineage_root_width, lin_root_width, int, 0444);
MODULE_PARM_DESC(lineage_root_width, "Processes of one lineage at lineage_root_depth or more that put its cgroup under siege (0: never)");
module_param_named(lineage_root_depth, lin_root_depth, int, 0444);
MODULE_PARM_DESC(lineage_root_depth, "Depth from which processes count towards lineage_root_width");
module_param_named(lineage_siege_rate, lin_siege_rate, int, 0444);
MODULE_PARM_DESC(lineage_siege_rate, "Forks per second of a cgroup bucket while its cgroup is under siege");
module_param_named(lineage_siege_burst, lin_siege_burst, int, 0444);
MODULE_PARM_DESC(lineage_siege_burst, "Forks a cgroup bucket holds while its cgroup is under siege");
module_param_named(lineage_siege_backoff_ms, lin_siege_backoff_ms, int, 0444);
MODULE_PARM_DESC(lineage_siege_backoff_ms, "Ceiling of the back-off of a task whose forks are denied under siege");

/**
 * struct lin_cg - the record of a cgroup in which entries were made
 * @node:   in lin.cg_hash keyed by @cgid, or on lin.cg_free
 * @cgid:   the cgroup
 * @refs:   entries that point here
 * @wide:   of those, the ones that count towards lineage_width
 * @hot:    its lineages that reached lineage_root_width
 * @siege:  every fork in the cgroup is charged
 */
struct lin_cg {
	struct hlist_node node;
	u64 cgid;
	u32 refs;
	u32 wide;
	u32 hot;
	bool siege;
};

/**
 * struct lin_root - one generation of one lineage in one cgroup
 * @node:  in lin.root_hash, or on lin.root_free
 * @tgid:  the lineage root: the first process of the chain without exec
 * @start: its start time, so that a reused pid is another lineage
 * @depth: the generation
 * @cg:    the record of the cgroup; the entries that point here hold it
 * @refs:  entries that point here
 * @wide:  @refs if @depth is lineage_root_depth or more, else 0
 * @hot:   @wide reached lineage_root_width, and has not yet fallen below
 *         half of it: @cg is under siege
 *
 * A chain, however deep, has one process per generation; a bomb has many.
 */
struct lin_root {
	struct hlist_node node;
	pid_t tgid;
	u32 depth;
	u64 start;
	struct lin_cg *cg;
	u32 refs;
	u32 wide;
	bool hot;
};

/**
 * struct lin_entry - a process at depth 2 or more that has not exec'd
 * @node:      in lin.hash keyed by @tgid, or on lin.free
 * @tgid:      the process
 * @depth:     its generation depth
 * @wide:      it counts in @cg->wide
 * @rwide:     it counts in @rt->wide
 * @root:      the first task of its chain that had not exec'd (depth 1)
 * @root_start: that task's start time
 * @cg:        the record of the cgroup it was made in
 * @rt:        the record of its lineage in that cgroup
 * @root_comm: that task's name at the time
 */
struct lin_entry {
	struct hlist_node node;
	pid_t tgid;
	u32 depth;
	bool wide;
	bool rwide;
	pid_t root;
	u64 root_start;
	struct lin_cg *cg;
	struct lin_root *rt;
	char root_comm[TASK_COMM_LEN];
};

/*
 * The table.  lin.lock is raw: probes and the hook take it with preemption
 * disabled.  It is taken only for processes that have not exec'd, and held
 * for one lookup and one insertion or removal.
 */
static struct {
	raw_spinlock_t lock;
	struct hlist_head free;
	struct hlist_head *hash;
	struct lin_entry *entries;
	struct hlist_head cg_free;
	struct hlist_head *cg_hash;
	struct lin_cg *cgs;
	struct hlist_head root_free;
	struct hlist_head *root_hash;
	struct lin_root *roots;
	unsigned int bits;
	unsigned int nr;
	bool attached;
} lin = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(lin.lock),
};

struct lin_bucket {
	raw_spinlock_t lock;
	struct fg_gcra gcra;
};

static struct lin_bucket lin_buckets[1 << LIN_BUCKET_BITS];

static atomic_long_t lin_charged;
static atomic_long_t lin_throttled;
static atomic_long_t lin_denied;
static atomic_long_t lin_dropped;
static atomic_long_t lin_sieges;
static atomic_t lin_max_depth;
/* The most wide processes one cgroup had at once: how near a siege came. */
static u32 lin_peak_wide;
/* The same for one lineage, against lineage_root_width. */
static u32 lin_peak_root_wide;

/*
 * Cgroups under siege: in all (read on the fork path of every task, see
 * lineage.h) and per hash of their id, so that a fork outside them does
 * not take lin.lock.  Written under lin.lock.
 */
unsigned int fg_lineage_nsieged;
static u16 lin_siege_hint[1 << LIN_HINT_BITS];

/*
 * Why a fork was charged: its depth, or its cgroup's siege; and why a
 * siege began: the cgroup's width (siege), or one lineage's (lineage).
 */
static const char lin_why_deep[] = "deep";
static const char lin_why_siege[] = "siege";
static const char lin_why_lineage[] = "lineage";

/*
 * The last report of each kind let through by its rate limit, logged by a
 * work item: forks charged, and cgroups that came under siege.
 */
enum { LIN_REP_FORK, LIN_REP_SIEGE, LIN_NR_REP };

struct lin_report {
	pid_t pid;
	pid_t root;
	u32 depth;
	u32 wide;
	u64 cgid;
	const char *why;
	const char *what;
	bool full;
	char comm[TASK_COMM_LEN];
	char root_comm[TASK_COMM_LEN];
};

static DEFINE_RAW_SPINLOCK(lin_report_lock);
static struct lin_report lin_pending[LIN_NR_REP];
static struct ratelimit_state lin_rs[LIN_NR_REP];
static atomic_long_t lin_suppressed[LIN_NR_REP];
static void lin_report_fn(struct work_struct *work);
static DECLARE_WORK(lin_report_work, lin_report_fn);

static DEFINE_MUTEX(lin_mutex);
static struct ctl_table_header *lin_sysctl_hdr;

/* ---- the table ------------------------------------------------------- */

static struct hlist_head *lin_head(pid_t tgid)
{
	return &lin.hash[hash_32((u32)tgid, lin.bits)];
}

static struct lin_entry *lin_lookup(pid_t tgid)
{
	struct lin_entry *e;

	lockdep_assert_held(&lin.lock);
	hlist_for_each_entry(e, lin_head(tgid), node)
		if (e->tgid == tgid)
			return e;
	return NULL;
}

/* Has @t not exec'd since its fork?  See the top of the file. */
static bool lin_no_exec(const struct task_struct *t)
{
	return READ_ONCE(t->self_exec_id) == READ_ONCE(t->parent_exec_id);
}

static void lin_note_depth(u32 depth)
{
	int old = atomic_read(&lin_max_depth);

	/* Racy but monotonic: a lost update is retried with the new maximum. */
	while ((int)depth > old) {
		if (atomic_try_cmpxchg(&lin_max_depth, &old, depth))
			break;
	}
}

static struct hlist_head *lin_cg_head(u64 cgid)
{
	return &lin.cg_hash[hash_64(cgid, lin.bits)];
}

static struct lin_cg *lin_cg_lookup(u64 cgid)
{
	struct lin_cg *c;

	lockdep_assert_held(&lin.lock);
	hlist_for_each_entry(c, lin_cg_head(cgid), node)
		if (c->cgid == cgid)
			return c;
	return NULL;
}

/* A reference to the record of @cgid, made if need be. */
static struct lin_cg *lin_cg_get(u64 cgid)
{
	struct lin_cg *c = lin_cg_lookup(cgid);

	if (!c) {
		/* Never empty while an entry is free: see the top. */
		c = hlist_entry_safe(lin.cg_free.first, struct lin_cg, node);
		if (!c)
			return NULL;
		hlist_del(&c->node);
		c->cgid = cgid;
		c->refs = 0;
		c->wide = 0;
		c->hot = 0;
		c->siege = false;
		hlist_add_head(&c->node, lin_cg_head(cgid));
	}
	c->refs++;
	return c;
}

static u16 *lin_hint(u64 cgid)
{
	return &lin_siege_hint[hash_64(cgid, LIN_HINT_BITS)];
}

static void lin_siege_set(struct lin_cg *c, bool on)
{
	u16 *hint = lin_hint(c->cgid);
	int delta = on ? 1 : -1;

	lockdep_assert_held(&lin.lock);
	c->siege = on;
	WRITE_ONCE(*hint, *hint + delta);
	WRITE_ONCE(fg_lineage_nsieged, fg_lineage_nsieged + delta);
}

/*
 * Judge @c again after its count of wide processes, its count of hot
 * lineages or lineage_width changed.  A siege begins when either rule
 * holds and is lifted when neither holds even at half its width.
 * Return: true if a siege begins.
 */
static bool lin_cg_judge(struct lin_cg *c)
{
	u32 width = READ_ONCE(lin_width);

	if (!c->siege && (c->hot || (width && c->wide >= width))) {
		lin_siege_set(c, true);
		return true;
	}
	if (c->siege && !c->hot && (!width || c->wide * 2 < width))
		lin_siege_set(c, false);
	return false;
}

/* Is @r hot, after its count or lineage_root_width changed?  Not judged. */
static void lin_root_heat(struct lin_root *r)
{
	u32 width = READ_ONCE(lin_root_width);

	if (!r->hot && width && r->wide >= width) {
		r->hot = true;
		r->cg->hot++;
	} else if (r->hot && (!width || r->wide * 2 < width)) {
		r->hot = false;
		r->cg->hot--;
	}
}

static struct hlist_head *lin_root_head(pid_t tgid, u64 start, u32 depth,
					u64 cgid)
{
	u64 key = start ^ cgid ^ ((u64)depth << 32 | (u32)tgid);

	return &lin.root_hash[hash_64(key, lin.bits)];
}

/* A reference to the record of a generation in @c, made if need be. */
static struct lin_root *lin_root_get(pid_t tgid, u64 start, u32 depth,
				     struct lin_cg *c)
{
	struct hlist_head *head = lin_root_head(tgid, start, depth, c->cgid);
	struct lin_root *r;

	hlist_for_each_entry(r, head, node)
		if (r->tgid == tgid && r->start == start &&
		    r->depth == depth && r->cg == c)
			goto found;
	/* Never empty while an entry is free, as the records of cgroups. */
	r = hlist_entry_safe(lin.root_free.first, struct lin_root, node);
	if (!r)
		return NULL;
	hlist_del(&r->node);
	r->tgid = tgid;
	r->start = start;
	r->depth = depth;
	r->cg = c;
	r->refs = 0;
	r->wide = 0;
	r->hot = false;
	hlist_add_head(&r->node, head);
found:
	r->refs++;
	return r;
}

/*
 * Drop @e's reference to its lineage's record, before its cgroup's, which
 * the caller judges again.
 */
static void lin_root_put(struct lin_entry *e)
{
	struct lin_root *r = e->rt;

	if (!r)
		return;
	e->rt = NULL;
	if (e->rwide) {
		e->rwide = false;
		r->wide--;
		lin_root_heat(r);
	}
	if (!--r->refs) {
		if (r->hot) {
			r->hot = false;
			r->cg->hot--;
		}
		hlist_del(&r->node);
		hlist_add_head(&r->node, &lin.root_free);
	}
}

/* Drop @e's references to its records, which go back to the pools last. */
static void lin_cg_put(struct lin_entry *e)
{
	struct lin_cg *c = e->cg;

	if (!c)
		return;
	lin_root_put(e);
	e->cg = NULL;
	if (e->wide) {
		e->wide = false;
		c->wide--;
	}
	lin_cg_judge(c);
	if (--c->refs)
		return;
	if (c->siege)
		lin_siege_set(c, false);
	hlist_del(&c->node);
	hlist_add_head(&c->node, &lin.cg_free);
}

/* Is @cgid under siege?  Without lin.lock when its hint says no. */
static bool lin_besieged_locked(u64 cgid)
{
	struct lin_cg *c;

	lockdep_assert_held(&lin.lock);
	if (!READ_ONCE(*lin_hint(cgid)))
		return false;
	c = lin_cg_lookup(cgid);
	return c && c->siege;
}

static bool lin_besieged(u64 cgid)
{
	bool ret;

	if (!READ_ONCE(*lin_hint(cgid)))
		return false;
	raw_spin_lock(&lin.lock);
	ret = lin_besieged_locked(cgid);
	raw_spin_unlock(&lin.lock);
	return ret;
}

static void lin_report(int kind, u32 depth, u32 wide, pid_t root,
		       const char *root_comm, u64 cgid, const char *why,
		       const char *what);

static void lin_remove(pid_t tgid)
{
	struct lin_entry *e;

	/* A lockless peek: most processes that exec or exit have no entry. */
	if (!READ_ONCE(lin.nr) || hlist_empty(lin_head(tgid)))
		return;
	raw_spin_lock(&lin.lock);
	e = lin_lookup(tgid);
	if (e) {
		lin_cg_put(e);
		hlist_del(&e->node);
		hlist_add_head(&e->node, &lin.free);
		WRITE_ONCE(lin.nr, lin.nr - 1);
	}
	raw_spin_unlock(&lin.lock);
}

/* Runs in the forking task, for every new process and thread. */
static void lin_probe_fork(void *data, struct task_struct *parent,
			   struct task_struct *child)
{
	char root_comm[TASK_COMM_LEN];
	struct lin_entry *e, *pe;
	const char *why = lin_why_siege;
	bool siege = false;
	u32 depth, wide = 0, rwide = 0, width;
	u64 cgid, root_start;
	pid_t root;

	if (!thread_group_leader(child) || (parent->flags & PF_KTHREAD) ||
	    !lin_no_exec(parent))
		return;
	rcu_read_lock();
	cgid = cgroup_id(task_dfl_cgroup(child));
	rcu_read_unlock();
	raw_spin_lock(&lin.lock);
	pe = lin_lookup(parent->tgid);
	depth = (pe ? pe->depth : 1) + 1;
	root = pe ? pe->root : parent->tgid;
	/* The probe runs in parent: its group leader stays while it runs. */
	root_start = pe ? pe->root_start : parent->group_leader->start_time;
	e = hlist_entry_safe(lin.free.first, struct lin_entry, node);
	if (e) {
		hlist_del(&e->node);
		e->tgid = child->tgid;
		e->depth = depth;
		e->root = root;
		e->root_start = root_start;
		if (pe)
			memcpy(e->root_comm, pe->root_comm, TASK_COMM_LEN);
		else
			strscpy_pad(e->root_comm, parent->comm, TASK_COMM_LEN);
		e->cg = lin_cg_get(cgid);
		e->rt = e->cg ? lin_root_get(root, root_start, depth, e->cg) :
				NULL;
		e->wide = e->cg && depth >= READ_ONCE(lin_width_depth);
		e->rwide = e->rt && depth >= READ_ONCE(lin_root_depth);
		if (e->wide) {
			wide = ++e->cg->wide;
			if (wide > lin_peak_wide)
				WRITE_ONCE(lin_peak_wide, wide);
		}
		if (e->rwide) {
			rwide = ++e->rt->wide;
			if (rwide > lin_peak_root_wide)
				WRITE_ONCE(lin_peak_root_wide, rwide);
			lin_root_heat(e->rt);
		}
		if (e->wide || e->rwide)
			siege = lin_cg_judge(e->cg);
		if (siege) {
			memcpy(root_comm, e->root_comm, TASK_COMM_LEN);
			/* Which rule: the cgroup's width, or one lineage's. */
			width = READ_ONCE(lin_width);
			if (!width || wide < width) {
				why = lin_why_lineage;
				wide = rwide;
			}
		}
		hlist_add_head(&e->node, lin_head(e->tgid));
		WRITE_ONCE(lin.nr, lin.nr + 1);
	}
	raw_spin_unlock(&lin.lock);
	if (!e)
		atomic_long_inc(&lin_dropped);
	lin_note_depth(depth);
	if (siege) {
		atomic_long_inc(&lin_sieges);
		lin_report(LIN_REP_SIEGE, depth, wide, root, root_comm, cgid,
			   why, "began");
	}
}

static void lin_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	lin_remove(p->tgid);
}

/* Only when the last thread goes (signal->live is already decremented). */
static void lin_probe_exit(void *data, struct task_struct *p)
{
	if (!atomic_read(&p->signal->live))
		lin_remove(p->tgid);
}

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} lin_tps[] = {
	/* fork last: an entry is made only once its removal is seen */
	{ "sched_process_exit", (void *)lin_probe_exit },
	{ "sched_process_exec", (void *)lin_probe_exec },
	{ "sched_process_fork", (void *)lin_probe_fork },
};

static void lin_tp_find(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(lin_tps); i++)
		if (!strcmp(tp->name, lin_tps[i].name))
			lin_tps[i].tp = tp;
}

static void lin_detach(int n)
{
	while (n--)
		tracepoint_probe_unregister(lin_tps[n].tp, lin_tps[n].probe,
					    NULL);
	tracepoint_synchronize_unregister();
}

/* Forget every entry; only while no probe is attached. */
static void lin_table_reset(void)
{
	unsigned int i;

	raw_spin_lock(&lin.lock);
	for (i = 0; i < (1U << lin.bits); i++) {
		INIT_HLIST_HEAD(&lin.hash[i]);
		INIT_HLIST_HEAD(&lin.cg_hash[i]);
		INIT_HLIST_HEAD(&lin.root_hash[i]);
	}
	INIT_HLIST_HEAD(&lin.free);
	INIT_HLIST_HEAD(&lin.cg_free);
	INIT_HLIST_HEAD(&lin.root_free);
	for (i = 0; i < lin_max_tracked; i++) {
		lin.entries[i].cg = NULL;
		lin.entries[i].rt = NULL;
		lin.entries[i].wide = false;
		lin.entries[i].rwide = false;
		hlist_add_head(&lin.entries[i].node, &lin.free);
		hlist_add_head(&lin.cgs[i].node, &lin.cg_free);
		hlist_add_head(&lin.roots[i].node, &lin.root_free);
	}
	for (i = 0; i < ARRAY_SIZE(lin_siege_hint); i++)
		WRITE_ONCE(lin_siege_hint[i], 0);
	WRITE_ONCE(fg_lineage_nsieged, 0);
	WRITE_ONCE(lin.nr, 0);
	WRITE_ONCE(lin_peak_wide, 0);
	WRITE_ONCE(lin_peak_root_wide, 0);
	raw_spin_unlock(&lin.lock);
}

/* Called under lin_mutex. */
static int lin_attach(void)
{
	int i, ret;

	if (lin.attached)
		return 0;
	lin_table_reset();
	for (i = 0; i < ARRAY_SIZE(lin_tps); i++) {
		ret = tracepoint_probe_register(lin_tps[i].tp,
						lin_tps[i].probe, NULL);
		if (ret) {
			lin_detach(i);
			return ret;
		}
	}
	WRITE_ONCE(lin.attached, true);
	return 0;
}

static void lin_stop(void)
{
	if (!lin.attached)
		return;
	lin_detach(ARRAY_SIZE(lin_tps));
	WRITE_ONCE(lin.attached, false);
	lin_table_reset();
}

/* ---- the fork path --------------------------------------------------- */

/*
 * Depth of the child current, which has not exec'd, is about to create in
 * @cgid; *@siege tells whether @cgid is under siege.
 */
static u32 lin_child_depth(u64 cgid, pid_t *root, char *root_comm,
			   bool *siege)
{
	struct lin_entry *e;
	u32 depth;
	bool full;

	raw_spin_lock(&lin.lock);
	e = lin_lookup(current->tgid);
	full = hlist_empty(&lin.free);
	*siege = lin_besieged_locked(cgid);
	if (e) {
		depth = e->depth + 1;
		*root = e->root;
		memcpy(root_comm, e->root_comm, TASK_COMM_LEN);
	} else {
		depth = 2;
		*root = current->tgid;
		memcpy(root_comm, current->comm, TASK_COMM_LEN);
	}
	raw_spin_unlock(&lin.lock);
	/* The child cannot be recorded: charge it as deep (see the top). */
	if (full)
		depth = max_t(u32, depth, READ_ONCE(lin_threshold));
	return depth;
}

/*
 * Trace and, within its kind's rate limit, report a charged fork
 * (LIN_REP_FORK) or a siege that began (LIN_REP_SIEGE, with @wide the
 * count that set it off).  Runs on the fork path: the line is printed by a
 * work item.
 */
static void lin_report(int kind, u32 depth, u32 wide, pid_t root,
		       const char *root_comm, u64 cgid, const char *why,
		       const char *what)
{
	struct lin_report *r = &lin_pending[kind];
	bool kick = false;

	trace_lineage(depth, root, root_comm, cgid, why, what);
	if (!__ratelimit(&lin_rs[kind])) {
		atomic_long_inc(&lin_suppressed[kind]);
		return;
	}
	raw_spin_lock(&lin_report_lock);
	if (!r->full) {
		*r = (struct lin_report){
			.pid = task_tgid_nr(current), .root = root,
			.depth = depth, .wide = wide, .cgid = cgid,
			.why = why, .what = what, .full = true,
		};
		memcpy(r->comm, current->comm, TASK_COMM_LEN);
		memcpy(r->root_comm, root_comm, TASK_COMM_LEN);
		kick = true;
	}
	raw_spin_unlock(&lin_report_lock);
	if (kick)
		queue_work(system_wq, &lin_report_work);
}

/* Names are escaped as in every report: %pE lets bytes above 0x7e through. */
static void lin_report_print(int kind, const struct lin_report *r, long sup)
{
	char comm[FG_LOG_COMM_MAX], root_comm[FG_LOG_COMM_MAX];

	fg_log_escape(comm, sizeof(comm), r->comm);
	fg_log_escape(root_comm, sizeof(root_comm), r->root_comm);
	if (kind == LIN_REP_SIEGE && r->why == lin_why_lineage)
		pr_warn("lineage: cgroup id %llu under siege: lineage root pid %d comm %s has %u processes at depth %u without exec, latest pid %d comm %s (%ld more sieges not reported)\n",
			r->cgid, r->root, root_comm, r->wide, r->depth, r->pid,
			comm, sup);
	else if (kind == LIN_REP_SIEGE)
		pr_warn("lineage: cgroup id %llu under siege: %u processes at depth %d or more without exec, latest pid %d comm %s at depth %u, lineage root pid %d comm %s (%ld more sieges not reported)\n",
			r->cgid, r->wide, READ_ONCE(lin_width_depth), r->pid,
			comm, r->depth, r->root, root_comm, sup);
	else if (r->why == lin_why_siege)
		pr_warn("lineage: fork in a cgroup under siege %s: pid %d comm %s, cgroup id %llu (%ld more not reported)\n",
			r->what, r->pid, comm, r->cgid, sup);
	else
		pr_warn("lineage: fork without exec at depth %u %s: pid %d comm %s, lineage root pid %d comm %s, cgroup id %llu (%ld more not reported)\n",
			r->depth, r->what, r->pid, comm, r->root, root_comm,
			r->cgid, sup);
}

static void lin_report_fn(struct work_struct *work)
{
	struct lin_report r;
	int kind;

	for (kind = 0; kind < LIN_NR_REP; kind++) {
		raw_spin_lock(&lin_report_lock);
		r = lin_pending[kind];
		lin_pending[kind].full = false;
		raw_spin_unlock(&lin_report_lock);
		if (r.full)
			lin_report_print(kind, &r,
					 atomic_long_xchg(&lin_suppressed[kind],
							  0));
	}
}

/**
 * __fg_lineage_charge - charge a deep fork, or one in a besieged cgroup
 * @cgrp:   the cgroup of the fork, under rcu_read_lock()
 * @thread: the new task is a thread
 * @d:      what the policies decided
 * @now:    CLOCK_MONOTONIC in ns, or 0 if not read yet
 * @w:      the policies' waits; for FG_DO_THROTTLE raised to the bucket's,
 *          for a denial by the bucket set as a throttle policy's would be
 *          (max_delay first, then the default back-off)
 *
 * A fork is charged to its cgroup's bucket when its child would be at
 * lineage_threshold or deeper, or when the cgroup is under siege, whether
 * current has exec'd or not.  Charged after the policies, so that a fork
 * the policies deny or must restart costs the bucket nothing; a fork the bucket denies has cost its
 * policies a token, which errs towards strictness.
 *
 * Return: @d, or what the bucket makes of it.
 */
enum fg_decision __fg_lineage_charge(struct cgroup *cgrp, bool thread,
				     enum fg_decision d, u64 *now,
				     struct fg_wait *w)
{
	char root_comm[TASK_COMM_LEN];
	struct fg_params p = { .action = FG_ACT_THROTTLE };
	struct lin_bucket *b;
	enum fg_verdict v;
	int mode = READ_ONCE(lin_mode);
	const char *why;
	bool siege;
	u64 cgid, wait;
	pid_t root;
	u32 depth;

	if (!mode || thread || d == FG_DO_DENY || d == FG_DO_POPULATE ||
	    !READ_ONCE(lin.attached))
		return d;
	cgid = cgroup_id(cgrp);
	if (lin_no_exec(current)) {
		depth = lin_child_depth(cgid, &root, root_comm, &siege);
	} else {
		/* Let through by fg_lineage_charge() for a siege somewhere. */
		siege = lin_besieged(cgid);
		if (!siege)
			return d;
		depth = 1;
		root = task_tgid_nr(current);
		memcpy(root_comm, current->comm, TASK_COMM_LEN);
	}
	if (depth >= READ_ONCE(lin_threshold))
		why = lin_why_deep;
	else if (siege)
		why = lin_why_siege;
	else
		return d;
	atomic_long_inc(&lin_charged);
	if (mode == LIN_LOG) {
		lin_report(LIN_REP_FORK, depth, 0, root, root_comm, cgid, why,
			   "logged");
		return d;
	}
	if (!*now)
		*now = ktime_get_ns();
	if (siege) {
		p.interval_ns = NSEC_PER_SEC / READ_ONCE(lin_siege_rate);
		p.burst = READ_ONCE(lin_siege_burst);
	} else {
		p.interval_ns = NSEC_PER_SEC / READ_ONCE(lin_rate);
		p.burst = READ_ONCE(lin_burst);
	}
	p.max_delay_ms = READ_ONCE(lin_max_delay_ms);
	b = &lin_buckets[hash_64(cgid, LIN_BUCKET_BITS)];
	raw_spin_lock(&b->lock);
	v = fg_gcra_take(&b->gcra, &p, *now, &wait);
	raw_spin_unlock(&b->lock);
	if (v == FG_ALLOW)
		return d;
	if (v == FG_DENY) {
		atomic_long_inc(&lin_denied);
		lin_report(LIN_REP_FORK, depth, 0, root, root_comm, cgid, why,
			   "denied");
		/* As a throttle policy's: the wait it had no token for. */
		w->delay_ns = (u64)p.max_delay_ms * NSEC_PER_MSEC;
		if (siege) {
			/*
			 * A bomb's process retries at once: let each denial
			 * double its sleep, from max_delay (or a token
			 * interval) up to lineage_siege_backoff_ms.
			 */
			w->base_ns = max(w->delay_ns, p.interval_ns);
			w->cap_ns = (u64)READ_ONCE(lin_siege_backoff_ms) *
				    NSEC_PER_MSEC;
		} else {
			w->base_ns = p.interval_ns;
			w->cap_ns = (u64)FG_DEFAULT_DENY_DELAY_MS *
				    NSEC_PER_MSEC;
		}
		return FG_DO_DENY;
	}
	atomic_long_inc(&lin_throttled);
	lin_report(LIN_REP_FORK, depth, 0, root, root_comm, cgid, why,
		   "throttled");
	w->delay_ns = max(w->delay_ns, wait);
	return FG_DO_THROTTLE;
}

/* Is the defence on?  The hook must then be installed, policies or not. */
bool fg_lineage_on(void)
{
	return READ_ONCE(lin_mode) != LIN_OFF;
}

void fg_lineage_stats_show(struct seq_file *m)
{
	seq_printf(m, "lineage_tracked %u\n", READ_ONCE(lin.nr));
	seq_printf(m, "lineage_max_depth %d\n", atomic_read(&lin_max_depth));
	seq_printf(m, "lineage_charged %ld\n", atomic_long_read(&lin_charged));
	seq_printf(m, "lineage_throttled %ld\n",
		   atomic_long_read(&lin_throttled));
	seq_printf(m, "lineage_denied %ld\n", atomic_long_read(&lin_denied));
	seq_printf(m, "lineage_dropped %ld\n", atomic_long_read(&lin_dropped));
	seq_printf(m, "lineage_sieges %ld\n", atomic_long_read(&lin_sieges));
	seq_printf(m, "lineage_under_siege %u\n",
		   READ_ONCE(fg_lineage_nsieged));
	seq_printf(m, "lineage_peak_wide %u\n", READ_ONCE(lin_peak_wide));
	seq_printf(m, "lineage_peak_root_wide %u\n",
		   READ_ONCE(lin_peak_root_wide));
}

/* ---- knobs ------------------------------------------------------------ */

static void lin_buckets_reset(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(lin_buckets); i++) {
		raw_spin_lock(&lin_buckets[i].lock);
		lin_buckets[i].gcra.tat = 0;
		raw_spin_unlock(&lin_buckets[i].lock);
	}
}

/*
 * A width knob (@knob) changed: count every cgroup's and every lineage's
 * wide processes again and judge each siege.  A new depth starts its peak
 * afresh, since the old one counted other processes.  Holds lin.lock over
 * the whole table, once per write of a knob.
 */
static void lin_recount(const int *knob)
{
	u32 wdepth = READ_ONCE(lin_width_depth);
	u32 rdepth = READ_ONCE(lin_root_depth);
	struct lin_entry *e;
	struct lin_root *r;
	struct lin_cg *c;
	unsigned int i;
	bool wide;

	raw_spin_lock(&lin.lock);
	for (i = 0; i < (1U << lin.bits); i++) {
		hlist_for_each_entry(e, &lin.hash[i], node) {
			wide = e->cg && e->depth >= wdepth;
			if (wide != e->wide) {
				e->wide = wide;
				e->cg->wide += wide ? 1 : -1;
			}
			wide = e->rt && e->depth >= rdepth;
			if (wide != e->rwide) {
				e->rwide = wide;
				e->rt->wide += wide ? 1 : -1;
			}
		}
	}
	if (knob == &lin_width_depth)
		WRITE_ONCE(lin_peak_wide, 0);
	if (knob == &lin_root_depth)
		WRITE_ONCE(lin_peak_root_wide, 0);
	for (i = 0; i < (1U << lin.bits); i++) {
		hlist_for_each_entry(r, &lin.root_hash[i], node) {
			lin_root_heat(r);
			if (r->wide > lin_peak_root_wide)
				WRITE_ONCE(lin_peak_root_wide, r->wide);
		}
	}
	for (i = 0; i < (1U << lin.bits); i++) {
		hlist_for_each_entry(c, &lin.cg_hash[i], node) {
			if (lin_cg_judge(c))
				atomic_long_inc(&lin_sieges);
			if (c->wide > lin_peak_wide)
				WRITE_ONCE(lin_peak_wide, c->wide);
		}
	}
	raw_spin_unlock(&lin.lock);
}

/* A new value of lineage, range-checked.  Called under lin_mutex. */
static int lin_set_mode(int val)
{
	int old = lin_mode, ret;

	if (val != LIN_OFF) {
		ret = lin_attach();
		if (ret)
			return ret;
	}
	WRITE_ONCE(lin_mode, val);
	ret = fg_policy_sync_hook();
	if (ret) {
		WRITE_ONCE(lin_mode, old);
		if (old == LIN_OFF)
			lin_stop();
		return ret;
	}
	/* The hook may stay for policies: it sees lin_mode first. */
	if (val == LIN_OFF) {
		synchronize_rcu();
		lin_stop();
	}
	return 0;
}

static int lin_sysctl_handler(fg_ctl_table *table, int write, void *buffer,
			      size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;
	int *knob = table->data;
	char o[16], n[16];
	int val, old, ret;

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&lin_mutex);
	old = READ_ONCE(*knob);
	val = old;
	tmp.data = &val;
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!ret && write && val != old) {
		if (knob == &lin_mode) {
			ret = lin_set_mode(val);
		} else if (knob == &lin_width || knob == &lin_width_depth ||
			   knob == &lin_root_width || knob == &lin_root_depth) {
			WRITE_ONCE(*knob, val);
			lin_recount(knob);
		} else {
			WRITE_ONCE(*knob, val);
			lin_buckets_reset();
		}
	}
	mutex_unlock(&lin_mutex);
	if (!ret && write) {
		snprintf(o, sizeof(o), "%d", old);
		snprintf(n, sizeof(n), "%d", val);
		fg_audit_change("sysctl", table->procname, o, n);
	}
	return ret;
}

#define LIN_KNOB(_name, _var, _min, _max) {		\
	.procname	= _name,			\
	.data		= &(_var),			\
	.maxlen		= sizeof(int),			\
	.mode		= 0644,				\
	.proc_handler	= lin_sysctl_handler,		\
	.extra1		= (void *)(_min),		\
	.extra2		= (void *)(_max),		\
}

static struct ctl_table lin_sysctls[] = {
	LIN_KNOB("lineage", lin_mode, SYSCTL_ZERO, SYSCTL_TWO),
	LIN_KNOB("lineage_threshold", lin_threshold, &lin_threshold_min,
		 &lin_int_max),
	LIN_KNOB("lineage_rate", lin_rate, SYSCTL_ONE, &lin_int_max),
	LIN_KNOB("lineage_burst", lin_burst, SYSCTL_ONE, &lin_int_max),
	LIN_KNOB("lineage_max_delay_ms", lin_max_delay_ms, SYSCTL_ZERO,
		 &lin_delay_max),
	LIN_KNOB("lineage_width", lin_width, SYSCTL_ZERO, &lin_int_max),
	LIN_KNOB("lineage_width_depth", lin_width_depth, &lin_threshold_min,
		 &lin_int_max),
	LIN_KNOB("lineage_root_width", lin_root_width, SYSCTL_ZERO,
		 &lin_int_max),
	LIN_KNOB("lineage_root_depth", lin_root_depth, &lin_threshold_min,
		 &lin_int_max),
	LIN_KNOB("lineage_siege_rate", lin_siege_rate, SYSCTL_ONE,
		 &lin_int_max),
	LIN_KNOB("lineage_siege_burst", lin_siege_burst, SYSCTL_ONE,
		 &lin_int_max),
	LIN_KNOB("lineage_siege_backoff_ms", lin_siege_backoff_ms,
		 &lin_backoff_min, &lin_backoff_max),
	FG_CTL_TABLE_END
};

/* ---- init and exit ---------------------------------------------------- */

static void lin_free(void)
{
	kvfree(lin.entries);
	kvfree(lin.hash);
	kvfree(lin.cgs);
	kvfree(lin.cg_hash);
	kvfree(lin.roots);
	kvfree(lin.root_hash);
}

static int lin_alloc(void)
{
	lin.bits = order_base_2(lin_max_tracked);
	lin.entries = kvcalloc(lin_max_tracked, sizeof(*lin.entries),
			       GFP_KERNEL);
	lin.hash = kvcalloc(1U << lin.bits, sizeof(*lin.hash), GFP_KERNEL);
	lin.cgs = kvcalloc(lin_max_tracked, sizeof(*lin.cgs), GFP_KERNEL);
	lin.cg_hash = kvcalloc(1U << lin.bits, sizeof(*lin.cg_hash),
			       GFP_KERNEL);
	lin.roots = kvcalloc(lin_max_tracked, sizeof(*lin.roots), GFP_KERNEL);
	lin.root_hash = kvcalloc(1U << lin.bits, sizeof(*lin.root_hash),
				 GFP_KERNEL);
	if (lin.entries && lin.hash && lin.cgs && lin.cg_hash && lin.roots &&
	    lin.root_hash)
		return 0;
	lin_free();
	return -ENOMEM;
}

/* Before the hook can be installed: fg_policy_sync_hook() installs it. */
int fg_lineage_init(void)
{
	int i, ret;

	lin_mode = clamp(lin_mode, LIN_OFF, LIN_THROTTLE);
	lin_threshold = clamp(lin_threshold, lin_threshold_min, lin_int_max);
	lin_rate = clamp(lin_rate, 1, lin_int_max);
	lin_burst = clamp(lin_burst, 1, lin_int_max);
	lin_max_delay_ms = clamp(lin_max_delay_ms, 0, lin_delay_max);
	lin_max_tracked = clamp(lin_max_tracked, 16, 1048576);
	lin_width = clamp(lin_width, 0, lin_int_max);
	lin_width_depth = clamp(lin_width_depth, lin_threshold_min,
				lin_int_max);
	lin_root_width = clamp(lin_root_width, 0, lin_int_max);
	lin_root_depth = clamp(lin_root_depth, lin_threshold_min, lin_int_max);
	lin_siege_rate = clamp(lin_siege_rate, 1, lin_int_max);
	lin_siege_burst = clamp(lin_siege_burst, 1, lin_int_max);
	lin_siege_backoff_ms = clamp(lin_siege_backoff_ms, lin_backoff_min,
				     lin_backoff_max);
	for (i = 0; i < ARRAY_SIZE(lin_buckets); i++)
		raw_spin_lock_init(&lin_buckets[i].lock);
	for (i = 0; i < LIN_NR_REP; i++) {
		ratelimit_state_init(&lin_rs[i], 5 * HZ, 5);
		ratelimit_set_flags(&lin_rs[i], RATELIMIT_MSG_ON_RELEASE);
	}
	for_each_kernel_tracepoint(lin_tp_find, NULL);
	for (i = 0; i < ARRAY_SIZE(lin_tps); i++) {
		if (!lin_tps[i].tp) {
			pr_err("lineage: no tracepoint %s\n", lin_tps[i].name);
			return -ENOENT;
		}
	}
	ret = lin_alloc();
	if (ret)
		return ret;
	mutex_lock(&lin_mutex);
	ret = lin_mode ? lin_attach() : 0;
	mutex_unlock(&lin_mutex);
	if (ret)
		goto err_free;
	lin_sysctl_hdr = register_sysctl(FG_SYSCTL_DIR, lin_sysctls);
	if (!lin_sysctl_hdr) {
		ret = -ENOMEM;
		goto err_stop;
	}
	/* Without the hook the defence is off; forkgov still loads. */
	if (lin_mode && fg_policy_sync_hook()) {
		pr_warn("lineage: cannot hook kernel_clone: lineage is now 0\n");
		mutex_lock(&lin_mutex);
		WRITE_ONCE(lin_mode, LIN_OFF);
		lin_stop();
		mutex_unlock(&lin_mutex);
	}
	return 0;

err_stop:
	lin_stop();
err_free:
	lin_free();
	return ret;
}

/* After the hook was removed for good. */
void fg_lineage_exit(void)
{
	unregister_sysctl_table(lin_sysctl_hdr);
	mutex_lock(&lin_mutex);
	lin_stop();
	mutex_unlock(&lin_mutex);
	cancel_work_sync(&lin_report_work);
	lin_free();
}
