// SPDX-License-Identifier: GPL-2.0
/*
 * The process-creation hook.
 *
 * fork, vfork, clone and clone3 all enter kernel_clone().  An ftrace_ops with
 * IPMODIFY on its first instruction decides each fork before any work is
 * done, and never calls kernel_clone() itself (its ENDBR is sealed on IBT
 * kernels):
 *
 *  - allow:    return, and kernel_clone() runs as usual;
 *  - deny:     resume in fg_stub_deny() instead, which returns -EAGAIN as
 *              pids.max does, or first sleeps in fg_stub_backoff() (killable,
 *              see backoff.c): the throttle policy's max_delay if it had no
 *              token to promise in time, and the back-off of the policy's
 *              deny_delay, so that retrying a denied fork in a loop costs
 *              little CPU;
 *  - throttle: resume in fg_stub_throttle(), which sleeps until the token
 *              promised to this fork is due and returns -ERESTARTNOINTR so
 *              that the syscall is restarted; a "pass" recorded for the task
 *              lets the restarted fork through without paying again.  A
 *              signal ends the sleep early: the handler runs, the fork
 *              restarts, finds its pass not yet due and sleeps for the rest.
 *              SIGKILL ends it for good.
 *  - populate: resume in fg_stub_populate(), which creates a per-child
 *              bucket in process context (the callback may not allocate on
 *              PREEMPT_RT) and restarts the fork.
 *  - fence:    resume in fg_stub_fence(), which waits for the pending
 *              policies of a cgroup created moments ago to be activated
 *              (pending.c) and restarts the fork, which they then govern.
 *  - into:     resume in fg_stub_into(), which finds out whether the caller
 *              of a CLONE_INTO_CGROUP fork may move a task into the cgroup
 *              it names, and restarts the fork with a pass that says so:
 *              only then is the fork charged to that cgroup's chain; else
 *              it is charged as a fork in the caller's own cgroup.
 *
 * The hook is registered only while enforcement is on and a policy with a
 * rate exists (a rate=none policy, which only carries mt_warn, needs none),
 * a policy with a rate is pending (its cgroup's first forks wait here for
 * it), or the lineage defence is on (lineage.c).
 *
 * No function of the module's that the callback calls is traced (Kbuild
 * builds those files without the ftrace entry), and nothing it calls forks,
 * so the callback cannot recurse (see fg_ftrace_cb()).  A fork that no
 * policy governs is decided inline, in a few loads; one that a policy on
 * one level of its chain may govern is charged from the callback with one
 * call into the policy layer (fg_govern_level()); one that policies on
 * several levels may govern in the noinline fg_govern(), and a restarted or
 * CLONE_INTO_CGROUP fork in fg_decide().
 *
 * Unloading: the callback is covered by unregister_ftrace_function().  A task
 * redirected to a stub executes module text after the callback returned; the
 * stubs that sleep count themselves in fg_stub_users and are woken by
 * fg_unloading, and synchronize_rcu_tasks() waits for every task that was
 * between the callback and a stub, or returning from one.
 */
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "forkgov.h"
#include "lineage.h"
#include "policy.h"

/* Timer slack of a throttle sleep. */
#define FG_SLEEP_SLACK_NS	(50 * NSEC_PER_USEC)
/* A pass not used within this time belongs to a task that died. */
#define FG_PASS_STALE_NS	(10 * NSEC_PER_SEC)

static bool fg_installed;
static bool fg_unloading;
static atomic_t fg_stub_users = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(fg_unload_wq);

/*
 * What a restarted fork was told before its restart: a throttled fork holds a
 * token it already paid for (due at fg_pass.due); a CLONE_INTO_CGROUP fork
 * was judged by fg_stub_into().
 */
enum fg_pass_kind {
	FG_PASS_NONE,
	FG_PASS_TOKEN,
	FG_PASS_INTO,		/* the caller may move a task there */
	FG_PASS_INTO_NOT,	/* it may not, or that could not be shown */
};

/**
 * struct fg_pass - what a restarted fork was told before its restart
 * @node:       in fg_pass_hash, keyed by @task
 * @task:       the task, compared but not dereferenced
 * @start_time: its start time, so that a recycled task_struct never matches
 * @into:       the id of the cgroup a CLONE_INTO_CGROUP fork named, else 0:
 *              the restarted fork must name the same one to use the pass
 * @due:        when the token is due, CLOCK_MONOTONIC ns (FG_PASS_TOKEN);
 *              when the pass was made (FG_PASS_INTO*)
 * @kind:       what the pass says
 * @rcu:        for kfree_rcu() from the callback
 */
