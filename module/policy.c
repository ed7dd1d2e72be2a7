// SPDX-License-Identifier: GPL-2.0
/*
 * The policy table.
 *
 * A policy sits on a cgroup v2 directory and limits how fast the tasks of
 * that subtree create processes.  A fork is charged to every policy on the
 * forking task's ancestor chain and proceeds only if each of them allows it;
 * a fork that one policy denies is refunded to the others, so it costs none
 * of them a token.  A "per-child" policy is a template: each direct child
 * cgroup of its target gets a bucket of its own, created on the child's first
 * fork; tasks in the target cgroup itself are not governed by it.
 *
 * Locking:
 *  - fg_mutex serialises every change of the table, the creation of child
 *    buckets and the installation of the hook.
 *  - The fork path finds policies and child buckets in RCU hash tables keyed
 *    by cgroup id.  A fork that a bucket allows takes no lock: it moves the
 *    bucket's theoretical arrival time by compare-and-exchange and counts
 *    itself with atomic increments (fg_bucket_take_fast()).  Every other
 *    writer of that time (a fork that finds no token, a refund, a change of
 *    parameters) holds the bucket's raw spinlock and writes it by
 *    compare-and-exchange too.  Raw, because the ftrace callback runs with
 *    preemption disabled, also on PREEMPT_RT.
 *  - Parameters live in the bucket and change under its lock, so a fork sees
 *    either the old or the new ones, never a mix: before a change of rate or
 *    burst, the lock-free path of the bucket is closed and a grace period
 *    waited for (fg_txn_close()).  The scope of a policy never changes: a new
 *    scope is a new policy object.
 *  - Removed objects are freed after one synchronize_rcu() per transaction.
 *  - A pending policy (see pending.c) has no cgroup: @cgrp is NULL for the
 *    life of the object, it sits in fg_pending_hash by path instead of
 *    fg_policy_hash, and nothing on the fork path ever finds it.  It turns
 *    active, and an active persistent policy turns pending again, by
 *    replacement with a new object, never in place.
 *  - fg_policy_list and the children lists are RCU lists, in link order,
 *    so that readers of the table walk them without fg_mutex (see
 *    fg_show_start()); an unlinked object keeps its list links for readers
 *    still on it and goes to the dead list by @dead.
 */
#include <linux/bitmap.h>
#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/kernfs.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/stringhash.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "forkgov.h"
#include "bucket.h"
#include "parse.h"
#include "policy.h"

/**
 * struct fg_bucket - one token bucket and what it has seen
 * @g:               GCRA state: @g.tat changes only by compare-and-exchange
 * @win:             fork attempts per second (atomic, see bucket.h)
 * @allowed:         forks that took a token
 * @fast_interval:   @p.interval_ns while forks may take a token without the
 *                   lock (fg_bucket_take_fast()), 0 while they may not: a
 *                   bucket that never refills, or one whose rate or burst
 *                   is being changed
 * @fast_tau:        (burst - 1) * interval_ns, for the same
 * @lock:            protects what follows, and serialises the forks that
 *                   find no token, refunds, moves of @win and changes of
 *                   parameters
 * @p:               parameters
 * @denied:          forks this bucket denied
 * @throttled:       forks that waited for a token
 * @throttle_ns:     total wait imposed
 * @throttle_max_ns: longest wait imposed
 * @logged:          forks that found the bucket empty under action log
 * @last_pid:        last task denied, throttled or logged (0: none)
 * @last_cgid:       its cgroup
 * @last_comm:       its name
 */
struct fg_bucket {
	struct fg_gcra g;
	struct fg_window win;
	atomic64_t allowed;
	u64 fast_interval;
	u64 fast_tau;
	raw_spinlock_t lock;
	struct fg_params p;
	u64 denied;
	u64 throttled;
	u64 throttle_ns;
	u64 throttle_max_ns;
	u64 logged;
	pid_t last_pid;
	u64 last_cgid;
	char last_comm[TASK_COMM_LEN];
};

/**
 * struct fg_policy - a policy on one cgroup
 * @hnode:       in fg_policy_hash, keyed by @cgid
 * @node:        in fg_policy_list (RCU), link order
 * @dead:        in a list of objects to free after a grace period
 * @children:    child buckets of a per-child policy (RCU, changed under
 *               fg_mutex)
 * @seq:         link order, from fg_link_seq: the readers' cursor
 * @cgrp:        the target cgroup, referenced
 * @cgid:        its id
 * @scope:       enum fg_scope, fixed for the life of the object
 * @governs:     false for rate=none: the policy only carries @mt_warn
 * @count_tasks: new threads are charged too
 * @mt_warn:     enum fg_mt_warn
 * @retry_after: per-child: no bucket creation before this time (after ENOMEM)
 * @rs:          limits the reports of this policy and its child buckets, so
 *               that a noisy policy does not crowd out those of others
 * @b:           the subtree bucket; for per-child, the overflow bucket
 *               used when max_buckets is reached
 * @path:        the path the policy was set for, when it is or may become
 *               pending (set with pending or persist); else NULL
 * @persist:     back to pending when the cgroup is removed
 * @owner:       who set it (owner=)
 */
struct fg_policy {
	struct hlist_node hnode;
	struct list_head node;
	struct list_head dead;
	struct list_head children;
	struct cgroup *cgrp;
	u64 cgid;
	u64 seq;
	u8 scope;
	bool governs;
	bool count_tasks;
	u8 mt_warn;
	u64 retry_after;
	struct ratelimit_state rs;
	struct fg_bucket b;
	char *path;
	bool persist;
	char owner[FG_OWNER_LEN];
};

/**
 * struct fg_child - the bucket of one child cgroup of a per-child policy
 * @hnode:  in fg_child_hash, keyed by fg_child_key(@cgid)
 * @node:   in the policy's children list (RCU)
 * @dead:   in a list of objects to free after a grace period
 * @policy: the template policy
 * @cgrp:   the child cgroup, referenced
 * @cgid:   its id
 * @seq:    link order, from fg_link_seq
 * @b:      the bucket
 */
struct fg_child {
	struct hlist_node hnode;
	struct list_head node;
	struct list_head dead;
	struct fg_policy *policy;
	struct cgroup *cgrp;
	u64 cgid;
	u64 seq;
	struct fg_bucket b;
};

#define FG_HASH_BITS	12

/*
 * Fork attempts in the last second, beyond which a bucket is under siege:
 * more than this many times its rate, plus its burst and a slack for
 * buckets that barely refill.
 */
#define FG_SIEGE_FACTOR	2
#define FG_SIEGE_SLACK	10

static DEFINE_MUTEX(fg_mutex);
static DEFINE_HASHTABLE(fg_policy_hash, FG_HASH_BITS);
static DEFINE_HASHTABLE(fg_child_hash, FG_HASH_BITS);
/* Pending policies by full_name_hash() of their path; fg_mutex. */
static DEFINE_HASHTABLE(fg_pending_hash, FG_HASH_BITS);
unsigned int fg_npending;
static LIST_HEAD(fg_policy_list);
static unsigned int fg_npolicies;
/* Policies with a rate: the hook is needed only while there is one. */
unsigned int fg_ngoverning;
/*
 * Pending policies with a rate: they need the hook too, for the first forks
 * of their cgroup (pending.c); fg_mutex.
 */
static unsigned int fg_npending_gov;
static atomic_t fg_nchildren = ATOMIC_INIT(0);
atomic_t fg_ntasks = ATOMIC_INIT(0);
/* Stamps objects as they are linked (fg_mutex): lists are in this order. */
static u64 fg_link_seq;
/* The levels that hold policies with a rate: see policy.h. */
struct fg_level_index fg_levels;
/* Installs or removes the hook (hook.c); called with fg_mutex held. */
static int (*fg_hook_set)(bool want);

static struct fg_policy *fg_policy_find(u64 cgid)
{
	struct fg_policy *pol;

	hash_for_each_possible_rcu(fg_policy_hash, pol, hnode, cgid)
		if (pol->cgid == cgid)
			return pol;
	return NULL;
}

/*
 * A cgroup being removed is offline before the cgroup_rmdir tracepoint
 * queues the sweep (fg_gc_fn), and the sweep takes fg_mutex: an object
 * created under fg_mutex for a cgroup found online here is seen by that
 * sweep.  Nothing may be created for a cgroup found offline: the sweep may
 * have run already, and the object would never be reaped.
 */
static bool fg_cgroup_gone(struct cgroup *cgrp)
{
	return !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
}

/*
 * fg_child_hash is keyed by the low half of the cgroup id, the kernfs inode
 * number (unique among live cgroups; the high half is a generation), which
 * a per-child fork hashes without loading a 64-bit multiplier.
 */
static u32 fg_child_key(u64 cgid)
{
	return lower_32_bits(cgid);
}

static struct fg_child *fg_child_find(const struct fg_policy *pol, u64 cgid)
{
	struct fg_child *ch;

	hash_for_each_possible_rcu(fg_child_hash, ch, hnode, fg_child_key(cgid))
		if (ch->cgid == cgid && ch->policy == pol)
			return ch;
	return NULL;
}

/* Open the lock-free path for the parameters in @b->p; @b->lock held. */
static void fg_bucket_open(struct fg_bucket *b)
{
	WRITE_ONCE(b->fast_tau, (u64)(b->p.burst - 1) * b->p.interval_ns);
	/* Pairs with fg_bucket_take_fast(): the interval, then the rest. */
	smp_store_release(&b->fast_interval, b->p.interval_ns);
}

static void fg_bucket_init(struct fg_bucket *b, const struct fg_params *p)
{
	raw_spin_lock_init(&b->lock);
	b->p = *p;
	fg_bucket_open(b);
}

static void fg_note_offender(struct fg_bucket *b, u64 cgid)
{
	b->last_pid = task_pid_nr(current);
	b->last_cgid = cgid;
	memcpy(b->last_comm, current->comm, sizeof(b->last_comm));
}

/*
 * What a denied fork sleeps before it fails, from the parameters of the
 * bucket that denied it: a throttle policy makes it wait its max_delay (it
 * would have waited that long for a token), and every policy backs off by
 * its deny_delay, from one token interval up.
 */
