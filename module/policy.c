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
 *    by cgroup id and takes only the raw spinlock of each bucket it charges,
 *    for the few instructions of the update: raw, because the ftrace callback
 *    runs with preemption disabled, also on PREEMPT_RT.
 *  - Parameters live in the bucket and change under its lock, so a fork sees
 *    either the old or the new ones, never a mix.  The scope of a policy never
 *    changes: a new scope is a new policy object.
 *  - Removed objects are freed after one synchronize_rcu() per transaction.
 */
#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "forkgov.h"
#include "bucket.h"
#include "parse.h"

/**
 * struct fg_bucket - one token bucket and what it has seen
 * @lock:            protects every other field
 * @p:               parameters
 * @g:               GCRA state
 * @win:             fork attempts per second
 * @allowed:         forks that took a token
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
	raw_spinlock_t lock;
	struct fg_params p;
	struct fg_gcra g;
	struct fg_window win;
	u64 allowed;
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
 * @node:        in fg_policy_list, creation order
 * @children:    child buckets of a per-child policy (fg_mutex)
 * @cgrp:        the target cgroup, referenced
 * @cgid:        its id
 * @scope:       enum fg_scope, fixed for the life of the object
 * @governs:     false for rate=none: the policy only carries @mt_warn
 * @count_tasks: new threads are charged too
 * @mt_warn:     enum fg_mt_warn
 * @retry_after: per-child: no bucket creation before this time (after ENOMEM)
 * @b:           the subtree bucket; for per-child, the overflow bucket
 *               used when max_buckets is reached
 */
struct fg_policy {
	struct hlist_node hnode;
	struct list_head node;
	struct list_head children;
	struct cgroup *cgrp;
	u64 cgid;
	u8 scope;
	bool governs;
	bool count_tasks;
	u8 mt_warn;
	u64 retry_after;
	struct fg_bucket b;
};

/**
 * struct fg_child - the bucket of one child cgroup of a per-child policy
 * @hnode:  in fg_child_hash, keyed by @cgid
 * @node:   in the policy's children list
 * @policy: the template policy
 * @cgrp:   the child cgroup, referenced
 * @cgid:   its id
 * @b:      the bucket
 */
struct fg_child {
	struct hlist_node hnode;
	struct list_head node;
	struct fg_policy *policy;
	struct cgroup *cgrp;
	u64 cgid;
	struct fg_bucket b;
};

#define FG_HASH_BITS	12

static DEFINE_MUTEX(fg_mutex);
static DEFINE_HASHTABLE(fg_policy_hash, FG_HASH_BITS);
static DEFINE_HASHTABLE(fg_child_hash, FG_HASH_BITS);
static LIST_HEAD(fg_policy_list);
static unsigned int fg_npolicies;
/* Policies with a rate: the hook is needed only while there is one. */
unsigned int fg_ngoverning;
static atomic_t fg_nchildren = ATOMIC_INIT(0);
static atomic_t fg_ntasks = ATOMIC_INIT(0);

static struct fg_policy *fg_policy_find(u64 cgid)
{
	struct fg_policy *pol;

	hash_for_each_possible_rcu(fg_policy_hash, pol, hnode, cgid)
		if (pol->cgid == cgid)
			return pol;
	return NULL;
}

static struct fg_child *fg_child_find(const struct fg_policy *pol, u64 cgid)
{
	struct fg_child *ch;

	hash_for_each_possible_rcu(fg_child_hash, ch, hnode, cgid)
		if (ch->cgid == cgid && ch->policy == pol)
			return ch;
	return NULL;
}

static void fg_bucket_init(struct fg_bucket *b, const struct fg_params *p)
{
	raw_spin_lock_init(&b->lock);
	b->p = *p;
}

static void fg_note_offender(struct fg_bucket *b, u64 cgid)
{
	b->last_pid = task_pid_nr(current);
	b->last_cgid = cgid;
	memcpy(b->last_comm, current->comm, sizeof(b->last_comm));
}