struct fg_pass {
	struct hlist_node node;
	const struct task_struct *task;
	u64 start_time;
	u64 into;
	u64 due;
	enum fg_pass_kind kind;
	struct rcu_head rcu;
};

#define FG_PASS_BITS	8

static DEFINE_HASHTABLE(fg_pass_hash, FG_PASS_BITS);
static DEFINE_RAW_SPINLOCK(fg_pass_lock);
/*
 * While non-zero, every fork takes the slow path, fg_decide(): the passes
 * in fg_pass_hash, plus one while the activation fence is up (pending.c).
 */
static atomic_t fg_nslow = ATOMIC_INIT(0);

static void fg_pass_gc_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(fg_pass_gc_work, fg_pass_gc_fn);

static bool fg_pass_mine(const struct fg_pass *pass, u64 into)
{
	return pass->task == current &&
	       pass->start_time == current->start_time && pass->into == into;
}

/* Remove @pass; fg_pass_lock held.  A lockless search may still see it. */
static void fg_pass_del(struct fg_pass *pass)
{
	hash_del_rcu(&pass->node);
	atomic_dec(&fg_nslow);
	kfree_rcu(pass, rcu);
}

/*
 * Record a pass for the current task's restarted fork, replacing one it held
 * for the same @into: a task whose CLONE_INTO_CGROUP forks keep naming
 * another cgroup at each restart holds one pass, not one per try.
 */
static void fg_pass_add(enum fg_pass_kind kind, u64 into, u64 due)
{
	struct fg_pass *pass = kmalloc(sizeof(*pass), GFP_KERNEL), *old;
	struct hlist_node *tmp;

	/* Without memory the restarted fork simply pays again. */
	if (!pass)
		return;
	pass->task = current;
	pass->start_time = current->start_time;
	pass->into = into;
	pass->due = due;
	pass->kind = kind;
	raw_spin_lock(&fg_pass_lock);
	hash_for_each_possible_safe(fg_pass_hash, old, tmp, node,
				    (unsigned long)current)
		if (old->task == current &&
		    old->start_time == current->start_time &&
		    (old->into || into))
			fg_pass_del(old);
	hash_add_rcu(fg_pass_hash, &pass->node, (unsigned long)current);
	atomic_inc(&fg_nslow);
	raw_spin_unlock(&fg_pass_lock);
	queue_delayed_work(system_wq, &fg_pass_gc_work,
			   nsecs_to_jiffies(FG_PASS_STALE_NS));
}

/*
 * Take the current task's pass for a fork into the cgroup of id @into (0:
 * its own), if it has one; any context.  The search takes no lock, so that
 * the forks of other tasks do not serialise on fg_pass_lock while some task
 * is throttled.  Only the task itself and the garbage collector remove a
 * pass.
 *
 * Return: what the pass says, FG_PASS_NONE if there is none.
 */
static enum fg_pass_kind fg_pass_take(u64 into, u64 *due)
{
	struct fg_pass *pass, *found = NULL;
	enum fg_pass_kind kind;

	rcu_read_lock();
	hash_for_each_possible_rcu(fg_pass_hash, pass, node,
				   (unsigned long)current) {
		if (fg_pass_mine(pass, into)) {
			found = pass;
			break;
		}
	}
	if (found) {
		raw_spin_lock(&fg_pass_lock);
		if (hlist_unhashed(&found->node)) {
			found = NULL;	/* collected meanwhile */
		} else {
			hash_del_rcu(&found->node);
			atomic_dec(&fg_nslow);
		}
		raw_spin_unlock(&fg_pass_lock);
	}
	rcu_read_unlock();
	if (!found)
		return FG_PASS_NONE;
	*due = found->due;
	kind = found->kind;
	kfree_rcu(found, rcu);
	return kind;
}

/* Return: whether passes remain. */
static bool fg_pass_gc(bool all)
{
	u64 now = ktime_get_ns();
	struct hlist_node *tmp;
	struct fg_pass *pass;
	unsigned int bkt;
	bool left;

	raw_spin_lock(&fg_pass_lock);
	hash_for_each_safe(fg_pass_hash, bkt, tmp, pass, node)
		if (all || pass->due + FG_PASS_STALE_NS < now)
			fg_pass_del(pass);
	left = !hash_empty(fg_pass_hash);
	raw_spin_unlock(&fg_pass_lock);
	return left;
}