static void fg_bucket_deny_wait(const struct fg_bucket *b, struct fg_wait *w)
{
	const struct fg_params *p = &b->p;
	u64 per_s = p->interval_ns ? div64_u64(NSEC_PER_SEC, p->interval_ns) : 0;

	w->delay_ns = p->action == FG_ACT_THROTTLE ?
		      (u64)p->max_delay_ms * NSEC_PER_MSEC : 0;
	w->cap_ns = (u64)p->deny_delay_ms * NSEC_PER_MSEC;
	w->base_ns = p->interval_ns;
	/*
	 * A bucket under siege, tried far more often than it refills, starts
	 * every denied task at the ceiling: a bomb's new tasks would otherwise
	 * each climb the whole ladder, a few retries apiece.  A program that
	 * meets its limit keeps the ladder.
	 */
	if (atomic_read(&b->win.sum) >
	    FG_SIEGE_FACTOR * per_s + p->burst + FG_SIEGE_SLACK)
		w->base_ns = w->cap_ns;
}

/*
 * Apply fg_gcra_take() to @b by compare-and-exchange, so that forks taking a
 * token without the lock meanwhile are neither lost nor counted twice; with
 * @b->lock held, which keeps the parameters.
 */
static enum fg_verdict fg_bucket_take(struct fg_bucket *b, u64 now,
				      u64 *delay)
{
	u64 old = READ_ONCE(b->g.tat);
	struct fg_gcra g;
	enum fg_verdict v;

	do {
		g.tat = old;
		v = fg_gcra_take(&g, &b->p, now, delay);
	} while (g.tat != old && !try_cmpxchg64(&b->g.tat, &old, g.tat));
	return v;
}

/*
 * Take a token if the bucket has one now, without the lock: the allowed fork,
 * the common case, writes nothing but @b->g.tat, @b->win and @b->allowed, all
 * atomically.  fg_gcra_take()'s arithmetic for FG_ALLOW, applied by
 * compare-and-exchange.  The parameters read here are those of one version:
 * fg_bucket_reparam() closes this path and waits for a grace period before
 * it changes them (the fork path runs with preemption disabled, an RCU
 * read-side critical section).
 *
 * Return: true if a token was taken; false if the fork must be decided under
 * the lock (no token now, a bucket that never refills, or a change under way).
 */
static __always_inline bool fg_bucket_take_fast(struct fg_bucket *b, u64 now)
{
	/* Pairs with fg_bucket_open(): this interval's tau. */
	u64 interval = smp_load_acquire(&b->fast_interval);
	u64 tau, tat, start;

	if (!interval)
		return false;
	tau = READ_ONCE(b->fast_tau);
	tat = READ_ONCE(b->g.tat);
	do {
		start = max(tat, now);
		if (start - now > tau)
			return false;
	} while (!try_cmpxchg64(&b->g.tat, &tat, start + interval));
	return true;
}

/*
 * A fork that found no token without the lock; also counts log and deny.
 * @delay is set to the wait of FG_THROTTLE, else 0; it may be
 * &@w->delay_ns, which FG_DENY then sets to the denied fork's sleep.  (Not a
 * returned structure: that would cost the fast path's caller a frame
 * pointer.)
 */
static noinline enum fg_verdict fg_bucket_charge_slow(struct fg_bucket *b,
						      u64 now,
						      struct cgroup *cgrp,
						      struct fg_wait *w,
						      u64 *delay)
{
	u64 cgid = cgroup_id(cgrp);
	enum fg_verdict v;

	raw_spin_lock(&b->lock);
	v = fg_bucket_take(b, now, delay);
	switch (v) {
	case FG_ALLOW:
		atomic64_inc(&b->allowed);
		break;
	case FG_THROTTLE:
		b->throttled++;
		b->throttle_ns += *delay;
		b->throttle_max_ns = max(b->throttle_max_ns, *delay);
		fg_note_offender(b, cgid);
		break;
	case FG_LOGGED:
		b->logged++;
		fg_note_offender(b, cgid);
		break;
	case FG_DENY:
		b->denied++;
		fg_note_offender(b, cgid);
		fg_bucket_deny_wait(b, w);
		break;
	}
	raw_spin_unlock(&b->lock);
	return v;
}

/* Move the window of @b, about once in 100 ms: under the lock. */
static noinline void fg_bucket_count_slow(struct fg_bucket *b, u64 now)
{
	raw_spin_lock(&b->lock);
	__fg_window_add(&b->win, now);
	raw_spin_unlock(&b->lock);
}

/* Count an attempt in the window; moving the window takes the lock. */
static __always_inline void fg_bucket_count(struct fg_bucket *b, u64 now)
{
	if (unlikely(!fg_window_count_now(&b->win, now)))
		fg_bucket_count_slow(b, now);
}

/*
 * Charge one fork from @cgrp to @b; @w is set for FG_DENY, and @delay, which
 * the caller sets to 0, to the wait of FG_THROTTLE (fg_bucket_charge_slow()).
 */
static __always_inline enum fg_verdict fg_bucket_charge(struct fg_bucket *b,
							u64 now,
							struct cgroup *cgrp,
							struct fg_wait *w,
							u64 *delay)
{
	fg_bucket_count(b, now);
	if (likely(fg_bucket_take_fast(b, now))) {
		atomic64_inc(&b->allowed);
		return FG_ALLOW;
	}
	return fg_bucket_charge_slow(b, now, cgrp, w, delay);
}

/*
 * The wait stays counted in throttle_ns: it was imposed on the chain.  The
 * lock keeps the parameters; forks taking tokens without it meanwhile are
 * kept by the compare-and-exchange.
 */
static void fg_bucket_refund(struct fg_bucket *b, enum fg_verdict v)
{
	u64 old, tat;

	raw_spin_lock(&b->lock);
	old = READ_ONCE(b->g.tat);
	do {
		struct fg_gcra g = { .tat = old };

		fg_gcra_refund(&g, &b->p);
		tat = g.tat;
	} while (!try_cmpxchg64(&b->g.tat, &old, tat));
	if (v == FG_ALLOW)
		atomic64_dec(&b->allowed);
	else
		b->throttled--;
	raw_spin_unlock(&b->lock);
}

/*
 * A per-child policy without a bucket for @below yet: share the policy's own
 * bucket when out of buckets, out of memory a moment ago, or for a child
 * being removed (that fork fails anyway); else NULL, and the bucket is to be
 * created.
 */
static struct fg_bucket *fg_child_missing(struct fg_policy *pol,
					  struct cgroup *below, u64 now)
{
	if (atomic_read(&fg_nchildren) >= READ_ONCE(fg_max_buckets) ||
	    now < READ_ONCE(pol->retry_after) || fg_cgroup_gone(below))
		return &pol->b;
	return NULL;
}

/* fg_policy_bucket() for a per-child policy. */
static __always_inline struct fg_bucket *
fg_child_bucket(struct fg_policy *pol, struct cgroup *below, u64 now)
{
	struct fg_child *ch;

	if (!below)
		return NULL;
	ch = fg_child_find(pol, cgroup_id(below));
	if (ch)
		return &ch->b;
	return fg_child_missing(pol, below, now) ?: ERR_PTR(-EAGAIN);
}

/*
 * The bucket of @pol, a policy that governs the fork (fg_level_policy()),
 * that a fork from below @below pays into.  @below is the chain's cgroup one
 * level under the policy's, NULL when the fork comes from the policy's own
 * cgroup.
 *
 * Return: the bucket; NULL when the policy does not apply (a per-child
 * policy, to its own cgroup); ERR_PTR(-EAGAIN) when a per-child bucket has
 * yet to be created.
 */
static __always_inline struct fg_bucket *
fg_policy_bucket(struct fg_policy *pol, struct cgroup *below, u64 now)
{
	if (likely(pol->scope == FG_SCOPE_SUBTREE))
		return &pol->b;
	return fg_child_bucket(pol, below, now);
}

/* The cgroup a bucket stands for, as reports name it. */
static u64 fg_bucket_cgid(struct fg_policy *pol, struct fg_bucket *b)
{
	return b == &pol->b ? pol->cgid : container_of(b, struct fg_child, b)->cgid;
}

/*
 * The buckets a fork has been charged to so far, so that a denial further up
 * the chain can give their tokens back: @b[i] the i-th, with bit i set in
 * @throttled if it promised a token (FG_THROTTLE), in @logged if it took none
 * (FG_LOGGED), in neither if it took one (FG_ALLOW), so that the allowed
 * fork, the common case, notes one pointer.  Chains with more policies than
 * this are unusual; the excess ones keep their token on a denial.
 */
#define FG_CHAIN_MAX	16

struct fg_charged {
	struct fg_bucket *b[FG_CHAIN_MAX];
	u32 throttled;
	u32 logged;
};

/* Give back what the first @n buckets charged took (all but the excess). */
static void fg_chain_refund(const struct fg_charged *c, unsigned int n)
{
	n = min(n, FG_CHAIN_MAX);
	while (n--)
		if (!(c->logged & BIT(n)))
			fg_bucket_refund(c->b[n], c->throttled & BIT(n) ?
						  FG_THROTTLE : FG_ALLOW);
}

/*
 * The policy of level @l of the chain of @cgrp that governs a fork, or NULL.
 * The level's only policy, if it has one, needs no lookup: a policy read from
 * the index stays until a grace period after the rebuild that dropped it, and
 * its cgroup never changes.  @sole: @l is below FG_LEVEL_DEEP.
 */
static __always_inline struct fg_policy *
fg_level_policy(struct cgroup *cgrp, unsigned long l, bool thread, bool sole)
{
	struct cgroup *cg = cgrp->ancestors[l];
	struct fg_policy *pol;

	pol = sole ? READ_ONCE(fg_levels.sole_pol[l]) : NULL;
	if (!pol || pol->cgrp != cg)
		pol = fg_policy_find(cgroup_id(cg));
	if (!pol || !READ_ONCE(pol->governs) ||
	    (thread && !READ_ONCE(pol->count_tasks)))
		return NULL;
	return pol;
}

