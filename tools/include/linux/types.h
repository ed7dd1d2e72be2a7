/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/types.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_TYPES_H
#define _FG_FAKE_LINUX_TYPES_H

#include_next <linux/types.h>	/* uapi: __u8 ... __s64 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>		/* pid_t */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif /* _FG_FAKE_LINUX_TYPES_H */
