// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the token-bucket arithmetic, on synthetic time, so that every
 * figure is exact.  UNIT_SOURCES: module/bucket.c
 */
#include <linux/kernel.h>
#include <linux/time64.h>

#include "kselftest_harness.h"
#include "bucket.h"

/* Far from zero, as CLOCK_MONOTONIC is on a machine that has been up. */
#define T0	(1000 * NSEC_PER_SEC)
#define MS	NSEC_PER_MSEC

static struct fg_params mk(u64 interval_ns, u32 burst, u8 action,
			   u32 max_delay_ms)
{
	struct fg_params p = {
		.interval_ns = interval_ns,
		.burst = burst,
		.action = action,
		.max_delay_ms = max_delay_ms,
	};

	return p;
}

static enum fg_verdict take(struct fg_gcra *g, const struct fg_params *p,
			    u64 now)
{
	u64 delay;

	return fg_gcra_take(g, p, now, &delay);
}

TEST(burst_then_rate)
{
	struct fg_params p = mk(100 * MS, 5, FG_ACT_DENY, 0);
	struct fg_gcra g = {};
	int i;

	ASSERT_EQ(5, fg_gcra_tokens(&g, &p, T0));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(FG_ALLOW, take(&g, &p, T0));
	ASSERT_EQ(0, fg_gcra_tokens(&g, &p, T0));
	ASSERT_EQ(FG_DENY, take(&g, &p, T0));
	ASSERT_EQ(FG_DENY, take(&g, &p, T0 + 99 * MS));
	ASSERT_EQ(FG_ALLOW, take(&g, &p, T0 + 100 * MS));
	ASSERT_EQ(FG_DENY, take(&g, &p, T0 + 150 * MS));
	/* A long pause refills up to the burst, not beyond. */
	ASSERT_EQ(5, fg_gcra_tokens(&g, &p, T0 + 3600 * NSEC_PER_SEC));
}

TEST(deny_leaves_state_alone)
{
	struct fg_params p = mk(NSEC_PER_SEC, 1, FG_ACT_DENY, 0);
	struct fg_gcra g = {};
	u64 tat;

	ASSERT_EQ(FG_ALLOW, take(&g, &p, T0));
	tat = g.tat;
	ASSERT_EQ(FG_DENY, take(&g, &p, T0 + 1));
	ASSERT_EQ(tat, g.tat);
}

TEST(throttle_queues_in_order)
{
	struct fg_params p = mk(50 * MS, 1, FG_ACT_THROTTLE, 200);
	struct fg_gcra g = {};
	u64 delay;
	int i;

	ASSERT_EQ(FG_ALLOW, fg_gcra_take(&g, &p, T0, &delay));
	ASSERT_EQ(0, delay);
	/* Each caller at the same instant is promised the next token. */
	for (i = 1; i <= 4; i++) {
		ASSERT_EQ(FG_THROTTLE, fg_gcra_take(&g, &p, T0, &delay));
		ASSERT_EQ(i * 50 * MS, delay);
	}
	ASSERT_EQ(-4, fg_gcra_tokens(&g, &p, T0));
	/* The fifth would wait 250 ms > 200 ms: denied, nothing promised. */
	ASSERT_EQ(FG_DENY, fg_gcra_take(&g, &p, T0, &delay));
	ASSERT_EQ(-4, fg_gcra_tokens(&g, &p, T0));
}

TEST(log_counts_without_taking)
{
	struct fg_params p = mk(NSEC_PER_SEC, 2, FG_ACT_LOG, 0);
	struct fg_gcra g = {};

	ASSERT_EQ(FG_ALLOW, take(&g, &p, T0));
	ASSERT_EQ(FG_ALLOW, take(&g, &p, T0));
	ASSERT_EQ(FG_LOGGED, take(&g, &p, T0));
	ASSERT_EQ(FG_LOGGED, take(&g, &p, T0));
	ASSERT_EQ(0, fg_gcra_tokens(&g, &p, T0));
}

TEST(refund_gives_the_token_back)
{
	struct fg_params p = mk(NSEC_PER_SEC, 3, FG_ACT_DENY, 0);
	struct fg_gcra g = {};

	ASSERT_EQ(FG_ALLOW, take(&g, &p, T0));
	ASSERT_EQ(2, fg_gcra_tokens(&g, &p, T0));
	fg_gcra_refund(&g, &p);
	ASSERT_EQ(3, fg_gcra_tokens(&g, &p, T0));
}

TEST(never_refills)
{
	struct fg_params p = mk(0, 3, FG_ACT_THROTTLE, 60000);
	struct fg_gcra g = {};
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(FG_ALLOW, take(&g, &p, T0 + i));
	/* No future token to wait for: even throttle denies. */
	ASSERT_EQ(FG_DENY, take(&g, &p, T0 + 3600 * NSEC_PER_SEC));
	ASSERT_EQ(0, fg_gcra_tokens(&g, &p, T0));
	fg_gcra_refund(&g, &p);
	ASSERT_EQ(1, fg_gcra_tokens(&g, &p, T0));
}

