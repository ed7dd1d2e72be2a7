/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fork hook (hook.c) asks of the policy table (policy.c).  The hook
 * depends on the policy layer, not the other way round: policy.c installs
 * and removes the hook through the function hook.c gives it with
 * fg_policy_set_hook().
 *
 * The level index answers "may a policy govern a fork from this cgroup" in a
 * few loads, whatever the number of policies and the depth of the cgroup:
 *
 *  - bit L of @mask is set while a policy with a rate sits at level L of the
 *    cgroup hierarchy (the root is level 0); every level from
 *    FG_LEVEL_DEEP down shares the last bit;
 *  - @sole[L] is that policy's cgroup when it is the only one at level L,
 *    NULL when there are several (and always for FG_LEVEL_DEEP), and
 *    @sole_pol[L] the policy itself, so that the slow path finds it without
 *    a hash lookup.
 *
 *  - @filter has the bit hash_ptr(cgrp, FG_FILTER_BITS) set for the cgroup
 *    of every such policy (for one from FG_LEVEL_DEEP down, its ancestor at
 *    FG_LEVEL_DEEP): on a level with several policies, a clear bit rules the
 *    ancestor out; a set one may be another cgroup's, and only means "maybe".
 *
 * A cgroup at level N is governed by nothing if no bit at or below N is set,
 * or if for every set bit L its ancestor at level L, cgrp->ancestors[L], is
 * not the sole policy's cgroup, or, on a level with several, has its filter
 * bit clear.  A "maybe" sends the fork to the charge, which looks the
 * ancestor up in the table.  With 10,000 policies on one level (the filter
 * has 131,072 bits), about one cgroup in 13 of that level without a policy
 * pays that lookup.
 *
 * The index is rebuilt under fg_mutex after every change of the table.  A
 * fork that races with a change may see either the old or the new index, or
 * a mix of the two; a mix only ever sends a fork to the charge that finds
 * nothing (the pointers are compared or hashed, never dereferenced), or
 * misses a policy being added, as a fork racing with the write did before.
 * A policy in the table before and after the change is never missed: its
 * filter bit is set in the old words and in the new ones, and each word is
 * written whole.
 */
#ifndef _FORKGOV_POLICY_H
#define _FORKGOV_POLICY_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cgroup-defs.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/minmax.h>

#include "forkgov.h"

#define FG_LEVELS	BITS_PER_LONG
#define FG_LEVEL_DEEP	(FG_LEVELS - 1)
/* 16 KiB: with the default max_policies (16,384) at most 1 bit in 8 set. */
#define FG_FILTER_BITS	17

struct fg_policy;

struct fg_level_index {
	unsigned long mask;
	struct cgroup *sole[FG_LEVELS];
	struct fg_policy *sole_pol[FG_LEVELS];
	unsigned long filter[BITS_TO_LONGS(1UL << FG_FILTER_BITS)];
};

extern struct fg_level_index fg_levels;
extern atomic_t fg_ntasks;

/* The levels of the index at or above @level: bits 0 to min(@level, 63). */
static __always_inline unsigned long fg_levels_upto(int level)
{
	int top = min(level, FG_LEVEL_DEEP);

	/* 2UL << 63 is 0: all bits. */
	return (2UL << top) - 1;
}

/* The bit of @filter that a policy on @cg (or below, from FG_LEVEL_DEEP) sets. */
static __always_inline unsigned long fg_filter_bit(const struct cgroup *cg)
{
	return hash_ptr(cg, FG_FILTER_BITS);
}

/* What fg_policy_level() returns when no policy is on the chain. */
#define FG_LEVEL_NONE	FG_LEVELS

/**
 * fg_policy_level - the level of the chain of @cgrp that a policy may govern
 * @cgrp: the forking task's cgroup, under RCU
 *
 * Levels whose only policy sits on another branch are ruled out, and so are
 * levels of several policies whose filter bit for the chain's cgroup is
 * clear; the first level that is not is the answer, if no deeper level holds
 * a policy.
 *
 * Return: FG_LEVEL_NONE if no policy with a rate is on the chain of @cgrp;
 * the level, below FG_LEVEL_DEEP, if a policy on that level of the chain and
 * on no other may govern the fork (fg_policy_charge_level()); FG_LEVEL_DEEP
 * if policies on several levels may, or one from FG_LEVEL_DEEP down
 * (fg_policy_charge()).
 */
static __always_inline unsigned int fg_policy_level(const struct cgroup *cgrp)
{
	unsigned long mask = READ_ONCE(fg_levels.mask);
	const struct cgroup *sole, *cg;
	unsigned int l;

	mask &= fg_levels_upto(cgrp->level);
	while (mask) {
		l = __ffs(mask);
		sole = READ_ONCE(fg_levels.sole[l]);
		cg = cgrp->ancestors[l];
		mask &= mask - 1;
		if (sole ? cg == sole :
			   test_bit(fg_filter_bit(cg), fg_levels.filter))
			return mask ? FG_LEVEL_DEEP : l;
	}
	return FG_LEVEL_NONE;
}

/* Whether any policy charges new threads (count=tasks). */
static inline bool fg_policy_tasks_counted(void)
{
	return atomic_read(&fg_ntasks) > 0;
}

enum fg_decision fg_policy_charge(struct cgroup *cgrp, bool thread,
				  struct fg_call *c);
enum fg_decision fg_policy_charge_level(struct cgroup *cgrp, unsigned int l,
					bool thread, struct fg_call *c);
void fg_policy_populate(struct cgroup *cgrp);
void fg_policy_set_hook(int (*update)(bool want));

#endif /* _FORKGOV_POLICY_H */
