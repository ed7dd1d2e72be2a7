/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fork path's inline checks for the lineage defence (lineage.c), apart
 * from forkgov.h because they read current, which the userspace unit tests
 * that include forkgov.h do not have.
 */
#ifndef _FORKGOV_LINEAGE_H
#define _FORKGOV_LINEAGE_H

#include <linux/sched.h>

#include "forkgov.h"

/*
 * The fork path's one compare: a task that has exec'd since its fork (its
 * self_exec_id moved past the parent_exec_id it was given) has a child at
 * depth 1, charged only in a cgroup under siege, and while none is, one
 * load tells.  See lineage.c.
 */
static inline bool fg_lineage_skips(void)
{
	return current->self_exec_id != current->parent_exec_id &&
	       !READ_ONCE(fg_lineage_nsieged);
}

static inline enum fg_decision fg_lineage_charge(struct cgroup *cgrp,
						 bool thread,
						 enum fg_decision d,
						 u64 *now, struct fg_wait *w)
{
	if (likely(fg_lineage_skips()))
		return d;
	return __fg_lineage_charge(cgrp, thread, d, now, w);
}

/*
 * Nothing to decide: no policy governs, current has exec'd since its fork
 * and no cgroup is under siege, so the lineage defence (which alone
 * installed the hook) skips it.
 */
static inline bool fg_nothing_to_decide(void)
{
	return !READ_ONCE(fg_ngoverning) && fg_lineage_skips();
}

#endif /* _FORKGOV_LINEAGE_H */