TEST(reparam_between_modes_starts_full)
{
	struct fg_params timed = mk(NSEC_PER_SEC, 2, FG_ACT_DENY, 0);
	struct fg_params counted = mk(0, 2, FG_ACT_DENY, 0);
	struct fg_gcra g = {};

	ASSERT_EQ(FG_ALLOW, take(&g, &timed, T0));
	fg_gcra_reparam(&g, &timed, &counted, T0);
	ASSERT_EQ(2, fg_gcra_tokens(&g, &counted, T0));
	ASSERT_EQ(FG_ALLOW, take(&g, &counted, T0));
	fg_gcra_reparam(&g, &counted, &counted, T0);
	ASSERT_EQ(1, fg_gcra_tokens(&g, &counted, T0));
}

/*
 * A change of rate or burst takes effect at once: 24/h with a burst of 1 is
 * empty for an hour after one fork, but at 100/s the next fork conforms.
 */
TEST(reparam_relaxed_rate_takes_effect_at_once)
{
	struct fg_params slow = mk(150 * NSEC_PER_SEC, 1, FG_ACT_DENY, 0);
	struct fg_params fast = mk(10 * MS, 1, FG_ACT_DENY, 0);
	struct fg_gcra g = {};

	slow.period_s = 3600;
	fast.period_s = 1;
	ASSERT_EQ(FG_ALLOW, take(&g, &slow, T0));
	ASSERT_EQ(FG_DENY, take(&g, &slow, T0 + MS));
	fg_gcra_reparam(&g, &slow, &fast, T0 + 2 * MS);
	ASSERT_EQ(1, fg_gcra_tokens(&g, &fast, T0 + 2 * MS));
	ASSERT_EQ(FG_ALLOW, take(&g, &fast, T0 + 2 * MS));
	ASSERT_EQ(FG_DENY, take(&g, &fast, T0 + 3 * MS));
	ASSERT_EQ(FG_ALLOW, take(&g, &fast, T0 + 12 * MS));
}

/* A larger burst gives its extra tokens at once, a smaller one caps debt. */
TEST(reparam_burst)
{
	struct fg_params b4 = mk(NSEC_PER_SEC, 4, FG_ACT_DENY, 0);
	struct fg_params b2 = mk(NSEC_PER_SEC, 2, FG_ACT_DENY, 0);
	struct fg_params b8 = mk(NSEC_PER_SEC, 8, FG_ACT_DENY, 0);
	struct fg_gcra g = {};
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(FG_ALLOW, take(&g, &b4, T0));
	fg_gcra_reparam(&g, &b4, &b8, T0);
	ASSERT_EQ(4, fg_gcra_tokens(&g, &b8, T0));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(FG_ALLOW, take(&g, &b8, T0)) TH_LOG("fork %d", i);
	ASSERT_EQ(FG_DENY, take(&g, &b8, T0));
	/* Eight tokens owed; a burst of 2 keeps at most one of them owed. */
	fg_gcra_reparam(&g, &b8, &b2, T0);
	ASSERT_EQ(1, fg_gcra_tokens(&g, &b2, T0));
	ASSERT_EQ(FG_ALLOW, take(&g, &b2, T0));
	ASSERT_EQ(FG_DENY, take(&g, &b2, T0));
}

/* Unchanged rate and burst (a new action, say) keep the state exactly. */
TEST(reparam_same_rate_keeps_state)
{
	struct fg_params deny = mk(NSEC_PER_SEC, 1, FG_ACT_DENY, 0);
	struct fg_params thr = mk(NSEC_PER_SEC, 1, FG_ACT_THROTTLE, 5000);
	struct fg_gcra g = {};
	u64 delay;

	ASSERT_EQ(FG_ALLOW, take(&g, &thr, T0));
	ASSERT_EQ(FG_THROTTLE, fg_gcra_take(&g, &thr, T0, &delay));
	ASSERT_EQ(NSEC_PER_SEC, delay);
	fg_gcra_reparam(&g, &thr, &deny, T0);
	ASSERT_EQ(-1, fg_gcra_tokens(&g, &deny, T0));
	ASSERT_EQ(FG_DENY, take(&g, &deny, T0 + 1500 * MS));
	ASSERT_EQ(FG_ALLOW, take(&g, &deny, T0 + 2000 * MS));
}

/*
 * Throttled forks hold their wake-up times; a new rate forgives the backlog
 * promised to them, so new forks are judged by the new rate alone.
 */
TEST(reparam_forgives_throttle_backlog)
{
	struct fg_params p1 = mk(NSEC_PER_SEC, 1, FG_ACT_THROTTLE, 60000);
	struct fg_params p2 = mk(100 * MS, 1, FG_ACT_THROTTLE, 60000);
	struct fg_gcra g = {};
	u64 delay;
	int i;

	ASSERT_EQ(FG_ALLOW, take(&g, &p1, T0));
	for (i = 0; i < 10; i++)
		ASSERT_EQ(FG_THROTTLE, fg_gcra_take(&g, &p1, T0, &delay));
	ASSERT_EQ(10 * NSEC_PER_SEC, delay);
	fg_gcra_reparam(&g, &p1, &p2, T0);
	ASSERT_EQ(FG_ALLOW, take(&g, &p2, T0));
	ASSERT_EQ(FG_THROTTLE, fg_gcra_take(&g, &p2, T0, &delay));
	ASSERT_EQ(100 * MS, delay);
}

