/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/errno.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_ERRNO_H
#define _FG_FAKE_LINUX_ERRNO_H

#include_next <linux/errno.h>	/* uapi: EINVAL ... */

#endif /* _FG_FAKE_LINUX_ERRNO_H */