static void fg_pass_gc_fn(struct work_struct *work)
{
	if (fg_pass_gc(false))
		queue_delayed_work(system_wq, &fg_pass_gc_work,
				   nsecs_to_jiffies(FG_PASS_STALE_NS));
}

/*
 * Stubs that sleep announce themselves, then look at fg_unloading; the
 * unloader sets fg_unloading, then waits for the count to drop.  The full
 * barriers on both sides make sure that one of the two sees the other.
 */
static bool fg_stub_enter(void)
{
	atomic_inc(&fg_stub_users);
	/* Pairs with the barrier in fg_hook_exit(). */
	smp_mb__after_atomic();
	return !READ_ONCE(fg_unloading);
}

static void fg_stub_exit(void)
{
	if (atomic_dec_and_test(&fg_stub_users))
		wake_up_var(&fg_stub_users);
}

/*
 * -ERESTARTNOINTR is turned into a restart of the syscall only on the signal
 * path of the return to user space; with no signal pending it would reach
 * the caller as errno 513.  TIF_NOTIFY_SIGNAL sends the return through that
 * path without a signal: get_signal() finds nothing to deliver and the
 * syscall is restarted.  It is set on current, which is running, so no
 * wake-up is needed (which is all set_notify_signal() adds).
 */
static pid_t fg_restart(void)
{
	set_thread_flag(TIF_NOTIFY_SIGNAL);
	return -ERESTARTNOINTR;
}

static noinline pid_t fg_stub_deny(struct kernel_clone_args *args)
{
	return -EAGAIN;
}

/*
 * Sleep until @due in @state (TASK_INTERRUPTIBLE, or TASK_KILLABLE with or
 * without TASK_NOLOAD); false
 * when woken early by a signal that @state lets in, or by unloading.
 */
static bool fg_sleep_until(u64 due, unsigned int state)
{
	ktime_t expires = ns_to_ktime(due);
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&fg_unload_wq, &wait, state);
		if (ktime_get_ns() >= due ||
		    signal_pending_state(state, current) ||
		    READ_ONCE(fg_unloading))
			break;
		schedule_hrtimeout_range(&expires, FG_SLEEP_SLACK_NS,
					 HRTIMER_MODE_ABS);
	}
	finish_wait(&fg_unload_wq, &wait);
	return ktime_get_ns() >= due;
}

/*
 * @into: the id of the cgroup the fork names with CLONE_INTO_CGROUP, else 0;
 * the restarted fork uses the pass only if it names the same one.
 */
static noinline pid_t fg_stub_throttle(struct kernel_clone_args *args,
				       u64 due, u64 into)
{
	if (fg_stub_enter()) {
		fg_sleep_until(due, TASK_INTERRUPTIBLE);
		/*
		 * Keep the place in the queue for the restarted fork, whether
		 * the token is due yet or a signal cut the sleep short.
		 */
		if (!fatal_signal_pending(current) && !READ_ONCE(fg_unloading))
			fg_pass_add(FG_PASS_TOKEN, into, due);
	}
	fg_stub_exit();
	return fg_restart();
}

/*
 * A denied fork: sleep at least @min_ns, and the task's next back-off step
 * between @base_ns and @cap_ns (none if @cap_ns is 0), then fail.  The sleep
 * is killable, not interruptible: a bomb's SIGCHLD handler must not cut it
 * short.  Other signals wait for its end, which is bounded by max_delay and
 * deny_delay.  TASK_NOLOAD: a bomb's thousand sleepers are not load.
 */
static noinline pid_t fg_stub_backoff(struct kernel_clone_args *args,
				      u64 min_ns, u64 base_ns, u64 cap_ns)
{
	u64 start, sleep = min_ns;

	if (fg_stub_enter()) {
		if (cap_ns)
			sleep = max(sleep, fg_backoff_next(base_ns, cap_ns));
		start = ktime_get_ns();
		fg_sleep_until(start + sleep, TASK_KILLABLE | TASK_NOLOAD);
		this_cpu_inc(fg_stats.deny_sleeps);
		this_cpu_add(fg_stats.deny_sleep_ns, ktime_get_ns() - start);
	}
	fg_stub_exit();
	return -EAGAIN;
}

/*
 * The cgroup a new task will start in, referenced: CLONE_INTO_CGROUP names
 * it.  May be called under rcu_read_lock().
 */
