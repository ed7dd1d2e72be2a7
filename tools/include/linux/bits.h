/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bits.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_BITS_H
#define _FG_FAKE_LINUX_BITS_H

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))

#endif /* _FG_FAKE_LINUX_BITS_H */