/* rate=0: a smaller burst leaves the bucket empty, not in debt. */
TEST(reparam_counter_burst)
{
	struct fg_params c5 = mk(0, 5, FG_ACT_DENY, 0);
	struct fg_params c3 = mk(0, 3, FG_ACT_DENY, 0);
	struct fg_params c6 = mk(0, 6, FG_ACT_DENY, 0);
	struct fg_gcra g = {};
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(FG_ALLOW, take(&g, &c5, T0));
	fg_gcra_reparam(&g, &c5, &c3, T0);
	ASSERT_EQ(0, fg_gcra_tokens(&g, &c3, T0));
	fg_gcra_reparam(&g, &c3, &c6, T0);
	ASSERT_EQ(3, fg_gcra_tokens(&g, &c6, T0));
}

/* Saturating demand for T seconds allows exactly rate * T + burst. */
FIXTURE(precision) {
};

FIXTURE_VARIANT(precision) {
	u64 interval_ns;
	u32 burst;
	u64 seconds;
	u64 step_ns;
};

FIXTURE_SETUP(precision)
{
}

FIXTURE_TEARDOWN(precision)
{
}

FIXTURE_VARIANT_ADD(precision, half_per_second) {
	.interval_ns = 2 * NSEC_PER_SEC, .burst = 1, .seconds = 60,
	.step_ns = 10 * MS,
};

FIXTURE_VARIANT_ADD(precision, three_per_second) {
	.interval_ns = 333333333, .burst = 4, .seconds = 30,
	.step_ns = 1 * MS,
};

FIXTURE_VARIANT_ADD(precision, fifty_per_second) {
	.interval_ns = 20 * MS, .burst = 200, .seconds = 20,
	.step_ns = 100 * NSEC_PER_USEC,
};

FIXTURE_VARIANT_ADD(precision, two_per_minute) {
	.interval_ns = 30 * NSEC_PER_SEC, .burst = 2, .seconds = 600,
	.step_ns = 100 * MS,
};

FIXTURE_VARIANT_ADD(precision, ten_thousand_per_second) {
	.interval_ns = 100 * NSEC_PER_USEC, .burst = 1, .seconds = 5,
	.step_ns = 10 * NSEC_PER_USEC,
};

TEST_F(precision, allowed_matches_rate_times_time_plus_burst)
{
	struct fg_params p = mk(variant->interval_ns, variant->burst,
				FG_ACT_DENY, 0);
	u64 end = T0 + variant->seconds * NSEC_PER_SEC, t, allowed = 0;
	u64 expect = variant->burst +
		     variant->seconds * NSEC_PER_SEC / variant->interval_ns;
	struct fg_gcra g = {};

	for (t = T0; t <= end; t += variant->step_ns)
		allowed += take(&g, &p, t) == FG_ALLOW;
	TH_LOG("allowed %llu, expected %llu", allowed, expect);
	ASSERT_LE(allowed, expect + 1);
	ASSERT_GE(allowed, expect - 1);
}

TEST(window_peak)
{
	struct fg_window w = {};
	int i;

	/* 30 attempts in 300 ms, then quiet, then 5 spread over 2 s. */
	for (i = 0; i < 30; i++)
		fg_window_add(&w, T0 + i * 10 * MS);
	ASSERT_EQ(30, atomic_read(&w.sum));
	for (i = 0; i < 5; i++)
		fg_window_add(&w, T0 + 5 * NSEC_PER_SEC + i * 400 * MS);
	ASSERT_EQ(30, atomic_read(&w.peak));
	ASSERT_GE(3, atomic_read(&w.sum));
	/* Slots older than a second fall out one by one. */
	memset(&w, 0, sizeof(w));
	for (i = 0; i < 20; i++)
		fg_window_add(&w, T0 + i * 100 * MS);
	ASSERT_EQ(10, atomic_read(&w.peak));
	ASSERT_EQ(10, atomic_read(&w.sum));
}

/*
 * An attempt whose clock was read before another CPU moved the window counts
 * in the current slot; the window is not reset.
 */
TEST(window_late_clock)
{
	struct fg_window w = {};
	int i;

	for (i = 0; i < 5; i++)
		fg_window_add(&w, T0 + i * 100 * MS);
	fg_window_add(&w, T0 + 350 * MS);
	ASSERT_EQ(6, atomic_read(&w.sum));
	ASSERT_EQ(2, atomic_read(&w.slot[w.cur]));
	ASSERT_EQ(6, atomic_read(&w.peak));
	/* Slots emptied on the way out take their counts off the sum. */
	fg_window_add(&w, T0 + 1300 * MS);
	ASSERT_EQ(1 + 2, atomic_read(&w.sum));
}

TEST_HARNESS_MAIN
