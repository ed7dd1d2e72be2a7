// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel headers of tools/include must mean what the real ones
 * mean, or the unit tests of module/ code prove nothing.  No module
 * sources: UNIT_SOURCES:
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "kselftest_harness.h"

TEST(integer_types)
{
	ASSERT_EQ(1, sizeof(u8));
	ASSERT_EQ(2, sizeof(u16));
	ASSERT_EQ(4, sizeof(u32));
	ASSERT_EQ(8, sizeof(u64));
	ASSERT_EQ(8, sizeof(s64));
	ASSERT_EQ(0xffffffffffffffffULL, U64_MAX);
	ASSERT_EQ(0x7fffffffffffffffLL, S64_MAX);
	ASSERT_EQ(-S64_MAX - 1, S64_MIN);
	ASSERT_EQ(0xffffffffU, U32_MAX);
}

TEST(division)
{
	u64 rem64;
	u32 rem32;

	ASSERT_EQ(3, div64_u64(U64_MAX, U64_MAX / 3));
	ASSERT_EQ(6, div64_u64_rem(20, 3, &rem64));
	ASSERT_EQ(2, rem64);
	ASSERT_EQ(333333333, div_u64_rem(NSEC_PER_SEC, 3, &rem32));
	ASSERT_EQ(1, rem32);
	ASSERT_EQ(-2, div64_s64(-5, 2));
	ASSERT_EQ(1000, div_u64(NSEC_PER_SEC, NSEC_PER_MSEC));
}

TEST(min_max_clamp)
{
	int calls = 0;

	ASSERT_EQ(-1, min(-1, 2));
	ASSERT_EQ(2, max(-1, 2));
	/* The _t forms compare in the given type: -1 as u32 is the largest. */
	ASSERT_EQ(2, min_t(u32, -1, 2));
	ASSERT_EQ(5, clamp(9, 1, 5));
	ASSERT_EQ(1, clamp_t(s64, -3, 1, 5));
	ASSERT_EQ(3, clamp_t(u64, 3, 1, 5));
	/* Arguments are evaluated once. */
	ASSERT_EQ(1, min(++calls, 10));
	ASSERT_EQ(1, calls);
	ASSERT_EQ(3, DIV_ROUND_UP(7, 3));
	ASSERT_EQ(1, likely(7));
	ASSERT_EQ(0, unlikely(0));
}

TEST_HARNESS_MAIN