/* The chain's cgroup one level under @l, NULL at the cgroup of the fork. */
static __always_inline struct cgroup *fg_level_below(struct cgroup *cgrp,
						     int l)
{
	return l < cgrp->level ? cgrp->ancestors[l + 1] : NULL;
}

/*
 * What a bucket's verdict other than FG_ALLOW means for the fork, when that
 * bucket is the only one charged: the report and the statistics that
 * __fg_policy_charge_chain() would have made of it.
 */
static noinline enum fg_decision fg_policy_verdict(struct fg_policy *pol,
						   struct fg_bucket *b,
						   enum fg_verdict v, u64 cgid,
						   struct fg_wait *w)
{
	struct fg_stats *st = this_cpu_ptr(&fg_stats);
	u64 d = w->delay_ns;

	st->governed++;
	switch (v) {
	case FG_DENY:
		st->denied++;
		fg_report_event(FG_EV_DENY, cgid, fg_bucket_cgid(pol, b), 0,
				&pol->rs);
		return FG_DO_DENY;
	case FG_LOGGED:
		st->logged++;
		st->allowed++;
		fg_report_event(FG_EV_LOG, cgid, fg_bucket_cgid(pol, b), 0,
				&pol->rs);
		return FG_DO_ALLOW;
	case FG_THROTTLE:
		fg_report_event(FG_EV_THROTTLE, cgid, fg_bucket_cgid(pol, b), d,
				&pol->rs);
		st->throttled++;
		st->throttle_ns += d;
		return FG_DO_THROTTLE;
	default:
		st->allowed++;
		return FG_DO_ALLOW;
	}
}

/*
 * fg_policy_charge() for a chain on which policies sit on several levels, or
 * below FG_LEVEL_DEEP: every bucket charged is noted, so that a denial
 * further up gives the tokens back.
 */
static __always_inline enum fg_decision
__fg_policy_charge_chain(struct cgroup *cgrp, bool thread, u64 *now,
			 struct fg_wait *w)
{
	/*
	 * Only the first n entries are ever read: spare every fork the
	 * zeroing that CONFIG_INIT_STACK_ALL_ZERO would do.
	 */
	struct fg_charged charged __uninitialized;
	unsigned long mask = READ_ONCE(fg_levels.mask);
	struct fg_stats *st;
	bool logged = false;
	struct fg_policy *pol;
	struct fg_bucket *b;
	/* The buckets charged so far: the policies that govern the fork. */
	unsigned int n = 0;
	unsigned long l;	/* a level; the width of an index, no extension */
	int deep = cgrp->level;
	u64 t = *now, d;
	enum fg_verdict v;

	charged.throttled = 0;
	charged.logged = 0;
	/*
	 * The levels of the index still to visit, from the cgroup of the fork
	 * up: bit FG_LEVEL_DEEP (the sign bit) stands for the levels from
	 * there down, visited one by one before it is cleared.
	 */
	mask &= fg_levels_upto(deep);
	for (;;) {
		if (unlikely((long)mask < 0)) {
			l = deep--;
			if (l == FG_LEVEL_DEEP)
				mask &= ~BIT(FG_LEVEL_DEEP);
			pol = fg_level_policy(cgrp, l, thread, false);
		} else if (mask) {
			l = __fls(mask);
			mask ^= BIT(l);
			pol = fg_level_policy(cgrp, l, thread, true);
		} else {
			break;
		}
		if (!pol)
			continue;
		if (!t)
			*now = t = ktime_get_ns();
		if (likely(pol->scope == FG_SCOPE_SUBTREE)) {
			b = &pol->b;
		} else {
			b = fg_child_bucket(pol, fg_level_below(cgrp, (int)l), t);
			if (IS_ERR(b)) {
				fg_chain_refund(&charged, n);
				return FG_DO_POPULATE;
			}
			if (!b)
				continue;
		}
		/*
		 * fg_bucket_charge(), with the allowed fork apart: it notes
		 * its bucket and nothing else (no wait, no verdict).
		 */
		fg_bucket_count(b, t);
		if (likely(fg_bucket_take_fast(b, t))) {
			atomic64_inc(&b->allowed);
			if (likely(n < FG_CHAIN_MAX))
				charged.b[n] = b;
			n++;
			continue;
		}
		d = 0;
		v = fg_bucket_charge_slow(b, t, cgrp, w, &d);
		if (v == FG_DENY) {
			fg_chain_refund(&charged, n);
			st = this_cpu_ptr(&fg_stats);
			st->governed++;
			st->denied++;
			fg_report_event(FG_EV_DENY, cgroup_id(cgrp),
					fg_bucket_cgid(pol, b), 0, &pol->rs);
			return FG_DO_DENY;
		}
		if (v == FG_LOGGED) {
			logged = true;
			fg_report_event(FG_EV_LOG, cgroup_id(cgrp),
					fg_bucket_cgid(pol, b), 0, &pol->rs);
		}
		if (v == FG_THROTTLE)
			fg_report_event(FG_EV_THROTTLE, cgroup_id(cgrp),
					fg_bucket_cgid(pol, b), d, &pol->rs);
		if (n < FG_CHAIN_MAX) {
			charged.b[n] = b;
			if (v == FG_THROTTLE)
				charged.throttled |= BIT(n);
			if (v == FG_LOGGED)
				charged.logged |= BIT(n);
		}
		n++;
		w->delay_ns = max(w->delay_ns, d);
	}

	if (!n)
		return FG_DO_ALLOW;
	st = this_cpu_ptr(&fg_stats);
	st->governed++;
	st->logged += logged;
	if (w->delay_ns) {
		st->throttled++;
		st->throttle_ns += w->delay_ns;
		return FG_DO_THROTTLE;
	}
	st->allowed++;
	return FG_DO_ALLOW;
}

/*
 * Apart for a fork and for a thread, so that neither tests @thread at
 * every level.
 */
static noinline enum fg_decision
fg_policy_charge_chain_fork(struct cgroup *cgrp, u64 *now, struct fg_wait *w)
{
	return __fg_policy_charge_chain(cgrp, false, now, w);
}

static noinline enum fg_decision
fg_policy_charge_chain_thread(struct cgroup *cgrp, u64 *now,
			      struct fg_wait *w)
{
	return __fg_policy_charge_chain(cgrp, true, now, w);
}

/**
 * fg_policy_charge_level - charge a fork to the policy on one level
 * @cgrp:   the cgroup the child will start in
 * @l:      the level of its chain that fg_policy_level() named, below
 *          FG_LEVEL_DEEP: no other level holds a policy that governs it
 * @thread: the new task is a thread (CLONE_THREAD)
 * @c:      @c->now is 0, and is set to CLOCK_MONOTONIC in ns if a policy
 *          governs the fork; @c->w is set to the waits of FG_DO_THROTTLE
 *          and FG_DO_DENY
 *
 * The common case: one bucket to charge and nothing to refund, decided in
 * one small frame.  The bucket is found before the clock is read, so that
 * little is kept across that call; only a verdict other than "allowed"
 * leaves the frame (fg_policy_verdict()).  Called as fg_policy_charge() is.
 *
 * Return: what the hook must do with the fork.
 */
enum fg_decision fg_policy_charge_level(struct cgroup *cgrp, unsigned int l,
					bool thread, struct fg_call *c)
{
	struct fg_policy *pol;
	struct fg_bucket *b;
	struct fg_child *ch;
	struct cgroup *below;
	enum fg_verdict v;

	c->w.delay_ns = 0;
	pol = fg_level_policy(cgrp, l, thread, true);
	if (!pol)
		return FG_DO_ALLOW;
	if (likely(pol->scope == FG_SCOPE_SUBTREE)) {
		b = &pol->b;
	} else {
		/* A per-child policy does not govern its own cgroup. */
		if (l >= cgrp->level)
			return FG_DO_ALLOW;
		below = cgrp->ancestors[(unsigned long)l + 1];
		ch = fg_child_find(pol, cgroup_id(below));
		if (likely(ch)) {
			b = &ch->b;
		} else {
			b = fg_child_missing(pol, below, ktime_get_ns());
			if (!b)
				return FG_DO_POPULATE;
		}
	}
	c->now = ktime_get_ns();
	/* The throttle's wait goes straight where the hook reads it. */
	v = fg_bucket_charge(b, c->now, cgrp, &c->w, &c->w.delay_ns);
	if (unlikely(v != FG_ALLOW))
		return fg_policy_verdict(pol, b, v, cgroup_id(cgrp), &c->w);
	this_cpu_inc(fg_stats.governed);
	this_cpu_inc(fg_stats.allowed);
	return FG_DO_ALLOW;
}

/**
 * fg_policy_charge - charge a fork to every policy above its cgroup
 * @cgrp:   the cgroup the child will start in
 * @thread: the new task is a thread (CLONE_THREAD)
 * @c:      @c->now is 0, and is set to CLOCK_MONOTONIC in ns if a policy
 *          governs the fork; @c->w is set to the waits of FG_DO_THROTTLE
 *          and FG_DO_DENY
 *
 * Called in an RCU read-side critical section with preemption disabled.  Only
 * the levels of the chain that the level index names are looked up, from the
 * cgroup of the fork up.  Refunds are per-bucket and not atomic across the
 * chain: another fork may briefly see a bucket without a token that is about
 * to be given back.  That only errs towards strictness.  A chain with
 * policies on one level only is charged by fg_policy_charge_level().
 *
 * Return: what the hook must do with the fork.
 */
enum fg_decision fg_policy_charge(struct cgroup *cgrp, bool thread,
				  struct fg_call *c)
{
	unsigned long mask = READ_ONCE(fg_levels.mask);
	int l;

	mask &= fg_levels_upto(cgrp->level);
	if (!mask) {
		c->w.delay_ns = 0;
		return FG_DO_ALLOW;
	}
	l = __fls(mask);
	/* More levels to charge: the chain, with its refunds. */
	if (l >= FG_LEVEL_DEEP || (mask & (mask - 1))) {
		c->w.delay_ns = 0;
		return thread ?
			fg_policy_charge_chain_thread(cgrp, &c->now, &c->w) :
			fg_policy_charge_chain_fork(cgrp, &c->now, &c->w);
	}
	return fg_policy_charge_level(cgrp, l, thread, c);
}