static enum fg_verdict fg_bucket_charge(struct fg_bucket *b, u64 now,
					u64 cgid, u64 *delay)
{
	enum fg_verdict v;

	raw_spin_lock(&b->lock);
	fg_window_add(&b->win, now);
	v = fg_gcra_take(&b->g, &b->p, now, delay);
	switch (v) {
	case FG_ALLOW:
		b->allowed++;
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
		break;
	}
	raw_spin_unlock(&b->lock);
	return v;
}

/* The wait stays counted in throttle_ns: it was imposed on the chain. */
static void fg_bucket_refund(struct fg_bucket *b, enum fg_verdict v)
{
	raw_spin_lock(&b->lock);
	fg_gcra_refund(&b->g, &b->p);
	if (v == FG_ALLOW)
		b->allowed--;
	else
		b->throttled--;
	raw_spin_unlock(&b->lock);
}

/*
 * The bucket of @pol that a fork from below @below pays into.  @below is the
 * chain's cgroup one level under the policy's, NULL when the fork comes from
 * the policy's own cgroup.  Returns NULL when the policy does not apply, and
 * sets *missing when a per-child bucket has yet to be created.
 */
static struct fg_bucket *fg_policy_bucket(struct fg_policy *pol,
					  struct cgroup *below, u64 now,
					  bool *missing)
{
	struct fg_child *ch;

	if (!READ_ONCE(pol->governs))
		return NULL;
	if (pol->scope == FG_SCOPE_SUBTREE)
		return &pol->b;
	if (!below)
		return NULL;
	ch = fg_child_find(pol, cgroup_id(below));
	if (ch)
		return &ch->b;
	/* Out of buckets, or out of memory a moment ago: share one. */
	if (atomic_read(&fg_nchildren) >= READ_ONCE(fg_max_buckets) ||
	    now < READ_ONCE(pol->retry_after))
		return &pol->b;
	*missing = true;
	return NULL;
}

/* The cgroup a bucket stands for, as reports name it. */
static u64 fg_bucket_cgid(struct fg_policy *pol, struct fg_bucket *b)
{
	return b == &pol->b ? pol->cgid : container_of(b, struct fg_child, b)->cgid;
}

/*
 * The buckets a fork has been charged to so far, so that a denial further up
 * the chain can give their tokens back.  Chains with more policies than this
 * are unusual; the excess ones keep their token on a denial.
 */
#define FG_CHAIN_MAX	16

struct fg_charged {
	struct fg_bucket *b;
	enum fg_verdict v;
};

static void fg_chain_refund(const struct fg_charged *c, unsigned int n)
{
	while (n--)
		if (c[n].v == FG_ALLOW || c[n].v == FG_THROTTLE)
			fg_bucket_refund(c[n].b, c[n].v);
}

/**
 * fg_policy_charge - charge a fork to every policy above its cgroup
 * @cgrp:   the cgroup the child will start in
 * @thread: the new task is a thread (CLONE_THREAD)
 * @now:    CLOCK_MONOTONIC in ns; read on the first matching policy if 0
 * @delay:  set to the wait for FG_DO_THROTTLE
 *
 * Called under rcu_read_lock() with preemption disabled.  Refunds are
 * per-bucket and not atomic across the chain: another fork may briefly see a
 * bucket without a token that is about to be given back.  That only errs
 * towards strictness.
 *
 * Return: what the hook must do with the fork.
 */
