/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token-bucket arithmetic of forkgov, compiled into the module and into the
 * userspace unit tests.  The GCRA functions are pure computation on plain
 * integers: callers provide the locking, or apply the result with a
 * compare-and-exchange (policy.c).  The window counts attempts with atomic
 * operations, so that forks count themselves without a lock; only the move to
 * a new slot needs one.  What every governed fork runs is inline: taking a
 * token and counting the attempt in the window.
 */
#ifndef _FORKGOV_BUCKET_H
#define _FORKGOV_BUCKET_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/time64.h>
#include <linux/types.h>

enum fg_action {
	FG_ACT_DENY,
	FG_ACT_THROTTLE,
	FG_ACT_LOG,
};

enum fg_scope {
	FG_SCOPE_SUBTREE,
	FG_SCOPE_PER_CHILD,
};

enum fg_count {
	FG_COUNT_FORKS,
	FG_COUNT_TASKS,
};

/* Per-policy override of fork-without-exec reporting (policy key mt_warn). */
enum fg_mt_warn {
	FG_MT_INHERIT,
	FG_MT_ON,
	FG_MT_OFF,
};

/**
 * struct fg_params - the parameters of one policy
 * @interval_ns:  time that earns one token; 0 when the bucket never refills
 * @rate_milli:   rate as written, in thousandths of a token per @period_s
 * @period_s:     unit the rate was written in: 1, 60 or 3600 seconds; 0 for
 *                rate=none, a policy that governs no fork (it only carries
 *                @mt_warn)
 * @burst:        bucket size in tokens, at least 1
 * @max_delay_ms: longest throttle wait; a fork that would wait longer waits
 *                this long, then is denied
 * @deny_delay_ms: ceiling of the back-off a denied fork sleeps before it
 *                fails; 0 fails it at once
 * @action:       enum fg_action
 * @scope:        enum fg_scope
 * @count:        enum fg_count
 * @mt_warn:      enum fg_mt_warn
 */
struct fg_params {
	u64 interval_ns;
	u64 rate_milli;
	u32 period_s;
	u32 burst;
	u32 max_delay_ms;
	u32 deny_delay_ms;
	u8 action;
	u8 scope;
	u8 count;
	u8 mt_warn;
};

/* What one bucket says about one fork. */
enum fg_verdict {
	FG_ALLOW,	/* a token was taken */
	FG_THROTTLE,	/* a future token was promised; wait for it */
	FG_LOGGED,	/* empty, but the action is log: allowed, no token */
	FG_DENY,	/* empty, or the wait would exceed max_delay */
};

/*
 * The bucket is a GCRA: a single "theoretical arrival time" @tat in
 * nanoseconds of CLOCK_MONOTONIC.  The bucket is full while tat <= now; each
 * token moves tat forward by interval_ns, and a fork conforms while tat lies
 * no more than (burst - 1) intervals ahead of now.  A tat further ahead than
 * that is a backlog of tokens promised to throttled forks.  When the bucket
 * never refills (interval_ns == 0), @tat counts the tokens used instead.
 */
struct fg_gcra {
	u64 tat;
};

/* Fork attempts per one-second window, sampled in 100 ms slots. */
#define FG_WIN_SLOTS		10
#define FG_WIN_SLOT_NS		(100 * 1000 * 1000ULL)

/*
 * @epoch is the current slot's number since the clock's start, @cur its
 * index in @slot and @slot_start its first nanosecond, so that an attempt
 * within the current slot costs no division.  Those three change only in
 * __fg_window_add(), which its caller serialises; an attempt within the
 * current slot is counted without a lock, by atomic increments of @sum and
 * of the slot.  @sum is incremented before the slot and decremented after a
 * slot is emptied, so it never falls below the total of the slots.
 */
struct fg_window {
	u64 epoch;
	u64 slot_start;
	u32 cur;
	atomic_t slot[FG_WIN_SLOTS];
	atomic_t sum;
	atomic_t peak;
};

