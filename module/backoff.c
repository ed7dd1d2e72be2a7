// SPDX-License-Identifier: GPL-2.0
/*
 * The back-off of denied forks.
 *
 * A fork that a policy denies does not fail at once: it sleeps first, so that
 * a program that retries fork() in a loop, as every fork bomb does, costs the
 * machine one attempt per sleep instead of one per few microseconds.  The
 * sleep grows while the same task keeps coming back: the first is one token
 * interval of the bucket that denied it (at least FG_BACKOFF_MIN_NS), each
 * next one twice the last, up to the policy's deny_delay (for the lineage
 * bucket of a cgroup under siege: from max_delay up to
 * lineage_siege_backoff_ms, see lineage.c).  A task that stays
 * away from fork for longer than it last slept, and at least
 * FG_BACKOFF_GRACE_NS, starts again from the bottom, so a program that meets
 * its limit now and then only ever pays the first step.  The grace is long
 * (1 s) because what it must absorb is long on a loaded machine: a bomb's
 * task that retries at once but was not scheduled for a few hundred ms must
 * not look like a program that paused.  The fork path
 * itself pays nothing for this: the state is kept and read only in the
 * sleeping stub, in process context.
 *
 * One entry per task that was denied lately, in a hash table under one
 * spinlock (held for a lookup, never across a sleep).  Entries are matched by
 * task and start time, so a recycled task_struct starts afresh, and a
 * collector frees those not used for FG_BACKOFF_STALE_NS.  The table holds at
 * most FG_BACKOFF_MAX entries: a task that finds it full sleeps the ceiling.
 */
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "forkgov.h"

#define FG_BACKOFF_MIN_NS	NSEC_PER_MSEC
#define FG_BACKOFF_GRACE_NS	NSEC_PER_SEC
#define FG_BACKOFF_MAX		16384
#define FG_BACKOFF_BITS		10
/*
 * Longer than any back-off (deny_delay and lineage_siege_backoff_ms are at
 * most 10 s) by a wide margin.
 */
#define FG_BACKOFF_STALE_NS	(30 * NSEC_PER_SEC)

/**
 * struct fg_backoff - the back-off of one task
 * @node:       in fg_backoff_hash, keyed by @task
 * @task:       the task, compared but not dereferenced
 * @start_time: its start time, so that a recycled task_struct never matches
 * @until:      when its last sleep ended (or will end), CLOCK_MONOTONIC ns
 * @sleep:      how long that sleep was
 */
struct fg_backoff {
	struct hlist_node node;
	const struct task_struct *task;
	u64 start_time;
	u64 until;
	u64 sleep;
};

static DEFINE_HASHTABLE(fg_backoff_hash, FG_BACKOFF_BITS);
static DEFINE_SPINLOCK(fg_backoff_lock);
static unsigned int fg_nbackoff;

static void fg_backoff_gc_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(fg_backoff_gc_work, fg_backoff_gc_fn);

static struct fg_backoff *fg_backoff_find(void)
{
	struct fg_backoff *b;

	hash_for_each_possible(fg_backoff_hash, b, node, (unsigned long)current)
		if (b->task == current &&
		    b->start_time == current->start_time)
			return b;
	return NULL;
}

/* The next sleep of a task whose last one is @b, or the first if NULL. */
static u64 fg_backoff_step(const struct fg_backoff *b, u64 now, u64 base,
			   u64 cap)
{
	if (!b || now > b->until + max_t(u64, b->sleep, FG_BACKOFF_GRACE_NS))
		return min(base, cap);
	return clamp(b->sleep * 2, base, cap);
}

/* Add @fresh as the current task's entry, if there is room; lock held. */
static struct fg_backoff *fg_backoff_add(struct fg_backoff *fresh)
{
	if (!fresh || fg_nbackoff >= FG_BACKOFF_MAX)
		return NULL;
	fresh->task = current;
	fresh->start_time = current->start_time;
	hash_add(fg_backoff_hash, &fresh->node, (unsigned long)current);
	if (!fg_nbackoff++)
		queue_delayed_work(system_wq, &fg_backoff_gc_work,
				   nsecs_to_jiffies(FG_BACKOFF_STALE_NS));
	return fresh;
}

/**
 * fg_backoff_next - how long the current task sleeps for a denied fork
 * @base_ns: the first step: the token interval of the bucket that denied it
 * @cap_ns:  the ceiling: the policy's deny_delay, not 0
 *
 * Process context; may allocate.  Records the sleep as taken.
 *
 * Return: the sleep in ns, from FG_BACKOFF_MIN_NS (or @cap_ns if smaller)
 * to @cap_ns.
 */
u64 fg_backoff_next(u64 base_ns, u64 cap_ns)
{
	struct fg_backoff *b, *fresh = NULL;
	u64 now = ktime_get_ns(), sleep;

	base_ns = max_t(u64, base_ns, FG_BACKOFF_MIN_NS);
	spin_lock(&fg_backoff_lock);
	b = fg_backoff_find();
	sleep = fg_backoff_step(b, now, base_ns, cap_ns);
	if (!b) {
		/* Only the task itself adds its entry: none appears meanwhile. */
		spin_unlock(&fg_backoff_lock);
		fresh = kmalloc(sizeof(*fresh), GFP_KERNEL | __GFP_NOWARN);
		spin_lock(&fg_backoff_lock);
		b = fg_backoff_add(fresh);
		if (b)
			fresh = NULL;
		else	/* No room to remember it: the longest sleep. */
			sleep = cap_ns;
	}
	if (b) {
		b->until = now + sleep;
		b->sleep = sleep;
	}
	spin_unlock(&fg_backoff_lock);
	kfree(fresh);
	return sleep;
}

/* Free the entries not used for FG_BACKOFF_STALE_NS, or all of them. */
static void fg_backoff_gc(bool all)
{
	u64 now = ktime_get_ns();
	struct hlist_node *tmp;
	struct fg_backoff *b;
	unsigned int bkt;
	HLIST_HEAD(dead);

	spin_lock(&fg_backoff_lock);
	hash_for_each_safe(fg_backoff_hash, bkt, tmp, b, node) {
		if (all || b->until + FG_BACKOFF_STALE_NS < now) {
			hash_del(&b->node);
			hlist_add_head(&b->node, &dead);
			fg_nbackoff--;
		}
	}
	if (fg_nbackoff && !all)
		queue_delayed_work(system_wq, &fg_backoff_gc_work,
				   nsecs_to_jiffies(FG_BACKOFF_STALE_NS));
	spin_unlock(&fg_backoff_lock);

	hlist_for_each_entry_safe(b, tmp, &dead, node)
		kfree(b);
}

static void fg_backoff_gc_fn(struct work_struct *work)
{
	fg_backoff_gc(false);
}

/* Called when no stub can run any more (see fg_hook_exit()). */
void fg_backoff_exit(void)
{
	cancel_delayed_work_sync(&fg_backoff_gc_work);
	fg_backoff_gc(true);
}