/**
 * fg_policy_mt_warn - fork-without-exec override for a cgroup
 * @cgrp: the cgroup
 *
 * Return: the mt_warn setting of the nearest policy on the chain that sets
 * one, FG_MT_INHERIT if none does.  Callable from any context.
 */
enum fg_mt_warn fg_policy_mt_warn(struct cgroup *cgrp)
{
	enum fg_mt_warn mt = FG_MT_INHERIT;
	struct fg_policy *pol;
	struct cgroup *cg;

	if (!READ_ONCE(fg_npolicies))
		return FG_MT_INHERIT;
	rcu_read_lock();
	for (cg = cgrp; cg && mt == FG_MT_INHERIT; cg = cgroup_parent(cg)) {
		pol = fg_policy_find(cgroup_id(cg));
		if (pol)
			mt = READ_ONCE(pol->mt_warn);
	}
	rcu_read_unlock();
	return mt;
}

static void fg_child_free(struct fg_child *ch)
{
	cgroup_put(ch->cgrp);
	kfree(ch);
}

static void fg_policy_free(struct fg_policy *pol)
{
	if (pol->cgrp)
		cgroup_put(pol->cgrp);
	kfree(pol->path);
	kfree(pol);
}

static int fg_child_create(struct fg_policy *pol, struct cgroup *cgrp)
{
	struct fg_child *ch;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;
	cgroup_get(cgrp);
	ch->cgrp = cgrp;
	ch->cgid = cgroup_id(cgrp);
	ch->policy = pol;
	raw_spin_lock(&pol->b.lock);
	fg_bucket_init(&ch->b, &pol->b.p);
	raw_spin_unlock(&pol->b.lock);
	ch->seq = ++fg_link_seq;
	list_add_tail_rcu(&ch->node, &pol->children);
	hash_add_rcu(fg_child_hash, &ch->hnode, fg_child_key(ch->cgid));
	atomic_inc(&fg_nchildren);
	return 0;
}

/*
 * Find one missing child bucket on the chain of @cgrp; fg_mutex held.  As
 * the fork path does (fg_level_policy(), fg_child_bucket()), it skips
 * templates with rate=none, which charge no fork, and children being
 * removed, which fork into the shared bucket.
 */
static struct fg_policy *fg_find_missing(struct cgroup *cgrp,
					 struct cgroup **child)
{
	struct cgroup *cg, *below = NULL;
	struct fg_policy *pol;

	for (cg = cgrp; cg; below = cg, cg = cgroup_parent(cg)) {
		pol = fg_policy_find(cgroup_id(cg));
		if (pol && pol->governs && pol->scope == FG_SCOPE_PER_CHILD &&
		    below && !fg_cgroup_gone(below) &&
		    !fg_child_find(pol, cgroup_id(below))) {
			*child = below;
			return pol;
		}
	}
	return NULL;
}

/**
 * fg_policy_populate - create the child buckets a fork from @cgrp needs
 * @cgrp: the cgroup of the fork, referenced by the caller
 *
 * Process context.  On failure the policy charges its shared bucket for a
 * second instead of retrying on every fork.
 */
void fg_policy_populate(struct cgroup *cgrp)
{
	struct fg_policy *pol;
	struct cgroup *child;

	mutex_lock(&fg_mutex);
	while (atomic_read(&fg_nchildren) < READ_ONCE(fg_max_buckets)) {
		pol = fg_find_missing(cgrp, &child);
		if (!pol)
			break;
		if (fg_child_create(pol, child)) {
			WRITE_ONCE(pol->retry_after,
				   ktime_get_ns() + NSEC_PER_SEC);
			break;
		}
	}
	mutex_unlock(&fg_mutex);
}

/*
 * Transactions.  A write to /proc/forkgov/policies is parsed into a
 * transaction, checked completely, and then committed by steps that cannot
 * fail, so that a write is applied entirely or not at all.
 */
struct fg_txn_op {
	int kind;
	int line;
	char *path;
	struct fg_params params;
	struct cgroup *cgrp;
	struct fg_policy *old;
	struct fg_policy *new;
	char owner[FG_OWNER_LEN];
	bool pending;
	bool persist;
};

struct fg_txn {
	unsigned int n;
	unsigned int max;
	struct work_struct work;
	int err;
	int bad_line;
	const char *why;
	struct fg_txn_op ops[];
};

struct fg_txn *fg_txn_alloc(unsigned int nops)
{
	struct fg_txn *txn;

	return kvzalloc(struct_size(txn, ops, nops), GFP_KERNEL);
}

void fg_txn_free(struct fg_txn *txn)
{
	struct fg_txn_op *op;
	unsigned int i;

	if (!txn)
		return;
	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (op->cgrp)
			cgroup_put(op->cgrp);
		if (op->new)
			fg_policy_free(op->new);
		kfree(op->path);
	}
	kvfree(txn);
}

/**
 * fg_txn_add - append a parsed line to a transaction
 * @txn:  the transaction, with room for the op
 * @op:   the parsed line
 * @line: its line number, for messages
 *
 * Return: 0 or -ENOMEM.
 */
int fg_txn_add(struct fg_txn *txn, const struct fg_op *op, int line)
{
	struct fg_txn_op *t = &txn->ops[txn->n];

	if (op->kind == FG_OP_NONE)
		return 0;
	t->kind = op->kind;
	t->line = line;
	t->params = op->params;
	memcpy(t->owner, op->owner, sizeof(t->owner));
	t->pending = op->pending;
	t->persist = op->persist;
	if (op->path) {
		t->path = kstrdup(op->path, GFP_KERNEL);
		if (!t->path)
			return -ENOMEM;
	}
	txn->n++;
	return 0;
}

static void fg_txn_fail(struct fg_txn *txn, int err, int line,
			const char *why)
{
	if (txn->err)
		return;
	txn->err = err;
	txn->bad_line = line;
	txn->why = why;
}

/*
 * Paths name cgroups from the root of the hierarchy whatever the writer's
 * cgroup namespace, but cgroup_get_from_path() walks from the caller's
 * namespace root.  Resolve them from a kworker, which lives in the initial
 * cgroup namespace.
 */
static void fg_txn_resolve_fn(struct work_struct *work)
{
	struct fg_txn *txn = container_of(work, struct fg_txn, work);
	struct fg_txn_op *op;
	struct cgroup *cgrp;
	unsigned int i;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (!op->path)
			continue;
		cgrp = cgroup_get_from_path(op->path);
		/* Pending, or perhaps a pending policy to delete. */
		if (IS_ERR(cgrp) && (op->pending || op->kind == FG_OP_DEL))
			continue;
		if (IS_ERR(cgrp)) {
			fg_txn_fail(txn, -ENOENT, op->line,
				    "no such cgroup v2 directory");
			return;
		}
		op->cgrp = cgrp;
	}
}

static int fg_txn_resolve(struct fg_txn *txn)
{
	INIT_WORK_ONSTACK(&txn->work, fg_txn_resolve_fn);
	queue_work(system_unbound_wq, &txn->work);
	flush_work(&txn->work);
	destroy_work_on_stack(&txn->work);
	return txn->err;
}

static int fg_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int fg_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/* Two operations on one cgroup that does not exist yet: 1; or -ENOMEM. */
static int fg_txn_dup_paths(struct fg_txn *txn)
{
	unsigned int i, n = 0;
	const char **paths;
	int dup = 0;

	for (i = 0; i < txn->n; i++)
		n += txn->ops[i].path && !txn->ops[i].cgrp;
	if (n < 2)
		return 0;
	paths = kvmalloc_array(n, sizeof(*paths), GFP_KERNEL);
	if (!paths)
		return -ENOMEM;
	for (i = 0, n = 0; i < txn->n; i++)
		if (txn->ops[i].path && !txn->ops[i].cgrp)
			paths[n++] = txn->ops[i].path;
	sort(paths, n, sizeof(*paths), fg_cmp_str, NULL);
	for (i = 1; i < n && !dup; i++)
		dup = !strcmp(paths[i], paths[i - 1]);
	kvfree(paths);
	return dup;
}

/* The same cgroup twice in one write is ambiguous: refuse it. */
static int fg_txn_check_dups(struct fg_txn *txn)
{
	unsigned int i, n = 0;
	int dup;
	u64 *ids;

	ids = kvmalloc_array(txn->n, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < txn->n; i++)
		if (txn->ops[i].cgrp)
			ids[n++] = cgroup_id(txn->ops[i].cgrp);
	sort(ids, n, sizeof(*ids), fg_cmp_u64, NULL);
	for (i = 1; i < n; i++)
		if (ids[i] == ids[i - 1])
			break;
	kvfree(ids);
	dup = i < n ? 1 : fg_txn_dup_paths(txn);
	if (dup < 0)
		return dup;
	if (dup) {
		fg_txn_fail(txn, -EINVAL, 0, "the same cgroup twice in one write");
		return -EINVAL;
	}
	return 0;
}

/* rate=none: a policy that only carries mt_warn and charges no fork. */
static bool fg_params_govern(const struct fg_params *p)
{
	return p->period_s != 0;
}

/*
 * A policy object for @cgrp, or a pending one (@cgrp NULL) for @path.  The
 * path is kept when the policy may be pending some day.
 */
static struct fg_policy *fg_policy_new(const struct fg_params *p,
				       struct cgroup *cgrp, const char *path,
				       const char *owner, bool persist)
{
	struct fg_policy *pol;

	pol = kzalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return NULL;
	if (!cgrp || persist) {
		pol->path = kstrdup(path, GFP_KERNEL);
		if (!pol->path) {
			kfree(pol);
			return NULL;
		}
	}
	INIT_LIST_HEAD(&pol->children);
	pol->cgid = cgrp ? cgroup_id(cgrp) : 0;
	pol->scope = p->scope;
	pol->governs = fg_params_govern(p);
	pol->count_tasks = p->count == FG_COUNT_TASKS;
	pol->mt_warn = p->mt_warn;
	pol->persist = persist;
	strscpy(pol->owner, owner, sizeof(pol->owner));
	fg_report_ratelimit_init(&pol->rs);
	fg_bucket_init(&pol->b, p);
	return pol;
}

