/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, in one place.  Force-included from Kbuild, so
 * the rest of forkgov is written against the newest kernel's API and reads
 * clean.  Each shim names the kernel it stands in for.
 */
#ifndef _FORKGOV_COMPAT_H
#define _FORKGOV_COMPAT_H

#include <linux/version.h>

#endif /* _FORKGOV_COMPAT_H */