static struct cgroup *fg_fork_cgroup(struct kernel_clone_args *args)
{
	struct cgroup *cgrp;

	if (args->flags & CLONE_INTO_CGROUP) {
		cgrp = cgroup_get_from_fd(args->cgroup);
		if (!IS_ERR(cgrp))
			return cgrp;
		/* kernel_clone() will fail it with the right errno. */
	}
	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}

static noinline pid_t fg_stub_populate(struct kernel_clone_args *args)
{
	struct cgroup *cgrp;

	if (fg_stub_enter()) {
		cgrp = fg_fork_cgroup(args);
		fg_policy_populate(cgrp);
		cgroup_put(cgrp);
	}
	fg_stub_exit();
	return fg_restart();
}

static noinline pid_t fg_stub_fence(struct kernel_clone_args *args)
{
	if (fg_stub_enter())
		fg_pending_wait();
	fg_stub_exit();
	return fg_restart();
}

/*
 * The cgroup of the directory @fd names, referenced, and in @may whether the
 * current task may write its cgroup.procs: the first of the checks that
 * cgroup_css_set_fork() makes of a CLONE_INTO_CGROUP fork, on the same
 * inode (that of the file's super block) with the same credentials.  The
 * kernel refuses the fork without it.  @may is false too when the answer
 * cannot be had (the directory cannot be searched, the descriptor was
 * replaced meanwhile): the fork is then charged as one in the caller's own
 * cgroup, which governs the caller whatever it names.
 *
 * Return: the cgroup, or NULL if @fd names none (kernel_clone() fails it).
 */
static struct cgroup *fg_into_check(int fd, bool *may)
{
	struct cgroup *cgrp;
	struct dentry *procs;
	struct file *f;

	*may = false;
	f = fget_raw(fd);
	if (!f)
		return NULL;
	cgrp = cgroup_get_from_fd(fd);
	if (IS_ERR(cgrp)) {
		fput(f);
		return NULL;
	}
	/* kernfs keeps a node in i_private: the directory of that cgroup. */
	if (d_inode(f->f_path.dentry)->i_private == cgrp->kn) {
		procs = lookup_one_len_unlocked("cgroup.procs", f->f_path.dentry,
						strlen("cgroup.procs"));
		if (!IS_ERR(procs)) {
			*may = d_really_is_positive(procs) &&
			       d_inode(procs)->i_private == cgrp->procs_file.kn &&
			       !inode_permission(&nop_mnt_idmap, d_inode(procs),
						 MAY_WRITE);
			dput(procs);
		}
	}
	fput(f);
	return cgrp;
}

static noinline pid_t fg_stub_into(struct kernel_clone_args *args)
{
	struct cgroup *cgrp;
	bool may;

	if (fg_stub_enter()) {
		cgrp = fg_into_check(args->cgroup, &may);
		if (cgrp) {
			fg_pass_add(may ? FG_PASS_INTO : FG_PASS_INTO_NOT,
				    cgroup_id(cgrp), ktime_get_ns());
			cgroup_put(cgrp);
		}
	}
	fg_stub_exit();
	return fg_restart();
}

/**
 * fg_pending_fenced - whether a fork from @cgrp must wait for an activation
 * @cgrp: the cgroup the new task will start in, under RCU or referenced
 *
 * Return: true if @cgrp was created after the activation work item last
 * looked at new cgroups, so a pending policy may be about to govern it.
 */
static __always_inline bool fg_pending_fenced(const struct cgroup *cgrp)
{
	return cgroup_id(cgrp) >= READ_ONCE(fg_pending_fence);
}

static void fg_redirect(struct pt_regs *regs, void *stub)
{
	instruction_pointer_set(regs, (unsigned long)stub);
}

/* Carry out a decision other than FG_DO_ALLOW. */
static noinline void fg_act(enum fg_decision d, const struct fg_call *c,
			    struct pt_regs *regs)
{
	const struct fg_wait *w = &c->w;

	switch (d) {
	case FG_DO_ALLOW:
		break;
	case FG_DO_DENY:
		if (!w->delay_ns && !w->cap_ns) {
			fg_redirect(regs, fg_stub_deny);
			break;
		}
		regs->si = w->delay_ns;
		regs->dx = w->base_ns;
		regs->cx = w->cap_ns;
		fg_redirect(regs, fg_stub_backoff);
		break;
	case FG_DO_THROTTLE:
		regs->si = c->now + w->delay_ns;
		regs->dx = c->into;
		fg_redirect(regs, fg_stub_throttle);
		break;
	case FG_DO_POPULATE:
		fg_redirect(regs, fg_stub_populate);
		break;
	}
}

