// SPDX-License-Identifier: GPL-2.0
/*
 * Pending policies: the cgroup_mkdir notification.
 *
 * A policy set with the word "pending" for a cgroup that does not exist yet
 * waits in the table, without a bucket that anything charges, until a
 * cgroup is created at its path; then it turns active, as if it had been set
 * at that moment.  A policy set with "persist" turns pending again when its
 * cgroup is removed.  No polling: the cgroup_mkdir tracepoint names every
 * new cgroup.
 *
 * The probe runs with cgroup_mutex held and preemption disabled, so it only
 * puts the new cgroup, referenced, in a small ring and kicks a work item,
 * which activates under fg_mutex (policy.c).  Pointers, not ids: the probe
 * fires before the new directory is activated in kernfs, and until then
 * cgroup_get_from_id() does not find it.  When the ring
 * is full, new cgroups are left out and the work item looks up the path of every
 * pending policy instead: slower, never wrong.  A transaction that adds a
 * pending policy asks for that rescan too, for a cgroup created between its
 * lookup and its commit.
 *
 * The activation fence.  The first forks in a new cgroup must not escape the
 * policy waiting for it: a container runtime forks in its new cgroup at once.
 * cgroup ids only grow (kernfs gives each node of a hierarchy the next number
 * of a cyclic 32-bit counter, and a generation above it that grows when the
 * counter wraps), and the probe sees the new cgroups of the hierarchy in that
 * order, under cgroup_mutex.  So "created since the work item last looked"
 * is "id at least fg_pending_fence": the id of the oldest new cgroup not
 * yet handled, U64_MAX when there is none.  While the fence is up, every
 * fork takes the hook's slow path (fg_hook_slow_begin()), where one from
 * such a cgroup (or into one, CLONE_INTO_CGROUP) waits for the work item, in
 * process context, and restarts; other forks go on.  A task can only be in
 * a new cgroup after its mkdir returned, so after the probe raised the fence.
 * Only cgroups created while a pending policy exists raise it, and only for
 * the few milliseconds the work item takes.  Not fenced: a cgroup created
 * between the lookup and the commit of the transaction that makes its
 * policy pending (the rescan above activates it moments later).
 */
#include <linux/cgroup.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "forkgov.h"

#define FG_MKDIR_RING	128

static DEFINE_RAW_SPINLOCK(fg_mkdir_lock);
static struct cgroup *fg_mkdir_ring[FG_MKDIR_RING];
static unsigned int fg_mkdir_n;
static bool fg_mkdir_rescan;
static unsigned long fg_mkdir_overflows;	/* under fg_mkdir_lock */
static u64 fg_mkdir_last;	/* under fg_mkdir_lock: newest id handed on */
static atomic_long_t fg_fence_waits = ATOMIC_LONG_INIT(0);
u64 fg_pending_fence = U64_MAX;	/* written under fg_mkdir_lock */
static struct tracepoint *fg_tp_mkdir;

/* The work item never runs twice at once: its copy can be static. */
static struct cgroup *fg_mkdir_batch[FG_MKDIR_RING];

/* Drop the fence; fg_mkdir_lock held.  Return: whether it was up. */
static bool fg_fence_drop(void)
{
	if (fg_pending_fence == U64_MAX)
		return false;
	WRITE_ONCE(fg_pending_fence, U64_MAX);
	return true;
}

static void fg_pending_fn(struct work_struct *work)
{
	bool rescan, lift = false;
	unsigned int n;
	u64 handled;	/* the newest id this pass looks at */

	raw_spin_lock_irq(&fg_mkdir_lock);
	n = fg_mkdir_n;
	memcpy(fg_mkdir_batch, fg_mkdir_ring, n * sizeof(*fg_mkdir_batch));
	rescan = fg_mkdir_rescan;
	handled = fg_mkdir_last;
	fg_mkdir_n = 0;
	fg_mkdir_rescan = false;
	raw_spin_unlock_irq(&fg_mkdir_lock);

	fg_policy_activate(fg_mkdir_batch, n, rescan);
	while (n--)
		cgroup_put(fg_mkdir_batch[n]);

	/*
	 * Every cgroup up to @handled is done.  Newer ones, if any, queued
	 * this work again: the fence stays up from the first of them.
	 */
	raw_spin_lock_irq(&fg_mkdir_lock);
	if (fg_mkdir_last == handled)
		lift = fg_fence_drop();
	else if (fg_pending_fence <= handled)
		WRITE_ONCE(fg_pending_fence, handled + 1);
	raw_spin_unlock_irq(&fg_mkdir_lock);
	if (lift)
		fg_hook_slow_end();
}

