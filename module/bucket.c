// SPDX-License-Identifier: GPL-2.0
/*
 * Token-bucket arithmetic: see bucket.h for the representation.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "bucket.h"

/**
 * fg_gcra_refund - give back a token taken by fg_gcra_take()
 * @g: bucket state
 * @p: bucket parameters
 *
 * Used when a later policy on the chain denies the fork, so that a denied
 * fork costs no policy anything.
 */
void fg_gcra_refund(struct fg_gcra *g, const struct fg_params *p)
{
	u64 step = p->interval_ns ? p->interval_ns : 1;

	g->tat = g->tat >= step ? g->tat - step : 0;
}

/**
 * fg_gcra_tokens - whole tokens in the bucket
 * @g:   bucket state
 * @p:   bucket parameters
 * @now: current CLOCK_MONOTONIC time in ns
 *
 * Return: the tokens available now; negative while throttled forks wait for
 * tokens already promised to them.
 */
s64 fg_gcra_tokens(const struct fg_gcra *g, const struct fg_params *p, u64 now)
{
	u64 ahead;

	if (!p->interval_ns)
		return (s64)p->burst - (s64)g->tat;
	if (g->tat <= now)
		return p->burst;
	ahead = g->tat - now;
	return (s64)p->burst -
	       (s64)div64_u64(ahead + p->interval_ns - 1, p->interval_ns);
}

/**
 * fg_gcra_reparam - carry bucket state over a change of parameters
 * @g:   bucket state
 * @old: parameters the state was built with
 * @new: parameters from now on
 * @now: current CLOCK_MONOTONIC time in ns
 *
 * A token count and a time cannot be converted into each other: switching
 * between a refilling and a never-refilling bucket, or to or from rate=none,
 * starts full.  Otherwise the state is kept, but a change of rate or burst
 * takes effect at once: a bucket never stays further in debt than the new
 * burst allows.  A refilling bucket keeps tat only up to now + the new tau,
 * so that the next fork conforms; what lay beyond (a debt run up at the old
 * rate, or tokens promised to throttled forks, which keep their wake-up
 * times) is forgiven.  A never-refilling bucket keeps at most @burst used.
 */
void fg_gcra_reparam(struct fg_gcra *g, const struct fg_params *old,
		     const struct fg_params *new, u64 now)
{
	u64 tau;

	if (!old->interval_ns != !new->interval_ns ||
	    !old->period_s != !new->period_s) {
		g->tat = 0;
		return;
	}
	if (old->interval_ns == new->interval_ns && old->burst == new->burst)
		return;
	if (!new->interval_ns) {
		g->tat = min_t(u64, g->tat, new->burst);
		return;
	}
	tau = (u64)(new->burst - 1) * new->interval_ns;
	if (g->tat > now + tau)
		g->tat = now + tau;
}

/* Empty slot @idx; what it held leaves the sum. */
static void fg_window_clear(struct fg_window *w, u32 idx)
{
	atomic_sub(atomic_xchg(&w->slot[idx], 0), &w->sum);
}

/*
 * fg_window_add()'s slow path: @now is outside the current slot, or the
 * window is new; the caller serialises it with every other call.  Forks
 * counting themselves meanwhile (fg_window_count_now()) may add to the slot
 * being left or emptied: a slot is emptied by exchange, so nothing added is
 * lost from the sum.  An
 * attempt whose clock was read before the current slot began (another CPU
 * moved the window first) counts in the current slot.
 */
void __fg_window_add(struct fg_window *w, u64 now)
{
	u64 epoch = div64_u64(now, FG_WIN_SLOT_NS);
	u32 idx;

	if (epoch <= w->epoch) {
		fg_window_count(w, w->cur);
		return;
	}
	if (epoch - w->epoch >= FG_WIN_SLOTS) {
		for (idx = 0; idx < FG_WIN_SLOTS; idx++)
			fg_window_clear(w, idx);
	} else {
		u64 gap = epoch - w->epoch;

		while (gap--) {
			div_u64_rem(epoch - gap, FG_WIN_SLOTS, &idx);
			fg_window_clear(w, idx);
		}
	}
	div_u64_rem(epoch, FG_WIN_SLOTS, &idx);
	WRITE_ONCE(w->epoch, epoch);
	WRITE_ONCE(w->cur, idx);
	/* Pairs with fg_window_count_now(): the new start, the new slot. */
	smp_store_release(&w->slot_start, epoch * FG_WIN_SLOT_NS);
	fg_window_count(w, idx);
}