static struct fg_policy *fg_policy_alloc(struct fg_txn_op *op)
{
	return fg_policy_new(&op->params, op->cgrp, op->path, op->owner,
			     op->persist);
}

static u32 fg_path_hash(const char *path)
{
	return full_name_hash(NULL, path, strlen(path));
}

/* The pending policy for @path; fg_mutex held. */
static struct fg_policy *fg_pending_find(const char *path)
{
	struct fg_policy *pol;

	hash_for_each_possible(fg_pending_hash, pol, hnode, fg_path_hash(path))
		if (!strcmp(pol->path, path))
			return pol;
	return NULL;
}

/*
 * The policy an operation replaces: the one on its cgroup, or one pending
 * for its path that the activation has not reached yet.
 */
static struct fg_policy *fg_txn_find_old(struct fg_txn_op *op)
{
	struct fg_policy *pol = NULL;

	if (op->cgrp)
		pol = fg_policy_find(cgroup_id(op->cgrp));
	return pol ?: fg_pending_find(op->path);
}

/* A set that keeps the object of @old: same state, scope, owner, persist. */
static bool fg_txn_in_place(const struct fg_txn_op *op,
			    const struct fg_policy *old)
{
	return !!old->cgrp == !!op->cgrp && old->scope == op->params.scope &&
	       old->persist == op->persist && !strcmp(old->owner, op->owner);
}

/* Forks are charged to it: a policy with a rate on an existing cgroup. */
static bool fg_policy_governing(const struct fg_policy *pol)
{
	return pol->cgrp && pol->governs;
}

/*
 * Check a transaction against the table and allocate what it needs, with
 * fg_mutex held: afterwards fg_txn_apply() cannot fail.  Sets *@governing to
 * the number of policies that the table will hold and that need the hook:
 * those with a rate, active or pending (a pending one's cgroup may appear
 * at any moment, and its first forks wait at the hook, see pending.c).
 */
static int fg_txn_prepare(struct fg_txn *txn, unsigned int *governing)
{
	unsigned int i, count = fg_npolicies, gov = fg_ngoverning;
	unsigned int pend = fg_npending_gov;
	bool flushed = false;
	struct fg_txn_op *op;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (op->kind == FG_OP_FLUSH) {
			flushed = true;
			count = 0;
			gov = 0;
			pend = 0;
			continue;
		}
		op->old = flushed ? NULL : fg_txn_find_old(op);
		if (op->old) {
			gov -= fg_policy_governing(op->old);
			pend -= !op->old->cgrp && op->old->governs;
		}
		if (op->kind == FG_OP_DEL) {
			if (!op->old) {
				fg_txn_fail(txn, -ENOENT, op->line,
					    "no policy on that cgroup");
				return -ENOENT;
			}
			count--;
			continue;
		}
		if (op->cgrp && fg_cgroup_gone(op->cgrp)) {
			fg_txn_fail(txn, -ENOENT, op->line,
				    "cgroup is being removed");
			return -ENOENT;
		}
		if (!op->old)
			count++;
		gov += op->cgrp && fg_params_govern(&op->params);
		pend += !op->cgrp && fg_params_govern(&op->params);
		if (op->old && fg_txn_in_place(op, op->old))
			continue;
		op->new = fg_policy_alloc(op);
		if (!op->new)
			return -ENOMEM;
	}
	/* A write that does not grow the table is fine over a lowered limit. */
	if (count > fg_npolicies && count > READ_ONCE(fg_max_policies)) {
		fg_txn_fail(txn, -ENOSPC, 0,
			    "table full (raise kernel.forkgov.max_policies)");
		return -ENOSPC;
	}
	*governing = gov + pend;
	return 0;
}

static void fg_policy_unlink(struct fg_policy *pol, struct list_head *dead)
{
	struct fg_child *ch;

	if (!pol->cgrp) {
		hash_del(&pol->hnode);
		list_del_rcu(&pol->node);
		list_add_tail(&pol->dead, dead);
		fg_npolicies--;
		WRITE_ONCE(fg_npending, fg_npending - 1);
		fg_npending_gov -= pol->governs;
		return;
	}
	list_for_each_entry(ch, &pol->children, node) {
		hash_del_rcu(&ch->hnode);
		atomic_dec(&fg_nchildren);
	}
	hash_del_rcu(&pol->hnode);
	list_del_rcu(&pol->node);
	list_add_tail(&pol->dead, dead);
	fg_npolicies--;
	fg_ngoverning -= pol->governs;
	if (pol->count_tasks)
		atomic_dec(&fg_ntasks);
}

static void fg_policy_link(struct fg_policy *pol, struct cgroup *cgrp)
{
	if (!cgrp) {
		pol->seq = ++fg_link_seq;
		list_add_tail_rcu(&pol->node, &fg_policy_list);
		hash_add(fg_pending_hash, &pol->hnode, fg_path_hash(pol->path));
		fg_npolicies++;
		/* Pairs with the barrier in fg_pending_probe_mkdir(). */
		WRITE_ONCE(fg_npending, fg_npending + 1);
		fg_npending_gov += pol->governs;
		return;
	}
	cgroup_get(cgrp);
	pol->cgrp = cgrp;
	pol->seq = ++fg_link_seq;
	list_add_tail_rcu(&pol->node, &fg_policy_list);
	hash_add_rcu(fg_policy_hash, &pol->hnode, pol->cgid);
	fg_npolicies++;
	fg_ngoverning += pol->governs;
	if (pol->count_tasks)
		atomic_inc(&fg_ntasks);
}

/*
 * Close the lock-free path of @b if @p changes its rate or burst; fg_mutex
 * held (the only writer of @b->p).  The caller then waits for a grace period,
 * after which no fork is on that path with the old parameters, and
 * fg_bucket_reparam() reopens it with the new ones.
 */
static bool fg_bucket_close(struct fg_bucket *b, const struct fg_params *p)
{
	if (b->p.interval_ns == p->interval_ns && b->p.burst == p->burst)
		return false;
	WRITE_ONCE(b->fast_interval, 0);
	return true;
}

/*
 * A bucket whose rate or burst changes was closed by fg_bucket_close(): only
 * lock holders change @b->g.tat now.  Otherwise forks may still take tokens
 * without the lock, with parameters that stay the same: the
 * compare-and-exchange orders the change with them.
 */
static void fg_bucket_reparam(struct fg_bucket *b, const struct fg_params *p,
			      u64 now)
{
	u64 old;
	struct fg_gcra g;

	raw_spin_lock(&b->lock);
	old = READ_ONCE(b->g.tat);
	do {
		g.tat = old;
		fg_gcra_reparam(&g, &b->p, p, now);
	} while (g.tat != old && !try_cmpxchg64(&b->g.tat, &old, g.tat));
	b->p = *p;
	fg_bucket_open(b);
	raw_spin_unlock(&b->lock);
}

/* Replace the parameters of a policy in place: same scope, same buckets. */
static void fg_policy_update(struct fg_policy *pol, const struct fg_params *p)
{
	struct fg_child *ch;
	bool tasks = p->count == FG_COUNT_TASKS;
	u64 now = ktime_get_ns();

	if (tasks != pol->count_tasks && pol->cgrp) {
		if (tasks)
			atomic_inc(&fg_ntasks);
		else
			atomic_dec(&fg_ntasks);
	}
	WRITE_ONCE(pol->count_tasks, tasks);
	WRITE_ONCE(pol->mt_warn, p->mt_warn);
	if (pol->cgrp)
		fg_ngoverning += fg_params_govern(p) - pol->governs;
	else
		fg_npending_gov += fg_params_govern(p) - pol->governs;
	WRITE_ONCE(pol->governs, fg_params_govern(p));
	fg_bucket_reparam(&pol->b, p, now);
	list_for_each_entry(ch, &pol->children, node)
		fg_bucket_reparam(&ch->b, p, now);
}

/*
 * Audit records are written after fg_mutex is released: audit_log_start()
 * may wait for a full audit backlog, and every fork that needs a child
 * bucket would wait behind it.  What an operation replaced is noted under
 * the mutex, as it is applied.
 */
struct fg_txn_audit {
	struct fg_params old;
	unsigned int npolicies;
	bool had_old;
};

static void fg_txn_audit_note(const struct fg_txn_op *op,
			      struct fg_txn_audit *a)
{
	a->npolicies = fg_npolicies;
	a->had_old = !!op->old;
	if (op->old)
		a->old = op->old->b.p;
}

/* Append who set a policy, and its state, to its audited parameters. */
static void fg_audit_owner(char *buf, size_t size, const char *owner,
			   bool pending, bool persist)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, " owner=%s state=%s%s", owner,
		 pending ? "pending" : "active", persist ? " persist" : "");
}

/* Audit one applied operation; @buf has PATH_MAX bytes. */
static void fg_txn_audit_one(const struct fg_txn_op *op,
			     const struct fg_txn_audit *a, char *buf)
{
	char old[FG_PARAMS_LEN], new[FG_PARAMS_LEN];
	static const char * const names[] = {
		[FG_OP_SET]	= "policy_set",
		[FG_OP_DEL]	= "policy_del",
		[FG_OP_FLUSH]	= "policy_flush",
	};

	if (op->kind == FG_OP_FLUSH) {
		snprintf(old, sizeof(old), "policies=%u", a->npolicies);
		fg_audit_change(names[op->kind], NULL, old, NULL);
		return;
	}
	/* Commas, not spaces: audit would print the value in hex. */
	if (a->had_old) {
		fg_format_params(old, sizeof(old), &a->old);
		strreplace(old, ' ', ',');
	}
	if (op->kind == FG_OP_SET) {
		fg_format_params(new, sizeof(new), &op->params);
		fg_audit_owner(new, sizeof(new), op->owner, !op->cgrp,
			       op->persist);
		strreplace(new, ' ', ',');
	}
	if (!op->cgrp)
		strscpy(buf, op->path, PATH_MAX);
	else if (cgroup_path(op->cgrp, buf, PATH_MAX) < 0)
		strscpy(buf, "?", PATH_MAX);
	fg_audit_change(names[op->kind], buf, a->had_old ? old : NULL,
			op->kind == FG_OP_SET ? new : NULL);
}