static DECLARE_WORK(fg_pending_work, fg_pending_fn);

static void fg_pending_probe_mkdir(void *data, struct cgroup *cgrp,
				   const char *path)
{
	unsigned long flags;

	if (cgrp->root != &cgrp_dfl_root)
		return;
	/*
	 * Pairs with the barrier of the rescan a transaction asks for after
	 * it linked a pending policy: either this probe sees the policy, or
	 * that rescan sees the cgroup.
	 */
	smp_mb();
	if (!READ_ONCE(fg_npending))
		return;
	raw_spin_lock_irqsave(&fg_mkdir_lock, flags);
	fg_mkdir_last = cgroup_id(cgrp);
	if (fg_pending_fence == U64_MAX) {
		WRITE_ONCE(fg_pending_fence, fg_mkdir_last);
		fg_hook_slow_begin();
	}
	if (fg_mkdir_n < FG_MKDIR_RING) {
		cgroup_get(cgrp);
		fg_mkdir_ring[fg_mkdir_n++] = cgrp;
	} else {
		fg_mkdir_rescan = true;
		WRITE_ONCE(fg_mkdir_overflows, fg_mkdir_overflows + 1);
	}
	raw_spin_unlock_irqrestore(&fg_mkdir_lock, flags);
	queue_work(system_unbound_wq, &fg_pending_work);
}

/**
 * fg_pending_overflows - cgroups created while the ring was full
 *
 * Each made the work item rescan every pending policy instead of looking
 * at the cgroups it was handed.
 *
 * Return: their number since the module was loaded.
 */
unsigned long fg_pending_overflows(void)
{
	return READ_ONCE(fg_mkdir_overflows);
}

/**
 * fg_pending_waits - forks that waited for the activation of their cgroup
 *
 * Return: their number since the module was loaded.
 */
unsigned long fg_pending_waits(void)
{
	return atomic_long_read(&fg_fence_waits);
}

/**
 * fg_pending_wait - wait for the activation of the cgroups created so far
 *
 * Process context, no lock held: a fork stopped by the fence (hook.c).
 * Bounded by one run of the work item, which waits for nothing a forking
 * task can hold.
 */
void fg_pending_wait(void)
{
	atomic_long_inc(&fg_fence_waits);
	flush_work(&fg_pending_work);
}

/**
 * fg_pending_rescan - look for the cgroup of every pending policy
 *
 * For a pending policy linked after its cgroup may have been created.
 */
void fg_pending_rescan(void)
{
	/* Pairs with the barrier in fg_pending_probe_mkdir(). */
	smp_mb();
	raw_spin_lock_irq(&fg_mkdir_lock);
	fg_mkdir_rescan = true;
	raw_spin_unlock_irq(&fg_mkdir_lock);
	queue_work(system_unbound_wq, &fg_pending_work);
}

static void fg_pending_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "cgroup_mkdir"))
		fg_tp_mkdir = tp;
}

int fg_pending_init(void)
{
	int err;

	for_each_kernel_tracepoint(fg_pending_find_tp, NULL);
	if (!fg_tp_mkdir) {
		pr_err("tracepoint cgroup_mkdir not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(fg_tp_mkdir, fg_pending_probe_mkdir,
					NULL);
	if (err)
		pr_err("cannot attach to cgroup_mkdir: %d\n", err);
	return err;
}

/* Before the table is emptied: no activation runs afterwards. */
void fg_pending_exit(void)
{
	tracepoint_probe_unregister(fg_tp_mkdir, fg_pending_probe_mkdir, NULL);
	tracepoint_synchronize_unregister();
	cancel_work_sync(&fg_pending_work);
	raw_spin_lock_irq(&fg_mkdir_lock);
	if (fg_fence_drop())
		fg_hook_slow_end();
	raw_spin_unlock_irq(&fg_mkdir_lock);
	while (fg_mkdir_n)
		cgroup_put(fg_mkdir_ring[--fg_mkdir_n]);
}
