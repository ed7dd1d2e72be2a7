/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_STRING_H
#define _FG_FAKE_LINUX_STRING_H

#include <string.h>

#endif /* _FG_FAKE_LINUX_STRING_H */