/*
 * Close the lock-free path of the buckets whose rate or burst fg_txn_apply()
 * will change in place (fg_bucket_close()), and wait until no fork is on it.
 */
static void fg_txn_close(struct fg_txn *txn)
{
	struct fg_txn_op *op;
	struct fg_child *ch;
	bool closed = false;
	unsigned int i;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (op->kind == FG_OP_FLUSH || op->kind == FG_OP_DEL ||
		    op->new || !op->old)
			continue;
		closed |= fg_bucket_close(&op->old->b, &op->params);
		list_for_each_entry(ch, &op->old->children, node)
			closed |= fg_bucket_close(&ch->b, &op->params);
	}
	if (closed)
		synchronize_rcu();
}

static void fg_txn_apply(struct fg_txn *txn, struct list_head *dead,
			 struct fg_txn_audit *audit)
{
	struct fg_policy *pol, *tmp;
	struct fg_txn_op *op;
	unsigned int i;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (audit)
			fg_txn_audit_note(op, &audit[i]);
		switch (op->kind) {
		case FG_OP_FLUSH:
			list_for_each_entry_safe(pol, tmp, &fg_policy_list, node)
				fg_policy_unlink(pol, dead);
			break;
		case FG_OP_DEL:
			fg_policy_unlink(op->old, dead);
			break;
		default:
			if (!op->new) {
				fg_policy_update(op->old, &op->params);
				break;
			}
			if (op->old)
				fg_policy_unlink(op->old, dead);
			fg_policy_link(op->new, op->cgrp);
			op->new = NULL;
			break;
		}
	}
}

static void fg_free_dead(struct list_head *dead)
{
	struct fg_policy *pol, *tmp;
	struct fg_child *ch, *ctmp;

	if (list_empty(dead))
		return;
	/* The fork path may still be reading them. */
	synchronize_rcu();
	list_for_each_entry_safe(pol, tmp, dead, dead) {
		list_for_each_entry_safe(ch, ctmp, &pol->children, node)
			fg_child_free(ch);
		fg_policy_free(pol);
	}
}

/*
 * Rebuild the level index (policy.h) from the table; fg_mutex held.  The
 * new sole pointers are published before the mask bits that lead to them.
 */
static void fg_levels_rebuild(void)
{
	static unsigned long filter[ARRAY_SIZE(fg_levels.filter)];
	static unsigned int count[FG_LEVELS];
	static struct fg_policy *sole[FG_LEVELS];
	unsigned long mask = 0;
	struct fg_policy *pol;
	unsigned int l, w;

	lockdep_assert_held(&fg_mutex);
	memset(count, 0, sizeof(count));
	bitmap_zero(filter, 1UL << FG_FILTER_BITS);
	list_for_each_entry(pol, &fg_policy_list, node) {
		/* A pending policy has no cgroup yet: no fork to govern. */
		if (!pol->governs || !pol->cgrp)
			continue;
		l = min_t(unsigned int, pol->cgrp->level, FG_LEVEL_DEEP);
		count[l]++;
		sole[l] = pol;
		mask |= BIT(l);
		__set_bit(fg_filter_bit(pol->cgrp->ancestors[l]), filter);
	}
	/* Whole words, and only those that change: see policy.h. */
	for (w = 0; w < ARRAY_SIZE(filter); w++)
		if (fg_levels.filter[w] != filter[w])
			WRITE_ONCE(fg_levels.filter[w], filter[w]);
	for (l = 0; l < FG_LEVELS; l++) {
		if (count[l] != 1 || l == FG_LEVEL_DEEP)
			sole[l] = NULL;
		WRITE_ONCE(fg_levels.sole_pol[l], sole[l]);
		WRITE_ONCE(fg_levels.sole[l], sole[l] ? sole[l]->cgrp : NULL);
	}
	/*
	 * Pairs with the address dependency of the hook's reads: a fork that
	 * sees a new bit of the mask sees its level's new sole pointer.
	 */
	smp_wmb();
	WRITE_ONCE(fg_levels.mask, mask);
}

/**
 * fg_policy_set_hook - name the function that installs and removes the hook
 * @update: called with true to install the hook, false to remove it; returns
 *          0 or the error of installing it
 *
 * Called once by the hook layer before the table can change.
 */
void fg_policy_set_hook(int (*update)(bool want))
{
	fg_hook_set = update;
}

static int fg_policy_hook(bool want)
{
	return fg_hook_set ? fg_hook_set(want) : -ENODEV;
}

static void fg_txn_check_gone(struct fg_txn *txn);

/**
 * fg_txn_commit - check and apply a transaction, all or nothing
 * @txn:      the transaction
 * @bad_line: set to the line that failed (0: the write as a whole)
 * @why:      set to the reason of a failure
 *
 * Return: 0 or a negative errno; on error the table is unchanged.
 */
int fg_txn_commit(struct fg_txn *txn, int *bad_line, const char **why)
{
	struct fg_txn_audit *audit = NULL;
	unsigned int governing = 0, i;
	char *audit_buf = NULL;
	LIST_HEAD(dead);
	int err;

	/* Without memory for it, the change is made but not audited. */
	if (READ_ONCE(fg_audit)) {
		audit_buf = kmalloc(PATH_MAX, GFP_KERNEL);
		audit = kvmalloc_array(txn->n, sizeof(*audit), GFP_KERNEL);
		if (!audit_buf || !audit) {
			kfree(audit_buf);
			kvfree(audit);
			audit_buf = NULL;
			audit = NULL;
		}
	}
	err = fg_txn_resolve(txn);
	if (!err)
		err = fg_txn_check_dups(txn);
	if (err)
		goto out;

	mutex_lock(&fg_mutex);
	err = fg_txn_prepare(txn, &governing);
	/* Install the hook first: it is the one step that can fail. */
	if (!err && (governing || fg_lineage_on())) {
		err = fg_policy_hook(READ_ONCE(fg_enabled));
		if (err)
			fg_txn_fail(txn, err, 0,
				    "cannot hook kernel_clone (kernel.ftrace_enabled is 0, or a livepatch owns it)");
	}
	if (!err) {
		fg_txn_close(txn);
		fg_txn_apply(txn, &dead, audit);
		fg_levels_rebuild();
		if (!governing && !fg_lineage_on())
			fg_policy_hook(false);
	}
	mutex_unlock(&fg_mutex);
	if (!err) {
		fg_txn_check_gone(txn);
		for (i = 0; audit && i < txn->n; i++)
			fg_txn_audit_one(&txn->ops[i], &audit[i], audit_buf);
	}
	fg_free_dead(&dead);
out:
	kfree(audit_buf);
	kvfree(audit);
	*bad_line = txn->bad_line;
	*why = txn->why ? txn->why : "";
	return err;
}

/**
 * fg_policy_sync_hook - install or remove the hook after a knob changed
 *
 * Return: 0 or the error of installing the hook.
 */
int fg_policy_sync_hook(void)
{
	int err;

	mutex_lock(&fg_mutex);
	err = fg_policy_hook(READ_ONCE(fg_enabled) &&
			     (fg_ngoverning || fg_npending_gov || fg_lineage_on()));
	mutex_unlock(&fg_mutex);
	return err;
}

unsigned int fg_policy_count(void)
{
	return READ_ONCE(fg_npolicies);
}

unsigned int fg_child_count(void)
{
	return atomic_read(&fg_nchildren);
}

/*
 * Removing a cgroup drops its policy and child buckets.  The cgroup_rmdir
 * tracepoint fires with cgroup_mutex held, so its probe only kicks a work
 * item, which sweeps every object whose cgroup went offline.
 */

static bool fg_policy_park(struct fg_policy *pol);

static void fg_gc_fn(struct work_struct *work)
{
	struct fg_policy *pol, *tmp;
	struct fg_child *ch, *ctmp;
	bool parked = false;
	LIST_HEAD(dead);
	LIST_HEAD(dead_children);

	mutex_lock(&fg_mutex);
	list_for_each_entry_safe(pol, tmp, &fg_policy_list, node) {
		if (!pol->cgrp)
			continue;
		if (fg_cgroup_gone(pol->cgrp)) {
			if (pol->persist)
				parked |= fg_policy_park(pol);
			fg_policy_unlink(pol, &dead);
			continue;
		}
		list_for_each_entry_safe(ch, ctmp, &pol->children, node) {
			if (!fg_cgroup_gone(ch->cgrp))
				continue;
			hash_del_rcu(&ch->hnode);
			list_del_rcu(&ch->node);
			list_add_tail(&ch->dead, &dead_children);
			atomic_dec(&fg_nchildren);
		}
	}
	fg_levels_rebuild();
	if (!fg_ngoverning && !fg_npending_gov && !fg_lineage_on())
		fg_policy_hook(false);
	mutex_unlock(&fg_mutex);

	/* The cgroup may be back already, created before its policy parked. */
	if (parked)
		fg_pending_rescan();
	if (!list_empty(&dead_children))
		synchronize_rcu();
	list_for_each_entry_safe(ch, ctmp, &dead_children, dead)
		fg_child_free(ch);
	fg_free_dead(&dead);
}

static DECLARE_WORK(fg_gc_work, fg_gc_fn);

/*
 * A persistent policy whose cgroup was removed waits, pending, for the
 * cgroup to come back; fg_mutex held.  Without memory for the pending copy
 * the policy is gone, as any other would be.
 */
/*
 * A policy's path for the kernel log: decoded from the escapes it was
 * written with, it may hold any byte a cgroup's name can (fg_log_escape()).
 * One buffer, under fg_mutex.
 */
static const char *fg_log_path(const struct fg_policy *pol)
{
	static char buf[FG_LOG_PATH_MAX];

	lockdep_assert_held(&fg_mutex);
	return fg_log_escape(buf, sizeof(buf), pol->path);
}

static bool fg_policy_park(struct fg_policy *pol)
{
	struct fg_policy *park;
	struct fg_params p;

	raw_spin_lock(&pol->b.lock);
	p = pol->b.p;
	raw_spin_unlock(&pol->b.lock);
	park = fg_policy_new(&p, NULL, pol->path, pol->owner, true);
	if (!park) {
		pr_warn_ratelimited("out of memory: persistent policy on %s dropped\n",
				    fg_log_path(pol));
		return false;
	}
	fg_policy_link(park, NULL);
	return true;
}