void fg_gcra_refund(struct fg_gcra *g, const struct fg_params *p);
s64 fg_gcra_tokens(const struct fg_gcra *g, const struct fg_params *p, u64 now);
void fg_gcra_reparam(struct fg_gcra *g, const struct fg_params *old,
		     const struct fg_params *new, u64 now);
void __fg_window_add(struct fg_window *w, u64 now);

static inline enum fg_verdict fg_counter_take(struct fg_gcra *g,
					      const struct fg_params *p)
{
	if (g->tat < p->burst) {
		g->tat++;
		return FG_ALLOW;
	}
	/* A bucket that never refills has no future token to wait for. */
	return p->action == FG_ACT_LOG ? FG_LOGGED : FG_DENY;
}

/**
 * fg_gcra_take - charge one fork to a bucket
 * @g:     bucket state
 * @p:     bucket parameters
 * @now:   current CLOCK_MONOTONIC time in ns
 * @delay: set to the wait in ns when FG_THROTTLE is returned, else 0
 *
 * Return: the verdict; @g changes only for FG_ALLOW and FG_THROTTLE.
 */
static inline enum fg_verdict fg_gcra_take(struct fg_gcra *g,
					   const struct fg_params *p,
					   u64 now, u64 *delay)
{
	u64 tau, start, ahead, wait;

	*delay = 0;
	if (!p->interval_ns)
		return fg_counter_take(g, p);

	tau = (u64)(p->burst - 1) * p->interval_ns;
	start = max(g->tat, now);
	ahead = start - now;
	if (ahead <= tau) {
		g->tat = start + p->interval_ns;
		return FG_ALLOW;
	}

	wait = ahead - tau;
	switch (p->action) {
	case FG_ACT_THROTTLE:
		if (wait > (u64)p->max_delay_ms * NSEC_PER_MSEC)
			return FG_DENY;
		/* Promise the next free token: later callers queue behind. */
		g->tat = start + p->interval_ns;
		*delay = wait;
		return FG_THROTTLE;
	case FG_ACT_LOG:
		return FG_LOGGED;
	default:
		return FG_DENY;
	}
}

/* Count one attempt in slot @cur; any context, no lock. */
static inline void fg_window_count(struct fg_window *w, u32 cur)
{
	int sum = atomic_inc_return(&w->sum);
	int peak = atomic_read(&w->peak);

	atomic_inc(&w->slot[cur]);
	while (sum > peak && !atomic_try_cmpxchg(&w->peak, &peak, sum))
		;
}

/*
 * Count one attempt if @now lies in the current slot, without a lock.  A fork
 * that races with a move of the window may count in the slot just left, or
 * just emptied: the attempt is in the sum all the same, and leaves it with
 * that slot, within the second.
 *
 * Return: false if the window must move first (__fg_window_add()).
 */
static __always_inline bool fg_window_count_now(struct fg_window *w, u64 now)
{
	/*
	 * Pairs with __fg_window_add(): the slot of this start, or later.  A
	 * new window (all zero) is slot 0 of epoch 0, which the clock has left.
	 */
	if (unlikely(now - smp_load_acquire(&w->slot_start) >= FG_WIN_SLOT_NS))
		return false;
	fg_window_count(w, READ_ONCE(w->cur));
	return true;
}

/**
 * fg_window_add - count one fork attempt in the one-second window
 * @w:   window state
 * @now: current CLOCK_MONOTONIC time in ns
 *
 * The window is the current 100 ms slot and the nine before it; @peak keeps
 * the largest sum seen.  The caller serialises the calls that may move the
 * window (see fg_window_count_now() for the part that needs no lock).
 */
static inline void fg_window_add(struct fg_window *w, u64 now)
{
	if (!fg_window_count_now(w, now))
		__fg_window_add(w, now);
}

#endif /* _FORKGOV_BUCKET_H */