/*
 * The forking task's cgroup.  The callback runs with preemption disabled,
 * which makes it an RCU read-side critical section (see fg_ftrace_cb()):
 * rcu_dereference_sched() says so to lockdep.
 */
static __always_inline struct cgroup *fg_task_cgroup(void)
{
	return rcu_dereference_sched(current->cgroups)->dfl_cgrp;
}

/*
 * A decision's scratch (struct fg_call): the clock, read once, and the
 * waits of a throttle or a denial.  Per CPU rather than on the stack, where
 * the address of a local passed to another function costs the stack
 * protector's canary on every fork: the callback runs with preemption
 * disabled and never nests (nothing it calls forks, and interrupts do not
 * fork), and what fg_act() passes to a stub goes in registers.
 */
static DEFINE_PER_CPU(struct fg_call, fg_call);

/* kernel_clone()'s argument, from the registers of its first instruction. */
static __always_inline struct kernel_clone_args *
fg_clone_args(const struct pt_regs *regs)
{
	return (struct kernel_clone_args *)regs->di;
}

/*
 * fg_govern() after the policies' decision @d: the lineage defence, and act.
 * The fork's flags are read again from @regs rather than passed, so that the
 * callback keeps one value fewer across the policies' charge.
 */
static noinline void fg_govern_rest(struct cgroup *cgrp, enum fg_decision d,
				    struct pt_regs *regs)
{
	bool thread = fg_clone_args(regs)->flags & CLONE_THREAD;
	struct fg_call *c = this_cpu_ptr(&fg_call);

	d = fg_lineage_charge(cgrp, thread, d, &c->now, &c->w);
	if (d != FG_DO_ALLOW)
		fg_act(d, c, regs);
}

/*
 * A fork that policies on several levels of its chain may govern, or one
 * from the slow path: charge the policies on its chain and the lineage
 * defence, and carry out the decision.
 */
static noinline void fg_govern(struct cgroup *cgrp, bool thread,
			       struct pt_regs *regs)
{
	struct fg_call *c = this_cpu_ptr(&fg_call);
	enum fg_decision d;

	c->now = 0;
	d = fg_policy_charge(cgrp, thread, c);
	if (likely(d == FG_DO_ALLOW && fg_lineage_skips()))
		return;
	fg_govern_rest(cgrp, d, regs);
}

/*
 * fg_govern() for a fork that a policy on one level @l of its chain may
 * govern, the common case: inline in the callback, so that the policy
 * layer's frame is the only one, and the level found by the filter is not
 * looked for again.  An allowed fork of a task that the lineage defence
 * skips returns at once.
 */
static __always_inline void fg_govern_level(struct cgroup *cgrp,
					    unsigned int l, bool thread,
					    struct pt_regs *regs)
{
	struct fg_call *c = this_cpu_ptr(&fg_call);
	enum fg_decision d;

	c->now = 0;
	d = fg_policy_charge_level(cgrp, l, thread, c);
	if (likely(d == FG_DO_ALLOW && fg_lineage_skips()))
		return;
	/* Not kept across the charge: it is the task's (no CLONE_INTO_CGROUP). */
	fg_govern_rest(fg_task_cgroup(), d, regs);
}

/* A fork that no policy governs, for the lineage defence alone. */
static noinline void fg_govern_lineage(struct cgroup *cgrp,
				       struct pt_regs *regs)
{
	struct fg_call *c = this_cpu_ptr(&fg_call);

	c->now = 0;
	/* What fg_policy_charge() would have set: a throttle adds to it. */
	c->w.delay_ns = 0;
	fg_govern_rest(cgrp, FG_DO_ALLOW, regs);
}

/*
 * Whether a CLONE_INTO_CGROUP fork into @dst must first show that its caller
 * may move a task there (fg_stub_into()) before @dst's chain is charged: an
 * unprivileged task can open any cgroup's directory, and the kernel refuses
 * its fork only after the hook, so charging @dst's chain first would let it
 * drain the buckets of any cgroup it can name.  Not if @dst is the caller's
 * own cgroup or one of its ancestors, whose policies govern the caller
 * anyway, nor while no policy has a rate.
 */