enum fg_decision fg_policy_charge(struct cgroup *cgrp, bool thread, u64 *now,
				  u64 *delay)
{
	/*
	 * Only the first n entries are ever read: spare every fork the
	 * zeroing that CONFIG_INIT_STACK_ALL_ZERO would do (37 instructions).
	 */
	struct fg_charged charged[FG_CHAIN_MAX] __uninitialized;
	struct cgroup *cg, *below = NULL;
	u64 cgid = cgroup_id(cgrp), d;
	struct fg_stats *st = this_cpu_ptr(&fg_stats);
	bool missing = false, logged = false;
	struct fg_policy *pol;
	struct fg_bucket *b;
	unsigned int n = 0, governed = 0;
	enum fg_verdict v;

	*delay = 0;
	/* The hook is there for the lineage defence alone: nothing to walk. */
	if (!READ_ONCE(fg_ngoverning))
		return FG_DO_ALLOW;
	for (cg = cgrp; cg; below = cg, cg = cgroup_parent(cg)) {
		pol = fg_policy_find(cgroup_id(cg));
		if (!pol || !READ_ONCE(pol->governs) ||
		    (thread && !pol->count_tasks))
			continue;
		if (!*now)
			*now = ktime_get_ns();
		b = fg_policy_bucket(pol, below, *now, &missing);
		if (missing) {
			fg_chain_refund(charged, n);
			return FG_DO_POPULATE;
		}
		if (!b)
			continue;
		governed++;
		v = fg_bucket_charge(b, *now, cgid, &d);
		if (v == FG_DENY) {
			fg_chain_refund(charged, n);
			st->governed++;
			st->denied++;
			fg_report_event(FG_EV_DENY, cgid, fg_bucket_cgid(pol, b), 0);
			return FG_DO_DENY;
		}
		if (v == FG_LOGGED) {
			logged = true;
			fg_report_event(FG_EV_LOG, cgid, fg_bucket_cgid(pol, b), 0);
		}
		if (v == FG_THROTTLE)
			fg_report_event(FG_EV_THROTTLE, cgid,
					fg_bucket_cgid(pol, b), d);
		if (n < FG_CHAIN_MAX)
			charged[n++] = (struct fg_charged){ .b = b, .v = v };
		*delay = max(*delay, d);
	}

	if (!governed)
		return FG_DO_ALLOW;
	st->governed++;
	st->logged += logged;
	if (*delay) {
		st->throttled++;
		st->throttle_ns += *delay;
		return FG_DO_THROTTLE;
	}
	st->allowed++;
	return FG_DO_ALLOW;
}

bool fg_policy_tasks_counted(void)
{
	return atomic_read(&fg_ntasks) > 0;
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
	list_add_tail(&ch->node, &pol->children);
	hash_add_rcu(fg_child_hash, &ch->hnode, ch->cgid);
	atomic_inc(&fg_nchildren);
	return 0;
}

/* Find one missing child bucket on the chain of @cgrp; fg_mutex held. */
static struct fg_policy *fg_find_missing(struct cgroup *cgrp,
					 struct cgroup **child)
{
	struct cgroup *cg, *below = NULL;
	struct fg_policy *pol;

