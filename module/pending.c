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
static struct tracepoint *fg_tp_mkdir;

/* The work item never runs twice at once: its copy can be static. */
static struct cgroup *fg_mkdir_batch[FG_MKDIR_RING];

static void fg_pending_fn(struct work_struct *work)
{
	unsigned int n;
	bool rescan;

	raw_spin_lock_irq(&fg_mkdir_lock);
	n = fg_mkdir_n;
	memcpy(fg_mkdir_batch, fg_mkdir_ring, n * sizeof(*fg_mkdir_batch));
	rescan = fg_mkdir_rescan;
	fg_mkdir_n = 0;
	fg_mkdir_rescan = false;
	raw_spin_unlock_irq(&fg_mkdir_lock);

	fg_policy_activate(fg_mkdir_batch, n, rescan);
	while (n--)
		cgroup_put(fg_mkdir_batch[n]);
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
	while (fg_mkdir_n)
		cgroup_put(fg_mkdir_ring[--fg_mkdir_n]);
}