static bool fg_into_unproven(struct cgroup *dst)
{
	return READ_ONCE(fg_levels.mask) &&
	       !cgroup_is_descendant(fg_task_cgroup(), dst);
}

/*
 * The slow path: a fork restarted after a throttle, a fork into another
 * cgroup (CLONE_INTO_CGROUP), or any fork while the activation fence is up.
 */
static noinline void fg_decide(struct kernel_clone_args *args,
			       struct pt_regs *regs)
{
	bool into = args->flags & CLONE_INTO_CGROUP;
	bool thread = args->flags & CLONE_THREAD;
	enum fg_pass_kind kind = FG_PASS_NONE;
	struct cgroup *cgrp;
	u64 due, id = 0;

	/* Without CLONE_INTO_CGROUP no reference: RCU keeps the cgroup. */
	cgrp = unlikely(into) ? fg_fork_cgroup(args) : fg_task_cgroup();
	if (unlikely(into) && cgrp != fg_task_cgroup())
		id = cgroup_id(cgrp);
	if (unlikely(atomic_read(&fg_nslow)))
		kind = fg_pass_take(id, &due);
	switch (kind) {
	case FG_PASS_TOKEN:
		this_cpu_inc(fg_stats.restarts);
		if (due > ktime_get_ns()) {
			regs->si = due;
			regs->dx = id;
			fg_redirect(regs, fg_stub_throttle);
		}
		goto out;
	case FG_PASS_INTO_NOT:
		/*
		 * Charged as a fork in the caller's own cgroup; a throttle's
		 * pass is still for the cgroup the fork names, which its
		 * restart names again.
		 */
		cgroup_put(cgrp);
		into = false;
		cgrp = fg_task_cgroup();
		break;
	case FG_PASS_NONE:
	case FG_PASS_INTO:
		break;
	}
	if (thread && !fg_policy_tasks_counted())
		goto out;
	if (unlikely(fg_pending_fenced(cgrp))) {
		fg_redirect(regs, fg_stub_fence);
	} else if (unlikely(id) && kind != FG_PASS_INTO &&
		   fg_into_unproven(cgrp)) {
		fg_redirect(regs, fg_stub_into);
	} else {
		this_cpu_write(fg_call.into, id);
		fg_govern(cgrp, thread, regs);
		this_cpu_write(fg_call.into, 0);
	}
out:
	if (unlikely(into))
		cgroup_put(cgrp);
}

/*
 * The fast path, inline in the callback: a fork that no policy governs
 * (the level index says so in a few loads, see policy.h) costs its lineage
 * compare and nothing else; one that a policy on one level of its chain may
 * govern is charged from here (fg_govern_level()), and one that policies on
 * several levels may govern goes to fg_govern().
 */
static __always_inline void fg_filter(struct kernel_clone_args *args,
				      struct pt_regs *regs)
{
	bool thread = args->flags & CLONE_THREAD;
	struct cgroup *cgrp;
	unsigned int l;

	if (unlikely(atomic_read(&fg_nslow) ||
		     (args->flags & CLONE_INTO_CGROUP))) {
		fg_decide(args, regs);
		return;
	}
	if (thread && !fg_policy_tasks_counted())
		return;
	cgrp = fg_task_cgroup();
	l = fg_policy_level(cgrp);
	if (likely(l == FG_LEVEL_NONE)) {
		if (unlikely(!fg_lineage_skips()))
			fg_govern_lineage(cgrp, regs);
	} else if (likely(l < FG_LEVEL_DEEP)) {
		fg_govern_level(cgrp, l, thread, regs);
	} else {
		fg_govern(cgrp, thread, regs);
	}
}

/*
 * The callback.  Its guards, and why they are enough:
 *
 *  - Recursion: the ops filters kernel_clone() alone, and nothing the
 *    callback calls forks; the module's own functions are not traced
 *    (Kbuild), and the kernel's that it calls (the clock, raw spinlocks,
 *    the trace events) are guarded by their own tracers' recursion checks.
 *    So no recursion lock of ours: ftrace_test_recursion_trylock() would
 *    only cost its context checks on every fork.
 *
 *  - Preemption is disabled for the whole decision: the per-CPU counters
 *    and the raw bucket locks need it, and it makes the callback an RCU
 *    read-side critical section without rcu_read_lock().  Since v4.20 (RCU
 *    flavour consolidation) synchronize_rcu() and call_rcu() wait for every
 *    region with preemption disabled, on 6.1 and 6.12 alike, and on
 *    PREEMPT_RT too, where preempt_disable() still disables preemption (it
 *    is spinlocks, not preempt_disable(), that -rt makes sleepable).  So
 *    the cgroups and policies read here stay until the callback returns.
 *
 *  - The callback and its ftrace trampoline: the ops lives in module data,
 *    so ftrace marks it DYNAMIC and unregister_ftrace_function() waits for
 *    RCU-tasks, which covers a task preempted anywhere in the callback
 *    before preempt_disable_notrace() or after preempt_enable_notrace().
 */