	for (cg = cgrp; cg; below = cg, cg = cgroup_parent(cg)) {
		pol = fg_policy_find(cgroup_id(cg));
		if (pol && pol->scope == FG_SCOPE_PER_CHILD && below &&
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

/* The same cgroup twice in one write is ambiguous: refuse it. */
static int fg_txn_check_dups(struct fg_txn *txn)
{
	unsigned int i, n = 0;
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
	if (i < n) {
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

static struct fg_policy *fg_policy_alloc(struct fg_txn_op *op)
{
	struct fg_policy *pol;

	pol = kzalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return NULL;
	INIT_LIST_HEAD(&pol->children);
	pol->cgid = cgroup_id(op->cgrp);
	pol->scope = op->params.scope;
	pol->governs = fg_params_govern(&op->params);
	pol->count_tasks = op->params.count == FG_COUNT_TASKS;
	pol->mt_warn = op->params.mt_warn;
	fg_bucket_init(&pol->b, &op->params);
	return pol;
}

/*
 * Check a transaction against the table and allocate what it needs, with
 * fg_mutex held: afterwards fg_txn_apply() cannot fail.  Sets *@governing to
 * the number of policies with a rate that the table will hold.
 */
static int fg_txn_prepare(struct fg_txn *txn, unsigned int *governing)
{
	bool flushed = false;
	struct fg_txn_op *op;
	unsigned int i, count = fg_npolicies, gov = fg_ngoverning;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (op->kind == FG_OP_FLUSH) {
			flushed = true;
			count = 0;
			gov = 0;
			continue;
		}
		op->old = flushed ? NULL : fg_policy_find(cgroup_id(op->cgrp));
		if (op->old)
			gov -= op->old->governs;
		if (op->kind == FG_OP_DEL) {
			if (!op->old) {
				fg_txn_fail(txn, -ENOENT, op->line,
					    "no policy on that cgroup");
				return -ENOENT;
			}
			count--;
			continue;
		}
		if (!op->old)
			count++;
		gov += fg_params_govern(&op->params);
		if (op->old && op->old->scope == op->params.scope)
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
	*governing = gov;
	return 0;
}

static void fg_policy_unlink(struct fg_policy *pol, struct list_head *dead)
{
	struct fg_child *ch;

	list_for_each_entry(ch, &pol->children, node) {
		hash_del_rcu(&ch->hnode);
		atomic_dec(&fg_nchildren);
	}
	hash_del_rcu(&pol->hnode);
	list_move_tail(&pol->node, dead);
	fg_npolicies--;
	fg_ngoverning -= pol->governs;
	if (pol->count_tasks)
		atomic_dec(&fg_ntasks);
}

static void fg_policy_link(struct fg_policy *pol, struct cgroup *cgrp)
{
	cgroup_get(cgrp);
	pol->cgrp = cgrp;
	list_add_tail(&pol->node, &fg_policy_list);
	hash_add_rcu(fg_policy_hash, &pol->hnode, pol->cgid);
	fg_npolicies++;
	fg_ngoverning += pol->governs;
	if (pol->count_tasks)
		atomic_inc(&fg_ntasks);
}

static void fg_bucket_reparam(struct fg_bucket *b, const struct fg_params *p)
{
	raw_spin_lock(&b->lock);
	fg_gcra_reparam(&b->g, &b->p, p);
	b->p = *p;
	raw_spin_unlock(&b->lock);
}

/* Replace the parameters of a policy in place: same scope, same buckets. */
static void fg_policy_update(struct fg_policy *pol, const struct fg_params *p)
{
	struct fg_child *ch;
	bool tasks = p->count == FG_COUNT_TASKS;

	if (tasks != pol->count_tasks) {
		if (tasks)
			atomic_inc(&fg_ntasks);
		else
			atomic_dec(&fg_ntasks);
		WRITE_ONCE(pol->count_tasks, tasks);
	}
	WRITE_ONCE(pol->mt_warn, p->mt_warn);
	fg_ngoverning += fg_params_govern(p) - pol->governs;
	WRITE_ONCE(pol->governs, fg_params_govern(p));
	fg_bucket_reparam(&pol->b, p);
	list_for_each_entry(ch, &pol->children, node)
		fg_bucket_reparam(&ch->b, p);
}

/* Audit one operation before it is applied; @buf has PATH_MAX bytes. */
static void fg_txn_audit(const struct fg_txn_op *op, char *buf)
{
	char old[FG_PARAMS_LEN], new[FG_PARAMS_LEN];
	static const char * const names[] = {
		[FG_OP_SET]	= "policy_set",
		[FG_OP_DEL]	= "policy_del",
		[FG_OP_FLUSH]	= "policy_flush",
	};

	if (op->kind == FG_OP_FLUSH) {
		snprintf(old, sizeof(old), "policies=%u", fg_npolicies);
		fg_audit_change(names[op->kind], NULL, old, NULL);
		return;
	}
	/* Commas, not spaces: audit would print the value in hex. */
	if (op->old) {
		fg_format_params(old, sizeof(old), &op->old->b.p);
		strreplace(old, ' ', ',');
	}
	if (op->kind == FG_OP_SET) {
		fg_format_params(new, sizeof(new), &op->params);
		strreplace(new, ' ', ',');
	}
	if (cgroup_path(op->cgrp, buf, PATH_MAX) < 0)
		strscpy(buf, "?", PATH_MAX);
	fg_audit_change(names[op->kind], buf, op->old ? old : NULL,
			op->kind == FG_OP_SET ? new : NULL);
}

static void fg_txn_apply(struct fg_txn *txn, struct list_head *dead,
			 char *audit_buf)
{
	struct fg_policy *pol, *tmp;
	struct fg_txn_op *op;
	unsigned int i;

	for (i = 0; i < txn->n; i++) {
		op = &txn->ops[i];
		if (audit_buf)
			fg_txn_audit(op, audit_buf);
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
	list_for_each_entry_safe(pol, tmp, dead, node) {
		list_for_each_entry_safe(ch, ctmp, &pol->children, node)
			fg_child_free(ch);
		fg_policy_free(pol);
	}
}

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
	unsigned int governing = 0;
	char *audit_buf = NULL;
	LIST_HEAD(dead);
	int err;

	/* Without memory for it, the change is made but not audited. */
	if (READ_ONCE(fg_audit))
		audit_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = fg_txn_resolve(txn);
	if (!err)
		err = fg_txn_check_dups(txn);
	if (err)
		goto out;

	mutex_lock(&fg_mutex);
	err = fg_txn_prepare(txn, &governing);
	/* Install the hook first: it is the one step that can fail. */
	if (!err && (governing || fg_lineage_on())) {
		err = fg_hook_update(READ_ONCE(fg_enabled));
		if (err)
			fg_txn_fail(txn, err, 0,
				    "cannot hook kernel_clone (kernel.ftrace_enabled is 0, or a livepatch owns it)");
	}
	if (!err) {
		fg_txn_apply(txn, &dead, audit_buf);
		if (!governing && !fg_lineage_on())
			fg_hook_update(false);
	}
	mutex_unlock(&fg_mutex);
	fg_free_dead(&dead);
out:
	kfree(audit_buf);
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
	err = fg_hook_update(READ_ONCE(fg_enabled) &&
			     (fg_ngoverning || fg_lineage_on()));
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
static bool fg_cgroup_gone(struct cgroup *cgrp)
{
	return !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
}

static void fg_gc_fn(struct work_struct *work)
{
	struct fg_policy *pol, *tmp;
	struct fg_child *ch, *ctmp;
	LIST_HEAD(dead);
	LIST_HEAD(dead_children);

	mutex_lock(&fg_mutex);
	list_for_each_entry_safe(pol, tmp, &fg_policy_list, node) {
		if (fg_cgroup_gone(pol->cgrp)) {
			fg_policy_unlink(pol, &dead);
			continue;
		}
		list_for_each_entry_safe(ch, ctmp, &pol->children, node) {
			if (!fg_cgroup_gone(ch->cgrp))
				continue;
			hash_del_rcu(&ch->hnode);
			list_move_tail(&ch->node, &dead_children);
			atomic_dec(&fg_nchildren);
		}
	}
	if (!fg_ngoverning && !fg_lineage_on())
		fg_hook_update(false);
	mutex_unlock(&fg_mutex);

	if (!list_empty(&dead_children))
		synchronize_rcu();
	list_for_each_entry_safe(ch, ctmp, &dead_children, node)
		fg_child_free(ch);
	fg_free_dead(&dead);
}

static DECLARE_WORK(fg_gc_work, fg_gc_fn);

static void fg_probe_cgroup_rmdir(void *data, struct cgroup *cgrp,
				  const char *path)
{
	if (READ_ONCE(fg_npolicies))
		queue_work(system_unbound_wq, &fg_gc_work);
}

static struct tracepoint *fg_tp_rmdir;

static void fg_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "cgroup_rmdir"))
		fg_tp_rmdir = tp;
}

/* Reading the table: see iface.c for the format's contract. */
static void fg_show_cgid(struct seq_file *m, u64 cgid, char *buf)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);

	if (IS_ERR(cgrp) || cgroup_path(cgrp, buf, PATH_MAX) < 0)
		seq_puts(m, "-");
	else
		seq_escape(m, buf, " \t\n\\");
	if (!IS_ERR(cgrp))
		cgroup_put(cgrp);
}

static void fg_show_bucket(struct seq_file *m, struct fg_bucket *b, char *buf)
{
	u64 allowed, denied, throttled, throttle_ns, throttle_max_ns, logged;
	u64 last_cgid, now = ktime_get_ns();
	char last_comm[TASK_COMM_LEN];
	pid_t last_pid;
	s64 tokens;
	u32 peak;

	/* Sample under the lock, print without it. */
	raw_spin_lock(&b->lock);
	tokens = fg_gcra_tokens(&b->g, &b->p, now);
	allowed = b->allowed;
	denied = b->denied;
	throttled = b->throttled;
	throttle_ns = b->throttle_ns;
	throttle_max_ns = b->throttle_max_ns;
	logged = b->logged;
	peak = b->win.peak;
	last_pid = b->last_pid;
	last_cgid = b->last_cgid;
	memcpy(last_comm, b->last_comm, sizeof(last_comm));
	raw_spin_unlock(&b->lock);

	seq_printf(m,
		   " tokens=%lld allowed=%llu denied=%llu throttled=%llu throttle_ns=%llu throttle_max_ns=%llu logged=%llu peak_1s=%u",
		   tokens, allowed, denied, throttled, throttle_ns,
		   throttle_max_ns, logged, peak);
	if (!last_pid) {
		seq_puts(m, " last_pid=- last_comm=- last_cgroup=-\n");
		return;
	}
	seq_printf(m, " last_pid=%d last_comm=", last_pid);
	seq_escape(m, last_comm, " \t\n\\");
	seq_puts(m, " last_cgroup=");
	fg_show_cgid(m, last_cgid, buf);
	seq_putc(m, '\n');
}

static void fg_show_path(struct seq_file *m, struct cgroup *cgrp, char *buf)
{
	if (cgroup_path(cgrp, buf, PATH_MAX) < 0)
		strscpy(buf, "?", PATH_MAX);
	seq_escape(m, buf, " \t\n\\");
}

static void fg_show_policy(struct seq_file *m, struct fg_policy *pol,
			   char *buf)
{
	char params[FG_PARAMS_LEN];
	struct fg_child *ch;

	/* Parameters change only under fg_mutex, which the caller holds. */
	fg_format_params(params, sizeof(params), &pol->b.p);
	seq_puts(m, "policy ");
	fg_show_path(m, pol->cgrp, buf);
	seq_printf(m, " %s", params);
	fg_show_bucket(m, &pol->b, buf);

	list_for_each_entry(ch, &pol->children, node) {
		seq_puts(m, "child ");
		fg_show_path(m, ch->cgrp, buf);
		seq_puts(m, " policy=");
		fg_show_path(m, pol->cgrp, buf);
		fg_show_bucket(m, &ch->b, buf);
	}
}

/**
 * fg_policy_show - print the whole table
 * @m: the seq_file
 *
 * Holds fg_mutex for a consistent snapshot; the fork path does not take it.
 */
void fg_policy_show(struct seq_file *m)
{
	struct fg_policy *pol;
	char *buf;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return;
	mutex_lock(&fg_mutex);
	list_for_each_entry(pol, &fg_policy_list, node) {
		fg_show_policy(m, pol, buf);
		if (seq_has_overflowed(m))
			break;
	}
	mutex_unlock(&fg_mutex);
	kfree(buf);
}

/* A first guess at the size of fg_policy_show()'s output. */
size_t fg_policy_show_size(void)
{
	return (READ_ONCE(fg_npolicies) + atomic_read(&fg_nchildren) + 1) *
	       384;
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
	if (err)
		pr_err("cannot attach to cgroup_rmdir: %d\n", err);
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

	mutex_lock(&fg_mutex);
	list_for_each_entry_safe(pol, tmp, &fg_policy_list, node)
		fg_policy_unlink(pol, &dead);
	mutex_unlock(&fg_mutex);
	fg_free_dead(&dead);
}