static void fg_probe_cgroup_rmdir(void *data, struct cgroup *cgrp,
				  const char *path)
{
	/*
	 * The cgroup went offline before: pairs with the barrier in
	 * fg_txn_check_gone(), for a table that was empty until a moment ago.
	 */
	smp_mb();
	if (READ_ONCE(fg_npolicies))
		queue_work(system_unbound_wq, &fg_gc_work);
}

/*
 * A cgroup that was online when fg_txn_prepare() looked may have gone
 * offline since, and its rmdir may have found the table still empty: then
 * no sweep comes.  Look again now that the new policies are in the table.
 */
static void fg_txn_check_gone(struct fg_txn *txn)
{
	unsigned int i;

	/* Pairs with the barrier in fg_probe_cgroup_rmdir(). */
	smp_mb();
	for (i = 0; i < txn->n; i++) {
		if (txn->ops[i].kind == FG_OP_SET && !txn->ops[i].cgrp) {
			/* Created meanwhile, before it was pending? */
			fg_pending_rescan();
			break;
		}
	}
	for (i = 0; i < txn->n; i++) {
		if (txn->ops[i].kind == FG_OP_SET && txn->ops[i].cgrp &&
		    fg_cgroup_gone(txn->ops[i].cgrp)) {
			queue_work(system_unbound_wq, &fg_gc_work);
			return;
		}
	}
}

/*
 * Activation of pending policies, run from pending.c's work item for the
 * cgroups created since it last ran.
 */
struct fg_activated {
	struct list_head node;
	char params[FG_PARAMS_LEN];
	char path[];
};

/* Note an activation for the audit record written after fg_mutex. */
static void fg_activate_note(const struct fg_policy *pol,
			     struct list_head *done)
{
	size_t len = strlen(pol->path) + 1;
	struct fg_activated *a;

	if (!READ_ONCE(fg_audit))
		return;

	a = kmalloc(struct_size(a, path, len), GFP_KERNEL);
	if (!a)
		return;
	fg_format_params(a->params, sizeof(a->params), &pol->b.p);
	fg_audit_owner(a->params, sizeof(a->params), pol->owner, false,
		       pol->persist);
	strreplace(a->params, ' ', ',');
	strscpy(a->path, pol->path, len);
	list_add_tail(&a->node, done);
}

/* Replace the pending @pend by an active policy on @cgrp; fg_mutex held. */
static int fg_activate_one(struct fg_policy *pend, struct cgroup *cgrp,
			   struct list_head *dead, struct list_head *done)
{
	struct fg_policy *pol;
	int err;

	/* Removed already: the cgroup_rmdir sweep may have run. */
	if (fg_cgroup_gone(cgrp))
		return 0;
	/* A policy set on the new cgroup meanwhile replaced @pend: not here. */
	if (WARN_ON_ONCE(fg_policy_find(cgroup_id(cgrp))))
		return 0;
	if (fg_params_govern(&pend->b.p)) {
		err = fg_policy_hook(READ_ONCE(fg_enabled));
		if (err)
			return err;
	}
	pol = fg_policy_new(&pend->b.p, cgrp, pend->path, pend->owner,
			    pend->persist);
	if (!pol)
		return -ENOMEM;
	fg_activate_note(pend, done);
	fg_policy_unlink(pend, dead);
	fg_policy_link(pol, cgrp);
	return 0;
}

static void fg_activate_report(struct fg_policy *pend, int err)
{
	if (err)
		pr_warn_ratelimited("pending policy on %s stays pending: %d\n",
				    fg_log_path(pend), err);
}

/**
 * fg_policy_activate - turn pending policies active for new cgroups
 * @new:    cgroups created since the last call, referenced by the caller
 * @n:      how many
 * @rescan: look up every pending policy's path too (some were left out)
 *
 * Process context, in the initial cgroup namespace (a kworker), so that
 * paths resolve from the root of the hierarchy.
 */
void fg_policy_activate(struct cgroup *const *new, unsigned int n,
			bool rescan)
{
	struct fg_activated *a, *atmp;
	struct fg_policy *pol;
	struct hlist_node *tmp;
	struct cgroup *cgrp;
	unsigned int i, bkt;
	LIST_HEAD(dead);
	LIST_HEAD(done);
	char *buf;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	mutex_lock(&fg_mutex);
	if (!buf)
		rescan = true;
	for (i = 0; !rescan && i < n && fg_npending; i++) {
		if (cgroup_path(new[i], buf, PATH_MAX) >= PATH_MAX)
			continue;
		pol = fg_pending_find(buf);
		if (pol)
			fg_activate_report(pol, fg_activate_one(pol, new[i],
								&dead, &done));
	}
	hash_for_each_safe(fg_pending_hash, bkt, tmp, pol, hnode) {
		if (!rescan)
			break;
		cgrp = cgroup_get_from_path(pol->path);
		if (IS_ERR(cgrp))
			continue;
		fg_activate_report(pol, fg_activate_one(pol, cgrp, &dead,
							&done));
		cgroup_put(cgrp);
	}
	/* The fork path finds policies through the level index only. */
	fg_levels_rebuild();
	mutex_unlock(&fg_mutex);

	list_for_each_entry_safe(a, atmp, &done, node) {
		fg_audit_change("policy_activate", a->path, NULL, a->params);
		kfree(a);
	}
	fg_free_dead(&dead);
	kfree(buf);
}

static struct tracepoint *fg_tp_rmdir;

static void fg_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "cgroup_rmdir"))
		fg_tp_rmdir = tp;
}

/*
 * Reading the table: see iface.c for the format's contract.
 *
 * One record is one line.  A reader walks the RCU lists between ->start()
 * and ->stop() and takes no lock but each bucket's, to copy its counters:
 * however many read, and however slowly, writers and the fork path never
 * wait for them, and seq_read() copies to user space only after ->stop().
 * Between two ->start()s the reader keeps a cursor, not a pointer: the
 * link order and id of the object it last returned.  ->start() finds that
 * object again through the hash tables, or else the first one linked after
 * it, so a table that does not change reads the same in small reads as in
 * one.
 */
struct fg_snap {
	struct fg_params p;
	s64 tokens;
	u64 allowed;
	u64 denied;
	u64 throttled;
	u64 throttle_ns;
	u64 throttle_max_ns;
	u64 logged;
	u64 last_cgid;
	u32 peak;
	pid_t last_pid;
	char last_comm[TASK_COMM_LEN];
};

/**
 * struct fg_show - one open file of the table
 * @pol:     the policy of the current record, between ->start() and ->stop()
 * @ch:      its child bucket, NULL for the policy's own line
 * @pos:     the position of the record the cursor names (-2: none)
 * @pol_cgid: the cursor: @pol's id,
 * @pol_seq:  its link order,
 * @ch_cgid:  @ch's id (0: the policy's line)
 * @ch_seq:   and its link order
 * @root:    the cgroup that paths are relative to; other readers than the
 *           full view's see only the objects at or below it
 * @pid_ns:  the namespace pids are shown in; NULL: as the initial one has them
 * @full:    the unfiltered view (the opener had CAP_SYS_ADMIN)
 * @snap:    a bucket's state, copied under its lock
 * @buf:     room for a cgroup path
 */
struct fg_show {
	struct fg_policy *pol;
	struct fg_child *ch;
	loff_t pos;
	u64 pol_cgid;
	u64 pol_seq;
	u64 ch_cgid;
	u64 ch_seq;
	struct cgroup *root;
	struct pid_namespace *pid_ns;
	bool full;
	struct fg_snap snap;
	char buf[PATH_MAX];
};

/* A pending policy has no cgroup: only the full view shows it. */
static bool fg_show_visible(const struct fg_show *s, struct cgroup *cgrp)
{
	return s->full || (cgrp && cgroup_is_descendant(cgrp, s->root));
}

static void *fg_show_at(struct fg_show *s, struct fg_policy *pol,
			struct fg_child *ch)
{
	s->pol = pol;
	s->ch = ch;
	s->pol_cgid = pol->cgid;
	s->pol_seq = pol->seq;
	s->ch_cgid = ch ? ch->cgid : 0;
	s->ch_seq = ch ? ch->seq : 0;
	return s;
}

static struct fg_policy *fg_show_next_policy(struct fg_policy *pol)
{
	return list_next_or_null_rcu(&fg_policy_list, &pol->node,
				     struct fg_policy, node);
}

static struct fg_child *fg_show_next_child(struct fg_policy *pol,
					   struct fg_child *ch)
{
	if (!ch)
		return list_first_or_null_rcu(&pol->children,
					      struct fg_child, node);
	return list_next_or_null_rcu(&pol->children, &ch->node,
				     struct fg_child, node);
}

/*
 * The first record the reader may see from (@pol, @ch) on, @ch NULL for the
 * policy's line; NULL at the end.  Under rcu_read_lock(): an object unlinked
 * meanwhile still leads on to the rest of its list.
 */
static void *fg_show_seek(struct fg_show *s, struct fg_policy *pol,
			  struct fg_child *ch)
{
	for (; pol; pol = fg_show_next_policy(pol), ch = NULL) {
		if (!ch) {
			if (fg_show_visible(s, pol->cgrp))
				return fg_show_at(s, pol, NULL);
			ch = fg_show_next_child(pol, NULL);
		}
		for (; ch; ch = fg_show_next_child(pol, ch))
			if (fg_show_visible(s, ch->cgrp))
				return fg_show_at(s, pol, ch);
	}
	return NULL;
}

static void *fg_show_advance(struct fg_show *s)
{
	struct fg_child *ch = fg_show_next_child(s->pol, s->ch);

	if (ch)
		return fg_show_seek(s, s->pol, ch);
	return fg_show_seek(s, fg_show_next_policy(s->pol), NULL);
}