static void notrace fg_ftrace_cb(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *ops,
				 struct ftrace_regs *fregs)
{
	struct pt_regs *regs = fg_fregs_pt_regs(fregs);
	struct kernel_clone_args *args;

	/* Installed for the lineage defence alone, for a task that exec'd. */
	if (fg_nothing_to_decide() && !atomic_read(&fg_nslow))
		return;
	preempt_disable_notrace();
	__this_cpu_inc(fg_stats.hook_hits);
	args = (struct kernel_clone_args *)regs->di;
	/* Kernel threads, and user-mode helpers started by the kernel. */
	if (!(current->flags & PF_KTHREAD) && !args->fn)
		fg_filter(args, regs);
	preempt_enable_notrace();
}

/*
 * As livepatch's: IPMODIFY to resume elsewhere, on the lighter ftrace_regs
 * trampoline (no SAVE_REGS: the argument registers and the instruction
 * pointer are all the callback reads or writes), and no RECURSION flag: the
 * callback cannot recurse (see fg_ftrace_cb()), so ftrace calls it directly
 * instead of through its recursion-checking wrapper.  PERMANENT: kernel.ftrace_enabled cannot be
 * turned off under us.
 */
static struct ftrace_ops fg_ftrace_ops = {
	.func	= fg_ftrace_cb,
	.flags	= FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT,
};

/**
 * fg_hook_update - install or remove the hook
 * @want: whether it should be installed
 *
 * The policy layer calls it, with its table's mutex held, through the
 * pointer fg_hook_init() gives it (fg_policy_set_hook()).
 *
 * Return: 0, or the error of register_ftrace_function(): -EBUSY when
 * kernel.ftrace_enabled is 0 or another IPMODIFY user (a livepatch) owns
 * kernel_clone().
 */
static int fg_hook_update(bool want)
{
	int err;

	if (want == fg_installed)
		return 0;
	if (want) {
		err = register_ftrace_function(&fg_ftrace_ops);
		if (err) {
			pr_warn_ratelimited("cannot hook kernel_clone: %d\n", err);
			return err;
		}
	} else {
		err = unregister_ftrace_function(&fg_ftrace_ops);
		WARN_ON_ONCE(err);
	}
	WRITE_ONCE(fg_installed, want);
	return 0;
}

bool fg_hook_installed(void)
{
	return READ_ONCE(fg_installed);
}

/**
 * fg_hook_slow_begin - send every fork through the slow path
 *
 * Any context.  Paired with fg_hook_slow_end(); pending.c raises its fence
 * with it.
 */
void fg_hook_slow_begin(void)
{
	atomic_inc(&fg_nslow);
}

/**
 * fg_hook_slow_end - undo one fg_hook_slow_begin()
 */
void fg_hook_slow_end(void)
{
	atomic_dec(&fg_nslow);
}

int fg_hook_init(void)
{
	int err;

	err = ftrace_set_filter(&fg_ftrace_ops, "kernel_clone",
				strlen("kernel_clone"), 0);
	if (err) {
		pr_err("cannot select kernel_clone for ftrace: %d\n", err);
		return err;
	}
	fg_policy_set_hook(fg_hook_update);
	return 0;
}

/* Called after the hook was removed for good (fg_enabled cleared). */
void fg_hook_exit(void)
{
	WRITE_ONCE(fg_unloading, true);
	/* Pairs with the barrier in fg_stub_enter(). */
	smp_mb();
	wake_up_all(&fg_unload_wq);
	wait_var_event(&fg_stub_users, !atomic_read(&fg_stub_users));
	synchronize_rcu_tasks();
	cancel_delayed_work_sync(&fg_pass_gc_work);
	fg_pass_gc(true);
	fg_backoff_exit();
	ftrace_free_filter(&fg_ftrace_ops);
}