/* The record under the cursor, or the first one linked after it. */
static void *fg_show_resume(struct fg_show *s)
{
	struct fg_policy *pol = fg_policy_find(s->pol_cgid);
	struct fg_child *ch;

	if (!pol || pol->seq != s->pol_seq) {
		list_for_each_entry_rcu(pol, &fg_policy_list, node)
			if (pol->seq > s->pol_seq)
				return fg_show_seek(s, pol, NULL);
		return NULL;
	}
	if (!s->ch_seq)
		return fg_show_at(s, pol, NULL);
	ch = fg_child_find(pol, s->ch_cgid);
	if (ch && ch->seq == s->ch_seq)
		return fg_show_at(s, pol, ch);
	list_for_each_entry_rcu(ch, &pol->children, node)
		if (ch->seq > s->ch_seq)
			return fg_show_seek(s, pol, ch);
	return fg_show_seek(s, fg_show_next_policy(pol), NULL);
}

static void *fg_show_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct fg_show *s = m->private;
	void *v;
	loff_t i;

	rcu_read_lock();
	if (*pos && *pos == s->pos)
		return fg_show_resume(s);
	if (*pos && *pos == s->pos + 1) {
		/* The reader had reached the end: anything linked since? */
		u64 pol_seq = s->pol_seq, ch_seq = s->ch_seq;

		v = fg_show_resume(s);
		if (v && s->pol_seq == pol_seq && s->ch_seq == ch_seq)
			v = fg_show_advance(s);
	} else {
		/* The first read, or a seek: count from the start. */
		v = fg_show_seek(s, list_first_or_null_rcu(&fg_policy_list,
							   struct fg_policy,
							   node), NULL);
		for (i = 0; v && i < *pos; i++)
			v = fg_show_advance(s);
	}
	s->pos = v ? *pos : -2;
	return v;
}

static void *fg_show_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct fg_show *s = m->private;

	++*pos;
	v = fg_show_advance(s);
	if (v)
		s->pos = *pos;
	return v;
}

static void fg_show_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

/*
 * Untrusted bytes (task names, cgroup directory names): everything but
 * printable ASCII, and space and backslash, as \ooo, as mountinfo does.
 */
static void fg_show_str(struct seq_file *m, const char *str, size_t len)
{
	seq_escape_mem(m, str, len, ESCAPE_OCTAL | ESCAPE_NAP | ESCAPE_APPEND,
		       " \\");
}

/* @cgrp relative to the reader's root, as /proc/PID/cgroup shows it. */
static void fg_show_path(struct seq_file *m, struct fg_show *s,
			 struct cgroup *cgrp)
{
	int len = kernfs_path_from_node(cgrp->kn, s->root->kn, s->buf,
					sizeof(s->buf));

	if (len < 0 || len >= sizeof(s->buf))
		seq_putc(m, '?');
	else
		fg_show_str(m, s->buf, len);
}

/*
 * The offender's cgroup: a fork is charged only to the buckets above it, so
 * it lies in the subtree of @cgrp, the bucket's cgroup.  Looked up there
 * rather than with cgroup_get_from_id(), which answers only for cgroups in
 * the cgroup namespace of the caller.  "-" once it is removed.
 */
static void fg_show_last_cgroup(struct seq_file *m, struct fg_show *s,
				struct cgroup *cgrp, u64 cgid)
{
	struct cgroup_subsys_state *css;
	struct cgroup *found = NULL;

	css_for_each_descendant_pre(css, &cgrp->self) {
		if (cgroup_id(css->cgroup) == cgid) {
			found = css->cgroup;
			break;
		}
	}
	if (!found || !(READ_ONCE(found->self.flags) & CSS_ONLINE))
		seq_putc(m, '-');
	else
		fg_show_path(m, s, found);
}

static void fg_bucket_snap(struct fg_bucket *b, struct fg_snap *sn)
{
	u64 now = ktime_get_ns();

	struct fg_gcra g = { .tat = READ_ONCE(b->g.tat) };

	raw_spin_lock(&b->lock);
	sn->p = b->p;
	sn->tokens = fg_gcra_tokens(&g, &b->p, now);
	sn->allowed = atomic64_read(&b->allowed);
	sn->denied = b->denied;
	sn->throttled = b->throttled;
	sn->throttle_ns = b->throttle_ns;
	sn->throttle_max_ns = b->throttle_max_ns;
	sn->logged = b->logged;
	sn->peak = atomic_read(&b->win.peak);
	sn->last_pid = b->last_pid;
	sn->last_cgid = b->last_cgid;
	memcpy(sn->last_comm, b->last_comm, sizeof(sn->last_comm));
	raw_spin_unlock(&b->lock);
}

/* The last offender's pid as the reader sees it; 0 if it cannot. */
static pid_t fg_show_pid(struct fg_show *s, pid_t nr)
{
	struct pid *pid;

	if (!nr || !s->pid_ns)
		return nr;
	pid = find_pid_ns(nr, &init_pid_ns);
	return pid ? pid_nr_ns(pid, s->pid_ns) : 0;
}

static void fg_show_counters(struct seq_file *m, struct fg_show *s,
			     struct cgroup *cgrp)
{
	const struct fg_snap *sn = &s->snap;
	pid_t pid = fg_show_pid(s, sn->last_pid);

	seq_printf(m,
		   " tokens=%lld allowed=%llu denied=%llu throttled=%llu throttle_ns=%llu throttle_max_ns=%llu logged=%llu peak_1s=%u",
		   sn->tokens, sn->allowed, sn->denied, sn->throttled,
		   sn->throttle_ns, sn->throttle_max_ns, sn->logged, sn->peak);
	if (!sn->last_pid) {
		seq_puts(m, " last_pid=- last_comm=- last_cgroup=-");
		return;
	}
	/* A task outside the reader's pid namespace stays anonymous. */
	if (pid) {
		seq_printf(m, " last_pid=%d last_comm=", pid);
		fg_show_str(m, sn->last_comm,
			    strnlen(sn->last_comm, sizeof(sn->last_comm)));
	} else {
		seq_puts(m, " last_pid=- last_comm=-");
	}
	seq_puts(m, " last_cgroup=");
	fg_show_last_cgroup(m, s, cgrp, sn->last_cgid);
}

static int fg_show_record(struct seq_file *m, void *v)
{
	struct fg_show *s = v;
	char params[FG_PARAMS_LEN];

	if (s->ch) {
		fg_bucket_snap(&s->ch->b, &s->snap);
		seq_puts(m, "child ");
		fg_show_path(m, s, s->ch->cgrp);
		seq_puts(m, " policy=");
		fg_show_path(m, s, s->pol->cgrp);
		fg_show_counters(m, s, s->ch->cgrp);
		seq_putc(m, '\n');
		return 0;
	}
	fg_bucket_snap(&s->pol->b, &s->snap);
	fg_format_params(params, sizeof(params), &s->snap.p);
	seq_puts(m, "policy ");
	if (s->pol->cgrp)
		fg_show_path(m, s, s->pol->cgrp);
	else
		fg_show_str(m, s->pol->path, strlen(s->pol->path));
	seq_printf(m, " %s", params);
	fg_show_counters(m, s, s->pol->cgrp);
	/* Appended, as the format promises new keys will be. */
	seq_printf(m, " state=%s owner=%s persist=%s\n",
		   s->pol->cgrp ? "active" : "pending", s->pol->owner,
		   s->pol->persist ? "yes" : "no");
	return 0;
}

static const struct seq_operations fg_show_ops = {
	.start	= fg_show_start,
	.next	= fg_show_next,
	.stop	= fg_show_stop,
	.show	= fg_show_record,
};

/**
 * fg_policy_show_open - open the table for reading
 * @file: the file
 * @full: the opener may see every object, with absolute paths and pids
 *        as the initial namespace numbers them
 *
 * Otherwise the opener sees only the policies and child buckets at or below
 * the root of its cgroup namespace, with paths relative to it, and pids as
 * its pid namespace numbers them.  Both are fixed here, at open, as
 * credentials are.
 *
 * Return: 0 or -ENOMEM.
 */
int fg_policy_show_open(struct file *file, bool full)
{
	struct pid_namespace *pid_ns = task_active_pid_ns(current);
	struct fg_show *s;

	s = __seq_open_private(file, &fg_show_ops, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pos = -2;
	s->full = full;
	if (full) {
		s->root = &cgrp_dfl_root.cgrp;
	} else {
		/* What /proc/PID/cgroup calls "/" for this reader. */
		s->root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;
		if (pid_ns != &init_pid_ns)
			s->pid_ns = get_pid_ns(pid_ns);
	}
	cgroup_get(s->root);
	return 0;
}

int fg_policy_show_release(struct inode *inode, struct file *file)
{
	struct fg_show *s = ((struct seq_file *)file->private_data)->private;

	cgroup_put(s->root);
	if (s->pid_ns)
		put_pid_ns(s->pid_ns);
	return seq_release_private(inode, file);
}

int fg_policy_init(void)
{
	int err;

	for_each_kernel_tracepoint(fg_find_tp, NULL);
	if (!fg_tp_rmdir) {
		pr_err("tracepoint cgroup_rmdir not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(fg_tp_rmdir, fg_probe_cgroup_rmdir,
					NULL);
	if (err) {
		pr_err("cannot attach to cgroup_rmdir: %d\n", err);
		return err;
	}
	err = fg_pending_init();
	if (err) {
		tracepoint_probe_unregister(fg_tp_rmdir, fg_probe_cgroup_rmdir,
					    NULL);
		tracepoint_synchronize_unregister();
	}
	return err;
}

/* Called after the hook is gone: nothing reads the table any more. */
void fg_policy_exit(void)
{
	struct fg_policy *pol, *tmp;
	LIST_HEAD(dead);

	tracepoint_probe_unregister(fg_tp_rmdir, fg_probe_cgroup_rmdir, NULL);
	tracepoint_synchronize_unregister();
	cancel_work_sync(&fg_gc_work);
	/* After the sweep, which may ask for a rescan. */
	fg_pending_exit();

	mutex_lock(&fg_mutex);
	list_for_each_entry_safe(pol, tmp, &fg_policy_list, node)
		fg_policy_unlink(pol, &dead);
	fg_levels_rebuild();
	mutex_unlock(&fg_mutex);
	fg_free_dead(&dead);
}
